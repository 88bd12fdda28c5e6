/* report — the run's summary for people (text) and for programs (JSON).
 *
 * report_text prints one line per link with its verdict, the figure behind it
 * and its limit, then the first failure with its time. report_json builds the
 * machine summary (jansson); its fields are documented in the README.
 */
#ifndef PSUSIM_REPORT_H
#define PSUSIM_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "engine.h"
#include "figures.h"
#include "scenario.h"
#include "verdict.h"

/* The program's version, reported in every output. */
#define PSUSIM_VERSION "0.1.0"

/* How the text is laid out: WIDTH the columns it must fit (0: no limit, the
 * wide table), COLOR 1 for ANSI colours on the verdict words (a terminal). */
struct report_style {
    int width;
    int color;
};

/* Writes the human summary to OUT: the answer in plain words (answer.h), the
 * verdict table, the first failure, notes and energy. ST NULL: wide, no
 * colour. */
void report_text(FILE *out, const struct scenario *s, const struct engine_result *r,
                 const struct verdict_report *v, const struct report_style *st);

/* Builds the JSON summary. Returns a new reference (the caller json_decref()s
 * it), or NULL when out of memory. */
json_t *report_json(const struct scenario *s, const struct engine_result *r,
                    const struct verdict_report *v);

/* Heat into the room and the job's energy and cost. */
struct report_heat {
    double heat_w;      /* mean wall power: all of it ends up as heat, W */
    double heat_btu_h;  /* the same in BTU/h */
    double job_kwh;     /* energy over [scenario] job at that mean, kWh */
    double job_cost;    /* job_kwh x tariff (0 without a tariff) */
    int cut;            /* the run ended early: a breaker tripped or a PSU shut down */
    double cut_s;       /* when (the first circuit whose judging stopped), s */
    char why[160];      /* "breaker wall tripped", "psu main shut down (brown-out)" */
};
/* The figures use the live draw: each circuit's energy over the time it was
 * judged (live, every PSU on it running), so a trip does not dilute them. */
void report_heat(const struct scenario *s, const struct engine_result *r,
                 struct report_heat *h);

/* A note for the summary about load L (an nvidia-smi trace hides spikes): writes
 * it to BUF and returns 1, or returns 0. */
int report_trace_warning(const struct scn_load *l, char *buf, size_t n);

/* A note for the summary when the rig has GPUs and a CPU but no DC [load]
 * (board, RAM, drives, fans: the platform, 75-150 W, is easy to forget; load
 * presets board-desktop, platform-desktop, ...): writes it to BUF and returns 1,
 * or returns 0. */
int report_platform_warning(const struct scenario *s, char *buf, size_t n);

/* A note about the gaps the reader bridged in trace L's log: writes it to BUF and
 * returns 1, or returns 0 (no gaps, or not a trace). */
int report_trace_gaps(const struct scn_load *l, char *buf, size_t n);

/* Writes the Markdown report: the scenario, the verdict table, key figures per
 * circuit and PSU, the events, and the plots in FIGS (may be NULL) embedded by
 * relative path. NOTE, when not NULL, is added (e.g. plots skipped). TIMESERIES
 * says what timeseries.csv holds: "full", "mean" or "none" (not written). */
void report_markdown(FILE *out, const struct scenario *s, const struct engine_result *r,
                     const struct verdict_report *v, const struct figures_out *figs,
                     const char *note, const char *timeseries);

/* The display name of a link: "breaker wall", "psu main". */
const char *report_link_name(const struct scenario *s, const struct link *l);

/* "continuous load wall": the link's label and its part's name, into BUF (size
 * N); returns BUF. */
const char *report_link_title(const struct scenario *s, const struct link *l, char *buf,
                              size_t n);

#endif

/* verdict — judges each link of the power chain from a run's figures.
 *
 * Links, per circuit: the circuit's voltage, its breaker, its continuous-load
 * rule, and the outlet's own rating where the circuit has one; its conductor
 * against its breaker (wiring: NEC 240.4(D), IEC 60364-4-43, JP art. 149) where
 * the scenario names it, and the rig's earth leakage against its RCD or GFCI; per UPS its
 * load against its overload curve, its battery and its transfer; per load with a
 * GPU connector, its 1 s limit; per PSU: its load against its rating and whether it stayed on. Each gets
 * PASS, MARGINAL or FAIL with the figure behind it and its limit (thresholds and
 * their sources in verdict.c). The scenario's verdict is the worst link.
 */
#ifndef PSUSIM_VERDICT_H
#define PSUSIM_VERDICT_H

#include <stddef.h>

#include "engine.h"
#include "scenario.h"

/* Worst last. n/a: the link could not be judged (at all, or to the end of the
 * run because its part went dead) and nothing failed while it was judged; it
 * is never a PASS. */
enum verdict { VERDICT_PASS = 0, VERDICT_NA, VERDICT_MARGINAL, VERDICT_FAIL };

enum link_kind { LINK_CIRCUIT = 0, LINK_BREAKER, LINK_CONTINUOUS, LINK_PSU, LINK_OUTLET,
                 LINK_CONNECTOR, LINK_CORD, LINK_RECEPTACLE, LINK_INLET, LINK_WIRING,
                 LINK_RCD, LINK_UPS, LINK_STRIP, LINK_PANEL, LINK_NEUTRAL };

enum { LINK_TEXT_LEN = 240 };

struct link {
    enum link_kind kind;
    size_t index;                 /* circuit, PSU, load, UPS or strip index, by kind
                                     (verdict_link_circuit: a link's circuit); a
                                     panel line: 4 x the panel + the line (0..2); a
                                     neutral: the panel */
    enum verdict verdict;
    double fail_time_s;           /* when it failed; NAN: judged over the run */
    double used;                  /* figure / limit (1.0 = at the limit); NAN if none */
    char figure[LINK_TEXT_LEN];   /* "mean 15.2 A over an 8 h job" */
    char limit[LINK_TEXT_LEN];    /* "12.0 A (80 % of 15 A, NEC 210.19/210.20)" */
};

struct verdict_report {
    struct link *links;           /* n links (owned) */
    size_t n;
    enum verdict overall;         /* worst link */
    long first_fail;              /* index of the earliest failing link, or -1 */
};

/* Judges the run. Returns 0, or -1 when out of memory. Free with
 * verdict_report_free(). */
int verdict_judge(const struct scenario *s, const struct engine_result *r,
                  struct verdict_report *out);

void verdict_report_free(struct verdict_report *v);

/* UPS U's runtime on battery at its mean output over the run, s (0: its battery
 * is not known; INFINITY: no load). */
double verdict_ups_runtime_s(const struct scenario *s, const struct engine_result *r, size_t u);

/* Writes into BUF the warning for UPS U when its output on battery is a
 * stepped sine and PSUs with active PFC hang on it; returns 1 if there is one. */
int verdict_ups_waveform_warning(const struct scenario *s, size_t u, char *buf, size_t n);

/* The circuit link L belongs to (a strip's or a UPS's: the circuit it is
 * plugged into), or -1 for a PSU, inlet, connector, panel or neutral link. */
long verdict_link_circuit(const struct scenario *s, const struct link *l);

/* "PASS", "n/a", "MARGINAL", "FAIL" and "pass", "n/a", "marginal", "fail". */
const char *verdict_name(enum verdict v);
const char *verdict_json_name(enum verdict v);

/* "circuit", "breaker", "continuous", "psu", "outlet", "connector", "cord_and_plug",
 * "receptacle", "inlet", "wiring", "rcd", "ups", "strip", "panel", "neutral". */
const char *link_kind_name(enum link_kind k);

#endif

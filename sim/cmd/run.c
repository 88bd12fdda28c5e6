/* run — psusim run FILE: one simulation, its verdict on stdout and, with --out,
 * summary.json, timeseries.csv, events.csv, report.md and the plots. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cmd.h"
#include "csvout.h"
#include "diag.h"
#include "engine.h"
#include "figures.h"
#include "outfile.h"
#include "report.h"
#include "scenario.h"
#include "verdict.h"

/* Samples go to the CSV writer and the plot collectors. */
struct sinks {
    FILE *csv;          /* timeseries.csv, or NULL */
    int mean_only;      /* --timeseries mean */
    figures *figs;      /* plot data, or NULL */
    int csv_errno;      /* why a timeseries row could not be written, or 0 */
};

static int fan_out(void *user, const struct engine_sample *smp)
{
    struct sinks *k = user;
    if (cli_interrupted) return 1;
    if (k->figs) figures_sample(k->figs, smp);
    if (!k->csv) return 0;
    errno = 0;
    int rc = k->mean_only ? csvout_timeseries_row_mean(k->csv, smp)
                          : csvout_timeseries_row(k->csv, smp);
    if (rc != 0) k->csv_errno = errno;
    return rc;
}

/* Writes summary.json, events.csv and report.md into DIR. Returns 0, or -1 with
 * ERR. */
static int write_outputs(const char *dir, const struct scenario *s,
                         const struct engine_result *r, const struct verdict_report *v,
                         json_t *summary, const struct figures_out *figs, const char *note,
                         const char *timeseries, char *err, size_t errlen)
{
    struct outfile f;
    if (outfile_open(&f, dir, "events.csv", err, errlen) != 0) return -1;
    if (csvout_events(f.fp, s, r) != 0) {
        snprintf(err, errlen, "%s: write failed", f.path);
        outfile_abort(&f);
        return -1;
    }
    if (outfile_commit(&f, err, errlen) != 0) return -1;
    if (outfile_open(&f, dir, "report.md", err, errlen) != 0) return -1;
    report_markdown(f.fp, s, r, v, figs, note, timeseries);
    if (outfile_commit(&f, err, errlen) != 0) return -1;
    /* summary.json last: a folder holding it holds the whole set (the plots,
     * the series, the events and the report are in place before it; issue 15, 3) */
    if (outfile_open(&f, dir, "summary.json", err, errlen) != 0) return -1;
    if (json_dumpf(summary, f.fp, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) != 0
        || fputc('\n', f.fp) == EOF) {
        snprintf(err, errlen, "%s: write failed", f.path);
        outfile_abort(&f);
        return -1;
    }
    return outfile_commit(&f, err, errlen);
}

/* One run, from the loaded scenario to the written outputs. */
struct run {
    const struct cli *c;
    struct scenario *s;
    engine *e;
    struct sinks sinks;
    struct outfile ts;            /* timeseries.csv while it is written */
    int want_plots, want_ts;      /* --plots other than none; --timeseries other than none */
    int dumb;                     /* --plots dumb: drawn on stdout after the text */
    struct engine_result res;
    struct verdict_report v;
    struct figures_out figs;
    json_t *summary;
    char note[512];               /* for report.md: an interruption, skipped plots */
    int was_interrupted;          /* Ctrl-C: what there is was written */
    int plots_stopped;            /* Ctrl-C while drawing: the rest is kept */
    char err[OUTFILE_PATH_LEN + DIAG_LEN];
};

/* Adds TEXT to R's note, a space after what is there. */
static void add_note(struct run *r, const char *text)
{
    size_t len = strlen(r->note);
    snprintf(r->note + len, sizeof r->note - len, "%s%s", len ? " " : "", text);
}

/* With --out: claims the folder and opens timeseries.csv (or removes an older
 * run's). Returns EXIT_PASS, or the exit status after the message. */
static int open_outputs(struct run *r)
{
    const struct cli *c = r->c;
    int claim = cli_claim_out_dir(c, r->err, sizeof r->err), claimed = claim == EXIT_PASS;
    if (claimed && !r->want_ts) {
        /* an older run's series would pass for this one's */
        char old[PATH_MAX];
        snprintf(old, sizeof old, "%s/timeseries.csv", c->out_dir);
        if (unlink(old) != 0 && errno != ENOENT) {
            snprintf(r->err, sizeof r->err, "%s: cannot remove: %s", old, strerror(errno));
            claimed = 0;
            claim = EXIT_IO;   /* not 0: nothing was written */
        }
    }
    if (!claimed
        || (r->want_ts
            && outfile_open(&r->ts, c->out_dir, "timeseries.csv", r->err, sizeof r->err) != 0)) {
        fprintf(stderr, "psusim: %s\n", r->err);
        return claimed ? EXIT_IO : claim;
    }
    if (r->want_ts) {
        csvout_timeseries_header(r->ts.fp, r->e, r->sinks.mean_only);
        r->sinks.csv = r->ts.fp;
    }
    return EXIT_PASS;
}

/* Loads the scenario, builds its engine, checks the work's bounds, and sets up
 * the sinks (plot data, timeseries.csv). Returns EXIT_PASS, or the exit status
 * after the message. */
static int prepare(struct run *r)
{
    const struct cli *c = r->c;
    int rc = cli_load(c, &r->s);
    if (rc != EXIT_PASS) return rc;
    r->e = engine_new(r->s, r->err, sizeof r->err);
    if (!r->e) {
        fprintf(stderr, "psusim: %s: %s\n", c->file, r->err);
        return EXIT_USAGE;
    }
    if ((rc = cli_check_limits(c, r->s)) != EXIT_PASS) return rc;
    r->want_plots = strcmp(c->plots, "none") != 0;
    r->want_ts = strcmp(c->timeseries, "none") != 0;
    r->dumb = strcmp(c->plots, "dumb") == 0;
    r->sinks.mean_only = strcmp(c->timeseries, "mean") == 0;
    if (r->want_plots && !(r->sinks.figs = figures_new(r->s, r->e, r->err, sizeof r->err))) {
        fprintf(stderr, "psusim: %s\n", r->err);
        return EXIT_IO;
    }
    figures_set_stop_flag(r->sinks.figs, &cli_interrupted);
    return c->out_dir ? open_outputs(r) : EXIT_PASS;
}

/* Runs the engine. Returns 1 when a sink failed (the run is lost), else 0; a
 * Ctrl-C is a clean stop (was_interrupted): what there is gets written. */
static int simulate(struct run *r)
{
    /* no sample callback when nothing takes the samples: strides then run past
     * the sample boundaries (issue 14, 3); Ctrl-C still stops the run */
    engine_set_stop_flag(r->e, &cli_interrupted);
    /* the loads' window maxima are shown only in summary.json (--out, --json) */
    engine_set_load_windows(r->e, r->c->out_dir || r->c->json);
    int stopped = engine_run(r->e, r->sinks.csv || r->sinks.figs ? fan_out : NULL, &r->sinks,
                             &r->res);
    r->was_interrupted = stopped && cli_interrupted;
    return stopped && !r->was_interrupted;
}

/* Draws the plots into --out (all or none). Returns EXIT_PASS or EXIT_IO. */
static int draw_plots(struct run *r)
{
    const struct cli *c = r->c;
    char pbuf[PATH_MAX];
    if (figures_render(r->sinks.figs, &r->res, c->out_dir, cli_plots_dir(pbuf, sizeof pbuf),
                       c->plots, c->plot_w, c->plot_h, NULL, &r->figs, r->err,
                       sizeof r->err) == 0)
        return EXIT_PASS;
    if (!cli_interrupted) return EXIT_IO;
    /* the run is whole: its figures, series and events are kept; only the
     * pictures (drawn all or none) are missing (issue 15, 2) */
    r->plots_stopped = 1;
    r->was_interrupted = 1;
    add_note(r, "Interrupted while drawing the plots: none was drawn (power, circuit, "
                "tripcurve, efficiency, excursion); the run itself is complete.");
    return EXIT_PASS;
}

/* Judges the run, builds its summary, draws the plots and writes the --out
 * files. Returns the run's exit status, or EXIT_IO with the message in err. */
static int judge_and_write(struct run *r)
{
    const struct cli *c = r->c;
    if (verdict_judge(r->s, &r->res, &r->v) != 0
        || !(r->summary = report_json(r->s, &r->res, &r->v))) {
        snprintf(r->err, sizeof r->err, "out of memory");
        return EXIT_IO;
    }
    int rc = EXIT_PASS;
    if (r->was_interrupted) {
        char text[256];
        json_object_set_new(r->summary, "complete", json_false());
        snprintf(text, sizeof text, "Interrupted at t = %.3f s of %.6g s: the figures cover "
                 "the part simulated (complete: false).", r->res.simulated_s,
                 r->s->sc.duration_s);
        add_note(r, text);
    }
    if (r->want_plots && !r->dumb) rc = draw_plots(r);
    if (rc == EXIT_PASS && r->figs.no_gnuplot)
        add_note(r, "Plots were skipped: gnuplot is not installed (Debian: apt-get install "
                    "gnuplot-nox).");
    if (rc == EXIT_PASS && c->out_dir
        && ((r->ts.fp && outfile_commit(&r->ts, r->err, sizeof r->err) != 0)
            || write_outputs(c->out_dir, r->s, &r->res, &r->v, r->summary, &r->figs,
                             r->note[0] ? r->note : NULL, c->timeseries, r->err,
                             sizeof r->err) != 0))
        rc = EXIT_IO;
    if (rc == EXIT_PASS) rc = r->v.overall == VERDICT_FAIL ? EXIT_FAIL : EXIT_PASS;
    return rc;
}

/* The result on stdout: the JSON summary, or the text (and a dumb plot, and
 * what was written). Returns RC, or EXIT_IO when the dumb plot fails. */
static int print_result(struct run *r, int rc)
{
    const struct cli *c = r->c;
    if (c->json) {
        json_dumpf(r->summary, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        fputc('\n', stdout);
        return rc;
    }
    if (c->quiet) return rc;
    struct report_style st = cli_text_style(c);
    report_text(stdout, r->s, &r->res, &r->v, &st);
    if (r->dumb) {
        char pbuf[PATH_MAX];
        fflush(stdout);
        if (figures_render(r->sinks.figs, &r->res, NULL, cli_plots_dir(pbuf, sizeof pbuf),
                           "dumb", c->plot_w, c->plot_h, stdout, &r->figs, r->err,
                           sizeof r->err) != 0) {
            fprintf(stderr, "psusim: %s\n", r->err);
            rc = EXIT_IO;
        }
    }
    if (c->out_dir)
        printf("wrote %s/: summary.json,%s events.csv, report.md%s\n", c->out_dir,
               r->want_ts ? " timeseries.csv," : "", r->figs.n ? " and the plots" : "");
    return rc;
}

/* What an interruption left (on stderr); the exit status is then EXIT_IO. */
static void say_interrupted(const struct run *r)
{
    if (!r->plots_stopped)
        fprintf(stderr, "psusim: interrupted at t = %.3f s; the outputs cover that part "
                "(\"complete\": false)\n", r->res.simulated_s);
    else
        fprintf(stderr, "psusim: interrupted while drawing the plots: none was drawn; "
                "summary.json, events.csv, report.md%s are complete\n",
                r->want_ts ? " and timeseries.csv" : "");
}

int cmd_run(const struct cli *c)
{
    struct run r = { .c = c };
    int rc = prepare(&r);
    if (rc == EXIT_PASS) {
        if (simulate(&r)) {
            if (r.sinks.csv_errno)
                snprintf(r.err, sizeof r.err, "%s: write failed: %s", r.ts.path,
                         strerror(r.sinks.csv_errno));
            else
                snprintf(r.err, sizeof r.err, "%s: write failed", r.ts.path);
            rc = EXIT_IO;
        } else {
            rc = judge_and_write(&r);
        }
        if (rc == EXIT_IO) {
            outfile_abort(&r.ts);
            fprintf(stderr, "psusim: %s\n", r.err);
        } else {
            rc = print_result(&r, rc);
        }
        if (r.was_interrupted && rc != EXIT_IO) {
            say_interrupted(&r);
            rc = EXIT_IO;
        }
        if (r.figs.no_gnuplot)
            fprintf(stderr, "psusim: gnuplot not found: plots skipped (power, circuit, "
                    "tripcurve, efficiency, excursion); install it with: apt-get install "
                    "gnuplot-nox\n");
        if (fflush(stdout) != 0 && rc != EXIT_IO) {
            fprintf(stderr, "psusim: cannot write to standard output\n");
            rc = EXIT_IO;
        }
    }
    json_decref(r.summary);
    verdict_report_free(&r.v);
    figures_free(r.sinks.figs);
    engine_free(r.e);
    scenario_free(r.s);
    return rc;
}

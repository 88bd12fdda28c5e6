/* sweep — psusim sweep FILE --vary KEY=SPEC [--vary KEY=SPEC]: a grid of one or
 * two parameters, a table of verdicts, sweep.csv, sweep.json and a plot. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cmd.h"
#include "diag.h"
#include "outfile.h"
#include "plot.h"
#include "shard.h"
#include "sweep.h"
#include "verdict.h"

/* A sweep's points and what they gave: point k is value k % n1 of the first
 * axis and k / n1 of the second. */
struct grid {
    const struct cli *c;
    const struct sweep_axis *ax;
    size_t n1, n2, total;
    size_t runs;                     /* Monte Carlo runs a point (1: one run) */
    const struct sweep_outcome *o;   /* per point */
    const double *pfail;             /* per point, when runs > 1 */
};

/* The --set texts of point K: the values of its axes. */
static void point_sets(const struct sweep_axis *ax, size_t n1, size_t k,
                       char set1[SWEEP_KEY_LEN + SWEEP_VALUE_LEN + 2],
                       char set2[SWEEP_KEY_LEN + SWEEP_VALUE_LEN + 2])
{
    snprintf(set1, SWEEP_KEY_LEN + SWEEP_VALUE_LEN + 2, "%s=%s", ax[0].key, ax[0].text[k % n1]);
    snprintf(set2, SWEEP_KEY_LEN + SWEEP_VALUE_LEN + 2, "%s=%s", ax[1].key, ax[1].text[k / n1]);
}

/* Value I of axis AX as the table shows it: in SI with its unit ("400 W",
 * "15 A"), or as given when it has no unit (a count, a word, a fraction). */
static const char *shown(const struct sweep_axis *ax, size_t i, char *buf, size_t n)
{
    if (ax->unit[0] && isfinite(ax->si[i])) snprintf(buf, n, "%g %s", ax->si[i], ax->unit);
    else snprintf(buf, n, "%s", ax->text[i]);
    return buf;
}

/* The table's and sweep.csv's header lines (OUT or CSV NULL: not written). */
static void write_headers(const struct grid *g, FILE *out, FILE *csv)
{
    const struct sweep_axis *ax = g->ax;
    int two = g->c->n_vary == 2;
    if (out) {
        fprintf(out, "%-22s", ax[0].key);
        if (two) fprintf(out, " %-22s", ax[1].key);
        fprintf(out, " %-9s %8s %10s %10s %8s%s\n", "verdict", "heat", "mean (A)", "peak (A)",
                "used", g->runs > 1 ? "  P(fail)" : "");
    }
    if (csv) {
        fprintf(csv, "%s%s%s,verdict,max_heat,mean_current_a,peak_load_current_a,"
                "worst_used,first_fail_s%s\n", ax[0].key, two ? "," : "",
                two ? ax[1].key : "", g->runs > 1 ? ",p_fail" : "");
    }
}

/* Point K's line of the table. */
static void table_row(const struct grid *g, size_t k, FILE *out)
{
    const struct sweep_axis *ax = g->ax;
    const struct sweep_outcome *q = &g->o[k];
    char v[SWEEP_VALUE_LEN + 32];
    fprintf(out, "%-22s", shown(&ax[0], k % g->n1, v, sizeof v));
    if (g->c->n_vary == 2) fprintf(out, " %-22s", shown(&ax[1], k / g->n1, v, sizeof v));
    if (g->c->verdict_only)   /* the figures are of a run cut at its failure */
        fprintf(out, " %-9s %8s %10s %10s %8s", verdict_name(q->verdict), "-", "-",
                "-", "-");
    else
        fprintf(out, " %-9s %6.0f %% %10.2f %10.2f %6.0f %%", verdict_name(q->verdict),
                100 * q->max_heat, q->mean_current_a, q->peak_current_a,
                100 * q->worst_used);
    if (g->runs > 1) fprintf(out, "  %.3f", g->pfail[k]);
    fputc('\n', out);
}

/* Point K's row of sweep.csv. */
static void csv_row(const struct grid *g, size_t k, FILE *csv)
{
    const struct sweep_axis *ax = g->ax;
    const struct sweep_outcome *q = &g->o[k];
    int two = g->c->n_vary == 2;
    size_t i = k % g->n1, j = k / g->n1;
    if (g->c->verdict_only)
        fprintf(csv, "%s%s%s,%s,,,,,%.6g", ax[0].text[i], two ? "," : "",
                two ? ax[1].text[j] : "", verdict_json_name(q->verdict), q->first_fail_s);
    else
        fprintf(csv, "%s%s%s,%s,%.6g,%.6g,%.6g,%.6g,%.6g", ax[0].text[i], two ? "," : "",
                two ? ax[1].text[j] : "", verdict_json_name(q->verdict), q->max_heat,
                q->mean_current_a, q->peak_current_a, q->worst_used, q->first_fail_s);
    if (g->runs > 1) fprintf(csv, ",%.6g", g->pfail[k]);
    fputc('\n', csv);
}

/* Point K as a JSON object (sweep.json, --json). */
static json_t *json_row(const struct grid *g, size_t k)
{
    const struct sweep_axis *ax = g->ax;
    const struct sweep_outcome *q = &g->o[k];
    json_t *e = json_object();
    json_object_set_new(e, ax[0].key, json_string(ax[0].text[k % g->n1]));
    if (g->c->n_vary == 2) json_object_set_new(e, ax[1].key, json_string(ax[1].text[k / g->n1]));
    json_object_set_new(e, "verdict", json_string(verdict_json_name(q->verdict)));
    int vo = g->c->verdict_only;
    json_object_set_new(e, "max_heat", vo ? json_null() : json_real(q->max_heat));
    json_object_set_new(e, "mean_current_a", vo ? json_null() : json_real(q->mean_current_a));
    json_object_set_new(e, "peak_load_current_a",
                        vo ? json_null() : json_real(q->peak_current_a));
    json_object_set_new(e, "worst_used", vo ? json_null() : json_real(q->worst_used));
    json_object_set_new(e, "first_fail_s", isfinite(q->first_fail_s)
                                               ? json_real(q->first_fail_s) : json_null());
    if (g->runs > 1) json_object_set_new(e, "p_fail", json_real(g->pfail[k]));
    return e;
}

/* Writes ARR to DIR/sweep.json. Returns EXIT_PASS, or EXIT_IO with ERR. */
static int write_json(const char *dir, json_t *arr, char *err, size_t errlen)
{
    struct outfile jf;
    if (outfile_open(&jf, dir, "sweep.json", err, errlen) != 0) return EXIT_IO;
    if (json_dumpf(arr, jf.fp, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) != 0) {
        /* the temporary file goes, and the message names the file */
        snprintf(err, errlen, "%s: write failed: %s", jf.path, strerror(errno));
        outfile_abort(&jf);
        return EXIT_IO;
    }
    return outfile_commit(&jf, err, errlen) != 0 ? EXIT_IO : EXIT_PASS;
}

/* What sweep.gp reads as a verdict: 0 pass, 1 marginal, 2 fail, -1 not judged
 * (enum verdict counts NA between PASS and MARGINAL). */
static int plot_verdict(enum verdict v)
{
    return v == VERDICT_PASS ? 0 : v == VERDICT_MARGINAL ? 1 : v == VERDICT_FAIL ? 2 : -1;
}

/* The map's pass/fail boundary into B: the cell edges (cells centred on whole
 * grid indices) between a point that fails and its neighbour that does not,
 * each a two-point line, blank-line separated. */
static void boundary(const struct grid *g, FILE *b)
{
    for (size_t j = 0; j < g->n2; j++)
        for (size_t i = 0; i < g->n1; i++) {
            int f = g->o[j * g->n1 + i].verdict == VERDICT_FAIL;
            if (i + 1 < g->n1 && f != (g->o[j * g->n1 + i + 1].verdict == VERDICT_FAIL))
                fprintf(b, "%g %g\n%g %g\n\n", i + 0.5, j - 0.5, i + 0.5, j + 0.5);
            if (j + 1 < g->n2 && f != (g->o[(j + 1) * g->n1 + i].verdict == VERDICT_FAIL))
                fprintf(b, "%g %g\n%g %g\n\n", i - 0.5, j + 0.5, i + 0.5, j + 0.5);
        }
}

/* An axis's SI values, space-separated, into BUF (sweep.gp labels its tics). */
static void axis_values(const struct sweep_axis *ax, char *buf, size_t n)
{
    buf[0] = '\0';
    for (size_t i = 0; i < ax->n; i++) {
        size_t len = strlen(buf);
        snprintf(buf + len, n - len, "%s%.6g", i ? " " : "", ax->si[i]);
    }
}

/* The sweep plot into --out (worst use and heat, or a map of two axes).
 * Returns EXIT_PASS (gnuplot missing: said, skipped) or EXIT_IO with ERR. */
static int draw_plot(const struct grid *g, char *err, size_t errlen)
{
    const struct cli *c = g->c;
    const struct sweep_axis *ax = g->ax;
    int rc = EXIT_PASS, two = c->n_vary == 2;
    char pbuf[PATH_MAX], path[PATH_MAX], heading[2 * SWEEP_KEY_LEN + 128];
    char values[SWEEP_MAX_VALUES * 16];
    plot *p = plot_begin(cli_plots_dir(pbuf, sizeof pbuf), "sweep", err, errlen);
    FILE *blk = p ? plot_block(p, "SWEEP") : NULL;
    if (blk) {
        if (two)
            snprintf(heading, sizeof heading, "Which combinations of %s and %s pass: the "
                     "most-used link's share of its limit at each", ax[0].key, ax[1].key);
        else
            snprintf(heading, sizeof heading, "How the most-used link and the breaker heat "
                     "move with %s", ax[0].key);
        plot_set_str(p, "title", c->file);
        plot_set_str(p, "heading", heading);
        plot_set_str(p, "key1", ax[0].key);
        plot_set_str(p, "unit1", ax[0].unit);
        plot_set_num(p, "two", two);
        plot_set_str(p, "key2", two ? ax[1].key : "");
        plot_set_str(p, "unit2", two ? ax[1].unit : "");
        plot_set_num(p, "n1", (double)g->n1);
        plot_set_num(p, "n2", (double)g->n2);
        axis_values(&ax[0], values, sizeof values);
        plot_set_str(p, "values1", values);
        axis_values(two ? &ax[1] : &ax[0], values, sizeof values);
        plot_set_str(p, "values2", two ? values : "");
        for (size_t k = 0; k < g->total; k++) {
            const struct sweep_outcome *q = &g->o[k];
            if (two)   /* grid indices: sweep.gp labels them with the values */
                fprintf(blk, "%zu %zu %.6g %d\n", k % g->n1, k / g->n1, 100 * q->worst_used,
                        plot_verdict(q->verdict));
            else
                fprintf(blk, "%.6g %.6g %.6g %d\n", ax[0].si[k], 100 * q->worst_used,
                        100 * q->max_heat, plot_verdict(q->verdict));
        }
        FILE *edge = plot_block(p, "EDGE");
        if (edge && two) boundary(g, edge);
        if (edge && !ftell(edge)) fputs("NaN NaN\n", edge);   /* no boundary: all one side */
        snprintf(path, sizeof path, "%s/sweep.%s", c->out_dir,
                 strcmp(c->plots, "dumb") == 0 ? "txt" : c->plots);
        int prc = edge ? plot_finish(p, c->plots, c->plot_w, c->plot_h, path, stdout, err,
                                     errlen)
                       : -1;
        if (!edge) snprintf(err, errlen, "sweep plot: out of memory");
        if (prc == 1)
            fprintf(stderr, "psusim: gnuplot not found: the sweep plot is skipped\n");
        else if (prc != 0)
            rc = EXIT_IO;
    } else if (!p) {
        rc = EXIT_IO;
    }
    plot_free(p);
    return rc;
}

/* The sweep's table (text or --json), sweep.csv, sweep.json and the plot for
 * the outcomes O (and P(fail) PFAIL when RUNS > 1) of its N1 x N2 points over
 * the axes AX; the exit status. */
int cli_sweep_report(const struct cli *c, const struct sweep_axis *ax, size_t n1,
                     size_t runs, const struct sweep_outcome *o, const double *pfail)
{
    size_t n2 = c->n_vary == 2 ? ax[1].n : 1;
    struct grid g = { c, ax, n1, n2, n1 * n2, runs, o, pfail };
    char err[OUTFILE_PATH_LEN + DIAG_LEN];
    /* the table, and sweep.csv / sweep.json */
    json_t *arr = json_array();
    FILE *out = c->quiet || c->json ? NULL : stdout;
    struct outfile csv = { 0 };
    int rc = c->out_dir ? cli_claim_out_dir(c, err, sizeof err) : EXIT_PASS;
    if (rc == EXIT_PASS && c->out_dir
        && outfile_open(&csv, c->out_dir, "sweep.csv", err, sizeof err) != 0)
        rc = EXIT_IO;
    if (rc != EXIT_PASS) {
        fprintf(stderr, "psusim: %s\n", err);
        json_decref(arr);
        return rc;
    }
    write_headers(&g, out, csv.fp);
    int cut = 0;   /* interrupted: the points not run are left out, and the plot */
    for (size_t k = 0; k < g.total; k++) {
        if (o[k].stopped) {
            cut = 1;
            continue;
        }
        if (out) table_row(&g, k, out);
        if (csv.fp) csv_row(&g, k, csv.fp);
        json_array_append_new(arr, json_row(&g, k));
    }
    if (out) {   /* what the columns mean */
        fputs("heat: the breaker's highest (100 % trips); used: the most-used link's share of "
              "its\nlimit (over 100 %: it fails)\n", out);
        if (runs > 1)
            fprintf(out, "P(fail): the probability that the verdict is FAIL, per simulated run "
                    "(the\nshare of the %zu runs of each point; the figures: the first run's)\n",
                    runs);
    }
    if (csv.fp && outfile_commit(&csv, err, sizeof err) != 0) rc = EXIT_IO;
    if (rc == EXIT_PASS && c->out_dir) rc = write_json(c->out_dir, arr, err, sizeof err);
    /* the plot: numeric values only */
    int numeric = 1;
    for (size_t i = 0; i < n1; i++) numeric &= isfinite(ax[0].si[i]);
    for (size_t j = 0; c->n_vary == 2 && j < n2; j++) numeric &= isfinite(ax[1].si[j]);
    int plotted = rc == EXIT_PASS && c->out_dir && strcmp(c->plots, "none") != 0 && numeric;
    if (plotted && c->verdict_only && !c->quiet)
        fprintf(stderr, "psusim: --verdict-only: no sweep plot (its figures are of runs cut "
                "at their failure)\n");
    if (plotted && !c->verdict_only && !cut) rc = draw_plot(&g, err, sizeof err);
    if (rc == EXIT_IO) fprintf(stderr, "psusim: %s\n", err);
    if (rc == EXIT_PASS && c->json) {
        json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        fputc('\n', stdout);
    }
    json_decref(arr);
    return rc;
}

/* Parses the --vary axes into AX and refuses what would mislabel the table.
 * Returns EXIT_PASS, or the exit status after the message. */
static int sweep_axes(const struct cli *c, struct sweep_axis *ax)
{
    char err[DIAG_LEN];
    for (size_t i = 0; i < c->n_vary; i++)
        if (sweep_parse_vary(c->vary[i], &ax[i], err, sizeof err) != 0) {
            fprintf(stderr, "psusim: %s\n", err);
            return EXIT_USAGE;
        }
    struct cli bounded = *c;   /* the work bound counts every point */
    bounded.points = ax[0].n * (c->n_vary == 2 ? ax[1].n : 1);
    int rc = cli_check_loads(&bounded);
    if (rc != EXIT_PASS) return rc;
    /* one key, one axis: a key varied twice, or varied and --set, would leave
     * the table labelled with values that were not simulated (issue 15, 8) */
    if (c->n_vary == 2 && strcmp(ax[0].key, ax[1].key) == 0) {
        fprintf(stderr, "psusim: --vary %s is given twice; vary two different keys, or "
                "list all the values in one --vary\n", ax[0].key);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < c->n_vary; i++)
        for (size_t k = 0; k < c->n_sets; k++) {
            size_t len = strlen(ax[i].key);
            if (strncmp(c->sets[k], ax[i].key, len) == 0 && c->sets[k][len] == '=') {
                fprintf(stderr, "psusim: --set %s and --vary %s name the same key; drop "
                        "the --set\n", c->sets[k], ax[i].key);
                return EXIT_USAGE;
            }
        }
    return EXIT_PASS;
}

/* Point K with RUNS runs a point: one run, or the first run's figures and the
 * share of the runs that fail (into *PFAIL). */
static struct sweep_outcome eval_point(const struct sweep_base *b, const struct cli *c,
                                       const struct sweep_axis *ax, size_t n1, size_t k,
                                       size_t runs, double *pfail)
{
    char set1[SWEEP_KEY_LEN + SWEEP_VALUE_LEN + 2], set2[SWEEP_KEY_LEN + SWEEP_VALUE_LEN + 2];
    point_sets(ax, n1, k, set1, set2);
    const char *extra[2] = { set1, set2 };
    size_t n_extra = c->n_vary;
    if (runs == 1) return sweep_eval(b, extra, n_extra, NULL, NULL);
    struct sweep_outcome out = { 0 };
    struct sweep_outcome *mc = calloc(runs, sizeof *mc);
    size_t fails = 0;
    if (mc && sweep_monte_carlo(b, extra, n_extra, runs, 0, 0, mc, NULL, NULL, NULL) == 0) {
        int cut = 0;   /* a point's runs all, or none (interrupted) */
        for (size_t r = 0; r < runs; r++) {
            fails += mc[r].verdict == VERDICT_FAIL;
            cut |= mc[r].stopped;
        }
        out = mc[0];
        *pfail = (double)fails / (double)runs;
        if (cut) {
            out.ok = 0;
            out.stopped = 1;
        }
    }
    free(mc);
    return out;
}

/* Runs this shard's points into O and PFAIL, in parallel. Returns 1 when a
 * point does not load, else 0. */
static int run_points(const struct sweep_base *b, const struct cli *c,
                      const struct sweep_axis *ax, size_t n1, size_t total, size_t runs,
                      struct sweep_outcome *o, double *pfail)
{
    struct progress pr = { !c->quiet && isatty(STDERR_FILENO), cli_now_s(), "points" };
    int bad = 0;
    /* every point is an independent run: in parallel, results by index */
#pragma omp parallel for schedule(dynamic, 1)
    for (long k = 0; k < (long)total; k++) {
        if (!shard_mine(&c->shard, (size_t)k)) continue;   /* another shard's point */
        o[k] = eval_point(b, c, ax, n1, (size_t)k, runs, &pfail[k]);
        if (!o[k].ok && !o[k].stopped) {
#pragma omp atomic write
            bad = 1;
        }
        if (pr.on) {
#pragma omp critical
            cli_show_progress(&pr, (size_t)k + 1, total);
        }
    }
    return bad;
}

/* Says why a point does not load: the first such point, loaded again for its
 * messages. */
static void explain_bad_point(const struct sweep_base *b, const struct cli *c,
                              const struct sweep_axis *ax, size_t n1, size_t total,
                              const struct sweep_outcome *o, struct diag *d)
{
    for (size_t k = 0; k < total; k++) {
        if (o[k].ok || !shard_mine(&c->shard, k)) continue;
        char set1[SWEEP_KEY_LEN + SWEEP_VALUE_LEN + 2], set2[SWEEP_KEY_LEN + SWEEP_VALUE_LEN + 2];
        point_sets(ax, n1, k, set1, set2);
        const char *extra[2] = { set1, set2 };
        sweep_eval(b, extra, c->n_vary, NULL, d);
        break;
    }
    cli_print_diag(d);
    fprintf(stderr, "psusim: sweep: a point does not load; nothing was written\n");
}

int cmd_sweep(const struct cli *c)
{
    static struct sweep_axis ax[2];
    char err[DIAG_LEN];
    int rc = sweep_axes(c, ax);
    if (rc != EXIT_PASS) return rc;
    if (c->out_dir && (rc = cli_claim_out_dir(c, err, sizeof err)) != EXIT_PASS) {
        fprintf(stderr, "psusim: %s\n", err);   /* refused before computing */
        return rc;
    }
    size_t n1 = ax[0].n, n2 = c->n_vary == 2 ? ax[1].n : 1, total = n1 * n2;
    size_t runs = c->runs ? c->runs : 1;
    struct sweep_outcome *o = calloc(total, sizeof *o);
    double *pfail = calloc(total, sizeof *pfail);
    struct diag *d = malloc(sizeof *d);
    if (!o || !pfail || !d) {
        free(o);
        free(pfail);
        free(d);
        return EXIT_IO;
    }
    diag_init(d);
    char buf[PATH_MAX];
    struct sweep_base b = cli_sweep_base(c, buf, sizeof buf);
    if (run_points(&b, c, ax, n1, total, runs, o, pfail)) {
        explain_bad_point(&b, c, ax, n1, total, o, d);
        free(o);
        free(pfail);
        free(d);
        return EXIT_USAGE;
    }
    size_t done = 0;
    for (size_t k = 0; k < total; k++) done += shard_mine(&c->shard, k) && !o[k].stopped;
    if (cli_interrupted && c->shard.n) {
        fprintf(stderr, "psusim: interrupted: %zu points done; no shard file written "
                "(run the shard again)\n", done);
        rc = EXIT_IO;
    } else if (c->shard.n) {
        rc = cli_shard_out(c, "sweep", total, o, runs > 1 ? pfail : NULL);
    } else {
        rc = cli_sweep_report(c, ax, n1, runs, o, pfail);
        if (cli_interrupted && rc != EXIT_IO) {
            fprintf(stderr, "psusim: interrupted: %zu of %zu points done; the table and "
                    "files hold those (no plot)\n", done, total);
            rc = EXIT_IO;
        }
    }
    free(o);
    free(pfail);
    free(d);
    return rc;
}

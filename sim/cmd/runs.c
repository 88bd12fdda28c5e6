/* runs — psusim run FILE --runs N: Monte Carlo, failure probabilities with
 * Wilson intervals and quantiles of the key figures. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <jansson.h>

#include "cmd.h"
#include "diag.h"
#include "outfile.h"
#include "sweep.h"
#include "verdict.h"

/* Prints (or adds to JSON) the Monte Carlo summary of N outcomes. */
static json_t *mc_summary(const struct sweep_outcome *o, size_t n, int verdict_only,
                          FILE *text)
{
    size_t k_trip = 0, k_shut = 0, k_rule = 0, k_fail = 0, ok = 0;
    double *heat = calloc(n + 1, sizeof *heat), *cur = calloc(n + 1, sizeof *cur);
    double *peak = calloc(n + 1, sizeof *peak);
    if (!heat || !cur || !peak) {
        free(heat);
        free(cur);
        free(peak);
        return NULL;
    }
    for (size_t k = 0; k < n; k++) {
        if (!o[k].ok) continue;
        k_trip += o[k].tripped;
        k_shut += o[k].shutdown;
        k_rule += o[k].rule_failed;
        k_fail += o[k].verdict == VERDICT_FAIL;
        heat[ok] = o[k].max_heat;
        cur[ok] = o[k].mean_current_a;
        peak[ok] = o[k].peak_current_a;
        ok++;
    }
    json_t *root = json_object();
    /* NAME: the JSON key; SAID: what the text calls it */
    const struct {
        const char *name, *said;
        size_t k;
    } probs[] = { { "trip", "a breaker or fuse trips", k_trip },
                  { "shutdown", "a power supply shuts down", k_shut },
                  { "rule", "a code rule fails (1)", k_rule },
                  { "any_failure", "anything fails (verdict FAIL)", k_fail } };
    if (text) {
        fprintf(text, "Monte Carlo: %zu runs, each with its own seed, judged as psusim run "
                "judges one\n(the job included).\n", ok);
        if (verdict_only)
            fputs("--verdict-only: each run stopped at its first failure, so only whether "
                  "anything\nfails is told.\n", text);
        fputs("Probability per simulated run (95 % Wilson interval; runs that had it):\n",
              text);
    }
    json_t *pj = json_object();
    json_object_set_new(root, "runs", json_integer((json_int_t)ok));
    if (verdict_only) json_object_set_new(root, "verdict_only", json_true());
    json_object_set_new(root, "probability", pj);
    for (size_t i = verdict_only ? 3 : 0; i < 4; i++) {
        double lo, hi;
        sweep_wilson(probs[i].k, ok, &lo, &hi);
        double p = ok ? (double)probs[i].k / (double)ok : 0;
        if (text)
            fprintf(text, "  %-32s %.4f (%.4f to %.4f; %zu of %zu)\n", probs[i].said, p, lo,
                    hi, probs[i].k, ok);
        json_t *e = json_object();
        json_object_set_new(e, "p", json_real(p));
        json_object_set_new(e, "ci95_low", json_real(lo));
        json_object_set_new(e, "ci95_high", json_real(hi));
        json_object_set_new(e, "count", json_integer((json_int_t)probs[i].k));
        json_object_set_new(pj, probs[i].name, e);
    }
    /* the text shows SCALE x the figure in UNIT ("%": heat is a fraction) */
    const struct {
        const char *name, *said;
        double *v;
        double scale;
        const char *unit;
    } figs[] = { { "max_heat", "breaker heat, highest of a run", heat, 100, "%" },
                 { "mean_current_a", "mean circuit current", cur, 1, "A" },
                 { "peak_load_current_a", "peak load current", peak, 1, "A" } };
    json_t *qj = json_object();
    json_object_set_new(root, "quantiles", qj);
    for (size_t i = 0; i < 3 && ok > 0 && !verdict_only; i++) {
        gsl_sort(figs[i].v, 1, ok);
        double q05 = gsl_stats_quantile_from_sorted_data(figs[i].v, 1, ok, 0.05);
        double q50 = gsl_stats_quantile_from_sorted_data(figs[i].v, 1, ok, 0.50);
        double q95 = gsl_stats_quantile_from_sorted_data(figs[i].v, 1, ok, 0.95);
        if (text && i == 0)
            fputs("  (1) continuous load, cord-and-plug, outlet, receptacle or connector\n"
                  "Over the runs (5th percentile, median, 95th percentile):\n", text);
        if (text)
            fprintf(text, "  %-32s %.4g %s, %.4g %s, %.4g %s%s\n", figs[i].said,
                    figs[i].scale * q05, figs[i].unit, figs[i].scale * q50, figs[i].unit,
                    figs[i].scale * q95, figs[i].unit, i == 0 ? " (100 % trips)" : "");
        json_t *e = json_object();
        json_object_set_new(e, "q05", json_real(q05));
        json_object_set_new(e, "q50", json_real(q50));
        json_object_set_new(e, "q95", json_real(q95));
        json_object_set_new(qj, figs[i].name, e);
    }
    free(heat);
    free(cur);
    free(peak);
    return root;
}

/* The Monte Carlo result of the N outcomes O as `run --runs` prints it (text or
 * --json); the exit status. */
int cli_mc_report(const struct cli *c, const struct sweep_outcome *o, size_t n,
                     int incomplete)
{
    json_t *j = mc_summary(o, n, c->verdict_only, c->json || c->quiet ? NULL : stdout);
    if (!j) {
        fprintf(stderr, "psusim: out of memory\n");
        return EXIT_IO;
    }
    /* interrupted: the runs done, of N (mc_summary counts only those) */
    json_object_set_new(j, "complete", json_boolean(!incomplete));
    json_object_set_new(j, "runs_asked", json_integer((json_int_t)n));
    int any_fail = 0;
    for (size_t k = 0; k < n; k++) any_fail |= o[k].verdict == VERDICT_FAIL;
    if (c->json) {
        json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        fputc('\n', stdout);
    }
    json_decref(j);
    return any_fail ? EXIT_FAIL : EXIT_PASS;
}

int cmd_monte_carlo(const struct cli *c)
{
    int rc = cli_check_loads(c);
    if (rc != EXIT_PASS) return rc;
    char buf[PATH_MAX];
    if (c->out_dir) {   /* refused before computing */
        char err[OUTFILE_PATH_LEN + DIAG_LEN];
        if ((rc = cli_claim_out_dir(c, err, sizeof err)) != EXIT_PASS) {
            fprintf(stderr, "psusim: %s\n", err);
            return rc;
        }
    }
    struct sweep_base b = cli_sweep_base(c, buf, sizeof buf);
    struct sweep_outcome *o = calloc(c->runs, sizeof *o);
    struct diag *d = malloc(sizeof *d);
    if (!o || !d) {
        free(o);
        free(d);
        fprintf(stderr, "psusim: out of memory\n");
        return EXIT_IO;
    }
    diag_init(d);
    struct progress pr = { !c->quiet && isatty(STDERR_FILENO), cli_now_s(), "runs" };
    rc = sweep_monte_carlo(&b, NULL, 0, c->runs, c->shard.k, c->shard.n, o, cli_show_progress,
                           &pr, d);
    if (rc != 0) {
        cli_print_diag(d);
        free(o);
        free(d);
        return EXIT_USAGE;
    }
    size_t done = 0;
    for (size_t k = 0; k < c->runs; k++) done += !o[k].stopped;
    if (cli_interrupted && c->shard.n) {
        /* a shard is all its runs or nothing: merge takes whole shards */
        fprintf(stderr, "psusim: interrupted: %zu of %zu runs done; no shard file written "
                "(run the shard again)\n", done, c->runs);
        rc = EXIT_IO;
    } else {
        rc = c->shard.n ? cli_shard_out(c, "run", c->runs, o, NULL)
                        : cli_mc_report(c, o, c->runs, cli_interrupted != 0);
        if (cli_interrupted && rc != EXIT_IO) {
            fprintf(stderr, "psusim: interrupted: %zu of %zu runs done; the figures cover "
                    "those (\"complete\": false)\n", done, c->runs);
            rc = EXIT_IO;
        }
    }
    free(o);
    free(d);
    return rc;
}

/* sweep — see include/sweep.h. */
#include "sweep.h"

#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "engine.h"
#include "scenario.h"
#include "text.h"
#include "units.h"

enum { MAX_SETS = 320 };

/* ============================================================== parsing == */

/* The SI unit of a kind, for headers. */
static const char *si_unit(enum unit_kind k)
{
    static const char *const names[UNIT_KIND_COUNT] = {
        [UNIT_NONE] = "", [UNIT_POWER] = "W", [UNIT_CURRENT] = "A", [UNIT_VOLTAGE] = "V",
        [UNIT_FREQUENCY] = "Hz", [UNIT_RESISTANCE] = "ohm", [UNIT_TIME] = "s",
        [UNIT_FRACTION] = "", [UNIT_TEMPERATURE] = "C", [UNIT_LENGTH] = "m",
        [UNIT_CAPACITANCE] = "F", [UNIT_APPARENT] = "VA",
        [UNIT_ENERGY] = "J",
    };
    return (unsigned)k < UNIT_KIND_COUNT && names[k] ? names[k] : "";
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = '\0';
    return s;
}

int sweep_parse_vary(const char *text, struct sweep_axis *ax, char *err, size_t errlen)
{
    memset(ax, 0, sizeof *ax);
    ax->unit = "";
    const char *eq = strchr(text, '=');
    if (!eq || eq == text || (size_t)(eq - text) >= sizeof ax->key) {
        snprintf(err, errlen, "--vary %s: expected KEY=V1,V2,... or KEY=FROM:TO:STEP "
                 "(e.g. gpu.rtx5090.power_limit=300W:575W:25W)", text);
        return -1;
    }
    memcpy(ax->key, text, (size_t)(eq - text));
    ax->key[eq - text] = '\0';
    char spec[1024];
    if (text_copy(spec, sizeof spec, eq + 1) != 0 || !spec[0]) {
        snprintf(err, errlen, "--vary %s: the values are missing or too long", text);
        return -1;
    }
    char uerr[200];
    if (strchr(spec, ':') && !strchr(spec, ',')) {
        /* a range FROM:TO:STEP */
        char *parts[3] = { 0 };
        char *p = spec;
        for (int k = 0; k < 3; k++) {
            parts[k] = p;
            char *colon = k < 2 ? strchr(p, ':') : NULL;
            if (k < 2 && !colon) {
                snprintf(err, errlen, "--vary %s: a range is FROM:TO:STEP", text);
                return -1;
            }
            if (colon) {
                *colon = '\0';
                p = colon + 1;
            }
        }
        double v[3];
        enum unit_kind kind[3];
        for (int k = 0; k < 3; k++)
            if (units_parse_any(trim(parts[k]), &v[k], &kind[k], uerr, sizeof uerr) != 0) {
                snprintf(err, errlen, "--vary %s: %s", text, uerr);
                return -1;
            }
        enum unit_kind unit = kind[0] != UNIT_NONE ? kind[0] : kind[1] != UNIT_NONE ? kind[1]
                                                                                    : kind[2];
        for (int k = 0; k < 3; k++)
            if (kind[k] != UNIT_NONE && kind[k] != unit) {
                snprintf(err, errlen, "--vary %s: FROM, TO and STEP must be of one kind",
                         text);
                return -1;
            }
        if (!(v[2] > 0) || !(v[1] >= v[0])) {
            snprintf(err, errlen, "--vary %s: needs FROM <= TO and a STEP above 0", text);
            return -1;
        }
        double steps = floor((v[1] - v[0]) / v[2] + 1e-9);
        if (steps + 1 > SWEEP_MAX_VALUES) {
            snprintf(err, errlen, "--vary %s: %.0f values; at most %d", text, steps + 1,
                     SWEEP_MAX_VALUES);
            return -1;
        }
        /* values in SI as bare numbers (a bare number is SI for every key) */
        for (size_t k = 0; k <= (size_t)steps; k++) {
            double x = v[0] + (double)k * v[2];
            ax->si[ax->n] = x;
            snprintf(ax->text[ax->n++], SWEEP_VALUE_LEN, "%.10g", x);
        }
        ax->unit = si_unit(unit);
        return 0;
    }
    /* a list */
    for (char *item = strtok(spec, ","); item; item = strtok(NULL, ",")) {
        item = trim(item);
        if (ax->n == SWEEP_MAX_VALUES || !item[0]
            || text_copy(ax->text[ax->n], SWEEP_VALUE_LEN, item) != 0) {
            snprintf(err, errlen, "--vary %s: an empty, too long or %d-th value", text,
                     SWEEP_MAX_VALUES + 1);
            return -1;
        }
        double x;
        enum unit_kind kind;
        if (units_parse_any(item, &x, &kind, uerr, sizeof uerr) == 0) {
            ax->si[ax->n] = x;
            if (kind != UNIT_NONE) ax->unit = si_unit(kind);
        } else {
            ax->si[ax->n] = NAN; /* a word: checked when the point loads */
        }
        ax->n++;
    }
    if (ax->n == 0) {
        snprintf(err, errlen, "--vary %s: no values", text);
        return -1;
    }
    return 0;
}

/* ============================================================ one run == */

static struct sweep_outcome outcome_of(const struct scenario *s,
                                       const struct engine_result *r,
                                       const struct verdict_report *v)
{
    struct sweep_outcome o = { 1, v->overall, 0, 0, 0, 0, 0, 0, 0, NAN, 0, "" };
    for (size_t c = 0; c < s->n_circuits; c++) {
        const struct engine_circuit_result *cr = &r->circuits[c];
        o.tripped |= cr->trip != BREAKER_CLOSED;
        if (cr->max_heat > o.max_heat) o.max_heat = cr->max_heat;
        if (cr->mean_current_a > o.mean_current_a) o.mean_current_a = cr->mean_current_a;
        if (cr->peak_load_current_a > o.peak_current_a) o.peak_current_a = cr->peak_load_current_a;
    }
    for (size_t j = 0; j < s->n_psus; j++) o.shutdown |= r->psus[j].shutdown;
    long worst = -1;
    for (size_t i = 0; i < v->n; i++) {
        const struct link *l = &v->links[i];
        if (isfinite(l->used) && l->used > o.worst_used) o.worst_used = l->used;
        double u = isfinite(l->used) ? l->used : 0;
        if (worst < 0 || l->verdict > v->links[worst].verdict
            || (l->verdict == v->links[worst].verdict
                && u > (isfinite(v->links[worst].used) ? v->links[worst].used : 0)))
            worst = (long)i;
        if (l->verdict == VERDICT_FAIL
            && (l->kind == LINK_CONTINUOUS || l->kind == LINK_OUTLET
                || l->kind == LINK_CONNECTOR || l->kind == LINK_CORD
                || l->kind == LINK_RECEPTACLE || l->kind == LINK_INLET
                || l->kind == LINK_WIRING || l->kind == LINK_RCD || l->kind == LINK_STRIP))
            o.rule_failed = 1;
    }
    if (v->first_fail >= 0) o.first_fail_s = v->links[v->first_fail].fail_time_s;
    if (worst >= 0) {
        const struct link *l = &v->links[worst];
        char title[80];
        if (isfinite(l->used))
            snprintf(o.worst, sizeof o.worst, "%s %s at %.0f %%",
                     report_link_title(s, l, title, sizeof title), verdict_name(l->verdict),
                     100 * l->used);
        else
            snprintf(o.worst, sizeof o.worst, "%s %s",
                     report_link_title(s, l, title, sizeof title), verdict_name(l->verdict));
    }
    return o;
}

/* Runs S (already loaded) to its outcome. */
static struct sweep_outcome run_loaded(const struct scenario *s, int verdict_only,
                                       const volatile sig_atomic_t *stop, struct diag *d)
{
    struct sweep_outcome o = { 0, VERDICT_FAIL, 0, 0, 0, 0, 0, 0, 0, NAN, 0, "" };
    if (stop && *stop) {
        o.stopped = 1;
        return o;
    }
    char err[DIAG_LEN];
    engine *e = engine_new(s, err, sizeof err);
    if (!e) {
        if (d) diag_add(d, "%s: %s", s->path, err);
        return o;
    }
    struct engine_result r;
    struct verdict_report v = { 0 };
    engine_set_stop_on_fail(e, verdict_only);
    engine_set_stop_flag(e, stop);
    engine_set_load_windows(e, 0);     /* no outcome shows them */
    engine_run(e, NULL, NULL, &r);
    if (stop && *stop) {    /* cut short by the flag: not an outcome */
        engine_free(e);
        o.stopped = 1;
        return o;
    }
    if (verdict_judge(s, &r, &v) == 0) o = outcome_of(s, &r, &v);
    if (r.stopped_on_fail) o.verdict = VERDICT_FAIL;  /* its event is a link's FAIL */
    verdict_report_free(&v);
    engine_free(e);
    return o;
}

/* Loads the scenario with the base and EXTRA sets. */
static struct scenario *load_point(const struct sweep_base *b, const char *const *extra,
                                   size_t n_extra, struct diag *d)
{
    const char *sets[MAX_SETS];
    size_t n = 0;
    for (size_t i = 0; i < b->n_sets && n < MAX_SETS; i++) sets[n++] = b->sets[i];
    for (size_t i = 0; i < n_extra && n < MAX_SETS; i++) sets[n++] = extra[i];
    struct scn_options opt = { b->preset_dir, sets, n };
    struct scenario *s = NULL;
    struct diag *local = d;
    if (!local) {
        local = malloc(sizeof *local);
        if (!local) return NULL;
        diag_init(local);
    }
    scenario_load(b->file, &opt, &s, local);
    if (local != d) free(local);
    return s;
}

struct sweep_outcome sweep_eval(const struct sweep_base *b, const char *const *extra,
                                size_t n_extra, const uint64_t *seed_override,
                                struct diag *d)
{
    struct sweep_outcome o = { 0, VERDICT_FAIL, 0, 0, 0, 0, 0, 0, 0, NAN, 0, "" };
    if (b->stop && *b->stop) {
        o.stopped = 1;
        return o;
    }
    struct scenario *s = load_point(b, extra, n_extra, d);
    if (!s) return o;
    if (seed_override) s->sc.seed = *seed_override;
    o = run_loaded(s, b->verdict_only, b->stop, d);
    scenario_free(s);
    return o;
}

/* ========================================================= Monte Carlo == */

uint64_t sweep_run_seed(uint64_t base, size_t k)
{
    /* splitmix64 of base + k: neighbouring runs get unrelated streams */
    uint64_t z = base + 0x9E3779B97F4A7C15ull * (uint64_t)(k + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int sweep_monte_carlo(const struct sweep_base *b, const char *const *extra, size_t n_extra,
                      size_t n, size_t shard_k, size_t shard_n, struct sweep_outcome *out,
                      sweep_progress_fn progress, void *user, struct diag *d)
{
    struct scenario *s = load_point(b, extra, n_extra, d);
    if (!s) return -1;
    size_t done = 0;
    /* Each run reads the shared scenario through its own shallow copy with its
     * own seed; results land at their index, whatever thread computed them. */
#pragma omp parallel for schedule(dynamic, 1)
    for (long k = 0; k < (long)n; k++) {
        if (shard_n > 0 && (size_t)k % shard_n != shard_k - 1) continue;
        struct scenario copy = *s;
        copy.sc.seed = sweep_run_seed(s->sc.seed, (size_t)k);
        out[k] = run_loaded(&copy, b->verdict_only, b->stop, NULL);
#pragma omp atomic
        done++;
        if (progress) {
#ifdef _OPENMP
            if (omp_get_thread_num() == 0)
#endif
                progress(user, done, n);
        }
    }
    scenario_free(s);
    if (progress) progress(user, n, n);
    return 0;
}

void sweep_wilson(size_t k, size_t n, double *lo, double *hi)
{
    if (n == 0) {
        *lo = 0;
        *hi = 1;
        return;
    }
    /* Wilson (1927) score interval, z = 1.959964 for 95 % */
    const double z = 1.959964;
    double p = (double)k / (double)n, nn = (double)n, z2 = z * z;
    double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
    double half = z * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / (1 + z2 / nn);
    *lo = centre - half < 0 ? 0 : centre - half;
    *hi = centre + half > 1 ? 1 : centre + half;
}

/* verdict — see include/verdict.h. */
#include "verdict.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ============================================================ thresholds == */

/* A link that uses more than this share of its limit is MARGINAL: a careful
 * installer leaves 10 % for supply tolerance and ageing (psusim's choice, U). */
static const double MARGIN_SHARE = 0.90;

/* NEC 210.19(A) Informational Note: 3 % drop on a branch, 5 % total, is advice,
 * not a rule (facts.md 1, Wiring, S). Above 5 % the circuit is MARGINAL. */
static const double DROP_ADVICE = 0.05;

/* A load expected to run 3 h or more is a continuous load (NEC art. 100, S). */
static const double CONTINUOUS_JOB_S = 3 * 3600.0;

/* ================================================================ helpers == */

static enum verdict worse(enum verdict a, enum verdict b) { return a > b ? a : b; }

const char *verdict_name(enum verdict v)
{
    return v == VERDICT_FAIL ? "FAIL" : v == VERDICT_MARGINAL ? "MARGINAL" : "PASS";
}

const char *verdict_json_name(enum verdict v)
{
    return v == VERDICT_FAIL ? "fail" : v == VERDICT_MARGINAL ? "marginal" : "pass";
}

const char *link_kind_name(enum link_kind k)
{
    static const char *const names[] = { "circuit", "breaker", "continuous", "psu",
                                         "outlet", "connector" };
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

/* "8 h", "10 min", "45 s". */
static void fmt_duration(char *buf, size_t n, double s)
{
    if (s >= 3600 && fmod(s, 360) == 0)
        snprintf(buf, n, "%g h", s / 3600);
    else if (s >= 60 && fmod(s, 6) == 0)
        snprintf(buf, n, "%g min", s / 60);
    else
        snprintf(buf, n, "%.3g s", s);
}

/* ================================================================ judges == */

static void judge_circuit(const struct scenario *s, const struct engine_result *r,
                          size_t c, struct link *l)
{
    const struct scn_circuit *sc = &s->circuits[c];
    const struct engine_circuit_result *cr = &r->circuits[c];
    double min_input = 0;
    for (size_t j = 0; j < s->n_psus; j++)
        if (s->psus[j].circuit_index == c && s->psus[j].min_input_v > min_input)
            min_input = s->psus[j].min_input_v;
    double drop = 1.0 - cr->min_voltage_v / sc->source_v;
    *l = (struct link){ LINK_CIRCUIT, c, VERDICT_PASS, NAN, drop / DROP_ADVICE, "", "" };
    snprintf(l->figure, sizeof l->figure, "lowest %.1f V (drop %.1f %%)",
             cr->min_voltage_v, 100 * drop);
    if (min_input > 0)
        snprintf(l->limit, sizeof l->limit, "drop advice 3 %% branch / 5 %% total; "
                 "PSU input >= %.0f V", min_input);
    else
        snprintf(l->limit, sizeof l->limit, "drop advice 3 %% branch / 5 %% total");
    if (cr->collapsed) {
        l->verdict = VERDICT_FAIL;
        l->fail_time_s = cr->collapse_time_s;
        snprintf(l->figure, sizeof l->figure, "voltage collapse: the load exceeds "
                 "what %.0f V through %.3g ohm can deliver", sc->voltage_v, sc->wire_ohm);
        return;
    }
    for (size_t j = 0; j < s->n_psus; j++)
        if (s->psus[j].circuit_index == c && r->psus[j].shutdown
            && r->psus[j].shutdown_cause == EV_BROWNOUT) {
            l->verdict = VERDICT_FAIL;
            l->fail_time_s = r->psus[j].shutdown_time_s;
            return;
        }
    if (drop > DROP_ADVICE) l->verdict = VERDICT_MARGINAL;
}

static void judge_breaker(const struct scenario *s, const struct engine_result *r,
                          size_t c, struct link *l)
{
    const struct scn_circuit *sc = &s->circuits[c];
    const struct engine_circuit_result *cr = &r->circuits[c];
    const struct breaker_family *f = sc->curve;
    int sel = sc->tolerance;
    const struct breaker_curve *curve = &f->edge[sel];
    int fuse = f->model == BREAKER_MODEL_FUSE;
    double mag = fuse ? INFINITY
                      : sc->breaker_a * (sc->magnetic_multiple > 0 ? sc->magnetic_multiple
                                                                   : curve->magnetic_multiple);
    double used = cr->max_heat;
    if (cr->peak_halfcycle_a / mag > used) used = cr->peak_halfcycle_a / mag;
    *l = (struct link){ LINK_BREAKER, c, VERDICT_PASS, NAN, used, "", "" };
    if (fuse)
        snprintf(l->figure, sizeof l->figure, "fuse %.0f %% of blowing, peak %.1f A",
                 100 * cr->max_heat, cr->peak_current_a);
    else
        snprintf(l->figure, sizeof l->figure, "heat %.0f %%, magnetic %.0f %% (%.1f A)",
                 100 * cr->max_heat, 100 * cr->peak_halfcycle_a / mag,
                 cr->peak_halfcycle_a);
    if (fuse)
        snprintf(l->limit, sizeof l->limit, "%g A %s (%s edge)", sc->breaker_a,
                 f->standard, breaker_edge_name((enum breaker_edge)sel));
    else
        snprintf(l->limit, sizeof l->limit, "%g A %s (%s edge), magnetic %.0f A",
                 sc->breaker_a, f->standard, breaker_edge_name((enum breaker_edge)sel), mag);
    int faster_tripped = -1;
    for (int e = 0; e < sel; e++)
        if (cr->edge_trip[e] != BREAKER_CLOSED && faster_tripped < 0) faster_tripped = e;
    if (cr->trip != BREAKER_CLOSED) {
        l->verdict = VERDICT_FAIL;
        l->fail_time_s = cr->trip_time_s;
        snprintf(l->figure, sizeof l->figure, "%s at %.4g s (peak %.1f A)",
                 fuse ? "blows" : cr->trip == BREAKER_MAGNETIC ? "magnetic trip"
                                                               : "thermal trip",
                 cr->trip_time_s, cr->peak_current_a);
        return;
    }
    if (faster_tripped >= 0) {
        /* the simulated edge holds, a device at the fast end of the standard
         * would not (issue 3: MARGINAL) */
        l->verdict = VERDICT_MARGINAL;
        snprintf(l->figure, sizeof l->figure, "holds; a %s-edge device trips at %.4g s",
                 breaker_edge_name((enum breaker_edge)faster_tripped),
                 cr->edge_trip_time_s[faster_tripped]);
        return;
    }
    if (used > MARGIN_SHARE) l->verdict = VERDICT_MARGINAL;
    /* From cold the heat reaches 95 % of its settled value only after the slow
     * body has (breaker_settle_time_s): a shorter run understates it, and the
     * reader must know. */
    double settle_s = breaker_settle_time_s(f, (enum breaker_edge)sel);
    if (!fuse && r->simulated_s < settle_s) {
        size_t len = strlen(l->figure);
        snprintf(l->figure + len, sizeof l->figure - len, " (not settled: simulate >= %g min)",
                 settle_s / 60);
    }
}

static void judge_outlet(const struct scenario *s, const struct engine_result *r,
                         size_t c, struct link *l)
{
    const struct scn_circuit *sc = &s->circuits[c];
    const struct engine_circuit_result *cr = &r->circuits[c];
    double used = cr->mean_current_a / sc->outlet_limit_a;
    *l = (struct link){ LINK_OUTLET, c, VERDICT_PASS, NAN, used, "", "" };
    snprintf(l->figure, sizeof l->figure, "mean %.2f A (%.0f W at %.0f V)",
             cr->mean_current_a, cr->mean_current_a * sc->voltage_v, sc->voltage_v);
    snprintf(l->limit, sizeof l->limit, "%.1f A outlet rating (%.0f W)", sc->outlet_limit_a,
             sc->outlet_limit_a * sc->voltage_v);
    if (used > 1.0)
        l->verdict = VERDICT_FAIL;
    else if (used > MARGIN_SHARE)
        l->verdict = VERDICT_MARGINAL;
}

static void judge_continuous(const struct scenario *s, const struct engine_result *r,
                             size_t c, struct link *l)
{
    const struct scn_circuit *sc = &s->circuits[c];
    const struct engine_circuit_result *cr = &r->circuits[c];
    double used = cr->mean_current_a / sc->continuous_a;
    char job[32];
    fmt_duration(job, sizeof job, s->sc.job_s);
    *l = (struct link){ LINK_CONTINUOUS, c, VERDICT_PASS, NAN, used, "", "" };
    snprintf(l->figure, sizeof l->figure, "mean %.2f A, job %s", cr->mean_current_a,
             job);
    snprintf(l->limit, sizeof l->limit, "%.2f A (%.0f %% of %g A)%s", sc->continuous_a,
             100 * sc->continuous_a / sc->breaker_a, sc->breaker_a,
             s->sc.job_s >= CONTINUOUS_JOB_S ? "" : "; job < 3 h: advice only");
    if (used > 1.0)
        l->verdict = s->sc.job_s >= CONTINUOUS_JOB_S ? VERDICT_FAIL : VERDICT_MARGINAL;
    else if (used > MARGIN_SHARE)
        l->verdict = VERDICT_MARGINAL;
}

/* ATX 3.0 requires > 16 ms hold-up at full load, ATX 3.1 > 11 ms (16 ms at 80 %
 * recommended) (facts.md 2, P: Intel EDC). Indexed by enum scn_atx. */
static const double HOLDUP_REQUIRED_S[] = { 0.0, 16e-3, 11e-3 };

static void judge_psu(const struct scenario *s, const struct engine_result *r,
                      size_t j, struct link *l)
{
    const struct scn_psu *sp = &s->psus[j];
    const struct engine_psu_result *pr = &r->psus[j];
    double rating = sp->params.rating_w;
    double eff = pr->energy_ac_j > 0 ? pr->energy_dc_j / pr->energy_ac_j : 0;
    double sustained = pr->window_max_w[ENGINE_N_WINDOWS - 1];
    /* the most used of: the rating (1 s), the OPP, each envelope window */
    double used = sustained / rating;
    int worst = ENGINE_N_WINDOWS - 1;
    if (pr->opp_max_w / (sp->opp_frac * rating) > used) {
        used = pr->opp_max_w / (sp->opp_frac * rating);
        worst = -1;
    }
    for (int k = 0; k < ENGINE_N_WINDOWS - 1; k++)
        if (isfinite(pr->window_limit_w[k]) && pr->window_max_w[k] / pr->window_limit_w[k] > used) {
            used = pr->window_max_w[k] / pr->window_limit_w[k];
            worst = k;
        }
    *l = (struct link){ LINK_PSU, j, VERDICT_PASS, NAN, used, "", "" };
    snprintf(l->figure, sizeof l->figure, "1 s max %.0f W (%.0f %%), efficiency %.1f %%",
             sustained, 100 * sustained / rating, 100 * eff);
    if (worst >= 0 && worst < ENGINE_N_WINDOWS - 1)
        snprintf(l->limit, sizeof l->limit, "%.0f W rated; tightest: %g ms window %.0f W of "
                 "%.0f W", rating, engine_windows_s[worst] * 1e3, pr->window_max_w[worst],
                 pr->window_limit_w[worst]);
    else if (worst < 0)
        snprintf(l->limit, sizeof l->limit, "%.0f W rated; OPP %.0f %% over %g ms: %.0f W",
                 rating, 100 * sp->opp_frac, sp->opp_time_s * 1e3, pr->opp_max_w);
    else
        snprintf(l->limit, sizeof l->limit, "%.0f W rated (ATX %s)", rating,
                 sp->atx == SCN_ATX_30 ? "3.0" : sp->atx == SCN_ATX_31 ? "3.1" : "none");
    if (pr->shutdown) {
        l->verdict = VERDICT_FAIL;
        l->fail_time_s = pr->shutdown_time_s;
        snprintf(l->figure, sizeof l->figure, "shut down at %.4g s (%s)",
                 pr->shutdown_time_s, engine_event_name(pr->shutdown_cause));
        return;
    }
    if (sustained > rating) {
        l->verdict = VERDICT_FAIL;
        return;
    }
    if (used > MARGIN_SHARE) l->verdict = VERDICT_MARGINAL;
    double need = HOLDUP_REQUIRED_S[sp->atx];
    if (need > 0 && pr->holdup_s < need) {
        l->verdict = VERDICT_MARGINAL;
        size_t len = strlen(l->figure);
        snprintf(l->figure + len, sizeof l->figure - len, "; hold-up %.1f ms < %.0f ms",
                 pr->holdup_s * 1e3, need * 1e3);
    }
}

static void judge_connector(const struct scenario *s, const struct engine_result *r,
                            size_t i, struct link *l)
{
    const struct scn_load *sl = &s->loads[i];
    double lim = sl->connector_limit_w;
    double got = r->loads[i].connector_max_w;
    *l = (struct link){ LINK_CONNECTOR, i, VERDICT_PASS, NAN, got / lim, "", "" };
    snprintf(l->figure, sizeof l->figure, "1 s max %.0f W per unit", got);
    snprintf(l->limit, sizeof l->limit, "%.0f W (PCIe CEM 5.x sustained, 1 s)", lim);
    if (got > lim)
        l->verdict = VERDICT_FAIL;
    else if (got > MARGIN_SHARE * lim)
        l->verdict = VERDICT_MARGINAL;
}

/* ================================================================= public == */

int verdict_judge(const struct scenario *s, const struct engine_result *r,
                  struct verdict_report *out)
{
    out->n = 3 * s->n_circuits + s->n_psus;
    for (size_t c = 0; c < s->n_circuits; c++) out->n += s->circuits[c].outlet_limit_a > 0;
    for (size_t i = 0; i < s->n_loads; i++) out->n += s->loads[i].connector_limit_w > 0;
    out->links = calloc(out->n + 1, sizeof *out->links);
    out->overall = VERDICT_PASS;
    out->first_fail = -1;
    if (!out->links) return -1;
    size_t k = 0;
    for (size_t c = 0; c < s->n_circuits; c++) {
        judge_circuit(s, r, c, &out->links[k++]);
        judge_breaker(s, r, c, &out->links[k++]);
        judge_continuous(s, r, c, &out->links[k++]);
        if (s->circuits[c].outlet_limit_a > 0) judge_outlet(s, r, c, &out->links[k++]);
    }
    for (size_t j = 0; j < s->n_psus; j++) judge_psu(s, r, j, &out->links[k++]);
    for (size_t i = 0; i < s->n_loads; i++)
        if (s->loads[i].connector_limit_w > 0) judge_connector(s, r, i, &out->links[k++]);
    for (size_t i = 0; i < out->n; i++) {
        const struct link *l = &out->links[i];
        out->overall = worse(out->overall, l->verdict);
        if (l->verdict != VERDICT_FAIL) continue;
        if (out->first_fail < 0) {
            out->first_fail = (long)i;
            continue;
        }
        double best = out->links[out->first_fail].fail_time_s;
        /* a timed failure comes before one judged over the whole run */
        if (!isnan(l->fail_time_s) && (isnan(best) || l->fail_time_s < best))
            out->first_fail = (long)i;
    }
    return 0;
}

void verdict_report_free(struct verdict_report *v)
{
    if (!v) return;
    free(v->links);
    v->links = NULL;
    v->n = 0;
}

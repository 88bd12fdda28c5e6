/* verdict — see include/verdict.h. */
#include "verdict.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

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
    return v == VERDICT_FAIL       ? "FAIL"
           : v == VERDICT_MARGINAL ? "MARGINAL"
           : v == VERDICT_NA       ? "n/a"
                                   : "PASS";
}

const char *verdict_json_name(enum verdict v)
{
    return v == VERDICT_FAIL       ? "fail"
           : v == VERDICT_MARGINAL ? "marginal"
           : v == VERDICT_NA       ? "n/a"
                                   : "pass";
}

const char *link_kind_name(enum link_kind k)
{
    static const char *const names[] = { "circuit", "breaker", "continuous", "psu",
                                         "outlet", "connector", "cord_and_plug",
                                         "receptacle", "inlet", "wiring", "rcd", "ups", "strip",
                                         "panel", "neutral" };
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

/* "88.7 s", "1234 s (20.6 min)". */
static void fmt_time(char *buf, size_t n, double t)
{
    if (t < 600)
        snprintf(buf, n, "%.4g s", t);
    else
        snprintf(buf, n, "%.0f s (%.1f min)", t, t / 60);
}

/* Appends "; NOTE" to L's figure; a link that was only partly judged and did
 * not fail is n/a, never PASS (issue 13: a dead part is never a PASS). */
static void cut_short(struct link *l, const char *note)
{
    size_t len = strlen(l->figure);
    snprintf(l->figure + len, sizeof l->figure - len, "%s%s", len ? "; " : "", note);
    if (l->verdict == VERDICT_PASS) l->verdict = VERDICT_NA;
}

/* Why circuit C's links were not judged to the end of the run, in NOTE
 * ("not judged after 88.7 s: breaker wall tripped"); 0 if they were. */
static int circuit_cut(const struct scenario *s, const struct engine_result *r, size_t c,
                       char *note, size_t n)
{
    const struct engine_circuit_result *cr = &r->circuits[c];
    if (isnan(cr->judged_end_s) || cr->judged_end_s >= r->simulated_s) return 0;
    char t[48];
    fmt_time(t, sizeof t, cr->judged_end_s);
    if (cr->judged_end_cause == EV_PANEL_TRIP)
        snprintf(note, n, "not judged after %s: panel %s's main %s (%s)", t,
                 s->panels[cr->panel_off].name,
                 s->panels[cr->panel_off].curve->model == BREAKER_MODEL_FUSE ? "blew" : "tripped",
                 scenario_phase_name(cr->panel_off_line));
    else if (engine_event_is_circuit(cr->judged_end_cause))
        snprintf(note, n, "not judged after %s: %s %s %s", t,
                 s->circuits[c].curve->model == BREAKER_MODEL_FUSE ? "fuse" : "breaker",
                 s->circuits[c].name,
                 s->circuits[c].curve->model == BREAKER_MODEL_FUSE ? "blew" : "tripped");
    else
        snprintf(note, n, "not judged after %s: psu %s shut down (%s)", t,
                 s->psus[cr->judged_end_index].name,
                 engine_event_name(cr->judged_end_cause));
    return 1;
}

/* Why PSU J was not judged to the end of the run, in NOTE; 0 if it was. */
static int psu_cut(const struct scenario *s, const struct engine_result *r, size_t j,
                   char *note, size_t n)
{
    const struct engine_psu_result *pr = &r->psus[j];
    if (pr->live_s <= 0) {
        snprintf(note, n, "not judged: not powered on within the run");
        return 1;
    }
    if (!pr->shutdown || pr->shutdown_time_s >= r->simulated_s) return 0;
    char t[48];
    fmt_time(t, sizeof t, pr->shutdown_time_s);
    const struct scn_circuit *sc = &s->circuits[s->psus[j].circuit_index];
    long u = s->psus[j].ups_index;
    if (pr->shutdown_cause == EV_INPUT_LOST && u >= 0 && r->ups[u].shutdown
        && r->ups[u].shutdown_time_s <= pr->shutdown_time_s)
        snprintf(note, n, "not judged after %s: input lost (ups %s shut down: %s)", t,
                 s->upses[u].name, r->ups[u].shutdown_overload ? "overload" : "battery empty");
    else if (pr->shutdown_cause == EV_INPUT_LOST && sc->panel_index >= 0
             && r->circuits[s->psus[j].circuit_index].panel_off_s <= pr->shutdown_time_s)
        snprintf(note, n, "not judged after %s: input lost (panel %s's main on %s opened)", t,
                 s->panels[r->circuits[s->psus[j].circuit_index].panel_off].name,
                 scenario_phase_name(r->circuits[s->psus[j].circuit_index].panel_off_line));
    else if (pr->shutdown_cause == EV_INPUT_LOST)
        snprintf(note, n, "not judged after %s: input lost (%s %s %s)", t,
                 sc->curve->model == BREAKER_MODEL_FUSE ? "fuse" : "breaker", sc->name,
                 sc->curve->model == BREAKER_MODEL_FUSE ? "blew" : "tripped");
    else
        snprintf(note, n, "not judged after %s: shut down (%s)", t,
                 engine_event_name(pr->shutdown_cause));
    return 1;
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
    /* the only drop figure in facts.md is the NEC's informational note; other
     * regions are judged against it too, and the text says whose it is */
    const char *src = strcmp(sc->curve->name, "ul489") == 0 ? "NEC 210.19(A) note"
                                                            : "after NEC 210.19(A) note";
    if (min_input > 0)
        snprintf(l->limit, sizeof l->limit, "drop advice 3 %% branch / 5 %% total "
                 "(%s); PSU input >= %.0f V (ATX12V)", src, min_input);
    else
        snprintf(l->limit, sizeof l->limit, "drop advice 3 %% branch / 5 %% total (%s)", src);
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
    char note[LINK_TEXT_LEN];
    if (circuit_cut(s, r, c, note, sizeof note)) cut_short(l, note);
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
    char note[LINK_TEXT_LEN];
    int cut = circuit_cut(s, r, c, note, sizeof note);
    if (faster_tripped >= 0) {
        /* the simulated edge holds, a device at the fast end of the standard
         * would not (issue 3: MARGINAL) */
        l->verdict = VERDICT_MARGINAL;
        snprintf(l->figure, sizeof l->figure, "holds; a %s-edge device trips at %.4g s",
                 breaker_edge_name((enum breaker_edge)faster_tripped),
                 cr->edge_trip_time_s[faster_tripped]);
        if (cut) cut_short(l, note);
        return;
    }
    if (cr->extrapolated) {
        /* a job longer than the run: the rest of it at the sustained current
         * (engine.c, extrapolate) */
        char job[32], at[48];
        fmt_duration(job, sizeof job, s->sc.job_s);
        int faster = -1;
        for (int e = 0; e < sel; e++)
            if (!isnan(cr->extrap_trip_s[e]) && faster < 0) faster = e;
        size_t len = strlen(l->figure);
        if (!isnan(cr->extrap_trip_s[sel])) {
            fmt_time(at, sizeof at, cr->extrap_trip_s[sel]);
            l->verdict = VERDICT_FAIL;
            l->used = 1.0;                 /* the heat reaches the trip */
            l->fail_time_s = cr->extrap_trip_s[sel];
            snprintf(l->figure, sizeof l->figure, "extrapolated: %s at %s of the %s job "
                     "(%.2f A sustained held; heat %.0f %% at the run's end)",
                     fuse ? "blows" : "trips", at, job, cr->extrap_a, 100 * cr->final_heat);
            return;
        }
        if (faster >= 0) {
            fmt_time(at, sizeof at, cr->extrap_trip_s[faster]);
            l->verdict = VERDICT_MARGINAL;
            snprintf(l->figure + len, sizeof l->figure - len, "; extrapolated to the %s "
                     "job: a %s-edge device trips at %s", job,
                     breaker_edge_name((enum breaker_edge)faster), at);
            return;
        }
        double h = cr->extrap_max_heat[sel];
        if (h > used) used = l->used = h;
        if (h <= cr->max_heat + 0.02)
            snprintf(l->figure + len, sizeof l->figure - len, " (settled; holds for the %s "
                     "job)", job);
        else
            snprintf(l->figure + len, sizeof l->figure - len, "; not settled in the run: "
                     "extrapolated to the %s job at %.2f A sustained, %.0f %%", job,
                     cr->extrap_a, 100 * h);
    }
    if (used > MARGIN_SHARE) l->verdict = VERDICT_MARGINAL;
    if (cut) cut_short(l, note);
}

/* The scenario's simulated duration, s. */
static double r_run_s(const struct scenario *s) { return s->sc.duration_s; }

/* The sustained figure's window, for the text: "RMS over 15 min", or "RMS over
 * the 88.7 s judged" when the judged time was shorter than the window. */
static void fmt_window(char *buf, size_t n, const struct scenario *s,
                       const struct engine_circuit_result *cr)
{
    char w[48];
    if (cr->sustained_window_s + 1e-9 < s->sc.sustained_window_s) {
        if (cr->sustained_window_s >= 60 && cr->sustained_window_s >= r_run_s(s) - 1e-9)
            fmt_duration(w, sizeof w, cr->sustained_window_s);
        else
            fmt_time(w, sizeof w, cr->sustained_window_s);
        snprintf(buf, n, "RMS of the %s %s", w,
                 cr->judged_end_s < r_run_s(s) ? "judged" : "run");
    } else {
        fmt_duration(w, sizeof w, cr->sustained_window_s);
        snprintf(buf, n, "highest RMS over %s", w);
    }
}

/* The end of a judge of a sustained figure of circuit C: with no time judged
 * the link is n/a; cut short by a trip or a shutdown before a whole window was
 * judged, the figure is no sustained figure (a start-up, a heater's first
 * minute) and the link is n/a whatever it shows; cut short later, it says so
 * and is never a PASS. */
static void sustained_tail(const struct scenario *s, const struct engine_result *r,
                           size_t c, struct link *l)
{
    const struct engine_circuit_result *cr = &r->circuits[c];
    char note[LINK_TEXT_LEN];
    if (cr->judged_s <= 0) {
        l->used = NAN;
        snprintf(l->figure, sizeof l->figure, "not judged: the circuit never carried the rig");
        l->verdict = VERDICT_NA;
        return;
    }
    if (!circuit_cut(s, r, c, note, sizeof note)) return;
    cut_short(l, note);
    double w = s->sc.sustained_window_s;
    if (cr->judged_s + 1e-9 < w) {
        /* Less than a window judged. A window holding the judged time has a mean
         * square of at least I^2 T / W (nothing drawn after the cut), so its RMS
         * is at least the judged RMS x sqrt(T / W): above the limit even so, the
         * rule is broken on what was judged and the FAIL stands; else the
         * figure is no sustained figure (a start-up) and the link is n/a. */
        double lb = l->used * sqrt(cr->judged_s / w);
        if (l->verdict == VERDICT_FAIL && isfinite(lb) && lb > 1.0) {
            char win[32];
            fmt_duration(win, sizeof win, w);
            size_t len = strlen(l->figure);
            snprintf(l->figure + len, sizeof l->figure - len, "; any %s window holding it: "
                     "at least %.0f %% of the limit", win, 100 * lb);
        } else {
            l->verdict = VERDICT_NA;
        }
    }
}

/* NEC 210.21(B)(2) and 210.23(A)(1) apply to a branch circuit of two or more
 * outlets; the circuit key cord_and_plug_limit says so (0: a dedicated
 * circuit, or not a US one). */
static int multi_outlet_us(const struct scn_circuit *sc) { return sc->cord_plug_frac > 0; }

static void judge_outlet(const struct scenario *s, const struct engine_result *r,
                         size_t c, struct link *l)
{
    const struct scn_circuit *sc = &s->circuits[c];
    const struct engine_circuit_result *cr = &r->circuits[c];
    /* The outlet's rating is a current (JP: 15 A per outlet, TEPCO, P): its
     * contacts heat with the current, so the rig's sustained current is judged.
     * TEPCO's "1500 W" is 15 A at 100 V and PF 1; at a sagging outlet voltage or
     * a PF below 1 the same real power needs more current, so judging watts
     * would pass a rig that overloads the outlet. The figure shows the real
     * power at the outlet too (the meter's energy less the wiring's I^2 R over
     * the live time), in W. */
    double got = cr->sustained_rig_a;
    double used = got / sc->outlet_limit_a;
    double p_w = cr->live_s > 0 ? (cr->energy_j - cr->wire_loss_j) / cr->live_s : 0;
    char win[96];
    fmt_window(win, sizeof win, s, cr);
    *l = (struct link){ LINK_OUTLET, c, VERDICT_PASS, NAN, used, "", "" };
    snprintf(l->figure, sizeof l->figure, "rig %.2f A (%s; %.0f W real at the outlet)", got,
             win, p_w);
    snprintf(l->limit, sizeof l->limit, "%.1f A outlet rating (%.0f W at %.0f V, PF 1)",
             sc->outlet_limit_a, sc->outlet_limit_a * sc->voltage_v, sc->voltage_v);
    if (used > 1.0)
        l->verdict = VERDICT_FAIL;
    else if (used > MARGIN_SHARE)
        l->verdict = VERDICT_MARGINAL;
    sustained_tail(s, r, c, l);
}

static void judge_continuous(const struct scenario *s, const struct engine_result *r,
                             size_t c, struct link *l)
{
    const struct scn_circuit *sc = &s->circuits[c];
    const struct engine_circuit_result *cr = &r->circuits[c];
    double got = cr->sustained_a;
    double used = got / sc->continuous_a;
    char job[32], win[96];
    fmt_duration(job, sizeof job, s->sc.job_s);
    fmt_window(win, sizeof win, s, cr);
    int continuous = s->sc.job_s >= CONTINUOUS_JOB_S;
    *l = (struct link){ LINK_CONTINUOUS, c, VERDICT_PASS, NAN, used, "", "" };
    snprintf(l->figure, sizeof l->figure, "sustained %.2f A (%s), job %s", got, win, job);
    snprintf(l->limit, sizeof l->limit, "%.2f A (%.0f %% of %g A, %.120s)%s", sc->continuous_a,
             100 * sc->continuous_a / sc->breaker_a, sc->breaker_a, sc->continuous_rule,
             continuous ? "" : strcmp(sc->curve->name, "ul489") == 0
                                   ? "; job < 3 h: advice only (NEC art. 100)"
                                   : "; job < 3 h: advice only");
    if (used > 1.0)
        l->verdict = continuous ? VERDICT_FAIL : VERDICT_MARGINAL;
    else if (used > MARGIN_SHARE)
        l->verdict = VERDICT_MARGINAL;
    sustained_tail(s, r, c, l);
}

/* The NEC clause of the cord-and-plug rule for a branch rating of IN_A. */
static const char *cord_clause(double in_a)
{
    return in_a <= 20 ? "NEC 210.23(A)(1)" : in_a <= 30 ? "NEC 210.23(B)" : "NEC 210.23";
}

static void judge_cord(const struct scenario *s, const struct engine_result *r, size_t c,
                       struct link *l)
{
    const struct scn_circuit *sc = &s->circuits[c];
    const struct engine_circuit_result *cr = &r->circuits[c];
    double lim = sc->cord_plug_frac * sc->breaker_a;
    double got = cr->sustained_rig_a, nameplate = 0;
    for (size_t j = 0; j < s->n_psus; j++)
        if (s->psus[j].circuit_index == c) nameplate += s->psus[j].input_rating_a;
    double used = got / lim;
    if (nameplate / lim > used) used = nameplate / lim;
    char win[96];
    fmt_window(win, sizeof win, s, cr);
    *l = (struct link){ LINK_CORD, c, VERDICT_PASS, NAN, used, "", "" };
    if (nameplate > 0)
        snprintf(l->figure, sizeof l->figure, "rig %.2f A (%s); nameplate %.1f A", got, win,
                 nameplate);
    else
        snprintf(l->figure, sizeof l->figure, "rig %.2f A (%s)", got, win);
    snprintf(l->limit, sizeof l->limit, "%.2f A (%.0f %% of %g A, %s: one cord-and-plug "
             "item, any job length)", lim, 100 * sc->cord_plug_frac, sc->breaker_a,
             cord_clause(sc->breaker_a));
    if (used > 1.0)
        l->verdict = VERDICT_FAIL;
    else if (used > MARGIN_SHARE)
        l->verdict = VERDICT_MARGINAL;
    sustained_tail(s, r, c, l);
    if (nameplate > lim) l->verdict = VERDICT_FAIL;  /* the rating breaks it, run or not */
}

/* NEC Table 210.21(B)(3): the receptacle ratings a branch circuit of a given
 * rating may carry (facts.md 1, S). */
static const struct {
    double circuit_a;
    double receptacle_a[2];     /* permitted ratings (0: no second one) */
} receptacle_table[] = {
    { 15, { 15, 0 } },
    { 20, { 15, 20 } },
    { 30, { 30, 0 } },
    { 40, { 40, 50 } },
    { 50, { 50, 0 } },
};

static void judge_receptacle(const struct scenario *s, const struct engine_result *r,
                             size_t c, struct link *l)
{
    const struct scn_circuit *sc = &s->circuits[c];
    const struct engine_circuit_result *cr = &r->circuits[c];
    double rr = sc->receptacle_a;
    /* NEC Table 210.21(B)(2): on a circuit of several outlets a receptacle may carry
     * a cord-and-plug load of 80 % of its rating (15 A: 12 A, 20 A: 16 A, 30 A:
     * 24 A); a single receptacle on its own circuit carries its rating. */
    int multi = multi_outlet_us(sc);
    double lim = (multi ? 0.80 : 1.0) * rr;
    double got = cr->sustained_rig_a;
    char win[96];
    fmt_window(win, sizeof win, s, cr);
    *l = (struct link){ LINK_RECEPTACLE, c, VERDICT_PASS, NAN, got / lim, "", "" };
    snprintf(l->figure, sizeof l->figure, "rig %.2f A (%s)", got, win);
    snprintf(l->limit, sizeof l->limit, "%.1f A (%s%g A receptacle, NEC %s)", lim,
             multi ? "80 % of a " : "a ", rr,
             multi ? "Table 210.21(B)(2)" : "210.21(B)(1)");
    for (size_t k = 0; k < sizeof receptacle_table / sizeof receptacle_table[0]; k++) {
        if (receptacle_table[k].circuit_a != sc->breaker_a) continue;
        if (rr == receptacle_table[k].receptacle_a[0]
            || rr == receptacle_table[k].receptacle_a[1])
            break;
        l->verdict = VERDICT_FAIL;
        snprintf(l->figure, sizeof l->figure, "a %g A receptacle is not permitted on a "
                 "%g A circuit", rr, sc->breaker_a);
        snprintf(l->limit, sizeof l->limit, "NEC Table 210.21(B)(3)");
        return;
    }
    if (!multi && rr < sc->breaker_a) {
        /* 210.21(B)(1): a single receptacle on an individual branch circuit is
         * rated at least as the circuit */
        l->verdict = VERDICT_FAIL;
        snprintf(l->figure, sizeof l->figure, "a single %g A receptacle on a %g A circuit",
                 rr, sc->breaker_a);
        snprintf(l->limit, sizeof l->limit, "at least %g A (NEC 210.21(B)(1))",
                 sc->breaker_a);
        return;
    }
    if (got > lim)
        l->verdict = VERDICT_FAIL;
    else if (got > MARGIN_SHARE * lim)
        l->verdict = VERDICT_MARGINAL;
    sustained_tail(s, r, c, l);
}

/* A job longer than the run: the PSU's window maxima extrapolated to the job
 * (engine.c, end_block: Gumbel fit of 1 s block maxima) against the same limits.
 * An estimate (the median of the job's maximum), so beyond a limit it is
 * MARGINAL ("likely"), never a FAIL the run did not see. */
static void psu_job_maxima(const struct scenario *s, const struct engine_psu_result *pr,
                           struct link *l)
{
    const struct scn_psu *sp = &s->psus[l->index];
    double rating = sp->params.rating_w, worst = -1;
    int wk = -2;
    for (int k = -1; k < ENGINE_N_WINDOWS; k++) {
        double x = k < 0 ? pr->job_opp_max_w : pr->job_window_max_w[k];
        double lim = k < 0 ? sp->opp_frac * rating
                           : k == ENGINE_N_WINDOWS - 1 ? rating : pr->window_limit_w[k];
        if (!isfinite(x) || !isfinite(lim)) continue;
        if (x / lim > worst) {
            worst = x / lim;
            wk = k;
        }
    }
    if (wk < -1) return;
    char job[32], win[32];
    fmt_duration(job, sizeof job, s->sc.job_s);
    double x = wk < 0 ? pr->job_opp_max_w : pr->job_window_max_w[wk];
    double lim = wk < 0 ? sp->opp_frac * rating
                        : wk == ENGINE_N_WINDOWS - 1 ? rating : pr->window_limit_w[wk];
    if (wk < 0)
        snprintf(win, sizeof win, "OPP %g ms", sp->opp_time_s * 1e3);
    else
        snprintf(win, sizeof win, "%g ms window", engine_windows_s[wk] * 1e3);
    size_t len = strlen(l->figure);
    snprintf(l->figure + len, sizeof l->figure - len, "; %s job extrapolated (%zu 1 s "
             "blocks, Gumbel): %s %.0f W of %.0f W%s", job, pr->evt_blocks, win, x, lim,
             worst > 1 ? ", likely over" : "");
    if (worst > l->used) l->used = worst;
    if (worst > MARGIN_SHARE && l->verdict < VERDICT_MARGINAL) l->verdict = VERDICT_MARGINAL;
}

/* The low-line rating a unit rated above it is taken to keep on a circuit below
 * 180 V when the scenario gives no rating_115v. 1600 W of DC at 90 % (80 PLUS
 * Titanium's 115 V full-load minimum, facts.md 2, S) is 1778 W in, 15.5 A at
 * 115 V: about what a 15 A input carries (NEMA 5-15, C14 under UL: facts.md 1,
 * S). Larger units are built for 200-240 V and many are derated at 100-127 V
 * (SilverStone HELA 2500Rz: 1650 W on 120 V, W: a builder's report, presets).
 * D; an assumption, so it makes a link MARGINAL, never a FAIL. */
static const double LOW_LINE_ASSUMED_W = 1600.0;

/* A unit above LOW_LINE_ASSUMED_W at low line without its rating_115v: its full
 * rating there is not backed, so the run's 1 s maximum (and the job's
 * extrapolated one) is weighed against the assumed low-line rating too. */
static void psu_low_line_unknown(const struct scenario *s, const struct engine_psu_result *pr,
                                 size_t j, double sustained, struct link *l)
{
    const struct scn_psu *sp = &s->psus[j];
    if (!sp->low_line || sp->rating_low_w > 0 || sp->rating_nominal_w <= LOW_LINE_ASSUMED_W)
        return;
    double x = sustained, job = pr->job_window_max_w[ENGINE_N_WINDOWS - 1];
    if (isfinite(job) && job > x) x = job;
    double u = x / LOW_LINE_ASSUMED_W;
    size_t len = strlen(l->figure);
    snprintf(l->figure + len, sizeof l->figure - len, "; low-line rating unknown: %.0f W "
             "is %.0f %% of the %.0f W taken below 180 V (set rating_115v from the "
             "label)", x, 100 * u, LOW_LINE_ASSUMED_W);
    if (u > l->used) l->used = u;
    if (u > MARGIN_SHARE && l->verdict < VERDICT_MARGINAL) l->verdict = VERDICT_MARGINAL;
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
    const char *atx = sp->atx == SCN_ATX_30 ? "ATX 3.0" : sp->atx == SCN_ATX_31 ? "ATX 3.1"
                                                                               : "no ATX 3.x";
    if (worst >= 0 && worst < ENGINE_N_WINDOWS - 1)
        snprintf(l->limit, sizeof l->limit, "%.0f W rated; tightest: %g ms window %.0f W of "
                 "%.0f W (%s excursion envelope)", rating, engine_windows_s[worst] * 1e3,
                 pr->window_max_w[worst], pr->window_limit_w[worst], atx);
    else if (worst < 0)
        snprintf(l->limit, sizeof l->limit, "%.0f W rated; OPP %.0f %% over %g ms: %.0f W",
                 rating, 100 * sp->opp_frac, sp->opp_time_s * 1e3, pr->opp_max_w);
    else
        snprintf(l->limit, sizeof l->limit, "%.0f W rated%s (%s)", rating,
                 rating < sp->rating_nominal_w ? " at low line (rating_115v)" : "", atx);
    char note[LINK_TEXT_LEN];
    int cut = psu_cut(s, r, j, note, sizeof note);
    if (pr->live_s <= 0) {
        l->used = NAN;
        snprintf(l->figure, sizeof l->figure, "never powered on");
        l->verdict = VERDICT_NA;
        return;
    }
    /* a shutdown of its own (OPP, envelope, drop-out) fails it; losing its input
     * is the circuit's failure, and the PSU is judged until then */
    if (pr->shutdown && pr->shutdown_cause != EV_INPUT_LOST
        && pr->shutdown_cause != EV_BROWNOUT) {
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
    if (!isnan(pr->excursion_time_s)) {
        /* ATX 3.0 design guide table 3-3: inside the envelope the unit must not
         * shut down; outside it nothing is guaranteed (facts.md 2, P) */
        int k = worst >= 0 && worst < ENGINE_N_WINDOWS - 1 ? worst : 0;
        l->verdict = VERDICT_FAIL;
        l->fail_time_s = pr->excursion_time_s;
        snprintf(l->figure, sizeof l->figure, "outside what %s guarantees: %g ms window "
                 "%.0f W > %.0f W (first at %.4g s)", atx, engine_windows_s[k] * 1e3,
                 pr->window_max_w[k], pr->window_limit_w[k], pr->excursion_time_s);
        if (cut) cut_short(l, note);
        return;
    }
    if (used > MARGIN_SHARE) l->verdict = VERDICT_MARGINAL;
    psu_job_maxima(s, pr, l);
    psu_low_line_unknown(s, pr, j, sustained, l);
    double need = HOLDUP_REQUIRED_S[sp->atx];
    if (need > 0 && pr->holdup_s < need) {
        l->verdict = VERDICT_MARGINAL;
        size_t len = strlen(l->figure);
        snprintf(l->figure + len, sizeof l->figure - len, "; hold-up %.1f ms < %.0f ms (%s)",
                 pr->holdup_s * 1e3, need * 1e3, atx);
    }
    if (cut) cut_short(l, note);
}

/* The PSU's inlet or plug against its input current: the run's highest 1 s
 * load decides (FAIL over the rating), its full rating is shown and MARGINAL
 * when it would exceed the inlet (a 2500 W unit at 115 V needs about 23 A; a
 * C20 carries 16 A, 20 A under UL: facts.md 1, S). */
static void judge_inlet(const struct scenario *s, const struct engine_result *r, size_t j,
                        struct link *l)
{
    const struct scn_psu *sp = &s->psus[j];
    const struct engine_psu_result *pr = &r->psus[j];
    double lim = sp->inlet_limit_a;
    static const char *const names[] = { "none", "IEC 60320 C14", "IEC 60320 C20",
                                         "NEMA 5-15", "NEMA 5-20" };
    int ul = strcmp(s->circuits[sp->circuit_index].curve->name, "ul489") == 0;
    *l = (struct link){ LINK_INLET, j, VERDICT_PASS, NAN, pr->input_1s_a / lim, "", "" };
    snprintf(l->figure, sizeof l->figure, "1 s max %.1f A input; %.1f A at its %.0f W rating",
             pr->input_1s_a, pr->input_full_a, sp->params.rating_w);
    snprintf(l->limit, sizeof l->limit, "%.0f A (%s%s)", lim, names[sp->inlet],
             sp->inlet == SCN_INLET_C14 || sp->inlet == SCN_INLET_C20
                 ? (ul ? ", UL rating" : ", IEC rating") : "");
    if (pr->input_1s_a > lim)
        l->verdict = VERDICT_FAIL;
    else if (pr->input_1s_a > MARGIN_SHARE * lim || pr->input_full_a > lim)
        l->verdict = VERDICT_MARGINAL;
    char note[LINK_TEXT_LEN];
    if (pr->live_s <= 0) {
        l->used = NAN;
        l->verdict = VERDICT_NA;
        snprintf(l->figure, sizeof l->figure, "never powered on");
    } else if (psu_cut(s, r, j, note, sizeof note)) {
        cut_short(l, note);
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
    /* a GPU draws while its PSU runs: judged as long as that */
    char note[LINK_TEXT_LEN];
    if (!sl->on_circuit && psu_cut(s, r, sl->target_index, note, sizeof note))
        cut_short(l, note);
}

/* The conductor against its breaker: the breaker must protect the run.
 * NEC 240.4(D) (AWG), IEC 60364-4-43 433.1 In <= Iz with Iz from IEC 60364-5-52
 * (mm2), JP art. 149 table 149-1 (solid wire by diameter); the figures and
 * their sources are scenario.c's wire table. A given wire_ampacity (the run as
 * installed: its method, grouping, ambient) is the Iz in force. A static rule:
 * no margin share (a 16 A breaker on a 16.5 A run complies). */
static void judge_wiring(const struct scenario *s, size_t c, struct link *l)
{
    const struct scn_circuit *sc = &s->circuits[c];
    struct scn_wire_rule w = { SCN_WIRE_IEC, "", 0, 0 };
    int has_gauge = sc->wire_gauge[0] && scenario_wire_rule(sc->wire_gauge, &w) == 0;
    double in = sc->breaker_a;
    *l = (struct link){ LINK_WIRING, c, VERDICT_PASS, NAN, NAN, "", "" };
    snprintf(l->figure, sizeof l->figure, "%s%s on a %g A breaker",
             has_gauge ? w.label : "the run", has_gauge ? " Cu" : "", in);
    if (sc->wire_ampacity_a > 0) {
        double lim = sc->wire_ampacity_a;
        const char *cap = "";
        if (has_gauge && w.code != SCN_WIRE_IEC && w.max_a < lim) {
            lim = w.max_a;    /* the small-conductor caps hold whatever the ampacity */
            cap = w.code == SCN_WIRE_NEC ? ", capped by NEC 240.4(D)" : ", capped by JP art. 149";
        }
        l->used = in / lim;
        snprintf(l->limit, sizeof l->limit, "at most %g A (its ampacity as installed, "
                 "wire_ampacity%s; IEC 60364-4-43 433.1 / NEC 240.4)", lim, cap);
        if (in > lim) l->verdict = VERDICT_FAIL;
        return;
    }
    switch (w.code) {
    case SCN_WIRE_NEC:
        l->used = in / w.max_a;
        snprintf(l->limit, sizeof l->limit, "at most %g A (NEC 240.4(D); ampacity "
                 "adjustment for bundling or heat, NEC 310.15, not judged)", w.max_a);
        if (in > w.max_a) l->verdict = VERDICT_FAIL;
        return;
    case SCN_WIRE_JP: {
        int fuse = strcmp(sc->curve->name, "bs1362") == 0;
        double lim = fuse ? w.max_hi_a : w.max_a;
        l->used = in / lim;
        snprintf(l->limit, sizeof l->limit, "at most %g A on a %s (JP Technical Standards "
                 "Interpretation art. 149, table 149-1)", lim, fuse ? "fuse" : "circuit breaker");
        if (in > lim) l->verdict = VERDICT_FAIL;
        return;
    }
    case SCN_WIRE_IEC:
        l->used = in / w.max_a;
        if (in <= w.max_a) {
            snprintf(l->limit, sizeof l->limit, "Iz %g A in any common method (A1, in a "
                     "thermally insulated wall, to C; IEC 60364-5-52 B.52.2, PVC, 30 C; "
                     "In <= Iz, IEC 60364-4-43 433.1)", w.max_a);
        } else if (in <= w.max_hi_a) {
            l->verdict = VERDICT_MARGINAL;
            snprintf(l->limit, sizeof l->limit, "Iz %g A clipped direct (method C) but %g A in "
                     "a thermally insulated wall (A1; IEC 60364-5-52 B.52.2): give "
                     "wire_ampacity for the run as installed (IEC 60364-4-43 433.1)",
                     w.max_hi_a, w.max_a);
        } else {
            l->verdict = VERDICT_FAIL;
            l->used = in / w.max_hi_a;
            snprintf(l->limit, sizeof l->limit, "Iz at most %g A even clipped direct "
                     "(method C, IEC 60364-5-52 B.52.2, PVC, 30 C); In <= Iz (IEC 60364-4-43 "
                     "433.1)", w.max_hi_a);
        }
        return;
    }
}

/* The rig's standing earth leakage against the circuit's residual-current
 * device: an RCD may trip anywhere from 0.5 to 1.0 of its rated residual
 * current (IEC 61008-1 / 61009-1), a UL 943 class A GFCI from 4 mA (facts.md 1,
 * S), so the sum must stay below the non-trip bound. Each PSU counts with its
 * `leakage` (3.5 mA, the IEC 62368-1 bound datasheets quote, unless given), each
 * AC load with its own times its count. Switching-on surges through the Y
 * capacitors are not modelled (no data). */
static void judge_rcd(const struct scenario *s, size_t c, struct link *l)
{
    const struct scn_circuit *sc = &s->circuits[c];
    double sum = 0;
    size_t n_psu = 0, n_dflt = 0;
    for (size_t j = 0; j < s->n_psus; j++) {
        if (s->psus[j].circuit_index != c) continue;
        sum += s->psus[j].leakage_a;
        n_psu++;
        if (s->psus[j].leakage_a == 3.5e-3) n_dflt++;   /* the default's value */
    }
    for (size_t i = 0; i < s->n_loads; i++)
        if (s->loads[i].on_circuit && s->loads[i].target_index == c)
            sum += s->loads[i].leakage_a * s->loads[i].count;
    double lim = sc->rcd_gfci ? 4e-3 : 0.5 * sc->rcd_a;
    *l = (struct link){ LINK_RCD, c, VERDICT_PASS, NAN, sum / lim, "", "" };
    char dflt[64] = "";
    if (n_dflt)
        snprintf(dflt, sizeof dflt, ", %zu at the 3.5 mA IEC 62368-1 bound", n_dflt);
    snprintf(l->figure, sizeof l->figure, "earth leakage %.2f mA (%zu PSU%s%s)", sum * 1e3,
             n_psu, n_psu == 1 ? "" : "s", dflt);
    if (sc->rcd_gfci)
        snprintf(l->limit, sizeof l->limit, "below 4 mA (a UL 943 class A GFCI trips at 4-6 mA)");
    else
        snprintf(l->limit, sizeof l->limit, "below %.1f mA (half the %g mA rated residual "
                 "current: IEC 61008-1 / 61009-1 allow a trip from there)", lim * 1e3,
                 sc->rcd_a * 1e3);
    if (sum >= lim)
        l->verdict = VERDICT_FAIL;
    else if (sum > MARGIN_SHARE * lim)
        l->verdict = VERDICT_MARGINAL;
}

/* ==================================================================== UPS == */

double verdict_ups_runtime_s(const struct scenario *s, const struct engine_result *r, size_t u)
{
    return ups_runtime(&s->upses[u].battery, s->upses[u].rating_w, r->ups[u].mean_out_w);
}

/* 1 if U's overload curve is the key table's default (scenario.c: 101 %: 0.5 s). */
static int was_ups_default(const struct scn_ups *u)
{
    return u->overload.n == 1 && u->overload.load[0] == 1.01 && u->overload.time_s[0] == 0.5;
}

/* An active-PFC input (PF 0.9 or more; without PFC 0.55-0.65, facts.md 2) can
 * take a stepped (simulated sine) output for a fault and drop the load or
 * overload the UPS on a transfer: Schneider Electric FAQ FA317011 on Smart-UPS
 * SC (P, maker), a user's Back-UPS BX1300LCD with an Antec EarthWatts (dougv.com
 * 2010, W). */
int verdict_ups_waveform_warning(const struct scenario *s, size_t u, char *buf, size_t n)
{
    if (s->upses[u].waveform != UPS_STEPPED) return 0;
    size_t len = 0, found = 0;
    buf[0] = '\0';
    for (size_t j = 0; j < s->n_psus; j++) {
        const struct scn_psu *p = &s->psus[j];
        const struct psu_curve *pf = &p->params.pf;
        if (p->ups_index != (long)u || pf->n == 0 || pf->value[pf->n - 1] < 0.9) continue;
        int w = snprintf(buf + len, n > len ? n - len : 0, "%s%s", found++ ? ", " : "", p->name);
        if (w > 0) len += (size_t)w;
    }
    if (!found) return 0;
    char list[160];
    text_copy(list, sizeof list, buf);
    snprintf(buf, n, "ups %s gives a stepped (simulated sine) output on battery; active-PFC "
             "PSU%s %s may drop out or overload it on a transfer (Schneider Electric FAQ "
             "FA317011): choose a sine-output UPS", s->upses[u].name, found > 1 ? "s" : "", list);
    return 1;
}

/* "105 %: 10 min, 125 %: 30 s" into BUF. */
static void fmt_overload(const struct ups_curve *c, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < c->n && len < n; k++) {
        char t[48];
        fmt_time(t, sizeof t, c->time_s[k]);
        int w = snprintf(buf + len, n - len, "%s>= %.0f %% %s", k ? ", " : "",
                         100 * c->load[k], t);
        if (w < 0) break;
        len += (size_t)w;
    }
}

/* UPS U: its load against its VA and W ratings and its overload curve (ups.h),
 * its shutdown (overload or battery empty: its PSUs lose their input), and its
 * transfer against each of its PSUs' hold-up (at the PSU's highest 1 s load,
 * engine.h): a PSU that cannot bridge the transfer drops out on a mains
 * failure, so the UPS does not do its job (FAIL, judged over the run). */
static void judge_ups(const struct scenario *s, const struct engine_result *r, size_t u,
                      struct link *l)
{
    const struct scn_ups *su = &s->upses[u];
    const struct engine_ups_result *ur = &r->ups[u];
    char curve[160], src[160], t[48];
    fmt_overload(&su->overload, curve, sizeof curve);
    if (su->preset[0])
        snprintf(src, sizeof src, "preset %s: sources in its preset file", su->preset);
    else
        snprintf(src, sizeof src, "%s", was_ups_default(su) ? "unknown: psusim's default" : "as given");
    *l = (struct link){ LINK_UPS, u, VERDICT_PASS, NAN, ur->peak_load, "", "" };
    int len = snprintf(l->figure, sizeof l->figure, "load peak %.0f %% (%.0f W, %.0f VA), mean "
                       "%.0f %%", 100 * ur->peak_load, ur->peak_out_w, ur->peak_out_va,
                       100 * ur->mean_load);
    snprintf(l->limit, sizeof l->limit, "%.0f VA / %.0f W %s; overload %.100s (%.70s)",
             su->rating_va, su->rating_w, ups_topology_name(su->topology), curve, src);
    size_t at = len > 0 ? (size_t)len : 0;
    if (ur->shutdown) {
        fmt_time(t, sizeof t, ur->shutdown_time_s);
        l->verdict = VERDICT_FAIL;
        l->fail_time_s = ur->shutdown_time_s;
        if (ur->shutdown_overload)
            snprintf(l->figure + at, sizeof l->figure - at, "; overload: shuts down at %s "
                     "(above 100 %% from %.4g s)", t, ur->first_over_s);
        else
            snprintf(l->figure + at, sizeof l->figure - at, "; on battery from %.4g s, "
                     "battery empty at %s", ur->battery_time_s, t);
        return;
    }
    if (ur->peak_load > 1.0) {
        /* above its rating (its overload alarm) but not long enough to shut down */
        l->verdict = VERDICT_MARGINAL;
        l->used = fmax(ur->peak_load, ur->max_overload);
        snprintf(l->figure + at, sizeof l->figure - at, "; above 100 %% for %.3g s (alarm), "
                 "overload integral %.0f %% of shutdown", ur->over_s, 100 * ur->max_overload);
    } else if (ur->peak_load > MARGIN_SHARE) {
        l->verdict = VERDICT_MARGINAL;
    }
    /* the transfer against each PSU's hold-up (ATX 3.0: > 16 ms at full load,
     * facts.md 2, P) */
    for (size_t j = 0; j < s->n_psus; j++) {
        if (s->psus[j].ups_index != (long)u || !(r->psus[j].holdup_s < su->transfer_s)) continue;
        size_t n = strlen(l->figure);
        snprintf(l->figure + n, sizeof l->figure - n, "; psu %s's hold-up %.1f ms < its "
                 "%.0f ms transfer: drops out on a mains failure", s->psus[j].name,
                 r->psus[j].holdup_s * 1e3, su->transfer_s * 1e3);
        l->verdict = VERDICT_FAIL;
    }
    if (ur->on_battery) {
        size_t n = strlen(l->figure);
        snprintf(l->figure + n, sizeof l->figure - n, "; on battery from %.4g s, %.0f %% of "
                 "it used", ur->battery_time_s, 100 * ur->battery_used);
    }
}

/* A power strip, PDU or extension lead (issue 18, 2): its marked rating, and
 * its fuse or breaker, against the current of the PSUs plugged into it.
 *
 * Current. A strip that carries everything on its circuit carries the
 * circuit's current, one with every PSU and no AC load the rig's share; the
 * engine gives each one's highest RMS over the sustained window (sustained_a,
 * sustained_rig_a, as the continuous and cord-and-plug rules take them).
 * Otherwise the engine has no per-strip current, and both figures are the sum
 * of its PSUs' input currents at their highest 1 s load (input_1s_a) and its
 * AC loads' highest 1 s draw over their power factor, at the circuit's source
 * voltage: an upper bound, reached when they peak together.
 *
 * Rating. UL 1363 1.1: relocatable power taps are rated 250 V, 20 A or less,
 * for use at their rating (S: UL White Book XBYS); a BS 1363 extension lead is
 * 13 A (S); the strip's marking is the limit, carried continuously: FAIL when
 * the sustained RMS exceeds it, MARGINAL above 90 % of it or when its 1 s peak
 * exceeds it (a brief overload: no clause sets a time for it).
 *
 * Fuse or breaker: the breaker model's closed form (breaker_trip_time, the
 * two-body thermal element; no magnetic element) with the family's tolerance
 * band: a BS 1362 fuse (bs1362), or the strip's own breaker by its `curve`
 * (UL 489 by default: UL 1363 28.5 tests a strip at 200 % of its breaker for
 * 2 min, UL 489's 200 % point; a UL 1077 supplementary protector has no curve
 * of its own in facts.md, U). The sustained current held from cold for the
 * job: the nominal curve tripping is a FAIL at that time, only the fast edge a
 * MARGINAL; and the 1 s peak from the heat the sustained current settles at:
 * a trip within 1 s likewise. The engine does not open the strip: the PSUs
 * behind a strip that fails are simulated as if it held, so the links after
 * its trip time are the rig's as it would run without it. */
static void judge_strip(const struct scenario *s, const struct engine_result *r, size_t k,
                        struct link *l)
{
    const struct scn_strip *t = &s->strips[k];
    size_t c = t->circuit_index, psus_on = 0, loads_on = 0;
    const struct engine_circuit_result *cr = &r->circuits[c];
    double peak = 0;
    for (size_t j = 0; j < s->n_psus; j++) {
        if (s->psus[j].circuit_index != c) continue;
        psus_on++;
        if (s->psus[j].strip_index == (long)k) peak += r->psus[j].input_1s_a;
    }
    /* an AC load's highest 1 s draw, as apparent power at the source voltage */
    for (size_t i = 0; i < s->n_loads; i++) {
        const struct scn_load *sl = &s->loads[i];
        if (!sl->on_circuit || sl->target_index != c) continue;
        loads_on++;
        if (sl->strip_index == (long)k)
            peak += r->loads[i].window_max_w[ENGINE_N_LOAD_WINDOWS - 1] / sl->pf
                    / s->circuits[c].source_v;
    }
    int rig = t->n_psus == psus_on && t->n_loads == 0;
    int all = t->n_psus == psus_on && t->n_loads == loads_on;
    double sus = all ? cr->sustained_a : rig ? cr->sustained_rig_a : peak;
    char win[96];
    fmt_window(win, sizeof win, s, cr);
    *l = (struct link){ LINK_STRIP, k, VERDICT_PASS, NAN, sus / t->rating_a, "", "" };
    if (all || rig)
        snprintf(l->figure, sizeof l->figure, "%s %.2f A (%s), 1 s max %.2f A summed",
                 all && loads_on ? "circuit" : "rig", sus, win, peak);
    else
        snprintf(l->figure, sizeof l->figure, "1 s max %.2f A summed over its %zu PSU(s) and "
                 "%zu AC load(s) (a bound: not all of the circuit is on it)", peak, t->n_psus,
                 t->n_loads);
    int n = snprintf(l->limit, sizeof l->limit, "%g A marked rating (UL 1363 1.1: 20 A or "
                     "less; BS 1363 leads 13 A)", t->rating_a);
    if (sus > t->rating_a)
        l->verdict = VERDICT_FAIL;
    else if (sus > MARGIN_SHARE * t->rating_a || peak > t->rating_a)
        l->verdict = VERDICT_MARGINAL;

    double in = t->fuse_a > 0 ? t->fuse_a : t->breaker_a;
    const struct breaker_family *f = t->fuse_a > 0 ? breaker_family_find("bs1362") : t->curve;
    if (in > 0 && f) {
        double job = s->sc.job_s > r->simulated_s ? s->sc.job_s : r->simulated_s;
        double when[2] = { NAN, NAN };       /* fast, nominal: trip time, s */
        int peak_trip[2] = { 0, 0 };
        for (int e = 0; e < 2; e++) {
            enum breaker_edge edge = e ? BREAKER_NOMINAL : BREAKER_FAST;
            double tt = breaker_trip_time(f, edge, in, sus, 0.0);
            if (tt <= job) when[e] = tt;
            /* the 1 s peak from the heat the sustained current settles at */
            const struct breaker_curve *cv = breaker_curve_for(f, edge, in);
            double it = cv->it_multiple * in, h0 = (sus / it) * (sus / it);
            peak_trip[e] = h0 < 1.0 && breaker_trip_time(f, edge, in, peak, h0) < 1.0;
        }
        /* the device's rating is carried continuously, as the circuit's own
         * (scenario.c, continuous_defaults: BS 1362 and IEC 60898-1 In; UL 489
         * 100 % at 40 C): above it is a FAIL whatever the curve says */
        if (sus / in > l->used) l->used = sus / in;
        if (sus > in)
            l->verdict = VERDICT_FAIL;
        else if (sus > MARGIN_SHARE * in && l->verdict < VERDICT_MARGINAL)
            l->verdict = VERDICT_MARGINAL;
        char tb[48] = "";
        const char *dev = t->fuse_a > 0 ? "fuse" : "breaker";
        if (!isnan(when[1]) || peak_trip[1]) {
            l->verdict = VERDICT_FAIL;
            if (!isnan(when[1])) l->fail_time_s = when[1];
        } else if ((!isnan(when[0]) || peak_trip[0]) && l->verdict < VERDICT_MARGINAL) {
            l->verdict = VERDICT_MARGINAL;
        }
        if (!isnan(when[1]) || !isnan(when[0]))
            fmt_time(tb, sizeof tb, !isnan(when[1]) ? when[1] : when[0]);
        const char *what = !isnan(when[1]) ? "trips (nominal) after "
                           : !isnan(when[0]) ? "trips at its fast edge after "
                           : peak_trip[1] ? "trips (nominal) within 1 s of its peak"
                           : peak_trip[0] ? "trips at its fast edge within 1 s of its peak"
                           : "its curve holds";
        /* a limit text longer than the link's buffer is cut (its end is the
         * trip time: 200 characters hold every case) */
        if (n > 0 && (size_t)n < sizeof l->limit
            && snprintf(l->limit + n, sizeof l->limit - (size_t)n, "; its %g A %s (%s%s, "
                        "its rating continuous): %s%s", in, dev, f->standard,
                        t->fuse_a > 0 ? ", in its BS 1363 plug" : " curve", what, tb)
                   >= (int)(sizeof l->limit - (size_t)n))
            l->limit[sizeof l->limit - 2] = '~';
    }
    sustained_tail(s, r, c, l);
}

/* A panel's sustained figure judged for JUDGED_S, less than a window: as
 * sustained_tail, a window holding it has an RMS of at least the judged one x
 * sqrt(T / W); above the limit (USED, figure / limit) even so, a FAIL stands
 * where the rule applies (RULE); else the figure is no sustained figure and the
 * link is n/a. A trip (a FAIL with its time) is judged before and kept. */
static void partial_window(const struct scenario *s, double judged_s, double used, int rule,
                           struct link *l)
{
    double w = s->sc.sustained_window_s;
    if (!(judged_s + 1e-9 < w) || !isnan(l->fail_time_s)) return;
    double lb = used * sqrt(judged_s / w);
    if (rule && l->verdict == VERDICT_FAIL && isfinite(lb) && lb > 1.0) return;
    l->verdict = VERDICT_NA;
}

/* Panel P's line K (verdict.h: LINK_PANEL): the main on that line against the
 * line's current (engine.c, panels: the sum of its circuits' currents). As a
 * circuit's breaker: its simulated edge opening is a FAIL at that time, a
 * faster edge's a MARGINAL. As a strip's device for the job: the line's
 * sustained current held from cold (breaker_trip_time) tripping the nominal
 * curve within the job is a FAIL, the fast edge a MARGINAL. The continuous
 * rule of the panel (NEC 215.3/230.42(A)(1) 80 % for a US main; IEC: In) on the
 * sustained current: above it a FAIL for a continuous job (3 h or more, NEC
 * art. 100), else a MARGINAL. Judged while the line is live and every circuit
 * on it intact. */
static void judge_panel(const struct scenario *s, const struct engine_result *r, size_t p,
                        int k, struct link *l)
{
    const struct scn_panel *sp = &s->panels[p];
    const struct engine_panel_result *pr = &r->panels[p];
    const struct engine_panel_line *pl = &pr->line[k];
    const struct breaker_family *f = sp->curve;
    int sel = sp->tolerance, fuse = f->model == BREAKER_MODEL_FUSE;
    double in = sp->main_a, cont = sp->continuous_frac * in, sus = pl->sustained_a;
    double job = s->sc.job_s > r->simulated_s ? s->sc.job_s : r->simulated_s;
    int continuous = s->sc.job_s >= CONTINUOUS_JOB_S;
    const char *line = scenario_phase_name(k);
    double used = sus / cont > pl->max_heat ? sus / cont : pl->max_heat;
    *l = (struct link){ LINK_PANEL, 4 * p + (size_t)k, VERDICT_PASS, NAN, used, "", "" };
    char win[48], when[48] = "";
    fmt_duration(win, sizeof win, pl->sustained_window_s);
    snprintf(l->figure, sizeof l->figure, "%s sustained %.2f A (RMS over %s), peak %.2f A, "
             "mean %.2f A; %s %.0f %%", line, sus, win, pl->peak_a, pl->mean_a,
             fuse ? "fuse" : "heat", 100 * pl->max_heat);
    double tt[2];
    for (int e = 0; e < 2; e++)
        tt[e] = breaker_trip_time(f, e ? BREAKER_NOMINAL : BREAKER_FAST, in, sus, 0.0);
    if (tt[1] <= job || tt[0] <= job) fmt_time(when, sizeof when, tt[1] <= job ? tt[1] : tt[0]);
    int n = snprintf(l->limit, sizeof l->limit, "main %g A %s (%s edge); continuous %.1f A "
                     "(%.0f %%, %.60s); the sustained current held: %s%s", in, f->standard,
                     breaker_edge_name((enum breaker_edge)sel), cont,
                     100 * sp->continuous_frac, sp->continuous_rule,
                     tt[1] <= job ? "trips (nominal) after " : tt[0] <= job
                                  ? "trips at its fast edge after " : "holds for the job",
                     when);
    if (n < 0 || (size_t)n >= sizeof l->limit) l->limit[sizeof l->limit - 2] = '~';
    if (pl->trip != BREAKER_CLOSED) {
        l->verdict = VERDICT_FAIL;
        l->fail_time_s = pl->trip_time_s;
        l->used = fmax(l->used, 1.0);
        snprintf(l->figure, sizeof l->figure, "%s: the main %s at %.4g s (%.2f A peak before)",
                 line, fuse ? "blows" : pl->trip == BREAKER_MAGNETIC ? "trips (magnetic)"
                                                                    : "trips (thermal)",
                 pl->trip_time_s, pl->peak_a);
        return;
    }
    if (pl->judged_s <= 0) {
        l->used = NAN;
        l->verdict = VERDICT_NA;
        snprintf(l->figure, sizeof l->figure, "%s not judged: its circuits never ran intact",
                 line);
        return;
    }
    if (tt[1] <= job) {
        l->verdict = VERDICT_FAIL;
        l->fail_time_s = tt[1];
    } else if (sus > cont) {
        char jt[32];
        fmt_duration(jt, sizeof jt, s->sc.job_s);
        l->verdict = continuous ? VERDICT_FAIL : VERDICT_MARGINAL;
        size_t len = strlen(l->figure);
        snprintf(l->figure + len, sizeof l->figure - len, "; above the continuous limit for "
                 "the %s job%s", jt, continuous ? " (3 h or more: continuous, NEC art. 100)"
                                               : " (< 3 h: advice only)");
    } else if (tt[0] <= job || used > MARGIN_SHARE) {
        l->verdict = VERDICT_MARGINAL;
    }
    for (int e = 0; e < sel; e++)
        if (pl->edge_trip[e] != BREAKER_CLOSED && l->verdict < VERDICT_MARGINAL)
            l->verdict = VERDICT_MARGINAL;
    if (!isnan(pl->judged_end_s)) {
        /* a circuit on the line stopped: the first one's reason */
        char note[LINK_TEXT_LEN] = "", t[48];
        for (size_t c = 0; c < s->n_circuits && !note[0]; c++) {
            int lines[2], m;
            scenario_phase_lines(s->circuits[c].phase, lines, &m);
            if (s->circuits[c].panel_index == (long)p && (lines[0] == k || lines[1] == k)
                && circuit_cut(s, r, c, note, sizeof note))
                break;
        }
        if (!note[0]) {
            fmt_time(t, sizeof t, pl->judged_end_s);
            snprintf(note, sizeof note, "not judged after %s", t);
        }
        cut_short(l, note);
        partial_window(s, pl->judged_s, sus / cont, continuous, l);
    }
}

/* Panel P's neutral (split-phase, three-phase): its sustained current (engine.c,
 * panels: |I_L1 - I_L2| of the 120 V circuits on split-phase; the three
 * phasors' sum at unity power factor on three-phase) against its rating (given,
 * or the main's: a full-size neutral). */
static void judge_neutral(const struct scenario *s, const struct engine_result *r, size_t p,
                          struct link *l)
{
    const struct scn_panel *sp = &s->panels[p];
    const struct engine_panel_result *pr = &r->panels[p];
    double sus = pr->neutral_sustained_a;
    char win[48];
    fmt_duration(win, sizeof win, pr->sustained_window_s);
    *l = (struct link){ LINK_NEUTRAL, p, VERDICT_PASS, NAN, sus / sp->neutral_a, "", "" };
    snprintf(l->figure, sizeof l->figure, "sustained %.2f A (RMS over %s), peak %.2f A, "
             "mean %.2f A", sus, win, pr->neutral_peak_a, pr->neutral_mean_a);
    snprintf(l->limit, sizeof l->limit, "%g A neutral (%s); I_N = %s", sp->neutral_a,
             sp->neutral_given ? "its rating" : "full size: the main's",
             sp->system == SCN_SYS_SPLIT ? "|I_L1 - I_L2| of the 120 V circuits"
                                         : "the 120-degree phasor sum at unity PF "
                                           "(IEEE Std 141)");
    if (sus > sp->neutral_a) l->verdict = VERDICT_FAIL;
    else if (sus > MARGIN_SHARE * sp->neutral_a) l->verdict = VERDICT_MARGINAL;
    for (int k = 0; k < pr->n_lines; k++)
        if (!isnan(pr->line[k].judged_end_s)) {
            char t[48], note[LINK_TEXT_LEN];
            double judged = pr->line[k].judged_end_s;
            fmt_time(t, sizeof t, judged);
            snprintf(note, sizeof note, "not judged after %s: line %s stopped being judged", t,
                     scenario_phase_name(k));
            cut_short(l, note);
            partial_window(s, judged, l->used, 1, l);
            break;
        }
}

/* ================================================================= public == */

static int has_wiring(const struct scn_circuit *sc)
{
    return sc->wire_gauge[0] != '\0' || sc->wire_ampacity_a > 0;
}

/* 1 if link L stands behind strip T: a PSU plugged into it, that PSU's inlet,
 * a connector of a load on such a PSU. */
static int behind_strip(const struct scenario *s, const struct link *l, size_t t)
{
    switch (l->kind) {
    case LINK_PSU:
    case LINK_INLET: return s->psus[l->index].strip_index == (long)t;
    case LINK_CONNECTOR: {
        const struct scn_load *sl = &s->loads[l->index];
        return !sl->on_circuit && s->psus[sl->target_index].strip_index == (long)t;
    }
    default: return 0;
    }
}

/* A strip whose fuse or breaker opens within the run (judge_strip: its
 * sustained current from cold) cuts its PSUs off then, but the engine does not
 * open it (it has no current of its own per strip): what stands behind it is
 * judged only until then (a PASS there becomes n/a, a later FAIL too), and a
 * failure of its circuit timed after it is not one the rig would see. */
static void strips_opened(const struct scenario *s, const struct engine_result *r,
                          struct verdict_report *v)
{
    for (size_t i = 0; i < v->n; i++) {
        const struct link *sl = &v->links[i];
        if (sl->kind != LINK_STRIP || sl->verdict != VERDICT_FAIL || !(sl->fail_time_s < r->simulated_s))
            continue;
        const struct scn_strip *t = &s->strips[sl->index];
        char when[48], note[SCN_NAME_LEN + 240];
        fmt_time(when, sizeof when, sl->fail_time_s);
        snprintf(note, sizeof note, "not judged after %.40s: strip %s's %s opens (not "
                 "simulated)", when, t->name, t->fuse_a > 0 ? "fuse" : "breaker");
        for (size_t j = 0; j < v->n; j++) {
            struct link *l = &v->links[j];
            int behind = behind_strip(s, l, sl->index);
            int later = l->kind != LINK_STRIP && verdict_link_circuit(s, l) == (long)t->circuit_index
                        && l->verdict == VERDICT_FAIL && l->fail_time_s > sl->fail_time_s;
            if (!behind && !later) continue;
            cut_short(l, note);
            if (l->verdict == VERDICT_FAIL && l->fail_time_s > sl->fail_time_s) {
                l->verdict = VERDICT_NA;
                l->fail_time_s = NAN;
            }
        }
    }
}

int verdict_judge(const struct scenario *s, const struct engine_result *r,
                  struct verdict_report *out)
{
    out->n = 3 * s->n_circuits + s->n_psus;
    for (size_t c = 0; c < s->n_circuits; c++)
        out->n += (s->circuits[c].outlet_limit_a > 0) + (s->circuits[c].cord_plug_frac > 0)
                  + (s->circuits[c].receptacle_a > 0) + has_wiring(&s->circuits[c])
                  + (s->circuits[c].rcd_a > 0);
    for (size_t i = 0; i < s->n_loads; i++) out->n += s->loads[i].connector_limit_w > 0;
    out->n += s->n_ups;
    for (size_t j = 0; j < s->n_psus; j++) out->n += s->psus[j].inlet_limit_a > 0;
    out->n += s->n_strips;
    for (size_t p = 0; p < s->n_panels; p++)
        out->n += (size_t)scenario_system_lines(s->panels[p].system)
                  + (s->panels[p].system != SCN_SYS_SINGLE);
    out->links = calloc(out->n + 1, sizeof *out->links);
    out->overall = VERDICT_PASS;
    out->first_fail = -1;
    if (!out->links) return -1;
    size_t k = 0;
    for (size_t c = 0; c < s->n_circuits; c++) {
        judge_circuit(s, r, c, &out->links[k++]);
        judge_breaker(s, r, c, &out->links[k++]);
        judge_continuous(s, r, c, &out->links[k++]);
        if (s->circuits[c].cord_plug_frac > 0) judge_cord(s, r, c, &out->links[k++]);
        if (s->circuits[c].receptacle_a > 0) judge_receptacle(s, r, c, &out->links[k++]);
        if (s->circuits[c].outlet_limit_a > 0) judge_outlet(s, r, c, &out->links[k++]);
        if (has_wiring(&s->circuits[c])) judge_wiring(s, c, &out->links[k++]);
        if (s->circuits[c].rcd_a > 0) judge_rcd(s, c, &out->links[k++]);
        for (size_t t = 0; t < s->n_strips; t++)
            if (s->strips[t].circuit_index == c) judge_strip(s, r, t, &out->links[k++]);
    }
    for (size_t p = 0; p < s->n_panels; p++) {
        for (int line = 0; line < scenario_system_lines(s->panels[p].system); line++)
            judge_panel(s, r, p, line, &out->links[k++]);
        if (s->panels[p].system != SCN_SYS_SINGLE) judge_neutral(s, r, p, &out->links[k++]);
    }
    for (size_t u = 0; u < s->n_ups; u++) judge_ups(s, r, u, &out->links[k++]);
    for (size_t j = 0; j < s->n_psus; j++) {
        judge_psu(s, r, j, &out->links[k++]);
        if (s->psus[j].inlet_limit_a > 0) judge_inlet(s, r, j, &out->links[k++]);
    }
    for (size_t i = 0; i < s->n_loads; i++)
        if (s->loads[i].connector_limit_w > 0) judge_connector(s, r, i, &out->links[k++]);
    strips_opened(s, r, out);
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

long verdict_link_circuit(const struct scenario *s, const struct link *l)
{
    if (l->kind == LINK_PSU || l->kind == LINK_INLET || l->kind == LINK_CONNECTOR
        || l->kind == LINK_PANEL || l->kind == LINK_NEUTRAL)
        return -1;
    if (l->kind == LINK_UPS) return (long)s->upses[l->index].circuit_index;
    return l->kind == LINK_STRIP ? (long)s->strips[l->index].circuit_index : (long)l->index;
}

void verdict_report_free(struct verdict_report *v)
{
    if (!v) return;
    free(v->links);
    v->links = NULL;
    v->n = 0;
}

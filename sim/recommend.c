/* recommend.c — see include/recommend.h.
 *
 * The levers of a region come from a table (region_levers), one row a fix that
 * an electrician of that region would offer, with the condition under which it
 * applies and the --set texts that model it on the failing circuit. Sources of
 * each fix's figures are in the row's comment.
 */
#include "recommend.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_interp.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "preset.h"
#include "units.h"
#include "engine.h"
#include "report.h"
#include "verdict.h"

#ifdef _OPENMP
#include <omp.h>
#endif

enum { SET_LEN = 160, LEVER_SETS = 24, TITLE_LEN = 240, MAX_LEVERS = 64, CMD_LEN = 8192 };

/* Standard PSU ratings to pick from (W): common retail sizes. */
static const double STANDARD_RATINGS_W[] = { 450, 550, 650, 750, 850, 1000, 1200, 1300,
                                             1500, 1600, 2000, 2200, 2500, 2800 };
enum { N_RATINGS = sizeof STANDARD_RATINGS_W / sizeof STANDARD_RATINGS_W[0] };

/* A lever: --set texts on top of the user's, on one part. */
struct lever {
    char part[96];                  /* "circuit wall", "psu main", "the GPUs" */
    char title[TITLE_LEN];          /* what to change, in words */
    char sets[LEVER_SETS][SET_LEN];
    size_t n_sets;
    enum link_kind part_kind;       /* the part it is for: LINK_CIRCUIT (any circuit
                                       link), LINK_PSU (PSU and inlet) */
    size_t part_index;
    int whole_rig;                  /* 1: judged on every link (the GPUs' limit) */
    struct sweep_outcome o;         /* the run with it: verdict, worst link */
    enum verdict part_verdict;      /* the worst of its part's links */
    double part_used;               /* the most used of them */
    char rest[512];                 /* other parts' links that do not PASS */
    int pass;                       /* its part's links (the rig's: whole_rig) PASS */
};

/* The state of one call. */
struct ctx {
    const struct recommend_in *in;
    struct sweep_base b;            /* the file, presets and the user's --set */
    size_t done, total;             /* progress */
};

/* ================================================================ helpers == */

char *recommend_shell_quote(char *dst, size_t n, const char *arg)
{
    int plain = arg[0] != '\0';
    for (const char *p = arg; *p; p++)
        if (!(strchr("@%+=:,./-_", *p) || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z')
              || (*p >= 'A' && *p <= 'Z')))
            plain = 0;
    if (n == 0) return dst;
    if (plain) {
        snprintf(dst, n, "%s", arg);
        return dst;
    }
    size_t k = 0;
    if (n < 3) {
        dst[0] = '\0';
        return dst;
    }
    dst[k++] = '\'';
    for (const char *p = arg; *p; p++) {
        const char *piece = *p == '\'' ? "'\\''" : NULL;
        size_t len = piece ? 4 : 1;
        if (k + len + 2 > n) break;   /* room for the closing quote and the NUL */
        if (piece) memcpy(dst + k, piece, len);
        else dst[k] = *p;
        k += len;
    }
    dst[k++] = '\'';
    dst[k] = '\0';
    return dst;
}

/* Appends " ARG" (quoted) to the command CMD (size CMD_LEN). */
static void cmd_add(char *cmd, const char *arg)
{
    char q[2 * SET_LEN + 8];
    size_t len = strlen(cmd);
    snprintf(cmd + len, CMD_LEN - len, " %s", recommend_shell_quote(q, sizeof q, arg));
}

/* The command that reproduces L: the user's --set texts, then the lever's. */
static void lever_command(const struct ctx *x, const struct lever *l, char *cmd)
{
    char q[4096];
    snprintf(cmd, CMD_LEN, "%s run", recommend_shell_quote(q, sizeof q, x->in->prog));
    cmd_add(cmd, x->b.file);
    for (size_t i = 0; i < x->b.n_sets; i++) {
        cmd_add(cmd, "--set");
        cmd_add(cmd, x->b.sets[i]);
    }
    for (size_t i = 0; i < l->n_sets; i++) {
        cmd_add(cmd, "--set");
        cmd_add(cmd, l->sets[i]);
    }
}

/* Adds "KIND.NAME.KEY=VALUE" (or "scenario.KEY=VALUE" when NAME is NULL). */
static void lever_set(struct lever *l, const char *kind, const char *name, const char *key,
                      const char *value)
{
    if (l->n_sets == LEVER_SETS) return;
    if (name)
        snprintf(l->sets[l->n_sets++], SET_LEN, "%s.%s.%s=%s", kind, name, key, value);
    else
        snprintf(l->sets[l->n_sets++], SET_LEN, "%s.%s=%s", kind, key, value);
}

/* 1 if link L belongs to lever V's part. */
static int in_part(const struct scenario *s, const struct lever *v, const struct link *l)
{
    if (v->whole_rig) return 1;
    if (v->part_kind == LINK_PSU)
        return (l->kind == LINK_PSU || l->kind == LINK_INLET) && l->index == v->part_index;
    if (v->part_kind == LINK_PANEL)
        return (l->kind == LINK_PANEL && l->index / 4 == v->part_index)
               || (l->kind == LINK_NEUTRAL && l->index == v->part_index);
    return verdict_link_circuit(s, l) == (long)v->part_index;
}

/* Runs the scenario with the user's and L's sets, in full, and judges L's part:
 * it passes when every link of its part PASSes (a lever fixes its own part; what
 * other parts still lack is said beside it). */
static void evaluate(struct ctx *x, struct lever *l)
{
    const char *sets[256 + LEVER_SETS];
    size_t n = 0;
    for (size_t i = 0; i < x->b.n_sets && n < 256; i++) sets[n++] = x->b.sets[i];
    for (size_t i = 0; i < l->n_sets; i++) sets[n++] = l->sets[i];
    struct scn_options opt = { x->b.preset_dir, sets, n };
    struct scenario *s = NULL;
    struct diag *d = malloc(sizeof *d);
    memset(&l->o, 0, sizeof l->o);
    l->o.verdict = VERDICT_FAIL;
    l->part_verdict = VERDICT_FAIL;
    l->part_used = NAN;
    l->rest[0] = '\0';
    l->pass = 0;
    if (d) {
        diag_init(d);
        scenario_load(x->b.file, &opt, &s, d);
        free(d);
    }
    engine *e = NULL;
    char err[256];
    struct engine_result r;
    struct verdict_report v = { 0 };
    if (s && (e = engine_new(s, err, sizeof err)) != NULL) {
        engine_set_load_windows(e, 0);  /* no answer shows them */
        engine_run(e, NULL, NULL, &r);
        if (verdict_judge(s, &r, &v) == 0) {
            long worst = -1;
            l->o.ok = 1;
            l->o.verdict = v.overall;
            l->part_verdict = VERDICT_PASS;
            l->part_used = 0;
            for (size_t i = 0; i < v.n; i++) {
                const struct link *k = &v.links[i];
                double u = isfinite(k->used) ? k->used : 0;
                char title[96];
                if (u > l->o.worst_used) l->o.worst_used = u;
                if (!in_part(s, l, k)) {
                    if (k->verdict != VERDICT_PASS) {
                        size_t len = strlen(l->rest);
                        snprintf(l->rest + len, sizeof l->rest - len, "%s%s %s",
                                 len ? ", " : "", report_link_title(s, k, title, sizeof title),
                                 verdict_name(k->verdict));
                    }
                    continue;
                }
                if (k->verdict > l->part_verdict) l->part_verdict = k->verdict;
                /* a wiring link's figure is In against the conductor's cap: a
                 * PASS at the cap is compliance, not a load near a limit */
                if (u > l->part_used && k->kind != LINK_WIRING) l->part_used = u;
                if (worst < 0 || k->verdict > v.links[worst].verdict
                    || (k->verdict == v.links[worst].verdict
                        && u > (isfinite(v.links[worst].used) ? v.links[worst].used : 0)))
                    worst = (long)i;
            }
            if (worst >= 0) {
                const struct link *k = &v.links[worst];
                char title[96];
                snprintf(l->o.worst, sizeof l->o.worst, isfinite(k->used) ? "%s %s at %.0f %%"
                         : "%s %s", report_link_title(s, k, title, sizeof title),
                         verdict_name(k->verdict), 100 * k->used);
            }
            l->pass = l->part_verdict == VERDICT_PASS;
        }
        verdict_report_free(&v);
    }
    engine_free(e);
    scenario_free(s);
#ifdef _OPENMP
#pragma omp critical(recommend_progress)
#endif
    {
        x->done++;
        if (x->in->progress) {
#ifdef _OPENMP
            if (omp_get_thread_num() == 0)
#endif
                x->in->progress(x->in->user, x->done, x->done > x->total ? x->done : x->total);
        }
    }
}

/* ======================================================= circuit levers == */

/* A fix of a region on a failing circuit. APPLIES says whether it can help
 * (NULL: always); ADD writes its --set texts. */
struct region_lever {
    const char *regions;            /* " us ca " */
    int unless_prev;                /* 1: told only when the row before fails */
    const char *title;
    int (*applies)(const struct scenario *s, size_t c);
    void (*add)(const struct scenario *s, size_t c, struct lever *l);
};

/* AC loads beside the rig on circuit C (a heater, a monitor). */
static size_t others_on(const struct scenario *s, size_t c)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n_loads; i++)
        n += s->loads[i].on_circuit && s->loads[i].target_index == c;
    return n;
}

/* Everything else off circuit C: each AC load there draws nothing. */
static void add_alone(const struct scenario *s, size_t c, struct lever *l)
{
    for (size_t i = 0; i < s->n_loads; i++)
        if (s->loads[i].on_circuit && s->loads[i].target_index == c)
            lever_set(l, "load", s->loads[i].name, "power", "0W");
}

static int low_voltage(const struct scenario *s, size_t c)
{
    return s->circuits[c].voltage_v < 200;
}

static int us_below_20a(const struct scenario *s, size_t c)
{
    return low_voltage(s, c) && s->circuits[c].breaker_a < 20;
}

/* NEC 240.4(D): 12 AWG copper for 20 A (facts.md 1, S); a 20 A receptacle where
 * the circuit names one (NEC Table 210.21(B)(3), S). */
static void us_20a(const struct scenario *s, size_t c, struct lever *l)
{
    const struct scn_circuit *sc = &s->circuits[c];
    lever_set(l, "circuit", sc->name, "breaker", "20A");
    if (sc->wire_gauge[0]) lever_set(l, "circuit", sc->name, "wire_gauge", "12 AWG");
    if (sc->wire_ampacity_a > 0) lever_set(l, "circuit", sc->name, "wire_ampacity", "20A");
    if (sc->receptacle_a > 0) lever_set(l, "circuit", sc->name, "receptacle", "20A");
}

static int us_dedicated_applies(const struct scenario *s, size_t c)
{
    return s->circuits[c].cord_plug_frac > 0 || others_on(s, c) > 0;
}

/* An individual branch circuit with one receptacle: NEC 210.23(A)(1) speaks of
 * circuits of two or more outlets, and 210.21(B)(1) asks the single receptacle
 * to be rated at least as the circuit (facts.md 1, S). */
static void us_dedicated(const struct scenario *s, size_t c, struct lever *l)
{
    const struct scn_circuit *sc = &s->circuits[c];
    char amps[32];
    lever_set(l, "circuit", sc->name, "cord_and_plug_limit", "0%");
    if (sc->receptacle_a > 0 && sc->receptacle_a < sc->breaker_a) {
        snprintf(amps, sizeof amps, "%gA", sc->breaker_a);
        lever_set(l, "circuit", sc->name, "receptacle", amps);
    }
    add_alone(s, c, l);
}

/* 240 V line to line, the US band +/-5 % (facts.md 1, S): a NEMA 6-15/6-20
 * receptacle on the same breaker. */
static void us_240v(const struct scenario *s, size_t c, struct lever *l)
{
    const char *n = s->circuits[c].name;
    lever_set(l, "circuit", n, "voltage", "240V");
    lever_set(l, "circuit", n, "supply_low", "228V");
    lever_set(l, "circuit", n, "supply_high", "252V");
    if (s->circuits[c].receptacle_a > 0) {
        char amps[32];
        snprintf(amps, sizeof amps, "%gA", s->circuits[c].breaker_a);
        lever_set(l, "circuit", n, "receptacle", amps);
    }
}

static void us_240v_20a(const struct scenario *s, size_t c, struct lever *l)
{
    us_240v(s, c, l);
    us_20a(s, c, l);
}

static int has_others(const struct scenario *s, size_t c)
{
    return others_on(s, c) > 0;
}

static void alone(const struct scenario *s, size_t c, struct lever *l)
{
    add_alone(s, c, l);
}

static int below_full_continuous(const struct scenario *s, size_t c)
{
    return s->circuits[c].continuous_a < s->circuits[c].breaker_a;
}

/* An IEC 60309 ("CEE", blue) 16 A socket, or a fixed connection, instead of a
 * Schuko socket: the planners' 10 A continuous advice is about Schuko sockets
 * (facts.md 1, S); the breaker's 16 A stay the limit (W: IEC 60309 sockets are
 * rated for their current without a continuous derating). */
static void eu_cee(const struct scenario *s, size_t c, struct lever *l)
{
    const char *n = s->circuits[c].name;
    lever_set(l, "circuit", n, "continuous_limit", "100%");
    lever_set(l, "circuit", n, "continuous_rule",
              "IEC 60309 16 A socket or fixed connection: the breaker rating (W)");
    add_alone(s, c, l);
}

/* A radial circuit on an IEC 60898-1 type B MCB with an IEC 60309 socket
 * instead of a 13 A BS 1363 plug and its BS 1362 fuse (BS 7671 radial final
 * circuits of 20 A and 32 A, W: the regulations are not in facts.md). */
static void uk_radial(const struct scenario *s, size_t c, struct lever *l, const char *amps)
{
    const char *n = s->circuits[c].name;
    lever_set(l, "circuit", n, "curve", "iec-b");
    lever_set(l, "circuit", n, "breaker", amps);
    lever_set(l, "circuit", n, "continuous_limit", "100%");
    lever_set(l, "circuit", n, "continuous_rule",
              "a radial with an IEC 60309 socket: the MCB's rating (W)");
    lever_set(l, "circuit", n, "outlet_limit", strcmp(amps, "20A") == 0 ? "16A" : "32A");
    add_alone(s, c, l);
}

static int uk_fused(const struct scenario *s, size_t c)
{
    return strcmp(s->circuits[c].curve->name, "bs1362") == 0;
}

static void uk_radial_20(const struct scenario *s, size_t c, struct lever *l)
{
    uk_radial(s, c, l, "20A");
}

static void uk_radial_32(const struct scenario *s, size_t c, struct lever *l)
{
    uk_radial(s, c, l, "32A");
}

static int jp_outlet_below_20(const struct scenario *s, size_t c)
{
    return s->circuits[c].outlet_limit_a > 0 && s->circuits[c].outlet_limit_a < 20;
}

/* A 20 A receptacle (JIS C 8303) on the 20 A branch: the 15 A per outlet is
 * the common 15 A receptacle's rating (facts.md 1, P: TEPCO). */
static void jp_20a(const struct scenario *s, size_t c, struct lever *l)
{
    lever_set(l, "circuit", s->circuits[c].name, "outlet_limit", "20A");
}

/* A single-phase 200 V outlet (202 +/- 20 V, Japan's statutory band for 200 V
 * supply, W: the Electricity Business Act ordinance, not in facts.md). */
static void jp_200v(const struct scenario *s, size_t c, struct lever *l)
{
    const char *n = s->circuits[c].name;
    lever_set(l, "circuit", n, "voltage", "200V");
    lever_set(l, "circuit", n, "supply_low", "182V");
    lever_set(l, "circuit", n, "supply_high", "222V");
    lever_set(l, "circuit", n, "outlet_limit", "20A");
}

static const struct region_lever region_levers[] = {
    { " us ca ", 0, "a 20 A circuit (12 AWG copper, a 20 A receptacle): NEC 240.4(D)",
      us_below_20a, us_20a },
    { " us ca ", 0, "a dedicated circuit (one receptacle, nothing else on it): NEC 210.23(A)(1) "
      "then does not apply", us_dedicated_applies, us_dedicated },
    { " us ca ", 0, "240 V (a NEMA 6-15/6-20 receptacle, same breaker)", low_voltage, us_240v },
    { " us ca ", 1, "240 V on a 20 A circuit (NEMA 6-20, 12 AWG)", us_below_20a, us_240v_20a },
    { " de eu fr it ch nordic au ", 0, "a circuit of its own (nothing else on it)", has_others,
      alone },
    { " de eu fr it ch nordic ", 0, "an IEC 60309 (CEE, blue) 16 A socket or a fixed connection instead of "
      "Schuko: the 10 A Schuko advice no longer applies", below_full_continuous, eu_cee },
    { " uk ie ", 0, "a 20 A radial (B20 MCB) with an IEC 60309 16 A socket instead of the 13 A plug",
      uk_fused, uk_radial_20 },
    { " uk ie ", 1, "a 32 A radial (B32 MCB, 4 mm2) with an IEC 60309 32 A socket", uk_fused,
      uk_radial_32 },
    { " jp ", 0, "a 20 A outlet (a JIS C 8303 20 A receptacle) on the 20 A branch",
      jp_outlet_below_20, jp_20a },
    { " jp ", 0, "200 V (a single-phase 200 V 20 A outlet)", low_voltage, jp_200v },
};

/* ============================================================= the parts == */

/* Which circuits and PSUs have a link that does not PASS. */
struct failing {
    unsigned char *circuit, *psu;
    int gpu;                        /* a GPU connector link */
    int early_trip;                 /* a breaker FAILed within 1 s: power-on */
    unsigned char *panel;           /* a panel's line or neutral does not PASS */
    double *line_a;                 /* each panel line's sustained current (4 a
                                       panel: L1..L3), A */
    double *circuit_a;              /* each circuit's sustained current, A */
    char names[1024];               /* "continuous load wall, cord-and-plug wall" */
};

static int circuit_link(enum link_kind k)
{
    return k != LINK_PSU && k != LINK_INLET && k != LINK_CONNECTOR && k != LINK_PANEL
           && k != LINK_NEUTRAL;
}

/* Runs S as it is (in full: its figures are printed) and marks the parts. */
static int judge_now(const struct scenario *s, struct sweep_outcome *now, struct failing *f)
{
    char err[256];
    engine *e = engine_new(s, err, sizeof err);
    if (!e) return -1;
    struct engine_result r;
    struct verdict_report v = { 0 };
    engine_set_load_windows(e, 0);      /* no answer shows them */
    engine_run(e, NULL, NULL, &r);
    if (verdict_judge(s, &r, &v) != 0) {
        engine_free(e);
        return -1;
    }
    now->ok = 1;
    now->verdict = v.overall;
    now->worst_used = 0;
    for (size_t i = 0; i < v.n; i++) {
        const struct link *l = &v.links[i];
        if (isfinite(l->used) && l->used > now->worst_used) now->worst_used = l->used;
        if (l->verdict == VERDICT_PASS) continue;
        if (l->kind == LINK_BREAKER && l->verdict == VERDICT_FAIL && l->fail_time_s < 1.0)
            f->early_trip = 1;
        if (l->kind == LINK_PSU || l->kind == LINK_INLET) f->psu[l->index] = 1;
        else if (l->kind == LINK_CONNECTOR) f->gpu = 1;
        else if (l->kind == LINK_PANEL) f->panel[l->index / 4] = 1;
        else if (l->kind == LINK_NEUTRAL) f->panel[l->index] = 1;
        else if (circuit_link(l->kind)) f->circuit[verdict_link_circuit(s, l)] = 1;
        char title[160];
        size_t len = strlen(f->names);
        snprintf(f->names + len, sizeof f->names - len, "%s%s %s", len ? ", " : "",
                 report_link_title(s, l, title, sizeof title), verdict_name(l->verdict));
    }
    for (size_t p = 0; p < s->n_panels; p++)
        for (int k = 0; k < r.panels[p].n_lines; k++)
            f->line_a[4 * p + (size_t)k] = r.panels[p].line[k].sustained_a;
    for (size_t c = 0; c < s->n_circuits; c++) f->circuit_a[c] = r.circuits[c].sustained_a;
    verdict_report_free(&v);
    engine_free(e);
    return 0;
}

/* ============================================================ the GPUs == */

/* Every [gpu] section's limit to W (at least each card's minimum, at most its
 * maximum, where known). */
static void gpu_limit(const struct scenario *s, double w, struct lever *l)
{
    char v[32];
    l->n_sets = 0;
    for (size_t i = 0; i < s->n_loads; i++) {
        const struct scn_load *g = &s->loads[i];
        if (g->kind != SCN_GPU) continue;
        double x = w;
        if (g->limit_min_w > 0 && x < g->limit_min_w) x = g->limit_min_w;
        if (g->limit_max_w > 0 && x > g->limit_max_w) x = g->limit_max_w;
        snprintf(v, sizeof v, "%.0fW", x);
        lever_set(l, "gpu", g->name, "power_limit", v);
    }
}

/* The GPU lever: bisection on whole watts for the highest common limit that
 * passes (the verdict worsens with the limit), never below the cards' minimum.
 * Returns 1 when a limit passes (in L), 0 when even the floor fails (L holds
 * the floor), -1 without GPUs. *FLOOR_KNOWN: the floor is the cards' minimum. */
static int gpu_lever(struct ctx *x, struct lever *l, double *limit, int *floor_known)
{
    const struct scenario *s = x->in->s;
    double lo = 0, hi = 0, floor_w = 0;
    int cards = 0;
    *floor_known = 1;
    for (size_t i = 0; i < s->n_loads; i++) {
        const struct scn_load *g = &s->loads[i];
        if (g->kind != SCN_GPU) continue;
        cards = 1;
        if (g->limit_w > hi) hi = g->limit_w;
        /* the floor: the card's minimum, else just above idle (unknown) */
        double f = g->limit_min_w > 0 ? g->limit_min_w : g->idle_w + 10;
        if (!(g->limit_min_w > 0)) *floor_known = 0;
        if (f > floor_w) floor_w = f;
    }
    if (!cards) return -1;
    lo = floor_w;
    snprintf(l->part, sizeof l->part, "the GPUs");
    l->whole_rig = 1;   /* the limit acts on every part: judged on every link */
    gpu_limit(s, hi, l);
    evaluate(x, l);
    if (l->pass) {
        *limit = hi;
        return 1;
    }
    gpu_limit(s, lo, l);
    evaluate(x, l);
    if (!l->pass) {
        *limit = lo;
        return 0;
    }
    double good = lo, bad = hi;
    struct lever t = *l;
    while (bad - good > 1) {
        double mid = floor(0.5 * (good + bad));
        gpu_limit(s, mid, &t);
        evaluate(x, &t);
        if (t.pass) good = mid;
        else bad = mid;
    }
    gpu_limit(s, good, l);
    evaluate(x, l);
    *limit = good;
    return 1;
}

/* ============================================================ the cost == */

/* The throughput a limit of W keeps, relative to LIMIT_NOW, for a card of
 * preset PRESET: gpu-perf.ini's measured `points` (LIMIT:RELATIVE), linear
 * between them (GSL), none outside them. Returns 1 with *REL and the
 * measurement's WORKLOAD (size N), 0 when no measurement covers both limits. */
static int perf_cost(const struct preset_db *db, const char *preset, double w,
                     double limit_now, double *rel, char *workload, size_t n)
{
    enum { MAX_POINTS = 32 };
    double xs[MAX_POINTS], ys[MAX_POINTS];
    size_t k = 0;
    workload[0] = '\0';
    if (!preset || !preset[0]) return 0;
    for (size_t i = 0; i < db->n; i++) {
        const struct preset_entry *e = &db->entries[i];
        if (strcmp(e->kind, "perf") != 0 || strcmp(e->name, preset) != 0) continue;
        if (strcmp(e->key, "workload") == 0) snprintf(workload, n, "%s", e->value);
        if (strcmp(e->key, "points") != 0) continue;
        char buf[PRESET_VALUE_LEN];
        snprintf(buf, sizeof buf, "%s", e->value);
        for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok && k < MAX_POINTS;
             tok = strtok_r(NULL, ",", &save)) {
            char *colon = strrchr(tok, ':'), *end;
            if (!colon) return 0;
            *colon = '\0';
            double x, y = strtod(colon + 1, &end);
            char err[128];
            if (units_parse(tok, UNIT_POWER, &x, err, sizeof err) != 0 || end == colon + 1)
                return 0;
            if (k > 0 && x <= xs[k - 1]) return 0;   /* ascending limits */
            xs[k] = x;
            ys[k++] = y;
        }
    }
    if (k < 2 || w < xs[0] || limit_now < xs[0] || w > xs[k - 1] || limit_now > xs[k - 1])
        return 0;
    gsl_interp *it = gsl_interp_alloc(gsl_interp_linear, k);
    if (!it) return 0;
    int ok = gsl_interp_init(it, xs, ys, k) == GSL_SUCCESS;
    double a = ok ? gsl_interp_eval(it, xs, ys, w, NULL) : NAN;
    double b = ok ? gsl_interp_eval(it, xs, ys, limit_now, NULL) : NAN;
    gsl_interp_free(it);
    if (!(isfinite(a) && isfinite(b) && b > 0)) return 0;
    *rel = a / b;
    return 1;
}

/* ============================================================= output == */

static double margin(const struct lever *l)
{
    return 1 - l->part_used;
}

static json_t *lever_json(const struct ctx *x, const struct lever *l, const char *kind)
{
    char cmd[CMD_LEN];
    lever_command(x, l, cmd);
    json_t *j = json_object(), *sets = json_array();
    for (size_t i = 0; i < l->n_sets; i++) json_array_append_new(sets, json_string(l->sets[i]));
    json_object_set_new(j, "lever", json_string(kind));
    json_object_set_new(j, "part", json_string(l->part));
    json_object_set_new(j, "change", json_string(l->title));
    json_object_set_new(j, "sets", sets);
    json_object_set_new(j, "passes", json_boolean(l->pass));
    json_object_set_new(j, "verdict", json_string(verdict_json_name(l->o.verdict)));
    json_object_set_new(j, "margin", l->pass ? json_real(margin(l)) : json_null());
    json_object_set_new(j, "worst_link", json_string(l->o.worst));
    json_object_set_new(j, "others_not_pass", json_string(l->rest));
    json_object_set_new(j, "command", json_string(cmd));
    return j;
}

/* "  PART: TITLE: passes, margin 7 %" and the command under it. */
static void lever_text(const struct ctx *x, FILE *out, const struct lever *l)
{
    char cmd[CMD_LEN];
    if (!out) return;
    lever_command(x, l, cmd);
    if (l->pass)
        fprintf(out, "  %s: %s: passes, margin %.0f %%\n", l->part, l->title,
                100 * margin(l));
    else if (!l->o.ok)
        fprintf(out, "  %s: %s: the change does not load\n", l->part, l->title);
    else if (l->o.verdict == VERDICT_FAIL)
        fprintf(out, "  %s: %s: does not pass: %s\n", l->part, l->title, l->o.worst);
    else
        fprintf(out, "  %s: %s: holds, but with under 10 %% margin: %s\n", l->part,
                l->title, l->o.worst);
    if (l->o.ok && !l->whole_rig && l->rest[0])
        fprintf(out, "    (other parts, for their own levers: %s)\n", l->rest);
    fprintf(out, "    %s\n", cmd);
}

/* The unit that sets the limit at every boot (nvidia-smi's limit does not
 * survive a reboot; persistence mode keeps the driver loaded). */
static void systemd_unit(FILE *out, const char *cards, double w)
{
    fprintf(out, "    to keep it after a reboot: /etc/systemd/system/gpu-power-limit.service\n"
            "      [Unit]\n"
            "      Description=GPU power limit (psusim recommend)\n"
            "      After=nvidia-persistenced.service\n"
            "      [Service]\n"
            "      Type=oneshot\n"
            "      ExecStart=/usr/bin/nvidia-smi -pm 1\n"
            "      ExecStart=/usr/bin/nvidia-smi -i %s -pl %.0f\n"
            "      [Install]\n"
            "      WantedBy=multi-user.target\n"
            "    then: sudo systemctl daemon-reload && sudo systemctl enable --now "
            "gpu-power-limit.service\n", cards, w);
}

/* ========================================================== recommend() == */

/* ========================================================== the panels == */

/* Panel P fails on a line or its neutral (issue 18, 5): the lever moves one
 * line-to-neutral circuit from the most loaded line (by the run's sustained
 * currents) to the least loaded one, `--set circuit.NAME.phase=Lk`. Each
 * circuit on the most loaded line is tried (in parallel); the one that passes
 * with the most room on the panel is shown, else the best of them. */
static void balance_lever(struct ctx *x, const struct failing *f, size_t p, FILE *out,
                          json_t *levers)
{
    const struct scenario *s = x->in->s;
    int n = scenario_system_lines(s->panels[p].system), hi = 0, lo = 0;
    if (n < 2) return;
    for (int k = 1; k < n; k++) {
        if (f->line_a[4 * p + (size_t)k] > f->line_a[4 * p + (size_t)hi]) hi = k;
        if (f->line_a[4 * p + (size_t)k] < f->line_a[4 * p + (size_t)lo]) lo = k;
    }
    size_t cand[MAX_LEVERS], m = 0;
    for (size_t c = 0; c < s->n_circuits && m < MAX_LEVERS; c++)
        if (s->circuits[c].panel_index == (long)p && s->circuits[c].phase == hi) cand[m++] = c;
    if (hi == lo || m == 0) return;
    struct lever *lv = calloc(m, sizeof *lv);
    if (!lv) return;
    x->total = x->done + m;
#pragma omp parallel for schedule(dynamic, 1)
    for (long k = 0; k < (long)m; k++) {
        struct lever *l = &lv[k];
        l->part_kind = LINK_PANEL;
        l->part_index = p;
        lever_set(l, "circuit", s->circuits[cand[k]].name, "phase", scenario_phase_name(lo));
        evaluate(x, l);
    }
    size_t best = 0;
    for (size_t k = 1; k < m; k++)
        if ((lv[k].pass && !lv[best].pass)
            || (lv[k].pass == lv[best].pass && lv[k].part_used < lv[best].part_used))
            best = k;
    struct lever *l = &lv[best];
    size_t c = cand[best];
    snprintf(l->part, sizeof l->part, "panel %s", s->panels[p].name);
    snprintf(l->title, sizeof l->title, "move circuit %s (%.2f A sustained) from %s (%.2f A) "
             "to %s, the least loaded line (%.2f A)", s->circuits[c].name, f->circuit_a[c],
             scenario_phase_name(hi), f->line_a[4 * p + (size_t)hi], scenario_phase_name(lo),
             f->line_a[4 * p + (size_t)lo]);
    lever_text(x, out, l);
    if (levers) json_array_append_new(levers, lever_json(x, l, "phase"));
    free(lv);
}

int recommend(const struct recommend_in *in, FILE *out, json_t *json)
{
    const struct scenario *s = in->s;
    struct ctx x = { in, *in->base, 0, 0 };
    struct failing f = { .circuit = calloc(s->n_circuits + 1, 1),
                         .psu = calloc(s->n_psus + 1, 1),
                         .panel = calloc(s->n_panels + 1, 1),
                         .line_a = calloc(4 * s->n_panels + 1, sizeof(double)),
                         .circuit_a = calloc(s->n_circuits + 1, sizeof(double)) };
    struct lever *lv = calloc(MAX_LEVERS, sizeof *lv);
    struct sweep_outcome now = { 0 };
    struct preset_db db = { 0 };
    struct diag *dd = malloc(sizeof *dd);
    int db_ok = 0, rc = -1;
    if (dd) {
        diag_init(dd);
        db_ok = x.b.preset_dir && preset_db_load_values(&db, x.b.preset_dir, dd) == 0;
        free(dd);
    }
    if (!f.circuit || !f.psu || !f.panel || !f.line_a || !f.circuit_a || !lv
        || judge_now(s, &now, &f) != 0)
        goto done;
    rc = (int)now.verdict;
    /* every candidate runs in full: a lever is judged on its own part, which a
     * run stopped at another part's first failure could not tell */
    x.total = 12;

    json_t *levers = json ? json_array() : NULL;
    if (json) {
        json_t *nj = json_object();
        json_object_set_new(nj, "verdict", json_string(verdict_json_name(now.verdict)));
        json_object_set_new(nj, "worst_used", json_real(now.worst_used));
        json_object_set_new(json, "file", json_string(x.b.file));
        json_object_set_new(json, "now", nj);
        json_object_set_new(json, "failing", json_string(f.names));
        json_object_set_new(json, "levers", levers);
    }
    if (out) {
        fprintf(out, "%s: now %s (the most used link at %.0f %% of its limit)\n", x.b.file,
                verdict_name(now.verdict), 100 * now.worst_used);
        if (now.verdict == VERDICT_PASS)
            fprintf(out, "every link passes already; the levers below show the room left\n");
        else
            fprintf(out, "not PASS: %s\n", f.names);
        fprintf(out, "\nlevers, each on its own and simulated; a lever passes when every link "
                "of its part PASSes (at least 10 %% margin); the command reproduces it:\n");
    }

    /* 1. the GPUs' power limit */
    struct lever *g = &lv[0];
    double limit = 0;
    int floor_known = 0;
    int gr = gpu_lever(&x, g, &limit, &floor_known);
    if (gr < 0) {
        if (out) fprintf(out, "  the GPUs: no [gpu] sections\n");
    } else {
        size_t cards = 0;
        for (size_t i = 0; i < s->n_loads; i++)
            if (s->loads[i].kind == SCN_GPU) cards += (size_t)s->loads[i].count;
        char ids[512] = "";
        for (size_t k = 0; k < cards; k++) {
            size_t len = strlen(ids);
            snprintf(ids + len, sizeof ids - len, "%s%zu", k ? "," : "", k);
        }
        if (gr == 1) {
            /* what the limit costs, where a measurement covers it (the first
             * [gpu] section's card) */
            char cost[TITLE_LEN] = "", workload[PRESET_VALUE_LEN];
            double rel;
            for (size_t i = 0; i < s->n_loads; i++) {
                const struct scn_load *l = &s->loads[i];
                if (l->kind != SCN_GPU) continue;
                if (db_ok && limit < l->limit_w
                    && perf_cost(&db, l->preset, limit, l->limit_w, &rel, workload,
                                 sizeof workload))
                    snprintf(cost, sizeof cost, " (about %+.0f %% throughput from %.0f W, as "
                             "measured on %.100s)", 100 * (rel - 1), l->limit_w, workload);
                else if (limit < l->limit_w)
                    snprintf(cost, sizeof cost, " (its cost in throughput: no measurement "
                             "for this card in gpu-perf.ini)");
                break;
            }
            snprintf(g->title, sizeof g->title, "power limit %.0f W on every GPU%.200s", limit,
                     cost);
        } else {
            snprintf(g->title, sizeof g->title, "even %.0f W on every GPU, %s", limit,
                     floor_known ? "the cards' minimum power limit (nvidia-smi refuses less)"
                                 : "just above idle (the cards' minimum limit is not known: "
                                   "power_limit_min)");
        }
        lever_text(&x, out, g);
        if (out && gr == 1) {
            fprintf(out, "    on the machine: sudo nvidia-smi -pm 1 && sudo nvidia-smi -i %s "
                    "-pl %.0f\n", ids, limit);
            systemd_unit(out, ids, limit);
        }
        if (json) json_array_append_new(levers, lever_json(&x, g, "power_limit"));
    }

    /* 2. the rating of each PSU that does not pass: the smallest standard rating
     * that passes, in batches of one a core, smallest first */
    int batch = 1;
#ifdef _OPENMP
    batch = omp_get_max_threads();
#endif
    if (batch < 1) batch = 1;
    for (size_t j = 0; j < s->n_psus; j++) {
        if (!f.psu[j]) continue;
        const char *name = s->psus[j].name;
        struct lever cand[N_RATINGS];
        long found = -1;
        for (size_t k0 = 0; k0 < N_RATINGS && found < 0; k0 += (size_t)batch) {
            size_t k1 = k0 + (size_t)batch < N_RATINGS ? k0 + (size_t)batch : N_RATINGS;
#pragma omp parallel for schedule(dynamic, 1)
            for (long k = (long)k0; k < (long)k1; k++) {
                char v[32];
                memset(&cand[k], 0, sizeof cand[k]);
                cand[k].part_kind = LINK_PSU;
                cand[k].part_index = j;
                snprintf(v, sizeof v, "%.0fW", STANDARD_RATINGS_W[k]);
                lever_set(&cand[k], "psu", name, "rating", v);
                /* at low line, a unit above 1600 W is judged on what it delivers
                 * there: the candidate is one whose label gives the full rating at
                 * 115 V (verdict.c, LOW_LINE_ASSUMED_W) */
                if (s->psus[j].low_line && STANDARD_RATINGS_W[k] > 1600)
                    lever_set(&cand[k], "psu", name, "rating_115v", v);
                evaluate(&x, &cand[k]);
            }
            for (size_t k = k0; k < k1 && found < 0; k++)
                if (cand[k].pass) found = (long)k;
        }
        struct lever *l = found >= 0 ? &cand[found] : &cand[N_RATINGS - 1];
        snprintf(l->part, sizeof l->part, "psu %s", name);
        if (found >= 0)
            snprintf(l->title, sizeof l->title, "the smallest standard rating that passes: "
                     "%.0f W (now %.0f W)%s", STANDARD_RATINGS_W[found],
                     s->psus[j].rating_nominal_w,
                     s->psus[j].low_line && STANDARD_RATINGS_W[found] > 1600
                         ? ", a unit whose label gives it at 115 V too (many above 1600 W "
                           "are derated there)" : "");
        else
            snprintf(l->title, sizeof l->title, "no standard rating up to %.0f W passes on "
                     "its own%s", STANDARD_RATINGS_W[N_RATINGS - 1],
                     s->psus[j].low_line ? " (above 1600 W at low line the rating needs "
                                           "the label's rating_115v)" : "");
        if (found >= 0) lever_text(&x, out, l);
        else if (out) fprintf(out, "  %s: %s\n", l->part, l->title);
        if (json) json_array_append_new(levers, lever_json(&x, l, "psu_rating"));
    }

    /* 3. the fixes of each failing circuit's region */
    size_t n = 0;
    size_t at_circuit[MAX_LEVERS];
    int skip_if_prev[MAX_LEVERS];
    for (size_t c = 0; c < s->n_circuits; c++) {
        if (!f.circuit[c]) continue;
        char key[16];
        snprintf(key, sizeof key, " %s ", s->circuits[c].region);
        for (size_t r = 0; r < sizeof region_levers / sizeof region_levers[0]; r++) {
            const struct region_lever *rl = &region_levers[r];
            if (!strstr(rl->regions, key) || (rl->applies && !rl->applies(s, c))) continue;
            if (n == MAX_LEVERS - 1) break;
            struct lever *l = &lv[1 + n];
            snprintf(l->part, sizeof l->part, "circuit %s (%s)", s->circuits[c].name,
                     s->circuits[c].region);
            snprintf(l->title, sizeof l->title, "%s", rl->title);
            l->part_kind = LINK_CIRCUIT;
            l->part_index = c;
            rl->add(s, c, l);
            skip_if_prev[n] = rl->unless_prev;
            at_circuit[n++] = c;
        }
    }
    x.total = x.done + n;
#pragma omp parallel for schedule(dynamic, 1)
    for (long k = 0; k < (long)n; k++) evaluate(&x, &lv[1 + k]);
    for (size_t k = 0; k < n; k++) {
        /* a bigger step of the same fix only when the smaller one fails */
        if (skip_if_prev[k] && k > 0 && at_circuit[k - 1] == at_circuit[k] && lv[k].pass)
            continue;
        lever_text(&x, out, &lv[1 + k]);
        if (json) json_array_append_new(levers, lever_json(&x, &lv[1 + k], "circuit"));
    }

    /* 4. staggered power-on, for a trip at power-on */
    if (s->n_psus > 1 && f.early_trip) {
        static const double stagger[] = { 0.5, 1, 2, 5 };
        struct lever st = { 0 };
        int found = 0;
        snprintf(st.part, sizeof st.part, "the PSUs");
        st.whole_rig = 1;
        for (size_t k = 0; k < 4 && !found; k++) {
            char v[32];
            st.n_sets = 0;
            snprintf(v, sizeof v, "%gs", stagger[k]);
            lever_set(&st, "scenario", NULL, "stagger", v);
            evaluate(&x, &st);
            found = st.pass;
            snprintf(st.title, sizeof st.title, found ? "power-on staggered by %g s"
                     : "power-on staggered by up to %g s", stagger[k]);
        }
        lever_text(&x, out, &st);
        if (json) json_array_append_new(levers, lever_json(&x, &st, "stagger"));
    }
    /* 5. a second circuit: half the GPUs on a copy of their PSU on a copy of its
     * circuit (scenario.split = 2), where a circuit fails and the cards share a
     * PSU */
    size_t cards = 0, failing_circuit = 0;
    long gpu_psu = -1;
    int one_psu = 1;
    for (size_t i = 0; i < s->n_loads; i++) {
        const struct scn_load *l = &s->loads[i];
        if (l->kind != SCN_GPU) continue;
        cards += (size_t)l->count;
        if (gpu_psu >= 0 && (size_t)gpu_psu != l->target_index) one_psu = 0;
        gpu_psu = (long)l->target_index;
    }
    for (size_t c = 0; c < s->n_circuits; c++) failing_circuit += f.circuit[c];
    if (failing_circuit && cards >= 2 && one_psu && s->sc.split <= 1) {
        struct lever sp = { 0 };
        const struct scn_psu *p = &s->psus[gpu_psu];
        snprintf(sp.part, sizeof sp.part, "the rig");
        snprintf(sp.title, sizeof sp.title, "a second circuit: half the GPUs on a second "
                 "PSU like %s, on a second circuit like %s (scenario.split = 2)", p->name,
                 s->circuits[p->circuit_index].name);
        sp.whole_rig = 1;
        lever_set(&sp, "scenario", NULL, "split", "2");
        evaluate(&x, &sp);
        lever_text(&x, out, &sp);
        if (json) json_array_append_new(levers, lever_json(&x, &sp, "second_circuit"));
    }
    /* 6. a panel whose line or neutral fails: a line-to-neutral circuit on its
     * most loaded line moved to its least loaded one */
    for (size_t p = 0; p < s->n_panels; p++)
        if (f.panel[p]) balance_lever(&x, &f, p, out, levers);
done:
    preset_db_free(&db);
    free(f.panel);
    free(f.line_a);
    free(f.circuit_a);
    free(f.circuit);
    free(f.psu);
    free(lv);
    return rc;
}

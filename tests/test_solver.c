/* test_solver — the stride solver against the fixed-step reference.
 *
 * The engine has two ways through a run (engine.h, scenario key `solver`):
 * `fixed` takes every step on its own; `stride` advances quiet stretches in
 * closed form. The fixed path is the reference (issue 8: "keep the fixed-step
 * path as the reference and test that both agree"). This test runs every
 * example scenario (the .ini files of scenarios/), every scenario test INI
 * (those of tests/scenarios/) and the solver's own cases (tests/solver/)
 * through both and compares every figure the report
 * uses, with these tolerances (relative, with a small absolute floor):
 *
 *   energies, means, heat            1e-4   (what the verdicts rest on; heat
 *                                            with an absolute floor of 0.01)
 *   peaks and window maxima          2e-3   (samples inside a stride come from
 *                                            its three nodes)
 *   events                           same kinds, same order; times within
 *                                    20 ms + 0.1 % of the time
 *
 * Runs longer than 120 s are cut to 120 s (every trip of the examples happens
 * before that). Each scenario runs with the stride solver twice: without a
 * sample sink, so its strides are the longest the engine takes, and with a
 * sink at the scenario's sample interval, as the CLI runs it (strides end at
 * every sample). Then 24 random variations of the seed rig (random_rigs_agree;
 * SOLVER_RIGS and SOLVER_SEED run more by hand: 900 rigs of seeds 7, 11 and 13
 * passed when this was written). The worst difference seen per figure is
 * printed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "engine.h"
#include "verdict.h"
#include "scenario.h"

#define PRESET_DIR "scenarios/presets"
#define MAX_RUN_S  120.0
#define TOL_MEAN   1e-4
#define TOL_PEAK   2e-3
#define TOL_T_ABS  0.020
#define TOL_T_REL  1e-3
/* Heat's absolute floor: 10 % of the trip heat, so heats below it agree within
 * 1e-5 of the trip heat. The two-body thermal element (breaker.h) has fast
 * bodies of 0.02-2 s for fuses and D/B/C fast edges: at a heat of a few 0.1 %,
 * that body shows the stride's approximate I^2 through a PSU's start-up
 * transient (random rig 6 of seed 1: a 13 A fuse's slow edge at 0.005 after the
 * output starts, 5e-6 apart, 1e-3 relative). No verdict turns on 1e-5 of the
 * trip point. */
#define HEAT_FLOOR 0.1

enum { MAX_FILES = 96, PATH_LEN = 256 };

static char files[MAX_FILES][PATH_LEN];
static size_t n_files;

/* worst relative difference per figure, over all scenarios */
struct worst {
    const char *name;
    double rel;
    char where[PATH_LEN];
};
static struct worst worst[48];
static size_t n_worst;

static void note(const char *name, double rel, const char *where)
{
    size_t i;
    for (i = 0; i < n_worst && strcmp(worst[i].name, name) != 0; i++) continue;
    if (i == n_worst) {
        if (n_worst == sizeof worst / sizeof worst[0]) return;
        worst[n_worst].name = name;
        worst[n_worst].rel = -1;
        n_worst++;
    }
    if (rel > worst[i].rel) {
        worst[i].rel = rel;
        snprintf(worst[i].where, sizeof worst[i].where, "%s", where);
    }
}

static int failures;

/* Compares GOT (stride) with WANT (fixed): relative TOL, absolute floor ABS. */
static void cmp(const char *file, const char *name, double want, double got, double tol,
                double abs_floor)
{
    if (isnan(want) && isnan(got)) return;
    double diff = fabs(got - want);
    double rel = diff / (fabs(want) > abs_floor ? fabs(want) : abs_floor);
    note(name, rel, file);
    if (!(rel <= tol)) {
        print_message("%s: %s: fixed %.9g, stride %.9g (relative %.3g > %.3g)\n", file, name,
                      want, got, rel, tol);
        failures++;
    }
}

static void collect(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len < 5 || strcmp(de->d_name + len - 4, ".ini") != 0) continue;
        assert_true(n_files < MAX_FILES);
        int w = snprintf(files[n_files], PATH_LEN, "%s/%s", dir, de->d_name);
        assert_true(w > 0 && w < PATH_LEN);
        n_files++;
    }
    closedir(d);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(a, b);
}

static int setup(void **state)
{
    (void)state;
    collect("scenarios");
    collect("tests/scenarios");
    collect("tests/solver");
    collect("tests/panel");
    qsort(files, n_files, PATH_LEN, by_name);
    return 0;
}

/* Loads PATH with the SETS (N of them) and SOLVER. */
static struct scenario *load_sets(const char *path, const char *const *sets, size_t n,
                                  const char *solver)
{
    const char *all[8];
    char set_solver[64];
    snprintf(set_solver, sizeof set_solver, "scenario.solver=%s", solver);
    size_t m = 0;
    for (size_t i = 0; i < n && m < 7; i++) all[m++] = sets[i];
    all[m++] = set_solver;
    struct scn_options opt = { PRESET_DIR, all, m };
    static struct diag d;
    diag_init(&d);
    struct scenario *s = NULL;
    if (scenario_load(path, &opt, &s, &d) != 0)
        fail_msg("%s: %s", path, d.n > 0 ? d.msg[0] : "scenario_load failed");
    return s;
}

static struct scenario *load(const char *path, const char *solver, double duration_s)
{
    char set_dur[64];
    snprintf(set_dur, sizeof set_dur, "scenario.duration=%.17g s", duration_s);
    const char *sets[1] = { set_dur };
    return load_sets(path, sets, duration_s > 0 ? 1 : 0, solver);
}

/* Sink that only counts and sums: the samples must cover the run. */
struct count_sink {
    size_t k;        /* signal summed */
    double sum;      /* sum of mean x duration */
    double t_end;
};

static int count_fn(void *user, const struct engine_sample *smp)
{
    struct count_sink *c = user;
    c->sum += smp->mean[c->k] * (smp->t_end_s - smp->t_start_s);
    c->t_end = smp->t_end_s;
    return 0;
}

/* Compares the stride run RS of scenario SF (labelled FILE) with the fixed run
 * RF. */
static void compare_results(const char *file, const struct scenario *sf,
                            const struct engine_result *pf, const struct engine_result *ps)
{
    const struct engine_result rf = *pf, rs = *ps;
    assert_int_equal(rf.n_steps, rs.n_steps);

    cmp(file, "energy", rf.energy_j, rs.energy_j, TOL_MEAN, 1.0);
    if (rf.n_events != rs.n_events) {
        print_message("%s: %zu events fixed, %zu stride\n", file, rf.n_events, rs.n_events);
        failures++;
    } else {
        for (size_t k = 0; k < rf.n_events; k++) {
            const struct engine_event *a = &rf.events[k], *b = &rs.events[k];
            double dt_ok = TOL_T_ABS + TOL_T_REL * a->t_s;
            note("event time (s)", fabs(a->t_s - b->t_s), file);
            if (a->kind != b->kind || a->index != b->index || fabs(a->t_s - b->t_s) > dt_ok) {
                print_message("%s: event %zu: fixed %s #%zu at %.6f s, stride %s #%zu at %.6f s\n",
                              file, k, engine_event_name(a->kind), a->index, a->t_s,
                              engine_event_name(b->kind), b->index, b->t_s);
                failures++;
            }
        }
    }
    for (size_t c = 0; c < sf->n_circuits; c++) {
        const struct engine_circuit_result *a = &rf.circuits[c], *b = &rs.circuits[c];
        cmp(file, "circuit mean current", a->mean_current_a, b->mean_current_a, TOL_MEAN, 0.01);
        cmp(file, "circuit peak current", a->peak_current_a, b->peak_current_a, TOL_PEAK, 0.01);
        cmp(file, "circuit peak load current", a->peak_load_current_a, b->peak_load_current_a,
            TOL_PEAK, 0.01);
        cmp(file, "circuit peak half-cycle", a->peak_halfcycle_a, b->peak_halfcycle_a,
            TOL_PEAK, 0.01);
        cmp(file, "circuit min voltage", a->min_voltage_v, b->min_voltage_v, TOL_PEAK, 1.0);
        cmp(file, "circuit max heat", a->max_heat, b->max_heat, TOL_MEAN, HEAT_FLOOR);
        cmp(file, "circuit energy", a->energy_j, b->energy_j, TOL_MEAN, 1.0);
        cmp(file, "circuit sustained current", a->sustained_a, b->sustained_a, TOL_MEAN, 0.01);
        cmp(file, "rig sustained current", a->sustained_rig_a, b->sustained_rig_a, TOL_MEAN,
            0.01);
        cmp(file, "judged energy", a->judged_energy_j, b->judged_energy_j, TOL_MEAN, 1.0);
        cmp(file, "judged time", a->judged_s, b->judged_s, TOL_MEAN, 1e-3);
        cmp(file, "circuit wire loss", a->wire_loss_j, b->wire_loss_j, TOL_MEAN, 1.0);
        assert_int_equal(a->trip, b->trip);
        assert_int_equal(a->collapsed, b->collapsed);
        for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++) {
            cmp(file, "edge max heat", a->edge_max_heat[edge], b->edge_max_heat[edge], TOL_MEAN,
                HEAT_FLOOR);
            assert_int_equal(a->edge_trip[edge], b->edge_trip[edge]);
            if (a->edge_trip[edge] != BREAKER_CLOSED) {
                double dt_ok = TOL_T_ABS + TOL_T_REL * a->edge_trip_time_s[edge];
                note("edge trip time (s)",
                     fabs(a->edge_trip_time_s[edge] - b->edge_trip_time_s[edge]), file);
                if (fabs(a->edge_trip_time_s[edge] - b->edge_trip_time_s[edge]) > dt_ok) {
                    print_message("%s: circuit %zu edge %d trips at %.6f s fixed, %.6f s stride\n",
                                  file, c, edge, a->edge_trip_time_s[edge],
                                  b->edge_trip_time_s[edge]);
                    failures++;
                }
            }
        }
    }
    /* the panels' lines (their mains' edges advance over the pieces, or over
     * spans of them: span_join) */
    for (size_t p = 0; p < sf->n_panels; p++) {
        const struct engine_panel_result *pa = &rf.panels[p], *pb = &rs.panels[p];
        assert_int_equal(pa->n_lines, pb->n_lines);
        for (int k = 0; k < pa->n_lines; k++) {
            const struct engine_panel_line *a = &pa->line[k], *b = &pb->line[k];
            cmp(file, "line mean current", a->mean_a, b->mean_a, TOL_MEAN, 0.01);
            cmp(file, "line peak current", a->peak_a, b->peak_a, TOL_PEAK, 0.01);
            cmp(file, "line sustained current", a->sustained_a, b->sustained_a, TOL_MEAN, 0.01);
            cmp(file, "line max heat", a->max_heat, b->max_heat, TOL_MEAN, HEAT_FLOOR);
            assert_int_equal(a->trip, b->trip);
            for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++) {
                cmp(file, "line edge max heat", a->edge_max_heat[edge], b->edge_max_heat[edge],
                    TOL_MEAN, HEAT_FLOOR);
                assert_int_equal(a->edge_trip[edge], b->edge_trip[edge]);
                if (a->edge_trip[edge] == BREAKER_CLOSED) continue;
                double dt_ok = TOL_T_ABS + TOL_T_REL * a->edge_trip_time_s[edge];
                note("line trip time (s)",
                     fabs(a->edge_trip_time_s[edge] - b->edge_trip_time_s[edge]), file);
                if (fabs(a->edge_trip_time_s[edge] - b->edge_trip_time_s[edge]) > dt_ok) {
                    print_message("%s: panel %zu line %d edge %d trips at %.6f s fixed, "
                                  "%.6f s stride\n", file, p, k, edge,
                                  a->edge_trip_time_s[edge], b->edge_trip_time_s[edge]);
                    failures++;
                }
            }
        }
        cmp(file, "neutral peak current", pa->neutral_peak_a, pb->neutral_peak_a, TOL_PEAK, 0.01);
        cmp(file, "neutral mean current", pa->neutral_mean_a, pb->neutral_mean_a, TOL_MEAN, 0.01);
        cmp(file, "neutral sustained current", pa->neutral_sustained_a, pb->neutral_sustained_a,
            TOL_MEAN, 0.01);
    }
    for (size_t j = 0; j < sf->n_psus; j++) {
        const struct engine_psu_result *a = &rf.psus[j], *b = &rs.psus[j];
        cmp(file, "psu mean dc", a->mean_dc_w, b->mean_dc_w, TOL_MEAN, 1.0);
        cmp(file, "psu mean ac", a->mean_ac_w, b->mean_ac_w, TOL_MEAN, 1.0);
        cmp(file, "psu peak dc", a->peak_dc_w, b->peak_dc_w, TOL_PEAK, 1.0);
        cmp(file, "psu energy ac", a->energy_ac_j, b->energy_ac_j, TOL_MEAN, 1.0);
        cmp(file, "psu energy dc", a->energy_dc_j, b->energy_dc_j, TOL_MEAN, 1.0);
        cmp(file, "psu opp max", a->opp_max_w, b->opp_max_w, TOL_PEAK, 1.0);
        cmp(file, "psu min bulk v", a->min_bulk_v, b->min_bulk_v, TOL_PEAK, 1.0);
        for (int k = 0; k < ENGINE_N_WINDOWS; k++)
            cmp(file, "psu window max", a->window_max_w[k], b->window_max_w[k], TOL_PEAK, 1.0);
        assert_int_equal(a->shutdown, b->shutdown);
        if (a->shutdown) assert_int_equal(a->shutdown_cause, b->shutdown_cause);
    }
    for (size_t i = 0; i < sf->n_loads; i++) {
        const struct engine_load_result *a = &rf.loads[i], *b = &rs.loads[i];
        cmp(file, "load mean", a->mean_w, b->mean_w, TOL_MEAN, 1.0);
        cmp(file, "load peak", a->peak_w, b->peak_w, TOL_PEAK, 1.0);
        cmp(file, "load connector max", a->connector_max_w, b->connector_max_w, TOL_PEAK, 1.0);
        for (int k = 0; k < ENGINE_N_LOAD_WINDOWS; k++)
            cmp(file, "load window max", a->window_max_w[k], b->window_max_w[k], TOL_PEAK, 1.0);
    }
}

/* Runs FILE with the fixed solver, and with the stride solver twice: without a
 * sample sink (the longest strides) and with one at the scenario's own sample
 * interval (strides end at every sample, as in the CLI); compares both. */
static void compare_file(const char *file)
{
    struct scenario *probe_s = load(file, "fixed", 0);
    double dur = probe_s->sc.duration_s < MAX_RUN_S ? probe_s->sc.duration_s : MAX_RUN_S;
    scenario_free(probe_s);

    struct scenario *sf = load(file, "fixed", dur), *ss = load(file, "stride", dur);
    char err[256], label[PATH_LEN + 16];
    engine *ef = engine_new(sf, err, sizeof err), *es = engine_new(ss, err, sizeof err);
    engine *ek = engine_new(ss, err, sizeof err);
    assert_non_null(ef);
    assert_non_null(es);
    assert_non_null(ek);
    struct engine_result rf, rs, rk;
    assert_int_equal(engine_run(ef, NULL, NULL, &rf), 0);
    assert_int_equal(engine_run(es, NULL, NULL, &rs), 0);
    struct count_sink cs = { 0, 0, 0 };
    assert_int_equal(engine_run(ek, count_fn, &cs, &rk), 0);
    compare_results(file, sf, &rf, &rs);
    snprintf(label, sizeof label, "%s (samples)", file);
    compare_results(label, sf, &rf, &rk);
    engine_free(ef);
    engine_free(es);
    engine_free(ek);
    scenario_free(sf);
    scenario_free(ss);
}

/* Groups on their own clocks (engine_set_groups: a lab's rigs) against one
 * clock for all, at the stride-vs-fixed tolerances (the fixed path is held to
 * both by every_scenario_agrees): every scenario with two groups or more, with
 * and without samples; at least the two-rig lab, the inrush pair and the
 * three-phase and 208 V panels run so. */
static void groups_agree(void **state)
{
    (void)state;
    size_t grouped = 0;
    for (size_t f = 0; f < n_files; f++) {
        struct scenario *s = load(files[f], "stride", 0);
        double dur = s->sc.duration_s < MAX_RUN_S ? s->sc.duration_s : MAX_RUN_S;
        scenario_free(s);
        s = load(files[f], "stride", dur);
        char err[256], label[PATH_LEN + 32];
        for (int smp = 0; smp < 2; smp++) {
            engine *a = engine_new(s, err, sizeof err), *o = engine_new(s, err, sizeof err);
            assert_non_null(a);
            assert_non_null(o);
            engine_set_groups(o, 0);
            struct engine_result ra, ro;
            struct count_sink ca = { 0, 0, 0 }, co = { 0, 0, 0 };
            assert_int_equal(engine_run(a, smp ? count_fn : NULL, &ca, &ra), 0);
            assert_int_equal(engine_run(o, smp ? count_fn : NULL, &co, &ro), 0);
            assert_int_equal(ro.n_clocks, 1);
            if (ra.n_clocks > 1) {
                snprintf(label, sizeof label, "%s (own clocks%s)", files[f],
                         smp ? ", samples" : "");
                compare_results(label, s, &ro, &ra);
                grouped += smp == 0;
            }
            engine_free(a);
            engine_free(o);
        }
        scenario_free(s);
    }
    print_message("%zu scenarios run their groups on their own clocks\n", grouped);
    assert_true(grouped >= 5);
    assert_int_equal(failures, 0);
}

/* The random rigs' and labs' draws: X, a linear congruential generator's
 * state, picks from an array or a range. */
#define PICK(a) (a)[(x = x * 1103515245u + 12345u, (x >> 8) % (sizeof(a) / sizeof(a)[0]))]
#define RANGE(lo, hi) \
    ((lo) + (int)((x = x * 1103515245u + 12345u, (x >> 8) % (unsigned)((hi) - (lo) + 1))))
static const char *const steps[] = { "10us", "20us", "50us", "100us", "1ms" };
static const char *const workloads[] = { "training", "inference", "constant", "idle" };
static const char *const syncs[] = { "lockstep", "random" };
static const char *const transients[] = { "off", "typical", "worst" };

/* Into TEXT from N on: a random run's length and step, and [gpu NAME]'s
 * workload, sync and transients; returns the new count. */
static size_t draw_gpu(char (*text)[96], size_t n, const char *name, unsigned *px)
{
    unsigned x = *px;
    if (n == 0) {
        snprintf(text[n++], 96, "scenario.duration=20s");
        snprintf(text[n++], 96, "scenario.step=%s", PICK(steps));
    }
    snprintf(text[n++], 96, "gpu.%s.workload=%s", name, PICK(workloads));
    snprintf(text[n++], 96, "gpu.%s.sync=%s", name, PICK(syncs));
    snprintf(text[n++], 96, "gpu.%s.transients=%s", name, PICK(transients));
    *px = x;
    return n;
}

/* Builds S's engine and runs it without a sink into *R; the caller frees it. */
static engine *new_run(const struct scenario *s, struct engine_result *r)
{
    char err[256];
    engine *e = engine_new(s, err, sizeof err);
    if (!e) fail_msg("%s: %s", s->path, err);
    assert_int_equal(engine_run(e, NULL, NULL, r), 0);
    return e;
}

/* Random two-rig labs (scenarios/lab-de-cee16-two-rigs.ini: each rig on its
 * own clock, the neutral from both lines' queues) against the fixed path:
 * steps, workloads, transients, limits, ratings and lead resistances drawn as
 * random_rigs_agree's. */
static void random_labs_agree(void **state)
{
    enum { NSET = 14, LABS = 8 };
    unsigned x = 20261208u;
    (void)state;
    for (int r = 0; r < LABS; r++) {
        char text[NSET][96], label[64];
        const char *all[NSET + 1];
        size_t n = draw_gpu(text, 0, "rtx5090", &x);
        n = draw_gpu(text, n, "rtx3090", &x);
        snprintf(text[n++], 96, "scenario.seed=%d", RANGE(1, 1000));
        snprintf(text[n++], 96, "gpu.rtx3090.count=%d", RANGE(1, 4));
        snprintf(text[n++], 96, "psu.main.rating=%dW", RANGE(20, 30) * 100);
        snprintf(text[n++], 96, "psu.quad.rating=%dW", RANGE(12, 20) * 100);
        snprintf(text[n++], 96, "circuit.l1.wire_resistance=%d.%02d ohm", 0, RANGE(5, 80));
        snprintf(text[n++], 96, "circuit.l2.wire_resistance=%d.%02d ohm", 0, RANGE(5, 80));
        struct scenario *sc[2];
        static struct diag d;
        for (int v = 0; v < 2; v++) {
            char solver[40];
            snprintf(solver, sizeof solver, "scenario.solver=%s", v ? "stride" : "fixed");
            for (size_t i = 0; i < n; i++) all[i] = text[i];
            all[n] = solver;
            struct scn_options opt = { PRESET_DIR, all, n + 1 };
            diag_init(&d);
            if (scenario_load("scenarios/lab-de-cee16-two-rigs.ini", &opt, &sc[v], &d) != 0)
                fail_msg("lab %d: %s", r, d.n > 0 ? d.msg[0] : "scenario_load failed");
        }
        struct engine_result rf, rs;
        engine *ef = new_run(sc[0], &rf), *es = new_run(sc[1], &rs);
        assert_true(rs.n_clocks == 3);
        snprintf(label, sizeof label, "random lab %d", r);
        compare_results(label, sc[0], &rf, &rs);
        engine_free(ef);
        engine_free(es);
        scenario_free(sc[0]);
        scenario_free(sc[1]);
    }
    print_message("random labs: %d compared\n", LABS);
    assert_int_equal(failures, 0);
}

/* A panel line of one circuit through the same device as its main takes the
 * circuit's edges' state (engine_set_twins): every figure of every scenario
 * the same, bit for bit, as the line's own advance (the two-rig CEE lab's
 * lines each carry one B16 circuit behind a B16 main). */
static void twins_change_nothing(void **state)
{
    (void)state;
    for (size_t f = 0; f < n_files; f++) {
        struct scenario *s = load(files[f], "stride", 0);
        if (s->n_panels == 0) {
            scenario_free(s);
            continue;
        }
        double dur = s->sc.duration_s < MAX_RUN_S ? s->sc.duration_s : MAX_RUN_S;
        scenario_free(s);
        s = load(files[f], "stride", dur);
        struct engine_result a, b;
        engine *ea = new_run(s, &a);
        char err[256];
        engine *eb = engine_new(s, err, sizeof err);
        assert_non_null(eb);
        engine_set_twins(eb, 0);
        assert_int_equal(engine_run(eb, NULL, NULL, &b), 0);
        for (size_t p = 0; p < s->n_panels; p++)
            if (memcmp(&a.panels[p], &b.panels[p], sizeof a.panels[p]) != 0) {
                print_message("%s: panel %zu differs with twins\n", files[f], p);
                failures++;
            }
        for (size_t c = 0; c < s->n_circuits; c++)
            if (memcmp(&a.circuits[c], &b.circuits[c], sizeof a.circuits[c]) != 0) {
                print_message("%s: circuit %zu differs with twins\n", files[f], c);
                failures++;
            }
        engine_free(ea);
        engine_free(eb);
        scenario_free(s);
    }
    assert_int_equal(failures, 0);
}

static void every_scenario_agrees(void **state)
{
    (void)state;
    assert_true(n_files >= 20);
    for (size_t f = 0; f < n_files; f++) compare_file(files[f]);
    print_message("worst stride-vs-fixed differences over %zu scenarios (relative unless "
                  "marked s):\n", n_files);
    for (size_t i = 0; i < n_worst; i++)
        print_message("  %-28s %.3g  (%s)\n", worst[i].name, worst[i].rel, worst[i].where);
    assert_int_equal(failures, 0);
}

/* Loads PATH with SOLVER (and DURATION_S if > 0), builds and runs it with
 * SINK; the caller frees *E and *S. */
static void run_file(const char *path, const char *solver, double duration_s,
                     engine_sample_fn sink, void *user, struct scenario **s, engine **e,
                     struct engine_result *r)
{
    char err[256];
    *s = load(path, solver, duration_s);
    *e = engine_new(*s, err, sizeof err);
    if (!*e) fail_msg("%s: %s", path, err);
    assert_int_equal(engine_run(*e, sink, user, r), 0);
}

/* With a sample sink the strides end at sample boundaries: the samples cover
 * the run without gaps and their means integrate to the run's mean. */
static void samples_cover_the_run(void **state)
{
    (void)state;
    struct scenario *s = load("scenarios/seed-dual-5090-us15a.ini", "stride", 30.0);
    char err[256];
    engine *e = engine_new(s, err, sizeof err);
    assert_non_null(e);
    struct count_sink cs = { engine_sig_circuit(e, 0, ENGINE_SIG_CURRENT), 0, 0 };
    struct engine_result r;
    assert_int_equal(engine_run(e, count_fn, &cs, &r), 0);
    assert_true(fabs(cs.t_end - 30.0) < 1e-9);
    double mean = cs.sum / 30.0;
    assert_true(fabs(mean - r.circuits[0].mean_current_a) <= 1e-9 * mean);
    engine_free(e);
    scenario_free(s);
}

/* A steady load (tests/scenarios/steady-closed-form.ini: constant [load]s, no
 * GPU or CPU model) runs in strides of 100 PFC time constants once the PFC has
 * settled; the breaker's heat is then the closed form in both paths, so they
 * agree far tighter than the general tolerance: 1e-6. */
static void steady_load_closed_form(void **state)
{
    (void)state;
    struct scenario *s, *sf;
    engine *e, *ef;
    struct engine_result r, rf;
    run_file("tests/scenarios/steady-closed-form.ini", "stride", 0, NULL, NULL, &s, &e, &r);
    run_file("tests/scenarios/steady-closed-form.ini", "fixed", 0, NULL, NULL, &sf, &ef, &rf);
    assert_true(fabs(r.circuits[0].max_heat - rf.circuits[0].max_heat)
                <= 1e-6 * rf.circuits[0].max_heat);
    engine_free(e);
    engine_free(ef);
    scenario_free(s);
    scenario_free(sf);
}

/* Random variations of the seed rig (fixed seed): step, GPU count, workload,
 * sync, transients, power limit, spikes, CPU profile, circuit preset, stagger
 * and a scheduled AC load, 20 s each, both solvers, the same tolerances. What
 * the example files do not cover (inference bursts, the limiter clamped at
 * its floor, bursty CPUs, 1 ms steps, a heater switching on a circuit) comes
 * up here. */
static void random_rigs_agree(void **state)
{
    static const char *const cpu_loads[] = { "full", "idle", "bursty" };
    static const char *const circuits[] = { "us-15a", "us-20a", "de-b16", "uk-13a",
                                            "us-240v-20a" };
    enum { NSET = 15 };
    /* SOLVER_RIGS=N and SOLVER_SEED=S run more or other rigs (a deeper check
     * by hand); make check runs the 24 of seed 20261124 */
    const char *env_n = getenv("SOLVER_RIGS"), *env_s = getenv("SOLVER_SEED");
    int RIGS = env_n ? atoi(env_n) : 24;
    unsigned x = env_s ? (unsigned)strtoul(env_s, NULL, 10) : 20261124u;
    (void)state;
    for (int r = 0; r < RIGS; r++) {
        char text[NSET][96], label[64];
        const char *sets[NSET];
        size_t n = 0;
        snprintf(text[n++], 96, "scenario.duration=20s");
        snprintf(text[n++], 96, "scenario.step=%s", PICK(steps));
        snprintf(text[n++], 96, "gpu.rtx5090.count=%d", RANGE(1, 3));
        snprintf(text[n++], 96, "gpu.rtx5090.workload=%s", PICK(workloads));
        snprintf(text[n++], 96, "gpu.rtx5090.sync=%s", PICK(syncs));
        snprintf(text[n++], 96, "gpu.rtx5090.transients=%s", PICK(transients));
        snprintf(text[n++], 96, "gpu.rtx5090.power_limit=%dW", RANGE(150, 600));
        /* the solvers are compared over the whole range of limits, below the
         * preset card's 400 W minimum too: synthetic cards that accept them */
        snprintf(text[n++], 96, "gpu.rtx5090.power_limit_min=100W");
        snprintf(text[n++], 96, "cpu.threadripper.load=%s", PICK(cpu_loads));
        snprintf(text[n++], 96, "circuit.wall.preset=%s", PICK(circuits));
        snprintf(text[n++], 96, "psu.main.rating=%dW", RANGE(16, 30) * 100);
        snprintf(text[n++], 96, "scenario.seed=%d", RANGE(1, 1000));
        snprintf(text[n++], 96, "load.board.power=%dW", RANGE(50, 400));
        snprintf(text[n++], 96, "load.board.period=%ds", RANGE(0, 4));
        snprintf(text[n++], 96, "scenario.sample=%dms", RANGE(1, 200));
        for (size_t i = 0; i < n; i++) sets[i] = text[i];
        struct scenario *sf = NULL, *ss = NULL;
        static struct diag d;
        for (int v = 0; v < 2; v++) {
            char solver[40];
            const char *all[NSET + 1];
            snprintf(solver, sizeof solver, "scenario.solver=%s", v ? "stride" : "fixed");
            for (size_t i = 0; i < n; i++) all[i] = sets[i];
            all[n] = solver;
            struct scn_options opt = { PRESET_DIR, all, n + 1 };
            diag_init(&d);
            if (scenario_load("scenarios/seed-dual-5090-us15a.ini", &opt, v ? &ss : &sf, &d) != 0)
                fail_msg("rig %d: %s", r, d.n > 0 ? d.msg[0] : "scenario_load failed");
        }
        char err[256];
        engine *ef = engine_new(sf, err, sizeof err), *es = engine_new(ss, err, sizeof err);
        assert_non_null(ef);
        assert_non_null(es);
        struct engine_result rf, rs;
        struct count_sink cs = { 0, 0, 0 };
        assert_int_equal(engine_run(ef, NULL, NULL, &rf), 0);
        assert_int_equal(engine_run(es, r % 2 ? count_fn : NULL, &cs, &rs), 0);
        snprintf(label, sizeof label, "random rig %d", r);
        int before = failures;
        compare_results(label, sf, &rf, &rs);
        if (failures != before)
            for (size_t i = 0; i < n; i++) print_message("    --set %s\n", sets[i]);
        engine_free(ef);
        engine_free(es);
        scenario_free(sf);
        scenario_free(ss);
    }
    print_message("random rigs: %d compared\n", RIGS);
    assert_int_equal(failures, 0);
}

/* Many GPUs of their own spike streams (issue 14, 4): the stride solver keeps
 * cards 1..n-1 as lazy aggregates between their own events (sim/gpu.c, "Lazy
 * cards"); the fixed path steps every card. 16 cards on a PSU and circuit big
 * enough for them (as the bench's scaling rows), three workloads, 10 s each:
 * the same tolerances as every other comparison. */
static void many_gpus_agree(void **state)
{
    (void)state;
    static const char *const variants[][3] = {
        { "gpu.rtx5090.workload=training", "gpu.rtx5090.sync=lockstep", "gpu.rtx5090.power_limit=575W" },
        { "gpu.rtx5090.workload=training", "gpu.rtx5090.sync=random", "gpu.rtx5090.power_limit=350W" },
        { "gpu.rtx5090.workload=inference", "gpu.rtx5090.sync=random", "gpu.rtx5090.power_limit=450W" },
    };
    static const char *const base[] = {
        "scenario.duration=10s", "scenario.step=50us", "gpu.rtx5090.count=16",
        "gpu.rtx5090.transients=typical", "psu.main.rating=12000W", "psu.main.atx=none",
        "psu.main.bulk_capacitance=0.05F", "circuit.wall.voltage=480V",
        "circuit.wall.supply_low=480V", "circuit.wall.supply_high=480V",
        "circuit.wall.breaker=60A",
        "gpu.rtx5090.power_limit_min=100W",   /* 350 W: below the preset card's minimum */
    };
    enum { NB = sizeof base / sizeof base[0] };
    for (size_t r = 0; r < sizeof variants / sizeof variants[0]; r++) {
        struct scenario *sc[2] = { NULL, NULL };
        static struct diag d;
        for (int v = 0; v < 2; v++) {
            const char *all[NB + 4];
            size_t n = 0;
            for (size_t i = 0; i < NB; i++) all[n++] = base[i];
            for (size_t i = 0; i < 3; i++) all[n++] = variants[r][i];
            all[n++] = v ? "scenario.solver=stride" : "scenario.solver=fixed";
            struct scn_options opt = { PRESET_DIR, all, n };
            diag_init(&d);
            if (scenario_load("scenarios/seed-dual-5090-us15a.ini", &opt, &sc[v], &d) != 0)
                fail_msg("many GPUs %zu: %s", r, d.n > 0 ? d.msg[0] : "scenario_load failed");
        }
        char err[256], label[64];
        engine *ef = engine_new(sc[0], err, sizeof err), *es = engine_new(sc[1], err, sizeof err);
        assert_non_null(ef);
        assert_non_null(es);
        struct engine_result rf, rs;
        assert_int_equal(engine_run(ef, NULL, NULL, &rf), 0);
        assert_int_equal(engine_run(es, NULL, NULL, &rs), 0);
        snprintf(label, sizeof label, "16 GPUs, %s %s", variants[r][0] + 12, variants[r][1] + 12);
        compare_results(label, sc[0], &rf, &rs);
        print_message("%s: DC mean %.1f W (fixed) %.1f W (stride), %zu strides, %zu single steps\n",
                      label, rf.psus[0].mean_dc_w, rs.psus[0].mean_dc_w, rs.n_strides,
                      rs.n_single);
        engine_free(ef);
        engine_free(es);
        scenario_free(sc[0]);
        scenario_free(sc[1]);
    }
    assert_int_equal(failures, 0);
}

/* Modelled spikes on a replayed log (issue 17, [trace] transients): the trace's
 * power times the spike train of its GPUs (engine.c, trace loads). The stride
 * path advances the train in closed form between its events, constant there,
 * so a stride is a ramp of the log times a constant: the general tolerances
 * hold (1e-4 for means, energies and heat, 2e-3 for peaks and window maxima).
 * Cases: the shipped example (2 GPUs, typical and worst), and the ramps log of
 * tests/solver (one GPU x count 3, starting at 0.3 s, so the train runs before
 * the log plays). In both paths the load's mean stays the log's: within 5e-4 of
 * the run without transients (the spike count's Poisson noise: 1.6e-4 for 20 s
 * of one GPU, its 3 sigma; without the base lowered the mean would be 2.8e-3
 * higher). The strides must still take most steps. */
static void trace_transients_agree(void **state)
{
    (void)state;
    static const struct {
        const char *path, *load, *sets[3];
    } cases[] = {
        { "scenarios/trace-replay-transients.ini", "gpus",
          { "trace.gpus.transients=typical", "scenario.duration=60s", NULL } },
        { "scenarios/trace-replay-transients.ini", "gpus",
          { "trace.gpus.transients=worst", "scenario.duration=60s", NULL } },
        { "tests/solver/trace-ramps.ini", "log",
          { "trace.log.transients=typical", "trace.log.count=3", "psu.main.rating=5000W" } },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const char *const *sets = cases[c].sets;
        size_t n = sets[2] ? 3 : 2;
        struct scenario *sf = load_sets(cases[c].path, sets, n, "fixed");
        struct scenario *ss = load_sets(cases[c].path, sets, n, "stride");
        char none[80], label[PATH_LEN + 64];
        snprintf(none, sizeof none, "trace.%s.transients=none", cases[c].load);
        const char *sets0[3] = { none, sets[1], sets[2] };   /* the same, no spikes */
        struct scenario *s0 = load_sets(cases[c].path, sets0, n, "fixed");
        struct engine_result rf, rs, r0;
        engine *ef = new_run(sf, &rf), *es = new_run(ss, &rs), *e0 = new_run(s0, &r0);
        snprintf(label, sizeof label, "%s (%s)", cases[c].path, sets[0]);
        compare_results(label, sf, &rf, &rs);
        size_t i = 0;
        while (strcmp(sf->loads[i].name, cases[c].load) != 0) i++;
        double m0 = r0.loads[i].mean_w;
        print_message("%s: load mean %.3f W (fixed) %.3f W (stride), %.3f W without; "
                      "100 us max %.1f W (%.1f W without); %zu strides, %zu single steps "
                      "of %zu\n", label, rf.loads[i].mean_w, rs.loads[i].mean_w, m0,
                      rf.loads[i].window_max_w[0], r0.loads[i].window_max_w[0],
                      rs.n_strides, rs.n_single, rs.n_steps);
        assert_true(fabs(rf.loads[i].mean_w - m0) <= 5e-4 * m0);
        assert_true(fabs(rs.loads[i].mean_w - m0) <= 5e-4 * m0);
        /* the spikes are there: the 100 us maximum above the log's by at least
         * one GPU's 0.5 ms spike among 3 (u >= 0.9): (0.9 x 1.567 + 2) / 3 = 1.14 */
        assert_true(rf.loads[i].window_max_w[0] > 1.1 * r0.loads[i].window_max_w[0]);
        assert_true(rs.n_strides > 0 && rs.n_single < rs.n_steps / 2);
        engine_free(ef);
        engine_free(es);
        engine_free(e0);
        scenario_free(sf);
        scenario_free(ss);
        scenario_free(s0);
    }
    assert_int_equal(failures, 0);
}

/* The same seed gives the same run, bit for bit (a second run of one engine,
 * and a new engine); another seed other spikes. */
static void trace_transients_reproducible(void **state)
{
    (void)state;
    const char *sets[2] = { "scenario.duration=20s", "scenario.seed=1" };
    const char *other[2] = { "scenario.duration=20s", "scenario.seed=2" };
    struct scenario *a = load_sets("scenarios/trace-replay-transients.ini", sets, 2, "stride");
    struct scenario *b = load_sets("scenarios/trace-replay-transients.ini", other, 2, "stride");
    struct engine_result r1, r2, r3, rb;
    engine *ea = new_run(a, &r1);
    double peak1 = r1.loads[0].peak_w, mean1 = r1.loads[0].mean_w;
    double w1 = r1.loads[0].window_max_w[1];
    assert_int_equal(engine_run(ea, NULL, NULL, &r2), 0);    /* the same engine again */
    engine *ea2 = new_run(a, &r3), *eb = new_run(b, &rb);
    assert_true(peak1 == r2.loads[0].peak_w && peak1 == r3.loads[0].peak_w);
    assert_true(mean1 == r2.loads[0].mean_w && mean1 == r3.loads[0].mean_w);
    assert_true(w1 == r2.loads[0].window_max_w[1] && w1 == r3.loads[0].window_max_w[1]);
    assert_true(peak1 != rb.loads[0].peak_w);
    engine_free(ea);
    engine_free(ea2);
    engine_free(eb);
    scenario_free(a);
    scenario_free(b);
}

/* A job longer than the run (issue 13, 4): the breakers' heat carried on from
 * the end of a 10 s run with the sustained current held (engine.c, extrapolate)
 * must give the trip times a run of the whole time finds, on every edge: a
 * second method, independent of the curves' parameters. The load is constant
 * from t = 0, so both see the same current; within 2 steps (the bisection's and
 * the run's end-of-step reporting). */
static void extrapolation_matches_a_whole_run(void **state)
{
    (void)state;
    struct scenario *s, *sl;
    engine *e, *el;
    struct engine_result r, rl;
    const char *ini = "tests/scenarios/extrapolate-trip.ini";
    run_file(ini, "stride", 0, NULL, NULL, &s, &e, &r);
    run_file(ini, "stride", 1800.0, NULL, NULL, &sl, &el, &rl);
    const struct engine_circuit_result *x = &r.circuits[0], *w = &rl.circuits[0];
    assert_int_equal(x->extrapolated, 1);
    int tripped = 0;
    for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++) {
        if (w->edge_trip[edge] == BREAKER_CLOSED) {
            /* a device the whole run did not trip: the extrapolation of the short
             * run must not trip it within those 30 min either */
            assert_true(isnan(x->extrap_trip_s[edge]) || x->extrap_trip_s[edge] > 1800.0);
            continue;
        }
        tripped++;
        double dt = s->sc.step_s;
        if (fabs(x->extrap_trip_s[edge] - w->edge_trip_time_s[edge]) > 2.5 * dt)
            fail_msg("edge %d: extrapolated %.6f s, whole run %.6f s", edge,
                     x->extrap_trip_s[edge], w->edge_trip_time_s[edge]);
    }
    assert_true(tripped >= 1);
    engine_free(e);
    scenario_free(s);
    engine_free(el);
    scenario_free(sl);
}

/* The PSU's window maxima extrapolated from 10 min to a 3 h job (engine.c,
 * end_block: Gumbel tail of 1 s block maxima) against what a run of the whole
 * 3 h finds (a second method), on the seed rig. Measured here: 1 ms 2139.5 W
 * vs 2139.5 W, 10 ms 1833.7 vs 1812.7 (+1.2 %), 100 ms 1687 vs 1681, 1 s equal;
 * the 100 us window's spikes are bounded, so the Gumbel law overestimates it
 * (2742 vs 2295 W): it must stay at or above the long run's (conservative). */
static void extreme_values_match_a_long_run(void **state)
{
    (void)state;
    const char *ini = "scenarios/seed-dual-5090-us15a.ini";
    char err[256];
    const char *sets_short[] = { "scenario.job=3h", "scenario.duration=10min" };
    const char *sets_long[] = { "scenario.job=3h", "scenario.duration=3h" };
    struct engine_result r[2];
    struct scenario *s[2];
    engine *e[2];
    for (int i = 0; i < 2; i++) {
        static struct diag d;
        diag_init(&d);
        struct scn_options opt = { PRESET_DIR, i ? sets_long : sets_short, 2 };
        assert_int_equal(scenario_load(ini, &opt, &s[i], &d), 0);
        e[i] = engine_new(s[i], err, sizeof err);
        assert_non_null(e[i]);
        assert_int_equal(engine_run(e[i], NULL, NULL, &r[i]), 0);
    }
    const struct engine_psu_result *x = &r[0].psus[0], *w = &r[1].psus[0];
    assert_true(x->evt_blocks >= 590);
    for (int k = 0; k < ENGINE_N_WINDOWS; k++) {
        double got = x->job_window_max_w[k], want = w->window_max_w[k];
        assert_true(got >= x->window_max_w[k]);
        if (k == 0) {
            if (!(got >= 0.99 * want)) fail_msg("100 us: %g W below the 3 h run's %g W", got, want);
            continue;
        }
        if (!(fabs(got - want) <= 0.03 * want))
            fail_msg("window %g s: extrapolated %g W, 3 h run %g W", engine_windows_s[k], got,
                     want);
    }
    for (int i = 0; i < 2; i++) {
        engine_free(e[i]);
        scenario_free(s[i]);
    }
}

/* A dead chain strides (issue 14, 2; needed once a job without a duration is
 * simulated whole): after the nominal edge trips at 78.8 s the circuit carries
 * nothing while the slow edge is carried on at the prospective 30 A until it
 * trips at 118.8 s. The stride path takes single steps only near events and
 * trips; every_scenario_agrees holds its trip times to the fixed path's. */
static void dead_chain_strides(void **state)
{
    (void)state;
    struct scenario *s;
    engine *e;
    struct engine_result r;
    run_file("tests/scenarios/trip-ul489-200pct.ini", "stride", 0, NULL, NULL, &s, &e, &r);
    assert_int_equal(r.circuits[0].trip, BREAKER_THERMAL);
    assert_int_equal(r.circuits[0].edge_trip[BREAKER_SLOW], BREAKER_THERMAL);
    /* 41,230 steps are dead (78.77 s .. 120 s at 1 ms): single-stepped they
     * alone would be a third of the run. With the current held, each of the
     * three trips lands inside a stride (issue 14, 1: before, the look-ahead
     * single-stepped about 7,000 steps near them): a handful of single steps */
    if (!(r.n_single <= 10))
        fail_msg("%zu single steps of %zu", r.n_single, r.n_steps);
    engine_free(e);
    scenario_free(s);
}

/* The inrush strides (issue 14): the first 90 ms after power-on (the inrush's
 * 69 ms to 1e-4 of its start, before the 100 ms output delay) at 10 us steps,
 * where the inrush is all the circuit carries but the PSUs' standby, agree
 * with the fixed path within the same tolerances, in pieces instead of the
 * 6,900 single steps the stride path took before: half an inrush time
 * constant (3.75 ms) on UL 489, 1e-3 of a BS 1362 fuse's fast body (0.175 ms,
 * 17 steps) on a 13 A plug. */
static void inrush_strides(void **state)
{
    (void)state;
    static const struct { const char *file; size_t max_pieces; } cases[] = {
        { "scenarios/seed-dual-5090-us15a.ini", 200 },
        { "scenarios/uk-13a-plug.ini", 1000 },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const char *sets[2] = { "scenario.step=10us", "scenario.duration=90ms" };
        struct scenario *sf = load_sets(cases[k].file, sets, 2, "fixed");
        struct scenario *ss = load_sets(cases[k].file, sets, 2, "stride");
        char err[256];
        engine *ef = engine_new(sf, err, sizeof err), *es = engine_new(ss, err, sizeof err);
        assert_non_null(ef);
        assert_non_null(es);
        struct engine_result rf, rs;
        assert_int_equal(engine_run(ef, NULL, NULL, &rf), 0);
        assert_int_equal(engine_run(es, NULL, NULL, &rs), 0);
        int before = failures;
        compare_results(cases[k].file, sf, &rf, &rs);
        assert_int_equal(failures, before);
        /* the peak is the inrush at power-on: the default 5 ohm NTC's V0 / 5 ohm
         * as RMS (scenario.c: sqrt(2) V0 / 5 ohm peak, engine.c: over sqrt(2)),
         * 24 A at 120 V and 46 A at 230 V, plus at most the standby's current */
        double i0 = ss->circuits[0].source_v / 5.0, pk = rs.circuits[0].peak_current_a;
        if (!(pk >= i0 * (1.0 - 1e-12) && pk <= i0 + rs.circuits[0].peak_load_current_a + 1e-9))
            fail_msg("%s: peak %.6g A, inrush %.6g A", cases[k].file, pk, i0);
        print_message("%s, 90 ms at 10 us: %zu single steps and %zu chain pieces of %zu "
                      "steps, peak %.2f A\n", cases[k].file, rs.n_single, rs.n_pieces,
                      rs.n_steps, rs.circuits[0].peak_current_a);
        if (rs.n_single + rs.n_pieces > cases[k].max_pieces)
            fail_msg("%s: %zu single steps, %zu chain pieces", cases[k].file, rs.n_single,
                     rs.n_pieces);
        engine_free(ef);
        engine_free(es);
        scenario_free(sf);
        scenario_free(ss);
    }
}

/* An early answer (issue 14, 5): with engine_set_stop_on_fail() a run ends after
 * the stride of its first event, which is the full run's first event (time and
 * kind), and the full run's verdict is FAIL. The heater scenario trips its
 * breaker at about 155 s of its 20 min. */
static void stop_on_fail_is_an_early_fail(void **state)
{
    (void)state;
    struct scenario *s;
    engine *e;
    struct engine_result full;
    run_file("scenarios/us15a-bedroom-heater.ini", "stride", 0, NULL, NULL, &s, &e, &full);
    assert_true(full.n_events > 0);
    struct engine_event first = full.events[0];
    double whole = full.simulated_s;
    struct verdict_report v = { 0 };
    assert_int_equal(verdict_judge(s, &full, &v), 0);
    assert_int_equal(v.overall, VERDICT_FAIL);
    verdict_report_free(&v);
    engine_set_stop_on_fail(e, 1);
    struct engine_result early;
    assert_int_equal(engine_run(e, NULL, NULL, &early), 0);
    assert_true(early.stopped_on_fail);
    assert_true(early.n_events >= 1);
    assert_int_equal(early.events[0].kind, first.kind);
    assert_true(fabs(early.events[0].t_s - first.t_s) <= 1e-9);
    /* it ends within one stride (at most 100 PFC time constants) of the event */
    if (!(early.simulated_s >= first.t_s && early.simulated_s <= first.t_s + 3.0))
        fail_msg("stopped at %g s, the event at %g s", early.simulated_s, first.t_s);
    assert_true(early.simulated_s < 0.2 * whole);
    engine_set_stop_on_fail(e, 0);
    struct engine_result again;
    assert_int_equal(engine_run(e, NULL, NULL, &again), 0);
    assert_false(again.stopped_on_fail);
    assert_true(fabs(again.simulated_s - whole) <= 1e-9);
    engine_free(e);
    scenario_free(s);
}

/* Lean runs (issue 14, 3; engine_set_load_windows): without the loads' window
 * maxima every other figure is the same to the bit, with either solver; the
 * DC loads' maxima (the GPUs and CPU of the seed rig) are NAN (not measured),
 * the AC loads' (the bedroom's cycling heater: the strip verdict reads their
 * 1 s window) the full run's. */
static void lean_runs_change_nothing_else(void **state)
{
    (void)state;
    const char *solvers[2] = { "stride", "fixed" };
    const char *rigs[2] = { "scenarios/seed-dual-5090-us15a.ini",
                            "scenarios/us15a-bedroom-heater.ini" };
    int ac = 0, dc = 0;
    for (int v = 0; v < 4; v++) {
        struct scenario *s;
        engine *e;
        struct engine_result full, lean;
        run_file(rigs[v / 2], solvers[v % 2], v % 2 ? 3.0 : 30.0, NULL, NULL, &s, &e, &full);
        size_t nc = s->n_circuits, np = s->n_psus, nl = s->n_loads;
        struct engine_circuit_result *c0 = malloc(nc * sizeof *c0);
        struct engine_psu_result *p0 = malloc(np * sizeof *p0);
        struct engine_load_result *l0 = malloc(nl * sizeof *l0);
        assert_non_null(c0);
        assert_non_null(p0);
        assert_non_null(l0);
        memcpy(c0, full.circuits, nc * sizeof *c0);
        memcpy(p0, full.psus, np * sizeof *p0);
        memcpy(l0, full.loads, nl * sizeof *l0);
        size_t n_events = full.n_events;
        engine_set_load_windows(e, 0);
        assert_int_equal(engine_run(e, NULL, NULL, &lean), 0);
        assert_int_equal(lean.n_events, n_events);
        assert_int_equal(memcmp(lean.circuits, c0, nc * sizeof *c0), 0);
        assert_int_equal(memcmp(lean.psus, p0, np * sizeof *p0), 0);
        for (size_t i = 0; i < nl; i++) {
            assert_true(lean.loads[i].mean_w == l0[i].mean_w);
            assert_true(lean.loads[i].peak_w == l0[i].peak_w);
            for (int k = 0; k < ENGINE_N_LOAD_WINDOWS; k++) {
                if (s->loads[i].on_circuit) {
                    assert_true(lean.loads[i].window_max_w[k] == l0[i].window_max_w[k]);
                    ac++;
                } else if (s->loads[i].kind != SCN_LOAD || s->loads[i].period_s > 0) {
                    assert_true(isnan(lean.loads[i].window_max_w[k]));
                    assert_true(isfinite(l0[i].window_max_w[k]));
                    dc++;
                }
            }
        }
        free(c0);
        free(p0);
        free(l0);
        engine_free(e);
        scenario_free(s);
    }
    assert_true(ac > 0 && dc > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_scenario_agrees),
        cmocka_unit_test(groups_agree),
        cmocka_unit_test(random_labs_agree),
        cmocka_unit_test(twins_change_nothing),
        cmocka_unit_test(random_rigs_agree),
        cmocka_unit_test(many_gpus_agree),
        cmocka_unit_test(trace_transients_agree),
        cmocka_unit_test(trace_transients_reproducible),
        cmocka_unit_test(samples_cover_the_run),
        cmocka_unit_test(steady_load_closed_form),
        cmocka_unit_test(extrapolation_matches_a_whole_run),
        cmocka_unit_test(extreme_values_match_a_long_run),
        cmocka_unit_test(dead_chain_strides),
        cmocka_unit_test(stop_on_fail_is_an_early_fail),
        cmocka_unit_test(lean_runs_change_nothing_else),
        cmocka_unit_test(inrush_strides),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}

/* test_scenario.c — scenario_load(): the happy paths (the seed scenario in SI,
 * defaults, presets, --set precedence, every unit form) and every error path,
 * each message checked for its place ("FILE:LINE:"), its section, its key and
 * what was expected. Also scenario_free(), scenario_kind_name() and
 * scenario_write_reference().
 *
 * Each test writes a small INI to a temporary file (mkstemp under /tmp, removed
 * right after loading) and loads it with the presets of scenarios/presets: run
 * from the top of the source tree, as `make check` does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bulk.h"
#include "diag.h"
#include "scenario.h"

#define PRESET_DIR "scenarios/presets"
#define SEED_FILE "scenarios/seed-dual-5090-us15a.ini"

/* ================================================================ helpers == */

/* One load: the file it read, the result and the messages. */
struct run {
    char path[160];         /* the file read (a temporary one is already removed) */
    int rc;                 /* scenario_load's return value */
    struct scenario *s;     /* the result, or NULL */
    struct diag d;          /* its messages */
    char keep[64];          /* a file the test keeps across loads; the teardown
                               removes it */
};

/* Fails unless |GOT - WANT| <= 1e-9 |WANT| (or <= 1e-12 when WANT is 0). */
#define assert_near(got, want) check_near((got), (want), #got, __FILE__, __LINE__)

static void check_near(double got, double want, const char *what, const char *file,
                       int line)
{
    double tol = want == 0 ? 1e-12 : 1e-9 * fabs(want);
    if (isfinite(got) && fabs(got - want) <= tol) return;
    print_error("%s:%d: %s = %.17g, want %.17g\n", file, line, what, got, want);
    fail();
}

/* Prints every message of R (for a failing check). */
static void dump(const struct run *r)
{
    print_error("scenario_load(%s) returned %d with %zu message(s):\n", r->path,
                r->rc, diag_total(&r->d));
    for (size_t i = 0; i < r->d.n; i++) print_error("  [%zu] %s\n", i, r->d.msg[i]);
}

/* Frees R's result, if any. */
static void done(struct run *r)
{
    scenario_free(r->s);
    r->s = NULL;
}

/* Writes LEN bytes of DATA to a fresh temporary file, loads it with the --set
 * texts SETS and removes the file. R->s is set to a sentinel first, so a load that
 * forgets to set *out is caught. */
static void load_bytes(struct run *r, const char *data, size_t len,
                       const char *const *sets, size_t n_sets)
{
    struct scenario sentinel;
    done(r);
    snprintf(r->path, sizeof r->path, "/tmp/psusim_test_scenario_XXXXXX");
    int fd = mkstemp(r->path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        remove(r->path);
        fail_msg("fdopen(%s) failed", r->path);
    }
    size_t put = fwrite(data, 1, len, f);
    int closed = fclose(f);
    if (put != len || closed != 0) {
        remove(r->path);
        fail_msg("could not write %s", r->path);
    }
    struct scn_options opt = { PRESET_DIR, sets, n_sets };
    diag_init(&r->d);
    r->s = &sentinel;
    r->rc = scenario_load(r->path, &opt, &r->s, &r->d);
    remove(r->path);
    if (r->s == &sentinel) fail_msg("scenario_load did not set *out");
}

static void load_text(struct run *r, const char *text, const char *const *sets,
                      size_t n_sets)
{
    load_bytes(r, text, strlen(text), sets, n_sets);
}

/* Loads PATH as it is (no temporary file). */
static void load_path(struct run *r, const char *path, const char *preset_dir)
{
    struct scn_options opt = { preset_dir, NULL, 0 };
    done(r);
    snprintf(r->path, sizeof r->path, "%s", path);
    diag_init(&r->d);
    r->s = NULL;
    r->rc = scenario_load(path, &opt, &r->s, &r->d);
}

/* The load succeeded with no messages. */
static void expect_ok(const struct run *r)
{
    if (r->rc != 0 || r->s == NULL || diag_total(&r->d) != 0) {
        dump(r);
        fail_msg("expected a clean load");
    }
}

/* The load failed with exactly N messages and no result. */
static void expect_errors(const struct run *r, size_t n)
{
    if (r->rc != -1 || r->s != NULL || diag_total(&r->d) != n) {
        dump(r);
        fail_msg("expected rc -1, *out NULL and %zu message(s)", n);
    }
}

/* Message I of R contains the place and every needle (a NULL-terminated list).
 * LINE > 0: "PATH:LINE: "; LINE == 0: "PATH: " (a whole-file message);
 * LINE < 0: no place (a --set message, which names the --set instead). */
static void expect_msg(const struct run *r, size_t i, int line, ...)
{
    char where[200];
    if (i >= r->d.n) {
        dump(r);
        fail_msg("no message %zu", i);
    }
    const char *m = r->d.msg[i];
    if (line > 0)
        snprintf(where, sizeof where, "%s:%d: ", r->path, line);
    else
        snprintf(where, sizeof where, "%s: ", r->path);
    if (line >= 0 && strstr(m, where) != m) {
        dump(r);
        fail_msg("message %zu does not start with '%s'", i, where);
    }
    va_list ap;
    va_start(ap, line);
    for (const char *needle; (needle = va_arg(ap, const char *)) != NULL;) {
        if (!strstr(m, needle)) {
            va_end(ap);
            dump(r);
            fail_msg("message %zu lacks '%s'", i, needle);
        }
    }
    va_end(ap);
}

/* Message I of R does not contain NEEDLE. */
static void expect_not_in(const struct run *r, size_t i, const char *needle)
{
    if (i < r->d.n && strstr(r->d.msg[i], needle)) {
        dump(r);
        fail_msg("message %zu should not contain '%s'", i, needle);
    }
}

/* Building blocks with fixed line counts. BASE is a valid scenario of 8 lines:
 *   1 [circuit wall]   2 preset = us-15a
 *   3 [psu main]       4 circuit = wall      5 rating = 2500 W
 *   6 [load gpu]       7 psu = main          8 power = 500 W
 * Lines appended to BASE belong to [load gpu] and start at line 9. */
#define CIRCUIT_WALL "[circuit wall]\npreset = us-15a\n"
#define PSU_MAIN "[psu main]\ncircuit = wall\nrating = 2500 W\n"
#define LOAD_GPU "[load gpu]\npsu = main\npower = 500 W\n"
#define BASE CIRCUIT_WALL PSU_MAIN LOAD_GPU

/* Each test gets a struct run (too large for cmocka's stack) as its state; the
 * teardown frees it and its result even when the test failed. */
static int run_setup(void **state)
{
    struct run *r = calloc(1, sizeof *r);
    if (!r) return -1;
    *state = r;
    return 0;
}

static int run_teardown(void **state)
{
    struct run *r = *state;
    if (r->keep[0]) remove(r->keep);
    done(r);
    free(r);
    return 0;
}

static int group_setup(void **state)
{
    (void)state;
    struct stat st;
    if (stat(PRESET_DIR, &st) != 0 || !S_ISDIR(st.st_mode)) {
        print_error("test_scenario: run from the top of the source tree (%s "
                    "not found)\n", PRESET_DIR);
        return -1;
    }
    return 0;
}

/* ============================================================ happy paths == */

/* The seed scenario in SI: its own keys, the us-15a preset, the defaults. */
static void test_seed_scenario(void **state)
{
    struct run *r = *state;
    load_path(r, SEED_FILE, PRESET_DIR);
    expect_ok(r);
    const struct scenario *s = r->s;
    assert_string_equal(s->path, SEED_FILE);

    assert_string_equal(s->sc.name, "Dual RTX 5090 on a US 15 A circuit");
    assert_near(s->sc.duration_s, 600.0);
    assert_near(s->sc.step_s, 50e-6);
    assert_near(s->sc.job_s, 28800.0);
    assert_near(s->sc.sample_s, 10e-3);
    assert_true(s->sc.seed == 42);

    assert_int_equal(s->n_circuits, 1);
    const struct scn_circuit *c = &s->circuits[0];
    assert_string_equal(c->name, "wall");
    assert_string_equal(c->preset, "us-15a");
    assert_near(c->voltage_v, 120.0);
    assert_near(c->frequency_hz, 60.0);
    assert_near(c->breaker_a, 15.0);
    assert_non_null(c->curve);
    assert_string_equal(c->curve->name, "ul489");
    assert_near(c->magnetic_multiple, 0.0);
    assert_near(c->wire_ohm, 0.25);
    assert_near(c->continuous_frac, 0.80);
    assert_near(c->continuous_a, 12.0);
    assert_int_equal(c->line, 26);

    assert_int_equal(s->n_psus, 1);
    const struct scn_psu *p = &s->psus[0];
    assert_string_equal(p->name, "main");
    assert_string_equal(p->circuit, "wall");
    assert_int_equal(p->circuit_index, 0);
    assert_near(p->params.rating_w, 2500.0);
    assert_string_equal(p->efficiency, "80plus-titanium");
    assert_true(p->params.eff_115.n >= 2);
    assert_true(p->params.eff_230.n >= 2);
    assert_true(p->params.pf.n >= 1);
    assert_near(p->min_input_v, 90.0);

    assert_int_equal(s->n_loads, 3);
    const struct scn_load *l = &s->loads[0];
    assert_string_equal(l->name, "rtx5090");
    assert_int_equal(l->kind, SCN_GPU);
    assert_string_equal(l->psu, "main");
    assert_int_equal(l->on_circuit, 0);
    assert_int_equal(l->target_index, 0);
    assert_near(l->rated_w, 575.0);                  /* from the rtx5090 preset */
    assert_near(l->limit_w, 575.0);
    assert_int_equal(l->count, 2);
    assert_near(l->start_s, 0.0);
    assert_near(l->period_s, 0.5);                   /* training default */
    assert_near(l->connector_limit_w, 666.0);        /* 12V-2x6 + slot */
    assert_string_equal(s->loads[1].name, "threadripper");
    assert_int_equal(s->loads[1].kind, SCN_CPU);
    assert_near(s->loads[1].pl1_w, 350.0);
    assert_int_equal(s->loads[1].count, 1);
    assert_string_equal(s->loads[2].name, "board");
    assert_int_equal(s->loads[2].kind, SCN_LOAD);
    assert_near(s->loads[2].power_w, 150.0);
}

/* No [scenario] section at all: every [scenario] key takes its default; an IEC
 * breaker's continuous limit defaults to 100 % of In. */
static void test_defaults_without_scenario_section(void **state)
{
    struct run *r = *state;
    load_text(r,
              "[circuit wall]\n"
              "voltage = 230 V\n"
              "breaker = 16 A\n"
              "curve   = iec-b\n"
              "[load heater]\n"
              "circuit = wall\n"
              "power   = 2 kW\n", NULL, 0);
    expect_ok(r);
    const struct scenario *s = r->s;
    assert_near(s->sc.duration_s, 600.0);
    assert_near(s->sc.step_s, 50e-6);
    assert_near(s->sc.sample_s, 10e-3);
    assert_near(s->sc.job_s, 600.0);                 /* job = duration */
    assert_true(s->sc.seed == 1);
    assert_true(s->sc.given == 0);
    const char *base = strrchr(r->path, '/') + 1;
    assert_string_equal(s->sc.name, base);           /* the file name */
    assert_string_equal(s->sc.description, "");

    const struct scn_circuit *c = &s->circuits[0];
    assert_string_equal(c->preset, "");
    assert_near(c->frequency_hz, 60.0);
    assert_near(c->wire_ohm, 0.0);
    assert_near(c->continuous_frac, 1.0);
    assert_near(c->continuous_a, 16.0);

    assert_int_equal(s->n_psus, 0);
    const struct scn_load *l = &s->loads[0];
    assert_int_equal(l->on_circuit, 1);
    assert_int_equal(l->target_index, 0);
    assert_near(l->power_w, 2000.0);
    assert_int_equal(l->count, 1);
    assert_near(l->pf, 1.0);
    assert_true(isinf(l->stop_s));
}

/* The PSU's dynamics defaults are the values bulk.h derives and tests: PFC tau
 * 26 ms (-3 dB at 15.2 Hz, inside the cited 10-20 Hz), bulk 390 V, drop-out
 * 340 V (the Leadex Titanium 1600 W's measured 16 ms hold-up). */
static void test_psu_dynamics_defaults(void **state)
{
    struct run *r = *state;
    load_text(r,
              "[circuit wall]\n"
              "voltage = 120 V\n"
              "breaker = 20 A\n"
              "curve   = ul489\n"
              "[psu main]\n"
              "circuit = wall\n"
              "rating  = 1000 W\n"
              "[load rig]\n"
              "psu   = main\n"
              "power = 500 W\n", NULL, 0);
    expect_ok(r);
    const struct scn_psu *p = &r->s->psus[0];
    assert_near(p->pfc_tau_s, BULK_PFC_TAU_DEFAULT_S);
    assert_near(p->bulk_v, BULK_V_NOMINAL_DEFAULT);
    assert_near(p->dropout_v, BULK_V_DROPOUT_DEFAULT);
}

/* A UL 489 breaker without continuous_limit: 80 % (NEC 210.19(A)). The job, when
 * given, is kept apart from the duration. */
static void test_ul489_default_continuous(void **state)
{
    struct run *r = *state;
    load_text(r,
              "[scenario]\n"
              "duration = 1 h\n"
              "job      = 3 h\n"
              "[circuit wall]\n"
              "voltage = 120 V\n"
              "breaker = 20 A\n"
              "curve   = ul489\n"
              "[load heater]\n"
              "circuit = wall\n"
              "power   = 1500 W\n", NULL, 0);
    expect_ok(r);
    assert_near(r->s->sc.duration_s, 3600.0);
    assert_near(r->s->sc.job_s, 3 * 3600.0);
    assert_near(r->s->circuits[0].continuous_frac, 0.80);
    assert_near(r->s->circuits[0].continuous_a, 16.0);
}

/* A key in the section wins over its preset; the preset fills the rest. */
static void test_key_overrides_preset(void **state)
{
    struct run *r = *state;
    load_text(r,
              "[circuit wall]\n"
              "preset  = us-15a\n"
              "breaker = 20 A\n"
              "[psu main]\n"
              "preset  = generic-2500w-titanium\n"
              "circuit = wall\n"
              "rating  = 2200 W\n"
              "[load gpu]\n"
              "psu   = main\n"
              "power = 500 W\n", NULL, 0);
    expect_ok(r);
    const struct scn_circuit *c = &r->s->circuits[0];
    assert_string_equal(c->preset, "us-15a");
    assert_near(c->breaker_a, 20.0);         /* the file's */
    assert_near(c->voltage_v, 120.0);        /* the preset's */
    assert_string_equal(c->curve->name, "ul489");
    assert_near(c->continuous_a, 16.0);      /* the preset's 80 % of the file's 20 A */
    const struct scn_psu *p = &r->s->psus[0];
    assert_string_equal(p->preset, "generic-2500w-titanium");
    assert_near(p->params.rating_w, 2200.0);
    assert_string_equal(p->efficiency, "80plus-titanium");
}

/* --set wins over the file and the preset. */
static void test_set_overrides_file_and_preset(void **state)
{
    const char *sets[] = { "psu.main.rating=2000W", "scenario.duration=1h",
                           "circuit.wall.breaker=20 A" };
    struct run *r = *state;
    load_text(r,
              "[scenario]\n"
              "duration = 10 min\n"
              "[circuit wall]\n"
              "preset = us-15a\n"
              "[psu main]\n"
              "preset  = generic-2500w-titanium\n"
              "circuit = wall\n"
              "rating  = 2200 W\n"
              "[load gpu]\n"
              "psu   = main\n"
              "power = 500 W\n", sets, 3);
    expect_ok(r);
    assert_near(r->s->psus[0].params.rating_w, 2000.0);
    assert_near(r->s->sc.duration_s, 3600.0);
    assert_near(r->s->sc.job_s, 3600.0);              /* follows the duration */
    assert_near(r->s->circuits[0].breaker_a, 20.0);   /* over the preset */
}

/* [scenario] is optional, so --set scenario.KEY works without it. */
static void test_set_scenario_without_section(void **state)
{
    const char *sets[] = { "scenario.duration=1h", "scenario.seed=7" };
    struct run *r = *state;
    load_text(r, BASE, sets, 2);
    expect_ok(r);
    assert_near(r->s->sc.duration_s, 3600.0);
    assert_near(r->s->sc.job_s, 3600.0);
    assert_true(r->s->sc.seed == 7);
    assert_near(r->s->sc.step_s, 50e-6);
}

/* The same key set twice: the last --set wins. */
static void test_set_repeated_last_wins(void **state)
{
    const char *sets[] = { "psu.main.rating=1500W", "psu.main.rating=1800W",
                           "load.gpu.count=3", "load.gpu.count=4" };
    struct run *r = *state;
    load_text(r, BASE, sets, 4);
    expect_ok(r);
    assert_near(r->s->psus[0].params.rating_w, 1800.0);
    assert_int_equal(r->s->loads[0].count, 4);
}

/* Every unit form the loader takes, scaled to SI. */
static void test_unit_forms(void **state)
{
    struct run *r = *state;
    load_text(r,
              "[scenario]\n"
              "duration = 2 d\n"
              "step     = 0.1 ms\n"
              "job      = 8 h\n"
              "sample   = 250 \xC2\xB5s\n"
              "seed     = 18446744073709551615\n"
              "[circuit wall]\n"
              "voltage         = 0.23 kV\n"
              "frequency       = 50 Hz\n"
              "breaker         = 16000 mA\n"
              "curve           = iec-c\n"
              "magnetic        = 7.5\n"
              "wire_resistance = 250 mohm\n"
              "[psu main]\n"
              "circuit   = wall\n"
              "rating    = 2.5 kW\n"
              "min_input = 100 V\n"
              "[load gpu]\n"
              "psu   = main\n"
              "power = 0.575 kW\n"
              "count = 2\n"
              "start = 1 min\n"
              "stop  = 3600 s\n"
              "[load fan]\n"
              "circuit = wall\n"
              "power   = 40000 mW\n"
              "pf      = 95 %\n", NULL, 0);
    expect_ok(r);
    const struct scenario *s = r->s;
    assert_near(s->sc.duration_s, 2 * 86400.0);
    assert_near(s->sc.step_s, 1e-4);
    assert_near(s->sc.job_s, 8 * 3600.0);
    assert_near(s->sc.sample_s, 250e-6);
    assert_true(s->sc.seed == UINT64_MAX);
    assert_near(s->circuits[0].voltage_v, 230.0);
    assert_near(s->circuits[0].frequency_hz, 50.0);
    assert_near(s->circuits[0].breaker_a, 16.0);
    assert_near(s->circuits[0].magnetic_multiple, 7.5);
    assert_near(s->circuits[0].wire_ohm, 0.25);
    assert_near(s->psus[0].params.rating_w, 2500.0);
    assert_near(s->psus[0].min_input_v, 100.0);
    assert_near(s->loads[0].power_w, 575.0);
    assert_near(s->loads[0].start_s, 60.0);
    assert_near(s->loads[0].stop_s, 3600.0);
    assert_near(s->loads[1].power_w, 40.0);
    assert_near(s->loads[1].pf, 0.95);
    assert_int_equal(s->loads[1].on_circuit, 1);
}

/* continuous_limit as a percentage, a bare fraction and a current. */
static void test_continuous_limit_forms(void **state)
{
    struct run *r = *state;
    static const struct {
        const char *value;
        double frac, amps;
    } cases[] = {
        { "80 %", 0.80, 12.0 },
        { "50%", 0.50, 7.5 },
        { "0.9", 0.90, 13.5 },
        { "100 %", 1.00, 15.0 },
        { "10 A", 0.0, 10.0 },
        { "15 A", 0.0, 15.0 },
        { "12000 mA", 0.0, 12.0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[256];
        snprintf(text, sizeof text,
                 "[circuit wall]\nvoltage = 120 V\nbreaker = 15 A\ncurve = ul489\n"
                 "continuous_limit = %s\n[load gpu]\ncircuit = wall\npower = 5 W\n",
                 cases[i].value);
        load_text(r, text, NULL, 0);
        expect_ok(r);
        assert_near(r->s->circuits[0].continuous_frac, cases[i].frac);
        assert_near(r->s->circuits[0].continuous_a, cases[i].amps);
    }
}

/* Efficiency as measured points: both voltages take them, PF the Gold default. */
static void test_efficiency_points(void **state)
{
    struct run *r = *state;
    load_text(r,
              CIRCUIT_WALL
              "[psu main]\n"
              "circuit    = wall\n"
              "rating     = 1000 W\n"
              "efficiency = 20%:0.90, 50%:92%, 100%:0.89\n"
              LOAD_GPU, NULL, 0);
    expect_ok(r);
    const struct psu_params *pp = &r->s->psus[0].params;
    assert_string_equal(r->s->psus[0].efficiency, "20%:0.90, 50%:92%, 100%:0.89");
    assert_int_equal(pp->eff_115.n, 3);
    assert_near(pp->eff_115.load[0], 0.20);
    assert_near(pp->eff_115.load[2], 1.00);
    assert_near(pp->eff_115.value[0], 0.90);
    assert_near(pp->eff_115.value[1], 0.92);
    assert_near(pp->eff_115.value[2], 0.89);
    assert_int_equal(pp->eff_230.n, 3);
    assert_near(pp->eff_230.value[1], 0.92);
    assert_true(pp->pf.n >= 1);
}

/* efficiency_115 replaces the level's 115 V curve only. */
static void test_efficiency_115_override(void **state)
{
    struct run *r = *state;
    load_text(r,
              CIRCUIT_WALL
              "[psu main]\n"
              "circuit        = wall\n"
              "rating         = 1000 W\n"
              "efficiency     = 80plus-gold\n"
              "efficiency_115 = 10%:0.80, 50%:0.88, 100%:0.85\n"
              LOAD_GPU, NULL, 0);
    expect_ok(r);
    const struct psu_params *pp = &r->s->psus[0].params;
    assert_int_equal(pp->eff_115.n, 3);
    assert_near(pp->eff_115.load[0], 0.10);
    assert_near(pp->eff_115.value[1], 0.88);

    struct psu_curve e115, e230, pf;
    assert_int_equal(psu_level_curves("80plus-gold", &e115, &e230, &pf), 0);
    assert_int_equal(pp->eff_230.n, e230.n);
    for (size_t i = 0; i < e230.n; i++) assert_near(pp->eff_230.value[i], e230.value[i]);
}

/* A PSU's pf as one value (a constant) and as points. */
static void test_pf_value_and_points(void **state)
{
    struct run *r = *state;
    load_text(r,
              CIRCUIT_WALL
              "[psu a]\ncircuit = wall\nrating = 1000 W\npf = 0.97\n"
              "[psu b]\ncircuit = wall\nrating = 1000 W\npf = 99 %\n"
              "[psu c]\ncircuit = wall\nrating = 1000 W\npf = 20%:0.95, 100%:0.99\n"
              "[load x]\npsu = c\npower = 100 W\n", NULL, 0);
    expect_ok(r);
    const struct psu_curve *a = &r->s->psus[0].params.pf;
    assert_int_equal(a->n, 1);
    assert_near(a->load[0], 1.0);
    assert_near(a->value[0], 0.97);
    assert_near(r->s->psus[1].params.pf.value[0], 0.99);
    const struct psu_curve *c = &r->s->psus[2].params.pf;
    assert_int_equal(c->n, 2);
    assert_near(c->load[0], 0.20);
    assert_near(c->value[0], 0.95);
    assert_near(c->load[1], 1.00);
    assert_near(c->value[1], 0.99);
    assert_int_equal(r->s->loads[0].target_index, 2);
}

/* A square-wave load: on defaults to the period; the given on is kept. */
static void test_schedule(void **state)
{
    struct run *r = *state;
    load_text(r, BASE
              "start  = 10 s\n"
              "stop   = 20 s\n"
              "period = 2 s\n"
              "on     = 500 ms\n"
              "[load steady]\npsu = main\npower = 1 W\nperiod = 1 s\n", NULL, 0);
    expect_ok(r);
    const struct scn_load *l = &r->s->loads[0];
    assert_near(l->start_s, 10.0);
    assert_near(l->stop_s, 20.0);
    assert_near(l->period_s, 2.0);
    assert_near(l->on_s, 0.5);
    assert_near(r->s->loads[1].on_s, 1.0);
}

/* Text conveniences: a UTF-8 byte order mark, CRLF ends, indented keys, ';' and
 * '#' comments, inline comments, ':' as the separator. */
static void test_text_forms(void **state)
{
    struct run *r = *state;
    load_text(r,
              "\xEF\xBB\xBF[circuit wall]\r\n"
              "  preset = us-15a   ; inline comment\r\n"
              "# a comment\r\n"
              "\t; another\r\n"
              "[psu main]\r\n"
              "\tcircuit: wall\r\n"
              "    rating = 2500 W\r\n"
              "[ load  gpu ]\r\n"
              "psu = main\r\n"
              "power = 500 W\r\n"
              "description = GPU; the big one\r\n", NULL, 0);
    expect_ok(r);
    assert_string_equal(r->s->circuits[0].name, "wall");
    assert_near(r->s->circuits[0].voltage_v, 120.0);
    assert_string_equal(r->s->psus[0].circuit, "wall");
    assert_near(r->s->psus[0].params.rating_w, 2500.0);
    assert_string_equal(r->s->loads[0].name, "gpu");
    assert_string_equal(r->s->loads[0].description, "GPU; the big one");
    assert_int_equal(r->s->loads[0].line, 8);
}

/* A line of exactly 198 characters (libinih's limit) is read whole. */
static void test_longest_line(void **state)
{
    char text[1024], desc[256];
    const char *key = "description = ";
    size_t n = 198 - strlen(key);
    memset(desc, 'x', n);
    desc[n] = '\0';
    snprintf(text, sizeof text, BASE "%s%s\n", key, desc);
    struct run *r = *state;
    load_text(r, text, NULL, 0);
    expect_ok(r);
    assert_int_equal(strlen(r->s->loads[0].description), n);
}

/* ================================================== errors: keys, values == */

/* A misspelt key: "did you mean", and the key it should have been is missing. */
static void test_unknown_key_suggestion(void **state)
{
    struct run *r = *state;
    load_text(r, CIRCUIT_WALL
              "[psu main]\n"          /* 3 */
              "circuit = wall\n"      /* 4 */
              "ratng = 2500 W\n"      /* 5 */
              LOAD_GPU, NULL, 0);
    expect_errors(r, 2);
    expect_msg(r, 0, 5, "[psu main]: unknown key 'ratng'; did you mean 'rating'?",
               NULL);
    expect_msg(r, 1, 3, "[psu main]: missing required key 'rating'", NULL);
}

static void test_unknown_key_no_suggestion(void **state)
{
    struct run *r = *state;
    load_text(r, BASE "colour = red\n", NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 9, "[load gpu]: unknown key 'colour'", NULL);
    expect_not_in(r, 0, "did you mean");
}

static void test_wrong_unit(void **state)
{
    struct run *r = *state;
    load_text(r, CIRCUIT_WALL
              "[psu main]\n"          /* 3 */
              "circuit = wall\n"      /* 4 */
              "rating = 15 A\n"       /* 5 */
              LOAD_GPU, NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 5, "[psu main] rating: ", "expected a power (W, kW",
               "got a current ('A')", NULL);
}

/* Three values out of their rows' ranges, in one file: all three reported. */
static void test_out_of_range(void **state)
{
    struct run *r = *state;
    load_text(r,
              "[scenario]\n"          /* 1 */
              "step = 5 ms\n"         /* 2 */
              "[circuit wall]\n"      /* 3 */
              "voltage = 1 kV\n"      /* 4 */
              "breaker = 0 A\n"       /* 5 */
              "curve = ul489\n"       /* 6 */
              "[load gpu]\n"          /* 7 */
              "circuit = wall\n"      /* 8 */
              "power = 5 W\n", NULL, 0);
    expect_errors(r, 3);
    expect_msg(r, 0, 2, "[scenario] step: 5 ms is out of range",
               "expected from 1e-05 s to 0.001 s", NULL);
    expect_msg(r, 1, 4, "[circuit wall] voltage: 1 kV is out of range",
               "expected from 50 V to 480 V", NULL);
    expect_msg(r, 2, 5, "[circuit wall] breaker: 0 A is out of range",
               "expected from 1 A to 125 A", NULL);
}

/* Fractions show their range in percent; an open lower bound says "above". */
static void test_out_of_range_fraction(void **state)
{
    struct run *r = *state;
    load_text(r, CIRCUIT_WALL PSU_MAIN
              "[load lamp]\n"         /* 6 */
              "circuit = wall\n"      /* 7 */
              "power = 60 W\n"        /* 8 */
              "pf = 0\n", NULL, 0);   /* 9 */
    expect_errors(r, 1);
    expect_msg(r, 0, 9, "[load lamp] pf: 0 is out of range",
               "expected above 0 % and at most 100 %", NULL);
}

static void test_negative_power(void **state)
{
    struct run *r = *state;
    load_text(r, CIRCUIT_WALL
              "[psu main]\n"          /* 3 */
              "circuit = wall\n"      /* 4 */
              "rating = -2500 W\n"    /* 5 */
              "[load gpu]\n"          /* 6 */
              "psu = main\n"          /* 7 */
              "power = -500 W\n", NULL, 0);  /* 8 */
    expect_errors(r, 2);
    expect_msg(r, 0, 5, "[psu main] rating: -2500 W is out of range",
               "expected from 50 W to 20000 W", NULL);
    expect_msg(r, 1, 8, "[load gpu] power: -500 W is out of range",
               "expected from 0 W", NULL);
}

static void test_nan(void **state)
{
    struct run *r = *state;
    load_text(r, BASE "count = 2\n" "start = nan s\n", NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 10, "[load gpu] start: ", "NaN is not a valid value", NULL);

    load_text(r, BASE "stop = inf\n", NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 9, "[load gpu] stop: ", "infinity is not a valid value", NULL);
}

static void test_empty_value(void **state)
{
    struct run *r = *state;
    load_text(r, CIRCUIT_WALL
              "[psu main]\n"          /* 3 */
              "circuit = wall\n"      /* 4 */
              "rating =\n"            /* 5 */
              LOAD_GPU
              "description =\n", NULL, 0);  /* 9: empty text is fine */
    expect_errors(r, 1);
    expect_msg(r, 0, 5, "[psu main] rating: the value is empty", NULL);
}

/* A missing required key names the section's header line. */
static void test_missing_required_key(void **state)
{
    struct run *r = *state;
    load_text(r,
              "; a comment\n"         /* 1 */
              "[circuit wall]\n"      /* 2 */
              "voltage = 120 V\n"     /* 3 */
              "curve = ul489\n"       /* 4 */
              "[load gpu]\n"          /* 5 */
              "circuit = wall\n", NULL, 0);
    expect_errors(r, 2);
    expect_msg(r, 0, 2, "[circuit wall]: missing required key 'breaker'",
               "(rated current In of the breaker)", NULL);
    expect_msg(r, 1, 5, "[load gpu]: missing required key 'power'", NULL);
}

/* The other value types: names, seeds, counts, limits, single values. */
static void test_bad_values(void **state)
{
    struct run *r = *state;
    load_text(r,
              "[scenario]\n"                  /* 1 */
              "seed = -1\n"                   /* 2 */
              "[circuit wall]\n"              /* 3 */
              "preset = us-15a\n"             /* 4 */
              "continuous_limit = 150 %\n"    /* 5 */
              "[psu main]\n"                  /* 6 */
              "circuit = the wall\n"          /* 7 */
              "rating = 1000 W\n"             /* 8 */
              "pf = 1.5\n"                    /* 9 */
              "[load gpu]\n"                  /* 10 */
              "psu = main\n"                  /* 11 */
              "power = 5 W\n"                 /* 12 */
              "count = 2.5\n", NULL, 0);      /* 13 */
    expect_errors(r, 5);
    expect_msg(r, 0, 2, "[scenario] seed: expected a whole number from 0 to "
               "18446744073709551615; got '-1'", NULL);
    expect_msg(r, 1, 5, "[circuit wall] continuous_limit: expected a share of the "
               "breaker rating", "got '150 %'", NULL);
    expect_msg(r, 2, 7, "[psu main] circuit: expected a name of letters, digits",
               "got 'the wall'", NULL);
    expect_msg(r, 3, 9, "[psu main] pf: expected a value above 0 and at most 1",
               "got '1.5'", NULL);
    expect_msg(r, 4, 13, "[load gpu] count: expected a whole number from 1 to 1024; "
               "got '2.5'", NULL);

    load_text(r, BASE "count = 2.5\n" "[circuit c2]\nvoltage = 120 V\nbreaker = 15 A\n"
              "curve = ul489\ncontinuous_limit = 500 W\n", NULL, 0);
    expect_errors(r, 2);
    expect_msg(r, 0, 9, "[load gpu] count: expected a whole number from 1 to 1024; "
               "got '2.5'", NULL);
    expect_msg(r, 1, 14, "[circuit c2] continuous_limit: ", "or a current (10 A); "
               "got '500 W'", NULL);
}

/* ============================================== errors: sections, lines == */

static void test_unknown_section_kind(void **state)
{
    struct run *r = *state;
    load_text(r, "[circiut wall]\npreset = us-15a\n" PSU_MAIN LOAD_GPU
              "[frobnicator x]\n", NULL, 0);
    expect_errors(r, 2);
    expect_msg(r, 0, 1, "unknown section kind 'circiut'; did you mean 'circuit'?",
               "(known: scenario, circuit, psu, load, gpu, cpu, trace, ups, strip, panel)", NULL);
    expect_msg(r, 1, 9, "unknown section kind 'frobnicator'", NULL);
    expect_not_in(r, 1, "did you mean");
}

static void test_future_section_kind(void **state)
{
    struct run *r = *state;
    load_text(r, BASE "[gpu x]\npower = 575 W\n", NULL, 0);
    expect_errors(r, 3);
    expect_msg(r, 0, 10, "[gpu x]: unknown key 'power'", NULL);
    expect_msg(r, 1, 9, "[gpu x]: missing required key 'psu'", NULL);
    expect_msg(r, 2, 9, "[gpu x]: missing required key 'rated'", NULL);
}

static void test_scenario_with_name(void **state)
{
    struct run *r = *state;
    load_text(r, "[scenario foo]\nduration = 1 h\n" BASE, NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 1, "[scenario] takes no name; got '[scenario foo]'", NULL);
}

static void test_section_without_name(void **state)
{
    struct run *r = *state;
    load_text(r, CIRCUIT_WALL "[psu]\ncircuit = wall\nrating = 2500 W\n" LOAD_GPU,
              NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 3, "[psu] needs a name of letters, digits, '_' and '-'",
               "got '[psu]'", NULL);
}

static void test_bad_name_characters(void **state)
{
    struct run *r = *state;
    load_text(r, CIRCUIT_WALL "[psu ma!n]\ncircuit = wall\nrating = 2500 W\n" LOAD_GPU,
              NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 3, "[psu] needs a name", "got '[psu ma!n]'", NULL);

    load_text(r, BASE "[load big gpu]\npower = 5 W\n", NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 9, "a section header is '[KIND NAME]'", "got '[load big gpu]'",
               NULL);
}

/* A section given twice: both lines named; the second's keys are not merged. */
static void test_duplicate_section(void **state)
{
    struct run *r = *state;
    load_text(r, BASE "[psu x]\ncircuit = wall\nrating = 1 kW\n"  /* 9-11 */
              "[load gpu]\npower = 100 W\n", NULL, 0);            /* 12-13 */
    expect_errors(r, 1);
    expect_msg(r, 0, 12, "[load gpu] appears twice (first at line 6)", NULL);
}

/* A key given twice in a section: the second line, naming the first. */
static void test_duplicate_key(void **state)
{
    struct run *r = *state;
    load_text(r, BASE "count = 2\n" "power = 600 W\n", NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 10, "[load gpu] power: given twice (first at line 8)", NULL);
}

static void test_key_before_section(void **state)
{
    struct run *r = *state;
    load_text(r, "; header comment\nduration = 1 h\n" BASE, NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 2, "'duration' stands before any section",
               "put it under [scenario]", NULL);
}

static void test_line_without_equals(void **state)
{
    struct run *r = *state;
    load_text(r, BASE "two GPUs here\n" "= 5 W\n", NULL, 0);
    expect_errors(r, 2);
    expect_msg(r, 0, 9, "expected 'key = value', '[section]' or a comment",
               "got 'two GPUs here'", NULL);
    expect_msg(r, 1, 10, "a key is missing before '='", NULL);
}

/* An unterminated header is reported once; the keys under it are not filed under
 * the section before it. */
static void test_unterminated_section(void **state)
{
    struct run *r = *state;
    load_text(r, CIRCUIT_WALL
              "[psu main\n"           /* 3 */
              "circuit = wall\n"      /* 4 */
              "rating = 2500 W\n"     /* 5 */
              "[load gpu] extra\n"    /* 6 */
              "psu = main\n"          /* 7 */
              "power = 500 W\n", NULL, 0);
    expect_errors(r, 2);
    expect_msg(r, 0, 3, "a section header must look like '[psu main]'",
               "got '[psu main'", NULL);
    expect_msg(r, 1, 6, "a section header must look like", "got '[load gpu] extra'",
               NULL);
}

/* A line over 198 characters is reported with its number, and the lines after it
 * keep theirs. */
static void test_long_line(void **state)
{
    char text[2048], comment[300];
    memset(comment, 'x', 249);
    comment[0] = ';';
    comment[249] = '\0';                /* 249 characters */
    char key[256] = "description = ";
    size_t k = strlen(key);
    memset(key + k, 'y', 199 - k);      /* a value line of 199 characters */
    key[199] = '\0';
    snprintf(text, sizeof text,
             CIRCUIT_WALL                /* 1-2 */
             "%s\n"                      /* 3 */
             PSU_MAIN                    /* 4-6 */
             "[load gpu]\n"              /* 7 */
             "%s\n"                      /* 8 */
             "psu = main\n"              /* 9 */
             "power = 500 W\n"           /* 10 */
             "count = 0\n",              /* 11 */
             comment, key);
    struct run *r = *state;
    load_text(r, text, NULL, 0);
    expect_errors(r, 3);
    expect_msg(r, 0, 3, "the line is 249 characters long; the most libinih reads is "
               "198", NULL);
    expect_msg(r, 1, 8, "the line is 199 characters long", NULL);
    expect_msg(r, 2, 11, "[load gpu] count: expected a whole number from 1 to 1024",
               NULL);
}

/* Binary data (a NUL byte) is reported on its line; numbering goes on. */
static void test_binary(void **state)
{
    static const char data[] =
        CIRCUIT_WALL                    /* 1-2 */
        "ab\0cd\x01\n"                  /* 3 */
        PSU_MAIN                        /* 4-6 */
        "[load gpu]\n"                  /* 7 */
        "psu = main\n"                  /* 8 */
        "power = 500 A\n";              /* 9 */
    struct run *r = *state;
    load_bytes(r, data, sizeof data - 1, NULL, 0);
    expect_errors(r, 2);
    expect_msg(r, 0, 3, "the line holds control characters or binary data", NULL);
    expect_msg(r, 1, 9, "[load gpu] power: expected a power", NULL);
}

static void test_empty_file(void **state)
{
    struct run *r = *state;
    load_text(r, "", NULL, 0);
    expect_errors(r, 2);
    expect_msg(r, 0, 0, "no [circuit NAME] section", NULL);
    expect_msg(r, 1, 0, "no [load NAME] section: nothing draws power", NULL);
}

static void test_directory(void **state)
{
    char dir[] = "/tmp/psusim_test_dir_XXXXXX";
    assert_non_null(mkdtemp(dir));
    struct run *r = *state;
    load_path(r, dir, PRESET_DIR);
    rmdir(dir);
    expect_errors(r, 1);
    expect_msg(r, 0, 0, "not a regular file (it is a directory)", NULL);
}

static void test_missing_file(void **state)
{
    char path[] = "/tmp/psusim_test_gone_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    remove(path);
    struct run *r = *state;
    load_path(r, path, PRESET_DIR);
    expect_errors(r, 1);
    expect_msg(r, 0, 0, "cannot read: No such file or directory", NULL);
}

/* =================================================== errors: presets == */

/* A misspelt preset: one message (the keys it would give are not "missing"). */
static void test_unknown_preset(void **state)
{
    struct run *r = *state;
    load_text(r, "[circuit wall]\npreset = us-15\n" PSU_MAIN LOAD_GPU, NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 2, "[circuit wall] preset: no circuit preset 'us-15'; did you "
               "mean 'us-15a'?", "psusim presets circuit", NULL);
}

static void test_preset_wrong_kind(void **state)
{
    struct run *r = *state;
    load_text(r, CIRCUIT_WALL "[psu main]\npreset = us-15a\ncircuit = wall\n" LOAD_GPU,
              NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 4, "[psu main] preset: no psu preset 'us-15a'",
               "psusim presets psu", NULL);
}

/* A preset without a readable preset folder. */
static void test_preset_folder_missing(void **state)
{
    struct run *r = *state;
    char *path = r->keep;
    snprintf(path, sizeof r->keep, "/tmp/psusim_test_scenario_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(BASE, f);
    fclose(f);

    load_path(r, path, NULL);
    expect_errors(r, 1);
    expect_msg(r, 0, 2, "[circuit wall] preset: no preset folder could be read", NULL);

    load_path(r, path, "/nonexistent/psusim/presets");
    expect_errors(r, 2);
    expect_msg(r, 0, -1, "/nonexistent/psusim/presets: cannot read the preset folder",
               NULL);
    expect_msg(r, 1, 2, "no preset folder could be read", NULL);
}

/* An unknown key that comes from a preset names the preset file's line. */
static void test_preset_entry_errors(void **state)
{
    char dir[] = "/tmp/psusim_test_presets_XXXXXX";
    char file[64], scen[64];
    assert_non_null(mkdtemp(dir));
    snprintf(file, sizeof file, "%s/mine.ini", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("[psu odd]\nrating = 1000 W\nwattage = 1000 W\n", f);
    fclose(f);
    snprintf(scen, sizeof scen, "%s/scenario.txt", dir);   /* not *.ini: no preset */
    f = fopen(scen, "w");
    assert_non_null(f);
    fputs("[circuit wall]\nvoltage = 120 V\nbreaker = 15 A\ncurve = ul489\n"
          "[psu main]\npreset = odd\ncircuit = wall\n" LOAD_GPU, f);
    fclose(f);

    struct run *r = *state;
    struct scn_options opt = { dir, NULL, 0 };
    done(r);
    snprintf(r->path, sizeof r->path, "%s", scen);
    diag_init(&r->d);
    r->rc = scenario_load(scen, &opt, &r->s, &r->d);
    remove(file);
    remove(scen);
    rmdir(dir);
    char want[160];
    snprintf(want, sizeof want, "%s:3: [psu main] (preset): unknown key 'wattage'",
             file);
    expect_errors(r, 1);
    expect_msg(r, 0, -1, want, NULL);
}

/* ============================================ errors: cross-references == */

static void test_psu_circuit_missing(void **state)
{
    struct run *r = *state;
    load_text(r, CIRCUIT_WALL
              "[psu main]\n"          /* 3 */
              "rating = 2500 W\n"     /* 4 */
              "circuit = wal\n"       /* 5 */
              LOAD_GPU, NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 5, "[psu main] circuit: no [circuit wal] in this scenario; did "
               "you mean 'wall'?", NULL);
}

static void test_load_psu_missing(void **state)
{
    struct run *r = *state;
    load_text(r, CIRCUIT_WALL PSU_MAIN
              "[load gpu]\npower = 5 W\npsu = mian\n"     /* 6-8 */
              "[load fan]\npower = 5 W\ncircuit = attic\n", NULL, 0);  /* 9-11 */
    expect_errors(r, 2);
    expect_msg(r, 0, 8, "[load gpu] psu: no [psu mian] in this scenario; did you "
               "mean 'main'?", NULL);
    expect_msg(r, 1, 11, "[load fan] circuit: no [circuit attic] in this scenario",
               NULL);
    expect_not_in(r, 1, "did you mean");
}

static void test_load_both_or_neither(void **state)
{
    struct run *r = *state;
    load_text(r, BASE "circuit = wall\n"                  /* 9 */
              "[load lamp]\npower = 60 W\n", NULL, 0);    /* 10-11 */
    expect_errors(r, 2);
    expect_msg(r, 0, 6, "[load gpu]: give exactly one of 'psu = NAME'",
               "'circuit = NAME'", NULL);
    expect_msg(r, 1, 10, "[load lamp]: give exactly one of", NULL);
}

static void test_pf_on_dc_load(void **state)
{
    struct run *r = *state;
    load_text(r, BASE "count = 2\n" "pf = 0.9\n", NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 10, "[load gpu] pf: a power factor applies to an AC load", NULL);
}

/* ==================================================== errors: schedules == */

static void test_on_without_period(void **state)
{
    struct run *r = *state;
    load_text(r, BASE "on = 1 s\n", NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 9, "[load gpu] on: needs a 'period'", NULL);
}

static void test_on_longer_than_period(void **state)
{
    struct run *r = *state;
    load_text(r, BASE "on = 2 s\n" "period = 1 s\n", NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 9, "[load gpu] on: 2 s is longer than the period (1 s)", NULL);
}

static void test_period_finer_than_step(void **state)
{
    struct run *r = *state;
    load_text(r, BASE "period = 20 us\n", NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 9, "[load gpu] period: the square wave (period 2e-05 s",
               "is finer than the step (5e-05 s)", NULL);
}

static void test_stop_before_start(void **state)
{
    struct run *r = *state;
    load_text(r, BASE "start = 10 s\n" "stop = 5 s\n"          /* 9-10 */
              "[load b]\npsu = main\npower = 1 W\nstart = 3 s\nstop = 3 s\n", /* 11-15 */
              NULL, 0);
    expect_errors(r, 2);
    expect_msg(r, 0, 10, "[load gpu] stop: 5 s is not after start (10 s)", NULL);
    expect_msg(r, 1, 15, "[load b] stop: 3 s is not after start (3 s)", NULL);
}

/* ================================================== errors: circuit, psu == */

static void test_curve_unknown(void **state)
{
    struct run *r = *state;
    load_text(r,
              "[circuit a]\nvoltage = 230 V\nbreaker = 16 A\ncurve = iec-x\n"   /* 1-4 */
              "[circuit b]\nvoltage = 120 V\nbreaker = 15 A\ncurve = ul-489\n"  /* 5-8 */
              "[circuit c]\nvoltage = 120 V\nbreaker = 15 A\ncurve = fuse\n"    /* 9-12 */
              "[load x]\ncircuit = a\npower = 1 W\n", NULL, 0);
    expect_errors(r, 3);
    expect_msg(r, 0, 4, "[circuit a] curve: unknown curve 'iec-x'",
               "expected ul489, iec-b, iec-c, iec-d, bs1362 or iec-gg", "did you mean 'iec-b'?", NULL);
    expect_msg(r, 1, 8, "[circuit b] curve: unknown curve 'ul-489'",
               "did you mean 'ul489'?", NULL);
    expect_msg(r, 2, 12, "[circuit c] curve: unknown curve 'fuse'", NULL);
    expect_not_in(r, 2, "did you mean");
}

static void test_efficiency_misspelt(void **state)
{
    struct run *r = *state;
    load_text(r, BASE "[psu b]\ncircuit = wall\nrating = 1 kW\n"   /* 9-11 */
              "efficiency = 80plus-titanum\n", NULL, 0);           /* 12 */
    expect_errors(r, 1);
    expect_msg(r, 0, 12, "[psu b] efficiency: expected an 80 PLUS level",
               "got '80plus-titanum'; did you mean '80plus-titanium'?", NULL);
}

static void test_efficiency_points_bad(void **state)
{
    struct run *r = *state;
    load_text(r, CIRCUIT_WALL
              "[psu a]\ncircuit = wall\nrating = 1 kW\n"              /* 3-5 */
              "efficiency = 50%:0.92, 20%:0.90\n"                     /* 6 */
              "[psu b]\ncircuit = wall\nrating = 1 kW\n"              /* 7-9 */
              "efficiency = 20%:0.90, 50%:110%\n"                     /* 10 */
              "[psu c]\ncircuit = wall\nrating = 1 kW\n"              /* 11-13 */
              "efficiency = 50%:0.90\n"                               /* 14 */
              "[psu d]\ncircuit = wall\nrating = 1 kW\n"              /* 15-17 */
              "efficiency_230 = 20%:0.90, fifty:0.9\n"                /* 18 */
              "[load x]\npsu = a\npower = 1 W\n", NULL, 0);
    expect_errors(r, 4);
    expect_msg(r, 0, 6, "[psu a] efficiency: point 2: load 20 % does not come after "
               "50 %; loads must ascend strictly", NULL);
    expect_msg(r, 1, 10, "[psu b] efficiency: point 2: value 110 % is above 100 %",
               NULL);
    expect_msg(r, 2, 14, "[psu c] efficiency: give at least two efficiency points",
               NULL);
    expect_msg(r, 3, 18, "[psu d] efficiency_230: point 2: bad number 'fifty' for "
               "the load", NULL);
}

/* Points that parse but that the PSU model refuses (an efficiency of 100 %). */
static void test_efficiency_model_refused(void **state)
{
    struct run *r = *state;
    load_text(r, CIRCUIT_WALL
              "[psu main]\n"                              /* 3 */
              "circuit = wall\n"
              "rating = 2500 W\n"
              "efficiency = 20%:0.90, 50%:1, 100%:0.9\n"
              LOAD_GPU, NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 3, "[psu main] efficiency: ", "100 %", NULL);
}

static void test_continuous_above_breaker(void **state)
{
    struct run *r = *state;
    load_text(r,
              "[circuit wall]\n"                 /* 1 */
              "preset = us-15a\n"                /* 2 */
              "continuous_limit = 20 A\n"        /* 3 */
              PSU_MAIN LOAD_GPU, NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 3, "[circuit wall] continuous_limit: 20 A is above the breaker "
               "rating (15 A)", NULL);
}

/* The limit comes from the preset (de-b16: 10 A), the breaker from the file: the
 * message points at the preset's line. */
static void test_continuous_from_preset_above_breaker(void **state)
{
    struct run *r = *state;
    load_text(r,
              "[circuit wall]\n"
              "preset = de-b16\n"
              "breaker = 6 A\n"
              "[load kettle]\ncircuit = wall\npower = 1 kW\n", NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, -1, PRESET_DIR "/circuits.ini:",
               "[circuit wall] (preset) continuous_limit: 10 A is above the breaker "
               "rating (6 A)", NULL);
}

/* A magnetic pick-up at or below the thermal one (1.25 In for ul489) is refused;
 * the row's range (from 1.5 In) already catches every such value. */
static void test_magnetic_below_thermal(void **state)
{
    struct run *r = *state;
    load_text(r, "[circuit wall]\npreset = us-15a\nmagnetic = 1.2\n" PSU_MAIN LOAD_GPU,
              NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 3, "[circuit wall] magnetic: 1.2 is out of range",
               "expected from 1.5 to 50", NULL);
}

static void test_step_longer_than_duration(void **state)
{
    struct run *r = *state;
    load_text(r, "[scenario]\nduration = 50 us\nstep = 100 us\n" BASE, NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 3, "[scenario] step: 0.0001 s is longer than the duration "
               "(5e-05 s)", NULL);

    /* the default step against a short duration: the duration's line */
    load_text(r, "[scenario]\nname = tiny\nduration = 20 us\n" BASE, NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 3, "[scenario] duration: 2e-05 s is shorter than the step "
               "(5e-05 s)", NULL);
}

/* ================================================================ --set == */

static void test_set_bad_forms(void **state)
{
    const char *sets[] = {
        "psu.main.rating",            /* no '=' */
        "=2000W",                     /* no address */
        "scenario.x.duration=1h",     /* two dots for scenario */
        "frob.x.power=5W",            /* unknown kind */
        "psu.main=2000W",             /* too few parts */
        "psu.mian.rating=2000W",      /* missing section */
        "psu.main.ratng=2000W",       /* unknown key */
        "psu.main.rating=15A",        /* wrong unit */
    };
    struct run *r = *state;
    load_text(r, BASE, sets, sizeof sets / sizeof sets[0]);
    expect_errors(r, 8);
    expect_msg(r, 0, -1, "--set psu.main.rating: expected KIND.NAME.KEY=VALUE", NULL);
    expect_msg(r, 1, -1, "--set =2000W: expected KIND.NAME.KEY=VALUE", NULL);
    expect_msg(r, 2, -1, "--set scenario.x.duration=1h: expected KIND.NAME.KEY=VALUE",
               "or scenario.KEY", NULL);
    expect_msg(r, 3, -1, "--set frob.x.power=5W: expected KIND.NAME.KEY=VALUE with "
               "KIND one of circuit, psu, load, gpu, cpu, trace", NULL);
    expect_msg(r, 4, -1, "--set psu.main=2000W: expected KIND.NAME.KEY=VALUE", NULL);
    char want[300];
    snprintf(want, sizeof want, "--set psu.mian.rating=2000W: %s has no [psu mian] "
             "section; did you mean 'main'?", r->path);
    expect_msg(r, 5, -1, want, NULL);
    expect_msg(r, 6, -1, "--set psu.main.ratng=2000W: [psu main]: unknown key 'ratng'; "
               "did you mean 'rating'?", NULL);
    expect_msg(r, 7, -1, "--set psu.main.rating=15A: [psu main] rating: expected a "
               "power", NULL);
}

/* A cross-key problem caused by a --set names the --set, not the file. */
static void test_set_validation_error_names_set(void **state)
{
    const char *sets[] = { "load.gpu.stop=500ms" };
    struct run *r = *state;
    load_text(r, BASE "start = 1 s\n", sets, 1);
    expect_errors(r, 1);
    expect_msg(r, 0, -1, "--set load.gpu.stop=500ms: [load gpu] stop: 0.5 s is not "
               "after start (1 s)", NULL);
}

/* ============================================================== several == */

/* Errors of different kinds in one file: all reported, in line order. */
static void test_several_errors(void **state)
{
    struct run *r = *state;
    load_text(r, CIRCUIT_WALL                /* 1-2 */
              "this line is not INI\n"       /* 3 */
              "[psu main]\n"                 /* 4 */
              "circuit = wall\n"             /* 5 */
              "rating = 15 A\n"              /* 6 */
              "[load gpu]\n"                 /* 7 */
              "psu = main\n"                 /* 8 */
              "power = 500 W\n"              /* 9 */
              "count = 0\n", NULL, 0);       /* 10 */
    expect_errors(r, 3);
    expect_msg(r, 0, 3, "expected 'key = value'", NULL);
    expect_msg(r, 1, 6, "[psu main] rating: expected a power", NULL);
    expect_msg(r, 2, 10, "[load gpu] count: expected a whole number", NULL);
}

/* More problems than the diag keeps: all counted. */
static void test_many_errors_counted(void **state)
{
    enum { N = DIAG_MAX + 6 };
    size_t cap = 64 * N + 256, len;
    char *text = malloc(cap);
    assert_non_null(text);
    len = (size_t)snprintf(text, cap, "%s", BASE);
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(text + len, cap - len, "junk%d = 1\n", i);
    struct run *r = *state;
    load_text(r, text, NULL, 0);
    free(text);
    assert_int_equal(r->rc, -1);
    assert_null(r->s);
    assert_int_equal(r->d.n, DIAG_MAX);
    assert_int_equal(r->d.dropped, N - DIAG_MAX);
    assert_int_equal(diag_total(&r->d), N);
    expect_msg(r, 0, 9, "[load gpu]: unknown key 'junk0'", NULL);
}

/* ============================================================== helpers == */

static void test_free_null_and_out_null(void **state)
{
    scenario_free(NULL);
    struct run *r = *state;
    load_text(r, "[psu]\n", NULL, 0);
    assert_int_equal(r->rc, -1);
    assert_null(r->s);               /* load_bytes set a sentinel before */
}

static void test_kind_names(void **state)
{
    (void)state;
    assert_string_equal(scenario_kind_name(SCN_SCENARIO), "scenario");
    assert_string_equal(scenario_kind_name(SCN_CIRCUIT), "circuit");
    assert_string_equal(scenario_kind_name(SCN_PSU), "psu");
    assert_string_equal(scenario_kind_name(SCN_LOAD), "load");
    assert_string_equal(scenario_kind_name(SCN_KIND_COUNT), "?");
}

static void test_write_reference(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    scenario_write_reference(f);
    long n = ftell(f);
    assert_true(n > 0);
    char *text = calloc((size_t)n + 1, 1);
    assert_non_null(text);
    rewind(f);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    assert_non_null(strstr(text, "### [scenario]\n"));
    assert_non_null(strstr(text, "### [circuit NAME]\n"));
    assert_non_null(strstr(text, "### [psu NAME]\n"));
    assert_non_null(strstr(text, "### [load NAME]\n"));
    assert_non_null(strstr(text, "| `rating` |"));
    assert_non_null(strstr(text, "| `continuous_limit` | %, A |"));
    /* the rating row sits under [psu NAME] */
    assert_true(strstr(text, "| `rating` |") > strstr(text, "### [psu NAME]"));
    assert_true(strstr(text, "| `rating` |") < strstr(text, "### [load NAME]"));
    free(text);
}

/* [trace] transients (issue 17): none (the default), off as in [gpu], typical,
 * worst; a bad value names the file, line, key and the choices, a misspelt key
 * gets a suggestion, and a trace on a circuit (AC) refuses the GPU's spikes. */
static void test_trace_transients(void **state)
{
    struct run *r = *state;
    char cwd[256], text[1024];
    assert_non_null(getcwd(cwd, sizeof cwd));
    static const struct { const char *value; int want; } ok[] = {
        { NULL, 0 }, { "none", 0 }, { "off", 0 }, { "typical", 1 }, { "worst", 2 },
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char line[64] = "";
        if (ok[i].value) snprintf(line, sizeof line, "transients = %s\n", ok[i].value);
        snprintf(text, sizeof text, BASE "[trace t]\npsu = main\nfile = %s/tests/scenarios/"
                 "trace-const-500w.csv\nformat = csv\n%s", cwd, line);
        load_text(r, text, NULL, 0);
        expect_ok(r);
        assert_int_equal(r->s->loads[1].transients, ok[i].want);
    }
    /* lines: 9 [trace t], 10 psu, 11 file, 12 format, 13 transients */
    snprintf(text, sizeof text, BASE "[trace t]\npsu = main\nfile = %s/tests/scenarios/"
             "trace-const-500w.csv\nformat = csv\ntransients = typcial\n", cwd);
    load_text(r, text, NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 13, "[trace t] transients", "expected none, typical or worst",
               "'typcial'", "did you mean 'typical'", NULL);
    snprintf(text, sizeof text, BASE "[trace t]\npsu = main\nfile = %s/tests/scenarios/"
             "trace-const-500w.csv\nformat = csv\ntransient = typical\n", cwd);
    load_text(r, text, NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 13, "unknown key 'transient'", "did you mean 'transients'", NULL);
    snprintf(text, sizeof text, BASE "[trace t]\ncircuit = wall\nfile = %s/tests/scenarios/"
             "trace-const-500w.csv\nformat = csv\ntransients = typical\n", cwd);
    load_text(r, text, NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 13, "[trace t] transients", "GPU's DC draw", "transients = none", NULL);
}

/* [strip NAME] (issue 18, 2): a PSU's `strip` resolved, the strip on its PSUs'
 * circuit; a misspelt strip name gets a suggestion, a strip nobody plugs into,
 * both a fuse and a breaker, and one strip across two circuits are errors
 * naming the file, line and key. */
static void test_strips(void **state)
{
    struct run *r = *state;
    /* lines: 1 [circuit wall] 2 preset 3 [circuit lab] 4 preset 5 [psu main]
     * 6 circuit 7 rating 8 strip 9 [psu two] 10 circuit 11 rating 12 strip
     * 13 [load x] 14 psu 15 power 16 [strip desk] 17 rating 18 ... */
#define STRIP_TEXT(PSU2_CIRCUIT, STRIP1, STRIP2, EXTRA) \
    "[circuit wall]\npreset = us-15a\n[circuit lab]\npreset = us-20a\n" \
    "[psu main]\ncircuit = wall\nrating = 1000 W\nstrip = " STRIP1 "\n" \
    "[psu two]\ncircuit = " PSU2_CIRCUIT "\nrating = 1000 W\nstrip = " STRIP2 "\n" \
    "[load x]\npsu = main\npower = 100 W\n[strip desk]\nrating = 15 A\n" EXTRA
    load_text(r, STRIP_TEXT("wall", "desk", "desk", "breaker = 15 A\n"), NULL, 0);
    expect_ok(r);
    assert_int_equal(r->s->n_strips, 1);
    assert_int_equal(r->s->strips[0].n_psus, 2);
    assert_int_equal(r->s->strips[0].circuit_index, 0);
    assert_true(r->s->psus[1].strip_index == 0);
    assert_true(r->s->strips[0].rating_a == 15 && r->s->strips[0].breaker_a == 15);
    assert_string_equal(r->s->strips[0].curve->name, "ul489");   /* the default */

    load_text(r, STRIP_TEXT("wall", "desk", "dsek", ""), NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 12, "[psu two] strip: no [strip dsek]", "did you mean 'desk'", NULL);

    load_text(r, STRIP_TEXT("lab", "desk", "desk", ""), NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 12, "[psu two] strip", "circuit wall", "circuit lab",
               "expected everything on one strip on one circuit", NULL);

    load_text(r, STRIP_TEXT("wall", "desk", "desk", "fuse = 13 A\nbreaker = 15 A\n"), NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 19, "[strip desk] breaker", "one of `fuse`", NULL);

    load_text(r, STRIP_TEXT("wall", "desk", "desk", "[strip spare]\nrating = 13 A\n"),
              NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 18, "[strip spare]", "nothing is plugged into it", "strip = spare",
               NULL);

    /* an AC load on the strip (18-21); a DC load naming a strip is refused */
    load_text(r, STRIP_TEXT("wall", "desk", "desk", "[load heater]\ncircuit = wall\n"
                                                    "power = 1500 W\nstrip = desk\n"), NULL, 0);
    expect_ok(r);
    assert_int_equal(r->s->strips[0].n_loads, 1);
    assert_true(r->s->loads[1].strip_index == 0);
    load_text(r, STRIP_TEXT("wall", "desk", "desk", "[load heater]\ncircuit = lab\n"
                                                    "power = 1500 W\nstrip = desk\n"), NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 21, "[load heater] strip", "circuit lab", NULL);
    load_text(r, STRIP_TEXT("wall", "desk", "desk", "[load fan]\npsu = main\n"
                                                    "power = 15 W\nstrip = desk\n"), NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 21, "[load fan] strip", "a DC load draws through its PSU",
               "in [psu main]", NULL);

    load_text(r, STRIP_TEXT("wall", "desk", "desk", "fuse = 20 A\n"), NULL, 0);
    expect_errors(r, 1);
    expect_msg(r, 0, 18, "[strip desk] fuse", "out of range", NULL);
#undef STRIP_TEXT
}

/* ================================================================= main == */

#define T(f) cmocka_unit_test_setup_teardown(f, run_setup, run_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* happy paths */
        T(test_seed_scenario),
        T(test_trace_transients),
        T(test_strips),
        T(test_defaults_without_scenario_section),
        T(test_psu_dynamics_defaults),
        T(test_ul489_default_continuous),
        T(test_key_overrides_preset),
        T(test_set_overrides_file_and_preset),
        T(test_set_scenario_without_section),
        T(test_set_repeated_last_wins),
        T(test_unit_forms),
        T(test_continuous_limit_forms),
        T(test_efficiency_points),
        T(test_efficiency_115_override),
        T(test_pf_value_and_points),
        T(test_schedule),
        T(test_text_forms),
        T(test_longest_line),
        /* keys and values */
        T(test_unknown_key_suggestion),
        T(test_unknown_key_no_suggestion),
        T(test_wrong_unit),
        T(test_out_of_range),
        T(test_out_of_range_fraction),
        T(test_negative_power),
        T(test_nan),
        T(test_empty_value),
        T(test_missing_required_key),
        T(test_bad_values),
        /* sections and lines */
        T(test_unknown_section_kind),
        T(test_future_section_kind),
        T(test_scenario_with_name),
        T(test_section_without_name),
        T(test_bad_name_characters),
        T(test_duplicate_section),
        T(test_duplicate_key),
        T(test_key_before_section),
        T(test_line_without_equals),
        T(test_unterminated_section),
        T(test_long_line),
        T(test_binary),
        T(test_empty_file),
        T(test_directory),
        T(test_missing_file),
        /* presets */
        T(test_unknown_preset),
        T(test_preset_wrong_kind),
        T(test_preset_folder_missing),
        T(test_preset_entry_errors),
        /* cross-references */
        T(test_psu_circuit_missing),
        T(test_load_psu_missing),
        T(test_load_both_or_neither),
        T(test_pf_on_dc_load),
        /* schedules */
        T(test_on_without_period),
        T(test_on_longer_than_period),
        T(test_period_finer_than_step),
        T(test_stop_before_start),
        /* circuit and psu */
        T(test_curve_unknown),
        T(test_efficiency_misspelt),
        T(test_efficiency_points_bad),
        T(test_efficiency_model_refused),
        T(test_continuous_above_breaker),
        T(test_continuous_from_preset_above_breaker),
        T(test_magnetic_below_thermal),
        T(test_step_longer_than_duration),
        /* --set */
        T(test_set_bad_forms),
        T(test_set_validation_error_names_set),
        /* several */
        T(test_several_errors),
        T(test_many_errors_counted),
        /* the rest of the API */
        T(test_free_null_and_out_null),
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_write_reference),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}

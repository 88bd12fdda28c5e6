/* test_breaker.c — standards conformance of the breaker curve families.
 *
 * Every test point is run by stepping the model with breaker_step() at the
 * engine's step (1 ms; 50 us as well where said, to show the result does not
 * depend on dt) and compared with the closed-form trip time
 * breaker_thermal_trip_time() as the second method: within 0.5 %, and, since the
 * update is exact for a held current, the stepped time lies in [t, t + dt).
 * Test points: facts.md section 1 (IEC 60898-1 tests a-e; UL 489 100/135/200 %).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "breaker.h"

/* ------------------------------------------------------------------------- */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------- */

#define DT_MS  1e-3     /* the main step, s */
#define DT_US  50e-6    /* the second step (the engine's default), s */
#define HOUR   3600.0   /* s */
#define IEC_IN 16.0     /* A: IEC 60898-1 tests use In <= 32 A (test c) */

/* |got - want| <= rel * |want|. */
static void assert_rel(double got, double want, double rel)
{
    if (!(fabs(got - want) <= rel * fabs(want)))
        fail_msg("got %.17g, want %.17g (rel tol %g, rel err %.3g)", got, want,
                 rel, fabs(got - want) / fabs(want));
}

static const struct breaker_family *family(const char *name)
{
    const struct breaker_family *f = breaker_family_find(name);

    assert_non_null(f);
    return f;
}

/* A cold breaker of family NAME, rated IN amps, stepped at DT. */
static breaker *make(const char *name, double in, double dt)
{
    struct breaker_params p = { family(name), in, 0.0, dt };
    char err[200] = "";
    breaker *b = breaker_new(&p, err, sizeof err);

    if (b == NULL)
        fail_msg("breaker_new(%s, %g A, %g s): %s", name, in, dt, err);
    return b;
}

/* Steps B at current I for at most T_MAX seconds. Returns the trip cause and
 * the time at the end of the tripping step in *T_TRIP (INFINITY if none). */
static enum breaker_trip run_for(breaker *b, double i, double dt, double t_max,
                                 double *t_trip)
{
    long n, n_max = lround(t_max / dt);

    for (n = 1; n <= n_max; n++) {
        enum breaker_trip c = breaker_step(b, i);

        if (c != BREAKER_CLOSED) {
            *t_trip = (double)n * dt;
            return c;
        }
    }
    *t_trip = INFINITY;
    return BREAKER_CLOSED;
}

/* The stepped trip time agrees with the closed form: within 0.5 %, and in
 * [closed, closed + dt) give or take rounding (the update is exact). */
static void assert_trip_time(double stepped, double closed, double dt)
{
    assert_true(isfinite(stepped));
    assert_true(isfinite(closed));
    assert_rel(stepped, closed, 0.005);
    if (!(stepped >= closed - 1e-6 && stepped <= closed + dt + 1e-6))
        fail_msg("stepped %.9g s outside [%.9g, %.9g + dt]", stepped, closed, closed);
}

/* ------------------------------------------------------------------------- */
/* IEC 60898-1 tests a-e (In = 16 A)                                         */
/* ------------------------------------------------------------------------- */

/* One IEC curve type and its test d / e currents (multiples of In). */
struct iec_case {
    const char *name;   /* family name: "iec-b", ... */
    double d_mult;      /* test d: no trip within 0.1 s */
    double e_mult;      /* test e: trip within 0.1 s */
};

static struct iec_case iec_b = { "iec-b", 3.0, 5.0 };
static struct iec_case iec_c = { "iec-c", 5.0, 10.0 };
static struct iec_case iec_d = { "iec-d", 10.0, 20.0 };

/* Runs test a (1.13 In, cold, 1 h) on B and checks it; returns the heat. */
static double run_test_a(breaker *b, const struct breaker_family *f, double dt)
{
    double t, h, h_inf = pow(1.13 / f->it_multiple, 2);

    assert_int_equal(run_for(b, 1.13 * IEC_IN, dt, HOUR, &t), BREAKER_CLOSED);
    assert_true(isinf(breaker_thermal_trip_time(f, IEC_IN, 1.13 * IEC_IN, 0.0)));
    h = breaker_heat(b);
    /* second method: H(t) = H_inf (1 - exp(-t / tau)) */
    assert_rel(h, h_inf * -expm1(-HOUR / f->tau_s), 1e-9);
    assert_true(h < 1.0);
    return h;
}

/* IEC 60898-1 time-current test a (facts.md 1): 1.13 In from cold, no trip within 1 h. */
static void iec60898_test_a(void **state)
{
    const struct iec_case *c = *state;
    breaker *b = make(c->name, IEC_IN, DT_MS);

    run_test_a(b, family(c->name), DT_MS);
    breaker_free(b);
}

/* IEC 60898-1 time-current test b (facts.md 1): 1.45 In right after test a (from the
 * heat test a left), trips within 1 h. */
static void iec60898_test_b(void **state)
{
    const struct iec_case *c = *state;
    const struct breaker_family *f = family(c->name);
    breaker *b = make(c->name, IEC_IN, DT_MS);
    double h0 = run_test_a(b, f, DT_MS), t;

    assert_int_equal(run_for(b, 1.45 * IEC_IN, DT_MS, HOUR, &t), BREAKER_THERMAL);
    assert_true(t <= HOUR);
    assert_trip_time(t, breaker_thermal_trip_time(f, IEC_IN, 1.45 * IEC_IN, h0), DT_MS);
    breaker_free(b);
}

/* IEC 60898-1 time-current test c (facts.md 1): 2.55 In from cold trips after more than
 * 1 s and within 60 s (In <= 32 A). Run at 1 ms and 50 us: same time. */
static void iec60898_test_c(void **state)
{
    const struct iec_case *c = *state;
    const struct breaker_family *f = family(c->name);
    double closed = breaker_thermal_trip_time(f, IEC_IN, 2.55 * IEC_IN, 0.0);
    double dts[2] = { DT_MS, DT_US }, t[2];
    int k;

    for (k = 0; k < 2; k++) {
        breaker *b = make(c->name, IEC_IN, dts[k]);

        assert_int_equal(run_for(b, 2.55 * IEC_IN, dts[k], 60.0, &t[k]),
                         BREAKER_THERMAL);
        assert_true(t[k] > 1.0 && t[k] <= 60.0);
        assert_trip_time(t[k], closed, dts[k]);
        breaker_free(b);
    }
    assert_true(fabs(t[0] - t[1]) <= DT_MS);
}

/* IEC 60898-1 time-current test d (facts.md 1): B 3 In, C 5 In, D 10 In from cold, no
 * trip within 0.1 s. At 1 ms and 50 us. */
static void iec60898_test_d(void **state)
{
    const struct iec_case *c = *state;
    const struct breaker_family *f = family(c->name);
    double i = c->d_mult * IEC_IN, dts[2] = { DT_MS, DT_US }, t;
    int k;

    /* second method: below the magnetic pick-up, thermal alone needs > 0.1 s */
    assert_true(breaker_thermal_trip_time(f, IEC_IN, i, 0.0) > 0.1);
    for (k = 0; k < 2; k++) {
        breaker *b = make(c->name, IEC_IN, dts[k]);

        assert_true(breaker_magnetic_pickup_a(b) > i);
        assert_int_equal(run_for(b, i, dts[k], 0.1, &t), BREAKER_CLOSED);
        breaker_free(b);
    }
}

/* IEC 60898-1 time-current test e (facts.md 1): B 5 In, C 10 In, D 20 In from cold trip
 * within 0.1 s, by the magnetic release. At 1 ms and 50 us. */
static void iec60898_test_e(void **state)
{
    const struct iec_case *c = *state;
    const struct breaker_family *f = family(c->name);
    double i = c->e_mult * IEC_IN, dts[2] = { DT_MS, DT_US }, t;
    int k;

    /* second method: the thermal element alone would be too slow, so a trip
     * within 0.1 s can only be magnetic */
    assert_true(breaker_thermal_trip_time(f, IEC_IN, i, 0.0) > 0.1);
    for (k = 0; k < 2; k++) {
        breaker *b = make(c->name, IEC_IN, dts[k]);

        assert_true(breaker_magnetic_pickup_a(b) < i);
        assert_int_equal(run_for(b, i, dts[k], 0.1, &t), BREAKER_MAGNETIC);
        assert_true(t <= 0.1);
        assert_rel(t, dts[k], 1e-12);   /* in the first step */
        breaker_free(b);
    }
}

/* ------------------------------------------------------------------------- */
/* UL 489 (In = 15 A and 20 A)                                               */
/* ------------------------------------------------------------------------- */

static double ul_15a = 15.0;
static double ul_20a = 20.0;

/* UL 489 100 % of rating (facts.md 1, calibration ambient 40 C): carried
 * indefinitely. No trip in 24 h of 1 ms steps; the heat settles at its steady
 * state 1 / 1.25^2 = 0.64 < 1. */
static void ul489_100pct_carried(void **state)
{
    double in = *(double *)*state, t;
    const struct breaker_family *f = family("ul489");
    breaker *b = make("ul489", in, DT_MS);

    assert_int_equal(run_for(b, in, DT_MS, 24.0 * HOUR, &t), BREAKER_CLOSED);
    assert_rel(breaker_heat(b), 1.0 / (1.25 * 1.25), 1e-9);
    assert_true(isinf(breaker_thermal_trip_time(f, in, in, 0.0)));
    breaker_free(b);
}

/* UL 489 135 % of rating (facts.md 1, ratings <= 50 A): trips within 1 h. */
static void ul489_135pct_within_1h(void **state)
{
    double in = *(double *)*state, t;
    const struct breaker_family *f = family("ul489");
    breaker *b = make("ul489", in, DT_MS);

    assert_int_equal(run_for(b, 1.35 * in, DT_MS, HOUR, &t), BREAKER_THERMAL);
    assert_true(t <= HOUR);
    assert_trip_time(t, breaker_thermal_trip_time(f, in, 1.35 * in, 0.0), DT_MS);
    breaker_free(b);
}

/* UL 489 200 % of rating (facts.md 1, ratings <= 30 A): trips within 2 min.
 * At 1 ms and 50 us: same time. */
static void ul489_200pct_within_2min(void **state)
{
    double in = *(double *)*state, dts[2] = { DT_MS, DT_US }, t[2];
    const struct breaker_family *f = family("ul489");
    double closed = breaker_thermal_trip_time(f, in, 2.0 * in, 0.0);
    int k;

    for (k = 0; k < 2; k++) {
        breaker *b = make("ul489", in, dts[k]);

        assert_int_equal(run_for(b, 2.0 * in, dts[k], 120.0, &t[k]),
                         BREAKER_THERMAL);
        assert_true(t[k] <= 120.0);
        assert_trip_time(t[k], closed, dts[k]);
        breaker_free(b);
    }
    assert_true(fabs(t[0] - t[1]) <= DT_MS);
}

/* UL 489 instantaneous trip (facts.md 1, pick-up ~10 In, tag U): 5 % above the
 * pick-up trips magnetically in the first step; 5 % below does not trip within
 * 0.1 s (the thermal element needs about 2 s there). */
static void ul489_magnetic_above_pickup(void **state)
{
    double in = *(double *)*state, t;
    const struct breaker_family *f = family("ul489");
    breaker *b = make("ul489", in, DT_MS);
    double pick = breaker_magnetic_pickup_a(b);

    assert_rel(pick, f->magnetic_multiple * in, 1e-15);
    assert_int_equal(run_for(b, 1.05 * pick, DT_MS, 0.1, &t), BREAKER_MAGNETIC);
    assert_rel(t, DT_MS, 1e-12);
    breaker_reset(b);
    assert_true(breaker_thermal_trip_time(f, in, 0.95 * pick, 0.0) > 0.1);
    assert_int_equal(run_for(b, 0.95 * pick, DT_MS, 0.1, &t), BREAKER_CLOSED);
    breaker_free(b);
}

/* ------------------------------------------------------------------------- */
/* Thermal memory and latching (every family)                                */
/* ------------------------------------------------------------------------- */

static const char *const all_families[] = { "ul489", "iec-b", "iec-c", "iec-d" };

/* Heats B at 1.2 In for 300 s; returns the heat, checked against the closed
 * form H_inf (1 - exp(-t / tau)). */
static double preheat(breaker *b, const struct breaker_family *f, double in,
                      double dt)
{
    double t;

    assert_int_equal(run_for(b, 1.2 * in, dt, 300.0, &t), BREAKER_CLOSED);
    assert_rel(breaker_heat(b),
               pow(1.2 / f->it_multiple, 2) * -expm1(-300.0 / f->tau_s), 1e-9);
    return breaker_heat(b);
}

/* Heating and cooling share one equation (IEC 60255-8 thermal memory): after
 * 1.2 In, tau seconds at 0 A leave H = H0 / e. At 1 ms and 50 us. */
static void thermal_memory_cooling(void **state)
{
    size_t k;
    int d;
    double dts[2] = { DT_MS, DT_US };

    (void)state;
    for (k = 0; k < sizeof all_families / sizeof all_families[0]; k++)
        for (d = 0; d < 2; d++) {
            const struct breaker_family *f = family(all_families[k]);
            breaker *b = make(f->name, IEC_IN, dts[d]);
            double h0 = preheat(b, f, IEC_IN, dts[d]), t;

            assert_int_equal(run_for(b, 0.0, dts[d], f->tau_s, &t), BREAKER_CLOSED);
            assert_rel(breaker_heat(b), h0 * exp(-1.0), 1e-6);
            breaker_free(b);
        }
}

/* Thermal memory: warm (after 1.2 In for 300 s) trips sooner at 2 In than cold;
 * both stepped times match the closed form from their starting heat. */
static void thermal_memory_warm_trips_sooner(void **state)
{
    size_t k;

    (void)state;
    for (k = 0; k < sizeof all_families / sizeof all_families[0]; k++) {
        const struct breaker_family *f = family(all_families[k]);
        breaker *b = make(f->name, IEC_IN, DT_MS);
        double t_cold, t_warm, h0;

        assert_int_equal(run_for(b, 2.0 * IEC_IN, DT_MS, HOUR, &t_cold),
                         BREAKER_THERMAL);
        assert_trip_time(t_cold, breaker_thermal_trip_time(f, IEC_IN, 2.0 * IEC_IN,
                                                           0.0), DT_MS);
        breaker_reset(b);
        h0 = preheat(b, f, IEC_IN, DT_MS);
        assert_int_equal(run_for(b, 2.0 * IEC_IN, DT_MS, HOUR, &t_warm),
                         BREAKER_THERMAL);
        assert_trip_time(t_warm, breaker_thermal_trip_time(f, IEC_IN, 2.0 * IEC_IN,
                                                           h0), DT_MS);
        assert_true(t_warm < t_cold);
        breaker_free(b);
    }
}

/* A trip latches: later steps, even at 0 A, return the same cause and leave
 * the heat where the trip left it; breaker_reset() makes it cold and closed.
 * A NaN current opens the breaker (fail safe) rather than poisoning H. */
static void trip_latches(void **state)
{
    size_t k;
    int n;

    (void)state;
    for (k = 0; k < sizeof all_families / sizeof all_families[0]; k++) {
        breaker *b = make(all_families[k], IEC_IN, DT_MS);
        double t, h;

        assert_int_equal(run_for(b, 2.0 * IEC_IN, DT_MS, HOUR, &t), BREAKER_THERMAL);
        h = breaker_heat(b);
        assert_true(h >= 1.0);
        for (n = 0; n < 1000; n++)
            assert_int_equal(breaker_step(b, 0.0), BREAKER_THERMAL);
        assert_int_equal(breaker_state(b), BREAKER_THERMAL);
        assert_true(breaker_heat(b) == h);

        breaker_reset(b);
        assert_int_equal(breaker_state(b), BREAKER_CLOSED);
        assert_true(breaker_heat(b) == 0.0);
        assert_int_equal(breaker_step(b, 2.0 * breaker_magnetic_pickup_a(b)),
                         BREAKER_MAGNETIC);
        for (n = 0; n < 1000; n++)
            assert_int_equal(breaker_step(b, 0.0), BREAKER_MAGNETIC);
        assert_int_equal(breaker_state(b), BREAKER_MAGNETIC);

        breaker_reset(b);
        assert_int_equal(breaker_step(b, NAN), BREAKER_MAGNETIC);
        assert_true(breaker_heat(b) == 0.0);
        breaker_free(b);
    }
}

/* ------------------------------------------------------------------------- */
/* Construction, lookup, closed-form edges                                   */
/* ------------------------------------------------------------------------- */

/* breaker_new rejects unusable parameters with NULL and a message. */
static void new_rejects_bad_params(void **state)
{
    const struct breaker_family *f = family("iec-c");
    const struct breaker_params bad[] = {
        { NULL, 16.0, 0.0, DT_MS },
        { f, 0.0, 0.0, DT_MS }, { f, -16.0, 0.0, DT_MS }, { f, NAN, 0.0, DT_MS },
        { f, INFINITY, 0.0, DT_MS },
        { f, 16.0, 0.0, 0.0 }, { f, 16.0, 0.0, -DT_MS }, { f, 16.0, 0.0, NAN },
        { f, 16.0, 0.0, INFINITY },
        { f, 16.0, -5.0, DT_MS }, { f, 16.0, 1.0, DT_MS }, { f, 16.0, 1.3, DT_MS },
        { f, 16.0, NAN, DT_MS }, { f, 16.0, INFINITY, DT_MS },
    };
    struct breaker_family broken = *f;
    struct breaker_params p = { &broken, 16.0, 0.0, DT_MS };
    char err[200];
    size_t k;

    (void)state;
    for (k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        err[0] = '\0';
        assert_null(breaker_new(&bad[k], err, sizeof err));
        assert_true(strlen(err) > 0);
        assert_null(breaker_new(&bad[k], NULL, 0));   /* no buffer: no crash */
    }
    err[0] = '\0';
    assert_null(breaker_new(NULL, err, sizeof err));
    assert_true(strlen(err) > 0);

    broken.tau_s = 0.0;                                /* a caller-made family */
    assert_null(breaker_new(&p, err, sizeof err));
    broken = *f;
    broken.magnetic_multiple = 1.0;
    assert_null(breaker_new(&p, err, sizeof err));
}

/* A magnetic_multiple override replaces the family's pick-up; 0 keeps it. */
static void new_magnetic_override(void **state)
{
    struct breaker_params p = { family("iec-c"), 16.0, 8.0, DT_MS };
    breaker *b = breaker_new(&p, NULL, 0);

    (void)state;
    assert_non_null(b);
    assert_rel(breaker_magnetic_pickup_a(b), 128.0, 1e-15);
    assert_rel(breaker_thermal_pickup_a(b), 1.30 * 16.0, 1e-15);
    assert_int_equal(breaker_state(b), BREAKER_CLOSED);
    assert_true(breaker_heat(b) == 0.0);
    breaker_free(b);
    p.magnetic_multiple = 0.0;
    b = breaker_new(&p, NULL, 0);
    assert_non_null(b);
    assert_rel(breaker_magnetic_pickup_a(b), 7.5 * 16.0, 1e-15);
    breaker_free(b);
    breaker_free(NULL);
}

/* The table: four families found by name, unknown names give NULL, each row
 * passes its own sanity (I_t < pick-up; calibration ambient 40 C UL, 30 C IEC). */
static void family_lookup(void **state)
{
    size_t i, n = breaker_family_count();

    (void)state;
    assert_int_equal(n, 4);
    for (i = 0; i < n; i++) {
        const struct breaker_family *f = breaker_family_at(i);

        assert_non_null(f);
        assert_ptr_equal(breaker_family_find(f->name), f);
        assert_true(f->magnetic_multiple > f->it_multiple);
        assert_true(f->tau_s > 0);
        assert_rel(f->calib_ambient_c, strcmp(f->name, "ul489") == 0 ? 40.0 : 30.0,
                   0);
    }
    assert_null(breaker_family_at(n));
    assert_null(breaker_family_find("iec-z"));
    assert_null(breaker_family_find("IEC-B"));
    assert_null(breaker_family_find(""));
    assert_null(breaker_family_find(NULL));
}

/* The closed form's edges: I <= I_t never trips, H0 >= 1 trips at once, the
 * cold form t = tau ln(I^2 / (I^2 - I_t^2)) (facts.md 1), NaN for bad input. */
static void closed_form_edges(void **state)
{
    const struct breaker_family *f = family("iec-b");

    (void)state;
    assert_true(isinf(breaker_thermal_trip_time(f, 16.0, 1.30 * 16.0, 0.0)));
    assert_true(isinf(breaker_thermal_trip_time(f, 16.0, 0.0, 0.5)));
    assert_true(breaker_thermal_trip_time(f, 16.0, 2.0 * 16.0, 1.0) == 0.0);
    assert_true(breaker_thermal_trip_time(f, 16.0, 0.5 * 16.0, 1.2) == 0.0);
    assert_rel(breaker_thermal_trip_time(f, 16.0, 2.55 * 16.0, 0.0),
               60.0 * log(2.55 * 2.55 / (2.55 * 2.55 - 1.69)), 1e-14);
    /* facts.md 1 example (D): 98 s at 1.45 In, 33 s at 2 In, 18 s at 2.55 In */
    assert_rel(breaker_thermal_trip_time(f, 16.0, 1.45 * 16.0, 0.0), 98.0, 0.005);
    assert_rel(breaker_thermal_trip_time(f, 16.0, 2.00 * 16.0, 0.0), 33.0, 0.02);
    assert_rel(breaker_thermal_trip_time(f, 16.0, 2.55 * 16.0, 0.0), 18.0, 0.005);
    assert_true(isnan(breaker_thermal_trip_time(NULL, 16.0, 32.0, 0.0)));
    assert_true(isnan(breaker_thermal_trip_time(f, 0.0, 32.0, 0.0)));
    assert_true(isnan(breaker_thermal_trip_time(f, 16.0, NAN, 0.0)));
    assert_true(isnan(breaker_thermal_trip_time(f, 16.0, 32.0, -0.1)));
}

/* ------------------------------------------------------------------------- */
/* The trip-time table (for the issue note)                                  */
/* ------------------------------------------------------------------------- */

/* One column of the table. */
struct point {
    const char *label;   /* column heading */
    double mult;         /* test current / In */
    int after_a;         /* 1: start from the heat of IEC test a (1.13 In, 1 h) */
};

/* Prints one cell: the stepped time and cause, and the closed form; checks the
 * two agree for thermal trips. */
static void table_cell(const struct breaker_family *f, const struct point *pt)
{
    breaker *b = make(f->name, IEC_IN, DT_MS);
    double h0 = 0.0, t, closed;
    enum breaker_trip c;

    if (pt->after_a) {
        assert_int_equal(run_for(b, 1.13 * IEC_IN, DT_MS, HOUR, &t), BREAKER_CLOSED);
        h0 = breaker_heat(b);
    }
    c = run_for(b, pt->mult * IEC_IN, DT_MS, HOUR, &t);
    closed = breaker_thermal_trip_time(f, IEC_IN, pt->mult * IEC_IN, h0);
    if (c == BREAKER_THERMAL)
        assert_trip_time(t, closed, DT_MS);
    if (c == BREAKER_CLOSED)
        assert_true(closed > HOUR);
    if (c == BREAKER_CLOSED)
        printf(" | %8s", "none 1h");
    else
        printf(" | %8.3f%s", t, c == BREAKER_MAGNETIC ? "M" : "T");
    if (isinf(closed))
        printf(" %8s", "inf");
    else
        printf(" %8.3f", closed);
    breaker_free(b);
}

/* Prints one block of the table: every family at the points P[0..N). */
static void table_block(const char *title, const struct point *p, size_t n)
{
    size_t i, j;

    printf("\n  %s\n  %-6s", title, "family");
    for (j = 0; j < n; j++)
        printf(" | %8s %8s", p[j].label, "closed");
    printf("\n");
    for (i = 0; i < breaker_family_count(); i++) {
        const struct breaker_family *f = breaker_family_at(i);

        printf("  %-6s", f->name);
        for (j = 0; j < n; j++)
            table_cell(f, &p[j]);
        printf("\n");
    }
}

/* Trip times (s) of every family at the IEC and UL test points, stepped at 1 ms
 * (T thermal, M magnetic) next to the closed-form thermal time. Independent of
 * In (the model works in multiples of In); run at In = 16 A. */
static void print_trip_time_table(void **state)
{
    static const struct point iec[] = {
        { "1.13In", 1.13, 0 }, { "1.45In a", 1.45, 1 }, { "2.55In", 2.55, 0 },
        { "3In", 3.0, 0 }, { "5In", 5.0, 0 },
    };
    static const struct point ul[] = {
        { "1.0In", 1.0, 0 }, { "1.35In", 1.35, 0 }, { "2.0In", 2.0, 0 },
    };

    (void)state;
    printf("\n  trip times, s: stepped at 1 ms (T thermal, M magnetic, 'none 1h' no "
           "trip in 1 h)\n  and closed-form thermal time; '1.45In a' starts from "
           "the heat of test a (1.13 In, 1 h)\n");
    table_block("IEC 60898-1 points", iec, sizeof iec / sizeof iec[0]);
    table_block("UL 489 points", ul, sizeof ul / sizeof ul[0]);
}

/* ------------------------------------------------------------------------- */
/* Runner                                                                    */
/* ------------------------------------------------------------------------- */

/* A test with its own name and initial state. */
#define NAMED(name, fn, st) { name, fn, NULL, NULL, st }

#define IEC_TESTS(fam, st)                                                    \
    NAMED("iec60898_a_1.13In_cold_no_trip_1h/" fam, iec60898_test_a, st),     \
    NAMED("iec60898_b_1.45In_after_a_trips_1h/" fam, iec60898_test_b, st),    \
    NAMED("iec60898_c_2.55In_cold_trips_1s_60s/" fam, iec60898_test_c, st),   \
    NAMED("iec60898_d_lower_band_no_trip_0.1s/" fam, iec60898_test_d, st),    \
    NAMED("iec60898_e_upper_band_magnetic_0.1s/" fam, iec60898_test_e, st)

#define UL_TESTS(amps, st)                                                    \
    NAMED("ul489_100pct_carried_24h/" amps, ul489_100pct_carried, st),        \
    NAMED("ul489_135pct_trips_1h/" amps, ul489_135pct_within_1h, st),         \
    NAMED("ul489_200pct_trips_2min/" amps, ul489_200pct_within_2min, st),     \
    NAMED("ul489_magnetic_above_pickup/" amps, ul489_magnetic_above_pickup, st)

int main(void)
{
    const struct CMUnitTest tests[] = {
        IEC_TESTS("iec-b", &iec_b),
        IEC_TESTS("iec-c", &iec_c),
        IEC_TESTS("iec-d", &iec_d),
        UL_TESTS("15A", &ul_15a),
        UL_TESTS("20A", &ul_20a),
        cmocka_unit_test(thermal_memory_cooling),
        cmocka_unit_test(thermal_memory_warm_trips_sooner),
        cmocka_unit_test(trip_latches),
        cmocka_unit_test(new_rejects_bad_params),
        cmocka_unit_test(new_magnetic_override),
        cmocka_unit_test(family_lookup),
        cmocka_unit_test(closed_form_edges),
        cmocka_unit_test(print_trip_time_table),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

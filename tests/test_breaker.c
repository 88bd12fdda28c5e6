/* test_breaker.c — standards conformance of the protective-device families,
 * on every edge of their tolerance band (fast, nominal, slow).
 *
 * Every test point is run by stepping the model with breaker_step() at 1 ms
 * (50 us as well where said, to show the result does not depend on dt) and
 * compared with the closed-form trip time breaker_trip_time() as the second
 * method: since the updates are exact for a held current, the stepped time lies
 * in [t, t + dt), and it is within 0.5 % of t wherever one step is less than
 * 0.5 % of t (the fuse's 100 A point, 12-173 ms, is checked to 0.5 % at 50 us).
 * Test points: facts.md section 1 (IEC 60898-1 tests a-e; UL 489 100/135/200 %;
 * BS 1362 13 A windows; ambient derating).
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
#define MIN30  1800.0   /* s: BS 1362's 30 min */
#define IEC_IN 16.0     /* A: IEC 60898-1 tests use In <= 32 A (test c) */
#define BS_IN  13.0     /* A: the BS 1362 fuse the windows are quoted for */

static const enum breaker_edge edges[BREAKER_EDGE_COUNT] = {
    BREAKER_FAST, BREAKER_NOMINAL, BREAKER_SLOW
};

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

/* A cold device of family NAME, edge E, rated IN amps, at AMBIENT_C (NAN: the
 * calibration ambient), stepped at DT. */
static breaker *make_at(const char *name, enum breaker_edge e, double in, double dt,
                        double ambient_c)
{
    struct breaker_params p = { .family = family(name), .edge = e, .rated_a = in,
                                .magnetic_multiple = 0.0, .ambient_c = ambient_c,
                                .dt_s = dt };
    char err[200] = "";
    breaker *b = breaker_new(&p, err, sizeof err);

    if (b == NULL)
        fail_msg("breaker_new(%s/%s, %g A, %g s, %g C): %s", name,
                 breaker_edge_name(e), in, dt, ambient_c, err);
    return b;
}

static breaker *make(const char *name, enum breaker_edge e, double in, double dt)
{
    return make_at(name, e, in, dt, NAN);
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

/* The stepped trip time agrees with the closed form: in [closed, closed + dt)
 * give or take rounding (the updates are exact for a held current), and within
 * 0.5 % wherever one step is at most 0.5 % of the time (otherwise the bracket,
 * one step, is the tighter statement). */
static void assert_trip_time(double stepped, double closed, double dt)
{
    assert_true(isfinite(stepped));
    assert_true(isfinite(closed));
    if (!(stepped >= closed - 1e-6 && stepped <= closed + dt + 1e-6))
        fail_msg("stepped %.9g s outside [%.9g, %.9g + dt]", stepped, closed, closed);
    if (dt <= 0.005 * closed)
        assert_rel(stepped, closed, 0.005);
}

/* Thermal-magnetic closed form from the effective pick-up IT (A), for ambient
 * checks: breaker_trip_time() works at the calibration ambient (IEC 60255-8). */
static double tm_time(double it, double tau, double i, double h0)
{
    return i <= it ? INFINITY : tau * log((i * i - h0 * it * it) / (i * i - it * it));
}

/* Fuse closed form from the effective pick-up IP (A) (IEEE C37.112 form). */
static double fuse_time(double ip, double a, double p, double i, double h0)
{
    return i <= ip ? INFINITY : (1.0 - h0) * a / (pow(i / ip, p) - 1.0);
}

/* One test case: a family, an edge, a rating; IEC test d/e multiples. */
struct tcase {
    const char *fam;          /* family name */
    enum breaker_edge edge;   /* the curve of the band */
    double in;                /* In, A */
    double d_mult;            /* IEC test d: no trip within 0.1 s (else 0) */
    double e_mult;            /* IEC test e: trip within 0.1 s (else 0) */
};

/* ------------------------------------------------------------------------- */
/* IEC 60898-1 tests a-e (In = 16 A), every edge                             */
/* ------------------------------------------------------------------------- */

/* Runs test a (1.13 In, cold, 1 h) and checks it; returns the heat. */
static double run_test_a(breaker *b, const struct breaker_family *f,
                         enum breaker_edge e, double dt)
{
    const struct breaker_curve *c = &f->edge[e];
    double t, h, h_inf = pow(1.13 / c->it_multiple, 2);

    assert_int_equal(run_for(b, 1.13 * IEC_IN, dt, HOUR, &t), BREAKER_CLOSED);
    assert_true(isinf(breaker_trip_time(f, e, IEC_IN, 1.13 * IEC_IN, 0.0)));
    h = breaker_heat(b);
    /* second method: H(t) = H_inf (1 - exp(-t / tau)) */
    assert_rel(h, h_inf * -expm1(-HOUR / c->tau_s), 1e-9);
    assert_true(h < 1.0);
    return h;
}

/* IEC 60898-1 time-current test a (facts.md 1): 1.13 In from cold, no trip
 * within 1 h. */
static void iec60898_test_a(void **state)
{
    const struct tcase *c = *state;
    breaker *b = make(c->fam, c->edge, IEC_IN, DT_MS);

    run_test_a(b, family(c->fam), c->edge, DT_MS);
    breaker_free(b);
}

/* IEC 60898-1 time-current test b (facts.md 1): 1.45 In right after test a
 * (from the heat test a left), trips within 1 h. */
static void iec60898_test_b(void **state)
{
    const struct tcase *c = *state;
    const struct breaker_family *f = family(c->fam);
    breaker *b = make(c->fam, c->edge, IEC_IN, DT_MS);
    double h0 = run_test_a(b, f, c->edge, DT_MS), t;

    assert_int_equal(run_for(b, 1.45 * IEC_IN, DT_MS, HOUR, &t), BREAKER_THERMAL);
    assert_true(t <= HOUR);
    assert_trip_time(t, breaker_trip_time(f, c->edge, IEC_IN, 1.45 * IEC_IN, h0),
                     DT_MS);
    breaker_free(b);
}

/* IEC 60898-1 time-current test c (facts.md 1): 2.55 In from cold trips after
 * more than 1 s and within 60 s (In <= 32 A). At 1 ms and 50 us: same time. */
static void iec60898_test_c(void **state)
{
    const struct tcase *c = *state;
    const struct breaker_family *f = family(c->fam);
    double closed = breaker_trip_time(f, c->edge, IEC_IN, 2.55 * IEC_IN, 0.0);
    double dts[2] = { DT_MS, DT_US }, t[2];
    int k;

    assert_true(closed > 1.0 && closed <= 60.0);
    for (k = 0; k < 2; k++) {
        breaker *b = make(c->fam, c->edge, IEC_IN, dts[k]);

        assert_int_equal(run_for(b, 2.55 * IEC_IN, dts[k], 60.0, &t[k]),
                         BREAKER_THERMAL);
        assert_true(t[k] > 1.0 && t[k] <= 60.0);
        assert_trip_time(t[k], closed, dts[k]);
        breaker_free(b);
    }
    assert_true(fabs(t[0] - t[1]) <= DT_MS);
}

/* IEC 60898-1 time-current test d (facts.md 1): B 3 In, C 5 In, D 10 In from
 * cold, no trip within 0.1 s. At 1 ms and 50 us. */
static void iec60898_test_d(void **state)
{
    const struct tcase *c = *state;
    const struct breaker_family *f = family(c->fam);
    double i = c->d_mult * IEC_IN, dts[2] = { DT_MS, DT_US }, t;
    int k;

    /* second method: below the magnetic pick-up, thermal alone needs > 0.1 s */
    assert_true(breaker_trip_time(f, c->edge, IEC_IN, i, 0.0) > 0.1);
    for (k = 0; k < 2; k++) {
        breaker *b = make(c->fam, c->edge, IEC_IN, dts[k]);

        assert_true(breaker_magnetic_pickup_a(b) > i);
        assert_int_equal(run_for(b, i, dts[k], 0.1, &t), BREAKER_CLOSED);
        breaker_free(b);
    }
}

/* IEC 60898-1 time-current test e (facts.md 1): B 5 In, C 10 In, D 20 In from
 * cold trip within 0.1 s, by the magnetic release. At 1 ms and 50 us. */
static void iec60898_test_e(void **state)
{
    const struct tcase *c = *state;
    const struct breaker_family *f = family(c->fam);
    double i = c->e_mult * IEC_IN, dts[2] = { DT_MS, DT_US }, t;
    int k;

    /* second method: the thermal element alone would be too slow, so a trip
     * within 0.1 s can only be magnetic */
    assert_true(breaker_trip_time(f, c->edge, IEC_IN, i, 0.0) > 0.1);
    for (k = 0; k < 2; k++) {
        breaker *b = make(c->fam, c->edge, IEC_IN, dts[k]);

        assert_true(breaker_magnetic_pickup_a(b) < i);
        assert_int_equal(run_for(b, i, dts[k], 0.1, &t), BREAKER_MAGNETIC);
        assert_true(t <= 0.1);
        assert_rel(t, dts[k], 1e-12);   /* in the first step */
        breaker_free(b);
    }
}

/* ------------------------------------------------------------------------- */
/* UL 489 (In = 15 A and 20 A), every edge                                   */
/* ------------------------------------------------------------------------- */

/* UL 489 100 % of rating (facts.md 1, calibration ambient 40 C): carried
 * indefinitely. No trip in 24 h of 1 ms steps; the heat settles at its steady
 * state 1 / (I_t/In)^2 < 1 (0.907 fast, 0.640 nominal, 0.557 slow), which it
 * approaches from below, so it never trips. */
static void ul489_100pct_carried(void **state)
{
    const struct tcase *c = *state;
    const struct breaker_family *f = family(c->fam);
    double it = f->edge[c->edge].it_multiple, t;
    breaker *b = make(c->fam, c->edge, c->in, DT_MS);

    assert_int_equal(run_for(b, c->in, DT_MS, 24.0 * HOUR, &t), BREAKER_CLOSED);
    assert_rel(breaker_heat(b), 1.0 / (it * it), 1e-9);
    assert_true(breaker_heat(b) < 1.0);
    assert_true(isinf(breaker_trip_time(f, c->edge, c->in, c->in, 0.0)));
    breaker_free(b);
}

/* UL 489 135 % of rating (facts.md 1, ratings <= 50 A): trips within 1 h. */
static void ul489_135pct_within_1h(void **state)
{
    const struct tcase *c = *state;
    const struct breaker_family *f = family(c->fam);
    breaker *b = make(c->fam, c->edge, c->in, DT_MS);
    double t;

    assert_int_equal(run_for(b, 1.35 * c->in, DT_MS, HOUR, &t), BREAKER_THERMAL);
    assert_true(t <= HOUR);
    assert_trip_time(t, breaker_trip_time(f, c->edge, c->in, 1.35 * c->in, 0.0),
                     DT_MS);
    breaker_free(b);
}

/* UL 489 200 % of rating (facts.md 1, ratings <= 30 A): trips within 2 min.
 * At 1 ms and 50 us: same time. */
static void ul489_200pct_within_2min(void **state)
{
    const struct tcase *c = *state;
    const struct breaker_family *f = family(c->fam);
    double closed = breaker_trip_time(f, c->edge, c->in, 2.0 * c->in, 0.0);
    double dts[2] = { DT_MS, DT_US }, t[2];
    int k;

    assert_true(closed <= 120.0);
    for (k = 0; k < 2; k++) {
        breaker *b = make(c->fam, c->edge, c->in, dts[k]);

        assert_int_equal(run_for(b, 2.0 * c->in, dts[k], 120.0, &t[k]),
                         BREAKER_THERMAL);
        assert_true(t[k] <= 120.0);
        assert_trip_time(t[k], closed, dts[k]);
        breaker_free(b);
    }
    assert_true(fabs(t[0] - t[1]) <= DT_MS);
}

/* UL 489 instantaneous trip (facts.md 1, pick-up ~10 In, tag U; 8 / 10 / 12 In
 * over the band): 5 % above the pick-up trips magnetically in the first step;
 * 5 % below does not trip within 0.1 s (the thermal element needs >= 1.1 s). */
static void ul489_magnetic_above_pickup(void **state)
{
    const struct tcase *c = *state;
    const struct breaker_family *f = family(c->fam);
    breaker *b = make(c->fam, c->edge, c->in, DT_MS);
    double pick = breaker_magnetic_pickup_a(b), t;

    assert_rel(pick, f->edge[c->edge].magnetic_multiple * c->in, 1e-15);
    assert_int_equal(run_for(b, 1.05 * pick, DT_MS, 0.1, &t), BREAKER_MAGNETIC);
    assert_rel(t, DT_MS, 1e-12);
    breaker_reset(b);
    assert_true(breaker_trip_time(f, c->edge, c->in, 0.95 * pick, 0.0) > 0.1);
    assert_int_equal(run_for(b, 0.95 * pick, DT_MS, 0.1, &t), BREAKER_CLOSED);
    breaker_free(b);
}

/* ------------------------------------------------------------------------- */
/* BS 1362 plug fuse (13 A; 3 A in the same multiples, U), every edge        */
/* ------------------------------------------------------------------------- */

/* Runs a fuse of case C at MULT * In from cold at DT for T_MAX; checks a blow
 * against the closed form; returns the stepped time (INFINITY if none). */
static double fuse_run(const struct tcase *c, double mult, double dt, double t_max)
{
    const struct breaker_family *f = family(c->fam);
    breaker *b = make(c->fam, c->edge, c->in, dt);
    double t, closed = breaker_trip_time(f, c->edge, c->in, mult * c->in, 0.0);
    enum breaker_trip cause = run_for(b, mult * c->in, dt, t_max, &t);

    if (cause == BREAKER_CLOSED) {
        assert_true(closed > t_max);
    } else {
        assert_int_equal(cause, BREAKER_THERMAL);   /* a fuse only blows */
        assert_true(breaker_heat(b) >= 1.0);
        assert_trip_time(t, closed, dt);
    }
    breaker_free(b);
    return t;
}

/* BS 1362 (facts.md 1, UK row, S): carries 1.6 In for 30 min. No blow in 1800 s
 * and D stays 0 (at or below I_p the element only cools); the closed form is
 * INFINITY (fast: I_p = 1.6 In exactly; nominal 1.6, slow 1.65 In). */
static void bs1362_carries_1_6In_30min(void **state)
{
    const struct tcase *c = *state;
    const struct breaker_family *f = family(c->fam);
    breaker *b = make(c->fam, c->edge, c->in, DT_MS);
    double t;

    assert_true(isinf(breaker_trip_time(f, c->edge, c->in, 1.6 * c->in, 0.0)));
    assert_int_equal(run_for(b, 1.6 * c->in, DT_MS, MIN30, &t), BREAKER_CLOSED);
    assert_true(breaker_heat(b) == 0.0);
    breaker_free(b);
}

/* BS 1362 (facts.md 1, S): blows within 30 min at 1.9 In. */
static void bs1362_blows_1_9In_within_30min(void **state)
{
    double t = fuse_run(*state, 1.9, DT_MS, MIN30);

    assert_true(t <= MIN30);
}

/* BS 1362 (facts.md 1, S): 30 A (2.31 In of 13 A) blows in 1-400 s. */
static void bs1362_30A_1s_400s(void **state)
{
    double t = fuse_run(*state, 30.0 / BS_IN, DT_MS, 400.0);

    assert_true(t >= 1.0 && t <= 400.0);
}

/* BS 1362 (facts.md 1, S): 50 A (3.85 In of 13 A) blows in 0.1-20 s. At 1 ms and
 * 50 us. */
static void bs1362_50A_0_1s_20s(void **state)
{
    double t1 = fuse_run(*state, 50.0 / BS_IN, DT_MS, 20.0);
    double t2 = fuse_run(*state, 50.0 / BS_IN, DT_US, 20.0);

    assert_true(t1 >= 0.1 && t1 <= 20.0);
    assert_true(t2 >= 0.1 && t2 <= 20.0);
    assert_true(fabs(t1 - t2) <= DT_MS);
}

/* BS 1362 (facts.md 1, S): 100 A (7.7 In of 13 A) blows in 0.01-0.2 s. At 1 ms
 * (within one step of the closed form) and at 50 us (within 0.5 % of it, one
 * step being at most 0.4 % of the 12.5-173 ms). */
static void bs1362_100A_0_01s_0_2s(void **state)
{
    const struct tcase *c = *state;
    double closed = breaker_trip_time(family(c->fam), c->edge, c->in,
                                      100.0 / BS_IN * c->in, 0.0);
    double t1 = fuse_run(c, 100.0 / BS_IN, DT_MS, 0.2);
    double t2 = fuse_run(c, 100.0 / BS_IN, DT_US, 0.2);

    assert_true(closed >= 0.01 && closed <= 0.2);
    assert_true(t1 >= 0.01 && t1 <= 0.2);
    assert_true(t2 >= 0.01 && t2 <= 0.2);
    assert_rel(t2, closed, 0.005);
}

/* IEEE C37.112 integration (facts.md 1): the fuse sums dt / t(I), so after half
 * the 30 A time at 30 A, D = 0.5 and 50 A finishes it in (1 - D) t(50 A): the
 * stepped accumulation equals the closed form with H0 = D, every edge. */
static void fuse_accumulation_two_levels(void **state)
{
    const struct breaker_family *f = family("bs1362");
    size_t k;

    (void)state;
    for (k = 0; k < BREAKER_EDGE_COUNT; k++) {
        breaker *b = make("bs1362", edges[k], BS_IN, DT_MS);
        double t30 = breaker_trip_time(f, edges[k], BS_IN, 30.0, 0.0), t, d;
        long n = lround(0.5 * t30 / DT_MS);

        assert_int_equal(run_for(b, 30.0, DT_MS, (double)n * DT_MS, &t),
                         BREAKER_CLOSED);
        d = breaker_heat(b);
        assert_rel(d, (double)n * DT_MS / t30, 1e-9);
        assert_int_equal(run_for(b, 50.0, DT_MS, HOUR, &t), BREAKER_THERMAL);
        assert_trip_time(t, breaker_trip_time(f, edges[k], BS_IN, 50.0, d), DT_MS);
        assert_true(t < breaker_trip_time(f, edges[k], BS_IN, 50.0, 0.0) + DT_MS);
        breaker_free(b);
    }
}

/* Fuse cooling (tau_s = 60 s, tag U): at 0 A (and at 1.0 In, also below I_p)
 * D halves in 60 ln 2 s. At 1 ms and 50 us, every edge. */
static void fuse_cooling_halves(void **state)
{
    const struct breaker_family *f = family("bs1362");
    const double t_half = 60.0 * log(2.0), dts[2] = { DT_MS, DT_US };
    const double currents[2] = { 0.0, BS_IN };
    size_t k;
    int d, j;

    (void)state;
    for (k = 0; k < BREAKER_EDGE_COUNT; k++)
        for (d = 0; d < 2; d++)
            for (j = 0; j < 2; j++) {
                breaker *b = make("bs1362", edges[k], BS_IN, dts[d]);
                double t30 = breaker_trip_time(f, edges[k], BS_IN, 30.0, 0.0);
                double t, d0;
                long n = lround(t_half / dts[d]);

                assert_int_equal(run_for(b, 30.0, dts[d], 0.4 * t30, &t),
                                 BREAKER_CLOSED);
                d0 = breaker_heat(b);
                assert_rel(d0, 0.4, 1e-3);
                assert_int_equal(run_for(b, currents[j], dts[d], t_half, &t),
                                 BREAKER_CLOSED);
                assert_rel(breaker_heat(b), d0 * exp(-(double)n * dts[d] / 60.0),
                           1e-9);
                assert_rel(breaker_heat(b), 0.5 * d0, 1e-5);
                breaker_free(b);
            }
}

/* ------------------------------------------------------------------------- */
/* Ambient                                                                   */
/* ------------------------------------------------------------------------- */

/* At the calibration ambient nothing changes: ambient NAN and the family's
 * calibration ambient give the same pick-up, bit for bit, and the same stepped
 * trip time at 2 In, for every family and edge. */
static void ambient_calibration_no_change(void **state)
{
    size_t i, k;

    (void)state;
    for (i = 0; i < breaker_family_count(); i++) {
        const struct breaker_family *f = breaker_family_at(i);

        for (k = 0; k < BREAKER_EDGE_COUNT; k++) {
            breaker *a = make(f->name, edges[k], IEC_IN, DT_MS);
            breaker *b = make_at(f->name, edges[k], IEC_IN, DT_MS, f->calib_ambient_c);
            double ta, tb;

            assert_true(breaker_thermal_pickup_a(a) == breaker_thermal_pickup_a(b));
            assert_true(breaker_thermal_pickup_a(a)
                        == f->edge[k].it_multiple * IEC_IN);
            assert_true(breaker_magnetic_pickup_a(a) == breaker_magnetic_pickup_a(b));
            assert_int_equal(run_for(a, 2.0 * IEC_IN, DT_MS, HOUR, &ta),
                             BREAKER_THERMAL);
            assert_int_equal(run_for(b, 2.0 * IEC_IN, DT_MS, HOUR, &tb),
                             BREAKER_THERMAL);
            assert_true(ta == tb);
            assert_trip_time(ta, breaker_trip_time(f, edges[k], IEC_IN,
                                                   2.0 * IEC_IN, 0.0), DT_MS);
            breaker_free(a);
            breaker_free(b);
        }
    }
}

/* breaker.h ambient rule: at 50 C a UL 489 breaker (calibrated at 40 C) has
 * I_t = 1.25 sqrt(55/65) In = 1.1499 In (nominal edge), matching Schneider's
 * PowerPact B factor 0.92 (S), and trips sooner at 135 %: stepped time equals
 * the closed form with the corrected I_t. Every edge, 15 A and 20 A. */
static void ambient_ul489_50c(void **state)
{
    const struct breaker_family *f = family("ul489");
    const double ins[2] = { 15.0, 20.0 }, factor = sqrt(55.0 / 65.0);
    size_t k;
    int j;

    (void)state;
    assert_true(fabs(factor - 0.92) <= 0.005);
    for (j = 0; j < 2; j++)
        for (k = 0; k < BREAKER_EDGE_COUNT; k++) {
            const struct breaker_curve *c = &f->edge[k];
            breaker *cal = make("ul489", edges[k], ins[j], DT_MS);
            breaker *hot = make_at("ul489", edges[k], ins[j], DT_MS, 50.0);
            double it = breaker_thermal_pickup_a(hot), t_cal, t_hot;

            assert_rel(it, c->it_multiple * factor * ins[j], 1e-14);
            if (edges[k] == BREAKER_NOMINAL)
                assert_true(fabs(it / ins[j] - 1.1499) <= 1e-4);
            assert_int_equal(run_for(cal, 1.35 * ins[j], DT_MS, HOUR, &t_cal),
                             BREAKER_THERMAL);
            assert_int_equal(run_for(hot, 1.35 * ins[j], DT_MS, HOUR, &t_hot),
                             BREAKER_THERMAL);
            assert_true(t_hot < t_cal);
            assert_trip_time(t_hot, tm_time(it, c->tau_s, 1.35 * ins[j], 0.0), DT_MS);
            /* the magnetic element is not derated */
            assert_true(breaker_magnetic_pickup_a(hot) == breaker_magnetic_pickup_a(cal));
            breaker_free(cal);
            breaker_free(hot);
        }
}

/* Ambient 60 C: factor sqrt(45/65) = 0.832 against Schneider's PowerPact B 15 A
 * correction table 0.83 (S), within 0.005; and 50 C against 0.92 (S). */
static void ambient_60c_schneider(void **state)
{
    breaker *b60 = make_at("ul489", BREAKER_NOMINAL, 15.0, DT_MS, 60.0);
    breaker *b50 = make_at("ul489", BREAKER_NOMINAL, 15.0, DT_MS, 50.0);
    double f60 = breaker_thermal_pickup_a(b60) / (1.25 * 15.0);
    double f50 = breaker_thermal_pickup_a(b50) / (1.25 * 15.0);

    (void)state;
    assert_rel(f60, sqrt(45.0 / 65.0), 1e-14);
    assert_true(fabs(f60 - 0.832) <= 0.0005);
    assert_true(fabs(f60 - 0.83) <= 0.005);
    assert_true(fabs(f50 - 0.92) <= 0.005);
    breaker_free(b60);
    breaker_free(b50);
}

/* Hotter ambient trips sooner: from -20 C to 100 C the pick-up falls strictly and
 * the stepped trip time at 2 In never rises (falls strictly while it trips),
 * for a UL, an IEC and the fuse family on every edge; each stepped time equals
 * the closed form with the corrected pick-up. */
static void ambient_hotter_trips_sooner(void **state)
{
    static const char *const fams[] = { "ul489", "iec-c", "bs1362" };
    static const double amb[] = { -20, 0, 20, 30, 40, 50, 60, 80, 100 };
    const size_t n_amb = sizeof amb / sizeof amb[0];
    size_t i, k, a;

    (void)state;
    for (i = 0; i < sizeof fams / sizeof fams[0]; i++)
        for (k = 0; k < BREAKER_EDGE_COUNT; k++) {
            const struct breaker_family *f = family(fams[i]);
            const struct breaker_curve *c = &f->edge[k];
            double it_prev = INFINITY, t_prev = INFINITY;

            for (a = 0; a < n_amb; a++) {
                breaker *b = make_at(fams[i], edges[k], IEC_IN, DT_MS, amb[a]);
                double it = breaker_thermal_pickup_a(b), t, closed;
                enum breaker_trip cause = run_for(b, 2.0 * IEC_IN, DT_MS, HOUR, &t);

                closed = f->model == BREAKER_MODEL_FUSE
                         ? fuse_time(it, c->fuse_a_s, c->fuse_p, 2.0 * IEC_IN, 0.0)
                         : tm_time(it, c->tau_s, 2.0 * IEC_IN, 0.0);
                assert_rel(it, c->it_multiple * IEC_IN
                           * sqrt((105.0 - amb[a]) / (105.0 - f->calib_ambient_c)),
                           1e-14);
                assert_true(it < it_prev);
                if (cause == BREAKER_CLOSED) {
                    assert_true(closed > HOUR);
                } else {
                    assert_int_equal(cause, BREAKER_THERMAL);
                    assert_trip_time(t, closed, DT_MS);
                }
                assert_true(t <= t_prev);
                if (isfinite(t_prev))
                    assert_true(t < t_prev);
                it_prev = it;
                t_prev = t;
                breaker_free(b);
            }
            assert_true(isfinite(t_prev));   /* at 100 C everything trips */
        }
}

/* An ambient at or above the element's 105 C trip temperature (or not a
 * temperature) makes breaker_new fail with a message; 104.9 C still works. */
static void ambient_rejected(void **state)
{
    static const double bad[] = { 105.0, 110.0, INFINITY, -INFINITY, -300.0 };
    size_t i, k;
    char err[200];

    (void)state;
    for (i = 0; i < breaker_family_count(); i++) {
        const struct breaker_family *f = breaker_family_at(i);

        for (k = 0; k < sizeof bad / sizeof bad[0]; k++) {
            struct breaker_params p = { .family = f, .edge = BREAKER_NOMINAL,
                                        .rated_a = 16.0, .ambient_c = bad[k],
                                        .dt_s = DT_MS };

            err[0] = '\0';
            assert_null(breaker_new(&p, err, sizeof err));
            assert_true(strlen(err) > 0);
            if (bad[k] == 110.0)
                assert_non_null(strstr(err, "110"));
            assert_null(breaker_new(&p, NULL, 0));
        }
        breaker_free(make_at(f->name, BREAKER_SLOW, 16.0, DT_MS, 104.9));
    }
}

/* ------------------------------------------------------------------------- */
/* Standard points, edge ordering and the trip-time table                    */
/* ------------------------------------------------------------------------- */

/* One test point. */
struct point {
    const char *label;   /* column heading */
    double mult;         /* test current / In */
    int after_a;         /* 1: start from the heat of IEC test a (1.13 In, 1 h) */
};

static const struct point iec_points[] = {
    { "1.13In", 1.13, 0 }, { "1.45In a", 1.45, 1 }, { "2.55In", 2.55, 0 },
    { "3In", 3.0, 0 }, { "5In", 5.0, 0 }, { "10In", 10.0, 0 }, { "20In", 20.0, 0 },
};
static const struct point ul_points[] = {
    { "1.0In", 1.0, 0 }, { "1.35In", 1.35, 0 }, { "2.0In", 2.0, 0 },
};
static const struct point bs_points[] = {     /* 13 A: 20.8 / 24.7 / 30 / 50 / 100 A */
    { "1.6In", 1.6, 0 }, { "1.9In", 1.9, 0 }, { "2.31In", 30.0 / 13.0, 0 },
    { "3.85In", 50.0 / 13.0, 0 }, { "7.7In", 100.0 / 13.0, 0 },
};

/* The points and rating for family F. */
static const struct point *points_for(const struct breaker_family *f, size_t *n,
                                      double *in)
{
    if (f->model == BREAKER_MODEL_FUSE) {
        *n = sizeof bs_points / sizeof bs_points[0];
        *in = BS_IN;
        return bs_points;
    }
    if (strcmp(f->name, "ul489") == 0) {
        *n = sizeof ul_points / sizeof ul_points[0];
        *in = 15.0;
        return ul_points;
    }
    *n = sizeof iec_points / sizeof iec_points[0];
    *in = IEC_IN;
    return iec_points;
}

/* Steps edge E of F at point PT (1 ms, at most 1 h). Returns the cause, the
 * stepped time in *T (INFINITY: none in 1 h) and the closed form in *CLOSED;
 * checks the two agree for a thermal trip. */
static enum breaker_trip point_time(const struct breaker_family *f,
                                    enum breaker_edge e, double in,
                                    const struct point *pt, double *t,
                                    double *closed)
{
    breaker *b = make(f->name, e, in, DT_MS);
    double h0 = 0.0;
    enum breaker_trip c;

    if (pt->after_a) {
        assert_int_equal(run_for(b, 1.13 * in, DT_MS, HOUR, t), BREAKER_CLOSED);
        h0 = breaker_heat(b);
    }
    c = run_for(b, pt->mult * in, DT_MS, HOUR, t);
    *closed = breaker_trip_time(f, e, in, pt->mult * in, h0);
    if (c == BREAKER_THERMAL)
        assert_trip_time(*t, *closed, DT_MS);
    if (c == BREAKER_CLOSED)
        assert_true(*closed > HOUR);
    breaker_free(b);
    return c;
}

/* The band is ordered: at every standard point of every family the fast edge
 * trips no later than the nominal curve, and the nominal no later than the slow
 * edge (stepped at 1 ms; "no trip in 1 h" counts as INFINITY). */
static void edges_ordered(void **state)
{
    size_t i, j, k, n;

    (void)state;
    for (i = 0; i < breaker_family_count(); i++) {
        const struct breaker_family *f = breaker_family_at(i);
        double in;
        const struct point *p = points_for(f, &n, &in);

        for (j = 0; j < n; j++) {
            double t[BREAKER_EDGE_COUNT], closed;

            for (k = 0; k < BREAKER_EDGE_COUNT; k++)
                point_time(f, edges[k], in, &p[j], &t[k], &closed);
            if (!(t[0] <= t[1] && t[1] <= t[2]))
                fail_msg("%s at %s: fast %g s, nominal %g s, slow %g s", f->name,
                         p[j].label, t[0], t[1], t[2]);
        }
    }
}

/* Prints the table block of family F: one row per edge. */
static void table_block(const struct breaker_family *f)
{
    size_t j, k, n;
    double in;
    const struct point *p = points_for(f, &n, &in);

    printf("\n  %s (%s, In = %g A)\n  %-7s", f->name, f->standard, in, "edge");
    for (j = 0; j < n; j++)
        printf(" | %9s %8s", p[j].label, "closed");
    printf("\n");
    for (k = 0; k < BREAKER_EDGE_COUNT; k++) {
        printf("  %-7s", breaker_edge_name(edges[k]));
        for (j = 0; j < n; j++) {
            double t, closed;
            enum breaker_trip c = point_time(f, edges[k], in, &p[j], &t, &closed);

            if (c == BREAKER_CLOSED)
                printf(" | %9s", "none 1h");
            else
                printf(" | %8.4g%s", t, c == BREAKER_MAGNETIC ? "M" : "T");
            if (isinf(closed))
                printf(" %8s", "inf");
            else
                printf(" %8.4g", closed);
        }
        printf("\n");
    }
}

/* Trip times (s) of every family and edge at its standard points, stepped at
 * 1 ms (T thermal / fuse blow, M magnetic) next to the closed-form time (thermal
 * element or fuse law). In multiples of In; IEC at 16 A, UL at 15 A, BS 1362 at
 * 13 A (2.31 / 3.85 / 7.7 In are 30 / 50 / 100 A). */
static void print_trip_time_table(void **state)
{
    size_t i;

    (void)state;
    printf("\n  trip times, s: stepped at 1 ms (T thermal or fuse, M magnetic, "
           "'none 1h' no trip in 1 h)\n  and closed form; '1.45In a' starts from "
           "the heat of test a (1.13 In, 1 h)\n");
    for (i = 0; i < breaker_family_count(); i++)
        table_block(breaker_family_at(i));
}

/* ------------------------------------------------------------------------- */
/* Thermal memory and latching                                               */
/* ------------------------------------------------------------------------- */

static const char *const tm_families[] = { "ul489", "iec-b", "iec-c", "iec-d" };
static const char *const all_families[] = { "ul489", "iec-b", "iec-c", "iec-d",
                                            "bs1362" };

/* Heats B at 1.0 In (below every edge's I_t) for 300 s; returns the heat,
 * checked against the closed form H_inf (1 - exp(-t / tau)). */
static double preheat(breaker *b, const struct breaker_curve *c, double in,
                      double dt)
{
    double t;

    assert_int_equal(run_for(b, in, dt, 300.0, &t), BREAKER_CLOSED);
    assert_rel(breaker_heat(b),
               pow(1.0 / c->it_multiple, 2) * -expm1(-300.0 / c->tau_s), 1e-9);
    return breaker_heat(b);
}

/* Heating and cooling share one equation (IEC 60255-8 thermal memory): after
 * preheating, tau seconds at 0 A leave H = H0 / e. Every thermal-magnetic family
 * and edge at 1 ms; the nominal edge at 50 us too. */
static void thermal_memory_cooling(void **state)
{
    size_t i, k;
    int d;
    double dts[2] = { DT_MS, DT_US };

    (void)state;
    for (i = 0; i < sizeof tm_families / sizeof tm_families[0]; i++)
        for (k = 0; k < BREAKER_EDGE_COUNT; k++)
            for (d = 0; d < 2; d++) {
                const struct breaker_family *f = family(tm_families[i]);
                const struct breaker_curve *c = &f->edge[k];
                breaker *b;
                double h0, t;

                if (d == 1 && edges[k] != BREAKER_NOMINAL)
                    continue;
                b = make(f->name, edges[k], IEC_IN, dts[d]);
                h0 = preheat(b, c, IEC_IN, dts[d]);
                assert_int_equal(run_for(b, 0.0, dts[d], c->tau_s, &t),
                                 BREAKER_CLOSED);
                assert_rel(breaker_heat(b), h0 * exp(-1.0), 1e-6);
                breaker_free(b);
            }
}

/* Thermal memory: warm (after 1.0 In for 300 s) trips sooner at 2 In than cold;
 * both stepped times match the closed form from their starting heat. Every
 * thermal-magnetic family and edge. */
static void thermal_memory_warm_trips_sooner(void **state)
{
    size_t i, k;

    (void)state;
    for (i = 0; i < sizeof tm_families / sizeof tm_families[0]; i++)
        for (k = 0; k < BREAKER_EDGE_COUNT; k++) {
            const struct breaker_family *f = family(tm_families[i]);
            breaker *b = make(f->name, edges[k], IEC_IN, DT_MS);
            double t_cold, t_warm, h0;

            assert_int_equal(run_for(b, 2.0 * IEC_IN, DT_MS, HOUR, &t_cold),
                             BREAKER_THERMAL);
            assert_trip_time(t_cold, breaker_trip_time(f, edges[k], IEC_IN,
                                                       2.0 * IEC_IN, 0.0), DT_MS);
            breaker_reset(b);
            h0 = preheat(b, &f->edge[k], IEC_IN, DT_MS);
            assert_int_equal(run_for(b, 2.0 * IEC_IN, DT_MS, HOUR, &t_warm),
                             BREAKER_THERMAL);
            assert_trip_time(t_warm, breaker_trip_time(f, edges[k], IEC_IN,
                                                       2.0 * IEC_IN, h0), DT_MS);
            assert_true(t_warm < t_cold);
            breaker_free(b);
        }
}

/* A trip latches: later steps, even at 0 A, return the same cause and leave
 * the heat where the trip left it; breaker_reset() makes it cold and closed.
 * A NaN current opens the device (fail safe, reported as magnetic, fuse too)
 * rather than poisoning H. A fuse has no magnetic pick-up (INFINITY): an
 * infinite current blows it. Every family, nominal edge. */
static void trip_latches(void **state)
{
    size_t k;
    int n;

    (void)state;
    for (k = 0; k < sizeof all_families / sizeof all_families[0]; k++) {
        breaker *b = make(all_families[k], BREAKER_NOMINAL, IEC_IN, DT_MS);
        int fuse = family(all_families[k])->model == BREAKER_MODEL_FUSE;
        double t, h;

        assert_int_equal(run_for(b, 3.0 * IEC_IN, DT_MS, HOUR, &t), BREAKER_THERMAL);
        h = breaker_heat(b);
        assert_true(h >= 1.0);
        for (n = 0; n < 1000; n++)
            assert_int_equal(breaker_step(b, 0.0), BREAKER_THERMAL);
        assert_int_equal(breaker_state(b), BREAKER_THERMAL);
        assert_true(breaker_heat(b) == h);

        breaker_reset(b);
        assert_int_equal(breaker_state(b), BREAKER_CLOSED);
        assert_true(breaker_heat(b) == 0.0);
        if (fuse) {
            assert_true(isinf(breaker_magnetic_pickup_a(b)));
            assert_int_equal(breaker_step(b, 1e6 * IEC_IN), BREAKER_THERMAL);
            breaker_reset(b);
            assert_int_equal(breaker_step(b, -INFINITY), BREAKER_THERMAL);
        } else {
            assert_int_equal(breaker_step(b, 2.0 * breaker_magnetic_pickup_a(b)),
                             BREAKER_MAGNETIC);
            for (n = 0; n < 1000; n++)
                assert_int_equal(breaker_step(b, 0.0), BREAKER_MAGNETIC);
            assert_int_equal(breaker_state(b), BREAKER_MAGNETIC);
        }

        breaker_reset(b);
        assert_int_equal(breaker_step(b, NAN), BREAKER_MAGNETIC);
        assert_true(breaker_heat(b) == 0.0);
        assert_int_equal(breaker_step(b, 0.0), BREAKER_MAGNETIC);
        breaker_free(b);
    }
}

/* ------------------------------------------------------------------------- */
/* Construction, lookup, closed-form edges                                   */
/* ------------------------------------------------------------------------- */

#define P(fam, e, in, m, amb, dt) \
    { .family = (fam), .edge = (e), .rated_a = (in), .magnetic_multiple = (m), \
      .ambient_c = (amb), .dt_s = (dt) }

/* breaker_new rejects unusable parameters with NULL and a message. */
static void new_rejects_bad_params(void **state)
{
    const struct breaker_family *f = family("iec-c"), *fu = family("bs1362");
    const enum breaker_edge nom = BREAKER_NOMINAL;
    const struct breaker_params bad[] = {
        P(NULL, nom, 16.0, 0.0, NAN, DT_MS),
        P(f, (enum breaker_edge)-1, 16.0, 0.0, NAN, DT_MS),
        P(f, BREAKER_EDGE_COUNT, 16.0, 0.0, NAN, DT_MS),
        P(f, nom, 0.0, 0.0, NAN, DT_MS), P(f, nom, -16.0, 0.0, NAN, DT_MS),
        P(f, nom, NAN, 0.0, NAN, DT_MS), P(f, nom, INFINITY, 0.0, NAN, DT_MS),
        P(f, nom, 16.0, 0.0, NAN, 0.0), P(f, nom, 16.0, 0.0, NAN, -DT_MS),
        P(f, nom, 16.0, 0.0, NAN, NAN), P(f, nom, 16.0, 0.0, NAN, INFINITY),
        P(f, nom, 16.0, -5.0, NAN, DT_MS), P(f, nom, 16.0, 1.0, NAN, DT_MS),
        P(f, nom, 16.0, 1.3, NAN, DT_MS),
        P(f, nom, 16.0, 1.4, NAN, DT_MS),      /* below the slow edge's 1.42 */
        P(f, nom, 16.0, NAN, NAN, DT_MS), P(f, nom, 16.0, INFINITY, NAN, DT_MS),
        P(f, nom, 16.0, 0.0, 105.0, DT_MS),
        P(fu, nom, 13.0, 10.0, NAN, DT_MS),    /* a fuse: no magnetic override */
        P(fu, nom, 13.0, 0.0, 0.0, 0.0),
    };
    struct breaker_family broken = *f;
    struct breaker_params p = P(&broken, nom, 16.0, 0.0, NAN, DT_MS);
    char err[200];
    breaker *b;
    size_t k;

    (void)state;
    for (k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        err[0] = '\0';
        if (breaker_new(&bad[k], err, sizeof err) != NULL)
            fail_msg("bad[%zu] was accepted", k);
        assert_true(strlen(err) > 0);
        assert_null(breaker_new(&bad[k], NULL, 0));   /* no buffer: no crash */
    }
    err[0] = '\0';
    assert_null(breaker_new(NULL, err, sizeof err));
    assert_true(strlen(err) > 0);

    /* caller-made families: every edge is checked, not only the one built */
    broken.edge[BREAKER_SLOW].tau_s = 0.0;
    assert_null(breaker_new(&p, err, sizeof err));
    assert_non_null(strstr(err, "slow"));
    broken = *f;
    broken.edge[BREAKER_FAST].magnetic_multiple = 1.0;
    assert_null(breaker_new(&p, err, sizeof err));
    broken = *f;
    broken.model = (enum breaker_model)7;
    assert_null(breaker_new(&p, err, sizeof err));
    broken = *f;
    broken.trip_temp_c = broken.calib_ambient_c;
    assert_null(breaker_new(&p, err, sizeof err));
    broken = *fu;
    broken.edge[BREAKER_NOMINAL].fuse_a_s = 0.0;
    assert_null(breaker_new(&p, err, sizeof err));
    broken = *fu;
    broken.edge[BREAKER_NOMINAL].fuse_p = NAN;
    assert_null(breaker_new(&p, err, sizeof err));
    broken = *fu;
    broken.edge[BREAKER_NOMINAL].magnetic_multiple = 10.0;
    assert_null(breaker_new(&p, err, sizeof err));
    broken = *fu;                                      /* the row itself is fine */
    p.rated_a = 13.0;
    b = breaker_new(&p, err, sizeof err);
    assert_non_null(b);
    breaker_free(b);
}

/* A magnetic_multiple override replaces the pick-up of every edge; 0 keeps the
 * family's; a fuse has none (INFINITY) and rejects an override. */
static void new_magnetic_override(void **state)
{
    struct breaker_params p = P(family("iec-c"), BREAKER_NOMINAL, 16.0, 8.0, NAN,
                                DT_MS);
    struct breaker_params pf = P(family("bs1362"), BREAKER_SLOW, 13.0, 0.0, NAN,
                                 DT_MS);
    char err[200] = "";
    breaker *b;
    size_t k;

    (void)state;
    for (k = 0; k < BREAKER_EDGE_COUNT; k++) {
        p.edge = edges[k];
        b = breaker_new(&p, NULL, 0);
        assert_non_null(b);
        assert_rel(breaker_magnetic_pickup_a(b), 128.0, 1e-15);
        assert_rel(breaker_thermal_pickup_a(b),
                   family("iec-c")->edge[k].it_multiple * 16.0, 1e-15);
        assert_int_equal(breaker_state(b), BREAKER_CLOSED);
        assert_true(breaker_heat(b) == 0.0);
        breaker_free(b);
    }
    p.edge = BREAKER_SLOW;
    p.magnetic_multiple = 0.0;
    b = breaker_new(&p, NULL, 0);
    assert_non_null(b);
    assert_rel(breaker_magnetic_pickup_a(b), 9.0 * 16.0, 1e-15);
    breaker_free(b);

    b = breaker_new(&pf, NULL, 0);
    assert_non_null(b);
    assert_true(isinf(breaker_magnetic_pickup_a(b)));
    assert_rel(breaker_thermal_pickup_a(b), 1.65 * 13.0, 1e-15);
    breaker_free(b);
    pf.magnetic_multiple = 10.0;
    assert_null(breaker_new(&pf, err, sizeof err));
    assert_non_null(strstr(err, "magnetic"));
    breaker_free(NULL);
}

/* The table: five families found by name, unknown names give NULL; each row is
 * sane (thermal-magnetic: I_t < pick-up; fuse: no pick-up, A and p > 0), the
 * band is ordered in its parameters, calibration ambients 40 C UL, 30 C IEC,
 * 20 C BS 1362 (U), trip temperature 105 C. */
static void family_lookup(void **state)
{
    size_t i, k, n = breaker_family_count();

    (void)state;
    assert_int_equal(n, 5);
    for (i = 0; i < n; i++) {
        const struct breaker_family *f = breaker_family_at(i);
        int fuse;
        double cal;

        assert_non_null(f);
        assert_ptr_equal(breaker_family_find(f->name), f);
        fuse = f->model == BREAKER_MODEL_FUSE;
        assert_int_equal(fuse, strcmp(f->name, "bs1362") == 0);
        cal = fuse ? 20.0 : strcmp(f->name, "ul489") == 0 ? 40.0 : 30.0;
        assert_true(f->calib_ambient_c == cal);
        assert_true(f->trip_temp_c == 105.0);
        for (k = 0; k < BREAKER_EDGE_COUNT; k++) {
            const struct breaker_curve *c = &f->edge[k];

            assert_true(c->tau_s > 0);
            if (fuse) {
                assert_true(c->magnetic_multiple == 0.0);
                assert_true(c->fuse_a_s > 0 && c->fuse_p > 0);
            } else {
                assert_true(c->magnetic_multiple > c->it_multiple);
                assert_true(c->fuse_a_s == 0.0 && c->fuse_p == 0.0);
            }
            if (k > 0) {
                const struct breaker_curve *q = &f->edge[k - 1];

                assert_true(c->it_multiple >= q->it_multiple);
                assert_true(c->magnetic_multiple >= q->magnetic_multiple);
                assert_true(fuse ? c->fuse_a_s > q->fuse_a_s : c->tau_s > q->tau_s);
            }
        }
    }
    assert_null(breaker_family_at(n));
    assert_null(breaker_family_find("iec-z"));
    assert_null(breaker_family_find("IEC-B"));
    assert_null(breaker_family_find(""));
    assert_null(breaker_family_find(NULL));
}

/* Edge names round-trip; unknown names give -1, a non-edge NULL. */
static void edge_names(void **state)
{
    size_t k;

    (void)state;
    assert_string_equal(breaker_edge_name(BREAKER_FAST), "fast");
    assert_string_equal(breaker_edge_name(BREAKER_NOMINAL), "nominal");
    assert_string_equal(breaker_edge_name(BREAKER_SLOW), "slow");
    for (k = 0; k < BREAKER_EDGE_COUNT; k++)
        assert_int_equal(breaker_edge_find(breaker_edge_name(edges[k])), (int)edges[k]);
    assert_null(breaker_edge_name(BREAKER_EDGE_COUNT));
    assert_null(breaker_edge_name((enum breaker_edge)-1));
    assert_int_equal(breaker_edge_find("Fast"), -1);
    assert_int_equal(breaker_edge_find("medium"), -1);
    assert_int_equal(breaker_edge_find(""), -1);
    assert_int_equal(breaker_edge_find(NULL), -1);
}

/* The closed form's edges: I <= pick-up never trips, H0 >= 1 trips at once, the
 * cold thermal form t = tau ln(I^2 / (I^2 - I_t^2)) and the fuse law
 * t = A / ((I/I_p)^p - 1) (facts.md 1), NaN for bad input. */
static void closed_form_edges(void **state)
{
    const struct breaker_family *f = family("iec-b"), *fu = family("bs1362");
    const enum breaker_edge nom = BREAKER_NOMINAL;

    (void)state;
    assert_true(isinf(breaker_trip_time(f, nom, 16.0, 1.30 * 16.0, 0.0)));
    assert_true(isinf(breaker_trip_time(f, nom, 16.0, 0.0, 0.5)));
    assert_true(breaker_trip_time(f, nom, 16.0, 2.0 * 16.0, 1.0) == 0.0);
    assert_true(breaker_trip_time(f, nom, 16.0, 0.5 * 16.0, 1.2) == 0.0);
    assert_rel(breaker_trip_time(f, nom, 16.0, 2.55 * 16.0, 0.0),
               60.0 * log(2.55 * 2.55 / (2.55 * 2.55 - 1.69)), 1e-14);
    assert_rel(breaker_trip_time(f, nom, 16.0, -2.55 * 16.0, 0.0),
               60.0 * log(2.55 * 2.55 / (2.55 * 2.55 - 1.69)), 1e-14);
    /* facts.md 1 example (D): 98 s at 1.45 In, 33 s at 2 In, 18 s at 2.55 In */
    assert_rel(breaker_trip_time(f, nom, 16.0, 1.45 * 16.0, 0.0), 98.0, 0.005);
    assert_rel(breaker_trip_time(f, nom, 16.0, 2.00 * 16.0, 0.0), 33.0, 0.02);
    assert_rel(breaker_trip_time(f, nom, 16.0, 2.55 * 16.0, 0.0), 18.0, 0.005);
    /* the brief's checks: fast c 9.1 s, slow c 44.5 s */
    assert_rel(breaker_trip_time(f, BREAKER_FAST, 16.0, 2.55 * 16.0, 0.0),
               40.0 * log(6.5025 / (6.5025 - 1.3225)), 1e-12);
    assert_rel(breaker_trip_time(f, BREAKER_SLOW, 16.0, 2.55 * 16.0, 0.0), 44.5,
               0.002);
    /* fuse law; 100 A on the 13 A fast edge: 32 / ((100/20.8)^5 - 1) */
    assert_rel(breaker_trip_time(fu, BREAKER_FAST, 13.0, 100.0, 0.0),
               32.0 / (pow(100.0 / 20.8, 5) - 1.0), 1e-13);
    assert_rel(breaker_trip_time(fu, BREAKER_SLOW, 13.0, 30.0, 0.25),
               0.75 * 380.0 / (pow(30.0 / 21.45, 5) - 1.0), 1e-13);
    assert_true(isinf(breaker_trip_time(fu, BREAKER_FAST, 13.0, 1.6 * 13.0, 0.0)));
    assert_true(breaker_trip_time(fu, BREAKER_FAST, 13.0, 30.0, 1.0) == 0.0);
    /* bad input */
    assert_true(isnan(breaker_trip_time(NULL, nom, 16.0, 32.0, 0.0)));
    assert_true(isnan(breaker_trip_time(f, BREAKER_EDGE_COUNT, 16.0, 32.0, 0.0)));
    assert_true(isnan(breaker_trip_time(f, nom, 0.0, 32.0, 0.0)));
    assert_true(isnan(breaker_trip_time(f, nom, 16.0, NAN, 0.0)));
    assert_true(isnan(breaker_trip_time(f, nom, 16.0, 32.0, -0.1)));
    assert_true(isnan(breaker_trip_time(fu, nom, 13.0, 30.0, NAN)));
}

/* ------------------------------------------------------------------------- */
/* Runner                                                                    */
/* ------------------------------------------------------------------------- */

/* A test with its own name and initial state. */
#define NAMED(name, fn, st) { name, fn, NULL, NULL, st }
/* A test case as a compound literal (lives as long as main's block). */
#define TC(fam, e, in, d, x) (&(struct tcase){ fam, e, in, d, x })

#define IEC_EDGE(fam, en, e, d, x)                                                   \
    NAMED("iec60898_a_1.13In_cold_no_trip_1h/" fam "/" en, iec60898_test_a,          \
          TC(fam, e, IEC_IN, d, x)),                                                 \
    NAMED("iec60898_b_1.45In_after_a_trips_1h/" fam "/" en, iec60898_test_b,         \
          TC(fam, e, IEC_IN, d, x)),                                                 \
    NAMED("iec60898_c_2.55In_cold_trips_1s_60s/" fam "/" en, iec60898_test_c,        \
          TC(fam, e, IEC_IN, d, x)),                                                 \
    NAMED("iec60898_d_lower_band_no_trip_0.1s/" fam "/" en, iec60898_test_d,         \
          TC(fam, e, IEC_IN, d, x)),                                                 \
    NAMED("iec60898_e_upper_band_magnetic_0.1s/" fam "/" en, iec60898_test_e,        \
          TC(fam, e, IEC_IN, d, x))

#define IEC_TESTS(fam, d, x)                                                         \
    IEC_EDGE(fam, "fast", BREAKER_FAST, d, x),                                       \
    IEC_EDGE(fam, "nominal", BREAKER_NOMINAL, d, x),                                 \
    IEC_EDGE(fam, "slow", BREAKER_SLOW, d, x)

#define UL_EDGE(amps, in, en, e)                                                     \
    NAMED("ul489_100pct_carried_24h/" amps "/" en, ul489_100pct_carried,             \
          TC("ul489", e, in, 0, 0)),                                                 \
    NAMED("ul489_135pct_trips_1h/" amps "/" en, ul489_135pct_within_1h,              \
          TC("ul489", e, in, 0, 0)),                                                 \
    NAMED("ul489_200pct_trips_2min/" amps "/" en, ul489_200pct_within_2min,          \
          TC("ul489", e, in, 0, 0)),                                                 \
    NAMED("ul489_magnetic_above_pickup/" amps "/" en, ul489_magnetic_above_pickup,   \
          TC("ul489", e, in, 0, 0))

#define UL_TESTS(amps, in)                                                           \
    UL_EDGE(amps, in, "fast", BREAKER_FAST),                                         \
    UL_EDGE(amps, in, "nominal", BREAKER_NOMINAL),                                   \
    UL_EDGE(amps, in, "slow", BREAKER_SLOW)

#define BS_EDGE(amps, in, en, e)                                                     \
    NAMED("bs1362_carries_1.6In_30min/" amps "/" en, bs1362_carries_1_6In_30min,     \
          TC("bs1362", e, in, 0, 0)),                                                \
    NAMED("bs1362_blows_1.9In_within_30min/" amps "/" en,                            \
          bs1362_blows_1_9In_within_30min, TC("bs1362", e, in, 0, 0)),               \
    NAMED("bs1362_2.31In_30A_1s_400s/" amps "/" en, bs1362_30A_1s_400s,              \
          TC("bs1362", e, in, 0, 0)),                                                \
    NAMED("bs1362_3.85In_50A_0.1s_20s/" amps "/" en, bs1362_50A_0_1s_20s,            \
          TC("bs1362", e, in, 0, 0)),                                                \
    NAMED("bs1362_7.7In_100A_0.01s_0.2s/" amps "/" en, bs1362_100A_0_01s_0_2s,       \
          TC("bs1362", e, in, 0, 0))

#define BS_TESTS(amps, in)                                                           \
    BS_EDGE(amps, in, "fast", BREAKER_FAST),                                         \
    BS_EDGE(amps, in, "nominal", BREAKER_NOMINAL),                                   \
    BS_EDGE(amps, in, "slow", BREAKER_SLOW)

/* breaker_advance against breaker_step (the second method): for each family, a
 * sequence of held currents in strides of 1 to 5000 steps, some of them above
 * the pick-up so the device trips inside a stride. The heat after each stride
 * must match within 1e-9 relative, and the trip must land on the same step. */
static void advance_matches_steps(void **state)
{
    const char *fams[] = { "ul489", "iec-b", "iec-c", "bs1362" };
    const double dt = 1e-3;

    (void)state;
    for (size_t f = 0; f < sizeof fams / sizeof fams[0]; f++) {
        for (int seed = 0; seed < 4; seed++) {
            breaker *a = make(fams[f], BREAKER_NOMINAL, 16.0, dt);
            breaker *b = make(fams[f], BREAKER_NOMINAL, 16.0, dt);
            unsigned x = 12345u + 977u * (unsigned)seed;
            size_t step_a = 0, step_b = 0, trip_a = 0, trip_b = 0;
            for (int k = 0; k < 400 && !trip_a; k++) {
                x = x * 1103515245u + 12345u;
                double amps = 16.0 * (0.8 + 1.7 * (double)(x >> 8 & 0xffff) / 65535.0);
                x = x * 1103515245u + 12345u;
                size_t n = 1 + (x >> 8) % 5000;
                for (size_t j = 0; j < n && !trip_a; j++) {
                    step_a++;
                    if (breaker_step(a, amps) != BREAKER_CLOSED) trip_a = step_a;
                }
                size_t got = breaker_advance(b, amps * amps, n);
                if (got) trip_b = step_b + got;
                step_b += n;
                if (!trip_a)
                    assert_true(fabs(breaker_heat(b) - breaker_heat(a))
                                <= 1e-9 * breaker_heat(a) + 1e-15);
                assert_int_equal(trip_a != 0, trip_b != 0);
            }
            assert_true(trip_a != 0);       /* the sequence reaches a trip */
            assert_int_equal(trip_a, trip_b);
            assert_int_equal(breaker_state(a), breaker_state(b));
            breaker_free(a);
            breaker_free(b);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        IEC_TESTS("iec-b", 3.0, 5.0),
        IEC_TESTS("iec-c", 5.0, 10.0),
        IEC_TESTS("iec-d", 10.0, 20.0),
        UL_TESTS("15A", 15.0),
        UL_TESTS("20A", 20.0),
        BS_TESTS("13A", 13.0),
        BS_TESTS("3A_U", 3.0),
        cmocka_unit_test(fuse_accumulation_two_levels),
        cmocka_unit_test(fuse_cooling_halves),
        cmocka_unit_test(ambient_calibration_no_change),
        cmocka_unit_test(ambient_ul489_50c),
        cmocka_unit_test(ambient_60c_schneider),
        cmocka_unit_test(ambient_hotter_trips_sooner),
        cmocka_unit_test(ambient_rejected),
        cmocka_unit_test(edges_ordered),
        cmocka_unit_test(thermal_memory_cooling),
        cmocka_unit_test(thermal_memory_warm_trips_sooner),
        cmocka_unit_test(trip_latches),
        cmocka_unit_test(new_rejects_bad_params),
        cmocka_unit_test(new_magnetic_override),
        cmocka_unit_test(family_lookup),
        cmocka_unit_test(edge_names),
        cmocka_unit_test(closed_form_edges),
        cmocka_unit_test(print_trip_time_table),
        cmocka_unit_test(advance_matches_steps),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

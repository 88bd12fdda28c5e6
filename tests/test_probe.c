/* test_probe.c — the window probe against a brute-force recomputation.
 *
 * The second method for every figure is the definition itself: the average of
 * the last n samples (0 before the first one), summed afresh at every step, O(n)
 * per step and per window, and its running maximum with the time (steps pushed
 * * dt) when it was first reached. Random signals come from GSL's MT19937 with
 * fixed seeds, so every run sees the same numbers. Also: square pulses against
 * H * min(1, L / n), the rounding of windows to steps, rounding drift over 3e6
 * steps (DESIGN.md 3), reset, and refused input.
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

#include <gsl/gsl_rng.h>

#include "probe.h"

/* ------------------------------------------------------------------------- */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------- */

/* |got - want| <= rel * |want|. */
static void assert_rel(double got, double want, double rel)
{
    if (!(fabs(got - want) <= rel * fabs(want)))
        fail_msg("got %.17g, want %.17g (rel tol %g, rel err %.3g)", got, want,
                 rel, fabs(got - want) / fabs(want));
}

static probe *make(const double *window_s, size_t n, double dt)
{
    char err[200] = "";
    probe *p = probe_new(window_s, n, dt, err, sizeof err);

    if (p == NULL)
        fail_msg("probe_new(%zu windows, dt %g s): %s", n, dt, err);
    return p;
}

static gsl_rng *rng_make(unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

    assert_non_null(r);
    gsl_rng_set(r, seed);
    return r;
}

/* The average of X[I - N + 1 .. I], samples before X[0] being 0. */
static double brute_avg(const double *x, size_t i, size_t n)
{
    double s = 0.0;
    size_t j;

    for (j = 0; j < n && j <= i; j++)
        s += x[i - j];
    return s / (double)n;
}

/* ------------------------------------------------------------------------- */
/* Brute force on random signals                                             */
/* ------------------------------------------------------------------------- */

#define BF_STEPS 20000  /* about 540 wraps of the 37-step ring */

/* Windows of 1, 3, 10 and 37 steps at DT. SIGNED: a signal around 0 (checked
 * to 1e-9 of the window's mean |x|, since a relative check means nothing where
 * the average crosses 0); otherwise a positive one with spikes (checked to 1e-9
 * relative). Every step: each window's average; at the end: maxima and times. */
static void brute_force_run(unsigned long seed, double dt, int is_signed)
{
    static const size_t n_steps[] = { 1, 3, 10, 37 };
    enum { NW = sizeof n_steps / sizeof n_steps[0] };
    double window_s[NW], bf_max[NW], bf_t[NW];
    double *x = malloc(BF_STEPS * sizeof *x);
    gsl_rng *r = rng_make(seed);
    probe *p;
    size_t i, k;

    assert_non_null(x);
    for (k = 0; k < NW; k++) {
        window_s[k] = (double)n_steps[k] * dt;
        bf_max[k] = -INFINITY;
        bf_t[k] = 0.0;
    }
    p = make(window_s, NW, dt);
    for (k = 0; k < NW; k++)
        assert_rel(probe_window_s(p, k), window_s[k], 1e-15);

    for (i = 0; i < BF_STEPS; i++) {
        double u = gsl_rng_uniform(r);

        if (is_signed)
            x[i] = 2000.0 * (u - 0.5);
        else
            x[i] = 100.0 + 900.0 * u + (gsl_rng_uniform(r) < 0.01 ? 5000.0 : 0.0);
        probe_push(p, x[i]);
        for (k = 0; k < NW; k++) {
            double want = brute_avg(x, i, n_steps[k]), got = probe_avg(p, k);

            if (is_signed) {
                double scale = 0.0;
                size_t j;

                for (j = 0; j < n_steps[k] && j <= i; j++)
                    scale += fabs(x[i - j]);
                scale /= (double)n_steps[k];
                if (!(fabs(got - want) <= 1e-9 * scale))
                    fail_msg("step %zu, window %zu: got %.17g, want %.17g", i,
                             n_steps[k], got, want);
            } else if (!(fabs(got - want) <= 1e-9 * fabs(want))) {
                fail_msg("step %zu, window %zu: got %.17g, want %.17g", i,
                         n_steps[k], got, want);
            }
            if (want > bf_max[k]) {
                bf_max[k] = want;
                bf_t[k] = (double)(i + 1) * dt;
            }
        }
    }
    for (k = 0; k < NW; k++) {
        assert_rel(probe_max(p, k), bf_max[k], 1e-9);
        if (probe_max_time(p, k) != bf_t[k])
            fail_msg("window %zu: max at %.17g s, brute force %.17g s", n_steps[k],
                     probe_max_time(p, k), bf_t[k]);
    }
    probe_free(p);
    gsl_rng_free(r);
    free(x);
}

static void brute_force_positive_1ms(void **state)
{
    (void)state;
    brute_force_run(20240601UL, 1e-3, 0);
}

static void brute_force_positive_50us(void **state)
{
    (void)state;
    brute_force_run(7UL, 50e-6, 0);
}

static void brute_force_signed_50us(void **state)
{
    (void)state;
    brute_force_run(12345UL, 50e-6, 1);
}

/* ------------------------------------------------------------------------- */
/* Square pulses                                                             */
/* ------------------------------------------------------------------------- */

/* A pulse of height H for L steps after Q quiet steps, then quiet again: the
 * highest average of an n-step window is H * min(1, L / n), first reached at the
 * end of step Q + min(L, n) and held until step Q + max(L, n). */
static void square_pulse(void **state)
{
    static const size_t n_steps[] = { 1, 3, 10, 37 };
    static const size_t lengths[] = { 1, 2, 5, 10, 36, 37, 38, 100 };
    static const double heights[] = { 3.7, 1000.0, 0.1 };
    enum { NW = sizeof n_steps / sizeof n_steps[0] };
    const double dt = 50e-6;
    const size_t q = 45;
    double window_s[NW];
    size_t k, a, h, i;
    probe *p;

    (void)state;
    for (k = 0; k < NW; k++)
        window_s[k] = (double)n_steps[k] * dt;
    p = make(window_s, NW, dt);
    for (h = 0; h < sizeof heights / sizeof heights[0]; h++) {
        for (a = 0; a < sizeof lengths / sizeof lengths[0]; a++) {
            double hgt = heights[h];
            size_t len = lengths[a];

            probe_reset(p);
            for (i = 0; i < q; i++)
                probe_push(p, 0.0);
            for (i = 0; i < len; i++)
                probe_push(p, hgt);
            for (i = 0; i < 200; i++)
                probe_push(p, 0.0);
            for (k = 0; k < NW; k++) {
                size_t n = n_steps[k];
                double want = hgt * (len < n ? (double)len / (double)n : 1.0);
                double t_first = (double)(q + (len < n ? len : n)) * dt;
                double t_last = (double)(q + (len < n ? n : len)) * dt;
                double t = probe_max_time(p, k);

                assert_rel(probe_max(p, k), want, 1e-12);
                if (!(t >= t_first - 1e-3 * dt && t <= t_last + 1e-3 * dt))
                    fail_msg("H %g L %zu n %zu: max at %g s, outside [%g, %g] s",
                             hgt, len, n, t, t_first, t_last);
                /* the pulse has left every window */
                assert_true(fabs(probe_avg(p, k)) <= 1e-12 * hgt);
            }
        }
    }
    probe_free(p);
}

/* ------------------------------------------------------------------------- */
/* Window rounding                                                           */
/* ------------------------------------------------------------------------- */

/* Each window is rounded to the nearest whole number of steps, at least one. */
static void window_rounding(void **state)
{
    static const struct {
        double window_s, dt_s, want_s;
    } cases[] = {
        { 0.1e-3, 50e-6, 100e-6 },  /* 2 steps */
        { 1e-3,    1e-3,   1e-3 },  /* 1 step */
        { 30e-6,  50e-6,  50e-6 },  /* 0.6 -> at least 1 step */
        { 1e-9,   50e-6,  50e-6 },  /* tiny -> 1 step */
        { 74e-6,  50e-6,  50e-6 },  /* 1.48 -> 1 */
        { 76e-6,  50e-6, 100e-6 },  /* 1.52 -> 2 */
        { 1.0,    50e-6,    1.0 },  /* 20000 steps */
        { 0.1,    10e-6,    0.1 },  /* 10000 steps */
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        probe *p = make(&cases[i].window_s, 1, cases[i].dt_s);

        assert_int_equal(probe_count(p), 1);
        assert_rel(probe_window_s(p, 0), cases[i].want_s, 1e-12);
        probe_free(p);
    }
}

/* The ATX 3.x windows at the default step, in the order given. */
static void window_set_atx(void **state)
{
    static const double w[] = { 100e-6, 1e-3, 10e-3, 100e-3, 1.0 };
    probe *p;
    size_t k;

    (void)state;
    p = make(w, 5, 50e-6);
    assert_int_equal(probe_count(p), 5);
    for (k = 0; k < 5; k++)
        assert_rel(probe_window_s(p, k), w[k], 1e-12);
    /* out of range */
    assert_true(isnan(probe_window_s(p, 5)));
    assert_true(isnan(probe_avg(p, 5)));
    assert_true(isnan(probe_max(p, 5)));
    assert_true(isnan(probe_max_time(p, 5)));
    probe_free(p);
}

/* ------------------------------------------------------------------------- */
/* Drift over long runs                                                      */
/* ------------------------------------------------------------------------- */

#define LONG_STEPS 3000000UL   /* 150 s at 50 us: 150 wraps of a 1 s ring */

/* A constant that binary cannot hold (0.1) for 3e6 steps: every window's average
 * is the constant within 1e-12 at every step once the window is full. */
static void drift_constant(void **state)
{
    static const double w[] = { 100e-6, 1e-3, 10e-3, 100e-3, 1.0 };
    static const size_t n_steps[] = { 2, 20, 200, 2000, 20000 };
    const double c = 0.1;
    double worst[5] = { 0 };
    unsigned long i;
    size_t k;
    probe *p;

    (void)state;
    p = make(w, 5, 50e-6);
    for (i = 0; i < LONG_STEPS; i++) {
        probe_push(p, c);
        for (k = 0; k < 5; k++) {
            if (i + 1 >= n_steps[k]) {
                double e = fabs(probe_avg(p, k) - c) / c;

                if (e > worst[k])
                    worst[k] = e;
            }
        }
    }
    for (k = 0; k < 5; k++) {
        if (!(worst[k] <= 1e-12))
            fail_msg("window %zu steps: worst relative error %.3g", n_steps[k],
                     worst[k]);
        assert_rel(probe_max(p, k), c, 1e-12);
    }
    probe_free(p);
}

/* A signal with a huge dynamic range (values 1..2 and rare 1e9 spikes) for 3e6
 * steps. Every spike that passes through a running sum leaves a rounding error
 * of about 1e9 * eps there; without the rebuild at each wrap they would add up
 * (about 1e-5 relative for the short windows by the end). At each wrap of the
 * ring (every 20000 steps) every window must equal the brute force within
 * 1e-12 relative; at other checkpoints, within 1e-12 of the largest sample
 * still in the ring (the error is bounded by one ring's worth of updates). */
static void drift_random_spikes(void **state)
{
    static const double w[] = { 100e-6, 1e-3, 10e-3, 100e-3, 1.0 };
    static const size_t n_steps[] = { 2, 20, 200, 2000, 20000 };
    enum { RING = 20000 };
    double *ring = calloc(RING, sizeof *ring);   /* the last RING samples */
    gsl_rng *r = rng_make(99UL);
    double big;
    unsigned long i;
    size_t k, checks = 0;
    probe *p;

    (void)state;
    assert_non_null(ring);
    p = make(w, 5, 50e-6);
    for (i = 0; i < LONG_STEPS; i++) {
        double x = 1.0 + gsl_rng_uniform(r);

        if (gsl_rng_uniform(r) < 1e-3)
            x = 1e9;
        ring[i % RING] = x;
        probe_push(p, x);
        if ((i + 1) % RING != 0 && (i + 1) % 99991 != 0)
            continue;
        checks++;
        big = 0.0;
        for (k = 0; k < RING; k++)
            if (ring[k] > big)
                big = ring[k];
        for (k = 0; k < 5; k++) {
            double s = 0.0, want, got = probe_avg(p, k);
            size_t j;

            for (j = 0; j < n_steps[k]; j++)
                s += ring[(i - j) % RING];
            want = s / (double)n_steps[k];
            if ((i + 1) % RING == 0) {
                if (!(fabs(got - want) <= 1e-12 * want))
                    fail_msg("wrap at step %lu, window %zu: got %.17g, want %.17g",
                             i + 1, n_steps[k], got, want);
            } else if (!(fabs(got - want) <= 1e-12 * big)) {
                fail_msg("step %lu, window %zu: got %.17g, want %.17g", i + 1,
                         n_steps[k], got, want);
            }
        }
    }
    assert_true(checks > 150);
    probe_free(p);
    gsl_rng_free(r);
    free(ring);
}

/* ------------------------------------------------------------------------- */
/* State: before any sample, reset                                           */
/* ------------------------------------------------------------------------- */

/* Before the first sample: averages and maxima 0, times 0. The signal before the
 * first sample is 0, so the first average of a 4-step window is x / 4. A signal
 * below 0 gives a maximum below 0 (not the 0 reported before any sample). */
static void initial_state_and_ramp(void **state)
{
    static const double w[] = { 4e-3, 1e-3 };
    probe *p;

    (void)state;
    p = make(w, 2, 1e-3);
    assert_true(probe_avg(p, 0) == 0.0 && probe_avg(p, 1) == 0.0);
    assert_true(probe_max(p, 0) == 0.0 && probe_max(p, 1) == 0.0);
    assert_true(probe_max_time(p, 0) == 0.0);
    probe_push(p, 8.0);
    assert_rel(probe_avg(p, 0), 2.0, 1e-15);
    assert_rel(probe_avg(p, 1), 8.0, 1e-15);
    assert_rel(probe_max_time(p, 0), 1e-3, 1e-15);
    probe_reset(p);
    probe_push(p, -4.0);
    probe_push(p, -4.0);
    /* 4-step window: -1 then -2; the maximum is the first, -1 at 1 ms */
    assert_rel(probe_max(p, 0), -1.0, 1e-15);
    assert_rel(probe_max_time(p, 0), 1e-3, 1e-15);
    assert_rel(probe_max(p, 1), -4.0, 1e-15);
    probe_free(p);
}

/* probe_reset() forgets everything: the same signal after a reset gives the same
 * figures as on a fresh probe, bit for bit. */
static void reset_forgets(void **state)
{
    static const double w[] = { 3e-3, 10e-3, 1e-3 };
    probe *a, *b;
    gsl_rng *r;
    size_t i, k;

    (void)state;
    a = make(w, 3, 1e-3);
    b = make(w, 3, 1e-3);
    r = rng_make(5UL);
    for (i = 0; i < 1234; i++)   /* leaves the ring mid-way */
        probe_push(a, 1e4 * gsl_rng_uniform(r));
    probe_reset(a);
    for (k = 0; k < 3; k++) {
        assert_true(probe_avg(a, k) == 0.0);
        assert_true(probe_max(a, k) == 0.0);
        assert_true(probe_max_time(a, k) == 0.0);
    }
    gsl_rng_set(r, 6UL);
    for (i = 0; i < 500; i++) {
        double x = 100.0 * gsl_rng_uniform(r);

        probe_push(a, x);
        probe_push(b, x);
        for (k = 0; k < 3; k++)
            assert_true(probe_avg(a, k) == probe_avg(b, k));
    }
    for (k = 0; k < 3; k++) {
        assert_true(probe_max(a, k) == probe_max(b, k));
        assert_true(probe_max_time(a, k) == probe_max_time(b, k));
    }
    probe_free(a);
    probe_free(b);
    gsl_rng_free(r);
}

/* ------------------------------------------------------------------------- */
/* Refused input                                                             */
/* ------------------------------------------------------------------------- */

/* NULL with a message in ERR (which must mention WANT); a NULL ERR is fine. */
static void expect_refused(const double *w, size_t n, double dt, const char *want)
{
    char err[200] = "";

    assert_null(probe_new(w, n, dt, err, sizeof err));
    if (strncmp(err, "probe: ", 7) != 0 || strstr(err, want) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", err, want);
    assert_null(probe_new(w, n, dt, NULL, 0));
}

static void new_rejects_bad_input(void **state)
{
    const double ok[PROBE_MAX_WINDOWS + 1] = { 1e-3, 1e-3, 1e-3, 1e-3, 1e-3,
                                               1e-3, 1e-3, 1e-3, 1e-3 };
    const double zero[] = { 1e-3, 0.0 };
    const double neg[] = { -1e-3 };
    const double nan_w[] = { 1e-3, 1e-3, NAN };
    const double inf_w[] = { INFINITY };
    const double huge[] = { 1.0, 2e4 };   /* 4e8 entries at 50 us */
    probe *p;

    (void)state;
    expect_refused(ok, 0, 1e-3, "number of windows");
    expect_refused(ok, PROBE_MAX_WINDOWS + 1, 1e-3, "number of windows");
    expect_refused(NULL, 1, 1e-3, "no window");
    expect_refused(zero, 2, 1e-3, "window 1");
    expect_refused(neg, 1, 1e-3, "window 0");
    expect_refused(nan_w, 3, 1e-3, "window 2");
    expect_refused(inf_w, 1, 1e-3, "window 0");
    expect_refused(ok, 1, 0.0, "time step");
    expect_refused(ok, 1, -1e-3, "time step");
    expect_refused(ok, 1, NAN, "time step");
    expect_refused(ok, 1, INFINITY, "time step");
    expect_refused(huge, 2, 50e-6, "window 1 of 20000 s at a step of 5e-05 s");
    /* exactly PROBE_MAX_WINDOWS is fine */
    p = make(ok, PROBE_MAX_WINDOWS, 1e-3);
    assert_int_equal(probe_count(p), PROBE_MAX_WINDOWS);
    probe_free(p);
    probe_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(brute_force_positive_1ms),
        cmocka_unit_test(brute_force_positive_50us),
        cmocka_unit_test(brute_force_signed_50us),
        cmocka_unit_test(square_pulse),
        cmocka_unit_test(window_rounding),
        cmocka_unit_test(window_set_atx),
        cmocka_unit_test(drift_constant),
        cmocka_unit_test(drift_random_spikes),
        cmocka_unit_test(initial_state_and_ramp),
        cmocka_unit_test(reset_forgets),
        cmocka_unit_test(new_rejects_bad_input),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

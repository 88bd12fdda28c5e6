/* test_probe.c — the window probe against a brute-force recomputation.
 *
 * The second method for every figure is the definition itself: the average of
 * the last n samples (0 before the first one), summed afresh at every step, O(n)
 * per step and per window, and its running maximum with the time (steps pushed
 * * dt) when it was first reached. Random signals come from GSL's MT19937 with
 * fixed seeds, so every run sees the same numbers. Also: square pulses against
 * H * min(1, L / n), the rounding of windows to steps, rounding drift over 3e6
 * steps (DESIGN.md 3), reset, and refused input.
 *
 * probe_push_n(), N equal steps at once, is checked against the same steps
 * pushed one by one into a second probe: averages, maxima and times must agree
 * exactly (probe.h promises bit for bit), on random mixes of single pushes and
 * runs of 1..5000 steps, with ties, negative values and windows of one step;
 * against the definition as well; against closed forms over 1e7 steps in runs
 * and for runs of 1e9 steps (which must take no time). The engine's traffic
 * (push_n_engine_like: new levels, long runs, rare spikes) the same way, and
 * at rebuild steps against the definition within the rebuild rule's bound.
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
#include <time.h>

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

/* The average of X[I - N + 1 .. I] (0 before X[0]) from the prefix sums PRE
 * (PRE[i] = X[0] + .. + X[i - 1], in long double). */
static double pre_avg(const long double *pre, size_t i, size_t n)
{
    size_t lo = i + 1 >= n ? i + 1 - n : 0;
    return (double)((pre[i + 1] - pre[lo]) / (long double)n);
}

/* probe_steps_within() against the definition: a random history of runs (some
 * long, some single steps, levels that repeat), then for random X, N and limits
 * near the window's current and future averages, the first step J + 1 at which
 * the brute-force average of the history extended by X exceeds the limit.
 * Limits are drawn where the answer turns, so both branches are hit. */
static void steps_within_definition(void **state)
{
    const double dt = 10e-6;
    const double window_s[] = { 10 * dt, 100 * dt, 1000 * dt, 37 * dt, 1 * dt };
    const size_t nw = sizeof window_s / sizeof window_s[0];
    enum { HIST = 6000, AHEAD = 3000 };
    gsl_rng *r = rng_make(4242);
    size_t checked = 0, crossed = 0, trial;

    (void)state;
    for (trial = 0; trial < 80; trial++) {
        probe *p = make(window_s, nw, dt);
        double *x = calloc(HIST + AHEAD, sizeof *x);
        long double *pre = calloc(HIST + AHEAD + 1, sizeof *pre);
        size_t len = 0, k, q;

        assert_non_null(x);
        assert_non_null(pre);
        /* history: runs of 1..400 steps of a few levels */
        size_t n_hist = 1 + gsl_rng_uniform_int(r, HIST - 1);
        while (len < n_hist) {
            size_t run = 1 + gsl_rng_uniform_int(r, gsl_rng_uniform(r) < 0.3 ? 3 : 400);
            double v = (double)gsl_rng_uniform_int(r, 5) * 250.0;
            if (len + run > n_hist) run = n_hist - len;
            if (run == 1) probe_push(p, v); else probe_push_n(p, v, run);
            for (size_t i = 0; i < run; i++) x[len++] = v;
        }
        for (q = 0; q < 40; q++) {
            double v = (double)gsl_rng_uniform_int(r, 6) * 250.0;
            size_t n = 1 + gsl_rng_uniform_int(r, AHEAD - 1);
            for (size_t i = 0; i < n; i++) x[len + i] = v;
            /* prefix sums: an average is a difference of two of them */
            for (size_t i = 0; i < len + n; i++) pre[i + 1] = pre[i] + (long double)x[i];
            for (k = 0; k < nw; k++) {
                size_t w = (size_t)floor(window_s[k] / dt + 0.5);
                /* the highest average over the N steps ahead, and a limit
                 * around it */
                double hi = 0.0;
                for (size_t i = 1; i <= n; i++) {
                    double a = pre_avg(pre, len - 1 + i, w);
                    if (a > hi) hi = a;
                }
                double lim = hi * (0.7 + 0.6 * gsl_rng_uniform(r));
                size_t want = n;
                for (size_t i = 1; i <= n; i++)
                    if (pre_avg(pre, len - 1 + i, w) > lim * (1 + 1e-12)) {
                        want = i - 1;
                        break;
                    }
                size_t got = probe_steps_within(p, k, v, n, lim);
                /* a limit within rounding of an average may fall either way */
                int tie = 0;
                for (size_t i = 1; i <= n && !tie; i++)
                    tie = fabs(pre_avg(pre, len - 1 + i, w) - lim) <= 1e-9 * (lim + 1);
                if (!tie && got != want)
                    fail_msg("trial %zu query %zu window %zu: x %g n %zu limit %.17g: "
                             "got %zu, want %zu", trial, q, k, v, n, lim, got, want);
                checked++;
                crossed += want < n;
            }
        }
        probe_free(p);
        free(x);
        free(pre);
    }
    gsl_rng_free(r);
    /* both answers were exercised */
    assert_true(crossed > checked / 10);
    assert_true(crossed < checked);
}

/* probe_steps_within() at the edges: a one-step window, N == 0, a window
 * inside one run, a window index out of range, and a limit the window is
 * already above. */
static void steps_within_edges(void **state)
{
    const double dt = 1e-3;
    const double window_s[] = { 1e-3, 10e-3 };
    probe *p = make(window_s, 2, dt);

    (void)state;
    assert_int_equal(probe_steps_within(p, 0, 5.0, 7, 4.0), 0);
    assert_int_equal(probe_steps_within(p, 0, 5.0, 7, 5.0), 7);
    assert_int_equal(probe_steps_within(p, 1, 5.0, 0, 1.0), 0);
    assert_int_equal(probe_steps_within(p, 2, 5.0, 7, 1.0), 0);
    /* from 0: the 10-step average of 5s passes 2.0 at its 5th step */
    assert_int_equal(probe_steps_within(p, 1, 5.0, 100, 2.0), 4);
    probe_push_n(p, 3.0, 50);           /* the window lies in the head run */
    assert_int_equal(probe_steps_within(p, 1, 3.0, 1000, 3.0), 1000);
    assert_int_equal(probe_steps_within(p, 1, 3.0, 1000, 2.9), 0);
    /* 3 -> 4: average 3 + 0.1 j passes 3.55 at j = 6 */
    assert_int_equal(probe_steps_within(p, 1, 4.0, 1000, 3.55), 5);
    /* going down is never above a limit the window is within now */
    assert_int_equal(probe_steps_within(p, 1, 0.0, 1000, 3.0), 1000);
    probe_free(p);
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
/* probe_push_n against single pushes                                        */
/* ------------------------------------------------------------------------- */

/* Every figure of A and B (same windows) equal, exactly; WHERE says when. */
static void expect_same(const probe *a, const probe *b, const char *where, size_t op)
{
    size_t k;

    assert_int_equal(probe_count(a), probe_count(b));
    for (k = 0; k < probe_count(a); k++) {
        if (!(probe_avg(a, k) == probe_avg(b, k) && probe_max(a, k) == probe_max(b, k)
              && probe_max_time(a, k) == probe_max_time(b, k)))
            fail_msg("%s, op %zu, window %zu: push_n avg %.17g max %.17g at %.17g s; "
                     "single pushes avg %.17g max %.17g at %.17g s", where, op, k,
                     probe_avg(a, k), probe_max(a, k), probe_max_time(a, k),
                     probe_avg(b, k), probe_max(b, k), probe_max_time(b, k));
    }
}

/* Window sets (in steps) for the random mixes: the ATX-like spread, one-step
 * windows alone and among others, equal windows, windows much shorter and
 * longer than the runs, the most windows allowed. */
static const size_t eq_sets[][PROBE_MAX_WINDOWS] = {
    { 1, 3, 10, 37 },
    { 1 },
    { 1, 2 },
    { 2 },
    { 5, 100, 1000, 4096 },
    { 7, 1, 7, 250, 1 },
    { 1, 2, 3, 5, 8, 13, 21, 6000 },
};

/* Values with ties: a few dyadic ones (exact sums), a few that binary cannot
 * hold, negative ones, zeros. */
static const double eq_values[] = { 0.0, 1.0, 2.0, -3.5, 7.25, 0.1, 0.3, -0.7, 1e3 / 3.0,
                                    1e9, -1e-3 };

/* A random sample: from eq_values (ties), or uniform in [-1000, 1000]. */
static double eq_value(gsl_rng *r, int kind)
{
    size_t nv = sizeof eq_values / sizeof eq_values[0];

    if (kind == 0 || (kind == 2 && gsl_rng_uniform(r) < 0.5))
        return eq_values[gsl_rng_uniform_int(r, nv)];
    return 2000.0 * (gsl_rng_uniform(r) - 0.5);
}

/* A random run length: mostly short, sometimes up to 5000, now and then 0. */
static size_t eq_len(gsl_rng *r)
{
    double u = gsl_rng_uniform(r);

    if (u < 0.02)
        return 0;
    if (u < 0.6)
        return 1 + gsl_rng_uniform_int(r, 20);
    if (u < 0.9)
        return 1 + gsl_rng_uniform_int(r, 300);
    return 1 + gsl_rng_uniform_int(r, 5000);
}

#define EQ_OPS 1500

/* For each window set and value kind (0 ties only, 1 uniform, 2 both): EQ_OPS
 * random operations on probe A -- a single push, a run pushed with
 * probe_push_n(), the same value again (extending the run across calls), now and
 * then a reset -- and the same steps one by one on probe B. After each, every
 * figure equal. The expanded signal is kept too, and each window's average is
 * checked against the definition, to 1e-9 of the largest |x| of the last 2 n_max
 * steps (plus 1e-9): a 1e9 sample leaves its rounding in the sums until the
 * rebuild that follows its leaving, as in drift_random_spikes. */
static void push_n_equivalence(void **state)
{
    const double dt = 50e-6;
    size_t set, kind, counted = 0;

    (void)state;
    for (set = 0; set < sizeof eq_sets / sizeof eq_sets[0]; set++) {
        double window_s[PROBE_MAX_WINDOWS];
        size_t nw = 0, n_max = 0;

        while (nw < PROBE_MAX_WINDOWS && eq_sets[set][nw] > 0) {
            window_s[nw] = (double)eq_sets[set][nw] * dt;
            if (eq_sets[set][nw] > n_max)
                n_max = eq_sets[set][nw];
            nw++;
        }
        for (kind = 0; kind < 3; kind++) {
            gsl_rng *r = rng_make(1000UL + 10UL * set + kind);
            probe *a = make(window_s, nw, dt), *b = make(window_s, nw, dt);
            size_t n_hist = 2 * n_max;
            double *hist = calloc(n_hist, sizeof *hist);   /* the last n_hist steps */
            size_t op, i, k, pos = 0;
            double x = 0.0, big;

            assert_non_null(hist);
            for (op = 0; op < EQ_OPS; op++) {
                double u = gsl_rng_uniform(r);
                size_t n;

                if (u < 0.005) {
                    probe_reset(a);
                    probe_reset(b);
                    for (i = 0; i < n_hist; i++)
                        hist[i] = 0.0;
                    expect_same(a, b, "after reset", op);
                    continue;
                }
                if (u > 0.25)   /* else: the same value as last time */
                    x = eq_value(r, (int)kind);
                if (u < 0.5) {
                    n = 1;
                    probe_push(a, x);
                } else {
                    n = eq_len(r);
                    probe_push_n(a, x, n);
                }
                for (i = 0; i < n; i++) {
                    probe_push(b, x);
                    hist[pos] = x;
                    pos = pos + 1 == n_hist ? 0 : pos + 1;
                }
                counted += n;
                expect_same(a, b, "random mix", op);
                for (i = 0, big = 0.0; i < n_hist; i++)
                    if (fabs(hist[i]) > big)
                        big = fabs(hist[i]);
                for (k = 0; k < nw; k++) {
                    size_t nk = eq_sets[set][k];
                    double sum = 0.0, got = probe_avg(a, k);

                    for (i = 1; i <= nk; i++)
                        sum += hist[(pos + n_hist - i) % n_hist];
                    if (!(fabs(got - sum / (double)nk) <= 1e-9 * big + 1e-9))
                        fail_msg("set %zu kind %zu op %zu window %zu: got %.17g, "
                                 "definition %.17g", set, kind, op, nk, got,
                                 sum / (double)nk);
                }
            }
            probe_free(a);
            probe_free(b);
            free(hist);
            gsl_rng_free(r);
        }
    }
    assert_true(counted > 1000000);   /* the mixes did push a lot of steps */
}

/* The engine's traffic (issue 14): levels of a few hundred with rare 1e9
 * spikes, nearly every push a new value (a whole run of the history leaving a
 * window in one piece, or the push ending inside the tail run), runs from one
 * step to several windows long, the same value again now and then (the head
 * run extended), a few single pushes; windows of 1, 10, 100, 500 and 833 steps
 * (the circuit's half cycle at 10 us). Probe A takes the runs with
 * probe_push_n(), probe B every step with probe_push(): after each operation
 * every figure equal (probe.h: bit for bit). Half the runs that cross a
 * rebuild step (a multiple of n_max steps) are split there, and at that step
 * every window's average must be the definition (summed afresh in long
 * double) within the bound the rebuild rule keeps (probe.c, "Rounding": 2^-43
 * of the sum, plus the division's rounding): a spike's rounding, about 1e9 *
 * 1.1e-16 in a sum of a few thousand, is 1e-11 and more, so a window whose sum
 * was not rebuilt when it should have been fails. */
static void push_n_engine_like(void **state)
{
    enum { NW = 5, OPS = 4000, N_MAX = 833 };
    static const size_t n_steps[NW] = { 1, 10, 100, 500, N_MAX };
    const double dt = 10e-6;
    double window_s[NW], last[N_MAX];   /* last: the last N_MAX samples */
    size_t k, checks = 0, long_runs = 0;

    (void)state;
    for (k = 0; k < NW; k++)
        window_s[k] = (double)n_steps[k] * dt;
    for (unsigned long seed = 1; seed <= 4; seed++) {
        probe *a = make(window_s, NW, dt), *b = make(window_s, NW, dt);
        gsl_rng *r = rng_make(7000UL + seed);
        uint64_t pushed = 0;
        double x = 0.0;

        memset(last, 0, sizeof last);
        for (int op = 0; op < OPS; op++) {
            double u = gsl_rng_uniform(r);
            size_t len, i;

            if (u > 0.15)   /* else: the same value again */
                x = gsl_rng_uniform(r) < 0.03 ? 1e9 : 300.0 + 300.0 * gsl_rng_uniform(r);
            u = gsl_rng_uniform(r);
            len = u < 0.4 ? 1 + gsl_rng_uniform_int(r, 20)
                : u < 0.8 ? 1 + gsl_rng_uniform_int(r, 900)
                          : 900 + gsl_rng_uniform_int(r, 2100);
            if (len >= N_MAX)
                long_runs++;
            int single = gsl_rng_uniform(r) < 0.1;   /* A too, step by step */
            int split = gsl_rng_uniform(r) < 0.5;    /* at a rebuild step */

            while (len > 0) {
                /* up to the next rebuild step, or the end of the run */
                size_t to_rb = N_MAX - (size_t)(pushed % N_MAX);
                size_t part = split && to_rb < len ? to_rb : len;

                if (single) {
                    for (i = 0; i < part; i++)
                        probe_push(a, x);
                } else {
                    probe_push_n(a, x, part);
                }
                for (i = 0; i < part; i++) {
                    probe_push(b, x);
                    last[(pushed + i) % N_MAX] = x;
                }
                pushed += part;
                len -= part;
                expect_same(a, b, "engine-like", (size_t)op);
                if (pushed % N_MAX != 0)
                    continue;
                for (k = 0; k < NW; k++) {
                    long double sum = 0.0L;
                    double want, got = probe_avg(a, k);

                    for (i = 1; i <= n_steps[k]; i++)
                        sum += last[(pushed - i) % N_MAX];
                    want = (double)(sum / (long double)n_steps[k]);
                    if (!(fabs(got - want) <= 1.2e-13 * fabs(want)))
                        fail_msg("seed %lu op %d, rebuild step %llu, window %zu: got "
                                 "%.17g, definition %.17g (rel %.3g)", seed, op,
                                 (unsigned long long)pushed, n_steps[k], got, want,
                                 fabs(got - want) / fabs(want));
                    checks++;
                }
            }
        }
        probe_free(a);
        probe_free(b);
        gsl_rng_free(r);
    }
    assert_true(checks > 4 * 500 * NW);
    assert_true(long_runs > 4 * 500);
}

/* Plateaus and ties, windows of 3 steps and 1 step at 1 ms. Ten 1s: the 3-step
 * average climbs 1/3, 2/3, 1 and stays, so its maximum is 1 at step 3, not
 * later. Two 2s (steps 11, 12) and five 1s: 4/3, 5/3, 5/3 (2 2 1: a tie, the
 * time stays step 12), 4/3, 1, ...; the 1-step window's maximum is 2 at step 11.
 * Two 2s again reach 5/3 once more: the times do not move. */
static void push_n_plateau_and_ties(void **state)
{
    const double w[] = { 3e-3, 1e-3 };
    probe *p;

    (void)state;
    p = make(w, 2, 1e-3);
    probe_push_n(p, 1.0, 10);
    assert_rel(probe_max(p, 0), 1.0, 1e-15);
    assert_rel(probe_max_time(p, 0), 3e-3, 1e-15);   /* first reached */
    assert_rel(probe_max_time(p, 1), 1e-3, 1e-15);
    probe_push_n(p, 2.0, 2);
    probe_push_n(p, 1.0, 5);
    assert_rel(probe_max(p, 0), 5.0 / 3.0, 1e-15);
    assert_rel(probe_max_time(p, 0), 12e-3, 1e-15);
    assert_rel(probe_max(p, 1), 2.0, 1e-15);
    assert_rel(probe_max_time(p, 1), 11e-3, 1e-15);
    assert_rel(probe_avg(p, 0), 1.0, 1e-15);
    /* equal to the maximum again: a tie keeps the first time */
    probe_push_n(p, 2.0, 2);
    assert_rel(probe_max_time(p, 0), 12e-3, 1e-15);
    assert_rel(probe_max_time(p, 1), 11e-3, 1e-15);
    probe_free(p);
}

/* A ramp finer than the sum can show: a 1000-step window of 1e16 (sum 1e19,
 * whose ulp is 2048) gains 2 a step when 1e16 + 2 comes in, so hundreds of
 * steps round to each sum (the first 512 to 1e19 itself, the rest of the window
 * to 1e19 + 2048) and the step that first reaches the final maximum is found by
 * bisection. It must be the step single pushes find. */
static void push_n_ramp_below_resolution(void **state)
{
    const double w[] = { 1.0, 0.25 };
    const double lo = 1e16, hi = 1e16 + 2.0;
    static const size_t lens[] = { 1, 7, 999, 1000, 1001, 1700 };
    size_t i, j;

    (void)state;
    for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        probe *a = make(w, 2, 1e-3), *b = make(w, 2, 1e-3);

        probe_push_n(a, lo, 5000);
        probe_push_n(a, hi, lens[i]);
        for (j = 0; j < 5000; j++)
            probe_push(b, lo);
        for (j = 0; j < lens[i]; j++)
            probe_push(b, hi);
        expect_same(a, b, "ramp below resolution", lens[i]);
        /* the climb shows after 513 steps: 1e19 + 1026 rounds up */
        if (lens[i] >= 513)
            assert_rel(probe_max_time(a, 0), 5.513, 1e-15);
        else
            assert_rel(probe_max_time(a, 0), 1.0, 1e-15);
        probe_free(a);
        probe_free(b);
    }
}

/* Window of one step: the average is the last sample, the maximum the highest
 * sample, first reached at the first step of its first run. */
static void push_n_one_step_window(void **state)
{
    const double w[] = { 1e-3 };
    probe *p;

    (void)state;
    p = make(w, 1, 1e-3);
    probe_push_n(p, 3.0, 10);
    probe_push_n(p, 5.0, 10);    /* steps 11..20 */
    probe_push_n(p, 5.0, 7);
    probe_push(p, 4.0);
    probe_push_n(p, 5.0, 3);
    probe_push_n(p, -2.0, 4);
    assert_true(probe_avg(p, 0) == -2.0);
    assert_true(probe_max(p, 0) == 5.0);
    assert_rel(probe_max_time(p, 0), 11e-3, 1e-15);
    probe_free(p);
}

/* N == 0 does nothing, whatever the value: before the first sample the figures
 * stay those of an empty probe, later they are unchanged and the next steps
 * behave as if the call had not been made. The first run ramps up from the 0
 * before the first sample, as single pushes do; a first run of 0 has its maximum
 * 0 at the first step. */
static void push_n_zero_and_start(void **state)
{
    const double w[] = { 4e-3, 1e-3 };
    probe *a, *b;
    size_t k;

    (void)state;
    a = make(w, 2, 1e-3);
    b = make(w, 2, 1e-3);
    probe_push_n(a, 5.0, 0);
    for (k = 0; k < 2; k++) {
        assert_true(probe_avg(a, k) == 0.0);
        assert_true(probe_max(a, k) == 0.0);
        assert_true(probe_max_time(a, k) == 0.0);
    }
    /* -4 from the start: the 4-step window's average is -1, -2, -3, -4, its
     * maximum -1 at the first step */
    probe_push_n(a, -4.0, 2);
    probe_push_n(a, 7.0, 0);
    probe_push_n(a, -4.0, 3);
    assert_rel(probe_avg(a, 0), -4.0, 1e-15);
    assert_rel(probe_max(a, 0), -1.0, 1e-15);
    assert_rel(probe_max_time(a, 0), 1e-3, 1e-15);
    probe_push(b, -4.0);
    probe_push(b, -4.0);
    probe_push(b, -4.0);
    probe_push(b, -4.0);
    probe_push(b, -4.0);
    expect_same(a, b, "n == 0", 0);
    /* 0 from the start continues the zeros before it: the maximum is 0, first
     * reached at the first step */
    probe_reset(a);
    probe_push_n(a, 0.0, 5);
    for (k = 0; k < 2; k++) {
        assert_true(probe_max(a, k) == 0.0);
        assert_rel(probe_max_time(a, k), 1e-3, 1e-15);
    }
    /* 8 from the start: 2, 4 */
    probe_reset(a);
    probe_push_n(a, 8.0, 2);
    assert_rel(probe_avg(a, 0), 4.0, 1e-15);
    assert_rel(probe_max_time(a, 0), 2e-3, 1e-15);
    assert_rel(probe_max_time(a, 1), 1e-3, 1e-15);
    probe_free(a);
    probe_free(b);
}

/* ------------------------------------------------------------------------- */
/* probe_push_n over long runs                                               */
/* ------------------------------------------------------------------------- */

#define RUN_STEPS 10000000UL   /* 500 s at 50 us */

/* A run's value and length, for the closed form. */
struct chunk {
    double v;
    size_t n;
};

/* 1e7 steps in runs of 1..5000 steps of values binary cannot hold (and a
 * negative one). After each run every window's average must equal the closed
 * form, the sum over the runs it overlaps of overlap * value, / n, within 1e-14
 * of the largest |x| of the last 2 x 20000 steps: no drift. (That scale, not the
 * window's own: a sum keeps an ulp or two of the largest sum it held until the
 * next rebuild.) At the end, the same steps pushed one by one give the same
 * figures exactly. */
static void push_n_long_run_no_drift(void **state)
{
    static const double w[] = { 100e-6, 1e-3, 10e-3, 100e-3, 1.0 };
    static const size_t n_steps[] = { 2, 20, 200, 2000, 20000 };
    static const double vals[] = { 0.1, 0.7, 1e3 / 3.0, -0.3, 12.345, 1.0 / 7.0 };
    enum { NC = 4096 };   /* enough runs to cover the 20000-step window */
    struct chunk *ch = calloc(NC, sizeof *ch);
    gsl_rng *r = rng_make(4242UL);
    probe *a, *b;
    unsigned long done = 0;
    size_t nc = 0, k, runs = 0, c, left;
    double worst = 0.0, big;

    (void)state;
    assert_non_null(ch);
    a = make(w, 5, 50e-6);
    b = make(w, 5, 50e-6);
    while (done < RUN_STEPS) {
        double v = vals[gsl_rng_uniform_int(r, sizeof vals / sizeof vals[0])];
        size_t n = 1 + gsl_rng_uniform_int(r, 5000), i;

        probe_push_n(a, v, n);
        for (i = 0; i < n; i++)
            probe_push(b, v);
        ch[nc % NC].v = v;
        ch[nc % NC].n = n;
        nc++;
        done += n;
        runs++;
        big = 0.0;
        for (c = nc, left = 40000; left > 0 && c > 0; ) {   /* newest run first */
            const struct chunk *q = &ch[--c % NC];

            if (fabs(q->v) > big)
                big = fabs(q->v);
            left -= q->n < left ? q->n : left;
        }
        for (k = 0; k < 5; k++) {
            long double s = 0.0L;
            double want, e;

            for (c = nc, left = n_steps[k]; left > 0 && c > 0; ) {
                const struct chunk *q = &ch[--c % NC];
                size_t take = q->n < left ? q->n : left;

                s += (long double)take * q->v;
                left -= take;
            }
            want = (double)(s / (long double)n_steps[k]);
            e = fabs(probe_avg(a, k) - want) / big;
            if (e > worst)
                worst = e;
            if (!(e <= 1e-14))
                fail_msg("after %lu steps, window %zu: got %.17g, closed form %.17g",
                         done, n_steps[k], probe_avg(a, k), want);
        }
    }
    expect_same(a, b, "1e7 steps in runs", runs);
    print_message("    %zu runs, %lu steps, worst error %.3g of the largest |x|\n", runs,
                  done, worst);
    probe_free(a);
    probe_free(b);
    gsl_rng_free(r);
    free(ch);
}

/* Runs of 1e9 steps: no time at all (the cost does not grow with N), and the
 * closed form. Windows of 1, 1000 and 1e6 steps at 1 ms. */
static void push_n_huge(void **state)
{
    const double w[] = { 1e-3, 1.0, 1000.0 };
    const size_t big = 1000000000;
    clock_t t0 = clock();
    double secs;
    probe *p;
    int i;

    (void)state;
    p = make(w, 3, 1e-3);
    probe_push_n(p, 2.0, big);
    for (i = 0; i < 3; i++) {
        assert_rel(probe_avg(p, (size_t)i), 2.0, 1e-15);
        assert_rel(probe_max(p, (size_t)i), 2.0, 1e-15);
    }
    /* each window first full of 2s after its own length */
    assert_rel(probe_max_time(p, 0), 1e-3, 1e-15);
    assert_rel(probe_max_time(p, 1), 1.0, 1e-15);
    assert_rel(probe_max_time(p, 2), 1000.0, 1e-15);
    /* 3e5 steps of 5: the 1e6-step window holds 7e5 twos and 3e5 fives */
    probe_push_n(p, 5.0, 300000);
    assert_rel(probe_avg(p, 2), 2.9, 1e-14);
    assert_rel(probe_max(p, 2), 2.9, 1e-14);
    assert_rel(probe_max_time(p, 2), (1e9 + 3e5) * 1e-3, 1e-15);
    assert_rel(probe_max(p, 1), 5.0, 1e-15);
    assert_rel(probe_max_time(p, 1), (1e9 + 1000) * 1e-3, 1e-15);
    assert_rel(probe_max_time(p, 0), (1e9 + 1) * 1e-3, 1e-15);
    /* a thousand more runs of 1e9 steps, alternating -1 and 3: 1e12 steps */
    for (i = 0; i < 1000; i++)
        probe_push_n(p, i % 2 == 0 ? -1.0 : 3.0, big);
    assert_rel(probe_avg(p, 2), 3.0, 1e-15);
    assert_rel(probe_max(p, 2), 3.0, 1e-15);
    assert_rel(probe_max(p, 1), 5.0, 1e-15);
    /* the first time the window is full of 3s: 1e6 steps into the 2nd run */
    assert_rel(probe_max_time(p, 2), (1e9 + 3e5 + 1e9 + 1e6) * 1e-3, 1e-15);
    secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    print_message("    1.0013e12 steps in %.3g s of CPU\n", secs);
    assert_true(secs < 0.5);
    probe_free(p);
}

/* probe_push_ramp() (issue 14, 2: a trace's straight segment): random
 * histories of ramps (rising, falling, long and short, of every length
 * relative to the windows), constant runs and single steps, into three probes:
 * A by probe_push() step by step, B by probe_push_ramp() / probe_push_n() /
 * probe_push() as generated, and a brute-force history. After every operation
 * each window's average agrees with A's and with the brute force, and at the
 * end each maximum with A's (to 1e-9 of the signal's scale) and its time
 * within one step where the maximum is not a plateau tie; steps_within() on B
 * never exceeds the brute-force count (conservative over ramps) and equals it
 * on constant history. Windows of 1, 3, 10, 64 and 700 steps, 200 ms rebuild
 * period at 50 us. */
static void push_ramp_equivalence(void **state)
{
    enum { NW = 5, OPS = 3000 };
    static const size_t n_steps[NW] = { 1, 3, 10, 64, 700 };
    const double dt = 50e-6;
    double window_s[NW];
    (void)state;
    for (size_t k = 0; k < NW; k++) window_s[k] = (double)n_steps[k] * dt;
    for (unsigned long seed = 1; seed <= 6; seed++) {
        probe *a = make(window_s, NW, dt), *b = make(window_s, NW, dt);
        gsl_rng *r = rng_make(seed);
        size_t cap = 2000000, n = 0;
        double *x = malloc(cap * sizeof *x);
        long double *pre = malloc((cap + 1) * sizeof *pre);
        assert_non_null(x);
        assert_non_null(pre);
        pre[0] = 0;
        size_t ramps = 0, ramp_steps = 0, checked = 0;
        for (int op = 0; op < OPS; op++) {
            int kind = (int)gsl_rng_uniform_int(r, 4);
            size_t len = 1 + gsl_rng_uniform_int(r, gsl_rng_uniform(r) < 0.3 ? 5 : 1500);
            double x0 = 200.0 + 800.0 * gsl_rng_uniform(r);
            double dx = kind <= 1 ? (gsl_rng_uniform(r) - 0.5) * 2.0 : 0.0;
            if (x0 + dx * (double)len < 0.0)   /* power: never below 0 (probe.h) */
                dx = -x0 / (double)len;
            if (n + len > cap) break;
            for (size_t j = 0; j < len; j++) {
                x[n + j] = kind == 3 && j > 0 ? x[n] : x0 + dx * (double)j;
                pre[n + j + 1] = pre[n + j] + x[n + j];
                probe_push(a, x[n + j]);
            }
            if (kind <= 1) {
                probe_push_ramp(b, x0, dx, len);
                ramps++;
                ramp_steps += len;
            } else if (kind == 2) {
                probe_push_n(b, x0, len);
            } else {
                for (size_t j = 0; j < len; j++) probe_push(b, x[n]);
            }
            n += len;
            for (size_t k = 0; k < NW; k++) {
                double want = (double)((pre[n] - (n >= n_steps[k] ? pre[n - n_steps[k]] : 0))
                                       / (long double)n_steps[k]);
                if (!(fabs(probe_avg(b, k) - want) <= 1e-9 * 1000.0))
                    fail_msg("seed %lu op %d window %zu: ramp probe %.17g, brute force %.17g",
                             seed, op, n_steps[k], probe_avg(b, k), want);
                if (!(fabs(probe_avg(b, k) - probe_avg(a, k)) <= 1e-9 * 1000.0))
                    fail_msg("seed %lu op %d window %zu: ramp probe %.17g, single pushes %.17g",
                             seed, op, n_steps[k], probe_avg(b, k), probe_avg(a, k));
            }
            /* steps_within: never more than the brute force allows */
            if (op % 7 == 0) {
                size_t k = 1 + gsl_rng_uniform_int(r, NW - 1), nn = 1 + gsl_rng_uniform_int(r, 900);
                double hold = 200.0 + 900.0 * gsl_rng_uniform(r);
                double lim = probe_avg(a, k) + 300.0 * (gsl_rng_uniform(r) - 0.3);
                size_t got = probe_steps_within(b, k, hold, nn, lim), want = 0;
                long double sum = pre[n] - (n >= n_steps[k] ? pre[n - n_steps[k]] : 0);
                for (size_t j = 1; j <= nn; j++) {
                    /* the sample leaving: index n + j - 1 - n_k (none before 0) */
                    long long out = (long long)(n + j) - 1 - (long long)n_steps[k];
                    sum += hold - (out < 0 ? 0.0 : (size_t)out < n ? x[out] : hold);
                    if ((double)(sum / (long double)n_steps[k]) > lim + 1e-9 * 1000.0) break;
                    want = j;
                }
                if (got > want)
                    fail_msg("seed %lu op %d window %zu: steps_within %zu, brute force %zu "
                             "(single pushes %zu; hold %g, limit %g, avg %g)",
                             seed, op, n_steps[k], got, want,
                             probe_steps_within(a, k, hold, nn, lim), hold, lim, probe_avg(a, k));
                checked++;
            }
        }
        for (size_t k = 0; k < NW; k++) {
            if (!(fabs(probe_max(b, k) - probe_max(a, k)) <= 1e-9 * 1000.0))
                fail_msg("seed %lu window %zu: max %.17g, single pushes %.17g", seed,
                         n_steps[k], probe_max(b, k), probe_max(a, k));
            if (!(fabs(probe_max_time(b, k) - probe_max_time(a, k)) <= 1.5 * dt))
                fail_msg("seed %lu window %zu: max at %.9g s, single pushes %.9g s", seed,
                         n_steps[k], probe_max_time(b, k), probe_max_time(a, k));
        }
        print_message("    seed %lu: %zu steps, %zu ramps (%zu steps), %zu look-aheads\n",
                      seed, n, ramps, ramp_steps, checked);
        assert_true(ramps > 1000);
        free(x);
        free(pre);
        gsl_rng_free(r);
        probe_free(a);
        probe_free(b);
    }
}

/* A ramp whose window maximum lies inside a segment: 200 W held for 400 steps,
 * then a ramp from 300 W falling 1.5 W a step for 300 steps into a 100-step
 * window. While the held 200 W leave, each step adds 100 - 1.5 j: the sum rises
 * until the ramp falls below 200 W (j = 66.7) and the highest average,
 * (33 x 200 + sum of 300 - 1.5 i for i = 0..66) / 100, is reached at the 67th
 * ramp step, the vertex of the segment's parabola, not at an end of it. */
static void push_ramp_vertex(void **state)
{
    const double dt = 1e-3, w = 100 * dt;
    (void)state;
    probe *p = make(&w, 1, dt), *q = make(&w, 1, dt);
    probe_push_n(p, 200.0, 400);
    probe_push_ramp(p, 300.0, -1.5, 300);
    for (int i = 0; i < 400; i++) probe_push(q, 200.0);
    for (int i = 0; i < 300; i++) probe_push(q, 300.0 - 1.5 * i);
    double want = 33 * 200.0;
    for (int i = 0; i <= 66; i++) want += 300.0 - 1.5 * i;
    want /= 100.0;
    assert_rel(probe_max(q, 0), want, 1e-12);
    assert_rel(probe_max(p, 0), want, 1e-12);
    assert_rel(probe_max_time(p, 0), (400 + 67) * dt, 1e-12);
    assert_rel(probe_max_time(q, 0), (400 + 67) * dt, 1e-12);
    probe_free(p);
    probe_free(q);
}

/* ------------------------------------------------------------------------- */
/* Refused input                                                             */
/* ------------------------------------------------------------------------- */

/* NULL with a message in ERR (which must mention WANT); a NULL ERR is fine. */
/* probe_block_max(): each block's highest window average is the brute-force
 * maximum over that block's steps; the run's maximum and its time are the same,
 * bit for bit, as those of a probe on which no block was ever closed. Pushes in
 * random runs (probe_push_n), blocks of 50 steps, ending between pushes. */
static void block_maxima(void **state)
{
    enum { STEPS = 20000, BLOCK = 50, NW = 3 };
    static const size_t n_steps[NW] = { 1, 7, 120 };
    double window_s[NW], dt = 50e-6;
    (void)state;
    for (size_t k = 0; k < NW; k++) window_s[k] = (double)n_steps[k] * dt;
    probe *p = make(window_s, NW, dt), *q = make(window_s, NW, dt);
    double *x = malloc(STEPS * sizeof *x);
    assert_non_null(x);
    gsl_rng *r = rng_make(11);
    size_t i = 0;
    while (i < STEPS) {
        /* a run that stops at the next block boundary at the latest */
        size_t room = BLOCK - i % BLOCK;
        size_t len = 1 + gsl_rng_uniform_int(r, room);
        double v = gsl_rng_uniform(r) < 0.05 ? 3000.0 : 100.0 + 900.0 * gsl_rng_uniform(r);
        for (size_t j = 0; j < len; j++) x[i + j] = v;
        probe_push_n(p, v, len);
        probe_push_n(q, v, len);
        i += len;
        if (i % BLOCK != 0) continue;
        for (size_t k = 0; k < NW; k++) {
            double want = -INFINITY;
            for (size_t t = i - BLOCK; t < i; t++) {
                double a = brute_avg(x, t, n_steps[k]);
                if (a > want) want = a;
            }
            double got = probe_block_max(p, k);
            if (!(fabs(got - want) <= 1e-9 * want))
                fail_msg("block ending %zu, window %zu: got %.17g, want %.17g", i,
                         n_steps[k], got, want);
        }
    }
    for (size_t k = 0; k < NW; k++) {
        assert_true(probe_max(p, k) == probe_max(q, k));
        assert_true(probe_max_time(p, k) == probe_max_time(q, k));
    }
    /* a block with no sample since the last one: 0 */
    assert_true(probe_block_max(p, 0) == 0.0);
    probe_free(p);
    probe_free(q);
    gsl_rng_free(r);
    free(x);
}

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

/* The ring of runs starts small and grows when the longest window holds more
 * runs than it has (probe.c ring_advance). Phases of long runs (the head wraps
 * the small ring many times) alternate with phases of one-step runs (the ring
 * must grow, often while wrapped), then long runs again; every step's averages
 * must match the brute-force definition. Window of 500 steps: the ring grows
 * from 64 to 512 entries. */
static void ring_grows_while_wrapped(void **state)
{
    enum { STEPS = 30000, W = 500 };
    const double window_s[2] = { W * 1e-3, 7e-3 };
    double *x = malloc(STEPS * sizeof *x);
    probe *p = make(window_s, 2, 1e-3);
    gsl_rng *r = rng_make(99);
    size_t i = 0;

    (void)state;
    assert_non_null(x);
    while (i < STEPS) {
        int phase = (int)(i / 3000) % 2;   /* 0: long runs, 1: one-step runs */
        size_t len = phase == 0 ? 1 + gsl_rng_uniform_int(r, 200) : 1;
        double v = floor(gsl_rng_uniform(r) * 1000.0) / 8.0;
        if (len > STEPS - i) len = STEPS - i;
        if (len > 1 && gsl_rng_uniform(r) < 0.5) {
            probe_push_n(p, v, len);
            for (size_t j = 0; j < len; j++) x[i + j] = v;
            i += len;
        } else {
            for (size_t j = 0; j < len; j++, i++) {
                x[i] = v;
                probe_push(p, v);
            }
        }
        assert_rel(probe_avg(p, 0), brute_avg(x, i - 1, W), 1e-9);
        assert_rel(probe_avg(p, 1), brute_avg(x, i - 1, 7), 1e-9);
    }
    gsl_rng_free(r);
    probe_free(p);
    free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(brute_force_positive_1ms),
        cmocka_unit_test(block_maxima),
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
        cmocka_unit_test(push_n_equivalence),
        cmocka_unit_test(push_n_engine_like),
        cmocka_unit_test(push_n_plateau_and_ties),
        cmocka_unit_test(push_n_ramp_below_resolution),
        cmocka_unit_test(push_n_one_step_window),
        cmocka_unit_test(push_n_zero_and_start),
        cmocka_unit_test(push_n_long_run_no_drift),
        cmocka_unit_test(push_n_huge),
        cmocka_unit_test(ring_grows_while_wrapped),
        cmocka_unit_test(steps_within_definition),
        cmocka_unit_test(steps_within_edges),
        cmocka_unit_test(push_ramp_equivalence),
        cmocka_unit_test(push_ramp_vertex),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

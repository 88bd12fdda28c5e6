/* test_cpu.c — the CPU package model against its closed forms (facts.md 3).
 *
 * Cold start at full demand: the EWMA avg = PL2 (1 - exp(-t / Tau)) reaches PL1
 * at t = Tau ln(PL2 / (PL2 - PL1)) = Tau ln(r / (r - 1)), r = PL2 / PL1; for
 * PL2 = 1.25 PL1 that is Tau ln 5 (Intel's "PL2 = 1.25 TDP for about 1.5 Tau",
 * facts.md 3, D). The stepped model holds PL2 for whole steps, so the measured
 * hold lies in [t, t + dt); it is checked to 1 % (and to one step). Afterwards
 * the package runs at PL1. AMD (PPT = 1.35 TDP, pl1 = pl2 = PPT, P) holds PPT.
 * PL4 bursts last 10 ms and never exceed PL4 (facts.md 3, P).
 *
 * Strides (cpu_quiet_steps, cpu_advance): for each profile, Intel PL1 < PL2
 * with and without PL4 bursts, AMD PPT, cold and warmed-up starts, edges on
 * and off the step grid, at dt 10 and 50 us, a model stepped with cpu_step()
 * alone and one advanced in strides run side by side: after every stride the
 * summed power and the average agree within 1e-9 relative, and the PL2 -> PL1
 * switch (at Tau ln 5 from a cold start) falls on exactly the same step.
 * Extra cpu_quiet_steps() queries change no bit of a stride run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"

/* ------------------------------------------------------------------------- */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------- */

#define DT      1e-3    /* the main step, s */
#define TAU     56.0    /* Intel's usual Tau, s (facts.md 3, S/W) */
#define PL1     125.0   /* i9-13900K PL1, W (facts.md 3, S) */
#define EPS_W   1e-6    /* W: tolerance for "at a limit" */

/* |got - want| <= rel * |want|. */
static void assert_rel(double got, double want, double rel)
{
    if (!(fabs(got - want) <= rel * fabs(want)))
        fail_msg("got %.17g, want %.17g (rel tol %g, rel err %.3g)", got, want,
                 rel, fabs(got - want) / fabs(want));
}

/* Parameters of a full-demand Intel-style package, no PL4, cold, at DT. */
static struct cpu_params intel(double pl1, double pl2)
{
    struct cpu_params p;

    memset(&p, 0, sizeof p);
    p.pl1_w = pl1;
    p.pl2_w = pl2;
    p.tau_s = TAU;
    p.pl4_w = 0.0;
    p.idle_w = 20.0;
    p.load = CPU_LOAD_FULL;
    p.period_s = 0.0;
    p.duty = 0.0;
    p.start_s = 0.0;
    p.dt_s = DT;
    return p;
}

static cpu *make(const struct cpu_params *p)
{
    char err[256] = "";
    cpu *c = cpu_new(p, err, sizeof err);

    if (c == NULL)
        fail_msg("cpu_new: %s", err);
    return c;
}

/* Steps C from step index 0 while the power stays at PL2 (within EPS_W); returns
 * the time held, s. Fails after LIMIT_S. */
static double pl2_hold(cpu *c, const struct cpu_params *p, double limit_s)
{
    long i, n = (long)(limit_s / p->dt_s);

    for (i = 0; i < n; i++) {
        double w = cpu_step(c, (double)i * p->dt_s);

        if (w > p->pl2_w + EPS_W)
            fail_msg("step %ld: %.9g W above PL2 %.9g W", i, w, p->pl2_w);
        if (w < p->pl2_w - EPS_W)
            return (double)i * p->dt_s;
    }
    fail_msg("PL2 held beyond %g s", limit_s);
    return 0.0;
}

/* ------------------------------------------------------------------------- */
/* PL1 / PL2 / Tau                                                           */
/* ------------------------------------------------------------------------- */

/* The headline: PL2 = 1.25 PL1 held for Tau ln 5 from a cold start. */
static void pl2_hold_tau_ln5(void **state)
{
    struct cpu_params p = intel(PL1, 1.25 * PL1);
    cpu *c = make(&p);
    double want = TAU * log(5.0);
    double got = pl2_hold(c, &p, 10 * TAU);

    (void)state;
    print_message("      PL2 = 1.25 PL1, Tau %g s: held %.4f s, closed form Tau ln 5 = "
                  "%.4f s (rel %.2e)\n", TAU, got, want, (got - want) / want);
    assert_rel(got, want, 0.01);
    assert_true(got >= want && got < want + DT + 1e-9);
    cpu_free(c);
}

/* The same at 50 us: the result does not depend on dt (to one step). */
static void pl2_hold_small_dt(void **state)
{
    struct cpu_params p = intel(PL1, 1.25 * PL1);
    cpu *c;
    double want = TAU * log(5.0), got;

    (void)state;
    p.dt_s = 50e-6;
    c = make(&p);
    got = pl2_hold(c, &p, 2 * TAU);
    assert_true(got >= want - 1e-9 && got < want + p.dt_s + 1e-9);
    cpu_free(c);
}

/* A general ratio r = PL2 / PL1: Tau ln(r / (r - 1)). The 13900K's 125 / 253 W
 * (facts.md 3, S) gives 56 ln(253 / 128) = 38.2 s. */
static void pl2_hold_general_ratio(void **state)
{
    static const double ratios[] = { 1.1, 1.5, 253.0 / 125.0, 3.0 };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof ratios / sizeof ratios[0]; i++) {
        double r = ratios[i];
        struct cpu_params p = intel(PL1, r * PL1);
        cpu *c = make(&p);
        double want = TAU * log(r / (r - 1.0));
        double got = pl2_hold(c, &p, 10 * TAU);

        print_message("      r = %.4f: held %.4f s, closed form %.4f s\n", r, got, want);
        assert_rel(got, want, 0.01);
        cpu_free(c);
    }
}

/* After the PL2 stretch the package runs at PL1: the long-run mean power (from
 * the end of the stretch over 10 Tau) is PL1 within 1 %, the power never goes
 * above PL2, and the average stays at PL1. */
static void settles_at_pl1(void **state)
{
    struct cpu_params p = intel(PL1, 1.25 * PL1);
    cpu *c = make(&p);
    double hold = pl2_hold(c, &p, 10 * TAU);
    long i, i0 = (long)llround(hold / DT), n = i0 + (long)(10 * TAU / DT);
    double sum = 0, max = 0;

    (void)state;
    for (i = i0 + 1; i < n; i++) {
        double w = cpu_step(c, (double)i * DT);

        sum += w;
        if (w > max)
            max = w;
    }
    assert_rel(sum / (double)(n - i0 - 1), PL1, 0.01);
    assert_true(max <= PL1 * (1 + 1e-9));
    assert_rel(cpu_average(c), PL1, 0.01);
    cpu_free(c);
}

/* Idle before start_s warms the average to avg0 = idle (1 - exp(-start / Tau)):
 * the PL2 stretch is then Tau ln((PL2 - avg0) / (PL2 - PL1)). */
static void pl2_hold_after_idle(void **state)
{
    struct cpu_params p = intel(PL1, 1.25 * PL1);
    cpu *c;
    long i, n;
    double avg0, want, got = -1;

    (void)state;
    p.start_s = 30.0;
    c = make(&p);
    avg0 = p.idle_w * (1 - exp(-p.start_s / TAU));
    want = TAU * log((p.pl2_w - avg0) / (p.pl2_w - p.pl1_w));
    n = (long)((p.start_s + 2 * TAU) / DT);
    for (i = 0; i < n; i++) {
        double t = (double)i * DT, w = cpu_step(c, t);

        if (t < p.start_s - DT / 2) {
            assert_rel(w, p.idle_w, 1e-9);
        } else if (w < p.pl2_w - EPS_W) {
            got = t - p.start_s;
            break;
        }
    }
    assert_rel(got, want, 0.01);
    cpu_free(c);
}

/* cpu_reset() brings the cold state back: the same run twice, bit for bit. */
static void reset_repeats(void **state)
{
    struct cpu_params p = intel(PL1, 2.0 * PL1);
    cpu *c = make(&p);
    double a, b;

    (void)state;
    a = pl2_hold(c, &p, 10 * TAU);
    assert_true(cpu_average(c) > 0);
    cpu_reset(c);
    assert_true(cpu_average(c) == 0.0);
    b = pl2_hold(c, &p, 10 * TAU);
    assert_true(a == b);
    cpu_free(c);
}

/* ------------------------------------------------------------------------- */
/* AMD PPT                                                                   */
/* ------------------------------------------------------------------------- */

/* PPT = 1.35 x 170 W = 230 W (facts.md 3, P): pl1 = pl2 = PPT holds PPT from the
 * first step on, for many Tau; the average approaches PPT from below. */
static void amd_holds_ppt(void **state)
{
    double ppt = 1.35 * 170.0;
    struct cpu_params p = intel(ppt, ppt);
    cpu *c = make(&p);
    long i, n = (long)(5 * TAU / DT);

    (void)state;
    assert_rel(ppt, 229.5, 1e-12);
    for (i = 0; i < n; i++) {
        double w = cpu_step(c, (double)i * DT);

        if (fabs(w - ppt) > EPS_W)
            fail_msg("step %ld: %.9g W, want PPT %.9g W", i, w, ppt);
    }
    assert_true(cpu_average(c) <= ppt);
    assert_rel(cpu_average(c), ppt * (1 - exp(-5.0)), 1e-6);
    cpu_free(c);
}

/* ------------------------------------------------------------------------- */
/* PL4                                                                       */
/* ------------------------------------------------------------------------- */

/* Full demand with PL4 293 W over PL2 253 W (13900K, facts.md 3, S): the first
 * 10 ms at PL4, then PL2; never above PL4. Counted at 1 ms (10 steps) and by
 * energy at dt = 4 ms (2.5 steps) and 50 us (200 steps). */
static void pl4_burst_10ms(void **state)
{
    static const double dts[] = { 1e-3, 4e-3, 50e-6, 3e-3 };
    size_t k;

    (void)state;
    for (k = 0; k < sizeof dts / sizeof dts[0]; k++) {
        struct cpu_params p = intel(125.0, 253.0);
        cpu *c;
        long i, n, above = 0;
        double excess = 0, max = 0;

        p.pl4_w = 293.0;
        p.dt_s = dts[k];
        c = make(&p);
        n = (long)(1.0 / p.dt_s);
        for (i = 0; i < n; i++) {
            double w = cpu_step(c, (double)i * p.dt_s);

            if (w > max)
                max = w;
            if (w > p.pl2_w + 0.5 * (p.pl4_w - p.pl2_w))
                above++;
            if (i * p.dt_s >= 0.011 && fabs(w - p.pl2_w) > EPS_W)
                fail_msg("dt %g, step %ld: %.9g W, want PL2", p.dt_s, i, w);
            excess += (w - p.pl2_w) * p.dt_s;
        }
        assert_true(max <= p.pl4_w);
        assert_rel(max, p.pl4_w, 1e-9);
        /* burst length by energy: the excess over PL2 divided by PL4 - PL2 */
        assert_rel(excess / (p.pl4_w - p.pl2_w), 0.010, 1e-6);
        if (k == 0)
            assert_int_equal(above, 10);
        cpu_free(c);
    }
}

/* No PL4 (0): the package starts at PL2, never above. */
static void pl4_none(void **state)
{
    struct cpu_params p = intel(125.0, 253.0);
    cpu *c = make(&p);

    (void)state;
    assert_rel(cpu_step(c, 0.0), 253.0, 1e-12);
    cpu_free(c);
}

/* PL4 above PL2 even once the average is above PL1: a burst depends on the
 * demand edge, not the average. Bursty, 1 s period, 60 % duty, PL1 limited. */
static void pl4_each_burst(void **state)
{
    struct cpu_params p = intel(125.0, 253.0);
    cpu *c;
    long i, n, at_pl1 = 0;
    double t;

    (void)state;
    p.pl4_w = 380.0;
    p.load = CPU_LOAD_BURSTY;
    p.period_s = 1.0;
    p.duty = 0.6;
    c = make(&p);
    n = (long)(300.0 / DT);
    for (i = 0; i < n; i++) {
        double phase, w;

        t = (double)i * DT;
        phase = t - floor(t + 1e-9);
        w = cpu_step(c, t);
        assert_true(w <= p.pl4_w);
        if (phase < 0.0095)
            assert_rel(w, p.pl4_w, 1e-6);
        else if (phase > 0.0105 && phase < 0.5995) {
            assert_true(w <= p.pl2_w + EPS_W && w >= p.pl1_w - EPS_W);
            at_pl1 += fabs(w - p.pl1_w) <= EPS_W;
        }
        else if (phase > 0.6005)
            assert_rel(w, p.idle_w, 1e-6);
    }
    /* 0.6 x 253 + 0.4 x 20 = 159.8 W > 125 W: PL1 governs part of each burst */
    assert_true(at_pl1 > n / 10);
    cpu_free(c);
}

/* ------------------------------------------------------------------------- */
/* Profiles                                                                  */
/* ------------------------------------------------------------------------- */

/* Bursty, AMD-style (pl1 = pl2 = 230 W), 20 W idle, period 2 s, duty 0.3: on
 * for the first 0.6 s of each period; mean over whole periods 0.3 x 230 + 0.7 x
 * 20 = 83 W. With PL4 the mean gains 10 ms x (PL4 - 230 W) per period. */
static void bursty_duty(void **state)
{
    int with_pl4;

    (void)state;
    for (with_pl4 = 0; with_pl4 <= 1; with_pl4++) {
        struct cpu_params p = intel(230.0, 230.0);
        cpu *c;
        long i, n, on = 0;
        double sum = 0, want;

        p.load = CPU_LOAD_BURSTY;
        p.period_s = 2.0;
        p.duty = 0.3;
        p.pl4_w = with_pl4 ? 280.0 : 0.0;
        c = make(&p);
        n = (long)(20.0 / DT);     /* 10 whole periods */
        for (i = 0; i < n; i++) {
            double w = cpu_step(c, (double)i * DT);

            sum += w * DT;
            if (w > p.idle_w + 1.0)
                on++;
            assert_true(w <= (with_pl4 ? p.pl4_w : p.pl2_w) + EPS_W);
        }
        want = 0.3 * 230.0 + 0.7 * 20.0 + (with_pl4 ? 0.010 * (280.0 - 230.0) / 2.0 : 0);
        assert_rel(sum / 20.0, want, 1e-6);
        assert_int_equal(on, 10 * 600);
        cpu_free(c);
    }
}

/* A bursty profile whose average stays below PL1 keeps PL2 on every burst:
 * 0.25 x 253 + 0.75 x 20 = 78 W < 125 W. */
static void bursty_below_pl1_keeps_pl2(void **state)
{
    struct cpu_params p = intel(125.0, 253.0);
    cpu *c;
    long i, n;

    (void)state;
    p.load = CPU_LOAD_BURSTY;
    p.period_s = 4.0;
    p.duty = 0.25;
    c = make(&p);
    n = (long)(600.0 / DT);
    for (i = 0; i < n; i++) {
        double t = (double)i * DT, w = cpu_step(c, t);
        double phase = fmod(t + 1e-9, 4.0);

        if (phase < 0.999)
            assert_rel(w, 253.0, 1e-6);
        else if (phase > 1.001)
            assert_rel(w, 20.0, 1e-6);
    }
    assert_true(cpu_average(c) < 125.0);
    cpu_free(c);
}

/* Duty 1 is full demand after the start (with one PL4 burst per period). */
static void bursty_duty_one(void **state)
{
    struct cpu_params p = intel(230.0, 230.0);
    cpu *c;
    long i;

    (void)state;
    p.load = CPU_LOAD_BURSTY;
    p.period_s = 0.5;
    p.duty = 1.0;
    c = make(&p);
    for (i = 0; i < 5000; i++)
        assert_rel(cpu_step(c, (double)i * DT), 230.0, 1e-9);
    cpu_free(c);
}

/* Idle: idle power throughout; the average approaches it. Full demand before
 * start_s is idle too. */
static void idle_profile(void **state)
{
    struct cpu_params p = intel(125.0, 253.0);
    cpu *c;
    long i, n = (long)(5 * TAU / DT);

    (void)state;
    p.load = CPU_LOAD_IDLE;
    p.idle_w = 35.0;
    p.pl4_w = 293.0;
    p.start_s = 0.0;
    c = make(&p);
    for (i = 0; i < n; i++)
        assert_rel(cpu_step(c, (double)i * DT), 35.0, 1e-12);
    assert_rel(cpu_average(c), 35.0 * (1 - exp(-5.0)), 1e-6);
    cpu_free(c);

    p.load = CPU_LOAD_FULL;
    p.start_s = 1.0;
    c = make(&p);
    assert_rel(cpu_step(c, 0.0), 35.0, 1e-12);
    assert_rel(cpu_step(c, 0.998), 35.0, 1e-12);
    /* the step [0.9995, 1.0005) is half idle, half PL4 burst */
    assert_rel(cpu_step(c, 0.9995), 0.5 * 35.0 + 0.5 * 293.0, 1e-6);
    cpu_free(c);
}

/* Zero idle power is allowed (a package that is off). */
static void idle_zero(void **state)
{
    struct cpu_params p = intel(125.0, 253.0);
    cpu *c;

    (void)state;
    p.load = CPU_LOAD_IDLE;
    p.idle_w = 0.0;
    c = make(&p);
    assert_true(cpu_step(c, 0.0) == 0.0);
    assert_true(cpu_average(c) == 0.0);
    cpu_free(c);
}

/* ------------------------------------------------------------------------- */
/* Strides                                                                   */
/* ------------------------------------------------------------------------- */

#define EQ_REL  1e-9     /* strides against steps: relative tolerance */

/* What a comparison saw. */
struct stride_stats {
    size_t strides;        /* cpu_advance() calls */
    size_t steps;          /* steps advanced */
    long switch_a;         /* step where the stepped power first fell from PL2 to
                            * PL1 (-1: never, or PL1 = PL2) */
    long switch_b;         /* ... the strided one */
    long count_a, count_b; /* PL2 -> PL1 switches, stepped and strided */
    double where_a, where_b;   /* the sums of their steps */
    double worst_rel;      /* the largest relative difference seen */
};

/* |got - want| <= EQ_REL * max(|want|, scale), else fail naming WHAT and STEP;
 * keeps the largest relative difference in *WORST. */
static void check_near(double got, double want, double scale, const char *what,
                       size_t step, double *worst)
{
    double ref = fabs(want) > scale ? fabs(want) : scale, rel = fabs(got - want) / ref;

    if (!(rel <= EQ_REL))
        fail_msg("step %zu, %s: strided %.17g, stepped %.17g (rel err %.3g)", step,
                 what, got, want, rel);
    if (rel > *worst)
        *worst = rel;
}

/* A fixed-seed LCG (Knuth's MMIX constants): 1 + a draw below HI. */
static size_t draw_cap(uint64_t *x, size_t hi)
{
    *x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
    return 1 + (size_t)((*x >> 33) % hi);
}

/* Runs P for T_S twice: model A by cpu_step() alone, model B in strides of
 * cpu_quiet_steps(B, t, cap), cap = N_MAX or (RANDOM_CAP) a draw in 1..N_MAX;
 * after each stride the sums and the averages agree. Records where each first
 * drops from PL2 to PL1 (a stride's power is constant: sum / n). */
static void stride_compare(const struct cpu_params *p, double t_s, size_t n_max,
                           int random_cap, struct stride_stats *st)
{
    cpu *a = make(p), *b = make(p);
    size_t s = 0, steps = (size_t)floor(t_s / p->dt_s + 0.5);
    uint64_t x = 777;
    double last_a = 0.0, last_b = 0.0;
    int watch = p->pl2_w > p->pl1_w + EPS_W;    /* a switch to look for */

    memset(st, 0, sizeof *st);
    st->switch_a = st->switch_b = -1;
    while (s < steps) {
        size_t cap = random_cap ? draw_cap(&x, n_max) : n_max, n, j;
        double sum_a = 0.0, sum_b, w_b;

        if (cap > steps - s)
            cap = steps - s;
        n = cpu_quiet_steps(b, (double)s * p->dt_s, cap);
        if (n < 1 || n > cap)
            fail_msg("step %zu: cpu_quiet_steps gave %zu (cap %zu)", s, n, cap);
        sum_b = cpu_advance(b, (double)s * p->dt_s, n);
        w_b = sum_b / (double)n;
        if (watch && fabs(last_b - p->pl2_w) <= EPS_W && fabs(w_b - p->pl1_w) <= EPS_W) {
            if (st->switch_b < 0)
                st->switch_b = (long)s;
            st->count_b++;
            st->where_b += (double)s;
        }
        last_b = w_b;
        for (j = 0; j < n; j++) {
            double w = cpu_step(a, (double)(s + j) * p->dt_s);

            if (watch && fabs(last_a - p->pl2_w) <= EPS_W && fabs(w - p->pl1_w) <= EPS_W) {
                if (st->switch_a < 0)
                    st->switch_a = (long)(s + j);
                st->count_a++;
                st->where_a += (double)(s + j);
            }
            last_a = w;
            sum_a += w;
        }
        check_near(sum_b, sum_a, p->pl1_w, "stride sum", s, &st->worst_rel);
        check_near(cpu_average(b), cpu_average(a), p->pl1_w, "average", s,
                   &st->worst_rel);
        st->strides++;
        st->steps += n;
        s += n;
    }
    cpu_free(a);
    cpu_free(b);
}

/* The comparison cases: changes to intel(). */
struct stride_case {
    const char *name;
    double pl1_w, pl2_w, pl4_w, tau_s;
    enum cpu_profile load;
    double period_s, duty, start_s;
    double t_s;            /* simulated time, s */
    int switches;          /* 1: the PL2 -> PL1 switch must occur */
};

static const struct stride_case stride_cases[] = {
    { "Intel full, PL2 1.25 PL1, Tau 8 s: switch at Tau ln 5", 125.0, 156.25, 0.0,
      8.0, CPU_LOAD_FULL, 0.0, 0.0, 0.0, 20.0, 1 },
    { "Intel 13900K full, PL4 293 W, Tau 56 s, 60 s", 125.0, 253.0, 293.0, 56.0,
      CPU_LOAD_FULL, 0.0, 0.0, 0.0, 60.0, 1 },
    { "Intel full after 3.3 s idle, Tau 5 s", 125.0, 156.25, 0.0, 5.0, CPU_LOAD_FULL,
      0.0, 0.0, 3.3, 20.0, 1 },
    { "Intel bursty 0.2 s x 60 %, PL4 380 W, Tau 2 s, start 0.37 s", 125.0, 253.0,
      380.0, 2.0, CPU_LOAD_BURSTY, 0.2, 0.6, 0.37, 20.0, 1 },
    { "Intel bursty 33.3 ms x 41 %, PL4 300 W, Tau 1 s (edges off the grid)", 125.0,
      253.0, 300.0, 1.0, CPU_LOAD_BURSTY, 0.0333, 0.41, 0.0, 20.0, 1 },
    { "Intel bursty, duty 1, 0.5 s, PL4 293 W, Tau 3 s", 125.0, 253.0, 293.0, 3.0,
      CPU_LOAD_BURSTY, 0.5, 1.0, 0.0, 20.0, 1 },
    { "AMD PPT full, start 1.1 s", 229.5, 229.5, 0.0, 56.0, CPU_LOAD_FULL, 0.0, 0.0,
      1.1, 20.0, 0 },
    { "AMD PPT bursty 50 ms x 30 %", 229.5, 229.5, 0.0, 56.0, CPU_LOAD_BURSTY, 0.05,
      0.3, 0.0, 20.0, 0 },
    { "idle, PL4 293 W", 125.0, 253.0, 293.0, 56.0, CPU_LOAD_IDLE, 0.0, 0.0, 0.0,
      20.0, 0 },
};

/* Case SC's CPU at step DT_S. */
static struct cpu_params case_params(const struct stride_case *sc, double dt_s)
{
    struct cpu_params p = intel(sc->pl1_w, sc->pl2_w);
    p.pl4_w = sc->pl4_w;
    p.tau_s = sc->tau_s;
    p.load = sc->load;
    p.period_s = sc->period_s;
    p.duty = sc->duty;
    p.start_s = sc->start_s;
    p.dt_s = dt_s;
    return p;
}

/* Every case at 10 and 50 us, with a cap of 4096 steps and with random caps:
 * strides agree with steps, and the PL2 -> PL1 switch is on the same step. */
static void stride_equivalence(void **state)
{
    static const double dts[] = { 10e-6, 50e-6 };
    size_t i, d, r;

    (void)state;
    for (i = 0; i < sizeof stride_cases / sizeof stride_cases[0]; i++)
        for (d = 0; d < 2; d++)
            for (r = 0; r < 2; r++) {
                const struct stride_case *sc = &stride_cases[i];
                struct cpu_params p = case_params(sc, dts[d]);
                struct stride_stats st;

                stride_compare(&p, sc->t_s, r ? 5000 : 4096, (int)r, &st);
                print_message("      %-62s dt %2.0f us %s: %6zu strides of %5.0f "
                              "steps, rel err <= %.1e, %ld PL2 -> PL1, first at "
                              "step %ld\n", sc->name, dts[d] * 1e6,
                              r ? "random cap" : "cap 4096  ", st.strides,
                              (double)st.steps / (double)st.strides, st.worst_rel,
                              st.count_b, st.switch_b);
                if (st.switch_a != st.switch_b || st.count_a != st.count_b
                    || st.where_a != st.where_b)
                    fail_msg("%s: %ld switches to PL1 stepped (first at step %ld), %ld "
                             "strided (first at %ld), or at other steps", sc->name,
                             st.count_a, st.switch_a, st.count_b, st.switch_b);
                if (sc->switches && st.switch_a < 0)
                    fail_msg("%s: no PL2 -> PL1 switch", sc->name);
                assert_true(st.steps > 10 * st.strides);
            }
}

/* cpu_quiet_steps() is a query (its power memo, cpu.c): a model B asked more
 * than model A before each stride (a step up to 5000 ahead, a smaller cap;
 * one stride in four only the step ahead, then A's length) strides exactly as
 * A: the same lengths, the same bits of each sum and average, for every
 * stride case at 10 us. A memo that held across a change of the average (a
 * step ahead asked before the model gets there, at another average) breaks
 * the equality; so does one kept from a cold start for a late step. */
static void stride_queries(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof stride_cases / sizeof stride_cases[0]; i++) {
        const struct stride_case *sc = &stride_cases[i];
        struct cpu_params p = case_params(sc, 10e-6);
        cpu *a, *b;
        size_t s = 0, steps, strides = 0;
        uint64_t x = 4242 + i;

        steps = (size_t)floor(sc->t_s / p.dt_s + 0.5);
        a = make(&p);
        b = make(&p);
        while (s < steps) {
            const double t = (double)s * p.dt_s;
            size_t cap = draw_cap(&x, 4096), na, nb, small;
            double sa, sb;

            if (cap > steps - s)
                cap = steps - s;
            (void)cpu_quiet_steps(b, (double)(s + draw_cap(&x, 5000)) * p.dt_s, cap);
            na = cpu_quiet_steps(a, t, cap);
            nb = na;
            if (draw_cap(&x, 4) > 1) {
                small = draw_cap(&x, cap);
                if (cpu_quiet_steps(b, t, small) > small)
                    fail_msg("step %zu: more than the cap %zu", s, small);
                nb = cpu_quiet_steps(b, t, cap);
            }
            if (na != nb)
                fail_msg("%s, step %zu: strides of %zu and %zu steps", sc->name, s,
                         na, nb);
            sa = cpu_advance(a, t, na);
            sb = cpu_advance(b, t, nb);
            if (!(sa == sb && cpu_average(a) == cpu_average(b)))
                fail_msg("%s, step %zu: sums %.17g and %.17g", sc->name, s, sa, sb);
            s += na;
            strides++;
        }
        assert_true(steps > 10 * strides);   /* strides did happen */
        /* asked at a late step S from a cold start, then stepped there and
         * advanced from S without a new question: as a fresh model */
        cpu_reset(a);
        cpu_reset(b);
        s = steps - 100;
        (void)cpu_quiet_steps(b, (double)s * p.dt_s, 64);
        for (strides = 0; strides < s; strides++) {
            (void)cpu_step(a, (double)strides * p.dt_s);
            (void)cpu_step(b, (double)strides * p.dt_s);
        }
        {
            const size_t n = cpu_quiet_steps(a, (double)s * p.dt_s, 64);
            const double sa = cpu_advance(a, (double)s * p.dt_s, n);

            if (!(cpu_advance(b, (double)s * p.dt_s, n) == sa))
                fail_msg("%s: a stride from step %zu differs after an early question",
                         sc->name, s);
        }
        cpu_free(a);
        cpu_free(b);
    }
}

/* The headline switch through strides: PL2 = 1.25 PL1, Tau 56 s, cold, at
 * 50 us: PL1 from the step that contains Tau ln 5, exactly as stepped. */
static void stride_switch_tau_ln5(void **state)
{
    struct cpu_params p = intel(PL1, 1.25 * PL1);
    struct stride_stats st;
    long want;

    (void)state;
    p.dt_s = 50e-6;
    stride_compare(&p, 100.0, (size_t)1 << 20, 0, &st);
    want = (long)ceil(TAU * log(5.0) / p.dt_s);   /* the first step after the crossing */
    print_message("      Tau ln 5 = %.6f s: PL1 from step %ld (%.6f s) stepped and "
                  "strided, %zu strides\n", TAU * log(5.0), st.switch_b,
                  (double)st.switch_b * p.dt_s, st.strides);
    assert_true(st.switch_a == st.switch_b);
    assert_true(labs(st.switch_b - want) <= 1);
    assert_true(st.strides < 10);
}

/* A cap of 1, a time off the step grid: 1. N = 1 is cpu_step() to the bit. */
static void stride_edges(void **state)
{
    struct cpu_params p = intel(125.0, 253.0);
    cpu *a, *b;
    long i;

    (void)state;
    p.load = CPU_LOAD_BURSTY;
    p.period_s = 0.1;
    p.duty = 0.5;
    p.pl4_w = 293.0;
    a = make(&p);
    b = make(&p);
    assert_int_equal(cpu_quiet_steps(b, 0.0, 1), 1);
    assert_int_equal(cpu_quiet_steps(b, 0.5 * DT, 4096), 1);
    for (i = 0; i < 20000; i++) {
        double t = (double)i * DT;

        assert_true(cpu_advance(b, t, 1) == cpu_step(a, t));
        assert_true(cpu_average(b) == cpu_average(a));
    }
    cpu_free(a);
    cpu_free(b);
}

static void profile_names(void **state)
{
    (void)state;
    assert_string_equal(cpu_profile_name(CPU_LOAD_FULL), "full");
    assert_string_equal(cpu_profile_name(CPU_LOAD_IDLE), "idle");
    assert_string_equal(cpu_profile_name(CPU_LOAD_BURSTY), "bursty");
    assert_null(cpu_profile_name(CPU_LOAD_COUNT));
    assert_null(cpu_profile_name((enum cpu_profile)-1));
    assert_int_equal(cpu_profile_find("full"), CPU_LOAD_FULL);
    assert_int_equal(cpu_profile_find("idle"), CPU_LOAD_IDLE);
    assert_int_equal(cpu_profile_find("bursty"), CPU_LOAD_BURSTY);
    assert_int_equal(cpu_profile_find("Full"), -1);
    assert_int_equal(cpu_profile_find(""), -1);
    assert_int_equal(cpu_profile_find(NULL), -1);
}

/* ------------------------------------------------------------------------- */
/* Bad parameters                                                            */
/* ------------------------------------------------------------------------- */

/* One rejected parameter set and the words its message must contain. */
struct bad_case {
    const char *field;   /* which field is changed */
    double value;        /* to this */
    const char *needle;  /* in the message */
};

static void set_field(struct cpu_params *p, const char *field, double v)
{
    if (strcmp(field, "pl1") == 0) p->pl1_w = v;
    else if (strcmp(field, "pl2") == 0) p->pl2_w = v;
    else if (strcmp(field, "tau") == 0) p->tau_s = v;
    else if (strcmp(field, "pl4") == 0) p->pl4_w = v;
    else if (strcmp(field, "idle") == 0) p->idle_w = v;
    else if (strcmp(field, "load") == 0) p->load = (enum cpu_profile)(int)v;
    else if (strcmp(field, "period") == 0) p->period_s = v;
    else if (strcmp(field, "duty") == 0) p->duty = v;
    else if (strcmp(field, "start") == 0) p->start_s = v;
    else if (strcmp(field, "dt") == 0) p->dt_s = v;
    else fail_msg("unknown field %s", field);
}

static void bad_params(void **state)
{
    const struct bad_case cases[] = {
        { "pl1", 0.0, "pl1" },         { "pl1", -5.0, "pl1" },
        { "pl1", NAN, "pl1" },         { "pl1", INFINITY, "pl1" },
        { "pl2", 100.0, "pl2" },       { "pl2", NAN, "pl2" },
        { "tau", 0.0, "tau" },         { "tau", -1.0, "tau" },
        { "tau", NAN, "tau" },         { "pl4", 200.0, "pl4" },
        { "pl4", -1.0, "pl4" },        { "pl4", INFINITY, "pl4" },
        { "idle", -1.0, "idle" },      { "idle", 126.0, "idle" },
        { "idle", NAN, "idle" },       { "load", 3.0, "load" },
        { "load", -1.0, "load" },      { "period", 0.0, "period" },
        { "period", NAN, "period" },   { "duty", 0.0, "duty" },
        { "duty", 1.5, "duty" },       { "duty", NAN, "duty" },
        { "start", -1.0, "start" },    { "start", INFINITY, "start" },
        { "dt", 0.0, "time step" },    { "dt", NAN, "time step" },
    };
    size_t i;
    char err[256];

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cpu_params p = intel(125.0, 253.0);

        p.load = CPU_LOAD_BURSTY;
        p.period_s = 1.0;
        p.duty = 0.5;
        set_field(&p, cases[i].field, cases[i].value);
        strcpy(err, "");
        assert_null(cpu_new(&p, err, sizeof err));
        if (strstr(err, cases[i].needle) == NULL || strncmp(err, "cpu: ", 5) != 0)
            fail_msg("case %zu (%s = %g): message '%s' lacks '%s'", i, cases[i].field,
                     cases[i].value, err, cases[i].needle);
        /* a NULL or tiny buffer is fine */
        assert_null(cpu_new(&p, NULL, 0));
        assert_null(cpu_new(&p, err, 1));
        assert_string_equal(err, "");
    }
    assert_null(cpu_new(NULL, err, sizeof err));
    assert_string_equal(err, "cpu: no parameters");
    cpu_free(NULL);
}

/* period and duty are not checked for full and idle demand (they are unused). */
static void unused_fields_ignored(void **state)
{
    struct cpu_params p = intel(125.0, 253.0);
    cpu *c;

    (void)state;
    p.period_s = -1.0;
    p.duty = 7.0;
    c = make(&p);
    cpu_free(c);
    p.load = CPU_LOAD_IDLE;
    c = make(&p);
    cpu_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pl2_hold_tau_ln5),
        cmocka_unit_test(pl2_hold_small_dt),
        cmocka_unit_test(pl2_hold_general_ratio),
        cmocka_unit_test(settles_at_pl1),
        cmocka_unit_test(pl2_hold_after_idle),
        cmocka_unit_test(reset_repeats),
        cmocka_unit_test(amd_holds_ppt),
        cmocka_unit_test(pl4_burst_10ms),
        cmocka_unit_test(pl4_none),
        cmocka_unit_test(pl4_each_burst),
        cmocka_unit_test(bursty_duty),
        cmocka_unit_test(bursty_below_pl1_keeps_pl2),
        cmocka_unit_test(bursty_duty_one),
        cmocka_unit_test(idle_profile),
        cmocka_unit_test(idle_zero),
        cmocka_unit_test(profile_names),
        cmocka_unit_test(bad_params),
        cmocka_unit_test(unused_fields_ignored),
        cmocka_unit_test(stride_equivalence),
        cmocka_unit_test(stride_switch_tau_ln5),
        cmocka_unit_test(stride_edges),
        cmocka_unit_test(stride_queries),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

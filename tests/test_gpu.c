/* test_gpu.c — the GPU load model (gpu.h): transient calibration, power limit,
 * workloads, synchronisation, randomness.
 *
 * Calibration: a single RTX 5090 (575 W rated and limit) at full constant load
 * with typical transients, stepped at 50 us for 60 s, through a probe (probe.h)
 * with windows 100 us, 1 ms, 5 ms, 10 ms, 20 ms and 1 s. Its window maxima must
 * reproduce Igor's Lab's spike bins (facts.md 3, S: 901.1 / 823.6 / 738.2 /
 * 627.5 W for < 1 / 1-5 / 5-10 / 10-20 ms) within 10 %, read as about 900 W over
 * 100 us, 820 W over 1 ms, 740 W over 5 ms and 630 W over 10 and 20 ms, while
 * the highest 1 s average stays within 2 % of the limit (the card holds its ~1 s
 * average, facts.md 3). The maxima are printed so they can be quoted. With
 * worst transients (u = 1) the maxima must stay under the hand bounds of the
 * single classes (gpu.c, "Spike classes"), whatever the seed.
 *
 * With transients off and the demand below the limit the throttle stays at 1,
 * so powers are exact and checked with ==: constant, idle, ramp, training
 * phases. Statistical checks (inference duty) use a fixed seed and a tolerance
 * of several standard deviations.
 *
 * Strides (gpu_quiet_steps, gpu_advance): for every workload, transients off /
 * typical / worst, limits from 0.5 to 1.4 x rated (throttle between its clamps,
 * at 1 and at 0.2), start and ramp, at dt 10 and 50 us, a model stepped with
 * gpu_step() alone and one advanced in strides run side by side for 20 s:
 * after every stride the summed power, each card's power, 1 s average and
 * throttle agree within 1e-9 relative, and the per-step model's power makes no
 * jump inside a stride (the events fall on the same steps). The seed workload
 * (two RTX 5090 at 575 W training in lockstep, dt 10 us) prints its mean
 * stride and the cost of a gpu_quiet_steps() + gpu_advance() pair. Extra
 * gpu_quiet_steps() queries (another cap, a step ahead) change no bit of a
 * stride run (its caches answer as a fresh computation would).
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

#include "gpu.h"
#include "probe.h"

/* ------------------------------------------------------------------------- */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------- */

#define DT      50e-6    /* the engine's default step, s */
#define DT_MS   1e-3     /* a coarser step for long runs, s */

/* |got - want| <= rel * |want|. */
static void assert_rel(double got, double want, double rel)
{
    if (!(fabs(got - want) <= rel * fabs(want)))
        fail_msg("got %.17g, want %.17g (rel tol %g, rel err %.3g)", got, want,
                 rel, fabs(got - want) / fabs(want));
}

/* An RTX 5090 at its rating, constant full load from t = 0, one card. */
static struct gpu_params rtx5090(void)
{
    struct gpu_params p = {
        .rated_w = 575.0, .limit_w = 575.0, .idle_w = 40.0, .count = 1,
        .workload = GPU_WL_CONSTANT, .fraction = 1.0,
        .period_s = 1.0, .duty = 0.7, .comm_w = 150.0, .sync = GPU_SYNC_LOCKSTEP,
        .rate_hz = 2.0, .burst_s = 0.1,
        .start_s = 0.0, .ramp_s = 0.0,
        .transients = GPU_TR_TYPICAL, .seed = 42, .dt_s = DT,
    };

    return p;
}

static gpu *make(const struct gpu_params *p)
{
    char err[200] = "";
    gpu *g = gpu_new(p, err, sizeof err);

    if (g == NULL)
        fail_msg("gpu_new: %s", err);
    return g;
}

/* Step number N's start time. */
static double at(size_t n, double dt)
{
    return (double)n * dt;
}

/* Steps G from t = 0 until just before T_S; returns the number of steps run. */
static size_t run_to(gpu *g, double t_s, double dt)
{
    size_t n, steps = (size_t)floor(t_s / dt + 0.5);

    for (n = 0; n < steps; n++)
        gpu_step(g, at(n, dt));
    return steps;
}

/* ------------------------------------------------------------------------- */
/* Calibration and power limit                                               */
/* ------------------------------------------------------------------------- */

static const double windows[] = { 100e-6, 1e-3, 5e-3, 10e-3, 20e-3, 1.0 };
#define NWIN (sizeof windows / sizeof windows[0])

/* Runs P for T_S seconds through a probe of the windows above; fills MAX[] and
 * the highest total power. */
static void run_probe(const struct gpu_params *p, double t_s, double *max, double *peak)
{
    char err[200] = "";
    probe *pr = probe_new(windows, NWIN, p->dt_s, err, sizeof err);
    gpu *g = make(p);
    size_t n, steps = (size_t)floor(t_s / p->dt_s + 0.5), k;

    if (pr == NULL)
        fail_msg("probe_new: %s", err);
    *peak = 0.0;
    for (n = 0; n < steps; n++) {
        double w = gpu_step(g, at(n, p->dt_s));

        probe_push(pr, w);
        if (w > *peak)
            *peak = w;
    }
    for (k = 0; k < NWIN; k++)
        max[k] = probe_max(pr, k);
    probe_free(pr);
    gpu_free(g);
}

/* Igor's Lab's RTX 5090 bins (facts.md 3, S) as window maxima, within 10 %;
 * the 1 s average within 2 % of the limit. */
static void test_calibration_rtx5090(void **state)
{
    static const double want[NWIN - 1] = { 900.0, 820.0, 740.0, 630.0, 630.0 };
    static const char *const label[NWIN] = { "100 us", "1 ms", "5 ms", "10 ms",
                                             "20 ms", "1 s" };
    struct gpu_params p = rtx5090();
    double max[NWIN], peak;
    size_t k;

    (void)state;
    run_probe(&p, 60.0, max, &peak);
    printf("# RTX 5090, 575 W limit, typical transients, dt 50 us, 60 s (seed 42):\n");
    for (k = 0; k < NWIN; k++)
        printf("#   highest %-6s average %7.1f W%s\n", label[k], max[k],
               k < NWIN - 1 ? "" : " (limit 575 W)");
    printf("#   highest step power %7.1f W\n", peak);
    for (k = 0; k < NWIN - 1; k++)
        assert_rel(max[k], want[k], 0.10);
    assert_rel(max[NWIN - 1], 575.0, 0.02);
}

/* A 450 W limit on a 575 W card: the 1 s average holds 450 W within 2 %, and
 * the spikes (scaled by the 575 W rating) still pass far above it. */
static void test_power_limit(void **state)
{
    struct gpu_params p = rtx5090();
    double max[NWIN], peak;

    (void)state;
    p.limit_w = 450.0;
    p.seed = 7;
    run_probe(&p, 30.0, max, &peak);
    printf("# RTX 5090 at a 450 W limit, 30 s: highest 1 s average %.1f W, "
           "100 us %.1f W, 10 ms %.1f W\n", max[NWIN - 1], max[0], max[3]);
    assert_rel(max[NWIN - 1], 450.0, 0.02);
    assert_true(max[0] > 1.5 * 450.0);       /* 901 W x u, u >= 0.9: > 811 W */
    assert_true(peak > 800.0);
}

/* The limit also holds with the spikes of every class arriving together. */
static void test_power_limit_worst(void **state)
{
    struct gpu_params p = rtx5090();
    double max[NWIN], peak;

    (void)state;
    p.transients = GPU_TR_WORST;
    p.dt_s = DT_MS;
    run_probe(&p, 30.0, max, &peak);
    assert_rel(max[NWIN - 1], 575.0, 0.02);
    assert_true(peak > 575.0);
}

/* Worst transients (u = 1): since random spikes start one at a time, at least
 * 10 ms apart (gpu.c, "Spike classes"), no window can exceed the hand bounds
 * of the single classes, whatever the seed: 901.1 / 823.6 / 738.2 W over
 * 100 us / 1 ms / 5 ms, and class 2 (5 ms at 738.2 W) with base power in the
 * rest, (738.2 + 575) / 2 = 656.6 W, over 10 and 20 ms (two class 2 spikes
 * 10 ms apart give the same over 20 ms). */
static void test_spike_bounds(void **state)
{
    static const double bound[NWIN - 1] = { 901.1, 823.6, 738.2, 656.6, 656.6 };
    struct gpu_params p = rtx5090();
    double max[NWIN], peak;
    size_t k;

    (void)state;
    p.transients = GPU_TR_WORST;
    p.seed = 3;
    run_probe(&p, 30.0, max, &peak);
    for (k = 0; k < NWIN - 1; k++)
        if (!(max[k] <= bound[k] + 1e-6))
            fail_msg("window %zu: %.3f W above the bound %.1f W", k, max[k], bound[k]);
    assert_true(max[0] > 900.0);             /* class 0 at u = 1 did occur */
}

/* ------------------------------------------------------------------------- */
/* Workloads                                                                 */
/* ------------------------------------------------------------------------- */

/* Half the limit, no transients: exactly 0.5 x limit after the ramp, idle
 * before the start, linear in between. */
static void test_constant_and_ramp(void **state)
{
    struct gpu_params p = rtx5090();
    gpu *g;
    size_t n, steps;
    double lvl = 0.5 * 500.0;

    (void)state;
    p.limit_w = 500.0;
    p.fraction = 0.5;
    p.transients = GPU_TR_OFF;
    p.start_s = 1.0;
    p.ramp_s = 2.0;
    p.dt_s = DT_MS;
    g = make(&p);
    steps = (size_t)(6.0 / DT_MS);
    for (n = 0; n < steps; n++) {
        double t = at(n, DT_MS), w = gpu_step(g, t);

        if (t < 0.999)
            assert_true(w == 40.0);
        else if (t > 1.001 && t < 2.999)
            assert_rel(w, 40.0 + (lvl - 40.0) * (t - 1.0) / 2.0, 1e-12);
        else if (t > 3.001)
            assert_true(w == lvl);
    }
    assert_true(gpu_card_power(g, 0) == lvl);
    gpu_free(g);
}

/* The idle workload: idle power forever, even with transients on (an idle card
 * makes no load steps). */
static void test_idle(void **state)
{
    struct gpu_params p = rtx5090();
    gpu *g;
    size_t n;

    (void)state;
    p.workload = GPU_WL_IDLE;
    p.count = 3;
    g = make(&p);
    for (n = 0; n < 40000; n++)
        assert_true(gpu_step(g, at(n, DT)) == 3 * 40.0);
    assert_int_equal(gpu_count(g), 3);
    assert_true(gpu_card_power(g, 2) == 40.0);
    assert_true(isnan(gpu_card_power(g, 3)));
    gpu_free(g);
}

/* Training, 2 cards in lockstep, no transients: the total alternates between
 * 2 x limit (compute, 0.7 of each 1 s period) and 2 x comm_w. */
static void test_training_lockstep(void **state)
{
    static const struct { double t, want; } pts[] = {
        { 0.05, 1000.0 }, { 0.35, 1000.0 }, { 0.69, 1000.0 }, { 0.71, 300.0 },
        { 0.95, 300.0 }, { 1.02, 1000.0 }, { 5.5, 1000.0 }, { 5.8, 300.0 },
        { 9.99, 300.0 },
    };
    struct gpu_params p = rtx5090();
    gpu *g;
    size_t n, i = 0, high = 0, steps = (size_t)(10.0 / DT_MS);

    (void)state;
    p.workload = GPU_WL_TRAINING;
    p.count = 2;
    p.limit_w = 500.0;
    p.transients = GPU_TR_OFF;
    p.dt_s = DT_MS;
    g = make(&p);
    for (n = 0; n < steps; n++) {
        double t = at(n, DT_MS), w = gpu_step(g, t);

        assert_true(w == 1000.0 || w == 300.0);
        assert_true(gpu_card_power(g, 0) == gpu_card_power(g, 1));
        high += w == 1000.0;
        if (i < sizeof pts / sizeof pts[0] && fabs(t - pts[i].t) < 0.5 * DT_MS) {
            if (w != pts[i].want)
                fail_msg("t = %g s: total %g W, want %g W", t, w, pts[i].want);
            i++;
        }
    }
    assert_int_equal(i, sizeof pts / sizeof pts[0]);
    assert_rel((double)high / (double)steps, 0.7, 1e-3);
    gpu_free(g);
}

/* Random sync: the cards' phases differ, each still computes 0.7 of the time,
 * and the total swings less than in lockstep (its average is the same). */
static void test_training_random(void **state)
{
    struct gpu_params p = rtx5090();
    gpu *g;
    size_t n, differ = 0, high0 = 0, high1 = 0, steps = (size_t)(20.0 / DT_MS);
    double sum = 0.0, sum2 = 0.0, mean, var;

    (void)state;
    p.workload = GPU_WL_TRAINING;
    p.sync = GPU_SYNC_RANDOM;
    p.count = 2;
    p.limit_w = 500.0;
    p.transients = GPU_TR_OFF;
    p.dt_s = DT_MS;
    g = make(&p);
    for (n = 0; n < steps; n++) {
        double w = gpu_step(g, at(n, DT_MS));
        double a = gpu_card_power(g, 0), b = gpu_card_power(g, 1);

        differ += a != b;
        high0 += a == 500.0;
        high1 += b == 500.0;
        sum += w;
        sum2 += w * w;
    }
    mean = sum / (double)steps;
    var = sum2 / (double)steps - mean * mean;
    printf("# training, random sync, seed 42: cards differ %.1f %% of the time\n",
           100.0 * (double)differ / (double)steps);
    assert_true(differ > steps / 20);
    assert_rel((double)high0 / (double)steps, 0.7, 2e-3);
    assert_rel((double)high1 / (double)steps, 0.7, 2e-3);
    assert_rel(mean, 2 * (0.7 * 500.0 + 0.3 * 150.0), 2e-3);
    /* lockstep: variance 0.7 x 0.3 x 700^2 W^2; independent phases halve it
     * on average, any offset other than 0 lowers it */
    assert_true(var < 0.99 * 0.21 * 700.0 * 700.0);
    gpu_free(g);
}

/* Training with transients: a class 2 spike (5 ms at 1.284 x rated) at each
 * compute-phase start in lockstep on both cards. */
static void test_training_spikes(void **state)
{
    struct gpu_params p = rtx5090();
    gpu *g;
    size_t n;

    (void)state;
    p.workload = GPU_WL_TRAINING;
    p.count = 2;
    p.transients = GPU_TR_TYPICAL;
    g = make(&p);
    /* second compute start at 1 s: the first steps after it are raised */
    run_to(g, 1.0, DT);
    n = (size_t)floor(1.0 / DT + 0.5);
    gpu_step(g, at(n, DT));
    assert_true(gpu_card_power(g, 0) >= 0.9 * 738.2);
    assert_true(gpu_card_power(g, 1) >= 0.9 * 738.2);
    gpu_free(g);
}

/* Inference: Poisson requests at 2 /s, 0.1 s bursts queued: the card is at
 * the limit rate x burst = 20 % of the time. Over 500 s (about 1000 bursts)
 * the share's standard deviation is about 0.2 sqrt(2 / 1000) ~ 1.8 % relative
 * (M/D/1 busy periods inflate it a little); 10 % is several sigma. */
static void test_inference(void **state)
{
    struct gpu_params p = rtx5090();
    gpu *g;
    size_t n, busy = 0, steps = (size_t)(500.0 / DT_MS);
    double share;

    (void)state;
    p.workload = GPU_WL_INFERENCE;
    p.transients = GPU_TR_OFF;
    p.dt_s = DT_MS;
    g = make(&p);
    for (n = 0; n < steps; n++) {
        double w = gpu_step(g, at(n, DT_MS));

        assert_true(w == 575.0 || w == 40.0);
        busy += w == 575.0;
    }
    share = (double)busy / (double)steps;
    printf("# inference 2 /s x 0.1 s: at the limit %.2f %% of the time (want 20 %%)\n",
           100.0 * share);
    assert_rel(share, 0.2, 0.10);
    gpu_free(g);
}

/* ------------------------------------------------------------------------- */
/* Transient modes and randomness                                            */
/* ------------------------------------------------------------------------- */

/* Worst: one shared arrival stream at amplitude 1, so two cards are equal at
 * every step and spike together; typical: the cards spike on their own. */
static void test_worst_together(void **state)
{
    struct gpu_params p = rtx5090();
    gpu *g;
    size_t n, spikes = 0, differ = 0, steps = (size_t)(5.0 / DT);

    (void)state;
    p.count = 2;
    p.transients = GPU_TR_WORST;
    g = make(&p);
    for (n = 0; n < steps; n++) {
        gpu_step(g, at(n, DT));
        assert_true(gpu_card_power(g, 0) == gpu_card_power(g, 1));
        spikes += gpu_card_power(g, 0) >= 901.1 - 1e-9;
    }
    assert_true(spikes > 10);                /* class 0 at u = 1: exactly 901.1 W */
    gpu_free(g);

    p.transients = GPU_TR_TYPICAL;
    g = make(&p);
    for (n = 0; n < steps; n++) {
        gpu_step(g, at(n, DT));
        differ += gpu_card_power(g, 0) != gpu_card_power(g, 1);
    }
    assert_true(differ > 0);
    gpu_free(g);
}

/* Transients off: never above the limit at full load. */
static void test_transients_off(void **state)
{
    struct gpu_params p = rtx5090();
    gpu *g;
    size_t n;

    (void)state;
    p.transients = GPU_TR_OFF;
    g = make(&p);
    for (n = 0; n < 40000; n++)
        assert_true(gpu_step(g, at(n, DT)) == 575.0);
    gpu_free(g);
}

/* Fills OUT[0..N-1] with the total power of N steps. */
static void record(gpu *g, double *out, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        out[i] = gpu_step(g, at(i, DT));
}

/* Same seed: the same sequence (again after gpu_reset, and from a second
 * model); another seed: another sequence. */
static void test_reproducible(void **state)
{
    enum { N = 60000 };   /* 3 s: training iterations, spikes, random phases */
    struct gpu_params p = rtx5090();
    double *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
    gpu *g, *h;

    (void)state;
    assert_non_null(a);
    assert_non_null(b);
    p.workload = GPU_WL_TRAINING;
    p.sync = GPU_SYNC_RANDOM;
    p.count = 3;
    g = make(&p);
    h = make(&p);
    record(g, a, N);
    record(h, b, N);
    assert_memory_equal(a, b, N * sizeof *a);
    gpu_reset(g);
    record(g, b, N);
    assert_memory_equal(a, b, N * sizeof *a);
    gpu_free(h);

    p.seed = 43;
    h = make(&p);
    record(h, b, N);
    assert_true(memcmp(a, b, N * sizeof *a) != 0);
    gpu_free(h);
    gpu_free(g);
    free(a);
    free(b);
}

/* ------------------------------------------------------------------------- */
/* Strides                                                                   */
/* ------------------------------------------------------------------------- */

#define DT_FINE   10e-6    /* the finest engine step in use, s */
#define EQ_REL    1e-9     /* strides against steps: relative tolerance */
#define EQ_S      20.0     /* simulated time of each comparison, s */
#define EQ_JUMP_W 1.0      /* a card's step-to-step change above this and what the
                            * limiter can do in a step (see stride_compare) is an
                            * event, W */

/* What a comparison saw of model B (the strided one). */
struct stride_stats {
    size_t strides;        /* gpu_advance() calls */
    size_t steps;          /* steps advanced */
    size_t at_top;         /* strides of n > 1 ending with some throttle at 1 */
    size_t at_floor;       /* ... at 0.2 */
    size_t between;        /* ... strictly between */
    double worst_rel;      /* the largest relative difference seen */
};

/* |got - want| <= rel * max(|want|, scale); WHAT and STEP name the check.
 * Returns the relative difference. */
static double assert_near(double got, double want, double rel, double scale,
                          const char *what, size_t step)
{
    double ref = fabs(want) > scale ? fabs(want) : scale;

    if (!(fabs(got - want) <= rel * ref))
        fail_msg("step %zu, %s: strided %.17g, stepped %.17g (rel err %.3g)", step,
                 what, got, want, fabs(got - want) / ref);
    return fabs(got - want) / ref;
}

/* *WORST = max(*WORST, X). */
static void keep_max(double *worst, double x)
{
    if (x > *worst)
        *worst = x;
}

/* A fixed-seed LCG (Knuth's MMIX constants): 1 + a draw below HI. */
static size_t draw_cap(uint64_t *x, size_t hi)
{
    *x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
    return 1 + (size_t)((*x >> 33) % hi);
}

/* How model B is driven: gpu_quiet_steps() + gpu_advance() alone; with
 * gpu_events() first (the engine); and with lazy cards too (the engine's
 * stride solver, issue 14, 4). */
enum { MODE_PLAIN, MODE_EVENTS, MODE_LAZY, MODES };
static const char *const mode_names[MODES] = { "plain", "events", "lazy" };

/* Runs P for T_S twice: model A by gpu_step() alone, model B in strides of
 * gpu_quiet_steps(B, t, cap), cap = N_MAX or (RANDOM_CAP) a draw in 1..N_MAX,
 * driven as MODE says.
 * After each stride: the sums and card 0's sum, each card's power, average
 * and throttle agree within EQ_REL; inside a stride model A's power moves by
 * less than EQ_JUMP_W a card and step plus the limiter's most, D gain
 * |limit - average| <= 5 dt/s x 1.6 rated (no event). Fills ST. */
static void stride_compare(const struct gpu_params *p, double t_s, size_t n_max,
                           int random_cap, int mode, struct stride_stats *st)
{
    gpu *a = make(p), *b = make(p);
    size_t s = 0, steps = (size_t)floor(t_s / p->dt_s + 0.5), cards = gpu_count(a), i;
    uint64_t x = 12345;
    const double jump_w = (EQ_JUMP_W + 8.0 * p->dt_s * p->rated_w) * (double)cards;

    memset(st, 0, sizeof *st);
    if (mode == MODE_LAZY)
        gpu_set_lazy(b, 1);
    while (s < steps) {
        size_t cap = random_cap ? draw_cap(&x, n_max) : n_max, n, j;
        double sum_a = 0.0, unit_a = 0.0, sum_b, unit_b, prev = 0.0;
        int top = 0, low = 0, mid = 0;

        if (cap > steps - s)
            cap = steps - s;
        if (mode != MODE_PLAIN)
            gpu_events(b, at(s, p->dt_s));   /* as the engine: events start a stride */
        n = gpu_quiet_steps(b, at(s, p->dt_s), cap);
        if (n < 1 || n > cap)
            fail_msg("step %zu: gpu_quiet_steps gave %zu (cap %zu)", s, n, cap);
        sum_b = gpu_advance(b, at(s, p->dt_s), n, &unit_b);
        for (j = 0; j < n; j++) {
            double w = gpu_step(a, at(s + j, p->dt_s));

            if (j > 0 && fabs(w - prev) > jump_w)
                fail_msg("step %zu: stepped power jumps %.6g -> %.6g W inside a "
                         "stride of %zu from step %zu", s + j, prev, w, n, s);
            prev = w;
            sum_a += w;
            unit_a += gpu_card_power(a, 0);
        }
        keep_max(&st->worst_rel, assert_near(sum_b, sum_a, EQ_REL, p->limit_w,
                                             "stride sum", s));
        keep_max(&st->worst_rel, assert_near(unit_b, unit_a, EQ_REL, p->limit_w,
                                             "card 0 sum", s));
        for (i = 0; i < cards; i++) {
            double m = gpu_card_throttle(b, i);

            keep_max(&st->worst_rel, assert_near(gpu_card_power(b, i),
                     gpu_card_power(a, i), EQ_REL, p->limit_w, "card power", s));
            keep_max(&st->worst_rel, assert_near(gpu_card_average(b, i),
                     gpu_card_average(a, i), EQ_REL, p->limit_w, "average", s));
            keep_max(&st->worst_rel, assert_near(m, gpu_card_throttle(a, i), EQ_REL,
                                                 1.0, "throttle", s));
            top |= m == 1.0;
            low |= m == 0.2;
            mid |= m > 0.2 && m < 1.0;
        }
        if (n > 1) {
            st->at_top += top;
            st->at_floor += low;
            st->between += mid;
        }
        st->strides++;
        st->steps += n;
        s += n;
    }
    gpu_free(a);
    gpu_free(b);
}

/* The comparison cases: changes to rtx5090(). */
struct stride_case {
    const char *name;
    enum gpu_workload workload;
    enum gpu_transients transients;
    enum gpu_sync sync;
    int count;
    double limit_w;
    double fraction;       /* constant */
    double period_s, duty, comm_w;   /* training */
    double rate_hz, burst_s;         /* inference */
    double start_s, ramp_s;
    int clamp;             /* 1: must see a throttle at 1 after a stride, 2: at 0.2,
                            * 4: between (bits) */
};

static const struct stride_case stride_cases[] = {
    { "constant, full, 575 W limit, typical", GPU_WL_CONSTANT, GPU_TR_TYPICAL,
      GPU_SYNC_LOCKSTEP, 1, 575.0, 1.0, 1.0, 0.7, 150.0, 2.0, 0.1, 0.0, 0.0, 1 | 4 },
    { "constant, full, 450 W limit, worst, 2 cards", GPU_WL_CONSTANT, GPU_TR_WORST,
      GPU_SYNC_LOCKSTEP, 2, 450.0, 1.0, 1.0, 0.7, 150.0, 2.0, 0.1, 0.0, 0.0, 1 | 4 },
    { "constant, 60 %, off", GPU_WL_CONSTANT, GPU_TR_OFF,
      GPU_SYNC_LOCKSTEP, 1, 575.0, 0.6, 1.0, 0.7, 150.0, 2.0, 0.1, 0.0, 0.0, 1 },
    { "idle, typical", GPU_WL_IDLE, GPU_TR_TYPICAL,
      GPU_SYNC_LOCKSTEP, 2, 575.0, 1.0, 1.0, 0.7, 150.0, 2.0, 0.1, 0.0, 0.0, 1 },
    { "training, lockstep, 575 W (the seed), typical", GPU_WL_TRAINING, GPU_TR_TYPICAL,
      GPU_SYNC_LOCKSTEP, 2, 575.0, 1.0, 0.5, 0.8, 230.0, 2.0, 0.1, 0.0, 0.0, 1 },
    { "training, random, 400 W, worst, 3 cards", GPU_WL_TRAINING, GPU_TR_WORST,
      GPU_SYNC_RANDOM, 3, 400.0, 1.0, 0.3, 0.9, 380.0, 2.0, 0.1, 0.0, 0.0, 1 | 4 },
    { "training, 10 ms iterations, 300 W: throttle floor", GPU_WL_TRAINING,
      GPU_TR_TYPICAL, GPU_SYNC_LOCKSTEP, 1, 300.0, 1.0, 0.01, 0.5, 100.0, 2.0, 0.1,
      0.0, 0.0, 1 | 2 | 4 },
    { "inference, 12 /s x 80 ms, 500 W, typical", GPU_WL_INFERENCE, GPU_TR_TYPICAL,
      GPU_SYNC_LOCKSTEP, 2, 500.0, 1.0, 1.0, 0.7, 150.0, 12.0, 0.08, 0.0, 0.0, 1 | 4 },
    { "inference, 20 /s x 48 ms, 575 W, worst", GPU_WL_INFERENCE, GPU_TR_WORST,
      GPU_SYNC_LOCKSTEP, 2, 575.0, 1.0, 1.0, 0.7, 150.0, 20.0, 0.048, 0.0, 0.0, 1 | 4 },
    { "constant, start 1.5 s, ramp 2 s, 520 W, typical", GPU_WL_CONSTANT,
      GPU_TR_TYPICAL, GPU_SYNC_LOCKSTEP, 1, 520.0, 1.0, 1.0, 0.7, 150.0, 2.0, 0.1,
      1.5, 2.0, 1 | 4 },
    { "training, random, start 0.7 s, ramp 0.3 s, worst", GPU_WL_TRAINING,
      GPU_TR_WORST, GPU_SYNC_RANDOM, 2, 575.0, 1.0, 0.25, 0.7, 200.0, 2.0, 0.1, 0.7,
      0.3, 1 },
    { "training, 6.6 ms iterations, 583 W, worst", GPU_WL_TRAINING, GPU_TR_WORST,
      GPU_SYNC_LOCKSTEP, 1, 582.8, 1.0, 0.0066, 0.644, 455.0, 2.0, 0.1, 0.0, 0.0, 1 | 4 },
    { "training, 79 ms iterations, 66 W, typical", GPU_WL_TRAINING, GPU_TR_TYPICAL,
      GPU_SYNC_LOCKSTEP, 1, 66.0, 1.0, 0.079, 0.86, 34.3, 2.0, 0.1, 0.0, 0.0, 1 | 2 | 4 },
    { "constant, full, 805 W limit (1.4 x rated): peaks under the base",
      GPU_WL_CONSTANT, GPU_TR_TYPICAL, GPU_SYNC_LOCKSTEP, 1, 805.0, 1.0, 1.0, 0.7,
      150.0, 2.0, 0.1, 0.0, 0.0, 1 | 4 },
    /* many cards of their own streams: the lazy aggregates */
    { "training, lockstep, 350 W, typical, 16 cards", GPU_WL_TRAINING, GPU_TR_TYPICAL,
      GPU_SYNC_LOCKSTEP, 16, 350.0, 1.0, 0.5, 0.9, 340.0, 2.0, 0.1, 0.0, 0.0, 1 | 4 },
    { "training, random, 350 W, typical, 12 cards, start 0.4 s", GPU_WL_TRAINING,
      GPU_TR_TYPICAL, GPU_SYNC_RANDOM, 12, 350.0, 1.0, 0.2, 0.9, 330.0, 2.0, 0.1, 0.4,
      0.0, 1 | 4 },
    { "training, random, 300 W, worst, 9 cards, ramp 0.5 s", GPU_WL_TRAINING,
      GPU_TR_WORST, GPU_SYNC_RANDOM, 9, 300.0, 1.0, 0.05, 0.95, 290.0, 2.0, 0.1, 0.3,
      0.5, 1 | 4 },
    { "inference, 8 /s x 60 ms, 450 W, typical, 10 cards", GPU_WL_INFERENCE,
      GPU_TR_TYPICAL, GPU_SYNC_LOCKSTEP, 10, 450.0, 1.0, 1.0, 0.7, 150.0, 8.0, 0.06,
      0.0, 0.0, 1 },
    { "constant, full, 120 W, typical, 20 cards", GPU_WL_CONSTANT,
      GPU_TR_TYPICAL, GPU_SYNC_LOCKSTEP, 20, 120.0, 1.0, 1.0, 0.7, 150.0, 2.0, 0.1, 0.0,
      0.0, 1 | 4 },
};

static struct gpu_params stride_params(const struct stride_case *c, double dt)
{
    struct gpu_params p = rtx5090();

    p.workload = c->workload;
    p.transients = c->transients;
    p.sync = c->sync;
    p.count = c->count;
    p.limit_w = c->limit_w;
    p.fraction = c->fraction;
    p.period_s = c->period_s;
    p.duty = c->duty;
    p.comm_w = c->comm_w;
    p.rate_hz = c->rate_hz;
    p.burst_s = c->burst_s;
    p.start_s = c->start_s;
    p.ramp_s = c->ramp_s;
    p.dt_s = dt;
    return p;
}

/* Every case at 10 and 50 us, with the engine's cap of 4096 steps and with
 * random caps: strides agree with steps; the clamps the case is meant to
 * reach are reached. */
static void test_stride_equivalence(void **state)
{
    static const double dts[] = { DT_FINE, DT };
    size_t c, d, r;

    (void)state;
    for (c = 0; c < sizeof stride_cases / sizeof stride_cases[0]; c++)
        for (d = 0; d < 2; d++)
            for (r = 0; r < 2 * MODES; r++) {
                const struct stride_case *sc = &stride_cases[c];
                struct gpu_params p = stride_params(sc, dts[d]);
                struct stride_stats st;
                const int mode = (int)(r / 2), rnd = (int)(r % 2);

                p.seed = 100 + c;
                stride_compare(&p, EQ_S, rnd ? 5000 : 4096, rnd, mode, &st);
                printf("# %-50s dt %2.0f us %s %-6s: %6zu strides of %4.0f steps, "
                       "rel err <= %.1e (m at 1: %zu, 0.2: %zu, between: %zu)\n",
                       sc->name, dts[d] * 1e6, rnd ? "random cap" : "cap 4096  ",
                       mode_names[mode], st.strides,
                       (double)st.steps / (double)st.strides, st.worst_rel,
                       st.at_top, st.at_floor, st.between);
                if ((sc->clamp & 1) && st.at_top == 0)
                    fail_msg("%s: no stride ended with the throttle at 1", sc->name);
                if ((sc->clamp & 2) && st.at_floor == 0)
                    fail_msg("%s: no stride ended with the throttle at 0.2", sc->name);
                if ((sc->clamp & 4) && st.between == 0)
                    fail_msg("%s: no stride ended with the throttle inside", sc->name);
                assert_true(st.steps > 4 * st.strides);   /* strides did happen */
            }
}

/* A uniform draw in [LO, HI) from the LCG. */
static double draw_in(uint64_t *x, double lo, double hi)
{
    return lo + (hi - lo) * (double)(draw_cap(x, 1000000) - 1) / 1e6;
}

/* Random parameters (fixed seed): workloads, limits from 0.1 to 1.5 x rated,
 * iterations of 5 to 300 ms (low limits and short iterations drive the
 * throttle to its floor and back, so its clamps are crossed inside strides),
 * start and ramp, steps from 7 us to 1 ms, caps from 64 steps to 2^20 and
 * random, 10 s each: strides agree with steps. */
static void test_stride_sweep(void **state)
{
    static const double dts[] = { 7e-6, 10e-6, 30e-6, 50e-6, 100e-6, 1e-3 };
    static const size_t caps[] = { 64, 4096, (size_t)1 << 20 };
    enum { CASES = 120 };
    uint64_t x = 2024;
    size_t i, strides = 0, steps = 0;
    double worst = 0.0;

    (void)state;
    for (i = 0; i < CASES; i++) {
        struct gpu_params p = rtx5090();
        struct stride_stats st;
        size_t cap = caps[draw_cap(&x, 3) - 1];

        p.dt_s = dts[draw_cap(&x, 6) - 1];
        p.limit_w = p.rated_w * draw_in(&x, 0.1, 1.5);
        p.idle_w = draw_in(&x, 0.0, 0.3 * p.limit_w);
        p.count = (int)draw_cap(&x, 3);
        p.workload = (enum gpu_workload)(draw_cap(&x, 4) - 1);
        p.fraction = draw_in(&x, 0.0, 1.0);
        p.period_s = draw_in(&x, 0.005, 0.3);
        if (p.period_s < 3 * p.dt_s)
            p.period_s = 3 * p.dt_s;
        p.duty = draw_in(&x, 0.0, 1.0);
        p.comm_w = draw_in(&x, 0.0, p.limit_w);
        p.sync = (enum gpu_sync)(draw_cap(&x, 2) - 1);
        p.rate_hz = draw_in(&x, 0.5, 30.0);
        p.burst_s = draw_in(&x, 0.005, 0.2);
        p.transients = (enum gpu_transients)(draw_cap(&x, 5) > 1 ? draw_cap(&x, 2) : 0);
        p.start_s = draw_cap(&x, 2) == 1 ? 0.0 : draw_in(&x, 0.0, 2.0);
        p.ramp_s = draw_cap(&x, 2) == 1 ? 0.0 : draw_in(&x, 0.0, 0.5);
        p.seed = 1000 + i;
        p.count = draw_cap(&x, 3) == 1 ? (int)draw_cap(&x, 24) : p.count;
        stride_compare(&p, 10.0, cap, draw_cap(&x, 4) == 1, (int)(i % MODES), &st);
        strides += st.strides;
        steps += st.steps;
        keep_max(&worst, st.worst_rel);
    }
    printf("# %d random cases, 10 s each: %zu strides of %.0f steps on average, "
           "rel err <= %.1e\n", CASES, strides, (double)steps / (double)strides, worst);
}

/* A cap of 1, a time off the step grid: 1. N = 1 is gpu_step() to the bit. */
static void test_stride_edges(void **state)
{
    struct gpu_params p = rtx5090();
    gpu *a, *b;
    size_t n;

    (void)state;
    p.count = 2;
    p.workload = GPU_WL_TRAINING;
    a = make(&p);
    b = make(&p);
    assert_int_equal(gpu_quiet_steps(b, 0.0, 1), 1);
    assert_int_equal(gpu_quiet_steps(b, 0.3 * DT, 4096), 1);
    for (n = 0; n < 100000; n++) {
        double t = at(n, DT), u, w = gpu_advance(b, t, 1, &u);

        assert_true(w == gpu_step(a, t));
        assert_true(u == gpu_card_power(a, 0));
        assert_true(gpu_card_average(b, 1) == gpu_card_average(a, 1));
        assert_true(gpu_card_throttle(b, 1) == gpu_card_throttle(a, 1));
    }
    assert_true(isnan(gpu_card_average(b, 2)));
    assert_true(isnan(gpu_card_throttle(b, 2)));
    gpu_free(a);
    gpu_free(b);
}

/* gpu_quiet_steps() is a query (gpu.c, "Stride caches"): a model B asked
 * more than model A before each stride (a smaller cap, a step up to 5000
 * ahead, a second gpu_events() at the same step; or, one stride in four, only
 * the step ahead and then A's stride length) strides exactly as A does:
 * the same stride lengths and the same bits of every sum and of each card's
 * power, average and throttle, in every driving mode, over cases with each
 * limiter regime (throttle at 1, inside, at 0.2; peaks under the base), a
 * start with a ramp and lazy cards. A cache that answered from another step's
 * state (a horizon found ahead, a plan of another time) breaks the equality. */
static void test_stride_queries(void **state)
{
    static const size_t cases[] = { 4, 6, 7, 9, 10, 11, 13, 14, 15, 17 };
    size_t c, mode;

    (void)state;
    for (c = 0; c < sizeof cases / sizeof cases[0]; c++)
        for (mode = 0; mode < MODES; mode++) {
            const struct stride_case *sc = &stride_cases[cases[c]];
            struct gpu_params p = stride_params(sc, DT_FINE);
            gpu *a, *b;
            size_t s = 0, steps = (size_t)(5.0 / DT_FINE), strides = 0, i;
            uint64_t x = 99 + c;

            p.seed = 300 + c;
            a = make(&p);
            b = make(&p);
            if (mode == MODE_LAZY) {
                gpu_set_lazy(a, 1);
                gpu_set_lazy(b, 1);
            }
            while (s < steps) {
                const double t = at(s, p.dt_s);
                size_t cap = draw_cap(&x, 4096), na, nb, small;
                double ua, ub, sa, sb;

                if (cap > steps - s)
                    cap = steps - s;
                if (mode != MODE_PLAIN) {
                    gpu_events(a, t);
                    gpu_events(b, t);
                    gpu_events(b, t);        /* fires nothing the second time */
                }
                (void)gpu_quiet_steps(b, at(s + draw_cap(&x, 5000), p.dt_s), cap);
                na = gpu_quiet_steps(a, t, cap);
                nb = na;                     /* one stride in 4: B is not asked at T */
                if (draw_cap(&x, 4) > 1) {
                    small = draw_cap(&x, cap);
                    if (gpu_quiet_steps(b, t, small) > small)
                        fail_msg("step %zu: more than the cap %zu", s, small);
                    nb = gpu_quiet_steps(b, t, cap);
                }
                if (na != nb)
                    fail_msg("%s, mode %s, step %zu: strides of %zu and %zu steps",
                             sc->name, mode_names[mode], s, na, nb);
                sa = gpu_advance(a, t, na, &ua);
                sb = gpu_advance(b, t, nb, &ub);
                assert_true(sa == sb);
                assert_true(ua == ub);
                for (i = 0; i < gpu_count(a); i++) {
                    assert_true(gpu_card_power(a, i) == gpu_card_power(b, i));
                    assert_true(gpu_card_average(a, i) == gpu_card_average(b, i));
                    assert_true(gpu_card_throttle(a, i) == gpu_card_throttle(b, i));
                }
                s += na;
                strides++;
            }
            printf("# queries: %-50s %-6s %6zu strides of %5.1f steps\n", sc->name,
                   mode_names[mode], strides, (double)steps / (double)strides);
            assert_true(steps > 2 * strides);   /* strides did happen */
            gpu_free(a);
            gpu_free(b);
        }
}

static double seconds_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The seed workload (scenarios/seed-dual-5090-us15a.ini: two RTX 5090 at a
 * 575 W limit, training in lockstep, 0.5 s iterations at 80 %, typical
 * transients) at dt 10 us for 120 s: the mean stride at caps 4096 and 2^20
 * and the time of a gpu_quiet_steps() + gpu_advance() pair, against
 * gpu_step() for the same run. Printed, not judged (machines differ); the
 * strides must average at least 100 steps. */
static void test_stride_seed(void **state)
{
    static const size_t caps[] = { 4096, (size_t)1 << 20 };
    const struct stride_case *sc = &stride_cases[4];
    struct gpu_params p = stride_params(sc, DT_FINE);
    size_t steps = (size_t)floor(120.0 / DT_FINE + 0.5), c, s, calls = 0;
    double t0, per_step, sum = 0.0;
    gpu *g;

    (void)state;
    g = make(&p);
    t0 = seconds_now();
    for (s = 0; s < steps; s++)
        sum += gpu_step(g, at(s, DT_FINE));
    per_step = (seconds_now() - t0) / (double)steps;
    gpu_free(g);
    for (c = 0; c < 2; c++) {
        double elapsed, total = 0.0;

        g = make(&p);
        calls = 0;
        t0 = seconds_now();
        for (s = 0; s < steps; calls++) {
            size_t n = gpu_quiet_steps(g, at(s, DT_FINE), caps[c] < steps - s ? caps[c]
                                                                       : steps - s);

            total += gpu_advance(g, at(s, DT_FINE), n, NULL);
            s += n;
        }
        elapsed = seconds_now() - t0;
        printf("# seed workload, dt 10 us, cap %7zu: %zu calls in 120 s (%.0f /s), "
               "mean stride %.0f steps; %.0f ns a call, %.1f ns a step with "
               "gpu_step() (x %.0f faster)\n", caps[c], calls, (double)calls / 120.0,
               (double)steps / (double)calls, 1e9 * elapsed / (double)calls,
               1e9 * per_step, per_step * (double)steps / elapsed);
        assert_near(total, sum, 1e-9, p.limit_w, "120 s sum", steps);
        assert_true(steps > 100 * calls);
        gpu_free(g);
    }
}

/* ------------------------------------------------------------------------- */
/* Names and refused input                                                   */
/* ------------------------------------------------------------------------- */

/* Identical cards (issue 14, 4): where no card draws from its own stream
 * (lockstep training, constant or idle work, inference without requests; spikes
 * off or worst), one card stands for all. Second method: a model of 1 card with
 * the same seed, stepped and strided side by side with one of 8: the 8 cards'
 * total is 8 times the one card's (to rounding) at every step, each card's power
 * is card 0's, and gpu_count() is still 8. With typical spikes the cards differ
 * (their own streams), so the 8-card total is not 8 x one card's. */
static void test_identical_cards(void **state)
{
    static const struct { enum gpu_workload w; enum gpu_transients tr; double rate; } cases[] = {
        { GPU_WL_TRAINING, GPU_TR_WORST, 2.0 }, { GPU_WL_TRAINING, GPU_TR_OFF, 2.0 },
        { GPU_WL_CONSTANT, GPU_TR_WORST, 2.0 }, { GPU_WL_INFERENCE, GPU_TR_WORST, 0.0 },
    };
    (void)state;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct gpu_params p = rtx5090();
        p.workload = cases[c].w;
        p.transients = cases[c].tr;
        p.rate_hz = cases[c].rate;
        p.limit_w = 450.0;                  /* the limiter works */
        p.dt_s = 10e-6;
        gpu *one = make(&p);
        p.count = 8;
        gpu *all = make(&p);
        assert_int_equal(gpu_count(all), 8);
        size_t n = 0, steps = (size_t)(5.0 / p.dt_s);
        while (n < steps) {
            double t = at(n, p.dt_s);
            size_t k = gpu_quiet_steps(one, t, steps - n);
            assert_int_equal(gpu_quiet_steps(all, t, steps - n), k);
            double u1, u8, w1 = gpu_advance(one, t, k, &u1), w8 = gpu_advance(all, t, k, &u8);
            if (!(fabs(w8 - 8.0 * w1) <= 1e-12 * fabs(w8) + 1e-9))
                fail_msg("case %zu at %g s: 8 cards %.17g W, 8 x one card %.17g W", c, t, w8,
                         8.0 * w1);
            assert_true(u8 == u1);
            assert_true(gpu_card_power(all, 7) == gpu_card_power(all, 0));
            assert_true(gpu_card_throttle(all, 5) == gpu_card_throttle(one, 0));
            n += k;
        }
        assert_true(isnan(gpu_card_power(all, 8)));
        gpu_free(one);
        gpu_free(all);
    }
    /* typical spikes: each card its own stream, no aggregate */
    struct gpu_params p = rtx5090();
    p.workload = GPU_WL_TRAINING;
    p.dt_s = 10e-6;
    gpu *one = make(&p);
    p.count = 8;
    gpu *all = make(&p);
    int differ = 0;
    for (size_t n = 0; n < 200000 && !differ; n++) {
        double t = at(n, p.dt_s), w1 = gpu_step(one, t), w8 = gpu_step(all, t);
        differ = fabs(w8 - 8.0 * w1) > 1e-6 * w8;
    }
    assert_true(differ);
    gpu_free(one);
    gpu_free(all);
}

static void test_names(void **state)
{
    (void)state;
    assert_int_equal(gpu_workload_find("constant"), GPU_WL_CONSTANT);
    assert_int_equal(gpu_workload_find("idle"), GPU_WL_IDLE);
    assert_int_equal(gpu_workload_find("training"), GPU_WL_TRAINING);
    assert_int_equal(gpu_workload_find("inference"), GPU_WL_INFERENCE);
    assert_int_equal(gpu_workload_find("Training"), -1);
    assert_int_equal(gpu_workload_find(NULL), -1);
    assert_string_equal(gpu_workload_name(GPU_WL_INFERENCE), "inference");
    assert_null(gpu_workload_name(GPU_WL_COUNT));
    assert_int_equal(gpu_sync_find("lockstep"), GPU_SYNC_LOCKSTEP);
    assert_int_equal(gpu_sync_find("random"), GPU_SYNC_RANDOM);
    assert_int_equal(gpu_sync_find("async"), -1);
    assert_int_equal(gpu_transients_find("off"), GPU_TR_OFF);
    assert_int_equal(gpu_transients_find("typical"), GPU_TR_TYPICAL);
    assert_int_equal(gpu_transients_find("worst"), GPU_TR_WORST);
    assert_int_equal(gpu_transients_find(""), -1);
}

/* Each case breaks one field of a valid parameter set; the message names the
 * quantity. */
static void test_bad_params(void **state)
{
    static const struct { const char *field; double value; const char *word; } cases[] = {
        { "rated", 0.0, "rated" },       { "rated", NAN, "rated" },
        { "limit", 0.0, "limit" },       { "limit", 900.0, "limit" },
        { "idle", -1.0, "idle" },        { "idle", 575.0, "idle" },
        { "count", 0.0, "count" },       { "count", 257.0, "count" },
        { "dt", 0.0, "step" },           { "start", -1.0, "start" },
        { "ramp", INFINITY, "ramp" },    { "fraction", 1.5, "fraction" },
        { "fraction", NAN, "fraction" }, { "period", 50e-6, "period" },
        { "duty", 1.1, "duty" },         { "comm", 600.0, "communication" },
        { "sync", 5.0, "sync" },         { "rate", -1.0, "rate" },
        { "burst", 0.0, "burst" },       { "workload", 9.0, "workload" },
        { "transients", 3.0, "transients" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct gpu_params p = rtx5090();
        char err[200] = "";
        const char *f = cases[i].field;
        double v = cases[i].value;

        if (strcmp(f, "rated") == 0) p.rated_w = v;
        else if (strcmp(f, "limit") == 0) p.limit_w = v;
        else if (strcmp(f, "idle") == 0) p.idle_w = v;
        else if (strcmp(f, "count") == 0) p.count = (int)v;
        else if (strcmp(f, "dt") == 0) p.dt_s = v;
        else if (strcmp(f, "start") == 0) p.start_s = v;
        else if (strcmp(f, "ramp") == 0) p.ramp_s = v;
        else if (strcmp(f, "fraction") == 0) p.fraction = v;
        else if (strcmp(f, "period") == 0) { p.workload = GPU_WL_TRAINING; p.period_s = v; }
        else if (strcmp(f, "duty") == 0) { p.workload = GPU_WL_TRAINING; p.duty = v; }
        else if (strcmp(f, "comm") == 0) { p.workload = GPU_WL_TRAINING; p.comm_w = v; }
        else if (strcmp(f, "sync") == 0) {
            p.workload = GPU_WL_TRAINING;
            p.sync = (enum gpu_sync)(int)v;
        } else if (strcmp(f, "rate") == 0) { p.workload = GPU_WL_INFERENCE; p.rate_hz = v; }
        else if (strcmp(f, "burst") == 0) { p.workload = GPU_WL_INFERENCE; p.burst_s = v; }
        else if (strcmp(f, "workload") == 0) p.workload = (enum gpu_workload)(int)v;
        else p.transients = (enum gpu_transients)(int)v;

        if (gpu_new(&p, err, sizeof err) != NULL)
            fail_msg("case %zu (%s = %g) accepted", i, f, v);
        if (strstr(err, cases[i].word) == NULL)
            fail_msg("case %zu (%s = %g): message \"%s\" lacks \"%s\"", i, f, v, err,
                     cases[i].word);
    }
    assert_null(gpu_new(NULL, NULL, 0));
    gpu_free(NULL);
}

/* The spike model on its own (gpu_spike_train, gpu_spike_mean; issue 17): 4
 * unit trains stridden over 600 s at 100 us. Their mean power per card must be
 * gpu_spike_mean() within 5e-5: the Poisson noise of 2400 card-seconds of
 * spikes is 1.5e-5 (3 sigma 4.5e-5). The closed form is checked by hand too:
 * from gpu_spike_info(), the rates thinned by 1 + sum r (d + H), the excess
 * E[(u q - 1)^+] over u ~ U[lo, hi] (trace-transients.expect has the
 * figures: 1.0028067). Without the thinning it would be 1.0031365, 3.3e-4
 * higher, which the run tells apart (worst: u = 1, 1.0033644, within 1.2e-4,
 * its cards sharing their arrivals). Between spikes a card draws 1 W (the
 * limiter never acts) and worst's mean is its own closed form. */
static void test_spike_train(void **state)
{
    (void)state;
    struct gpu_spike_info in;
    gpu_spike_info(&in);
    double busy = 1.0, extra = 0.0, unthinned = 0.0;
    for (int k = 0; k < GPU_SPIKE_CLASSES; k++)
        busy += in.rate_hz[k] * (in.dur_s[k] + in.holdoff_s);
    for (int k = 0; k < GPU_SPIKE_CLASSES; k++) {
        double q = in.peak_x[k], lo = fmax(in.amp_lo, 1.0 / q), hi = in.amp_hi;
        double e = lo < hi ? (q * (hi * hi - lo * lo) / 2 - (hi - lo)) / (hi - in.amp_lo) : 0;
        extra += in.rate_hz[k] / busy * in.dur_s[k] * e;
        unthinned += in.rate_hz[k] * in.dur_s[k] * e;
    }
    assert_true(fabs(busy - 1.1175) < 1e-12);
    assert_true(fabs(1.0 + extra - 1.0028067) < 1e-6);
    assert_true(fabs(gpu_spike_mean(GPU_TR_TYPICAL) - (1.0 + extra)) < 1e-12);
    assert_true(gpu_spike_mean(GPU_TR_OFF) == 1.0);

    static const enum gpu_transients modes[] = { GPU_TR_TYPICAL, GPU_TR_WORST };
    for (size_t m = 0; m < 2; m++) {
        struct gpu_params p;
        const double dt = 100e-6, dur = 600.0;
        gpu_spike_train(&p, 4, modes[m], 77, dt);
        char err[128];
        gpu *g = gpu_new(&p, err, sizeof err);
        assert_non_null(g);
        gpu_set_lazy(g, 1);
        double sum = 0.0, lo_w = INFINITY;
        size_t n_steps = (size_t)(dur / dt + 0.5);
        for (size_t s = 0; s < n_steps;) {
            double t = (double)s * dt;
            gpu_events(g, t);
            size_t n = gpu_quiet_steps(g, t, n_steps - s);
            double x = gpu_advance(g, t, n, NULL);
            if (x / (double)n < lo_w) lo_w = x / (double)n;
            sum += x;
            s += n;
        }
        double mean = sum / (double)n_steps / 4.0, want = gpu_spike_mean(modes[m]);
        print_message("unit spike train (%s): mean %.7f per card, closed form %.7f\n",
                      m ? "worst" : "typical", mean, want);
        /* worst: the cards share their arrivals, so the noise is one card's over
         * 600 s: 3.4e-5 (3.5 sigma 1.2e-4) */
        assert_true(fabs(mean - want) <= (m ? 1.2e-4 : 5e-5));
        if (m == 0) assert_true(fabs(mean - (1.0 + unthinned)) > 1.5e-4);
        assert_true(fabs(lo_w - 4.0) < 1e-9);     /* 1 W a card between spikes */
        gpu_free(g);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calibration_rtx5090),
        cmocka_unit_test(test_identical_cards),
        cmocka_unit_test(test_power_limit),
        cmocka_unit_test(test_power_limit_worst),
        cmocka_unit_test(test_spike_bounds),
        cmocka_unit_test(test_constant_and_ramp),
        cmocka_unit_test(test_idle),
        cmocka_unit_test(test_training_lockstep),
        cmocka_unit_test(test_training_random),
        cmocka_unit_test(test_training_spikes),
        cmocka_unit_test(test_inference),
        cmocka_unit_test(test_worst_together),
        cmocka_unit_test(test_transients_off),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_stride_equivalence),
        cmocka_unit_test(test_stride_sweep),
        cmocka_unit_test(test_stride_edges),
        cmocka_unit_test(test_stride_queries),
        cmocka_unit_test(test_stride_seed),
        cmocka_unit_test(test_spike_train),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_bad_params),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

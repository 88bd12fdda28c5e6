/* gpu.c — COUNT identical cards: a workload, a power limit and stochastic
 * millisecond transients (gpu.h; DESIGN.md 3 and 4, GPU).
 *
 * Each card, each step of dt starting at t:
 *
 *   demand   D(t)  the workload's level (a table row chosen by name): constant
 *                  fraction * limit; idle idle_w; training limit in the compute
 *                  phase, comm_w in the communication phase; inference limit
 *                  during a burst, idle_w between. idle_w before start_s, and a
 *                  linear ramp idle_w -> D over ramp_s from start_s.
 *   base     B = D * m, m the throttle in [0.2, 1]
 *   power    P = B + max_k (peak_k - B)^+ * f_k   over the card's active spikes
 *                  (f_k = 1, or the spike's share of its last step; at most one
 *                  random spike at a time, see "Spike classes")
 *   average  a += (P - a) * k,   k = 1 - exp(-dt / 1 s)   (exact, DESIGN.md 3)
 *   throttle m += (limit - a) / limit * dt / 0.2 s,  clamped to [0.2, 1]
 *
 * The throttle is an integral controller on the 1 s average, the way
 * `nvidia-smi -pl` bounds the ~1 s average and not the spikes (facts.md 3:
 * NVML power.draw is a 1 s average, S). The 1 s time constant follows that
 * reading window; the 0.2 s integral time is an assumption (U). Linearised at
 * full load (a' = m L - a, m' = (L - a) / (0.2 s L)) the loop has a natural
 * frequency of sqrt(5) rad/s and a damping ratio of 0.22: it settles with a
 * 2 s time constant, while a single spike (<= 12 ms) moves m by well under
 * 0.1 %: the spikes keep their height, the average settles at the limit.
 * Before the average first reaches the limit m waits at 1 (the clamp is the
 * anti-windup), so a full-load start overshoots by the spikes' energy for a
 * few seconds (see the spike rates below).
 *
 * Events (workload phase changes, request arrivals, spike arrivals) are kept as
 * next-event times, compared with the step's end: an event takes effect from
 * the step that contains it. No fmod, no exp() in the step (the factors are
 * computed in gpu_new()); exponential gaps are drawn only when an event fires.
 *
 * Strides (gpu_quiet_steps, gpu_advance): between events a card's demand level
 * D and its set of running spikes are constant, so its power is P = D m (no
 * spike, or one whose peak lies below the base) or P = the highest running peak
 * (D m <= peak); the limiter is then a linear recurrence with constant
 * coefficients and is advanced in closed form. Per card one of three regimes:
 *
 *   frozen  m at a clamp that holds (at 1 while the average stays <= limit, at
 *           0.2 while >= limit): P constant, the average geometric,
 *           a_n = P + (a_0 - P) q^n, q = 1 - k; the step where it crosses the
 *           limit from log((limit - P) / (a_0 - P)) / log q, less one for rounding.
 *   linear  P = D m, m inside its clamps: x' = A x + b for x = (a, m), advanced by
 *           the binary powers A^(2^i) (with b and the sum of P), tabled per level
 *           in gpu_new(): O(log n). The stride must keep m inside [0.2, 1] (and
 *           above peak / D while a spike runs under the base). m(j) is a sum of
 *           the two modes of A; over fewer than pi / arg(lambda) steps (1.4 s /
 *           dt) it has at most one extremum, so the end values decide: m_n in
 *           bounds, no maximum inside (it would need the average to cross the
 *           limit upwards, impossible while P = D m <= D <= limit), and a minimum
 *           inside (average crossing the limit downwards, so a_0 > limit) is
 *           bounded by m_0 - n gain (a_0 - limit): the average never exceeds
 *           max(a_0, limit).
 *   spike   P = peak constant: a geometric, m_j = m_0 + gain (j (limit - P)
 *           - (a_0 - P) q (1 - q^j) / k), concave or convex with its extremum
 *           where the average crosses the limit (log): checked in closed form.
 *
 * A stride that fails a bound is halved until it passes (1: gpu_step()).
 * Steps with an event (an arrival, a phase change, a request, the ramp, a
 * spike's last partial step) are stepped on their own, so the RNG draws happen
 * at the same steps as with gpu_step() alone and runs agree to rounding.
 *
 * Randomness: one gsl_rng (MT19937) per card, seeded from the component seed
 * and the card index through splitmix64 (Steele, Lea, Flood 2014, the mixer of
 * Java's SplittableRandom), plus one shared stream for `worst` transients. Each
 * card draws, in this order at reset, its training phase offset, its first
 * request and its first spike arrivals; later draws happen as events fire, so a
 * run depends only on the seed, never on evaluation order.
 */
#include "gpu.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

/* ------------------------------------------------------------------------- */
/* Constants                                                                 */
/* ------------------------------------------------------------------------- */

#define AVG_TAU_S       1.0   /* limiter's average: NVML's 1 s window (facts.md 3, S) */
#define THROTTLE_TI_S   0.2   /* integral time of the limiter (U, see above) */
#define THROTTLE_MIN    0.2   /* lowest throttle: the card never stops (U) */
#define MAX_CARDS       256   /* count limit: a sanity bound on a rig (U) */
#define MIN_DT_S        1e-8  /* shortest step accepted, s */
#define AMP_LOW         0.9   /* typical spike amplitude u ~ U[0.9, 1.0] (U) */
#define AMP_SPAN        0.1
#define TRAIN_CLASS     2     /* class fired at each training compute-phase start */
#define HOLDOFF_S       10e-3 /* quiet time after a spike before a random one (U) */
#define SHARED_STREAM   UINT64_MAX  /* stream index of the `worst` arrivals (no card's) */
#define STRIDE_BITS     20    /* rows of the stride tables: strides < 2^20 steps */
#define STRIDE_MAX      (((size_t)1 << STRIDE_BITS) - 1)  /* longest stride, steps */
#define PI              3.14159265358979323846

/* ------------------------------------------------------------------------- */
/* Spike classes                                                             */
/* ------------------------------------------------------------------------- */

/* Igor's Lab, RTX 5090 Founders Edition at its 575 W rating (via SlashGear;
 * facts.md 3, S): the highest power of spikes in each duration bin was
 *   < 1 ms 901.1 W,  1-5 ms 823.6 W,  5-10 ms 738.2 W,  10-20 ms 627.5 W.
 * Reading (D): each bin is one spike class of a fixed duration inside the bin
 * whose peak is the bin's value. Peaks are multiples of RATED power so other
 * cards scale with their rating: facts.md has bins for no other card, so that
 * scaling is an assumption (U). The durations inside the bins, the rates and
 * the hold-off are choices (U), made so that the window maxima of a full-load
 * 5090 reproduce the bins. Spikes start one at a time, each at least
 * HOLDOFF_S = 10 ms after the previous one ended (spikes_start()), so a window
 * of 10 ms or less sees at most one spike and one of 20 ms at most two. Window
 * maxima, base B ~ 573 W at the limit, u = 1 (bounds for any seed and run
 * length):
 *
 *   window | from                                   | max, W | bin, W
 *   100 us | class 0                                |  901   |  901
 *   1 ms   | class 1                                |  824   |  824
 *   5 ms   | class 2                                |  738   |  738
 *   10 ms  | class 2: (5 x 738 + 5 x 573) / 10      |  656   |  628 (+4 %)
 *   20 ms  | class 2, 10 ms gap, class 2:           |  656   |  628 (+4 %)
 *          |   (10 x 738 + 10 x 573) / 20           |        |
 *          | class 3 alone: (12 x 628 + 8 x 573) / 20 = 606 (-3 %)
 *
 * Why not the first readings: with class 2 at 6 ms a 10 ms window gives
 * (6 x 738 + 4 x 573) / 10 = 672 (+7 %) on its own, so 5 ms, the bin's lower
 * edge. Without the hold-off, Poisson clusters (two 3 ms class 1 spikes 3 ms
 * apart: (6 x 800 + 4 x 570) / 10 = 708) put the 10 ms maximum of a 60 s run
 * at 690-745 W (+10-18 %) with rates 20 / 5 / 2 / 1 per s.
 *
 * Rates: at full load the limiter's integrator waits at m = 1 until the
 * average reaches the limit, so for the first seconds the 1 s average sits at
 * limit + the spikes' energy above the base + Poisson noise. With the rates
 * below that energy is, for mean u = 0.95, 10 x 0.5 ms x 283 W + 0.5 x 2 ms x
 * 209 W + 0.25 x 5 ms x 128 W + 0.125 x 12 ms x 23 W = 1.8 W (0.3 %) at a
 * 575 W limit and 2.9 W (0.65 %) at 450 W, where the spikes, scaled by the
 * 575 W rating, stand higher above the base. Simulated highest 1 s average,
 * full load from t = 0: 575 W limit, 60 s, 40 seeds: worst +0.6 %; 450 W
 * limit, 30 s, 100 seeds: mean +1.1 %, worst +1.8 %; inside the 2 % the limit
 * must hold. Rates of 10 / 2 / 1 / 0.5 per s with 3 and 15 ms classes gave
 * +2.2 % on average at 450 W (worst +2.9 %), 20 / 5 / 2 / 1 per s more. The
 * shorter readings of classes 1 (2 ms) and 3 (12 ms) carry less of that energy
 * for the same peaks. */
struct spike_class {
    double dur_s;     /* fixed duration, s */
    double peak_x;    /* peak as a multiple of rated power */
    double rate_hz;   /* typical Poisson arrival rate, 1/s (U) */
};

enum { SPIKE_CLASSES = GPU_SPIKE_CLASSES };

static const struct spike_class spike_classes[SPIKE_CLASSES] = {
    { 0.5e-3,  901.1 / 575.0, 10.0 },   /* < 1 ms bin:    0.5 ms at 1.567 x rated */
    { 2.0e-3,  823.6 / 575.0, 0.5 },    /* 1-5 ms bin:    2 ms at 1.432 x rated */
    { 5.0e-3,  738.2 / 575.0, 0.25 },   /* 5-10 ms bin:   5 ms at 1.284 x rated */
    { 12.0e-3, 627.5 / 575.0, 0.125 },  /* 10-20 ms bin: 12 ms at 1.091 x rated */
};

/* ------------------------------------------------------------------------- */
/* State                                                                     */
/* ------------------------------------------------------------------------- */

/* The demand levels a card holds outside ramps (gpu_new() fills level_w). */
enum level { LV_IDLE = 0, LV_LIMIT, LV_COMM, LV_FRACTION, LEVELS };

/* How a card's limiter runs over a stride (header, "Strides"). */
enum regime { RG_FROZEN, RG_LINEAR, RG_SPIKE };

struct plan {
    enum regime regime;
    enum level level;      /* the demand level */
    double power_w;        /* FROZEN, SPIKE: the constant power, W */
    double lo, hi;         /* LINEAR, SPIKE: the range m must keep */
    int spiking;           /* 1: a spike runs */
};

/* N steps of the unclamped limiter at one level, x = (average W, throttle):
 * x_N = a x + b, and the sum of P over the N steps is w . x + e (W x steps). */
struct affine {
    double a[2][2];        /* the linear part, per unit of (W, throttle) */
    double b[2];           /* the constant part, (W, throttle) */
    double w[2];           /* the power sum's linear part, steps, W x steps */
    double e;              /* its constant part, W x steps */
};

struct card {
    gsl_rng *rng;                      /* this card's stream (owned) */
    double avg_w;                      /* exponential 1 s average of P, W */
    double m;                          /* throttle, 0.2..1 */
    double power_w;                    /* P over the last step, W */
    /* training */
    double phase0_s;                   /* start of iteration 0, s (start_s - offset) */
    long long iter;                    /* current iteration (-1 before the first) */
    int in_compute;                    /* 1 in the compute phase */
    double next_change_s;              /* next phase change, s */
    /* inference */
    double next_req_s;                 /* next request arrival, s */
    double busy_until_s;               /* the queued bursts end at, s */
    /* transients */
    double next_spike_s[SPIKE_CLASSES];  /* next Poisson arrival per class, s */
    int spike_left[SPIKE_CLASSES];       /* steps left of the active spike (0: none) */
    double spike_peak_w[SPIKE_CLASSES];  /* its peak, W */
    double quiet_until_s;                /* no random spike starts before, s */
    double next_fire_s;                  /* card_fire() fires nothing in a step ending
                                            at or before this (no shared arrival):
                                            its workload's and spikes' next events, s */
    /* stride caches (card_horizon; "Stride caches" below) */
    long long at_step;                   /* the step its state is at (its start;
                                            steps are consecutive: gpu.h) */
    int ahead_ok;                        /* 1: AHEAD and AHEAD_LV hold */
    long long ahead;                     /* the step its next own event ends a stride
                                            at (absolute index; AHEAD_NEVER: none) */
    int ahead_lv;                        /* its demand level (enum level) until then */
    int ahead_spiking;                   /* 1: a spike runs until then ... */
    double ahead_peak;                   /* ... the highest running peak, W */
    int plan_ok;                         /* 1: PLAN is its regime from time PLAN_T */
    double plan_t;
    struct plan plan;
    /* lazy cards (gpu_set_lazy; "Lazy cards" below) */
    long long sync;                      /* the step avg_w, m, power_w and
                                            spike_left are at (its start) */
    long long ev;                        /* the first step it must be visited at */
    int grp;                             /* GRP_NONE, GRP_CONST or GRP_LIN + level */
    int rg;                              /* its regime (enum regime) until EV */
    int lv;                              /* its demand level (enum level) */
    double pw;                           /* FROZEN, SPIKE: its constant power, W */
    size_t hpos;                         /* its place in the heap */
};

struct gpu {
    struct gpu_params p;               /* copy of the validated parameters */
    double k_avg;                      /* 1 - exp(-dt / AVG_TAU_S) */
    double gain;                       /* dt / THROTTLE_TI_S / limit, 1/W */
    double ramp_end_s;                 /* start_s + ramp_s */
    double inv_ramp;                   /* 1 / ramp_s, 1/s (0 without a ramp) */
    double compute_s;                  /* training: duty * period, s */
    double mean_gap_s;                 /* inference: 1 / rate_hz, s (0: no requests) */
    double spike_peak_w[SPIKE_CLASSES];  /* peak_x * rated, W */
    double spike_gap_s[SPIKE_CLASSES];   /* mean gap 1 / rate, s */
    int spike_steps[SPIKE_CLASSES];      /* steps a spike covers, >= 1 */
    double spike_last_f[SPIKE_CLASSES];  /* share of its last step, (0, 1] */
    double spike_quiet_s[SPIKE_CLASSES]; /* spike start to the next random one, s */
    gsl_rng *shared;                   /* worst: the one arrival stream (owned) */
    double shared_next_s[SPIKE_CLASSES]; /* worst: next arrival per class, s */
    size_t n;                          /* cards simulated */
    double mult;                       /* cards each simulated card stands for:
                                          count when all are identical, else 1 */
    struct card *cards;                /* n cards (owned) */
    /* strides */
    double log_q;                      /* ln(1 - k_avg): the average's decay per step */
    double level_w[LEVELS];            /* idle_w, limit_w, comm_w, fraction x limit, W */
    struct affine lin[LEVELS][STRIDE_BITS];  /* 2^i steps of the linear regime */
    size_t lin_cap[LEVELS];            /* longest linear stride (one extremum of m) */
    /* lazy cards: cards 1..n-1 advance as aggregates between their own events */
    int lazy_ok;                       /* gpu_set_lazy(): the engine's stride solver */
    int lazy;                          /* 1: cards 1..n-1 are lazy */
    long long now;                     /* lazy: the step the aggregates are at */
    double now_t;                      /* its time, (double) now dt (NAN from 1e15
                                          steps on, where on_clock() gives up) */
    double agg_a[LEVELS], agg_m[LEVELS];  /* sum of (average, throttle) of the
                                             LINEAR members at each level */
    int agg_n[LEVELS];                 /* their number */
    double agg_w;                      /* sum of the FROZEN and SPIKE members' power, W */
    int agg_wn;                        /* their number */
    size_t *heap;                      /* cards 1..n-1, a min-heap on ev (owned) */
    size_t heap_n;
    size_t *eager;                     /* cards stepped on their own at step eager_at */
    size_t n_eager;
    long long eager_at;
};

/* The next events of the cards, for a stride. */
struct horizon {
    double end_s;          /* earliest event taking effect in the step it falls in
                            * (compared with the step's end, as in gpu_step), s */
    double start_s;        /* earliest level change at a step's start (t >= it), s */
};

/* What a workload asks of a card at one step. */
struct demand {
    double level_w;        /* the demand before ramp and throttle, W */
    int working;           /* 1: new spikes may start */
    int compute_start;     /* 1: a training compute phase began in this step */
};

/* 1 if T is the time of step NOW, as step_index() (below) would find: T = (double)
 * NOW dt gives NOW back from nearbyint(T / dt) (its error is below NOW 2^-52,
 * far under a half for NOW < 1e15), so the two agree; a comparison instead
 * of a division and a rounding call. */
static int on_clock(const gpu *g, double t)
{
    return g->now_t == t;
}

/* The lazy clock to step S. */
static void set_now(gpu *g, long long s)
{
    g->now = s;
    g->now_t = s < 1000000000000000LL ? (double)s * g->p.dt_s : NAN;
}

/* ------------------------------------------------------------------------- */
/* Names                                                                     */
/* ------------------------------------------------------------------------- */

static const char *const sync_names[] = { "lockstep", "random" };
static const char *const transient_names[] = { "off", "typical", "worst" };

/* Index of NAME in NAMES[0..N-1], -1 if absent or NULL. */
static int name_find(const char *const *names, int n, const char *name)
{
    int i;

    if (name == NULL)
        return -1;
    for (i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

int gpu_sync_find(const char *name)
{
    return name_find(sync_names, (int)(sizeof sync_names / sizeof sync_names[0]), name);
}

int gpu_transients_find(const char *name)
{
    return name_find(transient_names,
                     (int)(sizeof transient_names / sizeof transient_names[0]), name);
}

/* ------------------------------------------------------------------------- */
/* Workloads                                                                 */
/* ------------------------------------------------------------------------- */

/* Each advances card C's workload to the step [T, T_END) (only called once work
 * has started, t >= start_s) and says what it asks of the card. */

static struct demand demand_constant(const gpu *g, struct card *c, double t, double t_end)
{
    struct demand d = { g->p.fraction * g->p.limit_w, g->p.fraction > 0, 0 };

    (void)c;
    (void)t;
    (void)t_end;
    return d;
}

static struct demand demand_idle(const gpu *g, struct card *c, double t, double t_end)
{
    struct demand d = { g->p.idle_w, 0, 0 };

    (void)c;
    (void)t;
    (void)t_end;
    return d;
}

/* Iteration i: compute over [b_i, b_i + duty P), communication over
 * [b_i + duty P, b_{i+1}), b_i = phase0 + i P (computed from i, so no drift).
 * Lockstep: phase0 = start_s on every card. Random: phase0 = start_s - offset,
 * offset ~ U[0, P) from the card's stream, so the card joins iteration 0 part
 * way; joining inside a compute phase counts as a compute start (the work
 * begins with a load step). */
static struct demand demand_training(const gpu *g, struct card *c, double t, double t_end)
{
    struct demand d = { 0.0, 0, 0 };
    int started = 0;

    (void)t;
    while (c->next_change_s < t_end) {
        if (c->in_compute) {
            c->in_compute = 0;
            c->next_change_s = c->phase0_s + (double)(c->iter + 1) * g->p.period_s;
        } else {
            c->iter++;
            c->in_compute = 1;
            started = 1;
            c->next_change_s = c->phase0_s + (double)c->iter * g->p.period_s
                               + g->compute_s;
        }
    }
    d.level_w = c->in_compute ? g->p.limit_w : g->p.comm_w;
    d.working = c->in_compute;
    d.compute_start = started && c->in_compute;  /* a zero-length compute phase: none */
    return d;
}

/* Requests queue: each adds a burst after the ones before it, so the long-run
 * share of time at the limit is rate x burst (an M/D/1 server's utilisation;
 * 1 when rate x burst >= 1). */
static struct demand demand_inference(const gpu *g, struct card *c, double t, double t_end)
{
    struct demand d = { 0.0, 0, 0 };

    while (c->next_req_s < t_end) {
        double from = c->busy_until_s > c->next_req_s ? c->busy_until_s : c->next_req_s;

        c->busy_until_s = from + g->p.burst_s;
        c->next_req_s += gsl_ran_exponential(c->rng, g->mean_gap_s);
    }
    d.working = c->busy_until_s > t;
    d.level_w = d.working ? g->p.limit_w : g->p.idle_w;
    return d;
}

/* For strides: each gives card C's level over steps from T on that fire no
 * event of the workload (work started, no ramp), without changing C, and
 * lowers H to the workload's next event. */

static enum level level_constant(const gpu *g, const struct card *c, double t,
                                 struct horizon *h)
{
    (void)g;
    (void)c;
    (void)t;
    (void)h;
    return LV_FRACTION;
}

static enum level level_idle(const gpu *g, const struct card *c, double t,
                             struct horizon *h)
{
    (void)g;
    (void)c;
    (void)t;
    (void)h;
    return LV_IDLE;
}

static enum level level_training(const gpu *g, const struct card *c, double t,
                                 struct horizon *h)
{
    (void)g;
    (void)t;
    if (c->next_change_s < h->end_s)
        h->end_s = c->next_change_s;
    return c->in_compute ? LV_LIMIT : LV_COMM;
}

static enum level level_inference(const gpu *g, const struct card *c, double t,
                                  struct horizon *h)
{
    (void)g;
    if (c->next_req_s < h->end_s)
        h->end_s = c->next_req_s;
    if (!(c->busy_until_s > t))
        return LV_IDLE;
    if (c->busy_until_s < h->start_s)
        h->start_s = c->busy_until_s;   /* the burst ends: back to idle */
    return LV_LIMIT;
}

/* For card_fire()'s shortcut: each gives the earliest time from which card
 * C's workload may change C in a step (advance() changes nothing in a step
 * ending at or before it). */

static double next_none(const gpu *g, const struct card *c)
{
    (void)g;
    (void)c;
    return INFINITY;
}

/* the next phase change, and not before work starts (advance() is not called
 * for a step starting before start_s) */
static double next_training(const gpu *g, const struct card *c)
{
    return c->next_change_s > g->p.start_s ? c->next_change_s : g->p.start_s;
}

/* the next request (after start_s, gpu_reset) */
static double next_inference(const gpu *g, const struct card *c)
{
    (void)g;
    return c->next_req_s;
}

static const struct workload_row {
    const char *name;
    struct demand (*advance)(const gpu *g, struct card *c, double t, double t_end);
    enum level (*level)(const gpu *g, const struct card *c, double t, struct horizon *h);
    double (*next)(const gpu *g, const struct card *c);
} workloads[GPU_WL_COUNT] = {
    [GPU_WL_CONSTANT]  = { "constant",  demand_constant,  level_constant,  next_none },
    [GPU_WL_IDLE]      = { "idle",      demand_idle,      level_idle,      next_none },
    [GPU_WL_TRAINING]  = { "training",  demand_training,  level_training,  next_training },
    [GPU_WL_INFERENCE] = { "inference", demand_inference, level_inference, next_inference },
};

const char *gpu_workload_name(enum gpu_workload w)
{
    return (int)w >= 0 && (int)w < GPU_WL_COUNT ? workloads[w].name : NULL;
}

int gpu_workload_find(const char *name)
{
    int i;

    if (name == NULL)
        return -1;
    for (i = 0; i < GPU_WL_COUNT; i++)
        if (strcmp(workloads[i].name, name) == 0)
            return i;
    return -1;
}

/* ------------------------------------------------------------------------- */
/* Validation                                                                */
/* ------------------------------------------------------------------------- */

/* Writes "gpu: MSG (got VALUE)" into ERR if there is room. */
static void set_err(char *err, size_t errlen, const char *msg, double value)
{
    if (err != NULL && errlen > 0)
        snprintf(err, errlen, "gpu: %s (got %g)", msg, value);
}

/* 1 if P is usable; else 0 with a message. Only the fields of the chosen
 * workload are checked (the others are ignored). */
static int params_ok(const struct gpu_params *p, char *err, size_t errlen)
{
    if (!(isfinite(p->rated_w) && p->rated_w > 0)) {
        set_err(err, errlen, "rated power must be a finite value > 0 W", p->rated_w);
        return 0;
    }
    if (!(isfinite(p->limit_w) && p->limit_w > 0 && p->limit_w <= 1.5 * p->rated_w)) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "gpu: power limit must be > 0 W and at most 1.5 x "
                     "the rated %g W (got %g)", p->rated_w, p->limit_w);
        return 0;
    }
    if (!(isfinite(p->idle_w) && p->idle_w >= 0 && p->idle_w < p->limit_w)) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "gpu: idle power must be >= 0 W and below the "
                     "%g W power limit (got %g)", p->limit_w, p->idle_w);
        return 0;
    }
    if (p->count < 1 || p->count > MAX_CARDS) {
        set_err(err, errlen, "card count must be 1..256", (double)p->count);
        return 0;
    }
    /* 10 ns keeps a spike's step count (12 ms / dt) well inside an int */
    if (!(isfinite(p->dt_s) && p->dt_s >= MIN_DT_S)) {
        set_err(err, errlen, "time step must be a finite value >= 10 ns", p->dt_s);
        return 0;
    }
    if (!(isfinite(p->start_s) && p->start_s >= 0)) {
        set_err(err, errlen, "start time must be a finite value >= 0 s", p->start_s);
        return 0;
    }
    if (!(isfinite(p->ramp_s) && p->ramp_s >= 0)) {
        set_err(err, errlen, "ramp time must be a finite value >= 0 s", p->ramp_s);
        return 0;
    }
    if ((int)p->transients < GPU_TR_OFF || (int)p->transients > GPU_TR_WORST) {
        set_err(err, errlen, "transients must be off, typical or worst",
                (double)p->transients);
        return 0;
    }
    switch (p->workload) {
    case GPU_WL_CONSTANT:
        if (!(p->fraction >= 0 && p->fraction <= 1)) {
            set_err(err, errlen, "constant workload: fraction of the limit must be "
                    "0..1", p->fraction);
            return 0;
        }
        return 1;
    case GPU_WL_IDLE:
        return 1;
    case GPU_WL_TRAINING:
        if (!(isfinite(p->period_s) && p->period_s > p->dt_s)) {
            if (err != NULL && errlen > 0)
                snprintf(err, errlen, "gpu: training: iteration period must be "
                         "longer than the %g s step (got %g)", p->dt_s, p->period_s);
            return 0;
        }
        if (!(p->duty >= 0 && p->duty <= 1)) {
            set_err(err, errlen, "training: duty (compute share of the period) must "
                    "be 0..1", p->duty);
            return 0;
        }
        if (!(isfinite(p->comm_w) && p->comm_w >= 0 && p->comm_w <= p->limit_w)) {
            if (err != NULL && errlen > 0)
                snprintf(err, errlen, "gpu: training: communication power must be "
                         "0..%g W, the power limit (got %g)", p->limit_w, p->comm_w);
            return 0;
        }
        if (p->sync != GPU_SYNC_LOCKSTEP && p->sync != GPU_SYNC_RANDOM) {
            set_err(err, errlen, "training: sync must be lockstep or random",
                    (double)p->sync);
            return 0;
        }
        return 1;
    case GPU_WL_INFERENCE:
        if (!(isfinite(p->rate_hz) && p->rate_hz >= 0)) {
            set_err(err, errlen, "inference: request rate must be a finite value "
                    ">= 0 1/s", p->rate_hz);
            return 0;
        }
        if (!(isfinite(p->burst_s) && p->burst_s > 0)) {
            set_err(err, errlen, "inference: burst length must be a finite value "
                    "> 0 s", p->burst_s);
            return 0;
        }
        return 1;
    default:
        set_err(err, errlen, "workload must be constant, idle, training or inference",
                (double)p->workload);
        return 0;
    }
}

/* ------------------------------------------------------------------------- */
/* Stride tables                                                             */
/* ------------------------------------------------------------------------- */

/* The map of F's steps followed by G's. */
static struct affine affine_then(const struct affine *f, const struct affine *g)
{
    struct affine r;
    int i, j;

    for (i = 0; i < 2; i++) {
        for (j = 0; j < 2; j++)
            r.a[i][j] = g->a[i][0] * f->a[0][j] + g->a[i][1] * f->a[1][j];
        r.b[i] = g->a[i][0] * f->b[0] + g->a[i][1] * f->b[1] + g->b[i];
        r.w[i] = f->w[i] + g->w[0] * f->a[0][i] + g->w[1] * f->a[1][i];
    }
    r.e = f->e + g->w[0] * f->b[0] + g->w[1] * f->b[1] + g->e;
    return r;
}

/* The constants of the stride regimes (header, "Strides"): the levels, the
 * binary powers of one linear step at each, and the longest linear stride. One
 * step at level D: a' = q a + k D m, m' = m + gain (limit - a'), P = D m. A has
 * trace 1 + q - x and determinant q (x = gain k D): for complex eigenvalues
 * lambda the extrema of m are pi / arg(lambda) steps apart (0.9 of that is
 * kept); real ones are positive while the trace is, and m then has at most one
 * extremum at all. A trace <= 0 (dt far beyond the 1 s time scale) disables the
 * linear regime. The discriminant is written without the cancellation of
 * trace^2 - 4 q. */
static void stride_tables(gpu *g)
{
    const struct gpu_params *p = &g->p;
    const double k = g->k_avg, q = 1.0 - k;
    int lv, i;

    g->log_q = log1p(-k);
    g->level_w[LV_IDLE] = p->idle_w;
    g->level_w[LV_LIMIT] = p->limit_w;
    g->level_w[LV_COMM] = p->comm_w;                   /* training only */
    g->level_w[LV_FRACTION] = p->fraction * p->limit_w;  /* constant only */
    for (lv = 0; lv < LEVELS; lv++) {
        const double d = g->level_w[lv], x = g->gain * k * d;
        const double tr = 1.0 + q - x, disc = (k - x) * (k - x) - 4.0 * q * x;
        struct affine *t = g->lin[lv];

        t[0] = (struct affine){ { { q, k * d }, { -g->gain * q, 1.0 - x } },
                                { 0.0, g->gain * p->limit_w }, { 0.0, d }, 0.0 };
        for (i = 1; i < STRIDE_BITS; i++)
            t[i] = affine_then(&t[i - 1], &t[i - 1]);
        g->lin_cap[lv] = STRIDE_MAX;
        if (!(tr > 0)) {
            g->lin_cap[lv] = 1;
        } else if (disc < 0) {
            double cap = 0.9 * PI / atan2(sqrt(-disc), tr);

            if (cap < (double)STRIDE_MAX)
                g->lin_cap[lv] = cap >= 1 ? (size_t)cap : 1;
        }
    }
}

/* ------------------------------------------------------------------------- */
/* Construction                                                              */
/* ------------------------------------------------------------------------- */

/* splitmix64's output function (Steele, Lea, Flood, OOPSLA 2014). */
static uint64_t splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/* The MT19937 seed of stream INDEX (cards 0..n-1, SHARED_STREAM): 32 bits,
 * since gsl's mt19937 keeps only the low 32 bits of its seed. */
static unsigned long stream_seed(uint64_t seed, uint64_t index)
{
    uint64_t x = splitmix64(splitmix64(seed) ^ splitmix64(index + 1));

    return (unsigned long)((x ^ (x >> 32)) & 0xFFFFFFFFULL);
}

gpu *gpu_new(const struct gpu_params *p, char *err, size_t errlen)
{
    gpu *g;
    size_t i;
    int k;

    if (p == NULL) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "gpu: no parameters");
        return NULL;
    }
    if (!params_ok(p, err, errlen))
        return NULL;

    g = calloc(1, sizeof *g);
    if (g == NULL)
        goto oom;
    /* Identical cards (issue 14, 4): a card draws from its own stream only for
     * a random training phase, inference requests and typical spikes. Without
     * those every card runs the same arithmetic on the same inputs (the shared
     * stream of worst spikes included), so one card stands for all: the total is
     * its power times the count, and the cost does not grow with the count. */
    int identical = !(p->workload == GPU_WL_TRAINING && p->sync == GPU_SYNC_RANDOM)
                    && !(p->workload == GPU_WL_INFERENCE && p->rate_hz > 0)
                    && p->transients != GPU_TR_TYPICAL;
    g->n = identical ? 1 : (size_t)p->count;
    g->mult = identical ? (double)p->count : 1.0;
    g->cards = calloc(g->n, sizeof *g->cards);
    if (g->cards == NULL)
        goto oom;
    for (i = 0; i < g->n; i++) {
        g->cards[i].rng = gsl_rng_alloc(gsl_rng_mt19937);
        if (g->cards[i].rng == NULL)
            goto oom;
    }
    g->heap = malloc(g->n * sizeof *g->heap);
    g->eager = malloc(g->n * sizeof *g->eager);
    if (g->heap == NULL || g->eager == NULL)
        goto oom;
    if (p->transients == GPU_TR_WORST) {
        g->shared = gsl_rng_alloc(gsl_rng_mt19937);
        if (g->shared == NULL)
            goto oom;
    }

    g->p = *p;
    g->k_avg = -expm1(-p->dt_s / AVG_TAU_S);
    g->gain = p->dt_s / THROTTLE_TI_S / p->limit_w;
    g->ramp_end_s = p->start_s + p->ramp_s;
    g->inv_ramp = p->ramp_s > 0 ? 1.0 / p->ramp_s : 0.0;
    g->compute_s = p->duty * p->period_s;
    g->mean_gap_s = p->workload == GPU_WL_INFERENCE && p->rate_hz > 0
                    ? 1.0 / p->rate_hz : 0.0;
    for (k = 0; k < SPIKE_CLASSES; k++) {
        const struct spike_class *s = &spike_classes[k];
        /* ceil with a little slack, so 0.5 ms / 50 us is 10 steps, not 11 */
        double x = s->dur_s / p->dt_s, n = ceil(x - 1e-9);

        if (n < 1)
            n = 1;
        g->spike_peak_w[k] = s->peak_x * (p->spike_ref_w > 0 ? p->spike_ref_w : p->rated_w);
        g->spike_gap_s[k] = 1.0 / s->rate_hz;
        g->spike_steps[k] = (int)n;
        g->spike_last_f[k] = x - (n - 1) >= 1 ? 1.0 : x - (n - 1);
        g->spike_quiet_s[k] = s->dur_s + HOLDOFF_S;
    }
    stride_tables(g);
    gpu_reset(g);
    return g;

oom:
    gpu_free(g);
    if (err != NULL && errlen > 0)
        snprintf(err, errlen, "gpu: out of memory (%d cards)", p->count);
    return NULL;
}

void gpu_free(gpu *g)
{
    size_t i;

    if (g == NULL)
        return;
    for (i = 0; g->cards != NULL && i < g->n; i++)
        gsl_rng_free(g->cards[i].rng);
    free(g->cards);
    free(g->heap);
    free(g->eager);
    gsl_rng_free(g->shared);
    free(g);
}

void gpu_reset(gpu *g)
{
    const struct gpu_params *p = &g->p;
    size_t i;
    int k;

    g->lazy = 0;                         /* eager until the first lazy call */
    set_now(g, 0);
    g->heap_n = 0;
    g->n_eager = 0;
    g->eager_at = -1;
    if (g->shared != NULL) {
        gsl_rng_set(g->shared, stream_seed(p->seed, SHARED_STREAM));
        for (k = 0; k < SPIKE_CLASSES; k++)
            g->shared_next_s[k] = gsl_ran_exponential(g->shared, g->spike_gap_s[k]);
    }
    for (i = 0; i < g->n; i++) {
        struct card *c = &g->cards[i];
        double offset = 0.0;

        gsl_rng_set(c->rng, stream_seed(p->seed, i));
        c->avg_w = p->idle_w;          /* idle before the work starts */
        c->m = 1.0;
        c->power_w = 0.0;
        /* training: the card is OFFSET into iteration 0 at start_s; the phase
         * change before iteration 0 is its first compute start, b_0 */
        if (p->workload == GPU_WL_TRAINING && p->sync == GPU_SYNC_RANDOM)
            offset = gsl_rng_uniform(c->rng) * p->period_s;
        c->phase0_s = p->start_s - offset;
        c->iter = -1;
        c->in_compute = 0;
        c->next_change_s = c->phase0_s;
        c->quiet_until_s = 0.0;
        /* inference: the first request after start_s */
        c->busy_until_s = -INFINITY;
        c->next_req_s = g->mean_gap_s > 0
                        ? p->start_s + gsl_ran_exponential(c->rng, g->mean_gap_s)
                        : INFINITY;
        for (k = 0; k < SPIKE_CLASSES; k++) {
            c->next_spike_s[k] = p->transients == GPU_TR_TYPICAL
                                 ? gsl_ran_exponential(c->rng, g->spike_gap_s[k])
                                 : INFINITY;
            c->spike_left[k] = 0;
            c->spike_peak_w[k] = 0.0;
        }
        c->next_fire_s = -INFINITY;    /* card_fire() sets it at the first step */
        c->at_step = 0;
        c->ahead_ok = c->plan_ok = 0;
    }
}

/* ------------------------------------------------------------------------- */
/* Stepping                                                                  */
/* ------------------------------------------------------------------------- */

/* Spike arrivals. Typical: each card's own Poisson stream per class, drawn
 * whether or not the card works (so the stream does not depend on the
 * workload). Worst: the shared stream's arrivals, at u = 1, for every card in
 * the same step. An arrival starts a spike only while the card works (an idle
 * card, a communication phase or the gap between inference bursts makes no
 * load step) and once the card is quiet: no spike running and HOLDOFF_S past
 * the end of the last one; arrivals before then are dropped (classes are tried
 * in table order within a step). Either mode adds a class 2 spike at each
 * training compute-phase start, which only waits for a running class 2 spike. */
static void spikes_start(gpu *g, struct card *c, const struct demand *d,
                         const int *shared_fired, double t, double t_end)
{
    int k;

    for (k = 0; k < SPIKE_CLASSES; k++) {
        int arrived = shared_fired[k], forced;

        while (c->next_spike_s[k] < t_end) {
            arrived = 1;
            c->next_spike_s[k] += gsl_ran_exponential(c->rng, g->spike_gap_s[k]);
        }
        forced = k == TRAIN_CLASS && d->compute_start;
        if (!(forced || (arrived && d->working && t >= c->quiet_until_s))
            || c->spike_left[k] > 0)
            continue;
        c->spike_left[k] = g->spike_steps[k];
        c->spike_peak_w[k] = g->spike_peak_w[k]
            * (g->p.transients == GPU_TR_WORST ? 1.0
               : AMP_LOW + AMP_SPAN * gsl_rng_uniform(c->rng));
        if (c->quiet_until_s < t + g->spike_quiet_s[k])
            c->quiet_until_s = t + g->spike_quiet_s[k];
    }
}

/* The shared stream's arrivals in the step ending at T_END (worst): FIRED[k]
 * set for each class that arrived. 1 if any did. */
static int shared_fire(gpu *g, double t_end, int *fired)
{
    int k, any = 0;

    if (g->shared == NULL)
        return 0;
    for (k = 0; k < SPIKE_CLASSES; k++)
        while (g->shared_next_s[k] < t_end) {
            fired[k] = any = 1;
            g->shared_next_s[k] += gsl_ran_exponential(g->shared, g->spike_gap_s[k]);
        }
    return any;
}

/* Card C's events of the step [T, T_END): its workload, then its spikes (with
 * the shared arrivals FIRED); returns what the workload asks of the step. A
 * second call for the same step fires nothing and returns the same demand. */
static struct demand card_fire(gpu *g, struct card *c, const int *fired, double t,
                               double t_end)
{
    const struct gpu_params *p = &g->p;
    struct demand d = { p->idle_w, 0, 0 };
    double e;
    int k;

    if (t >= p->start_s)
        d = workloads[p->workload].advance(g, c, t, t_end);
    if (p->transients != GPU_TR_OFF)
        spikes_start(g, c, &d, fired, t, t_end);
    e = workloads[p->workload].next(g, c);
    for (k = 0; k < SPIKE_CLASSES; k++)
        if (c->next_spike_s[k] < e)
            e = c->next_spike_s[k];
    c->next_fire_s = e;
    c->ahead_ok = c->plan_ok = 0;        /* its events and state may have changed */
    return d;
}

/* card_fire() where only its events matter (gpu_events()): a step ending at
 * or before C's next_fire_s, without a shared arrival (ANY 0), fires nothing
 * (its workload does not change, no spike arrives, none is forced: a forced
 * one needs a compute phase to begin), so card_fire() is skipped. */
static void card_events(gpu *g, struct card *c, const int *fired, int any, double t,
                        double t_end)
{
    if (any || c->next_fire_s < t_end)
        (void)card_fire(g, c, fired, t, t_end);
}

/* One step of card C from T (its events first): its power over the step, W. */
static double card_step(gpu *g, struct card *c, const int *fired, double t)
{
    const struct gpu_params *p = &g->p;
    const struct demand d = card_fire(g, c, fired, t, t + p->dt_s);
    double level = d.level_w, base, power;
    int k;

    if (t >= p->start_s && t < g->ramp_end_s)
        level = p->idle_w + (level - p->idle_w) * ((t - p->start_s) * g->inv_ramp);
    base = level * c->m;
    power = base;
    for (k = 0; k < SPIKE_CLASSES; k++) {
        double f, x;

        if (c->spike_left[k] == 0)
            continue;
        f = c->spike_left[k] == 1 ? g->spike_last_f[k] : 1.0;
        x = base + (c->spike_peak_w[k] - base) * f;
        if (x > power)
            power = x;
        c->spike_left[k]--;
    }
    c->power_w = power;
    c->at_step++;
    c->avg_w += (power - c->avg_w) * g->k_avg;
    c->m += (p->limit_w - c->avg_w) * g->gain;
    if (c->m > 1.0)
        c->m = 1.0;
    else if (c->m < THROTTLE_MIN)
        c->m = THROTTLE_MIN;
    return power;
}

/* gpu_events() and gpu_step() with every card visited (no lazy cards). */
static void events_eager(gpu *g, double t)
{
    int fired[SPIKE_CLASSES] = { 0 };
    const int any = shared_fire(g, t + g->p.dt_s, fired);
    size_t i;

    for (i = 0; i < g->n; i++)
        card_events(g, &g->cards[i], fired, any, t, t + g->p.dt_s);
}

static double step_eager(gpu *g, double t)
{
    int fired[SPIKE_CLASSES] = { 0 };
    double total = 0.0;
    size_t i;

    (void)shared_fire(g, t + g->p.dt_s, fired);
    for (i = 0; i < g->n; i++)
        total += card_step(g, &g->cards[i], fired, t);
    return total * g->mult;
}

/* ------------------------------------------------------------------------- */
/* Strides                                                                   */
/* ------------------------------------------------------------------------- */

/* Far enough past any stride, in steps. */
#define STRIDE_FAR ((long long)STRIDE_MAX + 1)

/* 1 with S = T / DT if T is exactly (double)S * DT, the engine's clock. */
static int step_index(double t, double dt, long long *s)
{
    double x = nearbyint(t / dt);

    if (!(x >= 0 && x < 1e15))
        return 0;
    *s = (long long)x;
    return (double)*s * dt == t;
}

/* The first step J >= S that an event at E falls in: E < J dt + dt, the end of
 * step J as gpu_step() computes it (S + STRIDE_FAR if beyond). */
static long long step_ending_after(double e, double dt, long long s)
{
    double x = floor(e / dt);
    long long j;

    if (!(x < (double)(s + STRIDE_FAR)))
        return s + STRIDE_FAR;
    j = x - 1 > (double)s ? (long long)x - 1 : s;
    while (j > s && e < (double)(j - 1) * dt + dt)
        j--;
    while (!(e < (double)j * dt + dt))
        j++;
    return j;
}

/* The first step J >= S starting at or after E: J dt >= E. */
static long long step_starting_at(double e, double dt, long long s)
{
    double x = floor(e / dt);
    long long j;

    if (!(x < (double)(s + STRIDE_FAR)))
        return s + STRIDE_FAR;
    j = x - 1 > (double)s ? (long long)x - 1 : s;
    while (j > s && (double)(j - 1) * dt >= e)
        j--;
    while (!((double)j * dt >= e))
        j++;
    return j;
}

/* Card C's level over quiet steps from T: the workload's once it started,
 * idle before. */
static enum level card_level(const gpu *g, const struct card *c, double t,
                             struct horizon *h)
{
    return t >= g->p.start_s ? workloads[g->p.workload].level(g, c, t, h) : LV_IDLE;
}

/* 1 if a spike of card C runs, with *PEAK the highest running peak, W (0
 * if none). */
static int card_peak(const struct card *c, double *peak)
{
    int spiking = 0, k;

    *peak = 0.0;
    for (k = 0; k < SPIKE_CLASSES; k++)
        if (c->spike_left[k] > 0 && (!spiking || c->spike_peak_w[k] > *peak)) {
            *peak = c->spike_peak_w[k];
            spiking = 1;
        }
    return spiking;
}

/* Card C's regime at level LV, SPIKING and PEAK from card_peak(). The power
 * is max(D m, highest running peak); a clamp holds while the first step's
 * average stays on its side. */
static void card_plan(const gpu *g, const struct card *c, enum level lv, int spiking,
                      double peak, struct plan *pl)
{
    const double lim = g->p.limit_w, d = g->level_w[lv];

    pl->spiking = spiking;
    pl->level = lv;
    pl->power_w = 0.0;
    pl->lo = THROTTLE_MIN;
    pl->hi = 1.0;
    if (c->m == 1.0 || c->m == THROTTLE_MIN) {
        double base = d * c->m, pw = spiking && peak > base ? peak : base;
        double a1 = c->avg_w + (pw - c->avg_w) * g->k_avg;

        if (c->m == 1.0 ? a1 <= lim : a1 >= lim) {
            pl->regime = RG_FROZEN;
            pl->power_w = pw;
            return;
        }
    }
    if (!spiking || d * c->m > peak) {
        pl->regime = RG_LINEAR;          /* P = D m: keep D m above the peak */
        if (spiking && peak / d > THROTTLE_MIN)
            pl->lo = peak / d;
    } else {
        pl->regime = RG_SPIKE;           /* P = peak: keep D m at or below it */
        pl->power_w = peak;
        if (d > 0 && peak / d < 1.0)
            pl->hi = peak / d;
    }
}

/* FROZEN: steps (<= N) the clamp holds while the average runs from A0 towards
 * PW (step 1 holds): all if PW is on the clamp's side of the limit, else up to
 * q^j >= (limit - PW) / (A0 - PW), one step short for rounding. */
static size_t frozen_steps(const gpu *g, double a0, double pw, int top, size_t n)
{
    const double lim = g->p.limit_w;
    double x;

    if (top ? pw <= lim : pw >= lim)
        return n;
    x = floor(log((lim - pw) / (a0 - pw)) / g->log_q) - 1;
    if (x >= (double)n)
        return n;
    return x >= 1 ? (size_t)x : 1;
}

/* LINEAR, COUNT cards summed (A, M their sums; the map is affine, so the sum
 * follows it with COUNT times the constant part): N steps by the table TAB,
 * the power sum added to *SUM. */
static void linear_apply_n(const struct affine *tab, size_t n, double count, double *a,
                           double *m, double *sum)
{
    size_t i;

    for (i = 0; n != 0; i++, n >>= 1) {
        const struct affine *f = &tab[i];
        double a1, m1;

        if (!(n & 1))
            continue;
        *sum += f->w[0] * *a + f->w[1] * *m + count * f->e;
        a1 = f->a[0][0] * *a + f->a[0][1] * *m + count * f->b[0];
        m1 = f->a[1][0] * *a + f->a[1][1] * *m + count * f->b[1];
        *a = a1;
        *m = m1;
    }
}

/* LINEAR: advances (A, M) N steps from the table TAB; adds the power to *SUM.
 * (COUNT 1: 1.0 x is exact, so this is the single card's arithmetic.) */
static void linear_apply(const struct affine *tab, size_t n, double *a, double *m,
                         double *sum)
{
    linear_apply_n(tab, n, 1.0, a, m, sum);
}

/* LINEAR: steps (<= N) with m inside [lo, hi] (header, "Strides"). */
static size_t linear_steps(const gpu *g, const struct card *c, const struct plan *pl,
                           size_t n)
{
    const double lim = g->p.limit_w, a0 = c->avg_w, m0 = c->m;
    const double a1 = a0 + (g->level_w[pl->level] * m0 - a0) * g->k_avg;

    if (n > g->lin_cap[pl->level])
        n = g->lin_cap[pl->level];
    for (; n > 1; n /= 2) {
        double an = a0, mn = m0, sum = 0.0;

        linear_apply(g->lin[pl->level], n, &an, &mn, &sum);
        if (mn < pl->lo || mn > pl->hi || (a1 <= lim && an > lim))
            continue;                    /* out at the end, or a maximum inside */
        if (a1 > lim && an < lim) {      /* a minimum inside: m falls <= this a step */
            double fall = g->gain * (a0 - lim);

            if (m0 - (double)n * fall < pl->lo) {
                double x = floor((m0 - pl->lo) / fall);

                return x >= 1 ? (size_t)x : 1;
            }
        }
        return n;
    }
    return 1;
}

/* SPIKE: m after J (real) steps at constant power PW from (A0, M0). */
static double spike_throttle(const gpu *g, double a0, double m0, double pw, double j)
{
    return m0 + g->gain * (j * (g->p.limit_w - pw)
                           + (a0 - pw) * (1.0 - g->k_avg) * expm1(j * g->log_q) / g->k_avg);
}

/* SPIKE: steps (<= N) with m inside [lo, hi], at the end and at the extremum
 * (where the average crosses the limit) if it lies inside. */
static size_t spike_steps(const gpu *g, const struct card *c, const struct plan *pl,
                          size_t n)
{
    const double lim = g->p.limit_w, pw = pl->power_w, a0 = c->avg_w, m0 = c->m;
    const double r = (lim - pw) / (a0 - pw);
    double xs = -1.0, ms = m0;

    if (r > 0 && r < 1) {
        xs = log(r) / g->log_q;
        ms = spike_throttle(g, a0, m0, pw, xs);
    }
    for (; n > 1; n /= 2) {
        double mn = spike_throttle(g, a0, m0, pw, (double)n);

        if (mn < pl->lo || mn > pl->hi)
            continue;
        if (xs > 0 && xs < (double)n && (ms < pl->lo || ms > pl->hi))
            continue;
        return n;
    }
    return 1;
}

/* Stride caches. A stride ends at the first of a card's own events (its
 * workload's next change, a spike's arrival or the end of its full steps,
 * start_s) and where its limiter leaves its regime. The first part is the
 * same step index from every step before it until one of the card's events
 * fires (card_fire() drops it), so card_ahead()'s answer is kept (ahead, as
 * an absolute step) and a stride from a later step costs a subtraction; the
 * regime part depends on the limiter's state and is planned afresh each time.
 * Only an answer found at the step the card's state is at (at_step) is kept
 * and used: a query for another step is answered afresh. The plan
 * card_horizon() makes is kept for card_advance() at the same time (plan,
 * plan_t), until the card's state changes. Both give exactly what a fresh
 * computation gives: the strides, and so the runs, stay bit for bit
 * (tests/test_gpu.c, test_stride_queries). */

#define AHEAD_NEVER LLONG_MAX            /* no event ahead */

/* The first step J >= S (= T / dt) at which card C's next own event ends a
 * stride (its workload's, a spike's arrival or the end of a spike's full
 * steps, start_s): steps S .. J-1 hold none; *LV gets its level over them.
 * *KEEP: 1 if J is the answer from every step up to J as well (no cap of
 * step_ending_after() or step_starting_at() on a finite time was hit). */
static long long card_ahead(const gpu *g, const struct card *c, double t, long long s,
                            enum level *lv, int *keep)
{
    const struct gpu_params *p = &g->p;
    struct horizon h = { INFINITY, INFINITY };
    long long e = AHEAD_NEVER, j;
    int k;

    *keep = 1;
    if (t < p->start_s)
        h.start_s = p->start_s;
    *lv = card_level(g, c, t, &h);
    for (k = 0; k < SPIKE_CLASSES; k++) {
        if (c->next_spike_s[k] < h.end_s)
            h.end_s = c->next_spike_s[k];
        if (c->spike_left[k] == 0)
            continue;
        /* the steps at the full peak; a partial last step ends the stride */
        j = s + c->spike_left[k] - (g->spike_last_f[k] < 1.0);
        if (j < e)
            e = j;
    }
    /* from any step S' in S .. J the two searches find the same J (the first
     * step past the time from S on is the first from S' on); a time beyond the
     * searches' reach gives S + STRIDE_FAR, an answer for S alone */
    j = step_ending_after(h.end_s, p->dt_s, s);
    if (j == s + STRIDE_FAR)
        *keep &= h.end_s == INFINITY;
    if (j < e && h.end_s != INFINITY)
        e = j;
    j = step_starting_at(h.start_s, p->dt_s, s);
    if (j == s + STRIDE_FAR)
        *keep &= h.start_s == INFINITY;
    if (j < e && h.start_s != INFINITY)
        e = j;
    return e;
}

/* Steps (<= N) card C can advance in one stride from step S (= T / dt): no
 * event of its own (workload, spike arrival or end, start_s) in them and its
 * limiter in one regime, which PL receives (and C's plan cache). 0 or 1: step
 * it on its own. */
static size_t card_horizon(const gpu *g, struct card *c, double t, long long s,
                           size_t n, struct plan *pl)
{
    const struct gpu_params *p = &g->p;
    long long j;

    if (t >= p->start_s && t < g->ramp_end_s)
        return 1;                        /* the ramp: a new level every step */
    /* kept from a step its state was at, for one its state is at: a query at
     * another step is answered afresh (and not kept) */
    if (!(c->ahead_ok && s == c->at_step && c->ahead - s >= 2)) {
        enum level lv;
        int keep;

        c->ahead = card_ahead(g, c, t, s, &lv, &keep);
        c->ahead_lv = (int)lv;
        c->ahead_spiking = card_peak(c, &c->ahead_peak);
        c->ahead_ok = keep && s == c->at_step;
    }
    j = c->ahead - s;
    if ((long long)n > j)
        n = (size_t)j;
    if (n <= 1)
        return n;
    card_plan(g, c, (enum level)c->ahead_lv, c->ahead_spiking, c->ahead_peak, pl);
    c->plan = *pl;
    c->plan_t = t;
    c->plan_ok = 1;
    switch (pl->regime) {
    case RG_FROZEN:
        return frozen_steps(g, c->avg_w, pl->power_w, c->m == 1.0, n);
    case RG_LINEAR:
        return linear_steps(g, c, pl, n);
    default:
        return spike_steps(g, c, pl, n);
    }
}

/* Card C's (average, throttle) after K steps in regime RG at level LV (power
 * PW for FROZEN and SPIKE) from its state; *POWER gets the last step's power
 * (unchanged for K = 0). DECAY is expm1(K ln q), or NAN to compute it. */
static void card_state_after(const gpu *g, const struct card *c, int rg, int lv,
                             double pw, long long k, double decay, double *a, double *m,
                             double *power)
{
    double sum = 0.0;

    *a = c->avg_w;
    *m = c->m;
    *power = c->power_w;
    if (k <= 0)
        return;
    if (rg == RG_LINEAR) {
        linear_apply(g->lin[lv], (size_t)k, a, m, &sum);
        /* the last step ran on m_(k-1) = m_k - gain (limit - a_k) */
        *power = g->level_w[lv] * (*m - (g->p.limit_w - *a) * g->gain);
    } else {
        if (isnan(decay))
            decay = expm1((double)k * g->log_q);
        if (rg == RG_SPIKE)
            *m = spike_throttle(g, *a, *m, pw, (double)k);
        *a -= (pw - *a) * decay;
        *power = pw;
    }
    if (*m > 1.0)                        /* rounding only: the stride kept m inside */
        *m = 1.0;
    else if (*m < THROTTLE_MIN)
        *m = THROTTLE_MIN;
}

/* Advances card C N steps from T (N <= card_horizon()); returns the sum of its
 * power over them, W x steps. *DECAY: expm1(N ln q), shared by the cards,
 * computed by the first that needs it (NAN until then). */
static double card_advance(gpu *g, struct card *c, double t, size_t n, double *decay)
{
    struct plan pl;
    double sum;
    int k;

    if (c->plan_ok && c->plan_t == t) {
        pl = c->plan;                    /* card_horizon()'s, for this state */
    } else {
        struct horizon none = { INFINITY, INFINITY };
        double peak;
        int spiking = card_peak(c, &peak);

        card_plan(g, c, card_level(g, c, t, &none), spiking, peak, &pl);
    }
    c->plan_ok = 0;
    c->at_step += (long long)n;
    if (pl.regime == RG_LINEAR) {
        sum = 0.0;
        linear_apply(g->lin[pl.level], n, &c->avg_w, &c->m, &sum);
        c->power_w = g->level_w[pl.level] * (c->m - (g->p.limit_w - c->avg_w) * g->gain);
    } else {
        if (isnan(*decay))
            *decay = expm1((double)n * g->log_q);
        if (pl.regime == RG_SPIKE)
            c->m = spike_throttle(g, c->avg_w, c->m, pl.power_w, (double)n);
        c->avg_w -= (pl.power_w - c->avg_w) * *decay;
        c->power_w = pl.power_w;
        sum = (double)n * pl.power_w;
    }
    if (c->m > 1.0)                      /* rounding only: the stride kept m inside */
        c->m = 1.0;
    else if (c->m < THROTTLE_MIN)
        c->m = THROTTLE_MIN;
    for (k = 0; pl.spiking && k < SPIKE_CLASSES; k++)
        if (c->spike_left[k] > 0)
            c->spike_left[k] = c->spike_left[k] > (int)n ? c->spike_left[k] - (int)n : 0;
    return sum;
}

/* ------------------------------------------------------------------------- */
/* Lazy cards                                                                */
/* ------------------------------------------------------------------------- */

/* With many cards of their own streams (issue 14, 4: 64 cards should cost
 * about what 8 do) a stride that visits every card costs O(cards), and every
 * card's event ends a stride. Lazy cards are visited only at their own
 * events: between them a card's limiter is in one regime (header, "Strides")
 * whose map is the same for every card, so the cards are kept as aggregates.
 * Cards in the LINEAR regime at level D follow x' = A x + b with the same A
 * and b, so their sum X follows X' = A X + N b and their power sum w . X + N e
 * (exact: the map is affine); FROZEN and SPIKE cards draw a constant power,
 * summed. Each card keeps the step it was last brought up to date (sync) and
 * the step it must be visited at (ev: its next event, or the end of its
 * regime's validity), in a min-heap. A visit brings the card to the present
 * in closed form (the same closed forms as a stride of that many steps),
 * takes it out of its aggregate, fires its events (the same RNG draws at the
 * same steps as gpu_step()), plans its next regime and puts it back. A card
 * whose regime holds for no more than this step (a clamp about to bind, a
 * spike's partial last step, the ramp) is stepped on its own, like gpu_step().
 * Card 0 is never lazy (the engine takes its power for the connector).
 * Cost per stride: O(log cards) per card event plus O(levels log n); the
 * results agree with gpu_step() to rounding (tests/test_gpu.c, lazy cases).
 * Only the engine's stride solver asks for it: the fixed path stays eager. */

enum { GRP_NONE = -2, GRP_CONST = -1, GRP_LIN = 0 };

static int heap_less(const gpu *g, size_t i, size_t j)
{
    return g->cards[g->heap[i]].ev < g->cards[g->heap[j]].ev;
}

static void heap_swap(gpu *g, size_t i, size_t j)
{
    size_t x = g->heap[i];

    g->heap[i] = g->heap[j];
    g->heap[j] = x;
    g->cards[g->heap[i]].hpos = i;
    g->cards[g->heap[j]].hpos = j;
}

/* Restores the heap after the key at position POS changed. */
static void heap_fix(gpu *g, size_t pos)
{
    while (pos > 0 && heap_less(g, pos, (pos - 1) / 2)) {
        heap_swap(g, pos, (pos - 1) / 2);
        pos = (pos - 1) / 2;
    }
    for (;;) {
        size_t l = 2 * pos + 1, r = l + 1, m = pos;

        if (l < g->heap_n && heap_less(g, l, m))
            m = l;
        if (r < g->heap_n && heap_less(g, r, m))
            m = r;
        if (m == pos)
            return;
        heap_swap(g, pos, m);
        pos = m;
    }
}

/* Brings lazy card C up to step NOW (its state in closed form) and takes it
 * out of its aggregate. */
static void card_sync(gpu *g, struct card *c)
{
    const long long k = g->now - c->sync;
    double a, m, pw;
    int j;

    c->at_step = g->now;
    if (c->grp == GRP_NONE) {
        c->sync = g->now;
        return;
    }
    card_state_after(g, c, c->rg, c->lv, c->pw, k, NAN, &a, &m, &pw);
    c->avg_w = a;
    c->m = m;
    c->power_w = pw;
    c->plan_ok = 0;
    for (j = 0; j < SPIKE_CLASSES; j++)
        if (c->spike_left[j] > 0)
            c->spike_left[j] = c->spike_left[j] > k ? c->spike_left[j] - (int)k : 0;
    if (c->grp == GRP_CONST) {
        g->agg_w -= c->pw;
        if (--g->agg_wn == 0)
            g->agg_w = 0.0;              /* no rounding left behind */
    } else {
        g->agg_a[c->lv] -= a;
        g->agg_m[c->lv] -= m;
        if (--g->agg_n[c->lv] == 0)
            g->agg_a[c->lv] = g->agg_m[c->lv] = 0.0;
    }
    c->grp = GRP_NONE;
    c->sync = g->now;
}

/* Plans lazy card C (up to date at step NOW = T / dt, its events fired): into
 * an aggregate until its horizon, or stepped on its own in this step. */
static void card_schedule(gpu *g, struct card *c, double t)
{
    struct plan pl;
    size_t n = card_horizon(g, c, t, g->now, STRIDE_MAX, &pl);

    if (n <= 1) {
        c->ev = g->now + 1;
        g->eager[g->n_eager++] = (size_t)(c - g->cards);
    } else {
        c->rg = (int)pl.regime;
        c->lv = (int)pl.level;
        c->pw = pl.power_w;
        c->ev = g->now + (long long)n;
        if (pl.regime == RG_LINEAR) {
            c->grp = GRP_LIN + c->lv;
            g->agg_a[c->lv] += c->avg_w;
            g->agg_m[c->lv] += c->m;
            g->agg_n[c->lv]++;
        } else {
            c->grp = GRP_CONST;
            g->agg_w += c->pw;
            g->agg_wn++;
        }
    }
    heap_fix(g, c->hpos);
}

/* Every lazy card up to date at NOW, and back to eager stepping. */
static void lazy_leave(gpu *g)
{
    size_t i;

    for (i = 1; i < g->n; i++)
        card_sync(g, &g->cards[i]);
    g->lazy = 0;
    g->n_eager = 0;
}

/* Switches lazy stepping on or off for the call at step S (time T): on where
 * allowed, for several cards of their own, outside the ramp, on the step grid;
 * a call off the lazy clock (S != NOW) goes back to eager. lazy_check() is
 * the common case first: lazy, on its clock, outside the ramp. */
static void lazy_switch(gpu *g, double t)
{
    const struct gpu_params *p = &g->p;
    const int ramp = t >= p->start_s && t < g->ramp_end_s;
    long long s;
    int want;
    size_t i;
    int k;

    want = g->lazy_ok && g->n >= 2 && !ramp && step_index(t, p->dt_s, &s);
    if (g->lazy && (!want || s != g->now))
        lazy_leave(g);
    if (g->lazy || !want)
        return;
    g->lazy = 1;
    set_now(g, s);
    for (k = 0; k < LEVELS; k++) {
        g->agg_a[k] = g->agg_m[k] = 0.0;
        g->agg_n[k] = 0;
    }
    g->agg_w = 0.0;
    g->agg_wn = 0;
    g->heap_n = 0;
    for (i = 1; i < g->n; i++) {
        struct card *c = &g->cards[i];

        c->sync = c->ev = s;             /* due now: gpu_events() plans them */
        c->grp = GRP_NONE;
        c->hpos = g->heap_n;
        g->heap[g->heap_n++] = i;
    }
    g->n_eager = 0;
    g->eager_at = -1;
}

static void lazy_check(gpu *g, double t)
{
    if (!(g->lazy && on_clock(g, t) && !(t >= g->p.start_s && t < g->ramp_end_s)))
        lazy_switch(g, t);
}

void gpu_set_lazy(gpu *g, int on)
{
    if (!on && g->lazy)
        lazy_leave(g);
    g->lazy_ok = on != 0;
}

void gpu_events(gpu *g, double t)
{
    const double t_end = t + g->p.dt_s;
    int fired[SPIKE_CLASSES] = { 0 };
    size_t i;
    int any;

    lazy_check(g, t);
    if (!g->lazy) {
        events_eager(g, t);
        return;
    }
    if (g->eager_at != g->now) {
        g->eager_at = g->now;
        g->n_eager = 0;
    }
    any = shared_fire(g, t_end, fired);
    if (any)                             /* worst: every card is due (all keys */
        for (i = 1; i < g->n; i++)       /* equal and lowest: still a heap) */
            g->cards[i].ev = g->now;
    card_events(g, &g->cards[0], fired, any, t, t_end);
    while (g->heap_n > 0 && g->cards[g->heap[0]].ev <= g->now) {
        struct card *c = &g->cards[g->heap[0]];

        card_sync(g, c);
        card_events(g, c, fired, any, t, t_end);
        card_schedule(g, c, t);
    }
}

double gpu_step(gpu *g, double t)
{
    const int zero[SPIKE_CLASSES] = { 0 };
    double total, sum = 0.0;
    size_t i;
    int k;

    lazy_check(g, t);
    if (!g->lazy)
        return step_eager(g, t);
    gpu_events(g, t);
    total = card_step(g, &g->cards[0], zero, t);
    for (i = 0; i < g->n_eager; i++) {
        struct card *c = &g->cards[g->eager[i]];

        total += card_step(g, c, zero, t);
        c->sync = g->now + 1;
    }
    g->n_eager = 0;
    for (k = 0; k < LEVELS; k++)
        if (g->agg_n[k] > 0)
            linear_apply_n(g->lin[k], 1, (double)g->agg_n[k], &g->agg_a[k], &g->agg_m[k],
                           &sum);
    total += sum + g->agg_w;
    set_now(g, g->now + 1);
    return total;
}

size_t gpu_quiet_steps(gpu *g, double t, size_t n_max)
{
    const struct gpu_params *p = &g->p;
    size_t n = n_max < STRIDE_MAX ? n_max : STRIDE_MAX, i;
    struct plan pl;
    long long s, j;
    int k;

    if (n <= 1)
        return 1;
    if (g->lazy && on_clock(g, t))
        s = g->now;                      /* what step_index() gives, cheaper */
    else if (!step_index(t, p->dt_s, &s))
        return 1;
    if (t >= p->start_s && t < g->ramp_end_s)
        return 1;                        /* the ramp: a new level every step */
    if (g->shared != NULL) {
        double e = INFINITY;

        for (k = 0; k < SPIKE_CLASSES; k++)
            if (g->shared_next_s[k] < e)
                e = g->shared_next_s[k];
        j = step_ending_after(e, p->dt_s, s) - s;
        if ((long long)n > j)
            n = j >= 1 ? (size_t)j : 1;
    }
    if (g->lazy) {
        if (s != g->now || (g->eager_at == s && g->n_eager > 0))
            return 1;
        if (g->heap_n > 0) {
            j = g->cards[g->heap[0]].ev - s;
            if (j < 2)
                return 1;
            if ((long long)n > j)
                n = (size_t)j;
        }
        n = card_horizon(g, &g->cards[0], t, s, n, &pl);
        return n >= 1 ? n : 1;
    }
    for (i = 0; n > 1 && i < g->n; i++)
        n = card_horizon(g, &g->cards[i], t, s, n, &pl);
    return n >= 1 ? n : 1;
}

double gpu_advance(gpu *g, double t, size_t n, double *unit_sum)
{
    double total = 0.0, decay, sum;
    size_t i;
    int k;

    if (n <= 1) {
        total = n == 1 ? gpu_step(g, t) : 0.0;
        if (unit_sum != NULL)
            *unit_sum = n == 1 ? g->cards[0].power_w : 0.0;
        return total;
    }
    lazy_check(g, t);
    decay = NAN;                         /* one exp() for every card, if needed */
    sum = card_advance(g, &g->cards[0], t, n, &decay);
    if (unit_sum != NULL)
        *unit_sum = sum;
    total = sum;
    if (!g->lazy) {
        for (i = 1; i < g->n; i++)
            total += card_advance(g, &g->cards[i], t, n, &decay);
        return total * g->mult;
    }
    sum = 0.0;
    for (k = 0; k < LEVELS; k++)
        if (g->agg_n[k] > 0)
            linear_apply_n(g->lin[k], n, (double)g->agg_n[k], &g->agg_a[k], &g->agg_m[k],
                           &sum);
    total += sum + (double)n * g->agg_w;
    set_now(g, g->now + (long long)n);
    return total;
}

/* ------------------------------------------------------------------------- */
/* Queries                                                                   */
/* ------------------------------------------------------------------------- */

/* NAN for K out of range. */
/* The simulated card that card K is (card 0 stands for all identical ones),
 * or NULL for K out of range. */
static const struct card *card_of(const gpu *g, size_t k)
{
    if (k >= (size_t)g->p.count)
        return NULL;
    return &g->cards[k < g->n ? k : 0];
}

/* Card C's (average, throttle, last power) now: a lazy card's in closed form
 * from its last visit. */
static void card_view(const gpu *g, const struct card *c, double *a, double *m,
                      double *pw)
{
    if (g->lazy && c != &g->cards[0] && c->grp != GRP_NONE)
        card_state_after(g, c, c->rg, c->lv, c->pw, g->now - c->sync, NAN, a, m, pw);
    else {
        *a = c->avg_w;
        *m = c->m;
        *pw = c->power_w;
    }
}

double gpu_card_power(const gpu *g, size_t k)
{
    const struct card *c = card_of(g, k);
    double a, m, pw;

    if (c == NULL)
        return NAN;
    card_view(g, c, &a, &m, &pw);
    return pw;
}

size_t gpu_count(const gpu *g)
{
    return (size_t)g->p.count;
}

/* NAN for K out of range. */
double gpu_card_average(const gpu *g, size_t k)
{
    const struct card *c = card_of(g, k);
    double a, m, pw;

    if (c == NULL)
        return NAN;
    card_view(g, c, &a, &m, &pw);
    return a;
}

/* NAN for K out of range. */
double gpu_card_throttle(const gpu *g, size_t k)
{
    const struct card *c = card_of(g, k);
    double a, m, pw;

    if (c == NULL)
        return NAN;
    card_view(g, c, &a, &m, &pw);
    return m;
}

/* ------------------------------------------------------------------------- */
/* The spike model on its own                                                */
/* ------------------------------------------------------------------------- */

/* A unit spike train (gpu.h): a 1 W card at full load. The limit is the most
 * params_ok() accepts, 1.5 x rated, and the constant workload's share 1 / 1.5
 * puts the level at 1 W: the 1 s average stays near 1 W (+0.3 %, the spikes'
 * energy, "Rates" above), below the limit, so the throttle waits at its clamp
 * of 1 and the base is the level. */
void gpu_spike_train(struct gpu_params *p, int cards, enum gpu_transients transients,
                     uint64_t seed, double dt_s)
{
    memset(p, 0, sizeof *p);
    p->rated_w = 1.0;
    p->limit_w = 1.5;
    p->idle_w = 0.0;
    p->count = cards < 1 ? 1 : cards > MAX_CARDS ? MAX_CARDS : cards;
    p->workload = GPU_WL_CONSTANT;
    p->fraction = 1.0 / 1.5;
    p->sync = GPU_SYNC_LOCKSTEP;
    p->transients = transients;
    p->seed = seed;
    p->dt_s = dt_s;
}

/* The mean of one card of the unit train. Random spikes (spikes_start) form an
 * alternating renewal process: the card waits quiet for the first arrival of
 * any class, an exponential time of mean 1 / R with R = sum r_k (Poisson
 * streams are memoryless, so the arrivals dropped while it was blocked do not
 * matter), the arrival is of class k with probability r_k / R, then the card
 * is blocked for d_k + HOLDOFF_S. Per cycle of mean length
 * (1 + sum_j r_j (d_j + H)) / R, class k fires r_k / R times: its rate is
 * r_k' = r_k / (1 + sum_j r_j (d_j + H)) (renewal-reward theorem; Ross,
 * Stochastic Processes, 2nd ed., 3.6). A class k spike adds
 * d_k E[(u peak_k - 1)^+] above the 1 W base (P = max(base, spike)), with u ~
 * U[AMP_LOW, AMP_LOW + AMP_SPAN] (typical) or u = 1 (worst, where all cards
 * share the arrivals but each is blocked the same way). In steps of dt an
 * arrival starts at its step's start and a card unblocks at the first step
 * start after d_k + H: the rates shift by about R dt / 2 (3e-4 at 50 us), the
 * mean by 1e-6. */
double gpu_spike_mean(enum gpu_transients transients)
{
    double busy = 1.0, extra = 0.0;
    int k;

    if (transients == GPU_TR_OFF)
        return 1.0;
    for (k = 0; k < SPIKE_CLASSES; k++)
        busy += spike_classes[k].rate_hz * (spike_classes[k].dur_s + HOLDOFF_S);
    for (k = 0; k < SPIKE_CLASSES; k++) {
        const struct spike_class *c = &spike_classes[k];
        double e;   /* E[(u peak - 1)^+] */

        if (transients == GPU_TR_WORST) {
            e = c->peak_x > 1.0 ? c->peak_x - 1.0 : 0.0;
        } else {
            double hi = AMP_LOW + AMP_SPAN, lo = 1.0 / c->peak_x;

            if (lo < AMP_LOW)
                lo = AMP_LOW;
            e = lo < hi ? (c->peak_x * (hi * hi - lo * lo) / 2.0 - (hi - lo)) / AMP_SPAN
                        : 0.0;
        }
        extra += c->rate_hz / busy * c->dur_s * e;
    }
    return 1.0 + extra;
}

void gpu_spike_info(struct gpu_spike_info *out)
{
    int k;

    for (k = 0; k < SPIKE_CLASSES; k++) {
        out->dur_s[k] = spike_classes[k].dur_s;
        out->peak_x[k] = spike_classes[k].peak_x;
        out->rate_hz[k] = spike_classes[k].rate_hz;
    }
    out->holdoff_s = HOLDOFF_S;
    out->amp_lo = AMP_LOW;
    out->amp_hi = AMP_LOW + AMP_SPAN;
}

/* probe.c — running window averages and their maxima (probe.h).
 *
 * History as runs. The last n_max steps (n_max the longest window) are kept
 * run-length encoded in a ring of runs (value, count); the newest run, the head,
 * grows while the same value is pushed. Before the first sample the ring holds
 * one run of n_max zeros, so averages ramp up from 0 (probe.h). Every run has at
 * least one step, so the longest window touches at most n_max runs, and a ring
 * of n_max + 1 runs (one more for the run being started) never overwrites a run
 * still in use, whatever the signal: as many entries as a ring of one sample per
 * step, 24 bytes each (value, count and a ramp's slope; DESIGN.md 3: "running
 * sums over ring buffers").
 *
 * Windows. Window k (n_k steps) knows where its oldest step is: the tail run t_k
 * (value y_k) and how many of its steps are still in the window (r_k). A step
 * with value x adds x and drops one step of y_k; when r_k reaches 0 the tail
 * moves on to the next run.
 *
 * Segments. Between two events (the head changes value, the tail moves to another
 * run, a rebuild) every step adds the same d_k = x - y_k, so the sum is kept as
 *
 *   sum_k = a_k + m_k * d_k      (a_k the sum at the event, m_k steps since)
 *
 * rather than accumulated step by step (a_k is stored only once m_k > 0; d_k is
 * computed when needed). probe_push() advances m_k by one;
 * probe_push_n() jumps to the next event at once with exactly the same
 * arithmetic (seg_sum()), so both leave the same sums, bit for bit, for the same
 * steps however they were grouped. When the tail reaches the head run the window
 * holds n_k equal samples: its sum is set to n_k * x and stays so until the head
 * changes value, however many steps go by.
 *
 * Maxima, kept as sums (the window's length is fixed) with the step they were
 * reached at; a step records a new maximum only if it is strictly higher, so a
 * plateau keeps the step it was first reached. Within a segment the computed sum
 * fl(a + fl(m d)) is monotone in m (rounding is monotone): non-decreasing if d >
 * 0, non-increasing otherwise. Single steps would therefore record, from a
 * segment, either its first step (d <= 0) or the first step whose sum equals the
 * segment's last one (d > 0). probe_push_n() evaluates just those: the last step,
 * the one before it and, only when d is below the sum's resolution so that
 * several steps round to the same sum, a bisection (at most 64 evaluations).
 * Event steps whose sum is replaced (tail reaching the head, rebuild) are checked
 * on their own. Maxima and their steps are thus those of single pushes exactly.
 *
 * Rounding. Each segment leaves its rounding in the sum it ends with, the next
 * one's a: with d = fl(x - y) and s = fl(a + fl(m d)), |fl(m d)| <= |a| + |s|
 * (1 + u), so a segment's error is at most u |s| + 2 u (|a| + |s|) (1 + 2u)
 * (u = 2^-53), and summed over the segments since the sum was last set afresh
 * (a_i the i-th one's start, s the sum now)
 *
 *   |error| <= 5.01 u sum_i |a_i| + 3.01 u |s| <= err + SEG_ERR |s|,
 *
 * err being the sum of SEG_ERR |a_i| (SEG_ERR = 4 eps = 8 u) that each window
 * keeps as its segments start. These errors do not cancel and would random-walk
 * over 1e9 steps. At each rebuild step (when the count of steps pushed is a
 * multiple of n_max, as the old sample ring wrapped) a window whose bound err +
 * SEG_ERR |s| could exceed REBUILD_REL |s| (2^-43, about 1.1e-13) has its sum
 * rebuilt from its runs: the sum of count * value with compensated (Neumaier)
 * summation, each product's own rounding error (fma) added to the
 * compensation, as the old ring's samples were; err starts again from 0, as it
 * does when the tail reaches the head run (n_k x, one rounding). A ramp's
 * segments (closed forms, several roundings that can cancel) set err to
 * infinity: rebuilt at the next rebuild step, as before. The bound, then: at
 * a rebuild step every window's sum is within 2^-43 (relative) of the exact
 * sum, plus the few ulps of its last rebuild (when every window was rebuilt
 * at every rebuild step: those few ulps alone); between two rebuild steps it
 * carries at most the rounding of the segments of n_max steps more (up to two
 * per step), as before. Sums of like samples reach 2^-43 only after about a
 * hundred segments, so most rebuild steps rebuild nothing (the engine's
 * half-cycle windows of a few runs each were rebuilt every n_max steps). The
 * decision depends only on the sums and the segments, the same for single
 * pushes and runs, so these stay equal bit for bit.
 * A window lying in the head run is skipped: its sum is already n_k * x. The cost
 * is the runs in the window (at most n_k) every n_max steps at most;
 * probe_push_n() meets at most one rebuild per window before the tail reaches
 * the head (the tail moves at most n_k <= n_max steps), and none after.
 *
 * Samples are expected finite: a NaN makes a window's sum NaN until it has left
 * the window and either a rebuild has come or the window lies in one run (the
 * maxima ignore NaN).
 *
 * Allocation happens only in probe_new().
 */
#include "probe.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest window accepted, steps (the ring has one run more, 16 bytes each): a
 * longer window at this step is almost certainly a unit mistake (e.g. 1 h at
 * 10 us). */
#define PROBE_MAX_ENTRIES 1e8

/* Ring entries in use at first (ring_advance grows it). */
#define RING_START 64

/* ------------------------------------------------------------------------- */
/* State                                                                     */
/* ------------------------------------------------------------------------- */

/* Consecutive steps of one value. */
struct run {
    double v;      /* the samples' value (a ramp's first) */
    size_t count;  /* how many steps, >= 1 */
    double dv;     /* 0, or a ramp's step (probe_push_ramp): step i is v + i dv */
};

/* One window: where its tail is, and its sum as a segment (see the top). */
struct window {
    size_t steps;       /* length, steps (>= 1) */
    size_t t;           /* tail run: ring index of the window's oldest step */
    size_t r;           /* steps of the tail run still in the window, >= 1 */
    double a;           /* the sum at the segment's start (if m > 0) */
    double m;           /* steps since then (a whole number, < 2^53); at 0 the
                         * segment starts from sum, and a is not kept */
    double sum;         /* the sum of the window's samples now */
    double max;         /* highest sum in the current block; -INFINITY before any */
    uint64_t max_step;  /* the step it was first reached at (1 = first sample) */
    double best;        /* highest sum of the blocks closed by probe_block_max() */
    uint64_t best_step; /* its step */
    double err;         /* bound on the rounding the segments since the sum was
                         * last set afresh have left in it (top: "Rounding");
                         * INFINITY once a ramp took part */
};

struct probe {
    double dt_s;                            /* step, s */
    size_t n;                               /* windows in use, 1..PROBE_MAX_WINDOWS */
    struct window w[PROBE_MAX_WINDOWS];     /* the windows */
    struct run *runs;                       /* ring of n_max + 1 runs (owned) */
    size_t n_runs;                          /* its size, n_max + 1 */
    size_t cap;                             /* the part in use, <= n_runs (see
                                               ring_advance) */
    size_t longest;                         /* index of the longest window */
    size_t head;                            /* ring index of the newest run */
    size_t n_max;                           /* the longest window, steps */
    size_t phase;                           /* pushed mod n_max: rebuild at 0 */
    uint64_t pushed;                        /* samples pushed since new/reset */
    uint64_t ramp_clear;                    /* from this count of pushed samples
                                               on, no ramp run is in a window */
};

/* ------------------------------------------------------------------------- */
/* Construction                                                              */
/* ------------------------------------------------------------------------- */

/* Writes "probe: MSG (got VALUE)" into ERR if there is room. */
static void set_err(char *err, size_t errlen, const char *msg, double value)
{
    if (err != NULL && errlen > 0)
        snprintf(err, errlen, "probe: %s (got %g)", msg, value);
}

probe *probe_new(const double *window_s, size_t n, double dt_s, char *err, size_t errlen)
{
    size_t steps[PROBE_MAX_WINDOWS];
    size_t k, n_max = 1;
    probe *p;

    if (n < 1 || n > PROBE_MAX_WINDOWS) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "probe: number of windows must be 1..%d (got %zu)",
                     (int)PROBE_MAX_WINDOWS, n);
        return NULL;
    }
    if (window_s == NULL) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "probe: no window lengths");
        return NULL;
    }
    if (!(isfinite(dt_s) && dt_s > 0)) {
        set_err(err, errlen, "time step must be a finite value > 0 s", dt_s);
        return NULL;
    }
    for (k = 0; k < n; k++) {
        double w = window_s[k], r;

        if (!(isfinite(w) && w > 0)) {
            if (err != NULL && errlen > 0)
                snprintf(err, errlen, "probe: window %zu must be a finite length "
                         "> 0 s (got %g)", k, w);
            return NULL;
        }
        /* Nearest whole number of steps, at least one (probe.h). */
        r = floor(w / dt_s + 0.5);
        if (r > PROBE_MAX_ENTRIES) {
            if (err != NULL && errlen > 0)
                snprintf(err, errlen, "probe: window %zu of %g s at a step of %g s "
                         "needs %.0f entries, more than the %.0f allowed", k, w,
                         dt_s, r, PROBE_MAX_ENTRIES);
            return NULL;
        }
        steps[k] = r >= 1 ? (size_t)r : 1;
        if (steps[k] > n_max)
            n_max = steps[k];
    }

    p = malloc(sizeof *p);
    if (p != NULL) {
        p->runs = calloc(n_max + 1, sizeof *p->runs);
        if (p->runs == NULL) {
            free(p);
            p = NULL;
        }
    }
    if (p == NULL) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "probe: out of memory (%zu runs)", n_max + 1);
        return NULL;
    }
    p->dt_s = dt_s;
    p->n = n;
    p->n_max = n_max;
    p->n_runs = n_max + 1;
    p->longest = 0;
    for (k = 0; k < n; k++) {
        p->w[k].steps = steps[k];
        if (steps[k] > steps[p->longest])
            p->longest = k;
    }
    probe_reset(p);
    return p;
}

void probe_free(probe *p)
{
    if (p == NULL)
        return;
    free(p->runs);
    free(p);
}

void probe_reset(probe *p)
{
    size_t k;

    /* One run of n_max zeros: the signal before the first sample. Every window
     * lies in it (in the head run, its sum n_k * 0). */
    p->runs[0].v = 0.0;
    p->runs[0].dv = 0.0;
    p->runs[0].count = p->n_max;
    p->head = 0;
    p->cap = p->n_runs < RING_START ? p->n_runs : RING_START;
    for (k = 0; k < p->n; k++) {
        struct window *w = &p->w[k];

        w->t = 0;
        w->r = w->steps;
        w->a = w->m = w->sum = w->err = 0.0;
        w->max = -INFINITY;
        w->max_step = 0;
        w->best = -INFINITY;
        w->best_step = 0;
    }
    p->phase = 0;
    p->pushed = 0;
    p->ramp_clear = 0;
}

/* ------------------------------------------------------------------------- */
/* Sums                                                                      */
/* ------------------------------------------------------------------------- */

/* The sum M steps into a segment that started at sum A and adds D a step. Two
 * statements, so that no compiler contracts them into an fma at one call site
 * and not at another: probe_push() and probe_push_n() must round alike. */
static double seg_sum(double a, double m, double d)
{
    double md = m * d;

    return a + md;
}

/* The bound on the rounding a segment leaves in a window's sum, per unit of
 * |a|, its starting sum (top: "Rounding"): at least 5 u, u = DBL_EPSILON / 2. */
#define SEG_ERR (4.0 * DBL_EPSILON)

/* A window's sum is rebuilt at a rebuild step when the bound on its rounding
 * could exceed this share of it (2^-43, about 1.1e-13). */
#define REBUILD_REL 0x1p-43

/* Whether a sum SUM whose finished segments have left at most ERR of rounding
 * is rebuilt at a rebuild step: the current segment adds at most SEG_ERR |SUM|
 * more (top: "Rounding"). A NaN or a ramp's (ERR infinite) always is. */
static int stale(double err, double sum)
{
    return !(err + SEG_ERR * fabs(sum) <= REBUILD_REL * fabs(sum));
}

/* Adds X to the compensated sum (S, C): Knuth's TwoSum takes the addition's
 * rounding error exactly, without a branch; with the errors summed apart, this
 * is Neumaier's improved Kahan-Babuska sum (Neumaier 1974; Ogita, Rump and
 * Oishi 2005, "Sum2"). */
static void acc_add(double *s, double *c, double x)
{
    double t = *s + x, z = t - *s;

    *c += (*s - (t - z)) + (x - z);
    *s = t;
}

/* Adds COUNT * V: for a count above 1 the product's own rounding error, taken
 * exactly with fma, goes into the compensation too. */
static void acc_add_run(double *s, double *c, double count, double v)
{
    double x = count * v;

    if (count != 1.0)
        *c += fma(count, v, -x);
    acc_add(s, c, x);
}

/* I0 + (I0 + 1) + ... + (I0 + N - 1): the index sum of N steps of a ramp from
 * its step I0 (exact while the result stays below 2^53). */
static double ramp_index_sum(double i0, double n)
{
    return n * i0 + n * (n - 1.0) / 2.0;
}

/* Adds the runs RUNS[FROM .. TO - 1], alternately into two sums (the additions
 * of one sum wait for each other; two halve the wait), which are then joined
 * (the sums in locals: fma() is a call). */
static void acc_add_runs(double *s, double *c, const struct run *runs, size_t from,
                         size_t to)
{
    double s0 = *s, c0 = *c, s1 = 0.0, c1 = 0.0;
    size_t i;

    for (i = from; i + 1 < to; i += 2) {
        if (runs[i].count == 1)
            acc_add(&s0, &c0, runs[i].v);
        else
            acc_add_run(&s0, &c0, (double)runs[i].count, runs[i].v);
        if (runs[i + 1].count == 1)
            acc_add(&s1, &c1, runs[i + 1].v);
        else
            acc_add_run(&s1, &c1, (double)runs[i + 1].count, runs[i + 1].v);
        if (runs[i].dv != 0.0)
            acc_add(&s0, &c0, runs[i].dv * ramp_index_sum(0.0, (double)runs[i].count));
        if (runs[i + 1].dv != 0.0)
            acc_add(&s1, &c1, runs[i + 1].dv * ramp_index_sum(0.0, (double)runs[i + 1].count));
    }
    if (i < to) {
        acc_add_run(&s0, &c0, (double)runs[i].count, runs[i].v);
        if (runs[i].dv != 0.0)
            acc_add(&s0, &c0, runs[i].dv * ramp_index_sum(0.0, (double)runs[i].count));
    }
    acc_add(&s0, &c0, s1);
    *s = s0;
    *c = c0 + c1;
}

static size_t ring_next(const probe *p, size_t i)
{
    return i + 1 == p->cap ? 0 : i + 1;
}

/* The ring index for a new head run. The ring starts with RING_START entries in
 * use and doubles (up to n_max + 1) only when the new run would land on the
 * longest window's tail, a run still in use: a signal with few runs per window
 * touches few entries, so the memory a run touches stays flat in its duration
 * (calloc's pages are not resident until written). Growing moves the wrapped
 * part of the ring, [tail, cap), to the end of the larger ring: O(runs in use),
 * at most log2(n_max) times per run. */
static size_t ring_grow(probe *p, size_t t)
{
    size_t old = p->cap, cap = 2 * old < p->n_runs ? 2 * old : p->n_runs, k;

    if (t > p->head) {   /* wrapped: the part from the tail moves to the end */
        size_t shift = cap - old;
        memmove(&p->runs[t + shift], &p->runs[t], (old - t) * sizeof *p->runs);
        for (k = 0; k < p->n; k++)
            if (p->w[k].t >= t)
                p->w[k].t += shift;
    }
    p->cap = cap;
    return ring_next(p, p->head);
}

/* The common case inline, the growing (ring_grow) apart. */
static inline size_t ring_advance(probe *p)
{
    size_t next = ring_next(p, p->head), t = p->w[p->longest].t;

    if (next != t || t == p->head || p->cap >= p->n_runs)
        return next;
    return ring_grow(p, t);
}

/* A window's sum recomputed from its runs, its tail run TAIL with R steps in the
 * window, the head run having HEAD_COUNT steps (all in the window: the tail is in
 * an older run). Within a few ulps of the
 * exact sum. */
static double window_exact(const probe *p, size_t tail, size_t r, size_t head_count)
{
    double s = 0.0, c = 0.0;
    size_t from = ring_next(p, tail);
    const struct run *t = &p->runs[tail], *h = &p->runs[p->head];

    acc_add_run(&s, &c, (double)r, t->v);
    if (t->dv != 0.0)    /* a ramp's last r of its count steps */
        acc_add(&s, &c, t->dv * ramp_index_sum((double)(t->count - r), (double)r));
    if (from <= p->head) {
        acc_add_runs(&s, &c, p->runs, from, p->head);
    } else {   /* the ring wraps between the tail and the head */
        acc_add_runs(&s, &c, p->runs, from, p->cap);
        acc_add_runs(&s, &c, p->runs, 0, p->head);
    }
    acc_add_run(&s, &c, (double)head_count, h->v);
    if (h->dv != 0.0)
        acc_add(&s, &c, h->dv * ramp_index_sum(0.0, (double)head_count));
    return s + c;
}

/* ------------------------------------------------------------------------- */
/* Windows                                                                   */
/* ------------------------------------------------------------------------- */

/* The last step of W's tail run has just left, the window's sum being S: the
 * tail moves to the next run and a segment starts from S. Reaching the head run,
 * the window holds n_k samples of its value: the sum becomes n_k * x and stays.
 * Returns the sum. */
static inline double tail_next(const probe *p, struct window *w, double s)
{
    const size_t head = p->head, t = ring_next(p, w->t);

    w->t = t;
    if (t == head) {
        w->r = w->steps;
        s = (double)w->steps * p->runs[head].v;
        w->err = 0.0;
    } else {
        w->r = p->runs[t].count;
    }
    w->m = 0.0;
    w->sum = s;
    return s;
}

/* Records SUM at STEP if it is strictly higher than W's maximum (NaN never is). */
static void max_check(struct window *w, double sum, uint64_t step)
{
    if (sum > w->max) {
        w->max = sum;
        w->max_step = step;
    }
}

/* The sum W's segment started from. */
static double seg_base(const struct window *w)
{
    return w->m == 0.0 ? w->sum : w->a;
}

/* In a segment from A adding D > 0 a step, m = M steps in: the lowest of the
 * next steps 1 .. K (K >= 1) whose sum equals LAST, the sum at step K (the sum
 * is non-decreasing: top, "Maxima"). Mostly K itself; a bisection when D is
 * below the sum's resolution. */
static uint64_t seg_first(double a, double m, double d, uint64_t k, double last)
{
    uint64_t lo = 1, hi = k - 1;

    if (k == 1 || seg_sum(a, m + (double)(k - 1), d) < last)
        return k;
    while (lo < hi) {   /* invariant: the step at hi reaches LAST */
        uint64_t mid = lo + (hi - lo) / 2;

        if (seg_sum(a, m + (double)mid, d) >= last)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* The value of the step W's tail run gives up next (a ramp's moves on). */
static double tail_value(const probe *p, const struct window *w)
{
    const struct run *t = &p->runs[w->t];

    return t->dv != 0.0 ? t->v + t->dv * (double)(t->count - w->r) : t->v;
}

/* Ramps (probe_push_ramp): while a ramp comes in or leaves, each step adds
 * d0 + i dd (i = 0, 1, ...), so K steps after the sum A it is
 *   f(K) = A + K d0 + dd K (K - 1) / 2,
 * a parabola in K: its highest value over K = 1 .. L is at an end or, for
 * dd < 0, at the step nearest its vertex K* = 1/2 - d0 / dd. These segments
 * are summed directly (no (a, m) segment is kept, m = 0 after), so a ramp's
 * sums agree with single pushes to rounding, not to the bit; constant runs
 * keep the exact arithmetic above. W's maximum after the next L steps (steps
 * STEP0 + 1 .. STEP0 + L). */
static void ramp_seg_max(struct window *w, double a, double d0, double dd, uint64_t l,
                         uint64_t step0)
{
    double k1, k2, ks;

    if (l == 0)
        return;
    max_check(w, a + d0, step0 + 1);
    if (dd < 0) {
        ks = floor(0.5 - d0 / dd);      /* the vertex's step and the next */
        if (ks > 0.0 && ks < (double)l)
            for (k1 = ks; k1 < ks + 1.5; k1 += 1.0)
                if (k1 > 1.0 && k1 < (double)l)
                    max_check(w, a + k1 * d0 + dd * k1 * (k1 - 1.0) / 2.0,
                              step0 + (uint64_t)k1);
    }
    k2 = (double)l;
    if (l > 1)
        max_check(w, a + k2 * d0 + dd * k2 * (k2 - 1.0) / 2.0, step0 + l);
}

/* One segment of L steps of W whose first added sample is X and then moves by
 * DX a step, its tail run a ramp or not: the maximum over its steps (all, or
 * all but the last when REPLACED: its sum is replaced and checked after), the
 * sum and the tail's count. STEP0 is the step before the segment. */
static void ramp_seg(const probe *p, struct window *w, double x, double dx, uint64_t l,
                     int replaced, uint64_t step0)
{
    const double d0 = x - tail_value(p, w), dd = dx - p->runs[w->t].dv, a = w->sum;
    const double n = (double)l;

    ramp_seg_max(w, a, d0, dd, replaced ? l - 1 : l, step0);
    w->sum = a + n * d0 + dd * n * (n - 1.0) / 2.0;
    w->m = 0.0;
    w->r -= (size_t)l;
    w->err = INFINITY;   /* a ramp's sums: rebuilt at the next rebuild step */
}

/* Whether window W, not in the head run, whose segment starts now from its sum
 * adding D a step, goes through its next L (<= n_max) steps without a rebuild,
 * the first rebuild step being RB steps on: RB after them, or the sum then not
 * stale(), or the tail reaching the head run by then (L = RB, only asked so
 * then). The segment is not cut there either: cutting it where nothing is
 * rebuilt leaves the same sums and maxima (top: "Maxima"). */
static int no_rebuild(const struct window *w, double d, uint64_t l, uint64_t rb)
{
    const double a = w->sum;

    return rb > l || (rb == l && l == w->r)
           || !stale(w->err + SEG_ERR * fabs(a), seg_sum(a, (double)rb, d));
}

/* N steps of value X (the head's) in window W (n_k >= 2), the head run having had
 * COUNT0 steps before them: steps STEP0 + 1 .. STEP0 + N, the first rebuild at
 * STEP0 + RB. The same events, in the same order and with the same arithmetic, as
 * N calls of probe_push(). The window's state and maximum are held in locals
 * over the loop (a store into the window could otherwise alias a run's count or
 * value and force reloads): per segment a few loads from the tail run, the sum,
 * and one comparison with the maximum. */
static void window_push_n(const probe *p, struct window *w, double x, uint64_t n,
                          size_t count0, uint64_t step0, uint64_t rb, int ramps)
{
    if (w->t == p->head) {
        /* In the head run (the head extended): the sum does not change. */
        max_check(w, w->sum, step0 + 1);
        return;
    }
    const struct run *const runs = p->runs;
    const size_t head = p->head, cap = p->cap;
    size_t t = w->t, r = w->r;
    double sum = w->sum, a = w->a, max = w->max;
    double m = count0 == 0 ? 0.0 : w->m;      /* a new head run: a new segment */
    double err = w->err;
    uint64_t max_step = w->max_step, j = 0;   /* j: steps done */

    while (j < n) {
        uint64_t len = r;
        size_t next;
        int rebuild, replaced;

        if (t == head) {
            /* The window lies in the head run: its sum no longer changes. */
            if (sum > max) {
                max = sum;
                max_step = step0 + j + 1;
            }
            break;
        }
        next = t + 1 == cap ? 0 : t + 1;
        if (j + r < rb && j + r <= n && !(ramps && runs[t].dv != 0.0)) {
            /* The common case, one whole constant run leaving before the next
             * rebuild: the body below with len = r, rebuild = 0, replaced =
             * reaching the head run. */
            const double d = x - runs[t].v;
            const int last = next == head;
            const uint64_t k = r - (uint64_t)last;

            if (m == 0.0) {
                a = sum;
                err += SEG_ERR * fabs(a);
            }
            if (k > 0) {
                double c = seg_sum(a, d > 0 ? m + (double)k : m + 1.0, d);

                if (c > max) {
                    max = c;
                    max_step = step0 + j + (d > 0 ? seg_first(a, m, d, k, c) : 1);
                }
            }
            j += r;
            t = next;
            if (last) {
                r = w->steps;
                sum = (double)w->steps * runs[head].v;
                err = 0.0;
                if (sum > max) {
                    max = sum;
                    max_step = step0 + j;
                }
            } else {
                sum = seg_sum(a, m + (double)r, d);
                r = runs[t].count;
            }
            m = 0.0;
            continue;
        }
        if (n < rb && !(ramps && runs[t].dv != 0.0)) {
            /* The push ends inside the tail run (j + r > n) before the next
             * rebuild: the body below with len = n - j, nothing replaced. */
            const double d = x - runs[t].v;
            const uint64_t k = n - j;

            if (m == 0.0) {
                a = sum;
                err += SEG_ERR * fabs(a);
            }
            double c = seg_sum(a, d > 0 ? m + (double)k : m + 1.0, d);
            if (c > max) {
                max = c;
                max_step = step0 + j + (d > 0 ? seg_first(a, m, d, k, c) : 1);
            }
            m += (double)k;
            sum = seg_sum(a, m, d);
            r -= (size_t)k;
            break;
        }
        /* Up to the next event: the tail leaving its run, a rebuild, or the end. */
        if (rb - j < len)
            len = rb - j;
        if (n - j < len)
            len = n - j;
        rebuild = j + len == rb;
        replaced = rebuild || (len == r && next == head);
        if (runs[t].dv != 0.0) {   /* a ramp leaves: ramp_seg() on the window */
            w->t = t;
            w->r = r;
            w->sum = sum;
            w->max = max;
            w->max_step = max_step;
            ramp_seg(p, w, x, 0.0, len, replaced, step0 + j);
            err = INFINITY;
            sum = w->sum;
            max = w->max;
            max_step = w->max_step;
            m = 0.0;
            r -= (size_t)len;
        } else {
            const double d = x - runs[t].v;
            const uint64_t k = replaced ? len - 1 : len;

            if (m == 0.0) {
                a = sum;
                err += SEG_ERR * fabs(a);
            }
            /* The maximum over the segment's steps m + 1 .. m + k (top:
             * "Maxima"): non-increasing, its first; non-decreasing, its last,
             * first reached at the lowest step with the same sum. */
            if (k > 0) {
                if (!(d > 0)) {
                    double first = seg_sum(a, m + 1.0, d);

                    if (first > max) {
                        max = first;
                        max_step = step0 + j + 1;
                    }
                } else {
                    double last = seg_sum(a, m + (double)k, d);

                    if (last > max) {
                        max = last;
                        max_step = step0 + j + seg_first(a, m, d, k, last);
                    }
                }
            }
            m += (double)len;
            sum = seg_sum(a, m, d);
            r -= (size_t)len;
        }
        j += len;
        if (r == 0) {
            /* The tail moves to the next run; reaching the head run, the window
             * holds n_k samples of its value: the sum becomes n_k * x. */
            t = next;
            m = 0.0;
            if (t == head) {
                r = w->steps;
                sum = (double)w->steps * runs[head].v;
                err = 0.0;
            } else {
                r = runs[t].count;
            }
        }
        if (rebuild) {
            if (t != head && stale(err, sum)) {
                sum = window_exact(p, t, r, count0 + (size_t)j);
                m = 0.0;
                err = 0.0;
            }
            rb += p->n_max;
        }
        if (replaced && sum > max) {
            max = sum;
            max_step = step0 + j;
        }
    }
    w->t = t;
    w->r = r;
    w->sum = sum;
    w->a = a;
    w->m = m;
    w->err = err;
    w->max = max;
    w->max_step = max_step;
}

/* ------------------------------------------------------------------------- */
/* Stepping                                                                  */
/* ------------------------------------------------------------------------- */

void probe_push(probe *p, double x)
{
    const size_t n = p->n;
    size_t head = p->head, k;
    uint64_t step = ++p->pushed;
    int rebuild;

    rebuild = ++p->phase == p->n_max;
    if (rebuild)
        p->phase = 0;
    /* Locals rather than fields, one loop per case: this is the fixed-step
     * engine's hot path. */
    if (!(p->runs[head].v == x && p->runs[head].dv == 0.0)) {
        /* A new run starts: for every window a segment starts from the sum now,
         * and this is its first step (a + 1 * d is a + d). */
        head = ring_advance(p);
        p->head = head;
        p->runs[head].v = x;
        p->runs[head].dv = 0.0;
        p->runs[head].count = 1;
        for (k = 0; k < n; k++) {
            struct window *w = &p->w[k];
            double s;

            if (w->steps == 1) {
                s = w->sum = x;
            } else {
                double a = w->sum;

                if (p->runs[w->t].dv != 0.0)
                    w->err = INFINITY;
                else
                    w->err += SEG_ERR * fabs(a);
                s = seg_sum(a, 1.0, x - tail_value(p, w));
                if (--w->r == 0) {
                    s = tail_next(p, w, s);
                } else {
                    w->a = a;
                    w->m = 1.0;
                    w->sum = s;
                }
            }
            if (!rebuild && s > w->max) {
                w->max = s;
                w->max_step = step;
            }
        }
    } else {
        p->runs[head].count++;
        for (k = 0; k < n; k++) {
            struct window *w = &p->w[k];
            double s;

            if (w->steps == 1) {
                s = w->sum = x;
            } else if (w->t != head && p->runs[w->t].dv != 0.0) {
                s = w->sum + (x - tail_value(p, w));    /* a ramp leaves */
                w->err = INFINITY;
                if (--w->r == 0) {
                    s = tail_next(p, w, s);
                } else {
                    w->m = 0.0;
                    w->sum = s;
                }
            } else if (w->t != head) {
                double a = seg_base(w), m = w->m + 1.0;

                if (w->m == 0.0)
                    w->err += SEG_ERR * fabs(a);   /* a segment starts */
                s = seg_sum(a, m, x - p->runs[w->t].v);
                if (--w->r == 0) {
                    s = tail_next(p, w, s);
                } else {
                    w->a = a;
                    w->m = m;
                    w->sum = s;
                }
            } else {
                s = w->sum;   /* in the head run: unchanged */
            }
            if (!rebuild && s > w->max) {
                w->max = s;
                w->max_step = step;
            }
        }
    }
    if (rebuild) {
        for (k = 0; k < n; k++) {
            struct window *w = &p->w[k];

            if (w->steps > 1 && w->t != head && stale(w->err, w->sum)) {
                w->sum = window_exact(p, w->t, w->r, p->runs[head].count);
                w->m = 0.0;
                w->err = 0.0;
            }
            max_check(w, w->sum, step);
        }
    }
}

void probe_push_n(probe *p, double x, size_t n)
{
    struct run *h = &p->runs[p->head];
    uint64_t step0 = p->pushed;
    size_t count0, k;

    if (n == 0)
        return;
    if (x == h->v && h->dv == 0.0) {
        count0 = h->count;
        h->count += n;
    } else {
        p->head = ring_advance(p);
        h = &p->runs[p->head];
        h->v = x;
        h->dv = 0.0;
        h->count = n;
        count0 = 0;   /* every window: a segment starts from the sum now */
    }
    const uint64_t rb = p->n_max - p->phase;
    const int ramps = step0 < p->ramp_clear;
    for (k = 0; k < p->n; k++) {
        struct window *w = &p->w[k];

        if (w->steps == 1) {
            w->sum = x;
            max_check(w, x, step0 + 1);
        } else if (count0 == 0 && !ramps
                   && (w->r > n || ring_next(p, w->t) == p->head)
                   && no_rebuild(w, x - p->runs[w->t].v, w->r > n ? n : w->r, rb)) {
            /* A new head run and one segment from the sum: the push ends
             * inside the tail run (a long run), or the tail run is the one
             * before the head and leaves whole (the window then lies in the
             * head run). window_push_n()'s body for these, fields touched
             * once. */
            const size_t r = w->r;
            const double a = w->sum, d = x - p->runs[w->t].v;
            const uint64_t kk = r > n ? n : r - 1;   /* steps checked */

            if (kk > 0) {
                const double c = seg_sum(a, d > 0 ? (double)kk : 1.0, d);

                if (c > w->max) {
                    w->max = c;
                    w->max_step = step0 + (d > 0 ? seg_first(a, 0.0, d, kk, c) : 1);
                }
            }
            if (r > n) {
                w->err += SEG_ERR * fabs(a);
                w->a = a;
                w->m = (double)n;
                w->sum = seg_sum(a, (double)n, d);
                w->r = r - n;
            } else {
                w->t = p->head;
                w->r = w->steps;
                w->m = 0.0;
                w->err = 0.0;
                w->sum = (double)w->steps * p->runs[p->head].v;
                max_check(w, w->sum, step0 + r);
            }
        } else {
            window_push_n(p, w, x, n, count0, step0, rb, ramps);
        }
    }
    p->pushed += n;
    p->phase += n % p->n_max;
    if (p->phase >= p->n_max)
        p->phase -= p->n_max;
}

/* The sum of the last N_K samples while the window lies in the ramp that is the
 * head run, J steps into it (J >= N_K): N_K x0 + dx (N_K J - N_K (N_K + 1) / 2). */
static double in_ramp_sum(double nk, double x0, double dx, double j)
{
    return nk * x0 + dx * (nk * j - nk * (nk + 1.0) / 2.0);
}

/* N steps of the ramp X0 + i DX (the head run, new) in window W (n_k >= 2):
 * steps STEP0 + 1 .. STEP0 + N, the first rebuild at STEP0 + RB. As
 * window_push_n(), with ramp_seg() for each segment; once the tail reaches the
 * head the window holds the ramp's last n_k samples, a sum linear in the step. */
static void window_push_ramp(const probe *p, struct window *w, double x0, double dx,
                             uint64_t n, uint64_t step0, uint64_t rb)
{
    const double nk = (double)w->steps;
    uint64_t j = 0;

    while (j < n) {
        if (w->t == p->head) {
            /* steps j + 1 .. n, the sum rising or falling by dx n_k a step */
            max_check(w, in_ramp_sum(nk, x0, dx, (double)(j + 1)), step0 + j + 1);
            w->sum = in_ramp_sum(nk, x0, dx, (double)n);
            max_check(w, w->sum, step0 + n);
            w->m = 0.0;
            w->r = w->steps;
            w->err = INFINITY;   /* in a ramp: rebuilt once it has left */
            return;
        }
        uint64_t len = w->r;
        if (rb - j < len)
            len = rb - j;
        if (n - j < len)
            len = n - j;
        int rebuild = j + len == rb;
        int replaced = rebuild || (len == w->r && ring_next(p, w->t) == p->head);
        ramp_seg(p, w, x0 + dx * (double)j, dx, len, replaced, step0 + j);
        j += len;
        if (w->r == 0) {
            w->t = ring_next(p, w->t);
            w->m = 0.0;
            if (w->t == p->head) {
                w->r = w->steps;
                w->sum = in_ramp_sum(nk, x0, dx, (double)j);
            } else {
                w->r = p->runs[w->t].count;
            }
        }
        if (rebuild) {
            if (w->t != p->head && stale(w->err, w->sum)) {
                w->sum = window_exact(p, w->t, w->r, (size_t)j);
                w->err = 0.0;
            }
            rb += p->n_max;
        }
        if (replaced)
            max_check(w, w->sum, step0 + j);
    }
}

void probe_push_ramp(probe *p, double x0, double dx, size_t n)
{
    struct run *h;
    uint64_t step0 = p->pushed;
    size_t k;

    if (n == 0)
        return;
    if (dx == 0.0 || n == 1) {
        probe_push_n(p, x0, n);
        return;
    }
    p->head = ring_advance(p);
    h = &p->runs[p->head];
    h->v = x0;
    h->dv = dx;
    h->count = n;
    for (k = 0; k < p->n; k++) {
        struct window *w = &p->w[k];

        if (w->steps == 1) {
            double last = x0 + dx * (double)(n - 1);

            max_check(w, x0, step0 + 1);
            max_check(w, last, step0 + n);
            w->sum = last;
        } else {
            window_push_ramp(p, w, x0, dx, n, step0, p->n_max - p->phase);
        }
    }
    p->pushed += n;
    p->phase = (p->phase + n % p->n_max) % p->n_max;
    p->ramp_clear = p->pushed + p->n_max;
}

size_t probe_steps_within(const probe *p, size_t k, double x, size_t n, double limit)
{
    if (k >= p->n || n == 0)
        return 0;
    const struct window *w = &p->w[k];
    const double lim = limit * (double)w->steps;      /* as a sum */
    const size_t cover = n < w->steps ? n : w->steps; /* steps whose samples leave */
    double s = w->sum;
    size_t j = 0, i = w->t, left = w->r;

    if (w->steps == 1)
        return x <= limit ? n : 0;
    /* every sample leaving were 0: still within, whatever the history */
    if (x <= 0 ? s <= lim : s + (double)cover * x <= lim)
        return n;
    while (j < cover) {
        /* LEN steps of the run at I leave, each adding D */
        const size_t len = left < cover - j ? left : cover - j;
        /* a ramp leaving: its lowest step, so the sum is bounded from above
         * (the answer may be short, never long) */
        const struct run *ru = &p->runs[i];
        const double d = x - (ru->dv < 0.0 ? ru->v + ru->dv * (double)(ru->count - 1) : ru->v);
        if (d > 0) {
            double end = s + (double)len * d;
            if (end > lim) {
                /* the first step above: s + q d > lim */
                double q = floor((lim - s) / d) + 1.0;
                if (q < 1.0) q = 1.0;
                while (q > 1.0 && s + (q - 1.0) * d > lim) q -= 1.0;
                while (s + q * d <= lim) q += 1.0;
                return j + (size_t)q - 1;
            }
            s = end;
        } else {
            if (s + d > lim)           /* its first step is its highest */
                return j;
            s += (double)len * d;
        }
        j += len;
        if (i == p->head)
            break;
        i = ring_next(p, i);
        left = p->runs[i].count;
    }
    /* the window holds only X from here on */
    return j < n && (double)w->steps * x > lim ? j : n;
}

/* ------------------------------------------------------------------------- */
/* Accessors (NAN for a window index K out of range)                         */
/* ------------------------------------------------------------------------- */

double probe_avg(const probe *p, size_t k)
{
    return k < p->n ? p->w[k].sum / (double)p->w[k].steps : NAN;
}

double probe_max(const probe *p, size_t k)
{
    if (k >= p->n)
        return NAN;
    const struct window *w = &p->w[k];
    double m = w->best > w->max ? w->best : w->max;
    return p->pushed > 0 ? m / (double)w->steps : 0.0;
}

double probe_max_time(const probe *p, size_t k)
{
    if (k >= p->n)
        return NAN;
    const struct window *w = &p->w[k];
    /* the earlier block wins a tie, as one long block would have kept it */
    return (double)(w->best >= w->max ? w->best_step : w->max_step) * p->dt_s;
}

double probe_block_max(probe *p, size_t k)
{
    if (k >= p->n)
        return NAN;
    struct window *w = &p->w[k];
    double m = w->max;
    if (m > w->best) {
        w->best = m;
        w->best_step = w->max_step;
    }
    w->max = -INFINITY;
    return m > -INFINITY ? m / (double)w->steps : 0.0;
}

double probe_window_s(const probe *p, size_t k)
{
    return k < p->n ? (double)p->w[k].steps * p->dt_s : NAN;
}

size_t probe_count(const probe *p)
{
    return p->n;
}

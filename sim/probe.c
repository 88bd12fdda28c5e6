/* probe.c — running window averages and their maxima (probe.h).
 *
 * One ring buffer of the last n_max samples, n_max the longest window in steps,
 * and one running sum per window (DESIGN.md 3: "running sums over ring buffers:
 * O(1) per step per window"). With pos the next slot to write, window k (n_k
 * steps) holds the samples at pos - 1 ... pos - n_k (mod n_max); a new sample x
 * enters every window and the one at pos - n_k leaves window k:
 *
 *   sum_k += x - buf[(pos - n_k) mod n_max]
 *
 * All leaving samples are read before x overwrites buf[pos] (for the longest
 * window the leaving slot is pos itself). The buffer starts zero-filled: before
 * the first sample the signal is 0, so averages ramp up from 0 (probe.h).
 *
 * Rounding: the running update adds and subtracts the same values, so its
 * rounding errors do not cancel and would random-walk over 1e9 steps. Each time
 * the ring position wraps (every n_max steps) every window's sum is rebuilt from
 * the buffer with compensated (Neumaier) summation: O(sum of n_k) every n_max
 * steps, amortised O(windows) per step, and the error never grows beyond one
 * ring's worth of updates. A one-step window's sum is simply the sample.
 *
 * Samples are expected finite: a NaN or an infinity stays in the sums until it
 * has left every window and the ring has wrapped (the maxima ignore NaN).
 *
 * The maximum of each window's average is updated every step with its time,
 * steps pushed * dt (the end of the window, counted from the first sample).
 * Allocation happens only in probe_new().
 */
#include "probe.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Largest ring accepted, entries (8e8 bytes): a longer window at this step is
 * almost certainly a unit mistake (e.g. 1 h at 10 us). */
#define PROBE_MAX_ENTRIES 1e8

/* ------------------------------------------------------------------------- */
/* State                                                                     */
/* ------------------------------------------------------------------------- */

struct probe {
    double dt_s;                      /* step, s */
    size_t n;                         /* windows in use, 1..PROBE_MAX_WINDOWS */
    size_t steps[PROBE_MAX_WINDOWS];  /* window lengths, steps (>= 1) */
    double sum[PROBE_MAX_WINDOWS];    /* running sum of each window's samples */
    double max[PROBE_MAX_WINDOWS];    /* highest average so far; -INFINITY before any */
    double max_t[PROBE_MAX_WINDOWS];  /* when it was reached, s */
    double *buf;                      /* the last n_max samples (owned), zero-filled */
    size_t n_max;                     /* ring size: the longest window, steps */
    size_t pos;                       /* next slot to write, 0..n_max-1 */
    uint64_t pushed;                  /* samples pushed since new/reset */
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
        p->buf = calloc(n_max, sizeof *p->buf);
        if (p->buf == NULL) {
            free(p);
            p = NULL;
        }
    }
    if (p == NULL) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "probe: out of memory (%zu samples)", n_max);
        return NULL;
    }
    p->dt_s = dt_s;
    p->n = n;
    p->n_max = n_max;
    for (k = 0; k < n; k++)
        p->steps[k] = steps[k];
    probe_reset(p);
    return p;
}

void probe_free(probe *p)
{
    if (p == NULL)
        return;
    free(p->buf);
    free(p);
}

void probe_reset(probe *p)
{
    size_t k;

    for (k = 0; k < p->n_max; k++)
        p->buf[k] = 0.0;
    for (k = 0; k < PROBE_MAX_WINDOWS; k++) {
        p->sum[k] = 0.0;
        p->max[k] = -INFINITY;
        p->max_t[k] = 0.0;
    }
    p->pos = 0;
    p->pushed = 0;
}

/* ------------------------------------------------------------------------- */
/* Stepping                                                                  */
/* ------------------------------------------------------------------------- */

/* Sum of A[0..N-1] with Neumaier's compensation (Neumaier 1974, the improved
 * Kahan-Babuska sum): within a few ulps of the exact sum, whatever the order. */
static double exact_sum(const double *a, size_t n)
{
    double s = 0.0, c = 0.0;
    size_t i;

    for (i = 0; i < n; i++) {
        double t = s + a[i];

        if (fabs(s) >= fabs(a[i]))
            c += (s - t) + a[i];
        else
            c += (a[i] - t) + s;
        s = t;
    }
    return s + c;
}

void probe_push(probe *p, double x)
{
    size_t k;
    double t;

    /* Take out what leaves each window before x overwrites buf[pos]. */
    for (k = 0; k < p->n; k++) {
        size_t nk = p->steps[k];

        if (nk == 1)
            p->sum[k] = x;
        else
            p->sum[k] += x - p->buf[p->pos >= nk ? p->pos - nk : p->pos + p->n_max - nk];
    }
    p->buf[p->pos] = x;
    if (++p->pos == p->n_max) {
        /* Wrapped: rebuild every sum from the buffer; the newest sample is at
         * n_max - 1, so window k is buf[n_max - n_k .. n_max - 1]. */
        p->pos = 0;
        for (k = 0; k < p->n; k++)
            p->sum[k] = exact_sum(p->buf + (p->n_max - p->steps[k]), p->steps[k]);
    }
    p->pushed++;
    /* The maxima are kept as sums (the window's length is fixed): no division in
     * the step; strictly higher, so a plateau keeps the time it was first
     * reached. */
    t = (double)p->pushed * p->dt_s;
    for (k = 0; k < p->n; k++) {
        if (p->sum[k] > p->max[k]) {
            p->max[k] = p->sum[k];
            p->max_t[k] = t;
        }
    }
}

/* ------------------------------------------------------------------------- */
/* Accessors (NAN for a window index K out of range)                         */
/* ------------------------------------------------------------------------- */

double probe_avg(const probe *p, size_t k)
{
    return k < p->n ? p->sum[k] / (double)p->steps[k] : NAN;
}

double probe_max(const probe *p, size_t k)
{
    if (k >= p->n)
        return NAN;
    return p->pushed > 0 ? p->max[k] / (double)p->steps[k] : 0.0;
}

double probe_max_time(const probe *p, size_t k)
{
    return k < p->n ? p->max_t[k] : NAN;
}

double probe_window_s(const probe *p, size_t k)
{
    return k < p->n ? (double)p->steps[k] * p->dt_s : NAN;
}

size_t probe_count(const probe *p)
{
    return p->n;
}

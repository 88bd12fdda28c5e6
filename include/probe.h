/* probe — running window averages and their maxima, O(1) per step.
 *
 * The ATX 3.x excursion check, OPP, the connectors' 1 s rule and the per-load
 * window figures all ask the same question of a signal sampled every step: what
 * is its average over the last W seconds now, and what was the highest such
 * average over the run? A probe answers it for several windows at once from one
 * history as long as the longest window and one running sum per window
 * (DESIGN.md 3). Before the first sample the signal is taken as 0.
 *
 * The history is kept run-length encoded, (value, count) pairs, so that a
 * stretch of equal samples costs the same however long it is: probe_push_n()
 * adds N equal steps at once, for the engine's strides over quiet stretches.
 * Pushing the same steps singly or in runs of any grouping gives the same
 * averages, maxima and times, bit for bit. Memory is fixed by probe_new(): one
 * run (24 bytes) per step of the longest window, plus one; probe_push_ramp() adds
 * a ramp as one run (its sums to rounding, not to the bit).
 */
#ifndef PSUSIM_PROBE_H
#define PSUSIM_PROBE_H

#include <stddef.h>

enum { PROBE_MAX_WINDOWS = 8 };

typedef struct probe probe;

/* Builds a probe for N windows (1..PROBE_MAX_WINDOWS) of WINDOW_S[k] seconds at
 * step DT_S. A window is rounded to a whole number of steps, at least one.
 * Returns NULL with a message in ERR. The caller owns it: probe_free(). */
probe *probe_new(const double *window_s, size_t n, double dt_s, char *err, size_t errlen);

/* Frees P; probe_free(NULL) does nothing. */
void probe_free(probe *p);

/* Back to the initial state (empty history, maxima -INFINITY... reported as 0). */
void probe_reset(probe *p);

/* Adds one step's sample. Allocation-free, amortised O(number of windows). */
void probe_push(probe *p, double x);

/* Adds N (>= 1) consecutive steps all of value X: the same state, averages,
 * maxima and max times as N calls of probe_push(P, X), at a cost independent of
 * N (amortised O(windows + runs that leave the windows)). N == 0 does nothing.
 * Allocation-free. */
void probe_push_n(probe *p, double x, size_t n);

/* Adds N consecutive steps of a ramp, X0 + i DX for i = 0 .. N - 1 (a linear
 * run: the stride solver's trace segments, issue 14, 2). The sums, averages
 * and maxima (and their steps, up to ties) of N calls of probe_push(), to
 * rounding rather than to the bit (the sums of a ramp are parabolas in the
 * step; constant runs keep their exact arithmetic); DX = 0 is probe_push_n().
 * Cost independent of N. Allocation-free. */
void probe_push_ramp(probe *p, double x0, double dx, size_t n);

/* Look-ahead without pushing: the number of steps J (0..N) for which N pushes of
 * X would keep window K's average at or below LIMIT at each of the first J of
 * them; N if it never rises above. (The window's oldest samples leave as X
 * comes in: the sum moves linearly over each run of the history, so it is
 * checked at the runs' ends; O(runs leaving the window in N steps).) The
 * engine's guard per window: a stride of held DC may run until the first step
 * at which a protection window would exceed its limit (issue 14, 1). */
size_t probe_steps_within(const probe *p, size_t k, double x, size_t n, double limit);

/* The average over window K ending at the last sample. */
double probe_avg(const probe *p, size_t k);

/* The highest average of window K seen so far (0 before any sample), and the time
 * (s, end of the window, counted from the first sample) when it was reached. */
double probe_max(const probe *p, size_t k);
double probe_max_time(const probe *p, size_t k);

/* Block maxima, for extreme-value estimates: the highest average of window K
 * since the previous call (or the start), 0 if no sample was pushed since; then
 * a new block starts. probe_max() and probe_max_time() still give the highest
 * over the whole run. Allocation-free, O(1). */
double probe_block_max(probe *p, size_t k);

/* The window's length as used: steps x dt, s. */
double probe_window_s(const probe *p, size_t k);

/* Number of windows. */
size_t probe_count(const probe *p);

#endif

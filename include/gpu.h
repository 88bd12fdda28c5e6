/* gpu — one [gpu NAME] section: COUNT identical cards running a workload under a
 * power limit, with stochastic millisecond transients.
 *
 * Power limit: as `nvidia-smi -pl` sets it, the card holds its ~1 s average at the
 * limit; spikes still pass above it (facts.md 3). Modelled as a feedback on an
 * exponential 1 s average of the card's power that scales the workload's base
 * power (a throttle between 0.2 and 1), so the 1 s average settles at the limit
 * while the spikes keep their height.
 *
 * Workloads (a table chosen by name): constant (a fraction of the limit), idle,
 * training (iterations of `period`: compute near the limit for `duty` of the
 * period, then communication at `comm_w`; cards in lockstep or with random
 * phase), inference (request bursts arriving as a Poisson process at `rate_hz`,
 * each `burst_s` long at the limit, idle between). All start at `start_s` with a
 * linear ramp of `ramp_s` from idle.
 *
 * Transients: spikes of four duration classes calibrated to Igor's Lab's RTX 5090
 * bins (facts.md 3, S), scaled by rated power for other cards; arrivals at
 * compute-phase starts and at random (Poisson). Randomness from one GSL gsl_rng
 * (mt19937) stream per card, seeded from the scenario seed and the component's
 * index, so a run is reproducible and independent of evaluation order.
 *
 * Strides: over quiet stretches (no event in any card) the engine may advance
 * many steps in one call, gpu_quiet_steps() then gpu_advance(), with closed
 * forms of the limiter instead of step after step; the events (and the RNG
 * draws) happen at the same steps as with gpu_step() alone, the powers and
 * the limiter's state agree to rounding.
 */
#ifndef PSUSIM_GPU_H
#define PSUSIM_GPU_H

#include <stddef.h>
#include <stdint.h>

enum gpu_workload { GPU_WL_CONSTANT = 0, GPU_WL_IDLE, GPU_WL_TRAINING, GPU_WL_INFERENCE,
                    GPU_WL_COUNT };
enum gpu_sync { GPU_SYNC_LOCKSTEP = 0, GPU_SYNC_RANDOM };
enum gpu_transients { GPU_TR_OFF = 0, GPU_TR_TYPICAL, GPU_TR_WORST };

struct gpu_params {
    double rated_w;           /* rated board power, W (scales the spikes) */
    double limit_w;           /* power limit, W (<= 1.5 x rated) */
    double idle_w;            /* idle power, W */
    int count;                /* identical cards, >= 1 */
    enum gpu_workload workload;
    double fraction;          /* constant: share of the limit, 0..1 */
    double period_s;          /* training: iteration period, s */
    double duty;              /* training: compute share of the period, 0..1 */
    double comm_w;            /* training: power in the communication phase, W */
    enum gpu_sync sync;       /* training: lockstep or random phase */
    double rate_hz;           /* inference: request rate, 1/s */
    double burst_s;           /* inference: burst length, s */
    double start_s;           /* work starts at, s (idle before) */
    double ramp_s;            /* linear ramp from idle to the workload, s */
    enum gpu_transients transients;
    uint64_t seed;            /* stream seed of this component (scenario seed + index) */
    double dt_s;              /* engine step, s */
    double spike_ref_w;       /* the spikes' peaks are multiples of this, W; 0: rated_w.
                                 No measurement of spikes under a reduced power limit
                                 was found; the limiter bounds the ~1 s average, not
                                 the spikes (facts.md 3, S), so the default keeps them
                                 at the rated power's scale (conservative) */
};

typedef struct gpu gpu;

/* Builds the model (allocates the RNG streams and per-card state). NULL with a
 * message in ERR. The caller owns it: gpu_free(). */
gpu *gpu_new(const struct gpu_params *p, char *err, size_t errlen);

/* Frees G; gpu_free(NULL) does nothing. */
void gpu_free(gpu *g);

/* Back to t = 0, streams re-seeded: the same run again. */
void gpu_reset(gpu *g);

/* Advances one step starting at time T (steps are consecutive: T = n dt). Returns
 * the total power of all cards over the step, W. Allocation-free. */
double gpu_step(gpu *g, double t);

/* Fires the events that take effect in the step at T (phase changes, request
 * arrivals, spike starts, with their RNG draws) without advancing the step:
 * gpu_step(g, t) or gpu_advance(g, t, n) after it gives what gpu_step(g, t)
 * alone gives (the events fire once; a second call at T fires nothing), and
 * gpu_quiet_steps(g, t, n) may then count step T into a stride (issue 14: an
 * event no longer costs a single step of the whole chain). O(cards). */
void gpu_events(gpu *g, double t);

/* Lazy cards (the engine's stride solver; off after gpu_new()): cards other
 * than card 0 are visited only at their own events and otherwise advance as
 * aggregates of their limiter regime (gpu.c, "Lazy cards"), so a stride costs
 * about the same for 64 cards as for 8. Results agree with gpu_step() alone to
 * rounding, not to the bit. */
void gpu_set_lazy(gpu *g, int on);

/* How many consecutive steps, starting with the step at T (= s dt, s an
 * integer step index: the engine passes t = (double)s * dt), the model can
 * advance in one gpu_advance() call: no event (workload phase change, request
 * arrival, burst end, spike start or end, start_s, ramp, worst-case shared
 * arrivals) takes effect in steps s .. s+n-1, and the power of each card
 * follows a closed form with its throttle on the same side of its clamps.
 * Between 1 and N_MAX (N_MAX >= 1; at most 2^20 - 1). 1 means "step this one
 * on its own" (also for a T that is not a multiple of dt). O(cards x classes
 * x log n), no allocation, no RNG draw; the model is not advanced, only
 * what the answer found is kept for the next call and for gpu_advance() (the
 * answers are the same as without that: gpu.c, "Stride caches"). */
size_t gpu_quiet_steps(gpu *g, double t, size_t n_max);

/* Advances N steps from T (1 <= N <= gpu_quiet_steps(g, t, N)). Returns the
 * sum over the N steps of the total power of all cards, W x steps; UNIT_SUM
 * (may be NULL) receives the sum of card 0's power over the N steps. N == 1 is
 * exactly gpu_step(g, t). Afterwards gpu_card_power() gives the last step's
 * power. Allocation-free. */
double gpu_advance(gpu *g, double t, size_t n, double *unit_sum);

/* The power of card K (< count) over the last step, W. */
double gpu_card_power(const gpu *g, size_t k);

/* Card K's limiter: its exponential 1 s average, W, and its throttle, 0.2..1
 * (NAN for K out of range). */
double gpu_card_average(const gpu *g, size_t k);
double gpu_card_throttle(const gpu *g, size_t k);

/* Number of cards. */
size_t gpu_count(const gpu *g);

/* The spike model on its own (issue 17: modelled spikes on top of an averaged
 * power log). gpu_spike_train() fills P for CARDS cards of a 1 W rating at full
 * load whose limiter never acts (limit 1.5 W; the 1 s average stays near 1 W):
 * each card then draws 1 W between spikes and u x peak_x W (at least 1 W) in
 * them, so the model's power is the spike train as a multiple of the level, and
 * gpu_quiet_steps() / gpu_advance() stride over it with that power constant
 * between spike events. TRANSIENTS: GPU_TR_TYPICAL or GPU_TR_WORST. */
void gpu_spike_train(struct gpu_params *p, int cards, enum gpu_transients transients,
                     uint64_t seed, double dt_s);

/* The expected power of one card of gpu_spike_train(), W (1 + the spikes'
 * energy above the base a second): the classes' rates thinned by the hold-off,
 * an alternating renewal process (gpu.c, gpu_spike_mean). > 1. */
double gpu_spike_mean(enum gpu_transients transients);

/* The spike classes, for closed-form checks: duration, peak as a multiple of
 * the reference power, the typical Poisson rate; the hold-off after a spike and
 * the typical amplitude range u ~ U[amp_lo, amp_hi] (worst: u = 1). */
enum { GPU_SPIKE_CLASSES = 4 };
struct gpu_spike_info {
    double dur_s[GPU_SPIKE_CLASSES];
    double peak_x[GPU_SPIKE_CLASSES];
    double rate_hz[GPU_SPIKE_CLASSES];
    double holdoff_s;
    double amp_lo, amp_hi;
};
void gpu_spike_info(struct gpu_spike_info *out);

/* Names for the INI: "constant", "idle", "training", "inference"; "lockstep",
 * "random"; "off", "typical", "worst". The _find functions return -1 for an
 * unknown name. */
const char *gpu_workload_name(enum gpu_workload w);
int gpu_workload_find(const char *name);
int gpu_sync_find(const char *name);
int gpu_transients_find(const char *name);

#endif

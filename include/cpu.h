/* cpu — a [cpu NAME] section: a processor under its power limits.
 *
 * Intel PL1 / PL2 / Tau (facts.md 3, P): PL1 is enforced on an exponentially
 * weighted moving average with time constant Tau, avg += (P - avg) (1 - exp(-dt/Tau))
 * (the first-order form, D); PL2 is allowed while the average is below PL1; PL4 is
 * never exceeded and bursts to it last about 10 ms. AMD: PPT = 1.35 x TDP is the
 * sustained package limit (P), i.e. PL1 = PL2 = PPT.
 *
 * Demand profiles (a table chosen by name): full, idle, bursty (a square wave of
 * `period_s` with `duty` at full demand, idle between; each burst starts with a
 * 10 ms PL4 excursion when pl4_w > 0).
 *
 * Strides: between profile edges, and short of the step where the average
 * reaches PL1, the power is constant and the average has a closed form, so the
 * engine may advance many steps in one call (cpu_quiet_steps, cpu_advance).
 */
#ifndef PSUSIM_CPU_H
#define PSUSIM_CPU_H

#include <stddef.h>

enum cpu_profile { CPU_LOAD_FULL = 0, CPU_LOAD_IDLE, CPU_LOAD_BURSTY, CPU_LOAD_COUNT };

struct cpu_params {
    double pl1_w;             /* sustained limit, W */
    double pl2_w;             /* short-term limit, W (>= pl1) */
    double tau_s;             /* EWMA time constant, s */
    double pl4_w;             /* peak limit, W (0: none; else >= pl2) */
    double idle_w;            /* idle power, W */
    enum cpu_profile load;    /* demand profile */
    double period_s;          /* bursty: period, s */
    double duty;              /* bursty: share of the period at full demand */
    double start_s;           /* demand starts at, s (idle before) */
    double dt_s;              /* engine step, s */
};

typedef struct cpu cpu;

/* Builds the model with its average at 0 W (a cold start: the first full-demand
 * stretch holds PL2 for Tau ln(PL2 / (PL2 - PL1))). NULL with a message in ERR. */
cpu *cpu_new(const struct cpu_params *p, char *err, size_t errlen);

/* Frees C; cpu_free(NULL) does nothing. */
void cpu_free(cpu *c);

/* Back to t = 0. */
void cpu_reset(cpu *c);

/* Advances one step starting at time T; returns the package power over the step,
 * W. Allocation-free, no exp(). */
double cpu_step(cpu *c, double t);

/* How many consecutive steps, starting with the step at T (= s dt, s an
 * integer step index), the model can advance in one cpu_advance() call: the
 * demand and burst shares are constant (0 or 1: no profile edge inside the
 * steps) and the average does not cross PL1 where that changes the allowed
 * limit, so the power is constant. Between 1 and N_MAX (N_MAX >= 1); 1 means
 * "step this one on its own" (also for a T that is not a multiple of dt).
 * O(1), no allocation; the model is not advanced (the power it finds is
 * kept for cpu_advance() at the same time and state). */
size_t cpu_quiet_steps(cpu *c, double t, size_t n_max);

/* Advances N steps from T (1 <= N <= cpu_quiet_steps(c, t, N)); returns the
 * sum of the package power over the N steps, W x steps. N == 1 is exactly
 * cpu_step(c, t). */
double cpu_advance(cpu *c, double t, size_t n);

/* The EWMA the PL1 rule acts on, W. */
double cpu_average(const cpu *c);

/* "full", "idle", "bursty"; -1 for an unknown name. */
const char *cpu_profile_name(enum cpu_profile p);
int cpu_profile_find(const char *name);

#endif

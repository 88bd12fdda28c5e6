/* sweep — what-if analysis: parameter sweeps, Monte Carlo runs, and the
 * smallest change that makes every link pass.
 *
 * Every evaluation is a whole run of the scenario with extra --set overrides, so
 * a sweep point or a recommendation means exactly what `psusim run --set ...`
 * would print. Monte Carlo runs differ only in their seed (seed_k derived from
 * the scenario seed and k) and run in parallel with OpenMP; each run's result is
 * stored by its index, so the figures do not depend on the thread count.
 */
#ifndef PSUSIM_SWEEP_H
#define PSUSIM_SWEEP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "verdict.h"

enum { SWEEP_MAX_VALUES = 256, SWEEP_VALUE_LEN = 48, SWEEP_KEY_LEN = 160 };

/* One --vary: an address (as --set takes it) and its values. */
struct sweep_axis {
    char key[SWEEP_KEY_LEN];            /* "psu.main.rating" */
    size_t n;                           /* values */
    char text[SWEEP_MAX_VALUES][SWEEP_VALUE_LEN]; /* each as --set would take it */
    double si[SWEEP_MAX_VALUES];        /* the same in SI (NAN for a word) */
    const char *unit;                   /* the SI unit for headers ("W", "A", "") */
};

/* Parses "KEY=V1,V2,..." or "KEY=FROM:TO:STEP" (values with units; a range
 * includes TO when it falls on a step). Returns 0, or -1 with a message in ERR. */
int sweep_parse_vary(const char *text, struct sweep_axis *ax, char *err, size_t errlen);

/* What one run came to. */
struct sweep_outcome {
    int ok;                     /* the run happened (0: the point was invalid) */
    enum verdict verdict;
    int tripped;                /* a breaker or fuse opened */
    int shutdown;               /* a PSU shut down (any cause) */
    int rule_failed;            /* a continuous / outlet / connector rule failed */
    double max_heat;            /* highest breaker heat over the circuits */
    double mean_current_a;      /* highest mean current over the circuits, A */
    double peak_current_a;      /* highest peak load current over the circuits, A */
    double worst_used;          /* the most used link's figure / limit */
    double first_fail_s;        /* time of the first timed failure, NAN if none */
    int stopped;                /* not run to its end: the stop flag was raised
                                   (ok is 0 then; the part run is thrown away) */
    char worst[96];             /* the worst link (verdict, then use) and its
                                   verdict: "continuous load wall FAIL 125 %" */
};

/* The inputs every evaluation shares. */
struct sweep_base {
    const char *file;           /* the scenario */
    const char *preset_dir;
    const char *const *sets;    /* the user's --set texts */
    size_t n_sets;
    int verdict_only;           /* 1: only PASS or not matters: a run stops at its
                                   first failure (engine_set_stop_on_fail), and its
                                   outcome is FAIL with the figures of the part run */
    const volatile sig_atomic_t *stop; /* nonzero: runs stop and the ones not begun
                                   are left out (SIGINT/SIGTERM; NULL: never) */
};

/* Runs the scenario once with EXTRA --set texts (N_EXTRA of them) and, when
 * SEED_OVERRIDE is set, that seed. Problems loading the point go to D (may be
 * NULL) and give ok = 0. */
struct sweep_outcome sweep_eval(const struct sweep_base *b, const char *const *extra,
                                size_t n_extra, const uint64_t *seed_override,
                                struct diag *d);

/* The seed of Monte Carlo run K of a scenario seeded BASE (splitmix64). */
uint64_t sweep_run_seed(uint64_t base, size_t k);

/* Called now and then with the runs done so far (from one thread); may be NULL. */
typedef void (*sweep_progress_fn)(void *user, size_t done, size_t total);

/* N Monte Carlo runs of the scenario with EXTRA overrides into OUT[N], in parallel
 * (OpenMP); with SHARD_K / SHARD_N (SHARD_N 0: all) only the runs k with
 * k mod SHARD_N == SHARD_K - 1 (shard.h), the others left as they are. Returns
 * 0, or -1 when the scenario does not load (messages in D). */
int sweep_monte_carlo(const struct sweep_base *b, const char *const *extra, size_t n_extra,
                      size_t n, size_t shard_k, size_t shard_n, struct sweep_outcome *out,
                      sweep_progress_fn progress, void *user, struct diag *d);

/* Wilson score interval for K successes in N trials at 95 % (z = 1.959964). */
void sweep_wilson(size_t k, size_t n, double *lo, double *hi);

#endif

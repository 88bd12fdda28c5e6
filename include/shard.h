/* shard — Monte Carlo runs and sweeps split over machines, and put together.
 *
 * `--shard K/N` makes a Monte Carlo run (`run --runs M`) or a sweep compute only
 * its share of the work: item i (run i, or sweep point i in the order of the
 * table) belongs to shard K when i mod N == K - 1, which spreads dear and cheap
 * items evenly. A shard writes what each of its items came to (struct
 * sweep_outcome, every number with 17 significant digits so it reads back to the
 * same double) with the job that produced it: the command, the scenario file,
 * the --set and --vary texts, the run count. `psusim merge` reads the N shard
 * files, checks they are the N shards of one job, each once and complete, and
 * hands the outcomes back by index: the summary it prints from them is then the
 * one a single machine prints, byte for byte, because Monte Carlo seeds depend
 * only on the run's index (sweep_run_seed) and a sweep point only on its values.
 *
 * The file is JSON (jansson), format "psusim-shard" version 1.
 */
#ifndef PSUSIM_SHARD_H
#define PSUSIM_SHARD_H

#include <stddef.h>
#include <stdio.h>

#include "sweep.h"

enum { SHARD_MAX = 100000, SHARD_MAX_SETS = 64 };

/* Shard K of N (1 <= K <= N); N == 0: not sharded. */
struct shard_spec {
    size_t k, n;
};

/* Parses "K/N" (whole numbers, 1 <= K <= N <= SHARD_MAX). Returns 0, or -1 with a
 * message in ERR. */
int shard_parse(const char *text, struct shard_spec *sp, char *err, size_t errlen);

/* 1 if item INDEX is this shard's work (always 1 when SP is NULL or N == 0). */
int shard_mine(const struct shard_spec *sp, size_t index);

/* The job a shard belongs to. Strings are borrowed when writing; after
 * shard_merge() they are owned by the job (shard_job_free()). */
struct shard_job {
    char command[8];                    /* "run" (Monte Carlo) or "sweep" */
    const char *file;                   /* the scenario, as given */
    const char *sets[SHARD_MAX_SETS];   /* the --set texts, in order */
    size_t n_sets;
    const char *vary[2];                /* sweep: the --vary texts */
    size_t n_vary;
    size_t runs;                        /* run: Monte Carlo runs; sweep: runs a point */
    size_t total;                       /* items: runs (run) or points (sweep) */
    struct shard_spec shard;            /* which shard (write) / how many (merge) */
    int verdict_only;                   /* --verdict-only */
};

/* Writes shard JOB->shard of JOB with the outcomes O[i] (and, for a sweep with
 * runs > 1, PFAIL[i]; may be NULL) of its items to FP. Returns 0, or -1 on a
 * write error. */
int shard_write(FILE *fp, const struct shard_job *job, const struct sweep_outcome *o,
                const double *pfail);

/* Reads the shard files PATHS[0 .. N-1] and checks they are all N shards of one
 * job, each once, each complete. Fills *JOB (owning its strings: free with
 * shard_job_free()) and allocates *O and *PFAIL of JOB->total items (the
 * caller frees them). Returns 0, or -1 with "FILE: what is wrong" in ERR. */
int shard_merge(const char *const *paths, size_t n, struct shard_job *job,
                struct sweep_outcome **o, double **pfail, char *err, size_t errlen);

/* Frees the strings shard_merge() put into JOB. */
void shard_job_free(struct shard_job *job);

#endif

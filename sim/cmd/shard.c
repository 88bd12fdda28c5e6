/* shard — a --shard K/N job's shard file, and psusim merge SHARD.json...: the
 * shard files of one job put together. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "diag.h"
#include "outfile.h"
#include "shard.h"
#include "sweep.h"

/* Writes the shard file of C's job (COMMAND "run" or "sweep", TOTAL items O and
 * PFAIL) to --out DIR/shard-K-of-N.json, or to stdout. Returns the exit status. */
int cli_shard_out(const struct cli *c, const char *command, size_t total,
                     const struct sweep_outcome *o, const double *pfail)
{
    struct shard_job job = { .file = c->file, .n_sets = c->n_sets, .n_vary = c->n_vary,
                             .runs = c->runs ? c->runs : 1, .total = total,
                             .shard = c->shard, .verdict_only = c->verdict_only };
    snprintf(job.command, sizeof job.command, "%s", command);
    for (size_t i = 0; i < c->n_sets && i < SHARD_MAX_SETS; i++) job.sets[i] = c->sets[i];
    for (size_t i = 0; i < c->n_vary; i++) job.vary[i] = c->vary[i];
    char err[OUTFILE_PATH_LEN + DIAG_LEN];
    if (!c->out_dir) {
        if (shard_write(stdout, &job, o, pfail) != 0 || fflush(stdout) != 0) {
            fprintf(stderr, "psusim: cannot write the shard to standard output\n");
            return EXIT_IO;
        }
        return EXIT_PASS;
    }
    char name[64];
    snprintf(name, sizeof name, "shard-%zu-of-%zu.json", c->shard.k, c->shard.n);
    struct outfile f;
    int rc = cli_claim_out_dir(c, err, sizeof err);
    if (rc == EXIT_PASS && outfile_open(&f, c->out_dir, name, err, sizeof err) != 0)
        rc = EXIT_IO;
    if (rc != EXIT_PASS) {
        fprintf(stderr, "psusim: %s\n", err);
        return rc;
    }
    if (shard_write(f.fp, &job, o, pfail) != 0) {
        fprintf(stderr, "psusim: %s: write failed\n", f.path);
        outfile_abort(&f);
        return EXIT_IO;
    }
    if (outfile_commit(&f, err, sizeof err) != 0) {
        fprintf(stderr, "psusim: %s\n", err);
        return EXIT_IO;
    }
    if (!c->quiet) fprintf(stderr, "psusim: wrote %s/%s\n", c->out_dir, name);
    return EXIT_PASS;
}

/* psusim merge: the shard files of one job put together and reported as the job
 * reports on one machine (the job's file, --set and --vary come from the shards;
 * --json, --quiet, --out and --plots from this command line). */
int cmd_merge(const struct cli *c)
{
    struct shard_job job;
    struct sweep_outcome *o = NULL;
    double *pfail = NULL;
    char err[PATH_MAX + DIAG_LEN];
    if (shard_merge(c->parts, c->n_parts, &job, &o, &pfail, err, sizeof err) != 0) {
        fprintf(stderr, "psusim: merge: %s\n", err);
        return EXIT_USAGE;
    }
    struct cli m = *c;
    m.command = job.command;
    m.file = job.file;
    m.n_sets = job.n_sets;
    for (size_t i = 0; i < job.n_sets; i++) m.sets[i] = job.sets[i];
    m.n_vary = job.n_vary;
    for (size_t i = 0; i < job.n_vary; i++) m.vary[i] = job.vary[i];
    m.runs = job.runs;
    m.verdict_only = job.verdict_only;
    m.shard.n = 0;
    int rc;
    if (strcmp(job.command, "run") == 0) {
        rc = cli_mc_report(&m, o, job.total, 0);
    } else {
        static struct sweep_axis ax[2];
        rc = EXIT_PASS;
        for (size_t i = 0; i < m.n_vary && rc == EXIT_PASS; i++)
            if (sweep_parse_vary(m.vary[i], &ax[i], err, sizeof err) != 0) {
                fprintf(stderr, "psusim: merge: %s\n", err);
                rc = EXIT_USAGE;
            }
        size_t n1 = ax[0].n, n2 = m.n_vary == 2 ? ax[1].n : 1;
        if (rc == EXIT_PASS && n1 * n2 != job.total) {
            fprintf(stderr, "psusim: merge: the shards hold %zu points, their --vary "
                    "gives %zu\n", job.total, n1 * n2);
            rc = EXIT_USAGE;
        }
        if (rc == EXIT_PASS) rc = cli_sweep_report(&m, ax, n1, m.runs, o, pfail);
    }
    free(o);
    free(pfail);
    shard_job_free(&job);
    return rc;
}

/* cmd — the command line's shared parts: the parsed options, exit codes, and the
 * helpers every command uses (loading a scenario and reporting its problems,
 * the work bounds, the --out folder, the progress bar).
 *
 * The command line is main.c split by command, as git's builtin/ is: one file
 * per command in sim/cmd/ (run.c, check.c, sweep.c, ...) over this module.
 * Only these files print errors and pick the exit status; the library in sim/
 * returns statuses and messages (STYLE.md 4).
 */
#ifndef PSUSIM_CMD_H
#define PSUSIM_CMD_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "report.h"
#include "scenario.h"
#include "shard.h"
#include "sweep.h"

/* Exit status (README "Exit status"): 0 every link passes (or only MARGINAL),
 * 1 the run finished and something trips or breaks a rule, 2 bad input or
 * usage, 3 I/O or internal error. */
enum { EXIT_PASS = 0, EXIT_FAIL = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

enum { MAX_SETS = 256 };
enum { SHARD_MAX_PARTS = 4096 };    /* shard files one merge takes */

/* The command line, parsed (options.c). Strings point into argv. */
struct cli {
    const char *command;
    const char *file;
    const char *name;          /* presets KIND NAME: the entry */
    int check;                 /* presets --check */
    const char *sets[MAX_SETS];
    size_t n_sets;
    const char *out_dir;
    const char *plots;         /* png, svg, pdf, dumb, none; NULL: png with --out */
    const char *timeseries;    /* full, mean, none (--timeseries; default full) */
    int plot_w, plot_h;        /* plot size, pixels */
    int json;
    int quiet;
    int force;                 /* --force: past the size limits, over foreign files */
    const char *vary[2];       /* --vary KEY=SPEC */
    size_t n_vary;
    size_t runs;               /* --runs N (Monte Carlo), 0: one run */
    size_t points;             /* a sweep's points, for the work bound (0: one) */
    struct shard_spec shard;   /* --shard K/N (n 0: none) */
    int verdict_only;          /* --verdict-only: runs stop at their first failure */
    const char *parts[SHARD_MAX_PARTS]; /* merge: the shard files */
    size_t n_parts;
    int wide;                  /* --wide: the verdict table at full width */
    const char *region;        /* init --region */
    struct cli_quick {         /* quick: the rig by preset names */
        const char *gpu, *cpu, *psu, *circuit, *job, *duration;
        int print;             /* --print: the scenario only */
    } quick;
    const char *text;          /* the scenario's text when no file holds it
                                  (FILE -: standard input; quick), or NULL */
};

/* Set by SIGINT / SIGTERM (main.c): a run stops at the next sample, keeps what
 * it has written and marks the summary incomplete. The command line's one
 * mutable global besides the --out lock (outdir.c). */
extern volatile sig_atomic_t cli_interrupted;

/* ---------------------------------------------------------------- options -- */

/* Parses ARGV into C. Returns -1 when it is fine, or an exit status (help and
 * version printed: 0; a usage error said: 2). */
int cli_parse(int argc, char **argv, struct cli *c);

/* ----------------------------------------------------------------- common -- */

/* The folder of the preset .ini files and of the gnuplot scripts: $PSUSIM_PRESETS
 * / $PSUSIM_PLOTS, else beside the binary (a build or installed tree), else the
 * folder it was built for. Returns BUF or the environment's text. */
const char *cli_preset_dir(char *buf, size_t n);
const char *cli_plots_dir(char *buf, size_t n);

/* Prints every message of D to stderr, "psusim: " first. */
void cli_print_diag(const struct diag *d);

/* Loads C's scenario with its --set texts into *S, the problems into *D (a new
 * list the caller frees, NULL when out of memory: then EXIT_IO, said). Returns
 * EXIT_PASS or EXIT_USAGE. */
int cli_load_with(const struct cli *c, struct scenario **s, struct diag **d);

/* As cli_load_with, the problems printed with their count. */
int cli_load(const struct cli *c, struct scenario **s);

/* Refuses runs over the limits (unless --force). Returns 0, or EXIT_USAGE after a
 * message with the figure and what to change. */
int cli_check_limits(const struct cli *c, const struct scenario *s);

/* Loads the scenario once to report its problems the usual way, and checks
 * the work's bounds (runs and points included). */
int cli_check_loads(const struct cli *c);

/* The base every run of a sweep or Monte Carlo job starts from; BUF holds the
 * preset folder's name. */
struct sweep_base cli_sweep_base(const struct cli *c, char *buf, size_t n);

/* A progress bar on stderr when it is a terminal: runs, rate, ETA. */
struct progress {
    int on;
    double t0;
    const char *what;
};

double cli_now_s(void);

/* A sweep_progress callback: USER is a struct progress. */
void cli_show_progress(void *user, size_t done, size_t total);

/* The text's layout on stdout: --wide, else $COLUMNS, else the terminal's
 * width, else 80; colour on a terminal unless $NO_COLOR (style.c). */
struct report_style cli_text_style(const struct cli *c);

/* ------------------------------------------------------------- --out DIR -- */

/* --out DIR: a folder psusim made (its marker is there) or one without psusim's
 * file names in it; otherwise refuse without --force. Returns EXIT_PASS, or
 * EXIT_USAGE / EXIT_IO with a message in ERR (outdir.c). */
int cli_claim_out_dir(const struct cli *c, char *err, size_t errlen);

/* ---------------------------------------------------- shared by commands -- */

/* The Monte Carlo result of the N outcomes O as `run --runs` prints it (text or
 * --json); the exit status (runs.c). */
int cli_mc_report(const struct cli *c, const struct sweep_outcome *o, size_t n,
                  int incomplete);

/* The sweep's table, files and plot of the outcomes O (and P(fail) PFAIL when
 * RUNS > 1) of its N1 x N2 points over the axes AX; the exit status (sweep.c). */
int cli_sweep_report(const struct cli *c, const struct sweep_axis *ax, size_t n1,
                     size_t runs, const struct sweep_outcome *o, const double *pfail);

/* Writes the shard file of C's job (COMMAND "run" or "sweep", TOTAL items O and
 * PFAIL) to --out DIR/shard-K-of-N.json, or to stdout. Returns the exit status
 * (shard.c). */
int cli_shard_out(const struct cli *c, const char *command, size_t total,
                  const struct sweep_outcome *o, const double *pfail);

/* --------------------------------------------------------------- commands -- */

/* One per file; each returns the exit status. */
int cmd_run(const struct cli *c);           /* run.c */
int cmd_monte_carlo(const struct cli *c);   /* runs.c: run --runs N */
int cmd_check(const struct cli *c);         /* check.c */
int cmd_sweep(const struct cli *c);         /* sweep.c */
int cmd_merge(const struct cli *c);         /* shard.c */
int cmd_recommend(const struct cli *c);     /* recommend.c */
int cmd_presets(const struct cli *c);       /* presets.c */
int cmd_keys(const struct cli *c);          /* keys.c */
int cmd_init(const struct cli *c);          /* init.c */
int cmd_quick(const struct cli *c);         /* quick.c */

/* FILE -: reads standard input into C->text (malloc'd, freed at exit) and names
 * the scenario "(stdin)". Returns EXIT_PASS, or the exit status after the
 * message (common.c). */
int cli_read_stdin(struct cli *c);

#endif

/* main — psusim's command line: the signals, and the command table. Each
 * command lives in its own file in sim/cmd/ (run.c, check.c, sweep.c, ...) over
 * the shared options and helpers of sim/cmd/cmd.h, as git's builtin/ does.
 *
 * Exit status: 0 every link passes (or only MARGINAL), 1 the run finished and
 * something trips or breaks a rule, 2 bad input or usage, 3 I/O or internal error.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cmd/cmd.h"

/* Set by SIGINT / SIGTERM: the run stops at the next sample, keeps what it has
 * written and marks the summary incomplete. */
volatile sig_atomic_t cli_interrupted;

static void on_signal(int sig)
{
    (void)sig;
    cli_interrupted = 1;
}

/* The commands; run with --runs N is the Monte Carlo job. */
static const struct {
    const char *name;
    int (*fn)(const struct cli *c);
} commands[] = {
    { "run", cmd_run },         { "check", cmd_check },     { "sweep", cmd_sweep },
    { "recommend", cmd_recommend }, { "merge", cmd_merge }, { "presets", cmd_presets },
    { "keys", cmd_keys },       { "init", cmd_init },       { "quick", cmd_quick },
};

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    /* from the start, so a signal during loading also ends the run cleanly */
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    struct cli c = { 0 };
    int rc = cli_parse(argc, argv, &c);
    if (rc >= 0) return rc;
    if (c.file && strcmp(c.file, "-") == 0 && (rc = cli_read_stdin(&c)) != EXIT_PASS) return rc;
    rc = EXIT_USAGE;   /* cli_parse knows the same commands */
    if (strcmp(c.command, "run") == 0 && c.runs > 0) rc = cmd_monte_carlo(&c);
    else
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
            if (strcmp(c.command, commands[i].name) == 0) rc = commands[i].fn(&c);
    free((char *)c.text);
    return rc;
}

/* recommend — psusim recommend FILE: the smallest change that makes every link
 * pass, per lever. */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <jansson.h>

#include "cmd.h"
#include "recommend.h"
#include "scenario.h"
#include "verdict.h"

int cmd_recommend(const struct cli *c)
{
    /* it writes no file and its advice is printed as found: SIGINT / SIGTERM end
     * it at once (a candidate cut short would read as one that fails) */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    struct scenario *s = NULL;
    int rc = cli_load(c, &s);
    if (rc != EXIT_PASS) return rc;
    char buf[PATH_MAX];
    struct sweep_base b = cli_sweep_base(c, buf, sizeof buf);
    b.stop = NULL;
    struct progress pr = { !c->quiet && isatty(STDERR_FILENO), cli_now_s(), "candidates" };
    struct recommend_in in = { "psusim", &b, s, cli_show_progress, &pr };
    json_t *j = c->json ? json_object() : NULL;
    int now = recommend(&in, c->json || c->quiet ? NULL : stdout, j);
    if (pr.on) fputc('\n', stderr);
    scenario_free(s);
    if (now < 0) {
        json_decref(j);
        fprintf(stderr, "psusim: %s: the scenario does not run (out of memory)\n", c->file);
        return EXIT_IO;
    }
    if (j) {
        json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        fputc('\n', stdout);
        json_decref(j);
    }
    if (fflush(stdout) != 0) return EXIT_IO;
    return now == VERDICT_FAIL ? EXIT_FAIL : EXIT_PASS;
}

/* recommend — the changes that make a rig pass, each simulated.
 *
 * recommend() judges the scenario as it is, names the parts whose links do not
 * PASS, and tries levers on those parts: the GPUs' power limit (bisected, never
 * below the card's minimum), each failing PSU's rating, the fixes a failing
 * circuit's region offers (a US 20 A circuit, a dedicated circuit, 240 V; a
 * circuit of its own or a CEE socket in Germany and the EU; a radial with an IEC
 * 60309 socket instead of the UK's 13 A plug; a 20 A or a 200 V outlet in
 * Japan), and staggered power-on. Every lever is a set of --set texts on top of
 * the user's own, simulated like any run; a lever passes when every link
 * PASSes (so at least the 10 % margin the verdicts ask for), and its advice
 * carries the full command that reproduces its verdict.
 */
#ifndef PSUSIM_RECOMMEND_H
#define PSUSIM_RECOMMEND_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "scenario.h"
#include "sweep.h"

/* Called after each simulated candidate with the candidates done and the
 * number expected (an estimate: bisection steps vary); may be NULL. */
typedef void (*recommend_progress_fn)(void *user, size_t done, size_t total);

struct recommend_in {
    const char *prog;               /* the command that reproduces a lever ("psusim") */
    const struct sweep_base *base;  /* the file, presets and the user's --set */
    const struct scenario *s;       /* the scenario loaded with them */
    recommend_progress_fn progress;
    void *user;
};

/* Prints the advice to OUT (NULL: none) and, when JSON is an object, sets its
 * "now", "failing" and "levers" members. Returns the verdict of the scenario as
 * it is (enum verdict), or -1 when the scenario does not run (out of memory). */
int recommend(const struct recommend_in *in, FILE *out, json_t *json);

/* Writes ARG into DST (size N) quoted for a POSIX shell when it needs it (single
 * quotes; a ' inside becomes '\''), so a printed command can be pasted as it is.
 * Returns DST; cut (still quoted and terminated) when N is too small. */
char *recommend_shell_quote(char *dst, size_t n, const char *arg);

#endif

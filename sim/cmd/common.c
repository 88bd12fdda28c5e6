/* common — what every command shares: the data folders, loading a scenario and
 * reporting its problems, the work bounds, the progress bar (cmd.h). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "diag.h"
#include "scenario.h"
#include "sweep.h"

/* Refused up front unless --force: runs this long or outputs this large are
 * almost always a typo (a step of 1 us, a duration of 30 d). */
static const double MAX_STEPS = 2e9;           /* about 5 min of computing here */
/* Units (GPU cards, CPUs, loads: each section's count) x steps (x runs): the
 * fixed path costs about 30 ns per unit and step (the seed rig's 4 units at
 * 130 ns a step, tests/bench/README.md), so 8e9 is again about 5 min; the
 * stride solver about 30 x less per unit and step (bench: 0.6-1 ns) (issue 15, 7). */
static const double MAX_UNIT_STEPS_FIXED = 8e9;
static const double MAX_UNIT_STEPS_STRIDE = 2.4e11;
/* Sections: far beyond a home lab (a rack of 8-GPU servers is tens), and the
 * text, report and plots are built for a few dozen. */
enum { MAX_SECTIONS = 1000 };
static const double MAX_OUTPUT_BYTES = 2e9;    /* timeseries.csv */

/* A data folder: $ENV, else BUILD beside the binary (a build tree), else
 * ../share/psusim/INSTALLED beside it (an installed tree, under any PREFIX), else
 * the data folder the binary was built for. */
static const char *data_dir(const char *env_name, const char *build, const char *installed,
                            char *buf, size_t n)
{
    const char *env = getenv(env_name);
    if (env && env[0]) return env;
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash = len > 0 ? (exe[len] = '\0', strrchr(exe, '/')) : NULL;
    if (slash) {
        *slash = '\0';
        char up[PATH_MAX];
        snprintf(up, sizeof up, "../share/psusim/%s", installed);
        const char *beside[] = { build, up };
        for (size_t i = 0; i < 2; i++) {
            struct stat st;
            int w = snprintf(buf, n, "%.*s/%s", (int)(n - 64), exe, beside[i]);
            if (w > 0 && (size_t)w < n && stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
                return buf;
        }
    }
    snprintf(buf, n, "%s/%s", PSUSIM_DATADIR, installed);
    return buf;
}

const char *cli_preset_dir(char *buf, size_t n)
{
    return data_dir("PSUSIM_PRESETS", "scenarios/presets", "presets", buf, n);
}

const char *cli_plots_dir(char *buf, size_t n)
{
    return data_dir("PSUSIM_PLOTS", "plots", "plots", buf, n);
}

void cli_print_diag(const struct diag *d)
{
    for (size_t i = 0; i < d->n; i++) fprintf(stderr, "psusim: %s\n", d->msg[i]);
    if (d->dropped)
        fprintf(stderr, "psusim: ... and %zu more problems\n", d->dropped);
}

/* Where message M points: the length of its file name (before ":LINE:") and
 * its line; a message without a line (a --set text, a whole-file problem):
 * the text before its first ": " and INT_MAX, after the lines of that file. */
static size_t diag_place(const char *m, int *line)
{
    for (const char *p = strchr(m, ':'); p; p = strchr(p + 1, ':')) {
        char *end;
        long n = strtol(p + 1, &end, 10);
        if (end > p + 1 && *end == ':' && p[1] >= '0' && p[1] <= '9' && n > 0 && n < INT_MAX) {
            *line = (int)n;
            return (size_t)(p - m);
        }
    }
    const char *colon = strstr(m, ": ");
    *line = INT_MAX;
    return colon ? (size_t)(colon - m) : strlen(m);
}

/* Sorts D's messages by file (in the order the files first appear) and line,
 * keeping the order of messages on one line; --set problems after the file's
 * (issue 19, 4). */
static void sort_diag(struct diag *d)
{
    struct { size_t file; int line; } key[DIAG_MAX];
    size_t order[DIAG_MAX];
    for (size_t i = 0; i < d->n; i++) {
        size_t len = diag_place(d->msg[i], &key[i].line);
        key[i].file = i;
        if (strncmp(d->msg[i], "--set ", 6) == 0) key[i].file = DIAG_MAX; /* after the file's */
        for (size_t j = 0; j < i && key[i].file < DIAG_MAX; j++) {
            int lj;
            if (diag_place(d->msg[j], &lj) == len && strncmp(d->msg[j], d->msg[i], len) == 0) {
                key[i].file = key[j].file;
                break;
            }
        }
    }
    /* insertion sort: stable, and at most DIAG_MAX messages */
    for (size_t i = 0; i < d->n; i++) {
        size_t k = i;
        while (k > 0 && (key[order[k - 1]].file > key[i].file
                         || (key[order[k - 1]].file == key[i].file
                             && key[order[k - 1]].line > key[i].line))) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = i;
    }
    char (*copy)[DIAG_LEN] = malloc(sizeof d->msg);
    if (!copy) return;   /* unsorted, but whole */
    memcpy(copy, d->msg, sizeof d->msg);
    for (size_t i = 0; i < d->n; i++) memcpy(d->msg[i], copy[order[i]], DIAG_LEN);
    free(copy);
}

/* Loads C's scenario with its --set texts into *S, the problems into *D (a new
 * list the caller frees, NULL when out of memory: then EXIT_IO, said). Returns
 * EXIT_PASS or EXIT_USAGE. */
int cli_load_with(const struct cli *c, struct scenario **s, struct diag **d)
{
    char buf[PATH_MAX];
    struct scn_options opt = { cli_preset_dir(buf, sizeof buf), c->sets, c->n_sets };
    *d = malloc(sizeof **d);
    if (!*d) {
        fprintf(stderr, "psusim: out of memory\n");
        return EXIT_IO;
    }
    diag_init(*d);
    int rc = (c->text ? scenario_load_text(c->file, c->text, &opt, s, *d)
                      : scenario_load(c->file, &opt, s, *d)) == 0 ? EXIT_PASS : EXIT_USAGE;
    sort_diag(*d);
    return rc;
}

int cli_load(const struct cli *c, struct scenario **s)
{
    struct diag *d = NULL;
    int rc = cli_load_with(c, s, &d);
    if (rc == EXIT_USAGE) {
        cli_print_diag(d);
        fprintf(stderr, "psusim: %s: %zu problem%s; nothing was simulated\n", c->file,
                diag_total(d), diag_total(d) == 1 ? "" : "s");
    }
    free(d);
    return rc;
}

/* Refuses runs over the limits (unless --force). Returns 0, or EXIT_USAGE after a
 * message with the figure and what to change. */
int cli_check_limits(const struct cli *c, const struct scenario *s)
{
    double steps = s->sc.duration_s / s->sc.step_s;
    double units = 0;
    for (size_t i = 0; i < s->n_loads; i++) units += s->loads[i].count;
    size_t sections = s->n_loads + s->n_psus + s->n_circuits;
    /* Monte Carlo and sweeps multiply the work by their runs and points */
    double runs = (c->runs ? (double)c->runs : 1.0) * (c->points ? (double)c->points : 1.0);
    int fixed = s->sc.solver == SCN_SOLVER_FIXED;
    double work = units * steps * runs;
    double max_work = fixed ? MAX_UNIT_STEPS_FIXED : MAX_UNIT_STEPS_STRIDE;
    double rows = s->sc.duration_s / s->sc.sample_s;
    /* the engine's signals: one per load, two per PSU, three per circuit */
    size_t n_sig = s->n_loads + 2 * s->n_psus + 3 * s->n_circuits;
    /* a row: two times and min/mean/max of every signal at ~10 characters each */
    double per_signal = strcmp(c->timeseries, "mean") == 0 ? 10.0 : 30.0;
    double bytes = c->out_dir && !c->runs && !c->points && strcmp(c->timeseries, "none") != 0
                       ? rows * (20 + per_signal * (double)n_sig) : 0;
    if (c->force) return EXIT_PASS;
    if (steps > MAX_STEPS) {
        fprintf(stderr, "psusim: %s: %.3g steps (duration %g s / step %g s) would compute "
                "for about %.0f min; raise [scenario] step or shorten the duration, or "
                "add --force to go on\n", c->file, steps, s->sc.duration_s, s->sc.step_s,
                steps * 130e-9 / 60);
        return EXIT_USAGE;
    }
    if (sections > MAX_SECTIONS) {
        fprintf(stderr, "psusim: %s: %zu sections (circuits, PSUs and loads); at most %d "
                "without --force (use count = N for identical units)\n", c->file, sections,
                MAX_SECTIONS);
        return EXIT_USAGE;
    }
    if (work > max_work) {
        fprintf(stderr, "psusim: %s: %.0f units x %.3g steps%s would compute for about "
                "%.0f min (%s solver); fewer units or runs, a larger step or a shorter "
                "duration, or add --force to go on\n", c->file, units, steps,
                runs > 1 ? " x runs and points" : "",
                work * (fixed ? 30e-9 : 1e-9) / 60, fixed ? "fixed" : "stride");
        return EXIT_USAGE;
    }
    if (bytes > MAX_OUTPUT_BYTES) {
        fprintf(stderr, "psusim: %s: timeseries.csv would be about %.1f GB (%.3g rows of "
                "%zu signals); raise [scenario] sample, or add --force to go on\n", c->file,
                bytes / 1e9, rows, n_sig);
        return EXIT_USAGE;
    }
    return EXIT_PASS;
}

double cli_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void cli_show_progress(void *user, size_t done, size_t total)
{
    struct progress *p = user;
    if (!p->on) return;
    double el = cli_now_s() - p->t0;
    double rate = el > 0 ? (double)done / el : 0;
    int width = 30, fill = total ? (int)((double)width * (double)done / (double)total) : 0;
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu %s, %.2f/s, ETA %.0f s ", fill,
            "##############################", width - fill, "", done, total, p->what, rate,
            rate > 0 ? (double)(total - done) / rate : 0.0);
    if (done == total) fputc('\n', stderr);
}

struct sweep_base cli_sweep_base(const struct cli *c, char *buf, size_t n)
{
    struct sweep_base b = { c->file, cli_preset_dir(buf, n), c->sets, c->n_sets,
                            c->verdict_only, &cli_interrupted };
    return b;
}

/* Loads the scenario once to report its problems the usual way, and checks
 * the work's bounds (runs and points included). */
int cli_check_loads(const struct cli *c)
{
    struct scenario *s = NULL;
    int rc = cli_load(c, &s);
    if (rc == EXIT_PASS) rc = cli_check_limits(c, s);
    scenario_free(s);
    return rc;
}

/* A scenario on standard input: at most this many bytes (a scenario of
 * MAX_SECTIONS sections is far below it). */
enum { STDIN_MAX = 16 << 20 };

int cli_read_stdin(struct cli *c)
{
    size_t n = 0, cap = 4096;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - 1 - n, stdin);
        if (n < cap - 1) break;
        if (cap > STDIN_MAX) {
            fprintf(stderr, "psusim: standard input: more than %d MB; a scenario is a few "
                    "kB\n", STDIN_MAX >> 20);
            free(buf);
            return EXIT_USAGE;
        }
        char *more = realloc(buf, 2 * cap);
        if (!more) free(buf);
        buf = more;
        cap *= 2;
    }
    if (!buf) {
        fprintf(stderr, "psusim: out of memory\n");
        return EXIT_IO;
    }
    if (ferror(stdin)) {
        fprintf(stderr, "psusim: standard input: read error\n");
        free(buf);
        return EXIT_IO;
    }
    buf[n] = '\0';
    if (strlen(buf) != n) {
        fprintf(stderr, "psusim: standard input: holds a NUL byte; a scenario is text\n");
        free(buf);
        return EXIT_USAGE;
    }
    c->text = buf;
    c->file = "(stdin)";
    return EXIT_PASS;
}

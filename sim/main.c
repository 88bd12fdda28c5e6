/* main — psusim's command line. The only place that prints errors or exits.
 *
 * Exit status: 0 every link passes (or only MARGINAL), 1 the run finished and
 * something trips or breaks a rule, 2 bad input or usage, 3 I/O or internal error.
 */
#include <errno.h>
#include <signal.h>
#include <gsl/gsl_errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvout.h"
#include "diag.h"
#include "engine.h"
#include "figures.h"
#include "outfile.h"
#include "plot.h"
#include "preset.h"
#include "recommend.h"
#include "report.h"
#include "scenario.h"
#include "shard.h"
#include "sweep.h"
#include "text.h"
#include "verdict.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include <time.h>

enum { EXIT_PASS = 0, EXIT_FAIL = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

enum { MAX_SETS = 256 };

/* Set by SIGINT / SIGTERM: the run stops at the next sample, keeps what it has
 * written and marks the summary incomplete. The only mutable global (main.c). */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* Refused up front unless --force: runs this long or outputs this large are
 * almost always a typo (a step of 1 us, a duration of 30 d). */
enum { SHARD_MAX_PARTS = 4096 };    /* shard files one merge takes */

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

/* The file --out leaves in a folder it writes, so it knows the folder's files
 * are its own. */
static const char OUT_MARKER[] = ".psusim-out";
/* The lock a run holds on its --out folder (fcntl, released at exit). */
static const char OUT_LOCK[] = ".psusim-lock";

static const char usage_text[] =
    "usage: psusim run FILE [--set KEY=VALUE]... [--out DIR] [--json] [--quiet]\n"
    "                  [--plots png|svg|pdf|dumb|none] [--plot-size WxH]\n"
    "                  [--timeseries full|mean|none]\n"
    "       psusim run FILE --runs N [--set KEY=VALUE]... [--json]   (Monte Carlo)\n"
    "       psusim sweep FILE --vary KEY=SPEC [--vary KEY=SPEC] [--runs N] [--out DIR]\n"
    "       psusim run|sweep ... --shard K/N [--out DIR]   (part K of N: a shard file)\n"
    "       psusim merge SHARD.json... [--json] [--out DIR]  (the whole result)\n"
    "       psusim recommend FILE [--set KEY=VALUE]... [--json]\n"
    "       psusim check FILE [--set KEY=VALUE]... [--json]\n"
    "       psusim presets [circuit|psu|gpu|cpu|load|perf|ups [NAME]] [--json]\n"
    "       psusim presets --check   (every value sourced, every name once)\n"
    "       psusim keys          (the scenario reference, Markdown)\n"
    "       psusim --help | --version\n";

static const char help_text[] =
    "psusim - will this rig run on this wall circuit?\n"
    "\n"
    "Simulates GPU/CPU loads through their power supplies into the branch circuit\n"
    "and its breaker, step by step in time, and judges every link of the chain.\n"
    "\n"
    "commands:\n"
    "  run FILE      simulate the scenario, print one verdict line per link\n"
    "  check FILE    read and validate the scenario only\n"
    "  sweep FILE    run a grid of one or two parameters (--vary), a table of verdicts\n"
    "  recommend FILE  the smallest change that makes every link pass, per lever\n"
    "  merge FILES   put the shard files of a --runs or sweep job together: prints\n"
    "                what the job prints on one machine\n"
    "  presets [K [NAME]]  list the hardware database (circuit, psu, gpu, cpu,\n"
    "                load, perf); with NAME one entry, every value with its source\n"
    "                comment and file:line; --json for scripts; --check lints it\n"
    "  keys          print every scenario section and key (Markdown)\n"
    "\n"
    "options:\n"
    "  --set KEY=VALUE  override a key: psu.main.rating=2000W, scenario.duration=1h\n"
    "                   (KIND.NAME.KEY for named sections); may repeat\n"
    "  --out DIR        write summary.json, timeseries.csv, events.csv, report.md\n"
    "                   and the plots into DIR\n"
    "  --plots FMT      png (default with --out), svg, pdf, dumb (in the terminal)\n"
    "                   or none\n"
    "  --plot-size WxH  plot size in pixels (default 1200x800)\n"
    "  --timeseries K   with --out: full (min/mean/max of every signal, the\n"
    "                   default), mean (the means: a third of the size) or none\n"
    "  --json           print the JSON summary on stdout instead of the text\n"
    "  --quiet          print nothing on success but errors (and no progress bar)\n"
    "  --force          run past the size limits (2e9 steps, 2 GB of CSV) and write\n"
    "                   into an --out folder holding files psusim did not write\n"
    "  --vary KEY=SPEC  sweep: SPEC a list (1600W,2000W) or a range (300W:575W:25W)\n"
    "  --runs N         Monte Carlo: N runs with seeds derived from the scenario's\n"
    "                   seed, on every core; failure probabilities with 95 % Wilson\n"
    "                   intervals and quantiles of the key figures\n"
    "  --verdict-only   with --runs or sweep: only PASS or FAIL matters, so each run\n"
    "                   stops at its first trip, shutdown or excursion (faster when\n"
    "                   they fail early); figures other than P(any_failure) are left out\n"
    "  --shard K/N      with --runs or sweep: compute only part K of N (run or point\n"
    "                   i when i mod N = K - 1) and write a shard file (to --out DIR\n"
    "                   as shard-K-of-N.json, else to stdout) for psusim merge\n"
    "\n"
    "exit status: 0 all links pass (MARGINAL included), 1 something trips or\n"
    "breaks a rule, 2 bad input or usage, 3 I/O or internal error.\n"
    "\n"
    "environment: PSUSIM_PRESETS  folder of the preset .ini files\n"
    "             PSUSIM_PLOTS    folder of the gnuplot scripts\n";

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
};

/* ================================================================ presets == */

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

static const char *preset_dir(char *buf, size_t n)
{
    return data_dir("PSUSIM_PRESETS", "scenarios/presets", "presets", buf, n);
}

static const char *plots_dir(char *buf, size_t n)
{
    return data_dir("PSUSIM_PLOTS", "plots", "plots", buf, n);
}

static void print_diag(const struct diag *d)
{
    for (size_t i = 0; i < d->n; i++) fprintf(stderr, "psusim: %s\n", d->msg[i]);
    if (d->dropped)
        fprintf(stderr, "psusim: ... and %zu more problems\n", d->dropped);
}

/* The kinds of the database, in listing order; perf: GPU throughput versus power
 * limit (gpu-perf.ini, used by recommend). */
static const char *const preset_kinds[] = { "circuit", "psu", "load", "gpu", "cpu", "perf",
                                              "ups" };
enum { N_PRESET_KINDS = sizeof preset_kinds / sizeof preset_kinds[0] };

/* 1 when entry I is the first of its [kind name] (the one a listing shows). */
static int preset_first(const struct preset_db *db, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (strcmp(db->entries[j].kind, db->entries[i].kind) == 0
            && strcmp(db->entries[j].name, db->entries[i].name) == 0)
            return 0;
    return 1;
}

/* What a listing shows of a preset: its description (a perf entry: its workload). */
static const char *preset_summary(const struct preset_db *db, const struct preset_entry *e)
{
    const char *alt = "";
    for (size_t j = 0; j < db->n; j++) {
        const struct preset_entry *f = &db->entries[j];
        if (strcmp(f->kind, e->kind) != 0 || strcmp(f->name, e->name) != 0) continue;
        if (strcmp(f->key, "description") == 0) return f->value;
        if (strcmp(f->key, "workload") == 0) alt = f->value;
    }
    return alt;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* TEXT from column COL, wrapped at 100 columns onto lines indented by INDENT. */
static void print_wrapped(const char *text, int indent, int col)
{
    int first = 1;
    const char *p = text;
    while (*p) {
        while (*p == ' ') p++;
        size_t w = strcspn(p, " ");
        if (w == 0) break;
        if (!first && col + 1 + (int)w > 100) {
            printf("\n%*s", indent, "");
            col = indent;
        } else if (!first) {
            putchar(' ');
            col++;
        }
        first = 0;
        printf("%.*s", (int)w, p);
        col += (int)w;
        p += w;
    }
}

/* One preset, every value with its source comment and file:line. */
static void preset_show_text(const struct preset_db *db, const struct preset_entry *e)
{
    printf("[%s %s]  %s:%d\n", e->kind, e->name, db->files[e->file], e->section_line);
    const char *desc = preset_summary(db, e);
    if (desc[0]) printf("%s\n", desc);
    putchar('\n');
    for (size_t j = 0; j < db->n; j++) {
        const struct preset_entry *f = &db->entries[j];
        if (strcmp(f->kind, e->kind) != 0 || strcmp(f->name, e->name) != 0
            || strcmp(f->key, "description") == 0)
            continue;
        printf("  %-20s %s\n", f->key, f->value);
        printf("      ");
        if (f->comment && f->comment[0]) {
            int above = f->comment_line != f->line;
            if (above) printf("(comment above) ");
            print_wrapped(f->comment, 6, above ? 22 : 6);
            printf("  [%s:%d]\n", base_name(db->files[f->file]), f->line);
        } else {
            printf("(no source comment)  [%s:%d]\n", base_name(db->files[f->file]), f->line);
        }
    }
}

/* One preset as JSON: kind, name, description, file, line and its values, each
 * with key, value, comment (null: none), line and comment_line. */
static json_t *preset_json(const struct preset_db *db, const struct preset_entry *e)
{
    json_t *o = json_object(), *vals = json_array();
    if (!o || !vals) {
        json_decref(o);
        json_decref(vals);
        return NULL;
    }
    int bad = 0;
    bad |= json_object_set_new(o, "kind", json_string(e->kind));
    bad |= json_object_set_new(o, "name", json_string(e->name));
    bad |= json_object_set_new(o, "description", json_string(preset_summary(db, e)));
    bad |= json_object_set_new(o, "file", json_string(db->files[e->file]));
    bad |= json_object_set_new(o, "line", json_integer(e->section_line));
    bad |= json_object_set_new(o, "values", vals);
    for (size_t j = 0; !bad && j < db->n; j++) {
        const struct preset_entry *f = &db->entries[j];
        if (strcmp(f->kind, e->kind) != 0 || strcmp(f->name, e->name) != 0) continue;
        json_t *v = json_object();
        if (!v) {
            bad = 1;
            break;
        }
        int has = f->comment && f->comment[0];
        bad |= json_array_append_new(vals, v);
        bad |= json_object_set_new(v, "key", json_string(f->key));
        bad |= json_object_set_new(v, "value", json_string(f->value));
        bad |= json_object_set_new(v, "comment", has ? json_string(f->comment) : json_null());
        bad |= json_object_set_new(v, "line", json_integer(f->line));
        bad |= json_object_set_new(v, "comment_line",
                                   has ? json_integer(f->comment_line) : json_null());
    }
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* presets [KIND [NAME]] [--json], presets --check. */
static int cmd_presets(const char *kind, const char *name, int json, int check)
{
    if (kind) {
        int known = 0;
        for (size_t i = 0; i < N_PRESET_KINDS; i++) known |= strcmp(kind, preset_kinds[i]) == 0;
        if (!known) {
            const char *near = text_nearest(kind, preset_kinds, N_PRESET_KINDS, 2);
            fprintf(stderr, "psusim: presets: unknown kind '%s'%s%s%s (known: circuit, "
                    "psu, load, gpu, cpu, perf, ups)\n", kind, near ? "; did you mean '" : "",
                    near ? near : "", near ? "'?" : "");
            return EXIT_USAGE;
        }
    }
    char buf[PATH_MAX];
    const char *dir = preset_dir(buf, sizeof buf);
    struct diag *d = malloc(sizeof *d);
    if (!d) return EXIT_IO;
    diag_init(d);
    struct preset_db db = { 0 };
    if (preset_db_load(&db, dir, d) != 0) {
        print_diag(d);
        preset_db_free(&db);
        free(d);
        return EXIT_IO;
    }
    int rc = EXIT_PASS;
    if (check) {
        /* the database's promises: a source for every value, each name once */
        size_t problems = preset_db_lint(&db, d);
        print_diag(d);
        size_t counts[N_PRESET_KINDS] = { 0 }, other = 0;
        for (size_t i = 0; i < db.n; i++) {
            if (!preset_first(&db, i)) continue;
            size_t k = 0;
            while (k < N_PRESET_KINDS && strcmp(db.entries[i].kind, preset_kinds[k]) != 0) k++;
            if (k < N_PRESET_KINDS) counts[k]++;
            else other++;
        }
        printf("presets in %s:", dir);
        for (size_t k = 0; k < N_PRESET_KINDS; k++)
            printf(" %zu %s%s", counts[k], preset_kinds[k], k + 1 < N_PRESET_KINDS ? "," : "");
        if (other) printf(", %zu of other kinds", other);
        printf("; %zu values in %zu files; %zu problem%s\n", db.n, db.n_files, problems,
               problems == 1 ? "" : "s");
        rc = problems ? EXIT_FAIL : EXIT_PASS;
        free(d);
        preset_db_free(&db);
        return rc;
    }
    free(d);
    if (name) {
        size_t at = db.n;
        for (size_t i = 0; i < db.n && at == db.n; i++)
            if (strcmp(db.entries[i].kind, kind) == 0 && strcmp(db.entries[i].name, name) == 0)
                at = i;
        if (at == db.n) {
            const char *near = preset_db_nearest(&db, kind, name);
            fprintf(stderr, "psusim: presets: no %s preset '%s'%s%s%s (list them with "
                    "'psusim presets %s')\n", kind, name, near ? "; did you mean '" : "",
                    near ? near : "", near ? "'?" : "", kind);
            preset_db_free(&db);
            return EXIT_USAGE;
        }
        if (json) {
            json_t *o = preset_json(&db, &db.entries[at]);
            if (!o || json_dumpf(o, stdout, JSON_INDENT(2)) != 0) rc = EXIT_IO;
            else fputc('\n', stdout);
            json_decref(o);
        } else {
            preset_show_text(&db, &db.entries[at]);
        }
        preset_db_free(&db);
        return fflush(stdout) == 0 ? rc : EXIT_IO;
    }
    json_t *all = json ? json_object() : NULL, *list = json ? json_array() : NULL;
    if (json && (!all || !list || json_object_set_new(all, "dir", json_string(dir)) != 0
                 || json_object_set(all, "presets", list) != 0))
        rc = EXIT_IO;
    size_t shown = 0;
    for (size_t k = 0; rc == EXIT_PASS && k < N_PRESET_KINDS; k++) {
        if (kind && strcmp(kind, preset_kinds[k]) != 0) continue;
        for (size_t i = 0; i < db.n; i++) {
            const struct preset_entry *e = &db.entries[i];
            if (strcmp(e->kind, preset_kinds[k]) != 0 || !preset_first(&db, i)) continue;
            if (json) {
                json_t *o = preset_json(&db, e);
                if (!o || json_array_append_new(list, o) != 0) rc = EXIT_IO;
            } else {
                printf("%-8s %-24s %s\n", e->kind, e->name, preset_summary(&db, e));
            }
            shown++;
        }
    }
    if (json) {
        if (rc == EXIT_PASS && json_dumpf(all, stdout, JSON_INDENT(2)) == 0) fputc('\n', stdout);
        else rc = EXIT_IO;
    } else if (shown == 0) {
        printf("no %s presets in %s\n", kind ? kind : "", dir);
    } else if (!kind) {
        printf("(show one with its sources: psusim presets KIND NAME)\n");
    }
    json_decref(list);
    json_decref(all);
    preset_db_free(&db);
    return fflush(stdout) == 0 ? rc : EXIT_IO;
}

/* ==================================================================== run == */

/* Loads C's scenario with its --set texts into *S, the problems into *D (a new
 * list the caller frees, NULL when out of memory: then EXIT_IO, said). Returns
 * EXIT_PASS or EXIT_USAGE. */
static int load_with(const struct cli *c, struct scenario **s, struct diag **d)
{
    char buf[PATH_MAX];
    struct scn_options opt = { preset_dir(buf, sizeof buf), c->sets, c->n_sets };
    *d = malloc(sizeof **d);
    if (!*d) {
        fprintf(stderr, "psusim: out of memory\n");
        return EXIT_IO;
    }
    diag_init(*d);
    return scenario_load(c->file, &opt, s, *d) == 0 ? EXIT_PASS : EXIT_USAGE;
}

static int load(const struct cli *c, struct scenario **s)
{
    struct diag *d = NULL;
    int rc = load_with(c, s, &d);
    if (rc == EXIT_USAGE) {
        print_diag(d);
        fprintf(stderr, "psusim: %s: %zu problem%s; nothing was simulated\n", c->file,
                diag_total(d), diag_total(d) == 1 ? "" : "s");
    }
    free(d);
    return rc;
}

static int check_limits(const struct cli *c, const struct scenario *s);

/* check --json: {"file", "ok", "problems": [...], and for a scenario that loads
 * its parts and times}; the messages also go to stderr as without --json. */
static int check_json(const struct cli *c)
{
    struct diag *d = NULL;
    struct scenario *s = NULL;
    int rc = load_with(c, &s, &d);
    if (rc == EXIT_IO) return rc;
    if (rc == EXIT_PASS) {
        /* the bounds' refusal (its message on stderr), as a problem like the others */
        rc = check_limits(c, s);
        if (rc != EXIT_PASS) diag_add(d, "%s: the work is over the limits (see the message)",
                                      c->file);
    }
    print_diag(d);
    json_t *j = json_object(), *pj = json_array();
    json_object_set_new(j, "file", json_string(c->file));
    json_object_set_new(j, "ok", json_boolean(rc == EXIT_PASS));
    for (size_t i = 0; i < d->n; i++) json_array_append_new(pj, json_string(d->msg[i]));
    json_object_set_new(j, "problems", pj);
    json_object_set_new(j, "problems_total", json_integer((json_int_t)diag_total(d)));
    if (s) {
        json_object_set_new(j, "circuits", json_integer((json_int_t)s->n_circuits));
        json_object_set_new(j, "psus", json_integer((json_int_t)s->n_psus));
        json_object_set_new(j, "loads", json_integer((json_int_t)s->n_loads));
        json_object_set_new(j, "duration_s", json_real(s->sc.duration_s));
        json_object_set_new(j, "step_s", json_real(s->sc.step_s));
        json_object_set_new(j, "job_s", json_real(s->sc.job_s));
    }
    json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    fputc('\n', stdout);
    json_decref(j);
    scenario_free(s);
    free(d);
    if (fflush(stdout) != 0) return EXIT_IO;
    return rc;
}

static int cmd_check(const struct cli *c)
{
    if (c->json) return check_json(c);
    struct scenario *s = NULL;
    int rc = load(c, &s);
    if (rc != EXIT_PASS) return rc;
    if ((rc = check_limits(c, s)) != EXIT_PASS) {
        scenario_free(s);
        return rc;
    }
    if (!c->quiet)
        printf("%s: OK - %zu circuit%s, %zu PSU%s, %zu load%s; %g s at %g us steps\n",
               c->file, s->n_circuits, s->n_circuits == 1 ? "" : "s", s->n_psus,
               s->n_psus == 1 ? "" : "s", s->n_loads, s->n_loads == 1 ? "" : "s",
               s->sc.duration_s, s->sc.step_s * 1e6);
    scenario_free(s);
    return EXIT_PASS;
}

/* Samples go to the CSV writer and the plot collectors. */
struct sinks {
    FILE *csv;          /* timeseries.csv, or NULL */
    int mean_only;      /* --timeseries mean */
    figures *figs;      /* plot data, or NULL */
    int csv_errno;      /* why a timeseries row could not be written, or 0 */
};

static int fan_out(void *user, const struct engine_sample *smp)
{
    struct sinks *k = user;
    if (interrupted) return 1;
    if (k->figs) figures_sample(k->figs, smp);
    if (!k->csv) return 0;
    errno = 0;
    int rc = k->mean_only ? csvout_timeseries_row_mean(k->csv, smp)
                          : csvout_timeseries_row(k->csv, smp);
    if (rc != 0) k->csv_errno = errno;
    return rc;
}

/* Refuses runs over the limits (unless --force). Returns 0, or EXIT_USAGE after a
 * message with the figure and what to change. */
static int check_limits(const struct cli *c, const struct scenario *s)
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

/* 1 if NAME is a file psusim may write into an --out folder: the fixed outputs,
 * a shard file, or a plot (its script's name, alone or with "-SECTION", in any
 * format --plots draws to a file). */
static int ours(const char *name)
{
    static const char *const fixed[] = { "summary.json", "timeseries.csv", "events.csv",
                                         "report.md", "sweep.csv", "sweep.json" };
    static const char *const plots[] = { "power", "circuit", "tripcurve", "efficiency",
                                         "excursion", "sweep", "upsload" };
    static const char *const formats[] = { ".png", ".svg", ".pdf" };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (strcmp(name, fixed[i]) == 0) return 1;
    size_t len = strlen(name);
    if (strncmp(name, "shard-", 6) == 0 && len > 11 && strcmp(name + len - 5, ".json") == 0)
        return 1;
    for (size_t i = 0; i < sizeof plots / sizeof plots[0]; i++) {
        size_t k = strlen(plots[i]);
        if (strncmp(name, plots[i], k) != 0 || (name[k] != '.' && name[k] != '-')) continue;
        for (size_t j = 0; j < sizeof formats / sizeof formats[0]; j++)
            if (len >= k + 4 && strcmp(name + len - 4, formats[j]) == 0) return 1;
    }
    return 0;
}

/* The --out folder's lock (claim_out_dir): held from the claim to the exit, so
 * two runs never write one folder at once; the kernel drops it when the
 * process ends, however it ends. -1: none held. */
static int out_lock_fd = -1;

/* 1 if NAME is a shard file (shards of one job share a folder by design). */
static int is_shard(const char *name)
{
    return strncmp(name, "shard-", 6) == 0;
}

/* 1 if NAME is a temporary file outfile_open() made for one of our outputs or
 * for the marker (".NAME.XXXXXX"), not a shard's: under the lock, one a killed
 * run left behind. */
static int stale_temp(const char *name)
{
    size_t len = strlen(name);
    char base[NAME_MAX + 1];
    if (name[0] != '.' || len < 9 || len - 8 > NAME_MAX || name[len - 7] != '.') return 0;
    memcpy(base, name + 1, len - 8);
    base[len - 8] = '\0';
    return strcmp(base, OUT_MARKER) == 0 || (ours(base) && !is_shard(base));
}

/* Takes the lock of DIR and clears it for a new result set: the outputs of an
 * earlier run (all but shard files) and stale temporary files go, so the folder
 * never holds files of two runs side by side (issue 15, 3). Returns EXIT_PASS,
 * or EXIT_USAGE (another run holds the lock) / EXIT_IO with ERR. */
static int lock_out_dir(const char *dir, char *err, size_t errlen)
{
    char path[PATH_MAX];
    if (out_lock_fd >= 0) return EXIT_PASS;   /* this run holds it already */
    snprintf(path, sizeof path, "%s/%s", dir, OUT_LOCK);
    int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: cannot open the folder's lock: %s", path,
                 fd < 0 ? strerror(errno) : "not a regular file");
        if (fd >= 0) close(fd);
        return fd < 0 && errno == ELOOP ? EXIT_USAGE : EXIT_IO;
    }
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    if (fcntl(fd, F_SETLK, &fl) != 0) {
        int busy = errno == EACCES || errno == EAGAIN;
        snprintf(err, errlen, busy ? "%s: another psusim run is writing this folder; wait "
                 "for it to finish, or choose another --out folder" : "%s: cannot lock: %s",
                 dir, strerror(errno));
        close(fd);
        return busy ? EXIT_USAGE : EXIT_IO;
    }
    out_lock_fd = fd;
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "%s: cannot read the folder: %s", dir, strerror(errno));
        return EXIT_IO;
    }
    const struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        int old = ours(de->d_name) && !is_shard(de->d_name);
        if (!old && !stale_temp(de->d_name)) continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (unlink(path) != 0 && errno != ENOENT) {
            snprintf(err, errlen, "%s: cannot remove the earlier run's file: %s", path,
                     strerror(errno));
            closedir(d);
            return EXIT_IO;
        }
    }
    closedir(d);
    return EXIT_PASS;
}

/* --out DIR: a folder psusim made (its marker is there) or one without psusim's
 * file names in it; otherwise refuse without --force. Returns EXIT_PASS, or
 * EXIT_USAGE / EXIT_IO with a message in ERR. Leaves the marker, written
 * like every output (a temporary file renamed into place), so a symlink planted
 * under the marker's name is replaced, never followed (issue 15, 1). */
static int claim_out_dir(const struct cli *c, char *err, size_t errlen)
{
    char path[PATH_MAX];
    struct stat st;
    /* one rule for the exit status (README "Exit status"): a folder psusim
     * refuses to use is the user's to change (2); a folder it cannot make, read
     * or write is an I/O error (3) */
    if (stat(c->out_dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "--out %s: exists and is not a folder", c->out_dir);
        return EXIT_USAGE;
    }
    if (outfile_mkdir(c->out_dir, err, errlen) != 0) return EXIT_IO;
    snprintf(path, sizeof path, "%s/%s", c->out_dir, OUT_MARKER);
    int marked = lstat(path, &st) == 0;
    if (marked && !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s is not a regular file (%s); psusim writes no output "
                 "through it: remove it, or choose another --out folder", path,
                 S_ISLNK(st.st_mode) ? "a symbolic link" : "a folder or device");
        return EXIT_USAGE;
    }
    if (!marked && !c->force) {
        DIR *d = opendir(c->out_dir);
        if (!d) {
            snprintf(err, errlen, "%s: cannot read the folder: %s", c->out_dir,
                     strerror(errno));
            return EXIT_IO;
        }
        const struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            if (!ours(de->d_name)) continue;
            snprintf(err, errlen, "%s/%s exists and psusim did not write it; choose "
                     "another --out folder, or add --force to overwrite", c->out_dir,
                     de->d_name);
            closedir(d);
            return EXIT_USAGE;
        }
        closedir(d);
    }
    /* a shard writes its own file only, beside the other shards of its job */
    int rc = c->shard.n ? EXIT_PASS : lock_out_dir(c->out_dir, err, errlen);
    if (rc != EXIT_PASS) return rc;
    struct outfile m;
    if (outfile_open(&m, c->out_dir, OUT_MARKER, err, errlen) != 0) return EXIT_IO;
    fputs("This folder holds psusim outputs; psusim may overwrite them.\n", m.fp);
    return outfile_commit(&m, err, errlen) == 0 ? EXIT_PASS : EXIT_IO;
}

/* Writes summary.json, events.csv and report.md into DIR. Returns 0, or -1 with
 * ERR. */
static int write_outputs(const char *dir, const struct scenario *s,
                         const struct engine_result *r, const struct verdict_report *v,
                         json_t *summary, const struct figures_out *figs, const char *note,
                         const char *timeseries, char *err, size_t errlen)
{
    struct outfile f;
    if (outfile_open(&f, dir, "events.csv", err, errlen) != 0) return -1;
    if (csvout_events(f.fp, s, r) != 0) {
        snprintf(err, errlen, "%s: write failed", f.path);
        outfile_abort(&f);
        return -1;
    }
    if (outfile_commit(&f, err, errlen) != 0) return -1;
    if (outfile_open(&f, dir, "report.md", err, errlen) != 0) return -1;
    report_markdown(f.fp, s, r, v, figs, note, timeseries);
    if (outfile_commit(&f, err, errlen) != 0) return -1;
    /* summary.json last: a folder holding it holds the whole set (the plots,
     * the series, the events and the report are in place before it; issue 15, 3) */
    if (outfile_open(&f, dir, "summary.json", err, errlen) != 0) return -1;
    if (json_dumpf(summary, f.fp, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) != 0
        || fputc('\n', f.fp) == EOF) {
        snprintf(err, errlen, "%s: write failed", f.path);
        outfile_abort(&f);
        return -1;
    }
    return outfile_commit(&f, err, errlen);
}

static int cmd_run(const struct cli *c)
{
    struct scenario *s = NULL;
    int rc = load(c, &s);
    if (rc != EXIT_PASS) return rc;
    char err[OUTFILE_PATH_LEN + DIAG_LEN];
    engine *e = engine_new(s, err, sizeof err);
    if (!e) {
        fprintf(stderr, "psusim: %s: %s\n", c->file, err);
        scenario_free(s);
        return EXIT_USAGE;
    }
    if ((rc = check_limits(c, s)) != EXIT_PASS) {
        engine_free(e);
        scenario_free(s);
        return rc;
    }
    int want_plots = strcmp(c->plots, "none") != 0;
    struct sinks sinks = { NULL, strcmp(c->timeseries, "mean") == 0, NULL, 0 };
    int want_ts = strcmp(c->timeseries, "none") != 0;
    struct outfile ts = { 0 };
    if (want_plots && !(sinks.figs = figures_new(s, e, err, sizeof err))) {
        fprintf(stderr, "psusim: %s\n", err);
        engine_free(e);
        scenario_free(s);
        return EXIT_IO;
    }
    figures_set_stop_flag(sinks.figs, &interrupted);
    if (c->out_dir) {
        int claim = claim_out_dir(c, err, sizeof err), claimed = claim == EXIT_PASS;
        if (claimed && !want_ts) {
            /* an older run's series would pass for this one's */
            char old[PATH_MAX];
            snprintf(old, sizeof old, "%s/timeseries.csv", c->out_dir);
            if (unlink(old) != 0 && errno != ENOENT) {
                snprintf(err, sizeof err, "%s: cannot remove: %s", old, strerror(errno));
                claimed = 0;
                claim = EXIT_IO;   /* not 0: nothing was written */
            }
        }
        if (!claimed
            || (want_ts
                && outfile_open(&ts, c->out_dir, "timeseries.csv", err, sizeof err) != 0)) {
            fprintf(stderr, "psusim: %s\n", err);
            figures_free(sinks.figs);
            engine_free(e);
            scenario_free(s);
            return claimed ? EXIT_IO : claim;
        }
        if (want_ts) {
            csvout_timeseries_header(ts.fp, e, sinks.mean_only);
            sinks.csv = ts.fp;
        }
    }
    struct engine_result res;
    /* no sample callback when nothing takes the samples: strides then run past
     * the sample boundaries (issue 14, 3); Ctrl-C still stops the run */
    engine_set_stop_flag(e, &interrupted);
    int stopped = engine_run(e, sinks.csv || sinks.figs ? fan_out : NULL, &sinks, &res);
    int was_interrupted = stopped && interrupted;
    if (was_interrupted) stopped = 0; /* a clean stop: write what there is */
    struct verdict_report v = { 0 };
    struct figures_out figs = { 0 };
    char note[512] = "";
    json_t *summary = NULL;
    rc = EXIT_IO;
    int dumb = strcmp(c->plots, "dumb") == 0;
    int plots_stopped = 0;   /* Ctrl-C while drawing: the rest is kept */
    if (stopped) {
        if (sinks.csv_errno)
            snprintf(err, sizeof err, "%s: write failed: %s", ts.path,
                     strerror(sinks.csv_errno));
        else
            snprintf(err, sizeof err, "%s: write failed", ts.path);
    } else if (verdict_judge(s, &res, &v) != 0 || !(summary = report_json(s, &res, &v))) {
        snprintf(err, sizeof err, "out of memory");
    } else {
        rc = EXIT_PASS;
        if (was_interrupted) {
            json_object_set_new(summary, "complete", json_false());
            snprintf(note, sizeof note, "Interrupted at t = %.3f s of %.6g s: the figures "
                     "cover the part simulated (complete: false).", res.simulated_s,
                     s->sc.duration_s);
        }
        if (want_plots && !dumb) {
            char pbuf[PATH_MAX];
            if (figures_render(sinks.figs, &res, c->out_dir, plots_dir(pbuf, sizeof pbuf),
                               c->plots, c->plot_w, c->plot_h, NULL, &figs, err,
                               sizeof err) != 0) {
                if (interrupted) plots_stopped = 1;
                else rc = EXIT_IO;
            }
        }
        if (plots_stopped) {
            /* the run is whole: its figures, series and events are kept; only
             * the pictures (drawn all or none) are missing (issue 15, 2) */
            was_interrupted = 1;
            size_t len = strlen(note);
            snprintf(note + len, sizeof note - len, "%sInterrupted while drawing the "
                     "plots: none was drawn (power, circuit, tripcurve, efficiency, "
                     "excursion); the run itself is complete.", len ? " " : "");
        }
        if (rc == EXIT_PASS && figs.no_gnuplot) {
            size_t len = strlen(note);
            snprintf(note + len, sizeof note - len, "%sPlots were skipped: gnuplot is not "
                     "installed (Debian: apt-get install gnuplot-nox).", len ? " " : "");
        }
        if (rc == EXIT_PASS && c->out_dir
            && ((ts.fp && outfile_commit(&ts, err, sizeof err) != 0)
                || write_outputs(c->out_dir, s, &res, &v, summary, &figs,
                                 note[0] ? note : NULL, c->timeseries, err, sizeof err) != 0))
            rc = EXIT_IO;
        if (rc == EXIT_PASS) rc = v.overall == VERDICT_FAIL ? EXIT_FAIL : EXIT_PASS;
    }
    if (rc == EXIT_IO) {
        outfile_abort(&ts);
        fprintf(stderr, "psusim: %s\n", err);
    } else if (c->json) {
        json_dumpf(summary, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        fputc('\n', stdout);
    } else if (!c->quiet) {
        report_text(stdout, s, &res, &v);
        if (dumb) {
            char pbuf[PATH_MAX];
            fflush(stdout);
            if (figures_render(sinks.figs, &res, NULL, plots_dir(pbuf, sizeof pbuf), "dumb",
                               c->plot_w, c->plot_h, stdout, &figs, err, sizeof err) != 0) {
                fprintf(stderr, "psusim: %s\n", err);
                rc = EXIT_IO;
            }
        }
        if (c->out_dir)
            printf("wrote %s/: summary.json,%s events.csv, report.md%s\n", c->out_dir,
                   want_ts ? " timeseries.csv," : "", figs.n ? " and the plots" : "");
    }
    if (was_interrupted && rc != EXIT_IO) {
        if (!plots_stopped)
            fprintf(stderr, "psusim: interrupted at t = %.3f s; the outputs cover that part "
                    "(\"complete\": false)\n", res.simulated_s);
        else
            fprintf(stderr, "psusim: interrupted while drawing the plots: none was drawn; "
                    "summary.json, events.csv, report.md%s are complete\n",
                    want_ts ? " and timeseries.csv" : "");
        rc = EXIT_IO;
    }
    if (figs.no_gnuplot)
        fprintf(stderr, "psusim: gnuplot not found: plots skipped (power, circuit, tripcurve, "
                "efficiency, excursion); install it with: apt-get install gnuplot-nox\n");
    if (fflush(stdout) != 0 && rc != EXIT_IO) {
        fprintf(stderr, "psusim: cannot write to standard output\n");
        rc = EXIT_IO;
    }
    json_decref(summary);
    verdict_report_free(&v);
    figures_free(sinks.figs);
    engine_free(e);
    scenario_free(s);
    return rc;
}

/* ============================================================== what-if == */

/* A progress bar on stderr when it is a terminal: runs, rate, ETA. */
struct progress {
    int on;
    double t0;
    const char *what;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void show_progress(void *user, size_t done, size_t total)
{
    struct progress *p = user;
    if (!p->on) return;
    double el = now_s() - p->t0;
    double rate = el > 0 ? (double)done / el : 0;
    int width = 30, fill = total ? (int)((double)width * (double)done / (double)total) : 0;
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu %s, %.2f/s, ETA %.0f s ", fill,
            "##############################", width - fill, "", done, total, p->what, rate,
            rate > 0 ? (double)(total - done) / rate : 0.0);
    if (done == total) fputc('\n', stderr);
}

static struct sweep_base base_of(const struct cli *c, char *buf, size_t n)
{
    struct sweep_base b = { c->file, preset_dir(buf, n), c->sets, c->n_sets,
                            c->verdict_only, &interrupted };
    return b;
}

/* Loads the scenario once to report its problems the usual way, and checks
 * the work's bounds (runs and points included). */
static int check_loads(const struct cli *c)
{
    struct scenario *s = NULL;
    int rc = load(c, &s);
    if (rc == EXIT_PASS) rc = check_limits(c, s);
    scenario_free(s);
    return rc;
}

/* Prints (or adds to JSON) the Monte Carlo summary of N outcomes. */
static json_t *mc_summary(const struct sweep_outcome *o, size_t n, int verdict_only,
                          FILE *text)
{
    size_t k_trip = 0, k_shut = 0, k_rule = 0, k_fail = 0, ok = 0;
    double *heat = calloc(n + 1, sizeof *heat), *cur = calloc(n + 1, sizeof *cur);
    double *peak = calloc(n + 1, sizeof *peak);
    if (!heat || !cur || !peak) {
        free(heat);
        free(cur);
        free(peak);
        return NULL;
    }
    for (size_t k = 0; k < n; k++) {
        if (!o[k].ok) continue;
        k_trip += o[k].tripped;
        k_shut += o[k].shutdown;
        k_rule += o[k].rule_failed;
        k_fail += o[k].verdict == VERDICT_FAIL;
        heat[ok] = o[k].max_heat;
        cur[ok] = o[k].mean_current_a;
        peak[ok] = o[k].peak_current_a;
        ok++;
    }
    json_t *root = json_object();
    const struct {
        const char *name;
        size_t k;
    } probs[] = { { "trip", k_trip }, { "shutdown", k_shut }, { "rule", k_rule },
                  { "any_failure", k_fail } };
    if (text)
        fprintf(text, "Monte Carlo: %zu runs%s\n", ok,
                verdict_only ? " (--verdict-only: each stopped at its first failure, so "
                               "only P(any_failure) is told)" : "");
    json_t *pj = json_object();
    json_object_set_new(root, "runs", json_integer((json_int_t)ok));
    if (verdict_only) json_object_set_new(root, "verdict_only", json_true());
    json_object_set_new(root, "probability", pj);
    for (size_t i = verdict_only ? 3 : 0; i < 4; i++) {
        double lo, hi;
        sweep_wilson(probs[i].k, ok, &lo, &hi);
        double p = ok ? (double)probs[i].k / (double)ok : 0;
        if (text)
            fprintf(text, "  P(%-11s) = %.4f  (95 %% Wilson interval %.4f - %.4f, %zu of %zu)\n",
                    probs[i].name, p, lo, hi, probs[i].k, ok);
        json_t *e = json_object();
        json_object_set_new(e, "p", json_real(p));
        json_object_set_new(e, "ci95_low", json_real(lo));
        json_object_set_new(e, "ci95_high", json_real(hi));
        json_object_set_new(e, "count", json_integer((json_int_t)probs[i].k));
        json_object_set_new(pj, probs[i].name, e);
    }
    const struct {
        const char *name;
        double *v;
        const char *unit;
    } figs[] = { { "max_heat", heat, "" }, { "mean_current_a", cur, "A" },
                 { "peak_load_current_a", peak, "A" } };
    json_t *qj = json_object();
    json_object_set_new(root, "quantiles", qj);
    for (size_t i = 0; i < 3 && ok > 0 && !verdict_only; i++) {
        gsl_sort(figs[i].v, 1, ok);
        double q05 = gsl_stats_quantile_from_sorted_data(figs[i].v, 1, ok, 0.05);
        double q50 = gsl_stats_quantile_from_sorted_data(figs[i].v, 1, ok, 0.50);
        double q95 = gsl_stats_quantile_from_sorted_data(figs[i].v, 1, ok, 0.95);
        if (text)
            fprintf(text, "  %-20s 5 %%: %.4g  median: %.4g  95 %%: %.4g %s\n", figs[i].name,
                    q05, q50, q95, figs[i].unit);
        json_t *e = json_object();
        json_object_set_new(e, "q05", json_real(q05));
        json_object_set_new(e, "q50", json_real(q50));
        json_object_set_new(e, "q95", json_real(q95));
        json_object_set_new(qj, figs[i].name, e);
    }
    free(heat);
    free(cur);
    free(peak);
    return root;
}

/* The Monte Carlo result of the N outcomes O as `run --runs` prints it (text or
 * --json); the exit status. */
static int mc_report(const struct cli *c, const struct sweep_outcome *o, size_t n,
                     int incomplete)
{
    json_t *j = mc_summary(o, n, c->verdict_only, c->json || c->quiet ? NULL : stdout);
    if (!j) {
        fprintf(stderr, "psusim: out of memory\n");
        return EXIT_IO;
    }
    /* interrupted: the runs done, of N (mc_summary counts only those) */
    json_object_set_new(j, "complete", json_boolean(!incomplete));
    json_object_set_new(j, "runs_asked", json_integer((json_int_t)n));
    int any_fail = 0;
    for (size_t k = 0; k < n; k++) any_fail |= o[k].verdict == VERDICT_FAIL;
    if (c->json) {
        json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        fputc('\n', stdout);
    }
    json_decref(j);
    return any_fail ? EXIT_FAIL : EXIT_PASS;
}

/* Writes the shard file of C's job (COMMAND "run" or "sweep", TOTAL items O and
 * PFAIL) to --out DIR/shard-K-of-N.json, or to stdout. Returns the exit status. */
static int shard_out(const struct cli *c, const char *command, size_t total,
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
    int rc = claim_out_dir(c, err, sizeof err);
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

static int cmd_monte_carlo(const struct cli *c)
{
    int rc = check_loads(c);
    if (rc != EXIT_PASS) return rc;
    char buf[PATH_MAX];
    if (c->out_dir) {   /* refused before computing */
        char err[OUTFILE_PATH_LEN + DIAG_LEN];
        if ((rc = claim_out_dir(c, err, sizeof err)) != EXIT_PASS) {
            fprintf(stderr, "psusim: %s\n", err);
            return rc;
        }
    }
    struct sweep_base b = base_of(c, buf, sizeof buf);
    struct sweep_outcome *o = calloc(c->runs, sizeof *o);
    struct diag *d = malloc(sizeof *d);
    if (!o || !d) {
        free(o);
        free(d);
        fprintf(stderr, "psusim: out of memory\n");
        return EXIT_IO;
    }
    diag_init(d);
    struct progress pr = { !c->quiet && isatty(STDERR_FILENO), now_s(), "runs" };
    rc = sweep_monte_carlo(&b, NULL, 0, c->runs, c->shard.k, c->shard.n, o, show_progress,
                           &pr, d);
    if (rc != 0) {
        print_diag(d);
        free(o);
        free(d);
        return EXIT_USAGE;
    }
    size_t done = 0;
    for (size_t k = 0; k < c->runs; k++) done += !o[k].stopped;
    if (interrupted && c->shard.n) {
        /* a shard is all its runs or nothing: merge takes whole shards */
        fprintf(stderr, "psusim: interrupted: %zu of %zu runs done; no shard file written "
                "(run the shard again)\n", done, c->runs);
        rc = EXIT_IO;
    } else {
        rc = c->shard.n ? shard_out(c, "run", c->runs, o, NULL)
                        : mc_report(c, o, c->runs, interrupted != 0);
        if (interrupted && rc != EXIT_IO) {
            fprintf(stderr, "psusim: interrupted: %zu of %zu runs done; the figures cover "
                    "those (\"complete\": false)\n", done, c->runs);
            rc = EXIT_IO;
        }
    }
    free(o);
    free(d);
    return rc;
}

/* The sweep's table (text or --json), sweep.csv, sweep.json and the plot for
 * the outcomes O (and P(fail) PFAIL when RUNS > 1) of its N1 x N2 points over
 * the axes AX; the exit status. */
static int sweep_report(const struct cli *c, const struct sweep_axis *ax, size_t n1,
                        size_t runs, const struct sweep_outcome *o, const double *pfail)
{
    size_t n2 = c->n_vary == 2 ? ax[1].n : 1, total = n1 * n2;
    char err[OUTFILE_PATH_LEN + DIAG_LEN];
    /* the table, and sweep.csv / sweep.json */
    json_t *arr = json_array();
    FILE *out = c->quiet || c->json ? NULL : stdout;
    struct outfile csv = { 0 };
    int rc = c->out_dir ? claim_out_dir(c, err, sizeof err) : EXIT_PASS;
    if (rc == EXIT_PASS && c->out_dir
        && outfile_open(&csv, c->out_dir, "sweep.csv", err, sizeof err) != 0)
        rc = EXIT_IO;
    if (rc != EXIT_PASS) {
        fprintf(stderr, "psusim: %s\n", err);
        json_decref(arr);
        return rc;
    }
    if (out) {
        fprintf(out, "%-22s", ax[0].key);
        if (c->n_vary == 2) fprintf(out, " %-22s", ax[1].key);
        fprintf(out, " %-9s %8s %10s %10s %8s%s\n", "verdict", "heat", "mean (A)", "peak (A)",
                "used", runs > 1 ? "  P(fail)" : "");
    }
    if (csv.fp) {
        fprintf(csv.fp, "%s%s%s,verdict,max_heat,mean_current_a,peak_load_current_a,"
                "worst_used,first_fail_s%s\n", ax[0].key, c->n_vary == 2 ? "," : "",
                c->n_vary == 2 ? ax[1].key : "", runs > 1 ? ",p_fail" : "");
    }
    int cut = 0;   /* interrupted: the points not run are left out, and the plot */
    for (size_t k = 0; k < total; k++) {
        size_t i = k % n1, j = k / n1;
        const struct sweep_outcome *q = &o[k];
        if (q->stopped) {
            cut = 1;
            continue;
        }
        if (out) {
            fprintf(out, "%-22s", ax[0].text[i]);
            if (c->n_vary == 2) fprintf(out, " %-22s", ax[1].text[j]);
            if (c->verdict_only)   /* the figures are of a run cut at its failure */
                fprintf(out, " %-9s %8s %10s %10s %8s", verdict_name(q->verdict), "-", "-",
                        "-", "-");
            else
                fprintf(out, " %-9s %7.0f%% %10.2f %10.2f %7.0f%%", verdict_name(q->verdict),
                        100 * q->max_heat, q->mean_current_a, q->peak_current_a,
                        100 * q->worst_used);
            if (runs > 1) fprintf(out, "  %.3f", pfail[k]);
            fputc('\n', out);
        }
        if (csv.fp && c->verdict_only) {
            fprintf(csv.fp, "%s%s%s,%s,,,,,%.6g", ax[0].text[i], c->n_vary == 2 ? "," : "",
                    c->n_vary == 2 ? ax[1].text[j] : "", verdict_json_name(q->verdict),
                    q->first_fail_s);
            if (runs > 1) fprintf(csv.fp, ",%.6g", pfail[k]);
            fputc('\n', csv.fp);
        } else if (csv.fp) {
            fprintf(csv.fp, "%s%s%s,%s,%.6g,%.6g,%.6g,%.6g,%.6g", ax[0].text[i],
                    c->n_vary == 2 ? "," : "", c->n_vary == 2 ? ax[1].text[j] : "",
                    verdict_json_name(q->verdict), q->max_heat, q->mean_current_a,
                    q->peak_current_a, q->worst_used, q->first_fail_s);
            if (runs > 1) fprintf(csv.fp, ",%.6g", pfail[k]);
            fputc('\n', csv.fp);
        }
        json_t *e = json_object();
        json_object_set_new(e, ax[0].key, json_string(ax[0].text[i]));
        if (c->n_vary == 2) json_object_set_new(e, ax[1].key, json_string(ax[1].text[j]));
        json_object_set_new(e, "verdict", json_string(verdict_json_name(q->verdict)));
        int vo = c->verdict_only;
        json_object_set_new(e, "max_heat", vo ? json_null() : json_real(q->max_heat));
        json_object_set_new(e, "mean_current_a", vo ? json_null() : json_real(q->mean_current_a));
        json_object_set_new(e, "peak_load_current_a",
                            vo ? json_null() : json_real(q->peak_current_a));
        json_object_set_new(e, "worst_used", vo ? json_null() : json_real(q->worst_used));
        json_object_set_new(e, "first_fail_s", isfinite(q->first_fail_s)
                                                   ? json_real(q->first_fail_s) : json_null());
        if (runs > 1) json_object_set_new(e, "p_fail", json_real(pfail[k]));
        json_array_append_new(arr, e);
    }
    if (csv.fp && outfile_commit(&csv, err, sizeof err) != 0) rc = EXIT_IO;
    if (rc == EXIT_PASS && c->out_dir) {
        struct outfile jf;
        if (outfile_open(&jf, c->out_dir, "sweep.json", err, sizeof err) != 0) {
            rc = EXIT_IO;
        } else if (json_dumpf(arr, jf.fp, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) != 0) {
            /* the temporary file goes, and the message names the file */
            snprintf(err, sizeof err, "%s: write failed: %s", jf.path, strerror(errno));
            outfile_abort(&jf);
            rc = EXIT_IO;
        } else if (outfile_commit(&jf, err, sizeof err) != 0) {
            rc = EXIT_IO;
        }
    }
    /* the plot: numeric values only */
    int numeric = 1;
    for (size_t i = 0; i < n1; i++) numeric &= isfinite(ax[0].si[i]);
    for (size_t j = 0; c->n_vary == 2 && j < n2; j++) numeric &= isfinite(ax[1].si[j]);
    if (rc == EXIT_PASS && c->out_dir && strcmp(c->plots, "none") != 0 && numeric
        && c->verdict_only && !c->quiet)
        fprintf(stderr, "psusim: --verdict-only: no sweep plot (its figures are of runs cut "
                "at their failure)\n");
    if (rc == EXIT_PASS && c->out_dir && strcmp(c->plots, "none") != 0 && numeric
        && !c->verdict_only && !cut) {
        char pbuf[PATH_MAX], path[PATH_MAX];
        plot *p = plot_begin(plots_dir(pbuf, sizeof pbuf), "sweep", err, sizeof err);
        FILE *blk = p ? plot_block(p, "SWEEP") : NULL;
        if (blk) {
            plot_set_str(p, "title", c->file);
            plot_set_str(p, "key1", ax[0].key);
            plot_set_str(p, "unit1", ax[0].unit);
            plot_set_num(p, "two", c->n_vary == 2);
            plot_set_str(p, "key2", c->n_vary == 2 ? ax[1].key : "");
            plot_set_str(p, "unit2", c->n_vary == 2 ? ax[1].unit : "");
            for (size_t k = 0; k < total; k++) {
                const struct sweep_outcome *q = &o[k];
                if (c->n_vary == 2)
                    fprintf(blk, "%.6g %.6g %.6g %d\n", ax[0].si[k % n1], ax[1].si[k / n1],
                            100 * q->worst_used, (int)q->verdict);
                else
                    fprintf(blk, "%.6g %.6g %.6g %d\n", ax[0].si[k], 100 * q->worst_used,
                            100 * q->max_heat, (int)q->verdict);
            }
            snprintf(path, sizeof path, "%s/sweep.%s", c->out_dir,
                     strcmp(c->plots, "dumb") == 0 ? "txt" : c->plots);
            int prc = plot_finish(p, c->plots, c->plot_w, c->plot_h, path, stdout, err,
                                  sizeof err);
            if (prc == 1)
                fprintf(stderr, "psusim: gnuplot not found: the sweep plot is skipped\n");
            else if (prc != 0)
                rc = EXIT_IO;
        } else if (!p) {
            rc = EXIT_IO;
        }
        plot_free(p);
    }
    if (rc == EXIT_IO) fprintf(stderr, "psusim: %s\n", err);
    if (rc == EXIT_PASS && c->json) {
        json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        fputc('\n', stdout);
    }
    json_decref(arr);
    return rc;
}

static int cmd_sweep(const struct cli *c)
{
    static struct sweep_axis ax[2];
    char err[DIAG_LEN];
    for (size_t i = 0; i < c->n_vary; i++)
        if (sweep_parse_vary(c->vary[i], &ax[i], err, sizeof err) != 0) {
            fprintf(stderr, "psusim: %s\n", err);
            return EXIT_USAGE;
        }
    struct cli bounded = *c;   /* the work bound counts every point */
    bounded.points = ax[0].n * (c->n_vary == 2 ? ax[1].n : 1);
    int rc = check_loads(&bounded);
    if (rc != EXIT_PASS) return rc;
    /* one key, one axis: a key varied twice, or varied and --set, would leave
     * the table labelled with values that were not simulated (issue 15, 8) */
    if (c->n_vary == 2 && strcmp(ax[0].key, ax[1].key) == 0) {
        fprintf(stderr, "psusim: --vary %s is given twice; vary two different keys, or "
                "list all the values in one --vary\n", ax[0].key);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < c->n_vary; i++)
        for (size_t k = 0; k < c->n_sets; k++) {
            size_t len = strlen(ax[i].key);
            if (strncmp(c->sets[k], ax[i].key, len) == 0 && c->sets[k][len] == '=') {
                fprintf(stderr, "psusim: --set %s and --vary %s name the same key; drop "
                        "the --set\n", c->sets[k], ax[i].key);
                return EXIT_USAGE;
            }
        }
    if (c->out_dir && (rc = claim_out_dir(c, err, sizeof err)) != EXIT_PASS) {
        fprintf(stderr, "psusim: %s\n", err);   /* refused before computing */
        return rc;
    }
    size_t n1 = ax[0].n, n2 = c->n_vary == 2 ? ax[1].n : 1, total = n1 * n2;
    size_t runs = c->runs ? c->runs : 1;
    struct sweep_outcome *o = calloc(total, sizeof *o);
    double *pfail = calloc(total, sizeof *pfail);
    struct diag *d = malloc(sizeof *d);
    if (!o || !pfail || !d) {
        free(o);
        free(pfail);
        free(d);
        return EXIT_IO;
    }
    diag_init(d);
    char buf[PATH_MAX];
    struct sweep_base b = base_of(c, buf, sizeof buf);
    struct progress pr = { !c->quiet && isatty(STDERR_FILENO), now_s(), "points" };
    int bad = 0;
    /* every point is an independent run: in parallel, results by index */
#pragma omp parallel for schedule(dynamic, 1)
    for (long k = 0; k < (long)total; k++) {
        if (!shard_mine(&c->shard, (size_t)k)) continue;   /* another shard's point */
        char set1[SWEEP_KEY_LEN + SWEEP_VALUE_LEN + 2], set2[SWEEP_KEY_LEN + SWEEP_VALUE_LEN + 2];
        size_t i = (size_t)k % n1, j = (size_t)k / n1;
        snprintf(set1, sizeof set1, "%s=%s", ax[0].key, ax[0].text[i]);
        snprintf(set2, sizeof set2, "%s=%s", ax[1].key, ax[1].text[j]);
        const char *extra[2] = { set1, set2 };
        size_t n_extra = c->n_vary;
        if (runs == 1) {
            o[k] = sweep_eval(&b, extra, n_extra, NULL, NULL);
        } else {
            struct sweep_outcome *mc = calloc(runs, sizeof *mc);
            size_t fails = 0;
            if (mc && sweep_monte_carlo(&b, extra, n_extra, runs, 0, 0, mc, NULL, NULL, NULL)
                          == 0) {
                int cut = 0;   /* a point's runs all, or none (interrupted) */
                for (size_t r = 0; r < runs; r++) {
                    fails += mc[r].verdict == VERDICT_FAIL;
                    cut |= mc[r].stopped;
                }
                o[k] = mc[0];
                pfail[k] = (double)fails / (double)runs;
                if (cut) {
                    o[k].ok = 0;
                    o[k].stopped = 1;
                }
            }
            free(mc);
        }
        if (!o[k].ok && !o[k].stopped) {
#pragma omp atomic write
            bad = 1;
        }
        if (pr.on) {
#pragma omp critical
            show_progress(&pr, (size_t)k + 1, total);
        }
    }
    if (bad) {
        /* say why with the first invalid point, loaded again for its messages */
        for (size_t k = 0; k < total; k++) {
            if (o[k].ok || !shard_mine(&c->shard, k)) continue;
            char set1[SWEEP_KEY_LEN + SWEEP_VALUE_LEN + 2], set2[SWEEP_KEY_LEN + SWEEP_VALUE_LEN + 2];
            snprintf(set1, sizeof set1, "%s=%s", ax[0].key, ax[0].text[k % n1]);
            snprintf(set2, sizeof set2, "%s=%s", ax[1].key, ax[1].text[k / n1]);
            const char *extra[2] = { set1, set2 };
            sweep_eval(&b, extra, c->n_vary, NULL, d);
            break;
        }
        print_diag(d);
        fprintf(stderr, "psusim: sweep: a point does not load; nothing was written\n");
        free(o);
        free(pfail);
        free(d);
        return EXIT_USAGE;
    }
    size_t done = 0;
    for (size_t k = 0; k < total; k++) done += shard_mine(&c->shard, k) && !o[k].stopped;
    if (interrupted && c->shard.n) {
        fprintf(stderr, "psusim: interrupted: %zu points done; no shard file written "
                "(run the shard again)\n", done);
        rc = EXIT_IO;
    } else if (c->shard.n) {
        rc = shard_out(c, "sweep", total, o, runs > 1 ? pfail : NULL);
    } else {
        rc = sweep_report(c, ax, n1, runs, o, pfail);
        if (interrupted && rc != EXIT_IO) {
            fprintf(stderr, "psusim: interrupted: %zu of %zu points done; the table and "
                    "files hold those (no plot)\n", done, total);
            rc = EXIT_IO;
        }
    }
    free(o);
    free(pfail);
    free(d);
    return rc;
}

/* psusim merge: the shard files of one job put together and reported as the job
 * reports on one machine (the job's file, --set and --vary come from the shards;
 * --json, --quiet, --out and --plots from this command line). */
static int cmd_merge(const struct cli *c)
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
        rc = mc_report(&m, o, job.total, 0);
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
        if (rc == EXIT_PASS) rc = sweep_report(&m, ax, n1, m.runs, o, pfail);
    }
    free(o);
    free(pfail);
    shard_job_free(&job);
    return rc;
}

static int cmd_recommend(const struct cli *c)
{
    /* it writes no file and its advice is printed as found: SIGINT / SIGTERM end
     * it at once (a candidate cut short would read as one that fails) */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    struct scenario *s = NULL;
    int rc = load(c, &s);
    if (rc != EXIT_PASS) return rc;
    char buf[PATH_MAX];
    struct sweep_base b = base_of(c, buf, sizeof buf);
    b.stop = NULL;
    struct progress pr = { !c->quiet && isatty(STDERR_FILENO), now_s(), "candidates" };
    struct recommend_in in = { "psusim", &b, s, show_progress, &pr };
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

/* ================================================================== parse == */

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "psusim: %s%s\n%s", what, arg, usage_text);
    return EXIT_USAGE;
}

/* Parses ARGV into C. Returns -1 when it is fine, or an exit status. */
static int parse_args(int argc, char **argv, struct cli *c)
{
    static const char *const commands[] = { "run", "check", "presets", "keys", "sweep",
                                            "recommend", "merge" };
    enum { N_COMMANDS = sizeof commands / sizeof commands[0] };
    if (argc < 2) return usage_error("no command given", "");
    c->command = argv[1];
    if (strcmp(c->command, "--help") == 0 || strcmp(c->command, "-h") == 0) {
        printf("%s\n%s", help_text, usage_text);
        return EXIT_PASS;
    }
    if (strcmp(c->command, "--version") == 0) {
        printf("psusim %s\n", PSUSIM_VERSION);
        return EXIT_PASS;
    }
    int known = 0;
    for (size_t i = 0; i < N_COMMANDS; i++) known |= strcmp(c->command, commands[i]) == 0;
    if (!known) {
        const char *near = text_nearest(c->command, commands, N_COMMANDS, 2);
        fprintf(stderr, "psusim: unknown command '%s'%s%s%s\n%s", c->command,
                near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "",
                usage_text);
        return EXIT_USAGE;
    }
    /* every argument may reach an output (a --set value as a name, a file
     * name in summary.json): UTF-8 text only, refused here (issue 15, 6) */
    for (int i = 2; i < argc; i++) {
        const char *why = text_problem(argv[i], NULL);
        if (why) {
            char shown[160];
            text_escape(shown, sizeof shown, argv[i]);
            fprintf(stderr, "psusim: argument %d holds %s (shown as \\xNN): '%s'; give "
                    "UTF-8 text (rename a file whose name is not)\n", i, why, shown);
            return EXIT_USAGE;
        }
    }
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--set") == 0 || strcmp(a, "--out") == 0) {
            if (i + 1 >= argc) return usage_error("this option needs a value: ", a);
            if (a[2] == 's') {
                if (c->n_sets == MAX_SETS) return usage_error("too many --set options", "");
                c->sets[c->n_sets++] = argv[++i];
            } else {
                c->out_dir = argv[++i];
            }
        } else if (strncmp(a, "--set=", 6) == 0) {
            if (c->n_sets == MAX_SETS) return usage_error("too many --set options", "");
            c->sets[c->n_sets++] = a + 6;
        } else if (strncmp(a, "--out=", 6) == 0) {
            c->out_dir = a + 6;
        } else if (strcmp(a, "--plots") == 0 || strncmp(a, "--plots=", 8) == 0) {
            const char *v = a[7] == '=' ? a + 8 : (i + 1 < argc ? argv[++i] : NULL);
            static const char *const fmts[] = { "png", "svg", "pdf", "dumb", "none" };
            int ok = 0;
            for (size_t k = 0; v && k < 5; k++) ok |= strcmp(v, fmts[k]) == 0;
            if (!ok) return usage_error("--plots takes png, svg, pdf, dumb or none; got: ",
                                        v ? v : "(nothing)");
            c->plots = v;
        } else if (strcmp(a, "--timeseries") == 0 || strncmp(a, "--timeseries=", 13) == 0) {
            const char *v = a[12] == '=' ? a + 13 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v || (strcmp(v, "full") != 0 && strcmp(v, "mean") != 0
                       && strcmp(v, "none") != 0))
                return usage_error("--timeseries takes full, mean or none; got: ",
                                   v ? v : "(nothing)");
            c->timeseries = v;
        } else if (strcmp(a, "--plot-size") == 0 || strncmp(a, "--plot-size=", 12) == 0) {
            const char *v = a[11] == '=' ? a + 12 : (i + 1 < argc ? argv[++i] : NULL);
            int w = 0, h = 0, n = 0;
            if (!v || sscanf(v, "%dx%d%n", &w, &h, &n) != 2 || v[n] != '\0' || w < 200
                || h < 150 || w > 10000 || h > 10000)
                return usage_error("--plot-size takes WIDTHxHEIGHT in pixels, 200x150 to "
                                   "10000x10000; got: ", v ? v : "(nothing)");
            c->plot_w = w;
            c->plot_h = h;
        } else if (strcmp(a, "--vary") == 0) {
            if (i + 1 >= argc) return usage_error("this option needs a value: ", a);
            if (c->n_vary == 2) return usage_error("at most two --vary", "");
            c->vary[c->n_vary++] = argv[++i];
        } else if (strcmp(a, "--runs") == 0) {
            char *end;
            if (i + 1 >= argc) return usage_error("this option needs a value: ", a);
            unsigned long n = strtoul(argv[++i], &end, 10);
            if (*end || n < 1 || n > 1000000 || argv[i][0] == '-')
                return usage_error("--runs takes a whole number from 1 to 1000000; got: ",
                                   argv[i]);
            c->runs = n;
        } else if (strcmp(a, "--shard") == 0 || strncmp(a, "--shard=", 8) == 0) {
            const char *v = a[7] == '=' ? a + 8 : (i + 1 < argc ? argv[++i] : NULL);
            char err[160];
            if (shard_parse(v, &c->shard, err, sizeof err) != 0) return usage_error(err, "");
        } else if (strcmp(a, "--verdict-only") == 0) {
            c->verdict_only = 1;
        } else if (strcmp(a, "--force") == 0) {
            c->force = 1;
        } else if (strcmp(a, "--json") == 0) {
            c->json = 1;
        } else if (strcmp(a, "--check") == 0 && strcmp(c->command, "presets") == 0) {
            c->check = 1;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            c->quiet = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error("unknown option: ", a);
        } else if (strcmp(c->command, "merge") == 0) {
            if (c->n_parts == SHARD_MAX_PARTS) return usage_error("too many shard files", "");
            c->parts[c->n_parts++] = a;
        } else if (!c->file) {
            c->file = a;
        } else if (strcmp(c->command, "presets") == 0 && !c->name) {
            c->name = a;
        } else {
            return usage_error("unexpected argument: ", a);
        }
    }
    int needs_file = strcmp(c->command, "run") == 0 || strcmp(c->command, "check") == 0
                     || strcmp(c->command, "sweep") == 0
                     || strcmp(c->command, "recommend") == 0;
    if (c->n_vary && strcmp(c->command, "sweep") != 0)
        return usage_error("--vary goes with the sweep command", "");
    if (strcmp(c->command, "sweep") == 0 && c->n_vary == 0)
        return usage_error("sweep needs --vary KEY=SPEC (one or two)", "");
    if (c->runs && strcmp(c->command, "run") != 0 && strcmp(c->command, "sweep") != 0)
        return usage_error("--runs goes with run and sweep", "");
    if (c->shard.n && !(strcmp(c->command, "sweep") == 0
                        || (strcmp(c->command, "run") == 0 && c->runs)))
        return usage_error("--shard goes with run --runs N and with sweep", "");
    if (c->verdict_only && !(strcmp(c->command, "sweep") == 0
                             || (strcmp(c->command, "run") == 0 && c->runs)))
        return usage_error("--verdict-only goes with run --runs N and with sweep", "");
    if (c->shard.n && c->json)
        return usage_error("--shard writes a shard file (JSON already); drop --json, and "
                           "give --json to psusim merge", "");
    if (strcmp(c->command, "merge") == 0) {
        if (c->n_parts == 0) return usage_error("merge needs the shard files: ",
                                                "psusim merge DIR/shard-*.json");
        if (c->n_sets || c->runs || c->n_vary)
            return usage_error("merge takes --set, --runs and --vary from the shards; ",
                               "give only the files (and --json, --out, --plots)");
    }
    if (needs_file && !c->file) return usage_error("a scenario FILE is needed by: ", c->command);
    if (strcmp(c->command, "presets") == 0 && (c->n_sets || c->out_dir))
        return usage_error("--set and --out go with run and check, not: ", c->command);
    if (strcmp(c->command, "presets") == 0 && c->check && (c->file || c->json))
        return usage_error("presets --check takes no kind, name or --json", "");
    if (!needs_file && strcmp(c->command, "merge") != 0 && strcmp(c->command, "presets") != 0
        && (c->n_sets || c->out_dir || c->json))
        return usage_error("--set, --out and --json go with run and check, not: ", c->command);
    if (strcmp(c->command, "keys") == 0 && c->file)
        return usage_error("unexpected argument: ", c->file);
    if (c->out_dir && !c->out_dir[0]) return usage_error("--out needs a folder", "");
    if (c->plots && strcmp(c->plots, "dumb") == 0 && c->json)
        return usage_error("--plots dumb draws on standard output, as --json writes; ",
                           "choose one");
    if (c->plots && strcmp(c->plots, "dumb") != 0 && strcmp(c->plots, "none") != 0
        && !c->out_dir)
        return usage_error("--plots png, svg and pdf write files: give --out DIR too", "");
    if (c->timeseries && !(c->out_dir && strcmp(c->command, "run") == 0 && !c->runs))
        return usage_error("--timeseries goes with run FILE --out DIR", "");
    if (!c->timeseries) c->timeseries = "full";
    if (!c->plots) c->plots = c->out_dir ? "png" : "none";
    if (!c->plot_w) {
        c->plot_w = 1200;
        c->plot_h = 800;
    }
    return -1;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    /* from the start, so a signal during loading also ends the run cleanly */
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    struct cli c = { 0 };
    int rc = parse_args(argc, argv, &c);
    if (rc >= 0) return rc;
    if (strcmp(c.command, "run") == 0 && c.runs > 0) return cmd_monte_carlo(&c);
    if (strcmp(c.command, "run") == 0) return cmd_run(&c);
    if (strcmp(c.command, "sweep") == 0) return cmd_sweep(&c);
    if (strcmp(c.command, "recommend") == 0) return cmd_recommend(&c);
    if (strcmp(c.command, "merge") == 0) return cmd_merge(&c);
    if (strcmp(c.command, "check") == 0) return cmd_check(&c);
    if (strcmp(c.command, "presets") == 0)
        return cmd_presets(c.file, c.name, c.json, c.check);
    scenario_write_reference(stdout);
    return fflush(stdout) == 0 ? EXIT_PASS : EXIT_IO;
}

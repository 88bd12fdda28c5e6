/* main — psusim's command line. The only place that prints errors or exits.
 *
 * Exit status: 0 every link passes (or only MARGINAL), 1 the run finished and
 * something trips or breaks a rule, 2 bad input or usage, 3 I/O or internal error.
 */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvout.h"
#include "diag.h"
#include "engine.h"
#include "outfile.h"
#include "preset.h"
#include "report.h"
#include "scenario.h"
#include "text.h"
#include "verdict.h"

enum { EXIT_PASS = 0, EXIT_FAIL = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

enum { MAX_SETS = 256 };

static const char usage_text[] =
    "usage: psusim run FILE [--set KEY=VALUE]... [--out DIR] [--json] [--quiet]\n"
    "       psusim check FILE [--set KEY=VALUE]...\n"
    "       psusim presets [circuit|psu|gpu|cpu|load]\n"
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
    "  presets [K]   list the hardware database (circuit, psu, gpu, cpu, load)\n"
    "  keys          print every scenario section and key (Markdown)\n"
    "\n"
    "options:\n"
    "  --set KEY=VALUE  override a key: psu.main.rating=2000W, scenario.duration=1h\n"
    "                   (KIND.NAME.KEY for named sections); may repeat\n"
    "  --out DIR        write summary.json, timeseries.csv, events.csv into DIR\n"
    "  --json           print the JSON summary on stdout instead of the text\n"
    "  --quiet          print nothing on success but errors\n"
    "\n"
    "exit status: 0 all links pass (MARGINAL included), 1 something trips or\n"
    "breaks a rule, 2 bad input or usage, 3 I/O or internal error.\n"
    "\n"
    "environment: PSUSIM_PRESETS  folder of the preset .ini files\n";

struct cli {
    const char *command;
    const char *file;
    const char *sets[MAX_SETS];
    size_t n_sets;
    const char *out_dir;
    int json;
    int quiet;
};

/* ================================================================ presets == */

/* The preset folder: $PSUSIM_PRESETS, else scenarios/presets beside the binary
 * (a build tree), else ../share/psusim/presets beside it (an installed tree, under
 * any PREFIX), else the data folder the binary was built for. */
static const char *preset_dir(char *buf, size_t n)
{
    const char *env = getenv("PSUSIM_PRESETS");
    if (env && env[0]) return env;
    static const char *const beside[] = { "scenarios/presets", "../share/psusim/presets" };
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash = len > 0 ? (exe[len] = '\0', strrchr(exe, '/')) : NULL;
    if (slash) {
        *slash = '\0';
        for (size_t i = 0; i < sizeof beside / sizeof beside[0]; i++) {
            struct stat st;
            int w = snprintf(buf, n, "%.*s/%s", (int)(n - 32), exe, beside[i]);
            if (w > 0 && (size_t)w < n && stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
                return buf;
        }
    }
    snprintf(buf, n, "%s/presets", PSUSIM_DATADIR);
    return buf;
}

static void print_diag(const struct diag *d)
{
    for (size_t i = 0; i < d->n; i++) fprintf(stderr, "psusim: %s\n", d->msg[i]);
    if (d->dropped)
        fprintf(stderr, "psusim: ... and %zu more problems\n", d->dropped);
}

static int cmd_presets(const char *kind)
{
    static const char *const kinds[] = { "circuit", "psu", "load", "gpu", "cpu" };
    const size_t n_kinds = sizeof kinds / sizeof kinds[0];
    if (kind) {
        int known = 0;
        for (size_t i = 0; i < n_kinds; i++) known |= strcmp(kind, kinds[i]) == 0;
        if (!known) {
            const char *near = text_nearest(kind, kinds, n_kinds, 2);
            fprintf(stderr, "psusim: presets: unknown kind '%s'%s%s%s (known: circuit, "
                    "psu, load, gpu, cpu)\n", kind, near ? "; did you mean '" : "",
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
    free(d);
    size_t shown = 0;
    for (size_t k = 0; k < n_kinds; k++) {
        if (kind && strcmp(kind, kinds[k]) != 0) continue;
        for (size_t i = 0; i < db.n; i++) {
            const struct preset_entry *e = &db.entries[i];
            if (strcmp(e->kind, kinds[k]) != 0) continue;
            int first = 1;  /* the first entry of this preset */
            for (size_t j = 0; j < i && first; j++)
                if (strcmp(db.entries[j].kind, e->kind) == 0
                    && strcmp(db.entries[j].name, e->name) == 0)
                    first = 0;
            if (!first) continue;
            const char *desc = "";
            for (size_t j = i; j < db.n; j++)
                if (strcmp(db.entries[j].kind, e->kind) == 0
                    && strcmp(db.entries[j].name, e->name) == 0
                    && strcmp(db.entries[j].key, "description") == 0)
                    desc = db.entries[j].value;
            printf("%-8s %-24s %s\n", e->kind, e->name, desc);
            shown++;
        }
    }
    if (shown == 0)
        printf("no %s presets in %s\n", kind ? kind : "", dir);
    preset_db_free(&db);
    return EXIT_PASS;
}

/* ==================================================================== run == */

static int load(const struct cli *c, struct scenario **s)
{
    char buf[PATH_MAX];
    struct scn_options opt = { preset_dir(buf, sizeof buf), c->sets, c->n_sets };
    struct diag *d = malloc(sizeof *d);
    if (!d) {
        fprintf(stderr, "psusim: out of memory\n");
        return EXIT_IO;
    }
    diag_init(d);
    int rc = scenario_load(c->file, &opt, s, d);
    if (rc != 0) {
        print_diag(d);
        fprintf(stderr, "psusim: %s: %zu problem%s; nothing was simulated\n", c->file,
                diag_total(d), diag_total(d) == 1 ? "" : "s");
    }
    free(d);
    return rc == 0 ? EXIT_PASS : EXIT_USAGE;
}

static int cmd_check(const struct cli *c)
{
    struct scenario *s = NULL;
    int rc = load(c, &s);
    if (rc != EXIT_PASS) return rc;
    if (!c->quiet)
        printf("%s: OK - %zu circuit%s, %zu PSU%s, %zu load%s; %g s at %g us steps\n",
               c->file, s->n_circuits, s->n_circuits == 1 ? "" : "s", s->n_psus,
               s->n_psus == 1 ? "" : "s", s->n_loads, s->n_loads == 1 ? "" : "s",
               s->sc.duration_s, s->sc.step_s * 1e6);
    scenario_free(s);
    return EXIT_PASS;
}

/* Writes summary.json and events.csv into DIR. Returns 0, or -1 with ERR. */
static int write_outputs(const char *dir, const struct scenario *s,
                         const struct engine_result *r, json_t *summary, char *err,
                         size_t errlen)
{
    struct outfile f;
    if (outfile_open(&f, dir, "events.csv", err, errlen) != 0) return -1;
    if (csvout_events(f.fp, s, r) != 0) {
        snprintf(err, errlen, "%s: write failed", f.path);
        outfile_abort(&f);
        return -1;
    }
    if (outfile_commit(&f, err, errlen) != 0) return -1;
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
    struct outfile ts = { 0 };
    if (c->out_dir) {
        if (outfile_mkdir(c->out_dir, err, sizeof err) != 0
            || outfile_open(&ts, c->out_dir, "timeseries.csv", err, sizeof err) != 0) {
            fprintf(stderr, "psusim: %s\n", err);
            engine_free(e);
            scenario_free(s);
            return EXIT_IO;
        }
        csvout_timeseries_header(ts.fp, e);
    }
    struct engine_result res;
    int stopped = engine_run(e, c->out_dir ? csvout_timeseries_row : NULL, ts.fp, &res);
    struct verdict_report v = { 0 };
    json_t *summary = NULL;
    rc = EXIT_IO;
    if (stopped) {
        snprintf(err, sizeof err, "%s: write failed", ts.path);
    } else if (verdict_judge(s, &res, &v) != 0 || !(summary = report_json(s, &res, &v))) {
        snprintf(err, sizeof err, "out of memory");
    } else if (c->out_dir && (outfile_commit(&ts, err, sizeof err) != 0
                              || write_outputs(c->out_dir, s, &res, summary, err,
                                               sizeof err) != 0)) {
        /* err is set */
    } else {
        rc = v.overall == VERDICT_FAIL ? EXIT_FAIL : EXIT_PASS;
    }
    if (rc == EXIT_IO) {
        outfile_abort(&ts);
        fprintf(stderr, "psusim: %s\n", err);
    } else if (c->json) {
        json_dumpf(summary, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        fputc('\n', stdout);
    } else if (!c->quiet) {
        report_text(stdout, s, &res, &v);
        if (c->out_dir)
            printf("wrote %s/summary.json, timeseries.csv, events.csv\n", c->out_dir);
    }
    if (fflush(stdout) != 0 && rc != EXIT_IO) {
        fprintf(stderr, "psusim: cannot write to standard output\n");
        rc = EXIT_IO;
    }
    json_decref(summary);
    verdict_report_free(&v);
    engine_free(e);
    scenario_free(s);
    return rc;
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
    static const char *const commands[] = { "run", "check", "presets", "keys" };
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
    for (size_t i = 0; i < 4; i++) known |= strcmp(c->command, commands[i]) == 0;
    if (!known) {
        const char *near = text_nearest(c->command, commands, 4, 2);
        fprintf(stderr, "psusim: unknown command '%s'%s%s%s\n%s", c->command,
                near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "",
                usage_text);
        return EXIT_USAGE;
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
        } else if (strcmp(a, "--json") == 0) {
            c->json = 1;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            c->quiet = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error("unknown option: ", a);
        } else if (!c->file) {
            c->file = a;
        } else {
            return usage_error("unexpected argument: ", a);
        }
    }
    int needs_file = strcmp(c->command, "run") == 0 || strcmp(c->command, "check") == 0;
    if (needs_file && !c->file) return usage_error("a scenario FILE is needed by: ", c->command);
    if (!needs_file && (c->n_sets || c->out_dir || c->json))
        return usage_error("--set, --out and --json go with run and check, not: ", c->command);
    if (strcmp(c->command, "keys") == 0 && c->file)
        return usage_error("unexpected argument: ", c->file);
    if (c->out_dir && !c->out_dir[0]) return usage_error("--out needs a folder", "");
    return -1;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    struct cli c = { 0 };
    int rc = parse_args(argc, argv, &c);
    if (rc >= 0) return rc;
    if (strcmp(c.command, "run") == 0) return cmd_run(&c);
    if (strcmp(c.command, "check") == 0) return cmd_check(&c);
    if (strcmp(c.command, "presets") == 0) return cmd_presets(c.file);
    scenario_write_reference(stdout);
    return fflush(stdout) == 0 ? EXIT_PASS : EXIT_IO;
}

/* options — the command line parsed into struct cli: the usage and help texts,
 * each option's check, and which options go with which command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "report.h"
#include "shard.h"
#include "text.h"
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
    "       psusim presets [circuit|psu|gpu|cpu|load|perf [NAME]] [--json]\n"
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

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "psusim: %s%s\n%s", what, arg, usage_text);
    return EXIT_USAGE;
}

int cli_parse(int argc, char **argv, struct cli *c)
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

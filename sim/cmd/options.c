/* options — the command line parsed into struct cli (getopt_long: options in any
 * order, --opt=value or --opt value, -- ends them, - is standard input): the
 * usage and help texts, each command's own help (psusim run --help), each
 * option's check, and which options go with which command. */
#include <getopt.h>
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
    "       psusim quick --gpu NAME[xN] --psu NAME --circuit NAME [--cpu NAME] [--job T]\n"
    "       psusim init [--region us|de|uk|jp|...] [FILE]   (a starter scenario)\n"
    "       psusim presets [circuit|psu|gpu|cpu|load|perf|ups [NAME]] [--json]\n"
    "       psusim presets --check   (every value sourced, every name once)\n"
    "       psusim keys          (the scenario reference, Markdown)\n"
    "       psusim COMMAND --help    (that command's options)\n"
    "       psusim --help | --version\n";

static const char help_text[] =
    "psusim - will this rig run on this wall circuit?\n"
    "\n"
    "Simulates GPU/CPU loads through their power supplies into the branch circuit\n"
    "and its breaker, step by step in time, and judges every link of the chain.\n"
    "\n"
    "commands:\n"
    "  run FILE      simulate the scenario, print one verdict line per link\n"
    "  check FILE    read and validate the scenario only (FILE -: standard input)\n"
    "  quick         run a rig given by preset names (--gpu rtx5090x2 --psu NAME\n"
    "                --circuit us-15a ...), without a file; --print: its scenario\n"
    "  init [FILE]   write a commented starter scenario (--region us, de, uk, ...)\n"
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
    "  -s, --set KEY=VALUE\n"
    "                   override a key: psu.main.rating=2000W, scenario.duration=1h\n"
    "                   (KIND.NAME.KEY for named sections); may repeat\n"
    "  -o, --out DIR    write summary.json, timeseries.csv, events.csv, report.md\n"
    "                   and the plots into DIR (made with its parents)\n"
    "  --plots FMT      png (default with --out), svg, pdf, dumb (in the terminal)\n"
    "                   or none\n"
    "  --plot-size WxH  plot size in pixels (default 1200x800)\n"
    "  --timeseries K   with --out: full (min/mean/max of every signal, the\n"
    "                   default), mean (the means: a third of the size) or none\n"
    "  --json           print the JSON summary on stdout instead of the text\n"
    "  -q, --quiet      print nothing on success but errors (and no progress bar)\n"
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

/* The commands, each with its synopsis and what it does (psusim CMD --help). */
enum {
    C_RUN = 1 << 0, C_CHECK = 1 << 1, C_SWEEP = 1 << 2, C_RECOMMEND = 1 << 3,
    C_MERGE = 1 << 4, C_PRESETS = 1 << 5, C_KEYS = 1 << 6, C_INIT = 1 << 7,
    C_QUICK = 1 << 8,
    C_SIM = C_RUN | C_QUICK   /* the commands that simulate once */
};

static const struct command_doc {
    const char *name;
    int bit;
    const char *synopsis;
    const char *about;
} command_docs[] = {
    { "run", C_RUN, "run FILE [OPTION]...",
      "Simulates the scenario FILE (- reads standard input) and prints one verdict\n"
      "line per link of the chain; with --runs N, a Monte Carlo job." },
    { "check", C_CHECK, "check FILE [--set KEY=VALUE]... [--json]",
      "Reads and validates the scenario only: every problem, with file, line, key\n"
      "and what was expected." },
    { "sweep", C_SWEEP, "sweep FILE --vary KEY=SPEC [--vary KEY=SPEC] [OPTION]...",
      "Runs a grid of one or two parameters and prints a table of verdicts." },
    { "recommend", C_RECOMMEND, "recommend FILE [--set KEY=VALUE]... [--json]",
      "The smallest change that makes every link pass, per lever (power limit,\n"
      "PSU, circuit, ...)." },
    { "merge", C_MERGE, "merge SHARD.json... [--json] [--out DIR]",
      "Puts the shard files of a --runs or sweep job together and prints what the\n"
      "job prints on one machine." },
    { "presets", C_PRESETS, "presets [KIND [NAME]] [--json] | presets --check",
      "Lists the hardware database (circuit, psu, gpu, cpu, load, perf); with NAME\n"
      "one entry, every value with its source; --check lints it." },
    { "keys", C_KEYS, "keys",
      "Prints every scenario section and key (Markdown)." },
    { "init", C_INIT, "init [--region REGION] [FILE]",
      "Writes a commented starter scenario for the region's wall circuit to FILE\n"
      "(never over an existing file) or to standard output." },
    { "quick", C_QUICK, "quick --gpu NAME[xN] --psu NAME --circuit NAME [OPTION]...",
      "Runs a rig given by preset names, without a file, and prints the verdict\n"
      "and the scenario it used (save it with --print > rig.ini)." },
};
enum { N_COMMANDS = sizeof command_docs / sizeof command_docs[0] };

/* The options: long name, argument, the commands they go with (for each
 * command's help; the checks below say what is refused) and their help. */
enum {
    O_SET = 256, O_OUT, O_PLOTS, O_PLOT_SIZE, O_TIMESERIES, O_JSON, O_QUIET, O_FORCE,
    O_VARY, O_RUNS, O_VERDICT_ONLY, O_SHARD, O_CHECK, O_WIDE, O_REGION, O_GPU, O_CPU,
    O_PSU, O_CIRCUIT, O_JOB, O_DURATION, O_PRINT, O_HELP, O_VERSION
};

static const struct option_doc {
    const char *name;
    int arg;              /* no_argument, required_argument */
    int id;
    int short_name;       /* 0: none */
    int cmds;
    const char *value;    /* the argument's name in the help */
    const char *help;
} option_docs[] = {
    { "set", required_argument, O_SET, 's', C_RUN | C_CHECK | C_SWEEP | C_RECOMMEND | C_QUICK,
      "KEY=VALUE", "override a key: psu.main.rating=2000W (KIND.NAME.KEY); may repeat" },
    { "out", required_argument, O_OUT, 'o', C_RUN | C_SWEEP | C_MERGE | C_QUICK, "DIR",
      "write summary.json, timeseries.csv, events.csv, report.md and the plots\n"
      "into DIR (made with its parents)" },
    { "json", no_argument, O_JSON, 0,
      C_RUN | C_CHECK | C_SWEEP | C_RECOMMEND | C_MERGE | C_PRESETS | C_QUICK, NULL,
      "print the JSON summary on stdout instead of the text" },
    { "quiet", no_argument, O_QUIET, 'q', C_RUN | C_CHECK | C_SWEEP | C_RECOMMEND | C_MERGE
      | C_QUICK, NULL, "print nothing on success but errors (and no progress bar)" },
    { "wide", no_argument, O_WIDE, 0, C_SIM, NULL,
      "the verdict table at full width (default: fit the terminal, COLUMNS, or 80)" },
    { "plots", required_argument, O_PLOTS, 0, C_RUN | C_SWEEP | C_MERGE | C_QUICK, "FMT",
      "png (default with --out), svg, pdf, dumb (in the terminal) or none" },
    { "plot-size", required_argument, O_PLOT_SIZE, 0, C_RUN | C_SWEEP | C_MERGE | C_QUICK,
      "WxH", "plot size in pixels (default 1200x800)" },
    { "timeseries", required_argument, O_TIMESERIES, 0, C_SIM, "KIND",
      "with --out: full (min/mean/max, the default), mean or none" },
    { "force", no_argument, O_FORCE, 0, C_RUN | C_CHECK | C_SWEEP | C_QUICK, NULL,
      "run past the size limits and write into an --out folder holding files\n"
      "psusim did not write" },
    { "runs", required_argument, O_RUNS, 0, C_RUN | C_SWEEP, "N",
      "Monte Carlo: N runs with seeds derived from the scenario's seed" },
    { "vary", required_argument, O_VARY, 0, C_SWEEP, "KEY=SPEC",
      "a list (1600W,2000W) or a range (300W:575W:25W); one or two" },
    { "verdict-only", no_argument, O_VERDICT_ONLY, 0, C_RUN | C_SWEEP, NULL,
      "with --runs or sweep: each run stops at its first failure" },
    { "shard", required_argument, O_SHARD, 0, C_RUN | C_SWEEP, "K/N",
      "with --runs or sweep: compute part K of N and write a shard file" },
    { "check", no_argument, O_CHECK, 0, C_PRESETS, NULL,
      "every value sourced, every name once" },
    { "region", required_argument, O_REGION, 0, C_INIT, "REGION",
      "the wall circuit: us, us-20a, us-240v, ca, de, eu, uk, jp, ... (default us)" },
    { "gpu", required_argument, O_GPU, 0, C_QUICK, "NAME[xN]",
      "GPU preset (psusim presets gpu), N cards: rtx5090x2" },
    { "cpu", required_argument, O_CPU, 0, C_QUICK, "NAME", "CPU preset (psusim presets cpu)" },
    { "psu", required_argument, O_PSU, 0, C_QUICK, "NAME", "PSU preset (psusim presets psu)" },
    { "circuit", required_argument, O_CIRCUIT, 0, C_QUICK, "NAME",
      "circuit preset (psusim presets circuit): us-15a, de-b16, ..." },
    { "job", required_argument, O_JOB, 0, C_QUICK, "TIME",
      "how long the real job runs: 8h (the continuous-load rules)" },
    { "duration", required_argument, O_DURATION, 0, C_QUICK, "TIME",
      "simulated time (default 10min)" },
    { "print", no_argument, O_PRINT, 0, C_QUICK, NULL,
      "print the scenario only (save it: > rig.ini), do not run it" },
    { "help", no_argument, O_HELP, 'h', ~0, NULL, "this help" },
    { "version", no_argument, O_VERSION, 'V', ~0, NULL, "the version" },
};
enum { N_OPTIONS = sizeof option_docs / sizeof option_docs[0] };

static const struct command_doc *find_command(const char *name)
{
    for (size_t i = 0; name && i < N_COMMANDS; i++)
        if (strcmp(command_docs[i].name, name) == 0) return &command_docs[i];
    return NULL;
}

/* psusim CMD --help: the synopsis, what it does, and its options. */
static void command_help(const struct command_doc *cd)
{
    printf("usage: psusim %s\n\n%s\n\noptions:\n", cd->synopsis, cd->about);
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const struct option_doc *o = &option_docs[i];
        if (!(o->cmds & cd->bit)) continue;
        char head[64];
        snprintf(head, sizeof head, "%c%c%c --%s%s%s", o->short_name ? '-' : ' ',
                 o->short_name ? o->short_name : ' ', o->short_name ? ',' : ' ', o->name,
                 o->value ? " " : "", o->value ? o->value : "");
        printf("  %-24s", head);
        /* the help wrapped at 79 columns, under its first line */
        int col = 26;
        for (const char *h = o->help; *h;) {
            while (*h == ' ' || *h == '\n') h++;
            size_t w = strcspn(h, " \n");
            if (col > 26 && col + 1 + (int)w > 79) {
                printf("\n%26s", "");
                col = 26;
            } else if (col > 26) {
                putchar(' ');
                col++;
            }
            printf("%.*s", (int)w, h);
            col += (int)w;
            h += w;
        }
        putchar('\n');
    }
    printf("\nexit status: 0 all links pass (MARGINAL included), 1 something trips or\n"
           "breaks a rule, 2 bad input or usage, 3 I/O or internal error.\n"
           "See also: psusim --help, man psusim.\n");
}

/* A usage error: the message and where the usage is (not the whole block). */
static int usage_error(const struct cli *c, const char *what, const char *arg)
{
    const struct command_doc *cd = find_command(c->command);
    if (cd)
        fprintf(stderr, "psusim: %s%s\nusage: psusim %s  (psusim %s --help)\n", what, arg,
                cd->synopsis, cd->name);
    else
        fprintf(stderr, "psusim: %s%s\n(psusim --help shows the usage)\n", what, arg);
    return EXIT_USAGE;
}


/* Refuses text that is not UTF-8 in any argument: every argument may reach an
 * output (a --set value as a name, a file name in summary.json) (issue 15, 6). */
static int check_utf8(int argc, char **argv)
{
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
    return -1;
}

/* Takes option ID with its argument V into C. Returns -1, or an exit status. */
static int take_option(struct cli *c, int id, const char *v)
{
    switch (id) {
    case O_SET:
        if (c->n_sets == MAX_SETS) return usage_error(c, "too many --set options", "");
        c->sets[c->n_sets++] = v;
        break;
    case O_OUT: c->out_dir = v; break;
    case O_PLOTS: {
        static const char *const fmts[] = { "png", "svg", "pdf", "dumb", "none" };
        int ok = 0;
        for (size_t k = 0; k < 5; k++) ok |= strcmp(v, fmts[k]) == 0;
        if (!ok) return usage_error(c, "--plots takes png, svg, pdf, dumb or none; got: ", v);
        c->plots = v;
        break;
    }
    case O_TIMESERIES:
        if (strcmp(v, "full") != 0 && strcmp(v, "mean") != 0 && strcmp(v, "none") != 0)
            return usage_error(c, "--timeseries takes full, mean or none; got: ", v);
        c->timeseries = v;
        break;
    case O_PLOT_SIZE: {
        int w = 0, h = 0, n = 0;
        if (sscanf(v, "%dx%d%n", &w, &h, &n) != 2 || v[n] != '\0' || w < 200 || h < 150
            || w > 10000 || h > 10000)
            return usage_error(c, "--plot-size takes WIDTHxHEIGHT in pixels, 200x150 to "
                               "10000x10000; got: ", v);
        c->plot_w = w;
        c->plot_h = h;
        break;
    }
    case O_VARY:
        if (c->n_vary == 2) return usage_error(c, "at most two --vary", "");
        c->vary[c->n_vary++] = v;
        break;
    case O_RUNS: {
        char *end;
        unsigned long n = strtoul(v, &end, 10);
        if (*end || n < 1 || n > 1000000 || v[0] == '-' || v[0] == '\0')
            return usage_error(c, "--runs takes a whole number from 1 to 1000000; got: ", v);
        c->runs = n;
        break;
    }
    case O_SHARD: {
        char err[160];
        if (shard_parse(v, &c->shard, err, sizeof err) != 0) return usage_error(c, err, "");
        break;
    }
    case O_VERDICT_ONLY: c->verdict_only = 1; break;
    case O_FORCE: c->force = 1; break;
    case O_JSON: c->json = 1; break;
    case O_QUIET: c->quiet = 1; break;
    case O_WIDE: c->wide = 1; break;
    case O_CHECK:
        if (strcmp(c->command, "presets") != 0) return usage_error(c, "unknown option: ", "--check");
        c->check = 1;
        break;
    case O_REGION: c->region = v; break;
    case O_GPU: c->quick.gpu = v; break;
    case O_CPU: c->quick.cpu = v; break;
    case O_PSU: c->quick.psu = v; break;
    case O_CIRCUIT: c->quick.circuit = v; break;
    case O_JOB: c->quick.job = v; break;
    case O_DURATION: c->quick.duration = v; break;
    case O_PRINT: c->quick.print = 1; break;
    default: break;
    }
    return -1;
}

/* The options of a command's own line: each option in the command's table is
 * known to getopt_long; those of other commands are refused below by name. */
static int parse_options(int argc, char **argv, struct cli *c)
{
    static struct option longs[N_OPTIONS + 1];
    char shorts[2 * N_OPTIONS + 2] = ":";
    size_t ns = 1;
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const struct option_doc *o = &option_docs[i];
        longs[i] = (struct option){ o->name, o->arg, NULL, o->id };
        if (o->short_name) {
            shorts[ns++] = (char)o->short_name;
            if (o->arg == required_argument) shorts[ns++] = ':';
        }
    }
    shorts[ns] = '\0';
    opterr = 0;
    optind = 1;
    /* argv + 1: the command is argv[0] for getopt, which permutes the rest so
     * that options and operands may come in any order */
    int n = argc - 1;
    char **av = argv + 1;
    int ch;
    while ((ch = getopt_long(n, av, shorts, longs, NULL)) != -1) {
        const char *given = av[optind - 1];
        if (ch == ':') return usage_error(c, "this option needs a value: ", given);
        if (ch == '?') {
            char shown[3] = { '-', (char)optopt, '\0' };
            return usage_error(c, "unknown option: ", optopt > 0 && optopt < 256 ? shown : given);
        }
        int id = ch;
        for (size_t i = 0; i < N_OPTIONS; i++)
            if (option_docs[i].short_name == ch) id = option_docs[i].id;
        if (id == O_HELP) {
            command_help(find_command(c->command));
            return EXIT_PASS;
        }
        if (id == O_VERSION) {
            printf("psusim %s\n", PSUSIM_VERSION);
            return EXIT_PASS;
        }
        int rc = take_option(c, id, optarg);
        if (rc >= 0) return rc;
    }
    /* the operands: FILE, presets KIND NAME, merge's shard files */
    for (int i = optind; i < n; i++) {
        const char *a = av[i];
        if (strcmp(c->command, "merge") == 0) {
            if (c->n_parts == SHARD_MAX_PARTS) return usage_error(c, "too many shard files", "");
            c->parts[c->n_parts++] = a;
        } else if (!c->file) {
            c->file = a;
        } else if (strcmp(c->command, "presets") == 0 && !c->name) {
            c->name = a;
        } else {
            return usage_error(c, "unexpected argument: ", a);
        }
    }
    return -1;
}

/* What goes with what: the checks across options and commands. Returns -1, or
 * EXIT_USAGE after the message. */
static int check_combinations(struct cli *c)
{
    int is_run = strcmp(c->command, "run") == 0, is_sweep = strcmp(c->command, "sweep") == 0;
    int is_quick = strcmp(c->command, "quick") == 0, is_init = strcmp(c->command, "init") == 0;
    int needs_file = is_run || strcmp(c->command, "check") == 0 || is_sweep
                     || strcmp(c->command, "recommend") == 0;
    const struct command_doc *cd = find_command(c->command);
    /* the quick and init options, and --wide, only with their commands */
    static const int own[] = { O_REGION, O_GPU, O_CPU, O_PSU, O_CIRCUIT, O_JOB, O_DURATION,
                               O_PRINT, O_WIDE };
    const char *given[] = { c->region, c->quick.gpu, c->quick.cpu, c->quick.psu,
                            c->quick.circuit, c->quick.job, c->quick.duration,
                            c->quick.print ? "" : NULL, c->wide ? "" : NULL };
    for (size_t k = 0; k < sizeof own / sizeof own[0]; k++) {
        if (!given[k]) continue;
        for (size_t i = 0; i < N_OPTIONS; i++) {
            const struct option_doc *o = &option_docs[i];
            if (o->id != own[k] || (o->cmds & cd->bit)) continue;
            fprintf(stderr, "psusim: --%s goes with ", o->name);
            for (size_t j = 0, n = 0; j < N_COMMANDS; j++)
                if (o->cmds & command_docs[j].bit)
                    fprintf(stderr, "%s%s", n++ ? " and " : "", command_docs[j].name);
            fprintf(stderr, ", not %s\n", c->command);
            return EXIT_USAGE;
        }
    }
    if (c->n_vary && !is_sweep)
        return usage_error(c, "--vary goes with the sweep command", "");
    if (is_sweep && c->n_vary == 0)
        return usage_error(c, "sweep needs --vary KEY=SPEC (one or two)", "");
    if (c->runs && !is_run && !is_sweep)
        return usage_error(c, "--runs goes with run and sweep", "");
    if (c->shard.n && !(is_sweep || (is_run && c->runs)))
        return usage_error(c, "--shard goes with run --runs N and with sweep", "");
    if (c->verdict_only && !(is_sweep || (is_run && c->runs)))
        return usage_error(c, "--verdict-only goes with run --runs N and with sweep", "");
    if (c->shard.n && c->json)
        return usage_error(c, "--shard writes a shard file (JSON already); drop --json, and "
                           "give --json to psusim merge", "");
    if (strcmp(c->command, "merge") == 0) {
        if (c->n_parts == 0) return usage_error(c, "merge needs the shard files: ",
                                                "psusim merge DIR/shard-*.json");
        if (c->n_sets || c->runs || c->n_vary)
            return usage_error(c, "merge takes --set, --runs and --vary from the shards; ",
                               "give only the files (and --json, --out, --plots)");
    }
    if (needs_file && !c->file) return usage_error(c, "a scenario FILE is needed by: ", c->command);
    if (c->file && strcmp(c->file, "-") == 0 && !(strcmp(c->command, "check") == 0
                                                 || (is_run && !c->runs)))
        return usage_error(c, "a scenario from standard input (-) goes with run and check; ",
                           "sweep, recommend and --runs read the file once a run");
    if (strcmp(c->command, "presets") == 0 && (c->n_sets || c->out_dir))
        return usage_error(c, "--set and --out go with run and check, not: ", c->command);
    if (strcmp(c->command, "presets") == 0 && c->check && (c->file || c->json))
        return usage_error(c, "presets --check takes no kind, name or --json", "");
    if (!needs_file && !is_quick && strcmp(c->command, "merge") != 0
        && strcmp(c->command, "presets") != 0 && (c->n_sets || c->out_dir || c->json))
        return usage_error(c, "--set, --out and --json go with run and check, not: ", c->command);
    if (strcmp(c->command, "keys") == 0 && c->file)
        return usage_error(c, "unexpected argument: ", c->file);
    if (is_quick && c->file) return usage_error(c, "unexpected argument: ", c->file);
    if (is_init && (c->n_sets || c->out_dir || c->json || c->quiet))
        return usage_error(c, "init takes only --region and a FILE", "");
    if (is_quick && c->quick.print && (c->json || c->out_dir || c->quiet))
        return usage_error(c, "--print prints the scenario only: drop --json, --out and "
                           "--quiet", "");
    if (c->out_dir && !c->out_dir[0]) return usage_error(c, "--out needs a folder", "");
    if (c->plots && strcmp(c->plots, "dumb") == 0 && c->json)
        return usage_error(c, "--plots dumb draws on standard output, as --json writes; ",
                           "choose one");
    if (c->plots && strcmp(c->plots, "dumb") != 0 && strcmp(c->plots, "none") != 0
        && !c->out_dir)
        return usage_error(c, "--plots png, svg and pdf write files: give --out DIR too", "");
    if (c->timeseries && !(c->out_dir && (is_run || is_quick) && !c->runs))
        return usage_error(c, "--timeseries goes with run FILE --out DIR", "");
    return -1;
}

/* 1 if ARG is an option that takes its value from the next word (--set X,
 * -s X; not --set=X). */
static int takes_next(const char *arg)
{
    if (arg[0] != '-' || strchr(arg, '=')) return 0;
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const struct option_doc *o = &option_docs[i];
        if (o->arg != required_argument) continue;
        if ((arg[1] == '-' && strcmp(arg + 2, o->name) == 0)
            || (o->short_name && arg[1] == o->short_name && arg[2] == '\0'))
            return 1;
    }
    return 0;
}

/* Options before the command (psusim --set X run FILE): the first word that is
 * a command, and not an option's value, moves to the front (ARGV's order
 * otherwise kept: getopt_long takes options anywhere). */
static void command_first(int argc, char **argv)
{
    if (argv[1][0] != '-' || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")
        || !strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
        return;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--")) return;
        if (takes_next(argv[i])) {
            i++;
            continue;
        }
        if (argv[i][0] != '-' && find_command(argv[i])) {
            char *cmd = argv[i];
            memmove(argv + 2, argv + 1, (size_t)(i - 1) * sizeof *argv);
            argv[1] = cmd;
            return;
        }
    }
}

int cli_parse(int argc, char **argv, struct cli *c)
{
    if (argc < 2) {
        fprintf(stderr, "psusim: no command given\n%s", usage_text);
        return EXIT_USAGE;
    }
    command_first(argc, argv);
    c->command = argv[1];
    if (strcmp(c->command, "--help") == 0 || strcmp(c->command, "-h") == 0) {
        printf("%s\n%s", help_text, usage_text);
        return EXIT_PASS;
    }
    if (strcmp(c->command, "--version") == 0 || strcmp(c->command, "-V") == 0) {
        printf("psusim %s\n", PSUSIM_VERSION);
        return EXIT_PASS;
    }
    if (!find_command(c->command)) {
        static const char *names[N_COMMANDS];
        for (size_t i = 0; i < N_COMMANDS; i++) names[i] = command_docs[i].name;
        const char *near = text_nearest(c->command, names, N_COMMANDS, 2);
        fprintf(stderr, "psusim: unknown command '%s'%s%s%s\n(psusim --help shows the "
                "commands)\n", c->command, near ? "; did you mean '" : "", near ? near : "",
                near ? "'?" : "");
        return EXIT_USAGE;
    }
    int rc = check_utf8(argc, argv);
    if (rc < 0) rc = parse_options(argc, argv, c);
    if (rc < 0) rc = check_combinations(c);
    if (rc >= 0) return rc;
    if (!c->timeseries) c->timeseries = "full";
    if (!c->plots) c->plots = c->out_dir ? "png" : "none";
    if (!c->plot_w) {
        c->plot_w = 1200;
        c->plot_h = 800;
    }
    return -1;
}

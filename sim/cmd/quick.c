/* quick — psusim quick --gpu NAME[xN] --psu NAME --circuit NAME [--cpu NAME]
 * [--job TIME]: a rig given by preset names, run without a file. The scenario
 * is written out as text (the same text --print prints, so the user can save
 * and edit it) and run exactly as `psusim run` runs a file holding it. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "diag.h"
#include "preset.h"
#include "text.h"

/* What a quick run's scenario is called in its output (no file holds it). */
static const char QUICK_LABEL[] = "(quick)";

/* CPUs on a workstation board (more lanes, a BMC, RDIMMs): their rig's rest is
 * platform-workstation, every other's platform-desktop (the load presets). */
static const char *const workstation_cpus[] = { "threadripper", "xeon", "epyc" };

/* 1 if the database holds a KIND preset NAME. */
static int has_preset(const struct preset_db *db, const char *kind, const char *name)
{
    for (size_t i = 0; i < db->n; i++)
        if (strcmp(db->entries[i].kind, kind) == 0 && strcmp(db->entries[i].name, name) == 0)
            return 1;
    return 0;
}

/* 1 if the database holds a KIND preset NAME; else says so (for its option
 * --KIND), with the nearest name. */
static int known_preset(const struct preset_db *db, const char *kind, const char *name)
{
    if (has_preset(db, kind, name)) return 1;
    const char *near = preset_db_nearest(db, kind, name);
    fprintf(stderr, "psusim: quick: --%s: no %s preset '%s'%s%s%s (list them with 'psusim "
            "presets %s')\n", kind, kind, name, near ? "; did you mean '" : "",
            near ? near : "", near ? "'?" : "", kind);
    return 0;
}

/* --gpu NAME[xN]: the preset NAME and the count N (1 without "xN", or when ARG
 * is a preset's whole name: rtx5090 is one card, not rt x 5090). Returns 0, or
 * -1 when N is not a whole number from 1 to 256. */
static int split_count(const struct preset_db *db, const char *arg, char *name, size_t n,
                       long *count)
{
    const char *x = has_preset(db, "gpu", arg) ? NULL : strrchr(arg, 'x');
    *count = 1;
    if (x && x > arg && x[1] >= '0' && x[1] <= '9') {
        char *end;
        long k = strtol(x + 1, &end, 10);
        if (*end != '\0') x = NULL;   /* part of the name */
        else if (k < 1 || k > 256) return -1;
        else *count = k;
    } else {
        x = NULL;
    }
    size_t len = x ? (size_t)(x - arg) : strlen(arg);
    snprintf(name, n, "%.*s", (int)(len < n ? len : n - 1), arg);
    return 0;
}

/* A time for --job or --duration: digits, letters, spaces and dots only (it is
 * written into the scenario; the loader checks its unit). */
static int plain_time(const char *s)
{
    if (!s[0]) return 0;
    for (; *s; s++)
        if (!(*s == ' ' || *s == '.' || (*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z')
              || (*s >= 'A' && *s <= 'Z')))
            return 0;
    return 1;
}

/* Writes the scenario of C's options into OUT. Returns 0, or EXIT_USAGE after a
 * message. */
static int write_scenario(FILE *out, const struct cli *c, const struct preset_db *db)
{
    const struct cli_quick *q = &c->quick;
    char gpu[64];
    long count;
    if (!q->gpu || !q->psu || !q->circuit) {
        fprintf(stderr, "psusim: quick needs --gpu NAME[xN], --psu NAME and --circuit NAME "
                "(psusim quick --help)\n");
        return EXIT_USAGE;
    }
    if (split_count(db, q->gpu, gpu, sizeof gpu, &count) != 0) {
        fprintf(stderr, "psusim: quick: --gpu %s: the count after 'x' is 1 to 256\n", q->gpu);
        return EXIT_USAGE;
    }
    /* every unknown name said, not only the first */
    int known = known_preset(db, "gpu", gpu);
    known &= known_preset(db, "psu", q->psu);
    known &= known_preset(db, "circuit", q->circuit);
    if (q->cpu) known &= known_preset(db, "cpu", q->cpu);
    if (!known) return EXIT_USAGE;
    const char *times[2] = { q->job, q->duration }, *names[2] = { "job", "duration" };
    for (int i = 0; i < 2; i++)
        if (times[i] && !plain_time(times[i])) {
            fprintf(stderr, "psusim: quick: --%s takes a time such as 8h or 10min; got: %s\n",
                    names[i], times[i]);
            return EXIT_USAGE;
        }
    const char *platform = "platform-desktop";
    for (size_t i = 0; q->cpu && i < sizeof workstation_cpus / sizeof workstation_cpus[0]; i++)
        if (strncmp(q->cpu, workstation_cpus[i], strlen(workstation_cpus[i])) == 0)
            platform = "platform-workstation";

    fprintf(out, "; psusim quick --gpu %s%s%s --psu %s --circuit %s%s%s%s%s\n", q->gpu,
            q->cpu ? " --cpu " : "", q->cpu ? q->cpu : "", q->psu, q->circuit,
            q->job ? " --job " : "", q->job ? q->job : "", q->duration ? " --duration " : "",
            q->duration ? q->duration : "");
    fprintf(out, "; Every section starts from a preset: psusim presets KIND NAME shows its\n"
                 "; values and their sources. A key written under a section overrides it.\n\n");
    fprintf(out, "[scenario]\nname     = %ld x %s%s%s, %s on %s\n", count, gpu,
            q->cpu ? ", " : "", q->cpu ? q->cpu : "", q->psu, q->circuit);
    fprintf(out, "duration = %s    ; simulated time%s\n", q->duration ? q->duration : "10 min",
            q->job ? "; the rest of the job is extrapolated" : "");
    if (q->job) fprintf(out, "job      = %s    ; how long the real job runs (continuous-load "
                             "rules)\n", q->job);
    fprintf(out, "\n[circuit wall]\npreset = %s\n", q->circuit);
    fprintf(out, "\n[psu main]\ncircuit = wall\npreset  = %s\n", q->psu);
    fprintf(out, "\n[gpu gpu]\npsu    = main\npreset = %s\ncount  = %ld\n", gpu, count);
    if (q->cpu) fprintf(out, "\n[cpu cpu]\npsu    = main\npreset = %s\n", q->cpu);
    fprintf(out, "\n[load platform]\npsu    = main\npreset = %s   ; board, RAM, SSDs, fans, "
                 "pump (psusim presets load)\n", platform);
    return 0;
}

/* The scenario text of C's options into *TEXT (malloc'd). Returns EXIT_PASS,
 * or the exit status after the message. */
static int quick_text(const struct cli *c, char **text)
{
    char buf[PATH_MAX];
    struct diag *d = malloc(sizeof *d);
    struct preset_db db = { 0 };
    size_t len = 0;
    FILE *out = open_memstream(text, &len);
    if (!d || !out) {
        free(d);
        if (out) fclose(out);
        fprintf(stderr, "psusim: out of memory\n");
        return EXIT_IO;
    }
    diag_init(d);
    int rc = EXIT_IO;
    if (preset_db_load(&db, cli_preset_dir(buf, sizeof buf), d) != 0) cli_print_diag(d);
    else rc = write_scenario(out, c, &db) == 0 ? EXIT_PASS : EXIT_USAGE;
    if (fclose(out) != 0 && rc == EXIT_PASS) {
        fprintf(stderr, "psusim: out of memory\n");
        rc = EXIT_IO;
    }
    preset_db_free(&db);
    free(d);
    return rc;
}

int cmd_quick(const struct cli *c)
{
    char *text = NULL;
    int rc = quick_text(c, &text);
    if (rc == EXIT_PASS && c->quick.print) {
        fputs(text, stdout);
        rc = fflush(stdout) == 0 ? EXIT_PASS : EXIT_IO;
    } else if (rc == EXIT_PASS) {
        struct cli run = *c;
        run.file = QUICK_LABEL;
        run.text = text;
        rc = cmd_run(&run);
        /* the scenario it used, to save and edit (not with --json: one document) */
        if (rc != EXIT_USAGE && rc != EXIT_IO && !c->json && !c->quiet) {
            printf("\nThe scenario of this run (save it: psusim quick ... --print > rig.ini):\n\n");
            fputs(text, stdout);
            if (fflush(stdout) != 0) rc = EXIT_IO;
        }
    }
    free(text);
    return rc;
}

/* init — psusim init [--region REGION] [FILE]: a commented starter scenario to
 * edit, for the region's usual wall circuit, on standard output or in FILE
 * (never over an existing file; written whole or not at all). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "outfile.h"
#include "text.h"

/* The regions and their usual outlet circuit (circuit presets; psusim presets
 * circuit shows each with its sources). */
static const struct region {
    const char *name;
    const char *circuit;
    const char *what;
} regions[] = {
    { "us", "us-15a", "US 120 V 15 A general-purpose circuit (UL 489, NEC 80 % rule)" },
    { "us-20a", "us-20a", "US 120 V 20 A circuit (UL 489, NEC 80 % rule)" },
    { "us-240v", "us-240v-20a", "US 240 V 20 A NEMA 6-20 circuit (UL 489, NEC 80 % rule)" },
    { "ca", "ca-15a", "Canadian 120 V 15 A circuit (CSA C22.1 80 % rule)" },
    { "de", "de-b16", "German 230 V Schuko socket on a B16 MCB" },
    { "eu", "de-b16", "230 V Schuko socket on a B16 MCB (IEC 60898-1)" },
    { "uk", "uk-13a", "UK 230 V socket behind a BS 1362 13 A plug fuse" },
    { "ie", "ie-13a", "Irish 230 V socket behind a BS 1362 13 A plug fuse" },
    { "fr", "fr-16a", "French 230 V 16 A socket circuit (NF C 15-100)" },
    { "it", "it-16a", "Italian 230 V 16 A socket circuit" },
    { "ch", "ch-t13-10a", "Swiss 230 V T13 socket on a 13 A MCB" },
    { "se", "se-10a", "Swedish 230 V Schuko socket on 10 A" },
    { "no", "no-16a", "Norwegian 230 V socket on a 16 A MCB" },
    { "jp", "jp-15a", "Japanese 100 V outlet (1500 W per outlet)" },
    { "au", "au-10a", "Australian 230 V 10 A outlet" },
    { "nz", "nz-10a", "New Zealand 230 V 10 A outlet" },
};
enum { N_REGIONS = sizeof regions / sizeof regions[0] };

/* The starter scenario; %s: the region's circuit preset and what it is. */
static const char starter[] =
    "; A starter scenario: edit it, then run it with  psusim run FILE\n"
    "; Values take units (575 W, 2.5 kW, 15 A, 50 us, 10 min, 8 h, 80 %%).\n"
    "; preset = NAME starts a section from the hardware database (psusim presets\n"
    "; KIND lists them, psusim presets KIND NAME shows one with its sources); a key\n"
    "; written under a section overrides the preset. psusim keys lists every key.\n"
    "\n"
    "[scenario]\n"
    "name     = My rig\n"
    "duration = 10 min      ; simulated time (the rest of the job is extrapolated)\n"
    "job      = 8 h         ; how long the real job runs: from 3 h the\n"
    "                       ; continuous-load rules apply\n"
    "\n"
    "[circuit wall]         ; the branch circuit the rig is plugged into\n"
    "preset = %s%*s; %s\n"
    ";wire_length = 15 m     ; the run from the panel, with wire_gauge = 14 AWG\n"
    "\n"
    "[psu main]\n"
    "circuit    = wall\n"
    "rating     = 1600 W          ; the label's continuous DC output\n"
    "efficiency = 80plus-platinum ; or measured points: 20%%:0.92, 50%%:0.94, 100%%:0.91\n"
    "atx        = 3.1             ; ATX 3.x units ride the GPU excursions of the spec\n"
    ";preset    = corsair-ax1600i ; or a real unit: psusim presets psu\n"
    "\n"
    "[gpu gpus]\n"
    "psu         = main\n"
    "preset      = rtx4090      ; psusim presets gpu\n"
    "count       = 2\n"
    "power_limit = 450 W        ; as nvidia-smi -pl sets it\n"
    "workload    = training     ; constant, idle, training or inference\n"
    "\n"
    "[cpu cpu]\n"
    "psu    = main\n"
    "preset = ryzen9-7950x      ; psusim presets cpu\n"
    "\n"
    "[load platform]            ; board, RAM, SSDs, fans and pump\n"
    "psu    = main\n"
    "preset = platform-desktop\n"
    "\n"
    ";[load monitor]            ; an AC load on the same circuit\n"
    ";circuit = wall\n"
    ";preset  = monitor-27-1440p\n";

static void write_starter(FILE *out, const struct region *r)
{
    int pad = 14 - (int)strlen(r->circuit);
    fprintf(out, starter, r->circuit, pad > 1 ? pad : 1, "", r->what);
}

/* Writes the starter into FILE: refused if it exists; a temporary file renamed
 * into place, so it is whole or absent. */
static int write_file(const char *file, const struct region *r)
{
    struct stat st;
    if (lstat(file, &st) == 0) {
        fprintf(stderr, "psusim: init: %s exists; psusim init writes only a new file "
                "(choose another name, or remove it)\n", file);
        return EXIT_USAGE;
    }
    char dir[PATH_MAX], err[OUTFILE_PATH_LEN + 128];
    const char *slash = strrchr(file, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - file) : 1,
             slash ? (slash == file ? "/" : file) : ".");
    const char *name = slash ? slash + 1 : file;
    if (!name[0]) {
        fprintf(stderr, "psusim: init: %s names a folder; give a file name\n", file);
        return EXIT_USAGE;
    }
    struct outfile f;
    if (outfile_open(&f, dir, name, err, sizeof err) != 0) {
        fprintf(stderr, "psusim: init: %s\n", err);
        return EXIT_IO;
    }
    write_starter(f.fp, r);
    /* made meanwhile by someone else: theirs stays (link refuses to replace) */
    if (fflush(f.fp) != 0 || ferror(f.fp)) {
        fprintf(stderr, "psusim: init: %s: write failed\n", f.path);
        outfile_abort(&f);
        return EXIT_IO;
    }
    if (link(f.tmp, f.path) != 0) {
        int e = errno;
        fprintf(stderr, "psusim: init: %s: %s\n", f.path,
                e == EEXIST ? "exists now; not replaced" : strerror(e));
        outfile_abort(&f);
        return e == EEXIST ? EXIT_USAGE : EXIT_IO;
    }
    outfile_abort(&f);   /* the temporary name goes; the file stays under its own */
    printf("wrote %s (%s); edit it, then: psusim run %s\n", file, r->circuit, file);
    return fflush(stdout) == 0 ? EXIT_PASS : EXIT_IO;
}

int cmd_init(const struct cli *c)
{
    const char *want = c->region ? c->region : "us";
    const struct region *r = NULL;
    for (size_t i = 0; i < N_REGIONS; i++)
        if (strcmp(regions[i].name, want) == 0) r = &regions[i];
    if (!r) {
        const char *names[N_REGIONS];
        for (size_t i = 0; i < N_REGIONS; i++) names[i] = regions[i].name;
        const char *near = text_nearest(want, names, N_REGIONS, 2);
        fprintf(stderr, "psusim: init: unknown region '%s'%s%s%s (known:", want,
                near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
        for (size_t i = 0; i < N_REGIONS; i++)
            fprintf(stderr, "%s %s", i ? "," : "", regions[i].name);
        fprintf(stderr, ")\n");
        return EXIT_USAGE;
    }
    if (c->file) return write_file(c->file, r);
    write_starter(stdout, r);
    return fflush(stdout) == 0 ? EXIT_PASS : EXIT_IO;
}

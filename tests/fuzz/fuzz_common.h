/* fuzz_common.h — the scratch folder the fuzz targets write their inputs into.
 *
 * Both loaders take a path, so each fuzz input is written to a file in a folder
 * of this process's own (mkdtemp under $TMPDIR or /tmp), reused for every input
 * and removed at a normal exit. Only the fuzz targets include this file.
 */
#ifndef PSUSIM_FUZZ_COMMON_H
#define PSUSIM_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

enum { FUZZ_PATH_LEN = 512 };

static char fuzz_dir[FUZZ_PATH_LEN];       /* the scratch folder */

/* Names of the files made in the scratch folder (relative to it), removed at
 * exit, deepest first. */
static const char *fuzz_made[8];
static size_t fuzz_n_made;
static int fuzz_subdir;                     /* 1: fuzz_dir/traces was made */

static void fuzz_cleanup(void)
{
    char p[FUZZ_PATH_LEN * 2];

    for (size_t i = fuzz_n_made; i-- > 0;) {
        snprintf(p, sizeof p, "%s/%s", fuzz_dir, fuzz_made[i]);
        unlink(p);
    }
    if (fuzz_subdir) {
        snprintf(p, sizeof p, "%s/traces", fuzz_dir);
        rmdir(p);
    }
    if (fuzz_dir[0])
        rmdir(fuzz_dir);
}

/* Makes the scratch folder (and its traces/ subfolder with TRACES_DIR); exits
 * on failure (the fuzzer cannot run). Turns GSL's abort-on-error handler off, as
 * main.c does. */
static void fuzz_setup(int traces_dir)
{
    const char *tmp = getenv("TMPDIR");

    if (tmp == NULL || tmp[0] == '\0')
        tmp = "/tmp";
    snprintf(fuzz_dir, sizeof fuzz_dir, "%s/psusim-fuzz-XXXXXX", tmp);
    if (mkdtemp(fuzz_dir) == NULL) {
        perror("psusim fuzz: mkdtemp");
        exit(1);
    }
    atexit(fuzz_cleanup);
    if (traces_dir) {
        char p[FUZZ_PATH_LEN * 2];

        snprintf(p, sizeof p, "%s/traces", fuzz_dir);
        if (mkdir(p, 0700) != 0) {
            perror("psusim fuzz: mkdir");
            exit(1);
        }
        fuzz_subdir = 1;
    }
        gsl_set_error_handler_off();
}

/* Writes LEN bytes of DATA to NAME in the scratch folder (truncating it); the
 * full path goes to PATH. Records NAME for removal on its first write. Exits on
 * failure. */
static void fuzz_write(const char *name, const uint8_t *data, size_t len, char *path,
                       size_t pathlen)
{
    FILE *f;

    snprintf(path, pathlen, "%s/%s", fuzz_dir, name);
    f = fopen(path, "wb");
    if (f == NULL || (len > 0 && fwrite(data, 1, len, f) != len) || fclose(f) != 0) {
        perror("psusim fuzz: writing the input");
        exit(1);
    }
    for (size_t i = 0; i < fuzz_n_made; i++)
        if (fuzz_made[i] == name)
            return;
    if (fuzz_n_made < sizeof fuzz_made / sizeof fuzz_made[0])
        fuzz_made[fuzz_n_made++] = name;
}

#endif

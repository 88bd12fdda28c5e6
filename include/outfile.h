/* outfile — output files that appear whole or not at all.
 *
 * A file is written under a temporary name in its final folder and renamed into
 * place by outfile_commit(); a crash or an error leaves no half file behind
 * (outfile_abort() removes the temporary one).
 */
#ifndef PSUSIM_OUTFILE_H
#define PSUSIM_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

enum { OUTFILE_PATH_LEN = 4096 };

struct outfile {
    FILE *fp;                        /* open on the temporary file */
    char tmp[OUTFILE_PATH_LEN];      /* temporary path */
    char path[OUTFILE_PATH_LEN];     /* final path */
};

/* Creates DIR and its parents (as mkdir -p) where they do not exist. Returns 0,
 * or -1 with a message. */
int outfile_mkdir(const char *dir, char *err, size_t errlen);

/* Opens DIR/NAME for writing under a temporary name. Returns 0, or -1 with a
 * message in ERR. */
int outfile_open(struct outfile *f, const char *dir, const char *name, char *err,
                 size_t errlen);

/* Flushes, closes and renames into place. Returns 0, or -1 with a message (the
 * temporary file is then removed). */
int outfile_commit(struct outfile *f, char *err, size_t errlen);

/* Closes and removes the temporary file; safe on a closed or never opened F. */
void outfile_abort(struct outfile *f);

#endif

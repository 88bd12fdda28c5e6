/* outfile — see include/outfile.h. */
#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Makes the one folder DIR (its parent exists). Returns 0, or -1 with ERR. */
static int mkdir_one(const char *dir, char *err, size_t errlen)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode)) return 0;
        snprintf(err, errlen, "%s: exists and is not a folder", dir);
        return -1;
    }
    if (mkdir(dir, 0777) != 0) {
        /* another run (a shard beside this one) made it in between: fine if it
         * is a folder */
        if (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) return 0;
        snprintf(err, errlen, "%s: cannot create the folder: %s", dir, strerror(errno));
        return -1;
    }
    return 0;
}

int outfile_mkdir(const char *dir, char *err, size_t errlen)
{
    /* the parents first, as mkdir -p: each prefix ending before a '/' */
    char path[OUTFILE_PATH_LEN];
    size_t len = strlen(dir);
    if (len >= sizeof path) {
        snprintf(err, errlen, "%.64s...: the folder's name is too long", dir);
        return -1;
    }
    memcpy(path, dir, len + 1);
    for (size_t i = 1; i < len; i++) {
        if (path[i] != '/' || path[i - 1] == '/') continue;
        path[i] = '\0';
        struct stat st;
        int file = stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
        int rc = file ? -1 : mkdir_one(path, err, errlen);
        if (file)
            snprintf(err, errlen, "%s: cannot create the folder: %s is not a folder", dir, path);
        path[i] = '/';
        if (rc != 0) return -1;
    }
    return mkdir_one(dir, err, errlen);
}

int outfile_open(struct outfile *f, const char *dir, const char *name, char *err,
                 size_t errlen)
{
    f->fp = NULL;
    f->tmp[0] = '\0';
    int n1 = snprintf(f->path, sizeof f->path, "%s/%s", dir, name);
    int n2 = snprintf(f->tmp, sizeof f->tmp, "%s/.%s.XXXXXX", dir, name);
    if (n1 < 0 || n2 < 0 || (size_t)n2 >= sizeof f->tmp) {
        snprintf(err, errlen, "%s/%s: path too long", dir, name);
        f->tmp[0] = '\0';
        return -1;
    }
    int fd = mkstemp(f->tmp);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot create: %s", f->path, strerror(errno));
        f->tmp[0] = '\0';
        return -1;
    }
    /* mkstemp makes the file 0600; an output file is an ordinary file: 0644 less
     * the umask */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    f->fp = fdopen(fd, "w");
    if (!f->fp) {
        snprintf(err, errlen, "%s: cannot open: %s", f->path, strerror(errno));
        close(fd);
        unlink(f->tmp);
        f->tmp[0] = '\0';
        return -1;
    }
    return 0;
}

int outfile_commit(struct outfile *f, char *err, size_t errlen)
{
    /* the reason is the errno of the call that failed, never an older one
     * (a stale ENOENT read "write failed: No such file or directory"); a
     * stream whose error came from an earlier write has none to give */
    int bad = ferror(f->fp) != 0, saved = 0;
    errno = 0;
    if (fflush(f->fp) != 0) {
        bad = 1;
        saved = errno;
    }
    errno = 0;
    if (fclose(f->fp) != 0) {
        bad = 1;
        if (!saved) saved = errno;
    }
    f->fp = NULL;
    if (bad) {
        if (saved)
            snprintf(err, errlen, "%s: write failed: %s", f->path, strerror(saved));
        else
            snprintf(err, errlen, "%s: write failed", f->path);
        unlink(f->tmp);
        f->tmp[0] = '\0';
        return -1;
    }
    if (rename(f->tmp, f->path) != 0) {
        snprintf(err, errlen, "%s: cannot rename into place: %s", f->path, strerror(errno));
        unlink(f->tmp);
        f->tmp[0] = '\0';
        return -1;
    }
    f->tmp[0] = '\0';
    return 0;
}

void outfile_abort(struct outfile *f)
{
    if (f->fp) fclose(f->fp);
    f->fp = NULL;
    if (f->tmp[0]) unlink(f->tmp);
    f->tmp[0] = '\0';
}

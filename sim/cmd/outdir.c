/* outdir — the --out folder: claimed (psusim's own, or empty of its file names),
 * locked for one run at a time, and cleared of an earlier run's outputs. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "outfile.h"

/* The file --out leaves in a folder it writes, so it knows the folder's files
 * are its own. */
static const char OUT_MARKER[] = ".psusim-out";
/* The lock a run holds on its --out folder (fcntl, released at exit). */
static const char OUT_LOCK[] = ".psusim-lock";

/* 1 if NAME is a file psusim may write into an --out folder: the fixed outputs,
 * a shard file, or a plot (its script's name, alone or with "-SECTION", in any
 * format --plots draws to a file). */
static int ours(const char *name)
{
    static const char *const fixed[] = { "summary.json", "timeseries.csv", "events.csv",
                                         "report.md", "sweep.csv", "sweep.json" };
    static const char *const plots[] = { "power", "circuit", "tripcurve", "efficiency",
                                         "excursion", "sweep", "upsload", "panel" };
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
int cli_claim_out_dir(const struct cli *c, char *err, size_t errlen)
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

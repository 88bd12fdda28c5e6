/* tests/fault/shim.c — an LD_PRELOAD shim that makes one I/O call fail
 * (issue 15, fault injection; driven by tests/fault.sh).
 *
 *   PSUSIM_FAULT_DIR  the --out folder, as given to psusim (required: without it
 *                     the shim does nothing)
 *   PSUSIM_FAULT_OP   the kind of call to fail (below); unset: count only
 *   PSUSIM_FAULT_AT   which call of that kind fails, 1 = the first
 *   PSUSIM_FAULT_LOG  a file: one line "KIND PATH" a call, "FAULT KIND N PATH"
 *                     for the failed one (dry runs count the lines)
 *
 * Only calls on files under PSUSIM_FAULT_DIR count: standard output, the
 * scenario, the plot scripts and gnuplot's pipes are never touched. The kinds,
 * each with the errno a full or failing disk gives:
 *
 *   mkdir   mkdir() of the folder itself                          EACCES
 *   create  mkstemp() or open(O_CREAT) of a file in it            ENOSPC
 *   write   a write() to such a file; stdio streams fdopen()ed on ENOSPC
 *           one go through write() as well (see fdopen below)
 *   close   close() of such a file, fclose() of its stream         EIO
 *   rename  rename() onto a name in it                            EIO
 *   unlink  unlink() of a file in it (an earlier run's outputs)   EACCES
 *
 * glibc's stdio calls its own internal write, which a shim cannot interpose, so
 * fdopen() of a tracked descriptor returns a fopencookie() stream whose buffer
 * flushes call write() below: each flush of the stream is one "write", failing
 * exactly as write(2) would on a full disk.
 *
 * gnuplot (a child of psusim) must not see the shim: the constructor removes
 * LD_PRELOAD from the environment, which psusim hands to posix_spawn. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

enum { MAX_FD = 1024 };

static const char *dir;          /* PSUSIM_FAULT_DIR, or NULL: inert */
static size_t dir_len;
static const char *fault_op;     /* kind to fail, or NULL */
static long fault_at;
static int log_fd = -1;
static long counts[8];
static unsigned char tracked[MAX_FD];   /* fds opened under DIR */

static const char *const kinds[] = { "mkdir", "create", "write", "close", "rename",
                                     "unlink" };
enum { K_MKDIR, K_CREATE, K_WRITE, K_CLOSE, K_RENAME, K_UNLINK };

static int (*real_open)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_mkstemp)(char *);
static int (*real_mkostemp)(char *, int);
static ssize_t (*real_write)(int, const void *, size_t);
static int (*real_close)(int);
static FILE *(*real_fdopen)(int, const char *);
static int (*real_rename)(const char *, const char *);
static int (*real_unlink)(const char *);
static int (*real_mkdir)(const char *, mode_t);

#define RESOLVE(name) \
    do { if (!real_##name) *(void **)&real_##name = dlsym(RTLD_NEXT, #name); } while (0)

static void resolve(void)
{
    RESOLVE(open);
    RESOLVE(openat);
    RESOLVE(mkstemp);
    RESOLVE(mkostemp);
    RESOLVE(write);
    RESOLVE(close);
    RESOLVE(fdopen);
    RESOLVE(rename);
    RESOLVE(unlink);
    RESOLVE(mkdir);
}

__attribute__((constructor)) static void shim_init(void)
{
    resolve();
    unsetenv("LD_PRELOAD");   /* gnuplot and any other child run without it */
    dir = getenv("PSUSIM_FAULT_DIR");
    if (dir && !*dir) dir = NULL;
    if (!dir) return;
    dir_len = strlen(dir);
    while (dir_len > 1 && dir[dir_len - 1] == '/') dir_len--;
    fault_op = getenv("PSUSIM_FAULT_OP");
    if (fault_op && !*fault_op) fault_op = NULL;
    const char *at = getenv("PSUSIM_FAULT_AT");
    fault_at = at ? strtol(at, NULL, 10) : 0;
    const char *log = getenv("PSUSIM_FAULT_LOG");
    if (log && *log)
        log_fd = real_open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

/* 1 if PATH names DIR itself (SELF) or a file under it. */
static int under(const char *path, int self)
{
    if (!dir || !path || strncmp(path, dir, dir_len) != 0) return 0;
    return self ? path[dir_len] == '\0' : path[dir_len] == '/';
}

static int is_tracked(int fd)
{
    return dir && fd >= 0 && fd < MAX_FD && __atomic_load_n(&tracked[fd], __ATOMIC_SEQ_CST);
}

static void track(int fd, int on)
{
    if (fd >= 0 && fd < MAX_FD) __atomic_store_n(&tracked[fd], (unsigned char)on,
                                                 __ATOMIC_SEQ_CST);
}

static void log_line(const char *a, const char *b, long n, const char *what)
{
    if (log_fd < 0) return;
    char line[4352];
    int len = n ? snprintf(line, sizeof line, "%s %s %ld %s\n", a, b, n, what)
                : snprintf(line, sizeof line, "%s %s\n", a, what);
    if (len > 0) real_write(log_fd, line, (size_t)len < sizeof line ? (size_t)len
                                                                     : sizeof line - 1);
}

/* Counts a call of KIND on WHAT; 1 if it is the one to fail. */
static int hit(int kind, const char *what)
{
    long n = __atomic_add_fetch(&counts[kind], 1, __ATOMIC_SEQ_CST);
    int fail = fault_op && strcmp(fault_op, kinds[kind]) == 0 && n == fault_at;
    if (fail) log_line("FAULT", kinds[kind], n, what);
    else log_line(kinds[kind], "", 0, what);
    return fail;
}

/* The path of a tracked descriptor, for the log. */
static const char *fd_path(int fd, char *buf, size_t n)
{
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t len = readlink(link, buf, n - 1);
    if (len < 0) len = 0;
    buf[len] = '\0';
    return buf;
}

/* ------------------------------------------------------------ creating -- */

int open(const char *path, int flags, ...)
{
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    resolve();
    int creating = (flags & O_CREAT) && under(path, 0);
    if (creating && hit(K_CREATE, path)) {
        errno = ENOSPC;
        return -1;
    }
    int fd = real_open(path, flags, mode);
    if (creating && fd >= 0) track(fd, 1);
    return fd;
}

int open64(const char *path, int flags, ...) __attribute__((alias("open")));

int openat(int dfd, const char *path, int flags, ...)
{
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    resolve();
    int creating = (flags & O_CREAT) && (dfd == AT_FDCWD || path[0] == '/')
                   && under(path, 0);
    if (creating && hit(K_CREATE, path)) {
        errno = ENOSPC;
        return -1;
    }
    int fd = real_openat(dfd, path, flags, mode);
    if (creating && fd >= 0) track(fd, 1);
    return fd;
}

int openat64(int dfd, const char *path, int flags, ...) __attribute__((alias("openat")));

int mkstemp(char *tmpl)
{
    resolve();
    int ours = under(tmpl, 0);
    if (ours && hit(K_CREATE, tmpl)) {
        errno = ENOSPC;
        return -1;
    }
    int fd = real_mkstemp(tmpl);
    if (ours && fd >= 0) track(fd, 1);
    return fd;
}

int mkstemp64(char *tmpl) __attribute__((alias("mkstemp")));

int mkostemp(char *tmpl, int flags)
{
    resolve();
    int ours = under(tmpl, 0);
    if (ours && hit(K_CREATE, tmpl)) {
        errno = ENOSPC;
        return -1;
    }
    int fd = real_mkostemp(tmpl, flags);
    if (ours && fd >= 0) track(fd, 1);
    return fd;
}

int mkostemp64(char *tmpl, int flags) __attribute__((alias("mkostemp")));

int mkdir(const char *path, mode_t mode)
{
    resolve();
    if (under(path, 1) && hit(K_MKDIR, path)) {
        errno = EACCES;
        return -1;
    }
    return real_mkdir(path, mode);
}

/* ------------------------------------------------------------- writing -- */

ssize_t write(int fd, const void *buf, size_t n)
{
    resolve();
    if (is_tracked(fd)) {
        char path[4096];
        if (hit(K_WRITE, fd_path(fd, path, sizeof path))) {
            errno = ENOSPC;
            return -1;
        }
    }
    return real_write(fd, buf, n);
}

int close(int fd)
{
    resolve();
    if (is_tracked(fd)) {
        char path[4096];
        int fail = hit(K_CLOSE, fd_path(fd, path, sizeof path));
        track(fd, 0);
        int rc = real_close(fd);
        if (fail) {
            errno = EIO;   /* closed all the same, as close(2) does on EIO */
            return -1;
        }
        return rc;
    }
    return real_close(fd);
}

/* The cookie stream's functions: the descriptor is in the cookie. */
static ssize_t ck_write(void *c, const char *buf, size_t n)
{
    int fd = (int)(intptr_t)c;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, buf + done, n - done);
        if (w < 0) {
            if (errno == EINTR) continue;
            return done ? (ssize_t)done : -1;
        }
        done += (size_t)w;
    }
    return (ssize_t)done;
}

static ssize_t ck_read(void *c, char *buf, size_t n)
{
    return read((int)(intptr_t)c, buf, n);
}

static int ck_seek(void *c, off64_t *off, int whence)
{
    off_t r = lseek((int)(intptr_t)c, (off_t)*off, whence);
    if (r < 0) return -1;
    *off = r;
    return 0;
}

static int ck_close(void *c)
{
    return close((int)(intptr_t)c);
}

FILE *fdopen(int fd, const char *mode)
{
    resolve();
    if (!is_tracked(fd)) return real_fdopen(fd, mode);
    cookie_io_functions_t io = { ck_read, ck_write, ck_seek, ck_close };
    return fopencookie((void *)(intptr_t)fd, mode, io);
}

/* ------------------------------------------------------------- renaming -- */

int rename(const char *from, const char *to)
{
    resolve();
    if (under(to, 0) && hit(K_RENAME, to)) {
        errno = EIO;
        return -1;
    }
    return real_rename(from, to);
}

int unlink(const char *path)
{
    resolve();
    if (under(path, 0)) {
        /* removing a temporary file is the clean-up after a failure: counted,
         * never failed (a failure there would leave it, by design of the test) */
        const char *base = strrchr(path, '/') + 1;
        if (base[0] == '.' && strrchr(base, '.') != base && strlen(strrchr(base, '.')) == 7) {
            log_line("cleanup", "", 0, path);
        } else if (hit(K_UNLINK, path)) {
            errno = EACCES;
            return -1;
        }
    }
    return real_unlink(path);
}

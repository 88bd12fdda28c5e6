/* plot.c — gnuplot through a pipe (include/plot.h).
 *
 * A plot collects, in memory, everything gnuplot will read: the script text
 * (plots/NAME.gp, at most PLOT_SCRIPT_MAX bytes), the variables and the
 * datablocks. plot_finish() starts the fixed command `gnuplot` (found on PATH,
 * no arguments) with posix_spawn and three descriptors of its own:
 *
 *   stdin   a socket pair: the commands, sent with MSG_NOSIGNAL so that a
 *           gnuplot that dies early gives EPIPE instead of killing us (SIGPIPE)
 *   stdout  a pipe: the dumb terminal's picture, copied to OUT on success
 *   stderr  a pipe: gnuplot's messages, kept for the error report
 *
 * and one poll() loop moves the three at once, so neither side can block on a
 * full pipe. What gnuplot reads, in order:
 *
 *   set encoding utf8
 *   set terminal ... noenhanced          (png: pngcairo, or png without cairo)
 *   set termoption noenhanced
 *   set output '.NAME.XXXXXX'            (not for dumb: gnuplot's stdout)
 *   name = 'string' | name = 1.5         (plot_set_str / plot_set_num)
 *   $NAME << EOD ... EOD                 (plot_block)
 *   the script
 *   unset output
 *   exit
 *
 * Text from a scenario reaches gnuplot only inside single-quoted strings
 * (plot_quote: the quote doubled, control characters replaced), where gnuplot
 * expands neither backslashes nor @macros; datablock rows are checked so that
 * no row can end the block early and be read as a command.
 *
 * The picture is written to a temporary sibling of OUT_PATH (".NAME.XXXXXX",
 * mkstemp) and renamed into place only when gnuplot exits with status 0 and
 * wrote something, so a failed plot never leaves a half file (DESIGN.md 5).
 */
#include "plot.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* ------------------------------------------------------------------------- */
/* Limits                                                                    */
/* ------------------------------------------------------------------------- */

enum {
    PLOT_SCRIPT_MAX = 1 << 20,   /* largest script read, bytes */
    PLOT_NAME_MAX = 64,          /* longest script, variable or block name */
    PLOT_PATH_MAX = 4096,        /* longest path handled */
    PLOT_MSG_MAX = 256,          /* a recorded misuse message */
    PLOT_STDERR_MAX = 64 << 10,  /* gnuplot's messages kept, bytes */
    PLOT_STDOUT_MAX = 4 << 20,   /* dumb picture kept, bytes */
    PLOT_TIMEOUT_S = 120,        /* gnuplot is killed after this long */
    PLOT_PX_MAX = 20000,         /* largest picture side, pixels */
    PLOT_DUMB_W = 100,           /* dumb size when the caller's is not characters */
    PLOT_DUMB_H = 30,
    PLOT_DEFAULT_W = 1200,       /* size for width or height <= 0, pixels */
    PLOT_DEFAULT_H = 800
};

static const char EOD[] = "EOD";   /* datablock terminator */

/* ------------------------------------------------------------------------- */
/* Growing buffers                                                           */
/* ------------------------------------------------------------------------- */

struct buf {
    char *d;        /* bytes (owned), NUL-terminated when len > 0 */
    size_t len;     /* bytes used */
    size_t cap;     /* bytes allocated */
    int oom;        /* 1 once an append failed: the content is incomplete */
};

/* Appends N bytes of S. Returns 0, or -1 (and sets b->oom) out of memory. */
static int buf_add(struct buf *b, const char *s, size_t n)
{
    if (b->oom)
        return -1;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        char *d;

        while (cap < b->len + n + 1)
            cap *= 2;
        d = realloc(b->d, cap);
        if (d == NULL) {
            b->oom = 1;
            return -1;
        }
        b->d = d;
        b->cap = cap;
    }
    memcpy(b->d + b->len, s, n);
    b->len += n;
    b->d[b->len] = '\0';
    return 0;
}

static int buf_str(struct buf *b, const char *s)
{
    return buf_add(b, s, strlen(s));
}

static void buf_release(struct buf *b)
{
    free(b->d);
    b->d = NULL;
    b->len = b->cap = 0;
    b->oom = 0;
}

/* ------------------------------------------------------------------------- */
/* Quoting                                                                   */
/* ------------------------------------------------------------------------- */

/* Bytes in the UTF-8 sequence that lead byte C starts (1 for ASCII, for a
 * continuation byte and for bytes UTF-8 never uses). */
static size_t utf8_len(unsigned char c)
{
    if (c >= 0xF0 && c <= 0xF7)
        return 4;
    if (c >= 0xE0)
        return c <= 0xEF ? 3 : 1;
    if (c >= 0xC0)
        return 2;
    return 1;
}

/* gnuplot's single-quoted strings know one escape, '' for ', and take
 * backslashes literally, so doubling the quote is all the escaping there is.
 * Control characters (a newline would end the command) become spaces. The text
 * is cut at a character boundary: never inside a doubled quote or a UTF-8
 * sequence, and the closing quote always fits. */
char *plot_quote(const char *text, char *buf, size_t n)
{
    const unsigned char *s = (const unsigned char *)(text != NULL ? text : "");
    size_t o = 0;

    if (buf == NULL || n == 0)
        return buf;
    if (n < 3) {                         /* no room for '' and the NUL */
        buf[0] = '\0';
        return buf;
    }
    buf[o++] = '\'';
    while (*s != '\0') {
        size_t k = utf8_len(*s), i;

        if (*s == '\'') {
            if (o + 2 > n - 2)
                break;
            buf[o++] = '\'';
            buf[o++] = '\'';
            s++;
            continue;
        }
        if (*s < 32 || *s == 127) {
            if (o + 1 > n - 2)
                break;
            buf[o++] = ' ';
            s++;
            continue;
        }
        /* a whole character: its lead byte and the continuation bytes present */
        for (i = 1; i < k && (s[i] & 0xC0) == 0x80; i++)
            ;
        k = i;
        if (o + k > n - 2)
            break;
        memcpy(buf + o, s, k);
        o += k;
        s += k;
    }
    buf[o++] = '\'';
    buf[o] = '\0';
    return buf;
}

/* Appends TEXT to B as a whole quoted literal (never cut). */
static int buf_quoted(struct buf *b, const char *text)
{
    size_t n = 2 * strlen(text) + 3;
    char *q = malloc(n);
    int rc;

    if (q == NULL) {
        b->oom = 1;
        return -1;
    }
    rc = buf_str(b, plot_quote(text, q, n));
    free(q);
    return rc;
}

/* ------------------------------------------------------------------------- */
/* Finding gnuplot                                                           */
/* ------------------------------------------------------------------------- */

/* Writes the path of the first executable regular file "gnuplot" on PATH into
 * BUF (size N). An empty PATH entry is the current folder (POSIX); an unset PATH
 * searches /usr/bin and /bin. Returns 1 if found, 0 if not. */
static int find_gnuplot(char *buf, size_t n)
{
    const char *path = getenv("PATH");
    const char *p;

    if (path == NULL)
        path = "/usr/bin:/bin";
    p = path;
    for (;;) {
        const char *end = strchr(p, ':');
        size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        struct stat st;
        int w;

        if (len == 0)
            w = snprintf(buf, n, "./gnuplot");
        else
            w = snprintf(buf, n, "%.*s/gnuplot", (int)len, p);
        if (w > 0 && (size_t)w < n && stat(buf, &st) == 0 && S_ISREG(st.st_mode)
            && access(buf, X_OK) == 0)
            return 1;
        if (end == NULL)
            break;
        p = end + 1;
    }
    if (n > 0)
        buf[0] = '\0';
    return 0;
}

int plot_have_gnuplot(void)
{
    char path[PLOT_PATH_MAX];

    return find_gnuplot(path, sizeof path);
}

/* ------------------------------------------------------------------------- */
/* The plot                                                                  */
/* ------------------------------------------------------------------------- */

struct block {
    char name[PLOT_NAME_MAX + 1];   /* datablock name, without the $ */
    FILE *fp;                       /* open_memstream on text, NULL once closed */
    char *text;                     /* the rows (owned by the memstream, then us) */
    size_t len;                     /* bytes in text */
};

struct plot {
    char name[PLOT_NAME_MAX + 1];   /* script name, "power" */
    char *script;                   /* the script's text (owned), NUL-terminated */
    size_t script_len;              /* bytes in script */
    struct buf vars;                /* "name = value" lines */
    struct block *blocks;           /* datablocks in order (owned) */
    size_t n_blocks;                /* blocks used */
    size_t cap_blocks;              /* blocks allocated */
    char misuse[PLOT_MSG_MAX];      /* first bad call, reported by plot_finish */
    const volatile sig_atomic_t *stop; /* nonzero: stop gnuplot (NULL: never) */
};

/* Records the first misuse of P (a bad name, out of memory). */
static void set_misuse(plot *p, const char *what, const char *name)
{
    if (p->misuse[0] == '\0')
        snprintf(p->misuse, sizeof p->misuse, "%s \"%.64s\"", what,
                 name != NULL ? name : "(null)");
}

/* 1 if S is a script name: 1 to PLOT_NAME_MAX of [a-z0-9_-]. */
static int script_name_ok(const char *s)
{
    size_t i;

    if (s == NULL || s[0] == '\0')
        return 0;
    for (i = 0; s[i] != '\0'; i++)
        if (i >= PLOT_NAME_MAX
            || !((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')
                 || s[i] == '_' || s[i] == '-'))
            return 0;
    return 1;
}

/* 1 if S is a gnuplot identifier: [A-Za-z_][A-Za-z0-9_]*, at most
 * PLOT_NAME_MAX characters. */
static int ident_ok(const char *s)
{
    size_t i;

    if (s == NULL || s[0] == '\0' || (s[0] >= '0' && s[0] <= '9'))
        return 0;
    for (i = 0; s[i] != '\0'; i++)
        if (i >= PLOT_NAME_MAX
            || !((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')
                 || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return 0;
    return 1;
}

/* Reads DIR/NAME.gp into P->script. Returns 0, or -1 with a message. */
static int read_script(plot *p, const char *dir, char *err, size_t errlen)
{
    char path[PLOT_PATH_MAX];
    struct stat st;
    size_t got = 0;
    FILE *fp;
    int w;

    w = snprintf(path, sizeof path, "%s/%s.gp", dir, p->name);
    if (w < 0 || (size_t)w >= sizeof path) {
        snprintf(err, errlen, "plot: %s/%s.gp: path too long", dir, p->name);
        return -1;
    }
    fp = fopen(path, "rb");
    if (fp == NULL) {
        snprintf(err, errlen, "plot: %s: cannot open the script: %s", path,
                 strerror(errno));
        return -1;
    }
    if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "plot: %s: not a regular file", path);
        fclose(fp);
        return -1;
    }
    if (st.st_size > PLOT_SCRIPT_MAX) {
        snprintf(err, errlen, "plot: %s: script larger than %d bytes", path,
                 PLOT_SCRIPT_MAX);
        fclose(fp);
        return -1;
    }
    /* one byte more than the limit, in case the file grew since fstat */
    p->script = malloc((size_t)PLOT_SCRIPT_MAX + 2);
    if (p->script == NULL) {
        snprintf(err, errlen, "plot: out of memory");
        fclose(fp);
        return -1;
    }
    got = fread(p->script, 1, (size_t)PLOT_SCRIPT_MAX + 1, fp);
    if (ferror(fp)) {
        snprintf(err, errlen, "plot: %s: read failed", path);
        fclose(fp);
        return -1;
    }
    fclose(fp);
    if (got > PLOT_SCRIPT_MAX) {
        snprintf(err, errlen, "plot: %s: script larger than %d bytes", path,
                 PLOT_SCRIPT_MAX);
        return -1;
    }
    if (memchr(p->script, '\0', got) != NULL) {
        snprintf(err, errlen, "plot: %s: not a text file (NUL byte)", path);
        return -1;
    }
    p->script[got] = '\0';
    p->script_len = got;
    return 0;
}

plot *plot_begin(const char *scripts_dir, const char *name, char *err, size_t errlen)
{
    plot *p;

    if (!script_name_ok(name)) {
        snprintf(err, errlen, "plot: script name \"%.64s\" must be 1 to %d of a-z, "
                 "0-9, _ and -", name != NULL ? name : "(null)", PLOT_NAME_MAX);
        return NULL;
    }
    if (scripts_dir == NULL || scripts_dir[0] == '\0') {
        snprintf(err, errlen, "plot: no folder of plot scripts");
        return NULL;
    }
    p = calloc(1, sizeof *p);
    if (p == NULL) {
        snprintf(err, errlen, "plot: out of memory");
        return NULL;
    }
    snprintf(p->name, sizeof p->name, "%s", name);
    if (read_script(p, scripts_dir, err, errlen) != 0) {
        plot_free(p);
        return NULL;
    }
    return p;
}

/* Closes the open datablock stream, if any; its text stays with the block. */
static void close_block(plot *p)
{
    struct block *b;

    if (p->n_blocks == 0)
        return;
    b = &p->blocks[p->n_blocks - 1];
    if (b->fp != NULL) {
        if (fclose(b->fp) != 0)
            set_misuse(p, "cannot write datablock", b->name);
        b->fp = NULL;
    }
}

void plot_set_stop_flag(plot *p, const volatile sig_atomic_t *stop)
{
    if (p != NULL)
        p->stop = stop;
}

void plot_free(plot *p)
{
    size_t i;

    if (p == NULL)
        return;
    close_block(p);
    for (i = 0; i < p->n_blocks; i++)
        free(p->blocks[i].text);
    free(p->blocks);
    buf_release(&p->vars);
    free(p->script);
    free(p);
}

/* ------------------------------------------------------------------------- */
/* Variables and datablocks                                                  */
/* ------------------------------------------------------------------------- */

void plot_set_str(plot *p, const char *name, const char *value)
{
    if (p == NULL)
        return;
    if (!ident_ok(name)) {
        set_misuse(p, "bad variable name", name);
        return;
    }
    buf_str(&p->vars, name);
    buf_str(&p->vars, " = ");
    buf_quoted(&p->vars, value != NULL ? value : "");
    buf_str(&p->vars, "\n");
}

void plot_set_num(plot *p, const char *name, double value)
{
    char line[PLOT_NAME_MAX + 40];

    if (p == NULL)
        return;
    if (!ident_ok(name)) {
        set_misuse(p, "bad variable name", name);
        return;
    }
    /* NaN is a gnuplot built-in variable; %.10g gives "inf" otherwise */
    if (isfinite(value))
        snprintf(line, sizeof line, "%s = %.10g\n", name, value);
    else
        snprintf(line, sizeof line, "%s = NaN\n", name);
    buf_str(&p->vars, line);
}

FILE *plot_block(plot *p, const char *name)
{
    struct block *b;

    if (p == NULL)
        return NULL;
    close_block(p);
    if (!ident_ok(name)) {
        set_misuse(p, "bad datablock name", name);
        return NULL;
    }
    if (p->n_blocks == p->cap_blocks) {
        size_t cap = p->cap_blocks ? 2 * p->cap_blocks : 4;
        struct block *nb = realloc(p->blocks, cap * sizeof *nb);

        if (nb == NULL) {
            set_misuse(p, "out of memory for datablock", name);
            return NULL;
        }
        p->blocks = nb;
        p->cap_blocks = cap;
    }
    b = &p->blocks[p->n_blocks];
    snprintf(b->name, sizeof b->name, "%s", name);
    b->text = NULL;
    b->len = 0;
    b->fp = open_memstream(&b->text, &b->len);
    if (b->fp == NULL) {
        set_misuse(p, "out of memory for datablock", name);
        return NULL;
    }
    p->n_blocks++;
    return b->fp;
}

/* Appends datablock B as "$NAME << EOD", its rows, "EOD". A row that starts
 * with the terminator would end the block early and turn the rest into
 * commands: refused, as is a NUL byte. Returns 0, or -1 with a message. */
static int add_block(struct buf *in, const struct block *b, char *err, size_t errlen)
{
    const char *s = b->text != NULL ? b->text : "";
    size_t n = b->text != NULL ? b->len : 0, i;

    if (memchr(s, '\0', n) != NULL) {
        snprintf(err, errlen, "plot: datablock $%s contains a NUL byte", b->name);
        return -1;
    }
    for (i = 0; i < n; i++)
        if ((i == 0 || s[i - 1] == '\n') && strncmp(s + i, EOD, sizeof EOD - 1) == 0) {
            snprintf(err, errlen, "plot: datablock $%s: a row starts with \"%s\"",
                     b->name, EOD);
            return -1;
        }
    buf_str(in, "$");
    buf_str(in, b->name);
    buf_str(in, " << ");
    buf_str(in, EOD);
    buf_str(in, "\n");
    buf_add(in, s, n);
    if (n > 0 && s[n - 1] != '\n')
        buf_str(in, "\n");
    buf_str(in, EOD);
    buf_str(in, "\n");
    return 0;
}

/* ------------------------------------------------------------------------- */
/* Running gnuplot                                                           */
/* ------------------------------------------------------------------------- */

/* Moves FD to a number >= 3 (so that it never collides with the child's 0-2)
 * with close-on-exec set. Returns the new descriptor, or -1 (FD closed). */
static int fd_high(int fd)
{
    int nfd;

    if (fd < 0)
        return -1;
    nfd = fcntl(fd, F_DUPFD, 3);
    close(fd);
    if (nfd < 0)
        return -1;
    if (fcntl(nfd, F_SETFD, FD_CLOEXEC) != 0) {
        close(nfd);
        return -1;
    }
    return nfd;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* Milliseconds on the monotonic clock. */
static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads what is ready on *FD into B (at most LIMIT bytes kept; the rest is
 * read and dropped). Closes *FD at end of file or on error. */
static void drain(int *fd, struct buf *b, size_t limit)
{
    char chunk[8192];
    ssize_t r;

    for (;;) {
        r = read(*fd, chunk, sizeof chunk);
        if (r > 0) {
            size_t keep = b->len < limit ? limit - b->len : 0;

            buf_add(b, chunk, (size_t)r < keep ? (size_t)r : keep);
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        close_fd(fd);            /* end of file, or an error: nothing more */
        return;
    }
}

/* Runs gnuplot (EXE) with IN on its stdin; its stdout goes to OUT, its stderr
 * to ERRB. Returns 0 with the wait status in *STATUS, or -1 with a message
 * (gnuplot not started, or killed after PLOT_TIMEOUT_S). */
static int run_gnuplot(const char *exe, const struct buf *in, struct buf *out,
                       struct buf *errb, int *status, const volatile sig_atomic_t *stop,
                       char *err, size_t errlen)
{
    int sv[2] = { -1, -1 }, po[2] = { -1, -1 }, pe[2] = { -1, -1 };
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    /* -d: ignore the user's ~/.gnuplot, so a plot looks the same everywhere */
    char *argv[] = { (char *)"gnuplot", (char *)"-d", NULL };
    size_t sent = 0;
    long long deadline;
    pid_t pid;
    int rc, i;

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0 || pipe(po) != 0 || pipe(pe) != 0) {
        snprintf(err, errlen, "plot: cannot make pipes for gnuplot: %s", strerror(errno));
        goto fail_fds;
    }
    for (i = 0; i < 2; i++) {
        sv[i] = fd_high(sv[i]);
        po[i] = fd_high(po[i]);
        pe[i] = fd_high(pe[i]);
    }
    if (sv[0] < 0 || sv[1] < 0 || po[0] < 0 || po[1] < 0 || pe[0] < 0 || pe[1] < 0) {
        snprintf(err, errlen, "plot: cannot make pipes for gnuplot: %s", strerror(errno));
        goto fail_fds;
    }
    if (posix_spawn_file_actions_init(&fa) != 0) {
        snprintf(err, errlen, "plot: out of memory");
        goto fail_fds;
    }
    /* the dup2 copies lose close-on-exec; every original is closed by exec */
    rc = posix_spawn_file_actions_adddup2(&fa, sv[1], 0);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&fa, po[1], 1);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
    /* a process group of its own: the terminal's SIGINT (Ctrl-C) goes to the
     * foreground group, psusim's, and must not kill gnuplot behind its back;
     * psusim stops it itself when it wants to (issue 15, 2) */
    if (rc == 0 && (rc = posix_spawnattr_init(&attr)) == 0) {
        rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
        if (rc == 0)
            rc = posix_spawnattr_setpgroup(&attr, 0);
        if (rc == 0)
            rc = posix_spawn(&pid, exe, &fa, &attr, argv, environ);
        posix_spawnattr_destroy(&attr);
    }
    posix_spawn_file_actions_destroy(&fa);
    close_fd(&sv[1]);
    close_fd(&po[1]);
    close_fd(&pe[1]);
    if (rc != 0) {
        snprintf(err, errlen, "plot: cannot run %s: %s", exe, strerror(rc));
        goto fail_fds;
    }
    for (i = 0; i < 3; i++) {
        int fd = i == 0 ? sv[0] : i == 1 ? po[0] : pe[0];
        int fl = fcntl(fd, F_GETFL);

        if (fl != -1)
            fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    }

    deadline = now_ms() + (long long)PLOT_TIMEOUT_S * 1000;
    while (sv[0] >= 0 || po[0] >= 0 || pe[0] >= 0) {
        struct pollfd pfd[3];
        nfds_t np = 0;
        long long left = deadline - now_ms();
        int r, k;

        if (sent == in->len)
            close_fd(&sv[0]);            /* end of input: gnuplot sees EOF */
        if (stop != NULL && *stop) {
            kill(pid, SIGKILL);
            while (waitpid(pid, status, 0) < 0 && errno == EINTR)
                ;
            snprintf(err, errlen, "plot: interrupted; gnuplot stopped");
            goto fail_fds;
        }
        if (left <= 0) {
            kill(pid, SIGKILL);
            while (waitpid(pid, status, 0) < 0 && errno == EINTR)
                ;
            snprintf(err, errlen, "plot: gnuplot did not finish within %d s; stopped",
                     PLOT_TIMEOUT_S);
            goto fail_fds;
        }
        if (sv[0] >= 0)
            pfd[np++] = (struct pollfd){ sv[0], POLLOUT, 0 };
        if (po[0] >= 0)
            pfd[np++] = (struct pollfd){ po[0], POLLIN, 0 };
        if (pe[0] >= 0)
            pfd[np++] = (struct pollfd){ pe[0], POLLIN, 0 };
        if (np == 0)
            break;
        /* a tenth of a second between looks at the stop flag */
        r = poll(pfd, np, left > 100 ? 100 : (int)left);
        if (r < 0 && errno != EINTR) {
            snprintf(err, errlen, "plot: poll: %s", strerror(errno));
            kill(pid, SIGKILL);
            while (waitpid(pid, status, 0) < 0 && errno == EINTR)
                ;
            goto fail_fds;
        }
        if (r <= 0)
            continue;
        for (k = 0; k < (int)np; k++) {
            if (pfd[k].revents == 0)
                continue;
            if (pfd[k].fd == sv[0]) {
                ssize_t w = send(sv[0], in->d + sent, in->len - sent, MSG_NOSIGNAL);

                if (w > 0)
                    sent += (size_t)w;
                else if (w < 0 && errno != EINTR && errno != EAGAIN
                         && errno != EWOULDBLOCK)
                    close_fd(&sv[0]);    /* gnuplot has gone: keep reading */
                if (sv[0] >= 0 && (pfd[k].revents & (POLLERR | POLLHUP)) != 0)
                    close_fd(&sv[0]);
            } else if (pfd[k].fd == po[0]) {
                drain(&po[0], out, PLOT_STDOUT_MAX);
            } else {
                drain(&pe[0], errb, PLOT_STDERR_MAX);
            }
        }
        if (sv[0] < 0)
            sent = in->len;
    }
    while (waitpid(pid, status, 0) < 0) {
        if (errno != EINTR) {
            snprintf(err, errlen, "plot: waiting for gnuplot: %s", strerror(errno));
            return -1;
        }
    }
    return 0;

fail_fds:
    for (i = 0; i < 2; i++) {
        close_fd(&sv[i]);
        close_fd(&po[i]);
        close_fd(&pe[i]);
    }
    return -1;
}

/* Copies gnuplot's most telling message line from TEXT into MSG (size N):
 * the first line with gnuplot's error mark "line N:" (a leading "line N: " is
 * dropped: for commands read from a pipe N is not a line of the script), else
 * the first line that is not blank, a caret or a warning, else the first
 * non-blank line. */
static void first_error(const char *text, char *msg, size_t n)
{
    const char *pick = NULL, *other = NULL, *any = NULL, *s = text;
    size_t pick_len = 0, other_len = 0, any_len = 0;

    while (s != NULL && *s != '\0') {
        const char *e = strchr(s, '\n');
        size_t len = e != NULL ? (size_t)(e - s) : strlen(s);
        const char *t = s, *mark;

        while (t < s + len && (*t == ' ' || *t == '\t'))
            t++;
        len -= (size_t)(t - s);
        while (len > 0 && (t[len - 1] == ' ' || t[len - 1] == '\r'))
            len--;
        mark = len > 0 ? strstr(t, "line ") : NULL;
        if (mark != NULL && mark < t + len && pick == NULL) {
            const char *d = mark + 5;

            while (d < t + len && *d >= '0' && *d <= '9')
                d++;
            if (d > mark + 5 && d < t + len && *d == ':') {
                pick = t;
                pick_len = len;
                if (mark == t) {                 /* drop "line N: " */
                    d++;
                    while (d < t + len && *d == ' ')
                        d++;
                    pick = d;
                    pick_len = len - (size_t)(d - t);
                }
            }
        }
        if (len > 0 && any == NULL) {
            any = t;
            any_len = len;
        }
        if (len > 0 && other == NULL && t[0] != '^' && strncmp(t, "warning", 7) != 0) {
            other = t;
            other_len = len;
        }
        s = e != NULL ? e + 1 : NULL;
    }
    if (pick == NULL) {
        pick = other != NULL ? other : any;
        pick_len = other != NULL ? other_len : any_len;
    }
    if (pick == NULL)
        snprintf(msg, n, "no message");
    else
        snprintf(msg, n, "%.*s", (int)(pick_len > 300 ? 300 : pick_len), pick);
}

/* ------------------------------------------------------------------------- */
/* Finishing                                                                 */
/* ------------------------------------------------------------------------- */

/* Appends the terminal settings for FORMAT at W x H to IN. Returns 0, or -1
 * with a message for an unknown format or a bad size. */
static int add_terminal(struct buf *in, const char *format, int w, int h, char *err,
                        size_t errlen)
{
    char line[512];

    if (strcmp(format, "dumb") == 0) {
        /* sizes in characters when they look like characters (the CLI passes
         * its pixel size to every format) */
        if (!(w >= 20 && w <= 400 && h >= 10 && h <= 200)) {
            w = PLOT_DUMB_W;
            h = PLOT_DUMB_H;
        }
        snprintf(line, sizeof line, "set terminal dumb size %d,%d noenhanced\n", w, h);
        return buf_str(in, line);
    }
    if (w <= 0 || h <= 0) {
        w = PLOT_DEFAULT_W;
        h = PLOT_DEFAULT_H;
    }
    if (w < 16 || h < 16 || w > PLOT_PX_MAX || h > PLOT_PX_MAX) {
        snprintf(err, errlen, "plot: size %d x %d pixels out of range (16 to %d)", w, h,
                 PLOT_PX_MAX);
        return -1;
    }
    if (strcmp(format, "png") == 0) {
        /* pngcairo (Debian's gnuplot-nox has it); libgd's png without cairo */
        snprintf(line, sizeof line,
                 "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
                 "    set terminal pngcairo size %d,%d noenhanced font ',11'\n"
                 "} else {\n"
                 "    set terminal png size %d,%d noenhanced\n"
                 "}\n", w, h, w, h);
    } else if (strcmp(format, "svg") == 0) {
        snprintf(line, sizeof line,
                 "set terminal svg size %d,%d noenhanced dynamic background '#ffffff'\n",
                 w, h);
    } else if (strcmp(format, "pdf") == 0) {
        /* pdfcairo sizes are inches: 100 pixels an inch */
        snprintf(line, sizeof line, "set terminal pdfcairo size %.2fin,%.2fin noenhanced\n",
                 w / 100.0, h / 100.0);
    } else {
        snprintf(err, errlen, "plot: unknown format \"%.16s\" (png, svg, pdf or dumb)",
                 format);
        return -1;
    }
    return buf_str(in, line);
}

/* Makes the temporary sibling of OUT_PATH (".NAME.XXXXXX", created empty and
 * closed) in TMP (size N). Returns 0, or -1 with a message. */
static int make_temp(const char *out_path, char *tmp, size_t n, char *err, size_t errlen)
{
    const char *slash = strrchr(out_path, '/');
    const char *base = slash != NULL ? slash + 1 : out_path;
    int dir_len = slash != NULL ? (int)(slash - out_path) : 0;
    mode_t mask;
    int w, fd;

    if (base[0] == '\0') {
        snprintf(err, errlen, "plot: %s: not a file name", out_path);
        return -1;
    }
    if (slash == NULL)
        w = snprintf(tmp, n, ".%s.XXXXXX", base);
    else
        w = snprintf(tmp, n, "%.*s/.%s.XXXXXX", dir_len, out_path, base);
    if (w < 0 || (size_t)w >= n) {
        snprintf(err, errlen, "plot: %s: path too long", out_path);
        return -1;
    }
    fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errlen, "plot: %s: cannot create: %s", out_path, strerror(errno));
        return -1;
    }
    /* mkstemp makes the file 0600; a picture is an ordinary file: 0666 less the
     * umask (as outfile.c does) */
    mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    if (close(fd) != 0) {
        snprintf(err, errlen, "plot: %s: cannot create: %s", out_path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* 1 if S holds a control character (it could not be quoted exactly). */
static int has_control(const char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s < 32 || *s == 127)
            return 1;
    return 0;
}

/* Runs gnuplot EXE on IN; its output into GOUT. Returns 0 when it exited with
 * status 0, else -1 with "WHO: gnuplot exited with status N: first error" in
 * ERR. */
static int run_checked(const char *exe, const struct buf *in, struct buf *gout,
                       const char *who, const volatile sig_atomic_t *stop, char *err,
                       size_t errlen)
{
    struct buf gerr = { 0 };
    char line[400];
    int status = 0, rc = 0;

    if (run_gnuplot(exe, in, gout, &gerr, &status, stop, err, errlen) != 0) {
        rc = -1;
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        first_error(gerr.d != NULL ? gerr.d : "", line, sizeof line);
        if (WIFEXITED(status))
            snprintf(err, errlen, "%s: gnuplot exited with status %d: %s", who,
                     WEXITSTATUS(status), line);
        else
            snprintf(err, errlen, "%s: gnuplot stopped by signal %d: %s", who,
                     WIFSIGNALED(status) ? WTERMSIG(status) : 0, line);
        rc = -1;
    }
    buf_release(&gerr);
    return rc;
}

/* P's variables, datablocks and script into IN, then "unset output". Returns 0,
 * or -1 with ERR. */
static int add_plot(struct buf *in, const plot *p, char *err, size_t errlen)
{
    buf_add(in, p->vars.d != NULL ? p->vars.d : "", p->vars.len);
    for (size_t i = 0; i < p->n_blocks; i++)
        if (add_block(in, &p->blocks[i], err, errlen) != 0)
            return -1;
    buf_add(in, p->script, p->script_len);
    if (p->script_len > 0 && p->script[p->script_len - 1] != '\n')
        buf_str(in, "\n");
    buf_str(in, "unset output\n");
    return 0;
}

int plot_finish(plot *p, const char *format, int width, int height, const char *out_path,
                FILE *out, char *err, size_t errlen)
{
    char exe[PLOT_PATH_MAX], tmp[PLOT_PATH_MAX] = "", line[400];
    struct buf in = { 0 }, gout = { 0 };
    int dumb, rc = -1;
    struct stat st;

    if (p == NULL || format == NULL) {
        snprintf(err, errlen, "plot: no plot or no format");
        return -1;
    }
    close_block(p);
    if (!find_gnuplot(exe, sizeof exe))
        return 1;
    if (p->misuse[0] != '\0') {
        snprintf(err, errlen, "plot %s: %s", p->name, p->misuse);
        return -1;
    }
    if (p->vars.oom) {
        snprintf(err, errlen, "plot %s: out of memory", p->name);
        return -1;
    }
    dumb = strcmp(format, "dumb") == 0;
    if (dumb && out == NULL) {
        snprintf(err, errlen, "plot %s: no stream for the dumb terminal", p->name);
        return -1;
    }
    if (!dumb && (out_path == NULL || out_path[0] == '\0' || has_control(out_path))) {
        snprintf(err, errlen, "plot %s: no usable output path", p->name);
        return -1;
    }

    buf_str(&in, "set encoding utf8\n");
    if (add_terminal(&in, format, width, height, err, errlen) != 0)
        goto done;
    buf_str(&in, "set termoption noenhanced\n");
    if (!dumb) {
        if (make_temp(out_path, tmp, sizeof tmp, err, errlen) != 0) {
            tmp[0] = '\0';
            goto done;
        }
        buf_str(&in, "set output ");
        buf_quoted(&in, tmp);
        buf_str(&in, "\n");
    }
    if (add_plot(&in, p, err, errlen) != 0)
        goto done;
    buf_str(&in, "exit\n");
    if (in.oom) {
        snprintf(err, errlen, "plot %s: out of memory", p->name);
        goto done;
    }
    snprintf(line, sizeof line, "plot %s", p->name);
    if (run_checked(exe, &in, &gout, line, p->stop, err, errlen) != 0)
        goto done;
    if (dumb) {
        if (gout.len == 0) {
            snprintf(err, errlen, "plot %s: gnuplot drew nothing", p->name);
            goto done;
        }
        if (fwrite(gout.d, 1, gout.len, out) != gout.len || fflush(out) != 0) {
            snprintf(err, errlen, "plot %s: cannot write the picture: %s", p->name,
                     strerror(errno));
            goto done;
        }
        rc = 0;
        goto done;
    }
    if (stat(tmp, &st) != 0 || st.st_size == 0) {
        snprintf(err, errlen, "plot %s: gnuplot wrote nothing to %s", p->name, out_path);
        goto done;
    }
    if (rename(tmp, out_path) != 0) {
        snprintf(err, errlen, "plot %s: %s: cannot rename into place: %s", p->name,
                 out_path, strerror(errno));
        goto done;
    }
    tmp[0] = '\0';
    rc = 0;

done:
    if (tmp[0] != '\0')
        unlink(tmp);
    buf_release(&in);
    buf_release(&gout);
    return rc;
}

int plot_finish_all(plot *const *ps, size_t n, const char *format, int width, int height,
                    const char *const *out_paths, char *err, size_t errlen)
{
    char exe[PLOT_PATH_MAX];
    struct buf in = { 0 }, gout = { 0 };
    int rc = -1;
    size_t i, made = 0;
    char (*tmp)[PLOT_PATH_MAX] = NULL;

    if (format == NULL || strcmp(format, "dumb") == 0 || (n > 0 && (!ps || !out_paths))) {
        snprintf(err, errlen, "plot: plot_finish_all takes png, svg or pdf and its plots");
        return -1;
    }
    if (n == 0)
        return 0;
    if (!find_gnuplot(exe, sizeof exe))
        return 1;
    if (!(tmp = calloc(n, sizeof *tmp))) {
        snprintf(err, errlen, "plot: out of memory");
        return -1;
    }
    for (i = 0; i < n; i++) {
        plot *p = ps[i];
        close_block(p);
        if (p->misuse[0] != '\0') {
            snprintf(err, errlen, "plot %s: %s", p->name, p->misuse);
            goto done;
        }
        if (p->vars.oom) {
            snprintf(err, errlen, "plot %s: out of memory", p->name);
            goto done;
        }
        if (out_paths[i] == NULL || out_paths[i][0] == '\0' || has_control(out_paths[i])) {
            snprintf(err, errlen, "plot %s: no usable output path", p->name);
            goto done;
        }
        if (make_temp(out_paths[i], tmp[i], sizeof tmp[i], err, errlen) != 0) {
            tmp[i][0] = '\0';
            goto done;
        }
        made = i + 1;
        /* a plot's variables, datablocks and settings end with it */
        if (i > 0) buf_str(&in, "reset session\n");
        buf_str(&in, "set encoding utf8\n");
        if (add_terminal(&in, format, width, height, err, errlen) != 0)
            goto done;
        buf_str(&in, "set termoption noenhanced\nset output ");
        buf_quoted(&in, tmp[i]);
        buf_str(&in, "\n");
        if (add_plot(&in, p, err, errlen) != 0)
            goto done;
    }
    buf_str(&in, "exit\n");
    if (in.oom) {
        snprintf(err, errlen, "plot: out of memory");
        goto done;
    }
    const volatile sig_atomic_t *stop = NULL;   /* any plot's flag stops the batch */
    for (i = 0; i < n && stop == NULL; i++)
        stop = ps[i]->stop;
    if (run_checked(exe, &in, &gout, "plots", stop, err, errlen) != 0)
        goto done;
    for (i = 0; i < n; i++) {
        struct stat st;
        if (stat(tmp[i], &st) != 0 || st.st_size == 0) {
            snprintf(err, errlen, "plot %s: gnuplot wrote nothing to %s", ps[i]->name,
                     out_paths[i]);
            goto done;
        }
    }
    for (i = 0; i < n; i++) {
        if (rename(tmp[i], out_paths[i]) != 0) {
            snprintf(err, errlen, "plot %s: %s: cannot rename into place: %s", ps[i]->name,
                     out_paths[i], strerror(errno));
            goto done;
        }
        tmp[i][0] = '\0';
    }
    rc = 0;

done:
    for (i = 0; i < made; i++)
        if (tmp[i][0] != '\0')
            unlink(tmp[i]);
    free(tmp);
    buf_release(&in);
    buf_release(&gout);
    return rc;
}

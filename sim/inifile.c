/* inifile — see include/inifile.h. */
#include "inifile.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "text.h"

/* libinih's buffer holds INI_MAX_LINE bytes including the newline and the NUL. */
enum { LINE_MAX_CHARS = INI_MAX_LINE - 2 };

struct reader {
    FILE *fp;                    /* the open file */
    const char *path;            /* for messages */
    int line;                    /* number of the line last handed to libinih */
    int skip;                    /* 1: under a rejected section header, drop entries */
    struct diag *d;              /* where problems go */
    inifile_section_fn on_section;
    inifile_entry_fn on_entry;
    void *user;                  /* the caller's context */
};

/* ------------------------------------------------------------ line checks -- */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'
                     || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

/* Removes an inline comment: ';' at the start or after white space, the rule
 * libinih applies (INI_ALLOW_INLINE_COMMENTS). */
static void cut_comment(char *s)
{
    for (char *p = s; *p; p++) {
        if (*p == ';' && (p == s || p[-1] == ' ' || p[-1] == '\t')) {
            *p = '\0';
            return;
        }
    }
}

/* The section of header T ("[...]", comment cut and trimmed): the text
 * between the brackets, trimmed (T is cut at the ']'), or NULL when the first
 * ']' does not end T. */
static char *header_name(char *t)
{
    char *close = strchr(t, ']');
    if (!close || close[1] != '\0') return NULL;
    *close = '\0';
    return trim(t + 1);
}

/* Checks one line (already stripped of leading white space; read_line() has
 * refused control bytes but tab). HIGH: it holds a byte of 127 or above, the
 * only bytes text_problem() may object to then. Returns 1 when libinih may see
 * it, 0 when it was reported and must be skipped. */
static int check_line(struct reader *r, const char *text, int high)
{
    char tmp[INI_MAX_LINE];
    if (text[0] == '\0' || text[0] == ';' || text[0] == '#') return 1;
    text_copy(tmp, sizeof tmp, text);
    cut_comment(tmp);
    char *t = trim(tmp);
    /* text that reaches the outputs (names, titles, file names) must be UTF-8
     * without control characters: JSON, the terminal and gnuplot carry it;
     * comments are never output and may hold any text (issue 15, 6) */
    const char *why = high ? text_problem(t, NULL) : NULL;   /* ASCII has none */
    if (why) {
        char shown[96];
        text_escape(shown, sizeof shown, t);
        diag_add(r->d, "%s:%d: the line holds %s (shown as \\xNN): '%s'; save the "
                 "file as UTF-8", r->path, r->line, why, shown);
        if (t[0] == '[') r->skip = 1;
        return 0;
    }
    if (t[0] == '[') {
        const char *section = header_name(t);
        if (!section) {
            diag_add(r->d, "%s:%d: a section header must look like '[psu main]'; "
                     "got '%s'", r->path, r->line, t);
            r->skip = 1;
            return 0;
        }
        r->skip = 0;
        r->on_section(r->user, section, r->line);
        return 1;
    }
    char *eq = strpbrk(t, "=:");
    if (!eq) {
        diag_add(r->d, "%s:%d: expected 'key = value', '[section]' or a comment; "
                 "got '%.60s'", r->path, r->line, t);
        return 0;
    }
    if (eq == t) {
        diag_add(r->d, "%s:%d: a key is missing before '%c'", r->path, r->line, *eq);
        return 0;
    }
    return 1;
}

/* ---------------------------------------------------------------- reader -- */

/* libinih's ini_reader: hands over one checked line at a time. Bad lines are
 * replaced by an empty line, so the numbering stays right. A UTF-8 byte order
 * mark before the first line is dropped (libinih would accept it, the checks
 * here would not). The entries under a rejected section header are dropped:
 * libinih would file them under the section before it. */
static char *read_line(char *buf, int num, void *stream)
{
    struct reader *r = stream;
    char line[INI_MAX_LINE];
    size_t len = 0, total = 0;
    int c, binary = 0;         /* NUL or a control byte (a CR counts below) */
    int high = 0;              /* DEL or a byte above: text_problem() may object */
    int cr = 0, lone_cr = 0;   /* the last byte was a CR; a CR not before LF */
    /* getc_unlocked: one reader per file, no lock per byte (POSIX.1-2008) */
    while ((c = getc_unlocked(r->fp)) != EOF && c != '\n') {
        /* a CR is a line end only before LF (Windows, CRLF): elsewhere it is a
         * control byte like the others (it would overprint a terminal) */
        if (cr) lone_cr = 1;
        cr = c == '\r';
        if (c == '\0' || (c < 32 && c != '\t' && c != '\r')) binary = 1;
        high |= c >= 127;
        if (len + 1 < sizeof line && !cr) line[len++] = (char)c;
        if (!cr) total++;
    }
    if (c == EOF && total == 0 && !cr) return NULL;
    line[len] = '\0';
    r->line++;
    buf[0] = '\n';
    buf[1] = '\0';
    char *text = line;
    if (r->line == 1 && strncmp(text, "\xEF\xBB\xBF", 3) == 0) text += 3;
    while (*text == ' ' || *text == '\t') text++;
    if ((binary || lone_cr || total > (size_t)LINE_MAX_CHARS) && text[0] == '[') r->skip = 1;
    /* a line with other control bytes is binary: say that, not the CR */
    if (lone_cr && !binary) {
        diag_add(r->d, "%s:%d: a carriage return inside the line (old Mac line ends?); "
                 "save the file with LF or CRLF line ends", r->path, r->line);
        return buf;
    }
    if (binary) {
        diag_add(r->d, "%s:%d: the line holds control characters or binary data; "
                 "is this an INI text file?", r->path, r->line);
        return buf;
    }
    if (total > (size_t)LINE_MAX_CHARS) {
        diag_add(r->d, "%s:%d: the line is %zu characters long; the most libinih "
                 "reads is %d (split the value or shorten the comment)",
                 r->path, r->line, total, LINE_MAX_CHARS);
        return buf;
    }
    if (check_line(r, text, high)) {
        size_t n = strlen(text);   /* <= LINE_MAX_CHARS: fits with '\n' and NUL */
        if (n + 2 > (size_t)num) n = (size_t)num - 2;
        memcpy(buf, text, n);
        buf[n] = '\n';
        buf[n + 1] = '\0';
    }
    return buf;
}

/* libinih's handler: forwards the entry with its line. */
static int on_ini_entry(void *user, const char *section, const char *name,
                        const char *value)
{
    struct reader *r = user;
    char sec[INI_MAX_LINE], key[INI_MAX_LINE], val[INI_MAX_LINE];
    if (r->skip) return 1; /* its header was reported */
    text_copy(sec, sizeof sec, section);
    text_copy(key, sizeof key, name);
    text_copy(val, sizeof val, value);
    r->on_entry(r->user, trim(sec), trim(key), trim(val), r->line);
    return 1;
}

/* ------------------------------------------------------------------ parse -- */

/* Reads FP (closed here), named PATH in the messages, its first line numbered
 * FIRST_LINE. */
static int parse_stream(FILE *fp, const char *path, int first_line,
                        inifile_section_fn on_section, inifile_entry_fn on_entry,
                        void *user, struct diag *d)
{
    struct reader r = { fp, path, first_line - 1, 0, d, on_section, on_entry, user };
    int rc = ini_parse_stream(read_line, &r, on_ini_entry, &r);
    int read_error = ferror(fp);
    fclose(fp);
    if (read_error) {
        diag_add(d, "%s: read error", path);
        return -1;
    }
    if (rc > 0)
        diag_add(d, "%s:%d: libinih could not parse this line", path, rc);
    else if (rc < 0)
        diag_add(d, "%s: libinih failed (%d)", path, rc);
    return 0;
}

int inifile_parse(const char *path, inifile_section_fn on_section,
                  inifile_entry_fn on_entry, void *user, struct diag *d)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        diag_add(d, "%s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        diag_add(d, "%s: not a regular file%s", path,
                 S_ISDIR(st.st_mode) ? " (it is a directory)" : "");
        return -1;
    }
    FILE *fp = fopen(path, "r");
    if (!fp) {
        diag_add(d, "%s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    return parse_stream(fp, path, 1, on_section, on_entry, user, d);
}

int inifile_parse_text(const char *label, const char *text, inifile_section_fn on_section,
                       inifile_entry_fn on_entry, void *user, struct diag *d)
{
    size_t len = strlen(text);
    /* fmemopen of an empty buffer fails on some C libraries: read "\n" instead */
    FILE *fp = fmemopen((void *)(len ? text : "\n"), len ? len : 1, "r");
    if (!fp) {
        diag_add(d, "%s: cannot read: %s", label, strerror(errno));
        return -1;
    }
    return parse_stream(fp, label, 1, on_section, on_entry, user, d);
}

int inifile_parse_part(const char *label, const char *text, size_t len, int first_line,
                       inifile_section_fn on_section, inifile_entry_fn on_entry,
                       void *user, struct diag *d)
{
    FILE *fp = len ? fmemopen((void *)text, len, "r") : NULL;
    if (!fp) {
        diag_add(d, "%s: cannot read: %s", label, len ? strerror(errno) : "empty part");
        return -1;
    }
    return parse_stream(fp, label, first_line, on_section, on_entry, user, d);
}

/* ------------------------------------------------------------ quick scan -- */

/* Checks the N bytes at S for what read_line() refuses on any line: a
 * control byte other than tab and the line end (NUL and CR too). Returns -1
 * for one, else 0 and *HIGH set when they hold DEL or a byte above it (which
 * check_line() looks at). A min and a max over the bytes, a multiple of 32
 * of them in a loop the compiler can run on vectors (GCC 12 -O2 does, 16
 * bytes at a time: the start-up of a run, issue 14), the rest one by one. */
static int text_bytes(const char *s, size_t n, int *high)
{
    const unsigned char *u = (const unsigned char *)s;
    /* tab and '\n' lifted to 32 and above: a control byte is then a byte below
     * 32, the least byte tells (a min and a max reduction) */
    unsigned char least = 255, most = 0;
    size_t whole = n & ~(size_t)31, i = 0;
    for (; i < whole; i++) {
        unsigned char c = u[i];
        unsigned char m = (unsigned char)(c | (((c == '\t') | (c == '\n')) << 5));
        least = m < least ? m : least;
        most = c > most ? c : most;
    }
    for (; i < n; i++) {
        unsigned char c = u[i];
        unsigned char m = (unsigned char)(c | (((c == '\t') | (c == '\n')) << 5));
        least = m < least ? m : least;
        most = c > most ? c : most;
    }
    *high = most >= 127;
    return least < 32 ? -1 : 0;
}

/* The checks of read_line() and check_line() without their messages: a line
 * passes here only if they would pass it in silence (any CR and a byte order
 * mark are refused outright, where read_line() would accept CRLF and the
 * mark), so that a text that passes reads without a message. */
int inifile_scan(const char *text, size_t len, inifile_scan_section_fn on_section,
                 inifile_scan_key_fn on_key, void *user)
{
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) return -1;
    /* read_line(): NUL, control bytes and CR, on any line; check_line(): DEL
     * and any byte of a multi-byte character, on a line that is no comment */
    int high_anywhere = 0;
    if (text_bytes(text, len, &high_anywhere) != 0) return -1;
    int line = 0;
    for (size_t at = 0; at < len;) {
        const char *s = text + at;
        const char *nl = memchr(s, '\n', len - at);
        size_t n = nl ? (size_t)(nl - s) : len - at, start = at;
        at += n + (nl != NULL);
        line++;
        if (n > (size_t)LINE_MAX_CHARS) return -1;
        size_t k = 0;
        while (k < n && (s[k] == ' ' || s[k] == '\t')) k++;
        if (k == n || s[k] == ';' || s[k] == '#') continue;
        int high = 0;
        if (high_anywhere) text_bytes(s, n, &high);
        if (high || s[k] == '[') {
            char tmp[INI_MAX_LINE];
            memcpy(tmp, s + k, n - k);
            tmp[n - k] = '\0';
            cut_comment(tmp);
            char *t = trim(tmp);
            if (high && text_problem(t, NULL)) return -1;   /* ASCII has none */
            if (t[0] == '[') {
                const char *section = header_name(t);
                if (!section || on_section(user, section, line, start) != 0) return -1;
                continue;
            }
        }
        /* a key line: '=' or ':' before any comment, not first (libinih's
         * find_chars_or_comment() and check_line() agree on such a line) */
        size_t p = n;
        const char *q;
        if ((q = memchr(s + k, '=', p - k))) p = (size_t)(q - s);
        if ((q = memchr(s + k, ':', p - k))) p = (size_t)(q - s);
        /* a ';' is a comment only at the start (not here) or after white space */
        for (q = s + k; (q = memchr(q, ';', (size_t)(s + p - q))); q++)
            if (q[-1] == ' ' || q[-1] == '\t') {
                p = (size_t)(q - s);
                break;
            }
        if (p == n || s[p] == ';' || p == k) return -1;
        while (p > k && (s[p - 1] == ' ' || s[p - 1] == '\t')) p--;
        if (on_key(user, s + k, p - k, line) != 0) return -1;
    }
    return 0;
}

int inifile_max_line(void)
{
    return LINE_MAX_CHARS;
}

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

/* Checks one line (already stripped of leading white space). Returns 1 when
 * libinih may see it, 0 when it was reported and must be skipped. */
static int check_line(struct reader *r, const char *text)
{
    char tmp[INI_MAX_LINE];
    if (text[0] == '\0' || text[0] == ';' || text[0] == '#') return 1;
    text_copy(tmp, sizeof tmp, text);
    cut_comment(tmp);
    char *t = trim(tmp);
    /* text that reaches the outputs (names, titles, file names) must be UTF-8
     * without control characters: JSON, the terminal and gnuplot carry it;
     * comments are never output and may hold any text (issue 15, 6) */
    const char *why = text_problem(t, NULL);
    if (why) {
        char shown[96];
        text_escape(shown, sizeof shown, t);
        diag_add(r->d, "%s:%d: the line holds %s (shown as \\xNN): '%s'; save the "
                 "file as UTF-8", r->path, r->line, why, shown);
        if (t[0] == '[') r->skip = 1;
        return 0;
    }
    if (t[0] == '[') {
        char *close = strchr(t, ']');
        if (!close || close[1] != '\0') {
            diag_add(r->d, "%s:%d: a section header must look like '[psu main]'; "
                     "got '%s'", r->path, r->line, t);
            r->skip = 1;
            return 0;
        }
        *close = '\0';
        r->skip = 0;
        r->on_section(r->user, trim(t + 1), r->line);
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
    int cr = 0, lone_cr = 0;   /* the last byte was a CR; a CR not before LF */
    /* getc_unlocked: one reader per file, no lock per byte (POSIX.1-2008) */
    while ((c = getc_unlocked(r->fp)) != EOF && c != '\n') {
        /* a CR is a line end only before LF (Windows, CRLF): elsewhere it is a
         * control byte like the others (it would overprint a terminal) */
        if (cr) lone_cr = 1;
        cr = c == '\r';
        if (c == '\0' || (c < 32 && c != '\t' && c != '\r')) binary = 1;
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
    if (check_line(r, text)) {
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

/* Reads FP (closed here), named PATH in the messages. */
static int parse_stream(FILE *fp, const char *path, inifile_section_fn on_section,
                        inifile_entry_fn on_entry, void *user, struct diag *d)
{
    struct reader r = { fp, path, 0, 0, d, on_section, on_entry, user };
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
    return parse_stream(fp, path, on_section, on_entry, user, d);
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
    return parse_stream(fp, label, on_section, on_entry, user, d);
}

int inifile_max_line(void)
{
    return LINE_MAX_CHARS;
}

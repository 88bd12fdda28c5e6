/* trace.c — a measured power log replayed as a load (include/trace.h).
 *
 * Reading. Every format is line-based text. A line is at most TRACE_LINE_MAX
 * characters (without its "\n" or "\r\n"); a NUL or another control byte (other
 * than tab) means the file is not text. A UTF-8 byte order mark before the first
 * line is dropped. Blank lines are skipped. Every error names the file and line:
 * "PATH:LINE: what was expected".
 *
 *   csv         line 1 a header (any text with a comma, not a data row), then
 *               `time_s,watts` rows: two numbers, spaces allowed around them.
 *   nvidia-smi  line 1 the header that `--format=csv` writes, e.g.
 *               `timestamp, power.draw [W]` or `timestamp, index, power.draw
 *               [W], temperature.gpu` (columns in any order, others ignored;
 *               `power.draw.instant [W]` is taken over `power.draw [W]`);
 *               rows `2025/01/31 12:00:00.125, 412.50 W` (the ` W` optional).
 *               "[N/A]", "[Not Supported]", "[Unknown Error]", "[GPU is lost]"
 *               (any bracketed text) or "N/A" in the power column is a missing
 *               value; the header line again is a joined log. Both are gaps.
 *   dmon        `nvidia-smi dmon -s p`: `# gpu pwr gtemp mtemp` (with -o DT
 *               `#Date Time gpu pwr ...`), `# Idx W C C`, rows of fields
 *               separated by spaces; "-" is a missing value. Later '#' lines
 *               are headers dmon reprints, skipped (not gaps: dmon logs carry no
 *               time to tell a joined log from a reprint).
 *   dcgmi       `dcgmi dmon -e 155[,157]`: `#Entity POWER [POWINST]`, a units
 *               line `ID W W`, rows `GPU 0 452.3 560.1`; "N/A" a missing value;
 *               later `#` and `ID` lines reprinted headers (dcgmi reprints them
 *               every few dozen rows), skipped.
 *   wall-meter  a header naming a time column and a watts column (comma,
 *               semicolon or tab separated), rows of seconds or dates
 *               (`2025-01-31 12:00:00[.5]`, `/` for `-` and `T` for the space
 *               allowed); an empty, "-", "NaN" or "N/A" power is a missing value,
 *               the header again a joined log.
 *
 * Gaps (trace.h). Rows become rounds (below), a round a sample. A GPU's missing
 * value or row in a round is bridged on that GPU's own straight line from its
 * last value before the gap to its first after it, at the rounds' times (at the
 * start or the end of the log the nearest value is held); a sum is taken after
 * bridging. A joined log (the header again) is bridged by the interpolation
 * between the samples either side; its missing samples are the log's median
 * round interval into the time step, less one. A run of more than max_gap
 * missing samples is an error at the line of its first.
 *
 * Timestamps. "YYYY/MM/DD HH:MM:SS[.fff...]" is read as days since 1970-01-01
 * (days_from_civil, H. Hinnant, "chrono-Compatible Low-Level Date Algorithms",
 * proleptic Gregorian calendar) times 86400 plus the seconds of the day; no time
 * zone or leap second is applied, which only needs to be consistent within one
 * log. Whole seconds are kept as integers relative to the first row, so a
 * millisecond stays exact whatever the date.
 *
 * Rounds. nvidia-smi writes one row per GPU per sampling round. Without an index
 * column the rows sharing a timestamp are one round and the k-th row of a round
 * is GPU k (a short round lacks the last GPUs); with one (dmon's and dcgmi's GPU
 * column too), the first round runs up to a repeated index and sets the GPUs'
 * order, and later rounds end where a GPU does not come after the previous row's
 * in that order, so a missing row is found wherever it is. A GPU the first round
 * does not have is an error. A chosen GPU's sample is at its row's time (the
 * round's first row's when its row is missing); the sum of a round (GPU_INDEX
 * -1) is at the time of the round's first row; dmon and dcgmi rounds are
 * `interval` apart.
 *
 * The trace. Times are kept relative to the first sample and must increase
 * strictly. Between samples the power is linear, so the time-weighted mean is
 * the trapezoid sum  sum 0.5 (p_i + p_i+1)(t_i+1 - t_i) / (t_n-1 - t_0), exact
 * for the interpolated curve.
 *
 * NVML's power.draw is about a 1 s average on Ampere and later (facts.md 3, S):
 * a replayed power.draw log carries none of the millisecond spikes;
 * power.draw.instant and DCGM's POWINST (field 157) are instant readings.
 */
#include "trace.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#if defined(__GNUC__)
#define TRACE_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TRACE_PRINTF(f, a)
#endif

/* ------------------------------------------------------------------------- */
/* Limits                                                                    */
/* ------------------------------------------------------------------------- */

enum {
    TRACE_LINE_MAX = 4096,  /* characters of a line, without its line end */
    TRACE_COLS_MAX = 64,    /* columns of an nvidia-smi header */
    TRACE_QUOTE = 48,       /* characters of a bad field quoted in a message */
    TRACE_GPUS_MAX = 64     /* GPUs in one round */
};

/* ------------------------------------------------------------------------- */
/* The trace                                                                 */
/* ------------------------------------------------------------------------- */

struct trace {
    size_t n;        /* samples, >= 2 */
    double *t_s;     /* n times from the first sample, strictly increasing, s (owned) */
    double *p_w;     /* n powers, W (owned) */
    double mean_w;   /* time-weighted mean of the interpolated power, W */
    struct trace_gaps gaps; /* what the reader bridged */
    int instant;     /* trace_instant() */
    size_t gpus;     /* trace_gpus() */
};

void trace_free(trace *t)
{
    if (t == NULL)
        return;
    free(t->t_s);
    free(t->p_w);
    free(t);
}

size_t trace_points(const trace *t)
{
    return t->n;
}

double trace_duration(const trace *t)
{
    return t->t_s[t->n - 1];
}

double trace_mean(const trace *t)
{
    return t->mean_w;
}

void trace_gaps(const trace *t, struct trace_gaps *g)
{
    *g = t->gaps;
}

size_t trace_gpus(const trace *t)
{
    return t->gpus > 0 ? t->gpus : 1;
}

int trace_instant(const trace *t)
{
    return t->instant;
}

/* ------------------------------------------------------------------------- */
/* Messages                                                                  */
/* ------------------------------------------------------------------------- */

/* What trace_load() is reading: the file, the line and where errors go. */
struct reader {
    FILE *f;                          /* the open file (owned by trace_load) */
    const char *path;                 /* for messages */
    long line;                        /* number of the line in buf (1-based) */
    char buf[TRACE_LINE_MAX + 1];     /* the line, NUL-terminated, no line end */
    size_t len;                       /* characters in buf */
    char *err;                        /* caller's buffer, may be NULL */
    size_t errlen;
    int instant;                      /* the power column: trace_instant() */
};

static void fail_at(const struct reader *r, long line, const char *fmt, ...)
    TRACE_PRINTF(3, 4);

/* Writes "PATH:LINE: " and the message into the caller's buffer, truncating. */
static void fail_at(const struct reader *r, long line, const char *fmt, ...)
{
    va_list ap;
    int k;

    if (r->err == NULL || r->errlen == 0)
        return;
    k = snprintf(r->err, r->errlen, "%s:%ld: ", r->path, line);
    if (k < 0 || (size_t)k >= r->errlen)
        return;
    va_start(ap, fmt);
    vsnprintf(r->err + k, r->errlen - (size_t)k, fmt, ap);
    va_end(ap);
}

/* A "%.*s" precision that quotes at most TRACE_QUOTE characters of S. */
static int quote_len(const char *s)
{
    size_t n = strlen(s);

    return n > TRACE_QUOTE ? TRACE_QUOTE : (int)n;
}

/* "..." after a quote that was cut short, else "". */
static const char *quote_more(const char *s)
{
    return strlen(s) > TRACE_QUOTE ? "..." : "";
}

/* ------------------------------------------------------------------------- */
/* Lines                                                                     */
/* ------------------------------------------------------------------------- */

/* Reads the next line into R->buf without its line end. Returns 1 for a line,
 * 0 at the end of the file, -1 after an error (message set): a line longer than
 * TRACE_LINE_MAX, a NUL or control byte (binary data), a read error. */
static int next_line(struct reader *r)
{
    size_t len = 0;
    int c, any = 0;

    r->line++;
    while ((c = getc(r->f)) != EOF) {
        any = 1;
        if (c == '\n')
            break;
        if (c == '\0' || c == 0x7f || (c < 0x20 && c != '\t' && c != '\r')) {
            fail_at(r, r->line, "binary data (byte 0x%02x at column %zu); expected "
                    "a text file", (unsigned)c, len + 1);
            return -1;
        }
        if (len == TRACE_LINE_MAX) {
            fail_at(r, r->line, "line longer than %d characters; expected a short "
                    "text line", TRACE_LINE_MAX);
            return -1;
        }
        r->buf[len++] = (char)c;
    }
    if (ferror(r->f)) {
        fail_at(r, r->line, "read error (%s)", strerror(errno));
        return -1;
    }
    if (!any)
        return 0;
    if (len > 0 && r->buf[len - 1] == '\r')
        len--;
    r->buf[len] = '\0';
    if (r->line == 1 && len >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) {
        memmove(r->buf, r->buf + 3, len - 2);    /* the BOM; the NUL moves too */
        len -= 3;
    }
    r->len = len;
    return 1;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static const char *skip_space(const char *s)
{
    while (is_space(*s))
        s++;
    return s;
}

/* 1 if S holds only white space. */
static int blank(const char *s)
{
    return *skip_space(s) == '\0';
}

/* Trims white space on both sides of S in place; returns the start. */
static char *trim(char *s)
{
    char *e;

    s = (char *)skip_space(s);
    e = s + strlen(s);
    while (e > s && is_space(e[-1]))
        e--;
    *e = '\0';
    return s;
}

/* Splits S at commas into at most MAX trimmed fields (in place). Returns the
 * number of fields, or MAX + 1 if there are more. */
static size_t split(char *s, char **field, size_t max)
{
    size_t n = 0;

    for (;;) {
        char *comma = strchr(s, ',');

        if (comma != NULL)
            *comma = '\0';
        if (n == max)
            return max + 1;
        field[n++] = trim(s);
        if (comma == NULL)
            return n;
        s = comma + 1;
    }
}

/* ------------------------------------------------------------------------- */
/* Numbers and timestamps                                                    */
/* ------------------------------------------------------------------------- */

/* Reads a number at *S (strtod), moving *S past it. 0 if there is none. */
static int read_number(const char **s, double *v)
{
    char *end;

    *v = strtod(*s, &end);
    if (end == *s)
        return 0;
    *s = end;
    return 1;
}

/* Reads MIN to MAX decimal digits at *S into *V. 0 if there are fewer. */
static int read_digits(const char **s, int min, int max, long *v)
{
    int n = 0;

    *v = 0;
    while (n < max && **s >= '0' && **s <= '9') {
        *v = *v * 10 + (**s - '0');
        (*s)++;
        n++;
    }
    return n >= min;
}

/* Days from 1970-01-01 to Y-M-D in the proleptic Gregorian calendar
 * (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil). */
static long long days_from_civil(long long y, long m, long d)
{
    long long era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;                                   /* [0, 399] */
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  /* [0, 365] */
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

static int days_in_month(long y, long m)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : days[m - 1];
}

/* A parsed timestamp: whole seconds since 1970-01-01 (no zone) and a fraction. */
struct stamp {
    long long sec;  /* s */
    double frac;    /* [0, 1) s */
};

/* Parses "YYYY/MM/DD HH:MM:SS[.fff]" (the whole of S). 1 on success. */
static int parse_stamp(const char *s, struct stamp *st)
{
    long y, mo, d, h, mi, se, digit;
    double scale = 0.1;

    if (!read_digits(&s, 4, 4, &y) || *s++ != '/'
        || !read_digits(&s, 1, 2, &mo) || *s++ != '/'
        || !read_digits(&s, 1, 2, &d) || *s++ != ' '
        || !read_digits(&s, 1, 2, &h) || *s++ != ':'
        || !read_digits(&s, 1, 2, &mi) || *s++ != ':'
        || !read_digits(&s, 1, 2, &se))
        return 0;
    st->frac = 0.0;
    if (*s == '.') {
        s++;
        if (!(*s >= '0' && *s <= '9'))
            return 0;
        while (read_digits(&s, 1, 1, &digit)) {
            st->frac += (double)digit * scale;
            scale *= 0.1;
        }
    }
    if (*s != '\0' || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)
        || h > 23 || mi > 59 || se > 60)
        return 0;
    st->sec = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    return 1;
}

/* ------------------------------------------------------------------------- */
/* Rows                                                                      */
/* ------------------------------------------------------------------------- */

/* One data row as read. */
struct row {
    long line;      /* line number in the file */
    long gpu;       /* the index column's value; -1 without one */
    double t_s;     /* time from the first row, s (dmon, dcgmi: unused) */
    double w;       /* power, W; NAN: the GPU reported no value (a gap) */
    int hdr;        /* 1: a repeated header line, not a sample */
};

/* The rows of a file, growing. */
struct rows {
    struct row *v;  /* n rows (owned) */
    size_t n, cap;
};

/* Appends ROW; 0 (message set) when out of memory. */
static int rows_add(struct rows *rs, const struct reader *r, const struct row *row)
{
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? 2 * rs->cap : 1024;
        struct row *v = cap < ((size_t)-1) / sizeof *v ? realloc(rs->v, cap * sizeof *v)
                                                        : NULL;

        if (v == NULL) {
            fail_at(r, r->line, "out of memory after %zu rows", rs->n);
            return 0;
        }
        rs->v = v;
        rs->cap = cap;
    }
    rs->v[rs->n++] = *row;
    return 1;
}

/* The largest time accepted in a csv trace, s (about a century). */
static const double TRACE_MAX_T_S = 3.2e9;

/* The largest sample accepted, W: the loader bounds a [load] to 100 kW; a
 * measured log of one machine above this is a unit or parse mistake. */
static const double TRACE_MAX_W = 1e5;

/* Checks a power value W: finite, >= 0 and at most TRACE_MAX_W. */
static int watts_ok(const struct reader *r, double w)
{
    if (isfinite(w) && w >= 0 && w <= TRACE_MAX_W)
        return 1;
    fail_at(r, r->line, "watts must be a number from 0 to %g, got %g", TRACE_MAX_W, w);
    return 0;
}

/* Reads the next non-blank line. 1 for a line, 0 at the end, -1 on error. */
static int next_data_line(struct reader *r)
{
    int k;

    while ((k = next_line(r)) == 1 && blank(r->buf))
        ;
    return k;
}

/* ------------------------------------------------------------------------- */
/* Format: csv                                                               */
/* ------------------------------------------------------------------------- */

/* Parses "time_s,watts" (spaces allowed around either). 1 on success. */
static int parse_csv_row(const char *s, double *t, double *w)
{
    s = skip_space(s);
    if (!read_number(&s, t))
        return 0;
    s = skip_space(s);
    if (*s++ != ',')
        return 0;
    s = skip_space(s);
    if (!read_number(&s, w))
        return 0;
    return *skip_space(s) == '\0';
}

/* The message for a CSV row parse_csv_row() refused: which of its two fields is
 * wrong, quoting only that field (never the whole line). */
static void csv_row_error(const struct reader *r)
{
    char copy[TRACE_LINE_MAX + 1];
    char *field[3];
    double v;

    memcpy(copy, r->buf, r->len + 1);
    size_t n = split(copy, field, 3);
    if (n != 2) {
        fail_at(r, r->line, "expected `time_s,watts` (two numbers and a comma), got %s",
                n == 1 ? "one field (no comma)" : "more than two fields");
        return;
    }
    for (size_t i = 0; i < 2; i++) {
        const char *p = field[i];
        if (read_number(&p, &v) && *skip_space(p) == '\0')
            continue;
        fail_at(r, r->line, "expected `time_s,watts` (two numbers and a comma); the %s "
                "field is '%.*s%s', not a number", i ? "watts" : "time",
                quote_len(field[i]), field[i], quote_more(field[i]));
        return;
    }
    fail_at(r, r->line, "expected `time_s,watts` (two numbers and a comma)");
}

/* The header was read; reads the rows. 1 on success. */
static int read_csv(struct reader *r, struct rows *rs)
{
    double t, w, t0 = 0;
    int k;

    /* the header is not quoted: a file that is not a trace (a typo in `file`)
     * must not have its first line printed (issue 15, 13) */
    if (strchr(r->buf, ',') == NULL) {
        fail_at(r, r->line, "expected a header line with a comma, such as "
                "`time_s,watts`; this line has none (is the file a trace?)");
        return 0;
    }
    if (parse_csv_row(r->buf, &t, &w)) {
        fail_at(r, r->line, "expected a header line such as `time_s,watts`, got a "
                "data row (the first line is the header)");
        return 0;
    }
    while ((k = next_data_line(r)) == 1) {
        struct row row;

        if (!parse_csv_row(r->buf, &t, &w)) {
            csv_row_error(r);
            return 0;
        }
        /* within a century either way, so spans and differences stay finite */
        if (!(fabs(t) <= TRACE_MAX_T_S)) {
            fail_at(r, r->line, "time must be a number of seconds within +/-%g, got %g",
                    TRACE_MAX_T_S, t);
            return 0;
        }
        if (!watts_ok(r, w))
            return 0;
        if (rs->n == 0)
            t0 = t;
        row.line = r->line;
        row.gpu = -1;
        row.t_s = t - t0;
        row.w = w;
        row.hdr = 0;
        if (!rows_add(rs, r, &row))
            return 0;
    }
    return k == 0;
}

/* ------------------------------------------------------------------------- */
/* Format: nvidia-smi                                                        */
/* ------------------------------------------------------------------------- */

/* Where the columns of an nvidia-smi log are (-1: absent). */
struct smi_cols {
    size_t n;       /* columns in the header */
    int time;       /* "timestamp" */
    int gpu;        /* "index" */
    int power;      /* "power.draw.instant [W]", else "power.draw [W]", else any
                       "power.draw..." */
};

/* 1 if NAME is the averaged power.draw column ("power.draw" or "power.draw [W]"). */
static int is_power_draw(const char *name)
{
    return strcmp(name, "power.draw") == 0 || strncmp(name, "power.draw [", 12) == 0;
}

/* 1 if NAME is the instant power column ("power.draw.instant [W]"). */
static int is_power_instant(const char *name)
{
    return strcmp(name, "power.draw.instant") == 0
           || strncmp(name, "power.draw.instant [", 20) == 0;
}

/* Reads the header in R->buf into C. 1 on success. */
static int smi_header(struct reader *r, struct smi_cols *c)
{
    char copy[TRACE_LINE_MAX + 1];
    char *field[TRACE_COLS_MAX];
    size_t i, n;
    int avg = -1, inst = -1;

    memcpy(copy, r->buf, r->len + 1);
    n = split(copy, field, TRACE_COLS_MAX);
    if (n > TRACE_COLS_MAX) {
        fail_at(r, r->line, "expected an nvidia-smi header of at most %d columns",
                TRACE_COLS_MAX);
        return 0;
    }
    c->n = n;
    c->time = c->gpu = c->power = -1;
    for (i = 0; i < n; i++) {
        if (strcmp(field[i], "timestamp") == 0 && c->time < 0)
            c->time = (int)i;
        else if (strcmp(field[i], "index") == 0 && c->gpu < 0)
            c->gpu = (int)i;
        else if (is_power_instant(field[i]) && inst < 0)
            inst = (int)i;
        else if (is_power_draw(field[i]) && avg < 0)
            avg = (int)i;
    }
    /* the instant reading first: it does not average the spikes away */
    c->power = inst >= 0 ? inst : avg;
    r->instant = inst >= 0;
    for (i = 0; i < n && c->power < 0; i++)
        if (strncmp(field[i], "power.draw", 10) == 0)
            c->power = (int)i;
    if (c->time < 0 || c->power < 0) {
        /* not quoted: the file may not be a trace at all (issue 15, 13) */
        fail_at(r, r->line, "expected the nvidia-smi header `timestamp, power.draw "
                "[W]` (from --query-gpu=timestamp,power.draw --format=csv); this line "
                "has %s (is the file an nvidia-smi log?)",
                c->time < 0 && c->power < 0 ? "neither column"
                : c->time < 0 ? "no `timestamp` column" : "no `power.draw` column");
        return 0;
    }
    return 1;
}

/* 1 if S is a value a logger writes when the GPU gave none: "[N/A]", "[Not
 * Supported]", "[Unknown Error]", "[GPU is lost]" (any bracketed text), "N/A". */
static int no_value(const char *s)
{
    size_t n = strlen(s);

    return (n >= 2 && s[0] == '[' && s[n - 1] == ']') || strcmp(s, "N/A") == 0;
}

/* Parses a power field: "412.50 W" or "412.50"; NAN for no value (a gap). 1 on
 * success, with a message otherwise. */
static int smi_watts(const struct reader *r, const char *s, double *w)
{
    const char *p = s;

    if (no_value(s)) {
        *w = NAN;
        return 1;
    }
    if (read_number(&p, w)) {
        p = skip_space(p);
        if (*p == 'W')
            p++;
        if (*p == '\0')
            return watts_ok(r, *w);
    }
    fail_at(r, r->line, "expected watts such as `412.50 W` (or `[N/A]` for a missing "
            "value), got '%.*s%s'", quote_len(s), s, quote_more(s));
    return 0;
}

/* Appends a repeated-header row for the line in R. 1 on success. */
static int add_header_row(const struct reader *r, struct rows *rs)
{
    struct row row = { r->line, -1, 0.0, NAN, 1 };

    return rows_add(rs, r, &row);
}

/* The header was read; reads the rows. 1 on success. */
static int read_smi(struct reader *r, struct rows *rs)
{
    struct smi_cols c;
    struct stamp st, st0 = { 0, 0.0 };
    char *field[TRACE_COLS_MAX];
    char header[TRACE_LINE_MAX + 1];
    int k, have_t0 = 0;

    if (!smi_header(r, &c))
        return 0;
    memcpy(header, r->buf, r->len + 1);
    while ((k = next_data_line(r)) == 1) {
        struct row row;
        size_t n;

        if (strcmp(trim(r->buf), trim(header)) == 0) {
            /* the header again: logs joined (a gap, trace.h) */
            if (!add_header_row(r, rs))
                return 0;
            continue;
        }
        n = split(r->buf, field, TRACE_COLS_MAX);
        if (n != c.n) {
            fail_at(r, r->line, "expected %zu comma-separated fields as in the header, "
                    "got %zu", c.n, n > TRACE_COLS_MAX ? n - 1 : n);
            return 0;
        }
        if (!parse_stamp(field[c.time], &st)) {
            fail_at(r, r->line, "expected a timestamp such as `2025/01/31 "
                    "12:00:00.125`, got '%.*s%s'", quote_len(field[c.time]),
                    field[c.time], quote_more(field[c.time]));
            return 0;
        }
        if (!smi_watts(r, field[c.power], &row.w))
            return 0;
        row.gpu = -1;
        if (c.gpu >= 0) {
            const char *s = field[c.gpu];

            if (!read_digits(&s, 1, 9, &row.gpu) || *s != '\0') {
                fail_at(r, r->line, "expected a GPU index (0, 1, ...), got "
                        "'%.*s%s'", quote_len(field[c.gpu]), field[c.gpu],
                        quote_more(field[c.gpu]));
                return 0;
            }
        }
        if (!have_t0) {
            st0 = st;
            have_t0 = 1;
        }
        row.line = r->line;
        row.hdr = 0;
        row.t_s = (double)(st.sec - st0.sec) + (st.frac - st0.frac);
        if (!rows_add(rs, r, &row))
            return 0;
    }
    return k == 0;
}

/* ------------------------------------------------------------------------- */
/* Formats: dmon and dcgmi (whitespace-aligned text)                         */
/* ------------------------------------------------------------------------- */

/* Splits S at runs of white space into at most MAX fields (in place). Returns
 * the number of fields, or MAX + 1 if there are more. */
static size_t split_ws(char *s, char **field, size_t max)
{
    size_t n = 0;

    for (;;) {
        s = (char *)skip_space(s);
        if (*s == '\0')
            return n;
        if (n == max)
            return max + 1;
        field[n++] = s;
        while (*s != '\0' && !is_space(*s))
            s++;
        if (*s != '\0')
            *s++ = '\0';
    }
}

/* Reads a plain number of watts ("250", "250.5") into *W, NAN for NONE (the
 * tool's "no value": "-" for dmon, "N/A" for dcgmi). 1 on success. */
static int plain_watts(const struct reader *r, const char *s, const char *none,
                       const char *example, double *w)
{
    const char *p = s;

    if (strcmp(s, none) == 0 || no_value(s)) {
        *w = NAN;
        return 1;
    }
    if (read_number(&p, w) && *p == '\0')
        return watts_ok(r, *w);
    fail_at(r, r->line, "expected watts such as `%s` (or `%s` for a missing value), got "
            "'%.*s%s'", example, none, quote_len(s), s, quote_more(s));
    return 0;
}

/* A GPU index field: digits. 1 on success. */
static int gpu_field(const struct reader *r, const char *s, long *gpu)
{
    const char *p = s;

    if (read_digits(&p, 1, 9, gpu) && *p == '\0')
        return 1;
    fail_at(r, r->line, "expected a GPU index (0, 1, ...), got '%.*s%s'", quote_len(s), s,
            quote_more(s));
    return 0;
}

/* nvidia-smi dmon: line 1 `# gpu pwr gtemp mtemp ...` (with -o DT: `#Date Time
 * gpu pwr ...`), then `# Idx W C C ...`, then rows. Every line starting with '#'
 * after the first is a header (dmon reprints them) and skipped. */
static int read_dmon(struct reader *r, struct rows *rs)
{
    char *field[TRACE_COLS_MAX];
    size_t i, n, ncol;
    int gpu = -1, pwr = -1, k;

    if (r->buf[0] != '#') {
        fail_at(r, r->line, "expected the dmon header `# gpu pwr ...` (from nvidia-smi "
                "dmon -s p); this line does not start with '#' (is the file a dmon "
                "log?)");
        return 0;
    }
    ncol = split_ws(r->buf + 1, field, TRACE_COLS_MAX);
    for (i = 0; i < ncol && i < TRACE_COLS_MAX; i++) {
        if (strcmp(field[i], "gpu") == 0 && gpu < 0)
            gpu = (int)i;
        else if (strcmp(field[i], "pwr") == 0 && pwr < 0)
            pwr = (int)i;
    }
    if (ncol > TRACE_COLS_MAX || gpu < 0 || pwr < 0) {
        fail_at(r, r->line, "expected the dmon header `# gpu pwr ...` (from nvidia-smi "
                "dmon -s p); this line has %s (is the file a dmon log?)",
                ncol > TRACE_COLS_MAX ? "too many columns"
                : gpu < 0 && pwr < 0 ? "neither column"
                : gpu < 0 ? "no `gpu` column" : "no `pwr` column");
        return 0;
    }
    r->instant = 0;    /* NVML power usage: the ~1 s average on recent GPUs */
    while ((k = next_data_line(r)) == 1) {
        struct row row = { r->line, -1, 0.0, 0.0, 0 };

        if (*skip_space(r->buf) == '#')
            continue;    /* the units line, or the header reprinted */
        n = split_ws(r->buf, field, TRACE_COLS_MAX);
        if (n != ncol) {
            fail_at(r, r->line, "expected %zu columns as in the dmon header, got %zu",
                    ncol, n > TRACE_COLS_MAX ? n - 1 : n);
            return 0;
        }
        if (!gpu_field(r, field[gpu], &row.gpu)
            || !plain_watts(r, field[pwr], "-", "250", &row.w)
            || !rows_add(rs, r, &row))
            return 0;
    }
    return k == 0;
}

/* dcgmi dmon: line 1 `#Entity POWER ...`, a units line `ID W ...`, rows `GPU 0
 * 250.5 ...` (the entity is two words). Lines starting with '#' or `ID` after
 * the first are headers (dcgmi reprints them every few dozen rows) and skipped.
 * POWINST (field 157) is preferred over POWER (155). */
static int read_dcgmi(struct reader *r, struct rows *rs)
{
    char *field[TRACE_COLS_MAX + 1];
    size_t i, n, ncol;
    int avg = -1, inst = -1, pw, k;

    n = r->buf[0] == '#' ? split_ws(r->buf + 1, field, TRACE_COLS_MAX) : 0;
    if (n == 0 || n > TRACE_COLS_MAX || strcmp(field[0], "Entity") != 0) {
        fail_at(r, r->line, "expected the dcgmi header `#Entity POWER ...` (from dcgmi "
                "dmon -e 155); this line is not one (is the file a dcgmi log?)");
        return 0;
    }
    ncol = n;
    for (i = 1; i < n; i++) {
        if (strcmp(field[i], "POWINST") == 0 && inst < 0)
            inst = (int)i;
        else if (strcmp(field[i], "POWER") == 0 && avg < 0)
            avg = (int)i;
    }
    pw = inst >= 0 ? inst : avg;
    if (pw < 0) {
        fail_at(r, r->line, "expected a POWER (-e 155) or POWINST (-e 157) column in "
                "the dcgmi header; this line has neither");
        return 0;
    }
    r->instant = inst >= 0;
    while ((k = next_data_line(r)) == 1) {
        struct row row = { r->line, -1, 0.0, 0.0, 0 };
        const char *first = skip_space(r->buf);

        if (*first == '#' || (strncmp(first, "ID", 2) == 0 && is_space(first[2])))
            continue;    /* the units line, or the header reprinted */
        n = split_ws(r->buf, field, TRACE_COLS_MAX + 1);
        if (n != ncol + 1) {
            fail_at(r, r->line, "expected `GPU N` and %zu value(s) as in the dcgmi "
                    "header, got %zu field(s)", ncol - 1, n > TRACE_COLS_MAX + 1 ? n - 1 : n);
            return 0;
        }
        if (strcmp(field[0], "GPU") != 0) {
            fail_at(r, r->line, "expected a GPU row such as `GPU 0 250.5`, got entity "
                    "'%.*s%s' (run dcgmi dmon on GPUs, not MIG instances)",
                    quote_len(field[0]), field[0], quote_more(field[0]));
            return 0;
        }
        if (!gpu_field(r, field[1], &row.gpu)
            || !plain_watts(r, field[pw + 1], "N/A", "250.5", &row.w)
            || !rows_add(rs, r, &row))
            return 0;
    }
    return k == 0;
}

/* ------------------------------------------------------------------------- */
/* Format: wall-meter                                                        */
/* ------------------------------------------------------------------------- */

/* ASCII lower case of S into BUF (size N). */
static void lower(const char *s, char *buf, size_t n)
{
    size_t i;

    for (i = 0; s[i] != '\0' && i + 1 < n; i++)
        buf[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
    buf[i] = '\0';
}

/* 1 if the column name NAME (lower case) is the time. */
static int wall_time_name(const char *name)
{
    return strncmp(name, "time", 4) == 0 || strncmp(name, "date", 4) == 0
           || strcmp(name, "t") == 0 || strncmp(name, "t [", 3) == 0
           || strncmp(name, "t_", 2) == 0 || strncmp(name, "t (", 3) == 0;
}

/* 1 if the column name NAME (lower case) is the power in watts, not energy. */
static int wall_watts_name(const char *name)
{
    if (strstr(name, "wh") != NULL || strstr(name, "hour") != NULL
        || strstr(name, "kw") != NULL || strstr(name, "factor") != NULL
        || strstr(name, "apparent") != NULL || strstr(name, "reactive") != NULL)
        return 0;
    return strstr(name, "watt") != NULL || strncmp(name, "power", 5) == 0
           || strstr(name, "active power") != NULL || strstr(name, "(w)") != NULL
           || strstr(name, "[w]") != NULL || strcmp(name, "w") == 0 || strcmp(name, "p") == 0;
}

/* A wall-meter time: seconds ("12.5") or a date and time ("2025-01-31 12:00:00.5",
 * '/' or '-' in the date, ' ' or 'T' before the time, an optional 'Z'). KIND
 * gets 1 for seconds, 2 for a date. 1 on success. */
static int wall_time(const char *s, struct stamp *st, int *kind)
{
    char copy[64];
    size_t n = strlen(s), i;
    double v;
    const char *p = s;

    if (read_number(&p, &v) && *skip_space(p) == '\0' && isfinite(v)
        && fabs(v) <= TRACE_MAX_T_S) {
        st->sec = (long long)floor(v);
        st->frac = v - floor(v);
        *kind = 1;
        return 1;
    }
    if (n < 19 || n >= sizeof copy)
        return 0;
    memcpy(copy, s, n + 1);
    if (copy[n - 1] == 'Z')
        copy[--n] = '\0';
    if (copy[4] == '-' && copy[7] == '-')
        copy[4] = copy[7] = '/';
    if (copy[10] == 'T')
        copy[10] = ' ';
    for (i = 0; i < n; i++)
        if (copy[i] == ',')
            return 0;
    *kind = 2;
    return parse_stamp(copy, st);
}

/* A wall-meter log: a header naming a time and a watts column, separated by
 * commas (else semicolons, else tabs), then rows. Empty, "N/A", "NaN", "-" are
 * missing values (gaps); the header again is a joined log (a gap). */
static int read_wall(struct reader *r, struct rows *rs)
{
    char copy[TRACE_LINE_MAX + 1], header[TRACE_LINE_MAX + 1], name[64];
    char *field[TRACE_COLS_MAX];
    char sep = strchr(r->buf, ',') ? ',' : strchr(r->buf, ';') ? ';'
               : strchr(r->buf, '\t') ? '\t' : '\0';
    size_t i, n, ncol;
    int tcol = -1, wcol = -1, k, kind0 = 0, have_t0 = 0;
    struct stamp st, st0 = { 0, 0.0 };

    if (sep == '\0') {
        fail_at(r, r->line, "expected a wall-meter header such as `time,watts` (comma, "
                "semicolon or tab separated); this line has no separator (is the file "
                "a meter's CSV?)");
        return 0;
    }
    memcpy(header, r->buf, r->len + 1);
    memcpy(copy, r->buf, r->len + 1);
    for (i = 0; copy[i] != '\0'; i++)
        if (copy[i] == sep)
            copy[i] = ',';
    ncol = split(copy, field, TRACE_COLS_MAX);
    for (i = 0; i < ncol && i < TRACE_COLS_MAX; i++) {
        const char *f = field[i];

        if (*f == '"' && strlen(f) >= 2)
            f++;        /* "Power (W)" quoted */
        lower(f, name, sizeof name);
        if (tcol < 0 && wall_time_name(name))
            tcol = (int)i;
        else if (wcol < 0 && wall_watts_name(name))
            wcol = (int)i;
    }
    if (ncol > TRACE_COLS_MAX || tcol < 0 || wcol < 0) {
        fail_at(r, r->line, "expected a wall-meter header with a time column (`time`, "
                "`timestamp`, `date`) and a watts column (`watts`, `power`, `W`); this "
                "line has %s", ncol > TRACE_COLS_MAX ? "too many columns"
                : tcol < 0 && wcol < 0 ? "neither" : tcol < 0 ? "no time column"
                : "no watts column");
        return 0;
    }
    r->instant = -1;
    while ((k = next_data_line(r)) == 1) {
        struct row row = { r->line, -1, 0.0, 0.0, 0 };
        const char *w;
        int kind;

        if (strcmp(trim(r->buf), trim(header)) == 0) {
            if (!add_header_row(r, rs))
                return 0;
            continue;
        }
        for (i = 0; r->buf[i] != '\0'; i++)
            if (r->buf[i] == sep)
                r->buf[i] = ',';
        n = split(r->buf, field, TRACE_COLS_MAX);
        if (n != ncol) {
            fail_at(r, r->line, "expected %zu fields as in the header, got %zu", ncol,
                    n > TRACE_COLS_MAX ? n - 1 : n);
            return 0;
        }
        if (!wall_time(field[tcol], &st, &kind) || (kind0 != 0 && kind != kind0)) {
            fail_at(r, r->line, "expected a time in seconds or `2025-01-31 12:00:00`%s, "
                    "got '%.*s%s'", kind0 == 0 ? "" : kind0 == 1 ? " (seconds, as the "
                    "first row)" : " (a date, as the first row)", quote_len(field[tcol]),
                    field[tcol], quote_more(field[tcol]));
            return 0;
        }
        kind0 = kind;
        w = field[wcol];
        if (*w == '\0' || strcmp(w, "-") == 0 || strcmp(w, "NaN") == 0
            || strcmp(w, "nan") == 0 || no_value(w)) {
            row.w = NAN;
        } else if (!plain_watts(r, w, "N/A", "412.5", &row.w)) {
            return 0;
        }
        if (!have_t0) {
            st0 = st;
            have_t0 = 1;
        }
        row.t_s = (double)(st.sec - st0.sec) + (st.frac - st0.frac);
        if (!rows_add(rs, r, &row))
            return 0;
    }
    return k == 0;
}

/* ------------------------------------------------------------------------- */
/* Rounds: from rows to samples, gaps bridged                                */
/* ------------------------------------------------------------------------- */

/* The first round's GPUs, in file order, and how rounds are found. */
struct layout {
    int mode;                  /* ONE_SERIES, BY_TIME, BY_INDEX */
    size_t g;                  /* GPUs per round */
    long gid[TRACE_GPUS_MAX];  /* BY_INDEX: the first round's indices in order */
};

enum { ONE_SERIES, BY_TIME, BY_INDEX };

/* Position of GPU index GPU in the first round, or -1. */
static long gpu_pos(const struct layout *lo, long gpu)
{
    size_t k;

    for (k = 0; k < lo->g; k++)
        if (lo->gid[k] == gpu)
            return (long)k;
    return -1;
}

/* The end (one past) of the round that starts at row I, a sample row: ONE_SERIES
 * one row; BY_TIME the rows sharing its time; BY_INDEX the rows whose GPUs come
 * in the first round's order. A header row ends a round. FIRST: the first round
 * (its GPUs are not known yet: up to a repeated index). */
static size_t round_end(const struct rows *rs, size_t i, const struct layout *lo, int first)
{
    size_t j;

    if (lo->mode == ONE_SERIES)
        return i + 1;
    for (j = i + 1; j < rs->n && !rs->v[j].hdr; j++) {
        if (lo->mode == BY_TIME) {
            if (rs->v[j].t_s != rs->v[i].t_s)
                break;
        } else if (first) {
            size_t k;

            for (k = i; k < j && rs->v[k].gpu != rs->v[j].gpu; k++)
                ;
            if (k < j)
                break;
        } else {
            long pj = gpu_pos(lo, rs->v[j].gpu), pp = gpu_pos(lo, rs->v[j - 1].gpu);

            if (pj < 0 || pj <= pp)
                break;   /* an unknown GPU starts a round: round_check() says so */
        }
    }
    return j;
}

/* The GPU indices of the first round, "0, 1" (for messages). */
static void list_gpus(const struct layout *lo, char *buf, size_t n)
{
    size_t i, k = 0;

    buf[0] = '\0';
    for (i = 0; i < lo->g && k < n; i++) {
        int m = snprintf(buf + k, n - k, "%s%ld", i ? ", " : "", lo->gid[i]);

        if (m < 0)
            return;
        k += (size_t)m;
    }
}

/* The row of column G (position in the first round) in the round [A, B), or
 * NULL when the round has none. */
static const struct row *cell(const struct rows *rs, const struct layout *lo, size_t a,
                              size_t b, size_t g)
{
    size_t j;

    if (lo->mode == ONE_SERIES || lo->mode == BY_TIME)
        return a + g < b ? &rs->v[a + g] : NULL;
    for (j = a; j < b; j++)
        if (rs->v[j].gpu == lo->gid[g])
            return &rs->v[j];
    return NULL;
}

/* Work space of build(): per round its first row and whether a repeated header
 * came before it (allocated once for the file's rows, freed by build()). */
struct rounds {
    size_t n;
    size_t *start;      /* first row */
    long *hdr_line;     /* line of a repeated header just before it, 0: none */
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* Keeps the longest gap, S seconds from LINE; of equal ones (within 1 ns) the
 * first in the file. */
static void note_longest(trace *tr, double s, long line)
{
    struct trace_gaps *g = &tr->gaps;

    if (g->longest_line == 0 || s > g->longest_s + 1e-9
        || (s > g->longest_s - 1e-9 && line < g->longest_line)) {
        g->longest_s = s;
        g->longest_line = line;
    }
}

/* A gap of column G's series: rounds [A, B) missing (B = n at the end), the
 * previous good round P (SIZE_MAX at the start). Fills p_w (sum or set), counts
 * it, refuses it when longer than the limit. 1 on success. */
static int bridge(const struct reader *r, const struct rows *rs, const struct layout *lo,
                  const struct rounds *rd, const struct trace_opts *o, trace *tr, size_t g,
                  size_t p, size_t a, size_t b, double vp, double vb, int sum)
{
    size_t k, len = b - a;
    const struct row *c0 = cell(rs, lo, rd->start[a],
                                a + 1 < rd->n ? rd->start[a + 1] : rs->n, g);
    long line = c0 != NULL ? c0->line : rs->v[rd->start[a]].line;
    double t0 = p != (size_t)-1 ? tr->t_s[p] : tr->t_s[a];
    double t1 = b < rd->n ? tr->t_s[b] : tr->t_s[rd->n - 1];
    char who[48];

    if (lo->mode == ONE_SERIES)
        snprintf(who, sizeof who, "the log");
    else if (lo->mode == BY_INDEX)
        snprintf(who, sizeof who, "GPU %ld", lo->gid[g]);
    else
        snprintf(who, sizeof who, "GPU %zu (row %zu of a round)", g, g + 1);
    if ((long long)len > (long long)o->max_gap) {
        fail_at(r, line, "%s has no power value in %zu sample(s) in a row from this line "
                "(%s, %.3f s to bridge); expected gaps of at most max_gap = %d sample(s) "
                "([trace] max_gap): a longer one is not bridged", who, len,
                c0 != NULL ? "the value is missing" : "its row is missing", t1 - t0,
                o->max_gap);
        return 0;
    }
    for (k = a; k < b; k++) {
        double v;

        if (p == (size_t)-1)
            v = vb;                                  /* at the start: the first value */
        else if (b == rd->n)
            v = vp;                                  /* at the end: the last value */
        else
            v = vp + (vb - vp) * ((tr->t_s[k] - tr->t_s[p]) / (tr->t_s[b] - tr->t_s[p]));
        tr->p_w[k] = sum ? tr->p_w[k] + v : v;
    }
    tr->gaps.gaps++;
    tr->gaps.samples += len;
    note_longest(tr, t1 - t0, line);
    return 1;
}

/* Turns the rows into the samples of TR (arrays allocated for RS->n samples).
 * 1 on success. */
static int build(const struct reader *r, const struct rows *rs, enum trace_format fmt,
                 const struct trace_opts *o, trace *tr)
{
    struct layout lo;
    struct rounds rd = { 0, NULL, NULL };
    size_t i, j, f0, pick = 0, g, k;
    long pending_hdr = 0;
    int ok = 0, sum = o->gpu_index < 0, timed = fmt != TRACE_DMON && fmt != TRACE_DCGMI;
    double nominal;

    memset(&lo, 0, sizeof lo);
    for (f0 = 0; f0 < rs->n && rs->v[f0].hdr; f0++)
        ;
    if (f0 == rs->n)
        return 1;                     /* too few samples: the caller says so */
    lo.mode = fmt == TRACE_CSV || fmt == TRACE_WALL_METER ? ONE_SERIES
              : rs->v[f0].gpu >= 0 ? BY_INDEX : BY_TIME;
    j = round_end(rs, f0, &lo, 1);
    lo.g = j - f0;
    if (lo.g > TRACE_GPUS_MAX) {
        fail_at(r, rs->v[f0].line, "the first sampling round has %zu GPU rows; expected "
                "at most %d", lo.g, TRACE_GPUS_MAX);
        return 0;
    }
    for (k = 0; k < lo.g; k++)
        lo.gid[k] = rs->v[f0 + k].gpu;
    tr->gpus = sum ? lo.g : 1;
    if (o->gpu_index >= 0) {
        if (lo.mode != BY_INDEX && (size_t)o->gpu_index >= lo.g) {
            fail_at(r, rs->v[f0].line, "GPU index %d is out of range: the log has %zu "
                    "GPU(s) per round (0 to %zu)", o->gpu_index, lo.g, lo.g - 1);
            return 0;
        }
        if (lo.mode == BY_INDEX) {
            long pp = gpu_pos(&lo, o->gpu_index);

            if (pp < 0) {
                char have[128];

                list_gpus(&lo, have, sizeof have);
                fail_at(r, rs->v[f0].line, "GPU index %d is not in the log (its index "
                        "column has %s)", o->gpu_index, have);
                return 0;
            }
            pick = (size_t)pp;
        } else {
            pick = (size_t)o->gpu_index;
        }
    }
    rd.start = malloc(rs->n * sizeof *rd.start);
    rd.hdr_line = malloc(rs->n * sizeof *rd.hdr_line);
    if (rd.start == NULL || rd.hdr_line == NULL) {
        fail_at(r, r->line, "out of memory");
        goto out;
    }
    /* pass 1: the rounds and their times */
    for (i = f0; i < rs->n; i = j) {
        const struct row *v = &rs->v[i];

        if (v->hdr) {
            if (pending_hdr == 0)
                pending_hdr = v->line;
            j = i + 1;
            continue;
        }
        j = round_end(rs, i, &lo, 0);
        if (lo.mode == BY_TIME && i > f0) {
            size_t q = i - 1;

            while (rs->v[q].hdr)
                q--;
            if (v->t_s < rs->v[q].t_s) {
                /* report a step back in time before any miscount it causes */
                fail_at(r, v->line, "timestamp %.6f s (from the first row) is before "
                        "the previous row's %.6f s; expected increasing times",
                        v->t_s, rs->v[q].t_s);
                goto out;
            }
        }
        if (j - i > lo.g) {
            fail_at(r, v->line, "this sampling round has %zu GPU row(s), expected at "
                    "most %zu as in the first round (rows sharing a timestamp)", j - i,
                    lo.g);
            goto out;
        }
        if (lo.mode == BY_INDEX && gpu_pos(&lo, v->gpu) < 0) {
            fail_at(r, v->line, "GPU index %ld is not in the first round; expected the "
                    "same GPUs in every round", v->gpu);
            goto out;
        }
        {
            const struct row *c = sum ? NULL : cell(rs, &lo, i, j, pick);
            double t = !timed ? (double)rd.n * o->interval_s : c != NULL ? c->t_s : v->t_s;
            long line = c != NULL ? c->line : v->line;

            if (rd.n > 0 && !(t > tr->t_s[rd.n - 1])) {
                fail_at(r, line, "time %.6f s (from the first sample) is not after the "
                        "previous sample's %.6f s; expected strictly increasing times",
                        t, tr->t_s[rd.n - 1]);
                goto out;
            }
            tr->t_s[rd.n] = t;
            tr->p_w[rd.n] = 0.0;
        }
        rd.start[rd.n] = i;
        rd.hdr_line[rd.n] = rd.n > 0 ? pending_hdr : 0;
        pending_hdr = 0;
        rd.n++;
    }
    tr->n = rd.n;
    if (rd.n < 2) {
        ok = 1;                       /* too few samples: the caller says so */
        goto out;
    }
    /* the sampling interval: the median step between rounds of one log */
    if (!timed) {
        nominal = o->interval_s;
    } else {
        double *d = malloc(rd.n * sizeof *d);
        size_t m = 0;

        if (d == NULL) {
            fail_at(r, r->line, "out of memory");
            goto out;
        }
        for (k = 1; k < rd.n; k++)
            if (rd.hdr_line[k] == 0)
                d[m++] = tr->t_s[k] - tr->t_s[k - 1];
        if (m == 0)
            d[m++] = tr->t_s[1] - tr->t_s[0];
        qsort(d, m, sizeof *d, cmp_double);
        nominal = d[m / 2];
        free(d);
    }
    /* repeated headers: the samples the time step between the two logs skips */
    for (k = 1; k < rd.n; k++) {
        double dt = tr->t_s[k] - tr->t_s[k - 1], miss;

        if (rd.hdr_line[k] == 0)
            continue;
        miss = floor(dt / nominal + 0.5) - 1;
        if (miss < 0)
            miss = 0;
        if (miss > (double)o->max_gap) {
            fail_at(r, rd.hdr_line[k], "the header again (logs joined?) and the time "
                    "jumps %.3f s from the sample before: about %.0f sample(s) missing at "
                    "the log's %.3g s interval; expected gaps of at most max_gap = %d "
                    "sample(s) ([trace] max_gap): a longer one is not bridged", dt, miss,
                    nominal, o->max_gap);
            goto out;
        }
        tr->gaps.gaps++;
        tr->gaps.samples += (size_t)miss;
        note_longest(tr, dt, rd.hdr_line[k]);
    }
    /* pass 2: each GPU's series, its gaps bridged */
    for (g = sum ? 0 : pick; g < (sum ? lo.g : pick + 1); g++) {
        size_t prev = (size_t)-1, gap_at = (size_t)-1;
        double vp = 0;

        for (k = 0; k < rd.n; k++) {
            size_t b = k + 1 < rd.n ? rd.start[k + 1] : rs->n;
            const struct row *c = cell(rs, &lo, rd.start[k], b, g);

            if (c == NULL || isnan(c->w)) {
                if (gap_at == (size_t)-1)
                    gap_at = k;
                continue;
            }
            if (gap_at != (size_t)-1
                && !bridge(r, rs, &lo, &rd, o, tr, g, prev, gap_at, k, vp, c->w, sum))
                goto out;
            gap_at = (size_t)-1;
            tr->p_w[k] = sum ? tr->p_w[k] + c->w : c->w;
            prev = k;
            vp = c->w;
        }
        if (prev == (size_t)-1) {
            fail_at(r, rs->v[f0].line, "GPU %ld has no power value anywhere in the log; "
                    "expected watts in at least one row", lo.mode == BY_INDEX ? lo.gid[g]
                    : (long)g);
            goto out;
        }
        if (gap_at != (size_t)-1
            && !bridge(r, rs, &lo, &rd, o, tr, g, prev, gap_at, rd.n, vp, vp, sum))
            goto out;
    }
    ok = 1;
out:
    free(rd.start);
    free(rd.hdr_line);
    return ok;
}

/* ------------------------------------------------------------------------- */
/* Formats                                                                   */
/* ------------------------------------------------------------------------- */

/* One log format: its name and its row reader (called with the header line in
 * the reader's buffer). */
struct trace_format_row {
    enum trace_format id;
    const char *name;
    int (*read)(struct reader *r, struct rows *rs);
};

static const struct trace_format_row formats[] = {
    { TRACE_CSV, "csv", read_csv },
    { TRACE_NVIDIA_SMI, "nvidia-smi", read_smi },
    { TRACE_DMON, "dmon", read_dmon },
    { TRACE_DCGMI, "dcgmi", read_dcgmi },
    { TRACE_WALL_METER, "wall-meter", read_wall },
};

#define FORMAT_COUNT (sizeof formats / sizeof formats[0])

/* Exact, case-sensitive match; -1 for NULL too. */
int trace_format_find(const char *name)
{
    size_t i;

    if (name == NULL)
        return -1;
    for (i = 0; i < FORMAT_COUNT; i++)
        if (strcmp(formats[i].name, name) == 0)
            return (int)formats[i].id;
    return -1;
}

static const struct trace_format_row *format_row(enum trace_format fmt)
{
    size_t i;

    for (i = 0; i < FORMAT_COUNT; i++)
        if (formats[i].id == fmt)
            return &formats[i];
    return NULL;
}

/* ------------------------------------------------------------------------- */
/* Loading                                                                   */
/* ------------------------------------------------------------------------- */

/* Reads the file of R into RS with format F. 1 on success. */
static int read_all(struct reader *r, const struct trace_format_row *f, struct rows *rs)
{
    int k = next_line(r);

    if (k < 0)
        return 0;
    if (k == 0) {
        static const char *const example[] = { "time_s,watts", "timestamp, power.draw [W]",
                                               "# gpu pwr gtemp mtemp", "#Entity POWER",
                                               "time,watts" };

        fail_at(r, 1, "empty file; expected a %s header line such as `%s`", f->name,
                example[f->id]);
        return 0;
    }
    return f->read(r, rs);
}

/* Builds the trace from RS: samples, at least 2, and the mean. NULL with a
 * message. */
static trace *make_trace(const struct reader *r, const struct rows *rs,
                         enum trace_format fmt, const struct trace_opts *o)
{
    trace *tr = calloc(1, sizeof *tr);
    size_t i, n = rs->n > 0 ? rs->n : 1;
    double area = 0;

    if (tr == NULL || (tr->t_s = malloc(n * sizeof *tr->t_s)) == NULL
        || (tr->p_w = malloc(n * sizeof *tr->p_w)) == NULL) {
        fail_at(r, r->line, "out of memory");
        trace_free(tr);
        return NULL;
    }
    tr->instant = r->instant;
    if (!build(r, rs, fmt, o, tr)) {
        trace_free(tr);
        return NULL;
    }
    if (tr->n < 2) {
        fail_at(r, r->line - 1 > 0 ? r->line - 1 : 1, "the file ends with %zu "
                "sample(s); expected at least 2", tr->n);
        trace_free(tr);
        return NULL;
    }
    /* times from the first sample (a chosen GPU's first row may be later) */
    for (i = 1; i < tr->n; i++)
        tr->t_s[i] -= tr->t_s[0];
    tr->t_s[0] = 0.0;
    /* trapezoid: exact for the linear interpolation */
    for (i = 0; i + 1 < tr->n; i++)
        area += 0.5 * (tr->p_w[i] + tr->p_w[i + 1]) * (tr->t_s[i + 1] - tr->t_s[i]);
    tr->mean_w = area / tr->t_s[tr->n - 1];
    return tr;
}

trace *trace_load(const char *path, enum trace_format fmt, int gpu_index, char *err,
                  size_t errlen)
{
    struct trace_opts o = { gpu_index, TRACE_MAX_GAP_DEFAULT, 1.0 };

    return trace_load_opts(path, fmt, &o, err, errlen);
}

trace *trace_load_opts(const char *path, enum trace_format fmt, const struct trace_opts *o,
                       char *err, size_t errlen)
{
    const struct trace_format_row *f = format_row(fmt);
    int gpu_index = o->gpu_index, single = fmt == TRACE_CSV || fmt == TRACE_WALL_METER;
    struct reader r;
    struct rows rs = { NULL, 0, 0 };
    trace *tr = NULL;

    if (path == NULL) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "trace: no file name");
        return NULL;
    }
    if (f == NULL) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "%s: unknown trace format %d; expected csv, "
                     "nvidia-smi, dmon, dcgmi or wall-meter", path, (int)fmt);
        return NULL;
    }
    if (gpu_index < -1 || (single && gpu_index > 0)) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "%s: GPU index %d; expected %s", path, gpu_index,
                     single ? "0 or -1 (a csv or wall-meter trace is one series)"
                            : "-1 (the sum) or an index from 0");
        return NULL;
    }
    if (o->max_gap < 0 || !(o->interval_s > 0 && o->interval_s <= 86400)) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "%s: max_gap %d, interval %g s; expected max_gap >= 0 "
                     "and an interval above 0 s, at most a day", path, o->max_gap,
                     o->interval_s);
        return NULL;
    }
    /* a regular file only: a FIFO or a device would block or never end */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "%s: not a regular file%s", path,
                     S_ISDIR(st.st_mode) ? " (it is a directory)" : "");
        return NULL;
    }
    r.f = fopen(path, "rb");
    if (r.f == NULL) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "%s: cannot open (%s)", path, strerror(errno));
        return NULL;
    }
    r.path = path;
    r.line = 0;
    r.len = 0;
    r.err = err;
    r.errlen = errlen;
    r.instant = -1;
    if (read_all(&r, f, &rs))
        tr = make_trace(&r, &rs, fmt, o);
    fclose(r.f);
    free(rs.v);
    return tr;
}

/* ------------------------------------------------------------------------- */
/* Replay                                                                    */
/* ------------------------------------------------------------------------- */

/* The segment i with x[i] <= u < x[i + 1], searched in [LO, HI) (x[lo] <= u <
 * x[hi] holds on entry). */
static size_t search(const double *x, size_t lo, size_t hi, double u)
{
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;

        if (x[mid] <= u)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

double trace_segment_end(const trace *t, double t_s, int loop)
{
    const double *x = t->t_s;
    size_t n = t->n, lo = 0, hi;
    double u = t_s, base = 0.0;

    if (isnan(u))
        return NAN;
    if (!(u > 0))
        return 0.0;                    /* the first value until the first sample */
    if (u >= x[n - 1]) {
        if (!loop || isinf(u))
            return INFINITY;           /* the last value for ever */
        base = u - fmod(u, x[n - 1]);
        u -= base;
    }
    /* the first sample after u (0 = x[0] < u < x[n - 1]): x[lo] <= u < x[hi] */
    hi = n - 1;
    while (lo + 1 < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x[mid] > u)
            hi = mid;
        else
            lo = mid;
    }
    return base + x[hi];
}

double trace_at(const trace *t, double t_s, int loop, size_t *cursor)
{
    const double *x = t->t_s, *p = t->p_w;
    size_t n = t->n, i = cursor != NULL ? *cursor : 0;
    double u = t_s;

    if (isnan(u))
        return NAN;
    if (!(u > 0))
        return p[0];
    if (u >= x[n - 1]) {
        if (!loop)
            return p[n - 1];
        if (isinf(u))
            return NAN;                /* no phase at infinity */
        u = fmod(u, x[n - 1]);         /* exact, in [0, duration) */
        if (u == 0)
            return p[0];
    }
    /* now 0 < u < x[n - 1]: find x[i] <= u < x[i + 1], O(1) when u grows */
    if (i > n - 2 || u < x[i])
        i = search(x, 0, i < n - 1 ? i + 1 : n - 1, u);
    else if (u >= x[i + 1]) {
        i++;                           /* still i <= n - 2: u < x[n - 1] */
        if (u >= x[i + 1])
            i = search(x, i + 1, n - 1, u);
    }
    if (cursor != NULL)
        *cursor = i;
    return p[i] + (p[i + 1] - p[i]) * ((u - x[i]) / (x[i + 1] - x[i]));
}

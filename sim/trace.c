/* trace.c — a measured power log replayed as a load (include/trace.h).
 *
 * Reading. Both formats are line-based text. A line is at most TRACE_LINE_MAX
 * characters (without its "\n" or "\r\n"); a NUL or another control byte (other
 * than tab) means the file is not text. A UTF-8 byte order mark before the first
 * line is dropped. Blank lines are skipped. Every error names the file and line:
 * "PATH:LINE: what was expected".
 *
 *   csv         line 1 a header (any text with a comma, not a data row), then
 *               `time_s,watts` rows: two numbers, spaces allowed around them.
 *   nvidia-smi  line 1 the header that `--format=csv` writes, e.g.
 *               `timestamp, power.draw [W]` or `timestamp, index, power.draw
 *               [W], temperature.gpu` (columns in any order, others ignored);
 *               rows `2025/01/31 12:00:00.125, 412.50 W` (the ` W` optional).
 *               "[N/A]", "[Not Supported]" and the like in a power column are
 *               errors: the GPU did not report a value.
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
 * is GPU k; with one, a round ends where an index repeats and GPU k is the row
 * whose index is k. Every round must hold the GPUs of the first round. A chosen
 * GPU's sample is at its row's time; the sum of a round (GPU_INDEX -1) is at the
 * time of the round's first row.
 *
 * The trace. Times are kept relative to the first sample and must increase
 * strictly. Between samples the power is linear, so the time-weighted mean is
 * the trapezoid sum  sum 0.5 (p_i + p_i+1)(t_i+1 - t_i) / (t_n-1 - t_0), exact
 * for the interpolated curve.
 *
 * NVML's power.draw is about a 1 s average on Ampere and later (facts.md 3, S):
 * a replayed nvidia-smi log carries none of the millisecond spikes.
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
    TRACE_QUOTE = 48        /* characters of a bad field quoted in a message */
};

/* ------------------------------------------------------------------------- */
/* The trace                                                                 */
/* ------------------------------------------------------------------------- */

struct trace {
    size_t n;        /* samples, >= 2 */
    double *t_s;     /* n times from the first sample, strictly increasing, s (owned) */
    double *p_w;     /* n powers, W (owned) */
    double mean_w;   /* time-weighted mean of the interpolated power, W */
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
    double t_s;     /* time from the first row, s */
    double w;       /* power, W */
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
    int power;      /* "power.draw [W]" (any "power.draw..." if that is absent) */
};

/* 1 if NAME is the averaged power.draw column ("power.draw" or "power.draw [W]"). */
static int is_power_draw(const char *name)
{
    return strcmp(name, "power.draw") == 0 || strncmp(name, "power.draw [", 12) == 0;
}

/* Reads the header in R->buf into C. 1 on success. */
static int smi_header(struct reader *r, struct smi_cols *c)
{
    char copy[TRACE_LINE_MAX + 1];
    char *field[TRACE_COLS_MAX];
    size_t i, n;

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
        else if (is_power_draw(field[i]) && c->power < 0)
            c->power = (int)i;
    }
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

/* Parses a power field: "412.50 W" or "412.50". 1 on success, with a message
 * otherwise. */
static int smi_watts(const struct reader *r, const char *s, double *w)
{
    const char *p = s;

    if (*s == '[') {
        fail_at(r, r->line, "power.draw is '%.*s%s': the GPU reported no value; "
                "expected watts such as `412.50 W`", quote_len(s), s, quote_more(s));
        return 0;
    }
    if (read_number(&p, w)) {
        p = skip_space(p);
        if (*p == 'W')
            p++;
        if (*p == '\0')
            return watts_ok(r, *w);
    }
    fail_at(r, r->line, "expected watts such as `412.50 W`, got '%.*s%s'",
            quote_len(s), s, quote_more(s));
    return 0;
}

/* The header was read; reads the rows. 1 on success. */
static int read_smi(struct reader *r, struct rows *rs)
{
    struct smi_cols c;
    struct stamp st, st0 = { 0, 0.0 };
    char *field[TRACE_COLS_MAX];
    int k;

    if (!smi_header(r, &c))
        return 0;
    while ((k = next_data_line(r)) == 1) {
        struct row row;
        size_t n = split(r->buf, field, TRACE_COLS_MAX);

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
        if (rs->n == 0)
            st0 = st;
        row.line = r->line;
        row.t_s = (double)(st.sec - st0.sec) + (st.frac - st0.frac);
        if (!rows_add(rs, r, &row))
            return 0;
    }
    return k == 0;
}

/* ------------------------------------------------------------------------- */
/* Rounds: from rows to samples                                              */
/* ------------------------------------------------------------------------- */

/* Number of rows of the round starting at row I: the run of rows with the same
 * time (no index column), or up to the first repeated index. */
static size_t round_len(const struct rows *rs, size_t i, int by_index)
{
    size_t j, k;

    for (j = i + 1; j < rs->n; j++) {
        if (!by_index) {
            if (rs->v[j].t_s != rs->v[i].t_s)
                break;
            continue;
        }
        for (k = i; k < j; k++)
            if (rs->v[k].gpu == rs->v[j].gpu)
                return j - i;
    }
    return j - i;
}

/* Appends (T, W) from LINE to the samples, which must increase strictly in
 * time. 1 on success. */
static int add_sample(const struct reader *r, trace *tr, long line, double t, double w)
{
    if (tr->n > 0 && !(t > tr->t_s[tr->n - 1])) {
        fail_at(r, line, "time %.6f s (from the first sample) is not after the "
                "previous sample's %.6f s; expected strictly increasing times",
                t, tr->t_s[tr->n - 1]);
        return 0;
    }
    tr->t_s[tr->n] = t;
    tr->p_w[tr->n] = w;
    tr->n++;
    return 1;
}

/* The GPU indices of the first round, "0, 1" (for messages). */
static void list_gpus(const struct rows *rs, size_t len, char *buf, size_t n)
{
    size_t i, k = 0;

    buf[0] = '\0';
    for (i = 0; i < len && k < n; i++) {
        int m = snprintf(buf + k, n - k, "%s%ld", i ? ", " : "", rs->v[i].gpu);

        if (m < 0)
            return;
        k += (size_t)m;
    }
}

/* Turns the rows into the samples of TR (arrays allocated for RS->n samples).
 * GPU_INDEX as trace_load(). 1 on success. */
static int build(const struct reader *r, const struct rows *rs, enum trace_format fmt,
                 int gpu_index, trace *tr)
{
    size_t i, len, first_len, pick = 0;
    int by_index;

    if (fmt == TRACE_CSV) {
        for (i = 0; i < rs->n; i++)
            if (!add_sample(r, tr, rs->v[i].line, rs->v[i].t_s, rs->v[i].w))
                return 0;
        return 1;
    }
    if (rs->n == 0)
        return 1;                     /* too few samples: the caller says so */
    by_index = rs->v[0].gpu >= 0;
    first_len = round_len(rs, 0, by_index);
    if (gpu_index >= 0) {
        if (!by_index && (size_t)gpu_index >= first_len) {
            fail_at(r, rs->v[0].line, "GPU index %d is out of range: the log has %zu "
                    "GPU(s) per round (0 to %zu)", gpu_index, first_len, first_len - 1);
            return 0;
        }
        if (by_index) {
            for (pick = 0; pick < first_len; pick++)
                if (rs->v[pick].gpu == gpu_index)
                    break;
            if (pick == first_len) {
                char have[128];

                list_gpus(rs, first_len, have, sizeof have);
                fail_at(r, rs->v[0].line, "GPU index %d is not in the log (its index "
                        "column has %s)", gpu_index, have);
                return 0;
            }
        } else {
            pick = (size_t)gpu_index;
        }
    }
    for (i = 0; i < rs->n; i += len) {
        const struct row *v = &rs->v[i];
        size_t j, k;

        len = round_len(rs, i, by_index);
        if (!by_index && i > 0 && v[0].t_s < rs->v[i - 1].t_s) {
            /* report a step back in time before any miscount it causes */
            fail_at(r, v[0].line, "timestamp %.6f s (from the first row) is before "
                    "the previous row's %.6f s; expected increasing times",
                    v[0].t_s, rs->v[i - 1].t_s);
            return 0;
        }
        if (len != first_len) {
            fail_at(r, v[0].line, "this sampling round has %zu GPU row(s), expected "
                    "%zu as in the first round (%s)", len, first_len,
                    by_index ? "rows up to a repeated index" : "rows sharing a "
                    "timestamp");
            return 0;
        }
        for (j = 0; by_index && j < len; j++) {
            for (k = 0; k < first_len && rs->v[k].gpu != v[j].gpu; k++)
                ;
            if (k == first_len) {
                fail_at(r, v[j].line, "GPU index %ld is not in the first round; "
                        "expected the same GPUs in every round", v[j].gpu);
                return 0;
            }
        }
        if (gpu_index < 0) {
            double sum = 0;

            for (j = 0; j < len; j++)
                sum += v[j].w;
            if (!add_sample(r, tr, v[0].line, v[0].t_s, sum))
                return 0;
            continue;
        }
        for (j = 0; by_index && v[j].gpu != rs->v[pick].gpu; j++)
            ;
        if (!by_index)
            j = pick;
        if (!add_sample(r, tr, v[j].line, v[j].t_s, v[j].w))
            return 0;
    }
    return 1;
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
        fail_at(r, 1, "empty file; expected a %s header line such as `%s`", f->name,
                f->id == TRACE_CSV ? "time_s,watts" : "timestamp, power.draw [W]");
        return 0;
    }
    return f->read(r, rs);
}

/* Builds the trace from RS: samples, at least 2, and the mean. NULL with a
 * message. */
static trace *make_trace(const struct reader *r, const struct rows *rs,
                         enum trace_format fmt, int gpu_index)
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
    if (!build(r, rs, fmt, gpu_index, tr)) {
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
    const struct trace_format_row *f = format_row(fmt);
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
            snprintf(err, errlen, "%s: unknown trace format %d; expected csv or "
                     "nvidia-smi", path, (int)fmt);
        return NULL;
    }
    if (gpu_index < -1 || (fmt == TRACE_CSV && gpu_index > 0)) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "%s: GPU index %d; expected %s", path, gpu_index,
                     fmt == TRACE_CSV ? "0 or -1 (a csv trace is one series)"
                                      : "-1 (the sum) or an index from 0");
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
    if (read_all(&r, f, &rs))
        tr = make_trace(&r, &rs, fmt, gpu_index);
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

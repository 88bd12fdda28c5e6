/* test_plot.c — gnuplot through a pipe: quoting, hostile text, the five
 * scripts in plots/, and the failure paths (no gnuplot, a broken script, a
 * missing script).
 *
 * Runs from the top of the source tree (the scripts are read from plots/).
 * The tests that need gnuplot are skipped, with a message, when it is not on
 * PATH; the rest run everywhere.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plot.h"

/* ------------------------------------------------------------------------- */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------- */

#define SCRIPTS "plots"
#define PWNED   "/tmp/pwned_psusim"
#define HOSTILE "x' ; system('touch /tmp/pwned_psusim') ; print '"

/* A temporary folder (and, for the no-gnuplot test, the PATH to restore). */
struct fixture {
    char dir[64];        /* mkdtemp folder */
    char *saved_path;    /* PATH before the test (owned), NULL if it was unset */
    int path_saved;      /* 1 if saved_path holds the PATH to restore */
};

static int setup_dir(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);

    if (f == NULL)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/psusim_test_plot.XXXXXX");
    if (mkdtemp(f->dir) == NULL) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

/* Removes every file in F->dir, then the folder; restores PATH if saved. */
static int teardown_dir(void **state)
{
    struct fixture *f = *state;
    struct dirent *e;
    DIR *d;

    if (f->path_saved) {
        if (f->saved_path != NULL)
            setenv("PATH", f->saved_path, 1);
        else
            unsetenv("PATH");
        free(f->saved_path);
    }
    d = opendir(f->dir);
    if (d != NULL) {
        while ((e = readdir(d)) != NULL) {
            char path[512];

            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", f->dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

/* Skips the calling test when gnuplot is not on PATH. */
static void need_gnuplot(void)
{
    if (!plot_have_gnuplot()) {
        print_message("gnuplot is not on PATH: test skipped\n");
        skip();
    }
}

/* Number of entries in DIR (without . and ..); *HIDDEN counts those whose name
 * starts with a dot (a temporary file left behind). */
static int count_files(const char *dir, int *hidden)
{
    struct dirent *e;
    int n = 0;
    DIR *d = opendir(dir);

    assert_non_null(d);
    *hidden = 0;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        n++;
        if (e->d_name[0] == '.')
            (*hidden)++;
    }
    closedir(d);
    return n;
}

static int exists(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0;
}

/* Writes TEXT to DIR/NAME. */
static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    FILE *fp;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    fp = fopen(path, "w");
    assert_non_null(fp);
    assert_int_equal(fputs(text, fp) >= 0, 1);
    assert_int_equal(fclose(fp), 0);
}

/* Reads the whole of FP (rewound) into a new string; the caller frees it. */
static char *slurp(FILE *fp)
{
    size_t cap = 4096, len = 0, r;
    char *s = malloc(cap);

    assert_non_null(s);
    rewind(fp);
    while ((r = fread(s + len, 1, cap - len - 1, fp)) > 0) {
        len += r;
        if (cap - len < 2) {
            char *t = realloc(s, 2 * cap);

            assert_non_null(t);
            s = t;
            cap *= 2;
        }
    }
    s[len] = '\0';
    return s;
}

/* 1 if PATH starts with the bytes MAGIC. */
static int file_starts_with(const char *path, const char *magic)
{
    char head[16] = "";
    size_t n = strlen(magic);
    FILE *fp = fopen(path, "rb");

    if (fp == NULL)
        return 0;
    n = fread(head, 1, n, fp);
    fclose(fp);
    return n == strlen(magic) && memcmp(head, magic, n) == 0;
}

/* Sets the variables and datablocks script NAME expects, with tiny valid data
 * and TITLE as the title. */
static void fill(plot *p, const char *name, const char *title)
{
    FILE *b;

    plot_set_str(p, "title", title);
    plot_set_str(p, "heading", "what the plot shows");
    plot_set_num(p, "tscale", 1);
    plot_set_str(p, "tunit", "s");
    if (strcmp(name, "power") == 0) {
        /* two PSUs: DC min, mean, max of each, then AC mean, min, max */
        plot_set_num(p, "npsus", 2);
        plot_set_str(p, "names", "main second");
        plot_set_str(p, "ratings", "1000 850");
        b = plot_block(p, "POWER");
        assert_non_null(b);
        fputs("0.5 300 450 700 200 400 600 900 800 1000\n"
              "1.5 320 470 760 210 420 620 940 820 1050\n"
              "2.5 310 460 720 205 410 610 920 810 1020\n", b);
    } else if (strcmp(name, "circuit") == 0) {
        plot_set_str(p, "name", "wall");
        plot_set_num(p, "rating", 15);
        plot_set_num(p, "cont_limit", 12);
        plot_set_num(p, "trip_time", 2.2);
        plot_set_str(p, "curve", "UL 489 (fast edge)");
        b = plot_block(p, "CUR");
        assert_non_null(b);
        fputs("0.5 13 12 16 0.5\n1.5 14 13 18 0.8\n2.5 15 14 19 1.01\n", b);
    } else if (strcmp(name, "tripcurve") == 0) {
        plot_set_str(p, "name", "wall");
        plot_set_num(p, "rating", 15);
        plot_set_str(p, "curve", "UL 489");
        b = plot_block(p, "BAND");
        assert_non_null(b);
        fputs("1.1 300 nan nan\n2 20 60 107\n10 0.0083 2 4\n30 0.0083 0.0083 0.0083\n", b);
        b = plot_block(p, "ENV");
        assert_non_null(b);
        fputs("5e-05 2.5\n0.01 1.5\n10 0.9\n", b);
    } else if (strcmp(name, "efficiency") == 0) {
        plot_set_str(p, "name", "main");
        plot_set_num(p, "voltage", 120);
        plot_set_num(p, "rating", 1000);
        b = plot_block(p, "EFF");
        assert_non_null(b);
        fputs("1 70\n50 94\n120 91\n", b);
        b = plot_block(p, "HIST");
        assert_non_null(b);
        fputs("2.5 10\n47.5 80\n52.5 10\n", b);
    } else if (strcmp(name, "excursion") == 0) {
        plot_set_str(p, "name", "main");
        plot_set_str(p, "atx", "ATX 3.1");
        plot_set_num(p, "rating", 1000);
        b = plot_block(p, "ENV");
        assert_non_null(b);
        fputs("0.0001 200\n0.001 180\n1 100\n", b);
        b = plot_block(p, "RUN");
        assert_non_null(b);
        fputs("0.0001 150\n0.001 120\n1 80\n", b);
    } else if (strcmp(name, "upsload") == 0) {
        plot_set_str(p, "name", "u");
        plot_set_str(p, "rating", "1500 VA / 1000 W line-interactive");
        plot_set_num(p, "peak", 183);
        plot_set_num(p, "mean", 147);
        plot_set_num(p, "shutdown", 0.72);
        plot_set_str(p, "why", "overload");
        b = plot_block(p, "CURVE");
        assert_non_null(b);
        fputs("105 60\n130 3\n150 0.5\n", b);
        b = plot_block(p, "RUN");
        assert_non_null(b);
        fputs("105 0.32\n130 0.3\n150 0\n", b);
    } else if (strcmp(name, "sweep") == 0) {
        /* a 2 x 2 map: FAIL at (1, 0) only, its boundary two cell edges */
        plot_set_str(p, "key1", "gpu.g.power_limit");
        plot_set_str(p, "unit1", "W");
        plot_set_num(p, "two", 1);
        plot_set_str(p, "key2", "circuit.wall.breaker");
        plot_set_str(p, "unit2", "A");
        plot_set_num(p, "n1", 2);
        plot_set_num(p, "n2", 2);
        plot_set_str(p, "values1", "400 575");
        plot_set_str(p, "values2", "15 20");
        b = plot_block(p, "SWEEP");
        assert_non_null(b);
        fputs("0 0 95 1\n1 0 125 2\n0 1 70 0\n1 1 94 1\n", b);
        b = plot_block(p, "EDGE");
        assert_non_null(b);
        fputs("0.5 -0.5\n0.5 0.5\n\n0.5 0.5\n1.5 0.5\n\n", b);
    } else if (strcmp(name, "panel") == 0) {
        plot_set_str(p, "name", "cee");
        plot_set_str(p, "system", "three-phase, 230 V line to neutral");
        plot_set_str(p, "curve", "IEC 60898-1 type B (fast edge)");
        plot_set_num(p, "lines", 3);
        plot_set_num(p, "neutral", 1);
        plot_set_num(p, "rating", 16);
        plot_set_num(p, "cont_limit", 16);
        plot_set_num(p, "neutral_rating", 16);
        plot_set_num(p, "trip_time", 2.2);
        plot_set_num(p, "trip_line", 1);
        b = plot_block(p, "CUR");
        assert_non_null(b);
        fputs("0.5 21 20 46 6.5 6 7 0 0 0 19 18 21\n"
              "1.5 21 20 22 6.5 6 7 0 0 0 19 18 21\n"
              "2.5 0 0 0 6.5 6 7 0 0 0 6.5 6 7\n", b);
    } else {
        fail_msg("no data for script %s", name);
    }
}

static plot *begin_ok(const char *dir, const char *name)
{
    char err[256] = "";
    plot *p = plot_begin(dir, name, err, sizeof err);

    if (p == NULL)
        fail_msg("plot_begin(%s, %s): %s", dir, name, err);
    return p;
}

/* ------------------------------------------------------------------------- */
/* plot_quote                                                                */
/* ------------------------------------------------------------------------- */

static void quote_plain(void **state)
{
    char buf[64];

    (void)state;
    assert_ptr_equal(plot_quote("abc", buf, sizeof buf), buf);
    assert_string_equal(buf, "'abc'");
    assert_string_equal(plot_quote("", buf, sizeof buf), "''");
    assert_string_equal(plot_quote(NULL, buf, sizeof buf), "''");
}

static void quote_doubles_quotes(void **state)
{
    char buf[64];

    (void)state;
    assert_string_equal(plot_quote("it's", buf, sizeof buf), "'it''s'");
    assert_string_equal(plot_quote("'", buf, sizeof buf), "''''");
    assert_string_equal(plot_quote("''", buf, sizeof buf), "''''''");
    /* double quotes mean nothing inside single quotes */
    assert_string_equal(plot_quote("say \"hi\"", buf, sizeof buf), "'say \"hi\"'");
}

static void quote_backslashes_literal(void **state)
{
    char buf[64];

    (void)state;
    /* gnuplot takes backslashes literally in single quotes: nothing to escape,
     * and a backslash cannot hide the closing quote */
    assert_string_equal(plot_quote("a\\b", buf, sizeof buf), "'a\\b'");
    assert_string_equal(plot_quote("\\", buf, sizeof buf), "'\\'");
    assert_string_equal(plot_quote("\\'", buf, sizeof buf), "'\\'''");
    assert_string_equal(plot_quote("\\n", buf, sizeof buf), "'\\n'");
}

static void quote_control_characters(void **state)
{
    char buf[64];

    (void)state;
    assert_string_equal(plot_quote("a\nb", buf, sizeof buf), "'a b'");
    assert_string_equal(plot_quote("a\r\nb\tc", buf, sizeof buf), "'a  b c'");
    assert_string_equal(plot_quote("\x01x\x1f\x7f", buf, sizeof buf), "' x  '");
    assert_string_equal(plot_quote("x'\n; system('y')", buf, sizeof buf),
                        "'x'' ; system(''y'')'");
}

static void quote_keeps_utf8(void **state)
{
    char buf[64];

    (void)state;
    assert_string_equal(plot_quote("100 \xc2\xb5s \xe2\x80\x94 caf\xc3\xa9", buf, sizeof buf),
                        "'100 \xc2\xb5s \xe2\x80\x94 caf\xc3\xa9'");
}

static void quote_cuts_to_fit(void **state)
{
    char buf[16];

    (void)state;
    /* N = 6: the quotes, 3 bytes and the NUL */
    assert_string_equal(plot_quote("abcdef", buf, 6), "'abc'");
    /* a doubled quote is never split: "ab" fits, "ab''" would not */
    assert_string_equal(plot_quote("ab'cd", buf, 6), "'ab'");
    assert_string_equal(plot_quote("ab'cd", buf, 7), "'ab'''");
    /* a UTF-8 sequence is never split: the mu (2 bytes) does not fit */
    assert_string_equal(plot_quote("a\xc2\xb5", buf, 5), "'a'");
    assert_string_equal(plot_quote("a\xc2\xb5", buf, 6), "'a\xc2\xb5'");
    assert_string_equal(plot_quote("\xe2\x80\x94x", buf, 5), "''");
    /* too small for '' and the NUL: an empty string */
    assert_string_equal(plot_quote("abc", buf, 3), "''");
    assert_string_equal(plot_quote("abc", buf, 2), "");
    assert_string_equal(plot_quote("abc", buf, 1), "");
    /* N = 0: nothing written */
    buf[0] = 'z';
    assert_ptr_equal(plot_quote("abc", buf, 0), buf);
    assert_int_equal(buf[0], 'z');
}

/* At every size the result is one well-formed literal: it starts and ends with
 * a quote, every inner quote is doubled, and it fits. */
static void quote_always_well_formed(void **state)
{
    const char *texts[] = { HOSTILE, "''''''''''", "a'b'c'd'e'f'g", "\xc2\xb5'\xc2\xb5'\n" };
    char buf[80];
    size_t t, n, i;

    (void)state;
    for (t = 0; t < sizeof texts / sizeof texts[0]; t++)
        for (n = 3; n <= sizeof buf; n++) {
            size_t len;

            memset(buf, 'Z', sizeof buf);
            plot_quote(texts[t], buf, n);
            len = strlen(buf);
            assert_true(len < n);
            assert_true(len >= 2);
            assert_int_equal(buf[0], '\'');
            assert_int_equal(buf[len - 1], '\'');
            for (i = 1; i + 1 < len; i++) {
                assert_true((unsigned char)buf[i] >= 32 && buf[i] != 127);
                if (buf[i] == '\'') {
                    assert_true(i + 2 < len && buf[i + 1] == '\'');
                    i++;
                }
            }
        }
}

/* ------------------------------------------------------------------------- */
/* plot_begin and plot_free                                                  */
/* ------------------------------------------------------------------------- */

static void begin_missing_script(void **state)
{
    char err[256] = "";

    (void)state;
    assert_null(plot_begin(SCRIPTS, "no-such-plot", err, sizeof err));
    assert_non_null(strstr(err, "no-such-plot.gp"));
}

static void begin_bad_names(void **state)
{
    const char *bad[] = { "../plots/power", "Power", "power.gp", "", "a b", "x'y" };
    char err[256];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        assert_null(plot_begin(SCRIPTS, bad[i], err, sizeof err));
        assert_true(strlen(err) > 0);
    }
    err[0] = '\0';
    assert_null(plot_begin(SCRIPTS, NULL, err, sizeof err));
    assert_true(strlen(err) > 0);
    err[0] = '\0';
    assert_null(plot_begin(NULL, "power", err, sizeof err));
    assert_true(strlen(err) > 0);
}

static void begin_refuses_big_script(void **state)
{
    struct fixture *f = *state;
    char path[512], err[256] = "";
    FILE *fp;
    int i;

    snprintf(path, sizeof path, "%s/big.gp", f->dir);
    fp = fopen(path, "w");
    assert_non_null(fp);
    for (i = 0; i < (1 << 20) / 8 + 1; i++)   /* 1 MiB + 8 bytes */
        fputs("#  pad\n\n", fp);
    assert_int_equal(fclose(fp), 0);
    assert_null(plot_begin(f->dir, "big", err, sizeof err));
    assert_non_null(strstr(err, "larger"));
}

static void free_null(void **state)
{
    (void)state;
    plot_free(NULL);
}

/* ------------------------------------------------------------------------- */
/* Without gnuplot                                                           */
/* ------------------------------------------------------------------------- */

static void no_gnuplot_returns_1(void **state)
{
    struct fixture *f = *state;
    const char *path = getenv("PATH");
    char out[512], err[256] = "";
    int hidden;
    plot *p;

    f->saved_path = path != NULL ? strdup(path) : NULL;
    f->path_saved = 1;
    p = begin_ok(SCRIPTS, "power");
    fill(p, "power", "no gnuplot");
    assert_int_equal(setenv("PATH", f->dir, 1), 0);
    assert_int_equal(plot_have_gnuplot(), 0);
    snprintf(out, sizeof out, "%s/power.png", f->dir);
    assert_int_equal(plot_finish(p, "png", 1200, 800, out, NULL, err, sizeof err), 1);
    plot_free(p);
    assert_false(exists(out));
    assert_int_equal(count_files(f->dir, &hidden), 0);
}

/* ------------------------------------------------------------------------- */
/* Hostile text                                                              */
/* ------------------------------------------------------------------------- */

static void hostile_title_dumb(void **state)
{
    char err[256] = "";
    FILE *term;
    char *text;
    plot *p;

    (void)state;
    need_gnuplot();
    unlink(PWNED);
    p = begin_ok(SCRIPTS, "power");
    fill(p, "power", HOSTILE);
    plot_set_str(p, "tunit", HOSTILE);   /* every string is quoted, not just the title */
    term = tmpfile();
    assert_non_null(term);
    if (plot_finish(p, "dumb", 0, 0, NULL, term, err, sizeof err) != 0)
        fail_msg("plot_finish: %s", err);
    plot_free(p);
    text = slurp(term);
    fclose(term);
    assert_false(exists(PWNED));
    if (strstr(text, HOSTILE) == NULL)
        fail_msg("the title does not appear literally in:\n%s", text);
    free(text);
}

static void hostile_title_png(void **state)
{
    struct fixture *f = *state;
    char out[512], err[256] = "";
    plot *p;

    need_gnuplot();
    unlink(PWNED);
    p = begin_ok(SCRIPTS, "circuit");
    fill(p, "circuit", HOSTILE);
    plot_set_str(p, "name", HOSTILE);
    plot_set_str(p, "curve", "\\' ; system('touch " PWNED "') ; print '\\");
    snprintf(out, sizeof out, "%s/hostile.png", f->dir);
    if (plot_finish(p, "png", 1200, 800, out, NULL, err, sizeof err) != 0)
        fail_msg("plot_finish: %s", err);
    plot_free(p);
    assert_false(exists(PWNED));
    assert_true(file_starts_with(out, "\x89PNG"));
}

/* A raised stop flag (Ctrl-C) stops gnuplot: plot_finish() and
 * plot_finish_all() return -1 with "interrupted" and leave no picture and no
 * temporary file (issue 15, 2). A flag that stays 0 changes nothing. */
static void stop_flag_stops(void **state)
{
    struct fixture *f = *state;
    char out[512], out2[512], err[256] = "";
    volatile sig_atomic_t stop = 1, quiet = 0;
    int hidden;
    plot *p, *ps[2];
    const char *paths[2];

    need_gnuplot();
    p = begin_ok(SCRIPTS, "circuit");
    fill(p, "circuit", "stopped");
    plot_set_stop_flag(p, &stop);
    snprintf(out, sizeof out, "%s/stopped.png", f->dir);
    assert_int_equal(plot_finish(p, "png", 800, 600, out, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "interrupted"));
    assert_false(exists(out));
    plot_free(p);

    ps[0] = begin_ok(SCRIPTS, "circuit");
    ps[1] = begin_ok(SCRIPTS, "circuit");
    fill(ps[0], "circuit", "a");
    fill(ps[1], "circuit", "b");
    plot_set_stop_flag(ps[1], &stop);
    snprintf(out2, sizeof out2, "%s/stopped2.png", f->dir);
    paths[0] = out;
    paths[1] = out2;
    err[0] = '\0';
    assert_int_equal(plot_finish_all(ps, 2, "png", 800, 600, paths, err, sizeof err), -1);
    assert_non_null(strstr(err, "interrupted"));
    assert_false(exists(out));
    assert_false(exists(out2));
    plot_set_stop_flag(ps[1], &quiet);
    assert_int_equal(plot_finish_all(ps, 2, "png", 800, 600, paths, err, sizeof err), 0);
    assert_true(file_starts_with(out, "\x89PNG"));
    plot_free(ps[0]);
    plot_free(ps[1]);
    count_files(f->dir, &hidden);
    assert_int_equal(hidden, 0);
}

/* A datablock row that would end the block early (and make the next row a
 * command) is refused before gnuplot runs. */
static void hostile_datablock_row(void **state)
{
    struct fixture *f = *state;
    char out[512], err[256] = "";
    int hidden;
    FILE *b;
    plot *p;

    need_gnuplot();
    unlink(PWNED);
    p = begin_ok(SCRIPTS, "efficiency");
    fill(p, "efficiency", "datablock");
    b = plot_block(p, "EXTRA");
    assert_non_null(b);
    fputs("1 2\nEOD\nsystem('touch " PWNED "')\n", b);
    snprintf(out, sizeof out, "%s/eod.png", f->dir);
    assert_int_equal(plot_finish(p, "png", 1200, 800, out, NULL, err, sizeof err), -1);
    plot_free(p);
    assert_non_null(strstr(err, "EOD"));
    assert_false(exists(PWNED));
    assert_int_equal(count_files(f->dir, &hidden), 0);
}

/* ------------------------------------------------------------------------- */
/* Rendering                                                                 */
/* ------------------------------------------------------------------------- */

static void render_every_script(void **state)
{
    static const char *const names[] = { "power", "circuit", "tripcurve", "efficiency",
                                         "excursion", "upsload", "sweep", "panel" };
    struct fixture *f = *state;
    char out[512], err[256];
    int hidden;
    size_t i;

    need_gnuplot();
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        plot *p = begin_ok(SCRIPTS, names[i]);

        fill(p, names[i], "psusim test");
        snprintf(out, sizeof out, "%s/%s.png", f->dir, names[i]);
        err[0] = '\0';
        if (plot_finish(p, "png", 1200, 800, out, NULL, err, sizeof err) != 0)
            fail_msg("%s: %s", names[i], err);
        plot_free(p);
        if (!file_starts_with(out, "\x89PNG"))
            fail_msg("%s: not a PNG", out);
    }
    assert_int_equal(count_files(f->dir, &hidden), (int)(sizeof names / sizeof names[0]));
    assert_int_equal(hidden, 0);
}

/* Reads the file PATH into a new string; the caller frees it. */
static char *slurp_path(const char *path)
{
    FILE *fp = fopen(path, "rb");
    char *text;

    assert_non_null(fp);
    text = slurp(fp);
    fclose(fp);
    return text;
}

/* Renders script NAME (filled by fill(), HEADING its heading) to DIR/NAME.svg,
 * fails unless the SVG holds every string of WANT (N of them), and returns its
 * text (the caller frees it). */
static char *svg_with(const char *dir, const char *name, const char *heading,
                      const char *const *want, size_t n)
{
    char out[512], err[256] = "";
    char *text;
    size_t i;
    plot *p = begin_ok(SCRIPTS, name);

    fill(p, name, "psusim test");
    plot_set_str(p, "heading", heading);
    snprintf(out, sizeof out, "%s/%s.svg", dir, name);
    if (plot_finish(p, "svg", 1200, 800, out, NULL, err, sizeof err) != 0)
        fail_msg("%s: %s", name, err);
    plot_free(p);
    text = slurp_path(out);
    for (i = 0; i < n; i++)
        if (strstr(text, want[i]) == NULL)
            fail_msg("%s.svg lacks \"%s\"", name, want[i]);
    return text;
}

/* The time plots' titles say what they show (issue 19, 3), and power.gp draws
 * each PSU as a band (lowest to highest) with its mean and its rating, as the
 * SVG's legend says. */
static void power_heading_and_band(void **state)
{
    static const char *const want[] = {
        "Power over time: each PSU",            /* the heading, first line */
        "psusim test",                          /* the scenario, second line */
        "psu main DC output, lowest to highest",  /* the band of PSU 1 */
        "psu second DC output, lowest to highest",
        "psu main DC output (mean)",
        "psu main rating 1000 W",               /* each rating, from its word */
        "psu second rating 850 W",
        "AC input from the wall",
    };
    /* the bands are translucent filled polygons in each PSU's colour (the
     * palette's first two), one in the plot and one in the key */
    static const char *const fills[] = { "fill = 'rgb( 31, 119, 180)' fill-opacity",
                                         "fill = 'rgb(255, 127,  14)' fill-opacity" };
    struct fixture *f = *state;
    char *text;

    need_gnuplot();
    text = svg_with(f->dir, "power", "Power over time: each PSU's DC output against its rating",
                    want, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < 2; i++) {
        int n = 0;
        for (const char *q = text; (q = strstr(q, fills[i])) != NULL; q++) n++;
        if (n < 2)
            fail_msg("power.svg: PSU %zu's band drawn %d times, want 2", i + 1, n);
    }
    free(text);
}

/* The two-parameter sweep is a filled map (an image, one cell a point) with
 * the pass/fail boundary drawn in, its tics the values with their units, and
 * each cell labelled with its verdict (issue 19, 3 and 5). */
static void sweep_map_has_boundary(void **state)
{
    static const char *const want[] = {
        "Which combinations pass", "pass/fail boundary", "400 W", "575 W", "15 A", "20 A",
        "FAIL 125 %", "MARGINAL 95 %", "PASS 70 %", "circuit.wall.breaker (A)",
    };
    struct fixture *f = *state;
    char *text;

    need_gnuplot();
    text = svg_with(f->dir, "sweep", "Which combinations pass", want,
                    sizeof want / sizeof want[0]);
    /* the map is an image (gnuplot's svg embeds it), not points */
    if (strstr(text, "<image") == NULL)
        fail_msg("sweep.svg: the map is not a filled image");
    free(text);
}

/* svg, pdf and dumb as well as png, and a plot rendered twice replaces the
 * first picture. */
static void render_formats(void **state)
{
    static const struct { const char *format, *file, *magic; } cases[] = {
        { "png", "p.png", "\x89PNG" },
        { "svg", "p.svg", "<?xml" },
        { "pdf", "p.pdf", "%PDF" },
        { "png", "p.png", "\x89PNG" },   /* again: replaced */
    };
    struct fixture *f = *state;
    char out[512], err[256];
    int hidden;
    size_t i;

    need_gnuplot();
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        plot *p = begin_ok(SCRIPTS, "excursion");

        fill(p, "excursion", "formats");
        snprintf(out, sizeof out, "%s/%s", f->dir, cases[i].file);
        err[0] = '\0';
        if (plot_finish(p, cases[i].format, 800, 600, out, NULL, err, sizeof err) != 0)
            fail_msg("%s: %s", cases[i].format, err);
        plot_free(p);
        if (!file_starts_with(out, cases[i].magic))
            fail_msg("%s: does not start with %s", out, cases[i].magic);
    }
    assert_int_equal(count_files(f->dir, &hidden), 3);
    assert_int_equal(hidden, 0);
}

/* Numbers: %.10g, and NaN / infinities as gnuplot's NaN; UTF-8 text kept. */
static void numbers_and_utf8_reach_gnuplot(void **state)
{
    struct fixture *f = *state;
    char err[256] = "";
    FILE *term;
    char *text;
    plot *p;

    need_gnuplot();
    write_file(f->dir, "vars.gp",
               "set title sprintf('a=%g b=%g c=%g d=%g %s', a, b, c, d, s)\n"
               "unset key\n"
               "plot [0:1] x\n");
    p = begin_ok(f->dir, "vars");
    plot_set_num(p, "a", 1.5);
    plot_set_num(p, "b", NAN);
    plot_set_num(p, "c", INFINITY);
    plot_set_num(p, "d", -2e-7);
    plot_set_str(p, "s", "100 \xc2\xb5s");
    term = tmpfile();
    assert_non_null(term);
    if (plot_finish(p, "dumb", 0, 0, NULL, term, err, sizeof err) != 0)
        fail_msg("plot_finish: %s", err);
    plot_free(p);
    text = slurp(term);
    fclose(term);
    if (strstr(text, "a=1.5 b=nan c=nan d=-2e-07 100 \xc2\xb5s") == NULL)
        fail_msg("variables not as set:\n%s", text);
    free(text);
}

/* ------------------------------------------------------------------------- */
/* Failures                                                                  */
/* ------------------------------------------------------------------------- */

static void broken_script_fails(void **state)
{
    struct fixture *f = *state;
    char out[512], err[256] = "";
    int hidden;
    plot *p;

    need_gnuplot();
    write_file(f->dir, "broken.gp", "set title 'broken'\nplot sin(x\n");
    p = begin_ok(f->dir, "broken");
    snprintf(out, sizeof out, "%s/broken.png", f->dir);
    assert_int_equal(plot_finish(p, "png", 1200, 800, out, NULL, err, sizeof err), -1);
    plot_free(p);
    print_message("broken script: %s\n", err);
    assert_non_null(strstr(err, "gnuplot exited with status"));
    assert_false(exists(out));
    /* only the script itself is left in the folder: no temporary picture */
    assert_int_equal(count_files(f->dir, &hidden), 1);
    assert_int_equal(hidden, 0);
}

static void bad_variable_name_fails(void **state)
{
    struct fixture *f = *state;
    char out[512], err[256] = "";
    int hidden;
    plot *p;

    need_gnuplot();
    p = begin_ok(SCRIPTS, "efficiency");
    fill(p, "efficiency", "bad name");
    plot_set_num(p, "1x", 1);
    plot_set_str(p, "a;system('x')", "y");
    assert_null(plot_block(p, "$X"));
    snprintf(out, sizeof out, "%s/bad.png", f->dir);
    assert_int_equal(plot_finish(p, "png", 1200, 800, out, NULL, err, sizeof err), -1);
    plot_free(p);
    assert_non_null(strstr(err, "bad variable name"));
    assert_int_equal(count_files(f->dir, &hidden), 0);
}

/* 1 if the files A and B hold the same bytes. */
static int same_bytes(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa != NULL && fb != NULL, ca, cb;

    while (same) {
        ca = getc(fa);
        cb = getc(fb);
        if (ca != cb) same = 0;
        if (ca == EOF || cb == EOF) break;
    }
    if (fa) fclose(fa);
    if (fb) fclose(fb);
    return same;
}

/* plot_finish_all(): every plot of a run from one gnuplot process. Each picture
 * is the one its own plot_finish() draws (the same bytes), a variable of one
 * plot does not reach the next (reset session), and a broken plot writes
 * nothing at all: no picture, no temporary file. */
static void finish_all_one_process(void **state)
{
    struct fixture *f = *state;
    const char *names[] = { "efficiency", "tripcurve", "excursion" };
    char one[3][512], all[3][512], err[256] = "";
    plot *ps[3];
    const char *paths[3];
    int hidden;

    need_gnuplot();
    for (int i = 0; i < 3; i++) {
        snprintf(one[i], sizeof one[i], "%s/one-%s.png", f->dir, names[i]);
        snprintf(all[i], sizeof all[i], "%s/all-%s.png", f->dir, names[i]);
        plot *p = begin_ok(SCRIPTS, names[i]);
        fill(p, names[i], "one by one");
        assert_int_equal(plot_finish(p, "png", 800, 600, one[i], NULL, err, sizeof err), 0);
        plot_free(p);
        ps[i] = begin_ok(SCRIPTS, names[i]);
        fill(ps[i], names[i], "one by one");
        paths[i] = all[i];
    }
    assert_int_equal(plot_finish_all(ps, 3, "png", 800, 600, paths, err, sizeof err), 0);
    for (int i = 0; i < 3; i++) {
        if (!same_bytes(one[i], all[i]) || !file_starts_with(all[i], "\x89PNG"))
            fail_msg("%s: the batch's picture differs from its own run's", names[i]);
        plot_free(ps[i]);
    }
    assert_int_equal(count_files(f->dir, &hidden), 6);
    assert_int_equal(hidden, 0);

    /* a variable set for the first plot is unknown to the second */
    write_file(f->dir, "sets.gp", "plot x title leak\n");
    write_file(f->dir, "uses.gp", "plot x title leak\n");
    plot *a = begin_ok(f->dir, "sets"), *b = begin_ok(f->dir, "uses");
    plot_set_str(a, "leak", "from the first plot");
    char pa[512], pb[512];
    snprintf(pa, sizeof pa, "%s/sets.png", f->dir);
    snprintf(pb, sizeof pb, "%s/uses.png", f->dir);
    plot *ab[2] = { a, b };
    const char *pab[2] = { pa, pb };
    assert_int_equal(plot_finish_all(ab, 2, "png", 800, 600, pab, err, sizeof err), -1);
    print_message("second plot without the first's variable: %s\n", err);
    assert_false(exists(pa));
    assert_false(exists(pb));
    plot_free(a);
    plot_free(b);
    /* the 6 pictures and the 2 scripts: nothing else, nothing hidden */
    assert_int_equal(count_files(f->dir, &hidden), 8);
    assert_int_equal(hidden, 0);
}

static void bad_format_and_size_fail(void **state)
{
    struct fixture *f = *state;
    char out[512], err[256] = "";
    int hidden;
    plot *p;

    need_gnuplot();
    snprintf(out, sizeof out, "%s/x.gif", f->dir);
    p = begin_ok(SCRIPTS, "efficiency");
    fill(p, "efficiency", "format");
    assert_int_equal(plot_finish(p, "gif", 1200, 800, out, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "gif"));
    err[0] = '\0';
    assert_int_equal(plot_finish(p, "png", 1200, 99999, out, NULL, err, sizeof err), -1);
    assert_true(strlen(err) > 0);
    err[0] = '\0';
    assert_int_equal(plot_finish(p, "dumb", 0, 0, NULL, NULL, err, sizeof err), -1);
    assert_true(strlen(err) > 0);
    plot_free(p);
    assert_int_equal(count_files(f->dir, &hidden), 0);
}

/* ------------------------------------------------------------------------- */

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quote_plain),
        cmocka_unit_test_setup_teardown(finish_all_one_process, setup_dir, teardown_dir),
        cmocka_unit_test(quote_doubles_quotes),
        cmocka_unit_test(quote_backslashes_literal),
        cmocka_unit_test(quote_control_characters),
        cmocka_unit_test(quote_keeps_utf8),
        cmocka_unit_test(quote_cuts_to_fit),
        cmocka_unit_test(quote_always_well_formed),
        cmocka_unit_test(begin_missing_script),
        cmocka_unit_test(begin_bad_names),
        cmocka_unit_test_setup_teardown(begin_refuses_big_script, setup_dir, teardown_dir),
        cmocka_unit_test(free_null),
        cmocka_unit_test_setup_teardown(no_gnuplot_returns_1, setup_dir, teardown_dir),
        cmocka_unit_test(hostile_title_dumb),
        cmocka_unit_test_setup_teardown(hostile_title_png, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(hostile_datablock_row, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(render_every_script, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(render_formats, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(power_heading_and_band, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(sweep_map_has_boundary, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(numbers_and_utf8_reach_gnuplot, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(broken_script_fails, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(bad_variable_name_fails, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(bad_format_and_size_fail, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(stop_flag_stops, setup_dir, teardown_dir),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

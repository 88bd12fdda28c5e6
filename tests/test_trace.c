/* test_trace.c — power traces: reading every format (csv, nvidia-smi, dmon,
 * dcgmi, wall-meter), interpolation, the mean, looping, the cursor, the gaps
 * (missing values, missing rows, joined logs: bridged, counted, and too long as
 * an error with its line), the instant-power column, the shipped samples, and
 * every error path with its line number.
 *
 * Closed forms: between samples the power is linear, so trace_at() at a sample
 * is the sample and halfway is the average of the two; the time-weighted mean
 * is the trapezoid sum. The synthetic nvidia-smi log (scenarios/traces,
 * README.md there) is replayed at 1 ms and its mean compared with trace_mean().
 * Temporary files are made with mkstemp under /tmp and removed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace.h"

/* ------------------------------------------------------------------------- */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------- */

#define SYNTHETIC "scenarios/traces/synthetic-2gpu-training.csv"

/* |got - want| <= rel * |want|. */
static void assert_rel(double got, double want, double rel)
{
    if (!(fabs(got - want) <= rel * fabs(want)))
        fail_msg("got %.17g, want %.17g (rel tol %g, rel err %.3g)", got, want,
                 rel, fabs(got - want) / fabs(want));
}

/* |got - want| <= abs_tol. */
static void assert_near(double got, double want, double abs_tol)
{
    if (!(fabs(got - want) <= abs_tol))
        fail_msg("got %.17g, want %.17g (abs tol %g)", got, want, abs_tol);
}

/* Writes LEN bytes of DATA to a new file under /tmp; its name goes to PATH
 * (at least 32 bytes). */
static void write_temp(const char *data, size_t len, char *path)
{
    int fd;

    strcpy(path, "/tmp/psusim-trace-XXXXXX");
    fd = mkstemp(path);
    if (fd < 0)
        fail_msg("mkstemp failed");
    if (len > 0 && write(fd, data, len) != (ssize_t)len) {
        close(fd);
        unlink(path);
        fail_msg("write to %s failed", path);
    }
    close(fd);
}

/* Loads the text DATA as a trace of format FMT, GPU GPU. The caller frees. */
static trace *load_text(const char *data, enum trace_format fmt, int gpu)
{
    char path[64], err[512] = "";
    trace *t;

    write_temp(data, strlen(data), path);
    t = trace_load(path, fmt, gpu, err, sizeof err);
    unlink(path);
    if (t == NULL)
        fail_msg("trace_load: %s", err);
    return t;
}

/* Loads LEN bytes of DATA, which must fail with "PATH:LINE: ..." holding
 * NEEDLE. */
static void expect_error_n(const char *data, size_t len, enum trace_format fmt,
                           int gpu, long line, const char *needle)
{
    char path[64], err[512] = "", where[96];
    trace *t;

    write_temp(data, len, path);
    t = trace_load(path, fmt, gpu, err, sizeof err);
    /* a NULL buffer and a one-byte buffer are fine too */
    assert_null(trace_load(path, fmt, gpu, NULL, 0));
    unlink(path);
    if (t != NULL) {
        trace_free(t);
        fail_msg("loaded, but expected an error at line %ld ('%s')", line, needle);
    }
    snprintf(where, sizeof where, "%s:%ld: ", path, line);
    if (strncmp(err, where, strlen(where)) != 0)
        fail_msg("message '%s' does not start with '%s'", err, where);
    if (strstr(err, needle) == NULL)
        fail_msg("message '%s' lacks '%s'", err, needle);
}

static void expect_error(const char *data, enum trace_format fmt, int gpu, long line,
                         const char *needle)
{
    expect_error_n(data, strlen(data), fmt, gpu, line, needle);
}

/* As expect_error, and the message must not quote SECRET: a file that is not a
 * trace (a typo in `file = `) never has a line of it printed (issue 15, 13). */
static void expect_unquoted(const char *data, enum trace_format fmt, long line,
                            const char *needle, const char *secret)
{
    char path[64], err[512] = "";

    expect_error(data, fmt, 0, line, needle);
    write_temp(data, strlen(data), path);
    assert_null(trace_load(path, fmt, 0, err, sizeof err));
    unlink(path);
    if (strstr(err, secret) != NULL)
        fail_msg("message '%s' quotes '%s' of the file", err, secret);
}

/* 100, 300, 300, 0 W at 10, 11, 13, 14 s: the trace counts from its first
 * sample, so at 0, 1, 3, 4 s. Spaces, a tab, a blank line and a CRLF on the way. */
static const char *const simple_csv =
    "time_s,watts\n"
    "10,100\n"
    " 11 , 300 \n"
    "\n"
    "13,\t300\r\n"
    "14,0\n";

/* ------------------------------------------------------------------------- */
/* csv: interpolation, mean, loop, cursor                                    */
/* ------------------------------------------------------------------------- */

static void csv_interpolation(void **state)
{
    trace *t = load_text(simple_csv, TRACE_CSV, 0);

    (void)state;
    assert_int_equal(trace_points(t), 4);
    assert_near(trace_duration(t), 4.0, 1e-12);
    /* at the samples */
    assert_near(trace_at(t, 0.0, 0, NULL), 100.0, 1e-12);
    assert_near(trace_at(t, 1.0, 0, NULL), 300.0, 1e-12);
    assert_near(trace_at(t, 3.0, 0, NULL), 300.0, 1e-12);
    assert_near(trace_at(t, 4.0, 0, NULL), 0.0, 1e-12);
    /* between them: linear */
    assert_near(trace_at(t, 0.5, 0, NULL), 200.0, 1e-9);
    assert_near(trace_at(t, 0.25, 0, NULL), 150.0, 1e-9);
    assert_near(trace_at(t, 2.0, 0, NULL), 300.0, 1e-9);
    assert_near(trace_at(t, 3.5, 0, NULL), 150.0, 1e-9);
    assert_near(trace_at(t, 3.9, 0, NULL), 30.0, 1e-9);
    /* outside: the end values */
    assert_near(trace_at(t, -1.0, 0, NULL), 100.0, 0);
    assert_near(trace_at(t, -1.0, 1, NULL), 100.0, 0);
    assert_near(trace_at(t, 4.5, 0, NULL), 0.0, 0);
    assert_near(trace_at(t, 1e9, 0, NULL), 0.0, 0);
    assert_near(trace_at(t, INFINITY, 0, NULL), 0.0, 0);
    assert_near(trace_at(t, -INFINITY, 0, NULL), 100.0, 0);
    assert_true(isnan(trace_at(t, NAN, 0, NULL)));
    assert_true(isnan(trace_at(t, INFINITY, 1, NULL)));
    trace_free(t);
}

/* Mean = trapezoid: (0.5 (100 + 300) 1 + 300 x 2 + 0.5 (300 + 0) 1) / 4 =
 * (200 + 600 + 150) / 4 = 237.5 W. */
static void csv_mean_trapezoid(void **state)
{
    trace *t = load_text(simple_csv, TRACE_CSV, -1);

    (void)state;
    assert_rel(trace_mean(t), 237.5, 1e-12);
    trace_free(t);

    /* uneven steps and a constant: the mean of a constant is the constant */
    t = load_text("t,w\n0,42\n0.001,42\n7.5,42\n", TRACE_CSV, 0);
    assert_rel(trace_mean(t), 42.0, 1e-12);
    trace_free(t);

    /* a ramp 0 -> 100 W over 2 s then flat for 1 s: (100 + 100) / 3 */
    t = load_text("time_s,watts\n-1,0\n1,100\n2,100\n", TRACE_CSV, 0);
    assert_rel(trace_mean(t), 200.0 / 3.0, 1e-12);
    assert_near(trace_at(t, 0.5, 0, NULL), 25.0, 1e-9);
    trace_free(t);
}

/* With LOOP the trace repeats with period trace_duration(). */
static void csv_loop(void **state)
{
    trace *t = load_text(simple_csv, TRACE_CSV, 0);
    size_t cur = 0;
    double u;

    (void)state;
    assert_near(trace_at(t, 4.5, 1, NULL), 200.0, 1e-9);
    assert_near(trace_at(t, 8.0 + 3.5, 1, NULL), 150.0, 1e-9);
    assert_near(trace_at(t, 4.0, 1, NULL), 100.0, 1e-12);  /* wraps to the start */
    assert_near(trace_at(t, 400.25, 1, NULL), 150.0, 1e-6);
    /* with a cursor, over several periods */
    for (u = 0; u < 20.0; u += 0.01)
        assert_near(trace_at(t, u, 1, &cur), trace_at(t, fmod(u, 4.0), 0, NULL), 1e-9);
    trace_free(t);
}

/* The cursor gives the same values as a fresh lookup: increasing times (the
 * engine's case), jumps, and going back. */
static void csv_cursor(void **state)
{
    char *buf = malloc(200000);
    size_t k = 0, cur = 0, cur2 = 0, i;
    trace *t;
    double u;

    (void)state;
    assert_non_null(buf);
    k += (size_t)sprintf(buf + k, "time_s,watts\n");
    for (i = 0; i < 1000; i++)   /* uneven spacing, a zigzag of powers */
        k += (size_t)sprintf(buf + k, "%.6f,%g\n", 0.01 * (double)i + 0.003 * (double)(i % 3),
                             (double)((i * 37) % 101));
    t = load_text(buf, TRACE_CSV, 0);
    free(buf);
    assert_int_equal(trace_points(t), 1000);
    for (u = -0.5; u < trace_duration(t) + 0.5; u += 0.0007) {
        size_t fresh = 0;

        assert_true(trace_at(t, u, 0, &cur) == trace_at(t, u, 0, &fresh));
        assert_true(trace_at(t, u, 0, &cur) == trace_at(t, u, 0, NULL));
    }
    for (u = 9.0; u > 0; u -= 0.37) {       /* backwards and in big jumps */
        size_t fresh = 0;

        assert_true(trace_at(t, u, 0, &cur2) == trace_at(t, u, 0, &fresh));
    }
    cur2 = 123456;                           /* a stale cursor is recovered */
    assert_true(trace_at(t, 1.234, 0, &cur2) == trace_at(t, 1.234, 0, NULL));
    trace_free(t);
}

static void format_names(void **state)
{
    (void)state;
    assert_int_equal(trace_format_find("csv"), TRACE_CSV);
    assert_int_equal(trace_format_find("nvidia-smi"), TRACE_NVIDIA_SMI);
    assert_int_equal(trace_format_find("dmon"), TRACE_DMON);
    assert_int_equal(trace_format_find("dcgmi"), TRACE_DCGMI);
    assert_int_equal(trace_format_find("wall-meter"), TRACE_WALL_METER);
    assert_int_equal(trace_format_find("CSV"), -1);
    assert_int_equal(trace_format_find("nvml"), -1);
    assert_int_equal(trace_format_find(NULL), -1);
    trace_free(NULL);
}

/* ------------------------------------------------------------------------- */
/* nvidia-smi                                                                */
/* ------------------------------------------------------------------------- */

/* Replays T by stepping trace_at() at DT over its duration; the mean. */
static double replay_mean(const trace *t, double dt)
{
    size_t cur = 0;
    long i, n = (long)(trace_duration(t) / dt);
    double sum = 0;

    for (i = 0; i < n; i++)
        sum += trace_at(t, (double)i * dt, 0, &cur);
    return sum / (double)n;
}

/* The synthetic 2-GPU log (scenarios/traces/README.md): 601 rounds every ~100
 * ms for 60 s, crossing midnight; GPU 0, GPU 1 and their sum. */
static void synthetic_two_gpus(void **state)
{
    char err[512] = "";
    trace *g[3];
    const int idx[3] = { 0, 1, -1 };
    int k;

    (void)state;
    for (k = 0; k < 3; k++) {
        double replay;

        g[k] = trace_load(SYNTHETIC, TRACE_NVIDIA_SMI, idx[k], err, sizeof err);
        if (g[k] == NULL)
            fail_msg("%s", err);
        assert_int_equal(trace_points(g[k]), 601);
        assert_near(trace_duration(g[k]), 60.0, 1e-9);
        replay = replay_mean(g[k], 1e-3);
        print_message("      GPU %2d: %zu points, %.3f s, mean %.3f W, replay at 1 ms "
                      "%.3f W (rel %.2e)\n", idx[k], trace_points(g[k]),
                      trace_duration(g[k]), trace_mean(g[k]), replay,
                      (replay - trace_mean(g[k])) / trace_mean(g[k]));
        assert_rel(replay, trace_mean(g[k]), 0.005);
    }
    /* the README's figures: about 436, 430 and 866 W */
    assert_rel(trace_mean(g[0]), 436.0, 0.01);
    assert_rel(trace_mean(g[1]), 430.0, 0.01);
    /* same sample times, so the sum's mean is the sum of the means */
    assert_rel(trace_mean(g[2]), trace_mean(g[0]) + trace_mean(g[1]), 1e-12);
    /* the first round: 559.30 + 555.10 W; crossing midnight at 29.9-30.0 s:
     * 23:59:59.902 is 29.902 s, 00:00:00.001 is 30.001 s */
    assert_near(trace_at(g[0], 0.0, 0, NULL), 559.30, 1e-9);
    assert_near(trace_at(g[1], 0.0, 0, NULL), 555.10, 1e-9);
    assert_near(trace_at(g[2], 0.0, 0, NULL), 559.30 + 555.10, 1e-9);
    assert_near(trace_at(g[0], 29.902, 0, NULL), 250.57, 1e-6);
    assert_near(trace_at(g[0], 30.001, 0, NULL), 560.38, 1e-6);
    assert_near(trace_at(g[1], 30.001, 0, NULL), 552.88, 1e-6);
    for (k = 0; k < 3; k++)
        trace_free(g[k]);
}

/* An index column, timestamps that differ within a round, watts without " W",
 * extra columns in another order, CRLF line ends and a byte order mark. */
static void smi_index_column(void **state)
{
    static const char log[] =
        "\xEF\xBB\xBF" "index, name, power.draw [W], timestamp, temperature.gpu\r\n"
        "0, NVIDIA GeForce RTX 5090, 100.00 W, 2025/01/31 12:00:00.000, 40\r\n"
        "1, NVIDIA GeForce RTX 5090, 200.00 W, 2025/01/31 12:00:00.002, 41\r\n"
        "0, NVIDIA GeForce RTX 5090, 300.00, 2025/01/31 12:00:01.000, 40\r\n"
        "1, NVIDIA GeForce RTX 5090, 400.00, 2025/01/31 12:00:01.002, 41\r\n"
        "0, NVIDIA GeForce RTX 5090, 100 W, 2025/01/31 12:00:03.000, 40\r\n"
        "1, NVIDIA GeForce RTX 5090, 200 W, 2025/01/31 12:00:03.002, 41\r\n";
    trace *t;

    (void)state;
    t = load_text(log, TRACE_NVIDIA_SMI, 1);
    assert_int_equal(trace_points(t), 3);
    assert_near(trace_duration(t), 3.0, 1e-9);
    assert_near(trace_at(t, 0.5, 0, NULL), 300.0, 1e-9);
    /* (0.5 (200 + 400) 1 + 0.5 (400 + 200) 2) / 3 = 300 W */
    assert_rel(trace_mean(t), 300.0, 1e-12);
    trace_free(t);

    t = load_text(log, TRACE_NVIDIA_SMI, -1);   /* sums at the rounds' first rows */
    assert_near(trace_at(t, 0.0, 0, NULL), 300.0, 1e-9);
    assert_near(trace_at(t, 1.0, 0, NULL), 700.0, 1e-9);
    assert_near(trace_duration(t), 3.0, 1e-9);
    trace_free(t);

    /* index values other than 0..n-1 (nvidia-smi -i 1,3) select by value */
    t = load_text("timestamp, index, power.draw [W]\n"
                  "2025/01/31 12:00:00.000, 1, 10 W\n"
                  "2025/01/31 12:00:00.000, 3, 30 W\n"
                  "2025/01/31 12:00:00.500, 1, 20 W\n"
                  "2025/01/31 12:00:00.500, 3, 40 W\n", TRACE_NVIDIA_SMI, 3);
    assert_near(trace_at(t, 0.25, 0, NULL), 35.0, 1e-9);
    trace_free(t);
}

/* Date arithmetic: across a leap day and a year end, and a day-long log. */
static void smi_dates(void **state)
{
    trace *t;

    (void)state;
    t = load_text("timestamp, power.draw [W]\n"
                  "2024/02/28 23:59:59.5, 1 W\n"
                  "2024/02/29 00:00:00.25, 2 W\n"
                  "2024/03/01 00:00:00.250, 3 W\n", TRACE_NVIDIA_SMI, 0);
    assert_near(trace_duration(t), 86400.75, 1e-9);
    assert_near(trace_at(t, 0.75, 0, NULL), 2.0, 1e-9);
    trace_free(t);
    t = load_text("timestamp, power.draw [W]\n"
                  "1999/12/31 23:59:59.000, 1 W\n"
                  "2000/01/01 00:00:01.000, 3 W\n", TRACE_NVIDIA_SMI, 0);
    assert_near(trace_duration(t), 2.0, 1e-12);
    assert_near(trace_at(t, 1.0, 0, NULL), 2.0, 1e-12);
    trace_free(t);
}

/* ------------------------------------------------------------------------- */
/* Errors                                                                    */
/* ------------------------------------------------------------------------- */

static void errors_file(void **state)
{
    static const char nul[] = "time_s,watts\n0,1\n1,\0002\n";
    char err[512] = "";
    static char big[2 * 4100];
    size_t pad;

    (void)state;
    /* no such file */
    assert_null(trace_load("/tmp/psusim-no-such-trace.csv", TRACE_CSV, 0, err,
                           sizeof err));
    assert_non_null(strstr(err, "/tmp/psusim-no-such-trace.csv: cannot open"));
    /* empty */
    expect_error("", TRACE_CSV, 0, 1, "empty file");
    expect_error("", TRACE_NVIDIA_SMI, 0, 1, "empty file");
    /* binary data: a NUL on line 3, another control byte on line 2 */
    expect_error_n(nul, sizeof nul - 1, TRACE_CSV, 0, 3, "binary data");
    expect_error("time_s,watts\n0,\0011\n", TRACE_CSV, 0, 2, "binary data");
    /* a line of 4096 characters is read, 4097 is an error (line 3) */
    for (pad = 4093; pad <= 4094; pad++) {
        size_t k = (size_t)sprintf(big, "time_s,watts\n0,1\n");

        memset(big + k, ' ', pad);
        strcpy(big + k + pad, "1,2\n");     /* line 3: pad + 3 characters */
        assert_int_equal(strlen(big + k), pad + 4);
        if (pad + 3 == 4096) {
            trace *t = load_text(big, TRACE_CSV, 0);

            assert_int_equal(trace_points(t), 2);
            trace_free(t);
        } else {
            expect_error(big, TRACE_CSV, 0, 3, "longer than 4096");
        }
    }
}

static void errors_csv(void **state)
{
    (void)state;
    expect_error("time_s watts\n0,1\n1,2\n", TRACE_CSV, 0, 1, "header");
    expect_error("0,100\n1,200\n2,300\n", TRACE_CSV, 0, 1, "got a data row");
    expect_error("time_s,watts\n0,1\n1;2\n", TRACE_CSV, 0, 3, "expected `time_s,watts`");
    /* no line of a foreign file is quoted; a bad field is, alone */
    expect_unquoted("root:$6$hash:19000:0:99999:7:::\n", TRACE_CSV, 1, "this line has none",
                    "hash");
    expect_unquoted("root:$6$hash:19000:0:99999:7:::\n", TRACE_NVIDIA_SMI, 1,
                    "neither column", "hash");
    expect_unquoted("user,password\nalice,hunter2\n", TRACE_CSV, 2, "the time field is 'alice'",
                    "hunter2");
    expect_unquoted("a,b\n1,2\nsecret line without comma\n", TRACE_CSV, 3,
                    "one field (no comma)", "secret");
    expect_unquoted("timestamp,user\n1,pw\n", TRACE_NVIDIA_SMI, 1, "no `power.draw` column",
                    "user");
    expect_error("time_s,watts\n0,1\n1,2,3\n", TRACE_CSV, 0, 3, "expected `time_s,watts`");
    expect_error("time_s,watts\n0,1\n1,2 W\n", TRACE_CSV, 0, 3, "expected `time_s,watts`");
    expect_error("time_s,watts\n0,1\n,2\n", TRACE_CSV, 0, 3, "expected `time_s,watts`");
    expect_error("time_s,watts\n0,1\n1,2\n\n1,3\n", TRACE_CSV, 0, 5, "strictly");
    expect_error("time_s,watts\n0,1\n2,2\n1,3\n", TRACE_CSV, 0, 4, "strictly");
    expect_error("time_s,watts\n0,-1\n1,2\n", TRACE_CSV, 0, 2, "watts must be a number from 0 to");
    expect_error("time_s,watts\n0,1\n1,nan\n", TRACE_CSV, 0, 3, "watts must be a number from 0 to");
    expect_error("time_s,watts\n0,1\n1,1e999\n", TRACE_CSV, 0, 3, "watts must be a number from 0 to");
    expect_error("time_s,watts\n0,1\ninf,2\n", TRACE_CSV, 0, 3, "time must be a number of seconds within");
    expect_error("time_s,watts\n0,1\n", TRACE_CSV, 0, 2, "expected at least 2");
    expect_error("time_s,watts\n0,1\n\n\n", TRACE_CSV, 0, 4, "1 sample(s)");
    expect_error("time_s,watts\n", TRACE_CSV, 0, 1, "0 sample(s)");
}

static void errors_smi(void **state)
{
    static const char two_gpus[] =
        "timestamp, power.draw [W]\n"
        "2025/01/31 12:00:00.000, 100.00 W\n"
        "2025/01/31 12:00:00.000, 200.00 W\n"
        "2025/01/31 12:00:00.100, 100.00 W\n"
        "2025/01/31 12:00:00.100, 200.00 W\n";

    (void)state;
    expect_error("time, power\n2025/01/31 12:00:00.000, 1 W\n", TRACE_NVIDIA_SMI, 0, 1,
                 "expected the nvidia-smi header");
    /* a missing value is a gap (gap tests below); one that is never anything else
     * leaves nothing to bridge from */
    expect_error("timestamp, power.draw [W]\n"
                 "2025/01/31 12:00:00.000, [Not Supported]\n"
                 "2025/01/31 12:00:00.100, [Not Supported]\n", TRACE_NVIDIA_SMI, 0, 2,
                 "no power value anywhere in the log");
    expect_error("timestamp, power.draw [W]\n"
                 "2025/01/31 12:00:00.000, 100.00 W\n"
                 "2025/01/31 12:00:00.100, abc W\n", TRACE_NVIDIA_SMI, 0, 3,
                 "expected watts");
    expect_error("timestamp, power.draw [W]\n"
                 "2025/01/31 12:00:00.000, 100.00 kW\n", TRACE_NVIDIA_SMI, 0, 2,
                 "expected watts");
    expect_error("timestamp, power.draw [W]\n"
                 "2025/01/31 12:00:00.000, -5.00 W\n", TRACE_NVIDIA_SMI, 0, 2,
                 "watts must be a number from 0 to");
    expect_error("timestamp, power.draw [W]\n"
                 "2025/01/31 12:00:00.000, 100.00 W\n"
                 "2025/13/01 12:00:00.100, 100.00 W\n", TRACE_NVIDIA_SMI, 0, 3,
                 "expected a timestamp");
    expect_error("timestamp, power.draw [W]\n"
                 "2025/02/29 12:00:00.000, 100.00 W\n", TRACE_NVIDIA_SMI, 0, 2,
                 "expected a timestamp");
    expect_error("timestamp, power.draw [W]\n"
                 "2025-01-31 12:00:00.000, 100.00 W\n", TRACE_NVIDIA_SMI, 0, 2,
                 "expected a timestamp");
    expect_error("timestamp, power.draw [W]\n"
                 "2025/01/31 12:00:00., 100.00 W\n", TRACE_NVIDIA_SMI, 0, 2,
                 "expected a timestamp");
    expect_error("timestamp, power.draw [W]\n"
                 "2025/01/31 12:00:00.000\n", TRACE_NVIDIA_SMI, 0, 2,
                 "expected 2 comma-separated fields");
    expect_error("timestamp, power.draw [W]\n"
                 "2025/01/31 12:00:00.000, 1 W, 2 W\n", TRACE_NVIDIA_SMI, 0, 2,
                 "expected 2 comma-separated fields");
    /* a third GPU row in a round of two (line 6) */
    expect_error("timestamp, power.draw [W]\n"
                 "2025/01/31 12:00:00.000, 100.00 W\n"
                 "2025/01/31 12:00:00.000, 200.00 W\n"
                 "2025/01/31 12:00:00.100, 100.00 W\n"
                 "2025/01/31 12:00:00.100, 200.00 W\n"
                 "2025/01/31 12:00:00.100, 300.00 W\n", TRACE_NVIDIA_SMI, -1, 4,
                 "expected at most 2 as in the first round");
    /* time going back (line 4) */
    expect_error("timestamp, power.draw [W]\n"
                 "2025/01/31 12:00:00.000, 100.00 W\n"
                 "2025/01/31 12:00:01.000, 100.00 W\n"
                 "2025/01/31 12:00:00.500, 100.00 W\n", TRACE_NVIDIA_SMI, 0, 4,
                 "expected increasing times");
    /* GPU index out of range: 2 GPUs per round */
    expect_error(two_gpus, TRACE_NVIDIA_SMI, 2, 2, "out of range");
    /* the same log is fine for GPU 1 */
    {
        trace *t = load_text(two_gpus, TRACE_NVIDIA_SMI, 1);

        assert_near(trace_at(t, 0.05, 0, NULL), 200.0, 1e-9);
        trace_free(t);
    }
}

static void errors_smi_index(void **state)
{
    static const char base[] =
        "timestamp, index, power.draw [W]\n"
        "2025/01/31 12:00:00.000, 0, 100.00 W\n"
        "2025/01/31 12:00:00.001, 1, 200.00 W\n";
    char buf[1024];

    (void)state;
    /* index 5 is not in the log */
    snprintf(buf, sizeof buf, "%s2025/01/31 12:00:00.100, 0, 1 W\n"
             "2025/01/31 12:00:00.101, 1, 2 W\n", base);
    expect_error(buf, TRACE_NVIDIA_SMI, 5, 2, "not in the log (its index column has 0, 1)");
    /* not an index */
    snprintf(buf, sizeof buf, "%s2025/01/31 12:00:00.100, x, 1 W\n", base);
    expect_error(buf, TRACE_NVIDIA_SMI, 0, 4, "expected a GPU index");
    snprintf(buf, sizeof buf, "%s2025/01/31 12:00:00.100, -1, 1 W\n", base);
    expect_error(buf, TRACE_NVIDIA_SMI, 0, 4, "expected a GPU index");
    /* a GPU that was not in the first round */
    snprintf(buf, sizeof buf, "%s2025/01/31 12:00:00.100, 0, 1 W\n"
             "2025/01/31 12:00:00.101, 2, 2 W\n", base);
    expect_error(buf, TRACE_NVIDIA_SMI, 0, 5, "GPU index 2 is not in the first round");
    /* GPU 1 going back in time (line 5) */
    snprintf(buf, sizeof buf, "%s2025/01/31 12:00:00.100, 0, 1 W\n"
             "2025/01/31 12:00:00.000, 1, 2 W\n", base);
    expect_error(buf, TRACE_NVIDIA_SMI, 1, 5, "strictly increasing");
}

/* Arguments: no path, an unknown format, a GPU index a format cannot have. */
static void errors_arguments(void **state)
{
    char err[256] = "";

    (void)state;
    assert_null(trace_load(NULL, TRACE_CSV, 0, err, sizeof err));
    assert_non_null(strstr(err, "no file name"));
    assert_null(trace_load(SYNTHETIC, (enum trace_format)7, 0, err, sizeof err));
    assert_non_null(strstr(err, "unknown trace format"));
    assert_null(trace_load(SYNTHETIC, TRACE_NVIDIA_SMI, -2, err, sizeof err));
    assert_non_null(strstr(err, "GPU index -2"));
    assert_null(trace_load(SYNTHETIC, TRACE_CSV, 1, err, sizeof err));
    assert_non_null(strstr(err, "a csv or wall-meter trace is one series"));
    assert_null(trace_load(SYNTHETIC, (enum trace_format)7, 0, NULL, 0));
    /* the synthetic log read as csv: the header is fine, row 2 is not */
    assert_null(trace_load(SYNTHETIC, TRACE_CSV, 0, err, sizeof err));
    assert_non_null(strstr(err, SYNTHETIC ":2: expected `time_s,watts`"));
    /* a tiny buffer is truncated, not overrun */
    assert_null(trace_load(SYNTHETIC, TRACE_CSV, 0, err, 8));
    assert_int_equal(strlen(err), 7);
}

/* ------------------------------------------------------------------------- */
/* Gaps                                                                      */
/* ------------------------------------------------------------------------- */

/* Loads DATA with options (GPU, MAX_GAP, INTERVAL_S). The caller frees. */
static trace *load_opts(const char *data, enum trace_format fmt, int gpu, int max_gap,
                        double interval_s)
{
    char path[64], err[512] = "";
    struct trace_opts o = { gpu, max_gap, interval_s };
    trace *t;

    write_temp(data, strlen(data), path);
    t = trace_load_opts(path, fmt, &o, err, sizeof err);
    unlink(path);
    if (t == NULL)
        fail_msg("trace_load_opts: %s", err);
    return t;
}

/* As expect_error with options. */
static void expect_error_opts(const char *data, enum trace_format fmt, int gpu, int max_gap,
                              long line, const char *needle)
{
    char path[64], err[512] = "", where[96];
    struct trace_opts o = { gpu, max_gap, 1.0 };
    trace *t;

    write_temp(data, strlen(data), path);
    t = trace_load_opts(path, fmt, &o, err, sizeof err);
    unlink(path);
    if (t != NULL) {
        trace_free(t);
        fail_msg("loaded, but expected an error at line %ld ('%s')", line, needle);
    }
    snprintf(where, sizeof where, "%s:%ld: ", path, line);
    if (strncmp(err, where, strlen(where)) != 0)
        fail_msg("message '%s' does not start with '%s'", err, where);
    if (strstr(err, needle) == NULL)
        fail_msg("message '%s' lacks '%s'", err, needle);
}

static void assert_gaps(const trace *t, size_t gaps, size_t samples, double longest_s,
                        long line)
{
    struct trace_gaps g;

    trace_gaps(t, &g);
    assert_int_equal(g.gaps, gaps);
    assert_int_equal(g.samples, samples);
    assert_near(g.longest_s, longest_s, 1e-9);
    assert_int_equal(g.longest_line, line);
}

/* Each of nvidia-smi's "no value" texts is a gap bridged by a straight line:
 * 100, [x], 300 at 0, 0.1, 0.2 s reads 200 W at 0.1 s. */
static void gap_missing_values(void **state)
{
    static const char *const none[] = { "[N/A]", "[Not Supported]", "[Unknown Error]",
                                        "[GPU is lost]", "N/A" };
    char buf[512];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof none / sizeof none[0]; i++) {
        trace *t;

        snprintf(buf, sizeof buf, "timestamp, power.draw [W]\n"
                 "2025/01/31 12:00:00.000, 100.00 W\n"
                 "2025/01/31 12:00:00.100, %s\n"
                 "2025/01/31 12:00:00.200, 300.00 W\n", none[i]);
        t = load_text(buf, TRACE_NVIDIA_SMI, 0);
        assert_int_equal(trace_points(t), 3);
        assert_near(trace_at(t, 0.1, 0, NULL), 200.0, 1e-9);
        assert_near(trace_mean(t), 200.0, 1e-9);
        assert_gaps(t, 1, 1, 0.2, 3);
        trace_free(t);
    }
    /* two GPUs summed: GPU 1's gap is bridged on its own line, GPU 0 as logged */
    {
        trace *t = load_text("timestamp, power.draw [W]\n"
                             "2025/01/31 12:00:00.000, 100.00 W\n"
                             "2025/01/31 12:00:00.000, 10.00 W\n"
                             "2025/01/31 12:00:00.100, 150.00 W\n"
                             "2025/01/31 12:00:00.100, [N/A]\n"
                             "2025/01/31 12:00:00.200, 100.00 W\n"
                             "2025/01/31 12:00:00.200, 30.00 W\n", TRACE_NVIDIA_SMI, -1);

        assert_near(trace_at(t, 0.1, 0, NULL), 150.0 + 20.0, 1e-9);
        assert_gaps(t, 1, 1, 0.2, 5);
        trace_free(t);
    }
    /* at the start and the end the nearest value is held */
    {
        trace *t = load_text("timestamp, power.draw [W]\n"
                             "2025/01/31 12:00:00.000, [N/A]\n"
                             "2025/01/31 12:00:00.100, 200.00 W\n"
                             "2025/01/31 12:00:00.200, 300.00 W\n"
                             "2025/01/31 12:00:00.300, [N/A]\n", TRACE_NVIDIA_SMI, 0);

        assert_near(trace_at(t, 0.0, 0, NULL), 200.0, 1e-9);
        assert_near(trace_at(t, 0.3, 0, NULL), 300.0, 1e-9);
        assert_gaps(t, 2, 2, 0.1, 2);
        trace_free(t);
    }
}

/* A round missing a GPU's row: bridged for that GPU. With an index column the
 * missing GPU is known; without one the round's rows are the first GPUs. */
static void gap_missing_row(void **state)
{
    trace *t;

    (void)state;
    t = load_text("timestamp, index, power.draw [W]\n"
                  "2025/01/31 12:00:00.000, 0, 100.00 W\n"
                  "2025/01/31 12:00:00.001, 1, 200.00 W\n"
                  "2025/01/31 12:00:00.100, 1, 250.00 W\n"
                  "2025/01/31 12:00:00.200, 0, 300.00 W\n"
                  "2025/01/31 12:00:00.201, 1, 300.00 W\n", TRACE_NVIDIA_SMI, 0);
    /* GPU 0 at 0, (0.100: missing), 0.2: the round's time is GPU 1's row */
    assert_int_equal(trace_points(t), 3);
    assert_near(trace_at(t, 0.1, 0, NULL), 200.0, 1e-9);
    assert_gaps(t, 1, 1, 0.2, 4);
    trace_free(t);
    /* GPU 1 missing in the middle round; its line is the round's first row */
    t = load_text("timestamp, index, power.draw [W]\n"
                  "2025/01/31 12:00:00.000, 0, 100.00 W\n"
                  "2025/01/31 12:00:00.000, 1, 200.00 W\n"
                  "2025/01/31 12:00:00.100, 0, 100.00 W\n"
                  "2025/01/31 12:00:00.200, 0, 100.00 W\n"
                  "2025/01/31 12:00:00.200, 1, 400.00 W\n", TRACE_NVIDIA_SMI, -1);
    assert_near(trace_at(t, 0.1, 0, NULL), 100.0 + 300.0, 1e-9);
    assert_gaps(t, 1, 1, 0.2, 4);
    trace_free(t);
    /* no index column: the short round lacks the last GPU */
    t = load_text("timestamp, power.draw [W]\n"
                  "2025/01/31 12:00:00.000, 100.00 W\n"
                  "2025/01/31 12:00:00.000, 200.00 W\n"
                  "2025/01/31 12:00:00.100, 100.00 W\n"
                  "2025/01/31 12:00:00.200, 100.00 W\n"
                  "2025/01/31 12:00:00.200, 400.00 W\n", TRACE_NVIDIA_SMI, 1);
    assert_near(trace_at(t, 0.1, 0, NULL), 300.0, 1e-9);
    assert_gaps(t, 1, 1, 0.2, 4);
    trace_free(t);
}

/* The header again (logs joined): a gap whose missing samples are the intervals
 * the time step between the logs skips, at the log's median interval. */
static void gap_repeated_header(void **state)
{
    trace *t;

    (void)state;
    t = load_text("timestamp, power.draw [W]\n"
                  "2025/01/31 12:00:00.000, 100.00 W\n"
                  "2025/01/31 12:00:00.100, 100.00 W\n"
                  "2025/01/31 12:00:00.200, 100.00 W\n"
                  "timestamp, power.draw [W]\n"
                  "2025/01/31 12:00:00.500, 400.00 W\n"
                  "2025/01/31 12:00:00.600, 400.00 W\n", TRACE_NVIDIA_SMI, -1);
    assert_int_equal(trace_points(t), 5);
    assert_near(trace_at(t, 0.35, 0, NULL), 250.0, 1e-9);
    assert_gaps(t, 1, 2, 0.3, 5);
    trace_free(t);
    /* a joined log that goes on where the first stopped: a gap of 0 samples */
    t = load_text("timestamp, power.draw [W]\n"
                  "2025/01/31 12:00:00.000, 100.00 W\n"
                  "2025/01/31 12:00:00.100, 100.00 W\n"
                  "timestamp, power.draw [W]\n"
                  "2025/01/31 12:00:00.200, 100.00 W\n", TRACE_NVIDIA_SMI, 0);
    assert_gaps(t, 1, 0, 0.1, 4);
    trace_free(t);
    /* a joined log that starts earlier is no log to bridge */
    expect_error("timestamp, power.draw [W]\n"
                 "2025/01/31 12:00:01.000, 100.00 W\n"
                 "2025/01/31 12:00:01.100, 100.00 W\n"
                 "timestamp, power.draw [W]\n"
                 "2025/01/31 12:00:00.000, 100.00 W\n", TRACE_NVIDIA_SMI, 0, 5,
                 "expected increasing times");
}

/* A gap longer than max_gap samples is an error naming its first line. */
static void gap_too_long(void **state)
{
    static const char values[] =
        "timestamp, power.draw [W]\n"
        "2025/01/31 12:00:00.000, 100.00 W\n"
        "2025/01/31 12:00:00.100, [N/A]\n"
        "2025/01/31 12:00:00.200, [N/A]\n"
        "2025/01/31 12:00:00.300, [N/A]\n"
        "2025/01/31 12:00:00.400, 100.00 W\n";
    static const char rows[] =
        "timestamp, index, power.draw [W]\n"
        "2025/01/31 12:00:00.000, 0, 100.00 W\n"
        "2025/01/31 12:00:00.001, 1, 100.00 W\n"
        "2025/01/31 12:00:00.100, 0, 100.00 W\n"
        "2025/01/31 12:00:00.200, 0, 100.00 W\n"
        "2025/01/31 12:00:00.201, 1, 100.00 W\n";
    static const char joined[] =
        "timestamp, power.draw [W]\n"
        "2025/01/31 12:00:00.000, 100.00 W\n"
        "2025/01/31 12:00:00.100, 100.00 W\n"
        "2025/01/31 12:00:00.200, 100.00 W\n"
        "timestamp, power.draw [W]\n"
        "2025/01/31 12:01:00.000, 100.00 W\n"
        "2025/01/31 12:01:00.100, 100.00 W\n";
    trace *t;

    (void)state;
    /* 3 values missing: fine at max_gap 3, an error at 2 (from line 3) */
    t = load_opts(values, TRACE_NVIDIA_SMI, 0, 3, 1.0);
    assert_gaps(t, 1, 3, 0.4, 3);
    trace_free(t);
    expect_error_opts(values, TRACE_NVIDIA_SMI, 0, 2, 3,
                      "has no power value in 3 sample(s) in a row from this line (the "
                      "value is missing, 0.400 s to bridge); expected gaps of at most "
                      "max_gap = 2");
    /* a missing row at max_gap 0: the round's first row, line 4 */
    expect_error_opts(rows, TRACE_NVIDIA_SMI, -1, 0, 4,
                      "GPU 1 has no power value in 1 sample(s) in a row from this line "
                      "(its row is missing");
    /* a joined log a minute later: about 598 samples of 0.1 s missing */
    expect_error_opts(joined, TRACE_NVIDIA_SMI, 0, 5, 5,
                      "the header again (logs joined?) and the time jumps 59.800 s");
    expect_error(joined, TRACE_NVIDIA_SMI, 0, 5, "about 597 sample(s) missing");
    /* the default limit (TRACE_MAX_GAP_DEFAULT) */
    assert_int_equal(TRACE_MAX_GAP_DEFAULT, 5);
}

/* ------------------------------------------------------------------------- */
/* Other logs                                                                */
/* ------------------------------------------------------------------------- */

/* power.draw.instant is preferred over power.draw, wherever the columns are. */
static void smi_instant(void **state)
{
    trace *t;

    (void)state;
    t = load_text("timestamp, power.draw.instant [W], power.draw [W]\n"
                  "2025/01/31 12:00:00.000, 600.00 W, 400.00 W\n"
                  "2025/01/31 12:00:00.100, 200.00 W, 400.00 W\n", TRACE_NVIDIA_SMI, 0);
    assert_int_equal(trace_instant(t), 1);
    assert_near(trace_at(t, 0.0, 0, NULL), 600.0, 1e-9);
    trace_free(t);
    t = load_text("timestamp, power.draw [W], power.draw.instant [W]\n"
                  "2025/01/31 12:00:00.000, 400.00 W, 600.00 W\n"
                  "2025/01/31 12:00:00.100, 400.00 W, 200.00 W\n", TRACE_NVIDIA_SMI, 0);
    assert_int_equal(trace_instant(t), 1);
    assert_near(trace_at(t, 0.1, 0, NULL), 200.0, 1e-9);
    trace_free(t);
    t = load_text("timestamp, power.draw [W]\n"
                  "2025/01/31 12:00:00.000, 400.00 W\n"
                  "2025/01/31 12:00:00.100, 400.00 W\n", TRACE_NVIDIA_SMI, 0);
    assert_int_equal(trace_instant(t), 0);
    trace_free(t);
    t = load_text("time_s,watts\n0,1\n1,2\n", TRACE_CSV, 0);
    assert_int_equal(trace_instant(t), -1);
    trace_free(t);
}

/* nvidia-smi dmon -s p (and -o DT): rounds INTERVAL apart, "-" a gap, headers
 * between rows skipped (dmon reprints them). */
static void dmon_format(void **state)
{
    trace *t;

    (void)state;
    t = load_opts("# gpu    pwr  gtemp  mtemp\n"
                  "# Idx      W      C      C\n"
                  "    0    100     40      -\n"
                  "    1    200     41      -\n"
                  "    0    300     40      -\n"
                  "    1      -     41      -\n"
                  "# gpu    pwr  gtemp  mtemp\n"
                  "# Idx      W      C      C\n"
                  "    0    500     40      -\n"
                  "    1    600     41      -\n", TRACE_DMON, -1, 5, 2.0);
    assert_int_equal(trace_points(t), 3);
    assert_near(trace_duration(t), 4.0, 1e-12);
    assert_near(trace_at(t, 2.0, 0, NULL), 300.0 + 400.0, 1e-9);
    assert_int_equal(trace_instant(t), 0);
    assert_gaps(t, 1, 1, 4.0, 6);
    trace_free(t);
    /* -o DT: Date and Time columns are read over; GPU 1 alone */
    t = load_opts("#Date       Time        gpu    pwr  gtemp  mtemp\n"
                  "#YYYYMMDD   HH:MM:SS    Idx      W      C      C\n"
                  " 20250131   12:00:00      0    100     40      -\n"
                  " 20250131   12:00:00      1    200     41      -\n"
                  " 20250131   12:00:01      0    100     40      -\n"
                  " 20250131   12:00:01      1    400     41      -\n", TRACE_DMON, 1, 5, 1.0);
    assert_near(trace_mean(t), 300.0, 1e-9);
    trace_free(t);
    expect_error("timestamp, power.draw [W]\n", TRACE_DMON, 0, 1,
                 "expected the dmon header `# gpu pwr ...`");
    expect_error("# gpu gtemp\n", TRACE_DMON, 0, 1, "no `pwr` column");
    expect_error("# gpu pwr\n    0    100\n    0    1 2\n", TRACE_DMON, 0, 3,
                 "expected 2 columns as in the dmon header, got 3");
    expect_error("# gpu pwr\n    0    100\n    0    12W\n", TRACE_DMON, 0, 3,
                 "expected watts such as `250`");
    expect_error("# gpu pwr\n    x    100\n", TRACE_DMON, 0, 2, "expected a GPU index");
}

/* dcgmi dmon -e 155,157: POWINST preferred, N/A a gap, GPU rows only. */
static void dcgmi_format(void **state)
{
    trace *t;

    (void)state;
    t = load_text("#Entity   POWER    POWINST\n"
                  "ID        W        W\n"
                  "GPU 0     450.0    600.0\n"
                  "GPU 1     440.0    500.0\n"
                  "GPU 0     450.0    N/A\n"
                  "GPU 1     440.0    300.0\n"
                  "#Entity   POWER    POWINST\n"
                  "ID        W        W\n"
                  "GPU 0     450.0    200.0\n"
                  "GPU 1     440.0    100.0\n", TRACE_DCGMI, -1);
    assert_int_equal(trace_instant(t), 1);
    assert_int_equal(trace_points(t), 3);
    assert_near(trace_at(t, 1.0, 0, NULL), 400.0 + 300.0, 1e-9);
    assert_gaps(t, 1, 1, 2.0, 5);
    trace_free(t);
    t = load_text("#Entity   POWER\n"
                  "ID        W\n"
                  "GPU 0     450.0\n"
                  "GPU 0     350.0\n", TRACE_DCGMI, 0);
    assert_int_equal(trace_instant(t), 0);
    assert_near(trace_mean(t), 400.0, 1e-9);
    trace_free(t);
    expect_error("#Entity   SMCLK\nGPU 0 1410\n", TRACE_DCGMI, 0, 1,
                 "expected a POWER (-e 155) or POWINST (-e 157) column");
    expect_error("# gpu pwr\n", TRACE_DCGMI, 0, 1, "expected the dcgmi header");
    expect_error("#Entity   POWER\nGPU-I 3   1.0\n", TRACE_DCGMI, 0, 2,
                 "expected a GPU row such as `GPU 0 250.5`");
    expect_error("#Entity   POWER\nGPU 0\n", TRACE_DCGMI, 0, 2,
                 "expected `GPU N` and 1 value(s)");
}

/* A wall meter's CSV: named columns, dates or seconds, empty values as gaps. */
static void wall_meter_format(void **state)
{
    trace *t;

    (void)state;
    t = load_text("Time,Watts,Volts,PF\n"
                  "2025-01-31 23:59:59,1000.0,120.0,0.99\n"
                  "2025-02-01T00:00:00Z,,120.0,\n"
                  "2025-02-01 00:00:01,1200.0,120.0,0.99\n", TRACE_WALL_METER, 0);
    assert_int_equal(trace_points(t), 3);
    assert_near(trace_duration(t), 2.0, 1e-12);
    assert_near(trace_at(t, 1.0, 0, NULL), 1100.0, 1e-9);
    assert_int_equal(trace_instant(t), -1);
    assert_gaps(t, 1, 1, 2.0, 3);
    trace_free(t);
    /* semicolons, seconds, the header again: a joined log */
    t = load_text("Time [s];Power [W];Energy [Wh]\n"
                  "0;100;0\n"
                  "1;100;0.03\n"
                  "Time [s];Power [W];Energy [Wh]\n"
                  "2;400;0.06\n", TRACE_WALL_METER, 0);
    assert_near(trace_at(t, 1.5, 0, NULL), 250.0, 1e-9);
    assert_gaps(t, 1, 0, 1.0, 4);
    trace_free(t);
    expect_error("Time,Energy (Wh)\n", TRACE_WALL_METER, 0, 1, "no watts column");
    expect_error("foo bar\n", TRACE_WALL_METER, 0, 1, "no separator");
    expect_error("time,watts\n0,100\n2025-01-31 12:00:00,100\n", TRACE_WALL_METER, 0, 3,
                 "(seconds, as the first row)");
    expect_error("time,watts\n0,100\n1,12 kW\n", TRACE_WALL_METER, 0, 3,
                 "expected watts such as `412.5`");
    expect_error("time,watts\n0,100\n1\n", TRACE_WALL_METER, 0, 3,
                 "expected 2 fields as in the header, got 1");
    {
        char path[64], err[256] = "";

        static const char two[] = "time,watts\n0,100\n1,100\n";

        write_temp(two, strlen(two), path);
        assert_null(trace_load(path, TRACE_WALL_METER, 1, err, sizeof err));
        unlink(path);
        assert_non_null(strstr(err, "one series"));
    }
}

/* The shipped samples in scenarios/traces (README.md there): every variant
 * loads, with its closed-form mean and its gaps. */
static void shipped_samples(void **state)
{
    static const struct {
        const char *file;
        int fmt, gpu;
        double mean_w;
        size_t gaps, samples;
        int instant;
    } cases[] = {
        /* GPU 0 = 400 + 100 t, GPU 1 = 300 + 100 t with 5 missing values or
         * rows and a joined log: the sum 700 + 200 t over 1.1 s */
        { "scenarios/traces/synthetic-smi-gaps.csv", TRACE_NVIDIA_SMI, -1, 810.0, 6, 6, 0 },
        { "scenarios/traces/synthetic-smi-gaps.csv", TRACE_NVIDIA_SMI, 1, 355.0, 4, 4, 0 },
        /* instant: 560/250 alternating per GPU, trapezoids over 0.4 s */
        { "scenarios/traces/synthetic-smi-instant.csv", TRACE_NVIDIA_SMI, -1, 803.25, 0, 0, 1 },
        /* (410+395, 560+548, 250+549.5, 555+551, 255+247, 558+550) at 1 s */
        { "scenarios/traces/synthetic-dmon.log", TRACE_DMON, -1, 894.4, 1, 1, 0 },
        { "scenarios/traces/synthetic-dcgmi.log", TRACE_DCGMI, -1, 879.8425, 1, 1, 1 },
        { "scenarios/traces/synthetic-wall-meter.csv", TRACE_WALL_METER, 0, 1459.294444444, 1,
          1, -1 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[512] = "";
        trace *t = trace_load(cases[i].file, (enum trace_format)cases[i].fmt, cases[i].gpu,
                              err, sizeof err);
        struct trace_gaps g;

        if (t == NULL)
            fail_msg("%s: %s", cases[i].file, err);
        trace_gaps(t, &g);
        assert_rel(trace_mean(t), cases[i].mean_w, 1e-9);
        assert_int_equal(g.gaps, cases[i].gaps);
        assert_int_equal(g.samples, cases[i].samples);
        assert_int_equal(trace_instant(t), cases[i].instant);
        trace_free(t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_interpolation),
        cmocka_unit_test(csv_mean_trapezoid),
        cmocka_unit_test(csv_loop),
        cmocka_unit_test(csv_cursor),
        cmocka_unit_test(format_names),
        cmocka_unit_test(synthetic_two_gpus),
        cmocka_unit_test(smi_index_column),
        cmocka_unit_test(smi_dates),
        cmocka_unit_test(errors_file),
        cmocka_unit_test(errors_csv),
        cmocka_unit_test(errors_smi),
        cmocka_unit_test(errors_smi_index),
        cmocka_unit_test(errors_arguments),
        cmocka_unit_test(gap_missing_values),
        cmocka_unit_test(gap_missing_row),
        cmocka_unit_test(gap_repeated_header),
        cmocka_unit_test(gap_too_long),
        cmocka_unit_test(smi_instant),
        cmocka_unit_test(dmon_format),
        cmocka_unit_test(dcgmi_format),
        cmocka_unit_test(wall_meter_format),
        cmocka_unit_test(shipped_samples),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

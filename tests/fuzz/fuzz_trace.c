/* fuzz_trace — libFuzzer target for the trace reader (trace_load()).
 *
 * The first byte picks the format and the GPU index; the rest is the log:
 *   format     byte >> 5: 5 dmon, 6 dcgmi, 7 wall-meter (nvidia-smi dmon -s p,
 *              dcgmi dmon, a wall meter's CSV); else byte & 1: 0 csv, 1 nvidia-smi
 *   GPU index  ((byte >> 1) % 10) - 2, so -2 .. 7: -1 (all GPUs summed) is
 *              0x02 / 0x03, GPU 0 is 0x04 / 0x05, GPU 1 is 0x06 / 0x07; -2 and
 *              a csv log with a GPU above 0 reach the argument checks.
 * The log is written to <scratch>/trace.log (fuzz_common.h) and loaded. A
 * loaded trace is replayed at a few times (trace_at with and without loop, and
 * with the cursor) so its arrays are read end to end, then freed. ASan/LSan
 * report any leak or overflow, UBSan any undefined behaviour; replay() also
 * checks what trace.h promises of a loaded trace and abort()s with a message
 * when a promise is broken (PSUSIM_FUZZ_ORACLE=0 in the environment turns these
 * checks off, leaving the sanitizers only). See tests/fuzz/README.md.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "trace.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char log_path[FUZZ_PATH_LEN * 2];
static int oracle = 1;        /* 0: PSUSIM_FUZZ_ORACLE=0, skip replay()'s checks */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *env = getenv("PSUSIM_FUZZ_ORACLE");

    (void)argc;
    (void)argv;
    oracle = !(env != NULL && strcmp(env, "0") == 0);
    fuzz_setup(0);
    return 0;
}

/* Stops the run (a crash libFuzzer saves) when a promise of trace.h is broken. */
static void expect(int ok, const char *what, double got)
{
    if (ok)
        return;
    fprintf(stderr, "fuzz_trace: a loaded trace breaks its contract: %s (got %g)\n",
            what, got);
    abort();
}

/* The contract of a loaded trace (trace.h): at least 2 samples, times from 0
 * strictly increasing (a positive, finite span), finite non-negative watts, so
 * a finite mean and a finite trace_at() anywhere; NAN at a NAN time and with
 * LOOP at an infinite one; the cursor changes nothing but the speed. Unless
 * PSUSIM_FUZZ_ORACLE=0, where only the sanitizers judge. */
static void replay(const trace *t)
{
    size_t n = trace_points(t), cursor = 0;
    double span = trace_duration(t), mean = trace_mean(t);

    expect(n >= 2, "at least 2 samples", (double)n);
    expect(isfinite(span) && span > 0, "a finite positive span, s", span);
    expect(isfinite(mean) && mean >= 0, "a finite mean >= 0, W", mean);
    expect(isfinite(trace_at(t, 0, 0, NULL)), "finite power at 0 s, W",
           trace_at(t, 0, 0, NULL));
    /* a walk over two periods with the cursor, looping, then back without */
    for (int i = 0; i <= 16; i++) {
        double ts = span * (double)i / 8.0;
        double a = trace_at(t, ts, 1, &cursor);
        double b = trace_at(t, ts, 1, NULL);

        expect(isfinite(a), "finite power while looping, W", a);
        expect(a == b, "the same power with and without the cursor, W", a - b);
    }
    cursor = 0;
    for (int i = 16; i >= 0; i--) {
        double p = trace_at(t, span * (double)i / 16.0, 0, &cursor);

        expect(isfinite(p) && p >= 0, "finite power >= 0, W", p);
    }
    expect(isnan(trace_at(t, NAN, 0, NULL)), "NAN at a NAN time", trace_at(t, NAN, 0, NULL));
    expect(isnan(trace_at(t, INFINITY, 1, NULL)), "NAN at an infinite time with loop",
           trace_at(t, INFINITY, 1, NULL));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    enum trace_format fmt;
    int gpu;
    trace *t;

    if (size < 1)
        return 0;
    {
        static const enum trace_format high[] = { TRACE_DMON, TRACE_DCGMI, TRACE_WALL_METER };
        unsigned sel = (unsigned)data[0] >> 5;
        fmt = sel >= 5 ? high[sel - 5] : (data[0] & 1) ? TRACE_NVIDIA_SMI : TRACE_CSV;
    }
    gpu = (int)((data[0] >> 1) % 10) - 2;   /* -2 .. 7 */
    fuzz_write("trace.log", data + 1, size - 1, log_path, sizeof log_path);
    err[0] = '\0';
    t = trace_load(log_path, fmt, gpu, err, sizeof err);
    if (t == NULL) {
        if (oracle && err[0] == '\0') {
            fprintf(stderr, "fuzz_trace: trace_load failed without a message\n");
            abort();
        }
    } else if (oracle) {
        replay(t);
    }
    trace_free(t);
    return 0;
}

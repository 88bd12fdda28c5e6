/* fuzz_scenario — libFuzzer target for the scenario loader (scenario_load()).
 *
 * The whole input is the INI text. It is written to <scratch>/in.ini (one
 * scratch folder per process, fuzz_common.h) and loaded with the presets of
 * scenarios/presets (run from the repository root, or set PSUSIM_FUZZ_PRESETS).
 * Beside it the scratch folder holds two small fixed logs, traces/power.csv
 * (csv) and traces/synthetic-2gpu-training.csv (nvidia-smi, 2 GPUs), so that a
 * [trace] section of an input (the seed corpus has some) reaches trace_load().
 * A loaded scenario is freed; ASan/LSan report any leak, UBSan any undefined
 * behaviour. With PSUSIM_FUZZ_VERBOSE set in the environment each input's
 * outcome and messages are printed (for reading a reproducer). See
 * tests/fuzz/README.md.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "scenario.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char trace_csv[] =
    "time_s,watts\n"
    "0,100\n"
    "0.5,350.5\n"
    "1.0,120\n"
    "1.5,400\n";

static const char trace_smi[] =
    "timestamp, power.draw [W]\n"
    "2024/12/31 23:59:30.000, 559.30 W\n"
    "2024/12/31 23:59:30.000, 555.10 W\n"
    "2024/12/31 23:59:30.103, 558.20 W\n"
    "2024/12/31 23:59:30.103, 548.48 W\n"
    "2024/12/31 23:59:30.203, 559.37 W\n"
    "2024/12/31 23:59:30.203, 548.47 W\n"
    "2024/12/31 23:59:30.300, 247.70 W\n"
    "2024/12/31 23:59:30.300, 246.94 W\n";

static char ini_path[FUZZ_PATH_LEN * 2];
static const char *preset_dir = "scenarios/presets";
static int verbose;           /* PSUSIM_FUZZ_VERBOSE set: print the outcome */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *env = getenv("PSUSIM_FUZZ_PRESETS");
    char p[FUZZ_PATH_LEN * 2];

    (void)argc;
    (void)argv;
    if (env != NULL && env[0] != '\0')
        preset_dir = env;
    verbose = getenv("PSUSIM_FUZZ_VERBOSE") != NULL;
    if (access(preset_dir, R_OK) != 0)
        fprintf(stderr, "fuzz_scenario: warning: no preset folder '%s' (run from the "
                "repository root or set PSUSIM_FUZZ_PRESETS); preset = lines will "
                "only reach the error paths\n", preset_dir);
    fuzz_setup(1);
    fuzz_write("traces/power.csv", (const uint8_t *)trace_csv, sizeof trace_csv - 1, p,
               sizeof p);
    fuzz_write("traces/synthetic-2gpu-training.csv", (const uint8_t *)trace_smi,
               sizeof trace_smi - 1, p, sizeof p);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct diag d;     /* 25 kB: kept off the stack */
    struct scn_options opt = { preset_dir, NULL, 0 };
    struct scenario *s = NULL;
    int rc;

    fuzz_write("in.ini", data, size, ini_path, sizeof ini_path);
    diag_init(&d);
    rc = scenario_load(ini_path, &opt, &s, &d);
    /* scenario.h: 0 with a scenario and no message, or -1 with *OUT NULL and
     * every problem in D */
    if ((rc == 0 && (s == NULL || diag_total(&d) != 0))
        || (rc != 0 && (rc != -1 || s != NULL || diag_total(&d) == 0))) {
        fprintf(stderr, "fuzz_scenario: scenario_load broke its contract: returned %d, "
                "scenario %s, %zu message(s)\n", rc, s ? "set" : "NULL", diag_total(&d));
        abort();
    }
    if (verbose) {
        fprintf(stderr, "fuzz_scenario: %s\n", s ? "loaded" : "rejected");
        for (size_t i = 0; i < d.n; i++)
            fprintf(stderr, "  %s\n", d.msg[i]);
    }
    scenario_free(s);
    return 0;
}

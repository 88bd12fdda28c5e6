/* fuzz_set — libFuzzer target for the --set / --vary texts: scenario_load()'s
 * overrides, sweep_parse_vary() and units_parse() on the value.
 *
 * The input is split at '\n' into up to FUZZ_MAX_TEXTS (16) texts; the rest is
 * ignored. The CLI refuses a control character in an argument, so a newline
 * never occurs inside a real --set; a NUL byte ends its text early, as it would
 * an argv string. Then:
 *
 *  1. every text is a --set of one scenario_load() of a fixed small valid
 *     scenario (the seed rig with its presets written out, and a csv trace,
 *     written into the scratch folder at start-up: fuzz_common.h); a --set of
 *     a `preset` key reads the presets of scenarios/presets;
 *  2. each text is a --vary spec for sweep_parse_vary(); the first two that
 *     parse (psusim takes at most two --vary) are then loaded as a sweep loads
 *     its points, with the --set texts "KEY=VALUE" of their first values, then
 *     of their last values;
 *  3. the value part of each text (after the first '=', or the whole text) goes
 *     through units_parse_any() and units_parse() for every unit kind.
 *
 * Beyond the sanitizers it checks what the headers promise and abort()s with a
 * one-line message when a promise is broken:
 *  - scenario_load(): 0 with a scenario and no message, or -1 with no scenario
 *    and at least one message (scenario.h);
 *  - sweep_parse_vary(): 0 with a non-empty key (no '=') and 1..SWEEP_MAX_VALUES
 *    values, each a non-empty terminated text with its SI figure finite or NAN
 *    (a word), and a unit; or -1 with a non-empty message (sweep.h);
 *  - units_parse_any() / units_parse(): 0 with a finite value within 1e15 and a
 *    kind in range, or -1 with a message; and the two agree: a value parses as
 *    kind K exactly when units_parse_any() finds unit K or none, to the same
 *    figure (units.h).
 * PSUSIM_FUZZ_VERBOSE=1 prints each step's outcome and messages (to read a
 * reproducer); PSUSIM_FUZZ_PRESETS=DIR names the preset folder (default
 * scenarios/presets: run from the repository root). See tests/fuzz/README.md.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "scenario.h"
#include "sweep.h"
#include "units.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { FUZZ_MAX_TEXTS = 16 };

/* The seed rig of scenarios/seed-dual-5090-us15a.ini with its presets written
 * out (so the preset files are read only when a --set names a preset: reading
 * them for every input would cost three quarters of the time) and a csv trace,
 * so that an address of each KIND names a section. */
static const char scenario_ini[] =
    "[scenario]\n"
    "name     = fuzz_set fixed scenario\n"
    "duration = 10 min\n"
    "step     = 50 us\n"
    "job      = 8 h\n"
    "seed     = 42\n"
    "tariff   = 0.16 USD/kWh\n"
    "\n"
    "[circuit wall]\n"
    "voltage             = 120 V\n"
    "supply_low          = 114 V\n"
    "supply_high         = 126 V\n"
    "frequency           = 60 Hz\n"
    "breaker             = 15 A\n"
    "curve               = ul489\n"
    "continuous_limit    = 80 %\n"
    "cord_and_plug_limit = 80 %\n"
    "wire_resistance     = 0.25 ohm\n"
    "\n"
    "[psu main]\n"
    "circuit    = wall\n"
    "rating     = 2500 W\n"
    "efficiency = 80plus-titanium\n"
    "\n"
    "[gpu rtx5090]\n"
    "psu             = main\n"
    "rated           = 575 W\n"
    "idle            = 40 W\n"
    "connector       = 12v-2x6\n"
    "connector_count = 1\n"
    "count           = 2\n"
    "power_limit     = 575 W\n"
    "workload        = training\n"
    "\n"
    "[cpu threadripper]\n"
    "psu  = main\n"
    "pl1  = 350 W\n"
    "pl2  = 350 W\n"
    "tau  = 56 s\n"
    "pl4  = 0 W\n"
    "idle = 40 W\n"
    "\n"
    "[load board]\n"
    "psu   = main\n"
    "power = 150 W\n"
    "\n"
    "[trace kettle]\n"
    "circuit = wall\n"
    "file    = traces/power.csv\n"
    "format  = csv\n"
    "loop    = yes\n";

static const char trace_csv[] =
    "time_s,watts\n"
    "0,100\n"
    "0.5,350.5\n"
    "1.0,120\n"
    "1.5,400\n";

static char ini_path[FUZZ_PATH_LEN * 2];
static const char *preset_dir = "scenarios/presets";
static int verbose;           /* PSUSIM_FUZZ_VERBOSE set: print the outcomes */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *env = getenv("PSUSIM_FUZZ_PRESETS");
    char p[FUZZ_PATH_LEN * 2];
    static struct diag d;
    struct scn_options opt;
    struct scenario *s = NULL;

    (void)argc;
    (void)argv;
    if (env != NULL && env[0] != '\0')
        preset_dir = env;
    verbose = getenv("PSUSIM_FUZZ_VERBOSE") != NULL;
    fuzz_setup(1);
    fuzz_write("traces/power.csv", (const uint8_t *)trace_csv, sizeof trace_csv - 1, p,
               sizeof p);
    fuzz_write("set.ini", (const uint8_t *)scenario_ini, sizeof scenario_ini - 1, ini_path,
               sizeof ini_path);
    /* the fixed scenario must load, or every input would stop at its errors */
    opt.preset_dir = preset_dir;
    opt.sets = NULL;
    opt.n_sets = 0;
    diag_init(&d);
    if (scenario_load(ini_path, &opt, &s, &d) != 0) {
        fprintf(stderr, "fuzz_set: the fixed scenario does not load (presets '%s'; run "
                "from the repository root or set PSUSIM_FUZZ_PRESETS):\n", preset_dir);
        for (size_t i = 0; i < d.n; i++)
            fprintf(stderr, "  %s\n", d.msg[i]);
        exit(1);
    }
    scenario_free(s);
    return 0;
}

/* Loads the fixed scenario with the N texts of SETS as --set; checks
 * scenario.h's promise. WHAT names the step for messages. */
static void load(const char *const *sets, size_t n, const char *what)
{
    static struct diag d;     /* 25 kB: kept off the stack */
    struct scn_options opt;
    struct scenario *s = NULL;
    int rc;

    opt.preset_dir = preset_dir;
    opt.sets = sets;
    opt.n_sets = n;
    diag_init(&d);
    rc = scenario_load(ini_path, &opt, &s, &d);
    if ((rc == 0 && (s == NULL || diag_total(&d) != 0))
        || (rc != 0 && (rc != -1 || s != NULL || diag_total(&d) == 0))) {
        fprintf(stderr, "fuzz_set: scenario_load (%s) broke its contract: returned %d, "
                "scenario %s, %zu message(s)\n", what, rc, s ? "set" : "NULL",
                diag_total(&d));
        abort();
    }
    if (verbose) {
        fprintf(stderr, "fuzz_set: %s: %s\n", what, s ? "loaded" : "rejected");
        for (size_t i = 0; i < d.n; i++)
            fprintf(stderr, "  %s\n", d.msg[i]);
    }
    scenario_free(s);
}

/* Stops the run (a crash libFuzzer saves) when a promise is broken. */
static void expect(int ok, const char *fn, const char *what, const char *text)
{
    if (ok)
        return;
    fprintf(stderr, "fuzz_set: %s broke its contract: %s (input '%.200s')\n", fn, what,
            text);
    abort();
}

/* sweep_parse_vary() on TEXT into AX; checks sweep.h's promise. Returns 1 when
 * it parsed. */
static int vary(const char *text, struct sweep_axis *ax)
{
    char err[512];
    int rc;

    err[0] = '\0';
    rc = sweep_parse_vary(text, ax, err, sizeof err);
    if (verbose)
        fprintf(stderr, "fuzz_set: --vary '%s': %s%s%zu value(s)\n", text,
                rc == 0 ? "" : err, rc == 0 ? "" : "; ", rc == 0 ? ax->n : (size_t)0);
    if (rc != 0) {
        expect(rc == -1, "sweep_parse_vary", "returned neither 0 nor -1", text);
        expect(err[0] != '\0' && memchr(err, '\0', sizeof err) != NULL,
               "sweep_parse_vary", "failed without a message", text);
        return 0;
    }
    expect(memchr(ax->key, '\0', sizeof ax->key) != NULL && ax->key[0] != '\0'
           && strchr(ax->key, '=') == NULL, "sweep_parse_vary",
           "an empty, unterminated or '='-holding key", text);
    expect(ax->n >= 1 && ax->n <= SWEEP_MAX_VALUES, "sweep_parse_vary",
           "a value count outside 1..SWEEP_MAX_VALUES", text);
    expect(ax->unit != NULL, "sweep_parse_vary", "no unit text", text);
    for (size_t i = 0; i < ax->n; i++) {
        expect(memchr(ax->text[i], '\0', SWEEP_VALUE_LEN) != NULL && ax->text[i][0] != '\0',
               "sweep_parse_vary", "an empty or unterminated value", text);
        expect(isnan(ax->si[i]) || isfinite(ax->si[i]), "sweep_parse_vary",
               "an infinite SI value", text);
    }
    return 1;
}

/* units_parse_any() and units_parse() for every kind on TEXT; checks units.h's
 * promises and that they agree. */
static void units(const char *text)
{
    char err[512];
    double any_v = NAN;
    enum unit_kind any_k = UNIT_KIND_COUNT;
    int any_rc;

    err[0] = '\0';
    any_rc = units_parse_any(text, &any_v, &any_k, err, sizeof err);
    if (any_rc == 0) {
        expect(isfinite(any_v) && fabs(any_v) <= 1e15, "units_parse_any",
               "a value not finite or above 1e15", text);
        expect((int)any_k >= 0 && any_k < UNIT_KIND_COUNT, "units_parse_any",
               "a kind out of range", text);
    } else {
        expect(any_rc == -1 && err[0] != '\0', "units_parse_any",
               "failed without a message, or returned neither 0 nor -1", text);
    }
    for (int k = 0; k < UNIT_KIND_COUNT; k++) {
        double v = NAN;
        int rc;

        err[0] = '\0';
        rc = units_parse(text, (enum unit_kind)k, &v, err, sizeof err);
        if (rc == 0) {
            expect(isfinite(v) && fabs(v) <= 1e15, "units_parse",
                   "a value not finite or above 1e15", text);
            expect(any_rc == 0 && (any_k == (enum unit_kind)k || any_k == UNIT_NONE)
                   && v == any_v, "units_parse",
                   "accepted what units_parse_any does not, or to another figure", text);
        } else {
            expect(rc == -1 && err[0] != '\0', "units_parse",
                   "failed without a message, or returned neither 0 nor -1", text);
            expect(!(any_rc == 0 && (any_k == (enum unit_kind)k || any_k == UNIT_NONE)),
                   "units_parse", "refused a value units_parse_any reads as its kind",
                   text);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct sweep_axis ax[2];   /* 60 kB each: kept off the stack */
    static struct sweep_axis scratch;
    const char *texts[FUZZ_MAX_TEXTS];
    size_t n = 0, n_axes = 0;
    char *buf = malloc(size + 1);

    if (buf == NULL)
        return 0;
    if (size > 0)
        memcpy(buf, data, size);
    buf[size] = '\0';
    /* the texts: lines, each ending at its '\n' (a final '\n' ends the last
     * one) or earlier at a NUL byte in it, as an argv string would */
    for (char *p = buf, *end = buf + size; n < FUZZ_MAX_TEXTS;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));

        texts[n++] = p;
        if (nl == NULL)
            break;
        *nl = '\0';
        p = nl + 1;
        if (p == end)
            break;
    }

    /* 1. all the texts as --set */
    load(texts, n, "--set");

    /* 2. each as --vary; the first two that parse loaded as a sweep's points */
    for (size_t i = 0; i < n; i++) {
        struct sweep_axis *a = n_axes < 2 ? &ax[n_axes] : &scratch;

        if (vary(texts[i], a) && a != &scratch)
            n_axes++;
    }
    if (n_axes > 0) {
        /* as cmd_sweep builds them: "KEY=VALUE" (alone: the texts were loaded
         * as --set in step 1) */
        static char point[2][2][SWEEP_KEY_LEN + SWEEP_VALUE_LEN + 2];

        const char *sets[2];

        for (int end = 0; end < 2; end++) {
            for (size_t k = 0; k < n_axes; k++) {
                snprintf(point[end][k], sizeof point[end][k], "%s=%s", ax[k].key,
                         ax[k].text[end == 0 ? 0 : ax[k].n - 1]);
                sets[k] = point[end][k];
            }
            load(sets, n_axes, end == 0 ? "sweep, first values" : "sweep, last values");
        }
    }

    /* 3. the value part of each through the unit parser */
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(texts[i], '=');

        units(eq ? eq + 1 : texts[i]);
    }
    free(buf);
    return 0;
}

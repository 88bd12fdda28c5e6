/* scenario — see include/scenario.h.
 *
 * Reading happens in three steps:
 *   1. collect: the file's sections and key = value entries (with their lines),
 *      the --set overrides, and for a section with `preset = NAME` the preset's
 *      entries, each entry tagged with its priority;
 *   2. convert: for each section, each row of key_table takes the winning entry
 *      (or its default) through the row's converter into the section's struct;
 *   3. validate: cross-references, schedules, limits that involve several keys.
 * Every problem is added to the caller's diag with its file, line, section and
 * key; nothing stops at the first error.
 */
#include "scenario.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "circuit.h"
#include "cpu.h"
#include "gpu.h"
#include "inifile.h"
#include "preset.h"
#include "text.h"
#include "trace.h"
#include "units.h"

/* ================================================================ the table == */

/* [scenario] defaults that depend on other keys (validate). */
static const double DEFAULT_DURATION_S = 600;           /* no job: 10 min */
static const double MAX_DEFAULT_DURATION_S = 86400;     /* a job longer: 24 h of it */
static const double DEFAULT_SAMPLE_S = 10e-3;
static const double MAX_DEFAULT_ROWS = 360000;

enum val_type {
    VT_NUMBER,      /* a number with a unit of the row's kind, range-checked */
    VT_TEXT,        /* free text */
    VT_REF,         /* the name of another section (checked in validate) */
    VT_PRESET,      /* the name of a preset of the same kind */
    VT_SEED,        /* an unsigned 64-bit integer */
    VT_COUNT,       /* a whole number in range */
    VT_CURVE,       /* a breaker curve family by name */
    VT_EFFICIENCY,  /* an 80 PLUS level name, or efficiency points */
    VT_POINTS,      /* load:value points (efficiency at one voltage, power factor) */
    VT_LIMIT,       /* a fraction of the breaker rating (80 %) or a current (10 A) */
    VT_EDGE,        /* a tolerance edge: fast, nominal, slow */
    VT_SUPPLY,      /* nominal, low, high */
    VT_SOLVER,      /* stride, fixed */
    VT_GAUGE,       /* a conductor size from wire_table: "14 AWG", "2.5 mm2" */
    VT_RCD,         /* none, gfci, or a rated residual current (30 mA) */
    VT_ATX,         /* 3.0, 3.1, none */
    VT_INLET,       /* none, c14, c20, nema-5-15 ... (the inlets table) */
    VT_SPIKE_SCALE, /* rated, limit */
    VT_CONNECTOR,   /* none, slot, 6pin, 8pin, 12v-2x6 */
    VT_TARIFF,      /* a price per kWh with a currency label: "0.30 EUR/kWh" */
    VT_GPU_WORKLOAD, /* constant, idle, training, inference */
    VT_GPU_SYNC,    /* lockstep, random */
    VT_TRANSIENTS,  /* off, typical, worst */
    VT_TRACE_TRANSIENTS, /* none (off), typical, worst */
    VT_CPU_LOAD,    /* full, idle, bursty */
    VT_TRACE_FORMAT, /* csv, nvidia-smi */
    VT_BOOL,        /* yes, no */
    VT_GPU_INDEX,   /* all, or 0, 1, ... */
    VT_PATH,        /* a file name */
    VT_UPS_TOPOLOGY, /* online, line-interactive, offline */
    VT_UPS_WAVEFORM, /* sine, stepped */
    VT_UPS_CURVE,   /* overload points load:time (ups.h) */
    VT_SYSTEM,      /* single, split-phase, three-phase */
    VT_PHASE        /* L1, L2, L3, L1-L2, L2-L3, L3-L1 */
};

struct key_spec {
    enum scn_kind kind;     /* section kind it belongs to */
    const char *key;        /* as written in the INI */
    enum val_type type;
    enum unit_kind unit;    /* VT_NUMBER: the unit kind */
    size_t offset;          /* field in the section's struct */
    size_t size;            /* VT_TEXT/VT_REF/VT_PRESET: the field's size */
    const char *def;        /* default as a user writes it; NULL: none here */
    const char *def_doc;    /* the default as the reference shows it */
    double lo, hi;          /* allowed range in SI (VT_NUMBER, VT_COUNT) */
    int lo_open;            /* 1: LO itself is not allowed (must be above) */
    const char *help;       /* one line for the reference */
};

#define SC(f) offsetof(struct scn_scenario, f), sizeof(((struct scn_scenario *)0)->f)
#define CI(f) offsetof(struct scn_circuit, f), sizeof(((struct scn_circuit *)0)->f)
#define PS(f) offsetof(struct scn_psu, f), sizeof(((struct scn_psu *)0)->f)
#define LD(f) offsetof(struct scn_load, f), sizeof(((struct scn_load *)0)->f)
#define UP(f) offsetof(struct scn_ups, f), sizeof(((struct scn_ups *)0)->f)
#define ST(f) offsetof(struct scn_strip, f), sizeof(((struct scn_strip *)0)->f)
#define PN(f) offsetof(struct scn_panel, f), sizeof(((struct scn_panel *)0)->f)
#define REQ "required"

/* Ranges: the engine's step may be 10 us to 1 ms (DESIGN.md 3). Voltages, currents
 * and powers are bounded to what a building's branch circuit can be, so that a
 * typo (15 kA) is caught. */
static const struct key_spec key_table[] = {
    /* [scenario] */
    { SCN_SCENARIO, "name", VT_TEXT, UNIT_NONE, SC(name), "", "the file name", 0, 0, 0,
      "title used in reports" },
    { SCN_SCENARIO, "description", VT_TEXT, UNIT_NONE, SC(description), "", "empty", 0, 0, 0,
      "free text, shown in reports" },
    { SCN_SCENARIO, "duration", VT_NUMBER, UNIT_TIME, SC(duration_s), NULL,
      "the job (at most 24 h), else 10 min", 0, 30 * 86400.0, 1,
      "simulated time; shorter than the job, the rest is extrapolated and the output "
      "says so" },
    { SCN_SCENARIO, "step", VT_NUMBER, UNIT_TIME, SC(step_s), "50 us", NULL,
      10e-6, 1e-3, 0, "engine time step (10 us to 1 ms)" },
    { SCN_SCENARIO, "job", VT_NUMBER, UNIT_TIME, SC(job_s), NULL, "the duration",
      0, 3650 * 86400.0, 1, "how long the real job runs; 3 h or more makes it a "
      "continuous load (NEC art. 100)" },
    { SCN_SCENARIO, "sustained_window", VT_NUMBER, UNIT_TIME, SC(sustained_window_s),
      "15 min", NULL, 1, 86400.0, 0, "the continuous and cord-and-plug rules judge the "
      "highest RMS current over this window (15 min: the demand interval of NEC 220.87)" },
    { SCN_SCENARIO, "sample", VT_NUMBER, UNIT_TIME, SC(sample_s), NULL,
      "10 ms, longer runs: duration / 360000",
      10e-6, 86400.0, 0, "interval of timeseries.csv rows (each row holds min/mean/max)" },
    { SCN_SCENARIO, "seed", VT_SEED, UNIT_NONE, SC(seed), "1", NULL, 0, 0, 0,
      "seed of the random streams (same seed, same output)" },
    { SCN_SCENARIO, "ambient", VT_NUMBER, UNIT_TEMPERATURE, SC(ambient_c), NULL,
      "each device's calibration ambient (40 C UL 489, 30 C IEC)", -40, 100, 0,
      "air temperature at the breakers; hotter trips sooner" },
    { SCN_SCENARIO, "tariff", VT_TARIFF, UNIT_NONE, SC(currency), NULL, "none", 0, 0, 0,
      "energy price, e.g. `0.30 EUR/kWh`: the summary gives the job's cost" },
    { SCN_SCENARIO, "stagger", VT_NUMBER, UNIT_TIME, SC(stagger_s), "0 s", NULL,
      0, 3600, 0, "PSUs power on this far apart, in file order" },
    { SCN_SCENARIO, "include", VT_TEXT, UNIT_NONE, SC(include), "", "none", 0, 0, 0,
      "rig files whose sections join this scenario (`include = rig-a.ini, rig-b.ini`, "
      "relative to this file; their own [scenario] is skipped; in the file only)" },
    { SCN_SCENARIO, "split", VT_COUNT, UNIT_NONE, SC(split), "1", NULL, 1, 8, 0,
      "spread the GPU cards over N copies of their PSU, each on its own copy of its "
      "circuit (NAME-2 ... NAME-N); CPU, board and AC loads stay on the first: a "
      "second circuit, as recommend proposes it" },
    { SCN_SCENARIO, "solver", VT_SOLVER, UNIT_NONE, SC(solver), "stride", NULL, 0, 0, 0,
      "stride: quiet stretches in closed form (fast); fixed: every step (the reference; "
      "always with a [ups])" },

    /* [circuit NAME] */
    { SCN_CIRCUIT, "preset", VT_PRESET, UNIT_NONE, CI(preset), "", "none", 0, 0, 0,
      "start from this circuit preset (`psusim presets circuit`)" },
    { SCN_CIRCUIT, "description", VT_TEXT, UNIT_NONE, CI(description), "", "empty", 0, 0, 0,
      "free text" },
    { SCN_CIRCUIT, "voltage", VT_NUMBER, UNIT_VOLTAGE, CI(voltage_v), NULL, REQ,
      50, 480, 0, "nominal RMS voltage at the source" },
    { SCN_CIRCUIT, "supply", VT_SUPPLY, UNIT_NONE, CI(supply), "nominal", NULL, 0, 0, 0,
      "simulate at the nominal voltage, or the low/high end of the supply band" },
    { SCN_CIRCUIT, "supply_low", VT_NUMBER, UNIT_VOLTAGE, CI(supply_low_v), NULL, "none",
      50, 480, 0, "bottom of the supply band (US 114 V, EU 207 V)" },
    { SCN_CIRCUIT, "supply_high", VT_NUMBER, UNIT_VOLTAGE, CI(supply_high_v), NULL, "none",
      50, 480, 0, "top of the supply band" },
    { SCN_CIRCUIT, "frequency", VT_NUMBER, UNIT_FREQUENCY, CI(frequency_hz), "60 Hz", NULL,
      45, 66, 0, "mains frequency (reported; ATX12V input range 47-63 Hz)" },
    { SCN_CIRCUIT, "breaker", VT_NUMBER, UNIT_CURRENT, CI(breaker_a), NULL, REQ,
      1, 125, 0, "rated current In of the breaker" },
    { SCN_CIRCUIT, "curve", VT_CURVE, UNIT_NONE, offsetof(struct scn_circuit, curve), 0,
      NULL, REQ, 0, 0, 0, "trip curve family: ul489, iec-b, iec-c, iec-d, bs1362 (fuse), iec-gg (IEC 60269 gG fuse)" },
    { SCN_CIRCUIT, "tolerance", VT_EDGE, UNIT_NONE, CI(tolerance), "fast", NULL, 0, 0, 0,
      "edge of the curve's tolerance band that decides: fast, nominal, slow" },
    { SCN_CIRCUIT, "magnetic", VT_NUMBER, UNIT_NONE, CI(magnetic_multiple), NULL,
      "the curve's", 1.5, 50, 0, "magnetic pick-up as a multiple of In" },
    { SCN_CIRCUIT, "wire_resistance", VT_NUMBER, UNIT_RESISTANCE, CI(wire_ohm), NULL,
      "0 ohm, or from wire_length", 0, 20, 0,
      "loop resistance of source and wiring (both conductors)" },
    { SCN_CIRCUIT, "wire_length", VT_NUMBER, UNIT_LENGTH, CI(wire_length_m), NULL, "none",
      0, 1000, 1, "one-way length of the run (with wire_gauge, instead of wire_resistance)" },
    { SCN_CIRCUIT, "wire_gauge", VT_GAUGE, UNIT_NONE, CI(wire_gauge), NULL, "none", 0, 0, 0,
      "copper conductor: 14 AWG, 12 AWG, 10 AWG, 1.5 mm2, 2.5 mm2, 4 mm2, or a JP solid "
      "(VVF) wire by diameter: 1.6 mm, 2.0 mm, 2.6 mm; judged by the region's wiring "
      "rule (wiring link)" },
    { SCN_CIRCUIT, "wire_ampacity", VT_NUMBER, UNIT_CURRENT, CI(wire_ampacity_a), NULL,
      "from wire_gauge: NEC 240.4(D) (AWG), IEC 60364-5-52 (mm2)", 0, 500, 1,
      "the run's current-carrying capacity as installed (IEC 60364-5-52 for its "
      "method, grouping and ambient): the breaker may be at most this (wiring link)" },
    { SCN_CIRCUIT, "rcd", VT_RCD, UNIT_NONE, 0, 0, NULL, "none", 0, 0, 0,
      "residual-current device on the circuit: its rated residual current (`30 mA`, "
      "IEC 61008/61009) or `gfci` (UL 943 class A); the rig's earth leakage is judged "
      "against it (rcd link)" },
    { SCN_CIRCUIT, "wire_temperature", VT_NUMBER, UNIT_TEMPERATURE, CI(wire_temp_c), "75 C",
      NULL, -40, 150, 0, "conductor temperature for its resistance (75 C: NEC tables)" },
    { SCN_CIRCUIT, "outlet_limit", VT_NUMBER, UNIT_CURRENT, CI(outlet_limit_a), NULL, "none",
      0, 125, 1, "the outlet's own rating, checked against the rig's sustained current (JP 15 A)" },
    { SCN_CIRCUIT, "cord_and_plug_limit", VT_NUMBER, UNIT_FRACTION, CI(cord_plug_frac), NULL,
      "80 % (ul489 up to 30 A), else none", 0, 1, 0, "NEC 210.23(A)(1)/(B): one cord-and-plug item (the "
      "rig) may draw at most this share of In on a multi-outlet circuit; 0 % for a "
      "dedicated (single-receptacle) circuit or outside the US" },
    { SCN_CIRCUIT, "receptacle", VT_NUMBER, UNIT_CURRENT, CI(receptacle_a), NULL, "none",
      0, 125, 1, "the receptacle's rating (a 15 A receptacle on a 20 A circuit): NEC "
      "210.21(B), the rig may draw at most 80 % of it" },
    { SCN_CIRCUIT, "region", VT_TEXT, UNIT_NONE, CI(region), "",
      "from the curve and voltage", 0, 0, 0,
      "us, ca, de, eu, uk, jp, ie, fr, it, ch, nordic or au (AU and NZ): whose code "
      "rules and fixes `recommend` offers "
      "(ul489 -> us; bs1362 -> uk; 100 V -> jp; else eu)" },
    { SCN_CIRCUIT, "continuous_rule", VT_TEXT, UNIT_NONE, CI(continuous_rule), "",
      "NEC 210.19(A)(1)/210.20(A) (ul489)", 0, 0, 0,
      "the rule or source behind continuous_limit, as the verdict cites it" },
    { SCN_CIRCUIT, "continuous_limit", VT_LIMIT, UNIT_NONE, 0, 0, NULL,
      "80 % (ul489), 100 % (iec)", 0, 0, 0,
      "most current a continuous load may draw: % of In or a current" },
    { SCN_CIRCUIT, "panel", VT_REF, UNIT_NONE, CI(panel), "", "none", 0, 0, 0,
      "the [panel] (or [service]) it is fed from: its current loads the panel's main "
      "on its phase" },
    { SCN_CIRCUIT, "phase", VT_PHASE, UNIT_NONE, CI(phase), "L1", NULL, 0, 0, 0,
      "its phase on the panel: L1, L2 or L3 (line to neutral: the panel's voltage) or "
      "L1-L2, L2-L3, L3-L1 (line to line: 2 x on split-phase, sqrt(3) x on three-phase; "
      "it loads both lines)" },

    /* [psu NAME] */
    { SCN_PSU, "preset", VT_PRESET, UNIT_NONE, PS(preset), "", "none", 0, 0, 0,
      "start from this PSU preset (`psusim presets psu`)" },
    { SCN_PSU, "description", VT_TEXT, UNIT_NONE, PS(description), "", "empty", 0, 0, 0,
      "free text" },
    { SCN_PSU, "circuit", VT_REF, UNIT_NONE, PS(circuit), "", "circuit or ups required",
      0, 0, 0, "the circuit it is plugged into" },
    { SCN_PSU, "ups", VT_REF, UNIT_NONE, PS(ups), "", "none (circuit or ups required)",
      0, 0, 0, "the UPS it is plugged into (instead of circuit): it draws from the UPS's "
      "circuit through the UPS and sees its output voltage" },
    { SCN_PSU, "rating", VT_NUMBER, UNIT_POWER, offsetof(struct scn_psu, params.rating_w),
      0, NULL, REQ, 50, 20000, 0, "rated continuous DC output" },
    { SCN_PSU, "efficiency", VT_EFFICIENCY, UNIT_NONE, PS(efficiency), "80plus-white", NULL,
      0, 0, 0, "80plus-white ... 80plus-titanium, or points `20%:0.90, 50%:0.92, ...`" },
    { SCN_PSU, "efficiency_115", VT_POINTS, UNIT_NONE,
      offsetof(struct scn_psu, params.eff_115), 0, NULL, "from efficiency", 0, 0, 0,
      "measured efficiency points at 115 V input" },
    { SCN_PSU, "efficiency_230", VT_POINTS, UNIT_NONE,
      offsetof(struct scn_psu, params.eff_230), 0, NULL, "from efficiency", 0, 0, 0,
      "measured efficiency points at 230 V input" },
    { SCN_PSU, "pf", VT_POINTS, UNIT_NONE, offsetof(struct scn_psu, params.pf), 0, NULL,
      "by efficiency level", 0, 0, 0,
      "power factor: one value (0.98) or points over load (`20%:0.95, 100%:0.99`)" },
    { SCN_PSU, "no_load", VT_NUMBER, UNIT_POWER, offsetof(struct scn_psu, params.no_load_w), 0,
      NULL, "from the loss fit", 0, 1000, 0,
      "measured input power at zero output: anchors the light-load losses" },
    { SCN_PSU, "min_input", VT_NUMBER, UNIT_VOLTAGE, PS(min_input_v), "90 V", NULL,
      0, 480, 0, "below this input voltage the PSU shuts down (ATX12V range starts at 90 V)" },
    { SCN_PSU, "rating_115v", VT_NUMBER, UNIT_POWER, PS(rating_low_w), NULL, "the rating",
      50, 20000, 0, "rated output at 100-127 V input, where the datasheet derates it (many "
      "units above 1600 W): used on circuits below 180 V" },
    { SCN_PSU, "inlet", VT_INLET, UNIT_NONE, PS(inlet), "none", NULL, 0, 0, 0,
      "its AC inlet or plug: c14 (10 A IEC / 15 A UL), c20 (16 / 20 A), nema-5-15, "
      "nema-5-20; its input current is judged against it" },
    { SCN_PSU, "strip", VT_REF, UNIT_NONE, PS(strip), "", "none", 0, 0, 0,
      "the [strip] (power strip, PDU, extension lead) it is plugged into" },
    { SCN_PSU, "input_rating", VT_NUMBER, UNIT_CURRENT, PS(input_rating_a), NULL, "unknown",
      0, 125, 1, "nameplate input current at the circuit's voltage (e.g. `15 A` of "
      "\"100-240 V, 15-7.5 A\"): NEC 210.23(A)(1) judges the rig's rating too" },
    /* 3.5 mA: the most IEC 62368-1 allows pluggable type A equipment; PSU
     * datasheets state "< 3.5 mA" (facts.md 1, earth leakage, S): an upper bound */
    { SCN_PSU, "leakage", VT_NUMBER, UNIT_CURRENT, PS(leakage_a), "3.5 mA", NULL, 0, 0.1, 0,
      "protective-conductor (earth leakage) current (3.5 mA: the IEC 62368-1 bound "
      "datasheets quote, an upper bound; give the datasheet's figure)" },
    { SCN_PSU, "power_on", VT_NUMBER, UNIT_TIME, PS(power_on_s), "0 s", NULL, 0, 1e9, 0,
      "switched on at (plus the scenario's stagger)" },
    { SCN_PSU, "output_delay", VT_NUMBER, UNIT_TIME, PS(output_delay_s), "100 ms", NULL,
      0, 10, 0, "from power-on to DC output; its loads draw nothing before (ATX12V "
      "power-good delay 100-500 ms)" },
    { SCN_PSU, "atx", VT_ATX, UNIT_NONE, PS(atx), "3.1", NULL, 0, 0, 0,
      "ATX design guide: 3.0 / 3.1 tolerate the excursion envelope; none: an older unit" },
    { SCN_PSU, "opp", VT_NUMBER, UNIT_FRACTION, PS(opp_frac), NULL,
      "125 % (atx 3.x), 120 % (none)", 1, 3, 0,
      "over-power protection set point, share of the rating" },
    { SCN_PSU, "opp_time", VT_NUMBER, UNIT_TIME, PS(opp_time_s), NULL,
      "1 s (atx 3.x), 20 ms (none)", 10e-6, 10, 0,
      "OPP response: the window its set point is averaged over (unknown: the 20 ms "
      "de-glitch of a WT7527 supervisor)" },
    { SCN_PSU, "bulk_capacitance", VT_NUMBER, UNIT_CAPACITANCE, PS(bulk_c_f), NULL,
      "1 uF per W of rating", 1e-6, 0.1, 0, "bulk capacitor (hold-up, spike absorption)" },
    /* 390 V: facts.md 2's 390-400 V (S). 340 V: the drop-out that reproduces the
     * Leadex Titanium 1600 W's measured 16 ms hold-up with its 1560 uF (bulk.h
     * BULK_V_DROPOUT_DEFAULT, D from Tom's Hardware, S) */
    { SCN_PSU, "bulk_voltage", VT_NUMBER, UNIT_VOLTAGE, PS(bulk_v), "390 V", NULL,
      200, 450, 0, "regulated bulk voltage (PFC output)" },
    { SCN_PSU, "dropout_voltage", VT_NUMBER, UNIT_VOLTAGE, PS(dropout_v), "340 V", NULL,
      100, 440, 0, "bulk voltage below which the DC-DC stage drops out (340 V: a "
      "measured 16 ms hold-up)" },
    /* 26 ms: a -3 dB bandwidth of 0.395 / tau = 15.2 Hz, inside the 10-20 Hz of
     * TI UCC28070 / ML4800 (facts.md 2, S; bulk.h BULK_PFC_TAU_DEFAULT_S, D) */
    { SCN_PSU, "pfc_tau", VT_NUMBER, UNIT_TIME, PS(pfc_tau_s), "26 ms", NULL, 1e-3, 0.1, 0,
      "PFC voltage-loop time constant: the AC side sees the load through it "
      "(-3 dB at 0.395 / tau: 15 Hz)" },
    { SCN_PSU, "inrush", VT_NUMBER, UNIT_CURRENT, PS(inrush_a), NULL,
      "1.414 x voltage / 5 ohm", 0, 10000, 0,
      "inrush peak at power-on (0 A: none); the default assumes a 5 ohm NTC" },
    { SCN_PSU, "inrush_time", VT_NUMBER, UNIT_TIME, PS(inrush_time_s), "7.5 ms", NULL,
      0, 1, 1, "inrush decay time constant (5 ohm NTC x 1500 uF bulk capacitor)" },

    /* [load NAME] */
    { SCN_LOAD, "preset", VT_PRESET, UNIT_NONE, LD(preset), "", "none", 0, 0, 0,
      "start from this load preset" },
    { SCN_LOAD, "description", VT_TEXT, UNIT_NONE, LD(description), "", "empty", 0, 0, 0,
      "free text" },
    { SCN_LOAD, "psu", VT_REF, UNIT_NONE, LD(psu), "", "psu or circuit required", 0, 0, 0,
      "DC load on this PSU" },
    { SCN_LOAD, "circuit", VT_REF, UNIT_NONE, LD(circuit), "", "psu or circuit required",
      0, 0, 0, "AC load on this circuit (a monitor, a heater)" },
    { SCN_LOAD, "power", VT_NUMBER, UNIT_POWER, LD(power_w), NULL, REQ,
      0, 100000, 0, "power of one unit while on" },
    { SCN_LOAD, "count", VT_COUNT, UNIT_NONE, LD(count), "1", NULL, 1, 1024, 0,
      "identical units, switched together" },
    { SCN_LOAD, "pf", VT_NUMBER, UNIT_FRACTION, LD(pf), "1", NULL, 0, 1, 1,
      "power factor of an AC load" },
    { SCN_LOAD, "strip", VT_REF, UNIT_NONE, LD(strip), "", "none", 0, 0, 0,
      "an AC load's [strip] (power strip, PDU, extension lead), on its circuit" },
    { SCN_LOAD, "leakage", VT_NUMBER, UNIT_CURRENT, LD(leakage_a), "0 mA", NULL, 0, 0.1, 0,
      "earth leakage of one unit of an AC load (0: a class II device; up to 3.5 mA for "
      "IEC 62368-1 type A equipment)" },
    { SCN_LOAD, "connector", VT_CONNECTOR, UNIT_NONE, LD(connector), "none", NULL, 0, 0, 0,
      "power connector of one unit: none, slot, 6pin, 8pin, 12v-2x6 (1 s limit)" },
    { SCN_LOAD, "connector_count", VT_COUNT, UNIT_NONE, LD(connector_count), "1", NULL,
      1, 4, 0, "connectors of that kind per unit" },
    { SCN_LOAD, "start", VT_NUMBER, UNIT_TIME, LD(start_s), "0 s", NULL, 0, 1e9, 0,
      "switched on at" },
    { SCN_LOAD, "stop", VT_NUMBER, UNIT_TIME, LD(stop_s), NULL, "never", 0, 1e9, 1,
      "switched off at" },
    { SCN_LOAD, "period", VT_NUMBER, UNIT_TIME, LD(period_s), "0 s", "0 (steady)", 0, 1e6, 0,
      "square wave: period (0 = always on between start and stop)" },
    { SCN_LOAD, "on", VT_NUMBER, UNIT_TIME, LD(on_s), NULL, "the period", 0, 1e6, 1,
      "square wave: time on at the start of each period" },

    /* [gpu NAME]: DESIGN.md 4, GPU; the model in gpu.h */
    { SCN_GPU, "preset", VT_PRESET, UNIT_NONE, LD(preset), "", "none", 0, 0, 0,
      "start from this GPU (`psusim presets gpu`)" },
    { SCN_GPU, "description", VT_TEXT, UNIT_NONE, LD(description), "", "empty", 0, 0, 0,
      "free text" },
    { SCN_GPU, "psu", VT_REF, UNIT_NONE, LD(psu), NULL, REQ, 0, 0, 0,
      "the PSU feeding the cards" },
    { SCN_GPU, "count", VT_COUNT, UNIT_NONE, LD(count), "1", NULL, 1, 256, 0,
      "identical cards" },
    { SCN_GPU, "rated", VT_NUMBER, UNIT_POWER, LD(rated_w), NULL, REQ, 1, 2000, 0,
      "rated board power (scales the spikes)" },
    { SCN_GPU, "power_limit", VT_NUMBER, UNIT_POWER, LD(limit_w), NULL, "the rated power",
      1, 3000, 0, "as `nvidia-smi -pl` sets it: bounds the ~1 s average, not the spikes" },
    { SCN_GPU, "power_limit_min", VT_NUMBER, UNIT_POWER, LD(limit_min_w), NULL, "unknown",
      1, 3000, 0, "the lowest limit the driver accepts (nvidia-smi -q: Min Power Limit)" },
    { SCN_GPU, "power_limit_max", VT_NUMBER, UNIT_POWER, LD(limit_max_w), NULL, "unknown",
      1, 3000, 0, "the highest limit the driver accepts (nvidia-smi -q: Max Power Limit)" },
    { SCN_GPU, "idle", VT_NUMBER, UNIT_POWER, LD(idle_w), NULL, "7 % of rated", 0, 2000, 0,
      "idle power" },
    { SCN_GPU, "workload", VT_GPU_WORKLOAD, UNIT_NONE, LD(workload), "constant", NULL,
      0, 0, 0, "constant, idle, training, inference" },
    { SCN_GPU, "fraction", VT_NUMBER, UNIT_FRACTION, LD(fraction), "100 %", NULL, 0, 1, 0,
      "constant: share of the power limit" },
    { SCN_GPU, "period", VT_NUMBER, UNIT_TIME, LD(period_s), "0.5 s", NULL, 1e-3, 3600, 0,
      "training: iteration period (ML training cycles at 0.2-3 Hz, facts.md 3)" },
    { SCN_GPU, "duty", VT_NUMBER, UNIT_FRACTION, LD(duty), "80 %", NULL, 0, 1, 0,
      "training: compute share of each iteration" },
    { SCN_GPU, "comm_power", VT_NUMBER, UNIT_POWER, LD(comm_w), NULL, "40 % of the limit",
      0, 3000, 0, "training: power in the communication / optimizer phase" },
    { SCN_GPU, "sync", VT_GPU_SYNC, UNIT_NONE, LD(sync), "lockstep", NULL, 0, 0, 0,
      "training: lockstep (data-parallel: swings add up) or random phase" },
    { SCN_GPU, "rate", VT_NUMBER, UNIT_FREQUENCY, LD(rate_hz), "2 Hz", NULL, 0, 1e4, 0,
      "inference: request rate (Poisson)" },
    { SCN_GPU, "burst", VT_NUMBER, UNIT_TIME, LD(burst_s), "200 ms", NULL, 1e-4, 3600, 0,
      "inference: burst length at the limit" },
    { SCN_GPU, "start", VT_NUMBER, UNIT_TIME, LD(start_s), "0 s", NULL, 0, 1e9, 0,
      "work starts at (idle before)" },
    { SCN_GPU, "ramp", VT_NUMBER, UNIT_TIME, LD(ramp_s), "0 s", NULL, 0, 3600, 0,
      "linear ramp from idle to the workload" },
    { SCN_GPU, "transients", VT_TRANSIENTS, UNIT_NONE, LD(transients), "typical", NULL,
      0, 0, 0, "spikes: off, typical, worst (all cards together, largest amplitude)" },
    { SCN_GPU, "spike_scale", VT_SPIKE_SCALE, UNIT_NONE, LD(spike_scale), "rated", NULL,
      0, 0, 0, "spikes as multiples of the rated power (no measurement under a lower "
      "limit was found: conservative) or of the power limit" },
    { SCN_GPU, "connector", VT_CONNECTOR, UNIT_NONE, LD(connector), "none", NULL, 0, 0, 0,
      "power connector of one card: none, slot, 6pin, 8pin, 12v-2x6 (1 s limit)" },
    { SCN_GPU, "connector_count", VT_COUNT, UNIT_NONE, LD(connector_count), "1", NULL,
      1, 4, 0, "connectors of that kind per card" },

    /* [cpu NAME]: the model in cpu.h */
    { SCN_CPU, "preset", VT_PRESET, UNIT_NONE, LD(preset), "", "none", 0, 0, 0,
      "start from this CPU (`psusim presets cpu`)" },
    { SCN_CPU, "description", VT_TEXT, UNIT_NONE, LD(description), "", "empty", 0, 0, 0,
      "free text" },
    { SCN_CPU, "psu", VT_REF, UNIT_NONE, LD(psu), NULL, REQ, 0, 0, 0, "the PSU feeding it" },
    { SCN_CPU, "pl1", VT_NUMBER, UNIT_POWER, LD(pl1_w), NULL, REQ, 1, 2000, 0,
      "sustained limit (AMD: PPT = 1.35 x TDP)" },
    { SCN_CPU, "pl2", VT_NUMBER, UNIT_POWER, LD(pl2_w), NULL, "pl1", 1, 2000, 0,
      "short-term limit, allowed while the average is below pl1" },
    { SCN_CPU, "tau", VT_NUMBER, UNIT_TIME, LD(tau_s), "56 s", NULL, 0.01, 3600, 0,
      "time constant of the average pl1 acts on" },
    { SCN_CPU, "pl4", VT_NUMBER, UNIT_POWER, LD(pl4_w), "0 W", "none", 0, 3000, 0,
      "peak limit: 10 ms bursts at each full-demand start" },
    { SCN_CPU, "idle", VT_NUMBER, UNIT_POWER, LD(idle_w), "20 W", NULL, 0, 2000, 0,
      "idle package power" },
    { SCN_CPU, "load", VT_CPU_LOAD, UNIT_NONE, LD(cpu_load), "full", NULL, 0, 0, 0,
      "demand: full, idle, bursty" },
    { SCN_CPU, "period", VT_NUMBER, UNIT_TIME, LD(period_s), "1 s", NULL, 1e-3, 3600, 0,
      "bursty: period" },
    { SCN_CPU, "duty", VT_NUMBER, UNIT_FRACTION, LD(duty), "50 %", NULL, 0, 1, 0,
      "bursty: share of each period at full demand" },
    { SCN_CPU, "start", VT_NUMBER, UNIT_TIME, LD(start_s), "0 s", NULL, 0, 1e9, 0,
      "demand starts at (idle before)" },
    /* The package power (pl1, pl2, ...) is the CPU's; the board's VRM converts
     * the PSU's 12 V to it and loses the rest: the PSU sees package / vrm. 87 %:
     * desktop multiphase VRMs run about 85-90 % at load (issue 13; "often
     * exceeding 90 %" at their best point, techfund.site "Power Delivery
     * Networks for Modern CPUs", W) - an overridable default (W). */
    { SCN_CPU, "vrm_efficiency", VT_NUMBER, UNIT_FRACTION, LD(vrm_eff), "87 %", NULL,
      0.5, 1, 0, "board VRM efficiency: the PSU supplies package power / this" },

    /* [trace NAME]: a measured log drives the load (trace.h) */
    { SCN_TRACE, "description", VT_TEXT, UNIT_NONE, LD(description), "", "empty", 0, 0, 0,
      "free text" },
    { SCN_TRACE, "psu", VT_REF, UNIT_NONE, LD(psu), "", "psu or circuit required", 0, 0, 0,
      "DC load on this PSU" },
    { SCN_TRACE, "circuit", VT_REF, UNIT_NONE, LD(circuit), "", "psu or circuit required",
      0, 0, 0, "AC load on this circuit" },
    { SCN_TRACE, "file", VT_PATH, UNIT_NONE, LD(file), NULL, REQ, 0, 0, 0,
      "the log, relative to the scenario file's folder" },
    { SCN_TRACE, "format", VT_TRACE_FORMAT, UNIT_NONE, LD(trace_format), "csv", NULL, 0, 0, 0,
      "csv (time_s,watts), nvidia-smi (its --format=csv log), dmon (nvidia-smi dmon -s p), "
      "dcgmi (dcgmi dmon -e 155), wall-meter (a meter's time,watts CSV; on a circuit)" },
    { SCN_TRACE, "gpu", VT_GPU_INDEX, UNIT_NONE, LD(gpu_index), "all", NULL, 0, 0, 0,
      "nvidia-smi, dmon, dcgmi: which GPU (0, 1, ...) or all of them summed" },
    /* A missing value ([N/A]...), a dropped row or a joined log is bridged with a
     * straight line; more than a few samples in a row means the GPU fell off the
     * bus or the logger stopped, and a line over that would invent the load. */
    { SCN_TRACE, "max_gap", VT_COUNT, UNIT_NONE, LD(max_gap), "5", NULL, 0, 1000000, 0,
      "the longest gap bridged, samples; a longer one is an error (trace.h)" },
    { SCN_TRACE, "interval", VT_NUMBER, UNIT_TIME, LD(interval_s), "1 s", NULL, 1e-3, 3600, 0,
      "dmon, dcgmi: time between rounds (their -d; the logs carry no usable times)" },
    { SCN_TRACE, "loop", VT_BOOL, UNIT_NONE, LD(loop), "no", NULL, 0, 0, 0,
      "yes: the trace repeats; no: it holds its last value" },
    { SCN_TRACE, "count", VT_COUNT, UNIT_NONE, LD(count), "1", NULL, 1, 1024, 0,
      "the trace's power times this" },
    { SCN_TRACE, "pf", VT_NUMBER, UNIT_FRACTION, LD(pf), "1", NULL, 0, 1, 1,
      "power factor of an AC trace" },
    { SCN_TRACE, "start", VT_NUMBER, UNIT_TIME, LD(start_s), "0 s", NULL, 0, 1e9, 0,
      "the trace's first sample plays at" },
    /* issue 17: an averaged log (power.draw, dmon pwr, DCGM POWER) hides the
     * millisecond spikes; the GPU model's spikes (gpu.h) put back on it, scaled
     * to the log's level, its average kept (engine.c, trace_spikes) */
    { SCN_TRACE, "transients", VT_TRACE_TRANSIENTS, UNIT_NONE, LD(transients), "none", NULL,
      0, 0, 0, "none, typical (the GPU model's spikes, scaled to the log's level, the log's "
      "average kept), worst (largest, all GPUs together); a GPU's DC log only" },


    /* [ups NAME] (ups.h: the model and its sources) */
    { SCN_UPS, "preset", VT_PRESET, UNIT_NONE, UP(preset), "", "none", 0, 0, 0,
      "start from this UPS preset (`psusim presets ups`)" },
    { SCN_UPS, "description", VT_TEXT, UNIT_NONE, UP(description), "", "empty", 0, 0, 0,
      "free text" },
    { SCN_UPS, "circuit", VT_REF, UNIT_NONE, UP(circuit), NULL, REQ, 0, 0, 0,
      "the circuit it is plugged into; PSUs name it with `ups = NAME`" },
    { SCN_UPS, "rating_va", VT_NUMBER, UNIT_APPARENT, UP(rating_va), NULL, REQ, 100, 100000, 0,
      "output rating in VA (`1500 VA`)" },
    { SCN_UPS, "rating", VT_NUMBER, UNIT_POWER, UP(rating_w), NULL, REQ, 50, 100000, 0,
      "output rating in W (`1000 W`): the load is judged against both" },
    { SCN_UPS, "topology", VT_UPS_TOPOLOGY, UNIT_NONE, UP(topology), NULL, REQ, 0, 0, 0,
      "online (double conversion), line-interactive or offline" },
    { SCN_UPS, "waveform", VT_UPS_WAVEFORM, UNIT_NONE, UP(waveform), "sine", NULL, 0, 0, 0,
      "output on battery: sine, or stepped (simulated sine; an active-PFC PSU on it is "
      "a warning)" },
    { SCN_UPS, "output_voltage", VT_NUMBER, UNIT_VOLTAGE, UP(output_v), NULL,
      "the circuit's voltage", 50, 480, 0, "output voltage: what its PSUs see" },
    /* 93 % / 97 %: psusim's typical figures (U); the presets give the datasheets' */
    { SCN_UPS, "efficiency", VT_NUMBER, UNIT_FRACTION, UP(efficiency), NULL,
      "93 % online, 97 % line-interactive and offline (U)", 0.5, 1, 0,
      "output / input power on mains" },
    { SCN_UPS, "input_pf", VT_NUMBER, UNIT_FRACTION, UP(input_pf), NULL,
      "0.99 online (its PFC rectifier, U), else the load's", 0, 1, 0,
      "input power factor (0 %: the load's, passed through)" },
    { SCN_UPS, "no_load", VT_NUMBER, UNIT_POWER, UP(loss_w), "0 W", NULL, 0, 5000, 0,
      "its own standing draw on mains (unknown: 0 W)" },
    { SCN_UPS, "charging", VT_NUMBER, UNIT_POWER, UP(charge_w), "0 W", "0 W (battery full)",
      0, 5000, 0, "its charger's input draw while the battery recharges" },
    { SCN_UPS, "overload", VT_UPS_CURVE, UNIT_NONE, UP(overload), "101%:0.5s",
      NULL, 0, 0, 0, "overload bands from the datasheet, load:time "
      "(`105%:10min, 125%:30s, 150%:0.5s`: at or above 105 % at most 10 min ...); "
      "the default (unknown) allows 0.5 s above the rating" },
    { SCN_UPS, "overload_reset", VT_NUMBER, UNIT_TIME, UP(overload_reset_s), "60 s", NULL,
      0.01, 86400, 0, "below the first band the overload integral relaxes with this "
      "time constant (no datasheet gives one: U)" },
    { SCN_UPS, "transfer_time", VT_NUMBER, UNIT_TIME, UP(transfer_s), NULL,
      "0 ms online, 10 ms else (U)", 0, 1, 0,
      "time to switch to battery: each PSU's hold-up must cover it" },
    { SCN_UPS, "runtime_full", VT_NUMBER, UNIT_TIME, UP(battery.t_full_s), "0 s", "none",
      0, 86400 * 7.0, 0, "datasheet runtime at full load (the W rating)" },
    { SCN_UPS, "runtime_half", VT_NUMBER, UNIT_TIME, UP(battery.t_half_s), "0 s", "none",
      0, 86400 * 7.0, 0, "datasheet runtime at half load: with runtime_full, Peukert's "
      "exponent" },
    { SCN_UPS, "battery", VT_NUMBER, UNIT_ENERGY, UP(battery.energy_j), "0 Wh", "none", 0, 3.6e9, 0,
      "battery energy at the 20 h rate (`864 Wh`): the runtime without runtime points" },
    /* 1.2: a typical lead-acid Peukert exponent (U) */
    { SCN_UPS, "peukert", VT_NUMBER, UNIT_NONE, UP(battery.peukert), "1.2", NULL, 1, 2, 0,
      "Peukert exponent of the battery (with battery)" },
    { SCN_UPS, "inverter_efficiency", VT_NUMBER, UNIT_FRACTION, UP(battery.eta_inv), "90 %",
      NULL, 0.5, 1, 0, "inverter efficiency on battery (with battery; U)" },
    { SCN_UPS, "outage", VT_NUMBER, UNIT_TIME, UP(outage_s), NULL, "never", 0, 1e9, 0,
      "its mains fail at this time: it goes to battery (a tripped breaker does too) and "
      "its PSUs run until the battery empties" },

    /* [strip NAME]: a power strip, PDU or extension lead (verdict.c, judge_strip).
     * UL 1363 relocatable power taps are rated 250 V, 20 A or less, their
     * overcurrent protection optional (UL White Book, XBYS; S); a BS 1363
     * extension lead carries a 13 A BS 1362 fuse in its plug for all its sockets
     * (S). */
    { SCN_STRIP, "description", VT_TEXT, UNIT_NONE, ST(description), "", "empty", 0, 0, 0,
      "free text" },
    { SCN_STRIP, "rating", VT_NUMBER, UNIT_CURRENT, ST(rating_a), NULL, REQ, 0, 63, 1,
      "its marked rating (cord, plug, sockets): UL 1363 strips 15 or 20 A, BS 1363 leads "
      "13 A, IEC 60884 / Schuko 16 A" },
    { SCN_STRIP, "fuse", VT_NUMBER, UNIT_CURRENT, ST(fuse_a), NULL, "none", 0, 13, 1,
      "a BS 1362 fuse in its plug (UK: 13 A), judged with the bs1362 curve" },
    { SCN_STRIP, "breaker", VT_NUMBER, UNIT_CURRENT, ST(breaker_a), NULL, "none", 0, 63, 1,
      "its own breaker (a UL 1077 supplementary protector), judged with `curve`" },
    { SCN_STRIP, "curve", VT_CURVE, UNIT_NONE, offsetof(struct scn_strip, curve), 0, "ul489",
      NULL, 0, 0, 0, "its breaker's trip curve family (UL 1363 28.5 tests a strip at 200 % of "
      "its breaker for 2 min: the UL 489 point)" },

    /* [panel NAME] (also [service NAME]): the panel or service above the branch
     * circuits (engine.c, panels; verdict.c, judge_panel) */
    { SCN_PANEL, "description", VT_TEXT, UNIT_NONE, PN(description), "", "empty", 0, 0, 0,
      "free text" },
    { SCN_PANEL, "system", VT_SYSTEM, UNIT_NONE, PN(system), "single", NULL, 0, 0, 0,
      "single (one line and neutral), split-phase (US 120/240 V: L1, L2, neutral) or "
      "three-phase (L1, L2, L3, neutral: DE 230/400 V, US 120/208 V)" },
    { SCN_PANEL, "voltage", VT_NUMBER, UNIT_VOLTAGE, PN(voltage_v), NULL, REQ, 50, 480, 0,
      "line-to-neutral voltage (230 V; 120 V for US split-phase and 120/208 V)" },
    { SCN_PANEL, "main", VT_NUMBER, UNIT_CURRENT, PN(main_a), NULL, REQ, 1, 800, 0,
      "rating of the main breaker or main fuse on each line (US service 100 A / 200 A, "
      "DE main fuses 35 A / 63 A, a CEE socket's 16 A / 32 A)" },
    { SCN_PANEL, "curve", VT_CURVE, UNIT_NONE, offsetof(struct scn_panel, curve), 0, NULL, REQ,
      0, 0, 0, "the main's family: ul489 (US main breaker), iec-gg (IEC 60269 gG main "
      "fuse, DE), iec-b/c/d (an MCB)" },
    { SCN_PANEL, "tolerance", VT_EDGE, UNIT_NONE, PN(tolerance), "fast", NULL, 0, 0, 0,
      "edge of the main's tolerance band that decides: fast, nominal, slow" },
    { SCN_PANEL, "neutral", VT_NUMBER, UNIT_CURRENT, PN(neutral_a), NULL,
      "the main's rating (a full-size neutral)", 0, 800, 1,
      "the neutral conductor's rating, judged against the neutral current (split-phase "
      "and three-phase)" },
    { SCN_PANEL, "continuous_limit", VT_NUMBER, UNIT_FRACTION, PN(continuous_frac), NULL,
      "80 % (ul489: NEC 215.3, 230.42(A)(1)), 100 % (iec)", 0, 1, 1,
      "most a line may carry continuously, as a share of the main's rating" },
    { SCN_PANEL, "panel", VT_REF, UNIT_NONE, PN(parent), "", "none (the top of the tree)", 0, 0,
      0, "a sub-panel: the [panel] it is fed from; its lines load the parent's (the same "
      "system: line for line; a single-phase sub-panel: the parent's `phase`)" },
    { SCN_PANEL, "phase", VT_PHASE, UNIT_NONE, PN(phase), "L1", NULL, 0, 0, 0,
      "a single-phase sub-panel of a split- or three-phase panel: the parent's line it is "
      "on (L1, L2, L3)" },
};

enum { N_KEYS = sizeof key_table / sizeof key_table[0] };

static const char *const kind_names[SCN_KIND_COUNT] = { "scenario", "circuit", "psu", "load",
                                                        "gpu", "cpu", "trace", "ups", "strip",
                                                        "panel" };

/* 1 for the kinds that become entries of scenario.loads. */
static int is_load_kind(int kind)
{
    return kind == SCN_LOAD || kind == SCN_GPU || kind == SCN_CPU || kind == SCN_TRACE;
}

/* The NEC limits a continuous load to 80 % of the branch rating (NEC 210.19(A),
 * 210.20(A); facts.md 1, S) where UL 489 breakers are used. IEC countries have no
 * such general rule; the German 10 A Schuko advice is a per-socket planning figure
 * the circuit presets set themselves. */
static const struct {
    const char *curve;      /* breaker family name */
    double fraction;        /* default continuous limit, fraction of In */
    const char *rule;       /* the rule behind it, as the output cites it */
} continuous_defaults[] = {
    /* NEC 210.19(A)(1), 210.20(A): continuous load <= 80 % (facts.md 1, S) */
    { "ul489", 0.80, "NEC 210.19(A)(1)/210.20(A)" },
    /* IEC 60898-1 breakers carry In continuously (test a: 1.13 In holds 1 h);
     * no 80 % rule in facts.md for IEC countries (S) */
    { "iec-b", 1.00, "IEC 60898-1: In carried continuously" },
    { "iec-c", 1.00, "IEC 60898-1: In carried continuously" },
    { "iec-d", 1.00, "IEC 60898-1: In carried continuously" },
    { "bs1362", 1.00, "BS 1362: the fuse's rating, carried continuously" },
};

/* GPU power connectors and their sustained limit, the average over any 1 s
 * (PCIe CEM 5.x as restated in ATX 3.x; facts.md 2, GPU connectors). A card with
 * cable connectors also draws up to 66 W from its slot. Indexed by enum
 * scn_connector. */
static const struct {
    const char *name;       /* as written in the INI */
    double limit_w;         /* sustained limit of one connector, W */
} connectors[] = {
    { "none", 0 },
    { "slot", 66 },         /* PCIe slot: 5.5 A at 12 V (facts.md 2) */
    { "6pin", 75 },
    { "8pin", 150 },
    { "12v-2x6", 600 },     /* 12VHPWR / 12V-2x6: 55 A (facts.md 2) */
};
static const double SLOT_LIMIT_W = 66;

/* Copper conductors: resistance per metre of one conductor at 20 C.
 * 14 AWG 2.525 and 12 AWG 1.588 ohm/1000 ft, 1.5 / 2.5 mm2 12.1 / 7.41 ohm/km
 * (IEC 60228) (facts.md 1, S). 10 AWG 0.9989 ohm/1000 ft and 4 mm2 4.61 ohm/km are
 * the usual AWG-table and IEC 60228 values, not in facts.md (W). Names are matched
 * without spaces. */
/* Conductors: resistance, and the largest breaker the region's wiring rule
 * allows on them (verdict.c's wiring link, through scenario_wire_rule()).
 * AWG: NEC 240.4(D) caps the overcurrent protection of small copper conductors
 * at 15 / 20 / 30 A (facts.md 1, S); 10 AWG's 0.9989 ohm/1000 ft at 20 C: the AWG
 * table of annealed copper (ASTM B258 diameter 2.588 mm, IEC 60028 resistivity, D).
 * mm2: IEC 60364-4-43 433.1 asks In <= Iz; Iz of PVC-insulated copper, two
 * loaded conductors, 30 C, from IEC 60364-5-52 Table B.52.2: reference method
 * A1 (in conduit in a thermally insulated wall, the least favourable common
 * one) 14.5 / 19.5 / 26 A and C (clipped direct, on or in a wall) 19.5 / 27 /
 * 36 A (S; the three-conductor column of the same tables, 17.5 / 24 / 32 A for
 * method C, is quoted in Atlas Copco GA compressor manuals' "cable sizing
 * according IEC"). Resistances: IEC 60228 class 1/2 (facts.md 1, S).
 * Japan's solid VVF conductors, by diameter: table 149-1 of the Interpretation
 * of the Technical Standards for Electrical Facilities (denki setsubi no gijutsu
 * kijun no kaishaku, art. 149): 1.6 mm on a circuit breaker up to 20 A (a fuse:
 * 15 A), 2.0 mm up to 20 A, 2.6 mm up to 30 A (eleking.net's quotation of art.
 * 149, S). Their resistance: annealed copper 0.017241 ohm mm2/m (IEC 60028, S)
 * over the circle's area (D). */
static const struct wire_entry {
    const char *name;       /* as written, spaces removed */
    const char *label;      /* as printed */
    double ohm_per_m;       /* one conductor at 20 C */
    enum scn_wire_code code;
    double max_a;           /* NEC, JP: the largest breaker; IEC: Iz, method A1 */
    double max_hi_a;        /* IEC: Iz, method C; JP: the largest fuse */
} wire_table[] = {
    { "14AWG", "14 AWG", 2.525 / 304.8, SCN_WIRE_NEC, 15, 15 },
    { "12AWG", "12 AWG", 1.588 / 304.8, SCN_WIRE_NEC, 20, 20 },
    { "10AWG", "10 AWG", 0.9989 / 304.8, SCN_WIRE_NEC, 30, 30 },
    { "1.5mm2", "1.5 mm2", 12.1e-3, SCN_WIRE_IEC, 14.5, 19.5 },
    { "2.5mm2", "2.5 mm2", 7.41e-3, SCN_WIRE_IEC, 19.5, 27 },
    { "4mm2", "4 mm2", 4.61e-3, SCN_WIRE_IEC, 26, 36 },
    { "1.6mm", "1.6 mm", 0.017241 / 2.0106, SCN_WIRE_JP, 20, 15 },
    { "2.0mm", "2.0 mm", 0.017241 / 3.1416, SCN_WIRE_JP, 20, 20 },
    { "2.6mm", "2.6 mm", 0.017241 / 5.3093, SCN_WIRE_JP, 30, 30 },
};

/* Copper's temperature coefficient, 1/K: facts.md's 14 AWG pair (2.525 ohm at 20 C,
 * 3.07 at 75 C) gives 0.003925, its 12 AWG pair 0.003916 (D); 0.00393 is the
 * annealed-copper value (IEC 60228, S). */
static const double COPPER_ALPHA = 0.00393;

/* Looks TEXT ("14 AWG", "2.5mm2", "2.5 mm²") up in wire_table. Returns 1 and the
 * resistance per metre in *OHM_PER_M (may be NULL), or 0. */
static const struct wire_entry *wire_find(const char *text)
{
    char norm[32];
    size_t n = 0;
    for (const char *p = text; *p && n + 1 < sizeof norm; p++) {
        if (*p == ' ') continue;
        if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xB2) { /* ² */
            norm[n++] = '2';
            p++;
            continue;
        }
        norm[n++] = *p;
    }
    norm[n] = '\0';
    for (size_t i = 0; i < sizeof wire_table / sizeof wire_table[0]; i++)
        if (strcmp(norm, wire_table[i].name) == 0) return &wire_table[i];
    return NULL;
}

static int wire_find_ohm(const char *text, double *ohm_per_m)
{
    const struct wire_entry *w = wire_find(text);
    if (w && ohm_per_m) *ohm_per_m = w->ohm_per_m;
    return w != NULL;
}

int scenario_wire_rule(const char *gauge, struct scn_wire_rule *out)
{
    const struct wire_entry *w = wire_find(gauge);
    if (!w) return -1;
    *out = (struct scn_wire_rule){ w->code, w->label, w->max_a, w->max_hi_a };
    return 0;
}


/* ========================================================= collected input == */

enum { PRIO_PRESET = 0, PRIO_FILE = 1, PRIO_SET = 2 };

struct section {
    enum scn_kind kind;
    char name[SCN_NAME_LEN];
    const char *origin;        /* the file of its header: the scenario or an
                                  included file (owned by the loader) */
    int line;                  /* header line in that file */
    int preset_failed;         /* its preset = NAME was reported: keys it lacks are not */
};

struct entry {
    size_t sec;                /* index into sections */
    char key[PRESET_KEY_LEN];
    char value[PRESET_VALUE_LEN];
    const char *origin;        /* file path, or "--set" (not owned) */
    int line;                  /* line in ORIGIN, or the --set's position */
    int prio;                  /* PRIO_* */
    const char *set_text;      /* the --set argument, for messages */
};

/* Files one scenario may include: a home lab of a few rigs needs a handful; the
 * bound keeps the loader's fixed list (and a runaway list of names) small (W). */
enum { INCLUDE_MAX = 32 };

struct loader {
    const char *path;          /* the file being read: the scenario, or an
                                  included file while it is read */
    const char *top;           /* the scenario file */
    char *included[INCLUDE_MAX]; /* included files' paths (owned) */
    size_t n_included;
    struct diag *d;
    struct section *secs;
    size_t n_secs, cap_secs;
    struct entry *ents;
    size_t n_ents, cap_ents;
    long cur_sec;              /* section of the lines being read, -1 none/bad */
    int oom;                   /* an allocation failed */
    /* the entries by section (index_entries): section s's are
     * ents[by_sec[sec_start[s]]] .. ents[by_sec[sec_start[s + 1] - 1]], in file
     * order, so converting a section reads its own entries only (linear in the
     * file, not sections x entries: issue 15, 7) */
    size_t *by_sec, *sec_start;
    /* sections by kind and name: an open-addressing table of section index + 1
     * (0: empty), at most half full, so find_section() is O(1) and loading is
     * linear in the number of sections (issue 15, 7) */
    size_t *slots;
    size_t n_slots;
};

static const struct key_spec *find_key(enum scn_kind kind, const char *key)
{
    for (size_t i = 0; i < N_KEYS; i++)
        if (key_table[i].kind == kind && strcmp(key_table[i].key, key) == 0)
            return &key_table[i];
    return NULL;
}

static const char *nearest_key(enum scn_kind kind, const char *key)
{
    const char *cands[N_KEYS];
    for (size_t i = 0; i < N_KEYS; i++)
        cands[i] = key_table[i].kind == kind ? key_table[i].key : NULL;
    return text_nearest(key, cands, N_KEYS, text_suggest_distance(key));
}

/* FNV-1a of KIND and NAME: the section table's hash. */
static size_t section_hash(enum scn_kind kind, const char *name)
{
    uint64_t h = 14695981039346656037ull ^ (uint64_t)kind;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return (size_t)h;
}

static long find_section(const struct loader *L, enum scn_kind kind, const char *name)
{
    if (L->n_slots == 0) return -1;
    for (size_t i = section_hash(kind, name) & (L->n_slots - 1);; i = (i + 1) & (L->n_slots - 1)) {
        size_t v = L->slots[i];
        if (v == 0) return -1;
        const struct section *sec = &L->secs[v - 1];
        if (sec->kind == kind && strcmp(sec->name, name) == 0) return (long)(v - 1);
    }
}

/* Puts section SEC into the table, growing it (a power of two) to stay at most
 * half full. Returns 0, or -1 when out of memory. */
static int index_section(struct loader *L, size_t sec)
{
    if (2 * (L->n_secs + 1) > L->n_slots) {
        size_t n = L->n_slots ? 2 * L->n_slots : 64;
        size_t *slots = calloc(n, sizeof *slots);
        if (!slots) return -1;
        for (size_t j = 0; j < L->n_slots; j++) {
            size_t v = L->slots[j];
            if (v == 0) continue;
            size_t i = section_hash(L->secs[v - 1].kind, L->secs[v - 1].name) & (n - 1);
            while (slots[i]) i = (i + 1) & (n - 1);
            slots[i] = v;
        }
        free(L->slots);
        L->slots = slots;
        L->n_slots = n;
    }
    size_t i = section_hash(L->secs[sec].kind, L->secs[sec].name) & (L->n_slots - 1);
    while (L->slots[i]) i = (i + 1) & (L->n_slots - 1);
    L->slots[i] = sec + 1;
    return 0;
}

static const char *nearest_section(const struct loader *L, enum scn_kind kind,
                                   const char *name)
{
    const char *best = NULL;
    size_t best_d = text_suggest_distance(name) + 1;
    for (size_t i = 0; i < L->n_secs; i++) {
        if (L->secs[i].kind != kind) continue;
        size_t dist = text_edit_distance(name, L->secs[i].name);
        if (dist < best_d) {
            best_d = dist;
            best = L->secs[i].name;
        }
    }
    return best;
}

/* "[psu main]" or "[scenario]" into BUF. */
static const char *sec_title(const struct loader *L, size_t sec, char *buf, size_t n)
{
    const struct section *s = &L->secs[sec];
    if (s->kind == SCN_SCENARIO)
        snprintf(buf, n, "[scenario]");
    else
        snprintf(buf, n, "[%s %s]", kind_names[s->kind], s->name);
    return buf;
}

/* "seed.ini:12: [psu main]" or "--set psu.main.rating=15A: [psu main]". */
static const char *entry_where(const struct loader *L, const struct entry *e,
                               char *buf, size_t n)
{
    char title[SCN_NAME_LEN + 16];
    sec_title(L, e->sec, title, sizeof title);
    if (e->prio == PRIO_SET)
        snprintf(buf, n, "--set %s: %s", e->set_text, title);
    else if (e->prio == PRIO_PRESET)
        snprintf(buf, n, "%s:%d: %s (preset)", e->origin, e->line, title);
    else
        snprintf(buf, n, "%s:%d: %s", e->origin, e->line, title);
    return buf;
}

/* Appends section [KIND NAME] with header LINE (0: none in the file). Returns its
 * index, or -1 when out of memory. */
static long add_section(struct loader *L, enum scn_kind kind, const char *name, int line)
{
    if (L->n_secs == L->cap_secs) {
        size_t cap = L->cap_secs ? L->cap_secs * 2 : 16;
        struct section *s = realloc(L->secs, cap * sizeof *s);
        if (!s) {
            L->oom = 1;
            return -1;
        }
        L->secs = s;
        L->cap_secs = cap;
    }
    struct section *s = &L->secs[L->n_secs];
    s->kind = kind;
    text_copy(s->name, sizeof s->name, name);
    s->origin = L->path;
    s->line = line;
    s->preset_failed = 0;
    if (index_section(L, L->n_secs) != 0) {
        L->oom = 1;
        return -1;
    }
    return (long)L->n_secs++;
}

static int add_entry(struct loader *L, size_t sec, const char *key, const char *value,
                     const char *origin, int line, int prio, const char *set_text)
{
    if (L->n_ents == L->cap_ents) {
        size_t cap = L->cap_ents ? L->cap_ents * 2 : 64;
        struct entry *e = realloc(L->ents, cap * sizeof *e);
        if (!e) {
            L->oom = 1;
            return -1;
        }
        L->ents = e;
        L->cap_ents = cap;
    }
    struct entry *e = &L->ents[L->n_ents++];
    e->sec = sec;
    text_copy(e->key, sizeof e->key, key);
    text_copy(e->value, sizeof e->value, value);
    e->origin = origin;
    e->line = line;
    e->prio = prio;
    e->set_text = set_text;
    return 0;
}

/* ================================================================ collect == */

static int kind_from_name(const char *word)
{
    if (strcmp(word, "service") == 0) return SCN_PANEL;   /* the same section */
    for (int k = 0; k < SCN_KIND_COUNT; k++)
        if (strcmp(word, kind_names[k]) == 0) return k;
    return -1;
}

static void on_file_section(void *user, const char *section, int line)
{
    struct loader *L = user;
    char kind_s[PRESET_KIND_LEN], name[PRESET_NAME_LEN];
    L->cur_sec = -1;
    if (preset_split_section(section, kind_s, sizeof kind_s, name, sizeof name) != 0) {
        const char *sp = strpbrk(section, " \t");
        if (sp && strlen(sp + strspn(sp, " \t")) >= sizeof name
            && !strpbrk(sp + strspn(sp, " \t"), " \t"))
            diag_add(L->d, "%s:%d: the name in '[%.20s...]' is too long: names hold at "
                     "most %zu characters", L->path, line, section, sizeof name - 1);
        else
            diag_add(L->d, "%s:%d: a section header is '[KIND NAME]' (e.g. '[psu main]'); "
                     "got '[%s]'", L->path, line, section);
        return;
    }
    int kind = kind_from_name(kind_s);
    if (kind < 0) {
        const char *near = text_nearest(kind_s, kind_names, SCN_KIND_COUNT,
                                        text_suggest_distance(kind_s));
        diag_add(L->d, "%s:%d: unknown section kind '%s'%s%s%s (known: scenario, "
                 "circuit, psu, load, gpu, cpu, trace, ups, strip, panel)", L->path, line, kind_s,
                 near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
        return;
    }
    if (kind == SCN_SCENARIO && L->path != L->top) {
        /* an included rig's [scenario] (its duration, step, job) is the lab's
         * to set: skipped with its keys */
        return;
    }
    if (kind == SCN_SCENARIO && name[0]) {
        diag_add(L->d, "%s:%d: [scenario] takes no name; got '[%s]'", L->path, line,
                 section);
        return;
    }
    if (kind != SCN_SCENARIO && !text_is_name(name)) {
        diag_add(L->d, "%s:%d: [%s] needs a name of letters, digits, '_' and '-' "
                 "(e.g. '[%s main]'); got '[%s]'", L->path, line, kind_s, kind_s,
                 section);
        return;
    }
    long prev = find_section(L, (enum scn_kind)kind, name);
    /* loads of every kind share one list (and the outputs' names) */
    for (int k = SCN_LOAD; prev < 0 && is_load_kind(kind) && k <= SCN_TRACE; k++)
        prev = find_section(L, (enum scn_kind)k, name);
    if (prev >= 0) {
        /* the first one's file is named when it is another (an include) */
        const char *org = L->secs[prev].origin;
        int other = org != L->path;
        diag_add(L->d, "%s:%d: [%s] appears twice (first at %s%s%d); give each "
                 "section its own name", L->path, line, section, other ? org : "line ",
                 other ? ":" : "", L->secs[prev].line);
        return;
    }
    L->cur_sec = add_section(L, (enum scn_kind)kind, name, line);
}

/* [scenario] include = FILE[, FILE...]: reads each file's sections (a rig file)
 * into this scenario, as if written here; a relative name is relative to the
 * including file's folder. The included files' own [scenario] sections are
 * skipped (the lab sets the run), so an include does not nest. A file included
 * twice, or the scenario itself, is refused. */
static void on_file_entry(void *user, const char *section, const char *key,
                          const char *value, int line);

static void include_files(struct loader *L, const char *value, int line)
{
    char list[PRESET_VALUE_LEN];
    text_copy(list, sizeof list, value);
    for (char *save = NULL, *tok = strtok_r(list, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ' || *tok == '\t') tok++;
        size_t len = strlen(tok);
        while (len > 0 && (tok[len - 1] == ' ' || tok[len - 1] == '\t')) tok[--len] = '\0';
        if (len == 0) {
            diag_add(L->d, "%s:%d: [scenario] include: an empty file name; expected "
                     "`include = rig-a.ini, rig-b.ini`", L->path, line);
            continue;
        }
        char path[SCN_PATH_LEN];
        const char *slash = strrchr(L->path, '/');
        int n = tok[0] == '/' || !slash
                    ? snprintf(path, sizeof path, "%s", tok)
                    : snprintf(path, sizeof path, "%.*s/%s", (int)(slash - L->path), L->path,
                               tok);
        if (n < 0 || (size_t)n >= sizeof path) {
            diag_add(L->d, "%s:%d: [scenario] include: the path is too long", L->path, line);
            continue;
        }
        /* the same file, whatever the path's spelling: device and inode */
        struct stat st, o;
        int same = stat(path, &st) == 0 && stat(L->top, &o) == 0 && st.st_dev == o.st_dev
                   && st.st_ino == o.st_ino;
        for (size_t i = 0; !same && i < L->n_included && stat(path, &st) == 0; i++)
            same = stat(L->included[i], &o) == 0 && st.st_dev == o.st_dev
                   && st.st_ino == o.st_ino;
        if (same) {
            diag_add(L->d, "%s:%d: [scenario] include: %s is the scenario itself or included "
                     "already", L->path, line, path);
            continue;
        }
        if (L->n_included == INCLUDE_MAX) {
            diag_add(L->d, "%s:%d: [scenario] include: more than %d files", L->path, line,
                     INCLUDE_MAX);
            return;
        }
        char *copy = malloc(strlen(path) + 1);
        if (!copy) {
            L->oom = 1;
            return;
        }
        memcpy(copy, path, strlen(path) + 1);
        L->included[L->n_included++] = copy;
        const char *was = L->path;
        long was_sec = L->cur_sec;
        L->path = copy;
        /* its problems name it and its lines (inifile_parse reports a missing
         * or unreadable file) */
        if (inifile_parse(copy, on_file_section, on_file_entry, L, L->d) != 0)
            diag_add(L->d, "%s:%d: [scenario] include: %s could not be read", was, line, copy);
        L->path = was;
        L->cur_sec = was_sec;
    }
}

static void on_file_entry(void *user, const char *section, const char *key,
                          const char *value, int line)
{
    struct loader *L = user;
    if (section[0] == '\0') {
        diag_add(L->d, "%s:%d: '%s' stands before any section; put it under "
                 "[scenario] or a [KIND NAME] header", L->path, line, key);
        return;
    }
    if (L->cur_sec < 0) return; /* the header was bad and is reported */
    size_t sec = (size_t)L->cur_sec;
    if (L->secs[sec].kind == SCN_SCENARIO && strcmp(key, "include") == 0) {
        include_files(L, value, line);
        return;
    }
    /* a section's file entries are the last ones read (sections do not repeat,
     * --set and presets come after the file): scan back over them only */
    for (size_t i = L->n_ents; i-- > 0 && L->ents[i].sec == sec;) {
        const struct entry *e = &L->ents[i];
        if (e->prio == PRIO_FILE && strcmp(e->key, key) == 0) {
            char title[SCN_NAME_LEN + 16];
            diag_add(L->d, "%s:%d: %s %s: given twice (first at line %d)", L->path,
                     line, sec_title(L, sec, title, sizeof title), key, e->line);
            return;
        }
    }
    add_entry(L, sec, key, value, L->path, line, PRIO_FILE, NULL);
}

/* --set ADDRESS=VALUE: ADDRESS is scenario.KEY or KIND.NAME.KEY. */
static void add_set(struct loader *L, const char *text)
{
    char addr[PRESET_NAME_LEN * 3];
    const char *eq = strchr(text, '=');
    size_t alen = eq ? (size_t)(eq - text) : 0;
    if (!eq || alen == 0 || alen >= sizeof addr) {
        diag_add(L->d, "--set %s: expected KIND.NAME.KEY=VALUE (e.g. "
                 "psu.main.rating=2000W) or scenario.KEY=VALUE", text);
        return;
    }
    memcpy(addr, text, alen);
    addr[alen] = '\0';
    char *parts[4] = { 0 };
    int np = 0;
    for (char *p = addr; np < 4;) {
        parts[np++] = p;
        char *dot = strchr(p, '.');
        if (!dot) break;
        *dot = '\0';
        p = dot + 1;
    }
    int kind = kind_from_name(parts[0]);
    int want = kind == SCN_SCENARIO ? 2 : 3;
    if (kind < 0 || np != want) {
        diag_add(L->d, "--set %s: expected KIND.NAME.KEY=VALUE with KIND one of "
                 "circuit, psu, load, gpu, cpu, trace, ups, strip, panel (e.g. psu.main.rating=2000W), or "
                 "scenario.KEY", text);
        return;
    }
    const char *name = kind == SCN_SCENARIO ? "" : parts[1];
    const char *key = parts[want - 1];
    if (kind == SCN_SCENARIO && strcmp(key, "include") == 0) {
        diag_add(L->d, "--set %s: include works in the scenario file, not with --set", text);
        return;
    }
    long sec = find_section(L, (enum scn_kind)kind, name);
    if (sec < 0 && kind == SCN_SCENARIO) {
        /* [scenario] is optional: --set scenario.KEY works without it */
        sec = add_section(L, SCN_SCENARIO, "", 0);
        if (sec < 0) return;
    }
    if (sec < 0) {
        const char *near = nearest_section(L, (enum scn_kind)kind, name);
        diag_add(L->d, "--set %s: %s has no [%s%s%s] section%s%s%s", text, L->path,
                 parts[0], name[0] ? " " : "", name,
                 near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
        return;
    }
    if (strlen(eq + 1) >= PRESET_VALUE_LEN) {
        diag_add(L->d, "--set %.60s...: the value is too long (at most %d characters)",
                 text, PRESET_VALUE_LEN - 1);
        return;
    }
    add_entry(L, (size_t)sec, key, eq + 1, "--set", 0, PRIO_SET, text);
}

/* Adds the preset's entries for every section with `preset = NAME`. */
static int index_entries(struct loader *L);

static void add_presets(struct loader *L, const struct preset_db *db)
{
    /* the entries by section (entries added below are presets themselves and
     * are indexed again by assemble()) */
    if (index_entries(L) != 0) {
        L->oom = 1;
        return;
    }
    for (size_t s = 0; s < L->n_secs; s++) {
        const struct entry *win = NULL;
        for (size_t t = L->sec_start[s]; t < L->sec_start[s + 1]; t++) {
            const struct entry *e = &L->ents[L->by_sec[t]];
            if (strcmp(e->key, "preset") == 0 && (!win || e->prio >= win->prio))
                win = e;
        }
        if (!win || win->value[0] == '\0') continue;
        const char *kind = kind_names[L->secs[s].kind];
        char where[SCN_PATH_LEN + 200];
        if (!db) {
            diag_add(L->d, "%s preset: no preset folder could be read",
                     entry_where(L, win, where, sizeof where));
            L->secs[s].preset_failed = 1;
            continue;
        }
        if (!preset_db_has(db, kind, win->value)) {
            const char *near = preset_db_nearest(db, kind, win->value);
            diag_add(L->d, "%s preset: no %s preset '%s'%s%s%s (list them with "
                     "'psusim presets %s')", entry_where(L, win, where, sizeof where),
                     kind, win->value, near ? "; did you mean '" : "",
                     near ? near : "", near ? "'?" : "", kind);
            L->secs[s].preset_failed = 1;
            continue;
        }
        /* add_entry may move L->ents: keep the name, not a pointer into it */
        char name[PRESET_VALUE_LEN];
        text_copy(name, sizeof name, win->value);
        for (size_t i = 0; i < db->n; i++) {
            const struct preset_entry *pe = &db->entries[i];
            if (strcmp(pe->kind, kind) == 0 && strcmp(pe->name, name) == 0)
                add_entry(L, s, pe->key, pe->value, db->files[pe->file], pe->line,
                          PRIO_PRESET, NULL);
        }
    }
}

/* ================================================================ convert == */

/* The SI unit a range of KIND is shown in ("%" for fractions, shown x 100). */
static const char *si_unit(enum unit_kind kind)
{
    switch (kind) {
    case UNIT_POWER: return "W";
    case UNIT_CURRENT: return "A";
    case UNIT_VOLTAGE: return "V";
    case UNIT_FREQUENCY: return "Hz";
    case UNIT_RESISTANCE: return "ohm";
    case UNIT_TIME: return "s";
    case UNIT_FRACTION: return "%";
    case UNIT_TEMPERATURE: return "C";
    case UNIT_APPARENT: return "VA";
    case UNIT_ENERGY: return "J";
    default: return "";
    }
}

/* The index of NAME among N words, or -1. */
static int word_find(const char *const *words, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(name, words[i]) == 0) return i;
    return -1;
}

static int bool_find(const char *name)
{
    static const char *const words[] = { "no", "yes" };
    return word_find(words, 2, name);
}

/* enum scn_atx */
static int atx_find(const char *name)
{
    static const char *const words[] = { "none", "3.0", "3.1" };
    return word_find(words, 3, name);
}

/* The PSU's AC inlet or fixed cord's plug, and the current it is rated for
 * (facts.md 1, "Earth leakage, inlets and plugs", S): IEC 60320 C14 10 A (15 A
 * under UL), C20 16 A (20 A under UL); NEMA 5-15 / 5-20 15 / 20 A at 125 V.
 * Indexed by enum scn_inlet. */
static const struct {
    const char *name;
    double iec_a, ul_a;     /* rating under IEC 60320 and under UL, A (0: none) */
} inlets[] = {
    { "none", 0, 0 },
    { "c14", 10, 15 },
    { "c20", 16, 20 },
    { "nema-5-15", 15, 15 },
    { "nema-5-20", 20, 20 },
};

static int inlet_find(const char *name)
{
    for (int i = 0; i < (int)(sizeof inlets / sizeof inlets[0]); i++)
        if (strcmp(name, inlets[i].name) == 0) return i;
    return -1;
}

/* [trace] transients: enum gpu_transients; "none" says what a log has without
 * them, "off" as in [gpu] */
static int trace_transients_find(const char *name)
{
    static const char *const words[] = { "none", "typical", "worst" };
    return strcmp(name, "off") == 0 ? GPU_TR_OFF : word_find(words, 3, name);
}

static int spike_scale_find(const char *name)
{
    static const char *const words[] = { "rated", "limit" };
    return word_find(words, 2, name);
}

/* enum scn_supply */
static int supply_find(const char *name)
{
    static const char *const words[] = { "nominal", "low", "high" };
    return word_find(words, 3, name);
}

/* enum scn_solver */
static int solver_find(const char *name)
{
    static const char *const words[] = { "stride", "fixed" };
    return word_find(words, 2, name);
}

/* enum scn_system and enum scn_phase (scenario.h) */
static const char *const system_names[] = { "single", "split-phase", "three-phase" };
static const char *const phase_names[SCN_PH_COUNT] = { "L1", "L2", "L3", "L1-L2", "L2-L3",
                                                       "L3-L1" };
static int system_find(const char *name) { return word_find(system_names, 3, name); }
static int phase_find(const char *name) { return word_find(phase_names, SCN_PH_COUNT, name); }

/* enum scn_connector: the rows of the connectors table */
static int ups_topology_choice(const char *name) { return ups_topology_find(name); }
static int ups_waveform_choice(const char *name) { return ups_waveform_find(name); }

static int connector_find(const char *name)
{
    for (int i = 0; i < (int)(sizeof connectors / sizeof connectors[0]); i++)
        if (strcmp(name, connectors[i].name) == 0) return i;
    return -1;
}

/* Value types that are a choice among names, each with its lookup (returns -1
 * for an unknown name) and the list for messages. */
static const struct {
    enum val_type type;
    int (*find)(const char *name);
    const char *expected;
} choices[] = {
    { VT_GPU_WORKLOAD, gpu_workload_find, "constant, idle, training or inference" },
    { VT_GPU_SYNC, gpu_sync_find, "lockstep or random" },
    { VT_TRANSIENTS, gpu_transients_find, "off, typical or worst" },
    { VT_TRACE_TRANSIENTS, trace_transients_find, "none, typical or worst" },
    { VT_CPU_LOAD, cpu_profile_find, "full, idle or bursty" },
    { VT_TRACE_FORMAT, trace_format_find, "csv, nvidia-smi, dmon, dcgmi or wall-meter" },
    { VT_BOOL, bool_find, "yes or no" },
    { VT_ATX, atx_find, "3.0, 3.1 or none" },
    { VT_INLET, inlet_find, "none, c14, c20, nema-5-15 or nema-5-20" },
    { VT_SPIKE_SCALE, spike_scale_find, "rated or limit" },
    { VT_CONNECTOR, connector_find, "none, slot, 6pin, 8pin or 12v-2x6" },
    { VT_EDGE, breaker_edge_find, "fast, nominal or slow" },
    { VT_SUPPLY, supply_find, "nominal, low or high" },
    { VT_SOLVER, solver_find, "stride or fixed" },
    { VT_UPS_TOPOLOGY, ups_topology_choice, "online, line-interactive or offline" },
    { VT_UPS_WAVEFORM, ups_waveform_choice, "sine or stepped" },
    { VT_SYSTEM, system_find, "single, split-phase or three-phase" },
    { VT_PHASE, phase_find, "L1, L2, L3, L1-L2, L2-L3 or L3-L1" },
};

static int convert_choice(enum val_type type, const char *value, int *field, char *err,
                          size_t errlen)
{
    for (size_t i = 0; i < sizeof choices / sizeof choices[0]; i++) {
        if (choices[i].type != type) continue;
        int v = choices[i].find(value);
        if (v < 0) {
            /* the nearest of the names the message lists ("a, b or c") */
            char words[128];
            const char *cands[16];
            size_t n = 0;
            snprintf(words, sizeof words, "%s", choices[i].expected);
            char *save = NULL;
            for (char *w = strtok_r(words, ", ", &save); w && n < 16;
                 w = strtok_r(NULL, ", ", &save))
                if (strcmp(w, "or") != 0) cands[n++] = w;
            const char *near = text_nearest(value, cands, n, text_suggest_distance(value));
            snprintf(err, errlen, "expected %s; got '%s'%s%s%s", choices[i].expected, value,
                     near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
            return -1;
        }
        *field = v;
        return 0;
    }
    snprintf(err, errlen, "internal: no choice table");
    return -1;
}

/* The converters behind convert(), one a value type; each takes VALUE for row
 * K into the struct at OBJ and returns 0, or -1 with a message in ERR. */

/* VT_TEXT, VT_REF, VT_PRESET, VT_PATH: text (a name for the last three but a
 * path). */
static int conv_text(const struct key_spec *k, const char *value, void *obj, char *err,
                     size_t errlen)
{
    char *field = (char *)obj + k->offset;
    if ((k->type == VT_REF || k->type == VT_PRESET) && value[0] && !text_is_name(value)) {
        snprintf(err, errlen, "expected a name of letters, digits, '_' and '-', at "
                 "most 63 characters (too long or a bad character); got '%.70s'", value);
        return -1;
    }
    if (text_copy(field, k->size, value) != 0) {
        snprintf(err, errlen, "too long (at most %zu characters)", k->size - 1);
        return -1;
    }
    return 0;
}

/* VT_NUMBER: a value with its unit (units.h), inside the row's range. */
static int conv_number(const struct key_spec *k, const char *value, void *obj, char *err,
                       size_t errlen)
{
    double v;
    if (units_parse(value, k->unit, &v, err, errlen) != 0) return -1;
    if (v < k->lo || (k->lo_open && v == k->lo) || v > k->hi) {
        double scale = k->unit == UNIT_FRACTION ? 100 : 1;
        const char *u = si_unit(k->unit), *sp = u[0] ? " " : "";
        snprintf(err, errlen, "%s is out of range: expected %s %g%s%s %s %g%s%s",
                 value, k->lo_open ? "above" : "from", k->lo * scale, sp, u,
                 k->lo_open ? "and at most" : "to", k->hi * scale, sp, u);
        return -1;
    }
    *(double *)((char *)obj + k->offset) = v;
    return 0;
}

/* VT_SEED: a whole number of 64 bits. */
static int conv_seed(const struct key_spec *k, const char *value, void *obj, char *err,
                     size_t errlen)
{
    char *end;
    errno = 0;
    unsigned long long v = value[0] == '-' ? 0 : strtoull(value, &end, 10);
    if (value[0] == '-' || value[0] == '\0' || errno || *end) {
        snprintf(err, errlen, "expected a whole number from 0 to %" PRIu64 "; got '%s'",
                 UINT64_MAX, value);
        return -1;
    }
    *(uint64_t *)((char *)obj + k->offset) = (uint64_t)v;
    return 0;
}

/* VT_COUNT: a whole number inside the row's range. */
static int conv_count(const struct key_spec *k, const char *value, void *obj, char *err,
                      size_t errlen)
{
    double v;
    if (units_parse(value, UNIT_NONE, &v, err, errlen) != 0) return -1;
    if (v != floor(v) || v < k->lo || v > k->hi) {
        snprintf(err, errlen, "expected a whole number from %g to %g; got '%s'",
                 k->lo, k->hi, value);
        return -1;
    }
    *(int *)((char *)obj + k->offset) = (int)v;
    return 0;
}

/* VT_CURVE: a breaker family by name (breaker.h). */
static int conv_curve(const struct key_spec *k, const char *value, void *obj, char *err,
                      size_t errlen)
{
    const struct breaker_family *f = breaker_family_find(value);
    if (!f) {
        const char *cands[16];
        size_t n = breaker_family_count();
        if (n > 16) n = 16;
        for (size_t i = 0; i < n; i++) cands[i] = breaker_family_at(i)->name;
        const char *near = text_nearest(value, cands, n, 3);
        snprintf(err, errlen, "unknown curve '%s'; expected ul489, iec-b, iec-c, "
                 "iec-d, bs1362 or iec-gg%s%s%s", value, near ? "; did you mean '" : "",
                 near ? near : "", near ? "'?" : "");
        return -1;
    }
    *(const struct breaker_family **)((char *)obj + k->offset) = f;
    return 0;
}

/* VT_EFFICIENCY: an 80 PLUS level, or measured points with the Gold PF curve. */
static int conv_efficiency(const struct key_spec *k, const char *value, void *obj, char *err,
                           size_t errlen)
{
    struct scn_psu *p = obj;
    if (text_copy((char *)obj + k->offset, k->size, value) != 0) {
        snprintf(err, errlen, "too long");
        return -1;
    }
    if (strchr(value, ':')) {
        if (psu_parse_curve(value, &p->params.eff_115, err, errlen) != 0) return -1;
        if (p->params.eff_115.n < 2) {
            snprintf(err, errlen, "give at least two efficiency points");
            return -1;
        }
        p->params.eff_230 = p->params.eff_115;
        /* measured points without a PF curve: the Gold default (psu.c) */
        struct psu_curve e1, e2;
        return psu_level_curves("80plus-gold", &e1, &e2, &p->params.pf) == 0 ? 0 : -1;
    }
    if (psu_level_curves(value, &p->params.eff_115, &p->params.eff_230, &p->params.pf) == 0)
        return 0;
    const char *cands[16];
    size_t n = psu_level_count();
    if (n > 16) n = 16;
    for (size_t i = 0; i < n; i++) cands[i] = psu_level_name(i);
    const char *near = text_nearest(value, cands, n, 4);
    snprintf(err, errlen, "expected an 80 PLUS level (80plus-white, -bronze, "
             "-silver, -gold, -platinum, -titanium) or points like '20%%:0.90, "
             "50%%:0.92, 100%%:0.89'; got '%s'%s%s%s", value,
             near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
    return -1;
}

/* VT_POINTS: points of a curve, or one bare value for a constant. */
static int conv_points(const struct key_spec *k, const char *value, void *obj, char *err,
                       size_t errlen)
{
    struct psu_curve *c = (struct psu_curve *)((char *)obj + k->offset);
    double v;
    if (strchr(value, ':')) return psu_parse_curve(value, c, err, errlen);
    if (units_parse(value, UNIT_FRACTION, &v, err, errlen) != 0) return -1;
    if (!(v > 0 && v <= 1)) {
        snprintf(err, errlen, "expected a value above 0 and at most 1 (100 %%); "
                 "got '%s'", value);
        return -1;
    }
    c->n = 1;
    c->load[0] = 1.0;
    c->value[0] = v;
    return 0;
}

/* VT_TARIFF: a price per kWh with its currency. */
static int conv_tariff(const char *value, void *obj, char *err, size_t errlen)
{
    struct scn_scenario *sc = obj;
    char *end;
    errno = 0;
    double price = strtod(value, &end);
    char cur[16] = "";
    int n = 0;
    if (end == value || errno || !isfinite(price) || price < 0 || price > 1e6
        || sscanf(end, " %15[A-Za-z$]/kWh%n", cur, &n) != 1 || end[n] != '\0') {
        snprintf(err, errlen, "expected a price per kWh with a currency, like "
                 "'0.30 EUR/kWh' or '0.16 USD/kWh'; got '%s'", value);
        return -1;
    }
    sc->tariff_per_kwh = price;
    text_copy(sc->currency, sizeof sc->currency, cur);
    return 0;
}

/* VT_GPU_INDEX: 'all' (-1) or a GPU's index in a log. */
static int conv_gpu_index(const struct key_spec *k, const char *value, void *obj, char *err,
                          size_t errlen)
{
    double v;
    int *field = (int *)((char *)obj + k->offset);
    if (strcmp(value, "all") == 0) {
        *field = -1;
        return 0;
    }
    if (units_parse(value, UNIT_NONE, &v, err, errlen) != 0 || v != floor(v) || v < 0
        || v > 63) {
        snprintf(err, errlen, "expected 'all' or a GPU index 0 to 63; got '%s'", value);
        return -1;
    }
    *field = (int)v;
    return 0;
}

/* VT_RCD: none, gfci, or a rated residual current. */
static int conv_rcd(const char *value, void *obj, char *err, size_t errlen)
{
    struct scn_circuit *c = obj;
    enum unit_kind unit;
    double v;
    c->rcd_a = 0;
    c->rcd_gfci = 0;
    if (strcmp(value, "none") == 0) return 0;
    if (strcmp(value, "gfci") == 0) {
        /* UL 943 class A: trips at 4-6 mA (facts.md 1, S): 5 mA nominal */
        c->rcd_gfci = 1;
        c->rcd_a = 5e-3;
        return 0;
    }
    if (units_parse_any(value, &v, &unit, err, errlen) != 0 || unit != UNIT_CURRENT
        || !(v >= 1e-3 && v <= 3.0)) {
        snprintf(err, errlen, "expected none, gfci or a rated residual current from "
                 "1 mA to 3 A (30 mA); got '%s'", value);
        return -1;
    }
    c->rcd_a = v;
    return 0;
}

/* VT_GAUGE: a conductor the wire table knows. */
static int conv_gauge(const struct key_spec *k, const char *value, void *obj, char *err,
                      size_t errlen)
{
    if (!wire_find_ohm(value, NULL)) {
        snprintf(err, errlen, "unknown conductor '%s'; expected one of 14 AWG, 12 AWG, "
                 "10 AWG, 1.5 mm2, 2.5 mm2, 4 mm2, or a JP solid wire 1.6 mm, "
                 "2.0 mm, 2.6 mm", value);
        return -1;
    }
    text_copy((char *)obj + k->offset, k->size, value);
    return 0;
}

/* VT_LIMIT: the continuous limit, a share of the breaker or a current. */
static int conv_limit(const char *value, void *obj, char *err, size_t errlen)
{
    struct scn_circuit *c = obj;
    enum unit_kind unit;
    double v;
    if (units_parse_any(value, &v, &unit, err, errlen) != 0) return -1;
    if (unit == UNIT_CURRENT && v > 0) {
        c->continuous_a = v;
        c->continuous_frac = 0;
        return 0;
    }
    if ((unit == UNIT_FRACTION || unit == UNIT_NONE) && v > 0 && v <= 1) {
        c->continuous_frac = v;
        return 0;
    }
    snprintf(err, errlen, "expected a share of the breaker rating above 0 and "
             "at most 100 %% (80 %%) or a current (10 A); got '%s'", value);
    return -1;
}

/* Converts VALUE for row K into the struct at OBJ. Returns 0, or -1 with a
 * message (without location) in ERR. */
static int convert(const struct key_spec *k, const char *value, void *obj,
                   char *err, size_t errlen)
{
    switch (k->type) {
    case VT_TEXT:
    case VT_REF:
    case VT_PRESET:
    case VT_PATH: return conv_text(k, value, obj, err, errlen);
    case VT_NUMBER: return conv_number(k, value, obj, err, errlen);
    case VT_SEED: return conv_seed(k, value, obj, err, errlen);
    case VT_COUNT: return conv_count(k, value, obj, err, errlen);
    case VT_CURVE: return conv_curve(k, value, obj, err, errlen);
    case VT_EFFICIENCY: return conv_efficiency(k, value, obj, err, errlen);
    case VT_POINTS: return conv_points(k, value, obj, err, errlen);
    case VT_TARIFF: return conv_tariff(value, obj, err, errlen);
    case VT_ATX:
    case VT_INLET:
    case VT_SPIKE_SCALE:
    case VT_CONNECTOR:
    case VT_EDGE:
    case VT_SUPPLY:
    case VT_SOLVER:
    case VT_GPU_WORKLOAD:
    case VT_GPU_SYNC:
    case VT_TRANSIENTS:
    case VT_TRACE_TRANSIENTS:
    case VT_CPU_LOAD:
    case VT_TRACE_FORMAT:
    case VT_BOOL:
    case VT_UPS_TOPOLOGY:
    case VT_UPS_WAVEFORM:
    case VT_SYSTEM:
    case VT_PHASE:
        return convert_choice(k->type, value, (int *)((char *)obj + k->offset), err, errlen);
    case VT_UPS_CURVE:
        return ups_parse_curve(value, (struct ups_curve *)((char *)obj + k->offset), err,
                               errlen);
    case VT_GPU_INDEX: return conv_gpu_index(k, value, obj, err, errlen);
    case VT_RCD: return conv_rcd(value, obj, err, errlen);
    case VT_GAUGE: return conv_gauge(k, value, obj, err, errlen);
    case VT_LIMIT: return conv_limit(value, obj, err, errlen);
    }
    snprintf(err, errlen, "internal: unknown value type");
    return -1;
}

/* The struct of section S in the result. */
static void *section_obj(struct scenario *out, const struct loader *L, size_t s,
                         const size_t *index)
{
    switch (L->secs[s].kind) {
    case SCN_SCENARIO: return &out->sc;
    case SCN_CIRCUIT: return &out->circuits[index[s]];
    case SCN_PSU: return &out->psus[index[s]];
    case SCN_LOAD:
    case SCN_GPU:
    case SCN_CPU:
    case SCN_TRACE: return &out->loads[index[s]];
    case SCN_UPS: return &out->upses[index[s]];
    case SCN_STRIP: return &out->strips[index[s]];
    case SCN_PANEL: return &out->panels[index[s]];
    default: return NULL;
    }
}

/* Converts one section: unknown keys, then every row of its kind. */
/* Builds L->by_sec and L->sec_start (a counting sort of the entries by section,
 * stable), for sections 0 .. n_secs (one more for a scenario section added
 * later). Returns 0, or -1 when out of memory. */
static int index_entries(struct loader *L)
{
    const size_t n_secs = L->n_secs, n_ents = L->n_ents;
    free(L->sec_start);
    free(L->by_sec);
    size_t *start = calloc(n_secs + 3, sizeof *start);
    size_t *by = malloc((n_ents + 1) * sizeof *by);
    L->sec_start = start;
    L->by_sec = by;
    if (!start || !by) return -1;
    for (size_t i = 0; i < n_ents; i++) start[L->ents[i].sec + 2]++;
    for (size_t k = 2; k < n_secs + 3; k++) start[k] += start[k - 1];
    for (size_t i = 0; i < n_ents; i++) by[start[L->ents[i].sec + 1]++] = i;
    return 0;
}

static void convert_section(struct loader *L, struct scenario *out, size_t s,
                            void *obj, uint64_t *given)
{
    enum scn_kind kind = L->secs[s].kind;
    char where[SCN_PATH_LEN + 200], err[DIAG_LEN];
    size_t first = L->sec_start[s], last = L->sec_start[s + 1];
    for (size_t t = first; t < last; t++) {
        const struct entry *e = &L->ents[L->by_sec[t]];
        if (find_key(kind, e->key)) continue;
        const char *near = nearest_key(kind, e->key);
        diag_add(L->d, "%s: unknown key '%s'%s%s%s", entry_where(L, e, where, sizeof where),
                 e->key, near ? "; did you mean '" : "", near ? near : "",
                 near ? "'?" : "");
    }
    unsigned bit = 0;
    for (size_t r = 0; r < N_KEYS; r++) {
        const struct key_spec *k = &key_table[r];
        if (k->kind != kind) continue;
        const struct entry *win = NULL;
        for (size_t t = first; t < last; t++) {
            const struct entry *e = &L->ents[L->by_sec[t]];
            if (strcmp(e->key, k->key) == 0 && (!win || e->prio >= win->prio))
                win = e;
        }
        if (win) {
            if (win->value[0] == '\0' && k->type != VT_TEXT) {
                diag_add(L->d, "%s %s: the value is empty", entry_where(L, win, where,
                         sizeof where), k->key);
            } else if (convert(k, win->value, obj, err, sizeof err) != 0) {
                diag_add(L->d, "%s %s: %s", entry_where(L, win, where, sizeof where),
                         k->key, err);
            } else {
                *given |= (uint64_t)1 << bit;
            }
        } else if (k->def) {
            if (convert(k, k->def, obj, err, sizeof err) != 0)
                diag_add(L->d, "internal: default of %s: %s", k->key, err);
        } else if (k->def_doc && strcmp(k->def_doc, REQ) == 0
                   && !L->secs[s].preset_failed) {
            char title[SCN_NAME_LEN + 16];
            diag_add(L->d, "%s:%d: %s: missing required key '%s' (%s)", L->secs[s].origin,
                     L->secs[s].line, sec_title(L, s, title, sizeof title), k->key,
                     k->help);
        }
        bit++;
    }
    (void)out;
}

/* 1 if key KEY of KIND was given for a section whose mask is GIVEN. */
static int was_given(enum scn_kind kind, uint64_t given, const char *key)
{
    unsigned bit = 0;
    for (size_t r = 0; r < N_KEYS; r++) {
        if (key_table[r].kind != kind) continue;
        if (strcmp(key_table[r].key, key) == 0) return (int)((given >> bit) & 1);
        bit++;
    }
    return 0;
}

/* =============================================================== validate == */

static long index_of_circuit(const struct scenario *s, const char *name)
{
    for (size_t i = 0; i < s->n_circuits; i++)
        if (strcmp(s->circuits[i].name, name) == 0) return (long)i;
    return -1;
}

static long index_of_psu(const struct scenario *s, const char *name)
{
    for (size_t i = 0; i < s->n_psus; i++)
        if (strcmp(s->psus[i].name, name) == 0) return (long)i;
    return -1;
}

/* Where the value of KEY in section [KIND NAME] came from: "seed.ini:12: [psu main]",
 * "--set psu.main.rating=2000W: [psu main]" or a preset's line. When KEY is NULL or
 * was not given (a default), the section's header line, or only the file when the
 * section has none in it. */
static const char *key_where(const struct loader *L, enum scn_kind kind,
                             const char *name, const char *key, char *buf, size_t n)
{
    long s = find_section(L, kind, name);
    if (s < 0) {
        snprintf(buf, n, "%s:", L->path);
        return buf;
    }
    const struct entry *win = NULL;
    for (size_t i = 0; key && i < L->n_ents; i++) {
        const struct entry *e = &L->ents[i];
        if (e->sec == (size_t)s && strcmp(e->key, key) == 0
            && (!win || e->prio >= win->prio))
            win = e;
    }
    if (win) return entry_where(L, win, buf, n);
    char title[SCN_NAME_LEN + 16];
    sec_title(L, (size_t)s, title, sizeof title);
    if (L->secs[s].line > 0)
        snprintf(buf, n, "%s:%d: %s", L->secs[s].origin, L->secs[s].line, title);
    else
        snprintf(buf, n, "%s: %s", L->secs[s].origin, title);
    return buf;
}

static void bad_ref(struct loader *L, enum scn_kind from_kind, const char *from_name,
                    const char *key, enum scn_kind kind, const char *name)
{
    char where[SCN_PATH_LEN + 200];
    const char *near = nearest_section(L, kind, name);
    diag_add(L->d, "%s %s: no [%s %s] in this scenario%s%s%s",
             key_where(L, from_kind, from_name, key, where, sizeof where), key,
             kind_names[kind], name, near ? "; did you mean '" : "",
             near ? near : "", near ? "'?" : "");
}

/* Inrush is limited by the PSU's NTC thermistor: the bulk capacitor charges
 * through its cold resistance, so the peak is the supply's crest voltage over it.
 * facts.md 2 has no verified magnitude (U); 5 ohm is an assumed typical cold
 * resistance for a 1-2 kW unit, with 1500 uF (Corsair AX1600i 1620 uF, Super Flower
 * Leadex 1600 W 1560 uF, S) giving the 7.5 ms decay of the inrush_time default. */
static const double DEFAULT_NTC_OHM = 5.0;

/* The strip named NAME for section KIND NAME's `strip` key, counted in its
 * members, its circuit the first member's (C); -1 (reported) for a strip not
 * there or one on another circuit. */
static long strip_member(struct loader *L, struct scenario *s, enum scn_kind kind,
                         const char *member, const char *name, size_t c)
{
    char where[SCN_PATH_LEN + 200];
    long k = -1;
    for (size_t i = 0; i < s->n_strips; i++)
        if (strcmp(s->strips[i].name, name) == 0) k = (long)i;
    if (k < 0) {
        bad_ref(L, kind, member, "strip", SCN_STRIP, name);
        return -1;
    }
    struct scn_strip *t = &s->strips[k];
    if (t->n_psus + t->n_loads == 0) {
        t->circuit_index = c;
    } else if (t->circuit_index != c) {
        diag_add(L->d, "%s strip: [strip %s] is plugged into circuit %s (its first member's); "
                 "%s %s is on circuit %s: expected everything on one strip on one circuit",
                 key_where(L, kind, member, "strip", where, sizeof where), t->name,
                 s->circuits[t->circuit_index].name, kind_names[kind], member,
                 s->circuits[c].name);
        return -1;
    }
    return k;
}

/* [strip] sections and what names them: each PSU's and AC load's `strip`
 * resolved (strip_index), each strip on its members' one circuit, at most one
 * protective device, and something plugged in (an unused strip is a typo's
 * sign). A DC load is behind its PSU: the PSU names the strip. */
static void validate_strips(struct loader *L, struct scenario *s)
{
    char where[SCN_PATH_LEN + 200];
    for (size_t i = 0; i < s->n_psus; i++) {
        struct scn_psu *p = &s->psus[i];
        p->strip_index = -1;
        if (!p->strip[0]) continue;
        p->strip_index = strip_member(L, s, SCN_PSU, p->name, p->strip, p->circuit_index);
        if (p->strip_index >= 0) s->strips[p->strip_index].n_psus++;
    }
    for (size_t i = 0; i < s->n_loads; i++) {
        struct scn_load *l = &s->loads[i];
        l->strip_index = -1;
        if (!l->strip[0]) continue;
        if (!l->on_circuit) {
            diag_add(L->d, "%s strip: a DC load draws through its PSU; expected `strip = %s` "
                     "in [psu %s], or the load on a circuit (`circuit = NAME`)",
                     key_where(L, (enum scn_kind)l->kind, l->name, "strip", where,
                               sizeof where), l->strip, l->psu);
            continue;
        }
        l->strip_index = strip_member(L, s, (enum scn_kind)l->kind, l->name, l->strip,
                                      l->target_index);
        if (l->strip_index >= 0) s->strips[l->strip_index].n_loads++;
    }
    for (size_t k = 0; k < s->n_strips; k++) {
        const struct scn_strip *t = &s->strips[k];
        if (t->fuse_a > 0 && t->breaker_a > 0)
            diag_add(L->d, "%s breaker: give one of `fuse` (a BS 1362 plug fuse) or `breaker` "
                     "(its own breaker), not both", key_where(L, SCN_STRIP, t->name, "breaker",
                                                              where, sizeof where));
        if (t->n_psus + t->n_loads == 0)
            diag_add(L->d, "%s: nothing is plugged into it; expected `strip = %s` in a [psu] "
                     "or an AC [load] section", key_where(L, SCN_STRIP, t->name, NULL, where,
                                                          sizeof where), t->name);
    }
}

/* supply, supply_low, supply_high -> source_v. */
static void validate_supply(struct loader *L, struct scn_circuit *c)
{
    char where[SCN_PATH_LEN + 200];
    int has_low = was_given(SCN_CIRCUIT, c->given, "supply_low");
    int has_high = was_given(SCN_CIRCUIT, c->given, "supply_high");
    c->source_v = c->voltage_v;
    if (has_low && c->supply_low_v > c->voltage_v)
        diag_add(L->d, "%s supply_low: %g V is above the nominal %g V",
                 key_where(L, SCN_CIRCUIT, c->name, "supply_low", where, sizeof where),
                 c->supply_low_v, c->voltage_v);
    if (has_high && c->supply_high_v < c->voltage_v)
        diag_add(L->d, "%s supply_high: %g V is below the nominal %g V",
                 key_where(L, SCN_CIRCUIT, c->name, "supply_high", where, sizeof where),
                 c->supply_high_v, c->voltage_v);
    if (c->supply == SCN_SUPPLY_LOW) {
        if (has_low)
            c->source_v = c->supply_low_v;
        else
            diag_add(L->d, "%s supply: 'low' needs the band's bottom: set supply_low "
                     "(e.g. 114 V in the US) or use a region preset",
                     key_where(L, SCN_CIRCUIT, c->name, "supply", where, sizeof where));
    } else if (c->supply == SCN_SUPPLY_HIGH) {
        if (has_high)
            c->source_v = c->supply_high_v;
        else
            diag_add(L->d, "%s supply: 'high' needs the band's top: set supply_high or "
                     "use a region preset",
                     key_where(L, SCN_CIRCUIT, c->name, "supply", where, sizeof where));
    }
}

/* wire_length + wire_gauge + wire_temperature -> wire_ohm (the loop: two
 * conductors), R = 2 L r20 (1 + alpha (T - 20)) (facts.md 1, Wiring). */
static void validate_wire(struct loader *L, struct scn_circuit *c)
{
    char where[SCN_PATH_LEN + 200];
    int has_r = was_given(SCN_CIRCUIT, c->given, "wire_resistance");
    int has_len = was_given(SCN_CIRCUIT, c->given, "wire_length");
    int has_gauge = was_given(SCN_CIRCUIT, c->given, "wire_gauge");
    if (has_len && has_r)
        diag_add(L->d, "%s wire_length: give either wire_resistance or wire_length with "
                 "wire_gauge, not both",
                 key_where(L, SCN_CIRCUIT, c->name, "wire_length", where, sizeof where));
    else if (has_len != has_gauge)
        diag_add(L->d, "%s %s: wire_length and wire_gauge go together",
                 key_where(L, SCN_CIRCUIT, c->name, has_len ? "wire_length" : "wire_gauge",
                           where, sizeof where), has_len ? "wire_length" : "wire_gauge");
    else if (has_len) {
        double r20 = 0;
        wire_find_ohm(c->wire_gauge, &r20);
        c->wire_ohm = 2 * c->wire_length_m * r20 * (1 + COPPER_ALPHA * (c->wire_temp_c - 20));
    }
}

/* OPP, bulk capacitor and PFC defaults and checks (sources in the key table and
 * below). */
static void validate_psu_dynamics(struct loader *L, struct scn_psu *p)
{
    char where[SCN_PATH_LEN + 200];
    int atx3 = p->atx != SCN_ATX_NONE;
    /* Measured OPP trip points of current units: 119.2-130.6 % (facts.md 2, S); an
     * ATX 3.x unit must ride the excursion envelope, so its OPP acts on the
     * sustained (1 s) load (D). How fast an older unit's OPP reacts is rarely
     * published (reviews ramp the load slowly); PC PSU supervisors filter their
     * over-current detectors: Weltrend WT7527 20 ms, WT7525 1.2 ms de-glitch
     * (datasheets, S). The default for a unit whose response is unknown is the
     * 20 ms of the WT7527 (W); a unit known to trip on millisecond spikes sets
     * opp_time (1.2 ms: the WT7525). */
    if (!was_given(SCN_PSU, p->given, "opp")) p->opp_frac = atx3 ? 1.25 : 1.20;
    if (!was_given(SCN_PSU, p->given, "opp_time")) p->opp_time_s = atx3 ? 1.0 : 20e-3;
    /* Bulk capacitance scales with rating: 1620 uF / 1600 W (Corsair AX1600i), 1560 uF
     * / 1600 W (Leadex Titanium), 780 uF / 850 W (HX850) (facts.md 2, S): about
     * 1 uF/W (D). */
    if (!was_given(SCN_PSU, p->given, "bulk_capacitance"))
        p->bulk_c_f = p->params.rating_w * 1e-6;
    if (p->dropout_v >= p->bulk_v)
        diag_add(L->d, "%s dropout_voltage: %g V must be below bulk_voltage (%g V)",
                 key_where(L, SCN_PSU, p->name, "dropout_voltage", where, sizeof where),
                 p->dropout_v, p->bulk_v);
}

/* [gpu], [cpu], [trace]: defaults that depend on other keys, and a trial build
 * of the model so that its complaints carry the section's file and line. */
static void validate_model_load(struct loader *L, const struct scenario *s,
                                struct scn_load *l)
{
    char where[SCN_PATH_LEN + 200], err[DIAG_LEN];
    enum scn_kind kind = (enum scn_kind)l->kind;
    const char *problem = NULL;
    err[0] = '\0';
    if (kind == SCN_GPU) {
        if (!was_given(kind, l->given, "power_limit")) l->limit_w = l->rated_w;
        /* a limit the driver would refuse (nvidia-smi -pl answers "not in the
         * range") is no scenario to judge */
        double lo = l->limit_min_w, hi = l->limit_max_w;
        if (lo > 0 && hi > 0 && lo > hi)
            diag_add(L->d, "%s power_limit_min: %g W is above power_limit_max (%g W)",
                     key_where(L, kind, l->name, "power_limit_min", where, sizeof where),
                     lo, hi);
        else if ((lo > 0 && l->limit_w < lo) || (hi > 0 && l->limit_w > hi))
            diag_add(L->d, "%s power_limit: %g W is %s the card's %s of %g W (nvidia-smi "
                     "-pl refuses it; power_limit_%s)",
                     key_where(L, kind, l->name, "power_limit", where, sizeof where),
                     l->limit_w, l->limit_w < lo ? "below" : "above",
                     l->limit_w < lo ? "minimum" : "maximum", l->limit_w < lo ? lo : hi,
                     l->limit_w < lo ? "min" : "max");
        /* idle: 7 % of board power when no preset says, as the presets assume (U) */
        if (!was_given(kind, l->given, "idle")) l->idle_w = 0.07 * l->rated_w;
        if (!was_given(kind, l->given, "comm_power")) l->comm_w = 0.4 * l->limit_w;
        struct gpu_params gp = { l->rated_w, l->limit_w, l->idle_w, l->count,
                                 (enum gpu_workload)l->workload, l->fraction, l->period_s,
                                 l->duty, l->comm_w, (enum gpu_sync)l->sync, l->rate_hz,
                                 l->burst_s, l->start_s, l->ramp_s,
                                 (enum gpu_transients)l->transients, s->sc.seed,
                                 s->sc.step_s, l->spike_scale == 1 ? l->limit_w : 0.0 };
        gpu *g = gpu_new(&gp, err, sizeof err);
        if (!g) problem = "";
        gpu_free(g);
    } else if (kind == SCN_CPU) {
        l->count = 1;
        if (!was_given(kind, l->given, "pl2")) l->pl2_w = l->pl1_w;
        struct cpu_params cp = { l->pl1_w, l->pl2_w, l->tau_s, l->pl4_w, l->idle_w,
                                 (enum cpu_profile)l->cpu_load, l->period_s, l->duty,
                                 l->start_s, s->sc.step_s };
        cpu *c = cpu_new(&cp, err, sizeof err);
        if (!c) problem = "";
        cpu_free(c);
    } else if (kind == SCN_TRACE) {
        /* a relative file name is relative to the folder of the file its section
         * is in (joined in assemble(): the scenario's, or an included rig's) */
        if (l->file_too_long) {
            snprintf(err, sizeof err, "the path is too long");
        }
        struct trace_opts to = { l->gpu_index, l->max_gap, l->interval_s };
        trace *t = err[0] ? NULL
                          : trace_load_opts(l->file, (enum trace_format)l->trace_format,
                                            &to, err, sizeof err);
        if (!t) problem = "file";
        if (t) {
            /* the summary reports what was bridged (report.c) */
            struct trace_gaps tg;
            trace_gaps(t, &tg);
            l->gaps = tg.gaps;
            l->gap_samples = tg.samples;
            l->longest_gap_s = tg.longest_s;
            l->longest_gap_line = tg.longest_line;
            l->instant = trace_instant(t);
        }
        trace_free(t);
        /* a wall meter measures what the rig draws from the outlet: AC, before
         * any PSU */
        /* the spike model is a GPU's, on its DC side (gpu.h): an AC log (a wall
         * meter's, behind the PSU's filter) already carries what reaches the wall */
        if (l->transients != GPU_TR_OFF && l->on_circuit)
            diag_add(L->d, "%s transients: the spike model is a GPU's DC draw; a trace on "
                     "a circuit is AC (behind a PSU's filter): expected `transients = "
                     "none`, or the log on a PSU (`psu = NAME`)",
                     key_where(L, kind, l->name, "transients", where, sizeof where));
        if (l->trace_format == TRACE_WALL_METER && !l->on_circuit)
            diag_add(L->d, "%s psu: a wall-meter log is measured at the outlet (AC, "
                     "PSU losses included); expected `circuit = NAME`, not `psu =`",
                     key_where(L, kind, l->name, "psu", where, sizeof where));
    }
    /* the model's message names the value it refuses; a trace's, its file and line */
    if (problem && problem[0])
        diag_add(L->d, "%s %s: %s", key_where(L, kind, l->name, problem, where, sizeof where),
                 problem, err);
    else if (problem)
        diag_add(L->d, "%s: %s", key_where(L, kind, l->name, NULL, where, sizeof where), err);
}

static long index_of_ups(const struct scenario *s, const char *name)
{
    for (size_t i = 0; i < s->n_ups; i++)
        if (strcmp(s->upses[i].name, name) == 0) return (long)i;
    return -1;
}

/* [ups NAME]: its circuit, and the defaults that depend on its topology (their
 * figures are the key table's, documented there). */
static void validate_ups(struct loader *L, struct scenario *s, struct scn_ups *u)
{
    char where[SCN_PATH_LEN + 200];
    long c = index_of_circuit(s, u->circuit);
    if (u->circuit[0] && c < 0) bad_ref(L, SCN_UPS, u->name, "circuit", SCN_CIRCUIT, u->circuit);
    u->circuit_index = c < 0 ? 0 : (size_t)c;
    int online = u->topology == UPS_ONLINE;
    if (!was_given(SCN_UPS, u->given, "output_voltage") && c >= 0)
        u->output_v = s->circuits[c].voltage_v;
    if (!was_given(SCN_UPS, u->given, "efficiency")) u->efficiency = online ? 0.93 : 0.97;
    if (!was_given(SCN_UPS, u->given, "input_pf")) u->input_pf = online ? 0.99 : 0.0;
    if (!was_given(SCN_UPS, u->given, "transfer_time")) u->transfer_s = online ? 0.0 : 10e-3;
    if (!was_given(SCN_UPS, u->given, "outage")) u->outage_s = INFINITY;
    if (u->rating_w > 0 && u->rating_va > 0 && u->rating_w > u->rating_va)
        diag_add(L->d, "%s rating: %g W is above the VA rating (%g VA): a power factor "
                 "above 1", key_where(L, SCN_UPS, u->name, "rating", where, sizeof where),
                 u->rating_w, u->rating_va);
    int has_half = u->battery.t_half_s > 0, has_full = u->battery.t_full_s > 0;
    if (has_half != has_full)
        diag_add(L->d, "%s runtime_%s: give both runtime_half and runtime_full (Peukert's "
                 "exponent needs the two)", key_where(L, SCN_UPS, u->name,
                 has_half ? "runtime_half" : "runtime_full", where, sizeof where),
                 has_half ? "half" : "full");
    else if (has_half && !(u->battery.t_half_s > u->battery.t_full_s))
        diag_add(L->d, "%s runtime_half: %g s is not longer than runtime_full (%g s)",
                 key_where(L, SCN_UPS, u->name, "runtime_half", where, sizeof where),
                 u->battery.t_half_s, u->battery.t_full_s);
}

/* ================================================================ panels == */

int scenario_system_lines(int system)
{
    return system == SCN_SYS_THREE ? 3 : system == SCN_SYS_SPLIT ? 2 : 1;
}

void scenario_phase_lines(int phase, int lines[2], int *n)
{
    static const int tab[SCN_PH_COUNT][2] = { { 0, 0 }, { 1, 1 }, { 2, 2 },
                                              { 0, 1 }, { 1, 2 }, { 2, 0 } };
    int k = phase >= 0 && phase < SCN_PH_COUNT ? phase : 0;
    lines[0] = tab[k][0];
    lines[1] = tab[k][1];
    *n = k >= SCN_PH_L1L2 ? 2 : 1;
}

const char *scenario_phase_name(int phase)
{
    return phase >= 0 && phase < SCN_PH_COUNT ? phase_names[phase] : "?";
}

const char *scenario_system_name(int system)
{
    return system >= 0 && system < 3 ? system_names[system] : "?";
}

/* A circuit's voltage may be off its phase's nominal by this share (400 V on a
 * 230 V three-phase panel is sqrt(3) x 230 = 398.4 V, 0.4 % off; 208 V on 120 V,
 * 0.07 %), psusim's choice (U). */
static const double PHASE_VOLTAGE_TOL = 0.03;

/* [panel] sections and the circuits fed from them: each circuit's panel
 * resolved, its phase one the panel's system has, its voltage the phase's
 * (line to neutral: the panel's; line to line: 2 x on split-phase, its lines
 * 180 degrees apart; sqrt(3) x on three-phase, 120 degrees), each panel feeding
 * something; the defaults of the neutral and the continuous limit. */
static void validate_panels(struct loader *L, struct scenario *s)
{
    char where[SCN_PATH_LEN + 200];
    for (size_t i = 0; i < s->n_circuits; i++) {
        struct scn_circuit *c = &s->circuits[i];
        c->panel_index = -1;
        if (!c->panel[0]) {
            if (was_given(SCN_CIRCUIT, c->given, "phase"))
                diag_add(L->d, "%s phase: a phase is one of a panel's; add `panel = NAME` "
                         "(a [panel NAME] section) or remove the key",
                         key_where(L, SCN_CIRCUIT, c->name, "phase", where, sizeof where));
            continue;
        }
        long k = -1;
        for (size_t j = 0; j < s->n_panels; j++)
            if (strcmp(s->panels[j].name, c->panel) == 0) k = (long)j;
        if (k < 0) {
            bad_ref(L, SCN_CIRCUIT, c->name, "panel", SCN_PANEL, c->panel);
            continue;
        }
        struct scn_panel *pn = &s->panels[k];
        c->panel_index = k;
        pn->n_circuits++;
        int lines[2], n;
        scenario_phase_lines(c->phase, lines, &n);
        int have = scenario_system_lines(pn->system);
        if (lines[0] >= have || lines[1] >= have) {
            diag_add(L->d, "%s phase: [panel %s] is %s: it has %s; got '%s'",
                     key_where(L, SCN_CIRCUIT, c->name, "phase", where, sizeof where),
                     pn->name, scenario_system_name(pn->system),
                     have == 1 ? "L1 only" : have == 2 ? "L1, L2 and L1-L2"
                               : "L1, L2, L3, L1-L2, L2-L3 and L3-L1",
                     scenario_phase_name(c->phase));
            continue;
        }
        double k_ll = pn->system == SCN_SYS_SPLIT ? 2.0 : sqrt(3.0);
        double want = n == 2 ? k_ll * pn->voltage_v : pn->voltage_v;
        if (c->voltage_v > 0 && fabs(c->voltage_v / want - 1.0) > PHASE_VOLTAGE_TOL)
            diag_add(L->d, "%s voltage: %g V does not match phase %s of [panel %s] (%s, "
                     "%g V line to neutral): expected %.0f V%s", key_where(L, SCN_CIRCUIT,
                     c->name, "voltage", where, sizeof where), c->voltage_v,
                     scenario_phase_name(c->phase), pn->name, scenario_system_name(pn->system),
                     pn->voltage_v, want,
                     n == 2 ? pn->system == SCN_SYS_SPLIT ? " (2 x line to neutral)"
                                                          : " (sqrt(3) x line to neutral)"
                     : have > 1 && fabs(c->voltage_v / (k_ll * pn->voltage_v) - 1.0)
                                       <= PHASE_VOLTAGE_TOL
                         ? "; a line-to-line circuit takes phase = L1-L2, L2-L3 or L3-L1"
                         : "");
    }
    /* sub-panels: the parent, no loop, the lines mapped */
    for (size_t j = 0; j < s->n_panels; j++) {
        struct scn_panel *pn = &s->panels[j];
        pn->parent_index = -1;
        for (int k = 0; k < 3; k++) pn->line_map[k] = k;
        if (!pn->parent[0]) {
            if (was_given(SCN_PANEL, pn->given, "phase"))
                diag_add(L->d, "%s phase: a panel's phase is its parent's line; add `panel = "
                         "PARENT` or remove the key", key_where(L, SCN_PANEL, pn->name, "phase",
                         where, sizeof where));
            continue;
        }
        long q = -1;
        for (size_t i = 0; i < s->n_panels; i++)
            if (strcmp(s->panels[i].name, pn->parent) == 0) q = (long)i;
        if (q < 0) {
            bad_ref(L, SCN_PANEL, pn->name, "panel", SCN_PANEL, pn->parent);
            continue;
        }
        const struct scn_panel *pa = &s->panels[q];
        pn->parent_index = q;
        s->panels[q].n_circuits++;  /* the parent feeds something */
        int lines[2], n;
        scenario_phase_lines(pn->phase, lines, &n);
        if (pn->system == SCN_SYS_SINGLE && pa->system != SCN_SYS_SINGLE) {
            if (n != 1 || lines[0] >= scenario_system_lines(pa->system))
                diag_add(L->d, "%s phase: a single-phase sub-panel sits on one line of [panel "
                         "%s] (%s); got '%s'", key_where(L, SCN_PANEL, pn->name, "phase", where,
                         sizeof where), pa->name, scenario_system_name(pa->system),
                         scenario_phase_name(pn->phase));
            pn->line_map[0] = lines[0];
        } else if (pn->system != pa->system) {
            diag_add(L->d, "%s system: a %s sub-panel needs a %s parent; [panel %s] is %s",
                     key_where(L, SCN_PANEL, pn->name, "system", where, sizeof where),
                     scenario_system_name(pn->system), scenario_system_name(pn->system),
                     pa->name, scenario_system_name(pa->system));
        }
        if (fabs(pn->voltage_v / pa->voltage_v - 1.0) > PHASE_VOLTAGE_TOL)
            diag_add(L->d, "%s voltage: %g V line to neutral; its parent [panel %s] has %g V",
                     key_where(L, SCN_PANEL, pn->name, "voltage", where, sizeof where),
                     pn->voltage_v, pa->name, pa->voltage_v);
    }
    for (size_t j = 0; j < s->n_panels; j++) {
        size_t steps = 0;
        long q = s->panels[j].parent_index;
        while (q >= 0 && steps++ <= s->n_panels) q = s->panels[q].parent_index;
        if (q >= 0) {
            diag_add(L->d, "%s panel: the panels feed each other in a loop",
                     key_where(L, SCN_PANEL, s->panels[j].name, "panel", where, sizeof where));
            for (size_t i = 0; i < s->n_panels; i++) s->panels[i].parent_index = -1;
            break;
        }
    }
    for (size_t j = 0; j < s->n_panels; j++) {
        struct scn_panel *pn = &s->panels[j];
        if (pn->n_circuits == 0)
            diag_add(L->d, "%s: nothing is fed from it; expected `panel = %s` in a [circuit] "
                     "or a sub-panel's section", key_where(L, SCN_PANEL, pn->name, NULL, where, sizeof where),
                     pn->name);
        pn->neutral_given = was_given(SCN_PANEL, pn->given, "neutral");
        if (!pn->neutral_given) pn->neutral_a = pn->main_a;
        int ul = pn->curve && strcmp(pn->curve->name, "ul489") == 0;
        if (was_given(SCN_PANEL, pn->given, "continuous_limit"))
            text_copy(pn->continuous_rule, sizeof pn->continuous_rule,
                      "the panel's continuous_limit");
        else {
            /* NEC 215.3 (feeders) and 230.42(A)(1) (service conductors): the
             * device is sized for the non-continuous load plus 125 % of the
             * continuous load, so a continuous load may use 80 % of it (the
             * branch rule of 210.19/210.20 one level up; the issue's words, S).
             * IEC: the main's In is carried continuously (IEC 60269-1: 1.25 In
             * does not melt in 1 h; IEC 60898-1: 1.13 In does not trip; S). */
            pn->continuous_frac = ul ? 0.80 : 1.0;
            text_copy(pn->continuous_rule, sizeof pn->continuous_rule,
                      ul ? "NEC 215.3/230.42(A)(1)" : "IEC: In carried continuously");
        }
    }
}

static void validate(struct loader *L, struct scenario *s)
{
    struct scn_scenario *sc = &s->sc;
    char where[SCN_PATH_LEN + 200];
    if (s->n_circuits == 0)
        diag_add(L->d, "%s: no [circuit NAME] section: a scenario needs the wall "
                 "circuit the rig is plugged into", L->path);
    if (s->n_loads == 0)
        diag_add(L->d, "%s: no [load NAME] section: nothing draws power", L->path);
    /* Simulate what the user asked about (issue 13, 4): the whole job when the
     * scenario gives one and no duration; beyond 24 h (1.7e9 steps of 50 us) the
     * rest of the job is extrapolated from the run (verdict.c). */
    if (!was_given(SCN_SCENARIO, sc->given, "duration"))
        sc->duration_s = !was_given(SCN_SCENARIO, sc->given, "job") ? DEFAULT_DURATION_S
                         : sc->job_s < MAX_DEFAULT_DURATION_S ? sc->job_s
                                                              : MAX_DEFAULT_DURATION_S;
    /* timeseries.csv rows: 10 ms, or at most 360,000 rows (100 h of 1 s rows) on
     * long runs; every row carries min/mean/max, so no spike is hidden */
    if (!was_given(SCN_SCENARIO, sc->given, "sample"))
        sc->sample_s = sc->duration_s / MAX_DEFAULT_ROWS > DEFAULT_SAMPLE_S
                           ? sc->duration_s / MAX_DEFAULT_ROWS : DEFAULT_SAMPLE_S;
    if (sc->step_s > sc->duration_s) {
        if (was_given(SCN_SCENARIO, sc->given, "step"))
            diag_add(L->d, "%s step: %g s is longer than the duration (%g s)",
                     key_where(L, SCN_SCENARIO, "", "step", where, sizeof where),
                     sc->step_s, sc->duration_s);
        else
            diag_add(L->d, "%s duration: %g s is shorter than the step (%g s)",
                     key_where(L, SCN_SCENARIO, "", "duration", where, sizeof where),
                     sc->duration_s, sc->step_s);
    }
    if (sc->sample_s < sc->step_s)
        sc->sample_s = sc->step_s;
    if (!was_given(SCN_SCENARIO, sc->given, "job")) sc->job_s = sc->duration_s;
    if (!was_given(SCN_SCENARIO, sc->given, "ambient")) sc->ambient_c = NAN;
    if (sc->name[0] == '\0') {
        const char *base = strrchr(L->path, '/');
        text_copy(sc->name, sizeof sc->name, base ? base + 1 : L->path);
    }

    for (size_t i = 0; i < s->n_circuits; i++) {
        struct scn_circuit *c = &s->circuits[i];
        validate_supply(L, c);
        validate_wire(L, c);
        if (!c->curve) continue; /* reported as missing */
        if (c->curve->model == BREAKER_MODEL_FUSE && c->magnetic_multiple > 0)
            diag_add(L->d, "%s magnetic: a fuse (%s) has no magnetic element; remove the "
                     "key", key_where(L, SCN_CIRCUIT, c->name, "magnetic", where,
                     sizeof where), c->curve->standard);
        if (c->magnetic_multiple > 0 && c->magnetic_multiple
            <= c->curve->edge[BREAKER_SLOW].it_multiple)
            diag_add(L->d, "%s magnetic: %g x In is below the thermal pick-up "
                     "(%g x In)", key_where(L, SCN_CIRCUIT, c->name, "magnetic", where,
                     sizeof where), c->magnetic_multiple, c->curve->edge[BREAKER_SLOW].it_multiple);
        if (c->continuous_a > 0) {
            if (c->breaker_a > 0 && c->continuous_a > c->breaker_a)
                diag_add(L->d, "%s continuous_limit: %g A is above the breaker "
                         "rating (%g A)", key_where(L, SCN_CIRCUIT, c->name,
                         "continuous_limit", where, sizeof where), c->continuous_a,
                         c->breaker_a);
        } else {
            if (!(c->continuous_frac > 0))
                for (size_t k = 0; k < sizeof continuous_defaults
                                       / sizeof continuous_defaults[0]; k++)
                    if (strcmp(continuous_defaults[k].curve, c->curve->name) == 0)
                        c->continuous_frac = continuous_defaults[k].fraction;
            if (!(c->continuous_frac > 0)) c->continuous_frac = 1.0;
            c->continuous_a = c->continuous_frac * c->breaker_a;
        }
        /* NEC 210.23(A)(1) (15/20 A) and 210.23(B) (30 A): one cord-and-plug item at
         * most 80 % of the branch rating on a circuit of several outlets (facts.md 1,
         * S). A US (UL 489) circuit gets it unless it says otherwise. */
        if (!was_given(SCN_CIRCUIT, c->given, "cord_and_plug_limit"))
            c->cord_plug_frac = strcmp(c->curve->name, "ul489") == 0 && c->breaker_a <= 30
                                    ? 0.80 : 0.0;
        /* the region: given (one of the known), else from the curve family and
         * the voltage: UL 489 is the US (and Canada's CSA C22.2 No. 5, same
         * curves), BS 1362 the UK, 100 V Japan, the rest the IEC countries */
        static const char *const regions[] = { "us", "ca", "de", "eu", "uk", "jp", "ie",
                                                "fr", "it", "ch", "nordic", "au" };
        if (c->region[0]) {
            int known = 0;
            for (size_t k = 0; k < sizeof regions / sizeof regions[0]; k++)
                known |= strcmp(c->region, regions[k]) == 0;
            if (!known) {
                const char *near = text_nearest(c->region, regions,
                                                 sizeof regions / sizeof regions[0], 1);
                diag_add(L->d, "%s region: unknown region '%s'%s%s%s (known: us, ca, de, eu, "
                         "uk, jp, ie, fr, it, ch, nordic, au)", key_where(L, SCN_CIRCUIT, c->name, "region", where,
                         sizeof where), c->region, near ? "; did you mean '" : "",
                         near ? near : "", near ? "'?" : "");
            }
        } else {
            text_copy(c->region, sizeof c->region,
                      c->voltage_v <= 110 && strcmp(c->curve->name, "bs1362") != 0 ? "jp"
                      : strcmp(c->curve->name, "ul489") == 0 ? "us"
                      : strcmp(c->curve->name, "bs1362") == 0 ? "uk" : "eu");
        }
        if (!c->continuous_rule[0]) {
            for (size_t k = 0; k < sizeof continuous_defaults / sizeof continuous_defaults[0];
                 k++)
                if (strcmp(continuous_defaults[k].curve, c->curve->name) == 0
                    && fabs(c->continuous_a - continuous_defaults[k].fraction * c->breaker_a)
                           < 1e-9 * c->breaker_a)
                    text_copy(c->continuous_rule, sizeof c->continuous_rule,
                              continuous_defaults[k].rule);
            if (!c->continuous_rule[0])
                text_copy(c->continuous_rule, sizeof c->continuous_rule,
                          "the circuit's continuous_limit");
        }
    }

    for (size_t i = 0; i < s->n_ups; i++) validate_ups(L, s, &s->upses[i]);
    /* the stride solver carries a UPS on mains below its rating (engine.c,
     * ups_piece); its transfer, battery and overload go step by step */
    if (s->n_ups > 0) {
        if (sc->split > 1)
            diag_add(L->d, "%s split: not with a [ups] section",
                     key_where(L, SCN_SCENARIO, "", "split", where, sizeof where));
    }

    for (size_t i = 0; i < s->n_psus; i++) {
        struct scn_psu *p = &s->psus[i];
        p->ups_index = -1;
        if (p->circuit[0] && p->ups[0]) {
            diag_add(L->d, "%s ups: give one of 'circuit = NAME' or 'ups = NAME' (a PSU "
                     "behind a UPS draws from the UPS's circuit)",
                     key_where(L, SCN_PSU, p->name, "ups", where, sizeof where));
        } else if (p->ups[0]) {
            long u = index_of_ups(s, p->ups);
            if (u < 0) {
                bad_ref(L, SCN_PSU, p->name, "ups", SCN_UPS, p->ups);
            } else {
                p->ups_index = u;
                text_copy(p->circuit, sizeof p->circuit, s->upses[u].circuit);
            }
        } else if (!p->circuit[0]) {
            diag_add(L->d, "%s: missing required key 'circuit' (the circuit it is plugged "
                     "into) or 'ups' (the UPS it is plugged into)",
                     key_where(L, SCN_PSU, p->name, NULL, where, sizeof where));
        }
        long c = index_of_circuit(s, p->circuit);
        if (p->circuit[0] && c < 0 && p->ups_index < 0)
            bad_ref(L, SCN_PSU, p->name, "circuit", SCN_CIRCUIT, p->circuit);
        p->circuit_index = c < 0 ? 0 : (size_t)c;
        p->power_on_s += (double)i * sc->stagger_s;
        validate_psu_dynamics(L, p);
        if (!was_given(SCN_PSU, p->given, "inrush") && c >= 0)
            p->inrush_a = sqrt(2.0) * s->circuits[c].source_v / DEFAULT_NTC_OHM;
        if (!(p->params.rating_w > 0)) continue; /* reported */
        p->rating_nominal_w = p->params.rating_w;
        /* ATX12V: low-line input is 90-135 V, high-line 180-265 V (facts.md 2, P);
         * a unit derated at low line delivers rating_115v there */
        p->low_line = c >= 0 && (p->ups_index >= 0 ? s->upses[p->ups_index].output_v
                                                   : s->circuits[c].voltage_v) < 180;
        if (p->rating_low_w > p->params.rating_w)
            diag_add(L->d, "%s rating_115v: %g W is above the rating (%g W); the low-line "
                     "rating is the derated one", key_where(L, SCN_PSU, p->name, "rating_115v",
                     where, sizeof where), p->rating_low_w, p->params.rating_w);
        if (p->low_line && p->rating_low_w > 0) p->params.rating_w = p->rating_low_w;
        if (p->inlet > 0 && c >= 0)
            p->inlet_limit_a = s->circuits[c].curve
                                       && strcmp(s->circuits[c].curve->name, "ul489") == 0
                                   ? inlets[p->inlet].ul_a : inlets[p->inlet].iec_a;
        char err[DIAG_LEN];
        if (psu_check(&p->params, err, sizeof err) != 0)
            diag_add(L->d, "%s efficiency: %s",
                     key_where(L, SCN_PSU, p->name, NULL, where, sizeof where), err);
    }

    for (size_t i = 0; i < s->n_loads; i++) {
        struct scn_load *l = &s->loads[i];
        enum scn_kind kind = (enum scn_kind)l->kind;
        int has_psu = l->psu[0] != '\0', has_circuit = l->circuit[0] != '\0';
        if (has_psu == has_circuit) {
            diag_add(L->d, "%s: give exactly one of 'psu = NAME' (a DC load "
                     "behind a PSU) or 'circuit = NAME' (an AC load on the wall)",
                     key_where(L, kind, l->name, NULL, where, sizeof where));
        } else if (has_psu) {
            long p = index_of_psu(s, l->psu);
            if (p < 0) bad_ref(L, kind, l->name, "psu", SCN_PSU, l->psu);
            l->target_index = p < 0 ? 0 : (size_t)p;
            if (was_given(kind, l->given, "pf"))
                diag_add(L->d, "%s pf: a power factor applies to an AC load "
                         "on a circuit; a DC load's PF is the PSU's",
                         key_where(L, kind, l->name, "pf", where, sizeof where));
        } else {
            long c = index_of_circuit(s, l->circuit);
            if (c < 0) bad_ref(L, kind, l->name, "circuit", SCN_CIRCUIT, l->circuit);
            l->target_index = c < 0 ? 0 : (size_t)c;
            l->on_circuit = 1;
        }
        if (!was_given(kind, l->given, "stop")) l->stop_s = INFINITY;
        if (l->connector != SCN_CONN_NONE)
            l->connector_limit_w = connectors[l->connector].limit_w * l->connector_count
                                   + (l->connector == SCN_CONN_SLOT ? 0 : SLOT_LIMIT_W);
        if (kind != SCN_LOAD) {
            validate_model_load(L, s, l);
            continue;
        }
        if (l->stop_s <= l->start_s)
            diag_add(L->d, "%s stop: %g s is not after start (%g s)",
                     key_where(L, kind, l->name, "stop", where, sizeof where),
                     l->stop_s, l->start_s);
        int has_on = was_given(kind, l->given, "on");
        if (l->period_s > 0) {
            if (!has_on) l->on_s = l->period_s;
            if (l->on_s > l->period_s)
                diag_add(L->d, "%s on: %g s is longer than the period (%g s)",
                         key_where(L, kind, l->name, "on", where, sizeof where),
                         l->on_s, l->period_s);
            if (l->period_s < sc->step_s || (has_on && l->on_s < sc->step_s))
                diag_add(L->d, "%s period: the square wave (period %g s, on "
                         "%g s) is finer than the step (%g s)",
                         key_where(L, kind, l->name, "period", where, sizeof where),
                         l->period_s, l->on_s, sc->step_s);
        } else if (has_on) {
            diag_add(L->d, "%s on: needs a 'period' (the square wave's period)",
                     key_where(L, kind, l->name, "on", where, sizeof where));
        }
    }
    validate_strips(L, s);
    validate_panels(L, s);
    /* the stride solver carries panels without sub-panels (engine.c,
     * panels_piece); a tree of panels runs the fixed path, the reference */
    if (s->n_panels > 0) {
        for (size_t p = 0; p < s->n_panels; p++)
            if (s->panels[p].parent_index >= 0) sc->solver = SCN_SOLVER_FIXED;
        if (sc->split > 1)
            diag_add(L->d, "%s split: not with a [panel] section",
                     key_where(L, SCN_SCENARIO, "", "split", where, sizeof where));
    }
}

/* ================================================================= public == */

/* A named section's name and header line from SEC into NAME (LEN bytes) and
 * *LINE; returns GIVEN, its keys-given mask (assemble()). */
static uint64_t *take_name(char *name, size_t len, int *line, uint64_t *given,
                           const struct section *sec)
{
    text_copy(name, len, sec->name);
    *line = sec->line;
    return given;
}

static int assemble(struct loader *L, struct scenario *s)
{
    size_t counts[SCN_KIND_COUNT] = { 0 };
    size_t *index = calloc(L->n_secs + 1, sizeof *index);
    if (!index) return -1;
    if (index_entries(L) != 0) {
        free(index);
        return -1;
    }
    /* every load-like section becomes an entry of s->loads, in file order */
    for (size_t i = 0; i < L->n_secs; i++) {
        int k = L->secs[i].kind;
        index[i] = counts[is_load_kind(k) ? SCN_LOAD : k]++;
    }
    s->circuits = calloc(counts[SCN_CIRCUIT] + 1, sizeof *s->circuits);
    s->psus = calloc(counts[SCN_PSU] + 1, sizeof *s->psus);
    s->loads = calloc(counts[SCN_LOAD] + 1, sizeof *s->loads);
    s->upses = calloc(counts[SCN_UPS] + 1, sizeof *s->upses);
    s->strips = calloc(counts[SCN_STRIP] + 1, sizeof *s->strips);
    s->panels = calloc(counts[SCN_PANEL] + 1, sizeof *s->panels);
    if (!s->circuits || !s->psus || !s->loads || !s->upses || !s->strips || !s->panels) {
        free(index);
        return -1;
    }
    s->n_circuits = counts[SCN_CIRCUIT];
    s->n_psus = counts[SCN_PSU];
    s->n_loads = counts[SCN_LOAD];
    s->n_ups = counts[SCN_UPS];
    s->n_strips = counts[SCN_STRIP];
    s->n_panels = counts[SCN_PANEL];

    int have_scenario = 0;
    for (size_t i = 0; i < L->n_secs; i++) {
        void *obj = section_obj(s, L, i, index);
        uint64_t *given = NULL;
        switch (L->secs[i].kind) {
        case SCN_SCENARIO: given = &s->sc.given; have_scenario = 1; break;
        case SCN_CIRCUIT: {
            struct scn_circuit *c = obj;
            given = take_name(c->name, sizeof c->name, &c->line, &c->given, &L->secs[i]);
            break;
        }
        case SCN_PSU: {
            struct scn_psu *p = obj;
            given = take_name(p->name, sizeof p->name, &p->line, &p->given, &L->secs[i]);
            break;
        }
        case SCN_UPS: {
            struct scn_ups *u = obj;
            given = take_name(u->name, sizeof u->name, &u->line, &u->given, &L->secs[i]);
            break;
        }
        case SCN_LOAD:
        case SCN_GPU:
        case SCN_CPU:
        case SCN_TRACE: {
            struct scn_load *l = obj;
            l->kind = L->secs[i].kind;
            given = take_name(l->name, sizeof l->name, &l->line, &l->given, &L->secs[i]);
            break;
        }
        case SCN_STRIP: {
            struct scn_strip *t = obj;
            given = take_name(t->name, sizeof t->name, &t->line, &t->given, &L->secs[i]);
            break;
        }
        case SCN_PANEL: {
            struct scn_panel *pn = obj;
            given = take_name(pn->name, sizeof pn->name, &pn->line, &pn->given, &L->secs[i]);
            break;
        }
        default: break;
        }
        if (given) convert_section(L, s, i, obj, given);
        if (L->secs[i].kind == SCN_TRACE) {
            /* a relative trace file name: relative to its section's file */
            struct scn_load *l = obj;
            const char *org = L->secs[i].origin, *slash = strrchr(org, '/');
            if (l->file[0] && l->file[0] != '/' && slash) {
                char joined[SCN_PATH_LEN];
                int n = snprintf(joined, sizeof joined, "%.*s/%s", (int)(slash - org), org,
                                 l->file);
                if (n < 0 || (size_t)n >= sizeof joined) l->file_too_long = 1;
                else text_copy(l->file, sizeof l->file, joined);
            }
        }
    }
    free(index);
    if (!have_scenario) {
        /* all defaults: a scenario section is optional */
        struct section dummy = { SCN_SCENARIO, "", L->top, 0, 0 };
        struct section *secs = realloc(L->secs, (L->n_secs + 1) * sizeof *secs);
        if (!secs) return -1;
        L->secs = secs;
        L->secs[L->n_secs] = dummy;
        convert_section(L, s, L->n_secs, &s->sc, &s->sc.given);
        L->n_secs++;
    }
    return 0;
}

static int apply_split(struct scenario *s, struct diag *d);

/* The references alone (a PSU's circuit, a load's psu or circuit), for a
 * scenario with other problems: one pass then reports them all (issue 19, 4);
 * validate() checks them with everything else on a scenario without problems. */
static void check_refs(struct loader *L, const struct scenario *s)
{
    /* a refused header drops its section: a reference to it would be a second,
     * misleading message about the same line (the header's messages say these) */
    static const char *const dropped[] = { "section header", "section kind", "the name in '[",
                                           "needs a name", "takes no name", "appears twice" };
    for (size_t i = 0; i < L->d->n; i++)
        for (size_t k = 0; k < sizeof dropped / sizeof dropped[0]; k++)
            if (strstr(L->d->msg[i], dropped[k])) return;
    for (size_t i = 0; i < s->n_psus; i++) {
        const struct scn_psu *p = &s->psus[i];
        if (p->circuit[0] && index_of_circuit(s, p->circuit) < 0)
            bad_ref(L, SCN_PSU, p->name, "circuit", SCN_CIRCUIT, p->circuit);
    }
    for (size_t i = 0; i < s->n_loads; i++) {
        const struct scn_load *l = &s->loads[i];
        enum scn_kind kind = (enum scn_kind)l->kind;
        if (l->psu[0] && !l->circuit[0] && index_of_psu(s, l->psu) < 0)
            bad_ref(L, kind, l->name, "psu", SCN_PSU, l->psu);
        if (l->circuit[0] && !l->psu[0] && index_of_circuit(s, l->circuit) < 0)
            bad_ref(L, kind, l->name, "circuit", SCN_CIRCUIT, l->circuit);
    }
}

/* scenario_load, from TEXT when it is not NULL. */
static int load_from(const char *path, const char *text, const struct scn_options *opt,
                     struct scenario **out, struct diag *d)
{
    *out = NULL;
    size_t errors_before = diag_total(d);
    struct loader L = { .path = path, .top = path, .d = d, .cur_sec = -1 };
    struct scenario *s = calloc(1, sizeof *s);
    struct preset_db db = { 0 };
    int db_ok = 0;
    if (!s) {
        diag_add(d, "out of memory");
        return -1;
    }
    text_copy(s->path, sizeof s->path, path);

    if ((text ? inifile_parse_text(path, text, on_file_section, on_file_entry, &L, d)
             : inifile_parse(path, on_file_section, on_file_entry, &L, d)) == 0) {
        for (size_t i = 0; opt && i < opt->n_sets; i++) add_set(&L, opt->sets[i]);
        /* the presets the sections name: only those are read (issue 14) */
        struct preset_ref *refs = calloc(L.n_ents + 1, sizeof *refs);
        size_t n_refs = 0;
        int wants_preset = 0;
        for (size_t i = 0; refs && i < L.n_ents; i++)
            if (strcmp(L.ents[i].key, "preset") == 0) {
                wants_preset = 1;
                if (L.ents[i].value[0])
                    refs[n_refs++] = (struct preset_ref){ kind_names[L.secs[L.ents[i].sec].kind],
                                                          L.ents[i].value };
            }
        if (!refs) L.oom = 1;
        else if (wants_preset && opt && opt->preset_dir)
            db_ok = preset_db_load_refs(&db, opt->preset_dir, refs, n_refs, d) == 0;
        free(refs);
        add_presets(&L, db_ok ? &db : NULL);
        if (assemble(&L, s) != 0) L.oom = 1;
        if (!L.oom && diag_total(d) == errors_before) validate(&L, s);
        else if (!L.oom) check_refs(&L, s);
        if (!L.oom && diag_total(d) == errors_before) apply_split(s, d);
    }
    if (L.oom) diag_add(d, "%s: out of memory", path);
    preset_db_free(&db);
    free(L.secs);
    free(L.ents);
    free(L.by_sec);
    free(L.sec_start);
    free(L.slots);
    for (size_t i = 0; i < L.n_included; i++) free(L.included[i]);
    if (diag_total(d) != errors_before) {
        scenario_free(s);
        return -1;
    }
    *out = s;
    return 0;
}

int scenario_load(const char *path, const struct scn_options *opt,
                  struct scenario **out, struct diag *d)
{
    return load_from(path, NULL, opt, out, d);
}

int scenario_load_text(const char *path, const char *text, const struct scn_options *opt,
                       struct scenario **out, struct diag *d)
{
    return load_from(path, text, opt, out, d);
}

/* scenario.split = N: the GPU cards spread over N copies of their PSU, each on
 * its own copy of that PSU's circuit (names NAME-2 ... NAME-N); each [gpu]
 * section keeps ceil(count / N) cards and its copies take the rest. Every GPU
 * must be on one PSU. Returns 0, or -1 with a message in D. */
static int apply_split(struct scenario *s, struct diag *d)
{
    int n = s->sc.split;
    long p = -1;
    size_t n_gpu = 0;
    if (n <= 1) return 0;
    for (size_t i = 0; i < s->n_loads; i++) {
        const struct scn_load *l = &s->loads[i];
        if (l->kind != SCN_GPU) continue;
        if (p >= 0 && (size_t)p != l->target_index) {
            diag_add(d, "%s: scenario.split needs every [gpu] on one PSU", s->path);
            return -1;
        }
        p = (long)l->target_index;
        n_gpu++;
    }
    if (p < 0) {
        diag_add(d, "%s: scenario.split needs a [gpu] section", s->path);
        return -1;
    }
    size_t nc = s->n_circuits, np = s->n_psus, nl = s->n_loads, extra = (size_t)n - 1;
    struct scn_circuit *cs = realloc(s->circuits, (nc + extra) * sizeof *cs);
    if (cs) s->circuits = cs;
    struct scn_psu *ps = realloc(s->psus, (np + extra) * sizeof *ps);
    if (ps) s->psus = ps;
    struct scn_load *ls = realloc(s->loads, (nl + extra * n_gpu) * sizeof *ls);
    if (ls) s->loads = ls;
    if (!cs || !ps || !ls) {
        diag_add(d, "%s: out of memory", s->path);
        return -1;
    }
    size_t c = s->psus[p].circuit_index;
    char cname[SCN_NAME_LEN], pname[SCN_NAME_LEN];
    text_copy(cname, sizeof cname, s->circuits[c].name);
    text_copy(pname, sizeof pname, s->psus[p].name);
    for (size_t k = 1; k < (size_t)n; k++) {
        struct scn_circuit *cc = &s->circuits[nc + k - 1];
        struct scn_psu *pp = &s->psus[np + k - 1];
        *cc = s->circuits[c];
        *pp = s->psus[p];
        /* split is at most 8: one digit */
        char digit = (char)('0' + (int)(k + 1));
        snprintf(cc->name, sizeof cc->name, "%.*s-%c", (int)sizeof cc->name - 8, cname, digit);
        snprintf(pp->name, sizeof pp->name, "%.*s-%c", (int)sizeof pp->name - 8, pname, digit);
        text_copy(pp->circuit, sizeof pp->circuit, cc->name);
        pp->circuit_index = nc + k - 1;
        pp->strip[0] = '\0';        /* a copy is on its own circuit, off the strip */
        pp->strip_index = -1;
    }
    size_t at = nl;
    for (size_t i = 0; i < nl; i++) {
        struct scn_load *g = &s->loads[i];
        if (g->kind != SCN_GPU) continue;
        int count = g->count, base = count / n, rem = count % n;
        char gname[SCN_NAME_LEN];
        text_copy(gname, sizeof gname, g->name);
        g->count = base + (rem > 0);
        for (size_t k = 1; k < (size_t)n; k++) {
            int m = base + ((int)k < rem);
            if (m == 0) continue;
            struct scn_load *l = &s->loads[at++];
            *l = *g;
            l->count = m;
            snprintf(l->name, sizeof l->name, "%.*s-%c", (int)sizeof l->name - 8, gname,
                     (char)('0' + (int)(k + 1)));
            text_copy(l->psu, sizeof l->psu, s->psus[np + k - 1].name);
            l->target_index = np + k - 1;
        }
    }
    s->n_circuits = nc + extra;
    s->n_psus = np + extra;
    s->n_loads = at;
    return 0;
}

void scenario_free(struct scenario *s)
{
    if (!s) return;
    free(s->circuits);
    free(s->psus);
    free(s->loads);
    free(s->upses);
    free(s->strips);
    free(s->panels);
    free(s);
}

const char *scenario_kind_name(enum scn_kind kind)
{
    return (unsigned)kind < SCN_KIND_COUNT ? kind_names[kind] : "?";
}

/* ============================================================== reference == */

static const char *type_units(const struct key_spec *k)
{
    switch (k->type) {
    case VT_NUMBER: return k->unit == UNIT_NONE ? "number" : units_kind_hint(k->unit);
    case VT_TEXT: return "text";
    case VT_REF: return "name";
    case VT_PRESET: return "preset name";
    case VT_SEED: return "integer";
    case VT_COUNT: return "integer";
    case VT_CURVE: return "curve name";
    case VT_EFFICIENCY: return "level or points";
    case VT_POINTS: return "value or points";
    case VT_LIMIT: return "%, A";
    case VT_EDGE: return "fast, nominal, slow";
    case VT_SUPPLY: return "nominal, low, high";
    case VT_SOLVER: return "stride, fixed";
    case VT_GAUGE: return "AWG, mm2";
    case VT_RCD: return "none, gfci, mA";
    case VT_ATX: return "3.0, 3.1, none";
    case VT_INLET: return "c14, c20, nema-5-15, nema-5-20, none";
    case VT_SPIKE_SCALE: return "rated, limit";
    case VT_CONNECTOR: return "connector";
    case VT_TARIFF: return "price/kWh";
    case VT_GPU_WORKLOAD: return "workload";
    case VT_GPU_SYNC: return "lockstep, random";
    case VT_TRANSIENTS: return "off, typical, worst";
    case VT_TRACE_TRANSIENTS: return "none, typical, worst";
    case VT_CPU_LOAD: return "full, idle, bursty";
    case VT_TRACE_FORMAT: return "csv, nvidia-smi, dmon, dcgmi, wall-meter";
    case VT_BOOL: return "yes, no";
    case VT_GPU_INDEX: return "all, 0, 1, ...";
    case VT_PATH: return "file";
    case VT_UPS_TOPOLOGY: return "online, line-interactive, offline";
    case VT_UPS_WAVEFORM: return "sine, stepped";
    case VT_UPS_CURVE: return "load:time points";
    case VT_SYSTEM: return "single, split-phase, three-phase";
    case VT_PHASE: return "L1, L2, L3, L1-L2, L2-L3, L3-L1";
    }
    return "";
}

void scenario_write_reference(FILE *out)
{
    for (int kind = 0; kind < SCN_KIND_COUNT; kind++) {
        fprintf(out, "%s### [%s%s]\n\n| key | units | default | meaning |\n"
                "|---|---|---|---|\n", kind ? "\n" : "", kind_names[kind],
                kind == SCN_SCENARIO ? "" : " NAME");
        for (size_t r = 0; r < N_KEYS; r++) {
            const struct key_spec *k = &key_table[r];
            if ((int)k->kind != kind) continue;
            const char *def = k->def_doc ? k->def_doc : k->def ? k->def : "";
            fprintf(out, "| `%s` | %s | %s | %s |\n", k->key, type_units(k),
                    def[0] ? def : "empty", k->help);
        }
    }
}

/* scenario — an INI scenario read, merged with presets and --set overrides,
 * converted to SI and validated.
 *
 * Sections and keys are one table (scenario.c, key_table): each row names its
 * section kind, key, value type, unit, limits, default and a line of help. The
 * loader, the error messages, `psusim keys` and the README's scenario reference
 * all come from that table. Adding a key is adding a row (and a field).
 *
 * Precedence for a key: --set over the section's own line over the preset named
 * by `preset = NAME` over the table's default.
 */
#ifndef PSUSIM_SCENARIO_H
#define PSUSIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "breaker.h"
#include "diag.h"
#include "psu.h"
#include "ups.h"

enum { SCN_NAME_LEN = 64, SCN_TEXT_LEN = 200, SCN_PATH_LEN = 4096 };

/* The kinds of section, in the order the table lists them. */
enum scn_kind { SCN_SCENARIO = 0, SCN_CIRCUIT, SCN_PSU, SCN_LOAD, SCN_GPU, SCN_CPU,
                SCN_TRACE, SCN_UPS, SCN_STRIP, SCN_PANEL, SCN_KIND_COUNT };

/* A panel's supply system (scenario.c, validate_panels): one line and neutral;
 * US split-phase 120/240 V (L1, L2 and a neutral, the lines 180 degrees apart);
 * three-phase (L1, L2, L3 and a neutral, 120 degrees apart: DE 230/400 V, US
 * 120/208 V). */
enum scn_system { SCN_SYS_SINGLE = 0, SCN_SYS_SPLIT, SCN_SYS_THREE };

/* The phase(s) a circuit is on: one line and the neutral, or two lines. */
enum scn_phase { SCN_PH_L1 = 0, SCN_PH_L2, SCN_PH_L3, SCN_PH_L1L2, SCN_PH_L2L3, SCN_PH_L3L1,
                 SCN_PH_COUNT };

/* How the engine advances (engine.h): quiet stretches in closed form, or every
 * step on its own (the reference). */
enum scn_solver { SCN_SOLVER_STRIDE = 0, SCN_SOLVER_FIXED };

/* [scenario] */
struct scn_scenario {
    char name[SCN_TEXT_LEN];        /* title for reports */
    char description[SCN_TEXT_LEN]; /* free text */
    double duration_s;              /* simulated time, s */
    double step_s;                  /* engine step dt, s */
    double job_s;                   /* how long the real job runs, s (continuous rule) */
    double sustained_window_s;      /* the continuous rule's RMS window, s */
    double sample_s;                /* timeseries.csv interval, s */
    uint64_t seed;                  /* RNG seed */
    double ambient_c;               /* ambient at the breakers, C; NAN: each device's
                                       calibration ambient */
    double stagger_s;               /* PSUs power on this far apart, in file order, s */
    char include[SCN_TEXT_LEN];     /* never set: `include` is read in the file
                                       (scenario.c, include_files) */
    int split;                      /* the GPUs spread over this many copies of their
                                       PSU and circuit (1: as written) */
    int solver;                     /* enum scn_solver */
    double tariff_per_kwh;          /* energy price per kWh (0: no cost reported) */
    char currency[16];              /* the price's currency label ("EUR", "USD") */
    uint64_t given;                 /* bit k set: key k of this kind was given */
};

/* ATX design-guide generation of a PSU: the excursion envelope it tolerates. */
enum scn_atx { SCN_ATX_NONE = 0, SCN_ATX_30, SCN_ATX_31 };

/* A PSU's AC inlet or plug (scenario.c, inlets table). */
enum scn_inlet { SCN_INLET_NONE = 0, SCN_INLET_C14, SCN_INLET_C20, SCN_INLET_NEMA_5_15,
                 SCN_INLET_NEMA_5_20 };

/* A GPU's power connector, for the 1 s sustained limit (PCIe CEM 5.x). */
enum scn_connector { SCN_CONN_NONE = 0, SCN_CONN_SLOT, SCN_CONN_6PIN, SCN_CONN_8PIN,
                     SCN_CONN_12V2X6 };

/* Which source voltage a circuit runs at: the nominal, or an end of the
 * region's supply band. */
enum scn_supply { SCN_SUPPLY_NOMINAL = 0, SCN_SUPPLY_LOW, SCN_SUPPLY_HIGH };

/* [circuit NAME] */
struct scn_circuit {
    char name[SCN_NAME_LEN];
    char description[SCN_TEXT_LEN];
    char preset[SCN_NAME_LEN];      /* preset it came from, or "" */
    double voltage_v;               /* nominal RMS voltage at the source, V */
    double supply_low_v;            /* bottom of the supply band, V (0: nominal) */
    double supply_high_v;           /* top of the supply band, V (0: nominal) */
    int supply;                     /* enum scn_supply */
    double source_v;                /* the voltage simulated (resolved), V */
    double frequency_hz;            /* mains frequency, Hz */
    double breaker_a;               /* rated current In, A */
    const struct breaker_family *curve; /* trip curve family */
    int tolerance;                  /* enum breaker_edge driving the circuit */
    double magnetic_multiple;       /* magnetic pick-up / In; 0 = the family's */
    double wire_ohm;                /* loop resistance source + wiring (resolved), ohm */
    double wire_length_m;           /* one-way run length, m (0: use wire_ohm) */
    char wire_gauge[SCN_NAME_LEN];  /* "14 AWG", "2.5 mm2" */
    double wire_temp_c;             /* conductor temperature for its resistance, C */
    double outlet_limit_a;          /* the outlet's own rating, A (0: none) */
    double continuous_frac;         /* continuous limit as a fraction of In, or 0 */
    double continuous_a;            /* continuous limit in A (resolved), A */
    char continuous_rule[SCN_TEXT_LEN]; /* the source of continuous_limit, cited */
    char region[8];                 /* "us", "ca", "de", "eu", "uk", "jp": whose
                                       rules and fixes apply (recommend); given or
                                       inferred from the curve and voltage */
    double cord_plug_frac;          /* NEC 210.23(A)(1): one cord-and-plug item at most
                                       this share of In (0: the rule does not apply) */
    double receptacle_a;            /* the receptacle's rating, A (0: not said) */
    double wire_ampacity_a;         /* the run's current-carrying capacity, A (0: from
                                       wire_gauge's table, verdict.c) */
    double rcd_a;                   /* residual-current device's rated I_dn, A (0: none) */
    int rcd_gfci;                   /* 1: a UL 943 class A GFCI (trips at 4-6 mA) */
    char panel[SCN_NAME_LEN];       /* the [panel] it is fed from, or "" */
    long panel_index;               /* resolved index into scenario.panels, -1: none */
    int phase;                      /* enum scn_phase on that panel */
    int line;                       /* line of the section header */
    uint64_t given;
};

/* [psu NAME] */
struct scn_psu {
    char name[SCN_NAME_LEN];
    char description[SCN_TEXT_LEN];
    char preset[SCN_NAME_LEN];
    char circuit[SCN_NAME_LEN];     /* the circuit it is plugged into (behind a UPS:
                                       the UPS's circuit, resolved) */
    size_t circuit_index;           /* resolved index into scenario.circuits */
    char ups[SCN_NAME_LEN];         /* the UPS it is plugged into, or "" */
    long ups_index;                 /* resolved index into scenario.upses, -1: none */
    char efficiency[SCN_TEXT_LEN];  /* as written: a level name or points */
    struct psu_params params;       /* rating and curves, SI */
    double min_input_v;             /* brown-out: below this input it shuts down, V */
    double input_rating_a;          /* nameplate input current at low line, A (0: unknown) */
    double rating_low_w;            /* rated output at 100-127 V, W (0: the rating) */
    double rating_nominal_w;        /* the rating as given (params.rating_w is the one
                                       in force at the circuit's voltage), W */
    int low_line;                   /* its circuit is below 180 V */
    int inlet;                      /* enum scn_inlet */
    char strip[SCN_NAME_LEN];       /* the power strip or PDU it is plugged into, or "" */
    long strip_index;               /* resolved index into scenario.strips, -1: none */
    double inlet_limit_a;           /* its inlet's or plug's rating (resolved), A (0: none) */
    double leakage_a;               /* protective-conductor (earth leakage) current, A */
    double power_on_s;              /* switched on at (resolved, with the stagger), s */
    double output_delay_s;          /* from power-on to DC output (power good), s */
    int atx;                        /* enum scn_atx */
    double opp_frac;                /* over-power set point, fraction of rating */
    double opp_time_s;              /* OPP averaging window, s */
    double bulk_c_f;                /* bulk capacitance, F */
    double bulk_v;                  /* regulated bulk voltage, V */
    double dropout_v;               /* DC-DC drop-out voltage, V */
    double pfc_tau_s;               /* PFC voltage-loop time constant, s */
    double inrush_a;                /* inrush peak (instantaneous) current, A (resolved) */
    double inrush_time_s;           /* inrush decay time constant, s */
    int line;
    uint64_t given;
};

/* A load: [load NAME] (constant, scheduled), [gpu NAME], [cpu NAME] or
 * [trace NAME], on a PSU (DC) or a circuit (AC). All kinds share this struct; the
 * fields of the other kinds stay unused. */
struct scn_load {
    int kind;                       /* SCN_LOAD, SCN_GPU, SCN_CPU or SCN_TRACE */
    char name[SCN_NAME_LEN];
    char description[SCN_TEXT_LEN];
    char preset[SCN_NAME_LEN];
    char psu[SCN_NAME_LEN];         /* DC load on this PSU, or "" */
    char circuit[SCN_NAME_LEN];     /* AC load on this circuit, or "" */
    int on_circuit;                 /* 1: AC load on a circuit, 0: DC load on a PSU */
    size_t target_index;            /* resolved index of the PSU or circuit */
    double power_w;                 /* power of one unit when on, W */
    double leakage_a;               /* an AC load's earth leakage per unit, A */
    char strip[SCN_NAME_LEN];       /* an AC load's [strip], or "" */
    long strip_index;               /* resolved index into scenario.strips, -1: none */
    int count;                      /* identical units in lockstep */
    double pf;                      /* power factor (AC loads), 0..1 */
    double start_s;                 /* switched on at, s */
    double stop_s;                  /* switched off at, s (INFINITY: never) */
    double period_s;                /* square-wave period, s (0: steady) */
    double on_s;                    /* on-time per period, s */
    int connector;                  /* enum scn_connector of one unit */
    int connector_count;            /* connectors of that kind per unit */
    double connector_limit_w;       /* resolved 1 s limit per unit, W (0: none) */
    /* [gpu] (period_s, start_s and count are shared with [load]) */
    double rated_w;                 /* rated board power, W */
    double limit_w;                 /* power limit (nvidia-smi -pl), W */
    double limit_min_w, limit_max_w; /* the range the card's driver accepts for
                                       the limit (nvidia-smi -q), W; 0: unknown */
    double idle_w;                  /* idle power, W (also [cpu]) */
    int workload;                   /* enum gpu_workload */
    double fraction;                /* constant workload: share of the limit */
    double duty;                    /* training compute share; [cpu] bursty share */
    double comm_w;                  /* training: communication-phase power, W */
    int sync;                       /* enum gpu_sync */
    double rate_hz;                 /* inference: requests per second */
    double burst_s;                 /* inference: burst length, s */
    double ramp_s;                  /* start-up ramp, s */
    int transients;                 /* enum gpu_transients */
    int spike_scale;                /* 0: spikes scale with the rated power, 1: with
                                       the power limit */
    /* [cpu] */
    double pl1_w, pl2_w, tau_s, pl4_w; /* Intel limits (AMD: PL1 = PL2 = PPT), W, s */
    int cpu_load;                   /* enum cpu_profile */
    double vrm_eff;                 /* board VRM efficiency: package power / the
                                       power it draws from the PSU, 0.5..1 */
    /* [trace] */
    int file_too_long;              /* the file joined with its folder was too long */
    char file[SCN_PATH_LEN];        /* the log, relative to the scenario's folder */
    int trace_format;               /* enum trace_format */
    int gpu_index;                  /* nvidia-smi: which GPU, -1 all */
    int loop;                       /* 1: the trace repeats */
    int max_gap;                    /* the longest gap bridged, samples */
    double interval_s;              /* dmon, dcgmi: time between rounds, s */
    /* what the loader's trial read found (trace.h, trace_gaps()) */
    size_t gaps;                    /* gaps bridged */
    size_t gap_samples;             /* samples missing in them */
    double longest_gap_s;           /* the longest time bridged, s */
    long longest_gap_line;          /* its line in the log, 0: none */
    int instant;                    /* 1: instant power, 0: ~1 s average, -1: not a GPU log */
    int line;
    uint64_t given;
};

/* [ups NAME] (ups.h for the models behind the fields) */
struct scn_ups {
    char name[SCN_NAME_LEN];
    char description[SCN_TEXT_LEN];
    char preset[SCN_NAME_LEN];
    char circuit[SCN_NAME_LEN];     /* the circuit it is plugged into */
    size_t circuit_index;           /* resolved */
    double rating_va;               /* output apparent power rating, VA */
    double rating_w;                /* output real power rating, W */
    int topology;                   /* enum ups_topology */
    int waveform;                   /* enum ups_waveform (on battery) */
    double output_v;                /* output voltage, V (resolved: the circuit's if
                                       not given) */
    double efficiency;              /* output / input power on mains (resolved) */
    double input_pf;                /* input power factor; 0: the load's (resolved) */
    double loss_w;                  /* its own standing draw, W */
    double charge_w;                /* its charger's draw while recharging, W */
    struct ups_curve overload;      /* load -> longest time (ups.h) */
    double overload_reset_s;        /* the overload integral's relaxation, s */
    double transfer_s;              /* transfer time to battery, s (resolved) */
    struct ups_battery battery;     /* runtime points or energy (ups.h) */
    double outage_s;                /* its mains fail at this time, s (INFINITY: never) */
    int line;
    uint64_t given;
};

/* [strip NAME]: a power strip, PDU or extension lead between the receptacle
 * and the PSUs that name it (`strip = NAME` in [psu]); it sits on their
 * circuit (verdict.c judges it as a link of that circuit). */
struct scn_strip {
    char name[SCN_NAME_LEN];
    char description[SCN_TEXT_LEN];
    double rating_a;                /* its marked rating (cord, plug, sockets), A */
    double fuse_a;                  /* a BS 1362 fuse in its plug, A (0: none) */
    double breaker_a;               /* its own breaker, A (0: none) */
    const struct breaker_family *curve; /* that breaker's curve family */
    size_t circuit_index;           /* its PSUs' circuit (resolved) */
    size_t n_psus;                  /* PSUs plugged into it */
    size_t n_loads;                 /* AC loads plugged into it */
    int line;
    uint64_t given;
};

/* [panel NAME] (or [service NAME]): the panel or service its circuits are fed
 * from, with its main breaker or main fuse on each line (engine.c, panels;
 * verdict.c, judge_panel). */
struct scn_panel {
    char name[SCN_NAME_LEN];
    char description[SCN_TEXT_LEN];
    int system;                     /* enum scn_system */
    double voltage_v;               /* line to neutral, V */
    double main_a;                  /* the main device's rating per line, A */
    const struct breaker_family *curve; /* its family: ul489, iec-gg, iec-b ... */
    int tolerance;                  /* enum breaker_edge driving the panel */
    double neutral_a;               /* the neutral's rating, A (resolved: the main's
                                       when not given) */
    int neutral_given;              /* 1: neutral_a was given */
    double continuous_frac;         /* continuous limit as a fraction of main_a */
    char continuous_rule[SCN_TEXT_LEN]; /* its source, as the verdict cites it */
    size_t n_circuits;              /* circuits and sub-panels fed from it (resolved) */
    char parent[SCN_NAME_LEN];      /* a sub-panel: the panel it is fed from, or "" */
    long parent_index;              /* resolved index into scenario.panels, -1: none */
    int phase;                      /* a single-phase sub-panel: its parent's line
                                       (enum scn_phase, L1..L3) */
    int line_map[3];                /* its line k is its parent's line line_map[k]
                                       (resolved) */
    int line;
    uint64_t given;
};

struct scenario {
    char path[SCN_PATH_LEN];        /* the file it was read from */
    struct scn_scenario sc;
    struct scn_circuit *circuits;   /* n_circuits entries, in file order */
    size_t n_circuits;
    struct scn_psu *psus;
    size_t n_psus;
    struct scn_load *loads;
    size_t n_loads;
    struct scn_ups *upses;          /* [ups NAME] sections, in file order */
    size_t n_ups;
    struct scn_strip *strips;       /* n_strips entries, in file order */
    size_t n_strips;
    struct scn_panel *panels;       /* n_panels entries, in file order */
    size_t n_panels;
};

/* The lines of SYSTEM (1, 2 or 3), and PHASE's lines: their count (1 or 2) into
 * *N and their indexes 0..2 into LINES[0..1]. */
int scenario_system_lines(int system);
void scenario_phase_lines(int phase, int lines[2], int *n);

/* "L1", "L2", "L3", "L1-L2", "L2-L3", "L3-L1"; "single", "split-phase", "three-phase". */
const char *scenario_phase_name(int phase);
const char *scenario_system_name(int system);

struct scn_options {
    const char *preset_dir;         /* folder of preset INI files, or NULL */
    const char *const *sets;        /* --set KEY=VALUE texts */
    size_t n_sets;
};

/* Reads, merges and validates PATH. Returns 0 and a scenario in *OUT (the caller
 * frees it with scenario_free()), or -1 with every problem found in D (*OUT is
 * NULL). */
/* A conductor's wiring rule (scenario.c's wire table, with its sources). */
enum scn_wire_code { SCN_WIRE_NEC, SCN_WIRE_IEC, SCN_WIRE_JP };
struct scn_wire_rule {
    enum scn_wire_code code;
    const char *label;    /* "12 AWG", "2.5 mm2", "1.6 mm" */
    double max_a;         /* NEC, JP: the largest breaker; IEC: Iz in method A1, A */
    double max_hi_a;      /* IEC: Iz in method C; JP: the largest fuse, A */
};

/* The rule for conductor GAUGE (as a wire_gauge value). Returns 0, or -1 for a
 * conductor the table does not know. */
int scenario_wire_rule(const char *gauge, struct scn_wire_rule *out);

int scenario_load(const char *path, const struct scn_options *opt,
                  struct scenario **out, struct diag *d);

/* As scenario_load, from TEXT (the file's text: standard input, or a scenario
 * psusim quick wrote), named PATH in the messages and the outputs. */
int scenario_load_text(const char *path, const char *text, const struct scn_options *opt,
                       struct scenario **out, struct diag *d);

/* Frees S; scenario_free(NULL) does nothing. */
void scenario_free(struct scenario *s);

/* "scenario", "circuit", "psu", "load". */
const char *scenario_kind_name(enum scn_kind kind);

/* Writes the key table as a Markdown reference (one table per section) to OUT.
 * The README carries this text verbatim between its markers; a test checks it. */
void scenario_write_reference(FILE *out);

#endif

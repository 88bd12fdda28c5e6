/* engine — the time loop: loads -> PSUs -> circuits -> breakers, step by step.
 *
 * One fixed step dt for the whole rig (DESIGN.md 3). Each step: the loads'
 * schedules give their power (piecewise constant over the step); each PSU turns
 * its DC sum into AC input at the circuit's voltage of the previous step (a lag of
 * one step, 50 us, far below any dynamic modelled); each circuit solves its
 * constant-power current and voltage; the breaker advances its thermal state.
 * Trips, voltage collapse and brown-outs latch and are recorded as events.
 *
 * Each circuit carries its protective device three times, one per edge of the
 * tolerance band (breaker.h). The circuit's `tolerance` edge decides whether the
 * circuit is live; the other two are stepped on the same current while it is,
 * and on the prospective current (the rig's demand as if nothing had tripped)
 * after, so the report can give all three trip times.
 *
 * Power-on: a PSU draws nothing before its power-on time; then its inrush (the
 * bulk capacitor charging through the NTC) adds I_pk e^(-t/tau) to the circuit's
 * current. The magnetic element responds to the instantaneous current and its
 * pick-up is stated in RMS, so the inrush enters as I_pk / sqrt(2) (facts.md 2:
 * inrush magnitudes U). Its loads draw from the end of its output delay (power
 * good) on.
 *
 * Solvers (scenario key `solver`): `fixed` takes every step as above; `stride`
 * (the default) advances quiet stretches - no load event, no protection near
 * its limit - in closed form, many steps at once, and takes single steps
 * everywhere else (sim/engine.c, "strides"). The fixed path is the reference;
 * tests/test_solver.c holds the two together on every example scenario.
 *
 * Memory is fixed at engine_new(): the loop allocates nothing, does no string
 * work, and streams decimated samples (min / mean / max of every signal over the
 * sample interval) to a callback, so memory is flat in simulated duration.
 */
#ifndef PSUSIM_ENGINE_H
#define PSUSIM_ENGINE_H

#include <signal.h>
#include <stddef.h>

#include "breaker.h"
#include "scenario.h"
#include "ups.h"

enum engine_event_kind {
    EV_TRIP_THERMAL = 0,  /* a breaker's thermal element tripped (circuit) */
    EV_TRIP_MAGNETIC,     /* a breaker's magnetic element tripped (circuit) */
    EV_COLLAPSE,          /* the circuit's voltage collapsed (circuit) */
    EV_BROWNOUT,          /* a PSU's input fell below min_input: shutdown (psu) */
    EV_INPUT_LOST,        /* a PSU lost its input when its breaker tripped or its UPS
                             shut down (psu) */
    EV_OPP,               /* a PSU's over-power protection tripped (psu) */
    EV_EXCURSION,         /* a PSU's load left the ATX 3.x excursion envelope (psu):
                             recorded, no shutdown */
    EV_DROPOUT,           /* a PSU's bulk capacitor fell below drop-out (psu) */
    EV_PANEL_TRIP         /* the main of the circuit's panel tripped on one of its
                             lines and cut the circuit off (circuit) */
};

struct engine_event {
    double t_s;                   /* simulated time, s */
    enum engine_event_kind kind;
    size_t index;                 /* circuit or PSU index, by kind */
    double value;                 /* current (A) for trips/collapse, voltage for brown-out */
};

struct engine_circuit_result {
    double mean_current_a;        /* mean RMS current over the run, A */
    double peak_current_a;        /* highest step current (inrush included), A */
    double peak_load_current_a;   /* highest step current of the loads alone (no
                                     inrush): what their swings and spikes reach, A */
    double peak_halfcycle_a;      /* highest half-cycle RMS current: what the
                                     magnetic element of the simulated edge saw, A */
    double min_voltage_v;         /* lowest voltage at the outlet while energised, V */
    double max_heat;              /* highest thermal state of the simulated edge (1 = trip) */
    double final_heat;            /* its thermal state at the end of the run */
    double energy_j;              /* real energy drawn from the source (the meter),
                                     J: the outlet's real power plus wire_loss_j */
    double wire_loss_j;           /* I^2 R lost in the branch wiring, J */
    enum breaker_trip trip;       /* the simulated edge: BREAKER_CLOSED or the cause */
    double trip_time_s;           /* when it tripped (valid if trip) */
    /* every edge of the tolerance band; the edges not simulated see the current
     * the rig would have drawn had the circuit stayed on */
    enum breaker_trip edge_trip[BREAKER_EDGE_COUNT];
    double edge_trip_time_s[BREAKER_EDGE_COUNT]; /* NAN when it held */
    double edge_max_heat[BREAKER_EDGE_COUNT];
    int collapsed;                /* the voltage collapsed at least once */
    double collapse_time_s;       /* first collapse */
    /* Live time and the judged span. The circuit is live (energised) until its
     * breaker trips; its links are judged while it is live and every PSU on it
     * is live (the rig as the user built it). */
    double live_s;                /* energised, s (mean_current_a is over this) */
    double judged_s;              /* judged, s */
    double judged_end_s;          /* when judging stopped (NAN: it did not) */
    enum engine_event_kind judged_end_cause; /* why (valid if judged_end_s) */
    size_t judged_end_index;      /* the circuit or PSU of that event */
    double judged_energy_j;       /* real energy drawn while judged, J */
    /* The highest RMS current over the scenario's sustained window within the
     * judged span (the whole span, if shorter): of the circuit, and of the rig
     * (its PSUs' share) alone, A */
    double sustained_a, sustained_rig_a;
    double sustained_window_s;    /* the window those figures are over, s */
    /* A job longer than the run (issue 13, 4): each edge's heat carried on from
     * its state at the end of the run with the sustained current held for the
     * rest of the job. Only for a circuit judged to the end of the run. */
    int extrapolated;             /* 1: the figures below are set */
    double extrap_a;              /* the current held for the rest of the job, A */
    double extrap_max_heat[BREAKER_EDGE_COUNT]; /* highest heat over the rest */
    double extrap_trip_s[BREAKER_EDGE_COUNT];   /* when it would trip, s from the
                                                   job's start; NAN: it holds */
    double panel_off_s;           /* a panel's main cut it off at (NAN: never) */
    size_t panel_off;             /* that panel (its own, or one above it) */
    int panel_off_line;           /* on that panel's line (0..2) */
};

/* A [panel]'s lines and neutral (engine.c, "panels"). Each line carries the sum
 * of the RMS currents of the circuits on it (a line-to-line circuit loads both
 * of its lines): exact for unity power factor loads on split-phase, an upper
 * bound otherwise (|a + b| <= |a| + |b|). */
struct engine_panel_line {
    double peak_a;                /* highest step current while live, A */
    double mean_a;                /* mean over its live time, A */
    double final_a;               /* at the run's last step, A */
    double sustained_a;           /* highest RMS over the sustained window within
                                     the judged span (the span's RMS if shorter), A */
    double sustained_window_s;    /* the window of sustained_a (the span if shorter), s */
    double judged_s;              /* judged: live, and every circuit on it intact, s */
    double judged_end_s;          /* when judging stopped (NAN: it did not) */
    double live_s;                /* energised, s */
    double max_heat;              /* highest heat of the simulated edge */
    enum breaker_trip trip;       /* the simulated edge */
    double trip_time_s;           /* NAN when it held */
    enum breaker_trip edge_trip[BREAKER_EDGE_COUNT];
    double edge_trip_time_s[BREAKER_EDGE_COUNT]; /* NAN when it held */
    double edge_max_heat[BREAKER_EDGE_COUNT];
};

struct engine_panel_result {
    int n_lines;                  /* 1, 2 (split-phase) or 3 (three-phase) */
    struct engine_panel_line line[3];
    int has_neutral;              /* split-phase and three-phase */
    double neutral_peak_a, neutral_mean_a, neutral_sustained_a; /* as the lines', A */
    double neutral_final_a;       /* at the run's last step, A */
    double sustained_window_s;    /* the window of the neutral's sustained figure, s */
};

/* The excursion windows of the ATX 3.x envelope (facts.md 2): 100 us, 1 ms,
 * 10 ms, 100 ms and 1 s (sustained). */
enum { ENGINE_N_WINDOWS = 5 };
extern const double engine_windows_s[ENGINE_N_WINDOWS];

struct engine_psu_result {
    double mean_dc_w;             /* mean DC output, W */
    double peak_dc_w;             /* highest step DC output, W */
    double mean_ac_w;             /* mean AC input (real power), W */
    double energy_dc_j, energy_ac_j; /* energies over the run, J */
    int shutdown;                 /* latched off */
    double shutdown_time_s;
    enum engine_event_kind shutdown_cause; /* EV_BROWNOUT, EV_INPUT_LOST, EV_OPP
                                              or EV_DROPOUT */
    double excursion_time_s;      /* first time a window left the ATX envelope (NAN) */
    double window_max_w[ENGINE_N_WINDOWS];   /* highest DC average per window, W */
    double window_limit_w[ENGINE_N_WINDOWS]; /* the ATX envelope's limit, W (NAN: none) */
    double opp_max_w;             /* highest average over the OPP window, W */
    double min_bulk_v;            /* lowest bulk capacitor voltage, V */
    double live_s;                /* from power-on until it shut down (or the end), s;
                                     the means are from the run's start until then */
    double holdup_s;              /* hold-up at the highest 1 s load, s */
    double input_1s_a;            /* its AC input current at the highest 1 s load, at
                                     the circuit's source voltage, A */
    double input_full_a;          /* the same at its full rating, A */
    /* A job longer than the run: the window maxima extrapolated to the job's
     * length from 1 s block maxima (Gumbel; engine.c, end_block), W; NAN when the
     * job is no longer than the run or fewer than 30 blocks ran */
    double job_window_max_w[ENGINE_N_WINDOWS];
    double job_opp_max_w;
    size_t evt_blocks;            /* blocks behind them */
};

/* The windows of the per-load figures: 100 us, 1 ms, 5 ms, 10 ms, 20 ms, 100 ms,
 * 1 s (the RTX 5090 spike bins of facts.md 3 and the ATX windows). */
enum { ENGINE_N_LOAD_WINDOWS = 7 };
extern const double engine_load_windows_s[ENGINE_N_LOAD_WINDOWS];

struct engine_load_result {
    double mean_w;                /* mean draw over the run, W */
    double peak_w;                /* highest step draw, W */
    double connector_max_w;       /* highest 1 s average of one unit, W (0: no check) */
    double window_max_w[ENGINE_N_LOAD_WINDOWS]; /* highest average per window, W;
                                                   NAN when not measured
                                                   (engine_set_load_windows) */
};

/* A UPS (ups.h): its output load over the run and its overload integral. The
 * load is the larger of output VA / rating_va and output W / rating, each step
 * (its PSUs' AC input, after their PFC low pass). */
struct engine_ups_result {
    double mean_out_w;            /* mean output (its PSUs' AC input), W, while it ran */
    double mean_in_w;             /* mean draw from its circuit while on mains, W */
    double mean_load;             /* mean load, fraction of its rating */
    double peak_load;             /* highest step load, fraction */
    double peak_out_w, peak_out_va; /* highest step output, W and VA */
    double max_overload;          /* highest overload integral (1 = it shuts down) */
    double over_s;                /* time above 100 % of its rating, s */
    double first_over_s;          /* first time above 100 % (NAN: never) */
    /* the run's operating envelope against the overload curve: for each of the
     * curve's bands, the longest stretch at or above its load, s */
    double band_run_s[UPS_MAX_POINTS];
    int shutdown;                 /* its output went off (overload or battery empty) */
    double shutdown_time_s;       /* when (NAN) */
    int shutdown_overload;        /* 1: overload, 0: battery empty */
    int on_battery;               /* it went to battery (its mains lost) */
    double battery_time_s;        /* when (NAN) */
    double battery_used;          /* share of the battery's runtime used, 0..1 */
    size_t transfer_dropped;      /* PSUs that dropped out on the transfer */
};

struct engine_result {
    size_t n_steps;               /* steps simulated */
    size_t n_strides;             /* strides taken (solver = stride), each many steps */
    size_t n_single;              /* steps taken on their own */
    size_t n_pieces;              /* pieces the strides' chain took (single chain
                                     steps included) */
    size_t n_clocks;              /* groups run on their own clocks (1: one clock;
                                     engine_set_groups) */
    double simulated_s;           /* n_steps * dt */
    double energy_j;              /* real energy from all circuits, J */
    const struct engine_circuit_result *circuits; /* per scenario circuit (engine owns) */
    const struct engine_psu_result *psus;
    const struct engine_load_result *loads;
    const struct engine_ups_result *ups; /* per scenario UPS */
    const struct engine_panel_result *panels; /* per scenario panel */
    const struct engine_event *events; /* in time order */
    size_t n_events;
    int stopped_on_fail;          /* engine_set_stop_on_fail(): the run ended at its
                                     first event (simulated_s says when) */
};

/* One decimated sample: for signal k, MIN[k], MEAN[k], MAX[k] over
 * [T_START_S, T_END_S). */
struct engine_sample {
    double t_start_s, t_end_s;
    const double *min, *mean, *max;
    size_t n;                     /* number of signals */
};

/* Receives each sample; returns 0 to go on, non-zero to stop the run (an I/O
 * error in the writer). */
typedef int (*engine_sample_fn)(void *user, const struct engine_sample *s);

typedef struct engine engine;

/* Builds the models for S (which must outlive the engine). Returns NULL with a
 * message in ERR. The caller owns the result: free with engine_free(). */
engine *engine_new(const struct scenario *s, char *err, size_t errlen);

/* Frees E; engine_free(NULL) does nothing. */
void engine_free(engine *e);

/* The signals of the samples: count, and for each its name
 * ("circuit.wall.current_a") and unit ("A"). */
size_t engine_signal_count(const engine *e);
const char *engine_signal_name(const engine *e, size_t k);
const char *engine_signal_unit(const engine *e, size_t k);

/* Runs the whole duration from the initial state. SINK (may be NULL) receives the
 * samples. Fills *RES (pointing into E: valid until the next run or free).
 * Returns 0, or -1 when SINK asked to stop (RES then covers the steps done). */
int engine_run(engine *e, engine_sample_fn sink, void *user, struct engine_result *res);

/* A flag (a signal handler's, may be NULL) that engine_run() reads after each
 * step or stride: once it is non-zero the run stops as if SINK had asked, so a
 * run without samples (SINK NULL, which lets strides run past the sample
 * boundaries) can still be interrupted. */
void engine_set_stop_flag(engine *e, const volatile sig_atomic_t *flag);

/* With ON, engine_run() ends the run after the step or stride in which the first
 * event happened (issue 14, 5: an early answer). Every event is a FAIL of some
 * link - a trip of a simulated breaker edge, a voltage collapse, a PSU shutdown,
 * an excursion beyond the ATX envelope - so a caller that wants only to know
 * whether a run passes can stop there; the figures then cover the part run. */
void engine_set_stop_on_fail(engine *e, int on);

/* With ON (the default) a stride run advances each group of circuits that
 * share no part and no panel line on its own clock (engine.c, groups_new):
 * the same figures within the solver's tolerances, each rig's strides cut by
 * its own events alone. Off: one clock for all (tests compare the two). */
void engine_set_groups(engine *e, int on);

/* With ON (the default) a panel line that carries one circuit through the same
 * device as its main takes that circuit's edges' state after a stride's piece
 * instead of advancing its own (engine.c, twin_follows): the same figures, bit
 * for bit. Off: each advances its own (tests compare the two). */
void engine_set_twins(engine *e, int on);

/* With ON (the default) engine_run() measures each load's window maxima
 * (engine_load_result.window_max_w); off, only the AC loads' (the strip verdict
 * reads their 1 s window) and a DC load's are NAN: its window probe is not fed,
 * a fifth of the instructions of a spiking GPU rig (issue 14, 3: lean runs; only
 * summary.json shows them, no verdict reads them). */
void engine_set_load_windows(engine *e, int on);

/* Where each signal sits in a sample: load I's power; PSU J's DC output and AC
 * input; circuit C's current, voltage and breaker heat. */
enum engine_circuit_signal { ENGINE_SIG_CURRENT = 0, ENGINE_SIG_VOLTAGE, ENGINE_SIG_HEAT };
size_t engine_sig_load(const engine *e, size_t i);
size_t engine_sig_psu_dc(const engine *e, size_t j);
size_t engine_sig_psu_ac(const engine *e, size_t j);
size_t engine_sig_circuit(const engine *e, size_t c, enum engine_circuit_signal what);
/* UPS U's load (fraction of its rating): after the circuits. */
size_t engine_sig_ups(const engine *e, size_t u);
/* Panel P's line K current (K < its lines) or, K = 3, its neutral current (A):
 * after the UPSs, only as many as the panel has. */
size_t engine_sig_panel(const engine *e, size_t p, int k);

/* "thermal trip", "magnetic trip", "voltage collapse", "brown-out", "input lost". */
const char *engine_event_name(enum engine_event_kind kind);

/* 1 if events of KIND name a circuit (their index is a circuit's), 0 for a PSU. */
int engine_event_is_circuit(enum engine_event_kind kind);

#endif

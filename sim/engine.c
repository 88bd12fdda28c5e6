/* engine — see include/engine.h. */
#include "engine.h"

#include <gsl/gsl_fit.h>
#include <gsl/gsl_histogram.h>

#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bulk.h"
#include "circuit.h"
#include "cpu.h"
#include "gpu.h"
#include "probe.h"
#include "psu.h"
#include "trace.h"
#include "text.h"

enum { SIG_NAME_LEN = 96 };

const double engine_windows_s[ENGINE_N_WINDOWS] = { 100e-6, 1e-3, 10e-3, 100e-3, 1.0 };
const double engine_load_windows_s[ENGINE_N_LOAD_WINDOWS] = { 100e-6, 1e-3, 5e-3, 10e-3,
                                                              20e-3, 100e-3, 1.0 };

/* ATX 3.0 design guide table 3-3 (facts.md 2, P; ATX 3.1 keeps it, S): the PSU must
 * not shut down while its DC load stays inside this envelope, as a share of its
 * rating over each window of engine_windows_s. Units above 450 W with a 12VHPWR /
 * 12V-2x6 connector take the first row, smaller ones the second. The last
 * window is "sustained": 100 %. */
static const double atx_envelope[2][ENGINE_N_WINDOWS] = {
    { 2.00, 1.80, 1.60, 1.20, 1.00 },
    { 1.50, 1.45, 1.35, 1.10, 1.00 },
};
static const double ATX_SMALL_UNIT_W = 450;

/* Extreme-value estimate (end_block): 1 s blocks (the longest ATX window), and a
 * fit only from 30 blocks on (psusim's choice, U: fewer give no usable sd). */
static const double EVT_BLOCK_S = 1.0;
static const size_t EVT_MIN_BLOCKS = 30;
enum { EVT_BINS = 2000 };            /* histogram of block maxima: 0.2 % of the */
static const double EVT_RANGE = 4.0; /* rating a bin, up to 4 x the rating */

/* ================================================================== state == */

struct eload {
    int kind;               /* SCN_LOAD, SCN_GPU, SCN_CPU or SCN_TRACE */
    gpu *g;                 /* [gpu] model (owned) */
    cpu *c;                 /* [cpu] model (owned) */
    trace *tr;              /* [trace] log (owned) */
    size_t cursor;          /* trace position */
    int tr_loop;            /* trace repeats */
    double tr_scale;        /* trace power x count */
    gpu *sp;                /* a trace's spikes (transients): the unit train of
                               its cards (gpu_spike_train; owned), or NULL */
    double sp_k;            /* the trace's power is times sp_k x the train's */
    probe *win;             /* engine_load_windows_s averages (owned) */
    probe *win_fed;         /* win while this run measures it (engine_set_load_windows),
                               else NULL */
    double p_on_w;          /* power while on (power x count), W */
    double unit_w;          /* power of one unit while on, W */
    probe *conn;            /* 1 s average of one unit, for its connector (owned) */
    double win_pend_w, conn_pend_w;  /* samples not yet pushed into win and conn: */
    size_t win_pend, conn_pend;      /* equal values wait (defer_push) */
    double inv_pf;          /* 1 / power factor (AC loads) */
    double dc_per_w;        /* DC drawn from its PSU per W of the load's own power:
                               1 / VRM efficiency for a [cpu], else 1 */
    int on_circuit;         /* AC load on a circuit, else DC on a PSU */
    size_t target;          /* circuit or PSU index */
    double start_s, stop_s, period_s, on_s; /* schedule */
    int on;                 /* state over the current stretch */
    double next_change_s;   /* when the schedule next changes */
    double st_p_w, st_unit_w; /* a stride's mean power and one unit's, W */
    double st_first_w, st_slope_w; /* a trace's first step and its change a step
                                      over a stride on one straight piece, W */
    int grp, gid;           /* the group it runs in, and its own (groups_new) */
};

struct epsu {
    psu *model;             /* efficiency and PF (owned) */
    bulk *bk;               /* PFC + bulk capacitor (owned) */
    probe *pr;              /* DC window averages: engine_windows_s + the OPP window */
    size_t opp_k;           /* pr's window for OPP: ENGINE_N_WINDOWS, or the engine
                               window of the same length (an ATX 3 unit's 1 s: one
                               window less to feed) */
    double rating_w;        /* rated DC output, W */
    double opp_w;           /* OPP set point, W */
    double env_w[ENGINE_N_WINDOWS - 1]; /* envelope limits of the short windows, W;
                                           INFINITY for a unit without the envelope */
    double v_prev_bulk;     /* bulk voltage seen last, V */
    double e_min_j;         /* lowest bulk energy so far, J (no sqrt in the step) */
    double e_dropout_j;     /* bulk energy at the drop-out voltage, C V2^2 / 2, J */
    double bulk_c_f;        /* bulk capacitance, F */
    int pending;            /* a protection tripped this step: 1 + enum engine_event_kind */
    size_t circuit;         /* index of its circuit */
    long ups;               /* index of its UPS, -1: none */
    double min_input_v;     /* brown-out threshold, V */
    double on_at_s;         /* power-on time, s */
    double out_at_s;        /* DC output on (power good), s */
    double inrush0_a;       /* inrush as RMS-equivalent current at power-on, A */
    double inrush_decay;    /* exp(-dt / inrush tau), computed once */
    double inrush_ln;       /* its logarithm, -dt / tau (0: no decay) */
    double ex_a, ex_b, ex_x; /* an exact piece (EXACT_AMP): the AC side's departure
                               from its demand, (a + b j) x^j, W (bulk_dev_decay) */
    double ex_lx;           /* ln x, where the neutral's queue asks (nq_push_piece) */
    double ex_w;            /* ... over its power factor: 1 / PF, 0 when dead */
    struct bulk_modes ex_m; /* a large exact piece's departure as two modes */
    double ex_wn[3];        /* a ramp's exact piece (e->exact 3): 1 / PF at its nodes */
    double ex_dsum;         /* ... the sum of its AC departure (energy balance), W */
    double ex_jx[2];        /* ... the steps of its AC power's extrema inside, */
    int ex_nx;              /* this many (ramp_extrema) */
    double inrush_end_a;    /* the inrush stops below this, A (1e-4 of its start) */
    int started;            /* powered on */
    int output;             /* DC output up: its loads draw */
    int alive;              /* 0 once shut down (latched) */
    double inrush_a;        /* inrush current now (RMS-equivalent), A */
    double dc_w;            /* DC output of this step, W */
    double dc_demand_w;     /* DC its loads ask for, even when it is off, W */
    /* chain_len's look ahead, reused by piece_nodes() and chain_stride() when the
     * DC and the length are the same */
    double st_dc_w;         /* the DC it assumed, W */
    double st_pd_w;         /* its input power (PSU curve at the stride's start), W */
    double st_ac_w[3];      /* AC at the stride's first, middle and last step, W */
    size_t st_n;            /* for a stride of this many steps */
    size_t live_n;          /* steps of the current stride it delivered */
    double pf_dc_w, pf;     /* pf_of(): the last DC asked and its power factor */
    /* A stride's pieces all push the same DC into pr: pushed once, when the
     * stride ends or before a single chain step (pr_flush) */
    size_t pr_pend;         /* steps of DC pr_pend_w not yet in pr */
    double pr_pend_w;
    double pr_hi_w;         /* the highest DC pushed into pr so far, W (0: the zeros
                               it starts with): no window's average can exceed it */
    size_t guard_j;         /* the guards' look-ahead over the stride: steps from
                               pr's state (before the pending ones) within every
                               protection window's limit */
    int guard_valid;        /* guard_j is for this stride's DC and horizon */
    double held_dc_w;       /* stride: the DC its loads draw, held, W (a ramp's:
                               at the current piece's first step) */
    double dc_slope;        /* stride: the DC's change a step (a trace), W; 0: held */
    double st_pd_s;         /* piece_nodes(): the input power's change a step, */
    double st_pd_c;         /* and its bend (W a step squared): the parabola
                               through the piece's first, middle and last step */
    double st_dcs;          /* the DC slope it assumed */
    double st_pf[3];        /* a ramp's power factor at the three nodes */
    size_t st_pf_n;         /* the piece length ramp_bent() left them for (0: none) */
    double pr_rd0;          /* a ramp's steps not yet in pr: from this DC, W, */
    size_t pr_rpend;        /* this many, at dc_slope a step */
    double ramp_span;       /* the DC span (W) of a ramp piece chain_len() last
                               found a parabola (0: none yet), */
    double ramp_lo, ramp_hi; /* ... near the last piece's DC range, W */
    /* block maxima of each window (and the OPP window) for the job's
     * extreme-value estimate, as histograms over 0 .. EVT_RANGE x the rating
     * (owned; NULL when the job is no longer than the run) */
    gsl_histogram *evt[ENGINE_N_WINDOWS + 1];
    int grp, gid;           /* the group it runs in, and its own: its circuit's */
};

/* Two breaker bodies' decay over a piece of m steps, exp(m ln_f) and exp(m
 * ln_s), kept while the pieces have the same length (a transient's pieces, a
 * spike's: issue 14, 3): the circuits and panel mains of a rig are mostly of
 * one family, so one exp() pair per tolerance edge serves them all
 * (engine.decay, decay_of()). */
struct decay {
    double lf, ls;          /* the logarithms it is for (NAN: none yet) */
    size_t m;               /* the piece's length */
    double d[2];            /* exp(m lf), exp(m ls) */
};



/* Consecutive pieces of nearly the same current that a breaker's edges take in
 * one advance (span_join; issue 14): a circuit's or a panel line's. */
struct span {
    size_t n;               /* their steps */
    double i2;              /* their I^2 summed, A^2 x steps */
    double first, hi;       /* the first one's mean I^2 and the highest, A^2 */
    int safe;               /* no edge can trip in any span the first piece may
                               grow to */
};

struct ecircuit {
    breaker *brk[BREAKER_EDGE_COUNT]; /* one device per tolerance edge (owned) */
    int sel;                /* the edge that decides whether the circuit is live */
    double v0;              /* source voltage, V */
    double r_ohm;           /* loop resistance, ohm */
    int alive;              /* 0 once the selected device tripped */
    size_t live_n;          /* steps of the current stride it was live */
    size_t mag_steps;       /* the half-cycle window (mag), steps */
    double v_prev;          /* outlet voltage of the previous step, V */
    double p_w, s_va;       /* real and apparent power summed this step */
    double s_demand_va;     /* apparent power the rig asks for (dead circuit), VA */
    double inrush_a;        /* inrush current summed this step, A */
    double s_max_va;        /* strides only below 70 % of this: V0^2 / (4 R), the
                               most a constant-power load can draw, VA */
    double mag_min_a;       /* lowest magnetic pick-up of the three edges, A */
    probe *mag;             /* I^2 over the last half mains cycle, for the magnetic
                               element of all three edges (owned; NULL: the step) */
    double dln[BREAKER_EDGE_COUNT][2]; /* each edge's bodies' decay a step, ln
                                          (breaker_decay_ln; decay_of) */
    double load_va;         /* apparent power of its AC loads, last step, VA */
    double ac_p_w;          /* stride: real power of its AC loads, held, W */
    double demand_va;       /* stride: apparent power its AC loads ask for, drawn or
                               not (a dead circuit's prospective current), VA */
    double node_va[3];      /* stride: apparent power at its first, middle, last step */
    double psu_w;           /* stride: the PSUs' real power summed, W x steps */
    double sd_va;           /* stride: its PSUs' demand over their power factor, VA */
    double dev_sum;         /* stride: their AC side's departure from it summed,
                               VA x steps (exact: the capacitors' energy balance) */
    /* The continuous and cord-and-plug rules (verdict.c) judge the highest
     * sustained RMS current: I^2 of the whole circuit and of its PSUs' share (the
     * rig) is summed in bins of bin_steps steps, and a probe over the bins' means
     * gives the highest average over the scenario's sustained window. Only while
     * the circuit is intact: live, and every PSU on it live. */
    probe *sus;             /* bins' mean I^2, whole circuit (owned) */
    probe *sus_rig;         /* bins' mean I^2, the rig's share (owned) */
    probe *sus_x;           /* bins' mean I^2 over min(window, duration / 2): the
                               current a short run's rest of the job is carried on
                               at, free of the start-up (owned) */
    size_t bin_steps;       /* steps per bin: 1/600 of the window */
    size_t bin_n;           /* steps in the open bin */
    double bin_i2, bin_rig_i2; /* the open bin's sums, A^2 x steps */
    int intact;             /* its links are being judged */
    size_t judged_n;        /* steps judged */
    double judged_i2, judged_rig_i2; /* sums over the judged steps, A^2 x steps */
    double judged_energy_j; /* real energy drawn while judged, J */
    /* its panel (panels_step) */
    double i_edges_a;       /* the current its edges saw this step, A */
    /* a stride's piece, for its panel (panels_piece): the current its panel
     * line carries (its edges' view: prospective when dead) and the live one,
     * summed (A x steps), mean square (A^2) and at the piece's nodes (A) */
    double pc_pro_sum, pc_pro_i2, pc_live_sum, pc_live_i2, pc_pro_n[3], pc_live_n[3];
    double st_i_hi;         /* chain_len(): its current's bound over the piece, A */
    int idle;               /* nothing on it (no PSU, UPS or AC load): it carries
                               nothing, ever */
    struct span def;        /* edges_defer(): pieces its edges have not taken */
    long panel;             /* panel index, -1: none */
    int pl[2], pn;          /* its lines on the panel (pn of them) */
    int grp, gid;           /* the group it runs in, and its own (groups_new) */
};

/* A UPS between a circuit and its PSUs (ups.h; fixed solver only: scenario.c). */
struct eups {
    size_t circuit;         /* the circuit it draws from */
    double k_in;            /* input W per output W on mains: 1 / efficiency */
    double inv_pf_in;       /* 1 / its input PF; 0: the load's passes through */
    double self_w;          /* standing loss + charger on mains, W */
    double self_va;         /* the same as apparent power, VA */
    double v_out;           /* output voltage, V */
    double va, w;           /* ratings, VA and W */
    const struct ups_curve *ol; /* overload bands */
    double reset_decay;     /* exp(-dt / overload_reset), computed once */
    double outage_s;        /* mains fail at, s */
    double transfer_s;      /* transfer time, s */
    const struct ups_battery *batt; /* its battery (ups.h) */
    /* state */
    int alive, on_batt;
    double acc;             /* overload integral, 1 = shut down */
    double out_w, out_va;   /* this step's output, summed over its PSUs */
    size_t run_n[UPS_MAX_POINTS]; /* steps in a row at or above each band */
    double sum_out_w, sum_in_w, sum_load;
    size_t n_run, n_mains;  /* steps it ran, and on mains */
    double ln_reset;        /* ln(reset_decay), for a stride's decay */
    double hi_w, hi_va;     /* chain_len(): its output's bound over a piece */
    double st_out_w, st_out_va; /* chain_stride(): its output summed over a piece */
    double nd_w[3], nd_va[3];   /* ... and at the piece's nodes (piece_nodes) */
};

/* A running RMS over the sustained window in bins (as a circuit's sustain_add):
 * a panel line's or neutral's judged current. */
struct ebin {
    probe *sus;             /* bins' mean I^2 (owned) */
    size_t bin_steps, bin_n;
    double bin_i2;          /* the open bin's sum, A^2 x steps */
    size_t judged_n;        /* steps judged */
    double judged_i2;       /* their sum, A^2 x steps */
};

/* A panel line's live current, for the neutral, while the groups run on their
 * own clocks (engine_run, nq_drain): pieces of N steps, each the parabola
 * through its first, middle and last step (one value for a single step), and
 * whether the line was judged in it. A ring, grown when full (at most a
 * window's steps: ASYNC_WINDOW_S). */
struct nseg {
    double v[3];
    uint32_t n;             /* (a step's piece at most: NQ_CAP) */
    int32_t intact;
};
struct nqueue {
    struct nseg *q;
    size_t cap, head, len;  /* ring: cap entries, the oldest at head, len of them */
    size_t off;             /* steps of the oldest one already drained */
};

/* A panel line's half-cycle window fed lazily (mq_push): only a single step
 * reads it (panels_step: the magnetic element's view) and nothing reads its
 * maxima, so a stride's pieces wait here, those older than the window
 * dropped, and go into the probe before the single step (mq_flush). */
enum { MQ_RUNS = 16 };
struct mqueue {
    double v[MQ_RUNS];      /* runs of mean square current, A^2 */
    size_t n[MQ_RUNS];      /* their steps */
    int head, len;
    size_t steps;           /* their steps together */
};

/* A [panel]: its main on each line, the lines' and neutral's currents (fixed
 * solver only: scenario.c). */
struct epanel {
    int n_lines, has_n;
    size_t sig0;            /* its first signal */
    breaker *brk[3][BREAKER_EDGE_COUNT]; /* the main, per line and edge (owned) */
    probe *mag[3];          /* I^2 over the last half mains cycle, per line, for the
                               magnetic element of its three edges (owned; NULL:
                               the step), as a circuit's mag */
    struct mqueue mq[3];    /* ... its pieces not yet pushed (mq_push) */
    long twin[3];           /* the one circuit a line carries through the same
                               device as its main (groups_new), -1: none */
    size_t mag_steps;       /* its window, steps */
    double dln[3][BREAKER_EDGE_COUNT][2]; /* its edges' bodies' decay a step, ln */
    struct span def[3];     /* per line: pieces its edges have not taken (span_join) */
    int sel;                /* the edge that decides */
    int alive[3];           /* line energised */
    int intact[3];          /* line judged: live, every circuit on it intact */
    struct ebin bin[4];     /* lines, neutral */
    size_t live_n[3];
    double sum_a[4];        /* sums of the live currents, A x steps */
    size_t n_step;          /* steps run (the neutral's mean) */
    long parent;            /* a sub-panel's parent, -1: none */
    int map[3];             /* its line k is its parent's line map[k] */
    /* this step's figures, for its parent (panels_step: children first) */
    double c_pro[3], c_live[3], c_ln[3];
    int c_whole[3];
    int lg[3], lgid[3];     /* each line's group as grp, and its own (groups_new) */
    struct nqueue nq[3];    /* groups on their own clocks: each line's current
                               for the neutral, until every line has it (nq_drain) */
};

struct signal {
    char name[SIG_NAME_LEN];
    const char *unit;
};

struct engine {
    const struct scenario *scn;
    double dt_s;
    size_t n_steps;
    size_t steps_per_sample;
    size_t n_loads, n_psus, n_circuits, n_ups, n_panels;
    struct epanel *panels;
    size_t *panel_order;    /* the panels, sub-panels before their parents */
    struct engine_panel_result *panres;
    struct eload *loads;
    struct epsu *psus;
    struct ecircuit *circuits;
    struct eups *ups;
    /* signals: loads, then per PSU dc and ac, then per circuit current, voltage, heat */
    size_t n_sig;
    struct signal *sig;
    double *val;                        /* this step's values */
    double *s_min, *s_max, *s_sum;      /* current sample bucket */
    double *s_mean;                     /* scratch for the sink */
    double *r_max, *r_sum;              /* whole run */
    double *v_min, *v_max, *v_sum;      /* a stride's figures per signal */
    int stride;                         /* 1: scenario solver = stride */
    double stride_tau_s;                /* shortest PFC time constant, s */
    size_t n_pieces;                    /* chain pieces in this run */
    size_t comp_k, comp_l;              /* chain_len(): a composite piece of comp_k
                                           sub-pieces of comp_l steps (comp_k 1:
                                           an ordinary piece) */
    int exact;                          /* chain_len(): a small transient's piece,
                                           its sums by expansion (EXACT_AMP): 1; a
                                           large one's (LONG_EXPAND): 2; a large
                                           one on ramps (ramp_sums): 3 */
    size_t exact_steps;                 /* the longest such piece, steps */
    double ex_span;                     /* an exact ramp piece's last step, N - 1 */
    /* geo_sum()'s last values: a piece asks the same sums in chain_len() and
     * chain_stride() (the same arithmetic, kept) */
    struct geo_memo {
        double l, v;
        size_t m;
    } geo[4];
    unsigned geo_next;
    size_t long_steps;                  /* the longest large one (LONG_BODY), steps */
    size_t defer_steps;                 /* edges_defer(): the longest span (DEFER_BODY
                                           of the fastest body), steps; 0: none */
    size_t line_defer_steps;            /* ... and a panel line's (its main's) */
    int defer_on;                       /* ... in this run (no sample sink) */
    int lean_peaks;                     /* no sample sink: peaks only where they
                                           may set a run's highest */
    int trim;                           /* chain_len(): an edge may trip inside
                                           the piece (settled: piece_trim) */
    int inrush;                         /* chain_len(): a PSU's inrush runs in
                                           the piece (inrush_piece) */
    struct decay decay[BREAKER_EDGE_COUNT]; /* decay_of(): the last bodies' decays,
                                           per tolerance edge */
    /* results */
    struct engine_circuit_result *cres;
    struct engine_psu_result *pres;
    struct engine_load_result *lres;
    struct engine_ups_result *ures;
    struct engine_event *events;
    size_t n_events, cap_events;
    double *psu_end_n;                  /* steps until each PSU shut down (engine_run) */
    const volatile sig_atomic_t *stop_flag; /* engine_set_stop_flag(), or NULL */
    int stop_on_fail;                   /* engine_set_stop_on_fail() */
    int load_windows;                   /* engine_set_load_windows() */
    size_t block_steps;                 /* extreme-value blocks, steps (0: none) */
    /* groups (groups_new): circuits, PSUs and loads that share no part and no
     * panel line run on their own clocks in a stride run (engine_run) */
    int n_groups;
    int *sig_g;                         /* each signal's group; -2: a neutral's */
    int groups_on;                      /* engine_set_groups() */
    int async;                          /* this run: groups on their own clocks */
    int cur;                            /* the group being advanced, -1: all */
    size_t *gpos;                       /* each group's step (advance_groups) */
    /* the parts of the group being advanced: PSUs, circuits and loads from
     * index *0 to *1 (a group's parts follow each other: groups_new) */
    size_t g_p0, g_p1, g_c0, g_c1, g_l0, g_l1;
    size_t (*grange)[6];                /* each group's six */
    int *g_idle;                        /* each group: its circuits carry nothing
                                           (a stride of it is one piece) */
    size_t async_steps;                 /* ASYNC_WINDOW_S in steps */
    int sink_on;                        /* this run has a sample sink */
    int twins_off;                      /* engine_set_twins(e, 0) */
};

/* Whether a part of group G is in the group being advanced, CUR (a function
 * reads e->cur once). A run on one clock puts every part in group 0 and
 * advances that (engine_run: grp is then 0, gid the group): one compare. */
static inline int in_g(int cur, int g)
{
    return g == cur;
}

/* Signal index helpers: the layout is fixed in engine_new. */
size_t engine_sig_load(const engine *e, size_t i) { (void)e; return i; }
size_t engine_sig_psu_dc(const engine *e, size_t j) { return e->n_loads + 2 * j; }
size_t engine_sig_psu_ac(const engine *e, size_t j) { return e->n_loads + 2 * j + 1; }
size_t engine_sig_circuit(const engine *e, size_t c, enum engine_circuit_signal what)
{
    return e->n_loads + 2 * e->n_psus + 3 * c + (size_t)what;
}
size_t engine_sig_ups(const engine *e, size_t u)
{
    return e->n_loads + 2 * e->n_psus + 3 * e->n_circuits + u;
}
size_t engine_sig_panel(const engine *e, size_t p, int k)
{
    const struct epanel *ep = &e->panels[p];
    return ep->sig0 + (size_t)(k < 3 ? k : ep->n_lines);
}


/* ================================================================= panels == */

/* A [panel] above the branch circuits (issue 18, 5 and 6). After the circuits
 * of a step are solved, each line of the panel carries the sum of the RMS
 * currents of the circuits on it; a line-to-line circuit (a US 240 V circuit on
 * L1-L2, a 400 V one on a three-phase panel) carries its current through both
 * of its lines. Adding magnitudes assumes the currents in phase: exact for
 * unity power factor loads on split-phase (a 240 V load's current is in phase
 * with L1's line-to-neutral voltage on L1 and with L2's on L2), and an upper
 * bound otherwise (|a + b| <= |a| + |b|): a PFC PSU's PF is about 0.99
 * (facts.md 2), a line-to-line load on three-phase is 30 degrees off its
 * lines' line-to-neutral voltages, both make the sum conservative.
 *
 * Neutral: only line-to-neutral circuits return through it. Split-phase: the
 * two legs are 180 degrees apart, I_N = |I_L1 - I_L2|. Three-phase with the
 * phasors 120 degrees apart and unity power factor (or one PF for all),
 * I_N = |I_a + I_b e^-j120 + I_c e^j120|
 *     = sqrt(I_a^2 + I_b^2 + I_c^2 - I_a I_b - I_b I_c - I_c I_a)
 * (the sum of three phasors; e.g. IEEE Std 141 (Red Book), ch. 3, on
 * unbalanced neutral currents, S). Sinusoidal currents: a non-PFC load's third
 * harmonic adds up in the neutral of a three-phase system and is not modelled.
 *
 * The main on each line is a protective device as a circuit's (breaker.h:
 * three edges, the panel's `tolerance` one decides) stepped on the line's
 * current; the edges not deciding, and the deciding one after it opened, see
 * the prospective current (each circuit's own prospective current while its
 * own breaker holds). When the deciding edge opens, every circuit on that line
 * goes dead (an event per circuit: EV_PANEL_TRIP) and its links stop being
 * judged (end_judged). A line is judged while it is live and every circuit on
 * it intact. Fixed solver only (scenario.c). */

static void add_event(engine *e, double t, enum engine_event_kind kind, size_t index,
                      double value);
static void end_judged(engine *e, size_t c, double t, enum engine_event_kind kind,
                       size_t index);

static const char *const line_names[3] = { "L1", "L2", "L3" };

static void nq_push(struct nqueue *q, size_t n, const double v[3], int intact);

static int panels_new(engine *e, const struct scenario *s, char *err, size_t errlen)
{
    size_t sig = engine_sig_ups(e, e->n_ups);
    double bin = floor(s->sc.sustained_window_s / 600.0 / e->dt_s + 0.5);
    size_t bin_steps = bin < 1 ? 1 : (size_t)bin;
    double bin_s = (double)bin_steps * e->dt_s;
    for (size_t c = 0; c < e->n_circuits; c++) {
        struct ecircuit *ec = &e->circuits[c];
        ec->panel = s->circuits[c].panel_index;
        scenario_phase_lines(s->circuits[c].phase, ec->pl, &ec->pn);
    }
    if (!(e->panel_order = calloc(e->n_panels + 1, sizeof *e->panel_order))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    /* children first: by depth in the tree, deepest first (scenario.c refuses
     * loops) */
    size_t at = 0;
    for (size_t d = e->n_panels; d-- > 0;)
        for (size_t p = 0; p < e->n_panels; p++) {
            size_t depth = 0;
            for (long q = s->panels[p].parent_index; q >= 0; q = s->panels[q].parent_index)
                depth++;
            if (depth == d) e->panel_order[at++] = p;
        }
    for (size_t p = 0; p < e->n_panels; p++) {
        const struct scn_panel *sp = &s->panels[p];
        struct epanel *pn = &e->panels[p];
        pn->parent = sp->parent_index;
        for (int k = 0; k < 3; k++) pn->map[k] = sp->line_map[k];
        pn->n_lines = scenario_system_lines(sp->system);
        pn->has_n = sp->system != SCN_SYS_SINGLE;
        pn->sel = sp->tolerance;
        pn->sig0 = sig;
        /* the magnetic element's half cycle: its first circuit's frequency */
        double hz = 0;
        for (size_t c = 0; c < e->n_circuits && hz == 0; c++)
            if (s->circuits[c].panel_index == (long)p) hz = s->circuits[c].frequency_hz;
        /* half a mains cycle in whole steps (as breaker.h's own window), one
         * window for a line's three edges */
        double half = hz > 0 ? 0.5 / hz / e->dt_s : 1.0;
        for (int k = 0; k < pn->n_lines; k++) {
            for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++) {
                struct breaker_params bp = { .family = sp->curve,
                                             .edge = (enum breaker_edge)edge,
                                             .rated_a = sp->main_a,
                                             .ambient_c = s->sc.ambient_c,
                                             .dt_s = e->dt_s,
                                             .frequency_hz = 0 };  /* window: mag */
                if (!(pn->brk[k][edge] = breaker_new(&bp, err, errlen))) return -1;
                breaker_decay_ln(pn->brk[k][edge], &pn->dln[k][edge][0], &pn->dln[k][edge][1]);
            }
            if (half >= 1.5) {
                double win_s = floor(half + 0.5) * e->dt_s;
                pn->mag_steps = (size_t)floor(half + 0.5);
                if (!(pn->mag[k] = probe_new(&win_s, 1, e->dt_s, err, errlen))) return -1;
            }
        }
        for (int k = 0; k < pn->n_lines + pn->has_n; k++) {
            struct ebin *b = &pn->bin[k < pn->n_lines ? k : 3];
            b->bin_steps = bin_steps;
            if (!(b->sus = probe_new(&s->sc.sustained_window_s, 1, bin_s, err, errlen)))
                return -1;
            snprintf(e->sig[sig].name, SIG_NAME_LEN, "panel.%s.%s_a", sp->name,
                     k < pn->n_lines ? line_names[k] : "neutral");
            e->sig[sig++].unit = "A";
        }
    }
    return 0;
}

static void panels_free(engine *e)
{
    for (size_t p = 0; e->panels && p < e->n_panels; p++) {
        for (int k = 0; k < 3; k++) {
            for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++)
                breaker_free(e->panels[p].brk[k][edge]);
            probe_free(e->panels[p].mag[k]);
            free(e->panels[p].nq[k].q);
        }
        for (int k = 0; k < 4; k++) probe_free(e->panels[p].bin[k].sus);
    }
    free(e->panels);
    free(e->panel_order);
    free(e->panres);
}

static void panels_reset(engine *e)
{
    for (size_t p = 0; p < e->n_panels; p++) {
        struct epanel *pn = &e->panels[p];
        struct engine_panel_result *pr = &e->panres[p];
        *pr = (struct engine_panel_result){ 0 };
        pr->n_lines = pn->n_lines;
        pr->has_neutral = pn->has_n;
        for (int k = 0; k < 4; k++) {
            struct ebin *b = &pn->bin[k];
            if (b->sus) probe_reset(b->sus);
            b->bin_n = b->judged_n = 0;
            b->bin_i2 = b->judged_i2 = 0;
            pn->sum_a[k] = 0;
        }
        pn->n_step = 0;
        for (int k = 0; k < pn->n_lines; k++) {
            if (pn->mag[k]) probe_reset(pn->mag[k]);
            pn->mq[k] = (struct mqueue){ .head = 0 };
            pn->alive[k] = pn->intact[k] = 1;
            pn->live_n[k] = 0;
            pn->def[k] = (struct span){ 0 };
            pr->line[k].trip_time_s = pr->line[k].judged_end_s = NAN;
            for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++) {
                breaker_reset(pn->brk[k][edge]);
                pr->line[k].edge_trip_time_s[edge] = NAN;
            }
        }
    }
}

/* One judged step of current I_A into B's open bin; whole bins into its probe. */
static void ebin_add(struct ebin *b, double i_a)
{
    double i2 = i_a * i_a;
    b->judged_n++;
    b->judged_i2 += i2;
    b->bin_i2 += i2;
    if (++b->bin_n == b->bin_steps) {
        probe_push(b->sus, b->bin_i2 / (double)b->bin_steps);
        b->bin_n = 0;
        b->bin_i2 = 0;
    }
}

/* B's highest RMS over its window, or over the judged steps when fewer than a
 * window were judged (as a circuit's sustained figure); *WIN_S the window. */
static double ebin_sustained(struct ebin *b, double dt, double *win_s)
{
    if (b->bin_n > 0) {
        probe_push(b->sus, b->bin_i2 / (double)b->bin_n);
        b->bin_n = 0;
    }
    double judged = (double)b->judged_n * dt;
    *win_s = probe_window_s(b->sus, 0);
    if (b->judged_n == 0) return 0;
    if (judged + 0.5 * dt >= *win_s) return sqrt(probe_max(b->sus, 0));
    *win_s = judged;
    return sqrt(b->judged_i2 / (double)b->judged_n);
}

/* 1 if line LINE of panel Q is fed through line K of panel P (Q itself, or a
 * sub-panel below it). */
static int fed_through(const engine *e, long q, int line, size_t p, int k)
{
    for (; q >= 0; line = e->panels[q].map[line], q = e->panels[q].parent)
        if ((size_t)q == p && line == k) return 1;
    return 0;
}

/* Line K of panel P opened at T1: every circuit fed through it goes dead, and
 * the lines of sub-panels below it. */
static void panel_cut(engine *e, size_t p, int k, double t1, double i_a)
{
    for (size_t c = 0; c < e->n_circuits; c++) {
        struct ecircuit *ec = &e->circuits[c];
        if (ec->panel < 0 || !ec->alive
            || !(fed_through(e, ec->panel, ec->pl[0], p, k)
                 || (ec->pn == 2 && fed_through(e, ec->panel, ec->pl[1], p, k))))
            continue;
        ec->alive = 0;
        ec->v_prev = 0;
        e->cres[c].panel_off_s = t1;
        e->cres[c].panel_off = p;
        e->cres[c].panel_off_line = k;
        add_event(e, t1, EV_PANEL_TRIP, c, i_a);
        end_judged(e, c, t1, EV_PANEL_TRIP, c);
    }
    for (size_t q = 0; q < e->n_panels; q++)
        for (int j = 0; q != p && j < e->panels[q].n_lines; j++)
            if (e->panels[q].parent >= 0
                && fed_through(e, e->panels[q].parent, e->panels[q].map[j], p, k))
                e->panels[q].alive[j] = 0;
}

/* M steps of mean square current X for window MAG (W steps) into its queue Q:
 * a run of the last one's value joins it; the oldest runs leave once the rest
 * cover the window (the probe's window holds the last W steps only); a full
 * queue pushes its oldest into the probe. */
static void mq_push(probe *mag, struct mqueue *q, size_t w, double x, size_t m)
{
    int last = (q->head + q->len - 1) % MQ_RUNS;
    if (q->len > 0 && q->v[last] == x) {
        q->n[last] += m;
    } else {
        if (q->len == MQ_RUNS) {
            probe_push_n(mag, q->v[q->head], q->n[q->head]);
            q->steps -= q->n[q->head];
            q->head = (q->head + 1) % MQ_RUNS;
            q->len--;
        }
        int at = (q->head + q->len) % MQ_RUNS;
        q->v[at] = x;
        q->n[at] = m;
        q->len++;
    }
    q->steps += m;
    while (q->len > 1 && q->steps - q->n[q->head] >= w) {
        q->steps -= q->n[q->head];
        q->head = (q->head + 1) % MQ_RUNS;
        q->len--;
    }
}

/* The queue Q's runs into the window MAG, oldest first. */
static void mq_flush(probe *mag, struct mqueue *q)
{
    for (; q->len > 0; q->len--) {
        probe_push_n(mag, q->v[q->head], q->n[q->head]);
        q->head = (q->head + 1) % MQ_RUNS;
    }
    q->steps = 0;
}

/* The panels' part of the step at T, after the circuits (step_chain): each
 * sub-panel before its parent, whose lines carry its lines' currents. */
static void panels_step(engine *e, double t)
{
    const int cur = e->cur;
    const double dt = e->dt_s;
    for (size_t o = 0; o < e->n_panels; o++) {
        size_t p = e->panel_order[o];
        struct epanel *pn = &e->panels[p];
        struct engine_panel_result *pr = &e->panres[p];
        double i_pro[3] = { 0, 0, 0 }, i_live[3] = { 0, 0, 0 }, i_ln[3] = { 0, 0, 0 };
        int whole[3] = { 1, 1, 1 };
        for (size_t c = e->g_c0; c < e->g_c1; c++) {
            const struct ecircuit *ec = &e->circuits[c];
            if (ec->panel != (long)p) continue;
            /* its own device open: nothing flows, prospective or not */
            double ip = e->cres[c].trip == BREAKER_CLOSED ? ec->i_edges_a : 0.0;
            double il = e->val[engine_sig_circuit(e, c, ENGINE_SIG_CURRENT)];
            for (int k = 0; k < ec->pn; k++) {
                i_pro[ec->pl[k]] += ip;
                i_live[ec->pl[k]] += il;
                if (!ec->intact) whole[ec->pl[k]] = 0;
            }
            if (ec->pn == 1) i_ln[ec->pl[0]] += il;
        }
        for (size_t q = 0; q < e->n_panels; q++) {
            const struct epanel *sub = &e->panels[q];
            if (sub->parent != (long)p) continue;
            for (int k = 0; k < sub->n_lines; k++) {
                i_pro[sub->map[k]] += sub->c_pro[k];
                i_live[sub->map[k]] += sub->c_live[k];
                i_ln[sub->map[k]] += sub->c_ln[k];
                if (!sub->c_whole[k]) whole[sub->map[k]] = 0;
            }
        }
        for (int k = 0; k < pn->n_lines; k++) {
            if (!in_g(cur, pn->lg[k])) continue;
            struct engine_panel_line *pl = &pr->line[k];
            /* the magnetic element's view: the mean square current over the
             * last half mains cycle (as a circuit's, step_chain) */
            double i2w = i_pro[k] * i_pro[k];
            if (pn->mag[k] && i2w == i2w) {
                mq_flush(pn->mag[k], &pn->mq[k]);
                probe_push(pn->mag[k], i2w);
                i2w = probe_avg(pn->mag[k], 0);
            }
            for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++) {
                if (pl->edge_trip[edge] != BREAKER_CLOSED) continue;
                enum breaker_trip trip = breaker_step_window(pn->brk[k][edge], i_pro[k], i2w);
                double h = breaker_heat(pn->brk[k][edge]);
                if (h > pl->edge_max_heat[edge]) pl->edge_max_heat[edge] = h;
                if (trip == BREAKER_CLOSED) continue;
                pl->edge_trip[edge] = trip;
                pl->edge_trip_time_s[edge] = t + dt;
                if (edge != pn->sel) continue;
                pn->alive[k] = 0;
                pl->trip = trip;
                pl->trip_time_s = t + dt;
                panel_cut(e, p, k, t + dt, i_pro[k]);
            }
            pl->max_heat = pl->edge_max_heat[pn->sel];
            if (pn->intact[k] && (!pn->alive[k] || !whole[k])) {
                pn->intact[k] = 0;
                pl->judged_end_s = t;
            }
            if (pn->alive[k]) {
                pn->live_n[k]++;
                pn->sum_a[k] += i_live[k];
                if (i_live[k] > pl->peak_a) pl->peak_a = i_live[k];
            }
            if (pn->intact[k]) ebin_add(&pn->bin[k], i_live[k]);
            pl->final_a = i_live[k];
            e->val[pn->sig0 + (size_t)k] = i_live[k];
            /* for its parent: nothing through its own open main */
            pn->c_pro[k] = pl->trip == BREAKER_CLOSED ? i_pro[k] : 0.0;
            pn->c_live[k] = pn->alive[k] ? i_live[k] : 0.0;
            pn->c_ln[k] = pn->alive[k] ? i_ln[k] : 0.0;
            pn->c_whole[k] = pn->intact[k];
        }
        if (!pn->has_n) continue;
        if (e->async) {
            /* the groups on their own clocks (nq_drain) */
            for (int k = 0; k < pn->n_lines; k++)
                if (in_g(cur, pn->lg[k])) {
                    double v[3] = { i_ln[k], i_ln[k], i_ln[k] };
                    nq_push(&pn->nq[k], 1, v, pn->intact[k]);
                }
            continue;
        }
        double in = circuit_neutral_a(pn->n_lines, i_ln);
        pn->n_step++;
        pn->sum_a[3] += in;
        if (in > pr->neutral_peak_a) pr->neutral_peak_a = in;
        int all = 1;
        for (int k = 0; k < pn->n_lines; k++) all &= pn->intact[k];
        if (all) ebin_add(&pn->bin[3], in);
        pr->neutral_final_a = in;
        e->val[pn->sig0 + (size_t)pn->n_lines] = in;
    }
}

/* The panels' figures at the end of a run of RUN_S. */
static void panels_result(engine *e, double run_s)
{
    const double dt = e->dt_s;
    for (size_t p = 0; p < e->n_panels; p++) {
        struct epanel *pn = &e->panels[p];
        struct engine_panel_result *pr = &e->panres[p];
        for (int k = 0; k < pn->n_lines; k++) {
            struct engine_panel_line *pl = &pr->line[k];
            pl->live_s = (double)pn->live_n[k] * dt;
            pl->mean_a = pn->live_n[k] ? pn->sum_a[k] / (double)pn->live_n[k] : 0.0;
            pl->judged_s = (double)pn->bin[k].judged_n * dt;
            pl->sustained_a = ebin_sustained(&pn->bin[k], dt, &pl->sustained_window_s);
            if (pl->judged_end_s >= run_s) pl->judged_end_s = NAN;
        }
        if (pn->has_n) {
            pr->neutral_mean_a = pn->n_step ? pn->sum_a[3] / (double)pn->n_step : 0.0;
            pr->neutral_sustained_a = ebin_sustained(&pn->bin[3], dt, &pr->sustained_window_s);
        }
    }
}

/* ================================================================ lifecycle == */

/* Builds the model behind load I of a [gpu], [cpu] or [trace] section. Each
 * component gets its own random stream, seeded from the scenario seed and its
 * index (DESIGN.md 3). Returns 0, or -1 with ERR. */
static int load_model_new(engine *e, const struct scenario *s, size_t i, char *err,
                          size_t errlen)
{
    const struct scn_load *sl = &s->loads[i];
    struct eload *l = &e->loads[i];
    if (sl->kind == SCN_GPU) {
        struct gpu_params gp = { sl->rated_w, sl->limit_w, sl->idle_w, sl->count,
                                 (enum gpu_workload)sl->workload, sl->fraction, sl->period_s,
                                 sl->duty, sl->comm_w, (enum gpu_sync)sl->sync, sl->rate_hz,
                                 sl->burst_s, sl->start_s, sl->ramp_s,
                                 (enum gpu_transients)sl->transients,
                                 s->sc.seed ^ (0x9E3779B97F4A7C15ull * (uint64_t)(i + 1)),
                                 e->dt_s, sl->spike_scale == 1 ? sl->limit_w : 0.0 };
        l->g = gpu_new(&gp, err, errlen);
        if (l->g && s->sc.solver == SCN_SOLVER_STRIDE)
            gpu_set_lazy(l->g, 1);       /* cards between their events as aggregates */
        return l->g ? 0 : -1;
    }
    if (sl->kind == SCN_CPU) {
        struct cpu_params cp = { sl->pl1_w, sl->pl2_w, sl->tau_s, sl->pl4_w, sl->idle_w,
                                 (enum cpu_profile)sl->cpu_load, sl->period_s, sl->duty,
                                 sl->start_s, e->dt_s };
        l->c = cpu_new(&cp, err, errlen);
        return l->c ? 0 : -1;
    }
    if (sl->kind == SCN_TRACE) {
        struct trace_opts to = { sl->gpu_index, sl->max_gap, sl->interval_s };
        l->tr = trace_load_opts(sl->file, (enum trace_format)sl->trace_format, &to, err,
                                errlen);
        l->tr_loop = sl->loop;
        l->tr_scale = sl->count;
        if (!l->tr) return -1;
        if (sl->transients != GPU_TR_OFF && !l->on_circuit) {
            /* Spikes on an averaged log (issue 17): each GPU of the log (count
             * copies of it) draws the GPU model's spike train of a 1 W card
             * (gpu_spike_train): 1 between spikes, u x peak_k in them, so the
             * spikes scale with the log's level at each moment, as the model's
             * scale with the card's power (Igor's Lab RTX 5090 bins, gpu.c).
             * The log's value is the ~1 s average (NVML power.draw, facts.md 3),
             * so the train is divided by its expected mean (gpu_spike_mean: the
             * renewal rates): the base sits below the logged value by the
             * spikes' mean energy and the average over any stretch long against
             * the spikes' spacing (0.1 s) is the logged one, within the Poisson
             * noise of the spike count (0.1 % of the level over 1 s, 0.01 % over
             * 60 s). The GPUs spike independently (typical) or together (worst,
             * the shared arrivals); at most 256 trains (gpu.h's card limit). */
            struct gpu_params gp;
            int cards = (int)trace_gpus(l->tr) * sl->count;
            gpu_spike_train(&gp, cards, (enum gpu_transients)sl->transients,
                            s->sc.seed ^ (0x9E3779B97F4A7C15ull * (uint64_t)(i + 1)), e->dt_s);
            l->sp = gpu_new(&gp, err, errlen);
            if (!l->sp) return -1;
            if (s->sc.solver == SCN_SOLVER_STRIDE) gpu_set_lazy(l->sp, 1);
            l->sp_k = 1.0 / ((double)gp.count * gpu_spike_mean(gp.transients));
        }
        return 0;
    }
    return 0;
}

/* A PFC transient whose largest part left is at most EXACT_AMP of its demand
 * (what a millisecond spike leaves: 0.3 % on the seed rig) is taken in one
 * piece of up to EXACT_TAU time constants instead of pieces of 0.5-1.5 (issue
 * 14, 3): the circuit's sums come from an expansion around the demand rather
 * than from a parabola through three nodes. With S(j) = S_d + d(j) the
 * apparent power of step j and I(S) = 2 S / (V0 + D), D = sqrt(V0^2 - 4 R S),
 * the constant-power circuit (circuit.h),
 *
 *   sum I   = n I(S_d) + I' sum d + I'' / 2 sum d^2
 *   sum I^2 = n I(S_d)^2 + 2 I I' sum d + (I'^2 + I I'') sum d^2
 *   sum V   = n V0 - R sum I                  (V = V0 - R I)
 *
 * with I' = 1 / D and I'' = 2 R / D^3 at S_d. sum d is exact (each capacitor's
 * energy balance, bulk_advance); sum d^2 is the parabola's through the nodes,
 * which over a piece of several time constants can be half off: that term is
 * at most EXACT_AMP^2 of the sums, so the error stays below 0.5 x (0.005)^2 =
 * 1.3e-5 of them, and the next term (d^3) is smaller by EXACT_AMP again. The
 * cap of EXACT_TAU time constants keeps the breaker bodies' held mean square
 * current (breaker_advance) over a piece short against their time constants
 * (the transient is down to 9 e^-8 = 0.3 % of itself by then: settled). On
 * the seed rig at 10 us: 57.8 k -> see tests/bench/README.md for the count. */
#define EXACT_AMP        0.05
#define EXACT_TAU        8.0
/* ... and at most EXACT_BODY of the fastest breaker body's time constant: a
 * BS 1362 fuse's fast edge has 0.175 s (breaker.c), against which pieces of
 * 200 ms (and still of 17.5 ms, a tenth) of held mean square current put its
 * peak heat 1.3e-4 low (test_solver, random rig 16: tolerance 1e-4); 3 % (5 ms)
 * holds there, and leaves IEC 60898-1's 2.5 s fast edge 75 ms pieces */
#define EXACT_BODY       0.03
/* Large PFC transients (a training phase's step, what a long spike leaves) are
 * exact pieces too (issue 14; e->exact 2): the PFC and capacitor are linear in
 * their deviations, so a held demand's departure is two modes whatever its
 * size (bulk_dev_modes) and sum d^2 is their geometric sums (dev2_modes); the
 * circuit's expansion to second order in d is kept only while its remainder,
 * evaluated at the trajectory's largest departure, is below LONG_EXPAND of the
 * current and of its square (long_exact_ok); the nodes take each PSU's extremum
 * (the overshoot), and the half-cycle window, where a window may reach its
 * highest mean, sub-pieces of STRIDE_SHORT time constants through exact nodes
 * (as the pieces they replace had it). The breaker bodies hold the piece's
 * mean square current: off by about (T / tau_b)^2 / 4 of its spread, so a
 * piece is at most LONG_BODY of the fastest body's time constant (1.5e-5 of
 * the heat for a spread of 0.6 of it) */
#define LONG_EXPAND      2e-5
#define LONG_BODY        0.01
/* A circuit's breaker edges take consecutive pieces of nearly the same current
 * in one advance (edges_defer; issue 14): over a span of T the bodies' held
 * mean square is off by about (T / tau_b)^2 / 4 of the spread, and a peak
 * inside the span by T / tau_b of it: spans of at most DEFER_BODY of the
 * fastest body's time constant (a UL 489 breaker's 107 ms, three spikes' worth;
 * 2.5 ms for IEC 60898-1's fast edge), pieces within DEFER_BAND of the span's
 * first (a spike's 2 % of the AC current joins, a training phase's step ends
 * it): 5e-5 of the heat at most. Only runs without samples (the heat signal of
 * the pieces in a span is its start's); no trip can fall inside a span
 * (breaker_heat_bound), and everything that reads the edges advances them
 * first (edges_flush) */
#define DEFER_BODY       1e-3
#define DEFER_BAND       0.05
/* A span that cannot hold several pieces (those of a PFC transient are 1-13
 * ms) costs more in its bookkeeping than it saves: spans only where the
 * fastest body allows at least DEFER_MIN_S (IEC 60898-1's fast edge allows
 * 2.5 ms: lab-de-cee16-two-rigs took 3.7 % more instructions with its mains'
 * spans, 1.2 % fewer without its circuits'; UL 489's 107 ms: lab-us -6 %) */
#define DEFER_MIN_S      20e-3
/* ... and a PFC transient's piece that moves a fast body by this share of its
 * way (N k_f) takes the nodes' parabola of square current instead of its mean
 * (breaker_advance_quad's own floor): a BS 1362 fuse's 175 ms, an IEC
 * 60898-1 fast edge's 2.5 s; not UL 489's 107 s over a 13 ms piece (1.2e-4) */
#define QUAD_NK          1e-3

/* ================================================================= groups == */

/* Groups (issue 14: a lab's rigs). Two circuits whose rigs share no PSU, UPS
 * or load and no panel line (a line's main carries the sum of its circuits'
 * currents; a line-to-line circuit joins its two lines) are independent: each
 * circuit has its own source and wiring (circuit.h), so nothing one rig does
 * changes what the other sees. Only a panel's neutral, the phasor sum of its
 * lines' currents, needs them at the same steps, and nothing feeds back from
 * it. A stride run advances each group on its own clock (engine_run), its
 * strides and pieces cut by its own loads' events alone: a lab's pieces were
 * the union of both rigs' events, each costing both rigs' chains. The neutral
 * takes the lines' currents from queues (nq_push, nq_drain). Groups are
 * numbered in the order of their first circuit; lines without a circuit go
 * with the panel's first circuit's group (group 0 without one). */
static int group_root(int *par, int x)
{
    while (par[x] != x) x = par[x] = par[par[x]];
    return x;
}

static int on_line(const struct ecircuit *ec, size_t p, int k)
{
    return ec->panel == (long)p && (ec->pl[0] == k || (ec->pn == 2 && ec->pl[1] == k));
}

/* Groups on their own clocks meet at least every ASYNC_WINDOW_S (a stop is
 * asked there), and each line's queue holds NQ_CAP pieces (32 bytes each):
 * a group's stride never takes more steps than its queues have room for, so
 * a queue never overflows (a step is at most one piece) */
#define ASYNC_WINDOW_S   1.0
#define NQ_CAP           16384

static int groups_new(engine *e)
{
    size_t nc = e->n_circuits;
    int *par = malloc((nc + 1) * sizeof *par), *id = malloc((nc + 1) * sizeof *id);
    e->sig_g = malloc((e->n_sig + 1) * sizeof *e->sig_g);
    if (!par || !id || !e->sig_g) {
        free(par);
        free(id);
        return -1;
    }
    for (size_t c = 0; c < nc; c++) par[c] = (int)c, id[c] = -1;
    for (size_t p = 0; p < e->n_panels; p++)
        for (int k = 0; k < e->panels[p].n_lines; k++) {
            long first = -1;
            for (size_t c = 0; c < nc; c++) {
                if (!on_line(&e->circuits[c], p, k)) continue;
                if (first < 0) first = (long)c;
                else par[group_root(par, (int)c)] = group_root(par, (int)first);
            }
        }
    e->n_groups = 0;
    for (size_t c = 0; c < nc; c++) {
        int r = group_root(par, (int)c);
        if (id[r] < 0) id[r] = e->n_groups++;
        e->circuits[c].gid = id[r];
    }
    free(par);
    free(id);
    for (size_t j = 0; j < e->n_psus; j++)
        e->psus[j].gid = e->circuits[e->psus[j].circuit].gid;
    for (size_t i = 0; i < e->n_loads; i++) {
        struct eload *l = &e->loads[i];
        l->gid = l->on_circuit ? e->circuits[l->target].gid : e->psus[l->target].gid;
        e->sig_g[engine_sig_load(e, i)] = l->gid;
    }
    for (size_t j = 0; j < e->n_psus; j++)
        e->sig_g[engine_sig_psu_dc(e, j)] = e->sig_g[engine_sig_psu_ac(e, j)] = e->psus[j].gid;
    for (size_t c = 0; c < nc; c++)
        for (int w = 0; w < 3; w++)
            e->sig_g[engine_sig_circuit(e, c, (enum engine_circuit_signal)w)] = e->circuits[c].gid;
    for (size_t u = 0; u < e->n_ups; u++)
        e->sig_g[engine_sig_ups(e, u)] = e->circuits[e->ups[u].circuit].gid;
    for (size_t p = 0; p < e->n_panels; p++) {
        struct epanel *pn = &e->panels[p];
        int g0 = 0;
        for (size_t c = nc; c-- > 0;)
            if (e->circuits[c].panel == (long)p) g0 = e->circuits[c].gid;
        for (int k = 0; k < pn->n_lines; k++) {
            pn->lgid[k] = g0;
            for (size_t c = nc; c-- > 0;)
                if (on_line(&e->circuits[c], p, k)) pn->lgid[k] = e->circuits[c].gid;
            e->sig_g[pn->sig0 + (size_t)k] = pn->lgid[k];
        }
        if (pn->has_n) e->sig_g[pn->sig0 + (size_t)pn->n_lines] = -2;
    }
    /* a line of one line-to-neutral circuit whose own device is its main's */
    for (size_t p = 0; p < e->n_panels; p++) {
        struct epanel *pn = &e->panels[p];
        for (int k = 0; k < 3; k++) {
            long one = -1;
            int on = 0;
            for (size_t c = 0; k < pn->n_lines && c < nc; c++)
                if (on_line(&e->circuits[c], p, k)) {
                    on++;
                    one = e->circuits[c].pn == 1 ? (long)c : -1;
                }
            pn->twin[k] = on == 1 ? one : -1;
            for (int edge = 0; pn->twin[k] >= 0 && edge < BREAKER_EDGE_COUNT; edge++)
                if (!breaker_same_device(pn->brk[k][edge], e->circuits[one].brk[edge]))
                    pn->twin[k] = -1;
        }
    }
    /* each group's parts follow each other (a file that describes one rig
     * after another), or one group: the loops take a group as an index range */
    if (!(e->grange = calloc((size_t)e->n_groups + 1, sizeof *e->grange))) return -1;
    size_t n_of[3] = { e->n_psus, nc, e->n_loads };
    for (int t = 0; t < 3 && e->n_groups > 1; t++) {
        int last = -1;
        for (size_t x = 0; x < n_of[t]; x++) {
            int g = t == 0 ? e->psus[x].gid : t == 1 ? e->circuits[x].gid : e->loads[x].gid;
            if (g != last) {
                if (g < last || e->grange[g][2 * t + 1] > 0) {
                    e->n_groups = 1;       /* interleaved: one clock */
                    break;
                }
                e->grange[g][2 * t] = x;
                last = g;
            }
            e->grange[g][2 * t + 1] = x + 1;
        }
    }
    if (e->n_groups == 1) {
        for (size_t j = 0; j < e->n_psus; j++) e->psus[j].gid = 0;
        for (size_t c = 0; c < nc; c++) e->circuits[c].gid = 0;
        for (size_t i = 0; i < e->n_loads; i++) e->loads[i].gid = 0;
        for (size_t p = 0; p < e->n_panels; p++)
            for (int k = 0; k < 3; k++) e->panels[p].lgid[k] = 0;
        for (size_t k = 0; k < e->n_sig; k++)
            if (e->sig_g[k] > 0) e->sig_g[k] = 0;
    }
    e->groups_on = 1;
    e->cur = 0;
    double w = floor(ASYNC_WINDOW_S / e->dt_s);
    e->async_steps = w >= 2 ? (size_t)w : 2;
    if (!(e->gpos = calloc((size_t)e->n_groups + 1, sizeof *e->gpos))) return -1;
    if (!(e->g_idle = calloc((size_t)e->n_groups + 1, sizeof *e->g_idle))) return -1;
    for (int g = 0; g < e->n_groups; g++) e->g_idle[g] = 1;
    for (size_t c = 0; c < nc; c++)
        if (!e->circuits[c].idle) e->g_idle[e->circuits[c].gid] = 0;
    if (!e->stride || e->n_groups < 2) return 0;
    for (size_t p = 0; p < e->n_panels; p++) {
        struct epanel *pn = &e->panels[p];
        for (int k = 0; pn->has_n && k < pn->n_lines; k++) {
            if (!(pn->nq[k].q = malloc(NQ_CAP * sizeof *pn->nq[k].q))) return -1;
            pn->nq[k].cap = NQ_CAP;
        }
    }
    return 0;
}


engine *engine_new(const struct scenario *s, char *err, size_t errlen)
{
    engine *e = calloc(1, sizeof *e);
    if (!e) goto oom;
    e->scn = s;
    e->dt_s = s->sc.step_s;
    e->stride = s->sc.solver == SCN_SOLVER_STRIDE;
    e->load_windows = 1;                /* engine_set_load_windows() */
    /* round to whole steps; a duration that is not a multiple of the step gets
     * one more, partial-free step */
    double steps = ceil(s->sc.duration_s / s->sc.step_s - 1e-9);
    if (!(steps >= 1 && steps < 9e15)) {
        snprintf(err, errlen, "duration / step gives %g steps", steps);
        engine_free(e);
        return NULL;
    }
    e->n_steps = (size_t)steps;
    /* extreme-value blocks of 1 s, when the job is longer than the run */
    e->block_steps = s->sc.job_s > s->sc.duration_s
                         ? (size_t)fmax(1.0, floor(EVT_BLOCK_S / s->sc.step_s + 0.5)) : 0;
    double sps = floor(s->sc.sample_s / s->sc.step_s + 0.5);
    e->steps_per_sample = sps < 1 ? 1 : (size_t)sps;
    e->n_loads = s->n_loads;
    e->n_psus = s->n_psus;
    e->n_circuits = s->n_circuits;
    e->n_ups = s->n_ups;
    e->n_sig = e->n_loads + 2 * e->n_psus + 3 * e->n_circuits + e->n_ups;
    e->n_panels = s->n_panels;
    for (size_t p = 0; p < s->n_panels; p++)
        e->n_sig += (size_t)scenario_system_lines(s->panels[p].system)
                    + (s->panels[p].system != SCN_SYS_SINGLE);
    e->panels = calloc(e->n_panels + 1, sizeof *e->panels);
    e->panres = calloc(e->n_panels + 1, sizeof *e->panres);
    e->ups = calloc(e->n_ups + 1, sizeof *e->ups);
    e->ures = calloc(e->n_ups + 1, sizeof *e->ures);
    e->loads = calloc(e->n_loads + 1, sizeof *e->loads);
    e->psus = calloc(e->n_psus + 1, sizeof *e->psus);
    e->circuits = calloc(e->n_circuits + 1, sizeof *e->circuits);
    e->sig = calloc(e->n_sig + 1, sizeof *e->sig);
    e->val = calloc(e->n_sig + 1, sizeof *e->val);
    e->s_min = calloc(e->n_sig + 1, sizeof *e->s_min);
    e->s_max = calloc(e->n_sig + 1, sizeof *e->s_max);
    e->s_sum = calloc(e->n_sig + 1, sizeof *e->s_sum);
    e->s_mean = calloc(e->n_sig + 1, sizeof *e->s_mean);
    e->r_max = calloc(e->n_sig + 1, sizeof *e->r_max);
    e->r_sum = calloc(e->n_sig + 1, sizeof *e->r_sum);
    e->v_min = calloc(e->n_sig + 1, sizeof *e->v_min);
    e->v_max = calloc(e->n_sig + 1, sizeof *e->v_max);
    e->v_sum = calloc(e->n_sig + 1, sizeof *e->v_sum);
    e->cres = calloc(e->n_circuits + 1, sizeof *e->cres);
    e->pres = calloc(e->n_psus + 1, sizeof *e->pres);
    e->lres = calloc(e->n_loads + 1, sizeof *e->lres);
    e->psu_end_n = calloc(e->n_psus + 1, sizeof *e->psu_end_n);
    e->cap_events = 3 * e->n_circuits + 2 * e->n_psus + 1;
    e->events = calloc(e->cap_events, sizeof *e->events);
    if (!e->loads || !e->psus || !e->circuits || !e->sig || !e->val || !e->s_min
        || !e->s_max || !e->s_sum || !e->s_mean || !e->r_max || !e->r_sum || !e->v_min || !e->v_max || !e->v_sum || !e->cres
        || !e->pres || !e->lres || !e->events || !e->psu_end_n || !e->ups || !e->ures
        || !e->panels || !e->panres)
        goto oom;
    for (size_t u = 0; u < e->n_ups; u++) {
        const struct scn_ups *su = &s->upses[u];
        struct eups *eu = &e->ups[u];
        eu->circuit = su->circuit_index;
        eu->k_in = 1.0 / su->efficiency;
        eu->inv_pf_in = su->input_pf > 0 ? 1.0 / su->input_pf : 0.0;
        eu->self_w = su->loss_w + su->charge_w;
        eu->self_va = eu->self_w * (eu->inv_pf_in > 0 ? eu->inv_pf_in : 1.0);
        eu->v_out = su->output_v;
        eu->va = su->rating_va;
        eu->w = su->rating_w;
        eu->ol = &su->overload;
        eu->reset_decay = exp(-e->dt_s / su->overload_reset_s);
        eu->ln_reset = -e->dt_s / su->overload_reset_s;
        eu->outage_s = su->outage_s;
        eu->transfer_s = su->transfer_s;
        eu->batt = &su->battery;
        snprintf(e->sig[engine_sig_ups(e, u)].name, SIG_NAME_LEN, "ups.%s.load", su->name);
        e->sig[engine_sig_ups(e, u)].unit = "1";
    }

    for (size_t c = 0; c < e->n_circuits; c++) {
        const struct scn_circuit *sc = &s->circuits[c];
        for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++) {
            struct breaker_params bp = { .family = sc->curve,
                                         .edge = (enum breaker_edge)edge,
                                         .rated_a = sc->breaker_a,
                                         .magnetic_multiple = sc->magnetic_multiple,
                                         .ambient_c = s->sc.ambient_c,
                                         .dt_s = e->dt_s,
                                         .frequency_hz = 0 };  /* window: ec->mag */
            e->circuits[c].brk[edge] = breaker_new(&bp, err, errlen);
            if (!e->circuits[c].brk[edge]) {
                engine_free(e);
                return NULL;
            }
            breaker_decay_ln(e->circuits[c].brk[edge], &e->circuits[c].dln[edge][0],
                             &e->circuits[c].dln[edge][1]);
        }
        /* half a mains cycle in whole steps (as breaker.h's own window) */
        double half = sc->frequency_hz > 0 ? 0.5 / sc->frequency_hz / e->dt_s : 1.0;
        if (half >= 1.5) {
            double win_s = floor(half + 0.5) * e->dt_s;
            e->circuits[c].mag = probe_new(&win_s, 1, e->dt_s, err, errlen);
            e->circuits[c].mag_steps = (size_t)floor(half + 0.5);
            if (!e->circuits[c].mag) {
                engine_free(e);
                return NULL;
            }
        }
        e->circuits[c].idle = 1;
        for (size_t j = 0; j < s->n_psus; j++)
            if (s->psus[j].circuit_index == c) e->circuits[c].idle = 0;
        for (size_t i = 0; i < s->n_loads; i++)
            if (s->loads[i].on_circuit && s->loads[i].target_index == c)
                e->circuits[c].idle = 0;
        for (size_t u = 0; u < s->n_ups; u++)
            if (s->upses[u].circuit_index == c) e->circuits[c].idle = 0;
        /* bins of 1/600 of the sustained window: a window's average is then
         * placed to 1/600 of its length */
        double bin = floor(s->sc.sustained_window_s / 600.0 / e->dt_s + 0.5);
        e->circuits[c].bin_steps = bin < 1 ? 1 : (size_t)bin;
        double bin_s = (double)e->circuits[c].bin_steps * e->dt_s;
        e->circuits[c].sus = probe_new(&s->sc.sustained_window_s, 1, bin_s, err, errlen);
        e->circuits[c].sus_rig = e->circuits[c].sus
                                     ? probe_new(&s->sc.sustained_window_s, 1, bin_s, err,
                                                 errlen)
                                     : NULL;
        double half_run = fmin(s->sc.sustained_window_s, 0.5 * s->sc.duration_s);
        e->circuits[c].sus_x = e->circuits[c].sus_rig ? probe_new(&half_run, 1, bin_s, err, errlen)
                                                      : NULL;
        if (!e->circuits[c].sus_x) {
            engine_free(e);
            return NULL;
        }
        e->circuits[c].sel = sc->tolerance;
        e->circuits[c].v0 = sc->source_v;
        e->circuits[c].r_ohm = sc->wire_ohm;
        e->circuits[c].s_max_va = sc->wire_ohm > 0
                                      ? sc->source_v * sc->source_v / (4 * sc->wire_ohm)
                                      : INFINITY;
        e->circuits[c].mag_min_a = INFINITY;
        for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++) {
            double m = breaker_magnetic_pickup_a(e->circuits[c].brk[edge]);
            if (m < e->circuits[c].mag_min_a) e->circuits[c].mag_min_a = m;
        }
        snprintf(e->sig[engine_sig_circuit(e, c, ENGINE_SIG_CURRENT)].name, SIG_NAME_LEN,
                 "circuit.%s.current_a", sc->name);
        e->sig[engine_sig_circuit(e, c, ENGINE_SIG_CURRENT)].unit = "A";
        snprintf(e->sig[engine_sig_circuit(e, c, ENGINE_SIG_VOLTAGE)].name, SIG_NAME_LEN,
                 "circuit.%s.voltage_v", sc->name);
        e->sig[engine_sig_circuit(e, c, ENGINE_SIG_VOLTAGE)].unit = "V";
        snprintf(e->sig[engine_sig_circuit(e, c, ENGINE_SIG_HEAT)].name, SIG_NAME_LEN,
                 "circuit.%s.breaker_heat", sc->name);
        e->sig[engine_sig_circuit(e, c, ENGINE_SIG_HEAT)].unit = "1";
    }
    for (size_t j = 0; j < e->n_psus; j++) {
        const struct scn_psu *sp = &s->psus[j];
        e->psus[j].model = psu_new(&sp->params, err, errlen);
        if (!e->psus[j].model) {
            engine_free(e);
            return NULL;
        }
        struct bulk_params bp = { sp->bulk_c_f, sp->bulk_v, sp->dropout_v, sp->pfc_tau_s,
                                  e->dt_s };
        e->psus[j].bk = bulk_new(&bp, err, errlen);
        double win[ENGINE_N_WINDOWS + 1];
        for (int k = 0; k < ENGINE_N_WINDOWS; k++) win[k] = engine_windows_s[k];
        win[ENGINE_N_WINDOWS] = sp->opp_time_s;
        /* the OPP window is an engine window when its whole steps are (probe_new
         * rounds each window to whole steps) */
        e->psus[j].opp_k = ENGINE_N_WINDOWS;
        for (int k = 0; k < ENGINE_N_WINDOWS; k++)
            if (floor(win[k] / e->dt_s + 0.5) == floor(sp->opp_time_s / e->dt_s + 0.5))
                e->psus[j].opp_k = (size_t)k;
        size_t n_win = e->psus[j].opp_k == ENGINE_N_WINDOWS ? ENGINE_N_WINDOWS + 1
                                                            : ENGINE_N_WINDOWS;
        e->psus[j].pr = e->psus[j].bk ? probe_new(win, n_win, e->dt_s, err, errlen) : NULL;
        if (!e->psus[j].pr) {
            engine_free(e);
            return NULL;
        }
        e->psus[j].rating_w = sp->params.rating_w;
        e->psus[j].pf_dc_w = NAN;        /* pf_of(): nothing remembered */
        e->psus[j].bulk_c_f = sp->bulk_c_f;
        e->psus[j].e_dropout_j = 0.5 * sp->bulk_c_f * sp->dropout_v * sp->dropout_v;
        e->psus[j].opp_w = sp->opp_frac * sp->params.rating_w;
        int small = sp->params.rating_w <= ATX_SMALL_UNIT_W;
        for (int k = 0; k < ENGINE_N_WINDOWS - 1; k++)
            e->psus[j].env_w[k] = sp->atx == SCN_ATX_NONE
                                      ? INFINITY
                                      : atx_envelope[small][k] * sp->params.rating_w;
        for (int k = 0; k < ENGINE_N_WINDOWS; k++)
            e->pres[j].window_limit_w[k] = sp->atx == SCN_ATX_NONE
                                               ? NAN
                                               : atx_envelope[small][k] * sp->params.rating_w;
        if (j == 0 || sp->pfc_tau_s < e->stride_tau_s) e->stride_tau_s = sp->pfc_tau_s;
        if (s->sc.job_s > s->sc.duration_s)
            for (int k = 0; k <= ENGINE_N_WINDOWS; k++) {
                if (!(e->psus[j].evt[k] = gsl_histogram_alloc(EVT_BINS))) goto oom;
                gsl_histogram_set_ranges_uniform(e->psus[j].evt[k], 0.0,
                                                 EVT_RANGE * sp->params.rating_w);
            }
        e->psus[j].circuit = sp->circuit_index;
        e->psus[j].ups = sp->ups_index;
        e->psus[j].min_input_v = sp->min_input_v;
        e->psus[j].on_at_s = sp->power_on_s;
        e->psus[j].out_at_s = sp->power_on_s + sp->output_delay_s;
        /* the magnetic pick-up is an RMS figure; the inrush peak is instantaneous */
        e->psus[j].inrush0_a = sp->inrush_a / sqrt(2.0);
        e->psus[j].inrush_decay = sp->inrush_time_s > 0 ? exp(-e->dt_s / sp->inrush_time_s)
                                                        : 0.0;
        e->psus[j].inrush_end_a = fmax(1e-4 * e->psus[j].inrush0_a, 1e-6);
        e->psus[j].inrush_ln = sp->inrush_time_s > 0 ? -e->dt_s / sp->inrush_time_s : 0.0;
        snprintf(e->sig[engine_sig_psu_dc(e, j)].name, SIG_NAME_LEN, "psu.%s.dc_w", sp->name);
        e->sig[engine_sig_psu_dc(e, j)].unit = "W";
        snprintf(e->sig[engine_sig_psu_ac(e, j)].name, SIG_NAME_LEN, "psu.%s.ac_w", sp->name);
        e->sig[engine_sig_psu_ac(e, j)].unit = "W";
    }
    if (panels_new(e, s, err, errlen) != 0) {
        engine_free(e);
        return NULL;
    }
    /* the longest exact piece (EXACT_TAU, EXACT_BODY) */
    double exact_steps = e->stride_tau_s / e->dt_s * EXACT_TAU;
    for (size_t c = 0; c < e->n_circuits; c++)
        for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++) {
            double ln_f, ln_s;
            breaker_decay_ln(e->circuits[c].brk[edge], &ln_f, &ln_s);
            if (ln_f < 0 && -EXACT_BODY / ln_f < exact_steps) exact_steps = -EXACT_BODY / ln_f;
            if (ln_s < 0 && -EXACT_BODY / ln_s < exact_steps) exact_steps = -EXACT_BODY / ln_s;
        }
    e->exact_steps = exact_steps >= 2 ? (size_t)exact_steps : 0;
    double long_steps = e->stride_tau_s / e->dt_s * EXACT_TAU;
    for (size_t c = 0; c < e->n_circuits; c++)
        for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++) {
            const double *ln = e->circuits[c].dln[edge];
            for (int k = 0; k < 2; k++)
                if (ln[k] < 0 && -LONG_BODY / ln[k] < long_steps) long_steps = -LONG_BODY / ln[k];
        }
    e->long_steps = long_steps >= 2 ? (size_t)long_steps : 0;
    double defer_steps = INFINITY;
    for (size_t c = 0; c < e->n_circuits; c++)
        for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++)
            for (int k = 0; k < 2; k++) {
                double ln = e->circuits[c].dln[edge][k];
                if (ln < 0 && -DEFER_BODY / ln < defer_steps) defer_steps = -DEFER_BODY / ln;
            }
    e->defer_steps = defer_steps >= 4 && defer_steps * e->dt_s >= DEFER_MIN_S
                         && isfinite(defer_steps) ? (size_t)defer_steps : 0;
    defer_steps = INFINITY;
    for (size_t p = 0; p < e->n_panels; p++)
        for (int k = 0; k < e->panels[p].n_lines; k++)
            for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++)
                for (int q = 0; q < 2; q++) {
                    double ln = e->panels[p].dln[k][edge][q];
                    if (ln < 0 && -DEFER_BODY / ln < defer_steps) defer_steps = -DEFER_BODY / ln;
                }
    e->line_defer_steps = defer_steps >= 4 && defer_steps * e->dt_s >= DEFER_MIN_S
                              && isfinite(defer_steps) ? (size_t)defer_steps : 0;
    for (size_t i = 0; i < e->n_loads; i++) {
        const struct scn_load *sl = &s->loads[i];
        struct eload *l = &e->loads[i];
        l->kind = sl->kind;
        l->p_on_w = sl->power_w * sl->count;
        l->unit_w = sl->power_w;
        /* a steady [load] has window maxima equal to its power: no probe needed */
        int steady = sl->kind == SCN_LOAD && sl->period_s <= 0 && sl->start_s <= 0
                     && isinf(sl->stop_s);
        if (!steady)
            l->win = probe_new(engine_load_windows_s, ENGINE_N_LOAD_WINDOWS, e->dt_s, err,
                               errlen);
        if ((!steady && !l->win) || load_model_new(e, s, i, err, errlen) != 0) {
            engine_free(e);
            return NULL;
        }
        if (sl->connector_limit_w > 0) {
            double one_s = 1.0;
            l->conn = probe_new(&one_s, 1, e->dt_s, err, errlen);
            if (!l->conn) {
                engine_free(e);
                return NULL;
            }
        }
        l->inv_pf = sl->on_circuit ? 1.0 / sl->pf : 1.0;
        /* A [cpu]'s power is its package power; the board's VRM draws it from
         * the PSU at vrm_efficiency (scenario.c). A [gpu]'s board power is
         * measured at the card's input (PCIe slot + connectors, facts.md 3), its
         * own VRM already included: no factor. */
        l->dc_per_w = sl->kind == SCN_CPU ? 1.0 / sl->vrm_eff : 1.0;
        l->on_circuit = sl->on_circuit;
        l->target = sl->target_index;
        l->start_s = sl->start_s;
        l->stop_s = sl->stop_s;
        l->period_s = sl->period_s;
        l->on_s = sl->on_s;
        snprintf(e->sig[engine_sig_load(e, i)].name, SIG_NAME_LEN, "load.%s.power_w", sl->name);
        e->sig[engine_sig_load(e, i)].unit = "W";
    }
    if (groups_new(e) != 0) goto oom;
    return e;
oom:
    snprintf(err, errlen, "out of memory");
    engine_free(e);
    return NULL;
}

void engine_free(engine *e)
{
    if (!e) return;
    for (size_t c = 0; e->circuits && c < e->n_circuits; c++) {
        for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++)
            breaker_free(e->circuits[c].brk[edge]);
        probe_free(e->circuits[c].mag);
        probe_free(e->circuits[c].sus);
        probe_free(e->circuits[c].sus_rig);
        probe_free(e->circuits[c].sus_x);
    }
    for (size_t j = 0; e->psus && j < e->n_psus; j++) {
        psu_free(e->psus[j].model);
        bulk_free(e->psus[j].bk);
        probe_free(e->psus[j].pr);
        for (int k = 0; k <= ENGINE_N_WINDOWS; k++)
            if (e->psus[j].evt[k]) gsl_histogram_free(e->psus[j].evt[k]);
    }
    for (size_t i = 0; e->loads && i < e->n_loads; i++) {
        probe_free(e->loads[i].conn);
        probe_free(e->loads[i].win);
        gpu_free(e->loads[i].g);
        cpu_free(e->loads[i].c);
        trace_free(e->loads[i].tr);
        gpu_free(e->loads[i].sp);
    }
    free(e->loads);
    free(e->psus);
    free(e->circuits);
    free(e->ups);
    free(e->ures);
    panels_free(e);
    free(e->sig);
    free(e->val);
    free(e->s_min);
    free(e->s_max);
    free(e->s_sum);
    free(e->s_mean);
    free(e->r_max);
    free(e->r_sum);
    free(e->v_min);
    free(e->v_max);
    free(e->v_sum);
    free(e->cres);
    free(e->pres);
    free(e->lres);
    free(e->psu_end_n);
    free(e->events);
    free(e->sig_g);
    free(e->gpos);
    free(e->grange);
    free(e->g_idle);
    free(e);
}

size_t engine_signal_count(const engine *e) { return e->n_sig; }
const char *engine_signal_name(const engine *e, size_t k) { return e->sig[k].name; }
const char *engine_signal_unit(const engine *e, size_t k) { return e->sig[k].unit; }

const char *engine_event_name(enum engine_event_kind kind)
{
    static const char *const names[] = { "thermal trip", "magnetic trip",
                                         "voltage collapse", "brown-out", "input lost",
                                         "over-power protection", "excursion beyond ATX envelope",
                                         "bulk drop-out", "panel main tripped" };
    return (unsigned)kind < sizeof names / sizeof names[0] ? names[kind] : "?";
}

int engine_event_is_circuit(enum engine_event_kind kind)
{
    return kind == EV_TRIP_THERMAL || kind == EV_TRIP_MAGNETIC || kind == EV_COLLAPSE
           || kind == EV_PANEL_TRIP;
}

/* =============================================================== schedule == */

/* Sets L's state at time T and the time of its next change. A load is on in
 * [start, stop), and with a period, for the first ON seconds of each period
 * counted from start. */
static void schedule_update(struct eload *l, double t)
{
    if (t < l->start_s) {
        l->on = 0;
        l->next_change_s = l->start_s;
        return;
    }
    if (t >= l->stop_s) {
        l->on = 0;
        l->next_change_s = INFINITY;
        return;
    }
    if (l->period_s <= 0) {
        l->on = 1;
        l->next_change_s = l->stop_s;
        return;
    }
    double k = floor((t - l->start_s) / l->period_s);
    double cycle = l->start_s + k * l->period_s;
    double phase = t - cycle;
    double next;
    if (phase < l->on_s) {
        l->on = 1;
        next = cycle + l->on_s;
    } else {
        l->on = 0;
        next = cycle + l->period_s;
    }
    l->next_change_s = next < l->stop_s ? next : l->stop_s;
    if (l->next_change_s <= t) l->next_change_s = t + l->period_s * 1e-9;
}

/* ==================================================================== run == */

static void add_event(engine *e, double t, enum engine_event_kind kind, size_t index,
                      double value)
{
    if (e->n_events < e->cap_events)
        e->events[e->n_events++] = (struct engine_event){ t, kind, index, value };
}

/* N judged steps of circuit EC with mean square current I2 (whole circuit) and
 * RIG_I2 (its PSUs' share), A^2, and real energy E_J: into the open bin, whole
 * bins into the probes at once. */
static void sustain_add(struct ecircuit *ec, double i2, double rig_i2, double e_j, size_t n)
{
    ec->judged_n += n;
    ec->judged_i2 += i2 * (double)n;
    ec->judged_rig_i2 += rig_i2 * (double)n;
    ec->judged_energy_j += e_j;
    if (ec->bin_n > 0) {
        size_t k = ec->bin_steps - ec->bin_n < n ? ec->bin_steps - ec->bin_n : n;
        ec->bin_i2 += i2 * (double)k;
        ec->bin_rig_i2 += rig_i2 * (double)k;
        ec->bin_n += k;
        n -= k;
        if (ec->bin_n < ec->bin_steps) return;
        probe_push(ec->sus, ec->bin_i2 / (double)ec->bin_steps);
        probe_push(ec->sus_rig, ec->bin_rig_i2 / (double)ec->bin_steps);
        probe_push(ec->sus_x, ec->bin_i2 / (double)ec->bin_steps);
        ec->bin_n = 0;
        ec->bin_i2 = ec->bin_rig_i2 = 0;
    }
    size_t full = n / ec->bin_steps;
    if (full > 0) {
        probe_push_n(ec->sus, i2, full);
        probe_push_n(ec->sus_rig, rig_i2, full);
        probe_push_n(ec->sus_x, i2, full);
        n -= full * ec->bin_steps;
    }
    ec->bin_n = n;
    ec->bin_i2 = i2 * (double)n;
    ec->bin_rig_i2 = rig_i2 * (double)n;
}

/* The open bin, if any, goes into the probes as it is (at the end of the judged
 * time: its mean is what was drawn). */
static void sustain_close(struct ecircuit *ec)
{
    if (ec->bin_n == 0) return;
    probe_push(ec->sus, ec->bin_i2 / (double)ec->bin_n);
    probe_push(ec->sus_rig, ec->bin_rig_i2 / (double)ec->bin_n);
    probe_push(ec->sus_x, ec->bin_i2 / (double)ec->bin_n);
    ec->bin_n = 0;
}

/* Circuit C's links stop being judged at T: KIND happened to INDEX (its breaker
 * tripped, or a PSU on it shut down). The first cause counts. */
static void end_judged(engine *e, size_t c, double t, enum engine_event_kind kind,
                       size_t index)
{
    struct ecircuit *ec = &e->circuits[c];
    if (!ec->intact) return;
    ec->intact = 0;
    sustain_close(ec);
    e->cres[c].judged_end_s = t;
    e->cres[c].judged_end_cause = kind;
    e->cres[c].judged_end_index = index;
}

static void reset(engine *e)
{
    e->cur = 0;
    for (int h = 0; h < e->n_groups; h++) e->gpos[h] = 0;
    for (size_t p = 0; p < e->n_panels; p++)
        for (int k = 0; k < 3; k++) e->panels[p].nq[k].head = e->panels[p].nq[k].len = e->panels[p].nq[k].off = 0;
    for (size_t c = 0; c < e->n_circuits; c++) {
        e->circuits[c].def = (struct span){ 0 };
    }
    for (int k = 0; k < BREAKER_EDGE_COUNT; k++) e->decay[k] = (struct decay){ NAN, NAN, 0, { 0, 0 } };
    for (size_t c = 0; c < e->n_circuits; c++) {
        struct ecircuit *ec = &e->circuits[c];
        ec->alive = 1;
        ec->v_prev = ec->v0;
        if (ec->mag) probe_reset(ec->mag);
        probe_reset(ec->sus);
        probe_reset(ec->sus_rig);
        probe_reset(ec->sus_x);
        ec->bin_n = 0;
        ec->bin_i2 = ec->bin_rig_i2 = 0;
        ec->intact = 1;
        ec->judged_n = 0;
        ec->judged_i2 = ec->judged_rig_i2 = ec->judged_energy_j = 0;
        e->cres[c] = (struct engine_circuit_result){ 0 };
        e->cres[c].judged_end_s = NAN;
        e->cres[c].min_voltage_v = ec->v0;
        e->cres[c].trip_time_s = NAN;
        e->cres[c].collapse_time_s = NAN;
        e->cres[c].panel_off_s = NAN;
        for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++) {
            breaker_reset(ec->brk[edge]);
            e->cres[c].edge_trip_time_s[edge] = NAN;
        }
    }
    for (size_t j = 0; j < e->n_psus; j++) {
        e->psus[j].alive = 1;
        e->psus[j].started = 0;
        e->psus[j].output = 0;
        e->psus[j].pending = 0;
        bulk_reset(e->psus[j].bk, 0.0);
        probe_reset(e->psus[j].pr);
        e->psus[j].pr_pend = e->psus[j].pr_rpend = 0;
        e->psus[j].ramp_span = 0.0;
        e->psus[j].pr_hi_w = 0.0;
        e->psus[j].dc_slope = 0;
        e->psus[j].guard_valid = 0;
        for (int k = 0; k <= ENGINE_N_WINDOWS; k++)
            if (e->psus[j].evt[k]) gsl_histogram_reset(e->psus[j].evt[k]);
        e->psus[j].v_prev_bulk = bulk_voltage(e->psus[j].bk);
        e->psus[j].inrush_a = 0;
        double limits[ENGINE_N_WINDOWS];
        memcpy(limits, e->pres[j].window_limit_w, sizeof limits);
        e->pres[j] = (struct engine_psu_result){ 0 };
        memcpy(e->pres[j].window_limit_w, limits, sizeof limits);
        e->pres[j].shutdown_time_s = NAN;
        e->pres[j].excursion_time_s = NAN;
        e->pres[j].min_bulk_v = bulk_voltage(e->psus[j].bk);
        e->psus[j].e_min_j = bulk_energy(e->psus[j].bk);
    }
    for (size_t i = 0; i < e->n_loads; i++) {
        e->lres[i] = (struct engine_load_result){ 0 };
        struct eload *l = &e->loads[i];
        if (l->conn) probe_reset(l->conn);
        if (l->win) probe_reset(l->win);
        l->win_fed = e->load_windows || l->on_circuit ? l->win : NULL;
        l->win_pend = l->conn_pend = 0;
        if (l->g) gpu_reset(l->g);
        if (l->sp) gpu_reset(l->sp);
        if (l->c) cpu_reset(l->c);
        l->cursor = 0;
        schedule_update(&e->loads[i], 0.0);
    }
    for (size_t k = 0; k < e->n_sig; k++) {
        e->s_min[k] = INFINITY;
        e->s_max[k] = -INFINITY;
        e->s_sum[k] = 0;
        e->r_max[k] = -INFINITY;
        e->r_sum[k] = 0;
    }
    for (size_t u = 0; u < e->n_ups; u++) {
        struct eups *eu = &e->ups[u];
        eu->alive = 1;
        eu->on_batt = 0;
        eu->acc = eu->out_w = eu->out_va = 0;
        eu->sum_out_w = eu->sum_in_w = eu->sum_load = 0;
        eu->n_run = eu->n_mains = 0;
        memset(eu->run_n, 0, sizeof eu->run_n);
        e->ures[u] = (struct engine_ups_result){ 0 };
        e->ures[u].first_over_s = e->ures[u].shutdown_time_s = NAN;
        e->ures[u].battery_time_s = NAN;
    }
    panels_reset(e);
    e->n_events = 0;
    e->n_pieces = 0;
}

static int flush_sample(engine *e, engine_sample_fn sink, void *user, double t0,
                        double t1, size_t n)
{
    int rc = 0;
    if (sink && n > 0) {
        for (size_t k = 0; k < e->n_sig; k++) e->s_mean[k] = e->s_sum[k] / (double)n;
        struct engine_sample smp = { t0, t1, e->s_min, e->s_mean, e->s_max, e->n_sig };
        rc = sink(user, &smp);
    }
    for (size_t k = 0; k < e->n_sig; k++) {
        e->s_min[k] = INFINITY;
        e->s_max[k] = -INFINITY;
        e->s_sum[k] = 0;
    }
    return rc;
}

/* A live PSU's protections after its step at T: the DC load goes into the window
 * probe; OPP acts on its averaging window, any unit shuts down when its bulk
 * capacitor drops out. The shutdown itself is applied with the others at the
 * end of the step. A short window outside the ATX 3.x excursion envelope is no
 * shutdown (issue 13, 5): the envelope is what the design guide guarantees the
 * unit rides through, not how it protects itself; leaving it is recorded (an
 * event, and a FAIL of the PSU link) and the unit goes on unless its own OPP
 * trips. */
static void protect(engine *e, size_t j, double t)
{
    struct epsu *ep = &e->psus[j];
    probe_push(ep->pr, ep->dc_w);
    if (ep->dc_w > ep->pr_hi_w) ep->pr_hi_w = ep->dc_w;
    /* energies, not voltages: E = C V^2 / 2 is monotone in V, and needs no sqrt */
    double en = bulk_energy(ep->bk);
    if (en < ep->e_min_j) ep->e_min_j = en;
    if (ep->pending) return;
    if (probe_avg(ep->pr, ep->opp_k) > ep->opp_w) {
        ep->pending = 1 + EV_OPP;
        return;
    }
    if (isnan(e->pres[j].excursion_time_s))
        for (int k = 0; k < ENGINE_N_WINDOWS - 1; k++)
            if (probe_avg(ep->pr, (size_t)k) > ep->env_w[k]) {
                e->pres[j].excursion_time_s = t + e->dt_s;
                add_event(e, t + e->dt_s, EV_EXCURSION, j, probe_avg(ep->pr, (size_t)k));
                break;
            }
    if (en < ep->e_dropout_j) ep->pending = 1 + EV_DROPOUT;
}

/* N samples of X into P, a load's window probe, which is read only at the end
 * of the run: a run of equal values waits in (*PW, *PN) and goes in as one push
 * when the value changes (N = 0 with X = NAN: flush). The probe's sums and
 * maxima do not depend on how equal samples are grouped (sim/probe.c,
 * "Segments"), so this is bit-identical; the board and a CPU at its limit then
 * cost one push per level instead of one per stride. */
static void defer_push(probe *p, double *pw, size_t *pn, double x, size_t n)
{
    if (*pn > 0 && !(*pw == x)) {
        probe_push_n(p, *pw, *pn);
        *pn = 0;
    }
    if (n == 0) return;
    *pw = x;
    *pn += n;
}

/* The loads' part of the step at time T: power-on, the loads' power into their
 * PSUs (DC) and circuits (AC), their probes and signals. */
static void step_loads(engine *e, double t)
{
    for (size_t c = e->g_c0; c < e->g_c1; c++) {
        struct ecircuit *ec = &e->circuits[c];
        ec->p_w = ec->s_va = ec->s_demand_va = ec->inrush_a = ec->load_va = 0;
    }
    for (size_t j = e->g_p0; j < e->g_p1; j++) {
        struct epsu *ep = &e->psus[j];
        ep->dc_w = ep->dc_demand_w = 0;
        if (!ep->started && t >= ep->on_at_s) {
            ep->started = 1;
            ep->inrush_a = ep->inrush0_a;
        }
        if (!ep->output && t >= ep->out_at_s) ep->output = 1;
    }

    for (size_t i = e->g_l0; i < e->g_l1; i++) {
        struct eload *l = &e->loads[i];
        double p, unit;
        switch (l->kind) {
        case SCN_GPU:
            p = gpu_step(l->g, t);
            unit = gpu_card_power(l->g, 0);
            break;
        case SCN_CPU:
            p = unit = cpu_step(l->c, t);
            break;
        case SCN_TRACE:
            p = t < l->start_s ? 0.0
                               : l->tr_scale * trace_at(l->tr, t - l->start_s, l->tr_loop,
                                                        &l->cursor);
            if (l->sp) p *= l->sp_k * gpu_step(l->sp, t);   /* its spikes */
            unit = p;
            break;
        default:
            if (t >= l->next_change_s) schedule_update(l, t);
            p = l->on ? l->p_on_w : 0.0;
            unit = l->on ? l->unit_w : 0.0;
            break;
        }
        if (l->on_circuit) {
            struct ecircuit *ec = &e->circuits[l->target];
            ec->s_demand_va += p * l->inv_pf;
            if (!ec->alive) p = 0;
            ec->p_w += p;
            ec->s_va += p * l->inv_pf;
            ec->load_va += p * l->inv_pf;
        } else {
            struct epsu *ep = &e->psus[l->target];
            if (ep->output) ep->dc_demand_w += p * l->dc_per_w;
            if (!ep->alive || !ep->output) p = 0;
            ep->dc_w += p * l->dc_per_w;
        }
        if (l->conn) defer_push(l->conn, &l->conn_pend_w, &l->conn_pend, p > 0 ? unit : 0.0, 1);
        if (l->win_fed) defer_push(l->win_fed, &l->win_pend_w, &l->win_pend, p, 1);
        e->val[engine_sig_load(e, i)] = p;
    }
}

/* ==================================================================== UPS == */

/* Apparent power at the UPS's input for output P_OUT_W (apparent S_OUT_VA): the
 * output over its efficiency, at its own input PF (online) or the load's
 * (line-interactive, offline: the mains pass through; ups.h). */
static double ups_input_va(const struct eups *eu, double p_out_w, double s_out_va)
{
    return eu->inv_pf_in > 0 ? p_out_w * eu->k_in * eu->inv_pf_in : s_out_va * eu->k_in;
}

/* A PSU behind EU draws P_IN (S_IN): what EU takes from its circuit EC for it,
 * on mains; on battery nothing, but the prospective demand of a dead circuit. */
static void ups_draw(const struct eups *eu, struct ecircuit *ec, double p_in, double s_in)
{
    double s_c = ups_input_va(eu, p_in, s_in);
    if (!eu->on_batt) {
        ec->p_w += p_in * eu->k_in;
        ec->s_va += s_c;
        ec->s_demand_va += s_c;
    } else if (!ec->alive) {
        ec->s_demand_va += s_c;
    }
}

/* UPS U's mains are lost at T: it goes to battery. A PSU whose bulk capacitor
 * cannot carry its present load over the transfer time drops out (hold-up from
 * the energy above drop-out, bulk.h; ATX 3.0 asks > 16 ms, facts.md 2). */
static void ups_to_battery(engine *e, size_t u, double t)
{
    struct eups *eu = &e->ups[u];
    eu->on_batt = 1;
    e->ures[u].on_battery = 1;
    e->ures[u].battery_time_s = t;
    for (size_t j = 0; j < e->n_psus; j++) {
        struct epsu *ep = &e->psus[j];
        if (ep->ups != (long)u || !ep->alive || !ep->started || ep->pending) continue;
        double p_d = psu_input_power(ep->model, ep->dc_w, eu->v_out);
        double e_j = bulk_energy(ep->bk) - ep->e_dropout_j;
        if (p_d > 0 && e_j < p_d * eu->transfer_s) {
            ep->pending = 1 + EV_DROPOUT;
            e->ures[u].transfer_dropped++;
        }
    }
}

/* UPS U over the step at T: mains or battery, its own draw, its load against
 * the overload curve (ups.h: the integral of dt / T(x)), the battery's use
 * (dt / runtime at the present output), and its shutdown. */
static void ups_step(engine *e, size_t u, double t)
{
    struct eups *eu = &e->ups[u];
    struct ecircuit *ec = &e->circuits[eu->circuit];
    struct engine_ups_result *ur = &e->ures[u];
    const double dt = e->dt_s, t1 = t + dt;
    double load = 0;
    if (eu->alive) {
        if (!eu->on_batt && (!ec->alive || t >= eu->outage_s)) ups_to_battery(e, u, t);
        if (!eu->on_batt) {
            ec->p_w += eu->self_w;
            ec->s_va += eu->self_va;
            ec->s_demand_va += eu->self_va;
            eu->sum_in_w += eu->out_w * eu->k_in + eu->self_w;
            eu->n_mains++;
        } else if (!ec->alive) {
            ec->s_demand_va += eu->self_va;
        }
        load = fmax(eu->out_va / eu->va, eu->out_w / eu->w);
        eu->sum_out_w += eu->out_w;
        eu->sum_load += load;
        eu->n_run++;
        if (load > ur->peak_load) ur->peak_load = load;
        if (eu->out_w > ur->peak_out_w) ur->peak_out_w = eu->out_w;
        if (eu->out_va > ur->peak_out_va) ur->peak_out_va = eu->out_va;
        if (load > 1.0) {
            ur->over_s += dt;
            if (isnan(ur->first_over_s)) ur->first_over_s = t;
        }
        for (size_t k = 0; k < eu->ol->n; k++) {
            eu->run_n[k] = load >= eu->ol->load[k] ? eu->run_n[k] + 1 : 0;
            double run_s = (double)eu->run_n[k] * dt;
            if (run_s > ur->band_run_s[k]) ur->band_run_s[k] = run_s;
        }
        double allowed = ups_overload_time(eu->ol, load);
        eu->acc = isfinite(allowed) ? eu->acc + dt / allowed : eu->acc * eu->reset_decay;
        if (eu->acc > ur->max_overload) ur->max_overload = eu->acc;
        if (eu->on_batt) {
            /* no battery data: none assumed (ups_runtime 0) */
            double rt = ups_runtime(eu->batt, eu->w, eu->out_w);
            ur->battery_used += rt > 0 ? dt / rt : 1.0;
        }
        if (eu->acc >= 1.0 || ur->battery_used >= 1.0) {
            eu->alive = 0;
            ur->shutdown = 1;
            ur->shutdown_time_s = t1;
            ur->shutdown_overload = eu->acc >= 1.0;
        }
    }
    e->val[engine_sig_ups(e, u)] = load;
    eu->out_w = eu->out_va = 0;
}

/* The chain's part of the step at time T, from the loads' power that
 * step_loads() (or a stride holding it) left: PSUs, circuits, breakers and
 * shutdowns; fills e->val of the PSU and circuit signals. */
static void step_chain(engine *e, double t)
{
    const double dt = e->dt_s;
    for (size_t j = e->g_p0; j < e->g_p1; j++) {
        struct epsu *ep = &e->psus[j];
        struct ecircuit *ec = &e->circuits[ep->circuit];
        double p_in = 0;
        if (ep->started) {
            /* behind a UPS: fed while the UPS runs, at its output voltage */
            struct eups *eu = ep->ups >= 0 ? &e->ups[ep->ups] : NULL;
            if (ep->alive && (eu ? eu->alive : ec->alive)) {
                /* the DC side's demand, input-referred, reaches the wall through the
                 * PFC loop and the bulk capacitor (bulk.h) */
                double p_d = psu_input_power(ep->model, ep->dc_w, eu ? eu->v_out : ec->v_prev);
                p_in = bulk_step(ep->bk, p_d);
                double s_in = p_in / psu_power_factor(ep->model, ep->dc_w);
                if (eu) {
                    eu->out_w += p_in;
                    eu->out_va += s_in;
                    ups_draw(eu, ec, p_in, s_in);
                } else {
                    ec->p_w += p_in;
                    ec->s_va += s_in;
                    ec->s_demand_va += s_in;
                }
                protect(e, j, t);
            } else if (!ec->alive) {
                /* what it would draw if its circuit were live (edges not simulated) */
                double d = psu_input_power(ep->model, ep->dc_demand_w, eu ? eu->v_out : ec->v0);
                double sd = d / psu_power_factor(ep->model, ep->dc_demand_w);
                ec->s_demand_va += eu ? ups_input_va(eu, d, sd) : sd;
            }
            ec->inrush_a += ep->inrush_a;
            /* stop at 1e-4 of the start (9.2 time constants, 69 ms with the
             * 7.5 ms default): the tail left carries 1e-8 of the inrush's own
             * I^2 t, and with a load current I a cross term 2 I i tau (15 A, 2.4 mA,
             * 7.5 ms: 5e-4 A^2 s), 1e-7 of what a breaker's bimetal holds at its
             * rating (I_n^2 x its >= 10 s time constant) -- nothing a verdict can
             * see, while every step of the tail was a single chain step of the
             * stride solver (issue 14). It also keeps the decaying exponential out
             * of denormal numbers, which cost a hundred times a normal multiply. */
            ep->inrush_a = ep->inrush_a > ep->inrush_end_a ? ep->inrush_a * ep->inrush_decay
                                                           : 0.0;
        }
        e->val[engine_sig_psu_dc(e, j)] = ep->dc_w;
        e->val[engine_sig_psu_ac(e, j)] = p_in;
        e->pres[j].energy_dc_j += ep->dc_w * dt;
        e->pres[j].energy_ac_j += p_in * dt;
    }

    for (size_t u = 0; u < e->n_ups; u++) ups_step(e, u, t);

    for (size_t c = e->g_c0; c < e->g_c1; c++) {
        struct ecircuit *ec = &e->circuits[c];
        struct engine_circuit_result *cr = &e->cres[c];
        double i_a = 0, v = 0, i_edges;
        if (ec->alive) {
            if (circuit_solve(ec->v0, ec->r_ohm, ec->s_va, &i_a, &v) != 0
                && !cr->collapsed) {
                cr->collapsed = 1;
                cr->collapse_time_s = t + dt;
                add_event(e, t + dt, EV_COLLAPSE, c, i_a);
            }
            if (i_a > cr->peak_load_current_a) cr->peak_load_current_a = i_a;
            double i_load = i_a;
            i_a += ec->inrush_a;
            i_edges = i_a;
            if (v < cr->min_voltage_v) cr->min_voltage_v = v;
            /* the meter sees the outlet's real power and the wiring's I^2 R
             * (inrush included: it flows through the wires too) */
            double loss = i_a * i_a * ec->r_ohm * dt;
            cr->wire_loss_j += loss;
            cr->energy_j += ec->p_w * dt + loss;
            if (ec->intact) {
                /* the rig's share: its PSUs' apparent power of the circuit's */
                double share = ec->s_va > 0 ? (ec->s_va - ec->load_va) / ec->s_va : 0.0;
                double i_rig = i_load * share + ec->inrush_a;
                sustain_add(ec, i_a * i_a, i_rig * i_rig, ec->p_w * dt + loss, 1);
            }
        } else {
            double v_d;
            circuit_solve(ec->v0, ec->r_ohm, ec->s_demand_va, &i_edges, &v_d);
            i_edges += ec->inrush_a;
        }
        ec->i_edges_a = i_edges;
        /* the magnetic element's view: the mean square current over the last
         * half mains cycle, one window for the three edges */
        double i2w = i_edges * i_edges;
        if (ec->mag && i2w == i2w) {
            probe_push(ec->mag, i2w);
            i2w = probe_avg(ec->mag, 0);
        }
        for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++) {
            if (cr->edge_trip[edge] != BREAKER_CLOSED) continue;
            enum breaker_trip trip = breaker_step_window(ec->brk[edge], i_edges, i2w);
            double h = breaker_heat(ec->brk[edge]);
            if (h > cr->edge_max_heat[edge]) cr->edge_max_heat[edge] = h;
            if (trip == BREAKER_CLOSED) continue;
            cr->edge_trip[edge] = trip;
            cr->edge_trip_time_s[edge] = t + dt;
            /* a circuit its panel cut off: its own device is stepped on the
             * prospective current as the other edges, and opens nothing */
            if (edge != ec->sel || !ec->alive) continue;
            ec->alive = 0;
            cr->trip = trip;
            cr->trip_time_s = t + dt;
            enum engine_event_kind kind = trip == BREAKER_MAGNETIC ? EV_TRIP_MAGNETIC
                                                                   : EV_TRIP_THERMAL;
            add_event(e, t + dt, kind, c, i_a);
            end_judged(e, c, t + dt, kind, c);
        }
        double i_mag = sqrt(i2w > 0 ? i2w : 0.0);
        if (i_mag > cr->peak_halfcycle_a && ec->alive) cr->peak_halfcycle_a = i_mag;
        ec->v_prev = ec->alive ? v : 0;
        e->val[engine_sig_circuit(e, c, ENGINE_SIG_CURRENT)] = i_a;
        e->val[engine_sig_circuit(e, c, ENGINE_SIG_VOLTAGE)] = v;
        e->val[engine_sig_circuit(e, c, ENGINE_SIG_HEAT)] = breaker_heat(ec->brk[ec->sel]);
    }

    if (e->n_panels) panels_step(e, t);

    /* PSUs whose input is gone or too low shut down and stay off. */
    for (size_t j = e->g_p0; j < e->g_p1; j++) {
        struct epsu *ep = &e->psus[j];
        if (!ep->alive || !ep->started) continue;
        const struct ecircuit *ec = &e->circuits[ep->circuit];
        const struct eups *eu = ep->ups >= 0 ? &e->ups[ep->ups] : NULL;
        enum engine_event_kind cause;
        if (eu ? !eu->alive : !ec->alive)
            cause = EV_INPUT_LOST;
        else if ((eu ? eu->v_out : ec->v_prev) < ep->min_input_v)
            cause = EV_BROWNOUT;
        else if (ep->pending)
            cause = (enum engine_event_kind)(ep->pending - 1);
        else
            continue;
        ep->alive = 0;
        e->pres[j].shutdown = 1;
        e->pres[j].shutdown_time_s = t + dt;
        e->pres[j].shutdown_cause = cause;
        add_event(e, t + dt, cause, j, ec->v_prev);
        end_judged(e, ep->circuit, t + dt, cause, j);
    }
}

/* One step at time T: loads, PSUs, circuits, breakers; fills e->val. */
static void step(engine *e, double t)
{
    step_loads(e, t);
    step_chain(e, t);
}

/* ================================================================= strides == */

/* Stride mode (scenario solver = stride; DESIGN.md 3: "quiet stretches may be
 * skipped analytically"). Between discrete events - a load's phase change, a
 * spike's start or end, a schedule edge, power-on, inrush, a trip - every state
 * follows a recurrence with constant coefficients, so N steps have a closed
 * form. A stride has two levels:
 *
 *   loads    stride_len() asks every load how long it stays quiet; the loads
 *            then advance N steps at once (gpu_advance: the limiter's (average,
 *            throttle) pair; cpu_advance: the EWMA) and give their power summed
 *            over the stride, which is held for the chain below. Their probes
 *            take N samples of the mean at once (probe_push_n).
 *   chain    the PSUs, circuits and breakers follow in pieces that chain_len()
 *            sizes for the held DC: at most half a PFC time constant while the
 *            PFC is in a transient, the whole stride once it has settled, and
 *            single steps of the fixed path (step_chain) near any limit. A
 *            piece (chain_stride):
 *     PSU      the input power of the held DC (psu.h); PFC low pass and bulk
 *              capacitor advanced exactly (bulk_advance), the AC energy exact by
 *              the capacitor's balance
 *     circuit  the constant-power solve at the piece's first, middle and last
 *              step; mean current and mean square current as the sums of the
 *              parabola through those nodes (node_sum: Simpson's rule made
 *              exact for the discrete sum of a quadratic; the PFC transient is
 *              a sum of exponentials)
 *     breaker  H_N = x + (H_0 - x)(1 - k)^N, x the mean square current over
 *              I_t^2 (breaker_advance); a trip inside lands on its step
 *     magnetic the circuit's half-cycle window takes the parabola of I^2 in
 *              a few runs (mag_push)
 *
 * A dead circuit strides as well (dead_circuit_stride): it carries nothing, and
 * its edges not yet tripped are advanced in closed form on the prospective
 * current, as the fixed path steps them; a dead PSU delivers nothing while its
 * loads' demand is kept for that current.
 *
 * Not exact: the stride's DC load enters the PSU's efficiency curve as its mean
 * (the GPU limiter moves it by well under 0.1 % within a stride); the PSU sees
 * the circuit voltage of the piece's start; samples take a signal's extremes
 * from the three nodes. The loads of a stride in whose chain a PSU shuts down
 * have their figures as if it had not (the guards make that a corner case).
 * tests/test_solver.c compares the two solvers on every example and test
 * scenario and on random rigs: means, energies and heat within 1e-4, peaks
 * within 2e-3.
 *
 * Single steps, the reference path itself, where the closed forms do not hold
 * or a protection is near: a load's event step, an inrush near a magnetic
 * pick-up or against a breaker body too fast for its pieces (inrush_piece),
 * trace loads while they
 * play (linear interpolation), a PSU whose DC load has
 * come within 10 % of its OPP or ATX envelope limits, and wherever the piece's
 * highest apparent power (chain_len: the PFC trajectory bounded at the piece's
 * nodes and the demand, + 5 %) would take a circuit above 70 % of the most a
 * constant-power load can draw, its current above half the lowest magnetic
 * pick-up, a PSU's input within 2 % of brown-out, or a breaker edge to its trip
 * point; also with the bulk energy below half-way to drop-out. stride_len()
 * checks the chain with the last step's DC before the loads commit to a stride
 * (a load may change level at the stride's first step, so stride() checks again
 * with the stride's own). A stride is at most 100 PFC time constants long and
 * ends at a sample boundary when samples are written. */

/* Settled: the PFC's low pass and the capacitor's recharge are both within 1e-4
 * of the demand (bulk_unsettled_w). */
#define STRIDE_SETTLED   1e-4
/* a protection window's limit less this share is a limit for the look-ahead:
 * the probe's sums round differently from the look-ahead's own (probe.c: a few
 * ulps, rebuilt every window), so a step within it is taken singly */
#define GUARD_MARGIN     (1.0 - 1e-9)
/* A ramp's piece (a trace's straight segment, issue 14, 2): the PSU curve is
 * taken as the parabola through its input power at the piece's first, middle
 * and last step (ramp_fit; the PFC's closed form takes a bent demand,
 * bulk_advance_ramp), so the piece is halved until the curve is within this
 * share of that parabola at the quarter points, and its power factor too
 * (ramp_bent); a PFC transient on ramps is one exact piece (long_ramp_ok,
 * ramp_sums). On trace-replay.ini (2 min at 10 us, against the fixed path):
 * 26 pieces a second, energies within 1.4e-6, heat 7.3e-6, lowest bulk
 * voltage 2.9e-6, highest load current 1.2e-5, lowest voltage 2e-7. The chord
 * this replaced (the middle within 3e-5 of the chord, transients in pieces of
 * half a time constant) needed 139 pieces a second for energies within 4.0e-6
 * and a highest load current within 1.3e-4 (1e-5: 210 a second, 1.5e-6) */
#define RAMP_CURVE       3e-5
#define STRIDE_LONG      100.0    /* settled: up to 100 PFC time constants */
#define STRIDE_SHORT     0.5      /* in a transient: half a PFC time constant */
/* ... longer when the transient left is below STRIDE_AMP_REF of the demand, up
 * to STRIDE_SHORT_MAX time constants (chain_len). Chosen against
 * tests/test_solver.c's 1e-4 heat tolerance: lengthening from 100 % or 10 % of
 * the demand broke it on inference-box and a uk-13a fuse rig; from 2 % it holds
 * on the 35 scenarios and 24 + 60 + 80 random rigs (the same rigs out as
 * before in the extended runs) */
#define STRIDE_AMP_REF   0.02
#define STRIDE_SHORT_MAX 1.5
/* A PFC transient's pieces far from every limit are taken as one composite
 * piece of up to this many sub-pieces of the transient's length (issue 14, 3;
 * chain_len, comp_ok): each sub-piece is the same closed form, nodes and sums
 * as a piece of its own, but the guards, the look-ahead and the trim are asked
 * once. 8 sub-pieces of half a time constant are 4 time constants, about the
 * transient after a training phase change, and as long as a stride between
 * two card events gets */
#define STRIDE_COMP_MAX  8

/* Steps from step S on (S included) that start before TE: the step that starts
 * at or after TE is where the state changes. At most CAP. */
/* PSU EP's power factor at DC W: the curve's (psu_power_factor) for a new DC,
 * the remembered one for the DC asked last (a piece asks the same DC in
 * chain_len(), piece_nodes() and chain_stride()). */
static double pf_of(struct epsu *ep, double dc)
{
    if (!(dc == ep->pf_dc_w)) {
        ep->pf_dc_w = dc;
        ep->pf = psu_power_factor(ep->model, dc);
    }
    return ep->pf;
}

/* Strides through a UPS (on mains, below its rating: stride_len() and
 * chain_len() see to it): what its circuit carries per W a PSU behind it draws
 * with power factor 1 / INV_PF, as apparent power (its input PF when online,
 * the load's passed through otherwise: ups_input_va) and as real power (over
 * its efficiency); without a UPS, INV_PF and 1. */
static double va_per_w(const engine *e, const struct epsu *ep, double inv_pf)
{
    if (ep->ups < 0) return inv_pf;
    const struct eups *eu = &e->ups[ep->ups];
    return eu->k_in * (eu->inv_pf_in > 0 ? eu->inv_pf_in : inv_pf);
}

static double w_per_w(const engine *e, const struct epsu *ep)
{
    return ep->ups < 0 ? 1.0 : e->ups[ep->ups].k_in;
}

/* The voltage a PSU's input sees in a stride: its UPS's output, else its
 * circuit's at the last step. */
static double psu_v(const engine *e, const struct epsu *ep)
{
    return ep->ups >= 0 ? e->ups[ep->ups].v_out : e->circuits[ep->circuit].v_prev;
}

/* The UPSs' own draw (standing loss and charger) on circuit C, VA or (REAL) W. */
static double ups_self(const engine *e, size_t c, int real)
{
    double x = 0;
    for (size_t u = 0; u < e->n_ups; u++)
        if (e->ups[u].circuit == c && e->ups[u].alive && !e->ups[u].on_batt)
            x += real ? e->ups[u].self_w : e->ups[u].self_va;
    return x;
}

static size_t steps_before(double te, size_t s, double dt, size_t cap)
{
    double t = (double)s * dt;
    if (!(te > t)) return 0;
    double k = floor((te - t) / dt);
    if (k >= (double)cap) return cap;
    size_t i = s + (size_t)k;
    while ((double)i * dt < te) i++;
    while (i > s && (double)(i - 1) * dt >= te) i--;
    return i - s < cap ? i - s : cap;
}

static double min3(double a, double b, double c)
{
    double m = a < b ? a : b;
    return m < c ? m : c;
}

static double max3(double a, double b, double c)
{
    double m = a > b ? a : b;
    return m > c ? m : c;
}

/* ================================================== inrush in a piece == */

/* The inrush strides (issue 14): over a piece of a stride PSU p's inrush is
 * I_p q_p^j at the piece's step j (q_p = inrush_decay), its circuit's the sum
 * over its PSUs, added to the loads' current where step_chain() adds
 * ec->inrush_a: the breaker edges, the half-cycle window, the wiring's I^2 R,
 * the sustained bins (the rig's share) and the current signal (not the load
 * current's peak). inrush_piece() has the sums. chain_len() keeps single steps
 * while the piece's highest current, the inrush at its start included, can
 * reach half the lowest magnetic pick-up (a B curve on an inrush:
 * inrush-b16-vs-c16.ini), and ends the last piece on the step where the fixed
 * path ends the inrush (inrush_steps), so that the pieces after it are the
 * same. A piece is at most INRUSH_PIECE of the inrush's time constant tau_i
 * and INRUSH_BODY of the fastest breaker body's tau_b: the edges hold a
 * piece's mean square current (breaker_advance), and against a decaying one
 * that is off twice, (1) the body weights a piece's late steps more than its
 * early ones, so the held mean puts the front-loaded inrush's heat late: the
 * heat comes out high by about T / tau_b of the inrush's (pieces of tau_i / 2
 * = 3.75 ms against a BS 1362 fast edge's 0.175 s: 6.5e-4 on random rigs 2 and
 * 6 of test_solver, tolerance 1e-4), and (2) a body's peak inside a piece,
 * where the inrush has fallen to its heat, is passed over by up to
 * (T / 2)^2 / (tau_b tau_i) of it. At 1e-3 of tau_b (0.175 ms pieces, 17
 * steps at 10 us) (1) scales to 3e-5 and (2) is 6e-6; for UL 489 (106.8 s)
 * and IEC 60898-1 (2.5 s and more) tau_i / 2 decides. A piece shorter than INRUSH_MIN_STEPS
 * costs more than its single steps (BS 1362 at 50 us: 14.18 M instructions a
 * second run with single steps, 15.56 M with pieces of 3): single steps. */
#define INRUSH_PIECE     0.5
#define INRUSH_BODY      1e-3
#define INRUSH_MIN_STEPS 8.0

/* Steps, the present one included, that still carry PSU EP's inrush: the fixed
 * path (step_chain) adds I and multiplies it by q while I > inrush_end_a, and
 * ends it after the first step at or below, the step k = ceil(ln(end / I) /
 * ln q) from now (I q^k <= end): k + 1 steps. The repeated product of the
 * fixed path and I q^k here differ by ulps, so the two part on different steps
 * only if ln(end / I) / ln q is within ~1e-12 of a whole number. */
static size_t inrush_steps(const struct epsu *ep)
{
    if (!(ep->inrush_a > 0)) return 0;
    if (ep->inrush_a <= ep->inrush_end_a || !(ep->inrush_ln < 0)) return 1;
    double k = ceil(log(ep->inrush_end_a / ep->inrush_a) / ep->inrush_ln);
    return k < 1e15 ? (size_t)k + 1 : (size_t)1e15;
}

/* Circuit C's inrush now (its PSUs' summed, as step_chain()'s ec->inrush_a), A. */
static double circuit_inrush(const engine *e, size_t c)
{
    double a = 0.0;
    for (size_t j = 0; j < e->n_psus; j++)
        if (e->psus[j].circuit == c && e->psus[j].inrush_a > 0) a += e->psus[j].inrush_a;
    return a;
}

/* How many steps from step S the loads can advance in one stride, at most CAP
 * (1: take a single step): no load event, no power-on or output edge, no
 * protection pending (an inrush: chain_len's pieces). The chain below is sized piece by piece for
 * the stride's own DC (stride(), chain_len()). */
static size_t stride_len(engine *e, size_t s, size_t cap)
{
    const double dt = e->dt_s;
    const double t = (double)s * dt;
    size_t n = cap;

    /* a dead circuit or PSU strides too: its loads draw nothing, and the
     * breaker edges not yet tripped follow the current the rig would draw */
    for (size_t j = e->g_p0; j < e->g_p1 && n >= 2; j++) {
        const struct epsu *ep = &e->psus[j];
        if (ep->alive && ep->pending) return 1;   /* (inrush: chain_len) */
        if (!ep->started)
            n = steps_before(ep->on_at_s, s, dt, n);
        else if (!ep->output)
            n = steps_before(ep->out_at_s, s, dt, n);
    }
    /* a UPS strides only on mains with its circuit live, up to its outage
     * (ups_step() takes the transfer and the battery step by step) */
    for (size_t u = 0; u < e->n_ups && n >= 2; u++) {
        const struct eups *eu = &e->ups[u];
        if (!eu->alive) continue;
        if (eu->on_batt || !e->circuits[eu->circuit].alive) return 1;
        n = steps_before(eu->outage_s, s, dt, n);
    }
    if (n < 2) return 1;
    size_t long_steps = (size_t)(e->stride_tau_s / dt * STRIDE_LONG);
    if (long_steps < n) n = long_steps;
    for (size_t i = e->g_l0; i < e->g_l1 && n >= 2; i++) {
        struct eload *l = &e->loads[i];
        switch (l->kind) {
        case SCN_GPU:
            gpu_events(l->g, t);         /* step S's events start the stride */
            n = gpu_quiet_steps(l->g, t, n);
            break;
        case SCN_CPU:
            n = cpu_quiet_steps(l->c, t, n);
            break;
        case SCN_TRACE:
            if (l->sp) {                 /* its spikes: their events end a stride */
                gpu_events(l->sp, t);
                n = gpu_quiet_steps(l->sp, t, n);
            }
            if (t < l->start_s || l->on_circuit) {
                n = steps_before(l->start_s, s, dt, n);
            } else {
                /* one straight piece of the log: a ramp (issue 14, 2) */
                double end = trace_segment_end(l->tr, t - l->start_s, l->tr_loop);
                n = steps_before(l->start_s + end, s, dt, n);
            }
            break;
        default:
            if (t >= l->next_change_s) return 1;   /* its edge: a single step */
            n = steps_before(l->next_change_s, s, dt, n);
            break;
        }
    }
    if (n < 2) return 1;
    /* the chain is sized by stride() for the stride's own DC, piece by piece:
     * near a PSU's limits or a trip its pieces are single chain steps with the
     * loads held at the stride's mean (asking chain_len() here with the last
     * step's DC was wasted after nine strides in ten, whose DC differs) */
    return n;
}

/* The apparent power dead circuit C's rig would draw with the loads held (its
 * AC loads' demand and each started PSU's input at its loads' DC demand at the
 * source voltage, as step_chain() takes it for the edges not simulated), VA. */
static double prospective_va(const engine *e, size_t c)
{
    const struct ecircuit *ec = &e->circuits[c];
    double s = ec->demand_va;
    for (size_t j = 0; j < e->n_psus; j++) {
        const struct epsu *ep = &e->psus[j];
        if (ep->circuit != c || !ep->started) continue;
        double d = psu_input_power(ep->model, ep->held_dc_w, ep->ups >= 0 ? psu_v(e, ep) : ec->v0);
        s += d * va_per_w(e, ep, 1.0 / psu_power_factor(ep->model, ep->held_dc_w));
    }
    return s + ups_self(e, c, 0);
}

/* PSU EP's pending DC steps into its window probe. */
static void pr_flush(struct epsu *ep)
{
    if (ep->pr_pend > 0) {
        probe_push_n(ep->pr, ep->pr_pend_w, ep->pr_pend);
        if (ep->pr_pend_w > ep->pr_hi_w) ep->pr_hi_w = ep->pr_pend_w;
    }
    if (ep->pr_rpend > 0) {
        probe_push_ramp(ep->pr, ep->pr_rd0, ep->dc_slope, ep->pr_rpend);
        double last = ep->pr_rd0 + ep->dc_slope * (double)(ep->pr_rpend - 1);
        double hi = last > ep->pr_rd0 ? last : ep->pr_rd0;
        if (hi > ep->pr_hi_w) ep->pr_hi_w = hi;
    }
    ep->pr_pend = ep->pr_rpend = 0;
    ep->guard_valid = 0;
}

/* M steps of DC W into PSU EP's window probe, pushed later (pr_flush). */
static void pr_defer(struct epsu *ep, double w, size_t m)
{
    if (ep->pr_pend > 0 && !(ep->pr_pend_w == w)) pr_flush(ep);
    ep->pr_pend_w = w;
    ep->pr_pend += m;
}

static void pr_flush_all(engine *e)
{
    for (size_t j = e->g_p0; j < e->g_p1; j++)
        pr_flush(&e->psus[j]);
}

/* PSU J's guards per window (issue 14, 1): the steps, of at most CAP from now,
 * for which DC held keeps the OPP window and, until the first excursion is
 * recorded, each envelope window within its limit; the fixed path's single
 * steps take the step that would not (protect()). Asked once a stride, over
 * all of it: PEND of the stride's earlier steps are still to be pushed into the
 * probe, so the horizon is PEND + CAP, the stride's end. */
static size_t guard_ok(engine *e, size_t j, double dc, size_t pend, size_t cap)
{
    struct epsu *ep = &e->psus[j];
    if (!ep->guard_valid) {
        /* every sample in a window, the pending and held ones included, is at
         * most max(pr_hi_w, DC): below every limit, no window can reach one */
        double lim = ep->opp_w;
        int env = isnan(e->pres[j].excursion_time_s);
        for (int k = 0; env && k < ENGINE_N_WINDOWS - 1; k++)
            if (ep->env_w[k] < lim) lim = ep->env_w[k];
        if ((dc > ep->pr_hi_w ? dc : ep->pr_hi_w) <= lim * GUARD_MARGIN * GUARD_MARGIN) {
            ep->guard_j = pend + cap;
            ep->guard_valid = 1;
            return cap;
        }
        size_t jmax = probe_steps_within(ep->pr, ep->opp_k, dc, pend + cap,
                                         ep->opp_w * GUARD_MARGIN);
        if (isnan(e->pres[j].excursion_time_s))
            for (int k = 0; k < ENGINE_N_WINDOWS - 1 && jmax > pend; k++)
                if (isfinite(ep->env_w[k]))
                    jmax = probe_steps_within(ep->pr, (size_t)k, dc, jmax,
                                              ep->env_w[k] * GUARD_MARGIN);
        ep->guard_j = jmax;
        ep->guard_valid = 1;
    }
    return ep->guard_j > pend ? ep->guard_j - pend : 0;
}

/* The highest apparent power each circuit may reach over a piece of any length
 * (bulk_dev_bound, with chain_len()'s 5 % margin) into node_va[0]; 0 when a
 * circuit is dead, a PSU ramps or (ENERGY) a bulk capacitor may fall below
 * half-way to drop-out. Needs the PSUs' st_pd_w of chain_len(). */
static int bound_nodes(engine *e, int energy)
{
    for (size_t c = e->g_c0; c < e->g_c1; c++) {
        if (!e->circuits[c].alive) return 0;
        e->circuits[c].node_va[0] = e->circuits[c].load_va + ups_self(e, c, 0);
    }
    for (size_t j = e->g_p0; j < e->g_p1; j++) {
        struct epsu *ep = &e->psus[j];
        if (ep->dc_slope != 0.0) return 0;
        if (!ep->started || !ep->alive) continue;
        double dev_ac, dev_e, ref = bulk_energy_ref(ep->bk);
        bulk_dev_bound(ep->bk, ep->st_pd_w, &dev_ac, &dev_e);
        if (energy && ref - dev_e < ep->e_dropout_j + 0.5 * (ref - ep->e_dropout_j)) return 0;
        e->circuits[ep->circuit].node_va[0] += 1.05 * (ep->st_pd_w + dev_ac)
                                               * va_per_w(e, ep, 1.0 / pf_of(ep, ep->dc_w));
    }
    return 1;
}

/* Whether a composite piece of NC steps (chain_len(); stride() takes it as
 * sub-pieces of chain_stride()) stays clear of every limit chain_len() checks,
 * with the PFC trajectories bounded for any length (bulk_dev_bound) instead of
 * by a piece's nodes: no ramp, every circuit live, each bulk capacitor above
 * half-way to drop-out, each circuit's apparent power (with chain_len()'s 5 %
 * margin) below 70 % of the most a constant-power load can draw, its current
 * below half the lowest magnetic pick-up, its PSUs' input 2 % above brown-out,
 * and no breaker edge able to reach its trip point within NC steps. Needs the
 * PSUs' st_pd_w of chain_len(). */
static int comp_ok(engine *e, size_t nc)
{
    if (e->n_ups > 0 || e->n_panels > 0 || !bound_nodes(e, 1)) return 0;
    for (size_t c = e->g_c0; c < e->g_c1; c++) {
        const struct ecircuit *ec = &e->circuits[c];
        double s_hi = ec->node_va[0], i_hi, v_lo;
        if (s_hi >= 0.7 * ec->s_max_va) return 0;
        circuit_solve(ec->v0, ec->r_ohm, s_hi, &i_hi, &v_lo);
        if (i_hi >= 0.5 * ec->mag_min_a) return 0;
        for (size_t j = 0; j < e->n_psus; j++)
            if (e->psus[j].circuit == c && e->psus[j].started
                && v_lo < 1.02 * e->psus[j].min_input_v)
                return 0;
        double i2 = 1.05 * i_hi * i_hi;
        if (ec->def.n > 0 && 1.05 * ec->def.hi > i2) i2 = 1.05 * ec->def.hi;
        for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++)
            if (e->cres[c].edge_trip[edge] == BREAKER_CLOSED
                && breaker_heat_bound(ec->brk[edge], i2, nc + ec->def.n) >= 0.999
                && breaker_heat_after(ec->brk[edge], i2, nc + ec->def.n) >= 0.999)
                return 0;
    }
    return 1;
}

/* The magnetic element's window takes a stride of M steps in runs, each at the
 * mean of the parabola of I^2 over its steps: one run (MAG_PARTS) for a piece
 * that cannot reach the run's highest half-cycle mean, else MAG_PER_WINDOW runs
 * to a window's length (at most MAG_MAX_PARTS; three runs for every piece cost
 * 8 % of the seed rig's instructions for no change in any figure), and a stride of
 * at most MAG_STEPS steps that may reach it step by step along the parabola (one
 * run below MAG_FINE, as a longer one: 6 % of a 50 us Monte Carlo run's
 * instructions, every figure the same): the half-cycle window
 * (8.3 ms at 60 Hz, 8 steps at 1 ms) is not much longer than a stride in a
 * PFC transient (13 ms), and one run at the stride's mean flattened the PFC's
 * response to a spike: the highest half-cycle RMS came out 1.5 % low (3 % at
 * 1 ms steps); three runs to a 13 ms piece were still 0.55 % low on a 10 ms
 * spike at 50 us steps (tests/scenarios/excursion-outside.ini). */
enum { MAG_PARTS = 1, MAG_PER_WINDOW = 8, MAG_MAX_PARTS = 64, MAG_STEPS = 16 };
static const double MAG_FINE = 0.9;

/* Whether the piece chain_len() is sizing may be an exact one (EXACT_AMP):
 * every part live, no ramp, and no circuit's current, bounded for any length
 * (bulk_dev_bound) with chain_len()'s 5 % margin, near its highest half-cycle
 * mean so far (MAG_FINE: the half-cycle window then takes the piece as one run
 * of its mean, mag_push). Needs the PSUs' st_pd_w of chain_len(). */
static int exact_ok(engine *e)
{
    if (!bound_nodes(e, 0)) return 0;
    for (size_t c = e->g_c0; c < e->g_c1; c++) {
        const struct ecircuit *ec = &e->circuits[c];
        double i_hi, v_lo;
        if (!ec->mag) continue;
        circuit_solve(ec->v0, ec->r_ohm, ec->node_va[0], &i_hi, &v_lo);
        if (i_hi * i_hi >= MAG_FINE * probe_max(ec->mag, 0)) return 0;
    }
    return 1;
}

/* A two-mode departure c_r r^j + c_q q^j (bulk_dev_modes) at step J. */
static double mode_at(double c_r, double c_q, double ln_r, double ln_q, double j)
{
    return c_r * exp(j * ln_r) + c_q * exp(j * ln_q);
}

/* The real step in (0, N - 1) where c_r r^j + c_q q^j has its extremum (its
 * derivative c_r ln_r r^j + c_q ln_q q^j is 0 there), or -1. */
static double mode_extremum(double c_r, double c_q, double ln_r, double ln_q, size_t n)
{
    if (!(c_r != 0 && c_q != 0) || ln_r == ln_q) return -1.0;
    double ratio = -(c_q * ln_q) / (c_r * ln_r);
    if (!(ratio > 0)) return -1.0;
    double j = log(ratio) / (ln_r - ln_q);
    return j > 0 && j < (double)n - 1.0 ? j : -1.0;
}

/* The highest AC departure of PSU EP's modes (ex_m) over steps 0 .. N - 1:
 * the ends, or the steps either side of an inner maximum. */
static double modes_ac_max(const struct epsu *ep, size_t n)
{
    const struct bulk_modes *m = &ep->ex_m;
    double hi = m->ac_r + m->ac_q;
    double last = mode_at(m->ac_r, m->ac_q, m->ln_r, m->ln_q, (double)n - 1.0);
    if (last > hi) hi = last;
    double x = mode_extremum(m->ac_r, m->ac_q, m->ln_r, m->ln_q, n);
    if (x >= 0)
        for (double j = floor(x); j <= floor(x) + 1.0; j += 1.0) {
            double v = mode_at(m->ac_r, m->ac_q, m->ln_r, m->ln_q, j);
            if (v > hi) hi = v;
        }
    return hi;
}

/* sum_{j<M} exp(j L), L < 0; E's memo (geo) keeps the last few. */
static double geo_sum(const engine *e, double l, size_t m)
{
    /* the memo is no part of the model: a const engine may fill it (every
     * engine is allocated by engine_new(), never a const object) */
    engine *w = (engine *)e;
    for (int k = 0; k < 4; k++)
        if (w->geo[k].m == m && w->geo[k].l == l) return w->geo[k].v;
    struct geo_memo *g = &w->geo[w->geo_next++ & 3];
    g->l = l;
    g->m = m;
    g->v = expm1((double)m * l) / expm1(l);
    return g->v;
}

/* Circuit C's sum of d(j)^2 over a large exact piece of M steps: d(j) the sum
 * over its PSUs of their two modes over their power factor (ex_m, ex_w), so
 * the sum is one over pairs of PSUs and of modes of geometric sums. */
static double dev2_modes(const engine *e, size_t c, size_t m)
{
    double sum = 0.0;
    for (size_t p = 0; p < e->n_psus; p++) {
        const struct epsu *a = &e->psus[p];
        if (a->circuit != c || a->ex_w == 0.0) continue;
        const struct bulk_modes *x = &a->ex_m;
        for (size_t q = p; q < e->n_psus; q++) {
            const struct epsu *b = &e->psus[q];
            if (b->circuit != c || b->ex_w == 0.0) continue;
            const struct bulk_modes *y = &b->ex_m;
            double g = x->ac_r * y->ac_r * geo_sum(e, x->ln_r + y->ln_r, m)
                       + x->ac_r * y->ac_q * geo_sum(e, x->ln_r + y->ln_q, m)
                       + x->ac_q * y->ac_r * geo_sum(e, x->ln_q + y->ln_r, m)
                       + x->ac_q * y->ac_q * geo_sum(e, x->ln_q + y->ln_q, m);
            sum += (q == p ? 1.0 : 2.0) * a->ex_w * b->ex_w * g;
        }
    }
    return sum > 0 ? sum : 0.0;
}

/* A ramp's steady AC course at step J of an exact ramp piece (e->exact 3):
 * the parabola through its input power (st_pd_*) plus the bend's steady
 * offset (ex_m), W. */
static double ramp_course(const struct epsu *ep, double j)
{
    return ep->st_pd_w + ep->st_pd_s * j + ep->st_pd_c * j * j + ep->ex_m.ac_steady_w;
}

/* Its 1 / PF at step J: the parabola through the piece's nodes (ex_wn;
 * ramp_bent holds the curve within RAMP_CURVE of a parabola there). */
static double ramp_w(const engine *e, const struct epsu *ep, double j)
{
    const double h = e->ex_span / 2.0, w0 = ep->ex_wn[0];
    const double wc = (ep->ex_wn[2] - 2.0 * ep->ex_wn[1] + w0) / (2.0 * h * h);
    return w0 + ((ep->ex_wn[1] - w0) / h - wc * h) * j + wc * j * j;
}

/* Circuit C's apparent power at step J of a large exact piece: its AC loads,
 * a UPS's own draw, and each live PSU's demand plus its modes over its power
 * factor (ex_w); a PSU on a ramp (an exact ramp piece or a transient's,
 * chain_stride) its steady course plus its modes over its 1 / PF at J. */
static double modes_va(const engine *e, size_t c, double j)
{
    const struct ecircuit *ec = &e->circuits[c];
    double s = ec->load_va + ups_self(e, c, 0);
    for (size_t p = 0; p < e->n_psus; p++) {
        const struct epsu *ep = &e->psus[p];
        if (ep->circuit != c || ep->ex_w == 0.0) continue;
        const struct bulk_modes *m = &ep->ex_m;
        if (ep->dc_slope != 0.0)
            s += (ramp_course(ep, j) + mode_at(m->ac_r, m->ac_q, m->ln_r, m->ln_q, j))
                 * ramp_w(e, ep, j);
        else
            s += (ep->st_pd_w + mode_at(m->ac_r, m->ac_q, m->ln_r, m->ln_q, j)) * ep->ex_w;
    }
    return s;
}

/* The steps inside (0, N - 1) of a ramp piece of N steps where PSU EP's AC
 * power, its steady course plus its modes (ex_m), has an extremum: the zeros
 * of F(j) = s + 2 c j + a ln_r r^j + b ln_q q^j. F' = 2 c + a ln_r^2 r^j +
 * b ln_q^2 q^j; with the bend c small against the modes' curvature, F is
 * monotone on either side of the modes' own inflection (mode_extremum of the
 * derivative's coefficients), so each side holds at most one zero, found by
 * Newton's method kept inside its bracket (bisection when it would leave it),
 * to a tenth of a step. Returns how many (0-2) it wrote into X. */
static int ramp_extrema(const struct epsu *ep, size_t n, double x[2])
{
    const struct bulk_modes *m = &ep->ex_m;
    const double a = m->ac_r * m->ln_r, b = m->ac_q * m->ln_q;
    const double a2 = a * m->ln_r, b2 = b * m->ln_q;
    const double s1 = ep->st_pd_s, c2 = 2.0 * ep->st_pd_c, last = (double)n - 1.0;
    double cut[3] = { 0.0, last, last }, f_at[3];
    int parts = 1, found = 0;
    double ji = mode_extremum(a, b, m->ln_r, m->ln_q, n);
    if (ji > 0) {
        cut[1] = ji;
        parts = 2;
    }
    f_at[0] = s1 + a + b;                                    /* j = 0 */
    for (int k = 1; k <= parts; k++)
        f_at[k] = s1 + c2 * cut[k] + a * exp(cut[k] * m->ln_r) + b * exp(cut[k] * m->ln_q);
    for (int i = 0; i < parts; i++) {
        double lo = cut[i], hi = cut[i + 1], flo = f_at[i];
        if (!(flo * f_at[i + 1] < 0)) continue;
        double j = 0.5 * (lo + hi);
        for (int it = 0; it < 60; it++) {
            double er = exp(j * m->ln_r), eq = exp(j * m->ln_q);
            double f = s1 + c2 * j + a * er + b * eq;
            if (f == 0.0) break;
            if ((f < 0) == (flo < 0)) {
                lo = j;
                flo = f;
            } else {
                hi = j;
            }
            double d = c2 + a2 * er + b2 * eq;
            double nj = d != 0.0 ? j - f / d : NAN;
            if (!(nj > lo && nj < hi)) nj = 0.5 * (lo + hi);
            int done = fabs(nj - j) < 0.05 || hi - lo < 0.1;
            j = nj;
            if (done) break;
        }
        if (j > 0 && j < last) x[found++] = j;
    }
    return found;
}

/* The second-order expansion of circuit C's current (and of the rig's share)
 * around its PSUs' demand S_D over a piece whose departure d reaches DEV (VA)
 * either way with sum d^2 = MSR n DEV^2: the remainder at +-DEV against the
 * exact I(S) is the cubic term's c DEV^3 (and less of the next), so the sums'
 * remainder is at most c DEV sum d^2, the pointwise one times MSR; below
 * LONG_EXPAND of the current and of its square. */
static int expansion_ok(const engine *e, size_t c, double s_d, double dev, double msr)
{
    const struct ecircuit *ec = &e->circuits[c];
    double i_d, v_d;
    if (circuit_solve(ec->v0, ec->r_ohm, s_d, &i_d, &v_d) != 0 || !(i_d > 0)) return 0;
    double dd = 2.0 * v_d - ec->v0;
    double i1 = 1.0 / dd, i2c = 2.0 * ec->r_ohm / (dd * dd * dd);
    double l = ec->load_va;
    /* the rig's share g(S) = I(S) (S - L) / S and its derivatives */
    double g = i_d * (s_d - l) / s_d;
    double g1 = i1 * (s_d - l) / s_d + i_d * l / (s_d * s_d);
    double g2 = i2c * (s_d - l) / s_d + 2.0 * i1 * l / (s_d * s_d)
                - 2.0 * i_d * l / (s_d * s_d * s_d);
    for (int sg = -1; sg <= 1; sg += 2) {
        double d = sg * dev, s = s_d + d, i, v;
        if (!(s > 0) || circuit_solve(ec->v0, ec->r_ohm, s, &i, &v) != 0) return 0;
        double qi = i_d + i1 * d + 0.5 * i2c * d * d;
        double qi2 = i_d * i_d + 2.0 * i_d * i1 * d + (i1 * i1 + i_d * i2c) * d * d;
        if (msr * fabs(i - qi) > LONG_EXPAND * i_d
            || msr * fabs(i * i - qi2) > LONG_EXPAND * i_d * i_d)
            return 0;
        if (l > 0) {
            double gs = i * (s - l) / s, qg2 = g * g + 2.0 * g * g1 * d + (g1 * g1 + g * g2) * d * d;
            if (msr * fabs(gs * gs - qg2) > LONG_EXPAND * i_d * i_d) return 0;
        }
    }
    return 1;
}

/* Whether the piece of N steps chain_len() is sizing may be a large exact one
 * (LONG_*): no UPS or panel, every part live, no ramp, each capacitor above
 * half-way to drop-out for any length (bound_nodes), every live PSU's departure
 * as two modes (ex_m, filled here for chain_len() and chain_stride()), and each
 * circuit's expansion good to LONG_EXPAND over the piece (expansion_ok). Needs
 * the PSUs' st_pd_w of chain_len(). */
static int long_exact_ok(engine *e, size_t n)
{
    if (e->n_ups > 0 || e->n_panels > 0 || !bound_nodes(e, 1)) return 0;
    for (size_t c = e->g_c0; c < e->g_c1; c++)
        e->circuits[c].node_va[1] = 0.0;
    for (size_t j = e->g_p0; j < e->g_p1; j++) {
        struct epsu *ep = &e->psus[j];
        ep->ex_w = 0.0;
        if (!ep->started || !ep->alive) continue;
        if (bulk_dev_modes(ep->bk, ep->st_pd_w, &ep->ex_m) != 0) return 0;
        const struct bulk_modes *m = &ep->ex_m;
        double dev = fabs(m->ac_r + m->ac_q);
        double x = mode_extremum(m->ac_r, m->ac_q, m->ln_r, m->ln_q, SIZE_MAX);
        if (x >= 0) {
            double v = fabs(mode_at(m->ac_r, m->ac_q, m->ln_r, m->ln_q, x));
            if (v > dev) dev = v;
        }
        ep->ex_w = va_per_w(e, ep, 1.0 / pf_of(ep, ep->dc_w));
        e->circuits[ep->circuit].node_va[1] += 1.05 * dev * ep->ex_w;
    }
    for (size_t c = e->g_c0; c < e->g_c1; c++) {
        const struct ecircuit *ec = &e->circuits[c];
        double s_d = ec->load_va + ups_self(e, c, 0);
        for (size_t j = 0; j < e->n_psus; j++)
            if (e->psus[j].circuit == c && e->psus[j].ex_w != 0.0)
                s_d += e->psus[j].st_pd_w * e->psus[j].ex_w;
        double dev = ec->node_va[1];
        if (!(dev > 0)) continue;
        double msr = dev2_modes(e, c, n) / ((double)n * dev * dev / (1.05 * 1.05));
        if (!expansion_ok(e, c, s_d, dev, msr < 1.0 ? msr : 1.0)) return 0;
    }
    return 1;
}

/* The circuit's current I(S) (circuit_solve) and its first two derivatives
 * at apparent power S: I' = 1 / D, I'' = 2 R / D^3, D = 2 V - V0. */
static void current_of(const struct ecircuit *ec, double s_va, double *i, double *i1,
                       double *i2c)
{
    double v;
    circuit_solve(ec->v0, ec->r_ohm, s_va, i, &v);
    double dd = 2.0 * v - ec->v0;
    *i1 = 1.0 / dd;
    *i2c = 2.0 * ec->r_ohm / (dd * dd * dd);
}

/* Whether PSU EP's AC power stays at or above 0 over the next N steps of its
 * demand (held at st_pd_w, or its ramp st_pd_*): the closed forms are the
 * unclamped model (bulk.c: the PFC's diode bridge floors it at 0), so a piece
 * that would go below takes single steps instead. First the departure's lowest
 * for any length (bulk_ac_low_w: 14 % of a drop) against the demand's lowest,
 * then, where that reaches below 0 (a drop to below about an eighth), the
 * piece's ends and the AC power's extrema inside in closed form (the modes;
 * ramp_extrema). */
static int ramp_extrema(const struct epsu *ep, size_t n, double x[2]);

static int ac_stays_positive(struct epsu *ep, size_t n)
{
    const double last = (double)n - 1.0;
    double lo;
    if (ep->dc_slope == 0.0) {
        const double p_d = ep->st_pd_w;
        if (bulk_ac_low_w(ep->bk, p_d) >= 0.0) return 1;
        struct bulk_modes md;
        if (bulk_dev_modes(ep->bk, p_d, &md) != 0) return 0;
        lo = p_d + (md.ac_r + md.ac_q);
        double end = p_d + mode_at(md.ac_r, md.ac_q, md.ln_r, md.ln_q, last);
        if (end < lo) lo = end;
        double x = mode_extremum(md.ac_r, md.ac_q, md.ln_r, md.ln_q, n);
        for (double j = floor(x); x >= 0 && j <= floor(x) + 1.0 && j <= last; j += 1.0) {
            double v = p_d + mode_at(md.ac_r, md.ac_q, md.ln_r, md.ln_q, j);
            if (v < lo) lo = v;
        }
        return lo >= 0.0;
    }
    const double p0 = ep->st_pd_w, s = ep->st_pd_s, c = ep->st_pd_c;
    double pe = p0 + s * last + c * last * last, course = p0 < pe ? p0 : pe;
    double xv = c > 0 ? -s / (2.0 * c) : -1.0;
    if (xv > 0 && xv < last && p0 + s * xv + c * xv * xv < course)
        course = p0 + s * xv + c * xv * xv;
    if (course + bulk_ac_low_ramp_w(ep->bk, p0, s, c) >= 0.0) return 1;
    if (bulk_ramp_modes(ep->bk, p0, s, c, &ep->ex_m) != 0) return 0;
    double x[2];
    int k = ramp_extrema(ep, n, x);
    lo = bulk_peek_ac_ramp(ep->bk, p0, s, c, 0.0);
    double end = bulk_peek_ac_ramp(ep->bk, p0, s, c, last);
    if (end < lo) lo = end;
    for (int q = 0; q < k; q++)
        for (double j = floor(x[q]); j <= floor(x[q]) + 1.0 && j <= last; j += 1.0) {
            double v = bulk_peek_ac_ramp(ep->bk, p0, s, c, j);
            if (v < lo) lo = v;
        }
    return lo >= 0.0;
}

static void ramp_fit(double p0, double pm, double p1, size_t n, double *s, double *c);

/* Circuit C's steady course (its AC loads and each PSU's ramp course over its
 * 1 / PF) at steps JN[K] of an exact ramp piece of N steps, VA: at the nodes
 * (K < 3: JN the first, middle and last step) each PSU's 1 / PF there, at
 * other steps the parabola through them. */
static void ramp_nodes_va(const engine *e, size_t c, size_t n, const double *jn, int k_n,
                          double *s_sm)
{
    for (int k = 0; k < k_n; k++) s_sm[k] = e->circuits[c].load_va;
    for (size_t p = 0; p < e->n_psus; p++) {
        const struct epsu *ep = &e->psus[p];
        if (ep->circuit != c || ep->ex_w == 0.0) continue;
        double ws, wc;
        ramp_fit(ep->ex_wn[0], ep->ex_wn[1], ep->ex_wn[2], n, &ws, &wc);
        for (int k = 0; k < k_n; k++)
            s_sm[k] += ramp_course(ep, jn[k])
                       * (k < 3 ? ep->ex_wn[k] : ep->ex_wn[0] + ws * jn[k] + wc * jn[k] * jn[k]);
    }
}

/* The series ramp_sums() takes as parabolas through an exact ramp piece's
 * nodes (circuit C's I', 2 I I' and the rig's 2 g g' over its steady course),
 * at steps JN[K] (the nodes, then the quarter steps). */
static void ramp_series(const engine *e, size_t c, size_t n, const double *jn, int k_n,
                        double y[3][5], double i_at[5])
{
    const struct ecircuit *ec = &e->circuits[c];
    const double l = ec->load_va;
    double s_sm[5];
    ramp_nodes_va(e, c, n, jn, k_n, s_sm);
    for (int k = 0; k < k_n; k++) {
        double i, i1, i2c;
        current_of(ec, s_sm[k], &i, &i1, &i2c);
        double g = i * (s_sm[k] - l) / s_sm[k];
        double g1 = i1 * (s_sm[k] - l) / s_sm[k] + i * l / (s_sm[k] * s_sm[k]);
        y[0][k] = i1;
        y[1][k] = 2.0 * i * i1;
        y[2][k] = 2.0 * g * g1;
        i_at[k] = i;
    }
}

/* Whether the piece of N steps chain_len() is sizing may be a large exact one
 * on ramps (e->exact 3; issue 14, 2: a trace's segment after a spike or a
 * change of slope is a PFC transient over most of its length): no UPS or panel,
 * every part live and every live PSU on a ramp, each capacitor above half-way
 * to drop-out over the piece (its steady course and its departure's bound,
 * bulk_ramp_dev_bound), each PSU's departure as two modes (ex_m, with its
 * nodes' 1 / PF in ex_wn), and each circuit's expansion around its steady
 * course good to LONG_EXPAND: the cubic remainder at its largest departure
 * (expansion_ok, at the middle node), and the lines ramp_sums() takes for I'
 * and 2 I I' over the piece and for each PSU's 1 / PF, whose bend at the
 * middle times the departure stays below LONG_EXPAND of the current (of its
 * square). Needs the PSUs' st_pd_* of chain_len(). */
static int long_ramp_ok(engine *e, size_t n)
{
    if (e->n_ups > 0 || e->n_panels > 0) return 0;
    const double last = (double)n - 1.0, jn[3] = { 0.0, last / 2.0, last };
    e->ex_span = last;
    for (size_t c = e->g_c0; c < e->g_c1; c++) {
        if (!e->circuits[c].alive) return 0;
        e->circuits[c].node_va[1] = 0.0;
    }
    for (size_t j = e->g_p0; j < e->g_p1; j++) {
        struct epsu *ep = &e->psus[j];
        ep->ex_w = 0.0;
        if (!ep->started || !ep->alive) continue;
        if (ep->dc_slope == 0.0) return 0;
        struct bulk_modes *m = &ep->ex_m;
        if (bulk_ramp_modes(ep->bk, ep->st_pd_w, ep->st_pd_s, ep->st_pd_c, m) != 0) return 0;
        double dac, de, ref = bulk_energy_ref(ep->bk);
        bulk_ramp_dev_bound(ep->bk, ep->st_pd_w, ep->st_pd_s, ep->st_pd_c, &dac, &de);
        double e_lo = ref + m->e_steady_j + (m->e_drift_j < 0 ? m->e_drift_j * last : 0.0) - de;
        if (e_lo < ep->e_dropout_j + 0.5 * (ref - ep->e_dropout_j)) return 0;
        double dev = fabs(m->ac_r + m->ac_q);
        double x = mode_extremum(m->ac_r, m->ac_q, m->ln_r, m->ln_q, n);
        if (x >= 0) {
            double v = fabs(mode_at(m->ac_r, m->ac_q, m->ln_r, m->ln_q, x));
            if (v > dev) dev = v;
        }
        double w_hi = 0.0;
        for (int k = 0; k < 3; k++) {
            double pf = ep->st_pf_n == n
                            ? ep->st_pf[k]
                            : psu_power_factor(ep->model, ep->dc_w + ep->dc_slope * jn[k]);
            ep->ex_wn[k] = va_per_w(e, ep, 1.0 / pf);
            if (ep->ex_wn[k] > w_hi) w_hi = ep->ex_wn[k];
        }
        ep->ex_w = ep->ex_wn[1];
        /* the 1 / PF line's bend, against the current's own share (below) */
        e->circuits[ep->circuit].node_va[1] += 1.05 * dev * w_hi;
    }
    for (size_t c = e->g_c0; c < e->g_c1; c++) {
        const struct ecircuit *ec = &e->circuits[c];
        double dev = ec->node_va[1];
        if (!(dev > 0)) continue;
        const double jq[5] = { jn[0], jn[1], jn[2], last / 4.0, 3.0 * last / 4.0 };
        double y[3][5], i[5], s_sm[3];
        ramp_nodes_va(e, c, n, jq, 3, s_sm);
        for (int k = 0; k < 3; k++)
            if (!(s_sm[k] > 0)) return 0;
        ramp_series(e, c, n, jq, 5, y, i);
        double i_lo = min3(i[0], i[1], i[2]);
        if (!(i_lo > 0)) return 0;
        double msr = dev2_modes(e, c, n) / ((double)n * dev * dev / (1.05 * 1.05));
        if (!expansion_ok(e, c, s_sm[1], dev, msr < 1.0 ? msr : 1.0)) return 0;
        /* each series against its parabola at the quarter steps, and the
         * cubic and quartic terms its product with each PSU's 1 / PF parabola
         * drops (ramp_sums), times the departure: below LONG_EXPAND of the
         * current (of its square for 2 I I' and 2 g g') */
        for (int q = 0; q < 3; q++) {
            double ys, yc;
            ramp_fit(y[q][0], y[q][1], y[q][2], n, &ys, &yc);
            double tol = LONG_EXPAND * (q == 0 ? i_lo : i_lo * i_lo);
            for (int k = 3; k < 5; k++)
                if (fabs(y[q][k] - (y[q][0] + ys * jq[k] + yc * jq[k] * jq[k])) * dev > tol)
                    return 0;
            for (size_t j = e->g_p0; j < e->g_p1; j++) {
                const struct epsu *ep = &e->psus[j];
                if (ep->circuit != c || ep->ex_w == 0.0) continue;
                double ws, wc;
                ramp_fit(ep->ex_wn[0], ep->ex_wn[1], ep->ex_wn[2], n, &ws, &wc);
                double k3 = fabs(ys * wc + yc * ws) * last * last * last;
                double k4 = fabs(yc * wc) * last * last * last * last;
                if ((k3 + k4) * dev > tol) return 0;
            }
        }
    }
    return 1;
}

/* The parabola P0 + S j + C j^2 through a ramp piece's input power at its
 * first (P0), middle (PM) and last (P1) of N steps (bulk_advance_ramp). */
static void ramp_fit(double p0, double pm, double p1, size_t n, double *s, double *c)
{
    double h = ((double)n - 1.0) / 2.0;
    *c = (p1 - 2.0 * pm + p0) / (2.0 * h * h);
    *s = (pm - p0) / h - *c * h;
}

/* Whether PSU EP's curve is a parabola over a ramp piece of N steps from DC D0
 * (input power P0 at input voltage V): the parabola through the input power at
 * the piece's first, middle and last step (ramp_fit: *S, *C) within RAMP_CURVE
 * of the curve at the quarter points, and the same for the power factor (the
 * circuit takes each node's). A cubic's departure from that parabola is
 * highest at 0.21 and 0.79 of the piece, 3 % above its value at the quarter
 * points; the curves are Steffen splines (psu.c), cubics between their points. */
static int ramp_bent(struct epsu *ep, double d0, double v, size_t n, double p0,
                     double *s, double *c)
{
    const double span = ep->dc_slope * ((double)n - 1.0);
    double pm = psu_input_power(ep->model, d0 + 0.5 * span, v);
    double p1 = psu_input_power(ep->model, d0 + span, v);
    ramp_fit(p0, pm, p1, n, s, c);
    if (n < 4) return 1;
    /* the parabola through (0, f0), (1/2, fm), (1, f1) at 1/4 and 3/4 */
    double q1 = psu_input_power(ep->model, d0 + 0.25 * span, v);
    double q3 = psu_input_power(ep->model, d0 + 0.75 * span, v);
    if (fabs(q1 - (0.375 * p0 + 0.75 * pm - 0.125 * p1)) > RAMP_CURVE * (q1 + 1.0)
        || fabs(q3 - (-0.125 * p0 + 0.75 * pm + 0.375 * p1)) > RAMP_CURVE * (q3 + 1.0))
        return 0;
    /* the nodes' power factors, kept for chain_len() (the same arguments,
     * so the same values) */
    double f0 = psu_power_factor(ep->model, d0), fm = psu_power_factor(ep->model, d0 + 0.5 * span);
    double f1 = psu_power_factor(ep->model, d0 + span);
    double g1 = psu_power_factor(ep->model, d0 + 0.25 * span);
    double g3 = psu_power_factor(ep->model, d0 + 0.75 * span);
    ep->st_pf[0] = f0;
    ep->st_pf[1] = fm;
    ep->st_pf[2] = f1;
    ep->st_pf_n = n;
    return fabs(g1 - (0.375 * f0 + 0.75 * fm - 0.125 * f1)) <= RAMP_CURVE * g1
           && fabs(g3 - (-0.125 * f0 + 0.75 * fm + 0.375 * f1)) <= RAMP_CURVE * g3;
}

/* How many steps from step S the PSUs, circuits and breakers can advance in
 * one chain stride with each PSU's DC load (ep->dc_w) and the AC loads
 * (ec->load_va) held, at most CAP (1: a single chain step). Fills the PSUs'
 * look-ahead (st_*), which chain_stride() reuses. */
static size_t chain_len(engine *e, size_t cap)
{
    const int cur = e->cur;
    size_t n = cap;
    int settled = 1;
    double amp = 0;         /* the largest PFC transient left, share of its demand */

    e->comp_k = 1;
    e->exact = 0;
    e->inrush = 0;
    e->trim = 1;
    for (size_t u = 0; u < e->n_ups; u++) {
        struct eups *eu = &e->ups[u];
        if (eu->alive && (eu->on_batt || !e->circuits[eu->circuit].alive)) return 1;
        eu->hi_w = eu->hi_va = 0;
    }

    for (size_t j = e->g_p0; j < e->g_p1; j++) {
        struct epsu *ep = &e->psus[j];
        if (ep->inrush_a > 0) {
            /* its inrush (inrush_piece): pieces of at most INRUSH_PIECE of its
             * time constant (and INRUSH_BODY of the fastest breaker body's),
             * the last ending on the step where the fixed path ends it; single
             * steps behind a UPS, on a dead circuit or without a decay */
            if (ep->ups >= 0 || !e->circuits[ep->circuit].alive || !(ep->inrush_ln < 0))
                return 1;
            size_t k = inrush_steps(ep);
            double h = INRUSH_PIECE / -ep->inrush_ln;
            for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++) {
                double ln_f, ln_s;
                breaker_decay_ln(e->circuits[ep->circuit].brk[edge], &ln_f, &ln_s);
                if (ln_f < 0 && INRUSH_BODY / -ln_f < h) h = INRUSH_BODY / -ln_f;
                if (ln_s < 0 && INRUSH_BODY / -ln_s < h) h = INRUSH_BODY / -ln_s;
            }
            if (h < INRUSH_MIN_STEPS) return 1;   /* single steps cost less */
            if (h < (double)k) k = (size_t)h;
            if (k < n) n = k;
            if (n < 2) return 1;
            e->inrush = 1;
        }
        if (!ep->alive || !ep->started) continue;
        if (ep->pending) return 1;
        /* guards per window (issue 14, 1): the piece runs until the first step
         * at which the OPP window or, until the first excursion is recorded,
         * an envelope window would exceed its limit with the DC held; the
         * fixed path's single steps take that step (protect()) */
        if (ep->dc_slope != 0.0) {
            /* a ramp (a trace's straight piece): the guards with its highest
             * DC over the piece held (an upper bound, so never too long), and
             * a piece short enough that the PSU curve is a parabola over it
             * (ramp_bent) */
            double d0 = ep->dc_w;
            /* the guards once a stride (the pieces' ramp waits in pr_rpend),
             * with its highest DC from the pending part to the stride's end */
            double d1 = d0 + ep->dc_slope * (double)(cap - 1);
            double hi_dc = d0 > d1 ? d0 : d1;
            if (ep->pr_rpend > 0 && ep->pr_rd0 > hi_dc) hi_dc = ep->pr_rd0;
            size_t ok = guard_ok(e, j, hi_dc, ep->pr_rpend, cap);
            if (ok < n) n = ok;
            if (n < 2) return 1;
            /* start from twice the DC span last found a parabola when near
             * where it was found (the bend changes slowly along the curve; a
             * spike's stride jumps along it), halve until it is one; a piece
             * cut short by anything else (a spike's stride, the stride's end)
             * leaves the span as it was */
            double slope = fabs(ep->dc_slope);
            if (ep->ramp_span > 0 && d0 >= ep->ramp_lo - ep->ramp_span
                && d0 <= ep->ramp_hi + ep->ramp_span) {
                double k = 2.0 * ep->ramp_span / slope + 1.0;
                if (k < (double)n) n = k >= 2.0 ? (size_t)k : 2;
            }
            size_t n0 = n;
            double v = psu_v(e, ep);
            double p0 = psu_input_power(ep->model, d0, v), s_pd, c_pd;
            ep->st_pf_n = 0;
            while (!ramp_bent(ep, d0, v, n, p0, &s_pd, &c_pd) && n >= 4) n /= 2;
            double span = slope * (double)(n - 1);
            if (n < n0 || span > ep->ramp_span) ep->ramp_span = span;
            ep->ramp_lo = ep->dc_slope > 0 ? d0 : d0 - span;
            ep->ramp_hi = ep->dc_slope > 0 ? d0 + span : d0;
            double en = bulk_energy(ep->bk), ref = bulk_energy_ref(ep->bk);
            if (en < ep->e_dropout_j + 0.5 * (ref - ep->e_dropout_j)) return 1;
            ep->st_dc_w = d0;
            ep->st_dcs = ep->dc_slope;
            ep->st_pd_w = p0;
            ep->st_pd_s = s_pd;
            ep->st_pd_c = c_pd;
            ep->st_ac_w[0] = bulk_peek_ac_ramp(ep->bk, p0, s_pd, c_pd, 0.0);
            double left = bulk_unsettled_ramp_w(ep->bk, p0, s_pd, c_pd) / (p0 + 1.0);
            if (left > STRIDE_SETTLED && !ac_stays_positive(ep, n)) return 1;
            if (left > STRIDE_SETTLED) settled = 0;
            if (left > amp) amp = left;
            continue;
        }
        if (ep->pr_pend > 0 && !(ep->pr_pend_w == ep->dc_w)) pr_flush(ep);
        size_t ok = guard_ok(e, j, ep->dc_w, ep->pr_pend, cap);
        if (ok < n) n = ok;
        if (n < 2) return 1;
        double en = bulk_energy(ep->bk), ref = bulk_energy_ref(ep->bk);
        if (en < ep->e_dropout_j + 0.5 * (ref - ep->e_dropout_j)) return 1;
        double p_d = psu_input_power(ep->model, ep->dc_w, psu_v(e, ep));
        ep->st_dc_w = ep->dc_w;
        ep->st_dcs = 0.0;
        ep->st_pd_w = p_d;
        ep->st_pd_s = 0.0;
        ep->st_ac_w[0] = bulk_peek_ac(ep->bk, p_d, 0.0);
        double left = bulk_unsettled_w(ep->bk, p_d) / (p_d + 1.0);
        if (left > STRIDE_SETTLED && !ac_stays_positive(ep, n)) return 1;
        if (left > STRIDE_SETTLED) settled = 0;
        if (left > amp) amp = left;
    }
    /* in a transient no edge may reach its trip point inside the piece (the
     * circuits' checks below halve it until none does): nothing to trim */
    e->trim = settled;
    /* the parabola's error over a piece of L grows as the transient's share AMP
     * times (L / tau)^4 (Simpson): half a time constant, and as much longer for
     * the small transients a millisecond spike leaves as keeps AMP (L / tau)^4
     * at its value for AMP = STRIDE_AMP_REF */
    size_t short_steps = 0, long_n = 0;
    if (!settled) {
        double f = amp < STRIDE_AMP_REF ? pow(amp / STRIDE_AMP_REF, -0.25) : 1.0;
        if (f * STRIDE_SHORT > STRIDE_SHORT_MAX) f = STRIDE_SHORT_MAX / STRIDE_SHORT;
        short_steps = (size_t)(e->stride_tau_s / e->dt_s * STRIDE_SHORT * f);
    }
    if (!settled && amp <= EXACT_AMP && !e->inrush && exact_ok(e)) {
        if (e->exact_steps < n) n = e->exact_steps;
        e->exact = n >= 2;
    } else if (!settled && !e->inrush && n > 2 * short_steps && e->long_steps > 2 * short_steps
               && long_exact_ok(e, n < e->long_steps ? n : e->long_steps)) {
        /* a large transient longer than two of its pieces: one exact piece */
        if (e->long_steps < n) n = e->long_steps;
        e->exact = 2;
        long_n = n;
    } else if (!settled && !e->inrush && n > short_steps && e->long_steps > short_steps
               && long_ramp_ok(e, n < e->long_steps ? n : e->long_steps)) {
        /* ... and on ramps (a trace's segments), once longer than one of its
         * pieces (a ramp's piece costs more than a held one's: its curve) */
        if (e->long_steps < n) n = e->long_steps;
        e->exact = 3;
        long_n = n;
    } else if (!settled) {
        if (short_steps < n) {
            size_t k = n / short_steps;
            if (k > STRIDE_COMP_MAX) k = STRIDE_COMP_MAX;
            if (k >= 2 && short_steps >= 2 && !e->inrush && comp_ok(e, k * short_steps)) {
                e->comp_k = k;
                e->comp_l = short_steps;
                return k * short_steps;
            }
            n = short_steps;
        }
    }
    if (n < 2) return 1;

    /* the circuits over the stride: the highest apparent power the PSUs' PFC
     * trajectories reach (a sum of two decaying exponentials towards the demand,
     * at most one extremum: the stride's first, middle and last step, the demand
     * itself and a 5 % margin bound it in strides of at most half a time
     * constant, and a settled one is flat), and what it means for voltage,
     * current and heat */
    for (size_t c = e->g_c0; c < e->g_c1; c++)
            e->circuits[c].node_va[0] = e->circuits[c].load_va + ups_self(e, c, 0);
    for (size_t j = e->g_p0; j < e->g_p1; j++) {
        struct epsu *ep = &e->psus[j];
        if (!ep->started || !ep->alive) continue;
        struct ecircuit *ec = &e->circuits[ep->circuit];
        ep->st_n = n;
        if (ep->dc_slope != 0.0) {
            /* (the parabola of chain_len's length; piece_nodes() redoes it for
             * the piece) */
            double jm = ((double)n - 1.0) / 2.0, je = (double)n - 1.0;
            double pm = ep->st_pd_w + ep->st_pd_s * jm + ep->st_pd_c * jm * jm;
            double pe = ep->st_pd_w + ep->st_pd_s * je + ep->st_pd_c * je * je;
            ep->st_ac_w[1] = bulk_peek_ac_ramp(ep->bk, ep->st_pd_w, ep->st_pd_s, ep->st_pd_c, jm);
            ep->st_ac_w[2] = bulk_peek_ac_ramp(ep->bk, ep->st_pd_w, ep->st_pd_s, ep->st_pd_c, je);
            double hi = 1.05 * max3(max3(ep->st_ac_w[0], ep->st_ac_w[1], ep->st_ac_w[2]),
                                    max3(ep->st_pd_w, pm, pe), 0.0);
            if (e->exact == 3) {
                /* the steady course's highest and the modes' own (the overshoot) */
                double d_hi = modes_ac_max(ep, n), top = max3(ep->st_pd_w, pm, pe);
                double xv = ep->st_pd_c < 0 ? -ep->st_pd_s / (2.0 * ep->st_pd_c) : -1.0;
                if (xv > 0 && xv < je) {
                    double pv = ep->st_pd_w + ep->st_pd_s * xv + ep->st_pd_c * xv * xv;
                    if (pv > top) top = pv;
                }
                double h3 = 1.05 * (top + ep->ex_m.ac_steady_w + (d_hi > 0 ? d_hi : 0.0));
                if (h3 > hi) hi = h3;
            }
            if (ep->st_pf_n != n)        /* (ramp_bent's for this length: kept) */
                for (int k = 0; k < 3; k++)
                    ep->st_pf[k] = psu_power_factor(ep->model, ep->dc_w + ep->dc_slope
                                                                   * ((double)n - 1.0) * 0.5 * k);
            double ipf = 1.0 / min3(ep->st_pf[0], ep->st_pf[1], ep->st_pf[2]);
            ec->node_va[0] += hi * va_per_w(e, ep, ipf);
            if (ep->ups >= 0) {
                e->ups[ep->ups].hi_w += hi;
                e->ups[ep->ups].hi_va += hi * ipf;
            }
            continue;
        }
        ep->st_ac_w[1] = bulk_peek_ac(ep->bk, ep->st_pd_w, ((double)n - 1.0) / 2.0);
        ep->st_ac_w[2] = bulk_peek_ac(ep->bk, ep->st_pd_w, (double)n - 1.0);
        double hi = 1.05 * max3(ep->st_ac_w[0], ep->st_ac_w[1],
                                ep->st_ac_w[2] > ep->st_pd_w ? ep->st_ac_w[2] : ep->st_pd_w);
        if (e->exact == 2) {
            /* the modes' own highest over the piece, the overshoot included */
            double d_hi = modes_ac_max(ep, n);
            hi = 1.05 * (ep->st_pd_w + (d_hi > 0 ? d_hi : 0.0));
        } else if (e->exact) {
            /* several time constants: the nodes may miss the overshoot */
            double dev_ac, dev_e;
            bulk_dev_bound(ep->bk, ep->st_pd_w, &dev_ac, &dev_e);
            hi = 1.05 * (ep->st_pd_w + dev_ac);
        }
        ec->node_va[0] += hi * va_per_w(e, ep, 1.0 / pf_of(ep, ep->dc_w));
        if (ep->ups >= 0) {
            e->ups[ep->ups].hi_w += hi;
            e->ups[ep->ups].hi_va += hi / pf_of(ep, ep->dc_w);
        }
    }
    /* a UPS in a stride stays below its rating and its first overload band:
     * its overload integral only relaxes (ups_piece); else single steps */
    for (size_t u = 0; u < e->n_ups; u++) {
        const struct eups *eu = &e->ups[u];
        if (!eu->alive) continue;
        double lim = eu->ol->n > 0 && eu->ol->load[0] < 1.0 ? eu->ol->load[0] : 1.0;
        if (eu->hi_va / eu->va >= lim || eu->hi_w / eu->w >= lim) return 1;
    }
    for (size_t c = e->g_c0; c < e->g_c1; c++) {
        struct ecircuit *ec = &e->circuits[c];
        double s_hi = ec->node_va[0], i_hi, v_lo;
        /* the inrush is highest at the piece's start */
        double inr = e->inrush ? circuit_inrush(e, c) : 0.0;
        if (!ec->alive) {
            /* dead: its edges not yet tripped see the prospective current */
            s_hi = prospective_va(e, c);
            if (s_hi >= 0.7 * ec->s_max_va) return 1;
            circuit_solve(ec->v0, ec->r_ohm, s_hi, &i_hi, &v_lo);
            if (i_hi >= 0.5 * ec->mag_min_a) return 1;
            ec->st_i_hi = e->cres[c].trip == BREAKER_CLOSED ? i_hi : 0.0;
            /* its edges see a held current: a trip inside the stride lands on
             * its step (breaker_advance), whatever the heat now */
            continue;
        }
        if (s_hi >= 0.7 * ec->s_max_va) return 1;
        circuit_solve(ec->v0, ec->r_ohm, s_hi, &i_hi, &v_lo);
        i_hi += inr;
        if (i_hi >= 0.5 * ec->mag_min_a) return 1;
        ec->st_i_hi = i_hi;
        for (size_t j = 0; j < e->n_psus; j++)
            if (e->psus[j].circuit == c && e->psus[j].started
                && v_lo < 1.02 * e->psus[j].min_input_v)
                return 1;
        /* Settled, the stride's current is held: an edge's trip inside it
         * lands on its step, and piece_trim() ends the piece at the simulated
         * edge's trip. In a PFC transient the current is a parabola's mean:
         * no edge may reach its trip point within the piece, which is halved
         * until none does (a single step only when even two steps would); the
         * same under an inrush, which is not held */
        if (settled && inr == 0) continue;
        /* (a deferred span, edges_defer: its edges' state is its start's) */
        double i2 = 1.05 * i_hi * i_hi;
        if (ec->def.n > 0 && 1.05 * ec->def.hi > i2) i2 = 1.05 * ec->def.hi;
        for (int edge = 0; edge < BREAKER_EDGE_COUNT && n >= 2; edge++)
            while (n >= 2 && e->cres[c].edge_trip[edge] == BREAKER_CLOSED
                   && breaker_heat_bound(ec->brk[edge], i2, n + ec->def.n) >= 0.999
                   && breaker_heat_after(ec->brk[edge], i2, n + ec->def.n) >= 0.999)
                n /= 2;
        if (n < 2) return 1;
    }
    /* each panel line carries its circuits' currents: below half its main's
     * magnetic pick-up, and no edge of the main may reach its trip point inside
     * the piece (halved until none does: panels_piece holds the line's mean
     * square current; a trip is taken by the fixed path's single steps) */
    for (size_t p = 0; p < e->n_panels && n >= 2; p++) {
        struct epanel *pn = &e->panels[p];
        double line_hi[3] = { 0, 0, 0 };
        for (size_t c = e->g_c0; c < e->g_c1; c++) {
            const struct ecircuit *ec = &e->circuits[c];
            if (ec->panel != (long)p) continue;
            for (int q = 0; q < ec->pn; q++) line_hi[ec->pl[q]] += ec->st_i_hi;
        }
        for (int k = 0; k < pn->n_lines; k++) {
            if (!in_g(cur, pn->lg[k])) continue;
            const struct engine_panel_line *pl = &e->panres[p].line[k];
            /* (a deferred span, span_join: its edges' state is its start's) */
            const struct span *sp = &pn->def[k];
            double i2 = 1.05 * line_hi[k] * line_hi[k];
            if (sp->n > 0 && 1.05 * sp->hi > i2) i2 = 1.05 * sp->hi;
            for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++) {
                if (pl->edge_trip[edge] != BREAKER_CLOSED) continue;
                if (line_hi[k] >= 0.5 * breaker_magnetic_pickup_a(pn->brk[k][edge])) return 1;
                while (n >= 2 && breaker_heat_bound(pn->brk[k][edge], i2, n + sp->n) >= 0.999
                       && breaker_heat_after(pn->brk[k][edge], i2, n + sp->n) >= 0.999)
                    n /= 2;
            }
            if (n < 2) return 1;
        }
    }
    /* a large exact piece cut shorter above: its departure weighs more in the
     * shorter sums (expansion_ok); else pieces of the transient's length */
    if (e->exact >= 2 && n < long_n
        && !(e->exact == 2 ? long_exact_ok(e, n) : long_ramp_ok(e, n))) {
        e->exact = 0;
        if (short_steps >= 2 && short_steps < n) n = short_steps;
    }
    return n;
}

/* Signal K over a piece of a stride: lowest and highest value, and the sum over
 * its steps, merged into the stride's figures (v_min, v_max, v_sum). */
static void stride_sig(engine *e, size_t k, double lo, double hi, double sum)
{
    if (lo < e->v_min[k]) e->v_min[k] = lo;
    if (hi > e->v_max[k]) e->v_max[k] = hi;
    e->v_sum[k] += sum;
}

/* The parabola through (0, F0), ((N-1)/2, FM) and (N-1, F1) over the steps
 * j = 0 .. N-1 of a stride: p(j) = F0 + A j + B j^2. */
struct parabola {
    double f0, a, b;
};

static struct parabola parabola_through(double f0, double fm, double f1, size_t n)
{
    struct parabola q = { f0, 0.0, 0.0 };
    if (n < 2) return q;
    double h = ((double)n - 1.0) / 2.0;
    q.b = (f1 - 2.0 * fm + f0) / (2.0 * h * h);
    q.a = (fm - f0) / h - q.b * h;
    return q;
}

/* The sum of p(j) over j = 0 .. X-1. */
static double parabola_sum(const struct parabola *q, double x)
{
    return x * q->f0 + q->a * x * (x - 1.0) / 2.0 + q->b * (x - 1.0) * x * (2.0 * x - 1.0) / 6.0;
}

/* The sum over the steps j = 0 .. N-1 of the parabola through (0, F0),
 * ((N-1)/2, FM) and (N-1, F1): Simpson's rule made exact for the discrete sum
 * of a quadratic (the continuous rule would be off by a step's share of the
 * curvature, which matters at 1 ms steps against a 10 ms PFC). */
static double node_sum(double f0, double fm, double f1, size_t n)
{
    struct parabola q = parabola_through(f0, fm, f1, n);
    return n < 2 ? f0 : parabola_sum(&q, (double)n);
}

static void power_sums(double x, size_t n, double s[3]);

/* Circuit C's inrush over the first X steps of a piece whose loads' current is
 * the parabola P (parabola_through its nodes): *I_SUM = sum I(j), A x steps,
 * and *SQ = sum (2 p(j) I(j) + I(j)^2), A^2 x steps, what the inrush adds to
 * the sum of the square current (p + I)^2 beyond the loads' own p^2. Closed
 * forms: sum I(j) j^k = sum over its PSUs of I_p sum j^k q_p^j (power_sums,
 * the geometric sum and its derivatives), so the cross term sum p(j) I(j) =
 * f0 W0 + a W1 + b W2 is exact for the parabola (no mean is taken: its only
 * error is the parabola's own against the PFC trajectory, the same bound as
 * the loads' sums of the piece have, Simpson's over half a PFC time constant);
 * sum I(j)^2 = sum over pairs of PSUs of I_p I_r (1 - (q_p q_r)^X) / (1 - q_p
 * q_r), geometric. */
static void inrush_piece(const engine *e, size_t c, const struct parabola *p, size_t x,
                         double *i_sum, double *sq)
{
    double w[3] = { 0.0, 0.0, 0.0 }, i2 = 0.0;
    for (size_t a = 0; a < e->n_psus && x > 0; a++) {
        const struct epsu *pa = &e->psus[a];
        if (pa->circuit != c || !(pa->inrush_a > 0)) continue;
        double s[3];
        power_sums(pa->inrush_decay, x, s);
        for (int k = 0; k < 3; k++) w[k] += pa->inrush_a * s[k];
        for (size_t b = a; b < e->n_psus; b++) {
            const struct epsu *pb = &e->psus[b];
            if (pb->circuit != c || !(pb->inrush_a > 0)) continue;
            power_sums(pa->inrush_decay * pb->inrush_decay, x, s);
            i2 += (b == a ? 1.0 : 2.0) * pa->inrush_a * pb->inrush_a * s[0];
        }
    }
    *i_sum = w[0];
    *sq = 2.0 * (p->f0 * w[0] + p->a * w[1] + p->b * w[2]) + i2;
}

/* Circuit C's inrush at step J of a piece, A. */
static double inrush_at(const engine *e, size_t c, double j)
{
    double a = 0.0;
    for (size_t k = 0; k < e->n_psus; k++) {
        const struct epsu *ep = &e->psus[k];
        if (ep->circuit == c && ep->inrush_a > 0) a += ep->inrush_a * pow(ep->inrush_decay, j);
    }
    return a;
}

/* Circuit C's mean square current over a piece of M steps: the parabola of
 * the square through the nodes' squares I_N (as node_sum), and, in an inrush
 * (chain_len), what the inrush adds (inrush_piece) with the parabola through
 * the nodes I_N for the loads' current. */
static double piece_i2(const engine *e, size_t c, const double i_n[3], size_t m)
{
    double i2 = node_sum(i_n[0] * i_n[0], i_n[1] * i_n[1], i_n[2] * i_n[2], m);
    if (e->inrush && circuit_inrush(e, c) > 0) {
        struct parabola p = parabola_through(i_n[0], i_n[1], i_n[2], m);
        double i_sum, sq;
        inrush_piece(e, c, &p, m, &i_sum, &sq);
        i2 += sq;
    }
    return i2 / (double)m;
}

/* Pushes a piece of M steps into the half-cycle window MAG as PARTS runs, each
 * at its mean of the parabola Q of the square current, plus, with P (the
 * loads' current's parabola), what circuit C's inrush adds (inrush_piece). */
static void mag_runs(probe *mag, const struct parabola *q, size_t m, size_t parts,
                     const engine *e, size_t c, const struct parabola *p)
{
    size_t from = 0;
    double s_from = 0.0;
    for (size_t k = 1; k <= parts; k++) {
        size_t to = m * k / parts;
        double s_to = parabola_sum(q, (double)to);
        if (p) {
            double i_sum, sq;
            inrush_piece(e, c, p, to, &i_sum, &sq);
            s_to += sq;
        }
        probe_push_n(mag, (s_to - s_from) / (double)(to - from), to - from);
        from = to;
        s_from = s_to;
    }
}

/* The half-cycle window of circuit C over a piece of M steps in an inrush: its
 * square current (p + I)^2 in runs of their exact means (the loads' part the
 * parabola through the nodes' squares I_N^2 as mag_push() has it, the inrush's
 * parts by inrush_piece), each step on its own in a piece of at most MAG_STEPS,
 * else at least MAG_PER_WINDOW runs and MAG_PER_WINDOW to a window's length
 * (at most MAG_MAX_PARTS): the inrush's is where a window reaches its highest
 * mean, which a B-curve's magnetic element may see (inrush-b16-vs-c16.ini). */
static void mag_push_inrush(engine *e, size_t c, const double i_n[3], size_t m)
{
    struct ecircuit *ec = &e->circuits[c];
    struct parabola p = parabola_through(i_n[0], i_n[1], i_n[2], m);
    struct parabola q = parabola_through(i_n[0] * i_n[0], i_n[1] * i_n[1], i_n[2] * i_n[2], m);
    size_t parts = m;
    if (m > MAG_STEPS) {
        parts = ec->mag_steps > 0 ? MAG_PER_WINDOW * m / ec->mag_steps : MAG_PER_WINDOW;
        if (parts < MAG_PER_WINDOW) parts = MAG_PER_WINDOW;
        if (parts > MAG_MAX_PARTS) parts = MAG_MAX_PARTS;
        if (parts > m) parts = m;
    }
    mag_runs(ec->mag, &q, m, parts, e, c, &p);
}

/* After a piece of M steps, each PSU's inrush as the fixed path leaves it:
 * I q^M, or 0 on the piece that reaches its last step (inrush_steps). */
static void inrush_advance(engine *e, size_t m)
{
    for (size_t j = e->g_p0; j < e->g_p1; j++) {
        struct epsu *ep = &e->psus[j];
        if (!(ep->inrush_a > 0)) continue;
        ep->inrush_a = m >= inrush_steps(ep) ? 0.0 : ep->inrush_a * pow(ep->inrush_decay, (double)m);
    }
}

static void mag_push(probe *mag, double f0, double fm, double f1, size_t m, size_t win)
{
    double spread = fabs(f1 - f0) + fabs(fm - f0);
    if (spread <= 1e-6 * fabs(f0)) {          /* flat */
        probe_push_n(mag, node_sum(f0, fm, f1, m) / (double)m, m);
        return;
    }
    /* the finer runs only where a window may reach the run's highest: a piece
     * whose square current stays below MAG_FINE of the highest window mean so
     * far cannot set a new one by the steps a run smooths over */
    int fine = win > 0 && max3(f0, fm, f1) >= MAG_FINE * probe_max(mag, 0);
    struct parabola q = parabola_through(f0, fm, f1, m);
    if (m <= MAG_STEPS && fine) {              /* a few long steps: each on its own */
        for (size_t j = 0; j < m; j++) {
            double x = (double)j;
            probe_push(mag, q.f0 + q.a * x + q.b * x * x);
        }
        return;
    }
    size_t parts = fine ? MAG_PER_WINDOW * m / win : MAG_PARTS;
    if (parts < MAG_PARTS) parts = MAG_PARTS;
    if (parts > MAG_MAX_PARTS) parts = MAG_MAX_PARTS;
    if (parts > m) parts = m;
    mag_runs(mag, &q, m, parts, NULL, 0, NULL);
}

/* Circuit C's breaker edges not yet tripped, M steps from time T with the mean
 * square current I2 (A^2) held (breaker_advance): their highest heat and trips.
 * A trip of the simulated edge makes the circuit dead and is an event (with
 * current I_EVENT, A). Returns the step (1..M) of that trip, or 0. */
/* The bodies' decay over a piece of M steps of a breaker of tolerance edge EDGE
 * whose bodies decay by LN[0], LN[1] a step (logarithms, breaker_decay_ln) for
 * breaker_advance_decay: from the engine's slot for that edge, or an earlier
 * edge's, when it is for the same length and time constants; NULL for a single
 * step. */
static const double *decay_of(engine *e, const double ln[2], int edge, size_t m)
{
    if (m < 2) return NULL;
    const double ef = ln[0], es = ln[1];
    for (int k = 0; k <= edge; k++)    /* an earlier edge's, when they share them */
        if (e->decay[k].m == m && e->decay[k].lf == ef && e->decay[k].ls == es)
            return e->decay[k].d;
    struct decay *d = &e->decay[edge];
    d->lf = ef;
    d->ls = es;
    d->m = m;
    d->d[0] = exp((double)m * ef);
    d->d[1] = exp((double)m * es);
    return d->d;
}

static size_t edges_advance(engine *e, size_t c, double i2, size_t m, double t,
                            double i_event, const struct parabola *q)
{
    struct ecircuit *ec = &e->circuits[c];
    struct engine_circuit_result *cr = &e->cres[c];
    size_t sel_at = 0;
    for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++) {
        if (cr->edge_trip[edge] != BREAKER_CLOSED) continue;
        size_t at = 0;
        /* (a peak below the edge's highest so far changes no figure of a
         * run without samples) */
        double floor_heat = e->lean_peaks ? cr->edge_max_heat[edge] : -INFINITY;
        if (!q
            || breaker_advance_quad(ec->brk[edge], i2, q->f0, q->a, q->b, m, floor_heat) != 0) {
            const double *decay = decay_of(e, ec->dln[edge], edge, m);
            at = breaker_advance_decay(ec->brk[edge], i2, m, decay);
        }
        double h = breaker_peak_heat(ec->brk[edge]);
        if (h > cr->edge_max_heat[edge]) cr->edge_max_heat[edge] = h;
        if (at == 0) continue;
        double t_trip = t + (double)at * e->dt_s;
        enum breaker_trip trip = breaker_state(ec->brk[edge]);
        cr->edge_trip[edge] = trip;
        cr->edge_trip_time_s[edge] = t_trip;
        if (edge != ec->sel) continue;
        ec->alive = 0;
        cr->trip = trip;
        cr->trip_time_s = t_trip;
        sel_at = at;
        add_event(e, t_trip, trip == BREAKER_MAGNETIC ? EV_TRIP_MAGNETIC : EV_TRIP_THERMAL, c,
                  i_event);
    }
    return sel_at;
}

/* Circuit C's deferred pieces (edges_defer), which ended at time T: its edges
 * advanced over them at their mean square current (no trip can fall inside:
 * edges_defer checked). Returns the selected edge's highest heat in them. */
static double edges_flush(engine *e, size_t c, double t)
{
    struct ecircuit *ec = &e->circuits[c];
    if (ec->def.n == 0) return breaker_peak_heat(ec->brk[ec->sel]);
    size_t n = ec->def.n;
    double i2 = ec->def.i2 / (double)n;
    ec->def.n = 0;
    ec->def.i2 = 0;
    edges_advance(e, c, i2, n, t - (double)n * e->dt_s, sqrt(i2), NULL);
    /* the run's highest heat (deferred spans run without samples) */
    double pk = breaker_peak_heat(ec->brk[ec->sel]);
    size_t k = engine_sig_circuit(e, c, ENGINE_SIG_HEAT);
    if (pk > e->r_max[k]) e->r_max[k] = pk;
    return pk;
}

static void line_flush(engine *e, size_t p, int k);

/* Every circuit's deferred span, and with LINES every panel line's (a trimmed
 * piece reads only the circuits' edges: no main trips inside a piece) */
static void edges_flush_all(engine *e, double t, int lines)
{
    const int cur = e->cur;
    for (size_t c = e->g_c0; c < e->g_c1; c++)
        if (e->circuits[c].def.n > 0) edges_flush(e, c, t);
    if (lines)
        for (size_t p = 0; p < e->n_panels; p++)
            for (int k = 0; k < e->panels[p].n_lines; k++)
                if (in_g(cur, e->panels[p].lg[k])) line_flush(e, p, k);
}

/* Whether a piece of M steps with mean square current I2 joins the deferred
 * span SP of the edges BRK whose state TRIP reads closed (DEFER_BODY,
 * DEFER_BAND): a run without samples, the span no longer than MAX_STEPS, the
 * piece's current near the span's first, and no edge able to reach its trip
 * point over the whole span at the highest of them (breaker_heat_bound from the
 * edges' state at the span's start). */
static inline int span_join(const engine *e, struct span *sp, breaker *const brk[],
                     const enum breaker_trip trip[], size_t max_steps, double i2, size_t m)
{
    if (!e->defer_on || sp->n + m > max_steps || !(i2 > 0)) return 0;
    if (sp->n > 0 && fabs(i2 - sp->first) > DEFER_BAND * sp->first) return 0;
    double hi = sp->n > 0 && sp->hi > i2 ? sp->hi : i2;
    /* a span's first piece asks the bound once for any span it may grow to
     * (every later piece's current within DEFER_BAND of the first, at most
     * MAX_STEPS: the bound rises with both), so later pieces need not */
    if (sp->n == 0) {
        sp->safe = 1;
        for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++)
            if (trip[edge] == BREAKER_CLOSED
                && breaker_heat_bound(brk[edge], 1.05 * (1.0 + DEFER_BAND) * i2, max_steps)
                       >= 0.99 * (1.0 - 1e-12))
                sp->safe = 0;
    }
    if (!sp->safe)
        for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++)
            if (trip[edge] == BREAKER_CLOSED
                && breaker_heat_bound(brk[edge], 1.05 * hi, sp->n + m) >= 0.99)
                return 0;
    if (sp->n == 0) sp->first = i2;
    sp->hi = hi;
    sp->n += m;
    sp->i2 += i2 * (double)m;
    return 1;
}

/* Circuit C's piece of M steps with mean square current I2 into its edges'
 * deferred span (span_join). */
static int edges_defer(engine *e, size_t c, double i2, size_t m)
{
    struct ecircuit *ec = &e->circuits[c];
    return span_join(e, &ec->def, ec->brk, e->cres[c].edge_trip, e->defer_steps, i2, m);
}

/* Fills each running PSU's look-ahead (st_*) for a piece of M steps with its DC
 * held (reusing what chain_len() left for the same length and DC), and each
 * circuit's node apparent power (node_va) from it: what chain_stride() will
 * use, in the same order, so the same figures bit for bit. */
static void piece_nodes(engine *e, size_t m)
{
    const double nd = (double)m;
    for (size_t c = e->g_c0; c < e->g_c1; c++) {
        struct ecircuit *ec = &e->circuits[c];
        ec->node_va[0] = ec->node_va[1] = ec->node_va[2] = ec->load_va + ups_self(e, c, 0);
    }
    for (size_t u = 0; u < e->n_ups; u++)
        for (int k = 0; k < 3; k++) e->ups[u].nd_w[k] = e->ups[u].nd_va[k] = 0;
    for (size_t j = e->g_p0; j < e->g_p1; j++) {
        struct epsu *ep = &e->psus[j];
        if (!ep->started || !ep->alive) continue;
        struct ecircuit *ec = &e->circuits[ep->circuit];
        double dc = ep->dc_w;
        if (ep->dc_slope != 0.0) {
            /* a ramp: the PSU curve's parabola over the piece (ramp_fit), the
             * PFC's ramp response at the nodes, each node's power factor at
             * its DC */
            const double jn[3] = { 0.0, (nd - 1.0) / 2.0, nd - 1.0 };
            if (!(ep->st_n == m && ep->st_dc_w == dc && ep->st_dcs == ep->dc_slope)) {
                double v = psu_v(e, ep);
                double p0 = psu_input_power(ep->model, dc, v);
                double pm = psu_input_power(ep->model, dc + ep->dc_slope * jn[1], v);
                double p1 = psu_input_power(ep->model, dc + ep->dc_slope * jn[2], v);
                ep->st_dc_w = dc;
                ep->st_dcs = ep->dc_slope;
                ep->st_pd_w = p0;
                ramp_fit(p0, pm, p1, m, &ep->st_pd_s, &ep->st_pd_c);
                ep->st_n = m;
                for (int k = 0; k < 3; k++) {
                    ep->st_ac_w[k] = bulk_peek_ac_ramp(ep->bk, p0, ep->st_pd_s, ep->st_pd_c,
                                                       jn[k]);
                    ep->st_pf[k] = psu_power_factor(ep->model, dc + ep->dc_slope * jn[k]);
                }
            }
            for (int k = 0; k < 3; k++) {
                ec->node_va[k] += ep->st_ac_w[k] * va_per_w(e, ep, 1.0 / ep->st_pf[k]);
                if (ep->ups >= 0) {
                    e->ups[ep->ups].nd_w[k] += ep->st_ac_w[k];
                    e->ups[ep->ups].nd_va[k] += ep->st_ac_w[k] / ep->st_pf[k];
                }
            }
            continue;
        }
        if (!(ep->st_n == m && fabs(dc - ep->st_dc_w) <= 1e-12 * fabs(dc))) {
            double p_d = psu_input_power(ep->model, dc, psu_v(e, ep));
            ep->st_dc_w = dc;
            ep->st_pd_w = p_d;
            ep->st_n = m;
            ep->st_ac_w[0] = bulk_peek_ac(ep->bk, p_d, 0.0);
            ep->st_ac_w[1] = bulk_peek_ac(ep->bk, p_d, (nd - 1.0) / 2.0);
            ep->st_ac_w[2] = bulk_peek_ac(ep->bk, p_d, nd - 1.0);
        }
        double inv_pf = va_per_w(e, ep, 1.0 / pf_of(ep, dc));
        for (int k = 0; k < 3; k++) ec->node_va[k] += ep->st_ac_w[k] * inv_pf;
        if (ep->ups >= 0)
            for (int k = 0; k < 3; k++) {
                e->ups[ep->ups].nd_w[k] += ep->st_ac_w[k];
                e->ups[ep->ups].nd_va[k] += ep->st_ac_w[k] / pf_of(ep, dc);
            }
    }
}

/* The length of the piece of at most M steps that chain_stride() may take: M,
 * or the step at which the simulated edge of a live circuit trips on the
 * piece's mean square current, so that the piece ends with the trip as the
 * fixed path's circuit does (nothing of the piece is then after the trip).
 * Returns 1 when that is its first step (a single step instead). */
static size_t piece_trim(engine *e, size_t m)
{
    for (int pass = 0; pass < 4 && m >= 2; pass++) {
        piece_nodes(e, m);
        size_t cut = m;
        for (size_t c = e->g_c0; c < e->g_c1; c++) {
            struct ecircuit *ec = &e->circuits[c];
            if (!ec->alive || e->cres[c].edge_trip[ec->sel] != BREAKER_CLOSED) continue;
            double i_n[3], v_n[3];
            for (int k = 0; k < 3; k++)
                circuit_solve(ec->v0, ec->r_ohm, ec->node_va[k], &i_n[k], &v_n[k]);
            double i2_mean = piece_i2(e, c, i_n, m);
            size_t k = breaker_trip_step(ec->brk[ec->sel], i2_mean, m);
            if (k > 0 && k < cut) cut = k;
        }
        if (cut == m) return m;
        m = cut;      /* the new length's trajectory: its trip step again */
    }
    return m;
}

/* Whether idle circuit EC's edges are all cold (heat 0: they stay so). */
static int idle_cold(const struct ecircuit *ec)
{
    for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++)
        if (breaker_heat(ec->brk[edge]) != 0.0) return 0;
    return 1;
}

/* M steps from time T of dead circuit C (its breaker tripped): it carries
 * nothing, and each edge not yet tripped is advanced on the current the rig
 * would draw had it stayed on (prospective_va; as step_chain() does step by
 * step). */
static void dead_circuit_stride(engine *e, size_t c, double t, size_t m)
{
    struct ecircuit *ec = &e->circuits[c];
    const double nd = (double)m;
    double i_p, v_d;
    circuit_solve(ec->v0, ec->r_ohm, prospective_va(e, c), &i_p, &v_d);
    double i2 = i_p * i_p;
    if (ec->mag) probe_push_n(ec->mag, i2, m);
    /* its own device open: nothing flows, prospective or not (panels_step) */
    double ip = e->cres[c].trip == BREAKER_CLOSED ? i_p : 0.0;
    ec->pc_pro_sum = ip * nd;
    ec->pc_pro_i2 = ip * ip;
    ec->pc_live_sum = ec->pc_live_i2 = 0;
    for (int k = 0; k < 3; k++) {
        ec->pc_pro_n[k] = ip;
        ec->pc_live_n[k] = 0;
    }
    edges_advance(e, c, i2, m, t, i_p, NULL);   /* the simulated edge has tripped */
    double h = breaker_heat(ec->brk[ec->sel]);
    ec->v_prev = 0;
    stride_sig(e, engine_sig_circuit(e, c, ENGINE_SIG_CURRENT), 0, 0, 0);
    stride_sig(e, engine_sig_circuit(e, c, ENGINE_SIG_VOLTAGE), 0, 0, 0);
    stride_sig(e, engine_sig_circuit(e, c, ENGINE_SIG_HEAT), h, h, h * nd);
}

/* Circuit EC's sums over an exact piece of M steps (EXACT_AMP): the sum of its
 * current, A x steps, its mean square current, A^2, the sum of its voltage, V x
 * steps, and the rig's mean square current, A^2, by the expansion around the
 * PSUs' demand S_d = load_va + sd_va; node_va[] (piece_nodes) give sum d^2.
 * The rig's share of the current, (S - L) / S with L its AC loads, to first
 * order in d (its square term is EXACT_AMP^2 again). */
/* sum_{j<N} j^K X^j for K = 0, 1, 2 (0 < X < 1) into S[]: with u = 1 - X and
 * y = X^N, S0 = (1 - y) / u, S1 = (X (1 - y) - N u y) / u^2 and S2 = (2 - 2y
 * - 3u + 3uy + u^2 - u^2 y - 2Nuy + 2Nu^2 y - N^2 u^2 y) / u^3 (the derivatives
 * of the geometric sum). They cancel to (N u)^-3 of their terms: a short piece
 * sums directly. */
static void power_sums(double x, size_t n, double s[3])
{
    const double nd = (double)n;
    if (n <= 64) {
        double xj = 1.0;
        s[0] = s[1] = s[2] = 0.0;
        for (size_t j = 0; j < n; j++) {
            double jd = (double)j;
            s[0] += xj;
            s[1] += jd * xj;
            s[2] += jd * jd * xj;
            xj *= x;
        }
        return;
    }
    double u = 1.0 - x, y = pow(x, nd), nuy = nd * u * y;
    s[0] = (1.0 - y) / u;
    s[1] = (x * (1.0 - y) - nuy) / (u * u);
    s[2] = (2.0 - 2.0 * y - 3.0 * u + 3.0 * u * y + u * u * (1.0 - y) - 2.0 * nuy
            + 2.0 * u * nuy - nd * u * nuy) / (u * u * u);
}

/* Circuit C's sum of d(j)^2 over an exact piece of M steps: d(j) = sum over its
 * PSUs of (a + b j) x^j / PF (ex_*), so the sum is one over pairs of PSUs of
 * arithmetico-geometric sums in x_p x_s (power_sums). */
static double exact_dev2(const engine *e, size_t c, size_t m)
{
    double sum = 0.0;
    for (size_t p = 0; p < e->n_psus; p++) {
        const struct epsu *a = &e->psus[p];
        if (a->circuit != c || a->ex_w == 0.0) continue;
        for (size_t q = p; q < e->n_psus; q++) {
            const struct epsu *b = &e->psus[q];
            if (b->circuit != c || b->ex_w == 0.0) continue;
            double s[3];
            power_sums(a->ex_x * b->ex_x, m, s);
            double g = a->ex_a * b->ex_a * s[0] + (a->ex_a * b->ex_b + a->ex_b * b->ex_a) * s[1]
                       + a->ex_b * b->ex_b * s[2];
            sum += (q == p ? 1.0 : 2.0) * a->ex_w * b->ex_w * g;
        }
    }
    return sum > 0 ? sum : 0.0;
}

static void exact_sums(const engine *e, size_t c, size_t m, double *i_sum, double *i2_mean,
                       double *v_sum, double *rig_i2)
{
    const struct ecircuit *ec = &e->circuits[c];
    const double nd = (double)m;
    const double s_d = ec->load_va + ups_self(e, c, 0) + ec->sd_va, r = ec->r_ohm;
    double i_d, v_d;
    circuit_solve(ec->v0, r, s_d, &i_d, &v_d);
    double dd = 2.0 * v_d - ec->v0;                 /* D = sqrt(V0^2 - 4 R S_d) */
    double i1 = 1.0 / dd, i2c = 2.0 * r / (dd * dd * dd);
    double sd1 = ec->dev_sum, sd2 = e->exact == 2 ? dev2_modes(e, c, m) : exact_dev2(e, c, m);
    *i_sum = nd * i_d + i1 * sd1 + 0.5 * i2c * sd2;
    double i2_sum = nd * i_d * i_d + 2.0 * i_d * i1 * sd1 + (i1 * i1 + i_d * i2c) * sd2;
    *i2_mean = i2_sum / nd;
    *v_sum = nd * ec->v0 - r * *i_sum;
    if (ec->load_va <= 0 || !(s_d > 0)) {
        *rig_i2 = ec->load_va <= 0 ? *i2_mean : 0.0;
        return;
    }
    if (e->exact == 2) {
        /* a large transient: the rig's share g(S) = I(S) (S - L) / S to second
         * order too (expansion_ok checked its remainder) */
        double l = ec->load_va;
        double g = i_d * (s_d - l) / s_d;
        double g1 = i1 * (s_d - l) / s_d + i_d * l / (s_d * s_d);
        double g2 = i2c * (s_d - l) / s_d + 2.0 * i1 * l / (s_d * s_d)
                    - 2.0 * i_d * l / (s_d * s_d * s_d);
        *rig_i2 = (nd * g * g + 2.0 * g * g1 * sd1 + (g1 * g1 + g * g2) * sd2) / nd;
        return;
    }
    double share = (s_d - ec->load_va) / s_d;
    double f1 = 2.0 * i_d * i1 * share * share + i_d * i_d * 2.0 * share * ec->load_va / (s_d * s_d);
    *rig_i2 = (nd * i_d * i_d * share * share + f1 * sd1) / nd;
}

/* sum_{j<M} (k0 + k1 j + k2 j^2) d(j) for PSU EP's AC departure d(j) = ac_r
 * r^j + ac_q q^j in an exact ramp piece: k0 times its sum from the energy
 * balance (ex_dsum, exact), the rest from the modes' arithmetico-geometric
 * sums (power_sums): the line's slope terms are small against it. */
static double ramp_dev_sum(const struct epsu *ep, const double sr[3], const double sq[3],
                           double k0, double k1, double k2)
{
    const struct bulk_modes *md = &ep->ex_m;
    return k0 * ep->ex_dsum + k1 * (md->ac_r * sr[1] + md->ac_q * sq[1])
           + k2 * (md->ac_r * sr[2] + md->ac_q * sq[2]);
}

/* power_sums() of X = exp(L) (a mode's factor a step, L < 0): 1 - X as
 * -expm1(L), whole to the last digit (1 - X itself loses four of them at
 * 10 us), X^N as exp(N L). */
static void power_sums_ln(double l, size_t n, double s[3])
{
    const double nd = (double)n, x = exp(l);
    if (n <= 64) {
        power_sums(x, n, s);
        return;
    }
    double u = -expm1(l), y = exp(nd * l), nuy = nd * u * y;
    s[0] = (1.0 - y) / u;
    s[1] = (x * (1.0 - y) - nuy) / (u * u);
    s[2] = (2.0 - 2.0 * y - 3.0 * u + 3.0 * u * y + u * u * (1.0 - y) - 2.0 * nuy
            + 2.0 * u * nuy - nd * u * nuy) / (u * u * u);
}

/* Circuit C's sums over an exact ramp piece of M steps (e->exact 3;
 * long_ramp_ok): its apparent power is its steady course S*(j) (the AC loads
 * and each PSU's ramp course over its 1 / PF, smooth over the piece) plus the
 * PSUs' departures over theirs, D(j) = sum w_p(j) d_p(j). To second order in D
 * around S*(j):
 *
 *   sum I   = sum I(S*) + sum I'(S*) D + 1/2 I''(S*) sum D^2
 *   sum I^2 = sum I(S*)^2 + sum 2 I I'(S*) D + (I'^2 + I I'')(S*) sum D^2
 *
 * sum I(S*) and sum I(S*)^2 as the parabolas through the three nodes (as a
 * settled ramp piece has them), I', 2 I I' and each w_p as the parabolas
 * through the nodes (checked at the quarter steps by long_ramp_ok, with the
 * cubic and quartic terms of their products, dropped here), so each product
 * with d_p is a quadratic in j times the modes (ramp_dev_sum); the
 * second-order terms at the middle node, sum D^2 the modes' geometric sums at
 * the middle node's 1 / PF (dev2_modes). The rig's share g(S) = I(S) (S - L) /
 * S likewise. */
static void ramp_sums(const engine *e, size_t c, size_t m, double *i_sum, double *i2_mean,
                      double *v_sum, double *rig_i2)
{
    const struct ecircuit *ec = &e->circuits[c];
    const double nd = (double)m, last = nd - 1.0, jn[3] = { 0.0, last / 2.0, last };
    const double l = ec->load_va;
    double s_sm[3], i[3], i1[3], i2c[3], g[3], g1[3];
    ramp_nodes_va(e, c, m, jn, 3, s_sm);
    for (int k = 0; k < 3; k++) {
        current_of(ec, s_sm[k], &i[k], &i1[k], &i2c[k]);
        g[k] = i[k] * (s_sm[k] - l) / s_sm[k];
        g1[k] = i1[k] * (s_sm[k] - l) / s_sm[k] + i[k] * l / (s_sm[k] * s_sm[k]);
    }
    /* first order: each PSU's departure times the series' parabolas and its
     * 1 / PF parabola, to j^2 */
    const double y[3][3] = { { i1[0], i1[1], i1[2] },
                             { 2.0 * i[0] * i1[0], 2.0 * i[1] * i1[1], 2.0 * i[2] * i1[2] },
                             { 2.0 * g[0] * g1[0], 2.0 * g[1] * g1[1], 2.0 * g[2] * g1[2] } };
    double d1[3] = { 0.0, 0.0, 0.0 };
    for (size_t p = 0; p < e->n_psus; p++) {
        const struct epsu *ep = &e->psus[p];
        if (ep->circuit != c || ep->ex_w == 0.0) continue;
        const double w0 = ep->ex_wn[0];
        double ws, wc, sr[3], sq[3];
        ramp_fit(ep->ex_wn[0], ep->ex_wn[1], ep->ex_wn[2], m, &ws, &wc);
        power_sums_ln(ep->ex_m.ln_r, m, sr);
        power_sums_ln(ep->ex_m.ln_q, m, sq);
        for (int q = 0; q < 3; q++) {
            double ys, yc;
            ramp_fit(y[q][0], y[q][1], y[q][2], m, &ys, &yc);
            d1[q] += ramp_dev_sum(ep, sr, sq, y[q][0] * w0, y[q][0] * ws + ys * w0,
                                  y[q][0] * wc + ys * ws + yc * w0);
        }
    }
    double sd2 = dev2_modes(e, c, m);
    *i_sum = node_sum(i[0], i[1], i[2], m) + d1[0] + 0.5 * i2c[1] * sd2;
    double i2_sum = node_sum(i[0] * i[0], i[1] * i[1], i[2] * i[2], m) + d1[1]
                    + (i1[1] * i1[1] + i[1] * i2c[1]) * sd2;
    *i2_mean = i2_sum / nd;
    *v_sum = nd * ec->v0 - ec->r_ohm * *i_sum;
    if (l <= 0) {
        *rig_i2 = *i2_mean;
        return;
    }
    double sm = s_sm[1];
    double g2 = i2c[1] * (sm - l) / sm + 2.0 * i1[1] * l / (sm * sm)
                - 2.0 * i[1] * l / (sm * sm * sm);
    *rig_i2 = (node_sum(g[0] * g[0], g[1] * g[1], g[2] * g[2], m) + d1[2]
               + (g1[1] * g1[1] + g[1] * g2) * sd2) / nd;
}

/* M steps of judged current with mean square I2 (A^2) into B (ebin_add). */
static void ebin_add_n(struct ebin *b, double i2, size_t n)
{
    b->judged_n += n;
    b->judged_i2 += i2 * (double)n;
    if (b->bin_n > 0) {
        size_t k = b->bin_steps - b->bin_n < n ? b->bin_steps - b->bin_n : n;
        b->bin_i2 += i2 * (double)k;
        b->bin_n += k;
        n -= k;
        if (b->bin_n < b->bin_steps) return;
        probe_push(b->sus, b->bin_i2 / (double)b->bin_steps);
        b->bin_n = 0;
        b->bin_i2 = 0;
    }
    size_t full = n / b->bin_steps;
    if (full > 0) {
        probe_push_n(b->sus, i2, full);
        n -= full * b->bin_steps;
    }
    b->bin_n = n;
    b->bin_i2 = i2 * (double)n;
}

/* The sum over M steps of the square of a sum of currents (two circuits or
 * more on a line; one circuit's is its own): the square of the mean plus the
 * spread about it along the parabola through the summed nodes N (the cross
 * terms of circuits moving together; second order in the spread, which
 * strides keep small). */
static double line_i2_sum(double sum, const double n[3], size_t m)
{
    const double nd = (double)m, mean = sum / nd;
    double d[3] = { n[0] - mean, n[1] - mean, n[2] - mean };
    double v = node_sum(d[0] * d[0], d[1] * d[1], d[2] * d[2], m);
    return mean * mean * nd + (v > 0 ? v : 0.0);
}

/* Panel P's line K's edges over M steps of mean square current I2 (chain_len()
 * keeps them from tripping inside a piece), their highest heat into its
 * result. */
static inline void line_advance(engine *e, size_t p, int k, double i2, size_t m,
                                const struct parabola *q)
{
    struct epanel *pn = &e->panels[p];
    struct engine_panel_line *pl = &e->panres[p].line[k];
    for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++) {
        if (pl->edge_trip[edge] != BREAKER_CLOSED) continue;
        double floor_heat = e->lean_peaks ? pl->edge_max_heat[edge] : -INFINITY;
        if (!q || breaker_advance_quad(pn->brk[k][edge], i2, q->f0, q->a, q->b, m, floor_heat) != 0)
            breaker_advance_decay(pn->brk[k][edge], i2, m, decay_of(e, pn->dln[k][edge], edge, m));
        double h = breaker_peak_heat(pn->brk[k][edge]);
        if (h > pl->edge_max_heat[edge]) pl->edge_max_heat[edge] = h;
    }
    pl->max_heat = pl->edge_max_heat[pn->sel];
}

/* Panel P's line K's deferred pieces (span_join): its edges advanced over them
 * at their mean square current, as a circuit's (edges_flush). */
static void line_flush(engine *e, size_t p, int k)
{
    struct span *sp = &e->panels[p].def[k];
    if (sp->n == 0) return;
    size_t n = sp->n;
    double i2 = sp->i2 / (double)n;
    *sp = (struct span){ 0 };
    line_advance(e, p, k, i2, n, NULL);
}

/* Panel P's neutral over M steps: LN, each line's current (of its
 * line-to-neutral circuits) at the first, middle and last step; ALL, every
 * line judged. Its signal into the stride's figures, or with DIRECT (the
 * queues' drain, between strides) into the run's and the sample's. */
static void neutral_piece(engine *e, size_t p, double ln[3][3], int all, size_t m,
                          int direct)
{
    struct epanel *pn = &e->panels[p];
    struct engine_panel_result *pr = &e->panres[p];
    const double nd = (double)m;
    double in[3];
    for (int j = 0; j < 3; j++) {
        double x[3] = { ln[0][j], ln[1][j], ln[2][j] };
        in[j] = circuit_neutral_a(pn->n_lines, x);
    }
    double in_sum = node_sum(in[0], in[1], in[2], m);
    pn->n_step += m;
    pn->sum_a[3] += in_sum;
    double in_hi = max3(in[0], in[1], in[2]), in_lo = min3(in[0], in[1], in[2]);
    if (in_hi > pr->neutral_peak_a) pr->neutral_peak_a = in_hi;
    if (all) ebin_add_n(&pn->bin[3], node_sum(in[0] * in[0], in[1] * in[1], in[2] * in[2], m) / nd, m);
    pr->neutral_final_a = in[2];
    size_t k = pn->sig0 + (size_t)pn->n_lines;
    if (!direct) {
        stride_sig(e, k, in_lo, in_hi, in_sum);
        return;
    }
    if (in_hi > e->r_max[k]) e->r_max[k] = in_hi;
    e->r_sum[k] += in_sum;
    if (e->sink_on) {
        if (in_lo < e->s_min[k]) e->s_min[k] = in_lo;
        if (in_hi > e->s_max[k]) e->s_max[k] = in_hi;
        e->s_sum[k] += in_sum;
    }
}

/* A line's current over N steps into its queue (nseg; the ring holds a
 * window's worth: groups_new). */
static void nq_push(struct nqueue *q, size_t n, const double v[3], int intact)
{
    if (q->len == q->cap) return;      /* (never: a window has at most cap steps) */
    struct nseg *sg = &q->q[(q->head + q->len) % q->cap];
    sg->n = (uint32_t)n;
    sg->v[0] = v[0];
    sg->v[1] = v[1];
    sg->v[2] = v[2];
    sg->intact = intact;
    q->len++;
}

/* The value at step X (0 .. N - 1) of the parabola through V at 0, (N - 1) / 2
 * and N - 1. */
static double nseg_at(const struct nseg *sg, double x)
{
    if (sg->n < 2) return sg->v[0];
    const double h = ((double)sg->n - 1.0) / 2.0, u = x / h - 1.0;
    /* Lagrange through -1, 0, 1 */
    return sg->v[1] + 0.5 * u * (sg->v[2] - sg->v[0]) + 0.5 * u * u * (sg->v[0] - 2.0 * sg->v[1] + sg->v[2]);
}

/* The neutrals over the steps every line's queue holds: the lines' pieces cut
 * where any of them ends, each line's current at the cut's first, middle and
 * last step from its own piece's parabola (the pieces of a line in one group
 * are exact at their nodes; a cut piece is the same parabola). */
static void nq_drain(engine *e)
{
    for (size_t p = 0; p < e->n_panels; p++) {
        struct epanel *pn = &e->panels[p];
        if (!pn->has_n) continue;
        for (;;) {
            size_t m = SIZE_MAX;
            for (int k = 0; k < pn->n_lines; k++) {
                const struct nqueue *q = &pn->nq[k];
                if (q->len == 0) {
                    m = 0;
                    break;
                }
                size_t left = q->q[q->head].n - q->off;
                if (left < m) m = left;
            }
            if (m == 0 || m == SIZE_MAX) break;
            double ln[3][3] = { { 0 } };
            int all = 1;
            for (int k = 0; k < pn->n_lines; k++) {
                struct nqueue *q = &pn->nq[k];
                const struct nseg *sg = &q->q[q->head];
                all &= sg->intact;
                if ((q->off == 0 && m == sg->n) || (sg->v[0] == sg->v[1] && sg->v[1] == sg->v[2])) {
                    for (int j = 0; j < 3; j++) ln[k][j] = sg->v[j];   /* (a flat one: as is) */
                } else {
                    double x0 = (double)q->off;
                    ln[k][0] = nseg_at(sg, x0);
                    ln[k][1] = nseg_at(sg, x0 + ((double)m - 1.0) / 2.0);
                    ln[k][2] = nseg_at(sg, x0 + (double)m - 1.0);
                }
                q->off += m;
                if (q->off == sg->n) {
                    q->off = 0;
                    q->head = (q->head + 1) % q->cap;
                    q->len--;
                }
            }
            neutral_piece(e, p, ln, all, m, 1);
        }
    }
}

/* Circuit C's apparent power at step J of an exact piece: its PSUs' AC power
 * as their departure from the demand, (a + b j) x^j (e->exact 1: ex_lx =
 * ln x, set by nq_push_piece) or two modes (modes_va), over their power
 * factor. */
static double exact_va(const engine *e, size_t c, double j)
{
    if (e->exact >= 2) return modes_va(e, c, j);
    const struct ecircuit *ec = &e->circuits[c];
    double s = ec->load_va + ups_self(e, c, 0);
    for (size_t p = 0; p < e->n_psus; p++) {
        const struct epsu *ep = &e->psus[p];
        if (ep->circuit != c || ep->ex_w == 0.0) continue;
        s += (ep->st_pd_w + (ep->ex_a + ep->ex_b * j) * exp(j * ep->ex_lx)) * ep->ex_w;
    }
    return s;
}

/* Panel P's line K over a piece of M steps into its queue for the neutral: the
 * live current of its line-to-neutral circuits at the piece's nodes LN, or, an
 * exact piece longer than NQ_SUB_TAU time constants (its current is no
 * parabola over it), sub-pieces of that length with their nodes from the
 * closed form (as mag_push_modes: the neutral of two rigs on their own clocks
 * cuts their pieces anywhere, and a parabola through a long exact piece's
 * nodes put its mean 1.7e-4 off in random labs; sub-pieces of one time
 * constant keep every neutral figure of the random labs and shipped labs
 * within 5e-6 of the fixed path's, two time constants 1.9e-5). */
#define NQ_SUB_TAU 1.0
static void nq_push_piece(engine *e, size_t p, int k, size_t m, const double ln[3])
{
    struct epanel *pn = &e->panels[p];
    size_t sub = (size_t)(e->stride_tau_s / e->dt_s * NQ_SUB_TAU);
    if (sub < 2) sub = 2;
    if (!e->exact || m <= sub) {
        nq_push(&pn->nq[k], m, ln, pn->intact[k]);
        return;
    }
    for (size_t j = e->g_p0; j < e->g_p1; j++)
        if (e->psus[j].ex_w != 0.0 && e->exact == 1) e->psus[j].ex_lx = log(e->psus[j].ex_x);
    for (size_t a = 0; a < m;) {
        size_t len = m - a < sub ? m - a : sub;
        if (m - a - len == 1) len++;             /* no sub-piece of one step */
        double v[3] = { 0, 0, 0 }, jn[3] = { (double)a, (double)a + ((double)len - 1.0) / 2.0,
                                             (double)(a + len) - 1.0 };
        for (size_t c = e->g_c0; c < e->g_c1; c++) {
            const struct ecircuit *ec = &e->circuits[c];
            if (ec->panel != (long)p || ec->pn != 1 || ec->pl[0] != k || !ec->alive) continue;
            for (int q = 0; q < 3; q++) {
                double i, u;
                circuit_solve(ec->v0, ec->r_ohm, exact_va(e, c, jn[q]), &i, &u);
                v[q] += i;
            }
        }
        nq_push(&pn->nq[k], len, v, pn->intact[k]);
        a += len;
    }
}

/* Whether panel P's line K takes its one circuit's edges' state after a piece
 * (twin): the same device (groups_new), carrying the same current over it:
 * the circuit live and none of its or the line's edges open (a trip inside
 * the piece: the line's own advance), no span deferred on either side, no
 * inrush (the line's parabola then differs from the circuit's). The circuit's
 * edges advanced with the same mean square, the same parabola and the same
 * highest heat so far as the line's would: the same bits (checked on every
 * shipped, test and panel scenario against the line's own advance). */
static int twin_follows(const engine *e, size_t p, int k)
{
    const struct epanel *pn = &e->panels[p];
    long c = pn->twin[k];
    if (c < 0 || e->twins_off || e->inrush || e->defer_steps || e->line_defer_steps || !pn->alive[k]
        || !e->circuits[c].alive || e->circuits[c].def.n > 0)
        return 0;
    const struct engine_panel_line *pl = &e->panres[p].line[k];
    for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++)
        if (pl->edge_trip[edge] != BREAKER_CLOSED || e->cres[c].edge_trip[edge] != BREAKER_CLOSED)
            return 0;
    return 1;
}

/* The panels over a piece of M steps from T (panels_step's figures, from the
 * circuits' piece figures pc_*; chain_len() keeps every main's edges from
 * tripping and below half its magnetic pick-up inside a piece, and strides run
 * only without sub-panels: scenario.c). */
static void panels_piece(engine *e, size_t m, double t)
{
    const int cur = e->cur;
    const double dt = e->dt_s, nd = (double)m;
    for (size_t p = 0; p < e->n_panels; p++) {
        struct epanel *pn = &e->panels[p];
        struct engine_panel_result *pr = &e->panres[p];
        double pro_s[3] = { 0 }, live_s[3] = { 0 }, pro_n[3][3] = { { 0 } }, live_n[3][3] = { { 0 } };
        double ln_n[3][3] = { { 0 } }, pro_i2[3] = { 0 }, live_i2[3] = { 0 };
        int count[3] = { 0 }, whole[3] = { 1, 1, 1 };
        for (size_t c = e->g_c0; c < e->g_c1; c++) {
            const struct ecircuit *ec = &e->circuits[c];
            if (ec->panel != (long)p) continue;
            for (int q = 0; q < ec->pn; q++) {
                int k = ec->pl[q];
                count[k]++;
                pro_s[k] += ec->pc_pro_sum;
                live_s[k] += ec->pc_live_sum;
                pro_i2[k] = ec->pc_pro_i2;
                live_i2[k] = ec->pc_live_i2;
                for (int j = 0; j < 3; j++) {
                    pro_n[k][j] += ec->pc_pro_n[j];
                    live_n[k][j] += ec->pc_live_n[j];
                }
                if (!ec->intact) whole[k] = 0;
            }
            if (ec->pn == 1)
                for (int j = 0; j < 3; j++) ln_n[ec->pl[0]][j] += ec->pc_live_n[j];
        }
        for (int k = 0; k < pn->n_lines; k++) {
            if (!in_g(cur, pn->lg[k])) continue;
            struct engine_panel_line *pl = &pr->line[k];
            /* (one circuit: its mean square as it is, the same bits as its edges') */
            double i2p = count[k] == 1 ? pro_i2[k]
                                       : line_i2_sum(pro_s[k], pro_n[k], m) / nd;
            if (pn->mag[k] && i2p == i2p) mq_push(pn->mag[k], &pn->mq[k], pn->mag_steps, i2p, m);
            /* a PFC transient's piece: the edges whose fast body moves take the
             * line's square current as the parabola through its nodes (as a
             * circuit's, breaker_advance_quad: a held mean put a B16 main's
             * highest heat 1.5e-4 low in a random lab) */
            struct parabola lq;
            const struct parabola *lqp = NULL;
            if (!e->exact && !e->trim && !e->inrush
                && (double)m * -pn->dln[k][BREAKER_FAST][0] >= QUAD_NK) {
                lq = parabola_through(pro_n[k][0] * pro_n[k][0], pro_n[k][1] * pro_n[k][1],
                                      pro_n[k][2] * pro_n[k][2], m);
                lqp = &lq;
            }
            if (twin_follows(e, p, k)) {
                /* its one circuit's device, the same current: its edges, now */
                const struct ecircuit *tc = &e->circuits[pn->twin[k]];
                for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++) {
                    breaker_follow(pn->brk[k][edge], tc->brk[edge]);
                    double h = breaker_peak_heat(pn->brk[k][edge]);
                    if (h > pl->edge_max_heat[edge]) pl->edge_max_heat[edge] = h;
                }
                pl->max_heat = pl->edge_max_heat[pn->sel];
            } else if (lqp || !e->line_defer_steps
                       || !span_join(e, &pn->def[k], pn->brk[k], pl->edge_trip,
                                     e->line_defer_steps, i2p, m)) {
                if (pn->def[k].n > 0) line_flush(e, p, k);
                line_advance(e, p, k, i2p, m, lqp);
            }
            if (pn->intact[k] && (!pn->alive[k] || !whole[k])) {
                pn->intact[k] = 0;
                pl->judged_end_s = t;
            }
            double lo = min3(live_n[k][0], live_n[k][1], live_n[k][2]);
            double hi = max3(live_n[k][0], live_n[k][1], live_n[k][2]);
            if (pn->alive[k]) {
                pn->live_n[k] += m;
                pn->sum_a[k] += live_s[k];
                if (hi > pl->peak_a) pl->peak_a = hi;
            }
            if (pn->intact[k])
                ebin_add_n(&pn->bin[k],
                           count[k] == 1 ? live_i2[k]
                                         : line_i2_sum(live_s[k], live_n[k], m) / nd,
                           m);
            pl->final_a = live_n[k][2];
            stride_sig(e, pn->sig0 + (size_t)k, lo, hi, live_s[k]);
        }
        if (!pn->has_n) continue;
        if (e->async) {
            /* the groups on their own clocks: the neutral once every line's
             * current is known (nq_drain) */
            for (int k = 0; k < pn->n_lines; k++)
                if (in_g(cur, pn->lg[k])) nq_push_piece(e, p, k, m, ln_n[k]);
            continue;
        }
        int all = 1;
        for (int k = 0; k < pn->n_lines; k++) all &= pn->intact[k];
        neutral_piece(e, p, ln_n, all, m, 0);
    }
    (void)dt;
}

/* Circuit C's half-cycle window over a large exact piece of M steps whose
 * current may reach the window's highest mean (MAG_FINE): sub-pieces of
 * STRIDE_SHORT time constants, each the parabola through its square current
 * at its first, middle and last step from the modes (modes_va) in mag_push's
 * runs, as the pieces of the transient had it before one exact piece took
 * them. */
static void mag_push_modes(engine *e, size_t c, size_t m)
{
    struct ecircuit *ec = &e->circuits[c];
    size_t sub = (size_t)(e->stride_tau_s / e->dt_s * STRIDE_SHORT);
    if (sub < 2) sub = 2;
    for (size_t a = 0; a < m;) {
        size_t len = m - a < sub ? m - a : sub;
        if (m - a - len == 1) len++;             /* no sub-piece of one step */
        double f[3], jn[3] = { (double)a, (double)a + ((double)len - 1.0) / 2.0,
                               (double)(a + len) - 1.0 };
        for (int k = 0; k < 3; k++) {
            double i, v;
            circuit_solve(ec->v0, ec->r_ohm, modes_va(e, c, jn[k]), &i, &v);
            f[k] = i * i;
        }
        if (len >= 2)
            mag_push(ec->mag, f[0], f[1], f[2], len, ec->mag_steps);
        else
            probe_push(ec->mag, f[0]);
        a += len;
    }
}

/* Circuit C at the steps either side of step X inside an exact piece (or a
 * ramp transient's; modes_va): its current and voltage widen the ranges. */
static void circuit_around(const engine *e, size_t c, double x, double *i_lo, double *i_hi,
                           double *v_lo, double *v_hi)
{
    const struct ecircuit *ec = &e->circuits[c];
    for (double jx = floor(x); jx <= floor(x) + 1.0; jx += 1.0) {
        double ix, vx;
        circuit_solve(ec->v0, ec->r_ohm, modes_va(e, c, jx), &ix, &vx);
        if (ix > *i_hi) *i_hi = ix;
        if (ix < *i_lo) *i_lo = ix;
        if (vx < *v_lo) *v_lo = vx;
        if (vx > *v_hi) *v_hi = vx;
    }
}

/* Whether circuit C's apparent power is known between a ramp piece's nodes
 * (modes_va): every live PSU on it on a ramp with its departure's modes (set by
 * chain_stride for an exact piece or a transient's), one with extrema inside. */
static int ramp_peaks(const engine *e, size_t c)
{
    int any = 0;
    for (size_t j = 0; j < e->n_psus; j++) {
        const struct epsu *ep = &e->psus[j];
        if (ep->circuit != c || !ep->started || !ep->alive) continue;
        if (ep->dc_slope == 0.0 || ep->ex_w == 0.0) return 0;
        any |= ep->ex_nx > 0;
    }
    return any;
}

/* UPS U over a piece of M steps (on mains, below its rating and its first
 * overload band: chain_len()): its output summed (chain_stride) and at the
 * nodes (piece_nodes), its input, its load, and its overload integral's
 * relaxation in closed form (ups_step: acc x reset_decay each step). A dead
 * UPS's signal is 0. */
static void ups_piece(engine *e, size_t u, size_t m)
{
    struct eups *eu = &e->ups[u];
    struct engine_ups_result *ur = &e->ures[u];
    const double nd = (double)m;
    size_t k_sig = engine_sig_ups(e, u);
    if (!eu->alive) {
        stride_sig(e, k_sig, 0, 0, 0);
        return;
    }
    double lo = INFINITY, hi = 0;
    for (int k = 0; k < 3; k++) {
        double load = fmax(eu->nd_va[k] / eu->va, eu->nd_w[k] / eu->w);
        if (load < lo) lo = load;
        if (load > hi) hi = load;
        if (eu->nd_w[k] > ur->peak_out_w) ur->peak_out_w = eu->nd_w[k];
        if (eu->nd_va[k] > ur->peak_out_va) ur->peak_out_va = eu->nd_va[k];
    }
    if (hi > ur->peak_load) ur->peak_load = hi;
    /* the sum of the larger of two shares taken as the larger of their sums:
     * the same with one PSU, or PSUs of one power factor */
    double load_sum = fmax(eu->st_out_va / eu->va, eu->st_out_w / eu->w);
    eu->sum_out_w += eu->st_out_w;
    eu->sum_in_w += eu->st_out_w * eu->k_in + eu->self_w * nd;
    eu->sum_load += load_sum;
    eu->n_run += m;
    eu->n_mains += m;
    for (size_t k = 0; k < eu->ol->n; k++) eu->run_n[k] = 0;
    eu->acc *= exp(nd * eu->ln_reset);
    stride_sig(e, k_sig, lo, hi, load_sum);
}

/* M steps from step S of the PSUs, circuits and breakers at once, with the
 * loads held (chain_len() found them quiet). */
static void chain_stride(engine *e, size_t s, size_t m)
{
    const double dt = e->dt_s;
    const double t = (double)s * dt;
    const double nd = (double)m;

    /* the PSUs' look-ahead for this length and the circuits' nodes from it
     * (piece_trim() left them for M: reused) */
    piece_nodes(e, m);
    for (size_t c = e->g_c0; c < e->g_c1; c++) {
        struct ecircuit *ec = &e->circuits[c];
        ec->psu_w = ups_self(e, c, 1) * nd;   /* a UPS's own draw, held */
        ec->sd_va = ec->dev_sum = 0;
    }
    for (size_t u = 0; u < e->n_ups; u++) e->ups[u].st_out_w = e->ups[u].st_out_va = 0;
    for (size_t j = e->g_p0; j < e->g_p1; j++) {
        struct epsu *ep = &e->psus[j];
        struct ecircuit *ec = &e->circuits[ep->circuit];
        double dc = ep->alive ? ep->dc_w : 0.0;     /* a dead PSU delivers nothing */
        double a0 = 0, am = 0, a1 = 0, ac_sum = 0;
        if (ep->started && ep->alive && ep->dc_slope != 0.0) {
            /* a ramp (piece_nodes() set its parabola for this piece) */
            double p0 = ep->st_pd_w, sp = ep->st_pd_s, cp = ep->st_pd_c;
            double d1 = dc + ep->dc_slope * (nd - 1.0);
            a0 = ep->st_ac_w[0];
            am = ep->st_ac_w[1];
            a1 = ep->st_ac_w[2];
            double ac_lo = min3(a0, am, a1), ac_hi = max3(a0, am, a1);
            ep->ex_w = 0.0;
            ep->ex_nx = 0;
            if ((e->exact == 3
                 || bulk_unsettled_ramp_w(ep->bk, p0, sp, cp) > STRIDE_SETTLED * (p0 + 1.0))
                && bulk_ramp_modes(ep->bk, p0, sp, cp, &ep->ex_m) == 0) {
                /* an exact piece (long_ramp_ok) or a transient's: its
                 * departure's modes, its nodes' 1 / PF, and the AC power at
                 * its extrema inside (the signal's range, the circuit's peaks:
                 * the nodes of a transient's piece miss them), before the
                 * state moves */
                e->ex_span = nd - 1.0;
                for (int k = 0; k < 3; k++) ep->ex_wn[k] = va_per_w(e, ep, 1.0 / ep->st_pf[k]);
                ep->ex_w = ep->ex_wn[1];
                ep->ex_nx = ramp_extrema(ep, m, ep->ex_jx);
                for (int q = 0; q < ep->ex_nx; q++)
                    for (double jx = floor(ep->ex_jx[q]); jx <= floor(ep->ex_jx[q]) + 1.0; jx += 1.0) {
                        double v = bulk_peek_ac_ramp(ep->bk, p0, sp, cp, jx);
                        if (v < ac_lo) ac_lo = v;
                        if (v > ac_hi) ac_hi = v;
                    }
            }
            if (bulk_unsettled_ramp_w(ep->bk, p0, sp, cp) > STRIDE_SETTLED * (p0 + 1.0)) {
                double e_mid = bulk_peek_energy_ramp(ep->bk, p0, sp, cp, nd / 2.0);
                if (e_mid < ep->e_min_j) ep->e_min_j = e_mid;
                /* the capacitor's lowest energy inside: the steps either side
                 * of its departure's extremum (bulk_ramp_modes; the bend's
                 * steady drift h j, a few mJ over a piece of 100 J, moves it
                 * by less than a step) */
                struct bulk_modes md;
                if (bulk_ramp_modes(ep->bk, p0, sp, cp, &md) == 0) {
                    double x = mode_extremum(md.e_r, md.e_q, md.ln_r, md.ln_q, m + 1);
                    for (double jx = floor(x); x >= 0 && jx <= floor(x) + 1.0; jx += 1.0) {
                        double en = bulk_peek_energy_ramp(ep->bk, p0, sp, cp, jx);
                        if (en < ep->e_min_j) ep->e_min_j = en;
                    }
                }
            }
            ac_sum = bulk_advance_ramp(ep->bk, p0, sp, cp, m);
            if (ep->ex_w != 0.0)             /* the departure's sum, from the balance */
                ep->ex_dsum = ac_sum - nd * (p0 + ep->ex_m.ac_steady_w)
                              - sp * nd * (nd - 1.0) / 2.0
                              - cp * (nd - 1.0) * nd * (2.0 * nd - 1.0) / 6.0;
            double e_end = bulk_energy(ep->bk);
            if (e_end < ep->e_min_j) ep->e_min_j = e_end;
            ec->psu_w += ac_sum * w_per_w(e, ep);
            if (ep->ups >= 0) {
                e->ups[ep->ups].st_out_w += ac_sum;
                e->ups[ep->ups].st_out_va += ac_sum / ep->st_pf[1];
            }
            if (ep->pr_rpend == 0) ep->pr_rd0 = dc;   /* pushed at the stride's end */
            ep->pr_rpend += m;
            stride_sig(e, engine_sig_psu_dc(e, j), dc < d1 ? dc : d1, dc < d1 ? d1 : dc,
                       (dc + d1) / 2.0 * nd);
            stride_sig(e, engine_sig_psu_ac(e, j), ac_lo, ac_hi, ac_sum);
            e->pres[j].energy_dc_j += (dc + d1) / 2.0 * nd * dt;
            e->pres[j].energy_ac_j += ac_sum * dt;
            continue;
        }
        ep->ex_w = 0.0;
        if (ep->started && ep->alive) {
            double p_d = ep->st_pd_w;
            if (e->exact == 1) bulk_dev_decay(ep->bk, p_d, &ep->ex_a, &ep->ex_b, &ep->ex_x);
            a0 = ep->st_ac_w[0];
            am = ep->st_ac_w[1];
            a1 = ep->st_ac_w[2];
            if (e->exact == 2 && bulk_dev_modes(ep->bk, p_d, &ep->ex_m) == 0) {
                /* the modes' extrema: the AC side's overshoot and the
                 * capacitor's lowest energy inside the piece */
                const struct bulk_modes *md = &ep->ex_m;
                double x = mode_extremum(md->ac_r, md->ac_q, md->ln_r, md->ln_q, m);
                for (double jx = floor(x); x >= 0 && jx <= floor(x) + 1.0; jx += 1.0) {
                    double v = p_d + mode_at(md->ac_r, md->ac_q, md->ln_r, md->ln_q, jx);
                    if (v > a1 && v > a0) am = v > am ? v : am;
                    if (v < a1 && v < a0) am = v < am ? v : am;
                }
                x = mode_extremum(md->e_r, md->e_q, md->ln_r, md->ln_q, m + 1);
                for (double jx = floor(x); x >= 0 && jx <= floor(x) + 1.0; jx += 1.0) {
                    double en = bulk_energy_ref(ep->bk)
                                + mode_at(md->e_r, md->e_q, md->ln_r, md->ln_q, jx);
                    if (en < ep->e_min_j) ep->e_min_j = en;
                }
            }
            /* the capacitor's lowest energy: flat once settled, else its
             * trajectory's middle and end, unless its bound for any length
             * (bulk_dev_bound) stays above the lowest so far */
            if (bulk_unsettled_w(ep->bk, p_d) > STRIDE_SETTLED * (p_d + 1.0)) {
                double dev_ac, dev_e;
                bulk_dev_bound(ep->bk, p_d, &dev_ac, &dev_e);
                if (bulk_energy_ref(ep->bk) - dev_e < ep->e_min_j) {
                    double e_mid = bulk_peek_energy(ep->bk, p_d, nd / 2.0);
                    if (e_mid < ep->e_min_j) ep->e_min_j = e_mid;
                }
            }
            ac_sum = bulk_advance(ep->bk, p_d, m);
            double e_end = bulk_energy(ep->bk);
            if (e_end < ep->e_min_j) ep->e_min_j = e_end;
            ec->psu_w += ac_sum * w_per_w(e, ep);
            if (ep->ups >= 0) {
                e->ups[ep->ups].st_out_w += ac_sum;
                e->ups[ep->ups].st_out_va += ac_sum / pf_of(ep, dc);
            }
            if (e->exact) {
                double inv_pf = va_per_w(e, ep, 1.0 / pf_of(ep, dc));
                ec->sd_va += p_d * inv_pf;
                ec->dev_sum += (ac_sum - nd * p_d) * inv_pf;
                ep->ex_w = inv_pf;
            }
            pr_defer(ep, dc, m);
        }
        stride_sig(e, engine_sig_psu_dc(e, j), dc, dc, dc * nd);
        stride_sig(e, engine_sig_psu_ac(e, j), min3(a0, am, a1), max3(a0, am, a1), ac_sum);
        e->pres[j].energy_dc_j += dc * nd * dt;
        e->pres[j].energy_ac_j += ac_sum * dt;
    }

    for (size_t u = 0; u < e->n_ups; u++) ups_piece(e, u, m);

    for (size_t c = e->g_c0; c < e->g_c1; c++) {
        struct ecircuit *ec = &e->circuits[c];
        struct engine_circuit_result *cr = &e->cres[c];
        if (!ec->alive) {
            dead_circuit_stride(e, c, t, m);
            continue;
        }
        if (ec->idle && idle_cold(ec)) {
            /* nothing on it and its edges cold: no current, the source's
             * voltage, edges that stay cold (breaker_advance), a half-cycle
             * window of zeros; only its judged time and signals move */
            ec->pc_pro_sum = ec->pc_live_sum = ec->pc_pro_i2 = ec->pc_live_i2 = 0;
            for (int k = 0; k < 3; k++) ec->pc_pro_n[k] = ec->pc_live_n[k] = 0;
            if (ec->v0 < cr->min_voltage_v) cr->min_voltage_v = ec->v0;
            if (ec->intact) sustain_add(ec, 0.0, 0.0, 0.0, m);
            ec->v_prev = ec->v0;
            stride_sig(e, engine_sig_circuit(e, c, ENGINE_SIG_CURRENT), 0, 0, 0);
            stride_sig(e, engine_sig_circuit(e, c, ENGINE_SIG_VOLTAGE), ec->v0, ec->v0,
                       ec->v0 * nd);
            stride_sig(e, engine_sig_circuit(e, c, ENGINE_SIG_HEAT), 0, 0, 0);
            continue;
        }
        double i_n[3], v_n[3];
        for (int k = 0; k < 3; k++)
            if (circuit_solve(ec->v0, ec->r_ohm, ec->node_va[k], &i_n[k], &v_n[k]) != 0
                && !cr->collapsed) {
                cr->collapsed = 1;
                cr->collapse_time_s = t + nd * dt;
                add_event(e, t + nd * dt, EV_COLLAPSE, c, i_n[k]);
            }
        /* sums over the stride's steps of the parabola through its first,
         * middle and last step (node_sum), or a small transient's expansion */
        double i_sum, i2_mean, v_sum, rig_i2 = -1.0;
        if (e->exact == 3)
            ramp_sums(e, c, m, &i_sum, &i2_mean, &v_sum, &rig_i2);
        else if (e->exact)
            exact_sums(e, c, m, &i_sum, &i2_mean, &v_sum, &rig_i2);
        else {
            i_sum = node_sum(i_n[0], i_n[1], i_n[2], m);
            i2_mean = piece_i2(e, c, i_n, m);
            v_sum = node_sum(v_n[0], v_n[1], v_n[2], m);
        }
        /* the circuit's current, the inrush included (inrush_piece) */
        double it_n[3] = { i_n[0], i_n[1], i_n[2] }, it_sum = i_sum;
        int inr = e->inrush && circuit_inrush(e, c) > 0;
        if (inr) {
            struct parabola p = parabola_through(i_n[0], i_n[1], i_n[2], m);
            double sq;
            inrush_piece(e, c, &p, m, &it_sum, &sq);
            it_sum += i_sum;
            for (int k = 0; k < 3; k++) it_n[k] += inrush_at(e, c, (nd - 1.0) * 0.5 * k);
        }
        double i_hi = max3(i_n[0], i_n[1], i_n[2]);
        double v_lo = min3(v_n[0], v_n[1], v_n[2]);
        double i_lo = min3(i_n[0], i_n[1], i_n[2]), v_hi = max3(v_n[0], v_n[1], v_n[2]);
        if (e->exact == 2) {
            /* the nodes miss what the PSUs' overshoots reach inside the piece:
             * the circuit at each PSU's extremum (either side) */
            for (size_t j = e->g_p0; j < e->g_p1; j++) {
                const struct epsu *ep = &e->psus[j];
                if (ep->circuit != c || ep->ex_w == 0.0) continue;
                const struct bulk_modes *md = &ep->ex_m;
                double x = mode_extremum(md->ac_r, md->ac_q, md->ln_r, md->ln_q, m);
                if (x >= 0) circuit_around(e, c, x, &i_lo, &i_hi, &v_lo, &v_hi);
            }
        }
        if (ramp_peaks(e, c)) {
            /* the circuit at each PSU's AC extrema inside the piece (ramp_extrema) */
            for (size_t j = e->g_p0; j < e->g_p1; j++) {
                const struct epsu *ep = &e->psus[j];
                if (ep->circuit != c || ep->ex_w == 0.0) continue;
                for (int q = 0; q < ep->ex_nx; q++)
                    circuit_around(e, c, ep->ex_jx[q], &i_lo, &i_hi, &v_lo, &v_hi);
            }
        }
        if (i_hi > cr->peak_load_current_a) cr->peak_load_current_a = i_hi;
        if (v_lo < cr->min_voltage_v) cr->min_voltage_v = v_lo;
        /* the wiring's I^2 R from the stride's mean square current, as the
         * breaker sees it */
        double loss = i2_mean * ec->r_ohm * nd * dt;
        cr->wire_loss_j += loss;
        cr->energy_j += (ec->ac_p_w * nd + ec->psu_w) * dt + loss;
        double h0 = breaker_heat(ec->brk[ec->sel]);
        double h_def = h0;       /* the deferred pieces' highest heat, if flushed */
        if (ec->mag && e->exact >= 2 && i_hi * i_hi >= MAG_FINE * probe_max(ec->mag, 0))
            mag_push_modes(e, c, m);
        else if (ec->mag && e->exact)
            probe_push_n(ec->mag, i2_mean, m);    /* below MAG_FINE (exact_ok) */
        else if (ec->mag && inr)
            mag_push_inrush(e, c, i_n, m);
        else if (ec->mag)
            mag_push(ec->mag, i_n[0] * i_n[0], i_n[1] * i_n[1], i_n[2] * i_n[2], m,
                     ec->mag_steps);
        /* step of the piece in which the simulated edge tripped (0: none);
         * its edges in a span of pieces (edges_defer), or the span and it */
        size_t sel_at = 0;
        /* a PFC transient's piece of the nodes' parabola (no exact sums, no
         * inrush): the edges whose fast body moves over it take the square
         * current as that parabola (breaker_advance_quad: a held mean misses
         * the heat's peak inside by about N k_f of its spread) */
        struct parabola q2;
        const struct parabola *qp = NULL;
        if (!e->exact && !e->trim && !inr
            && (double)m * -ec->dln[BREAKER_FAST][0] >= QUAD_NK) {
            q2 = parabola_through(i_n[0] * i_n[0], i_n[1] * i_n[1], i_n[2] * i_n[2], m);
            qp = &q2;
        }
        if (inr || qp || !edges_defer(e, c, i2_mean, m)) {
            if (ec->def.n > 0) {
                h_def = edges_flush(e, c, t);
                h0 = breaker_heat(ec->brk[ec->sel]);
            }
            sel_at = edges_advance(e, c, i2_mean, m, t, it_n[2], qp);
        }
        ec->pc_pro_sum = ec->pc_live_sum = it_sum;
        ec->pc_pro_i2 = ec->pc_live_i2 = i2_mean;
        for (int k = 0; k < 3; k++) ec->pc_pro_n[k] = ec->pc_live_n[k] = it_n[k];
        if (ec->intact) {
            /* the steps up to a trip are judged; the rig's share per node */
            size_t nj = sel_at > 0 ? sel_at : m;
            if (rig_i2 < 0) {
                double r_n[3];
                for (int k = 0; k < 3; k++)
                    r_n[k] = ec->node_va[k] > 0
                                 ? i_n[k] * (ec->node_va[k] - ec->load_va) / ec->node_va[k]
                                 : 0.0;
                rig_i2 = node_sum(r_n[0] * r_n[0], r_n[1] * r_n[1], r_n[2] * r_n[2], m);
                if (inr) {
                    /* the rig's share carries all the inrush (step_chain) */
                    struct parabola p = parabola_through(r_n[0], r_n[1], r_n[2], m);
                    double r_sum, sq;
                    inrush_piece(e, c, &p, m, &r_sum, &sq);
                    rig_i2 += sq;
                }
                rig_i2 /= nd;
            }
            sustain_add(ec, i2_mean, rig_i2,
                        ((ec->ac_p_w * nd + ec->psu_w) * dt + loss) * (double)nj / nd, nj);
        }
        if (sel_at > 0)
            end_judged(e, c, cr->trip_time_s,
                       cr->trip == BREAKER_MAGNETIC ? EV_TRIP_MAGNETIC : EV_TRIP_THERMAL, c);
        /* the window's highest mean over the run: strides run only while the
         * circuit is live, so all of it was seen while live */
        double i_pk = ec->mag ? probe_max(ec->mag, 0) : i2_mean;
        i_pk = sqrt(i_pk > 0 ? i_pk : 0.0);
        if (i_pk > cr->peak_halfcycle_a && ec->alive) cr->peak_halfcycle_a = i_pk;
        double h1 = breaker_heat(ec->brk[ec->sel]);
        double h_pk = ec->def.n > 0 ? h1 : breaker_peak_heat(ec->brk[ec->sel]);
        if (h_def > h_pk) h_pk = h_def;
        ec->v_prev = ec->alive ? v_n[2] : 0;
        double it_lo = min3(it_n[0], it_n[1], it_n[2]), it_hi = max3(it_n[0], it_n[1], it_n[2]);
        if (e->exact >= 2) {                      /* no inrush: it_n are i_n */
            it_lo = i_lo;
            it_hi = i_hi;
        }
        stride_sig(e, engine_sig_circuit(e, c, ENGINE_SIG_CURRENT), it_lo, it_hi, it_sum);
        stride_sig(e, engine_sig_circuit(e, c, ENGINE_SIG_VOLTAGE), v_lo, v_hi, v_sum);
        stride_sig(e, engine_sig_circuit(e, c, ENGINE_SIG_HEAT), h0 < h1 ? h0 : h1,
                   h0 < h_pk ? h_pk : h0, (h0 + h1) / 2 * nd);
    }

    if (e->inrush) inrush_advance(e, m);
    if (e->n_panels) panels_piece(e, m, t);

    /* PSUs whose circuit tripped in the stride lose their input at the trip */
    for (size_t j = e->g_p0; j < e->g_p1; j++) {
        struct epsu *ep = &e->psus[j];
        const struct ecircuit *ec = &e->circuits[ep->circuit];
        if (!ep->alive || !ep->started) continue;
        enum engine_event_kind cause;
        double at;
        if (ep->ups >= 0 && e->ups[ep->ups].alive) {
            /* its UPS takes the mains' loss (ups_step, the next step: chain_len()
             * gives single steps once its circuit is dead) */
            if (e->ups[ep->ups].v_out >= ep->min_input_v) continue;
            cause = EV_BROWNOUT;
            at = t + nd * dt;
        } else if (!ec->alive) {
            cause = EV_INPUT_LOST;
            at = e->cres[ep->circuit].trip_time_s;
        } else if (ec->v_prev < ep->min_input_v) {
            cause = EV_BROWNOUT;
            at = t + nd * dt;
        } else {
            continue;
        }
        ep->alive = 0;
        e->pres[j].shutdown = 1;
        e->pres[j].shutdown_time_s = at;
        e->pres[j].shutdown_cause = cause;
        add_event(e, at, cause, j, ec->v_prev);
        end_judged(e, ep->circuit, at, cause, j);
    }
}

/* Whether a circuit or a started PSU is dead. */
static int chain_lost(const engine *e)
{
    for (size_t c = e->g_c0; c < e->g_c1; c++)
        if (!e->circuits[c].alive) return 1;
    for (size_t j = e->g_p0; j < e->g_p1; j++)
        if (e->psus[j].started && !e->psus[j].alive) return 1;
    return 0;
}

/* N steps from step S at once (stride_len() found the loads quiet); fills the
 * stride's signal figures (v_min, v_max, v_sum). The loads advance in one
 * closed form; their power is then held while the chain below advances in
 * pieces that chain_len() sizes for the stride's own DC: after a load's level
 * change the PFC is in a transient (pieces of half a time constant), and near
 * a limit the chain takes single steps of the fixed path (step_chain). */
static void stride(engine *e, size_t s, size_t n)
{
    const double dt = e->dt_s;
    const double t = (double)s * dt;
    const double nd = (double)n;

    for (size_t k = 0; k < e->n_sig; k++) {
        e->v_min[k] = INFINITY;
        e->v_max[k] = -INFINITY;
        e->v_sum[k] = 0;
    }
    for (size_t c = e->g_c0; c < e->g_c1; c++) {
        struct ecircuit *ec = &e->circuits[c];
        ec->ac_p_w = ec->load_va = ec->demand_va = 0;  /* AC loads, held */
    }
    for (size_t j = e->g_p0; j < e->g_p1; j++)
        e->psus[j].dc_w = e->psus[j].dc_slope = 0;

    for (size_t i = e->g_l0; i < e->g_l1; i++) {
        struct eload *l = &e->loads[i];
        double sum, unit_sum, slope = 0.0;
        double sp = 1.0;                 /* a trace's spike train, as a multiple */
        switch (l->kind) {
        case SCN_GPU:
            sum = gpu_advance(l->g, t, n, &unit_sum);
            break;
        case SCN_CPU:
            sum = unit_sum = cpu_advance(l->c, t, n);
            break;
        case SCN_TRACE:
            /* its spikes' train is constant between their events (stride_len) */
            if (l->sp) sp = l->sp_k * gpu_advance(l->sp, t, n, NULL) / nd;
            if (t < l->start_s || l->on_circuit) {
                sum = unit_sum = 0;      /* before its start */
            } else {
                /* a straight piece (stride_len): its ends, in between a line */
                double p0 = l->tr_scale * trace_at(l->tr, t - l->start_s, l->tr_loop,
                                                   &l->cursor);
                double p1 = l->tr_scale * trace_at(l->tr, (double)(s + n - 1) * dt - l->start_s,
                                                   l->tr_loop, &l->cursor);
                p0 *= sp;
                p1 *= sp;
                slope = (p1 - p0) / (nd - 1.0);
                sum = unit_sum = (p0 + p1) / 2.0 * nd;
                l->st_first_w = p0;
            }
            break;
        default:
            sum = l->on ? l->p_on_w * nd : 0.0;
            unit_sum = l->on ? l->unit_w * nd : 0.0;
            break;
        }
        if (l->on_circuit) {
            struct ecircuit *ec = &e->circuits[l->target];
            ec->demand_va += sum / nd * l->inv_pf;
            if (!ec->alive) sum = 0;             /* a dead circuit carries nothing */
            ec->ac_p_w += sum / nd;
            ec->load_va += sum / nd * l->inv_pf;
        } else {
            struct epsu *ep = &e->psus[l->target];
            if (!ep->output) sum = slope = 0;
            ep->dc_w += sum * l->dc_per_w;       /* its loads' demand */
            ep->dc_slope += slope * l->dc_per_w;
            if (!ep->alive) sum = slope = 0;     /* a dead PSU delivers nothing */
        }
        l->st_p_w = sum / nd;
        l->st_unit_w = l->st_p_w > 0 ? unit_sum / nd : 0.0;
        l->st_slope_w = slope;
        if (slope == 0.0) l->st_first_w = l->st_p_w;
    }
    for (size_t j = e->g_p0; j < e->g_p1; j++) {
        struct epsu *ep = &e->psus[j];
        ep->dc_w /= nd;
        /* a ramp's pieces start from its first step (ramp_pieces) */
        if (ep->dc_slope != 0.0) ep->dc_w -= ep->dc_slope * (nd - 1.0) / 2.0;
        ep->held_dc_w = ep->dc_w;
        ep->live_n = n;
    }
    for (size_t c = e->g_c0; c < e->g_c1; c++)
        e->circuits[c].live_n = n;
    for (size_t j = e->g_p0; j < e->g_p1; j++)
        e->psus[j].guard_valid = 0;

    /* the chain, in pieces, with the loads held */
    for (size_t pos = 0; pos < n;) {
        size_t m = chain_len(e, n - pos);
        /* the trim and a single step read the edges: deferred spans first */
        if ((m < 2 || (e->comp_k == 1 && e->trim)))
            edges_flush_all(e, (double)(s + pos) * dt, m < 2);
        if (m >= 2 && e->comp_k == 1 && e->trim) m = piece_trim(e, m);
        if (e->comp_k > 1) {
            /* a composite piece (comp_ok): its sub-pieces one after the other,
             * each with its nodes from the circuit's voltage at its start (as a
             * piece of its own has them), until a part dies */
            size_t k, l = e->comp_l;
            for (k = 0; k < e->comp_k; k++) {
                for (size_t j = e->g_p0; j < e->g_p1; j++)
                    e->psus[j].st_n = 0;
                chain_stride(e, s + pos + k * l, l);
                if (chain_lost(e)) {
                    k++;
                    break;
                }
            }
            m = k * l;
        } else if (m >= 2) {
            chain_stride(e, s + pos, m);
        } else {
            /* a single step of the fixed path's chain, the loads held as
             * step_loads() would leave them */
            m = 1;
            for (size_t c = e->g_c0; c < e->g_c1; c++) {
                struct ecircuit *ec = &e->circuits[c];
                ec->p_w = ec->alive ? ec->ac_p_w : 0;
                ec->s_va = ec->alive ? ec->load_va : 0;
                ec->s_demand_va = ec->demand_va;
                ec->inrush_a = 0;
            }
            for (size_t j = e->g_p0; j < e->g_p1; j++) {
                struct epsu *ep = &e->psus[j];
                ep->dc_demand_w = ep->output ? ep->held_dc_w : 0;
                ep->dc_w = ep->alive && ep->output ? ep->held_dc_w : 0;
            }
            pr_flush_all(e);           /* protect() reads the windows */
            step_chain(e, (double)(s + pos) * dt);
            for (size_t k = e->n_loads; k < e->n_sig; k++)
                if (!e->async || e->sig_g[k] == e->cur)
                    stride_sig(e, k, e->val[k], e->val[k], e->val[k]);
        }
        pos += m;
        e->n_pieces++;
        /* a ramp's next piece starts where this one ended */
        for (size_t j = e->g_p0; j < e->g_p1; j++) {
            struct epsu *ep = &e->psus[j];
            if (ep->dc_slope == 0.0) continue;
            ep->held_dc_w += ep->dc_slope * (double)m;
            ep->dc_w = ep->held_dc_w;
        }
        /* a part that died in this piece delivered up to its last step */
        for (size_t j = e->g_p0; j < e->g_p1; j++)
            if (e->psus[j].live_n == n && !e->psus[j].alive)
                e->psus[j].live_n = pos;
        for (size_t c = e->g_c0; c < e->g_c1; c++)
            if (e->circuits[c].live_n == n && !e->circuits[c].alive)
                e->circuits[c].live_n = pos;
    }

    pr_flush_all(e);

    /* the loads' probes and signals: a load whose PSU or circuit died inside
     * the stride drew its power until that step and nothing after, as in the
     * fixed path (step_loads() zeroes a dead part's loads from the next step) */
    for (size_t i = e->g_l0; i < e->g_l1; i++) {
        struct eload *l = &e->loads[i];
        size_t live = l->on_circuit ? e->circuits[l->target].live_n : e->psus[l->target].live_n;
        double p = l->st_p_w;
        if (l->st_slope_w != 0.0) {
            /* a trace's straight piece: ramps, up to the step its part died */
            double p0 = l->st_first_w, sl = l->st_slope_w;
            size_t on = live < n ? live : n;
            double p1 = p0 + sl * (double)(on > 0 ? on - 1 : 0);
            if (l->conn) {
                defer_push(l->conn, &l->conn_pend_w, &l->conn_pend, NAN, 0);
                probe_push_ramp(l->conn, p0, sl, on);
                if (on < n) defer_push(l->conn, &l->conn_pend_w, &l->conn_pend, 0.0, n - on);
            }
            if (l->win_fed) {
                defer_push(l->win_fed, &l->win_pend_w, &l->win_pend, NAN, 0);
                probe_push_ramp(l->win_fed, p0, sl, on);
                if (on < n) defer_push(l->win_fed, &l->win_pend_w, &l->win_pend, 0.0, n - on);
            }
            double lo = p0 < p1 ? p0 : p1, hi = p0 < p1 ? p1 : p0;
            if (on < n) {
                if (lo > 0) lo = 0;
                if (hi < 0) hi = 0;
            }
            if (on > 0)
                stride_sig(e, engine_sig_load(e, i), lo, hi, (p0 + p1) / 2.0 * (double)on);
            else
                stride_sig(e, engine_sig_load(e, i), 0.0, 0.0, 0.0);
        } else if (live >= n || !(p != 0)) {
            if (l->conn) defer_push(l->conn, &l->conn_pend_w, &l->conn_pend, l->st_unit_w, n);
            if (l->win_fed) defer_push(l->win_fed, &l->win_pend_w, &l->win_pend, p, n);
            stride_sig(e, engine_sig_load(e, i), p, p, p * nd);
        } else {
            if (l->conn) {
                defer_push(l->conn, &l->conn_pend_w, &l->conn_pend, l->st_unit_w, live);
                defer_push(l->conn, &l->conn_pend_w, &l->conn_pend, 0.0, n - live);
            }
            if (l->win_fed) {
                defer_push(l->win_fed, &l->win_pend_w, &l->win_pend, p, live);
                defer_push(l->win_fed, &l->win_pend_w, &l->win_pend, 0.0, n - live);
            }
            stride_sig(e, engine_sig_load(e, i), p < 0 ? p : 0.0, p > 0 ? p : 0.0,
                       p * (double)live);
        }
    }
}

/* ============================================================ extrapolate == */

/* Extreme-value blocks (a job longer than the run; issue 13, 4): rare
 * coincidences of spikes grow with the job's length, so each PSU's window maxima
 * are taken per block of EVT_BLOCK_S and a Gumbel law fitted to their upper tail
 * on its probability plot: for F(x) = exp(-exp(-(x - mu) / beta)),
 * -ln(-ln F) = (x - mu) / beta is a line in x (Gumbel, Statistics of Extremes,
 * 1958; Coles, An Introduction to Statistical Modeling of Extreme Values, 2001,
 * sec. 3.1-3.3), fitted by least squares (gsl_fit_linear) to the empirical CDF at
 * the histogram's bin edges from F = 0.5 up. The tail alone, since a load that
 * idles between bursts has block maxima of two kinds. The maximum over the job's
 * N blocks is Gumbel(mu + beta ln N, beta); its median, mu + beta (ln N -
 * ln ln 2), is the extrapolated maximum (never below the run's own). A block
 * counts while the PSU runs. Memory: a histogram of EVT_BINS bins per window,
 * flat in the duration. */
static void end_block(engine *e)
{
    for (size_t j = 0; j < e->n_psus; j++) {
        struct epsu *ep = &e->psus[j];
        if (!ep->evt[0]) continue;
        double opp_m = NAN;
        for (int k = 0; k <= ENGINE_N_WINDOWS; k++) {
            /* the OPP window, when it is an engine window, was read (and its
             * block closed) as that one */
            double m = k == ENGINE_N_WINDOWS && ep->opp_k < ENGINE_N_WINDOWS
                           ? opp_m
                           : probe_block_max(ep->pr, (size_t)k);
            if ((size_t)k == ep->opp_k) opp_m = m;
            if (!(ep->alive && ep->output)) continue;
            gsl_histogram *h = ep->evt[k];
            double top = gsl_histogram_max(h);
            /* beyond the range (EVT_RANGE x the rating): the last bin */
            if (!(m < top)) m = top * (1.0 - 0.5 / EVT_BINS);
            gsl_histogram_increment(h, m > 0 ? m : 0.0);
        }
    }
}

/* The extrapolated maximum over JOB_S of window K of PSU J (see end_block), or
 * NAN with fewer than EVT_MIN_BLOCKS blocks; RUN_MAX when the tail is a point. */
static double evt_job_max(const engine *e, size_t j, int k, double job_s, double run_max)
{
    const gsl_histogram *h = e->psus[j].evt[k];
    if (!h) return NAN;
    double n = gsl_histogram_sum(h);
    if (n < (double)EVT_MIN_BLOCKS) return NAN;
    double xs[EVT_BINS], ys[EVT_BINS], cum = 0;
    size_t m = 0;
    for (size_t b = 0; b < EVT_BINS; b++) {
        double c = gsl_histogram_get(h, b);
        if (c == 0) continue;
        cum += c;
        double f = cum / (n + 1.0);        /* plotting position, below 1 */
        if (f < 0.5) continue;
        double lo, hi;
        gsl_histogram_get_range(h, b, &lo, &hi);
        xs[m] = hi;
        ys[m] = -log(-log(f));
        m++;
    }
    if (m < 3) return run_max;
    double c0, c1, cov00, cov01, cov11, sumsq;
    if (gsl_fit_linear(xs, 1, ys, 1, m, &c0, &c1, &cov00, &cov01, &cov11, &sumsq) != 0
        || !(c1 > 0))
        return run_max;
    double beta = 1.0 / c1, mu = -c0 / c1;
    double x = mu + beta * (log(job_s / EVT_BLOCK_S) - log(log(2.0)));
    return x > run_max ? x : run_max;
}

/* The rest of a job longer than the run: circuit C's breakers carried on from
 * their state at the end of the run with its highest sustained mean square
 * current held (the load repeats as it ran; its worst window, kept). Each edge's
 * heat after n steps is breaker_heat_after(); its highest value over the rest is
 * found on a geometric grid of n (the heat of a held current moves
 * monotonically toward its steady value, or at most once through an extremum
 * for the two-body model), and a trip's step by bisection. */
static void extrapolate(engine *e, size_t c, double run_s, double job_s)
{
    struct engine_circuit_result *cr = &e->cres[c];
    const struct ecircuit *ec = &e->circuits[c];
    double rest = (job_s - run_s) / e->dt_s;
    if (!(rest >= 1) || !ec->intact || !ec->alive) return;
    size_t n_rest = rest < 1e18 ? (size_t)rest : (size_t)1e18;
    /* the sustained window's highest mean square; a run shorter than the window
     * uses its highest over half the run instead, so that its start-up (the PSU's
     * power-good delay, the PFC's rise) does not lower it */
    double i2 = cr->judged_s + 0.5 * e->dt_s >= probe_window_s(ec->sus, 0)
                    ? cr->sustained_a * cr->sustained_a : probe_max(ec->sus_x, 0);
    cr->extrap_a = sqrt(i2);
    cr->extrapolated = 1;
    enum { GRID = 96 };
    for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++) {
        const breaker *b = ec->brk[edge];
        cr->extrap_trip_s[edge] = NAN;
        cr->extrap_max_heat[edge] = breaker_heat(b);
        if (cr->edge_trip[edge] != BREAKER_CLOSED) continue;
        size_t prev = 0;
        for (int g = 1; g <= GRID; g++) {
            size_t n = (size_t)ceil(pow((double)n_rest, (double)g / GRID));
            if (n <= prev) continue;
            double h = breaker_heat_after(b, i2, n);
            if (h > cr->extrap_max_heat[edge]) cr->extrap_max_heat[edge] = h;
            if (h >= 1.0) {
                size_t lo = prev, hi = n;  /* heat(lo) < 1 <= heat(hi) */
                while (hi - lo > 1) {
                    size_t mid = lo + (hi - lo) / 2;
                    if (breaker_heat_after(b, i2, mid) >= 1.0) hi = mid; else lo = mid;
                }
                cr->extrap_trip_s[edge] = run_s + (double)hi * e->dt_s;
                break;
            }
            prev = n;
        }
    }
}

void engine_set_stop_flag(engine *e, const volatile sig_atomic_t *flag)
{
    e->stop_flag = flag;
}

void engine_set_load_windows(engine *e, int on)
{
    e->load_windows = on != 0;
}

void engine_set_groups(engine *e, int on)
{
    e->groups_on = on;
}

void engine_set_twins(engine *e, int on)
{
    e->twins_off = !on;
}

void engine_set_stop_on_fail(engine *e, int on)
{
    e->stop_on_fail = on;
}

/* The parts that group G runs: its own (grange), or every part (G -1: one
 * clock, group 0). */
static void group_range(engine *e, int g)
{
    e->cur = g < 0 ? 0 : g;
    e->g_p0 = g < 0 ? 0 : e->grange[g][0];
    e->g_p1 = g < 0 ? e->n_psus : e->grange[g][1];
    e->g_c0 = g < 0 ? 0 : e->grange[g][2];
    e->g_c1 = g < 0 ? e->n_circuits : e->grange[g][3];
    e->g_l0 = g < 0 ? 0 : e->grange[g][4];
    e->g_l1 = g < 0 ? e->n_loads : e->grange[g][5];
}

/* One stride or single step of group e->cur (every part's on one clock) from
 * step N, at most CAP steps: its signals into the run's figures (and the
 * sample's with a sink). Returns its length. */
static size_t advance(engine *e, size_t n, size_t cap, size_t *n_strides, size_t *n_single)
{
    const double dt = e->dt_s;
    size_t len = 1;
    if (e->stride) len = cap >= 2 ? stride_len(e, n, cap) : 1;
    if (len == 1) {
        (*n_single)++;
        edges_flush_all(e, (double)n * dt, 1);
        step(e, (double)n * dt);
        /* (a group's own signals: the others keep their last step's values) */
        for (size_t k = 0; k < e->n_sig; k++) {
            if (e->async && e->sig_g[k] != e->cur) continue;
            double v = e->val[k];
            if (v > e->r_max[k]) e->r_max[k] = v;
            e->r_sum[k] += v;
            if (e->sink_on) {            /* the sample's figures, for a sink only */
                if (v < e->s_min[k]) e->s_min[k] = v;
                if (v > e->s_max[k]) e->s_max[k] = v;
                e->s_sum[k] += v;
            }
        }
    } else {
        (*n_strides)++;
        stride(e, n, len);
        for (size_t k = 0; k < e->n_sig; k++) {
            if (e->v_max[k] > e->r_max[k]) e->r_max[k] = e->v_max[k];
            e->r_sum[k] += e->v_sum[k];
        }
        if (e->sink_on)
            for (size_t k = 0; k < e->n_sig; k++) {
                if (e->v_min[k] < e->s_min[k]) e->s_min[k] = e->v_min[k];
                if (e->v_max[k] > e->s_max[k]) e->s_max[k] = e->v_max[k];
                e->s_sum[k] += e->v_sum[k];
            }
    }
    return len;
}

/* Steps group G may take before a queue of one of its lines is full: a step
 * adds at most one piece (SIZE_MAX: no line of it feeds a neutral). */
static size_t queue_room(const engine *e, int g)
{
    size_t room = SIZE_MAX;
    for (size_t p = 0; p < e->n_panels; p++) {
        const struct epanel *pn = &e->panels[p];
        if (!pn->has_n) continue;
        for (int k = 0; k < pn->n_lines; k++)
            if (pn->lg[k] == g && pn->nq[k].cap - pn->nq[k].len < room)
                room = pn->nq[k].cap - pn->nq[k].len;
    }
    return room;
}

/* The events from FROM on in time order (groups add theirs group after group;
 * stable: at the same time, in the order they came). */
static void events_sort(engine *e, size_t from)
{
    for (size_t i = from + 1; i < e->n_events; i++) {
        struct engine_event x = e->events[i];
        size_t j = i;
        while (j > from && e->events[j - 1].t_s > x.t_s) {
            e->events[j] = e->events[j - 1];
            j--;
        }
        e->events[j] = x;
    }
}

/* Every group from step N to END on its own clock (groups_new): the one
 * furthest behind takes its next stride, never longer than its lines' queues
 * can take, and the neutrals follow as far as every line is known. Returns 1
 * when stopped by the flag (the groups then stand where they are). */
static int advance_groups(engine *e, size_t end, size_t *n_strides, size_t *n_single)
{
    size_t ev0 = e->n_events;
    int stopped = 0;
    for (;;) {
        int g = -1;
        size_t at = end;
        for (int h = 0; h < e->n_groups; h++)
            if (e->gpos[h] < at) {
                at = e->gpos[h];
                g = h;
            }
        if (g < 0) break;
        group_range(e, g);
        size_t cap = end - at, room = queue_room(e, g);
        /* (a group that carries nothing: a stride of it is one piece, whatever
         * its length; else a step is at most one) */
        if (e->g_idle[g] && room > 0) room = SIZE_MAX;
        e->gpos[g] += advance(e, at, room < cap ? room : cap, n_strides, n_single);
        nq_drain(e);
        if (e->stop_flag && *e->stop_flag) {
            stopped = 1;
            break;
        }
    }
    events_sort(e, ev0);
    return stopped;
}

int engine_run(engine *e, engine_sample_fn sink, void *user, struct engine_result *res)
{
    reset(e);
    res->stopped_on_fail = 0;
    const double dt = e->dt_s;
    size_t in_bucket = 0, in_block = 0, done = 0, n_strides = 0, n_single = 0;
    double bucket_t0 = 0;
    int stopped = 0;
    e->defer_on = sink == NULL && e->defer_steps > 0;
    e->lean_peaks = sink == NULL;
    e->sink_on = sink != NULL;
    /* groups on their own clocks: a stride run of two or more groups (no UPS:
     * the fixed path carries it; no sub-panel: scenario.c runs those fixed) */
    e->async = e->stride && e->groups_on && e->n_groups > 1 && e->n_ups == 0;
    for (size_t i = 0; i < e->n_loads; i++) e->loads[i].grp = e->async ? e->loads[i].gid : 0;
    for (size_t j = 0; j < e->n_psus; j++) e->psus[j].grp = e->async ? e->psus[j].gid : 0;
    for (size_t c = 0; c < e->n_circuits; c++)
        e->circuits[c].grp = e->async ? e->circuits[c].gid : 0;
    for (size_t p = 0; p < e->n_panels; p++)
        for (int k = 0; k < 3; k++) e->panels[p].lg[k] = e->async ? e->panels[p].lgid[k] : 0;
    group_range(e, -1);
    for (size_t n = 0; n < e->n_steps;) {
        size_t end = e->n_steps, len;
        if (sink && e->steps_per_sample - in_bucket < end - n)
            end = n + e->steps_per_sample - in_bucket;
        if (e->block_steps && e->block_steps - in_block < end - n)
            end = n + e->block_steps - in_block;
        if (e->async) {
            /* (windows of at most ASYNC_WINDOW_S: a stop is asked between them) */
            if (e->async_steps < end - n) end = n + e->async_steps;
            if (advance_groups(e, end, &n_strides, &n_single)) {
                /* interrupted: the run ends where the last group stands */
                size_t lo = end;
                for (int h = 0; h < e->n_groups; h++)
                    if (e->gpos[h] < lo) lo = e->gpos[h];
                done = lo;
                stopped = 1;
                break;
            }
            len = end - n;
        } else {
            len = advance(e, n, end - n, &n_strides, &n_single);
        }
        n += len;
        done = n;
        in_bucket += len;
        in_block += len;
        if (e->block_steps && in_block >= e->block_steps) {
            end_block(e);
            in_block = 0;
        }
        if (e->stop_flag && *e->stop_flag) {
            stopped = 1;
            break;
        }
        if (e->stop_on_fail && e->n_events > 0) {
            res->stopped_on_fail = 1;
            break;
        }
        if (in_bucket == e->steps_per_sample) {
            if (flush_sample(e, sink, user, bucket_t0, (double)done * dt, in_bucket)) {
                stopped = 1;
                break;
            }
            in_bucket = 0;
            bucket_t0 = (double)done * dt;
        }
    }
    if (!stopped && in_bucket > 0
        && flush_sample(e, sink, user, bucket_t0, (double)done * dt, in_bucket))
        stopped = 1;

    for (int h = 0; h < (e->async ? e->n_groups : 1); h++) {
        group_range(e, e->async ? h : -1);
        edges_flush_all(e, (double)done * dt, 1);
    }
    group_range(e, -1);
    res->n_steps = done;
    res->n_strides = n_strides;
    res->n_single = n_single;
    res->n_pieces = e->n_pieces;
    res->n_clocks = e->async ? (size_t)e->n_groups : 1;
    res->simulated_s = (double)done * dt;
    res->energy_j = 0;
    const double run_s = (double)done * dt;
    for (size_t c = 0; c < e->n_circuits; c++) {
        struct engine_circuit_result *cr = &e->cres[c];
        struct ecircuit *ec = &e->circuits[c];
        /* energised until its breaker tripped; the current is 0 after, so the
         * run's sum over the live steps is the live mean */
        cr->live_s = cr->trip != BREAKER_CLOSED && cr->trip_time_s < run_s ? cr->trip_time_s
                                                                           : run_s;
        if (cr->panel_off_s < cr->live_s) cr->live_s = cr->panel_off_s;  /* NAN: no */
        double n_live = floor(cr->live_s / dt + 0.5);
        cr->mean_current_a = e->r_sum[engine_sig_circuit(e, c, ENGINE_SIG_CURRENT)]
                             / (n_live > 0 ? n_live : 1.0);
        sustain_close(ec);
        cr->judged_s = (double)ec->judged_n * dt;
        cr->judged_energy_j = ec->judged_energy_j;
        cr->sustained_window_s = probe_window_s(ec->sus, 0);
        if (ec->judged_n == 0) {
            cr->sustained_a = cr->sustained_rig_a = 0;
        } else if (cr->judged_s + 0.5 * dt >= cr->sustained_window_s) {
            cr->sustained_a = sqrt(probe_max(ec->sus, 0));
            cr->sustained_rig_a = sqrt(probe_max(ec->sus_rig, 0));
        } else {
            /* judged for less than a window: the RMS over all of it */
            cr->sustained_window_s = cr->judged_s;
            cr->sustained_a = sqrt(ec->judged_i2 / (double)ec->judged_n);
            cr->sustained_rig_a = sqrt(ec->judged_rig_i2 / (double)ec->judged_n);
        }
        cr->peak_current_a = e->r_max[engine_sig_circuit(e, c, ENGINE_SIG_CURRENT)];
        cr->max_heat = e->r_max[engine_sig_circuit(e, c, ENGINE_SIG_HEAT)];
        cr->final_heat = breaker_heat(e->circuits[c].brk[e->circuits[c].sel]);
        if (!stopped) extrapolate(e, c, run_s, e->scn->sc.job_s);

        res->energy_j += cr->energy_j;
    }
    for (size_t j = 0; j < e->n_psus; j++) {
        struct engine_psu_result *pr = &e->pres[j];
        const struct epsu *ep = &e->psus[j];
        /* means from the run's start until it shut down (it draws nothing after) */
        double end_s = pr->shutdown && pr->shutdown_time_s < run_s ? pr->shutdown_time_s
                                                                   : run_s;
        pr->live_s = ep->started && end_s > ep->on_at_s ? end_s - ep->on_at_s : 0.0;
        double n_end = floor(end_s / dt + 0.5);
        if (n_end < 1) n_end = 1;
        e->psu_end_n[j] = n_end;
        pr->mean_dc_w = e->r_sum[engine_sig_psu_dc(e, j)] / n_end;
        pr->peak_dc_w = e->r_max[engine_sig_psu_dc(e, j)];
        pr->mean_ac_w = e->r_sum[engine_sig_psu_ac(e, j)] / n_end;
        for (int k = 0; k < ENGINE_N_WINDOWS; k++)
            pr->window_max_w[k] = probe_max(ep->pr, (size_t)k);
        pr->opp_max_w = probe_max(ep->pr, ep->opp_k);
        pr->evt_blocks = ep->evt[0] ? (size_t)gsl_histogram_sum(ep->evt[0]) : 0;
        for (int k = 0; k <= ENGINE_N_WINDOWS; k++) {
            double run_max = k < ENGINE_N_WINDOWS ? pr->window_max_w[k] : pr->opp_max_w;
            double x = evt_job_max(e, j, k, e->scn->sc.job_s, run_max);
            if (k < ENGINE_N_WINDOWS) pr->job_window_max_w[k] = x;
            else pr->job_opp_max_w = x;
        }
        pr->min_bulk_v = sqrt(2 * (ep->e_min_j > 0 ? ep->e_min_j : 0) / ep->bulk_c_f);
        /* hold-up at the highest sustained (1 s) load, at the nominal voltage */
        const struct scn_psu *sp = &e->scn->psus[j];
        struct bulk_params bp = { sp->bulk_c_f, sp->bulk_v, sp->dropout_v, sp->pfc_tau_s,
                                  e->dt_s };
        double p_1s = pr->window_max_w[ENGINE_N_WINDOWS - 1];
        const struct ecircuit *pc = &e->circuits[ep->circuit];
        double v0 = ep->ups >= 0 ? e->ups[ep->ups].v_out : pc->v0;
        pr->holdup_s = bulk_holdup_s(&bp, psu_input_power(ep->model, p_1s, v0));
        /* I = P_in / (V PF) (DESIGN.md 4, PSU), at the outlet's voltage under the
         * circuit's sustained current */
        double v_out = ep->ups >= 0 ? v0 : v0 - pc->r_ohm * e->cres[ep->circuit].sustained_a;
        if (!(v_out > 0.5 * v0)) v_out = 0.5 * v0;
        pr->input_1s_a = psu_input_power(ep->model, p_1s, v_out)
                         / (v_out * psu_power_factor(ep->model, p_1s));
        pr->input_full_a = psu_input_power(ep->model, ep->rating_w, v_out)
                           / (v_out * psu_power_factor(ep->model, ep->rating_w));
    }
    for (size_t i = 0; i < e->n_loads; i++) {
        struct eload *w = &e->loads[i];
        if (w->conn) defer_push(w->conn, &w->conn_pend_w, &w->conn_pend, NAN, 0);
        if (w->win_fed) defer_push(w->win_fed, &w->win_pend_w, &w->win_pend, NAN, 0);
    }
    for (size_t i = 0; i < e->n_loads; i++) {
        /* a load draws while its PSU or circuit does: its mean over that time */
        const struct eload *l = &e->loads[i];
        double n_end = l->on_circuit ? floor(e->cres[l->target].live_s / dt + 0.5)
                                     : e->psu_end_n[l->target];
        e->lres[i].mean_w = e->r_sum[engine_sig_load(e, i)] / (n_end >= 1 ? n_end : 1.0);
        e->lres[i].peak_w = e->r_max[engine_sig_load(e, i)];
        e->lres[i].connector_max_w = e->loads[i].conn ? probe_max(e->loads[i].conn, 0) : 0.0;
        for (int k = 0; k < ENGINE_N_LOAD_WINDOWS; k++)
            e->lres[i].window_max_w[k] = e->loads[i].win_fed ? probe_max(e->loads[i].win_fed, (size_t)k)
                                         : e->loads[i].win ? NAN : e->lres[i].peak_w;
    }
    for (size_t u = 0; u < e->n_ups; u++) {
        const struct eups *eu = &e->ups[u];
        struct engine_ups_result *ur = &e->ures[u];
        double n = eu->n_run > 0 ? (double)eu->n_run : 1.0;
        ur->mean_out_w = eu->sum_out_w / n;
        ur->mean_load = eu->sum_load / n;
        ur->mean_in_w = eu->sum_in_w / (eu->n_mains > 0 ? (double)eu->n_mains : 1.0);
    }
    res->ups = e->ures;
    panels_result(e, run_s);
    res->panels = e->panres;
    res->circuits = e->cres;
    res->psus = e->pres;
    res->loads = e->lres;
    res->events = e->events;
    res->n_events = e->n_events;
    return stopped ? -1 : 0;
}

/* breaker — protective devices: thermal-magnetic breakers (UL 489, IEC 60898-1
 * B/C/D) and plug fuses (BS 1362), each with a tolerance band.
 *
 * Thermal element (breakers and fuses alike): two bodies that heat and cool with
 * the same equation, a fast one (the bimetal, or a fuse's element) and a slow one
 * (the housing and terminals, or a fuse's filler and caps),
 *
 *   dx_f/dt = ((I / I_t)^2 - x_f) / tau_f,   dx_s/dt = ((I / I_t)^2 - x_s) / tau_s,
 *   H = a x_f + (1 - a) x_s,                 trip (a fuse blows) when H >= 1,
 *
 * a two-body form of the first-order thermal overload model of IEC 60255-8
 * (facts.md 1, which notes that one time constant cannot fit a whole band). At a
 * held current H settles at (I / I_t)^2, so I_t is the current carried forever;
 * the fast body sets the short trip times and the slow one keeps the heat for
 * tens of minutes. Each body takes the exact exponential update for a current held
 * over one step, x += ((I/I_t)^2 - x) (1 - exp(-dt/tau)), its factor computed once
 * in breaker_new(). A fuse is the thermal element alone; it heats under any
 * current, so its heat is meaningful below its pick-up.
 *
 * Magnetic element (breakers): trips when the RMS current over the last half
 * mains cycle exceeds m * In (its pick-up is an RMS figure, IEC 60898-1 tests d/e
 * apply a steady sinusoidal current); a pulse shorter than that, such as a PSU's
 * inrush, counts with its half-cycle RMS. Without a frequency the check is on
 * the step's current.
 *
 * Tolerance band. Every family has three parameter sets: the fast edge (the
 * earliest-tripping device the standard allows), the nominal curve, and the slow
 * edge (the latest-tripping one it allows); breaker.c gives each figure.
 *
 * Ambient. Devices are calibrated at an ambient (30 C IEC, 40 C UL). The bimetal
 * (or fuse element) trips at a fixed temperature, so with the model above
 * I_t^2 ~ (T_trip - T_ambient) (facts.md 1, D): I_t is scaled by
 * sqrt((T_trip - T_amb) / (T_trip - T_cal)). T_trip = 105 C: the derating rule
 * sqrt((105 - T) / 65) of Siemens for a 40 C calibration (S), which reproduces
 * Schneider's PowerPact B correction factors (0.92 at 50 C, 0.83 at 60 C, S).
 *
 * Each family is one row of a table chosen by name (breaker.c); a family may
 * carry a second set of curves for small ratings (the 3 A BS 1362 fuse).
 */
#ifndef PSUSIM_BREAKER_H
#define PSUSIM_BREAKER_H

#include <stddef.h>

enum breaker_trip {
    BREAKER_CLOSED = 0,   /* not tripped */
    BREAKER_THERMAL,      /* thermal element H >= 1, or a fuse blew */
    BREAKER_MAGNETIC      /* the current exceeded the magnetic pick-up */
};

/* The three curves of a family's tolerance band. */
enum breaker_edge { BREAKER_FAST = 0, BREAKER_NOMINAL, BREAKER_SLOW, BREAKER_EDGE_COUNT };

enum breaker_model {
    BREAKER_MODEL_THERMAL_MAGNETIC = 0, /* two-body thermal + magnetic */
    BREAKER_MODEL_FUSE                  /* two-body thermal, no magnetic element */
};

/* One curve of a family (multiples of In). */
struct breaker_curve {
    double it_multiple;        /* I_t / In: the pick-up, carried forever (H -> (I/I_t)^2) */
    double tau_s;              /* the fast body's time constant tau_f, s */
    double magnetic_multiple;  /* thermal-magnetic: pick-up / In; fuse: 0 (none) */
    double tau_slow_s;         /* the slow body's time constant tau_s (>= tau_f), s */
    double fast_share;         /* a: the fast body's share of H, 0 < a <= 1 */
};

/* One family (a row of the table in breaker.c). */
struct breaker_family {
    const char *name;          /* as written in the INI: "ul489", "iec-b", "bs1362" */
    const char *standard;      /* "UL 489", "IEC 60898-1 type B", "BS 1362 fuse" */
    enum breaker_model model;
    struct breaker_curve edge[BREAKER_EDGE_COUNT]; /* fast, nominal, slow */
    double calib_ambient_c;    /* calibration ambient, C (40 UL, 30 IEC, BS 1362 U) */
    double trip_temp_c;        /* element trip temperature for ambient scaling, C */
    double small_max_a;        /* ratings In <= this take small_edge; 0: none */
    struct breaker_curve small_edge[BREAKER_EDGE_COUNT]; /* the small ratings' band */
};

/* The family named NAME, or NULL. */
const struct breaker_family *breaker_family_find(const char *name);

/* The table, for listings and "did you mean". I < breaker_family_count(). */
size_t breaker_family_count(void);
const struct breaker_family *breaker_family_at(size_t i);

/* The curve of edge E of F for a device rated RATED_A amps: F->small_edge[E]
 * when F has one and RATED_A <= F->small_max_a, else F->edge[E]. NULL for F
 * NULL or E not an edge. */
const struct breaker_curve *breaker_curve_for(const struct breaker_family *f,
                                              enum breaker_edge e, double rated_a);

/* The time (s) a cold device of edge E of F (its main curves, F->edge[E]) takes
 * at a held current to reach 95 % of its settled heat: the root of
 * a exp(-t/tau_f) + (1 - a) exp(-t/tau_s) = 0.05. Shorter runs understate the
 * heat. NAN for F NULL or E not an edge. */
double breaker_settle_time_s(const struct breaker_family *f, enum breaker_edge e);

/* "fast", "nominal", "slow"; and back (returns -1 for an unknown name). */
const char *breaker_edge_name(enum breaker_edge e);
int breaker_edge_find(const char *name);

struct breaker_params {
    const struct breaker_family *family;
    enum breaker_edge edge;    /* which curve of the band */
    double rated_a;            /* In, A */
    double magnetic_multiple;  /* pick-up / In for every edge; 0 = the family's */
    double ambient_c;          /* ambient temperature, C; NAN = calibration ambient */
    double dt_s;               /* the engine's step, s */
    double frequency_hz;       /* mains frequency for the magnetic window; 0: per step */
};

typedef struct breaker breaker;

/* Builds a device, cold (H = 0) and closed. Returns NULL with a message in ERR
 * for unusable parameters (also an ambient at or above the trip temperature).
 * The caller owns it: free with breaker_free(). */
breaker *breaker_new(const struct breaker_params *p, char *err, size_t errlen);

/* Frees B; breaker_free(NULL) does nothing. */
void breaker_free(breaker *b);

/* Back to cold and closed. */
void breaker_reset(breaker *b);

/* Advances one step with RMS current I_A held over the step. Returns the trip
 * state after the step (a trip latches: later steps return it unchanged and the
 * device passes no current, so the caller must set the circuit dead; the heat
 * stays at its value at the trip until breaker_reset()). A NaN current trips it
 * (magnetic) rather than poisoning the state. Allocation-free, no exp() of a
 * constant: safe in the step loop. */
enum breaker_trip breaker_step(breaker *b, double i_a);

/* As breaker_step, but the magnetic element sees I2_WINDOW (A^2), the mean
 * square current over the last half mains cycle, which the caller keeps: the
 * engine keeps one window per circuit for its three edges (create the device
 * with frequency_hz = 0 so that it keeps none of its own). */
enum breaker_trip breaker_step_window(breaker *b, double i_a, double i2_window);

/* Advances N steps with the mean square current I2_A2 (A^2) held, in closed
 * form (engine stride mode; N == 1 is breaker_step). Returns 0 if it stays
 * closed, else the step (1..N) of the stride in which it tripped (H is a sum of
 * two exponentials with at most one extremum: the first step at H >= 1 is found
 * by bisection on the rising part). The half-cycle window takes N samples of
 * I2_A2. */
size_t breaker_advance(breaker *b, double i2_a2, size_t n);

/* The same with the bodies' decay over the N steps given: DECAY[0] = e^(N
 * ln(1 - k_f)), DECAY[1] = e^(N ln(1 - k_s)) for the logarithms breaker_decay_ln()
 * gives, so the edges of one circuit that share their time constants take the
 * exp() once (issue 14). */
size_t breaker_advance_decay(breaker *b, double i2_a2, size_t n, const double decay[2]);

/* N steps whose square current varies as the parabola I^2 = Q0 + Q1 j + Q2 j^2
 * (A^2) at step j, of mean I2_MEAN_A2 (a PFC transient's piece: the parabola
 * through its nodes' squares): the fast body in closed form for that input, the
 * slow one (its time constant hundreds of seconds) with the mean held; the
 * peak heat the ends' or the inner maximum's (a held mean misses it by about N
 * k_f of the square current's spread: 1e-3 on a BS 1362 fuse's 13 ms piece).
 * The caller keeps the heat
 * below its trip point (chain_len's bound): if it would reach it, or if the
 * fast body hardly moves over the piece (N k_f below 1e-3: the held mean is
 * as good), nothing moves and -1 is returned (advance the mean held instead,
 * which finds a trip's step); else 0. The peak inside is looked for only where
 * a bound says it could exceed FLOOR_HEAT (the highest heat the caller has
 * kept; -INFINITY: always), else the peak is the end's. The half-cycle window
 * takes N samples of I2_MEAN_A2. */
int breaker_advance_quad(breaker *b, double i2_mean_a2, double q0, double q1, double q2,
                         size_t n, double floor_heat);

/* The per-step logarithms of the two bodies' decay factors, ln(1 - k). */
void breaker_decay_ln(const breaker *b, double *ln_f, double *ln_s);

/* An upper bound of the heat over the next N steps with I2_A2 held, without
 * exp(): each body moves monotonically from where it is towards u = I^2 / I_t^2,
 * at most |ln(1 - k)| of the way a step (e^z >= 1 + z), so H <= u + t_f + t_s
 * with t = a (x - u) when the body cools, else min(0, a (x - u)(1 - N |ln(1 -
 * k)|)). Below 1 no stride of N steps with that current can trip. */
double breaker_heat_bound(const breaker *b, double i2_a2, size_t n);

/* The step (1..N) at which breaker_advance(B, I2_A2, N) would trip thermally,
 * without advancing; 0 if it stays closed over the N steps (or is open). The
 * magnetic element is not asked (the engine checks it apart). */
size_t breaker_trip_step(const breaker *b, double i2_a2, size_t n);

/* The highest heat breaker_advance(B, I2_A2, N) would pass through over its N
 * steps, without advancing: the heat at its trip step if it trips, else the
 * highest of the first step's, the last step's and an inner maximum's (the fast
 * body rising while the slow one cools). Compare with 1. */
double breaker_heat_after(const breaker *b, double i2_a2, size_t n);

/* Thermal state H = a x_f + (1 - a) x_s (1.0 = trip; for a fuse: blown). */
double breaker_heat(const breaker *b);

/* The highest heat over the last breaker_step() or breaker_advance(): the heat
 * now, or above it where a stride passed over an inner maximum (the fast body
 * rising while the slow one cools). 0 after breaker_reset(). */
double breaker_peak_heat(const breaker *b);

/* Whether A and B are the same device: family, edge, rating, ambient and
 * magnetic pick-up, bodies and window (none) alike, so that the same current
 * takes them to the same state, bit for bit. */
int breaker_same_device(const breaker *a, const breaker *b);

/* DST takes SRC's state (its bodies, heat, highest heat, trip and last current):
 * for a device that carries the same current as SRC (breaker_same_device). */
void breaker_follow(breaker *dst, const breaker *src);

/* BREAKER_CLOSED, or the cause of the latched trip. */
enum breaker_trip breaker_state(const breaker *b);

/* The current the magnetic element sees now: the RMS over its half-cycle window
 * (the last step's current without a window), A. */
double breaker_magnetic_current_a(const breaker *b);

/* Thermal pick-up current I_t after the ambient correction, A; and
 * the magnetic pick-up, A (INFINITY for a fuse). */
double breaker_thermal_pickup_a(const breaker *b);
double breaker_magnetic_pickup_a(const breaker *b);

/* Trip time (s) at constant current I_A from a settled preload H0 (both bodies
 * at H0; 0 = cold) for the given edge and rating (breaker_curve_for) at the
 * calibration ambient, ignoring the magnetic element: the root t of
 * u + (H0 - u) (a exp(-t/tau_f) + (1 - a) exp(-t/tau_s)) = 1, u = (I/I_t)^2
 * (monotone in t; Newton's method from below, exact to rounding). INFINITY when
 * I_A <= the pick-up, 0 when H0 >= 1, NaN for invalid input. */
double breaker_trip_time(const struct breaker_family *f, enum breaker_edge edge,
                         double rated_a, double i_a, double h0);

#endif

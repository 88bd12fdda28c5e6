/* breaker — protective devices: thermal-magnetic breakers (UL 489, IEC 60898-1
 * B/C/D) and plug fuses (BS 1362), each with a tolerance band.
 *
 * Thermal-magnetic breaker. Thermal element: normalised heat H with
 * dH/dt = ((I / I_t)^2 - H) / tau, trip when H >= 1 (first-order thermal
 * overload form of IEC 60255-8; facts.md 1). Heating and cooling share the
 * equation, so thermal memory comes for free. It is advanced with the exact
 * exponential update for a current held over one step,
 * H += ((I/I_t)^2 - H) * (1 - exp(-dt/tau)), the factor computed once in
 * breaker_new(). Magnetic element: trips when the RMS current over the last half
 * mains cycle exceeds m * In (its pick-up is an RMS figure, IEC 60898-1 tests d/e
 * apply a steady sinusoidal current); a pulse shorter than that, such as a PSU's
 * inrush, counts with its half-cycle RMS. Without a frequency the check is on
 * the step's current.
 *
 * Fuse. A single time constant cannot pass a fuse's whole window (facts.md 1), so
 * a fuse follows the inverse-time law t(I) = A / ((I / I_p)^p - 1) for I > I_p,
 * integrated over time as in IEEE C37.112: D += dt / t(I), blow when D >= 1.
 * Below I_p the accumulated D relaxes exponentially (the element cools). The
 * "heat" of a fuse is D.
 *
 * Tolerance band. Every family has three parameter sets, each passing its
 * standard's test points: the fast edge (the earliest-tripping device that still
 * meets the standard), the nominal curve, and the slow edge.
 *
 * Ambient. Devices are calibrated at an ambient (30 C IEC, 40 C UL). The bimetal
 * (or fuse element) trips at a fixed temperature, so with the model above
 * I_t^2 ~ (T_trip - T_ambient) (facts.md 1, D): I_t (a fuse's I_p) is scaled by
 * sqrt((T_trip - T_amb) / (T_trip - T_cal)). T_trip = 105 C: the derating rule
 * sqrt((105 - T) / 65) of Siemens for a 40 C calibration (S), which reproduces
 * Schneider's PowerPact B correction factors (0.92 at 50 C, 0.83 at 60 C, S).
 *
 * Each family is one row of a table chosen by name (breaker.c).
 */
#ifndef PSUSIM_BREAKER_H
#define PSUSIM_BREAKER_H

#include <stddef.h>

enum breaker_trip {
    BREAKER_CLOSED = 0,   /* not tripped */
    BREAKER_THERMAL,      /* thermal element H >= 1, or a fuse blew (D >= 1) */
    BREAKER_MAGNETIC      /* the current exceeded the magnetic pick-up */
};

/* The three curves of a family's tolerance band. */
enum breaker_edge { BREAKER_FAST = 0, BREAKER_NOMINAL, BREAKER_SLOW, BREAKER_EDGE_COUNT };

enum breaker_model {
    BREAKER_MODEL_THERMAL_MAGNETIC = 0, /* first-order thermal + magnetic */
    BREAKER_MODEL_FUSE                  /* inverse-time accumulation */
};

/* One curve of a family (multiples of In). */
struct breaker_curve {
    double it_multiple;        /* thermal: I_t / In; fuse: I_p / In */
    double tau_s;              /* thermal: time constant, s; fuse: cooling time constant, s */
    double magnetic_multiple;  /* thermal-magnetic: pick-up / In; fuse: 0 (none) */
    double fuse_a_s;           /* fuse: A of t = A / ((I/I_p)^p - 1), s; else 0 */
    double fuse_p;             /* fuse: exponent p; else 0 */
};

/* One family (a row of the table in breaker.c). */
struct breaker_family {
    const char *name;          /* as written in the INI: "ul489", "iec-b", "bs1362" */
    const char *standard;      /* "UL 489", "IEC 60898-1 type B", "BS 1362 fuse" */
    enum breaker_model model;
    struct breaker_curve edge[BREAKER_EDGE_COUNT]; /* fast, nominal, slow */
    double calib_ambient_c;    /* calibration ambient, C (40 UL, 30 IEC, BS 1362 U) */
    double trip_temp_c;        /* element trip temperature for ambient scaling, C */
};

/* The family named NAME, or NULL. */
const struct breaker_family *breaker_family_find(const char *name);

/* The table, for listings and "did you mean". I < breaker_family_count(). */
size_t breaker_family_count(void);
const struct breaker_family *breaker_family_at(size_t i);

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
 * closed, else the step (1..N) of the stride in which it tripped. The
 * half-cycle window takes N samples of I2_A2. */
size_t breaker_advance(breaker *b, double i2_a2, size_t n);

/* The heat breaker_advance(B, I2_A2, N) would leave, without advancing. */
double breaker_heat_after(const breaker *b, double i2_a2, size_t n);

/* Thermal state H, or a fuse's accumulated D (1.0 = trip). */
double breaker_heat(const breaker *b);

/* BREAKER_CLOSED, or the cause of the latched trip. */
enum breaker_trip breaker_state(const breaker *b);

/* The current the magnetic element sees now: the RMS over its half-cycle window
 * (the last step's current without a window), A. */
double breaker_magnetic_current_a(const breaker *b);

/* Thermal pick-up current I_t (a fuse's I_p) after the ambient correction, A; and
 * the magnetic pick-up, A (INFINITY for a fuse). */
double breaker_thermal_pickup_a(const breaker *b);
double breaker_magnetic_pickup_a(const breaker *b);

/* Closed-form trip time (s) at constant current I_A from heat H0 (0 = cold) for
 * the given edge at the calibration ambient, ignoring the magnetic element:
 * thermal-magnetic t = tau ln((I^2 - H0 I_t^2) / (I^2 - I_t^2)) (IEC 60255-8);
 * fuse t = (1 - H0) A / ((I/I_p)^p - 1). INFINITY when I_A <= the pick-up,
 * 0 when H0 >= 1, NaN for invalid input. */
double breaker_trip_time(const struct breaker_family *f, enum breaker_edge edge,
                         double rated_a, double i_a, double h0);

#endif

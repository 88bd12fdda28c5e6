/* breaker — thermal-magnetic circuit breakers (UL 489, IEC 60898-1 B/C/D).
 *
 * Thermal element: normalised heat H with dH/dt = ((I / I_t)^2 - H) / tau, trip
 * when H >= 1 (first-order thermal overload form of IEC 60255-8; facts.md 1).
 * Heating and cooling share the equation, so thermal memory comes for free. It is
 * advanced with the exact exponential update for a current held over one step,
 * H += ((I/I_t)^2 - H) * (1 - exp(-dt/tau)), the factor computed once in
 * breaker_new(). Magnetic element: trips in the step the RMS current exceeds
 * m * In. Each curve family is one row of a table chosen by name, calibrated to
 * pass its standard's test points (see breaker.c).
 */
#ifndef PSUSIM_BREAKER_H
#define PSUSIM_BREAKER_H

#include <stddef.h>

enum breaker_trip {
    BREAKER_CLOSED = 0,   /* not tripped */
    BREAKER_THERMAL,      /* the thermal element reached H >= 1 */
    BREAKER_MAGNETIC      /* the current exceeded the magnetic pick-up */
};

/* One curve family (a row of the table in breaker.c). */
struct breaker_family {
    const char *name;          /* as written in the INI: "ul489", "iec-b", ... */
    const char *standard;      /* "UL 489", "IEC 60898-1 type B", ... */
    double it_multiple;        /* I_t / In: the current the thermal element settles at trip */
    double tau_s;              /* thermal time constant, s */
    double magnetic_multiple;  /* magnetic pick-up / In */
    double calib_ambient_c;    /* calibration ambient, C (40 UL, 30 IEC) */
};

/* The family named NAME, or NULL. */
const struct breaker_family *breaker_family_find(const char *name);

/* The table, for listings and "did you mean". I < breaker_family_count(). */
size_t breaker_family_count(void);
const struct breaker_family *breaker_family_at(size_t i);

struct breaker_params {
    const struct breaker_family *family;
    double rated_a;            /* In, A */
    double magnetic_multiple;  /* pick-up / In; 0 = the family's value */
    double dt_s;               /* the engine's step, s */
};

typedef struct breaker breaker;

/* Builds a breaker, cold (H = 0) and closed. Returns NULL with a message in ERR
 * for unusable parameters. The caller owns it: free with breaker_free(). */
breaker *breaker_new(const struct breaker_params *p, char *err, size_t errlen);

/* Frees B; breaker_free(NULL) does nothing. */
void breaker_free(breaker *b);

/* Back to cold and closed. */
void breaker_reset(breaker *b);

/* Advances one step with RMS current I_A held over the step. Returns the trip
 * state after the step (a trip latches: later steps return it unchanged and the
 * breaker passes no current, so the caller must set the circuit dead; the heat
 * stays at its value at the trip until breaker_reset()). A NaN current trips it
 * (magnetic) rather than poisoning the state.
 * Allocation-free, no exp(): safe in the step loop. */
enum breaker_trip breaker_step(breaker *b, double i_a);

/* Thermal state H (1.0 = trip). */
double breaker_heat(const breaker *b);

/* BREAKER_CLOSED, or the cause of the latched trip. */
enum breaker_trip breaker_state(const breaker *b);

/* Thermal pick-up current I_t, A; and the magnetic pick-up, A. */
double breaker_thermal_pickup_a(const breaker *b);
double breaker_magnetic_pickup_a(const breaker *b);

/* Closed-form trip time (s) of the thermal element at constant current I_A from
 * heat H0 (0 = cold): t = tau ln((I^2 - H0 I_t^2) / (I^2 - I_t^2)) (IEC 60255-8).
 * INFINITY when I_A <= I_t (never trips), 0 when H0 >= 1, NaN for invalid input.
 * Ignores the magnetic element. */
double breaker_thermal_trip_time(const struct breaker_family *f, double rated_a,
                                 double i_a, double h0);

#endif

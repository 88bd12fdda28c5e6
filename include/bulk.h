/* bulk — a PSU's PFC stage and bulk capacitor.
 *
 * The PFC voltage loop has a bandwidth of 10-20 Hz, so the AC side follows the
 * DC-side demand through a low pass and the bulk capacitor absorbs the
 * difference (facts.md 2: TI UCC28070, ML4800 datasheets, S; "usually the
 * bandwidth of the voltage loop is chosen to be 10~20 Hz", to stay well below
 * the twice-line ripple: TI UCC28070 datasheet SLUS794E, "Voltage Loop
 * Compensation", http://38.142.81.21:8001/manual/texas-instruments/ucc28070dwr/
 * datasheet-english/page-31.html, P, and a PFC design note quoted at
 * https://th4.ilovetranslation.com/ps3bkkkh4x1=d, W).
 * Model, in input-referred watts (the demand P_d is the PSU's input power for its
 * present DC output):
 *
 *   L' = (P_d - L) / tau                  the loop's low-passed view of the demand
 *   P_ac = L + (E_ref - E) / tau          plus the recharge of the capacitor
 *   E'  = P_ac - P_d                      the capacitor's energy, E = C V^2 / 2
 *
 * so the AC side sees a step in demand as a smooth rise (13.5 % overshoot at
 * 2 tau), a millisecond spike barely at all, and energy balances exactly:
 * (the transfer function from P_d to P_ac is H(s) = (1 + 2 s tau) / (1 + s tau)^2,
 * a critically damped PI loop on the stored energy; see bulk_bandwidth_hz:
 * its -3 dB bandwidth is 0.395 / tau, not 1 / (2 pi tau), so the cited 10-20 Hz
 * means tau = 19.8-39.5 ms, not facts.md's single-pole 8-16 ms)
 * integral(P_ac) = integral(P_d) + E(end) - E(start). L is advanced with the exact
 * exponential factor computed once; E with the step's explicit balance, so the
 * balance holds to rounding. The DC-DC stage drops out when V falls below its
 * drop-out voltage.
 *
 * Hold-up (facts.md 2): t = C (V1^2 - V2^2) / (2 P).
 */
#ifndef PSUSIM_BULK_H
#define PSUSIM_BULK_H

#include <stddef.h>

struct bulk_params {
    double capacitance_f;   /* bulk capacitance, F */
    double v_nominal;       /* regulated bulk voltage V1, V */
    double v_dropout;       /* DC-DC drop-out voltage V2, V */
    double pfc_tau_s;       /* PFC loop time constant, s */
    double dt_s;            /* engine step, s */
};

/* The loader's defaults (scenario.c's key table writes the same values; the
 * tests check they agree):
 *   PFC tau 26 ms: -3 dB bandwidth 15.2 Hz (bulk_bandwidth_hz), the middle of
 *     the cited 10-20 Hz (D); the loop's crossover (|T| = 1, T = (2 s tau + 1) /
 *     (s tau)^2) is then 12.6 Hz, inside the band too (D).
 *   bulk voltage 390 V: inside facts.md's 390-400 V (S).
 *   drop-out 340 V: the Super Flower Leadex Titanium 1600 W, 1560 uF, measures
 *     16 ms hold-up (Tom's Hardware AX1500i review, 2015, page 4,
 *     https://www.tomshardware.com/uk/reviews/corsair-ax1500i-titanium-power-
 *     supply,4276-4.html, S; taken at full load at 115 V input, the review's
 *     hold-up test, U). Full load input-referred at the 80 PLUS Titanium 115 V
 *     minimum (90 %) is 1600 / 0.90 = 1777.8 W, so V1^2 - V2^2 = 2 P t / C =
 *     36467 V^2 and V2 = sqrt(390^2 - 36467) = 340.0 V (D). That is above
 *     facts.md's 300-330 V, which with 390-400 V gives this unit 21-30 ms: the
 *     measurement wins (the converter also loses regulation, and PWR_OK drops,
 *     before its controller's own drop-out). */
#define BULK_PFC_TAU_DEFAULT_S  26e-3
#define BULK_V_NOMINAL_DEFAULT  390.0
#define BULK_V_DROPOUT_DEFAULT  340.0

/* The -3 dB bandwidth (Hz) of the AC side's response to the demand for PFC time
 * constant TAU_S: |H(j w)|^2 = (1 + 4 u) / (1 + u)^2 with u = (w tau)^2 equals
 * 1/2 at u = 3 + sqrt(10), so f = sqrt(3 + sqrt(10)) / (2 pi tau) = 0.3951 / tau.
 * (The gain peaks at 1.155, +1.25 dB, at w tau = 1 / sqrt(2), below the band.) */
double bulk_bandwidth_hz(double tau_s);

typedef struct bulk bulk;

/* Builds the model at rest (E = E_ref, no demand). NULL with a message in ERR. */
bulk *bulk_new(const struct bulk_params *p, char *err, size_t errlen);

/* Frees B; bulk_free(NULL) does nothing. */
void bulk_free(bulk *b);

/* Back to rest, with the low pass settled at demand P0_W (W). */
void bulk_reset(bulk *b, double p0_w);

/* Advances one step with demand P_D_W (input-referred W). Returns the AC power
 * drawn over the step, W, never below 0 (bulk.c: the PFC's diode bridge).
 * Allocation-free. */
double bulk_step(bulk *b, double p_d_w);

/* Advances N steps with the demand P_D_W held, in closed form (the same state as
 * N bulk_step() calls, to rounding; N == 1 is bulk_step itself). Returns the sum
 * of the AC power over the N steps, W x steps. The floor E >= 0 is not applied:
 * for strides with the capacitor near its reference. */
double bulk_advance(bulk *b, double p_d_w, size_t n);

/* Without advancing: the AC power of step J (0-based, J >= 0 real, so a
 * stride's midpoint can be asked for) and the stored energy after J steps, J,
 * of a stride of held demand P_D_W from the present state. */
double bulk_peek_ac(const bulk *b, double p_d_w, double j);
double bulk_peek_energy(const bulk *b, double p_d_w, double j);

/* The same for a ramp of demand, P0 + S j + C j^2 at step j (W, W per step, W
 * per step squared: a trace's straight piece through the PSU's bent curve): N
 * steps in closed form (bulk_advance_ramp; S = C = 0 is bulk_advance), the AC
 * power of step J and the energy after J steps, and how far the state is from
 * the ramp's own steady course (which lags the ramp by about 1/k steps). */
double bulk_advance_ramp(bulk *b, double p0, double s, double c, size_t n);
double bulk_peek_ac_ramp(const bulk *b, double p0, double s, double c, double j);
double bulk_peek_energy_ramp(const bulk *b, double p0, double s, double c, double j);
double bulk_unsettled_ramp_w(const bulk *b, double p0, double s, double c);

/* Bounds over every step of a stride of held demand P_D_W from the present
 * state, however long: |P_ac(j) - P_D_W| <= *AC_W (W) and |E_j - E_ref| <=
 * *E_J (J). Loose (a step dP gives 2 dP where the AC side overshoots by
 * 0.135 dP), for checks far from any limit (the engine's composite pieces). */
void bulk_dev_bound(const bulk *b, double p_d_w, double *ac_w, double *e_j);
/* The AC side's departure from a held demand P_D_W as a critically damped
 * decay: P_ac(j) - P_D_W = (*A + *B j) *X^j for the steps j of a stride from the
 * present state, W. The closed form above has r^j where this has q^j: they
 * differ by a factor (r / q)^j = exp(j ln(r / q)), ln(r / q) about (dt / tau)^2
 * / 2 (7e-8 at 10 us, 26 ms): a relative 1.5e-3 after 8 time constants. For
 * the engine's second-order sums (engine.c, EXACT_AMP), not for the first
 * order, which bulk_advance's energy balance gives exactly. */
void bulk_dev_decay(const bulk *b, double p_d_w, double *a, double *b_w, double *x);

/* The closed form's two modes from the present state under a held demand P_D_W:
 * the AC side's departure P_ac(j) - P_D_W = ac_r r^j + ac_q q^j (W) and the
 * energy's E_j - E_ref = e_r r^j + e_q q^j (J) after j steps, with r^j =
 * exp(j ln_r), q^j = exp(j ln_q). Exact for any amplitude (the model is linear
 * in its deviations); the two coefficients of each are large and of opposite
 * signs when r is close to q (their sum is the departure now), so sums of
 * products lose about log10((tau / dt)^4 / 16) of 16 digits (1e-9 at 10 us, 20
 * ms). Returns 0, or -1 when r and q are one number (no two modes). */
struct bulk_modes {
    double ac_r, ac_q;      /* AC departure's coefficients, W */
    double e_r, e_q;        /* energy departure's coefficients, J */
    double ln_r, ln_q;      /* the modes' logarithms a step */
    /* a ramp's steady course (bulk_ramp_modes; 0 for a held demand): its AC
     * power P_j + ac_steady_w, its energy E_ref + e_steady_j + e_drift_j j */
    double ac_steady_w, e_steady_j, e_drift_j;
};
int bulk_dev_modes(const bulk *b, double p_d_w, struct bulk_modes *m);
/* The same departures from a ramp's steady course (bulk_advance_ramp): the AC
 * power of step j is P_j + ac_steady_w + the AC modes, the energy after j
 * steps E_ref + e_steady_j + e_drift_j j + the energy modes. */
int bulk_ramp_modes(const bulk *b, double p0, double s, double c, struct bulk_modes *m);
/* A lower bound of the AC power over any length of a held demand P_D_W (W;
 * bulk.c: a drop's undershoot is 14 % of it at most), and for a ramp the
 * lowest its AC power can reach below its course P0 + S j + C j^2 (the
 * steady offset and the departure: add the course's own lowest). For the
 * engine's check that the unclamped closed forms stay at or above 0 W. */
double bulk_ac_low_w(const bulk *b, double p_d_w);
double bulk_ac_low_ramp_w(const bulk *b, double p0, double s, double c);

/* bulk_dev_bound for a ramp: bounds on the departures from its steady course
 * (the modes' sums) over any length, W and J. */
void bulk_ramp_dev_bound(const bulk *b, double p0, double s, double c, double *ac_w,
                         double *e_j);

/* How far the state is from rest at demand P_D_W, in W: the larger of
 * |L - P_D| and |E - E_ref| / tau. The AC power can cross the demand while the
 * capacitor still recharges; this measure is small only when both are. */
double bulk_unsettled_w(const bulk *b, double p_d_w);

/* Bulk voltage now, V; 0 when the energy is gone. */
double bulk_voltage(const bulk *b);

/* 1 if the voltage is below the drop-out voltage (the DC-DC stage stops). */
int bulk_dropped(const bulk *b);

/* Stored energy now and at rest, J. */
double bulk_energy(const bulk *b);
double bulk_energy_ref(const bulk *b);

/* Hold-up time at load P_W (input-referred W), s: C (V1^2 - V2^2) / (2 P);
 * INFINITY for P <= 0. */
double bulk_holdup_s(const struct bulk_params *p, double p_w);

#endif

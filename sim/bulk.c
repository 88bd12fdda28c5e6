/* bulk.c — a PSU's PFC stage and bulk capacitor (bulk.h).
 *
 * The model (bulk.h; facts.md 2: PFC voltage loop bandwidth 10-20 Hz, TI
 * UCC28070 and ML4800 datasheets, S; with this model's H(s) that is tau
 * 19.8-39.5 ms, bulk_bandwidth_hz), in input-referred watts:
 *
 *   L' = (P_d - L) / tau                the loop's low-passed view of the demand
 *   P_ac = L + (E_ref - E) / tau        plus the recharge of the capacitor,
 *                                       never below 0
 *   E'  = P_ac - P_d                    the capacitor's energy, E = C V^2 / 2
 *
 * One step, the demand P_d held over it (DESIGN.md 3):
 *
 *   L   += (P_d - L) k,                 k = 1 - exp(-dt / tau) = -expm1(-dt / tau)
 *   P_ac = max(0, L + (E_ref - E) / tau)
 *   E   += (P_ac - P_d) dt,             E clamped at >= 0
 *
 * The floor: a boost PFC draws from the line through its input diode bridge,
 * which conducts one way, so it cannot return the capacitor's surplus to the
 * line (D). After a large drop in demand (to below about 12 % of what it was:
 * the step response undershoots by 13.5 % of the step, below) the loop's
 * reference would go negative; the PFC then draws nothing while the
 * capacitor, charged above its reference, carries the load. The closed forms
 * below are the unclamped model: the engine takes them only over pieces whose
 * AC power stays above 0, and single steps where it may not.
 *   V    = sqrt(2 E / C)
 *
 * L's update is exact for a held demand; E's is the step's explicit balance, so
 * sum(P_ac dt) = sum(P_d dt) + E(end) - E(start) holds to rounding for as long
 * as E stays above 0 (once the capacitor is empty the DC-DC stage has long
 * dropped out and the balance no longer matters). k and 1 / tau are computed
 * once in bulk_new(). The explicit update of E is stable for dt < 2 tau; we ask
 * for dt < tau (the engine's steps are 10 us - 1 ms against tau of 20-40 ms).
 *
 * Continuous response to a step dP in demand (the figures the tests check):
 * the energy deficit x = E_ref - E obeys x' = dP e^{-t/tau} - x / tau, so
 * x(t) = dP t e^{-t/tau}, highest (dP tau / e) at t = tau; the AC side rises as
 * dP (1 - e^{-t/tau} + (t/tau) e^{-t/tau}), highest (1 + e^-2 = 1.135 dP, the
 * 13.5 % overshoot of bulk.h) at t = 2 tau.
 *
 * Hold-up (facts.md 2): t = C (V1^2 - V2^2) / (2 P).
 */
#include "bulk.h"

#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------- */
/* State                                                                     */
/* ------------------------------------------------------------------------- */

/* dev_e()'s memo entries (a power of two: the index is masked) */
enum { BULK_MEMO = 64 };

struct bulk {
    double c_f;          /* bulk capacitance, F */
    double v_nominal;    /* regulated bulk voltage V1, V */
    double v_dropout;    /* DC-DC drop-out voltage V2, V */
    double dt_s;         /* step, s */
    double inv_tau;      /* 1 / tau, 1/s */
    double k;            /* 1 - exp(-dt / tau): the low pass's step factor */
    double e_ref_j;      /* energy at V1, C V1^2 / 2, J */
    double l_w;          /* L, the low-passed demand, W */
    double e_j;          /* E, the stored energy now, J (>= 0) */
    /* the stride's closed form (see bulk_advance), computed once */
    double r, q;         /* 1 - k and 1 - dt / tau: the deviations' step factors */
    double ln_r;         /* ln(1 - k): L's deviation shrinks by r = 1 - k a step */
    double ln_q;         /* ln(1 - dt / tau): E's own decay factor q a step */
    double d_rq;         /* r - q, computed without cancellation */
    double lambda;       /* ln(r / q) */
    /* dev_e()'s factors for the step counts J asked lately: a stride's pieces
     * ask the same J again whenever their length repeats (half a PFC time
     * constant in a transient, a spike's length), and each costs an exp and an
     * expm1 (issue 14, 3). A memo of the same arithmetic: bit-identical.
     * Direct-mapped on J's bits: a piece asks four J ((n-1)/2, n-1, n/2, n), and
     * a few piece lengths alternate (spike, transient, settled). */
    struct dev_memo {
        double j;        /* the step count, or -1 (empty: J >= 0) */
        double qj;       /* q^j */
        double diff;     /* r^j - q^j */
        double s;        /* S(j) */
    } memo[BULK_MEMO];
};

/* ------------------------------------------------------------------------- */
/* Validation and construction                                               */
/* ------------------------------------------------------------------------- */

/* Writes "bulk: MSG (got VALUE)" into ERR if there is room. */
static void set_err(char *err, size_t errlen, const char *msg, double value)
{
    if (err != NULL && errlen > 0)
        snprintf(err, errlen, "bulk: %s (got %g)", msg, value);
}

/* 1 if P's capacitor and voltages are usable, else 0 with a message in ERR
 * (which may be NULL). */
static int capacitor_ok(const struct bulk_params *p, char *err, size_t errlen)
{
    if (p == NULL) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "bulk: no parameters");
        return 0;
    }
    if (!(isfinite(p->capacitance_f) && p->capacitance_f > 0)) {
        set_err(err, errlen, "bulk capacitance must be a finite value > 0 F",
                p->capacitance_f);
        return 0;
    }
    if (!(isfinite(p->v_dropout) && p->v_dropout > 0)) {
        set_err(err, errlen, "drop-out voltage must be a finite value > 0 V",
                p->v_dropout);
        return 0;
    }
    if (!(isfinite(p->v_nominal) && p->v_nominal > p->v_dropout)) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "bulk: nominal bulk voltage must be finite and "
                     "above the %g V drop-out voltage (got %g)", p->v_dropout,
                     p->v_nominal);
        return 0;
    }
    return 1;
}

/* 1 if every field of P is usable, else 0 with a message in ERR. */
static int params_ok(const struct bulk_params *p, char *err, size_t errlen)
{
    if (!capacitor_ok(p, err, errlen))
        return 0;
    if (!(isfinite(p->pfc_tau_s) && p->pfc_tau_s > 0)) {
        set_err(err, errlen, "PFC time constant must be a finite value > 0 s",
                p->pfc_tau_s);
        return 0;
    }
    if (!(isfinite(p->dt_s) && p->dt_s > 0)) {
        set_err(err, errlen, "time step must be a finite value > 0 s", p->dt_s);
        return 0;
    }
    if (!(p->dt_s < p->pfc_tau_s)) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "bulk: time step %g s must be shorter than the "
                     "PFC time constant %g s", p->dt_s, p->pfc_tau_s);
        return 0;
    }
    return 1;
}

bulk *bulk_new(const struct bulk_params *p, char *err, size_t errlen)
{
    bulk *b;

    if (!params_ok(p, err, errlen))
        return NULL;
    b = malloc(sizeof *b);
    if (b == NULL) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "bulk: out of memory");
        return NULL;
    }
    b->c_f = p->capacitance_f;
    b->v_nominal = p->v_nominal;
    b->v_dropout = p->v_dropout;
    b->dt_s = p->dt_s;
    b->inv_tau = 1.0 / p->pfc_tau_s;
    /* 1 - exp(-x) via expm1: exact to rounding even for dt << tau (DESIGN.md 3) */
    b->k = -expm1(-p->dt_s / p->pfc_tau_s);
    b->e_ref_j = 0.5 * p->capacitance_f * p->v_nominal * p->v_nominal;
    b->r = 1.0 - b->k;
    b->q = 1.0 - p->dt_s * b->inv_tau;
    b->ln_r = log1p(-b->k);
    b->ln_q = log1p(-p->dt_s * b->inv_tau);
    /* r - q = dt / tau - (1 - exp(-dt / tau)): both terms are exact to rounding,
     * their difference (about (dt / tau)^2 / 2) keeps 1e-12 relative accuracy */
    b->d_rq = p->dt_s * b->inv_tau - b->k;
    b->lambda = b->ln_r - b->ln_q;
    for (size_t i = 0; i < BULK_MEMO; i++) b->memo[i].j = -1.0;
    bulk_reset(b, 0.0);   /* at rest, no demand (bulk.h) */
    return b;
}

void bulk_free(bulk *b)
{
    free(b);
}

void bulk_reset(bulk *b, double p0_w)
{
    b->e_j = b->e_ref_j;
    b->l_w = p0_w;
}

/* ------------------------------------------------------------------------- */
/* Stepping                                                                  */
/* ------------------------------------------------------------------------- */

/* The demand is expected finite: a NaN would stay in L and E until the next
 * bulk_reset(). */
double bulk_step(bulk *b, double p_d_w)
{
    double p_ac;

    b->l_w += (p_d_w - b->l_w) * b->k;
    p_ac = b->l_w + (b->e_ref_j - b->e_j) * b->inv_tau;
    if (p_ac < 0.0)                     /* the diode bridge (top) */
        p_ac = 0.0;
    b->e_j += (p_ac - p_d_w) * b->dt_s;
    if (b->e_j < 0.0)
        b->e_j = 0.0;
    return p_ac;
}

/* Strides (engine stride mode): N steps of a held demand in closed form.
 *
 * With the deviations l = L - P_d and e = E - E_ref the step above reads
 *
 *   l' = r l                        r = 1 - k
 *   P_ac = P_d + l' - e / tau
 *   e' = q e + dt l'                q = 1 - dt / tau
 *
 * a lower-triangular linear map, so after j steps
 *
 *   l_j = r^j l_0
 *   e_j = q^j e_0 + dt r l_0 S(j),  S(j) = sum_{i<j} q^(j-1-i) r^i
 *                                        = (r^j - q^j) / (r - q)
 *                                        = q^j expm1(j ln(r/q)) / (r - q)
 *
 * (the last form has no cancellation although r and q differ by about
 * (dt / tau)^2 / 2). The AC energy of the stride follows from the balance the
 * step keeps exactly: sum P_ac dt = N P_d dt + E_N - E_0. The floor E >= 0 is
 * not applied: the engine strides only with the capacitor near its reference. */

/* e_j for real J >= 0 from deviations L0 and E0; *RJ receives r^j. One exp and
 * one expm1: r^j = q^j + q^j expm1(j ln(r/q)). */
static double dev_e(const bulk *b, double l0, double e0, double j, double *rj)
{
    /* the memo is no part of the model's state: a const bulk may fill it (every
     * bulk is allocated by bulk_new(), never a const object) */
    uint64_t bits;
    memcpy(&bits, &j, sizeof bits);
    /* Fibonacci hashing of J's bits (Knuth, TAOCP 3, 6.4): the top bits of the
     * product by 2^64 / phi index the table */
    unsigned i = (unsigned)((bits * UINT64_C(0x9E3779B97F4A7C15)) >> 58);
    struct dev_memo *m = &((bulk *)b)->memo[0];

    if (!(m[i].j == j)) {
        double qj = exp(j * b->ln_q);
        double diff = qj * expm1(j * b->lambda);      /* r^j - q^j */
        m[i].j = j;
        m[i].qj = qj;
        m[i].diff = diff;
        m[i].s = b->d_rq != 0.0 ? diff / b->d_rq : j * qj / b->q;
    }
    *rj = m[i].qj + m[i].diff;
    return m[i].qj * e0 + b->dt_s * b->r * l0 * m[i].s;
}

double bulk_peek_ac(const bulk *b, double p_d_w, double j)
{
    double l0 = b->l_w - p_d_w;
    double e0 = b->e_j - b->e_ref_j;
    double rj, ej;

    if (j == 0.0)       /* the next step: no power needed */
        return p_d_w + b->r * l0 - b->inv_tau * e0;
    ej = dev_e(b, l0, e0, j, &rj);
    return p_d_w + rj * b->r * l0 - b->inv_tau * ej;
}

double bulk_unsettled_w(const bulk *b, double p_d_w)
{
    double l = fabs(b->l_w - p_d_w), e = fabs(b->e_j - b->e_ref_j) * b->inv_tau;

    return l > e ? l : e;
}

/* The lowest the AC departure can reach over any length from deviations L0
 * and E0: d(j) = l_0 g(j) - q^j e_0 / tau with g(j) = r^(j+1) - (dt r / tau) S(j)
 * (the closed form above). g <= 1, and g's lowest over j >= 0 is the step
 * response's undershoot: -e^-2 = -0.1353 in the continuous limit, above -0.137
 * for dt <= 0.3 tau (evaluated over 20 time constants at dt / tau from 1e-4 to
 * 0.3), above -1 for dt <= tau. So d >= (l_0 > 0 ? -0.14 l_0 : l_0) - |e_0| /
 * tau: a drop in demand takes the AC power 14 % of the drop below the new
 * demand at most, where bulk_dev_bound allows twice the drop. */
static double dev_low(const bulk *b, double l0, double e0)
{
    double g_lo = b->dt_s * b->inv_tau <= 0.3 ? 0.14 : 1.0;
    return (l0 > 0 ? -g_lo * l0 : l0) - fabs(e0) * b->inv_tau;
}

double bulk_ac_low_w(const bulk *b, double p_d_w)
{
    return p_d_w + dev_low(b, b->l_w - p_d_w, b->e_j - b->e_ref_j);
}

/* From the closed form above: |l_j| = r^j |l_0| <= |l_0|, and S(j) =
 * sum_{i<j} q^(j-1-i) r^i <= sum_i r^i = 1 / k (0 < q <= 1), so |e_j| <= |e_0| +
 * dt r |l_0| / k, and P_ac(j) - P_d = r^(j+1) l_0 - e_j / tau. */
void bulk_dev_bound(const bulk *b, double p_d_w, double *ac_w, double *e_j)
{
    double l0 = fabs(b->l_w - p_d_w), e0 = fabs(b->e_j - b->e_ref_j);
    double e = e0 + b->dt_s * b->r * l0 / b->k;

    *e_j = e;
    *ac_w = b->r * l0 + e * b->inv_tau;
}

/* From the closed form: P_ac(j) - P_d = r^(j+1) l_0 - e_j / tau with e_j = q^j
 * e_0 + dt r l_0 S(j) and S(j) = j q^(j-1) (r / q)-terms dropped (bulk.h). */
void bulk_dev_decay(const bulk *b, double p_d_w, double *a, double *b_w, double *x)
{
    double l0 = b->l_w - p_d_w, e0 = b->e_j - b->e_ref_j;

    *a = b->r * l0 - e0 * b->inv_tau;
    *b_w = -b->dt_s * b->r * l0 * b->inv_tau / b->q;
    *x = b->q;
}

/* From the closed form: e_j = q^j e_0 + C (r^j - q^j) with C = dt r l_0 / (r -
 * q), and P_ac(j) - P_d = r^(j+1) l_0 - e_j / tau = (r l_0 - C / tau) r^j +
 * (C - e_0) / tau q^j. */
static int modes_of(const bulk *b, double l0, double e0, struct bulk_modes *m)
{
    if (b->d_rq == 0.0) return -1;
    double c = b->dt_s * b->r * l0 / b->d_rq;
    m->e_r = c;
    m->e_q = e0 - c;
    m->ac_r = b->r * l0 - c * b->inv_tau;
    m->ac_q = (c - e0) * b->inv_tau;
    m->ln_r = b->ln_r;
    m->ln_q = b->ln_q;
    m->ac_steady_w = m->e_steady_j = m->e_drift_j = 0.0;
    return 0;
}

int bulk_dev_modes(const bulk *b, double p_d_w, struct bulk_modes *m)
{
    return modes_of(b, b->l_w - p_d_w, b->e_j - b->e_ref_j, m);
}

double bulk_peek_energy(const bulk *b, double p_d_w, double j)
{
    double rj;

    return b->e_ref_j + dev_e(b, b->l_w - p_d_w, b->e_j - b->e_ref_j, j, &rj);
}

double bulk_advance(bulk *b, double p_d_w, size_t n)
{
    double l0, e0, en, rn;

    if (n <= 1)
        return n == 1 ? bulk_step(b, p_d_w) : 0.0;
    l0 = b->l_w - p_d_w;
    e0 = b->e_j - b->e_ref_j;
    en = dev_e(b, l0, e0, (double)n, &rn);
    b->l_w = p_d_w + rn * l0;
    b->e_j = b->e_ref_j + en;
    return (double)n * p_d_w + (en - e0) / b->dt_s;
}

/* Ramps (a trace's straight segment, issue 14, 2): the demand of step j is
 * P_j = P0 + s j + c j^2 (c: the PSU curve's bend over the piece; c = 0 a
 * straight ramp). The step's map has the particular solution
 *
 *   L*_j = P_j + a + b j                with b = -2 c / k, a = -(s + c + b) / k
 *   E*_j = E_ref + g + h j              with h = tau r b, g = tau r a - h tau / dt
 *
 * Check: L*_{j+1} = r L*_j + k P_j (r + k = 1) reads P_{j+1} - P_j + a + b (j +
 * 1) = r (a + b j), i.e. (s + c + b + k a) + (2 c + k b) j = 0 for every j, so
 * k b = -2 c and k a = -(s + c + b); and E*_{j+1} = E*_j + dt (L*_{j+1} +
 * (E_ref - E*_j) / tau - P_j) with L*_{j+1} - P_j = r a + r b j (the same two
 * identities) needs h = dt r a + dt r b j - (g + h j) dt / tau for every j:
 * h = tau r b, g = tau r a - h tau / dt. For c = 0: the low pass lags the ramp
 * by 1/k steps (a = -s / k) and the capacitor gives up the lag's energy
 * (g = -tau s r / k), constant. The deviations l = L - L*_j, e = E - E*_j follow
 * exactly the held demand's recurrence above; the AC power of step j is
 *
 *   P_ac(j) = L*_{j+1} + (E_ref - E*_j) / tau + r^(j+1) l_0 - e_j / tau
 *           = P_j + h / dt + r^(j+1) l_0 - e_j / tau
 *
 * (the bend's steady part: the lag grows, the capacitor's energy drifts by h a
 * step), and the stride's AC energy again the balance: sum P_ac dt = sum P_d dt
 * + E_N - E_0. S = C = 0 is the held demand. tests/test_bulk.c holds all of it
 * to bulk_step() fed P_j step by step. */

/* The particular solution's coefficients (above) for slope S and bend C. */
struct ramp_part {
    double a, b, g, h;
};

static struct ramp_part ramp_part(const bulk *b, double s, double c)
{
    struct ramp_part p;

    if (c == 0.0) {              /* a straight ramp: the same arithmetic as ever */
        p.a = -s / b->k;
        p.b = 0.0;
        p.g = -s * b->r / (b->k * b->inv_tau);
        p.h = 0.0;
        return p;
    }
    p.b = -2.0 * c / b->k;
    p.a = -(s + c + p.b) / b->k;
    p.h = b->r * p.b / b->inv_tau;
    p.g = b->r * p.a / b->inv_tau - p.h / (b->inv_tau * b->dt_s);
    return p;
}

/* The deviations from the particular solution now. */
static void ramp_dev(const bulk *b, double p0, const struct ramp_part *p, double *l0,
                     double *e0)
{
    *l0 = b->l_w - (p0 + p->a);
    *e0 = b->e_j - (b->e_ref_j + p->g);
}

double bulk_peek_ac_ramp(const bulk *b, double p0, double s, double c, double j)
{
    struct ramp_part p = ramp_part(b, s, c);
    double l0, e0, rj, ej, steady = p.h / b->dt_s;

    ramp_dev(b, p0, &p, &l0, &e0);
    if (j == 0.0)
        return p0 + steady + b->r * l0 - b->inv_tau * e0;
    ej = dev_e(b, l0, e0, j, &rj);
    return p0 + s * j + c * j * j + steady + rj * b->r * l0 - b->inv_tau * ej;
}

double bulk_peek_energy_ramp(const bulk *b, double p0, double s, double c, double j)
{
    struct ramp_part p = ramp_part(b, s, c);
    double l0, e0, rj;

    ramp_dev(b, p0, &p, &l0, &e0);
    return b->e_ref_j + p.g + p.h * j + dev_e(b, l0, e0, j, &rj);
}

int bulk_ramp_modes(const bulk *b, double p0, double s, double c, struct bulk_modes *m)
{
    struct ramp_part p = ramp_part(b, s, c);
    double l0, e0;

    ramp_dev(b, p0, &p, &l0, &e0);
    if (modes_of(b, l0, e0, m) != 0) return -1;
    m->ac_steady_w = p.h / b->dt_s;
    m->e_steady_j = p.g;
    m->e_drift_j = p.h;
    return 0;
}

double bulk_ac_low_ramp_w(const bulk *b, double p0, double s, double c)
{
    struct ramp_part p = ramp_part(b, s, c);
    double l0, e0;

    ramp_dev(b, p0, &p, &l0, &e0);
    return p.h / b->dt_s + dev_low(b, l0, e0);
}

void bulk_ramp_dev_bound(const bulk *b, double p0, double s, double c, double *ac_w,
                         double *e_j)
{
    struct ramp_part p = ramp_part(b, s, c);
    double l0, e0;

    ramp_dev(b, p0, &p, &l0, &e0);
    l0 = fabs(l0);
    *e_j = fabs(e0) + b->dt_s * b->r * l0 / b->k;
    *ac_w = b->r * l0 + *e_j * b->inv_tau;
}

double bulk_unsettled_ramp_w(const bulk *b, double p0, double s, double c)
{
    struct ramp_part p = ramp_part(b, s, c);
    double l0, e0;

    ramp_dev(b, p0, &p, &l0, &e0);
    l0 = fabs(l0);
    e0 = fabs(e0) * b->inv_tau;
    return l0 > e0 ? l0 : e0;
}

double bulk_advance_ramp(bulk *b, double p0, double s, double c, size_t n)
{
    double l0, e0, en, rn, e_start = b->e_j, nd = (double)n;

    if ((s == 0.0 && c == 0.0) || n <= 1)
        return bulk_advance(b, p0, n);
    struct ramp_part p = ramp_part(b, s, c);
    ramp_dev(b, p0, &p, &l0, &e0);
    en = dev_e(b, l0, e0, nd, &rn);
    b->l_w = p0 + s * nd + c * nd * nd + p.a + p.b * nd + rn * l0;
    b->e_j = b->e_ref_j + p.g + p.h * nd + en;
    /* sum_{j<n} P_j = n P0 + s n (n - 1) / 2 + c (n - 1) n (2 n - 1) / 6 */
    return nd * p0 + s * nd * (nd - 1.0) / 2.0 + c * (nd - 1.0) * nd * (2.0 * nd - 1.0) / 6.0
           + (b->e_j - e_start) / b->dt_s;
}

/* ------------------------------------------------------------------------- */
/* Accessors and the closed form                                             */
/* ------------------------------------------------------------------------- */

double bulk_voltage(const bulk *b)
{
    return sqrt(2.0 * b->e_j / b->c_f);
}

int bulk_dropped(const bulk *b)
{
    return bulk_voltage(b) < b->v_dropout;
}

double bulk_energy(const bulk *b)
{
    return b->e_j;
}

double bulk_energy_ref(const bulk *b)
{
    return b->e_ref_j;
}

/* Closed form (bulk.h): from x' = P_d - P_ac and P_ac = L + x / tau with
 * L = P_d / (1 + s tau): x = P_d s tau^2 / (1 + s tau)^2, so
 * H = 1 / (1 + s tau) + s tau / (1 + s tau)^2 = (1 + 2 s tau) / (1 + s tau)^2.
 * |H|^2 = 1/2: 2 (1 + 4 u) = (1 + u)^2, u^2 - 6 u - 1 = 0, u = 3 + sqrt(10). */
double bulk_bandwidth_hz(double tau_s)
{
    return sqrt(3.0 + sqrt(10.0)) / (2.0 * 3.14159265358979323846 * tau_s);
}

/* t = C (V1^2 - V2^2) / (2 P) (facts.md 2): the time for the capacitor alone to
 * carry P from V1 down to V2. Only C, V1 and V2 are used (and checked): the
 * PFC loop plays no part once the AC is gone. INFINITY for P <= 0; NAN for an
 * unusable capacitor or voltages, or a NaN P. */
double bulk_holdup_s(const struct bulk_params *p, double p_w)
{
    if (!capacitor_ok(p, NULL, 0) || isnan(p_w))
        return NAN;
    if (p_w <= 0)
        return INFINITY;
    return p->capacitance_f * (p->v_nominal * p->v_nominal
                               - p->v_dropout * p->v_dropout) / (2.0 * p_w);
}

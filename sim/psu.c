/* psu — see include/psu.h.
 *
 * Sources (shared/reference/facts.md section 2, tags P/S/W/D/U as there):
 *   80 PLUS minimum efficiencies: Tom's Hardware 80 PLUS article, Wikipedia
 *   "80 Plus" (S). Power factor: "at least 0.90 at 50 % load (Bronze-Gold), 0.95
 *   (Platinum/Titanium)", sources disagree (S/W); Cybenetics ETA minimum PF
 *   0.950 (Bronze) .. 0.980 (Titanium) (S); Corsair AX1500i measured PF
 *   0.986 / 0.984 at 10 / 20 % load (Tom's Hardware, S). ATX12V input range
 *   90-135 V and 180-265 V (P). Efficiency 1-3 points higher at 230 V (D).
 *
 * The model, per input voltage (115 V and 230 V):
 *   inside the points   eta(x) by GSL interpolation over load fraction x
 *                       (Steffen 1990, monotone, for >= 3 points; linear for 2),
 *                       loss = P (1/eta - 1);
 *   outside the points  the loss model L(x) = a + b x + c x^2 (in units of the
 *                       rating) fitted to the points' losses by GSL weighted
 *                       least squares, weighted so that it fits the efficiencies
 *                       and constrained to stay physical (fit_side), scaled at
 *                       each end so that it joins the curve there; a measured
 *                       no-load loss is one more point of the fit, and the
 *                       curve below the first point passes through it.
 * The loss is then interpolated linearly in input voltage.
 */
#include "psu.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_interp.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_vector.h>

#include "units.h"

/* Input voltages of the two efficiency curves and the lowest modelled input. */
#define PSU_V_LOW 115.0   /* 80 PLUS "115 V internal" test voltage (S) */
#define PSU_V_HIGH 230.0  /* 80 PLUS "230 V EU internal" test voltage (S) */
#define PSU_V_MIN 90.0    /* bottom of the ATX12V 90-135 V input range (P) */

/* Load fractions above this are evaluated here: far beyond anything physical
 * (a PSU's over-power protection trips at 1.1-1.5x, facts.md), it only keeps
 * the quadratic loss finite for absurd inputs. */
#define PSU_X_MAX 1e6

/* ------------------------------------------------------------- 80 PLUS -- */

/* One 80 PLUS level: the certification minimums and a default PF curve. */
struct psu_level {
    const char *name;         /* "80plus-gold", as the INI writes it */
    struct psu_curve eff_115; /* minimum efficiency, 115 V internal */
    struct psu_curve eff_230; /* minimum efficiency, 230 V EU internal */
    struct psu_curve pf;      /* default power factor vs load */
};

/* Default power-factor curves (W). The certification floor is PF >= 0.90 at
 * 50 % load for Bronze-Gold and 0.95 for Platinum/Titanium, but sources disagree
 * on it (facts.md 2, S/W); Cybenetics ETA asks 0.950 (Bronze) to 0.980 (Titanium)
 * at 115 V (S); an active-PFC unit measures about 0.98-0.99 (Corsair AX1500i:
 * 0.986 / 0.984 at 10 / 20 %, S). The curves below sit at or above the 80 PLUS
 * floor and below the measured unit, and fall at light load, where the PFC stage
 * regulates worst and the input filter's reactive current is largest: a lower
 * PF means a higher AC current, so they err on the side of tripping. They are
 * overridable defaults (the INI key pf); a unit without PFC (PF 0.55-0.65,
 * facts.md 2) must be given its own curve. */
#define PF_BASIC { 4, { 0.10, 0.20, 0.50, 1.00 }, { 0.85, 0.90, 0.95, 0.98 } }
#define PF_HIGH  { 4, { 0.10, 0.20, 0.50, 1.00 }, { 0.90, 0.95, 0.98, 0.99 } }

/* Loads of the three-point levels: 20 / 50 / 100 %. */
#define LOADS_3 { 0.20, 0.50, 1.00 }

static const struct psu_level levels[] = {
    /* White: 80 / 80 / 80 % at 115 V, 82 / 85 / 82 % at 230 V EU internal.
     * facts.md 2, Tom's Hardware / Wikipedia "80 Plus" (S); PF W (see above). */
    { "80plus-white",
      { 3, LOADS_3, { 0.80, 0.80, 0.80 } },
      { 3, LOADS_3, { 0.82, 0.85, 0.82 } },
      PF_BASIC },
    /* Bronze: 82 / 85 / 82 % at 115 V, 85 / 88 / 85 % at 230 V EU internal.
     * facts.md 2, Tom's Hardware / Wikipedia "80 Plus" (S); PF W. */
    { "80plus-bronze",
      { 3, LOADS_3, { 0.82, 0.85, 0.82 } },
      { 3, LOADS_3, { 0.85, 0.88, 0.85 } },
      PF_BASIC },
    /* Silver: 85 / 88 / 85 % at 115 V, 87 / 90 / 87 % at 230 V EU internal.
     * facts.md 2, Tom's Hardware / Wikipedia "80 Plus" (S); PF W. */
    { "80plus-silver",
      { 3, LOADS_3, { 0.85, 0.88, 0.85 } },
      { 3, LOADS_3, { 0.87, 0.90, 0.87 } },
      PF_BASIC },
    /* Gold: 87 / 90 / 87 % at 115 V, 90 / 92 / 89 % at 230 V EU internal.
     * facts.md 2, Tom's Hardware / Wikipedia "80 Plus" (S); PF W. */
    { "80plus-gold",
      { 3, LOADS_3, { 0.87, 0.90, 0.87 } },
      { 3, LOADS_3, { 0.90, 0.92, 0.89 } },
      PF_BASIC },
    /* Platinum: 90 / 92 / 89 % at 115 V, 92 / 94 / 90 % at 230 V EU internal.
     * facts.md 2, Tom's Hardware / Wikipedia "80 Plus" (S); PF W. */
    { "80plus-platinum",
      { 3, LOADS_3, { 0.90, 0.92, 0.89 } },
      { 3, LOADS_3, { 0.92, 0.94, 0.90 } },
      PF_HIGH },
    /* Titanium, the only level with a 10 % point: 90 / 92 / 94 / 90 % at 115 V,
     * 90 / 94 / 96 / 94 % at 230 V EU internal.
     * facts.md 2, Tom's Hardware / Wikipedia "80 Plus" (S); PF W. */
    { "80plus-titanium",
      { 4, { 0.10, 0.20, 0.50, 1.00 }, { 0.90, 0.92, 0.94, 0.90 } },
      { 4, { 0.10, 0.20, 0.50, 1.00 }, { 0.90, 0.94, 0.96, 0.94 } },
      PF_HIGH },
};

enum { LEVEL_COUNT = sizeof levels / sizeof levels[0] };

int psu_level_curves(const char *level, struct psu_curve *eff_115,
                     struct psu_curve *eff_230, struct psu_curve *pf)
{
    if (!level) return -1;
    for (size_t i = 0; i < LEVEL_COUNT; i++) {
        if (strcasecmp(level, levels[i].name) != 0) continue;
        if (eff_115) *eff_115 = levels[i].eff_115;
        if (eff_230) *eff_230 = levels[i].eff_230;
        if (pf) *pf = levels[i].pf;
        return 0;
    }
    return -1;
}

size_t psu_level_count(void)
{
    return LEVEL_COUNT;
}

const char *psu_level_name(size_t i)
{
    return i < LEVEL_COUNT ? levels[i].name : NULL;
}

/* ------------------------------------------------------------- parsing -- */

/* Parses the LEN characters at S as a fraction ("0.92") or a percentage
 * ("92%", "92 %") with the shared units parser. Returns 0 or -1. */
static int parse_fraction(const char *s, size_t len, double *v)
{
    char buf[64], err[8];
    if (len >= sizeof buf) return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return units_parse(buf, UNIT_FRACTION, v, err, sizeof err);
}

int psu_parse_curve(const char *text, struct psu_curve *out, char *err, size_t errlen)
{
    struct psu_curve c;
    memset(&c, 0, sizeof c);
    const char *s = text ? text : "";
    if (s[strspn(s, " \t")] == '\0') {
        snprintf(err, errlen, "no points given (empty); expected load:value pairs "
                 "like '20%%:0.90, 50%%:0.92, 100%%:0.89'");
        return -1;
    }
    for (size_t idx = 1;; idx++) {
        const char *item = s + strspn(s, " \t");
        size_t span = strcspn(item, ",");       /* up to the comma or the end */
        size_t len = span;
        while (len > 0 && (item[len - 1] == ' ' || item[len - 1] == '\t')) len--;
        int shown = len > 40 ? 40 : (int)len;   /* how much of it to quote */
        if (len == 0) {
            snprintf(err, errlen, "point %zu is empty; expected load:value pairs "
                     "separated by commas, like '20%%:0.90, 50%%:0.92'", idx);
            return -1;
        }
        if (c.n == PSU_MAX_POINTS) {
            snprintf(err, errlen, "more than %d points; give at most %d",
                     (int)PSU_MAX_POINTS, (int)PSU_MAX_POINTS);
            return -1;
        }
        const char *colon = memchr(item, ':', len);
        if (!colon) {
            snprintf(err, errlen, "point %zu ('%.*s'): missing ':' between load and "
                     "value; expected e.g. '50%%:0.92'", idx, shown, item);
            return -1;
        }
        double load, value;
        size_t load_len = (size_t)(colon - item);
        size_t value_len = len - load_len - 1;
        if (parse_fraction(item, load_len, &load) != 0) {
            snprintf(err, errlen, "point %zu: bad number '%.*s' for the load; expected "
                     "a percentage like 50%% or a fraction like 0.5", idx,
                     load_len > 40 ? 40 : (int)load_len, item);
            return -1;
        }
        if (parse_fraction(colon + 1, value_len, &value) != 0) {
            snprintf(err, errlen, "point %zu: bad number '%.*s' for the value; "
                     "expected a fraction like 0.92 or a percentage like 92%%", idx,
                     value_len > 40 ? 40 : (int)value_len, colon + 1);
            return -1;
        }
        if (!(load > 0 && load <= 2)) {
            snprintf(err, errlen, "point %zu: load %g %% out of range; loads must be "
                     "above 0 %% and at most 200 %% of the rating", idx, load * 100);
            return -1;
        }
        if (c.n > 0 && !(load > c.load[c.n - 1])) {
            snprintf(err, errlen, "point %zu: load %g %% does not come after %g %%; "
                     "loads must ascend strictly", idx, load * 100,
                     c.load[c.n - 1] * 100);
            return -1;
        }
        if (value > 1) {
            snprintf(err, errlen, "point %zu: value %g %% is above 100 %% (an "
                     "efficiency or power factor is at most 1)", idx, value * 100);
            return -1;
        }
        if (!(value > 0)) {
            snprintf(err, errlen, "point %zu: value %g %% must be above 0", idx,
                     value * 100);
            return -1;
        }
        c.load[c.n] = load;
        c.value[c.n] = value;
        c.n++;
        s = item + span;
        if (*s == '\0') break;
        s++;                                    /* past the comma */
    }
    *out = c;
    return 0;
}

/* ---------------------------------------------------------- validation -- */

/* Checks curve C (named WHAT in messages) against the header's rules; MIN_N is
 * the fewest points accepted. EFFICIENCY forbids the value 1 (no losses). */
static int check_curve(const struct psu_curve *c, const char *what, size_t min_n,
                       int efficiency, char *err, size_t errlen)
{
    if (c->n < min_n || c->n > PSU_MAX_POINTS) {
        snprintf(err, errlen, "%s curve needs %zu to %d points; got %zu", what,
                 min_n, (int)PSU_MAX_POINTS, c->n);
        return -1;
    }
    for (size_t i = 0; i < c->n; i++) {
        double x = c->load[i], v = c->value[i];
        if (!(x > 0 && x <= 2)) {
            snprintf(err, errlen, "%s point %zu: load %g %% out of range (0, 200 %%]",
                     what, i + 1, x * 100);
            return -1;
        }
        if (i > 0 && !(x > c->load[i - 1])) {
            snprintf(err, errlen, "%s point %zu: loads must ascend strictly", what,
                     i + 1);
            return -1;
        }
        if (!(v > 0 && v <= 1)) {
            snprintf(err, errlen, "%s point %zu: value %g %% out of range (0, 100 %%]",
                     what, i + 1, v * 100);
            return -1;
        }
        if (efficiency && v >= 1) {
            snprintf(err, errlen, "%s point %zu: an efficiency of 100 %% leaves no "
                     "losses to model; give the measured value below 100 %%", what,
                     i + 1);
            return -1;
        }
    }
    return 0;
}

/* ----------------------------------------------------------- loss model -- */

/* Rounds of the reweighted fit (fit_weighted). The 80 PLUS curves settle in
 * at most 7 (exact solves in 1); the cap only bounds the set-up time should the
 * active constraint flip back and forth. */
#define FIT_MAX_ITER 50

/* The smallest fixed loss the fit may keep, as a fraction of the loss at the
 * first point (W, a numerical guard, not a measurement). Points that show no
 * fixed loss of their own (80 PLUS White at 115 V is 80 % flat from 20 % to
 * 100 %: a pure linear loss fits it exactly) would give a = 0 and an efficiency
 * that stays at 80 % down to no load. A twentieth keeps efficiency falling to 0
 * towards no load and costs White 115 V 0.16 percentage points at its points; a
 * tenth would cost 0.31. A measured no_load_w replaces the guess. */
#define FIT_A_FLOOR 0.05

/* The efficiency model at one input voltage. Loads are fractions of the rating
 * and losses are in units of the rating, so the numbers are well scaled. */
struct psu_side {
    size_t n;                     /* number of points, >= 2 */
    double load[PSU_MAX_POINTS];  /* load fractions, ascending (GSL's xa) */
    double eff[PSU_MAX_POINTS];   /* efficiencies at those loads (GSL's ya) */
    gsl_interp *interp;           /* eff(load): Steffen (n >= 3) or linear */
    gsl_interp_accel *acc;        /* the interval looked up last (GSL's lookup
                                   * cache: the same results, fewer searches) */
    double no_load;               /* measured loss at x = 0 / rating, 0 = none */
    double a, b, c;               /* fitted loss / rating = a + b x + c x^2 */
    double lo[3];                 /* loss / rating below load[0]:
                                   * lo[0] + lo[1] x + lo[2] x^2 */
    double scale_hi;              /* curve loss / fit loss at load[n - 1] */
};

/* Loss / rating of the points' curve at its own point I: x (1/eta - 1). */
static double point_loss(const struct psu_side *s, size_t i)
{
    return s->load[i] * (1.0 / s->eff[i] - 1.0);
}

static double fit_loss(const struct psu_side *s, double x)
{
    return s->a + x * (s->b + x * s->c);
}

/* The data of one fit: the efficiency points and, when measured, the no-load
 * loss as an extra row at x = 0 (first). */
struct fit_data {
    size_t m;                         /* rows, n or n + 1 */
    double x[PSU_MAX_POINTS + 1];     /* load fraction */
    double loss[PSU_MAX_POINTS + 1];  /* loss / rating */
    double eta[PSU_MAX_POINTS + 1];   /* the point's efficiency; 0 on the no-load row */
    double w[PSU_MAX_POINTS + 1];     /* least-squares weight */
    double x0, x1;                    /* first and last efficiency point */
    double a_min;                     /* floor of the fixed loss a */
};

/* One shape the constrained fit can take: every inequality of fit_side() is
 * either free or held as an equality, and the free parameters are solved by
 * least squares. The optimum of the constrained problem (a convex quadratic
 * program) is the feasible candidate with the least squared error. */
struct fit_case {
    int fix_a;   /* 1: a held at its floor a_min */
    int peak;    /* 0: free; 1: efficiency peak held at x0; 2: at x1 */
};

static const struct fit_case fit_cases[] = {
    { 0, 0 },    /* no constraint active: plain weighted least squares */
    { 1, 0 },    /* fixed loss at its floor */
    { 0, 1 },    /* peak at the first point: a = c x0^2 */
    { 0, 2 },    /* peak at the last point: a = c x1^2 */
    { 1, 1 },    /* both: a = a_min, c = a_min / x0^2 */
    { 1, 2 },    /* both: a = a_min, c = a_min / x1^2 */
};

enum { FIT_CASES = sizeof fit_cases / sizeof fit_cases[0] };

/* Whether A + B x + C x^2 meets the constraints on data D: a >= a_min > 0, the
 * efficiency peak x_p = sqrt(a/c) (where L(x)/x is least) in [x0, x1], so c > 0
 * too. Tolerates rounding in the cases that hold a constraint as an equality. */
static int fit_feasible(const struct fit_data *d, double a, double b, double c)
{
    double tol = 1e-9 * d->a_min;
    return isfinite(a) && isfinite(b) && isfinite(c) && c > 0
           && a >= d->a_min - tol
           && a - c * d->x0 * d->x0 >= -tol
           && c * d->x1 * d->x1 - a >= -tol;
}

/* V = (A, B, C). */
static void set3(double v[3], double a, double b, double c)
{
    v[0] = a;
    v[1] = b;
    v[2] = c;
}

/* Solves case K of the fit of D with or without the linear term (WITH_B) into
 * T = {a, b, c} and its weighted squared error into SSE. Returns 1 for a
 * feasible candidate, 0 for an infeasible one or one with more free parameters
 * than rows. */
static int fit_case_solve(const struct fit_data *d, const struct fit_case *k,
                          int with_b,
                          double t[3], double *sse)
{
    /* theta = t0 + sum_j phi_j dir[j]; a column is dir[j] . (1, x, x^2) */
    double t0[3] = { 0, 0, 0 }, dir[3][3];
    size_t nd = 0;
    if (with_b) set3(dir[nd++], 0, 1, 0);
    double xp = k->peak == 1 ? d->x0 : d->x1;
    if (k->fix_a && k->peak) {
        set3(t0, d->a_min, 0, d->a_min / (xp * xp));
    } else if (k->fix_a) {
        set3(t0, d->a_min, 0, 0);
        set3(dir[nd++], 0, 0, 1);
    } else if (k->peak) {
        set3(dir[nd++], xp * xp, 0, 1);
    } else {
        set3(dir[nd++], 1, 0, 0);
        set3(dir[nd++], 0, 0, 1);
    }
    if (nd > d->m) return 0;
    double phi[3] = { 0, 0, 0 };
    if (nd > 0) {
        /* the rows scaled by sqrt(w): weighted least squares as ordinary least
         * squares, solved by GSL's Householder QR (Golub & Van Loan 5.3.3). A
         * column is a polynomial in distinct x >= 0, so the columns are
         * independent (rows >= columns: checked above); a singular R would give
         * non-finite values, refused by fit_feasible(). */
        double xbuf[(PSU_MAX_POINTS + 1) * 3], ybuf[PSU_MAX_POINTS + 1];
        double taubuf[3];
        for (size_t i = 0; i < d->m; i++) {
            double x = d->x[i], sw = sqrt(d->w[i]);
            for (size_t j = 0; j < nd; j++)
                xbuf[i * nd + j] = sw * (dir[j][0] + x * (dir[j][1] + x * dir[j][2]));
            ybuf[i] = sw * (d->loss[i] - (t0[0] + x * (t0[1] + x * t0[2])));
        }
        gsl_matrix_view X = gsl_matrix_view_array(xbuf, d->m, nd);
        gsl_vector_view y = gsl_vector_view_array(ybuf, d->m);
        gsl_vector_view tau = gsl_vector_view_array(taubuf, nd);
        /* gsl_linalg_QR_lssolve's steps without its residual (not needed): Q^T y,
         * then R phi = its first ND entries */
        gsl_matrix_view r = gsl_matrix_submatrix(&X.matrix, 0, 0, nd, nd);
        gsl_vector_view coef = gsl_vector_view_array(ybuf, nd);
        if (gsl_linalg_QR_decomp(&X.matrix, &tau.vector) != GSL_SUCCESS
            || gsl_linalg_QR_QTvec(&X.matrix, &tau.vector, &y.vector) != GSL_SUCCESS
            || gsl_blas_dtrsv(CblasUpper, CblasNoTrans, CblasNonUnit, &r.matrix,
                              &coef.vector) != GSL_SUCCESS)
            return 0;
        memcpy(phi, ybuf, nd * sizeof phi[0]);
    }
    for (size_t m = 0; m < 3; m++) {
        t[m] = t0[m];
        for (size_t j = 0; j < nd; j++) t[m] += phi[j] * dir[j][m];
    }
    if (!fit_feasible(d, t[0], t[1], t[2])) return 0;
    if (with_b && t[1] < -1e-9 * d->a_min) return 0;   /* b >= 0 (fit_side) */
    double e = 0;
    for (size_t i = 0; i < d->m; i++) {
        double x = d->x[i], r = t[0] + x * (t[1] + x * t[2]) - d->loss[i];
        e += d->w[i] * r * r;
    }
    *sse = e;
    return 1;
}

/* Fits the loss model L = a + b x + c x^2 (WITH_B) or a + c x^2 to D into T:
 * weighted least squares under the constraints of fit_feasible(), reweighted
 * until it settles so that the residuals it minimises are the efficiency
 * errors at the points. A loss error dL at load x moves the efficiency
 * eta = x / (x + L) by eta * eta_fit * dL / x exactly, so the weight of a point
 * is (eta * eta_fit / x)^2 with eta_fit from the previous round (the points'
 * own eta at first). Plain least squares on the losses would let the largest
 * losses (full load) pull the fit and miss the light-load points: on 80 PLUS
 * Titanium 230 V it missed by 0.43 percentage points, weighted 0.26. The
 * no-load row weighs as much as the first point. The fixed point of the
 * reweighting is not exactly the least-squares optimum in efficiency (the
 * weights' own dependence on the fit is ignored); on the 80 PLUS curves the
 * two differ by less than 0.01 percentage points at any point. Returns 0, or -1 on allocation failure (some
 * candidate is always feasible: a = a_min with the peak at x0, b free or 0). */
static int fit_weighted(struct fit_data *d, int with_b, double t[3])
{
    if (with_b && d->m < 3) return -1;
    double eta_fit[PSU_MAX_POINTS + 1];
    for (size_t i = 0; i < d->m; i++) eta_fit[i] = d->eta[i];
    int found = 0;
    for (int iter = 0; iter < FIT_MAX_ITER; iter++) {
        double w_first = 0;
        for (size_t i = 0; i < d->m; i++) {
            if (d->x[i] > 0) {
                double s = d->eta[i] * eta_fit[i] / d->x[i];
                d->w[i] = s * s;
                if (w_first == 0) w_first = d->w[i];
            }
        }
        for (size_t i = 0; i < d->m; i++)
            if (!(d->x[i] > 0)) d->w[i] = w_first;
        double best[3] = { 0, 0, 0 }, best_sse = INFINITY;
        int any = 0;
        /* b >= 0 is one more inequality: its active case is the fit without
         * the linear term */
        for (int wb = with_b; wb >= 0; wb--)
            for (size_t k = 0; k < FIT_CASES; k++) {
                double cand[3], sse;
                if (fit_case_solve(d, &fit_cases[k], wb, cand, &sse)
                    && sse < best_sse) {
                    best_sse = sse;
                    memcpy(best, cand, sizeof best);
                    any = 1;
                }
            }
        if (!any) break;
        double change = found ? fabs(best[0] - t[0]) + fabs(best[1] - t[1])
                                + fabs(best[2] - t[2])
                              : INFINITY;
        double size = fabs(best[0]) + fabs(best[1]) + fabs(best[2]);
        memcpy(t, best, 3 * sizeof t[0]);
        found = 1;
        if (change <= 1e-13 * size) break;
        for (size_t i = 0; i < d->m; i++) {
            double x = d->x[i];
            if (!(x > 0)) continue;
            double e = x / (x + t[0] + x * (t[1] + x * t[2]));
            eta_fit[i] = e > 0 && e <= 1 ? e : d->eta[i];
        }
    }
    return found ? 0 : -1;
}

/* Fits the loss model of S and sets up its extensions. The terms: a fixed
 * losses (controller, fans, bias supplies, core losses), b x losses
 * proportional to current (diode and switch drops), c x^2 conduction (I^2 R)
 * losses. The constraints keep the extrapolations physical: a > 0 (efficiency
 * falls to 0 at no load), b >= 0 (drops cannot give a negative loss; with
 * b < 0 the loss would fall as the load rises near zero: 80 PLUS Platinum at
 * 230 V, 92 / 94 / 90 %, is met exactly only with b = -0.048, and its
 * extension then fell below Gold's under 6 % load), c > 0 (it falls again in
 * overload) and the efficiency peak sqrt(a/c) inside the points, so that the
 * extensions fall monotonically away from the curve's ends. The held b = 0 is
 * one more case of the fit (fit_weighted); a + b x + c x^2 with all three
 * non-negative is always positive.
 *
 * A_FLOOR (0: none) is the least loss at zero output (/ rating) the extension
 * below the first point may reach: for the 115 V curve the 230 V curve's own
 * (psu_new), since fixed losses - controller, fans, bias supplies - do not
 * fall at low line (facts.md 2: efficiency is 1-3 points higher at 230 V, D).
 * It matters where the points show no fixed loss of their own: 80 PLUS White
 * at 115 V is a flat 80 % from 20 to 100 %, which the fit meets with a = its
 * 0.25 % floor (FIT_A_FLOOR) and which then promised 77.8 % at 5 % load, above
 * Gold (66.5 %); with the 230 V curve's 2.87 % it gives 59.6 %, below Bronze.
 * A measured no-load loss wins over it. It enters as a no-load loss does
 * (below), so the joins stay continuous.
 *
 * Above the last point the fit is scaled to join the curve there. Below the
 * first point:
 *   no no-load loss given   the fit scaled to join the curve at x0,
 *   (and s a above A_FLOOR):
 *                           L(x) = s (a + b x + c x^2), s = L(x0) / fit(x0);
 *   no-load loss N given    L(x) = N + beta x + gamma x^2 with
 *   (or N = A_FLOOR):
 *                           gamma = min(s c, N / x0^2) and beta such that
 *                           L(x0) = L0, the curve's loss at x0. That is the
 *                           scaled fit with its fixed loss replaced by the
 *                           measured one and the proportional term taking up
 *                           the difference, so both ends hold: L(0) = N,
 *                           L(x0) = L0. Efficiency x / (x + L) rises with x
 *                           when L(x)/x = N/x + beta + gamma x falls, i.e. when
 *                           gamma x^2 < N on (0, x0): the cap on gamma (the
 *                           scaled I^2 R term unless that would move the
 *                           efficiency peak below x0) ensures it. L stays
 *                           positive: it is N > 0 and L0 > 0 at the ends, and
 *                           a minimum inside (0, x0) would need -beta < 2 gamma
 *                           x0, where L_min = N - beta^2 / (4 gamma) >
 *                           N - gamma x0^2 >= 0.
 * Returns 0 or -1 (GSL allocation failure). */
static int fit_side(struct psu_side *s, double a_floor)
{
    struct fit_data d;
    memset(&d, 0, sizeof d);
    if (s->no_load > 0) {
        d.x[0] = 0;
        d.loss[0] = s->no_load;
        d.eta[0] = 0;
        d.m = 1;
    }
    for (size_t i = 0; i < s->n; i++, d.m++) {
        d.x[d.m] = s->load[i];
        d.loss[d.m] = point_loss(s, i);
        d.eta[d.m] = s->eff[i];
    }
    d.x0 = s->load[0];
    d.x1 = s->load[s->n - 1];
    d.a_min = FIT_A_FLOOR * point_loss(s, 0);
    if (s->no_load > 0 && s->no_load < d.a_min) d.a_min = s->no_load;

    double t[3];
    int done = 0;
    if (d.m >= 3) {
        if (fit_weighted(&d, 1, t) != 0) return -1;
        done = !(t[1] < 0 && t[1] * t[1] >= 4 * t[0] * t[2]);
    }
    if (!done && fit_weighted(&d, 0, t) != 0) return -1;
    s->a = t[0];
    s->b = t[1];
    s->c = t[2];

    double x0 = s->load[0], l0 = point_loss(s, 0);
    double scale_lo = l0 / fit_loss(s, x0);
    /* the other voltage's fixed loss as a floor at zero output (A_FLOOR; a
     * measured no-load loss wins): taken like a no-load loss below */
    double n_floor = s->no_load > 0 ? s->no_load
                     : a_floor > scale_lo * s->a ? a_floor : 0.0;
    if (n_floor > 0) {
        double n0 = n_floor;
        double gamma = fmin(scale_lo * s->c, n0 / (x0 * x0));
        s->lo[0] = n0;
        s->lo[1] = (l0 - n0) / x0 - gamma * x0;
        s->lo[2] = gamma;
    } else {
        s->lo[0] = scale_lo * s->a;
        s->lo[1] = scale_lo * s->b;
        s->lo[2] = scale_lo * s->c;
    }
    s->scale_hi = point_loss(s, s->n - 1) / fit_loss(s, s->load[s->n - 1]);
    return 0;
}

/* Builds S from curve C and the no-load loss NO_LOAD (/ rating, 0 = none):
 * copies the points, the interpolator, the fit. */
static int side_init(struct psu_side *s, const struct psu_curve *c, double no_load,
                     double a_floor)
{
    memset(s, 0, sizeof *s);
    s->n = c->n;
    s->no_load = no_load;
    memcpy(s->load, c->load, c->n * sizeof c->load[0]);
    memcpy(s->eff, c->value, c->n * sizeof c->value[0]);
    s->interp = gsl_interp_alloc(s->n >= 3 ? gsl_interp_steffen : gsl_interp_linear,
                                 s->n);
    if (!s->interp || !(s->acc = gsl_interp_accel_alloc())) return -1;
    if (gsl_interp_init(s->interp, s->load, s->eff, s->n) != GSL_SUCCESS) return -1;
    return fit_side(s, a_floor);
}

/* Loss / rating of S at load fraction X >= 0. */
static double side_loss(const struct psu_side *s, double x)
{
    double x0 = s->load[0], x1 = s->load[s->n - 1];
    if (x < x0) return s->lo[0] + x * (s->lo[1] + x * s->lo[2]);
    if (x > x1) return s->scale_hi * fit_loss(s, x > PSU_X_MAX ? PSU_X_MAX : x);
    double eta;
    /* x is inside the points, so the _e variant cannot fail; keep the end value
     * if it ever did */
    if (gsl_interp_eval_e(s->interp, s->load, s->eff, x, s->acc, &eta) != GSL_SUCCESS
        || !(eta > 0))
        eta = s->eff[0];
    return x * (1.0 / eta - 1.0);
}

/* ----------------------------------------------------------- lifecycle -- */

struct psu {
    double rating_w;              /* rated continuous DC output, W */
    struct psu_side v115;         /* efficiency model at 115 V */
    struct psu_side v230;         /* efficiency model at 230 V */
    struct psu_curve pf;          /* power factor points */
    gsl_interp *pf_interp;        /* PF(load), NULL for a constant (1 point) */
    gsl_interp_accel *pf_acc;     /* its lookup cache (the same results) */
    /* loss_w()'s two curves at the last load fraction asked (NAN: none): the
     * stride solver asks the same DC again at each piece of a stride with only
     * the input voltage moved (issue 14, 3); the same arithmetic, kept */
    double memo_x, memo_l115, memo_l230;
};

int psu_check(const struct psu_params *p, char *err, size_t errlen)
{
    if (!p) {
        snprintf(err, errlen, "no PSU parameters");
        return -1;
    }
    if (!(p->rating_w > 0 && isfinite(p->rating_w))) {
        snprintf(err, errlen, "rating must be above 0 W; got %g W", p->rating_w);
        return -1;
    }
    if (check_curve(&p->eff_115, "115 V efficiency", 2, 1, err, errlen) != 0
        || check_curve(&p->eff_230, "230 V efficiency", 2, 1, err, errlen) != 0
        || check_curve(&p->pf, "power factor", 1, 0, err, errlen) != 0)
        return -1;
    if (!(p->no_load_w >= 0 && p->no_load_w < p->rating_w)) {
        snprintf(err, errlen, "no-load loss must be at least 0 W and below the rating "
                 "(%g W); got %g W", p->rating_w, p->no_load_w);
        return -1;
    }
    return 0;
}

psu *psu_new(const struct psu_params *p, char *err, size_t errlen)
{
    if (psu_check(p, err, errlen) != 0) return NULL;

    psu *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    m->rating_w = p->rating_w;
    m->memo_x = NAN;
    m->pf = p->pf;
    double no_load = p->no_load_w / p->rating_w;
    /* 230 V first: its loss at zero output is the floor of the 115 V one
     * (fit_side) */
    if (side_init(&m->v230, &p->eff_230, no_load, 0.0) != 0
        || side_init(&m->v115, &p->eff_115, no_load, m->v230.lo[0]) != 0)
        goto fail;
    if (m->pf.n >= 2) {
        m->pf_interp = gsl_interp_alloc(m->pf.n >= 3 ? gsl_interp_steffen
                                                     : gsl_interp_linear, m->pf.n);
        if (!m->pf_interp
            || gsl_interp_init(m->pf_interp, m->pf.load, m->pf.value, m->pf.n)
                   != GSL_SUCCESS
            || !(m->pf_acc = gsl_interp_accel_alloc()))
            goto fail;
    }
    return m;

fail:
    snprintf(err, errlen, "could not build the efficiency model (GSL failed; out of "
             "memory?)");
    psu_free(m);
    return NULL;
}

void psu_free(psu *p)
{
    if (!p) return;
    if (p->v115.interp) gsl_interp_free(p->v115.interp);
    if (p->v230.interp) gsl_interp_free(p->v230.interp);
    if (p->v115.acc) gsl_interp_accel_free(p->v115.acc);
    if (p->v230.acc) gsl_interp_accel_free(p->v230.acc);
    if (p->pf_interp) gsl_interp_free(p->pf_interp);
    if (p->pf_acc) gsl_interp_accel_free(p->pf_acc);
    free(p);
}

double psu_rating(const psu *p)
{
    return p->rating_w;
}

/* ---------------------------------------------------------- evaluation -- */

/* Blends the losses L115 and L230 (any unit) of the two curves for input
 * V_RMS. Linear in V between 115 V and 230 V; below 115 V extrapolated along
 * the same line down to 90 V (ATX12V's lowest input, P) and held below that;
 * above 230 V held at the 230 V value (conservative: the line would promise
 * ever smaller losses). Below 115 V the loss is never taken below the 115 V
 * loss (less voltage, more current), which matters only for a 230 V curve worse
 * than the 115 V one. */
static double blend_v(double l115, double l230, double v_rms)
{
    if (v_rms >= PSU_V_HIGH) return l230;
    double v = v_rms >= PSU_V_MIN ? v_rms : PSU_V_MIN; /* also catches NaN */
    double t = (v - PSU_V_LOW) / (PSU_V_HIGH - PSU_V_LOW);
    double l = (1 - t) * l115 + t * l230;
    if (t < 0 && l < l115) l = l115;
    return l;
}

/* Loss (W) at DC output P_DC (>= 0) and input V_RMS. Outside the 115 V
 * curve's points its loss is never below the 230 V loss at the same load
 * (facts.md 2: efficiency is 1-3 points higher at 230 V, D; fixed losses do
 * not fall at low line): the extrapolations of the two curves are made
 * separately and could cross. Inside the points the given points rule. The
 * joins stay continuous for curves whose end points obey the rule. */
static double loss_w(const psu *p, double p_dc, double v_rms)
{
    double x = p_dc / p->rating_w;
    if (!(x == p->memo_x)) {
        /* the memo is no part of the model: a const psu may fill it (every psu
         * is allocated by psu_new(), never a const object) */
        psu *m = (psu *)p;
        double l115 = side_loss(&p->v115, x), l230 = side_loss(&p->v230, x);
        if ((x < p->v115.load[0] || x > p->v115.load[p->v115.n - 1]) && l115 < l230)
            l115 = l230;
        m->memo_x = x;
        m->memo_l115 = l115;
        m->memo_l230 = l230;
    }
    return blend_v(p->memo_l115, p->memo_l230, v_rms) * p->rating_w;
}

double psu_input_power(const psu *p, double p_dc_w, double v_rms)
{
    double p_dc = p_dc_w > 0 ? p_dc_w : 0; /* negative and NaN demand: none */
    return p_dc + loss_w(p, p_dc, v_rms);
}

double psu_efficiency(const psu *p, double p_dc_w, double v_rms)
{
    if (!(p_dc_w > 0)) return 0;
    return p_dc_w / psu_input_power(p, p_dc_w, v_rms);
}

double psu_fit_efficiency(const psu *p, double p_dc_w, double v_rms)
{
    if (!(p_dc_w > 0)) return 0;
    double x = p_dc_w / p->rating_w;
    if (x > PSU_X_MAX) x = PSU_X_MAX;
    double l = blend_v(fit_loss(&p->v115, x), fit_loss(&p->v230, x), v_rms);
    return p_dc_w / (p_dc_w + l * p->rating_w);
}

double psu_power_factor(const psu *p, double p_dc_w)
{
    const struct psu_curve *c = &p->pf;
    double x = p_dc_w > 0 ? p_dc_w / p->rating_w : 0;
    double pf;
    if (!p->pf_interp || x <= c->load[0]) {
        pf = c->value[0];
    } else if (x >= c->load[c->n - 1]) {
        pf = c->value[c->n - 1];
    } else if (gsl_interp_eval_e(p->pf_interp, c->load, c->value, x, p->pf_acc, &pf)
               != GSL_SUCCESS) {
        pf = c->value[0];             /* cannot happen: x is inside the points */
    }
    /* Steffen does not overshoot, so this only guards rounding */
    if (pf > 1) pf = 1;
    if (!(pf > 0)) pf = c->value[0];
    return pf;
}

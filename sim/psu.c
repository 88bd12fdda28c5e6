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
 *                       rating) fitted to the points' losses by GSL least squares,
 *                       scaled at each end so that it joins the curve there.
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
#include <gsl/gsl_multifit.h>
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

/* The efficiency model at one input voltage. Loads are fractions of the rating
 * and losses are in units of the rating, so the numbers are well scaled. */
struct psu_side {
    size_t n;                     /* number of points, >= 2 */
    double load[PSU_MAX_POINTS];  /* load fractions, ascending (GSL's xa) */
    double eff[PSU_MAX_POINTS];   /* efficiencies at those loads (GSL's ya) */
    gsl_interp *interp;           /* eff(load): Steffen (n >= 3) or linear */
    double a, b, c;               /* fitted loss / rating = a + b x + c x^2 */
    double scale_lo;              /* curve loss / fit loss at load[0] */
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

/* Whether loss fit A + B x + C x^2 is usable on a curve spanning [X0, X1]:
 * a fixed loss a > 0 (efficiency falls to 0 at no load), an I^2 R term c > 0
 * (efficiency falls in overload), a loss positive at every load, and the fit's
 * efficiency peak, where L(x)/x is least, at x = sqrt(a/c), inside the points
 * (so the scaled extensions fall monotonically away from the curve's ends). */
static int fit_usable(double a, double b, double c, double x0, double x1)
{
    if (!(isfinite(a) && isfinite(b) && isfinite(c))) return 0;
    if (!(a > 0 && c > 0)) return 0;
    if (b < 0 && b * b >= 4 * a * c) return 0;
    double peak = sqrt(a / c);
    return peak >= x0 && peak <= x1;
}

/* Least-squares fit of the points' losses to the NP terms {1, x, x^2} (NP = 3)
 * or {1, x^2} (NP = 2) with gsl_multifit_linear (SVD; with as many points as
 * terms it is an exact solve). Needs s->n >= NP. Writes a, b, c; returns 0, or
 * -1 when GSL fails (allocation). */
static int fit_lsq(const struct psu_side *s, size_t np, double *a, double *b,
                   double *c)
{
    size_t n = s->n;
    int rc = -1;
    gsl_matrix *X = gsl_matrix_alloc(n, np);
    gsl_vector *y = gsl_vector_alloc(n);
    gsl_vector *coef = gsl_vector_alloc(np);
    gsl_matrix *cov = gsl_matrix_alloc(np, np);
    gsl_multifit_linear_workspace *w = gsl_multifit_linear_alloc(n, np);
    if (X && y && coef && cov && w) {
        for (size_t i = 0; i < n; i++) {
            double x = s->load[i];
            gsl_matrix_set(X, i, 0, 1.0);
            if (np == 3) {
                gsl_matrix_set(X, i, 1, x);
                gsl_matrix_set(X, i, 2, x * x);
            } else {
                gsl_matrix_set(X, i, 1, x * x);
            }
            gsl_vector_set(y, i, point_loss(s, i));
        }
        double chisq;
        if (gsl_multifit_linear(X, y, coef, cov, &chisq, w) == GSL_SUCCESS) {
            *a = gsl_vector_get(coef, 0);
            *b = np == 3 ? gsl_vector_get(coef, 1) : 0.0;
            *c = gsl_vector_get(coef, np - 1);
            rc = 0;
        }
    }
    if (w) gsl_multifit_linear_free(w);
    if (cov) gsl_matrix_free(cov);
    if (coef) gsl_vector_free(coef);
    if (y) gsl_vector_free(y);
    if (X) gsl_matrix_free(X);
    return rc;
}

/* Fits the loss model of S, in order of preference:
 *   1. L = a + b x + c x^2, least squares (needs 3 points): fixed losses
 *      (controller, fans, bias supplies), losses proportional to current
 *      (diode and switch drops) and I^2 R (conduction) losses;
 *   2. L = a + c x^2, least squares: drops the linear term when the full fit
 *      is unphysical (a <= 0 or c <= 0, or its peak outside the points);
 *   3. the equal-loss rule: a converter is most efficient where its fixed loss
 *      equals its load-dependent loss, so at the most efficient point (x_p, L_p)
 *      a = L_p / 2, b = 0, c = L_p / (2 x_p^2). Always usable (L_p > 0 since
 *      efficiencies are below 1), and its peak lies on a point.
 * Then the scales that join the fit to the curve at both ends. Returns 0 or -1
 * (GSL allocation failure). */
static int fit_side(struct psu_side *s)
{
    double x0 = s->load[0], x1 = s->load[s->n - 1];
    double a, b, c;
    int done = 0;
    if (s->n >= 3) {
        if (fit_lsq(s, 3, &a, &b, &c) != 0) return -1;
        done = fit_usable(a, b, c, x0, x1);
    }
    if (!done) {
        if (fit_lsq(s, 2, &a, &b, &c) != 0) return -1;
        done = fit_usable(a, b, c, x0, x1);
    }
    if (!done) {
        size_t best = 0;
        for (size_t i = 1; i < s->n; i++)
            if (s->eff[i] > s->eff[best]) best = i;
        double lp = point_loss(s, best), xp = s->load[best];
        a = lp / 2;
        b = 0;
        c = lp / (2 * xp * xp);
    }
    s->a = a;
    s->b = b;
    s->c = c;
    s->scale_lo = point_loss(s, 0) / fit_loss(s, x0);
    s->scale_hi = point_loss(s, s->n - 1) / fit_loss(s, x1);
    return 0;
}

/* Builds S from curve C: copies the points, the interpolator, the fit. */
static int side_init(struct psu_side *s, const struct psu_curve *c)
{
    memset(s, 0, sizeof *s);
    s->n = c->n;
    memcpy(s->load, c->load, c->n * sizeof c->load[0]);
    memcpy(s->eff, c->value, c->n * sizeof c->value[0]);
    s->interp = gsl_interp_alloc(s->n >= 3 ? gsl_interp_steffen : gsl_interp_linear,
                                 s->n);
    if (!s->interp) return -1;
    if (gsl_interp_init(s->interp, s->load, s->eff, s->n) != GSL_SUCCESS) return -1;
    return fit_side(s);
}

/* Loss / rating of S at load fraction X >= 0. */
static double side_loss(const struct psu_side *s, double x)
{
    double x0 = s->load[0], x1 = s->load[s->n - 1];
    if (x < x0) return s->scale_lo * fit_loss(s, x);
    if (x > x1) return s->scale_hi * fit_loss(s, x > PSU_X_MAX ? PSU_X_MAX : x);
    double eta;
    /* x is inside the points, so the _e variant cannot fail; keep the end value
     * if it ever did */
    if (gsl_interp_eval_e(s->interp, s->load, s->eff, x, NULL, &eta) != GSL_SUCCESS
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
};

psu *psu_new(const struct psu_params *p, char *err, size_t errlen)
{
    if (!p) {
        snprintf(err, errlen, "no PSU parameters");
        return NULL;
    }
    if (!(p->rating_w > 0 && isfinite(p->rating_w))) {
        snprintf(err, errlen, "rating must be above 0 W; got %g W", p->rating_w);
        return NULL;
    }
    if (check_curve(&p->eff_115, "115 V efficiency", 2, 1, err, errlen) != 0
        || check_curve(&p->eff_230, "230 V efficiency", 2, 1, err, errlen) != 0
        || check_curve(&p->pf, "power factor", 1, 0, err, errlen) != 0)
        return NULL;

    psu *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    m->rating_w = p->rating_w;
    m->pf = p->pf;
    if (side_init(&m->v115, &p->eff_115) != 0 || side_init(&m->v230, &p->eff_230) != 0)
        goto fail;
    if (m->pf.n >= 2) {
        m->pf_interp = gsl_interp_alloc(m->pf.n >= 3 ? gsl_interp_steffen
                                                     : gsl_interp_linear, m->pf.n);
        if (!m->pf_interp
            || gsl_interp_init(m->pf_interp, m->pf.load, m->pf.value, m->pf.n)
                   != GSL_SUCCESS)
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
    if (p->pf_interp) gsl_interp_free(p->pf_interp);
    free(p);
}

double psu_rating(const psu *p)
{
    return p->rating_w;
}

/* ---------------------------------------------------------- evaluation -- */

/* Loss (W) at DC output P_DC (>= 0) and input V_RMS. Linear in V between the
 * 115 V and 230 V curves; below 115 V extrapolated along the same line down to
 * 90 V (ATX12V's lowest input, P) and held below that; above 230 V held at the
 * 230 V value (conservative: the line would promise ever smaller losses). Below
 * 115 V the loss is never taken below the 115 V loss (less voltage, more
 * current), which matters only for a 230 V curve worse than the 115 V one. */
static double loss_w(const psu *p, double p_dc, double v_rms)
{
    double x = p_dc / p->rating_w;
    double l115 = side_loss(&p->v115, x);
    double l230 = side_loss(&p->v230, x);
    double l;
    if (v_rms >= PSU_V_HIGH) {
        l = l230;
    } else {
        double v = v_rms >= PSU_V_MIN ? v_rms : PSU_V_MIN; /* also catches NaN */
        double t = (v - PSU_V_LOW) / (PSU_V_HIGH - PSU_V_LOW);
        l = (1 - t) * l115 + t * l230;
        if (t < 0 && l < l115) l = l115;
    }
    return l * p->rating_w;
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

double psu_power_factor(const psu *p, double p_dc_w)
{
    const struct psu_curve *c = &p->pf;
    double x = p_dc_w > 0 ? p_dc_w / p->rating_w : 0;
    double pf;
    if (!p->pf_interp || x <= c->load[0]) {
        pf = c->value[0];
    } else if (x >= c->load[c->n - 1]) {
        pf = c->value[c->n - 1];
    } else if (gsl_interp_eval_e(p->pf_interp, c->load, c->value, x, NULL, &pf)
               != GSL_SUCCESS) {
        pf = c->value[0];             /* cannot happen: x is inside the points */
    }
    /* Steffen does not overshoot, so this only guards rounding */
    if (pf > 1) pf = 1;
    if (!(pf > 0)) pf = c->value[0];
    return pf;
}

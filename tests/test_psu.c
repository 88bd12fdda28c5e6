/* Tests for sim/psu.c: the 80 PLUS tables (facts.md section 2), the
 * interpolation between the certification points, the loss model outside them,
 * the voltage blend, the power factor, the AC current, parsing and failures. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "psu.h"

#define RATING 1000.0   /* W, for the table tests */

/* -------------------------------------------------------------- helpers -- */

/* Fails unless |GOT - WANT| <= TOL (absolute). */
#define assert_abs(got, want, tol) \
    check_near((got), (want), (tol), 0, #got, __FILE__, __LINE__)
/* Fails unless |GOT - WANT| <= TOL |WANT| (relative). */
#define assert_rel(got, want, tol) \
    check_near((got), (want), (tol), 1, #got, __FILE__, __LINE__)

static void check_near(double got, double want, double tol, int relative,
                       const char *what, const char *file, int line)
{
    double lim = relative ? tol * fabs(want) : tol;
    if (isfinite(got) && fabs(got - want) <= lim) return;
    print_error("%s:%d: %s = %.15g, want %.15g (%s tolerance %g)\n", file, line,
                what, got, want, relative ? "relative" : "absolute", tol);
    fail();
}

/* The model for 80 PLUS level I at RATING. */
static psu *level_model(size_t i, double rating_w)
{
    struct psu_params pp;
    memset(&pp, 0, sizeof pp);
    pp.rating_w = rating_w;
    assert_int_equal(psu_level_curves(psu_level_name(i), &pp.eff_115, &pp.eff_230,
                                      &pp.pf), 0);
    char err[256] = "";
    psu *m = psu_new(&pp, err, sizeof err);
    if (!m) print_error("psu_new(%s): %s\n", psu_level_name(i), err);
    assert_non_null(m);
    return m;
}

static double loss(const psu *m, double p_dc, double v)
{
    return psu_input_power(m, p_dc, v) - p_dc;
}

/* The cubic Hermite segment on [X0, X1] with end values Y0, Y1 and slopes M0,
 * M1: what a Steffen interpolant is on one interval, written out independently
 * of GSL. */
static double hermite(double x0, double x1, double y0, double y1, double m0,
                      double m1, double x)
{
    double h = x1 - x0, t = (x - x0) / h;
    double t2 = t * t, t3 = t2 * t;
    return (2 * t3 - 3 * t2 + 1) * y0 + (t3 - 2 * t2 + t) * h * m0
           + (-2 * t3 + 3 * t2) * y1 + (t3 - t2) * h * m1;
}

/* --------------------------------------------------------------- levels -- */

static void test_level_names(void **state)
{
    (void)state;
    static const char *const want[] = { "80plus-white", "80plus-bronze",
        "80plus-silver", "80plus-gold", "80plus-platinum", "80plus-titanium" };
    assert_int_equal(psu_level_count(), 6);
    for (size_t i = 0; i < 6; i++) assert_string_equal(psu_level_name(i), want[i]);
    assert_null(psu_level_name(6));
    struct psu_curve e1, e2, pf;
    assert_int_equal(psu_level_curves("80plus-diamond", &e1, &e2, &pf), -1);
    assert_int_equal(psu_level_curves("gold", &e1, &e2, &pf), -1);
    /* facts.md 2: Gold 87 / 90 / 87 at 115 V, 90 / 92 / 89 at 230 V EU */
    assert_int_equal(psu_level_curves("80plus-gold", &e1, &e2, &pf), 0);
    assert_int_equal(e1.n, 3);
    assert_abs(e1.load[0], 0.20, 0);
    assert_abs(e1.value[1], 0.90, 0);
    assert_abs(e2.value[2], 0.89, 0);
    /* Titanium alone has the 10 % point: 90 / 92 / 94 / 90, 90 / 94 / 96 / 94 */
    assert_int_equal(psu_level_curves("80plus-titanium", &e1, &e2, &pf), 0);
    assert_int_equal(e1.n, 4);
    assert_abs(e1.load[0], 0.10, 0);
    assert_abs(e1.value[0], 0.90, 0);
    assert_abs(e2.value[2], 0.96, 0);
}

/* Every level meets its table exactly at the certification points. */
static void test_certification_points(void **state)
{
    (void)state;
    for (size_t i = 0; i < psu_level_count(); i++) {
        struct psu_curve c[2], pf;
        psu_level_curves(psu_level_name(i), &c[0], &c[1], &pf);
        psu *m = level_model(i, RATING);
        const double volts[2] = { 115.0, 230.0 };
        for (int v = 0; v < 2; v++)
            for (size_t k = 0; k < c[v].n; k++)
                assert_abs(psu_efficiency(m, c[v].load[k] * RATING, volts[v]),
                           c[v].value[k], 1e-9);
        psu_free(m);
    }
}

/* Between two points the efficiency lies between them (Steffen is monotone). */
static void test_between_points(void **state)
{
    (void)state;
    for (size_t i = 0; i < psu_level_count(); i++) {
        struct psu_curve c[2], pf;
        psu_level_curves(psu_level_name(i), &c[0], &c[1], &pf);
        psu *m = level_model(i, RATING);
        const double volts[2] = { 115.0, 230.0 };
        for (int v = 0; v < 2; v++)
            for (size_t k = 0; k + 1 < c[v].n; k++) {
                double lo = fmin(c[v].value[k], c[v].value[k + 1]);
                double hi = fmax(c[v].value[k], c[v].value[k + 1]);
                for (int j = 1; j < 50; j++) {
                    double x = c[v].load[k] + (c[v].load[k + 1] - c[v].load[k]) * j / 50;
                    double e = psu_efficiency(m, x * RATING, volts[v]);
                    assert_true(e >= lo - 1e-12 && e <= hi + 1e-12);
                }
            }
        psu_free(m);
    }
}

/* Halfway between 115 V and 230 V the loss is the mean of the two losses,
 * inside the points and outside them. */
static void test_voltage_blend(void **state)
{
    (void)state;
    static const double xs[] = { 0, 0.05, 0.2, 0.33, 0.66, 1.0, 1.5, 3.0 };
    for (size_t i = 0; i < psu_level_count(); i++) {
        psu *m = level_model(i, RATING);
        for (size_t k = 0; k < sizeof xs / sizeof xs[0]; k++) {
            double p = xs[k] * RATING;
            double l115 = loss(m, p, 115), l230 = loss(m, p, 230);
            assert_rel(loss(m, p, 172.5), (l115 + l230) / 2, 1e-12);
            /* 100 V: the line through (115, l115) and (230, l230), extended, but
             * never below the 115 V loss (where a fitted 230 V extension lies
             * above the 115 V one: Platinum and Titanium near no load) */
            double line = l115 + (100.0 - 115) / 115 * (l230 - l115);
            assert_rel(loss(m, p, 100), line > l115 ? line : l115, 1e-12);
            assert_true(loss(m, p, 100) >= l115);
            /* below 90 V held at 90 V; above 230 V held at 230 V */
            assert_rel(loss(m, p, 60), loss(m, p, 90), 1e-15);
            assert_rel(loss(m, p, 1), loss(m, p, 90), 1e-15);
            assert_rel(loss(m, p, 277), l230, 1e-15);
        }
        psu_free(m);
    }
}

/* Below the first point the efficiency falls towards 0 and stays positive. */
static void test_light_load(void **state)
{
    (void)state;
    for (size_t i = 0; i < psu_level_count(); i++) {
        struct psu_curve c[2], pf;
        psu_level_curves(psu_level_name(i), &c[0], &c[1], &pf);
        psu *m = level_model(i, RATING);
        const double volts[2] = { 115.0, 230.0 };
        for (int v = 0; v < 2; v++) {
            double prev = psu_efficiency(m, c[v].load[0] * RATING, volts[v]);
            for (double x = c[v].load[0] * 0.95; x > 1e-6; x *= 0.95) {
                double e = psu_efficiency(m, x * RATING, volts[v]);
                assert_true(e > 0);
                assert_true(e < prev);
                prev = e;
            }
            assert_true(prev < 0.01);
            assert_abs(psu_efficiency(m, 0, volts[v]), 0, 0);
            double fixed = loss(m, 0, volts[v]);
            assert_true(isfinite(fixed) && fixed > 0);
        }
        psu_free(m);
    }
}

/* Above 100 % the efficiency falls with load (I^2 R) and stays finite. */
static void test_overload(void **state)
{
    (void)state;
    for (size_t i = 0; i < psu_level_count(); i++) {
        psu *m = level_model(i, RATING);
        const double volts[3] = { 115.0, 172.5, 230.0 };
        for (int v = 0; v < 3; v++) {
            double prev = psu_efficiency(m, RATING, volts[v]);
            for (double x = 1.02; x <= 3.0 + 1e-9; x += 0.02) {
                double e = psu_efficiency(m, x * RATING, volts[v]);
                assert_true(e > 0 && e < prev);
                assert_true(isfinite(psu_input_power(m, x * RATING, volts[v])));
                prev = e;
            }
        }
        psu_free(m);
    }
}

/* The input power joins up at the ends of the points. */
static void test_continuity(void **state)
{
    (void)state;
    for (size_t i = 0; i < psu_level_count(); i++) {
        struct psu_curve c[2], pf;
        psu_level_curves(psu_level_name(i), &c[0], &c[1], &pf);
        psu *m = level_model(i, RATING);
        const double volts[2] = { 115.0, 230.0 };
        for (int v = 0; v < 2; v++) {
            double ends[2] = { c[v].load[0], c[v].load[c[v].n - 1] };
            for (int k = 0; k < 2; k++) {
                double p = ends[k] * RATING;
                double left = psu_input_power(m, p * (1 - 1e-12), volts[v]);
                double right = psu_input_power(m, p * (1 + 1e-12), volts[v]);
                double at = psu_input_power(m, p, volts[v]);
                assert_rel(left, at, 1e-6);
                assert_rel(right, at, 1e-6);
            }
        }
        psu_free(m);
    }
}

/* Bronze at 115 V has three points, so its loss fit a + b x + c x^2 (loss and
 * load in units of the rating) is an exact solve; done here by Cramer's rule.
 * The fit passes through the end points, so the scales are 1 and the loss at
 * no load is a (times the rating), in overload the fit itself. */
static void test_bronze_fit(void **state)
{
    (void)state;
    const double x[3] = { 0.20, 0.50, 1.00 };   /* facts.md 2: Bronze, 115 V */
    const double eta[3] = { 0.82, 0.85, 0.82 };
    double l[3];
    for (int k = 0; k < 3; k++) l[k] = x[k] * (1 / eta[k] - 1);
    /* rows (1, x_k, x_k^2); det of [[1,x0,x0^2],[1,x1,x1^2],[1,x2,x2^2]] */
    double det = (x[1] - x[0]) * (x[2] - x[0]) * (x[2] - x[1]);
    double det_a = l[0] * (x[1] * x[2] * x[2] - x[2] * x[1] * x[1])
                   - x[0] * (l[1] * x[2] * x[2] - l[2] * x[1] * x[1])
                   + x[0] * x[0] * (l[1] * x[2] - l[2] * x[1]);
    double det_b = (l[1] * x[2] * x[2] - l[2] * x[1] * x[1])
                   - l[0] * (x[2] * x[2] - x[1] * x[1])
                   + x[0] * x[0] * (l[2] - l[1]);
    double det_c = (x[1] * l[2] - x[2] * l[1]) - x[0] * (l[2] - l[1])
                   + l[0] * (x[2] - x[1]);
    double a = det_a / det, b = det_b / det, c = det_c / det;
    /* a check of the hand solution itself */
    for (int k = 0; k < 3; k++) assert_abs(a + b * x[k] + c * x[k] * x[k], l[k], 1e-14);
    assert_abs(a, 0.0286944, 1e-6);
    assert_abs(b, 0.0473458, 1e-6);
    assert_abs(c, 0.1434720, 1e-6);

    size_t bronze = 1;
    assert_string_equal(psu_level_name(bronze), "80plus-bronze");
    psu *m = level_model(bronze, 850);
    assert_rel(loss(m, 0, 115), a * 850, 1e-9);
    assert_rel(loss(m, 0.1 * 850, 115), (a + 0.1 * b + 0.01 * c) * 850, 1e-9);
    assert_rel(loss(m, 1.5 * 850, 115), (a + 1.5 * b + 2.25 * c) * 850, 1e-9);
    psu_free(m);
}

/* ------------------------------------------------------------ loss fit -- */

/* The curves whose points the quadratic loss model cannot reproduce within the
 * 0.3 percentage points of test_fit_reproduces_points, each with the worst miss
 * measured (as a bound) and the reason, which the test checks too.
 *   80 PLUS Titanium, 115 V (90 / 92 / 94 / 90 % at 10 / 20 / 50 / 100 %): the
 *   points' loss x (1/eta - 1) is 0.01111, 0.01739, 0.03191, 0.11111 of the
 *   rating; its slope falls from 0.0628 (10-20 %) to 0.0484 (20-50 %) and then
 *   rises to 0.158 (50-100 %): concave, then convex. A loss a + b x + c x^2
 *   with c > 0 is convex everywhere, so no such fit can follow it; the weighted
 *   least-squares fit misses by 0.90 points (at 20 %; the minimax quadratic
 *   would still miss by 0.74, and any convex loss function by at least 0.23).
 *   Unweighted, the old fit missed by 1.53.
 *   80 PLUS Platinum, 230 V (92 / 94 / 90 % at 20 / 50 / 100 %): the points'
 *   loss 0.01739, 0.03191, 0.11111 is met exactly by a + b x + c x^2 only with
 *   b = -0.0478 < 0, a loss that falls as the load rises below 17 % (it put
 *   Platinum below Gold under 6 % load). The fit holds b >= 0 (psu.c fit_side:
 *   switch and diode drops cannot give a negative loss), and a + c x^2 misses
 *   the 50 % point by 0.79 points.
 *   80 PLUS Titanium, 230 V (90 / 94 / 96 / 94 % at 10 / 20 / 50 / 100 %): the
 *   same for its last three points (b = -0.0249 through 20 / 50 / 100 %); with
 *   b >= 0 the fit misses the 50 % point by 0.45 points. */
enum miss_reason { MISS_CONCAVE, MISS_NEGATIVE_B };
static const struct {
    const char *level;
    double volts;
    double bound;         /* worst |fit - point| measured, rounded up */
    enum miss_reason why;
} known_misses[] = {
    { "80plus-titanium", 115.0, 0.0090, MISS_CONCAVE },
    { "80plus-platinum", 230.0, 0.0080, MISS_NEGATIVE_B },
    { "80plus-titanium", 230.0, 0.0046, MISS_NEGATIVE_B },
};

/* The loss model is fitted to the 80 PLUS points; evaluated alone at those
 * points it reproduces them within 0.3 percentage points (facts.md 2 tables),
 * for every level at 115 V and 230 V, except the known misses above. */
static void test_fit_reproduces_points(void **state)
{
    (void)state;
    const double volts[2] = { 115.0, 230.0 };
    for (size_t i = 0; i < psu_level_count(); i++) {
        struct psu_curve c[2], pf;
        psu_level_curves(psu_level_name(i), &c[0], &c[1], &pf);
        psu *m = level_model(i, RATING);
        for (int v = 0; v < 2; v++) {
            double worst = 0, at = 0;
            for (size_t k = 0; k < c[v].n; k++) {
                double d = psu_fit_efficiency(m, c[v].load[k] * RATING, volts[v])
                           - c[v].value[k];
                if (fabs(d) > fabs(worst)) {
                    worst = d;
                    at = c[v].load[k];
                }
            }
            double bound = 0.003;
            for (size_t j = 0; j < sizeof known_misses / sizeof known_misses[0]; j++)
                if (strcmp(known_misses[j].level, psu_level_name(i)) == 0
                    && known_misses[j].volts == volts[v]) {
                    bound = known_misses[j].bound;
                    /* the reason: the points' loss is concave somewhere, or
                     * (three points) its exact quadratic has b < 0 */
                    int concave = 0;
                    double b_exact = 0;
                    for (size_t k = 0; k + 2 < c[v].n; k++) {
                        double l[3];
                        for (int q = 0; q < 3; q++)
                            l[q] = c[v].load[k + q] * (1 / c[v].value[k + q] - 1);
                        double x0 = c[v].load[k], x1 = c[v].load[k + 1];
                        double x2 = c[v].load[k + 2];
                        double s1 = (l[1] - l[0]) / (x1 - x0);
                        double s2 = (l[2] - l[1]) / (x2 - x1);
                        if (s2 < s1) concave = 1;
                        /* Newton form: c = (s2 - s1) / (x2 - x0), b = s1 - c (x0 + x1) */
                        double cq = (s2 - s1) / (x2 - x0);
                        b_exact = s1 - cq * (x0 + x1);
                    }
                    if (known_misses[j].why == MISS_CONCAVE) {
                        assert_true(concave);
                    } else {
                        assert_true(b_exact < 0);   /* the last three points' */
                    }
                    print_message("known miss: %s at %.0f V, fit %+.3f points at %g %% "
                                  "(%s)\n", psu_level_name(i), volts[v], 100 * worst,
                                  100 * at, known_misses[j].why == MISS_CONCAVE
                                  ? "a quadratic loss cannot follow a concave loss"
                                  : "the exact quadratic has b < 0; the fit holds b >= 0");
                }
            if (fabs(worst) > bound)
                print_error("%s at %.0f V: fit misses by %+.3f points at %g %%\n",
                            psu_level_name(i), volts[v], 100 * worst, 100 * at);
            assert_true(fabs(worst) <= bound);
        }
        psu_free(m);
    }
}

/* The 80 PLUS levels are minimums, so a higher level must not come out less
 * efficient than a lower one anywhere the model extends them. On a 0.01 %
 * grid from 5 % to 100 % load at 115 V and 230 V: White < Bronze < Silver <
 * Gold < Platinum < Titanium, strictly; and White below Gold at every load
 * from 0.1 % (issue 13 section 5: White's flat 115 V points, 80 / 80 / 80 %,
 * once gave it a fixed loss of 0.25 % of the rating and 77.8 % at 5 % load,
 * above Gold's 66.5 %; psu.c fit_side now floors its zero-load loss at the
 * 230 V curve's fixed loss). Efficiency is higher at 230 V than at 115 V on
 * the same grid (facts.md 2, D) for every level. */
static void test_level_order(void **state)
{
    (void)state;
    const double volts[2] = { 115.0, 230.0 };
    size_t n = psu_level_count();
    assert_int_equal(n, 6);
    psu *m[6];
    for (size_t i = 0; i < n; i++) m[i] = level_model(i, RATING);
    static const char *const order[6] = { "80plus-white", "80plus-bronze",
                                          "80plus-silver", "80plus-gold",
                                          "80plus-platinum", "80plus-titanium" };
    for (size_t i = 0; i < n; i++) assert_string_equal(psu_level_name(i), order[i]);
    for (int v = 0; v < 2; v++) {
        double worst = 1;           /* least gap between neighbours, points */
        for (int k = 0; k <= 9500; k++) {
            double x = 0.05 + 1e-4 * k;
            for (size_t i = 0; i + 1 < n; i++) {
                double lo = psu_efficiency(m[i], x * RATING, volts[v]);
                double hi = psu_efficiency(m[i + 1], x * RATING, volts[v]);
                if (!(lo < hi))
                    print_error("%.0f V, %.2f %% load: %s %.4f >= %s %.4f\n", volts[v],
                                100 * x, order[i], lo, order[i + 1], hi);
                assert_true(lo < hi);
                if (hi - lo < worst) worst = hi - lo;
            }
        }
        print_message("%.0f V: levels ordered from 5 to 100 %% load, least gap %.3f "
                      "points\n", volts[v], 100 * worst);
        for (int k = 1; k <= 1000; k++) {
            double x = 1e-3 * k;
            assert_true(psu_efficiency(m[0], x * RATING, volts[v])
                        < psu_efficiency(m[3], x * RATING, volts[v]));
        }
    }
    for (size_t i = 0; i < n; i++) {
        for (int k = 0; k <= 9500; k++) {
            double p = (0.05 + 1e-4 * k) * RATING;
            assert_true(psu_efficiency(m[i], p, 115) <= psu_efficiency(m[i], p, 230));
        }
        psu_free(m[i]);
    }
}

/* psu_fit_efficiency is the fitted loss alone: for Bronze at 115 V, three points
 * and an exact solve, it is x / (x + a + b x + c x^2) with test_bronze_fit's
 * coefficients at any load (the interpolated curve differs between the points);
 * blended in voltage like psu_efficiency; 0 at no load. */
static void test_fit_efficiency(void **state)
{
    (void)state;
    const double a = 0.0286944, b = 0.0473458, c = 0.1434720; /* to 1e-6 */
    psu *m = level_model(1, RATING);
    static const double xs[] = { 0.05, 0.2, 0.35, 0.5, 0.75, 1.0, 1.3, 2.5 };
    for (size_t k = 0; k < sizeof xs / sizeof xs[0]; k++) {
        double x = xs[k];
        assert_abs(psu_fit_efficiency(m, x * RATING, 115),
                   x / (x + a + b * x + c * x * x), 5e-6);
    }
    /* between the points the curve (Steffen) and the fit differ */
    assert_true(fabs(psu_fit_efficiency(m, 0.35 * RATING, 115)
                     - psu_efficiency(m, 0.35 * RATING, 115)) > 1e-5);
    assert_abs(psu_fit_efficiency(m, 0, 115), 0, 0);
    assert_abs(psu_fit_efficiency(m, -5, 230), 0, 0);
    for (size_t k = 0; k < sizeof xs / sizeof xs[0]; k++) {
        double p = xs[k] * RATING;
        double l115 = p / psu_fit_efficiency(m, p, 115) - p;
        double l230 = p / psu_fit_efficiency(m, p, 230) - p;
        double l172 = p / psu_fit_efficiency(m, p, 172.5) - p;
        assert_rel(l172, (l115 + l230) / 2, 1e-9);
        assert_abs(psu_fit_efficiency(m, p, 277), psu_fit_efficiency(m, p, 230), 0);
        assert_abs(psu_fit_efficiency(m, p, 50), psu_fit_efficiency(m, p, 90), 0);
    }
    assert_true(isfinite(psu_fit_efficiency(m, 1e12, 120)));
    psu_free(m);

    /* White at 115 V is flat (80 % at 20 / 50 / 100 %): a pure linear loss would
     * fit it exactly, but the fit keeps a small fixed loss and I^2 R term, so
     * efficiency still falls at both ends; it stays within the points' 0.3 */
    m = level_model(0, RATING);
    double e20 = psu_fit_efficiency(m, 0.2 * RATING, 115);
    assert_true(psu_fit_efficiency(m, 0.01 * RATING, 115) < e20 - 0.05);
    assert_true(psu_fit_efficiency(m, 3.0 * RATING, 115)
                < psu_fit_efficiency(m, RATING, 115));
    psu_free(m);
}

/* ------------------------------------------------------------- no load -- */

/* The model with a measured no-load loss NO_LOAD_W on level LEVEL at RATING_W. */
static psu *no_load_model(const char *level, double rating_w, double no_load_w)
{
    struct psu_params pp;
    memset(&pp, 0, sizeof pp);
    pp.rating_w = rating_w;
    pp.no_load_w = no_load_w;
    assert_int_equal(psu_level_curves(level, &pp.eff_115, &pp.eff_230, &pp.pf), 0);
    char err[256] = "";
    psu *m = psu_new(&pp, err, sizeof err);
    if (!m) print_error("psu_new(%s, no load %g W): %s\n", level, no_load_w, err);
    assert_non_null(m);
    return m;
}

/* A 1600 W Titanium unit measured at 20 W with no output: the input at zero
 * load is 20 W at every voltage, the curve still passes the 80 PLUS points,
 * and below the first point the efficiency still rises monotonically with load
 * and joins the curve there. Also with a no-load loss far below and above what
 * the fit alone gives (14.6 W at 115 V for 1600 W), one above the loss at the
 * first point, and on Gold and White, whose first point is at 20 %. */
static void test_no_load_anchor(void **state)
{
    (void)state;
    psu *m = no_load_model("80plus-titanium", 1600, 20);
    const double volts[] = { 90, 100, 115, 120, 172.5, 230, 240 };
    for (size_t i = 0; i < sizeof volts / sizeof volts[0]; i++) {
        assert_abs(psu_input_power(m, 0, volts[i]), 20, 1e-9);
        assert_abs(psu_input_power(m, -3, volts[i]), 20, 1e-9);
    }
    psu_free(m);

    static const struct {
        const char *level;
        double rating_w, no_load_w;
    } cases[] = {
        { "80plus-titanium", 1600, 20 },
        { "80plus-titanium", 1600, 0.5 },   /* far below the fit's fixed loss */
        { "80plus-titanium", 1600, 30 },    /* above the loss at 10 % (17.8 W) */
        { "80plus-gold", 1000, 8 },
        { "80plus-white", 500, 12 },
    };
    const double v2[2] = { 115.0, 230.0 };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        psu *n = no_load_model(cases[i].level, cases[i].rating_w, cases[i].no_load_w);
        double r = cases[i].rating_w;
        struct psu_curve c[2], pf;
        psu_level_curves(cases[i].level, &c[0], &c[1], &pf);
        for (int v = 0; v < 2; v++) {
            assert_abs(psu_input_power(n, 0, v2[v]), cases[i].no_load_w, 1e-9);
            for (size_t k = 0; k < c[v].n; k++)
                assert_abs(psu_efficiency(n, c[v].load[k] * r, v2[v]), c[v].value[k],
                           1e-9);
            double x0 = c[v].load[0], p0 = x0 * r;
            assert_rel(psu_input_power(n, p0 * (1 - 1e-12), v2[v]),
                       psu_input_power(n, p0, v2[v]), 1e-6);
            double prev = psu_efficiency(n, p0, v2[v]);
            for (double x = x0 * 0.98; x > 1e-7; x *= 0.98) {
                double e = psu_efficiency(n, x * r, v2[v]);
                double l = psu_input_power(n, x * r, v2[v]) - x * r;
                assert_true(e > 0 && e < prev);
                assert_true(l > 0 && isfinite(l));
                prev = e;
            }
        }
        psu_free(n);
    }
}

/* no_load_w must be a number, >= 0 and below the rating; 0 means "from the fit"
 * and gives the model without it. */
static void test_no_load_invalid(void **state)
{
    (void)state;
    struct psu_params p;
    memset(&p, 0, sizeof p);
    p.rating_w = 1600;
    psu_level_curves("80plus-titanium", &p.eff_115, &p.eff_230, &p.pf);
    const double bad[] = { -1, -1e-12, 1600, 1601, 1e300, NAN, INFINITY, -INFINITY };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[256] = "";
        p.no_load_w = bad[i];
        assert_null(psu_new(&p, err, sizeof err));
        assert_non_null(strstr(err, "no-load loss"));
    }
    char err[256] = "";
    p.no_load_w = 0;
    psu *m = psu_new(&p, err, sizeof err);
    assert_non_null(m);
    psu *ref = level_model(5, 1600);
    for (double x = 0; x <= 2.0; x += 0.01)
        assert_abs(psu_input_power(m, x * 1600, 120), psu_input_power(ref, x * 1600, 120),
                   0);
    psu_free(ref);
    psu_free(m);
    p.no_load_w = 1599.9;                        /* absurd but valid */
    m = psu_new(&p, err, sizeof err);
    assert_non_null(m);
    assert_abs(psu_input_power(m, 0, 230), 1599.9, 1e-9);
    psu_free(m);
}

/* -------------------------------------------------------- power factor -- */

static void test_power_factor(void **state)
{
    (void)state;
    for (size_t i = 0; i < psu_level_count(); i++) {
        struct psu_curve e1, e2, pf;
        psu_level_curves(psu_level_name(i), &e1, &e2, &pf);
        psu *m = level_model(i, RATING);
        for (size_t k = 0; k < pf.n; k++)
            assert_abs(psu_power_factor(m, pf.load[k] * RATING), pf.value[k], 1e-12);
        for (double x = 0; x <= 3.0; x += 0.01) {
            double v = psu_power_factor(m, x * RATING);
            assert_true(v > 0 && v <= 1);
        }
        /* held at the end points outside them */
        assert_abs(psu_power_factor(m, 0), pf.value[0], 0);
        assert_abs(psu_power_factor(m, -5), pf.value[0], 0);
        assert_abs(psu_power_factor(m, 2.5 * RATING), pf.value[pf.n - 1], 0);
        psu_free(m);
    }
    /* one point is a constant, two points are linear */
    struct psu_params pp;
    memset(&pp, 0, sizeof pp);
    pp.rating_w = 500;
    psu_level_curves("80plus-gold", &pp.eff_115, &pp.eff_230, NULL);
    pp.pf.n = 1;
    pp.pf.load[0] = 1.0;
    pp.pf.value[0] = 0.6;
    char err[256];
    psu *m = psu_new(&pp, err, sizeof err);
    assert_non_null(m);
    assert_abs(psu_power_factor(m, 0), 0.6, 0);
    assert_abs(psu_power_factor(m, 700), 0.6, 0);
    psu_free(m);
    pp.pf.n = 2;
    pp.pf.load[0] = 0.2;
    pp.pf.value[0] = 0.9;
    pp.pf.load[1] = 1.0;
    pp.pf.value[1] = 1.0;
    m = psu_new(&pp, err, sizeof err);
    assert_non_null(m);
    assert_abs(psu_power_factor(m, 0.6 * 500), 0.95, 1e-12);
    psu_free(m);
}

/* Worked example: a Titanium 2500 W PSU at 1650 W DC (x = 0.66) on 120 V.
 * By hand: Steffen (1990, eq. 11) gives the slope at an interior point as
 * (sign s- + sign s+) min(|s-|, |s+|, |p|/2), p = (s- h+ + s+ h-)/(h- + h+), and
 * GSL takes the secant as the slope at the last point. On [0.5, 1]:
 *   eff 115 V 0.94 -> 0.90: s- = 0.02/0.3 > 0, s+ = -0.04/0.5 < 0 -> m0 = 0;
 *                           m1 = -0.08;
 *   eff 230 V 0.96 -> 0.94: s- > 0, s+ = -0.04 < 0 -> m0 = 0; m1 = -0.04;
 *   PF        0.98 -> 0.99: s- = 0.1, s+ = 0.02, p = (0.1*0.5 + 0.02*0.3)/0.8
 *                           = 0.07 -> m0 = 2 min(0.1, 0.02, 0.035) = 0.04;
 *                           m1 = 0.02.
 * Loss = P (1/eta - 1) at each voltage, blended linearly in V; P_in = P + loss;
 * I = P_in / (V PF). */
static void test_ac_current_titanium(void **state)
{
    (void)state;
    const double rating = 2500, p = 1650, v = 120, x = p / rating;
    double e115 = hermite(0.5, 1.0, 0.94, 0.90, 0.0, -0.08, x);
    double e230 = hermite(0.5, 1.0, 0.96, 0.94, 0.0, -0.04, x);
    double pf = hermite(0.5, 1.0, 0.98, 0.99, 0.04, 0.02, x);
    double l115 = p * (1 / e115 - 1), l230 = p * (1 / e230 - 1);
    double t = (v - 115) / (230 - 115);
    double p_in = p + l115 + t * (l230 - l115);
    double amps = p_in / (v * pf);

    psu *m = level_model(5, rating);
    assert_string_equal(psu_level_name(5), "80plus-titanium");
    assert_abs(psu_efficiency(m, p, 115), e115, 1e-12);
    assert_abs(psu_efficiency(m, p, 230), e230, 1e-12);
    assert_abs(psu_power_factor(m, p), pf, 1e-12);
    double got = psu_input_power(m, p, v) / (v * psu_power_factor(m, p));
    assert_rel(got, amps, 1e-9);
    assert_true(amps > 14.5 && amps < 15.5);   /* about 1650 / 0.93 / 120 / 0.985 */
    psu_free(m);
}

/* ------------------------------------------------------ measured curves -- */

/* Curves the 80 PLUS table never produces: two points (linear interpolation,
 * loss fit a + c x^2 with its peak held at an end point), a flat curve (fixed
 * loss held at its floor), points up to 150 %. The ends still behave. */
static void test_custom_curves(void **state)
{
    (void)state;
    static const char *const curves[] = {
        "20%:0.80, 50%:0.90",                    /* rising: peak at the last point */
        "50%:0.90, 100%:0.85",                   /* falling: peak at the first */
        "10%:0.85, 20%:0.85, 50%:0.85, 100%:85%",/* flat */
        "10%:0.91, 20%:0.9281, 30%:0.9362, 50%:0.94, 100%:0.92, 150%:0.88",
    };
    for (size_t i = 0; i < sizeof curves / sizeof curves[0]; i++) {
        struct psu_params pp;
        memset(&pp, 0, sizeof pp);
        char err[256] = "";
        assert_int_equal(psu_parse_curve(curves[i], &pp.eff_115, err, sizeof err), 0);
        pp.eff_230 = pp.eff_115;
        psu_level_curves("80plus-gold", NULL, NULL, &pp.pf);
        pp.rating_w = 1200;
        psu *m = psu_new(&pp, err, sizeof err);
        assert_non_null(m);
        const struct psu_curve *c = &pp.eff_115;
        for (size_t k = 0; k < c->n; k++)
            assert_abs(psu_efficiency(m, c->load[k] * 1200, 115), c->value[k], 1e-9);
        double x0 = c->load[0], x1 = c->load[c->n - 1];
        double prev = psu_efficiency(m, x0 * 1200, 115);
        for (double x = x0 * 0.9; x > 1e-6; x *= 0.9) {
            double e = psu_efficiency(m, x * 1200, 115);
            assert_true(e > 0 && e < prev);
            prev = e;
        }
        prev = psu_efficiency(m, x1 * 1200, 115);
        for (double x = x1 + 0.05; x <= 3.0; x += 0.05) {
            double e = psu_efficiency(m, x * 1200, 115);
            assert_true(e > 0 && e < prev);
            prev = e;
        }
        for (int k = 0; k < 2; k++) {
            double pe = (k ? x1 : x0) * 1200;
            assert_rel(psu_input_power(m, pe * (1 - 1e-12), 115),
                       psu_input_power(m, pe, 115), 1e-6);
            assert_rel(psu_input_power(m, pe * (1 + 1e-12), 115),
                       psu_input_power(m, pe, 115), 1e-6);
        }
        psu_free(m);
    }
}

/* Odd inputs: negative demand is none, any positive voltage gives a finite
 * result, the input never falls below the output. */
static void test_odd_inputs(void **state)
{
    (void)state;
    psu *m = level_model(3, 750);
    assert_abs(psu_input_power(m, -100, 120), psu_input_power(m, 0, 120), 0);
    assert_abs(psu_efficiency(m, -100, 120), 0, 0);
    assert_abs(psu_rating(m), 750, 0);
    const double volts[] = { 1e-3, 50, 90, 100, 115, 120, 200, 230, 240, 1e4 };
    const double loads[] = { 0, 1, 75, 375, 750, 1125, 2250, 1e7 };
    for (size_t i = 0; i < sizeof volts / sizeof volts[0]; i++)
        for (size_t k = 0; k < sizeof loads / sizeof loads[0]; k++) {
            double pin = psu_input_power(m, loads[k], volts[i]);
            assert_true(isfinite(pin) && pin > loads[k]);
        }
    psu_free(m);
}

/* ------------------------------------------------------------- parsing -- */

static void test_parse_ok(void **state)
{
    (void)state;
    struct psu_curve c;
    char err[256] = "";
    assert_int_equal(psu_parse_curve("10%:0.90, 20%:92%, 50%:0.94, 100%:0.90", &c, err,
                                     sizeof err), 0);
    assert_int_equal(c.n, 4);
    const double load[4] = { 0.1, 0.2, 0.5, 1.0 }, value[4] = { 0.9, 0.92, 0.94, 0.9 };
    for (size_t k = 0; k < 4; k++) {
        assert_abs(c.load[k], load[k], 1e-15);
        assert_abs(c.value[k], value[k], 1e-15);
    }
    assert_int_equal(psu_parse_curve("  0.2 : 0.85 ,0.5:88 %,\t1:0.85  ", &c, err,
                                     sizeof err), 0);
    assert_int_equal(c.n, 3);
    assert_abs(c.value[1], 0.88, 1e-15);
    assert_abs(c.load[2], 1.0, 0);
    assert_int_equal(psu_parse_curve("200%:100%", &c, err, sizeof err), 0);
    assert_int_equal(c.n, 1);
    assert_abs(c.load[0], 2.0, 0);
    assert_abs(c.value[0], 1.0, 0);
}

static void test_parse_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *want;     /* in the message */
    } cases[] = {
        { "", "empty" },
        { "  \t ", "empty" },
        { "10% 0.9", "missing ':'" },
        { "10%:0.9, 50%", "missing ':'" },
        { "abc:0.9", "bad number 'abc'" },
        { "10%:x", "bad number 'x'" },
        { ":0.9", "bad number" },
        { "10%:", "bad number" },
        { "10%%:0.9", "bad number" },
        { "nan:0.9", "bad number" },
        { "10%:inf", "bad number" },
        { "1e999:0.9", "bad number" },
        { "10%:0.9:0.8", "bad number" },
        { "50%:0.9, 20%:0.9", "ascend" },
        { "50%:0.9, 50%:0.9", "ascend" },
        { "0%:0.9", "out of range" },
        { "-10%:0.9", "out of range" },
        { "250%:0.9", "out of range" },
        { "50%:105%", "above 100 %" },
        { "50%:1.2", "above 100 %" },
        { "50%:0", "must be above 0" },
        { "50%:-0.5", "must be above 0" },
        { "10%:0.9,,20%:0.9", "point 2 is empty" },
        { "10%:0.9,", "point 2 is empty" },
        { "1%:.9,2%:.9,3%:.9,4%:.9,5%:.9,6%:.9,7%:.9,8%:.9,9%:.9,10%:.9,11%:.9,"
          "12%:.9,13%:.9,14%:.9,15%:.9,16%:.9,17%:.9", "more than 16 points" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct psu_curve c;
        memset(&c, 0, sizeof c);
        c.n = 99;                              /* untouched on error */
        char err[256] = "";
        int rc = psu_parse_curve(cases[i].text, &c, err, sizeof err);
        if (rc != -1 || !strstr(err, cases[i].want))
            print_error("'%s': rc %d, message '%s', want '%s'\n", cases[i].text, rc,
                        err, cases[i].want);
        assert_int_equal(rc, -1);
        assert_non_null(strstr(err, cases[i].want));
        assert_int_equal(c.n, 99);
    }
    /* exactly 16 points is fine */
    struct psu_curve c;
    char err[256];
    assert_int_equal(psu_parse_curve("1%:.9,2%:.9,3%:.9,4%:.9,5%:.9,6%:.9,7%:.9,8%:.9,"
                                     "9%:.9,10%:.9,11%:.9,12%:.9,13%:.9,14%:.9,15%:.9,"
                                     "16%:.9", &c, err, sizeof err), 0);
    assert_int_equal(c.n, 16);
}

/* ------------------------------------------------------------ failures -- */

/* Each bad parameter set gives NULL and a message; nothing leaks (ASan). */
static void test_new_failures(void **state)
{
    (void)state;
    struct psu_params good;
    memset(&good, 0, sizeof good);
    good.rating_w = 1000;
    psu_level_curves("80plus-platinum", &good.eff_115, &good.eff_230, &good.pf);
    char err[256] = "";
    psu *m = psu_new(&good, err, sizeof err);
    assert_non_null(m);
    psu_free(m);
    psu_free(NULL);

    struct psu_params p;
    p = good;
    p.rating_w = 0;
    err[0] = '\0';
    assert_null(psu_new(&p, err, sizeof err));
    assert_non_null(strstr(err, "rating"));

    p.rating_w = NAN;
    assert_null(psu_new(&p, err, sizeof err));
    assert_non_null(strstr(err, "rating"));

    p = good;
    p.eff_115.n = 1;
    err[0] = '\0';
    assert_null(psu_new(&p, err, sizeof err));
    assert_non_null(strstr(err, "115 V efficiency curve needs 2 to 16 points; got 1"));

    p = good;
    p.eff_230.n = PSU_MAX_POINTS + 1;
    assert_null(psu_new(&p, err, sizeof err));
    assert_non_null(strstr(err, "230 V efficiency"));

    p = good;
    p.eff_230.load[1] = p.eff_230.load[0];
    assert_null(psu_new(&p, err, sizeof err));
    assert_non_null(strstr(err, "ascend"));

    p = good;
    p.eff_115.value[1] = 1.0;
    assert_null(psu_new(&p, err, sizeof err));
    assert_non_null(strstr(err, "no losses"));

    p = good;
    p.eff_115.load[2] = 2.5;
    assert_null(psu_new(&p, err, sizeof err));
    assert_non_null(strstr(err, "out of range"));

    p = good;
    p.pf.n = 0;
    assert_null(psu_new(&p, err, sizeof err));
    assert_non_null(strstr(err, "power factor"));

    p = good;
    p.pf.value[3] = 1.01;
    assert_null(psu_new(&p, err, sizeof err));
    assert_non_null(strstr(err, "power factor"));

    assert_null(psu_new(NULL, err, sizeof err));
}

/* -------------------------------------------------------- GSL handler -- */

static int gsl_calls;   /* calls of the counting handler below */

static void count_gsl_error(const char *reason, const char *file, int line,
                            int gsl_errno)
{
    (void)reason;
    (void)file;
    (void)line;
    (void)gsl_errno;
    gsl_calls++;
}

/* The model checks its inputs so that GSL never reaches its error handler, not
 * even when building fails or when asked about loads outside the points. */
static void test_no_gsl_errors(void **state)
{
    (void)state;
    gsl_calls = 0;
    gsl_error_handler_t *old = gsl_set_error_handler(count_gsl_error);
    for (size_t i = 0; i < psu_level_count(); i++) {
        psu *m = level_model(i, RATING);
        for (double x = -0.5; x <= 3.5; x += 0.01) {
            (void)psu_input_power(m, x * RATING, 40 + 100 * x);
            (void)psu_power_factor(m, x * RATING);
        }
        psu_free(m);
    }
    struct psu_params p;
    memset(&p, 0, sizeof p);
    p.rating_w = 1000;
    char err[256];
    assert_int_equal(psu_parse_curve("20%:0.8, 50%:0.9", &p.eff_115, err, sizeof err), 0);
    p.eff_230 = p.eff_115;
    assert_int_equal(psu_parse_curve("50%:0.9", &p.pf, err, sizeof err), 0);
    psu *m = psu_new(&p, err, sizeof err);
    assert_non_null(m);
    (void)psu_input_power(m, 5000, 120);
    psu_free(m);
    p.eff_230.load[1] = 0.1;                     /* not ascending */
    assert_null(psu_new(&p, err, sizeof err));
    gsl_set_error_handler(old);
    assert_int_equal(gsl_calls, 0);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_level_names),
        cmocka_unit_test(test_certification_points),
        cmocka_unit_test(test_between_points),
        cmocka_unit_test(test_voltage_blend),
        cmocka_unit_test(test_light_load),
        cmocka_unit_test(test_overload),
        cmocka_unit_test(test_continuity),
        cmocka_unit_test(test_bronze_fit),
        cmocka_unit_test(test_fit_reproduces_points),
        cmocka_unit_test(test_level_order),
        cmocka_unit_test(test_fit_efficiency),
        cmocka_unit_test(test_no_load_anchor),
        cmocka_unit_test(test_no_load_invalid),
        cmocka_unit_test(test_power_factor),
        cmocka_unit_test(test_ac_current_titanium),
        cmocka_unit_test(test_custom_curves),
        cmocka_unit_test(test_odd_inputs),
        cmocka_unit_test(test_parse_ok),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_new_failures),
        cmocka_unit_test(test_no_gsl_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

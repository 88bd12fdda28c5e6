/* test_circuit.c — circuit_solve() and circuit_max_power() against two
 * independent methods: the textbook root (V0 - sqrt(V0^2 - 4 R S)) / (2 R)
 * (facts.md 1, Wiring) and a numerical root of f(I) = (V0 - R I) I - S found with
 * GSL's Brent solver on [0, V0 / (2 R)].
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

#include "circuit.h"

/* ------------------------------------------------------------------------- */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------- */

/* |got - want| <= rel * |want| (or <= rel when want is 0). */
static void assert_rel(double got, double want, double rel)
{
    double tol = want == 0 ? rel : rel * fabs(want);

    if (!(fabs(got - want) <= tol))
        fail_msg("got %.17g, want %.17g (rel tol %g, rel err %.3g)", got, want,
                 rel, want == 0 ? fabs(got) : fabs(got - want) / fabs(want));
}

/* The textbook form, with its cancellation. */
static double textbook_i(double v0, double r, double s)
{
    return (v0 - sqrt(v0 * v0 - 4.0 * r * s)) / (2.0 * r);
}

/* f(I) = (V0 - R I) I - S: the power the load gets at current I, minus S. */
struct loop {
    double v0;   /* source voltage, V */
    double r;    /* loop resistance, ohm */
    double s;    /* load apparent power, VA */
};

static double loop_f(double i, void *params)
{
    const struct loop *c = params;

    return (c->v0 - c->r * i) * i - c->s;
}

/* The root of loop_f on [0, V0 / (2 R)] by Brent's method, to ~1e-14 rel. */
static double brent_i(double v0, double r, double s)
{
    struct loop c = { v0, r, s };
    gsl_function fn = { loop_f, &c };
    gsl_root_fsolver *solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    double lo = 0.0, hi = v0 / (2.0 * r), x = NAN;
    int status, iter = 0;

    assert_non_null(solver);
    status = gsl_root_fsolver_set(solver, &fn, lo, hi);
    assert_int_equal(status, GSL_SUCCESS);
    do {
        status = gsl_root_fsolver_iterate(solver);
        assert_int_equal(status, GSL_SUCCESS);
        x = gsl_root_fsolver_root(solver);
        lo = gsl_root_fsolver_x_lower(solver);
        hi = gsl_root_fsolver_x_upper(solver);
        status = gsl_root_test_interval(lo, hi, 0.0, 1e-14);
    } while (status == GSL_CONTINUE && ++iter < 500);
    gsl_root_fsolver_free(solver);
    assert_int_equal(status, GSL_SUCCESS);
    return x;
}

/* ------------------------------------------------------------------------- */
/* Tests                                                                     */
/* ------------------------------------------------------------------------- */

/* A grid of R (0.01 .. 2 ohm) and S (0 .. just below V0^2 / 4R) at 120 V and
 * 230 V: circuit_solve agrees with the textbook form and with Brent's root to
 * 1e-9 relative, and V = V0 - R I, V I = S hold. */
static void solve_matches_textbook_and_brent(void **state)
{
    static const double v0s[] = { 120.0, 230.0 };
    static const double rs[] = { 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0 };
    static const double fracs[] = { 0.0, 1e-3, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9,
                                     0.99, 0.999, 1.0 - 1e-6, 1.0 - 1e-9 };
    size_t a, b, c, n = 0;

    (void)state;
    for (a = 0; a < sizeof v0s / sizeof v0s[0]; a++)
        for (b = 0; b < sizeof rs / sizeof rs[0]; b++)
            for (c = 0; c < sizeof fracs / sizeof fracs[0]; c++) {
                double v0 = v0s[a], r = rs[b];
                double s = fracs[c] * circuit_max_power(v0, r);
                double i = -1, v = -1;

                assert_int_equal(circuit_solve(v0, r, s, &i, &v), 0);
                if (s == 0) {
                    assert_true(i == 0.0);
                    assert_true(v == v0);
                } else {
                    assert_rel(i, textbook_i(v0, r, s), 1e-9);
                    assert_rel(i, brent_i(v0, r, s), 1e-9);
                    assert_rel(v * i, s, 1e-9);
                }
                assert_rel(v, v0 - r * i, 1e-12);
                n++;
            }
    printf("  grid: %zu (V0, R, S) points agree with the textbook form and "
           "Brent to 1e-9\n", n);
}

/* R = 0 (an ideal source): I = S / V0, V = V0. */
static void solve_zero_resistance(void **state)
{
    double i = -1, v = -1;

    (void)state;
    assert_int_equal(circuit_solve(120.0, 0.0, 1800.0, &i, &v), 0);
    assert_rel(i, 15.0, 1e-15);
    assert_rel(v, 120.0, 1e-15);
    assert_int_equal(circuit_solve(230.0, 0.0, 0.0, &i, &v), 0);
    assert_true(i == 0.0);
    assert_true(v == 230.0);
    assert_true(isinf(circuit_max_power(120.0, 0.0)));
}

/* Just above V0^2 / (4R) the voltage collapses: -1, I = V0 / (2R), V = V0 / 2.
 * Exactly at the maximum-power point the load is still delivered. */
static void solve_collapse(void **state)
{
    static const double rs[] = { 0.01, 0.1, 0.5, 2.0 };
    size_t k;

    (void)state;
    for (k = 0; k < sizeof rs / sizeof rs[0]; k++) {
        double v0 = 120.0, r = rs[k], smax = circuit_max_power(v0, r);
        double i = -1, v = -1;

        assert_rel(smax, v0 * v0 / (4.0 * r), 1e-15);
        assert_int_equal(circuit_solve(v0, r, smax * (1.0 + 1e-9), &i, &v), -1);
        assert_rel(i, v0 / (2.0 * r), 1e-15);
        assert_rel(v, v0 / 2.0, 1e-15);
        assert_int_equal(circuit_solve(v0, r, smax * 2.0, &i, &v), -1);
        assert_rel(i, v0 / (2.0 * r), 1e-15);
        assert_int_equal(circuit_solve(v0, r, smax, &i, &v), 0);
        assert_rel(i, v0 / (2.0 * r), 1e-7);
        assert_rel(v, v0 / 2.0, 1e-7);
    }
}

/* R = 1e-9 ohm: the textbook form loses ~6 digits to cancellation; the stable
 * form matches the series I = (S/V0)(1 + x + 2x^2 + ...), x = R S / V0^2, to
 * rounding, and Brent's root to 1e-12. */
static void solve_tiny_resistance(void **state)
{
    double v0 = 230.0, r = 1e-9, s = 3680.0;
    double x = r * s / (v0 * v0);
    double want = s / v0 * (1.0 + x + 2.0 * x * x);
    double i = -1, v = -1, tb;

    (void)state;
    assert_int_equal(circuit_solve(v0, r, s, &i, &v), 0);
    assert_rel(i, want, 4e-16);
    assert_rel(i, brent_i(v0, r, s), 1e-12);
    assert_rel(v, v0 - r * want, 1e-16);
    tb = textbook_i(v0, r, s);
    printf("  R = 1e-9 ohm: stable rel err %.2g, textbook rel err %.2g\n",
           fabs(i - want) / want, fabs(tb - want) / want);
}

/* Invalid input is rejected, never solved silently: -1 and both outputs 0. */
static void solve_invalid_inputs(void **state)
{
    static const double bad[][3] = {
        { 0.0, 0.1, 100.0 }, { -120.0, 0.1, 100.0 }, { NAN, 0.1, 100.0 },
        { INFINITY, 0.1, 100.0 }, { 120.0, -0.1, 100.0 }, { 120.0, NAN, 100.0 },
        { 120.0, INFINITY, 100.0 }, { 120.0, 0.1, -1.0 }, { 120.0, 0.1, NAN },
        { 120.0, 0.1, INFINITY },
    };
    size_t k;

    (void)state;
    for (k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        double i = 123.0, v = 456.0;

        assert_int_equal(circuit_solve(bad[k][0], bad[k][1], bad[k][2], &i, &v), -1);
        assert_true(i == 0.0);
        assert_true(v == 0.0);
    }
    assert_true(isnan(circuit_max_power(0.0, 1.0)));
    assert_true(isnan(circuit_max_power(120.0, -1.0)));
    assert_true(isnan(circuit_max_power(NAN, 1.0)));
}

/* ------------------------------------------------------------------------- */
/* Runner                                                                    */
/* ------------------------------------------------------------------------- */

/* The neutral current against the phasors summed as complex numbers (an
 * independent computation of the same physics): split-phase legs at 0 and 180
 * degrees, three-phase lines at 0, -120 and +120 degrees. Balanced three-phase
 * loads cancel; one loaded line returns all of it; two equal lines return as
 * much as one (the 120-degree triangle); the CEE test rig 8.70 / 6.52 / 4.35 A
 * gives 3.765 A (tests/scenarios/panel-cee-const.expect); a 120/240 V panel
 * with 10 A on L1 and 12.5 A on L2 gives 2.5 A. */
static void neutral_phasor_sum(void **state)
{
    (void)state;
    const double pi = 3.14159265358979323846;
    const double cases[][3] = { { 10, 10, 10 }, { 16, 0, 0 }, { 7, 7, 0 },
                                { 200.0 / 23, 150.0 / 23, 100.0 / 23 }, { 10, 12.5, 0 },
                                { 3.3, 14.1, 9.7 } };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const double *i = cases[k];
        double re = 0, im = 0;
        for (int l = 0; l < 3; l++) {
            re += i[l] * cos(-2 * pi * l / 3);
            im += i[l] * sin(-2 * pi * l / 3);
        }
        assert_true(fabs(circuit_neutral_a(3, i) - hypot(re, im)) < 1e-12);
        double sre = i[0] - i[1];   /* split-phase: L2 at 180 degrees */
        assert_true(fabs(circuit_neutral_a(2, i) - fabs(sre)) < 1e-12);
    }
    const double bal[3] = { 10, 10, 10 }, one[3] = { 16, 0, 0 }, two[3] = { 7, 7, 0 };
    const double cee[3] = { 200.0 / 23, 150.0 / 23, 100.0 / 23 }, us[3] = { 10, 12.5, 0 };
    assert_true(circuit_neutral_a(3, bal) < 1e-12);
    assert_true(fabs(circuit_neutral_a(3, one) - 16) < 1e-12);
    assert_true(fabs(circuit_neutral_a(3, two) - 7) < 1e-12);
    assert_true(fabs(circuit_neutral_a(3, cee) - 50.0 / 23 * sqrt(3.0)) < 1e-12);
    assert_true(fabs(circuit_neutral_a(3, cee) - 3.765327843) < 1e-9);
    assert_true(fabs(circuit_neutral_a(2, us) - 2.5) < 1e-12);
    assert_true(fabs(circuit_neutral_a(1, one) - 16) < 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(solve_matches_textbook_and_brent),
        cmocka_unit_test(solve_zero_resistance),
        cmocka_unit_test(solve_collapse),
        cmocka_unit_test(solve_tiny_resistance),
        cmocka_unit_test(solve_invalid_inputs),
        cmocka_unit_test(neutral_phasor_sum),
    };

    gsl_set_error_handler_off();   /* statuses are checked instead (STYLE.md 5) */
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_numfmt — numfmt_g against snprintf's "%.Pg" (the second method: the C
 * library's exact conversion). Byte-for-byte equality on random doubles over
 * many magnitudes, on values at and next to decimal ties and powers of ten, and
 * on the special values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "numfmt.h"

static int check(double x, int prec)
{
    char got[NUMFMT_LEN], want[NUMFMT_LEN];
    size_t n = numfmt_g(got, x, prec);
    snprintf(want, sizeof want, "%.*g", prec, x);
    if (strcmp(got, want) != 0 || n != strlen(want)) {
        print_message("x = %.17g, %%.%dg: numfmt '%s', printf '%s'\n", x, prec, got, want);
        return 1;
    }
    return 0;
}

static void random_magnitudes(void **state)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    int bad = 0;
    (void)state;
    gsl_rng_set(r, 1);
    for (int i = 0; i < 2000000 && bad < 10; i++) {
        double m = gsl_rng_uniform(r) * 10.0;
        int e = (int)gsl_rng_uniform_int(r, 61) - 30;
        double x = m * pow(10.0, e) * (gsl_rng_uniform(r) < 0.5 ? -1 : 1);
        bad += check(x, 6) + check(x, 9);
    }
    gsl_rng_free(r);
    assert_int_equal(bad, 0);
}

/* Decimal ties in the 7th digit (1.234565 is not a tie in binary: printf
 * rounds the exact value) and their neighbours one ulp away; powers of ten and
 * their neighbours; the style boundaries 1e-4/1e-5 and 1e5/1e6. */
static void ties_and_boundaries(void **state)
{
    int bad = 0;
    (void)state;
    for (int e = -12; e <= 12; e++)
        for (int d = 0; d < 2000; d++) {
            double x = (1000000.0 + d * 4500.5) / 1e6 * pow(10.0, e);
            double xm = (double)(5 + 10 * d) / 1e7 * pow(10.0, e);
            bad += check(x, 6) + check(nextafter(x, 0), 6) + check(nextafter(x, 1e300), 6);
            bad += check(xm, 6) + check(nextafter(xm, 0), 6) + check(nextafter(xm, 1e300), 6);
            bad += check(x, 9) + check(xm, 9);
        }
    for (int e = -30; e <= 30; e++) {
        double p = pow(10.0, e);
        for (int prec = 1; prec <= 9; prec++)
            bad += check(p, prec) + check(nextafter(p, 0), prec) + check(nextafter(p, 1e300), prec)
                   + check(-p, prec) + check(0.99999951 * p, prec) + check(9.9999995 * p, prec);
    }
    assert_int_equal(bad, 0);
}

static void special_values(void **state)
{
    const double xs[] = { 0.0, -0.0, INFINITY, -INFINITY, NAN, DBL_MIN, -DBL_MIN, DBL_MAX,
                          4.9e-324, 1e-310, 123456.5, 1234567, 0.0001, 0.00001, 99999.95,
                          999999.5, 1e15, 1e23, 1e300, 1e-300, 120.0, 14.2037, 0.843686 };
    int bad = 0;
    (void)state;
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
        for (int prec = 1; prec <= 17; prec++)
            bad += check(xs[i], prec);
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_magnitudes),
        cmocka_unit_test(ties_and_boundaries),
        cmocka_unit_test(special_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

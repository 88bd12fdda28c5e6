/* test_ups.c — the UPS model (ups.h): overload bands as the datasheets state
 * them, Peukert's law against hand calculations, and the curve parser's refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "ups.h"

/* |got - want| <= rel * |want|. */
static void assert_rel(double got, double want, double rel)
{
    if (!(fabs(got - want) <= rel * fabs(want)))
        fail_msg("got %.17g, want %.17g (rel tol %g)", got, want, rel);
}

/* Huawei UPS2000-G-3KRTS, user manual p. 82 (0-35 C): 105-110 % 10 min,
 * 110-130 % 1 min, 130-150 % 3 s, above 150 % 0.5 s. Each band's time holds over
 * the whole band, never stretched between bands. */
static void overload_bands(void **state)
{
    (void)state;
    struct ups_curve c;
    char err[200];
    assert_int_equal(ups_parse_curve("105%:10min, 110%:1min, 130%:3s, 150%:0.5s", &c, err,
                                     sizeof err), 0);
    assert_int_equal(c.n, 4);
    assert_true(isinf(ups_overload_time(&c, 1.00)));   /* at the rating: indefinitely */
    assert_true(isinf(ups_overload_time(&c, 1.049)));
    assert_rel(ups_overload_time(&c, 1.05), 600, 1e-12);
    assert_rel(ups_overload_time(&c, 1.09), 600, 1e-12);
    assert_rel(ups_overload_time(&c, 1.10), 60, 1e-12);
    assert_rel(ups_overload_time(&c, 1.29), 60, 1e-12); /* not 3.x s: the band's own */
    assert_rel(ups_overload_time(&c, 1.30), 3, 1e-12);
    assert_rel(ups_overload_time(&c, 1.50), 0.5, 1e-12);
    assert_rel(ups_overload_time(&c, 3.00), 0.5, 1e-12);
}

static void overload_refusals(void **state)
{
    (void)state;
    struct ups_curve c;
    char err[200];
    /* loads must rise, times not rise, loads above 100 % */
    assert_int_equal(ups_parse_curve("125%:30s, 110%:1min", &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "rise"));
    assert_int_equal(ups_parse_curve("110%:30s, 125%:1min", &c, err, sizeof err), -1);
    assert_int_equal(ups_parse_curve("90%:30s", &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "above 100 %"));
    assert_int_equal(ups_parse_curve("110%", &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "load:time"));
    assert_int_equal(ups_parse_curve("110%:30A", &c, err, sizeof err), -1);
    assert_int_equal(ups_parse_curve("", &c, err, sizeof err), -1);
}

/* Peukert from two datasheet points: runtime 600 s at full load, 1500 s at half:
 * k = log2(2.5) = 1.321928; at a quarter load t = 600 x 4^k = 600 x 6.25 = 3750 s
 * (4^k = (2^k)^2 = 2.5^2); at full load 600 s back. */
static void peukert_points(void **state)
{
    (void)state;
    double k = ups_peukert_from_points(1500, 600);
    assert_rel(k, 1.3219280948873624, 1e-12);
    assert_rel(ups_runtime_points(250, 1000, 600, k), 3750, 1e-12);
    assert_rel(ups_runtime_points(1000, 1000, 600, k), 600, 1e-12);
    assert_true(isnan(ups_peukert_from_points(600, 1500)));  /* half shorter: refused */
    struct ups_battery b = { 600, 1500, 0, 1.2, 0.9 };
    assert_rel(ups_runtime(&b, 1000, 500), 1500, 1e-12);
    assert_true(isinf(ups_runtime(&b, 1000, 0)));
}

/* From the battery's energy: 648 Wh (C20: 32.4 W for 20 h), Peukert 1.2,
 * inverter 90 %: at 1682 W out the battery gives 1868.9 W, and
 * t = 72000 s x (32.4 / 1868.9)^1.2 = 554.5 s (hand: ln(0.017336) = -4.0549,
 * x 1.2 = -4.8659, e^ = 0.0077016). At the 20 h rate itself t = 20 h exactly. */
static void peukert_energy(void **state)
{
    (void)state;
    assert_rel(ups_runtime_energy(1682, 648, 1.2, 0.9), 554.5, 2e-3);
    assert_rel(ups_runtime_energy(32.4 * 0.9, 648, 1.2, 0.9), 72000, 1e-12);
    struct ups_battery b = { 0, 0, 648 * 3600.0, 1.2, 0.9 };
    assert_rel(ups_runtime(&b, 2700, 1682), 554.5, 2e-3);
    struct ups_battery none = { 0, 0, 0, 1.2, 0.9 };
    assert_true(ups_runtime(&none, 2700, 1682) == 0.0);   /* unknown: none assumed */
}

static void names(void **state)
{
    (void)state;
    assert_int_equal(ups_topology_find("online"), UPS_ONLINE);
    assert_int_equal(ups_topology_find("line-interactive"), UPS_LINE_INTERACTIVE);
    assert_int_equal(ups_topology_find("standby"), -1);
    assert_int_equal(ups_waveform_find("stepped"), UPS_STEPPED);
    assert_string_equal(ups_topology_name(UPS_OFFLINE), "offline");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(overload_bands),
        cmocka_unit_test(overload_refusals),
        cmocka_unit_test(peukert_points),
        cmocka_unit_test(peukert_energy),
        cmocka_unit_test(names),
    };

    gsl_set_error_handler_off();   /* statuses are checked instead (STYLE.md 5) */
    return cmocka_run_group_tests(tests, NULL, NULL);
}

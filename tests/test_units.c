/* test_units.c — units_parse_any(), units_parse(), units_kind_name() and
 * units_kind_hint(): every spelling scales to SI, every error path reports what
 * was wrong, and messages never overrun the caller's buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

/* ------------------------------------------------------------------------- */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------- */

enum { ERRLEN = 256 };

/* |got - want| <= 1e-12 * |want| (or <= 1e-300 when want is 0). */
static void assert_close(double got, double want)
{
    double tol = want == 0 ? 1e-300 : 1e-12 * fabs(want);

    if (!(fabs(got - want) <= tol))
        fail_msg("got %.17g, want %.17g", got, want);
}

/* TEXT parses with units_parse_any to WANT of kind KIND. */
static void any_gives(const char *text, double want, enum unit_kind kind)
{
    char err[ERRLEN] = "";
    double v = NAN;
    enum unit_kind k = UNIT_KIND_COUNT;

    if (units_parse_any(text, &v, &k, err, sizeof err) != 0)
        fail_msg("'%s': unexpected error: %s", text, err);
    assert_close(v, want);
    if (k != kind)
        fail_msg("'%s': kind %s, want %s", text, units_kind_name(k),
                 units_kind_name(kind));
}

/* TEXT parses with units_parse(KIND) to WANT. */
static void parses_to(const char *text, enum unit_kind kind, double want)
{
    char err[ERRLEN] = "";
    double v = NAN;

    if (units_parse(text, kind, &v, err, sizeof err) != 0)
        fail_msg("'%s' as %s: unexpected error: %s", text,
                 units_kind_name(kind), err);
    assert_close(v, want);
}

/* TEXT fails units_parse(KIND), leaves the value alone, and the message
 * contains NEEDLE (and, when not NULL, also NEEDLE2). */
static void fails_with(const char *text, enum unit_kind kind,
                       const char *needle, const char *needle2)
{
    char err[ERRLEN] = "";
    double v = 42.0;

    if (units_parse(text, kind, &v, err, sizeof err) != -1)
        fail_msg("'%s' as %s: accepted as %.17g", text, units_kind_name(kind),
                 v);
    assert_true(v == 42.0);
    if (!strstr(err, needle))
        fail_msg("'%s': message '%s' lacks '%s'", text, err, needle);
    if (needle2 && !strstr(err, needle2))
        fail_msg("'%s': message '%s' lacks '%s'", text, err, needle2);
}

/* TEXT fails units_parse_any and the message contains NEEDLE. */
static void any_fails(const char *text, const char *needle)
{
    char err[ERRLEN] = "";
    double v = 42.0;
    enum unit_kind k = UNIT_KIND_COUNT;

    if (units_parse_any(text, &v, &k, err, sizeof err) != -1)
        fail_msg("'%s': accepted as %.17g", text, v);
    assert_true(v == 42.0);
    assert_int_equal(k, UNIT_KIND_COUNT);
    if (!strstr(err, needle))
        fail_msg("'%s': message '%s' lacks '%s'", text, err, needle);
}

/* ------------------------------------------------------------------------- */
/* Every unit                                                                */
/* ------------------------------------------------------------------------- */

struct spelling {
    const char *unit;
    enum unit_kind kind;
    double scale;
};

/* Every spelling the parser accepts, with its scale to SI. */
static const struct spelling SPELLINGS[] = {
    { "W", UNIT_POWER, 1 }, { "kW", UNIT_POWER, 1e3 },
    { "MW", UNIT_POWER, 1e6 }, { "mW", UNIT_POWER, 1e-3 },
    { "A", UNIT_CURRENT, 1 }, { "mA", UNIT_CURRENT, 1e-3 },
    { "kA", UNIT_CURRENT, 1e3 },
    { "V", UNIT_VOLTAGE, 1 }, { "mV", UNIT_VOLTAGE, 1e-3 },
    { "kV", UNIT_VOLTAGE, 1e3 },
    { "Hz", UNIT_FREQUENCY, 1 }, { "kHz", UNIT_FREQUENCY, 1e3 },
    { "MHz", UNIT_FREQUENCY, 1e6 },
    { "ohm", UNIT_RESISTANCE, 1 }, { "Ohm", UNIT_RESISTANCE, 1 },
    { "ohms", UNIT_RESISTANCE, 1 }, { "Ohms", UNIT_RESISTANCE, 1 },
    { "mohm", UNIT_RESISTANCE, 1e-3 }, { "mOhm", UNIT_RESISTANCE, 1e-3 },
    { "kohm", UNIT_RESISTANCE, 1e3 }, { "kOhm", UNIT_RESISTANCE, 1e3 },
    { "Mohm", UNIT_RESISTANCE, 1e6 }, { "MOhm", UNIT_RESISTANCE, 1e6 },
    { "\xCE\xA9", UNIT_RESISTANCE, 1 },           /* Greek capital omega */
    { "m\xCE\xA9", UNIT_RESISTANCE, 1e-3 },
    { "k\xCE\xA9", UNIT_RESISTANCE, 1e3 },
    { "M\xCE\xA9", UNIT_RESISTANCE, 1e6 },
    { "\xE2\x84\xA6", UNIT_RESISTANCE, 1 },       /* ohm sign U+2126 */
    { "m\xE2\x84\xA6", UNIT_RESISTANCE, 1e-3 },
    { "k\xE2\x84\xA6", UNIT_RESISTANCE, 1e3 },
    { "M\xE2\x84\xA6", UNIT_RESISTANCE, 1e6 },
    { "s", UNIT_TIME, 1 }, { "sec", UNIT_TIME, 1 },
    { "ms", UNIT_TIME, 1e-3 }, { "us", UNIT_TIME, 1e-6 },
    { "\xC2\xB5s", UNIT_TIME, 1e-6 },             /* micro sign U+00B5 */
    { "\xCE\xBCs", UNIT_TIME, 1e-6 },             /* Greek mu U+03BC */
    { "ns", UNIT_TIME, 1e-9 }, { "min", UNIT_TIME, 60 },
    { "h", UNIT_TIME, 3600 }, { "d", UNIT_TIME, 86400 },
    { "%", UNIT_FRACTION, 1e-2 },
    { "C", UNIT_TEMPERATURE, 1 },
    { "\xC2\xB0" "C", UNIT_TEMPERATURE, 1 },      /* degree sign */
};

/* Each spelling, with and without a space, through both entry points. */
static void test_every_unit(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof SPELLINGS / sizeof SPELLINGS[0]; i++) {
        const struct spelling *s = &SPELLINGS[i];
        char text[64];

        snprintf(text, sizeof text, "3.5 %s", s->unit);
        any_gives(text, 3.5 * s->scale, s->kind);
        parses_to(text, s->kind, 3.5 * s->scale);
        snprintf(text, sizeof text, "-12%s", s->unit);
        any_gives(text, -12 * s->scale, s->kind);
        parses_to(text, s->kind, -12 * s->scale);
    }
}

/* The examples from the contract. */
static void test_examples(void **state)
{
    (void)state;
    parses_to("2.5 kW", UNIT_POWER, 2500);
    parses_to("575 W", UNIT_POWER, 575);
    parses_to("575W", UNIT_POWER, 575);
    parses_to("  575 W\t\n", UNIT_POWER, 575);
    parses_to("575 \t W", UNIT_POWER, 575);
    parses_to("15 A", UNIT_CURRENT, 15);
    parses_to("50 us", UNIT_TIME, 5e-5);
    parses_to("50 \xC2\xB5s", UNIT_TIME, 5e-5);
    parses_to("10 min", UNIT_TIME, 600);
    parses_to("8 h", UNIT_TIME, 28800);
    parses_to("2 d", UNIT_TIME, 172800);
    parses_to("80 %", UNIT_FRACTION, 0.8);
    parses_to("80%", UNIT_FRACTION, 0.8);
    parses_to("230 V", UNIT_VOLTAGE, 230);
    parses_to("50 Hz", UNIT_FREQUENCY, 50);
    parses_to("25 mohm", UNIT_RESISTANCE, 0.025);
    parses_to("-10 \xC2\xB0" "C", UNIT_TEMPERATURE, -10);
    parses_to("40 C", UNIT_TEMPERATURE, 40);
}

/* Sub-unit scales round once, as if the SI value had been written out. */
static void test_exact_rounding(void **state)
{
    double v = 0;

    (void)state;
    assert_int_equal(units_parse("80 %", UNIT_FRACTION, &v, NULL, 0), 0);
    assert_true(v == 0.8);
    assert_int_equal(units_parse("50 us", UNIT_TIME, &v, NULL, 0), 0);
    assert_true(v == 50e-6);
    assert_int_equal(units_parse("3 ms", UNIT_TIME, &v, NULL, 0), 0);
    assert_true(v == 0.003);
}

/* A bare number is SI for every kind (fraction and C included). */
static void test_bare_numbers(void **state)
{
    (void)state;
    any_gives("230", 230, UNIT_NONE);
    any_gives("  -1.5e3  ", -1500, UNIT_NONE);
    any_gives(".5", 0.5, UNIT_NONE);
    any_gives("+2", 2, UNIT_NONE);
    any_gives("0", 0, UNIT_NONE);
    parses_to("3", UNIT_NONE, 3);
    parses_to("575", UNIT_POWER, 575);
    parses_to("1e3", UNIT_CURRENT, 1000);
    parses_to("0.8", UNIT_FRACTION, 0.8);
    parses_to("25", UNIT_TEMPERATURE, 25);
    parses_to("0.05", UNIT_TIME, 0.05);
    parses_to("1e15", UNIT_POWER, 1e15);
    parses_to("1e12 kW", UNIT_POWER, 1e15);
    parses_to("1e16 mW", UNIT_POWER, 1e13);
}

/* Case matters: "mW" is not "MW", and lower-case "kw" is not accepted. */
static void test_case_strict(void **state)
{
    (void)state;
    parses_to("5 MW", UNIT_POWER, 5e6);
    parses_to("5 mW", UNIT_POWER, 5e-3);
    fails_with("5 kw", UNIT_POWER, "unknown unit 'kw'", "did you mean 'kW'?");
    fails_with("5 KW", UNIT_POWER, "unknown unit 'KW'", "did you mean 'kW'?");
    fails_with("5 mw", UNIT_POWER, "unknown unit 'mw'", "did you mean 'mW'?");
    fails_with("5 w", UNIT_POWER, "unknown unit 'w'", "did you mean 'W'?");
    fails_with("5 HZ", UNIT_FREQUENCY, "unknown unit 'HZ'",
               "did you mean 'Hz'?");
    fails_with("5 Mw", UNIT_POWER, "did you mean 'MW'?", NULL);
    /* milli and mega are never swapped in a suggestion */
    {
        char err[ERRLEN];
        double v = 0;
        assert_int_equal(units_parse("5 MA", UNIT_CURRENT, &v, err,
                                     sizeof err), -1);
        assert_null(strstr(err, "'mA'"));
        assert_int_equal(units_parse("5 Mv", UNIT_VOLTAGE, &v, err,
                                     sizeof err), -1);
        assert_null(strstr(err, "'mV'"));
    }
}

/* ------------------------------------------------------------------------- */
/* Errors                                                                    */
/* ------------------------------------------------------------------------- */

/* A unit of another kind names both kinds. */
static void test_wrong_kind(void **state)
{
    char err[ERRLEN];
    double v = 0;

    (void)state;
    assert_int_equal(units_parse("15 A", UNIT_POWER, &v, err, sizeof err), -1);
    assert_string_equal(err, "expected a power (W, kW, MW, mW), "
                        "got a current ('A')");
    fails_with("80 %", UNIT_POWER, "got a fraction ('%')", NULL);
    fails_with("10 min", UNIT_CURRENT, "expected a current (A, mA, kA)",
               "got a time ('min')");
    fails_with("40 C", UNIT_FRACTION, "expected a fraction (%)",
               "got a temperature ('C')");
    fails_with("0.5 W", UNIT_FRACTION, "got a power ('W')", NULL);
    fails_with("5 W", UNIT_NONE, "expected a plain number", "got a power");
    fails_with("5%", UNIT_NONE, "expected a plain number", "('%')");
}

/* An unknown unit is quoted with the text, the units wanted are listed, and a
 * near miss among them is suggested. */
static void test_unknown_unit(void **state)
{
    char err[ERRLEN];
    double v = 0;

    (void)state;
    assert_int_equal(units_parse("575 Wats", UNIT_POWER, &v, err, sizeof err),
                     -1);
    assert_string_equal(err, "unknown unit 'Wats' in '575 Wats'; expected a "
                        "power (W, kW, MW, mW)");
    assert_null(strstr(err, "did you mean"));

    assert_int_equal(units_parse("575 Wx", UNIT_POWER, &v, err, sizeof err),
                     -1);
    assert_string_equal(err, "unknown unit 'Wx' in '575 Wx'; expected a power "
                        "(W, kW, MW, mW); did you mean 'W'?");

    fails_with("50 uss", UNIT_TIME, "unknown unit 'uss'", "did you mean 'us'?");
    fails_with("2 ohn", UNIT_RESISTANCE, "unknown unit 'ohn'",
               "did you mean 'ohm'?");
    fails_with("5 mins", UNIT_TIME, "did you mean 'min'?", NULL);
    /* the suggestion comes from the wanted kind only */
    fails_with("5 Ax", UNIT_POWER, "unknown unit 'Ax'", NULL);
    {
        char e2[ERRLEN];
        assert_int_equal(units_parse("5 Ax", UNIT_POWER, &v, e2, sizeof e2),
                         -1);
        assert_null(strstr(e2, "did you mean"));
    }
    /* a one-letter miss is no hint */
    assert_int_equal(units_parse("5 x", UNIT_POWER, &v, err, sizeof err), -1);
    assert_null(strstr(err, "did you mean"));
    fails_with("5 x", UNIT_NONE, "unknown unit 'x' in '5 x'",
               "expected a plain number");
    /* without a wanted kind every unit is a candidate */
    any_fails("575 Wx", "did you mean 'W'?");
    any_fails("3 sek", "did you mean 'sec'?");
    any_fails("3 foo", "unknown unit 'foo' in '3 foo'");
}

/* Text after the number that is not one unit. */
static void test_garbage(void **state)
{
    (void)state;
    fails_with("5 5 W", UNIT_POWER, "unexpected text '5 W'", "'5 5 W'");
    fails_with("575 W x", UNIT_POWER, "unexpected text 'x' after the unit",
               NULL);
    fails_with("1,5 W", UNIT_POWER, "unexpected text ',5 W'", NULL);
    fails_with("1..5", UNIT_NONE, "unexpected text '.5'", NULL);
    fails_with("575 Wx", UNIT_POWER, "unknown unit 'Wx'", NULL);
    fails_with("5 W W", UNIT_POWER, "unexpected text 'W' after the unit", NULL);
    any_fails("12 -", "unexpected text '-'");
}

/* Nothing, or no number. */
static void test_empty_and_missing(void **state)
{
    char err[ERRLEN];
    double v = 0;

    (void)state;
    fails_with("", UNIT_POWER, "empty value", "expected a power (W, kW");
    fails_with("   \t ", UNIT_TIME, "empty value", NULL);
    assert_int_equal(units_parse(NULL, UNIT_POWER, &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "empty value"));
    any_fails("", "empty value");
    fails_with("W", UNIT_POWER, "missing number in 'W'", NULL);
    fails_with(" kW ", UNIT_POWER, "missing number in 'kW'", NULL);
    fails_with("-", UNIT_NONE, "missing number", NULL);
    fails_with(". W", UNIT_POWER, "missing number", NULL);
    any_fails("%", "missing number");
}

/* NaN and infinities, in every spelling strtod knows. */
static void test_nan_inf(void **state)
{
    (void)state;
    fails_with("nan", UNIT_NONE, "NaN", NULL);
    fails_with("NaN W", UNIT_POWER, "NaN is not a valid value", "'NaN W'");
    fails_with("nan(123)", UNIT_POWER, "NaN", NULL);
    fails_with("inf W", UNIT_POWER, "infinity is not a valid value", NULL);
    fails_with("-inf", UNIT_POWER, "infinity", NULL);
    fails_with("Infinity", UNIT_TIME, "infinity", NULL);
    any_fails("INF", "infinity");
}

/* Out of range before or after scaling, and hexadecimal numbers. */
static void test_range_and_hex(void **state)
{
    (void)state;
    fails_with("1e308 W", UNIT_POWER, "too large", "'1e308 W'");
    fails_with("1e400", UNIT_NONE, "out of range", "'1e400'");
    fails_with("-1e400 W", UNIT_POWER, "out of range", NULL);
    fails_with("1e-400 W", UNIT_POWER, "too close to zero", NULL);
    fails_with("1e13 kW", UNIT_POWER, "too large", NULL);
    fails_with("-2e15", UNIT_POWER, "too large", NULL);
    fails_with("1e15 MW", UNIT_POWER, "too large", NULL);
    any_fails("1e300 d", "too large");
    fails_with("0x10 W", UNIT_POWER, "hexadecimal", "'0x10 W'");
    fails_with("0x10", UNIT_NONE, "hexadecimal", NULL);
    fails_with("-0X1p3", UNIT_NONE, "hexadecimal", NULL);
}

/* An invalid wanted kind is an error, not a crash. */
static void test_invalid_want(void **state)
{
    char err[ERRLEN];
    double v = 0;

    (void)state;
    assert_int_equal(units_parse("5", UNIT_KIND_COUNT, &v, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "invalid unit kind"));
    assert_int_equal(units_parse("5", (enum unit_kind)-1, &v, err, sizeof err),
                     -1);
}

/* A no-break (U+00A0), narrow no-break (U+202F) or thin space (U+2009) before
 * the unit says so, instead of "unknown unit" (issue 15, 12); after an
 * ordinary space too. A no-break space elsewhere is still unexpected text. */
static void test_nbsp_before_unit(void **state)
{
    static const struct { const char *text; enum unit_kind kind; } bad[] = {
        { "2000\xC2\xA0W", UNIT_POWER }, { "2000 \xC2\xA0W", UNIT_POWER },
        { "15\xE2\x80\xAF" "A", UNIT_CURRENT }, { "50\xE2\x80\x89us", UNIT_TIME } };
    char err[ERRLEN];
    double v = 0;

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(units_parse(bad[i].text, bad[i].kind, &v, err, sizeof err), -1);
        if (!strstr(err, "no-break or thin space before the unit"))
            fail_msg("'%s': %s", bad[i].text, err);
    }
    assert_int_equal(units_parse("2000 W", UNIT_POWER, &v, err, sizeof err), 0);
    assert_true(v == 2000.0);
}

/* An 8-byte buffer gets a terminated 7-character prefix and nothing more; no
 * buffer at all is fine too. */
static void test_small_buffer(void **state)
{
    char *err = malloc(8);      /* exact size, so ASan sees any overrun */
    char one[1] = { 'x' };
    double v = 0;
    enum unit_kind k;

    (void)state;
    assert_non_null(err);
    assert_int_equal(units_parse("575 Wats", UNIT_POWER, &v, err, 8), -1);
    assert_int_equal(strlen(err), 7);
    assert_memory_equal(err, "unknown", 7);
    assert_int_equal(units_parse("15 A", UNIT_POWER, &v, err, 8), -1);
    assert_int_equal(strlen(err), 7);
    assert_int_equal(units_parse_any("1e400", &v, &k, err, 8), -1);
    assert_int_equal(strlen(err), 7);
    assert_int_equal(units_parse("", UNIT_TIME, &v, one, 1), -1);
    assert_int_equal(one[0], '\0');
    assert_int_equal(units_parse("x", UNIT_TIME, &v, NULL, 0), -1);
    assert_int_equal(units_parse_any("5 W", &v, NULL, NULL, 0), 0);
    assert_close(v, 5);
    free(err);
}

/* ------------------------------------------------------------------------- */
/* Names and hints                                                           */
/* ------------------------------------------------------------------------- */

/* The kind names used in messages. */
static void test_kind_names(void **state)
{
    (void)state;
    assert_string_equal(units_kind_name(UNIT_NONE), "number");
    assert_string_equal(units_kind_name(UNIT_POWER), "power");
    assert_string_equal(units_kind_name(UNIT_CURRENT), "current");
    assert_string_equal(units_kind_name(UNIT_VOLTAGE), "voltage");
    assert_string_equal(units_kind_name(UNIT_FREQUENCY), "frequency");
    assert_string_equal(units_kind_name(UNIT_RESISTANCE), "resistance");
    assert_string_equal(units_kind_name(UNIT_TIME), "time");
    assert_string_equal(units_kind_name(UNIT_FRACTION), "fraction");
    assert_string_equal(units_kind_name(UNIT_TEMPERATURE), "temperature");
    assert_non_null(units_kind_name(UNIT_KIND_COUNT));
    assert_non_null(units_kind_hint(UNIT_KIND_COUNT));
}

/* Every unit a hint lists parses as that kind, and the hints read as
 * documented. */
/* Lengths (the international foot is 0.3048 m exactly) and capacitances. */
static void test_length_and_capacitance(void **state)
{
    (void)state;
    parses_to("15 m", UNIT_LENGTH, 15.0);
    parses_to("50 ft", UNIT_LENGTH, 15.24);
    parses_to("0.2 km", UNIT_LENGTH, 200.0);
    parses_to("2500 mm", UNIT_LENGTH, 2.5);
    parses_to("1500 uF", UNIT_CAPACITANCE, 1.5e-3);
    parses_to("1620 \xC2\xB5" "F", UNIT_CAPACITANCE, 1.62e-3);
    parses_to("470 nF", UNIT_CAPACITANCE, 4.7e-7);
    any_gives("10 m", 10.0, UNIT_LENGTH);
    any_gives("1 mF", 1e-3, UNIT_CAPACITANCE);
    char err[ERRLEN] = "";
    double v = 0;
    assert_int_equal(units_parse("15 m", UNIT_TIME, &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "got a length ('m')"));
}

static void test_hints_match_table(void **state)
{
    (void)state;
    assert_string_equal(units_kind_hint(UNIT_POWER), "W, kW, MW, mW");
    assert_string_equal(units_kind_hint(UNIT_CURRENT), "A, mA, kA");
    assert_string_equal(units_kind_hint(UNIT_FRACTION), "%");
    for (int kind = UNIT_POWER; kind < UNIT_KIND_COUNT; kind++) {
        const char *h = units_kind_hint((enum unit_kind)kind);
        int listed = 0;

        while (*h) {
            size_t n = strcspn(h, ",");
            char text[64];
            double v = 0;
            enum unit_kind k = UNIT_NONE;
            char err[ERRLEN];

            assert_true(n > 0 && n < 32);
            snprintf(text, sizeof text, "2 %.*s", (int)n, h);
            if (units_parse_any(text, &v, &k, err, sizeof err) != 0)
                fail_msg("hint unit '%.*s' does not parse: %s", (int)n, h,
                         err);
            assert_int_equal(k, kind);
            listed++;
            h += n;
            if (*h == ',') h++;
            if (*h == ' ') h++;
        }
        assert_true(listed >= 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_unit),
        cmocka_unit_test(test_examples),
        cmocka_unit_test(test_exact_rounding),
        cmocka_unit_test(test_bare_numbers),
        cmocka_unit_test(test_case_strict),
        cmocka_unit_test(test_wrong_kind),
        cmocka_unit_test(test_unknown_unit),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_empty_and_missing),
        cmocka_unit_test(test_nan_inf),
        cmocka_unit_test(test_range_and_hex),
        cmocka_unit_test(test_invalid_want),
        cmocka_unit_test(test_nbsp_before_unit),
        cmocka_unit_test(test_small_buffer),
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_length_and_capacitance),
        cmocka_unit_test(test_hints_match_table),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

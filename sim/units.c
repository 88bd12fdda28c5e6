/* units — see include/units.h.
 *
 * A value is "<number>[ ]<unit>": the number is read with strtod (decimal
 * only), the unit is looked up, exactly and case-sensitively, in UNITS below,
 * and the number is scaled to SI. Every failure writes one message into the
 * caller's buffer; nothing here prints, exits or keeps state.
 *
 * Non-ASCII units are written as UTF-8 byte escapes so that look-alike code
 * points (micro sign vs Greek mu, Greek Omega vs Ohm sign) stay distinguishable
 * in the source.
 */
#include "units.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "text.h"

/* ----------------------------------------------------------------- table -- */

/* One spelling of one unit: TEXT is what the user writes, SCALE what a value in
 * that unit is multiplied by to give SI. Adding a unit is adding a row. */
struct unit {
    const char *text;
    enum unit_kind kind;
    double scale;
};

/* Every unit accepted. Spellings must be unique; order matters only for "did
 * you mean" ties (the first row wins), so canonical spellings come first. */
static const struct unit UNITS[] = {
    /* power */
    { "W",   UNIT_POWER, 1.0 },
    { "kW",  UNIT_POWER, 1e3 },
    { "MW",  UNIT_POWER, 1e6 },
    { "mW",  UNIT_POWER, 1e-3 },
    /* current */
    { "A",   UNIT_CURRENT, 1.0 },
    { "mA",  UNIT_CURRENT, 1e-3 },
    { "kA",  UNIT_CURRENT, 1e3 },
    /* voltage */
    { "V",   UNIT_VOLTAGE, 1.0 },
    { "mV",  UNIT_VOLTAGE, 1e-3 },
    { "kV",  UNIT_VOLTAGE, 1e3 },
    /* frequency */
    { "Hz",  UNIT_FREQUENCY, 1.0 },
    { "kHz", UNIT_FREQUENCY, 1e3 },
    { "MHz", UNIT_FREQUENCY, 1e6 },
    /* resistance */
    { "ohm",  UNIT_RESISTANCE, 1.0 },
    { "mohm", UNIT_RESISTANCE, 1e-3 },
    { "kohm", UNIT_RESISTANCE, 1e3 },
    { "Mohm", UNIT_RESISTANCE, 1e6 },
    { "Ohm",  UNIT_RESISTANCE, 1.0 },
    { "ohms", UNIT_RESISTANCE, 1.0 },
    { "Ohms", UNIT_RESISTANCE, 1.0 },
    { "mOhm", UNIT_RESISTANCE, 1e-3 },
    { "kOhm", UNIT_RESISTANCE, 1e3 },
    { "MOhm", UNIT_RESISTANCE, 1e6 },
    { "\xCE\xA9",      UNIT_RESISTANCE, 1.0 },   /* U+03A9 capital omega */
    { "m\xCE\xA9",     UNIT_RESISTANCE, 1e-3 },
    { "k\xCE\xA9",     UNIT_RESISTANCE, 1e3 },
    { "M\xCE\xA9",     UNIT_RESISTANCE, 1e6 },
    { "\xE2\x84\xA6",  UNIT_RESISTANCE, 1.0 },   /* U+2126 ohm sign */
    { "m\xE2\x84\xA6", UNIT_RESISTANCE, 1e-3 },
    { "k\xE2\x84\xA6", UNIT_RESISTANCE, 1e3 },
    { "M\xE2\x84\xA6", UNIT_RESISTANCE, 1e6 },
    /* time */
    { "s",   UNIT_TIME, 1.0 },
    { "ms",  UNIT_TIME, 1e-3 },
    { "us",  UNIT_TIME, 1e-6 },
    { "ns",  UNIT_TIME, 1e-9 },
    { "min", UNIT_TIME, 60.0 },
    { "h",   UNIT_TIME, 3600.0 },
    { "d",   UNIT_TIME, 86400.0 },
    { "sec", UNIT_TIME, 1.0 },
    { "\xC2\xB5" "s", UNIT_TIME, 1e-6 },        /* U+00B5 micro sign */
    { "\xCE\xBC" "s", UNIT_TIME, 1e-6 },        /* U+03BC Greek small mu */
    /* fraction */
    { "%",   UNIT_FRACTION, 1e-2 },
    /* temperature: stays in degrees Celsius */
    { "C",   UNIT_TEMPERATURE, 1.0 },
    { "\xC2\xB0" "C", UNIT_TEMPERATURE, 1.0 },  /* U+00B0 degree sign */
    /* length: the international foot is exactly 0.3048 m */
    { "m",   UNIT_LENGTH, 1.0 },
    { "km",  UNIT_LENGTH, 1e3 },
    { "mm",  UNIT_LENGTH, 1e-3 },
    { "ft",  UNIT_LENGTH, 0.3048 },
    /* capacitance */
    { "F",   UNIT_CAPACITANCE, 1.0 },
    { "mF",  UNIT_CAPACITANCE, 1e-3 },
    { "uF",  UNIT_CAPACITANCE, 1e-6 },
    { "nF",  UNIT_CAPACITANCE, 1e-9 },
    { "\xC2\xB5" "F", UNIT_CAPACITANCE, 1e-6 },  /* U+00B5 micro sign */
    { "\xCE\xBC" "F", UNIT_CAPACITANCE, 1e-6 },  /* U+03BC Greek small mu */
    /* apparent power */
    { "VA",  UNIT_APPARENT, 1.0 },
    { "kVA", UNIT_APPARENT, 1e3 },
    /* energy */
    { "Wh",  UNIT_ENERGY, 3600.0 },
    { "kWh", UNIT_ENERGY, 3.6e6 },
    { "J",   UNIT_ENERGY, 1.0 },
};

enum { UNITS_COUNT = sizeof UNITS / sizeof UNITS[0] };

/* Names of the kinds, for messages. */
static const char *const KIND_NAMES[UNIT_KIND_COUNT] = {
    [UNIT_NONE]        = "number",
    [UNIT_POWER]       = "power",
    [UNIT_CURRENT]     = "current",
    [UNIT_VOLTAGE]     = "voltage",
    [UNIT_FREQUENCY]   = "frequency",
    [UNIT_RESISTANCE]  = "resistance",
    [UNIT_TIME]        = "time",
    [UNIT_FRACTION]    = "fraction",
    [UNIT_TEMPERATURE] = "temperature",
    [UNIT_LENGTH]      = "length",
    [UNIT_CAPACITANCE] = "capacitance",
    [UNIT_APPARENT]    = "apparent power",
    [UNIT_ENERGY]      = "energy",
};

/* The canonical spellings of each kind, for messages; every one is a row of
 * UNITS of that kind (tests/test_units.c checks this). */
static const char *const KIND_HINTS[UNIT_KIND_COUNT] = {
    [UNIT_NONE]        = "",
    [UNIT_POWER]       = "W, kW, MW, mW",
    [UNIT_CURRENT]     = "A, mA, kA",
    [UNIT_VOLTAGE]     = "V, mV, kV",
    [UNIT_FREQUENCY]   = "Hz, kHz, MHz",
    [UNIT_RESISTANCE]  = "ohm, mohm, kohm, Mohm, "
                         "\xCE\xA9, m\xCE\xA9, k\xCE\xA9, M\xCE\xA9",
    [UNIT_TIME]        = "s, ms, us, \xC2\xB5s, ns, min, h, d",
    [UNIT_FRACTION]    = "%",
    [UNIT_TEMPERATURE] = ("C, \xC2\xB0" "C"),
    [UNIT_LENGTH]      = "m, km, mm, ft",
    [UNIT_CAPACITANCE] = "F, mF, uF, \xC2\xB5" "F, nF",
    [UNIT_APPARENT]    = "VA, kVA",
    [UNIT_ENERGY]      = "Wh, kWh, J",
};

/* Largest magnitude accepted, in SI after scaling. */
static const double UNITS_MAX_MAGNITUDE = 1e15;

/* Longest unit text considered for "did you mean"; longer words get no hint. */
enum { UNITS_CMP_MAX = 31 };

/* Largest edit distance for which a suggestion is offered. */
enum { UNITS_SUGGEST_MAX = 2 };

/* -------------------------------------------------------------- messages -- */

#if defined(__GNUC__)
#define UNITS_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define UNITS_PRINTF(f, a)
#endif

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    UNITS_PRINTF(3, 4);

/* Formats a message into ERR (size ERRLEN), truncating; does nothing when there
 * is no buffer. */
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (!err || errlen == 0) return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* A length for a "%.*s" precision: N, clamped to what an int holds. */
static int span_len(size_t n)
{
    return n > (size_t)INT_MAX ? INT_MAX : (int)n;
}

/* Writes into BUF (size N) what the caller expected: "a power (W, kW, ...)",
 * "a plain number", or for ANY "a number with an optional unit". */
static void describe_expected(char *buf, size_t n, int any,
                              enum unit_kind want)
{
    if (any)
        snprintf(buf, n, "a number with an optional unit");
    else if (want == UNIT_NONE)
        snprintf(buf, n, "a plain number");
    else
        snprintf(buf, n, "a %s (%s)", units_kind_name(want),
                 units_kind_hint(want));
}

/* -------------------------------------------------------------- matching -- */

/* The row whose text is exactly the N bytes at S, or NULL. */
static const struct unit *find_unit(const char *s, size_t n)
{
    for (size_t i = 0; i < UNITS_COUNT; i++) {
        if (strlen(UNITS[i].text) == n && memcmp(UNITS[i].text, s, n) == 0)
            return &UNITS[i];
    }
    return NULL;
}

/* 1 if the N bytes at A equal the string B ignoring ASCII case. */
static int same_ignoring_case(const char *a, size_t n, const char *b)
{
    if (strlen(b) != n) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x < 128) x = (unsigned char)tolower(x);
        if (y < 128) y = (unsigned char)tolower(y);
        if (x != y) return 0;
    }
    return 1;
}

/* 1 if A and B are the prefixes 'm' and 'M', in either order. */
static int milli_mega_swap(char a, char b)
{
    return (a == 'm' && b == 'M') || (a == 'M' && b == 'm');
}

/* The unit text nearest to the N bytes at WORD among rows of kind WANT (all
 * rows when ANY), or NULL. A candidate must be within UNITS_SUGGEST_MAX edits
 * and must keep something of the word (distance below the longer length, or
 * equal ignoring case), so "x" does not suggest "W" but "w" does. At equal
 * distance a candidate that differs only in case wins ("KW" -> "kW", not "W");
 * remaining ties go to the first row. A candidate that swaps milli and mega
 * ("MA" -> "mA") is never offered: it would be off by a factor of 1e9. */
static const char *suggest_unit(const char *word, size_t n, int any,
                                enum unit_kind want)
{
    const char *best = NULL;
    size_t best_key = 2 * UNITS_SUGGEST_MAX + 2;

    if (n == 0 || n > UNITS_CMP_MAX) return NULL;
    char w[UNITS_CMP_MAX + 1];
    memcpy(w, word, n);
    w[n] = '\0';
    for (size_t i = 0; i < UNITS_COUNT; i++) {
        if (!any && UNITS[i].kind != want) continue;
        if (milli_mega_swap(word[0], UNITS[i].text[0])) continue;
        size_t len = strlen(UNITS[i].text);
        size_t longer = len > n ? len : n;
        size_t d = text_edit_distance(w, UNITS[i].text);
        int caseless = same_ignoring_case(word, n, UNITS[i].text);
        size_t key = 2 * d + !caseless;
        if (key < best_key && (d < longer || caseless)) {
            best_key = key;
            best = UNITS[i].text;
        }
    }
    return best;
}

/* 1 if C may begin a unit: an ASCII letter, '%', or a byte of a UTF-8
 * sequence (Ω, µ, °). */
static int unit_start(unsigned char c)
{
    return (c < 128 && isalpha(c)) || c == '%' || c >= 128;
}

/* --------------------------------------------------------------- parsing -- */

/* Parses TEXT into *VALUE (SI) and *KIND. With ANY every unit is accepted;
 * otherwise only units of kind WANT or none. Messages name what was expected.
 * Outputs are written only on success. */
static int parse(const char *text, int any, enum unit_kind want, double *value,
                 enum unit_kind *kind, char *err, size_t errlen)
{
    char expected[128];
    const char *b, *e, *num_end, *p, *u;
    char *end;
    const struct unit *unit;
    double num, si;
    int tl;

    if (!any && ((int)want < 0 || want >= UNIT_KIND_COUNT)) {
        set_err(err, errlen, "invalid unit kind %d", (int)want);
        return -1;
    }
    /* what was expected is written out only for a message (a snprintf costs
     * more than the parse: issue 14, start-up) */

    /* Trim surrounding white space: the value is [b, e). */
    if (!text) text = "";
    b = text;
    while (*b && isspace((unsigned char)*b)) b++;
    e = b + strlen(b);
    while (e > b && isspace((unsigned char)e[-1])) e--;
    tl = span_len((size_t)(e - b));
    if (b == e) {
        describe_expected(expected, sizeof expected, any, want);
        set_err(err, errlen, "empty value; expected %s", expected);
        return -1;
    }

    /* The number: decimal only, finite, representable. */
    p = b;
    if (*p == '+' || *p == '-') p++;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        set_err(err, errlen,
                "hexadecimal number in '%.*s'; expected a decimal number",
                tl, b);
        return -1;
    }
    errno = 0;
    num = strtod(b, &end);
    num_end = end;
    if (num_end == b || num_end > e) {
        describe_expected(expected, sizeof expected, any, want);
        set_err(err, errlen, "missing number in '%.*s'; expected %s", tl, b,
                expected);
        return -1;
    }
    if (errno == ERANGE) {
        if (fabs(num) > 1.0)
            set_err(err, errlen, "number out of range in '%.*s'", tl, b);
        else
            set_err(err, errlen, "number too close to zero in '%.*s'", tl, b);
        return -1;
    }
    if (isnan(num)) {
        set_err(err, errlen, "NaN is not a valid value in '%.*s'", tl, b);
        return -1;
    }
    if (isinf(num)) {
        set_err(err, errlen, "infinity is not a valid value in '%.*s'", tl, b);
        return -1;
    }

    /* The unit: optional white space, then the rest up to the end. */
    u = num_end;
    while (u < e && isspace((unsigned char)*u)) u++;
    unit = NULL;
    if (u < e) {
        size_t ul = (size_t)(e - u), tok = 0;
        /* U+00A0 no-break, U+202F narrow no-break, U+2009 thin space: what a web
         * page or a word processor puts between a number and its unit; the
         * "unknown unit ' W'" they would give hides the cause (issue 15, 12) */
        if ((ul >= 2 && memcmp(u, "\xC2\xA0", 2) == 0)
            || (ul >= 3 && (memcmp(u, "\xE2\x80\xAF", 3) == 0
                            || memcmp(u, "\xE2\x80\x89", 3) == 0))) {
            set_err(err, errlen, "a no-break or thin space before the unit in '%.*s' "
                    "(copied from a web page?); type an ordinary space", tl, b);
            return -1;
        }
        if (!unit_start((unsigned char)*u)) {
            set_err(err, errlen, "unexpected text '%.*s' after the number in "
                    "'%.*s'", span_len(ul), u, tl, b);
            return -1;
        }
        while (tok < ul && !isspace((unsigned char)u[tok])) tok++;
        unit = find_unit(u, tok);
        if (unit && tok < ul) {
            const char *rest = u + tok;
            while (isspace((unsigned char)*rest)) rest++;
            set_err(err, errlen, "unexpected text '%.*s' after the unit in "
                    "'%.*s'", span_len((size_t)(e - rest)), rest, tl, b);
            return -1;
        }
        if (!unit) {
            const char *hint = suggest_unit(u, ul, any, want);
            describe_expected(expected, sizeof expected, any, want);
            if (hint)
                set_err(err, errlen, "unknown unit '%.*s' in '%.*s'; expected "
                        "%s; did you mean '%s'?", span_len(ul), u, tl, b,
                        expected, hint);
            else
                set_err(err, errlen, "unknown unit '%.*s' in '%.*s'; expected "
                        "%s", span_len(ul), u, tl, b, expected);
            return -1;
        }
        if (!any && unit->kind != want) {
            describe_expected(expected, sizeof expected, any, want);
            set_err(err, errlen, "expected %s, got a %s ('%s')", expected,
                    units_kind_name(unit->kind), unit->text);
            return -1;
        }
    }

    /* Scale to SI. Sub-unit scales divide by their (exact) reciprocal, so
     * "50 us" and "80 %" round once, like 50e-6 and 0.8 written out. */
    si = num;
    if (unit) {
        if (unit->scale >= 1.0)
            si = num * unit->scale;
        else
            si = num / (1.0 / unit->scale);
    }
    if (!(fabs(si) <= UNITS_MAX_MAGNITUDE)) {
        set_err(err, errlen, "value too large in '%.*s'; the limit is %g in "
                "SI units", tl, b, UNITS_MAX_MAGNITUDE);
        return -1;
    }

    if (value) *value = si;
    if (kind) *kind = unit ? unit->kind : UNIT_NONE;
    return 0;
}

/* ---------------------------------------------------------------- public -- */

/* See units.h: any unit, or none. */
int units_parse_any(const char *text, double *value, enum unit_kind *kind,
                    char *err, size_t errlen)
{
    return parse(text, 1, UNIT_NONE, value, kind, err, errlen);
}

/* See units.h: a unit of kind WANT, or none. */
int units_parse(const char *text, enum unit_kind want, double *value,
                char *err, size_t errlen)
{
    return parse(text, 0, want, value, NULL, err, errlen);
}

/* See units.h; "unknown" for a kind out of range. */
const char *units_kind_name(enum unit_kind kind)
{
    if ((int)kind < 0 || kind >= UNIT_KIND_COUNT) return "unknown";
    return KIND_NAMES[kind];
}

/* See units.h; "" for UNIT_NONE and for a kind out of range. */
const char *units_kind_hint(enum unit_kind kind)
{
    if ((int)kind < 0 || kind >= UNIT_KIND_COUNT) return "";
    return KIND_HINTS[kind];
}

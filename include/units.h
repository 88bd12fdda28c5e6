/* units — physical values with units, parsed once at the edge.
 *
 * The INI and --set accept "575 W", "2.5 kW", "15 A", "50 us", "10 min", "80 %".
 * Everything inside psusim is SI: watts, amps, volts, hertz, ohms, seconds, and
 * fractions (0.8, not 80). Temperatures are degrees Celsius (the standards state
 * their calibration ambients in C). A bare number is taken as already SI.
 */
#ifndef PSUSIM_UNITS_H
#define PSUSIM_UNITS_H

#include <stddef.h>

enum unit_kind {
    UNIT_NONE = 0,     /* dimensionless: a bare number, a count, a multiple of In */
    UNIT_POWER,        /* W, kW, MW, mW */
    UNIT_CURRENT,      /* A, mA, kA */
    UNIT_VOLTAGE,      /* V, mV, kV */
    UNIT_FREQUENCY,    /* Hz, kHz */
    UNIT_RESISTANCE,   /* ohm, mohm, kohm (also Ohm, Ω) */
    UNIT_TIME,         /* s, ms, us (µs), ns, min, h, d */
    UNIT_FRACTION,     /* %  (80 % -> 0.8); a bare number is a fraction */
    UNIT_TEMPERATURE,  /* C (degrees Celsius; a bare number is C) */
    UNIT_LENGTH,       /* m, km, mm, ft */
    UNIT_CAPACITANCE,  /* F, mF, uF (µF), nF */
    UNIT_APPARENT,     /* VA, kVA (apparent power: a UPS's rating) */
    UNIT_ENERGY,       /* Wh, kWh, J (SI: J) */
    UNIT_KIND_COUNT
};

/* Parses TEXT (a number, optional white space, optional unit; surrounding white
 * space ignored) into *VALUE in SI and reports the kind of the unit written in
 * *KIND (UNIT_NONE for a bare number). Returns 0, or -1 with a message in ERR
 * (what was wrong and what was expected). NaN, infinities and out-of-range
 * numbers are errors. */
int units_parse_any(const char *text, double *value, enum unit_kind *kind,
                    char *err, size_t errlen);

/* Parses TEXT as a value of kind WANT: the unit must be of that kind or absent
 * (a bare number is SI). Returns 0, or -1 with a message in ERR such as
 * "expected a power (W, kW, MW, mW), got a current ('A')". */
int units_parse(const char *text, enum unit_kind want, double *value,
                char *err, size_t errlen);

/* "power", "current", ... for messages. */
const char *units_kind_name(enum unit_kind kind);

/* The units a user may write for KIND, e.g. "W, kW". */
const char *units_kind_hint(enum unit_kind kind);

#endif

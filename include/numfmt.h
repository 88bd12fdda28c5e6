/* numfmt — printf's "%.Pg" for doubles, fast.
 *
 * timeseries.csv holds three numbers per signal per sample; with printf's
 * exact decimal conversion they took two thirds of a long run's time (a 3 h
 * run of the seed rig: 5.0 s, of which 3.3 s in glibc's printf_fp). numfmt_g()
 * gives the same characters as snprintf(buf, n, "%.*g", P, x) - byte for byte,
 * so outputs do not change - by scaling with an exact power of ten and
 * rounding once, and hands everything it cannot decide that way (ties within
 * rounding error, very large or small exponents, zero, inf, NaN) to snprintf.
 */
#ifndef PSUSIM_NUMFMT_H
#define PSUSIM_NUMFMT_H

#include <stddef.h>

enum { NUMFMT_LEN = 40 };   /* enough for any "%.17g" */

/* Writes X as "%.PREC g" would (PREC 1..17) into BUF (NUMFMT_LEN bytes), NUL
 * terminated. Returns the length. */
size_t numfmt_g(char *buf, double x, int prec);

#endif

/* numfmt — see include/numfmt.h.
 *
 * For x != 0, finite: with E = floor(log10 |x|) (estimated from the binary
 * exponent, corrected below), |x| 10^(P-1-E) lies in
 * [10^(P-1), 10^P). The powers 10^0 .. 10^22 are exact doubles, so one
 * multiplication or division gives that scaled value with a single rounding,
 * an error below half an ulp: under 1e-7 for P <= 9 (scaled < 1e9 < 2^30, ulp
 * 2^-23) and under 0.5 for P <= 15. Rounding it to an integer R is then exact
 * unless its fraction lies within that error of one half, which the code
 * refuses (fallback) with a margin. If the estimate put E one off, or the
 * rounding carries into a new digit, R leaves [10^(P-1), 10^P) and E is
 * corrected. R's digits are then
 * placed as C99 7.21.6.1 describes %g: style e if E < -4 or E >= P, style f
 * otherwise, trailing zeros and a trailing point removed.
 */
#include "numfmt.h"

#include <math.h>
#include <stdio.h>

static const double pow10_exact[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static size_t fallback(char *buf, double x, int prec)
{
    int n = snprintf(buf, NUMFMT_LEN, "%.*g", prec, x);
    return n > 0 ? (size_t)n : 0;
}

/* |X| scaled by 10^K (|K| <= 22), one rounding. */
static double scale10(double x, int k)
{
    return k >= 0 ? x * pow10_exact[k] : x / pow10_exact[-k];
}

size_t numfmt_g(char *buf, double x, int prec)
{
    if (prec < 1 || prec > 9 || !isfinite(x) || x == 0.0)
        return fallback(buf, x, prec);
    double ax = fabs(x);
    int e2;
    frexp(ax, &e2);                          /* 2^(e2-1) <= |x| < 2^e2 */
    /* E from the binary exponent: floor((e2 - 1) log10 2) is E or E - 1 */
    int e = (int)floor((double)(e2 - 1) * 0.30102999566398120);
    double lo = pow10_exact[prec - 1], hi = pow10_exact[prec];
    double r = 0;
    int ok = 0;
    for (int tries = 0; tries < 3; tries++) {
        int k = prec - 1 - e;
        if (k < -22 || k > 22)
            return fallback(buf, x, prec);
        double s = scale10(ax, k);
        double f = s - floor(s);
        if (fabs(f - 0.5) < 1e-6)          /* a tie within rounding: let printf decide */
            return fallback(buf, x, prec);
        r = floor(s + 0.5);
        if (r >= hi) {
            e++;
        } else if (r < lo) {
            e--;
        } else {
            ok = 1;
            break;
        }
    }
    if (!ok)
        return fallback(buf, x, prec);

    /* the P digits of R */
    char dig[10];
    unsigned long v = (unsigned long)r;
    for (int i = prec - 1; i >= 0; i--) {
        dig[i] = (char)('0' + v % 10);
        v /= 10;
    }
    int nd = prec;                           /* significant digits kept */
    while (nd > 1 && dig[nd - 1] == '0')
        nd--;

    size_t n = 0;
    if (x < 0)
        buf[n++] = '-';
    if (e < -4 || e >= prec) {               /* style e */
        buf[n++] = dig[0];
        if (nd > 1) {
            buf[n++] = '.';
            for (int i = 1; i < nd; i++)
                buf[n++] = dig[i];
        }
        buf[n++] = 'e';
        buf[n++] = e < 0 ? '-' : '+';
        int ae = e < 0 ? -e : e;
        if (ae >= 100)
            buf[n++] = (char)('0' + ae / 100);
        buf[n++] = (char)('0' + ae / 10 % 10);
        buf[n++] = (char)('0' + ae % 10);
    } else if (e >= 0) {                     /* style f, |x| >= 1 */
        for (int i = 0; i <= e; i++)
            buf[n++] = dig[i];
        if (nd > e + 1) {
            buf[n++] = '.';
            for (int i = e + 1; i < nd; i++)
                buf[n++] = dig[i];
        }
    } else {                                 /* style f, |x| < 1 */
        buf[n++] = '0';
        buf[n++] = '.';
        for (int i = 0; i < -e - 1; i++)
            buf[n++] = '0';
        for (int i = 0; i < nd; i++)
            buf[n++] = dig[i];
    }
    buf[n] = '\0';
    return n;
}

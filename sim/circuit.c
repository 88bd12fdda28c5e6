/* circuit.c — a branch circuit: source voltage behind a loop resistance.
 *
 * A constant-power load S on a source V0 behind R (facts.md 1, Wiring):
 *
 *   V I = S,  V = V0 - R I   =>   R I^2 - V0 I + S = 0
 *
 * The textbook root I = (V0 - sqrt(V0^2 - 4 R S)) / (2 R) subtracts two nearly
 * equal numbers when 4 R S << V0^2 (short runs, light loads) and is 0/0 at R = 0.
 * Multiplying by the conjugate gives the same root without the subtraction:
 *
 *   I = 2 S / (V0 + sqrt(V0^2 - 4 R S)),   V = (V0 + sqrt(V0^2 - 4 R S)) / 2
 *
 * (the standard stable quadratic formula; Press et al., Numerical Recipes, 5.6).
 * R = 0 needs no special case: I = S / V0, V = V0.
 */
#include "circuit.h"

#include <float.h>
#include <math.h>

/* ------------------------------------------------------------------------- */
/* Solving                                                                   */
/* ------------------------------------------------------------------------- */

/* Stores I and V. */
static void put(double *i_a, double *v_load, double i, double v)
{
    *i_a = i;
    *v_load = v;
}

/* Returns 0, or -1 on voltage collapse (4 R S > V0^2: then I = V0 / (2 R),
 * V = V0 / 2) or on unusable input. Unusable input — V0 not finite and > 0,
 * R not finite and >= 0, S not finite and >= 0 (NaN included) — also returns -1
 * but sets *I_A = *V_LOAD = 0, which no collapse produces (its V is V0 / 2 > 0):
 * callers tell the two apart by *V_LOAD. I_A and V_LOAD must not be NULL. */
int circuit_solve(double v0, double r_ohm, double s_va, double *i_a, double *v_load)
{
    double disc, root;

    /* (comparisons: false for NaN, and the bound excludes infinity; cheaper
     * than isfinite() in the engine's loop) */
    if (!(v0 > 0 && v0 < INFINITY) || !(r_ohm >= 0 && r_ohm < INFINITY)
        || !(s_va >= 0 && s_va < INFINITY)) {
        put(i_a, v_load, 0.0, 0.0);
        return -1;
    }
    disc = v0 * v0 - 4.0 * r_ohm * s_va;
    /* S = circuit_max_power() itself can round to a disc a few ulps below 0;
     * that load is deliverable (V = V0 / 2), so a rounding-sized deficit is 0. */
    if (disc < 0 && disc >= -4.0 * DBL_EPSILON * v0 * v0)
        disc = 0.0;
    if (disc < 0) {
        /* No real root: the load asks for more than the circuit's maximum-power
         * point V0^2 / (4 R) can give (R > 0 here, since disc >= 0 at R = 0). */
        put(i_a, v_load, v0 / (2.0 * r_ohm), 0.5 * v0);
        return -1;
    }
    root = sqrt(disc);
    put(i_a, v_load, 2.0 * s_va / (v0 + root), 0.5 * (v0 + root));
    return 0;
}

/* V0^2 / (4 R): the power at the maximum-power point, where the load voltage is
 * V0 / 2. INFINITY for R = 0; NAN for unusable input (as circuit_solve). */
double circuit_max_power(double v0, double r_ohm)
{
    if (!(isfinite(v0) && v0 > 0) || !(isfinite(r_ohm) && r_ohm >= 0))
        return NAN;
    if (r_ohm == 0)
        return INFINITY;
    return v0 * v0 / (4.0 * r_ohm);
}

/* The phasor sum of the lines' currents: split-phase I_1 - I_2 (the legs are
 * 180 degrees apart); three-phase I_1 + I_2 e^(-j120) + I_3 e^(j120), whose
 * magnitude squared expands (cos 120 = -1/2) to the sum of squares less the
 * pairwise products (the neutral of an unbalanced wye: e.g. IEEE Std 141, the
 * Red Book, ch. 3, S). */
double circuit_neutral_a(int n_lines, const double i_ln[3])
{
    if (n_lines <= 1) return fabs(i_ln[0]);
    if (n_lines == 2) return fabs(i_ln[0] - i_ln[1]);
    double a = i_ln[0], b = i_ln[1], c = i_ln[2];
    return sqrt(fmax(0.0, a * a + b * b + c * c - a * b - b * c - c * a));
}

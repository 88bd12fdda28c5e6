/* circuit — a branch circuit: source voltage behind a loop resistance.
 *
 * Loads are constant-power (a PSU with active PFC holds its input power as the
 * voltage sags): V I = S and V = V0 - R I give
 * I = (V0 - sqrt(V0^2 - 4 R S)) / (2 R) (facts.md 1, Wiring). With no real root
 * (4 R S > V0^2) the voltage collapses. S is the apparent power P / PF: treating it
 * as in phase with the source over-states the drop a little (conservative).
 */
#ifndef PSUSIM_CIRCUIT_H
#define PSUSIM_CIRCUIT_H

/* Solves for the current I_A (A) and load voltage V_LOAD (V) of apparent power
 * S_VA (>= 0) drawn through loop resistance R_OHM (>= 0) from V0 (> 0).
 * Returns 0, or -1 on voltage collapse; then *I_A = V0 / (2 R) and
 * *V_LOAD = V0 / 2 (the most a constant-power load can get: the circuit's
 * maximum-power point). Invalid input (V0 <= 0, R < 0, S < 0, NaN or infinite)
 * also returns -1, with both outputs 0. Numerically stable for tiny R (no
 * cancellation). */
int circuit_solve(double v0, double r_ohm, double s_va, double *i_a, double *v_load);

/* The largest apparent power the circuit can deliver, V0^2 / (4 R) (INFINITY for
 * R = 0; NaN for invalid input). */
double circuit_max_power(double v0, double r_ohm);

/* The neutral current (A) of a panel with N_LINES lines (2: split-phase, the
 * legs 180 degrees apart; 3: three-phase, 120 degrees) whose line-to-neutral
 * circuits draw I_LN[k] amps on line k, in phase with their line's voltage
 * (unity power factor, or one power factor for all): split-phase
 * |I_1 - I_2|; three-phase the phasors' sum,
 * sqrt(I_1^2 + I_2^2 + I_3^2 - I_1 I_2 - I_2 I_3 - I_3 I_1). One line: I_1
 * (the neutral carries it back). Sinusoidal currents: a non-PFC load's third
 * harmonic, which adds up in a three-phase neutral, is not in it. */
double circuit_neutral_a(int n_lines, const double i_ln[3]);

#endif

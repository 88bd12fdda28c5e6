/* psu — a power supply's conversion from DC demand to AC input.
 *
 * Efficiency is given as points (load fraction -> efficiency) at 115 V and at
 * 230 V: the 80 PLUS certification minimums (facts.md section 2, Tom's Hardware /
 * Wikipedia "80 Plus", S) or a unit's measured points. Between points the curve is
 * interpolated in load fraction with GSL; outside the points it follows a physical
 * loss model P_loss = a + b P + c P^2 fitted to the points by GSL weighted least
 * squares (the weights make the residuals efficiency errors), scaled to join the
 * curve at its end point, so efficiency falls towards zero load (fixed losses)
 * and falls again in overload (I^2 R losses). A measured no-load loss, when
 * given, joins the fit and pins the curve at zero output. Outside its points the
 * 115 V curve is never more efficient than the 230 V one (psu.c). Between 115 V and
 * 230 V the loss is interpolated linearly in input voltage; below 115 V it is
 * extrapolated (down to 90 V, the ATX12V range, and never below the 115 V loss),
 * above 230 V it is held at the 230 V value (conservative).
 *
 * Power factor is a curve over load fraction too (defaults per 80 PLUS level, see
 * psu.c for their sources). The AC current is I = P_in / (V * PF).
 */
#ifndef PSUSIM_PSU_H
#define PSUSIM_PSU_H

#include <stddef.h>

enum { PSU_MAX_POINTS = 16 };

/* A curve over load fraction: N points, LOAD ascending in (0, 2], VALUE in (0, 1]. */
struct psu_curve {
    size_t n;
    double load[PSU_MAX_POINTS];   /* fraction of rated DC power, ascending */
    double value[PSU_MAX_POINTS];  /* efficiency or power factor, 0..1 */
};

struct psu_params {
    double rating_w;          /* rated continuous DC output, W */
    struct psu_curve eff_115; /* efficiency at 115 V input */
    struct psu_curve eff_230; /* efficiency at 230 V input */
    struct psu_curve pf;      /* power factor vs load fraction */
    double no_load_w;  /* measured loss at zero output, W; 0 = from the fit */
};

/* Fills the three curves for an 80 PLUS level by name ("80plus-white",
 * "80plus-bronze", "80plus-silver", "80plus-gold", "80plus-platinum",
 * "80plus-titanium"). Returns 0, or -1 for an unknown name. */
int psu_level_curves(const char *level, struct psu_curve *eff_115,
                     struct psu_curve *eff_230, struct psu_curve *pf);

/* The levels, for listings and "did you mean". I < psu_level_count(). */
size_t psu_level_count(void);
const char *psu_level_name(size_t i);

/* Parses "10%:0.90, 20%:92%, 50%:0.94, 100%:0.90" (load fraction:value pairs,
 * each side a fraction or a percentage) into OUT. Loads must ascend, lie in
 * (0, 200 %], values in (0, 1]; at least two points for efficiency curves, one
 * point (a constant) is accepted. Returns 0, or -1 with a message in ERR. */
int psu_parse_curve(const char *text, struct psu_curve *out, char *err, size_t errlen);

typedef struct psu psu;

/* Builds the model (GSL interpolators and the loss fits). NO_LOAD_W > 0 adds the
 * point (0 W, NO_LOAD_W) to both loss fits, and the curve below the first point
 * then passes through it: the input power at zero output is NO_LOAD_W. Returns
 * NULL with a message in ERR when the parameters are unusable (fewer than 2
 * efficiency points, an efficiency of exactly 1: no losses to model, NO_LOAD_W
 * negative or not below the rating, a fit that cannot be made). The caller owns
 * the result: free with psu_free(). */
psu *psu_new(const struct psu_params *p, char *err, size_t errlen);

/* The checks of psu_new() without building the model (a scenario's
 * validation: the fits cost more than the rest of loading, issue 14). Past
 * them psu_new() fails only when out of memory (some fit is always feasible,
 * psu.c fit_weighted). Returns 0, or -1 with psu_new()'s message in ERR. */
int psu_check(const struct psu_params *p, char *err, size_t errlen);

/* Frees P; psu_free(NULL) does nothing. */
void psu_free(psu *p);

/* AC input power (W) for DC output P_DC_W (>= 0) at input voltage V_RMS.
 * Always finite and >= P_DC_W. Allocation-free: safe in the step loop. */
double psu_input_power(const psu *p, double p_dc_w, double v_rms);

/* Efficiency P_dc / P_in at that operating point (0 at zero load). */
double psu_efficiency(const psu *p, double p_dc_w, double v_rms);

/* The loss model's own view of the efficiency at that operating point: the
 * fitted loss a + b P + c P^2 alone, without the interpolation between the
 * points and without the scaling that joins it to the curve at the ends,
 * blended between 115 V and 230 V as psu_efficiency() does (0 at zero load).
 * For tests and reports: how well the fit reproduces the points says how far
 * the extrapolations beyond them can be trusted. The simulation uses
 * psu_input_power(). */
double psu_fit_efficiency(const psu *p, double p_dc_w, double v_rms);

/* Power factor at DC output P_DC_W, in (0, 1]. */
double psu_power_factor(const psu *p, double p_dc_w);

/* Rated DC output, W. */
double psu_rating(const psu *p);

#endif

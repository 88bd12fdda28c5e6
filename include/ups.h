/* ups — an uninterruptible power supply between a circuit and its PSUs.
 *
 * What the circuit sees (the UPS on mains): its output power divided by its
 * efficiency, plus its own standing loss and its charger's draw
 * (P_in = P_out / eta + P_loss + P_charge). An online (double-conversion) UPS
 * draws that through its own PFC rectifier at INPUT_PF; a line-interactive or
 * offline unit passes the mains through to its load, so the circuit sees the
 * load's power factor (input_pf 0: "the load's").
 *
 * What the PSUs see: the UPS's output voltage (regulated: online always,
 * line-interactive by its AVR taps), its output waveform, and on a change to
 * battery its transfer time (0 for online). The transfer is ridden through when
 * a PSU's hold-up is at least the transfer time (ATX 3.0: > 16 ms at full load,
 * facts.md 2, P).
 *
 * Overload: the datasheets give bands, "load above L %: at most T" (e.g. Eaton
 * 9SX: 102-110 % 2 min, 111-125 % 1 min, 126-150 % 10 s, above 150 % 300 ms).
 * The curve is those points; the time allowed at a load x is the T of the
 * highest point at or below x (each band's time over the whole band: the
 * datasheet's bound, never stretched by interpolation between bands), infinite
 * below the first point. Under a varying load the UPS shuts down (or transfers
 * to bypass, if it has one) when the integral of dt / T(x) reaches 1 (the
 * inverse-time rule of IEEE C37.112, facts.md 1, as for fuses); below the first
 * point the integral relaxes with the time constant `overload_reset` (no
 * datasheet gives one: a documented default).
 *
 * Runtime on battery (Peukert's law in power form): with the battery voltage
 * held, the battery current is proportional to P_out / eta_inverter, so
 * t(P) = t_full (P_rated / P)^k; k from the datasheet's runtime at half and at
 * full load, k = log2(t_half / t_full) (the inverter's efficiency, taken as
 * constant, cancels in the ratio). Without those points, from the battery's
 * energy E (Wh at the 20 h rate, C20) and a Peukert exponent:
 * t = 20 h (E / 20 h / P_batt)^k with P_batt = P_out / eta_inverter.
 */
#ifndef PSUSIM_UPS_H
#define PSUSIM_UPS_H

#include <stddef.h>

enum { UPS_MAX_POINTS = 8 };

enum ups_topology { UPS_ONLINE = 0, UPS_LINE_INTERACTIVE, UPS_OFFLINE };
enum ups_waveform { UPS_SINE = 0, UPS_STEPPED };

/* The overload curve: N bands, LOAD ascending (fraction of the rating, > 1),
 * TIME_S the longest the UPS carries a load at or above it (non-increasing). */
struct ups_curve {
    size_t n;
    double load[UPS_MAX_POINTS];
    double time_s[UPS_MAX_POINTS];
};

/* Parses "105%:10min, 125%:30s, 150%:0.5s" into OUT: at least one point, loads
 * ascending above 100 %, times positive and not increasing. Returns 0, or -1
 * with a message in ERR. */
int ups_parse_curve(const char *text, struct ups_curve *out, char *err, size_t errlen);

/* Seconds a constant load X (fraction of the rating) may last; INFINITY below
 * the first point. */
double ups_overload_time(const struct ups_curve *c, double x);

/* "online", "line-interactive", "offline"; "sine", "stepped". -1: unknown. */
int ups_topology_find(const char *name);
int ups_waveform_find(const char *name);
const char *ups_topology_name(int topology);

/* The battery as a datasheet gives it: runtimes at full and half load, or its
 * energy with a Peukert exponent and the inverter's efficiency. */
struct ups_battery {
    double t_full_s, t_half_s;    /* runtime at full (W rating) and half load, s; 0: none */
    double energy_j;              /* battery energy at the 20 h rate, J; 0: none */
    double peukert;               /* Peukert exponent (with energy_j) */
    double eta_inv;               /* inverter efficiency (with energy_j) */
};

/* Runtime at output P_W of a unit rated RATED_W: from the runtime points when
 * given, else from the energy; 0 when the battery is not known (none assumed).
 * INFINITY at no load. */
double ups_runtime(const struct ups_battery *b, double rated_w, double p_w);

/* Peukert exponent from the runtimes at half and at full load (both > 0, half
 * longer than full); NAN when not given. */
double ups_peukert_from_points(double t_half_s, double t_full_s);

/* Runtime at output power P_W (> 0) of a unit rated RATED_W, from the runtime
 * at full load T_FULL_S and the exponent K. */
double ups_runtime_points(double p_w, double rated_w, double t_full_s, double k);

/* Runtime at output power P_W from a battery of E_WH watt-hours (C20), Peukert
 * exponent K, inverter efficiency ETA_INV. */
double ups_runtime_energy(double p_w, double e_wh, double k, double eta_inv);

#endif

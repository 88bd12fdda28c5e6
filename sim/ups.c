/* ups — see include/ups.h. */
#include "ups.h"

#include <gsl/gsl_interp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "units.h"

/* ================================================================ curves == */

int ups_parse_curve(const char *text, struct ups_curve *out, char *err, size_t errlen)
{
    char buf[256];
    if (text_copy(buf, sizeof buf, text) != 0) {
        snprintf(err, errlen, "too long");
        return -1;
    }
    out->n = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ' || *tok == '\t') tok++;
        char *colon = strchr(tok, ':');
        if (!colon) {
            snprintf(err, errlen, "expected load:time points like '105%%:10min, 125%%:30s, "
                     "150%%:0.5s'; got '%s'", tok);
            return -1;
        }
        *colon = '\0';
        double x, t;
        char e2[128];
        if (units_parse(tok, UNIT_FRACTION, &x, e2, sizeof e2) != 0
            || units_parse(colon + 1, UNIT_TIME, &t, e2, sizeof e2) != 0) {
            snprintf(err, errlen, "overload point '%s:%s': %s", tok, colon + 1, e2);
            return -1;
        }
        if (out->n == UPS_MAX_POINTS) {
            snprintf(err, errlen, "at most %d overload points", UPS_MAX_POINTS);
            return -1;
        }
        if (!(x > 1.0 && x <= 10.0) || !(t > 0 && t <= 86400.0)) {
            snprintf(err, errlen, "overload point '%s:%s': the load must be above 100 %% "
                     "(at most 1000 %%), the time above 0 s and at most 24 h", tok, colon + 1);
            return -1;
        }
        if (out->n > 0 && (x <= out->load[out->n - 1] || t > out->time_s[out->n - 1])) {
            snprintf(err, errlen, "overload points must rise in load and not rise in "
                     "time; '%s:%s' does not", tok, colon + 1);
            return -1;
        }
        out->load[out->n] = x;
        out->time_s[out->n] = t;
        out->n++;
    }
    if (out->n == 0) {
        snprintf(err, errlen, "expected at least one load:time point");
        return -1;
    }
    return 0;
}

double ups_overload_time(const struct ups_curve *c, double x)
{
    if (c->n == 0 || !(x >= c->load[0])) return INFINITY;
    if (x >= c->load[c->n - 1]) return c->time_s[c->n - 1];
    /* the band holding X: the highest point at or below it (GSL's binary
     * search over the ascending loads) */
    size_t i = gsl_interp_bsearch(c->load, x, 0, c->n - 1);
    return c->time_s[i];
}

/* ================================================================= names == */

static const char *const topologies[] = { "online", "line-interactive", "offline" };
static const char *const waveforms[] = { "sine", "stepped" };

static int find(const char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0) return i;
    return -1;
}

int ups_topology_find(const char *name) { return find(topologies, 3, name); }
int ups_waveform_find(const char *name) { return find(waveforms, 2, name); }

const char *ups_topology_name(int topology)
{
    return topology >= 0 && topology < 3 ? topologies[topology] : "?";
}

/* =============================================================== runtime == */

double ups_peukert_from_points(double t_half_s, double t_full_s)
{
    if (!(t_half_s > 0) || !(t_full_s > 0) || !(t_half_s > t_full_s)) return NAN;
    /* t(P/2) / t(P) = 2^k (ups.h) */
    return log2(t_half_s / t_full_s);
}

double ups_runtime_points(double p_w, double rated_w, double t_full_s, double k)
{
    if (!(p_w > 0)) return INFINITY;
    return t_full_s * pow(rated_w / p_w, k);
}

double ups_runtime_energy(double p_w, double e_wh, double k, double eta_inv)
{
    if (!(p_w > 0)) return INFINITY;
    /* Peukert at the 20 h rate: t = H (C / (I H))^k, I proportional to the
     * battery power at a held battery voltage, H = 20 h */
    const double h_s = 20 * 3600.0;
    double p20_w = e_wh * 3600.0 / h_s, p_batt = p_w / eta_inv;
    return h_s * pow(p20_w / p_batt, k);
}

double ups_runtime(const struct ups_battery *b, double rated_w, double p_w)
{
    if (!(p_w > 0)) return INFINITY;
    if (b->t_full_s > 0 && b->t_half_s > b->t_full_s)
        return ups_runtime_points(p_w, rated_w, b->t_full_s,
                                  ups_peukert_from_points(b->t_half_s, b->t_full_s));
    if (b->energy_j > 0)
        return ups_runtime_energy(p_w, b->energy_j / 3600.0, b->peukert, b->eta_inv);
    return 0.0;
}

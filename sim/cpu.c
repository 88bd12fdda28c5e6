/* cpu.c — a processor package under its power limits (include/cpu.h).
 *
 * The model (facts.md 3):
 *
 *   EWMA      avg += (P - avg) k,  k = 1 - exp(-dt / Tau)
 *             Intel names an exponentially weighted moving average with time
 *             constant Tau but gives no equation (P); this first-order form is
 *             the one facts.md derives (D): it matches Intel's "PL2 = 1.25 TDP
 *             for about 1.5 Tau" (Tau ln 5 = 1.61 Tau). k is computed once, in
 *             cpu_new(), with expm1 (exact to rounding even for dt << Tau).
 *   limit     allowed = PL2 while avg < PL1, else PL1 (P, Intel datasheets).
 *   PL4       never exceeded; a burst to it lasts about 10 ms (P): each stretch
 *             of full demand starts with 10 ms at PL4 when PL4 > 0, whatever the
 *             average. The package is never above the allowed limit otherwise.
 *   AMD       PPT = 1.35 TDP is the sustained package limit (P, AMD via
 *             AnandTech): PL1 = PL2 = PPT, so the average never matters.
 *
 * The step, for the interval [t, t + dt):
 *
 *   f_on  share of the step at full demand, f_b share of it in a PL4 burst
 *   P     = f_b PL4 + (f_on - f_b) allowed + (1 - f_on) idle
 *
 * The shares come from the profile's cumulative time at full demand (and in a
 * burst) counted from start_s, differenced over the step, so a demand edge or a
 * burst end inside a step is weighted exactly: the energy of a burst is 10 ms
 * x PL4 for any dt, and P is a mix of values <= PL4, never above it. With
 * allowed held over a step, the cold-start PL2 stretch ends within one step of
 * the closed form Tau ln(PL2 / (PL2 - PL1)) (avg after n steps at PL2 is
 * PL2 (1 - (1 - k)^n) = PL2 (1 - exp(-n dt / Tau)), exactly the continuous
 * curve). After a warm-up at idle, avg0 = idle (1 - exp(-start / Tau)), it is
 * Tau ln((PL2 - avg0) / (PL2 - PL1)).
 *
 * Once avg reaches PL1 the package runs at PL1, and avg decays towards PL1
 * from above without crossing it: the long-run power is PL1.
 *
 * Demand profiles are rows of a static table chosen by name (cpu.h); a row
 * gives the time at full demand in the first U seconds after start_s, within
 * the first WIDTH seconds of each on stretch (WIDTH = the on stretch for the
 * demand itself, min(10 ms, on stretch) for the PL4 burst), and the next edge
 * (a stretch's start or end, a burst's end) after U.
 *
 * Strides (cpu_quiet_steps, cpu_advance): between edges the shares are 0 or 1
 * and, while allowed does not change, P is constant and the EWMA geometric,
 *
 *   avg_n = P + (avg_0 - P) (1 - k)^n,   (1 - k)^n = exp(n ln(1 - k)).
 *
 * allowed changes only when the average crosses PL1 at full demand below PL4:
 * upwards while PL2 > PL1 is allowed (it never comes back down at PL1, see
 * above); a stride ends before the first step whose average is >= PL1, the
 * index from the closed form n = ln((PL2 - PL1) / (PL2 - avg_0)) / ln(1 - k),
 * checked on both sides with the comparison cpu_step() makes. A step that
 * holds an edge is stepped on its own. A step's share of a fully on step is
 * 1 to rounding (t + dt - t): strides use exactly 1, so they agree with steps
 * to about ulp(t) / dt (2e-10 at t = 20 s, dt = 10 us).
 */
#include "cpu.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------- */
/* Constants                                                                 */
/* ------------------------------------------------------------------------- */

/* A burst to PL4 lasts about 10 ms (facts.md 3, P: Intel datasheets). */
#define CPU_PL4_BURST_S 0.010

/* ------------------------------------------------------------------------- */
/* The model's state                                                         */
/* ------------------------------------------------------------------------- */

struct cpu_profile_row;

struct cpu {
    const struct cpu_profile_row *profile; /* demand profile (static, not owned) */
    double pl1_w;    /* sustained limit, W */
    double pl2_w;    /* short-term limit, W */
    double pl4_w;    /* peak limit, W (0: none) */
    double idle_w;   /* power at idle demand, W */
    double k;        /* EWMA factor 1 - exp(-dt / Tau) */
    double start_s;  /* demand starts at, s */
    double dt_s;     /* step, s */
    double inv_dt;   /* 1 / dt, 1/s */
    double period_s; /* bursty: period, s */
    double on_s;     /* full demand per period, s (full: INFINITY; idle: 0) */
    double burst_s;  /* PL4 stretch at the start of each on stretch, s (0: none) */
    double log_q;    /* ln(1 - k): the EWMA's decay per step */
    double avg_w;    /* the EWMA the PL1 rule acts on, W */
    /* quiet_power()'s last answer, kept by cpu_quiet_steps() for cpu_advance():
     * a function of the time and the average alone, so it holds whenever both
     * are the same again (NAN: none) */
    double memo_t;   /* its time, s */
    double memo_avg; /* the average it was found at, W */
    double memo_p;   /* the power, W */
};

/* ------------------------------------------------------------------------- */
/* Demand profiles                                                           */
/* ------------------------------------------------------------------------- */

/* One demand profile: the seconds in [0, U) (U counted from start_s) that lie
 * within the first WIDTH seconds of an on stretch, 0 for U <= 0; and the first
 * edge after U where a share can change (INFINITY: none). */
struct cpu_profile_row {
    enum cpu_profile id;  /* the enum value, equal to the row's index */
    const char *name;     /* as the INI writes it */
    double (*time_in)(const struct cpu *c, double u, double width);
    double (*next_edge)(const struct cpu *c, double u);
};

/* full: one on stretch from start_s on. */
static double full_time(const struct cpu *c, double u, double width)
{
    (void)c;
    if (!(u > 0))
        return 0.0;
    return u < width ? u : width;
}

/* full: the start, then the end of the PL4 burst. */
static double full_edge(const struct cpu *c, double u)
{
    if (u < 0)
        return 0.0;
    return u < c->burst_s ? c->burst_s : INFINITY;
}

/* idle: never on. */
static double idle_time(const struct cpu *c, double u, double width)
{
    (void)c;
    (void)u;
    (void)width;
    return 0.0;
}

/* bursty: a square wave of period_s, on for on_s at the start of each period.
 * n whole periods plus the part of the current one: the remainder is computed
 * as u - n period and clamped, not with fmod, so that a floor() that rounds to
 * the neighbouring period at an edge still gives the same (continuous) total. */
static double bursty_time(const struct cpu *c, double u, double width)
{
    double n, r;

    if (!(u > 0))
        return 0.0;
    n = floor(u / c->period_s);
    r = u - n * c->period_s;
    if (r < 0)
        r = 0;
    if (r > width)
        r = width;
    return n * width + r;
}

/* idle: no edge. */
static double idle_edge(const struct cpu *c, double u)
{
    (void)c;
    (void)u;
    return INFINITY;
}

/* bursty: each period's start, burst end and on-stretch end, placed as
 * bursty_time() places them (n period + width). Periods n and n + 1 are
 * searched, since u / period may round to either side of a period's start. */
static double bursty_edge(const struct cpu *c, double u)
{
    double n, base;
    int i;

    if (u < 0)
        return 0.0;
    n = floor(u / c->period_s);
    for (i = 0; i < 2; i++, n++) {
        base = n * c->period_s;
        if (base > u)
            return base;
        if (c->burst_s > 0 && base + c->burst_s > u)
            return base + c->burst_s;
        if (base + c->on_s > u)
            return base + c->on_s;
    }
    return n * c->period_s;
}

static const struct cpu_profile_row profiles[CPU_LOAD_COUNT] = {
    { CPU_LOAD_FULL,   "full",   full_time,   full_edge },
    { CPU_LOAD_IDLE,   "idle",   idle_time,   idle_edge },
    { CPU_LOAD_BURSTY, "bursty", bursty_time, bursty_edge },
};

const char *cpu_profile_name(enum cpu_profile p)
{
    return (int)p >= 0 && (int)p < CPU_LOAD_COUNT ? profiles[p].name : NULL;
}

/* Exact, case-sensitive match; -1 for NULL too. */
int cpu_profile_find(const char *name)
{
    int i;

    if (name == NULL)
        return -1;
    for (i = 0; i < CPU_LOAD_COUNT; i++)
        if (strcmp(profiles[i].name, name) == 0)
            return (int)profiles[i].id;
    return -1;
}

/* ------------------------------------------------------------------------- */
/* Validation                                                                */
/* ------------------------------------------------------------------------- */

/* Writes "cpu: MSG (got VALUE)" into ERR if there is room. */
static void set_err(char *err, size_t errlen, const char *msg, double value)
{
    if (err != NULL && errlen > 0)
        snprintf(err, errlen, "cpu: %s (got %g)", msg, value);
}

/* 1 if P is usable; else 0 with a message in ERR. */
static int params_ok(const struct cpu_params *p, char *err, size_t errlen)
{
    if (!(isfinite(p->pl1_w) && p->pl1_w > 0)) {
        set_err(err, errlen, "pl1 must be a finite power > 0 W", p->pl1_w);
        return 0;
    }
    if (!(isfinite(p->pl2_w) && p->pl2_w >= p->pl1_w)) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "cpu: pl2 must be a finite power >= pl1 (%g W) "
                     "(got %g)", p->pl1_w, p->pl2_w);
        return 0;
    }
    if (!(isfinite(p->tau_s) && p->tau_s > 0)) {
        set_err(err, errlen, "tau must be a finite time > 0 s", p->tau_s);
        return 0;
    }
    if (!(isfinite(p->pl4_w) && (p->pl4_w == 0 || p->pl4_w >= p->pl2_w))) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "cpu: pl4 must be 0 (none) or a finite power >= "
                     "pl2 (%g W) (got %g)", p->pl2_w, p->pl4_w);
        return 0;
    }
    if (!(isfinite(p->idle_w) && p->idle_w >= 0 && p->idle_w <= p->pl1_w)) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "cpu: idle must be a finite power from 0 to pl1 "
                     "(%g W) (got %g)", p->pl1_w, p->idle_w);
        return 0;
    }
    if (cpu_profile_name(p->load) == NULL) {
        set_err(err, errlen, "load must be full, idle or bursty", (double)p->load);
        return 0;
    }
    if (p->load == CPU_LOAD_BURSTY) {
        if (!(isfinite(p->period_s) && p->period_s > 0)) {
            set_err(err, errlen, "bursty load: period must be a finite time > 0 s",
                    p->period_s);
            return 0;
        }
        if (!(isfinite(p->duty) && p->duty > 0 && p->duty <= 1)) {
            set_err(err, errlen, "bursty load: duty must be above 0 and at most 1",
                    p->duty);
            return 0;
        }
    }
    if (!(isfinite(p->start_s) && p->start_s >= 0)) {
        set_err(err, errlen, "start must be a finite time >= 0 s", p->start_s);
        return 0;
    }
    if (!(isfinite(p->dt_s) && p->dt_s > 0)) {
        set_err(err, errlen, "time step must be a finite value > 0 s", p->dt_s);
        return 0;
    }
    return 1;
}

/* ------------------------------------------------------------------------- */
/* Lifecycle                                                                 */
/* ------------------------------------------------------------------------- */

cpu *cpu_new(const struct cpu_params *p, char *err, size_t errlen)
{
    cpu *c;

    if (p == NULL) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "cpu: no parameters");
        return NULL;
    }
    if (!params_ok(p, err, errlen))
        return NULL;
    c = malloc(sizeof *c);
    if (c == NULL) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "cpu: out of memory");
        return NULL;
    }
    c->profile = &profiles[p->load];
    c->pl1_w = p->pl1_w;
    c->pl2_w = p->pl2_w;
    c->pl4_w = p->pl4_w;
    c->idle_w = p->idle_w;
    /* 1 - exp(-dt / Tau) via expm1 (facts.md 3, D) */
    c->k = -expm1(-p->dt_s / p->tau_s);
    c->log_q = log1p(-c->k);
    c->start_s = p->start_s;
    c->dt_s = p->dt_s;
    c->inv_dt = 1.0 / p->dt_s;
    switch (p->load) {
    case CPU_LOAD_BURSTY:
        c->period_s = p->period_s;
        c->on_s = p->duty * p->period_s;
        break;
    case CPU_LOAD_IDLE:
        c->period_s = INFINITY;
        c->on_s = 0.0;
        break;
    default: /* CPU_LOAD_FULL */
        c->period_s = INFINITY;
        c->on_s = INFINITY;
        break;
    }
    c->burst_s = 0.0;
    if (p->pl4_w > 0)
        c->burst_s = c->on_s < CPU_PL4_BURST_S ? c->on_s : CPU_PL4_BURST_S;
    cpu_reset(c);
    return c;
}

void cpu_free(cpu *c)
{
    free(c);
}

/* A cold package: the average at 0 W. */
void cpu_reset(cpu *c)
{
    c->avg_w = 0.0;
    c->memo_t = NAN;
}

/* ------------------------------------------------------------------------- */
/* Stepping                                                                  */
/* ------------------------------------------------------------------------- */

/* Share of the step [a, a + dt) (A counted from start_s) within WIDTH of an on
 * stretch, clamped to [0, 1] against rounding. */
static double share(const cpu *c, double a, double width)
{
    double s;

    if (!(width > 0))
        return 0.0;
    s = (c->profile->time_in(c, a + c->dt_s, width) - c->profile->time_in(c, a, width))
        * c->inv_dt;
    if (s < 0)
        return 0.0;
    return s > 1 ? 1.0 : s;
}

double cpu_step(cpu *c, double t)
{
    double a = t - c->start_s;
    double f_on = share(c, a, c->on_s);
    double f_b = c->burst_s > 0 ? share(c, a, c->burst_s) : 0.0;
    double allowed = c->avg_w < c->pl1_w ? c->pl2_w : c->pl1_w; /* Intel PL1/PL2 (P) */
    double p;

    if (f_b > f_on)
        f_b = f_on;
    p = f_b * c->pl4_w + (f_on - f_b) * allowed + (1.0 - f_on) * c->idle_w;
    c->avg_w += (p - c->avg_w) * c->k;                          /* EWMA (D) */
    return p;
}

double cpu_average(const cpu *c)
{
    return c->avg_w;
}

/* ------------------------------------------------------------------------- */
/* Strides                                                                   */
/* ------------------------------------------------------------------------- */

/* Longest stride, steps: far beyond any engine cap, well inside a long long. */
#define CPU_STRIDE_MAX ((size_t)1 << 40)

/* 1 with S = T / DT if T is exactly (double)S * DT, the engine's clock. */
static int step_index(double t, double dt, long long *s)
{
    double x = nearbyint(t / dt);

    if (!(x >= 0 && x < 1e15))
        return 0;
    *s = (long long)x;
    return (double)*s * dt == t;
}

/* The power of a step at T that holds no edge: the shares rounded to 0 or 1. */
static double quiet_power(const cpu *c, double t)
{
    double a = t - c->start_s;

    if (c->burst_s > 0 && share(c, a, c->burst_s) > 0.5)
        return c->pl4_w;
    if (share(c, a, c->on_s) > 0.5)
        return c->avg_w < c->pl1_w ? c->pl2_w : c->pl1_w;   /* Intel PL1/PL2 (P) */
    return c->idle_w;
}

/* quiet_power() at T, from the memo when T and the average are those it was
 * found at. */
static double quiet_power_memo(cpu *c, double t)
{
    if (!(t == c->memo_t && c->avg_w == c->memo_avg)) {
        c->memo_p = quiet_power(c, t);
        c->memo_t = t;
        c->memo_avg = c->avg_w;
    }
    return c->memo_p;
}

/* The EWMA after N steps at P from AVG. */
static double average_after(const cpu *c, double avg, double p, double n)
{
    return avg - (p - avg) * expm1(n * c->log_q);
}

size_t cpu_quiet_steps(cpu *c, double t, size_t n_max)
{
    size_t n = n_max < CPU_STRIDE_MAX ? n_max : CPU_STRIDE_MAX;
    double edge, p, x;
    long long s, j;

    if (n <= 1 || !step_index(t, c->dt_s, &s))
        return 1;
    /* the first step J that reaches past the edge: (J dt - start) + dt > edge,
     * as cpu_step() forms the step's end */
    edge = c->profile->next_edge(c, t - c->start_s);
    x = floor((edge + c->start_s) / c->dt_s) - 1;
    if (x < (double)s + (double)n) {
        j = x > (double)s ? (long long)x : s;
        while (j > s && (double)(j - 1) * c->dt_s - c->start_s + c->dt_s > edge)
            j--;
        while (!((double)j * c->dt_s - c->start_s + c->dt_s > edge))
            j++;
        if ((long long)n > j - s)
            n = (size_t)(j - s);
        if (n <= 1)
            return 1;
    }
    /* at PL2 below PL1: stop before the first step whose average is >= PL1 */
    p = quiet_power_memo(c, t);
    if (p == c->pl2_w && c->pl2_w > c->pl1_w && c->avg_w < c->pl1_w) {
        x = ceil(log((c->pl2_w - c->pl1_w) / (c->pl2_w - c->avg_w)) / c->log_q);
        if (x < (double)n) {
            j = x > 1 ? (long long)x : 1;
            while (j > 1 && !(average_after(c, c->avg_w, p, (double)(j - 1)) < c->pl1_w))
                j--;
            while (average_after(c, c->avg_w, p, (double)j) < c->pl1_w)
                j++;
            if ((long long)n > j)
                n = (size_t)j;
        }
    }
    return n >= 1 ? n : 1;
}

double cpu_advance(cpu *c, double t, size_t n)
{
    double p;

    if (n <= 1)
        return n == 1 ? cpu_step(c, t) : 0.0;
    p = quiet_power_memo(c, t);
    c->avg_w = average_after(c, c->avg_w, p, (double)n);
    return (double)n * p;
}

/* figures — see include/figures.h. */
#include "figures.h"

#include <gsl/gsl_histogram.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "breaker.h"
#include "cpu.h"
#include "gpu.h"
#include "plot.h"
#include "probe.h"
#include "psu.h"

/* Load-fraction histogram of each PSU: 24 bins of 5 % from 0 to 120 %. */
enum { HIST_BINS = 24 };
static const double HIST_MAX = 1.2;

/* Durations of the operating envelope (s), capped at the run's duration. */
static const double ENV_WINDOWS_S[] = { 0.01, 0.1, 1, 10, 60, 300, 1200, 3600 };
enum { ENV_N = sizeof ENV_WINDOWS_S / sizeof ENV_WINDOWS_S[0] };

/* ================================================================== state == */

/* Per row and column: min, mean (time-weighted), max. */
struct cell {
    double min, mean, max;
};

struct figures {
    const struct scenario *s;
    const engine *e;
    size_t n_cols;           /* loads, DC total, AC total, 2 per circuit, 1 per PSU */
    size_t n_rows;           /* rows kept */
    size_t per_row;          /* samples merged into each row (doubles at each compaction) */
    size_t in_row;           /* samples in the last row so far */
    double *t0, *t1;         /* each row's time span, s */
    struct cell *cells;      /* FIG_MAX_ROWS x n_cols */
    gsl_histogram **hist;    /* per PSU */
    probe **env;             /* per circuit: window averages of the sample means */
    size_t n_env;            /* windows used */
    double env_s[ENV_N];     /* their lengths, s */
    const volatile sig_atomic_t *stop; /* stops the plots (NULL: never) */
};

/* Column layout. */
static size_t col_load(size_t i) { return i; }
static size_t col_dc(const figures *f) { return f->s->n_loads; }
static size_t col_ac(const figures *f) { return f->s->n_loads + 1; }
static size_t col_cur(const figures *f, size_t c) { return f->s->n_loads + 2 + 2 * c; }
static size_t col_heat(const figures *f, size_t c) { return f->s->n_loads + 3 + 2 * c; }
/* PSU J's column: after the circuits */
static size_t col_psu(const figures *f, size_t j)
{
    return f->s->n_loads + 2 + 2 * f->s->n_circuits + j;
}

/* panel P's line K (0..2) or neutral (3): after the PSUs, 4 a panel */
static size_t col_panel(const figures *f, size_t p, int k)
{
    return f->s->n_loads + 2 + 2 * f->s->n_circuits + f->s->n_psus + 4 * p + (size_t)k;
}

/* ============================================================ lifecycle == */

void figures_set_stop_flag(figures *f, const volatile sig_atomic_t *stop)
{
    if (f != NULL)
        f->stop = stop;
}

figures *figures_new(const struct scenario *s, const engine *e, char *err, size_t errlen)
{
    figures *f = calloc(1, sizeof *f);
    if (!f) goto oom;
    f->s = s;
    f->e = e;
    f->n_cols = s->n_loads + 2 + 2 * s->n_circuits + s->n_psus + 4 * s->n_panels;
    f->per_row = 1;
    f->t0 = calloc(FIG_MAX_ROWS, sizeof *f->t0);
    f->t1 = calloc(FIG_MAX_ROWS, sizeof *f->t1);
    f->cells = calloc((size_t)FIG_MAX_ROWS * f->n_cols, sizeof *f->cells);
    f->hist = calloc(s->n_psus + 1, sizeof *f->hist);
    f->env = calloc(s->n_circuits + 1, sizeof *f->env);
    if (!f->t0 || !f->t1 || !f->cells || !f->hist || !f->env) goto oom;
    for (size_t j = 0; j < s->n_psus; j++) {
        f->hist[j] = gsl_histogram_alloc(HIST_BINS);
        if (!f->hist[j] || gsl_histogram_set_ranges_uniform(f->hist[j], 0, HIST_MAX))
            goto oom;
    }
    for (size_t k = 0; k < ENV_N; k++)
        if (ENV_WINDOWS_S[k] >= s->sc.sample_s && ENV_WINDOWS_S[k] <= s->sc.duration_s)
            f->env_s[f->n_env++] = ENV_WINDOWS_S[k];
    for (size_t c = 0; c < s->n_circuits && f->n_env > 0; c++) {
        f->env[c] = probe_new(f->env_s, f->n_env, s->sc.sample_s, err, errlen);
        if (!f->env[c]) {
            figures_free(f);
            return NULL;
        }
    }
    return f;
oom:
    snprintf(err, errlen, "figures: out of memory");
    figures_free(f);
    return NULL;
}

void figures_free(figures *f)
{
    if (!f) return;
    for (size_t j = 0; f->hist && j < f->s->n_psus; j++)
        if (f->hist[j]) gsl_histogram_free(f->hist[j]);
    for (size_t c = 0; f->env && c < f->s->n_circuits; c++) probe_free(f->env[c]);
    free(f->hist);
    free(f->env);
    free(f->t0);
    free(f->t1);
    free(f->cells);
    free(f);
}

/* ============================================================ collecting == */

/* Halves the rows by merging neighbours: min of mins, max of maxes, the mean
 * weighted by time. */
static void compact(figures *f)
{
    size_t out = 0;
    for (size_t r = 0; r + 1 < f->n_rows; r += 2, out++) {
        double w0 = f->t1[r] - f->t0[r], w1 = f->t1[r + 1] - f->t0[r + 1];
        double w = w0 + w1 > 0 ? w0 + w1 : 1;
        for (size_t k = 0; k < f->n_cols; k++) {
            struct cell a = f->cells[r * f->n_cols + k], b = f->cells[(r + 1) * f->n_cols + k];
            struct cell *m = &f->cells[out * f->n_cols + k];
            m->min = a.min < b.min ? a.min : b.min;
            m->max = a.max > b.max ? a.max : b.max;
            m->mean = (a.mean * w0 + b.mean * w1) / w;
        }
        f->t0[out] = f->t0[r];
        f->t1[out] = f->t1[r + 1];
    }
    if (f->n_rows % 2) {
        memmove(&f->cells[out * f->n_cols], &f->cells[(f->n_rows - 1) * f->n_cols],
                f->n_cols * sizeof *f->cells);
        f->t0[out] = f->t0[f->n_rows - 1];
        f->t1[out] = f->t1[f->n_rows - 1];
        out++;
    }
    f->n_rows = out;
    f->per_row *= 2;
    f->in_row = f->per_row; /* the last row is complete: the next sample starts one */
}

/* Merges cell B (over W_B seconds) into A (over W_A seconds). */
static void merge_cell(struct cell *a, double w_a, struct cell b, double w_b)
{
    double w = w_a + w_b > 0 ? w_a + w_b : 1;
    if (b.min < a->min) a->min = b.min;
    if (b.max > a->max) a->max = b.max;
    a->mean = (a->mean * w_a + b.mean * w_b) / w;
}

/* Writes V into the cell, or merges it in when the row is being filled. */
static void put_cell(struct cell *c, int merge, double w_old, struct cell v, double w_new)
{
    if (merge)
        merge_cell(c, w_old, v, w_new);
    else
        *c = v;
}

int figures_sample(void *user, const struct engine_sample *smp)
{
    figures *f = user;
    const struct scenario *s = f->s;
    const engine *e = f->e;
    /* every row holds per_row samples, so the resolution stays uniform */
    int merge = f->n_rows > 0 && f->in_row < f->per_row;
    if (!merge && f->n_rows == FIG_MAX_ROWS) {
        compact(f);
        merge = f->in_row < f->per_row;
    }
    size_t r = merge ? f->n_rows - 1 : f->n_rows++;
    struct cell *row = &f->cells[r * f->n_cols];
    double w_old = merge ? f->t1[r] - f->t0[r] : 0, w_new = smp->t_end_s - smp->t_start_s;
    if (merge) {
        f->t1[r] = smp->t_end_s;
        f->in_row++;
    } else {
        f->t0[r] = smp->t_start_s;
        f->t1[r] = smp->t_end_s;
        f->in_row = 1;
    }

    for (size_t i = 0; i < s->n_loads; i++) {
        size_t k = engine_sig_load(e, i);
        put_cell(&row[col_load(i)], merge, w_old,
                 (struct cell){ smp->min[k], smp->mean[k], smp->max[k] }, w_new);
    }
    /* totals over the PSUs: the sum of minima and maxima bounds the total's */
    struct cell dc = { 0, 0, 0 }, ac = { 0, 0, 0 };
    for (size_t j = 0; j < s->n_psus; j++) {
        size_t kd = engine_sig_psu_dc(e, j), ka = engine_sig_psu_ac(e, j);
        dc.min += smp->min[kd];
        dc.mean += smp->mean[kd];
        dc.max += smp->max[kd];
        ac.min += smp->min[ka];
        ac.mean += smp->mean[ka];
        ac.max += smp->max[ka];
        put_cell(&row[col_psu(f, j)], merge, w_old,
                 (struct cell){ smp->min[kd], smp->mean[kd], smp->max[kd] }, w_new);
        double x = smp->mean[kd] / s->psus[j].params.rating_w;
        if (x >= HIST_MAX) x = HIST_MAX - 1e-9;
        if (x < 0) x = 0;
        gsl_histogram_accumulate(f->hist[j], x, smp->t_end_s - smp->t_start_s);
    }
    put_cell(&row[col_dc(f)], merge, w_old, dc, w_new);
    put_cell(&row[col_ac(f)], merge, w_old, ac, w_new);
    for (size_t c = 0; c < s->n_circuits; c++) {
        size_t ki = engine_sig_circuit(e, c, ENGINE_SIG_CURRENT);
        size_t kh = engine_sig_circuit(e, c, ENGINE_SIG_HEAT);
        put_cell(&row[col_cur(f, c)], merge, w_old,
                 (struct cell){ smp->min[ki], smp->mean[ki], smp->max[ki] }, w_new);
        put_cell(&row[col_heat(f, c)], merge, w_old,
                 (struct cell){ smp->min[kh], smp->mean[kh], smp->max[kh] }, w_new);
        if (f->env[c]) probe_push(f->env[c], smp->mean[ki]);
    }
    for (size_t p = 0; p < s->n_panels; p++) {
        int n = scenario_system_lines(s->panels[p].system);
        for (int k = 0; k < 4; k++) {
            if (k >= n && (k < 3 || s->panels[p].system == SCN_SYS_SINGLE)) continue;
            size_t ks = engine_sig_panel(e, p, k);
            put_cell(&row[col_panel(f, p, k)], merge, w_old,
                     (struct cell){ smp->min[ks], smp->mean[ks], smp->max[ks] }, w_new);
        }
    }
    return 0;
}

/* ============================================================== drawing == */

struct ctx {
    figures *f;
    const struct engine_result *r;
    const char *dir, *scripts, *format;
    int width, height;
    FILE *term;
    struct figures_out *out;
    double tscale;              /* 1 (s) or 60 (min) */
    const char *tunit;
    struct pending *pend;       /* plots for the one gnuplot process (not dumb) */
    size_t n_pend;
};

/* A plot waiting for figures_render()'s one gnuplot process. */
struct pending {
    plot *p;
    char path[4096];            /* DIR/BASE.EXT */
    char file[FIG_NAME_LEN];    /* BASE.EXT */
    char caption[FIG_NAME_LEN];
};

/* Plot P for DIR/BASE.EXT: drawn now on the dumb terminal, else queued for the
 * one gnuplot process of figures_render() (which takes P). Returns 0, or -1 with
 * ERR. */
static int finish(struct ctx *x, plot *p, const char *base, const char *caption, char *err,
                  size_t errlen)
{
    char path[4096];
    const char *ext = strcmp(x->format, "dumb") == 0 ? "txt" : x->format;
    snprintf(path, sizeof path, "%s/%s.%s", x->dir ? x->dir : ".", base, ext);
    plot_set_stop_flag(p, x->f->stop);
    plot_set_num(p, "tscale", x->tscale);
    plot_set_str(p, "tunit", x->tunit);
    plot_set_str(p, "title", x->f->s->sc.name);
    plot_set_str(p, "heading", caption);
    if (strcmp(x->format, "dumb") != 0) {
        if (x->n_pend == FIG_MAX_FILES) {
            plot_free(p);
            snprintf(err, errlen, "figures: more than %d plots", FIG_MAX_FILES);
            return -1;
        }
        struct pending *q = &x->pend[x->n_pend++];
        q->p = p;
        snprintf(q->path, sizeof q->path, "%s", path);
        snprintf(q->file, sizeof q->file, "%s.%s", base, ext);
        snprintf(q->caption, sizeof q->caption, "%s", caption);
        return 0;
    }
    int rc = plot_finish(p, x->format, x->width, x->height, path, x->term, err, errlen);
    plot_free(p);
    if (rc == 1) {
        x->out->no_gnuplot = 1;
        return 0;
    }
    if (rc != 0) return -1;
    if (strcmp(x->format, "dumb") != 0 && x->out->n < FIG_MAX_FILES) {
        snprintf(x->out->files[x->out->n], FIG_NAME_LEN, "%s.%s", base, ext);
        snprintf(x->out->titles[x->out->n], FIG_NAME_LEN, "%s", caption);
        x->out->n++;
    }
    return 0;
}

/* "circuit" or "circuit-NAME" when there are several. */
static void base_name(char *buf, size_t n, const char *kind, const char *name, size_t count)
{
    if (count > 1)
        snprintf(buf, n, "%s-%s", kind, name);
    else
        snprintf(buf, n, "%s", kind);
}

/* ------------------------------------------------------------- buckets -- */

/* The time plots draw buckets of rows, each several times as long as the rig's
 * slowest load cycle (a training iteration, a CPU burst period, a scheduled
 * load), so that a bucket's mean is the power averaged over whole cycles and
 * its min/max the envelope of the cycles: a band, not a comb of one tooth per
 * iteration. Returns the rows per bucket: at least 4 cycles and 1/300 of the
 * run, at most 1/40 of it (or that lower bound), and among those lengths the
 * one closest to a whole number of cycles, so the means do not beat. */
static size_t bucket_rows(const figures *f)
{
    const struct scenario *s = f->s;
    if (f->n_rows == 0) return 1;
    double span = f->t1[f->n_rows - 1] - f->t0[0], rw = f->t1[0] - f->t0[0], cycle = 0;
    for (size_t i = 0; i < s->n_loads; i++) {
        const struct scn_load *l = &s->loads[i];
        double p = l->kind == SCN_GPU && l->workload == GPU_WL_TRAINING ? l->period_s
                   : l->kind == SCN_GPU && l->workload == GPU_WL_INFERENCE && l->rate_hz > 0
                       ? 1 / l->rate_hz
                   : l->kind == SCN_CPU && l->cpu_load == CPU_LOAD_BURSTY ? l->period_s
                   : l->kind == SCN_LOAD ? l->period_s : 0;
        if (p > cycle) cycle = p;
    }
    if (!(rw > 0)) return 1;
    double lo = 4 * cycle < span / 40 ? 4 * cycle : span / 40;
    if (lo < span / 300) lo = span / 300;
    size_t n_lo = (size_t)ceil(lo / rw), n_hi = (size_t)floor(span / 40 / rw), best = n_lo;
    if (n_lo < 1) n_lo = best = 1;
    if (n_hi > 4 * n_lo) n_hi = 4 * n_lo;
    double best_e = INFINITY;
    for (size_t n = n_lo; cycle > 0 && n <= n_hi; n++) {
        double c = n * rw / cycle, e = fabs(c - round(c)) / c;
        if (e < best_e - 1e-9) {
            best_e = e;
            best = n;
        }
    }
    return best;
}

/* Column COL over rows R0 .. R1 - 1: min of mins, max of maxes, mean by time. */
static struct cell bucket_cell(const figures *f, size_t r0, size_t r1, size_t col)
{
    struct cell c = f->cells[r0 * f->n_cols + col];
    double w = f->t1[r0] - f->t0[r0];
    for (size_t r = r0 + 1; r < r1; r++) {
        double wr = f->t1[r] - f->t0[r];
        merge_cell(&c, w, f->cells[r * f->n_cols + col], wr);
        w += wr;
    }
    return c;
}

static int draw_power(struct ctx *x, char *err, size_t errlen)
{
    figures *f = x->f;
    const struct scenario *s = f->s;
    plot *p = plot_begin(x->scripts, "power", err, errlen);
    if (!p) return -1;
    /* one band and mean line per PSU (its DC output) with its rating, and the
     * AC input from the wall */
    char names[4096] = "", ratings[2048] = "";
    for (size_t j = 0; j < s->n_psus; j++) {
        size_t len = strlen(names), rl = strlen(ratings);
        snprintf(names + len, sizeof names - len, "%s%s", j ? " " : "", s->psus[j].name);
        snprintf(ratings + rl, sizeof ratings - rl, "%s%.6g", j ? " " : "",
                 s->psus[j].params.rating_w);
    }
    plot_set_num(p, "npsus", (double)s->n_psus);
    plot_set_str(p, "names", names);
    plot_set_str(p, "ratings", ratings);
    FILE *b = plot_block(p, "POWER");
    if (!b) {
        plot_free(p);
        snprintf(err, errlen, "figures: out of memory");
        return -1;
    }
    size_t per = bucket_rows(f);
    for (size_t r0 = 0, r1; r0 < f->n_rows; r0 = r1) {
        r1 = r0 + per < f->n_rows ? r0 + per : f->n_rows;
        fprintf(b, "%.6g", 0.5 * (f->t0[r0] + f->t1[r1 - 1]));
        for (size_t j = 0; j < s->n_psus; j++) {
            struct cell c = bucket_cell(f, r0, r1, col_psu(f, j));
            fprintf(b, " %.6g %.6g %.6g", c.min, c.mean, c.max);
        }
        struct cell ac = bucket_cell(f, r0, r1, col_ac(f));
        fprintf(b, " %.6g %.6g %.6g\n", ac.mean, ac.min, ac.max);
    }
    return finish(x, p, "power", "Power over time: each PSU's DC output against its rating, "
                  "and the AC input from the wall", err, errlen);
}

static int draw_circuit(struct ctx *x, size_t c, char *err, size_t errlen)
{
    figures *f = x->f;
    const struct scn_circuit *sc = &f->s->circuits[c];
    const struct engine_circuit_result *cr = &x->r->circuits[c];
    plot *p = plot_begin(x->scripts, "circuit", err, errlen);
    if (!p) return -1;
    char curve[128];
    snprintf(curve, sizeof curve, "%s (%s edge)", sc->curve->standard,
             breaker_edge_name((enum breaker_edge)sc->tolerance));
    plot_set_str(p, "name", sc->name);
    plot_set_num(p, "rating", sc->breaker_a);
    plot_set_num(p, "cont_limit", sc->continuous_a);
    plot_set_num(p, "trip_time", cr->trip != BREAKER_CLOSED ? cr->trip_time_s : -1);
    plot_set_str(p, "curve", curve);
    FILE *b = plot_block(p, "CUR");
    if (!b) {
        plot_free(p);
        snprintf(err, errlen, "figures: out of memory");
        return -1;
    }
    size_t per = bucket_rows(f);
    for (size_t r0 = 0, r1; r0 < f->n_rows; r0 = r1) {
        r1 = r0 + per < f->n_rows ? r0 + per : f->n_rows;
        struct cell ci = bucket_cell(f, r0, r1, col_cur(f, c));
        struct cell ch = bucket_cell(f, r0, r1, col_heat(f, c));
        fprintf(b, "%.6g %.6g %.6g %.6g %.6g\n", 0.5 * (f->t0[r0] + f->t1[r1 - 1]), ci.mean,
                ci.min, ci.max, ch.max);
    }
    char base[FIG_NAME_LEN], caption[FIG_NAME_LEN];
    base_name(base, sizeof base, "circuit", sc->name, f->s->n_circuits);
    snprintf(caption, sizeof caption, "Circuit %s: current from the wall against the "
             "breaker's rating, and the breaker's heat", sc->name);
    return finish(x, p, base, caption, err, errlen);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int draw_tripcurve(struct ctx *x, size_t c, char *err, size_t errlen)
{
    figures *f = x->f;
    const struct scn_circuit *sc = &f->s->circuits[c];
    const struct engine_circuit_result *cr = &x->r->circuits[c];
    plot *p = plot_begin(x->scripts, "tripcurve", err, errlen);
    if (!p) return -1;
    plot_set_str(p, "name", sc->name);
    plot_set_num(p, "rating", sc->breaker_a);
    plot_set_str(p, "curve", sc->curve->standard);
    FILE *b = plot_block(p, "BAND");
    if (!b) goto oom;
    /* The band: closed-form thermal trip times at the calibration ambient, and
     * the magnetic element clearing within half a mains cycle above its pick-up. */
    double half = sc->frequency_hz > 0 ? 0.5 / sc->frequency_hz : 0.01;
    /* a log grid plus points just above each edge's pick-up, where the curves
     * rise steeply towards "never" */
    double xs[81 + 6 * BREAKER_EDGE_COUNT];
    size_t nx = 0;
    for (int k = 0; k <= 80; k++)
        xs[nx++] = pow(10, log10(1.01) + k * (log10(30.0) - log10(1.01)) / 80);
    for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++) {
        static const double above[] = { 1.0005, 1.002, 1.005, 1.01, 1.02, 1.05 };
        const struct breaker_curve *bc = breaker_curve_for(sc->curve, (enum breaker_edge)edge,
                                                           sc->breaker_a);
        for (int k = 0; k < 6; k++) xs[nx++] = bc->it_multiple * above[k];
    }
    qsort(xs, nx, sizeof xs[0], cmp_double);
    for (size_t k = 0; k < nx; k++) {
        double m = xs[k];
        fprintf(b, "%.6g", m);
        for (int edge = 0; edge < BREAKER_EDGE_COUNT; edge++) {
            const struct breaker_curve *bc = breaker_curve_for(sc->curve,
                                                               (enum breaker_edge)edge,
                                                               sc->breaker_a);
            double t = breaker_trip_time(sc->curve, (enum breaker_edge)edge, sc->breaker_a,
                                         m * sc->breaker_a, 0.0);
            double mag = sc->magnetic_multiple > 0 ? sc->magnetic_multiple
                                                   : bc->magnetic_multiple;
            if (sc->curve->model != BREAKER_MODEL_FUSE && mag > 0 && m >= mag && t > half)
                t = half;
            fprintf(b, " %.6g", isfinite(t) ? t : NAN);
        }
        fputc('\n', b);
    }
    b = plot_block(p, "ENV");
    if (!b) goto oom;
    /* the run: one step's peak, the half-cycle peak, then the window averages */
    fprintf(b, "%.6g %.6g\n", f->s->sc.step_s, cr->peak_current_a / sc->breaker_a);
    if (half > f->s->sc.step_s)
        fprintf(b, "%.6g %.6g\n", half, cr->peak_halfcycle_a / sc->breaker_a);
    for (size_t k = 0; f->env[c] && k < f->n_env; k++)
        fprintf(b, "%.6g %.6g\n", f->env_s[k], probe_max(f->env[c], k) / sc->breaker_a);
    char base[FIG_NAME_LEN], caption[FIG_NAME_LEN];
    base_name(base, sizeof base, "tripcurve", sc->name, f->s->n_circuits);
    snprintf(caption, sizeof caption, "Circuit %s: when the breaker trips (%s) against the "
             "highest current the run held for each duration", sc->name, sc->curve->standard);
    return finish(x, p, base, caption, err, errlen);
oom:
    plot_free(p);
    snprintf(err, errlen, "figures: out of memory");
    return -1;
}

static int draw_efficiency(struct ctx *x, size_t j, char *err, size_t errlen)
{
    figures *f = x->f;
    const struct scn_psu *sp = &f->s->psus[j];
    double v = f->s->circuits[sp->circuit_index].source_v;
    psu *m = psu_new(&sp->params, err, errlen);
    if (!m) return -1;
    plot *p = plot_begin(x->scripts, "efficiency", err, errlen);
    if (!p) {
        psu_free(m);
        return -1;
    }
    plot_set_str(p, "name", sp->name);
    plot_set_num(p, "voltage", v);
    plot_set_num(p, "rating", sp->params.rating_w);
    FILE *b = plot_block(p, "EFF");
    for (int k = 1; b && k <= 120; k++)
        fprintf(b, "%d %.6g\n", k, 100 * psu_efficiency(m, k / 100.0 * sp->params.rating_w, v));
    psu_free(m);
    b = b ? plot_block(p, "HIST") : NULL;
    if (!b) {
        plot_free(p);
        snprintf(err, errlen, "figures: out of memory");
        return -1;
    }
    double total = gsl_histogram_sum(f->hist[j]);
    for (size_t k = 0; k < HIST_BINS; k++) {
        double lo, hi;
        gsl_histogram_get_range(f->hist[j], k, &lo, &hi);
        fprintf(b, "%.6g %.6g\n", 50 * (lo + hi),
                total > 0 ? 100 * gsl_histogram_get(f->hist[j], k) / total : 0.0);
    }
    char base[FIG_NAME_LEN], caption[FIG_NAME_LEN];
    base_name(base, sizeof base, "efficiency", sp->name, f->s->n_psus);
    snprintf(caption, sizeof caption, "PSU %s: efficiency at each load, and the share of the "
             "run spent there", sp->name);
    return finish(x, p, base, caption, err, errlen);
}

static int draw_excursion(struct ctx *x, size_t j, char *err, size_t errlen)
{
    figures *f = x->f;
    const struct scn_psu *sp = &f->s->psus[j];
    const struct engine_psu_result *pr = &x->r->psus[j];
    plot *p = plot_begin(x->scripts, "excursion", err, errlen);
    if (!p) return -1;
    plot_set_str(p, "name", sp->name);
    plot_set_str(p, "atx", sp->atx == SCN_ATX_30 ? "ATX 3.0"
                           : sp->atx == SCN_ATX_31 ? "ATX 3.1" : "none (older unit)");
    plot_set_num(p, "rating", sp->params.rating_w);
    FILE *b = plot_block(p, "ENV");
    for (int k = 0; b && k < ENGINE_N_WINDOWS; k++)
        fprintf(b, "%.6g %.6g\n", engine_windows_s[k],
                100 * pr->window_limit_w[k] / sp->params.rating_w);
    b = b ? plot_block(p, "RUN") : NULL;
    if (!b) {
        plot_free(p);
        snprintf(err, errlen, "figures: out of memory");
        return -1;
    }
    for (int k = 0; k < ENGINE_N_WINDOWS; k++)
        fprintf(b, "%.6g %.6g\n", engine_windows_s[k],
                100 * pr->window_max_w[k] / sp->params.rating_w);
    char base[FIG_NAME_LEN], caption[FIG_NAME_LEN];
    base_name(base, sizeof base, "excursion", sp->name, f->s->n_psus);
    snprintf(caption, sizeof caption, "PSU %s: the highest average load over each window "
             "against the ATX 3.x excursion limits", sp->name);
    return finish(x, p, base, caption, err, errlen);
}

/* UPS U's load against its overload bands (ups.h): each band's allowed time and
 * the run's longest stretch at or above it (engine.h, band_run_s). */
static int draw_ups(struct ctx *x, size_t u, char *err, size_t errlen)
{
    figures *f = x->f;
    const struct scn_ups *su = &f->s->upses[u];
    const struct engine_ups_result *ur = &x->r->ups[u];
    plot *p = plot_begin(x->scripts, "upsload", err, errlen);
    if (!p) return -1;
    char rating[96];
    snprintf(rating, sizeof rating, "%.0f VA / %.0f W %s", su->rating_va, su->rating_w,
             ups_topology_name(su->topology));
    plot_set_str(p, "name", su->name);
    plot_set_str(p, "rating", rating);
    plot_set_num(p, "peak", 100 * ur->peak_load);
    plot_set_num(p, "mean", 100 * ur->mean_load);
    plot_set_num(p, "shutdown", ur->shutdown ? ur->shutdown_time_s : NAN);
    plot_set_str(p, "why", !ur->shutdown                ? ""
                           : ur->shutdown_overload ? "overload: its stretches in the bands add "
                                                     "up, dt / T"
                                                   : "battery empty");
    FILE *b = plot_block(p, "CURVE");
    for (size_t k = 0; b && k < su->overload.n; k++)
        fprintf(b, "%.6g %.6g\n", 100 * su->overload.load[k], su->overload.time_s[k]);
    b = b ? plot_block(p, "RUN") : NULL;
    if (!b) {
        plot_free(p);
        snprintf(err, errlen, "figures: out of memory");
        return -1;
    }
    for (size_t k = 0; k < su->overload.n; k++)
        fprintf(b, "%.6g %.6g\n", 100 * su->overload.load[k], ur->band_run_s[k]);
    char base[FIG_NAME_LEN], caption[FIG_NAME_LEN];
    base_name(base, sizeof base, "upsload", su->name, f->s->n_ups);
    snprintf(caption, sizeof caption, "UPS %s: its load against its overload curve", su->name);
    return finish(x, p, base, caption, err, errlen);
}

/* Panel P's lines and neutral over time (issue 18, 5): per line its current's
 * mean and min/max band, the neutral's, against the main's rating and the
 * panel's continuous limit; where a line's main opened. */
static int draw_panel(struct ctx *x, size_t p, char *err, size_t errlen)
{
    figures *f = x->f;
    const struct scn_panel *sp = &f->s->panels[p];
    const struct engine_panel_result *pr = &x->r->panels[p];
    plot *pl = plot_begin(x->scripts, "panel", err, errlen);
    if (!pl) return -1;
    char curve[128], system[64];
    double trip = -1;
    int trip_line = 0;
    for (int k = 0; k < pr->n_lines; k++)
        if (pr->line[k].trip != BREAKER_CLOSED && (trip < 0 || pr->line[k].trip_time_s < trip)) {
            trip = pr->line[k].trip_time_s;
            trip_line = k + 1;
        }
    snprintf(curve, sizeof curve, "%s (%s edge)", sp->curve->standard,
             breaker_edge_name((enum breaker_edge)sp->tolerance));
    snprintf(system, sizeof system, "%s, %g V line to neutral",
             scenario_system_name(sp->system), sp->voltage_v);
    plot_set_str(pl, "name", sp->name);
    plot_set_str(pl, "system", system);
    plot_set_str(pl, "curve", curve);
    plot_set_num(pl, "lines", pr->n_lines);
    plot_set_num(pl, "neutral", pr->has_neutral);
    plot_set_num(pl, "rating", sp->main_a);
    plot_set_num(pl, "cont_limit", sp->continuous_frac * sp->main_a);
    plot_set_num(pl, "neutral_rating", sp->neutral_a);
    plot_set_num(pl, "trip_time", trip);
    plot_set_num(pl, "trip_line", trip_line);
    FILE *b = plot_block(pl, "CUR");
    if (!b) {
        plot_free(pl);
        snprintf(err, errlen, "figures: out of memory");
        return -1;
    }
    for (size_t r = 0; r < f->n_rows; r++) {
        fprintf(b, "%.6g", 0.5 * (f->t0[r] + f->t1[r]));
        for (int k = 0; k < 4; k++) {
            const struct cell *ci = &f->cells[r * f->n_cols + col_panel(f, p, k)];
            fprintf(b, " %.6g %.6g %.6g", ci->mean, ci->min, ci->max);
        }
        fputc('\n', b);
    }
    char base[FIG_NAME_LEN], caption[FIG_NAME_LEN];
    base_name(base, sizeof base, "panel", sp->name, f->s->n_panels);
    snprintf(caption, sizeof caption, "Panel %s: current on each line and the neutral",
             sp->name);
    return finish(x, pl, base, caption, err, errlen);
}

int figures_render(figures *f, const struct engine_result *r, const char *dir,
                   const char *scripts, const char *format, int width, int height,
                   FILE *term, struct figures_out *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    int long_run = f->s->sc.duration_s >= 300;
    struct ctx x = { f, r, dir, scripts, format, width, height, term, out,
                     long_run ? 60.0 : 1.0, long_run ? "min" : "s", NULL, 0 };
    int rc = 0;
    if (strcmp(format, "dumb") != 0 && !(x.pend = calloc(FIG_MAX_FILES, sizeof *x.pend))) {
        snprintf(err, errlen, "figures: out of memory");
        return -1;
    }
    if (draw_power(&x, err, errlen) != 0) rc = -1;
    for (size_t c = 0; rc == 0 && c < f->s->n_circuits && !out->no_gnuplot; c++)
        if (draw_circuit(&x, c, err, errlen) != 0 || draw_tripcurve(&x, c, err, errlen) != 0)
            rc = -1;
    for (size_t j = 0; rc == 0 && j < f->s->n_psus && !out->no_gnuplot; j++)
        if (draw_efficiency(&x, j, err, errlen) != 0 || draw_excursion(&x, j, err, errlen) != 0)
            rc = -1;
    for (size_t u = 0; rc == 0 && u < f->s->n_ups && !out->no_gnuplot; u++)
        if (draw_ups(&x, u, err, errlen) != 0) rc = -1;
    for (size_t p = 0; rc == 0 && p < f->s->n_panels && !out->no_gnuplot; p++)
        if (draw_panel(&x, p, err, errlen) != 0) rc = -1;
    if (x.pend) {
        /* every picture from one gnuplot process (issue 14, 3: one start-up,
         * not one a plot) */
        plot *ps[FIG_MAX_FILES];
        const char *paths[FIG_MAX_FILES];
        for (size_t i = 0; i < x.n_pend; i++) {
            ps[i] = x.pend[i].p;
            paths[i] = x.pend[i].path;
        }
        int prc = rc == 0 ? plot_finish_all(ps, x.n_pend, format, width, height, paths, err,
                                            errlen)
                          : 0;
        if (prc == 1) out->no_gnuplot = 1;
        else if (prc != 0) rc = -1;
        for (size_t i = 0; i < x.n_pend; i++) {
            if (rc == 0 && prc == 0 && out->n < FIG_MAX_FILES) {
                snprintf(out->files[out->n], FIG_NAME_LEN, "%s", x.pend[i].file);
                snprintf(out->titles[out->n], FIG_NAME_LEN, "%s", x.pend[i].caption);
                out->n++;
            }
            plot_free(x.pend[i].p);
        }
        free(x.pend);
    }
    return rc;
}

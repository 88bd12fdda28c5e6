/* figures — the data behind the report's plots, and their rendering.
 *
 * During the run figures_sample() receives the engine's decimated samples and
 * keeps what the plots need in bounded memory: at most FIG_MAX_ROWS rows of
 * min / mean / max (when full, neighbouring rows are merged pairwise, so the
 * resolution halves and no spike is lost), a histogram of each PSU's load
 * fraction (GSL histogram, weighted by time), and each circuit's operating
 * envelope (the highest current sustained for 10 ms ... 1 h, from window averages
 * over the samples). After the run figures_render() draws the five standard plots
 * through plot.h: power, circuit, tripcurve, efficiency, excursion.
 */
#ifndef PSUSIM_FIGURES_H
#define PSUSIM_FIGURES_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "engine.h"
#include "scenario.h"

enum { FIG_MAX_ROWS = 2048, FIG_MAX_FILES = 64, FIG_NAME_LEN = 160 };

typedef struct figures figures;

/* What figures_render() did. */
struct figures_out {
    char files[FIG_MAX_FILES][FIG_NAME_LEN]; /* file names written (in DIR) */
    char titles[FIG_MAX_FILES][FIG_NAME_LEN]; /* a caption for each */
    size_t n;
    int no_gnuplot;                /* gnuplot is not installed: nothing drawn */
};

/* Prepares the collectors for S run by E (both must outlive the figures).
 * Returns NULL with a message in ERR. Free with figures_free(). */
figures *figures_new(const struct scenario *s, const engine *e, char *err, size_t errlen);

/* Every plot of F stops as soon as *STOP is nonzero (plot_set_stop_flag());
 * figures_render() then returns -1 with "interrupted" in ERR and draws none. */
void figures_set_stop_flag(figures *f, const volatile sig_atomic_t *stop);

/* Frees F; figures_free(NULL) does nothing. */
void figures_free(figures *f);

/* An engine_sample_fn: USER is the figures. Allocation-free. Returns 0. */
int figures_sample(void *user, const struct engine_sample *smp);

/* Draws the plots into DIR (file names "power.png", ...; one circuit / PSU plot
 * per component when there are several) in FORMAT (png, svg, pdf) at WIDTH x
 * HEIGHT, or to TERM for "dumb". SCRIPTS is the folder of the .gp scripts.
 * Returns 0 (see OUT: with no gnuplot, nothing is drawn and no_gnuplot is set), or
 * -1 with a message in ERR. */
int figures_render(figures *f, const struct engine_result *r, const char *dir,
                   const char *scripts, const char *format, int width, int height,
                   FILE *term, struct figures_out *out, char *err, size_t errlen);

#endif

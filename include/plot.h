/* plot — gnuplot through a pipe.
 *
 * One gnuplot script per plot lives in plots/NAME.gp (installed to
 * $(PREFIX)/share/psusim/plots; PSUSIM_PLOTS overrides the folder). The program
 * starts `gnuplot -d` (found on PATH; a fixed argument list, nothing from a
 * scenario) with posix_spawn, which does what popen would without a shell, and
 * with gnuplot's errors captured rather than printed; it sends, in order: the terminal and output settings, the variables the caller
 * set (strings escaped for gnuplot's single-quoted strings, so no text from a
 * scenario can close a string or start a command), the data as inline datablocks
 * ($NAME << EOD ... EOD), and the script's text. No temporary data files. The
 * output is written to a temporary name and renamed when gnuplot exits with
 * status 0.
 */
#ifndef PSUSIM_PLOT_H
#define PSUSIM_PLOT_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

typedef struct plot plot;

/* Starts a plot of script NAME ("power" -> DIR/power.gp). Returns NULL with a
 * message in ERR when the script cannot be read. The caller owns it: plot_free()
 * (after plot_finish() or instead of it). */
plot *plot_begin(const char *scripts_dir, const char *name, char *err, size_t errlen);

/* Sets a gnuplot variable: a string (escaped) or a number (%.10g; NaN and
 * infinities become NaN, which gnuplot understands). NAME must be an identifier
 * ([A-Za-z_][A-Za-z0-9_]*); others are ignored (and make plot_finish fail). */
void plot_set_str(plot *p, const char *name, const char *value);
void plot_set_num(plot *p, const char *name, double value);

/* Opens datablock $NAME and returns a stream to write its rows into
 * (whitespace-separated numbers, one row per line). The stream stays valid until
 * the next plot_block() or plot_finish(). NULL when out of memory. */
FILE *plot_block(plot *p, const char *name);

/* Runs gnuplot and writes OUT_PATH in FORMAT ("png", "svg", "pdf", "dumb") at
 * WIDTH x HEIGHT pixels (dumb: characters, ignored sizes give 100 x 30). For
 * "dumb" the picture goes to OUT (a terminal) instead of a file and OUT_PATH is
 * ignored. Returns 0; 1 when gnuplot is not installed (nothing written); -1 with
 * a message in ERR when gnuplot failed (its exit status and first error line). */
int plot_finish(plot *p, const char *format, int width, int height, const char *out_path,
                FILE *out, char *err, size_t errlen);

/* plot_finish() for N plots PS[i] into OUT_PATHS[i] (FORMAT png, svg or pdf, not
 * dumb) in one gnuplot process: each plot after `reset session`, so nothing of
 * one leaks into the next. All or nothing: every picture is written under a
 * temporary name and renamed only when gnuplot exited with status 0 and wrote
 * each of them. Returns 0; 1 when gnuplot is not installed (nothing written);
 * -1 with a message in ERR. The plots stay the caller's (plot_free()). */
int plot_finish_all(plot *const *ps, size_t n, const char *format, int width, int height,
                    const char *const *out_paths, char *err, size_t errlen);

/* Makes plot_finish() / plot_finish_all() (with P among its plots) stop gnuplot
 * and return -1 with "interrupted" in ERR as soon as *STOP is nonzero (a signal
 * handler's flag; NULL: never). gnuplot runs in a process group of its own, so
 * the terminal's Ctrl-C reaches psusim alone, which decides what to keep. */
void plot_set_stop_flag(plot *p, const volatile sig_atomic_t *stop);

/* Frees P; plot_free(NULL) does nothing. */
void plot_free(plot *p);

/* 1 if a gnuplot executable is on PATH. */
int plot_have_gnuplot(void);

/* Writes TEXT as a gnuplot single-quoted string literal into BUF (size N):
 * quotes doubled, control characters replaced by spaces, cut to fit. Returns
 * BUF. */
char *plot_quote(const char *text, char *buf, size_t n);

#endif

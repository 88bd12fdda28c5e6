/* trace — a measured power log that drives a load instead of a model.
 *
 * Formats:
 *   "csv"         a header line, then `time_s,watts` rows.
 *   "nvidia-smi"  the CSV that `nvidia-smi --query-gpu=timestamp,power.draw
 *                 --format=csv -lms N` writes ("2025/01/31 12:00:00.125, 412.50 W"),
 *                 several GPUs interleaved: rows sharing a timestamp are one
 *                 sampling round, GPU 0 first (a header with an `index` column is
 *                 honoured too). A `power.draw.instant` column is preferred over
 *                 `power.draw`.
 *   "dmon"        what `nvidia-smi dmon -s p` prints: `# gpu pwr gtemp mtemp` and
 *                 `# Idx W C C`, then whitespace-aligned rows, one per GPU and
 *                 round (`-o DT` adds Date and Time columns, read but not used).
 *   "dcgmi"       what `dcgmi dmon -e 155` (or `-e 155,157`) prints: `#Entity
 *                 POWER` (and `POWINST`), a units line `ID W`, rows `GPU 0 250.5`.
 *                 POWINST (field 157, instant power) is preferred over POWER.
 *   "wall-meter"  a wall power meter's CSV: a header with a time column
 *                 (`time`, `timestamp`, `date`...) and a watts column (`watts`,
 *                 `power`, `W`...), other columns ignored; times in seconds or as
 *                 `YYYY-MM-DD HH:MM:SS[.fff]`. An AC-side load (on a circuit).
 * dmon and dcgmi logs have no usable timestamps: rounds are INTERVAL_S apart
 * (their -d option). Power between samples is interpolated linearly.
 *
 * Gaps. A power field that reads `[N/A]`, `[Not Supported]`, `[Unknown Error]`,
 * `[GPU is lost]` (any bracketed text; `N/A`, `-` in dmon, empty in a wall-meter
 * log), a round missing a GPU's row, and a repeated header line in an nvidia-smi
 * or wall-meter log (logs concatenated) are gaps: each is bridged linearly from
 * the GPU's last value before it to its first after it (a gap at the start or
 * the end holds the nearest value), counted, and reported (trace_gaps()). A gap
 * of more than MAX_GAP samples is an error naming its first line.
 *
 * NVML's power.draw is a ~1 s average on Ampere and later (facts.md 3, S): such a
 * log hides the millisecond spikes; power.draw.instant and DCGM's POWINST do not
 * average (trace_instant()).
 */
#ifndef PSUSIM_TRACE_H
#define PSUSIM_TRACE_H

#include <stddef.h>

enum trace_format { TRACE_CSV = 0, TRACE_NVIDIA_SMI, TRACE_DMON, TRACE_DCGMI,
                    TRACE_WALL_METER };

/* The default longest gap bridged, samples: nvidia-smi reports [N/A] for single
 * samples while the driver is busy, a dropped row or two happens under load;
 * more than a few in a row means the GPU fell off the bus or the logger stopped,
 * and a straight line over that stretch would invent the load. */
#define TRACE_MAX_GAP_DEFAULT 5

/* How a log is read (trace_load_opts()). */
struct trace_opts {
    int gpu_index;      /* nvidia-smi, dmon, dcgmi: which GPU, -1 the sum of all */
    int max_gap;        /* the longest gap bridged, samples (>= 0) */
    double interval_s;  /* dmon, dcgmi: the time between rounds, s (> 0) */
};

/* What the reader bridged. */
struct trace_gaps {
    size_t gaps;        /* gaps: runs of missing samples of a GPU, repeated headers */
    size_t samples;     /* samples missing in them (a repeated header's: the
                           sampling intervals its time step skips) */
    double longest_s;   /* the longest time bridged (last sample before a gap to
                           the first after it), s; 0 without gaps */
    long longest_line;  /* the line where that gap starts; 0 without gaps */
};

typedef struct trace trace;

/* Reads PATH with the options O. Errors as trace_load(), and a gap longer than
 * O->max_gap samples. */
trace *trace_load_opts(const char *path, enum trace_format fmt, const struct trace_opts *o,
                       char *err, size_t errlen);

/* Reads PATH (trace_load_opts() with max_gap TRACE_MAX_GAP_DEFAULT and a 1 s
 * interval). For nvidia-smi logs GPU_INDEX picks the GPU (-1: the sum of all GPUs
 * of each round). Errors go to ERR as "PATH:LINE: what was expected" (malformed
 * rows, times not increasing, negative or non-finite watts, fewer than 2 samples,
 * an unknown GPU index). The caller owns the result: trace_free(). */
trace *trace_load(const char *path, enum trace_format fmt, int gpu_index, char *err,
                  size_t errlen);

/* Frees T; trace_free(NULL) does nothing. */
void trace_free(trace *t);

/* Samples, span (last - first time), and the time-weighted mean of the
 * interpolated power over the span, W. */
size_t trace_points(const trace *t);
double trace_duration(const trace *t);
double trace_mean(const trace *t);

/* Power at time T_S counted from the first sample: linear interpolation; before
 * the start the first value; after the end the last value, or with LOOP the
 * trace repeats with period trace_duration(). *CURSOR (start at 0) makes
 * increasing T_S O(1) amortised. Allocation-free. */
double trace_at(const trace *t, double t_s, int loop, size_t *cursor);

/* The end of the straight piece of trace_at() that T_S lies in: the time of
 * the first sample after T_S (0 before the start, INFINITY after the end of a
 * trace that does not loop); trace_at() is linear in T over [T_S, end). */
double trace_segment_end(const trace *t, double t_s, int loop);

/* The gaps bridged while reading T. */
void trace_gaps(const trace *t, struct trace_gaps *g);

/* 1 if T's power is an instant reading (power.draw.instant, DCGM POWINST), 0 for
 * the ~1 s average of power.draw, dmon's pwr and DCGM's POWER; -1 for a log that
 * is not a GPU's (csv, wall-meter). */
int trace_instant(const trace *t);

/* The GPUs whose power T carries: the first round's GPU rows when they are
 * summed (gpu_index -1), else 1 (one GPU picked, a csv or wall-meter log). */
size_t trace_gpus(const trace *t);

/* "csv", "nvidia-smi", "dmon", "dcgmi", "wall-meter"; -1 for an unknown name. */
int trace_format_find(const char *name);

#endif

/* trace — a measured power log that drives a load instead of a model.
 *
 * Formats: "csv" — a header line, then `time_s,watts` rows; "nvidia-smi" — the CSV
 * that `nvidia-smi --query-gpu=timestamp,power.draw --format=csv -lms N` writes
 * ("2025/01/31 12:00:00.125, 412.50 W"), several GPUs interleaved: rows sharing a
 * timestamp are one sampling round, GPU 0 first (a header with an `index` column
 * is honoured too). Power between samples is interpolated linearly.
 *
 * NVML's power.draw is a ~1 s average on Ampere and later (facts.md 3, S): such a
 * log hides the millisecond spikes.
 */
#ifndef PSUSIM_TRACE_H
#define PSUSIM_TRACE_H

#include <stddef.h>

enum trace_format { TRACE_CSV = 0, TRACE_NVIDIA_SMI };

typedef struct trace trace;

/* Reads PATH. For nvidia-smi logs GPU_INDEX picks the GPU (-1: the sum of all GPUs
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

/* "csv", "nvidia-smi"; -1 for an unknown name. */
int trace_format_find(const char *name);

#endif

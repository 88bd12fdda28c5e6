/* csvout — timeseries.csv and events.csv.
 *
 * timeseries.csv: one row per sample interval: t_start_s, t_end_s, then for each
 * engine signal its min, mean and max over the interval (so no spike between rows
 * is lost); column names carry the unit ("circuit.wall.current_a.max").
 * With --timeseries mean a row holds only the means ("...current_a.mean"): a
 * third of the size, for long jobs.
 * events.csv: time_s, component, name, event, value, unit.
 */
#ifndef PSUSIM_CSVOUT_H
#define PSUSIM_CSVOUT_H

#include <stdio.h>

#include "engine.h"
#include "scenario.h"

/* Writes the header line of timeseries.csv for E's signals: min, mean and max
 * of each, or with MEAN_ONLY the means alone. */
void csvout_timeseries_header(FILE *out, const engine *e, int mean_only);

/* An engine_sample_fn: USER is the FILE *. Returns non-zero on a write error. */
int csvout_timeseries_row(void *user, const struct engine_sample *s);

/* The same for the means alone (the header's MEAN_ONLY). */
int csvout_timeseries_row_mean(void *user, const struct engine_sample *s);

/* Writes events.csv (header and one row per event). Returns 0, or -1 on a write
 * error. */
int csvout_events(FILE *out, const struct scenario *s, const struct engine_result *r);

#endif

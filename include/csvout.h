/* csvout — timeseries.csv and events.csv.
 *
 * timeseries.csv: one row per sample interval: t_start_s, t_end_s, then for each
 * engine signal its min, mean and max over the interval (so no spike between rows
 * is lost); column names carry the unit ("circuit.wall.current_a.max").
 * events.csv: time_s, component, name, event, value, unit.
 */
#ifndef PSUSIM_CSVOUT_H
#define PSUSIM_CSVOUT_H

#include <stdio.h>

#include "engine.h"
#include "scenario.h"

/* Writes the header line of timeseries.csv for E's signals. */
void csvout_timeseries_header(FILE *out, const engine *e);

/* An engine_sample_fn: USER is the FILE *. Returns non-zero on a write error. */
int csvout_timeseries_row(void *user, const struct engine_sample *s);

/* Writes events.csv (header and one row per event). Returns 0, or -1 on a write
 * error. */
int csvout_events(FILE *out, const struct scenario *s, const struct engine_result *r);

#endif

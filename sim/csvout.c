/* csvout — see include/csvout.h. */
#include "csvout.h"

#include "numfmt.h"

void csvout_timeseries_header(FILE *out, const engine *e, int mean_only)
{
    fputs("t_start_s,t_end_s", out);
    static const char *const stat[] = { "min", "mean", "max" };
    for (size_t k = 0; k < engine_signal_count(e); k++)
        for (int j = mean_only ? 1 : 0; j < (mean_only ? 2 : 3); j++)
            fprintf(out, ",%s.%s", engine_signal_name(e, k), stat[j]);
    fputc('\n', out);
}

/* A row is written from this buffer in pieces: fixed size, no allocation. */
enum { ROW_BUF = 4096 };

/* A row of the statistics FROM .. TO - 1 (0 min, 1 mean, 2 max) of each signal. */
static int row(FILE *out, const struct engine_sample *s, int from, int to)
{
    char buf[ROW_BUF];
    size_t n = 0;
    /* the same characters as "%.9g,%.9g" and ",%.6g,%.6g,%.6g" (numfmt.h), at a
     * fraction of printf's cost: these rows are most of a long run's time */
    n += numfmt_g(buf + n, s->t_start_s, 9);
    buf[n++] = ',';
    n += numfmt_g(buf + n, s->t_end_s, 9);
    for (size_t k = 0; k < s->n; k++) {
        if (n + 3 * (NUMFMT_LEN + 1) > ROW_BUF) {
            if (fwrite(buf, 1, n, out) != n) return 1;
            n = 0;
        }
        const double v[3] = { s->min[k], s->mean[k], s->max[k] };
        for (int j = from; j < to; j++) {
            buf[n++] = ',';
            n += numfmt_g(buf + n, v[j], 6);
        }
    }
    buf[n++] = '\n';
    return fwrite(buf, 1, n, out) != n;
}

int csvout_timeseries_row(void *user, const struct engine_sample *s)
{
    return row(user, s, 0, 3);
}

int csvout_timeseries_row_mean(void *user, const struct engine_sample *s)
{
    return row(user, s, 1, 2);
}

int csvout_events(FILE *out, const struct scenario *s, const struct engine_result *r)
{
    fputs("time_s,component,name,event,value,unit\n", out);
    for (size_t k = 0; k < r->n_events; k++) {
        const struct engine_event *e = &r->events[k];
        int on_circuit = engine_event_is_circuit(e->kind);
        fprintf(out, "%.9g,%s,%s,%s,%.6g,%s\n", e->t_s, on_circuit ? "circuit" : "psu",
                on_circuit ? s->circuits[e->index].name : s->psus[e->index].name,
                engine_event_name(e->kind), e->value,
                e->kind == EV_BROWNOUT || e->kind == EV_INPUT_LOST ? "V" : "A");
    }
    return ferror(out) ? -1 : 0;
}

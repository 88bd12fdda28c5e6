/* csvout — see include/csvout.h. */
#include "csvout.h"

void csvout_timeseries_header(FILE *out, const engine *e)
{
    fputs("t_start_s,t_end_s", out);
    static const char *const stat[] = { "min", "mean", "max" };
    for (size_t k = 0; k < engine_signal_count(e); k++)
        for (int j = 0; j < 3; j++)
            fprintf(out, ",%s.%s", engine_signal_name(e, k), stat[j]);
    fputc('\n', out);
}

int csvout_timeseries_row(void *user, const struct engine_sample *s)
{
    FILE *out = user;
    fprintf(out, "%.9g,%.9g", s->t_start_s, s->t_end_s);
    for (size_t k = 0; k < s->n; k++)
        fprintf(out, ",%.6g,%.6g,%.6g", s->min[k], s->mean[k], s->max[k]);
    return fputc('\n', out) == EOF;
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

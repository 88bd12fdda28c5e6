/* report — see include/report.h. */
#include "report.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "cpu.h"
#include "gpu.h"
#include "trace.h"

/* ================================================================== text == */

const char *report_link_name(const struct scenario *s, const struct link *l)
{
    switch (l->kind) {
    case LINK_CIRCUIT:
    case LINK_BREAKER:
    case LINK_CONTINUOUS:
    case LINK_OUTLET:
    case LINK_CORD:
    case LINK_RECEPTACLE:
    case LINK_WIRING:
    case LINK_RCD: return s->circuits[l->index].name;
    case LINK_STRIP: return s->strips[l->index].name;
    case LINK_PSU:
    case LINK_INLET: return s->psus[l->index].name;
    case LINK_CONNECTOR: return s->loads[l->index].name;
    case LINK_UPS: return s->upses[l->index].name;
    case LINK_PANEL: return s->panels[l->index / 4].name;
    case LINK_NEUTRAL: return s->panels[l->index].name;
    }
    return "?";
}

const char *report_link_title(const struct scenario *s, const struct link *l, char *buf,
                              size_t n)
{
    static const char *const label[] = { "circuit voltage", "breaker", "continuous load",
                                         "psu", "outlet", "connector", "cord-and-plug",
                                         "receptacle", "inlet", "wiring", "rcd", "ups", "strip",
                                         "panel", "neutral of panel" };
    if (l->kind == LINK_PANEL)    /* "panel main L1" */
        snprintf(buf, n, "panel %s %s", report_link_name(s, l),
                 scenario_phase_name((int)(l->index % 4)));
    else
        snprintf(buf, n, "%s %s", label[l->kind], report_link_name(s, l));
    return buf;
}

/* TEXT on OUT wrapped at ST's width (0: as it is), the lines after the first
 * indented by INDENT; a word longer than a line is cut. */
static void put_wrapped(FILE *out, const struct report_style *st, int indent, const char *text)
{
    int width = st ? st->width : 0;
    if (width <= indent + 10) {
        fprintf(out, "%s\n", text);
        return;
    }
    int col = 0, start = 1;   /* start: nothing on this line yet (after the indent) */
    const char *p = text;
    for (; *p == ' '; p++, col++) fputc(' ', out);   /* the text's own indent */
    while (*p) {
        size_t w = strcspn(p, " ");
        if (!start && col + 1 + (int)w > width) {
            fprintf(out, "\n%*s", indent, "");
            col = indent;
            start = 1;
        }
        if (!start) {
            fputc(' ', out);
            col++;
        }
        while ((int)w > width - col) {   /* a word longer than the line: cut */
            int fit = width - col;
            fprintf(out, "%.*s\n%*s", fit, p, indent, "");
            p += fit;
            w -= (size_t)fit;
            col = indent;
        }
        fprintf(out, "%.*s", (int)w, p);
        col += (int)w;
        start = 0;
        p += w;
        while (*p == ' ') p++;
    }
    fputc('\n', out);
}

/* A printf-formatted line through put_wrapped. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void put_line(FILE *out, const struct report_style *st, int indent, const char *fmt, ...)
{
    char line[2 * LINK_TEXT_LEN + SCN_PATH_LEN + 256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    put_wrapped(out, st, indent, line);
}

/* A verdict word padded to WIDTH, coloured on a terminal (ST->color): FAIL red,
 * MARGINAL yellow, PASS green (ECMA-48 SGR 31, 33, 32). */
static void put_verdict(FILE *out, const struct report_style *st, enum verdict v, int width)
{
    static const char *const sgr[] = { "32", "", "33", "31" };   /* by enum verdict */
    const char *name = verdict_name(v);
    if (st && st->color && sgr[v][0]) fprintf(out, "\033[1;%sm%s\033[0m", sgr[v], name);
    else fputs(name, out);
    int pad = width - (int)strlen(name);
    if (pad > 0) fprintf(out, "%*s", pad, "");
}

/* The margin of L as the table shows it: the share of the limit left unused. */
static const char *margin_text(const struct link *l, char *buf, size_t n)
{
    double m = 100 * (1 - l->used);
    if (isfinite(m)) snprintf(buf, n, "%.0f %%", fabs(m) < 0.5 ? 0.0 : m);
    else snprintf(buf, n, "-");
    return buf;
}

/* UPS U's battery runtime at the run's mean output (ups.h: Peukert) and its
 * transfer against each of its PSUs' hold-up, as a line of text in BUF. */
static void ups_line(const struct scenario *s, const struct engine_result *r, size_t u,
                     char *buf, size_t n)
{
    const struct scn_ups *su = &s->upses[u];
    const struct engine_ups_result *ur = &r->ups[u];
    double rt = verdict_ups_runtime_s(s, r, u);
    const struct ups_battery *b = &su->battery;
    int len;
    if (rt > 0 && isfinite(rt))
        len = snprintf(buf, n, "runtime on battery at the mean output %.0f W: %.1f min (Peukert "
                       "k = %.2f, %s)", ur->mean_out_w, rt / 60,
                       b->t_full_s > 0 ? ups_peukert_from_points(b->t_half_s, b->t_full_s)
                                       : b->peukert,
                       b->t_full_s > 0 ? "from the runtimes at half and full load"
                                       : "from the battery's energy and the inverter's efficiency");
    else
        len = snprintf(buf, n, "runtime on battery: %s", rt > 0 ? "no load"
                       : "battery not known (give runtime_half and runtime_full)");
    size_t at = len > 0 ? (size_t)len : 0;
    int w = snprintf(buf + at, n > at ? n - at : 0, "; transfer %.0f ms", su->transfer_s * 1e3);
    if (w > 0) at += (size_t)w;
    for (size_t j = 0; j < s->n_psus && at < n; j++) {
        if (s->psus[j].ups_index != (long)u) continue;
        double h = r->psus[j].holdup_s;
        w = snprintf(buf + at, n - at, ", psu %s hold-up %.1f ms: %s", s->psus[j].name, h * 1e3,
                     h >= su->transfer_s ? "rides through" : "drops out");
        if (w > 0) at += (size_t)w;
    }
}

/* The length of L's line in the wide table. */
static int wide_len(const struct scenario *s, const struct link *l)
{
    char title[SCN_NAME_LEN + 32], margin[32];
    report_link_title(s, l, title, sizeof title);
    margin_text(l, margin, sizeof margin);
    int t = (int)strlen(title), m = (int)strlen(margin), f = (int)strlen(l->figure);
    return (t > 26 ? t : 26) + 1 + 9 + 1 + (m > 7 ? m : 7) + 2 + (f > 46 ? f : 46) + 1
           + (int)strlen(l->limit);
}

/* The verdict table: one line per link (wide), or, when that does not fit ST's
 * width, the link, verdict and margin on a line and the figure and the limit
 * wrapped under it. */
static void put_table(FILE *out, const struct scenario *s, const struct verdict_report *v,
                      const struct report_style *st)
{
    int wide = !st || st->width <= 0;
    if (!wide) {
        int longest = 0;
        for (size_t i = 0; i < v->n; i++) {
            int len = wide_len(s, &v->links[i]);
            if (len > longest) longest = len;
        }
        wide = longest <= st->width;
    }
    char title[SCN_NAME_LEN + 32], margin[32];
    if (wide)
        fprintf(out, "%-26s %-9s %7s  %-46s %s\n", "link", "verdict", "margin", "figure",
                "limit");
    else
        fprintf(out, "%-26s %-9s %7s\n", "link", "verdict", "margin");
    for (size_t i = 0; i < v->n; i++) {
        const struct link *l = &v->links[i];
        fprintf(out, "%-26s ", report_link_title(s, l, title, sizeof title));
        put_verdict(out, st, l->verdict, 9);
        fprintf(out, " %7s", margin_text(l, margin, sizeof margin));
        if (wide) {
            fprintf(out, "  %-46s %s\n", l->figure, l->limit);
        } else {
            fputc('\n', out);
            put_line(out, st, 4, "    %s", l->figure);
            put_line(out, st, 4, "    limit: %s", l->limit);
        }
    }
}

void report_text(FILE *out, const struct scenario *s, const struct engine_result *r,
                 const struct verdict_report *v, const struct report_style *st)
{
    const struct scn_scenario *sc = &s->sc;
    put_line(out, st, 2, "psusim %s - %s", PSUSIM_VERSION, sc->name);
    put_line(out, st, 2, "%s: %.6g s simulated at %.3g us steps (%zu steps), seed %llu, %s "
             "solver", s->path, r->simulated_s, sc->step_s * 1e6, r->n_steps,
             (unsigned long long)sc->seed, sc->solver == SCN_SOLVER_FIXED ? "fixed" : "stride");
    fputc('\n', out);
    /* the answer in words first (answer.h), then the table that backs it */
    char words[ANSWER_LEN];
    if (answer_text(s, r, v, words, sizeof words) > 0) {
        for (char *line = words, *nl; *line; line = nl + 1) {
            nl = strchr(line, '\n');
            if (!nl) break;
            *nl = '\0';
            put_wrapped(out, st, 0, line);
        }
        fputc('\n', out);
    }
    put_table(out, s, v, st);
    char title[SCN_NAME_LEN + 32], edges[256];
    for (size_t c = 0; c < s->n_circuits; c++) {
        const struct engine_circuit_result *cr = &r->circuits[c];
        edges[0] = '\0';
        for (int e = 0; e < BREAKER_EDGE_COUNT; e++) {
            size_t len = strlen(edges);
            if (cr->edge_trip[e] != BREAKER_CLOSED)
                snprintf(edges + len, sizeof edges - len, "  %s %.3f s",
                         breaker_edge_name((enum breaker_edge)e), cr->edge_trip_time_s[e]);
            else
                snprintf(edges + len, sizeof edges - len, "  %s holds (%.0f %%)",
                         breaker_edge_name((enum breaker_edge)e), 100 * cr->edge_max_heat[e]);
        }
        put_line(out, st, 2, "%s %s trip times by tolerance edge:%s%s",
                 s->circuits[c].curve->standard, s->circuits[c].name, edges,
                 s->circuits[c].tolerance == BREAKER_FAST ? ""
                 : "  [simulated: the circuit's tolerance edge]");
    }
    /* what the edges are (breaker.c): no maker's curve in numbers was found for
     * the nominal, so it must not read as one (issue 13, 3) */
    if (s->n_circuits > 0)
        put_line(out, st, 1, "(fast and slow: the earliest and latest trip the standard allows; "
                 "nominal: the middle of that band, not a maker's curve)");
    /* the verdict line, wrapped; its verdict word coloured */
    char line[2 * LINK_TEXT_LEN + SCN_NAME_LEN + 160], *wrapped = NULL;
    const char *word = verdict_name(v->overall);
    int n = snprintf(line, sizeof line, "verdict: %s", word);
    if (v->first_fail >= 0) {
        const struct link *l = &v->links[v->first_fail];
        n += snprintf(line + n, sizeof line - (size_t)n, " - first: %s: %s",
                      report_link_title(s, l, title, sizeof title), l->figure);
        if (!isnan(l->fail_time_s))
            snprintf(line + n, sizeof line - (size_t)n, " at t = %.3f s", l->fail_time_s);
        else
            snprintf(line + n, sizeof line - (size_t)n, " (judged over the run)");
    }
    size_t len = 0;
    FILE *mem = open_memstream(&wrapped, &len);
    if (mem) {
        put_wrapped(mem, st, 2, line);
        if (fclose(mem) != 0) wrapped = NULL;
    }
    fputs("\nverdict: ", out);
    put_verdict(out, st, v->overall, 0);
    fputs((wrapped ? wrapped : line) + 9 + strlen(word), out);
    if (!wrapped) fputc('\n', out);
    free(wrapped);
    for (size_t k = 0; k < r->n_events; k++) {
        const struct engine_event *e = &r->events[k];
        int on_circuit = engine_event_is_circuit(e->kind);
        put_line(out, st, 2, "event: t = %.4f s  %s %s: %s", e->t_s,
                 on_circuit ? "circuit" : "psu",
                 on_circuit ? s->circuits[e->index].name : s->psus[e->index].name,
                 engine_event_name(e->kind));
    }
    for (size_t i = 0; i < s->n_loads; i++) {
        char msg[512];
        if (report_trace_warning(&s->loads[i], msg, sizeof msg))
            put_line(out, st, 2, "note: %s", msg);
        if (report_trace_gaps(&s->loads[i], msg, sizeof msg))
            put_line(out, st, 2, "note: %s", msg);
    }
    {
        char msg[320];
        if (report_platform_warning(s, msg, sizeof msg)) put_line(out, st, 2, "note: %s", msg);
    }
    for (size_t u = 0; u < s->n_ups; u++) {
        char msg[400];
        if (verdict_ups_waveform_warning(s, u, msg, sizeof msg))
            put_line(out, st, 2, "note: %s", msg);
        ups_line(s, r, u, msg, sizeof msg);
        put_line(out, st, 2, "ups %s: %s", s->upses[u].name, msg);
    }
    for (size_t c = 0; c < s->n_circuits; c++)
        if (r->circuits[c].extrapolated) {
            put_line(out, st, 2, "note: %.6g s simulated of a %.6g s job: the breakers' heat is "
                     "carried on to the job's end at each circuit's highest sustained "
                     "current (breaker lines say whether it had settled)",
                     r->simulated_s, s->sc.job_s);
            break;
        }
    struct report_heat h;
    report_heat(s, r, &h);
    if (h.cut)
        put_line(out, st, 2, "note: the run ended early at %.4g s (%s): energy, heat and the "
                 "job projection below are the live draw until then", h.cut_s, h.why);
    char cost[128] = "";
    if (s->sc.tariff_per_kwh > 0)
        snprintf(cost, sizeof cost, ", %.2f %s at %g %s/kWh", h.job_cost, s->sc.currency,
                 s->sc.tariff_per_kwh, s->sc.currency);
    put_line(out, st, 2, "energy: %.3f kWh over %.6g s%s; heat into the room %.0f W (%.0f "
             "BTU/h); job of %.3g h: %.3g kWh%s", r->energy_j / 3.6e6,
             h.cut ? h.cut_s : r->simulated_s, h.cut ? " live" : "", h.heat_w, h.heat_btu_h,
             s->sc.job_s / 3600, h.job_kwh, cost);
}

/* ================================================================ notes == */

int report_trace_warning(const struct scn_load *l, char *buf, size_t n)
{
    /* NVML's power.draw is a ~1 s average on Ampere and later (facts.md 3, S);
     * power.draw.instant and DCGM's POWINST are not (trace.h): no warning */
    if (l->kind != SCN_TRACE) return 0;
    /* transients = typical / worst: the spikes put back (engine.c, trace loads) */
    const char *spikes = l->transients == GPU_TR_WORST
                         ? "; worst-case spikes modelled on top (all GPUs together, full "
                           "amplitude)"
                         : "; typical spikes modelled on top";
    const char *data = " from the GPU model's spike classes (Igor's Lab RTX 5090 bins, "
                       "facts.md 3), scaled to the log's level, the log's average kept";
    if (l->transients != GPU_TR_OFF && l->instant != 0) {
        snprintf(buf, n, "trace %s: %s%s%s", l->name,
                 l->instant > 0 ? "an instant-power log (its spikes are in it)"
                                : "a csv log (taken as a ~1 s average)",
                 spikes, data);
        return 1;
    }
    if (l->instant != 0) return 0;
    const char *what = l->trace_format == TRACE_DMON
        ? "an nvidia-smi dmon log: pwr is a ~1 s average on recent GPUs"
        : l->trace_format == TRACE_DCGMI
        ? "a dcgmi log: POWER (field 155) is a ~1 s average on recent GPUs"
        : "an nvidia-smi log: power.draw is a ~1 s average on recent GPUs";
    if (l->transients != GPU_TR_OFF)
        snprintf(buf, n, "trace %s is %s%s%s", l->name, what, spikes, data);
    else
        snprintf(buf, n, "trace %s is %s and hides millisecond spikes%s (transients = "
                 "typical models them)", l->name, what,
                 l->trace_format == TRACE_DCGMI ? " (POWINST, -e 157, does not)" : "");
    return 1;
}

int report_trace_gaps(const struct scn_load *l, char *buf, size_t n)
{
    if (l->kind != SCN_TRACE || l->gaps == 0) return 0;
    snprintf(buf, n, "trace %s: %zu gap(s) bridged in its log (%zu sample(s) missing; the "
             "longest %.3f s, from line %ld), each a straight line (max_gap %d)", l->name,
             l->gaps, l->gap_samples, l->longest_gap_s, l->longest_gap_line, l->max_gap);
    return 1;
}

int report_platform_warning(const struct scenario *s, char *buf, size_t n)
{
    int has_gpu = 0, has_cpu = 0, platform = 0;
    for (size_t i = 0; i < s->n_loads; i++) {
        const struct scn_load *l = &s->loads[i];
        has_gpu |= l->kind == SCN_GPU;
        has_cpu |= l->kind == SCN_CPU;
        platform |= l->kind == SCN_LOAD && !l->on_circuit;
    }
    if (!has_gpu || !has_cpu || platform) return 0;
    snprintf(buf, n, "the rig has GPUs and a CPU but no [load] behind a PSU: the board, "
             "RAM, drives, fans and pumps draw too (about 75-150 W); add one, e.g. "
             "`preset = platform-desktop` (psusim presets load)");
    return 1;
}

/* ================================================================== heat == */

void report_heat(const struct scenario *s, const struct engine_result *r,
                 struct report_heat *h)
{
    /* Everything drawn from the wall ends up as heat in the room: the loads' power
     * and the PSUs' losses alike. 1 W = 3.412142 BTU/h (IT definition). */
    h->heat_w = 0;
    h->cut = 0;
    h->cut_s = NAN;
    h->why[0] = '\0';
    for (size_t c = 0; c < s->n_circuits; c++) {
        const struct engine_circuit_result *cr = &r->circuits[c];
        if (cr->judged_s > 0) h->heat_w += cr->judged_energy_j / cr->judged_s;
        if (isnan(cr->judged_end_s) || cr->judged_end_s >= r->simulated_s
            || (h->cut && cr->judged_end_s >= h->cut_s))
            continue;
        h->cut = 1;
        h->cut_s = cr->judged_end_s;
        int fuse = s->circuits[c].curve->model == BREAKER_MODEL_FUSE;
        if (cr->judged_end_cause == EV_PANEL_TRIP)
            snprintf(h->why, sizeof h->why, "panel %s's main opened",
                     s->panels[cr->panel_off].name);
        else if (engine_event_is_circuit(cr->judged_end_cause))
            snprintf(h->why, sizeof h->why, "%s %s %s", fuse ? "fuse" : "breaker",
                     s->circuits[c].name, fuse ? "blew" : "tripped");
        else
            snprintf(h->why, sizeof h->why, "psu %s shut down (%s)",
                     s->psus[cr->judged_end_index].name,
                     engine_event_name(cr->judged_end_cause));
    }
    h->heat_btu_h = h->heat_w * 3.412142;
    h->job_kwh = h->heat_w * s->sc.job_s / 3.6e6;
    h->job_cost = h->job_kwh * s->sc.tariff_per_kwh;
}

/* ============================================================== Markdown == */

/* Text from a scenario in a Markdown table cell: '|' and newlines would break
 * the table, '<' could start HTML. */
static void md_text(FILE *out, const char *text)
{
    for (const char *p = text; *p; p++) {
        if (*p == '|' || *p == '<' || *p == '>' || *p == '`' || *p == '*' || *p == '_'
            || *p == '[' || *p == ']')
            fputc('\\', out);
        fputc(*p == '\n' || *p == '\r' ? ' ' : *p, out);
    }
}

/* Text from a scenario in running Markdown (md_text), then END. */
static void md_say(FILE *out, const char *text, const char *end)
{
    md_text(out, text);
    fputs(end, out);
}

/* The answer's lines (answer.h) as Markdown paragraphs. */
static void md_paragraphs(FILE *out, const char *lines)
{
    for (const char *p = lines; *p;) {
        size_t len = strcspn(p, "\n");
        char line[ANSWER_LEN];
        snprintf(line, sizeof line, "%.*s", (int)len, p);
        md_say(out, line, "\n\n");
        p += len;
        if (*p == '\n') p++;
    }
}

/* A load's unit, its count and power, for the parts list. */
static void md_load(FILE *out, const struct scenario *s, const struct engine_result *r, size_t i)
{
    const struct scn_load *l = &s->loads[i];
    fprintf(out, "| %s ", scenario_kind_name((enum scn_kind)l->kind));
    md_text(out, l->name);
    fputs(" | ", out);
    if (l->preset[0]) {
        fputs("preset ", out);
        md_say(out, l->preset, ", ");
    }
    switch (l->kind) {
    case SCN_GPU:
        fprintf(out, "%g W rated, power limit %g W, %s workload", l->rated_w, l->limit_w,
                gpu_workload_name((enum gpu_workload)l->workload));
        break;
    case SCN_CPU:
        fprintf(out, "PL1 %g W, PL2 %g W (package), %s load", l->pl1_w, l->pl2_w,
                cpu_profile_name((enum cpu_profile)l->cpu_load));
        break;
    case SCN_TRACE:
        fputs("measured power log ", out);
        md_say(out, l->file, "");
        break;
    default:
        fprintf(out, "%g W", l->power_w);
        if (l->on_circuit) fprintf(out, " at power factor %.2f", l->pf);
        if (l->period_s > 0) fprintf(out, ", on %g s of every %g s", l->on_s, l->period_s);
    }
    fprintf(out, " | %d | %s ", l->count, l->on_circuit ? "circuit" : "psu");
    md_text(out, l->on_circuit ? l->circuit : l->psu);
    fprintf(out, " | %.0f W | %.0f W |\n", r->loads[i].mean_w, r->loads[i].peak_w);
}

/* The parts list: circuits with their breakers, PSUs, and every load. */
static void md_parts(FILE *out, const struct scenario *s, const struct engine_result *r)
{
    fputs("## The rig\n\n| part | what | count | fed from | mean | peak |\n"
          "|---|---|---|---|---|---|\n", out);
    for (size_t c = 0; c < s->n_circuits; c++) {
        const struct scn_circuit *sc = &s->circuits[c];
        fputs("| circuit ", out);
        md_text(out, sc->name);
        fprintf(out, " | %g V %g Hz, wiring %.3g ohm", sc->voltage_v, sc->frequency_hz,
                sc->wire_ohm);
        if (sc->wire_gauge[0]) {
            fprintf(out, " (%g m of ", sc->wire_length_m);
            md_say(out, sc->wire_gauge, ")");
        }
        fprintf(out, "; breaker %g A %s, continuous limit %.2f A", sc->breaker_a,
                sc->curve->standard, sc->continuous_a);
        if (sc->continuous_rule[0]) {
            fputs(" (", out);
            md_say(out, sc->continuous_rule, ")");
        }
        fprintf(out, " | 1 | the wall | %.2f A | %.1f A |\n", r->circuits[c].mean_current_a,
                r->circuits[c].peak_current_a);
    }
    for (size_t j = 0; j < s->n_psus; j++) {
        const struct scn_psu *sp = &s->psus[j];
        fputs("| psu ", out);
        md_text(out, sp->name);
        fputs(" | ", out);
        if (sp->preset[0]) {
            fputs("preset ", out);
            md_say(out, sp->preset, ", ");
        }
        fprintf(out, "%g W rated", sp->rating_nominal_w);
        if (sp->params.rating_w != sp->rating_nominal_w)
            fprintf(out, " (%g W at this voltage)", sp->params.rating_w);
        fputs(", efficiency ", out);
        md_text(out, sp->efficiency);
        fprintf(out, ", %s | 1 | circuit ", sp->atx == SCN_ATX_30   ? "ATX 3.0"
                                           : sp->atx == SCN_ATX_31 ? "ATX 3.1"
                                                                   : "not ATX 3.x");
        md_text(out, sp->circuit);
        fprintf(out, " | %.0f W DC | %.0f W DC |\n", r->psus[j].mean_dc_w, r->psus[j].peak_dc_w);
    }
    for (size_t i = 0; i < s->n_loads; i++) md_load(out, s, r, i);
    fputs("\nMean and peak: over the simulated run, all units of a line together (a circuit: "
          "its current; a PSU: its DC output).\n\n", out);
}

void report_markdown(FILE *out, const struct scenario *s, const struct engine_result *r,
                     const struct verdict_report *v, const struct figures_out *figs,
                     const char *note, const char *timeseries)
{
    size_t n = figs ? figs->n : 0;
    char title[SCN_NAME_LEN + 32];
    fputs("# ", out);
    md_text(out, s->sc.name);
    fprintf(out, "\n\npsusim %s report on the scenario ", PSUSIM_VERSION);
    md_text(out, s->path);
    fprintf(out, ": %.6g s simulated at %.3g us steps, seed %llu.\n\n", r->simulated_s,
            s->sc.step_s * 1e6, (unsigned long long)s->sc.seed);
    if (s->sc.description[0]) md_say(out, s->sc.description, "\n\n");
    fprintf(out, "## Verdict: %s\n\n", verdict_name(v->overall));
    char words[ANSWER_LEN];
    if (answer_questions(s, r, v, words, sizeof words) > 0) md_paragraphs(out, words);
    if (v->first_fail >= 0) {
        const struct link *l = &v->links[v->first_fail];
        fprintf(out, "First failure: **%s**: ", report_link_title(s, l, title, sizeof title));
        md_text(out, l->figure);
        if (!isnan(l->fail_time_s))
            fprintf(out, " at t = %.3f s.\n\n", l->fail_time_s);
        else
            fputs(" (judged over the run).\n\n", out);
    }
    /* what to change: answer.c's fix (the figures to shed), and recommend for the
     * levers, each simulated. recommend is not run here: it simulates every
     * lever, about 20 runs' time for the seed rig (0.96 s against 0.05 s). */
    fputs("## Recommendation\n\n", out);
    const char *file = s->path[0] == '(' ? "rig.ini (saved by psusim quick ... --print > rig.ini)"
                                         : s->path;
    if (answer_fix(s, r, v, words, sizeof words) > 0)
        md_paragraphs(out, words);
    else if (v->overall == VERDICT_MARGINAL) {
        /* plain text, not a code span: md_text's escapes would show in one */
        fputs("Nothing fails, but a link has less than 10 % margin: psusim recommend ", out);
        md_text(out, file);
        fputs(" finds the smallest change that gives every link a PASS.\n\n", out);
    } else
        fputs("Nothing to change: every link passes with at least 10 % margin.\n\n", out);
    md_parts(out, s, r);
    fputs("## Every link\n\n| link | verdict | margin | figure | limit |\n"
          "|---|---|---|---|---|\n", out);
    for (size_t i = 0; i < v->n; i++) {
        const struct link *l = &v->links[i];
        char margin[32];
        fprintf(out, "| %s | %s | %s | ", report_link_title(s, l, title, sizeof title),
                verdict_name(l->verdict), margin_text(l, margin, sizeof margin));
        md_say(out, l->figure, " | ");
        md_say(out, l->limit, " |\n");
    }
    fputs("\nMargin: the share of the link's limit left unused (negative: over it).\n", out);
    fputs("\n## Key figures\n\n", out);
    for (size_t c = 0; c < s->n_circuits; c++) {
        const struct scn_circuit *sc = &s->circuits[c];
        const struct engine_circuit_result *cr = &r->circuits[c];
        fputs("* Circuit **", out);
        md_text(out, sc->name);
        fprintf(out, "**: %g V (%g V simulated), %g A %s, mean %.2f A, peak %.1f A, lowest "
                "%.1f V, breaker heat up to %.0f %% of its trip point. Trip times by "
                "tolerance edge:", sc->voltage_v, sc->source_v, sc->breaker_a,
                sc->curve->standard, cr->mean_current_a, cr->peak_current_a,
                cr->min_voltage_v, 100 * cr->max_heat);
        for (int e = 0; e < BREAKER_EDGE_COUNT; e++) {
            fprintf(out, "%s %s", e ? "," : "", breaker_edge_name((enum breaker_edge)e));
            if (cr->edge_trip[e] != BREAKER_CLOSED)
                fprintf(out, " trips at %.3f s", cr->edge_trip_time_s[e]);
            else
                fputs(" holds", out);
        }
        fputs(" (fast and slow: the earliest and latest trip the standard allows; nominal: "
              "the middle of that band, not a maker's curve).\n", out);
    }
    for (size_t j = 0; j < s->n_psus; j++) {
        const struct scn_psu *sp = &s->psus[j];
        const struct engine_psu_result *pr = &r->psus[j];
        fputs("* PSU **", out);
        md_text(out, sp->name);
        fprintf(out, "**: %.0f W rated, mean %.0f W DC / %.0f W AC (efficiency "
                "%.1f %%), highest 1 s load %.0f W, hold-up %.1f ms, lowest bulk %.0f V%s.\n",
                sp->params.rating_w, pr->mean_dc_w, pr->mean_ac_w,
                pr->energy_ac_j > 0 ? 100 * pr->energy_dc_j / pr->energy_ac_j : 0.0,
                pr->window_max_w[ENGINE_N_WINDOWS - 1], pr->holdup_s * 1e3, pr->min_bulk_v,
                pr->shutdown ? ", shut down" : "");
    }
    struct report_heat h;
    report_heat(s, r, &h);
    if (h.cut)
        fprintf(out, "* The run ended early at %.4g s (%s): energy, heat and the job projection "
                "are the live draw until then.\n", h.cut_s, h.why);
    fprintf(out, "* Energy %.3f kWh over the run; heat into the room %.0f W (%.0f BTU/h); "
            "a job of %.3g h: %.3g kWh", r->energy_j / 3.6e6, h.heat_w, h.heat_btu_h,
            s->sc.job_s / 3600, h.job_kwh);
    if (s->sc.tariff_per_kwh > 0)
        fprintf(out, ", %.2f %s", h.job_cost, s->sc.currency);
    fputs(".\n", out);
    if (r->n_events) {
        fputs("\n## Events\n\n| time (s) | component | event |\n|---|---|---|\n", out);
        for (size_t k = 0; k < r->n_events; k++) {
            const struct engine_event *e = &r->events[k];
            int on_circuit = engine_event_is_circuit(e->kind);
            fprintf(out, "| %.4f | %s ", e->t_s, on_circuit ? "circuit" : "psu");
            md_text(out, on_circuit ? s->circuits[e->index].name : s->psus[e->index].name);
            fprintf(out, " | %s |\n", engine_event_name(e->kind));
        }
    }
    if (n) fputs("\n## Plots\n", out);
    for (size_t i = 0; i < n; i++) {
        fputs("\n### ", out);
        md_text(out, figs->titles[i]);
        fputs("\n\n![", out);
        md_text(out, figs->titles[i]);
        fprintf(out, "](%s)\n", figs->files[i]);
    }
    if (note) fprintf(out, "\n%s\n", note);
    const char *ts = strcmp(timeseries, "none") == 0   ? ""
                     : strcmp(timeseries, "mean") == 0 ? ", `timeseries.csv` (mean per sample)"
                                                       : ", `timeseries.csv` (min/mean/max per "
                                                         "sample)";
    fprintf(out, "\n---\nFiles: `summary.json` (machine summary)%s, `events.csv`.\n", ts);
}

/* ================================================================== JSON == */

static json_t *num_or_null(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

/* Adds KEY = VALUE to OBJ; a NULL value (out of memory) marks FAILED. */
static void put(json_t *obj, const char *key, json_t *value, int *failed)
{
    if (!value || json_object_set_new(obj, key, value) != 0) *failed = 1;
}

static enum verdict circuit_verdict(const struct scenario *s, const struct verdict_report *v,
                                    size_t c)
{
    enum verdict w = VERDICT_PASS;
    for (size_t i = 0; i < v->n; i++)
        if (v->links[i].kind != LINK_UPS && verdict_link_circuit(s, &v->links[i]) == (long)c
            && v->links[i].verdict > w)
            w = v->links[i].verdict;
    return w;
}

static const struct link *find_link(const struct verdict_report *v, enum link_kind k,
                                    size_t index)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->links[i].kind == k && v->links[i].index == index) return &v->links[i];
    return NULL;
}

/* The scenario's settings and the solver's counts ("scenario"). */
static void put_scenario(json_t *root, const struct scenario *s, const struct engine_result *r,
                         int *failed)
{
    json_t *sc = json_object();
    put(root, "scenario", sc, failed);
    if (sc) {
        put(sc, "name", json_string(s->sc.name), failed);
        put(sc, "file", json_string(s->path), failed);
        put(sc, "duration_s", json_real(s->sc.duration_s), failed);
        put(sc, "step_s", json_real(s->sc.step_s), failed);
        put(sc, "job_s", json_real(s->sc.job_s), failed);
        put(sc, "sample_s", json_real(s->sc.sample_s), failed);
        put(sc, "seed", json_integer((json_int_t)s->sc.seed), failed);
        put(sc, "ambient_c", num_or_null(s->sc.ambient_c), failed);
        put(sc, "rng", json_string("gsl_rng_mt19937"), failed);
        put(sc, "steps", json_integer((json_int_t)r->n_steps), failed);
        put(sc, "solver", json_string(s->sc.solver == SCN_SOLVER_FIXED ? "fixed" : "stride"),
            failed);
        put(sc, "strides", json_integer((json_int_t)r->n_strides), failed);
        put(sc, "single_steps", json_integer((json_int_t)r->n_single), failed);
        put(sc, "chain_pieces", json_integer((json_int_t)r->n_pieces), failed);
        put(sc, "clocks", json_integer((json_int_t)r->n_clocks), failed);
    }
}

/* The first link to fail, or null ("first_failure"). */
static void put_first_failure(json_t *root, const struct scenario *s,
                              const struct verdict_report *v, int *failed)
{
    json_t *ff = json_null();
    if (v->first_fail >= 0) {
        const struct link *l = &v->links[v->first_fail];
        json_decref(ff);
        ff = json_object();
        if (ff) {
            put(ff, "link", json_string(link_kind_name(l->kind)), failed);
            put(ff, "name", json_string(report_link_name(s, l)), failed);
            put(ff, "time_s", num_or_null(l->fail_time_s), failed);
            put(ff, "figure", json_string(l->figure), failed);
        }
    }
    put(root, "first_failure", ff, failed);
}

/* Every link's verdict ("links"). */
static void put_links(json_t *root, const struct scenario *s, const struct verdict_report *v,
                      int *failed)
{
    json_t *links = json_array();
    put(root, "links", links, failed);
    for (size_t i = 0; links && i < v->n; i++) {
        const struct link *l = &v->links[i];
        json_t *o = json_object();
        if (!o || json_array_append_new(links, o) != 0) { *failed = 1; break; }
        put(o, "link", json_string(link_kind_name(l->kind)), failed);
        put(o, "name", json_string(report_link_name(s, l)), failed);
        put(o, "verdict", json_string(verdict_json_name(l->verdict)), failed);
        put(o, "used", num_or_null(l->used), failed);
        put(o, "figure", json_string(l->figure), failed);
        put(o, "limit", json_string(l->limit), failed);
        put(o, "fail_time_s", num_or_null(l->fail_time_s), failed);
    }
}

/* Circuit C's figures, limits and trips into O. */
static void put_circuit(json_t *o, const struct scenario *s, const struct engine_result *r,
                        const struct verdict_report *v, size_t c, int *failed)
{
    const struct scn_circuit *sc2 = &s->circuits[c];
    const struct engine_circuit_result *cr = &r->circuits[c];
    put(o, "name", json_string(sc2->name), failed);
    put(o, "voltage_v", json_real(sc2->voltage_v), failed);
    put(o, "source_v", json_real(sc2->source_v), failed);
    put(o, "frequency_hz", json_real(sc2->frequency_hz), failed);
    put(o, "breaker_a", json_real(sc2->breaker_a), failed);
    put(o, "curve", json_string(sc2->curve->name), failed);
    put(o, "wire_resistance_ohm", json_real(sc2->wire_ohm), failed);
    put(o, "voltage_drop_pct",
        json_real(100 * (1 - cr->min_voltage_v / sc2->source_v)), failed);
    put(o, "tolerance", json_string(breaker_edge_name((enum breaker_edge)sc2->tolerance)),
        failed);
    put(o, "outlet_limit_a", sc2->outlet_limit_a > 0 ? json_real(sc2->outlet_limit_a)
                                                     : json_null(), failed);
    json_t *edges = json_object();
    put(o, "edges", edges, failed);
    for (int e = 0; edges && e < BREAKER_EDGE_COUNT; e++) {
        json_t *eo = json_object();
        put(edges, breaker_edge_name((enum breaker_edge)e), eo, failed);
        if (!eo) break;
        put(eo, "tripped", json_boolean(cr->edge_trip[e] != BREAKER_CLOSED), failed);
        put(eo, "trip_time_s", num_or_null(cr->edge_trip_time_s[e]), failed);
        put(eo, "max_heat", json_real(cr->edge_max_heat[e]), failed);
        put(eo, "job_max_heat", cr->extrapolated ? json_real(cr->extrap_max_heat[e])
                                                 : json_null(), failed);
        put(eo, "job_trip_time_s", cr->extrapolated ? num_or_null(cr->extrap_trip_s[e])
                                                    : json_null(), failed);
    }
    put(o, "continuous_limit_a", json_real(sc2->continuous_a), failed);
    put(o, "mean_current_a", json_real(cr->mean_current_a), failed);
    put(o, "live_s", json_real(cr->live_s), failed);
    put(o, "extrapolated", json_boolean(cr->extrapolated), failed);
    put(o, "judged_s", json_real(cr->judged_s), failed);
    put(o, "judged_until_s", num_or_null(cr->judged_end_s), failed);
    put(o, "sustained_a", json_real(cr->sustained_a), failed);
    put(o, "sustained_rig_a", json_real(cr->sustained_rig_a), failed);
    put(o, "sustained_window_s", json_real(cr->sustained_window_s), failed);
    put(o, "cord_and_plug_limit_a", sc2->cord_plug_frac > 0
            ? json_real(sc2->cord_plug_frac * sc2->breaker_a) : json_null(), failed);
    put(o, "receptacle_a", sc2->receptacle_a > 0 ? json_real(sc2->receptacle_a)
                                                 : json_null(), failed);
    put(o, "peak_current_a", json_real(cr->peak_current_a), failed);
    put(o, "peak_halfcycle_a", json_real(cr->peak_halfcycle_a), failed);
    put(o, "peak_load_current_a", json_real(cr->peak_load_current_a), failed);
    put(o, "min_voltage_v", json_real(cr->min_voltage_v), failed);
    put(o, "max_heat", json_real(cr->max_heat), failed);
    put(o, "tripped", json_boolean(cr->trip != BREAKER_CLOSED), failed);
    put(o, "trip_time_s", cr->trip != BREAKER_CLOSED ? json_real(cr->trip_time_s)
                                                     : json_null(), failed);
    put(o, "trip_cause", cr->trip == BREAKER_THERMAL    ? json_string("thermal")
                         : cr->trip == BREAKER_MAGNETIC ? json_string("magnetic")
                                                        : json_null(), failed);
    put(o, "collapsed", json_boolean(cr->collapsed), failed);
    const struct link *cl = find_link(v, LINK_CONTINUOUS, c);
    put(o, "continuous_ok", cl && cl->verdict == VERDICT_NA
                                ? json_null()   /* not judged to the end */
                                : json_boolean(cl && cl->verdict != VERDICT_FAIL),
        failed);
    put(o, "energy_kwh", json_real(cr->energy_j / 3.6e6), failed);
    put(o, "wire_loss_j", json_real(cr->wire_loss_j), failed);
    put(o, "verdict", json_string(verdict_json_name(circuit_verdict(s, v, c))), failed);
}

/* PSU J's figures, protections and excursion windows into O. */
static void put_psu(json_t *o, const struct scenario *s, const struct engine_result *r,
                    const struct verdict_report *v, size_t j, int *failed)
{
    const struct scn_psu *sp = &s->psus[j];
    const struct engine_psu_result *pr = &r->psus[j];
    const struct link *pl = find_link(v, LINK_PSU, j);
    put(o, "name", json_string(sp->name), failed);
    put(o, "circuit", json_string(sp->circuit), failed);
    put(o, "rating_w", json_real(sp->params.rating_w), failed);
    put(o, "rating_nominal_w", json_real(sp->rating_nominal_w), failed);
    put(o, "input_1s_a", json_real(pr->input_1s_a), failed);
    put(o, "input_full_a", json_real(pr->input_full_a), failed);
    put(o, "inlet_limit_a", sp->inlet_limit_a > 0 ? json_real(sp->inlet_limit_a)
                                                  : json_null(), failed);
    put(o, "efficiency", json_string(sp->efficiency), failed);
    put(o, "live_s", json_real(pr->live_s), failed);
    put(o, "mean_dc_w", json_real(pr->mean_dc_w), failed);
    put(o, "peak_dc_w", json_real(pr->peak_dc_w), failed);
    put(o, "mean_ac_w", json_real(pr->mean_ac_w), failed);
    put(o, "mean_efficiency", pr->energy_ac_j > 0
            ? json_real(pr->energy_dc_j / pr->energy_ac_j) : json_null(), failed);
    put(o, "shutdown", json_boolean(pr->shutdown), failed);
    put(o, "shutdown_time_s", pr->shutdown ? json_real(pr->shutdown_time_s)
                                           : json_null(), failed);
    put(o, "shutdown_cause", pr->shutdown
            ? json_string(engine_event_name(pr->shutdown_cause)) : json_null(), failed);
    put(o, "excursion_time_s", num_or_null(pr->excursion_time_s), failed);
    put(o, "atx", json_string(sp->atx == SCN_ATX_30 ? "3.0"
                              : sp->atx == SCN_ATX_31 ? "3.1" : "none"), failed);
    put(o, "opp_w", json_real(sp->opp_frac * sp->params.rating_w), failed);
    put(o, "opp_max_w", json_real(pr->opp_max_w), failed);
    put(o, "job_opp_max_w", num_or_null(pr->job_opp_max_w), failed);
    put(o, "evt_blocks", json_integer((json_int_t)pr->evt_blocks), failed);
    put(o, "holdup_ms", json_real(pr->holdup_s * 1e3), failed);
    put(o, "min_bulk_v", json_real(pr->min_bulk_v), failed);
    put(o, "heat_w", json_real(pr->mean_ac_w - pr->mean_dc_w), failed);
    json_t *ex = json_array();
    put(o, "excursions", ex, failed);
    for (int k = 0; ex && k < ENGINE_N_WINDOWS; k++) {
        json_t *w = json_object();
        if (!w || json_array_append_new(ex, w) != 0) { *failed = 1; break; }
        put(w, "window_s", json_real(engine_windows_s[k]), failed);
        put(w, "max_avg_w", json_real(pr->window_max_w[k]), failed);
        put(w, "limit_w", num_or_null(pr->window_limit_w[k]), failed);
        put(w, "job_max_avg_w", num_or_null(pr->job_window_max_w[k]), failed);
    }
    put(o, "verdict", json_string(verdict_json_name(pl ? pl->verdict : VERDICT_PASS)),
        failed);
}

/* Load I's powers (and a trace's bridged gaps) into O. */
static void put_load(json_t *o, const struct scenario *s, const struct engine_result *r,
                     size_t i, int *failed)
{
    const struct scn_load *sl = &s->loads[i];
    put(o, "name", json_string(sl->name), failed);
    put(o, "kind", json_string(scenario_kind_name((enum scn_kind)sl->kind)), failed);
    put(o, "side", json_string(sl->on_circuit ? "ac" : "dc"), failed);
    put(o, "on", json_string(sl->on_circuit ? sl->circuit : sl->psu), failed);
    put(o, "count", json_integer(sl->count), failed);
    put(o, "mean_w", json_real(r->loads[i].mean_w), failed);
    put(o, "peak_w", json_real(r->loads[i].peak_w), failed);
    json_t *wm = json_object();
    put(o, "window_max_w", wm, failed);
    for (int k = 0; wm && k < ENGINE_N_LOAD_WINDOWS; k++) {
        char key[32];
        snprintf(key, sizeof key, "%g", engine_load_windows_s[k]);
        put(wm, key, num_or_null(r->loads[i].window_max_w[k]), failed);
    }
    if (sl->connector_limit_w > 0) {
        put(o, "connector_limit_w", json_real(sl->connector_limit_w), failed);
        put(o, "connector_max_w", json_real(r->loads[i].connector_max_w), failed);
    }
    if (sl->kind == SCN_TRACE) {
        /* what the trace reader bridged (trace.h) */
        put(o, "gaps", json_integer((json_int_t)sl->gaps), failed);
        put(o, "gap_samples", json_integer((json_int_t)sl->gap_samples), failed);
        put(o, "longest_gap_s", json_real(sl->longest_gap_s), failed);
        put(o, "longest_gap_line", json_integer(sl->longest_gap_line), failed);
        put(o, "power_reading", json_string(sl->instant > 0 ? "instant"
                                            : sl->instant == 0 ? "average" : "meter"),
            failed);
        /* modelled spikes on top of the log (engine.c, trace loads) */
        put(o, "transients", json_string(sl->transients == GPU_TR_WORST ? "worst"
                                         : sl->transients == GPU_TR_TYPICAL ? "typical"
                                         : "none"), failed);
    }
}

/* The run's events ("events") and warnings ("warnings"). */
static void put_events(json_t *root, const struct scenario *s, const struct engine_result *r,
                       int *failed)
{
    json_t *events = json_array();
    put(root, "events", events, failed);
    for (size_t k = 0; events && k < r->n_events; k++) {
        const struct engine_event *e = &r->events[k];
        int on_circuit = engine_event_is_circuit(e->kind);
        json_t *o = json_object();
        if (!o || json_array_append_new(events, o) != 0) { *failed = 1; break; }
        put(o, "time_s", json_real(e->t_s), failed);
        put(o, "event", json_string(engine_event_name(e->kind)), failed);
        put(o, "component", json_string(on_circuit ? "circuit" : "psu"), failed);
        put(o, "name", json_string(on_circuit ? s->circuits[e->index].name
                                              : s->psus[e->index].name), failed);
    }
    json_t *warn = json_array();
    put(root, "warnings", warn, failed);
    for (size_t i = 0; warn && i < s->n_loads; i++) {
        char msg[256];
        if (report_trace_warning(&s->loads[i], msg, sizeof msg)
            && json_array_append_new(warn, json_string(msg)) != 0)
            *failed = 1;
        if (report_trace_gaps(&s->loads[i], msg, sizeof msg)
            && json_array_append_new(warn, json_string(msg)) != 0)
            *failed = 1;
    }
    {
        char msg[320];
        if (warn && report_platform_warning(s, msg, sizeof msg)
            && json_array_append_new(warn, json_string(msg)) != 0)
            *failed = 1;
    }
    for (size_t u = 0; warn && u < s->n_ups; u++) {
        char msg[400];
        if (verdict_ups_waveform_warning(s, u, msg, sizeof msg)
            && json_array_append_new(warn, json_string(msg)) != 0)
            *failed = 1;
    }
}

/* The UPSs (issue 18, 1): loads, overload, shutdown, battery and transfer. */
static void put_ups(json_t *root, const struct scenario *s, const struct engine_result *r,
                    const struct verdict_report *v, int *failed)
{
    if (s->n_ups > 0) {
        json_t *ups = json_array();
        put(root, "ups", ups, failed);
        for (size_t u = 0; ups && u < s->n_ups; u++) {
            const struct scn_ups *su = &s->upses[u];
            const struct engine_ups_result *ur = &r->ups[u];
            const struct link *ul = find_link(v, LINK_UPS, u);
            json_t *o = json_object();
            if (!o || json_array_append_new(ups, o) != 0) { *failed = 1; break; }
            put(o, "name", json_string(su->name), failed);
            put(o, "circuit", json_string(su->circuit), failed);
            put(o, "topology", json_string(ups_topology_name(su->topology)), failed);
            put(o, "rating_va", json_real(su->rating_va), failed);
            put(o, "rating_w", json_real(su->rating_w), failed);
            put(o, "mean_out_w", json_real(ur->mean_out_w), failed);
            put(o, "mean_in_w", json_real(ur->mean_in_w), failed);
            put(o, "mean_load", json_real(ur->mean_load), failed);
            put(o, "peak_load", json_real(ur->peak_load), failed);
            put(o, "max_overload", json_real(ur->max_overload), failed);
            put(o, "over_s", json_real(ur->over_s), failed);
            put(o, "shutdown", json_boolean(ur->shutdown), failed);
            put(o, "shutdown_time_s", num_or_null(ur->shutdown_time_s), failed);
            put(o, "shutdown_cause", !ur->shutdown ? json_null()
                : json_string(ur->shutdown_overload ? "overload" : "battery empty"), failed);
            put(o, "overload_time_at_peak_s",
                num_or_null(ups_overload_time(&su->overload, ur->peak_load)), failed);
            put(o, "on_battery", json_boolean(ur->on_battery), failed);
            put(o, "battery_time_s", num_or_null(ur->battery_time_s), failed);
            put(o, "battery_used", json_real(ur->battery_used), failed);
            double rt = verdict_ups_runtime_s(s, r, u);
            put(o, "runtime_s", rt > 0 ? num_or_null(rt) : json_null(), failed);
            put(o, "transfer_s", json_real(su->transfer_s), failed);
            put(o, "transfer_dropped", json_integer((json_int_t)ur->transfer_dropped), failed);
            json_t *ride = json_object();
            put(o, "rides_through", ride, failed);
            for (size_t j = 0; ride && j < s->n_psus; j++)
                if (s->psus[j].ups_index == (long)u)
                    put(ride, s->psus[j].name,
                        json_boolean(r->psus[j].holdup_s >= su->transfer_s), failed);
            put(o, "verdict", json_string(verdict_json_name(ul ? ul->verdict : VERDICT_PASS)),
                failed);
        }
    }
}


/* A panel line's or neutral's currents (A) and its link's verdict (L NULL: n/a). */
static void put_currents(json_t *o, double peak, double mean, double final, double sustained,
                         const struct link *l, int *failed)
{
    put(o, "peak_a", json_real(peak), failed);
    put(o, "mean_a", json_real(mean), failed);
    put(o, "final_a", json_real(final), failed);
    put(o, "sustained_a", json_real(sustained), failed);
    put(o, "verdict", json_string(verdict_json_name(l ? l->verdict : VERDICT_NA)), failed);
}

/* The panels: each line's and the neutral's figures and verdicts ("panels"). */
static void put_panels(json_t *root, const struct scenario *s, const struct engine_result *r,
                       const struct verdict_report *v, int *failed)
{
    if (s->n_panels == 0) return;
    json_t *arr = json_array();
    put(root, "panels", arr, failed);
    for (size_t p = 0; arr && p < s->n_panels; p++) {
        const struct scn_panel *sp = &s->panels[p];
        const struct engine_panel_result *pr = &r->panels[p];
        json_t *o = json_object(), *lines = json_object();
        if (!o || json_array_append_new(arr, o) != 0) { *failed = 1; json_decref(lines); break; }
        put(o, "name", json_string(sp->name), failed);
        put(o, "system", json_string(scenario_system_name(sp->system)), failed);
        put(o, "voltage_v", json_real(sp->voltage_v), failed);
        put(o, "main_a", json_real(sp->main_a), failed);
        put(o, "curve", json_string(sp->curve->name), failed);
        put(o, "fed_from", sp->parent_index >= 0
                               ? json_string(s->panels[sp->parent_index].name) : json_null(),
            failed);
        put(o, "lines", lines, failed);
        for (int k = 0; lines && k < pr->n_lines; k++) {
            const struct engine_panel_line *pl = &pr->line[k];
            const struct link *l = find_link(v, LINK_PANEL, 4 * p + (size_t)k);
            json_t *lo = json_object();
            put(lines, scenario_phase_name(k), lo, failed);
            if (!lo) break;
            put_currents(lo, pl->peak_a, pl->mean_a, pl->final_a, pl->sustained_a, l, failed);
            put(lo, "max_heat", json_real(pl->max_heat), failed);
            put(lo, "tripped", json_boolean(pl->trip != BREAKER_CLOSED), failed);
            put(lo, "trip_time_s", num_or_null(pl->trip_time_s), failed);
        }
        if (pr->has_neutral) {
            const struct link *l = find_link(v, LINK_NEUTRAL, p);
            json_t *no = json_object();
            put(o, "neutral", no, failed);
            if (!no) continue;
            put(no, "rating_a", json_real(sp->neutral_a), failed);
            put_currents(no, pr->neutral_peak_a, pr->neutral_mean_a, pr->neutral_final_a,
                         pr->neutral_sustained_a, l, failed);
        }
    }
}

/* Energy, heat into the room, and the job's cost. */
static void put_energy(json_t *root, const struct scenario *s, const struct engine_result *r,
                       int *failed)
{
    put(root, "energy_kwh", json_real(r->energy_j / 3.6e6), failed);
    struct report_heat h;
    report_heat(s, r, &h);
    put(root, "heat_w", json_real(h.heat_w), failed);
    put(root, "ended_early", json_boolean(h.cut), failed);
    put(root, "ended_early_s", num_or_null(h.cut_s), failed);
    put(root, "ended_early_why", h.cut ? json_string(h.why) : json_null(), failed);
    put(root, "heat_btu_h", json_real(h.heat_btu_h), failed);
    put(root, "job_energy_kwh", json_real(h.job_kwh), failed);
    json_t *cost = json_null();
    if (s->sc.tariff_per_kwh > 0) {
        json_decref(cost);
        cost = json_object();
        if (cost) {
            put(cost, "amount", json_real(h.job_cost), failed);
            put(cost, "currency", json_string(s->sc.currency), failed);
            put(cost, "tariff_per_kwh", json_real(s->sc.tariff_per_kwh), failed);
        }
    }
    put(root, "cost", cost, failed);
}

json_t *report_json(const struct scenario *s, const struct engine_result *r,
                    const struct verdict_report *v)
{
    int failed = 0;
    json_t *root = json_object();
    if (!root) return NULL;
    put(root, "psusim_version", json_string(PSUSIM_VERSION), &failed);
    put(root, "complete", json_true(), &failed);
    put_scenario(root, s, r, &failed);
    put(root, "verdict", json_string(verdict_json_name(v->overall)), &failed);
    put_first_failure(root, s, v, &failed);
    put_links(root, s, v, &failed);

    json_t *circuits = json_array();
    put(root, "circuits", circuits, &failed);
    for (size_t c = 0; circuits && c < s->n_circuits; c++) {
        json_t *o = json_object();
        if (!o || json_array_append_new(circuits, o) != 0) { failed = 1; break; }
        put_circuit(o, s, r, v, c, &failed);
    }
    json_t *psus = json_array();
    put(root, "psus", psus, &failed);
    for (size_t j = 0; psus && j < s->n_psus; j++) {
        json_t *o = json_object();
        if (!o || json_array_append_new(psus, o) != 0) { failed = 1; break; }
        put_psu(o, s, r, v, j, &failed);
    }
    json_t *loads = json_array();
    put(root, "loads", loads, &failed);
    for (size_t i = 0; loads && i < s->n_loads; i++) {
        json_t *o = json_object();
        if (!o || json_array_append_new(loads, o) != 0) { failed = 1; break; }
        put_load(o, s, r, i, &failed);
    }
    put_events(root, s, r, &failed);
    put_ups(root, s, r, v, &failed);
    put_panels(root, s, r, v, &failed);
    put_energy(root, s, r, &failed);
    if (failed) {
        json_decref(root);
        return NULL;
    }
    return root;
}

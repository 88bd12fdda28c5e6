/* answer — see include/answer.h. */
#include "answer.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "breaker.h"
#include "report.h"

/* Appends a printf-formatted text to BUF (N bytes, NUL-terminated). */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void add(char *buf, size_t n, const char *fmt, ...)
{
    size_t len = strlen(buf);
    if (len + 1 >= n) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, n - len, fmt, ap);
    va_end(ap);
}

/* A duration the way people say it: "45 s", "18 min", "8-hour" (ADJ: as an
 * adjective, "an 8-hour job"). */
static void say_time(char *out, size_t n, double s, int adj)
{
    if (s < 120) snprintf(out, n, adj ? "%.0f-second" : "%.3g s", s);
    else if (s < 2 * 3600) snprintf(out, n, adj ? "%.0f-minute" : "%.0f min", s / 60);
    else snprintf(out, n, adj ? "%.3g-hour" : "%.3g h", s / 3600);
}

/* 1 if "an" goes before the spoken time T ("an 8-hour", "an 11-hour", "an 18-minute"). */
static int an_hour(const char *t)
{
    return t[0] == '8' || (t[0] == '1' && (t[1] == '1' || t[1] == '8') && t[2] == '-');
}

/* The worst of the links of the kinds in KINDS (N_KINDS of them), or NULL when
 * the run has none; ties: the first. */
static const struct link *worst(const struct verdict_report *v, const enum link_kind *kinds,
                                size_t n_kinds)
{
    const struct link *w = NULL;
    for (size_t i = 0; i < v->n; i++)
        for (size_t k = 0; k < n_kinds; k++)
            if (v->links[i].kind == kinds[k] && (!w || v->links[i].verdict > w->verdict))
                w = &v->links[i];
    return w;
}

/* "Will it trip?": the breakers (or fuses). */
static void trip_sentence(const struct scenario *s, const struct engine_result *r,
                          const struct link *l, char *buf, size_t n)
{
    const struct scn_circuit *c = &s->circuits[l->index];
    int fuse = c->curve && c->curve->model == BREAKER_MODEL_FUSE;
    const char *part = fuse ? "fuse on circuit" : "breaker on circuit";
    char when[32];
    add(buf, n, "Will it %s? ", fuse ? "blow" : "trip");
    switch (l->verdict) {
    case VERDICT_FAIL:
        if (isfinite(l->fail_time_s) && l->fail_time_s > r->simulated_s) {
            say_time(when, sizeof when, l->fail_time_s, 0);
            add(buf, n, "Yes: carried on over the job, the %s %s %s after about %s.", part,
                c->name, fuse ? "blows" : "trips", when);
        } else if (isfinite(l->fail_time_s)) {
            say_time(when, sizeof when, l->fail_time_s, 0);
            add(buf, n, "Yes: the %s %s %s at %s (%s).", part, c->name,
                fuse ? "blows" : "trips", when,
                r->circuits[l->index].trip == BREAKER_MAGNETIC ? "magnetic: a current peak"
                                                               : "thermal");
        } else {
            add(buf, n, "Yes: the %s %s %s.", part, c->name, fuse ? "blows" : "trips");
        }
        break;
    case VERDICT_MARGINAL:
        add(buf, n, "No, but nearly: the %s %s reaches %.0f %% of its trip point.", part,
            c->name, 100 * l->used);
        break;
    case VERDICT_NA:
        add(buf, n, "Not judged to the end (see the %s line below).", part);
        break;
    default:
        if (isfinite(l->used))
            add(buf, n, "No: the %s %s reaches at most %.0f %% of its trip point.", part,
                c->name, 100 * l->used);
        else
            add(buf, n, "No.");
    }
    add(buf, n, "\n");
}

/* "Will it trip?" when a panel's main opens first (issue 18, 6: the first node
 * to fail named): L is its line's link. */
static void panel_trip_sentence(const struct scenario *s, const struct link *l, char *buf,
                                size_t n)
{
    const struct scn_panel *p = &s->panels[l->index / 4];
    int fuse = p->curve->model == BREAKER_MODEL_FUSE;
    char when[48];
    if (l->fail_time_s < 600) snprintf(when, sizeof when, "%.4g s", l->fail_time_s);
    else say_time(when, sizeof when, l->fail_time_s, 0);
    add(buf, n, "Will it %s? Yes: the main %s of panel %s %s on %s at %s, before any "
        "circuit's own %s; every circuit on %s goes dead with it.\n", fuse ? "blow" : "trip",
        fuse ? "fuse" : "breaker", p->name, fuse ? "blows" : "trips",
        scenario_phase_name((int)(l->index % 4)), when, fuse ? "device" : "breaker",
        scenario_phase_name((int)(l->index % 4)));
}

/* "Is it allowed?": the code rules of the circuit (continuous load, one
 * cord-and-plug item, an outlet's or a receptacle's rating). */
static void rule_sentence(const struct scenario *s, const struct engine_result *r,
                          const struct verdict_report *v, const struct link *l, char *buf,
                          size_t n)
{
    const struct scn_circuit *c = &s->circuits[l->index];
    const struct engine_circuit_result *cr = &r->circuits[l->index];
    size_t failing = 0;
    for (size_t i = 0; i < v->n; i++)
        failing += v->links[i].verdict == VERDICT_FAIL
                   && (v->links[i].kind == LINK_CONTINUOUS || v->links[i].kind == LINK_CORD
                       || v->links[i].kind == LINK_OUTLET || v->links[i].kind == LINK_RECEPTACLE);
    add(buf, n, "Is it allowed? ");
    if (l->verdict == VERDICT_PASS || l->verdict == VERDICT_MARGINAL) {
        add(buf, n, "%s: the rig stays within this circuit's rules (continuous load, plug "
            "and outlet)%s.\n", l->verdict == VERDICT_PASS ? "Yes" : "Yes, barely",
            l->verdict == VERDICT_PASS ? "" : "; the margin is small");
        return;
    }
    if (l->verdict == VERDICT_NA) {
        add(buf, n, "Not judged to the end (see the table).\n");
        return;
    }
    if (l->kind == LINK_CONTINUOUS) {
        char job[32];
        say_time(job, sizeof job, s->sc.job_s, 1);
        add(buf, n, "No: %s %s job may use %.2f A of this %g A circuit (%s) and the rig "
            "draws %.2f A", an_hour(job) ? "an" : "a",
            job, c->continuous_a, c->breaker_a, c->continuous_rule, cr->sustained_a);
    } else {
        char title[SCN_NAME_LEN + 32];
        add(buf, n, "No: %s: %s; the limit is %s", report_link_title(s, l, title, sizeof title),
            l->figure, l->limit);
    }
    add(buf, n, "%s.\n", failing > 1 ? " (and another rule fails: see the table)" : "");
}

/* "Fix:": what must change, in figures, and where to find the cheapest way. */
static void fix_sentence(const struct scenario *s, const struct engine_result *r,
                         const struct link *rule, const struct link *brk,
                         const struct link *supply, char *buf, size_t n)
{
    const char *file = s->path[0] == '(' ? "rig.ini (saved by psusim quick ... --print > rig.ini)"
                                         : s->path;
    add(buf, n, "Fix: ");
    const struct link *circ = rule && rule->verdict == VERDICT_FAIL ? rule
                              : brk && brk->verdict == VERDICT_FAIL ? brk : NULL;
    if (circ) {
        const struct scn_circuit *c = &s->circuits[circ->index];
        const struct engine_circuit_result *cr = &r->circuits[circ->index];
        if (circ == brk && cr->trip == BREAKER_MAGNETIC) {
            add(buf, n, "a current peak (inrush or a spike) reaches the breaker's magnetic "
                "trip: a slower curve (C instead of B), or power-on staggered. ");
        } else {
            /* the current to shed: down to the failing rule's limit, or for a
             * thermal trip alone to the breaker's rating, which it carries
             * indefinitely (UL 489, IEC 60898-1: no trip at In) */
            double limit = circ != rule ? c->breaker_a
                           : rule->kind == LINK_CONTINUOUS ? c->continuous_a
                           : isfinite(rule->used) && rule->used > 0
                               ? cr->sustained_rig_a / rule->used : c->breaker_a;
            double drawn = circ == rule && rule->kind != LINK_CONTINUOUS ? cr->sustained_rig_a
                                                                         : cr->sustained_a;
            double cut = drawn - limit;
            if (cut > 0)
                add(buf, n, "this circuit must carry %.2f A less (about %.0f W at the wall): a "
                    "lower GPU power limit, fewer cards, or a circuit with more room. ", cut,
                    cut * c->voltage_v);
        }
    } else if (supply && supply->verdict == VERDICT_FAIL) {
        add(buf, n, "a power supply with more headroom (this one: %s), or a lower GPU "
            "power limit. ", supply->limit);
    } else {
        for (size_t u = 0; u < s->n_ups; u++)
            if (r->ups[u].shutdown && r->ups[u].shutdown_overload) {
                add(buf, n, "a UPS rated above the rig's peak (%.0f W, %.0f VA) with room "
                    "for its overload curve, or the rig on the wall. ", r->ups[u].peak_out_w,
                    r->ups[u].peak_out_va);
                break;
            }
    }
    add(buf, n, "psusim recommend %s finds the smallest change that passes.\n", file);
}

/* The links answer_questions() and answer_fix() speak of: the worst breaker,
 * the worst code rule, the worst PSU. */
struct answer_links {
    const struct link *brk, *rule, *supply;
};

static struct answer_links links_of(const struct verdict_report *v)
{
    static const enum link_kind breakers[] = { LINK_BREAKER };
    static const enum link_kind rules[] = { LINK_CONTINUOUS, LINK_CORD, LINK_OUTLET,
                                            LINK_RECEPTACLE };
    static const enum link_kind psus[] = { LINK_PSU };
    struct answer_links a = { worst(v, breakers, 1), worst(v, rules, 4), worst(v, psus, 1) };
    return a;
}

int answer_questions(const struct scenario *s, const struct engine_result *r,
                     const struct verdict_report *v, char *buf, size_t n)
{
    struct answer_links a = links_of(v);
    const struct link *main = NULL;
    int sentences = 0;
    buf[0] = '\0';
    /* a panel's main that opens before every circuit's breaker speaks first */
    for (size_t i = 0; i < v->n; i++) {
        const struct link *l = &v->links[i];
        if (l->kind == LINK_PANEL && l->verdict == VERDICT_FAIL && isfinite(l->fail_time_s)
            && l->fail_time_s <= s->sc.duration_s
            && (!main || l->fail_time_s < main->fail_time_s)
            && !(a.brk && a.brk->verdict == VERDICT_FAIL && a.brk->fail_time_s < l->fail_time_s))
            main = l;
    }
    if (main) {
        panel_trip_sentence(s, main, buf, n);
        sentences++;
    } else if (a.brk) {
        trip_sentence(s, r, a.brk, buf, n);
        sentences++;
    }
    if (a.rule) {
        rule_sentence(s, r, v, a.rule, buf, n);
        sentences++;
    }
    if (a.supply && a.supply->verdict == VERDICT_FAIL) {
        add(buf, n, "Will the power supply hold? No: psu %s: %s, against %s.\n",
            s->psus[a.supply->index].name, a.supply->figure, a.supply->limit);
        sentences++;
    }
    /* the links the sentences above do not speak for: a UPS, a strip, the
     * wiring, an RCD, an inlet, a connector, the voltage (a FAIL there must not
     * read as "all is well" above the table) */
    for (size_t i = 0; i < v->n; i++) {
        const struct link *l = &v->links[i];
        if (l->verdict != VERDICT_FAIL || l == main || l->kind == LINK_BREAKER
            || l->kind == LINK_PSU || l->kind == LINK_CONTINUOUS || l->kind == LINK_CORD || l->kind == LINK_OUTLET
            || l->kind == LINK_RECEPTACLE)
            continue;
        char title[SCN_NAME_LEN + 32];
        add(buf, n, "Will the %s hold? No: %s; the limit is %s.\n",
            report_link_title(s, l, title, sizeof title), l->figure, l->limit);
        sentences++;
    }
    return sentences;
}

int answer_fix(const struct scenario *s, const struct engine_result *r,
               const struct verdict_report *v, char *buf, size_t n)
{
    struct answer_links a = links_of(v);
    buf[0] = '\0';
    if (v->overall != VERDICT_FAIL) return 0;
    fix_sentence(s, r, a.rule, a.brk, a.supply, buf, n);
    return 1;
}

int answer_text(const struct scenario *s, const struct engine_result *r,
                const struct verdict_report *v, char *buf, size_t n)
{
    int sentences = answer_questions(s, r, v, buf, n);
    size_t len = strlen(buf);
    return sentences + answer_fix(s, r, v, buf + len, n - len);
}

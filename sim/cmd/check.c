/* check — psusim check FILE [--json]: read and validate the scenario only. */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "cmd.h"
#include "diag.h"
#include "scenario.h"

/* check --json: {"file", "ok", "problems": [...], and for a scenario that loads
 * its parts and times}; the messages also go to stderr as without --json. */
static int check_json(const struct cli *c)
{
    struct diag *d = NULL;
    struct scenario *s = NULL;
    int rc = cli_load_with(c, &s, &d);
    if (rc == EXIT_IO) return rc;
    if (rc == EXIT_PASS) {
        /* the bounds' refusal (its message on stderr), as a problem like the others */
        rc = cli_check_limits(c, s);
        if (rc != EXIT_PASS) diag_add(d, "%s: the work is over the limits (see the message)",
                                      c->file);
    }
    cli_print_diag(d);
    json_t *j = json_object(), *pj = json_array();
    json_object_set_new(j, "file", json_string(c->file));
    json_object_set_new(j, "ok", json_boolean(rc == EXIT_PASS));
    for (size_t i = 0; i < d->n; i++) json_array_append_new(pj, json_string(d->msg[i]));
    json_object_set_new(j, "problems", pj);
    json_object_set_new(j, "problems_total", json_integer((json_int_t)diag_total(d)));
    if (s) {
        json_object_set_new(j, "circuits", json_integer((json_int_t)s->n_circuits));
        json_object_set_new(j, "psus", json_integer((json_int_t)s->n_psus));
        json_object_set_new(j, "loads", json_integer((json_int_t)s->n_loads));
        json_object_set_new(j, "duration_s", json_real(s->sc.duration_s));
        json_object_set_new(j, "step_s", json_real(s->sc.step_s));
        json_object_set_new(j, "job_s", json_real(s->sc.job_s));
    }
    json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    fputc('\n', stdout);
    json_decref(j);
    scenario_free(s);
    free(d);
    if (fflush(stdout) != 0) return EXIT_IO;
    return rc;
}

int cmd_check(const struct cli *c)
{
    if (c->json) return check_json(c);
    struct scenario *s = NULL;
    int rc = cli_load(c, &s);
    if (rc != EXIT_PASS) return rc;
    if ((rc = cli_check_limits(c, s)) != EXIT_PASS) {
        scenario_free(s);
        return rc;
    }
    if (!c->quiet) {
        printf("%s: OK - %zu circuit%s, %zu PSU%s, %zu load%s", c->file, s->n_circuits,
               s->n_circuits == 1 ? "" : "s", s->n_psus, s->n_psus == 1 ? "" : "s",
               s->n_loads, s->n_loads == 1 ? "" : "s");
        if (s->n_ups) printf(", %zu UPS%s", s->n_ups, s->n_ups == 1 ? "" : "s");
        if (s->n_strips) printf(", %zu strip%s", s->n_strips, s->n_strips == 1 ? "" : "s");
        printf("; %g s at %g us steps\n", s->sc.duration_s, s->sc.step_s * 1e6);
    }
    scenario_free(s);
    return EXIT_PASS;
}

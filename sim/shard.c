/* shard — see include/shard.h. */
#include "shard.h"

#include <jansson.h>

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char FORMAT[] = "psusim-shard";
static const int VERSION = 1;

/* ================================================================== spec == */

int shard_parse(const char *text, struct shard_spec *sp, char *err, size_t errlen)
{
    char *end;
    const char *slash = text ? strchr(text, '/') : NULL;
    if (!slash || text[0] < '0' || text[0] > '9' || slash[1] < '0' || slash[1] > '9') {
        snprintf(err, errlen, "--shard takes K/N, shard K of N (e.g. 3/8); got: %s",
                 text ? text : "(nothing)");
        return -1;
    }
    errno = 0;
    unsigned long k = strtoul(text, &end, 10);
    if (end != slash) k = 0;
    unsigned long n = strtoul(slash + 1, &end, 10);
    if (*end || errno || k < 1 || n < 1 || k > n || n > SHARD_MAX) {
        snprintf(err, errlen, "--shard takes K/N with 1 <= K <= N <= %d (e.g. 3/8); got: %s",
                 SHARD_MAX, text);
        return -1;
    }
    sp->k = k;
    sp->n = n;
    return 0;
}

int shard_mine(const struct shard_spec *sp, size_t index)
{
    return !sp || sp->n == 0 || index % sp->n == sp->k - 1;
}

/* ================================================================= write == */

/* A double as JSON: non-finite numbers (NAN: "none") as null. */
static json_t *num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static int set(json_t *obj, const char *key, json_t *v)
{
    return v ? json_object_set_new(obj, key, v) : -1;
}

static json_t *strings(const char *const *s, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, json_string(s[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *item_json(size_t index, const struct sweep_outcome *q, const double *pfail)
{
    json_t *e = json_object();
    int bad = !e;
    bad |= set(e, "index", json_integer((json_int_t)index));
    bad |= set(e, "ok", json_boolean(q->ok));
    bad |= set(e, "verdict", json_string(verdict_json_name(q->verdict)));
    bad |= set(e, "tripped", json_boolean(q->tripped));
    bad |= set(e, "shutdown", json_boolean(q->shutdown));
    bad |= set(e, "rule_failed", json_boolean(q->rule_failed));
    bad |= set(e, "max_heat", num(q->max_heat));
    bad |= set(e, "mean_current_a", num(q->mean_current_a));
    bad |= set(e, "peak_current_a", num(q->peak_current_a));
    bad |= set(e, "worst_used", num(q->worst_used));
    bad |= set(e, "first_fail_s", num(q->first_fail_s));
    if (pfail) bad |= set(e, "p_fail", num(*pfail));
    if (bad) {
        json_decref(e);
        return NULL;
    }
    return e;
}

int shard_write(FILE *fp, const struct shard_job *job, const struct sweep_outcome *o,
                const double *pfail)
{
    json_t *root = json_object(), *items = json_array();
    int bad = !root || !items;
    bad |= set(root, "format", json_string(FORMAT));
    bad |= set(root, "version", json_integer(VERSION));
    bad |= set(root, "command", json_string(job->command));
    bad |= set(root, "file", json_string(job->file));
    bad |= set(root, "sets", strings(job->sets, job->n_sets));
    bad |= set(root, "vary", strings(job->vary, job->n_vary));
    bad |= set(root, "runs", json_integer((json_int_t)job->runs));
    bad |= set(root, "total", json_integer((json_int_t)job->total));
    bad |= set(root, "shard", json_integer((json_int_t)job->shard.k));
    bad |= set(root, "shards", json_integer((json_int_t)job->shard.n));
    bad |= set(root, "verdict_only", json_boolean(job->verdict_only));
    for (size_t i = 0; !bad && i < job->total; i++) {
        if (!shard_mine(&job->shard, i)) continue;
        json_t *e = item_json(i, &o[i], pfail ? &pfail[i] : NULL);
        bad |= !e || json_array_append_new(items, e) != 0;
    }
    if (!bad) {
        bad |= json_object_set(root, "items", items) != 0;
        bad |= json_dumpf(root, fp, JSON_INDENT(1) | JSON_REAL_PRECISION(17)) != 0;
        bad |= fputc('\n', fp) == EOF;
    }
    json_decref(items);
    json_decref(root);
    return bad ? -1 : 0;
}

/* ================================================================= merge == */

void shard_job_free(struct shard_job *job)
{
    free((char *)job->file);
    for (size_t i = 0; i < job->n_sets; i++) free((char *)job->sets[i]);
    for (size_t i = 0; i < job->n_vary; i++) free((char *)job->vary[i]);
    memset(job, 0, sizeof *job);
}

/* A whole number >= 0 at KEY of OBJ into *V. */
static int get_size(json_t *obj, const char *key, size_t *v)
{
    json_t *x = json_object_get(obj, key);
    if (!json_is_integer(x) || json_integer_value(x) < 0) return -1;
    *v = (size_t)json_integer_value(x);
    return 0;
}

/* A number or null (NAN) at KEY. */
static int get_num(json_t *obj, const char *key, double *v)
{
    json_t *x = json_object_get(obj, key);
    if (json_is_null(x)) {
        *v = NAN;
        return 0;
    }
    if (!json_is_number(x)) return -1;
    *v = json_number_value(x);
    return 0;
}

static int get_bool(json_t *obj, const char *key, int *v)
{
    json_t *x = json_object_get(obj, key);
    if (!json_is_boolean(x)) return -1;
    *v = json_is_true(x);
    return 0;
}

/* 1 if the string arrays A and B are equal. */
static int same_strings(json_t *a, json_t *b)
{
    if (!json_is_array(a) || !json_is_array(b) || json_array_size(a) != json_array_size(b))
        return 0;
    for (size_t i = 0; i < json_array_size(a); i++) {
        const char *x = json_string_value(json_array_get(a, i));
        const char *y = json_string_value(json_array_get(b, i));
        if (!x || !y || strcmp(x, y) != 0) return 0;
    }
    return 1;
}

static int parse_item(json_t *e, struct sweep_outcome *q, double *pfail)
{
    const char *v = json_string_value(json_object_get(e, "verdict"));
    int found = 0;
    for (int k = VERDICT_PASS; v && k <= VERDICT_FAIL; k++)
        if (strcmp(v, verdict_json_name((enum verdict)k)) == 0) {
            q->verdict = (enum verdict)k;
            found = 1;
        }
    if (!found) return -1;
    if (get_bool(e, "ok", &q->ok) || get_bool(e, "tripped", &q->tripped)
        || get_bool(e, "shutdown", &q->shutdown) || get_bool(e, "rule_failed", &q->rule_failed)
        || get_num(e, "max_heat", &q->max_heat)
        || get_num(e, "mean_current_a", &q->mean_current_a)
        || get_num(e, "peak_current_a", &q->peak_current_a)
        || get_num(e, "worst_used", &q->worst_used)
        || get_num(e, "first_fail_s", &q->first_fail_s))
        return -1;
    *pfail = 0;
    if (json_object_get(e, "p_fail") && get_num(e, "p_fail", pfail)) return -1;
    return 0;
}

/* The job's strings of ROOT into JOB (owned copies). */
static int take_job(json_t *root, struct shard_job *job)
{
    const char *cmd = json_string_value(json_object_get(root, "command"));
    const char *file = json_string_value(json_object_get(root, "file"));
    json_t *sets = json_object_get(root, "sets"), *vary = json_object_get(root, "vary");
    if (!cmd || (strcmp(cmd, "run") != 0 && strcmp(cmd, "sweep") != 0) || !file
        || !json_is_array(sets) || !json_is_array(vary)
        || json_array_size(sets) > SHARD_MAX_SETS || json_array_size(vary) > 2)
        return -1;
    snprintf(job->command, sizeof job->command, "%s", cmd);
    if (!(job->file = strdup(file))) return -1;
    for (size_t i = 0; i < json_array_size(sets); i++) {
        const char *t = json_string_value(json_array_get(sets, i));
        if (!t || !(job->sets[job->n_sets] = strdup(t))) return -1;
        job->n_sets++;
    }
    for (size_t i = 0; i < json_array_size(vary); i++) {
        const char *t = json_string_value(json_array_get(vary, i));
        if (!t || !(job->vary[job->n_vary] = strdup(t))) return -1;
        job->n_vary++;
    }
    if ((strcmp(cmd, "sweep") == 0) != (job->n_vary > 0)) return -1;
    if (get_bool(root, "verdict_only", &job->verdict_only) != 0) return -1;
    if (get_size(root, "runs", &job->runs) || get_size(root, "total", &job->total)
        || get_size(root, "shards", &job->shard.n) || job->runs < 1 || job->total < 1
        || job->shard.n < 1 || job->shard.n > SHARD_MAX)
        return -1;
    return 0;
}

int shard_merge(const char *const *paths, size_t n, struct shard_job *job,
                struct sweep_outcome **o, double **pfail, char *err, size_t errlen)
{
    json_t *first = NULL;
    unsigned char *seen_shard = NULL, *seen_item = NULL;
    int rc = -1;
    memset(job, 0, sizeof *job);
    *o = NULL;
    *pfail = NULL;
    for (size_t p = 0; p < n; p++) {
        json_error_t je;
        json_t *root = json_load_file(paths[p], JSON_REJECT_DUPLICATES, &je);
        if (!root) {
            snprintf(err, errlen, "%s:%d: not a psusim shard file: %s", paths[p], je.line,
                     je.text);
            goto out;
        }
        const char *fmt = json_string_value(json_object_get(root, "format"));
        size_t version = 0, k = 0;
        if (!fmt || strcmp(fmt, FORMAT) != 0 || get_size(root, "version", &version)
            || version != (size_t)VERSION) {
            snprintf(err, errlen, "%s: not a psusim shard file (format \"%s\" version %d "
                     "expected)", paths[p], FORMAT, VERSION);
            json_decref(root);
            goto out;
        }
        if (!first) {
            if (take_job(root, job) != 0) {
                snprintf(err, errlen, "%s: the job's fields (command, file, sets, vary, "
                         "runs, total, shards) are missing or malformed", paths[p]);
                json_decref(root);
                goto out;
            }
            if (n != job->shard.n) {
                snprintf(err, errlen, "%s: shard of %zu, but %zu file(s) given: merge "
                         "takes every shard of the job once", paths[p], job->shard.n, n);
                json_decref(root);
                goto out;
            }
            *o = calloc(job->total, sizeof **o);
            *pfail = calloc(job->total, sizeof **pfail);
            seen_shard = calloc(job->shard.n + 1, 1);
            seen_item = calloc(job->total, 1);
            if (!*o || !*pfail || !seen_shard || !seen_item) {
                snprintf(err, errlen, "out of memory (%zu items)", job->total);
                json_decref(root);
                goto out;
            }
            first = root;
        } else {
            static const char *const keys[] = { "command", "file", "runs", "total",
                                                "shards", "verdict_only" };
            for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
                if (!json_equal(json_object_get(root, keys[i]),
                                json_object_get(first, keys[i]))) {
                    snprintf(err, errlen, "%s: its %s differs from %s's: the files are "
                             "shards of different jobs", paths[p], keys[i], paths[0]);
                    json_decref(root);
                    goto out;
                }
            if (!same_strings(json_object_get(root, "sets"), json_object_get(first, "sets"))
                || !same_strings(json_object_get(root, "vary"),
                                 json_object_get(first, "vary"))) {
                snprintf(err, errlen, "%s: its --set or --vary options differ from %s's: "
                         "the files are shards of different jobs", paths[p], paths[0]);
                json_decref(root);
                goto out;
            }
        }
        struct shard_spec sp = { 0, job->shard.n };
        if (get_size(root, "shard", &k) || k < 1 || k > job->shard.n) {
            snprintf(err, errlen, "%s: no valid shard number (1 to %zu)", paths[p],
                     job->shard.n);
            if (root != first) json_decref(root);
            goto out;
        }
        if (seen_shard[k]) {
            snprintf(err, errlen, "%s: shard %zu/%zu is given twice", paths[p], k,
                     job->shard.n);
            if (root != first) json_decref(root);
            goto out;
        }
        seen_shard[k] = 1;
        sp.k = k;
        json_t *items = json_object_get(root, "items");
        size_t want = job->total / sp.n + (job->total % sp.n >= k ? 1 : 0), got = 0;
        for (size_t i = 0; json_is_array(items) && i < json_array_size(items); i++) {
            json_t *e = json_array_get(items, i);
            size_t idx;
            if (get_size(e, "index", &idx) || idx >= job->total || !shard_mine(&sp, idx)
                || seen_item[idx] || parse_item(e, &(*o)[idx], &(*pfail)[idx]) != 0) {
                snprintf(err, errlen, "%s: item %zu is malformed, repeated or not this "
                         "shard's", paths[p], i);
                if (root != first) json_decref(root);
                goto out;
            }
            seen_item[idx] = 1;
            got++;
        }
        if (got != want) {
            snprintf(err, errlen, "%s: shard %zu/%zu holds %zu of its %zu items: it is "
                     "incomplete (was it interrupted?)", paths[p], k, sp.n, got, want);
            if (root != first) json_decref(root);
            goto out;
        }
        if (root != first) json_decref(root);
    }
    if (!first) {
        snprintf(err, errlen, "merge needs the shard files");
        goto out;
    }
    rc = 0;
out:
    json_decref(first);
    free(seen_shard);
    free(seen_item);
    if (rc != 0) {
        free(*o);
        free(*pfail);
        *o = NULL;
        *pfail = NULL;
        shard_job_free(job);
    }
    return rc;
}

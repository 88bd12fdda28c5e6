/* presets — psusim presets [KIND [NAME]] [--json], presets --check: the hardware
 * database listed, one entry shown with its sources, or linted. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd.h"
#include "diag.h"
#include "preset.h"
#include "text.h"

/* The kinds of the database, in listing order; perf: GPU throughput versus power
 * limit (gpu-perf.ini, used by recommend). */
static const char *const preset_kinds[] = { "circuit", "psu", "load", "gpu", "cpu", "perf",
                                            "ups" };
enum { N_PRESET_KINDS = sizeof preset_kinds / sizeof preset_kinds[0] };

/* 1 when entry I is the first of its [kind name] (the one a listing shows). */
static int preset_first(const struct preset_db *db, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (strcmp(db->entries[j].kind, db->entries[i].kind) == 0
            && strcmp(db->entries[j].name, db->entries[i].name) == 0)
            return 0;
    return 1;
}

/* What a listing shows of a preset: its description (a perf entry: its workload). */
static const char *preset_summary(const struct preset_db *db, const struct preset_entry *e)
{
    const char *alt = "";
    for (size_t j = 0; j < db->n; j++) {
        const struct preset_entry *f = &db->entries[j];
        if (strcmp(f->kind, e->kind) != 0 || strcmp(f->name, e->name) != 0) continue;
        if (strcmp(f->key, "description") == 0) return f->value;
        if (strcmp(f->key, "workload") == 0) alt = f->value;
    }
    return alt;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* TEXT from column COL, wrapped at 100 columns onto lines indented by INDENT. */
static void print_wrapped(const char *text, int indent, int col)
{
    int first = 1;
    const char *p = text;
    while (*p) {
        while (*p == ' ') p++;
        size_t w = strcspn(p, " ");
        if (w == 0) break;
        if (!first && col + 1 + (int)w > 100) {
            printf("\n%*s", indent, "");
            col = indent;
        } else if (!first) {
            putchar(' ');
            col++;
        }
        first = 0;
        printf("%.*s", (int)w, p);
        col += (int)w;
        p += w;
    }
}

/* One preset, every value with its source comment and file:line. */
static void preset_show_text(const struct preset_db *db, const struct preset_entry *e)
{
    printf("[%s %s]  %s:%d\n", e->kind, e->name, db->files[e->file], e->section_line);
    const char *desc = preset_summary(db, e);
    if (desc[0]) printf("%s\n", desc);
    putchar('\n');
    for (size_t j = 0; j < db->n; j++) {
        const struct preset_entry *f = &db->entries[j];
        if (strcmp(f->kind, e->kind) != 0 || strcmp(f->name, e->name) != 0
            || strcmp(f->key, "description") == 0)
            continue;
        printf("  %-20s %s\n", f->key, f->value);
        printf("      ");
        if (f->comment && f->comment[0]) {
            int above = f->comment_line != f->line;
            if (above) printf("(comment above) ");
            print_wrapped(f->comment, 6, above ? 22 : 6);
            printf("  [%s:%d]\n", base_name(db->files[f->file]), f->line);
        } else {
            printf("(no source comment)  [%s:%d]\n", base_name(db->files[f->file]), f->line);
        }
    }
}

/* One preset as JSON: kind, name, description, file, line and its values, each
 * with key, value, comment (null: none), line and comment_line. */
static json_t *preset_json(const struct preset_db *db, const struct preset_entry *e)
{
    json_t *o = json_object(), *vals = json_array();
    if (!o || !vals) {
        json_decref(o);
        json_decref(vals);
        return NULL;
    }
    int bad = 0;
    bad |= json_object_set_new(o, "kind", json_string(e->kind));
    bad |= json_object_set_new(o, "name", json_string(e->name));
    bad |= json_object_set_new(o, "description", json_string(preset_summary(db, e)));
    bad |= json_object_set_new(o, "file", json_string(db->files[e->file]));
    bad |= json_object_set_new(o, "line", json_integer(e->section_line));
    bad |= json_object_set_new(o, "values", vals);
    for (size_t j = 0; !bad && j < db->n; j++) {
        const struct preset_entry *f = &db->entries[j];
        if (strcmp(f->kind, e->kind) != 0 || strcmp(f->name, e->name) != 0) continue;
        json_t *v = json_object();
        if (!v) {
            bad = 1;
            break;
        }
        int has = f->comment && f->comment[0];
        bad |= json_array_append_new(vals, v);
        bad |= json_object_set_new(v, "key", json_string(f->key));
        bad |= json_object_set_new(v, "value", json_string(f->value));
        bad |= json_object_set_new(v, "comment", has ? json_string(f->comment) : json_null());
        bad |= json_object_set_new(v, "line", json_integer(f->line));
        bad |= json_object_set_new(v, "comment_line",
                                   has ? json_integer(f->comment_line) : json_null());
    }
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* presets [KIND [NAME]] [--json], presets --check. */
static int presets(const char *kind, const char *name, int json, int check)
{
    if (kind) {
        int known = 0;
        for (size_t i = 0; i < N_PRESET_KINDS; i++) known |= strcmp(kind, preset_kinds[i]) == 0;
        if (!known) {
            const char *near = text_nearest(kind, preset_kinds, N_PRESET_KINDS, 2);
            fprintf(stderr, "psusim: presets: unknown kind '%s'%s%s%s (known: circuit, "
                    "psu, load, gpu, cpu, perf, ups)\n", kind, near ? "; did you mean '" : "",
                    near ? near : "", near ? "'?" : "");
            return EXIT_USAGE;
        }
    }
    char buf[PATH_MAX];
    const char *dir = cli_preset_dir(buf, sizeof buf);
    struct diag *d = malloc(sizeof *d);
    if (!d) return EXIT_IO;
    diag_init(d);
    struct preset_db db = { 0 };
    if (preset_db_load(&db, dir, d) != 0) {
        cli_print_diag(d);
        preset_db_free(&db);
        free(d);
        return EXIT_IO;
    }
    int rc = EXIT_PASS;
    if (check) {
        /* the database's promises: a source for every value, each name once */
        size_t problems = preset_db_lint(&db, d);
        cli_print_diag(d);
        size_t counts[N_PRESET_KINDS] = { 0 }, other = 0;
        for (size_t i = 0; i < db.n; i++) {
            if (!preset_first(&db, i)) continue;
            size_t k = 0;
            while (k < N_PRESET_KINDS && strcmp(db.entries[i].kind, preset_kinds[k]) != 0) k++;
            if (k < N_PRESET_KINDS) counts[k]++;
            else other++;
        }
        printf("presets in %s:", dir);
        for (size_t k = 0; k < N_PRESET_KINDS; k++)
            printf(" %zu %s%s", counts[k], preset_kinds[k], k + 1 < N_PRESET_KINDS ? "," : "");
        if (other) printf(", %zu of other kinds", other);
        printf("; %zu values in %zu files; %zu problem%s\n", db.n, db.n_files, problems,
               problems == 1 ? "" : "s");
        rc = problems ? EXIT_FAIL : EXIT_PASS;
        free(d);
        preset_db_free(&db);
        return rc;
    }
    free(d);
    if (name) {
        size_t at = db.n;
        for (size_t i = 0; i < db.n && at == db.n; i++)
            if (strcmp(db.entries[i].kind, kind) == 0 && strcmp(db.entries[i].name, name) == 0)
                at = i;
        if (at == db.n) {
            const char *near = preset_db_nearest(&db, kind, name);
            fprintf(stderr, "psusim: presets: no %s preset '%s'%s%s%s (list them with "
                    "'psusim presets %s')\n", kind, name, near ? "; did you mean '" : "",
                    near ? near : "", near ? "'?" : "", kind);
            preset_db_free(&db);
            return EXIT_USAGE;
        }
        if (json) {
            json_t *o = preset_json(&db, &db.entries[at]);
            if (!o || json_dumpf(o, stdout, JSON_INDENT(2)) != 0) rc = EXIT_IO;
            else fputc('\n', stdout);
            json_decref(o);
        } else {
            preset_show_text(&db, &db.entries[at]);
        }
        preset_db_free(&db);
        return fflush(stdout) == 0 ? rc : EXIT_IO;
    }
    json_t *all = json ? json_object() : NULL, *list = json ? json_array() : NULL;
    if (json && (!all || !list || json_object_set_new(all, "dir", json_string(dir)) != 0
                 || json_object_set(all, "presets", list) != 0))
        rc = EXIT_IO;
    size_t shown = 0;
    for (size_t k = 0; rc == EXIT_PASS && k < N_PRESET_KINDS; k++) {
        if (kind && strcmp(kind, preset_kinds[k]) != 0) continue;
        for (size_t i = 0; i < db.n; i++) {
            const struct preset_entry *e = &db.entries[i];
            if (strcmp(e->kind, preset_kinds[k]) != 0 || !preset_first(&db, i)) continue;
            if (json) {
                json_t *o = preset_json(&db, e);
                if (!o || json_array_append_new(list, o) != 0) rc = EXIT_IO;
            } else {
                printf("%-8s %-24s %s\n", e->kind, e->name, preset_summary(&db, e));
            }
            shown++;
        }
    }
    if (json) {
        if (rc == EXIT_PASS && json_dumpf(all, stdout, JSON_INDENT(2)) == 0) fputc('\n', stdout);
        else rc = EXIT_IO;
    } else if (shown == 0) {
        printf("no %s presets in %s\n", kind ? kind : "", dir);
    } else if (!kind) {
        printf("(show one with its sources: psusim presets KIND NAME)\n");
    }
    json_decref(list);
    json_decref(all);
    preset_db_free(&db);
    return fflush(stdout) == 0 ? rc : EXIT_IO;
}

int cmd_presets(const struct cli *c)
{
    return presets(c->file, c->name, c->json, c->check);
}

/* preset — see include/preset.h. */
#include "preset.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inifile.h"
#include "text.h"

/* ------------------------------------------------------------- sections -- */

int preset_split_section(const char *section, char *kind, size_t kind_len,
                         char *name, size_t name_len)
{
    const char *p = section;
    while (*p == ' ' || *p == '\t') p++;
    size_t k = strcspn(p, " \t");
    if (k == 0 || k >= kind_len) return -1;
    memcpy(kind, p, k);
    kind[k] = '\0';
    p += k;
    while (*p == ' ' || *p == '\t') p++;
    size_t n = strcspn(p, " \t");
    if (n >= name_len) return -1;
    memcpy(name, p, n);
    name[n] = '\0';
    p += n;
    while (*p == ' ' || *p == '\t') p++;
    return *p ? -1 : 0;
}

/* ---------------------------------------------------------------- loading -- */

struct load_ctx {
    struct preset_db *db;
    size_t file;        /* index of the file being read */
    struct diag *d;
    int failed;         /* set when an entry could not be stored */
};

static void on_section(void *user, const char *section, int line)
{
    struct load_ctx *c = user;
    char kind[PRESET_KIND_LEN], name[PRESET_NAME_LEN];
    if (preset_split_section(section, kind, sizeof kind, name, sizeof name) != 0
        || !text_is_name(name))
        diag_add(c->d, "%s:%d: a preset section must look like '[psu NAME]' with "
                 "a name of letters, digits, '_' and '-'; got '[%s]'",
                 c->db->files[c->file], line, section);
}

static void on_entry(void *user, const char *section, const char *key,
                     const char *value, int line)
{
    struct load_ctx *c = user;
    struct preset_db *db = c->db;
    char kind[PRESET_KIND_LEN], name[PRESET_NAME_LEN];
    if (preset_split_section(section, kind, sizeof kind, name, sizeof name) != 0
        || !text_is_name(name))
        return; /* reported by on_section */
    if (strcmp(key, "preset") == 0) {
        diag_add(c->d, "%s:%d: [%s] a preset cannot name another preset",
                 db->files[c->file], line, section);
        return;
    }
    if (db->n == db->cap) {
        size_t cap = db->cap ? db->cap * 2 : 64;
        struct preset_entry *e = realloc(db->entries, cap * sizeof *e);
        if (!e) {
            c->failed = 1;
            return;
        }
        db->entries = e;
        db->cap = cap;
    }
    struct preset_entry *e = &db->entries[db->n++];
    text_copy(e->kind, sizeof e->kind, kind);
    text_copy(e->name, sizeof e->name, name);
    text_copy(e->key, sizeof e->key, key);
    text_copy(e->value, sizeof e->value, value);
    e->file = c->file;
    e->line = line;
}

static int is_ini(const struct dirent *de)
{
    size_t n = strlen(de->d_name);
    return de->d_name[0] != '.' && n > 4 && strcmp(de->d_name + n - 4, ".ini") == 0;
}

int preset_db_load(struct preset_db *db, const char *dir, struct diag *d)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, is_ini, alphasort);
    if (n < 0) {
        diag_add(d, "%s: cannot read the preset folder: %s (set PSUSIM_PRESETS to "
                 "the folder holding the preset .ini files)", dir, strerror(errno));
        return -1;
    }
    int rc = 0;
    db->files = calloc((size_t)n + 1, sizeof *db->files);
    if (!db->files) rc = -1;
    for (int i = 0; i < n; i++) {
        if (rc == 0) {
            size_t len = strlen(dir) + strlen(names[i]->d_name) + 2;
            char *path = malloc(len);
            if (!path) {
                rc = -1;
            } else {
                snprintf(path, len, "%s/%s", dir, names[i]->d_name);
                db->files[db->n_files] = path;
                struct load_ctx c = { db, db->n_files++, d, 0 };
                size_t before = diag_total(d);
                if (inifile_parse(path, on_section, on_entry, &c, d) != 0 || c.failed
                    || diag_total(d) != before)
                    rc = -1;
                if (c.failed) diag_add(d, "%s: out of memory", path);
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

void preset_db_free(struct preset_db *db)
{
    free(db->entries);
    for (size_t i = 0; i < db->n_files; i++) free(db->files[i]);
    free(db->files);
    db->entries = NULL;
    db->files = NULL;
    db->n = db->cap = db->n_files = 0;
}

/* ---------------------------------------------------------------- queries -- */

int preset_db_has(const struct preset_db *db, const char *kind, const char *name)
{
    for (size_t i = 0; i < db->n; i++)
        if (strcmp(db->entries[i].kind, kind) == 0
            && strcmp(db->entries[i].name, name) == 0)
            return 1;
    return 0;
}

const char *preset_db_nearest(const struct preset_db *db, const char *kind,
                              const char *name)
{
    const char *best = NULL;
    size_t best_d = text_suggest_distance(name) + 1;
    for (size_t i = 0; i < db->n; i++) {
        if (strcmp(db->entries[i].kind, kind) != 0) continue;
        size_t dist = text_edit_distance(name, db->entries[i].name);
        if (dist < best_d) {
            best_d = dist;
            best = db->entries[i].name;
        }
    }
    return best;
}

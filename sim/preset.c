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
    int section_line;   /* line of the current section header */
};

static void on_section(void *user, const char *section, int line)
{
    struct load_ctx *c = user;
    c->section_line = line;
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
    e->section_line = c->section_line;
    e->comment = NULL;
    e->comment_line = 0;
}

/* --------------------------------------------------------------- comments -- */

/* The lines of a file as libinih numbers them (line 1 at index 0), without
 * their line ends. */
struct lines {
    char **at;
    size_t n;
};

static void lines_free(struct lines *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->at[i]);
    free(l->at);
    l->at = NULL;
    l->n = 0;
}

static int lines_read(const char *path, struct lines *l)
{
    FILE *fp = fopen(path, "r");
    if (!fp) return -1;
    char *buf = NULL;
    size_t cap = 0, room = 0;
    ssize_t len;
    int rc = 0;
    while ((len = getline(&buf, &cap, fp)) >= 0) {
        while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r')) buf[--len] = '\0';
        if (l->n == room) {
            size_t r = room ? room * 2 : 256;
            char **at = realloc(l->at, r * sizeof *at);
            if (!at) {
                rc = -1;
                break;
            }
            l->at = at;
            room = r;
        }
        if (!(l->at[l->n] = strdup(buf))) {
            rc = -1;
            break;
        }
        l->n++;
    }
    free(buf);
    fclose(fp);
    return rc;
}

/* Where the inline comment of a key = value line starts (the ';' libinih cuts
 * at: first on the line or after white space), or NULL. */
static const char *inline_comment(const char *s)
{
    for (const char *p = s; *p; p++)
        if (*p == ';' && (p == s || p[-1] == ' ' || p[-1] == '\t')) return p;
    return NULL;
}

static const char *skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    return s;
}

/* 1 for a line that is only a comment. */
static int is_comment(const char *s)
{
    s = skip_space(s);
    return *s == ';' || *s == '#';
}

/* 1 for a key = value line (not blank, not a comment, not a section). */
static int is_key_line(const char *s)
{
    s = skip_space(s);
    return *s && *s != ';' && *s != '#' && *s != '[';
}

/* Appends the text of comment TEXT (from its ';' or '#') to OUT, space-joined. */
static int append_comment(char **out, size_t *len, const char *text)
{
    text = skip_space(text);
    while (*text == ';' || *text == '#') text++;
    text = skip_space(text);
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t')) n--;
    if (n == 0) return 0;
    char *grown = realloc(*out, *len + n + 2);
    if (!grown) return -1;
    *out = grown;
    if (*len) grown[(*len)++] = ' ';
    memcpy(grown + *len, text, n);
    *len += n;
    grown[*len] = '\0';
    return 0;
}

/* The comment of the value on line LINE (1-based) of L, into *OUT (malloc'd,
 * NULL when none) and *FROM (its first line). Returns 0, or -1 out of memory. */
static int value_comment(const struct lines *l, int line, char **out, int *from)
{
    *out = NULL;
    *from = 0;
    if (line < 1 || (size_t)line > l->n) return 0;
    size_t len = 0;
    const char *own = inline_comment(l->at[line - 1]);
    if (own) {
        /* the value's own comment and the indented comment lines under it */
        if (append_comment(out, &len, own) != 0) return -1;
        *from = line;
        for (size_t k = (size_t)line; k < l->n; k++) {
            const char *t = l->at[k];
            if (!(t[0] == ' ' || t[0] == '\t') || !is_comment(t)) break;
            if (append_comment(out, &len, t) != 0) return -1;
        }
    } else {
        /* the comment block right above: up from the line, to a blank line, a
         * section or a key; a key's indented continuation lines are its own */
        size_t top = (size_t)line - 1;
        while (top > 0 && is_comment(l->at[top - 1])) top--;
        if (top > 0 && is_key_line(l->at[top - 1]) && inline_comment(l->at[top - 1]))
            while (top < (size_t)line - 1
                   && (l->at[top][0] == ' ' || l->at[top][0] == '\t'))
                top++;
        for (size_t k = top; k < (size_t)line - 1; k++) {
            if (!*from) *from = (int)k + 1;
            if (append_comment(out, &len, l->at[k]) != 0) return -1;
        }
    }
    if (*out && text_problem(*out, NULL)) {
        /* comments may hold any bytes; what is shown must be text */
        size_t n = 4 * len + 8;
        char *shown = malloc(n);
        if (!shown) return -1;
        text_escape(shown, n, *out);
        free(*out);
        *out = shown;
    }
    return 0;
}

/* Gives each entry of file FILE, from index FIRST on, its comment. */
static int add_comments(struct preset_db *db, size_t file, size_t first)
{
    struct lines l = { 0 };
    int rc = lines_read(db->files[file], &l);
    for (size_t i = first; rc == 0 && i < db->n; i++)
        rc = value_comment(&l, db->entries[i].line, &db->entries[i].comment,
                           &db->entries[i].comment_line);
    lines_free(&l);
    return rc;
}

static int is_ini(const struct dirent *de)
{
    size_t n = strlen(de->d_name);
    return de->d_name[0] != '.' && n > 4 && strcmp(de->d_name + n - 4, ".ini") == 0;
}

/* Reads the folder; WITH_COMMENTS: each value's source comment too (a second
 * pass over each file that only `presets` shows and checks). */
static int db_load(struct preset_db *db, const char *dir, struct diag *d, int with_comments)
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
                struct load_ctx c = { db, db->n_files++, d, 0, 0 };
                size_t before = diag_total(d), first = db->n;
                if (inifile_parse(path, on_section, on_entry, &c, d) != 0 || c.failed
                    || diag_total(d) != before)
                    rc = -1;
                if (with_comments && !c.failed && add_comments(db, c.file, first) != 0)
                    c.failed = 1;
                if (c.failed) diag_add(d, "%s: out of memory", path);
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

/* -------------------------------------------------------- only the used -- */

/* The text of one [KIND NAME] section a scenario uses: bytes FROM to TO of
 * file FILE's text, its header on LINE. */
struct part {
    size_t file;
    size_t from, to;
    int line;
};

/* inifile_scan()'s context over the files of a folder. */
struct scan_ctx {
    const struct preset_ref *refs;   /* the presets wanted */
    size_t n_refs;
    size_t file;                     /* index of the file being scanned */
    int in_section;                  /* a header was seen in this file */
    struct part *parts;              /* the wanted sections found, n_parts, owned */
    size_t n_parts, cap;
    int open;                        /* 1: the last part runs to the next header */
};

static void close_part(struct scan_ctx *c, size_t offset)
{
    if (c->open) c->parts[c->n_parts - 1].to = offset;
    c->open = 0;
}

/* A header: refused if on_section() would report it; a part if it is wanted. */
static int scan_section(void *user, const char *section, int line, size_t offset)
{
    struct scan_ctx *c = user;
    char kind[PRESET_KIND_LEN], name[PRESET_NAME_LEN];
    close_part(c, offset);
    c->in_section = 1;
    if (preset_split_section(section, kind, sizeof kind, name, sizeof name) != 0
        || !text_is_name(name))
        return -1;
    for (size_t i = 0; i < c->n_refs; i++) {
        if (strcmp(kind, c->refs[i].kind) != 0 || strcmp(name, c->refs[i].name) != 0)
            continue;
        if (c->n_parts == c->cap) {
            size_t cap = c->cap ? 2 * c->cap : 16;
            struct part *grown = realloc(c->parts, cap * sizeof *grown);
            if (!grown) return -1;
            c->parts = grown;
            c->cap = cap;
        }
        c->parts[c->n_parts++] = (struct part){ c->file, offset, offset, line };
        c->open = 1;
        break;
    }
    return 0;
}

/* A key: refused if on_entry() would report it (`preset` in a section). */
static int scan_key(void *user, const char *key, size_t key_len, int line)
{
    const struct scan_ctx *c = user;
    (void)line;
    return c->in_section && key_len == 6 && memcmp(key, "preset", 6) == 0 ? -1 : 0;
}

/* PATH's whole text into *TEXT (malloc'd, NUL-terminated) and *LEN. Returns 0
 * or -1 (nothing to free). */
static int read_text(const char *path, char **text, size_t *len)
{
    *text = NULL;
    *len = 0;
    FILE *fp = fopen(path, "r");
    if (!fp) return -1;
    size_t cap = 0;
    int rc = 0;
    for (;;) {
        if (*len + 4096 + 1 > cap) {
            cap = cap ? 2 * cap : 32768;
            char *grown = realloc(*text, cap);
            if (!grown) {
                rc = -1;
                break;
            }
            *text = grown;
        }
        size_t got = fread(*text + *len, 1, cap - *len - 1, fp);
        *len += got;
        if (got == 0) break;
    }
    if (rc == 0 && ferror(fp)) rc = -1;
    fclose(fp);
    if (rc == 0 && *text) (*text)[*len] = '\0';
    if (rc != 0 || !*text) {
        free(*text);
        *text = NULL;
        return -1;
    }
    return 0;
}

/* The quick load of preset_db_load_refs(). Returns 0 when DB holds every entry
 * of every wanted preset and the folder reads without a message; 1 when the
 * whole load must decide (a file that needs its messages or cannot be read, a
 * preset that is not there); -1 with a message in D (out of memory). */
static int load_refs(struct preset_db *db, const char *dir, const struct preset_ref *refs,
                     size_t n_refs, struct diag *d)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, is_ini, alphasort);
    if (n < 0) return 1;
    struct scan_ctx c = { .refs = refs, .n_refs = n_refs };
    char **texts = calloc((size_t)n + 1, sizeof *texts);
    int rc = 0;
    db->files = calloc((size_t)n + 1, sizeof *db->files);
    if (!db->files || !texts) rc = -1;
    for (int i = 0; i < n; i++) {
        if (rc == 0) {
            size_t plen = strlen(dir) + strlen(names[i]->d_name) + 2, len;
            char *path = malloc(plen);
            if (!path) {
                rc = -1;
            } else {
                snprintf(path, plen, "%s/%s", dir, names[i]->d_name);
                db->files[db->n_files++] = path;
                c.file = (size_t)i;
                c.in_section = 0;
                if (read_text(path, &texts[i], &len) != 0
                    || inifile_scan(texts[i], len, scan_section, scan_key, &c) != 0)
                    rc = 1;
                close_part(&c, len);
            }
        }
        free(names[i]);
    }
    free(names);
    for (size_t k = 0; rc == 0 && k < c.n_parts; k++) {
        const struct part *p = &c.parts[k];
        struct load_ctx lc = { db, p->file, d, 0, 0 };
        size_t before = diag_total(d);
        if (inifile_parse_part(db->files[p->file], texts[p->file] + p->from, p->to - p->from,
                               p->line, on_section, on_entry, &lc, d) != 0
            || lc.failed || diag_total(d) != before)
            rc = -1;
    }
    for (size_t k = 0; rc == 0 && k < n_refs; k++)
        if (!preset_db_has(db, refs[k].kind, refs[k].name)) rc = 1;
    if (rc < 0) diag_add(d, "%s: out of memory", dir);
    for (int i = 0; texts && i < n; i++) free(texts[i]);
    free(texts);
    free(c.parts);
    return rc;
}

int preset_db_load_refs(struct preset_db *db, const char *dir, const struct preset_ref *refs,
                        size_t n_refs, struct diag *d)
{
    int rc = load_refs(db, dir, refs, n_refs, d);
    if (rc <= 0) return rc;
    preset_db_free(db);
    return db_load(db, dir, d, 0);
}

int preset_db_load(struct preset_db *db, const char *dir, struct diag *d)
{
    return db_load(db, dir, d, 1);
}

int preset_db_load_values(struct preset_db *db, const char *dir, struct diag *d)
{
    return db_load(db, dir, d, 0);
}

void preset_db_free(struct preset_db *db)
{
    for (size_t i = 0; i < db->n; i++) free(db->entries[i].comment);
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

size_t preset_db_lint(const struct preset_db *db, struct diag *d)
{
    size_t problems = 0;
    for (size_t i = 0; i < db->n; i++) {
        const struct preset_entry *e = &db->entries[i];
        if (strcmp(e->key, "description") != 0 && !(e->comment && e->comment[0])) {
            diag_add(d, "%s:%d: [%s %s] %s: no source comment (write it after ';' on "
                     "the line or in a comment right above it)", db->files[e->file],
                     e->line, e->kind, e->name, e->key);
            problems++;
        }
        /* a second header of the same kind and name: report it once, at the
         * first entry under it */
        for (size_t j = 0; j < i; j++) {
            const struct preset_entry *f = &db->entries[j];
            if (strcmp(f->kind, e->kind) != 0 || strcmp(f->name, e->name) != 0) continue;
            if (f->file == e->file && f->section_line == e->section_line) break;
            int first_under = i == 0 || db->entries[i - 1].file != e->file
                              || db->entries[i - 1].section_line != e->section_line;
            if (first_under) {
                diag_add(d, "%s:%d: [%s %s] is written twice: first at %s:%d",
                         db->files[e->file], e->section_line, e->kind, e->name,
                         db->files[f->file], f->section_line);
                problems++;
            }
            break;
        }
    }
    return problems;
}

/* preset — the hardware database: the .ini files in scenarios/presets.
 *
 * Presets are written in the scenario format, one section per entry
 * ("[psu corsair-ax1600i]"), every value with its source in a comment. A scenario
 * section with `preset = NAME` starts from the entry of the same kind and name.
 */
#ifndef PSUSIM_PRESET_H
#define PSUSIM_PRESET_H

#include <stddef.h>

#include "diag.h"

enum { PRESET_KIND_LEN = 16, PRESET_NAME_LEN = 64, PRESET_KEY_LEN = 64,
       PRESET_VALUE_LEN = 200 };

/* One key = value line of a preset file. */
struct preset_entry {
    char kind[PRESET_KIND_LEN];     /* section kind: "psu", "circuit", ... */
    char name[PRESET_NAME_LEN];     /* preset name */
    char key[PRESET_KEY_LEN];
    char value[PRESET_VALUE_LEN];
    size_t file;                    /* index into preset_db.files */
    int line;
    int section_line;               /* line of the entry's [kind name] header */
    /* The value's source: the comment libinih strips, read from the file by
     * preset.c. The text after ';' on the value's line, with the indented
     * comment lines right below it; else the comment block right above the
     * line (from the section header, a blank line or the previous key on).
     * Each line trimmed, joined with one space; bytes that are not UTF-8
     * shown as \xNN. Owned; "" when the value has none. */
    char *comment;
    int comment_line;               /* first line of the comment, 0: none */
};

/* All preset files of a folder, read once. */
struct preset_db {
    struct preset_entry *entries;   /* n entries, owned */
    size_t n, cap;
    char **files;                   /* n_files paths, owned */
    size_t n_files;
};

/* Reads every *.ini in DIR (in name order) into DB. Returns 0, or -1 with
 * messages in D (a missing folder, a bad file). DB must be freed with
 * preset_db_free() either way. */
int preset_db_load(struct preset_db *db, const char *dir, struct diag *d);

/* As preset_db_load(), without the comments (each entry's comment NULL): what
 * a scenario needs, at half the cost (a run's start-up, issue 14). */
int preset_db_load_values(struct preset_db *db, const char *dir, struct diag *d);

/* A preset a scenario names: [KIND NAME]. */
struct preset_ref {
    const char *kind;
    const char *name;
};

/* As preset_db_load_values(), for a scenario that names the N_REFS presets
 * REFS: DB then holds every entry of those presets, as the whole load would
 * (same values, files, lines, order), and perhaps no other. Each file is
 * checked by a quick scan (inifile_scan) and only the sections named are
 * parsed; when a file would give a message, cannot be read, or a preset is
 * missing, the whole folder is loaded as preset_db_load_values() does, so that
 * the messages and preset_db_nearest() are the same (issue 14: a run's
 * start-up). Returns 0, or -1 with messages in D. */
int preset_db_load_refs(struct preset_db *db, const char *dir, const struct preset_ref *refs,
                        size_t n_refs, struct diag *d);

/* Frees what DB holds (not DB itself); safe on a zeroed DB. */
void preset_db_free(struct preset_db *db);

/* 1 if DB holds an entry [KIND NAME]. */
int preset_db_has(const struct preset_db *db, const char *kind, const char *name);

/* The preset of KIND nearest to NAME (for "did you mean"), or NULL. */
const char *preset_db_nearest(const struct preset_db *db, const char *kind,
                              const char *name);

/* Checks what the database promises (tests/presets.sh, `psusim presets
 * --check`): every value but a `description` has a source comment, and every
 * [KIND NAME] is written once (a second section of the same kind and name would
 * silently merge into the first). Each problem goes to D as "FILE:LINE: ...".
 * Returns the number of problems. */
size_t preset_db_lint(const struct preset_db *db, struct diag *d);

/* Splits a section title "psu main" into KIND and NAME (NAME "" when absent).
 * Returns 0, or -1 when it has more than two words or a part is too long. */
int preset_split_section(const char *section, char *kind, size_t kind_len,
                         char *name, size_t name_len);

#endif

/* inifile — INI files read through libinih, with line numbers.
 *
 * Debian's libinih (r55) passes no line numbers to its handler and returns only
 * the first bad line. inifile feeds libinih through its own line reader, so every
 * entry carries its line, and checks each line itself first: lines longer than
 * libinih's 200-character buffer, binary data, lines that are neither a section,
 * a key = value pair nor a comment are reported (all of them, with their line),
 * and left out. Leading white space is removed before libinih sees a line, so an
 * indented key is a key and not a "continuation" of the previous value.
 */
#ifndef PSUSIM_INIFILE_H
#define PSUSIM_INIFILE_H

#include "diag.h"

/* Called for each section header: SECTION as written between the brackets
 * (trimmed), on LINE. */
typedef void (*inifile_section_fn)(void *user, const char *section, int line);

/* Called for each key = value entry, with its section (trimmed), key, value
 * (inline "; comment" removed, trimmed) and line. */
typedef void (*inifile_entry_fn)(void *user, const char *section, const char *key,
                                 const char *value, int line);

/* Reads PATH. Problems go to D as "PATH:LINE: ..." messages. Returns 0 when the
 * file was read (check D for errors in it), -1 when it could not be opened or is
 * not a regular file (a message is in D). */
int inifile_parse(const char *path, inifile_section_fn on_section,
                  inifile_entry_fn on_entry, void *user, struct diag *d);

/* As inifile_parse, from TEXT (a whole file's text, NUL-terminated: standard
 * input read by the command line, or a scenario it wrote), named LABEL in the
 * messages. */
int inifile_parse_text(const char *label, const char *text, inifile_section_fn on_section,
                       inifile_entry_fn on_entry, void *user, struct diag *d);

/* The longest line libinih reads, in characters (without the newline). */
int inifile_max_line(void);

#endif

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

#include <stddef.h>

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

/* As inifile_parse_text, from the LEN bytes at TEXT (a part of a file's text
 * that begins at a line: see inifile_scan), its first line numbered FIRST_LINE.
 * A part that begins at a section header reads as the same lines of the whole
 * text would: libinih keeps no state across lines but the section. */
int inifile_parse_part(const char *label, const char *text, size_t len, int first_line,
                       inifile_section_fn on_section, inifile_entry_fn on_entry,
                       void *user, struct diag *d);

/* inifile_scan's calls: a section header (SECTION as on_section gets it) on
 * LINE, which starts at byte OFFSET of the text; a key (KEY_LEN bytes at KEY,
 * not NUL-terminated, trimmed as on_entry gets it) on LINE. A call that returns
 * non-zero stops the scan. */
typedef int (*inifile_scan_section_fn)(void *user, const char *section, int line,
                                       size_t offset);
typedef int (*inifile_scan_key_fn)(void *user, const char *key, size_t key_len,
                                   int line);

/* A quick pass over the LEN bytes at TEXT (a whole file's text) that tells
 * whether inifile_parse would read it without a message, and where its
 * sections start, without libinih and without building any entry (the start-up
 * of a run reads the preset files this way and parses only the sections it
 * uses, issue 14). Returns 0 when every line would be read in silence (calling
 * ON_SECTION and ON_KEY on the way), -1 at the first line that might not be,
 * or when a call returns non-zero: the caller then parses the text for its
 * messages. It may refuse text that inifile_parse reads in silence (a CRLF line
 * end, a byte order mark), never the other way round. */
int inifile_scan(const char *text, size_t len, inifile_scan_section_fn on_section,
                 inifile_scan_key_fn on_key, void *user);

/* The longest line libinih reads, in characters (without the newline). */
int inifile_max_line(void);

#endif

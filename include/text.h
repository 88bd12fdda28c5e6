/* text — small string helpers shared by the loader, the units parser and the CLI:
 * edit distance for "did you mean", names, trimming.
 */
#ifndef PSUSIM_TEXT_H
#define PSUSIM_TEXT_H

#include <stddef.h>

/* Levenshtein distance between A and B (case-sensitive); strings longer than 63
 * characters are compared on their first 63. */
size_t text_edit_distance(const char *a, const char *b);

/* The candidate nearest to WORD (edit distance at most MAX_DIST, ties go to the
 * first), or NULL. CANDS has N entries; NULL entries are skipped. */
const char *text_nearest(const char *word, const char *const *cands, size_t n,
                         size_t max_dist);

/* A suggestion distance that suits WORD's length: 1 for short words, 2 for
 * longer, 3 for long ones. */
size_t text_suggest_distance(const char *word);

/* 1 if S is a valid component name: 1..63 characters of letters, digits, '_'
 * and '-'. */
int text_is_name(const char *s);

/* Copies SRC into DST (size N, N > 0), always terminated; returns 0, or -1 when
 * SRC was cut. */
int text_copy(char *dst, size_t n, const char *src);

/* Why S cannot be carried as text, or NULL when it can: "a control character"
 * (C0 but tab, DEL, or a C1 control U+0080..U+009F, which a terminal may obey as
 * an escape) or "a byte that is not UTF-8" (one that does not start or continue a
 * well-formed UTF-8 sequence, RFC 3629: no overlong forms, surrogates or code
 * points above U+10FFFF). *AT (may be NULL) gets the offset of the first bad byte.
 * Input is checked with this where it enters (scenario lines, --set, --vary,
 * paths), so no text output (terminal, JSON, gnuplot) has to carry such bytes. */
const char *text_problem(const char *s, size_t *at);

/* Copies SRC into DST (size N, N > 0) for a message: control characters and
 * bytes that are not UTF-8 become \xNN, the rest is copied; always terminated,
 * cut (with "...") when DST is too small. */
void text_escape(char *dst, size_t n, const char *src);

#endif

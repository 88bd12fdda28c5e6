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

#endif

/* text — see include/text.h. */
#include "text.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

enum { TEXT_CMP_MAX = 63 };

/* ---------------------------------------------------------------- distance -- */

size_t text_edit_distance(const char *a, const char *b)
{
    /* optimal string alignment: Levenshtein plus the swap of two neighbours
     * ("mian" -> "main" is one edit, the commonest typing slip) */
    size_t la = strlen(a), lb = strlen(b);
    if (la > TEXT_CMP_MAX) la = TEXT_CMP_MAX;
    if (lb > TEXT_CMP_MAX) lb = TEXT_CMP_MAX;
    size_t prev2[TEXT_CMP_MAX + 1], prev[TEXT_CMP_MAX + 1], cur[TEXT_CMP_MAX + 1];
    for (size_t j = 0; j <= lb; j++) prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < best) best = prev[j] + 1;
            if (cur[j - 1] + 1 < best) best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]
                && prev2[j - 2] + 1 < best)
                best = prev2[j - 2] + 1;
            cur[j] = best;
        }
        memcpy(prev2, prev, (lb + 1) * sizeof prev[0]);
        memcpy(prev, cur, (lb + 1) * sizeof cur[0]);
    }
    return prev[lb];
}

const char *text_nearest(const char *word, const char *const *cands, size_t n,
                         size_t max_dist)
{
    const char *best = NULL;
    size_t best_d = max_dist + 1;
    for (size_t i = 0; i < n; i++) {
        if (!cands[i]) continue;
        size_t d = text_edit_distance(word, cands[i]);
        if (d < best_d) {
            best_d = d;
            best = cands[i];
        }
    }
    return best;
}

size_t text_suggest_distance(const char *word)
{
    size_t n = strlen(word);
    return n <= 4 ? 1 : n <= 10 ? 2 : 3;
}

/* ------------------------------------------------------------------- names -- */

int text_is_name(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        unsigned char c = (unsigned char)s[n];
        if (!(isalnum(c) || c == '_' || c == '-') || c > 127) return 0;
    }
    return n >= 1 && n <= 63;
}

int text_copy(char *dst, size_t n, const char *src)
{
    size_t len = strlen(src);
    if (len >= n) {
        memcpy(dst, src, n - 1);
        dst[n - 1] = '\0';
        return -1;
    }
    memcpy(dst, src, len + 1);
    return 0;
}

/* ------------------------------------------------------------------ checks -- */

/* The length of the well-formed UTF-8 sequence at S (RFC 3629, table 3-7 of the
 * Unicode standard), or 0. */
static size_t utf8_len(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (n == 0) return 0;
    /* the second byte's range: narrower after E0 (overlong), ED (surrogates),
     * F0 (overlong) and F4 (above U+10FFFF) */
    unsigned char lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
    unsigned char hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    if (s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xBF) return 0;
    return n;
}

/* 1 if the sequence of length N at S is a control character */
static int is_control(const unsigned char *s, size_t n)
{
    if (n == 1) return (s[0] < 32 && s[0] != '\t') || s[0] == 127;
    return n == 2 && s[0] == 0xC2 && s[1] <= 0x9F;    /* C1: U+0080..U+009F */
}

const char *text_problem(const char *s, size_t *at)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; u[i];) {
        size_t n = utf8_len(u + i);
        if (n == 0 || is_control(u + i, n)) {
            if (at) *at = i;
            return n == 0 ? "a byte that is not UTF-8" : "a control character";
        }
        i += n;
    }
    return NULL;
}

void text_escape(char *dst, size_t n, const char *src)
{
    const unsigned char *u = (const unsigned char *)src;
    size_t k = 0;
    for (size_t i = 0; u[i];) {
        size_t len = utf8_len(u + i);
        int esc = len == 0 || is_control(u + i, len);
        if (esc) len = 1;
        size_t need = esc ? 4 : len;
        if (k + need + 4 > n) {   /* room for "..." and the NUL */
            if (n >= 4) {
                memcpy(dst + (k + 4 <= n ? k : n - 4), "...", 4);
                return;
            }
            break;
        }
        if (esc) {
            snprintf(dst + k, 5, "\\x%02x", u[i]);
        } else {
            memcpy(dst + k, u + i, len);
        }
        k += need;
        i += len;
    }
    dst[k < n ? k : n - 1] = '\0';
}

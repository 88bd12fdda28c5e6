/* text — see include/text.h. */
#include "text.h"

#include <ctype.h>
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

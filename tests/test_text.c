/* test_text.c — the text checks every input passes (issue 15, 6): UTF-8 as
 * RFC 3629 defines it (Unicode 15, table 3-7, "well-formed UTF-8 byte
 * sequences"), control characters, and the escaped copy messages show. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "text.h"

/* S is carried as text */
static void good(const char *s)
{
    size_t at = 99;
    const char *why = text_problem(s, &at);
    if (why) fail_msg("'%s' refused (%s at %zu)", s, why, at);
    assert_int_equal(at, 99);   /* untouched when fine */
}

/* S is refused for WHY, its first bad byte at AT */
static void bad(const char *s, const char *why, size_t at)
{
    size_t got = 99;
    const char *w = text_problem(s, &got);
    assert_non_null(w);
    assert_string_equal(w, why);
    assert_int_equal(got, at);
}

static void well_formed(void **state)
{
    (void)state;
    good("");
    good("Dual RTX 5090 on a US 15 A circuit");
    good("tab\there");
    good("Caf\xC3\xA9 240 \xE2\x82\xAC \xE2\x80\x94 \xF0\x9F\x94\x8C");   /* é € — plug */
    good("\xC2\xA0nbsp");                   /* U+00A0: the first above C1 */
    good("\xED\x9F\xBF");                   /* U+D7FF: just below the surrogates */
    good("\xEE\x80\x80");                   /* U+E000: just above */
    good("\xF4\x8F\xBF\xBF");               /* U+10FFFF: the last code point */
    good("\xEF\xBF\xBD");                   /* U+FFFD */
}

static void ill_formed(void **state)
{
    const char *nu = "a byte that is not UTF-8";
    (void)state;
    bad("Caf\xE9", nu, 3);                  /* Latin-1 */
    bad("\x80", nu, 0);                     /* a lone continuation byte */
    bad("ab\xC3", nu, 2);                   /* cut at the end */
    bad("\xC3(", nu, 0);                    /* bad continuation */
    bad("\xC0\x80", nu, 0);                 /* overlong NUL */
    bad("\xC1\xBF", nu, 0);                 /* overlong */
    bad("\xE0\x80\x80", nu, 0);             /* overlong 3-byte */
    bad("x\xE0\x9F\xBF", nu, 1);            /* overlong: E0 needs A0..BF */
    bad("\xED\xA0\x80", nu, 0);             /* U+D800, a surrogate */
    bad("\xF0\x8F\xBF\xBF", nu, 0);         /* overlong 4-byte */
    bad("\xF4\x90\x80\x80", nu, 0);         /* U+110000 */
    bad("\xF5\x80\x80\x80", nu, 0);
    bad("\xFE\xFF", nu, 0);
    bad("\xE2\x82", nu, 0);                 /* 3-byte sequence cut */
}

static void controls(void **state)
{
    const char *cc = "a control character";
    (void)state;
    bad("x\x1B[2J", cc, 1);                 /* ESC: a terminal escape */
    bad("a\rb", cc, 1);
    bad("a\nb", cc, 1);
    bad("\x7F", cc, 0);                     /* DEL */
    bad("ok \xC2\x9B" "2J", cc, 3);         /* U+009B CSI, a C1 control */
    bad("\xC2\x80", cc, 0);                 /* U+0080 */
    bad("\xC2\x9F", cc, 0);                 /* U+009F, the last C1 */
    assert_null(text_problem("a\tb", NULL));
    assert_non_null(text_problem("a\x01", NULL));   /* AT may be NULL */
}

static void escaped(void **state)
{
    char buf[64];
    (void)state;
    text_escape(buf, sizeof buf, "Caf\xE9 \xC3\xA9 \x1B[1m");
    assert_string_equal(buf, "Caf\\xe9 \xC3\xA9 \\x1b[1m");
    text_escape(buf, sizeof buf, "\xC2\x9B");
    assert_string_equal(buf, "\\xc2\\x9b");
    text_escape(buf, sizeof buf, "");
    assert_string_equal(buf, "");
    /* cut with "..." and always terminated: 8 bytes hold 4 characters and "..." */
    text_escape(buf, 8, "abcdefghij");
    assert_string_equal(buf, "abcd...");
    text_escape(buf, 8, "\xFF\xFF\xFF");
    assert_string_equal(buf, "\\xff...");
    /* a multi-byte character is never split */
    text_escape(buf, 8, "abc\xE2\x82\xAC" "def");
    assert_string_equal(buf, "abc...");
    text_escape(buf, 2, "abc");             /* no room for "...": nothing */
    assert_string_equal(buf, "");
    text_escape(buf, 1, "abc");
    assert_string_equal(buf, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(well_formed),
        cmocka_unit_test(ill_formed),
        cmocka_unit_test(controls),
        cmocka_unit_test(escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

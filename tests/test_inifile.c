/* test_inifile.c — the quick scan of a run's start-up (issue 14) against the
 * real reader: inifile_scan() may accept a text only if inifile_parse_text()
 * (libinih behind inifile's own line checks) reads it without a message, and
 * it must report the same section headers and keys on the same lines; a part
 * read with inifile_parse_part() from a header on gives the entries the whole
 * text gives there. The oracle is libinih itself, on hand-written lines and on
 * random texts over the bytes the checks care about. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "inifile.h"

/* What a reader saw: one line of text per call, "S line name" for a section,
 * "K line key" for a key (and "V line value" after it for parses). */
struct seen {
    char log[8192];
    size_t len;
};

static void note(struct seen *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(s->log + s->len, sizeof s->log - s->len, fmt, ap);
    va_end(ap);
    if (n > 0) s->len += (size_t)n;
    if (s->len >= sizeof s->log) s->len = sizeof s->log - 1;
}

static void parse_section(void *user, const char *section, int line)
{
    note(user, "S %d %s\n", line, section);
}

static void parse_entry(void *user, const char *section, const char *key,
                        const char *value, int line)
{
    (void)section;
    note(user, "K %d %s\n", line, key);
    (void)value;
}

static void parse_entry_value(void *user, const char *section, const char *key,
                              const char *value, int line)
{
    note(user, "E %d [%s] %s=%s\n", line, section, key, value);
}

static int scan_section(void *user, const char *section, int line, size_t offset)
{
    (void)offset;
    note(user, "S %d %s\n", line, section);
    return 0;
}

static int scan_key(void *user, const char *key, size_t key_len, int line)
{
    note(user, "K %d %.*s\n", line, (int)key_len, key);
    return 0;
}

/* The scan of TEXT: 0 (accepted) or -1; what it saw into SCAN. */
static int scan(const char *text, struct seen *sc)
{
    memset(sc, 0, sizeof *sc);
    return inifile_scan(text, strlen(text), scan_section, scan_key, sc);
}

/* The real reader on TEXT: its number of messages; what it saw into PARSE. */
static size_t parse(const char *text, struct seen *pa)
{
    static struct diag d;
    diag_init(&d);
    memset(pa, 0, sizeof *pa);
    assert_int_equal(inifile_parse_text("t.ini", text, parse_section, parse_entry, pa, &d), 0);
    return diag_total(&d);
}

/* The promise: accepted => read in silence, same headers and keys. Returns
 * whether the scan accepted TEXT. */
static int agrees(const char *text)
{
    struct seen sc, pa;
    int accepted = scan(text, &sc) == 0;
    size_t messages = parse(text, &pa);
    if (accepted && messages != 0) fail_msg("scan accepted a text with messages: '%s'", text);
    if (accepted && strcmp(sc.log, pa.log) != 0)
        fail_msg("scan and parse differ on '%s':\nscan:\n%sparse:\n%s", text, sc.log, pa.log);
    return accepted;
}

/* Lines the quick scan must take (the shipped preset files are made of these). */
static void accepts_plain_files(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "; a comment\n[psu main]\nrating = 1000 W ; (W)\n",
        "  [load x]  ; indented header\n\tpower\t=\t5 W\n",
        "# hash comment\n\n[gpu a]\nkey: value\nurl = http://x;y ; (S)\n",
        "; caf\xc3\xa9 and \xe2\x80\x93 in a comment, \x7f too\n[load x]\npower = 1 W\n",
        "[load x]\ndescription = Caf\xc3\xa9 r\xc3\xa9sum\xc3\xa9\n",
        "[load x]\nlast = line without a newline",
        "top = before any section\n[load x]\npreset = x\n",
        "[load x]\na = b = c\nk=v;no comment\n",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (!agrees(texts[i])) fail_msg("scan refused a plain text: '%s'", texts[i]);
}

/* Lines the real reader reports: the scan must refuse each; and the two it
 * refuses only to be safe (CRLF, a byte order mark), which read in silence. */
static void refuses_what_needs_messages(void **state)
{
    (void)state;
    char long_line[300];
    memset(long_line, 'a', sizeof long_line);
    memcpy(long_line, "k = ", 4);
    long_line[199] = '\0';   /* 199 characters: one above libinih's 198 */
    const char *const reported[] = {
        "[load x]\npower = 1\001W\n", "[load x]\npower = 1\rW\n", "[load x]\nno equals\n",
        "[load x]\n= 5 W\n",          "[load x]\nk ; = comment first\n",
        "[load x\n",                  "[load x] trailing\n", "[load x]\nv = caf\xe9\n",
        "[load x]\nv = \xc2\x85\n",   "[load x]\nv = a\x7f\n", "[load\xff]\n",
        long_line,
    };
    for (size_t i = 0; i < sizeof reported / sizeof reported[0]; i++) {
        struct seen sc, pa;
        assert_int_equal(scan(reported[i], &sc), -1);
        if (parse(reported[i], &pa) == 0) fail_msg("no message for '%s'", reported[i]);
    }
    /* a NUL inside a line (a text, not a C string: the reader reports it too) */
    static const char nul[] = "[load x]\nv = a\0b\n";
    struct seen sn;
    memset(&sn, 0, sizeof sn);
    assert_int_equal(inifile_scan(nul, sizeof nul - 1, scan_section, scan_key, &sn), -1);
    const char *const safe[] = { "[load x]\r\npower = 1 W\r\n", "\xEF\xBB\xBF[load x]\nk = v\n" };
    for (size_t i = 0; i < 2; i++) {
        struct seen sc, pa;
        assert_int_equal(scan(safe[i], &sc), -1);
        assert_int_equal(parse(safe[i], &pa), 0);
    }
}

/* A callback's refusal stops the scan. */
static int refuse(void *user, const char *section, int line, size_t offset)
{
    (void)user;
    (void)section;
    (void)line;
    (void)offset;
    return 1;
}

static void callback_stops(void **state)
{
    (void)state;
    const char *t = "[load x]\nk = v\n";
    assert_int_equal(inifile_scan(t, strlen(t), refuse, scan_key, NULL), -1);
}

/* A part from a header on reads as the whole text reads there: the entries
 * of [b] with their lines, whatever comes before. */
static void part_reads_as_whole(void **state)
{
    (void)state;
    const char *t = "; head\n[a x]\nk = 1 ; c\n\n[b y]\n  k = 2   ; c\nj: 3\n; end\n[c z]\nk = 4\n";
    struct seen whole, part;
    static struct diag d;
    diag_init(&d);
    memset(&whole, 0, sizeof whole);
    memset(&part, 0, sizeof part);
    assert_int_equal(inifile_parse_text("t.ini", t, parse_section, parse_entry_value, &whole, &d), 0);
    const char *from = strstr(t, "[b y]"), *to = strstr(t, "[c z]");
    assert_int_equal(inifile_parse_part("t.ini", from, (size_t)(to - from), 5, parse_section,
                                        parse_entry_value, &part, &d), 0);
    assert_int_equal(diag_total(&d), 0);
    assert_string_equal(part.log, "S 5 b y\nE 6 [b y] k=2\nE 7 [b y] j=3\n");
    assert_non_null(strstr(whole.log, part.log));
}

static uint64_t xorshift(uint64_t *x)
{
    /* xorshift64 (Marsaglia 2003) */
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* Random texts: lines of the shapes an INI file has, some with a byte the
 * checks care about put in at random. Every accepted one reads in silence
 * with the same headers and keys; many are accepted, many are not. */
static void random_texts(void **state)
{
    (void)state;
    static const char *const shapes[] = { "[a p]", "[load x]", "k = v", "preset = x",
                                          "  key\t: value ; c", "; comment", "# c", "",
                                          "a = b;c", "[p]", "x = [y]" };
    static const char odd[] = " \t=:;#[]\r\001\x7f\xc3\xa9\xc2\x85\xff";
    uint64_t x = 88172645463325252ull;   /* fixed seed */
    size_t accepted = 0, refused = 0;
    char text[512];
    for (int round = 0; round < 20000; round++) {
        size_t len = 0, lines = 1 + xorshift(&x) % 5;
        for (size_t l = 0; l < lines; l++) {
            const char *shape = shapes[xorshift(&x) % (sizeof shapes / sizeof shapes[0])];
            size_t n = strlen(shape), at = xorshift(&x) % (n + 1);
            int put = xorshift(&x) % 3 == 0;
            memcpy(text + len, shape, at);
            len += at;
            if (put) text[len++] = odd[xorshift(&x) % (sizeof odd - 1)];
            memcpy(text + len, shape + at, n - at);
            len += n - at;
            if (l + 1 < lines || xorshift(&x) % 2) text[len++] = '\n';
        }
        text[len] = '\0';
        if (agrees(text)) accepted++;
        else refused++;
    }
    print_message("random texts: %zu accepted, %zu refused\n", accepted, refused);
    assert_true(accepted > 1000);
    assert_true(refused > 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_plain_files),
        cmocka_unit_test(refuses_what_needs_messages),
        cmocka_unit_test(callback_stops),
        cmocka_unit_test(part_reads_as_whole),
        cmocka_unit_test(random_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

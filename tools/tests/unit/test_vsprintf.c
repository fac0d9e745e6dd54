/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsnprintf tests: the same formats and values through our implementation
 * and the host's libc must give the same text and return value, at every
 * buffer size (truncation and termination); %pS against a synthetic
 * symbol table.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

/* This file feeds deliberately odd formats to both implementations. */
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#pragma GCC diagnostic ignored "-Wformat-overflow"

/*
 * The build renames ours to xen_* (see vsprintf.mk), which also renamed
 * stdio.h's declarations; declare libc's under their real names.
 */
#undef snprintf
#undef vsnprintf
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int xen_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int xen_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* A symbol table as xen/tools/symbols would generate it. */
const char _stext[0x1000] __attribute__((aligned(16)));
__asm__ ( ".globl _etext\n.set _etext, _stext + 0x1000" );
const unsigned long symbols_nr = 3;
unsigned long symbols_addrs[3];
const uint32_t symbols_name_offs[3] = { 0, 6, 12 };
const char symbols_names[] = "alpha\0bravo\0charlie";

#define CHECK(fmt, ...) check(__LINE__, fmt, __VA_ARGS__)

static void check_sizes(int line, const char *want, int want_len,
                        const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void check_sizes(int line, const char *want, int want_len,
                        const char *fmt, ...)
{
    char buf[256];
    size_t size;

    for ( size = 0; size <= (size_t)want_len + 2 && size < sizeof(buf); size++ )
    {
        va_list ap;
        int got;

        memset(buf, 0x5a, sizeof(buf));
        va_start(ap, fmt);
        got = xen_vsnprintf(buf, size, fmt, ap);
        va_end(ap);
        if ( got != want_len )
            fail_msg("line %d: '%s' returned %d, want %d", line, fmt, got, want_len);
        if ( size && strncmp(buf, want, size - 1) )
            fail_msg("line %d: '%s' size %zu gave '%s'", line, fmt, size, buf);
        if ( size && buf[size - 1 < (size_t)want_len ? size - 1 : (size_t)want_len] )
            fail_msg("line %d: '%s' size %zu not terminated", line, fmt, size);
        if ( (unsigned char)buf[size] != 0x5a )
            fail_msg("line %d: '%s' wrote past size %zu", line, fmt, size);
    }
}

#define check(line, fmt, ...) do {                                  \
        char want[256];                                             \
        int n = snprintf(want, sizeof(want), fmt, __VA_ARGS__);     \
        check_sizes(line, want, n, fmt, __VA_ARGS__);               \
    } while ( 0 )

static void test_integers(void **state)
{
    CHECK("%d|%i|%u", 0, -1, 42u);
    CHECK("%d %d", INT_MAX, INT_MIN);
    CHECK("%ld %lu %lx", LONG_MIN, ULONG_MAX, 0xdeadbeefUL);
    CHECK("%lld %llu", LLONG_MIN, ULLONG_MAX);
    CHECK("%hhd %hhu %hd %hu", -3, 300, -70000, 70000);
    CHECK("%zu %zx %td %jd", (size_t)123, (size_t)0xabc, (ptrdiff_t)-5, (intmax_t)-9);
    CHECK("%x %X %o %#x %#X %#o %#o", 255u, 255u, 8u, 255u, 255u, 8u, 0u);
    CHECK("[%5d] [%-5d] [%05d] [%+d] [% d] [%+5d] [%-+5d]", 42, 42, 42, 42, 42, 42, 42);
    CHECK("[%.3d] [%8.3d] [%-8.3d] [%08.3d] [%.0d] [%.0x]", 7, 7, 7, 7, 0, 0u);
    CHECK("[%#08x] [%#.3o] [%016lx] [%#016lx]", 0x1fu, 5u, 0x1234UL, 0x1234UL);
    CHECK("[%*d] [%-*d] [%.*d] [%*.*d]", 6, 1, 6, 1, 4, 1, 6, 3, 1);
    CHECK("[%*d]", -6, 1);
}

static void test_strings_chars(void **state)
{
    CHECK("%s|%10s|%-10s|%.2s|%5.1s|", "abc", "abc", "abc", "abc", "abc");
    CHECK("%c%c%c|%3c|%-3c|", 'a', 'b', 'c', 'x', 'y');
    CHECK("100%% %s", "done");
    CHECK("%s", "");
    CHECK("%.*s", 3, "abcdef");
}

static void test_null_string(void **state)
{
    char buf[32];

    xen_snprintf(buf, sizeof(buf), "%s", (char *)NULL);
    assert_string_equal(buf, "(null)");
}

static void test_pointer(void **state)
{
    char buf[64];

    xen_snprintf(buf, sizeof(buf), "%p", (void *)0xffff830000001000UL);
    assert_string_equal(buf, "0xffff830000001000");
}

static void test_symbols(void **state)
{
    unsigned long base = (unsigned long)_stext;
    char buf[64];

    symbols_addrs[0] = base + 0x10;
    symbols_addrs[1] = base + 0x100;
    symbols_addrs[2] = base + 0x180;

    xen_snprintf(buf, sizeof(buf), "%pS", (void *)(base + 0x123));
    assert_string_equal(buf, "bravo+0x23/0x80");
    xen_snprintf(buf, sizeof(buf), "%pS", (void *)(base + 0x10));
    assert_string_equal(buf, "alpha+0/0xf0");
    /* The last symbol runs to the end of the text. */
    xen_snprintf(buf, sizeof(buf), "%pS", (void *)(base + 0x181));
    assert_string_equal(buf, "charlie+0x1/0xe80");
    /* Before the first symbol, or outside the text: plain hex. */
    xen_snprintf(buf, sizeof(buf), "%pS", (void *)(base + 1));
    assert_true(strncmp(buf, "0x", 2) == 0);
    xen_snprintf(buf, sizeof(buf), "%pS", (void *)0x1234UL);
    assert_string_equal(buf, "0x1234");
}

static void test_odd_formats(void **state)
{
    char buf[16];

    /* A lone % at the end prints nothing; unknown conversions are shown. */
    assert_int_equal(xen_snprintf(buf, sizeof(buf), "ab%"), 2);
    assert_string_equal(buf, "ab");
    xen_snprintf(buf, sizeof(buf), "%q");
    assert_string_equal(buf, "%q");
    assert_int_equal(xen_snprintf(NULL, 0, "%d", 12345), 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_strings_chars),
        cmocka_unit_test(test_null_string),
        cmocka_unit_test(test_pointer),
        cmocka_unit_test(test_symbols),
        cmocka_unit_test(test_odd_formats),
    };

    return cmocka_run_group_tests_name("vsprintf", tests, NULL, NULL);
}

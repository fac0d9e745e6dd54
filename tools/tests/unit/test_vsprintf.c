/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsnprintf tests: the same formats and values through our implementation
 * and the host's libc must give the same text and return value, at every
 * buffer size (truncation and termination); %pS against a synthetic
 * symbol table.  Also common/string.c, against libc where ISO C defines
 * the result.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

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

/* Likewise string.c's functions (renamed in vsprintf.mk) and libc's. */
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef memchr
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr
#undef strrchr
#undef strlcpy
#undef strtoul
#undef strtoull
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
unsigned long strtoul(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);
size_t xen_strlcpy(char *dst, const char *src, size_t size);

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
    /* %c of NUL stores a NUL and counts it. */
    assert_int_equal(xen_snprintf(buf, sizeof(buf), "a%cb", 0), 3);
    assert_memory_equal(buf, "a\0b", 4);
    assert_int_equal(xen_snprintf(buf, sizeof(buf), "[%3c]", 0), 5);
    assert_memory_equal(buf, "[  \0]", 6);
}

/*
 * Every combination of flags, width, precision, length modifier and integer
 * conversion over values at the edges of each type, against libc.  '#' with
 * d/i is undefined in C and left out.  Truncation is checked at every size
 * for a sample of the combinations (all of them would take minutes).
 */
static const long long edge_values[] = {
    0, 1, -1, 7, 8, 42, -42, 127, 128, -128, 255, 256, 32767, -32768, 65535,
    INT_MAX, INT_MIN, UINT_MAX, 0x123456789abcLL, LLONG_MAX, LLONG_MIN,
};

static bool length_takes_long(const char *len)
{
    return len[0] == 'l' || len[0] == 'z' || len[0] == 'j' || len[0] == 't';
}

static void check_integer_format(const char *fmt, bool wide, long long v,
                                 bool all_sizes, unsigned int *checked)
{
    char want[128], got[128];
    int n, m;

    if ( wide )
    {
        n = snprintf(want, sizeof(want), fmt, v);
        m = xen_snprintf(got, sizeof(got), fmt, v);
    }
    else
    {
        n = snprintf(want, sizeof(want), fmt, (int)v);
        m = xen_snprintf(got, sizeof(got), fmt, (int)v);
    }
    if ( n != m || strcmp(want, got) )
        fail_msg("'%s' of %lld: got '%s' (%d), libc '%s' (%d)", fmt, v, got, m,
                 want, n);
    if ( all_sizes )
    {
        if ( wide )
            check_sizes(__LINE__, want, n, fmt, v);
        else
            check_sizes(__LINE__, want, n, fmt, (int)v);
    }
    (*checked)++;
}

static void test_integer_matrix(void **state)
{
    static const char flag_chars[] = "-0+ #";
    static const char *const widths[] = { "", "1", "6", "24" };
    static const char *const precisions[] = { "", ".", ".0", ".1", ".5", ".22" };
    static const char *const lengths[] = { "hh", "h", "", "l", "ll", "z", "j", "t" };
    static const char conversions[] = "diuxXo";
    unsigned int mask, w, p, l, c, v, checked = 0;

    for ( mask = 0; mask < 32; mask++ )
        for ( w = 0; w < ARRAY_SIZE(widths); w++ )
            for ( p = 0; p < ARRAY_SIZE(precisions); p++ )
                for ( l = 0; l < ARRAY_SIZE(lengths); l++ )
                    for ( c = 0; conversions[c]; c++ )
                    {
                        char fmt[32], flags[8];
                        unsigned int i, nf = 0;

                        if ( (mask & 16) && (conversions[c] == 'd' ||
                                             conversions[c] == 'i') )
                            continue;
                        for ( i = 0; i < 5; i++ )
                            if ( mask & (1u << i) )
                                flags[nf++] = flag_chars[i];
                        flags[nf] = '\0';
                        snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s%c]", flags,
                                 widths[w], precisions[p], lengths[l],
                                 conversions[c]);
                        for ( v = 0; v < ARRAY_SIZE(edge_values); v++ )
                            check_integer_format(fmt,
                                                 length_takes_long(lengths[l]),
                                                 edge_values[v],
                                                 checked % 61 == 0, &checked);
                    }
    assert_true(checked > 100000);
}

static void test_string_matrix(void **state)
{
    static const char *const specs[] = {
        "%s", "%1s", "%8s", "%-8s", "%.0s", "%.3s", "%8.3s", "%-8.3s",
        "%.30s", "%-30.2s", "%c", "%5c", "%-5c", "%p", "%20p", "%-20p",
    };
    static const char *const strings[] = {
        "", "a", "hello", "a longer string than the widths",
    };
    static const unsigned long pointers[] = {
        0, 1, 0xabc, 0xffff830000001000UL, ~0UL,
    };
    unsigned int i, j;

    for ( i = 0; i < ARRAY_SIZE(specs); i++ )
    {
        const char *fmt = specs[i];
        char conv = fmt[strlen(fmt) - 1];

        for ( j = 0; j < ARRAY_SIZE(strings) && conv == 's'; j++ )
            CHECK(fmt, strings[j]);
        for ( j = 0; j < 256 && conv == 'c'; j++ )
            if ( j )                /* NUL is checked in test_odd_formats */
                CHECK(fmt, (int)j);
        for ( j = 0; j < ARRAY_SIZE(pointers) && conv == 'p'; j++ )
            CHECK(fmt, (void *)pointers[j]);
    }
}

/* ---------------------------------------------------------------------
 * string.c
 */

#define GUARD 0xa5

static void fill_pattern(unsigned char *p, size_t n, unsigned int seed)
{
    size_t i;

    for ( i = 0; i < n; i++ )
        p[i] = (unsigned char)(seed + i * 7 + (i >> 3));
}

static void test_memcpy_memset(void **state)
{
    unsigned char src[96], dst[96], want[96];
    size_t so, doff, n;

    fill_pattern(src, sizeof(src), 1);
    for ( so = 0; so < 8; so++ )
        for ( doff = 0; doff < 8; doff++ )
            for ( n = 0; n <= 80; n++ )
            {
                memset(dst, GUARD, sizeof(dst));
                memcpy(want, dst, sizeof(want));
                memcpy(want + doff, src + so, n);
                assert_ptr_equal(xen_memcpy(dst + doff, src + so, n), dst + doff);
                assert_memory_equal(dst, want, sizeof(dst));
            }

    for ( doff = 0; doff < 8; doff++ )
        for ( n = 0; n <= 80; n++ )
        {
            memset(dst, GUARD, sizeof(dst));
            memcpy(want, dst, sizeof(want));
            memset(want + doff, 0x3c, n);
            /* Only the low byte of the fill value counts. */
            assert_ptr_equal(xen_memset(dst + doff, 0x13c, n), dst + doff);
            assert_memory_equal(dst, want, sizeof(dst));
        }
}

static void test_memmove_overlap(void **state)
{
    unsigned char buf[64], want[64];
    size_t from, to, n;

    /* Every overlap, in both directions, and disjoint moves too. */
    for ( from = 0; from < 24; from++ )
        for ( to = 0; to < 24; to++ )
            for ( n = 0; n <= 40; n++ )
            {
                fill_pattern(buf, sizeof(buf), 3);
                memcpy(want, buf, sizeof(want));
                memmove(want + to, want + from, n);
                assert_ptr_equal(xen_memmove(buf + to, buf + from, n), buf + to);
                assert_memory_equal(buf, want, sizeof(buf));
            }
}

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

static void test_compare_and_search(void **state)
{
    static const char *const strs[] = {
        "", "a", "b", "ab", "abc", "abd", "abcd", "\x80", "\x7f", "a\xff", "A",
    };
    unsigned char a[40], b[40];
    size_t i, j, n;

    /* memcmp: bytes compare as unsigned, and only the first n count. */
    fill_pattern(a, sizeof(a), 5);
    for ( i = 0; i < sizeof(a); i++ )
    {
        memcpy(b, a, sizeof(b));
        b[i] ^= 0x80;
        for ( n = 0; n <= sizeof(a); n++ )
            assert_int_equal(sign(xen_memcmp(a, b, n)), sign(memcmp(a, b, n)));
    }

    for ( i = 0; i < ARRAY_SIZE(strs); i++ )
        for ( j = 0; j < ARRAY_SIZE(strs); j++ )
        {
            assert_int_equal(sign(xen_strcmp(strs[i], strs[j])),
                             sign(strcmp(strs[i], strs[j])));
            for ( n = 0; n < 6; n++ )
                assert_int_equal(sign(xen_strncmp(strs[i], strs[j], n)),
                                 sign(strncmp(strs[i], strs[j], n)));
        }

    for ( i = 0; i < ARRAY_SIZE(strs); i++ )
    {
        const char *s = strs[i];

        assert_int_equal(xen_strlen(s), strlen(s));
        for ( n = 0; n < 6; n++ )
            assert_int_equal(xen_strnlen(s, n), strnlen(s, n));
        for ( j = 0; j < 256; j++ )
        {
            assert_ptr_equal(xen_strchr(s, (int)j), strchr(s, (int)j));
            assert_ptr_equal(xen_strrchr(s, (int)j), strrchr(s, (int)j));
            /* The search value is converted to unsigned char. */
            assert_ptr_equal(xen_memchr(s, (int)j + 0x100, strlen(s) + 1),
                             memchr(s, (int)j, strlen(s) + 1));
        }
    }
    /* strrchr finds the last match, memchr stops at n. */
    assert_string_equal(xen_strrchr("a/b/c", '/'), "/c");
    assert_null(xen_memchr("abc", 'c', 2));
}

static void test_strlcpy(void **state)
{
    const char *src = "hypervisor";
    char buf[16];
    size_t size;

    for ( size = 0; size < sizeof(buf); size++ )
    {
        memset(buf, GUARD, sizeof(buf));
        assert_int_equal(xen_strlcpy(buf, src, size), strlen(src));
        if ( size )
        {
            size_t n = size - 1 < strlen(src) ? size - 1 : strlen(src);

            assert_memory_equal(buf, src, n);
            assert_int_equal(buf[n], '\0');
        }
        assert_int_equal((unsigned char)buf[size], GUARD);
    }
}

static void test_strtoul(void **state)
{
    static const char *const inputs[] = {
        "0", "7", "10", "0x1f", "0X1F", "0xfg", "017", "08", "019", "0x",
        "0xg", "x1", "  42", "\t9", "ffff", "FfFf", "zz", "Zz9", "1012",
        "12abc", "", " ", "4294967295", "4294967296", "18446744073709551615",
        "18446744073709551616", "99999999999999999999999", "0x1ffffffffffffffff",
        "0000000000000000000000000000012",
    };
    static const int bases[] = { 0, 2, 8, 10, 16, 36 };
    unsigned int i, j;

    for ( i = 0; i < ARRAY_SIZE(inputs); i++ )
        for ( j = 0; j < ARRAY_SIZE(bases); j++ )
        {
            const char *s = inputs[i];
            char *end_want, *end_got;
            unsigned long long want = strtoull(s, &end_want, bases[j]);
            unsigned long long got = xen_strtoull(s, &end_got, bases[j]);

            if ( got != want || end_got != end_want )
                fail_msg("strtoull('%s', %d): %llu end+%td, libc %llu end+%td",
                         s, bases[j], got, end_got - s, want, end_want - s);
            assert_int_equal(xen_strtoul(s, &end_got, bases[j]),
                             strtoul(s, &end_want, bases[j]));
            assert_ptr_equal(end_got, end_want);
        }

    /* No end pointer is fine. */
    assert_int_equal(xen_strtoul("123", NULL, 10), 123);
}

/* Where ISO C leaves it open, or we differ on purpose (see string.c). */
static void test_strtoul_rejects(void **state)
{
    static const char *const bad[] = { "-1", "+1", "", "  ", "g" };
    static const int bases[] = { 0, 10, 16 };
    const char *s = "11";
    char *end;
    unsigned int i, j;

    for ( i = 0; i < ARRAY_SIZE(bad); i++ )
        for ( j = 0; j < ARRAY_SIZE(bases); j++ )
        {
            assert_int_equal(xen_strtoull(bad[i], &end, bases[j]), 0);
            assert_ptr_equal(end, bad[i]);
        }
    /* An invalid base converts nothing. */
    assert_int_equal(xen_strtoull(s, &end, 1), 0);
    assert_ptr_equal(end, s);
    assert_int_equal(xen_strtoull(s, &end, 37), 0);
    assert_ptr_equal(end, s);
    assert_int_equal(xen_strtoull(s, &end, -5), 0);
    assert_ptr_equal(end, s);
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
        cmocka_unit_test(test_integer_matrix),
        cmocka_unit_test(test_string_matrix),
        cmocka_unit_test(test_memcpy_memset),
        cmocka_unit_test(test_memmove_overlap),
        cmocka_unit_test(test_compare_and_search),
        cmocka_unit_test(test_strlcpy),
        cmocka_unit_test(test_strtoul),
        cmocka_unit_test(test_strtoul_rejects),
    };

    return cmocka_run_group_tests_name("vsprintf", tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C string and memory functions the hypervisor needs.  GCC emits calls
 * to memcpy/memset/memmove/memcmp on its own, so they must exist; the block
 * operations use x86 string instructions, which are fast on every CPU since
 * "fast strings" and cannot be turned back into calls by the compiler.
 */
#include <xen/string.h>

void *memcpy(void *dst, const void *src, size_t n)
{
    void *d = dst;

    __asm__ __volatile__ ( "rep movsb"
                           : "+D" (d), "+S" (src), "+c" (n) :: "memory" );
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if ( d <= s || d >= s + n )
        return memcpy(dst, src, n);
    /* Overlapping with dst above src: copy backwards. */
    d += n - 1;
    s += n - 1;
    __asm__ __volatile__ ( "std; rep movsb; cld"
                           : "+D" (d), "+S" (s), "+c" (n) :: "memory" );
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    void *d = dst;

    __asm__ __volatile__ ( "rep stosb"
                           : "+D" (d), "+c" (n) : "a" (c) : "memory" );
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;

    for ( ; n; n--, p++, q++ )
        if ( *p != *q )
            return *p - *q;
    return 0;
}

void *memchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;

    for ( ; n; n--, p++ )
        if ( *p == (unsigned char)c )
            return (void *)p;
    return NULL;
}

size_t strlen(const char *s)
{
    const char *p = s;

    while ( *p )
        p++;
    return p - s;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;

    while ( n < max && s[n] )
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while ( *a && *a == *b )
    {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for ( ; n; n--, a++, b++ )
    {
        if ( *a != *b )
            return (unsigned char)*a - (unsigned char)*b;
        if ( !*a )
            break;
    }
    return 0;
}

char *strchr(const char *s, int c)
{
    for ( ; ; s++ )
    {
        if ( *s == (char)c )
            return (char *)s;
        if ( !*s )
            return NULL;
    }
}

char *strrchr(const char *s, int c)
{
    const char *last = NULL;

    for ( ; ; s++ )
    {
        if ( *s == (char)c )
            last = s;
        if ( !*s )
            return (char *)last;
    }
}

/* Copies at most size-1 bytes, always terminates; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);

    if ( size )
    {
        size_t n = len < size - 1 ? len : size - 1;

        memcpy(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}

static int digit_value(char c)
{
    if ( c >= '0' && c <= '9' )
        return c - '0';
    if ( c >= 'a' && c <= 'z' )
        return c - 'a' + 10;
    if ( c >= 'A' && c <= 'Z' )
        return c - 'A' + 10;
    return 99;
}

/*
 * Base 0 means: 0x prefix is hex, a leading 0 is octal, else decimal.
 * Overflow saturates at the maximum, as ISO C's strtoull does.  No sign is
 * accepted: every caller parses unsigned quantities.  If there is no
 * number at all, *end is the start of the string, as in ISO C.
 */
unsigned long long strtoull(const char *s, char **end, int base)
{
    const char *start = s, *digits;
    unsigned long long v = 0;
    bool overflow = false;
    int d;

    while ( *s == ' ' || *s == '\t' )
        s++;
    if ( (base == 0 || base == 16) && s[0] == '0' && (s[1] | 0x20) == 'x' &&
         digit_value(s[2]) < 16 )
    {
        s += 2;
        base = 16;
    }
    else if ( base == 0 )
        base = s[0] == '0' ? 8 : 10;
    if ( base < 2 || base > 36 )
    {
        if ( end )
            *end = (char *)start;
        return 0;
    }

    for ( digits = s; (d = digit_value(*s)) < base; s++ )
    {
        if ( v > (~0ULL - d) / base )
            overflow = true;
        v = v * base + d;
    }
    if ( end )
        *end = (char *)(s == digits ? start : s);
    return overflow ? ~0ULL : v;
}

unsigned long strtoul(const char *s, char **end, int base)
{
    return strtoull(s, end, base);
}

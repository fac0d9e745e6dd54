/* SPDX-License-Identifier: GPL-2.0 */
/* The few C library functions the guest (and gcc's code) needs. */
#include "guest.h"

void *memset(void *s, int c, size_t n)
{
    unsigned char *p = s;

    while (n--)
        *p++ = (unsigned char)c;
    return s;
}

void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;

    while (n--)
        *dp++ = *sp++;
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;

    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++)
        if (*a != *b || !*a)
            return (unsigned char)*a - (unsigned char)*b;
    return 0;
}

int strcmp(const char *a, const char *b)
{
    return strncmp(a, b, (size_t)-1);
}

/* Decimal, or hex with a 0x prefix; stops at the first non-digit. */
uint64_t parse_u64(const char *s)
{
    uint64_t v = 0;
    unsigned int base = 10, d;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    for (;; s++) {
        if (*s >= '0' && *s <= '9')
            d = *s - '0';
        else if (base == 16 && (*s | 0x20) >= 'a' && (*s | 0x20) <= 'f')
            d = (*s | 0x20) - 'a' + 10;
        else
            break;
        v = v * base + d;
    }
    return v;
}

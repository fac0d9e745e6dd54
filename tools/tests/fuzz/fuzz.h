/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the libFuzzer targets.  A target checks what the parser promises
 * about its output, not only that it survives: fuzz_check() names the broken
 * promise and aborts, which libFuzzer reports as a crash and saves the input.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline void __attribute__((noreturn))
fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
    abort();
}

#define fuzz_check(cond)                                                \
    do {                                                                \
        if ( !(cond) )                                                  \
            fuzz_fail(__FILE__, __LINE__, #cond);                       \
    } while ( 0 )

/* A decompressor into a buffer of out_size bytes (gunzip, unxz). */
typedef int (*fuzz_decode_fn)(const uint8_t *in, size_t in_len, size_t out_size,
                              uint8_t **out, size_t *out_len);

/*
 * What a decompressor into a bounded buffer promises about its bound:
 * given exactly the room its output (out, out_len) took, it succeeds with
 * the same bytes; given one byte less, it fails with too_small.
 */
static inline void fuzz_check_exact_room(fuzz_decode_fn decode, const uint8_t *in,
                                         size_t in_len, const uint8_t *out,
                                         size_t out_len, int too_small)
{
    uint8_t *exact;
    size_t exact_len;

    fuzz_check(decode(in, in_len, out_len, &exact, &exact_len) == 0);
    fuzz_check(exact_len == out_len && !memcmp(exact, out, out_len));
    free(exact);
    if ( out_len )
    {
        fuzz_check(decode(in, in_len, out_len - 1, &exact, &exact_len) == too_small);
        free(exact);
    }
}

/*
 * The input as a C string in a buffer of exactly size + 1 bytes, so ASan
 * sees any read past the terminator.  Bytes after an embedded NUL are
 * simply not part of the string.
 */
static inline char *fuzz_strdup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);

    if ( !s )
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* A private copy of exactly n bytes (at least one allocated byte). */
static inline uint8_t *fuzz_memdup(const uint8_t *data, size_t n)
{
    uint8_t *p = malloc(n ? n : 1);

    if ( !p )
        abort();
    if ( n )
        memcpy(p, data, n);
    return p;
}

/* Is [p, p + n) inside [base, base + len)? */
static inline int fuzz_within(const void *p, size_t n, const void *base,
                              size_t len)
{
    const uint8_t *q = p, *b = base;

    return q >= b && q <= b + len && n <= (size_t)(b + len - q);
}

#endif /* FUZZ_H */

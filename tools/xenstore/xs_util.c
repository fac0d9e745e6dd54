/* SPDX-License-Identifier: GPL-2.0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xs_util.h"

static void *out_of_memory(size_t size)
{
    fprintf(stderr, "xenstored: out of memory (%zu bytes)\n", size);
    abort();
}

void *xs_zalloc(size_t size)
{
    void *p = calloc(1, size ? size : 1);

    return p ? p : out_of_memory(size);
}

void *xs_realloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);

    return q ? q : out_of_memory(size);
}

void *xs_memdup(const void *p, size_t size)
{
    void *q = xs_zalloc(size);

    if ( size )
        memcpy(q, p, size);
    return q;
}

char *xs_strndup(const char *s, size_t n)
{
    char *q = xs_zalloc(n + 1);

    memcpy(q, s, n);
    return q;
}

char *xs_strdup(const char *s)
{
    return xs_strndup(s, strlen(s));
}

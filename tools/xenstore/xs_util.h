/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Allocation helpers.  xenstored keeps no state it could sensibly continue
 * without, and guests' use of memory is bounded by quotas, so running out of
 * memory ends the daemon with a message instead of threading ENOMEM through
 * every path (and half-applied changes with it).
 */
#ifndef XS_UTIL_H
#define XS_UTIL_H

#include <stddef.h>

void *xs_zalloc(size_t size);
void *xs_realloc(void *p, size_t size);
void *xs_memdup(const void *p, size_t size);
char *xs_strdup(const char *s);
char *xs_strndup(const char *s, size_t n);

#define XS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* XS_UTIL_H */

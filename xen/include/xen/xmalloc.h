/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small-object allocator for the hypervisor's own data (common/xmalloc.c).
 *
 * Every result is aligned to XMALLOC_ALIGN bytes.  Requests up to
 * XMALLOC_MAX_SMALL bytes come from power-of-two size classes carved out of
 * xenheap pages; larger ones are whole blocks of pages.  xmalloc_bytes(0)
 * returns a unique minimum-size object.  xfree(NULL) does nothing; xfree()
 * of anything else that is not a live xmalloc result panics.
 *
 * Usable after end_boot_allocator().
 */
#ifndef XEN_XMALLOC_H
#define XEN_XMALLOC_H

#include <xen/compiler.h>
#include <xen/types.h>

#define XMALLOC_ALIGN       16
#define XMALLOC_MAX_SMALL   2048

void *xmalloc_bytes(size_t size);
void *xzalloc_bytes(size_t size);
/* nr elements of elem_size bytes; NULL if the product overflows. */
void *xmalloc_array_bytes(size_t elem_size, size_t nr);
void *xzalloc_array_bytes(size_t elem_size, size_t nr);
void xfree(void *p);

/* Bytes handed out and not yet freed, rounded up to the size classes. */
size_t xmalloc_bytes_in_use(void);
void xmalloc_report(void);

/* A type needing more than XMALLOC_ALIGN alignment is refused at build time. */
#define XMALLOC_CHECK_TYPE(type) \
    BUILD_BUG_ON(__alignof__(type) > XMALLOC_ALIGN)

#define xmalloc(type) \
    ({ XMALLOC_CHECK_TYPE(type); (type *)xmalloc_bytes(sizeof(type)); })
#define xzalloc(type) \
    ({ XMALLOC_CHECK_TYPE(type); (type *)xzalloc_bytes(sizeof(type)); })
#define xmalloc_array(type, n) \
    ({ XMALLOC_CHECK_TYPE(type); \
       (type *)xmalloc_array_bytes(sizeof(type), (n)); })
#define xzalloc_array(type, n) \
    ({ XMALLOC_CHECK_TYPE(type); \
       (type *)xzalloc_array_bytes(sizeof(type), (n)); })

#ifdef __XEN_HOST_TEST__
void xmalloc_reset_for_test(void);
#endif

#endif /* XEN_XMALLOC_H */

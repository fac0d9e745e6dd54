/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A booted heap for tests that link bootmem.c, page_alloc.c and xmalloc.c:
 * a fake machine of `bytes`, RAM from 1 MiB up handed to the boot
 * allocator, the frame table built and everything else given to the buddy
 * heap.  Returns the heap's free pages, for leak checks at the end.
 */
#ifndef UNIT_HEAP_FIXTURE_H
#define UNIT_HEAP_FIXTURE_H

#include "harness.h"
#include <xen/mm.h>
#include <xen/xmalloc.h>

static inline unsigned long boot_test_heap(size_t bytes)
{
    bootmem_reset_for_test();
    page_alloc_reset_for_test();
    xmalloc_reset_for_test();
    host_test_log_clear();
    host_test_panic_expected = 0;
    host_test_ram_init(bytes);
    bootmem_add_range(1UL << 20, bytes);
    init_frametable(bytes >> PAGE_SHIFT);
    end_boot_allocator();
    return avail_heap_pages();
}

#endif

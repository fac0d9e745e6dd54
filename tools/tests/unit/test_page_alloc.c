/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Boot allocator and buddy heap.  Each test starts from empty allocators
 * and, when it needs the heap, a fresh arena standing for physical memory.
 * Expected panics are caught with a longjmp-based panic() (the harness's
 * is weak); one panic per test, since it may leave a lock held.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#include <xen/lib.h>
#include <xen/mm.h>

#define MiB (1UL << 20)
#define GiB (1UL << 30)
#define PFN(addr) ((unsigned long)(addr) >> PAGE_SHIFT)

/* ------------------------------------------------------------------ */
/* Catching panic(). */

/* assert_panics() comes from harness.h. */

/* ------------------------------------------------------------------ */
/* Fixtures. */

static int reset_allocators(void **state)
{
    bootmem_reset_for_test();
    page_alloc_reset_for_test();
    host_test_log_clear();
    host_test_panic_expected = 0;
    return 0;
}

static int unmap_ram(void **state)
{
    host_test_ram_fini();
    return 0;
}

/* Frame table and heap over the boot allocator's free pages. */
static void start_heap(unsigned long max_pfn)
{
    init_frametable(max_pfn);
    end_boot_allocator();
}

/* A plain machine: RAM [1 MiB, 64 MiB), the "image" at [2 MiB, 4 MiB). */
static void start_small_machine(void)
{
    host_test_ram_init(64 * MiB);
    bootmem_add_range(1 * MiB, 64 * MiB);
    bootmem_reserve_range(2 * MiB, 4 * MiB);
    start_heap(PFN(64 * MiB));
}

static unsigned long free_blocks_by_order[MAX_ORDER + 1];

static void snapshot_free_blocks(void)
{
    unsigned int order;

    for ( order = 0; order <= MAX_ORDER; order++ )
        free_blocks_by_order[order] = heap_free_blocks(order);
}

/* Coalescing restored exactly the blocks there were. */
static void assert_free_blocks_as_snapshot(void)
{
    unsigned int order;

    for ( order = 0; order <= MAX_ORDER; order++ )
        assert_int_equal(heap_free_blocks(order), free_blocks_by_order[order]);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* ------------------------------------------------------------------ */
/* Boot allocator. */

static void test_bootmem_rounds_partial_pages_in(void **state)
{
    bootmem_add_range(0x1001, 0x5fff);     /* pages 2, 3, 4 only */
    assert_int_equal(bootmem_total_pages(), 3);
    assert_int_equal(bootmem_free_pages(), 3);
    assert_int_equal(alloc_boot_pages_below(1, 1, INVALID_MFN), 4);
    assert_int_equal(alloc_boot_pages_below(1, 1, INVALID_MFN), 3);
    assert_int_equal(alloc_boot_pages_below(1, 1, INVALID_MFN), 2);
    assert_int_equal(alloc_boot_pages_below(1, 1, INVALID_MFN), INVALID_MFN);
}

static void test_bootmem_ignores_empty_ranges(void **state)
{
    bootmem_add_range(0x1000, 0x1fff);     /* less than a page */
    bootmem_add_range(0x1800, 0x2800);     /* straddles, no whole page */
    bootmem_add_range(0x5000, 0x5000);     /* empty */
    bootmem_add_range(0x9000, 0x3000);     /* inverted */
    assert_int_equal(bootmem_total_pages(), 0);
    assert_int_equal(bootmem_free_pages(), 0);
    assert_int_equal(alloc_boot_pages_below(1, 1, INVALID_MFN), INVALID_MFN);
}

static void test_bootmem_merges_overlapping_and_adjacent(void **state)
{
    bootmem_add_range(0x10000, 0x20000);   /* pages 16..31 */
    bootmem_add_range(0x20000, 0x30000);   /* adjacent: 32..47 */
    bootmem_add_range(0x18000, 0x28000);   /* inside both */
    bootmem_add_range(0x8000, 0x12000);    /* overlaps the start: 8..17 */
    assert_int_equal(bootmem_total_pages(), 48 - 8);
    assert_int_equal(bootmem_free_pages(), 40);
    /* One range: a single 40-page block fits. */
    assert_int_equal(alloc_boot_pages_below(40, 1, INVALID_MFN), 8);
    assert_int_equal(bootmem_free_pages(), 0);
}

static void test_bootmem_unsorted_adds(void **state)
{
    bootmem_add_range(0x100000, 0x200000);
    bootmem_add_range(0x10000, 0x20000);
    bootmem_add_range(0x400000, 0x500000);
    assert_int_equal(bootmem_total_pages(), 256 + 16 + 256);
    /* Highest first. */
    assert_int_equal(alloc_boot_pages_below(1, 1, INVALID_MFN), 0x4ff);
    assert_int_equal(alloc_boot_pages_below(256, 1, 0x400), 0x100);
    assert_int_equal(alloc_boot_pages_below(16, 1, 0x400), 0x10);
}

static void test_bootmem_reserve_splits_a_range(void **state)
{
    unsigned long mfn, got = 0;

    bootmem_add_range(0, 16 * MiB);
    /* Partial pages are taken whole: pages 1024..1279. */
    bootmem_reserve_range(4 * MiB + 1, 5 * MiB - 1);
    assert_int_equal(bootmem_free_pages(), 4096 - 256);
    assert_int_equal(bootmem_total_pages(), 4096);

    /* The highest page below 1280 is under the hole. */
    assert_int_equal(alloc_boot_pages_below(1, 1, 1280), 1023);

    /* Nothing handed out lies in the reserved hole. */
    while ( (mfn = alloc_boot_pages_below(1, 1, INVALID_MFN)) != INVALID_MFN )
    {
        assert_false(mfn >= 1024 && mfn < 1280);
        assert_true(mfn < 4096);
        got++;
    }
    assert_int_equal(got, 4096 - 256 - 1);
}

static void test_bootmem_reserve_edges(void **state)
{
    bootmem_add_range(0x10000, 0x20000);   /* 16..31 */
    bootmem_add_range(0x30000, 0x40000);   /* 48..63 */

    bootmem_reserve_range(0x0, 0x1000);    /* outside: no effect */
    bootmem_reserve_range(0x20000, 0x30000); /* the gap: no effect */
    bootmem_reserve_range(0x5000, 0x5000); /* empty */
    assert_int_equal(bootmem_free_pages(), 32);

    bootmem_reserve_range(0x8000, 0x11000);  /* head of the first */
    bootmem_reserve_range(0x3f000, 0x50000); /* tail of the second */
    assert_int_equal(bootmem_free_pages(), 30);

    bootmem_reserve_range(0x1f000, 0x31000); /* across the gap */
    assert_int_equal(bootmem_free_pages(), 28);

    bootmem_reserve_range(0x11000, 0x1f000); /* the whole first range */
    assert_int_equal(bootmem_free_pages(), 14);
    assert_int_equal(alloc_boot_pages_below(1, 1, 0x31), INVALID_MFN);
    assert_int_equal(alloc_boot_pages_below(14, 1, INVALID_MFN), 0x31);

    /* Registered pages are not changed by reserving. */
    assert_int_equal(bootmem_total_pages(), 32);
}

static void test_bootmem_alignment(void **state)
{
    bootmem_add_range(0x3000, 0x400000);   /* pages 3..1023 */
    assert_int_equal(alloc_boot_pages(1, 512), 512);
    /* Left: 3..511 and 513..1023, neither holding two 512-aligned pages. */
    assert_int_equal(alloc_boot_pages_below(2, 512, INVALID_MFN), INVALID_MFN);
    assert_int_equal(alloc_boot_pages_below(4, 4, INVALID_MFN), 1020);
    assert_int_equal(alloc_boot_pages_below(1, 0, INVALID_MFN), 1019);
    assert_int_equal(alloc_boot_pages_below(16, 16, 0x100), 0xf0);
    /* Alignment carves from the middle: the pages around are still free. */
    assert_int_equal(bootmem_free_pages(), 1021 - 1 - 4 - 1 - 16);
    assert_int_equal(alloc_boot_pages_below(1, 1, 0x101), 0x100);
    assert_int_equal(alloc_boot_pages_below(1, 1, 0x200), 0x1ff);
    assert_int_equal(alloc_boot_pages_below(1, 1, 0x100), 0xef);
}

static void test_bootmem_alignment_must_be_power_of_two(void **state)
{
    bootmem_add_range(0, 0x100000);
    assert_panics(alloc_boot_pages_below(1, 3, INVALID_MFN), "power of two");
}

static void test_bootmem_below_limits(void **state)
{
    /* Low memory, then RAM below and above 4 GiB. */
    bootmem_add_range(0x1000, 0x9f000);
    bootmem_add_range(1 * MiB, 3 * GiB);
    bootmem_add_range(4 * GiB, 6 * GiB);

    /* Unlimited requests come from the top of RAM. */
    assert_int_equal(alloc_boot_pages(1, 1), PFN(6 * GiB) - 1);
    /* Below-4G requests from the top of the low 4 GiB. */
    assert_int_equal(alloc_boot_pages_below(1, 1, PFN(4 * GiB)),
                     PFN(3 * GiB) - 1);
    /* Below 1 MiB: the top of low memory. */
    assert_int_equal(alloc_boot_pages_below(1, 1, PFN(MiB)), 0x9e);
    /* Limits inside a range, at its end, and below all RAM. */
    assert_int_equal(alloc_boot_pages_below(2, 1, PFN(2 * MiB)),
                     PFN(2 * MiB) - 2);
    assert_int_equal(alloc_boot_pages_below(1, 1, 0x9e), 0x9d);
    assert_int_equal(alloc_boot_pages_below(1, 1, 1), INVALID_MFN);
    assert_int_equal(alloc_boot_pages_below(1, 1, 0), INVALID_MFN);
    /* Too big to fit below the limit although RAM is plentiful. */
    assert_int_equal(alloc_boot_pages_below(0x9f, 1, PFN(MiB)), INVALID_MFN);
    assert_int_equal(alloc_boot_pages_below(0, 1, INVALID_MFN), INVALID_MFN);
}

static void test_bootmem_fragmentation(void **state)
{
    bootmem_add_range(0x0000, 0x1000);
    bootmem_add_range(0x2000, 0x3000);
    bootmem_add_range(0x4000, 0x5000);
    assert_int_equal(bootmem_free_pages(), 3);
    assert_int_equal(alloc_boot_pages_below(2, 1, INVALID_MFN), INVALID_MFN);
    assert_int_equal(bootmem_free_pages(), 3);
}

static void test_bootmem_out_of_memory_panics(void **state)
{
    bootmem_add_range(0, 16 * MiB);
    assert_int_equal(alloc_boot_pages(4096, 1), 0);
    assert_panics(alloc_boot_pages(1, 1), "out of memory");
}

static void test_bootmem_out_of_memory_message(void **state)
{
    bootmem_add_range(0, 1 * MiB);
    assert_panics(alloc_boot_pages(512, 1), "cannot allocate 512 pages");
    assert_non_null(strstr(host_test_panic_msg, "256 pages free"));
}

static void test_bootmem_too_many_ranges_warns(void **state)
{
    unsigned int i;

    /* 130 disjoint one-page ranges: the last two are dropped. */
    for ( i = 0; i < 130; i++ )
        bootmem_add_range((paddr_t)i * 0x2000, (paddr_t)i * 0x2000 + 0x1000);
    assert_int_equal(bootmem_free_pages(), 128);
    assert_int_equal(bootmem_total_pages(), 128);
    assert_true(host_test_log_contains("more than 128 RAM ranges"));
    /* Filling a gap still works when it merges with neighbours. */
    bootmem_add_range(0x1000, 0x2000);
    assert_int_equal(bootmem_free_pages(), 129);
    assert_int_equal(bootmem_total_pages(), 129);
}

static void test_bootmem_split_when_full_panics(void **state)
{
    unsigned int i;

    for ( i = 0; i < 128; i++ )
        bootmem_add_range((paddr_t)i * 0x10000, (paddr_t)i * 0x10000 + 0x8000);
    assert_panics(bootmem_reserve_range(0x2000, 0x3000), "free ranges");
}

static void test_bootmem_use_after_end_panics(void **state)
{
    host_test_ram_init(16 * MiB);
    bootmem_add_range(1 * MiB, 16 * MiB);
    start_heap(PFN(16 * MiB));
    assert_panics(bootmem_add_range(0, 0x1000), "after end_boot_allocator");
}

static void test_end_boot_allocator_needs_frame_table(void **state)
{
    bootmem_add_range(1 * MiB, 16 * MiB);
    assert_panics(end_boot_allocator(), "init_frametable");
}

/* ------------------------------------------------------------------ */
/* Frame table and handing over to the heap. */

static void test_handover_gives_exactly_the_free_pages(void **state)
{
    unsigned long before, ft_pages = PFN_UP(PFN(64 * MiB) * 32), mfn;

    host_test_ram_init(64 * MiB);
    bootmem_add_range(1 * MiB, 64 * MiB);
    bootmem_reserve_range(2 * MiB, 4 * MiB);
    assert_int_equal(alloc_boot_pages_below(1, 1, PFN(MiB) + 1), PFN(MiB));
    init_frametable(PFN(64 * MiB));
    before = bootmem_free_pages();
    assert_int_equal(before, PFN(63 * MiB) - PFN(2 * MiB) - 1 - ft_pages);
    end_boot_allocator();

    assert_int_equal(sizeof(struct page_info), 32);
    assert_int_equal(max_page, PFN(64 * MiB));
    assert_int_equal(total_heap_pages(), before);
    assert_int_equal(avail_heap_pages(), before);
    assert_int_equal(bootmem_free_pages(), 0);

    /* Holes, reserved, boot-allocated and frame-table frames are absent. */
    for ( mfn = 0; mfn < max_page; mfn++ )
    {
        bool heap = mfn > PFN(MiB) && !(mfn >= PFN(2 * MiB) && mfn < PFN(4 * MiB)) &&
                    !(mfn >= virt_to_mfn(frame_table) &&
                      mfn < virt_to_mfn(frame_table) + ft_pages);

        assert_int_equal(page_is_free(mfn_to_page(mfn)), heap);
    }
    heap_check_consistency();
}

static void test_handover_drops_ram_above_frame_table(void **state)
{
    host_test_ram_init(32 * MiB);
    bootmem_add_range(1 * MiB, 32 * MiB);
    init_frametable(PFN(16 * MiB));
    end_boot_allocator();
    assert_true(host_test_log_contains("pages above the frame table not used"));
    assert_true(total_heap_pages() < PFN(16 * MiB));
    assert_true(total_heap_pages() > PFN(14 * MiB));
    heap_check_consistency();
}

static void test_init_heap_pages_twice_panics(void **state)
{
    start_small_machine();
    assert_panics(init_heap_pages(PFN(8 * MiB), 4), "already in the heap");
}

static void test_init_heap_pages_beyond_table_panics(void **state)
{
    start_small_machine();
    assert_panics(init_heap_pages(PFN(64 * MiB) - 1, 2), "beyond the frame table");
}

/* ------------------------------------------------------------------ */
/* Buddy allocator. */

static void test_alloc_every_order(void **state)
{
    unsigned int order;
    unsigned long start;

    /* 2 GiB of RAM so a 1 GiB block exists; only the frame table is touched. */
    host_test_ram_init(2 * GiB + 64 * MiB);
    bootmem_add_range(1 * MiB, 2 * GiB + 64 * MiB);
    start_heap(PFN(2 * GiB + 64 * MiB));
    start = avail_heap_pages();
    snapshot_free_blocks();
    assert_true(heap_free_blocks(MAX_ORDER) >= 1);

    for ( order = 0; order <= MAX_ORDER; order++ )
    {
        struct page_info *pg = alloc_domheap_pages(order, 0);
        unsigned long mfn, i;

        assert_non_null(pg);
        mfn = page_to_mfn(pg);
        assert_int_equal(mfn & ((1UL << order) - 1), 0);
        assert_true(mfn + (1UL << order) <= max_page);
        for ( i = 0; i < (1UL << order); i++ )
        {
            assert_true(page_is_inuse(pg + i));
            assert_false(is_xen_heap_page(pg + i));
        }
        assert_int_equal(avail_heap_pages(), start - (1UL << order));
        free_domheap_pages(pg, order);
        assert_int_equal(avail_heap_pages(), start);
        assert_free_blocks_as_snapshot();
    }
    assert_null(alloc_domheap_pages(MAX_ORDER + 1, 0));
    heap_check_consistency();
}

static void test_all_orders_at_once_then_coalesce(void **state)
{
    struct page_info *pgs[MAX_ORDER + 1];
    unsigned long start, used = 0;
    int order;

    host_test_ram_init(2 * GiB + 64 * MiB);
    bootmem_add_range(1 * MiB, 2 * GiB + 64 * MiB);
    start_heap(PFN(2 * GiB + 64 * MiB));
    start = avail_heap_pages();
    snapshot_free_blocks();

    for ( order = MAX_ORDER; order >= 0; order-- )
    {
        pgs[order] = alloc_domheap_pages(order, 0);
        assert_non_null(pgs[order]);
        used += 1UL << order;
        assert_int_equal(avail_heap_pages(), start - used);
    }
    heap_check_consistency();
    for ( order = 0; order <= MAX_ORDER; order += 2 )
        free_domheap_pages(pgs[order], order);
    for ( order = 1; order <= MAX_ORDER; order += 2 )
        free_domheap_pages(pgs[order], order);
    assert_int_equal(avail_heap_pages(), start);
    assert_free_blocks_as_snapshot();
    heap_check_consistency();
}

static void test_exhaust_and_coalesce(void **state)
{
    unsigned long total, i, n = 0;
    struct page_info **pages;

    start_small_machine();
    total = avail_heap_pages();
    snapshot_free_blocks();
    pages = calloc(total + 1, sizeof(*pages));   /* + the final NULL */
    assert_non_null(pages);

    while ( (pages[n] = alloc_domheap_page(0)) != NULL )
    {
        n++;
        assert_true(n <= total);
    }
    assert_int_equal(n, total);
    assert_int_equal(avail_heap_pages(), 0);
    assert_null(alloc_domheap_pages(0, 0));
    assert_null(alloc_xenheap_pages(0, 0));

    /* Free in a scrambled order; merging must rebuild the same blocks. */
    for ( i = n - 1; i > 0; i-- )
    {
        unsigned long j = rng() % (i + 1);
        struct page_info *t = pages[i];

        pages[i] = pages[j];
        pages[j] = t;
    }
    for ( i = 0; i < n; i++ )
        free_domheap_page(pages[i]);
    assert_int_equal(avail_heap_pages(), total);
    assert_free_blocks_as_snapshot();
    heap_check_consistency();
    free(pages);
}

static void test_free_parts_of_a_block(void **state)
{
    struct page_info *pg;
    unsigned long start;
    unsigned int i;

    start_small_machine();
    start = avail_heap_pages();
    snapshot_free_blocks();
    pg = alloc_domheap_pages(3, 0);
    assert_non_null(pg);
    /* Free an order-3 allocation as an order-2 half and four single pages. */
    free_domheap_pages(pg + 4, 2);
    for ( i = 0; i < 4; i++ )
    {
        assert_int_equal(avail_heap_pages(), start - 4 + i);
        free_domheap_page(pg + i);
    }
    assert_int_equal(avail_heap_pages(), start);
    assert_free_blocks_as_snapshot();
    heap_check_consistency();
}

static void test_highest_memory_first(void **state)
{
    struct page_info *a, *b;

    start_small_machine();
    /* The frame table took the top of RAM; the heap starts below it. */
    assert_int_equal(virt_to_mfn(frame_table), PFN(64 * MiB) - 128);
    a = alloc_domheap_page(0);
    b = alloc_domheap_page(0);
    assert_int_equal(page_to_mfn(a), PFN(64 * MiB) - 129);
    assert_int_equal(page_to_mfn(b), PFN(64 * MiB) - 130);
    free_domheap_page(a);
    free_domheap_page(b);
}

static void test_accounting_and_report(void **state)
{
    struct page_info *a, *b;
    char expect[128];
    unsigned long total;

    start_small_machine();
    total = total_heap_pages();
    assert_int_equal(avail_heap_pages(), total);
    a = alloc_domheap_pages(4, 0);
    b = alloc_domheap_pages(0, 0);
    assert_int_equal(total_heap_pages(), total);
    assert_int_equal(avail_heap_pages(), total - 17);

    host_test_log_clear();
    page_alloc_report();
    snprintf(expect, sizeof(expect),
             "Heap: %lu pages total, %lu free, 17 used (%lu MiB free)",
             total, total - 17, (total - 17) >> 8);
    assert_true(host_test_log_contains(expect));
    assert_true(host_test_log_contains("pages free below 4 GiB"));

    free_domheap_pages(a, 4);
    free_domheap_page(b);
    assert_int_equal(avail_heap_pages(), total);
}

static void test_xenheap_through_direct_map(void **state)
{
    unsigned long start;
    unsigned char *p;
    struct page_info *pg;

    start_small_machine();
    start = avail_heap_pages();
    p = alloc_xenheap_pages(2, 0);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p & (4 * PAGE_SIZE - 1), 0);
    memset(p, 0xa5, 4 * PAGE_SIZE);           /* it is real, mapped memory */
    pg = virt_to_page(p);
    assert_ptr_equal(virt_to_heap_page(p + 3 * PAGE_SIZE), pg + 3);
    assert_ptr_equal(page_to_virt(pg), p);
    assert_true(is_xen_heap_page(pg));
    assert_true(is_xen_heap_page(pg + 3));
    assert_int_equal(avail_heap_pages(), start - 4);
    free_xenheap_pages(p, 2);
    assert_false(is_xen_heap_page(pg));
    assert_int_equal(avail_heap_pages(), start);
    free_xenheap_pages(NULL, 0);               /* no-op */
    assert_int_equal(avail_heap_pages(), start);
    assert_null(virt_to_heap_page(&start));
}

/* RAM below 32 MiB and above 4 GiB in a sparse arena. */
static void start_machine_above_4g(void)
{
    host_test_ram_init(4 * GiB + 128 * MiB);
    bootmem_add_range(1 * MiB, 32 * MiB);
    bootmem_add_range(4 * GiB, 4 * GiB + 128 * MiB);
    start_heap(PFN(4 * GiB + 128 * MiB));
}

static void test_memory_above_4g(void **state)
{
    unsigned long low, start;
    struct page_info *pg;
    unsigned char *p;

    start_machine_above_4g();
    start = avail_heap_pages();
    low = avail_heap_pages_below_bits(32);
    assert_int_equal(low, PFN(31 * MiB));
    assert_int_equal(avail_heap_pages_below_bits(25), PFN(31 * MiB));
    assert_int_equal(avail_heap_pages_below_bits(20), 0);
    assert_int_equal(avail_heap_pages_below_bits(11), 0);
    /* The frame table (32.5 MiB) came from the top, above 4 GiB. */
    assert_true(virt_to_maddr(frame_table) >= 4 * GiB);
    assert_int_equal(total_heap_pages(),
                     PFN(31 * MiB) + PFN(128 * MiB) -
                     PFN_UP(PFN(4 * GiB + 128 * MiB) * 32));

    /* Unrestricted requests are served from above 4 GiB. */
    pg = alloc_domheap_pages(9, 0);
    assert_non_null(pg);
    assert_true(page_to_maddr(pg) >= 4 * GiB);
    assert_int_equal(avail_heap_pages_below_bits(32), low);

    /* And the memory there is usable through the direct map. */
    p = alloc_xenheap_pages(0, 0);
    assert_non_null(p);
    assert_true(virt_to_maddr(p) >= 4 * GiB);
    memset(p, 0x5a, PAGE_SIZE);
    assert_int_equal(p[PAGE_SIZE - 1], 0x5a);

    free_xenheap_pages(p, 0);
    free_domheap_pages(pg, 9);
    assert_int_equal(avail_heap_pages(), start);
    heap_check_consistency();
}

static void test_memf_bits_honoured(void **state)
{
    struct page_info *pg, *first = NULL;
    unsigned long low, n = 0, start;

    start_machine_above_4g();
    start = avail_heap_pages();
    low = avail_heap_pages_below_bits(32);

    pg = alloc_domheap_pages(0, MEMF_bits(32));
    assert_non_null(pg);
    assert_true(page_to_maddr(pg) < 4 * GiB);
    /* Highest suitable first: the top of low RAM. */
    assert_int_equal(page_to_maddr(pg), 32 * MiB - PAGE_SIZE);
    free_domheap_page(pg);

    assert_null(alloc_domheap_pages(0, MEMF_bits(20)));  /* no RAM < 1 MiB */
    assert_null(alloc_domheap_pages(0, MEMF_bits(8)));   /* below a page */

    /* Exhaust low memory in order-4 chunks; each one below 4 GiB. */
    while ( (pg = alloc_domheap_pages(4, MEMF_bits(32))) != NULL )
    {
        assert_true(page_to_maddr(pg) + (PAGE_SIZE << 4) <= 4 * GiB);
        pg->list.next = first ? page_to_mfn(first) : PAGE_LIST_NULL;
        first = pg;
        n++;
    }
    assert_int_equal(n, low >> 4);
    assert_int_equal(avail_heap_pages_below_bits(32), 0);
    /* High memory still serves normal requests, not limited ones. */
    pg = alloc_domheap_page(0);
    assert_non_null(pg);
    assert_null(alloc_domheap_pages(0, MEMF_bits(32)));
    free_domheap_page(pg);

    while ( first )
    {
        uint32_t next = first->list.next;

        free_domheap_pages(first, 4);
        first = next == PAGE_LIST_NULL ? NULL : mfn_to_page(next);
    }
    assert_int_equal(avail_heap_pages_below_bits(32), low);
    assert_int_equal(avail_heap_pages(), start);
    heap_check_consistency();
}

static void test_memf_bits_above_physical_width(void **state)
{
    struct page_info *pg;

    start_small_machine();
    pg = alloc_domheap_pages(0, MEMF_bits(60));   /* wider than any zone */
    assert_non_null(pg);
    free_domheap_page(pg);
    pg = alloc_domheap_pages(0, MEMF_bits(26));   /* 64 MiB: everything */
    assert_non_null(pg);
    assert_int_equal(page_to_mfn(pg), virt_to_mfn(frame_table) - 1);
    free_domheap_page(pg);
}

/* Randomised allocations and frees checked against a shadow of RAM. */
struct live_block {
    struct page_info *pg;
    unsigned int order;
    bool xenheap;
};

static void test_random_stress_against_shadow(void **state)
{
    enum { MAX_LIVE = 512, ROUNDS = 20000 };
    static struct live_block live[MAX_LIVE];
    unsigned char *shadow;
    unsigned long start, in_use = 0, round;
    unsigned int nr_live = 0, i;

    start_machine_above_4g();
    start = avail_heap_pages();
    snapshot_free_blocks();
    shadow = calloc(max_page, 1);
    assert_non_null(shadow);

    for ( round = 0; round < ROUNDS; round++ )
    {
        bool do_alloc = nr_live == 0 || (nr_live < MAX_LIVE && rng() % 100 < 55);

        if ( do_alloc )
        {
            unsigned int order = rng() % 7;
            bool low = rng() % 4 == 0, xenheap = rng() % 2;
            unsigned int flags = low ? MEMF_bits(32) : 0;
            struct page_info *pg;
            unsigned long mfn;

            if ( xenheap )
            {
                void *va = alloc_xenheap_pages(order, flags);

                pg = va ? virt_to_page(va) : NULL;
            }
            else
                pg = alloc_domheap_pages(order, flags);
            if ( !pg )
            {
                /* Only when nothing suitable is left. */
                assert_true(low || avail_heap_pages() < (1UL << order) ||
                            heap_free_blocks(order) == 0);
                continue;
            }
            mfn = page_to_mfn(pg);
            assert_int_equal(mfn & ((1UL << order) - 1), 0);
            if ( low )
                assert_true(mfn + (1UL << order) <= PFN(4 * GiB));
            for ( i = 0; i < (1U << order); i++ )
            {
                assert_int_equal(shadow[mfn + i], 0);
                shadow[mfn + i] = 1;
            }
            live[nr_live++] = (struct live_block){ pg, order, xenheap };
            in_use += 1UL << order;
        }
        else
        {
            unsigned int k = rng() % nr_live;
            struct live_block b = live[k];
            unsigned long mfn = page_to_mfn(b.pg);

            live[k] = live[--nr_live];
            for ( i = 0; i < (1U << b.order); i++ )
            {
                assert_int_equal(shadow[mfn + i], 1);
                shadow[mfn + i] = 0;
            }
            if ( b.xenheap )
                free_xenheap_pages(page_to_virt(b.pg), b.order);
            else
                free_domheap_pages(b.pg, b.order);
            in_use -= 1UL << b.order;
        }
        assert_int_equal(avail_heap_pages(), start - in_use);
        if ( round % 2500 == 0 )
            heap_check_consistency();
    }

    while ( nr_live )
    {
        struct live_block b = live[--nr_live];

        if ( b.xenheap )
            free_xenheap_pages(page_to_virt(b.pg), b.order);
        else
            free_domheap_pages(b.pg, b.order);
    }
    assert_int_equal(avail_heap_pages(), start);
    assert_free_blocks_as_snapshot();
    heap_check_consistency();
    free(shadow);
}

/* ------------------------------------------------------------------ */
/* Misuse: hypervisor bugs, caught. */

static void test_double_free_panics(void **state)
{
    struct page_info *pg;

    start_small_machine();
    pg = alloc_domheap_pages(1, 0);
    free_domheap_pages(pg, 1);
    assert_panics(free_domheap_pages(pg, 1), "double free");
}

static void test_double_free_of_part_panics(void **state)
{
    struct page_info *pg;

    start_small_machine();
    pg = alloc_domheap_pages(2, 0);
    free_domheap_page(pg + 1);
    assert_panics(free_domheap_pages(pg, 2), "double free");
    /* Caught before anything changed: the other pages are still in use. */
    assert_true(page_is_inuse(pg));
    assert_true(page_is_inuse(pg + 3));
}

static void test_free_of_never_allocated_panics(void **state)
{
    start_small_machine();
    /* Inside the reserved "image". */
    assert_panics(free_domheap_page(mfn_to_page(PFN(3 * MiB))), "never handed out");
}

static void test_free_of_never_allocated_hole_panics(void **state)
{
    start_small_machine();
    assert_panics(free_domheap_page(mfn_to_page(5)), "never handed out");
}

static void test_free_of_free_page_panics(void **state)
{
    start_small_machine();
    /* Free, in the heap, but never allocated: a double free. */
    assert_panics(free_domheap_page(mfn_to_page(PFN(8 * MiB))), "double free");
}

static void test_free_unaligned_panics(void **state)
{
    struct page_info *pg;

    start_small_machine();
    pg = alloc_domheap_pages(2, 0);
    assert_panics(free_domheap_pages(pg + 1, 1), "not aligned");
}

static void test_free_order_too_big_panics(void **state)
{
    start_small_machine();
    assert_panics(free_domheap_pages(frame_table, MAX_ORDER + 1), "order");
}

static void test_free_outside_frame_table_panics(void **state)
{
    start_small_machine();
    assert_panics(free_domheap_page(frame_table + max_page), "outside the frame table");
}

static void test_free_xenheap_of_domheap_page_panics(void **state)
{
    struct page_info *pg;

    start_small_machine();
    pg = alloc_domheap_page(0);
    assert_panics(free_xenheap_pages(page_to_virt(pg), 0), "domheap page");
}

static void test_free_xenheap_of_non_heap_pointer_panics(void **state)
{
    static char not_heap[PAGE_SIZE] __attribute__((aligned(4096)));

    start_small_machine();
    assert_panics(free_xenheap_pages(not_heap, 0), "not a page of the heap");
}

static void test_free_xenheap_unaligned_panics(void **state)
{
    char *p;

    start_small_machine();
    p = alloc_xenheap_pages(0, 0);
    assert_panics(free_xenheap_pages(p + 8, 0), "not a page of the heap");
}

#define T(name) cmocka_unit_test_setup_teardown(name, reset_allocators, unmap_ram)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_bootmem_rounds_partial_pages_in),
        T(test_bootmem_ignores_empty_ranges),
        T(test_bootmem_merges_overlapping_and_adjacent),
        T(test_bootmem_unsorted_adds),
        T(test_bootmem_reserve_splits_a_range),
        T(test_bootmem_reserve_edges),
        T(test_bootmem_alignment),
        T(test_bootmem_alignment_must_be_power_of_two),
        T(test_bootmem_below_limits),
        T(test_bootmem_fragmentation),
        T(test_bootmem_out_of_memory_panics),
        T(test_bootmem_out_of_memory_message),
        T(test_bootmem_too_many_ranges_warns),
        T(test_bootmem_split_when_full_panics),
        T(test_bootmem_use_after_end_panics),
        T(test_end_boot_allocator_needs_frame_table),
        T(test_handover_gives_exactly_the_free_pages),
        T(test_handover_drops_ram_above_frame_table),
        T(test_init_heap_pages_twice_panics),
        T(test_init_heap_pages_beyond_table_panics),
        T(test_alloc_every_order),
        T(test_all_orders_at_once_then_coalesce),
        T(test_exhaust_and_coalesce),
        T(test_free_parts_of_a_block),
        T(test_highest_memory_first),
        T(test_accounting_and_report),
        T(test_xenheap_through_direct_map),
        T(test_memory_above_4g),
        T(test_memf_bits_honoured),
        T(test_memf_bits_above_physical_width),
        T(test_random_stress_against_shadow),
        T(test_double_free_panics),
        T(test_double_free_of_part_panics),
        T(test_free_of_never_allocated_panics),
        T(test_free_of_never_allocated_hole_panics),
        T(test_free_of_free_page_panics),
        T(test_free_unaligned_panics),
        T(test_free_order_too_big_panics),
        T(test_free_outside_frame_table_panics),
        T(test_free_xenheap_of_domheap_page_panics),
        T(test_free_xenheap_of_non_heap_pointer_panics),
        T(test_free_xenheap_unaligned_panics),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

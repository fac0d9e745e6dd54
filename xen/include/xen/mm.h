/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Physical memory management.
 *
 * Two allocators, used one after the other:
 *
 *  - The boot allocator (common/bootmem.c) knows RAM as a short list of free
 *    ranges.  Boot code registers RAM, carves out what is in use, and takes
 *    pages for the page tables and the frame table.  end_boot_allocator()
 *    then hands every page still free to the heap and retires it.
 *
 *  - The heap (common/page_alloc.c) is a buddy allocator over all RAM, with
 *    one struct page_info per machine frame in the frame table.  Free blocks
 *    are kept per address zone (zone = position of the highest set bit of
 *    the MFN, as in Xen) so a request limited to low addresses can still be
 *    met while ordinary requests are served from the top of memory.
 *
 * Boot order:
 *   bootmem_add_range() for each RAM region,
 *   bootmem_reserve_range() for everything in use,
 *   alloc_boot_pages*() as needed (page tables, trampoline),
 *   init_frametable(max_pfn) once the direct map covers all RAM,
 *   end_boot_allocator(), after which alloc_*heap_pages() and xmalloc work.
 */
#ifndef XEN_MM_H
#define XEN_MM_H

#include <xen/types.h>
#include <asm/page.h>

#define INVALID_MFN     (~0UL)

/* ---------------------------------------------------------------------
 * Boot allocator.  Addresses are bytes; results and sizes are in pages.
 */

/* Register usable RAM [s, e); partial pages at either end are dropped. */
void bootmem_add_range(paddr_t s, paddr_t e);
/* Take [s, e) out of the free ranges; partial pages are taken whole. */
void bootmem_reserve_range(paddr_t s, paddr_t e);
/*
 * Allocate nr_pfns contiguous pages aligned to pfn_align pages (a power of
 * two; 0 means 1), from the top of RAM.  Panics when impossible.
 */
unsigned long alloc_boot_pages(unsigned long nr_pfns, unsigned long pfn_align);
/*
 * The same, but every page lies below limit_mfn; the highest such pages
 * are used.  Returns INVALID_MFN when impossible.
 */
unsigned long alloc_boot_pages_below(unsigned long nr_pfns,
                                     unsigned long pfn_align,
                                     unsigned long limit_mfn);
/* Give every page still free to the heap; the boot allocator is done. */
void end_boot_allocator(void);
/* Pages registered with bootmem_add_range() (overlaps counted once). */
unsigned long bootmem_total_pages(void);
/* Pages the boot allocator still has free (boot only: its data is __init). */
unsigned long bootmem_free_pages(void);

/* ---------------------------------------------------------------------
 * Frame table.
 */

/*
 * Free-list and (later) per-domain list linkage.  Links are MFNs rather
 * than pointers to keep struct page_info at 32 bytes; PAGE_LIST_NULL ends
 * a list.  32 bits cover 16 TiB of RAM, more than the direct map.
 */
#define PAGE_LIST_NULL  (~0U)

struct page_list_entry {
    uint32_t next, prev;
};

struct page_list_head {
    uint32_t first, last;
};

#define PAGE_LIST_HEAD_INIT { PAGE_LIST_NULL, PAGE_LIST_NULL }

struct domain;

struct page_info
{
    /* On a heap free list while free; on its owner's list when in use. */
    struct page_list_entry list;

    /* PGC_* state bits at the top, a reference count (later) below. */
    unsigned long count_info;

    union {
        /* Owned by a domain: page type and type count (later). */
        unsigned long type_info;
        /* Free: order of the block this page heads, or PAGE_ORDER_TAIL. */
        struct {
            unsigned int order;
        } free;
        /* Owned by xmalloc (common/xmalloc.c): the page's layout. */
        struct {
            uint16_t magic;        /* which kind of xmalloc page */
            uint16_t size_class;   /* size class, or order of a large block */
            uint16_t nr_free;      /* free objects in the page */
            uint16_t free_head;    /* page offset of first free object */
        } xmalloc;
    } u;

    union {
        struct domain *owner;      /* later: the domain owning the page */
        unsigned long pad;
    } v;
};

/* Marks a free page that is not the first page of its free block. */
#define PAGE_ORDER_TAIL (~0U)

/*
 * count_info.  A page is absent (not heap memory: a hole, reserved, or
 * taken by the boot allocator), free in the heap, or allocated.  A zeroed
 * frame table therefore describes "nothing belongs to the heap".
 */
#define PGC_xen_heap        (1UL << 63)     /* from alloc_xenheap_pages() */
#define PGC_state_shift     61
#define PGC_state_mask      (3UL << PGC_state_shift)
#define PGC_state_absent    (0UL << PGC_state_shift)
#define PGC_state_free      (1UL << PGC_state_shift)
#define PGC_state_inuse     (2UL << PGC_state_shift)
#define PGC_count_mask      ((1UL << PGC_state_shift) - 1)

#define page_state(pg)      ((pg)->count_info & PGC_state_mask)
#define page_is_free(pg)    (page_state(pg) == PGC_state_free)
#define page_is_inuse(pg)   (page_state(pg) == PGC_state_inuse)
#define is_xen_heap_page(pg) (!!((pg)->count_info & PGC_xen_heap))

extern struct page_info *frame_table;
extern unsigned long max_page;      /* frames covered by frame_table */

#define mfn_valid(mfn)      ((unsigned long)(mfn) < max_page)
#define mfn_to_page(mfn)    (frame_table + (mfn))
#define page_to_mfn(pg)     ((unsigned long)((pg) - frame_table))
#define page_to_maddr(pg)   ((paddr_t)page_to_mfn(pg) << PAGE_SHIFT)
#define page_to_virt(pg)    mfn_to_virt(page_to_mfn(pg))
#define virt_to_page(va)    mfn_to_page(virt_to_mfn(va))

/*
 * Allocate and zero the frame table for frames [0, max_pfn) from the boot
 * allocator.  Needs the direct map to cover all RAM.
 */
void init_frametable(unsigned long max_pfn);

/*
 * The page of a direct-map address inside the frame table, or NULL if the
 * address is not one: for checking pointers handed back to the allocators.
 */
struct page_info *virt_to_heap_page(const void *va);

/* ---------------------------------------------------------------------
 * Page lists (static inline: used by the heap and, later, by domains).
 */

static inline void page_list_init(struct page_list_head *head)
{
    head->first = head->last = PAGE_LIST_NULL;
}

static inline bool page_list_empty(const struct page_list_head *head)
{
    return head->first == PAGE_LIST_NULL;
}

static inline struct page_info *page_list_first(const struct page_list_head *head)
{
    return page_list_empty(head) ? NULL : mfn_to_page(head->first);
}

static inline void page_list_add(struct page_info *pg,
                                 struct page_list_head *head)
{
    uint32_t mfn = page_to_mfn(pg);

    pg->list.prev = PAGE_LIST_NULL;
    pg->list.next = head->first;
    if ( head->first == PAGE_LIST_NULL )
        head->last = mfn;
    else
        mfn_to_page(head->first)->list.prev = mfn;
    head->first = mfn;
}

static inline void page_list_add_tail(struct page_info *pg,
                                      struct page_list_head *head)
{
    uint32_t mfn = page_to_mfn(pg);

    pg->list.next = PAGE_LIST_NULL;
    pg->list.prev = head->last;
    if ( head->last == PAGE_LIST_NULL )
        head->first = mfn;
    else
        mfn_to_page(head->last)->list.next = mfn;
    head->last = mfn;
}

static inline void page_list_del(struct page_info *pg,
                                 struct page_list_head *head)
{
    if ( pg->list.prev == PAGE_LIST_NULL )
        head->first = pg->list.next;
    else
        mfn_to_page(pg->list.prev)->list.next = pg->list.next;
    if ( pg->list.next == PAGE_LIST_NULL )
        head->last = pg->list.prev;
    else
        mfn_to_page(pg->list.next)->list.prev = pg->list.prev;
    pg->list.next = pg->list.prev = PAGE_LIST_NULL;
}

static inline struct page_info *page_list_remove_head(struct page_list_head *head)
{
    struct page_info *pg = page_list_first(head);

    if ( pg )
        page_list_del(pg, head);
    return pg;
}

/* ---------------------------------------------------------------------
 * Heap.
 */

/* Blocks go up to 2^MAX_ORDER pages (1 GiB). */
#define MAX_ORDER       18

/*
 * memflags.  MEMF_bits(n): every page of the block has a machine address
 * below 2^n (for devices limited to n address bits).  0 means no limit.
 */
#define _MEMF_bits      24
#define MEMF_bits(n)    ((unsigned int)(n) << _MEMF_bits)
#define MEMF_bits_of(f) (((f) >> _MEMF_bits) & 0xffU)

/* Add [mfn, mfn + nr) to the heap.  The frames must be RAM not in use. */
void init_heap_pages(unsigned long mfn, unsigned long nr);

/* 2^order contiguous, naturally aligned pages, or NULL. */
struct page_info *alloc_domheap_pages(unsigned int order, unsigned int memflags);
/*
 * Free 2^order pages starting at pg, which must be aligned to that order;
 * any aligned part of an earlier allocation may be freed on its own.
 */
void free_domheap_pages(struct page_info *pg, unsigned int order);

/* The same through the direct map; free_xenheap_pages(NULL, ...) is a no-op. */
void *alloc_xenheap_pages(unsigned int order, unsigned int memflags);
void free_xenheap_pages(void *va, unsigned int order);

#define alloc_domheap_page(f)   alloc_domheap_pages(0, f)
#define free_domheap_page(pg)   free_domheap_pages(pg, 0)
#define alloc_xenheap_page()    alloc_xenheap_pages(0, 0)
#define free_xenheap_page(va)   free_xenheap_pages(va, 0)

/* Smallest order whose block holds `size` bytes. */
static inline unsigned int get_order_from_bytes(size_t size)
{
    unsigned int order = 0;

    while ( order < 63 - PAGE_SHIFT && (PAGE_SIZE << order) < size )
        order++;
    return order;
}

/* Accounting, in pages. */
unsigned long total_heap_pages(void);
unsigned long avail_heap_pages(void);
/* Free pages whose machine address is below 2^bits. */
unsigned long avail_heap_pages_below_bits(unsigned int bits);
/* Number of free blocks of exactly this order (tests, diagnostics). */
unsigned long heap_free_blocks(unsigned int order);
/* Walk every free list and check it against the frame table; panics. */
void heap_check_consistency(void);
void page_alloc_report(void);

#ifdef __XEN_HOST_TEST__
/* Unit tests start each case from an empty allocator. */
void bootmem_reset_for_test(void);
void page_alloc_reset_for_test(void);
#endif

#endif /* XEN_MM_H */

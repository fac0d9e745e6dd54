/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The heap: a buddy allocator over all RAM.
 *
 * Every machine frame has a struct page_info in the frame table.  A free
 * block of 2^order pages is aligned to its size; its first page is on the
 * free list for (zone, order) and records the order, every page of it is in
 * state "free".  Allocated pages are in state "in use".  Frames the heap was
 * never given are "absent" (the zeroed frame table says so), which lets a
 * free of such a frame, or a second free, be caught at once.
 *
 * Zones: zone z holds the frames whose highest set bit is bit z - 1 (zone 0
 * is frame 0 alone), so zone z covers [2^(z-1), 2^z).  Blocks never cross a
 * zone boundary.  A request limited to n address bits searches only the
 * zones below 2^(n - PAGE_SHIFT) frames; every request searches from the
 * highest allowed zone down, so low memory stays free for those who need it.
 *
 * Freeing merges a block with its buddy as long as the buddy is a free
 * block of the same order in the same zone.
 *
 * The allocator never writes to the pages it manages: all of its state is
 * in the frame table.
 */
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/spinlock.h>
#include <xen/string.h>

/* Frame numbers have at most 52 - 12 = 40 bits, so zones 0..40. */
#define PADDR_BITS      52
#define NR_ZONES        (PADDR_BITS - PAGE_SHIFT + 1)

struct page_info *frame_table;
unsigned long max_page;

static DEFINE_SPINLOCK(heap_lock);
static struct page_list_head heap[NR_ZONES][MAX_ORDER + 1];
static unsigned long zone_avail[NR_ZONES];     /* free pages per zone */
static unsigned long total_pages;              /* pages given to the heap */
static unsigned long free_pages;

/*
 * Only memory the direct map covers can be handed out by address, and the
 * 32-bit list links cap the frame number; the frame table stops at both.
 */
#ifdef DIRECTMAP_VIRT_END
#define DIRECTMAP_FRAMES PFN_DOWN(DIRECTMAP_VIRT_END - DIRECTMAP_VIRT_START)
#else
#define DIRECTMAP_FRAMES (~0UL)
#endif
#define LIST_LINK_FRAMES ((unsigned long)PAGE_LIST_NULL)

static unsigned int mfn_zone(unsigned long mfn)
{
    return mfn ? (unsigned int)(64 - __builtin_clzl(mfn)) : 0;
}

/* Highest zone whose frames all have addresses below 2^bits. */
static int zone_limit_for_bits(unsigned int bits)
{
    if ( bits < PAGE_SHIFT )
        return -1;
    return min(bits - PAGE_SHIFT, (unsigned int)NR_ZONES - 1);
}

/* Static storage is zero, but an empty list is PAGE_LIST_NULL. */
static void init_free_lists(void)
{
    unsigned int zone, order;

    for ( zone = 0; zone < NR_ZONES; zone++ )
    {
        for ( order = 0; order <= MAX_ORDER; order++ )
            page_list_init(&heap[zone][order]);
        zone_avail[zone] = 0;
    }
}

/* ---------------------------------------------------------------------
 * Frame table.
 */

void __init init_frametable(unsigned long max_pfn)
{
    unsigned long nr, mfn, limit = min(DIRECTMAP_FRAMES, LIST_LINK_FRAMES);

    BUILD_BUG_ON(sizeof(struct page_info) != 32);
    if ( frame_table )
        panic("init_frametable() called twice");
    if ( !max_pfn )
        panic("init_frametable(): no RAM");
    if ( max_pfn > limit )
    {
        printk(XENLOG_WARNING "Frame table: RAM above %lu GiB not usable\n",
               limit >> (30 - PAGE_SHIFT));
        max_pfn = limit;
    }

    nr = PFN_UP(max_pfn * sizeof(struct page_info));
    /* 2 MiB alignment lets the direct map cover it with superpages. */
    mfn = alloc_boot_pages_below(nr, nr >= 512 ? 512 : 1, INVALID_MFN);
    if ( mfn == INVALID_MFN )
        mfn = alloc_boot_pages(nr, 1);
    frame_table = mfn_to_virt(mfn);
    memset(frame_table, 0, nr << PAGE_SHIFT);
    max_page = max_pfn;
    init_free_lists();
}

struct page_info *virt_to_heap_page(const void *va)
{
    unsigned long off = (unsigned long)va - (unsigned long)maddr_to_virt(0);

    if ( !frame_table || off >= (max_page << PAGE_SHIFT) )
        return NULL;
    return mfn_to_page(off >> PAGE_SHIFT);
}

/* ---------------------------------------------------------------------
 * Free lists.  All callers hold heap_lock.
 */

static bool is_free_head_of_order(const struct page_info *pg,
                                  unsigned int order)
{
    return page_is_free(pg) && pg->u.free.order == order;
}

static void list_free_block(struct page_info *pg, unsigned int order,
                            unsigned int zone)
{
    pg->u.free.order = order;
    page_list_add(pg, &heap[zone][order]);
}

/*
 * Put a block whose pages are already marked free on the free lists,
 * merging it with its buddies for as long as they are free and in the
 * same zone.
 */
static void merge_and_list_block(unsigned long mfn, unsigned int order)
{
    unsigned int zone = mfn_zone(mfn);

    while ( order < MAX_ORDER )
    {
        unsigned long buddy_mfn = mfn ^ (1UL << order);
        struct page_info *buddy;

        if ( buddy_mfn >= max_page || mfn_zone(buddy_mfn) != zone )
            break;
        buddy = mfn_to_page(buddy_mfn);
        if ( !is_free_head_of_order(buddy, order) )
            break;
        page_list_del(buddy, &heap[zone][order]);
        /* Whichever of the two is higher is no longer a block head. */
        mfn_to_page(max(mfn, buddy_mfn))->u.free.order = PAGE_ORDER_TAIL;
        mfn = min(mfn, buddy_mfn);
        order++;
    }
    list_free_block(mfn_to_page(mfn), order, zone);
}

static void mark_block_free(struct page_info *pg, unsigned long nr)
{
    unsigned long i;

    for ( i = 0; i < nr; i++ )
    {
        pg[i].count_info = PGC_state_free;
        pg[i].u.free.order = PAGE_ORDER_TAIL;
        pg[i].v.pad = 0;
    }
}

static void account_free(unsigned long mfn, unsigned long nr)
{
    zone_avail[mfn_zone(mfn)] += nr;
    free_pages += nr;
}

/* ---------------------------------------------------------------------
 * Giving memory to the heap.
 */

/* Largest order of a block that starts at mfn and ends by end. */
static unsigned int largest_block_at(unsigned long mfn, unsigned long end)
{
    unsigned int order = 0;

    /* Frame 0 is a zone of its own. */
    if ( !mfn )
        return 0;
    while ( order < MAX_ORDER && !(mfn & (1UL << order)) &&
            mfn + (2UL << order) <= end )
        order++;
    return order;
}

static void check_frames_absent(unsigned long mfn, unsigned long nr)
{
    unsigned long i;

    for ( i = 0; i < nr; i++ )
        if ( page_state(mfn_to_page(mfn + i)) != PGC_state_absent )
            panic("init_heap_pages(): MFN %#lx is already in the heap",
                  mfn + i);
}

void init_heap_pages(unsigned long mfn, unsigned long nr)
{
    unsigned long end = mfn + nr, flags;

    if ( !frame_table )
        panic("init_heap_pages() before init_frametable()");
    if ( end < mfn || end > max_page )
        panic("init_heap_pages(%#lx, %lu): beyond the frame table (%lu frames)",
              mfn, nr, max_page);

    flags = spin_lock_irqsave(&heap_lock);
    check_frames_absent(mfn, nr);
    while ( mfn < end )
    {
        unsigned int order = largest_block_at(mfn, end);

        mark_block_free(mfn_to_page(mfn), 1UL << order);
        account_free(mfn, 1UL << order);
        merge_and_list_block(mfn, order);
        mfn += 1UL << order;
    }
    total_pages += nr;
    spin_unlock_irqrestore(&heap_lock, flags);
}

/* ---------------------------------------------------------------------
 * Allocation.
 */

/* Take a free block of at least `order` from zones [0, zone_hi]; NULL if none. */
static struct page_info *take_free_block(unsigned int order, int zone_hi,
                                         unsigned int *zone_out,
                                         unsigned int *order_out)
{
    int zone;
    unsigned int j;

    for ( zone = zone_hi; zone >= 0; zone-- )
    {
        if ( zone_avail[zone] < (1UL << order) )
            continue;
        for ( j = order; j <= MAX_ORDER; j++ )
        {
            struct page_info *pg = page_list_remove_head(&heap[zone][j]);

            if ( pg )
            {
                *zone_out = zone;
                *order_out = j;
                return pg;
            }
        }
    }
    return NULL;
}

static struct page_info *alloc_heap_pages(unsigned int order,
                                          unsigned int memflags)
{
    unsigned int bits = MEMF_bits_of(memflags), zone, j;
    int zone_hi = bits ? zone_limit_for_bits(bits) : NR_ZONES - 1;
    struct page_info *pg;
    unsigned long flags, i;

    if ( order > MAX_ORDER || zone_hi < 0 )
        return NULL;

    flags = spin_lock_irqsave(&heap_lock);
    pg = take_free_block(order, zone_hi, &zone, &j);
    if ( !pg )
    {
        spin_unlock_irqrestore(&heap_lock, flags);
        return NULL;
    }

    /* Split: the lower halves go back, we keep the highest part. */
    while ( j > order )
    {
        j--;
        list_free_block(pg, j, zone);
        pg += 1UL << j;
    }

    for ( i = 0; i < (1UL << order); i++ )
    {
        pg[i].count_info = PGC_state_inuse;
        pg[i].u.type_info = 0;
        pg[i].v.pad = 0;
        pg[i].list.next = pg[i].list.prev = PAGE_LIST_NULL;
    }
    zone_avail[zone] -= 1UL << order;
    free_pages -= 1UL << order;
    spin_unlock_irqrestore(&heap_lock, flags);
    return pg;
}

struct page_info *alloc_domheap_pages(unsigned int order, unsigned int memflags)
{
    return alloc_heap_pages(order, memflags);
}

void *alloc_xenheap_pages(unsigned int order, unsigned int memflags)
{
    struct page_info *pg = alloc_heap_pages(order, memflags);
    unsigned long i;

    if ( !pg )
        return NULL;
    /* Not yet visible to anyone else, so no lock is needed. */
    for ( i = 0; i < (1UL << order); i++ )
        pg[i].count_info |= PGC_xen_heap;
    return page_to_virt(pg);
}

/* ---------------------------------------------------------------------
 * Freeing.
 */

/*
 * Every page must be allocated, and, for free_xenheap_pages(), from the
 * xenheap.  These are hypervisor bugs: stop before anything is changed.
 */
static void check_block_in_use(const struct page_info *pg, unsigned int order,
                               bool xenheap)
{
    unsigned long mfn = page_to_mfn(pg), i;

    for ( i = 0; i < (1UL << order); i++ )
    {
        const struct page_info *p = pg + i;

        if ( page_is_free(p) )
            panic("Heap: double free of MFN %#lx (block %#lx order %u)",
                  mfn + i, mfn, order);
        if ( !page_is_inuse(p) )
            panic("Heap: free of MFN %#lx (block %#lx order %u), which the "
                  "heap never handed out", mfn + i, mfn, order);
        if ( xenheap && !is_xen_heap_page(p) )
            panic("Heap: free_xenheap_pages() of MFN %#lx, a domheap page",
                  mfn + i);
    }
}

static void check_block_shape(const struct page_info *pg, unsigned int order)
{
    unsigned long mfn;

    if ( pg < frame_table || pg >= frame_table + max_page )
        panic("Heap: free of page_info %p outside the frame table", pg);
    mfn = page_to_mfn(pg);
    if ( order > MAX_ORDER )
        panic("Heap: free of MFN %#lx with order %u > %u", mfn, order,
              MAX_ORDER);
    if ( mfn & ((1UL << order) - 1) )
        panic("Heap: free of MFN %#lx with order %u: not aligned to the order",
              mfn, order);
    if ( mfn + (1UL << order) > max_page )
        panic("Heap: free of MFN %#lx order %u runs past the frame table",
              mfn, order);
}

static void free_heap_pages(struct page_info *pg, unsigned int order,
                            bool xenheap)
{
    unsigned long flags, mfn;

    check_block_shape(pg, order);
    mfn = page_to_mfn(pg);

    flags = spin_lock_irqsave(&heap_lock);
    check_block_in_use(pg, order, xenheap);
    mark_block_free(pg, 1UL << order);
    account_free(mfn, 1UL << order);
    merge_and_list_block(mfn, order);
    spin_unlock_irqrestore(&heap_lock, flags);
}

void free_domheap_pages(struct page_info *pg, unsigned int order)
{
    free_heap_pages(pg, order, false);
}

void free_xenheap_pages(void *va, unsigned int order)
{
    struct page_info *pg;

    if ( !va )
        return;
    pg = virt_to_heap_page(va);
    if ( !pg || ((unsigned long)va & (PAGE_SIZE - 1)) )
        panic("Heap: free_xenheap_pages(%p): not a page of the heap", va);
    free_heap_pages(pg, order, true);
}

/* ---------------------------------------------------------------------
 * Accounting and diagnostics.
 */

unsigned long total_heap_pages(void)
{
    return ACCESS_ONCE(total_pages);
}

unsigned long avail_heap_pages(void)
{
    return ACCESS_ONCE(free_pages);
}

unsigned long avail_heap_pages_below_bits(unsigned int bits)
{
    int zone, zone_hi = zone_limit_for_bits(bits);
    unsigned long flags, sum = 0;

    flags = spin_lock_irqsave(&heap_lock);
    for ( zone = 0; zone <= zone_hi; zone++ )
        sum += zone_avail[zone];
    spin_unlock_irqrestore(&heap_lock, flags);
    return sum;
}

unsigned long heap_free_blocks(unsigned int order)
{
    unsigned long flags, count = 0;
    unsigned int zone;

    if ( order > MAX_ORDER )
        return 0;
    flags = spin_lock_irqsave(&heap_lock);
    for ( zone = 0; zone < NR_ZONES; zone++ )
    {
        uint32_t mfn;

        for ( mfn = heap[zone][order].first; mfn != PAGE_LIST_NULL;
              mfn = mfn_to_page(mfn)->list.next )
            count++;
    }
    spin_unlock_irqrestore(&heap_lock, flags);
    return count;
}

/* One free list: each entry a correctly placed head of free pages. */
static unsigned long check_free_list(unsigned int zone, unsigned int order)
{
    uint32_t mfn, prev = PAGE_LIST_NULL;
    unsigned long pages = 0, i;

    for ( mfn = heap[zone][order].first; mfn != PAGE_LIST_NULL;
          prev = mfn, mfn = mfn_to_page(mfn)->list.next )
    {
        const struct page_info *pg = mfn_to_page(mfn);

        if ( mfn >= max_page || pg->list.prev != prev ||
             !is_free_head_of_order(pg, order) ||
             (mfn & ((1UL << order) - 1)) || mfn_zone(mfn) != zone ||
             mfn_zone(mfn + (1UL << order) - 1) != zone )
            panic("Heap: free list (zone %u, order %u) corrupt at MFN %#x",
                  zone, order, mfn);
        for ( i = 1; i < (1UL << order); i++ )
            if ( !page_is_free(pg + i) || pg[i].u.free.order != PAGE_ORDER_TAIL )
                panic("Heap: free block at MFN %#x order %u: page %lu bad",
                      mfn, order, i);
        pages += 1UL << order;
    }
    if ( heap[zone][order].last != prev )
        panic("Heap: free list (zone %u, order %u): bad tail", zone, order);
    return pages;
}

void heap_check_consistency(void)
{
    unsigned long flags, sum = 0, zone_sum, nr_free_state = 0, mfn;
    unsigned int zone, order;

    flags = spin_lock_irqsave(&heap_lock);
    for ( zone = 0; zone < NR_ZONES; zone++ )
    {
        zone_sum = 0;
        for ( order = 0; order <= MAX_ORDER; order++ )
            zone_sum += check_free_list(zone, order);
        if ( zone_sum != zone_avail[zone] )
            panic("Heap: zone %u lists hold %lu pages, counted %lu",
                  zone, zone_sum, zone_avail[zone]);
        sum += zone_sum;
    }
    for ( mfn = 0; mfn < max_page; mfn++ )
        if ( page_is_free(mfn_to_page(mfn)) )
            nr_free_state++;
    if ( sum != free_pages || nr_free_state != free_pages ||
         free_pages > total_pages )
        panic("Heap: %lu pages on lists, %lu marked free, %lu counted free, "
              "%lu total", sum, nr_free_state, free_pages, total_pages);
    spin_unlock_irqrestore(&heap_lock, flags);
}

void page_alloc_report(void)
{
    unsigned long total = total_heap_pages(), avail = avail_heap_pages();

    printk("Heap: %lu pages total, %lu free, %lu used (%lu MiB free)\n",
           total, avail, total - avail, avail >> (20 - PAGE_SHIFT));
    printk("Heap: %lu pages free below 4 GiB\n",
           avail_heap_pages_below_bits(32));
}

#ifdef __XEN_HOST_TEST__
void page_alloc_reset_for_test(void)
{
    init_free_lists();
    frame_table = NULL;
    max_page = 0;
    total_pages = free_pages = 0;
    spin_lock_init(&heap_lock);
}
#endif

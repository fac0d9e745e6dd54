/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The boot allocator: RAM before the heap exists.
 *
 * Free memory is a sorted array of disjoint page-frame ranges [s, e).
 * Registering RAM merges into it, reserving carves out of it (possibly
 * splitting a range in two), allocating carves from the top.  There is no
 * free: whatever boot code takes is kept for good, and everything left over
 * goes to the heap in end_boot_allocator().
 *
 * Allocations are taken from the highest suitable address.  Requests with
 * no limit therefore use memory above 4 GiB first, and requests limited to
 * 4 GiB (early page tables, reached through the boot identity map) use the
 * top of the low 4 GiB, which keeps low memory for whoever needs exactly
 * that (the trampoline below 1 MiB).
 *
 * Boot is single-threaded, so there is no lock.
 */
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/string.h>

#define BOOTMEM_MAX_RANGES 128

struct bootmem_range {
    unsigned long s, e;     /* page frames [s, e), s < e */
};

static struct bootmem_range ranges[BOOTMEM_MAX_RANGES] __initdata;
static unsigned int nr_ranges __initdata;
static unsigned long registered_pages;
static bool boot_allocator_done;

static void __init check_still_booting(const char *what)
{
    if ( boot_allocator_done )
        panic("%s called after end_boot_allocator()", what);
}

static unsigned long __init range_pages(const struct bootmem_range *r)
{
    return r->e - r->s;
}

static void __init remove_range_at(unsigned int i)
{
    memmove(&ranges[i], &ranges[i + 1], (nr_ranges - i - 1) * sizeof(ranges[0]));
    nr_ranges--;
}

/* Open a slot at index i; false if the array is full. */
static bool __init insert_range_at(unsigned int i, unsigned long s,
                                   unsigned long e)
{
    if ( nr_ranges == BOOTMEM_MAX_RANGES )
        return false;
    memmove(&ranges[i + 1], &ranges[i], (nr_ranges - i) * sizeof(ranges[0]));
    ranges[i].s = s;
    ranges[i].e = e;
    nr_ranges++;
    return true;
}

unsigned long __init bootmem_free_pages(void)
{
    unsigned long total = 0;
    unsigned int i;

    for ( i = 0; i < nr_ranges; i++ )
        total += range_pages(&ranges[i]);
    return total;
}

unsigned long bootmem_total_pages(void)
{
    return registered_pages;
}

/*
 * Union [s, e) into the free ranges.  Ranges that overlap or touch it are
 * absorbed, so the array stays sorted, disjoint and as short as possible.
 */
static void __init add_frames(unsigned long s, unsigned long e)
{
    unsigned long before = bootmem_free_pages();
    unsigned int i = 0;

    /* Skip ranges wholly below, and not touching, the new one. */
    while ( i < nr_ranges && ranges[i].e < s )
        i++;
    /* Absorb every range that overlaps or touches [s, e). */
    while ( i < nr_ranges && ranges[i].s <= e )
    {
        s = min(s, ranges[i].s);
        e = max(e, ranges[i].e);
        remove_range_at(i);
    }
    /* Only fails when nothing was absorbed, so nothing is dropped twice. */
    if ( !insert_range_at(i, s, e) )
    {
        /* Memory we cannot track is merely lost, which is safe. */
        printk(XENLOG_WARNING
               "Boot allocator: more than %u RAM ranges, ignoring %#lx-%#lx\n",
               BOOTMEM_MAX_RANGES, s << PAGE_SHIFT, e << PAGE_SHIFT);
        return;
    }
    registered_pages += bootmem_free_pages() - before;
}

void __init bootmem_add_range(paddr_t s, paddr_t e)
{
    unsigned long first = PFN_UP(s), end = PFN_DOWN(e);

    check_still_booting("bootmem_add_range()");
    if ( e <= s || first >= end )
        return;
    add_frames(first, end);
}

/* Take [s, e) out of free range i, which it overlaps. */
static void __init carve_from_range(unsigned int i, unsigned long s,
                                    unsigned long e)
{
    struct bootmem_range *r = &ranges[i];

    if ( s <= r->s && e >= r->e )
        remove_range_at(i);
    else if ( s <= r->s )
        r->s = e;
    else if ( e >= r->e )
        r->e = s;
    else
    {
        unsigned long old_end = r->e;

        /*
         * A hole in the middle needs a second entry.  Dropping the reserve
         * would let the allocator hand out memory in use, so this is fatal.
         */
        r->e = s;
        if ( !insert_range_at(i + 1, e, old_end) )
            panic("Boot allocator: more than %u free ranges while reserving "
                  "%#lx-%#lx", BOOTMEM_MAX_RANGES, s << PAGE_SHIFT,
                  e << PAGE_SHIFT);
    }
}

static void __init reserve_frames(unsigned long s, unsigned long e)
{
    unsigned int i = nr_ranges;

    /* Walk downwards: carving at i only moves entries above i. */
    while ( i-- > 0 )
        if ( ranges[i].s < e && ranges[i].e > s )
            carve_from_range(i, s, e);
}

void __init bootmem_reserve_range(paddr_t s, paddr_t e)
{
    check_still_booting("bootmem_reserve_range()");
    if ( e <= s )
        return;
    reserve_frames(PFN_DOWN(s), PFN_UP(e));
}

/*
 * The highest nr-page, align-aligned block inside range r and below limit,
 * or INVALID_MFN.
 */
static unsigned long __init highest_fit(const struct bootmem_range *r,
                                        unsigned long nr, unsigned long align,
                                        unsigned long limit)
{
    unsigned long top = min(r->e, limit), start;

    if ( top <= r->s || top - r->s < nr )
        return INVALID_MFN;
    start = ROUNDDOWN(top - nr, align);
    return start >= r->s ? start : INVALID_MFN;
}

unsigned long __init alloc_boot_pages_below(unsigned long nr_pfns,
                                            unsigned long pfn_align,
                                            unsigned long limit_mfn)
{
    unsigned int i = nr_ranges;

    check_still_booting("alloc_boot_pages_below()");
    if ( !pfn_align )
        pfn_align = 1;
    if ( pfn_align & (pfn_align - 1) )
        panic("alloc_boot_pages: alignment %lu is not a power of two",
              pfn_align);
    if ( !nr_pfns )
        return INVALID_MFN;

    while ( i-- > 0 )
    {
        unsigned long mfn = highest_fit(&ranges[i], nr_pfns, pfn_align,
                                        limit_mfn);

        if ( mfn != INVALID_MFN )
        {
            carve_from_range(i, mfn, mfn + nr_pfns);
            return mfn;
        }
    }
    return INVALID_MFN;
}

unsigned long __init alloc_boot_pages(unsigned long nr_pfns,
                                      unsigned long pfn_align)
{
    unsigned long mfn = alloc_boot_pages_below(nr_pfns, pfn_align,
                                               INVALID_MFN);

    if ( mfn == INVALID_MFN )
        panic("Boot allocator: out of memory: cannot allocate %lu pages "
              "aligned to %lu pages (%lu pages free in %u ranges)",
              nr_pfns, pfn_align ? pfn_align : 1, bootmem_free_pages(),
              nr_ranges);
    return mfn;
}

/*
 * The heap covers only frames the frame table describes; anything above
 * (which init_frametable() was not told about) cannot be used.
 */
void __init end_boot_allocator(void)
{
    unsigned long lost = 0;
    unsigned int i;

    check_still_booting("end_boot_allocator()");
    if ( !frame_table )
        panic("end_boot_allocator() before init_frametable()");

    for ( i = 0; i < nr_ranges; i++ )
    {
        unsigned long s = ranges[i].s, e = ranges[i].e;

        if ( e > max_page )
        {
            lost += e - max(s, max_page);
            e = max_page;
        }
        if ( s < e )
            init_heap_pages(s, e - s);
    }
    if ( lost )
        printk(XENLOG_WARNING
               "Boot allocator: %lu pages above the frame table not used\n",
               lost);

    nr_ranges = 0;
    boot_allocator_done = true;
}

#ifdef __XEN_HOST_TEST__
void bootmem_reset_for_test(void)
{
    nr_ranges = 0;
    registered_pages = 0;
    boot_allocator_done = false;
}
#endif

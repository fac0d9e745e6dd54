/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Grant-table tests through the grant_table_op dispatcher: domain A
 * grants its RAM pages to B; B maps them into its (fake) p2m read-only and
 * writable, unmaps them, copies to and from them.  What the guest sees in
 * its entries, the pins, the handles, the page references; every way an
 * operation must be refused; a granter rewriting its entry; teardown of
 * either side with mappings live; batches bigger than one invocation, run
 * as the arch side runs a continued hypercall (one TLB flush per chunk of
 * unmaps, and no reference dropped before it); and at the end of every
 * test the heap exactly as it was.
 */
#include <string.h>

#define UNIT_OWN_GRANT_HOOKS
#include "heap_fixture.h"
#include "sched_stubs.h"
#include <public/grant_table.h>
#include <public/xen.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/grant_table.h>
#include <xen/hypercall.h>
#include <xen/sched.h>

#define MiB (1UL << 20)
#define FAKE_GFNS 16384         /* > GNTTAB_MAPTRACK_MAX: one slot per mapping */
#define MAP_AT 0x1000           /* B's empty gfns start here */

/* ---- a p2m per domain: gfn -> page, and whether read-only ---- */

struct fake_p2m {
    struct domain *d;
    struct page_info *pg[FAKE_GFNS];
    bool ro[FAKE_GFNS];
};
static struct fake_p2m p2ms[3];
static unsigned int tlb_flushes;

/*
 * Entries cleared since the last flush, with their page's reference count
 * then: the flush checks that none was dropped before it.
 */
static struct unflushed {
    struct page_info *pg;
    unsigned long refs;
} unflushed[GNTTAB_MAPTRACK_MAX];   /* a dying mapper: all at once */
static unsigned int nr_unflushed;

static struct fake_p2m *p2m_of(struct domain *d)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(p2ms); i++ )
        if ( p2ms[i].d == d )
            return &p2ms[i];
    for ( i = 0; i < ARRAY_SIZE(p2ms); i++ )
        if ( !p2ms[i].d )
        {
            p2ms[i].d = d;
            return &p2ms[i];
        }
    fail_msg("out of fake p2ms");
    return NULL;
}

static void forget_p2m(struct domain *d)
{
    memset(p2m_of(d), 0, sizeof(struct fake_p2m));
}

struct page_info *arch_get_guest_page(struct domain *d, uint64_t gfn)
{
    struct page_info *pg = gfn < FAKE_GFNS ? p2m_of(d)->pg[gfn] : NULL;

    return pg && get_domain_page(pg, d) ? pg : NULL;
}

int arch_map_grant_frame(struct domain *d, uint64_t gfn, struct page_info *pg,
                         bool readonly)
{
    struct fake_p2m *p = p2m_of(d);

    if ( gfn >= FAKE_GFNS )
        return -EINVAL;
    /* As hvm/domain.c: only a hole or own RAM nothing else references. */
    if ( p->pg[gfn] && (p->pg[gfn]->v.owner != d ||
                        (p->pg[gfn]->count_info & PGC_count_mask) != 1) )
        return -EBUSY;
    p->pg[gfn] = pg;
    p->ro[gfn] = readonly;
    return 0;
}

static unsigned long refs(struct page_info *pg);
static struct domain *a, *b;

int arch_clear_grant_frame(struct domain *d, uint64_t gfn, struct page_info *pg)
{
    struct fake_p2m *p = p2m_of(d);

    if ( gfn >= FAKE_GFNS || p->pg[gfn] != pg )
        return -ENOENT;
    p->pg[gfn] = NULL;
    if ( nr_unflushed == ARRAY_SIZE(unflushed) )
        fail_msg("more cleared entries than one flush should wait for");
    unflushed[nr_unflushed++] = (struct unflushed){ pg, refs(pg) };
    return 0;
}

void arch_flush_guest_tlbs(struct domain *d)
{
    unsigned int i;

    /* No page reference (p2m entry's, record's) went before the flush. */
    for ( i = 0; i < nr_unflushed; i++ )
        assert_int_equal(refs(unflushed[i].pg), unflushed[i].refs);
    /* No table lock is held across it (the shim's lock would assert). */
    gnttab_maps_own_frame(d, 0);
    if ( a )
        gnttab_maps_own_frame(a, 0);
    if ( b )
        gnttab_maps_own_frame(b, 0);
    nr_unflushed = 0;
    tlb_flushes++;
}

/* What remove_from_physmap does to a foreign frame: its reference goes. */
static void remove_foreign(struct domain *d, uint64_t gfn)
{
    struct page_info *pg = p2m_of(d)->pg[gfn];

    p2m_of(d)->pg[gfn] = NULL;
    put_domain_page(pg);
}

static struct page_info *at(struct domain *d, uint64_t gfn)
{
    return p2m_of(d)->pg[gfn];
}

static unsigned long refs(struct page_info *pg)
{
    return pg->count_info & PGC_count_mask;
}

static uint8_t *bytes(struct page_info *pg)
{
    return page_to_virt(pg);
}

/* ---- guest memory and the hypercall ---- */

#define GBASE 0x100000
static uint8_t guest[64 * 1024];

static int fake_copy_to(struct guest_mem *gm, uint64_t gaddr, const void *src,
                        size_t len)
{
    (void)gm;
    if ( gaddr < GBASE || len > sizeof(guest) || gaddr - GBASE > sizeof(guest) - len )
        return -EFAULT;
    memcpy(guest + (gaddr - GBASE), src, len);
    return 0;
}

static int fake_copy_from(struct guest_mem *gm, void *dst, uint64_t gaddr,
                          size_t len)
{
    (void)gm;
    if ( gaddr < GBASE || len > sizeof(guest) || gaddr - GBASE > sizeof(guest) - len )
        return -EFAULT;
    memcpy(dst, guest + (gaddr - GBASE), len);
    return 0;
}

static struct guest_mem mem = { fake_copy_to, fake_copy_from };

static long raw_op(struct domain *caller, bool priv, uint64_t cmd, uint64_t uop,
                   uint64_t count)
{
    struct hypercall_ctx ctx = { .privileged = priv, .domain = caller, .mem = &mem };
    uint64_t args[HYPERCALL_MAX_ARGS] = { cmd, uop, count, 0, 0 };

    return do_grant_table_op(&ctx, args);
}

/* What the scheduler would say: other work waits on this CPU. */
static bool preempt_now;

static bool preempt_wanted(void)
{
    return preempt_now;
}

/* The arguments of each invocation of the last continued call. */
#define MAX_ROUNDS 16
static uint64_t round_args[MAX_ROUNDS][HYPERCALL_MAX_ARGS];
static unsigned int rounds;

/*
 * As the arch side runs a hypercall: while the handler continues, the
 * guest's registers get the new arguments and it calls again.
 */
static long continued_op(struct domain *caller, uint32_t cmd, uint64_t uop,
                         uint64_t count)
{
    struct hypercall_ctx ctx = { .domain = caller, .mem = &mem,
                                 .preempt_wanted = preempt_wanted };
    uint64_t args[HYPERCALL_MAX_ARGS] = { cmd, uop, count, 0x33, 0x44 };
    long rc;

    for ( rounds = 0; ; rounds++ )
    {
        if ( rounds == MAX_ROUNDS )
            fail_msg("still continuing after %u rounds", rounds);
        memcpy(round_args[rounds], args, sizeof(args));
        ctx.continued = false;          /* hypercall_dispatch() does this */
        rc = do_grant_table_op(&ctx, args);
        if ( !ctx.continued )
            break;
        assert_int_equal(rc, HYPERCALL_CONTINUATION);
        memcpy(args, ctx.next_args, sizeof(args));
    }
    rounds++;
    assert_int_not_equal(rc, HYPERCALL_CONTINUATION);
    return rc;
}

/* The ops in guest memory, the call, the results back. */
static long op(struct domain *caller, uint32_t cmd, void *ops, size_t size,
               uint32_t count)
{
    long rc;

    memcpy(guest, ops, size);
    rc = raw_op(caller, false, cmd, GBASE, count);
    memcpy(ops, guest, size);
    return rc;
}

static int16_t map(struct domain *mapper, domid_t dom, grant_ref_t ref,
                   uint32_t flags, uint64_t gfn, grant_handle_t *h)
{
    struct gnttab_map_grant_ref m = {
        .host_addr = gfn << PAGE_SHIFT, .flags = flags, .ref = ref, .dom = dom,
        .handle = 0xbeef, .dev_bus_addr = 0xdead };

    assert_int_equal(op(mapper, GNTTABOP_map_grant_ref, &m, sizeof(m), 1), 0);
    if ( m.status == GNTST_okay )
    {
        assert_int_equal(m.dev_bus_addr, 0);    /* no machine address leaks */
        *h = m.handle;
    }
    else
        assert_int_equal(m.handle, 0xbeef);     /* untouched on failure */
    return m.status;
}

static int16_t unmap(struct domain *mapper, grant_handle_t h, uint64_t gfn,
                     uint64_t dev_bus_addr)
{
    struct gnttab_unmap_grant_ref u = {
        .host_addr = gfn << PAGE_SHIFT, .dev_bus_addr = dev_bus_addr, .handle = h };

    assert_int_equal(op(mapper, GNTTABOP_unmap_grant_ref, &u, sizeof(u), 1), 0);
    return u.status;
}

static int16_t copy(struct domain *caller, struct gnttab_copy c)
{
    c.status = 77;
    assert_int_equal(op(caller, GNTTABOP_copy, &c, sizeof(c), 1), 0);
    return c.status;
}

/* ---- fixtures ---- */

static unsigned long heap_at_start;

void arch_evtchn_notify(struct vcpu *v)
{
}

/* gfns 0..15 of d: RAM, each page's first byte its gfn. */
static void give_ram(struct domain *d)
{
    uint64_t gfn;

    assert_int_equal(domain_set_max_pages(d, 64), 0);
    for ( gfn = 0; gfn < 16; gfn++ )
    {
        struct page_info *pg = domain_alloc_pages(d, 0);

        assert_non_null(pg);
        memset(bytes(pg), 0, PAGE_SIZE);
        bytes(pg)[0] = (uint8_t)gfn;
        p2m_of(d)->pg[gfn] = pg;
    }
}

static struct domain *new_domain(domid_t id)
{
    int err;
    struct domain *d = domain_create(id, 1, false, &err);

    assert_non_null(d);
    forget_p2m(d);
    assert_int_equal(gnttab_init(d, 4), 0);
    give_ram(d);
    return d;
}

static void kill(struct domain **d)
{
    domain_kill(*d);
    forget_p2m(*d);
    domain_destroy(*d);
    *d = NULL;
}

static int setup(void **state)
{
    memset(p2ms, 0, sizeof(p2ms));
    heap_at_start = boot_test_heap(16 * MiB);
    tlb_flushes = nr_unflushed = 0;
    preempt_now = false;
    a = new_domain(1);
    b = new_domain(2);
    return 0;
}

static int teardown(void **state)
{
    if ( a )
        kill(&a);
    if ( b )
        kill(&b);
    assert_int_equal(nr_unflushed, 0);      /* every cleared entry flushed */
    assert_int_equal(avail_heap_pages(), heap_at_start);
    assert_int_equal(xmalloc_bytes_in_use(), 0);
    host_test_ram_fini();
    return 0;
}

static struct grant_entry_v1 *grant(struct domain *d, grant_ref_t ref,
                                    uint16_t to, uint32_t frame, bool ro)
{
    struct grant_entry_v1 *e = &gnttab_shared_frame(d, ref / 512)[ref % 512];

    e->domid = to;
    e->frame = frame;
    e->flags = GTF_permit_access | (ro ? GTF_readonly : 0);
    return e;
}

/* ---- map and unmap ---- */

static void test_map_writable_then_unmap(void **state)
{
    struct grant_entry_v1 *e = grant(a, 8, 2, 5, false);
    struct page_info *pg = at(a, 5);
    grant_handle_t h;

    assert_int_equal(refs(pg), 1);
    assert_int_equal(map(b, 1, 8, GNTMAP_host_map, MAP_AT, &h), GNTST_okay);
    assert_ptr_equal(at(b, MAP_AT), pg);
    assert_false(p2m_of(b)->ro[MAP_AT]);
    assert_int_equal(e->flags, GTF_permit_access | GTF_reading | GTF_writing);
    assert_int_equal(gnttab_pins(a, 8), 1);
    assert_int_equal(refs(pg), 3);          /* owner, p2m entry, maptrack */
    assert_false(gnttab_maps_own_frame(b, page_to_mfn(pg)));
    assert_false(gnttab_maps_own_frame(a, page_to_mfn(pg)));
    /* B writes through its mapping; A sees it. */
    bytes(at(b, MAP_AT))[1] = 0x5a;
    assert_int_equal(bytes(pg)[1], 0x5a);

    assert_int_equal(unmap(b, h, MAP_AT, 0), GNTST_okay);
    assert_null(at(b, MAP_AT));
    assert_int_equal(tlb_flushes, 1);
    assert_int_equal(e->flags, GTF_permit_access);   /* as the guest left it */
    assert_int_equal(gnttab_pins(a, 8), 0);
    assert_int_equal(refs(pg), 1);
    assert_int_equal(unmap(b, h, MAP_AT, 0), GNTST_bad_handle);   /* twice */
}

static void test_readonly(void **state)
{
    struct grant_entry_v1 *e = grant(a, 2, 2, 6, true);
    grant_handle_t h1, h2;

    /* A writable mapping of a read-only grant: refused, entry untouched. */
    assert_int_equal(map(b, 1, 2, GNTMAP_host_map, MAP_AT, &h1), GNTST_general_error);
    assert_int_equal(e->flags, GTF_permit_access | GTF_readonly);
    assert_null(at(b, MAP_AT));
    assert_int_equal(map(b, 1, 2, GNTMAP_host_map | GNTMAP_readonly, MAP_AT, &h1),
                     GNTST_okay);
    assert_true(p2m_of(b)->ro[MAP_AT]);
    assert_int_equal(e->flags, GTF_permit_access | GTF_readonly | GTF_reading);
    /* Still no writer once pinned. */
    assert_int_equal(map(b, 1, 2, GNTMAP_host_map, MAP_AT + 1, &h2), GNTST_general_error);
    assert_int_equal(gnttab_pins(a, 2), 1);

    /* A writable grant mapped both ways: the last writer clears writing. */
    e = grant(a, 3, 2, 7, false);
    assert_int_equal(map(b, 1, 3, GNTMAP_host_map | GNTMAP_readonly, MAP_AT + 2, &h2),
                     GNTST_okay);
    assert_int_equal(e->flags, GTF_permit_access | GTF_reading);
    assert_int_equal(map(b, 1, 3, GNTMAP_host_map, MAP_AT + 3, &h1), GNTST_okay);
    assert_int_equal(e->flags, GTF_permit_access | GTF_reading | GTF_writing);
    assert_int_equal(unmap(b, h1, MAP_AT + 3, 0), GNTST_okay);
    assert_int_equal(e->flags, GTF_permit_access | GTF_reading);
    assert_int_equal(unmap(b, h2, MAP_AT + 2, 0), GNTST_okay);
    assert_int_equal(e->flags, GTF_permit_access);
}

static void test_map_refusals(void **state)
{
    struct grant_entry_v1 *e;
    grant_handle_t h;

    grant(a, 1, 2, 5, false);
    /* No host_map: Xen says bad_gntref; PV-only flags: general_error. */
    assert_int_equal(map(b, 1, 1, 0, MAP_AT, &h), GNTST_bad_gntref);
    assert_int_equal(map(b, 1, 1, GNTMAP_readonly, MAP_AT, &h), GNTST_bad_gntref);
    assert_int_equal(map(b, 1, 1, GNTMAP_device_map, MAP_AT, &h), GNTST_general_error);
    assert_int_equal(map(b, 1, 1, GNTMAP_host_map | GNTMAP_device_map, MAP_AT, &h),
                     GNTST_general_error);
    assert_int_equal(map(b, 1, 1, GNTMAP_host_map | GNTMAP_contains_pte, MAP_AT, &h),
                     GNTST_general_error);
    assert_int_equal(map(b, 1, 1, GNTMAP_host_map | GNTMAP_application_map, MAP_AT, &h),
                     GNTST_general_error);
    /* Domains: none, DOMID_SELF (map names the granter by id). */
    assert_int_equal(map(b, 77, 1, GNTMAP_host_map, MAP_AT, &h), GNTST_bad_domain);
    assert_int_equal(map(b, DOMID_SELF, 1, GNTMAP_host_map, MAP_AT, &h), GNTST_bad_domain);
    /* References beyond the table. */
    assert_int_equal(map(b, 1, 512, GNTMAP_host_map, MAP_AT, &h), GNTST_bad_gntref);
    assert_int_equal(map(b, 1, ~0u, GNTMAP_host_map, MAP_AT, &h), GNTST_bad_gntref);
    /* Entries that do not grant B: for another domain, unused, a transfer
     * entry, a v2 sub-page flag. */
    e = grant(a, 4, 3, 5, false);
    assert_int_equal(map(b, 1, 4, GNTMAP_host_map, MAP_AT, &h), GNTST_general_error);
    assert_int_equal(e->flags, GTF_permit_access);
    assert_int_equal(map(b, 1, 5, GNTMAP_host_map, MAP_AT, &h), GNTST_general_error);
    grant(a, 6, 2, 5, false)->flags = GTF_accept_transfer;
    assert_int_equal(map(b, 1, 6, GNTMAP_host_map, MAP_AT, &h), GNTST_general_error);
    grant(a, 7, 2, 5, false)->flags |= GTF_sub_page;
    assert_int_equal(map(b, 1, 7, GNTMAP_host_map, MAP_AT, &h), GNTST_general_error);
    /* A frame that is not A's RAM: bad_page, and the flags set go again. */
    e = grant(a, 9, 2, 40, false);
    assert_int_equal(map(b, 1, 9, GNTMAP_host_map, MAP_AT, &h), GNTST_bad_page);
    assert_int_equal(e->flags, GTF_permit_access);
    e = grant(a, 10, 2, 0xffffffffu, false);
    assert_int_equal(map(b, 1, 10, GNTMAP_host_map, MAP_AT, &h), GNTST_bad_page);
    /* host_addr outside B's physical space. */
    e = grant(a, 11, 2, 5, false);
    assert_int_equal(map(b, 1, 11, GNTMAP_host_map, FAKE_GFNS + 5, &h),
                     GNTST_general_error);
    assert_int_equal(e->flags, GTF_permit_access);
    assert_int_equal(gnttab_pins(a, 11), 0);
    assert_int_equal(refs(at(a, 5)), 1);
    assert_null(at(b, MAP_AT));
}

static void test_host_addr_occupied(void **state)
{
    struct page_info *own = at(b, 3), *pg = at(a, 5);
    struct grant_entry_v1 *e2;
    grant_handle_t h, h2;

    grant(a, 1, 2, 5, false);
    e2 = grant(a, 2, 2, 6, false);
    /* Over B's own RAM: replaced, the RAM stays B's (as in Xen). */
    assert_int_equal(map(b, 1, 1, GNTMAP_host_map, 3, &h), GNTST_okay);
    assert_ptr_equal(at(b, 3), pg);
    assert_ptr_equal(own->v.owner, b);
    /* Over a mapping already there: refused, nothing leaks. */
    assert_int_equal(map(b, 1, 2, GNTMAP_host_map, 3, &h2), GNTST_general_error);
    assert_int_equal(gnttab_pins(a, 2), 0);
    assert_int_equal(refs(at(a, 6)), 1);
    assert_int_equal(e2->flags, GTF_permit_access);
    assert_int_equal(unmap(b, h, 3, 0), GNTST_okay);
    assert_int_equal(refs(pg), 1);
}

static void test_unmap_refusals(void **state)
{
    struct grant_entry_v1 *e = grant(a, 1, 2, 5, false);
    struct gnttab_unmap_and_replace r;
    grant_handle_t h;

    assert_int_equal(map(b, 1, 1, GNTMAP_host_map, MAP_AT, &h), GNTST_okay);
    assert_int_equal(unmap(b, h + 1, MAP_AT, 0), GNTST_bad_handle);     /* unused */
    assert_int_equal(unmap(b, GNTTAB_MAPTRACK_MAX, MAP_AT, 0), GNTST_bad_handle);
    assert_int_equal(unmap(b, ~0u, MAP_AT, 0), GNTST_bad_handle);
    /* Not where it was mapped, a bus address we never gave: refused. */
    assert_int_equal(unmap(b, h, MAP_AT + 1, 0), GNTST_general_error);
    assert_int_equal(unmap(b, h, 5, 0), GNTST_general_error);
    assert_int_equal(unmap(b, h, MAP_AT, 0x1000), GNTST_general_error);
    /* host_addr 0: nothing undone (Xen's answer: okay). */
    assert_int_equal(unmap(b, h, 0, 0), GNTST_okay);
    assert_int_equal(gnttab_pins(a, 1), 1);
    assert_non_null(at(b, MAP_AT));
    /* unmap_and_replace: a translated guest cannot put a frame back. */
    r = (struct gnttab_unmap_and_replace){ .host_addr = MAP_AT << PAGE_SHIFT,
                                           .new_addr = 0x5000, .handle = h };
    assert_int_equal(op(b, GNTTABOP_unmap_and_replace, &r, sizeof(r), 1), 0);
    assert_int_equal(r.status, GNTST_general_error);
    assert_int_equal(gnttab_pins(a, 1), 1);
    r.new_addr = 0;
    assert_int_equal(op(b, GNTTABOP_unmap_and_replace, &r, sizeof(r), 1), 0);
    assert_int_equal(r.status, GNTST_okay);
    assert_int_equal(gnttab_pins(a, 1), 0);
    assert_int_equal(e->flags, GTF_permit_access);
    assert_int_equal(op(b, GNTTABOP_unmap_and_replace, &r, sizeof(r), 1), 0);
    assert_int_equal(r.status, GNTST_bad_handle);
}

static void test_granter_rewrites_pinned_entry(void **state)
{
    struct grant_entry_v1 *e = grant(a, 6, 2, 5, false);
    grant_handle_t h1, h2, h3;
    int err;
    struct domain *c = domain_create(3, 1, false, &err);

    assert_int_equal(gnttab_init(c, 1), 0);
    assert_int_equal(map(b, 1, 6, GNTMAP_host_map, MAP_AT, &h1), GNTST_okay);
    /* A hands the entry to C and points it elsewhere: C still may not map
     * it while B holds it, and B's next mapping is still the same frame. */
    e->domid = 3;
    e->frame = 7;
    assert_int_equal(map(c, 1, 6, GNTMAP_host_map, MAP_AT, &h3), GNTST_general_error);
    assert_int_equal(map(b, 1, 6, GNTMAP_host_map, MAP_AT + 1, &h2), GNTST_okay);
    assert_ptr_equal(at(b, MAP_AT + 1), at(a, 5));
    /* Revoked entirely: the unmaps still unwind pins and flags. */
    e->flags = GTF_invalid | GTF_reading | GTF_writing;
    e->domid = 9;
    assert_int_equal(unmap(b, h1, MAP_AT, 0), GNTST_okay);
    assert_int_equal(e->flags, GTF_reading | GTF_writing);
    assert_int_equal(unmap(b, h2, MAP_AT + 1, 0), GNTST_okay);
    assert_int_equal(e->flags, GTF_invalid);
    assert_int_equal(gnttab_pins(a, 6), 0);
    /* Now unpinned: the entry is read afresh, and it is not B's. */
    assert_int_equal(map(b, 1, 6, GNTMAP_host_map, MAP_AT, &h1), GNTST_general_error);
    domain_kill(c);
    domain_destroy(c);
}

static void test_mapping_removed_behind_our_back(void **state)
{
    /* remove_from_physmap drops the p2m entry's reference, as for any
     * foreign frame; the maptrack's stays until the record goes. */
    struct page_info *pg = at(a, 5);
    grant_handle_t h;

    grant(a, 1, 2, 5, false);
    assert_int_equal(map(b, 1, 1, GNTMAP_host_map, MAP_AT, &h), GNTST_okay);
    remove_foreign(b, MAP_AT);
    assert_int_equal(refs(pg), 2);
    assert_int_equal(unmap(b, h, MAP_AT, 0), GNTST_general_error);
    assert_int_equal(gnttab_pins(a, 1), 1);
    kill(&b);                               /* the record goes, once */
    assert_int_equal(refs(pg), 1);
    assert_int_equal(gnttab_pins(a, 1), 0);
}

static void test_self_map(void **state)
{
    /* dom0's gntalloc + gntdev: a domain maps its own grant. */
    struct grant_entry_v1 *e = grant(a, 3, 1, 4, false);
    grant_handle_t h, h2;

    assert_false(gnttab_maps_own_frame(a, page_to_mfn(at(a, 4))));
    assert_int_equal(map(a, 1, 3, GNTMAP_host_map, MAP_AT, &h), GNTST_okay);
    assert_ptr_equal(at(a, MAP_AT), at(a, 4));
    assert_int_equal(refs(at(a, 4)), 3);
    /* What the balloon asks before giving a page back. */
    assert_true(gnttab_maps_own_frame(a, page_to_mfn(at(a, 4))));
    assert_false(gnttab_maps_own_frame(a, page_to_mfn(at(a, 5))));
    assert_false(gnttab_maps_own_frame(b, page_to_mfn(at(a, 4))));
    /* Only where it was mapped: gfn 4 holds the same page, but as RAM. */
    assert_int_equal(unmap(a, h, 4, 0), GNTST_general_error);
    assert_int_equal(unmap(a, h, MAP_AT, 0), GNTST_okay);
    assert_int_equal(refs(at(a, 4)), 1);
    assert_false(gnttab_maps_own_frame(a, page_to_mfn(at(a, 4))));
    assert_int_equal(e->flags, GTF_permit_access);
    /* Mapped again: nothing may go over it, though it looks like own RAM
     * (that would lose the entry's reference for good). */
    assert_int_equal(map(a, 1, 3, GNTMAP_host_map, MAP_AT, &h), GNTST_okay);
    grant(a, 5, 1, 6, false);
    assert_int_equal(map(a, 1, 5, GNTMAP_host_map, MAP_AT, &h2), GNTST_general_error);
    assert_int_equal(gnttab_pins(a, 5), 0);
    assert_int_equal(refs(at(a, 6)), 1);
    /* Nor over the page's home, gfn 4: RAM, but referenced by the mapping. */
    assert_int_equal(map(a, 1, 5, GNTMAP_host_map, 4, &h2), GNTST_general_error);
    assert_int_equal(refs(at(a, 4)), 3);
    /* And dies with it mapped. */
}

/* ---- teardown with mappings live ---- */

static void test_mapper_dies(void **state)
{
    struct grant_entry_v1 *e = grant(a, 7, 2, 5, false);
    grant_handle_t h;

    assert_int_equal(map(b, 1, 7, GNTMAP_host_map, MAP_AT, &h), GNTST_okay);
    assert_int_equal(map(b, 1, 7, GNTMAP_host_map | GNTMAP_readonly, MAP_AT + 1, &h),
                     GNTST_okay);
    kill(&b);                               /* its mappings go */
    assert_int_equal(gnttab_pins(a, 7), 0);
    assert_int_equal(e->flags, GTF_permit_access);
    assert_int_equal(refs(at(a, 5)), 1);
}

static void test_granter_dies(void **state)
{
    struct page_info *pg = at(a, 9);
    unsigned long free_before;
    grant_handle_t h;
    struct grant_entry_v1 *e;

    grant(a, 9, 2, 9, false);
    assert_int_equal(map(b, 1, 9, GNTMAP_host_map, MAP_AT, &h), GNTST_okay);
    bytes(pg)[2] = 0x77;
    free_before = avail_heap_pages();
    kill(&a);
    /* A's pages went back, except the one B maps: still there, still B's
     * to read and write. */
    assert_true(avail_heap_pages() > free_before);
    assert_true(page_is_inuse(pg));
    assert_null(pg->v.owner);
    assert_int_equal(refs(pg), 2);
    assert_int_equal(bytes(at(b, MAP_AT))[2], 0x77);
    /* A new domain 1 with its own entry 9: B's unmap must not touch it. */
    a = new_domain(1);
    e = grant(a, 9, 2, 3, false);
    e->flags |= GTF_reading;                /* as if pinned by someone */
    assert_int_equal(unmap(b, h, MAP_AT, 0), GNTST_okay);
    assert_int_equal(e->flags, GTF_permit_access | GTF_reading);
    assert_int_equal(unmap(b, h, MAP_AT, 0), GNTST_bad_handle);
    assert_int_equal(gnttab_pins(a, 9), 0);
}

static void test_maptrack_limit(void **state)
{
    grant_handle_t h;
    unsigned int i;

    grant(a, 5, 2, 5, false);
    for ( i = 0; i < GNTTAB_MAPTRACK_MAX; i++ )
        assert_int_equal(map(b, 1, 5, GNTMAP_host_map | GNTMAP_readonly, MAP_AT + i, &h),
                         GNTST_okay);
    assert_int_equal(map(b, 1, 5, GNTMAP_host_map | GNTMAP_readonly,
                         MAP_AT + GNTTAB_MAPTRACK_MAX, &h), GNTST_no_device_space);
    assert_int_equal(gnttab_pins(a, 5), GNTTAB_MAPTRACK_MAX);
    /* One freed, one more fits. */
    assert_int_equal(unmap(b, 17, MAP_AT + 17, 0), GNTST_okay);
    assert_int_equal(map(b, 1, 5, GNTMAP_host_map | GNTMAP_readonly,
                         MAP_AT + GNTTAB_MAPTRACK_MAX, &h), GNTST_okay);
    assert_int_equal(h, 17);
}

/*
 * A backend maps and unmaps grants all day: with a few held at once, the
 * handles are reused within the first chunk instead of the maptrack
 * growing to its limit.
 */
static void test_maptrack_reuses_handles(void **state)
{
    grant_handle_t h, held[3];
    unsigned int i, j;

    grant(a, 5, 2, 5, false);
    for ( i = 0; i < 3 * GNTTAB_MAPTRACK_MAX; i++ )
    {
        for ( j = 0; j < 3; j++ )
        {
            assert_int_equal(map(b, 1, 5, GNTMAP_host_map | GNTMAP_readonly,
                                 MAP_AT + j, &held[j]), GNTST_okay);
            assert_true(held[j] < 128);         /* MAPTRACK_PER_CHUNK */
        }
        for ( j = 0; j < 3; j++ )
            assert_int_equal(unmap(b, held[j], MAP_AT + j, 0), GNTST_okay);
    }
    /* Filling it still reaches every handle. */
    for ( i = 0; i < GNTTAB_MAPTRACK_MAX; i++ )
        assert_int_equal(map(b, 1, 5, GNTMAP_host_map | GNTMAP_readonly, MAP_AT + i, &h),
                         GNTST_okay);
    assert_int_equal(map(b, 1, 5, GNTMAP_host_map | GNTMAP_readonly,
                         MAP_AT + GNTTAB_MAPTRACK_MAX, &h), GNTST_no_device_space);
}

/* ---- copy ---- */

static struct gnttab_copy gref_to_gmfn(domid_t dom, grant_ref_t ref, uint64_t gmfn,
                                       uint16_t soff, uint16_t doff, uint16_t len)
{
    return (struct gnttab_copy){
        .source = { .u.ref = ref, .domid = dom, .offset = soff },
        .dest = { .u.gmfn = gmfn, .domid = DOMID_SELF, .offset = doff },
        .len = len, .flags = GNTCOPY_source_gref };
}

static struct gnttab_copy gmfn_to_gref(uint64_t gmfn, domid_t dom, grant_ref_t ref,
                                       uint16_t soff, uint16_t doff, uint16_t len)
{
    return (struct gnttab_copy){
        .source = { .u.gmfn = gmfn, .domid = DOMID_SELF, .offset = soff },
        .dest = { .u.ref = ref, .domid = dom, .offset = doff },
        .len = len, .flags = GNTCOPY_dest_gref };
}

static void test_copy_both_ways(void **state)
{
    struct grant_entry_v1 *e = grant(a, 4, 2, 6, false);
    struct gnttab_copy c;

    memset(bytes(at(a, 6)) + 100, 0xab, 50);
    assert_int_equal(copy(b, gref_to_gmfn(1, 4, 2, 100, 200, 50)), GNTST_okay);
    assert_int_equal(bytes(at(b, 2))[200], 0xab);
    assert_int_equal(bytes(at(b, 2))[249], 0xab);
    assert_int_equal(bytes(at(b, 2))[250], 0);
    /* Flags were transient: nothing pinned, nothing set. */
    assert_int_equal(e->flags, GTF_permit_access);
    assert_int_equal(gnttab_pins(a, 4), 0);

    memset(bytes(at(b, 3)), 0xcd, PAGE_SIZE);
    assert_int_equal(copy(b, gmfn_to_gref(3, 1, 4, 0, 0, PAGE_SIZE)), GNTST_okay);
    assert_int_equal(bytes(at(a, 6))[0], 0xcd);
    assert_int_equal(bytes(at(a, 6))[PAGE_SIZE - 1], 0xcd);
    assert_int_equal(e->flags, GTF_permit_access);

    /* gref to gref, both A's; and the caller's own grant. */
    grant(a, 5, 2, 7, true);
    c = (struct gnttab_copy){ .source = { .u.ref = 5, .domid = 1 },
                              .dest = { .u.ref = 4, .domid = 1, .offset = 10 },
                              .len = 1, .flags = GNTCOPY_source_gref | GNTCOPY_dest_gref };
    assert_int_equal(copy(b, c), GNTST_okay);
    assert_int_equal(bytes(at(a, 6))[10], 7);     /* gfn 7's first byte */
    grant(b, 1, 2, 8, false);
    assert_int_equal(copy(b, gref_to_gmfn(2, 1, 9, 0, 1, 1)), GNTST_okay);
    assert_int_equal(bytes(at(b, 9))[1], 8);
    /* Copying out of a mapped grant leaves the mapping's pin alone. */
    {
        grant_handle_t h;

        assert_int_equal(map(b, 1, 4, GNTMAP_host_map, MAP_AT, &h), GNTST_okay);
        assert_int_equal(copy(b, gref_to_gmfn(1, 4, 2, 0, 0, 8)), GNTST_okay);
        assert_int_equal(gnttab_pins(a, 4), 1);
        assert_int_equal(e->flags, GTF_permit_access | GTF_reading | GTF_writing);
        assert_int_equal(unmap(b, h, MAP_AT, 0), GNTST_okay);
    }
    assert_int_equal(refs(at(a, 6)), 1);
}

static void test_copy_refusals(void **state)
{
    struct grant_entry_v1 *ro = grant(a, 2, 2, 5, true);
    struct grant_entry_v1 *other = grant(a, 3, 3, 6, false);
    struct grant_entry_v1 *e = grant(a, 4, 2, 7, false);
    struct gnttab_copy c;

    /* Writing into a read-only grant, or one for someone else. */
    assert_int_equal(copy(b, gmfn_to_gref(1, 1, 2, 0, 0, 8)), GNTST_general_error);
    assert_int_equal(ro->flags, GTF_permit_access | GTF_readonly);
    assert_int_equal(copy(b, gref_to_gmfn(1, 3, 1, 0, 0, 8)), GNTST_general_error);
    assert_int_equal(other->flags, GTF_permit_access);
    /* Reading a read-only grant is fine. */
    assert_int_equal(copy(b, gref_to_gmfn(1, 2, 1, 0, 0, 8)), GNTST_okay);
    /* A frame number names the caller's memory, and only as DOMID_SELF. */
    c = gref_to_gmfn(1, 4, 1, 0, 0, 8);
    c.dest.domid = 2;
    assert_int_equal(copy(b, c), GNTST_permission_denied);
    c.dest.domid = 1;
    assert_int_equal(copy(b, c), GNTST_permission_denied);
    c = gref_to_gmfn(1, 4, 40, 0, 0, 8);            /* not B's RAM */
    assert_int_equal(copy(b, c), GNTST_bad_page);
    c = gref_to_gmfn(1, 4, ~0ull, 0, 0, 8);
    assert_int_equal(copy(b, c), GNTST_bad_page);
    /* Domains and references. */
    assert_int_equal(copy(b, gref_to_gmfn(77, 4, 1, 0, 0, 8)), GNTST_bad_domain);
    assert_int_equal(copy(b, gref_to_gmfn(1, 4096, 1, 0, 0, 8)), GNTST_bad_gntref);
    /* Bounds: offset + len past the page, either side. */
    assert_int_equal(copy(b, gref_to_gmfn(1, 4, 1, 4095, 0, 2)), GNTST_bad_copy_arg);
    assert_int_equal(copy(b, gref_to_gmfn(1, 4, 1, 0, 4000, 97)), GNTST_bad_copy_arg);
    assert_int_equal(copy(b, gref_to_gmfn(1, 4, 1, 0, 0, 0xffff)), GNTST_bad_copy_arg);
    assert_int_equal(copy(b, gref_to_gmfn(1, 4, 1, 0xffff, 0xffff, 0xffff)),
                     GNTST_bad_copy_arg);
    assert_int_equal(copy(b, gref_to_gmfn(1, 4, 1, 4095, 4095, 1)), GNTST_okay);
    assert_int_equal(copy(b, gref_to_gmfn(1, 4, 1, 0, 0, 0)), GNTST_okay);
    /* Pinned by B's mapping: C may not copy it even once A names C. */
    {
        struct domain *c = new_domain(3);
        struct grant_entry_v1 *shared = grant(a, 6, 2, 8, false);
        grant_handle_t h;

        assert_int_equal(map(b, 1, 6, GNTMAP_host_map, MAP_AT, &h), GNTST_okay);
        shared->domid = 3;
        assert_int_equal(copy(c, gref_to_gmfn(1, 6, 1, 0, 0, 8)), GNTST_general_error);
        assert_int_equal(gnttab_pins(a, 6), 1);
        assert_int_equal(unmap(b, h, MAP_AT, 0), GNTST_okay);
        assert_int_equal(copy(c, gref_to_gmfn(1, 6, 1, 0, 0, 8)), GNTST_okay);
        assert_int_equal(bytes(at(c, 1))[0], 8);
        kill(&c);
    }
    /* Nothing left pinned or referenced by any of it. */
    assert_int_equal(gnttab_pins(a, 2) + gnttab_pins(a, 3) + gnttab_pins(a, 4), 0);
    assert_int_equal(refs(at(a, 5)) + refs(at(a, 6)) + refs(at(a, 7)), 3);
    assert_int_equal(refs(at(b, 1)), 1);
    assert_int_equal(e->flags, GTF_permit_access);
}

/* ---- the dispatcher ---- */

static void test_batches(void **state)
{
    struct gnttab_map_grant_ref m[3] = {
        { .host_addr = (uint64_t)MAP_AT << PAGE_SHIFT, .flags = GNTMAP_host_map,
          .ref = 1, .dom = 1 },
        { .host_addr = (uint64_t)(MAP_AT + 1) << PAGE_SHIFT, .flags = GNTMAP_host_map,
          .ref = 2, .dom = 1 },          /* not granted */
        { .host_addr = (uint64_t)(MAP_AT + 2) << PAGE_SHIFT,
          .flags = GNTMAP_host_map | GNTMAP_readonly, .ref = 1, .dom = 1 },
    };
    struct gnttab_unmap_grant_ref u[2];
    struct gnttab_copy c[2] = { gref_to_gmfn(1, 1, 1, 0, 0, 4),
                                gref_to_gmfn(1, 1, 1, 0, 0, 4097) };

    grant(a, 1, 2, 5, false);
    assert_int_equal(op(b, GNTTABOP_map_grant_ref, m, sizeof(m), 3), 0);
    assert_int_equal(m[0].status, GNTST_okay);
    assert_int_equal(m[1].status, GNTST_general_error);
    assert_int_equal(m[2].status, GNTST_okay);
    assert_true(m[0].handle != m[2].handle);
    assert_int_equal(gnttab_pins(a, 1), 2);
    assert_int_equal(op(b, GNTTABOP_copy, c, sizeof(c), 2), 0);
    assert_int_equal(c[0].status, GNTST_okay);
    assert_int_equal(c[1].status, GNTST_bad_copy_arg);
    u[0] = (struct gnttab_unmap_grant_ref){ .host_addr = m[0].host_addr, .handle = m[0].handle };
    u[1] = (struct gnttab_unmap_grant_ref){ .host_addr = m[2].host_addr, .handle = m[2].handle };
    assert_int_equal(op(b, GNTTABOP_unmap_grant_ref, u, sizeof(u), 2), 0);
    assert_int_equal(u[0].status, GNTST_okay);
    assert_int_equal(u[1].status, GNTST_okay);
    assert_int_equal(gnttab_pins(a, 1), 0);

    /* Counts: "negative", 32-bit truncation as in Xen (big: see below). */
    assert_int_equal(raw_op(b, false, GNTTABOP_copy, GBASE, 0x80000000u), -EINVAL);
    assert_int_equal(raw_op(b, false, GNTTABOP_unmap_grant_ref, GBASE, 1ULL << 32), 0);
    assert_int_equal(raw_op(b, false, GNTTABOP_query_size, GBASE, 2), -EINVAL);
    assert_int_equal(raw_op(b, false, GNTTABOP_query_size, GBASE, 0), -EINVAL);
    /* Unreadable ops. */
    assert_int_equal(raw_op(b, false, GNTTABOP_map_grant_ref, 8, 1), -EFAULT);
    assert_int_equal(raw_op(b, false, GNTTABOP_copy, GBASE + sizeof(guest) - 8, 1), -EFAULT);
    assert_int_equal(raw_op(b, false, GNTTABOP_unmap_grant_ref, GBASE + sizeof(guest), 1),
                     -EFAULT);
    /* Sub-ops not here, and bits above the command. */
    assert_int_equal(raw_op(b, false, GNTTABOP_transfer, GBASE, 1), -ENOSYS);
    assert_int_equal(raw_op(b, false, GNTTABOP_dump_table, GBASE, 1), -ENOSYS);
    assert_int_equal(raw_op(b, false, GNTTABOP_cache_flush, GBASE, 1), -ENOSYS);
    assert_int_equal(raw_op(b, false, 99, GBASE, 1), -ENOSYS);
    assert_int_equal(raw_op(b, false, GNTTABOP_map_grant_ref | 0x1000, GBASE, 1), -EINVAL);
    assert_int_equal(raw_op(NULL, false, GNTTABOP_map_grant_ref, GBASE, 1), -ESRCH);
}

/* ---- batches bigger than one invocation does ---- */

#define BIG (2 * GNTTAB_CHUNK + 100)    /* two full chunks and a part */

static bool is_bad(unsigned int i)
{
    return i % 100 == 50;
}

/* BIG read-only maps of A's entry 1 at MAP_AT + i; is_bad(i) name entry 2. */
static void map_big(struct gnttab_map_grant_ref *m, bool with_bad)
{
    unsigned int i;

    for ( i = 0; i < BIG; i++ )
        m[i] = (struct gnttab_map_grant_ref){
            .host_addr = (uint64_t)(MAP_AT + i) << PAGE_SHIFT,
            .flags = GNTMAP_host_map | GNTMAP_readonly,
            .ref = with_bad && is_bad(i) ? 2 : 1, .dom = 1, .status = 77 };
    memcpy(guest, m, BIG * sizeof(*m));
    assert_int_equal(continued_op(b, GNTTABOP_map_grant_ref, GBASE, BIG), 0);
    memcpy(m, guest, BIG * sizeof(*m));
}

/* Each invocation took up where the last stopped: pointer and count. */
static void assert_rounds(uint32_t cmd, size_t size, unsigned int per_round,
                          unsigned int total)
{
    unsigned int r;

    assert_int_equal(rounds, (total + per_round - 1) / per_round);
    for ( r = 0; r < rounds; r++ )
    {
        assert_int_equal(round_args[r][0], cmd);
        assert_int_equal(round_args[r][1], GBASE + (uint64_t)r * per_round * size);
        assert_int_equal(round_args[r][2], total - r * per_round);
        assert_int_equal(round_args[r][3], 0x33);   /* the rest untouched */
        assert_int_equal(round_args[r][4], 0x44);
    }
}

static void test_map_batch_continues(void **state)
{
    static struct gnttab_map_grant_ref m[BIG];
    static bool seen[GNTTAB_MAPTRACK_MAX];
    struct page_info *pg = at(a, 5);
    unsigned int i, ok = 0;

    grant(a, 1, 2, 5, false);
    memset(seen, 0, sizeof(seen));
    map_big(m, true);
    assert_rounds(GNTTABOP_map_grant_ref, sizeof(*m), GNTTAB_CHUNK, BIG);
    /* Every element has its status; a bad one did not stop the others. */
    for ( i = 0; i < BIG; i++ )
    {
        if ( is_bad(i) )
        {
            assert_int_equal(m[i].status, GNTST_general_error);
            assert_null(at(b, MAP_AT + i));
            continue;
        }
        assert_int_equal(m[i].status, GNTST_okay);
        assert_true(m[i].handle < GNTTAB_MAPTRACK_MAX && !seen[m[i].handle]);
        seen[m[i].handle] = true;
        assert_ptr_equal(at(b, MAP_AT + i), pg);
        ok++;
    }
    assert_int_equal(ok, BIG - 11);
    assert_int_equal(gnttab_pins(a, 1), ok);
    assert_int_equal(refs(pg), 1 + 2 * ok);
    /* Nothing outlives the test but what the teardown of B undoes. */
}

static void test_unmap_batch_flushes_per_chunk(void **state)
{
    static struct gnttab_map_grant_ref m[BIG];
    static struct gnttab_unmap_grant_ref u[BIG];
    struct grant_entry_v1 *e = grant(a, 1, 2, 5, false);
    struct page_info *pg = at(a, 5);
    unsigned int i;

    map_big(m, false);
    assert_int_equal(tlb_flushes, 0);
    /* is_bad(i): a handle never handed out; i == 3: host_addr 0, kept. */
    for ( i = 0; i < BIG; i++ )
        u[i] = (struct gnttab_unmap_grant_ref){
            .host_addr = i == 3 ? 0 : m[i].host_addr,
            .handle = is_bad(i) ? GNTTAB_MAPTRACK_MAX - 1 : m[i].handle,
            .status = 77 };
    memcpy(guest, u, sizeof(u));
    assert_int_equal(continued_op(b, GNTTABOP_unmap_grant_ref, GBASE, BIG), 0);
    memcpy(u, guest, sizeof(u));
    assert_rounds(GNTTABOP_unmap_grant_ref, sizeof(*u), GNTTAB_CHUNK, BIG);
    /* One flush per chunk, each before any reference went (the fake checks). */
    assert_int_equal(tlb_flushes, 3);
    for ( i = 0; i < BIG; i++ )
    {
        assert_int_equal(u[i].status, is_bad(i) ? GNTST_bad_handle : GNTST_okay);
        if ( i == 3 || is_bad(i) )
            assert_ptr_equal(at(b, MAP_AT + i), pg);
        else
            assert_null(at(b, MAP_AT + i));
    }
    /* Left: element 3's mapping and the 11 bad elements' ones. */
    assert_int_equal(gnttab_pins(a, 1), 12);
    assert_int_equal(refs(pg), 1 + 2 * 12);
    assert_int_equal(e->flags, GTF_permit_access | GTF_reading);

    /* A chunk that unmapped nothing flushes nothing. */
    memcpy(guest, u, sizeof(u));
    assert_int_equal(continued_op(b, GNTTABOP_unmap_grant_ref, GBASE, 20), 0);
    assert_int_equal(tlb_flushes, 3);
    /* The rest, one by one: a flush each. */
    assert_int_equal(unmap(b, m[3].handle, MAP_AT + 3, 0), GNTST_okay);
    for ( i = 0; i < BIG; i++ )
        if ( is_bad(i) )
            assert_int_equal(unmap(b, m[i].handle, MAP_AT + i, 0), GNTST_okay);
    assert_int_equal(tlb_flushes, 3 + 12);
    assert_int_equal(gnttab_pins(a, 1), 0);
    assert_int_equal(refs(pg), 1);
    assert_int_equal(e->flags, GTF_permit_access);
}

static void test_unmap_of_dead_granter_in_batch(void **state)
{
    /* The granter dies between map and unmap: the page was kept by the
     * references, and is freed only by the batch's release, after the flush. */
    struct gnttab_unmap_grant_ref u[2];
    struct page_info *pg = at(a, 9);
    grant_handle_t h1, h2;

    grant(a, 9, 2, 9, false);
    assert_int_equal(map(b, 1, 9, GNTMAP_host_map, MAP_AT, &h1), GNTST_okay);
    assert_int_equal(map(b, 1, 9, GNTMAP_host_map | GNTMAP_readonly, MAP_AT + 1, &h2),
                     GNTST_okay);
    kill(&a);
    assert_int_equal(refs(pg), 4);
    u[0] = (struct gnttab_unmap_grant_ref){ .host_addr = (uint64_t)MAP_AT << PAGE_SHIFT,
                                            .handle = h1 };
    u[1] = (struct gnttab_unmap_grant_ref){ .host_addr = (uint64_t)(MAP_AT + 1) << PAGE_SHIFT,
                                            .handle = h2 };
    assert_int_equal(op(b, GNTTABOP_unmap_grant_ref, u, sizeof(u), 2), 0);
    assert_int_equal(u[0].status, GNTST_okay);
    assert_int_equal(u[1].status, GNTST_okay);
    assert_int_equal(tlb_flushes, 1);
    assert_false(page_is_inuse(pg));
}

static void test_copy_batch_continues(void **state)
{
    static struct gnttab_copy c[BIG];
    struct page_info *src = at(a, 6), *dst = at(b, 2);
    struct grant_entry_v1 *e = grant(a, 4, 2, 6, true);
    unsigned int i;

    for ( i = 0; i < PAGE_SIZE; i++ )
        bytes(src)[i] = (uint8_t)(i * 7 + 1);
    /* Byte i to byte i; is_bad(i): one byte too long for the page. */
    for ( i = 0; i < BIG; i++ )
    {
        c[i] = gref_to_gmfn(1, 4, 2, i, i, is_bad(i) ? PAGE_SIZE - i + 1 : 1);
        c[i].status = 77;
    }
    memcpy(guest, c, sizeof(c));
    assert_int_equal(continued_op(b, GNTTABOP_copy, GBASE, BIG), 0);
    memcpy(c, guest, sizeof(c));
    assert_rounds(GNTTABOP_copy, sizeof(*c), GNTTAB_CHUNK, BIG);
    for ( i = 0; i < BIG; i++ )
    {
        assert_int_equal(c[i].status, is_bad(i) ? GNTST_bad_copy_arg : GNTST_okay);
        assert_int_equal(bytes(dst)[i], is_bad(i) ? 0 : (uint8_t)(i * 7 + 1));
    }
    assert_int_equal(gnttab_pins(a, 4), 0);
    assert_int_equal(e->flags, GTF_permit_access | GTF_readonly);
    assert_int_equal(refs(src), 1);
    assert_int_equal(refs(dst), 1);
}

static void test_batch_preempted(void **state)
{
    /* With other work waiting, each invocation does one element, and
     * still one: a busy CPU slows a batch down but never stops it. */
    static struct gnttab_map_grant_ref m[3];
    struct gnttab_unmap_grant_ref u[3];
    unsigned int i;

    grant(a, 1, 2, 5, false);
    preempt_now = true;
    for ( i = 0; i < 3; i++ )
        m[i] = (struct gnttab_map_grant_ref){
            .host_addr = (uint64_t)(MAP_AT + i) << PAGE_SHIFT,
            .flags = GNTMAP_host_map, .ref = 1, .dom = 1 };
    memcpy(guest, m, sizeof(m));
    assert_int_equal(continued_op(b, GNTTABOP_map_grant_ref, GBASE, 3), 0);
    memcpy(m, guest, sizeof(m));
    assert_rounds(GNTTABOP_map_grant_ref, sizeof(*m), 1, 3);
    for ( i = 0; i < 3; i++ )
    {
        assert_int_equal(m[i].status, GNTST_okay);
        u[i] = (struct gnttab_unmap_grant_ref){ .host_addr = m[i].host_addr,
                                                .handle = m[i].handle };
    }
    memcpy(guest, u, sizeof(u));
    assert_int_equal(continued_op(b, GNTTABOP_unmap_grant_ref, GBASE, 3), 0);
    assert_rounds(GNTTABOP_unmap_grant_ref, sizeof(*u), 1, 3);
    assert_int_equal(tlb_flushes, 3);
    assert_int_equal(gnttab_pins(a, 1), 0);
    /* Single-element sub-ops are never continued. */
    {
        struct gnttab_query_size q = { .dom = DOMID_SELF };

        memcpy(guest, &q, sizeof(q));
        assert_int_equal(continued_op(b, GNTTABOP_query_size, GBASE, 1), 0);
    }
    assert_int_equal(rounds, 1);
}

static void test_batch_fault_midway(void **state)
{
    /* An element that cannot be read ends the batch with -EFAULT (no
     * continuation), as in Xen; the unmaps before it are complete. */
    struct gnttab_unmap_grant_ref u[2];
    const size_t us = sizeof(u[0]);
    uint64_t at_end = GBASE + sizeof(guest) - 2 * us;
    struct page_info *pg = at(a, 5);
    grant_handle_t h1, h2;

    grant(a, 1, 2, 5, false);
    assert_int_equal(map(b, 1, 1, GNTMAP_host_map, MAP_AT, &h1), GNTST_okay);
    assert_int_equal(map(b, 1, 1, GNTMAP_host_map, MAP_AT + 1, &h2), GNTST_okay);
    u[0] = (struct gnttab_unmap_grant_ref){ .host_addr = (uint64_t)MAP_AT << PAGE_SHIFT,
                                            .handle = h1 };
    u[1] = (struct gnttab_unmap_grant_ref){ .host_addr = (uint64_t)(MAP_AT + 1) << PAGE_SHIFT,
                                            .handle = h2 };
    memcpy(guest + sizeof(guest) - 2 * us, u, sizeof(u));
    /* A count no single call would do: no cap, the guest's memory ends it. */
    assert_int_equal(continued_op(b, GNTTABOP_unmap_grant_ref, at_end, 0x7fffffff),
                     -EFAULT);
    assert_int_equal(rounds, 1);
    memcpy(u, guest + sizeof(guest) - 2 * us, sizeof(u));
    assert_int_equal(u[0].status, GNTST_okay);
    assert_int_equal(u[1].status, GNTST_okay);
    assert_int_equal(tlb_flushes, 1);
    assert_int_equal(gnttab_pins(a, 1), 0);
    assert_int_equal(refs(pg), 1);
    /* Past a full chunk, the fault comes in a later round. */
    memset(guest, 0, sizeof(guest));
    assert_int_equal(continued_op(b, GNTTABOP_unmap_grant_ref, GBASE, 0x7fffffff),
                     -EFAULT);
    assert_int_equal(rounds, (sizeof(guest) / us + GNTTAB_CHUNK - 1) / GNTTAB_CHUNK);
    assert_int_equal(tlb_flushes, 1);
}

static void test_swap_and_status_frames(void **state)
{
    struct gnttab_swap_grant_ref s = { .ref_a = 1, .ref_b = 2 };
    struct gnttab_get_status_frames g = { .nr_frames = 1, .dom = DOMID_SELF };
    grant_handle_t h;

    grant(a, 1, 2, 5, false);
    grant(a, 2, 3, 6, true);
    assert_int_equal(op(a, GNTTABOP_swap_grant_ref, &s, sizeof(s), 1), 0);
    assert_int_equal(s.status, GNTST_okay);
    assert_int_equal(gnttab_shared_frame(a, 0)[1].domid, 3);
    assert_int_equal(gnttab_shared_frame(a, 0)[2].domid, 2);
    /* In use: not swapped. */
    assert_int_equal(map(b, 1, 2, GNTMAP_host_map, MAP_AT, &h), GNTST_okay);
    assert_int_equal(op(a, GNTTABOP_swap_grant_ref, &s, sizeof(s), 1), 0);
    assert_int_equal(s.status, GNTST_eagain);
    s.ref_b = 512;
    assert_int_equal(op(a, GNTTABOP_swap_grant_ref, &s, sizeof(s), 1), 0);
    assert_int_equal(s.status, GNTST_bad_gntref);
    assert_int_equal(unmap(b, h, MAP_AT, 0), GNTST_okay);

    /* A v1 table has no status frames. */
    assert_int_equal(op(a, GNTTABOP_get_status_frames, &g, sizeof(g), 1), 0);
    assert_int_equal(g.status, GNTST_general_error);
    g.nr_frames = 0;
    assert_int_equal(op(a, GNTTABOP_get_status_frames, &g, sizeof(g), 1), 0);
    assert_int_equal(g.status, GNTST_okay);
    g.dom = 2;                               /* not without privilege */
    assert_int_equal(op(a, GNTTABOP_get_status_frames, &g, sizeof(g), 1), 0);
    assert_int_equal(g.status, GNTST_bad_domain);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_map_writable_then_unmap),
        T(test_readonly),
        T(test_map_refusals),
        T(test_host_addr_occupied),
        T(test_unmap_refusals),
        T(test_granter_rewrites_pinned_entry),
        T(test_mapping_removed_behind_our_back),
        T(test_self_map),
        T(test_mapper_dies),
        T(test_granter_dies),
        T(test_maptrack_limit),
        T(test_maptrack_reuses_handles),
        T(test_copy_both_ways),
        T(test_copy_refusals),
        T(test_batches),
        T(test_map_batch_continues),
        T(test_unmap_batch_flushes_per_chunk),
        T(test_unmap_of_dead_granter_in_batch),
        T(test_copy_batch_continues),
        T(test_batch_preempted),
        T(test_batch_fault_midway),
        T(test_swap_and_status_frames),
    };

    return cmocka_run_group_tests_name("gnttab", tests, NULL, NULL);
}

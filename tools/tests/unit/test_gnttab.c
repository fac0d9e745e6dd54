/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Grant-table tests: domain A grants frames to B; B maps them read-only
 * and writable; the flags the guest sees, the pin counts, the handles;
 * every way a map must be refused; teardown of either side.
 */
#include <string.h>

#include "heap_fixture.h"
#include "sched_stubs.h"
#include <public/grant_table.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/grant_table.h>
#include <xen/sched.h>

#define MiB (1UL << 20)

static struct domain *a, *b;
static unsigned long heap_at_start;

void arch_evtchn_notify(struct vcpu *v)
{
}

static int setup(void **state)
{
    int err;

    heap_at_start = boot_test_heap(16 * MiB);
    a = domain_create(1, 1, false, &err);
    b = domain_create(2, 1, false, &err);
    assert_int_equal(gnttab_init(a, 4), 0);
    assert_int_equal(gnttab_init(b, 4), 0);
    return 0;
}

static int teardown(void **state)
{
    if ( a )
    {
        domain_kill(a);
        domain_destroy(a);
    }
    domain_kill(b);
    domain_destroy(b);
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

static void test_map_unmap_flags_and_pins(void **state)
{
    struct grant_entry_v1 *e = grant(a, 8, 2, 0x1234, false);
    grant_handle_t h1, h2;
    uint32_t gfn = 0;

    assert_int_equal(gnttab_map(b, a, 8, GNTMAP_host_map | GNTMAP_readonly,
                                &h1, &gfn), GNTST_okay);
    assert_int_equal(gfn, 0x1234);
    assert_true(e->flags & GTF_reading);
    assert_false(e->flags & GTF_writing);
    assert_int_equal(gnttab_map(b, a, 8, GNTMAP_host_map, &h2, &gfn), GNTST_okay);
    assert_true(h1 != h2);
    assert_true(e->flags & GTF_writing);
    assert_int_equal(gnttab_pins(a, 8), 2);
    assert_int_equal(gnttab_unmap(b, h2), GNTST_okay);
    assert_false(e->flags & GTF_writing);            /* last writer gone */
    assert_true(e->flags & GTF_reading);             /* a reader remains */
    assert_int_equal(gnttab_unmap(b, h1), GNTST_okay);
    assert_int_equal(e->flags, GTF_permit_access);   /* as the guest left it */
    assert_int_equal(gnttab_pins(a, 8), 0);
    assert_int_equal(gnttab_unmap(b, h1), GNTST_bad_handle);   /* twice */
}

static void test_refusals(void **state)
{
    grant_handle_t h;
    uint32_t gfn;

    grant(a, 1, 3, 0x10, false);                     /* for domain 3 */
    assert_int_equal(gnttab_map(b, a, 1, GNTMAP_host_map, &h, &gfn),
                     GNTST_permission_denied);
    grant(a, 2, 2, 0x11, true);                      /* read-only grant */
    assert_int_equal(gnttab_map(b, a, 2, GNTMAP_host_map, &h, &gfn),
                     GNTST_permission_denied);
    assert_int_equal(gnttab_map(b, a, 2, GNTMAP_host_map | GNTMAP_readonly,
                                &h, &gfn), GNTST_okay);
    assert_int_equal(gnttab_map(b, a, 3, GNTMAP_host_map, &h, &gfn),
                     GNTST_permission_denied);       /* never granted */
    grant(a, 4, 2, 0x12, false)->flags = GTF_accept_transfer;
    assert_int_equal(gnttab_map(b, a, 4, GNTMAP_host_map, &h, &gfn),
                     GNTST_permission_denied);       /* wrong type */
    assert_int_equal(gnttab_map(b, a, 512, GNTMAP_host_map, &h, &gfn),
                     GNTST_bad_gntref);              /* beyond frame 0 */
    assert_int_equal(gnttab_map(b, a, ~0u, GNTMAP_host_map, &h, &gfn),
                     GNTST_bad_gntref);
    assert_int_equal(gnttab_map(b, NULL, 1, GNTMAP_host_map, &h, &gfn),
                     GNTST_bad_domain);
    assert_int_equal(gnttab_map(b, a, 2, 0, &h, &gfn), GNTST_bad_virt_addr);
    assert_int_equal(gnttab_unmap(b, GNTTAB_MAPTRACK_MAX), GNTST_bad_handle);
}

static void test_grow_table(void **state)
{
    unsigned int nr, max;
    grant_handle_t h;
    uint32_t gfn;

    gnttab_query(a, &nr, &max);
    assert_int_equal(nr, 1);
    assert_int_equal(max, 4);
    assert_int_equal(gnttab_setup(a, 5), GNTST_general_error);
    assert_int_equal(gnttab_setup(a, 3), GNTST_okay);
    gnttab_query(a, &nr, &max);
    assert_int_equal(nr, 3);
    assert_null(gnttab_shared_frame(a, 3));
    grant(a, 1500, 2, 0x99, false);
    assert_int_equal(gnttab_map(b, a, 1500, GNTMAP_host_map, &h, &gfn), GNTST_okay);
    assert_int_equal(gfn, 0x99);
}

static void test_maptrack_limit(void **state)
{
    grant_handle_t h;
    uint32_t gfn;
    unsigned int i;

    grant(a, 5, 2, 0x55, false);
    for ( i = 0; i < GNTTAB_MAPTRACK_MAX; i++ )
        assert_int_equal(gnttab_map(b, a, 5, GNTMAP_host_map | GNTMAP_readonly,
                                    &h, &gfn), GNTST_okay);
    assert_int_equal(gnttab_map(b, a, 5, GNTMAP_host_map | GNTMAP_readonly,
                                &h, &gfn), GNTST_no_device_space);
    assert_int_equal(gnttab_pins(a, 5), GNTTAB_MAPTRACK_MAX);
}

static void test_guest_revokes_while_mapped(void **state)
{
    /* The guest may rewrite its entry any time; the pin still unwinds. */
    struct grant_entry_v1 *e = grant(a, 6, 2, 0x66, false);
    grant_handle_t h;
    uint32_t gfn;

    assert_int_equal(gnttab_map(b, a, 6, GNTMAP_host_map, &h, &gfn), GNTST_okay);
    e->domid = 9;
    assert_int_equal(gnttab_unmap(b, h), GNTST_okay);
    assert_int_equal(gnttab_pins(a, 6), 0);
    assert_false(e->flags & (GTF_reading | GTF_writing));
}

static void test_mapper_dies(void **state)
{
    struct grant_entry_v1 *e = grant(a, 7, 2, 0x77, false);
    grant_handle_t h;
    uint32_t gfn;
    int err;

    assert_int_equal(gnttab_map(b, a, 7, GNTMAP_host_map, &h, &gfn), GNTST_okay);
    domain_kill(b);                                  /* its mappings go */
    domain_destroy(b);
    assert_int_equal(gnttab_pins(a, 7), 0);
    assert_int_equal(e->flags, GTF_permit_access);
    b = domain_create(2, 1, false, &err);            /* for teardown */
}

static void test_granter_dies(void **state)
{
    grant_handle_t h;
    uint32_t gfn;

    grant(a, 9, 2, 0x88, false);
    assert_int_equal(gnttab_map(b, a, 9, GNTMAP_host_map, &h, &gfn), GNTST_okay);
    domain_kill(a);
    domain_destroy(a);
    a = NULL;
    assert_int_equal(gnttab_unmap(b, h), GNTST_okay);   /* record dropped */
    assert_int_equal(gnttab_unmap(b, h), GNTST_bad_handle);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_map_unmap_flags_and_pins),
        T(test_refusals),
        T(test_grow_table),
        T(test_maptrack_limit),
        T(test_guest_revokes_while_mapped),
        T(test_mapper_dies),
        T(test_granter_dies),
    };

    return cmocka_run_group_tests_name("gnttab", tests, NULL, NULL);
}

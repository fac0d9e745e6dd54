/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Domain tests over the real boot allocator, buddy heap and xmalloc in a
 * 64 MiB fake machine: ids, the life-cycle state machine, max_pages
 * enforced, and create/kill/destroy cycles that leave the heap and xmalloc
 * exactly as they were.
 */
#include <string.h>

#include "heap_fixture.h"
#include "sched_stubs.h"
#include <public/sched.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/xmalloc.h>

#define MiB (1UL << 20)

static unsigned long heap_free_at_start;

/* No vCPU runs in these tests: nothing to notify. */
void arch_evtchn_notify(struct vcpu *v)
{
}

static int boot_heap(void **state)
{
    heap_free_at_start = boot_test_heap(64 * MiB);
    return 0;
}

static int check_and_unmap(void **state)
{
    assert_int_equal(avail_heap_pages(), heap_free_at_start);
    assert_int_equal(xmalloc_bytes_in_use(), 0);
    host_test_ram_fini();
    return 0;
}

static struct domain *create_auto(domid_t id, unsigned int vcpus, int expect_err)
{
    int err = 1;
    struct domain *d = domain_create(id, vcpus, false, &err);

    assert_int_equal(err, expect_err);
    assert_true(expect_err ? d == NULL : d != NULL);
    return d;
}

/* As the toolstack's domains: kept after shutdown until destroyed. */
static struct domain *create(domid_t id, unsigned int vcpus, int expect_err)
{
    struct domain *d = create_auto(id, vcpus, expect_err);

    if ( d )
        d->preserve_on_shutdown = d->preserve_on_crash = true;
    return d;
}

static void fire_reaper(void)
{
    assert_non_null(stub_last_timer);
    stub_last_timer->fn(stub_last_timer->data);
}

static void finish(struct domain *d)
{
    domain_kill(d);
    assert_int_equal(d->state, DOMAIN_DEAD);
    assert_int_equal(domain_destroy(d), 0);
}

static void test_ids(void **state)
{
    struct domain *a = create(0, 1, 0), *b, *c;

    assert_int_equal(a->domain_id, 0);
    create(0, 1, -EEXIST);
    b = create(DOMID_FIRST_RESERVED, 2, 0);
    c = create(DOMID_FIRST_RESERVED, 1, 0);
    assert_true(b->domain_id != 0 && c->domain_id != b->domain_id);
    assert_ptr_equal(domain_lookup(b->domain_id), b);
    create(DOMID_FIRST_RESERVED + 1, 1, -EINVAL);
    create(5, 0, -EINVAL);
    create(5, DOMAIN_MAX_VCPUS + 1, -EINVAL);
    {
        domid_t cid = c->domain_id;

        finish(c);
        assert_null(domain_lookup(cid));            /* the id is free again */
    }
    finish(b);
    finish(a);
    assert_null(domain_lookup(0));
}

static void test_life_cycle(void **state)
{
    struct domain *d = create(3, 2, 0);

    assert_int_equal(d->state, DOMAIN_CREATED);
    assert_true(d->vcpus[0]->is_up);
    assert_false(d->vcpus[1]->is_up);
    assert_int_equal(domain_unpause(d), 0);
    assert_int_equal(d->state, DOMAIN_RUNNING);
    assert_int_equal(domain_unpause(d), -EINVAL);      /* not paused */
    assert_int_equal(domain_pause(d), 0);
    assert_int_equal(domain_pause(d), 0);
    assert_int_equal(domain_unpause(d), 0);
    assert_int_equal(d->state, DOMAIN_PAUSED);          /* still one pause */
    assert_int_equal(domain_unpause(d), 0);
    assert_int_equal(d->state, DOMAIN_RUNNING);
    domain_shutdown(d, SHUTDOWN_reboot);
    assert_int_equal(d->state, DOMAIN_SHUTDOWN);
    domain_crash(d, "late crash");                      /* first reason sticks */
    assert_int_equal(d->shutdown_reason, SHUTDOWN_reboot);
    assert_int_equal(domain_destroy(d), -EBUSY);        /* not dead yet */
    finish(d);
}

static void test_crash(void **state)
{
    struct domain *d = create(4, 1, 0);

    host_test_log_clear();
    domain_unpause(d);
    domain_crash(d, "triple fault");
    assert_int_equal(d->state, DOMAIN_CRASHED);
    assert_int_equal(d->shutdown_reason, SHUTDOWN_crash);
    assert_true(host_test_log_contains("Domain 4 crashed: triple fault"));
    assert_int_equal(domain_pause(d), -EINVAL);
    finish(d);
}

static void test_memory_limits(void **state)
{
    struct domain *d = create(6, 1, 0);
    struct page_info *a, *b;

    assert_null(domain_alloc_pages(d, 0));              /* max_pages 0 */
    assert_int_equal(domain_set_max_pages(d, 600), 0);
    a = domain_alloc_pages(d, 9);                       /* 512 */
    assert_non_null(a);
    assert_ptr_equal(a->v.owner, d);
    assert_int_equal(d->tot_pages, 512);
    assert_null(domain_alloc_pages(d, 7));              /* 128 > 88 left */
    b = domain_alloc_pages(d, 6);                       /* 64 fits */
    assert_non_null(b);
    assert_int_equal(domain_set_max_pages(d, 100), -EBUSY);
    domain_free_pages(d, b, 6);
    assert_int_equal(d->tot_pages, 512);
    assert_null(domain_alloc_pages(d, MAX_ORDER + 1));
    finish(d);                                          /* the 512 go back */
}

static void test_no_memory_after_kill(void **state)
{
    struct domain *d = create(7, 1, 0);

    domain_set_max_pages(d, 10);
    domain_kill(d);
    assert_null(domain_alloc_pages(d, 0));
    assert_int_equal(domain_destroy(d), 0);
}

static void test_create_destroy_cycles(void **state)
{
    unsigned int i;

    /* Fifty domains with memory and vCPUs, each torn down: no leak. */
    for ( i = 0; i < 50; i++ )
    {
        struct domain *d = create(DOMID_FIRST_RESERVED, 1 + i % 4, 0);

        assert_int_equal(domain_set_max_pages(d, 2048), 0);
        assert_non_null(domain_alloc_pages(d, 10));
        assert_non_null(domain_alloc_pages(d, 0));
        domain_unpause(d);
        domain_shutdown(d, SHUTDOWN_poweroff);
        finish(d);
    }
}

/*
 * A boot domain that shuts down is hidden at once and destroyed by the
 * reaper only after the grace period: until then lookups miss it but the
 * toolstack's list still shows it dying.
 */
static void test_reaped_after_grace(void **state)
{
    struct domain *d = create_auto(9, 2, 0);
    struct domain_info info[4];

    assert_int_equal(domain_set_max_pages(d, 64), 0);
    assert_non_null(domain_alloc_pages(d, 4));
    domain_unpause(d);
    stub_grace_over = false;
    domain_shutdown(d, SHUTDOWN_poweroff);
    assert_int_equal(d->state, DOMAIN_DYING);
    assert_null(domain_lookup(9));
    assert_int_equal(domain_destroy_later(d), -EBUSY);  /* already queued */
    assert_int_equal(domain_info_list(0, info, 4), 1);
    assert_int_equal(info[0].domid, 9);
    assert_int_equal(info[0].state, DOMAIN_DYING);
    assert_int_equal(info[0].tot_pages, 16);
    fire_reaper();                                      /* too early */
    assert_int_equal(domain_info_list(0, info, 4), 1);
    stub_grace_over = true;
    fire_reaper();
    assert_int_equal(domain_info_list(0, info, 4), 0);  /* gone, heap back */
}

/*
 * Its vCPUs' timers die with the hiding, before the grace period: a
 * periodic handler running on another CPU at that moment cannot re-arm
 * its timer and fire into the freed domain.
 */
static void test_timers_killed_before_grace(void **state)
{
    struct domain *d = create_auto(12, 2, 0);
    unsigned int i;

    stub_grace_over = false;
    for ( i = 0; i < 2; i++ )
        set_timer(&d->vcpus[i]->periodic_timer, 1000);
    assert_true(d->vcpus[1]->periodic_timer.active);
    assert_int_equal(domain_destroy_later(d), 0);
    for ( i = 0; i < 2; i++ )
    {
        struct vcpu *v = d->vcpus[i];

        assert_false(v->periodic_timer.active);
        assert_true(v->periodic_timer.killed && v->singleshot_timer.killed);
        set_timer(&v->periodic_timer, 2000);        /* the handler re-arming */
        set_timer(&v->singleshot_timer, 2000);
        assert_false(v->periodic_timer.active || v->singleshot_timer.active);
    }
    stub_grace_over = true;
    fire_reaper();
}

static void test_control_domain_not_reaped(void **state)
{
    int err;
    struct domain *d = domain_create(0, 1, true, &err);

    assert_non_null(d);
    assert_int_equal(domain_destroy_later(d), -EPERM);
    finish(d);
}

/* domain_info_list: ascending ids from `first`, at most max. */
static void test_info_list_order(void **state)
{
    struct domain *a = create(7, 1, 0), *b = create(3, 3, 0), *c = create(12, 1, 0);
    struct domain_info info[4];

    assert_int_equal(domain_info_list(0, info, 4), 3);
    assert_int_equal(info[0].domid, 3);
    assert_int_equal(info[0].max_vcpu_id, 2);
    assert_int_equal(info[0].nr_online_vcpus, 1);
    assert_true(info[0].paused);
    assert_int_equal(info[1].domid, 7);
    assert_int_equal(info[2].domid, 12);
    assert_int_equal(domain_info_list(4, info, 1), 1);
    assert_int_equal(info[0].domid, 7);
    assert_int_equal(domain_info_list(13, info, 4), 0);
    finish(a);
    finish(b);
    finish(c);
}

/*
 * A foreign mapping's reference keeps a page out of the heap after its
 * owner dies, and the last put frees it.
 */
static void test_page_reference_outlives_owner(void **state)
{
    struct domain *d = create(5, 1, 0), *other = create(6, 1, 0);
    struct page_info *pg;
    unsigned long before;

    domain_set_max_pages(d, 8);
    pg = domain_alloc_pages(d, 0);
    assert_non_null(pg);
    assert_false(get_domain_page(pg, other));           /* not its page */
    assert_true(get_domain_page(pg, d));
    finish(d);
    before = avail_heap_pages();
    assert_null(pg->v.owner);                           /* still held */
    assert_true(page_is_inuse(pg));
    put_domain_page(pg);
    assert_int_equal(avail_heap_pages(), before + 1);
    finish(other);
}

static void test_no_reference_on_dying_domain(void **state)
{
    struct domain *d = create(5, 1, 0);
    struct page_info *pg;

    domain_set_max_pages(d, 8);
    pg = domain_alloc_pages(d, 0);
    stub_grace_over = false;
    assert_int_equal(domain_destroy_later(d), 0);
    assert_false(get_domain_page(pg, d));
    stub_grace_over = true;
    fire_reaper();
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, boot_heap, check_and_unmap)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_ids),
        T(test_life_cycle),
        T(test_crash),
        T(test_memory_limits),
        T(test_no_memory_after_kill),
        T(test_create_destroy_cycles),
        T(test_reaped_after_grace),
        T(test_timers_killed_before_grace),
        T(test_control_domain_not_reaped),
        T(test_info_list_order),
        T(test_page_reference_outlives_owner),
        T(test_no_reference_on_dying_domain),
    };

    return cmocka_run_group_tests_name("domain", tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event-channel tests: two domains with shared-info pages in ordinary
 * memory; ports bound every way, events delivered as pending bits,
 * selector bits and the upcall flag, masking and unmasking, closing one
 * end, bad arguments, port exhaustion, and teardown with peers.
 */
#include <string.h>

#include "heap_fixture.h"
#include "sched_stubs.h"
#include <public/event_channel.h>
#include <public/xen.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/sched.h>

#define MiB (1UL << 20)

static struct shared_info si_a, si_b;
static struct domain *a, *b;
static unsigned long heap_at_start;
static unsigned int notifications;
static struct vcpu *last_notified;

void arch_evtchn_notify(struct vcpu *v)
{
    notifications++;
    last_notified = v;
}

static int setup(void **state)
{
    int err;

    heap_at_start = boot_test_heap(16 * MiB);
    memset(&si_a, 0, sizeof(si_a));
    memset(&si_b, 0, sizeof(si_b));
    a = domain_create(1, 2, false, &err);
    b = domain_create(2, 1, false, &err);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(evtchn_init(a, 64, &si_a), 0);
    assert_int_equal(evtchn_init(b, 4096, &si_b), 0);
    notifications = 0;
    return 0;
}

static int teardown(void **state)
{
    domain_kill(a);
    domain_destroy(a);
    domain_kill(b);
    domain_destroy(b);
    assert_int_equal(avail_heap_pages(), heap_at_start);
    assert_int_equal(xmalloc_bytes_in_use(), 0);
    host_test_ram_fini();
    return 0;
}

static bool pending(const struct shared_info *s, evtchn_port_t p)
{
    return s->evtchn_pending[p / 64] & (1ULL << (p % 64));
}

static void test_interdomain_delivery(void **state)
{
    evtchn_port_t pa, pb;
    struct evtchn_status st = { 0 };

    assert_int_equal(evtchn_alloc_unbound(b, 1, &pb), 0);
    assert_int_equal(pb, 1);                           /* port 0 is reserved */
    assert_int_equal(evtchn_bind_interdomain(a, 2, pb, &pa), 0);
    st.port = pa;
    assert_int_equal(evtchn_status(a, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_interdomain);
    assert_int_equal(st.u.interdomain.dom, 2);
    assert_int_equal(st.u.interdomain.port, pb);

    assert_int_equal(evtchn_send(a, pa), 0);
    assert_true(pending(&si_b, pb));
    assert_true(si_b.vcpu_info[0].evtchn_pending_sel & 1);
    assert_int_equal(si_b.vcpu_info[0].evtchn_upcall_pending, 1);
    assert_int_equal(notifications, 1);
    assert_ptr_equal(last_notified, b->vcpus[0]);
    /* Already pending: no second notification. */
    assert_int_equal(evtchn_send(a, pa), 0);
    assert_int_equal(notifications, 1);
    /* And back the other way. */
    assert_int_equal(evtchn_send(b, pb), 0);
    assert_true(pending(&si_a, pa));
}

static void test_only_the_named_domain_may_bind(void **state)
{
    evtchn_port_t pb, pa;

    assert_int_equal(evtchn_alloc_unbound(b, 7, &pb), 0);     /* for dom 7 */
    assert_int_equal(evtchn_bind_interdomain(a, 2, pb, &pa), -EINVAL);
    assert_int_equal(evtchn_bind_interdomain(a, 2, 4095, &pa), -EINVAL);
    assert_int_equal(evtchn_bind_interdomain(a, 2, 99999, &pa), -EINVAL);
    assert_int_equal(evtchn_bind_interdomain(a, 55, 1, &pa), -ESRCH);
}

static void test_mask_and_unmask(void **state)
{
    evtchn_port_t p;

    assert_int_equal(evtchn_bind_ipi(a, 1, &p), 0);
    si_a.evtchn_mask[0] |= 1ULL << p;
    assert_int_equal(evtchn_send(a, p), 0);
    assert_true(pending(&si_a, p));
    assert_int_equal(si_a.vcpu_info[1].evtchn_upcall_pending, 0);   /* masked */
    assert_int_equal(notifications, 0);
    assert_int_equal(evtchn_unmask(a, p), 0);
    assert_int_equal(si_a.vcpu_info[1].evtchn_upcall_pending, 1);
    assert_ptr_equal(last_notified, a->vcpus[1]);
    assert_int_equal(evtchn_unmask(a, 64), -EINVAL);
}

static void test_virq(void **state)
{
    evtchn_port_t p, q;

    assert_int_equal(evtchn_bind_virq(a, VIRQ_TIMER, 0, &p), 0);
    assert_int_equal(evtchn_bind_virq(a, VIRQ_TIMER, 0, &q), -EEXIST);
    assert_int_equal(evtchn_bind_virq(a, VIRQ_TIMER, 1, &q), 0);
    assert_int_equal(evtchn_bind_virq(a, NR_VIRQS, 0, &q), -EINVAL);
    assert_int_equal(evtchn_bind_virq(a, VIRQ_DEBUG, 2, &q), -ENOENT);
    send_guest_virq(a, 0, VIRQ_TIMER);
    assert_true(pending(&si_a, p));
    send_guest_virq(a, 0, VIRQ_CONSOLE);                    /* unbound: nothing */
    assert_int_equal(notifications, 1);
    assert_int_equal(evtchn_send(a, p), -EINVAL);          /* not sendable */
    assert_int_equal(evtchn_bind_vcpu(a, p, 1), -EINVAL);
    assert_int_equal(evtchn_close(a, p), 0);
    assert_int_equal(evtchn_bind_virq(a, VIRQ_TIMER, 0, &q), 0);   /* free again */
}

static void test_close_one_end(void **state)
{
    evtchn_port_t pa, pb;
    struct evtchn_status st = { 0 };

    assert_int_equal(evtchn_alloc_unbound(b, 1, &pb), 0);
    assert_int_equal(evtchn_bind_interdomain(a, 2, pb, &pa), 0);
    assert_int_equal(evtchn_close(a, pa), 0);
    st.port = pb;
    assert_int_equal(evtchn_status(b, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_unbound);        /* waits again */
    assert_int_equal(st.u.unbound.dom, 1);
    assert_int_equal(evtchn_send(b, pb), 0);                /* dropped */
    assert_int_equal(evtchn_close(a, pa), -EINVAL);         /* already closed */
    assert_int_equal(evtchn_close(a, 0), -EINVAL);          /* reserved */
    assert_int_equal(evtchn_bind_interdomain(a, 2, pb, &pa), 0);   /* rebinds */
}

static void test_bind_vcpu(void **state)
{
    evtchn_port_t pa, pb;

    assert_int_equal(evtchn_alloc_unbound(a, 2, &pa), 0);
    assert_int_equal(evtchn_bind_interdomain(b, 1, pa, &pb), 0);
    assert_int_equal(evtchn_bind_vcpu(a, pa, 1), 0);
    assert_int_equal(evtchn_bind_vcpu(a, pa, 5), -ENOENT);
    assert_int_equal(evtchn_send(b, pb), 0);
    assert_int_equal(si_a.vcpu_info[1].evtchn_upcall_pending, 1);
    assert_int_equal(si_a.vcpu_info[0].evtchn_upcall_pending, 0);
}

static void test_exhaustion(void **state)
{
    evtchn_port_t p;
    unsigned int i;

    for ( i = 1; i < 64; i++ )
        assert_int_equal(evtchn_bind_ipi(a, 0, &p), 0);
    assert_int_equal(evtchn_bind_ipi(a, 0, &p), -ENOSPC);
    assert_int_equal(evtchn_close(a, 17), 0);
    assert_int_equal(evtchn_bind_ipi(a, 0, &p), 0);
    assert_int_equal(p, 17);
}

static void test_kill_with_peers(void **state)
{
    evtchn_port_t pa, pb;
    struct evtchn_status st = { 0 };

    assert_int_equal(evtchn_alloc_unbound(b, 1, &pb), 0);
    assert_int_equal(evtchn_bind_interdomain(a, 2, pb, &pa), 0);
    domain_kill(a);                                  /* closes a's ports */
    st.port = pb;
    assert_int_equal(evtchn_status(b, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_unbound);
    assert_int_equal(evtchn_send(a, pa), -EINVAL);   /* a has no table now */
}

static void test_bad_init(void **state)
{
    struct domain *c;
    int err;

    c = domain_create(9, 1, false, &err);
    assert_int_equal(evtchn_init(c, 0, &si_a), -EINVAL);
    assert_int_equal(evtchn_init(c, 4097, &si_a), -EINVAL);
    assert_int_equal(evtchn_init(c, 10, NULL), -EINVAL);
    assert_int_equal(evtchn_send(c, 1), -EINVAL);    /* no table */
    domain_kill(c);
    domain_destroy(c);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_interdomain_delivery),
        T(test_only_the_named_domain_may_bind),
        T(test_mask_and_unmask),
        T(test_virq),
        T(test_close_one_end),
        T(test_bind_vcpu),
        T(test_exhaustion),
        T(test_kill_with_peers),
        T(test_bad_init),
    };

    return cmocka_run_group_tests_name("evtchn", tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypercall dispatch tests with a fake guest memory of 256 bytes at guest
 * address 0x1000: holes and out-of-range numbers give -ENOSYS, bad guest
 * addresses -EFAULT, privileged-only sub-ops -EPERM, and xen_version's
 * answers are Xen 4.17's.
 */
#include <stdlib.h>
#include <string.h>

#include "heap_fixture.h"
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/hvm_params.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>
#include <public/xen.h>
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <xen/console.h>
#include <xen/event.h>
#include <xen/grant_table.h>
#include <xen/param.h>
#include <xen/sched.h>
#include <xen/smp.h>

#define GBASE 0x1000
#define GSIZE 2048

static uint8_t guest[GSIZE];

static bool in_guest(uint64_t gaddr, size_t len)
{
    return gaddr >= GBASE && len <= GSIZE && gaddr - GBASE <= GSIZE - len;
}

static int fake_copy_to(struct guest_mem *gm, uint64_t gaddr, const void *src,
                        size_t len)
{
    if ( !in_guest(gaddr, len) )
        return -EFAULT;
    memcpy(guest + (gaddr - GBASE), src, len);
    return 0;
}

static int fake_copy_from(struct guest_mem *gm, void *dst, uint64_t gaddr,
                          size_t len)
{
    if ( !in_guest(gaddr, len) )
        return -EFAULT;
    memcpy(dst, guest + (gaddr - GBASE), len);
    return 0;
}

static struct guest_mem mem = { fake_copy_to, fake_copy_from };

/* What console.c needs from the arch and the symbol table. */
#define CONSOLE_STUBS_CPU 0
#include "console_stubs.h"
#include "sched_stubs.h"
void arch_panic_halt(void) { abort(); }

static char sink_buf[4096];
static size_t sink_len;

static void sink(const char *s, size_t len)
{
    if ( sink_len + len < sizeof(sink_buf) )
    {
        memcpy(sink_buf + sink_len, s, len);
        sink_len += len;
        sink_buf[sink_len] = '\0';
    }
}

static struct domain *caller;

void arch_evtchn_notify(struct vcpu *v)
{
}

static struct shared_info shared;

static long call3(bool privileged, uint64_t nr, uint64_t a0, uint64_t a1,
                  uint64_t a2)
{
    struct hypercall_ctx ctx = { .privileged = privileged, .domain = caller,
                                 .mem = &mem };
    uint64_t args[HYPERCALL_MAX_ARGS] = { a0, a1, a2, 0, 0 };

    return hypercall_dispatch(&ctx, nr, args);
}

/* As vCPU 0 of the caller (vcpu_op needs a calling vCPU). */
static long vcall3(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
    struct hypercall_ctx ctx = { .privileged = false, .domain = caller,
                                 .vcpu = caller->vcpus[0], .mem = &mem };
    uint64_t args[HYPERCALL_MAX_ARGS] = { a0, a1, a2, 0, 0 };

    return hypercall_dispatch(&ctx, nr, args);
}

static long call(bool privileged, uint64_t nr, uint64_t a0, uint64_t a1)
{
    return call3(privileged, nr, a0, a1, 0);
}

static unsigned long heap_at_start;

static int setup(void **state)
{
    static bool registered;
    int err;

    heap_at_start = boot_test_heap(16u << 20);
    if ( !registered )
        console_register_sink(sink);
    registered = true;
    sink_len = 0;
    sink_buf[0] = '\0';
    caller = domain_create(3, 1, false, &err);
    assert_non_null(caller);
    /* Kept after shutdown, so tests can look at its state. */
    caller->preserve_on_shutdown = caller->preserve_on_crash = true;
    memset(&shared, 0, sizeof(shared));
    assert_int_equal(evtchn_init(caller, 64, &shared), 0);
    caller->shared_info = &shared;
    return 0;
}

static int teardown(void **state)
{
    domain_kill(caller);
    domain_destroy(caller);
    caller = NULL;
    assert_int_equal(avail_heap_pages(), heap_at_start);
    host_test_ram_fini();
    return 0;
}

static void test_console_write(void **state)
{
    memcpy(guest, "hello\nworld\n", 12);
    assert_int_equal(call3(true, __HYPERVISOR_console_io, CONSOLEIO_write, 12,
                           GBASE), 0);
    assert_string_equal(sink_buf, "hello\nworld\n");       /* dom0: as is */
    sink_len = 0;
    sink_buf[0] = '\0';
    assert_int_equal(call3(false, __HYPERVISOR_console_io, CONSOLEIO_write, 6,
                           GBASE), 0);
    assert_string_equal(sink_buf, "(d3) hello\n");           /* domU: tagged */
    assert_int_equal(call3(false, __HYPERVISOR_console_io, CONSOLEIO_write, 64,
                           GBASE + GSIZE - 8), -EFAULT);
    assert_int_equal(call3(false, __HYPERVISOR_console_io, CONSOLEIO_write,
                           ~0ULL, GBASE), -EINVAL);
    assert_int_equal(call3(false, __HYPERVISOR_console_io, CONSOLEIO_write, 0,
                           0), 0);
    assert_int_equal(call3(false, __HYPERVISOR_console_io, CONSOLEIO_read, 16,
                           GBASE), -EPERM);
    assert_int_equal(call3(true, __HYPERVISOR_console_io, CONSOLEIO_read, 16,
                           GBASE), 0);
    assert_int_equal(call3(true, __HYPERVISOR_console_io, 77, 0, 0), -ENOSYS);
}

static void test_sched_shutdown(void **state)
{
    struct sched_shutdown op = { .reason = SHUTDOWN_reboot };
    struct sched_remote_shutdown rop = { .domain_id = 3, .reason = SHUTDOWN_poweroff };

    assert_int_equal(call(false, __HYPERVISOR_sched_op, SCHEDOP_yield, 0), 0);
    assert_int_equal(call(false, __HYPERVISOR_sched_op, 99, 0), -ENOSYS);
    op.reason = 17;
    memcpy(guest, &op, sizeof(op));
    assert_int_equal(call(false, __HYPERVISOR_sched_op, SCHEDOP_shutdown, GBASE),
                     -EINVAL);
    assert_int_equal(call(false, __HYPERVISOR_sched_op, SCHEDOP_shutdown, 0),
                     -EFAULT);
    memcpy(guest, &rop, sizeof(rop));
    assert_int_equal(call(false, __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown,
                          GBASE), -EPERM);
    rop.domain_id = 999;
    memcpy(guest, &rop, sizeof(rop));
    assert_int_equal(call(true, __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown,
                          GBASE), -ESRCH);
    assert_int_equal(caller->state, DOMAIN_CREATED);
    op.reason = SHUTDOWN_reboot;
    memcpy(guest, &op, sizeof(op));
    domain_unpause(caller);
    assert_int_equal(call(false, __HYPERVISOR_sched_op, SCHEDOP_shutdown, GBASE), 0);
    assert_int_equal(caller->state, DOMAIN_SHUTDOWN);
    assert_int_equal(caller->shutdown_reason, SHUTDOWN_reboot);
}

static void test_unknown_numbers(void **state)
{
    assert_int_equal(call(true, __HYPERVISOR_set_trap_table, 0, 0), -ENOSYS);
    assert_int_equal(call(true, 11, 0, 0), -ENOSYS);            /* a hole */
    assert_int_equal(call(true, NR_HYPERCALLS, 0, 0), -ENOSYS);
    assert_int_equal(call(true, ~0ULL, 0, 0), -ENOSYS);
    assert_int_equal(call(false, 1ULL << 32 | __HYPERVISOR_xen_version, 0, 0),
                     -ENOSYS);                                  /* no truncation */
}

static void test_version(void **state)
{
    assert_int_equal(call(false, __HYPERVISOR_xen_version, XENVER_version, 0),
                     (4 << 16) | 17);
    assert_int_equal(call(false, __HYPERVISOR_xen_version, XENVER_pagesize, 0), 4096);
    assert_int_equal(call(false, __HYPERVISOR_xen_version, 12345, 0), -ENOSYS);
}

static void test_strings_copied_out(void **state)
{
    memset(guest, 0xaa, sizeof(guest));
    assert_int_equal(call(false, __HYPERVISOR_xen_version, XENVER_extraversion,
                          GBASE + 16), 0);
    assert_string_equal((char *)guest + 16, ".0-tonnerre");
    /* Exactly the buffer's 16 bytes are written, no more. */
    assert_int_equal(guest[15], 0xaa);
    assert_int_equal(guest[16 + 16], 0xaa);
    assert_int_equal(call(false, __HYPERVISOR_xen_version, XENVER_capabilities,
                          GBASE), 0);
    assert_non_null(strstr((char *)guest, "hvm-3.0-x86_64"));
}

static void test_bad_guest_address(void **state)
{
    assert_int_equal(call(false, __HYPERVISOR_xen_version, XENVER_extraversion, 0),
                     -EFAULT);
    assert_int_equal(call(false, __HYPERVISOR_xen_version, XENVER_extraversion,
                          GBASE + GSIZE - 8), -EFAULT);
    assert_int_equal(call(false, __HYPERVISOR_xen_version, XENVER_extraversion,
                          ~0ULL - 4), -EFAULT);
}

static void test_commandline_privileged(void **state)
{
    cmdline_parse("loglvl=all frob");
    assert_int_equal(call(false, __HYPERVISOR_xen_version, XENVER_commandline,
                          GBASE), -EPERM);
    assert_int_equal(call(true, __HYPERVISOR_xen_version, XENVER_commandline,
                          GBASE), 0);
    assert_string_equal((char *)guest, "loglvl=all frob");
    assert_int_equal(call(true, __HYPERVISOR_xen_version, XENVER_commandline,
                          GBASE + GSIZE - 100), -EFAULT);   /* 1024 bytes do not fit */
}

static void test_event_channel_op(void **state)
{
    struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = 0 };
    struct evtchn_status st = { .dom = DOMID_SELF };
    struct evtchn_bind_ipi ipi = { .vcpu = 0 };
    struct evtchn_send snd;

    memcpy(guest, &au, sizeof(au));
    assert_int_equal(call(false, __HYPERVISOR_event_channel_op,
                          EVTCHNOP_alloc_unbound, GBASE), 0);
    memcpy(&au, guest, sizeof(au));
    assert_int_equal(au.port, 1);
    st.port = au.port;
    memcpy(guest, &st, sizeof(st));
    assert_int_equal(call(false, __HYPERVISOR_event_channel_op, EVTCHNOP_status,
                          GBASE), 0);
    memcpy(&st, guest, sizeof(st));
    assert_int_equal(st.status, EVTCHNSTAT_unbound);
    /* Another domain's ports: the control domain only. */
    au.dom = 0;
    memcpy(guest, &au, sizeof(au));
    assert_int_equal(call(false, __HYPERVISOR_event_channel_op,
                          EVTCHNOP_alloc_unbound, GBASE), -EPERM);
    assert_int_equal(call(true, __HYPERVISOR_event_channel_op,
                          EVTCHNOP_alloc_unbound, GBASE), -ESRCH);
    memcpy(guest, &ipi, sizeof(ipi));
    assert_int_equal(call(false, __HYPERVISOR_event_channel_op,
                          EVTCHNOP_bind_ipi, GBASE), 0);
    memcpy(&ipi, guest, sizeof(ipi));
    snd.port = ipi.port;
    memcpy(guest, &snd, sizeof(snd));
    assert_int_equal(call(false, __HYPERVISOR_event_channel_op, EVTCHNOP_send,
                          GBASE), 0);
    assert_true(shared.evtchn_pending[0] & (1ULL << ipi.port));
    assert_int_equal(call(false, __HYPERVISOR_event_channel_op, EVTCHNOP_send,
                          0), -EFAULT);
    /* FIFO is not offered: Linux falls back to 2-level on -ENOSYS. */
    assert_int_equal(call(false, __HYPERVISOR_event_channel_op,
                          EVTCHNOP_init_control, GBASE), -ENOSYS);
}

static long param(bool privileged, unsigned int op, uint16_t domid,
                  uint32_t index, uint64_t *value)
{
    struct xen_hvm_param p = { .domid = domid, .index = index, .value = *value };
    long rc;

    memcpy(guest, &p, sizeof(p));
    rc = call(privileged, __HYPERVISOR_hvm_op, op, GBASE);
    memcpy(&p, guest, sizeof(p));
    *value = p.value;
    return rc;
}

static void test_hvm_params(void **state)
{
    uint64_t v;

    /* The toolstack (control domain) places the xenstore ring for dom 3. */
    v = 0xfeffc;
    assert_int_equal(param(true, HVMOP_set_param, 3, HVM_PARAM_STORE_PFN, &v), 0);
    v = 0;
    assert_int_equal(param(false, HVMOP_get_param, DOMID_SELF,
                           HVM_PARAM_STORE_PFN, &v), 0);
    assert_int_equal(v, 0xfeffc);
    /* The guest picks its upcall vector, but may not move its rings. */
    v = (2ULL << 56) | 0xf3;
    assert_int_equal(param(false, HVMOP_set_param, DOMID_SELF,
                           HVM_PARAM_CALLBACK_IRQ, &v), 0);
    assert_int_equal(caller->hvm_params[HVM_PARAM_CALLBACK_IRQ], v);
    assert_int_equal(param(false, HVMOP_set_param, DOMID_SELF,
                           HVM_PARAM_STORE_PFN, &v), -EPERM);
    assert_int_equal(param(false, HVMOP_get_param, DOMID_SELF, 20, &v), -EPERM);
    assert_int_equal(param(false, HVMOP_get_param, 7, HVM_PARAM_STORE_PFN, &v),
                     -EPERM);
    assert_int_equal(param(true, HVMOP_get_param, 7, HVM_PARAM_STORE_PFN, &v),
                     -ESRCH);
    assert_int_equal(param(true, HVMOP_get_param, 3, HVM_NR_PARAMS, &v), -EINVAL);
    assert_int_equal(param(true, HVMOP_get_param, 3, ~0u, &v), -EINVAL);
    assert_int_equal(call(false, __HYPERVISOR_hvm_op, 99, GBASE), -ENOSYS);
    assert_int_equal(call(false, __HYPERVISOR_hvm_op, HVMOP_get_param, 0), -EFAULT);
}

static void test_memory_op(void **state)
{
    static const struct domain_e820 map[] = {
        { 0, 0x9f000, 1 }, { 0x100000, 0x3f00000, 1 }, { 0xfc000000, 0x1000, 2 },
    };
    struct xen_memory_map mm = { .nr_entries = 8, .buffer = GBASE + 64 };
    struct xen_e820_entry e[3];
    uint16_t self = DOMID_SELF, other = 0;

    assert_int_equal(domain_set_memory_map(caller, map, 3), 0);
    memcpy(guest, &mm, sizeof(mm));
    assert_int_equal(call(false, __HYPERVISOR_memory_op, XENMEM_memory_map, GBASE), 0);
    memcpy(&mm, guest, sizeof(mm));
    assert_int_equal(mm.nr_entries, 3);
    memcpy(e, guest + 64, sizeof(e));
    assert_int_equal(sizeof(e[0]), 20);
    assert_int_equal(e[1].addr, 0x100000);
    assert_int_equal(e[1].size, 0x3f00000);
    assert_int_equal(e[2].type, 2);
    /* A short buffer gets what fits; a bad one -EFAULT. */
    mm = (struct xen_memory_map){ .nr_entries = 1, .buffer = GBASE + 64 };
    memcpy(guest, &mm, sizeof(mm));
    assert_int_equal(call(false, __HYPERVISOR_memory_op, XENMEM_memory_map, GBASE), 0);
    memcpy(&mm, guest, sizeof(mm));
    assert_int_equal(mm.nr_entries, 1);
    mm = (struct xen_memory_map){ .nr_entries = 3, .buffer = GBASE + GSIZE - 10 };
    memcpy(guest, &mm, sizeof(mm));
    assert_int_equal(call(false, __HYPERVISOR_memory_op, XENMEM_memory_map, GBASE),
                     -EFAULT);

    domain_set_max_pages(caller, 300);
    assert_non_null(domain_alloc_pages(caller, 7));
    memcpy(guest, &self, sizeof(self));
    assert_int_equal(call(false, __HYPERVISOR_memory_op,
                          XENMEM_current_reservation, GBASE), 128);
    assert_int_equal(call(false, __HYPERVISOR_memory_op,
                          XENMEM_maximum_reservation, GBASE), 300);
    memcpy(guest, &other, sizeof(other));
    assert_int_equal(call(false, __HYPERVISOR_memory_op,
                          XENMEM_current_reservation, GBASE), -EPERM);
    assert_true(call(false, __HYPERVISOR_memory_op, XENMEM_maximum_ram_page, 0) > 0);
    assert_int_equal(call(false, __HYPERVISOR_memory_op, 99, 0), -ENOSYS);
    assert_int_equal(domain_set_memory_map(caller, map, DOMAIN_E820_MAX + 1), -E2BIG);
}

static void test_console_read(void **state)
{
    assert_int_equal(console_input_put("abc", 3), 3);
    assert_int_equal(call3(false, __HYPERVISOR_console_io, CONSOLEIO_read, 2, GBASE),
                     -EPERM);                        /* dom0's input only */
    assert_int_equal(call3(true, __HYPERVISOR_console_io, CONSOLEIO_read, 2, GBASE), 2);
    assert_memory_equal(guest, "ab", 2);
    assert_int_equal(call3(true, __HYPERVISOR_console_io, CONSOLEIO_read, 10, GBASE), 1);
    assert_int_equal(guest[0], 'c');
    assert_int_equal(call3(true, __HYPERVISOR_console_io, CONSOLEIO_read, 10, GBASE), 0);
    assert_int_equal(console_input_put("x", 1), 1);
    assert_int_equal(call3(true, __HYPERVISOR_console_io, CONSOLEIO_read, 1, 8), -EFAULT);
    /* A full ring takes no more. */
    {
        static char big[2048];

        memset(big, 'y', sizeof(big));
        assert_true(console_input_put(big, sizeof(big)) < sizeof(big));
    }
}

static long reservation(uint64_t cmd, uint16_t domid, uint32_t order,
                        const uint64_t *gfns, uint64_t n)
{
    struct xen_memory_reservation r = {
        .extent_start = GBASE + 64, .nr_extents = n, .extent_order = order,
        .domid = domid,
    };

    memcpy(guest, &r, sizeof(r));
    memcpy(guest + 64, gfns, n * sizeof(*gfns));
    return call(false, __HYPERVISOR_memory_op, cmd, GBASE);
}

static void test_balloon(void **state)
{
    const uint64_t gfns[] = { 10, 11, 12, 500, 13 };

    stub_nr_released = stub_nr_populated = 0;
    /* Extents are done in order; the first failure ends the call. */
    assert_int_equal(reservation(XENMEM_decrease_reservation, DOMID_SELF, 0, gfns, 5), 3);
    assert_int_equal(stub_nr_released, 3);
    assert_int_equal(stub_released[2], 12);
    /* A continuation starts at its extent (cmd's high bits). */
    assert_int_equal(reservation(XENMEM_decrease_reservation | (4 << MEMOP_EXTENT_SHIFT),
                                 DOMID_SELF, 0, gfns, 5), 5);
    assert_int_equal(stub_released[3], 13);
    /* An order-1 extent is two pages. */
    assert_int_equal(reservation(XENMEM_decrease_reservation, DOMID_SELF, 1, gfns, 1), 1);
    assert_int_equal(stub_nr_released, 6);
    assert_int_equal(reservation(XENMEM_populate_physmap, DOMID_SELF, 0, gfns, 3), 3);
    assert_int_equal(stub_nr_populated, 3);
    assert_int_equal(reservation(XENMEM_populate_physmap, 3, 0, gfns, 5), 3);
    /* Another domain's memory, absurd orders, translated increase. */
    assert_int_equal(reservation(XENMEM_populate_physmap, 9, 0, gfns, 1), -EPERM);
    assert_int_equal(reservation(XENMEM_populate_physmap, DOMID_SELF, 10, gfns, 1), -EINVAL);
    assert_int_equal(reservation(XENMEM_increase_reservation, DOMID_SELF, 0, gfns, 1), -ENOSYS);
    assert_int_equal(reservation(XENMEM_decrease_reservation | (9 << MEMOP_EXTENT_SHIFT),
                                 DOMID_SELF, 0, gfns, 5), -EINVAL);
    /* The gfn array outside guest memory. */
    {
        struct xen_memory_reservation r = { .extent_start = 8, .nr_extents = 2,
                                            .domid = DOMID_SELF };

        memcpy(guest, &r, sizeof(r));
        assert_int_equal(call(false, __HYPERVISOR_memory_op, XENMEM_populate_physmap, GBASE),
                         -EFAULT);
    }
}

static void test_grant_table_op(void **state)
{
    struct gnttab_query_size q = { .dom = DOMID_SELF };
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 3,
                                     .frame_list = GBASE + 256 };
    struct gnttab_set_version sv = { .version = 2 };
    struct gnttab_get_version gv = { .dom = DOMID_SELF };
    uint64_t frames[3];

    assert_int_equal(gnttab_init(caller, 4), 0);
    memcpy(guest, &q, sizeof(q));
    assert_int_equal(call3(false, __HYPERVISOR_grant_table_op, GNTTABOP_query_size, GBASE, 1), 0);
    memcpy(&q, guest, sizeof(q));
    assert_int_equal(q.status, GNTST_okay);
    assert_int_equal(q.nr_frames, 1);
    assert_int_equal(q.max_nr_frames, 4);
    /* Growing to 3 frames; a translated guest is told to map them itself. */
    memcpy(guest, &st, sizeof(st));
    assert_int_equal(call3(false, __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, GBASE, 1), 0);
    memcpy(&st, guest, sizeof(st));
    memcpy(frames, guest + 256, sizeof(frames));
    assert_int_equal(st.status, GNTST_okay);
    assert_true(frames[0] == ~0ULL && frames[2] == ~0ULL);
    memcpy(guest, &q, sizeof(q));
    call3(false, __HYPERVISOR_grant_table_op, GNTTABOP_query_size, GBASE, 1);
    memcpy(&q, guest, sizeof(q));
    assert_int_equal(q.nr_frames, 3);
    /* Beyond the maximum; another domain's table without privilege. */
    st.nr_frames = 5;
    memcpy(guest, &st, sizeof(st));
    call3(false, __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, GBASE, 1);
    memcpy(&st, guest, sizeof(st));
    assert_int_equal(st.status, GNTST_general_error);
    q.dom = 9;
    memcpy(guest, &q, sizeof(q));
    call3(false, __HYPERVISOR_grant_table_op, GNTTABOP_query_size, GBASE, 1);
    memcpy(&q, guest, sizeof(q));
    assert_int_equal(q.status, GNTST_bad_domain);
    /* Version 1 only. */
    memcpy(guest, &sv, sizeof(sv));
    assert_int_equal(call3(false, __HYPERVISOR_grant_table_op, GNTTABOP_set_version, GBASE, 1),
                     -EINVAL);
    memcpy(guest, &gv, sizeof(gv));
    assert_int_equal(call3(false, __HYPERVISOR_grant_table_op, GNTTABOP_get_version, GBASE, 1), 0);
    memcpy(&gv, guest, sizeof(gv));
    assert_int_equal(gv.version, 1);
    /* Not here yet, too many, unreadable. */
    assert_int_equal(call3(false, __HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, GBASE, 1),
                     -ENOSYS);
    assert_int_equal(call3(false, __HYPERVISOR_grant_table_op, GNTTABOP_query_size, GBASE, 600),
                     -EINVAL);
    assert_int_equal(call3(false, __HYPERVISOR_grant_table_op, GNTTABOP_query_size, 8, 1),
                     -EFAULT);
}

static void test_get_features(void **state)
{
    struct xen_feature_info fi = { .submap_idx = 0 };

    memcpy(guest, &fi, sizeof(fi));
    assert_int_equal(call(false, __HYPERVISOR_xen_version, XENVER_get_features, GBASE), 0);
    memcpy(&fi, guest, sizeof(fi));
    assert_true(fi.submap & (1u << XENFEAT_hvm_callback_vector));
    assert_true(fi.submap & (1u << XENFEAT_hvm_safe_pvclock));
    assert_true(fi.submap & (1u << XENFEAT_auto_translated_physmap));
    assert_false(fi.submap & (1u << XENFEAT_dom0));
    assert_int_equal(call(true, __HYPERVISOR_xen_version, XENVER_get_features, GBASE), 0);
    memcpy(&fi, guest, sizeof(fi));
    assert_true(fi.submap & (1u << XENFEAT_dom0));
    fi.submap_idx = 1;
    memcpy(guest, &fi, sizeof(fi));
    assert_int_equal(call(false, __HYPERVISOR_xen_version, XENVER_get_features, GBASE),
                     -EINVAL);
    assert_int_equal(call(false, __HYPERVISOR_xen_version, XENVER_get_features, 8),
                     -EFAULT);
}

static long add_to_physmap(uint16_t domid, uint32_t space, uint64_t idx, uint64_t gpfn)
{
    struct xen_add_to_physmap op = { .domid = domid, .space = space, .idx = idx,
                                     .gpfn = gpfn };

    memcpy(guest, &op, sizeof(op));
    return call(false, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, GBASE);
}

static void test_add_to_physmap(void **state)
{
    assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, 0xfeff0), 0);
    assert_ptr_equal(stub_special_frame, &shared);
    assert_int_equal(stub_special_gfn, 0xfeff0);
    assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 1, 5), -EINVAL);
    assert_int_equal(add_to_physmap(7, XENMAPSPACE_shared_info, 0, 5), -EPERM);
    assert_int_equal(add_to_physmap(DOMID_SELF, 99, 0, 5), -ENOSYS);
    /* Grant frames: mapping frame 2 grows the table to 3; past the max fails. */
    assert_int_equal(gnttab_init(caller, 4), 0);
    assert_int_equal(add_to_physmap(3, XENMAPSPACE_grant_table, 2, 0xfe000), 0);
    assert_ptr_equal(stub_special_frame, gnttab_shared_frame(caller, 2));
    assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 4, 1), -EINVAL);
    assert_int_equal(add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table,
                                    XENMAPIDX_grant_table_status, 1), -EINVAL);
    assert_int_equal(call(false, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, 4), -EFAULT);
}

static void test_register_vcpu_info(void **state)
{
    struct vcpu_register_vcpu_info info = { .mfn = 1, .offset = 64 };
    struct vcpu_info *vi = (struct vcpu_info *)(stub_guest_frames[1] + 64);
    evtchn_port_t port;

    caller->vcpus[0]->vcpu_info = &shared.vcpu_info[0];
    memcpy(guest, &info, sizeof(info));
    assert_int_equal(vcall3(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, GBASE), 0);
    assert_ptr_equal(caller->vcpus[0]->vcpu_info, vi);
    /* The guest is told to rescan: everything may be pending. */
    assert_int_equal(vi->evtchn_upcall_pending, 1);
    assert_true(vi->evtchn_pending_sel == ~0ULL);
    /* Once only. */
    assert_int_equal(vcall3(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, GBASE),
                     -EINVAL);
    /* Events now land in the registered copy. */
    vi->evtchn_upcall_pending = 0;
    vi->evtchn_pending_sel = 0;
    assert_int_equal(evtchn_bind_ipi(caller, 0, &port), 0);
    assert_int_equal(evtchn_send(caller, port), 0);
    assert_int_equal(vi->evtchn_upcall_pending, 1);
    assert_true(vi->evtchn_pending_sel & 1);
    assert_int_equal(shared.vcpu_info[0].evtchn_upcall_pending, 0);
}

static void test_register_vcpu_info_bad(void **state)
{
    struct vcpu_register_vcpu_info info = { .mfn = 1, .offset = 4096 - 16 };

    memcpy(guest, &info, sizeof(info));
    assert_int_equal(vcall3(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, GBASE),
                     -EINVAL);                      /* runs past the page */
    info.offset = 0;
    info.mfn = 99;                                  /* not the domain's RAM */
    memcpy(guest, &info, sizeof(info));
    assert_int_equal(vcall3(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, GBASE),
                     -EINVAL);
    assert_int_equal(vcall3(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 5, GBASE),
                     -ENOENT);                      /* no such vCPU */
    assert_int_equal(vcall3(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, 0),
                     -EFAULT);
    assert_null(caller->vcpus[0]->vcpu_info);
}

static void test_vcpu_timers_and_state(void **state)
{
    struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = 5, .flags = VCPU_SSHOTTMR_future };
    struct vcpu_set_periodic_timer p = { .period_ns = 1000 };

    host_test_now = 1000;
    memcpy(guest, &t, sizeof(t));
    assert_int_equal(vcall3(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, GBASE),
                     -ETIME);                       /* already past */
    t.timeout_abs_ns = 5000;
    memcpy(guest, &t, sizeof(t));
    assert_int_equal(vcall3(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, GBASE), 0);
    assert_true(caller->vcpus[0]->singleshot_timer.active);
    memcpy(guest, &p, sizeof(p));
    assert_int_equal(vcall3(__HYPERVISOR_vcpu_op, VCPUOP_set_periodic_timer, 0, GBASE),
                     -EINVAL);                      /* faster than 1 ms */
    assert_int_equal(vcall3(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 0, 0), 1);
    assert_int_equal(vcall3(__HYPERVISOR_vcpu_op, VCPUOP_up, 0, 0), -EINVAL);   /* no state */
    assert_int_equal(vcall3(__HYPERVISOR_vcpu_op, 99, 0, 0), -ENOSYS);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_unknown_numbers),
        T(test_version),
        T(test_strings_copied_out),
        T(test_bad_guest_address),
        T(test_commandline_privileged),
        T(test_console_write),
        T(test_sched_shutdown),
        T(test_event_channel_op),
        T(test_hvm_params),
        T(test_memory_op),
        T(test_console_read),
        T(test_grant_table_op),
        T(test_balloon),
        T(test_get_features),
        T(test_add_to_physmap),
        T(test_register_vcpu_info),
        T(test_register_vcpu_info_bad),
        T(test_vcpu_timers_and_state),
    };

    return cmocka_run_group_tests_name("hypercall", tests, NULL, NULL);
}

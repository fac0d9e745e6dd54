/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypercall dispatch tests with a fake guest memory of 256 bytes at guest
 * address 0x1000: holes and out-of-range numbers give -ENOSYS, bad guest
 * addresses -EFAULT, privileged-only sub-ops -EPERM, xen_version's
 * answers are Xen 4.17's, and a handler's continuation comes back with
 * the arguments for the rest of the call.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "heap_fixture.h"
#include <public/domctl.h>
#include <public/event_channel.h>
#include <public/sysctl.h>
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
#include <xen/domctl.h>
#include <xen/event.h>
#include <xen/grant_table.h>
#include <xen/lib.h>
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
#include "platform_stubs.h"
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

/*
 * dom0's unfinished line is held: a hypervisor message printed meanwhile
 * comes out whole before it, never inside it; the rest of the line then
 * follows; a line that never ends goes out when the hold timer fires.
 */
static void test_console_write_holds_dom0_line(void **state)
{
    (void)state;
    memcpy(guest, "DOM0 CHECK x: 0\n# ", 18);
    assert_int_equal(call3(true, __HYPERVISOR_console_io, CONSOLEIO_write, 13,
                           GBASE), 0);
    assert_string_equal(sink_buf, "");
    printk("d1v0: a message\n");
    assert_string_equal(sink_buf, "(XEN) d1v0: a message\n");
    assert_int_equal(call3(true, __HYPERVISOR_console_io, CONSOLEIO_write, 5,
                           GBASE + 13), 0);
    assert_string_equal(sink_buf, "(XEN) d1v0: a message\nDOM0 CHECK x: 0\n");
    /* "# " is held until the timer lets it out; a message then starts a line. */
    assert_non_null(stub_last_timer);
    stub_last_timer->fn(stub_last_timer->data);
    assert_string_equal(sink_buf, "(XEN) d1v0: a message\nDOM0 CHECK x: 0\n# ");
    printk("later\n");
    assert_string_equal(sink_buf,
                        "(XEN) d1v0: a message\nDOM0 CHECK x: 0\n# \n(XEN) later\n");
}

/* The bytes the log ring gained since *index (advanced), NUL-terminated. */
static const char *ring_since(uint32_t *index)
{
    static char text[256];
    size_t n = console_ring_read(text, sizeof(text) - 1, index, NULL);

    text[n] = '\0';
    return text;
}

/*
 * As in Xen: dom0's console output stays out of the log ring unless
 * console_to_ring is given; a domU's (shown under the default
 * guest_loglvl) goes in with its prefix.
 */
static void test_console_to_ring(void **state)
{
    uint32_t idx = console_ring_head();

    memcpy(guest, "dom0-line\n", 10);
    assert_int_equal(call3(true, __HYPERVISOR_console_io, CONSOLEIO_write, 10,
                           GBASE), 0);
    assert_non_null(strstr(sink_buf, "dom0-line\n"));
    assert_string_equal(ring_since(&idx), "");
    assert_int_equal(call3(false, __HYPERVISOR_console_io, CONSOLEIO_write, 10,
                           GBASE), 0);
    assert_string_equal(ring_since(&idx), "(d3) dom0-line\n");
    cmdline_parse("console_to_ring");
    assert_int_equal(call3(true, __HYPERVISOR_console_io, CONSOLEIO_write, 10,
                           GBASE), 0);
    assert_string_equal(ring_since(&idx), "dom0-line\n");
    cmdline_parse("console_to_ring=0");
    assert_int_equal(call3(true, __HYPERVISOR_console_io, CONSOLEIO_write, 10,
                           GBASE), 0);
    assert_string_equal(ring_since(&idx), "");
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

/* A port of the caller's, bound as an IPI to vCPU 0 and masked (as
 * Linux's spinlock kicker is: only SCHEDOP_poll waits for it). */
static evtchn_port_t masked_ipi_port(void)
{
    struct evtchn_bind_ipi ipi = { .vcpu = 0 };

    memcpy(guest, &ipi, sizeof(ipi));
    assert_int_equal(call(false, __HYPERVISOR_event_channel_op,
                          EVTCHNOP_bind_ipi, GBASE), 0);
    memcpy(&ipi, guest, sizeof(ipi));
    shared.evtchn_mask[0] |= 1ULL << ipi.port;
    return ipi.port;
}

/* sched_poll at GBASE naming one port, stored at GBASE + 64. */
static long poll_one(evtchn_port_t port)
{
    struct sched_poll op = { .ports = GBASE + 64, .nr_ports = 1 };

    memcpy(guest, &op, sizeof(op));
    memcpy(guest + 64, &port, sizeof(port));
    return vcall3(__HYPERVISOR_sched_op, SCHEDOP_poll, GBASE, 0);
}

static evtchn_port_t racing_port;

static void send_racing_port(struct vcpu *v)
{
    (void)v;
    assert_int_equal(evtchn_send(caller, racing_port), 0);
}

static void test_sched_poll(void **state)
{
    struct vcpu *v = caller->vcpus[0];
    evtchn_port_t port = masked_ipi_port();

    domain_unpause(caller);
    /* Nothing pending: the vCPU waits, polling that port. */
    assert_int_equal(poll_one(port), 0);
    assert_true(v->blocked);
    assert_true(v->polling);
    assert_int_equal(v->poll_port, port);
    /* The port is set: the poller wakes although the port is masked. */
    assert_int_equal(evtchn_send(caller, port), 0);
    assert_false(v->blocked);
    assert_false(v->polling);
    /* Already pending: back at once, no wait. */
    stub_blocks = 0;
    assert_int_equal(poll_one(port), 0);
    assert_int_equal(stub_blocks, 0);
    assert_false(v->blocked);
}

/*
 * The port is set by another CPU after the poll's first check but before
 * the vCPU is marked blocked: that wake must not be lost (it was: the
 * vCPU slept for good, and Linux's spinlock waiter with it).
 */
static void test_sched_poll_wake_before_block(void **state)
{
    struct vcpu *v = caller->vcpus[0];

    racing_port = masked_ipi_port();
    domain_unpause(caller);
    stub_before_block = send_racing_port;
    assert_int_equal(poll_one(racing_port), 0);
    stub_before_block = NULL;
    assert_false(v->blocked);
    assert_false(v->polling);
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
    /* Not implemented, too many, unreadable (map/copy: test_gnttab.c). */
    assert_int_equal(call3(false, __HYPERVISOR_grant_table_op, GNTTABOP_transfer, GBASE, 1),
                     -ENOSYS);
    assert_int_equal(call3(false, __HYPERVISOR_grant_table_op, GNTTABOP_query_size, GBASE, 600),
                     -EINVAL);
    assert_int_equal(call3(false, __HYPERVISOR_grant_table_op, GNTTABOP_query_size, 8, 1),
                     -EFAULT);
}

static bool always_preempt(void)
{
    return true;
}

/*
 * A continuation through the dispatcher: with other work always waiting, a
 * batch of three swaps is done one element per call; each call asks to be
 * made again with the array pointer one element on and the count one
 * less, the other arguments as they were, until the last one completes.
 */
static void test_continuation(void **state)
{
    struct gnttab_swap_grant_ref sw[3] = { { 0, 0, 77 }, { 0, 0, 77 }, { 0, 0, 77 } };
    struct hypercall_ctx ctx = { .domain = caller, .mem = &mem,
                                 .preempt_wanted = always_preempt };
    uint64_t args[HYPERCALL_MAX_ARGS] = { GNTTABOP_swap_grant_ref, GBASE, 3, 0x33, 0x44 };
    unsigned int i;

    assert_int_equal(gnttab_init(caller, 1), 0);
    memcpy(guest, sw, sizeof(sw));
    for ( i = 0; i < 2; i++ )
    {
        uint64_t want[HYPERCALL_MAX_ARGS] = {
            GNTTABOP_swap_grant_ref, GBASE + (i + 1) * sizeof(sw[0]), 2 - i, 0x33, 0x44 };

        assert_int_equal(hypercall_dispatch(&ctx, __HYPERVISOR_grant_table_op, args),
                         HYPERCALL_CONTINUATION);
        assert_true(ctx.continued);
        assert_memory_equal(ctx.next_args, want, sizeof(want));
        memcpy(args, ctx.next_args, sizeof(args));
        memcpy(sw, guest, sizeof(sw));
        assert_int_equal(sw[i].status, GNTST_okay);
        assert_int_equal(sw[i + 1].status, 77);         /* not yet */
    }
    assert_int_equal(hypercall_dispatch(&ctx, __HYPERVISOR_grant_table_op, args), 0);
    assert_false(ctx.continued);
    memcpy(sw, guest, sizeof(sw));
    assert_int_equal(sw[2].status, GNTST_okay);
    /* A ctx used again forgets the last continuation, whatever is called. */
    ctx.continued = true;
    memset(args, 0, sizeof(args));          /* XENVER_version */
    assert_int_equal(hypercall_dispatch(&ctx, __HYPERVISOR_xen_version, args),
                     (4 << 16) | 17);
    assert_false(ctx.continued);
    ctx.continued = true;
    assert_int_equal(hypercall_dispatch(&ctx, 11, args), -ENOSYS);     /* a hole */
    assert_false(ctx.continued);
    /* Without a preemption hint a small batch is done in one call. */
    ctx.preempt_wanted = NULL;
    args[0] = GNTTABOP_swap_grant_ref;
    args[1] = GBASE;
    args[2] = 3;
    assert_int_equal(hypercall_dispatch(&ctx, __HYPERVISOR_grant_table_op, args), 0);
    assert_false(ctx.continued);
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

/* ---- domctl / sysctl: the toolstack's control interface ---- */

void arch_physinfo(struct xen_sysctl_physinfo *pi)
{
    pi->nr_cpus = 2;
    pi->cpu_khz = 2000000;
}

static long domctl(bool privileged, struct xen_domctl *op)
{
    long rc;

    op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    memcpy(guest, op, sizeof(*op));
    rc = call(privileged, __HYPERVISOR_domctl, GBASE, 0);
    memcpy(op, guest, sizeof(*op));
    return rc;
}

static long sysctl(bool privileged, struct xen_sysctl *op)
{
    long rc;

    op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    memcpy(guest, op, sizeof(*op));
    rc = call(privileged, __HYPERVISOR_sysctl, GBASE, 0);
    memcpy(op, guest, sizeof(*op));
    return rc;
}

static struct xen_domctl create_op(unsigned int vcpus)
{
    struct xen_domctl op = { .cmd = XEN_DOMCTL_createdomain };

    op.u.createdomain.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
    op.u.createdomain.max_vcpus = vcpus;
    op.u.createdomain.max_grant_frames = -1;
    op.u.createdomain.max_maptrack_frames = -1;
    op.u.createdomain.handle[0] = 0xab;
    return op;
}

static domid_t create_domu(unsigned int vcpus)
{
    struct xen_domctl op = create_op(vcpus);

    assert_int_equal(domctl(true, &op), 0);
    assert_true(op.domain != 0 && op.domain < DOMID_FIRST_RESERVED);
    return op.domain;
}

/* The reaper runs from a timer: fire it as the timer softirq would. */
static void reap_now(void)
{
    stub_grace_over = true;
    stub_last_timer->fn(stub_last_timer->data);
}

static void test_domctl_only_for_control_domain(void **state)
{
    struct xen_domctl op = create_op(1);
    struct xen_sysctl sop = { .cmd = XEN_SYSCTL_physinfo };

    assert_int_equal(domctl(false, &op), -EPERM);
    assert_int_equal(sysctl(false, &sop), -EPERM);
    op = create_op(1);
    op.interface_version = 0x14;
    memcpy(guest, &op, sizeof(op));
    assert_int_equal(call(true, __HYPERVISOR_domctl, GBASE, 0), -EACCES);
    assert_int_equal(call(true, __HYPERVISOR_domctl, GBASE + GSIZE, 0), -EFAULT);
    op = (struct xen_domctl){ .cmd = 9999, .domain = caller->domain_id };
    assert_int_equal(domctl(true, &op), -EINVAL);     /* not on itself */
}

static void test_domctl_create_validates(void **state)
{
    struct xen_domctl op = create_op(0);

    assert_int_equal(domctl(true, &op), -EINVAL);            /* no vCPU */
    op = create_op(DOMAIN_MAX_VCPUS + 1);
    assert_int_equal(domctl(true, &op), -EINVAL);
    op = create_op(1);
    op.u.createdomain.flags = 0;                             /* PV */
    assert_int_equal(domctl(true, &op), -EINVAL);
    op = create_op(1);
    op.u.createdomain.arch.emulation_flags = XEN_X86_EMU_VGA;
    assert_int_equal(domctl(true, &op), -EINVAL);
    op = create_op(1);
    op.u.createdomain.max_evtchn_port = 1u << 20;
    assert_int_equal(domctl(true, &op), -EINVAL);
    op = create_op(1);
    op.domain = caller->domain_id;                           /* id taken */
    assert_int_equal(domctl(true, &op), -EEXIST);
    stub_arch_init_fail = -ENOMEM;                           /* rolled back */
    op = create_op(1);
    assert_int_equal(domctl(true, &op), -ENOMEM);
    stub_arch_init_fail = 0;
    op = (struct xen_domctl){ .cmd = XEN_DOMCTL_getdomaininfo, .domain = 4 };
    assert_int_equal(domctl(true, &op), -ESRCH);             /* nothing left */
}

static void test_domctl_life_cycle(void **state)
{
    domid_t id = create_domu(2);
    struct xen_domctl op = { .cmd = XEN_DOMCTL_getdomaininfo, .domain = id };
    struct domain *d = domain_lookup(id);

    assert_int_equal(domctl(true, &op), 0);
    assert_int_equal(op.domain, id);
    assert_int_equal(op.u.getdomaininfo.max_vcpu_id, 1);
    assert_int_equal(op.u.getdomaininfo.handle[0], 0xab);
    assert_true(op.u.getdomaininfo.flags & XEN_DOMINF_paused);
    assert_true(op.u.getdomaininfo.flags & XEN_DOMINF_hvm_guest);

    op = (struct xen_domctl){ .cmd = XEN_DOMCTL_max_mem, .domain = id };
    op.u.max_mem.max_memkb = 64 << 10;
    assert_int_equal(domctl(true, &op), 0);
    assert_int_equal(d->max_pages, 16384);
    op = (struct xen_domctl){ .cmd = XEN_DOMCTL_max_vcpus, .domain = id };
    op.u.max_vcpus.max = 3;
    assert_int_equal(domctl(true, &op), -EINVAL);
    op.u.max_vcpus.max = 2;
    assert_int_equal(domctl(true, &op), 0);

    op = (struct xen_domctl){ .cmd = XEN_DOMCTL_unpausedomain, .domain = id };
    assert_int_equal(domctl(true, &op), 0);
    assert_int_equal(d->state, DOMAIN_RUNNING);
    op.cmd = XEN_DOMCTL_pausedomain;
    assert_int_equal(domctl(true, &op), 0);
    assert_int_equal(d->state, DOMAIN_PAUSED);
    op.cmd = XEN_DOMCTL_unpausedomain;
    assert_int_equal(domctl(true, &op), 0);

    /* A guest shutting down stays, reported as shut down with its reason. */
    domain_shutdown(d, SHUTDOWN_reboot);
    op = (struct xen_domctl){ .cmd = XEN_DOMCTL_getdomaininfo, .domain = id };
    assert_int_equal(domctl(true, &op), 0);
    assert_true(op.u.getdomaininfo.flags & XEN_DOMINF_shutdown);
    assert_int_equal((op.u.getdomaininfo.flags >> XEN_DOMINF_shutdownshift) &
                     XEN_DOMINF_shutdownmask, SHUTDOWN_reboot);

    op = (struct xen_domctl){ .cmd = XEN_DOMCTL_destroydomain, .domain = id };
    stub_grace_over = false;
    assert_int_equal(domctl(true, &op), 0);
    assert_int_equal(domctl(true, &op), -ESRCH);      /* already going */
    op = (struct xen_domctl){ .cmd = XEN_DOMCTL_getdomaininfo, .domain = id };
    assert_int_equal(domctl(true, &op), 0);
    assert_true(op.u.getdomaininfo.flags & XEN_DOMINF_dying);
    reap_now();
    op = (struct xen_domctl){ .cmd = XEN_DOMCTL_getdomaininfo, .domain = id };
    /* Gone: the next domain at or above its id, if any, is another. */
    assert_true(domctl(true, &op) == -ESRCH || op.domain != id);
}

static void test_domctl_scheduler_and_vcpus(void **state)
{
    domid_t id = create_domu(1);
    struct xen_domctl op = { .cmd = XEN_DOMCTL_scheduler_op, .domain = id };

    op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT;
    op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
    assert_int_equal(domctl(true, &op), 0);
    assert_int_equal(op.u.scheduler_op.u.credit.weight, 256);
    op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_putinfo;
    op.u.scheduler_op.u.credit.weight = 512;
    op.u.scheduler_op.u.credit.cap = 50;
    assert_int_equal(domctl(true, &op), 0);
    assert_int_equal(domain_lookup(id)->sched.weight, 512);
    assert_int_equal(domain_lookup(id)->sched.cap, 50);
    op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT2;
    assert_int_equal(domctl(true, &op), -EINVAL);

    op = (struct xen_domctl){ .cmd = XEN_DOMCTL_getvcpuinfo, .domain = id };
    op.u.getvcpuinfo.vcpu = 1;
    assert_int_equal(domctl(true, &op), -EINVAL);
    op.u.getvcpuinfo.vcpu = 0;
    assert_int_equal(domctl(true, &op), 0);
    assert_int_equal(op.u.getvcpuinfo.online, 1);

    /* setvcpucontext reads a vcpu_hvm_context from the caller's memory. */
    op = (struct xen_domctl){ .cmd = XEN_DOMCTL_setvcpucontext, .domain = id };
    op.u.vcpucontext.vcpu = 0;
    op.u.vcpucontext.ctxt.q = GBASE + GSIZE - 8;             /* runs off */
    assert_int_equal(domctl(true, &op), -EFAULT);
    op.u.vcpucontext.ctxt.q = GBASE + 512;
    assert_int_equal(domctl(true, &op), 0);
    assert_true(domain_lookup(id)->vcpus[0]->initialised);
    op.u.vcpucontext.vcpu = 5;
    assert_int_equal(domctl(true, &op), -EINVAL);

    op = (struct xen_domctl){ .cmd = XEN_DOMCTL_destroydomain, .domain = id };
    assert_int_equal(domctl(true, &op), 0);
    reap_now();
}

static void test_sysctl(void **state)
{
    struct xen_sysctl op = { .cmd = XEN_SYSCTL_physinfo };
    struct xen_domctl_getdomaininfo list[4];
    domid_t a = create_domu(1), b = create_domu(3);

    assert_int_equal(sysctl(true, &op), 0);
    assert_int_equal(op.u.physinfo.nr_cpus, 2);
    assert_int_equal(op.u.physinfo.free_pages, avail_heap_pages());
    assert_true(op.u.physinfo.total_pages >= op.u.physinfo.free_pages);
    assert_true(op.u.physinfo.capabilities & XEN_SYSCTL_PHYSCAP_hap);

    op = (struct xen_sysctl){ .cmd = XEN_SYSCTL_sched_id };
    assert_int_equal(sysctl(true, &op), 0);
    assert_int_equal(op.u.sched_id.sched_id, XEN_SCHEDULER_CREDIT);

    /* Every domain from id 0 up: the caller (3) and the two new ones. */
    op = (struct xen_sysctl){ .cmd = XEN_SYSCTL_getdomaininfolist };
    op.u.getdomaininfolist.max_domains = 4;
    op.u.getdomaininfolist.buffer.q = GBASE + 256;
    assert_int_equal(sysctl(true, &op), 0);
    assert_int_equal(op.u.getdomaininfolist.num_domains, 3);
    memcpy(list, guest + 256, 3 * sizeof(list[0]));
    assert_int_equal(list[0].domain, 3);
    assert_true(list[1].domain == (a < b ? a : b));
    assert_int_equal(list[a < b ? 2 : 1].max_vcpu_id, 2);
    op.u.getdomaininfolist.buffer.q = GBASE + GSIZE - 8;
    assert_int_equal(sysctl(true, &op), -EFAULT);

    op = (struct xen_sysctl){ .cmd = 77 };
    assert_int_equal(sysctl(true, &op), -EOPNOTSUPP);
    domain_destroy_later(domain_lookup(a));
    domain_destroy_later(domain_lookup(b));
    reap_now();
}

/* Two CPUs, as arch_physinfo above says. */
unsigned int nr_cpus_online = 2;

long arch_cputopoinfo(struct hypercall_ctx *ctx, struct xen_sysctl_cputopoinfo *ti)
{
    ti->num_cpus = nr_cpus_online;
    return 0;
}

/* Pool 0's credit parameters: ours read back, Xen's limits, others declined. */
static void test_sysctl_scheduler_op(void **state)
{
    struct xen_sysctl op = { .cmd = XEN_SYSCTL_scheduler_op };

    op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT;
    op.u.scheduler_op.cmd = XEN_SYSCTL_SCHEDOP_getinfo;
    assert_int_equal(sysctl(true, &op), 0);
    assert_int_equal(op.u.scheduler_op.u.sched_credit.tslice_ms, 10);
    assert_int_equal(op.u.scheduler_op.u.sched_credit.ratelimit_us, 0);
    op.u.scheduler_op.cmd = XEN_SYSCTL_SCHEDOP_putinfo;
    assert_int_equal(sysctl(true, &op), 0);                 /* the same values */
    op.u.scheduler_op.u.sched_credit.tslice_ms = 30;
    assert_int_equal(sysctl(true, &op), -EOPNOTSUPP);
    op.u.scheduler_op.u.sched_credit.tslice_ms = 0;
    assert_int_equal(sysctl(true, &op), -EINVAL);
    op.u.scheduler_op.u.sched_credit.tslice_ms = 10;
    op.u.scheduler_op.u.sched_credit.ratelimit_us = 20000;  /* above the slice */
    assert_int_equal(sysctl(true, &op), -EINVAL);
    op.u.scheduler_op.cmd = 7;
    assert_int_equal(sysctl(true, &op), -EINVAL);
    op.u.scheduler_op.cmd = XEN_SYSCTL_SCHEDOP_getinfo;
    op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT2;
    assert_int_equal(sysctl(true, &op), -EINVAL);
    op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT;
    op.u.scheduler_op.cpupool_id = 5;
    assert_int_equal(sysctl(true, &op), -ESRCH);
}

/* One node with all the memory, 10 from itself; a null handle counts. */
static void test_sysctl_numainfo(void **state)
{
    struct xen_sysctl op = { .cmd = XEN_SYSCTL_numainfo };
    struct xen_sysctl_meminfo mem;
    uint32_t dist;

    op.u.numainfo.num_nodes = 7;
    assert_int_equal(sysctl(true, &op), 0);
    assert_int_equal(op.u.numainfo.num_nodes, 1);
    op.u.numainfo.num_nodes = 4;
    op.u.numainfo.meminfo.q = GBASE + 256;
    op.u.numainfo.distance.q = GBASE + 512;
    assert_int_equal(sysctl(true, &op), 0);
    assert_int_equal(op.u.numainfo.num_nodes, 1);
    memcpy(&mem, guest + 256, sizeof(mem));
    memcpy(&dist, guest + 512, sizeof(dist));
    assert_int_equal(mem.memsize, (uint64_t)total_heap_pages() << PAGE_SHIFT);
    assert_int_equal(mem.memfree, (uint64_t)avail_heap_pages() << PAGE_SHIFT);
    assert_int_equal(dist, 10);
    op.u.numainfo.distance.q = GBASE + GSIZE - 2;
    assert_int_equal(sysctl(true, &op), -EFAULT);
}

static long cpupool(uint32_t op_nr, uint32_t pool, struct xen_sysctl_cpupool_op *out)
{
    struct xen_sysctl op = { .cmd = XEN_SYSCTL_cpupool_op };
    long rc;

    op.u.cpupool_op.op = op_nr;
    op.u.cpupool_op.cpupool_id = pool;
    op.u.cpupool_op.sched_id = XEN_SCHEDULER_CREDIT;
    op.u.cpupool_op.cpu = out->cpu;
    op.u.cpupool_op.domid = out->domid;
    op.u.cpupool_op.cpumap = out->cpumap;
    rc = sysctl(true, &op);
    *out = op.u.cpupool_op;
    return rc;
}

/*
 * Pool 0 holds both CPUs and every domain (libxl's lookup of a new
 * domain's pool); made pools are empty; the CPU ops answer as Xen does
 * when no CPU is free.
 */
static void test_sysctl_cpupool(void **state)
{
    struct xen_sysctl_cpupool_op p = { 0 };
    domid_t id = create_domu(1);
    struct xen_domctl dop = create_op(1);

    memset(guest + 1024, 0xee, 32);
    p.cpumap.bitmap.q = GBASE + 1024;
    p.cpumap.nr_bits = 128;
    assert_int_equal(cpupool(XEN_SYSCTL_CPUPOOL_OP_INFO, 0, &p), 0);
    assert_int_equal(p.cpupool_id, 0);
    assert_int_equal(p.sched_id, XEN_SCHEDULER_CREDIT);
    assert_int_equal(p.n_dom, 2);                       /* the caller and id */
    assert_int_equal(guest[1024], 0x03);
    assert_int_equal(guest[1024 + 15], 0);              /* the rest zeroed */
    assert_int_equal(guest[1024 + 16], 0xee);           /* and no further */
    assert_int_equal(cpupool(XEN_SYSCTL_CPUPOOL_OP_INFO, 1, &p), -ENOENT);

    p.cpumap.nr_bits = 0;
    assert_int_equal(cpupool(XEN_SYSCTL_CPUPOOL_OP_CREATE, XEN_SYSCTL_CPUPOOL_PAR_ANY, &p), 0);
    assert_int_equal(p.cpupool_id, 1);
    assert_int_equal(cpupool(XEN_SYSCTL_CPUPOOL_OP_CREATE, 1, &p), -EEXIST);
    assert_int_equal(cpupool(XEN_SYSCTL_CPUPOOL_OP_CREATE, 3, &p), 0);
    assert_int_equal(cpupool(XEN_SYSCTL_CPUPOOL_OP_CREATE, 7, &p), 0);
    assert_int_equal(cpupool(XEN_SYSCTL_CPUPOOL_OP_CREATE, 8, &p), -ENOSPC);  /* 2 per CPU */
    assert_int_equal(cpupool(XEN_SYSCTL_CPUPOOL_OP_INFO, 4, &p), 0);          /* the next one */
    assert_int_equal(p.cpupool_id, 7);
    assert_int_equal(p.n_dom, 0);
    assert_int_equal(cpupool(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 7, &p), 0);
    assert_int_equal(cpupool(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 7, &p), -ENOENT);
    assert_int_equal(cpupool(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 0, &p), -EBUSY);

    p.cpu = 1;
    assert_int_equal(cpupool(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 1, &p), -ENODEV);  /* not free */
    p.cpu = 2;
    assert_int_equal(cpupool(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 1, &p), -EINVAL);  /* no such CPU */
    assert_int_equal(cpupool(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 9, &p), -ENOENT);
    p.cpu = 0;
    assert_int_equal(cpupool(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 0, &p), -EINVAL);   /* CPU 0 stays */
    p.cpu = 1;
    assert_int_equal(cpupool(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 1, &p), -ENODEV);   /* not in it */
    p.domid = id;
    assert_int_equal(cpupool(XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, 0, &p), 0);
    assert_int_equal(cpupool(XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, 1, &p), -ENOENT);  /* no CPUs */
    p.domid = caller->domain_id;
    assert_int_equal(cpupool(XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, 0, &p), -EPERM);
    p.domid = 999;
    assert_int_equal(cpupool(XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, 0, &p), -ESRCH);

    guest[1024] = 0xff;
    p.cpumap.nr_bits = 8;
    assert_int_equal(cpupool(XEN_SYSCTL_CPUPOOL_OP_FREEINFO, 0, &p), 0);
    assert_int_equal(guest[1024], 0);                   /* no CPU is free */
    p.cpumap.bitmap.q = GBASE + GSIZE - 1;
    p.cpumap.nr_bits = 64;
    assert_int_equal(cpupool(XEN_SYSCTL_CPUPOOL_OP_FREEINFO, 0, &p), -EFAULT);
    assert_int_equal(cpupool(99, 0, &p), -ENOSYS);

    dop.u.createdomain.cpupool_id = 1;                  /* a pool without CPUs */
    assert_int_equal(domctl(true, &dop), -ENOENT);
    assert_int_equal(cpupool(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 1, &p), 0);
    assert_int_equal(cpupool(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 3, &p), 0);
    domain_destroy_later(domain_lookup(id));
    reap_now();
}

static void test_sysctl_readconsole(void **state)
{
    struct xen_sysctl op = { .cmd = XEN_SYSCTL_readconsole };
    char text[64];

    printk("marker-for-readconsole\n");
    op.u.readconsole.buffer.q = GBASE + 256;
    op.u.readconsole.count = 1024;
    assert_int_equal(sysctl(true, &op), 0);
    assert_true(op.u.readconsole.count > 0 && op.u.readconsole.count <= 1024);
    assert_non_null(memmem(guest + 256, op.u.readconsole.count,
                           "marker-for-readconsole", 22));
    /* Incremental from the returned index: only what came after. */
    printk("second\n");
    op.u.readconsole.incremental = 1;
    op.u.readconsole.count = sizeof(text);
    assert_int_equal(sysctl(true, &op), 0);
    assert_true(op.u.readconsole.count >= 7);
    memcpy(text, guest + 256, op.u.readconsole.count);
    assert_non_null(memmem(text, op.u.readconsole.count, "second", 6));
    assert_null(memmem(text, op.u.readconsole.count, "marker", 6));
    /* Clear: a later full read finds nothing old. */
    op.u.readconsole.clear = 1;
    op.u.readconsole.incremental = 0;
    op.u.readconsole.count = 1024;
    assert_int_equal(sysctl(true, &op), 0);
    op.u.readconsole.clear = 0;
    assert_int_equal(sysctl(true, &op), 0);
    assert_int_equal(op.u.readconsole.count, 0);
    /* A clear takes only what its read reached (`xl dmesg -c` as Xen's). */
    printk("kept\n");
    op.u.readconsole.clear = 1;
    op.u.readconsole.count = 6;                 /* "(XEN) " */
    assert_int_equal(sysctl(true, &op), 0);
    assert_int_equal(op.u.readconsole.count, 6);
    op.u.readconsole.clear = 0;
    op.u.readconsole.count = 1024;
    assert_int_equal(sysctl(true, &op), 0);
    assert_int_equal(op.u.readconsole.count, 5);
    assert_memory_equal(guest + 256, "kept\n", 5);
}

/* dom0 maps a guest's frames (privcmd mmapbatch) and unmaps them. */
static void test_add_to_physmap_batch(void **state)
{
    domid_t id;
    struct xen_add_to_physmap_batch b = {
        .domid = DOMID_SELF, .space = XENMAPSPACE_gmfn_foreign, .size = 2,
        .idxs = GBASE + 128, .gpfns = GBASE + 160,
        .errs = GBASE + 192 };
    uint64_t idxs[2] = { 5, 500 }, gpfns[2] = { 10, 11 };
    struct xen_remove_from_physmap r = { .domid = DOMID_SELF, .gpfn = 10 };
    int errs[2];

    id = create_domu(1);
    b.foreign_domid = id;
    memcpy(guest, &b, sizeof(b));
    memcpy(guest + 128, idxs, sizeof(idxs));
    memcpy(guest + 160, gpfns, sizeof(gpfns));
    stub_nr_foreign = 0;
    assert_int_equal(call(false, __HYPERVISOR_memory_op,
                          XENMEM_add_to_physmap_batch, GBASE), -EPERM);
    assert_int_equal(call(true, __HYPERVISOR_memory_op,
                          XENMEM_add_to_physmap_batch, GBASE), 0);
    memcpy(errs, guest + 192, sizeof(errs));
    assert_int_equal(errs[0], 0);
    assert_int_equal(errs[1], -ENOENT);                 /* no such frame */
    assert_int_equal(stub_nr_foreign, 1);
    assert_int_equal(stub_foreign[0].gpfn, 10);
    assert_int_equal(stub_foreign[0].fgfn, 5);
    assert_int_equal(stub_foreign[0].fdom, id);

    b.foreign_domid = 999;                              /* no such domain */
    memcpy(guest, &b, sizeof(b));
    assert_int_equal(call(true, __HYPERVISOR_memory_op,
                          XENMEM_add_to_physmap_batch, GBASE), -ESRCH);
    b.foreign_domid = DOMID_SELF;
    memcpy(guest, &b, sizeof(b));
    assert_int_equal(call(true, __HYPERVISOR_memory_op,
                          XENMEM_add_to_physmap_batch, GBASE), -EINVAL);
    b.foreign_domid = id;
    b.space = XENMAPSPACE_gmfn_range;
    memcpy(guest, &b, sizeof(b));
    assert_int_equal(call(true, __HYPERVISOR_memory_op,
                          XENMEM_add_to_physmap_batch, GBASE), -EOPNOTSUPP);
    b.space = XENMAPSPACE_gmfn_foreign;
    b.size = 2000;
    memcpy(guest, &b, sizeof(b));
    assert_int_equal(call(true, __HYPERVISOR_memory_op,
                          XENMEM_add_to_physmap_batch, GBASE), -E2BIG);

    stub_nr_removed = 0;
    memcpy(guest, &r, sizeof(r));
    assert_int_equal(call(false, __HYPERVISOR_memory_op,
                          XENMEM_remove_from_physmap, GBASE), 0);
    assert_int_equal(stub_removed[0], 10);
    r.domid = id;                                       /* not its own */
    memcpy(guest, &r, sizeof(r));
    assert_int_equal(call(false, __HYPERVISOR_memory_op,
                          XENMEM_remove_from_physmap, GBASE), -EPERM);
    domain_destroy_later(domain_lookup(id));
    reap_now();
}

/* The builder sets a new domain's memory map and populates its RAM. */
static void test_builder_memory_ops(void **state)
{
    domid_t id = create_domu(1);
    struct xen_foreign_memory_map fm = { .domid = id,
        .map = { .nr_entries = 2, .buffer = GBASE + 128 } };
    struct xen_e820_entry e[2] = { { 0, 0x9f000, 1 }, { 0x100000, 0x700000, 1 } };
    struct xen_memory_reservation r = { .extent_start = GBASE + 192,
        .nr_extents = 2, .domid = id };
    uint64_t gfns[2] = { 7, 9 };

    memcpy(guest, &fm, sizeof(fm));
    memcpy(guest + 128, e, sizeof(e));
    assert_int_equal(call(false, __HYPERVISOR_memory_op, XENMEM_set_memory_map,
                          GBASE), -EPERM);
    assert_int_equal(call(true, __HYPERVISOR_memory_op, XENMEM_set_memory_map,
                          GBASE), 0);
    assert_int_equal(domain_lookup(id)->nr_e820, 2);
    assert_int_equal(domain_lookup(id)->e820[1].size, 0x700000);
    e[1].size = 0;                                      /* empty entry */
    memcpy(guest + 128, e, sizeof(e));
    assert_int_equal(call(true, __HYPERVISOR_memory_op, XENMEM_set_memory_map,
                          GBASE), -EINVAL);

    memcpy(guest, &r, sizeof(r));
    memcpy(guest + 192, gfns, sizeof(gfns));
    stub_nr_populated = 0;
    assert_int_equal(call(false, __HYPERVISOR_memory_op, XENMEM_populate_physmap,
                          GBASE), -EPERM);
    assert_int_equal(call(true, __HYPERVISOR_memory_op, XENMEM_populate_physmap,
                          GBASE), 2);
    assert_int_equal(stub_nr_populated, 2);
    domain_destroy_later(domain_lookup(id));
    reap_now();
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
        T(test_console_write_holds_dom0_line),
        T(test_sched_shutdown),
        T(test_event_channel_op),
        T(test_sched_poll),
        T(test_sched_poll_wake_before_block),
        T(test_hvm_params),
        T(test_memory_op),
        T(test_console_read),
        T(test_grant_table_op),
        T(test_continuation),
        T(test_balloon),
        T(test_get_features),
        T(test_add_to_physmap),
        T(test_register_vcpu_info),
        T(test_register_vcpu_info_bad),
        T(test_vcpu_timers_and_state),
        T(test_domctl_only_for_control_domain),
        T(test_domctl_create_validates),
        T(test_console_to_ring),
        T(test_domctl_life_cycle),
        T(test_domctl_scheduler_and_vcpus),
        T(test_sysctl),
        T(test_sysctl_cpupool),
        T(test_sysctl_numainfo),
        T(test_sysctl_scheduler_op),
        T(test_sysctl_readconsole),
        T(test_add_to_physmap_batch),
        T(test_builder_memory_ops),
    };

    return cmocka_run_group_tests_name("hypercall", tests, NULL, NULL);
}

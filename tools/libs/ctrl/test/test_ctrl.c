/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libtonnerrectrl through a fake hypercall backend: each test checks what
 * the library would have asked the hypervisor (op, sub-command, every
 * argument field) and how it turns the replies into results.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include <public/event_channel.h>
#include <public/hvm_params.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/xen.h>

#include "ctrl_priv.h"
#include "linux_xen.h"

#define MAX_CALLS 8

/* What one hypercall carried, copied out of its buffers at call time. */
struct call {
    unsigned int op;
    uint64_t args[5];
    struct xen_domctl domctl;
    struct xen_sysctl sysctl;
    union {
        struct xen_memory_reservation resv;
        struct xen_hvm_param param;
        struct sched_remote_shutdown shutdown;
        struct evtchn_alloc_unbound unbound;
    } u;
    uint64_t gfns[512];
    struct vcpu_hvm_context vcpu;
};

struct fake {
    struct call calls[MAX_CALLS];
    unsigned int nr_calls;
    long result;                            /* what every call returns */
    void (*reply)(struct fake *f, struct call *c, const uint64_t args[5]);
    unsigned int populate_short_by;         /* memory_op populates this many fewer */
};

static void record_domctl(struct call *c, const struct xen_domctl *d)
{
    c->domctl = *d;
    if ( d->cmd == XEN_DOMCTL_setvcpucontext && d->u.vcpucontext.ctxt.q )
        c->vcpu = *(const struct vcpu_hvm_context *)(uintptr_t)d->u.vcpucontext.ctxt.q;
}

static void record(struct call *c, unsigned int op, const uint64_t args[5])
{
    const void *arg = (const void *)(uintptr_t)args[1];

    switch ( op )
    {
    case __HYPERVISOR_domctl:
        record_domctl(c, (const void *)(uintptr_t)args[0]);
        break;
    case __HYPERVISOR_sysctl:
        c->sysctl = *(const struct xen_sysctl *)(uintptr_t)args[0];
        break;
    case __HYPERVISOR_memory_op:
        c->u.resv = *(const struct xen_memory_reservation *)arg;
        memcpy(c->gfns, (const void *)(uintptr_t)c->u.resv.extent_start,
               c->u.resv.nr_extents * sizeof(uint64_t));
        break;
    case __HYPERVISOR_hvm_op:
        c->u.param = *(const struct xen_hvm_param *)arg;
        break;
    case __HYPERVISOR_sched_op:
        c->u.shutdown = *(const struct sched_remote_shutdown *)arg;
        break;
    case __HYPERVISOR_event_channel_op:
        c->u.unbound = *(const struct evtchn_alloc_unbound *)arg;
        break;
    }
}

static long fake_hypercall(void *opaque, unsigned int op, const uint64_t args[5])
{
    struct fake *f = opaque;
    struct call *c;

    assert_true(f->nr_calls < MAX_CALLS);
    c = &f->calls[f->nr_calls++];
    c->op = op;
    memcpy(c->args, args, sizeof(c->args));
    record(c, op, args);
    if ( f->reply )
        f->reply(f, c, args);
    if ( op == __HYPERVISOR_memory_op && f->result >= 0 )
        return (long)c->u.resv.nr_extents - f->populate_short_by;
    return f->result;
}

static const struct ctrl_ops fake_ops = { .hypercall = fake_hypercall };

static struct fake fake;

static int setup(void **state)
{
    memset(&fake, 0, sizeof(fake));
    *state = ctrl_open_with_ops(&fake_ops, &fake);
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    ctrl_close(*state);
    return 0;
}

static struct xen_domctl *reply_domctl(const uint64_t args[5])
{
    return (struct xen_domctl *)(uintptr_t)args[0];
}

static struct xen_sysctl *reply_sysctl(const uint64_t args[5])
{
    return (struct xen_sysctl *)(uintptr_t)args[0];
}

/* ---- domain creation ---- */

static void reply_domid_7(struct fake *f, struct call *c, const uint64_t args[5])
{
    reply_domctl(args)->domain = 7;
}

static void test_create_fills_pvh_config(void **state)
{
    struct ctrl_create_args a = { .handle = { 0xaa, [15] = 0x55 }, .max_vcpus = 2 };
    ctrl_domid_t domid = 0;

    fake.reply = reply_domid_7;
    assert_int_equal(ctrl_domain_create(*state, &a, &domid), 0);
    assert_int_equal(domid, 7);
    assert_int_equal(fake.nr_calls, 1);

    const struct call *c = &fake.calls[0];
    const struct xen_domctl_createdomain *cd = &c->domctl.u.createdomain;
    assert_int_equal(c->op, __HYPERVISOR_domctl);
    assert_int_equal(c->domctl.cmd, XEN_DOMCTL_createdomain);
    assert_int_equal(c->domctl.interface_version, 0x15);
    assert_int_equal(c->domctl.domain, 0);
    assert_int_equal(cd->flags, XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap);
    assert_int_equal(cd->max_vcpus, 2);
    assert_int_equal(cd->max_evtchn_port, 1023);
    assert_int_equal(cd->max_grant_frames, -1);
    assert_int_equal(cd->max_maptrack_frames, -1);
    assert_int_equal(cd->grant_opts, 1);
    assert_int_equal(cd->arch.emulation_flags, XEN_X86_EMU_LAPIC);
    assert_memory_equal(cd->handle, a.handle, 16);
}

static void test_create_passes_limits(void **state)
{
    struct ctrl_create_args a = { .max_vcpus = 1, .max_evtchn_port = 4095,
                                  .max_grant_frames = 64, .max_maptrack_frames = 1024 };
    ctrl_domid_t domid;

    fake.reply = reply_domid_7;
    assert_int_equal(ctrl_domain_create(*state, &a, &domid), 0);
    assert_int_equal(fake.calls[0].domctl.u.createdomain.max_evtchn_port, 4095);
    assert_int_equal(fake.calls[0].domctl.u.createdomain.max_grant_frames, 64);
    assert_int_equal(fake.calls[0].domctl.u.createdomain.max_maptrack_frames, 1024);
}

static void test_create_rejects_bad_args(void **state)
{
    struct ctrl_create_args a = { .max_vcpus = 0 };
    ctrl_domid_t domid;

    assert_int_equal(ctrl_domain_create(*state, &a, &domid), -EINVAL);
    a.max_vcpus = 129;
    assert_int_equal(ctrl_domain_create(*state, &a, &domid), -EINVAL);
    a.max_vcpus = 1;
    a.max_grant_frames = 0x80000000u;
    assert_int_equal(ctrl_domain_create(*state, &a, &domid), -EINVAL);
    a.max_grant_frames = 0;
    assert_int_equal(ctrl_domain_create(*state, &a, NULL), -EINVAL);
    assert_int_equal(ctrl_domain_create(*state, NULL, &domid), -EINVAL);
    assert_int_equal(fake.nr_calls, 0);
}

static void reply_reserved_domid(struct fake *f, struct call *c, const uint64_t args[5])
{
    reply_domctl(args)->domain = DOMID_SELF;
}

static void test_create_refuses_reserved_domid_reply(void **state)
{
    struct ctrl_create_args a = { .max_vcpus = 1 };
    ctrl_domid_t domid = 99;

    fake.reply = reply_reserved_domid;
    assert_int_equal(ctrl_domain_create(*state, &a, &domid), -EIO);
    assert_int_equal(domid, 99);
}

static void test_hypercall_error_propagates(void **state)
{
    struct ctrl_create_args a = { .max_vcpus = 1 };
    ctrl_domid_t domid = 99;

    fake.result = -EPERM;
    assert_int_equal(ctrl_domain_create(*state, &a, &domid), -EPERM);
    assert_int_equal(domid, 99);
    assert_int_equal(ctrl_domain_pause(*state, 3), -EPERM);
}

/* ---- simple domctls ---- */

static void test_lifecycle_commands(void **state)
{
    assert_int_equal(ctrl_domain_pause(*state, 3), 0);
    assert_int_equal(ctrl_domain_unpause(*state, 3), 0);
    assert_int_equal(ctrl_domain_destroy(*state, 4), 0);
    assert_int_equal(fake.nr_calls, 3);
    assert_int_equal(fake.calls[0].domctl.cmd, XEN_DOMCTL_pausedomain);
    assert_int_equal(fake.calls[0].domctl.domain, 3);
    assert_int_equal(fake.calls[1].domctl.cmd, XEN_DOMCTL_unpausedomain);
    assert_int_equal(fake.calls[2].domctl.cmd, XEN_DOMCTL_destroydomain);
    assert_int_equal(fake.calls[2].domctl.domain, 4);
    assert_int_equal(fake.calls[2].domctl.interface_version, XEN_DOMCTL_INTERFACE_VERSION);

    /* Reserved ids (DOMID_SELF and up) never reach the hypervisor. */
    assert_int_equal(ctrl_domain_destroy(*state, DOMID_SELF), -EINVAL);
    assert_int_equal(ctrl_domain_pause(*state, 0xffff), -EINVAL);
    assert_int_equal(fake.nr_calls, 3);
}

static void test_max_mem_and_vcpus(void **state)
{
    assert_int_equal(ctrl_domain_max_mem(*state, 2, 524288), 0);
    assert_int_equal(ctrl_domain_set_target_mem(*state, 2, 262144), 0);
    assert_int_equal(ctrl_domain_max_vcpus(*state, 2, 4), 0);
    assert_int_equal(fake.calls[0].domctl.cmd, XEN_DOMCTL_max_mem);
    assert_int_equal(fake.calls[0].domctl.u.max_mem.max_memkb, 524288);
    assert_int_equal(fake.calls[1].domctl.u.max_mem.max_memkb, 262144);
    assert_int_equal(fake.calls[2].domctl.cmd, XEN_DOMCTL_max_vcpus);
    assert_int_equal(fake.calls[2].domctl.u.max_vcpus.max, 4);
    assert_int_equal(ctrl_domain_max_vcpus(*state, 2, 0), -EINVAL);
    assert_int_equal(fake.nr_calls, 3);
}

static void test_shutdown_is_remote_sched_op(void **state)
{
    assert_int_equal(ctrl_domain_shutdown(*state, 5, SHUTDOWN_reboot), 0);
    assert_int_equal(fake.calls[0].op, __HYPERVISOR_sched_op);
    assert_int_equal(fake.calls[0].args[0], SCHEDOP_remote_shutdown);
    assert_int_equal(fake.calls[0].u.shutdown.domain_id, 5);
    assert_int_equal(fake.calls[0].u.shutdown.reason, SHUTDOWN_reboot);
    assert_int_equal(ctrl_domain_shutdown(*state, 5, 6), -EINVAL);
    assert_int_equal(fake.nr_calls, 1);
}

/* ---- dominfo ---- */

static void test_dominfo_decode_flags(void **state)
{
    struct xen_domctl_getdomaininfo in = {
        .domain = 9,
        .flags = XEN_DOMINF_running | XEN_DOMINF_paused | XEN_DOMINF_hvm_guest,
        .tot_pages = 1000, .max_pages = 2000, .cpu_time = 123456789,
        .nr_online_vcpus = 2, .max_vcpu_id = 1, .handle = { 1, 2, 3 },
    };
    struct ctrl_dominfo out;

    ctrl_dominfo_decode(&in, &out);
    assert_int_equal(out.domid, 9);
    assert_true(out.running);
    assert_true(out.paused);
    assert_false(out.blocked);
    assert_false(out.dying);
    assert_false(out.shutdown);
    assert_false(out.crashed);
    assert_int_equal(out.tot_pages, 1000);
    assert_int_equal(out.max_pages, 2000);
    assert_int_equal(out.cpu_time_ns, 123456789);
    assert_int_equal(out.nr_online_vcpus, 2);
    assert_int_equal(out.max_vcpu_id, 1);
    assert_memory_equal(out.handle, in.handle, 16);

    in.flags = XEN_DOMINF_blocked | XEN_DOMINF_dying;
    ctrl_dominfo_decode(&in, &out);
    assert_true(out.blocked);
    assert_true(out.dying);
    assert_false(out.running);
}

static void test_dominfo_decode_shutdown_reasons(void **state)
{
    struct xen_domctl_getdomaininfo in = {
        .flags = XEN_DOMINF_shutdown | (SHUTDOWN_reboot << XEN_DOMINF_shutdownshift) |
                 XEN_DOMINF_hap,
    };
    struct ctrl_dominfo out;

    ctrl_dominfo_decode(&in, &out);
    assert_true(out.shutdown);
    assert_false(out.crashed);
    assert_int_equal(out.shutdown_reason, SHUTDOWN_reboot);

    /* A crash shows as crashed, not shut down, as xl list expects. */
    in.flags = XEN_DOMINF_shutdown | (SHUTDOWN_crash << XEN_DOMINF_shutdownshift);
    ctrl_dominfo_decode(&in, &out);
    assert_false(out.shutdown);
    assert_true(out.crashed);
    assert_int_equal(out.shutdown_reason, SHUTDOWN_crash);

    /* The reason is only 8 bits: higher bits must not leak into it. */
    in.flags = XEN_DOMINF_shutdown | (0x1ffu << XEN_DOMINF_shutdownshift);
    ctrl_dominfo_decode(&in, &out);
    assert_int_equal(out.shutdown_reason, 0xff);
}

static void reply_two_domains(struct fake *f, struct call *c, const uint64_t args[5])
{
    struct xen_sysctl *s = reply_sysctl(args);
    struct xen_domctl_getdomaininfo *list = (void *)(uintptr_t)s->u.getdomaininfolist.buffer.q;

    list[0] = (struct xen_domctl_getdomaininfo){ .domain = 0, .flags = XEN_DOMINF_running };
    list[1] = (struct xen_domctl_getdomaininfo){ .domain = 3, .flags = XEN_DOMINF_paused,
                                                 .tot_pages = 77 };
    s->u.getdomaininfolist.num_domains = 2;
}

static void test_getinfo_list(void **state)
{
    struct ctrl_dominfo out[4];

    fake.reply = reply_two_domains;
    assert_int_equal(ctrl_domain_getinfo(*state, 0, 4, out), 2);
    assert_int_equal(fake.calls[0].op, __HYPERVISOR_sysctl);
    assert_int_equal(fake.calls[0].sysctl.cmd, XEN_SYSCTL_getdomaininfolist);
    assert_int_equal(fake.calls[0].sysctl.interface_version, 0x15);
    assert_int_equal(fake.calls[0].sysctl.u.getdomaininfolist.first_domain, 0);
    assert_int_equal(fake.calls[0].sysctl.u.getdomaininfolist.max_domains, 4);
    assert_true(fake.calls[0].sysctl.u.getdomaininfolist.buffer.q != 0);
    assert_int_equal(out[0].domid, 0);
    assert_true(out[0].running);
    assert_int_equal(out[1].domid, 3);
    assert_true(out[1].paused);
    assert_int_equal(out[1].tot_pages, 77);
}

static void reply_too_many(struct fake *f, struct call *c, const uint64_t args[5])
{
    reply_sysctl(args)->u.getdomaininfolist.num_domains = 5;
}

static void test_getinfo_distrusts_count(void **state)
{
    struct ctrl_dominfo out[2];

    fake.reply = reply_too_many;
    assert_int_equal(ctrl_domain_getinfo(*state, 1, 2, out), -EIO);
    assert_int_equal(ctrl_domain_getinfo(*state, 1, 0, out), 0);
    assert_int_equal(ctrl_domain_getinfo(*state, 1, 2, NULL), -EINVAL);
    assert_int_equal(fake.nr_calls, 1);
}

/* ---- scheduler ---- */

static void reply_credit(struct fake *f, struct call *c, const uint64_t args[5])
{
    reply_domctl(args)->u.scheduler_op.u.credit.weight = 512;
    reply_domctl(args)->u.scheduler_op.u.credit.cap = 50;
}

static void test_sched_credit(void **state)
{
    unsigned int w = 0, cap = 0;

    assert_int_equal(ctrl_sched_credit_set(*state, 4, 1024, 25), 0);
    const struct xen_domctl_scheduler_op *op = &fake.calls[0].domctl.u.scheduler_op;
    assert_int_equal(fake.calls[0].domctl.cmd, XEN_DOMCTL_scheduler_op);
    assert_int_equal(op->sched_id, XEN_SCHEDULER_CREDIT);
    assert_int_equal(op->cmd, XEN_DOMCTL_SCHEDOP_putinfo);
    assert_int_equal(op->u.credit.weight, 1024);
    assert_int_equal(op->u.credit.cap, 25);

    fake.reply = reply_credit;
    assert_int_equal(ctrl_sched_credit_get(*state, 4, &w, &cap), 0);
    assert_int_equal(fake.calls[1].domctl.u.scheduler_op.cmd, XEN_DOMCTL_SCHEDOP_getinfo);
    assert_int_equal(w, 512);
    assert_int_equal(cap, 50);

    assert_int_equal(ctrl_sched_credit_set(*state, 4, 0, 0), -EINVAL);
    assert_int_equal(ctrl_sched_credit_set(*state, 4, 65536, 0), -EINVAL);
    assert_int_equal(ctrl_sched_credit_set(*state, 4, 256, 65536), -EINVAL);
    assert_int_equal(fake.nr_calls, 2);
}

/* ---- memory, params, event channels ---- */

static void test_populate_batches(void **state)
{
    static uint64_t gfns[1000];

    for ( unsigned int i = 0; i < 1000; i++ )
        gfns[i] = 0x100 + i;
    assert_int_equal(ctrl_populate_physmap(*state, 6, gfns, 1000), 0);
    assert_int_equal(fake.nr_calls, 2);
    for ( unsigned int i = 0; i < 2; i++ )
    {
        const struct call *c = &fake.calls[i];

        assert_int_equal(c->op, __HYPERVISOR_memory_op);
        assert_int_equal(c->args[0], XENMEM_populate_physmap);
        assert_int_equal(c->u.resv.domid, 6);
        assert_int_equal(c->u.resv.extent_order, 0);
        assert_int_equal(c->u.resv.nr_extents, i == 0 ? 512 : 488);
    }
    assert_int_equal(fake.calls[0].gfns[0], 0x100);
    assert_int_equal(fake.calls[0].gfns[511], 0x100 + 511);
    assert_int_equal(fake.calls[1].gfns[0], 0x100 + 512);
    assert_int_equal(fake.calls[1].gfns[487], 0x100 + 999);
}

static void test_populate_partial_is_enomem(void **state)
{
    uint64_t gfns[4] = { 1, 2, 3, 4 };

    fake.populate_short_by = 1;
    assert_int_equal(ctrl_populate_physmap(*state, 6, gfns, 4), -ENOMEM);
    assert_int_equal(ctrl_populate_physmap(*state, 6, gfns, 0), 0);
    assert_int_equal(ctrl_populate_physmap(*state, 6, NULL, 4), -EINVAL);
    assert_int_equal(fake.nr_calls, 1);
}

static void reply_param(struct fake *f, struct call *c, const uint64_t args[5])
{
    ((struct xen_hvm_param *)(uintptr_t)args[1])->value = 0xfeffc;
}

static void test_hvm_params(void **state)
{
    uint64_t v = 0;

    assert_int_equal(ctrl_hvm_param_set(*state, 3, HVM_PARAM_STORE_EVTCHN, 12), 0);
    assert_int_equal(fake.calls[0].op, __HYPERVISOR_hvm_op);
    assert_int_equal(fake.calls[0].args[0], HVMOP_set_param);
    assert_int_equal(fake.calls[0].u.param.domid, 3);
    assert_int_equal(fake.calls[0].u.param.index, HVM_PARAM_STORE_EVTCHN);
    assert_int_equal(fake.calls[0].u.param.value, 12);

    fake.reply = reply_param;
    assert_int_equal(ctrl_hvm_param_get(*state, 3, HVM_PARAM_STORE_PFN, &v), 0);
    assert_int_equal(fake.calls[1].args[0], HVMOP_get_param);
    assert_int_equal(fake.calls[1].u.param.index, HVM_PARAM_STORE_PFN);
    assert_int_equal(v, 0xfeffc);

    assert_int_equal(ctrl_hvm_param_set(*state, 3, HVM_NR_PARAMS, 1), -EINVAL);
    assert_int_equal(ctrl_hvm_param_get(*state, 3, 1, NULL), -EINVAL);
    assert_int_equal(fake.nr_calls, 2);
}

static void reply_port(struct fake *f, struct call *c, const uint64_t args[5])
{
    ((struct evtchn_alloc_unbound *)(uintptr_t)args[1])->port = 17;
}

static void test_evtchn_alloc_unbound(void **state)
{
    uint32_t port = 0;

    fake.reply = reply_port;
    assert_int_equal(ctrl_evtchn_alloc_unbound(*state, 5, 0, &port), 0);
    assert_int_equal(port, 17);
    assert_int_equal(fake.calls[0].op, __HYPERVISOR_event_channel_op);
    assert_int_equal(fake.calls[0].args[0], EVTCHNOP_alloc_unbound);
    assert_int_equal(fake.calls[0].u.unbound.dom, 5);
    assert_int_equal(fake.calls[0].u.unbound.remote_dom, 0);
    assert_int_equal(ctrl_evtchn_alloc_unbound(*state, 5, 0, NULL), -EINVAL);
}

/* ---- vCPUs ---- */

static void test_vcpu_start_pvh(void **state)
{
    assert_int_equal(ctrl_vcpu_start_pvh(*state, 8, 0x1000000, 0x2345000), 0);
    const struct call *c = &fake.calls[0];
    const struct vcpu_hvm_x86_32 *r = &c->vcpu.cpu_regs.x86_32;

    assert_int_equal(c->domctl.cmd, XEN_DOMCTL_setvcpucontext);
    assert_int_equal(c->domctl.domain, 8);
    assert_int_equal(c->domctl.u.vcpucontext.vcpu, 0);
    assert_int_equal(c->vcpu.mode, VCPU_HVM_MODE_32B);
    assert_int_equal(r->eip, 0x1000000);
    assert_int_equal(r->ebx, 0x2345000);
    assert_int_equal(r->cr0, 0x11);           /* PE | ET, paging off */
    assert_int_equal(r->cr4, 0);
    assert_int_equal(r->eflags, 0x2);
    assert_int_equal(r->cs_ar, 0xc9b);
    assert_int_equal(r->ds_ar, 0xc93);
    assert_int_equal(r->ss_ar, 0xc93);
    assert_int_equal(r->es_ar, 0xc93);
    assert_int_equal(r->cs_base, 0);
    assert_int_equal(r->cs_limit, 0xffffffff);
    assert_int_equal(r->ss_limit, 0xffffffff);
    assert_int_equal(r->tr_ar, 0x8b);

    /* Never dom0's, never a reserved id. */
    assert_int_equal(ctrl_vcpu_start_pvh(*state, 0, 0x1000000, 0), -EINVAL);
    assert_int_equal(ctrl_vcpu_start_pvh(*state, DOMID_SELF, 0x1000000, 0), -EINVAL);
    assert_int_equal(fake.nr_calls, 1);
}

static void reply_vcpuinfo(struct fake *f, struct call *c, const uint64_t args[5])
{
    struct xen_domctl *d = reply_domctl(args);

    d->u.getvcpuinfo.online = 1;
    d->u.getvcpuinfo.running = 1;
    d->u.getvcpuinfo.cpu_time = 5000000000ull;
    d->u.getvcpuinfo.cpu = 3;
}

static void test_vcpu_getinfo(void **state)
{
    struct ctrl_vcpuinfo vi;

    fake.reply = reply_vcpuinfo;
    assert_int_equal(ctrl_vcpu_getinfo(*state, 2, 1, &vi), 0);
    assert_int_equal(fake.calls[0].domctl.cmd, XEN_DOMCTL_getvcpuinfo);
    assert_int_equal(fake.calls[0].domctl.u.getvcpuinfo.vcpu, 1);
    assert_true(vi.online);
    assert_true(vi.running);
    assert_false(vi.blocked);
    assert_int_equal(vi.cpu_time_ns, 5000000000ull);
    assert_int_equal(vi.cpu, 3);
}

/* ---- sysctl ---- */

static void reply_physinfo(struct fake *f, struct call *c, const uint64_t args[5])
{
    struct xen_sysctl_physinfo *p = &reply_sysctl(args)->u.physinfo;

    p->nr_cpus = 4;
    p->threads_per_core = 2;
    p->cores_per_socket = 2;
    p->nr_nodes = 1;
    p->max_cpu_id = 7;
    p->cpu_khz = 2400000;
    p->total_pages = 1 << 20;
    p->free_pages = 1 << 18;
    p->hw_cap[0] = 0x178bfbff;
    p->hw_cap[7] = 0xdeadbeef;
}

static void test_physinfo(void **state)
{
    struct ctrl_physinfo pi;

    fake.reply = reply_physinfo;
    assert_int_equal(ctrl_physinfo(*state, &pi), 0);
    assert_int_equal(fake.calls[0].sysctl.cmd, XEN_SYSCTL_physinfo);
    assert_int_equal(pi.nr_cpus, 4);
    assert_int_equal(pi.threads_per_core, 2);
    assert_int_equal(pi.cores_per_socket, 2);
    assert_int_equal(pi.nr_nodes, 1);
    assert_int_equal(pi.max_cpu_id, 7);
    assert_int_equal(pi.cpu_khz, 2400000);
    assert_int_equal(pi.total_pages, 1 << 20);
    assert_int_equal(pi.free_pages, 1 << 18);
    assert_int_equal(pi.hw_cap[0], 0x178bfbff);
    assert_int_equal(pi.hw_cap[7], 0xdeadbeef);
}

static void reply_console(struct fake *f, struct call *c, const uint64_t args[5])
{
    struct xen_sysctl_readconsole *rc = &reply_sysctl(args)->u.readconsole;

    memcpy((void *)(uintptr_t)rc->buffer.q, "hello", 5);
    rc->count = 5;
    rc->index += 5;
}

static void reply_console_overlong(struct fake *f, struct call *c, const uint64_t args[5])
{
    reply_sysctl(args)->u.readconsole.count += 1;
}

static void test_readconsole(void **state)
{
    char buf[64];
    size_t len = sizeof(buf);

    fake.reply = reply_console;
    assert_int_equal(ctrl_readconsole(*state, buf, &len, true, NULL), 0);
    assert_int_equal(len, 5);
    assert_memory_equal(buf, "hello", 5);
    assert_int_equal(fake.calls[0].sysctl.cmd, XEN_SYSCTL_readconsole);
    assert_int_equal(fake.calls[0].sysctl.u.readconsole.clear, 1);
    assert_int_equal(fake.calls[0].sysctl.u.readconsole.incremental, 0);
    assert_int_equal(fake.calls[0].sysctl.u.readconsole.count, 64);

    /* Incremental: the index goes in and comes back advanced. */
    uint32_t index = 100;
    len = sizeof(buf);
    assert_int_equal(ctrl_readconsole(*state, buf, &len, false, &index), 0);
    assert_int_equal(fake.calls[1].sysctl.u.readconsole.incremental, 1);
    assert_int_equal(fake.calls[1].sysctl.u.readconsole.index, 100);
    assert_int_equal(index, 105);

    fake.reply = reply_console_overlong;
    len = sizeof(buf);
    assert_int_equal(ctrl_readconsole(*state, buf, &len, false, NULL), -EIO);
    assert_int_equal(len, sizeof(buf));
    len = 0;
    assert_int_equal(ctrl_readconsole(*state, buf, &len, false, NULL), -EINVAL);
}

/* ---- plumbing ---- */

static void test_raw_hypercall_and_hbuf(void **state)
{
    uint8_t *p;

    assert_int_equal(ctrl_hypercall(*state, 17, 1, 2, 3, 4, 5), 0);
    assert_int_equal(fake.calls[0].op, 17);
    assert_int_equal(fake.calls[0].args[4], 5);
    assert_int_equal(ctrl_hypercall(NULL, 17, 0, 0, 0, 0, 0), -EINVAL);

    p = ctrl_hbuf_alloc(5000);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % CTRL_PAGE_SIZE, 0);
    for ( unsigned int i = 0; i < 8192; i++ )
        assert_int_equal(p[i], 0);
    ctrl_hbuf_free(p, 5000);
}

static void test_map_foreign_validates(void **state)
{
    uint64_t gfn = 1;

    errno = 0;
    assert_null(ctrl_map_foreign(*state, 1, 3, NULL, NULL, 1));
    assert_int_equal(errno, EINVAL);
    assert_null(ctrl_map_foreign(*state, 1, 3, &gfn, NULL, 0));
    assert_int_equal(ctrl_unmap_foreign(NULL, 1), -EINVAL);
}

/*
 * The ioctl numbers, worked out by hand from Linux's _IOC(_IOC_NONE, type,
 * nr, size) = size << 16 | type << 8 | nr, with the kernel's struct sizes
 * (privcmd_hypercall 48 bytes, privcmd_mmapbatch_v2 32, evtchn args 4/8).
 */
static void test_linux_ioctl_numbers(void **state)
{
    assert_int_equal(sizeof(struct tn_privcmd_hypercall), 48);
    assert_int_equal(sizeof(struct tn_privcmd_mmapbatch_v2), 32);
    assert_int_equal(TN_IOCTL_PRIVCMD_HYPERCALL, 0x00305000);
    assert_int_equal(TN_IOCTL_PRIVCMD_MMAPBATCH_V2, 0x00205004);
    assert_int_equal(TN_IOCTL_EVTCHN_BIND_VIRQ, 0x00044500);
    assert_int_equal(TN_IOCTL_EVTCHN_BIND_INTERDOMAIN, 0x00084501);
    assert_int_equal(TN_IOCTL_EVTCHN_BIND_UNBOUND_PORT, 0x00044502);
    assert_int_equal(TN_IOCTL_EVTCHN_UNBIND, 0x00044503);
    assert_int_equal(TN_IOCTL_EVTCHN_NOTIFY, 0x00044504);
}

/* ---- /dev/xen/evtchn, with a socket in the device's place ---- */

static void test_evtchn_device_reads_and_writes(void **state)
{
    int sv[2];
    uint32_t port = 0;
    struct evtchn_handle *e;

    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
    e = evtchn_open_fd(sv[0]);
    assert_non_null(e);
    assert_int_equal(evtchn_fd(e), sv[0]);

    /* Nothing fired yet. */
    assert_int_equal(evtchn_pending(e), -EAGAIN);

    /* The driver reports fired ports as 32-bit numbers, one read each. */
    uint32_t fired[2] = { 7, 40 };
    assert_int_equal(write(sv[1], fired, sizeof(fired)), sizeof(fired));
    assert_int_equal(evtchn_pending(e), 7);
    assert_int_equal(evtchn_pending(e), 40);
    assert_int_equal(evtchn_pending(e), -EAGAIN);

    /* Unmasking writes the port number back. */
    assert_int_equal(evtchn_unmask(e, 7), 0);
    assert_int_equal(read(sv[1], &port, sizeof(port)), sizeof(port));
    assert_int_equal(port, 7);

    /* A partial port number is a broken device, not a port. */
    assert_int_equal(write(sv[1], "\1\0", 2), 2);
    assert_int_equal(evtchn_pending(e), -EIO);

    /* Bad arguments stop before the device; the device's refusals come back as -errno. */
    assert_int_equal(evtchn_bind_virq(e, NR_VIRQS), -EINVAL);
    assert_int_equal(evtchn_bind_virq(e, VIRQ_DOM_EXC), -ENOTTY);
    assert_int_equal(evtchn_notify(NULL, 1), -EINVAL);
    assert_int_equal(evtchn_pending(NULL), -EINVAL);

    evtchn_close(e);
    close(sv[1]);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_create_fills_pvh_config),
        T(test_create_passes_limits),
        T(test_create_rejects_bad_args),
        T(test_create_refuses_reserved_domid_reply),
        T(test_hypercall_error_propagates),
        T(test_lifecycle_commands),
        T(test_max_mem_and_vcpus),
        T(test_shutdown_is_remote_sched_op),
        T(test_dominfo_decode_flags),
        T(test_dominfo_decode_shutdown_reasons),
        T(test_getinfo_list),
        T(test_getinfo_distrusts_count),
        T(test_sched_credit),
        T(test_populate_batches),
        T(test_populate_partial_is_enomem),
        T(test_hvm_params),
        T(test_evtchn_alloc_unbound),
        T(test_vcpu_start_pvh),
        T(test_vcpu_getinfo),
        T(test_physinfo),
        T(test_readconsole),
        T(test_raw_hypercall_and_hbuf),
        T(test_map_foreign_validates),
        T(test_linux_ioctl_numbers),
        cmocka_unit_test(test_evtchn_device_reads_and_writes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

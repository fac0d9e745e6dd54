/* SPDX-License-Identifier: GPL-2.0 */
/*
 * __HYPERVISOR_domctl: the control domain's toolstack creates, builds,
 * pauses, inspects and destroys other domains.  Only the control domain
 * reaches this (the hypercall table refuses everyone else with -EPERM), but
 * every value is still checked: a buggy toolstack must not bring the
 * hypervisor down.  A domain created here is the toolstack's: it stays
 * after shutting down until destroyed, as xl's on_poweroff etc. decide.
 */
#include <xen/cpupool.h>
#include <xen/domctl.h>
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <public/domctl.h>
#include <public/sched.h>

#define DOMCTL_MAX_EVTCHN_PORTS 4096    /* the 2-level ABI's ceiling */
#define DOMCTL_MAX_GRANT_FRAMES 64

void domctl_fill_info(const struct domain_info *in,
                      struct xen_domctl_getdomaininfo *out)
{
    memset(out, 0, sizeof(*out));
    out->domain = in->domid;
    out->flags = XEN_DOMINF_hvm_guest | XEN_DOMINF_hap;
    if ( in->state == DOMAIN_DYING || in->state == DOMAIN_DEAD )
        out->flags |= XEN_DOMINF_dying;
    if ( in->state == DOMAIN_SHUTDOWN || in->state == DOMAIN_CRASHED )
        out->flags |= XEN_DOMINF_shutdown |
                      (in->shutdown_reason << XEN_DOMINF_shutdownshift);
    if ( in->paused )
        out->flags |= XEN_DOMINF_paused;
    if ( in->blocked )
        out->flags |= XEN_DOMINF_blocked;
    if ( in->running )
        out->flags |= XEN_DOMINF_running;
    out->tot_pages = in->tot_pages;
    out->max_pages = in->max_pages;
    out->cpu_time = in->cpu_time;
    out->nr_online_vcpus = in->nr_online_vcpus;
    out->max_vcpu_id = in->max_vcpu_id;
    memcpy(out->handle, in->handle, sizeof(out->handle));
    out->gpaddr_bits = 48;
    out->arch_config.emulation_flags = XEN_X86_EMU_LAPIC;
}

static bool create_config_valid(const struct xen_domctl_createdomain *c)
{
    const uint32_t known = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;

    /* PVH/HVM with nested paging only: Tonnerre has no PV or shadow mode. */
    if ( (c->flags & ~known) || c->flags != known )
        return false;
    if ( !c->max_vcpus || c->max_vcpus > DOMAIN_MAX_VCPUS )
        return false;
    if ( c->max_evtchn_port >= DOMCTL_MAX_EVTCHN_PORTS )
        return false;
    if ( c->max_grant_frames > DOMCTL_MAX_GRANT_FRAMES ||
         c->max_maptrack_frames > DOMCTL_MAX_GRANT_FRAMES )
        return false;
    if ( c->arch.emulation_flags & ~XEN_X86_EMU_LAPIC )
        return false;       /* no emulated platform devices yet */
    return true;
}

static long create_domain(struct xen_domctl *op)
{
    const struct xen_domctl_createdomain *c = &op->u.createdomain;
    domid_t want = op->domain;
    struct domain *d;
    int rc;

    if ( !create_config_valid(c) )
        return -EINVAL;
    if ( !cpupool_can_hold_domains(c->cpupool_id) )
        return -ENOENT;                         /* as Xen: no such pool */
    if ( want == 0 || want >= DOMID_FIRST_RESERVED )
        want = DOMID_FIRST_RESERVED;            /* "pick one" */
    if ( !(d = domain_create(want, c->max_vcpus, false, &rc)) )
        return rc;
    d->created_by_toolstack = true;
    d->preserve_on_shutdown = d->preserve_on_crash = true;
    memcpy(d->handle, c->handle, sizeof(d->handle));
    d->max_evtchn_ports = c->max_evtchn_port ? c->max_evtchn_port + 1 : 0;
    d->max_grant_frames = c->max_grant_frames > 0 ? c->max_grant_frames : 0;
    rc = arch_domain_init(d);
    if ( !rc )
        rc = sched_add_domain(d, CSCHED_DEFAULT_WEIGHT, 0);
    if ( !rc )
        rc = arch_vcpus_init(d);
    if ( rc )
    {
        domain_kill(d);
        domain_destroy(d);
        return rc;
    }
    op->domain = d->domain_id;
    printk("Domain %u created by the toolstack: %u vCPU%s\n", d->domain_id,
           d->max_vcpus, d->max_vcpus == 1 ? "" : "s");
    return 0;
}

/* The next domain with an id >= op->domain, as Xen answers getdomaininfo. */
static long get_domain_info(struct xen_domctl *op)
{
    struct domain_info info;

    if ( domain_info_list(op->domain, &info, 1) != 1 )
        return -ESRCH;
    domctl_fill_info(&info, &op->u.getdomaininfo);
    op->domain = info.domid;
    return 0;
}

static long set_vcpu_context(struct hypercall_ctx *ctx, struct domain *d,
                             const struct xen_domctl_vcpucontext *vc)
{
    struct vcpu *v;
    long rc;

    if ( vc->vcpu >= d->max_vcpus )
        return -EINVAL;
    if ( d->state != DOMAIN_CREATED && d->state != DOMAIN_PAUSED )
        return -EBUSY;      /* only a stopped domain's registers change */
    v = d->vcpus[vc->vcpu];
    rc = arch_vcpu_initialise(ctx, v, vc->ctxt.q);
    if ( !rc )
        v->is_up = true;
    return rc;
}

static long get_vcpu_info(struct domain *d, struct xen_domctl_getvcpuinfo *vi)
{
    struct vcpu_runstate_info rs;
    struct vcpu *v;

    if ( vi->vcpu >= d->max_vcpus )
        return -EINVAL;
    v = d->vcpus[vi->vcpu];
    vcpu_runstate_get(v, &rs);
    vi->online = v->is_up;
    vi->blocked = rs.state == RUNSTATE_blocked;
    vi->running = rs.state == RUNSTATE_running;
    vi->cpu_time = rs.time[RUNSTATE_running];
    vi->cpu = v->processor;
    return 0;
}

static long scheduler_op(struct domain *d, struct xen_domctl_scheduler_op *s)
{
    if ( s->sched_id != XEN_SCHEDULER_CREDIT )
        return -EINVAL;
    switch ( s->cmd )
    {
    case XEN_DOMCTL_SCHEDOP_getinfo:
        s->u.credit.weight = d->sched.weight;
        s->u.credit.cap = d->sched.cap;
        return 0;
    case XEN_DOMCTL_SCHEDOP_putinfo:
        /* As xl: a zero weight leaves the weight as it is. */
        return sched_set_params(d, s->u.credit.weight ?: d->sched.weight,
                                s->u.credit.cap);
    default:
        return -EINVAL;
    }
}

static long max_mem(struct domain *d, uint64_t kib)
{
    uint64_t pages = kib >> (PAGE_SHIFT - 10);

    if ( pages > ~0UL >> 1 )
        return -EINVAL;
    return domain_set_max_pages(d, pages);
}

/*
 * vCPU affinity (libxl sets it for every new domain; xl vcpu-pin).  Our
 * scheduler runs every vCPU on every CPU of pool 0, so the one hard
 * affinity it keeps is all of them: that set is taken, a set without any
 * CPU refused as Xen refuses it (-EINVAL), and pinning to fewer declined
 * (-EOPNOTSUPP).  Soft affinity is a preference: taken and reported back
 * as Xen reports it (within the pool's CPUs), not acted on.
 */
static long vcpu_affinity(struct hypercall_ctx *ctx, struct domain *d, uint32_t cmd,
                          struct xen_domctl_vcpuaffinity *a)
{
    bool hard = a->flags & XEN_VCPUAFFINITY_HARD, soft = a->flags & XEN_VCPUAFFINITY_SOFT;
    cpumap_t online, want, none;
    long rc = 0;

    if ( a->vcpu >= d->max_vcpus )
        return -EINVAL;
    if ( !d->vcpus[a->vcpu] )
        return -ESRCH;
    if ( !a->flags || (hard && !a->cpumap_hard.bitmap.q) || (soft && !a->cpumap_soft.bitmap.q) )
        return -EINVAL;
    cpumap_online(&online);
    memset(&none, 0, sizeof(none));
    if ( cmd == XEN_DOMCTL_getvcpuaffinity )
    {
        if ( hard )
            rc = cpumap_to_guest(ctx, &a->cpumap_hard, &online);
        if ( !rc && soft )
            rc = cpumap_to_guest(ctx, &a->cpumap_soft, &online);
        return rc;
    }
    if ( hard )
    {
        if ( (rc = cpumap_from_guest(ctx, &a->cpumap_hard, &want)) )
            return rc;
        if ( !memcmp(&want, &none, sizeof(want)) )
            return -EINVAL;
        if ( memcmp(&want, &online, sizeof(want)) )
            return -EOPNOTSUPP;
        if ( (rc = cpumap_to_guest(ctx, &a->cpumap_hard, &online)) )
            return rc;
    }
    if ( soft )
    {
        if ( (rc = cpumap_from_guest(ctx, &a->cpumap_soft, &want)) )
            return rc;
        rc = cpumap_to_guest(ctx, &a->cpumap_soft, &want);
    }
    return rc;
}

/* NUMA node affinity: there is one node, 0; a set without it is refused. */
static long node_affinity(struct hypercall_ctx *ctx, uint32_t cmd,
                          struct xen_domctl_nodeaffinity *a)
{
    uint8_t first = 0;

    if ( cmd == XEN_DOMCTL_getnodeaffinity )
    {
        cpumap_t node0;

        memset(&node0, 0, sizeof(node0));
        node0.bytes[0] = 1;
        return cpumap_to_guest(ctx, &a->nodemap, &node0);
    }
    if ( a->nodemap.nr_bits && copy_from_guest(ctx, &first, a->nodemap.bitmap.q, 1) )
        return -EFAULT;
    return (first & 1) ? 0 : -EINVAL;
}

/*
 * The guest's TSC: always the host's, never emulated or scaled.  Default
 * and native are both that; always-emulate we decline; other modes are
 * unknown to Xen as well.
 */
static long set_tsc_info(const struct xen_domctl_tsc_info *t)
{
    if ( t->tsc_mode > 2 )
        return -EINVAL;
    if ( t->tsc_mode == 1 || t->gtsc_khz )
        return -EOPNOTSUPP;
    return 0;
}

/*
 * What the toolstack may do to the control domain itself: look at it and
 * tune it, never stop, rebuild or destroy it.
 */
static bool allowed_on_control_domain(uint32_t cmd)
{
    return cmd == XEN_DOMCTL_getvcpuinfo || cmd == XEN_DOMCTL_scheduler_op ||
           cmd == XEN_DOMCTL_max_mem || cmd == XEN_DOMCTL_setvcpuaffinity ||
           cmd == XEN_DOMCTL_getvcpuaffinity || cmd == XEN_DOMCTL_getnodeaffinity;
}

/* Commands on an existing domain. */
static long domain_command(struct hypercall_ctx *ctx, struct xen_domctl *op,
                           bool *copy_back)
{
    struct domain *d = domain_lookup(op->domain);

    if ( !d )
        return -ESRCH;
    if ( (d == ctx->domain || d->is_privileged) &&
         !allowed_on_control_domain(op->cmd) )
        return -EINVAL;
    switch ( op->cmd )
    {
    case XEN_DOMCTL_destroydomain:
        return domain_destroy_later(d);
    case XEN_DOMCTL_pausedomain:
        return domain_pause(d);
    case XEN_DOMCTL_unpausedomain:
        return domain_unpause(d);
    case XEN_DOMCTL_max_mem:
        return max_mem(d, op->u.max_mem.max_memkb);
    case XEN_DOMCTL_max_vcpus:
        return op->u.max_vcpus.max == d->max_vcpus ? 0 : -EINVAL;
    case XEN_DOMCTL_setvcpucontext:
        return set_vcpu_context(ctx, d, &op->u.vcpucontext);
    case XEN_DOMCTL_getvcpuinfo:
        *copy_back = true;
        return get_vcpu_info(d, &op->u.getvcpuinfo);
    case XEN_DOMCTL_scheduler_op:
        *copy_back = true;
        return scheduler_op(d, &op->u.scheduler_op);
    case XEN_DOMCTL_setdomainhandle:
        memcpy(d->handle, op->u.setdomainhandle.handle, sizeof(d->handle));
        return 0;
    case XEN_DOMCTL_setvcpuaffinity:
    case XEN_DOMCTL_getvcpuaffinity:
        return vcpu_affinity(ctx, d, op->cmd, &op->u.vcpuaffinity);
    case XEN_DOMCTL_setnodeaffinity:
    case XEN_DOMCTL_getnodeaffinity:
        return node_affinity(ctx, op->cmd, &op->u.nodeaffinity);
    case XEN_DOMCTL_settscinfo:
        return set_tsc_info(&op->u.tsc_info);
    case XEN_DOMCTL_set_paging_mempool_size:
        /* Whole pages, and a page count that fits 32 bits, as Xen asks. */
        if ( (op->u.paging_mempool.size & (PAGE_SIZE - 1)) ||
             (op->u.paging_mempool.size >> PAGE_SHIFT) > UINT32_MAX )
            return -EINVAL;
        d->paging_mempool_bytes = op->u.paging_mempool.size;
        return 0;
    case XEN_DOMCTL_get_paging_mempool_size:
        op->u.paging_mempool.size = d->paging_mempool_bytes;
        *copy_back = true;
        return 0;
    default:
        return -EOPNOTSUPP;
    }
}

long do_domctl(struct hypercall_ctx *ctx, const uint64_t *args)
{
    struct xen_domctl op;
    bool copy_back = false;
    long rc;

    if ( !ctx->domain )
        return -ESRCH;
    if ( copy_from_guest(ctx, &op, args[0], sizeof(op)) )
        return -EFAULT;
    if ( op.interface_version != XEN_DOMCTL_INTERFACE_VERSION )
        return -EACCES;
    switch ( op.cmd )
    {
    case XEN_DOMCTL_createdomain:
        rc = create_domain(&op);
        copy_back = !rc;
        break;
    case XEN_DOMCTL_getdomaininfo:
        rc = get_domain_info(&op);
        copy_back = !rc;
        break;
    default:
        rc = domain_command(ctx, &op, &copy_back);
        break;
    }
    if ( copy_back && copy_to_guest(ctx, args[0], &op, sizeof(op)) )
        return -EFAULT;
    return rc;
}

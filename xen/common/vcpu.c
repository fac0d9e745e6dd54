/* SPDX-License-Identifier: GPL-2.0 */
/*
 * __HYPERVISOR_vcpu_op: a domain's vCPUs brought up and down, their
 * timers (each fires VIRQ_TIMER on its vCPU), and their runstate.  The
 * register state a vCPU starts from is the arch code's business
 * (arch_vcpu_initialise); everything else here is common.
 */
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <xen/timer.h>
#include <public/vcpu.h>
#include <public/xen.h>
#include <asm/time.h>

/* Xen refuses periodic timers faster than this: they would swamp a CPU. */
#define MIN_PERIOD_NS 1000000LL
#define TIME_MAX      ((s_time_t)0x7fffffffffffffffLL)

static void singleshot_fired(void *data)
{
    struct vcpu *v = data;

    send_guest_virq(v->domain, v->vcpu_id, VIRQ_TIMER);
}

static void periodic_fired(void *data)
{
    struct vcpu *v = data;
    s_time_t next;

    send_guest_virq(v->domain, v->vcpu_id, VIRQ_TIMER);
    if ( !v->periodic_period )
        return;
    /* Skip the ticks missed while the CPU was busy rather than burst them. */
    next = v->periodic_timer.expires + v->periodic_period;
    if ( next <= NOW() )
        next = NOW() + v->periodic_period;
    set_timer(&v->periodic_timer, next);
}

void vcpu_timers_init(struct vcpu *v, unsigned int cpu)
{
    init_timer(&v->singleshot_timer, singleshot_fired, v, cpu);
    init_timer(&v->periodic_timer, periodic_fired, v, cpu);
}

static long set_singleshot(struct hypercall_ctx *ctx, struct vcpu *v, uint64_t arg)
{
    struct vcpu_set_singleshot_timer op;

    if ( v != ctx->vcpu )
        return -EINVAL;             /* only a vCPU's own timer, as in Xen */
    if ( copy_from_guest(ctx, &op, arg, sizeof(op)) )
        return -EFAULT;
    if ( (op.flags & VCPU_SSHOTTMR_future) &&
         (s_time_t)op.timeout_abs_ns < NOW() )
        return -ETIME;
    /* A time far beyond any sane horizon is clamped, not trusted blindly. */
    if ( (int64_t)op.timeout_abs_ns < 0 )
        op.timeout_abs_ns = TIME_MAX;
    set_timer(&v->singleshot_timer, op.timeout_abs_ns);
    return 0;
}

static long set_periodic(struct hypercall_ctx *ctx, struct vcpu *v, uint64_t arg)
{
    struct vcpu_set_periodic_timer op;

    if ( copy_from_guest(ctx, &op, arg, sizeof(op)) )
        return -EFAULT;
    if ( op.period_ns < MIN_PERIOD_NS || op.period_ns > (uint64_t)TIME_MAX / 2 )
        return -EINVAL;
    v->periodic_period = op.period_ns;
    set_timer(&v->periodic_timer, NOW() + op.period_ns);
    return 0;
}

static long get_runstate(struct hypercall_ctx *ctx, struct vcpu *v, uint64_t arg)
{
    struct vcpu_runstate_info rs;

    vcpu_runstate_get(v, &rs);
    return copy_to_guest(ctx, arg, &rs, sizeof(rs)) ? -EFAULT : 0;
}

/*
 * The guest wants its runstate mirrored at a virtual address (Linux's
 * steal-time clock reads it).  It is written now and each time the vCPU is
 * put on a CPU; 0 unregisters.
 */
static long register_runstate_area(struct hypercall_ctx *ctx, struct vcpu *v,
                                   uint64_t arg)
{
    struct vcpu_register_runstate_memory_area area;
    struct vcpu_runstate_info rs;

    if ( copy_from_guest(ctx, &area, arg, sizeof(area)) )
        return -EFAULT;
    v->runstate_guest = area.addr;
    if ( !area.addr || v != ctx->vcpu )
        return 0;
    vcpu_runstate_get(v, &rs);
    if ( copy_to_guest(ctx, area.addr, &rs, sizeof(rs)) )
    {
        v->runstate_guest = 0;
        return -EFAULT;
    }
    return 0;
}

/*
 * Move v's vcpu_info into a page of the guest's choosing (Linux does this
 * for every vCPU).  Once only, as in Xen.  The old contents come along, and
 * every selector bit is set so the guest rescans for events it missed.
 */
static long register_vcpu_info(struct hypercall_ctx *ctx, struct vcpu *v,
                               uint64_t arg)
{
    struct vcpu_register_vcpu_info info;
    struct vcpu_info *new, *old = v->vcpu_info;
    uint8_t *page;

    if ( copy_from_guest(ctx, &info, arg, sizeof(info)) )
        return -EFAULT;
    if ( info.offset > PAGE_SIZE - sizeof(struct vcpu_info) || info.rsvd )
        return -EINVAL;
    if ( v->vcpu_info_registered )
        return -EINVAL;
    if ( !(page = arch_guest_frame(v->domain, info.mfn)) )
        return -EINVAL;
    new = (struct vcpu_info *)(page + info.offset);
    if ( old )
        memcpy(new, old, sizeof(*new));
    else
        memset(new, 0, sizeof(*new));
    __atomic_store_n(&new->evtchn_pending_sel, ~0ULL, __ATOMIC_SEQ_CST);
    __atomic_store_n(&new->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
    v->vcpu_info = new;
    v->vcpu_info_registered = true;
    arch_evtchn_notify(v);
    return 0;
}

static long vcpu_up(struct vcpu *v)
{
    if ( !v->initialised )
        return -EINVAL;
    if ( !v->is_up )
    {
        v->is_up = true;
        vcpu_wake(v);
    }
    return 0;
}

static long vcpu_down(struct vcpu *v)
{
    v->is_up = false;
    sched_domain_changed(v->domain);
    return 0;
}


long do_vcpu_op(struct hypercall_ctx *ctx, const uint64_t *args)
{
    struct domain *d = ctx->domain;
    uint64_t cmd = args[0], id = args[1], arg = args[2];
    struct vcpu *v;

    if ( !d || !ctx->vcpu )
        return -ESRCH;
    if ( id >= d->max_vcpus || !(v = d->vcpus[id]) )
        return -ENOENT;

    switch ( cmd )
    {
    case VCPUOP_initialise:
        return arch_vcpu_initialise(ctx, v, arg);
    case VCPUOP_up:
        return vcpu_up(v);
    case VCPUOP_down:
        return vcpu_down(v);
    case VCPUOP_is_up:
        return v->is_up;
    case VCPUOP_get_runstate_info:
        return get_runstate(ctx, v, arg);
    case VCPUOP_register_vcpu_info:
        return register_vcpu_info(ctx, v, arg);
    case VCPUOP_register_runstate_memory_area:
        return register_runstate_area(ctx, v, arg);
    case VCPUOP_set_periodic_timer:
        return set_periodic(ctx, v, arg);
    case VCPUOP_stop_periodic_timer:
        v->periodic_period = 0;
        stop_timer(&v->periodic_timer);
        return 0;
    case VCPUOP_set_singleshot_timer:
        return set_singleshot(ctx, v, arg);
    case VCPUOP_stop_singleshot_timer:
        if ( v != ctx->vcpu )
            return -EINVAL;
        stop_timer(&v->singleshot_timer);
        return 0;
    default:
        return -ENOSYS;
    }
}

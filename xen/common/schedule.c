/* SPDX-License-Identifier: GPL-2.0 */
/*
 * __HYPERVISOR_sched_op: yield, block until an event, poll a set of
 * ports with a timeout, shut down.  A hypercall runs to completion: block
 * and poll mark the vCPU blocked and return 0, and the vCPU resumes after
 * its hypercall instruction once woken, as Xen's guests expect.
 */
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/hypercall.h>
#include <xen/sched.h>
#include <public/sched.h>
#include <asm/time.h>

static bool valid_reason(unsigned int reason)
{
    return reason <= SHUTDOWN_soft_reset;
}

static long sched_shutdown(struct hypercall_ctx *ctx, uint64_t arg)
{
    struct sched_shutdown op;

    if ( copy_from_guest(ctx, &op, arg, sizeof(op)) )
        return -EFAULT;
    if ( !valid_reason(op.reason) )
        return -EINVAL;
    if ( !ctx->domain )
        return -ESRCH;
    domain_shutdown(ctx->domain, op.reason);
    return 0;
}

/* Only the control domain may shut another domain down. */
static long sched_remote_shutdown(struct hypercall_ctx *ctx, uint64_t arg)
{
    struct sched_remote_shutdown op;
    struct domain *d;

    if ( !ctx->privileged )
        return -EPERM;
    if ( copy_from_guest(ctx, &op, arg, sizeof(op)) )
        return -EFAULT;
    if ( !valid_reason(op.reason) )
        return -EINVAL;
    if ( !(d = domain_lookup(op.domain_id)) )
        return -ESRCH;
    domain_shutdown(d, op.reason);
    return 0;
}

#define POLL_MAX_PORTS 128    /* as Xen: more is -EINVAL */

/* Any of the poll's ports pending (a port that cannot be read counts). */
static bool poll_ports_pending(struct hypercall_ctx *ctx, struct vcpu *v,
                               const struct sched_poll *op)
{
    evtchn_port_t port;
    unsigned int i;

    for ( i = 0; i < op->nr_ports; i++ )
        if ( copy_from_guest(ctx, &port, op->ports + i * sizeof(port), sizeof(port)) ||
             evtchn_port_pending(v->domain, port) )
            return true;
    return false;
}

static long sched_poll(struct hypercall_ctx *ctx, uint64_t arg)
{
    struct sched_poll op;
    struct vcpu *v = ctx->vcpu;
    evtchn_port_t port = 0;
    unsigned int i;

    if ( !v )
        return -ESRCH;
    if ( copy_from_guest(ctx, &op, arg, sizeof(op)) )
        return -EFAULT;
    if ( op.nr_ports > POLL_MAX_PORTS )
        return -EINVAL;
    /* Check the ports first: a bad one fails the call before any wait. */
    for ( i = 0; i < op.nr_ports; i++ )
    {
        if ( copy_from_guest(ctx, &port, op.ports + i * sizeof(port),
                             sizeof(port)) )
            return -EFAULT;
        if ( evtchn_port_pending(v->domain, port) )
            return 0;
    }
    if ( op.timeout && (s_time_t)op.timeout <= NOW() )
        return 0;
    /* One port: wake only for it; several: any event wakes (and rechecks). */
    v->poll_port = op.nr_ports == 1 ? port : 0;
    __atomic_store_n(&v->polling, true, __ATOMIC_SEQ_CST);
    if ( op.timeout )
        set_timer(&v->singleshot_timer, op.timeout);
    vcpu_block(v);
    /*
     * A port set after the check above but before `polling` was visible
     * found no poller to wake, and a wake between the store and
     * vcpu_block() was undone by it: the vCPU would sleep for good (Linux
     * polls its spinlock kicker, masked, with no timeout).  The sender
     * sets the bit before it looks at `polling`, so looking at the bits
     * again now catches both.
     */
    if ( poll_ports_pending(ctx, v, &op) )
        vcpu_wake(v);
    return 0;
}

static long sched_block(struct hypercall_ctx *ctx)
{
    if ( !ctx->vcpu )
        return -ESRCH;
    vcpu_block(ctx->vcpu);
    return 0;
}

long do_sched_op(struct hypercall_ctx *ctx, const uint64_t *args)
{
    switch ( args[0] )
    {
    case SCHEDOP_yield:
        if ( ctx->vcpu )
            vcpu_yield(ctx->vcpu);
        return 0;
    case SCHEDOP_block:
        return sched_block(ctx);
    case SCHEDOP_poll:
        return sched_poll(ctx, args[1]);
    case SCHEDOP_shutdown:
        return sched_shutdown(ctx, args[1]);
    case SCHEDOP_remote_shutdown:
        return sched_remote_shutdown(ctx, args[1]);
    default:
        return -ENOSYS;
    }
}

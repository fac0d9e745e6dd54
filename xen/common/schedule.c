/* SPDX-License-Identifier: GPL-2.0 */
/*
 * __HYPERVISOR_sched_op.  Shutting down is complete; yield is a hint and
 * returns at once; block and poll need the vCPU run loop and the event
 * channels, and say -ENOSYS until then, as an unknown command would.
 */
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <xen/sched.h>
#include <public/sched.h>

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

long do_sched_op(struct hypercall_ctx *ctx, const uint64_t *args)
{
    switch ( args[0] )
    {
    case SCHEDOP_yield:
        return 0;
    case SCHEDOP_shutdown:
        return sched_shutdown(ctx, args[1]);
    case SCHEDOP_remote_shutdown:
        return sched_remote_shutdown(ctx, args[1]);
    default:
        return -ENOSYS;
    }
}

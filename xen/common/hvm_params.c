/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HVM parameters (__HYPERVISOR_hvm_op set/get param).  Who may do what:
 *  - the control domain may read and write any domain's parameters (the
 *    toolstack places xenstore and console rings for its guests);
 *  - a guest may read its own ring locations and may choose its own
 *    event-upcall method (HVM_PARAM_CALLBACK_IRQ), nothing else;
 *  - indices beyond the table are -EINVAL.
 * The value's meaning (the callback vector, ring frames) is read by the
 * code that uses it; this file only keeps it.
 */
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <xen/sched.h>
#include <public/hvm_params.h>
#include <public/xen.h>

static bool guest_may_read(uint32_t index)
{
    switch ( index )
    {
    case HVM_PARAM_CALLBACK_IRQ:
    case HVM_PARAM_STORE_PFN:
    case HVM_PARAM_STORE_EVTCHN:
    case HVM_PARAM_CONSOLE_PFN:
    case HVM_PARAM_CONSOLE_EVTCHN:
    case HVM_PARAM_PAE_ENABLED:
    case HVM_PARAM_TIMER_MODE:
        return true;
    default:
        return false;
    }
}

static bool guest_may_write(uint32_t index)
{
    return index == HVM_PARAM_CALLBACK_IRQ;
}

static long param_op(struct hypercall_ctx *ctx, uint64_t arg, bool set)
{
    struct xen_hvm_param op;
    struct domain *d;
    bool self;

    if ( !ctx->domain )
        return -ESRCH;
    if ( copy_from_guest(ctx, &op, arg, sizeof(op)) )
        return -EFAULT;
    if ( op.index >= HVM_NR_PARAMS )
        return -EINVAL;
    self = op.domid == DOMID_SELF || op.domid == ctx->domain->domain_id;
    if ( !self && !ctx->privileged )
        return -EPERM;
    if ( !(d = self ? ctx->domain : domain_lookup(op.domid)) )
        return -ESRCH;
    if ( !ctx->privileged &&
         !(set ? guest_may_write(op.index) : guest_may_read(op.index)) )
        return -EPERM;
    if ( set )
    {
        d->hvm_params[op.index] = op.value;
        return 0;
    }
    op.value = d->hvm_params[op.index];
    return copy_to_guest(ctx, arg, &op, sizeof(op)) ? -EFAULT : 0;
}

long do_hvm_op(struct hypercall_ctx *ctx, const uint64_t *args)
{
    switch ( args[0] )
    {
    case HVMOP_set_param:
        return param_op(ctx, args[1], true);
    case HVMOP_get_param:
        return param_op(ctx, args[1], false);
    default:
        return -ENOSYS;
    }
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypercall table.  A hole in the table, or a number beyond it, is
 * -ENOSYS, as Xen answers; a privileged-only call from an unprivileged
 * guest is -EPERM before its handler sees any argument.  A handler may ask
 * to be continued (hypercall_continue(), see xen/hypercall.h).
 */
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <public/xen.h>

struct hypercall_entry {
    hypercall_fn_t fn;
    bool privileged_only;
};

/*
 * platform_op is the control domain's, but Xen reads its argument and
 * checks the interface version (-EFAULT, -EACCES) before the caller's
 * privilege (-EPERM), so the handler checks.  physdev_op is open to all:
 * Xen answers other domains -ENOSYS, not -EPERM.
 */
static const struct hypercall_entry hypercall_table[NR_HYPERCALLS] = {
    [__HYPERVISOR_platform_op] = { do_platform_op, false },
    [__HYPERVISOR_memory_op] = { do_memory_op, false },
    [__HYPERVISOR_xen_version] = { do_xen_version, false },
    [__HYPERVISOR_console_io] = { do_console_io, false },
    [__HYPERVISOR_grant_table_op] = { do_grant_table_op, false },
    [__HYPERVISOR_vcpu_op] = { do_vcpu_op, false },
    [__HYPERVISOR_sched_op] = { do_sched_op, false },
    [__HYPERVISOR_event_channel_op] = { do_event_channel_op, false },
    [__HYPERVISOR_physdev_op] = { do_physdev_op, false },
    [__HYPERVISOR_hvm_op] = { do_hvm_op, false },
    [__HYPERVISOR_sysctl] = { do_sysctl, true },
    [__HYPERVISOR_domctl] = { do_domctl, true },
};

long hypercall_dispatch(struct hypercall_ctx *ctx, uint64_t nr,
                        const uint64_t args[HYPERCALL_MAX_ARGS])
{
    const struct hypercall_entry *e;
    long rc;

    ctx->continued = false;     /* a ctx may be used for several calls */
    if ( nr >= ARRAY_SIZE(hypercall_table) || !hypercall_table[nr].fn )
        return -ENOSYS;
    e = &hypercall_table[nr];
    if ( e->privileged_only && !ctx->privileged )
        return -EPERM;
    rc = e->fn(ctx, args);
    /* Only hypercall_continue()'s value may come with a continuation. */
    ASSERT(!ctx->continued || rc == HYPERCALL_CONTINUATION);
    return rc;
}

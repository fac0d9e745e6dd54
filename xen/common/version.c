/* SPDX-License-Identifier: GPL-2.0 */
/*
 * __HYPERVISOR_xen_version.  Tonnerre reports the Xen interface version it
 * implements (4.17), so guests take the code paths they take on Xen 4.17;
 * its own name and version appear in the extraversion and changeset.
 */
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <xen/param.h>
#include <xen/string.h>
#include <xen/version.h>
#include <asm/page.h>
#include <public/version.h>

#define XEN_ABI_MAJOR 4
#define XEN_ABI_MINOR 17

static long copy_string_out(struct hypercall_ctx *ctx, uint64_t gaddr,
                            const char *s, size_t size)
{
    char buf[1024];

    if ( size > sizeof(buf) )
        return -EINVAL;
    memset(buf, 0, size);
    strlcpy(buf, s, size);
    return copy_to_guest(ctx, gaddr, buf, size) ? -EFAULT : 0;
}

/*
 * What a PVH guest may rely on: the hypervisor translates its physical
 * addresses, delivers events through a callback vector, and keeps a
 * pvclock that is safe to read at any time; dom0 learns it is dom0.
 */
static long get_features(struct hypercall_ctx *ctx, uint64_t arg)
{
    struct xen_feature_info fi;

    if ( copy_from_guest(ctx, &fi, arg, sizeof(fi)) )
        return -EFAULT;
    if ( fi.submap_idx >= XENFEAT_NR_SUBMAPS )
        return -EINVAL;
    fi.submap = (1u << XENFEAT_auto_translated_physmap) |
                (1u << XENFEAT_hvm_callback_vector) |
                (1u << XENFEAT_hvm_safe_pvclock);
    if ( ctx->privileged )
        fi.submap |= 1u << XENFEAT_dom0;
    return copy_to_guest(ctx, arg, &fi, sizeof(fi)) ? -EFAULT : 0;
}

long do_xen_version(struct hypercall_ctx *ctx, const uint64_t *args)
{
    uint64_t cmd = args[0], arg = args[1];

    switch ( cmd )
    {
    case XENVER_version:
        return (XEN_ABI_MAJOR << 16) | XEN_ABI_MINOR;
    case XENVER_extraversion:
        return copy_string_out(ctx, arg, ".0-tonnerre", sizeof(xen_extraversion_t));
    case XENVER_changeset:
        return copy_string_out(ctx, arg, "Tonnerre " TONNERRE_VERSION,
                               sizeof(xen_changeset_info_t));
    case XENVER_capabilities:
        return copy_string_out(ctx, arg, "hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64",
                               sizeof(xen_capabilities_info_t));
    case XENVER_get_features:
        return get_features(ctx, arg);
    case XENVER_pagesize:
        return PAGE_SIZE;
    case XENVER_commandline:
        /* The hypervisor's command line is for the control domain only. */
        if ( !ctx->privileged )
            return -EPERM;
        return copy_string_out(ctx, arg, saved_cmdline(), sizeof(xen_commandline_t));
    default:
        return -ENOSYS;
    }
}

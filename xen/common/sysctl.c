/* SPDX-License-Identifier: GPL-2.0 */
/*
 * __HYPERVISOR_sysctl: what the toolstack asks about the whole machine —
 * the hypervisor's log (xl dmesg), CPUs and memory (xl info), the
 * scheduler, every domain at once (xl list), the CPU pools.  Control domain only (the
 * hypercall table enforces it).
 */
#include <xen/console.h>
#include <xen/cpupool.h>
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <xen/xmalloc.h>
#include <xen/domctl.h>
#include <public/sysctl.h>

#define READCONSOLE_CHUNK 256
#define INFOLIST_MAX      64        /* entries per call; callers loop */

/*
 * Copy the log ring out in chunks.  Without `incremental` reading starts at
 * the oldest byte held; the index written back lets the caller continue.
 * `clear` discards what this read reached, as Xen's does.
 */
static long read_console(struct hypercall_ctx *ctx, struct xen_sysctl_readconsole *rc)
{
    char chunk[READCONSOLE_CHUNK];
    uint32_t index = rc->incremental ? rc->index : 0, done = 0;

    while ( done < rc->count )
    {
        size_t want = rc->count - done < sizeof(chunk) ? rc->count - done
                                                        : sizeof(chunk);
        size_t n = console_ring_read(chunk, want, &index, NULL);

        if ( !n )
            break;
        if ( copy_to_guest(ctx, rc->buffer.q + done, chunk, n) )
            return -EFAULT;
        done += n;
    }
    if ( rc->clear )
        console_ring_clear_upto(index);
    rc->count = done;
    rc->index = index;
    return 0;
}

static long physinfo(struct xen_sysctl_physinfo *pi)
{
    memset(pi, 0, sizeof(*pi));
    pi->capabilities = XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap |
                       XEN_SYSCTL_PHYSCAP_gnttab_v1;
    pi->nr_nodes = 1;
    pi->max_node_id = 0;
    pi->total_pages = total_heap_pages();
    pi->free_pages = avail_heap_pages();
    pi->max_mfn = max_page ? max_page - 1 : 0;
    arch_physinfo(pi);
    return 0;
}

static long domain_info_list_op(struct hypercall_ctx *ctx,
                                struct xen_sysctl_getdomaininfolist *l)
{
    struct domain_info *info;
    unsigned int i, want = l->max_domains < INFOLIST_MAX ? l->max_domains
                                                         : INFOLIST_MAX;
    int n;

    if ( !want )
    {
        l->num_domains = 0;
        return 0;
    }
    if ( !(info = xmalloc_array(struct domain_info, want)) )
        return -ENOMEM;
    n = domain_info_list(l->first_domain, info, want);
    for ( i = 0; i < (unsigned int)n; i++ )
    {
        struct xen_domctl_getdomaininfo out;

        domctl_fill_info(&info[i], &out);
        if ( copy_to_guest(ctx, l->buffer.q + i * sizeof(out), &out, sizeof(out)) )
        {
            xfree(info);
            return -EFAULT;
        }
    }
    xfree(info);
    l->num_domains = n;
    return 0;
}

/*
 * One NUMA node holding all memory (we read no SRAT): its size and free
 * bytes, and the distance to itself, 10 (the ACPI SLIT's local distance).
 */
#define NODE_LOCAL_DISTANCE 10

static long numainfo(struct hypercall_ctx *ctx, struct xen_sysctl_numainfo *ni)
{
    struct xen_sysctl_meminfo mem = {
        .memsize = (uint64_t)total_heap_pages() << PAGE_SHIFT,
        .memfree = (uint64_t)avail_heap_pages() << PAGE_SHIFT,
    };
    uint32_t distance = NODE_LOCAL_DISTANCE;
    unsigned int nodes = 1;

    if ( ni->meminfo.q || ni->distance.q )
    {
        if ( nodes > ni->num_nodes )
            nodes = ni->num_nodes;
        if ( nodes && ni->meminfo.q &&
             copy_to_guest(ctx, ni->meminfo.q, &mem, sizeof(mem)) )
            return -EFAULT;
        if ( nodes && ni->distance.q &&
             copy_to_guest(ctx, ni->distance.q, &distance, sizeof(distance)) )
            return -EFAULT;
    }
    ni->num_nodes = nodes;
    return 0;
}

long do_sysctl(struct hypercall_ctx *ctx, const uint64_t *args)
{
    struct xen_sysctl op;
    long rc;

    if ( !ctx->domain )
        return -ESRCH;
    if ( copy_from_guest(ctx, &op, args[0], sizeof(op)) )
        return -EFAULT;
    if ( op.interface_version != XEN_SYSCTL_INTERFACE_VERSION )
        return -EACCES;
    switch ( op.cmd )
    {
    case XEN_SYSCTL_readconsole:
        rc = read_console(ctx, &op.u.readconsole);
        break;
    case XEN_SYSCTL_physinfo:
        rc = physinfo(&op.u.physinfo);
        break;
    case XEN_SYSCTL_sched_id:
        op.u.sched_id.sched_id = XEN_SCHEDULER_CREDIT;
        rc = 0;
        break;
    case XEN_SYSCTL_getdomaininfolist:
        rc = domain_info_list_op(ctx, &op.u.getdomaininfolist);
        break;
    case XEN_SYSCTL_numainfo:
        rc = numainfo(ctx, &op.u.numainfo);
        break;
    case XEN_SYSCTL_cputopoinfo:
        rc = arch_cputopoinfo(ctx, &op.u.cputopoinfo);
        break;
    case XEN_SYSCTL_scheduler_op:
        rc = cpupool_sched_op(&op.u.scheduler_op);
        break;
    case XEN_SYSCTL_cpupool_op:
        rc = cpupool_do_sysctl(ctx, &op.u.cpupool_op);
        break;
    default:
        return -EOPNOTSUPP;
    }
    if ( !rc && copy_to_guest(ctx, args[0], &op, sizeof(op)) )
        return -EFAULT;
    return rc;
}

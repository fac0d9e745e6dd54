/* SPDX-License-Identifier: GPL-2.0 */
/*
 * __HYPERVISOR_memory_op: a domain's memory map (set by its builder), its
 * current and maximum reservation, the highest machine frame, and
 * add_to_physmap for the frames the hypervisor shares with a guest (the
 * shared-info page, grant-table frames), and the balloon driver's
 * decrease_reservation / populate_physmap on a domain's own memory.
 */
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/hypercall.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <public/memory.h>
#include <public/xen.h>

int domain_set_memory_map(struct domain *d, const struct domain_e820 *map,
                          unsigned int nr)
{
    if ( nr > DOMAIN_E820_MAX )
        return -E2BIG;
    memcpy(d->e820, map, nr * sizeof(*map));
    d->nr_e820 = nr;
    return 0;
}

static long memory_map(struct hypercall_ctx *ctx, uint64_t arg)
{
    struct domain *d = ctx->domain;
    struct xen_memory_map op;
    unsigned int i, n;

    if ( copy_from_guest(ctx, &op, arg, sizeof(op)) )
        return -EFAULT;
    /* As Xen does: a short buffer gets the first entries that fit. */
    n = op.nr_entries < d->nr_e820 ? op.nr_entries : d->nr_e820;
    for ( i = 0; i < n; i++ )
    {
        struct xen_e820_entry e = {
            .addr = d->e820[i].addr, .size = d->e820[i].size,
            .type = d->e820[i].type };

        if ( copy_to_guest(ctx, op.buffer + i * sizeof(e), &e, sizeof(e)) )
            return -EFAULT;
    }
    op.nr_entries = n;
    return copy_to_guest(ctx, arg, &op, sizeof(op)) ? -EFAULT : 0;
}

/* The domain a domid names: the caller itself, or any for dom0. */
static struct domain *target_of(struct hypercall_ctx *ctx, uint16_t domid,
                                long *rc)
{
    struct domain *d;

    if ( domid == DOMID_SELF || domid == ctx->domain->domain_id )
        return ctx->domain;
    if ( !ctx->privileged )
    {
        *rc = -EPERM;
        return NULL;
    }
    if ( !(d = domain_lookup(domid)) )
        *rc = -ESRCH;
    return d;
}

/* The same, for a domid_t the guest passes by address. */
static struct domain *reservation_target(struct hypercall_ctx *ctx,
                                         uint64_t arg, long *rc)
{
    uint16_t domid;

    if ( copy_from_guest(ctx, &domid, arg, sizeof(domid)) )
    {
        *rc = -EFAULT;
        return NULL;
    }
    return target_of(ctx, domid, rc);
}

/* The builder gives a domain its e820 (the domain reads it back itself). */
static long set_memory_map(struct hypercall_ctx *ctx, uint64_t arg)
{
    struct xen_foreign_memory_map op;
    struct domain_e820 map[DOMAIN_E820_MAX];
    struct domain *d;
    unsigned int i;
    long rc;

    if ( !ctx->privileged )
        return -EPERM;
    if ( copy_from_guest(ctx, &op, arg, sizeof(op)) )
        return -EFAULT;
    if ( !(d = target_of(ctx, op.domid, &rc)) )
        return rc;
    if ( op.map.nr_entries > DOMAIN_E820_MAX )
        return -E2BIG;
    for ( i = 0; i < op.map.nr_entries; i++ )
    {
        struct xen_e820_entry e;

        if ( copy_from_guest(ctx, &e, op.map.buffer + i * sizeof(e), sizeof(e)) )
            return -EFAULT;
        if ( !e.size || e.addr + e.size < e.addr )
            return -EINVAL;
        map[i] = (struct domain_e820){ e.addr, e.size, e.type };
    }
    return domain_set_memory_map(d, map, op.map.nr_entries);
}

/* Elements per add_to_physmap_batch call; Linux sends a page at most. */
#define PHYSMAP_BATCH_MAX 1024

/*
 * dom0 maps frames of another domain into its own physical map (privcmd's
 * mmapbatch).  Each frame's result goes to errs[]; the call itself fails
 * only for a bad request.
 */
static long add_to_physmap_batch(struct hypercall_ctx *ctx, uint64_t arg)
{
    struct xen_add_to_physmap_batch op;
    struct domain *d, *fd;
    uint32_t i;
    long rc;

    if ( copy_from_guest(ctx, &op, arg, sizeof(op)) )
        return -EFAULT;
    if ( op.space != XENMAPSPACE_gmfn_foreign )
        return -EOPNOTSUPP;
    if ( !ctx->privileged )
        return -EPERM;
    if ( !(d = target_of(ctx, op.domid, &rc)) )
        return rc;
    if ( d != ctx->domain )
        return -EPERM;          /* into one's own map only */
    if ( op.size > PHYSMAP_BATCH_MAX )
        return -E2BIG;
    if ( op.foreign_domid == DOMID_SELF || op.foreign_domid == d->domain_id )
        return -EINVAL;
    if ( !(fd = domain_lookup(op.foreign_domid)) )
        return -ESRCH;
    for ( i = 0; i < op.size; i++ )
    {
        uint64_t idx, gpfn;
        int err;

        if ( copy_from_guest(ctx, &idx, op.idxs + i * 8ULL, 8) ||
             copy_from_guest(ctx, &gpfn, op.gpfns + i * 8ULL, 8) )
            return -EFAULT;
        err = arch_map_foreign_frame(d, gpfn, fd, idx);
        if ( copy_to_guest(ctx, op.errs + i * 4ULL, &err, sizeof(err)) )
            return -EFAULT;
    }
    return 0;
}

static long remove_from_physmap(struct hypercall_ctx *ctx, uint64_t arg)
{
    struct xen_remove_from_physmap op;
    struct domain *d;
    long rc;

    if ( copy_from_guest(ctx, &op, arg, sizeof(op)) )
        return -EFAULT;
    if ( !(d = target_of(ctx, op.domid, &rc)) )
        return rc;
    return arch_remove_physmap_entry(d, op.gpfn);
}

/*
 * The shared-info page or a grant frame at a guest frame of the caller's
 * choosing.  Grant frames beyond the current size grow the table, as in
 * Xen; v2 status frames do not exist here (v1 only).
 */
static long add_to_physmap(struct hypercall_ctx *ctx, uint64_t arg)
{
    struct xen_add_to_physmap op;
    struct domain *d = ctx->domain;
    void *frame;

    if ( copy_from_guest(ctx, &op, arg, sizeof(op)) )
        return -EFAULT;
    if ( op.domid != DOMID_SELF && op.domid != d->domain_id )
        return -EPERM;      /* foreign mappings are the toolstack's, later */
    switch ( op.space )
    {
    case XENMAPSPACE_shared_info:
        if ( op.idx != 0 || !d->shared_info )
            return -EINVAL;
        frame = d->shared_info;
        break;
    case XENMAPSPACE_grant_table:
        if ( op.idx & XENMAPIDX_grant_table_status )
            return -EINVAL;
        if ( op.idx >= 0x10000 ||
             gnttab_setup(d, (unsigned int)op.idx + 1) != GNTST_okay ||
             !(frame = gnttab_shared_frame(d, (unsigned int)op.idx)) )
            return -EINVAL;
        break;
    default:
        return -ENOSYS;
    }
    return arch_map_special_frame(d, frame, op.gpfn);
}

/* Work per call: a balloon driver asks for a page of extents at a time. */
#define RESERVATION_MAX_EXTENTS 4096

static long change_reservation(struct hypercall_ctx *ctx, unsigned int op,
                               uint64_t start, uint64_t arg)
{
    struct xen_memory_reservation r;
    struct domain *d;
    uint64_t i, end;
    long lookup_rc;

    if ( copy_from_guest(ctx, &r, arg, sizeof(r)) )
        return -EFAULT;
    /* dom0's builder populates the domains it creates. */
    if ( !(d = target_of(ctx, r.domid, &lookup_rc)) )
        return lookup_rc;
    if ( r.extent_order > 9 || start > r.nr_extents )
        return -EINVAL;
    end = r.nr_extents - start > RESERVATION_MAX_EXTENTS ?
          start + RESERVATION_MAX_EXTENTS : r.nr_extents;
    for ( i = start; i < end; i++ )
    {
        uint64_t gfn, j;
        int rc = 0;

        if ( copy_from_guest(ctx, &gfn, r.extent_start + i * sizeof(gfn), sizeof(gfn)) )
            return i ? (long)i : -EFAULT;
        if ( op == XENMEM_populate_physmap )
            rc = arch_populate_guest_pages(d, gfn, r.extent_order);
        else
            for ( j = 0; j < (1ULL << r.extent_order) && !rc; j++ )
                rc = arch_release_guest_page(d, gfn + j);
        if ( rc )
            break;
    }
    /* As Xen: the number of extents done (a short count is the error). */
    return (long)i;
}

long do_memory_op(struct hypercall_ctx *ctx, const uint64_t *args)
{
    uint64_t cmd = args[0] & MEMOP_CMD_MASK, arg = args[1];
    uint64_t start_extent = args[0] >> MEMOP_EXTENT_SHIFT;
    struct domain *d;
    long rc = 0;

    if ( !ctx->domain )
        return -ESRCH;
    switch ( cmd )
    {
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        return change_reservation(ctx, cmd, start_extent, arg);
    case XENMEM_increase_reservation:
        return -ENOSYS;     /* translated guests populate instead, as in Xen */
    case XENMEM_memory_map:
        return memory_map(ctx, arg);
    case XENMEM_maximum_ram_page:
        return max_page ? (long)(max_page - 1) : 0;
    case XENMEM_current_reservation:
        if ( !(d = reservation_target(ctx, arg, &rc)) )
            return rc;
        return d->tot_pages;
    case XENMEM_maximum_reservation:
        if ( !(d = reservation_target(ctx, arg, &rc)) )
            return rc;
        return d->max_pages;
    case XENMEM_add_to_physmap:
        return add_to_physmap(ctx, arg);
    case XENMEM_add_to_physmap_batch:
        return add_to_physmap_batch(ctx, arg);
    case XENMEM_remove_from_physmap:
        return remove_from_physmap(ctx, arg);
    case XENMEM_set_memory_map:
        return set_memory_map(ctx, arg);
    default:
        return -ENOSYS;
    }
}

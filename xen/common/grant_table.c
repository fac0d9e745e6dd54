/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Grant tables, version 1.
 *
 * The granting domain writes entries in frames it shares with us; the
 * entry says who may map the frame and whether read-only.  A map checks
 * the entry and sets GTF_reading (and GTF_writing for a writable map) in
 * it with compare-and-swap, because the guest may rewrite the entry at any
 * moment; the hypervisor's own pin counts say how many mappings exist, and
 * the flags are cleared when the last one goes.  The mapper's maptrack
 * records each mapping under a handle.  Two domains' tables are locked in
 * domain-id order.  Not yet safe against a domain being torn down while
 * another CPU maps its grants: that needs domain reference counts (or
 * RCU), which come with the vCPU run loop; teardown today runs with the
 * domain's vCPUs stopped and nothing else running guests.  Putting the frame into the mapper's p2m comes with
 * the vCPU/p2m integration; here is the state machine.
 */
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/string.h>
#include <xen/xmalloc.h>
#include <public/xen.h>

#define MAX_CAS_RETRIES 16   /* a guest flipping its entry cannot stall us */

struct active_grant {
    uint16_t readers, writers;
};

struct maptrack {
    bool in_use;
    bool readonly;
    uint16_t granter;
    grant_ref_t ref;
};

struct grant_table {
    spinlock_t lock;
    unsigned int nr_frames, max_frames;
    struct grant_entry_v1 **frames;      /* shared with the guest */
    struct active_grant **active;        /* ours */
    struct maptrack *maptrack;           /* mappings this domain holds */
};

int gnttab_init(struct domain *d, unsigned int max_frames)
{
    struct grant_table *gt;

    if ( !max_frames || max_frames > 1024 )
        return -EINVAL;
    if ( !(gt = xzalloc(struct grant_table)) )
        return -ENOMEM;
    spin_lock_init(&gt->lock);
    gt->max_frames = max_frames;
    gt->frames = xzalloc_array(struct grant_entry_v1 *, max_frames);
    gt->active = xzalloc_array(struct active_grant *, max_frames);
    gt->maptrack = xzalloc_array(struct maptrack, GNTTAB_MAPTRACK_MAX);
    if ( !gt->frames || !gt->active || !gt->maptrack )
    {
        xfree(gt->frames);
        xfree(gt->active);
        xfree(gt->maptrack);
        xfree(gt);
        return -ENOMEM;
    }
    d->grant_table = gt;
    return gnttab_setup(d, 1) == GNTST_okay ? 0 : -ENOMEM;
}

int gnttab_setup(struct domain *d, unsigned int nr_frames)
{
    struct grant_table *gt = d->grant_table;
    int rc = GNTST_okay;

    if ( !gt )
        return GNTST_general_error;
    spin_lock(&gt->lock);
    if ( nr_frames > gt->max_frames )
        rc = GNTST_general_error;
    while ( rc == GNTST_okay && gt->nr_frames < nr_frames )
    {
        unsigned int i = gt->nr_frames;
        void *page = alloc_xenheap_pages(0, 0);

        gt->active[i] = xzalloc_array(struct active_grant, GNTTAB_ENTRIES_PER_FRAME);
        if ( !page || !gt->active[i] )
        {
            free_xenheap_pages(page, 0);
            xfree(gt->active[i]);
            gt->active[i] = NULL;
            rc = GNTST_no_space;
            break;
        }
        memset(page, 0, PAGE_SIZE);
        gt->frames[i] = page;
        gt->nr_frames++;
    }
    spin_unlock(&gt->lock);
    return rc;
}

void gnttab_query(struct domain *d, unsigned int *nr_frames,
                  unsigned int *max_frames)
{
    *nr_frames = d->grant_table ? d->grant_table->nr_frames : 0;
    *max_frames = d->grant_table ? d->grant_table->max_frames : 0;
}

struct grant_entry_v1 *gnttab_shared_frame(struct domain *d, unsigned int i)
{
    struct grant_table *gt = d->grant_table;

    return gt && i < gt->nr_frames ? gt->frames[i] : NULL;
}

static void lock_two(struct domain *a, struct domain *b)
{
    if ( a == b )
        spin_lock(&a->grant_table->lock);
    else if ( a->domain_id < b->domain_id )
    {
        spin_lock(&a->grant_table->lock);
        spin_lock(&b->grant_table->lock);
    }
    else
    {
        spin_lock(&b->grant_table->lock);
        spin_lock(&a->grant_table->lock);
    }
}

static void unlock_two(struct domain *a, struct domain *b)
{
    spin_unlock(&a->grant_table->lock);
    if ( a != b )
        spin_unlock(&b->grant_table->lock);
}

static struct grant_entry_v1 *entry(struct grant_table *gt, grant_ref_t ref)
{
    return &gt->frames[ref / GNTTAB_ENTRIES_PER_FRAME][ref % GNTTAB_ENTRIES_PER_FRAME];
}

static struct active_grant *active(struct grant_table *gt, grant_ref_t ref)
{
    return &gt->active[ref / GNTTAB_ENTRIES_PER_FRAME][ref % GNTTAB_ENTRIES_PER_FRAME];
}

/* flags and domid are one 32-bit word: swap them together. */
static uint32_t pack(uint16_t flags, uint16_t domid)
{
    return flags | ((uint32_t)domid << 16);
}

/* Check the entry grants `mapper` access and mark it in use, atomically. */
static int claim_entry(struct grant_entry_v1 *e, uint16_t mapper, bool readonly)
{
    uint32_t *word = (uint32_t *)e;
    unsigned int tries;

    for ( tries = 0; tries < MAX_CAS_RETRIES; tries++ )
    {
        uint32_t old = __atomic_load_n(word, __ATOMIC_SEQ_CST);
        uint16_t flags = old & 0xffff, domid = old >> 16;
        uint16_t set = GTF_reading | (readonly ? 0 : GTF_writing);

        if ( (flags & GTF_type_mask) != GTF_permit_access || domid != mapper )
            return GNTST_permission_denied;
        if ( !readonly && (flags & GTF_readonly) )
            return GNTST_permission_denied;
        if ( __atomic_compare_exchange_n(word, &old, pack(flags | set, domid),
                                         false, __ATOMIC_SEQ_CST,
                                         __ATOMIC_SEQ_CST) )
            return GNTST_okay;
    }
    return GNTST_general_error;
}

static int find_free_handle(struct grant_table *gt, grant_handle_t *h)
{
    grant_handle_t i;

    for ( i = 0; i < GNTTAB_MAPTRACK_MAX; i++ )
        if ( !gt->maptrack[i].in_use )
        {
            *h = i;
            return GNTST_okay;
        }
    return GNTST_no_device_space;
}

int gnttab_map(struct domain *d, struct domain *granter, grant_ref_t ref,
               uint32_t flags, grant_handle_t *handle, uint32_t *gfn)
{
    bool readonly = flags & GNTMAP_readonly;
    struct grant_table *rgt;
    struct active_grant *act;
    int rc;

    if ( !granter || !granter->grant_table || !d->grant_table )
        return GNTST_bad_domain;
    if ( !(flags & (GNTMAP_host_map | GNTMAP_device_map)) )
        return GNTST_bad_virt_addr;
    rgt = granter->grant_table;
    lock_two(d, granter);
    if ( ref >= rgt->nr_frames * GNTTAB_ENTRIES_PER_FRAME )
        rc = GNTST_bad_gntref;
    else if ( (rc = find_free_handle(d->grant_table, handle)) == GNTST_okay &&
              (rc = claim_entry(entry(rgt, ref), d->domain_id, readonly)) == GNTST_okay )
    {
        act = active(rgt, ref);
        if ( readonly )
            act->readers++;
        else
            act->writers++;
        d->grant_table->maptrack[*handle] = (struct maptrack){
            .in_use = true, .readonly = readonly,
            .granter = granter->domain_id, .ref = ref };
        *gfn = entry(rgt, ref)->frame;
    }
    unlock_two(d, granter);
    return rc;
}

/* Drop one pin; the last writer clears GTF_writing, the last pin GTF_reading. */
static void release_entry(struct grant_table *rgt, grant_ref_t ref, bool readonly)
{
    struct active_grant *act = active(rgt, ref);
    uint16_t clear = 0;

    if ( readonly )
        act->readers--;
    else
        act->writers--;
    if ( !act->writers )
        clear |= GTF_writing;
    if ( !act->writers && !act->readers )
        clear |= GTF_reading;
    __atomic_fetch_and((uint32_t *)entry(rgt, ref), ~(uint32_t)clear,
                       __ATOMIC_SEQ_CST);
}

int gnttab_unmap(struct domain *d, grant_handle_t handle)
{
    struct grant_table *gt = d->grant_table;
    struct domain *granter;
    struct maptrack mt;

    if ( !gt || handle >= GNTTAB_MAPTRACK_MAX )
        return GNTST_bad_handle;
    spin_lock(&gt->lock);
    mt = gt->maptrack[handle];
    spin_unlock(&gt->lock);
    if ( !mt.in_use )
        return GNTST_bad_handle;

    granter = domain_lookup(mt.granter);
    if ( granter && granter->grant_table )
    {
        lock_two(d, granter);
        if ( gt->maptrack[handle].in_use )
        {
            release_entry(granter->grant_table, mt.ref, mt.readonly);
            gt->maptrack[handle].in_use = false;
        }
        unlock_two(d, granter);
    }
    else
    {
        /* The granter is gone: only our record remains. */
        spin_lock(&gt->lock);
        gt->maptrack[handle].in_use = false;
        spin_unlock(&gt->lock);
    }
    return GNTST_okay;
}

unsigned int gnttab_pins(struct domain *granter, grant_ref_t ref)
{
    struct grant_table *gt = granter->grant_table;
    struct active_grant *act;

    if ( !gt || ref >= gt->nr_frames * GNTTAB_ENTRIES_PER_FRAME )
        return 0;
    act = active(gt, ref);
    return act->readers + act->writers;
}

void gnttab_destroy(struct domain *d)
{
    struct grant_table *gt = d->grant_table;
    grant_handle_t h;
    unsigned int i;

    if ( !gt )
        return;
    for ( h = 0; h < GNTTAB_MAPTRACK_MAX; h++ )
        if ( gt->maptrack[h].in_use )
            gnttab_unmap(d, h);
    spin_lock(&gt->lock);
    d->grant_table = NULL;
    spin_unlock(&gt->lock);
    for ( i = 0; i < gt->nr_frames; i++ )
    {
        free_xenheap_pages(gt->frames[i], 0);
        xfree(gt->active[i]);
    }
    xfree(gt->frames);
    xfree(gt->active);
    xfree(gt->maptrack);
    xfree(gt);
}

/* ---- __HYPERVISOR_grant_table_op ---- */

#define GNTTAB_OP_MAX_COUNT 512      /* elements per call, as a page of them */
#define INVALID_GFN (~0ULL)

/* The domain an op names: the caller, or any for the control domain. */
static struct domain *op_target(struct hypercall_ctx *ctx, uint16_t dom)
{
    if ( dom == DOMID_SELF || dom == ctx->domain->domain_id )
        return ctx->domain;
    return ctx->privileged ? domain_lookup(dom) : NULL;
}

static long query_size(struct hypercall_ctx *ctx, uint64_t uop)
{
    struct gnttab_query_size op;
    struct domain *d;
    unsigned int nr, max;

    if ( copy_from_guest(ctx, &op, uop, sizeof(op)) )
        return -EFAULT;
    if ( !(d = op_target(ctx, op.dom)) || !d->grant_table )
        op.status = GNTST_bad_domain;
    else
    {
        gnttab_query(d, &nr, &max);
        op.nr_frames = nr;
        op.max_nr_frames = max;
        op.status = GNTST_okay;
    }
    return copy_to_guest(ctx, uop, &op, sizeof(op)) ? -EFAULT : 0;
}

/*
 * Grow the table.  A translated guest maps the frames itself with
 * add_to_physmap; the list it gets back says so (no frame numbers).
 */
static long setup_table(struct hypercall_ctx *ctx, uint64_t uop)
{
    struct gnttab_setup_table op;
    struct domain *d;
    unsigned int i;

    if ( copy_from_guest(ctx, &op, uop, sizeof(op)) )
        return -EFAULT;
    if ( !(d = op_target(ctx, op.dom)) || !d->grant_table )
        op.status = GNTST_bad_domain;
    else if ( op.nr_frames > d->grant_table->max_frames )
        op.status = GNTST_general_error;
    else if ( (op.status = gnttab_setup(d, op.nr_frames)) == GNTST_okay )
        for ( i = 0; i < op.nr_frames; i++ )
        {
            uint64_t gfn = INVALID_GFN;

            if ( copy_to_guest(ctx, op.frame_list + i * sizeof(gfn), &gfn, sizeof(gfn)) )
            {
                op.status = GNTST_bad_virt_addr;
                break;
            }
        }
    return copy_to_guest(ctx, uop, &op, sizeof(op)) ? -EFAULT : 0;
}

/* Version 1 is the only one here: asking for 2 is refused, as a Xen
 * built without v2 support refuses it. */
static long set_version(struct hypercall_ctx *ctx, uint64_t uop)
{
    struct gnttab_set_version op;

    if ( copy_from_guest(ctx, &op, uop, sizeof(op)) )
        return -EFAULT;
    if ( op.version != 1 )
        return -EINVAL;
    return copy_to_guest(ctx, uop, &op, sizeof(op)) ? -EFAULT : 0;
}

static long get_version(struct hypercall_ctx *ctx, uint64_t uop)
{
    struct gnttab_get_version op;

    if ( copy_from_guest(ctx, &op, uop, sizeof(op)) )
        return -EFAULT;
    if ( !op_target(ctx, op.dom) )
        return -ESRCH;
    op.version = 1;
    return copy_to_guest(ctx, uop, &op, sizeof(op)) ? -EFAULT : 0;
}

long do_grant_table_op(struct hypercall_ctx *ctx, const uint64_t *args)
{
    uint64_t cmd = args[0], uop = args[1], count = args[2], i;
    size_t size;
    long (*op)(struct hypercall_ctx *, uint64_t);

    if ( !ctx->domain )
        return -ESRCH;
    switch ( cmd )
    {
    case GNTTABOP_query_size:
        op = query_size, size = sizeof(struct gnttab_query_size);
        break;
    case GNTTABOP_setup_table:
        op = setup_table, size = sizeof(struct gnttab_setup_table);
        break;
    case GNTTABOP_set_version:
        op = set_version, size = sizeof(struct gnttab_set_version);
        break;
    case GNTTABOP_get_version:
        op = get_version, size = sizeof(struct gnttab_get_version);
        break;
    default:
        /* map/unmap/copy need foreign p2m mappings: the domU issues'. */
        return -ENOSYS;
    }
    if ( count > GNTTAB_OP_MAX_COUNT )
        return -EINVAL;
    for ( i = 0; i < count; i++ )
    {
        long rc = op(ctx, uop + i * size);

        if ( rc )
            return rc;
    }
    return 0;
}

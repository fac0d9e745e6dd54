/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Grant tables, version 1, and the grant_table_op hypercall.
 *
 * The granting domain writes entries in frames it shares with us; an
 * entry says who may use one of its frames and whether read-only.  Using a
 * grant (a mapping, or a copy while it runs) "pins" the entry: the first
 * pin checks the entry and sets GTF_reading (GTF_writing for write
 * access) in it with compare-and-swap, because the guest may rewrite the
 * entry at any moment, and records the frame and the user in our active
 * entry; later pins by the same domain trust the active entry, as Xen
 * does, so a granter that rewrites or revokes a pinned entry changes
 * nothing until the last pin goes and the flags are cleared.
 *
 * Mappings are for translated (PVH/HVM) mappers only: host_addr is a
 * guest-physical address and the frame goes into the mapper's p2m
 * (read-only for GNTMAP_readonly); PV-style flags (device_map,
 * application_map, contains_pte) get GNTST_general_error, as Xen answers
 * an HVM caller.  A mapping holds two references on the granted page: one
 * belongs to the p2m entry and is dropped by whoever removes the entry
 * (our unmap, or remove_from_physmap/add_to_physmap_batch replacing it,
 * which treat it like any foreign frame), the other belongs to the
 * mapper's maptrack record and is dropped when the record goes (unmap,
 * or the mapper's destruction).  So the frame outlives the granter's
 * death or balloon, and no path can free it while a p2m still maps it.
 * A domain mapping its own grant (dom0's gntalloc + gntdev) has the page
 * at two gfns, both looking like its RAM: nothing may overwrite the
 * mapping (its page count says it is held) and the balloon does not take
 * the page back while the mapping lasts (gnttab_maps_own_frame).
 *
 * Lifetime: a domain is hidden from lookups before a grace period and
 * only then killed (domain.c), so a domain found by lookup stays valid for
 * the whole hypercall.  A maptrack record names its granter's table by a
 * serial number, so a record outliving its granter never touches a new
 * domain that reuses the id.  Two tables are locked in domain-id order;
 * p2m locks nest inside table locks, never the other way round.
 *
 * Batches (map, unmap, unmap_and_replace, copy, swap) of any count are
 * done GNTTAB_CHUNK elements per invocation, fewer if the CPU has other
 * work; the rest is a hypercall continuation (xen/hypercall.h) with the
 * guest's array pointer advanced and its count reduced, as Xen does.  No
 * state survives between invocations: each chunk leaves the tables
 * consistent, and a domain dying meanwhile just never makes the rest.
 *
 * Unmapping is in two steps.  Under the mapper's table lock the p2m entry
 * is cleared and the record marked (no other unmap may take it, no map may
 * reuse it); after the chunk, one flush of the mapper's vCPUs, taken with
 * no table lock held; only then, under the table locks again, the pin and
 * both references go.  So no frame is freed or handed back to its granter
 * while a stale translation of it may remain.
 *
 * Not implemented (-ENOSYS): transfer, cache_flush, dump_table; v2
 * (get_status_frames answers for a table without status frames).  A frame
 * number in a copy must be the caller's own RAM (not a frame it maps from
 * someone else).
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

#define MAX_CAS_RETRIES 5    /* a guest flipping its entry cannot stall us */
#define MAPTRACK_PER_CHUNK 128
#define MAPTRACK_CHUNKS (GNTTAB_MAPTRACK_MAX / MAPTRACK_PER_CHUNK)

/* Pins on one of our entries; meaningful while readers + writers > 0. */
struct active_grant {
    uint32_t readers, writers;
    domid_t domid;              /* the one domain that may pin it now */
    unsigned long mfn;          /* the frame, fixed at the first pin */
};

/* One mapping this domain holds. */
struct maptrack {                /* 32 bytes: 128 to a page-sized chunk */
    grant_ref_t ref;
    domid_t granter;
    bool in_use:1;
    bool unmapping:1;           /* p2m entry cleared, its reference held */
    bool readonly:1;
    uint64_t granter_serial;    /* which incarnation of the granter's table */
    uint64_t gfn;               /* where in our p2m */
    unsigned long mfn;          /* the frame mapped (our reference on it) */
};

struct grant_table {
    spinlock_t lock;
    uint64_t serial;            /* unique for the hypervisor's lifetime */
    unsigned int nr_frames, max_frames;
    struct grant_entry_v1 **frames;      /* shared with the guest */
    struct active_grant **active;        /* ours */
    struct maptrack *maptrack[MAPTRACK_CHUNKS];  /* allocated when needed */
    unsigned int maptrack_hint;          /* where to look for a free one */
    unsigned int maptrack_pages;         /* chunks allocated */
    domid_t owner_id;                    /* for messages */
};

static uint64_t next_table_serial = 1;

int gnttab_init(struct domain *d, unsigned int max_frames)
{
    struct grant_table *gt;

    if ( !max_frames || max_frames > 1024 )
        return -EINVAL;
    if ( !(gt = xzalloc(struct grant_table)) )
        return -ENOMEM;
    spin_lock_init(&gt->lock);
    gt->serial = __atomic_fetch_add(&next_table_serial, 1, __ATOMIC_RELAXED);
    gt->max_frames = max_frames;
    gt->owner_id = d->domain_id;
    gt->frames = xzalloc_array(struct grant_entry_v1 *, max_frames);
    gt->active = xzalloc_array(struct active_grant *, max_frames);
    if ( !gt->frames || !gt->active )
    {
        xfree(gt->frames);
        xfree(gt->active);
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

static void lock_two(struct grant_table *a, domid_t aid,
                     struct grant_table *b, domid_t bid)
{
    if ( a == b )
        spin_lock(&a->lock);
    else if ( aid < bid )
    {
        spin_lock(&a->lock);
        spin_lock(&b->lock);
    }
    else
    {
        spin_lock(&b->lock);
        spin_lock(&a->lock);
    }
}

static void unlock_two(struct grant_table *a, struct grant_table *b)
{
    spin_unlock(&a->lock);
    if ( a != b )
        spin_unlock(&b->lock);
}

static unsigned int nr_entries(const struct grant_table *gt)
{
    return gt->nr_frames * GNTTAB_ENTRIES_PER_FRAME;
}

static struct grant_entry_v1 *entry(struct grant_table *gt, grant_ref_t ref)
{
    return &gt->frames[ref / GNTTAB_ENTRIES_PER_FRAME][ref % GNTTAB_ENTRIES_PER_FRAME];
}

static struct active_grant *active(struct grant_table *gt, grant_ref_t ref)
{
    return &gt->active[ref / GNTTAB_ENTRIES_PER_FRAME][ref % GNTTAB_ENTRIES_PER_FRAME];
}

static bool pinned(const struct active_grant *act)
{
    return act->readers || act->writers;
}

/* flags and domid are one 32-bit word: swap them together. */
static uint32_t pack(uint16_t flags, uint16_t domid)
{
    return flags | ((uint32_t)domid << 16);
}

/*
 * Set GTF_reading (and GTF_writing) in an entry the guest may be
 * rewriting.  Unless the entry is pinned already, it must permit access
 * to `who`; a writer needs it writable; a mapping must not see a sub-page
 * grant.  Every refusal is GNTST_general_error, as from Xen.
 */
static int claim_entry(struct grant_entry_v1 *e, domid_t who, bool readonly,
                       bool already_pinned, bool for_map)
{
    uint32_t *word = (uint32_t *)e;
    uint16_t type_mask = GTF_type_mask | (for_map ? GTF_sub_page : 0);
    unsigned int tries;

    for ( tries = 0; tries < MAX_CAS_RETRIES; tries++ )
    {
        uint32_t old = __atomic_load_n(word, __ATOMIC_SEQ_CST);
        uint16_t flags = old & 0xffff, domid = old >> 16;
        uint16_t set = GTF_reading | (readonly ? 0 : GTF_writing);

        if ( !already_pinned &&
             ((flags & type_mask) != GTF_permit_access || domid != who) )
            return GNTST_general_error;
        if ( !readonly && (flags & GTF_readonly) )
            return GNTST_general_error;
        if ( __atomic_compare_exchange_n(word, &old, pack(flags | set, domid),
                                         false, __ATOMIC_SEQ_CST,
                                         __ATOMIC_SEQ_CST) )
            return GNTST_okay;
    }
    return GNTST_general_error;     /* the guest keeps changing it */
}

/* Clear what the remaining pins no longer justify. */
static void clear_unpinned_flags(struct grant_table *gt, grant_ref_t ref)
{
    struct active_grant *act = active(gt, ref);
    uint32_t clear = 0;

    if ( !act->writers )
        clear |= GTF_writing;
    if ( !pinned(act) )
        clear |= GTF_reading;
    __atomic_fetch_and((uint32_t *)entry(gt, ref), ~clear, __ATOMIC_SEQ_CST);
}

/*
 * Pin rd's entry ref for domain `who` (rd's table locked).  On success
 * *pg is the granted page with one reference for the caller.
 */
static int pin_grant(struct domain *rd, grant_ref_t ref, domid_t who,
                     bool readonly, bool for_map, struct page_info **pg)
{
    struct grant_table *rgt = rd->grant_table;
    struct active_grant *act;
    bool was_pinned;
    int rc;

    if ( ref >= nr_entries(rgt) )
        return GNTST_bad_gntref;
    act = active(rgt, ref);
    was_pinned = pinned(act);
    if ( was_pinned && act->domid != who )
        return GNTST_general_error;     /* someone else holds it */
    if ( !was_pinned || (!readonly && !act->writers) )
    {
        if ( (rc = claim_entry(entry(rgt, ref), who, readonly, was_pinned,
                               for_map)) != GNTST_okay )
            return rc;
    }
    if ( !was_pinned )
    {
        /* The frame as the entry names it now; fixed while pinned. */
        *pg = arch_get_guest_page(rd, entry(rgt, ref)->frame);
        if ( !*pg )
        {
            clear_unpinned_flags(rgt, ref);
            return GNTST_bad_page;
        }
        act->mfn = page_to_mfn(*pg);
        act->domid = who;
    }
    else
    {
        *pg = mfn_to_page(act->mfn);
        /* Fails once rd gave the page up (ballooned it out) or is dying. */
        if ( !get_domain_page(*pg, rd) )
        {
            clear_unpinned_flags(rgt, ref);
            return GNTST_general_error;
        }
    }
    if ( readonly )
        act->readers++;
    else
        act->writers++;
    return GNTST_okay;
}

/* Drop one pin (rd's table locked); the flags follow the pins left. */
static void unpin_grant(struct grant_table *rgt, grant_ref_t ref, bool readonly)
{
    struct active_grant *act = active(rgt, ref);

    if ( readonly )
        act->readers--;
    else
        act->writers--;
    clear_unpinned_flags(rgt, ref);
}

static struct maptrack *maptrack_entry(struct grant_table *gt, grant_handle_t h)
{
    if ( h >= GNTTAB_MAPTRACK_MAX || !gt->maptrack[h / MAPTRACK_PER_CHUNK] )
        return NULL;
    return &gt->maptrack[h / MAPTRACK_PER_CHUNK][h % MAPTRACK_PER_CHUNK];
}

/*
 * A chunk is one page (see the BUILD_BUG_ON) and is kept until the mapper
 * dies, as in Xen.  Each growth is logged, at info level so only `xl dmesg`
 * shows it: who counts the hypervisor's free pages can tell the pages a
 * busy backend's mappings took from a leak.
 */
static struct maptrack *new_maptrack_chunk(struct grant_table *gt)
{
    struct maptrack *chunk;

    BUILD_BUG_ON(sizeof(struct maptrack) * MAPTRACK_PER_CHUNK != PAGE_SIZE);
    if ( !(chunk = xzalloc_array(struct maptrack, MAPTRACK_PER_CHUNK)) )
        return NULL;
    gt->maptrack_pages++;
    printk(XENLOG_INFO "d%u: maptrack grown to %u pages\n", gt->owner_id,
           gt->maptrack_pages);
    return chunk;
}

/*
 * A free handle (gt locked).  Records in the chunks we have come first,
 * from the hint on; a new chunk only when they are all in use, so the
 * maptrack grows with the mappings held at once, not with their turnover.
 */
static int get_free_handle(struct grant_table *gt, grant_handle_t *out)
{
    unsigned int i, empty = MAPTRACK_CHUNKS;

    for ( i = 0; i < GNTTAB_MAPTRACK_MAX; i++ )
    {
        grant_handle_t h = (gt->maptrack_hint + i) % GNTTAB_MAPTRACK_MAX;
        struct maptrack *chunk = gt->maptrack[h / MAPTRACK_PER_CHUNK];

        if ( !chunk )
        {
            if ( h / MAPTRACK_PER_CHUNK < empty )
                empty = h / MAPTRACK_PER_CHUNK;
            i += MAPTRACK_PER_CHUNK - 1 - h % MAPTRACK_PER_CHUNK;
            continue;
        }
        if ( !chunk[h % MAPTRACK_PER_CHUNK].in_use )
        {
            gt->maptrack_hint = h + 1;
            *out = h;
            return GNTST_okay;
        }
    }
    if ( empty == MAPTRACK_CHUNKS )
        return GNTST_no_device_space;     /* Xen's answer when out of handles */
    if ( !(gt->maptrack[empty] = new_maptrack_chunk(gt)) )
        return GNTST_no_device_space;
    *out = empty * MAPTRACK_PER_CHUNK;
    gt->maptrack_hint = *out + 1;
    return GNTST_okay;
}

/* The tables of d and of the granter, both locked; NULL granter: gone. */
static struct grant_table *lock_with_granter(struct domain *d, domid_t granter,
                                             uint64_t serial)
{
    struct domain *rd = domain_lookup(granter);
    struct grant_table *rgt = rd ? rd->grant_table : NULL;

    if ( rgt && rgt->serial != serial )
        rgt = NULL;                     /* the id was reused */
    if ( rgt )
        lock_two(d->grant_table, d->domain_id, rgt, granter);
    else
        spin_lock(&d->grant_table->lock);
    return rgt;
}

static void unlock_with_granter(struct domain *d, struct grant_table *rgt)
{
    if ( rgt )
        unlock_two(d->grant_table, rgt);
    else
        spin_unlock(&d->grant_table->lock);
}

int gnttab_map(struct domain *d, uint16_t granter, grant_ref_t ref,
               uint32_t flags, uint64_t host_addr, grant_handle_t *handle)
{
    bool readonly = flags & GNTMAP_readonly;
    struct grant_table *gt = d->grant_table, *rgt;
    struct domain *rd;
    struct page_info *pg;
    struct maptrack *mt;
    int rc;

    if ( !(flags & (GNTMAP_host_map | GNTMAP_device_map)) )
        return GNTST_bad_gntref;        /* sic: Xen's answer */
    /* A translated mapper has neither PTEs to hand over nor a bus view. */
    if ( flags & (GNTMAP_device_map | GNTMAP_application_map | GNTMAP_contains_pte) )
        return GNTST_general_error;
    if ( !gt || !(rd = domain_lookup(granter)) || !(rgt = rd->grant_table) )
        return GNTST_bad_domain;

    lock_two(gt, d->domain_id, rgt, granter);
    if ( (rc = get_free_handle(gt, handle)) != GNTST_okay )
        goto out;
    if ( (rc = pin_grant(rd, ref, d->domain_id, readonly, true, &pg)) != GNTST_okay )
        goto out;
    /* The second reference is the p2m entry's. */
    if ( !get_domain_page(pg, rd) )
        rc = GNTST_general_error;
    else if ( arch_map_grant_frame(d, host_addr >> PAGE_SHIFT, pg, readonly) )
    {
        put_domain_page(pg);
        rc = GNTST_general_error;
    }
    if ( rc != GNTST_okay )
    {
        unpin_grant(rgt, ref, readonly);
        put_domain_page(pg);
        goto out;
    }
    mt = maptrack_entry(gt, *handle);
    *mt = (struct maptrack){
        .in_use = true, .readonly = readonly, .granter = granter, .ref = ref,
        .granter_serial = rgt->serial, .gfn = host_addr >> PAGE_SHIFT,
        .mfn = page_to_mfn(pg) };
 out:
    unlock_two(gt, rgt);
    return rc;
}

/*
 * Unmaps whose p2m entries are cleared but whose pins and references are
 * not yet dropped.  They wait for one TLB flush of the mapper's vCPUs: a
 * vCPU may still reach a frame through a stale translation until then, and
 * the frame must not be freed (its granter dead or ballooning) meanwhile.
 */
struct unmap_batch {
    unsigned int nr;
    grant_handle_t handle[GNTTAB_CHUNK];
};

/*
 * The record goes: the p2m entry's reference (if we cleared the entry),
 * the pin (if the granter is still there) and the record's own reference.
 */
static void drop_mapping(struct grant_table *rgt, struct maptrack *mt)
{
    struct page_info *pg = mfn_to_page(mt->mfn);

    if ( rgt )
        unpin_grant(rgt, mt->ref, mt->readonly);
    if ( mt->unmapping )
        put_domain_page(pg);
    put_domain_page(pg);
    mt->in_use = mt->unmapping = false;
}

/*
 * Take mapping `handle` out of d's p2m and queue its record on b (for
 * unmap_and_replace, put new_addr's frame in its place, which a translated
 * mapper cannot ask for).  host_addr must be where the mapping was made:
 * Xen only checks that it holds the same frame, but an own page granted to
 * oneself also sits at its own address, and undoing that one would drop a
 * reference the entry does not hold.
 */
static int unmap_begin(struct domain *d, grant_handle_t handle,
                       uint64_t host_addr, uint64_t dev_bus_addr,
                       uint64_t new_addr, struct unmap_batch *b)
{
    struct grant_table *gt = d->grant_table;
    struct maptrack *mt;
    int rc = GNTST_okay;

    if ( !gt )
        return GNTST_bad_handle;
    spin_lock(&gt->lock);
    mt = maptrack_entry(gt, handle);
    /* Never mapped, unmapped, or on its way out in another vCPU's batch. */
    if ( !mt || !mt->in_use || mt->unmapping )
        rc = GNTST_bad_handle;
    else if ( dev_bus_addr )
        rc = GNTST_general_error;       /* we never gave one out */
    else if ( host_addr )
    {
        if ( new_addr || (host_addr >> PAGE_SHIFT) != mt->gfn ||
             arch_clear_grant_frame(d, mt->gfn, mfn_to_page(mt->mfn)) )
            rc = GNTST_general_error;   /* not this mapping's frame there */
        else
        {
            ASSERT(b->nr < GNTTAB_CHUNK);
            mt->unmapping = true;       /* ours alone until it goes */
            b->handle[b->nr++] = handle;
        }
    }
    /* host_addr 0: nothing to undo, the mapping stays (as in Xen). */
    spin_unlock(&gt->lock);
    return rc;
}

/* One flush for the whole batch, then the records it held back. */
static void unmap_batch_finish(struct domain *d, struct unmap_batch *b)
{
    unsigned int i;

    if ( !b->nr )
        return;
    arch_flush_guest_tlbs(d);
    for ( i = 0; i < b->nr; i++ )
    {
        struct maptrack *mt = maptrack_entry(d->grant_table, b->handle[i]);
        /* Nothing else writes a record being unmapped: read it unlocked. */
        struct grant_table *rgt = lock_with_granter(d, mt->granter,
                                                    mt->granter_serial);

        drop_mapping(rgt, mt);
        unlock_with_granter(d, rgt);
    }
    b->nr = 0;
}

int gnttab_unmap(struct domain *d, grant_handle_t handle, uint64_t host_addr,
                 uint64_t dev_bus_addr)
{
    struct unmap_batch b = { .nr = 0 };
    int rc = unmap_begin(d, handle, host_addr, dev_bus_addr, 0, &b);

    unmap_batch_finish(d, &b);
    return rc;
}

unsigned int gnttab_pins(struct domain *granter, grant_ref_t ref)
{
    struct grant_table *gt = granter->grant_table;
    struct active_grant *act;

    if ( !gt || ref >= nr_entries(gt) )
        return 0;
    act = active(gt, ref);
    return act->readers + act->writers;
}

bool gnttab_maps_own_frame(struct domain *d, unsigned long mfn)
{
    struct grant_table *gt = d->grant_table;
    bool found = false;
    grant_handle_t h;

    if ( !gt )
        return false;
    spin_lock(&gt->lock);
    for ( h = 0; h < GNTTAB_MAPTRACK_MAX && !found; h++ )
    {
        struct maptrack *mt = maptrack_entry(gt, h);

        if ( !mt )
            h += MAPTRACK_PER_CHUNK - 1;    /* a chunk never allocated */
        else
            found = mt->in_use && mt->mfn == mfn && mt->granter == d->domain_id &&
                    mt->granter_serial == gt->serial;
    }
    spin_unlock(&gt->lock);
    return found;
}

/*
 * The mapper is dying, its vCPUs stopped: every mapping it holds goes from
 * its p2m (if still where it was put), and after one flush its pins and
 * references with it.
 */
static void release_mappings(struct domain *d)
{
    struct grant_table *gt = d->grant_table;
    bool cleared = false;
    grant_handle_t h;

    for ( h = 0; h < GNTTAB_MAPTRACK_MAX; h++ )
    {
        struct maptrack *mt = maptrack_entry(gt, h);

        /* Fails harmlessly if something else replaced it (and its ref). */
        if ( mt && mt->in_use && !mt->unmapping &&
             !arch_clear_grant_frame(d, mt->gfn, mfn_to_page(mt->mfn)) )
            cleared = mt->unmapping = true;
    }
    if ( cleared )
        arch_flush_guest_tlbs(d);
    for ( h = 0; h < GNTTAB_MAPTRACK_MAX; h++ )
    {
        struct maptrack *mt = maptrack_entry(gt, h);
        struct grant_table *rgt;

        if ( !mt || !mt->in_use )
            continue;
        rgt = lock_with_granter(d, mt->granter, mt->granter_serial);
        drop_mapping(rgt, mt);
        unlock_with_granter(d, rgt);
    }
}

void gnttab_destroy(struct domain *d)
{
    struct grant_table *gt = d->grant_table;
    unsigned int i;

    if ( !gt )
        return;
    release_mappings(d);
    spin_lock(&gt->lock);
    d->grant_table = NULL;
    spin_unlock(&gt->lock);
    for ( i = 0; i < gt->nr_frames; i++ )
    {
        free_xenheap_pages(gt->frames[i], 0);
        xfree(gt->active[i]);
    }
    for ( i = 0; i < MAPTRACK_CHUNKS; i++ )
        xfree(gt->maptrack[i]);
    xfree(gt->frames);
    xfree(gt->active);
    xfree(gt);
}

/* ---- __HYPERVISOR_grant_table_op ---- */

#define INVALID_GFN (~0ULL)

/* The domain an op names: the caller, or any for the control domain. */
static struct domain *op_target(struct hypercall_ctx *ctx, uint16_t dom)
{
    if ( dom == DOMID_SELF || dom == ctx->domain->domain_id )
        return ctx->domain;
    return ctx->privileged ? domain_lookup(dom) : NULL;
}

static long query_size(struct hypercall_ctx *ctx, uint64_t uop,
                       struct unmap_batch *b)
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
static long setup_table(struct hypercall_ctx *ctx, uint64_t uop,
                        struct unmap_batch *b)
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
static long set_version(struct hypercall_ctx *ctx, uint64_t uop,
                        struct unmap_batch *b)
{
    struct gnttab_set_version op;

    if ( copy_from_guest(ctx, &op, uop, sizeof(op)) )
        return -EFAULT;
    if ( op.version != 1 )
        return -EINVAL;
    return copy_to_guest(ctx, uop, &op, sizeof(op)) ? -EFAULT : 0;
}

static long get_version(struct hypercall_ctx *ctx, uint64_t uop,
                        struct unmap_batch *b)
{
    struct gnttab_get_version op;

    if ( copy_from_guest(ctx, &op, uop, sizeof(op)) )
        return -EFAULT;
    if ( !op_target(ctx, op.dom) )
        return -ESRCH;
    op.version = 1;
    return copy_to_guest(ctx, uop, &op, sizeof(op)) ? -EFAULT : 0;
}

/* v2's status frames: a v1 table has none, so only a request for 0 works. */
static long get_status_frames(struct hypercall_ctx *ctx, uint64_t uop,
                              struct unmap_batch *b)
{
    struct gnttab_get_status_frames op;
    struct domain *d;

    if ( copy_from_guest(ctx, &op, uop, sizeof(op)) )
        return -EFAULT;
    if ( !(d = op_target(ctx, op.dom)) || !d->grant_table )
        op.status = GNTST_bad_domain;
    else
        op.status = op.nr_frames ? GNTST_general_error : GNTST_okay;
    return copy_to_guest(ctx, uop + __builtin_offsetof(struct gnttab_get_status_frames, status),
                         &op.status, sizeof(op.status)) ? -EFAULT : 0;
}

static long map_grant_ref(struct hypercall_ctx *ctx, uint64_t uop,
                          struct unmap_batch *b)
{
    struct gnttab_map_grant_ref op;
    grant_handle_t handle;

    if ( copy_from_guest(ctx, &op, uop, sizeof(op)) )
        return -EFAULT;
    op.status = gnttab_map(ctx->domain, op.dom, op.ref, op.flags, op.host_addr,
                           &handle);
    if ( op.status == GNTST_okay )
    {
        op.handle = handle;
        op.dev_bus_addr = 0;    /* no machine addresses for a translated guest */
    }
    return copy_to_guest(ctx, uop, &op, sizeof(op)) ? -EFAULT : 0;
}

static long unmap_grant_ref(struct hypercall_ctx *ctx, uint64_t uop,
                            struct unmap_batch *b)
{
    struct gnttab_unmap_grant_ref op;

    if ( copy_from_guest(ctx, &op, uop, sizeof(op)) )
        return -EFAULT;
    op.status = unmap_begin(ctx->domain, op.handle, op.host_addr,
                            op.dev_bus_addr, 0, b);
    return copy_to_guest(ctx, uop + __builtin_offsetof(struct gnttab_unmap_grant_ref, status),
                         &op.status, sizeof(op.status)) ? -EFAULT : 0;
}

static long unmap_and_replace(struct hypercall_ctx *ctx, uint64_t uop,
                              struct unmap_batch *b)
{
    struct gnttab_unmap_and_replace op;

    if ( copy_from_guest(ctx, &op, uop, sizeof(op)) )
        return -EFAULT;
    op.status = unmap_begin(ctx->domain, op.handle, op.host_addr, 0,
                            op.new_addr, b);
    return copy_to_guest(ctx, uop + __builtin_offsetof(struct gnttab_unmap_and_replace, status),
                         &op.status, sizeof(op.status)) ? -EFAULT : 0;
}

/* One side of a copy: the domain, then the page held while copying. */
struct copy_side {
    struct domain *d;
    struct page_info *pg;       /* with a reference */
    bool pinned;                /* a grant side: pin to drop */
    bool readonly;
    grant_ref_t ref;
};

/* As Xen: a frame number names the caller's own memory, as DOMID_SELF. */
static int copy_side_domain(struct hypercall_ctx *ctx,
                            const struct gnttab_copy_ptr *p, bool is_gref,
                            struct copy_side *s)
{
    if ( !is_gref && p->domid != DOMID_SELF )
        return GNTST_permission_denied;
    s->d = p->domid == DOMID_SELF ? ctx->domain : domain_lookup(p->domid);
    return s->d && s->d->grant_table ? GNTST_okay : GNTST_bad_domain;
}

static int copy_side_claim(struct hypercall_ctx *ctx,
                           const struct gnttab_copy_ptr *p, bool is_gref,
                           struct copy_side *s)
{
    int rc;

    if ( !is_gref )
        return (s->pg = arch_get_guest_page(s->d, p->u.gmfn)) ? GNTST_okay
                                                               : GNTST_bad_page;
    spin_lock(&s->d->grant_table->lock);
    rc = pin_grant(s->d, p->u.ref, ctx->domain->domain_id, s->readonly, false,
                   &s->pg);
    spin_unlock(&s->d->grant_table->lock);
    if ( rc == GNTST_okay )
    {
        s->pinned = true;
        s->ref = p->u.ref;
    }
    return rc;
}

/* The pin (with its transient GTF_reading/GTF_writing) and the page go. */
static void copy_side_release(struct copy_side *s)
{
    if ( s->pinned )
    {
        spin_lock(&s->d->grant_table->lock);
        unpin_grant(s->d->grant_table, s->ref, s->readonly);
        spin_unlock(&s->d->grant_table->lock);
    }
    if ( s->pg )
        put_domain_page(s->pg);
}

static int copy_one(struct hypercall_ctx *ctx, const struct gnttab_copy *op)
{
    struct copy_side src = { .readonly = true }, dst = { .readonly = false };
    bool src_gref = op->flags & GNTCOPY_source_gref;
    bool dst_gref = op->flags & GNTCOPY_dest_gref;
    int rc;

    /* Xen's order: both domains, the source, the destination, the bounds. */
    if ( (rc = copy_side_domain(ctx, &op->source, src_gref, &src)) == GNTST_okay &&
         (rc = copy_side_domain(ctx, &op->dest, dst_gref, &dst)) == GNTST_okay &&
         (rc = copy_side_claim(ctx, &op->source, src_gref, &src)) == GNTST_okay &&
         (rc = copy_side_claim(ctx, &op->dest, dst_gref, &dst)) == GNTST_okay )
    {
        if ( op->source.offset + (unsigned int)op->len > PAGE_SIZE ||
             op->dest.offset + (unsigned int)op->len > PAGE_SIZE )
            rc = GNTST_bad_copy_arg;
        else
            memmove((uint8_t *)page_to_virt(dst.pg) + op->dest.offset,
                    (uint8_t *)page_to_virt(src.pg) + op->source.offset, op->len);
    }
    copy_side_release(&dst);
    copy_side_release(&src);
    return rc;
}

static long grant_copy(struct hypercall_ctx *ctx, uint64_t uop,
                       struct unmap_batch *b)
{
    struct gnttab_copy op;

    if ( copy_from_guest(ctx, &op, uop, sizeof(op)) )
        return -EFAULT;
    op.status = copy_one(ctx, &op);
    return copy_to_guest(ctx, uop + __builtin_offsetof(struct gnttab_copy, status),
                         &op.status, sizeof(op.status)) ? -EFAULT : 0;
}

/* Exchange two of the caller's entries, neither of them in use. */
static long swap_grant_ref(struct hypercall_ctx *ctx, uint64_t uop,
                           struct unmap_batch *b)
{
    struct gnttab_swap_grant_ref op;
    struct grant_table *gt = ctx->domain->grant_table;

    if ( copy_from_guest(ctx, &op, uop, sizeof(op)) )
        return -EFAULT;
    if ( !gt )
        op.status = GNTST_bad_domain;
    else
    {
        spin_lock(&gt->lock);
        if ( op.ref_a >= nr_entries(gt) || op.ref_b >= nr_entries(gt) )
            op.status = GNTST_bad_gntref;
        else if ( op.ref_a == op.ref_b )
            op.status = GNTST_okay;
        else if ( pinned(active(gt, op.ref_a)) || pinned(active(gt, op.ref_b)) )
            op.status = GNTST_eagain;
        else
        {
            struct grant_entry_v1 tmp = *entry(gt, op.ref_a);

            *entry(gt, op.ref_a) = *entry(gt, op.ref_b);
            *entry(gt, op.ref_b) = tmp;
            op.status = GNTST_okay;
        }
        spin_unlock(&gt->lock);
    }
    return copy_to_guest(ctx, uop + __builtin_offsetof(struct gnttab_swap_grant_ref, status),
                         &op.status, sizeof(op.status)) ? -EFAULT : 0;
}

/* How each sub-op takes its array: element size and allowed counts. */
struct gnttab_op_desc {
    long (*fn)(struct hypercall_ctx *, uint64_t, struct unmap_batch *);
    size_t size;
    bool just_one;              /* count must be 1 (Xen: -EINVAL otherwise) */
    bool ignores_count;         /* one element whatever count says */
};

static const struct gnttab_op_desc gnttab_ops[] = {
    [GNTTABOP_map_grant_ref] = { map_grant_ref, sizeof(struct gnttab_map_grant_ref) },
    [GNTTABOP_unmap_grant_ref] = { unmap_grant_ref, sizeof(struct gnttab_unmap_grant_ref) },
    [GNTTABOP_setup_table] = { setup_table, sizeof(struct gnttab_setup_table), true },
    [GNTTABOP_copy] = { grant_copy, sizeof(struct gnttab_copy) },
    [GNTTABOP_query_size] = { query_size, sizeof(struct gnttab_query_size), true },
    [GNTTABOP_unmap_and_replace] = { unmap_and_replace,
                                     sizeof(struct gnttab_unmap_and_replace) },
    [GNTTABOP_set_version] = { set_version, sizeof(struct gnttab_set_version),
                               false, true },
    [GNTTABOP_get_status_frames] = { get_status_frames,
                                     sizeof(struct gnttab_get_status_frames), true },
    [GNTTABOP_get_version] = { get_version, sizeof(struct gnttab_get_version),
                               false, true },
    [GNTTABOP_swap_grant_ref] = { swap_grant_ref, sizeof(struct gnttab_swap_grant_ref) },
    /* transfer, dump_table, cache_flush: not here (-ENOSYS). */
};

/*
 * Up to GNTTAB_CHUNK elements of a batch, fewer if the CPU has other work
 * (but at least one, so every invocation makes progress).  Each element
 * gets its own status; only an unreadable or unwritable element (-EFAULT)
 * stops the batch, as in Xen.  Unmaps done so far are completed whatever
 * happens.  *done: how many elements were finished.
 */
static long batch_chunk(struct hypercall_ctx *ctx, const struct gnttab_op_desc *desc,
                        uint64_t uop, uint32_t count, uint32_t *done)
{
    struct unmap_batch b = { .nr = 0 };
    long rc = 0;

    for ( *done = 0; *done < count && *done < GNTTAB_CHUNK; ++*done )
    {
        if ( *done && hypercall_preempt_check(ctx) )
            break;
        if ( (rc = desc->fn(ctx, uop + (uint64_t)*done * desc->size, &b)) )
            break;
    }
    unmap_batch_finish(ctx->domain, &b);
    return rc;
}

long do_grant_table_op(struct hypercall_ctx *ctx, const uint64_t *args)
{
    /* Xen takes cmd and count as 32-bit values: the upper halves go. */
    uint32_t cmd = (uint32_t)args[0], count = (uint32_t)args[2], done;
    uint64_t uop = args[1];
    const struct gnttab_op_desc *desc;
    uint64_t next[HYPERCALL_MAX_ARGS];
    long rc;

    if ( !ctx->domain )
        return -ESRCH;
    if ( (int32_t)count < 0 )
        return -EINVAL;
    /* Continuation bits above the command belong to cache_flush only. */
    if ( (cmd & ~GNTTABOP_CMD_MASK) && (cmd & GNTTABOP_CMD_MASK) != GNTTABOP_cache_flush )
        return -EINVAL;
    if ( cmd >= ARRAY_SIZE(gnttab_ops) || !gnttab_ops[cmd].fn )
        return -ENOSYS;
    desc = &gnttab_ops[cmd];
    if ( desc->ignores_count )
        return desc->fn(ctx, uop, NULL);
    if ( desc->just_one )
        return count == 1 ? desc->fn(ctx, uop, NULL) : -EINVAL;
    if ( (rc = batch_chunk(ctx, desc, uop, count, &done)) || done == count )
        return rc;
    /* The rest is the same call on the elements not done yet. */
    next[0] = args[0];
    next[1] = uop + (uint64_t)done * desc->size;
    next[2] = count - done;
    next[3] = args[3];
    next[4] = args[4];
    return hypercall_continue(ctx, next);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 side of a domain's life: its nested page tables, shared-info
 * page, event channels and grant table, the hardware state of each vCPU,
 * and guest RAM populated into the p2m.  Teardown undoes all of it.
 */
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/grant_table.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/platform.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <asm/hvm/domain_build.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/vlapic.h>
#include <asm/hvm/xstate.h>
#include <asm/p2m.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <public/xen.h>

#define GNTTAB_MAX_FRAMES 32     /* Xen's default max_grant_frames */

static void flush_domain_tlbs(struct domain *d);
static bool entry_may_be_overwritten(struct domain *d, unsigned long mfn);

/*
 * Wall-clock time at system time 0, which guests add their pvclock to.
 * Read and written under d->lock, as XENPF_settime also writes it there
 * after updating the time: whichever comes second leaves the newest time.
 */
static void set_wallclock(struct domain *d)
{
    unsigned long f = spin_lock_irqsave(&d->lock);
    uint32_t nsec;
    uint64_t sec = time_boot_wallclock(&nsec);

    shared_info_set_wallclock(d->shared_info, sec, nsec);
    spin_unlock_irqrestore(&d->lock, f);
}

int arch_domain_init(struct domain *d)
{
    int rc;

    if ( (rc = p2m_init(&d->arch.p2m, &p2m_xenheap_allocator)) )
        return rc;
    d->arch.p2m.owner = d;
    d->arch.p2m_ready = true;
    spin_lock_init(&d->arch.p2m_lock);
    if ( !(d->shared_info = alloc_xenheap_pages(0, 0)) )
        return -ENOMEM;
    memset(d->shared_info, 0, PAGE_SIZE);
    set_wallclock(d);
    if ( (rc = evtchn_init(d, d->max_evtchn_ports ?: EVTCHN_2L_NR_PORTS,
                           d->shared_info)) )
        return rc;
    return gnttab_init(d, d->max_grant_frames ?: GNTTAB_MAX_FRAMES);
}

int arch_vcpus_init(struct domain *d)
{
    unsigned int i;
    int rc;

    for ( i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu *v = d->vcpus[i];

        if ( (rc = hvm_vcpu_create(v)) || (rc = xstate_vcpu_init(v)) )
            return rc;
        vlapic_init(v);
        if ( i < XEN_LEGACY_MAX_VCPUS )
            v->vcpu_info = &d->shared_info->vcpu_info[i];
    }
    return 0;
}

void arch_vcpu_kill_timers(struct vcpu *v)
{
    if ( v->arch.hw_ready )
        vlapic_kill_timer(v);
}

void arch_domain_teardown(struct domain *d)
{
    unsigned int i;

    for ( i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu *v = d->vcpus[i];

        if ( !v )
            continue;
        if ( v->arch.hw_ready )
            vlapic_destroy(v);
        hvm_vcpu_destroy(v);
        xstate_vcpu_destroy(v);
    }
    if ( d->arch.p2m_ready )
        p2m_teardown(&d->arch.p2m);
    d->arch.p2m_ready = false;
    if ( d->shared_info )
        free_xenheap_pages(d->shared_info, 0);
    d->shared_info = NULL;
}

void *arch_guest_frame(struct domain *d, uint64_t gfn)
{
    unsigned long mfn, f;

    if ( !d->arch.p2m_ready || gfn > P2M_MAX_GFN )
        return NULL;
    f = spin_lock_irqsave(&d->arch.p2m_lock);
    mfn = p2m_get_entry(&d->arch.p2m, gfn, NULL, NULL);
    spin_unlock_irqrestore(&d->arch.p2m_lock, f);
    /* Only the domain's own RAM, not a frame the hypervisor lent it. */
    if ( mfn == P2M_INVALID_MFN || mfn_to_page(mfn)->v.owner != d )
        return NULL;
    return mfn_to_virt(mfn);
}

/*
 * Put a hypervisor frame at gfn.  A RAM page it replaces stays the
 * domain's (counted, freed when the domain dies): Linux does this a
 * handful of times at boot, and the page is not worth a reclaim path.
 * An entry holding a page reference (a grant or foreign mapping) is not
 * overwritten: -EBUSY.  Every vCPU's TLB is flushed before this returns.
 */
int arch_map_special_frame(struct domain *d, void *frame, uint64_t gfn)
{
    unsigned long f;
    int rc = -EBUSY;

    if ( !d->arch.p2m_ready || gfn > P2M_MAX_GFN )
        return -EINVAL;
    f = spin_lock_irqsave(&d->arch.p2m_lock);
    if ( entry_may_be_overwritten(d, p2m_get_entry(&d->arch.p2m, gfn, NULL, NULL)) )
        rc = p2m_set_entry(&d->arch.p2m, gfn, virt_to_mfn(frame), P2M_ORDER_4K,
                           P2M_RWX);
    spin_unlock_irqrestore(&d->arch.p2m_lock, f);
    if ( rc )
        return rc;
    flush_domain_tlbs(d);
    return 0;
}

/*
 * After a mapping went away: no vCPU of d may still reach the old frame
 * through its TLB.  Each vCPU flushes when it next enters with a newer
 * generation; wait for those in the guest right now to leave (the kick
 * forces it).  A vCPU entering after the bump reads the new generation,
 * because it announces guest mode before reading it.
 */
static void flush_domain_tlbs(struct domain *d)
{
    unsigned long gen = __atomic_add_fetch(&d->arch.p2m_generation, 1,
                                           __ATOMIC_SEQ_CST);
    unsigned int i;

    for ( i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu *v = d->vcpus[i];

        if ( v == current_vcpu() )
            continue;       /* in the hypervisor now; flushes on entry */
        if ( __atomic_load_n(&v->arch.in_guest, __ATOMIC_SEQ_CST) )
            arch_vcpu_kick(v);
        while ( __atomic_load_n(&v->arch.in_guest, __ATOMIC_SEQ_CST) &&
                __atomic_load_n(&v->arch.seen_p2m_generation, __ATOMIC_SEQ_CST) != gen )
            cpu_relax();
    }
}

/*
 * The balloon driver gives a page back: unmap it, make sure no vCPU can
 * still reach it, and only then return it to the heap.
 */
/* A page holding a registered vcpu_info stays: we keep writing to it. */
static bool holds_vcpu_info(struct domain *d, unsigned long mfn)
{
    unsigned int i;

    for ( i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpus[i]->vcpu_info_registered &&
             virt_to_mfn(d->vcpus[i]->vcpu_info) == mfn )
            return true;
    return false;
}

/*
 * A page d granted to itself and mapped (gntalloc + gntdev) sits at two
 * gfns; given back through either, the other would keep a page d no longer
 * owns and whose reference nothing drops.  Only pages with references
 * beyond the owner's can be such; the grant table knows (its lock is taken
 * outside the p2m lock, as on the map path).
 */
static bool self_mapped_grant(struct domain *d, uint64_t gfn, unsigned long *mfn)
{
    unsigned long f = spin_lock_irqsave(&d->arch.p2m_lock);
    bool shared;

    *mfn = p2m_get_entry(&d->arch.p2m, gfn, NULL, NULL);
    shared = *mfn != P2M_INVALID_MFN &&
             (mfn_to_page(*mfn)->count_info & PGC_count_mask) > 1;
    spin_unlock_irqrestore(&d->arch.p2m_lock, f);
    return shared && gnttab_maps_own_frame(d, *mfn);
}

int arch_release_guest_page(struct domain *d, uint64_t gfn)
{
    unsigned long mfn, checked;
    struct page_info *pg;
    unsigned long f;

    if ( !d->arch.p2m_ready || gfn > P2M_MAX_GFN )
        return -EINVAL;
    if ( self_mapped_grant(d, gfn, &checked) )
        return -EBUSY;
    f = spin_lock_irqsave(&d->arch.p2m_lock);
    mfn = p2m_get_entry(&d->arch.p2m, gfn, NULL, NULL);
    if ( mfn == P2M_INVALID_MFN || mfn_to_page(mfn)->v.owner != d )
    {
        spin_unlock_irqrestore(&d->arch.p2m_lock, f);
        return -ENOENT;     /* not RAM of this domain (a hole, shared_info) */
    }
    /* Changed since the check (another vCPU): try again later. */
    if ( holds_vcpu_info(d, mfn) || mfn != checked )
    {
        spin_unlock_irqrestore(&d->arch.p2m_lock, f);
        return -EBUSY;
    }
    if ( p2m_set_entry(&d->arch.p2m, gfn, P2M_INVALID_MFN, P2M_ORDER_4K, P2M_RWX) )
    {
        spin_unlock_irqrestore(&d->arch.p2m_lock, f);
        return -ENOMEM;     /* splitting a 2 MiB mapping needs a table page */
    }
    spin_unlock_irqrestore(&d->arch.p2m_lock, f);
    flush_domain_tlbs(d);
    pg = mfn_to_page(mfn);
    domain_free_pages(d, pg, 0);
    return 0;
}

/* What a p2m entry of d points at, for code that must undo it. */
enum frame_kind { FRAME_NONE, FRAME_OWN_RAM, FRAME_HYPERVISOR, FRAME_FOREIGN };

static enum frame_kind classify_frame(struct domain *d, unsigned long mfn)
{
    struct page_info *pg;

    if ( mfn == P2M_INVALID_MFN )
        return FRAME_NONE;
    pg = mfn_to_page(mfn);
    if ( pg->v.owner == d )
        return FRAME_OWN_RAM;
    /* shared_info and grant frames: the hypervisor's, lent to the guest. */
    if ( is_xen_heap_page(pg) )
        return FRAME_HYPERVISOR;
    return FRAME_FOREIGN;   /* another domain's page we hold a reference on */
}

/*
 * Whether an entry can be overwritten without losing the reference it
 * holds: a hole, a hypervisor frame, or d's own RAM that nothing else
 * references.  A page d granted to itself and mapped (gntalloc + gntdev)
 * looks like own RAM where it is mapped, but that entry holds a
 * reference, and so the page's count is above one.
 */
static bool entry_may_be_overwritten(struct domain *d, unsigned long mfn)
{
    switch ( classify_frame(d, mfn) )
    {
    case FRAME_NONE:
    case FRAME_HYPERVISOR:
        return true;
    case FRAME_OWN_RAM:
        return (mfn_to_page(mfn)->count_info & PGC_count_mask) == 1;
    default:
        return false;
    }
}

/*
 * Frame fgfn of domain fd appears at gpfn in d's physical map (dom0's
 * privcmd mapping a guest's memory).  The page gets a reference, so it
 * outlives fd's own use of it until d unmaps it.  A foreign page already
 * at gpfn is replaced and released; d's own RAM there stays d's.
 */
int arch_map_foreign_frame(struct domain *d, uint64_t gpfn,
                           struct domain *fd, uint64_t fgfn)
{
    unsigned long mfn, old, f;
    struct page_info *pg;
    int rc;

    if ( !d->arch.p2m_ready || !fd->arch.p2m_ready || gpfn > P2M_MAX_GFN ||
         fgfn > P2M_MAX_GFN )
        return -EINVAL;
    f = spin_lock_irqsave(&fd->arch.p2m_lock);
    mfn = p2m_get_entry(&fd->arch.p2m, fgfn, NULL, NULL);
    pg = mfn == P2M_INVALID_MFN ? NULL : mfn_to_page(mfn);
    rc = pg && get_domain_page(pg, fd) ? 0 : -ENOENT;
    spin_unlock_irqrestore(&fd->arch.p2m_lock, f);
    if ( rc )
        return rc;      /* a hole, or not fd's RAM (fd's shared_info, MMIO) */

    f = spin_lock_irqsave(&d->arch.p2m_lock);
    old = p2m_get_entry(&d->arch.p2m, gpfn, NULL, NULL);
    rc = p2m_set_entry(&d->arch.p2m, gpfn, mfn, P2M_ORDER_4K, P2M_RWX);
    spin_unlock_irqrestore(&d->arch.p2m_lock, f);
    if ( rc )
    {
        put_domain_page(pg);
        return rc;
    }
    flush_domain_tlbs(d);
    if ( classify_frame(d, old) == FRAME_FOREIGN && old != mfn )
        put_domain_page(mfn_to_page(old));
    else if ( old == mfn )
        put_domain_page(pg);    /* mapped twice at the same place: one ref */
    return 0;
}

/* Grant mappings (common/grant_table.c; the contract is in xen/grant_table.h). */
struct page_info *arch_get_guest_page(struct domain *d, uint64_t gfn)
{
    unsigned long mfn, f;
    struct page_info *pg;

    if ( !d->arch.p2m_ready || gfn > P2M_MAX_GFN )
        return NULL;
    f = spin_lock_irqsave(&d->arch.p2m_lock);
    mfn = p2m_get_entry(&d->arch.p2m, gfn, NULL, NULL);
    pg = mfn == P2M_INVALID_MFN ? NULL : mfn_to_page(mfn);
    if ( pg && !get_domain_page(pg, d) )
        pg = NULL;          /* not d's RAM: shared_info, a foreign frame */
    spin_unlock_irqrestore(&d->arch.p2m_lock, f);
    return pg;
}

int arch_map_grant_frame(struct domain *d, uint64_t gfn, struct page_info *pg,
                         bool readonly)
{
    unsigned long old, f;
    int rc;

    if ( !d->arch.p2m_ready || gfn > P2M_MAX_GFN )
        return -EINVAL;
    f = spin_lock_irqsave(&d->arch.p2m_lock);
    old = p2m_get_entry(&d->arch.p2m, gfn, NULL, NULL);
    /* Xen replaces RAM, refuses (and crashes the guest) over a mapping. */
    if ( classify_frame(d, old) == FRAME_HYPERVISOR ||
         !entry_may_be_overwritten(d, old) )
        rc = -EBUSY;
    else
        rc = p2m_set_entry(&d->arch.p2m, gfn, page_to_mfn(pg), P2M_ORDER_4K,
                           readonly ? P2M_RX : P2M_RWX);
    spin_unlock_irqrestore(&d->arch.p2m_lock, f);
    if ( !rc && old != P2M_INVALID_MFN )
        flush_domain_tlbs(d);   /* the RAM page it replaced may be cached */
    return rc;
}

/* The entry's reference is the caller's now, to drop after the flush. */
int arch_clear_grant_frame(struct domain *d, uint64_t gfn, struct page_info *pg)
{
    unsigned long f;
    int rc = -ENOENT;

    if ( !d->arch.p2m_ready || gfn > P2M_MAX_GFN )
        return -EINVAL;
    f = spin_lock_irqsave(&d->arch.p2m_lock);
    if ( p2m_get_entry(&d->arch.p2m, gfn, NULL, NULL) == page_to_mfn(pg) )
        rc = p2m_set_entry(&d->arch.p2m, gfn, P2M_INVALID_MFN, P2M_ORDER_4K,
                           P2M_RWX);
    spin_unlock_irqrestore(&d->arch.p2m_lock, f);
    return rc;
}

void arch_flush_guest_tlbs(struct domain *d)
{
    flush_domain_tlbs(d);
}

/*
 * XENMEM_remove_from_physmap: whatever is at gpfn goes.  Own RAM is given
 * back as the balloon driver would; a foreign frame's reference is
 * dropped once no vCPU of d can reach it; a hypervisor frame just leaves.
 */
int arch_remove_physmap_entry(struct domain *d, uint64_t gpfn)
{
    unsigned long mfn, f;
    enum frame_kind kind;
    int rc = 0;

    if ( !d->arch.p2m_ready || gpfn > P2M_MAX_GFN )
        return -EINVAL;
    f = spin_lock_irqsave(&d->arch.p2m_lock);
    mfn = p2m_get_entry(&d->arch.p2m, gpfn, NULL, NULL);
    kind = classify_frame(d, mfn);
    if ( kind == FRAME_FOREIGN || kind == FRAME_HYPERVISOR )
        rc = p2m_set_entry(&d->arch.p2m, gpfn, P2M_INVALID_MFN, P2M_ORDER_4K,
                           P2M_RWX);       /* -ENOMEM if a split failed */
    spin_unlock_irqrestore(&d->arch.p2m_lock, f);
    if ( rc )
        return rc;
    switch ( kind )
    {
    case FRAME_OWN_RAM:
        return arch_release_guest_page(d, gpfn);
    case FRAME_HYPERVISOR:
        flush_domain_tlbs(d);
        return 0;
    case FRAME_FOREIGN:
        flush_domain_tlbs(d);
        put_domain_page(mfn_to_page(mfn));
        return 0;
    default:
        return -ENOENT;
    }
}

/* The balloon driver takes memory again: fresh pages where nothing is. */
int arch_populate_guest_pages(struct domain *d, uint64_t gfn, unsigned int order)
{
    unsigned long i, n = 1UL << order, f;
    int rc;

    if ( !d->arch.p2m_ready || order > P2M_ORDER_2M || (gfn & (n - 1)) ||
         gfn + n - 1 > P2M_MAX_GFN )
        return -EINVAL;
    f = spin_lock_irqsave(&d->arch.p2m_lock);
    for ( i = 0; i < n; i++ )
        if ( p2m_get_entry(&d->arch.p2m, gfn + i, NULL, NULL) != P2M_INVALID_MFN )
        {
            spin_unlock_irqrestore(&d->arch.p2m_lock, f);
            return -EBUSY;
        }
    rc = arch_populate_ram(d, gfn, n);
    spin_unlock_irqrestore(&d->arch.p2m_lock, f);
    return rc;
}

/* Map [gfn, gfn + nr) to fresh, zeroed pages: 2 MiB at a time if possible. */
int arch_populate_ram(struct domain *d, unsigned long gfn, unsigned long nr)
{
    while ( nr )
    {
        unsigned int order = (!(gfn & 511) && nr >= 512) ? P2M_ORDER_2M : 0;
        struct page_info *pg = domain_alloc_pages(d, order);
        int rc;

        if ( !pg && order )
            pg = domain_alloc_pages(d, order = 0);
        if ( !pg )
            return -ENOMEM;
        /* Pages come back from other owners: never hand over their data. */
        memset(page_to_virt(pg), 0, PAGE_SIZE << order);
        rc = p2m_set_entry(&d->arch.p2m, gfn, page_to_mfn(pg), order, P2M_RWX);
        if ( rc )
            return rc;
        d->arch.p2m_generation++;
        gfn += 1UL << order;
        nr -= 1UL << order;
    }
    return 0;
}

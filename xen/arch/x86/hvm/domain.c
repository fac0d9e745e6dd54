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
#include <xen/sched.h>
#include <xen/string.h>
#include <asm/hvm/domain_build.h>
#include <asm/hvm/svm.h>
#include <asm/hvm/vlapic.h>
#include <asm/hvm/xstate.h>
#include <asm/p2m.h>

#define GNTTAB_MAX_FRAMES 32     /* Xen's default max_grant_frames */

int arch_domain_init(struct domain *d)
{
    int rc;

    if ( (rc = p2m_init(&d->arch.p2m, &p2m_xenheap_allocator)) )
        return rc;
    d->arch.p2m.owner = d;
    d->arch.p2m_ready = true;
    if ( !(d->shared_info = alloc_xenheap_pages(0, 0)) )
        return -ENOMEM;
    memset(d->shared_info, 0, PAGE_SIZE);
    if ( (rc = evtchn_init(d, EVTCHN_2L_NR_PORTS, d->shared_info)) )
        return rc;
    return gnttab_init(d, GNTTAB_MAX_FRAMES);
}

int arch_vcpus_init(struct domain *d)
{
    unsigned int i;
    int rc;

    for ( i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu *v = d->vcpus[i];

        if ( (rc = svm_vcpu_create(v)) || (rc = xstate_vcpu_init(v)) )
            return rc;
        vlapic_init(v);
    }
    return 0;
}

void arch_domain_teardown(struct domain *d)
{
    unsigned int i;

    for ( i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu *v = d->vcpus[i];

        if ( !v )
            continue;
        if ( v->arch.vmcb )
            vlapic_destroy(v);
        svm_vcpu_destroy(v);
        xstate_vcpu_destroy(v);
    }
    if ( d->arch.p2m_ready )
        p2m_teardown(&d->arch.p2m);
    d->arch.p2m_ready = false;
    if ( d->shared_info )
        free_xenheap_pages(d->shared_info, 0);
    d->shared_info = NULL;
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

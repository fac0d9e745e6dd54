/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Backend-neutral p2m glue.  For now: where the hypervisor takes p2m table
 * pages from (its heap).  Per-domain accounting of those pages against the
 * domain's limits belongs here.
 */
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <asm/p2m.h>

static void *xenheap_alloc(struct p2m *p2m, paddr_t *pa)
{
    void *p = alloc_xenheap_pages(0, 0);

    if ( !p )
        return NULL;
    memset(p, 0, PAGE_SIZE);
    *pa = virt_to_maddr(p);
    /*
     * Tables stay until the domain dies (entries are cleared, tables not
     * pruned), so a backend mapping grants at new addresses keeps heap
     * pages: said at debug level, for whoever balances free pages.
     */
    if ( p2m->owner )
        printk(XENLOG_DEBUG "d%u: p2m grown to %lu table pages\n",
               ((struct domain *)p2m->owner)->domain_id, p2m->table_pages + 1);
    return p;
}

static void xenheap_free(struct p2m *p2m, void *va)
{
    free_xenheap_pages(va, 0);
}

const struct p2m_table_allocator p2m_xenheap_allocator = {
    .alloc = xenheap_alloc,
    .free = xenheap_free,
};

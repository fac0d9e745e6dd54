/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Grant tables (v1): each domain's shared entries, the pin counts the
 * hypervisor keeps for entries in use, and the "maptrack" of mappings a
 * domain holds of others' grants.  Results are GNTST_* codes, as the
 * hypercall reports them per operation.
 */
#ifndef XEN_GRANT_TABLE_H
#define XEN_GRANT_TABLE_H

#include <xen/types.h>
#include <public/grant_table.h>

struct domain;
struct page_info;

#define GNTTAB_ENTRIES_PER_FRAME 512
#define GNTTAB_MAPTRACK_MAX      8192    /* mappings one domain may hold */
/* Batch elements (map, unmap, copy, swap) one grant_table_op invocation
 * does at most before it continues. */
#define GNTTAB_CHUNK             512

int gnttab_init(struct domain *d, unsigned int max_frames);
/* Grow the shared table to nr_frames (never shrinks).  GNTST_*. */
int gnttab_setup(struct domain *d, unsigned int nr_frames);
void gnttab_query(struct domain *d, unsigned int *nr_frames,
                  unsigned int *max_frames);
/* Shared frame i (NULL beyond nr_frames): what the guest maps. */
struct grant_entry_v1 *gnttab_shared_frame(struct domain *d, unsigned int i);

/*
 * d maps entry ref of domain `granter` at its guest-physical address
 * host_addr (flags: GNTMAP_host_map, optionally GNTMAP_readonly).  On
 * success *handle names the mapping.  GNTST_*.
 */
int gnttab_map(struct domain *d, uint16_t granter, grant_ref_t ref,
               uint32_t flags, uint64_t host_addr, grant_handle_t *handle);
/*
 * Undo mapping `handle` of d, which must be at host_addr (0: leave the
 * mapping, as Xen does).  dev_bus_addr must be 0: no bus address is ever
 * handed out here.  GNTST_*.
 */
int gnttab_unmap(struct domain *d, grant_handle_t handle, uint64_t host_addr,
                 uint64_t dev_bus_addr);
/* Pins on granter's entry ref: mappings of it plus copies in progress. */
unsigned int gnttab_pins(struct domain *granter, grant_ref_t ref);

/* Whether d holds a mapping of a grant of its own for machine frame mfn. */
bool gnttab_maps_own_frame(struct domain *d, unsigned long mfn);

/* Drop every mapping d holds, then d's table. */
void gnttab_destroy(struct domain *d);

/*
 * Arch hooks (arch/x86/hvm/domain.c), called with grant-table locks held:
 * they take p2m locks inside them, and no p2m path takes a grant lock.
 *
 * arch_get_guest_page: the RAM page d owns at gfn, with a reference
 * (get_domain_page), or NULL for a hole, a frame d does not own, or a
 * dying d.
 *
 * arch_map_grant_frame: pg at gfn in d's physical map, read-only if asked.
 * On success the entry holds one reference on pg (the caller's), which
 * whoever removes the entry drops, exactly as for a foreign frame mapped by
 * add_to_physmap_batch.  An empty slot or d's own RAM is replaced (the RAM
 * stays d's, as in Xen); a foreign or hypervisor frame there, or own RAM
 * something else references (e.g. a page d granted to itself and mapped
 * there, whose entry holds a reference): -EBUSY.
 *
 * arch_clear_grant_frame: if gfn still maps pg, clear it; -ENOENT if gfn
 * holds something else.  The entry's reference passes to the caller, who
 * must not drop it before arch_flush_guest_tlbs(d) has returned: until
 * then a vCPU of d may still reach pg through a stale translation.
 *
 * arch_flush_guest_tlbs: once it returns, no vCPU of d reaches a frame
 * through a p2m entry cleared before the call.  One flush serves any
 * number of cleared entries (a batch of unmaps).
 */
struct page_info *arch_get_guest_page(struct domain *d, uint64_t gfn);
int arch_map_grant_frame(struct domain *d, uint64_t gfn, struct page_info *pg,
                         bool readonly);
int arch_clear_grant_frame(struct domain *d, uint64_t gfn, struct page_info *pg);
void arch_flush_guest_tlbs(struct domain *d);

#endif

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

#define GNTTAB_ENTRIES_PER_FRAME 512
#define GNTTAB_MAPTRACK_MAX      1024    /* mappings one domain may hold */

int gnttab_init(struct domain *d, unsigned int max_frames);
/* Grow the shared table to nr_frames (never shrinks).  GNTST_*. */
int gnttab_setup(struct domain *d, unsigned int nr_frames);
void gnttab_query(struct domain *d, unsigned int *nr_frames,
                  unsigned int *max_frames);
/* Shared frame i (NULL beyond nr_frames): what the guest maps. */
struct grant_entry_v1 *gnttab_shared_frame(struct domain *d, unsigned int i);

/*
 * d maps granter's entry ref (GNTMAP_readonly in flags for read-only).
 * On success *handle names the mapping and *gfn is the granted frame.
 */
int gnttab_map(struct domain *d, struct domain *granter, grant_ref_t ref,
               uint32_t flags, grant_handle_t *handle, uint32_t *gfn);
int gnttab_unmap(struct domain *d, grant_handle_t handle);
/* Mappings of granter's entry ref held by anyone (pins). */
unsigned int gnttab_pins(struct domain *granter, grant_ref_t ref);

/* Drop every mapping d holds, then d's table. */
void gnttab_destroy(struct domain *d);

#endif

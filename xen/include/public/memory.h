/* SPDX-License-Identifier: GPL-2.0 */
/*
 * __HYPERVISOR_memory_op(cmd, arg): the commands a PVH guest uses to learn
 * its memory (Xen's public/memory.h numbering and layouts, 64-bit).
 */
#ifndef PUBLIC_MEMORY_H
#define PUBLIC_MEMORY_H

#include <stdint.h>

#define XENMEM_increase_reservation  0
#define XENMEM_decrease_reservation  1
#define XENMEM_maximum_ram_page      2   /* arg unused: highest MFN */
#define XENMEM_current_reservation   3   /* arg: domid_t *; returns pages */
#define XENMEM_maximum_reservation   4   /* arg: domid_t *; returns pages */
#define XENMEM_populate_physmap      6
#define XENMEM_add_to_physmap        7
#define XENMEM_memory_map            9   /* arg: struct xen_memory_map */
#define XENMEM_machine_memory_map   10
#define XENMEM_set_memory_map       13   /* struct xen_foreign_memory_map */
#define XENMEM_remove_from_physmap  15   /* struct xen_remove_from_physmap */
#define XENMEM_add_to_physmap_batch 23   /* struct xen_add_to_physmap_batch */

/* An e820 entry as guests read it: 20 bytes, packed. */
struct __attribute__((packed)) xen_e820_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
};

struct xen_memory_map {
    uint32_t nr_entries;    /* IN: room in buffer; OUT: entries written */
    uint32_t pad;
    uint64_t buffer;        /* guest address of struct xen_e820_entry[] */
};

/*
 * increase/decrease_reservation and populate_physmap: cmd's low 6 bits are
 * the operation, the rest the extent to start from (continuations).
 */
#define MEMOP_CMD_MASK       0x3f
#define MEMOP_EXTENT_SHIFT   6

struct xen_memory_reservation {
    uint64_t extent_start;  /* guest address of uint64_t gpfn[nr_extents] */
    uint64_t nr_extents;
    uint32_t extent_order;  /* 2^order pages per extent */
    uint32_t mem_flags;
    uint16_t domid;
    uint16_t pad[3];
};

/* XENMEM_add_to_physmap: put a frame of space `space` at gpfn. */
#define XENMAPSPACE_shared_info  0   /* idx 0: the shared-info page */
#define XENMAPSPACE_grant_table  1   /* idx: grant frame number */
#define XENMAPSPACE_gmfn         2
#define XENMAPSPACE_gmfn_range   3
#define XENMAPSPACE_gmfn_foreign 4
#define XENMAPSPACE_dev_mmio     5
#define XENMAPIDX_grant_table_status (1u << 31)   /* v2 status frames */

struct xen_add_to_physmap {
    uint16_t domid;
    uint16_t size;          /* gmfn_range only */
    uint32_t space;
    uint64_t idx;
    uint64_t gpfn;
};

/*
 * XENMEM_add_to_physmap_batch: size frames at once.  For gmfn_foreign,
 * idxs[] are frames of foreign_domid and gpfns[] where they appear in
 * domid's physical map; errs[] gets each one's result.  Linux's privcmd
 * maps a guest's memory for the toolstack this way on a PVH dom0.
 */
struct xen_add_to_physmap_batch {
    uint16_t domid;
    uint16_t space;
    uint16_t size;
    uint16_t foreign_domid; /* in Xen a union whose other member is reserved */
    uint64_t idxs;          /* guest address of xen_ulong_t[size] */
    uint64_t gpfns;         /* guest address of xen_pfn_t[size] */
    uint64_t errs;          /* guest address of int[size] */
};

/* XENMEM_remove_from_physmap: unmap whatever is at gpfn. */
struct xen_remove_from_physmap {
    uint16_t domid;
    uint16_t pad[3];
    uint64_t gpfn;
};

/* XENMEM_set_memory_map: the builder gives a domain its e820. */
struct xen_foreign_memory_map {
    uint16_t domid;
    uint16_t pad[3];
    struct xen_memory_map map;
};

#ifndef __ASSEMBLY__
_Static_assert(sizeof(struct xen_add_to_physmap_batch) == 32, "batch layout");
_Static_assert(sizeof(struct xen_remove_from_physmap) == 16, "remove layout");
_Static_assert(sizeof(struct xen_foreign_memory_map) == 24, "set_memory_map layout");
_Static_assert(sizeof(struct xen_add_to_physmap) == 24, "add_to_physmap layout");
_Static_assert(sizeof(struct xen_memory_reservation) == 32, "reservation layout");
#endif

#endif /* PUBLIC_MEMORY_H */

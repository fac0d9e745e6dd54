/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Grant tables, version 1: a domain grants another access to one of its
 * pages by filling an entry in its grant table, which it shares with the
 * hypervisor.  Numbers and layouts as Xen's public/grant_table.h.
 */
#ifndef PUBLIC_GRANT_TABLE_H
#define PUBLIC_GRANT_TABLE_H

#include <stdint.h>

typedef uint32_t grant_ref_t;
typedef uint32_t grant_handle_t;

/* One v1 entry: 8 bytes, 512 to a 4 KiB frame. */
struct grant_entry_v1 {
    uint16_t flags;     /* GTF_* */
    uint16_t domid;     /* who may use it */
    uint32_t frame;     /* the granting domain's frame (GFN) */
};

#define GTF_invalid         0
#define GTF_permit_access   1
#define GTF_accept_transfer 2
#define GTF_type_mask       3
#define GTF_readonly        (1u << 2)   /* guest-set: no write access */
#define GTF_reading         (1u << 3)   /* hypervisor-set: mapped/read */
#define GTF_writing         (1u << 4)   /* hypervisor-set: mapped writable */
#define GTF_sub_page        (1u << 8)   /* v2 only: a map must not see it */

#define GNTTABOP_map_grant_ref    0
#define GNTTABOP_unmap_grant_ref  1
#define GNTTABOP_setup_table      2
#define GNTTABOP_dump_table       3
#define GNTTABOP_transfer         4
#define GNTTABOP_copy             5
#define GNTTABOP_query_size       6
#define GNTTABOP_unmap_and_replace 7
#define GNTTABOP_set_version      8
#define GNTTABOP_get_status_frames 9
#define GNTTABOP_get_version     10
#define GNTTABOP_swap_grant_ref  11
#define GNTTABOP_cache_flush     12
/* The low 12 bits of cmd; the rest is a continuation argument (cache_flush). */
#define GNTTABOP_CMD_MASK      0xfffu

#define GNTMAP_device_map   (1u << 0)
#define GNTMAP_host_map     (1u << 1)
#define GNTMAP_readonly     (1u << 2)
#define GNTMAP_application_map (1u << 3)  /* PV only */
#define GNTMAP_contains_pte (1u << 4)   /* PV only: host_addr is a PTE */

#define GNTCOPY_source_gref (1u << 0)   /* source.u is a grant ref, else a gmfn */
#define GNTCOPY_dest_gref   (1u << 1)

#define GNTST_okay              0
#define GNTST_general_error    (-1)
#define GNTST_bad_domain       (-2)
#define GNTST_bad_gntref       (-3)
#define GNTST_bad_handle       (-4)
#define GNTST_bad_virt_addr    (-5)
#define GNTST_bad_dev_addr     (-6)
#define GNTST_no_device_space  (-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page         (-9)
#define GNTST_bad_copy_arg    (-10)
#define GNTST_address_too_big (-11)
#define GNTST_eagain          (-12)
#define GNTST_no_space        (-13)

/*
 * GNTTABOP_map_grant_ref: map dom's entry ref.  A translated (PVH/HVM)
 * caller gives host_addr as a guest-physical address; the frame appears
 * at host_addr >> 12 in its physical map.
 */
struct gnttab_map_grant_ref {
    uint64_t host_addr;         /* IN */
    uint32_t flags;             /* IN: GNTMAP_* */
    grant_ref_t ref;            /* IN */
    uint16_t dom;               /* IN: the granting domain */
    int16_t status;             /* OUT: GNTST_* */
    grant_handle_t handle;      /* OUT */
    uint64_t dev_bus_addr;      /* OUT */
};

/* GNTTABOP_unmap_grant_ref: undo the mapping handle names at host_addr. */
struct gnttab_unmap_grant_ref {
    uint64_t host_addr;         /* IN */
    uint64_t dev_bus_addr;      /* IN */
    grant_handle_t handle;      /* IN */
    int16_t status;             /* OUT */
};

/* GNTTABOP_unmap_and_replace: the same, putting new_addr's frame there. */
struct gnttab_unmap_and_replace {
    uint64_t host_addr;         /* IN */
    uint64_t new_addr;          /* IN */
    grant_handle_t handle;      /* IN */
    int16_t status;             /* OUT */
};

/* GNTTABOP_copy: len bytes from source to dest, each a gref or a gmfn. */
struct gnttab_copy_ptr {
    union {
        grant_ref_t ref;
        uint64_t gmfn;          /* xen_pfn_t */
    } u;
    uint16_t domid;
    uint16_t offset;
};

struct gnttab_copy {
    struct gnttab_copy_ptr source, dest;   /* IN */
    uint16_t len;               /* IN */
    uint16_t flags;             /* IN: GNTCOPY_* */
    int16_t status;             /* OUT */
};

/* GNTTABOP_get_status_frames (v2 only). */
struct gnttab_get_status_frames {
    uint32_t nr_frames;         /* IN */
    uint16_t dom;               /* IN */
    int16_t status;             /* OUT */
    uint64_t frame_list;        /* IN: guest address of uint64_t[nr_frames] */
};

/* GNTTABOP_swap_grant_ref: exchange two of the caller's unused entries. */
struct gnttab_swap_grant_ref {
    grant_ref_t ref_a;          /* IN */
    grant_ref_t ref_b;          /* IN */
    int16_t status;             /* OUT */
};

/* GNTTABOP_setup_table: grow to nr_frames; frame_list gets their frames. */
struct gnttab_setup_table {
    uint16_t dom;               /* IN */
    uint32_t nr_frames;         /* IN */
    int16_t status;             /* OUT: GNTST_* */
    uint64_t frame_list;        /* IN: guest address of uint64_t[nr_frames] */
};

/* GNTTABOP_set_version / get_version. */
struct gnttab_set_version {
    uint32_t version;           /* IN/OUT */
};

struct gnttab_get_version {
    uint16_t dom;               /* IN */
    uint16_t pad;
    uint32_t version;           /* OUT */
};

struct gnttab_query_size {
    uint16_t dom;               /* IN */
    uint32_t nr_frames;         /* OUT */
    uint32_t max_nr_frames;     /* OUT */
    int16_t status;             /* OUT: GNTST_* */
};

#ifndef __ASSEMBLY__
_Static_assert(sizeof(struct gnttab_setup_table) == 24, "setup_table layout");
_Static_assert(sizeof(struct gnttab_query_size) == 16, "query_size layout");
_Static_assert(sizeof(struct gnttab_get_version) == 8, "get_version layout");
_Static_assert(sizeof(struct gnttab_map_grant_ref) == 32, "map layout");
_Static_assert(__builtin_offsetof(struct gnttab_map_grant_ref, handle) == 20, "map layout");
_Static_assert(sizeof(struct gnttab_unmap_grant_ref) == 24, "unmap layout");
_Static_assert(sizeof(struct gnttab_unmap_and_replace) == 24, "unmap_and_replace layout");
_Static_assert(sizeof(struct gnttab_copy) == 40, "copy layout");
_Static_assert(__builtin_offsetof(struct gnttab_copy, len) == 32, "copy layout");
_Static_assert(sizeof(struct gnttab_get_status_frames) == 16, "get_status_frames layout");
_Static_assert(sizeof(struct gnttab_swap_grant_ref) == 12, "swap layout");
#endif

#endif /* PUBLIC_GRANT_TABLE_H */

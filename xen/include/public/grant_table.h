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

#define GNTTABOP_map_grant_ref    0
#define GNTTABOP_unmap_grant_ref  1
#define GNTTABOP_setup_table      2
#define GNTTABOP_dump_table       3
#define GNTTABOP_transfer         4
#define GNTTABOP_copy             5
#define GNTTABOP_query_size       6
#define GNTTABOP_set_version      8
#define GNTTABOP_get_version     10

#define GNTMAP_device_map   (1u << 0)
#define GNTMAP_host_map     (1u << 1)
#define GNTMAP_readonly     (1u << 2)

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
#endif

#endif /* PUBLIC_GRANT_TABLE_H */

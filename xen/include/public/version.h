/* SPDX-License-Identifier: GPL-2.0 */
/*
 * __HYPERVISOR_xen_version(cmd, arg): sub-commands and their buffers, as
 * Xen's public/version.h defines them.
 */
#ifndef PUBLIC_VERSION_H
#define PUBLIC_VERSION_H

/* Returns (major << 16) | minor; arg unused. */
#define XENVER_version       0

/* arg: char[16], NUL-terminated, e.g. ".0". */
#define XENVER_extraversion  1
typedef char xen_extraversion_t[16];

/* arg: struct xen_compile_info. */
#define XENVER_compile_info  2
struct xen_compile_info {
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};

/* arg: char[1024], e.g. "hvm-3.0-x86_64 hvm-3.0-x86_32 ...". */
#define XENVER_capabilities  3
typedef char xen_capabilities_info_t[1024];

/* arg: char[64]. */
#define XENVER_changeset     4
typedef char xen_changeset_info_t[64];

/* arg: struct xen_platform_parameters (virt_start: unsigned long). */
#define XENVER_platform_parameters 5

/* arg: struct xen_feature_info: in submap_idx, out submap (XENFEAT_*). */
#define XENVER_get_features  6
struct xen_feature_info {
    unsigned int submap_idx;
    unsigned int submap;
};

/* Feature bits (submap 0), as Xen numbers them (public/features.h). */
#define XENFEAT_writable_page_tables       0
#define XENFEAT_writable_descriptor_tables 1
#define XENFEAT_auto_translated_physmap    2
#define XENFEAT_supervisor_mode_kernel     3
#define XENFEAT_pae_pgdir_above_4gb        4
#define XENFEAT_mmu_pt_update_preserve_ad  5
#define XENFEAT_highmem_assist             6
#define XENFEAT_gnttab_map_avail_bits      7
#define XENFEAT_hvm_callback_vector        8
#define XENFEAT_hvm_safe_pvclock           9
#define XENFEAT_hvm_pirqs                 10
#define XENFEAT_dom0                      11
#define XENFEAT_NR_SUBMAPS                 1

/* Returns the page size; arg unused. */
#define XENVER_pagesize      7

/* arg: xen_domain_handle_t (16 bytes). */
#define XENVER_guest_handle  8

/* arg: char[1024]: the hypervisor's command line. */
#define XENVER_commandline   9
typedef char xen_commandline_t[1024];

#endif /* PUBLIC_VERSION_H */

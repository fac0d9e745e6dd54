/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen ELF notes: how a guest kernel image describes itself to the domain
 * builder.  Each note has the name "Xen" and one of the types below; the
 * numbers are Xen's guest ABI (public/elfnote.h in Xen), and Linux's
 * arch/x86/xen and arch/x86/platform/pvh emit them.
 */
#ifndef PUBLIC_ELFNOTE_H
#define PUBLIC_ELFNOTE_H

#define XEN_ELFNOTE_INFO               0   /* unused */
#define XEN_ELFNOTE_ENTRY              1   /* PV entry point (virtual) */
#define XEN_ELFNOTE_HYPERCALL_PAGE     2   /* virtual address of the page */
#define XEN_ELFNOTE_VIRT_BASE          3
#define XEN_ELFNOTE_PADDR_OFFSET       4
#define XEN_ELFNOTE_XEN_VERSION        5   /* string */
#define XEN_ELFNOTE_GUEST_OS           6   /* string, e.g. "linux" */
#define XEN_ELFNOTE_GUEST_VERSION      7   /* string */
#define XEN_ELFNOTE_LOADER             8   /* string, "generic" */
#define XEN_ELFNOTE_PAE_MODE           9   /* string */
#define XEN_ELFNOTE_FEATURES          10   /* string, '|'-separated */
#define XEN_ELFNOTE_BSD_SYMTAB        11
#define XEN_ELFNOTE_HV_START_LOW      12
#define XEN_ELFNOTE_L1_MFN_VALID      13
#define XEN_ELFNOTE_SUSPEND_CANCEL    14
#define XEN_ELFNOTE_INIT_P2M          15
#define XEN_ELFNOTE_MOD_START_PFN     16
#define XEN_ELFNOTE_SUPPORTED_FEATURES 17  /* 32-bit feature bitmap */
#define XEN_ELFNOTE_PHYS32_ENTRY      18   /* PVH: 32-bit physical entry */

#endif /* PUBLIC_ELFNOTE_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PVH start of day: vCPU 0 enters the kernel's XEN_ELFNOTE_PHYS32_ENTRY
 * in 32-bit flat protected mode, paging off, with EBX holding the
 * guest-physical address of a struct hvm_start_info.  Layouts are Xen's
 * (version 1 adds the memory map); every address in them is
 * guest-physical.
 */
#ifndef PUBLIC_ARCH_X86_HVM_START_INFO_H
#define PUBLIC_ARCH_X86_HVM_START_INFO_H

#define XEN_HVM_START_MAGIC_VALUE 0x336ec578

/* memmap entry types, numbered as in the e820 map. */
#define XEN_HVM_MEMMAP_TYPE_RAM       1
#define XEN_HVM_MEMMAP_TYPE_RESERVED  2
#define XEN_HVM_MEMMAP_TYPE_ACPI      3
#define XEN_HVM_MEMMAP_TYPE_NVS       4
#define XEN_HVM_MEMMAP_TYPE_UNUSABLE  5
#define XEN_HVM_MEMMAP_TYPE_DISABLED  6
#define XEN_HVM_MEMMAP_TYPE_PMEM      7

#ifndef __ASSEMBLY__
struct hvm_start_info {
    uint32_t magic;            /* XEN_HVM_START_MAGIC_VALUE */
    uint32_t version;          /* 1: memmap fields are valid */
    uint32_t flags;            /* SIF_* */
    uint32_t nr_modules;
    uint64_t modlist_paddr;    /* array of struct hvm_modlist_entry */
    uint64_t cmdline_paddr;    /* NUL-terminated, 0 if none */
    uint64_t rsdp_paddr;       /* ACPI RSDP, 0 if none */
    uint64_t memmap_paddr;     /* array of struct hvm_memmap_table_entry */
    uint32_t memmap_entries;
    uint32_t reserved;
};

struct hvm_modlist_entry {
    uint64_t paddr;
    uint64_t size;
    uint64_t cmdline_paddr;
    uint64_t reserved;
};

struct hvm_memmap_table_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;             /* XEN_HVM_MEMMAP_TYPE_* */
    uint32_t reserved;
};

_Static_assert(sizeof(struct hvm_start_info) == 56, "hvm_start_info layout");
_Static_assert(sizeof(struct hvm_modlist_entry) == 32, "hvm_modlist_entry layout");
_Static_assert(sizeof(struct hvm_memmap_table_entry) == 24, "memmap entry layout");
#endif

#endif /* PUBLIC_ARCH_X86_HVM_START_INFO_H */

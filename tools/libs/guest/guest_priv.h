/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside libtonnerreguest: the steps builder_build_pvh() is made of, each
 * usable (and unit-tested) on its own.
 */
#ifndef GUEST_PRIV_H
#define GUEST_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tonnerre/builder.h>
#include <public/arch-x86/hvm/start_info.h>

#define GUEST_PAGE_SIZE  4096u
#define GUEST_PAGE_SHIFT 12

/* Write a one-line reason into err (if any); returns rc for `return builder_fail(...)`. */
int builder_fail(char *err, size_t errlen, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- elf_load.c: an ELF32 or ELF64 vmlinux, already in memory ---- */

/*
 * Validate elf[0..len) as an x86 (i386 or x86-64, either ELF class)
 * executable whose PT_LOAD segments lie
 * inside the file and below 4 GiB without overlapping, and which carries a
 * XEN_ELFNOTE_PHYS32_ENTRY inside one of them; fill img's entry and paddr
 * range (img->elf is not touched).
 */
int elf_check(const uint8_t *elf, size_t len, struct builder_image *img, char *err, size_t errlen);

/*
 * Copy the PT_LOAD segments of a checked image into dst, which holds guest
 * physical [dst_paddr, dst_paddr + dst_len); the part of each segment past
 * its file data (bss) is zeroed.  Segments must lie inside dst.
 */
int elf_load_segments(const struct builder_image *img, uint8_t *dst, uint64_t dst_paddr,
                      uint64_t dst_len, char *err, size_t errlen);

/* The most vCPUs a PVH domain gets (Xen's HVM_MAX_VCPUS). */
#define MAX_VCPUS 128u

/* ---- mptable.c: the MP table naming the vCPUs (pure) ---- */

/* Where it goes: the BIOS area (reserved in the e820), where Linux scans. */
#define PVH_MPTABLE_PADDR 0xf0000u
size_t pvh_mptable_size(unsigned int vcpus);
/* Fill buf (len bytes, to be placed at table_paddr); -EINVAL if it does not fit. */
int pvh_write_mptable(uint8_t *buf, size_t len, uint32_t table_paddr, unsigned int vcpus);

/* ---- layout.c: where everything goes in the guest (pure) ---- */

/* Xen's libxc: 8 special pages ending at pfn 0xff000 (X86_HVM_END_SPECIAL_REGION). */
#define PVH_SPECIAL_END_PFN   0xff000u
#define PVH_NR_SPECIAL_PAGES  8u
#define PVH_SPECIAL_XENSTORE  4u
#define PVH_SPECIAL_CONSOLE   7u
#define PVH_SPECIAL_PFN(x)    (PVH_SPECIAL_END_PFN - PVH_NR_SPECIAL_PAGES + (x))

/* Low RAM stops where the MMIO hole (LAPIC, IOAPIC, special pages) begins. */
#define PVH_LOWMEM_END        0xf0000000ull
#define PVH_HIGHMEM_START     0x100000000ull

/* Offsets inside the start-info area. */
#define PVH_INFO_MODLIST_OFF  64u
#define PVH_INFO_MEMMAP_OFF   128u
#define PVH_INFO_CMDLINE_OFF  512u
#define PVH_MAX_MEMMAP        4u
#define PVH_MAX_CMDLINE       (64u * 1024)

struct pvh_layout_in {
    uint64_t mem_kib;
    uint64_t kernel_lo, kernel_hi;      /* guest-physical, hi exclusive */
    uint64_t ramdisk_len;               /* 0: none */
    size_t cmdline_len;                 /* strlen, without the NUL */
    bool has_cmdline;
};

struct pvh_layout {
    uint64_t ram_pages;
    uint64_t lowmem_end;                /* RAM is [0, lowmem_end) ... */
    uint64_t highmem_end;               /* ... and [4 GiB, highmem_end) when > 4 GiB */
    uint64_t ramdisk_paddr, ramdisk_len;
    uint64_t info_paddr;                /* struct hvm_start_info */
    unsigned int info_pages;
    uint64_t modlist_paddr, memmap_paddr, cmdline_paddr;   /* 0 when absent */
    unsigned int nr_modules;
    unsigned int memmap_entries;
    struct hvm_memmap_table_entry memmap[PVH_MAX_MEMMAP];
    uint64_t special_pfn;               /* first special page */
    uint64_t store_pfn, console_pfn;
};

int pvh_compute_layout(const struct pvh_layout_in *in, struct pvh_layout *out,
                       char *err, size_t errlen);

/*
 * Fill the start-info area (info_pages pages at info_paddr, given as buf of
 * buflen bytes) for layout l.  Returns 0 or -EINVAL if buf is too small.
 */
int pvh_write_start_info(const struct pvh_layout *l, const char *cmdline,
                         uint8_t *buf, size_t buflen);

#endif /* GUEST_PRIV_H */

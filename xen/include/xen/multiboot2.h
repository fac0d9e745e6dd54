/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multiboot2 boot information (the Multiboot2 specification, section 3.6)
 * and what the hypervisor makes of it.
 */
#ifndef XEN_MULTIBOOT2_H
#define XEN_MULTIBOOT2_H

#include <xen/types.h>

#define MB2_HEADER_MAGIC        0xe85250d6u  /* in the image's header */
#define MB2_BOOTLOADER_MAGIC    0x36d76289u  /* in EAX at entry */

/* Boot information tag types. */
#define MB2_TAG_END             0
#define MB2_TAG_CMDLINE         1
#define MB2_TAG_LOADER_NAME     2
#define MB2_TAG_MODULE          3
#define MB2_TAG_BASIC_MEMINFO   4
#define MB2_TAG_MMAP            6
#define MB2_TAG_ACPI_OLD        14
#define MB2_TAG_ACPI_NEW        15

/* Memory map entry types (the same numbers as e820). */
#define BOOT_MEM_RAM            1
#define BOOT_MEM_RESERVED       2
#define BOOT_MEM_ACPI           3
#define BOOT_MEM_NVS            4
#define BOOT_MEM_BAD            5

#define BOOT_MAX_REGIONS        128
#define BOOT_MAX_MODULES        16

struct boot_region {
    paddr_t start, end;     /* [start, end) */
    uint32_t type;
};

struct boot_module {
    paddr_t start, end;     /* [start, end) */
    const char *cmdline;    /* points into the boot information */
};

struct boot_info {
    const char *cmdline;
    const char *loader_name;
    struct boot_region mmap[BOOT_MAX_REGIONS];
    unsigned int nr_mmap;
    struct boot_module mods[BOOT_MAX_MODULES];
    unsigned int nr_mods;
    uint8_t rsdp[36];
    unsigned int rsdp_len;  /* 0: none; 20: ACPI 1.0 RSDP; 36: 2.0+ */
};

/*
 * Parse the boot information at mbi, of which `readable` bytes may be read.
 * Fills *bi (pointers into mbi).  0, or -EINVAL with the reason printed.
 */
int mb2_parse(const void *mbi, size_t readable, struct boot_info *bi);

/* Sort, resolve overlaps (non-RAM wins), merge, page-align RAM. */
int boot_sanitize_mmap(struct boot_info *bi);

/*
 * Check the image [image_start, image_end) and the modules lie in RAM, do
 * not overlap, and that there is RAM above 1 MiB.  0 or -EINVAL (printed).
 */
int boot_check_layout(const struct boot_info *bi, paddr_t image_start,
                      paddr_t image_end);

/* Total bytes of RAM in the (sanitised) memory map. */
uint64_t boot_ram_bytes(const struct boot_info *bi);

#endif /* XEN_MULTIBOOT2_H */

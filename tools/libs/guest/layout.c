/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a PVH guest's pieces go in its physical memory, and the start-info
 * area that tells the kernel.  Pure computation: no hypercalls, so every
 * rule here is unit-tested.
 */
#include <errno.h>
#include <string.h>

#include "guest_priv.h"

/* Far more than any host has, and small enough that nothing below overflows. */
#define PVH_MAX_MEM_KIB (1ull << 32)        /* 4 TiB */

static uint64_t page_align_up(uint64_t x)
{
    return (x + GUEST_PAGE_SIZE - 1) & ~(uint64_t)(GUEST_PAGE_SIZE - 1);
}

static void add_memmap(struct pvh_layout *l, uint64_t addr, uint64_t size, uint32_t type)
{
    struct hvm_memmap_table_entry *e = &l->memmap[l->memmap_entries++];

    e->addr = addr;
    e->size = size;
    e->type = type;
    e->reserved = 0;
}

/* RAM below the hole, the special pages, RAM above 4 GiB: ascending, as an e820 map is. */
static void build_memmap(struct pvh_layout *l)
{
    l->memmap_entries = 0;
    add_memmap(l, 0, l->lowmem_end, XEN_HVM_MEMMAP_TYPE_RAM);
    add_memmap(l, l->special_pfn << GUEST_PAGE_SHIFT,
               (uint64_t)PVH_NR_SPECIAL_PAGES << GUEST_PAGE_SHIFT,
               XEN_HVM_MEMMAP_TYPE_RESERVED);
    if ( l->highmem_end )
        add_memmap(l, PVH_HIGHMEM_START, l->highmem_end - PVH_HIGHMEM_START,
                   XEN_HVM_MEMMAP_TYPE_RAM);
}

static int split_ram(const struct pvh_layout_in *in, struct pvh_layout *l, char *err, size_t errlen)
{
    uint64_t bytes;

    if ( in->mem_kib < 4 || in->mem_kib > PVH_MAX_MEM_KIB )
        return builder_fail(err, errlen, -EINVAL, "memory size %llu KiB is out of range",
                            (unsigned long long)in->mem_kib);
    l->ram_pages = in->mem_kib / 4;
    bytes = l->ram_pages << GUEST_PAGE_SHIFT;
    l->lowmem_end = bytes < PVH_LOWMEM_END ? bytes : PVH_LOWMEM_END;
    l->highmem_end = bytes > l->lowmem_end ? PVH_HIGHMEM_START + (bytes - l->lowmem_end) : 0;
    return 0;
}

/* Kernel, ramdisk, start info, one after the other from the kernel's own address up. */
static int place_boot_data(const struct pvh_layout_in *in, struct pvh_layout *l,
                           char *err, size_t errlen)
{
    uint64_t info_bytes, end;

    if ( in->kernel_lo >= in->kernel_hi || in->kernel_hi > PVH_LOWMEM_END )
        return builder_fail(err, errlen, -EINVAL, "kernel range %#llx-%#llx is invalid",
                            (unsigned long long)in->kernel_lo,
                            (unsigned long long)in->kernel_hi);
    if ( in->ramdisk_len > PVH_LOWMEM_END )
        return builder_fail(err, errlen, -EFBIG, "ramdisk of %llu bytes cannot fit below 4 GiB",
                            (unsigned long long)in->ramdisk_len);
    if ( in->has_cmdline && in->cmdline_len > PVH_MAX_CMDLINE )
        return builder_fail(err, errlen, -E2BIG, "command line longer than %u bytes",
                            PVH_MAX_CMDLINE);

    l->ramdisk_len = in->ramdisk_len;
    l->ramdisk_paddr = in->ramdisk_len ? page_align_up(in->kernel_hi) : 0;
    l->nr_modules = in->ramdisk_len ? 1 : 0;
    /* All below 2^32 + 2^32: no overflow in 64 bits. */
    l->info_paddr = page_align_up(in->kernel_hi) + page_align_up(in->ramdisk_len);
    info_bytes = PVH_INFO_CMDLINE_OFF + (in->has_cmdline ? in->cmdline_len + 1 : 0);
    l->info_pages = (unsigned int)(page_align_up(info_bytes) >> GUEST_PAGE_SHIFT);
    end = l->info_paddr + ((uint64_t)l->info_pages << GUEST_PAGE_SHIFT);
    if ( end > l->lowmem_end )
        return builder_fail(err, errlen, -ENOMEM,
                            "kernel, ramdisk and start info end at %llu MiB but the domain "
                            "has only %llu MiB of RAM below 4 GiB",
                            (unsigned long long)((end + (1 << 20) - 1) >> 20),
                            (unsigned long long)(l->lowmem_end >> 20));

    l->modlist_paddr = l->nr_modules ? l->info_paddr + PVH_INFO_MODLIST_OFF : 0;
    l->memmap_paddr = l->info_paddr + PVH_INFO_MEMMAP_OFF;
    l->cmdline_paddr = in->has_cmdline ? l->info_paddr + PVH_INFO_CMDLINE_OFF : 0;
    return 0;
}

int pvh_compute_layout(const struct pvh_layout_in *in, struct pvh_layout *out,
                       char *err, size_t errlen)
{
    int rc;

    memset(out, 0, sizeof(*out));
    rc = split_ram(in, out, err, errlen);
    if ( !rc )
        rc = place_boot_data(in, out, err, errlen);
    if ( rc )
        return rc;
    out->special_pfn = PVH_SPECIAL_PFN(0);
    out->store_pfn = PVH_SPECIAL_PFN(PVH_SPECIAL_XENSTORE);
    out->console_pfn = PVH_SPECIAL_PFN(PVH_SPECIAL_CONSOLE);
    build_memmap(out);
    return 0;
}

int pvh_write_start_info(const struct pvh_layout *l, const char *cmdline,
                         uint8_t *buf, size_t buflen)
{
    struct hvm_start_info si = {
        .magic = XEN_HVM_START_MAGIC_VALUE,
        .version = 1,                   /* with the memory map */
        .flags = 0,                     /* an ordinary, unprivileged domain */
        .nr_modules = l->nr_modules,
        .modlist_paddr = l->modlist_paddr,
        .cmdline_paddr = l->cmdline_paddr,
        .rsdp_paddr = 0,                /* no ACPI tables */
        .memmap_paddr = l->memmap_paddr,
        .memmap_entries = l->memmap_entries,
    };
    size_t need = (size_t)l->info_pages << GUEST_PAGE_SHIFT;

    if ( buflen < need || (cmdline && !l->cmdline_paddr) ||
         (cmdline && strlen(cmdline) + 1 > need - PVH_INFO_CMDLINE_OFF) )
        return -EINVAL;
    memset(buf, 0, need);
    memcpy(buf, &si, sizeof(si));
    if ( l->nr_modules )
    {
        struct hvm_modlist_entry mod = { .paddr = l->ramdisk_paddr, .size = l->ramdisk_len };

        memcpy(buf + PVH_INFO_MODLIST_OFF, &mod, sizeof(mod));
    }
    memcpy(buf + PVH_INFO_MEMMAP_OFF, l->memmap,
           l->memmap_entries * sizeof(struct hvm_memmap_table_entry));
    if ( cmdline )
        strcpy((char *)buf + PVH_INFO_CMDLINE_OFF, cmdline);
    return 0;
}

_Static_assert(PVH_INFO_MODLIST_OFF >= sizeof(struct hvm_start_info), "modlist after start info");
_Static_assert(PVH_INFO_MEMMAP_OFF - PVH_INFO_MODLIST_OFF >= sizeof(struct hvm_modlist_entry),
               "one module fits");
_Static_assert(PVH_INFO_CMDLINE_OFF - PVH_INFO_MEMMAP_OFF >=
               PVH_MAX_MEMMAP * sizeof(struct hvm_memmap_table_entry), "memmap fits");

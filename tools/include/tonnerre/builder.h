/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libtonnerreguest: the PVH domain builder.  It loads a Linux kernel
 * (a plain ELF vmlinux, or a bzImage whose payload is gzip or xz),
 * fills a freshly created domain's memory the way Xen's libxc lays out a
 * PVH guest, and starts its first vCPU at the kernel's PVH entry point.
 *
 * Guest-physical layout built by builder_build_pvh():
 *   RAM            [0, min(mem, 0xf0000000)) and the rest from 4 GiB up
 *   kernel         its PT_LOAD segments at their physical addresses
 *   ramdisk        the next page boundary after the kernel
 *   start info     the page(s) after that: struct hvm_start_info, the
 *                  module list, the memory map, then the command line
 *   special pages  pfns 0xfeff8..0xfefff, as Xen's libxc places them:
 *                  xenstore ring 0xfeffc, console ring 0xfefff
 * Those 8 special pages are populated on top of mem_kib, so the domain's
 * max_mem must allow mem_kib + 32 KiB (Xen's toolstack adds 1 MiB of slack).
 *
 * Functions return 0 or a negative errno value, and on failure write a
 * one-line reason into err (which may be NULL).
 */
#ifndef TONNERRE_BUILDER_H
#define TONNERRE_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#include <tonnerre/ctrl.h>

struct builder_image {
    uint8_t *elf;                   /* the unpacked ELF64 vmlinux */
    size_t elf_len;
    uint32_t phys32_entry;          /* XEN_ELFNOTE_PHYS32_ENTRY */
    uint64_t paddr_lo, paddr_hi;    /* extent of the PT_LOAD segments (hi exclusive) */
};

/*
 * path: a plain ELF, or a bzImage (boot protocol >= 2.08) whose payload is
 * gzip or xz.  Errors name the problem: not a kernel, truncated, corrupt
 * compression, unsupported compression, no PVH entry note, segments
 * overlapping or out of range.
 */
int builder_load_kernel_file(const char *path, struct builder_image *img, char *err, size_t errlen);
/* The same from memory (buf is not kept). */
int builder_load_kernel_buf(const uint8_t *buf, size_t len, struct builder_image *img,
                            char *err, size_t errlen);
void builder_image_free(struct builder_image *img);

struct builder_args {
    ctrl_domid_t domid;
    uint64_t mem_kib;
    unsigned int vcpus;
    const char *kernel, *ramdisk, *cmdline;     /* ramdisk, cmdline may be NULL */
    uint32_t store_evtchn, console_evtchn;      /* already allocated by the caller */
    /* out: */
    uint64_t store_gfn, console_gfn;
};

/*
 * Build the created (and still paused, never started) domain a->domid:
 * populate its RAM, load kernel and ramdisk, write the start info, set the
 * xenstore/console HVM parameters and start vCPU 0.  The caller unpauses.
 */
int builder_build_pvh(struct ctrl_handle *h, struct builder_args *a, char *err, size_t errlen);

#endif /* TONNERRE_BUILDER_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading ELF guest kernels.  The image comes from a boot module or from
 * dom0's toolstack: untrusted.  elf_parse() checks every header and segment
 * against the image size before anything is used; elf_load() then copies
 * the segments through a callback that places guest memory.
 */
#ifndef XEN_ELF_H
#define XEN_ELF_H

#include <xen/types.h>

#define ELF_MAX_LOADS 16

struct elf_segment {
    uint64_t paddr;     /* where it goes in guest-physical memory */
    uint64_t offset;    /* in the image */
    uint64_t filesz;    /* bytes copied from the image */
    uint64_t memsz;     /* bytes in memory; the rest is zeroed */
};

struct elf_info {
    bool is64;
    uint64_t entry;                 /* e_entry */
    struct elf_segment segs[ELF_MAX_LOADS];
    unsigned int nr_segs;
    uint64_t load_lo, load_hi;      /* [lo, hi) guest-physical span */

    /* Xen ELF notes (public/elfnote.h). */
    bool has_phys32_entry;
    uint32_t phys32_entry;
    bool has_hypercall_page;
    uint64_t hypercall_page;
    uint32_t supported_features;
    char guest_os[32];
    char features[128];
    char loader[16];
};

/* Check and describe an ELF image.  0, or -ENOEXEC / -EINVAL, printed. */
int elf_parse(const void *image, size_t len, struct elf_info *info);

/*
 * Copy every segment: place(paddr, src, filesz, memsz, ctx) must copy
 * filesz bytes and zero the rest up to memsz.  Stops at the first error.
 */
typedef int (*elf_place_fn)(uint64_t paddr, const void *src, uint64_t filesz,
                            uint64_t memsz, void *ctx);
int elf_load(const void *image, const struct elf_info *info,
             elf_place_fn place, void *ctx);

#endif /* XEN_ELF_H */

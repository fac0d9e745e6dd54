/* SPDX-License-Identifier: GPL-2.0 */
/* Recognising what a boot module holds, before trusting it as a kernel. */
#ifndef XEN_KERNEL_IMAGE_H
#define XEN_KERNEL_IMAGE_H

#include <xen/types.h>

enum image_kind {
    IMAGE_UNKNOWN,
    IMAGE_ELF64,      /* ELF64, x86-64 */
    IMAGE_ELF32,      /* ELF32, i386 */
    IMAGE_ELF_OTHER,  /* ELF for another machine or a broken header */
    IMAGE_BZIMAGE,    /* Linux x86 boot protocol image */
    IMAGE_GZIP,
    IMAGE_XZ,
};

enum image_kind image_identify(const void *p, size_t len);
const char *image_kind_name(enum image_kind kind);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Recognising what a boot module holds, before trusting it as a kernel. */
#ifndef XEN_KERNEL_IMAGE_H
#define XEN_KERNEL_IMAGE_H

#include <xen/types.h>

enum image_kind {
    IMAGE_UNKNOWN,
    IMAGE_ELF64,      /* ELF64, machine x86-64 or i386 */
    IMAGE_ELF32,      /* ELF32, machine i386 or x86-64 */
    IMAGE_ELF_OTHER,  /* ELF for another machine or a broken header */
    IMAGE_BZIMAGE,    /* Linux x86 boot protocol image */
    IMAGE_GZIP,
    IMAGE_XZ,
};

enum image_kind image_identify(const void *p, size_t len);
const char *image_kind_name(enum image_kind kind);

/*
 * The compressed kernel inside a bzImage (boot protocol 2.08+:
 * payload_offset/payload_length): its bytes, its format (IMAGE_GZIP or
 * IMAGE_XZ), and the unpacked size the kernel build appends as the last
 * four bytes.  0, or -EINVAL (old protocol, out of bounds, unknown format).
 */
struct bzimage_payload {
    const uint8_t *data;
    size_t len;              /* without the appended size */
    enum image_kind format;
    size_t unpacked_size;
};
int bzimage_find_payload(const void *image, size_t len, struct bzimage_payload *out);

/*
 * Unpack a gzip or XZ payload into out (out_size bytes); `work` is scratch
 * of KERNEL_UNPACK_WORK_SIZE bytes, 8-byte aligned.  0 and *out_len, or a
 * negative errno from the decoder.
 */
#define KERNEL_UNPACK_WORK_SIZE (36 * 1024)
int kernel_unpack(const struct bzimage_payload *p, uint8_t *out, size_t out_size,
                  size_t *out_len, void *work);

#endif

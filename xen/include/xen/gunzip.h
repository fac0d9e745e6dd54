/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gzip decompression (RFC 1952 around RFC 1951 DEFLATE), used to unpack the
 * compressed kernel payload of a Linux bzImage inside the hypervisor.
 */
#ifndef XEN_GUNZIP_H
#define XEN_GUNZIP_H

#include <xen/types.h>

/*
 * Scratch needed by gunzip(): the CRC32 table and three Huffman decoding
 * tables.  The hypervisor has no malloc when it loads a kernel, so the
 * caller provides it (a static buffer or a page); it must be aligned to at
 * least 4 bytes.
 */
#define GUNZIP_WORK_SIZE 8192

/*
 * Decompress a gzip member (RFC 1952: header with optional FEXTRA/FNAME/
 * FCOMMENT/FHCRC, DEFLATE data, CRC32 + ISIZE trailer, both verified).
 * Trailing bytes after the first member are ignored (Linux's bzImage
 * payload may be followed by padding).
 *
 * Returns 0 with *out_len set, or -EINVAL (corrupt/truncated/bad CRC, or a
 * misaligned `work`), -ENOSPC (output buffer too small), -EOPNOTSUPP
 * (compression method other than 8).  Never reads past in+in_len nor
 * writes past out+out_size; on error the contents of out are unspecified.
 */
int gunzip(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_size,
           size_t *out_len, void *work);

#endif /* XEN_GUNZIP_H */

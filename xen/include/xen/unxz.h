/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Single-call XZ decompression, for unpacking the XZ-compressed payload of a
 * Linux bzImage inside the hypervisor (common/unxz.c).
 */
#ifndef XEN_UNXZ_H
#define XEN_UNXZ_H

#include <xen/types.h>

/*
 * Scratch memory unxz() needs: the LZMA probability model (about 28 KiB with
 * the largest literal context, lc + lp = 4) plus the CRC32 and CRC64 tables.
 * There is no allocator where this runs, so the caller provides it; it must
 * be 8-byte aligned.
 */
#define UNXZ_WORK_SIZE  (36 * 1024)

/*
 * Decompress a complete .xz file: one or more concatenated streams, each
 * optionally followed by stream padding (zero bytes, a multiple of 4), each
 * with any number of blocks.  Blocks may use the LZMA2 filter alone or the
 * x86 BCJ filter followed by LZMA2 (as Linux kernels do).  Check types none,
 * CRC32, CRC64 and SHA-256 are all verified; other check types and filters
 * give -EOPNOTSUPP.
 *
 * in/in_len: the input.  out/out_size: the output buffer, which is also the
 * LZMA dictionary (no separate dictionary is needed); neither pointer may
 * be NULL, even for a zero size.  *out_len receives the
 * number of bytes produced (on error: how far decoding got; the contents are
 * then unspecified).  work: UNXZ_WORK_SIZE bytes of 8-byte aligned scratch.
 *
 * Returns 0, -EINVAL for corrupt or truncated input, -ENOSPC if the output
 * does not fit in out_size, or -EOPNOTSUPP for a filter, check type or
 * option this decoder does not implement.  Never reads outside
 * [in, in + in_len) nor writes outside [out, out + out_size), whatever the
 * input.
 */
int unxz(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_size,
         size_t *out_len, void *work);

#endif /* XEN_UNXZ_H */

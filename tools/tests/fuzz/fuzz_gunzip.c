/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gzip/DEFLATE (xen/common/gunzip.c), which unpacks the payload of a
 * bzImage handed to the hypervisor.  Input and output are heap buffers of
 * exactly the sizes given, so ASan holds the decoder to "never reads past
 * in+in_len nor writes past out+out_size".  Each input is tried two ways.
 *
 * As a gzip file:
 *  - the result does not depend on the room given: a member that decoded
 *    decodes again, identically, into a buffer of exactly its size, and
 *    one byte less is -ENOSPC;
 *  - zlib, decoding the same member, agrees on the bytes (a second,
 *    independent inflater: a member we accept and zlib refuses or decodes
 *    differently is a bug in one of the two).
 *
 * As raw DEFLATE data: the trailer's CRC makes nearly every mutated member
 * fail at its end, so the member is built around the data instead, with
 * the CRC and length of what zlib makes of it.  Then the verdicts must
 * match both ways: what zlib inflates we inflate to the same bytes, and
 * what zlib calls corrupt we refuse.
 */
#include <zlib.h>

#include "fuzz.h"
#include "harness.h"
#include <xen/errno.h>
#include <xen/gunzip.h>

#define OUT_MAX (64 * 1024)

static int decode(const uint8_t *in, size_t in_len, size_t out_size,
                  uint8_t **out, size_t *out_len)
{
    static void *work;
    int rc;

    if ( !work && !(work = malloc(GUNZIP_WORK_SIZE)) )
        abort();
    *out = malloc(out_size ? out_size : 1);
    fuzz_check(*out);
    *out_len = SIZE_MAX;
    rc = gunzip(in, in_len, *out, out_size, out_len, work);
    fuzz_check(rc == 0 || rc == -EINVAL || rc == -ENOSPC || rc == -EOPNOTSUPP);
    fuzz_check(rc || *out_len <= out_size);
    return rc;
}

/* zlib's reading of the first gzip member; false if it refuses it. */
static bool zlib_agrees(const uint8_t *in, size_t in_len, const uint8_t *want,
                        size_t want_len)
{
    z_stream z = { 0 };
    uint8_t *buf = malloc(want_len + 1);
    bool same;
    int rc;

    fuzz_check(buf);
    fuzz_check(inflateInit2(&z, 16 + MAX_WBITS) == Z_OK);   /* gzip only */
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)in_len;
    z.next_out = buf;
    z.avail_out = (uInt)want_len + 1;
    rc = inflate(&z, Z_FINISH);
    same = rc == Z_STREAM_END && z.total_out == want_len &&
           !memcmp(buf, want, want_len);
    if ( !same )
        fprintf(stderr, "zlib: rc %d (%s), %lu bytes out, we made %zu\n", rc,
                z.msg ? z.msg : "-", z.total_out, want_len);
    inflateEnd(&z);
    free(buf);
    return same;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void check_raw_deflate(const uint8_t *in, size_t in_len)
{
    /* ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=Unix */
    static const uint8_t header[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
    uint8_t *want = malloc(OUT_MAX), *member, *out;
    size_t used, member_len, out_len;
    z_stream z = { 0 };
    int zrc, rc;

    fuzz_check(want);
    fuzz_check(inflateInit2(&z, -MAX_WBITS) == Z_OK);    /* raw DEFLATE */
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)in_len;
    z.next_out = want;
    z.avail_out = OUT_MAX;
    zrc = inflate(&z, Z_FINISH);
    used = z.total_in;
    inflateEnd(&z);
    /* No verdict if zlib ran out of input or of room. */
    if ( zrc != Z_STREAM_END && zrc != Z_DATA_ERROR )
    {
        free(want);
        return;
    }
    if ( zrc == Z_DATA_ERROR )
        used = in_len;

    member_len = sizeof(header) + used + 8;
    member = malloc(member_len);
    fuzz_check(member);
    memcpy(member, header, sizeof(header));
    memcpy(member + sizeof(header), in, used);
    put_le32(member + sizeof(header) + used,
             zrc == Z_STREAM_END ? (uint32_t)crc32(0, want, (uInt)z.total_out) : 0);
    put_le32(member + sizeof(header) + used + 4, (uint32_t)z.total_out);

    rc = decode(member, member_len, OUT_MAX, &out, &out_len);
    if ( zrc == Z_STREAM_END )
    {
        if ( rc )
            fprintf(stderr, "we refused (%d) what zlib inflated (%zu bytes in, "
                    "%lu out)\n", rc, used, z.total_out);
        fuzz_check(rc == 0);
        fuzz_check(out_len == z.total_out && !memcmp(out, want, out_len));
    }
    else
    {
        if ( !rc )
            fprintf(stderr, "we inflated what zlib called corrupt: %s\n",
                    z.msg ? z.msg : "-");
        fuzz_check(rc != 0);
    }
    free(out);
    free(member);
    free(want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *in = fuzz_memdup(data, size), *out;
    size_t out_len;

    if ( decode(in, size, OUT_MAX, &out, &out_len) == 0 )
    {
        fuzz_check_exact_room(decode, in, size, out, out_len, -ENOSPC);
        fuzz_check(zlib_agrees(in, size, out, out_len));
    }
    free(out);
    check_raw_deflate(in, size);
    free(in);
    return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * XZ/LZMA2 with the x86 BCJ filter (xen/common/unxz.c), which unpacks the
 * payload of a Debian bzImage in the hypervisor.  Input, output and scratch
 * are heap buffers of exactly their sizes, so ASan holds the decoder to
 * "never reads outside [in, in + in_len) nor writes outside [out, out +
 * out_size)".  Each input is tried two ways.
 *
 * As a whole .xz file:
 *  - *out_len never exceeds out_size, on success or failure;
 *  - the result does not depend on the room given: what decoded decodes
 *    again, identically, into exactly its size, and one byte less is
 *    -ENOSPC;
 *  - liblzma (xz-utils), decoding the same file, produces the same bytes.
 *
 * As raw LZMA2 data: every CRC of the container makes a mutated file fail
 * early, so a file is built around the data instead (with liblzma's
 * container encoders, plain and behind BCJ): whatever liblzma's raw decoder
 * accepts, unxz() must unpack to the same bytes.
 */
#include <lzma.h>

#include "fuzz.h"
#include "harness.h"
#include <xen/errno.h>
#include <xen/unxz.h>

#define OUT_MAX (64 * 1024)
/* liblzma allocates the dictionary a header asks for: keep it sane. */
#define LZMA_MEMLIMIT (64u << 20)

static int decode(const uint8_t *in, size_t in_len, size_t out_size,
                  uint8_t **out, size_t *out_len)
{
    static void *work;
    int rc;

    if ( !work && !(work = malloc(UNXZ_WORK_SIZE)) )
        abort();
    *out = malloc(out_size ? out_size : 1);
    fuzz_check(*out);
    *out_len = SIZE_MAX;
    rc = unxz(in, in_len, *out, out_size, out_len, work);
    fuzz_check(rc == 0 || rc == -EINVAL || rc == -ENOSPC || rc == -EOPNOTSUPP);
    fuzz_check(*out_len <= out_size);
    return rc;
}

/* liblzma's reading of the whole file, concatenated streams included. */
static bool liblzma_agrees(const uint8_t *in, size_t in_len,
                           const uint8_t *want, size_t want_len)
{
    lzma_stream s = LZMA_STREAM_INIT;
    uint8_t *buf = malloc(want_len + 1);
    lzma_ret rc;
    bool same;

    fuzz_check(buf);
    fuzz_check(lzma_stream_decoder(&s, LZMA_MEMLIMIT, LZMA_CONCATENATED) ==
               LZMA_OK);
    s.next_in = in;
    s.avail_in = in_len;
    s.next_out = buf;
    s.avail_out = want_len + 1;
    rc = lzma_code(&s, LZMA_FINISH);
    /* A dictionary beyond the limit: no verdict from liblzma. */
    same = rc == LZMA_MEMLIMIT_ERROR ||
           (rc == LZMA_STREAM_END && s.total_out == want_len &&
            !memcmp(buf, want, want_len));
    if ( !same )
        fprintf(stderr, "liblzma: rc %d, %llu bytes out, we made %zu\n", rc,
                (unsigned long long)s.total_out, want_len);
    lzma_end(&s);
    free(buf);
    return same;
}

/*
 * An .xz file of one block holding comp[0..len) through filters, with a
 * CRC32 of plain; the block header states the sizes when with_sizes.
 */
static uint8_t *xz_file(const lzma_filter *filters, const uint8_t *comp,
                        size_t len, const uint8_t *plain, size_t plain_len,
                        bool with_sizes, size_t *file_len)
{
    lzma_stream_flags flags = { .version = 0, .check = LZMA_CHECK_CRC32 };
    lzma_block block = {
        .version = 0, .check = LZMA_CHECK_CRC32,
        .compressed_size = with_sizes ? len : LZMA_VLI_UNKNOWN,
        .uncompressed_size = with_sizes ? plain_len : LZMA_VLI_UNKNOWN,
        .filters = (lzma_filter *)filters,
    };
    size_t size = len + 1024, pos;
    uint8_t *f = malloc(size);
    uint32_t crc = lzma_crc32(plain, plain_len, 0);
    lzma_index *index = lzma_index_init(NULL);

    fuzz_check(f && index);
    pos = LZMA_STREAM_HEADER_SIZE;
    fuzz_check(lzma_block_header_size(&block) == LZMA_OK);
    fuzz_check(lzma_block_header_encode(&block, f + pos) == LZMA_OK);
    pos += block.header_size;
    memcpy(f + pos, comp, len);
    pos += len;
    while ( pos % 4 )
        f[pos++] = 0;                       /* block padding */
    memcpy(f + pos, &crc, 4);               /* little-endian, like the host */
    pos += 4;
    block.compressed_size = len;
    block.uncompressed_size = plain_len;
    fuzz_check(lzma_index_append(index, NULL, lzma_block_unpadded_size(&block),
                                 plain_len) == LZMA_OK);
    fuzz_check(lzma_index_buffer_encode(index, f, &pos, size) == LZMA_OK);
    flags.backward_size = lzma_index_size(index);
    fuzz_check(lzma_stream_header_encode(&flags, f) == LZMA_OK);
    fuzz_check(pos + LZMA_STREAM_HEADER_SIZE <= size);
    fuzz_check(lzma_stream_footer_encode(&flags, f + pos) == LZMA_OK);
    *file_len = pos + LZMA_STREAM_HEADER_SIZE;
    lzma_index_end(index, NULL);
    return f;
}

static void check_raw_lzma2(const uint8_t *in, size_t in_len)
{
    lzma_options_lzma opt;
    lzma_filter chains[2][3] = {
        { { LZMA_FILTER_LZMA2, &opt }, { LZMA_VLI_UNKNOWN, NULL } },
        { { LZMA_FILTER_X86, NULL }, { LZMA_FILTER_LZMA2, &opt },
          { LZMA_VLI_UNKNOWN, NULL } },
    };
    uint8_t *want = malloc(OUT_MAX), *file, *out;
    size_t in_pos, want_len, file_len, out_len;
    unsigned int i;

    fuzz_check(want && !lzma_lzma_preset(&opt, 0));
    /* A dictionary as large as any output: no distance is out of reach. */
    opt.dict_size = OUT_MAX;
    for ( i = 0; i < 2; i++ )
    {
        in_pos = want_len = 0;
        if ( lzma_raw_buffer_decode(chains[i], NULL, in, &in_pos, in_len, want,
                                    &want_len, OUT_MAX) != LZMA_OK )
            break;      /* not LZMA2 data: BCJ would not make it so */
        file = xz_file(chains[i], in, in_pos, want, want_len, in_pos & 1,
                       &file_len);
        if ( decode(file, file_len, OUT_MAX, &out, &out_len) )
        {
            fprintf(stderr, "unxz refused what liblzma's raw decoder took "
                    "(%zu bytes of LZMA2, %s BCJ)\n", in_pos, i ? "with" : "no");
            fuzz_check(!"unxz unpacks all that liblzma does");
        }
        fuzz_check(out_len == want_len && !memcmp(out, want, want_len));
        free(out);
        free(file);
    }
    free(want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *in = fuzz_memdup(data, size), *out;
    size_t out_len;

    if ( decode(in, size, OUT_MAX, &out, &out_len) == 0 )
    {
        fuzz_check_exact_room(decode, in, size, out, out_len, -ENOSPC);
        fuzz_check(liblzma_agrees(in, size, out, out_len));
    }
    free(out);
    check_raw_lzma2(in, size);
    free(in);
    return 0;
}

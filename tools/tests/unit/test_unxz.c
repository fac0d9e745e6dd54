/* SPDX-License-Identifier: GPL-2.0 */
/*
 * unxz tests.  Inputs are compressed at test time by the host's xz
 * (xz-utils), so no binary blobs live in the tree, and every decode gets an
 * input and an output buffer allocated at exactly the sizes passed, so that
 * ASan catches any read or write outside them.  Besides round trips over
 * the options a kernel image uses, the failure tests feed truncated,
 * bit-flipped, mutated and random inputs, which must fail cleanly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include <xen/errno.h>
#include <xen/unxz.h>

struct buf {
    uint8_t *p;
    size_t len;
};

static void *work;
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void *xmalloc_exact(size_t n)
{
    void *p = malloc(n ? n : 1);

    assert_non_null(p);
    return p;
}

/* Run `xz -c -q <opts>` over data and return its output. */
static struct buf xz_compress(const void *data, size_t len, const char *opts)
{
    char path[] = "/tmp/unxz-test-XXXXXX", cmd[512];
    struct buf b = { NULL, 0 };
    size_t cap = 0, n;
    int fd = mkstemp(path);
    FILE *f;

    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
    snprintf(cmd, sizeof(cmd), "xz -c -q %s < %s", opts, path);
    f = popen(cmd, "r");
    assert_non_null(f);
    for ( ;; )
    {
        if ( b.len == cap )
        {
            cap = cap ? cap * 2 : 65536;
            b.p = realloc(b.p, cap);
            assert_non_null(b.p);
        }
        n = fread(b.p + b.len, 1, cap - b.len, f);
        if ( !n )
            break;
        b.len += n;
    }
    assert_int_equal(pclose(f), 0);
    unlink(path);
    assert_true(b.len > 0);
    return b;
}

/*
 * Decode a copy of xz[0, len) held in a buffer of exactly len bytes into a
 * buffer of exactly out_size bytes.  *outp (if wanted) receives the output
 * buffer, which the caller frees.
 */
static int decode(const uint8_t *xz, size_t len, size_t out_size,
                  uint8_t **outp, size_t *out_len)
{
    uint8_t *in = xmalloc_exact(len), *out = xmalloc_exact(out_size);
    size_t got = ~(size_t)0;
    int ret;

    memcpy(in, xz, len);
    ret = unxz(in, len, out, out_size, &got, work);
    assert_true(got <= out_size);
    free(in);
    if ( outp )
        *outp = out;
    else
        free(out);
    if ( out_len )
        *out_len = got;
    return ret;
}

/* Compress with opts, then decode exactly, with one byte short, with room. */
static void roundtrip_buf(const uint8_t *data, size_t len, const char *opts)
{
    struct buf xz = xz_compress(data, len, opts);
    uint8_t *out;
    size_t got;

    assert_int_equal(decode(xz.p, xz.len, len, &out, &got), 0);
    assert_int_equal(got, len);
    assert_memory_equal(out, data, len);
    free(out);

    if ( len )
        assert_int_equal(decode(xz.p, xz.len, len - 1, NULL, NULL), -ENOSPC);

    assert_int_equal(decode(xz.p, xz.len, len + 100, &out, &got), 0);
    assert_int_equal(got, len);
    assert_memory_equal(out, data, len);
    free(out);
    free(xz.p);
}

/* ------------------------------------------------------------- Inputs */

static uint8_t *make_text(size_t len)
{
    static const char *const words[] = {
        "the", "hypervisor", "loads", "a", "kernel", "from", "its", "boot",
        "module", "and", "unpacks", "payload", "with", "LZMA2", "dictionary",
        "of", "every", "guest", "page", "table", "event", "channel", "grant",
        "\n", "Xen", "vcpu", "is", "scheduled", "on", "physical", "CPU",
    };
    uint8_t *p = xmalloc_exact(len);
    size_t i = 0, n;
    const char *w;

    while ( i < len )
    {
        w = words[rng() % (sizeof(words) / sizeof(words[0]))];
        for ( n = 0; w[n] && i < len; n++ )
            p[i++] = w[n];
        if ( i < len )
            p[i++] = ' ';
    }
    return p;
}

static uint8_t *make_random(size_t len)
{
    uint8_t *p = xmalloc_exact(len);
    size_t i;

    for ( i = 0; i < len; i++ )
        p[i] = rng();
    return p;
}

/* Text, incompressible runs and long repeats mixed, in 64 KiB pieces. */
static uint8_t *make_mixed(size_t len)
{
    uint8_t *p = xmalloc_exact(len), *piece;
    size_t i, n, k;

    for ( i = 0; i < len; i += n )
    {
        n = len - i < 65536 ? len - i : 65536;
        switch ( rng() % 3 )
        {
        case 0:
            piece = make_text(n);
            break;
        case 1:
            piece = make_random(n);
            break;
        default:
            piece = xmalloc_exact(n);
            for ( k = 0; k < n; k++ )
                piece[k] = i ? p[k % i] : (uint8_t)k;
            break;
        }
        memcpy(p + i, piece, n);
        free(piece);
    }
    return p;
}

static struct buf read_file(const char *path, size_t max)
{
    struct buf b;
    FILE *f = fopen(path, "rb");

    assert_non_null(f);
    b.p = xmalloc_exact(max);
    b.len = fread(b.p, 1, max, f);
    fclose(f);
    assert_true(b.len > 0);
    return b;
}

/* x86-64 machine code, as a kernel is: the host's executables, appended. */
static struct buf make_binary(size_t len)
{
    static const char *const files[] = {
        "/usr/bin/xz", "/bin/ls", "/bin/bash", "/usr/bin/gcc", "/bin/cp",
        "/usr/bin/ld", "/usr/bin/as", "/usr/bin/objdump", "/bin/tar",
    };
    struct buf b = { xmalloc_exact(len), 0 }, f;
    unsigned int i;

    for ( i = 0; b.len < len; i = (i + 1) % (sizeof(files) / sizeof(files[0])) )
    {
        if ( access(files[i], R_OK) )
            continue;
        f = read_file(files[i], len - b.len);
        memcpy(b.p + b.len, f.p, f.len);
        b.len += f.len;
        free(f.p);
    }
    return b;
}

/* ----------------------------------------------------------- Round trips */

static void test_empty(void **state)
{
    roundtrip_buf((const uint8_t *)"", 0, "");
}

static void test_one_byte(void **state)
{
    roundtrip_buf((const uint8_t *)"x", 1, "");
    roundtrip_buf((const uint8_t *)"\0", 1, "--check=none");
}

static void test_text(void **state)
{
    uint8_t *t = make_text(200000);

    roundtrip_buf(t, 200000, "");
    roundtrip_buf(t, 200000, "-0");
    roundtrip_buf(t, 200000, "-9e");
    roundtrip_buf(t, 1000, "--lzma2=lc=0,lp=0,pb=0");
    roundtrip_buf(t, 50000, "--lzma2=lc=4,lp=0,pb=4");
    roundtrip_buf(t, 50000, "--lzma2=lc=1,lp=3,pb=1");
    roundtrip_buf(t, 50000, "--lzma2=lc=0,lp=4,pb=2");
    free(t);
}

/* Incompressible: LZMA2 stores it as uncompressed chunks. */
static void test_random(void **state)
{
    uint8_t *r = make_random(300000);

    roundtrip_buf(r, 300000, "");
    roundtrip_buf(r, 300000, "-9e");
    free(r);
}

/* Long matches, many at maximum length and at short distances. */
static void test_repetitive(void **state)
{
    size_t len = 1 << 20, i;
    uint8_t *p = xmalloc_exact(len);

    for ( i = 0; i < len; i++ )
        p[i] = i < len / 2 ? 'a' : "abcabcabd"[i % 9];
    roundtrip_buf(p, len, "");
    roundtrip_buf(p, len, "-0");
    free(p);
}

/* > 2 MiB: several LZMA2 chunks; with block sizes, several blocks. */
static void test_large(void **state)
{
    size_t len = 5u << 20;
    uint8_t *p = make_mixed(len);

    roundtrip_buf(p, len, "");
    roundtrip_buf(p, len, "--block-size=1MiB");
    /* Multithreaded mode records the sizes in the block headers. */
    roundtrip_buf(p, len, "-T2 --block-size=700KiB");
    free(p);
}

static void test_check_types(void **state)
{
    uint8_t *t = make_text(20000);

    roundtrip_buf(t, 20000, "--check=none");
    roundtrip_buf(t, 20000, "--check=crc32");
    roundtrip_buf(t, 20000, "--check=crc64");
    roundtrip_buf(t, 20000, "--check=sha256");
    /* SHA-256 padding edge cases: tails of 55, 56 and 64 bytes. */
    roundtrip_buf(t, 55, "--check=sha256");
    roundtrip_buf(t, 56, "--check=sha256");
    roundtrip_buf(t, 64, "--check=sha256");
    roundtrip_buf(t, 119, "--check=sha256");
    free(t);
}

static void test_bcj_x86(void **state)
{
    struct buf ls = read_file("/bin/ls", 64 << 20);
    struct buf bin = make_binary(3 << 20);

    roundtrip_buf(ls.p, ls.len, "--x86 --lzma2");
    roundtrip_buf(ls.p, ls.len, "--x86=start=4096 --lzma2 --check=sha256");
    roundtrip_buf(bin.p, bin.len,
                  "--check=crc32 --x86 --lzma2=preset=9,dict=32MiB");
    roundtrip_buf(bin.p, bin.len, "--x86 --lzma2 --block-size=1MiB");
    /* Dense E8/E9 and 00/FF bytes: every branch of the filter's heuristic. */
    {
        static const uint8_t pick[] = { 0xe8, 0xe9, 0x00, 0xff, 0xe8, 0x01 };
        uint8_t *d = xmalloc_exact(200000);
        size_t i;

        for ( i = 0; i < 200000; i++ )
            d[i] = rng() % 3 ? pick[rng() % sizeof(pick)] : rng();
        roundtrip_buf(d, 200000, "--x86 --lzma2");
        roundtrip_buf(d, 200000, "--x86=start=123456789 --lzma2");
        free(d);
    }
    /* Short and odd-sized tails: the last 4 bytes are never converted. */
    roundtrip_buf(ls.p, 4, "--x86 --lzma2");
    roundtrip_buf(ls.p, 5, "--x86 --lzma2");
    roundtrip_buf(ls.p + 1000, 4099, "--x86 --lzma2");
    free(ls.p);
    free(bin.p);
}

/* Streams may be concatenated, with zero padding in 4-byte units between. */
static void test_concatenated(void **state)
{
    uint8_t *t = make_text(30000);
    struct buf a = xz_compress(t, 10000, "--check=crc32");
    struct buf b = xz_compress(t + 10000, 20000, "--x86 --lzma2");
    size_t pads[] = { 0, 4, 8, 1, 3, 5 }, i, len, got;
    uint8_t *cat, *out;

    for ( i = 0; i < sizeof(pads) / sizeof(pads[0]); i++ )
    {
        len = a.len + pads[i] + b.len;
        cat = calloc(len, 1);
        memcpy(cat, a.p, a.len);
        memcpy(cat + a.len + pads[i], b.p, b.len);
        if ( pads[i] % 4 )
            assert_int_equal(decode(cat, len, 30000, NULL, NULL), -EINVAL);
        else
        {
            assert_int_equal(decode(cat, len, 30000, &out, &got), 0);
            assert_int_equal(got, 30000);
            assert_memory_equal(out, t, 30000);
            free(out);
            assert_int_equal(decode(cat, len, 29999, NULL, NULL), -ENOSPC);
        }
        free(cat);
    }

    /* Trailing padding after the last stream. */
    cat = calloc(a.len + 12, 1);
    memcpy(cat, a.p, a.len);
    assert_int_equal(decode(cat, a.len + 12, 10000, NULL, &got), 0);
    assert_int_equal(got, 10000);
    assert_int_equal(decode(cat, a.len + 2, 10000, NULL, NULL), -EINVAL);
    /* Padding alone is not a stream. */
    assert_int_equal(decode(cat + a.len, 12, 10000, NULL, NULL), -EINVAL);
    /* Garbage after a stream. */
    cat[a.len + 4] = 1;
    assert_int_equal(decode(cat, a.len + 12, 10000, NULL, NULL), -EINVAL);
    free(cat);
    free(a.p);
    free(b.p);
    free(t);
}

/* ------------------------------------------------------------- Failures */

static void test_truncated(void **state)
{
    uint8_t *t = make_text(3000);
    const char *opts[] = { "--check=crc64", "--x86 --lzma2 --check=none",
                           "--check=sha256 -T2 --block-size=1000" };
    struct buf xz;
    size_t i, n;

    for ( i = 0; i < sizeof(opts) / sizeof(opts[0]); i++ )
    {
        xz = xz_compress(t, 3000, opts[i]);
        for ( n = 0; n < xz.len; n++ )
            assert_int_equal(decode(xz.p, n, 3000, NULL, NULL), -EINVAL);
        free(xz.p);
    }
    free(t);
}

/*
 * Every single-bit flip: an error, or (a flip the format does not notice)
 * exactly the right output.  With a CRC64 check nothing may slip through.
 */
static void flip_every_bit(const uint8_t *data, size_t len, const char *opts,
                           bool must_be_right)
{
    struct buf xz = xz_compress(data, len, opts);
    uint8_t *out;
    size_t bit, got;
    int ret;

    for ( bit = 0; bit < xz.len * 8; bit++ )
    {
        xz.p[bit / 8] ^= 1u << (bit % 8);
        ret = decode(xz.p, xz.len, len, &out, &got);
        assert_true(ret == 0 || ret == -EINVAL || ret == -ENOSPC ||
                    ret == -EOPNOTSUPP);
        if ( !ret && must_be_right )
        {
            assert_int_equal(got, len);
            assert_memory_equal(out, data, len);
        }
        free(out);
        xz.p[bit / 8] ^= 1u << (bit % 8);
    }
    free(xz.p);
}

static void test_bit_flips(void **state)
{
    uint8_t *t = make_text(2000);
    struct buf ls = read_file("/bin/ls", 4000);

    flip_every_bit(t, 2000, "--check=crc64", true);
    flip_every_bit(t, 2000, "--check=crc32 -T2 --block-size=700", true);
    flip_every_bit(ls.p, ls.len, "--x86 --lzma2 --check=none", false);
    flip_every_bit(t, 300, "--check=none -0", false);
    free(t);
    free(ls.p);
}

static void assert_clean_failure(int ret)
{
    assert_true(ret == -EINVAL || ret == -ENOSPC || ret == -EOPNOTSUPP);
}

/* Bitwise CRC32, to forge headers whose CRC is right but contents not. */
static uint32_t test_crc32(const uint8_t *p, size_t n)
{
    uint32_t c = ~0u;
    unsigned int k;

    while ( n-- )
    {
        c ^= *p++;
        for ( k = 0; k < 8; k++ )
            c = (c >> 1) ^ ((c & 1) ? 0xedb88320u : 0);
    }
    return ~c;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = v;
    p[1] = v >> 8;
    p[2] = v >> 16;
    p[3] = v >> 24;
}

/*
 * A stream header, a valid block header for [LZMA2] and one LZMA chunk
 * header, followed by random "compressed" bytes: this drives the LZMA
 * decoder itself with garbage, which the container checks would
 * otherwise stop long before.
 */
static size_t forge_lzma_garbage(uint8_t *p, size_t max)
{
    static const uint8_t stream[12] = { 0xfd, '7', 'z', 'X', 'Z', 0, 0, 0 };
    size_t usize = 1 + rng() % 70000, csize = 5 + rng() % 3000, i, n;

    memcpy(p, stream, 12);
    put32(p + 8, test_crc32(p + 6, 2));
    /* Block header: size 12, flags (1 filter), LZMA2, dict 0, padding. */
    memcpy(p + 12, "\x02\x00\x21\x01\x16\x00\x00\x00", 8);
    put32(p + 20, test_crc32(p + 12, 8));
    p[24] = 0xe0 | ((usize - 1) >> 16);
    p[25] = (usize - 1) >> 8;
    p[26] = usize - 1;
    p[27] = (csize - 1) >> 8;
    p[28] = csize - 1;
    p[29] = rng() % 225;
    n = 30 + csize + 1;
    assert_true(n <= max);
    p[30] = 0;
    for ( i = 31; i < 30 + csize; i++ )
        p[i] = rng() >> (rng() & 1 ? 0 : 60);  /* also runs of small bytes */
    p[30 + csize] = 0;
    return n;
}

static void test_garbage(void **state)
{
    uint8_t *t = make_text(5000), *p = xmalloc_exact(8192), *out;
    struct buf good = xz_compress(t, 5000, "--check=none");
    struct buf good64 = xz_compress(t, 5000, "--check=crc64");
    size_t iter, len, i, got;
    int ret;

    for ( iter = 0; iter < 2000; iter++ )
    {
        switch ( iter % 4 )
        {
        case 0:                 /* pure noise */
            len = rng() % 600;
            for ( i = 0; i < len; i++ )
                p[i] = rng();
            if ( len >= 6 && (iter & 8) )
                memcpy(p, good.p, 12);      /* past the magic, sometimes */
            break;
        case 1:                 /* noise in the LZMA decoder itself */
            len = forge_lzma_garbage(p, 8192);
            break;
        default:                /* a valid stream with a few bytes changed */
        {
            const struct buf *g = iter % 4 == 2 ? &good : &good64;

            len = g->len;
            memcpy(p, g->p, len);
            for ( i = 1 + rng() % 8; i; i-- )
                p[12 + rng() % (len - 24)] = rng();
            break;
        }
        }
        ret = decode(p, len, 5000, &out, &got);
        if ( iter % 4 == 3 && !ret )
        {
            assert_int_equal(got, 5000);
            assert_memory_equal(out, t, 5000);
        }
        else if ( iter % 4 < 2 )
            assert_clean_failure(ret);
        else
            assert_true(ret == 0 || ret == -EINVAL || ret == -ENOSPC ||
                        ret == -EOPNOTSUPP);
        free(out);
    }
    free(good.p);
    free(good64.p);
    free(p);
    free(t);
}

/* A damaged check, block header CRC, index CRC or footer CRC is noticed. */
static void test_bad_crc(void **state)
{
    uint8_t *t = make_text(10000);
    const char *opts[] = { "--check=crc32", "--check=crc64",
                           "--check=sha256" };
    size_t sizes[] = { 4, 8, 32 }, i, idx, idx_size;
    struct buf xz;

    for ( i = 0; i < 3; i++ )
    {
        xz = xz_compress(t, 10000, opts[i]);
        /*
         * Layout: header 12, one block ending in its check, the index (its
         * size from the footer's backward size), the footer 12.
         */
        idx_size = ((size_t)xz.p[xz.len - 8] + 1) * 4;
        idx = xz.len - 12 - idx_size;
        assert_int_equal(xz.p[idx], 0);         /* index indicator */
        xz.p[idx - sizes[i]] ^= 0x10;           /* first byte of the check */
        assert_int_equal(decode(xz.p, xz.len, 10000, NULL, NULL), -EINVAL);
        xz.p[idx - sizes[i]] ^= 0x10;
        xz.p[xz.len - 13] ^= 1;                  /* index CRC */
        assert_int_equal(decode(xz.p, xz.len, 10000, NULL, NULL), -EINVAL);
        xz.p[xz.len - 13] ^= 1;
        xz.p[xz.len - 12] ^= 1;                  /* footer CRC */
        assert_int_equal(decode(xz.p, xz.len, 10000, NULL, NULL), -EINVAL);
        xz.p[xz.len - 12] ^= 1;
        xz.p[12 + 4] ^= 1;                       /* block header (its CRC) */
        assert_int_equal(decode(xz.p, xz.len, 10000, NULL, NULL), -EINVAL);
        xz.p[12 + 4] ^= 1;
        assert_int_equal(decode(xz.p, xz.len, 10000, NULL, NULL), 0);
        free(xz.p);
    }
    free(t);
}

static void test_unsupported(void **state)
{
    uint8_t *t = make_text(4000);
    struct buf xz;
    size_t got;

    xz = xz_compress(t, 4000, "--delta=dist=4 --lzma2");
    assert_int_equal(decode(xz.p, xz.len, 4000, NULL, NULL), -EOPNOTSUPP);
    free(xz.p);
    xz = xz_compress(t, 4000, "--arm --lzma2");
    assert_int_equal(decode(xz.p, xz.len, 4000, NULL, NULL), -EOPNOTSUPP);
    free(xz.p);

    /* Check type 2 (reserved, 4 bytes): header and footer flags forged. */
    xz = xz_compress(t, 4000, "--check=crc32");
    xz.p[7] = 2;
    put32(xz.p + 8, test_crc32(xz.p + 6, 2));
    xz.p[xz.len - 3] = 2;
    put32(xz.p + xz.len - 12, test_crc32(xz.p + xz.len - 8, 6));
    assert_int_equal(decode(xz.p, xz.len, 4000, NULL, NULL), -EOPNOTSUPP);
    free(xz.p);

    /* Legacy .lzma is not .xz. */
    xz = xz_compress(t, 4000, "--format=lzma");
    assert_int_equal(decode(xz.p, xz.len, 4000, NULL, NULL), -EINVAL);
    free(xz.p);

    /* Scratch memory must be aligned. */
    xz = xz_compress(t, 4000, "");
    {
        uint8_t *w = malloc(UNXZ_WORK_SIZE + 8), *out = malloc(4000);

        assert_int_equal(unxz(xz.p, xz.len, out, 4000, &got, w + 4), -EINVAL);
        assert_int_equal(unxz(xz.p, xz.len, out, 4000, &got, w + 8), 0);
        assert_memory_equal(out, t, 4000);
        free(w);
        free(out);
    }
    free(xz.p);
    free(t);
}

/*
 * Block headers the header CRC cannot protect us from, because they were
 * written that way: each replaces the 12-byte header of a valid stream, with
 * its CRC recomputed.
 */
static void test_bad_block_header(void **state)
{
    static const struct {
        uint8_t hdr[8];
        int ret;
    } cases[] = {
        { { 0x02, 0x00, 0x21, 0x01, 0x08, 0x00, 0x00, 0x00 }, 0 },
        { { 0x02, 0x04, 0x21, 0x01, 0x08, 0x00, 0x00, 0x00 }, -EOPNOTSUPP },
        { { 0x02, 0x02, 0x04, 0x00, 0x04, 0x00, 0x21, 0x01 }, -EOPNOTSUPP },
        { { 0x02, 0x40, 0x00, 0x21, 0x01, 0x08, 0x00, 0x00 }, -EINVAL },
        { { 0x02, 0x40, 0x80, 0x00, 0x21, 0x01, 0x08, 0x00 }, -EINVAL },
        { { 0x02, 0x40, 0x03, 0x21, 0x01, 0x08, 0x00, 0x00 }, -EINVAL },
        { { 0x02, 0x80, 0x80, 0x80, 0x04, 0x21, 0x01, 0x08 }, -ENOSPC },
        { { 0x02, 0x80, 0x01, 0x21, 0x01, 0x08, 0x00, 0x00 }, -EINVAL },
        { { 0x02, 0x01, 0x21, 0x01, 0x08, 0x21, 0x01, 0x08 }, -EINVAL },
        { { 0x02, 0x01, 0x03, 0x00, 0x21, 0x01, 0x08, 0x00 }, -EOPNOTSUPP },
        { { 0x02, 0x01, 0x04, 0x01, 0x00, 0x21, 0x01, 0x08 }, -EINVAL },
        { { 0x02, 0x00, 0x21, 0x02, 0x08, 0x00, 0x00, 0x00 }, -EINVAL },
        { { 0x02, 0x00, 0x21, 0x01, 0x29, 0x00, 0x00, 0x00 }, -EINVAL },
        { { 0x02, 0x00, 0x05, 0x01, 0x08, 0x00, 0x00, 0x00 }, -EOPNOTSUPP },
        { { 0x02, 0x00, 0x21, 0x01, 0x08, 0x00, 0x07, 0x00 }, -EOPNOTSUPP },
        { { 0x02, 0x00, 0x21, 0x81, 0x00, 0x08, 0x00, 0x00 }, -EINVAL },
        { { 0x02, 0x00, 0xa1, 0x80, 0x80, 0x80, 0x80, 0x80 }, -EINVAL },
        { { 0x02, 0x00, 0x21, 0x09, 0x08, 0x00, 0x00, 0x00 }, -EINVAL },
    };
    uint8_t *t = make_text(3000);
    struct buf xz = xz_compress(t, 3000, "--check=crc32 --lzma2=dict=64KiB");
    size_t i, got;

    /* xz's own header for this stream is exactly cases[0]. */
    assert_memory_equal(xz.p + 12, cases[0].hdr, 8);
    for ( i = 0; i < sizeof(cases) / sizeof(cases[0]); i++ )
    {
        memcpy(xz.p + 12, cases[i].hdr, 8);
        put32(xz.p + 20, test_crc32(xz.p + 12, 8));
        assert_int_equal(decode(xz.p, xz.len, 3000, NULL, &got),
                         cases[i].ret);
    }
    free(xz.p);
    free(t);
}

/* ------------------------------------------------------------- Speed */

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* About the size of a compressed Debian kernel, packed as Linux packs it. */
static void test_speed_kernel_like(void **state)
{
    size_t len = 8u << 20, got;
    struct buf bin = make_binary(len);
    struct buf xz = xz_compress(bin.p, bin.len,
                                "--check=crc32 --x86 --lzma2=preset=9,dict=32MiB");
    uint8_t *out = xmalloc_exact(len);
    double t0, t1;

    t0 = now();
    assert_int_equal(unxz(xz.p, xz.len, out, len, &got, work), 0);
    t1 = now();
    assert_int_equal(got, len);
    assert_memory_equal(out, bin.p, len);
    printf("unxz: %zu -> %zu bytes in %.3f s (%.1f MiB/s)\n", xz.len, got,
           t1 - t0, got / (t1 - t0) / (1 << 20));
    free(out);
    free(xz.p);
    free(bin.p);
}

static int setup(void **state)
{
    work = malloc(UNXZ_WORK_SIZE);
    return work ? 0 : -1;
}

static int teardown(void **state)
{
    free(work);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_one_byte),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_repetitive),
        cmocka_unit_test(test_large),
        cmocka_unit_test(test_check_types),
        cmocka_unit_test(test_bcj_x86),
        cmocka_unit_test(test_concatenated),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_bit_flips),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_bad_crc),
        cmocka_unit_test(test_unsupported),
        cmocka_unit_test(test_bad_block_header),
        cmocka_unit_test(test_speed_kernel_like),
    };

    return cmocka_run_group_tests_name("unxz", tests, setup, teardown);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gunzip tests.  Valid members come from the host's gzip at test time, so
 * the decoder is checked against a real encoder's stored, fixed and dynamic
 * blocks; header fields and block shapes gzip never emits are built by hand
 * with a small bit writer.  Input and output are malloc()ed at exactly
 * their sizes so AddressSanitizer catches any read or write past the ends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include <xen/errno.h>
#include <xen/gunzip.h>

/* ---- helpers ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

/* Bitwise CRC32, independent of the table-driven one under test. */
static uint32_t ref_crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    size_t i;
    int k;

    for ( i = 0; i < n; i++ )
    {
        c ^= p[i];
        for ( k = 0; k < 8; k++ )
            c = (c >> 1) ^ (0xedb88320u & -(c & 1));
    }
    return ~c;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = v;
    p[1] = v >> 8;
    p[2] = v >> 16;
    p[3] = v >> 24;
}

struct buf {
    uint8_t *p;
    size_t len;
};

static void buf_append(struct buf *b, const void *data, size_t n)
{
    b->p = realloc(b->p, b->len + n + 1);
    assert_non_null(b->p);
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

/*
 * Compress data with the host's gzip.  With `as_file` gzip reads a named
 * file, so it stores the name (FNAME) unless told -n; from stdin it never
 * does.
 */
static struct buf host_gzip(const uint8_t *data, size_t len, const char *opts,
                            bool as_file)
{
    char path[] = "/tmp/test_gunzip.XXXXXX", cmd[256];
    struct buf out = { NULL, 0 };
    uint8_t chunk[65536];
    size_t n;
    FILE *f;
    int fd = mkstemp(path);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);

    snprintf(cmd, sizeof(cmd), "gzip -c %s %s%s", opts, as_file ? "" : "< ",
             path);
    f = popen(cmd, "r");
    assert_non_null(f);
    while ( (n = fread(chunk, 1, sizeof(chunk), f)) > 0 )
        buf_append(&out, chunk, n);
    assert_int_equal(pclose(f), 0);
    unlink(path);
    assert_true(out.len >= 18);
    return out;
}

/*
 * Run gunzip over exact-size copies of the input and output.  The output
 * is returned through *outp when wanted, else freed.
 */
static int run(const uint8_t *gz, size_t gz_len, size_t out_size,
               uint8_t **outp, size_t *out_len)
{
    uint8_t *in = malloc(gz_len), *out = malloc(out_size);
    void *work = malloc(GUNZIP_WORK_SIZE);
    size_t len = 0xdead;
    int rc;

    assert_non_null(in);
    assert_non_null(out);
    assert_non_null(work);
    if ( gz_len )
        memcpy(in, gz, gz_len);
    rc = gunzip(in, gz_len, out, out_size, &len, work);
    assert_true(rc == 0 || rc == -EINVAL || rc == -ENOSPC ||
                rc == -EOPNOTSUPP);
    if ( out_len )
        *out_len = len;
    if ( outp )
        *outp = out;
    else
        free(out);
    free(in);
    free(work);
    return rc;
}

/* gz must decompress to exactly data, with a tight and a roomy buffer. */
static void check_decodes_to(const uint8_t *gz, size_t gz_len,
                             const uint8_t *data, size_t len)
{
    uint8_t *out;
    size_t out_len;

    assert_int_equal(run(gz, gz_len, len, &out, &out_len), 0);
    assert_int_equal(out_len, len);
    if ( len )
        assert_memory_equal(out, data, len);
    free(out);

    assert_int_equal(run(gz, gz_len, len + 100, &out, &out_len), 0);
    assert_int_equal(out_len, len);
    if ( len )
        assert_memory_equal(out, data, len);
    free(out);

    if ( len )
        assert_int_equal(run(gz, gz_len, len - 1, NULL, NULL), -ENOSPC);
}

static void check_roundtrip(const uint8_t *data, size_t len, const char *opts)
{
    struct buf gz = host_gzip(data, len, opts, false);

    check_decodes_to(gz.p, gz.len, data, len);
    free(gz.p);
}

static uint8_t *random_bytes(size_t len)
{
    uint8_t *p = malloc(len);
    size_t i;

    assert_non_null(p);
    for ( i = 0; i < len; i++ )
        p[i] = rng();
    return p;
}

/*
 * Text-like data: words from a small vocabulary, so matches of all lengths
 * and distances appear.
 */
static uint8_t *wordy_text(size_t len)
{
    static const char *const words[] = {
        "the ", "hypervisor ", "loads ", "a ", "compressed ", "kernel ",
        "into ", "guest ", "memory ", "and ", "jumps ", "to ", "it. ",
        "Tonnerre ", "speaks ", "Xen's ", "ABI\n", "page ", "tables ",
        "event ", "channels ", "grant ", "references ", "0123456789 ",
    };
    uint8_t *p = malloc(len);
    size_t i = 0;

    assert_non_null(p);
    while ( i < len )
    {
        const char *w = words[rng() % (sizeof(words) / sizeof(words[0]))];

        while ( *w && i < len )
            p[i++] = *w++;
    }
    return p;
}

static const char sample_text[] =
    "Tonnerre is a from-scratch x86-64 hypervisor that speaks Xen's guest "
    "ABI.  It loads Linux bzImages, whose payload is usually gzip, so it "
    "needs a decompressor of its own.  The payload is untrusted input: the "
    "decoder must never read or write out of bounds, whatever it is fed. "
    "Tonnerre is a from-scratch x86-64 hypervisor; the decoder must never "
    "read out of bounds.\n";

/* A small member with a dynamic Huffman block. */
static struct buf small_member(void)
{
    return host_gzip((const uint8_t *)sample_text, sizeof(sample_text) - 1,
                     "-9 -n", false);
}

/* ---- hand-built streams ---- */

struct bitwriter {
    uint8_t buf[1024];
    size_t nbits;
};

/* Extra bits and header fields: least significant bit first. */
static void put_bits(struct bitwriter *w, unsigned int v, unsigned int n)
{
    while ( n-- )
    {
        assert_true(w->nbits < sizeof(w->buf) * 8);
        if ( v & 1 )
            w->buf[w->nbits / 8] |= 1u << (w->nbits % 8);
        w->nbits++;
        v >>= 1;
    }
}

/* Huffman codes: most significant bit first. */
static void put_code(struct bitwriter *w, unsigned int code, unsigned int len)
{
    while ( len-- )
        put_bits(w, (code >> len) & 1, 1);
}

static void put_fixed_litlen(struct bitwriter *w, unsigned int sym)
{
    if ( sym < 144 )
        put_code(w, 0x30 + sym, 8);
    else if ( sym < 256 )
        put_code(w, 0x190 + sym - 144, 9);
    else if ( sym < 280 )
        put_code(w, sym - 256, 7);
    else
        put_code(w, 0xc0 + sym - 280, 8);
}

/* Header (flags 0) + the writer's DEFLATE bytes + trailer for `data`. */
static struct buf wrap_member(const struct bitwriter *w, const void *data,
                              size_t len)
{
    static const uint8_t hdr[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
    struct buf gz = { NULL, 0 };
    uint8_t trailer[8];

    buf_append(&gz, hdr, sizeof(hdr));
    buf_append(&gz, w->buf, (w->nbits + 7) / 8);
    put_le32(trailer, ref_crc32(data, len));
    put_le32(trailer + 4, len);
    buf_append(&gz, trailer, sizeof(trailer));
    return gz;
}

/*
 * A dynamic block whose literal/length code gives 'a', end-of-block and
 * length symbol 257 the lengths lit_a, eob, l257, and distance symbol 0 the
 * length d0 (the only distance code).  The code-length code gives symbols
 * 0, 1 and 2 the length cl_len and symbol 18 cl18_len (0 leaves it out).
 * Leaves the writer at the start of the block's data.
 */
static void put_dynamic_header(struct bitwriter *w, unsigned int cl_len,
                               unsigned int cl18_len, unsigned int lit_a,
                               unsigned int eob, unsigned int l257,
                               unsigned int d0)
{
    static const uint8_t order[] = {
        16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1,
    };
    /* With all four lengths 2: 0 -> 00, 1 -> 01, 2 -> 10, 18 -> 11. */
    const unsigned int cl_code[3] = { 0, 1, 2 };
    unsigned int i;

    put_bits(w, 1, 1);              /* BFINAL */
    put_bits(w, 2, 2);              /* dynamic */
    put_bits(w, 258 - 257, 5);      /* HLIT: up to symbol 257 */
    put_bits(w, 1 - 1, 5);          /* HDIST: one distance code */
    put_bits(w, sizeof(order) - 4, 4);
    for ( i = 0; i < sizeof(order); i++ )
        put_bits(w, order[i] == 18 ? cl18_len : order[i] <= 2 ? cl_len : 0,
                 3);

    put_code(w, 3, 2);              /* 18: 11 + 86 = 97 zeros */
    put_bits(w, 86, 7);
    put_code(w, cl_code[lit_a], 2);
    put_code(w, 3, 2);              /* 18: 138 zeros */
    put_bits(w, 127, 7);
    put_code(w, 3, 2);              /* 18: 20 zeros */
    put_bits(w, 9, 7);
    put_code(w, cl_code[eob], 2);
    put_code(w, cl_code[l257], 2);
    put_code(w, cl_code[d0], 2);
}

/* ---- tests: output of the host's gzip ---- */

static void test_empty_and_tiny(void **state)
{
    const uint8_t one = 'x';

    check_roundtrip(NULL, 0, "-n");
    check_roundtrip(&one, 1, "-n");
    check_roundtrip((const uint8_t *)sample_text, sizeof(sample_text) - 1,
                    "-n");
}

static void test_random_data_stored_blocks(void **state)
{
    size_t len = 300000;
    uint8_t *data = random_bytes(len);
    struct buf gz = host_gzip(data, len, "-1 -n", false);

    /* Incompressible, so gzip falls back to stored blocks: BTYPE 00. */
    assert_int_equal((gz.p[10] >> 1) & 3, 0);
    check_decodes_to(gz.p, gz.len, data, len);
    free(gz.p);
    check_roundtrip(data, len, "-9 -n");
    free(data);
}

static void test_repetitive_data(void **state)
{
    size_t len = 200000, i;
    uint8_t *data = malloc(len);

    assert_non_null(data);
    /* One byte repeated: distance-1 matches of the maximum length. */
    memset(data, 'a', len);
    check_roundtrip(data, len, "-1 -n");
    check_roundtrip(data, len, "-9 -n");

    /* A 1000-byte pattern: long matches at a long distance. */
    for ( i = 0; i < 1000; i++ )
        data[i] = rng();
    for ( ; i < len; i++ )
        data[i] = data[i - 1000];
    check_roundtrip(data, len, "-1 -n");
    check_roundtrip(data, len, "-9 -n");
    free(data);
}

static void test_large(void **state)
{
    size_t len = (3u << 20) / 2;
    uint8_t *data = wordy_text(len);

    check_roundtrip(data, len, "-1 -n");
    check_roundtrip(data, len, "-9 -n");
    free(data);
}

static void test_fname(void **state)
{
    const uint8_t *data = (const uint8_t *)sample_text;
    size_t len = sizeof(sample_text) - 1;
    struct buf named = host_gzip(data, len, "", true);
    struct buf anon = host_gzip(data, len, "-n", true);

    assert_true(named.p[3] & 0x08);
    assert_false(anon.p[3] & 0x08);
    check_decodes_to(named.p, named.len, data, len);
    check_decodes_to(anon.p, anon.len, data, len);
    free(named.p);
    free(anon.p);
}

static void test_trailing_bytes_ignored(void **state)
{
    struct buf gz = small_member();
    static const uint8_t padding[4096];

    buf_append(&gz, padding, sizeof(padding));
    buf_append(&gz, "junk", 4);
    check_decodes_to(gz.p, gz.len, (const uint8_t *)sample_text,
                     sizeof(sample_text) - 1);
    free(gz.p);
}

/* ---- tests: hand-built headers and blocks ---- */

/* Rebuild gz's header with the given flags and optional fields. */
static struct buf with_header_fields(const struct buf *gz, uint8_t flags,
                                     bool corrupt_hcrc)
{
    static const uint8_t extra[] = { 6, 0, 'A', 'p', 2, 0, 'h', 'i' };
    struct buf out = { NULL, 0 };
    uint8_t hdr[10];

    memcpy(hdr, gz->p, 10);
    hdr[3] = flags;
    buf_append(&out, hdr, 10);
    if ( flags & 0x04 )
        buf_append(&out, extra, sizeof(extra));
    if ( flags & 0x08 )
        buf_append(&out, "vmlinux.bin", 12);
    if ( flags & 0x10 )
        buf_append(&out, "a comment", 10);
    if ( flags & 0x02 )
    {
        uint16_t crc = ref_crc32(out.p, out.len) ^ corrupt_hcrc;
        uint8_t le[2] = { crc & 0xff, crc >> 8 };

        buf_append(&out, le, 2);
    }
    buf_append(&out, gz->p + 10, gz->len - 10);
    return out;
}

static void test_header_fields(void **state)
{
    const uint8_t *data = (const uint8_t *)sample_text;
    size_t len = sizeof(sample_text) - 1;
    struct buf gz = small_member(), m;
    unsigned int flags;

    /* Every combination of FHCRC, FEXTRA, FNAME, FCOMMENT (and FTEXT). */
    for ( flags = 0; flags < 0x20; flags++ )
    {
        m = with_header_fields(&gz, flags, false);
        check_decodes_to(m.p, m.len, data, len);
        free(m.p);
    }

    m = with_header_fields(&gz, 0x1e, true);
    assert_int_equal(run(m.p, m.len, len, NULL, NULL), -EINVAL);
    free(m.p);

    /* Reserved flag bits must not be ignored. */
    for ( flags = 0x20; flags < 0x100; flags <<= 1 )
    {
        m = with_header_fields(&gz, flags, false);
        assert_int_equal(run(m.p, m.len, len, NULL, NULL), -EINVAL);
        free(m.p);
    }

    /* Only method 8 (deflate) exists; others are unsupported, not corrupt. */
    m = with_header_fields(&gz, 0, false);
    m.p[2] = 7;
    assert_int_equal(run(m.p, m.len, len, NULL, NULL), -EOPNOTSUPP);
    m.p[2] = 8;
    m.p[1] = 0x8c;
    assert_int_equal(run(m.p, m.len, len, NULL, NULL), -EINVAL);
    free(m.p);

    /* FEXTRA's length running past the input. */
    m = with_header_fields(&gz, 0x04, false);
    m.p[10] = 0xff;
    m.p[11] = 0xff;
    assert_int_equal(run(m.p, m.len, len, NULL, NULL), -EINVAL);
    free(m.p);
    free(gz.p);
}

static void test_fixed_block(void **state)
{
    static const char expect[] = "abcabcabcabcab";
    struct bitwriter w = { { 0 }, 0 };
    struct buf gz;

    put_bits(&w, 1, 1);
    put_bits(&w, 1, 2);             /* fixed Huffman */
    put_fixed_litlen(&w, 'a');
    put_fixed_litlen(&w, 'b');
    put_fixed_litlen(&w, 'c');
    put_fixed_litlen(&w, 265);      /* length 11 + 1 extra bit */
    put_bits(&w, 0, 1);
    put_code(&w, 2, 5);             /* distance 3 */
    put_fixed_litlen(&w, 256);
    gz = wrap_member(&w, expect, strlen(expect));
    check_decodes_to(gz.p, gz.len, (const uint8_t *)expect, strlen(expect));
    free(gz.p);
}

static void test_bad_distance(void **state)
{
    struct bitwriter w = { { 0 }, 0 };
    struct buf gz;

    /* One byte out, then a match reaching two back. */
    put_bits(&w, 1, 1);
    put_bits(&w, 1, 2);
    put_fixed_litlen(&w, 'a');
    put_fixed_litlen(&w, 257);
    put_code(&w, 1, 5);             /* distance 2 */
    put_fixed_litlen(&w, 256);
    gz = wrap_member(&w, "aaaa", 4);
    assert_int_equal(run(gz.p, gz.len, 100, NULL, NULL), -EINVAL);
    free(gz.p);

    /* A match before any output at all, distance 1. */
    memset(&w, 0, sizeof(w));
    put_bits(&w, 1, 1);
    put_bits(&w, 1, 2);
    put_fixed_litlen(&w, 257);
    put_code(&w, 0, 5);
    put_fixed_litlen(&w, 256);
    gz = wrap_member(&w, "aaa", 3);
    assert_int_equal(run(gz.p, gz.len, 100, NULL, NULL), -EINVAL);
    free(gz.p);

    /* Distance symbols 30 and 31 exist in the fixed code but are invalid. */
    memset(&w, 0, sizeof(w));
    put_bits(&w, 1, 1);
    put_bits(&w, 1, 2);
    put_fixed_litlen(&w, 'a');
    put_fixed_litlen(&w, 257);
    put_code(&w, 30, 5);
    put_fixed_litlen(&w, 256);
    gz = wrap_member(&w, "aaaa", 4);
    assert_int_equal(run(gz.p, gz.len, 1 << 16, NULL, NULL), -EINVAL);
    free(gz.p);
}

static void test_bad_blocks(void **state)
{
    struct bitwriter w = { { 0 }, 0 };
    struct buf gz;

    /* Block type 3 is reserved. */
    put_bits(&w, 1, 1);
    put_bits(&w, 3, 2);
    gz = wrap_member(&w, "", 0);
    assert_int_equal(run(gz.p, gz.len, 100, NULL, NULL), -EINVAL);
    free(gz.p);

    /* Literal/length symbols 286 and 287 are invalid. */
    memset(&w, 0, sizeof(w));
    put_bits(&w, 1, 1);
    put_bits(&w, 1, 2);
    put_fixed_litlen(&w, 'a');
    put_fixed_litlen(&w, 286);
    put_fixed_litlen(&w, 256);
    gz = wrap_member(&w, "a", 1);
    assert_int_equal(run(gz.p, gz.len, 100, NULL, NULL), -EINVAL);
    free(gz.p);

    /* A stored block whose NLEN is not LEN's complement. */
    memset(&w, 0, sizeof(w));
    put_bits(&w, 1, 1);
    put_bits(&w, 0, 2);
    w.nbits = 8;
    put_bits(&w, 3, 16);
    put_bits(&w, 0xfffc ^ 1, 16);
    put_bits(&w, 'x' | 'y' << 8 | 'z' << 16, 24);
    gz = wrap_member(&w, "xyz", 3);
    assert_int_equal(run(gz.p, gz.len, 100, NULL, NULL), -EINVAL);
    gz.p[13] ^= 1;                  /* fix NLEN: now valid */
    check_decodes_to(gz.p, gz.len, (const uint8_t *)"xyz", 3);
    free(gz.p);

    /* A non-final empty stored block, then a final empty fixed block. */
    memset(&w, 0, sizeof(w));
    put_bits(&w, 0, 3);
    w.nbits = 8;
    put_bits(&w, 0, 16);
    put_bits(&w, 0xffff, 16);
    put_bits(&w, 1, 1);
    put_bits(&w, 1, 2);
    put_fixed_litlen(&w, 256);
    gz = wrap_member(&w, "", 0);
    check_decodes_to(gz.p, gz.len, NULL, 0);
    free(gz.p);
}

static void test_dynamic_codes(void **state)
{
    struct bitwriter w = { { 0 }, 0 };
    struct buf gz;

    /*
     * 'a' 1 bit (0), EOB and 257 2 bits (10, 11), a single 1-bit distance
     * code: incomplete, but allowed as in zlib.  Data: 'a', then length 3
     * at distance 1.
     */
    put_dynamic_header(&w, 2, 2, 1, 2, 2, 1);
    put_code(&w, 0, 1);
    put_code(&w, 3, 2);
    put_code(&w, 0, 1);
    put_code(&w, 2, 2);
    gz = wrap_member(&w, "aaaa", 4);
    check_decodes_to(gz.p, gz.len, (const uint8_t *)"aaaa", 4);
    free(gz.p);

    /* The same, but using the distance code that does not exist. */
    memset(&w, 0, sizeof(w));
    put_dynamic_header(&w, 2, 2, 1, 2, 2, 1);
    put_code(&w, 0, 1);
    put_code(&w, 3, 2);
    put_code(&w, 1, 1);
    put_code(&w, 2, 2);
    gz = wrap_member(&w, "aaaa", 4);
    assert_int_equal(run(gz.p, gz.len, 100, NULL, NULL), -EINVAL);
    free(gz.p);

    /* No distance codes at all is fine for a literal-only block. */
    memset(&w, 0, sizeof(w));
    put_dynamic_header(&w, 2, 2, 1, 1, 0, 0);
    put_code(&w, 0, 1);
    put_code(&w, 0, 1);
    put_code(&w, 1, 1);
    gz = wrap_member(&w, "aa", 2);
    check_decodes_to(gz.p, gz.len, (const uint8_t *)"aa", 2);
    free(gz.p);
}

static void test_bad_code_lengths(void **state)
{
    struct bitwriter w = { { 0 }, 0 };
    struct buf gz;

    /* Over-subscribed literal/length code: three 1-bit codes. */
    put_dynamic_header(&w, 2, 2, 1, 1, 1, 1);
    put_code(&w, 0, 1);
    gz = wrap_member(&w, "a", 1);
    assert_int_equal(run(gz.p, gz.len, 100, NULL, NULL), -EINVAL);
    free(gz.p);

    /* Incomplete literal/length code: two 2-bit codes. */
    memset(&w, 0, sizeof(w));
    put_dynamic_header(&w, 2, 2, 2, 2, 0, 1);
    put_code(&w, 0, 2);
    gz = wrap_member(&w, "a", 1);
    assert_int_equal(run(gz.p, gz.len, 100, NULL, NULL), -EINVAL);
    free(gz.p);

    /* Over-subscribed code-length code: four 1-bit codes. */
    memset(&w, 0, sizeof(w));
    put_dynamic_header(&w, 1, 1, 1, 2, 2, 1);
    gz = wrap_member(&w, "a", 1);
    assert_int_equal(run(gz.p, gz.len, 100, NULL, NULL), -EINVAL);
    free(gz.p);

    /* Incomplete code-length code: three 2-bit codes. */
    memset(&w, 0, sizeof(w));
    put_dynamic_header(&w, 2, 0, 1, 2, 2, 1);
    gz = wrap_member(&w, "a", 1);
    assert_int_equal(run(gz.p, gz.len, 100, NULL, NULL), -EINVAL);
    free(gz.p);

    /* No end-of-block code. */
    memset(&w, 0, sizeof(w));
    put_dynamic_header(&w, 2, 2, 1, 0, 1, 1);
    gz = wrap_member(&w, "a", 1);
    assert_int_equal(run(gz.p, gz.len, 100, NULL, NULL), -EINVAL);
    free(gz.p);

    /* Code 16 ("repeat previous") as the very first length. */
    memset(&w, 0, sizeof(w));
    put_bits(&w, 1, 1);
    put_bits(&w, 2, 2);
    put_bits(&w, 0, 5);
    put_bits(&w, 0, 5);
    put_bits(&w, 0, 4);             /* 4 lengths: 16, 17, 18, 0 */
    put_bits(&w, 1, 3);             /* 16 -> 0 */
    put_bits(&w, 1, 3);             /* 17 -> 1 */
    put_bits(&w, 0, 3);
    put_bits(&w, 0, 3);
    put_code(&w, 0, 1);
    put_bits(&w, 3, 2);
    gz = wrap_member(&w, "a", 1);
    assert_int_equal(run(gz.p, gz.len, 100, NULL, NULL), -EINVAL);
    free(gz.p);
}

/* ---- tests: damaged input ---- */

static void check_every_truncation_fails(const struct buf *gz)
{
    size_t cut;

    for ( cut = 0; cut < gz->len; cut++ )
        assert_int_equal(run(gz->p, cut, 4096, NULL, NULL), -EINVAL);
}

static void test_truncations(void **state)
{
    struct buf gz = small_member(), fields, stored;
    uint8_t *data = random_bytes(300);

    /* Dynamic block; then all optional header fields; then stored blocks. */
    check_every_truncation_fails(&gz);
    fields = with_header_fields(&gz, 0x1e, false);
    check_every_truncation_fails(&fields);
    stored = host_gzip(data, 300, "-1 -n", false);
    assert_int_equal((stored.p[10] >> 1) & 3, 0);
    check_every_truncation_fails(&stored);
    free(gz.p);
    free(fields.p);
    free(stored.p);
    free(data);
}

static void test_bad_trailer(void **state)
{
    struct buf gz = small_member();
    size_t len = sizeof(sample_text) - 1;
    int i;

    for ( i = 1; i <= 8; i++ )
    {
        gz.p[gz.len - i] ^= 0x10;
        assert_int_equal(run(gz.p, gz.len, len + 10, NULL, NULL), -EINVAL);
        gz.p[gz.len - i] ^= 0x10;
    }
    free(gz.p);
}

static void test_output_too_small(void **state)
{
    struct buf gz = small_member();
    size_t len = sizeof(sample_text) - 1, size;

    for ( size = 0; size < len; size++ )
        assert_int_equal(run(gz.p, gz.len, size, NULL, NULL), -ENOSPC);
    free(gz.p);
}

static void test_bit_flips(void **state)
{
    const uint8_t *data = (const uint8_t *)sample_text;
    size_t len = sizeof(sample_text) - 1, bit, out_len;
    struct buf gz = small_member();
    uint8_t *out;
    int rc;

    for ( bit = 0; bit < gz.len * 8; bit++ )
    {
        gz.p[bit / 8] ^= 1u << (bit % 8);
        rc = run(gz.p, gz.len, len, &out, &out_len);
        if ( rc == 0 )
        {
            /* Only fields nobody checks (MTIME, XFL, OS, FTEXT). */
            assert_int_equal(out_len, len);
            assert_memory_equal(out, data, len);
        }
        free(out);
        gz.p[bit / 8] ^= 1u << (bit % 8);
    }
    free(gz.p);
}

static void test_random_garbage(void **state)
{
    static const uint8_t hdr[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
    int i;

    for ( i = 0; i < 5000; i++ )
    {
        size_t len = rng() % 700;
        uint8_t *p = random_bytes(len);

        /* Mostly past a valid header, so the inflater sees the garbage. */
        if ( i % 4 && len >= 10 )
        {
            memcpy(p, hdr, sizeof(hdr));
            p[3] &= i % 3 ? 0 : 0x1f;
        }
        run(p, len, rng() % 4096, NULL, NULL);
        free(p);
    }
}

static void test_misaligned_work(void **state)
{
    struct buf gz = small_member();
    uint8_t *work = malloc(GUNZIP_WORK_SIZE + 1), out[1024];
    size_t out_len;

    assert_non_null(work);
    assert_int_equal(gunzip(gz.p, gz.len, out, sizeof(out), &out_len,
                            work + 1), -EINVAL);
    assert_int_equal(gunzip(gz.p, gz.len, out, sizeof(out), &out_len, work),
                     0);
    assert_int_equal(out_len, sizeof(sample_text) - 1);
    free(work);
    free(gz.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_and_tiny),
        cmocka_unit_test(test_random_data_stored_blocks),
        cmocka_unit_test(test_repetitive_data),
        cmocka_unit_test(test_large),
        cmocka_unit_test(test_fname),
        cmocka_unit_test(test_trailing_bytes_ignored),
        cmocka_unit_test(test_header_fields),
        cmocka_unit_test(test_fixed_block),
        cmocka_unit_test(test_bad_distance),
        cmocka_unit_test(test_bad_blocks),
        cmocka_unit_test(test_dynamic_codes),
        cmocka_unit_test(test_bad_code_lengths),
        cmocka_unit_test(test_truncations),
        cmocka_unit_test(test_bad_trailer),
        cmocka_unit_test(test_output_too_small),
        cmocka_unit_test(test_bit_flips),
        cmocka_unit_test(test_random_garbage),
        cmocka_unit_test(test_misaligned_work),
    };

    return cmocka_run_group_tests_name("gunzip", tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gzip (RFC 1952) and DEFLATE (RFC 1951) decompression.
 *
 * A Linux bzImage carries the kernel proper as a compressed payload, most
 * often gzip.  Unpacking it here lets us load the kernel without running
 * its real-mode/decompressor stub, the same way the ELF loader does.
 *
 * The input comes from whoever built the domain and is not trusted: every
 * input read is checked against [in, in+in_len), every output write against
 * [out, out+out_size), and every back-reference against the bytes already
 * produced.  All tables live in caller-provided scratch (struct gunzip_work)
 * because there is no allocator when kernels are loaded.
 *
 * Huffman decoding uses a FAST_BITS-wide lookup table that resolves short
 * codes in one step; the few longer codes are resolved by extending the code
 * a bit at a time and comparing it with each length's canonical code range.
 */
#include <xen/errno.h>
#include <xen/gunzip.h>
#include <xen/string.h>

#define MAX_CODE_BITS   15          /* Longest Huffman code DEFLATE allows. */
#define FAST_BITS       9           /* Codes this short decode by lookup. */
#define FAST_MASK       ((1u << FAST_BITS) - 1)
#define MAX_SYMBOLS     288         /* Fixed literal/length alphabet size. */
#define NR_LITLEN_MAX   286         /* Dynamic blocks: HLIT + 257 limit. */
#define NR_DIST_MAX     30          /* Valid distance symbols. */
#define NR_FIXED_DIST   32          /* Fixed code includes 2 unusable ones. */
#define NR_CL_SYMBOLS   19          /* Code-length alphabet. */
#define END_OF_BLOCK    256
#define FIRST_LENGTH    257

#define GZIP_ID1        0x1f
#define GZIP_ID2        0x8b
#define GZIP_CM_DEFLATE 8
#define GZIP_HDR_LEN    10
#define GZIP_TRAILER    8
#define FHCRC           0x02
#define FEXTRA          0x04
#define FNAME           0x08
#define FCOMMENT        0x10
#define FRESERVED       0xe0

#define NR_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/*
 * A canonical Huffman code.  Codes of length L are the consecutive values
 * first_code[L] .. first_code[L] + count[L] - 1 (read MSB first), standing
 * for symbols[first_index[L] ...] in that order.  fast[] is indexed by the
 * next FAST_BITS input bits (LSB first, so bit-reversed codes) and holds
 * (symbol << 4) | length for codes of at most FAST_BITS bits, 0 otherwise.
 */
struct huffman {
    uint16_t count[MAX_CODE_BITS + 1];
    uint16_t first_code[MAX_CODE_BITS + 1];
    uint16_t first_index[MAX_CODE_BITS + 1];
    uint16_t fast[1u << FAST_BITS];
    uint16_t symbols[MAX_SYMBOLS];
};

struct gunzip_work {
    uint32_t crc_table[256];
    struct huffman litlen, dist, codelen;
    uint8_t lens[MAX_SYMBOLS + NR_FIXED_DIST];
};

_Static_assert(sizeof(struct gunzip_work) <= GUNZIP_WORK_SIZE,
               "GUNZIP_WORK_SIZE too small");

/*
 * DEFLATE's bit stream: bytes are consumed LSB first.  Bits are loaded
 * ahead into a 64-bit buffer so a whole code can be peeked; running out of
 * input sets `overrun` and yields zero bits, and callers check the flag
 * before acting on anything they read.
 */
struct bits {
    const uint8_t *in;
    size_t len;
    size_t pos;             /* Next byte to load into buf. */
    uint64_t buf;           /* Loaded, unconsumed bits; next bit is bit 0. */
    unsigned int cnt;       /* Number of valid bits in buf. */
    bool overrun;
};

struct inflater {
    struct bits bits;
    uint8_t *out;
    size_t size;
    size_t pos;             /* Bytes produced so far. */
    struct gunzip_work *w;
};

/* RFC 1951 3.2.5: base values and extra bits of length and distance codes. */
static const uint16_t length_base[] = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
};
static const uint8_t length_extra[] = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
    3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
};
static const uint16_t dist_base[] = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
    257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289,
    16385, 24577,
};
static const uint8_t dist_extra[] = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
    7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
};

/* RFC 1951 3.2.7: the order code-length code lengths are sent in. */
static const uint8_t codelen_order[NR_CL_SYMBOLS] = {
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
};

/* ---- CRC32 (IEEE 802.3, reflected, as gzip uses) ---- */

static void crc32_build_table(uint32_t table[256])
{
    unsigned int n, k;

    for ( n = 0; n < 256; n++ )
    {
        uint32_t c = n;

        for ( k = 0; k < 8; k++ )
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[n] = c;
    }
}

static uint32_t crc32(const uint32_t table[256], const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;

    while ( n-- )
        c = table[(c ^ *p++) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

static uint16_t get_le16(const uint8_t *p)
{
    return p[0] | (p[1] << 8);
}

static uint32_t get_le32(const uint8_t *p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* ---- Bit reader ---- */

static void bits_refill(struct bits *b)
{
    while ( b->cnt <= 56 && b->pos < b->len )
    {
        b->buf |= (uint64_t)b->in[b->pos++] << b->cnt;
        b->cnt += 8;
    }
}

static void bits_consume(struct bits *b, unsigned int n)
{
    b->buf >>= n;
    b->cnt -= n;
}

/* Take the next n (<= 16) bits as a number, first bit least significant. */
static unsigned int bits_get(struct bits *b, unsigned int n)
{
    unsigned int v;

    if ( b->cnt < n )
        bits_refill(b);
    if ( b->cnt < n )
    {
        b->overrun = true;
        return 0;
    }
    v = b->buf & ((1u << n) - 1);
    bits_consume(b, n);
    return v;
}

/*
 * Skip to the next byte boundary and hand the whole bytes still buffered
 * back to the input, so byte-oriented data (stored blocks, the trailer) can
 * be read straight from the input.  The buffer only ever holds the most
 * recently loaded bytes, in order, so giving back cnt / 8 of them is exact.
 */
static void bits_align_to_byte(struct bits *b)
{
    b->pos -= b->cnt / 8;
    b->buf = 0;
    b->cnt = 0;
}

/* ---- Huffman codes ---- */

static unsigned int reverse_bits(unsigned int code, unsigned int n)
{
    unsigned int r = 0;

    while ( n-- )
    {
        r = (r << 1) | (code & 1);
        code >>= 1;
    }
    return r;
}

/*
 * Is a code whose Kraft sum fell short acceptable?  Like zlib, only for
 * literal/length and distance codes with no codes at all or a single
 * one-bit code (e.g. a block that uses one distance); decoding the missing
 * codes is then an error.  Anything else incomplete is a corrupt stream.
 */
static bool incomplete_code_allowed(const struct huffman *h, bool may_be_sparse,
                                    unsigned int nr_codes)
{
    return may_be_sparse && (nr_codes == 0 || (nr_codes == 1 && h->count[1]));
}

static void huffman_fill_fast(struct huffman *h)
{
    unsigned int len, i, idx;

    for ( len = 1; len <= FAST_BITS; len++ )
        for ( i = 0; i < h->count[len]; i++ )
        {
            unsigned int sym = h->symbols[h->first_index[len] + i];
            unsigned int rev = reverse_bits(h->first_code[len] + i, len);

            /* Every FAST_BITS-bit window starting with this code. */
            for ( idx = rev; idx <= FAST_MASK; idx += 1u << len )
                h->fast[idx] = (sym << 4) | len;
        }
}

/*
 * Build the canonical code (RFC 1951 3.2.2) for lens[0..n), 0 meaning the
 * symbol is unused.  Over-subscribed length sets cannot be decoded
 * unambiguously and are rejected.
 */
static int huffman_build(struct huffman *h, const uint8_t *lens,
                         unsigned int n, bool may_be_sparse)
{
    uint16_t next_index[MAX_CODE_BITS + 1];
    unsigned int len, sym, code = 0, index = 0;
    int unused = 1;         /* Code space left at the current length. */

    memset(h, 0, sizeof(*h));
    for ( sym = 0; sym < n; sym++ )
        h->count[lens[sym]]++;
    h->count[0] = 0;

    for ( len = 1; len <= MAX_CODE_BITS; len++ )
    {
        unused = unused * 2 - h->count[len];
        if ( unused < 0 )
            return -EINVAL;
        code = (code + h->count[len - 1]) << 1;
        h->first_code[len] = code;
        h->first_index[len] = index;
        next_index[len] = index;
        index += h->count[len];
    }
    if ( unused > 0 && !incomplete_code_allowed(h, may_be_sparse, index) )
        return -EINVAL;

    for ( sym = 0; sym < n; sym++ )
        if ( lens[sym] )
            h->symbols[next_index[lens[sym]]++] = sym;

    huffman_fill_fast(h);
    return 0;
}

/* Decode one symbol; -EINVAL for an invalid code or truncated input. */
static int huffman_decode(struct bits *b, const struct huffman *h)
{
    unsigned int entry, len, code;

    if ( b->cnt < MAX_CODE_BITS )
        bits_refill(b);

    /* Missing input bits read as 0 here; the length check catches that. */
    entry = h->fast[b->buf & FAST_MASK];
    if ( entry )
    {
        len = entry & 0xf;
        if ( len > b->cnt )
            return -EINVAL;
        bits_consume(b, len);
        return entry >> 4;
    }

    /* Codes are sent MSB first, so extend by the next bit each step. */
    code = reverse_bits(b->buf & FAST_MASK, FAST_BITS);
    for ( len = FAST_BITS + 1; len <= MAX_CODE_BITS && len <= b->cnt; len++ )
    {
        code = (code << 1) | ((b->buf >> (len - 1)) & 1);
        /* Unsigned: a code below first_code wraps and fails too. */
        if ( code - h->first_code[len] < h->count[len] )
        {
            unsigned int sym = h->symbols[h->first_index[len] + code -
                                          h->first_code[len]];

            bits_consume(b, len);
            return sym;
        }
    }
    return -EINVAL;
}

/* ---- Blocks ---- */

static int build_fixed_codes(struct gunzip_work *w)
{
    unsigned int i;
    int rc;

    /* RFC 1951 3.2.6. */
    for ( i = 0; i < MAX_SYMBOLS; i++ )
        w->lens[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
    for ( i = 0; i < NR_FIXED_DIST; i++ )
        w->lens[MAX_SYMBOLS + i] = 5;

    rc = huffman_build(&w->litlen, w->lens, MAX_SYMBOLS, false);
    if ( !rc )
        rc = huffman_build(&w->dist, w->lens + MAX_SYMBOLS, NR_FIXED_DIST,
                           false);
    return rc;
}

/* Expand the run-length coded code lengths of a dynamic block. */
static int read_code_lengths(struct inflater *s, unsigned int total)
{
    uint8_t *lens = s->w->lens;
    unsigned int i = 0, repeat, value;

    while ( i < total )
    {
        int sym = huffman_decode(&s->bits, &s->w->codelen);

        if ( sym < 0 )
            return sym;
        if ( sym < 16 )
        {
            lens[i++] = sym;
            continue;
        }
        if ( sym == 16 )
        {
            if ( i == 0 )
                return -EINVAL;     /* Nothing to repeat. */
            value = lens[i - 1];
            repeat = 3 + bits_get(&s->bits, 2);
        }
        else if ( sym == 17 )
        {
            value = 0;
            repeat = 3 + bits_get(&s->bits, 3);
        }
        else
        {
            value = 0;
            repeat = 11 + bits_get(&s->bits, 7);
        }
        if ( s->bits.overrun || repeat > total - i )
            return -EINVAL;
        memset(lens + i, value, repeat);
        i += repeat;
    }
    return 0;
}

static int build_dynamic_codes(struct inflater *s)
{
    struct gunzip_work *w = s->w;
    uint8_t cl_lens[NR_CL_SYMBOLS] = { 0 };
    unsigned int nr_litlen, nr_dist, nr_cl, i;
    int rc;

    nr_litlen = bits_get(&s->bits, 5) + 257;
    nr_dist = bits_get(&s->bits, 5) + 1;
    nr_cl = bits_get(&s->bits, 4) + 4;
    if ( nr_litlen > NR_LITLEN_MAX || nr_dist > NR_DIST_MAX )
        return -EINVAL;

    for ( i = 0; i < nr_cl; i++ )
        cl_lens[codelen_order[i]] = bits_get(&s->bits, 3);
    if ( s->bits.overrun )
        return -EINVAL;

    rc = huffman_build(&w->codelen, cl_lens, NR_CL_SYMBOLS, false);
    if ( rc )
        return rc;
    rc = read_code_lengths(s, nr_litlen + nr_dist);
    if ( rc )
        return rc;

    /* A block that cannot end is corrupt. */
    if ( !w->lens[END_OF_BLOCK] )
        return -EINVAL;

    rc = huffman_build(&w->litlen, w->lens, nr_litlen, true);
    if ( !rc )
        rc = huffman_build(&w->dist, w->lens + nr_litlen, nr_dist, true);
    return rc;
}

/* Copy `length` bytes from `distance` back; overlap repeats the pattern. */
static void copy_back_reference(struct inflater *s, unsigned int length,
                                unsigned int distance)
{
    uint8_t *dst = s->out + s->pos;
    const uint8_t *src = dst - distance;

    s->pos += length;
    if ( distance >= length )
    {
        memcpy(dst, src, length);
        return;
    }
    while ( length-- )
        *dst++ = *src++;
}

static int inflate_match(struct inflater *s, unsigned int length_sym)
{
    unsigned int idx = length_sym - FIRST_LENGTH, length, distance;
    int dist_sym;

    if ( idx >= NR_ELEMS(length_base) )
        return -EINVAL;             /* 286, 287: only in fixed code. */
    length = length_base[idx] + bits_get(&s->bits, length_extra[idx]);

    dist_sym = huffman_decode(&s->bits, &s->w->dist);
    if ( dist_sym < 0 )
        return dist_sym;
    if ( dist_sym >= NR_DIST_MAX )
        return -EINVAL;             /* 30, 31: only in fixed code. */
    distance = dist_base[dist_sym] + bits_get(&s->bits, dist_extra[dist_sym]);

    if ( s->bits.overrun || distance > s->pos )
        return -EINVAL;
    if ( length > s->size - s->pos )
        return -ENOSPC;
    copy_back_reference(s, length, distance);
    return 0;
}

/* Decode a Huffman-coded block's data with the current tables. */
static int inflate_codes(struct inflater *s)
{
    for ( ;; )
    {
        int sym = huffman_decode(&s->bits, &s->w->litlen);
        int rc;

        if ( sym < 0 )
            return sym;
        if ( sym < END_OF_BLOCK )
        {
            if ( s->pos == s->size )
                return -ENOSPC;
            s->out[s->pos++] = sym;
            continue;
        }
        if ( sym == END_OF_BLOCK )
            return 0;
        rc = inflate_match(s, sym);
        if ( rc )
            return rc;
    }
}

static int inflate_stored(struct inflater *s)
{
    struct bits *b = &s->bits;
    unsigned int len, nlen;

    bits_align_to_byte(b);
    if ( b->len - b->pos < 4 )
        return -EINVAL;
    len = get_le16(b->in + b->pos);
    nlen = get_le16(b->in + b->pos + 2);
    b->pos += 4;
    if ( (len ^ nlen) != 0xffff )
        return -EINVAL;
    if ( len > b->len - b->pos )
        return -EINVAL;
    if ( len > s->size - s->pos )
        return -ENOSPC;
    if ( len )
        memcpy(s->out + s->pos, b->in + b->pos, len);
    b->pos += len;
    s->pos += len;
    return 0;
}

/* Decode DEFLATE blocks up to the final one; leaves bits byte-aligned. */
static int inflate(struct inflater *s)
{
    unsigned int final, type;
    int rc;

    do {
        final = bits_get(&s->bits, 1);
        type = bits_get(&s->bits, 2);
        if ( s->bits.overrun )
            return -EINVAL;

        switch ( type )
        {
        case 0:
            rc = inflate_stored(s);
            break;
        case 1:
            rc = build_fixed_codes(s->w);
            if ( !rc )
                rc = inflate_codes(s);
            break;
        case 2:
            rc = build_dynamic_codes(s);
            if ( !rc )
                rc = inflate_codes(s);
            break;
        default:
            rc = -EINVAL;
            break;
        }
        if ( rc )
            return rc;
    } while ( !final );

    bits_align_to_byte(&s->bits);
    return 0;
}

/* ---- gzip member ---- */

static int skip_zero_terminated(const uint8_t *in, size_t len, size_t *pos)
{
    const uint8_t *nul = memchr(in + *pos, 0, len - *pos);

    if ( !nul )
        return -EINVAL;
    *pos = nul - in + 1;
    return 0;
}

/* Check the RFC 1952 header and find where the DEFLATE data starts. */
static int parse_header(const uint8_t *in, size_t len, size_t *data_start,
                        const uint32_t crc_table[256])
{
    size_t pos = GZIP_HDR_LEN;
    unsigned int flags;

    if ( len < GZIP_HDR_LEN || in[0] != GZIP_ID1 || in[1] != GZIP_ID2 )
        return -EINVAL;
    if ( in[2] != GZIP_CM_DEFLATE )
        return -EOPNOTSUPP;
    flags = in[3];
    if ( flags & FRESERVED )
        return -EINVAL;     /* RFC 1952 2.3.1.2: must not be ignored. */

    if ( flags & FEXTRA )
    {
        size_t xlen;

        if ( len - pos < 2 )
            return -EINVAL;
        xlen = get_le16(in + pos);
        pos += 2;
        if ( xlen > len - pos )
            return -EINVAL;
        pos += xlen;
    }
    if ( (flags & FNAME) && skip_zero_terminated(in, len, &pos) )
        return -EINVAL;
    if ( (flags & FCOMMENT) && skip_zero_terminated(in, len, &pos) )
        return -EINVAL;
    if ( flags & FHCRC )
    {
        if ( len - pos < 2 )
            return -EINVAL;
        if ( (crc32(crc_table, in, pos) & 0xffff) != get_le16(in + pos) )
            return -EINVAL;
        pos += 2;
    }

    *data_start = pos;
    return 0;
}

int gunzip(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_size,
           size_t *out_len, void *work)
{
    struct gunzip_work *w = work;
    struct inflater s = { .out = out, .size = out_size, .w = w };
    const uint8_t *trailer;
    size_t data_start;
    int rc;

    if ( (uintptr_t)work % _Alignof(struct gunzip_work) )
        return -EINVAL;
    crc32_build_table(w->crc_table);

    rc = parse_header(in, in_len, &data_start, w->crc_table);
    if ( rc )
        return rc;

    s.bits.in = in;
    s.bits.len = in_len;
    s.bits.pos = data_start;
    rc = inflate(&s);
    if ( rc )
        return rc;

    if ( in_len - s.bits.pos < GZIP_TRAILER )
        return -EINVAL;
    trailer = in + s.bits.pos;
    if ( get_le32(trailer) != crc32(w->crc_table, out, s.pos) )
        return -EINVAL;
    /* ISIZE is the length modulo 2^32. */
    if ( get_le32(trailer + 4) != (uint32_t)s.pos )
        return -EINVAL;

    *out_len = s.pos;
    return 0;
}

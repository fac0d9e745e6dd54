/* SPDX-License-Identifier: GPL-2.0 */
/*
 * XZ decompression ("The .xz File Format" 1.1.0 and the LZMA/LZMA2 coding
 * it carries), so that the hypervisor can unpack the XZ-compressed payload
 * of a Debian Linux bzImage itself before loading the kernel.
 *
 * Single-call only: the whole input is in memory and the whole output goes
 * into one caller buffer, which doubles as the LZMA dictionary.  That keeps
 * the decoder free of buffering state and needs only a fixed scratch area
 * (the probability model and CRC tables) instead of an allocator.
 *
 * Supported: concatenated streams with stream padding, any number of blocks,
 * filter chains [LZMA2] and [x86 BCJ, LZMA2], checks none/CRC32/CRC64/
 * SHA-256 (all verified), the index checked against the blocks decoded.
 *
 * Every read of the input goes through a bounds check against its length
 * and every write to the output through one against out_size, so corrupt
 * input can only make us fail, not overrun.
 */
#include <xen/errno.h>
#include <xen/string.h>
#include <xen/types.h>
#include <xen/unxz.h>

/* .xz container. */
#define STREAM_HEADER_SIZE  12
#define STREAM_FOOTER_SIZE  12
#define CHECK_NONE          0x00
#define CHECK_CRC32         0x01
#define CHECK_CRC64         0x04
#define CHECK_SHA256        0x0a
#define CHECK_MAX_SIZE      64
#define BLOCK_FLAG_FILTERS  0x03    /* number of filters - 1 */
#define BLOCK_FLAG_RESERVED 0x3c
#define BLOCK_FLAG_CSIZE    0x40    /* compressed size present */
#define BLOCK_FLAG_USIZE    0x80    /* uncompressed size present */
#define FILTER_X86          0x04
#define FILTER_LZMA2        0x21
#define VLI_MAX_BYTES       9       /* 63 bits, 7 per byte */
#define LZMA2_DICT_MAX_PROP 40

#define CRC32_POLY          0xedb88320u                 /* IEEE, reflected */
#define CRC64_POLY          0xc96c5795d7870f42ull       /* ECMA-182, reflected */

/* LZMA2 chunk control bytes. */
#define LZMA2_END           0x00
#define LZMA2_COPY_RESET    0x01    /* uncompressed, dictionary reset */
#define LZMA2_COPY          0x02    /* uncompressed, no reset */
#define LZMA2_LZMA          0x80    /* LZMA chunk; bits 5-6 say what resets */
#define LZMA2_STATE_RESET   0xa0
#define LZMA2_PROPS_RESET   0xc0
#define LZMA2_DICT_RESET    0xe0

/* The LZMA model. */
#define PROB_BITS           11
#define PROB_ONE            (1u << PROB_BITS)
#define PROB_INIT           (PROB_ONE / 2)
#define PROB_MOVE_BITS      5
#define RC_TOP              (1u << 24)
#define RC_INIT_BYTES       5
#define LZMA_STATES         12
#define LZMA_LIT_STATES     7       /* states below this follow a literal */
#define LZMA_PB_MAX         4
#define LZMA_LCLP_MAX       4       /* LZMA2 limits lc + lp to 4 */
#define LZMA_POS_STATES_MAX (1u << LZMA_PB_MAX)
#define LZMA_LIT_CODERS_MAX (1u << LZMA_LCLP_MAX)
#define LZMA_LIT_PROBS      0x300
#define LZMA_MATCH_LEN_MIN  2
#define LZMA_LEN_LOW_BITS   3
#define LZMA_LEN_MID_BITS   3
#define LZMA_LEN_HIGH_BITS  8
#define LZMA_LEN_LOW        (1u << LZMA_LEN_LOW_BITS)
#define LZMA_LEN_MID        (1u << LZMA_LEN_MID_BITS)
#define LZMA_DIST_STATES    4
#define LZMA_DIST_SLOT_BITS 6
#define LZMA_DIST_MODEL_START 4     /* slots below this are the distance */
#define LZMA_DIST_MODEL_END 14      /* slots from here use direct bits */
#define LZMA_FULL_DISTANCES (1u << (LZMA_DIST_MODEL_END / 2))
#define LZMA_ALIGN_BITS     4
#define LZMA_END_MARKER     0xffffffffu

typedef uint16_t prob_t;

struct len_probs {
    prob_t choice;
    prob_t choice2;
    prob_t low[LZMA_POS_STATES_MAX][LZMA_LEN_LOW];
    prob_t mid[LZMA_POS_STATES_MAX][LZMA_LEN_MID];
    prob_t high[1u << LZMA_LEN_HIGH_BITS];
};

/* Only prob_t members: lzma_reset_state() treats it as one array. */
struct lzma_probs {
    prob_t is_match[LZMA_STATES][LZMA_POS_STATES_MAX];
    prob_t is_rep[LZMA_STATES];
    prob_t is_rep0[LZMA_STATES];
    prob_t is_rep1[LZMA_STATES];
    prob_t is_rep2[LZMA_STATES];
    prob_t is_rep0_long[LZMA_STATES][LZMA_POS_STATES_MAX];
    prob_t dist_slot[LZMA_DIST_STATES][1u << LZMA_DIST_SLOT_BITS];
    prob_t dist_special[LZMA_FULL_DISTANCES - LZMA_DIST_MODEL_END];
    prob_t dist_align[1u << LZMA_ALIGN_BITS];
    struct len_probs match_len;
    struct len_probs rep_len;
    prob_t literal[LZMA_LIT_CODERS_MAX][LZMA_LIT_PROBS];
};

/* Range decoder over one LZMA2 chunk's compressed bytes. */
struct rc {
    const uint8_t *buf;
    size_t pos;
    size_t end;
    uint32_t range;
    uint32_t code;
    bool overrun;           /* wanted a byte past end */
};

struct lzma {
    struct rc rc;
    unsigned int state;
    uint32_t rep[4];        /* the last four match distances, minus one */
    unsigned int lc;
    size_t lp_mask;
    size_t pb_mask;
    struct lzma_probs probs;
};

struct work {
    uint64_t crc64_table[256];
    uint32_t crc32_table[256];
    struct lzma lzma;
};

_Static_assert(sizeof(struct work) <= UNXZ_WORK_SIZE,
               "UNXZ_WORK_SIZE too small");

/* The input, and how far we have parsed it. */
struct cursor {
    const uint8_t *buf;
    size_t len;
    size_t pos;
};

/*
 * The output.  Bytes from dict_start on are the LZMA dictionary: matches may
 * reach back to it but not past it (it moves at each dictionary reset).
 */
struct outbuf {
    uint8_t *buf;
    size_t size;
    size_t pos;
    size_t dict_start;
};

struct block_header {
    size_t size;
    bool has_csize, has_usize, has_bcj;
    uint64_t csize, usize;
    uint32_t bcj_start;
};

/*
 * What the blocks of a stream looked like, to compare with its index: a
 * count and a CRC64 over each block's (unpadded size, uncompressed size).
 */
struct records {
    uint64_t count;
    uint64_t hash;
};

/* ---------------------------------------------------------------- Bytes */

static uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static uint64_t get_le64(const uint8_t *p)
{
    return get_le32(p) | ((uint64_t)get_le32(p + 4) << 32);
}

static uint32_t get_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
           ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static unsigned int get_be16(const uint8_t *p)
{
    return ((unsigned int)p[0] << 8) | p[1];
}

static void put_le64(uint8_t *p, uint64_t v)
{
    unsigned int i;

    for ( i = 0; i < 8; i++ )
        p[i] = v >> (8 * i);
}

static bool cursor_has(const struct cursor *c, size_t n)
{
    return n <= c->len - c->pos;
}

/*
 * A variable-length integer: 7 bits per byte, least significant first, top
 * bit set on all but the last byte.  The format forbids padding with
 * trailing zero groups, so each value has exactly one encoding.
 */
static int read_vli(struct cursor *c, uint64_t *val)
{
    uint64_t v = 0;
    unsigned int i;

    for ( i = 0; i < VLI_MAX_BYTES; i++ )
    {
        uint8_t b;

        if ( !cursor_has(c, 1) )
            return -EINVAL;
        b = c->buf[c->pos++];
        v |= (uint64_t)(b & 0x7f) << (7 * i);
        if ( !(b & 0x80) )
        {
            if ( b == 0 && i > 0 )
                return -EINVAL;
            *val = v;
            return 0;
        }
    }
    return -EINVAL;
}

/* ------------------------------------------------------------- Checks */

static void build_crc_tables(struct work *w)
{
    unsigned int i, k;

    for ( i = 0; i < 256; i++ )
    {
        uint32_t c32 = i;
        uint64_t c64 = i;

        for ( k = 0; k < 8; k++ )
        {
            c32 = (c32 >> 1) ^ ((c32 & 1) ? CRC32_POLY : 0);
            c64 = (c64 >> 1) ^ ((c64 & 1) ? CRC64_POLY : 0);
        }
        w->crc32_table[i] = c32;
        w->crc64_table[i] = c64;
    }
}

/* Both CRCs chain: pass the previous result (0 to start). */
static uint32_t crc32(const struct work *w, uint32_t crc, const uint8_t *p,
                      size_t n)
{
    size_t i;

    crc = ~crc;
    for ( i = 0; i < n; i++ )
        crc = w->crc32_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

static uint64_t crc64(const struct work *w, uint64_t crc, const uint8_t *p,
                      size_t n)
{
    size_t i;

    crc = ~crc;
    for ( i = 0; i < n; i++ )
        crc = w->crc64_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

/* SHA-256 (FIPS 180-4). */
static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror32(uint32_t x, unsigned int n)
{
    return (x >> n) | (x << (32 - n));
}

static void sha256_block(uint32_t h[8], const uint8_t *p)
{
    uint32_t s[64], v[8], t1, t2;
    unsigned int i;

    for ( i = 0; i < 16; i++ )
        s[i] = get_be32(p + 4 * i);
    for ( ; i < 64; i++ )
        s[i] = s[i - 16] + s[i - 7] +
               (ror32(s[i - 15], 7) ^ ror32(s[i - 15], 18) ^ (s[i - 15] >> 3)) +
               (ror32(s[i - 2], 17) ^ ror32(s[i - 2], 19) ^ (s[i - 2] >> 10));
    for ( i = 0; i < 8; i++ )
        v[i] = h[i];
    for ( i = 0; i < 64; i++ )
    {
        t1 = v[7] + (ror32(v[4], 6) ^ ror32(v[4], 11) ^ ror32(v[4], 25)) +
             ((v[4] & v[5]) ^ (~v[4] & v[6])) + sha256_k[i] + s[i];
        t2 = (ror32(v[0], 2) ^ ror32(v[0], 13) ^ ror32(v[0], 22)) +
             ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
        v[7] = v[6];
        v[6] = v[5];
        v[5] = v[4];
        v[4] = v[3] + t1;
        v[3] = v[2];
        v[2] = v[1];
        v[1] = v[0];
        v[0] = t1 + t2;
    }
    for ( i = 0; i < 8; i++ )
        h[i] += v[i];
}

static void sha256(const uint8_t *p, size_t n, uint8_t digest[32])
{
    uint32_t h[8] = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };
    uint8_t tail[64];
    size_t done = 0, rest, i;
    uint64_t bits = (uint64_t)n * 8;

    for ( ; n - done >= 64; done += 64 )
        sha256_block(h, p + done);

    /* Final block(s): the rest, a 1 bit, zeros, the length in bits. */
    rest = n - done;
    memset(tail, 0, sizeof(tail));
    for ( i = 0; i < rest; i++ )
        tail[i] = p[done + i];
    tail[rest] = 0x80;
    if ( rest >= 56 )
    {
        sha256_block(h, tail);
        memset(tail, 0, sizeof(tail));
    }
    for ( i = 0; i < 8; i++ )
        tail[63 - i] = bits >> (8 * i);
    sha256_block(h, tail);

    for ( i = 0; i < 32; i++ )
        digest[i] = h[i / 4] >> (24 - 8 * (i % 4));
}

static size_t check_size(unsigned int check)
{
    /* Sizes for all 16 IDs are fixed by the format, used or not. */
    static const uint8_t sizes[16] = {
        0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64,
    };

    return sizes[check & 0xf];
}

static bool check_supported(unsigned int check)
{
    return check == CHECK_NONE || check == CHECK_CRC32 ||
           check == CHECK_CRC64 || check == CHECK_SHA256;
}

/* Does `stored` hold the check of `data`? */
static bool check_matches(const struct work *w, unsigned int check,
                          const uint8_t *data, size_t n, const uint8_t *stored)
{
    uint8_t digest[32];
    unsigned int i;

    switch ( check )
    {
    case CHECK_NONE:
        return true;
    case CHECK_CRC32:
        return crc32(w, 0, data, n) == get_le32(stored);
    case CHECK_CRC64:
        return crc64(w, 0, data, n) == get_le64(stored);
    case CHECK_SHA256:
        sha256(data, n, digest);
        for ( i = 0; i < sizeof(digest); i++ )
            if ( digest[i] != stored[i] )
                return false;
        return true;
    default:
        return false;
    }
}

/* ------------------------------------------------------ Range decoder */

static int rc_init(struct rc *rc, const uint8_t *buf, size_t pos, size_t end)
{
    unsigned int i;

    /* The encoder's first byte is always 0 (its carry cache starts so). */
    if ( end - pos < RC_INIT_BYTES || buf[pos] != 0 )
        return -EINVAL;
    rc->buf = buf;
    rc->end = end;
    rc->range = 0xffffffffu;
    rc->code = 0;
    rc->overrun = false;
    for ( i = 0; i < RC_INIT_BYTES; i++ )
        rc->code = (rc->code << 8) | buf[pos + i];
    rc->pos = pos + RC_INIT_BYTES;
    return 0;
}

/*
 * Normalising after each bit (rather than lazily before the next) keeps us
 * in step with the encoder's output, so that a chunk ends exactly at its
 * last compressed byte.  Past the end we feed zeros and note the overrun,
 * which the chunk loop turns into an error.
 */
static inline void rc_normalize(struct rc *rc)
{
    if ( rc->range < RC_TOP )
    {
        rc->range <<= 8;
        rc->code <<= 8;
        if ( rc->pos < rc->end )
            rc->code |= rc->buf[rc->pos++];
        else
            rc->overrun = true;
    }
}

/* One bit with an adaptive probability (of it being 0). */
static inline unsigned int rc_bit(struct rc *rc, prob_t *prob)
{
    uint32_t bound = (rc->range >> PROB_BITS) * *prob;
    unsigned int bit;

    if ( rc->code < bound )
    {
        rc->range = bound;
        *prob += (PROB_ONE - *prob) >> PROB_MOVE_BITS;
        bit = 0;
    }
    else
    {
        rc->range -= bound;
        rc->code -= bound;
        *prob -= *prob >> PROB_MOVE_BITS;
        bit = 1;
    }
    rc_normalize(rc);
    return bit;
}

/* n bits with fixed probability 1/2, most significant first. */
static uint32_t rc_direct_bits(struct rc *rc, unsigned int n)
{
    uint32_t v = 0;

    while ( n-- )
    {
        rc->range >>= 1;
        v <<= 1;
        if ( rc->code >= rc->range )
        {
            rc->code -= rc->range;
            v |= 1;
        }
        rc_normalize(rc);
    }
    return v;
}

/*
 * An n-bit value, most significant bit first, each bit's probability chosen
 * by the bits above it: node m (1 .. 2^n - 1) of a binary tree.
 */
static inline unsigned int rc_tree(struct rc *rc, prob_t *probs,
                                   unsigned int n)
{
    unsigned int m = 1;

    while ( m < (1u << n) )
        m = (m << 1) | rc_bit(rc, &probs[m]);
    return m - (1u << n);
}

/*
 * The same tree walked least significant bit first.  probs points at the
 * probability of node 1 (not at an unused node 0), because the distance
 * coder packs several such trees into one array.
 */
static unsigned int rc_tree_reverse(struct rc *rc, prob_t *probs,
                                    unsigned int n)
{
    unsigned int m = 1, v = 0, i, bit;

    for ( i = 0; i < n; i++ )
    {
        bit = rc_bit(rc, &probs[m - 1]);
        m = (m << 1) | bit;
        v |= bit << i;
    }
    return v;
}

/* --------------------------------------------------------------- LZMA */

/* Back to the start of the model: used at LZMA2 state resets. */
static void lzma_reset_state(struct lzma *lz)
{
    prob_t *p = (prob_t *)&lz->probs;
    size_t i;

    for ( i = 0; i < sizeof(lz->probs) / sizeof(prob_t); i++ )
        p[i] = PROB_INIT;
    lz->state = 0;
    lz->rep[0] = lz->rep[1] = lz->rep[2] = lz->rep[3] = 0;
}

/* The LZMA2 properties byte: (pb * 5 + lp) * 9 + lc. */
static int lzma_set_props(struct lzma *lz, unsigned int props)
{
    unsigned int lc, lp, pb;

    if ( props >= 9 * 5 * 5 )
        return -EINVAL;
    lc = props % 9;
    lp = (props / 9) % 5;
    pb = props / 45;
    if ( lc + lp > LZMA_LCLP_MAX || pb > LZMA_PB_MAX )
        return -EINVAL;
    lz->lc = lc;
    lz->lp_mask = (1u << lp) - 1;
    lz->pb_mask = (1u << pb) - 1;
    return 0;
}

static unsigned int state_after_literal(unsigned int state)
{
    if ( state < 4 )
        return 0;
    return state < 10 ? state - 3 : state - 6;
}

/*
 * Copy len bytes from dist + 1 back.  The regions may overlap (a short
 * distance repeats a pattern), so copy forwards a byte at a time unless
 * they cannot.
 */
static int lz_copy(struct outbuf *out, uint32_t dist, unsigned int len,
                   size_t chunk_end)
{
    size_t from;

    if ( dist >= out->pos - out->dict_start )
        return -EINVAL;
    /* A match never crosses an LZMA2 chunk boundary. */
    if ( len > chunk_end - out->pos )
        return -EINVAL;
    from = out->pos - dist - 1;
    if ( (size_t)dist + 1 >= len )
    {
        memcpy(out->buf + out->pos, out->buf + from, len);
        out->pos += len;
    }
    else
        while ( len-- )
            out->buf[out->pos++] = out->buf[from++];
    return 0;
}

/*
 * A literal right after a match is coded relative to the byte the match
 * would have continued with: while the decoded bits agree with that byte's,
 * each of its bit values has its own probabilities; after the first
 * disagreement the rest is coded as a plain literal.
 */
static unsigned int rc_matched_literal(struct rc *rc, prob_t *probs,
                                       unsigned int match_byte)
{
    unsigned int sym = 1, offset = 0x100, match_bit, bit;

    while ( sym < 0x100 )
    {
        match_byte <<= 1;
        match_bit = match_byte & offset;
        bit = rc_bit(rc, &probs[offset + match_bit + sym]);
        sym = (sym << 1) | bit;
        offset &= bit ? match_bit : ~match_bit;
    }
    return sym & 0xff;
}

static int lzma_literal(struct lzma *lz, struct outbuf *out)
{
    size_t done = out->pos - out->dict_start;
    unsigned int prev = done ? out->buf[out->pos - 1] : 0;
    unsigned int coder = ((done & lz->lp_mask) << lz->lc) +
                         (prev >> (8 - lz->lc));
    prob_t *probs = lz->probs.literal[coder];
    unsigned int sym;

    if ( lz->state < LZMA_LIT_STATES )
        sym = rc_tree(&lz->rc, probs, 8);
    else
    {
        if ( lz->rep[0] >= done )
            return -EINVAL;
        sym = rc_matched_literal(&lz->rc, probs,
                                 out->buf[out->pos - lz->rep[0] - 1]);
    }
    out->buf[out->pos++] = sym;
    lz->state = state_after_literal(lz->state);
    return 0;
}

static unsigned int lzma_len(struct rc *rc, struct len_probs *lp,
                             unsigned int pos_state)
{
    if ( !rc_bit(rc, &lp->choice) )
        return LZMA_MATCH_LEN_MIN +
               rc_tree(rc, lp->low[pos_state], LZMA_LEN_LOW_BITS);
    if ( !rc_bit(rc, &lp->choice2) )
        return LZMA_MATCH_LEN_MIN + LZMA_LEN_LOW +
               rc_tree(rc, lp->mid[pos_state], LZMA_LEN_MID_BITS);
    return LZMA_MATCH_LEN_MIN + LZMA_LEN_LOW + LZMA_LEN_MID +
           rc_tree(rc, lp->high, LZMA_LEN_HIGH_BITS);
}

/*
 * A distance is a 6-bit slot (its top two bits and bit count) then the
 * bits below those: modelled for short distances, otherwise direct bits
 * with the lowest four modelled.
 */
static uint32_t lzma_dist(struct lzma *lz, unsigned int len)
{
    struct rc *rc = &lz->rc;
    unsigned int len_state = len - LZMA_MATCH_LEN_MIN;
    unsigned int slot, n;
    uint32_t dist;

    if ( len_state >= LZMA_DIST_STATES )
        len_state = LZMA_DIST_STATES - 1;
    slot = rc_tree(rc, lz->probs.dist_slot[len_state], LZMA_DIST_SLOT_BITS);
    if ( slot < LZMA_DIST_MODEL_START )
        return slot;

    n = (slot >> 1) - 1;
    dist = (2 | (slot & 1)) << n;
    if ( slot < LZMA_DIST_MODEL_END )
        /* Each slot's tree sits at its own offset: they do not overlap. */
        return dist + rc_tree_reverse(rc, lz->probs.dist_special + dist - slot,
                                      n);
    dist += rc_direct_bits(rc, n - LZMA_ALIGN_BITS) << LZMA_ALIGN_BITS;
    return dist + rc_tree_reverse(rc, lz->probs.dist_align, LZMA_ALIGN_BITS);
}

static int lzma_match(struct lzma *lz, struct outbuf *out,
                      unsigned int pos_state, size_t chunk_end)
{
    unsigned int len = lzma_len(&lz->rc, &lz->probs.match_len, pos_state);
    uint32_t dist = lzma_dist(lz, len);

    /* LZMA2 knows each chunk's size, so an end marker is corruption. */
    if ( dist == LZMA_END_MARKER )
        return -EINVAL;
    lz->rep[3] = lz->rep[2];
    lz->rep[2] = lz->rep[1];
    lz->rep[1] = lz->rep[0];
    lz->rep[0] = dist;
    lz->state = lz->state < LZMA_LIT_STATES ? 7 : 10;
    return lz_copy(out, dist, len, chunk_end);
}

/* A match at one of the last four distances, or a one-byte "short rep". */
static int lzma_rep_match(struct lzma *lz, struct outbuf *out,
                          unsigned int pos_state, size_t chunk_end)
{
    struct rc *rc = &lz->rc;
    struct lzma_probs *p = &lz->probs;
    unsigned int s = lz->state, len;
    uint32_t dist;

    if ( !rc_bit(rc, &p->is_rep0[s]) )
    {
        if ( !rc_bit(rc, &p->is_rep0_long[s][pos_state]) )
        {
            lz->state = s < LZMA_LIT_STATES ? 9 : 11;
            return lz_copy(out, lz->rep[0], 1, chunk_end);
        }
    }
    else
    {
        /* Move the distance used to the front, keeping the others' order. */
        if ( !rc_bit(rc, &p->is_rep1[s]) )
            dist = lz->rep[1];
        else
        {
            if ( !rc_bit(rc, &p->is_rep2[s]) )
                dist = lz->rep[2];
            else
            {
                dist = lz->rep[3];
                lz->rep[3] = lz->rep[2];
            }
            lz->rep[2] = lz->rep[1];
        }
        lz->rep[1] = lz->rep[0];
        lz->rep[0] = dist;
    }
    len = lzma_len(rc, &p->rep_len, pos_state);
    lz->state = s < LZMA_LIT_STATES ? 8 : 11;
    return lz_copy(out, lz->rep[0], len, chunk_end);
}

/* Decode one LZMA chunk's symbols until the output reaches chunk_end. */
static int lzma_decode_chunk(struct lzma *lz, struct outbuf *out,
                             size_t chunk_end)
{
    struct rc *rc = &lz->rc;
    unsigned int pos_state;
    int ret;

    while ( out->pos < chunk_end )
    {
        if ( rc->overrun )
            return -EINVAL;
        pos_state = (out->pos - out->dict_start) & lz->pb_mask;
        if ( !rc_bit(rc, &lz->probs.is_match[lz->state][pos_state]) )
            ret = lzma_literal(lz, out);
        else if ( !rc_bit(rc, &lz->probs.is_rep[lz->state]) )
            ret = lzma_match(lz, out, pos_state, chunk_end);
        else
            ret = lzma_rep_match(lz, out, pos_state, chunk_end);
        if ( ret )
            return ret;
    }
    /*
     * The encoder flushes its whole low value, so a sound chunk ends with
     * all compressed bytes read and nothing left in code.
     */
    if ( rc->overrun || rc->pos != rc->end || rc->code != 0 )
        return -EINVAL;
    return 0;
}

/* -------------------------------------------------------------- LZMA2 */

static int lzma2_copy_chunk(struct cursor *in, struct outbuf *out)
{
    size_t n;

    if ( !cursor_has(in, 2) )
        return -EINVAL;
    n = get_be16(in->buf + in->pos) + 1;
    in->pos += 2;
    if ( !cursor_has(in, n) )
        return -EINVAL;
    if ( n > out->size - out->pos )
        return -ENOSPC;
    memcpy(out->buf + out->pos, in->buf + in->pos, n);
    in->pos += n;
    out->pos += n;
    return 0;
}

static int lzma2_lzma_chunk(struct lzma *lz, unsigned int control,
                            struct cursor *in, struct outbuf *out)
{
    size_t usize, csize;
    int ret;

    if ( !cursor_has(in, 4) )
        return -EINVAL;
    usize = ((size_t)(control & 0x1f) << 16) + get_be16(in->buf + in->pos) + 1;
    csize = get_be16(in->buf + in->pos + 2) + 1;
    in->pos += 4;
    if ( control >= LZMA2_PROPS_RESET )
    {
        if ( !cursor_has(in, 1) )
            return -EINVAL;
        ret = lzma_set_props(lz, in->buf[in->pos++]);
        if ( ret )
            return ret;
    }
    if ( control >= LZMA2_STATE_RESET )
        lzma_reset_state(lz);

    if ( !cursor_has(in, csize) )
        return -EINVAL;
    if ( usize > out->size - out->pos )
        return -ENOSPC;
    ret = rc_init(&lz->rc, in->buf, in->pos, in->pos + csize);
    if ( ret )
        return ret;
    ret = lzma_decode_chunk(lz, out, out->pos + usize);
    in->pos += csize;
    return ret;
}

/*
 * LZMA2: a sequence of chunks, each uncompressed or LZMA, ended by a zero
 * control byte.  The first chunk must reset the dictionary, and an LZMA
 * chunk needs properties from itself or an earlier one since that reset.
 */
static int lzma2_decode(struct lzma *lz, struct cursor *in,
                        struct outbuf *out)
{
    bool need_dict_reset = true, need_props = true;
    unsigned int control;
    int ret;

    for ( ;; )
    {
        if ( !cursor_has(in, 1) )
            return -EINVAL;
        control = in->buf[in->pos++];
        if ( control == LZMA2_END )
            return 0;

        if ( control == LZMA2_COPY_RESET || control >= LZMA2_DICT_RESET )
        {
            out->dict_start = out->pos;
            need_dict_reset = false;
            need_props = true;
        }
        else if ( need_dict_reset )
            return -EINVAL;

        if ( control >= LZMA2_LZMA )
        {
            if ( control >= LZMA2_PROPS_RESET )
                need_props = false;
            else if ( need_props )
                return -EINVAL;
            ret = lzma2_lzma_chunk(lz, control, in, out);
        }
        else if ( control <= LZMA2_COPY )
            ret = lzma2_copy_chunk(in, out);
        else
            ret = -EINVAL;
        if ( ret )
            return ret;
    }
}

/* ------------------------------------------------------------ x86 BCJ */

static bool bcj_is_sign_byte(uint8_t b)
{
    return b == 0x00 || b == 0xff;
}

/*
 * Undo the x86 BCJ filter.  The encoder rewrote the rel32 operand of what
 * looked like CALL (E8) or JMP (E9) into an absolute address, so that calls
 * to one function from many places become repeated byte strings.  It only
 * did so when the operand's top byte was 00 or FF (a plausible near
 * displacement), and it skipped opcodes too close after other E8/E9 bytes
 * that it left alone, since those are more likely operand bytes than
 * instructions.  We must make the same choices from the same bytes, so the
 * bookkeeping below mirrors the encoder's: `recent` has bit k set if the
 * E8/E9 byte k + 1 positions before the last one seen was left alone.
 */
static void bcj_x86_decode(uint8_t *buf, size_t size, uint32_t start)
{
    /* Indexed by `recent`: may we convert, and which operand byte to test. */
    static const bool recent_ok[8] = { 1, 1, 1, 0, 1, 0, 0, 0 };
    static const uint8_t recent_byte[8] = { 0, 1, 2, 2, 3, 3, 3, 3 };
    size_t i = 0, last = (size_t)-1, gap;
    unsigned int recent = 0, shift;
    uint32_t addr, rel;
    uint8_t *p;

    if ( size < 5 )
        return;
    while ( i < size - 4 )
    {
        p = buf + i;
        if ( (p[0] & 0xfe) != 0xe8 )
        {
            i++;
            continue;
        }

        gap = i - last;
        last = i;
        if ( gap > 3 )
            recent = 0;
        else
        {
            recent = (recent << (gap - 1)) & 7;
            if ( recent && (!recent_ok[recent] ||
                            bcj_is_sign_byte(p[4 - recent_byte[recent]])) )
            {
                recent = ((recent << 1) & 7) | 1;
                i++;
                continue;
            }
        }

        if ( !bcj_is_sign_byte(p[4]) )
        {
            recent = ((recent << 1) & 7) | 1;
            i++;
            continue;
        }

        /*
         * The encoder re-converted while the result's byte that recent
         * points at came out as 00/FF; undo each of those rounds.
         */
        addr = get_le32(p + 1);
        for ( ;; )
        {
            rel = addr - (start + (uint32_t)i + 5);
            if ( !recent )
                break;
            shift = recent_byte[recent] * 8;
            if ( !bcj_is_sign_byte(rel >> (24 - shift)) )
                break;
            addr = rel ^ ((1u << (32 - shift)) - 1);
        }
        /* Sign-extend from bit 24: the top byte was only ever 00 or FF. */
        p[1] = rel;
        p[2] = rel >> 8;
        p[3] = rel >> 16;
        p[4] = (rel & (1u << 24)) ? 0xff : 0x00;
        i += 5;
    }
}

/* ---------------------------------------------------------- Container */

/*
 * Filter flags of a block: we take [LZMA2] or [x86 BCJ, LZMA2].  The LZMA2
 * dictionary size is only validated: single-call mode needs no dictionary.
 */
static int parse_filter(struct cursor *h, bool last, struct block_header *bh)
{
    uint64_t id, props_size;
    int ret;

    ret = read_vli(h, &id);
    if ( !ret )
        ret = read_vli(h, &props_size);
    if ( ret )
        return ret;
    if ( !cursor_has(h, props_size) )
        return -EINVAL;

    if ( last )
    {
        if ( id != FILTER_LZMA2 )
            return -EOPNOTSUPP;
        if ( props_size != 1 )
            return -EINVAL;
        if ( h->buf[h->pos] > LZMA2_DICT_MAX_PROP )
            return -EINVAL;
    }
    else
    {
        if ( id == FILTER_LZMA2 )
            return -EINVAL;         /* LZMA2 may only be last */
        if ( id != FILTER_X86 )
            return -EOPNOTSUPP;
        if ( props_size == 4 )
            bh->bcj_start = get_le32(h->buf + h->pos);
        else if ( props_size != 0 )
            return -EINVAL;
        bh->has_bcj = true;
    }
    h->pos += props_size;
    return 0;
}

static int parse_block_header(const struct work *w, struct cursor *in,
                              struct block_header *bh)
{
    size_t start = in->pos, crc_pos;
    struct cursor h;
    unsigned int flags, nfilters, i;
    int ret;

    memset(bh, 0, sizeof(*bh));
    bh->size = ((size_t)in->buf[start] + 1) * 4;
    if ( !cursor_has(in, bh->size) )
        return -EINVAL;
    crc_pos = start + bh->size - 4;
    if ( crc32(w, 0, in->buf + start, bh->size - 4) !=
         get_le32(in->buf + crc_pos) )
        return -EINVAL;

    flags = in->buf[start + 1];
    if ( flags & BLOCK_FLAG_RESERVED )
        return -EOPNOTSUPP;
    nfilters = (flags & BLOCK_FLAG_FILTERS) + 1;
    if ( nfilters > 2 )
        return -EOPNOTSUPP;

    h.buf = in->buf;
    h.len = crc_pos;
    h.pos = start + 2;
    if ( flags & BLOCK_FLAG_CSIZE )
    {
        bh->has_csize = true;
        ret = read_vli(&h, &bh->csize);
        if ( ret )
            return ret;
        if ( bh->csize == 0 )
            return -EINVAL;
    }
    if ( flags & BLOCK_FLAG_USIZE )
    {
        bh->has_usize = true;
        ret = read_vli(&h, &bh->usize);
        if ( ret )
            return ret;
    }
    for ( i = 0; i < nfilters; i++ )
    {
        ret = parse_filter(&h, i == nfilters - 1, bh);
        if ( ret )
            return ret;
    }
    /* Header padding must be zero; anything else is a newer format. */
    for ( ; h.pos < h.len; h.pos++ )
        if ( h.buf[h.pos] )
            return -EOPNOTSUPP;

    in->pos = start + bh->size;
    return 0;
}

static void record_block(const struct work *w, struct records *r,
                         uint64_t unpadded, uint64_t uncompressed)
{
    uint8_t rec[16];

    put_le64(rec, unpadded);
    put_le64(rec + 8, uncompressed);
    r->hash = crc64(w, r->hash, rec, sizeof(rec));
    r->count++;
}

/* Block: header, LZMA2 data, zero padding to 4 bytes, check. */
static int decode_block(struct work *w, struct cursor *in, struct outbuf *out,
                        unsigned int check, struct records *rec)
{
    struct block_header bh;
    struct cursor data;
    size_t out_start = out->pos, csize, usize, pad, csum = check_size(check);
    int ret;

    ret = parse_block_header(w, in, &bh);
    if ( ret )
        return ret;
    if ( bh.has_usize && bh.usize > out->size - out->pos )
        return -ENOSPC;

    data = *in;
    if ( bh.has_csize )
    {
        if ( !cursor_has(in, bh.csize) )
            return -EINVAL;
        data.len = in->pos + bh.csize;
    }
    ret = lzma2_decode(&w->lzma, &data, out);
    if ( ret )
        return ret;
    csize = data.pos - in->pos;
    usize = out->pos - out_start;
    if ( (bh.has_csize && csize != bh.csize) ||
         (bh.has_usize && usize != bh.usize) )
        return -EINVAL;
    in->pos = data.pos;

    pad = (4 - (csize & 3)) & 3;
    if ( !cursor_has(in, pad + csum) )
        return -EINVAL;
    for ( ; pad; pad--, in->pos++ )
        if ( in->buf[in->pos] )
            return -EINVAL;

    if ( bh.has_bcj )
        bcj_x86_decode(out->buf + out_start, usize, bh.bcj_start);
    if ( !check_matches(w, check, out->buf + out_start, usize,
                        in->buf + in->pos) )
        return -EINVAL;
    in->pos += csum;

    record_block(w, rec, bh.size + csize + csum, usize);
    return 0;
}

/*
 * The index lists every block's unpadded and uncompressed size; it must
 * agree with what we decoded.  Returns its size through *size.
 */
static int decode_index(const struct work *w, struct cursor *in,
                        const struct records *blocks, size_t *size)
{
    size_t start = in->pos;
    struct records seen = { 0, 0 };
    uint64_t count, unpadded, uncompressed, i;
    int ret;

    in->pos++;                              /* the 0x00 index indicator */
    ret = read_vli(in, &count);
    if ( ret )
        return ret;
    if ( count != blocks->count )
        return -EINVAL;
    for ( i = 0; i < count; i++ )
    {
        ret = read_vli(in, &unpadded);
        if ( !ret )
            ret = read_vli(in, &uncompressed);
        if ( ret )
            return ret;
        record_block(w, &seen, unpadded, uncompressed);
    }
    if ( seen.hash != blocks->hash )
        return -EINVAL;

    for ( ; (in->pos - start) & 3; in->pos++ )
        if ( !cursor_has(in, 1) || in->buf[in->pos] )
            return -EINVAL;
    if ( !cursor_has(in, 4) ||
         crc32(w, 0, in->buf + start, in->pos - start) !=
         get_le32(in->buf + in->pos) )
        return -EINVAL;
    in->pos += 4;
    *size = in->pos - start;
    return 0;
}

static int decode_stream_header(const struct work *w, struct cursor *in,
                                unsigned int *check)
{
    static const uint8_t magic[6] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };
    const uint8_t *p = in->buf + in->pos;
    unsigned int i;

    if ( !cursor_has(in, STREAM_HEADER_SIZE) )
        return -EINVAL;
    for ( i = 0; i < sizeof(magic); i++ )
        if ( p[i] != magic[i] )
            return -EINVAL;
    if ( crc32(w, 0, p + 6, 2) != get_le32(p + 8) )
        return -EINVAL;
    if ( p[6] || (p[7] & 0xf0) )
        return -EOPNOTSUPP;
    *check = p[7];
    if ( !check_supported(*check) )
        return -EOPNOTSUPP;
    in->pos += STREAM_HEADER_SIZE;
    return 0;
}

/* The footer repeats the flags and gives the index size ("backward size"). */
static int decode_stream_footer(const struct work *w, struct cursor *in,
                                unsigned int check, size_t index_size)
{
    const uint8_t *p = in->buf + in->pos;

    if ( !cursor_has(in, STREAM_FOOTER_SIZE) )
        return -EINVAL;
    if ( crc32(w, 0, p + 4, 6) != get_le32(p) )
        return -EINVAL;
    if ( ((uint64_t)get_le32(p + 4) + 1) * 4 != index_size )
        return -EINVAL;
    if ( p[8] != 0 || p[9] != check || p[10] != 'Y' || p[11] != 'Z' )
        return -EINVAL;
    in->pos += STREAM_FOOTER_SIZE;
    return 0;
}

static int decode_stream(struct work *w, struct cursor *in, struct outbuf *out)
{
    struct records blocks = { 0, 0 };
    unsigned int check;
    size_t index_size;
    int ret;

    ret = decode_stream_header(w, in, &check);
    if ( ret )
        return ret;
    for ( ;; )
    {
        if ( !cursor_has(in, 1) )
            return -EINVAL;
        if ( in->buf[in->pos] == 0 )        /* index indicator */
            break;
        ret = decode_block(w, in, out, check, &blocks);
        if ( ret )
            return ret;
    }
    ret = decode_index(w, in, &blocks, &index_size);
    if ( ret )
        return ret;
    return decode_stream_footer(w, in, check, index_size);
}

/*
 * After a stream: zero padding in whole 4-byte units, then either the end
 * or another stream.  Sets *more if another stream follows.
 */
static int skip_stream_padding(struct cursor *in, bool *more)
{
    size_t start = in->pos;

    while ( cursor_has(in, 1) && in->buf[in->pos] == 0 )
        in->pos++;
    if ( (in->pos - start) & 3 )
        return -EINVAL;
    *more = cursor_has(in, 1);
    return 0;
}

int unxz(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_size,
         size_t *out_len, void *work)
{
    struct work *w = work;
    struct cursor c = { in, in_len, 0 };
    struct outbuf o = { out, out_size, 0, 0 };
    bool more = true;
    int ret = 0;

    if ( !out_len )
        return -EINVAL;
    *out_len = 0;
    if ( !in || !out || !w || ((uintptr_t)w & 7) )
        return -EINVAL;

    build_crc_tables(w);
    while ( more )
    {
        ret = decode_stream(w, &c, &o);
        if ( !ret )
            ret = skip_stream_padding(&c, &more);
        if ( ret )
            break;
    }
    *out_len = o.pos;
    return ret;
}

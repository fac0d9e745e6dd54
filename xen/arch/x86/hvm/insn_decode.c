/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoding of guest instructions for exits that carry no decode
 * information (SVM without decode assists or NRIPS, as under QEMU).
 *
 * insn_decode_mmio() handles the MOV forms that reach emulated device pages:
 * 88/89/8A/8B, C6/C7 /0, A0-A3 (moffs), 0F B6/B7/BE/BF (movzx/movsx) and
 * REX.W 63 (movsxd), and the bit tests 0F A3/AB/B3/BB (register offset) and
 * 0F BA /4-/7 (imm8 offset).  It needs the instruction's length, direction,
 * size and register or immediate; the guest-physical address itself comes
 * from the fault, so the ModRM/SIB/displacement bytes are only measured,
 * not evaluated.
 *
 * insn_load_result() says what a decoded load leaves in its register.
 *
 * insn_length_of() checks that the bytes at RIP are the instruction an
 * intercept says was executed, and returns its length so RIP can be moved
 * past it.
 *
 * The bytes come from guest memory and can be anything: every read is
 * bounds-checked against both the caller's buffer and the 15-byte limit.
 */
#include <xen/errno.h>
#include <xen/types.h>
#include <asm/hvm/insn_decode.h>

#define PFX_OPSIZE   0x66
#define PFX_ADDRSIZE 0x67
#define PFX_LOCK     0xf0
#define PFX_REPNE    0xf2
#define PFX_REP      0xf3

#define REX_B 0x01
#define REX_R 0x04
#define REX_W 0x08

#define MODRM_MOD(m) ((m) >> 6)
#define MODRM_REG(m) (((m) >> 3) & 7)
#define MODRM_RM(m)  ((m) & 7)
#define SIB_BASE(s)  ((s) & 7)

/* Where we are in the instruction and what its prefixes said. */
struct decoder {
    const uint8_t *bytes;
    unsigned int limit;     /* min(avail, INSN_MAX_LEN) */
    unsigned int pos;
    enum insn_mode mode;
    uint8_t rex;            /* 0, or the REX directly before the opcode */
    bool opsize_override;
    bool addrsize_override;
    uint8_t last_rep;       /* 0, F2 or F3: the last one given wins */
    bool lock;
};

static void decoder_init(struct decoder *d, const uint8_t *bytes,
                         unsigned int avail, enum insn_mode mode)
{
    *d = (struct decoder){
        .bytes = bytes,
        .limit = avail < INSN_MAX_LEN ? avail : INSN_MAX_LEN,
        .mode = mode,
    };
}

/* The only place that touches the bytes: never past the limit. */
static int fetch_byte(struct decoder *d, uint8_t *b)
{
    if ( d->pos >= d->limit )
        return -E2BIG;
    *b = d->bytes[d->pos++];
    return 0;
}

/* A little-endian field of n (<= 8) bytes. */
static int fetch_le(struct decoder *d, unsigned int n, uint64_t *val)
{
    uint64_t v = 0;
    unsigned int i;
    uint8_t b;
    int rc;

    for ( i = 0; i < n; i++ )
    {
        rc = fetch_byte(d, &b);
        if ( rc )
            return rc;
        v |= (uint64_t)b << (8 * i);
    }
    *val = v;
    return 0;
}

/* Displacements and moffs are only measured, never used. */
static int skip_bytes(struct decoder *d, unsigned int n)
{
    uint64_t ignored;

    return fetch_le(d, n, &ignored);
}

static bool is_legacy_prefix(uint8_t b)
{
    switch ( b )
    {
    case PFX_OPSIZE: case PFX_ADDRSIZE: case PFX_REPNE: case PFX_REP:
    case 0x2e: case 0x36: case 0x3e: case 0x26: case 0x64: case 0x65:
        return true;
    default:
        return false;
    }
}

static bool is_rex(const struct decoder *d, uint8_t b)
{
    /* Outside 64-bit mode 40-4F are INC/DEC, i.e. opcodes. */
    return d->mode == INSN_MODE_64 && (b & 0xf0) == 0x40;
}

/*
 * Consume the prefixes and return the first opcode byte.  A REX counts only
 * when nothing but the opcode follows it; hardware ignores one that is
 * followed by a legacy prefix, and so do we.  LOCK is tolerated only where
 * the caller says so.
 */
static int scan_prefixes(struct decoder *d, bool allow_lock, uint8_t *opcode)
{
    uint8_t b;
    int rc;

    for ( ;; )
    {
        rc = fetch_byte(d, &b);
        if ( rc )
            return rc;

        if ( is_legacy_prefix(b) || (allow_lock && b == PFX_LOCK) )
        {
            d->rex = 0;
            if ( b == PFX_OPSIZE )
                d->opsize_override = true;
            else if ( b == PFX_ADDRSIZE )
                d->addrsize_override = true;
            else if ( b == PFX_REP || b == PFX_REPNE )
                d->last_rep = b;
            else if ( b == PFX_LOCK )
                d->lock = true;
        }
        else if ( is_rex(d, b) )
            d->rex = b;
        else
        {
            *opcode = b;
            return 0;
        }
    }
}

/* Operand size of a non-byte instruction: REX.W beats 66. */
static unsigned int operand_size(const struct decoder *d)
{
    if ( d->mode == INSN_MODE_64 && (d->rex & REX_W) )
        return 8;
    if ( d->mode == INSN_MODE_16 )
        return d->opsize_override ? 4 : 2;
    return d->opsize_override ? 2 : 4;
}

static unsigned int address_size(const struct decoder *d)
{
    switch ( d->mode )
    {
    case INSN_MODE_64:
        return d->addrsize_override ? 4 : 8;
    case INSN_MODE_32:
        return d->addrsize_override ? 2 : 4;
    default:
        return d->addrsize_override ? 4 : 2;
    }
}

/* 16-bit forms: no SIB; mod=00 r/m=110 is a bare disp16. */
static unsigned int disp_len_addr16(uint8_t modrm)
{
    switch ( MODRM_MOD(modrm) )
    {
    case 0:
        return MODRM_RM(modrm) == 6 ? 2 : 0;
    case 1:
        return 1;
    default:
        return 2;
    }
}

/*
 * 32/64-bit forms: r/m=100 brings a SIB, whose base=101 under mod=00 means
 * disp32 and no base; mod=00 r/m=101 is disp32 (RIP-relative in 64-bit
 * mode).  These tests look at the three encoded bits only: REX.B does not
 * change them, which is why [r12] needs a SIB and [r13] a displacement.
 */
static int skip_addr32_operand(struct decoder *d, uint8_t modrm)
{
    unsigned int disp;
    uint8_t sib;
    int rc;

    switch ( MODRM_MOD(modrm) )
    {
    case 0:
        disp = MODRM_RM(modrm) == 5 ? 4 : 0;
        break;
    case 1:
        disp = 1;
        break;
    default:
        disp = 4;
        break;
    }

    if ( MODRM_RM(modrm) == 4 )
    {
        rc = fetch_byte(d, &sib);
        if ( rc )
            return rc;
        if ( MODRM_MOD(modrm) == 0 && SIB_BASE(sib) == 5 )
            disp = 4;
    }

    return skip_bytes(d, disp);
}

/*
 * Fetch the ModRM byte and measure the memory operand that follows it.  A
 * register operand (mod=11) touches no memory, so could not have faulted
 * on an MMIO page: not ours to emulate.
 */
static int fetch_memory_modrm(struct decoder *d, uint8_t *modrm)
{
    int rc = fetch_byte(d, modrm);

    if ( rc )
        return rc;
    if ( MODRM_MOD(*modrm) == 3 )
        return -EINVAL;
    if ( address_size(d) == 2 )
        return skip_bytes(d, disp_len_addr16(*modrm));
    return skip_addr32_operand(d, *modrm);
}

/* The full register number named by ModRM.reg, with REX.R. */
static unsigned int modrm_gpr(const struct decoder *d, uint8_t modrm)
{
    return MODRM_REG(modrm) | ((d->rex & REX_R) ? 8 : 0);
}

/*
 * A byte register operand: without any REX, encodings 4..7 are AH, CH, DH
 * and BH, the second bytes of rax..rbx; with one they are SPL..DIL.
 */
static void set_byte_reg(const struct decoder *d, uint8_t modrm,
                         struct mmio_insn *insn)
{
    unsigned int reg = modrm_gpr(d, modrm);

    if ( !d->rex && reg >= 4 )
    {
        insn->reg = reg - 4;
        insn->high_byte = true;
    }
    else
        insn->reg = reg;
}

/* 88/89 (store) and 8A/8B (load) with a ModRM memory operand. */
static int decode_mov_modrm(struct decoder *d, uint8_t opcode,
                            struct mmio_insn *insn)
{
    bool byte_op = !(opcode & 1);
    uint8_t modrm;
    int rc = fetch_memory_modrm(d, &modrm);

    if ( rc )
        return rc;

    insn->kind = (opcode & 2) ? MMIO_LOAD : MMIO_STORE_REG;
    insn->size = byte_op ? 1 : operand_size(d);
    insn->dst_size = insn->size;
    if ( byte_op )
        set_byte_reg(d, modrm, insn);
    else
        insn->reg = modrm_gpr(d, modrm);
    return 0;
}

/* Sign-extend the low `bytes` bytes of v and keep the low `size` bytes. */
static uint64_t sign_extend_to(uint64_t v, unsigned int bytes,
                               unsigned int size)
{
    unsigned int shift = 64 - 8 * bytes;
    uint64_t ext = (uint64_t)((int64_t)(v << shift) >> shift);

    return size == 8 ? ext : ext & ((1ULL << (8 * size)) - 1);
}

/* C6 /0 ib and C7 /0 iw/id: the immediate follows the memory operand. */
static int decode_mov_imm(struct decoder *d, uint8_t opcode,
                          struct mmio_insn *insn)
{
    unsigned int imm_len;
    uint8_t modrm;
    uint64_t imm;
    int rc = fetch_memory_modrm(d, &modrm);

    if ( rc )
        return rc;
    /* Other /reg values are undefined (C6 F8 is XABORT, register form). */
    if ( MODRM_REG(modrm) != 0 )
        return -EINVAL;

    insn->kind = MMIO_STORE_IMM;
    insn->size = opcode == 0xc6 ? 1 : operand_size(d);
    /* There is no imm64: a 64-bit store takes a sign-extended imm32. */
    imm_len = insn->size == 8 ? 4 : insn->size;
    rc = fetch_le(d, imm_len, &imm);
    if ( rc )
        return rc;
    insn->imm = sign_extend_to(imm, imm_len, insn->size);
    return 0;
}

/*
 * A0-A3: AL/eAX to or from an absolute address whose width is the address
 * size (8 bytes in 64-bit mode unless 67 makes it 4).
 */
static int decode_mov_moffs(struct decoder *d, uint8_t opcode,
                            struct mmio_insn *insn)
{
    int rc = skip_bytes(d, address_size(d));

    if ( rc )
        return rc;
    insn->kind = (opcode & 2) ? MMIO_STORE_REG : MMIO_LOAD;
    insn->size = (opcode & 1) ? operand_size(d) : 1;
    insn->dst_size = insn->size;
    insn->reg = 0;
    return 0;
}

/* A widening load: size bytes from memory into a register of dst_size. */
static int decode_widening_load(struct decoder *d, unsigned int size,
                                unsigned int dst_size, enum mmio_ext ext,
                                struct mmio_insn *insn)
{
    uint8_t modrm;
    int rc = fetch_memory_modrm(d, &modrm);

    if ( rc )
        return rc;
    insn->kind = MMIO_LOAD;
    insn->size = size;
    insn->dst_size = dst_size;
    insn->ext = ext;
    insn->reg = modrm_gpr(d, modrm);
    return 0;
}

/*
 * 0F A3 (BT), AB (BTS), B3 (BTR), BB (BTC) with the bit offset in ModRM.reg;
 * bits 4:3 of the opcode name the operation, as /4-/7 do for 0F BA.
 */
static int decode_bit_test_reg(struct decoder *d, uint8_t opcode,
                               struct mmio_insn *insn)
{
    uint8_t modrm;
    int rc = fetch_memory_modrm(d, &modrm);

    if ( rc )
        return rc;
    insn->kind = MMIO_BIT_TEST;
    insn->size = operand_size(d);
    insn->reg = modrm_gpr(d, modrm);
    insn->bit_write = ((opcode >> 3) & 3) != 0;
    return 0;
}

/* 0F BA /4 (BT), /5 (BTS), /6 (BTR), /7 (BTC) with an imm8 bit offset. */
static int decode_bit_test_imm(struct decoder *d, struct mmio_insn *insn)
{
    uint8_t modrm;
    uint64_t imm;
    int rc = fetch_memory_modrm(d, &modrm);

    if ( rc )
        return rc;
    if ( MODRM_REG(modrm) < 4 )
        return -EINVAL;          /* /0-/3 are undefined */
    rc = fetch_le(d, 1, &imm);
    if ( rc )
        return rc;
    insn->kind = MMIO_BIT_TEST;
    insn->size = operand_size(d);
    insn->bit_imm = true;
    insn->imm = imm;
    insn->bit_write = MODRM_REG(modrm) != 4;
    return 0;
}

/* 0F B6/B7 (movzx), 0F BE/BF (movsx) and the bit tests. */
static int decode_two_byte(struct decoder *d, struct mmio_insn *insn)
{
    uint8_t opcode;
    int rc = fetch_byte(d, &opcode);

    if ( rc )
        return rc;
    switch ( opcode )
    {
    case 0xa3: case 0xab: case 0xb3: case 0xbb:
        return decode_bit_test_reg(d, opcode, insn);
    case 0xba:
        return decode_bit_test_imm(d, insn);
    case 0xb6: case 0xb7:
        return decode_widening_load(d, opcode == 0xb6 ? 1 : 2,
                                    operand_size(d), MMIO_EXT_ZERO, insn);
    case 0xbe: case 0xbf:
        return decode_widening_load(d, opcode == 0xbe ? 1 : 2,
                                    operand_size(d), MMIO_EXT_SIGN, insn);
    default:
        return -EINVAL;
    }
}

/*
 * 63 is MOVSXD only in 64-bit mode (ARPL elsewhere), and without REX.W it
 * is a plain 32-bit move that compilers never emit: only REX.W is taken.
 */
static int decode_movsxd(struct decoder *d, struct mmio_insn *insn)
{
    if ( d->mode != INSN_MODE_64 || !(d->rex & REX_W) )
        return -EINVAL;
    return decode_widening_load(d, 4, 8, MMIO_EXT_SIGN, insn);
}

int insn_decode_mmio(const uint8_t *bytes, unsigned int avail,
                     enum insn_mode mode, struct mmio_insn *out)
{
    struct mmio_insn insn = { .ext = MMIO_EXT_NONE };
    struct decoder d;
    uint8_t opcode;
    int rc;

    decoder_init(&d, bytes, avail, mode);
    /* F2/F3 on MOV are ignored (or XRELEASE) by hardware. */
    rc = scan_prefixes(&d, true, &opcode);
    if ( rc )
        return rc;

    switch ( opcode )
    {
    case 0x88: case 0x89: case 0x8a: case 0x8b:
        rc = decode_mov_modrm(&d, opcode, &insn);
        break;
    case 0xc6: case 0xc7:
        rc = decode_mov_imm(&d, opcode, &insn);
        break;
    case 0xa0: case 0xa1: case 0xa2: case 0xa3:
        rc = decode_mov_moffs(&d, opcode, &insn);
        break;
    case 0x0f:
        rc = decode_two_byte(&d, &insn);
        break;
    case 0x63:
        rc = decode_movsxd(&d, &insn);
        break;
    default:
        rc = -EINVAL;
        break;
    }
    if ( rc )
        return rc;
    /*
     * Only the writing bit tests take LOCK; on anything else the CPU
     * raises #UD before any access.  We can still see such bytes if the
     * guest rewrote the instruction after it faulted.
     */
    if ( d.lock && !(insn.kind == MMIO_BIT_TEST && insn.bit_write) )
        return -EILSEQ;

    insn.len = d.pos;
    *out = insn;
    return 0;
}

/* As a CPU writes a load's destination register (SDM vol. 1, 3.4.1.1). */
uint64_t insn_load_result(const struct mmio_insn *insn, uint64_t val, uint64_t old)
{
    unsigned int bits = insn->size * 8;
    uint64_t m;

    if ( bits < 64 )
    {
        val &= (1ULL << bits) - 1;
        if ( insn->ext == MMIO_EXT_SIGN && (val >> (bits - 1)) )
            val |= ~0ULL << bits;
    }
    if ( insn->high_byte )
        return (old & ~0xff00ULL) | ((val & 0xff) << 8);
    /* 32- and 64-bit destinations are written whole (upper half 0). */
    if ( insn->dst_size >= 4 )
        return insn->dst_size == 4 ? (uint32_t)val : val;
    m = (1ULL << (insn->dst_size * 8)) - 1;
    return (old & ~m) | (val & m);
}

/* The opcode bytes that follow the prefixes, for each known instruction. */
static const struct {
    uint8_t len;
    uint8_t bytes[3];
} known_opcodes[] = {
    [INSN_CPUID]   = { 2, { 0x0f, 0xa2 } },
    [INSN_HLT]     = { 1, { 0xf4 } },
    [INSN_RDMSR]   = { 2, { 0x0f, 0x32 } },
    [INSN_WRMSR]   = { 2, { 0x0f, 0x30 } },
    [INSN_VMMCALL] = { 3, { 0x0f, 0x01, 0xd9 } },
    [INSN_VMCALL]  = { 3, { 0x0f, 0x01, 0xc1 } },
    [INSN_RDTSC]   = { 2, { 0x0f, 0x31 } },
    [INSN_RDTSCP]  = { 3, { 0x0f, 0x01, 0xf9 } },
    [INSN_PAUSE]   = { 1, { 0x90 } },  /* with F3 among the prefixes */
    [INSN_XSETBV]  = { 3, { 0x0f, 0x01, 0xd1 } },
    [INSN_INVD]    = { 2, { 0x0f, 0x08 } },
    [INSN_WBINVD]  = { 2, { 0x0f, 0x09 } },
    [INSN_MONITOR] = { 3, { 0x0f, 0x01, 0xc8 } },
    [INSN_MWAIT]   = { 3, { 0x0f, 0x01, 0xc9 } },
};

/*
 * PAUSE is "REP NOP": 90 without F3 is NOP, and with REX.B it is
 * XCHG r8, rax rather than NOP at all.
 */
static bool pause_prefixes_ok(const struct decoder *d)
{
    return d->last_rep == PFX_REP && !(d->rex & REX_B);
}

int insn_length_of(const uint8_t *bytes, unsigned int avail,
                   enum insn_mode mode, enum insn_known expected)
{
    struct decoder d;
    unsigned int i;
    uint8_t b;
    int rc;

    if ( (unsigned int)expected >=
         sizeof(known_opcodes) / sizeof(known_opcodes[0]) )
        return -EINVAL;

    decoder_init(&d, bytes, avail, mode);
    /* LOCK makes all of these #UD: it is not a harmless prefix here. */
    rc = scan_prefixes(&d, false, &b);
    if ( rc )
        return rc;

    for ( i = 0; ; )
    {
        if ( b != known_opcodes[expected].bytes[i] )
            return -EINVAL;
        if ( ++i == known_opcodes[expected].len )
            break;
        rc = fetch_byte(&d, &b);
        if ( rc )
            return rc;
    }

    if ( expected == INSN_PAUSE && !pause_prefixes_ok(&d) )
        return -EINVAL;

    return d.pos;
}

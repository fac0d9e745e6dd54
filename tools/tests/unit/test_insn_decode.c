/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Instruction decoder tests.  Each case is a real encoding with what the
 * decoder must report.  The bytes are always handed over in a buffer
 * malloc()ed to exactly the length given, so any read past `avail` is an
 * ASan report, and every truncation of every valid encoding must say
 * -E2BIG.  Random byte strings check that nothing else can come out.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <xen/errno.h>
#include <asm/hvm/insn_decode.h>

#define M16 INSN_MODE_16
#define M32 INSN_MODE_32
#define M64 INSN_MODE_64

/* Run the decoder on a private copy of exactly avail bytes. */
static int decode_exact(const uint8_t *bytes, unsigned int avail,
                        enum insn_mode mode, struct mmio_insn *out)
{
    uint8_t *copy = malloc(avail);
    int rc;

    if ( avail )
    {
        assert_non_null(copy);
        memcpy(copy, bytes, avail);
    }
    rc = insn_decode_mmio(copy, avail, mode, out);
    free(copy);
    return rc;
}

static int length_exact(const uint8_t *bytes, unsigned int avail,
                        enum insn_mode mode, enum insn_known expected)
{
    uint8_t *copy = malloc(avail);
    int rc;

    if ( avail )
    {
        assert_non_null(copy);
        memcpy(copy, bytes, avail);
    }
    rc = insn_length_of(copy, avail, mode, expected);
    free(copy);
    return rc;
}

/* ---- insn_decode_mmio: valid encodings ---- */

struct mmio_case {
    const char *text;
    enum insn_mode mode;
    unsigned int nbytes;
    uint8_t bytes[16];
    struct mmio_insn want;
};

#define B(...) sizeof((uint8_t[]){ __VA_ARGS__ }), { __VA_ARGS__ }

#define STORE(len_, size_, reg_) \
    { .len = len_, .kind = MMIO_STORE_REG, .size = size_, .reg = reg_, \
      .dst_size = size_ }
#define STORE_HI(len_, reg_) \
    { .len = len_, .kind = MMIO_STORE_REG, .size = 1, .reg = reg_, \
      .high_byte = true, .dst_size = 1 }
#define LOAD(len_, size_, reg_) \
    { .len = len_, .kind = MMIO_LOAD, .size = size_, .reg = reg_, \
      .dst_size = size_ }
#define LOAD_HI(len_, reg_) \
    { .len = len_, .kind = MMIO_LOAD, .size = 1, .reg = reg_, \
      .high_byte = true, .dst_size = 1 }
#define LOAD_EXT(len_, size_, reg_, dst_, ext_) \
    { .len = len_, .kind = MMIO_LOAD, .size = size_, .reg = reg_, \
      .dst_size = dst_, .ext = ext_ }
#define IMM(len_, size_, imm_) \
    { .len = len_, .kind = MMIO_STORE_IMM, .size = size_, .imm = imm_ }
#define BIT_REG(len_, size_, reg_, write_) \
    { .len = len_, .kind = MMIO_BIT_TEST, .size = size_, .reg = reg_, \
      .bit_write = write_ }
#define BIT_IMM(len_, size_, imm_, write_) \
    { .len = len_, .kind = MMIO_BIT_TEST, .size = size_, .imm = imm_, \
      .bit_imm = true, .bit_write = write_ }

static const struct mmio_case mmio_cases[] = {
    /* Plain register moves. */
    { "mov [rax],ecx", M64, B(0x89, 0x08), STORE(2, 4, 1) },
    { "mov eax,[rax+0x330]", M64, B(0x8b, 0x80, 0x30, 0x03, 0x00, 0x00),
      LOAD(6, 4, 0) },
    { "mov [rip+0],rcx", M64, B(0x48, 0x89, 0x0d, 0, 0, 0, 0),
      STORE(7, 8, 1) },
    { "mov [rax+rcx*4],r15", M64, B(0x4c, 0x89, 0x3c, 0x88),
      STORE(4, 8, 15) },
    { "mov eax,[rax+r12]", M64, B(0x42, 0x8b, 0x04, 0x20), LOAD(4, 4, 0) },
    { "mov [rsp],r8d", M64, B(0x44, 0x89, 0x04, 0x24), STORE(4, 4, 8) },
    { "mov eax,[r12]", M64, B(0x41, 0x8b, 0x04, 0x24), LOAD(4, 4, 0) },
    { "mov [r13+0],eax", M64, B(0x41, 0x89, 0x45, 0x00), STORE(4, 4, 0) },
    { "mov [rsp+8],eax", M64, B(0x89, 0x44, 0x24, 0x08), STORE(4, 4, 0) },
    { "mov [rsp+0x100],eax", M64, B(0x89, 0x84, 0x24, 0x00, 0x01, 0, 0),
      STORE(7, 4, 0) },
    { "mov eax,[0xfee00000] (SIB, no base)", M64,
      B(0x8b, 0x04, 0x25, 0x00, 0x00, 0xe0, 0xfe), LOAD(7, 4, 0) },
    { "mov eax,[rcx*4+0]", M64, B(0x8b, 0x04, 0x8d, 0, 0, 0, 0),
      LOAD(7, 4, 0) },
    { "mov eax,[rbp*1+disp32] (REX.B, SIB base=101)", M64,
      B(0x41, 0x8b, 0x04, 0x2d, 0, 0, 0, 0), LOAD(8, 4, 0) },
    { "mov rax,gs:[0]", M64, B(0x65, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0),
      LOAD(9, 8, 0) },
    { "mov [0xfee000b0],ecx (32-bit disp32)", M32,
      B(0x89, 0x0d, 0xb0, 0x00, 0xe0, 0xfe), STORE(6, 4, 1) },

    /* Byte registers. */
    { "mov [rax],ah", M64, B(0x88, 0x20), STORE_HI(2, 0) },
    { "mov [rax],spl", M64, B(0x40, 0x88, 0x20), STORE(3, 1, 4) },
    { "mov bh,[rax]", M32, B(0x8a, 0x38), LOAD_HI(2, 3) },
    { "mov sil,[rax]", M64, B(0x40, 0x8a, 0x30), LOAD(3, 1, 6) },
    { "mov r9b,[r12]", M64, B(0x45, 0x8a, 0x0c, 0x24), LOAD(4, 1, 9) },
    { "mov [rax],r15b", M64, B(0x44, 0x88, 0x38), STORE(3, 1, 15) },
    { "mov [rax],al", M64, B(0x88, 0x00), STORE(2, 1, 0) },

    /* Immediates. */
    { "mov dword [0xfee000b0],0", M32,
      B(0xc7, 0x05, 0xb0, 0x00, 0xe0, 0xfe, 0, 0, 0, 0), IMM(10, 4, 0) },
    { "mov dword [rip+0x10],0x12345678", M64,
      B(0xc7, 0x05, 0x10, 0, 0, 0, 0x78, 0x56, 0x34, 0x12),
      IMM(10, 4, 0x12345678) },
    { "mov word [rax],0x1234", M64, B(0x66, 0xc7, 0x00, 0x34, 0x12),
      IMM(5, 2, 0x1234) },
    { "mov word [rip+0],0x1234", M64,
      B(0x66, 0xc7, 0x05, 0, 0, 0, 0, 0x34, 0x12), IMM(9, 2, 0x1234) },
    { "mov byte [rax],0xff", M64, B(0xc6, 0x00, 0xff), IMM(3, 1, 0xff) },
    { "mov byte [rax+0x300],0x12", M64,
      B(0xc6, 0x80, 0x00, 0x03, 0x00, 0x00, 0x12), IMM(7, 1, 0x12) },
    { "mov qword [rax],-1", M64, B(0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0xff),
      IMM(7, 8, 0xffffffffffffffffULL) },
    { "mov qword [rax],0x80000000 sign-extended", M64,
      B(0x48, 0xc7, 0x00, 0x00, 0x00, 0x00, 0x80),
      IMM(7, 8, 0xffffffff80000000ULL) },
    { "mov dword [rax],0x80000000", M64,
      B(0xc7, 0x00, 0x00, 0x00, 0x00, 0x80), IMM(6, 4, 0x80000000) },
    { "mov word [0x1234],0x5678 (16-bit)", M16,
      B(0xc7, 0x06, 0x34, 0x12, 0x78, 0x56), IMM(6, 2, 0x5678) },

    /* moffs. */
    { "mov eax,[moffs32]", M32, B(0xa1, 0x30, 0x03, 0xe0, 0xfe),
      LOAD(5, 4, 0) },
    { "mov eax,[moffs64]", M64,
      B(0xa1, 0x30, 0x03, 0xe0, 0xfe, 0, 0, 0, 0), LOAD(9, 4, 0) },
    { "mov [moffs64],rax", M64,
      B(0x48, 0xa3, 0x30, 0x03, 0xe0, 0xfe, 0, 0, 0, 0), STORE(10, 8, 0) },
    { "mov [moffs64],al", M64, B(0xa2, 1, 2, 3, 4, 5, 6, 7, 8),
      STORE(9, 1, 0) },
    { "mov al,[moffs32]", M32, B(0xa0, 1, 2, 3, 4), LOAD(5, 1, 0) },
    { "mov eax,[moffs32] (67 in 64-bit)", M64,
      B(0x67, 0xa1, 0x30, 0x03, 0xe0, 0xfe), LOAD(6, 4, 0) },
    { "mov ax,[moffs16] (66 67 in 32-bit)", M32, B(0x66, 0x67, 0xa1, 1, 2),
      LOAD(5, 2, 0) },
    { "mov ax,[moffs16] (16-bit)", M16, B(0xa1, 0x34, 0x12), LOAD(3, 2, 0) },
    { "mov [moffs32],eax (67 in 16-bit)", M16,
      B(0x66, 0x67, 0xa3, 1, 2, 3, 4), STORE(7, 4, 0) },

    /* 16-bit addressing. */
    { "mov [bx],ax", M16, B(0x89, 0x07), STORE(2, 2, 0) },
    { "mov ax,[bp-2]", M16, B(0x8b, 0x46, 0xfe), LOAD(3, 2, 0) },
    { "mov [0x1234],si", M16, B(0x89, 0x36, 0x34, 0x12), STORE(4, 2, 6) },
    { "mov [bx+0x1000],eax", M16, B(0x66, 0x89, 0x87, 0x00, 0x10),
      STORE(5, 4, 0) },
    { "mov [si],ax (no SIB in 16-bit)", M16, B(0x89, 0x04), STORE(2, 2, 0) },
    { "mov [esp],ax (67 in 16-bit)", M16, B(0x67, 0x89, 0x04, 0x24),
      STORE(4, 2, 0) },
    { "mov eax,[bp+2] (67 in 32-bit)", M32, B(0x67, 0x8b, 0x46, 0x02),
      LOAD(4, 4, 0) },
    { "mov eax,[0x1234] (67 in 32-bit)", M32, B(0x67, 0x8b, 0x06, 0x34, 0x12),
      LOAD(5, 4, 0) },
    { "mov eax,[eax] (67 in 64-bit)", M64, B(0x67, 0x8b, 0x00),
      LOAD(3, 4, 0) },
    { "mov eax,[eip+0] (67 in 64-bit)", M64, B(0x67, 0x8b, 0x05, 0, 0, 0, 0),
      LOAD(7, 4, 0) },

    /* Widening loads. */
    { "movzx eax,byte [rax]", M64, B(0x0f, 0xb6, 0x00),
      LOAD_EXT(3, 1, 0, 4, MMIO_EXT_ZERO) },
    { "movzx rcx,word [rax]", M64, B(0x48, 0x0f, 0xb7, 0x08),
      LOAD_EXT(4, 2, 1, 8, MMIO_EXT_ZERO) },
    { "movsx edx,byte [rax]", M64, B(0x0f, 0xbe, 0x10),
      LOAD_EXT(3, 1, 2, 4, MMIO_EXT_SIGN) },
    { "movsx bx,word [rax]", M64, B(0x66, 0x0f, 0xbf, 0x18),
      LOAD_EXT(4, 2, 3, 2, MMIO_EXT_SIGN) },
    { "movzx ax,byte [bx] (16-bit)", M16, B(0x0f, 0xb6, 0x07),
      LOAD_EXT(3, 1, 0, 2, MMIO_EXT_ZERO) },
    { "movsxd r8,dword [rax]", M64, B(0x4c, 0x63, 0x00),
      LOAD_EXT(3, 4, 8, 8, MMIO_EXT_SIGN) },

    /* Bit tests. */
    { "bt [rax],ecx", M64, B(0x0f, 0xa3, 0x08), BIT_REG(3, 4, 1, false) },
    { "bts [rax],rcx", M64, B(0x48, 0x0f, 0xab, 0x08), BIT_REG(4, 8, 1, true) },
    { "btr [rax+0x10],r9w", M64, B(0x66, 0x44, 0x0f, 0xb3, 0x48, 0x10),
      BIT_REG(6, 2, 9, true) },
    { "lock btc [rax],edx", M64, B(0xf0, 0x0f, 0xbb, 0x10), BIT_REG(4, 4, 2, true) },
    { "bt dword [rax],5", M64, B(0x0f, 0xba, 0x20, 0x05), BIT_IMM(4, 4, 5, false) },
    { "bts qword [0xfed00000],63", M64,
      B(0x48, 0x0f, 0xba, 0x2c, 0x25, 0x00, 0x00, 0xd0, 0xfe, 0x3f),
      BIT_IMM(10, 8, 63, true) },
    { "lock btr dword [rax],0xff", M64, B(0xf0, 0x0f, 0xba, 0x30, 0xff),
      BIT_IMM(5, 4, 0xff, true) },
    { "btc word [bx],1 (16-bit)", M16, B(0x0f, 0xba, 0x3f, 0x01),
      BIT_IMM(4, 2, 1, true) },

    /* Prefixes. */
    { "cs ds mov [rax],cx", M64, B(0x2e, 0x3e, 0x66, 0x89, 0x08),
      STORE(5, 2, 1) },
    { "REX.W beats 66", M64, B(0x66, 0x48, 0x89, 0x08), STORE(4, 8, 1) },
    { "REX before a prefix is ignored", M64, B(0x4c, 0x66, 0x89, 0x08),
      STORE(4, 2, 1) },
    { "only the last REX counts", M64, B(0x4c, 0x41, 0x89, 0x08),
      STORE(4, 4, 1) },
    { "REX ignored, so ah again", M64, B(0x40, 0x2e, 0x88, 0x20),
      STORE_HI(4, 0) },
    { "rep mov", M64, B(0xf3, 0x89, 0x08), STORE(3, 4, 1) },
    { "repne mov", M64, B(0xf2, 0x89, 0x08), STORE(3, 4, 1) },
    { "es fs gs ss mov", M32, B(0x26, 0x64, 0x65, 0x36, 0x8b, 0x00),
      LOAD(6, 4, 0) },
    { "13 prefixes: exactly 15 bytes", M64,
      B(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
        0x66, 0x66, 0x66, 0x89, 0x08), STORE(15, 2, 1) },
};

static void check_insn(const struct mmio_case *c, const struct mmio_insn *got)
{
    const struct mmio_insn *w = &c->want;

    if ( got->len != w->len || got->kind != w->kind || got->size != w->size ||
         got->reg != w->reg || got->high_byte != w->high_byte ||
         got->ext != w->ext ||
         (w->kind == MMIO_LOAD && got->dst_size != w->dst_size) ||
         (w->kind == MMIO_STORE_IMM && got->imm != w->imm) ||
         (w->kind == MMIO_BIT_TEST &&
          (got->bit_imm != w->bit_imm || got->bit_write != w->bit_write ||
           (w->bit_imm && got->imm != w->imm))) )
        fail_msg("%s: got len %u kind %d size %u reg %u hi %d dst %u ext %d "
                 "imm %#llx", c->text, got->len, got->kind, got->size,
                 got->reg, got->high_byte, got->dst_size, got->ext,
                 (unsigned long long)got->imm);
}

static void test_mmio_table(void **state)
{
    unsigned int i;

    for ( i = 0; i < sizeof(mmio_cases) / sizeof(mmio_cases[0]); i++ )
    {
        const struct mmio_case *c = &mmio_cases[i];
        struct mmio_insn got;
        int rc;

        assert_int_equal(c->nbytes, c->want.len);
        memset(&got, 0xa5, sizeof(got));
        rc = decode_exact(c->bytes, c->nbytes, c->mode, &got);
        if ( rc )
            fail_msg("%s: rc %d", c->text, rc);
        check_insn(c, &got);
    }
}

/* Bytes after the instruction must not change anything. */
static void test_mmio_trailing_bytes(void **state)
{
    unsigned int i;

    for ( i = 0; i < sizeof(mmio_cases) / sizeof(mmio_cases[0]); i++ )
    {
        const struct mmio_case *c = &mmio_cases[i];
        uint8_t buf[32];
        struct mmio_insn got;

        memset(buf, 0x89, sizeof(buf));
        memcpy(buf, c->bytes, c->nbytes);
        assert_int_equal(decode_exact(buf, sizeof(buf), c->mode, &got), 0);
        check_insn(c, &got);
    }
}

static void test_mmio_truncations(void **state)
{
    unsigned int i, avail;

    for ( i = 0; i < sizeof(mmio_cases) / sizeof(mmio_cases[0]); i++ )
    {
        const struct mmio_case *c = &mmio_cases[i];

        for ( avail = 0; avail < c->nbytes; avail++ )
        {
            struct mmio_insn got;
            int rc = decode_exact(c->bytes, avail, c->mode, &got);

            if ( rc != -E2BIG )
                fail_msg("%s cut to %u bytes: rc %d", c->text, avail, rc);
        }
    }
}

/* ---- insn_decode_mmio: rejected encodings ---- */

struct bad_case {
    const char *text;
    enum insn_mode mode;
    unsigned int nbytes;
    uint8_t bytes[20];
    int rc;
};

static const struct bad_case bad_cases[] = {
    { "mov eax,ecx (mod=11)", M64, B(0x89, 0xc8), -EINVAL },
    { "mov eax,eax (mod=11)", M64, B(0x8b, 0xc0), -EINVAL },
    { "mov al,cl (mod=11)", M32, B(0x88, 0xc8), -EINVAL },
    { "mov eax,imm (C7 mod=11)", M64, B(0xc7, 0xc0, 1, 2, 3, 4), -EINVAL },
    { "movzx eax,al (mod=11)", M64, B(0x0f, 0xb6, 0xc0), -EINVAL },
    { "movsxd rax,eax (mod=11)", M64, B(0x48, 0x63, 0xc0), -EINVAL },
    { "C6 /1", M64, B(0xc6, 0x08, 0x00), -EINVAL },
    { "C7 /7", M64, B(0xc7, 0x38, 1, 2, 3, 4), -EINVAL },
    { "63 without REX.W", M64, B(0x63, 0x00), -EINVAL },
    { "arpl in 32-bit", M32, B(0x63, 0x00), -EINVAL },
    { "dec eax in 32-bit, not REX", M32, B(0x48, 0x89, 0x08), -EINVAL },
    { "nop", M64, B(0x90), -EINVAL },
    { "ud2", M64, B(0x0f, 0x0b), -EINVAL },
    { "popcnt", M64, B(0xf3, 0x0f, 0xb8, 0x00), -EINVAL },
    { "add [rax],ecx", M64, B(0x01, 0x08), -EINVAL },
    { "movs", M64, B(0xa5), -EINVAL },
    { "bt eax,ecx (mod=11)", M64, B(0x0f, 0xa3, 0xc8), -EINVAL },
    { "0F BA /3", M64, B(0x0f, 0xba, 0x18, 0x01), -EINVAL },
    { "lock mov: #UD", M64, B(0xf0, 0x89, 0x08), -EILSEQ },
    { "lock bt (no write): #UD", M64, B(0xf0, 0x0f, 0xa3, 0x08), -EILSEQ },
    { "lock movzx: #UD", M64, B(0xf0, 0x0f, 0xb6, 0x00), -EILSEQ },
    { "nothing", M64, 0, { 0 }, -E2BIG },
    { "prefix only", M64, B(0x66), -E2BIG },
    { "REX only", M64, B(0x48), -E2BIG },
    { "0F only", M64, B(0x0f), -E2BIG },
    { "16 prefixes", M64,
      B(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
        0x66, 0x66, 0x66, 0x66, 0x66, 0x89, 0x08), -E2BIG },
    { "15 prefixes + mov", M64,
      B(0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e,
        0x2e, 0x2e, 0x2e, 0x2e, 0x89, 0x08), -E2BIG },
    { "14 prefixes + mov: 16 bytes", M64,
      B(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
        0x66, 0x66, 0x66, 0x89, 0x08), -E2BIG },
    { "12 prefixes + imm32 store: 16 bytes", M64,
      B(0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e,
        0x2e, 0xc7, 0x00, 1, 2, 3, 4), -E2BIG },
};

static void test_mmio_rejects(void **state)
{
    unsigned int i;

    for ( i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++ )
    {
        const struct bad_case *c = &bad_cases[i];
        struct mmio_insn got, untouched;
        int rc;

        memset(&got, 0x5a, sizeof(got));
        untouched = got;
        rc = decode_exact(c->bytes, c->nbytes, c->mode, &got);
        if ( rc != c->rc )
            fail_msg("%s: rc %d, want %d", c->text, rc, c->rc);
        /* A failed decode leaves the output alone. */
        assert_memory_equal(&got, &untouched, sizeof(got));
    }
}

/* ---- insn_decode_mmio: random bytes ---- */

static const uint8_t interesting[] = {
    0x66, 0x67, 0xf2, 0xf3, 0xf0, 0x2e, 0x3e, 0x26, 0x36, 0x64, 0x65,
    0x40, 0x41, 0x44, 0x48, 0x4c, 0x4f, 0x88, 0x89, 0x8a, 0x8b, 0xc6, 0xc7,
    0xab, 0xb3, 0xbb, 0xba,
    0xa0, 0xa1, 0xa2, 0xa3, 0x0f, 0xb6, 0xb7, 0xbe, 0xbf, 0x63, 0x04, 0x05,
    0x24, 0x25, 0x44, 0x84, 0x06, 0x46, 0x86, 0x00,
};

static uint8_t random_byte(void)
{
    if ( rand() % 2 )
        return interesting[rand() % sizeof(interesting)];
    return rand() & 0xff;
}

static void check_random_success(const uint8_t *buf, unsigned int avail,
                                 enum insn_mode mode,
                                 const struct mmio_insn *got)
{
    struct mmio_insn again;

    assert_true(got->len >= 1);
    assert_true(got->len <= avail);
    assert_true(got->len <= INSN_MAX_LEN);
    assert_true(got->size == 1 || got->size == 2 || got->size == 4 ||
                got->size == 8);
    assert_true(got->reg < 16);
    if ( got->high_byte )
        assert_true(got->reg < 4 && got->size == 1);
    if ( got->kind == MMIO_LOAD )
        assert_true(got->dst_size >= got->size);

    /* The length is exactly what it needs: one byte fewer is too few. */
    assert_int_equal(decode_exact(buf, got->len, mode, &again), 0);
    assert_int_equal(again.len, got->len);
    assert_int_equal(again.kind, got->kind);
    assert_int_equal(again.size, got->size);
    assert_int_equal(again.reg, got->reg);
    assert_int_equal(again.high_byte, got->high_byte);
    assert_int_equal(again.dst_size, got->dst_size);
    assert_int_equal(again.ext, got->ext);
    assert_int_equal(again.imm, got->imm);
    assert_int_equal(again.bit_imm, got->bit_imm);
    assert_int_equal(again.bit_write, got->bit_write);
    assert_int_equal(decode_exact(buf, got->len - 1, mode, &again), -E2BIG);
}

static void test_mmio_fuzz(void **state)
{
    unsigned int iter, i, successes = 0;

    srand(12345);
    for ( iter = 0; iter < 100000; iter++ )
    {
        unsigned int avail = rand() % 21;
        enum insn_mode mode = rand() % 3;
        uint8_t *buf = malloc(avail);
        struct mmio_insn got;
        int rc;

        for ( i = 0; i < avail; i++ )
            buf[i] = random_byte();
        rc = insn_decode_mmio(buf, avail, mode, &got);
        assert_true(rc == 0 || rc == -EINVAL || rc == -EILSEQ || rc == -E2BIG);
        if ( rc == 0 )
        {
            successes++;
            check_random_success(buf, avail, mode, &got);
        }
        free(buf);
    }
    /* The byte mix must actually exercise the success paths. */
    assert_true(successes > 1000);
}

/* ---- insn_load_result ---- */

static uint64_t load_result_of(const uint8_t *bytes, unsigned int n, enum insn_mode mode,
                               uint64_t val, uint64_t old)
{
    struct mmio_insn insn;

    assert_int_equal(decode_exact(bytes, n, mode, &insn), 0);
    assert_int_equal(insn.kind, MMIO_LOAD);
    return insn_load_result(&insn, val, old);
}

#define RESULT(mode, val, old, ...) \
    load_result_of((const uint8_t[]){ __VA_ARGS__ }, \
                   sizeof((uint8_t[]){ __VA_ARGS__ }), mode, val, old)

static void test_load_result(void **state)
{
    const uint64_t old = 0x1122334455667788ULL;

    /* mov eax,[rax]: zero-extended to 64 bits; mov rax,[rax]: all of it. */
    assert_int_equal(RESULT(M64, ~0ULL, old, 0x8b, 0x00), 0xffffffffULL);
    assert_int_equal(RESULT(M64, ~0ULL, old, 0x48, 0x8b, 0x00), ~0ULL);
    /* mov ax,[rax] and mov al,[rax] merge. */
    assert_int_equal(RESULT(M64, 0xabcd, old, 0x66, 0x8b, 0x00),
                     0x112233445566abcdULL);
    assert_int_equal(RESULT(M64, 0x1ff, old, 0x8a, 0x00), 0x11223344556677ffULL);
    /* mov ah,[rax]: bits 15:8 only. */
    assert_int_equal(RESULT(M64, 0xab, old, 0x8a, 0x20), 0x112233445566ab88ULL);
    /* movzx eax,byte / movsx eax,byte / movsx ax,byte / movsxd rax,dword. */
    assert_int_equal(RESULT(M64, 0xff, old, 0x0f, 0xb6, 0x00), 0xffULL);
    assert_int_equal(RESULT(M64, 0xff, old, 0x0f, 0xbe, 0x00), 0xffffffffULL);
    assert_int_equal(RESULT(M64, 0x7f, old, 0x0f, 0xbe, 0x00), 0x7fULL);
    assert_int_equal(RESULT(M64, 0x80, old, 0x66, 0x0f, 0xbe, 0x00),
                     0x112233445566ff80ULL);
    assert_int_equal(RESULT(M64, 0x80000000, old, 0x48, 0x63, 0x00),
                     0xffffffff80000000ULL);
    /* movsx rax,word with bits above the access size ignored. */
    assert_int_equal(RESULT(M64, 0xffff0001ULL, old, 0x48, 0x0f, 0xbf, 0x00), 1);
}

/* ---- insn_length_of ---- */

struct known_case {
    enum insn_known which;
    unsigned int nbytes;
    uint8_t bytes[4];
};

static const struct known_case known_cases[] = {
    { INSN_CPUID,   B(0x0f, 0xa2) },
    { INSN_HLT,     B(0xf4) },
    { INSN_RDMSR,   B(0x0f, 0x32) },
    { INSN_WRMSR,   B(0x0f, 0x30) },
    { INSN_VMMCALL, B(0x0f, 0x01, 0xd9) },
    { INSN_VMCALL,  B(0x0f, 0x01, 0xc1) },
    { INSN_RDTSC,   B(0x0f, 0x31) },
    { INSN_RDTSCP,  B(0x0f, 0x01, 0xf9) },
    { INSN_PAUSE,   B(0xf3, 0x90) },
    { INSN_XSETBV,  B(0x0f, 0x01, 0xd1) },
    { INSN_INVD,    B(0x0f, 0x08) },
    { INSN_WBINVD,  B(0x0f, 0x09) },
    { INSN_MONITOR, B(0x0f, 0x01, 0xc8) },
    { INSN_MWAIT,   B(0x0f, 0x01, 0xc9) },
};
#define NR_KNOWN (sizeof(known_cases) / sizeof(known_cases[0]))

/* Every instruction is itself and nothing else, in every mode. */
static void test_length_plain(void **state)
{
    unsigned int i, j;
    enum insn_mode mode;

    assert_int_equal(NR_KNOWN, INSN_MWAIT + 1);
    for ( mode = M16; mode <= M64; mode++ )
        for ( i = 0; i < NR_KNOWN; i++ )
            for ( j = 0; j < NR_KNOWN; j++ )
            {
                const struct known_case *c = &known_cases[i];
                int rc = length_exact(c->bytes, c->nbytes, mode,
                                      known_cases[j].which);

                if ( rc != (i == j ? (int)c->nbytes : -EINVAL) )
                    fail_msg("insn %u as %u in mode %d: rc %d", i, j, mode,
                             rc);
            }
}

static void test_length_prefixes(void **state)
{
    static const uint8_t pfx[] = { 0x66, 0x67, 0xf2, 0xf3, 0x2e, 0x36, 0x3e,
                                   0x26, 0x64, 0x65 };
    unsigned int i;
    enum insn_mode mode;

    for ( mode = M16; mode <= M64; mode++ )
        for ( i = 0; i < NR_KNOWN; i++ )
        {
            const struct known_case *c = &known_cases[i];
            uint8_t buf[16];

            memcpy(buf, pfx, sizeof(pfx));
            memcpy(buf + sizeof(pfx), c->bytes, c->nbytes);
            assert_int_equal(length_exact(buf, sizeof(pfx) + c->nbytes, mode,
                                          c->which),
                             sizeof(pfx) + c->nbytes);
        }
}

/* In 64-bit mode a REX directly before the opcode is part of it. */
static void test_length_rex(void **state)
{
    unsigned int i;

    for ( i = 0; i < NR_KNOWN; i++ )
    {
        const struct known_case *c = &known_cases[i];
        /* PAUSE's F3 is a prefix: REX goes after it. */
        unsigned int at = c->which == INSN_PAUSE ? 1 : 0;
        uint8_t buf[8];

        memcpy(buf, c->bytes, at);
        buf[at] = 0x48;
        memcpy(buf + at + 1, c->bytes + at, c->nbytes - at);
        assert_int_equal(length_exact(buf, c->nbytes + 1, M64, c->which),
                         c->nbytes + 1);
        /* Outside 64-bit mode 48 is DEC eAX. */
        assert_int_equal(length_exact(buf, c->nbytes + 1, M32, c->which),
                         -EINVAL);
        assert_int_equal(length_exact(buf, c->nbytes + 1, M16, c->which),
                         -EINVAL);
    }
}

static void test_length_specials(void **state)
{
    static const uint8_t rex_cpuid[] = { 0x40, 0x0f, 0xa2 };
    static const uint8_t rex_then_pfx[] = { 0x4f, 0x66, 0x0f, 0xa2 };
    static const uint8_t two_rex[] = { 0x41, 0x48, 0x0f, 0xa2 };
    static const uint8_t lock_cpuid[] = { 0xf0, 0x0f, 0xa2 };
    static const uint8_t nop[] = { 0x90 };
    static const uint8_t rep_rex_b_nop[] = { 0xf3, 0x41, 0x90 };
    static const uint8_t rep_then_repne[] = { 0xf3, 0xf2, 0x90 };
    static const uint8_t repne_then_rep[] = { 0xf2, 0xf3, 0x90 };
    static const uint8_t rep_rex_w_nop[] = { 0xf3, 0x48, 0x90 };
    static const uint8_t cpuid_plus[] = { 0x0f, 0xa2, 0x0f, 0xa2 };
    uint8_t buf[20];

    assert_int_equal(length_exact(rex_cpuid, 3, M64, INSN_CPUID), 3);
    assert_int_equal(length_exact(rex_cpuid, 3, M32, INSN_CPUID), -EINVAL);
    assert_int_equal(length_exact(rex_then_pfx, 4, M64, INSN_CPUID), 4);
    assert_int_equal(length_exact(two_rex, 4, M64, INSN_CPUID), 4);
    assert_int_equal(length_exact(lock_cpuid, 3, M64, INSN_CPUID), -EINVAL);
    assert_int_equal(length_exact(nop, 1, M64, INSN_PAUSE), -EINVAL);
    assert_int_equal(length_exact(rep_rex_b_nop, 3, M64, INSN_PAUSE),
                     -EINVAL);
    assert_int_equal(length_exact(rep_then_repne, 3, M64, INSN_PAUSE),
                     -EINVAL);
    assert_int_equal(length_exact(repne_then_rep, 3, M64, INSN_PAUSE), 3);
    assert_int_equal(length_exact(rep_rex_w_nop, 3, M64, INSN_PAUSE), 3);
    /* What follows the instruction is not looked at. */
    assert_int_equal(length_exact(cpuid_plus, 4, M64, INSN_CPUID), 2);
    assert_int_equal(length_exact(cpuid_plus, 2, M64, 99), -EINVAL);

    /* 14 prefixes and HLT are 15 bytes; one more is too long. */
    memset(buf, 0x3e, sizeof(buf));
    buf[14] = 0xf4;
    assert_int_equal(length_exact(buf, 15, M64, INSN_HLT), 15);
    buf[14] = 0x3e;
    buf[15] = 0xf4;
    assert_int_equal(length_exact(buf, 16, M64, INSN_HLT), -E2BIG);
    /* 13 prefixes leave room for a two-byte opcode only. */
    buf[13] = 0x0f;
    buf[14] = 0xa2;
    assert_int_equal(length_exact(buf, 15, M64, INSN_CPUID), 15);
    buf[13] = 0x3e;
    buf[14] = 0x0f;
    buf[15] = 0xa2;
    assert_int_equal(length_exact(buf, 16, M64, INSN_CPUID), -E2BIG);
}

static void test_length_truncated(void **state)
{
    unsigned int i, avail;
    enum insn_mode mode;

    for ( mode = M16; mode <= M64; mode++ )
        for ( i = 0; i < NR_KNOWN; i++ )
        {
            const struct known_case *c = &known_cases[i];
            uint8_t buf[8] = { 0x66, 0x2e };

            memcpy(buf + 2, c->bytes, c->nbytes);
            for ( avail = 0; avail < c->nbytes + 2; avail++ )
                assert_int_equal(length_exact(buf, avail, mode, c->which),
                                 -E2BIG);
        }
}

static void test_length_fuzz(void **state)
{
    unsigned int iter, i;

    srand(777);
    for ( iter = 0; iter < 50000; iter++ )
    {
        unsigned int avail = rand() % 18;
        enum insn_mode mode = rand() % 3;
        enum insn_known which = rand() % NR_KNOWN;
        uint8_t *buf = malloc(avail);
        int rc;

        for ( i = 0; i < avail; i++ )
            buf[i] = rand() % 2 ? random_byte() : known_cases[which].bytes[
                         rand() % known_cases[which].nbytes];
        rc = insn_length_of(buf, avail, mode, which);
        assert_true(rc == -EINVAL || rc == -E2BIG ||
                    (rc > 0 && rc <= (int)avail && rc <= INSN_MAX_LEN));
        free(buf);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mmio_table),
        cmocka_unit_test(test_mmio_trailing_bytes),
        cmocka_unit_test(test_mmio_truncations),
        cmocka_unit_test(test_mmio_rejects),
        cmocka_unit_test(test_mmio_fuzz),
        cmocka_unit_test(test_load_result),
        cmocka_unit_test(test_length_plain),
        cmocka_unit_test(test_length_prefixes),
        cmocka_unit_test(test_length_rex),
        cmocka_unit_test(test_length_specials),
        cmocka_unit_test(test_length_truncated),
        cmocka_unit_test(test_length_fuzz),
    };

    return cmocka_run_group_tests_name("insn_decode", tests, NULL, NULL);
}

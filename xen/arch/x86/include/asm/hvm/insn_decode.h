/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small x86 instruction decoder for HVM exits that come without decode
 * help.  QEMU's SVM has neither decode assists nor NRIPS, so on a nested
 * page fault against an emulated page (the local APIC, say) the hypervisor
 * must fetch the guest's instruction bytes and work out itself what the
 * access was, and on an intercept such as CPUID it must find out how long
 * the instruction was to move RIP past it.  Only the plain MOV family
 * (what guests use on device registers) and the bit tests BT/BTS/BTR/BTC
 * (what they use on bitmaps, which may sit in unclaimed space) are decoded.
 */
#ifndef ASM_HVM_INSN_DECODE_H
#define ASM_HVM_INSN_DECODE_H

#include <xen/types.h>

/* Code size, from CS.D / CS.L and EFER.LMA. */
enum insn_mode { INSN_MODE_16, INSN_MODE_32, INSN_MODE_64 };

/* The architectural limit: longer instructions raise #GP. */
#define INSN_MAX_LEN 15

enum mmio_op_kind {
    MMIO_STORE_REG,   /* mov [mem], reg  : memory <- register (size bytes) */
    MMIO_STORE_IMM,   /* mov [mem], imm */
    MMIO_LOAD,        /* mov reg, [mem]  (also movzx/movsx/movsxd) */
    MMIO_BIT_TEST,    /* bt/bts/btr/btc [mem], reg or imm8: CF = the bit */
};

enum mmio_ext { MMIO_EXT_NONE, MMIO_EXT_ZERO, MMIO_EXT_SIGN };

struct mmio_insn {
    unsigned int len;        /* total bytes including prefixes */
    enum mmio_op_kind kind;
    unsigned int size;       /* memory access size: 1, 2, 4 or 8 */
    /*
     * GPR number 0..15 in x86 encoding order: rax rcx rdx rbx rsp rbp rsi
     * rdi r8..r15.  For AH/CH/DH/BH (a byte operand encoded as 4..7 without
     * REX) reg is the register that holds it (0..3: rax..rbx) and
     * high_byte is set: the byte is bits 15:8 of that register.
     */
    unsigned int reg;
    bool high_byte;
    /*
     * MMIO_LOAD: register width written (1, 2, 4, 8).  A 4-byte write in
     * 64-bit mode zeroes bits 63:32, as hardware does; 1 and 2 leave the
     * rest of the register alone.
     */
    unsigned int dst_size;
    enum mmio_ext ext;       /* MMIO_LOAD: how size widens to dst_size */
    uint64_t imm;            /* MMIO_STORE_IMM: immediate, sign-extended to size */
    /*
     * MMIO_BIT_TEST: the bit offset is the immediate (bit_imm, in imm) or
     * register reg; bit_write for BTS/BTR/BTC, which write the word back.
     * The address the CPU faulted on already includes a register offset's
     * byte part, so only the bit within the word is left to find.
     */
    bool bit_imm;
    bool bit_write;
};

/*
 * Decode the instruction at bytes[0..avail).  Returns 0 and fills *out,
 * -EINVAL if it is not an instruction we emulate (or not a memory access),
 * -EILSEQ if the CPU would raise #UD on these bytes (LOCK on an
 * instruction that cannot take it), or -E2BIG if it runs past avail bytes
 * or past INSN_MAX_LEN.  Never reads beyond avail; *out is only written on
 * success.
 */
int insn_decode_mmio(const uint8_t *bytes, unsigned int avail,
                     enum insn_mode mode, struct mmio_insn *out);

/*
 * The register value a decoded MMIO_LOAD leaves: `val` (insn->size bytes
 * read) widened as the instruction says (movzx/movsx/movsxd), then put
 * into `old`, the register's current value: AH..BH into bits 15:8, 1- and
 * 2-byte destinations merged, 4-byte ones zero-extended to 64 bits.
 */
uint64_t insn_load_result(const struct mmio_insn *insn, uint64_t val, uint64_t old);

enum insn_known {
    INSN_CPUID,     /* 0F A2 */
    INSN_HLT,       /* F4 */
    INSN_RDMSR,     /* 0F 32 */
    INSN_WRMSR,     /* 0F 30 */
    INSN_VMMCALL,   /* 0F 01 D9 */
    INSN_VMCALL,    /* 0F 01 C1 */
    INSN_RDTSC,     /* 0F 31 */
    INSN_RDTSCP,    /* 0F 01 F9 */
    INSN_PAUSE,     /* F3 90 */
    INSN_XSETBV,    /* 0F 01 D1 */
    INSN_INVD,      /* 0F 08 */
    INSN_WBINVD,    /* 0F 09 */
    INSN_MONITOR,   /* 0F 01 C8 */
    INSN_MWAIT,     /* 0F 01 C9 */
};

/*
 * Length of the instruction at bytes if it is `expected`, allowing legacy
 * prefixes (66 67 F2 F3 2E 36 3E 26 64 65) and, in 64-bit mode, REX
 * prefixes (a REX not directly before the opcode is ignored, as hardware
 * does).  -EINVAL if the bytes are some other instruction, -E2BIG if they
 * run past avail or past INSN_MAX_LEN.
 */
int insn_length_of(const uint8_t *bytes, unsigned int avail,
                   enum insn_mode mode, enum insn_known expected);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HVM instruction decoder (xen/arch/x86/hvm/insn_decode.c) on bytes a
 * guest chose.  Input: a mode byte (16/32/64-bit code), an expected-
 * instruction byte for insn_length_of(), then the instruction bytes, handed
 * over in a buffer of exactly their length.  Promises checked
 * (asm/hvm/insn_decode.h):
 *  - a decoded length is at least one byte, within what was available and
 *    within the architectural 15; every field is in its range (sizes 1, 2,
 *    4, 8; registers 0-15, high bytes only of rax..rbx; an immediate that
 *    fits its size);
 *  - decoding depends only on the instruction's own bytes: the first len
 *    bytes alone decode the same, and one byte fewer is -E2BIG;
 *  - *out is written only on success.
 */
#include "fuzz.h"
#include "harness.h"
#include <xen/errno.h>
#include <asm/hvm/insn_decode.h>

#define NR_KNOWN (INSN_MWAIT + 1)

static bool valid_size(unsigned int n)
{
    return n == 1 || n == 2 || n == 4 || n == 8;
}

static int decode_exact(const uint8_t *bytes, unsigned int n,
                        enum insn_mode mode, struct mmio_insn *out)
{
    uint8_t *copy = fuzz_memdup(bytes, n);
    int rc = insn_decode_mmio(copy, n, mode, out);

    free(copy);
    return rc;
}

static void check_mmio(const struct mmio_insn *in, unsigned int avail,
                       enum insn_mode mode)
{
    fuzz_check(in->len >= 1 && in->len <= avail && in->len <= INSN_MAX_LEN);
    fuzz_check(in->kind <= MMIO_BIT_TEST && valid_size(in->size));
    fuzz_check(in->size != 8 || mode == INSN_MODE_64);
    fuzz_check(in->reg < (mode == INSN_MODE_64 ? 16u : 8u));
    fuzz_check(!in->high_byte || (in->size == 1 && in->reg < 4));
    if ( in->kind == MMIO_LOAD )
    {
        fuzz_check(valid_size(in->dst_size) && in->dst_size >= in->size);
        fuzz_check(in->ext <= MMIO_EXT_SIGN);
        /* movzx ax, word [m] widens nothing, but a plain MOV never widens. */
        fuzz_check(in->ext != MMIO_EXT_NONE || in->dst_size == in->size);
    }
    if ( in->kind == MMIO_STORE_IMM && in->size < 8 )
        fuzz_check(!(in->imm >> (8 * in->size)));
    /* Bit tests work on words; an immediate offset is one byte. */
    if ( in->kind == MMIO_BIT_TEST )
        fuzz_check(in->size > 1 && !in->high_byte && (!in->bit_imm || in->imm < 256));
    else
        fuzz_check(!in->bit_imm && !in->bit_write);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mmio_insn insn, again, untouched;
    enum insn_mode mode;
    enum insn_known known;
    unsigned int avail;
    uint8_t *bytes;
    int rc, len;

    if ( size < 2 )
        return 0;
    mode = (enum insn_mode)(data[0] % 3);
    known = (enum insn_known)(data[1] % (NR_KNOWN + 1));   /* one past: refused */
    avail = size - 2 > 64 ? 64 : (unsigned int)(size - 2);
    bytes = fuzz_memdup(data + 2, avail);

    memset(&insn, 0xa5, sizeof(insn));
    untouched = insn;
    rc = insn_decode_mmio(bytes, avail, mode, &insn);
    fuzz_check(rc == 0 || rc == -EINVAL || rc == -EILSEQ || rc == -E2BIG);
    if ( rc )
        fuzz_check(!memcmp(&insn, &untouched, sizeof(insn)));
    else
    {
        check_mmio(&insn, avail, mode);
        fuzz_check(decode_exact(bytes, insn.len, mode, &again) == 0);
        fuzz_check(!memcmp(&again, &insn, sizeof(insn)));
        fuzz_check(decode_exact(bytes, insn.len - 1, mode, &again) == -E2BIG);
    }

    len = insn_length_of(bytes, avail, mode, known);
    fuzz_check(len > 0 || len == -EINVAL || len == -E2BIG);
    fuzz_check(known < NR_KNOWN || len == -EINVAL);
    if ( len > 0 )
    {
        uint8_t *copy = fuzz_memdup(bytes, (size_t)len);

        fuzz_check((unsigned int)len <= avail && len <= INSN_MAX_LEN);
        fuzz_check(insn_length_of(copy, (unsigned int)len, mode, known) == len);
        fuzz_check(insn_length_of(copy, (unsigned int)len - 1, mode, known) ==
                   -E2BIG);
        free(copy);
    }
    free(bytes);
    return 0;
}

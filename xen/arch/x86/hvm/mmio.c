/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest-physical accesses the p2m has no entry for.  The local APIC page
 * (in xAPIC mode) is the one device emulated here.  Everything else that
 * is not the domain's memory -- the HPET or IO-APIC windows, a ballooned
 * out page, space above RAM -- is what Xen 4.17 gives an HVM/PVH guest
 * with no ioreq server: hvm_hap_nested_page_fault() sends such accesses
 * (p2m_mmio_dm) to the emulator, which finds no device model and uses its
 * null handler, so loads read all-ones and stores are dropped, and what
 * its emulator cannot do becomes #GP(0) (#UD for bytes it does not
 * recognise as an instruction).  We follow the same rules with a small
 * decoder:
 *  - MOV forms and the bit tests BT/BTS/BTR/BTC are emulated (a bit test
 *    of all-ones sets CF; its write back is dropped);
 *  - any other instruction gets #GP(0), where Xen's full emulator would
 *    carry out most of them (ADD, XCHG, MOVS/STOS...): a known gap, but a
 *    fault the guest can handle rather than a crashed domain;
 *  - bytes the CPU would refuse (LOCK on a MOV) get #UD;
 *  - an instruction fetch from such space gets #GP(0), as on Xen, whose
 *    emulator cannot fetch instruction bytes from MMIO
 *    (X86EMUL_UNHANDLEABLE in linear_read(), then #GP from the fault
 *    handler);
 *  - a write to a read-only mapping crashes the domain, as Xen's does for
 *    a read-only grant mapping (nothing handles the fault there either);
 *  - so does a fault in the guest's page-table walk or in event delivery
 *    (its page tables, IDT or stack outside its memory): the instruction
 *    at RIP did not make that access, so decoding it would emulate the
 *    wrong thing.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/mmio.h>
#include <asm/hvm/vlapic.h>
#include <asm/processor.h>

#define MAX_LOGGED 8

static void log_refused(struct vcpu *v, const struct hvm_npf *f, const char *what)
{
    static unsigned int logged;

    if ( logged++ < MAX_LOGGED )
        printk(XENLOG_WARNING "d%uv%u: %s at guest-physical %#lx: %s\n",
               v->domain->domain_id, v->vcpu_id, f->fetch ? "instruction fetch" :
               f->write ? "write" : "read", (unsigned long)f->gpa, what);
}

/* The register a load writes, as the CPU would have written it. */
static void apply_load(struct vcpu *v, const struct mmio_insn *insn, uint64_t val)
{
    hvm_set_gpr(v, insn->reg, insn_load_result(insn, val, hvm_get_gpr(v, insn->reg)));
}

static enum hvm_npf_result decode(struct vcpu *v, const struct hvm_npf *f,
                                  struct mmio_insn *insn)
{
    int rc;

    if ( f->fetch )
    {
        log_refused(v, f, "no instruction there (#GP)");
        return HVM_NPF_INJECT_GP;
    }
    rc = f->avail ? insn_decode_mmio(f->insn, f->avail, f->mode, insn) : -EFAULT;
    if ( rc == -EILSEQ )
    {
        log_refused(v, f, "not a valid instruction (#UD)");
        return HVM_NPF_INJECT_UD;
    }
    if ( rc )
    {
        log_refused(v, f, "instruction not emulated (#GP)");
        return HVM_NPF_INJECT_GP;
    }
    return HVM_NPF_EMULATED;
}

static enum hvm_npf_result lapic_access(struct vcpu *v, const struct hvm_npf *f,
                                        const struct mmio_insn *insn)
{
    unsigned int offset = f->gpa & (PAGE_SIZE - 1);
    uint64_t val;

    switch ( insn->kind )
    {
    case MMIO_LOAD:
        apply_load(v, insn, vlapic_mmio_read(v, offset));
        break;
    case MMIO_STORE_REG:
    case MMIO_STORE_IMM:
        val = insn->kind == MMIO_STORE_IMM ? insn->imm : hvm_get_gpr(v, insn->reg);
        if ( insn->high_byte )
            val >>= 8;
        vlapic_mmio_write(v, offset, (uint32_t)val);
        break;
    default:
        log_refused(v, f, "instruction not emulated on the local APIC page (#GP)");
        return HVM_NPF_INJECT_GP;
    }
    return HVM_NPF_EMULATED;
}

/* Nothing is there: loads read all-ones, stores vanish. */
static enum hvm_npf_result null_access(struct vcpu *v, const struct mmio_insn *insn)
{
    switch ( insn->kind )
    {
    case MMIO_LOAD:
        apply_load(v, insn, ~0ULL);
        break;
    case MMIO_BIT_TEST:
        /* Every bit is set; OF, SF, AF and PF are undefined, ZF is kept. */
        hvm_set_rflags(v, hvm_get_rflags(v) | X86_EFLAGS_CF);
        break;
    default:
        break;
    }
    return HVM_NPF_EMULATED;
}

static enum hvm_npf_result crash(struct vcpu *v, const struct hvm_npf *f,
                                 const char *what)
{
    char why[96];

    snprintf(why, sizeof(why), "%s of guest-physical %#lx: %s",
             f->fetch ? "instruction fetch" : f->write ? "write" : "read",
             (unsigned long)f->gpa, what);
    hvm_crash_vcpu(v, why);
    return HVM_NPF_CRASHED;
}

/* Whether the p2m maps gfn now, and if so whether writes are allowed. */
static bool gfn_mapped(struct domain *d, uint64_t gfn, bool *writable)
{
    enum p2m_access access = P2M_RWX;
    unsigned long mfn, f;

    if ( gfn > P2M_MAX_GFN )
        return false;
    f = spin_lock_irqsave(&d->arch.p2m_lock);
    mfn = p2m_get_entry(&d->arch.p2m, gfn, NULL, &access);
    spin_unlock_irqrestore(&d->arch.p2m_lock, f);
    *writable = access == P2M_RWX;
    return mfn != P2M_INVALID_MFN;
}

enum hvm_npf_result hvm_nested_page_fault(struct vcpu *v, const struct hvm_npf *f,
                                          unsigned int *len)
{
    bool lapic = vlapic_mmio_enabled(v) &&
                 (f->gpa & ~(uint64_t)(PAGE_SIZE - 1)) == vlapic_base_gpa(v);
    struct mmio_insn insn;
    enum hvm_npf_result res;
    bool writable;

    if ( !lapic && gfn_mapped(v->domain, f->gpa >> PAGE_SHIFT, &writable) )
    {
        /* Populated since the fault (another vCPU, the balloon)? */
        if ( !f->write || writable )
            return HVM_NPF_RETRY;
        return crash(v, f, "a read-only mapping");
    }
    /*
     * The guest keeps its page tables outside its memory: not an access
     * an instruction names, so there is nothing to emulate.
     */
    if ( f->guest_walk )
        return crash(v, f, "its page-table walk, outside its memory");
    /*
     * Nor is delivering an interrupt or exception through it (an IDT or
     * stack there): the instruction at RIP did not make that access.
     */
    if ( f->event_delivery )
        return crash(v, f, "event delivery, outside its memory");
    res = decode(v, f, &insn);
    if ( res != HVM_NPF_EMULATED )
        return res;
    res = lapic ? lapic_access(v, f, &insn) : null_access(v, &insn);
    *len = insn.len;
    return res;
}

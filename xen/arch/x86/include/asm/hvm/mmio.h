/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest-physical accesses that found nothing in the p2m (hvm/mmio.c): the
 * virtual local APIC page, and everything else, which behaves as Xen's
 * guest-physical space with no device model behind it does.
 */
#ifndef ASM_HVM_MMIO_H
#define ASM_HVM_MMIO_H

#include <xen/types.h>
#include <asm/hvm/insn_decode.h>

struct vcpu;

/* A nested page fault (SVM) or EPT violation (VMX), as the backend saw it. */
struct hvm_npf {
    uint64_t gpa;
    bool write;
    bool fetch;                 /* an instruction fetch from gpa */
    bool guest_walk;            /* the guest's own page-table walk faulted */
    bool event_delivery;        /* while delivering an event (IDT, stack) */
    /* The bytes at CS:RIP (avail 0 if they could not be read). */
    const uint8_t *insn;
    unsigned int avail;
    enum insn_mode mode;
};

enum hvm_npf_result {
    HVM_NPF_EMULATED,           /* done: move RIP past *len bytes */
    HVM_NPF_RETRY,              /* the p2m maps it now: run it again */
    HVM_NPF_INJECT_GP,          /* #GP(0) at the instruction */
    HVM_NPF_INJECT_UD,          /* #UD at the instruction */
    HVM_NPF_CRASHED,            /* crashed, as Xen would crash it too */
};

/*
 * What the fault means and, for an emulated access, its effect on the
 * guest's registers (through hvm_funcs' register accessors; the vCPU is
 * loaded on this CPU).  *len is the instruction's length when EMULATED.
 */
enum hvm_npf_result hvm_nested_page_fault(struct vcpu *v, const struct hvm_npf *f,
                                          unsigned int *len);

#endif /* ASM_HVM_MMIO_H */

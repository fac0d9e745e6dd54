/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 part of a domain and of a vCPU: the nested page tables, the
 * VMCB and the registers VMRUN leaves to software, the FPU/XSAVE image,
 * the virtual local APIC.  Common code treats these as opaque.
 */
#ifndef ASM_DOMAIN_H
#define ASM_DOMAIN_H

#include <xen/spinlock.h>
#include <xen/types.h>
#include <asm/p2m.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/svm.h>
#include <asm/hvm/vlapic.h>

struct arch_domain {
    struct p2m p2m;
    bool p2m_ready;
    spinlock_t p2m_lock;      /* changes to the p2m after the build */
    /* Bumped whenever a mapping changes: vCPUs flush their TLB on entry. */
    unsigned long p2m_generation;
    /* Port 0xe9 debug output, a line at a time. */
    char dbg_line[128];
    unsigned int dbg_len;
};

struct arch_vcpu {
    /* The backend's per-vCPU structure exists (vlapic set up too). */
    bool hw_ready;
    struct vmcb *vmcb;          /* SVM */
    void *vmcs;                 /* VMX: the VMCS region */
    bool vmcs_launched;         /* VMX: VMRESUME, not VMLAUNCH, next */
    uint16_t vpid;              /* VMX */
    /* VMX: syscall MSRs the VMCS does not switch, while not on a CPU. */
    uint64_t msr_kernel_gs_base, msr_star, msr_lstar, msr_cstar, msr_sfmask;
    struct svm_guest_regs regs;
    /* ASID bookkeeping (see svm/asid.c). */
    uint32_t asid;
    uint64_t asid_generation;
    int last_cpu;
    unsigned long seen_p2m_generation;
    /* Between VMRUN and #VMEXIT (set before the generation is read). */
    bool in_guest;
    /* The CPU inside arch_vcpu_run() for this vCPU, or -1: never two. */
    int running_on;
    /* FPU/SSE/AVX state while the vCPU is not on a CPU. */
    void *xsave_area;
    uint64_t xcr0;
    /* MSRs the VMCB does not hold. */
    uint64_t msr_tsc_aux;
    bool cpuid_faulting;        /* MISC_FEATURES_ENABLES bit 0 (msr.c) */
    uint64_t hypercall_page_gpa;
    struct vlapic vlapic;
    /* An event to inject at the next entry (exception from an exit handler). */
    uint64_t pending_event;
    bool nmi_pending;
    /* SVM: the vector offered as a virtual interrupt (V_IRQ), or -1. */
    int posted_irq;
    bool posted_from_lapic;     /* a vLAPIC vector, acked once taken */
    int reinject_irq;           /* an interrupt cut short, to post again */
    bool posted_reinjection;    /* the posted one is such an interrupt */
    /* INIT received: down until a start-up IPI says where to begin. */
    bool wait_for_sipi;
};

#endif /* ASM_DOMAIN_H */

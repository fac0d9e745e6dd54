/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AMD-V (SVM): the VMCB and the interface of the SVM backend.
 * Layout from the AMD64 Architecture Programmer's Manual, vol. 2,
 * appendix B ("Layout of VMCB"); offsets are checked at build time.
 */
#ifndef ASM_HVM_SVM_H
#define ASM_HVM_SVM_H

#include <xen/compiler.h>
#include <xen/types.h>

/* CPUID 0x8000000A EDX: SVM feature bits (APM vol. 3, E.4.9). */
#define SVM_FEATURE_NPT          (1u << 0)
#define SVM_FEATURE_LBRV         (1u << 1)
#define SVM_FEATURE_NRIPS        (1u << 3)
#define SVM_FEATURE_TSC_RATE     (1u << 4)
#define SVM_FEATURE_VMCB_CLEAN   (1u << 5)
#define SVM_FEATURE_FLUSH_ASID   (1u << 6)
#define SVM_FEATURE_DECODE       (1u << 7)
#define SVM_FEATURE_PAUSE_FILTER (1u << 10)

#define MSR_VM_CR       0xc0010114
#define MSR_VM_HSAVE_PA 0xc0010117
#define VM_CR_SVMDIS    (1u << 4)

/* Intercept word 3 (VMCB offset 0x0c) and word 4 (0x10). */
#define INTERCEPT_INTR      (1u << 0)
#define INTERCEPT_NMI       (1u << 1)
#define INTERCEPT_SMI       (1u << 2)
#define INTERCEPT_INIT      (1u << 3)
#define INTERCEPT_VINTR     (1u << 4)
#define INTERCEPT_RDPMC     (1u << 15)
#define INTERCEPT_CPUID     (1u << 18)
#define INTERCEPT_RSM       (1u << 19)
#define INTERCEPT_INVD      (1u << 22)
#define INTERCEPT_HLT       (1u << 24)
#define INTERCEPT_INVLPGA   (1u << 26)
#define INTERCEPT_IOIO      (1u << 27)
#define INTERCEPT_MSR       (1u << 28)
#define INTERCEPT_SHUTDOWN  (1u << 31)
#define INTERCEPT_VMRUN     (1u << 0)
#define INTERCEPT_VMMCALL   (1u << 1)
#define INTERCEPT_VMLOAD    (1u << 2)
#define INTERCEPT_VMSAVE    (1u << 3)
#define INTERCEPT_STGI      (1u << 4)
#define INTERCEPT_CLGI      (1u << 5)
#define INTERCEPT_SKINIT    (1u << 6)
#define INTERCEPT_MONITOR   (1u << 10)
#define INTERCEPT_MWAIT     (1u << 11)
#define INTERCEPT_MWAIT_ARMED (1u << 12)
#define INTERCEPT_XSETBV    (1u << 13)

/* Exit codes (APM vol. 2, appendix C). */
#define VMEXIT_EXCP_BASE 0x040
#define VMEXIT_INTR      0x060
#define VMEXIT_NMI       0x061
#define VMEXIT_SMI       0x062
#define VMEXIT_INIT      0x063
#define VMEXIT_VINTR     0x064
#define VMEXIT_RDPMC     0x06f
#define VMEXIT_CPUID     0x072
#define VMEXIT_RSM       0x073
#define VMEXIT_INVD      0x076
#define VMEXIT_HLT       0x078
#define VMEXIT_INVLPGA   0x07a
#define VMEXIT_IOIO      0x07b
#define VMEXIT_MSR       0x07c
#define VMEXIT_SHUTDOWN  0x07f
#define VMEXIT_VMRUN     0x080
#define VMEXIT_VMMCALL   0x081
#define VMEXIT_VMLOAD    0x082
#define VMEXIT_VMSAVE    0x083
#define VMEXIT_STGI      0x084
#define VMEXIT_CLGI      0x085
#define VMEXIT_SKINIT    0x086
#define VMEXIT_MONITOR   0x08a
#define VMEXIT_MWAIT     0x08b
#define VMEXIT_MWAIT_ARMED 0x08c
#define VMEXIT_XSETBV    0x08d
#define VMEXIT_NPF       0x400
/* QEMU writes VMEXIT_INVALID as 0x00000000ffffffff: compare 32 bits. */
#define VMEXIT_INVALID   0xffffffffu

#define TLB_CONTROL_NONE      0
#define TLB_CONTROL_FLUSH_ALL 1
#define TLB_CONTROL_FLUSH_ASID 3

/* VMCB vintr (offset 0x60). */
#define VINTR_V_IRQ          (1ULL << 8)
#define VINTR_PRIO_SHIFT     16
#define VINTR_IGN_TPR        (1ULL << 20)
#define VINTR_MASKING        (1ULL << 24)
#define VINTR_VECTOR_SHIFT   32
#define VINTR_VECTOR_MASK    (0xffULL << VINTR_VECTOR_SHIFT)
/* interrupt_shadow (0x68). */
#define VMCB_INT_SHADOW      (1ULL << 0)

/* EVENTINJ / EXITINTINFO (APM 15.20). */
#define EVENT_VALID          (1ULL << 31)
#define EVENT_EV             (1ULL << 11)
#define EVENT_TYPE_INTR      (0ULL << 8)
#define EVENT_TYPE_NMI       (2ULL << 8)
#define EVENT_TYPE_EXCEPTION (3ULL << 8)

/* IOIO exitinfo1 (APM 15.10.2). */
#define IOIO_TYPE_IN         (1u << 0)
#define IOIO_STR             (1u << 2)
#define IOIO_REP             (1u << 3)
#define IOIO_SIZE_SHIFT      4        /* bits 4-6: 1, 2 or 4 bytes */
#define IOIO_PORT_SHIFT      16

struct __packed vmcb_seg {
    uint16_t sel;
    uint16_t attr;   /* descriptor bits 40-47 and 52-55, packed */
    uint32_t limit;
    uint64_t base;
};

struct __packed vmcb {
    /* Control area. */
    uint32_t cr_intercepts;        /* 0x000 */
    uint32_t dr_intercepts;        /* 0x004 */
    uint32_t exception_intercepts; /* 0x008 */
    uint32_t intercepts1;          /* 0x00c */
    uint32_t intercepts2;          /* 0x010 */
    uint8_t  res014[0x03c - 0x014];
    uint16_t pause_filter_thresh;  /* 0x03c */
    uint16_t pause_filter_count;   /* 0x03e */
    uint64_t iopm_base_pa;         /* 0x040 */
    uint64_t msrpm_base_pa;        /* 0x048 */
    uint64_t tsc_offset;           /* 0x050 */
    uint32_t asid;                 /* 0x058 */
    uint8_t  tlb_control;          /* 0x05c */
    uint8_t  res05d[3];
    uint64_t vintr;                /* 0x060 */
    uint64_t interrupt_shadow;     /* 0x068 */
    uint64_t exitcode;             /* 0x070 */
    uint64_t exitinfo1;            /* 0x078 */
    uint64_t exitinfo2;            /* 0x080 */
    uint64_t exitintinfo;          /* 0x088 */
    uint64_t np_enable;            /* 0x090 */
    uint8_t  res098[0x0a8 - 0x098];
    uint64_t eventinj;             /* 0x0a8 */
    uint64_t n_cr3;                /* 0x0b0 */
    uint64_t virt_ext;             /* 0x0b8 */
    uint32_t clean_bits;           /* 0x0c0 */
    uint32_t res0c4;
    uint64_t next_rip;             /* 0x0c8 */
    uint8_t  insn_len;             /* 0x0d0 */
    uint8_t  insn_bytes[15];       /* 0x0d1 */
    uint8_t  res0e0[0x400 - 0x0e0];
    /* State save area. */
    struct vmcb_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr; /* 0x400 */
    uint8_t  res4a0[0x4cb - 0x4a0];
    uint8_t  cpl;                  /* 0x4cb */
    uint32_t res4cc;
    uint64_t efer;                 /* 0x4d0 */
    uint8_t  res4d8[0x548 - 0x4d8];
    uint64_t cr4;                  /* 0x548 */
    uint64_t cr3;                  /* 0x550 */
    uint64_t cr0;                  /* 0x558 */
    uint64_t dr7;                  /* 0x560 */
    uint64_t dr6;                  /* 0x568 */
    uint64_t rflags;               /* 0x570 */
    uint64_t rip;                  /* 0x578 */
    uint8_t  res580[0x5d8 - 0x580];
    uint64_t rsp;                  /* 0x5d8 */
    uint8_t  res5e0[0x5f8 - 0x5e0];
    uint64_t rax;                  /* 0x5f8 */
    uint64_t star, lstar, cstar, sfmask, kernel_gs_base;  /* 0x600 */
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;     /* 0x628 */
    uint64_t cr2;                  /* 0x640 */
    uint8_t  res648[0x668 - 0x648];
    uint64_t g_pat;                /* 0x668 */
    uint8_t  res670[0x1000 - 0x670];
};

/*
 * Guest registers VMRUN does not switch (RAX lives in the VMCB).  VMX
 * uses the same block (vmx/entry.S) and adds RAX and CR2, which a VM
 * exit does not save anywhere either.
 */
struct svm_guest_regs {
    uint64_t rbx, rcx, rdx, rsi, rdi, rbp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rax;              /* VMX only (0x70) */
    uint64_t cr2;              /* VMX only (0x78) */
};

/* entry.S: run the guest until its next #VMEXIT. */
void svm_vmrun(paddr_t vmcb_pa, struct svm_guest_regs *regs,
               paddr_t host_save_pa);

bool svm_available(void);
paddr_t svm_host_vmsave_pa(unsigned int cpu);
paddr_t svm_hsave_pa(unsigned int cpu);
uint32_t svm_nr_asids_available(void);
struct vcpu;
/* svm/vmcb.c: a vCPU's VMCB and its start-of-day states. */
int svm_vcpu_create(struct vcpu *v);
void svm_vcpu_destroy(struct vcpu *v);
void svm_vcpu_reset_pvh(struct vcpu *v, uint32_t entry, uint32_t ebx);
void svm_vcpu_reset_realmode(struct vcpu *v, uint8_t vector);
void svm_assign_asid(struct vcpu *v, unsigned int cpu);
void svm_dump_vcpu(struct vcpu *v);
uint32_t svm_feature_flags(void);
/* svm_selftest=<n>: run a tiny guest, report exit rates (test aid). */
void svm_selftest(void);
/* The throwaway guests' common parts (selftest.c), also used by probe.c. */
void *svm_zeroed_page(void);
void svm_vmcb_init_flat32(struct vmcb *v, paddr_t n_cr3, paddr_t iopm,
                          paddr_t msrpm, uint64_t rip);
void svm_init_this_cpu(void);
void svm_probe_virq(void);
bool svm_virq_taken_at_vmrun(void);
void svm_print_features(void);
struct vcpu_hvm_context;
struct guest_paging_state;
void svm_vcpu_load_context(struct vcpu *v, const struct vcpu_hvm_context *c);
void svm_get_paging_state(struct vcpu *v, struct guest_paging_state *s);
uint64_t svm_get_efer(struct vcpu *v);
void svm_set_efer(struct vcpu *v, uint64_t efer);
uint64_t svm_get_pat(struct vcpu *v);
void svm_set_pat(struct vcpu *v, uint64_t pat);
uint64_t svm_get_tsc_offset(struct vcpu *v);
void svm_set_tsc_offset(struct vcpu *v, uint64_t offset);
uint64_t svm_get_gpr(struct vcpu *v, unsigned int n);
void svm_set_gpr(struct vcpu *v, unsigned int n, uint64_t val);
uint64_t svm_get_rflags(struct vcpu *v);
void svm_set_rflags(struct vcpu *v, uint64_t val);
/* svm/vcpu.c: a vCPU's stays on a CPU. */
void svm_vcpu_load(struct vcpu *v);
void svm_vcpu_put(struct vcpu *v);
void svm_run_loop(struct vcpu *v);

#ifndef __ASSEMBLY__
_Static_assert(__builtin_offsetof(struct vmcb, exitcode) == 0x70, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, n_cr3) == 0xb0, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, next_rip) == 0xc8, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, es) == 0x400, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, efer) == 0x4d0, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, cr4) == 0x548, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, rip) == 0x578, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, rsp) == 0x5d8, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, rax) == 0x5f8, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, cr2) == 0x640, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, g_pat) == 0x668, "VMCB layout");
_Static_assert(sizeof(struct vmcb) == 0x1000, "VMCB layout");
#endif

#endif /* ASM_HVM_SVM_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intel VT-x (VMX): MSRs, VMCS field encodings, control bits and exit
 * reasons from the Intel SDM vol. 3C (chapters 24-27 and appendices A-C),
 * the VMX instructions, and the interface of the VMX backend.
 */
#ifndef ASM_HVM_VMX_H
#define ASM_HVM_VMX_H

#include <xen/types.h>

/* MSRs (SDM vol. 4 and appendix A). */
#define MSR_IA32_FEATURE_CONTROL   0x0000003a
#define FEATURE_CONTROL_LOCK       (1u << 0)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX (1u << 2)
#define MSR_VMX_BASIC              0x00000480
#define MSR_VMX_PINBASED_CTLS      0x00000481
#define MSR_VMX_PROCBASED_CTLS     0x00000482
#define MSR_VMX_EXIT_CTLS          0x00000483
#define MSR_VMX_ENTRY_CTLS         0x00000484
#define MSR_VMX_MISC               0x00000485
#define VMX_MISC_PREEMPT_SHIFT_MASK 0x1fu   /* the timer ticks every 2^n TSC ticks */
#define MSR_VMX_CR0_FIXED0         0x00000486
#define MSR_VMX_CR0_FIXED1         0x00000487
#define MSR_VMX_CR4_FIXED0         0x00000488
#define MSR_VMX_CR4_FIXED1         0x00000489
#define MSR_VMX_PROCBASED_CTLS2    0x0000048b
#define MSR_VMX_EPT_VPID_CAP       0x0000048c
#define MSR_VMX_TRUE_PINBASED_CTLS 0x0000048d
#define MSR_VMX_TRUE_PROCBASED_CTLS 0x0000048e
#define MSR_VMX_TRUE_EXIT_CTLS     0x0000048f
#define MSR_VMX_TRUE_ENTRY_CTLS    0x00000490
#define VMX_BASIC_TRUE_CTLS        (1ULL << 55)
#define MSR_STAR                   0xc0000081
#define MSR_LSTAR                  0xc0000082
#define MSR_CSTAR                  0xc0000083
#define MSR_SFMASK                 0xc0000084
#define MSR_SYSENTER_CS            0x00000174
#define MSR_SYSENTER_ESP           0x00000175
#define MSR_SYSENTER_EIP           0x00000176
#define X86_CR4_VMXE               (1UL << 13)

/* IA32_VMX_EPT_VPID_CAP bits (appendix A.10). */
#define EPT_CAP_WALK_4             (1ULL << 6)
#define EPT_CAP_WB                 (1ULL << 14)
#define EPT_CAP_2M                 (1ULL << 16)
#define EPT_CAP_INVEPT             (1ULL << 20)
#define EPT_CAP_INVEPT_SINGLE      (1ULL << 25)
#define EPT_CAP_INVEPT_ALL         (1ULL << 26)
#define VPID_CAP_INVVPID           (1ULL << 32)
#define VPID_CAP_INVVPID_SINGLE    (1ULL << 41)
#define VPID_CAP_INVVPID_ALL       (1ULL << 42)
#define INVEPT_SINGLE_CONTEXT      1
#define INVEPT_ALL_CONTEXT         2
#define INVVPID_SINGLE_CONTEXT     1
#define INVVPID_ALL_CONTEXT        2

/* Pin-based controls. */
#define PIN_EXT_INTR_EXITING       (1u << 0)
#define PIN_NMI_EXITING            (1u << 3)
#define PIN_PREEMPT_TIMER          (1u << 6)
/* Primary processor-based controls. */
#define CPU_INTR_WINDOW_EXITING    (1u << 2)
#define CPU_TSC_OFFSETTING         (1u << 3)
#define CPU_HLT_EXITING            (1u << 7)
#define CPU_MWAIT_EXITING          (1u << 10)
#define CPU_RDPMC_EXITING          (1u << 11)
#define CPU_CR3_LOAD_EXITING       (1u << 15)
#define CPU_CR3_STORE_EXITING      (1u << 16)
#define CPU_UNCOND_IO_EXITING      (1u << 24)
#define CPU_MSR_BITMAPS            (1u << 28)
#define CPU_MONITOR_EXITING        (1u << 29)
#define CPU_SECONDARY              (1u << 31)
/* Secondary processor-based controls. */
#define CPU2_EPT                   (1u << 1)
#define CPU2_RDTSCP                (1u << 3)
#define CPU2_VPID                  (1u << 5)
#define CPU2_WBINVD_EXITING        (1u << 6)
#define CPU2_UNRESTRICTED          (1u << 7)
#define CPU2_INVPCID               (1u << 12)
#define CPU2_XSAVES                (1u << 20)
/* VM-exit controls. */
#define EXIT_SAVE_DEBUG            (1u << 2)
#define EXIT_HOST_64BIT            (1u << 9)
#define EXIT_SAVE_PAT              (1u << 18)
#define EXIT_LOAD_PAT              (1u << 19)
#define EXIT_SAVE_EFER             (1u << 20)
#define EXIT_LOAD_EFER             (1u << 21)
/* VM-entry controls. */
#define ENTRY_LOAD_DEBUG           (1u << 2)
#define ENTRY_IA32E_GUEST          (1u << 9)
#define ENTRY_LOAD_PAT             (1u << 14)
#define ENTRY_LOAD_EFER            (1u << 15)

/* VMCS field encodings (appendix B). */
enum vmcs_field {
    VPID                    = 0x0000,
    GUEST_ES_SEL            = 0x0800, /* ES, CS, SS, DS, FS, GS, LDTR, TR: +2 */
    HOST_ES_SEL             = 0x0c00,
    HOST_CS_SEL             = 0x0c02,
    HOST_SS_SEL             = 0x0c04,
    HOST_DS_SEL             = 0x0c06,
    HOST_FS_SEL             = 0x0c08,
    HOST_GS_SEL             = 0x0c0a,
    HOST_TR_SEL             = 0x0c0c,
    IO_BITMAP_A             = 0x2000,
    IO_BITMAP_B             = 0x2002,
    MSR_BITMAP              = 0x2004,
    TSC_OFFSET              = 0x2010,
    EPT_POINTER             = 0x201a,
    GUEST_PHYSICAL_ADDRESS  = 0x2400,
    VMCS_LINK_POINTER       = 0x2800,
    GUEST_DEBUGCTL          = 0x2802,
    GUEST_PAT               = 0x2804,
    GUEST_EFER              = 0x2806,
    HOST_PAT                = 0x2c00,
    HOST_EFER               = 0x2c02,
    PIN_CONTROLS            = 0x4000,
    CPU_CONTROLS            = 0x4002,
    EXCEPTION_BITMAP        = 0x4004,
    CR3_TARGET_COUNT        = 0x400a,
    EXIT_CONTROLS           = 0x400c,
    EXIT_MSR_STORE_COUNT    = 0x400e,
    EXIT_MSR_LOAD_COUNT     = 0x4010,
    ENTRY_CONTROLS          = 0x4012,
    ENTRY_MSR_LOAD_COUNT    = 0x4014,
    ENTRY_INTR_INFO         = 0x4016,
    ENTRY_EXCEPTION_ERROR   = 0x4018,
    ENTRY_INSN_LEN          = 0x401a,
    CPU_CONTROLS2           = 0x401e,
    VM_INSTRUCTION_ERROR    = 0x4400,
    EXIT_REASON             = 0x4402,
    EXIT_INTR_INFO          = 0x4404,
    EXIT_INTR_ERROR         = 0x4406,
    IDT_VECTORING_INFO      = 0x4408,
    IDT_VECTORING_ERROR     = 0x440a,
    EXIT_INSN_LEN           = 0x440c,
    GUEST_ES_LIMIT          = 0x4800, /* ... LDTR, TR: +2; GDTR 0x4810, IDTR 0x4812 */
    GUEST_GDTR_LIMIT        = 0x4810,
    GUEST_IDTR_LIMIT        = 0x4812,
    GUEST_ES_AR             = 0x4814, /* ... LDTR, TR: +2 */
    GUEST_INTERRUPTIBILITY  = 0x4824,
    GUEST_ACTIVITY_STATE    = 0x4826,
    GUEST_SYSENTER_CS       = 0x482a,
    GUEST_PREEMPT_TIMER     = 0x482e,
    HOST_SYSENTER_CS        = 0x4c00,
    CR0_GUEST_HOST_MASK     = 0x6000,
    CR4_GUEST_HOST_MASK     = 0x6002,
    CR0_READ_SHADOW         = 0x6004,
    CR4_READ_SHADOW         = 0x6006,
    EXIT_QUALIFICATION      = 0x6400,
    GUEST_CR0               = 0x6800,
    GUEST_CR3               = 0x6802,
    GUEST_CR4               = 0x6804,
    GUEST_ES_BASE           = 0x6806, /* ... LDTR, TR: +2; GDTR 0x6816, IDTR 0x6818 */
    GUEST_GDTR_BASE         = 0x6816,
    GUEST_IDTR_BASE         = 0x6818,
    GUEST_DR7               = 0x681a,
    GUEST_RSP               = 0x681c,
    GUEST_RIP               = 0x681e,
    GUEST_RFLAGS            = 0x6820,
    GUEST_PENDING_DBG       = 0x6822,
    GUEST_SYSENTER_ESP      = 0x6824,
    GUEST_SYSENTER_EIP      = 0x6826,
    HOST_CR0                = 0x6c00,
    HOST_CR3                = 0x6c02,
    HOST_CR4                = 0x6c04,
    HOST_FS_BASE            = 0x6c06,
    HOST_GS_BASE            = 0x6c08,
    HOST_TR_BASE            = 0x6c0a,
    HOST_GDTR_BASE          = 0x6c0c,
    HOST_IDTR_BASE          = 0x6c0e,
    HOST_SYSENTER_ESP       = 0x6c10,
    HOST_SYSENTER_EIP       = 0x6c12,
    HOST_RSP                = 0x6c14,
    HOST_RIP                = 0x6c16,
};

/* Segment registers in VMCS order: field = base + 2 * seg. */
enum vmx_seg { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR };
#define AR_UNUSABLE                (1u << 16)
#define AR_DPL(ar)                 (((ar) >> 5) & 3)
#define AR_L                       (1u << 13)
#define AR_DB                      (1u << 14)

/* Basic exit reasons (appendix C); bit 31 marks a failed VM entry. */
#define EXIT_REASON_EXCEPTION_NMI  0
#define EXIT_REASON_EXT_INTR       1
#define EXIT_REASON_TRIPLE_FAULT   2
#define EXIT_REASON_INIT           3
#define EXIT_REASON_SIPI           4
#define EXIT_REASON_INTR_WINDOW    7
#define EXIT_REASON_TASK_SWITCH    9
#define EXIT_REASON_CPUID          10
#define EXIT_REASON_GETSEC         11
#define EXIT_REASON_HLT            12
#define EXIT_REASON_INVD           13
#define EXIT_REASON_RDPMC          15
#define EXIT_REASON_RSM            17
#define EXIT_REASON_VMCALL         18
#define EXIT_REASON_VMCLEAR        19
#define EXIT_REASON_VMXON          27
#define EXIT_REASON_CR_ACCESS      28
#define EXIT_REASON_IO             30
#define EXIT_REASON_RDMSR          31
#define EXIT_REASON_WRMSR          32
#define EXIT_REASON_INVALID_STATE  33
#define EXIT_REASON_MSR_LOADING    34
#define EXIT_REASON_MWAIT          36
#define EXIT_REASON_MONITOR        39
#define EXIT_REASON_MACHINE_CHECK  41
#define EXIT_REASON_EPT_VIOLATION  48
#define EXIT_REASON_EPT_MISCONFIG  49
#define EXIT_REASON_INVEPT         50
#define EXIT_REASON_INVVPID        53
#define EXIT_REASON_WBINVD         54
#define EXIT_REASON_PREEMPT_TIMER  52
#define EXIT_REASON_XSETBV         55
#define EXIT_REASON_ENTRY_FAILED   (1u << 31)

/* Interruption information (entry, exit, IDT vectoring): as SVM's EVENTINJ
 * in bits 0-11 and 31, so a pending event is one format for both. */
#define INTR_INFO_VALID            (1u << 31)
#define INTR_INFO_DELIVER_ERROR    (1u << 11)
#define INTR_INFO_NMI_UNBLOCK      (1u << 12)
#define INTR_TYPE_MASK             (7u << 8)
#define INTR_TYPE_EXT_INTR         (0u << 8)
#define INTR_TYPE_NMI              (2u << 8)
#define INTR_TYPE_HW_EXCEPTION     (3u << 8)
#define INTR_TYPE_SW_INTR          (4u << 8)
#define INTR_TYPE_PRIV_SW_EXC      (5u << 8)
#define INTR_TYPE_SW_EXC           (6u << 8)
/* Guest interruptibility state. */
#define INTERRUPTIBILITY_STI       (1u << 0)
#define INTERRUPTIBILITY_MOV_SS    (1u << 1)
#define INTERRUPTIBILITY_NMI       (1u << 3)

/* I/O exit qualification (27.2.1, table 27-5). */
#define IO_QUAL_SIZE_MASK          7u         /* size - 1 */
#define IO_QUAL_IN                 (1u << 3)
#define IO_QUAL_STRING             (1u << 4)
#define IO_QUAL_PORT_SHIFT         16
/* Control-register access qualification (table 27-3). */
#define CR_QUAL_NR(q)              ((q) & 15)
#define CR_QUAL_TYPE(q)            (((q) >> 4) & 3)   /* 0: MOV to CR */
#define CR_QUAL_GPR(q)             (((q) >> 8) & 15)
/* EPT violation qualification (table 27-7). */
#define EPT_QUAL_READ              (1u << 0)
#define EPT_QUAL_WRITE             (1u << 1)
#define EPT_QUAL_FETCH             (1u << 2)
/* Bit 7: a linear address is behind it; then bit 8 clear: a guest page walk. */
#define EPT_QUAL_GLA_VALID         (1u << 7)
#define EPT_QUAL_GLA_FINAL         (1u << 8)

#ifndef __ASSEMBLY__

/*
 * The VMX instructions.  Each reports failure through CF (VMfailInvalid)
 * or ZF (VMfailValid, with the reason in VM_INSTRUCTION_ERROR).
 */
static inline bool vmx_on(paddr_t pa)
{
    bool fail;

    __asm__ __volatile__ ( "vmxon %1; setna %0" : "=qm" (fail) : "m" (pa)
                           : "cc", "memory" );
    return !fail;
}

static inline bool vmcs_clear(paddr_t pa)
{
    bool fail;

    __asm__ __volatile__ ( "vmclear %1; setna %0" : "=qm" (fail) : "m" (pa)
                           : "cc", "memory" );
    return !fail;
}

static inline bool vmcs_load(paddr_t pa)
{
    bool fail;

    __asm__ __volatile__ ( "vmptrld %1; setna %0" : "=qm" (fail) : "m" (pa)
                           : "cc", "memory" );
    return !fail;
}

/* The current VMCS of this CPU, or ~0 when there is none. */
static inline paddr_t vmcs_current(void)
{
    paddr_t pa;

    __asm__ __volatile__ ( "vmptrst %0" : "=m" (pa) :: "memory" );
    return pa;
}

static inline uint64_t vmread(enum vmcs_field f)
{
    uint64_t v;

    __asm__ __volatile__ ( "vmread %1, %0" : "=rm" (v) : "r" ((uint64_t)f)
                           : "cc" );
    return v;
}

static inline void vmwrite(enum vmcs_field f, uint64_t v)
{
    __asm__ __volatile__ ( "vmwrite %0, %1" :: "rm" (v), "r" ((uint64_t)f)
                           : "cc" );
}

static inline void invept(unsigned long type, uint64_t eptp)
{
    struct { uint64_t eptp, zero; } desc = { eptp, 0 };

    __asm__ __volatile__ ( "invept %0, %1" :: "m" (desc), "r" (type)
                           : "cc", "memory" );
}

static inline void invvpid(unsigned long type, uint16_t vpid)
{
    struct { uint64_t vpid, linear; } desc = { vpid, 0 };

    __asm__ __volatile__ ( "invvpid %0, %1" :: "m" (desc), "r" (type)
                           : "cc", "memory" );
}

/*
 * Guest registers the VMCS does not hold (it holds RSP and RIP): the
 * same first fourteen as SVM's, then RAX and CR2, which VMX does not
 * switch either.  Offsets are used by vmx/entry.S.
 */
struct vcpu;
struct svm_guest_regs;

/* entry.S: enter the guest; 0 after a VM exit, else the VMfail flags. */
int vmx_vmenter(struct svm_guest_regs *regs, bool launched);
/* entry.S: where the CPU lands on a VM exit (HOST_RIP). */
void vmx_vmexit(void);

/* vmx.c: the CPU's VMX facilities. */
extern uint32_t vmx_pin_ctls, vmx_cpu_ctls, vmx_cpu2_ctls, vmx_exit_ctls,
    vmx_entry_ctls;
extern uint64_t vmx_ept_vpid_cap;
/* The VMX-preemption timer counts TSC ticks >> this (if PIN_PREEMPT_TIMER). */
extern unsigned int vmx_preempt_shift;
extern uint64_t vmx_cr0_fixed0, vmx_cr0_fixed1, vmx_cr4_fixed0, vmx_cr4_fixed1;
extern uint32_t vmx_revision_id;
/* VMXON done: EPT and unrestricted guest are there. */
bool vmx_available(void);

/* vmcs.c */
int vmx_vcpu_create(struct vcpu *v);
void vmx_vcpu_destroy(struct vcpu *v);
void vmx_vcpu_reset_pvh(struct vcpu *v, uint32_t entry, uint32_t ebx);
void vmx_vcpu_reset_realmode(struct vcpu *v, uint8_t vector);
struct vcpu_hvm_context;
void vmx_vcpu_load_context(struct vcpu *v, const struct vcpu_hvm_context *c);
void vmx_vcpu_load(struct vcpu *v);
void vmx_vcpu_put(struct vcpu *v);
void vmx_write_host_state(void);
void vmx_dump_vcpu(struct vcpu *v);
/* Make v's VMCS current on this CPU; give back what was current before. */
paddr_t vmx_vmcs_enter(struct vcpu *v);
void vmx_vmcs_exit(struct vcpu *v, paddr_t prev);
struct guest_paging_state;
void vmx_get_paging_state(struct vcpu *v, struct guest_paging_state *s);
uint64_t vmx_get_efer(struct vcpu *v);
void vmx_set_efer(struct vcpu *v, uint64_t efer);
uint64_t vmx_get_pat(struct vcpu *v);
void vmx_set_pat(struct vcpu *v, uint64_t pat);
uint64_t vmx_get_tsc_offset(struct vcpu *v);
void vmx_set_tsc_offset(struct vcpu *v, uint64_t offset);
/* The guest's CR0 as it believes it is (read shadow for owned bits). */
uint64_t vmx_guest_cr0(void);
/* On the current VMCS: the guest's view to the shadow, ours to the CPU. */
void vmx_set_cr0(uint64_t cr0);
void vmx_set_cr4(uint64_t cr4);
/* EFER and the IA-32e-mode entry control that must match its LMA. */
void vmx_set_efer_raw(uint64_t efer);
/* vcpu.c */
void vmx_run_loop(struct vcpu *v);
uint64_t vmx_get_gpr(struct vcpu *v, unsigned int n);
void vmx_set_gpr(struct vcpu *v, unsigned int n, uint64_t val);
uint64_t vmx_get_rflags(struct vcpu *v);
void vmx_set_rflags(struct vcpu *v, uint64_t val);

#endif /* __ASSEMBLY__ */
#endif /* ASM_HVM_VMX_H */

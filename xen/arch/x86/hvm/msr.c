/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest MSR accesses: a deliberate allow-list.  Whatever is not named here
 * gets #GP, as on a CPU without that MSR, and the first few are logged so
 * the gap can be found.  The MSRs VMLOAD/VMSAVE switch (FS/GS bases,
 * SYSCALL/SYSENTER) never exit; see svm/vmcb.c and vmx/vmcs.c.
 *
 * Where kernels read an MSR without checking CPUID first, the answer is
 * Xen 4.17's for an HVM/PVH guest (its guest_rdmsr() in arch/x86/msr.c,
 * then hvm_msr_read_intercept() and the vendor's intercept): the
 * machine-check registers of its virtual MCE (two banks, nothing ever
 * reported), PLATFORM_INFO with CPUID faulting (which we emulate too),
 * the Intel-only power and thermal status reading 0, DEBUGCTL reading 0.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <asm/hvm/guest_access.h>
#include <asm/hvm/guest_cpuid.h>
#include <asm/hvm/guest_walk.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/msr.h>
#include <asm/hvm/vlapic.h>
#include <asm/processor.h>
#include <public/arch-x86-cpuid.h>

#define MSR_TSC        0x00000010
#define MSR_AMD_HWCR   0xc0010015
#define MSR_AMD_VM_CR  0xc0010114
#define MSR_AMD_DE_CFG 0xc0011029
#define MSR_IA32_MISC_ENABLE 0x000001a0
#define MSR_IA32_FEATURE_CONTROL 0x0000003a
#define FEATURE_CONTROL_LOCK (1u << 0)
#define MSR_PLATFORM_INFO    0x000000ce
#define PLATFORM_INFO_CPUID_FAULTING (1ULL << 32)
#define MSR_MISC_FEATURES_ENABLES 0x00000140
#define MISC_FEATURES_CPUID_FAULTING (1u << 0)
#define MSR_P5_MC_ADDR       0x00000000
#define MSR_P5_MC_TYPE       0x00000001
#define MSR_IA32_MCG_CAP     0x00000179
#define MSR_IA32_MCG_STATUS  0x0000017a
#define MSR_IA32_MCG_CTL     0x0000017b
#define MSR_IA32_MCx_CTL2_FIRST 0x00000280
#define MSR_IA32_MCx_CTL2_LAST  0x0000029f
#define MSR_IA32_MC0_CTL     0x00000400
#define MSR_IA32_MCx_LAST    0x0000047f
#define MSR_IA32_PERF_STATUS 0x00000198
#define MSR_IA32_PERF_CTL    0x00000199
#define MSR_IA32_THERM_STATUS 0x0000019c
#define MSR_IA32_DEBUGCTL    0x000001d9
#define DEBUGCTL_LBR         (1u << 0)
#define MSR_AMD_NB_CFG       0xc001001f
#define MSR_AMD_ENABLE_C1E   0xc0010055
#define DE_CFG_LFENCE_SERIALISE (1u << 1)
/*
 * Xen's virtual MCE: two banks; on Intel also software error recovery
 * (bit 24), threshold-based status (11) and CMCI (10), never signalled.
 */
#define GUEST_MC_BANKS       2
#define MCG_CAP_INTEL        ((1u << 24) | (1u << 11) | (1u << 10) | GUEST_MC_BANKS)
/* BTS and PEBS unavailable: nothing else of it is the guest's business. */
#define MISC_ENABLE_GUEST ((1u << 11) | (1u << 12))
#define VM_CR_LOCK     (1u << 3)
#define VM_CR_DISABLED (1u << 4)
#define MAX_LOGGED     8

static void log_unhandled(struct vcpu *v, const char *op, uint32_t msr)
{
    static unsigned int logged;

    if ( logged++ < MAX_LOGGED )
        printk(XENLOG_WARNING "d%uv%u: %s of MSR %#x refused (#GP)\n",
               v->domain->domain_id, v->vcpu_id, op, msr);
}

static bool pat_valid(uint64_t pat)
{
    unsigned int i;

    for ( i = 0; i < 8; i++ )
    {
        uint8_t t = pat >> (i * 8);

        if ( t == 2 || t == 3 || t > 7 )
            return false;
    }
    return true;
}

/* EFER: SCE, LME, NXE; LMA follows paging (the backend keeps it). */
static int write_efer(struct vcpu *v, uint64_t val)
{
    uint64_t allowed = EFER_SCE | EFER_LME | EFER_NXE | EFER_LMA;
    struct guest_paging_state s;

    if ( val & ~allowed )
        return -EINVAL;
    hvm_get_paging_state(v, &s);
    /* LME may not change while paging is on (SDM 2.2.1, APM 14.6). */
    if ( (s.cr0 & X86_CR0_PG) && ((val ^ s.efer) & EFER_LME) )
        return -EINVAL;
    hvm_set_efer(v, val);
    return 0;
}

/* The guest asks for the hypercall page at a guest-physical address. */
static int write_hypercall_page(struct vcpu *v, uint64_t val)
{
    static uint8_t page[PAGE_SIZE];
    static DEFINE_SPINLOCK(page_lock);
    unsigned long f;
    int rc;

    if ( val & (PAGE_SIZE - 1) )
        return -EINVAL;
    f = spin_lock_irqsave(&page_lock);
    hypercall_page_fill(page, hvm_funcs->hypercall_is_vmmcall);
    rc = gpa_copy_to(v->domain, val, page, PAGE_SIZE);
    spin_unlock_irqrestore(&page_lock, f);
    if ( rc )
        return -EINVAL;
    v->arch.hypercall_page_gpa = val;
    return 0;
}

/*
 * Linux reads IA32_MISC_ENABLE on Intel CPUs before it has an IDT (the XD
 * check in verify_cpu), so a #GP there is a triple fault; Xen answers it
 * on Intel CPUs, so do we.
 */
static bool intel_cpu(void)
{
    return !strcmp(boot_cpu.vendor, "GenuineIntel");
}

static bool amd_cpu(void)
{
    return !strcmp(boot_cpu.vendor, "AuthenticAMD");
}

static bool is_mce_msr(uint32_t msr)
{
    return msr == MSR_P5_MC_ADDR || msr == MSR_P5_MC_TYPE ||
           (msr >= MSR_IA32_MCG_CAP && msr <= MSR_IA32_MCG_CTL) ||
           (msr >= MSR_IA32_MCx_CTL2_FIRST && msr <= MSR_IA32_MCx_CTL2_LAST) ||
           (msr >= MSR_IA32_MC0_CTL && msr <= MSR_IA32_MCx_LAST);
}

/*
 * The virtual MCE's registers: MCi_CTL of its banks read all-ones, every
 * status, address and MISC register 0 (no error is ever reported); so do
 * the other banks' and the P5 registers.  Writes are accepted and dropped
 * (MCG_CAP is read-only; there is no MCG_CTL).
 */
static uint64_t mce_rdmsr(uint32_t msr)
{
    if ( msr == MSR_IA32_MCG_CAP )
        return intel_cpu() ? MCG_CAP_INTEL : GUEST_MC_BANKS;
    if ( msr >= MSR_IA32_MC0_CTL && msr < MSR_IA32_MC0_CTL + 4 * GUEST_MC_BANKS &&
         !(msr & 3) )
        return ~0ULL;
    return 0;
}

/* CPUID faulting (PLATFORM_INFO bit 32 says we have it): the only bit. */
static int write_misc_features(struct vcpu *v, uint64_t val)
{
    if ( val & ~(uint64_t)MISC_FEATURES_CPUID_FAULTING )
        return -EINVAL;
    v->arch.cpuid_faulting = val & MISC_FEATURES_CPUID_FAULTING;
    return 0;
}

bool guest_cpuid_faults(struct vcpu *v, unsigned int cpl)
{
    return v->arch.cpuid_faulting && cpl > 0;
}

int guest_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    if ( msr == MSR_IA32_MISC_ENABLE && intel_cpu() )
    {
        *val = MISC_ENABLE_GUEST;
        return 0;
    }
    if ( is_mce_msr(msr) )
    {
        *val = mce_rdmsr(msr);
        return 0;
    }
    if ( intel_cpu() )
        switch ( msr )
        {
        case MSR_IA32_FEATURE_CONTROL:
            *val = FEATURE_CONTROL_LOCK;      /* no VMX, no local MCE */
            return 0;
        case MSR_IA32_PERF_STATUS:
        case MSR_IA32_PERF_CTL:
        case MSR_IA32_THERM_STATUS:
            *val = 0;
            return 0;
        }
    switch ( msr )
    {
    case MSR_PLATFORM_INFO:
        *val = PLATFORM_INFO_CPUID_FAULTING;
        return 0;
    case MSR_MISC_FEATURES_ENABLES:
        *val = v->arch.cpuid_faulting ? MISC_FEATURES_CPUID_FAULTING : 0;
        return 0;
    case MSR_IA32_DEBUGCTL:
    case MSR_AMD_NB_CFG:
    case MSR_AMD_ENABLE_C1E:
        *val = 0;
        return 0;
    case MSR_EFER:
        *val = hvm_get_efer(v);
        return 0;
    case MSR_PAT:
        *val = hvm_get_pat(v);
        return 0;
    case MSR_TSC:
        *val = rdtsc() + hvm_get_tsc_offset(v);
        return 0;
    case MSR_TSC_AUX:
        *val = v->arch.msr_tsc_aux;
        return 0;
    case MSR_AMD_VM_CR:
        *val = VM_CR_LOCK | VM_CR_DISABLED;   /* no nested SVM here */
        return 0;
    case MSR_AMD_HWCR:
        *val = 0;
        return 0;
    case MSR_AMD_DE_CFG:
        /* LFENCE dispatch-serialising, which Xen always sets. */
        *val = amd_cpu() ? DE_CFG_LFENCE_SERIALISE : 0;
        return 0;
    }
    if ( !vlapic_rdmsr(v, msr, val) )
        return 0;
    log_unhandled(v, "RDMSR", msr);
    return -EINVAL;
}

int guest_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val)
{
    /* Writing back what it read is fine; changing it is not. */
    if ( msr == MSR_IA32_MISC_ENABLE && intel_cpu() )
        return val == MISC_ENABLE_GUEST ? 0 : -EINVAL;
    if ( is_mce_msr(msr) )
        return 0;
    if ( intel_cpu() && msr == MSR_IA32_PERF_CTL )
        return 0;                    /* no frequency control for guests */
    switch ( msr )
    {
    case MSR_MISC_FEATURES_ENABLES:
        return write_misc_features(v, val);
    case MSR_IA32_DEBUGCTL:
        /*
         * LBR is dropped (reads 0), as Xen does on a CPU whose LBR MSRs
         * it does not know; BTF and the rest we do not emulate.
         */
        return val & ~(uint64_t)DEBUGCTL_LBR ? -EINVAL : 0;
    case MSR_EFER:
        return write_efer(v, val);
    case MSR_PAT:
        if ( !pat_valid(val) )
            return -EINVAL;
        hvm_set_pat(v, val);
        return 0;
    case MSR_TSC:
        hvm_set_tsc_offset(v, val - rdtsc());
        return 0;
    case MSR_TSC_AUX:
        if ( val >> 32 )
            return -EINVAL;
        v->arch.msr_tsc_aux = val;
        return 0;
    case MSR_AMD_DE_CFG:
        return 0;                             /* accepted and ignored */
    case XEN_HYPERCALL_PAGE_MSR:
        return write_hypercall_page(v, val);
    }
    if ( !vlapic_wrmsr(v, msr, val) )
        return 0;
    log_unhandled(v, "WRMSR", msr);
    return -EINVAL;
}

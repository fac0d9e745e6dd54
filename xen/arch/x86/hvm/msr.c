/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest MSR accesses: a deliberate allow-list.  Whatever is not named here
 * gets #GP, as on a CPU without that MSR, and the first few are logged so
 * the gap can be found.  The MSRs VMLOAD/VMSAVE switch (FS/GS bases,
 * SYSCALL/SYSENTER) never exit; see svm/vmcb.c and vmx/vmcs.c.
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

int guest_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    if ( msr == MSR_IA32_MISC_ENABLE && intel_cpu() )
    {
        *val = MISC_ENABLE_GUEST;
        return 0;
    }
    switch ( msr )
    {
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
    case MSR_AMD_DE_CFG:
        *val = 0;
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
    switch ( msr )
    {
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

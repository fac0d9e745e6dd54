/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intel VT-x bring-up: detection, the controls every VMCS will use
 * (computed once from the capability MSRs), and VMXON on each CPU.
 *
 * We require EPT, unrestricted guest (PVH starts in 32-bit protected mode
 * with paging off, a SIPI in real mode) and VPID is used when offered.
 * bochs's corei7_haswell_4770 offers all three (shared/EMULATORS.md).
 */
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/smp.h>
#include <xen/string.h>
#include <asm/percpu.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/vmx.h>
#include <asm/p2m.h>
#include <asm/processor.h>

uint32_t vmx_pin_ctls, vmx_cpu_ctls, vmx_cpu2_ctls, vmx_exit_ctls, vmx_entry_ctls;
uint64_t vmx_ept_vpid_cap;
unsigned int vmx_preempt_shift;
uint64_t vmx_cr0_fixed0, vmx_cr0_fixed1, vmx_cr4_fixed0, vmx_cr4_fixed1;
uint32_t vmx_revision_id;
static bool vmx_usable;

bool vmx_available(void)
{
    return vmx_usable;
}

/* Per CPU: the VMXON region. */
static void *vmxon_region[NR_CPUS];

/*
 * A control word from what we want and what the CPU allows (appendix A.3):
 * the low half of the MSR holds the bits that must be 1, the high half
 * those that may be 1.  *missing gets the wanted bits the CPU cannot set.
 */
static uint32_t adjust_controls(uint32_t msr, uint32_t want, uint32_t *missing)
{
    uint64_t caps = rdmsr(msr);
    uint32_t must = (uint32_t)caps, may = caps >> 32;

    *missing = want & ~may;
    return (want | must) & may;
}

/* The TRUE_* MSRs allow clearing some default-1 bits; use them if present. */
static uint32_t ctl_msr(uint64_t basic, uint32_t plain, uint32_t true_msr)
{
    return (basic & VMX_BASIC_TRUE_CTLS) ? true_msr : plain;
}

/* Report wanted control bits the CPU cannot set; true if there are none. */
static bool have_all(const char *word, uint32_t missing)
{
    if ( missing )
        printk(XENLOG_WARNING "VMX: %s controls %#x not offered: not used\n",
               word, missing);
    return !missing;
}

static bool compute_controls(void)
{
    uint64_t basic = rdmsr(MSR_VMX_BASIC);
    uint32_t miss;
    bool ok = true;

    vmx_revision_id = basic & 0x7fffffff;
    vmx_pin_ctls = adjust_controls(ctl_msr(basic, MSR_VMX_PINBASED_CTLS,
                                           MSR_VMX_TRUE_PINBASED_CTLS),
                                   PIN_EXT_INTR_EXITING | PIN_NMI_EXITING, &miss);
    ok &= have_all("pin-based", miss);
    /*
     * Optional: the VMX-preemption timer, a second way (besides the host
     * timer's interrupt) to get a guest off the CPU when a host timer is
     * due; see arm_preemption_timer() in vcpu.c for why it is needed.
     */
    vmx_pin_ctls |= adjust_controls(ctl_msr(basic, MSR_VMX_PINBASED_CTLS,
                                            MSR_VMX_TRUE_PINBASED_CTLS),
                                    PIN_PREEMPT_TIMER, &miss);
    vmx_preempt_shift = rdmsr(MSR_VMX_MISC) & VMX_MISC_PREEMPT_SHIFT_MASK;
    vmx_cpu_ctls = adjust_controls(ctl_msr(basic, MSR_VMX_PROCBASED_CTLS,
                                           MSR_VMX_TRUE_PROCBASED_CTLS),
                                   CPU_TSC_OFFSETTING | CPU_HLT_EXITING |
                                   CPU_MWAIT_EXITING | CPU_RDPMC_EXITING |
                                   CPU_UNCOND_IO_EXITING | CPU_MSR_BITMAPS |
                                   CPU_MONITOR_EXITING | CPU_SECONDARY, &miss);
    ok &= have_all("processor-based", miss);
    /* With EPT the guest owns CR3: no exits for it. */
    vmx_cpu_ctls &= ~(CPU_CR3_LOAD_EXITING | CPU_CR3_STORE_EXITING);
    if ( !(vmx_cpu_ctls & CPU_SECONDARY) )
        return false;
    /* EPT and unrestricted guest (PVH and SIPI start without paging). */
    vmx_cpu2_ctls = adjust_controls(MSR_VMX_PROCBASED_CTLS2,
                                    CPU2_EPT | CPU2_UNRESTRICTED, &miss);
    ok &= have_all("secondary (EPT, unrestricted guest)", miss);
    /* Optional: VPID, and instructions that would #UD without these. */
    vmx_cpu2_ctls |= adjust_controls(MSR_VMX_PROCBASED_CTLS2,
                                     CPU2_VPID | CPU2_RDTSCP | CPU2_INVPCID, &miss);
    vmx_exit_ctls = adjust_controls(ctl_msr(basic, MSR_VMX_EXIT_CTLS,
                                            MSR_VMX_TRUE_EXIT_CTLS),
                                    EXIT_HOST_64BIT | EXIT_SAVE_PAT | EXIT_LOAD_PAT |
                                    EXIT_SAVE_EFER | EXIT_LOAD_EFER, &miss);
    ok &= have_all("VM-exit", miss);
    vmx_entry_ctls = adjust_controls(ctl_msr(basic, MSR_VMX_ENTRY_CTLS,
                                             MSR_VMX_TRUE_ENTRY_CTLS),
                                     ENTRY_LOAD_PAT | ENTRY_LOAD_EFER, &miss);
    ok &= have_all("VM-entry", miss);
    /* Whether the guest is in IA-32e mode is decided per entry. */
    vmx_entry_ctls &= ~ENTRY_IA32E_GUEST;
    return ok;
}

/* EPT with a 4-level walk, write-back tables and INVEPT. */
static bool ept_usable(void)
{
    uint64_t need = EPT_CAP_WALK_4 | EPT_CAP_WB | EPT_CAP_INVEPT;

    vmx_ept_vpid_cap = rdmsr(MSR_VMX_EPT_VPID_CAP);
    if ( (vmx_ept_vpid_cap & need) != need ||
         !(vmx_ept_vpid_cap & (EPT_CAP_INVEPT_SINGLE | EPT_CAP_INVEPT_ALL)) )
        return false;
    /* VPID is only worth using if stale translations can be flushed. */
    if ( !(vmx_ept_vpid_cap & VPID_CAP_INVVPID) ||
         !(vmx_ept_vpid_cap & (VPID_CAP_INVVPID_SINGLE | VPID_CAP_INVVPID_ALL)) )
        vmx_cpu2_ctls &= ~CPU2_VPID;
    return true;
}

/* VMX present and allowed by firmware, with what PVH guests need. */
static bool vmx_detect(void)
{
    uint64_t fc;

    if ( !boot_cpu.vmx )
        return false;
    fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
    if ( !(fc & FEATURE_CONTROL_LOCK) )
    {
        /* Unlocked: firmware left it to us; enable VMX and lock. */
        fc |= FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMX_OUTSIDE_SMX;
        wrmsr(MSR_IA32_FEATURE_CONTROL, fc);
    }
    if ( !(fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX) )
    {
        printk(XENLOG_WARNING "VMX: disabled by firmware (IA32_FEATURE_CONTROL)\n");
        return false;
    }
    vmx_cr0_fixed0 = rdmsr(MSR_VMX_CR0_FIXED0);
    vmx_cr0_fixed1 = rdmsr(MSR_VMX_CR0_FIXED1);
    vmx_cr4_fixed0 = rdmsr(MSR_VMX_CR4_FIXED0);
    vmx_cr4_fixed1 = rdmsr(MSR_VMX_CR4_FIXED1);
    if ( !compute_controls() )
        return false;
    if ( !ept_usable() )
    {
        printk(XENLOG_WARNING "VMX: no usable EPT: not used\n");
        return false;
    }
    return true;
}

static void vmx_print_features(void)
{
    if ( !vmx_usable )
    {
        printk("VMX: not available\n");
        return;
    }
    printk("VMX: EPT yes, unrestricted guest yes, VPID %s, INVEPT %s, "
           "2M EPT pages %s, true controls %s, preemption timer %s\n",
           vmx_cpu2_ctls & CPU2_VPID ? "yes" : "no",
           vmx_ept_vpid_cap & EPT_CAP_INVEPT_SINGLE ? "single-context" : "global",
           vmx_ept_vpid_cap & EPT_CAP_2M ? "yes" : "no",
           rdmsr(MSR_VMX_BASIC) & VMX_BASIC_TRUE_CTLS ? "yes" : "no",
           vmx_pin_ctls & PIN_PREEMPT_TIMER ? "yes" : "no");
}

/* CR0/CR4 must satisfy the fixed bits before VMXON (SDM 23.8). */
static bool host_crs_fit(void)
{
    unsigned long cr0 = read_cr0(), cr4 = read_cr4() | X86_CR4_VMXE;

    return (cr0 & vmx_cr0_fixed0) == vmx_cr0_fixed0 && !(cr0 & ~vmx_cr0_fixed1) &&
           (cr4 & vmx_cr4_fixed0) == vmx_cr4_fixed0 && !(cr4 & ~vmx_cr4_fixed1);
}

/* CR4.VMXE and VMXON with this CPU's own region. */
static void vmx_init_this_cpu(void)
{
    unsigned int cpu = smp_processor_id();
    uint32_t *region;

    if ( cpu == 0 )
    {
        vmx_usable = vmx_detect();
        if ( vmx_usable )
            p2m_set_hw_format(&p2m_ept_format);
    }
    if ( !vmx_usable )
        return;
    if ( !host_crs_fit() )
        panic("VMX: CPU%u's CR0/CR4 do not meet the VMX fixed bits", cpu);
    if ( !vmxon_region[cpu] )
        vmxon_region[cpu] = alloc_xenheap_pages(0, 0);
    if ( !(region = vmxon_region[cpu]) )
        panic("VMX: no memory for CPU%u's VMXON region", cpu);
    memset(region, 0, PAGE_SIZE);
    region[0] = vmx_revision_id;
    write_cr4(read_cr4() | X86_CR4_VMXE);
    if ( !vmx_on(virt_to_maddr(region)) )
        panic("VMX: VMXON failed on CPU%u", cpu);
}

const struct hvm_funcs vmx_funcs = {
    .name = "vmx",
    .hypercall_is_vmmcall = false,
    .init_this_cpu = vmx_init_this_cpu,
    .print_features = vmx_print_features,
    .vcpu_create = vmx_vcpu_create,
    .vcpu_destroy = vmx_vcpu_destroy,
    .vcpu_reset_pvh = vmx_vcpu_reset_pvh,
    .vcpu_reset_realmode = vmx_vcpu_reset_realmode,
    .vcpu_load_context = vmx_vcpu_load_context,
    .vcpu_load = vmx_vcpu_load,
    .vcpu_put = vmx_vcpu_put,
    .run_loop = vmx_run_loop,
    .dump = vmx_dump_vcpu,
    .get_paging_state = vmx_get_paging_state,
    .get_efer = vmx_get_efer,
    .set_efer = vmx_set_efer,
    .get_pat = vmx_get_pat,
    .set_pat = vmx_set_pat,
    .get_tsc_offset = vmx_get_tsc_offset,
    .set_tsc_offset = vmx_set_tsc_offset,
    .get_gpr = vmx_get_gpr,
    .set_gpr = vmx_set_gpr,
    .get_rflags = vmx_get_rflags,
    .set_rflags = vmx_set_rflags,
};

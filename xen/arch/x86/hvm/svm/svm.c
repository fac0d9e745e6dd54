/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AMD-V (SVM) bring-up: detection, per-CPU enabling, and the feature set
 * the rest of the backend must adapt to.  QEMU's TCG offers SVM with nested
 * paging but no NRIPS, decode assists, clean bits or flush-by-ASID
 * (shared/EMULATORS.md), so each of those is optional here.
 */
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/smp.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/svm.h>
#include <asm/p2m.h>
#include <asm/percpu.h>
#include <asm/processor.h>

static uint32_t svm_features;
static uint32_t svm_nr_asids;
static bool svm_usable;

/* Per CPU: the host save area VMRUN needs (VM_HSAVE_PA). */
static void *hsave_area[NR_CPUS];
/* Per CPU: where svm_vmrun VMSAVEs the host's FS/GS/TR/syscall MSRs. */
static void *host_vmsave_area[NR_CPUS];

paddr_t svm_hsave_pa(unsigned int cpu)
{
    return virt_to_maddr(hsave_area[cpu]);
}

paddr_t svm_host_vmsave_pa(unsigned int cpu)
{
    return virt_to_maddr(host_vmsave_area[cpu]);
}

uint32_t svm_nr_asids_available(void)
{
    return svm_nr_asids;
}

bool svm_available(void)
{
    return svm_usable;
}

uint32_t svm_feature_flags(void)
{
    return svm_features;
}

/* SVM present, not disabled by firmware (VM_CR.SVMDIS), with NPT. */
static bool svm_detect(void)
{
    struct cpuid_regs r;

    if ( !boot_cpu.svm || boot_cpu.max_ext_leaf < 0x8000000a )
        return false;
    if ( rdmsr(MSR_VM_CR) & VM_CR_SVMDIS )
    {
        printk(XENLOG_WARNING "SVM: disabled by firmware (VM_CR.SVMDIS)\n");
        return false;
    }
    cpuid(0x8000000a, &r);
    svm_nr_asids = r.b;
    svm_features = r.d;
    if ( !(svm_features & SVM_FEATURE_NPT) )
    {
        printk(XENLOG_WARNING "SVM: no nested paging: not used\n");
        return false;
    }
    return true;
}

void svm_print_features(void)
{
    if ( !svm_usable )
    {
        printk("SVM: not available\n");
        return;
    }
    printk("SVM: NPT yes, NRIPS %s, decode assists %s, VMCB clean bits %s, "
           "flush-by-ASID %s, %u ASIDs\n",
           svm_features & SVM_FEATURE_NRIPS ? "yes" : "no",
           svm_features & SVM_FEATURE_DECODE ? "yes" : "no",
           svm_features & SVM_FEATURE_VMCB_CLEAN ? "yes" : "no",
           svm_features & SVM_FEATURE_FLUSH_ASID ? "yes" : "no", svm_nr_asids);
}

/* Set EFER.SVME and give this CPU its host save area. */
void svm_init_this_cpu(void)
{
    unsigned int cpu = smp_processor_id();

    if ( cpu == 0 )
    {
        svm_usable = svm_detect();
        p2m_set_hw_format(&p2m_npt_format);
    }
    if ( !svm_usable )
        return;
    if ( !hsave_area[cpu] )
        hsave_area[cpu] = alloc_xenheap_pages(0, 0);
    if ( !host_vmsave_area[cpu] )
        host_vmsave_area[cpu] = alloc_xenheap_pages(0, 0);
    if ( !hsave_area[cpu] || !host_vmsave_area[cpu] )
        panic("SVM: no memory for CPU%u's host save area", cpu);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
    wrmsr(MSR_VM_HSAVE_PA, virt_to_maddr(hsave_area[cpu]));
}

/*
 * Once the machine is up (interrupts and their handlers ready: a probe
 * guest's VMRUN enables them): what the CPU does with V_IRQ, then the
 * optional selftest.
 */
static void svm_after_boot(void)
{
    if ( svm_usable )
        svm_probe_virq();
    svm_selftest();
}

const struct hvm_funcs svm_funcs = {
    .name = "svm",
    .hypercall_is_vmmcall = true,
    .init_this_cpu = svm_init_this_cpu,
    .print_features = svm_print_features,
    .vcpu_create = svm_vcpu_create,
    .vcpu_destroy = svm_vcpu_destroy,
    .vcpu_reset_pvh = svm_vcpu_reset_pvh,
    .vcpu_reset_realmode = svm_vcpu_reset_realmode,
    .vcpu_load_context = svm_vcpu_load_context,
    .vcpu_load = svm_vcpu_load,
    .vcpu_put = svm_vcpu_put,
    .run_loop = svm_run_loop,
    .dump = svm_dump_vcpu,
    .get_paging_state = svm_get_paging_state,
    .get_efer = svm_get_efer,
    .set_efer = svm_set_efer,
    .get_pat = svm_get_pat,
    .set_pat = svm_set_pat,
    .get_tsc_offset = svm_get_tsc_offset,
    .set_tsc_offset = svm_set_tsc_offset,
    .get_gpr = svm_get_gpr,
    .set_gpr = svm_set_gpr,
    .get_rflags = svm_get_rflags,
    .set_rflags = svm_set_rflags,
    .selftest = svm_after_boot,
};

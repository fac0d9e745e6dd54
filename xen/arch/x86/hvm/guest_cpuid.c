/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPUID policy guests see.  The host's answers pass through except:
 *  - leaf 1: the hypervisor-present bit is set (ECX bit 31), x2APIC and
 *    TSC-deadline are offered (the virtual APIC has both), the APIC id is
 *    the vCPU's; VMX is hidden, as are SVM and the nested-virtualisation
 *    leaf (no nested virtualisation), MONITOR/MWAIT (intercepted), and the
 *    machine-check, MTRR and performance-counter features whose MSRs are
 *    not emulated;
 *  - leaf 0xb/0x1f: the x2APIC id is the vCPU's;
 *  - leaf 0xd: only the XSAVE components the hypervisor switches;
 *  - leaves 0x40000000-0x40000005 are Xen's, as Linux expects them to find
 *    Xen ("XenVMMXenVMM", the interface version, the hypercall-page MSR).
 */
#include <xen/string.h>
#include <asm/hvm/guest_cpuid.h>
#include <public/arch-x86-cpuid.h>

#define XEN_ABI_MAJOR 4
#define XEN_ABI_MINOR 17

#define CPUID1_ECX_MONITOR    (1u << 3)
#define CPUID1_ECX_VMX        (1u << 5)
#define CPUID1_ECX_PDCM       (1u << 15)
#define CPUID1_ECX_X2APIC     (1u << 21)
#define CPUID1_ECX_TSC_DEADLINE (1u << 24)
#define CPUID1_ECX_XSAVE      (1u << 26)
#define CPUID1_ECX_OSXSAVE    (1u << 27)
#define CPUID1_ECX_HYPERVISOR (1u << 31)
#define CPUID1_EDX_MCE        (1u << 7)
#define CPUID1_EDX_MTRR       (1u << 12)
#define CPUID1_EDX_MCA        (1u << 14)
#define CPUID1_EDX_ACPI       (1u << 22)
#define CPUID81_ECX_SVM       (1u << 2)
#define CPUID81_ECX_PERFCTR   (1u << 23)
#define CPUID81_EDX_MCE_MTRR  ((1u << 7) | (1u << 12) | (1u << 14))
#define LEAF_SVM              0x8000000a

static void xen_leaf(const struct guest_cpuid_ctx *ctx, uint32_t idx,
                     struct cpuid_regs *r)
{
    memset(r, 0, sizeof(*r));
    switch ( idx )
    {
    case 0:
        r->a = XEN_CPUID_FIRST_LEAF + XEN_CPUID_MAX_NUM_LEAVES;
        r->b = XEN_CPUID_SIGNATURE_EBX;
        r->c = XEN_CPUID_SIGNATURE_ECX;
        r->d = XEN_CPUID_SIGNATURE_EDX;
        break;
    case 1:
        r->a = (XEN_ABI_MAJOR << 16) | XEN_ABI_MINOR;
        break;
    case 2:
        r->a = 1;                                /* one hypercall page */
        r->b = XEN_HYPERCALL_PAGE_MSR;
        break;
    case 3:
        r->c = ctx->tsc_khz;                     /* sub-leaf 0: guest TSC kHz */
        break;
    case 4:
        r->a = XEN_HVM_CPUID_VCPU_ID_PRESENT | XEN_HVM_CPUID_DOMID_PRESENT;
        r->b = ctx->vcpu_id;
        r->c = ctx->domid;
        break;
    }
}

void guest_cpuid(const struct guest_cpuid_ctx *ctx, uint32_t leaf,
                 uint32_t subleaf, struct cpuid_regs *r)
{
    if ( leaf >= XEN_CPUID_FIRST_LEAF &&
         leaf <= XEN_CPUID_FIRST_LEAF + XEN_CPUID_MAX_NUM_LEAVES )
    {
        xen_leaf(ctx, leaf - XEN_CPUID_FIRST_LEAF, r);
        return;
    }
    if ( (leaf >> 16) == 0x4000 )
    {
        memset(r, 0, sizeof(*r));                /* other hypervisor ranges */
        return;
    }
    ctx->host_cpuid(leaf, subleaf, r);
    switch ( leaf )
    {
    case 1:
        r->b = (r->b & 0x00ffffffu) | (ctx->apic_id << 24);
        r->c |= CPUID1_ECX_HYPERVISOR | CPUID1_ECX_X2APIC | CPUID1_ECX_TSC_DEADLINE;
        r->c &= ~(CPUID1_ECX_VMX | CPUID1_ECX_MONITOR | CPUID1_ECX_PDCM);
        if ( !ctx->xcr0_mask )
            r->c &= ~(CPUID1_ECX_XSAVE | CPUID1_ECX_OSXSAVE);
        r->d &= ~(CPUID1_EDX_MCE | CPUID1_EDX_MTRR | CPUID1_EDX_MCA | CPUID1_EDX_ACPI);
        break;
    case 5:
    case 0xa:
        memset(r, 0, sizeof(*r));           /* MONITOR leaf, PMU leaf */
        break;
    case 0xb:
    case 0x1f:
        r->d = ctx->apic_id;
        break;
    case 0xd:
        if ( subleaf == 0 )
        {
            r->a &= (uint32_t)ctx->xcr0_mask;
            r->d &= (uint32_t)(ctx->xcr0_mask >> 32);
        }
        else if ( subleaf >= 2 && subleaf < 64 &&
                  !(ctx->xcr0_mask & (1ULL << subleaf)) )
            memset(r, 0, sizeof(*r));
        break;
    case 0x80000001:
        r->c &= ~(CPUID81_ECX_SVM | CPUID81_ECX_PERFCTR);
        r->d &= ~CPUID81_EDX_MCE_MTRR;
        break;
    case LEAF_SVM:
        memset(r, 0, sizeof(*r));
        break;
    }
}

void hypercall_page_fill(uint8_t *page, bool amd)
{
    unsigned int i;

    for ( i = 0; i < 4096u / HYPERCALL_STUB_SIZE; i++ )
    {
        uint8_t *p = page + i * HYPERCALL_STUB_SIZE;

        memset(p, 0xcc, HYPERCALL_STUB_SIZE);    /* int3 padding */
        p[0] = 0xb8;                             /* mov $i, %eax */
        p[1] = i;
        p[2] = p[3] = p[4] = 0;
        p[5] = 0x0f;                             /* vmmcall / vmcall */
        p[6] = 0x01;
        p[7] = amd ? 0xd9 : 0xc1;
        p[8] = 0xc3;                             /* ret */
    }
}

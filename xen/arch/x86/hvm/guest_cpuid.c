/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPUID policy guests see.  The host's answers pass through except:
 *  - leaf 1: the hypervisor-present bit is set (ECX bit 31), and VMX is
 *    hidden, as are SVM and the nested-virtualisation leaf (no nested
 *    virtualisation here);
 *  - leaves 0x40000000-0x40000005 are Xen's, as Linux expects them to find
 *    Xen ("XenVMMXenVMM", the interface version, the hypercall-page MSR).
 */
#include <xen/string.h>
#include <asm/hvm/guest_cpuid.h>
#include <public/arch-x86-cpuid.h>

#define XEN_ABI_MAJOR 4
#define XEN_ABI_MINOR 17

#define CPUID1_ECX_VMX        (1u << 5)
#define CPUID1_ECX_HYPERVISOR (1u << 31)
#define CPUID81_ECX_SVM       (1u << 2)
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
        r->c = (r->c | CPUID1_ECX_HYPERVISOR) & ~CPUID1_ECX_VMX;
        break;
    case 0x80000001:
        r->c &= ~CPUID81_ECX_SVM;
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

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
 *  - XSAVE (leaves 1, 7 and 0xd): only the components the hypervisor
 *    switches (none: XSAVE, AVX and PKU are hidden); OSXSAVE and OSPKE
 *    follow the guest's CR4, not the hypervisor's; XSAVES and XFD are
 *    hidden (their MSRs, IA32_XSS and XFD, are not emulated);
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
#define CPUID1_ECX_FMA        (1u << 12)
#define CPUID1_ECX_XSAVE      (1u << 26)
#define CPUID1_ECX_OSXSAVE    (1u << 27)
#define CPUID1_ECX_AVX        (1u << 28)
#define CPUID1_ECX_F16C       (1u << 29)
#define CPUID7_EBX_AVX2       (1u << 5)
#define CPUID7_EBX_AVX512F    (1u << 16)
#define CPUID7_ECX_PKU        (1u << 3)
#define CPUID7_ECX_OSPKE      (1u << 4)
/* Leaf 0xd sub-leaf 1 EAX: XSAVEOPT, XSAVEC, XGETBV with ECX=1. */
#define CPUIDD1_EAX_OFFERED   0x7u
#define CR4_PKE               (1ULL << 22)   /* protection keys on */
#define XSAVE_LEGACY_AND_HEADER 576u    /* FXSAVE image + XSAVE header */
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

bool guest_xcr0_valid(uint64_t offered, uint64_t val)
{
    uint64_t avx512 = val & XSTATE_AVX512;

    if ( !(val & XSTATE_X87) || (val & ~offered) )
        return false;
    if ( (val & XSTATE_YMM) && !(val & XSTATE_SSE) )
        return false;
    return !avx512 || (avx512 == XSTATE_AVX512 && (val & XSTATE_YMM));
}

/*
 * The standard-format save area for every offered component: the end of
 * the one that ends last (sub-leaf i gives component i's size in EAX and
 * offset in EBX).  The host's own figure would count components it has
 * but guests are not offered.
 */
static uint32_t xsave_size_for(const struct guest_cpuid_ctx *ctx, uint64_t mask)
{
    uint32_t size = XSAVE_LEGACY_AND_HEADER;
    struct cpuid_regs c;
    unsigned int i;

    for ( i = 2; i < 63; i++ )
    {
        if ( !(mask & (1ULL << i)) )
            continue;
        ctx->host_cpuid(0xd, i, &c);
        if ( c.b + c.a > size )
            size = c.b + c.a;
    }
    return size;
}

/* Leaf 0xd with r holding the host's answer. */
static void xsave_leaf(const struct guest_cpuid_ctx *ctx, uint32_t subleaf,
                       struct cpuid_regs *r)
{
    uint64_t mask = ctx->xcr0_mask;

    if ( !mask || subleaf >= 63 ||
         (subleaf >= 2 && !(mask & (1ULL << subleaf))) )
    {
        memset(r, 0, sizeof(*r));
        return;
    }
    if ( subleaf == 0 )
    {
        r->a &= (uint32_t)mask;
        r->d &= (uint32_t)(mask >> 32);
        /*
         * EBX (size for the XCR0 in force) stays the host's: while the
         * guest runs, and so while its CPUID exits are handled, the CPU
         * has the guest's XCR0.  ECX is the size for everything offered.
         */
        r->c = xsave_size_for(ctx, mask);
    }
    else if ( subleaf == 1 )
    {
        /* No XSAVES (no IA32_XSS), so no supervisor components either. */
        r->a &= CPUIDD1_EAX_OFFERED;
        r->c = r->d = 0;
    }
}

/* Features that need a component the guest is not offered are hidden. */
static void xsave_features(const struct guest_cpuid_ctx *ctx, uint32_t leaf,
                           struct cpuid_regs *r)
{
    uint64_t mask = ctx->xcr0_mask;

    if ( leaf == 1 )
    {
        r->c &= ~CPUID1_ECX_OSXSAVE;
        if ( !mask )
            r->c &= ~CPUID1_ECX_XSAVE;
        else if ( ctx->guest_cr4 & X86_CR4_OSXSAVE )
            r->c |= CPUID1_ECX_OSXSAVE;
        if ( !(mask & XSTATE_YMM) )
            r->c &= ~(CPUID1_ECX_AVX | CPUID1_ECX_FMA | CPUID1_ECX_F16C);
        return;
    }
    /* Leaf 7 sub-leaf 0. */
    if ( !(mask & XSTATE_YMM) )
        r->b &= ~CPUID7_EBX_AVX2;
    if ( (mask & XSTATE_AVX512) != XSTATE_AVX512 )
        r->b &= ~CPUID7_EBX_AVX512F;
    r->c &= ~CPUID7_ECX_OSPKE;
    if ( !(mask & XSTATE_PKRU) )
        r->c &= ~CPUID7_ECX_PKU;
    else if ( (r->c & CPUID7_ECX_PKU) && (ctx->guest_cr4 & CR4_PKE) )
        r->c |= CPUID7_ECX_OSPKE;
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
        xsave_features(ctx, leaf, r);
        r->d &= ~(CPUID1_EDX_MCE | CPUID1_EDX_MTRR | CPUID1_EDX_MCA | CPUID1_EDX_ACPI);
        break;
    case 7:
        if ( subleaf == 0 )
            xsave_features(ctx, leaf, r);
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
        xsave_leaf(ctx, subleaf, r);
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

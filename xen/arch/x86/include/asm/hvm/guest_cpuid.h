/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a guest sees when it executes CPUID, and the hypercall page it asks
 * for: vendor-neutral, used by both the SVM and the VMX backends.
 */
#ifndef ASM_HVM_GUEST_CPUID_H
#define ASM_HVM_GUEST_CPUID_H

#include <xen/types.h>
#include <asm/processor.h>

struct guest_cpuid_ctx {
    uint16_t domid;
    uint32_t vcpu_id;
    uint32_t tsc_khz;
    uint32_t apic_id;           /* the vCPU's (x2)APIC id */
    uint64_t xcr0_mask;         /* XSAVE components guests may enable (0: none) */
    uint64_t guest_cr4;         /* for the OSXSAVE and OSPKE bits */
    /* The host's answer for a leaf (the CPU, or a test's table). */
    void (*host_cpuid)(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r);
};

void guest_cpuid(const struct guest_cpuid_ctx *ctx, uint32_t leaf,
                 uint32_t subleaf, struct cpuid_regs *r);

/* XSAVE state components (XCR0 bits) the policy reasons about. */
#define XSTATE_X87        (1ULL << 0)
#define XSTATE_SSE        (1ULL << 1)
#define XSTATE_YMM        (1ULL << 2)
#define XSTATE_AVX512     (7ULL << 5)       /* opmask, ZMM_Hi256, Hi16_ZMM */
#define XSTATE_PKRU       (1ULL << 9)

/*
 * Whether a guest may load val into XCR0 when offered the components in
 * offered: x87 always on, nothing unoffered, AVX only with SSE, AVX-512's
 * three components together and only with AVX (the SDM's XSETBV rules).
 */
bool guest_xcr0_valid(uint64_t offered, uint64_t val);

/*
 * Fill a hypercall page: 32-byte stubs "mov $nr, %eax; <vmcall>; ret",
 * where vmcall is VMMCALL on AMD and VMCALL on Intel.
 */
#define HYPERCALL_STUB_SIZE 32
void hypercall_page_fill(uint8_t *page, bool amd);

#endif

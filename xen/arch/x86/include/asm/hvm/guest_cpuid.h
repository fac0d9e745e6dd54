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
    /* The host's answer for a leaf (the CPU, or a test's table). */
    void (*host_cpuid)(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r);
};

void guest_cpuid(const struct guest_cpuid_ctx *ctx, uint32_t leaf,
                 uint32_t subleaf, struct cpuid_regs *r);

/*
 * Fill a hypercall page: 32-byte stubs "mov $nr, %eax; <vmcall>; ret",
 * where vmcall is VMMCALL on AMD and VMCALL on Intel.
 */
#define HYPERCALL_STUB_SIZE 32
void hypercall_page_fill(uint8_t *page, bool amd);

#endif

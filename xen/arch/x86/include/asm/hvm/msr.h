/* SPDX-License-Identifier: GPL-2.0 */
/* Guest RDMSR/WRMSR: 0, or -EINVAL when the guest must get #GP. */
#ifndef ASM_HVM_MSR_H
#define ASM_HVM_MSR_H

#include <xen/types.h>

struct vcpu;
int guest_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *val);
int guest_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val);
/* CPUID at this CPL is #GP(0): the guest turned CPUID faulting on. */
bool guest_cpuid_faults(struct vcpu *v, unsigned int cpl);

#endif

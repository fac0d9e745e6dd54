/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest FPU/SSE/AVX state.  The hypervisor itself never touches these
 * registers (it is built without SSE), so a vCPU's state only has to be
 * saved when its CPU turns to another vCPU, and restored when it runs.
 */
#ifndef ASM_HVM_XSTATE_H
#define ASM_HVM_XSTATE_H

#include <xen/types.h>

struct vcpu;

/* Once on each CPU: CR4.OSFXSR/OSXSAVE and the full XCR0. */
void xstate_init_this_cpu(void);
int xstate_vcpu_init(struct vcpu *v);
void xstate_vcpu_destroy(struct vcpu *v);
/* Load v's registers before it runs; save them after. */
void xstate_load(struct vcpu *v);
void xstate_save(struct vcpu *v);
/* XSETBV from the guest: 0, or -EINVAL for #GP. */
int xstate_set_xcr0(struct vcpu *v, uint32_t index, uint64_t val);
/* The XCR0 bits guests may enable. */
uint64_t xstate_guest_mask(void);
void xstate_print(void);

#endif

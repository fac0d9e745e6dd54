/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reaching a vCPU's memory from the hypervisor: by guest-physical address
 * through the domain's p2m, or by linear address through the guest's own
 * page tables first (hypercall buffers, instruction bytes).  Every access
 * is bounds-checked page by page and fails with -EFAULT, never a host fault.
 */
#ifndef ASM_HVM_GUEST_ACCESS_H
#define ASM_HVM_GUEST_ACCESS_H

#include <xen/hypercall.h>
#include <xen/types.h>

struct vcpu;
struct domain;

int gpa_copy_to(struct domain *d, uint64_t gpa, const void *src, size_t len);
int gpa_copy_from(struct domain *d, void *dst, uint64_t gpa, size_t len);

/* Linear-address copies as the vCPU's kernel would see them. */
int linear_copy_to(struct vcpu *v, uint64_t la, const void *src, size_t len);
int linear_copy_from(struct vcpu *v, void *dst, uint64_t la, size_t len,
                     bool insn_fetch);

/* A guest_mem for hypercalls made by v (linear addresses). */
struct vcpu_guest_mem {
    struct guest_mem ops;
    struct vcpu *v;
};
void hvm_dump_translation(struct vcpu *v, const char *what, uint64_t la);
void vcpu_guest_mem_init(struct vcpu_guest_mem *gm, struct vcpu *v);

#endif /* ASM_HVM_GUEST_ACCESS_H */

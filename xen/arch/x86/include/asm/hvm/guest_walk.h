/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest page-table walker: translates a guest-linear address to a
 * guest-physical one in software, the way the guest's MMU would, so the
 * hypervisor can reach hypercall buffers and instruction bytes that the
 * guest names by linear address.
 */
#ifndef ASM_HVM_GUEST_WALK_H
#define ASM_HVM_GUEST_WALK_H

#include <xen/types.h>

/* The guest's control state that selects and steers the paging mode. */
struct guest_paging_state {
    uint64_t cr0, cr3, cr4, efer;
};

/* Guest-physical memory access for the walker; return 0 or -EFAULT. */
struct guest_walk_ops {
    int (*read)(void *ctx, uint64_t gpa, void *buf, unsigned int len);
    /* optional (may be NULL): used to set Accessed/Dirty bits in entries */
    int (*write)(void *ctx, uint64_t gpa, const void *buf, unsigned int len);
    void *ctx;
};

#define PFEC_PRESENT (1u << 0)   /* x86 page-fault error code bits */
#define PFEC_WRITE   (1u << 1)
#define PFEC_USER    (1u << 2)
#define PFEC_RSVD    (1u << 3)
#define PFEC_INSN    (1u << 4)

/*
 * Translate linear address `la` for an access of kind `access` (PFEC_WRITE |
 * PFEC_USER | PFEC_INSN, or 0 for a supervisor read).
 * Returns 0 and *gpa on success;
 * -EFAULT if a paging-structure read hit guest-physical memory the ops cannot
 * read;
 * -EINVAL with *pfec set to the page-fault error code the guest would get (a
 * #PF), including non-canonical addresses in long mode (those would be #GP in
 * hardware; they are reported as -EINVAL with *pfec = 0).
 */
int guest_walk(const struct guest_paging_state *s, const struct guest_walk_ops *ops,
               uint64_t la, unsigned int access, uint64_t *gpa, uint32_t *pfec);

#endif /* ASM_HVM_GUEST_WALK_H */

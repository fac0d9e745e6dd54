/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypercall dispatch.  Every hypercall goes through hypercall_dispatch():
 * one table, indexed by number, whose rows say which function handles it
 * and whether only the control domain may call it.  Guest memory is
 * reached only through the caller's guest_mem accessors, which translate
 * and bounds-check and fail with -EFAULT.
 */
#ifndef XEN_HYPERCALL_H
#define XEN_HYPERCALL_H

#include <xen/types.h>

#define HYPERCALL_MAX_ARGS 5

/* How to reach the calling guest's memory (by guest address). */
struct guest_mem {
    int (*copy_to)(struct guest_mem *gm, uint64_t gaddr, const void *src,
                   size_t len);
    int (*copy_from)(struct guest_mem *gm, void *dst, uint64_t gaddr,
                     size_t len);
};

struct domain;
struct vcpu;

struct hypercall_ctx {
    bool privileged;            /* the control domain */
    struct domain *domain;      /* the caller (NULL in self-tests) */
    struct vcpu *vcpu;          /* the calling vCPU (NULL in self-tests) */
    struct guest_mem *mem;
};

typedef long (*hypercall_fn_t)(struct hypercall_ctx *ctx, const uint64_t *args);

long hypercall_dispatch(struct hypercall_ctx *ctx, uint64_t nr,
                        const uint64_t args[HYPERCALL_MAX_ARGS]);

static inline int copy_to_guest(struct hypercall_ctx *ctx, uint64_t gaddr,
                                const void *src, size_t len)
{
    return ctx->mem->copy_to(ctx->mem, gaddr, src, len);
}

static inline int copy_from_guest(struct hypercall_ctx *ctx, void *dst,
                                  uint64_t gaddr, size_t len)
{
    return ctx->mem->copy_from(ctx->mem, dst, gaddr, len);
}

/* Handlers, one per hypercall family, in their subsystem's file. */
long do_xen_version(struct hypercall_ctx *ctx, const uint64_t *args);
long do_console_io(struct hypercall_ctx *ctx, const uint64_t *args);
long do_sched_op(struct hypercall_ctx *ctx, const uint64_t *args);
long do_event_channel_op(struct hypercall_ctx *ctx, const uint64_t *args);
long do_hvm_op(struct hypercall_ctx *ctx, const uint64_t *args);
long do_memory_op(struct hypercall_ctx *ctx, const uint64_t *args);
long do_vcpu_op(struct hypercall_ctx *ctx, const uint64_t *args);
long do_grant_table_op(struct hypercall_ctx *ctx, const uint64_t *args);
long do_domctl(struct hypercall_ctx *ctx, const uint64_t *args);
long do_sysctl(struct hypercall_ctx *ctx, const uint64_t *args);
long do_platform_op(struct hypercall_ctx *ctx, const uint64_t *args);
long do_physdev_op(struct hypercall_ctx *ctx, const uint64_t *args);

/* VCPUOP_initialise: load v's first register state from the guest. */
long arch_vcpu_initialise(struct hypercall_ctx *ctx, struct vcpu *v,
                          uint64_t arg);

#endif /* XEN_HYPERCALL_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypercall dispatch.  Every hypercall goes through hypercall_dispatch():
 * one table, indexed by number, whose rows say which function handles it
 * and whether only the control domain may call it.  Guest memory is
 * reached only through the caller's guest_mem accessors, which translate
 * and bounds-check and fail with -EFAULT.
 *
 * Continuations, as Xen has them: a handler with more work than one call
 * should do (a long batch) does a part and returns hypercall_continue()
 * with the arguments that describe the rest.  The arch side then writes
 * those into the guest's argument registers and leaves its instruction
 * pointer on the hypercall instruction, so the guest, once it runs again
 * (after the interrupts, events and other vCPUs that were due), makes the
 * rest of the call itself.  The guest sees one call that returns when all
 * is done; it reads nothing back but the result, and its argument
 * registers are clobbered, as Xen's ABI allows.
 */
#ifndef XEN_HYPERCALL_H
#define XEN_HYPERCALL_H

#include <xen/types.h>

#define HYPERCALL_MAX_ARGS 5

/*
 * What a continued handler returns, just below the errno range (-1 to
 * -4095).  It is never given to the guest: ctx->continued, which only
 * hypercall_continue() sets, is what the arch side looks at.
 */
#define HYPERCALL_CONTINUATION (-4096L - 1)

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
    /* Other work waits on this CPU (a softirq); NULL: never asks. */
    bool (*preempt_wanted)(void);
    /* Set by hypercall_continue(): the arguments to call again with. */
    bool continued;
    uint64_t next_args[HYPERCALL_MAX_ARGS];
};

typedef long (*hypercall_fn_t)(struct hypercall_ctx *ctx, const uint64_t *args);

long hypercall_dispatch(struct hypercall_ctx *ctx, uint64_t nr,
                        const uint64_t args[HYPERCALL_MAX_ARGS]);

/*
 * Make the same hypercall again with args (all of them: the guest's
 * registers get exactly these).  The handler returns what this returns.
 */
static inline long hypercall_continue(struct hypercall_ctx *ctx,
                                      const uint64_t args[HYPERCALL_MAX_ARGS])
{
    unsigned int i;

    for ( i = 0; i < HYPERCALL_MAX_ARGS; i++ )
        ctx->next_args[i] = args[i];
    ctx->continued = true;
    return HYPERCALL_CONTINUATION;
}

/* Whether a handler that has made progress should continue now. */
static inline bool hypercall_preempt_check(struct hypercall_ctx *ctx)
{
    return ctx->preempt_wanted && ctx->preempt_wanted();
}

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

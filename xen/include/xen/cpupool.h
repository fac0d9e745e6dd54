/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU pools (common/sched/cpupool.c), the model Xen's toolstack expects:
 * pool 0 exists from boot, holds every CPU and every domain and runs the
 * credit scheduler.  Further pools can be made and destroyed, but stay
 * empty: moving CPUs between pools needs a scheduler that keeps a pool's
 * vCPUs on its own CPUs, which ours does not do yet.
 */
#ifndef XEN_CPUPOOL_H
#define XEN_CPUPOOL_H

#include <xen/hypercall.h>
#include <xen/sched_credit.h>
#include <public/sysctl.h>

/* A set of CPUs, as the toolstack's bitmaps carry them. */
#define CPUMAP_BYTES (CSCHED_MAX_CPUS / 8)
typedef struct { uint8_t bytes[CPUMAP_BYTES]; } cpumap_t;
void cpumap_online(cpumap_t *cpus);
int cpumap_from_guest(struct hypercall_ctx *ctx, const struct xenctl_bitmap *map,
                      cpumap_t *cpus);
int cpumap_to_guest(struct hypercall_ctx *ctx, const struct xenctl_bitmap *map,
                    const cpumap_t *cpus);

/* XEN_SYSCTL_cpupool_op; op was copied in, the caller copies it out. */
long cpupool_do_sysctl(struct hypercall_ctx *ctx, struct xen_sysctl_cpupool_op *op);
/* XEN_SYSCTL_scheduler_op: a pool's scheduler parameters. */
long cpupool_sched_op(struct xen_sysctl_scheduler_op *op);
/* Whether a new domain may go into pool `id` (createdomain's cpupool_id). */
bool cpupool_can_hold_domains(uint32_t id);

#endif /* XEN_CPUPOOL_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared between the domctl and sysctl handlers: the toolstack's view of a
 * domain, and the arch half of `xl info`.
 */
#ifndef XEN_DOMCTL_H
#define XEN_DOMCTL_H

struct domain_info;
struct xen_domctl_getdomaininfo;
struct xen_sysctl_physinfo;

void domctl_fill_info(const struct domain_info *in,
                      struct xen_domctl_getdomaininfo *out);
/* CPUs, TSC frequency and CPUID feature words. */
void arch_physinfo(struct xen_sysctl_physinfo *pi);
struct hypercall_ctx;
struct xen_sysctl_cputopoinfo;
/* XEN_SYSCTL_cputopoinfo: the CPUs' topology, as arch_physinfo counts it. */
long arch_cputopoinfo(struct hypercall_ctx *ctx, struct xen_sysctl_cputopoinfo *ti);

#endif

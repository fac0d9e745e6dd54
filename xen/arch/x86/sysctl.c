/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 half of XEN_SYSCTL_physinfo: topology as the hypervisor counts
 * it (each CPU its own core; no SMT or NUMA knowledge yet), the TSC
 * frequency, and the CPUID words `xl info` prints as hw_caps, in Xen's
 * featureset order.  And XEN_SYSCTL_cputopoinfo, by the same count.
 */
#include <xen/domctl.h>
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <public/sysctl.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/time.h>

void arch_physinfo(struct xen_sysctl_physinfo *pi)
{
    struct cpuid_regs r;
    uint32_t max_ext;

    pi->nr_cpus = nr_cpus_online;
    pi->max_cpu_id = nr_cpus_online - 1;
    pi->threads_per_core = 1;
    pi->cores_per_socket = nr_cpus_online;
    pi->cpu_khz = cpu_khz;
    cpuid(1, &r);
    pi->hw_cap[0] = r.d;
    pi->hw_cap[1] = r.c;
    cpuid(0x80000000, &r);
    max_ext = r.a;
    if ( max_ext >= 0x80000001 )
    {
        cpuid(0x80000001, &r);
        pi->hw_cap[2] = r.d;
        pi->hw_cap[3] = r.c;
    }
    cpuid(0, &r);
    if ( r.a >= 0xd )
    {
        cpuid_count(0xd, 1, &r);
        pi->hw_cap[4] = r.a;
    }
    cpuid(0, &r);
    if ( r.a >= 7 )
    {
        cpuid_count(7, 0, &r);
        pi->hw_cap[5] = r.b;
        pi->hw_cap[6] = r.c;
    }
    if ( max_ext >= 0x80000007 )
    {
        cpuid(0x80000007, &r);
        pi->hw_cap[7] = r.d;
    }
}

/* Each CPU its own core of socket 0, on node 0 (as physinfo says). */
long arch_cputopoinfo(struct hypercall_ctx *ctx, struct xen_sysctl_cputopoinfo *ti)
{
    unsigned int cpu, n = nr_cpus_online;

    if ( ti->cputopo.q )
    {
        if ( n > ti->num_cpus )
            n = ti->num_cpus;
        for ( cpu = 0; cpu < n; cpu++ )
        {
            struct xen_sysctl_cputopo t = { .core = cpu, .socket = 0, .node = 0 };

            if ( copy_to_guest(ctx, ti->cputopo.q + cpu * sizeof(t), &t, sizeof(t)) )
                return -EFAULT;
        }
    }
    ti->num_cpus = n;
    return 0;
}

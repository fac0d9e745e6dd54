/* SPDX-License-Identifier: GPL-2.0 */
/*
 * __HYPERVISOR_sysctl(struct xen_sysctl *): host-wide queries and controls
 * for the control domain.  Numbers, the interface version and layouts are
 * Xen 4.17's (XEN_SYSCTL_INTERFACE_VERSION 0x15); only the commands
 * Tonnerre's toolstack uses are described.  Like xen_domctl, the argument
 * is a command, the caller's interface version (anything else: -EACCES)
 * and a 128-byte union, with 64-bit guest handles for buffers.
 */
#ifndef PUBLIC_SYSCTL_H
#define PUBLIC_SYSCTL_H

#include <stdint.h>
#include "domctl.h"         /* domid_t, guest handles, getdomaininfo */

#define XEN_SYSCTL_INTERFACE_VERSION 0x00000015

#ifndef __ASSEMBLY__

/*
 * XEN_SYSCTL_readconsole: copy out the hypervisor's console ring.  Without
 * incremental the copy starts at the oldest byte still held; with it, at
 * index, and index comes back as where the next read should start.
 */
struct xen_sysctl_readconsole {
    uint8_t  clear;                 /* IN: empty the ring after reading */
    uint8_t  incremental;           /* IN: start at index */
    uint8_t  pad0, pad1;
    uint32_t index;                 /* IN/OUT */
    XEN_GUEST_HANDLE_64(char) buffer;
    uint32_t count;                 /* IN: buffer size; OUT: bytes written */
};

/* XEN_SYSCTL_physinfo */
#define XEN_SYSCTL_PHYSCAP_hvm       (1u << 0)
#define XEN_SYSCTL_PHYSCAP_pv        (1u << 1)
#define XEN_SYSCTL_PHYSCAP_directio  (1u << 2)
#define XEN_SYSCTL_PHYSCAP_hap       (1u << 3)
#define XEN_SYSCTL_PHYSCAP_shadow    (1u << 4)
#define XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share (1u << 5)
#define XEN_SYSCTL_PHYSCAP_vmtrace   (1u << 6)
#define XEN_SYSCTL_PHYSCAP_vpmu      (1u << 7)
#define XEN_SYSCTL_PHYSCAP_gnttab_v1 (1u << 8)
#define XEN_SYSCTL_PHYSCAP_gnttab_v2 (1u << 9)
#define XEN_SYSCTL_PHYSCAP_MAX       XEN_SYSCTL_PHYSCAP_gnttab_v2

struct xen_sysctl_physinfo {
    uint32_t threads_per_core;
    uint32_t cores_per_socket;
    uint32_t nr_cpus;               /* CPUs online */
    uint32_t max_cpu_id;            /* highest possible CPU number */
    uint32_t nr_nodes;              /* NUMA nodes online */
    uint32_t max_node_id;
    uint32_t cpu_khz;
    uint32_t capabilities;          /* XEN_SYSCTL_PHYSCAP_* */
    uint32_t arch_capabilities;     /* none defined for x86 in 4.17 */
    uint32_t pad;
    uint64_aligned_t total_pages;   /* 4 KiB pages of host RAM */
    uint64_aligned_t free_pages;
    uint64_aligned_t scrub_pages;
    uint64_aligned_t outstanding_pages;
    uint64_aligned_t max_mfn;       /* highest possible machine frame */
    uint32_t hw_cap[8];             /* CPUID feature words, as `xl info` prints */
};

/* XEN_SYSCTL_sched_id: which scheduler runs (XEN_SCHEDULER_*). */
struct xen_sysctl_sched_id {
    uint32_t sched_id;              /* OUT */
};

/*
 * XEN_SYSCTL_getdomaininfolist: up to max_domains entries for the domains
 * with id >= first_domain, in ascending id order.
 */
struct xen_sysctl_getdomaininfolist {
    domid_t  first_domain;          /* IN */
    uint32_t max_domains;           /* IN: room in buffer */
    XEN_GUEST_HANDLE_64(struct xen_domctl_getdomaininfo) buffer;
    uint32_t num_domains;           /* OUT: entries written */
};

/*
 * XEN_SYSCTL_cputopoinfo: core, socket and NUMA node of each CPU, for up to
 * num_cpus entries; num_cpus comes back as the number of CPUs.  A null
 * handle only asks for that number.  (~0: unknown, or no such CPU.)
 */
#define XEN_INVALID_CORE_ID     (~0u)
#define XEN_INVALID_SOCKET_ID   (~0u)
#define XEN_INVALID_NODE_ID     (~0u)
struct xen_sysctl_cputopo {
    uint32_t core;
    uint32_t socket;
    uint32_t node;
};
struct xen_sysctl_cputopoinfo {
    uint32_t num_cpus;              /* IN: room in cputopo; OUT: CPUs */
    XEN_GUEST_HANDLE_64(struct xen_sysctl_cputopo) cputopo;
};

/*
 * XEN_SYSCTL_numainfo: each node's memory (bytes) and the distance matrix
 * (node i to j at i * N + j, N the num_nodes returned), for up to
 * num_nodes nodes; both handles null only asks for the number of nodes.
 */
#define XEN_INVALID_MEM_SZ      (~0u)
#define XEN_INVALID_NODE_DIST   (~0u)
struct xen_sysctl_meminfo {
    uint64_aligned_t memsize;
    uint64_aligned_t memfree;
};
struct xen_sysctl_numainfo {
    uint32_t num_nodes;             /* IN: room; OUT: nodes */
    XEN_GUEST_HANDLE_64(struct xen_sysctl_meminfo) meminfo;
    XEN_GUEST_HANDLE_64(uint32_t) distance;
};


/*
 * XEN_SYSCTL_cpupool_op: CPU pools, each a set of CPUs with a scheduler of
 * its own and the domains that run on them (xl cpupool-*; libxl looks up
 * a new domain's pool here).  Fields used per op, as the letters say:
 * Create, Destroy, Info, Addcpu, Rmcpu, Movedomain, Freeinfo.  INFO answers
 * for the pool with the lowest id >= cpupool_id (callers walk the pools
 * with it); FREEINFO gives the CPUs in no pool.  PAR_ANY as cpupool_id of
 * CREATE: any free id; as cpu of ADDCPU/RMCPU: any suitable CPU.
 * Errors: -ENOENT no such pool; -EEXIST (C) the id is taken; -EBUSY (D, R)
 * the pool still has domains or CPUs; -EINVAL (A, R) no such CPU, (M) a
 * domain that cannot move; -ENODEV (A) the CPU is not free, (R) not in
 * the pool; -ENOSYS an unknown op.
 */
#define XEN_SYSCTL_CPUPOOL_OP_CREATE      1
#define XEN_SYSCTL_CPUPOOL_OP_DESTROY     2
#define XEN_SYSCTL_CPUPOOL_OP_INFO        3
#define XEN_SYSCTL_CPUPOOL_OP_ADDCPU      4
#define XEN_SYSCTL_CPUPOOL_OP_RMCPU       5
#define XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN  6
#define XEN_SYSCTL_CPUPOOL_OP_FREEINFO    7
#define XEN_SYSCTL_CPUPOOL_PAR_ANY        0xffffffffu
struct xen_sysctl_cpupool_op {
    uint32_t op;                    /* IN: XEN_SYSCTL_CPUPOOL_OP_* */
    uint32_t cpupool_id;            /* IN: CDIARM; OUT: CI */
    uint32_t sched_id;              /* IN: C; OUT: I (XEN_SCHEDULER_*) */
    uint32_t domid;                 /* IN: M */
    uint32_t cpu;                   /* IN: AR */
    uint32_t n_dom;                 /* OUT: I, domains in the pool */
    struct xenctl_bitmap cpumap;    /* OUT: I (the pool's CPUs), F (free ones) */
};

/*
 * XEN_SYSCTL_scheduler_op: a CPU pool's scheduler-wide parameters (xl
 * sched-credit without -d).  sched_id must be the pool's scheduler.
 * For credit: the time slice, the context-switch rate limit (0: none) and
 * how long a vCPU stays cache-hot on its CPU.
 */
#define XEN_SYSCTL_SCHEDOP_putinfo 0
#define XEN_SYSCTL_SCHEDOP_getinfo 1
#define XEN_SYSCTL_SCHED_RATELIMIT_MAX   500000
#define XEN_SYSCTL_SCHED_RATELIMIT_MIN   100
#define XEN_SYSCTL_CSCHED_TSLICE_MAX     1000
#define XEN_SYSCTL_CSCHED_TSLICE_MIN     1
#define XEN_SYSCTL_CSCHED_MGR_DLY_MAX_US (100 * 1000)
struct xen_sysctl_credit_schedule {
    uint32_t tslice_ms;
    uint32_t ratelimit_us;
    uint32_t vcpu_migr_delay_us;
};
struct xen_sysctl_scheduler_op {
    uint32_t cpupool_id;            /* IN */
    uint32_t sched_id;              /* IN: XEN_SCHEDULER_* */
    uint32_t cmd;                   /* IN: XEN_SYSCTL_SCHEDOP_* */
    union {
        uint64_aligned_t arinc653_schedule;     /* a guest handle (ARINC 653) */
        struct xen_sysctl_credit_schedule sched_credit;
        uint32_t credit2_ratelimit_us;
    } u;                            /* IN for putinfo, OUT */
};

struct xen_sysctl {
    uint32_t cmd;
#define XEN_SYSCTL_readconsole          1
#define XEN_SYSCTL_tbuf_op              2
#define XEN_SYSCTL_physinfo             3
#define XEN_SYSCTL_sched_id             4
#define XEN_SYSCTL_perfc_op             5
#define XEN_SYSCTL_getdomaininfolist    6
#define XEN_SYSCTL_debug_keys           7
#define XEN_SYSCTL_getcpuinfo           8
#define XEN_SYSCTL_availheap            9
#define XEN_SYSCTL_get_pmstat          10
#define XEN_SYSCTL_cpu_hotplug         11
#define XEN_SYSCTL_pm_op               12
#define XEN_SYSCTL_page_offline_op     14
#define XEN_SYSCTL_lockprof_op         15
#define XEN_SYSCTL_cputopoinfo         16
#define XEN_SYSCTL_numainfo            17
#define XEN_SYSCTL_cpupool_op          18
#define XEN_SYSCTL_scheduler_op        19
#define XEN_SYSCTL_coverage_op         20
#define XEN_SYSCTL_psr_cmt_op          21
#define XEN_SYSCTL_pcitopoinfo         22
#define XEN_SYSCTL_psr_alloc           23
#define XEN_SYSCTL_get_cpu_levelling_caps 25
#define XEN_SYSCTL_get_cpu_featureset  26
#define XEN_SYSCTL_livepatch_op        27
#define XEN_SYSCTL_get_cpu_policy      29
    uint32_t interface_version;     /* XEN_SYSCTL_INTERFACE_VERSION */
    union {
        struct xen_sysctl_readconsole       readconsole;
        struct xen_sysctl_physinfo          physinfo;
        struct xen_sysctl_sched_id          sched_id;
        struct xen_sysctl_getdomaininfolist getdomaininfolist;
        struct xen_sysctl_cpupool_op        cpupool_op;
        struct xen_sysctl_cputopoinfo       cputopoinfo;
        struct xen_sysctl_numainfo          numainfo;
        struct xen_sysctl_scheduler_op      scheduler_op;
        uint8_t                             pad[128];   /* fixes the size */
    } u;
};

/*
 * Layout checks, computed as in domctl.h (x86-64 alignment rules applied
 * to Xen 4.17's field order; the same numbers come out of Xen's headers).
 * physinfo: ten uint32_t 0..39, five 8-byte counters 40..79, hw_cap
 * 80..111 => 112.  cputopo: three uint32_t => 12; cputopoinfo: num_cpus 0,
 * handle 8 => 16; meminfo 16; numainfo: num_nodes 0, handles 8, 16 => 24.
 * * scheduler_op: three uint32_t, the 8-aligned 16-byte union at 16 => 32.
 * cpupool_op: six uint32_t 0..23, the 8-aligned bitmap at 24 => 40.
 * xen_sysctl: cmd 0, interface_version 4, the 8-aligned
 * union at 8 (128 bytes) => 136.
 */
DOMCTL_CHECK_SIZE(struct xen_sysctl_readconsole, 24);
DOMCTL_CHECK_OFF(struct xen_sysctl_readconsole, index, 4);
DOMCTL_CHECK_OFF(struct xen_sysctl_readconsole, buffer, 8);
DOMCTL_CHECK_OFF(struct xen_sysctl_readconsole, count, 16);

DOMCTL_CHECK_SIZE(struct xen_sysctl_physinfo, 112);
DOMCTL_CHECK_OFF(struct xen_sysctl_physinfo, cpu_khz, 24);
DOMCTL_CHECK_OFF(struct xen_sysctl_physinfo, capabilities, 28);
DOMCTL_CHECK_OFF(struct xen_sysctl_physinfo, total_pages, 40);
DOMCTL_CHECK_OFF(struct xen_sysctl_physinfo, free_pages, 48);
DOMCTL_CHECK_OFF(struct xen_sysctl_physinfo, max_mfn, 72);
DOMCTL_CHECK_OFF(struct xen_sysctl_physinfo, hw_cap, 80);

DOMCTL_CHECK_SIZE(struct xen_sysctl_sched_id, 4);

DOMCTL_CHECK_SIZE(struct xen_sysctl_getdomaininfolist, 24);
DOMCTL_CHECK_OFF(struct xen_sysctl_getdomaininfolist, max_domains, 4);
DOMCTL_CHECK_OFF(struct xen_sysctl_getdomaininfolist, buffer, 8);
DOMCTL_CHECK_OFF(struct xen_sysctl_getdomaininfolist, num_domains, 16);

DOMCTL_CHECK_SIZE(struct xen_sysctl_credit_schedule, 12);
DOMCTL_CHECK_SIZE(struct xen_sysctl_scheduler_op, 32);
DOMCTL_CHECK_OFF(struct xen_sysctl_scheduler_op, u, 16);

DOMCTL_CHECK_SIZE(struct xen_sysctl_cputopo, 12);
DOMCTL_CHECK_SIZE(struct xen_sysctl_cputopoinfo, 16);
DOMCTL_CHECK_OFF(struct xen_sysctl_cputopoinfo, cputopo, 8);
DOMCTL_CHECK_SIZE(struct xen_sysctl_meminfo, 16);
DOMCTL_CHECK_SIZE(struct xen_sysctl_numainfo, 24);
DOMCTL_CHECK_OFF(struct xen_sysctl_numainfo, meminfo, 8);
DOMCTL_CHECK_OFF(struct xen_sysctl_numainfo, distance, 16);

DOMCTL_CHECK_SIZE(struct xen_sysctl_cpupool_op, 40);
DOMCTL_CHECK_OFF(struct xen_sysctl_cpupool_op, domid, 12);
DOMCTL_CHECK_OFF(struct xen_sysctl_cpupool_op, n_dom, 20);
DOMCTL_CHECK_OFF(struct xen_sysctl_cpupool_op, cpumap, 24);

DOMCTL_CHECK_SIZE(struct xen_sysctl, 136);
DOMCTL_CHECK_OFF(struct xen_sysctl, interface_version, 4);
DOMCTL_CHECK_OFF(struct xen_sysctl, u, 8);

#endif /* __ASSEMBLY__ */

#endif /* PUBLIC_SYSCTL_H */

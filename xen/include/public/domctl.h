/* SPDX-License-Identifier: GPL-2.0 */
/*
 * __HYPERVISOR_domctl(struct xen_domctl *): the control domain creates,
 * pauses, inspects and destroys other domains.  Command numbers, the
 * interface version and every layout below are Xen 4.17's
 * (XEN_DOMCTL_INTERFACE_VERSION 0x15), so a toolstack built against Xen's
 * headers and ours agree byte for byte.  Only the commands Tonnerre's
 * toolstack uses are described; the others keep their numbers out of use.
 *
 * The argument is one struct xen_domctl: a command, the interface version
 * the caller was built for (the hypervisor refuses any other with -EACCES),
 * the target domain, and a 128-byte union holding the command's data.
 * Pointers inside it ("guest handles") are always 64 bits wide, whatever the
 * caller's word size, so one layout serves 32- and 64-bit toolstacks.
 */
#ifndef PUBLIC_DOMCTL_H
#define PUBLIC_DOMCTL_H

#include <stdint.h>
#include "vcpu.h"           /* struct vcpu_hvm_context */

#define XEN_DOMCTL_INTERFACE_VERSION 0x00000015

#ifndef __ASSEMBLY__

typedef uint16_t domid_t;
typedef uint8_t xen_domain_handle_t[16];       /* the domain's UUID */

/*
 * A 64-bit field that is 8-byte aligned even in a 32-bit build, where
 * uint64_t alone is only 4-byte aligned inside a struct.  This is what keeps
 * the domctl/sysctl layouts independent of the caller's ABI.
 */
typedef uint64_t uint64_aligned_t __attribute__((aligned(8)));

/*
 * A guest handle: the caller's virtual address of a buffer, in a 64-bit
 * slot.  The caller stores a pointer with set_xen_guest_handle() (which
 * zeroes the upper half first, for 32-bit callers); the hypervisor reads
 * the address as .q and reaches the memory only through its guest-copy
 * functions, never by dereferencing .p.
 */
#define XEN_GUEST_HANDLE_64(type) union { type *p; uint64_aligned_t q; }
#define set_xen_guest_handle(hnd, val) \
    do { (hnd).q = 0; (hnd).p = (val); } while ( 0 )

/* x86 part of createdomain (Xen's arch-x86/xen.h): what is emulated. */
#define XEN_X86_EMU_LAPIC     (1u << 0)
#define XEN_X86_EMU_HPET      (1u << 1)
#define XEN_X86_EMU_PM        (1u << 2)
#define XEN_X86_EMU_RTC       (1u << 3)
#define XEN_X86_EMU_IOAPIC    (1u << 4)
#define XEN_X86_EMU_PIC       (1u << 5)
#define XEN_X86_EMU_VGA       (1u << 6)
#define XEN_X86_EMU_IOMMU     (1u << 7)
#define XEN_X86_EMU_PIT       (1u << 8)
#define XEN_X86_EMU_USE_PIRQ  (1u << 9)
#define XEN_X86_EMU_VPCI      (1u << 10)
/* misc_flags: unknown MSRs read as 0 / ignore writes instead of #GP. */
#define XEN_X86_MSR_RELAXED   (1u << 0)

struct xen_arch_domainconfig {
    uint32_t emulation_flags;   /* XEN_X86_EMU_*; a PVH guest asks for LAPIC only */
    uint32_t misc_flags;        /* XEN_X86_MSR_* */
};

/*
 * XEN_DOMCTL_createdomain.  xen_domctl.domain is IN/OUT: 0 or a reserved id
 * asks the hypervisor to choose the id, which it writes back there.
 */
#define XEN_DOMCTL_CDF_hvm           (1u << 0)  /* HVM/PVH rather than PV */
#define XEN_DOMCTL_CDF_hap           (1u << 1)  /* nested paging (NPT/EPT) */
#define XEN_DOMCTL_CDF_s3_integrity  (1u << 2)
#define XEN_DOMCTL_CDF_oos_off       (1u << 3)
#define XEN_DOMCTL_CDF_xs_domain     (1u << 4)  /* runs xenstored */
#define XEN_DOMCTL_CDF_iommu         (1u << 5)
#define XEN_DOMCTL_CDF_nested_virt   (1u << 6)
#define XEN_DOMCTL_CDF_vpmu          (1u << 7)
#define XEN_DOMCTL_CDF_MAX           XEN_DOMCTL_CDF_vpmu

#define XEN_DOMCTL_IOMMU_no_sharept  (1u << 0)

/* grant_opts: the grant-table version the domain may use, low 4 bits. */
#define XEN_DOMCTL_GRANT_version_mask 0xf
#define XEN_DOMCTL_GRANT_version(v)   ((v) & XEN_DOMCTL_GRANT_version_mask)

struct xen_domctl_createdomain {
    uint32_t ssidref;               /* XSM label; 0 */
    xen_domain_handle_t handle;
    uint32_t flags;                 /* XEN_DOMCTL_CDF_* */
    uint32_t iommu_opts;            /* XEN_DOMCTL_IOMMU_* */
    uint32_t max_vcpus;
    uint32_t max_evtchn_port;       /* highest usable event-channel port */
    int32_t  max_grant_frames;      /* < 0: the hypervisor's default */
    int32_t  max_maptrack_frames;   /* < 0: the hypervisor's default */
    uint32_t grant_opts;            /* XEN_DOMCTL_GRANT_* */
    uint32_t vmtrace_size;          /* per-vCPU trace buffer bytes; 0 */
    uint32_t cpupool_id;            /* 0: the default pool */
    struct xen_arch_domainconfig arch;
};

/* XEN_DOMCTL_getdomaininfo (and each entry of SYSCTL_getdomaininfolist). */
#define XEN_DOMINF_dying      (1u << 0)   /* being destroyed */
#define XEN_DOMINF_hvm_guest  (1u << 1)
#define XEN_DOMINF_shutdown   (1u << 2)   /* the guest shut itself down */
#define XEN_DOMINF_paused     (1u << 3)   /* paused by the toolstack */
#define XEN_DOMINF_blocked    (1u << 4)   /* every vCPU waits for an event */
#define XEN_DOMINF_running    (1u << 5)   /* some vCPU is on a CPU now */
#define XEN_DOMINF_debugged   (1u << 6)
#define XEN_DOMINF_xs_domain  (1u << 7)
#define XEN_DOMINF_hap        (1u << 8)
/* With XEN_DOMINF_shutdown: the guest's SHUTDOWN_* reason, bits 16..23. */
#define XEN_DOMINF_shutdownshift 16
#define XEN_DOMINF_shutdownmask  255

#define XEN_INVALID_MAX_VCPU_ID (~0u)     /* max_vcpu_id of a domain with none */

struct xen_domctl_getdomaininfo {
    domid_t  domain;                /* also written to xen_domctl.domain */
    uint16_t pad1;
    uint32_t flags;                 /* XEN_DOMINF_* */
    uint64_aligned_t tot_pages;     /* pages the domain owns */
    uint64_aligned_t max_pages;     /* its allocation limit */
    uint64_aligned_t outstanding_pages;
    uint64_aligned_t shr_pages;
    uint64_aligned_t paged_pages;
    uint64_aligned_t shared_info_frame;
    uint64_aligned_t cpu_time;      /* ns, summed over its vCPUs */
    uint32_t nr_online_vcpus;
    uint32_t max_vcpu_id;
    uint32_t ssidref;
    xen_domain_handle_t handle;
    uint32_t cpupool;
    uint8_t  gpaddr_bits;           /* width of its guest-physical space */
    uint8_t  pad2[7];
    struct xen_arch_domainconfig arch_config;
};

/* XEN_DOMCTL_max_mem: the allocation limit in KiB. */
struct xen_domctl_max_mem {
    uint64_aligned_t max_memkb;
};

/*
 * XEN_DOMCTL_setvcpucontext / getvcpucontext.  In Xen the buffer is a
 * vcpu_guest_context (the PV register frame).  Tonnerre has no PV guests:
 * for its PVH/HVM domains the buffer is a struct vcpu_hvm_context, the
 * same state VCPUOP_initialise takes for an HVM vCPU in Xen, and
 * setvcpucontext both loads that state and makes the vCPU runnable.
 */
struct xen_domctl_vcpucontext {
    uint32_t vcpu;
    XEN_GUEST_HANDLE_64(struct vcpu_hvm_context) ctxt;
};

/* XEN_DOMCTL_getvcpuinfo */
struct xen_domctl_getvcpuinfo {
    uint32_t vcpu;                  /* IN */
    uint8_t  online;                /* OUT: brought up, not hot-unplugged */
    uint8_t  blocked;               /* OUT: waiting for an event */
    uint8_t  running;               /* OUT: on a CPU right now */
    uint64_aligned_t cpu_time;      /* OUT: ns it has run */
    uint32_t cpu;                   /* OUT: the CPU it runs or last ran on */
};

/* XEN_DOMCTL_max_vcpus: must equal createdomain's max_vcpus. */
struct xen_domctl_max_vcpus {
    uint32_t max;
};

/* XEN_DOMCTL_scheduler_op */
#define XEN_SCHEDULER_CREDIT   5
#define XEN_SCHEDULER_CREDIT2  6
#define XEN_SCHEDULER_ARINC653 7
#define XEN_SCHEDULER_RTDS     8
#define XEN_SCHEDULER_NULL     9

#define XEN_DOMCTL_SCHEDOP_putinfo     0   /* set the domain's parameters */
#define XEN_DOMCTL_SCHEDOP_getinfo     1   /* read them */
#define XEN_DOMCTL_SCHEDOP_putvcpuinfo 2   /* per-vCPU (RTDS only) */
#define XEN_DOMCTL_SCHEDOP_getvcpuinfo 3

/* credit: weight is a relative share (default 256); cap is a % of one CPU, 0 = none. */
struct xen_domctl_sched_credit {
    uint16_t weight;
    uint16_t cap;
};

struct xen_domctl_sched_credit2 {
    uint16_t weight;
    uint16_t cap;
};

#define XEN_DOMCTL_SCHEDRT_extra (1u << 0)
struct xen_domctl_sched_rtds {
    uint32_t period;
    uint32_t budget;
    uint32_t flags;                 /* XEN_DOMCTL_SCHEDRT_* */
};

struct xen_domctl_schedparam_vcpu {
    union {
        struct xen_domctl_sched_credit credit;
        struct xen_domctl_sched_credit2 credit2;
        struct xen_domctl_sched_rtds rtds;
    } u;
    uint32_t vcpuid;
};

struct xen_domctl_scheduler_op {
    uint32_t sched_id;              /* XEN_SCHEDULER_*: must be the running one */
    uint32_t cmd;                   /* XEN_DOMCTL_SCHEDOP_* */
    union {                         /* IN for put, OUT for get */
        struct xen_domctl_sched_credit credit;
        struct xen_domctl_sched_credit2 credit2;
        struct xen_domctl_sched_rtds rtds;
        struct {
            XEN_GUEST_HANDLE_64(struct xen_domctl_schedparam_vcpu) vcpus;
            uint32_t nr_vcpus;      /* IN: entries; OUT: entries processed */
            uint32_t padding;
        } v;
    } u;
};

/* XEN_DOMCTL_setdomainhandle: replace the domain's UUID. */
struct xen_domctl_setdomainhandle {
    xen_domain_handle_t handle;
};

/*
 * XEN_DOMCTL_gethvmcontext / sethvmcontext: the domain's HVM save record.
 * get with a null buffer returns the size needed.  Tonnerre does not
 * implement save/restore yet; the layout is here so the numbers are taken.
 */
struct xen_domctl_hvmcontext {
    uint32_t size;                  /* IN: buffer size; OUT: bytes used */
    XEN_GUEST_HANDLE_64(uint8_t) buffer;
};

/*
 * A CPU set as the toolstack passes it: nr_bits bits, CPU n in bit n%8 of
 * byte n/8 of the caller's buffer.  The hypervisor writes what fits and
 * zeroes the rest of the nr_bits.
 */
struct xenctl_bitmap {
    XEN_GUEST_HANDLE_64(uint8_t) bitmap;
    uint32_t nr_bits;
};

/*
 * XEN_DOMCTL_setvcpuaffinity / getvcpuaffinity: the CPUs one vCPU may run
 * on (hard) and prefers (soft), per flags.  set writes back the effective
 * sets: hard within the pool's CPUs, soft within those and hard.
 */
#define XEN_VCPUAFFINITY_HARD   (1u << 0)
#define XEN_VCPUAFFINITY_SOFT   (1u << 1)
#define XEN_VCPUAFFINITY_FORCE  (1u << 2)   /* undo a SCHEDOP_pin_override */
struct xen_domctl_vcpuaffinity {
    uint32_t vcpu;                  /* IN */
    uint32_t flags;                 /* IN: XEN_VCPUAFFINITY_* */
    struct xenctl_bitmap cpumap_hard;   /* IN/OUT */
    struct xenctl_bitmap cpumap_soft;   /* IN/OUT */
};

/* XEN_DOMCTL_setnodeaffinity / getnodeaffinity: the NUMA nodes for memory. */
struct xen_domctl_nodeaffinity {
    struct xenctl_bitmap nodemap;
};

/*
 * XEN_DOMCTL_settscinfo / gettscinfo: how the guest's TSC behaves:
 * tsc_mode 0 default, 1 always emulated, 2 never emulated (native);
 * gtsc_khz 0 for the host's rate.
 */
struct xen_domctl_tsc_info {
    uint32_t tsc_mode;
    uint32_t gtsc_khz;
    uint32_t incarnation;
    uint32_t pad;
    uint64_aligned_t elapsed_nsec;
};

/*
 * XEN_DOMCTL_get/set_paging_mempool_size: the memory set aside for a
 * domain's nested page tables, in bytes (a whole number of pages).
 */
struct xen_domctl_paging_mempool {
    uint64_aligned_t size;
};

struct xen_domctl {
    uint32_t cmd;
#define XEN_DOMCTL_createdomain        1
#define XEN_DOMCTL_destroydomain       2
#define XEN_DOMCTL_pausedomain         3
#define XEN_DOMCTL_unpausedomain       4
#define XEN_DOMCTL_getdomaininfo       5
#define XEN_DOMCTL_setvcpuaffinity     9
#define XEN_DOMCTL_shadow_op          10
#define XEN_DOMCTL_max_mem            11
#define XEN_DOMCTL_setvcpucontext     12
#define XEN_DOMCTL_getvcpucontext     13
#define XEN_DOMCTL_getvcpuinfo        14
#define XEN_DOMCTL_max_vcpus          15
#define XEN_DOMCTL_scheduler_op       16
#define XEN_DOMCTL_setdomainhandle    17
#define XEN_DOMCTL_setdebugging       18
#define XEN_DOMCTL_irq_permission     19
#define XEN_DOMCTL_iomem_permission   20
#define XEN_DOMCTL_ioport_permission  21
#define XEN_DOMCTL_hypercall_init     22
#define XEN_DOMCTL_settimeoffset      24
#define XEN_DOMCTL_getvcpuaffinity    25
#define XEN_DOMCTL_resumedomain       27
#define XEN_DOMCTL_sendtrigger        28
#define XEN_DOMCTL_subscribe          29
#define XEN_DOMCTL_gethvmcontext      33
#define XEN_DOMCTL_sethvmcontext      34
#define XEN_DOMCTL_set_address_size   35
#define XEN_DOMCTL_get_address_size   36
#define XEN_DOMCTL_set_target         46
#define XEN_DOMCTL_gethvmcontext_partial 55
#define XEN_DOMCTL_gettscinfo         59
#define XEN_DOMCTL_settscinfo         60
#define XEN_DOMCTL_set_virq_handler   66
#define XEN_DOMCTL_setnodeaffinity    68
#define XEN_DOMCTL_getnodeaffinity    69
/*
 * 70 was XEN_DOMCTL_set_max_evtchn until Xen moved the limit into
 * createdomain (max_evtchn_port); Xen 4.17 has no command 70, nor do we.
 */
#define XEN_DOMCTL_soft_reset         79
#define XEN_DOMCTL_get_cpu_policy     82
#define XEN_DOMCTL_set_cpu_policy     83
#define XEN_DOMCTL_get_paging_mempool_size 85
#define XEN_DOMCTL_set_paging_mempool_size 86
    uint32_t interface_version;     /* XEN_DOMCTL_INTERFACE_VERSION */
    domid_t  domain;
    uint16_t _pad[3];
    union {
        struct xen_domctl_createdomain    createdomain;
        struct xen_domctl_getdomaininfo   getdomaininfo;
        struct xen_domctl_max_mem         max_mem;
        struct xen_domctl_vcpucontext     vcpucontext;
        struct xen_domctl_getvcpuinfo     getvcpuinfo;
        struct xen_domctl_max_vcpus       max_vcpus;
        struct xen_domctl_scheduler_op    scheduler_op;
        struct xen_domctl_setdomainhandle setdomainhandle;
        struct xen_domctl_hvmcontext      hvmcontext;
        struct xen_domctl_vcpuaffinity    vcpuaffinity;
        struct xen_domctl_nodeaffinity    nodeaffinity;
        struct xen_domctl_tsc_info        tsc_info;
        struct xen_domctl_paging_mempool  paging_mempool;
        uint8_t                           pad[128];   /* fixes the size */
    } u;
};

/*
 * Layout checks.  The expected numbers follow from Xen 4.17's definitions
 * with the x86-64 System V rules: each field at the next multiple of its
 * alignment (uint64_aligned_t and guest handles 8, uint32_t 4, uint16_t 2,
 * byte arrays 1), each struct padded to its largest alignment.  E.g.
 * getdomaininfo: domain 0, pad1 2, flags 4, seven 8-byte counters 8..63,
 * nr_online_vcpus 64, max_vcpu_id 68, ssidref 72, handle 76..91, cpupool 92,
 * gpaddr_bits 96, pad2 97..103, arch_config 104..111 => 112 bytes.
 * xen_domctl: cmd 0, interface_version 4, domain 8, _pad 10..15, then the
 * 8-aligned union (128 bytes, no member larger) at 16 => 144 bytes.
 * The same numbers came out of compiling Xen's own 4.17 headers.
 */
#define DOMCTL_CHECK_SIZE(t, n) _Static_assert(sizeof(t) == (n), #t " size")
#define DOMCTL_CHECK_OFF(t, f, n) \
    _Static_assert(__builtin_offsetof(t, f) == (n), #t "." #f " offset")

DOMCTL_CHECK_SIZE(struct xen_arch_domainconfig, 8);

DOMCTL_CHECK_SIZE(struct xen_domctl_createdomain, 64);
DOMCTL_CHECK_OFF(struct xen_domctl_createdomain, handle, 4);
DOMCTL_CHECK_OFF(struct xen_domctl_createdomain, flags, 20);
DOMCTL_CHECK_OFF(struct xen_domctl_createdomain, iommu_opts, 24);
DOMCTL_CHECK_OFF(struct xen_domctl_createdomain, max_vcpus, 28);
DOMCTL_CHECK_OFF(struct xen_domctl_createdomain, max_evtchn_port, 32);
DOMCTL_CHECK_OFF(struct xen_domctl_createdomain, max_grant_frames, 36);
DOMCTL_CHECK_OFF(struct xen_domctl_createdomain, max_maptrack_frames, 40);
DOMCTL_CHECK_OFF(struct xen_domctl_createdomain, grant_opts, 44);
DOMCTL_CHECK_OFF(struct xen_domctl_createdomain, vmtrace_size, 48);
DOMCTL_CHECK_OFF(struct xen_domctl_createdomain, cpupool_id, 52);
DOMCTL_CHECK_OFF(struct xen_domctl_createdomain, arch, 56);

DOMCTL_CHECK_SIZE(struct xen_domctl_getdomaininfo, 112);
DOMCTL_CHECK_OFF(struct xen_domctl_getdomaininfo, flags, 4);
DOMCTL_CHECK_OFF(struct xen_domctl_getdomaininfo, tot_pages, 8);
DOMCTL_CHECK_OFF(struct xen_domctl_getdomaininfo, max_pages, 16);
DOMCTL_CHECK_OFF(struct xen_domctl_getdomaininfo, shared_info_frame, 48);
DOMCTL_CHECK_OFF(struct xen_domctl_getdomaininfo, cpu_time, 56);
DOMCTL_CHECK_OFF(struct xen_domctl_getdomaininfo, nr_online_vcpus, 64);
DOMCTL_CHECK_OFF(struct xen_domctl_getdomaininfo, max_vcpu_id, 68);
DOMCTL_CHECK_OFF(struct xen_domctl_getdomaininfo, ssidref, 72);
DOMCTL_CHECK_OFF(struct xen_domctl_getdomaininfo, handle, 76);
DOMCTL_CHECK_OFF(struct xen_domctl_getdomaininfo, cpupool, 92);
DOMCTL_CHECK_OFF(struct xen_domctl_getdomaininfo, gpaddr_bits, 96);
DOMCTL_CHECK_OFF(struct xen_domctl_getdomaininfo, arch_config, 104);

DOMCTL_CHECK_SIZE(struct xen_domctl_max_mem, 8);
DOMCTL_CHECK_SIZE(struct xen_domctl_vcpucontext, 16);
DOMCTL_CHECK_OFF(struct xen_domctl_vcpucontext, ctxt, 8);

DOMCTL_CHECK_SIZE(struct xen_domctl_getvcpuinfo, 24);
DOMCTL_CHECK_OFF(struct xen_domctl_getvcpuinfo, online, 4);
DOMCTL_CHECK_OFF(struct xen_domctl_getvcpuinfo, blocked, 5);
DOMCTL_CHECK_OFF(struct xen_domctl_getvcpuinfo, running, 6);
DOMCTL_CHECK_OFF(struct xen_domctl_getvcpuinfo, cpu_time, 8);
DOMCTL_CHECK_OFF(struct xen_domctl_getvcpuinfo, cpu, 16);

DOMCTL_CHECK_SIZE(struct xen_domctl_max_vcpus, 4);
DOMCTL_CHECK_SIZE(struct xen_domctl_sched_credit, 4);
DOMCTL_CHECK_SIZE(struct xen_domctl_sched_rtds, 12);
DOMCTL_CHECK_SIZE(struct xen_domctl_schedparam_vcpu, 16);
DOMCTL_CHECK_SIZE(struct xen_domctl_scheduler_op, 24);
DOMCTL_CHECK_OFF(struct xen_domctl_scheduler_op, cmd, 4);
DOMCTL_CHECK_OFF(struct xen_domctl_scheduler_op, u.credit.weight, 8);
DOMCTL_CHECK_OFF(struct xen_domctl_scheduler_op, u.credit.cap, 10);
DOMCTL_CHECK_OFF(struct xen_domctl_scheduler_op, u.v.nr_vcpus, 16);

DOMCTL_CHECK_SIZE(struct xen_domctl_setdomainhandle, 16);
DOMCTL_CHECK_SIZE(struct xen_domctl_hvmcontext, 16);
DOMCTL_CHECK_OFF(struct xen_domctl_hvmcontext, buffer, 8);

DOMCTL_CHECK_SIZE(struct xenctl_bitmap, 16);
DOMCTL_CHECK_OFF(struct xenctl_bitmap, nr_bits, 8);
DOMCTL_CHECK_SIZE(struct xen_domctl_vcpuaffinity, 40);
DOMCTL_CHECK_OFF(struct xen_domctl_vcpuaffinity, cpumap_hard, 8);
DOMCTL_CHECK_OFF(struct xen_domctl_vcpuaffinity, cpumap_soft, 24);
DOMCTL_CHECK_SIZE(struct xen_domctl_nodeaffinity, 16);
DOMCTL_CHECK_SIZE(struct xen_domctl_tsc_info, 24);
DOMCTL_CHECK_OFF(struct xen_domctl_tsc_info, elapsed_nsec, 16);

DOMCTL_CHECK_SIZE(struct xen_domctl_paging_mempool, 8);

DOMCTL_CHECK_SIZE(struct xen_domctl, 144);
DOMCTL_CHECK_OFF(struct xen_domctl, interface_version, 4);
DOMCTL_CHECK_OFF(struct xen_domctl, domain, 8);
DOMCTL_CHECK_OFF(struct xen_domctl, u, 16);

#endif /* __ASSEMBLY__ */

#endif /* PUBLIC_DOMCTL_H */

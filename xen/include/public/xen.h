/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypercall interface: numbers and calling convention.  These numbers
 * are Xen's guest ABI (Xen's public/xen.h); an unmodified Linux makes
 * exactly these calls.
 *
 * Calling convention for HVM/PVH guests: the guest executes VMMCALL (AMD)
 * or VMCALL (Intel), normally from the hypercall page the hypervisor fills
 * in, with the hypercall number in EAX/RAX.  Arguments: 64-bit guests in
 * RDI, RSI, RDX, R10, R8; 32-bit guests in EBX, ECX, EDX, ESI, EDI.  The
 * result comes back in EAX/RAX: >= 0 for success, a negated errno value
 * (public/errno.h numbering, as Linux's) for failure.
 */
#ifndef PUBLIC_XEN_H
#define PUBLIC_XEN_H

#include <stdint.h>

#define __HYPERVISOR_set_trap_table        0
#define __HYPERVISOR_mmu_update            1
#define __HYPERVISOR_set_gdt               2
#define __HYPERVISOR_stack_switch          3
#define __HYPERVISOR_set_callbacks         4
#define __HYPERVISOR_fpu_taskswitch        5
#define __HYPERVISOR_sched_op_compat       6
#define __HYPERVISOR_platform_op           7
#define __HYPERVISOR_set_debugreg          8
#define __HYPERVISOR_get_debugreg          9
#define __HYPERVISOR_update_descriptor    10
#define __HYPERVISOR_memory_op            12
#define __HYPERVISOR_multicall            13
#define __HYPERVISOR_update_va_mapping    14
#define __HYPERVISOR_set_timer_op         15
#define __HYPERVISOR_event_channel_op_compat 16
#define __HYPERVISOR_xen_version          17
#define __HYPERVISOR_console_io           18
#define __HYPERVISOR_physdev_op_compat    19
#define __HYPERVISOR_grant_table_op       20
#define __HYPERVISOR_vm_assist            21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret                 23
#define __HYPERVISOR_vcpu_op              24
#define __HYPERVISOR_set_segment_base     25
#define __HYPERVISOR_mmuext_op            26
#define __HYPERVISOR_xsm_op               27
#define __HYPERVISOR_nmi_op               28
#define __HYPERVISOR_sched_op             29
#define __HYPERVISOR_callback_op          30
#define __HYPERVISOR_xenoprof_op          31
#define __HYPERVISOR_event_channel_op     32
#define __HYPERVISOR_physdev_op           33
#define __HYPERVISOR_hvm_op               34
#define __HYPERVISOR_sysctl               35
#define __HYPERVISOR_domctl               36
#define __HYPERVISOR_kexec_op             37
#define __HYPERVISOR_tmem_op              38
#define __HYPERVISOR_argo_op              39
#define __HYPERVISOR_xenpmu_op            40
#define __HYPERVISOR_dm_op                41
#define __HYPERVISOR_hypfs_op             42
#define NR_HYPERCALLS                     64

/* __HYPERVISOR_console_io(cmd, count, buffer) */
#define CONSOLEIO_write  0
#define CONSOLEIO_read   1

/* Xen's special domain ids. */
#define DOMID_FIRST_RESERVED_ABI 0x7ff0
#define DOMID_SELF               0x7ff0

/*
 * The shared-info page and per-vCPU info, 64-bit layout (Xen's
 * public/xen.h and arch-x86/xen.h).  Event channels use the 2-level
 * scheme: a pending and a mask bit per port in shared_info, and a selector
 * word per vCPU naming which words of evtchn_pending have news.
 */
#define XEN_LEGACY_MAX_VCPUS 32

/* start_info / hvm_start_info flags. */
#define SIF_PRIVILEGED    (1u << 0)   /* may use privileged hypercalls */
#define SIF_INITDOMAIN    (1u << 1)   /* the initial control domain */
#define EVTCHN_2L_WORDS      64          /* 64 x 64 bits = 4096 ports */

/*
 * pvclock: system time (ns) = system_time +
 *   (((tsc - tsc_timestamp) << tsc_shift, or >> -tsc_shift) * tsc_to_system_mul) >> 32,
 * read while version is even and unchanged across the read.
 */
#define XEN_PVCLOCK_TSC_STABLE_BIT (1u << 0)

struct vcpu_time_info {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time;
    uint32_t tsc_to_system_mul;
    int8_t   tsc_shift;
    uint8_t  flags;
    uint8_t  pad1[2];
};

struct vcpu_info {
    uint8_t  evtchn_upcall_pending;
    uint8_t  evtchn_upcall_mask;
    uint8_t  pad[6];
    uint64_t evtchn_pending_sel;
    uint64_t cr2;                         /* arch_vcpu_info */
    uint64_t arch_pad;
    struct vcpu_time_info time;
};

struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    uint64_t evtchn_pending[EVTCHN_2L_WORDS];
    uint64_t evtchn_mask[EVTCHN_2L_WORDS];
    uint32_t wc_version;
    uint32_t wc_sec;
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;
    /* arch_shared_info follows; unused so far */
};

#endif /* PUBLIC_XEN_H */

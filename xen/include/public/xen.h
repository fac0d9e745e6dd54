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

#endif /* PUBLIC_XEN_H */

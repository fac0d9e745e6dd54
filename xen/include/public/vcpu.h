/* SPDX-License-Identifier: GPL-2.0 */
/*
 * __HYPERVISOR_vcpu_op(cmd, vcpuid, arg): bring vCPUs up and down, their
 * timers, and where their runstate and vcpu_info live.  Numbers and
 * layouts are Xen's.
 */
#ifndef PUBLIC_VCPU_H
#define PUBLIC_VCPU_H

#define VCPUOP_initialise                  0  /* arg: struct vcpu_hvm_context */
#define VCPUOP_up                          1
#define VCPUOP_down                        2
#define VCPUOP_is_up                       3  /* returns 1 or 0 */
#define VCPUOP_get_runstate_info           4  /* arg: struct vcpu_runstate_info */
#define VCPUOP_register_runstate_memory_area 5
#define VCPUOP_set_periodic_timer          6  /* arg: struct vcpu_set_periodic_timer */
#define VCPUOP_stop_periodic_timer         7
#define VCPUOP_set_singleshot_timer        8  /* arg: struct vcpu_set_singleshot_timer */
#define VCPUOP_stop_singleshot_timer       9
#define VCPUOP_register_vcpu_info         10  /* arg: struct vcpu_register_vcpu_info */
#define VCPUOP_send_nmi                   11
#define VCPUOP_get_physid                 12
#define VCPUOP_register_vcpu_time_memory_area 13

/* Runstates: where a vCPU's time goes. */
#define RUNSTATE_running  0
#define RUNSTATE_runnable 1
#define RUNSTATE_blocked  2
#define RUNSTATE_offline  3

#ifndef __ASSEMBLY__
struct vcpu_runstate_info {
    int32_t state;              /* RUNSTATE_* now */
    uint64_t state_entry_time;  /* system time it entered it (ns) */
    uint64_t time[4];           /* ns spent in each runstate */
};

/* Where the hypervisor keeps a copy of the runstate (guest virtual address). */
struct vcpu_register_runstate_memory_area {
    uint64_t addr;
};

struct vcpu_set_periodic_timer {
    uint64_t period_ns;
};

/* Fail with -ETIME if the timeout is already past. */
#define VCPU_SSHOTTMR_future (1u << 0)

struct vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns;    /* system time */
    uint32_t flags;             /* VCPU_SSHOTTMR_* */
};

struct vcpu_register_vcpu_info {
    uint64_t mfn;               /* guest frame holding the vcpu_info */
    uint32_t offset;            /* its offset in that frame */
    uint32_t rsvd;
};

/* VCPUOP_initialise for HVM and PVH guests: the vCPU's first state. */
#define VCPU_HVM_MODE_32B 0
#define VCPU_HVM_MODE_64B 1

struct vcpu_hvm_x86_32 {
    uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t eip, eflags;
    uint32_t cr0, cr3, cr4;
    uint32_t pad1;
    uint64_t efer;
    uint32_t cs_base, ds_base, ss_base, es_base, tr_base;
    uint32_t cs_limit, ds_limit, ss_limit, es_limit, tr_limit;
    uint16_t cs_ar, ds_ar, ss_ar, es_ar, tr_ar;
    uint16_t pad2[3];
};

/* 64-bit mode: flat segments, the hypervisor chooses their attributes. */
struct vcpu_hvm_x86_64 {
    uint64_t rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
    uint64_t rip, rflags;
    uint64_t cr0, cr3, cr4, efer;
};

struct vcpu_hvm_context {
    uint32_t mode;              /* VCPU_HVM_MODE_* */
    uint32_t pad;
    union {
        struct vcpu_hvm_x86_32 x86_32;
        struct vcpu_hvm_x86_64 x86_64;
    } cpu_regs;
};

_Static_assert(sizeof(struct vcpu_runstate_info) == 48, "runstate layout");
_Static_assert(sizeof(struct vcpu_set_singleshot_timer) == 16, "singleshot layout");
_Static_assert(sizeof(struct vcpu_hvm_x86_32) == 120, "vcpu_hvm_x86_32 layout");
_Static_assert(sizeof(struct vcpu_hvm_context) == 128, "vcpu_hvm_context layout");
#endif

#endif /* PUBLIC_VCPU_H */

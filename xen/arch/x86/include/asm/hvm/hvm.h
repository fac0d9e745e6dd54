/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hardware-virtualisation backend behind one table of operations:
 * AMD-V (svm/) or Intel VT-x (vmx/), chosen once at boot from CPUID (or
 * `hvm_backend=svm|vmx`).  Everything outside svm/ and vmx/ reaches guest
 * registers and the run loop through here, so it never needs to know
 * whether a VMCB or a VMCS holds them.
 */
#ifndef ASM_HVM_HVM_H
#define ASM_HVM_HVM_H

#include <xen/types.h>

struct vcpu;
struct vcpu_hvm_context;
struct guest_paging_state;
struct cpuid_regs;

struct hvm_funcs {
    const char *name;
    /* The hypercall instruction guests get: VMMCALL (AMD) or VMCALL (Intel). */
    bool hypercall_is_vmmcall;
    /* Per CPU (the BSP first): detect on the BSP, enable on every CPU. */
    void (*init_this_cpu)(void);
    void (*print_features)(void);
    int (*vcpu_create)(struct vcpu *v);
    void (*vcpu_destroy)(struct vcpu *v);
    /* PVH start of day: 32-bit flat protected mode at entry, EBX = ebx. */
    void (*vcpu_reset_pvh)(struct vcpu *v, uint32_t entry, uint32_t ebx);
    /* What a start-up IPI does: real mode at vector << 12. */
    void (*vcpu_reset_realmode)(struct vcpu *v, uint8_t vector);
    /* VCPUOP_initialise: the (already validated) state given by the guest. */
    void (*vcpu_load_context)(struct vcpu *v, const struct vcpu_hvm_context *c);
    /*
     * Around one stay on a CPU: load makes v's state reachable through
     * the accessors below on this CPU, put undoes it.
     */
    void (*vcpu_load)(struct vcpu *v);
    void (*vcpu_put)(struct vcpu *v);
    /* Enter the guest until v blocks, goes down or a softirq is pending. */
    void (*run_loop)(struct vcpu *v);
    void (*dump)(struct vcpu *v);
    /* Guest state for the page walker, msr.c and the hypercall path. */
    void (*get_paging_state)(struct vcpu *v, struct guest_paging_state *s);
    uint64_t (*get_efer)(struct vcpu *v);
    /* EFER as the guest wrote it (LMA is kept as the CPU has it). */
    void (*set_efer)(struct vcpu *v, uint64_t efer);
    uint64_t (*get_pat)(struct vcpu *v);
    void (*set_pat)(struct vcpu *v, uint64_t pat);
    uint64_t (*get_tsc_offset)(struct vcpu *v);
    void (*set_tsc_offset)(struct vcpu *v, uint64_t offset);
    /*
     * The loaded vCPU's general registers (0-15 in x86 encoding order:
     * rax rcx rdx rbx rsp rbp rsi rdi r8-r15) and RFLAGS, for emulation.
     */
    uint64_t (*get_gpr)(struct vcpu *v, unsigned int n);
    void (*set_gpr)(struct vcpu *v, unsigned int n, uint64_t val);
    uint64_t (*get_rflags)(struct vcpu *v);
    void (*set_rflags)(struct vcpu *v, uint64_t val);
    /* Optional: the boot self-test/bench guest (test aid). */
    void (*selftest)(void);
};

extern const struct hvm_funcs *hvm_funcs;
extern const struct hvm_funcs svm_funcs;
extern const struct hvm_funcs vmx_funcs;

/* Called on every CPU as it comes up; picks the backend on the BSP. */
void hvm_init_this_cpu(void);
void hvm_print_features(void);
void hvm_selftest(void);

static inline int hvm_vcpu_create(struct vcpu *v)
{
    return hvm_funcs->vcpu_create(v);
}

static inline void hvm_vcpu_destroy(struct vcpu *v)
{
    hvm_funcs->vcpu_destroy(v);
}

static inline void hvm_vcpu_reset_pvh(struct vcpu *v, uint32_t entry, uint32_t ebx)
{
    hvm_funcs->vcpu_reset_pvh(v, entry, ebx);
}

static inline void hvm_vcpu_reset_realmode(struct vcpu *v, uint8_t vector)
{
    hvm_funcs->vcpu_reset_realmode(v, vector);
}

static inline void hvm_dump_vcpu(struct vcpu *v)
{
    hvm_funcs->dump(v);
}

static inline void hvm_get_paging_state(struct vcpu *v, struct guest_paging_state *s)
{
    hvm_funcs->get_paging_state(v, s);
}

static inline uint64_t hvm_get_efer(struct vcpu *v)
{
    return hvm_funcs->get_efer(v);
}

static inline void hvm_set_efer(struct vcpu *v, uint64_t efer)
{
    hvm_funcs->set_efer(v, efer);
}

static inline uint64_t hvm_get_pat(struct vcpu *v)
{
    return hvm_funcs->get_pat(v);
}

static inline void hvm_set_pat(struct vcpu *v, uint64_t pat)
{
    hvm_funcs->set_pat(v, pat);
}

static inline uint64_t hvm_get_tsc_offset(struct vcpu *v)
{
    return hvm_funcs->get_tsc_offset(v);
}

static inline void hvm_set_tsc_offset(struct vcpu *v, uint64_t offset)
{
    hvm_funcs->set_tsc_offset(v, offset);
}

static inline uint64_t hvm_get_gpr(struct vcpu *v, unsigned int n)
{
    return hvm_funcs->get_gpr(v, n);
}

static inline void hvm_set_gpr(struct vcpu *v, unsigned int n, uint64_t val)
{
    hvm_funcs->set_gpr(v, n, val);
}

static inline uint64_t hvm_get_rflags(struct vcpu *v)
{
    return hvm_funcs->get_rflags(v);
}

static inline void hvm_set_rflags(struct vcpu *v, uint64_t val)
{
    hvm_funcs->set_rflags(v, val);
}

/*
 * Exit handling both backends share (hvm.c): what a port, a CPUID leaf, a
 * hypercall or an interrupt means does not depend on the hardware.
 */
#define HVM_DEBUG_PORT 0xe9     /* Bochs/Xen debug console port */
void hvm_debug_port_write(struct vcpu *v, char c);
bool hvm_is_reset_request(unsigned int port, uint8_t val);
/* A vCPU halted with interrupts off: down; the domain off if all are. */
void hvm_vcpu_halted_for_good(struct vcpu *v);
void hvm_guest_cpuid(struct vcpu *v, uint32_t leaf, uint32_t subleaf,
                     struct cpuid_regs *r);
/*
 * The hypercall the guest asks for: number in *rax (the backend's copy of
 * RAX), arguments in the registers Xen's convention names for the guest's
 * mode (64-bit or not).  COMPLETED: *rax is the result, the backend moves
 * RIP past the instruction.  PREEMPTED: the handler continued (see
 * xen/hypercall.h); the argument registers say what is left, *rax is
 * untouched, and RIP must stay on the instruction so the guest makes the
 * call again once it runs.
 */
enum hvm_hypercall_result { HVM_HYPERCALL_COMPLETED, HVM_HYPERCALL_PREEMPTED };
enum hvm_hypercall_result hvm_hypercall(struct vcpu *v, bool mode64,
                                        uint64_t *rax);
/* The HVM callback vector when an upcall is pending and set up, else -1. */
int hvm_callback_vector(struct vcpu *v);
/* guest_exc_trace=: how many guest exceptions are still to be logged. */
extern unsigned int hvm_exc_trace;
bool hvm_exc_trace_take(void);
/* Log why, dump the vCPU's state, crash its domain (never the host). */
void hvm_crash_vcpu(struct vcpu *v, const char *why);

#endif /* ASM_HVM_HVM_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The backend-neutral half of running guests: which backend (SVM or VMX)
 * this machine uses, the part of a vCPU's stay on a CPU that does not
 * depend on it (pvclock, runstate copy, FPU state, what happens when the
 * control domain stops), and the meaning of the exits both backends share
 * (debug port, reset ports, CPUID, hypercalls, the callback vector).
 */
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/softirq.h>
#include <xen/string.h>
#include <asm/hvm/guest_access.h>
#include <asm/hvm/guest_cpuid.h>
#include <asm/hvm/guest_walk.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/vlapic.h>
#include <asm/hvm/xstate.h>
#include <asm/processor.h>
#include <asm/shutdown.h>
#include <asm/time.h>
#include <public/hvm_params.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/xen.h>

const struct hvm_funcs *hvm_funcs = &svm_funcs;

/* hvm_backend=svm|vmx: use that one even if CPUID offers the other. */
static char opt_hvm_backend[8];
string_param("hvm_backend", opt_hvm_backend);

/* CPUID says which one; the option can only pick one the CPU has. */
static const struct hvm_funcs *choose_backend(void)
{
    if ( !strcmp(opt_hvm_backend, "vmx") && boot_cpu.vmx )
        return &vmx_funcs;
    if ( !strcmp(opt_hvm_backend, "svm") && boot_cpu.svm )
        return &svm_funcs;
    if ( opt_hvm_backend[0] )
        printk(XENLOG_WARNING "hvm_backend=%s: not offered by this CPU\n",
               opt_hvm_backend);
    if ( boot_cpu.svm )
        return &svm_funcs;
    if ( boot_cpu.vmx )
        return &vmx_funcs;
    return &svm_funcs;        /* reports "not available" and stays unused */
}

void hvm_init_this_cpu(void)
{
    if ( smp_processor_id() == 0 )
        hvm_funcs = choose_backend();
    hvm_funcs->init_this_cpu();
}

void hvm_print_features(void)
{
    hvm_funcs->print_features();
}

void hvm_selftest(void)
{
    if ( hvm_funcs->selftest )
        hvm_funcs->selftest();
}

/* ---- shared exit meanings ---- */

void hvm_debug_port_write(struct vcpu *v, char c)
{
    struct arch_domain *a = &v->domain->arch;

    if ( c != '\n' && a->dbg_len < sizeof(a->dbg_line) - 1 )
    {
        a->dbg_line[a->dbg_len++] = c;
        return;
    }
    a->dbg_line[a->dbg_len] = '\0';
    printk("(d%u) %s\n", v->domain->domain_id, a->dbg_line);
    a->dbg_len = 0;
}

/*
 * The two reset doors guests knock on when they have no ACPI: the keyboard
 * controller's pulse-reset command and the PCI reset control register.
 */
#define KBC_COMMAND_PORT 0x64
#define KBC_PULSE_RESET  0xfe
#define RESET_CONTROL_PORT 0xcf9
#define RESET_CONTROL_RESET (1u << 2)

bool hvm_is_reset_request(unsigned int port, uint8_t val)
{
    return (port == KBC_COMMAND_PORT && val == KBC_PULSE_RESET) ||
           (port == RESET_CONTROL_PORT && (val & RESET_CONTROL_RESET));
}

/*
 * A guest that halted every vCPU with interrupts off (Linux's "System
 * halted" without a power-off method) has powered itself off, as Xen
 * decides for HVM guests.
 */
static void all_vcpus_down_check(struct domain *d)
{
    unsigned int i;

    for ( i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpus[i]->is_up )
            return;
    printk("d%u: all vCPUs halted: powering the domain off\n", d->domain_id);
    domain_shutdown(d, SHUTDOWN_poweroff);
}

void hvm_vcpu_halted_for_good(struct vcpu *v)
{
    /* Nothing but NMI/INIT could wake it: the vCPU is gone, as in Xen. */
    printk("d%uv%u: HLT with interrupts off: vCPU down\n",
           v->domain->domain_id, v->vcpu_id);
    v->is_up = false;
    sched_domain_changed(v->domain);
    all_vcpus_down_check(v->domain);
}

static void host_cpuid(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r)
{
    cpuid_count(leaf, subleaf, r);
}

void hvm_guest_cpuid(struct vcpu *v, uint32_t leaf, uint32_t subleaf,
                     struct cpuid_regs *r)
{
    struct guest_paging_state ps;
    struct guest_cpuid_ctx ctx = {
        .domid = v->domain->domain_id, .vcpu_id = v->vcpu_id,
        .apic_id = v->arch.vlapic.id, .tsc_khz = cpu_khz,
        .xcr0_mask = xstate_guest_mask(), .host_cpuid = host_cpuid,
    };

    hvm_get_paging_state(v, &ps);
    ctx.guest_cr4 = ps.cr4;
    guest_cpuid(&ctx, leaf, subleaf, r);
}

/*
 * Xen's argument registers: RDI, RSI, RDX, R10, R8 for a 64-bit guest,
 * EBX, ECX, EDX, ESI, EDI for a 32-bit one.  Both backends keep them in
 * the same block.
 */
static uint64_t *hypercall_arg(struct vcpu *v, bool mode64, unsigned int i)
{
    struct svm_guest_regs *r = &v->arch.regs;
    uint64_t *regs64[HYPERCALL_MAX_ARGS] = { &r->rdi, &r->rsi, &r->rdx, &r->r10, &r->r8 };
    uint64_t *regs32[HYPERCALL_MAX_ARGS] = { &r->rbx, &r->rcx, &r->rdx, &r->rsi, &r->rdi };

    return mode64 ? regs64[i] : regs32[i];
}

/* A 32-bit guest's arguments and result are 32 bits wide. */
static uint64_t guest_word(bool mode64, uint64_t val)
{
    return mode64 ? val : (uint32_t)val;
}

/* Whether a continued hypercall should let this CPU do other work first. */
static bool softirq_waiting(void)
{
    return softirq_pending(smp_processor_id());
}

enum hvm_hypercall_result hvm_hypercall(struct vcpu *v, bool mode64,
                                        uint64_t *rax)
{
    struct vcpu_guest_mem gm;
    struct hypercall_ctx ctx = {
        .privileged = v->domain->is_privileged, .domain = v->domain, .vcpu = v,
        .preempt_wanted = softirq_waiting,
    };
    uint64_t args[HYPERCALL_MAX_ARGS];
    unsigned int i;
    long rc;

    vcpu_guest_mem_init(&gm, v);
    ctx.mem = &gm.ops;
    for ( i = 0; i < HYPERCALL_MAX_ARGS; i++ )
        args[i] = guest_word(mode64, *hypercall_arg(v, mode64, i));
    rc = hypercall_dispatch(&ctx, guest_word(mode64, *rax), args);
    if ( ctx.continued )
    {
        /* RAX still holds the number: the guest makes the rest of the call. */
        for ( i = 0; i < HYPERCALL_MAX_ARGS; i++ )
            *hypercall_arg(v, mode64, i) = guest_word(mode64, ctx.next_args[i]);
        return HVM_HYPERCALL_PREEMPTED;
    }
    *rax = guest_word(mode64, rc);
    return HVM_HYPERCALL_COMPLETED;
}

/* The HVM callback vector, when the guest asked for upcalls that way. */
static bool upcall_pending(struct vcpu *v)
{
    return v->vcpu_info &&
           __atomic_load_n(&v->vcpu_info->evtchn_upcall_pending, __ATOMIC_SEQ_CST);
}

int hvm_callback_vector(struct vcpu *v)
{
    uint64_t via = v->domain->hvm_params[HVM_PARAM_CALLBACK_IRQ];

    if ( (via >> 56) != HVM_PARAM_CALLBACK_TYPE_VECTOR || !upcall_pending(v) )
        return -1;
    return via & 0xff;
}

/*
 * guest_exc_trace=N: intercept the guest's #UD, #GP and #SS, log the first
 * N with where they happened, and deliver them as if nothing had looked.
 * A debugging aid for guests that die of their own exceptions.
 */
unsigned int hvm_exc_trace;
integer_param("guest_exc_trace", hvm_exc_trace);

void hvm_crash_vcpu(struct vcpu *v, const char *why)
{
    printk(XENLOG_ERR "d%uv%u: %s\n", v->domain->domain_id, v->vcpu_id, why);
    hvm_dump_vcpu(v);
    domain_crash(v->domain, why);
}

bool hvm_exc_trace_take(void)
{
    static unsigned int logged;

    if ( logged >= hvm_exc_trace )
        return false;
    logged++;
    return true;
}

/* ---- the common vCPU entry points ---- */

bool arch_vcpu_has_pending_event(struct vcpu *v)
{
    return v->arch.nmi_pending || vlapic_pending_vector(v) >= 0 ||
           upcall_pending(v);
}

void arch_vcpu_kick(struct vcpu *v)
{
    unsigned int cpu = v->processor;

    if ( v->unit.running && cpu != smp_processor_id() )
        arch_send_event_check(cpu);
}

/*
 * VCPUOP_initialise for HVM/PVH: the vCPU starts from the state given.  A
 * state the CPU refuses ends in a failed VM entry, which crashes only this
 * domain; only what would hurt the hypervisor is checked here.
 */
long arch_vcpu_initialise(struct hypercall_ctx *ctx, struct vcpu *v, uint64_t arg)
{
    struct vcpu_hvm_context c;

    if ( v->initialised )
        return -EEXIST;
    if ( copy_from_guest(ctx, &c, arg, sizeof(c)) )
        return -EFAULT;
    if ( c.mode != VCPU_HVM_MODE_32B && c.mode != VCPU_HVM_MODE_64B )
        return -EINVAL;
    hvm_funcs->vcpu_load_context(v, &c);
    v->initialised = true;
    return 0;
}

/* The control domain going away takes the machine with it, as in Xen. */
static void hardware_domain_stopped(struct domain *d)
{
    switch ( d->shutdown_reason )
    {
    case SHUTDOWN_poweroff:
        printk("Hardware domain shut down: powering off\n");
        machine_power_off();
    case SHUTDOWN_reboot:
        printk("Hardware domain asked for a reboot: rebooting\n");
        machine_restart();
    default:
        printk("Hardware domain %s (reason %u)\n",
               d->state == DOMAIN_CRASHED ? "crashed" : "shut down",
               d->shutdown_reason);
        machine_halt_or_reboot();
    }
}

/*
 * The vCPU's pvclock, refreshed as it goes on a CPU: with one TSC rate
 * for the whole machine the values stay right while it runs.
 */
static void update_vcpu_time(struct vcpu *v)
{
    struct vcpu_time_info *t;
    uint64_t tsc;

    if ( !v->vcpu_info )
        return;
    t = &v->vcpu_info->time;
    __atomic_store_n(&t->version, t->version + 1, __ATOMIC_SEQ_CST);  /* odd */
    tsc = rdtsc();
    t->tsc_timestamp = tsc;
    t->system_time = tsc_to_system_time(tsc);
    time_pvclock_scale(&t->tsc_to_system_mul, &t->tsc_shift);
    t->flags = XEN_PVCLOCK_TSC_STABLE_BIT;
    __atomic_store_n(&t->version, t->version + 1, __ATOMIC_SEQ_CST);  /* even */
}

/* The registered runstate copy, refreshed as the vCPU goes on a CPU. */
static void update_runstate_area(struct vcpu *v)
{
    struct vcpu_runstate_info rs;

    if ( !v->runstate_guest )
        return;
    vcpu_runstate_get(v, &rs);
    /* A guest that unmapped it loses the copy, not the hypervisor. */
    if ( linear_copy_to(v, v->runstate_guest, &rs, sizeof(rs)) )
        v->runstate_guest = 0;
}

void arch_vcpu_run(struct vcpu *v)
{
    unsigned int cpu = smp_processor_id();
    int idle = -1;

    /*
     * A vCPU on two CPUs at once would have both enter one VMCB/VMCS:
     * refuse loudly rather than corrupt it (hunting an open bug).
     */
    if ( !__atomic_compare_exchange_n(&v->arch.running_on, &idle, (int)cpu, false,
                                      __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) )
    {
        printk(XENLOG_ERR "d%uv%u: already running on CPU%d, not entering on CPU%u\n",
               v->domain->domain_id, v->vcpu_id, idle, cpu);
        return;
    }
    hvm_funcs->vcpu_load(v);
    update_runstate_area(v);
    update_vcpu_time(v);
    xstate_load(v);
    wrmsr(MSR_TSC_AUX, v->arch.msr_tsc_aux);
    hvm_funcs->run_loop(v);
    xstate_save(v);
    hvm_funcs->vcpu_put(v);
    __atomic_store_n(&v->arch.running_on, -1, __ATOMIC_SEQ_CST);
    if ( v->domain->is_privileged &&
         (v->domain->state == DOMAIN_SHUTDOWN || v->domain->state == DOMAIN_CRASHED) )
        hardware_domain_stopped(v->domain);
}

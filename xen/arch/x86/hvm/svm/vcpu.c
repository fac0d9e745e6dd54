/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running a vCPU on AMD-V: the VMRUN loop, interrupt and exception
 * injection, and the exit handlers (one table, indexed by exit code).
 *
 * QEMU's SVM has no NRIPS and no decode assists, so when next_rip is not
 * offered the instruction at RIP is fetched through the guest's page
 * tables and checked to be the one that exited before RIP moves past it;
 * an instruction we cannot account for crashes the domain, never the host.
 * I/O exits carry the next RIP in EXITINFO2, so they need no decoding.
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
#include <asm/hvm/insn_decode.h>
#include <asm/hvm/msr.h>
#include <asm/hvm/svm.h>
#include <asm/hvm/vlapic.h>
#include <asm/hvm/xstate.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/shutdown.h>
#include <asm/time.h>
#include <public/hvm_params.h>
#include <public/sched.h>
#include <public/xen.h>

#define VEC_UD          6
#define VEC_GP          13
#define CS_ATTR_L       (1u << 9)
#define CS_ATTR_D       (1u << 10)
#define DEBUG_PORT      0xe9     /* Bochs/Xen debug console port */

enum exit_result {
    EXIT_CONTINUE,      /* enter the guest again */
    EXIT_RESCHEDULE,    /* leave the loop: blocked, down, crashed */
};

typedef enum exit_result (*exit_handler_t)(struct vcpu *v);

static struct vmcb *vmcb_of(struct vcpu *v)
{
    return v->arch.vmcb;
}

static void inject_exception(struct vcpu *v, unsigned int vec, bool has_error,
                             uint32_t error)
{
    v->arch.pending_event = EVENT_VALID | EVENT_TYPE_EXCEPTION | vec |
                            (has_error ? EVENT_EV | ((uint64_t)error << 32) : 0);
}

static enum exit_result inject_gp(struct vcpu *v)
{
    inject_exception(v, VEC_GP, true, 0);
    return EXIT_CONTINUE;
}

static enum exit_result inject_ud(struct vcpu *v)
{
    inject_exception(v, VEC_UD, false, 0);
    return EXIT_CONTINUE;
}

static enum exit_result crash(struct vcpu *v, const char *why)
{
    printk(XENLOG_ERR "d%uv%u: %s\n", v->domain->domain_id, v->vcpu_id, why);
    svm_dump_vcpu(v);
    domain_crash(v->domain, why);
    return EXIT_RESCHEDULE;
}

static enum insn_mode guest_mode(const struct vmcb *vmcb)
{
    if ( (vmcb->efer & EFER_LMA) && (vmcb->cs.attr & CS_ATTR_L) )
        return INSN_MODE_64;
    return (vmcb->cs.attr & CS_ATTR_D) ? INSN_MODE_32 : INSN_MODE_16;
}

static uint64_t rip_linear(const struct vmcb *vmcb)
{
    uint64_t la = vmcb->cs.base + vmcb->rip;

    return guest_mode(vmcb) == INSN_MODE_64 ? la : (uint32_t)la;
}

/* Up to 15 instruction bytes at CS:RIP; how many could be read. */
static unsigned int fetch_insn(struct vcpu *v, uint8_t *buf)
{
    uint64_t la = rip_linear(vmcb_of(v));
    unsigned int first = PAGE_SIZE - (la & (PAGE_SIZE - 1));

    if ( first > INSN_MAX_LEN )
        first = INSN_MAX_LEN;
    if ( linear_copy_from(v, buf, la, first, true) )
        return 0;
    if ( first < INSN_MAX_LEN &&
         !linear_copy_from(v, buf + first, la + first, INSN_MAX_LEN - first, true) )
        return INSN_MAX_LEN;
    return first;
}

/* Step over the exiting instruction, which must be `insn`. */
static bool skip_insn(struct vcpu *v, enum insn_known insn)
{
    struct vmcb *vmcb = vmcb_of(v);
    uint8_t buf[INSN_MAX_LEN];
    unsigned int avail;
    int len;

    /* The instruction completes here, which ends any STI/MOV SS shadow. */
    vmcb->interrupt_shadow = 0;
    if ( svm_feature_flags() & SVM_FEATURE_NRIPS )
    {
        vmcb->rip = vmcb->next_rip;
        return true;
    }
    avail = fetch_insn(v, buf);
    len = avail ? insn_length_of(buf, avail, guest_mode(vmcb), insn) : -EFAULT;
    if ( len <= 0 )
        return false;
    vmcb->rip += len;
    if ( guest_mode(vmcb) != INSN_MODE_64 )
        vmcb->rip = (uint32_t)vmcb->rip;
    return true;
}

static enum exit_result skip_or_crash(struct vcpu *v, enum insn_known insn)
{
    if ( skip_insn(v, insn) )
        return EXIT_CONTINUE;
    return crash(v, "cannot decode the instruction that exited");
}

/* GPR number in x86 encoding order: RAX and RSP live in the VMCB. */
static uint64_t *gpr_slot(struct vcpu *v, unsigned int n)
{
    struct svm_guest_regs *r = &v->arch.regs;
    uint64_t *slots[16] = {
        NULL, &r->rcx, &r->rdx, &r->rbx, NULL, &r->rbp, &r->rsi, &r->rdi,
        &r->r8, &r->r9, &r->r10, &r->r11, &r->r12, &r->r13, &r->r14, &r->r15,
    };

    return slots[n & 15];
}

static uint64_t gpr_get(struct vcpu *v, unsigned int n)
{
    if ( n == 0 )
        return vmcb_of(v)->rax;
    if ( n == 4 )
        return vmcb_of(v)->rsp;
    return *gpr_slot(v, n);
}

static void gpr_set(struct vcpu *v, unsigned int n, uint64_t val)
{
    if ( n == 0 )
        vmcb_of(v)->rax = val;
    else if ( n == 4 )
        vmcb_of(v)->rsp = val;
    else
        *gpr_slot(v, n) = val;
}

/* ---- exit handlers ---- */

static enum exit_result exit_nothing(struct vcpu *v)
{
    return EXIT_CONTINUE;     /* the host took the interrupt after STGI */
}

static enum exit_result exit_vintr(struct vcpu *v)
{
    struct vmcb *vmcb = vmcb_of(v);

    /* The window we asked for is open: injection happens on entry. */
    vmcb->vintr &= ~(VINTR_V_IRQ | VINTR_IGN_TPR | (0xfULL << VINTR_PRIO_SHIFT));
    vmcb->intercepts1 &= ~INTERCEPT_VINTR;
    return EXIT_CONTINUE;
}

static void host_cpuid(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r)
{
    cpuid_count(leaf, subleaf, r);
}

/*
 * guest_xsave: offer XSAVE (AVX, PKRU) to guests.  Off by default: with
 * it, Debian's 6.1 kernel under QEMU TCG takes #GP in XRSTOR on its first
 * signal return (user-space sigframe), which kills init; with FXSAVE only
 * it runs.  Not understood yet, so not offered; the switching code stays
 * (tested with XSAVE in the hypervisor itself).
 */
static bool opt_guest_xsave;
boolean_param("guest_xsave", opt_guest_xsave);

static enum exit_result exit_cpuid(struct vcpu *v)
{
    struct vmcb *vmcb = vmcb_of(v);
    struct guest_cpuid_ctx ctx = {
        .domid = v->domain->domain_id, .vcpu_id = v->vcpu_id,
        .apic_id = v->arch.vlapic.id, .tsc_khz = cpu_khz,
        .xcr0_mask = opt_guest_xsave ? xstate_guest_mask() : 0,
        .host_cpuid = host_cpuid,
    };
    struct cpuid_regs r;

    if ( !skip_insn(v, INSN_CPUID) )
        return crash(v, "cannot decode the instruction that exited");
    guest_cpuid(&ctx, (uint32_t)vmcb->rax, (uint32_t)v->arch.regs.rcx, &r);
    vmcb->rax = r.a;
    v->arch.regs.rbx = r.b;
    v->arch.regs.rcx = r.c;
    v->arch.regs.rdx = r.d;
    return EXIT_CONTINUE;
}

static enum exit_result exit_msr(struct vcpu *v)
{
    struct vmcb *vmcb = vmcb_of(v);
    uint32_t msr = v->arch.regs.rcx;
    bool write = vmcb->exitinfo1 & 1;
    uint64_t val;

    if ( write )
    {
        val = (v->arch.regs.rdx << 32) | (uint32_t)vmcb->rax;
        if ( guest_wrmsr(v, msr, val) )
            return inject_gp(v);
        return skip_or_crash(v, INSN_WRMSR);
    }
    if ( guest_rdmsr(v, msr, &val) )
        return inject_gp(v);
    vmcb->rax = (uint32_t)val;
    v->arch.regs.rdx = val >> 32;
    return skip_or_crash(v, INSN_RDMSR);
}

static void debug_port_write(struct vcpu *v, char c)
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

static bool is_reset_request(unsigned int port, uint8_t val)
{
    return (port == KBC_COMMAND_PORT && val == KBC_PULSE_RESET) ||
           (port == RESET_CONTROL_PORT && (val & RESET_CONTROL_RESET));
}

/* No device is behind any other port: reads float high, writes vanish. */
static enum exit_result exit_ioio(struct vcpu *v)
{
    struct vmcb *vmcb = vmcb_of(v);
    uint32_t info = vmcb->exitinfo1;
    unsigned int port = info >> IOIO_PORT_SHIFT;
    unsigned int size = (info >> IOIO_SIZE_SHIFT) & 7;
    uint64_t mask = size == 4 ? 0xffffffffULL : size == 2 ? 0xffff : 0xff;

    if ( info & IOIO_STR )
        return crash(v, "string port I/O is not emulated");
    if ( info & IOIO_TYPE_IN )
    {
        uint64_t val = port == DEBUG_PORT ? DEBUG_PORT : ~0ULL;

        vmcb->rax = size == 4 ? (uint32_t)val : (vmcb->rax & ~mask) | (val & mask);
    }
    else if ( port == DEBUG_PORT )
        debug_port_write(v, (char)vmcb->rax);
    else if ( is_reset_request(port, (uint8_t)vmcb->rax) )
    {
        printk("d%u: reset through port %#x: rebooting the domain\n",
               v->domain->domain_id, port);
        domain_shutdown(v->domain, SHUTDOWN_reboot);
        vmcb->rip = vmcb->exitinfo2;
        return EXIT_RESCHEDULE;
    }
    vmcb->rip = vmcb->exitinfo2;           /* the next instruction */
    vmcb->interrupt_shadow = 0;
    return EXIT_CONTINUE;
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

static enum exit_result exit_hlt(struct vcpu *v)
{
    struct vmcb *vmcb = vmcb_of(v);

    if ( !skip_insn(v, INSN_HLT) )
        return crash(v, "cannot decode the instruction that exited");
    if ( !(vmcb->rflags & X86_EFLAGS_IF) )
    {
        /* Nothing but NMI/INIT could wake it: the vCPU is gone, as in Xen. */
        printk("d%uv%u: HLT with interrupts off: vCPU down\n",
               v->domain->domain_id, v->vcpu_id);
        v->is_up = false;
        sched_domain_changed(v->domain);
        all_vcpus_down_check(v->domain);
        return EXIT_RESCHEDULE;
    }
    vcpu_block(v);
    return v->blocked ? EXIT_RESCHEDULE : EXIT_CONTINUE;
}

static enum exit_result exit_vmmcall(struct vcpu *v)
{
    struct vmcb *vmcb = vmcb_of(v);
    struct svm_guest_regs *r = &v->arch.regs;
    struct vcpu_guest_mem gm;
    struct hypercall_ctx ctx = {
        .privileged = v->domain->is_privileged, .domain = v->domain, .vcpu = v,
    };
    uint64_t args[HYPERCALL_MAX_ARGS];

    if ( !skip_insn(v, INSN_VMMCALL) )
        return crash(v, "cannot decode the instruction that exited");
    /* Hypercalls are for the guest kernel, as in Xen's HVM guests. */
    if ( vmcb->cpl != 0 )
    {
        vmcb->rax = (uint64_t)-EPERM;
        return EXIT_CONTINUE;
    }
    vcpu_guest_mem_init(&gm, v);
    ctx.mem = &gm.ops;
    if ( guest_mode(vmcb) == INSN_MODE_64 )
    {
        args[0] = r->rdi; args[1] = r->rsi; args[2] = r->rdx;
        args[3] = r->r10; args[4] = r->r8;
        vmcb->rax = hypercall_dispatch(&ctx, vmcb->rax, args);
    }
    else
    {
        args[0] = (uint32_t)r->rbx; args[1] = (uint32_t)r->rcx;
        args[2] = (uint32_t)r->rdx; args[3] = (uint32_t)r->rsi;
        args[4] = (uint32_t)r->rdi;
        vmcb->rax = (uint32_t)hypercall_dispatch(&ctx, (uint32_t)vmcb->rax, args);
    }
    return vcpu_runnable(v) ? EXIT_CONTINUE : EXIT_RESCHEDULE;
}

static enum exit_result exit_xsetbv(struct vcpu *v)
{
    uint64_t val = (v->arch.regs.rdx << 32) | (uint32_t)vmcb_of(v)->rax;

    if ( vmcb_of(v)->cpl != 0 ||
         xstate_set_xcr0(v, (uint32_t)v->arch.regs.rcx, val) )
        return inject_gp(v);
    return skip_or_crash(v, INSN_XSETBV);
}

static enum exit_result exit_invd(struct vcpu *v)
{
    return skip_or_crash(v, INSN_INVD);   /* nothing cached to drop */
}

/* The local APIC page in xAPIC mode; anything else outside RAM is fatal. */
static enum exit_result exit_npf(struct vcpu *v)
{
    struct vmcb *vmcb = vmcb_of(v);
    uint64_t gpa = vmcb->exitinfo2;
    uint8_t buf[INSN_MAX_LEN];
    struct mmio_insn insn;
    unsigned int avail;
    char why[96];

    if ( vlapic_mmio_enabled(v) &&
         (gpa & ~(uint64_t)(PAGE_SIZE - 1)) == vlapic_base_gpa(v) )
    {
        avail = fetch_insn(v, buf);
        if ( !avail || insn_decode_mmio(buf, avail, guest_mode(vmcb), &insn) )
            return crash(v, "cannot decode an access to the local APIC page");
        if ( insn.kind == MMIO_LOAD )
        {
            uint64_t val = vlapic_mmio_read(v, gpa & (PAGE_SIZE - 1));
            uint64_t old = gpr_get(v, insn.reg);

            if ( insn.size < 4 )
                val &= (1ULL << (insn.size * 8)) - 1;
            /* 32- and 64-bit destinations are written whole (upper half 0). */
            if ( insn.dst_size < 4 )
            {
                uint64_t m = (1ULL << (insn.dst_size * 8)) - 1;

                val = (old & ~m) | (val & m);
            }
            gpr_set(v, insn.reg, val);
        }
        else
        {
            uint64_t val = insn.kind == MMIO_STORE_IMM ? insn.imm : gpr_get(v, insn.reg);

            if ( insn.high_byte )
                val >>= 8;
            vlapic_mmio_write(v, gpa & (PAGE_SIZE - 1), (uint32_t)val);
        }
        vmcb->rip += insn.len;
        vmcb->interrupt_shadow = 0;
        return EXIT_CONTINUE;
    }
    snprintf(why, sizeof(why), "%s of guest-physical %#lx, outside its memory",
             (vmcb->exitinfo1 & 0x10) ? "instruction fetch" :
             (vmcb->exitinfo1 & 2) ? "write" : "read", (unsigned long)gpa);
    return crash(v, why);
}

/*
 * guest_exc_trace=N: intercept the guest's #UD, #GP and #SS, log the first
 * N with where they happened, and deliver them as if nothing had looked.
 * A debugging aid for guests that die of their own exceptions.
 */
static unsigned int opt_guest_exc_trace;
integer_param("guest_exc_trace", opt_guest_exc_trace);
#define TRACED_EXCEPTIONS ((1u << 6) | (1u << 12) | (1u << 13))

static enum exit_result exit_exception(struct vcpu *v)
{
    struct vmcb *vmcb = vmcb_of(v);
    unsigned int vec = vmcb->exitcode - VMEXIT_EXCP_BASE;
    bool has_error = vec == 12 || vec == 13;
    static unsigned int logged;

    if ( logged < opt_guest_exc_trace )
    {
        logged++;
        printk("d%uv%u: exception %u error %#lx at rip %#lx (cpl %u)\n",
               v->domain->domain_id, v->vcpu_id, vec,
               (unsigned long)vmcb->exitinfo1, (unsigned long)vmcb->rip, vmcb->cpl);
    }
    inject_exception(v, vec, has_error, (uint32_t)vmcb->exitinfo1);
    return EXIT_CONTINUE;
}

static enum exit_result exit_shutdown(struct vcpu *v)
{
    return crash(v, "triple fault");
}

static const exit_handler_t exit_handlers[] = {
    [VMEXIT_INTR] = exit_nothing,
    [VMEXIT_NMI] = exit_nothing,
    [VMEXIT_SMI] = exit_nothing,
    [VMEXIT_INIT] = exit_nothing,
    [VMEXIT_VINTR] = exit_vintr,
    [VMEXIT_RDPMC] = inject_gp,
    [VMEXIT_CPUID] = exit_cpuid,
    [VMEXIT_RSM] = inject_ud,
    [VMEXIT_INVD] = exit_invd,
    [VMEXIT_HLT] = exit_hlt,
    [VMEXIT_INVLPGA] = inject_ud,
    [VMEXIT_IOIO] = exit_ioio,
    [VMEXIT_MSR] = exit_msr,
    [VMEXIT_SHUTDOWN] = exit_shutdown,
    [VMEXIT_VMRUN] = inject_ud,
    [VMEXIT_VMMCALL] = exit_vmmcall,
    [VMEXIT_VMLOAD] = inject_ud,
    [VMEXIT_VMSAVE] = inject_ud,
    [VMEXIT_STGI] = inject_ud,
    [VMEXIT_CLGI] = inject_ud,
    [VMEXIT_SKINIT] = inject_ud,
    [VMEXIT_MONITOR] = inject_ud,
    [VMEXIT_MWAIT] = inject_ud,
    [VMEXIT_MWAIT_ARMED] = inject_ud,
    [VMEXIT_XSETBV] = exit_xsetbv,
};

static enum exit_result handle_exit(struct vcpu *v)
{
    struct vmcb *vmcb = vmcb_of(v);
    uint64_t code = vmcb->exitcode;
    exit_handler_t h = NULL;

    /* An event cut short by the exit is delivered again (APM 15.7.2). */
    vmcb->eventinj = (vmcb->exitintinfo & EVENT_VALID) ? vmcb->exitintinfo : 0;
    if ( (uint32_t)code == VMEXIT_INVALID )
        return crash(v, "VMRUN refused the guest state (VMEXIT_INVALID)");
    if ( code == VMEXIT_NPF )
        return exit_npf(v);
    if ( code >= VMEXIT_EXCP_BASE && code < VMEXIT_EXCP_BASE + 32 )
        return exit_exception(v);
    if ( code < ARRAY_SIZE(exit_handlers) )
        h = exit_handlers[code];
    if ( !h )
    {
        char why[48];

        snprintf(why, sizeof(why), "unexpected VM exit %#lx", (unsigned long)code);
        return crash(v, why);
    }
    return h(v);
}

/* ---- injection ---- */

/* The HVM callback vector, when the guest asked for upcalls that way. */
static bool upcall_pending(struct vcpu *v)
{
    return v->vcpu_info &&
           __atomic_load_n(&v->vcpu_info->evtchn_upcall_pending, __ATOMIC_SEQ_CST);
}

static int callback_vector(struct vcpu *v)
{
    uint64_t via = v->domain->hvm_params[HVM_PARAM_CALLBACK_IRQ];

    if ( (via >> 56) != HVM_PARAM_CALLBACK_TYPE_VECTOR || !upcall_pending(v) )
        return -1;
    return via & 0xff;
}

bool arch_vcpu_has_pending_event(struct vcpu *v)
{
    return v->arch.nmi_pending || vlapic_pending_vector(v) >= 0 ||
           upcall_pending(v);
}

static void request_irq_window(struct vmcb *vmcb)
{
    vmcb->vintr |= VINTR_V_IRQ | VINTR_IGN_TPR | (0xfULL << VINTR_PRIO_SHIFT);
    vmcb->intercepts1 |= INTERCEPT_VINTR;
}

static void inject_pending(struct vcpu *v)
{
    struct vmcb *vmcb = vmcb_of(v);
    int cb, lapic;

    if ( vmcb->eventinj & EVENT_VALID )
        return;                            /* re-injection comes first */
    if ( v->arch.pending_event )
    {
        vmcb->eventinj = v->arch.pending_event;
        v->arch.pending_event = 0;
        return;
    }
    if ( v->arch.nmi_pending )
    {
        v->arch.nmi_pending = false;
        vmcb->eventinj = EVENT_VALID | EVENT_TYPE_NMI | 2;
        return;
    }
    cb = callback_vector(v);
    lapic = vlapic_pending_vector(v);
    if ( cb < 0 && lapic < 0 )
        return;
    if ( !(vmcb->rflags & X86_EFLAGS_IF) || (vmcb->interrupt_shadow & VMCB_INT_SHADOW) )
    {
        request_irq_window(vmcb);
        return;
    }
    /* The callback vector is delivered directly, not through the APIC. */
    if ( cb >= 0 )
        vmcb->eventinj = EVENT_VALID | EVENT_TYPE_INTR | (unsigned int)cb;
    else
    {
        vlapic_ack_vector(v, lapic);
        vmcb->eventinj = EVENT_VALID | EVENT_TYPE_INTR | (unsigned int)lapic;
    }
}

void arch_vcpu_kick(struct vcpu *v)
{
    unsigned int cpu = v->processor;

    if ( v->unit.running && cpu != smp_processor_id() )
        arch_send_event_check(cpu);
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
    paddr_t vmcb_pa = virt_to_maddr(v->arch.vmcb);
    paddr_t host_pa = svm_host_vmsave_pa(cpu);
    int idle = -1;

    /*
     * A vCPU on two CPUs at once would have both VMRUN one VMCB: refuse
     * loudly rather than corrupt it (hunting an open bug, see the notes).
     */
    if ( !__atomic_compare_exchange_n(&v->arch.running_on, &idle, (int)cpu, false,
                                      __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) )
    {
        printk(XENLOG_ERR "d%uv%u: already running on CPU%d, not entering on CPU%u\n",
               v->domain->domain_id, v->vcpu_id, idle, cpu);
        return;
    }
    if ( vmcb_pa == host_pa || vmcb_pa == svm_hsave_pa(cpu) )
        panic("d%uv%u: VMCB %#lx is a host save area of CPU%u",
              v->domain->domain_id, v->vcpu_id, (unsigned long)vmcb_pa, cpu);
    update_runstate_area(v);
    update_vcpu_time(v);
    xstate_load(v);
    wrmsr(MSR_TSC_AUX, v->arch.msr_tsc_aux);
    if ( opt_guest_exc_trace )
        v->arch.vmcb->exception_intercepts = TRACED_EXCEPTIONS;
    for ( ; ; )
    {
        local_irq_disable();
        if ( softirq_pending(cpu) || !vcpu_runnable(v) )
        {
            local_irq_enable();
            break;
        }
        /* Announce guest mode before reading the p2m generation: see
         * flush_domain_tlbs(). */
        __atomic_store_n(&v->arch.in_guest, true, __ATOMIC_SEQ_CST);
        svm_assign_asid(v, cpu);
        inject_pending(v);
        svm_vmrun(vmcb_pa, &v->arch.regs, host_pa);   /* returns with IF=1 */
        __atomic_store_n(&v->arch.in_guest, false, __ATOMIC_SEQ_CST);
        if ( handle_exit(v) == EXIT_RESCHEDULE )
            break;
    }
    xstate_save(v);
    __atomic_store_n(&v->arch.running_on, -1, __ATOMIC_SEQ_CST);
    if ( v->domain->is_privileged &&
         (v->domain->state == DOMAIN_SHUTDOWN || v->domain->state == DOMAIN_CRASHED) )
        hardware_domain_stopped(v->domain);
}

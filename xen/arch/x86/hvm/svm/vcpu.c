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
#include <asm/hvm/hvm.h>
#include <asm/hvm/insn_decode.h>
#include <asm/hvm/mmio.h>
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
    hvm_crash_vcpu(v, why);
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

/*
 * Where the exiting instruction, which must be `insn`, ends: next_rip
 * with NRIPS, else its length decoded from guest memory.  False if the
 * bytes at RIP are not that instruction (or cannot be read).
 */
static bool find_next_rip(struct vcpu *v, enum insn_known insn, uint64_t *next)
{
    struct vmcb *vmcb = vmcb_of(v);
    uint8_t buf[INSN_MAX_LEN];
    unsigned int avail;
    int len;

    if ( svm_feature_flags() & SVM_FEATURE_NRIPS )
    {
        *next = vmcb->next_rip;
        return true;
    }
    avail = fetch_insn(v, buf);
    len = avail ? insn_length_of(buf, avail, guest_mode(vmcb), insn) : -EFAULT;
    if ( len <= 0 )
        return false;
    *next = vmcb->rip + len;
    if ( guest_mode(vmcb) != INSN_MODE_64 )
        *next = (uint32_t)*next;
    return true;
}

/* The instruction completes here, which ends any STI/MOV SS shadow. */
static void complete_insn(struct vcpu *v, uint64_t next_rip)
{
    vmcb_of(v)->interrupt_shadow = 0;
    vmcb_of(v)->rip = next_rip;
}

/* Step over the exiting instruction, which must be `insn`. */
static bool skip_insn(struct vcpu *v, enum insn_known insn)
{
    uint64_t next;

    if ( !find_next_rip(v, insn, &next) )
        return false;
    complete_insn(v, next);
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

uint64_t svm_get_gpr(struct vcpu *v, unsigned int n)
{
    if ( (n & 15) == 0 )
        return vmcb_of(v)->rax;
    if ( (n & 15) == 4 )
        return vmcb_of(v)->rsp;
    return *gpr_slot(v, n);
}

void svm_set_gpr(struct vcpu *v, unsigned int n, uint64_t val)
{
    if ( (n & 15) == 0 )
        vmcb_of(v)->rax = val;
    else if ( (n & 15) == 4 )
        vmcb_of(v)->rsp = val;
    else
        *gpr_slot(v, n) = val;
}

uint64_t svm_get_rflags(struct vcpu *v)
{
    return vmcb_of(v)->rflags;
}

void svm_set_rflags(struct vcpu *v, uint64_t val)
{
    vmcb_of(v)->rflags = val;
}

/* ---- exit handlers ---- */

static enum exit_result exit_nothing(struct vcpu *v)
{
    return EXIT_CONTINUE;     /* the host took the interrupt after STGI */
}

static enum exit_result exit_cpuid(struct vcpu *v)
{
    struct vmcb *vmcb = vmcb_of(v);
    struct cpuid_regs r;

    if ( guest_cpuid_faults(v, vmcb->cpl) )
        return inject_gp(v);
    if ( !skip_insn(v, INSN_CPUID) )
        return crash(v, "cannot decode the instruction that exited");
    hvm_guest_cpuid(v, (uint32_t)vmcb->rax, (uint32_t)v->arch.regs.rcx, &r);
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
        uint64_t val = port == HVM_DEBUG_PORT ? HVM_DEBUG_PORT : ~0ULL;

        vmcb->rax = size == 4 ? (uint32_t)val : (vmcb->rax & ~mask) | (val & mask);
    }
    else if ( port == HVM_DEBUG_PORT )
        hvm_debug_port_write(v, (char)vmcb->rax);
    else if ( hvm_is_reset_request(port, (uint8_t)vmcb->rax) )
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

static enum exit_result exit_hlt(struct vcpu *v)
{
    struct vmcb *vmcb = vmcb_of(v);

    if ( !skip_insn(v, INSN_HLT) )
        return crash(v, "cannot decode the instruction that exited");
    if ( !(vmcb->rflags & X86_EFLAGS_IF) )
    {
        hvm_vcpu_halted_for_good(v);
        return EXIT_RESCHEDULE;
    }
    vcpu_block(v);
    return v->blocked ? EXIT_RESCHEDULE : EXIT_CONTINUE;
}

/*
 * A hypercall: RIP moves past VMMCALL only once it has completed; a
 * continued one leaves RIP on it, so the guest, after whatever is due
 * (interrupts, events, other vCPUs), executes it again with the argument
 * registers hvm_hypercall() updated.
 */
static enum exit_result exit_vmmcall(struct vcpu *v)
{
    struct vmcb *vmcb = vmcb_of(v);
    uint64_t next, rax = vmcb->rax;     /* the VMCB is packed */

    if ( !find_next_rip(v, INSN_VMMCALL, &next) )
        return crash(v, "cannot decode the instruction that exited");
    /* Hypercalls are for the guest kernel, as in Xen's HVM guests. */
    if ( vmcb->cpl != 0 )
    {
        vmcb->rax = (uint64_t)-EPERM;
        complete_insn(v, next);
        return EXIT_CONTINUE;
    }
    if ( hvm_hypercall(v, guest_mode(vmcb) == INSN_MODE_64, &rax) ==
         HVM_HYPERCALL_COMPLETED )
    {
        vmcb->rax = rax;
        complete_insn(v, next);
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

/* NPF EXITINFO1 (APM 15.25.6): the access, and which walk faulted. */
#define NPF_WRITE       (1ULL << 1)
#define NPF_FETCH       (1ULL << 4)
#define NPF_GUEST_WALK  (1ULL << 33)

/* Guest-physical space the p2m has nothing for: see hvm/mmio.c. */
static enum exit_result exit_npf(struct vcpu *v)
{
    struct vmcb *vmcb = vmcb_of(v);
    uint8_t buf[INSN_MAX_LEN];
    struct hvm_npf f = {
        .gpa = vmcb->exitinfo2, .write = vmcb->exitinfo1 & NPF_WRITE,
        .fetch = vmcb->exitinfo1 & NPF_FETCH,
        .guest_walk = vmcb->exitinfo1 & NPF_GUEST_WALK,
        .event_delivery = vmcb->exitintinfo & EVENT_VALID,
        .insn = buf, .mode = guest_mode(vmcb),
    };
    unsigned int len = 0;

    if ( !f.fetch && !f.guest_walk && !f.event_delivery )
        f.avail = fetch_insn(v, buf);
    switch ( hvm_nested_page_fault(v, &f, &len) )
    {
    case HVM_NPF_EMULATED:
        complete_insn(v, f.mode == INSN_MODE_64 ? vmcb->rip + len
                                                : (uint32_t)(vmcb->rip + len));
        return EXIT_CONTINUE;
    case HVM_NPF_RETRY:
        return EXIT_CONTINUE;
    case HVM_NPF_INJECT_GP:
        return inject_gp(v);
    case HVM_NPF_INJECT_UD:
        return inject_ud(v);
    default:
        return EXIT_RESCHEDULE;
    }
}

static enum exit_result exit_exception(struct vcpu *v)
{
    struct vmcb *vmcb = vmcb_of(v);
    unsigned int vec = vmcb->exitcode - VMEXIT_EXCP_BASE;
    bool has_error = vec == 12 || vec == 13;

    if ( hvm_exc_trace_take() )
    {
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

/* ---- injection ---- */

/*
 * External interrupts (the event-channel callback vector, vLAPIC vectors)
 * are posted as a virtual interrupt: V_IRQ with the vector, TPR ignored
 * (the vLAPIC already chose by priority).  The CPU takes it by itself as
 * soon as the guest's IF and interrupt shadow allow, with no exit to find
 * the window; at the next exit a taken vLAPIC vector is acknowledged (IRR
 * to ISR) and one not taken is withdrawn, to be offered again,
 * re-evaluated, at the next entry.
 *
 * Why not EVENTINJ: QEMU 7.2's TCG delivers an EVENTINJ interrupt inside
 * VMRUN but leaves it recorded as the CPU's pending exception, and a kick
 * from another vCPU before the guest's next exception delivers it a second
 * time, wherever the guest is and whatever its IF: typically at the
 * handler's first instruction.  From user mode that is fatal (Linux runs
 * its handler with the user's GS base, before its SWAPGS).
 *
 * Not harmless in kernel mode either: a repeat lands inside code that runs
 * with IF clear, such as the timekeeping seqcount's writer (the guest then
 * spins for ever in its own timer interrupt) or an exception entry (a
 * triple fault).  So EVENTINJ carries no interrupt where V_IRQ works.
 *
 * Where it does not: bochs does not evaluate a pending V_IRQ at VMRUN,
 * only when the guest sets IF, so a guest resumed after `sti; hlt` would
 * never take a posted one.  There, and only there (probe.c finds out at
 * boot), the wake-up from HLT goes through EVENTINJ.  An interrupt whose
 * delivery an exit cut short is posted again the same way.
 */
static bool can_take_irq_now(const struct vmcb *vmcb)
{
    return (vmcb->rflags & X86_EFLAGS_IF) && !(vmcb->interrupt_shadow & VMCB_INT_SHADOW);
}

static void post_virtual_irq(struct vcpu *v, unsigned int vector, bool from_lapic)
{
    struct vmcb *vmcb = vmcb_of(v);

    vmcb->vintr &= ~(VINTR_VECTOR_MASK | (0xfULL << VINTR_PRIO_SHIFT));
    vmcb->vintr |= VINTR_V_IRQ | VINTR_IGN_TPR | (0xfULL << VINTR_PRIO_SHIFT) |
                   ((uint64_t)vector << VINTR_VECTOR_SHIFT);
    v->arch.posted_irq = vector;
    v->arch.posted_from_lapic = from_lapic;
    v->arch.posted_reinjection = false;
}

static void offer_irq(struct vcpu *v, unsigned int vector, bool from_lapic)
{
    struct vmcb *vmcb = vmcb_of(v);

    /* The last exit (still in the VMCB until the next one) was the HLT. */
    if ( svm_virq_taken_at_vmrun() || vmcb->exitcode != VMEXIT_HLT || vmcb->cpl != 0 ||
         (vmcb->eventinj & EVENT_VALID) || !can_take_irq_now(vmcb) )
    {
        post_virtual_irq(v, vector, from_lapic);
        return;
    }
    if ( from_lapic )
        vlapic_ack_vector(v, vector);
    vmcb->eventinj = EVENT_VALID | EVENT_TYPE_INTR | vector;
}

/* At every exit: was the posted interrupt taken?  See above. */
static void settle_virtual_irq(struct vcpu *v)
{
    struct vmcb *vmcb = vmcb_of(v);
    int vector = v->arch.posted_irq;

    if ( vector < 0 )
        return;
    v->arch.posted_irq = -1;
    if ( vmcb->vintr & VINTR_V_IRQ )
    {
        vmcb->vintr &= ~(VINTR_V_IRQ | VINTR_IGN_TPR);
        /* Withdrawn; a re-post has no other source to come back from. */
        if ( v->arch.posted_reinjection )
            v->arch.reinject_irq = vector;
    }
    else if ( v->arch.posted_from_lapic )
        vlapic_ack_vector(v, vector);
}


static void inject_pending(struct vcpu *v)
{
    struct vmcb *vmcb = vmcb_of(v);
    int cb, lapic;

    if ( !(vmcb->eventinj & EVENT_VALID) )      /* re-injection comes first */
    {
        if ( v->arch.pending_event )
        {
            vmcb->eventinj = v->arch.pending_event;
            v->arch.pending_event = 0;
        }
        else if ( v->arch.nmi_pending )
        {
            v->arch.nmi_pending = false;
            vmcb->eventinj = EVENT_VALID | EVENT_TYPE_NMI | 2;
        }
    }
    if ( v->arch.reinject_irq >= 0 )
    {
        post_virtual_irq(v, (unsigned int)v->arch.reinject_irq, false);
        v->arch.posted_reinjection = true;
        v->arch.reinject_irq = -1;
        return;                     /* the others wait for the next entry */
    }
    /* The callback vector is delivered directly, not through the APIC. */
    cb = hvm_callback_vector(v);
    lapic = cb < 0 ? vlapic_pending_vector(v) : -1;
    if ( cb >= 0 )
        offer_irq(v, (unsigned int)cb, false);
    else if ( lapic >= 0 )
        offer_irq(v, (unsigned int)lapic, true);
}

/*
 * An event cut short by the exit is delivered again (APM 15.7.2).  QEMU
 * records an external interrupt it was delivering as an exception; an
 * exception vector above 31 is refused by VMRUN, so it goes back as what
 * it is, an interrupt.
 */
static uint64_t reinjection_of(uint64_t info)
{
    if ( !(info & EVENT_VALID) )
        return 0;
    if ( (info & (7ULL << 8)) == EVENT_TYPE_EXCEPTION && (info & 0xff) >= 32 )
        info = (info & ~((7ULL << 8) | EVENT_EV)) | EVENT_TYPE_INTR;
    return info;
}

/*
 * What an exit cut short goes back in: exceptions and NMIs through
 * EVENTINJ, an interrupt as a V_IRQ again where V_IRQ works (see above).
 */
static void reinject(struct vcpu *v, uint64_t info)
{
    struct vmcb *vmcb = vmcb_of(v);
    uint64_t ev = reinjection_of(info);

    vmcb->eventinj = 0;
    if ( (ev & EVENT_VALID) && (ev & (7ULL << 8)) == EVENT_TYPE_INTR &&
         svm_virq_taken_at_vmrun() )
        v->arch.reinject_irq = ev & 0xff;
    else
        vmcb->eventinj = ev;
}

static enum exit_result handle_exit(struct vcpu *v)
{
    struct vmcb *vmcb = vmcb_of(v);
    uint64_t code = vmcb->exitcode;
    exit_handler_t h = NULL;

    settle_virtual_irq(v);
    reinject(v, vmcb->exitintinfo);
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

/* The guest exceptions guest_exc_trace= intercepts: #UD, #SS, #GP. */
#define TRACED_EXCEPTIONS ((1u << 6) | (1u << 12) | (1u << 13))

void svm_vcpu_load(struct vcpu *v)
{
    unsigned int cpu = smp_processor_id();
    paddr_t vmcb_pa = virt_to_maddr(v->arch.vmcb);

    if ( vmcb_pa == svm_host_vmsave_pa(cpu) || vmcb_pa == svm_hsave_pa(cpu) )
        panic("d%uv%u: VMCB %#lx is a host save area of CPU%u",
              v->domain->domain_id, v->vcpu_id, (unsigned long)vmcb_pa, cpu);
    if ( hvm_exc_trace )
        v->arch.vmcb->exception_intercepts = TRACED_EXCEPTIONS;
}

void svm_vcpu_put(struct vcpu *v)
{
}

void svm_run_loop(struct vcpu *v)
{
    unsigned int cpu = smp_processor_id();
    paddr_t vmcb_pa = virt_to_maddr(v->arch.vmcb);
    paddr_t host_pa = svm_host_vmsave_pa(cpu);

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
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running a vCPU on VT-x: the VM entry loop, event injection and the exit
 * handlers (one table, indexed by basic exit reason).  The guest sees the
 * same machine as under SVM: what ports, CPUID leaves, MSRs and hypercalls
 * mean comes from hvm.c and msr.c, shared with the SVM backend.
 *
 * VMX always reports the length of the instruction that exited (for the
 * exits that have one), so no instruction is decoded to be skipped; only
 * accesses reported as EPT violations (the xAPIC page, unclaimed space:
 * hvm/mmio.c) are decoded to be emulated.
 */
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
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
#include <asm/hvm/vlapic.h>
#include <asm/hvm/vmx.h>
#include <asm/hvm/xstate.h>
#include <asm/p2m.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <public/sched.h>

#define VEC_UD 6
#define VEC_GP 13

enum exit_result {
    EXIT_CONTINUE,      /* enter the guest again */
    EXIT_RESCHEDULE,    /* leave the loop: blocked, down, crashed */
};

typedef enum exit_result (*exit_handler_t)(struct vcpu *v);

static void inject_exception(struct vcpu *v, unsigned int vec, bool has_error,
                             uint32_t error)
{
    v->arch.pending_event = INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION | vec |
                            (has_error ? INTR_INFO_DELIVER_ERROR |
                                         ((uint64_t)error << 32) : 0);
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

static enum insn_mode guest_mode(void)
{
    uint32_t cs_ar = vmread(GUEST_ES_AR + 2 * SEG_CS);

    if ( (vmread(GUEST_EFER) & EFER_LMA) && (cs_ar & AR_L) )
        return INSN_MODE_64;
    return (cs_ar & AR_DB) ? INSN_MODE_32 : INSN_MODE_16;
}

static unsigned int guest_cpl(void)
{
    return AR_DPL(vmread(GUEST_ES_AR + 2 * SEG_SS));
}

/* Up to 15 instruction bytes at CS:RIP; how many could be read. */
static unsigned int fetch_insn(struct vcpu *v, uint8_t *buf)
{
    uint64_t la = vmread(GUEST_ES_BASE + 2 * SEG_CS) + vmread(GUEST_RIP);
    unsigned int first;

    if ( guest_mode() != INSN_MODE_64 )
        la = (uint32_t)la;
    first = PAGE_SIZE - (la & (PAGE_SIZE - 1));
    if ( first > INSN_MAX_LEN )
        first = INSN_MAX_LEN;
    if ( linear_copy_from(v, buf, la, first, true) )
        return 0;
    if ( first < INSN_MAX_LEN &&
         !linear_copy_from(v, buf + first, la + first, INSN_MAX_LEN - first, true) )
        return INSN_MAX_LEN;
    return first;
}

/* Move RIP past `len` bytes; the instruction completed, so no STI/MOV SS
 * shadow is left. */
static void advance_rip(unsigned int len)
{
    uint64_t rip = vmread(GUEST_RIP) + len;

    if ( guest_mode() != INSN_MODE_64 )
        rip = (uint32_t)rip;
    vmwrite(GUEST_RIP, rip);
    vmwrite(GUEST_INTERRUPTIBILITY, vmread(GUEST_INTERRUPTIBILITY) &
            ~(uint64_t)(INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS));
}

static enum exit_result skip_insn(struct vcpu *v)
{
    advance_rip(vmread(EXIT_INSN_LEN));
    return EXIT_CONTINUE;
}

/* GPR number in x86 encoding order: RSP lives in the VMCS. */
static uint64_t *gpr_slot(struct vcpu *v, unsigned int n)
{
    struct svm_guest_regs *r = &v->arch.regs;
    uint64_t *slots[16] = {
        &r->rax, &r->rcx, &r->rdx, &r->rbx, NULL, &r->rbp, &r->rsi, &r->rdi,
        &r->r8, &r->r9, &r->r10, &r->r11, &r->r12, &r->r13, &r->r14, &r->r15,
    };

    return slots[n & 15];
}

uint64_t vmx_get_gpr(struct vcpu *v, unsigned int n)
{
    return (n & 15) == 4 ? vmread(GUEST_RSP) : *gpr_slot(v, n);
}

void vmx_set_gpr(struct vcpu *v, unsigned int n, uint64_t val)
{
    if ( (n & 15) == 4 )
        vmwrite(GUEST_RSP, val);
    else
        *gpr_slot(v, n) = val;
}

uint64_t vmx_get_rflags(struct vcpu *v)
{
    return vmread(GUEST_RFLAGS);
}

void vmx_set_rflags(struct vcpu *v, uint64_t val)
{
    vmwrite(GUEST_RFLAGS, val);
}

/* ---- exit handlers ---- */

static enum exit_result exit_nothing(struct vcpu *v)
{
    return EXIT_CONTINUE;     /* the host takes the interrupt once IF is set */
}

/*
 * The VMX-preemption timer ran out (armed by arm_preemption_timer()).  If
 * the host's timer is due, make sure its softirq runs even if the
 * interrupt has not been taken (yet): the run loop then leaves for the
 * scheduler.  Otherwise the loop's softirq check is all that was wanted.
 */
static enum exit_result exit_preempt_timer(struct vcpu *v)
{
    uint64_t deadline = this_cpu()->lapic_timer_deadline;

    if ( deadline && rdtsc() >= deadline )
        raise_softirq(TIMER_SOFTIRQ);
    return EXIT_CONTINUE;
}

static enum exit_result exit_intr_window(struct vcpu *v)
{
    /* The window we asked for is open: injection happens on entry. */
    vmwrite(CPU_CONTROLS, vmread(CPU_CONTROLS) & ~(uint64_t)CPU_INTR_WINDOW_EXITING);
    return EXIT_CONTINUE;
}

/* An NMI for the host (NMI exiting), or a guest exception we trace. */
static enum exit_result exit_exception_nmi(struct vcpu *v)
{
    uint32_t info = vmread(EXIT_INTR_INFO);
    unsigned int vec = info & 0xff;
    bool has_error = info & INTR_INFO_DELIVER_ERROR;
    uint32_t error = has_error ? vmread(EXIT_INTR_ERROR) : 0;

    if ( (info & INTR_TYPE_MASK) == INTR_TYPE_NMI )
    {
        __asm__ __volatile__ ( "int $2" ::: "memory" );    /* the host's */
        return EXIT_CONTINUE;
    }
    if ( hvm_exc_trace_take() )
        printk("d%uv%u: exception %u error %#x at rip %#lx (cpl %u)\n",
               v->domain->domain_id, v->vcpu_id, vec, error,
               (unsigned long)vmread(GUEST_RIP), guest_cpl());
    inject_exception(v, vec, has_error, error);
    return EXIT_CONTINUE;
}

static enum exit_result exit_triple_fault(struct vcpu *v)
{
    return crash(v, "triple fault");
}

static enum exit_result exit_cpuid(struct vcpu *v)
{
    struct svm_guest_regs *r = &v->arch.regs;
    struct cpuid_regs c;

    if ( guest_cpuid_faults(v, guest_cpl()) )
        return inject_gp(v);
    hvm_guest_cpuid(v, (uint32_t)r->rax, (uint32_t)r->rcx, &c);
    r->rax = c.a;
    r->rbx = c.b;
    r->rcx = c.c;
    r->rdx = c.d;
    return skip_insn(v);
}

static enum exit_result exit_hlt(struct vcpu *v)
{
    skip_insn(v);
    if ( !(vmread(GUEST_RFLAGS) & X86_EFLAGS_IF) )
    {
        hvm_vcpu_halted_for_good(v);
        return EXIT_RESCHEDULE;
    }
    vcpu_block(v);
    return v->blocked ? EXIT_RESCHEDULE : EXIT_CONTINUE;
}

/*
 * A hypercall: RIP moves past VMCALL only once it has completed; a
 * continued one leaves RIP on it, so the guest, after whatever is due
 * (interrupts, events, other vCPUs), executes it again with the argument
 * registers hvm_hypercall() updated.
 */
static enum exit_result exit_vmcall(struct vcpu *v)
{
    unsigned int len = vmread(EXIT_INSN_LEN);

    /* Hypercalls are for the guest kernel, as in Xen's HVM guests. */
    if ( guest_cpl() != 0 )
    {
        v->arch.regs.rax = (uint64_t)-EPERM;
        advance_rip(len);
        return EXIT_CONTINUE;
    }
    if ( hvm_hypercall(v, guest_mode() == INSN_MODE_64, &v->arch.regs.rax) ==
         HVM_HYPERCALL_COMPLETED )
        advance_rip(len);
    return vcpu_runnable(v) ? EXIT_CONTINUE : EXIT_RESCHEDULE;
}

/*
 * MOV to CR0 that changes a bit we own (NE): the guest's value goes to
 * the shadow.  Paging turned on or off here (rather than by the CPU)
 * must move EFER.LMA as the CPU would.
 */
static enum exit_result guest_write_cr0(struct vcpu *v, uint64_t val)
{
    uint64_t old = vmread(GUEST_CR0), efer = vmread(GUEST_EFER);

    if ( (val >> 32) || ((val & X86_CR0_PG) && !(val & X86_CR0_PE)) )
        return inject_gp(v);
    if ( (val & X86_CR0_PG) && !(old & X86_CR0_PG) && (efer & EFER_LME) )
    {
        if ( !(vmread(GUEST_CR4) & X86_CR4_PAE) )
            return inject_gp(v);
        efer |= EFER_LMA;
    }
    if ( !(val & X86_CR0_PG) && (efer & EFER_LMA) )
        efer &= ~EFER_LMA;
    vmx_set_cr0(val | X86_CR0_ET);
    vmx_set_efer_raw(efer);
    return skip_insn(v);
}

/* MOV to CR4 exits only for VMXE (ours): guests get no VMX. */
static enum exit_result guest_write_cr4(struct vcpu *v, uint64_t val)
{
    if ( val & X86_CR4_VMXE )
        return inject_gp(v);
    vmx_set_cr4(val);
    return skip_insn(v);
}

static enum exit_result exit_cr_access(struct vcpu *v)
{
    uint64_t q = vmread(EXIT_QUALIFICATION);
    unsigned int cr = CR_QUAL_NR(q), gpr = CR_QUAL_GPR(q);

    switch ( CR_QUAL_TYPE(q) )
    {
    case 0:                                     /* MOV to CR */
        if ( cr == 0 )
            return guest_write_cr0(v, vmx_get_gpr(v, gpr));
        if ( cr == 4 )
            return guest_write_cr4(v, vmx_get_gpr(v, gpr));
        if ( cr == 3 )
        {
            vmwrite(GUEST_CR3, vmx_get_gpr(v, gpr));
            return skip_insn(v);
        }
        break;
    case 1:                                     /* MOV from CR */
        if ( cr == 3 )
        {
            vmx_set_gpr(v, gpr, vmread(GUEST_CR3));
            return skip_insn(v);
        }
        break;
    }
    return crash(v, "unexpected control-register access exit");
}

/* No device is behind any port but the debug console: reads float high. */
static enum exit_result exit_io(struct vcpu *v)
{
    uint64_t q = vmread(EXIT_QUALIFICATION);
    unsigned int port = q >> IO_QUAL_PORT_SHIFT, size = (q & IO_QUAL_SIZE_MASK) + 1;
    uint64_t mask = size == 4 ? 0xffffffffULL : size == 2 ? 0xffff : 0xff;
    uint64_t *rax = &v->arch.regs.rax;

    if ( q & IO_QUAL_STRING )
        return crash(v, "string port I/O is not emulated");
    if ( q & IO_QUAL_IN )
    {
        uint64_t val = port == HVM_DEBUG_PORT ? HVM_DEBUG_PORT : ~0ULL;

        *rax = size == 4 ? (uint32_t)val : (*rax & ~mask) | (val & mask);
    }
    else if ( port == HVM_DEBUG_PORT )
        hvm_debug_port_write(v, (char)*rax);
    else if ( hvm_is_reset_request(port, (uint8_t)*rax) )
    {
        printk("d%u: reset through port %#x: rebooting the domain\n",
               v->domain->domain_id, port);
        domain_shutdown(v->domain, SHUTDOWN_reboot);
        skip_insn(v);
        return EXIT_RESCHEDULE;
    }
    return skip_insn(v);
}

static enum exit_result exit_rdmsr(struct vcpu *v)
{
    struct svm_guest_regs *r = &v->arch.regs;
    uint64_t val;

    if ( guest_rdmsr(v, (uint32_t)r->rcx, &val) )
        return inject_gp(v);
    r->rax = (uint32_t)val;
    r->rdx = val >> 32;
    return skip_insn(v);
}

static enum exit_result exit_wrmsr(struct vcpu *v)
{
    struct svm_guest_regs *r = &v->arch.regs;
    uint64_t val = (r->rdx << 32) | (uint32_t)r->rax;

    if ( guest_wrmsr(v, (uint32_t)r->rcx, val) )
        return inject_gp(v);
    return skip_insn(v);
}

static enum exit_result exit_xsetbv(struct vcpu *v)
{
    struct svm_guest_regs *r = &v->arch.regs;
    uint64_t val = (r->rdx << 32) | (uint32_t)r->rax;

    if ( guest_cpl() != 0 || xstate_set_xcr0(v, (uint32_t)r->rcx, val) )
        return inject_gp(v);
    return skip_insn(v);
}

/* Guest-physical space the p2m has nothing for: see hvm/mmio.c. */
static enum exit_result exit_ept_violation(struct vcpu *v)
{
    uint64_t q = vmread(EXIT_QUALIFICATION);
    uint8_t buf[INSN_MAX_LEN];
    struct hvm_npf f = {
        .gpa = vmread(GUEST_PHYSICAL_ADDRESS), .write = q & EPT_QUAL_WRITE,
        .fetch = q & EPT_QUAL_FETCH,
        .guest_walk = (q & EPT_QUAL_GLA_VALID) && !(q & EPT_QUAL_GLA_FINAL),
        .event_delivery = vmread(IDT_VECTORING_INFO) & INTR_INFO_VALID,
        .insn = buf, .mode = guest_mode(),
    };
    unsigned int len = 0;

    if ( !f.fetch && !f.guest_walk && !f.event_delivery )
        f.avail = fetch_insn(v, buf);
    switch ( hvm_nested_page_fault(v, &f, &len) )
    {
    case HVM_NPF_EMULATED:
        advance_rip(len);
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

static enum exit_result exit_ept_misconfig(struct vcpu *v)
{
    return crash(v, "EPT misconfiguration (a bad p2m entry)");
}

static enum exit_result exit_failed_entry(struct vcpu *v)
{
    return crash(v, "VM entry refused the guest state");
}

static const exit_handler_t exit_handlers[] = {
    [EXIT_REASON_EXCEPTION_NMI] = exit_exception_nmi,
    [EXIT_REASON_EXT_INTR] = exit_nothing,
    [EXIT_REASON_TRIPLE_FAULT] = exit_triple_fault,
    [EXIT_REASON_INIT] = exit_nothing,
    [EXIT_REASON_SIPI] = exit_nothing,
    [EXIT_REASON_INTR_WINDOW] = exit_intr_window,
    [EXIT_REASON_CPUID] = exit_cpuid,
    [EXIT_REASON_GETSEC] = inject_ud,
    [EXIT_REASON_HLT] = exit_hlt,
    [EXIT_REASON_INVD] = skip_insn,              /* nothing cached to drop */
    [EXIT_REASON_RDPMC] = inject_gp,
    [EXIT_REASON_RSM] = inject_ud,
    [EXIT_REASON_VMCALL] = exit_vmcall,
    [EXIT_REASON_VMCLEAR ... EXIT_REASON_VMXON] = inject_ud,
    [EXIT_REASON_CR_ACCESS] = exit_cr_access,
    [EXIT_REASON_IO] = exit_io,
    [EXIT_REASON_RDMSR] = exit_rdmsr,
    [EXIT_REASON_WRMSR] = exit_wrmsr,
    [EXIT_REASON_INVALID_STATE] = exit_failed_entry,
    [EXIT_REASON_MSR_LOADING] = exit_failed_entry,
    [EXIT_REASON_MWAIT] = inject_ud,
    [EXIT_REASON_MONITOR] = inject_ud,
    [EXIT_REASON_MACHINE_CHECK] = exit_failed_entry,
    [EXIT_REASON_EPT_VIOLATION] = exit_ept_violation,
    [EXIT_REASON_EPT_MISCONFIG] = exit_ept_misconfig,
    [EXIT_REASON_INVEPT] = inject_ud,
    [EXIT_REASON_INVVPID] = inject_ud,
    [EXIT_REASON_PREEMPT_TIMER] = exit_preempt_timer,
    [EXIT_REASON_WBINVD] = skip_insn,
    [EXIT_REASON_XSETBV] = exit_xsetbv,
};

/* An event whose delivery the exit interrupted is delivered again. */
static void reinject_vectoring(void)
{
    uint32_t info = vmread(IDT_VECTORING_INFO), type = info & INTR_TYPE_MASK;

    if ( !(info & INTR_INFO_VALID) )
        return;
    vmwrite(ENTRY_INTR_INFO, info & ~INTR_INFO_NMI_UNBLOCK);
    if ( info & INTR_INFO_DELIVER_ERROR )
        vmwrite(ENTRY_EXCEPTION_ERROR, vmread(IDT_VECTORING_ERROR));
    if ( type == INTR_TYPE_SW_INTR || type == INTR_TYPE_PRIV_SW_EXC ||
         type == INTR_TYPE_SW_EXC )
        vmwrite(ENTRY_INSN_LEN, vmread(EXIT_INSN_LEN));
}

static enum exit_result handle_exit(struct vcpu *v)
{
    uint32_t reason = vmread(EXIT_REASON);
    uint16_t basic = reason & 0xffff;
    exit_handler_t h = NULL;

    if ( reason & EXIT_REASON_ENTRY_FAILED )
    {
        char why[64];

        snprintf(why, sizeof(why), "VM entry failed: exit reason %u, qualification %#lx",
                 basic, (unsigned long)vmread(EXIT_QUALIFICATION));
        return crash(v, why);
    }
    reinject_vectoring();
    if ( basic < ARRAY_SIZE(exit_handlers) )
        h = exit_handlers[basic];
    if ( !h )
    {
        char why[48];

        snprintf(why, sizeof(why), "unexpected VM exit %u", basic);
        return crash(v, why);
    }
    return h(v);
}

/* ---- injection ---- */

static void request_irq_window(void)
{
    vmwrite(CPU_CONTROLS, vmread(CPU_CONTROLS) | CPU_INTR_WINDOW_EXITING);
}

static void inject_event(uint64_t ev)
{
    uint32_t info = (uint32_t)ev;

    /* Real mode delivers no error code (SDM 26.2.1.3). */
    if ( !(vmread(GUEST_CR0) & X86_CR0_PE) )
        info &= ~INTR_INFO_DELIVER_ERROR;
    if ( info & INTR_INFO_DELIVER_ERROR )
        vmwrite(ENTRY_EXCEPTION_ERROR, ev >> 32);
    vmwrite(ENTRY_INTR_INFO, info);
}

static void inject_pending(struct vcpu *v)
{
    uint32_t blocking = vmread(GUEST_INTERRUPTIBILITY);
    int cb, lapic;

    if ( vmread(ENTRY_INTR_INFO) & INTR_INFO_VALID )
        return;                            /* re-injection comes first */
    if ( v->arch.pending_event )
    {
        inject_event(v->arch.pending_event);
        v->arch.pending_event = 0;
        return;
    }
    if ( v->arch.nmi_pending &&
         !(blocking & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS |
                       INTERRUPTIBILITY_NMI)) )
    {
        v->arch.nmi_pending = false;
        inject_event(INTR_INFO_VALID | INTR_TYPE_NMI | 2);
        return;
    }
    cb = hvm_callback_vector(v);
    lapic = vlapic_pending_vector(v);
    if ( cb < 0 && lapic < 0 )
        return;
    if ( !(vmread(GUEST_RFLAGS) & X86_EFLAGS_IF) ||
         (blocking & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS)) )
    {
        request_irq_window();
        return;
    }
    /* The callback vector is delivered directly, not through the APIC. */
    if ( cb >= 0 )
        inject_event(INTR_INFO_VALID | INTR_TYPE_EXT_INTR | (unsigned int)cb);
    else
    {
        vlapic_ack_vector(v, lapic);
        inject_event(INTR_INFO_VALID | INTR_TYPE_EXT_INTR | (unsigned int)lapic);
    }
}

/*
 * Stale translations: on a CPU the vCPU did not run on last, or after its
 * p2m changed, drop what this CPU cached for its EPTP (and its VPID).
 */
static void sync_tlb(struct vcpu *v, unsigned int cpu)
{
    unsigned long gen = __atomic_load_n(&v->domain->arch.p2m_generation,
                                        __ATOMIC_SEQ_CST);

    if ( v->arch.last_cpu == (int)cpu && v->arch.seen_p2m_generation == gen )
        return;
    invept((vmx_ept_vpid_cap & EPT_CAP_INVEPT_SINGLE) ? INVEPT_SINGLE_CONTEXT
                                                      : INVEPT_ALL_CONTEXT,
           p2m_ept_pointer(&v->domain->arch.p2m));
    if ( vmx_cpu2_ctls & CPU2_VPID )
        invvpid((vmx_ept_vpid_cap & VPID_CAP_INVVPID_SINGLE) ? INVVPID_SINGLE_CONTEXT
                                                             : INVVPID_ALL_CONTEXT,
                v->arch.vpid);
    v->arch.last_cpu = cpu;
    v->arch.seen_p2m_generation = gen;
}

/*
 * A guest entered with RFLAGS.IF clear may not leave on a host interrupt
 * under bochs 2.7: its VM entry re-evaluates interrupt masking before it
 * counts as being in the guest, so the masking of the host's CLI stays
 * until the guest itself sets or clears IF, and the external-interrupt
 * exiting control has no effect meanwhile.  A guest spinning with
 * interrupts off then kept its CPU for good (timer and IPIs alike).
 *
 * So a host timer that is due also ends the guest's turn through the
 * VMX-preemption timer, which no interrupt masking holds back; and while
 * the guest's IF is clear, at most PREEMPT_IRQOFF_NS passes before the
 * loop looks at the softirqs again, for IPIs from other CPUs.  On
 * hardware, which exits on the interrupt anyway, the first costs nothing
 * more than the exit that was coming, the second an exit a millisecond
 * while a guest keeps IF clear.  IRQs are off here: the deadline cannot
 * change under us.
 */
#define PREEMPT_IRQOFF_NS 1000000ULL

static void arm_preemption_timer(void)
{
    uint64_t now = rdtsc(), deadline = this_cpu()->lapic_timer_deadline;
    uint64_t span = ~0ULL, ticks = 0;

    if ( !(vmx_pin_ctls & PIN_PREEMPT_TIMER) )
        return;
    if ( deadline )
        span = deadline > now ? deadline - now : 0;
    if ( !(vmread(GUEST_RFLAGS) & X86_EFLAGS_IF) &&
         span > ns_to_tsc(PREEMPT_IRQOFF_NS) )
        span = ns_to_tsc(PREEMPT_IRQOFF_NS);
    if ( span )    /* rounded up: never fire before the deadline */
        ticks = span >= (0xffffffffULL << vmx_preempt_shift) ? 0xffffffffULL :
                (span + (1ULL << vmx_preempt_shift) - 1) >> vmx_preempt_shift;
    vmwrite(GUEST_PREEMPT_TIMER, ticks);
}

static enum exit_result entry_failed(struct vcpu *v, int rc)
{
    char why[80];

    snprintf(why, sizeof(why), "VM entry failed (%s, VM-instruction error %lu)",
             rc == 1 ? "VMfailInvalid" : "VMfailValid",
             rc == 1 ? 0UL : (unsigned long)vmread(VM_INSTRUCTION_ERROR));
    return crash(v, why);
}

void vmx_run_loop(struct vcpu *v)
{
    unsigned int cpu = smp_processor_id();
    enum exit_result res;
    int rc;

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
        sync_tlb(v, cpu);
        inject_pending(v);
        arm_preemption_timer();
        rc = vmx_vmenter(&v->arch.regs, v->arch.vmcs_launched);
        __atomic_store_n(&v->arch.in_guest, false, __ATOMIC_SEQ_CST);
        if ( rc == 0 )
            v->arch.vmcs_launched = true;
        /* A physical interrupt that caused the exit is taken here. */
        local_irq_enable();
        res = rc ? entry_failed(v, rc) : handle_exit(v);
        if ( res == EXIT_RESCHEDULE )
            break;
    }
}

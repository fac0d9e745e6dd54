/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exceptions and interrupt dispatch.
 *
 * Every exception taken by the hypervisor itself is a hypervisor bug (guests
 * run under SVM/VMX and exit instead of faulting here), so exceptions are
 * fatal: we print the registers, the bytes at the faulting RIP and a
 * symbolised call trace, then halt ("noreboot") or reboot.  External
 * interrupts go to the handler registered for their vector.
 */
#include <xen/config.h>
#include <xen/console.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/smp.h>
#include <xen/softirq.h>
#include <xen/string.h>
#include <xen/symbols.h>
#include <asm/mm.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/regs.h>
#include <asm/shutdown.h>

#define MAX_TRACE_FRAMES 64

static const char *const exception_names[32] = {
    [0] = "#DE divide error",        [1] = "#DB debug",
    [2] = "NMI",                     [3] = "#BP breakpoint",
    [4] = "#OF overflow",            [5] = "#BR bound range",
    [6] = "#UD invalid opcode",      [7] = "#NM device not available",
    [8] = "#DF double fault",        [9] = "coprocessor overrun",
    [10] = "#TS invalid TSS",        [11] = "#NP segment not present",
    [12] = "#SS stack fault",        [13] = "#GP general protection",
    [14] = "#PF page fault",         [16] = "#MF x87 error",
    [17] = "#AC alignment check",    [18] = "#MC machine check",
    [19] = "#XM SIMD error",         [20] = "#VE virtualization",
    [21] = "#CP control protection", [29] = "#VC VMM communication",
    [30] = "#SX security",
};

static irq_handler_t irq_handlers[256];

void set_irq_handler(unsigned int vector, irq_handler_t fn)
{
    BUG_ON(vector < 32 || vector > 255);
    irq_handlers[vector] = fn;
}

static void show_code_bytes(unsigned long rip)
{
    const uint8_t *p = (const uint8_t *)rip;
    unsigned int i;

    if ( !va_is_mapped(rip, 16) )
    {
        printk("Code: <RIP not mapped>\n");
        return;
    }
    printk("Code:");
    for ( i = 0; i < 16; i++ )
        printk(" %02x", p[i]);
    printk("\n");
}

/*
 * Walk the frame-pointer chain (the image is built with frame pointers).
 * Each frame is [saved rbp][return address]; stop at a NULL or unmapped
 * frame, or one that does not move up the stack.
 */
void show_stack_trace(unsigned long rip, unsigned long rbp)
{
    unsigned long last = 0;
    unsigned int n, repeats = 0;

    printk("Call Trace:\n");
    printk("   [<%016lx>] %pS\n", rip, (void *)rip);
    for ( n = 0; n < MAX_TRACE_FRAMES && rbp; n++ )
    {
        const unsigned long *frame = (const unsigned long *)rbp;

        if ( (rbp & 7) || !va_is_mapped(rbp, 2 * sizeof(long)) )
            break;
        /* Runaway recursion: say how deep instead of repeating the line. */
        if ( frame[1] && frame[1] == last )
            repeats++;
        else if ( frame[1] )
        {
            if ( repeats )
                printk("   ... the frame above repeated %u more times\n", repeats);
            repeats = 0;
            last = frame[1];
            printk("   [<%016lx>] %pS\n", frame[1], (void *)frame[1]);
        }
        if ( frame[0] <= rbp )
            break;
        rbp = frame[0];
    }
    if ( repeats )
        printk("   ... the frame above repeated %u%s more times\n", repeats,
               n == MAX_TRACE_FRAMES ? "+" : "");
}

void show_registers_and_trace(const struct cpu_user_regs *r)
{
    printk("CPU:    %u\n", smp_processor_id());
    printk("RIP:    %04lx:[<%016lx>] %pS\n", r->cs, r->rip, (void *)r->rip);
    printk("RFLAGS: %016lx   RSP: %04lx:%016lx\n", r->rflags, r->ss, r->rsp);
    printk("rax: %016lx   rbx: %016lx   rcx: %016lx\n", r->rax, r->rbx, r->rcx);
    printk("rdx: %016lx   rsi: %016lx   rdi: %016lx\n", r->rdx, r->rsi, r->rdi);
    printk("rbp: %016lx   r8:  %016lx   r9:  %016lx\n", r->rbp, r->r8, r->r9);
    printk("r10: %016lx   r11: %016lx   r12: %016lx\n", r->r10, r->r11, r->r12);
    printk("r13: %016lx   r14: %016lx   r15: %016lx\n", r->r13, r->r14, r->r15);
    printk("cr0: %016lx   cr2: %016lx   cr3: %016lx   cr4: %016lx\n",
           read_cr0(), read_cr2(), read_cr3(), read_cr4());
    show_code_bytes(r->rip);
    show_stack_trace(r->rip, r->rbp);
}

/*
 * The per-CPU pointer is %gs:0, so a fault taken with someone else's GS
 * base (a guest's, left by a broken world switch) would fault again in
 * every dump that asks which CPU this is.  Find the CPU by the stack we
 * are on, say what GS held, and put the right base back.
 */
static void repair_gs_base(void)
{
    unsigned long gs = rdmsr(MSR_GS_BASE), sp = (unsigned long)&gs;
    unsigned int cpu;

    for ( cpu = 0; cpu < NR_CPUS; cpu++ )
        if ( percpu_of[cpu] && (unsigned long)percpu_of[cpu] == gs )
            return;
    for ( cpu = 0; cpu < NR_CPUS; cpu++ )
        if ( percpu_of[cpu] && sp >= cpu_stack_slot(cpu) && sp < cpu_stack_top(cpu) )
        {
            printk(XENLOG_ERR "GS base %016lx is no CPU's: CPU%u's put back\n", gs, cpu);
            wrmsr(MSR_GS_BASE, (unsigned long)percpu_of[cpu]);
            return;
        }
    printk(XENLOG_ERR "GS base %016lx is no CPU's, and neither is the stack\n", gs);
}

static __noreturn void fatal_trap(const struct cpu_user_regs *regs)
{
    static unsigned int depth;
    unsigned int vec = regs->vector;

    console_force_unlock();
    if ( __atomic_add_fetch(&depth, 1, __ATOMIC_SEQ_CST) > 2 )
    {
        /* The dump itself keeps faulting: stop here, interrupts off. */
        for ( ; ; )
            __asm__ __volatile__ ( "cli; hlt" );
    }
    repair_gs_base();
    printk(XENLOG_ERR "\n****************************************\n");
    printk(XENLOG_ERR "FATAL TRAP: vector %u (%s), error code %#lx\n", vec,
           exception_names[vec] ? exception_names[vec] : "reserved",
           regs->error_code);
    if ( vec == 14 )
        printk(XENLOG_ERR "Faulting linear address: %016lx\n", read_cr2());
    show_registers_and_trace(regs);
    printk(XENLOG_ERR "****************************************\n");
    machine_halt_or_reboot();
}

/* NMIs: nothing uses them yet except the stop-all-CPUs path. */
static void do_nmi(struct cpu_user_regs *regs)
{
    if ( machine_stopping() )
        machine_stop_this_cpu();
    printk(XENLOG_WARNING "NMI received on CPU %u (ignored)\n",
           smp_processor_id());
}

void do_trap(struct cpu_user_regs *regs)
{
    unsigned int vec = regs->vector;

    if ( vec == 2 )
    {
        do_nmi(regs);
        return;
    }
    if ( vec < 32 )
        fatal_trap(regs);

    if ( irq_handlers[vec] )
        irq_handlers[vec](regs);
    else
        printk(XENLOG_WARNING "Spurious interrupt on vector %u, CPU %u\n",
               vec, smp_processor_id());
    do_softirq_on_irq_exit(regs);
}

/*
 * debug_fault=<kind>: deliberately crash after boot, to test that faults are
 * reported with a symbolised trace.  A test aid, harmless otherwise.
 */
static char opt_debug_fault[8];
string_param("debug_fault", opt_debug_fault);

static volatile unsigned long *volatile bad_pointer = (unsigned long *)0x1000;
static volatile unsigned long early_bad_address = 0xffff900000000000UL;

static volatile unsigned long overflow_limit = ~0UL;

static unsigned long __attribute__((noinline)) overflow_stack(unsigned long n)
{
    volatile char pad[512];

    pad[0] = (char)n;
    if ( n == overflow_limit )   /* never true: keeps the compiler honest */
        return 0;
    /* Not a tail call: use the result so each frame stays on the stack. */
    return overflow_stack(n + 1) + pad[0];
}

/* debug_fault=early: a page fault before the final page tables exist. */
void __attribute__((noinline)) debug_trigger_early_fault(void)
{
    if ( !IS_ENABLED(CONFIG_DEBUG_SELFTESTS) || strcmp(opt_debug_fault, "early") )
        return;
    printk("debug_fault=early: triggering a page fault during early boot\n");
    /* Low memory is identity-mapped this early; this address never is. */
    *(volatile unsigned long *)early_bad_address = 1;
}

void __attribute__((noinline)) debug_trigger_fault(void)
{
    if ( !IS_ENABLED(CONFIG_DEBUG_SELFTESTS) || !opt_debug_fault[0] ||
         !strcmp(opt_debug_fault, "early") )
        return;
    printk("debug_fault=%s: triggering a fault\n", opt_debug_fault);
    if ( !strcmp(opt_debug_fault, "pf") )
        *bad_pointer = 1;
    else if ( !strcmp(opt_debug_fault, "ud") )
        __asm__ __volatile__ ( "ud2" );
    else if ( !strcmp(opt_debug_fault, "df") )
        overflow_stack(0);     /* runs into the guard page: #PF -> #DF */
    else if ( !strcmp(opt_debug_fault, "gp") )
        __asm__ __volatile__ ( "mov %0, %%ds" :: "r" (0x1234) );
    else
        printk(XENLOG_WARNING "debug_fault: unknown kind '%s' (pf, ud, df, gp)\n",
               opt_debug_fault);
}

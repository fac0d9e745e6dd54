/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Softirqs.  Each CPU has a word of pending bits in its struct percpu; a
 * handler runs on the CPU that raised it (or was told to run it by
 * cpu_raise_softirq(), which interrupts that CPU with an event-check IPI).
 * Handlers run from the idle loop, with interrupts enabled, never nested.
 */
#include <xen/lib.h>
#include <xen/smp.h>
#include <xen/softirq.h>
#include <asm/percpu.h>
#include <asm/processor.h>

static softirq_handler_t handlers[NR_SOFTIRQS];

void open_softirq(unsigned int nr, softirq_handler_t fn)
{
    BUG_ON(nr >= NR_SOFTIRQS);
    handlers[nr] = fn;
}

void raise_softirq(unsigned int nr)
{
    __atomic_fetch_or(&this_cpu()->softirq_pending, 1UL << nr, __ATOMIC_SEQ_CST);
}

void cpu_raise_softirq(unsigned int cpu, unsigned int nr)
{
    struct percpu *pc = percpu_of[cpu];
    unsigned long old;

    if ( !pc )
        return;
    old = __atomic_fetch_or(&pc->softirq_pending, 1UL << nr, __ATOMIC_SEQ_CST);
    /* Only the first raiser needs to wake the CPU. */
    if ( cpu != smp_processor_id() && !(old & (1UL << nr)) )
        arch_send_event_check(cpu);
}

bool softirq_pending(unsigned int cpu)
{
    return percpu_of[cpu] && percpu_of[cpu]->softirq_pending;
}

void do_softirq(void)
{
    struct percpu *pc = this_cpu();
    unsigned long pending;

    while ( (pending = __atomic_load_n(&pc->softirq_pending, __ATOMIC_ACQUIRE)) )
    {
        unsigned int nr = __builtin_ctzl(pending);

        __atomic_fetch_and(&pc->softirq_pending, ~(1UL << nr), __ATOMIC_SEQ_CST);
        if ( nr < NR_SOFTIRQS && handlers[nr] )
            handlers[nr]();
    }
}

/*
 * Softirqs are not run on interrupt exit: an interrupt taken in the idle
 * loop returns there and the loop runs them, and there is no other place
 * yet where the hypervisor waits.  The scheduler will add its own exit path.
 */
void do_softirq_on_irq_exit(struct cpu_user_regs *regs)
{
}

void softirq_init(void)
{
}

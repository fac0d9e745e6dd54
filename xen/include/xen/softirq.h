/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Softirqs: per-CPU deferred work, raised from interrupt handlers (or other
 * CPUs) and run with interrupts enabled in the idle loop, outside any
 * interrupt context.
 */
#ifndef XEN_SOFTIRQ_H
#define XEN_SOFTIRQ_H

enum {
    TIMER_SOFTIRQ,
    SCHEDULE_SOFTIRQ,   /* reserved for the scheduler */
    NR_SOFTIRQS
};

typedef void (*softirq_handler_t)(void);

struct cpu_user_regs;

void softirq_init(void);
void open_softirq(unsigned int nr, softirq_handler_t fn);
void raise_softirq(unsigned int nr);
void cpu_raise_softirq(unsigned int cpu, unsigned int nr);
void do_softirq(void);
void do_softirq_on_irq_exit(struct cpu_user_regs *regs);
bool softirq_pending(unsigned int cpu);

/* Arch hook: interrupt `cpu` so it notices a newly raised softirq. */
void arch_send_event_check(unsigned int cpu);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU data.  Each CPU's GS base points at its struct percpu, whose first
 * field points at itself, so this_cpu() is a single %gs-relative load.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include <xen/types.h>
#include <xen/compiler.h>
#include <xen/config.h>
#include <asm/desc.h>

#define NR_CPUS CONFIG_NR_CPUS

struct percpu {
    struct percpu *self;
    unsigned int cpu_id;
    uint32_t apic_id;
    unsigned long stack_top;
    volatile bool online;
    volatile unsigned long softirq_pending;
    uint64_t lapic_timer_deadline;   /* TSC value of the armed timer, or 0 */
    struct tss64 tss __aligned(16);
    uint64_t gdt[GDT_ENTRIES] __aligned(16);
};

extern struct percpu *percpu_of[NR_CPUS];
extern unsigned int nr_cpus_online;

static inline struct percpu *this_cpu(void)
{
    struct percpu *p;

    __asm__ __volatile__ ( "mov %%gs:0, %0" : "=r" (p) );
    return p;
}

void percpu_set_base(struct percpu *p);

/* Continue on stack `rsp` by calling fn(arg); fn must not return. */
__attribute__((noreturn)) void switch_stack_and_call(unsigned long rsp,
    void (*fn)(unsigned long), unsigned long arg);

#endif /* ASM_PERCPU_H */

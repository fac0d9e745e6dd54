/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtual local APIC of a vCPU: xAPIC (MMIO page at the APIC base) and
 * x2APIC (MSRs 0x800-0x8ff) register files, the timer (one-shot, periodic,
 * TSC-deadline) counting at 1 GHz as Xen's does, and the IRR/ISR logic
 * that decides which vector to inject next.
 */
#ifndef ASM_HVM_VLAPIC_H
#define ASM_HVM_VLAPIC_H

#include <xen/types.h>
#include <xen/spinlock.h>
#include <xen/timer.h>

#define VLAPIC_DEFAULT_BASE 0xfee00000UL
#define VLAPIC_LVT_NUM      6     /* timer, thermal, PMC, LINT0, LINT1, error */

struct vcpu;

struct vlapic {
    spinlock_t lock;
    uint64_t apic_base_msr;       /* IA32_APIC_BASE as the guest set it */
    uint32_t id;                  /* x2APIC id; xAPIC id = low 8 bits */
    uint32_t tpr, svr, ldr, dfr, esr, icr_high;
    uint32_t lvt[VLAPIC_LVT_NUM];
    uint32_t timer_divide;        /* TDCR as written */
    uint32_t timer_initial;       /* TMICT */
    s_time_t timer_start;         /* when the count was (re)loaded */
    uint64_t tsc_deadline;
    uint32_t irr[8], isr[8];      /* 256-bit vectors */
    struct timer timer;
    struct vcpu *vcpu;
};

void vlapic_init(struct vcpu *v);
void vlapic_destroy(struct vcpu *v);
/* For good, before the domain's grace period (see kill_timer()). */
void vlapic_kill_timer(struct vcpu *v);

/* Raise `vector` (16..255) in the IRR. */
void vlapic_set_irq(struct vcpu *v, uint8_t vector);
/* The vector to inject now, or -1: highest IRR above the PPR class. */
int vlapic_pending_vector(struct vcpu *v);
/* The guest took `vector`: IRR -> ISR. */
void vlapic_ack_vector(struct vcpu *v, uint8_t vector);

bool vlapic_is_x2apic(const struct vcpu *v);
bool vlapic_mmio_enabled(const struct vcpu *v);
uint64_t vlapic_base_gpa(const struct vcpu *v);

/* MSR interface: 0 or -EINVAL (the guest gets #GP). */
int vlapic_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *val);
int vlapic_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val);
/* xAPIC MMIO at an offset in the page: aligned 32-bit accesses. */
uint32_t vlapic_mmio_read(struct vcpu *v, unsigned int offset);
void vlapic_mmio_write(struct vcpu *v, unsigned int offset, uint32_t val);

#endif /* ASM_HVM_VLAPIC_H */

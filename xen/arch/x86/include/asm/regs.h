/* SPDX-License-Identifier: GPL-2.0 */
/* The register frame built by the interrupt/exception entry code (entry.S). */
#ifndef ASM_REGS_H
#define ASM_REGS_H

#include <xen/types.h>

struct cpu_user_regs {
    uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    uint64_t rax, rcx, rdx, rsi, rdi;
    uint64_t vector;       /* pushed by the per-vector stub */
    uint64_t error_code;   /* pushed by the CPU, or 0 by the stub */
    uint64_t rip, cs, rflags, rsp, ss;   /* pushed by the CPU */
};

void do_trap(struct cpu_user_regs *regs);

typedef void (*irq_handler_t)(struct cpu_user_regs *regs);
void set_irq_handler(unsigned int vector, irq_handler_t fn);

/* Print registers and a symbolised call trace starting at regs. */
void show_registers_and_trace(const struct cpu_user_regs *regs);
void show_stack_trace(unsigned long rip, unsigned long rbp);

/* debug_fault=<kind>: deliberately fault after boot (a test aid). */
void debug_trigger_fault(void);
void debug_trigger_early_fault(void);

#endif /* ASM_REGS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/* Segment selectors and descriptor tables (Intel SDM vol. 3 ch. 3, 6, 7). */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#define __HYPERVISOR_CS   0x08
#define __HYPERVISOR_DS   0x10
#define TSS_SELECTOR      0x18   /* 16-byte system descriptor: GDT slots 3-4 */
#define GDT_ENTRIES       5

/* Interrupt stack table slots (1-based in the IDT gate). */
#define IST_DF   1
#define IST_NMI  2
#define IST_MC   3

#ifndef __ASSEMBLY__
#include <xen/types.h>

struct __attribute__((packed)) tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
};

struct __attribute__((packed)) desc_ptr {
    uint16_t limit;
    uint64_t base;
};

void cpu_load_descriptors(unsigned int cpu);
void idt_init(void);
void idt_enable_ist(void);
void idt_load(void);
#endif

#endif /* ASM_DESC_H */

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_IO_APIC_H
#define ASM_IO_APIC_H

#include <xen/types.h>

void io_apic_init(void);
/* Route an ISA IRQ (honouring ACPI overrides) to vector on an APIC id. */
int io_apic_route_isa_irq(unsigned int isa_irq, uint8_t vector, uint32_t dest);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* The local APIC, in xAPIC (MMIO) or x2APIC (MSR) mode. */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <xen/types.h>

void apic_init_bsp(void);
void apic_init_ap(void);
bool apic_is_x2apic(void);
uint32_t apic_read_id(void);
void apic_eoi(void);
void apic_send_ipi(uint32_t dest_apic_id, uint8_t vector);
void apic_send_nmi(uint32_t dest_apic_id);
void apic_send_init_sipi(uint32_t dest_apic_id, uint8_t start_page);

/* Arm the LAPIC timer to fire at TSC value `deadline` (0 = stop). */
void apic_timer_program(uint64_t deadline_tsc);
void apic_timer_calibrate(void);

#endif

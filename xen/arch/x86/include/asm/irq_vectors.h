/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt vectors the hypervisor uses for itself.  High vectors have the
 * highest priority class in the local APIC (SDM vol. 3, 10.8.3).
 */
#ifndef ASM_IRQ_VECTORS_H
#define ASM_IRQ_VECTORS_H

#define SPURIOUS_APIC_VECTOR   0xff
#define ERROR_APIC_VECTOR      0xfe
#define EVENT_CHECK_VECTOR     0xfd   /* IPI: "you have pending softirqs" */
#define LOCAL_TIMER_VECTOR     0xfc
#define LEGACY_PIC_VECTOR_BASE 0x20   /* 8259s remapped here, then masked */

#endif

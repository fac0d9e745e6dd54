/* SPDX-License-Identifier: GPL-2.0 */
#ifndef XEN_SMP_H
#define XEN_SMP_H

/* The logical number (0 = boot CPU) of the CPU running this code. */
unsigned int smp_processor_id(void);

#endif /* XEN_SMP_H */

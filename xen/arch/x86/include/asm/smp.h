/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <xen/types.h>

void smp_prepare_boot_cpu(void);
void smp_set_trampoline(paddr_t pa);
void smp_boot_cpus(void);

#endif

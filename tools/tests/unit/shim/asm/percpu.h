/* SPDX-License-Identifier: GPL-2.0 */
/* Host unit tests: the CPU count the test sets (no per-CPU areas here). */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

extern unsigned int nr_cpus_online;

#endif /* ASM_PERCPU_H */

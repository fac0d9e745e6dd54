/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_SHUTDOWN_H
#define ASM_SHUTDOWN_H

#include <xen/types.h>

__attribute__((noreturn)) void machine_power_off(void);
__attribute__((noreturn)) void machine_restart(void);
/* After a fatal error: halt with noreboot, else reboot after 5 seconds. */
__attribute__((noreturn)) void machine_halt_or_reboot(void);

/* Stopping the other CPUs: they take an NMI and park. */
bool machine_stopping(void);
__attribute__((noreturn)) void machine_stop_this_cpu(void);

#endif

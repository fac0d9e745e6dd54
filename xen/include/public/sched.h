/* SPDX-License-Identifier: GPL-2.0 */
/*
 * __HYPERVISOR_sched_op: shutdown reasons, as Xen's public/sched.h numbers
 * them (the toolstack and guests both see these values).
 */
#ifndef PUBLIC_SCHED_H
#define PUBLIC_SCHED_H

#define SHUTDOWN_poweroff    0   /* domain exited normally: clean up */
#define SHUTDOWN_reboot      1   /* restart the domain */
#define SHUTDOWN_suspend     2   /* save the domain's state */
#define SHUTDOWN_crash       3   /* the domain crashed */
#define SHUTDOWN_watchdog    4   /* its watchdog fired */
#define SHUTDOWN_soft_reset  5   /* kexec-style reset */

#endif /* PUBLIC_SCHED_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * __HYPERVISOR_sched_op: shutdown reasons, as Xen's public/sched.h numbers
 * them (the toolstack and guests both see these values).
 */
#ifndef PUBLIC_SCHED_H
#define PUBLIC_SCHED_H

#include <stdint.h>

/* __HYPERVISOR_sched_op(cmd, arg) commands. */
#define SCHEDOP_yield           0   /* arg unused */
#define SCHEDOP_block           1   /* arg unused */
#define SCHEDOP_shutdown        2   /* arg: struct sched_shutdown */
#define SCHEDOP_poll            3   /* arg: struct sched_poll */
#define SCHEDOP_remote_shutdown 4   /* arg: struct sched_remote_shutdown */
#define SCHEDOP_shutdown_code   5
#define SCHEDOP_watchdog        6
#define SCHEDOP_pin_override    7

/* SCHEDOP_poll: block until one of the ports is pending or the timeout. */
struct sched_poll {
    uint64_t ports;             /* guest address of evtchn_port_t[nr_ports] */
    uint32_t nr_ports;
    uint32_t pad;
    uint64_t timeout;           /* system time (ns), 0 = none */
};

struct sched_shutdown {
    unsigned int reason;    /* SHUTDOWN_* */
};

struct sched_remote_shutdown {
    uint16_t domain_id;     /* domid_t */
    unsigned int reason;    /* SHUTDOWN_* */
};

#define SHUTDOWN_poweroff    0   /* domain exited normally: clean up */
#define SHUTDOWN_reboot      1   /* restart the domain */
#define SHUTDOWN_suspend     2   /* save the domain's state */
#define SHUTDOWN_crash       3   /* the domain crashed */
#define SHUTDOWN_watchdog    4   /* its watchdog fired */
#define SHUTDOWN_soft_reset  5   /* kexec-style reset */

#ifndef __ASSEMBLY__
_Static_assert(sizeof(struct sched_poll) == 24, "sched_poll layout");
#endif

#endif /* PUBLIC_SCHED_H */

/* SPDX-License-Identifier: GPL-2.0 */
/* The TSC as the hypervisor's clock. */
#ifndef ASM_TIME_H
#define ASM_TIME_H

#include <xen/types.h>

extern unsigned long cpu_khz;   /* TSC frequency, 0 until calibrated */

void time_calibrate(void);
s_time_t NOW(void);             /* nanoseconds since calibration */
uint64_t ns_to_tsc(uint64_t ns);
uint64_t tsc_to_ns(uint64_t tsc);
void udelay(unsigned long us);
/* System time at a given TSC value (NOW() is this at rdtsc()). */
s_time_t tsc_to_system_time(uint64_t tsc);
/* The NOW() scale as pvclock's multiplier and shift. */
void time_pvclock_scale(uint32_t *mul, int8_t *shift);
/* Seconds since 1970 (UTC) at system time 0, from the CMOS clock. */
uint64_t time_boot_wallclock(uint32_t *nsec);
/* dom0 says what it is (XENPF_settime*): later domains start from this. */
void time_set_wallclock(uint64_t sec, uint32_t nsec);
void mdelay(unsigned long ms);

/* Timer hardware for common/timer.c: fire at NOW() == deadline (0: stop). */
void reprogram_timer(s_time_t deadline);
/* Interrupt handlers for the timer and the event-check IPI. */
void arch_timer_init(void);

#endif

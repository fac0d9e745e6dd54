/* SPDX-License-Identifier: GPL-2.0 */
/* Host unit-test stand-in for asm/time.h: a clock the test sets. */
#ifndef SHIM_ASM_TIME_H
#define SHIM_ASM_TIME_H

#include <xen/types.h>

extern s_time_t host_test_now;

static inline s_time_t NOW(void)
{
    return host_test_now;
}

/* The wall clock at system time 0 (arch/x86/time.c; tests stub them). */
uint64_t time_boot_wallclock(uint32_t *nsec);
void time_set_wallclock(uint64_t sec, uint32_t nsec);

#endif

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

#endif

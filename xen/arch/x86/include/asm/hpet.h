/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_HPET_H
#define ASM_HPET_H

#include <xen/types.h>

/* Map and start the HPET described by ACPI; false if there is none. */
bool hpet_init(void);
bool hpet_present(void);
uint64_t hpet_read_counter(void);
uint64_t hpet_period_fs(void);  /* femtoseconds per counter tick */

#endif

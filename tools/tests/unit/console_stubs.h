/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What common/console.c (with vsprintf.c and symbols.c) needs from the
 * rest of the hypervisor, for test programs that link it: an empty symbol
 * table and a CPU number.  Include in exactly one file per program.
 */
#ifndef UNIT_CONSOLE_STUBS_H
#define UNIT_CONSOLE_STUBS_H

#include <stdint.h>
#include <xen/smp.h>

const char _stext[16], _etext[1];
const unsigned long symbols_nr;
const unsigned long symbols_addrs[1];
const uint32_t symbols_name_offs[1];
const char symbols_names[1];

unsigned int smp_processor_id(void) { return CONSOLE_STUBS_CPU; }

#endif

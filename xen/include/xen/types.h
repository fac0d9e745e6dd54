/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Basic types shared by the hypervisor and by the host unit-test build.
 * Only compiler-provided freestanding headers are used so the same code
 * compiles bare-metal and under the host's libc.
 */
#ifndef XEN_TYPES_H
#define XEN_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t;   /* A host physical address. */
typedef int64_t s_time_t;   /* Nanoseconds since boot; signed, as in Xen, so a deadline in the past is negative */

#define PRIpaddr "016lx"

#endif /* XEN_TYPES_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared support for the host unit tests: a fake physical-memory arena and a
 * printk() that records what the code under test logged, so tests can assert
 * that bad input was reported.
 */
#ifndef UNIT_HARNESS_H
#define UNIT_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* Map a zeroed arena of `bytes` that stands for machine addresses [0, bytes). */
void host_test_ram_init(size_t bytes);
void host_test_ram_fini(void);

/* Everything printk()ed since the last clear, NUL-terminated. */
const char *host_test_log(void);
void host_test_log_clear(void);
int host_test_log_contains(const char *needle);

#endif

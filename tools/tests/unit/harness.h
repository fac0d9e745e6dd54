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

/*
 * assert_panics(stmt, needle): stmt must call panic() with a message
 * containing needle.  The harness's panic() jumps back here instead of
 * aborting while a panic is expected.
 */
extern jmp_buf host_test_panic_env;
extern int host_test_panic_expected;
extern char host_test_panic_msg[512];

#define assert_panics(stmt, needle)                                     \
    do {                                                                \
        host_test_panic_msg[0] = '\0';                                  \
        host_test_panic_expected = 1;                                   \
        if ( setjmp(host_test_panic_env) == 0 )                         \
        {                                                               \
            stmt;                                                       \
            host_test_panic_expected = 0;                               \
            fail_msg("no panic from: %s", #stmt);                       \
        }                                                               \
        if ( !strstr(host_test_panic_msg, needle) )                     \
            fail_msg("panic '%s' does not mention '%s'",                \
                     host_test_panic_msg, needle);                      \
    } while ( 0 )

#endif

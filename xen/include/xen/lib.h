/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Logging and assertions.
 *
 * printk() messages may start with a log-level prefix (XENLOG_*).  The
 * console keeps every message in its ring buffer and prints those at or
 * above the threshold chosen with loglvl= on the command line.
 */
#ifndef XEN_LIB_H
#define XEN_LIB_H

#include <stdarg.h>
#include <xen/compiler.h>
#include <xen/types.h>

#define XENLOG_ERR     "<0>"
#define XENLOG_WARNING "<1>"
#define XENLOG_INFO    "<2>"
#define XENLOG_DEBUG   "<3>"

void printk(const char *fmt, ...) __printf(1, 2);
void vprintk(const char *fmt, va_list args);
__noreturn void panic(const char *fmt, ...) __printf(1, 2);

int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list args);

/* Hypervisor-internal invariants only: a guest must never be able to hit these. */
#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)
#define BUG_ON(c) do { if ( unlikely(c) ) panic("BUG_ON(%s) at %s:%d", #c, __FILE__, __LINE__); } while ( 0 )
#define ASSERT(c) do { if ( unlikely(!(c)) ) panic("Assertion '%s' failed at %s:%d", #c, __FILE__, __LINE__); } while ( 0 )

#endif /* XEN_LIB_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor console: printk() front end, log levels, the ring buffer
 * of everything logged, and the output sinks (the UART).
 */
#ifndef XEN_CONSOLE_H
#define XEN_CONSOLE_H

#include <xen/types.h>

typedef void (*console_sink_t)(const char *s, size_t len);

/*
 * Add an output; it receives, under the console lock, exactly the text that
 * passes the loglvl= threshold, "(XEN) " line prefixes included.  0, or
 * -ENOSPC once CONSOLE_MAX_SINKS are registered.
 */
#define CONSOLE_MAX_SINKS 4
int console_register_sink(console_sink_t write);

/*
 * Serial input goes to the control domain (CONSOLEIO_read, announced with
 * VIRQ_CONSOLE).  console_input_start() polls the UART from a timer; the
 * getc hook is how a test or another driver feeds bytes.
 */
typedef int (*console_getc_t)(void);
void console_input_start(console_getc_t getc);
/* Queue bytes as if typed (returns how many fit). */
size_t console_input_put(const char *s, size_t len);

/*
 * Copy ring contents starting at *index (a free-running byte count) into
 * buf; returns the number of bytes copied and advances *index.  If *index is
 * older than what the ring still holds, reading restarts at the oldest byte
 * and *lost (may be NULL) reports how many bytes were overwritten unread.
 * Start from 0 to read everything still held; a return of 0 means *index
 * has caught up with the producer.
 */
size_t console_ring_read(char *buf, size_t size, uint32_t *index,
                         uint32_t *lost);
/*
 * Discard the ring's contents up to `index` (where a read ended) for later
 * readers (`xl dmesg -c`); what was written after it stays.
 */
void console_ring_clear_upto(uint32_t index);
/* Bytes ever written to the ring (its producer index). */
uint32_t console_ring_head(void);
size_t console_ring_size(void);

/* For the fatal-fault path: a CPU that died holding the lock. */
void console_force_unlock(void);

/* Arch hook: what to do after a panic message is out.  Never returns. */
__attribute__((noreturn)) void arch_panic_halt(void);

/* Log levels, as the XENLOG_* prefixes in lib.h number them. */
enum loglevel { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG, LOG_NONE = -1 };
int console_parse_loglvl(const char *s, int *lower, int *upper);

#endif /* XEN_CONSOLE_H */

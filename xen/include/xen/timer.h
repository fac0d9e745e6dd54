/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Software timers, per CPU.  A timer runs its function on its CPU, from
 * TIMER_SOFTIRQ, at or shortly after `expires` (NOW() nanoseconds).
 */
#ifndef XEN_TIMER_H
#define XEN_TIMER_H

#include <xen/types.h>

struct timer {
    s_time_t expires;
    void (*fn)(void *data);
    void *data;
    unsigned int cpu;
    bool active;
    bool killed;            /* kill_timer(): set_timer() is a no-op now */
    struct timer *next;     /* in its CPU's list, sorted by expiry */
};

void init_timer(struct timer *t, void (*fn)(void *), void *data,
                unsigned int cpu);
void set_timer(struct timer *t, s_time_t expires);
void stop_timer(struct timer *t);
/*
 * Stop t for good: later set_timer() calls do nothing, so a handler that
 * re-arms its own timer (a periodic one) cannot bring it back while it
 * runs on another CPU.  Once every CPU has passed through its scheduler
 * loop after this, no handler of t runs and its memory may be freed.
 */
void kill_timer(struct timer *t);
bool timer_is_active(const struct timer *t);

void timer_subsystem_init(void);
/* Turn on this CPU's timer interrupt (after its local APIC is up). */
void timer_init_this_cpu(void);
/* Boot self-test (debug_timer_ticks=): print a line every second. */
void timer_selftest_start(void);

#endif

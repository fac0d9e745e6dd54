/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host unit-test stand-in for the hypervisor's spinlocks.  Tests are single
 * threaded; the lock still checks that it is used correctly (no recursive
 * lock, no unlock of a free lock), so locking bugs fail the test.
 */
#ifndef SHIM_ASM_SPINLOCK_H
#define SHIM_ASM_SPINLOCK_H

#include <assert.h>
#include <stdbool.h>

typedef struct { int held; } spinlock_t;

#define SPIN_LOCK_UNLOCKED { 0 }
#define DEFINE_SPINLOCK(l) spinlock_t l = SPIN_LOCK_UNLOCKED
#define spin_lock_init(l) ((l)->held = 0)

static inline void spin_lock(spinlock_t *l) { assert(!l->held); l->held = 1; }
static inline void spin_unlock(spinlock_t *l) { assert(l->held); l->held = 0; }
static inline bool spin_trylock(spinlock_t *l) { if ( l->held ) return false; l->held = 1; return true; }
static inline bool spin_is_locked(const spinlock_t *l) { return l->held; }
static inline unsigned long spin_lock_irqsave(spinlock_t *l) { spin_lock(l); return 0; }
static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long f) { (void)f; spin_unlock(l); }
static inline unsigned long local_irq_save(void) { return 0; }
static inline void local_irq_restore(unsigned long f) { (void)f; }

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Spinlocks.  The architecture provides arch_spinlock_t and the raw
 * operations; the host unit-test build provides single-threaded ones.
 *
 *   spin_lock(l) / spin_unlock(l)           interrupts untouched
 *   flags = spin_lock_irqsave(l); spin_unlock_irqrestore(l, flags)
 */
#ifndef XEN_SPINLOCK_H
#define XEN_SPINLOCK_H

#include <asm/spinlock.h>

#endif /* XEN_SPINLOCK_H */

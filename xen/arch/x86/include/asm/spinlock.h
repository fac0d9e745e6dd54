/* SPDX-License-Identifier: GPL-2.0 */
/* Ticket spinlocks: FIFO fairness between CPUs, one cache line of state. */
#ifndef ASM_SPINLOCK_H
#define ASM_SPINLOCK_H

#include <xen/types.h>

typedef struct {
    volatile uint16_t head;   /* ticket now being served */
    volatile uint16_t tail;   /* next ticket to hand out */
} spinlock_t;

#define SPIN_LOCK_UNLOCKED { 0, 0 }
#define DEFINE_SPINLOCK(l) spinlock_t l = SPIN_LOCK_UNLOCKED
#define spin_lock_init(l) do { (l)->head = 0; (l)->tail = 0; } while ( 0 )

static inline void spin_lock(spinlock_t *l)
{
    uint16_t me = __atomic_fetch_add(&l->tail, 1, __ATOMIC_ACQUIRE);

    while ( __atomic_load_n(&l->head, __ATOMIC_ACQUIRE) != me )
        __asm__ __volatile__ ( "pause" ::: "memory" );
}

static inline void spin_unlock(spinlock_t *l)
{
    __atomic_store_n(&l->head, (uint16_t)(l->head + 1), __ATOMIC_RELEASE);
}

static inline bool spin_trylock(spinlock_t *l)
{
    uint16_t head = __atomic_load_n(&l->head, __ATOMIC_RELAXED);
    uint32_t old = ((uint32_t)head << 16) | head;
    uint32_t new = ((uint32_t)(uint16_t)(head + 1) << 16) | head;

    return __atomic_compare_exchange_n((uint32_t *)l, &old, new, false,
                                       __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline bool spin_is_locked(const spinlock_t *l)
{
    return l->head != l->tail;
}

static inline unsigned long local_save_flags(void)
{
    unsigned long f;

    __asm__ __volatile__ ( "pushf; pop %0" : "=r" (f) :: "memory" );
    return f;
}

static inline void local_irq_disable(void) { __asm__ __volatile__ ( "cli" ::: "memory" ); }
static inline void local_irq_enable(void)  { __asm__ __volatile__ ( "sti" ::: "memory" ); }
static inline bool local_irq_is_enabled(void) { return local_save_flags() & (1UL << 9); }

static inline unsigned long local_irq_save(void)
{
    unsigned long f = local_save_flags();

    local_irq_disable();
    return f;
}

static inline void local_irq_restore(unsigned long f)
{
    if ( f & (1UL << 9) )
        local_irq_enable();
}

static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
    unsigned long f = local_irq_save();

    spin_lock(l);
    return f;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long f)
{
    spin_unlock(l);
    local_irq_restore(f);
}

#endif /* ASM_SPINLOCK_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Software timers.  Each CPU keeps its active timers in a list sorted by
 * expiry and has the arch program its timer hardware for the first
 * (reprogram_timer()).  The interrupt only raises TIMER_SOFTIRQ; expired timers run from the softirq, with the
 * list lock dropped so a handler may re-arm its own timer.
 */
#include <xen/config.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/smp.h>
#include <xen/softirq.h>
#include <xen/spinlock.h>
#include <xen/timer.h>
#include <asm/percpu.h>
#include <asm/time.h>

/* Timers due within this much of now run now: saves an interrupt. */
#define TIMER_SLOP_NS 50000

struct timer_queue {
    spinlock_t lock;
    struct timer *head;
};

static struct timer_queue queues[NR_CPUS];

/* Program the hardware for the queue's first timer (lock held). */
static void reprogram(const struct timer_queue *q)
{
    reprogram_timer(q->head ? q->head->expires : 0);
}

static void queue_remove(struct timer_queue *q, struct timer *t)
{
    struct timer **pp;

    for ( pp = &q->head; *pp; pp = &(*pp)->next )
        if ( *pp == t )
        {
            *pp = t->next;
            break;
        }
    t->next = NULL;
    t->active = false;
}

/* Insert sorted; returns true if t became the first timer. */
static bool queue_insert(struct timer_queue *q, struct timer *t)
{
    struct timer **pp = &q->head;

    while ( *pp && (*pp)->expires <= t->expires )
        pp = &(*pp)->next;
    t->next = *pp;
    *pp = t;
    t->active = true;
    return q->head == t;
}

void init_timer(struct timer *t, void (*fn)(void *), void *data,
                unsigned int cpu)
{
    BUG_ON(cpu >= NR_CPUS);
    *t = (struct timer){ .fn = fn, .data = data, .cpu = cpu };
}

void set_timer(struct timer *t, s_time_t expires)
{
    struct timer_queue *q = &queues[t->cpu];
    unsigned long f = spin_lock_irqsave(&q->lock);
    bool first;

    if ( t->killed )
    {
        spin_unlock_irqrestore(&q->lock, f);
        return;
    }
    if ( t->active )
        queue_remove(q, t);
    t->expires = expires;
    first = queue_insert(q, t);
    /* Only the owning CPU touches its APIC timer; others kick it. */
    if ( first && t->cpu == smp_processor_id() )
        reprogram(q);
    spin_unlock_irqrestore(&q->lock, f);
    if ( first && t->cpu != smp_processor_id() )
        cpu_raise_softirq(t->cpu, TIMER_SOFTIRQ);
}

void stop_timer(struct timer *t)
{
    struct timer_queue *q = &queues[t->cpu];
    unsigned long f = spin_lock_irqsave(&q->lock);

    if ( t->active )
        queue_remove(q, t);
    spin_unlock_irqrestore(&q->lock, f);
}

void kill_timer(struct timer *t)
{
    struct timer_queue *q = &queues[t->cpu];
    unsigned long f = spin_lock_irqsave(&q->lock);

    if ( t->active )
        queue_remove(q, t);
    t->killed = true;
    spin_unlock_irqrestore(&q->lock, f);
}

bool timer_is_active(const struct timer *t)
{
    return t->active;
}

static void timer_softirq(void)
{
    struct timer_queue *q = &queues[smp_processor_id()];
    unsigned long f = spin_lock_irqsave(&q->lock);
    struct timer *t;

    while ( (t = q->head) && t->expires <= NOW() + TIMER_SLOP_NS )
    {
        queue_remove(q, t);
        spin_unlock_irqrestore(&q->lock, f);
        t->fn(t->data);
        f = spin_lock_irqsave(&q->lock);
    }
    reprogram(q);
    spin_unlock_irqrestore(&q->lock, f);
}

void timer_subsystem_init(void)
{
    unsigned int i;

    for ( i = 0; i < NR_CPUS; i++ )
        spin_lock_init(&queues[i].lock);
    open_softirq(TIMER_SOFTIRQ, timer_softirq);
    arch_timer_init();
}

void timer_init_this_cpu(void)
{
    struct timer_queue *q = &queues[smp_processor_id()];
    unsigned long f = spin_lock_irqsave(&q->lock);

    reprogram(q);
    spin_unlock_irqrestore(&q->lock, f);
}

/*
 * debug_timer_ticks=<n>: a 1-second periodic timer on CPU 0 prints n lines,
 * so the boot tests can compare the hypervisor's clock with the host's.
 */
static unsigned int opt_timer_ticks;
integer_param("debug_timer_ticks", opt_timer_ticks);

static struct timer selftest_timer;
static unsigned int selftest_count;
static s_time_t selftest_next;

static void selftest_tick(void *unused)
{
    printk("timer tick %u at %lu ns\n", ++selftest_count,
           (unsigned long)NOW());
    if ( selftest_count >= opt_timer_ticks )
        return;
    selftest_next += 1000000000;
    set_timer(&selftest_timer, selftest_next);
}

void timer_selftest_start(void)
{
    if ( !IS_ENABLED(CONFIG_DEBUG_SELFTESTS) || !opt_timer_ticks )
        return;
    init_timer(&selftest_timer, selftest_tick, NULL, smp_processor_id());
    selftest_next = NOW() + 1000000000;
    set_timer(&selftest_timer, selftest_next);
}

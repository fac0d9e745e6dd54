/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scheduler core: joins the credit policy (credit.c) to vCPUs and
 * physical CPUs.
 *
 * Each CPU runs sched_cpu_loop().  SCHEDULE_SOFTIRQ asks the policy what
 * this CPU should run next; the CPU then stays in arch_vcpu_run() (VMRUN,
 * exit, VMRUN...) until a softirq is pending or the vCPU may no longer
 * run.  Every reason to reschedule raises SCHEDULE_SOFTIRQ on the CPU
 * concerned: the time slice ends (a timer), the running vCPU blocks or
 * yields, a vCPU wakes onto a CPU's queue, a domain is paused or dies.
 * Raising a softirq on another CPU sends it an IPI, which also forces a
 * VM exit, so a guest spinning with interrupts off cannot keep its CPU.
 *
 * One lock guards the policy and every vCPU's scheduling fields: the
 * machines this runs on have a handful of CPUs, and the critical sections
 * are a few list operations.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/softirq.h>
#include <xen/string.h>
#include <xen/timer.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/time.h>

#define SCHED_MAX_UNITS 1024

struct sched_cpu {
    struct vcpu *curr;
    struct timer slice_timer;
};

static DEFINE_SPINLOCK(sched_lock);
static struct csched policy;
static struct csched_unit *unit_table[SCHED_MAX_UNITS];
static struct sched_cpu sched_cpus[NR_CPUS];
static struct timer account_timer;
static unsigned int next_cpu_rr;
static bool sched_ready;

static struct vcpu *unit_to_vcpu(struct csched_unit *u)
{
    return u ? container_of(u, struct vcpu, unit) : NULL;
}

bool vcpu_runnable(const struct vcpu *v)
{
    return v->domain->state == DOMAIN_RUNNING && v->is_up &&
           v->initialised && !v->blocked;
}

/* Where v's time goes now, as Xen reports it. */
static int runstate_of(const struct vcpu *v)
{
    if ( v->unit.running )
        return RUNSTATE_running;
    if ( vcpu_runnable(v) )
        return RUNSTATE_runnable;
    if ( v->blocked && v->is_up && v->domain->state == DOMAIN_RUNNING )
        return RUNSTATE_blocked;
    return RUNSTATE_offline;
}

static void runstate_update(struct vcpu *v, s_time_t now)
{
    struct vcpu_runstate_info *rs = &v->runstate;
    int state = runstate_of(v);
    s_time_t delta = now - (s_time_t)rs->state_entry_time;

    if ( delta > 0 )
        rs->time[rs->state] += delta;
    rs->state_entry_time = now;
    rs->state = state;
}

static void kick_cpu(unsigned int cpu)
{
    cpu_raise_softirq(cpu, SCHEDULE_SOFTIRQ);
}

/* An idle CPU may steal newly runnable work from a busy one. */
static void kick_idle_cpus(void)
{
    unsigned int cpu;

    for ( cpu = 0; cpu < policy.nr_cpus; cpu++ )
        if ( !sched_cpus[cpu].curr && percpu_of[cpu] )
            kick_cpu(cpu);
}

/* With sched_lock held: bring the policy in line with v's state. */
static void update_unit(struct vcpu *v, s_time_t now)
{
    struct csched_unit *u = &v->unit;
    bool runnable = vcpu_runnable(v);

    if ( !v->unit_added )
        return;
    if ( runnable && !u->runnable )
    {
        csched_wake(&policy, u, now);
        kick_cpu(u->cpu);
        kick_idle_cpus();
    }
    else if ( !runnable && u->runnable )
    {
        csched_sleep(&policy, u, now);
        if ( u->running )
            kick_cpu(u->cpu);
    }
    runstate_update(v, now);
}

static void slice_expired(void *unused)
{
    raise_softirq(SCHEDULE_SOFTIRQ);
}

static void account_tick(void *unused)
{
    unsigned long f = spin_lock_irqsave(&sched_lock);

    csched_account(&policy);
    spin_unlock_irqrestore(&sched_lock, f);
    set_timer(&account_timer, NOW() + CSCHED_PERIOD_NS);
}

/* SCHEDULE_SOFTIRQ: ask the policy what this CPU runs next. */
static void schedule(void)
{
    unsigned int cpu = smp_processor_id();
    struct sched_cpu *sc = &sched_cpus[cpu];
    unsigned long f = spin_lock_irqsave(&sched_lock);
    s_time_t now = NOW(), slice;
    struct vcpu *prev = sc->curr, *next;

    next = unit_to_vcpu(csched_schedule(&policy, cpu, now, &slice));
    if ( prev && prev != next )
        runstate_update(prev, now);
    if ( next )
    {
        next->processor = cpu;
        runstate_update(next, now);
    }
    sc->curr = next;
    spin_unlock_irqrestore(&sched_lock, f);
    if ( next )
        set_timer(&sc->slice_timer, now + slice);
    else
        stop_timer(&sc->slice_timer);
}

struct vcpu *current_vcpu(void)
{
    return sched_cpus[smp_processor_id()].curr;
}

/*
 * Grace periods: each pass of a CPU through its scheduler loop is a point
 * where it holds no pointer a hypercall looked up earlier (hypercalls run
 * inside arch_vcpu_run and end before it returns), and so is a halted CPU.
 * A domain's structure may be freed once every CPU has been through one
 * since the domain stopped being visible to lookups.
 */
static unsigned long quiescent_passes[NR_CPUS];
static bool cpu_halted[NR_CPUS];

void sched_grace_start(struct sched_grace *g)
{
    unsigned int cpu;

    for ( cpu = 0; cpu < nr_cpus_online && cpu < NR_CPUS; cpu++ )
        g->passes[cpu] = __atomic_load_n(&quiescent_passes[cpu], __ATOMIC_SEQ_CST);
}

bool sched_grace_done(const struct sched_grace *g)
{
    unsigned int cpu, self = smp_processor_id();

    for ( cpu = 0; cpu < nr_cpus_online && cpu < NR_CPUS; cpu++ )
        if ( cpu != self &&
             !__atomic_load_n(&cpu_halted[cpu], __ATOMIC_SEQ_CST) &&
             __atomic_load_n(&quiescent_passes[cpu], __ATOMIC_SEQ_CST) == g->passes[cpu] )
            return false;
    return true;
}

void __attribute__((noreturn)) sched_cpu_loop(void)
{
    unsigned int cpu = smp_processor_id();

    for ( ; ; )
    {
        struct vcpu *v;

        __atomic_add_fetch(&quiescent_passes[cpu], 1, __ATOMIC_SEQ_CST);
        do_softirq();
        v = sched_cpus[cpu].curr;
        if ( v && vcpu_runnable(v) )
        {
            arch_vcpu_run(v);
            continue;
        }
        if ( v )
        {
            /* Stopped between the policy's choice and now: choose again. */
            raise_softirq(SCHEDULE_SOFTIRQ);
            continue;
        }
        local_irq_disable();
        if ( softirq_pending(cpu) )
            local_irq_enable();
        else
        {
            __atomic_store_n(&cpu_halted[cpu], true, __ATOMIC_SEQ_CST);
            safe_halt();   /* an interrupt (timer, IPI) wakes us */
            __atomic_store_n(&cpu_halted[cpu], false, __ATOMIC_SEQ_CST);
        }
    }
}

void sched_init(void)
{
    unsigned int cpu;

    BUILD_BUG_ON(CSCHED_MAX_CPUS < NR_CPUS);
    if ( csched_init(&policy, nr_cpus_online, unit_table, SCHED_MAX_UNITS) )
        panic("scheduler: cannot manage %u CPUs", nr_cpus_online);
    for ( cpu = 0; cpu < nr_cpus_online; cpu++ )
        init_timer(&sched_cpus[cpu].slice_timer, slice_expired, NULL, cpu);
    open_softirq(SCHEDULE_SOFTIRQ, schedule);
    init_timer(&account_timer, account_tick, NULL, 0);
    set_timer(&account_timer, NOW() + CSCHED_PERIOD_NS);
    sched_ready = true;
    printk("Scheduler: credit, %u CPUs, %u ms slices, %u ms accounting period\n",
           nr_cpus_online, CSCHED_TSLICE_NS / 1000000, CSCHED_PERIOD_NS / 1000000);
}

/* vCPUs are spread round-robin; idle CPUs steal to even the load out. */
int sched_add_domain(struct domain *d, unsigned int weight, unsigned int cap)
{
    unsigned long f;
    unsigned int i;
    int rc;

    if ( !sched_ready )
        return -ENODEV;
    if ( (rc = csched_dom_init(&d->sched, weight, cap)) )
        return rc;
    f = spin_lock_irqsave(&sched_lock);
    for ( i = 0; i < d->max_vcpus && !rc; i++ )
    {
        struct vcpu *v = d->vcpus[i];
        unsigned int cpu = next_cpu_rr++ % policy.nr_cpus;

        rc = csched_unit_add(&policy, &v->unit, &d->sched, cpu);
        if ( rc )
            break;
        v->unit_added = true;
        v->processor = cpu;
        vcpu_timers_init(v, cpu);
        v->runstate.state = RUNSTATE_offline;
        v->runstate.state_entry_time = NOW();
    }
    spin_unlock_irqrestore(&sched_lock, f);
    if ( rc )
        sched_remove_domain(d);
    return rc;
}

int sched_set_params(struct domain *d, unsigned int weight, unsigned int cap)
{
    unsigned long f;

    if ( !weight || weight > 65535 || cap > 100 * CSCHED_MAX_CPUS )
        return -EINVAL;
    f = spin_lock_irqsave(&sched_lock);
    d->sched.weight = weight;
    d->sched.cap = cap;
    spin_unlock_irqrestore(&sched_lock, f);
    return 0;
}

void sched_domain_changed(struct domain *d)
{
    unsigned long f;
    unsigned int i;
    s_time_t now = NOW();

    f = spin_lock_irqsave(&sched_lock);
    for ( i = 0; i < d->max_vcpus; i++ )
        update_unit(d->vcpus[i], now);
    spin_unlock_irqrestore(&sched_lock, f);
}

static bool domain_on_a_cpu(const struct domain *d)
{
    unsigned int cpu;

    for ( cpu = 0; cpu < policy.nr_cpus; cpu++ )
    {
        const struct vcpu *v = __atomic_load_n(&sched_cpus[cpu].curr,
                                               __ATOMIC_ACQUIRE);

        if ( v && v->domain == d )
            return true;
    }
    return false;
}

/*
 * The domain may no longer run (it is dying): wait until no CPU is still
 * inside one of its vCPUs, then forget its units.  Called from another
 * domain's context or the idle loop, never from the dying domain's own.
 */
void sched_remove_domain(struct domain *d)
{
    unsigned long f;
    unsigned int i;

    if ( !sched_ready )
        return;
    sched_domain_changed(d);
    /*
     * Called from softirq context (never from inside arch_vcpu_run): if
     * this CPU's chosen vCPU is one of d's, choose again right here.
     */
    if ( current_vcpu() && current_vcpu()->domain == d )
        schedule();
    while ( domain_on_a_cpu(d) )
        cpu_relax();
    f = spin_lock_irqsave(&sched_lock);
    for ( i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpus[i]->unit_added )
        {
            csched_unit_remove(&policy, &d->vcpus[i]->unit);
            d->vcpus[i]->unit_added = false;
        }
    spin_unlock_irqrestore(&sched_lock, f);
    for ( i = 0; i < d->max_vcpus; i++ )
    {
        stop_timer(&d->vcpus[i]->singleshot_timer);
        stop_timer(&d->vcpus[i]->periodic_timer);
    }
}

void vcpu_block(struct vcpu *v)
{
    unsigned long f = spin_lock_irqsave(&sched_lock);

    v->blocked = true;
    /* An event that arrived before we took the lock must not be lost. */
    if ( arch_vcpu_has_pending_event(v) )
        v->blocked = false;
    update_unit(v, NOW());
    spin_unlock_irqrestore(&sched_lock, f);
}

void vcpu_wake(struct vcpu *v)
{
    unsigned long f = spin_lock_irqsave(&sched_lock);

    v->blocked = false;
    v->polling = false;
    update_unit(v, NOW());
    spin_unlock_irqrestore(&sched_lock, f);
}

void vcpu_yield(struct vcpu *v)
{
    if ( v->unit.running )
        kick_cpu(v->unit.cpu);
}

/* The runstate with the current state's time counted up to now. */
void vcpu_runstate_get(struct vcpu *v, struct vcpu_runstate_info *out)
{
    unsigned long f = spin_lock_irqsave(&sched_lock);

    if ( v->unit_added )
        runstate_update(v, NOW());
    *out = v->runstate;
    spin_unlock_irqrestore(&sched_lock, f);
}

void sched_dump(void)
{
    struct domain *d;

    for ( d = domain_list_first(); d; d = d->next )
    {
        unsigned int i;

        for ( i = 0; i < d->max_vcpus; i++ )
        {
            struct vcpu_runstate_info rs;

            vcpu_runstate_get(d->vcpus[i], &rs);
            printk("d%uv%u: %s, weight %u, on CPU%u, running %lu ms, runnable "
                   "%lu ms, blocked %lu ms, offline %lu ms\n", d->domain_id, i,
                   domain_state_name(d->state), d->sched.weight,
                   d->vcpus[i]->processor,
                   (unsigned long)(rs.time[RUNSTATE_running] / 1000000),
                   (unsigned long)(rs.time[RUNSTATE_runnable] / 1000000),
                   (unsigned long)(rs.time[RUNSTATE_blocked] / 1000000),
                   (unsigned long)(rs.time[RUNSTATE_offline] / 1000000));
        }
    }
}

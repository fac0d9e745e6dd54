/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Credit scheduler policy (see sched_credit.h).  Run queues are per CPU,
 * kept in priority order (BOOST, UNDER, OVER), FIFO within a priority so
 * equal units round-robin.  Locking is the caller's: one lock per run
 * queue in the hypervisor, none in the single-threaded tests.
 */
#include <xen/errno.h>
#include <xen/sched_credit.h>
#include <xen/string.h>

/* Credit does not pile up beyond one period: an idle unit cannot hoard. */
#define CREDIT_MAX  CSCHED_PERIOD_NS
/*
 * Nor does debt: a unit that ran alone on a CPU while others queued
 * elsewhere would otherwise stay OVER (and get half its share) for as
 * long as it took to pay back, long after the balance was restored.
 */
#define CREDIT_MIN  (-(int64_t)CSCHED_PERIOD_NS)
/* Shorter slices cost more in switches than they buy in precision. */
#define CSCHED_MIN_SLICE_NS 500000

int csched_init(struct csched *s, unsigned int nr_cpus,
                struct csched_unit **unit_array, unsigned int max_units)
{
    if ( !nr_cpus || nr_cpus > CSCHED_MAX_CPUS || !unit_array )
        return -EINVAL;
    memset(s, 0, sizeof(*s));
    s->nr_cpus = nr_cpus;
    s->units = unit_array;
    s->max_units = max_units;
    return 0;
}

int csched_dom_init(struct csched_dom *d, unsigned int weight, unsigned int cap)
{
    if ( !weight || weight > 65535 || cap > 100 * CSCHED_MAX_CPUS )
        return -EINVAL;
    memset(d, 0, sizeof(*d));
    d->weight = weight;
    d->cap = cap;
    return 0;
}

int csched_unit_add(struct csched *s, struct csched_unit *u,
                    struct csched_dom *d, unsigned int cpu)
{
    if ( cpu >= s->nr_cpus || s->nr_units == s->max_units )
        return -EINVAL;
    memset(u, 0, sizeof(*u));
    u->dom = d;
    u->cpu = cpu;
    u->pri = CSCHED_UNDER;
    s->units[s->nr_units++] = u;
    return 0;
}

static void runq_insert(struct csched *s, struct csched_unit *u)
{
    struct csched_unit **pp = &s->runq[u->cpu];

    while ( *pp && (*pp)->pri <= u->pri )
        pp = &(*pp)->next;
    u->next = *pp;
    *pp = u;
    u->queued = true;
}

static void runq_remove(struct csched *s, struct csched_unit *u)
{
    struct csched_unit **pp;

    for ( pp = &s->runq[u->cpu]; *pp; pp = &(*pp)->next )
        if ( *pp == u )
        {
            *pp = u->next;
            break;
        }
    u->next = NULL;
    u->queued = false;
}

static bool cap_reached(const struct csched_unit *u)
{
    const struct csched_dom *d = u->dom;

    return d->cap &&
           d->used_in_period >= (int64_t)CSCHED_PERIOD_NS * d->cap / 100;
}

/* A capped domain's unit runs no longer than its domain's budget left. */
static s_time_t slice_for(const struct csched_unit *u)
{
    const struct csched_dom *d = u->dom;
    int64_t left;

    if ( !d->cap )
        return CSCHED_TSLICE_NS;
    left = (int64_t)CSCHED_PERIOD_NS * d->cap / 100 - d->used_in_period;
    if ( left < CSCHED_MIN_SLICE_NS )
        left = CSCHED_MIN_SLICE_NS;
    return left < CSCHED_TSLICE_NS ? left : CSCHED_TSLICE_NS;
}

/* Charge the running unit for the time since it started. */
static void burn(struct csched_unit *u, s_time_t now)
{
    int64_t ran = now > u->started ? now - u->started : 0;

    u->credit -= ran;
    if ( u->credit < CREDIT_MIN )
        u->credit = CREDIT_MIN;
    u->runtime += ran;
    u->dom->used_in_period += ran;
    u->started = now;
    u->pri = u->credit >= 0 ? CSCHED_UNDER : CSCHED_OVER;
    if ( cap_reached(u) )
        u->parked = true;
}

void csched_unit_remove(struct csched *s, struct csched_unit *u)
{
    unsigned int i;

    if ( u->queued )
        runq_remove(s, u);
    if ( u->cpu < s->nr_cpus && s->curr[u->cpu] == u )
        s->curr[u->cpu] = NULL;
    u->running = false;
    u->runnable = false;
    for ( i = 0; i < s->nr_units; i++ )
        if ( s->units[i] == u )
        {
            s->units[i] = s->units[--s->nr_units];
            break;
        }
}

void csched_wake(struct csched *s, struct csched_unit *u, s_time_t now)
{
    if ( u->runnable )
        return;
    u->runnable = true;
    if ( u->pri == CSCHED_UNDER )
        u->pri = CSCHED_BOOST;
    if ( !u->running && !u->parked )
        runq_insert(s, u);
}

void csched_sleep(struct csched *s, struct csched_unit *u, s_time_t now)
{
    u->runnable = false;
    if ( u->queued )
        runq_remove(s, u);
}

/*
 * A blocked unit earns nothing, but the debt it ran up (a slice at most,
 * typically much less) melts by a time slice per period asleep: a vCPU
 * that mostly sleeps wakes UNDER, and so BOOSTed.
 */
static void forgive_debt(struct csched_unit *u)
{
    if ( u->credit >= 0 )
        return;
    u->credit += CSCHED_TSLICE_NS;
    if ( u->credit > 0 )
        u->credit = 0;
    u->pri = u->credit < 0 ? CSCHED_OVER : CSCHED_UNDER;
}

/*
 * Share this period's CPU time among domains with runnable units, by
 * weight; within a domain, equally among its runnable units.  Units of a
 * capped domain that reached its cap stay parked until the next period.
 */
void csched_account(struct csched *s)
{
    uint64_t total = (uint64_t)CSCHED_PERIOD_NS * s->nr_cpus;
    uint64_t weight_sum = 0;
    unsigned int i, j;

    for ( i = 0; i < s->nr_units; i++ )
        s->units[i]->dom->used_in_period = 0;
    /* Sum the weight of each active domain once. */
    for ( i = 0; i < s->nr_units; i++ )
    {
        struct csched_unit *u = s->units[i];
        bool first = u->runnable;

        for ( j = 0; first && j < i; j++ )
            if ( s->units[j]->dom == u->dom && s->units[j]->runnable )
                first = false;
        if ( first )
            weight_sum += u->dom->weight;
    }
    for ( i = 0; i < s->nr_units; i++ )
    {
        struct csched_unit *u = s->units[i];
        unsigned int active = 0;
        uint64_t share;

        if ( !u->runnable )
        {
            forgive_debt(u);
            continue;
        }
        if ( !weight_sum )
            continue;
        for ( j = 0; j < s->nr_units; j++ )
            if ( s->units[j]->dom == u->dom && s->units[j]->runnable )
                active++;
        share = total * u->dom->weight / weight_sum / active;
        u->credit += share;
        if ( u->credit > CREDIT_MAX )
            u->credit = CREDIT_MAX;
        u->pri = u->credit >= 0 ? CSCHED_UNDER : CSCHED_OVER;
        if ( u->parked )
        {
            u->parked = false;
            if ( !u->running && !u->queued )
                runq_insert(s, u);
        }
        else if ( u->queued )
        {
            /* Its priority may have changed: requeue in order. */
            runq_remove(s, u);
            runq_insert(s, u);
        }
    }
}

/* Load balancing: an UNDER unit waiting on another CPU's queue. */
static struct csched_unit *steal_under(struct csched *s, unsigned int cpu)
{
    unsigned int i;

    for ( i = 1; i < s->nr_cpus; i++ )
    {
        unsigned int other = (cpu + i) % s->nr_cpus;
        struct csched_unit *u = s->runq[other];

        if ( u && u->pri <= CSCHED_UNDER )
        {
            runq_remove(s, u);
            u->cpu = cpu;
            return u;
        }
    }
    return NULL;
}

/* Runnable units on cpu: its queue and what it runs. */
static unsigned int cpu_load(const struct csched *s, unsigned int cpu)
{
    const struct csched_unit *u;
    unsigned int n = s->curr[cpu] ? 1 : 0;

    for ( u = s->runq[cpu]; u; u = u->next )
        n++;
    return n;
}

/*
 * Priority alone would let a CPU keep three spinners while another runs
 * one: take the front of the busiest queue when it holds at least two
 * more runnable units than ours (prev already requeued).
 */
static struct csched_unit *steal_for_balance(struct csched *s, unsigned int cpu)
{
    /* Our curr is the unit being switched out, already back on our queue. */
    unsigned int mine = cpu_load(s, cpu) - (s->curr[cpu] ? 1 : 0);
    unsigned int best = cpu, best_load = 0, i;
    struct csched_unit *u;

    for ( i = 0; i < s->nr_cpus; i++ )
    {
        unsigned int load;

        if ( i == cpu || !s->runq[i] )
            continue;
        load = cpu_load(s, i);
        if ( load > best_load )
        {
            best = i;
            best_load = load;
        }
    }
    if ( best == cpu || best_load < mine + 2 )
        return NULL;
    u = s->runq[best];
    runq_remove(s, u);
    u->cpu = cpu;
    runq_insert(s, u);
    return u;
}

struct csched_unit *csched_schedule(struct csched *s, unsigned int cpu,
                                    s_time_t now, s_time_t *slice)
{
    struct csched_unit *prev = s->curr[cpu], *next = s->runq[cpu], *stolen = NULL;

    if ( prev )
    {
        burn(prev, now);
        prev->running = false;
        if ( prev->runnable && !prev->parked )
            runq_insert(s, prev);
        next = s->runq[cpu];
    }
    if ( !next || next->pri == CSCHED_OVER )
        stolen = steal_under(s, cpu);
    /* A unit stolen above is on no queue: it must be the one that runs. */
    if ( stolen )
        next = stolen;
    else if ( steal_for_balance(s, cpu) )
        next = s->runq[cpu];
    if ( next && next->queued )
        runq_remove(s, next);
    s->curr[cpu] = next;
    if ( next )
    {
        next->running = true;
        next->started = now;
    }
    *slice = next ? slice_for(next) : CSCHED_TSLICE_NS;
    return next;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Credit scheduler policy, in the spirit of Xen's credit scheduler: each
 * domain earns CPU time ("credit") every accounting period in proportion
 * to its weight, optionally capped to a percentage of one CPU; runnable
 * units that still have credit (UNDER) run before those that spent it
 * (OVER), and a unit waking with credit left (BOOST) before both; an idle
 * CPU takes BOOST/UNDER work from a busy CPU's queue.  A blocked unit's
 * debt is forgiven over time, so a vCPU that mostly sleeps wakes UNDER.
 *
 * This file is the policy alone, with no notion of hardware or of vCPUs
 * beyond struct csched_unit, so it can be driven by a simulated clock in
 * the host unit tests.  Times are nanoseconds.
 */
#ifndef XEN_SCHED_CREDIT_H
#define XEN_SCHED_CREDIT_H

#include <xen/types.h>

#define CSCHED_MAX_CPUS        256   /* = CONFIG_NR_CPUS */
#define CSCHED_PERIOD_NS       30000000   /* accounting period: 30 ms */
#define CSCHED_TSLICE_NS       10000000   /* time slice: 10 ms */
#define CSCHED_DEFAULT_WEIGHT  256

/*
 * BOOST: woken from blocking with credit left; runs ahead of UNDER work,
 * until it is next charged, so an interactive vCPU answers at once
 * instead of waiting behind a spinner's time slice.
 */
enum csched_pri { CSCHED_BOOST, CSCHED_UNDER, CSCHED_OVER };

struct csched_dom {
    unsigned int weight;          /* relative share, 1..65535 */
    unsigned int cap;             /* % of one CPU; 0 = uncapped */
    int64_t used_in_period;       /* for the cap */
};

struct csched_unit {
    struct csched_dom *dom;
    int64_t credit;               /* ns of CPU time still owed */
    enum csched_pri pri;
    unsigned int cpu;             /* whose queue it is on / runs on */
    bool runnable;
    bool running;
    bool parked;                  /* over its cap until next period */
    bool queued;
    s_time_t started;             /* when it last began running */
    uint64_t runtime;             /* total ns run, as the runstate reports */
    struct csched_unit *next;     /* in a run queue */
};

struct csched {
    unsigned int nr_cpus;
    struct csched_unit *runq[CSCHED_MAX_CPUS];
    struct csched_unit *curr[CSCHED_MAX_CPUS];
    struct csched_unit **units;   /* every unit, for accounting */
    unsigned int nr_units, max_units;
};

int csched_init(struct csched *s, unsigned int nr_cpus,
                struct csched_unit **unit_array, unsigned int max_units);
int csched_dom_init(struct csched_dom *d, unsigned int weight, unsigned int cap);
int csched_unit_add(struct csched *s, struct csched_unit *u,
                    struct csched_dom *d, unsigned int cpu);
/* Forget a unit (its domain is dying): off its queue and its CPU. */
void csched_unit_remove(struct csched *s, struct csched_unit *u);
/* A unit becomes runnable (woken) or stops being runnable (blocked). */
void csched_wake(struct csched *s, struct csched_unit *u, s_time_t now);
void csched_sleep(struct csched *s, struct csched_unit *u, s_time_t now);
/* Every CSCHED_PERIOD_NS: hand out credit, apply caps. */
void csched_account(struct csched *s);
/*
 * Pick what `cpu` runs next (NULL: idle), charging the previous unit for
 * the time it ran.  *slice gets how long it may run.
 */
struct csched_unit *csched_schedule(struct csched *s, unsigned int cpu,
                                    s_time_t now, s_time_t *slice);

#endif /* XEN_SCHED_CREDIT_H */

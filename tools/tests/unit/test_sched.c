/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Credit scheduler policy tests.  A simulated machine: every CPU
 * reschedules at the end of its slice, accounting runs every period, and
 * units that block or wake do so at chosen times.  Shares are measured
 * from each unit's accumulated runtime.
 */
#include <string.h>

#include "harness.h"
#include <xen/errno.h>
#include <xen/sched_credit.h>

#define MAX_UNITS 16

static struct csched s;
static struct csched_unit *unit_array[MAX_UNITS];
static struct csched_unit units[MAX_UNITS];
static struct csched_dom doms[MAX_UNITS];

/* Every runnable unit is running on a CPU or waiting on exactly one queue. */
static void check_invariants(void)
{
    unsigned int i, cpu;

    for ( i = 0; i < s.nr_units; i++ )
    {
        struct csched_unit *u = s.units[i];
        unsigned int seen = 0;

        for ( cpu = 0; cpu < s.nr_cpus; cpu++ )
        {
            struct csched_unit *q;

            seen += s.curr[cpu] == u;
            for ( q = s.runq[cpu]; q; q = q->next )
                seen += q == u;
        }
        if ( u->runnable && !u->parked )
            assert_int_equal(seen, 1);
        else
            assert_true(seen <= 1);
    }
}

/* Run the machine for `ns` of simulated time. */
static void simulate(s_time_t ns)
{
    s_time_t now, next_account = CSCHED_PERIOD_NS;
    s_time_t slice_end[CSCHED_MAX_CPUS] = { 0 };
    unsigned int cpu;

    for ( now = 0; now <= ns; now += 1000000 )     /* 1 ms steps */
    {
        if ( now >= next_account )
        {
            csched_account(&s);
            next_account += CSCHED_PERIOD_NS;
        }
        for ( cpu = 0; cpu < s.nr_cpus; cpu++ )
            if ( now >= slice_end[cpu] || !s.curr[cpu] )
            {
                s_time_t slice;

                csched_schedule(&s, cpu, now, &slice);
                slice_end[cpu] = now + slice;
                check_invariants();
            }
    }
}

static int setup(void **state)
{
    memset(units, 0, sizeof(units));
    return 0;
}

static void make(unsigned int nr_cpus, unsigned int nr_doms,
                 const unsigned int *weights, const unsigned int *caps,
                 const unsigned int *units_per_dom)
{
    unsigned int d, u, n = 0;

    assert_int_equal(csched_init(&s, nr_cpus, unit_array, MAX_UNITS), 0);
    for ( d = 0; d < nr_doms; d++ )
    {
        assert_int_equal(csched_dom_init(&doms[d], weights[d], caps ? caps[d] : 0), 0);
        for ( u = 0; u < units_per_dom[d]; u++, n++ )
        {
            assert_int_equal(csched_unit_add(&s, &units[n], &doms[d], n % nr_cpus), 0);
            csched_wake(&s, &units[n], 0);
        }
    }
    csched_account(&s);
}

static double dom_share(unsigned int d, unsigned int nr_units)
{
    uint64_t mine = 0, all = 0;
    unsigned int i;

    for ( i = 0; i < nr_units; i++ )
    {
        all += units[i].runtime;
        if ( units[i].dom == &doms[d] )
            mine += units[i].runtime;
    }
    return all ? (double)mine / all : 0;
}

static void test_weights_proportional(void **state)
{
    /* Three always-busy domains, weights 1:2:4, one vCPU each, one CPU. */
    const unsigned int w[] = { 128, 256, 512 }, per[] = { 1, 1, 1 };

    make(1, 3, w, NULL, per);
    simulate(30000000000LL);                            /* 30 s */
    assert_true(dom_share(0, 3) > 0.13 && dom_share(0, 3) < 0.16);
    assert_true(dom_share(1, 3) > 0.27 && dom_share(1, 3) < 0.31);
    assert_true(dom_share(2, 3) > 0.54 && dom_share(2, 3) < 0.60);
}

static void test_two_cpus_equal_weights_balance(void **state)
{
    /* Four busy units all starting on CPU 0's side: both CPUs get used
     * and every unit gets about a quarter of the machine. */
    const unsigned int w[] = { 256, 256 }, per[] = { 2, 2 };
    unsigned int i;

    make(2, 2, w, NULL, per);
    simulate(20000000000LL);
    for ( i = 0; i < 4; i++ )
    {
        double share = (double)units[i].runtime / (2 * 20000000000.0);

        assert_true(share > 0.21 && share < 0.29);
    }
}

static void test_uneven_start_evens_out(void **state)
{
    /* Three spinners queued on CPU 0, one on CPU 1, all over their
     * credit most of the time: the queues even out and each gets about
     * half a CPU. */
    const unsigned int w[] = { 256 };
    unsigned int i;

    assert_int_equal(csched_init(&s, 2, unit_array, MAX_UNITS), 0);
    assert_int_equal(csched_dom_init(&doms[0], w[0], 0), 0);
    for ( i = 0; i < 4; i++ )
    {
        assert_int_equal(csched_unit_add(&s, &units[i], &doms[0], i == 3 ? 1 : 0), 0);
        csched_wake(&s, &units[i], 0);
    }
    csched_account(&s);
    simulate(20000000000LL);
    for ( i = 0; i < 4; i++ )
    {
        double share = (double)units[i].runtime / (2 * 20000000000.0);

        assert_true(share > 0.22 && share < 0.28);
    }
}

static void test_steal_then_balance_loses_nothing(void **state)
{
    /* CPU 0 has only an overspent unit; CPU 1 runs one and queues four,
     * the first with credit.  CPU 0 takes that one (priority); taking a
     * second one for balance must not drop the first on the floor. */
    s_time_t slice;
    unsigned int i;

    assert_int_equal(csched_init(&s, 2, unit_array, MAX_UNITS), 0);
    assert_int_equal(csched_dom_init(&doms[0], 256, 0), 0);
    assert_int_equal(csched_unit_add(&s, &units[0], &doms[0], 0), 0);
    assert_int_equal(csched_unit_add(&s, &units[1], &doms[0], 1), 0);
    csched_wake(&s, &units[0], 0);
    csched_wake(&s, &units[1], 0);
    assert_ptr_equal(csched_schedule(&s, 1, 0, &slice), &units[1]);
    assert_ptr_equal(csched_schedule(&s, 0, 0, &slice), &units[0]);
    for ( i = 2; i < 6; i++ )
    {
        assert_int_equal(csched_unit_add(&s, &units[i], &doms[0], 1), 0);
        csched_wake(&s, &units[i], 0);          /* queued in order 2..5 */
    }
    for ( i = 2; i < 6; i++ )
    {
        units[i].pri = i == 2 ? CSCHED_UNDER : CSCHED_OVER;
        units[i].credit = i == 2 ? 0 : -1;
    }
    units[0].credit = -CSCHED_TSLICE_NS * 2;    /* CPU 0's unit overspent */
    csched_schedule(&s, 0, 1000000, &slice);
    check_invariants();
    assert_true(units[2].running);              /* the one with credit runs */
}

static void test_cap(void **state)
{
    /* Domain 0 capped at 25% of a CPU, domain 1 uncapped; one CPU. */
    const unsigned int w[] = { 512, 256 }, caps[] = { 25, 0 }, per[] = { 1, 1 };

    make(1, 2, w, caps, per);
    simulate(30000000000LL);
    assert_true(dom_share(0, 2) > 0.20 && dom_share(0, 2) < 0.30);
}

static void test_spinner_does_not_starve(void **state)
{
    /* A spinning unit of a heavy domain and a light one on one CPU: the
     * light one still runs within every second. */
    const unsigned int w[] = { 65535, 1 }, per[] = { 1, 1 };
    uint64_t last = 0;
    int sec;

    make(1, 2, w, NULL, per);
    for ( sec = 1; sec <= 5; sec++ )
    {
        simulate(1000000000LL);
        assert_true(units[1].runtime > last);
        last = units[1].runtime;
    }
}

static void test_blocked_units_do_not_run(void **state)
{
    const unsigned int w[] = { 256, 256 }, per[] = { 1, 1 };

    make(1, 2, w, NULL, per);
    csched_sleep(&s, &units[1], 0);
    simulate(3000000000LL);
    assert_int_equal(units[1].runtime, 0);
    /* Awake again: it gets its share back promptly. */
    csched_wake(&s, &units[1], 0);
    simulate(3000000000LL);
    assert_true(units[1].runtime > 1000000000ULL);
}

static void test_idle_cpu_steals_under_work(void **state)
{
    /* Two units queued on CPU 0 of two CPUs: CPU 1 takes one. */
    const unsigned int w[] = { 256 }, per[] = { 2 };
    s_time_t slice;

    assert_int_equal(csched_init(&s, 2, unit_array, MAX_UNITS), 0);
    assert_int_equal(csched_dom_init(&doms[0], w[0], 0), 0);
    assert_int_equal(csched_unit_add(&s, &units[0], &doms[0], 0), 0);
    assert_int_equal(csched_unit_add(&s, &units[1], &doms[0], 0), 0);
    csched_wake(&s, &units[0], 0);
    csched_wake(&s, &units[1], 0);
    csched_account(&s);
    (void)per;
    assert_ptr_equal(csched_schedule(&s, 0, 0, &slice), &units[0]);
    assert_ptr_equal(csched_schedule(&s, 1, 0, &slice), &units[1]);
    assert_int_equal(units[1].cpu, 1);
    assert_int_equal(slice, CSCHED_TSLICE_NS);
}

static void test_sleeper_wakes_boosted(void **state)
{
    /* A spinner and a unit that sleeps: once its debt is forgiven, the
     * sleeper wakes BOOSTed and runs at the next schedule, ahead of the
     * spinner, instead of after it. */
    const unsigned int w[] = { 256, 256 }, per[] = { 1, 1 };
    s_time_t slice;

    make(1, 2, w, NULL, per);
    assert_ptr_equal(csched_schedule(&s, 0, 0, &slice), &units[0]);
    assert_ptr_equal(csched_schedule(&s, 0, 5000000, &slice), &units[1]);
    /* The sleeper ran 5 ms past its credit, then blocks. */
    units[1].credit = -5000000;
    csched_sleep(&s, &units[1], 10000000);
    assert_ptr_equal(csched_schedule(&s, 0, 10000000, &slice), &units[0]);
    csched_account(&s);                         /* asleep: debt forgiven */
    assert_true(units[1].credit >= 0);
    csched_wake(&s, &units[1], 40000000);
    assert_int_equal(units[1].pri, CSCHED_BOOST);
    assert_ptr_equal(csched_schedule(&s, 0, 40000000, &slice), &units[1]);
    /* Charged for running, the boost is gone. */
    csched_schedule(&s, 0, 41000000, &slice);
    assert_int_not_equal(units[1].pri, CSCHED_BOOST);
}

static void test_overspent_waker_not_boosted(void **state)
{
    /* Waking with debt (no accounting period asleep) gives no boost. */
    const unsigned int w[] = { 256, 256 }, per[] = { 1, 1 };
    s_time_t slice;

    make(1, 2, w, NULL, per);
    csched_schedule(&s, 0, 0, &slice);
    csched_sleep(&s, &units[1], 0);
    units[1].credit = -CSCHED_TSLICE_NS;
    units[1].pri = CSCHED_OVER;
    csched_wake(&s, &units[1], 1000000);
    assert_int_equal(units[1].pri, CSCHED_OVER);
    assert_ptr_equal(csched_schedule(&s, 0, 1000000, &slice), &units[0]);
}

static void test_remove_units(void **state)
{
    /* A dying domain's units leave: running, queued, and the survivors
     * share the CPU between themselves. */
    const unsigned int w[] = { 256, 256, 256 }, per[] = { 1, 1, 1 };
    s_time_t slice;
    uint64_t before;

    make(1, 3, w, NULL, per);
    assert_ptr_equal(csched_schedule(&s, 0, 0, &slice), &units[0]);
    assert_true(units[1].queued);
    csched_unit_remove(&s, &units[0]);          /* the running one */
    assert_null(s.curr[0]);
    assert_false(units[0].running);
    csched_unit_remove(&s, &units[1]);          /* a queued one */
    assert_false(units[1].queued);
    assert_int_equal(s.nr_units, 1);
    before = units[0].runtime + units[1].runtime;
    simulate(2000000000LL);
    assert_int_equal(units[0].runtime + units[1].runtime, before);
    assert_true(units[2].runtime > 1900000000ULL);
    /* Its slot can be reused. */
    assert_int_equal(csched_unit_add(&s, &units[3], &doms[0], 0), 0);
    assert_int_equal(s.nr_units, 2);
}

static void test_bad_parameters(void **state)
{
    struct csched_dom d;

    assert_int_equal(csched_init(&s, 0, unit_array, MAX_UNITS), -EINVAL);
    assert_int_equal(csched_init(&s, CSCHED_MAX_CPUS + 1, unit_array, MAX_UNITS), -EINVAL);
    assert_int_equal(csched_dom_init(&d, 0, 0), -EINVAL);
    assert_int_equal(csched_dom_init(&d, 70000, 0), -EINVAL);
    assert_int_equal(csched_init(&s, 2, unit_array, 1), 0);
    assert_int_equal(csched_dom_init(&d, 1, 0), 0);
    assert_int_equal(csched_unit_add(&s, &units[0], &d, 5), -EINVAL);
    assert_int_equal(csched_unit_add(&s, &units[0], &d, 1), 0);
    assert_int_equal(csched_unit_add(&s, &units[1], &d, 1), -EINVAL);   /* full */
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_weights_proportional),
        T(test_two_cpus_equal_weights_balance),
        T(test_uneven_start_evens_out),
        T(test_steal_then_balance_loses_nothing),
        T(test_cap),
        T(test_spinner_does_not_starve),
        T(test_blocked_units_do_not_run),
        T(test_idle_cpu_steals_under_work),
        T(test_remove_units),
        T(test_sleeper_wakes_boosted),
        T(test_overspent_waker_not_boosted),
        T(test_bad_parameters),
    };

    return cmocka_run_group_tests_name("sched_credit", tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For tests that link the domain life cycle without the scheduler and the
 * arch code: the hooks they call, recording what happened so tests can
 * assert on it.  Include in exactly one file of a test program.
 */
#ifndef SCHED_STUBS_H
#define SCHED_STUBS_H

#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/hypercall.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <xen/timer.h>

s_time_t host_test_now;
unsigned int stub_blocks, stub_wakes, stub_yields, stub_timers_set;
struct timer *stub_last_timer;      /* tests fire it by hand */

void sched_domain_changed(struct domain *d) { (void)d; }
void sched_remove_domain(struct domain *d) { (void)d; }
void arch_domain_teardown(struct domain *d) { (void)d; }
/* Runs as vcpu_block() starts: what another CPU did just before it. */
void (*stub_before_block)(struct vcpu *v);
void vcpu_block(struct vcpu *v)
{
    if ( stub_before_block )
        stub_before_block(v);
    v->blocked = true;
    stub_blocks++;
}
void vcpu_wake(struct vcpu *v) { v->blocked = false; v->polling = false; stub_wakes++; }
void vcpu_yield(struct vcpu *v) { (void)v; stub_yields++; }
void set_timer(struct timer *t, s_time_t expires)
{
    if ( t->killed )
        return;               /* as the real one: killed for good */
    t->expires = expires;
    t->active = true;
    stub_timers_set++;
    stub_last_timer = t;
}

void init_timer(struct timer *t, void (*fn)(void *), void *data, unsigned int cpu)
{
    memset(t, 0, sizeof(*t));
    t->fn = fn;
    t->data = data;
    t->cpu = cpu;
}

void stop_timer(struct timer *t)
{
    t->active = false;
}

void kill_timer(struct timer *t)
{
    t->active = false;
    t->killed = true;
}

void arch_vcpu_kill_timers(struct vcpu *v) { (void)v; }

void vcpu_runstate_get(struct vcpu *v, struct vcpu_runstate_info *out)
{
    *out = v->runstate;
}

long arch_vcpu_initialise(struct hypercall_ctx *ctx, struct vcpu *v, uint64_t arg)
{
    struct vcpu_hvm_context c;

    if ( v->initialised )
        return -EEXIST;
    if ( copy_from_guest(ctx, &c, arg, sizeof(c)) )
        return -EFAULT;
    v->initialised = true;
    return 0;
}

/* Guest frames for register_vcpu_info: a test page per gfn below 4. */
uint8_t stub_guest_frames[4][4096] __attribute__((aligned(4096)));
uint64_t stub_special_gfn = ~0ULL;
void *stub_special_frame;

void *arch_guest_frame(struct domain *d, uint64_t gfn)
{
    (void)d;
    return gfn < 4 ? stub_guest_frames[gfn] : NULL;
}

int arch_map_special_frame(struct domain *d, void *frame, uint64_t gfn)
{
    (void)d;
    stub_special_gfn = gfn;
    stub_special_frame = frame;
    return 0;
}

/* Balloon hooks: gfns below 100 are RAM the stub can release or fill. */
uint64_t stub_released[16], stub_populated[16];
unsigned int stub_nr_released, stub_nr_populated;

int arch_release_guest_page(struct domain *d, uint64_t gfn)
{
    (void)d;
    if ( gfn >= 100 )
        return -ENOENT;
    if ( stub_nr_released < 16 )
        stub_released[stub_nr_released++] = gfn;
    return 0;
}

int arch_populate_guest_pages(struct domain *d, uint64_t gfn, unsigned int order)
{
    (void)d;
    if ( gfn >= 100 || order > 9 )
        return -EBUSY;
    if ( stub_nr_populated < 16 )
        stub_populated[stub_nr_populated++] = gfn;
    return 0;
}

/* Domain creation from the toolstack: no arch state, scheduler records. */
int stub_arch_init_fail;
int arch_domain_init(struct domain *d) { (void)d; return stub_arch_init_fail; }
int arch_vcpus_init(struct domain *d) { (void)d; return 0; }
int sched_add_domain(struct domain *d, unsigned int weight, unsigned int cap)
{
    d->sched.weight = weight;
    d->sched.cap = cap;
    return 0;
}
int sched_set_params(struct domain *d, unsigned int weight, unsigned int cap)
{
    if ( !weight || weight > 65535 )
        return -EINVAL;
    d->sched.weight = weight;
    d->sched.cap = cap;
    return 0;
}

/* Grace periods end when the test says so. */
bool stub_grace_over = true;
unsigned int stub_graces_started;

void sched_grace_start(struct sched_grace *g)
{
    (void)g;
    stub_graces_started++;
}

bool sched_grace_done(const struct sched_grace *g)
{
    (void)g;
    return stub_grace_over;
}

/* Foreign mappings: recorded; foreign gfns below 100 exist. */
struct stub_foreign_map { uint64_t gpfn, fgfn; domid_t fdom; } stub_foreign[16];
unsigned int stub_nr_foreign;
uint64_t stub_removed[16];
unsigned int stub_nr_removed;

int arch_map_foreign_frame(struct domain *d, uint64_t gpfn,
                           struct domain *fd, uint64_t fgfn)
{
    (void)d;
    if ( fgfn >= 100 )
        return -ENOENT;
    if ( stub_nr_foreign < 16 )
        stub_foreign[stub_nr_foreign++] =
            (struct stub_foreign_map){ gpfn, fgfn, fd->domain_id };
    return 0;
}

int arch_remove_physmap_entry(struct domain *d, uint64_t gpfn)
{
    (void)d;
    if ( gpfn >= 100 )
        return -ENOENT;
    if ( stub_nr_removed < 16 )
        stub_removed[stub_nr_removed++] = gpfn;
    return 0;
}

#ifndef UNIT_OWN_GRANT_HOOKS
/* Grant mappings: no guest RAM here (test_gnttab.c has a fake p2m). */
struct page_info *arch_get_guest_page(struct domain *d, uint64_t gfn)
{
    (void)d; (void)gfn;
    return NULL;
}

int arch_map_grant_frame(struct domain *d, uint64_t gfn, struct page_info *pg,
                         bool readonly)
{
    (void)d; (void)gfn; (void)pg; (void)readonly;
    return -EINVAL;
}

int arch_clear_grant_frame(struct domain *d, uint64_t gfn, struct page_info *pg)
{
    (void)d; (void)gfn; (void)pg;
    return -ENOENT;
}

void arch_flush_guest_tlbs(struct domain *d) { (void)d; }
#endif

#endif

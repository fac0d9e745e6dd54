/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Domains: ids, life cycle, memory accounting.  Every page a domain owns is
 * on its page list with owner set, counted in tot_pages and bounded by
 * max_pages; domain_kill() gives every one back to the heap, so a
 * create/destroy loop leaves the heap exactly as it found it.
 */
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/grant_table.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <xen/xmalloc.h>
#include <public/sched.h>
#include <asm/time.h>

static struct domain *domain_list;
static struct domain *reap_list;
static DEFINE_SPINLOCK(reap_lock);
static struct timer reap_timer;
static bool reap_timer_ready;
static DEFINE_SPINLOCK(domlist_lock);
static domid_t next_free_domid = 1;

static const char *const state_names[] = {
    [DOMAIN_CREATED] = "created", [DOMAIN_RUNNING] = "running",
    [DOMAIN_PAUSED] = "paused",   [DOMAIN_SHUTDOWN] = "shutdown",
    [DOMAIN_CRASHED] = "crashed", [DOMAIN_DYING] = "dying",
    [DOMAIN_DEAD] = "dead",
};

const char *domain_state_name(enum domain_state s)
{
    return s < ARRAY_SIZE(state_names) ? state_names[s] : "?";
}

static struct domain *lookup_locked(domid_t id)
{
    struct domain *d;

    for ( d = domain_list; d; d = d->next )
        if ( d->domain_id == id )
            return d;
    return NULL;
}

/*
 * A dying domain is invisible to lookups: once it is marked, only
 * hypercalls that found it before can still hold it, and the reaper waits
 * a grace period for those before freeing anything.
 */
static bool visible(const struct domain *d)
{
    return d->state != DOMAIN_DYING && d->state != DOMAIN_DEAD;
}

struct domain *domain_list_first(void)
{
    return domain_list;
}

void domain_for_each(void (*fn)(struct domain *d, void *arg), void *arg)
{
    unsigned long f = spin_lock_irqsave(&domlist_lock);
    struct domain *d;

    for ( d = domain_list; d; d = d->next )
        fn(d, arg);
    spin_unlock_irqrestore(&domlist_lock, f);
}

struct domain *domain_lookup(domid_t id)
{
    unsigned long f = spin_lock_irqsave(&domlist_lock);
    struct domain *d = lookup_locked(id);

    if ( d && !visible(d) )
        d = NULL;
    spin_unlock_irqrestore(&domlist_lock, f);
    return d;
}

void domain_fill_info(struct domain *d, struct domain_info *out)
{
    unsigned int i;
    bool all_blocked = true;

    memset(out, 0, sizeof(*out));
    out->domid = d->domain_id;
    out->state = d->state;
    out->shutdown_reason = d->shutdown_reason;
    out->paused = d->pause_count > 0;
    out->tot_pages = d->tot_pages;
    out->max_pages = d->max_pages;
    out->max_vcpu_id = d->max_vcpus - 1;
    memcpy(out->handle, d->handle, sizeof(out->handle));
    for ( i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu *v = d->vcpus[i];
        struct vcpu_runstate_info rs;

        if ( !v->is_up )
            continue;
        out->nr_online_vcpus++;
        vcpu_runstate_get(v, &rs);
        out->cpu_time += rs.time[RUNSTATE_running];
        out->running |= rs.state == RUNSTATE_running;
        all_blocked &= rs.state == RUNSTATE_blocked;
    }
    out->blocked = out->nr_online_vcpus && all_blocked;
}

int domain_info_list(domid_t first, struct domain_info *out, unsigned int max)
{
    unsigned long f = spin_lock_irqsave(&domlist_lock);
    unsigned int n = 0;
    struct domain *d;
    domid_t next = first;

    /* The list is newest first: pick ascending ids, one scan per entry. */
    while ( n < max )
    {
        struct domain *best = NULL;

        for ( d = domain_list; d; d = d->next )
            if ( d->domain_id >= next && (!best || d->domain_id < best->domain_id) )
                best = d;
        if ( !best )
            break;
        domain_fill_info(best, &out[n++]);
        if ( best->domain_id == DOMID_FIRST_RESERVED - 1 )
            break;
        next = best->domain_id + 1;
    }
    spin_unlock_irqrestore(&domlist_lock, f);
    return n;
}

/* The next unused id, round-robin so a fresh domain rarely reuses one. */
static int pick_domid(domid_t *out)
{
    unsigned int tries;

    for ( tries = 0; tries < DOMID_FIRST_RESERVED; tries++ )
    {
        domid_t id = next_free_domid;

        next_free_domid = id + 1 < DOMID_FIRST_RESERVED ? id + 1 : 1;
        if ( !lookup_locked(id) )
        {
            *out = id;
            return 0;
        }
    }
    return -ENOSPC;
}

static int alloc_vcpus(struct domain *d)
{
    unsigned int i;

    for ( i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu *v = xzalloc(struct vcpu);

        if ( !v )
            return -ENOMEM;
        v->vcpu_id = i;
        v->domain = d;
        d->vcpus[i] = v;
    }
    d->vcpus[0]->is_up = true;
    return 0;
}

static void free_vcpus(struct domain *d)
{
    unsigned int i;

    for ( i = 0; i < d->max_vcpus; i++ )
    {
        xfree(d->vcpus[i]);
        d->vcpus[i] = NULL;
    }
}

struct domain *domain_create(domid_t domid, unsigned int max_vcpus,
                             bool privileged, int *err)
{
    struct domain *d;
    unsigned long f;
    int rc = 0;

    if ( !max_vcpus || max_vcpus > DOMAIN_MAX_VCPUS ||
         (domid > DOMID_FIRST_RESERVED) )
    {
        *err = -EINVAL;
        return NULL;
    }
    if ( !(d = xzalloc(struct domain)) )
    {
        *err = -ENOMEM;
        return NULL;
    }
    d->max_vcpus = max_vcpus;
    d->is_privileged = privileged;
    d->state = DOMAIN_CREATED;
    d->pause_count = 1;                 /* created paused, as in Xen */
    spin_lock_init(&d->lock);
    page_list_init(&d->page_list);
    if ( (rc = alloc_vcpus(d)) )
        goto fail;

    f = spin_lock_irqsave(&domlist_lock);
    if ( domid == DOMID_FIRST_RESERVED )
        rc = pick_domid(&d->domain_id);
    else if ( lookup_locked(domid) )
        rc = -EEXIST;
    else
        d->domain_id = domid;
    if ( !rc )
    {
        d->next = domain_list;
        domain_list = d;
    }
    spin_unlock_irqrestore(&domlist_lock, f);
    if ( rc )
        goto fail;
    *err = 0;
    return d;

 fail:
    free_vcpus(d);
    xfree(d);
    *err = rc;
    return NULL;
}

int domain_set_max_pages(struct domain *d, unsigned long max_pages)
{
    unsigned long f = spin_lock_irqsave(&d->lock);
    int rc = max_pages < d->tot_pages ? -EBUSY : 0;

    if ( !rc )
        d->max_pages = max_pages;
    spin_unlock_irqrestore(&d->lock, f);
    return rc;
}

static bool may_own_memory(const struct domain *d)
{
    return d->state != DOMAIN_DYING && d->state != DOMAIN_DEAD;
}

struct page_info *domain_alloc_pages(struct domain *d, unsigned int order)
{
    unsigned long n = 1UL << order, f, i;
    struct page_info *pg;

    if ( order > MAX_ORDER )
        return NULL;
    /* Reserve first, so two allocations cannot both squeeze under the cap. */
    f = spin_lock_irqsave(&d->lock);
    if ( !may_own_memory(d) || d->tot_pages + n > d->max_pages )
    {
        spin_unlock_irqrestore(&d->lock, f);
        return NULL;
    }
    d->tot_pages += n;
    spin_unlock_irqrestore(&d->lock, f);

    pg = alloc_domheap_pages(order, 0);
    f = spin_lock_irqsave(&d->lock);
    if ( !pg )
        d->tot_pages -= n;
    else
        for ( i = 0; i < n; i++ )
        {
            pg[i].v.owner = d;
            pg[i].count_info = (pg[i].count_info & ~PGC_count_mask) | 1;
            page_list_add_tail(&pg[i], &d->page_list);
        }
    spin_unlock_irqrestore(&d->lock, f);
    return pg;
}

/*
 * Page references.  A domain's page holds one reference for being owned;
 * every foreign mapping of it (the toolstack building or serving the
 * domain) holds another.  The page goes back to the heap when the last one
 * is dropped, so a domain that dies or balloons a page out while dom0 still
 * maps it cannot have the frame reused under dom0's feet.
 */
bool get_domain_page(struct page_info *pg, struct domain *d)
{
    unsigned long f = spin_lock_irqsave(&d->lock);
    bool ok = pg->v.owner == d && page_is_inuse(pg) && may_own_memory(d) &&
              (pg->count_info & PGC_count_mask) < PGC_count_mask;

    if ( ok )
        __atomic_add_fetch(&pg->count_info, 1, __ATOMIC_SEQ_CST);
    spin_unlock_irqrestore(&d->lock, f);
    return ok;
}

void put_domain_page(struct page_info *pg)
{
    unsigned long left = __atomic_sub_fetch(&pg->count_info, 1, __ATOMIC_SEQ_CST);

    BUG_ON((left & PGC_count_mask) == PGC_count_mask);   /* underflow */
    if ( !(left & PGC_count_mask) )
        free_domheap_pages(pg, 0);
}

/* The owner lets go of a page (under d->lock); the last reference frees it. */
static void disown_page_locked(struct domain *d, struct page_info *pg)
{
    BUG_ON(pg->v.owner != d);
    page_list_del(pg, &d->page_list);
    pg->v.owner = NULL;
    d->tot_pages--;
}

void domain_free_pages(struct domain *d, struct page_info *pg, unsigned int order)
{
    unsigned long n = 1UL << order, f, i;

    f = spin_lock_irqsave(&d->lock);
    for ( i = 0; i < n; i++ )
        disown_page_locked(d, &pg[i]);
    spin_unlock_irqrestore(&d->lock, f);
    for ( i = 0; i < n; i++ )
        put_domain_page(&pg[i]);
}

int domain_pause(struct domain *d)
{
    unsigned long f = spin_lock_irqsave(&d->lock);
    int rc = 0;

    if ( d->state == DOMAIN_RUNNING || d->state == DOMAIN_PAUSED ||
         d->state == DOMAIN_CREATED )
    {
        d->pause_count++;
        if ( d->state == DOMAIN_RUNNING )
            d->state = DOMAIN_PAUSED;
    }
    else
        rc = -EINVAL;
    spin_unlock_irqrestore(&d->lock, f);
    if ( !rc )
        sched_domain_changed(d);
    return rc;
}

int domain_unpause(struct domain *d)
{
    unsigned long f = spin_lock_irqsave(&d->lock);
    int rc = 0;

    if ( !d->pause_count ||
         (d->state != DOMAIN_PAUSED && d->state != DOMAIN_CREATED) )
        rc = -EINVAL;
    else if ( --d->pause_count == 0 )
        d->state = DOMAIN_RUNNING;
    spin_unlock_irqrestore(&d->lock, f);
    if ( !rc )
        sched_domain_changed(d);
    return rc;
}

/* The toolstack learns of shut-down and vanished domains by VIRQ_DOM_EXC. */
static void notify_control_domain(const struct domain *about)
{
    struct domain *ctl = domain_lookup(0);

    if ( ctl && ctl != about )
        send_guest_virq(ctl, 0, VIRQ_DOM_EXC);
}

static const char *const shutdown_names[] = {
    [SHUTDOWN_poweroff] = "poweroff", [SHUTDOWN_reboot] = "reboot",
    [SHUTDOWN_suspend] = "suspend", [SHUTDOWN_crash] = "crash",
    [SHUTDOWN_watchdog] = "watchdog", [SHUTDOWN_soft_reset] = "soft_reset",
};

void domain_shutdown(struct domain *d, unsigned int reason)
{
    unsigned long f = spin_lock_irqsave(&d->lock);
    bool first = false;

    /* The first reason sticks; a dying domain stays dying. */
    if ( d->state != DOMAIN_SHUTDOWN && d->state != DOMAIN_CRASHED &&
         d->state != DOMAIN_DYING && d->state != DOMAIN_DEAD )
    {
        d->shutdown_reason = reason;
        d->state = reason == SHUTDOWN_crash ? DOMAIN_CRASHED : DOMAIN_SHUTDOWN;
        first = true;
    }
    spin_unlock_irqrestore(&d->lock, f);
    if ( first )
        printk("Domain %u shut down: %s\n", d->domain_id,
               reason < ARRAY_SIZE(shutdown_names) ? shutdown_names[reason] : "?");
    sched_domain_changed(d);
    if ( first )
        notify_control_domain(d);
    /* The control domain's end is the machine's: the arch code handles it. */
    if ( first && !d->is_privileged &&
         !(reason == SHUTDOWN_crash ? d->preserve_on_crash : d->preserve_on_shutdown) )
        domain_destroy_later(d);
}

static void reap_one(struct domain *d)
{
    domid_t id = d->domain_id;
    unsigned long pages = d->tot_pages;

    domain_kill(d);
    domain_destroy(d);
    printk("Domain %u destroyed: %lu pages returned, %lu pages free\n",
           id, pages, avail_heap_pages());
    notify_control_domain(NULL);
}

#define REAP_RETRY_NS 1000000ULL    /* 1 ms: a grace period is a few slices */

/* Destroy every queued domain whose grace period has ended. */
static void reap_domains(void *unused)
{
    struct domain *d, **pp, *ready = NULL;
    bool waiting;
    unsigned long f;

    f = spin_lock_irqsave(&reap_lock);
    for ( pp = &reap_list; (d = *pp); )
        if ( sched_grace_done(&d->reap_grace) )
        {
            *pp = d->reap_next;
            d->reap_next = ready;
            ready = d;
        }
        else
            pp = &d->reap_next;
    waiting = reap_list != NULL;
    spin_unlock_irqrestore(&reap_lock, f);
    while ( (d = ready) )
    {
        ready = d->reap_next;
        reap_one(d);
    }
    if ( waiting )
        set_timer(&reap_timer, NOW() + REAP_RETRY_NS);
}

/* Hide d from lookups and stop its vCPUs; false if it was already dying. */
static bool mark_dying(struct domain *d)
{
    unsigned long f = spin_lock_irqsave(&domlist_lock);
    bool was_visible = visible(d);

    spin_lock(&d->lock);
    if ( was_visible )
        d->state = DOMAIN_DYING;
    spin_unlock(&d->lock);
    spin_unlock_irqrestore(&domlist_lock, f);
    if ( was_visible )
        sched_domain_changed(d);
    return was_visible;
}

/*
 * A vCPU timer may be firing on another CPU right now, and a periodic one
 * re-arms itself: kill them all before the grace period starts, so none
 * can run once it has ended and the domain is freed.
 */
static void kill_vcpu_timers(struct domain *d)
{
    unsigned int i;

    for ( i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu *v = d->vcpus[i];

        if ( !v )
            continue;
        kill_timer(&v->singleshot_timer);
        kill_timer(&v->periodic_timer);
        arch_vcpu_kill_timers(v);
    }
}

int domain_destroy_later(struct domain *d)
{
    unsigned long f;

    if ( d->is_privileged )
        return -EPERM;      /* the control domain's end is the machine's */
    if ( !mark_dying(d) )
        return -EBUSY;      /* already on its way */
    kill_vcpu_timers(d);
    sched_grace_start(&d->reap_grace);
    f = spin_lock_irqsave(&reap_lock);
    if ( !reap_timer_ready )
    {
        init_timer(&reap_timer, reap_domains, NULL, 0);
        reap_timer_ready = true;
    }
    d->reap_next = reap_list;
    reap_list = d;
    spin_unlock_irqrestore(&reap_lock, f);
    set_timer(&reap_timer, NOW());
    return 0;
}

void domain_crash(struct domain *d, const char *why)
{
    printk(XENLOG_ERR "Domain %u crashed: %s\n", d->domain_id, why);
    domain_shutdown(d, SHUTDOWN_crash);
}

void domain_kill(struct domain *d)
{
    unsigned long f = spin_lock_irqsave(&d->lock);
    struct page_info *pg;

    if ( d->state == DOMAIN_DEAD )
    {
        spin_unlock_irqrestore(&d->lock, f);
        return;
    }
    d->state = DOMAIN_DYING;
    spin_unlock_irqrestore(&d->lock, f);
    /* No vCPU of it may still be running when its memory goes back. */
    sched_remove_domain(d);
    evtchn_destroy(d);      /* peers' ports fall back to unbound */
    gnttab_destroy(d);      /* the mappings it holds, then its table */
    arch_domain_teardown(d); /* p2m, VMCBs, shared_info */
    f = spin_lock_irqsave(&d->lock);
    while ( (pg = page_list_first(&d->page_list)) )
    {
        disown_page_locked(d, pg);
        spin_unlock_irqrestore(&d->lock, f);
        put_domain_page(pg);
        f = spin_lock_irqsave(&d->lock);
    }
    BUG_ON(d->tot_pages);
    d->state = DOMAIN_DEAD;
    spin_unlock_irqrestore(&d->lock, f);
}

int domain_destroy(struct domain *d)
{
    struct domain **pp;
    unsigned long f;

    if ( d->state != DOMAIN_DEAD )
        return -EBUSY;
    f = spin_lock_irqsave(&domlist_lock);
    for ( pp = &domain_list; *pp; pp = &(*pp)->next )
        if ( *pp == d )
        {
            *pp = d->next;
            break;
        }
    spin_unlock_irqrestore(&domlist_lock, f);
    free_vcpus(d);
    xfree(d);
    return 0;
}

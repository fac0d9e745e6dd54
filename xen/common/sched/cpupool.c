/* SPDX-License-Identifier: GPL-2.0 */
/*
 * XEN_SYSCTL_cpupool_op, answered as Xen 4.17 answers it (errors included;
 * public/sysctl.h lists them) for the pools we have: pool 0 with every
 * online CPU and every domain, and pools made by CREATE that have no CPUs
 * and no domains.  No CPU is ever free (ADDCPU: -ENODEV, FREEINFO: none),
 * and RMCPU is declined with -EBUSY, Xen's answer when a pool's domains
 * still need the CPU: our scheduler runs every vCPU on every CPU.
 */
#include <xen/cpupool.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/string.h>
#include <public/domctl.h>
#include <asm/percpu.h>

/* Xen refuses more than two pools per CPU (-ENOSPC). */
#define CPUPOOL_MAX (2 * CSCHED_MAX_CPUS)

struct cpupool {
    bool in_use;
    uint32_t id;
    uint32_t sched_id;
};

static DEFINE_SPINLOCK(cpupool_lock);
static struct cpupool pools[CPUPOOL_MAX] = {
    [0] = { .in_use = true, .id = 0, .sched_id = XEN_SCHEDULER_CREDIT },
};

/* The pool with this id, or (next) with the lowest id above it. */
static struct cpupool *pool_find(uint32_t id, bool next)
{
    struct cpupool *best = NULL;
    unsigned int i;

    for ( i = 0; i < CPUPOOL_MAX; i++ )
    {
        struct cpupool *p = &pools[i];

        if ( !p->in_use )
            continue;
        if ( p->id == id )
            return p;
        if ( next && p->id > id && (!best || p->id < best->id) )
            best = p;
    }
    return best;
}

static unsigned int pool_count(void)
{
    unsigned int i, n = 0;

    for ( i = 0; i < CPUPOOL_MAX; i++ )
        n += pools[i].in_use;
    return n;
}

/* A pool's CPUs: all of them for pool 0, none elsewhere. */
static bool pool_has_cpu(const struct cpupool *p, unsigned int cpu)
{
    return p->id == 0 && cpu < nr_cpus_online;
}

static void count_domain(struct domain *d, void *arg)
{
    (void)d;
    (*(unsigned int *)arg)++;
}

static unsigned int pool_domains(const struct cpupool *p)
{
    unsigned int n = 0;

    if ( p->id == 0 )
        domain_for_each(count_domain, &n);
    return n;
}

bool cpupool_can_hold_domains(uint32_t id)
{
    return id == 0;
}

/*
 * Write a CPU set into the caller's bitmap: nr_bits bits, those past our
 * CPUs zero, as Xen fills it.
 */
int cpumap_to_guest(struct hypercall_ctx *ctx, const struct xenctl_bitmap *map,
                    const cpumap_t *cpus)
{
    uint8_t chunk[CPUMAP_BYTES];
    unsigned int guest_bytes = (map->nr_bits + 7) / 8, done, n;

    for ( done = 0; done < guest_bytes; done += n )
    {
        n = guest_bytes - done < sizeof(chunk) ? guest_bytes - done : sizeof(chunk);
        memset(chunk, 0, sizeof(chunk));
        if ( !done )
            memcpy(chunk, cpus->bytes, sizeof(chunk));
        if ( copy_to_guest(ctx, map->bitmap.q + done, chunk, n) )
            return -EFAULT;
    }
    return 0;
}

/* Read the caller's CPU set; bits for CPUs we do not have are dropped. */
int cpumap_from_guest(struct hypercall_ctx *ctx, const struct xenctl_bitmap *map,
                      cpumap_t *cpus)
{
    unsigned int bytes = (map->nr_bits + 7) / 8, cpu;
    cpumap_t online;

    memset(cpus, 0, sizeof(*cpus));
    if ( bytes > CPUMAP_BYTES )
        bytes = CPUMAP_BYTES;
    if ( bytes && copy_from_guest(ctx, cpus->bytes, map->bitmap.q, bytes) )
        return -EFAULT;
    if ( map->nr_bits % 8 && bytes == (map->nr_bits + 7) / 8 )
        cpus->bytes[bytes - 1] &= (1u << (map->nr_bits % 8)) - 1;
    cpumap_online(&online);
    for ( cpu = 0; cpu < CPUMAP_BYTES; cpu++ )
        cpus->bytes[cpu] &= online.bytes[cpu];
    return 0;
}

void cpumap_online(cpumap_t *cpus)
{
    unsigned int cpu;

    memset(cpus, 0, sizeof(*cpus));
    for ( cpu = 0; cpu < nr_cpus_online && cpu < CPUMAP_BYTES * 8; cpu++ )
        cpus->bytes[cpu / 8] |= 1u << (cpu % 8);
}

/* A pool's CPUs (NULL: the free ones): all of them for pool 0, else none. */
static void pool_cpus(const struct cpupool *p, cpumap_t *cpus)
{
    if ( p && p->id == 0 )
        cpumap_online(cpus);
    else
        memset(cpus, 0, sizeof(*cpus));
}

static int pool_cpus_to_guest(struct hypercall_ctx *ctx, const struct xenctl_bitmap *map,
                              const struct cpupool *p)
{
    cpumap_t cpus;

    pool_cpus(p, &cpus);
    return cpumap_to_guest(ctx, map, &cpus);
}

static long pool_create(struct xen_sysctl_cpupool_op *op)
{
    struct cpupool *slot = NULL;
    uint32_t id = op->cpupool_id;
    unsigned int i;

    if ( pool_count() >= 2 * nr_cpus_online )
        return -ENOSPC;
    for ( i = 0; i < CPUPOOL_MAX && !slot; i++ )
        if ( !pools[i].in_use )
            slot = &pools[i];
    if ( !slot )
        return -ENOSPC;
    if ( id == XEN_SYSCTL_CPUPOOL_PAR_ANY )
    {
        /* One above the highest id; after a wrap, the lowest free one. */
        id = 0;
        for ( i = 0; i < CPUPOOL_MAX; i++ )
            if ( pools[i].in_use && pools[i].id >= id )
                id = pools[i].id + 1;
        if ( id == XEN_SYSCTL_CPUPOOL_PAR_ANY )
            for ( id = 1; pool_find(id, false); id++ )
                ;
    }
    else if ( pool_find(id, false) )
        return -EEXIST;
    /* Xen looks the scheduler up by id: we have only the credit one. */
    if ( op->sched_id != XEN_SCHEDULER_CREDIT )
        return -ENOENT;
    slot->in_use = true;
    slot->id = id;
    slot->sched_id = op->sched_id;
    op->cpupool_id = id;
    return 0;
}

static long pool_destroy(const struct xen_sysctl_cpupool_op *op)
{
    struct cpupool *p = pool_find(op->cpupool_id, false);

    if ( !p )
        return -ENOENT;
    if ( p->id == 0 || pool_domains(p) )
        return -EBUSY;
    p->in_use = false;
    return 0;
}

static long pool_info(struct hypercall_ctx *ctx, struct xen_sysctl_cpupool_op *op)
{
    struct cpupool *p = pool_find(op->cpupool_id, true);

    if ( !p )
        return -ENOENT;
    op->cpupool_id = p->id;
    op->sched_id = p->sched_id;
    op->n_dom = pool_domains(p);
    return pool_cpus_to_guest(ctx, &op->cpumap, p);
}

static long pool_add_cpu(const struct xen_sysctl_cpupool_op *op)
{
    if ( !pool_find(op->cpupool_id, false) )
        return -ENOENT;
    if ( op->cpu == XEN_SYSCTL_CPUPOOL_PAR_ANY )
        return -ENODEV;             /* no CPU is free */
    if ( op->cpu >= nr_cpus_online )
        return -EINVAL;
    return -ENODEV;                 /* every CPU is in pool 0 already */
}

static long pool_remove_cpu(const struct xen_sysctl_cpupool_op *op)
{
    struct cpupool *p = pool_find(op->cpupool_id, false);
    uint32_t cpu = op->cpu;

    if ( !p )
        return -ENOENT;
    if ( cpu == XEN_SYSCTL_CPUPOOL_PAR_ANY )
    {
        if ( p->id != 0 )
            return -EINVAL;         /* Xen: the last CPU of none */
        cpu = nr_cpus_online - 1;
    }
    if ( cpu >= nr_cpus_online )
        return -EINVAL;
    if ( p->id == 0 && cpu == 0 )
        return -EINVAL;             /* Xen keeps CPU 0 in pool 0 */
    if ( !pool_has_cpu(p, cpu) )
        return -ENODEV;
    return -EBUSY;
}

static long pool_move_domain(struct hypercall_ctx *ctx, const struct xen_sysctl_cpupool_op *op)
{
    struct domain *d;

    if ( op->domid >= DOMID_FIRST_RESERVED || !(d = domain_lookup(op->domid)) )
        return -ESRCH;
    if ( d == ctx->domain )
        return -EPERM;              /* as Xen: not the caller itself */
    if ( op->cpupool_id == 0 )
        return 0;                   /* where it is already */
    return -ENOENT;                 /* Xen: no such pool, or one without CPUs */
}

/*
 * The pools' credit parameters, fixed in our scheduler: its 10 ms time
 * slice, no rate limit, no cache-hot delay.  Values Xen would refuse get
 * Xen's -EINVAL; valid ones other than ours are declined (-EOPNOTSUPP).
 */
static bool credit_params_valid(const struct xen_sysctl_credit_schedule *c)
{
    if ( c->tslice_ms > XEN_SYSCTL_CSCHED_TSLICE_MAX || c->tslice_ms < XEN_SYSCTL_CSCHED_TSLICE_MIN )
        return false;
    if ( c->ratelimit_us && (c->ratelimit_us > XEN_SYSCTL_SCHED_RATELIMIT_MAX ||
                             c->ratelimit_us < XEN_SYSCTL_SCHED_RATELIMIT_MIN) )
        return false;
    if ( (uint64_t)c->ratelimit_us * 1000 > (uint64_t)c->tslice_ms * 1000000 )
        return false;
    return c->vcpu_migr_delay_us <= XEN_SYSCTL_CSCHED_MGR_DLY_MAX_US;
}

long cpupool_sched_op(struct xen_sysctl_scheduler_op *op)
{
    const struct xen_sysctl_credit_schedule ours = {
        .tslice_ms = CSCHED_TSLICE_NS / 1000000, .ratelimit_us = 0, .vcpu_migr_delay_us = 0,
    };
    unsigned long flags;
    struct cpupool *p;
    long rc = 0;

    if ( op->cmd != XEN_SYSCTL_SCHEDOP_putinfo && op->cmd != XEN_SYSCTL_SCHEDOP_getinfo )
        return -EINVAL;
    flags = spin_lock_irqsave(&cpupool_lock);
    p = pool_find(op->cpupool_id, false);
    if ( !p )
        rc = -ESRCH;
    else if ( op->sched_id != p->sched_id )
        rc = -EINVAL;
    spin_unlock_irqrestore(&cpupool_lock, flags);
    if ( rc )
        return rc;
    if ( op->cmd == XEN_SYSCTL_SCHEDOP_putinfo )
    {
        if ( !credit_params_valid(&op->u.sched_credit) )
            return -EINVAL;
        if ( memcmp(&op->u.sched_credit, &ours, sizeof(ours)) )
            return -EOPNOTSUPP;
    }
    op->u.sched_credit = ours;
    return 0;
}

long cpupool_do_sysctl(struct hypercall_ctx *ctx, struct xen_sysctl_cpupool_op *op)
{
    unsigned long flags = spin_lock_irqsave(&cpupool_lock);
    long rc;

    switch ( op->op )
    {
    case XEN_SYSCTL_CPUPOOL_OP_CREATE:
        rc = pool_create(op);
        break;
    case XEN_SYSCTL_CPUPOOL_OP_DESTROY:
        rc = pool_destroy(op);
        break;
    case XEN_SYSCTL_CPUPOOL_OP_INFO:
        rc = pool_info(ctx, op);
        break;
    case XEN_SYSCTL_CPUPOOL_OP_ADDCPU:
        rc = pool_add_cpu(op);
        break;
    case XEN_SYSCTL_CPUPOOL_OP_RMCPU:
        rc = pool_remove_cpu(op);
        break;
    case XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN:
        rc = pool_move_domain(ctx, op);
        break;
    case XEN_SYSCTL_CPUPOOL_OP_FREEINFO:
        rc = pool_cpus_to_guest(ctx, &op->cpumap, NULL);
        break;
    default:
        rc = -ENOSYS;
        break;
    }
    spin_unlock_irqrestore(&cpupool_lock, flags);
    return rc;
}

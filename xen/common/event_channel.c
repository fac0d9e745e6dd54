/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event channels, 2-level ABI.
 *
 * A port is a slot in its domain's table with a state (free, unbound,
 * interdomain, virq, ipi) and a vCPU to notify.  Sending on a port sets its
 * pending bit in the target domain's shared-info page; unless the port is
 * masked, the word's bit is then set in the vCPU's selector and the vCPU's
 * upcall is flagged, and the arch kicks the vCPU.  Port 0 is reserved, as
 * in Xen.  Two domains are locked in domain-id order.
 */
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/string.h>
#include <xen/xmalloc.h>
#include <public/xen.h>

enum evtchn_state {
    ECS_FREE, ECS_RESERVED, ECS_UNBOUND, ECS_INTERDOMAIN, ECS_VIRQ, ECS_IPI,
};

struct evtchn {
    uint8_t state;
    uint32_t notify_vcpu;
    union {
        uint16_t unbound_remote;                  /* who may bind */
        struct { struct domain *dom; evtchn_port_t port; } inter;
        uint32_t virq;
    } u;
};

struct evtchn_domain {
    spinlock_t lock;
    unsigned int max_ports;
    struct shared_info *shared;
    struct evtchn *ports;
    evtchn_port_t virq_port[DOMAIN_MAX_VCPUS][NR_VIRQS];
};

#define BITS_PER_WORD 64

static struct evtchn_domain *ed(const struct domain *d)
{
    return d->evtchn;
}

int evtchn_init(struct domain *d, unsigned int max_ports,
                struct shared_info *shared_info)
{
    struct evtchn_domain *e;

    if ( !max_ports || max_ports > EVTCHN_2L_NR_PORTS || !shared_info )
        return -EINVAL;
    if ( !(e = xzalloc(struct evtchn_domain)) )
        return -ENOMEM;
    if ( !(e->ports = xzalloc_array(struct evtchn, max_ports)) )
    {
        xfree(e);
        return -ENOMEM;
    }
    spin_lock_init(&e->lock);
    e->max_ports = max_ports;
    e->shared = shared_info;
    e->ports[0].state = ECS_RESERVED;
    d->evtchn = e;
    return 0;
}

static bool port_valid(const struct evtchn_domain *e, evtchn_port_t p)
{
    return e && p < e->max_ports;
}

/* Lock one or two domains' tables without deadlock. */
static void lock_pair(struct domain *a, struct domain *b)
{
    if ( a == b )
        spin_lock(&ed(a)->lock);
    else if ( a->domain_id < b->domain_id )
    {
        spin_lock(&ed(a)->lock);
        spin_lock(&ed(b)->lock);
    }
    else
    {
        spin_lock(&ed(b)->lock);
        spin_lock(&ed(a)->lock);
    }
}

static void unlock_pair(struct domain *a, struct domain *b)
{
    spin_unlock(&ed(a)->lock);
    if ( a != b )
        spin_unlock(&ed(b)->lock);
}

static int get_free_port(struct evtchn_domain *e, evtchn_port_t *out)
{
    evtchn_port_t p;

    for ( p = 1; p < e->max_ports; p++ )
        if ( e->ports[p].state == ECS_FREE )
        {
            *out = p;
            return 0;
        }
    return -ENOSPC;
}

static bool vcpu_valid(const struct domain *d, uint32_t vcpu)
{
    return vcpu < d->max_vcpus && d->vcpus[vcpu];
}

int evtchn_alloc_unbound(struct domain *d, uint16_t remote_domid,
                         evtchn_port_t *port)
{
    struct evtchn_domain *e = ed(d);
    int rc;

    if ( !e )
        return -EINVAL;
    spin_lock(&e->lock);
    if ( !(rc = get_free_port(e, port)) )
    {
        e->ports[*port].state = ECS_UNBOUND;
        e->ports[*port].notify_vcpu = 0;
        e->ports[*port].u.unbound_remote = remote_domid;
    }
    spin_unlock(&e->lock);
    return rc;
}

int evtchn_bind_interdomain(struct domain *d, uint16_t remote_domid,
                            evtchn_port_t remote_port, evtchn_port_t *port)
{
    struct domain *rd = domain_lookup(remote_domid);
    struct evtchn *rc_chn;
    int rc;

    if ( !rd || !ed(d) || !ed(rd) )
        return -ESRCH;
    lock_pair(d, rd);
    rc = -EINVAL;
    if ( !port_valid(ed(rd), remote_port) )
        goto out;
    rc_chn = &ed(rd)->ports[remote_port];
    if ( rc_chn->state != ECS_UNBOUND || rc_chn->u.unbound_remote != d->domain_id )
        goto out;
    if ( (rc = get_free_port(ed(d), port)) )
        goto out;
    /* A domain binding to its own unbound port: that port must differ. */
    ed(d)->ports[*port] = (struct evtchn){
        .state = ECS_INTERDOMAIN, .notify_vcpu = 0,
        .u.inter = { rd, remote_port } };
    *rc_chn = (struct evtchn){
        .state = ECS_INTERDOMAIN, .notify_vcpu = rc_chn->notify_vcpu,
        .u.inter = { d, *port } };
    rc = 0;
 out:
    unlock_pair(d, rd);
    return rc;
}

int evtchn_bind_virq(struct domain *d, uint32_t virq, uint32_t vcpu,
                     evtchn_port_t *port)
{
    struct evtchn_domain *e = ed(d);
    int rc;

    if ( !e || virq >= NR_VIRQS )
        return -EINVAL;
    if ( !vcpu_valid(d, vcpu) )
        return -ENOENT;
    spin_lock(&e->lock);
    if ( e->virq_port[vcpu][virq] )
        rc = -EEXIST;
    else if ( !(rc = get_free_port(e, port)) )
    {
        e->ports[*port] = (struct evtchn){ .state = ECS_VIRQ,
                                           .notify_vcpu = vcpu, .u.virq = virq };
        e->virq_port[vcpu][virq] = *port;
    }
    spin_unlock(&e->lock);
    return rc;
}

int evtchn_bind_ipi(struct domain *d, uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_domain *e = ed(d);
    int rc;

    if ( !e )
        return -EINVAL;
    if ( !vcpu_valid(d, vcpu) )
        return -ENOENT;
    spin_lock(&e->lock);
    if ( !(rc = get_free_port(e, port)) )
        e->ports[*port] = (struct evtchn){ .state = ECS_IPI, .notify_vcpu = vcpu };
    spin_unlock(&e->lock);
    return rc;
}

/* Close a port with the relevant lock(s) held. */
static void close_locked(struct domain *d, evtchn_port_t port)
{
    struct evtchn *c = &ed(d)->ports[port];

    if ( c->state == ECS_INTERDOMAIN )
    {
        /* The other end waits for a new partner: back to unbound. */
        struct domain *rd = c->u.inter.dom;
        struct evtchn *r = &ed(rd)->ports[c->u.inter.port];

        r->state = ECS_UNBOUND;
        r->u.unbound_remote = d->domain_id;
    }
    else if ( c->state == ECS_VIRQ )
        ed(d)->virq_port[c->notify_vcpu][c->u.virq] = 0;
    memset(c, 0, sizeof(*c));
}

int evtchn_close(struct domain *d, evtchn_port_t port)
{
    struct evtchn_domain *e = ed(d);
    struct domain *rd = d;

    if ( !port_valid(e, port) )
        return -EINVAL;
    spin_lock(&e->lock);
    if ( e->ports[port].state == ECS_FREE || e->ports[port].state == ECS_RESERVED )
    {
        spin_unlock(&e->lock);
        return -EINVAL;
    }
    if ( e->ports[port].state == ECS_INTERDOMAIN )
        rd = e->ports[port].u.inter.dom;
    spin_unlock(&e->lock);

    lock_pair(d, rd);
    /* Re-check: the port may have changed while unlocked. */
    if ( e->ports[port].state != ECS_FREE && e->ports[port].state != ECS_RESERVED &&
         (e->ports[port].state != ECS_INTERDOMAIN || e->ports[port].u.inter.dom == rd) )
        close_locked(d, port);
    unlock_pair(d, rd);
    return 0;
}

static bool test_and_set(uint64_t *word, unsigned int bit)
{
    return __atomic_fetch_or(word, 1ULL << bit, __ATOMIC_SEQ_CST) & (1ULL << bit);
}

/* SCHEDOP_poll waits on ports that are usually masked: wake pollers first. */
static void wake_pollers(struct domain *d, evtchn_port_t port)
{
    unsigned int i;

    for ( i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpus[i] && d->vcpus[i]->polling &&
             (d->vcpus[i]->poll_port == port || d->vcpus[i]->poll_port == 0) )
            vcpu_wake(d->vcpus[i]);
}

/*
 * Where vCPU `vcpu` of d reads its upcall flags: the page it registered
 * (VCPUOP_register_vcpu_info), else its slot in shared_info, which only
 * the first 32 vCPUs have.
 */
static struct vcpu_info *vcpu_info_of(struct domain *d, uint32_t vcpu)
{
    if ( vcpu_valid(d, vcpu) && d->vcpus[vcpu]->vcpu_info )
        return d->vcpus[vcpu]->vcpu_info;
    if ( vcpu < XEN_LEGACY_MAX_VCPUS )
        return &ed(d)->shared->vcpu_info[vcpu];
    return NULL;
}

/* Mark port pending in d; notify its vCPU unless masked or already seen. */
static void set_pending(struct domain *d, evtchn_port_t port, uint32_t vcpu)
{
    struct shared_info *s = ed(d)->shared;
    unsigned int word = port / BITS_PER_WORD, bit = port % BITS_PER_WORD;
    struct vcpu_info *vi;

    if ( test_and_set(&s->evtchn_pending[word], bit) )
        return;
    wake_pollers(d, port);
    if ( __atomic_load_n(&s->evtchn_mask[word], __ATOMIC_SEQ_CST) & (1ULL << bit) )
        return;
    if ( !(vi = vcpu_info_of(d, vcpu)) )
        return;                 /* no vcpu_info registered: nowhere to say it */
    if ( test_and_set(&vi->evtchn_pending_sel, word) )
        return;
    __atomic_store_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
    if ( vcpu_valid(d, vcpu) )
        arch_evtchn_notify(d->vcpus[vcpu]);
}

bool evtchn_port_pending(struct domain *d, evtchn_port_t port)
{
    struct evtchn_domain *e = ed(d);

    if ( !port_valid(e, port) )
        return false;
    return __atomic_load_n(&e->shared->evtchn_pending[port / BITS_PER_WORD],
                           __ATOMIC_SEQ_CST) & (1ULL << (port % BITS_PER_WORD));
}

int evtchn_send(struct domain *d, evtchn_port_t port)
{
    struct evtchn_domain *e = ed(d);
    struct evtchn c;

    if ( !port_valid(e, port) )
        return -EINVAL;
    spin_lock(&e->lock);
    c = e->ports[port];
    spin_unlock(&e->lock);
    switch ( c.state )
    {
    case ECS_INTERDOMAIN:
    {
        struct domain *rd = c.u.inter.dom;
        uint32_t vcpu;

        spin_lock(&ed(rd)->lock);
        vcpu = ed(rd)->ports[c.u.inter.port].notify_vcpu;
        set_pending(rd, c.u.inter.port, vcpu);
        spin_unlock(&ed(rd)->lock);
        return 0;
    }
    case ECS_IPI:
        set_pending(d, port, c.notify_vcpu);
        return 0;
    case ECS_UNBOUND:
        return 0;               /* no one listening yet: dropped, as in Xen */
    default:
        return -EINVAL;
    }
}

int evtchn_unmask(struct domain *d, evtchn_port_t port)
{
    struct evtchn_domain *e = ed(d);
    struct shared_info *s;
    unsigned int word = port / BITS_PER_WORD, bit = port % BITS_PER_WORD;
    struct vcpu_info *vi;
    uint32_t vcpu;

    if ( !port_valid(e, port) )
        return -EINVAL;
    s = e->shared;
    spin_lock(&e->lock);
    vcpu = e->ports[port].notify_vcpu;
    vi = vcpu_info_of(d, vcpu);
    __atomic_fetch_and(&s->evtchn_mask[word], ~(1ULL << bit), __ATOMIC_SEQ_CST);
    /* Delivery that the mask held back happens now. */
    if ( (__atomic_load_n(&s->evtchn_pending[word], __ATOMIC_SEQ_CST) & (1ULL << bit)) &&
         vi && !test_and_set(&vi->evtchn_pending_sel, word) )
    {
        __atomic_store_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
        if ( vcpu_valid(d, vcpu) )
            arch_evtchn_notify(d->vcpus[vcpu]);
    }
    spin_unlock(&e->lock);
    return 0;
}

int evtchn_bind_vcpu(struct domain *d, evtchn_port_t port, uint32_t vcpu)
{
    struct evtchn_domain *e = ed(d);
    int rc = 0;

    if ( !port_valid(e, port) )
        return -EINVAL;
    if ( !vcpu_valid(d, vcpu) )
        return -ENOENT;
    spin_lock(&e->lock);
    switch ( e->ports[port].state )
    {
    case ECS_UNBOUND:
    case ECS_INTERDOMAIN:
        e->ports[port].notify_vcpu = vcpu;
        break;
    default:
        rc = -EINVAL;   /* VIRQs and IPIs belong to their vCPU */
    }
    spin_unlock(&e->lock);
    return rc;
}

int evtchn_status(struct domain *d, struct evtchn_status *st)
{
    struct evtchn_domain *e = ed(d);
    const struct evtchn *c;

    if ( !port_valid(e, st->port) )
        return -EINVAL;
    spin_lock(&e->lock);
    c = &e->ports[st->port];
    st->vcpu = c->notify_vcpu;
    switch ( c->state )
    {
    case ECS_UNBOUND:
        st->status = EVTCHNSTAT_unbound;
        st->u.unbound.dom = c->u.unbound_remote;
        break;
    case ECS_INTERDOMAIN:
        st->status = EVTCHNSTAT_interdomain;
        st->u.interdomain.dom = c->u.inter.dom->domain_id;
        st->u.interdomain.port = c->u.inter.port;
        break;
    case ECS_VIRQ:
        st->status = EVTCHNSTAT_virq;
        st->u.virq = c->u.virq;
        break;
    case ECS_IPI:
        st->status = EVTCHNSTAT_ipi;
        break;
    default:
        st->status = EVTCHNSTAT_closed;
    }
    spin_unlock(&e->lock);
    return 0;
}

void send_guest_virq(struct domain *d, uint32_t vcpu, uint32_t virq)
{
    struct evtchn_domain *e = ed(d);
    evtchn_port_t port;

    if ( !e || virq >= NR_VIRQS || vcpu >= DOMAIN_MAX_VCPUS )
        return;
    spin_lock(&e->lock);
    if ( (port = e->virq_port[vcpu][virq]) )
        set_pending(d, port, vcpu);
    spin_unlock(&e->lock);
}

void evtchn_destroy(struct domain *d)
{
    struct evtchn_domain *e = ed(d);
    evtchn_port_t p;

    if ( !e )
        return;
    for ( p = 1; p < e->max_ports; p++ )
        if ( e->ports[p].state != ECS_FREE )
            evtchn_close(d, p);
    d->evtchn = NULL;
    xfree(e->ports);
    xfree(e);
}

/* __HYPERVISOR_event_channel_op: copy in, call the operation, copy out. */
#define EVTCHN_OP(type, body)                                           \
    do {                                                                \
        type op;                                                        \
        if ( copy_from_guest(ctx, &op, arg, sizeof(op)) )               \
            return -EFAULT;                                             \
        rc = (body);                                                    \
        if ( !rc && copy_to_guest(ctx, arg, &op, sizeof(op)) )          \
            return -EFAULT;                                             \
        return rc;                                                      \
    } while ( 0 )

static bool is_self(const struct domain *d, uint16_t domid)
{
    return domid == DOMID_SELF || domid == d->domain_id;
}

/*
 * The domain an operation names: itself, or (for the control domain, which
 * sets up channels for others) any existing domain.
 */
static struct domain *target_domain(struct hypercall_ctx *ctx, uint16_t domid,
                                    int *rc)
{
    struct domain *t;

    if ( is_self(ctx->domain, domid) )
        return ctx->domain;
    if ( !ctx->privileged )
    {
        *rc = -EPERM;
        return NULL;
    }
    if ( !(t = domain_lookup(domid)) )
        *rc = -ESRCH;
    return t;
}

long do_event_channel_op(struct hypercall_ctx *ctx, const uint64_t *args)
{
    struct domain *d = ctx->domain, *t;
    uint64_t cmd = args[0], arg = args[1];
    int rc = 0;

    if ( !d )
        return -ESRCH;
    switch ( cmd )
    {
    case EVTCHNOP_alloc_unbound:
        EVTCHN_OP(struct evtchn_alloc_unbound,
                  !(t = target_domain(ctx, op.dom, &rc)) ? rc :
                  evtchn_alloc_unbound(t, op.remote_dom == DOMID_SELF
                                          ? d->domain_id : op.remote_dom,
                                       &op.port));
    case EVTCHNOP_bind_interdomain:
        EVTCHN_OP(struct evtchn_bind_interdomain,
                  evtchn_bind_interdomain(d, op.remote_dom == DOMID_SELF
                                          ? d->domain_id : op.remote_dom,
                                          op.remote_port, &op.local_port));
    case EVTCHNOP_bind_virq:
        EVTCHN_OP(struct evtchn_bind_virq,
                  evtchn_bind_virq(d, op.virq, op.vcpu, &op.port));
    case EVTCHNOP_bind_ipi:
        EVTCHN_OP(struct evtchn_bind_ipi, evtchn_bind_ipi(d, op.vcpu, &op.port));
    case EVTCHNOP_close:
        EVTCHN_OP(struct evtchn_close, evtchn_close(d, op.port));
    case EVTCHNOP_send:
        EVTCHN_OP(struct evtchn_send, evtchn_send(d, op.port));
    case EVTCHNOP_unmask:
        EVTCHN_OP(struct evtchn_unmask, evtchn_unmask(d, op.port));
    case EVTCHNOP_bind_vcpu:
        EVTCHN_OP(struct evtchn_bind_vcpu, evtchn_bind_vcpu(d, op.port, op.vcpu));
    case EVTCHNOP_status:
        EVTCHN_OP(struct evtchn_status,
                  !(t = target_domain(ctx, op.dom, &rc)) ? rc : evtchn_status(t, &op));
    default:
        /* FIFO (init_control, expand_array, set_priority) is not offered:
         * Linux then uses the 2-level ABI. */
        return -ENOSYS;
    }
}

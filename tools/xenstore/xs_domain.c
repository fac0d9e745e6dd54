/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Domains and their rings.  Dom0's own kernel reaches a dom0 xenstored
 * through the page it exports as xsd_kva and the unbound port it reports in
 * xsd_port, both files of xenfs (mounted on /proc/xen).  Other domains are announced by the
 * toolstack with INTRODUCE(domid, gfn, port): we map that frame of the guest
 * and bind to its port.  VIRQ_DOM_EXC tells us some domain changed state;
 * we then ask the hypervisor which of ours are shut down, dying or gone.
 *
 * Device access goes only through the control library (tonnerre/ctrl.h),
 * which unit tests replace with fakes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <tonnerre/ctrl.h>
#include "xs_core.h"
#include "xs_util.h"

#define VIRQ_DOM_EXC       3        /* public/xen.h */
#define DOMID_FIRST_RESERVED 0x7ff0u

#define XSD_KVA_PATH     "/proc/xen/xsd_kva"   /* Linux xenfs */
#define XSD_KVA_PATH_ALT "/dev/xen/xsd_kva"
#define XSD_PORT_PATH    "/proc/xen/xsd_port"
#define PAGE_SIZE_4K  4096

struct xs_domain {
    struct xs_domain *next;
    unsigned int domid;
    struct xs_conn *conn;           /* NULL when introduced without a ring */
    struct xenstore_domain_interface *intf;
    uint64_t gfn;
    int local_port;                 /* -1: none */
    bool kva;                       /* dom0's ring: munmap, not unmap_foreign */
    bool shutdown_reported;
};

static struct xs_domain *domain_find(struct xs_state *s, unsigned int domid)
{
    struct xs_domain *d;

    for ( d = s->domains; d; d = d->next )
        if ( d->domid == domid )
            return d;
    return NULL;
}

static void domain_unlink(struct xs_state *s, struct xs_domain *d)
{
    struct xs_domain **pp;

    for ( pp = &s->domains; *pp; pp = &(*pp)->next )
        if ( *pp == d )
        {
            *pp = d->next;
            return;
        }
}

static void domain_unbind(struct xs_state *s, struct xs_domain *d)
{
    if ( d->local_port >= 0 && s->evtchn )
        evtchn_unbind(s->evtchn, (uint32_t)d->local_port);
    d->local_port = -1;
}

static void domain_free(struct xs_state *s, struct xs_domain *d)
{
    domain_unlink(s, d);
    xs_conn_free(d->conn);
    domain_unbind(s, d);
    if ( d->intf && d->kva )
        munmap(d->intf, PAGE_SIZE_4K);
    else if ( d->intf )
        ctrl_unmap_foreign(d->intf, 1);
    free(d);
}

static struct xs_domain *domain_new(struct xs_state *s, unsigned int domid)
{
    struct xs_domain *d = xs_zalloc(sizeof(*d));

    d->domid = domid;
    d->local_port = -1;
    d->next = s->domains;
    s->domains = d;
    return d;
}

/*
 * Give the domain a connection on its ring, look at the ring straight away,
 * and kick the domain: a Linux dom0 kernel serving a local xenstored holds
 * back its xenbus probing until the first event from us says we are up.
 */
static void domain_connect(struct xs_state *s, struct xs_domain *d, bool privileged)
{
    d->conn = xs_conn_new(s, (uint16_t)d->domid, privileged);
    d->conn->transport = d;
    xs_ring_init(d->intf);
    xs_ring_service(d->conn, d->intf);
    if ( s->evtchn && d->local_port >= 0 )
        evtchn_notify(s->evtchn, (uint32_t)d->local_port);
}

static int domain_bind(struct xs_state *s, struct xs_domain *d, uint32_t port)
{
    int local = evtchn_bind_interdomain(s->evtchn, (ctrl_domid_t)d->domid, port);

    if ( local < 0 )
        return EIO;
    d->local_port = local;
    return 0;
}

/* INTRODUCE again with the same page re-binds the event channel (resume). */
static int domain_reintroduce(struct xs_state *s, struct xs_domain *d, uint64_t gfn,
                              uint32_t port)
{
    if ( d->gfn != gfn )
        return EINVAL;
    if ( !s->evtchn )
        return 0;
    domain_unbind(s, d);
    return domain_bind(s, d, port);
}

static int domain_map(struct xs_state *s, struct xs_domain *d, uint64_t gfn)
{
    int err = 0;

    d->intf = ctrl_map_foreign(s->ctrl, (ctrl_domid_t)d->domid, PROT_READ | PROT_WRITE,
                               &gfn, &err, 1);
    if ( !d->intf || err )
    {
        if ( d->intf )
            ctrl_unmap_foreign(d->intf, 1);
        d->intf = NULL;
        return EIO;
    }
    return 0;
}

int xs_domain_introduce(struct xs_state *s, unsigned int domid, uint64_t gfn,
                        uint32_t port)
{
    struct xs_domain *d;
    int rc;

    if ( domid == 0 || domid >= DOMID_FIRST_RESERVED )
        return EINVAL;
    if ( (d = domain_find(s, domid)) )
        return domain_reintroduce(s, d, gfn, port);
    d = domain_new(s, domid);
    d->gfn = gfn;
    /* Without the hypervisor (--no-domain-init) only the bookkeeping is done. */
    if ( s->ctrl && s->evtchn )
    {
        if ( (rc = domain_map(s, d, gfn)) || (rc = domain_bind(s, d, port)) )
        {
            xs_log(s, "dom%u: INTRODUCE failed: cannot %s", domid,
                   d->intf ? "bind its event channel" : "map its ring page");
            domain_free(s, d);
            return rc;
        }
        domain_connect(s, d, false);
    }
    xs_log(s, "dom%u: introduced (ring gfn %#llx, port %u)", domid,
           (unsigned long long)gfn, port);
    xs_watch_fire_special(s, XS_SPECIAL_INTRODUCE);
    return 0;
}

/*
 * Stop serving a domain.  If it is dead (not merely RELEASEd, after which
 * the toolstack may INTRODUCE it again), forget its nodes and ACL entries too.
 */
static void domain_gone(struct xs_state *s, struct xs_domain *d, bool dead)
{
    uint16_t domid = (uint16_t)d->domid;

    xs_log(s, "dom%u: %s", domid, dead ? "gone; its nodes are removed" : "released");
    domain_free(s, d);
    if ( dead )
        xs_tree_forget_domain(s->tree, domid);
    xs_watch_fire_special(s, XS_SPECIAL_RELEASE);
}

int xs_domain_release(struct xs_state *s, unsigned int domid)
{
    struct xs_domain *d;

    if ( domid == 0 || domid >= DOMID_FIRST_RESERVED )
        return EINVAL;
    if ( !(d = domain_find(s, domid)) )
        return ENOENT;
    domain_gone(s, d, false);
    return 0;
}

bool xs_domain_is_introduced(struct xs_state *s, unsigned int domid)
{
    return domid == 0 || domain_find(s, domid) != NULL;
}

int xs_domain_resume(struct xs_state *s, unsigned int domid)
{
    struct xs_domain *d = domain_find(s, domid);

    if ( !d )
        return ENOENT;
    d->shutdown_reported = false;
    return 0;
}

int xs_domain_set_target(struct xs_state *s, unsigned int domid, unsigned int target)
{
    struct xs_domain *d = domain_find(s, domid);

    /* Both ends must be domains we serve (as Xen's xenstored requires). */
    if ( !d || !xs_domain_is_introduced(s, target) )
        return ENOENT;
    if ( d->conn )
    {
        d->conn->caller.has_target = true;
        d->conn->caller.target = (uint16_t)target;
    }
    return 0;
}

/* ---- the hypervisor side -------------------------------------------- */

int xs_domain_open(struct xs_state *s)
{
    int port;

    if ( !(s->ctrl = ctrl_open()) )
        return -errno;
    if ( !(s->evtchn = evtchn_open()) )
        return -errno;
    if ( (port = evtchn_bind_virq(s->evtchn, VIRQ_DOM_EXC)) < 0 )
        return port;
    s->virq_port = port;
    return 0;
}

static int read_xsd_port(const char *path, uint32_t *port)
{
    char buf[32] = "";
    unsigned long v;
    ssize_t n;
    int fd = open(path, O_RDONLY);

    if ( fd < 0 )
        return -errno;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if ( n <= 0 )
        return -EIO;
    buf[strcspn(buf, "\n")] = '\0';
    if ( !xs_parse_uint(buf, UINT32_MAX, &v) )
        return -EINVAL;
    *port = (uint32_t)v;
    return 0;
}

int xs_domain_init_dom0(struct xs_state *s)
{
    struct xs_domain *d;
    uint32_t port = 0;
    void *page;
    int fd, rc;

    if ( (rc = read_xsd_port(s->dom0_port ? s->dom0_port : XSD_PORT_PATH, &port)) )
        return rc;
    if ( s->dom0_kva )
        fd = open(s->dom0_kva, O_RDWR);
    else if ( (fd = open(XSD_KVA_PATH, O_RDWR)) < 0 )
        fd = open(XSD_KVA_PATH_ALT, O_RDWR);
    if ( fd < 0 )
        return -errno;
    page = mmap(NULL, PAGE_SIZE_4K, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if ( page == MAP_FAILED )
        return -errno;
    d = domain_new(s, 0);
    d->intf = page;
    d->kva = true;
    if ( domain_bind(s, d, port) )
    {
        domain_free(s, d);
        return -EIO;
    }
    domain_connect(s, d, true);
    xs_log(s, "dom0: kernel's ring connected (port %u)", port);
    return 0;
}

void xs_domain_service_all(struct xs_state *s)
{
    struct xs_domain *d;

    for ( d = s->domains; d; d = d->next )
        if ( d->conn && d->intf && xs_ring_service(d->conn, d->intf) &&
             s->evtchn && d->local_port >= 0 )
            evtchn_notify(s->evtchn, (uint32_t)d->local_port);
}

/* Shut down: tell @releaseDomain watchers once.  Dying or gone: drop it. */
void xs_domain_check_dying(struct xs_state *s)
{
    struct xs_domain *d, *next;
    struct ctrl_dominfo info;
    int n;

    if ( !s->ctrl )
        return;
    for ( d = s->domains; d; d = next )
    {
        next = d->next;
        if ( d->domid == 0 )
            continue;
        n = ctrl_domain_getinfo(s->ctrl, (ctrl_domid_t)d->domid, 1, &info);
        if ( n < 0 )
            continue;           /* cannot tell: keep it */
        if ( n == 0 || info.domid != d->domid || info.dying )
            domain_gone(s, d, true);
        else if ( (info.shutdown || info.crashed) && !d->shutdown_reported )
        {
            d->shutdown_reported = true;
            xs_log(s, "dom%u: shut down", d->domid);
            xs_watch_fire_special(s, XS_SPECIAL_RELEASE);
        }
    }
}

void xs_domain_handle_events(struct xs_state *s)
{
    bool dom_exc = false;
    int port;

    if ( !s->evtchn )
        return;
    while ( (port = evtchn_pending(s->evtchn)) >= 0 )
    {
        if ( port == s->virq_port )
            dom_exc = true;
        evtchn_unmask(s->evtchn, (uint32_t)port);
    }
    if ( dom_exc )
        xs_domain_check_dying(s);
    xs_domain_service_all(s);
}

void xs_domain_close_all(struct xs_state *s)
{
    while ( s->domains )
        domain_free(s, s->domains);
    if ( s->evtchn )
        evtchn_close(s->evtchn);
    if ( s->ctrl )
        ctrl_close(s->ctrl);
    s->evtchn = NULL;
    s->ctrl = NULL;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A stand-in for the control library: rings are plain memory the test
 * owns, event channels are counters, domain info comes from a table.
 */
#include <errno.h>
#include <string.h>
#include <tonnerre/ctrl.h>
#include "harness.h"

struct fake_ctrl fake;

void fake_reset(void)
{
    memset(&fake, 0, sizeof(fake));
    fake.next_port = 10;
    fake.last_notified = -1;
}

void fake_attach(struct xs_state *s)
{
    s->ctrl = ctrl_open();
    s->evtchn = evtchn_open();
}

struct ctrl_handle *ctrl_open(void)
{
    return (struct ctrl_handle *)&fake;
}

void ctrl_close(struct ctrl_handle *h)
{
}

void *ctrl_map_foreign(struct ctrl_handle *h, ctrl_domid_t domid, int prot,
                       const uint64_t *gfns, int *errs, unsigned int n)
{
    if ( fake.map_fails || n != 1 || gfns[0] >= 8 || !fake.ring[gfns[0]] )
    {
        errno = EFAULT;
        return NULL;
    }
    if ( errs )
        errs[0] = 0;
    return fake.ring[gfns[0]];
}

int ctrl_unmap_foreign(void *addr, unsigned int n)
{
    fake.unmaps++;
    return 0;
}

int ctrl_domain_getinfo(struct ctrl_handle *h, ctrl_domid_t first, unsigned int max,
                        struct ctrl_dominfo *out)
{
    unsigned int i;

    /* The table is kept in domid order. */
    for ( i = 0; i < fake.nr_dom; i++ )
        if ( fake.dom[i].domid >= first && max )
        {
            memset(out, 0, sizeof(*out));
            out->domid = fake.dom[i].domid;
            out->dying = fake.dom[i].dying;
            out->shutdown = fake.dom[i].shutdown;
            return 1;
        }
    return 0;
}

struct evtchn_handle *evtchn_open(void)
{
    return (struct evtchn_handle *)&fake;
}

void evtchn_close(struct evtchn_handle *e)
{
}

int evtchn_fd(struct evtchn_handle *e)
{
    return -1;
}

int evtchn_bind_interdomain(struct evtchn_handle *e, ctrl_domid_t domid, uint32_t remote_port)
{
    return fake.bind_fails ? -EINVAL : fake.next_port++;
}

int evtchn_bind_virq(struct evtchn_handle *e, unsigned int virq)
{
    return fake.next_port++;
}

int evtchn_notify(struct evtchn_handle *e, uint32_t port)
{
    fake.notifies++;
    fake.last_notified = (int)port;
    return 0;
}

int evtchn_pending(struct evtchn_handle *e)
{
    if ( !fake.nr_pending )
        return -EAGAIN;
    return fake.pending[--fake.nr_pending];
}

int evtchn_unmask(struct evtchn_handle *e, uint32_t port)
{
    return 0;
}

int evtchn_unbind(struct evtchn_handle *e, uint32_t port)
{
    fake.unbinds++;
    return 0;
}

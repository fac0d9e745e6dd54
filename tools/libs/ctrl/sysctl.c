/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host-wide queries: XEN_SYSCTL_* wrappers.
 */
#include <errno.h>
#include <string.h>

#include <public/xen.h>

#include "ctrl_priv.h"

/* The hypervisor's console ring is far smaller; refuse silly requests. */
#define CTRL_READCONSOLE_MAX (16u << 20)

int ctrl_do_sysctl(struct ctrl_handle *h, struct xen_sysctl *s)
{
    struct xen_sysctl *buf;
    uint64_t args[5] = { 0 };
    long rc;

    if ( !h )
        return -EINVAL;
    s->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    buf = ctrl_hbuf_alloc(sizeof(*buf));
    if ( !buf )
        return -errno;
    memcpy(buf, s, sizeof(*buf));
    args[0] = (uintptr_t)buf;
    rc = h->ops->hypercall(h->opaque, __HYPERVISOR_sysctl, args);
    memcpy(s, buf, sizeof(*s));
    ctrl_hbuf_free(buf, sizeof(*buf));
    return rc < 0 ? (int)rc : 0;
}

int ctrl_domain_getinfo(struct ctrl_handle *h, ctrl_domid_t first, unsigned int max,
                        struct ctrl_dominfo *out)
{
    struct xen_sysctl s = { .cmd = XEN_SYSCTL_getdomaininfolist };
    struct xen_domctl_getdomaininfo *list;
    size_t len;
    int rc;

    if ( !out || first > CTRL_MAX_DOMID )
        return -EINVAL;
    if ( max == 0 )
        return 0;
    /* There cannot be more domains than ids; keeps the buffer bounded. */
    if ( max > CTRL_MAX_DOMID + 1u )
        max = CTRL_MAX_DOMID + 1u;

    len = (size_t)max * sizeof(*list);
    list = ctrl_hbuf_alloc(len);
    if ( !list )
        return -errno;
    s.u.getdomaininfolist.first_domain = first;
    s.u.getdomaininfolist.max_domains = max;
    set_xen_guest_handle(s.u.getdomaininfolist.buffer, list);

    rc = ctrl_do_sysctl(h, &s);
    if ( rc == 0 )
    {
        unsigned int n = s.u.getdomaininfolist.num_domains;

        /* A count beyond the room we gave would be a hypervisor bug: do not read past. */
        if ( n > max )
            rc = -EIO;
        else
        {
            for ( unsigned int i = 0; i < n; i++ )
                ctrl_dominfo_decode(&list[i], &out[i]);
            rc = (int)n;
        }
    }
    ctrl_hbuf_free(list, len);
    return rc;
}

void ctrl_physinfo_decode(const struct xen_sysctl_physinfo *in, struct ctrl_physinfo *out)
{
    memset(out, 0, sizeof(*out));
    out->nr_cpus = in->nr_cpus;
    out->threads_per_core = in->threads_per_core;
    out->cores_per_socket = in->cores_per_socket;
    out->nr_nodes = in->nr_nodes;
    out->total_pages = in->total_pages;
    out->free_pages = in->free_pages;
    out->cpu_khz = in->cpu_khz;
    memcpy(out->hw_cap, in->hw_cap, sizeof(out->hw_cap));
    out->max_cpu_id = in->max_cpu_id;
}

int ctrl_physinfo(struct ctrl_handle *h, struct ctrl_physinfo *out)
{
    struct xen_sysctl s = { .cmd = XEN_SYSCTL_physinfo };
    int rc;

    if ( !out )
        return -EINVAL;
    rc = ctrl_do_sysctl(h, &s);
    if ( rc == 0 )
        ctrl_physinfo_decode(&s.u.physinfo, out);
    return rc;
}

int ctrl_readconsole(struct ctrl_handle *h, char *buf, size_t *len, bool clear,
                     uint32_t *index)
{
    struct xen_sysctl s = { .cmd = XEN_SYSCTL_readconsole };
    size_t room;
    char *hbuf;
    int rc;

    if ( !buf || !len || *len == 0 || *len > CTRL_READCONSOLE_MAX )
        return -EINVAL;
    room = *len;
    hbuf = ctrl_hbuf_alloc(room);
    if ( !hbuf )
        return -errno;
    s.u.readconsole.clear = clear;
    s.u.readconsole.incremental = index != NULL;
    s.u.readconsole.index = index ? *index : 0;
    s.u.readconsole.count = (uint32_t)room;
    set_xen_guest_handle(s.u.readconsole.buffer, hbuf);

    rc = ctrl_do_sysctl(h, &s);
    if ( rc == 0 )
    {
        if ( s.u.readconsole.count > room )
            rc = -EIO;
        else
        {
            memcpy(buf, hbuf, s.u.readconsole.count);
            *len = s.u.readconsole.count;
            if ( index )
                *index = s.u.readconsole.index;
        }
    }
    ctrl_hbuf_free(hbuf, room);
    return rc;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event channels: allocating one for another domain (EVTCHNOP_alloc_unbound
 * through privcmd), and our own ports through Linux's /dev/xen/evtchn.
 *
 * /dev/xen/evtchn: ioctls bind and unbind ports; read() yields the ports
 * that fired as 32-bit numbers, each of which the driver masks until we
 * write its number back (unmask).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <public/event_channel.h>
#include <public/xen.h>

#include "ctrl_priv.h"
#include "linux_xen.h"

int ctrl_evtchn_alloc_unbound(struct ctrl_handle *h, ctrl_domid_t domid,
                              ctrl_domid_t remote, uint32_t *port)
{
    struct evtchn_alloc_unbound op = { .dom = domid, .remote_dom = remote };
    int rc;

    if ( !h || !port || domid > CTRL_MAX_DOMID || remote > CTRL_MAX_DOMID )
        return -EINVAL;
    rc = ctrl_do_struct_op(h, __HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound,
                           &op, sizeof(op));
    if ( rc < 0 )
        return rc;
    *port = op.port;
    return 0;
}

struct evtchn_handle {
    int fd;
};

struct evtchn_handle *evtchn_open_fd(int fd)
{
    struct evtchn_handle *e = malloc(sizeof(*e));

    if ( e )
        e->fd = fd;
    return e;
}

struct evtchn_handle *evtchn_open(void)
{
    /* Non-blocking: evtchn_pending() reports -EAGAIN and callers poll() the fd. */
    int fd = open(EVTCHN_DEVICE, O_RDWR | O_CLOEXEC | O_NONBLOCK);
    struct evtchn_handle *e;

    if ( fd < 0 )
        return NULL;
    e = evtchn_open_fd(fd);
    if ( !e )
    {
        int saved = errno;

        close(fd);
        errno = saved;
    }
    return e;
}

void evtchn_close(struct evtchn_handle *e)
{
    if ( !e )
        return;
    close(e->fd);
    free(e);
}

int evtchn_fd(struct evtchn_handle *e)
{
    return e ? e->fd : -EINVAL;
}

/* The bind ioctls return the new local port, or -1/errno. */
static int evtchn_ioctl(struct evtchn_handle *e, unsigned long req, void *arg)
{
    int rc;

    if ( !e )
        return -EINVAL;
    rc = ioctl(e->fd, req, arg);
    return rc < 0 ? -errno : rc;
}

int evtchn_bind_interdomain(struct evtchn_handle *e, ctrl_domid_t domid, uint32_t remote_port)
{
    struct tn_evtchn_bind_interdomain b = { .remote_domain = domid, .remote_port = remote_port };

    return evtchn_ioctl(e, TN_IOCTL_EVTCHN_BIND_INTERDOMAIN, &b);
}

int evtchn_bind_virq(struct evtchn_handle *e, unsigned int virq)
{
    struct tn_evtchn_bind_virq b = { .virq = virq };

    if ( virq >= NR_VIRQS )
        return -EINVAL;
    return evtchn_ioctl(e, TN_IOCTL_EVTCHN_BIND_VIRQ, &b);
}

int evtchn_bind_unbound(struct evtchn_handle *e, ctrl_domid_t remote)
{
    struct tn_evtchn_bind_unbound_port b = { .remote_domain = remote };

    return evtchn_ioctl(e, TN_IOCTL_EVTCHN_BIND_UNBOUND_PORT, &b);
}

int evtchn_notify(struct evtchn_handle *e, uint32_t port)
{
    struct tn_evtchn_port p = { .port = port };
    int rc = evtchn_ioctl(e, TN_IOCTL_EVTCHN_NOTIFY, &p);

    return rc < 0 ? rc : 0;
}

int evtchn_unbind(struct evtchn_handle *e, uint32_t port)
{
    struct tn_evtchn_port p = { .port = port };
    int rc = evtchn_ioctl(e, TN_IOCTL_EVTCHN_UNBIND, &p);

    return rc < 0 ? rc : 0;
}

int evtchn_pending(struct evtchn_handle *e)
{
    uint32_t port;
    ssize_t n;

    if ( !e )
        return -EINVAL;
    n = read(e->fd, &port, sizeof(port));
    if ( n < 0 )
        return -errno;
    if ( n != sizeof(port) || port > INT32_MAX )
        return -EIO;
    return (int)port;
}

int evtchn_unmask(struct evtchn_handle *e, uint32_t port)
{
    ssize_t n;

    if ( !e )
        return -EINVAL;
    n = write(e->fd, &port, sizeof(port));
    if ( n < 0 )
        return -errno;
    return n == sizeof(port) ? 0 : -EIO;
}

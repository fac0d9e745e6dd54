// SPDX-License-Identifier: GPL-2.0
/*
 * tonnerre-check: small dom0 probes for the boot tests, through Linux's
 * own Xen devices.
 *   version  xen_version(XENVER_version) through /dev/xen/privcmd
 *   evtchn   an interdomain event channel from dom0 to itself through
 *            /dev/xen/evtchn: notify one end, read the other
 *   reservation  the pages the hypervisor counts as dom0's
 *            (XENMEM_current_reservation through privcmd)
 * Prints one line; exit status 0 when the probe worked.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Linux's privcmd and evtchn ioctls (include/uapi/xen/privcmd.h, evtchn.h). */
struct privcmd_hypercall {
    uint64_t op;
    uint64_t arg[5];
};
#define IOCTL_PRIVCMD_HYPERCALL _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))

struct ioctl_evtchn_bind_interdomain {
    uint32_t remote_domain, remote_port;
};
struct ioctl_evtchn_bind_unbound_port {
    uint32_t remote_domain;
};
struct ioctl_evtchn_notify {
    uint32_t port;
};
#define IOCTL_EVTCHN_BIND_INTERDOMAIN \
    _IOC(_IOC_NONE, 'E', 1, sizeof(struct ioctl_evtchn_bind_interdomain))
#define IOCTL_EVTCHN_BIND_UNBOUND_PORT \
    _IOC(_IOC_NONE, 'E', 2, sizeof(struct ioctl_evtchn_bind_unbound_port))
#define IOCTL_EVTCHN_NOTIFY _IOC(_IOC_NONE, 'E', 4, sizeof(struct ioctl_evtchn_notify))

#define HYPERVISOR_xen_version 17
#define XENVER_version 0
#define DOMID_SELF 0x7ff0

#define HYPERVISOR_memory_op 12
#define XENMEM_current_reservation 3

/* One hypercall through /dev/xen/privcmd; prints why and returns -1 on failure. */
static long privcmd_hypercall(uint64_t op, uint64_t a0, uint64_t a1, const char *what)
{
    struct privcmd_hypercall h = { .op = op, .arg = { a0, a1 } };
    int fd = open("/dev/xen/privcmd", O_RDWR);
    long rc;

    if ( fd < 0 )
    {
        printf("open /dev/xen/privcmd: %s\n", strerror(errno));
        return -1;
    }
    rc = ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h);
    close(fd);
    if ( rc < 0 )
        printf("%s failed: %s\n", what, strerror(errno));
    return rc;
}

static int probe_version(void)
{
    long rc = privcmd_hypercall(HYPERVISOR_xen_version, XENVER_version, 0,
                                "privcmd hypercall");

    if ( rc < 0 )
        return 1;
    printf("%ld.%ld\n", rc >> 16, rc & 0xffff);
    return 0;
}

static int probe_reservation(void)
{
    uint16_t domid = DOMID_SELF;
    long rc = privcmd_hypercall(HYPERVISOR_memory_op, XENMEM_current_reservation,
                                (uint64_t)(uintptr_t)&domid, "current_reservation");

    if ( rc < 0 )
        return 1;
    printf("%ld\n", rc);
    return 0;
}

static int probe_evtchn(void)
{
    int fd = open("/dev/xen/evtchn", O_RDWR);
    struct ioctl_evtchn_bind_unbound_port unbound = { .remote_domain = 0 };
    struct ioctl_evtchn_bind_interdomain inter = { .remote_domain = 0 };
    struct ioctl_evtchn_notify notify;
    struct pollfd pfd;
    int a, b, i, got = 0;

    if ( fd < 0 )
    {
        printf("open /dev/xen/evtchn: %s\n", strerror(errno));
        return 1;
    }
    a = ioctl(fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &unbound);
    if ( a < 0 )
    {
        printf("bind unbound: %s\n", strerror(errno));
        return 1;
    }
    inter.remote_port = a;
    b = ioctl(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &inter);
    if ( b < 0 )
    {
        printf("bind interdomain: %s\n", strerror(errno));
        return 1;
    }
    for ( i = 0; i < 10; i++ )
    {
        uint32_t port;

        notify.port = b;
        if ( ioctl(fd, IOCTL_EVTCHN_NOTIFY, &notify) < 0 )
            break;
        pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
        if ( poll(&pfd, 1, 2000) != 1 || read(fd, &port, sizeof(port)) != sizeof(port) )
            break;
        if ( port == (uint32_t)a )
            got++;
        /* Writing the port back unmasks it for the next round. */
        if ( write(fd, &port, sizeof(port)) != sizeof(port) )
            break;
    }
    close(fd);
    printf("ports %d<->%d, %d of 10 notifications delivered\n", a, b, got);
    return got == 10 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if ( argc == 2 && !strcmp(argv[1], "version") )
        return probe_version();
    if ( argc == 2 && !strcmp(argv[1], "evtchn") )
        return probe_evtchn();
    if ( argc == 2 && !strcmp(argv[1], "reservation") )
        return probe_reservation();
    fprintf(stderr, "usage: %s version|evtchn|reservation\n", argv[0]);
    return 2;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * tonnerre-check: small dom0 probes for the boot tests, through Linux's
 * own Xen devices.
 *   version  xen_version(XENVER_version) through /dev/xen/privcmd
 *   evtchn   an interdomain event channel from dom0 to itself through
 *            /dev/xen/evtchn: notify one end, read the other
 *   reservation  the pages the hypervisor counts as dom0's
 *            (XENMEM_current_reservation through privcmd)
 *   gntdev   grant tables end to end: dom0 grants a page to itself
 *            (/dev/xen/gntalloc), maps the grant (/dev/xen/gntdev, i.e.
 *            GNTTABOP_map_grant_ref into its p2m), checks the bytes both
 *            ways, copies from and to the grant (GNTTABOP_copy), unmaps
 * Prints one line; exit status 0 when the probe worked.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
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

/* Linux's gntalloc and gntdev ioctls (include/uapi/xen/gntalloc.h, gntdev.h). */
struct ioctl_gntalloc_alloc_gref {
    uint16_t domid, flags;
    uint32_t count;
    uint64_t index;             /* out: mmap offset */
    uint32_t gref_ids[1];       /* out: one per page */
};
struct ioctl_gntalloc_dealloc_gref {
    uint64_t index;
    uint32_t count;
};
#define GNTALLOC_FLAG_WRITABLE 1
#define IOCTL_GNTALLOC_ALLOC_GREF \
    _IOC(_IOC_NONE, 'G', 5, sizeof(struct ioctl_gntalloc_alloc_gref))
#define IOCTL_GNTALLOC_DEALLOC_GREF \
    _IOC(_IOC_NONE, 'G', 6, sizeof(struct ioctl_gntalloc_dealloc_gref))

struct ioctl_gntdev_map_grant_ref {
    uint32_t count, pad;
    uint64_t index;             /* out: mmap offset */
    struct { uint32_t domid, ref; } refs[1];
};
struct ioctl_gntdev_unmap_grant_ref {
    uint64_t index;
    uint32_t count, pad;
};
struct gntdev_grant_copy_segment {
    union {
        void *virt;
        struct { uint32_t ref; uint16_t offset, domid; } foreign;
    } source, dest;
    uint16_t len, flags;
    int16_t status;
};
struct ioctl_gntdev_grant_copy {
    unsigned int count;
    struct gntdev_grant_copy_segment *segments;
};
#define IOCTL_GNTDEV_MAP_GRANT_REF \
    _IOC(_IOC_NONE, 'G', 0, sizeof(struct ioctl_gntdev_map_grant_ref))
#define IOCTL_GNTDEV_UNMAP_GRANT_REF \
    _IOC(_IOC_NONE, 'G', 1, sizeof(struct ioctl_gntdev_unmap_grant_ref))
#define IOCTL_GNTDEV_GRANT_COPY \
    _IOC(_IOC_NONE, 'G', 8, sizeof(struct ioctl_gntdev_grant_copy))
#define GNTCOPY_source_gref 1
#define GNTCOPY_dest_gref   2
#define GNT_PAGE 4096

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

/* Fill a page with a pattern that differs per page and per seed. */
static void fill(uint8_t *p, unsigned int seed)
{
    unsigned int i;

    for ( i = 0; i < GNT_PAGE; i++ )
        p[i] = (uint8_t)(i * 7 + seed);
}

static bool holds(const uint8_t *p, unsigned int seed)
{
    unsigned int i;

    for ( i = 0; i < GNT_PAGE; i++ )
        if ( p[i] != (uint8_t)(i * 7 + seed) )
            return false;
    return true;
}

/* One GNTTABOP_copy through gntdev: the whole page, to or from the grant. */
static int grant_copy(int dev, uint32_t ref, void *buf, bool from_grant)
{
    struct gntdev_grant_copy_segment seg = { .len = GNT_PAGE };
    struct ioctl_gntdev_grant_copy c = { .count = 1, .segments = &seg };

    if ( from_grant )
    {
        seg.source.foreign.ref = ref;       /* domid 0: ourselves */
        seg.flags = GNTCOPY_source_gref;
        seg.dest.virt = buf;
    }
    else
    {
        seg.source.virt = buf;
        seg.dest.foreign.ref = ref;
        seg.flags = GNTCOPY_dest_gref;
    }
    if ( ioctl(dev, IOCTL_GNTDEV_GRANT_COPY, &c) < 0 )
    {
        printf("grant copy: %s\n", strerror(errno));
        return -1;
    }
    if ( seg.status )
    {
        printf("grant copy: status %d\n", seg.status);
        return -1;
    }
    return 0;
}

/* Map the shared page through gntdev and compare both views. */
static int gntdev_map_and_compare(int dev, uint32_t ref, uint8_t *shared)
{
    struct ioctl_gntdev_map_grant_ref m = { .count = 1, .refs = { { 0, ref } } };
    struct ioctl_gntdev_unmap_grant_ref u = { .count = 1 };
    uint8_t *mapped;
    int ok;

    if ( ioctl(dev, IOCTL_GNTDEV_MAP_GRANT_REF, &m) < 0 )
    {
        printf("gntdev map ioctl: %s\n", strerror(errno));
        return -1;
    }
    /* The hypercall happens here, for a translated dom0. */
    mapped = mmap(NULL, GNT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, dev, m.index);
    if ( mapped == MAP_FAILED )
    {
        printf("gntdev mmap (GNTTABOP_map_grant_ref): %s\n", strerror(errno));
        return -1;
    }
    fill(shared, 1);
    ok = holds(mapped, 1);
    fill(mapped, 2);
    ok = ok && holds(shared, 2);
    munmap(mapped, GNT_PAGE);
    u.index = m.index;
    if ( ioctl(dev, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u) < 0 )
    {
        printf("gntdev unmap: %s\n", strerror(errno));
        return -1;
    }
    if ( !ok )
        printf("map: the two views of the page differ\n");
    return ok ? 0 : -1;
}

/* GNTTABOP_copy from the grant into a buffer, then from a buffer into it. */
static int copy_both_ways(int dev, uint32_t ref, uint8_t *shared)
{
    static uint8_t buf[GNT_PAGE] __attribute__((aligned(GNT_PAGE)));

    fill(shared, 3);
    if ( grant_copy(dev, ref, buf, true) )
        return -1;
    if ( !holds(buf, 3) )
    {
        printf("copy from the grant: wrong bytes\n");
        return -1;
    }
    fill(buf, 4);
    if ( grant_copy(dev, ref, buf, false) )
        return -1;
    if ( !holds(shared, 4) )
    {
        printf("copy to the grant: wrong bytes\n");
        return -1;
    }
    return 0;
}

static int probe_gntdev(void)
{
    struct ioctl_gntalloc_alloc_gref a = {
        .domid = 0, .flags = GNTALLOC_FLAG_WRITABLE, .count = 1 };
    struct ioctl_gntalloc_dealloc_gref d = { .count = 1 };
    int alloc = open("/dev/xen/gntalloc", O_RDWR);
    int dev = open("/dev/xen/gntdev", O_RDWR);
    uint8_t *shared;
    int rc = 1;

    if ( alloc < 0 || dev < 0 )
    {
        printf("open /dev/xen/%s: %s\n", alloc < 0 ? "gntalloc" : "gntdev",
               strerror(errno));
        return 1;
    }
    if ( ioctl(alloc, IOCTL_GNTALLOC_ALLOC_GREF, &a) < 0 )
    {
        printf("gntalloc: %s\n", strerror(errno));
        return 1;
    }
    shared = mmap(NULL, GNT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, alloc, a.index);
    if ( shared == MAP_FAILED )
    {
        printf("gntalloc mmap: %s\n", strerror(errno));
        return 1;
    }
    if ( gntdev_map_and_compare(dev, a.gref_ids[0], shared) == 0 &&
         copy_both_ways(dev, a.gref_ids[0], shared) == 0 )
    {
        printf("map ok, copy ok (gref %u)\n", a.gref_ids[0]);
        rc = 0;
    }
    munmap(shared, GNT_PAGE);
    d.index = a.index;
    ioctl(alloc, IOCTL_GNTALLOC_DEALLOC_GREF, &d);
    close(dev);
    close(alloc);
    return rc;
}

int main(int argc, char **argv)
{
    if ( argc == 2 && !strcmp(argv[1], "version") )
        return probe_version();
    if ( argc == 2 && !strcmp(argv[1], "evtchn") )
        return probe_evtchn();
    if ( argc == 2 && !strcmp(argv[1], "reservation") )
        return probe_reservation();
    if ( argc == 2 && !strcmp(argv[1], "gntdev") )
        return probe_gntdev();
    fprintf(stderr, "usage: %s version|evtchn|reservation|gntdev\n", argv[0]);
    return 2;
}

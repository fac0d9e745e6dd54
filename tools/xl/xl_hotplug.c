/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What Xen's hotplug scripts do in dom0, done here without udev or a
 * shell: "block" binds an image file to a loop device (and frees it
 * again), "vif-bridge" puts the backend's network interface into its
 * bridge and brings it up.  Linux interfaces only: the loop driver's
 * ioctls and the socket ioctls of net/bridge.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_bridge.h>
#include <linux/loop.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "xl.h"
#include "xl_device.h"

#define LOOP_TRIES 8               /* another program may take a free loop first */

/* ---- block: loop devices ------------------------------------------------ */

static int loop_bind(int loop_fd, int file_fd, const char *file, bool readonly)
{
    struct loop_config lc;

    memset(&lc, 0, sizeof(lc));
    lc.fd = (uint32_t)file_fd;
    lc.info.lo_flags = readonly ? LO_FLAGS_READ_ONLY : 0;
    snprintf((char *)lc.info.lo_file_name, sizeof(lc.info.lo_file_name), "%s", file);
    return ioctl(loop_fd, LOOP_CONFIGURE, &lc) ? -errno : 0;
}

int xl_loop_attach(const char *file, bool readonly, struct xl_loop *out)
{
    int ctl, file_fd, tries, rc = -EBUSY;
    struct stat st;

    file_fd = open(file, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    if ( file_fd < 0 )
        return -errno;
    ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
    if ( ctl < 0 )
    {
        rc = -errno;
        close(file_fd);
        return rc;
    }
    for ( tries = 0; tries < LOOP_TRIES && rc == -EBUSY; tries++ )
    {
        int n = ioctl(ctl, LOOP_CTL_GET_FREE), loop_fd;

        if ( n < 0 )
        {
            rc = -errno;
            break;
        }
        snprintf(out->path, sizeof(out->path), "/dev/loop%d", n);
        loop_fd = open(out->path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
        if ( loop_fd < 0 )
        {
            rc = -errno;
            break;
        }
        rc = loop_bind(loop_fd, file_fd, file, readonly);
        if ( !rc && fstat(loop_fd, &st) == 0 )
            out->rdev = st.st_rdev;
        close(loop_fd);
    }
    close(ctl);
    close(file_fd);
    return rc;
}

/* The loop device still has a backing file (sysfs says so while bound). */
static bool loop_bound(const char *path)
{
    const char *name = strrchr(path, '/');
    char sys[96];

    snprintf(sys, sizeof(sys), "/sys/block/%s/loop/backing_file", name ? name + 1 : path);
    return access(sys, F_OK) == 0;
}

/*
 * Let go of a loop device.  With blkback still holding it open the kernel
 * only marks it autoclear, and frees it at blkback's last close: wait a
 * while for that, so that a domain rebuilt at once finds the image free.
 */
int xl_loop_detach(const char *path, int timeout_ms)
{
    int fd, waited;

    if ( strncmp(path, "/dev/loop", 9) )
        return -EINVAL;            /* a value from xenstore: only ours */
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if ( fd < 0 )
        return -errno;
    if ( ioctl(fd, LOOP_CLR_FD) && errno != ENXIO )
    {
        int rc = -errno;

        close(fd);
        return rc;
    }
    close(fd);
    for ( waited = 0; loop_bound(path) && waited < timeout_ms; waited += 20 )
        usleep(20000);
    return loop_bound(path) ? -EBUSY : 0;
}

/* ---- vif-bridge: interfaces and bridges -------------------------------- */

bool xl_netdev_exists(const char *name)
{
    char sys[IFNAMSIZ + 32];

    if ( strlen(name) >= IFNAMSIZ || strchr(name, '/') )
        return false;
    snprintf(sys, sizeof(sys), "/sys/class/net/%s", name);
    return access(sys, F_OK) == 0;
}

bool xl_bridge_exists(const char *name)
{
    char sys[IFNAMSIZ + 40];

    if ( strlen(name) >= IFNAMSIZ || strchr(name, '/') )
        return false;
    snprintf(sys, sizeof(sys), "/sys/class/net/%s/bridge", name);
    return access(sys, F_OK) == 0;
}

static int ifreq_for(struct ifreq *ifr, const char *name)
{
    if ( strlen(name) >= IFNAMSIZ )
        return -ENAMETOOLONG;
    memset(ifr, 0, sizeof(*ifr));
    memcpy(ifr->ifr_name, name, strlen(name));
    return 0;
}

static int netdev_ioctl(unsigned long req, struct ifreq *ifr)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc;

    if ( s < 0 )
        return -errno;
    rc = ioctl(s, req, ifr) ? -errno : 0;
    close(s);
    return rc;
}

static int netdev_rename(const char *from, const char *to)
{
    struct ifreq ifr;
    int rc = ifreq_for(&ifr, from);

    if ( rc )
        return rc;
    if ( strlen(to) >= IFNAMSIZ )
        return -ENAMETOOLONG;
    memcpy(ifr.ifr_newname, to, strlen(to));
    return netdev_ioctl(SIOCSIFNAME, &ifr);
}

static int netdev_set_mtu(const char *name, unsigned int mtu)
{
    struct ifreq ifr;
    int rc = ifreq_for(&ifr, name);

    if ( rc )
        return rc;
    ifr.ifr_mtu = (int)mtu;
    return netdev_ioctl(SIOCSIFMTU, &ifr);
}

static int netdev_up(const char *name)
{
    struct ifreq ifr;
    int rc = ifreq_for(&ifr, name);

    if ( rc || (rc = netdev_ioctl(SIOCGIFFLAGS, &ifr)) )
        return rc;
    ifr.ifr_flags |= IFF_UP;
    return netdev_ioctl(SIOCSIFFLAGS, &ifr);
}

static int bridge_add_port(const char *bridge, const char *port)
{
    struct ifreq ifr;
    int index = (int)if_nametoindex(port), rc;

    if ( !index )
        return -errno;
    if ( (rc = ifreq_for(&ifr, bridge)) )
        return rc;
    ifr.ifr_ifindex = index;
    return netdev_ioctl(SIOCBRADDIF, &ifr);
}

/*
 * vif-bridge "online": the interface netback made gets its name, MTU and
 * bridge, and is brought up.  *name is the interface's final name.
 */
int xl_vif_online(const char *netback_name, const char *vifname,
                  const char *bridge, unsigned int mtu, char *err, size_t errlen)
{
    const char *name = netback_name;
    int rc;

    if ( vifname && strcmp(vifname, netback_name) )
    {
        if ( (rc = netdev_rename(netback_name, vifname)) )
        {
            snprintf(err, errlen, "renaming %s to %s: %s", netback_name, vifname,
                     strerror(-rc));
            return rc;
        }
        name = vifname;
    }
    if ( mtu && (rc = netdev_set_mtu(name, mtu)) )
    {
        snprintf(err, errlen, "setting the MTU of %s to %u: %s", name, mtu, strerror(-rc));
        return rc;
    }
    if ( (rc = bridge_add_port(bridge, name)) )
    {
        snprintf(err, errlen, "adding %s to bridge %s: %s", name, bridge, strerror(-rc));
        return rc;
    }
    if ( (rc = netdev_up(name)) )
    {
        snprintf(err, errlen, "bringing %s up: %s", name, strerror(-rc));
        return rc;
    }
    return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PV disks and network interfaces: the xenstore trees that connect a
 * domain's blkfront/netfront to dom0's blkback/netback, written as Xen
 * 4.17's libxl writes them (shared/reference/xen-4.17 has the tree of a
 * running guest), and their removal.
 *
 * For each device three trees:
 *   /local/domain/0/backend/<kind>/<domid>/<devid>   the backend's, dom0's,
 *                                                    readable by the guest
 *   /local/domain/<domid>/device/<kind>/<devid>      the frontend's, the
 *                                                    guest's, readable by dom0
 *   /libxl/<domid>/device/<kind>/<devid>             the toolstack's record,
 *                                                    what detach and destroy
 *                                                    read back
 * The backend setup of Xen's hotplug scripts (xl_hotplug.c) runs here, in
 * the xl process: a disk's loop device before its tree is written (blkback
 * finds physical-device at once), a vif's bridge once netback has made its
 * interface (the backend reached InitWait); netback connects only after
 * hotplug-status says "connected".
 *
 * Everything a failed attach did is undone before it returns; a domain's
 * devices are removed when it is destroyed, from the /libxl record alone,
 * so that any xl process (the monitor after a crash, `xl destroy`) can.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "xl_device.h"

#define STATE_INITIALISING "1"
#define XENBUS_STATE_INITWAIT 2
#define XENBUS_STATE_CLOSING  5
#define XENBUS_STATE_CLOSED   6
#define BACKEND_WAIT_MS   10000     /* libxl's LIBXL_DESTROY_TIMEOUT */
/* A backend taking a new device: libxl allows hotplug 40 s; a loaded
 * (or emulated) dom0 needed more than 10. */
#define BACKEND_SETUP_WAIT_MS 40000
#define DEFAULT_BRIDGE    "xenbr0"
#define DEFAULT_MTU       1500u
#define MAX_DEVICES       64        /* per kind and domain, as our lists go */

static const char *const kind_name[] = { [XL_DEV_VBD] = "vbd", [XL_DEV_VIF] = "vif" };

/* ---- xenstore helpers ----------------------------------------------------- */

static char *vfmt(const char *fmt, va_list ap)
{
    char *s = NULL;

    return vasprintf(&s, fmt, ap) < 0 ? NULL : s;
}

/* The value at a printf-made path (malloc'd), or NULL. */
static char *store_get(struct xl_ctx *ctx, const char *fmt, ...)
{
    char *path, *val = NULL;
    unsigned int len;
    va_list ap;

    va_start(ap, fmt);
    path = vfmt(fmt, ap);
    va_end(ap);
    if ( !path )
        return NULL;
    if ( xs_read(ctx->xs, XBT_NULL, path, &val, &len) )
        val = NULL;
    free(path);
    return val;
}

static int store_get_int(struct xl_ctx *ctx, int dflt, const char *path)
{
    char *v = store_get(ctx, "%s", path), *end;
    long n;
    bool whole;

    if ( !v )
        return dflt;
    n = strtol(v, &end, 10);
    whole = end != v && !*end;
    free(v);
    return whole ? (int)n : dflt;
}

static void store_rm(struct xl_ctx *ctx, const char *fmt, ...)
{
    char *path;
    va_list ap;

    va_start(ap, fmt);
    path = vfmt(fmt, ap);
    va_end(ap);
    if ( path )
        xs_rm(ctx->xs, XBT_NULL, path);
    free(path);
}

/* One tree being written in a transaction: a base path and its owner. */
struct tree {
    struct xl_ctx *ctx;
    xs_transaction_t t;
    const char *base;
    struct xs_permissions perms[2];
    int rc;
};

static void tree_put(struct tree *tr, const char *key, const char *value)
{
    char path[256];

    if ( tr->rc )
        return;
    if ( key )
        snprintf(path, sizeof(path), "%s/%s", tr->base, key);
    else
        snprintf(path, sizeof(path), "%s", tr->base);
    tr->rc = xs_write(tr->ctx->xs, tr->t, path, value, strlen(value));
    if ( !tr->rc )
        tr->rc = xs_set_permissions(tr->ctx->xs, tr->t, path, tr->perms, 2);
}

static void tree_putf(struct tree *tr, const char *key, const char *fmt, ...)
{
    char *v;
    va_list ap;

    va_start(ap, fmt);
    v = vfmt(fmt, ap);
    va_end(ap);
    if ( !v )
        tr->rc = tr->rc ? tr->rc : -ENOMEM;
    else
        tree_put(tr, key, v);
    free(v);
}

/* A node's permissions: owned by `owner`, readable by `reader`. */
static void tree_init(struct tree *tr, struct xl_ctx *ctx, xs_transaction_t t,
                      const char *base, unsigned int owner, unsigned int reader)
{
    tr->ctx = ctx;
    tr->t = t;
    tr->base = base;
    tr->perms[0] = (struct xs_permissions){ .id = owner, .perms = XS_PERM_NONE };
    tr->perms[1] = (struct xs_permissions){ .id = reader, .perms = XS_PERM_READ };
    tr->rc = 0;
}

/* The three paths of one device. */
struct dev_paths {
    char backend[96], frontend[96], libxl[96], kind_dir[96];
};

static void dev_paths(struct dev_paths *p, enum xl_dev_kind kind,
                      ctrl_domid_t domid, unsigned int devid)
{
    snprintf(p->backend, sizeof(p->backend), "/local/domain/0/backend/%s/%u/%u",
             kind_name[kind], domid, devid);
    snprintf(p->frontend, sizeof(p->frontend), "/local/domain/%u/device/%s/%u",
             domid, kind_name[kind], devid);
    snprintf(p->kind_dir, sizeof(p->kind_dir), "/local/domain/%u/device/%s",
             domid, kind_name[kind]);
    snprintf(p->libxl, sizeof(p->libxl), "/libxl/%u/device/%s/%u",
             domid, kind_name[kind], devid);
}

/* Write trees with fill(), in a transaction retried on conflict. */
static int write_trees(struct xl_ctx *ctx,
                       int (*fill)(struct xl_ctx *, xs_transaction_t, const void *),
                       const void *arg)
{
    int tries, rc = -EAGAIN;

    for ( tries = 0; tries < 10 && rc == -EAGAIN; tries++ )
    {
        xs_transaction_t t;

        if ( (rc = xs_transaction_start(ctx->xs, &t)) )
            return rc;
        if ( (rc = fill(ctx, t, arg)) )
        {
            xs_transaction_end(ctx->xs, t, true);
            return rc;
        }
        rc = xs_transaction_end(ctx->xs, t, false);
    }
    return rc;
}

/* Wait for a backend's state to reach `want` (or beyond); its last state. */
static int wait_backend_state(struct xl_ctx *ctx, const char *backend, int want,
                              int timeout_ms)
{
    char path[128];
    int waited, state = 0;

    snprintf(path, sizeof(path), "%s/state", backend);
    for ( waited = 0; waited <= timeout_ms; waited += 20 )
    {
        state = store_get_int(ctx, 0, path);
        if ( state >= want )
            break;
        usleep(20000);
    }
    return state;
}

static bool domain_alive(struct xl_ctx *ctx, ctrl_domid_t domid)
{
    struct ctrl_dominfo info;

    return xl_dominfo(ctx, domid, &info) == 0 && !info.dying && !info.shutdown &&
           !info.crashed;
}

int xl_device_ids(struct xl_ctx *ctx, ctrl_domid_t domid, enum xl_dev_kind kind,
                  unsigned int **ids, unsigned int *nr)
{
    char path[64], **names;
    unsigned int n, i, k = 0;

    *ids = NULL;
    *nr = 0;
    snprintf(path, sizeof(path), "/libxl/%u/device/%s", domid, kind_name[kind]);
    if ( xs_directory(ctx->xs, XBT_NULL, path, &names, &n) )
        return 0;
    *ids = calloc(n ? n : 1, sizeof(**ids));
    if ( !*ids )
    {
        free(names);
        return -ENOMEM;
    }
    for ( i = 0; i < n; i++ )
    {
        char *end;
        unsigned long v = strtoul(names[i], &end, 10);

        if ( !*end && v <= UINT32_MAX )
            (*ids)[k++] = (unsigned int)v;
    }
    free(names);
    *nr = k;
    return 0;
}

/* ---- disks ---------------------------------------------------------------- */

/* A disk ready to be written: its spec and the dom0 device behind it. */
struct disk_plan {
    ctrl_domid_t domid;
    const struct xl_disk_spec *d;
    struct dev_paths p;
    char node[64];                 /* /dev/loopN or the phy: device */
    dev_t rdev;
    bool is_loop;
};

static bool spec_is_block_device(const struct xl_disk_spec *d, const struct stat *st)
{
    return d->prefix == XL_DISK_PREFIX_PHY || S_ISBLK(st->st_mode);
}

/*
 * Another domain (or this one) already has the image: refused when either
 * side writes, as Xen's block script refuses writable sharing.
 */
static int check_sharing(struct xl_ctx *ctx, const struct xl_disk_spec *d,
                         const struct stat *st, char *err, size_t errlen)
{
    char **doms;
    unsigned int nd, i;

    if ( xs_directory(ctx->xs, XBT_NULL, "/libxl", &doms, &nd) )
        return 0;
    for ( i = 0; i < nd; i++ )
    {
        char path[96], **devs;
        unsigned int nv, j;

        snprintf(path, sizeof(path), "/libxl/%s/device/vbd", doms[i]);
        if ( xs_directory(ctx->xs, XBT_NULL, path, &devs, &nv) )
            continue;
        for ( j = 0; j < nv; j++ )
        {
            char *params = store_get(ctx, "%s/%s/params", path, devs[j]);
            char *mode = store_get(ctx, "%s/%s/mode", path, devs[j]);
            struct stat other;
            bool same = params && stat(params, &other) == 0 &&
                        other.st_dev == st->st_dev && other.st_ino == st->st_ino;
            bool writer = !mode || strchr(mode, 'w') || !d->readonly;

            free(params);
            free(mode);
            if ( same && writer )
            {
                snprintf(err, errlen, "'%s' is already attached to domain %s%s",
                         d->target, doms[i], d->readonly ? " writable" : "");
                free(devs);
                free(doms);
                return -EBUSY;
            }
        }
        free(devs);
    }
    free(doms);
    return 0;
}

/* What can be known about a disk before anything is built. */
static int check_disk(struct xl_ctx *ctx, const struct xl_disk_spec *d,
                      char *err, size_t errlen)
{
    struct stat st;

    if ( d->backendtype == XL_DISK_BACKEND_QDISK || d->backendtype == XL_DISK_BACKEND_TAP ||
         d->prefix == XL_DISK_PREFIX_TAP )
    {
        snprintf(err, errlen, "backend type %s is not offered (only phy, with "
                 "loop devices for image files)",
                 d->backendtype == XL_DISK_BACKEND_QDISK ? "qdisk" : "tap");
        return -EINVAL;
    }
    if ( d->format != XL_DISK_FORMAT_RAW )
    {
        snprintf(err, errlen, "only raw images can be served by blkback (qcow, "
                 "qcow2, vhd and qed need qdisk)");
        return -EINVAL;
    }
    if ( d->backend && strcmp(d->backend, "0") && strcmp(d->backend, "Domain-0") )
    {
        snprintf(err, errlen, "backend '%s': only dom0 serves disks", d->backend);
        return -EINVAL;
    }
    if ( !d->target || !d->target[0] )
    {
        snprintf(err, errlen, "an empty cdrom needs qdisk, which is not offered");
        return -EINVAL;
    }
    if ( stat(d->target, &st) )
    {
        snprintf(err, errlen, "'%s': %s", d->target, strerror(errno));
        return -errno;
    }
    if ( d->prefix == XL_DISK_PREFIX_PHY && !S_ISBLK(st.st_mode) )
    {
        snprintf(err, errlen, "'%s' is not a block device (phy:)", d->target);
        return -EINVAL;
    }
    if ( !spec_is_block_device(d, &st) && !S_ISREG(st.st_mode) )
    {
        snprintf(err, errlen, "'%s' is neither a file nor a block device", d->target);
        return -EINVAL;
    }
    /* root may write anything: the image's mode says what its owner meant. */
    if ( !d->readonly && (!(st.st_mode & 0222) || access(d->target, W_OK)) )
    {
        snprintf(err, errlen, "'%s' is read-only: attach it with access=ro", d->target);
        return -EACCES;
    }
    if ( access(d->target, R_OK) )
    {
        snprintf(err, errlen, "'%s': %s", d->target, strerror(errno));
        return -errno;
    }
    return check_sharing(ctx, d, &st, err, errlen);
}

static void fill_disk_backend(struct tree *tr, const struct disk_plan *pl)
{
    const struct xl_disk_spec *d = pl->d;

    tree_put(tr, NULL, "");
    tree_put(tr, "frontend", pl->p.frontend);
    tree_put(tr, "params", d->target);
    tree_put(tr, "script", d->script ? d->script : "/etc/xen/scripts/block");
    tree_putf(tr, "frontend-id", "%u", pl->domid);
    tree_put(tr, "online", "1");
    tree_put(tr, "removable", d->cdrom ? "1" : "0");
    tree_put(tr, "bootable", "1");
    tree_put(tr, "state", STATE_INITIALISING);
    tree_put(tr, "dev", d->vdev);
    tree_put(tr, "type", "phy");
    tree_put(tr, "mode", d->readonly ? "r" : "w");
    tree_put(tr, "device-type", d->cdrom ? "cdrom" : "disk");
    tree_put(tr, "discard-enable", d->discard == 0 || d->readonly ? "0" : "1");
    tree_put(tr, "specification", "xen");
}

/* The part the block hotplug script adds: which dom0 device backs it. */
static void fill_disk_hotplug(struct tree *tr, const struct disk_plan *pl)
{
    tree_put(tr, "node", pl->node);
    tree_put(tr, "physical-device-path", pl->node);
    /* blkback parses "major:minor" in hexadecimal. */
    tree_putf(tr, "physical-device", "%x:%x", major(pl->rdev), minor(pl->rdev));
    tree_put(tr, "hotplug-status", "connected");
}

static void fill_disk_frontend(struct tree *tr, const struct disk_plan *pl)
{
    tree_put(tr, NULL, "");
    tree_put(tr, "backend", pl->p.backend);
    tree_put(tr, "backend-id", "0");
    tree_put(tr, "state", STATE_INITIALISING);
    tree_putf(tr, "virtual-device", "%u", pl->d->devid);
    tree_put(tr, "device-type", pl->d->cdrom ? "cdrom" : "disk");
    tree_put(tr, "trusted", pl->d->trusted == 0 ? "0" : "1");
}

static int fill_disk(struct xl_ctx *ctx, xs_transaction_t t, const void *arg)
{
    const struct disk_plan *pl = arg;
    struct tree be, fe_dir, fe, rec;

    tree_init(&be, ctx, t, pl->p.backend, 0, pl->domid);
    fill_disk_backend(&be, pl);
    fill_disk_hotplug(&be, pl);
    tree_init(&fe_dir, ctx, t, pl->p.kind_dir, 0, pl->domid);
    tree_put(&fe_dir, NULL, "");
    tree_init(&fe, ctx, t, pl->p.frontend, pl->domid, 0);
    fill_disk_frontend(&fe, pl);
    /* The toolstack's record: what the backend was given, state 1. */
    tree_init(&rec, ctx, t, pl->p.libxl, 0, 0);
    tree_put(&rec, "frontend", pl->p.frontend);
    tree_put(&rec, "backend", pl->p.backend);
    fill_disk_backend(&rec, pl);
    return be.rc ? be.rc : fe_dir.rc ? fe_dir.rc : fe.rc ? fe.rc : rec.rc;
}

static bool vdev_taken(struct xl_ctx *ctx, ctrl_domid_t domid, uint32_t devid)
{
    char *v = store_get(ctx, "/libxl/%u/device/vbd/%u/dev", domid, devid);
    bool taken = v != NULL;

    free(v);
    return taken;
}

static int disk_add_parsed(struct xl_ctx *ctx, ctrl_domid_t domid,
                           const struct xl_disk_spec *d, const char *where, bool wait)
{
    struct disk_plan pl = { .domid = domid, .d = d };
    char err[256] = "";
    struct stat st;
    int rc;

    if ( vdev_taken(ctx, domid, d->devid) )
    {
        xl_err("%s: vdev %s: domain %u already has a disk there", where, d->vdev, domid);
        return -EEXIST;
    }
    if ( (rc = check_disk(ctx, d, err, sizeof(err))) )
    {
        xl_err("%s: %s", where, err);
        return rc;
    }
    dev_paths(&pl.p, XL_DEV_VBD, domid, d->devid);
    stat(d->target, &st);
    if ( spec_is_block_device(d, &st) )
    {
        snprintf(pl.node, sizeof(pl.node), "%s", d->target);
        pl.rdev = st.st_rdev;
    }
    else
    {
        struct xl_loop loop;

        if ( (rc = xl_loop_attach(d->target, d->readonly, &loop)) )
        {
            xl_err("%s: setting up a loop device for '%s': %s", where, d->target,
                   strerror(-rc));
            return rc;
        }
        snprintf(pl.node, sizeof(pl.node), "%s", loop.path);
        pl.rdev = loop.rdev;
        pl.is_loop = true;
    }
    xl_log("disk %s of domain %u: %s on %s", d->vdev, domid, d->target, pl.node);
    if ( (rc = write_trees(ctx, fill_disk, &pl)) )
    {
        xl_err("%s: writing the xenstore entries of disk %s: %s", where, d->vdev,
               strerror(-rc));
        store_rm(ctx, "%s", pl.p.backend);
        store_rm(ctx, "%s", pl.p.frontend);
        store_rm(ctx, "%s", pl.p.libxl);
        if ( pl.is_loop )
            xl_loop_detach(pl.node, BACKEND_WAIT_MS);
        return rc;
    }
    if ( wait && wait_backend_state(ctx, pl.p.backend, XENBUS_STATE_INITWAIT,
                                    BACKEND_SETUP_WAIT_MS) < XENBUS_STATE_INITWAIT )
    {
        xl_err("%s: blkback did not take disk %s (is xen-blkback loaded?)", where, d->vdev);
        xl_device_remove(ctx, domid, XL_DEV_VBD, d->devid, true);
        return -ETIMEDOUT;
    }
    return 0;
}

int xl_disk_add(struct xl_ctx *ctx, ctrl_domid_t domid, const char *spec,
                const char *where, bool wait)
{
    struct xl_disk_spec d;
    char err[256] = "";
    int rc;

    if ( xl_disk_parse(spec, &d, err, sizeof(err)) )
    {
        xl_err("%s: %s", where, err);
        return -EINVAL;
    }
    rc = disk_add_parsed(ctx, domid, &d, where, wait);
    xl_disk_spec_free(&d);
    return rc;
}

/* ---- network interfaces --------------------------------------------------- */

struct vif_plan {
    ctrl_domid_t domid;
    const struct xl_vif_spec *v;
    unsigned int devid;
    char mac[18];
    const char *bridge;
    struct dev_paths p;
};

static void fill_vif_backend(struct tree *tr, const struct vif_plan *pl)
{
    tree_put(tr, NULL, "");
    tree_put(tr, "frontend", pl->p.frontend);
    tree_putf(tr, "frontend-id", "%u", pl->domid);
    tree_put(tr, "online", "1");
    tree_put(tr, "state", STATE_INITIALISING);
    tree_put(tr, "script", pl->v->script ? pl->v->script : "/etc/xen/scripts/vif-bridge");
    tree_put(tr, "mac", pl->mac);
    tree_put(tr, "bridge", pl->bridge);
    tree_putf(tr, "handle", "%u", pl->devid);
    tree_put(tr, "type", "vif");
    if ( pl->v->vifname )
        tree_put(tr, "vifname", pl->v->vifname);
    if ( pl->v->ip )
        tree_put(tr, "ip", pl->v->ip);
    if ( pl->v->rate )
        tree_put(tr, "rate", pl->v->rate);
}

static int fill_vif(struct xl_ctx *ctx, xs_transaction_t t, const void *arg)
{
    const struct vif_plan *pl = arg;
    struct tree be, fe_dir, fe, rec;

    tree_init(&be, ctx, t, pl->p.backend, 0, pl->domid);
    fill_vif_backend(&be, pl);
    /* Present but empty, as libxl writes it: netback then waits in
     * InitWait for our "connected" instead of connecting at once. */
    tree_put(&be, "hotplug-status", "");
    tree_init(&fe_dir, ctx, t, pl->p.kind_dir, 0, pl->domid);
    tree_put(&fe_dir, NULL, "");
    tree_init(&fe, ctx, t, pl->p.frontend, pl->domid, 0);
    tree_put(&fe, NULL, "");
    tree_put(&fe, "backend", pl->p.backend);
    tree_put(&fe, "backend-id", "0");
    tree_put(&fe, "state", STATE_INITIALISING);
    tree_putf(&fe, "handle", "%u", pl->devid);
    tree_put(&fe, "mac", pl->mac);
    tree_put(&fe, "trusted", "1");
    tree_putf(&fe, "mtu", "%u", pl->v->mtu ? pl->v->mtu : DEFAULT_MTU);
    tree_init(&rec, ctx, t, pl->p.libxl, 0, 0);
    tree_put(&rec, "backend", pl->p.backend);
    fill_vif_backend(&rec, pl);
    tree_put(&rec, "hotplug-status", "");
    return be.rc ? be.rc : fe_dir.rc ? fe_dir.rc : fe.rc ? fe.rc : rec.rc;
}

static int check_vif(const struct xl_vif_spec *v, char *err, size_t errlen)
{
    const char *bridge = v->bridge ? v->bridge : DEFAULT_BRIDGE;

    if ( v->backend && strcmp(v->backend, "0") && strcmp(v->backend, "Domain-0") )
    {
        snprintf(err, errlen, "backend '%s': only dom0 serves network interfaces",
                 v->backend);
        return -EINVAL;
    }
    if ( v->type && !strcmp(v->type, "ioemu") )
    {
        snprintf(err, errlen, "type=ioemu needs a device model (HVM), not offered");
        return -EINVAL;
    }
    if ( v->script && strcmp(v->script, "vif-bridge") &&
         strcmp(v->script, "/etc/xen/scripts/vif-bridge") )
    {
        snprintf(err, errlen, "script '%s': only vif-bridge is carried out", v->script);
        return -EINVAL;
    }
    if ( !xl_bridge_exists(bridge) )
    {
        snprintf(err, errlen, "bridge '%s' does not exist in dom0", bridge);
        return -ENODEV;
    }
    if ( v->vifname && xl_netdev_exists(v->vifname) )
    {
        snprintf(err, errlen, "vifname '%s' is already an interface of dom0", v->vifname);
        return -EEXIST;
    }
    if ( v->mtu && (v->mtu < 68 || v->mtu > 65535) )
    {
        snprintf(err, errlen, "mtu %u is out of range (68-65535)", v->mtu);
        return -EINVAL;
    }
    return 0;
}

static unsigned int next_vif_devid(struct xl_ctx *ctx, ctrl_domid_t domid)
{
    unsigned int *ids, nr, i, next = 0;

    if ( xl_device_ids(ctx, domid, XL_DEV_VIF, &ids, &nr) )
        return 0;
    for ( i = 0; i < nr; i++ )
        if ( ids[i] >= next )
            next = ids[i] + 1;
    free(ids);
    return next;
}

static int random_u32(uint32_t *out)
{
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC), ok;

    if ( fd < 0 )
        return -errno;
    ok = read(fd, out, sizeof(*out)) == (ssize_t)sizeof(*out);
    close(fd);
    return ok ? 0 : -EIO;
}

/*
 * netback announces InitWait before it registers the interface (the
 * hotplug event follows the registration), so the interface is waited
 * for, not assumed.
 */
static bool wait_netdev(const char *name, int timeout_ms)
{
    int waited;

    for ( waited = 0; waited <= timeout_ms; waited += 20 )
    {
        if ( xl_netdev_exists(name) )
            return true;
        usleep(20000);
    }
    return false;
}

/* vif-bridge "online" once netback has made vif<domid>.<devid>. */
static int vif_hotplug(struct xl_ctx *ctx, const struct vif_plan *pl, const char *where)
{
    char netback_name[32], err[160] = "", path[128];
    int rc;

    if ( wait_backend_state(ctx, pl->p.backend, XENBUS_STATE_INITWAIT,
                            BACKEND_SETUP_WAIT_MS) < XENBUS_STATE_INITWAIT )
    {
        xl_err("%s: netback did not take vif %u (is xen-netback loaded?)", where, pl->devid);
        return -ETIMEDOUT;
    }
    snprintf(netback_name, sizeof(netback_name), "vif%u.%u", pl->domid, pl->devid);
    if ( !wait_netdev(netback_name, BACKEND_SETUP_WAIT_MS) )
    {
        xl_err("%s: netback reached InitWait but %s did not appear", where, netback_name);
        return -ENODEV;
    }
    rc = xl_vif_online(netback_name, pl->v->vifname, pl->bridge,
                       pl->v->mtu ? pl->v->mtu : 0, err, sizeof(err));
    if ( rc )
    {
        xl_err("%s: %s", where, err);
        return rc;
    }
    snprintf(path, sizeof(path), "%s/hotplug-status", pl->p.backend);
    return xs_write(ctx->xs, XBT_NULL, path, "connected", 9);
}

static int vif_add_parsed(struct xl_ctx *ctx, ctrl_domid_t domid,
                          const struct xl_vif_spec *v, const char *where)
{
    struct vif_plan pl = { .domid = domid, .v = v };
    uint8_t mac[6];
    char err[160] = "";
    int rc;

    if ( (rc = check_vif(v, err, sizeof(err))) )
    {
        xl_err("%s: %s", where, err);
        return rc;
    }
    pl.devid = v->devid >= 0 ? (unsigned int)v->devid : next_vif_devid(ctx, domid);
    dev_paths(&pl.p, XL_DEV_VIF, domid, pl.devid);
    {
        char *old = store_get(ctx, "%s/backend", pl.p.libxl);

        if ( old )
        {
            free(old);
            xl_err("%s: domain %u already has vif %u", where, domid, pl.devid);
            return -EEXIST;
        }
    }
    if ( v->has_mac )
        memcpy(mac, v->mac, 6);
    else
    {
        uint32_t r;

        if ( (rc = random_u32(&r)) )
            return rc;
        xl_vif_mac_generate(mac, r);
    }
    xl_vif_mac_format(mac, pl.mac);
    pl.bridge = v->bridge ? v->bridge : DEFAULT_BRIDGE;
    xl_log("vif %u of domain %u: mac %s on bridge %s", pl.devid, domid, pl.mac, pl.bridge);
    if ( (rc = write_trees(ctx, fill_vif, &pl)) )
    {
        xl_err("%s: writing the xenstore entries of vif %u: %s", where, pl.devid,
               strerror(-rc));
        store_rm(ctx, "%s", pl.p.backend);
        store_rm(ctx, "%s", pl.p.frontend);
        store_rm(ctx, "%s", pl.p.libxl);
        return rc;
    }
    if ( (rc = vif_hotplug(ctx, &pl, where)) )
    {
        xl_device_remove(ctx, domid, XL_DEV_VIF, pl.devid, true);
        return rc;
    }
    return 0;
}

int xl_vif_add(struct xl_ctx *ctx, ctrl_domid_t domid, const char *spec,
               const char *where, bool wait)
{
    struct xl_vif_spec v;
    char err[256] = "";
    int rc;

    (void)wait;                    /* the bridge needs netback's interface: always */
    if ( xl_vif_parse(spec, &v, err, sizeof(err)) )
    {
        xl_err("%s: %s", where, err);
        return -EINVAL;
    }
    rc = vif_add_parsed(ctx, domid, &v, where);
    xl_vif_spec_free(&v);
    return rc;
}

/* ---- a whole config ----------------------------------------------------- */

int xl_devices_check(struct xl_ctx *ctx, const struct xl_domain_config *cfg,
                     const char *file)
{
    uint32_t seen[MAX_DEVICES];
    unsigned int i, j;
    char err[256];

    if ( cfg->nr_disks > MAX_DEVICES || cfg->nr_vifs > MAX_DEVICES )
    {
        xl_err("%s: at most %u disks and %u vifs", file, MAX_DEVICES, MAX_DEVICES);
        return -E2BIG;
    }
    for ( i = 0; i < cfg->nr_disks; i++ )
    {
        struct xl_disk_spec d;
        int rc;

        err[0] = '\0';
        if ( xl_disk_parse(cfg->disks[i], &d, err, sizeof(err)) )
        {
            xl_err("%s: disk: '%s': %s", file, cfg->disks[i], err);
            return -EINVAL;
        }
        seen[i] = d.devid;
        for ( j = 0; j < i; j++ )
            if ( seen[j] == d.devid )
            {
                xl_err("%s: disk: vdev %s is given twice", file, d.vdev);
                xl_disk_spec_free(&d);
                return -EINVAL;
            }
        rc = check_disk(ctx, &d, err, sizeof(err));
        if ( rc )
            xl_err("%s: disk: %s", file, err);
        xl_disk_spec_free(&d);
        if ( rc )
            return rc;
    }
    for ( i = 0; i < cfg->nr_vifs; i++ )
    {
        struct xl_vif_spec v;
        int rc;

        err[0] = '\0';
        if ( xl_vif_parse(cfg->vifs[i], &v, err, sizeof(err)) )
        {
            xl_err("%s: vif: '%s': %s", file, cfg->vifs[i], err);
            return -EINVAL;
        }
        rc = check_vif(&v, err, sizeof(err));
        if ( rc )
            xl_err("%s: vif: %s", file, err);
        xl_vif_spec_free(&v);
        if ( rc )
            return rc;
    }
    return 0;
}

int xl_devices_add(struct xl_ctx *ctx, ctrl_domid_t domid,
                   const struct xl_domain_config *cfg)
{
    unsigned int i;
    int rc;

    for ( i = 0; i < cfg->nr_disks; i++ )
        if ( (rc = xl_disk_add(ctx, domid, cfg->disks[i], "disk", true)) )
            return rc;
    for ( i = 0; i < cfg->nr_vifs; i++ )
    {
        struct xl_vif_spec v;
        char err[256] = "";

        if ( xl_vif_parse(cfg->vifs[i], &v, err, sizeof(err)) )
        {
            xl_err("vif: '%s': %s", cfg->vifs[i], err);
            return -EINVAL;
        }
        /* Unnumbered vifs are numbered in the order of the list. */
        if ( v.devid < 0 )
            v.devid = (int)i;
        rc = vif_add_parsed(ctx, domid, &v, "vif");
        xl_vif_spec_free(&v);
        if ( rc )
            return rc;
    }
    return 0;
}

/* ---- removal -------------------------------------------------------------- */

/* Until Linux's xenbus has dropped the backend device (blkback/netback let go). */
static void wait_backend_device_gone(enum xl_dev_kind kind, ctrl_domid_t domid,
                                     unsigned int devid, int timeout_ms)
{
    char sys[96];
    int waited;

    snprintf(sys, sizeof(sys), "/sys/bus/xen-backend/devices/%s-%u-%u",
             kind_name[kind], domid, devid);
    for ( waited = 0; access(sys, F_OK) == 0 && waited < timeout_ms; waited += 20 )
        usleep(20000);
}

int xl_device_remove(struct xl_ctx *ctx, ctrl_domid_t domid,
                     enum xl_dev_kind kind, unsigned int devid, bool force)
{
    struct dev_paths p;
    char *backend, *node = NULL, path[128];
    int rc = 0;

    dev_paths(&p, kind, domid, devid);
    backend = store_get(ctx, "%s/backend", p.libxl);
    if ( !backend )
        return -ENOENT;
    /* Only our own layout: the record is dom0's, but check before use. */
    if ( strcmp(backend, p.backend) )
    {
        free(backend);
        return -EINVAL;
    }
    if ( kind == XL_DEV_VBD )
        node = store_get(ctx, "%s/node", p.backend);
    /* Ask the frontend to let go (a live guest closes its end). */
    snprintf(path, sizeof(path), "%s/online", p.backend);
    xs_write(ctx->xs, XBT_NULL, path, "0", 1);
    snprintf(path, sizeof(path), "%s/state", p.backend);
    xs_write(ctx->xs, XBT_NULL, path, "5", 1);
    if ( !force && domain_alive(ctx, domid) &&
         wait_backend_state(ctx, p.backend, XENBUS_STATE_CLOSED, BACKEND_WAIT_MS) <
         XENBUS_STATE_CLOSED )
    {
        xl_err("%s %u of domain %u: the guest did not close it in %d s; removing it anyway",
               kind_name[kind], devid, domid, BACKEND_WAIT_MS / 1000);
        rc = -ETIMEDOUT;
    }
    /* The frontend's tree going away makes the backend driver unbind. */
    store_rm(ctx, "%s", p.frontend);
    store_rm(ctx, "%s", p.backend);
    store_rm(ctx, "%s", p.libxl);
    wait_backend_device_gone(kind, domid, devid, BACKEND_WAIT_MS);
    if ( node && !strncmp(node, "/dev/loop", 9) )
        xl_loop_detach(node, BACKEND_WAIT_MS);
    free(node);
    free(backend);
    return rc;
}

void xl_devices_destroy(struct xl_ctx *ctx, ctrl_domid_t domid)
{
    enum xl_dev_kind kind;

    for ( kind = XL_DEV_VBD; kind <= XL_DEV_VIF; kind++ )
    {
        unsigned int *ids, nr, i;

        if ( xl_device_ids(ctx, domid, kind, &ids, &nr) )
            continue;
        for ( i = 0; i < nr; i++ )
            xl_device_remove(ctx, domid, kind, ids[i], true);
        free(ids);
    }
    store_rm(ctx, "/local/domain/0/backend/vbd/%u", domid);
    store_rm(ctx, "/local/domain/0/backend/vif/%u", domid);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl block-attach / block-detach / block-list and network-attach /
 * network-detach / network-list: devices of a running domain, with Xen's
 * xl's arguments and its list columns.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xl_device.h"

/* Arguments after the domain, joined with commas as Xen's xl joins them. */
static char *join_args(int argc, char **argv, int from)
{
    size_t len = 1;
    char *s;
    int i;

    for ( i = from; i < argc; i++ )
        len += strlen(argv[i]) + 1;
    if ( !(s = calloc(1, len)) )
        return NULL;
    for ( i = from; i < argc; i++ )
    {
        if ( i > from )
            strcat(s, ",");
        strcat(s, argv[i]);
    }
    return s;
}

static int attach(struct xl_ctx *ctx, int argc, char **argv, enum xl_dev_kind kind)
{
    ctrl_domid_t domid;
    char *spec;
    int rc;

    if ( argc < (kind == XL_DEV_VBD ? 3 : 2) )
        return XL_EXIT_USAGE;
    if ( xl_domid_of(ctx, argv[1], &domid) )
        return XL_EXIT_FAIL;
    if ( !(spec = join_args(argc, argv, 2)) )
        return XL_EXIT_FAIL;
    rc = kind == XL_DEV_VBD ? xl_disk_add(ctx, domid, spec, argv[0], true)
                            : xl_vif_add(ctx, domid, spec, argv[0], true);
    free(spec);
    return rc ? XL_EXIT_FAIL : XL_EXIT_OK;
}

int xl_cmd_block_attach(struct xl_ctx *ctx, int argc, char **argv)
{
    return attach(ctx, argc, argv, XL_DEV_VBD);
}

int xl_cmd_network_attach(struct xl_ctx *ctx, int argc, char **argv)
{
    return attach(ctx, argc, argv, XL_DEV_VIF);
}

/* A vif named by its devid or its MAC. */
static int vif_by_name(struct xl_ctx *ctx, ctrl_domid_t domid, const char *name,
                       unsigned int *devid)
{
    unsigned int *ids, nr, i;
    char *end;
    unsigned long n = strtoul(name, &end, 10);

    if ( !*end && end != name )
    {
        *devid = (unsigned int)n;
        return 0;
    }
    if ( xl_device_ids(ctx, domid, XL_DEV_VIF, &ids, &nr) )
        return -ENOENT;
    for ( i = 0; i < nr; i++ )
    {
        char path[96], *mac = NULL;
        unsigned int len;
        bool match;

        snprintf(path, sizeof(path), "/libxl/%u/device/vif/%u/mac", domid, ids[i]);
        if ( xs_read(ctx->xs, XBT_NULL, path, &mac, &len) )
            continue;
        match = !strcasecmp(mac, name);
        free(mac);
        if ( match )
        {
            *devid = ids[i];
            free(ids);
            return 0;
        }
    }
    free(ids);
    return -ENOENT;
}

static int detach(struct xl_ctx *ctx, int argc, char **argv, enum xl_dev_kind kind)
{
    bool force = false;
    ctrl_domid_t domid;
    unsigned int devid;
    uint32_t vbd;
    int i, rc, pos = 0;
    const char *dom = NULL, *dev = NULL;

    for ( i = 1; i < argc; i++ )
    {
        if ( !strcmp(argv[i], "-f") )
            force = true;
        else if ( pos == 0 && ++pos )
            dom = argv[i];
        else if ( pos == 1 && ++pos )
            dev = argv[i];
        else
            return XL_EXIT_USAGE;
    }
    if ( !dom || !dev )
        return XL_EXIT_USAGE;
    if ( xl_domid_of(ctx, dom, &domid) )
        return XL_EXIT_FAIL;
    if ( kind == XL_DEV_VBD )
    {
        if ( xl_vdev_to_devid(dev, &vbd) )
        {
            xl_err("%s: '%s' is not a virtual device", argv[0], dev);
            return XL_EXIT_FAIL;
        }
        devid = vbd;
    }
    else if ( vif_by_name(ctx, domid, dev, &devid) )
    {
        xl_err("%s: domain %u has no vif '%s'", argv[0], domid, dev);
        return XL_EXIT_FAIL;
    }
    rc = xl_device_remove(ctx, domid, kind, devid, force);
    if ( rc == -ENOENT )
    {
        xl_err("%s: domain %u has no %s %s", argv[0], domid,
               kind == XL_DEV_VBD ? "disk" : "vif", dev);
        return XL_EXIT_FAIL;
    }
    /* A guest that did not close in time was detached all the same. */
    return rc && rc != -ETIMEDOUT ? XL_EXIT_FAIL : XL_EXIT_OK;
}

int xl_cmd_block_detach(struct xl_ctx *ctx, int argc, char **argv)
{
    return detach(ctx, argc, argv, XL_DEV_VBD);
}

int xl_cmd_network_detach(struct xl_ctx *ctx, int argc, char **argv)
{
    return detach(ctx, argc, argv, XL_DEV_VIF);
}

/* A number from the tree, -1 when absent (as Xen's lists show it). */
static int read_int(struct xl_ctx *ctx, const char *dir, const char *key)
{
    char path[160], *v = NULL, *end;
    unsigned int len;
    long n;

    snprintf(path, sizeof(path), "%s/%s", dir, key);
    if ( xs_read(ctx->xs, XBT_NULL, path, &v, &len) )
        return -1;
    n = strtol(v, &end, 10);
    if ( *end || end == v )
        n = -1;
    free(v);
    return (int)n;
}

static void list_one_disk(struct xl_ctx *ctx, ctrl_domid_t domid, unsigned int devid)
{
    char fe[96], be[96];

    snprintf(fe, sizeof(fe), "/local/domain/%u/device/vbd/%u", domid, devid);
    snprintf(be, sizeof(be), "/local/domain/0/backend/vbd/%u/%u", domid, devid);
    printf("%-5u %-3d %-6u %-5d %-6d %-8d %-30s\n", devid, 0, domid,
           read_int(ctx, fe, "state"), read_int(ctx, fe, "event-channel"),
           read_int(ctx, fe, "ring-ref"), be);
}

static void list_one_vif(struct xl_ctx *ctx, ctrl_domid_t domid, unsigned int devid)
{
    char fe[96], be[96], path[128], *mac = NULL;
    unsigned int len;

    snprintf(fe, sizeof(fe), "/local/domain/%u/device/vif/%u", domid, devid);
    snprintf(be, sizeof(be), "/local/domain/0/backend/vif/%u/%u", domid, devid);
    snprintf(path, sizeof(path), "%s/mac", fe);
    if ( xs_read(ctx->xs, XBT_NULL, path, &mac, &len) )
        mac = NULL;
    printf("%-3u %-2d %-17s %5d %5d %6d %5d/%-11d %-30s\n", devid, 0,
           mac ? mac : "-", read_int(ctx, fe, "handle"), read_int(ctx, fe, "state"),
           read_int(ctx, fe, "event-channel"), read_int(ctx, fe, "tx-ring-ref"),
           read_int(ctx, fe, "rx-ring-ref"), be);
    free(mac);
}

static int list(struct xl_ctx *ctx, int argc, char **argv, enum xl_dev_kind kind)
{
    int i, rc = XL_EXIT_OK;

    if ( argc < 2 )
        return XL_EXIT_USAGE;
    if ( kind == XL_DEV_VBD )
        printf("%-5s %-3s %-6s %-5s %-6s %-8s %-30s\n", "Vdev", "BE", "handle", "state",
               "evt-ch", "ring-ref", "BE-path");
    else
        printf("%-3s %-2s %-17s %-6s %-5s %-6s %5s/%-11s %-30s\n", "Idx", "BE",
               "Mac Addr.", "handle", "state", "evt-ch", "tx-", "rx-ring-ref", "BE-path");
    for ( i = 1; i < argc; i++ )
    {
        ctrl_domid_t domid;
        unsigned int *ids, nr, j;

        if ( xl_domid_of(ctx, argv[i], &domid) )
        {
            rc = XL_EXIT_FAIL;
            continue;
        }
        if ( xl_device_ids(ctx, domid, kind, &ids, &nr) )
            continue;
        for ( j = 0; j < nr; j++ )
            (kind == XL_DEV_VBD ? list_one_disk : list_one_vif)(ctx, domid, ids[j]);
        free(ids);
    }
    return rc;
}

int xl_cmd_block_list(struct xl_ctx *ctx, int argc, char **argv)
{
    return list(ctx, argc, argv, XL_DEV_VBD);
}

int xl_cmd_network_list(struct xl_ctx *ctx, int argc, char **argv)
{
    return list(ctx, argc, argv, XL_DEV_VIF);
}

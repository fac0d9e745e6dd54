/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Domains as xl sees them: a name or an id on the command line, the
 * hypervisor's info, the toolstack's entries in xenstore, and destruction
 * with everything the toolstack wrote about the domain removed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xl.h"
#include "xl_device.h"

#define MAX_DOMAINS 1024

int xl_dominfo(struct xl_ctx *ctx, ctrl_domid_t domid, struct ctrl_dominfo *out)
{
    int n = ctrl_domain_getinfo(ctx->ctrl, domid, 1, out);

    if ( n < 0 )
        return n;
    /* getinfo answers with the next domain at or above: check it is ours. */
    return n == 1 && out->domid == domid ? 0 : -ESRCH;
}

char *xl_read_dom(struct xl_ctx *ctx, ctrl_domid_t domid, const char *rel)
{
    char path[128], *value = NULL;

    snprintf(path, sizeof(path), "/local/domain/%u/%s", domid, rel);
    if ( xs_read(ctx->xs, XBT_NULL, path, &value, NULL) )
        return NULL;
    return value;
}

int xl_write_dom(struct xl_ctx *ctx, ctrl_domid_t domid, const char *rel,
                 const char *value)
{
    char path[128];

    snprintf(path, sizeof(path), "/local/domain/%u/%s", domid, rel);
    return xs_write(ctx->xs, XBT_NULL, path, value, strlen(value));
}

char *xl_domname_of(struct xl_ctx *ctx, ctrl_domid_t domid)
{
    char *name = xl_read_dom(ctx, domid, "name");

    if ( !name && domid == 0 )
        name = strdup("Domain-0");
    return name;
}

static bool parse_domid(const char *s, ctrl_domid_t *out)
{
    char *end;
    unsigned long v;

    if ( !*s )
        return false;
    errno = 0;
    v = strtoul(s, &end, 10);
    if ( errno || *end || v >= 0x7ff0 )
        return false;
    *out = (ctrl_domid_t)v;
    return true;
}

int xl_all_domains(struct xl_ctx *ctx, struct ctrl_dominfo *info, int max)
{
    int total = 0;
    ctrl_domid_t next = 0;

    while ( total < max )
    {
        int n = ctrl_domain_getinfo(ctx->ctrl, next, max - total, info + total);

        if ( n <= 0 )
            break;
        total += n;
        if ( info[total - 1].domid >= 0x7fef )
            break;
        next = info[total - 1].domid + 1;
    }
    return total;
}

static int find_by_name(struct xl_ctx *ctx, const char *name, ctrl_domid_t *out)
{
    struct ctrl_dominfo *info = calloc(MAX_DOMAINS, sizeof(*info));
    int i, n, rc = -ENOENT;

    if ( !info )
        return -ENOMEM;
    n = xl_all_domains(ctx, info, MAX_DOMAINS);
    for ( i = 0; i < n && rc; i++ )
    {
        char *dn;

        if ( info[i].dying )
            continue;
        dn = xl_domname_of(ctx, info[i].domid);
        if ( dn && !strcmp(dn, name) )
        {
            *out = info[i].domid;
            rc = 0;
        }
        free(dn);
    }
    free(info);
    return rc;
}

int xl_domid_of(struct xl_ctx *ctx, const char *spec, ctrl_domid_t *out)
{
    struct ctrl_dominfo info;

    if ( parse_domid(spec, out) )
    {
        if ( xl_dominfo(ctx, *out, &info) == 0 )
            return 0;
    }
    else if ( find_by_name(ctx, spec, out) == 0 )
        return 0;
    xl_err("domain '%s' does not exist", spec);
    return -ENOENT;
}

bool xl_name_in_use(struct xl_ctx *ctx, const char *name)
{
    ctrl_domid_t id;

    return find_by_name(ctx, name, &id) == 0;
}

void xl_uuid_format(const uint8_t u[16], char out[37])
{
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3], u[4], u[5],
             u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

/* Remove the toolstack's xenstore entries for a domain, whatever is left. */
static void remove_store_entries(struct xl_ctx *ctx, ctrl_domid_t domid)
{
    char path[64], *vm = xl_read_dom(ctx, domid, "vm");

    if ( vm && !strncmp(vm, "/vm/", 4) )
        xs_rm(ctx->xs, XBT_NULL, vm);
    free(vm);
    snprintf(path, sizeof(path), "/local/domain/%u", domid);
    xs_rm(ctx->xs, XBT_NULL, path);
    snprintf(path, sizeof(path), "/libxl/%u", domid);
    xs_rm(ctx->xs, XBT_NULL, path);
}

bool xl_wait_gone(struct xl_ctx *ctx, ctrl_domid_t domid, int timeout_ms)
{
    struct ctrl_dominfo info;
    int waited = 0;

    while ( xl_dominfo(ctx, domid, &info) == 0 )
    {
        if ( waited >= timeout_ms )
            return false;
        usleep(20000);
        waited += 20;
    }
    return true;
}

int xl_destroy_domain(struct xl_ctx *ctx, ctrl_domid_t domid)
{
    int rc;

    if ( domid == 0 )
    {
        xl_err("domain 0 cannot be destroyed");
        return -EINVAL;
    }
    rc = ctrl_domain_destroy(ctx->ctrl, domid);
    if ( rc && rc != -ESRCH )
    {
        xl_err("destroying domain %u failed: %s", domid, strerror(-rc));
        return rc;
    }
    /* xenstored lets go of its ring; the tree entries are ours to remove,
     * the devices' first: their backends unbind, their loop devices go. */
    xs_release_domain(ctx->xs, domid);
    xl_devices_destroy(ctx, domid);
    remove_store_entries(ctx, domid);
    if ( !xl_wait_gone(ctx, domid, 10000) )
    {
        xl_err("domain %u is still dying after 10 s", domid);
        return -EBUSY;
    }
    return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Subcommands that change a domain: shutdown, reboot, destroy, pause,
 * unpause, console, mem-set, sched-credit.  shutdown and reboot ask the
 * guest through xenstore (control/shutdown), as Xen does: the guest's own
 * PV driver carries it out.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xl.h"

#define SHUTDOWN_WAIT_MS (5 * 60 * 1000)

/* One domain argument, after options that the caller has consumed. */
static int one_domain(struct xl_ctx *ctx, int argc, char **argv, int at,
                      ctrl_domid_t *id)
{
    if ( at != argc - 1 )
        return XL_EXIT_USAGE;
    return xl_domid_of(ctx, argv[at], id) ? XL_EXIT_FAIL : XL_EXIT_OK;
}

/* Until it is gone or has shut down (a preserved domain stays). */
static bool wait_shut_down(struct xl_ctx *ctx, ctrl_domid_t id, int timeout_ms)
{
    int waited;

    for ( waited = 0; waited < timeout_ms; waited += 100 )
    {
        struct ctrl_dominfo info;

        if ( xl_dominfo(ctx, id, &info) || info.dying )
            return true;
        usleep(100000);
    }
    return false;
}

static int ask_guest(struct xl_ctx *ctx, int argc, char **argv, const char *what)
{
    bool wait = argc > 1 && !strcmp(argv[1], "-w");
    ctrl_domid_t id;
    char *feature, rel[48];
    int rc = one_domain(ctx, argc, argv, wait ? 2 : 1, &id);

    if ( rc )
        return rc;
    if ( id == 0 )
    {
        xl_err("%s of domain 0: do it from inside dom0", what);
        return XL_EXIT_FAIL;
    }
    snprintf(rel, sizeof(rel), "control/feature-%s", what);
    feature = xl_read_dom(ctx, id, rel);
    if ( !feature || strcmp(feature, "1") )
    {
        free(feature);
        xl_err("domain %u has no PV control interface (%s not announced): "
               "use 'xl destroy'", id, rel);
        return XL_EXIT_FAIL;
    }
    free(feature);
    if ( xl_write_dom(ctx, id, "control/shutdown", what) )
    {
        xl_err("cannot write control/shutdown of domain %u", id);
        return XL_EXIT_FAIL;
    }
    if ( wait && !wait_shut_down(ctx, id, SHUTDOWN_WAIT_MS) )
    {
        xl_err("domain %u did not %s within %d s", id, what, SHUTDOWN_WAIT_MS / 1000);
        return XL_EXIT_FAIL;
    }
    return XL_EXIT_OK;
}

int xl_cmd_shutdown(struct xl_ctx *ctx, int argc, char **argv)
{
    return ask_guest(ctx, argc, argv, "poweroff");
}

int xl_cmd_reboot(struct xl_ctx *ctx, int argc, char **argv)
{
    return ask_guest(ctx, argc, argv, "reboot");
}

int xl_cmd_destroy(struct xl_ctx *ctx, int argc, char **argv)
{
    ctrl_domid_t id;
    int rc = one_domain(ctx, argc, argv, 1, &id);

    if ( rc )
        return rc;
    return xl_destroy_domain(ctx, id) ? XL_EXIT_FAIL : XL_EXIT_OK;
}

static int pause_or_unpause(struct xl_ctx *ctx, int argc, char **argv, bool pause)
{
    ctrl_domid_t id;
    int rc = one_domain(ctx, argc, argv, 1, &id);

    if ( rc )
        return rc;
    rc = pause ? ctrl_domain_pause(ctx->ctrl, id) : ctrl_domain_unpause(ctx->ctrl, id);
    if ( rc )
    {
        xl_err("%s domain %u: %s", pause ? "pausing" : "unpausing", id, strerror(-rc));
        return XL_EXIT_FAIL;
    }
    return XL_EXIT_OK;
}

int xl_cmd_pause(struct xl_ctx *ctx, int argc, char **argv)
{
    return pause_or_unpause(ctx, argc, argv, true);
}

int xl_cmd_unpause(struct xl_ctx *ctx, int argc, char **argv)
{
    return pause_or_unpause(ctx, argc, argv, false);
}

int xl_console_domain(struct xl_ctx *ctx, ctrl_domid_t domid)
{
    int waited;

    /* xenconsoled publishes the pty once it has mapped the ring. */
    for ( waited = 0; waited < 10000; waited += 100 )
    {
        char *tty = xl_read_dom(ctx, domid, "console/tty");

        if ( tty && tty[0] )
        {
            int rc = xl_console_attach(tty);

            free(tty);
            return rc;
        }
        free(tty);
        usleep(100000);
    }
    xl_err("domain %u has no console pty after 10 s: is xenconsoled running?", domid);
    return -ETIMEDOUT;
}

int xl_cmd_console(struct xl_ctx *ctx, int argc, char **argv)
{
    ctrl_domid_t id;
    int rc = one_domain(ctx, argc, argv, 1, &id);

    if ( rc )
        return rc;
    if ( id == 0 )
    {
        xl_err("dom0's console is the hypervisor's serial line");
        return XL_EXIT_FAIL;
    }
    /* Detached (0) or the console went away with its guest (1): both fine. */
    return xl_console_domain(ctx, id) < 0 ? XL_EXIT_FAIL : XL_EXIT_OK;
}

/* "256m", "1g", "131072" (KiB, xl's default unit) → KiB; false if bad. */
static bool parse_mem_kib(const char *s, uint64_t *kib)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = strtoull(s, &end, 10);
    if ( errno || end == s )
        return false;
    switch ( *end )
    {
    case '\0': case 'k': case 'K': *kib = v; break;
    case 'm': case 'M': *kib = v << 10; break;
    case 'g': case 'G': *kib = v << 20; break;
    case 'b': case 'B': *kib = v >> 10; break;
    default: return false;
    }
    return !*end || !end[1];
}

int xl_cmd_mem_set(struct xl_ctx *ctx, int argc, char **argv)
{
    ctrl_domid_t id;
    uint64_t kib;
    char *smax, val[32];

    if ( argc != 3 )
        return XL_EXIT_USAGE;
    if ( !parse_mem_kib(argv[2], &kib) || !kib )
    {
        xl_err("mem-set: '%s' is not a memory size (e.g. 256m)", argv[2]);
        return XL_EXIT_FAIL;
    }
    if ( xl_domid_of(ctx, argv[1], &id) )
        return XL_EXIT_FAIL;
    smax = xl_read_dom(ctx, id, "memory/static-max");
    if ( smax && kib > strtoull(smax, NULL, 10) )
    {
        xl_err("mem-set: %llu KiB is above domain %u's maxmem (%s KiB)",
               (unsigned long long)kib, id, smax);
        free(smax);
        return XL_EXIT_FAIL;
    }
    free(smax);
    snprintf(val, sizeof(val), "%llu", (unsigned long long)kib);
    if ( xl_write_dom(ctx, id, "memory/target", val) )
    {
        xl_err("mem-set: cannot write memory/target of domain %u", id);
        return XL_EXIT_FAIL;
    }
    return XL_EXIT_OK;
}

static int show_credit(struct xl_ctx *ctx, ctrl_domid_t id)
{
    unsigned int weight, cap;
    char *name;
    int rc = ctrl_sched_credit_get(ctx->ctrl, id, &weight, &cap);

    if ( rc )
        return rc;
    name = xl_domname_of(ctx, id);
    printf("%-32s %5u %6u %4u\n", name ? name : "(null)", id, weight, cap);
    free(name);
    return 0;
}

int xl_cmd_sched_credit(struct xl_ctx *ctx, int argc, char **argv)
{
    const char *dom = NULL;
    long weight = -1, cap = -1;
    ctrl_domid_t id;
    int i, opt_rc = 0;

    for ( i = 1; i + 1 < argc && !opt_rc; i += 2 )
    {
        char *end;
        long v = strtol(argv[i + 1], &end, 10);

        if ( !strcmp(argv[i], "-d") )
            dom = argv[i + 1];
        else if ( !strcmp(argv[i], "-w") && !*end && v > 0 && v <= 65535 )
            weight = v;
        else if ( !strcmp(argv[i], "-c") && !*end && v >= 0 )
            cap = v;
        else
            opt_rc = XL_EXIT_USAGE;
    }
    if ( opt_rc || i != argc || ((weight >= 0 || cap >= 0) && !dom) )
        return XL_EXIT_USAGE;
    printf("%-32s %5s %6s %4s\n", "Name", "ID", "Weight", "Cap");
    if ( !dom )
    {
        struct ctrl_dominfo info[64];
        int n = ctrl_domain_getinfo(ctx->ctrl, 0, 64, info);

        for ( i = 0; i < n; i++ )
            show_credit(ctx, info[i].domid);
        return XL_EXIT_OK;
    }
    if ( xl_domid_of(ctx, dom, &id) )
        return XL_EXIT_FAIL;
    if ( weight >= 0 || cap >= 0 )
    {
        unsigned int w, c;
        int rc = ctrl_sched_credit_get(ctx->ctrl, id, &w, &c);

        if ( !rc )
            rc = ctrl_sched_credit_set(ctx->ctrl, id, weight >= 0 ? weight : w,
                                       cap >= 0 ? cap : c);
        if ( rc )
        {
            xl_err("sched-credit: domain %u: %s", id, strerror(-rc));
            return XL_EXIT_FAIL;
        }
    }
    return show_credit(ctx, id) ? XL_EXIT_FAIL : XL_EXIT_OK;
}

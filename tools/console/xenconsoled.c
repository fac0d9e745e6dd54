/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenconsoled: serves the PV consoles of guest domains.
 *
 * For each domain under /local/domain that has console/ring-ref (a guest
 * frame) and console/port (an unbound event channel the builder allocated
 * for us), map the page, bind the channel, open a pty and announce its name
 * in console/tty for `xl console`, and log the guest's output.  xenstore
 * watches on @introduceDomain, @releaseDomain and /local/domain tell us
 * when to look again.  A guest that garbles its ring loses its console;
 * the others carry on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xenconsoled.h"

/* Domain ids at and above DOMID_FIRST_RESERVED are not domains (xen.h). */
#define DOMID_FIRST_RESERVED 0x7ff0u
#define MAX_POLL 1024

/* A strict decimal number from xenstore, at most max. */
static int read_uint(struct daemon *d, unsigned int domid, const char *node,
                     unsigned long max, unsigned long *out)
{
    char path[64], *v, *end;
    unsigned long n;
    int rc;

    snprintf(path, sizeof(path), "/local/domain/%u/%s", domid, node);
    if ( (rc = xs_read(d->xs, XBT_NULL, path, &v, NULL)) )
        return rc;
    errno = 0;
    n = strtoul(v, &end, 10);
    rc = (v[0] < '0' || v[0] > '9' || *end || errno || n > max) ? -EINVAL : 0;
    free(v);
    if ( !rc )
        *out = n;
    return rc;
}

struct console *daemon_find(struct daemon *d, unsigned int domid)
{
    struct console *c;

    for ( c = d->consoles; c; c = c->next )
        if ( c->domid == domid )
            return c;
    return NULL;
}

static struct console *find_by_port(struct daemon *d, int port)
{
    struct console *c;

    for ( c = d->consoles; c; c = c->next )
        if ( c->local_port == port )
            return c;
    return NULL;
}

static void console_teardown(struct daemon *d, struct console *c)
{
    struct console **pp;

    for ( pp = &d->consoles; *pp; pp = &(*pp)->next )
        if ( *pp == c )
        {
            *pp = c->next;
            break;
        }
    if ( c->local_port >= 0 )
        evtchn_unbind(d->evtchn, (uint32_t)c->local_port);
    if ( c->intf )
        ctrl_unmap_foreign(c->intf, 1);
    console_release(c);
    free(c);
}

void daemon_teardown_all(struct daemon *d)
{
    while ( d->consoles )
        console_teardown(d, d->consoles);
}

/* Map the ring, bind the channel, open pty and log, announce the tty. */
static int console_connect(struct daemon *d, struct console *c,
                           unsigned long gfn, unsigned long port)
{
    char path[64], *name = NULL;
    uint64_t frame = gfn;
    int err = 0, rc;

    snprintf(path, sizeof(path), "/local/domain/%u/name", c->domid);
    if ( xs_read(d->xs, XBT_NULL, path, &name, NULL) == 0 )
        c->name = name;
    c->intf = ctrl_map_foreign(d->ctrl, (ctrl_domid_t)c->domid,
                               PROT_READ | PROT_WRITE, &frame, &err, 1);
    if ( !c->intf )
        return -errno;
    if ( err )
        return err < 0 ? err : -err;
    rc = evtchn_bind_interdomain(d->evtchn, (ctrl_domid_t)c->domid, (uint32_t)port);
    if ( rc < 0 )
        return rc;
    c->local_port = rc;
    if ( (rc = console_open_pty(c)) )
        return rc;
    if ( (rc = console_open_log(c, d->log_dir)) )
        console_msg("domain %u: no log file in %s: %s", c->domid, d->log_dir,
                    strerror(-rc));
    snprintf(path, sizeof(path), "/local/domain/%u/console/tty", c->domid);
    if ( (rc = xs_write(d->xs, XBT_NULL, path, c->tty_path,
                        (unsigned int)strlen(c->tty_path))) )
        return rc;
    /* Output written before we bound the channel is waiting already. */
    console_pump_out(c, d->evtchn);
    return 0;
}

/*
 * libxl marks the console it wants us to serve with console/type =
 * "xenconsoled"; "ioemu" belongs to a device model.  No type at all is
 * taken as ours (a minimal builder may not write it).
 */
static bool console_is_ours(struct daemon *d, unsigned int domid)
{
    char path[64], *type;
    bool ours;

    snprintf(path, sizeof(path), "/local/domain/%u/console/type", domid);
    if ( xs_read(d->xs, XBT_NULL, path, &type, NULL) )
        return true;
    ours = !strcmp(type, "xenconsoled");
    free(type);
    return ours;
}

/*
 * A console we cannot serve stays on the list, broken, so that we neither
 * retry it on every xenstore event nor repeat the message.
 */
static void console_add(struct daemon *d, unsigned int domid)
{
    unsigned long gfn, port;
    struct console *c;
    int rc;

    if ( !console_is_ours(d, domid) )
        return;
    /* Not there yet is normal: the builder writes these last. */
    if ( read_uint(d, domid, "console/ring-ref", UINT64_MAX >> 12, &gfn) ||
         read_uint(d, domid, "console/port", UINT32_MAX, &port) )
        return;
    if ( !(c = malloc(sizeof(*c))) )
        return;
    console_init(c, domid);
    c->seen = true;
    c->next = d->consoles;
    d->consoles = c;
    rc = console_connect(d, c, gfn, port);
    if ( rc )
    {
        char why[96];

        snprintf(why, sizeof(why), "cannot connect its console: %s", strerror(-rc));
        console_break(c, why);
        return;
    }
    console_msg("domain %u (%s): console on %s", domid, c->name ? c->name : "?",
                c->tty_path);
}

static bool parse_domid(const char *s, unsigned int *domid)
{
    unsigned long v;
    char *end;

    if ( *s < '0' || *s > '9' )
        return false;
    errno = 0;
    v = strtoul(s, &end, 10);
    if ( *end || errno || v >= DOMID_FIRST_RESERVED )
        return false;
    *domid = (unsigned int)v;
    return true;
}

int daemon_scan(struct daemon *d)
{
    struct console *c, *next;
    char **names;
    unsigned int n, i, domid;
    int rc;

    rc = xs_directory(d->xs, XBT_NULL, "/local/domain", &names, &n);
    if ( rc == -ENOENT )
        n = 0, names = NULL;
    else if ( rc )
        return rc;
    for ( c = d->consoles; c; c = c->next )
        c->seen = false;
    for ( i = 0; i < n; i++ )
    {
        /* Dom0's console is the hypervisor's, not ours. */
        if ( !parse_domid(names[i], &domid) || domid == 0 )
            continue;
        if ( (c = daemon_find(d, domid)) )
            c->seen = true;
        else
            console_add(d, domid);
    }
    free(names);
    /* A domain whose directory is gone has been destroyed. */
    for ( c = d->consoles; c; c = next )
    {
        next = c->next;
        if ( !c->seen )
        {
            console_msg("domain %u: gone, console closed", c->domid);
            console_teardown(d, c);
        }
    }
    return 0;
}

void daemon_handle_events(struct daemon *d)
{
    struct console *c;
    int port;

    while ( (port = evtchn_pending(d->evtchn)) >= 0 )
    {
        if ( (c = find_by_port(d, port)) )
        {
            console_pump_out(c, d->evtchn);
            /* The guest may have made room for input we held back. */
            if ( console_in_room(c) > 0 )
                console_pump_in(c, d->evtchn);
        }
        evtchn_unmask(d->evtchn, (uint32_t)port);
    }
}

/* Drain queued watch events; any of ours means "look again". */
static int handle_watches(struct daemon *d)
{
    char **vec;
    unsigned int n;
    bool rescan = false;
    int rc;

    while ( (rc = xs_check_watch(d->xs, &vec, &n)) == 0 )
    {
        free(vec);
        rescan = true;
    }
    if ( rc != -EAGAIN )
        return rc;
    return rescan ? daemon_scan(d) : 0;
}

int daemon_run_once(struct daemon *d, int timeout_ms)
{
    struct pollfd pfd[MAX_POLL];
    struct console *who[MAX_POLL];
    struct console *c;
    unsigned int n = 2, i;
    int rc;

    if ( (rc = handle_watches(d)) )
        return rc;
    pfd[0] = (struct pollfd){ .fd = xs_fileno(d->xs), .events = POLLIN };
    pfd[1] = (struct pollfd){ .fd = evtchn_fd(d->evtchn), .events = POLLIN };
    for ( c = d->consoles; c && n < MAX_POLL; c = c->next )
    {
        /* Read the pty only when the ring has room: the rest waits in the pty. */
        if ( console_in_room(c) <= 0 )
            continue;
        who[n] = c;
        pfd[n++] = (struct pollfd){ .fd = c->master_fd, .events = POLLIN };
    }
    rc = poll(pfd, n, timeout_ms);
    if ( rc < 0 )
        return errno == EINTR ? 0 : -errno;
    if ( pfd[1].revents & POLLIN )
        daemon_handle_events(d);
    for ( i = 2; i < n; i++ )
    {
        /* A console may have broken while handling events above. */
        if ( (pfd[i].revents & (POLLIN | POLLHUP)) && !who[i]->broken )
            console_pump_in(who[i], d->evtchn);
    }
    if ( pfd[0].revents & (POLLIN | POLLHUP | POLLERR) )
        return handle_watches(d);
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: xenconsoled [--log-dir DIR]\n"
               "  Serve guest PV consoles on ptys; log their output to\n"
               "  DIR/guest-NAME.log (default " XENCONSOLED_LOG_DIR ").\n");
}

/* mkdir -p for the log directory. */
static void make_dirs(const char *dir)
{
    char *p, *copy = strdup(dir);

    if ( !copy )
        return;
    for ( p = copy + 1; *p; p++ )
        if ( *p == '/' )
        {
            *p = '\0';
            mkdir(copy, 0755);
            *p = '/';
        }
    mkdir(copy, 0755);
    free(copy);
}

int xenconsoled_main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "log-dir", required_argument, NULL, 'l' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct daemon d = { .log_dir = XENCONSOLED_LOG_DIR };
    int opt, rc = 0;

    while ( (opt = getopt_long(argc, argv, "l:h", opts, NULL)) != -1 )
    {
        switch ( opt )
        {
        case 'l': d.log_dir = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if ( optind != argc )
    {
        usage(stderr);
        return 2;
    }
    make_dirs(d.log_dir);
    if ( !(d.xs = xs_open(0)) )
    {
        console_msg("cannot reach xenstore: %s", strerror(errno));
        return 1;
    }
    if ( !(d.ctrl = ctrl_open()) || !(d.evtchn = evtchn_open()) )
    {
        console_msg("cannot open the hypervisor devices: %s", strerror(errno));
        return 1;
    }
    if ( (rc = xs_watch(d.xs, "@introduceDomain", "intro")) ||
         (rc = xs_watch(d.xs, "@releaseDomain", "release")) ||
         (rc = xs_watch(d.xs, "/local/domain", "tree")) ||
         (rc = daemon_scan(&d)) )
    {
        console_msg("xenstore: %s", strerror(-rc));
        return 1;
    }
    while ( (rc = daemon_run_once(&d, -1)) == 0 )
        ;
    console_msg("exiting: %s", strerror(-rc));
    daemon_teardown_all(&d);
    evtchn_close(d.evtchn);
    ctrl_close(d.ctrl);
    xs_close(d.xs);
    return 1;
}

/* The unit tests link this file with their own main. */
#ifndef XENCONSOLED_TEST
int main(int argc, char **argv)
{
    return xenconsoled_main(argc, argv);
}
#endif

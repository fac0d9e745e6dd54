/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pumping one console between its guest ring, its pty and its log.
 *
 * The log gets everything; the pty gets what it can take: a pty nobody
 * reads fills up, and a guest must not stall on a console no one watches
 * (Xen's xenconsoled discards too, past its buffer limit).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "console_io.h"

bool console_quiet;

void console_msg(const char *fmt, ...)
{
    va_list ap;

    if ( console_quiet )
        return;
    fputs("xenconsoled: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void console_init(struct console *c, unsigned int domid)
{
    memset(c, 0, sizeof(*c));
    c->domid = domid;
    c->local_port = -1;
    c->master_fd = c->slave_fd = c->log_fd = -1;
}

int console_open_pty(struct console *c)
{
    struct termios t;
    const char *name;
    int m, s, rc;

    m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if ( m < 0 )
        return -errno;
    if ( grantpt(m) || unlockpt(m) || !(name = ptsname(m)) )
        goto fail;
    s = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if ( s < 0 )
        goto fail;
    /* Bytes pass untouched: the guest's own tty does echo and line editing. */
    if ( tcgetattr(s, &t) == 0 )
    {
        cfmakeraw(&t);
        tcsetattr(s, TCSANOW, &t);
    }
    if ( fcntl(m, F_SETFL, fcntl(m, F_GETFL) | O_NONBLOCK) )
    {
        close(s);
        goto fail;
    }
    if ( !(c->tty_path = strdup(name)) )
    {
        close(s);
        close(m);
        return -ENOMEM;
    }
    c->master_fd = m;
    c->slave_fd = s;
    return 0;

 fail:
    rc = -errno;
    close(m);
    return rc;
}

/*
 * The name comes from xenstore: keep it to characters that are safe in a
 * file name, falling back to the domain id.
 */
char *console_log_path(const char *dir, const char *name, unsigned int domid)
{
    char safe[65], *path;
    size_t i, n = name ? strlen(name) : 0;
    bool ok = n > 0 && n < sizeof(safe) && strcmp(name, ".") && strcmp(name, "..");

    for ( i = 0; ok && i < n; i++ )
    {
        char ch = name[i];

        ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
             (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.';
    }
    if ( ok )
        memcpy(safe, name, n + 1);
    else
        snprintf(safe, sizeof(safe), "dom%u", domid);
    if ( asprintf(&path, "%s/guest-%s.log", dir, safe) < 0 )
        return NULL;
    return path;
}

int console_open_log(struct console *c, const char *dir)
{
    char *path = console_log_path(dir, c->name, c->domid);
    int fd, rc = 0;

    if ( !path )
        return -ENOMEM;
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0640);
    if ( fd < 0 )
        rc = -errno;
    else
        c->log_fd = fd;
    free(path);
    return rc;
}

void console_break(struct console *c, const char *why)
{
    if ( c->broken )
        return;
    console_msg("domain %u: %s; no longer serving its console", c->domid, why);
    c->broken = true;
    /* Closing the pty tells an attached `xl console` that it is over. */
    if ( c->master_fd >= 0 )
        close(c->master_fd);
    if ( c->slave_fd >= 0 )
        close(c->slave_fd);
    c->master_fd = c->slave_fd = -1;
}

/* Best effort: a full pty or a failing log must not stop the guest. */
static void write_some(int fd, const char *buf, size_t len)
{
    ssize_t r;

    while ( fd >= 0 && len )
    {
        r = write(fd, buf, len);
        if ( r < 0 && errno == EINTR )
            continue;
        if ( r <= 0 )
            return;
        buf += r;
        len -= (size_t)r;
    }
}

int console_pump_out(struct console *c, struct evtchn_handle *e)
{
    char buf[XENCONS_OUT_SIZE];
    bool consumed = false;
    int n;

    if ( c->broken || !c->intf )
        return c->broken ? -EIO : 0;
    /* Bounded: one ring's worth per call, so a chatty guest cannot starve others. */
    n = cons_ring_read_out(c->intf, buf, sizeof(buf));
    if ( n < 0 )
    {
        console_break(c, "output ring indices out of range");
        return -EIO;
    }
    if ( n > 0 )
    {
        consumed = true;
        write_some(c->log_fd, buf, (size_t)n);
        write_some(c->master_fd, buf, (size_t)n);
    }
    if ( consumed && c->local_port >= 0 )
        evtchn_notify(e, (uint32_t)c->local_port);
    return 0;
}

int console_in_room(struct console *c)
{
    int room;

    if ( c->broken || !c->intf || c->master_fd < 0 )
        return 0;
    room = cons_ring_in_space(c->intf);
    if ( room < 0 )
    {
        console_break(c, "input ring indices out of range");
        return 0;
    }
    return room;
}

int console_pump_in(struct console *c, struct evtchn_handle *e)
{
    char buf[XENCONS_IN_SIZE];
    int room = console_in_room(c), n;
    ssize_t r;

    if ( c->broken )
        return -EIO;
    if ( room <= 0 )
        return 0;
    r = read(c->master_fd, buf, (size_t)room);
    if ( r < 0 )
        return errno == EAGAIN || errno == EINTR ? 0 : -errno;
    if ( r == 0 )
        return 0;
    n = cons_ring_write_in(c->intf, buf, (size_t)r);
    if ( n < 0 )
    {
        console_break(c, "input ring indices out of range");
        return -EIO;
    }
    /* n < r only if the guest moved in_cons backwards meanwhile: drop the rest. */
    if ( c->local_port >= 0 )
        evtchn_notify(e, (uint32_t)c->local_port);
    return 0;
}

void console_release(struct console *c)
{
    if ( c->master_fd >= 0 )
        close(c->master_fd);
    if ( c->slave_fd >= 0 )
        close(c->slave_fd);
    if ( c->log_fd >= 0 )
        close(c->log_fd);
    free(c->name);
    free(c->tty_path);
    c->master_fd = c->slave_fd = c->log_fd = -1;
    c->name = c->tty_path = NULL;
}

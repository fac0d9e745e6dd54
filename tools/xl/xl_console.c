/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `xl console` client: relay between the user's terminal and the guest's
 * pty.  The terminal is put in raw mode so that every key, Ctrl-C
 * included, reaches the guest; only Ctrl-] is ours, and it detaches.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <tonnerre/xs.h>

#include "xl_console.h"

#define RELAY_BUF 4096
/* Internal: keep relaying (distinct from the XL_CONSOLE_* results). */
#define RELAY_MORE 2

size_t xl_console_scan_escape(const char *buf, size_t len, bool *escaped)
{
    const char *e = memchr(buf, XL_CONSOLE_ESCAPE, len);

    *escaped = e != NULL;
    return e ? (size_t)(e - buf) : len;
}

static int write_all(int fd, const char *buf, size_t len)
{
    ssize_t r;

    while ( len )
    {
        r = write(fd, buf, len);
        if ( r < 0 && (errno == EINTR || errno == EAGAIN) )
        {
            if ( errno == EAGAIN )
            {
                struct pollfd p = { .fd = fd, .events = POLLOUT };
                poll(&p, 1, 100);
            }
            continue;
        }
        if ( r < 0 )
            return -errno;
        buf += r;
        len -= (size_t)r;
    }
    return 0;
}

/* User input to the guest, cut at the escape byte. */
static int relay_input(int in_fd, int tty_fd)
{
    char buf[RELAY_BUF];
    bool escaped;
    size_t n;
    ssize_t r;
    int rc;

    r = read(in_fd, buf, sizeof(buf));
    if ( r < 0 )
        return errno == EINTR || errno == EAGAIN ? RELAY_MORE : -errno;
    if ( r == 0 )
        return XL_CONSOLE_DETACHED;        /* our input ended */
    n = xl_console_scan_escape(buf, (size_t)r, &escaped);
    if ( (rc = write_all(tty_fd, buf, n)) )
        return rc == -EIO ? XL_CONSOLE_CLOSED : rc;
    return escaped ? XL_CONSOLE_DETACHED : RELAY_MORE;
}

/* Guest output to the user. */
static int relay_output(int tty_fd, int out_fd)
{
    char buf[RELAY_BUF];
    ssize_t r;
    int rc;

    r = read(tty_fd, buf, sizeof(buf));
    if ( r < 0 && (errno == EINTR || errno == EAGAIN) )
        return RELAY_MORE;
    /* EIO on a pty whose master closed: xenconsoled let the console go. */
    if ( r <= 0 )
        return r == 0 || errno == EIO ? XL_CONSOLE_CLOSED : -errno;
    if ( (rc = write_all(out_fd, buf, (size_t)r)) )
        return rc;
    return RELAY_MORE;
}

int xl_console_relay(int in_fd, int out_fd, int tty_fd)
{
    struct pollfd p[2] = {
        { .fd = tty_fd, .events = POLLIN },
        { .fd = in_fd, .events = POLLIN },
    };
    int rc;

    for ( ;; )
    {
        if ( poll(p, 2, -1) < 0 )
        {
            if ( errno == EINTR )
                continue;
            return -errno;
        }
        /* Output first: what the guest said before we leave is shown. */
        if ( p[0].revents & (POLLIN | POLLHUP | POLLERR) )
        {
            if ( (rc = relay_output(tty_fd, out_fd)) != RELAY_MORE )
                return rc;
        }
        if ( p[1].revents & (POLLIN | POLLHUP | POLLERR) )
        {
            if ( (rc = relay_input(in_fd, tty_fd)) != RELAY_MORE )
                return rc;
        }
    }
}

int xl_console_attach_fds(int in_fd, int out_fd, const char *tty_path)
{
    struct termios saved, raw;
    bool restore = false;
    int tty_fd, rc;

    tty_fd = open(tty_path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if ( tty_fd < 0 )
        return -errno;
    if ( isatty(in_fd) && tcgetattr(in_fd, &saved) == 0 )
    {
        raw = saved;
        cfmakeraw(&raw);
        if ( tcsetattr(in_fd, TCSANOW, &raw) == 0 )
            restore = true;
    }
    rc = xl_console_relay(in_fd, out_fd, tty_fd);
    if ( restore )
        tcsetattr(in_fd, TCSANOW, &saved);
    close(tty_fd);
    return rc;
}

int xl_console_attach(const char *tty_path)
{
    return xl_console_attach_fds(STDIN_FILENO, STDOUT_FILENO, tty_path);
}

int xl_console_find_tty(struct xs_handle *xs, unsigned int domid,
                        unsigned int timeout_ms, char **path)
{
    const struct timespec step = { .tv_nsec = 50 * 1000 * 1000 };
    char node[64];
    unsigned int waited = 0;
    int rc;

    snprintf(node, sizeof(node), "/local/domain/%u/console/tty", domid);
    for ( ;; )
    {
        rc = xs_read(xs, XBT_NULL, node, path, NULL);
        if ( rc == 0 && **path )
            return 0;
        if ( rc == 0 )
        {
            free(*path);                   /* present but still empty */
            rc = -ENOENT;
        }
        if ( rc != -ENOENT || waited >= timeout_ms )
            return rc;
        nanosleep(&step, NULL);
        waited += 50;
    }
}

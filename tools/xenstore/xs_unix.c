/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unix-socket clients.  Sockets are non-blocking; a client is read only as
 * far as its connection has room (so a message is never half-consumed) and
 * written as far as the kernel takes.  A client that breaks the protocol or
 * hangs up is closed; that ends its watches and transactions.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "xs_unix.h"
#include "xs_util.h"

struct xs_unix_client {
    struct xs_unix_client *next;
    int fd;
    struct xs_conn *conn;
};

/* mkdir -p of the socket's directory. */
static int make_parent_dirs(const char *path)
{
    char *dir = xs_strdup(path), *p;
    int rc = 0;

    for ( p = dir + 1; (p = strchr(p, '/')); p++ )
    {
        *p = '\0';
        if ( mkdir(dir, 0755) && errno != EEXIST )
            rc = -errno;
        *p = '/';
    }
    free(dir);
    return rc;
}

int xs_unix_listen(struct xs_unix *u, const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int rc;

    memset(u, 0, sizeof(*u));
    u->lfd = -1;
    if ( strlen(path) >= sizeof(sa.sun_path) )
        return -ENAMETOOLONG;
    if ( (rc = make_parent_dirs(path)) )
        return rc;
    strcpy(sa.sun_path, path);
    unlink(path);
    u->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if ( u->lfd < 0 )
        return -errno;
    if ( bind(u->lfd, (struct sockaddr *)&sa, sizeof(sa)) || chmod(path, 0600) ||
         listen(u->lfd, 32) )
    {
        rc = -errno;
        close(u->lfd);
        u->lfd = -1;
        return rc;
    }
    u->path = xs_strdup(path);
    return 0;
}

static void client_close(struct xs_unix *u, struct xs_unix_client *cl)
{
    struct xs_unix_client **pp;

    for ( pp = &u->clients; *pp; pp = &(*pp)->next )
        if ( *pp == cl )
        {
            *pp = cl->next;
            break;
        }
    u->nr_clients--;
    close(cl->fd);
    xs_conn_free(cl->conn);
    free(cl);
}

void xs_unix_close(struct xs_unix *u)
{
    while ( u->clients )
        client_close(u, u->clients);
    if ( u->lfd >= 0 )
        close(u->lfd);
    if ( u->path )
        unlink(u->path);
    free(u->path);
    u->path = NULL;
    u->lfd = -1;
}

static void accept_clients(struct xs_unix *u, struct xs_state *s)
{
    struct xs_unix_client *cl;
    int fd;

    while ( (fd = accept4(u->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0 )
    {
        cl = xs_zalloc(sizeof(*cl));
        cl->fd = fd;
        cl->conn = xs_conn_new(s, 0, true);
        cl->conn->transport = cl;
        cl->next = u->clients;
        u->clients = cl;
        u->nr_clients++;
    }
}

unsigned int xs_unix_pollfds(struct xs_unix *u, struct pollfd *fds, unsigned int max)
{
    struct xs_unix_client *cl;
    const uint8_t *data;
    unsigned int n = 0;

    if ( max == 0 )
        return 0;
    fds[n++] = (struct pollfd){ .fd = u->lfd, .events = POLLIN };
    for ( cl = u->clients; cl && n < max; cl = cl->next )
    {
        fds[n].fd = cl->fd;
        fds[n].events = (xs_conn_input_room(cl->conn) ? POLLIN : 0) |
                        (xs_conn_out_peek(cl->conn, &data) ? POLLOUT : 0);
        fds[n++].revents = 0;
    }
    return n;
}

/* false: the client is gone or broken and must be closed. */
static bool client_read(struct xs_unix_client *cl)
{
    char buf[XS_HDR_SIZE + XENSTORE_PAYLOAD_MAX];
    size_t room;
    ssize_t got;

    while ( (room = xs_conn_input_room(cl->conn)) )
    {
        got = read(cl->fd, buf, room < sizeof(buf) ? room : sizeof(buf));
        if ( got == 0 )
            return false;
        if ( got < 0 )
            return errno == EAGAIN || errno == EINTR;
        xs_conn_feed(cl->conn, buf, (size_t)got);
    }
    return !cl->conn->error;
}

static bool client_write(struct xs_unix_client *cl)
{
    const uint8_t *data;
    size_t len;
    ssize_t put;

    while ( (len = xs_conn_out_peek(cl->conn, &data)) )
    {
        put = send(cl->fd, data, len, MSG_NOSIGNAL);
        if ( put < 0 )
            return errno == EAGAIN || errno == EINTR;
        xs_conn_out_consume(cl->conn, (size_t)put);
    }
    return true;
}

static struct xs_unix_client *client_by_fd(struct xs_unix *u, int fd)
{
    struct xs_unix_client *cl;

    for ( cl = u->clients; cl; cl = cl->next )
        if ( cl->fd == fd )
            return cl;
    return NULL;
}

void xs_unix_handle(struct xs_unix *u, struct xs_state *s, const struct pollfd *fds,
                    unsigned int n)
{
    struct xs_unix_client *cl;
    unsigned int i;
    bool ok;

    for ( i = 1; i < n; i++ )
    {
        if ( !fds[i].revents || !(cl = client_by_fd(u, fds[i].fd)) )
            continue;
        ok = !(fds[i].revents & (POLLERR | POLLNVAL));
        if ( ok && (fds[i].revents & (POLLIN | POLLHUP)) )
            ok = client_read(cl);
        if ( ok )
            ok = client_write(cl);
        if ( !ok )
            client_close(u, cl);
    }
    if ( n && (fds[0].revents & POLLIN) )
        accept_clients(u, s);
}

void xs_unix_flush(struct xs_unix *u)
{
    struct xs_unix_client *cl, *next;

    for ( cl = u->clients; cl; cl = next )
    {
        next = cl->next;
        if ( !client_write(cl) )
            client_close(u, cl);
    }
}

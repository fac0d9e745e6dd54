/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenstore client: requests out, replies in, watch events queued.
 *
 * The connection carries one request at a time.  xenstored may send a
 * watch event at any moment, so a reply is awaited by reading messages
 * until one that is not an event comes, queueing the events on the way.
 * Replies are checked against the request (req_id, size) because a
 * confused peer must give an error, not a misparsed answer.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <tonnerre/xs.h>

#include "xs_wire_client.h"

struct xs_event {
    struct xs_event *next;
    char *payload;                     /* "path\0token\0", as received */
    unsigned int len;
};

struct xs_handle {
    int fd;
    bool is_socket;                    /* else /dev/xen/xenbus */
    uint32_t next_req_id;
    struct xs_event *events, **events_tail;
};

/* The errno names xenstored sends (xs_wire.h's table). */
static const struct { const char *name; int err; } xs_errors[] = {
    { "EINVAL", EINVAL }, { "EACCES", EACCES }, { "EEXIST", EEXIST },
    { "EISDIR", EISDIR }, { "ENOENT", ENOENT }, { "ENOMEM", ENOMEM },
    { "ENOSPC", ENOSPC }, { "EIO", EIO }, { "ENOTEMPTY", ENOTEMPTY },
    { "ENOSYS", ENOSYS }, { "EROFS", EROFS }, { "EBUSY", EBUSY },
    { "EAGAIN", EAGAIN }, { "EISCONN", EISCONN }, { "E2BIG", E2BIG },
    { "EPERM", EPERM },
};

int xs_errno_from_name(const char *name)
{
    size_t i;

    for ( i = 0; i < sizeof(xs_errors) / sizeof(xs_errors[0]); i++ )
        if ( !strcmp(name, xs_errors[i].name) )
            return xs_errors[i].err;
    return EINVAL;
}

/* --- connection ---------------------------------------------------------- */

struct xs_handle *xs_open_fd(int fd)
{
    struct xs_handle *h = calloc(1, sizeof(*h));
    struct stat st;

    if ( !h )
        return NULL;
    h->fd = fd;
    h->is_socket = fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
    h->events_tail = &h->events;
    return h;
}

static int connect_socket(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd, saved;

    if ( strlen(path) >= sizeof(addr.sun_path) )
    {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(addr.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if ( fd < 0 )
        return -1;
    if ( connect(fd, (struct sockaddr *)&addr, sizeof(addr)) )
    {
        saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

struct xs_handle *xs_open(unsigned int flags)
{
    const char *path = getenv("XENSTORED_PATH");
    struct xs_handle *h;
    int fd, saved;

    fd = connect_socket(path && *path ? path : XS_DEFAULT_SOCKET);
    /* No daemon in this domain: the kernel forwards to wherever xenstored runs. */
    if ( fd < 0 && !(flags & XS_OPEN_SOCKETONLY) )
        fd = open(XS_KERNEL_DEVICE, O_RDWR | O_CLOEXEC);
    if ( fd < 0 )
        return NULL;
    if ( !(h = xs_open_fd(fd)) )
    {
        saved = errno;
        close(fd);
        errno = saved;
    }
    return h;
}

void xs_close(struct xs_handle *h)
{
    struct xs_event *e, *next;

    if ( !h )
        return;
    for ( e = h->events; e; e = next )
    {
        next = e->next;
        free(e->payload);
        free(e);
    }
    close(h->fd);
    free(h);
}

int xs_fileno(struct xs_handle *h)
{
    return h->fd;
}

/* --- messages ------------------------------------------------------------ */

/*
 * Sockets are written with MSG_NOSIGNAL: a xenstored that went away must
 * give its clients -EPIPE, not kill them with SIGPIPE.
 */
static int write_all(struct xs_handle *h, const void *buf, size_t len)
{
    const char *p = buf;
    ssize_t r;

    while ( len )
    {
        r = h->is_socket ? send(h->fd, p, len, MSG_NOSIGNAL) : write(h->fd, p, len);
        if ( r < 0 && errno == EINTR )
            continue;
        if ( r <= 0 )
            return r < 0 ? -errno : -EIO;
        p += r;
        len -= (size_t)r;
    }
    return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
    char *p = buf;
    ssize_t r;

    while ( len )
    {
        r = read(fd, p, len);
        if ( r < 0 && errno == EINTR )
            continue;
        if ( r < 0 )
            return -errno;
        if ( r == 0 )
            return -ECONNRESET;            /* xenstored went away */
        p += r;
        len -= (size_t)r;
    }
    return 0;
}

/* One whole message; the payload gets a NUL after it for the string parsers. */
static int read_msg(struct xs_handle *h, struct xsc_msg_header *hdr, char **payload)
{
    char *body;
    int rc;

    if ( (rc = read_all(h->fd, hdr, sizeof(*hdr))) )
        return rc;
    if ( hdr->len > XSC_PAYLOAD_MAX )
        return -EIO;
    if ( !(body = malloc(hdr->len + 1)) )
        return -ENOMEM;
    if ( (rc = read_all(h->fd, body, hdr->len)) )
    {
        free(body);
        return rc;
    }
    body[hdr->len] = '\0';
    *payload = body;
    return 0;
}

static int queue_event(struct xs_handle *h, char *payload, unsigned int len)
{
    struct xs_event *e = malloc(sizeof(*e));

    if ( !e )
    {
        free(payload);
        return -ENOMEM;
    }
    e->next = NULL;
    e->payload = payload;
    e->len = len;
    *h->events_tail = e;
    h->events_tail = &e->next;
    return 0;
}

/*
 * Send type with the iovec-like parts concatenated as payload, wait for
 * the reply (queueing events), return its payload (NUL-terminated) and
 * length.  An XS_ERROR reply becomes -errno.
 */
static int xs_talk(struct xs_handle *h, xs_transaction_t t, enum xs_msg_type type,
                   const void *const *parts, const unsigned int *lens,
                   unsigned int nr_parts, char **reply, unsigned int *reply_len)
{
    struct xsc_msg_header hdr = { .type = type, .tx_id = t };
    char buf[sizeof(hdr) + XSC_PAYLOAD_MAX], *body;
    size_t len = 0;
    unsigned int i;
    int rc;

    for ( i = 0; i < nr_parts; i++ )
    {
        if ( lens[i] > XSC_PAYLOAD_MAX - len )
            return -E2BIG;
        memcpy(buf + sizeof(hdr) + len, parts[i], lens[i]);
        len += lens[i];
    }
    hdr.req_id = h->next_req_id++;
    hdr.len = (uint32_t)len;
    memcpy(buf, &hdr, sizeof(hdr));
    /* One write: /dev/xen/xenbus wants a message per write where it can. */
    if ( (rc = write_all(h, buf, sizeof(hdr) + len)) )
        return rc;

    for ( ;; )
    {
        struct xsc_msg_header rh;

        if ( (rc = read_msg(h, &rh, &body)) )
            return rc;
        if ( rh.type == XSC_WATCH_EVENT )
        {
            if ( (rc = queue_event(h, body, rh.len)) )
                return rc;
            continue;
        }
        if ( rh.req_id != hdr.req_id )
        {
            free(body);
            return -EIO;
        }
        if ( rh.type == XSC_ERROR )
        {
            rc = -xs_errno_from_name(body);
            free(body);
            return rc;
        }
        if ( rh.type != hdr.type )
        {
            free(body);
            return -EIO;
        }
        if ( reply )
        {
            *reply = body;
            if ( reply_len )
                *reply_len = rh.len;
        }
        else
            free(body);
        return 0;
    }
}

/* Requests whose payload is a list of NUL-terminated strings. */
static int xs_talk_strings(struct xs_handle *h, xs_transaction_t t,
                           enum xs_msg_type type, const char *const *strs,
                           unsigned int nr, char **reply, unsigned int *reply_len)
{
    const void *parts[4];
    unsigned int lens[4], i;

    if ( nr > 4 )
        return -EINVAL;
    for ( i = 0; i < nr; i++ )
    {
        size_t n = strlen(strs[i]) + 1;

        if ( n > XSC_PAYLOAD_MAX )
            return -E2BIG;
        parts[i] = strs[i];
        lens[i] = (unsigned int)n;
    }
    return xs_talk(h, t, type, parts, lens, nr, reply, reply_len);
}

static int xs_simple(struct xs_handle *h, xs_transaction_t t,
                     enum xs_msg_type type, const char *arg)
{
    return xs_talk_strings(h, t, type, &arg, 1, NULL, NULL);
}

/* --- nodes --------------------------------------------------------------- */

int xs_read(struct xs_handle *h, xs_transaction_t t, const char *path,
            char **value, unsigned int *len)
{
    return xs_talk_strings(h, t, XSC_READ, &path, 1, value, len);
}

int xs_write(struct xs_handle *h, xs_transaction_t t, const char *path,
             const void *data, unsigned int len)
{
    const void *parts[2] = { path, data };
    size_t plen = strlen(path) + 1;
    unsigned int lens[2] = { (unsigned int)plen, len };

    if ( plen > XSC_PAYLOAD_MAX )
        return -E2BIG;
    /* The value follows the path's NUL and has none of its own. */
    return xs_talk(h, t, XSC_WRITE, parts, lens, 2, NULL, NULL);
}

int xs_mkdir(struct xs_handle *h, xs_transaction_t t, const char *path)
{
    return xs_simple(h, t, XSC_MKDIR, path);
}

int xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path)
{
    return xs_simple(h, t, XSC_RM, path);
}

/*
 * Split "a\0b\0c\0" into a vector in one allocation: the pointers first,
 * then a copy of the strings.  A final string without its NUL still counts.
 */
static int split_strings(const char *buf, unsigned int len, char ***out,
                         unsigned int *num)
{
    unsigned int n = 0, i;
    char **vec, *copy;
    const char *p;

    for ( i = 0; i < len; i++ )
        if ( buf[i] == '\0' )
            n++;
    if ( len && buf[len - 1] != '\0' )
        n++;
    vec = malloc((n + 1) * sizeof(*vec) + len + 1);
    if ( !vec )
        return -ENOMEM;
    copy = (char *)(vec + n + 1);
    memcpy(copy, buf, len);
    copy[len] = '\0';
    for ( i = 0, p = copy; i < n; i++ )
    {
        vec[i] = (char *)p;
        p += strlen(p) + 1;
    }
    vec[n] = NULL;
    *out = vec;
    *num = n;
    return 0;
}

int xs_directory(struct xs_handle *h, xs_transaction_t t, const char *path,
                 char ***names, unsigned int *num)
{
    char *reply;
    unsigned int len;
    int rc;

    if ( (rc = xs_talk_strings(h, t, XSC_DIRECTORY, &path, 1, &reply, &len)) )
        return rc;
    rc = split_strings(reply, len, names, num);
    free(reply);
    return rc;
}

/* "r5" -> {5, READ}. */
static int parse_perm(const char *s, struct xs_permissions *p)
{
    unsigned long id;
    char *end;

    switch ( s[0] )
    {
    case 'n': p->perms = XS_PERM_NONE; break;
    case 'r': p->perms = XS_PERM_READ; break;
    case 'w': p->perms = XS_PERM_WRITE; break;
    case 'b': p->perms = XS_PERM_BOTH; break;
    default: return -EIO;
    }
    if ( s[1] < '0' || s[1] > '9' )
        return -EIO;
    errno = 0;
    id = strtoul(s + 1, &end, 10);
    if ( *end || errno || id > 0xffff )
        return -EIO;
    p->id = (unsigned int)id;
    return 0;
}

int xs_get_permissions(struct xs_handle *h, xs_transaction_t t, const char *path,
                       struct xs_permissions **perms, unsigned int *num)
{
    char *reply, **vec = NULL;
    unsigned int len, n = 0, i;
    struct xs_permissions *p = NULL;
    int rc;

    if ( (rc = xs_talk_strings(h, t, XSC_GET_PERMS, &path, 1, &reply, &len)) )
        return rc;
    if ( (rc = split_strings(reply, len, &vec, &n)) )
        goto out;
    rc = -EIO;
    if ( !n )
        goto out;
    rc = -ENOMEM;
    if ( !(p = calloc(n, sizeof(*p))) )
        goto out;
    for ( i = 0; i < n; i++ )
        if ( (rc = parse_perm(vec[i], &p[i])) )
            goto out;
    *perms = p;
    *num = n;
    p = NULL;
    rc = 0;
 out:
    free(p);
    free(vec);
    free(reply);
    return rc;
}

int xs_set_permissions(struct xs_handle *h, xs_transaction_t t, const char *path,
                       const struct xs_permissions *perms, unsigned int num)
{
    static const char letters[] = "nrwb";
    char buf[XSC_PAYLOAD_MAX];
    size_t len, n;
    unsigned int i;
    const void *parts[1] = { buf };
    unsigned int lens[1];

    if ( !num )
        return -EINVAL;
    len = strlen(path) + 1;
    if ( len > sizeof(buf) )
        return -E2BIG;
    memcpy(buf, path, len);
    for ( i = 0; i < num; i++ )
    {
        if ( perms[i].perms > XS_PERM_BOTH || perms[i].id > 0xffff )
            return -EINVAL;
        n = (size_t)snprintf(buf + len, sizeof(buf) - len, "%c%u",
                             letters[perms[i].perms], perms[i].id);
        if ( n + 1 > sizeof(buf) - len )
            return -E2BIG;
        len += n + 1;
    }
    lens[0] = (unsigned int)len;
    return xs_talk(h, t, XSC_SET_PERMS, parts, lens, 1, NULL, NULL);
}

/* --- watches ------------------------------------------------------------- */

int xs_watch(struct xs_handle *h, const char *path, const char *token)
{
    const char *s[2] = { path, token };

    return xs_talk_strings(h, XBT_NULL, XSC_WATCH, s, 2, NULL, NULL);
}

int xs_unwatch(struct xs_handle *h, const char *path, const char *token)
{
    const char *s[2] = { path, token };

    return xs_talk_strings(h, XBT_NULL, XSC_UNWATCH, s, 2, NULL, NULL);
}

/* Hand out the first queued event as a 2-string vector. */
static int pop_event(struct xs_handle *h, char ***vec, unsigned int *num)
{
    struct xs_event *e = h->events;
    unsigned int n;
    int rc;

    h->events = e->next;
    if ( !h->events )
        h->events_tail = &h->events;
    rc = split_strings(e->payload, e->len, vec, &n);
    free(e->payload);
    free(e);
    if ( rc )
        return rc;
    if ( n < 2 )
    {
        /* An event without path and token is a protocol error. */
        free(*vec);
        *vec = NULL;
        return -EIO;
    }
    if ( num )
        *num = 2;
    return 0;
}

/* Read messages off the wire until one event is queued. */
static int fetch_event(struct xs_handle *h)
{
    struct xsc_msg_header hdr;
    char *body;
    int rc;

    if ( (rc = read_msg(h, &hdr, &body)) )
        return rc;
    if ( hdr.type != XSC_WATCH_EVENT )
    {
        /* No request is in flight: a reply now is a peer bug. */
        free(body);
        return -EIO;
    }
    return queue_event(h, body, hdr.len);
}

int xs_read_watch(struct xs_handle *h, char ***vec, unsigned int *num)
{
    int rc;

    if ( !h->events && (rc = fetch_event(h)) )
        return rc;
    return pop_event(h, vec, num);
}

int xs_check_watch(struct xs_handle *h, char ***vec, unsigned int *num)
{
    struct pollfd pfd = { .fd = h->fd, .events = POLLIN };
    int rc;

    if ( !h->events )
    {
        rc = poll(&pfd, 1, 0);
        if ( rc < 0 )
            return -errno;
        if ( rc == 0 )
            return -EAGAIN;
        if ( (rc = fetch_event(h)) )
            return rc;
    }
    return pop_event(h, vec, num);
}

/* --- transactions and domains ------------------------------------------ */

/* A decimal number reply ("17\0"). */
static int parse_uint_reply(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long v;

    if ( *s < '0' || *s > '9' )
        return -EIO;
    errno = 0;
    v = strtoul(s, &end, 10);
    if ( *end || errno || v > max )
        return -EIO;
    *out = v;
    return 0;
}

int xs_transaction_start(struct xs_handle *h, xs_transaction_t *t)
{
    const char *empty = "";
    unsigned long id;
    char *reply;
    int rc;

    if ( (rc = xs_talk_strings(h, XBT_NULL, XSC_TRANSACTION_START, &empty, 1,
                               &reply, NULL)) )
        return rc;
    rc = parse_uint_reply(reply, UINT32_MAX, &id);
    free(reply);
    if ( !rc && id == XBT_NULL )
        rc = -EIO;
    if ( !rc )
        *t = (xs_transaction_t)id;
    return rc;
}

int xs_transaction_end(struct xs_handle *h, xs_transaction_t t, bool abort)
{
    return xs_simple(h, t, XSC_TRANSACTION_END, abort ? "F" : "T");
}

int xs_introduce_domain(struct xs_handle *h, unsigned int domid,
                        unsigned long gfn, unsigned int port)
{
    char d[16], g[24], p[16];
    const char *s[3] = { d, g, p };

    snprintf(d, sizeof(d), "%u", domid);
    snprintf(g, sizeof(g), "%lu", gfn);
    snprintf(p, sizeof(p), "%u", port);
    return xs_talk_strings(h, XBT_NULL, XSC_INTRODUCE, s, 3, NULL, NULL);
}

static int domid_request(struct xs_handle *h, enum xs_msg_type type,
                         unsigned int domid, char **reply)
{
    char d[16];
    const char *s = d;

    snprintf(d, sizeof(d), "%u", domid);
    return xs_talk_strings(h, XBT_NULL, type, &s, 1, reply, NULL);
}

int xs_release_domain(struct xs_handle *h, unsigned int domid)
{
    return domid_request(h, XSC_RELEASE, domid, NULL);
}

int xs_get_domain_path(struct xs_handle *h, unsigned int domid, char **path)
{
    return domid_request(h, XSC_GET_DOMAIN_PATH, domid, path);
}

int xs_is_domain_introduced(struct xs_handle *h, unsigned int domid)
{
    char *reply;
    int rc;

    if ( (rc = domid_request(h, XSC_IS_DOMAIN_INTRODUCED, domid, &reply)) )
        return rc;
    rc = !strcmp(reply, "T") ? 1 : !strcmp(reply, "F") ? 0 : -EIO;
    free(reply);
    return rc;
}

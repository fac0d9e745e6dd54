/* SPDX-License-Identifier: GPL-2.0 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

/* Events that arrived before the reply h_call was waiting for. */
struct stashed_event {
    struct xs_conn *conn;
    char path[XENSTORE_PAYLOAD_MAX];
    char token[XENSTORE_PAYLOAD_MAX];
};
#define STASH_MAX 256
static struct stashed_event stash[STASH_MAX];
static unsigned int nr_stash;
static uint32_t next_req_id = 1;

struct xs_state *h_init(void)
{
    struct xs_state *s = calloc(1, sizeof(*s));

    xs_state_init(s);
    xs_state_populate(s);
    nr_stash = 0;
    return s;
}

void h_fini(struct xs_state *s)
{
    xs_state_fini(s);
    free(s);
    nr_stash = 0;
}

struct xs_conn *h_dom0(struct xs_state *s)
{
    return xs_conn_new(s, 0, true);
}

struct xs_conn *h_domu(struct xs_state *s, uint16_t domid)
{
    return xs_conn_new(s, domid, false);
}

static bool out_copy(struct xs_conn *c, void *buf, size_t len)
{
    const uint8_t *data;
    size_t got = 0, n;

    while ( got < len && (n = xs_conn_out_peek(c, &data)) )
    {
        if ( n > len - got )
            n = len - got;
        memcpy((uint8_t *)buf + got, data, n);
        xs_conn_out_consume(c, n);
        got += n;
    }
    return got == len;
}

bool h_pop(struct xs_conn *c, struct h_msg *m)
{
    const uint8_t *data;

    memset(m, 0, sizeof(*m));
    if ( !xs_conn_out_peek(c, &data) )
        return false;
    assert_true(out_copy(c, &m->hdr, sizeof(m->hdr)));
    assert_true(m->hdr.len <= XENSTORE_PAYLOAD_MAX);
    assert_true(out_copy(c, m->data, m->hdr.len));
    return true;
}

static void stash_event(struct xs_conn *c, const struct h_msg *m)
{
    struct stashed_event *e;

    assert_true(nr_stash < STASH_MAX);
    e = &stash[nr_stash++];
    e->conn = c;
    /* WATCH_EVENT: <path>|<token>| */
    assert_int_equal(m->data[m->hdr.len - 1], '\0');
    strcpy(e->path, m->data);
    strcpy(e->token, m->data + strlen(m->data) + 1);
}

int h_errno_of(const char *name)
{
    static const struct { int err; const char *name; } map[] = {
        { EINVAL, "EINVAL" }, { EACCES, "EACCES" }, { EEXIST, "EEXIST" },
        { EISDIR, "EISDIR" }, { ENOENT, "ENOENT" }, { ENOMEM, "ENOMEM" },
        { ENOSPC, "ENOSPC" }, { EIO, "EIO" }, { ENOTEMPTY, "ENOTEMPTY" },
        { ENOSYS, "ENOSYS" }, { EROFS, "EROFS" }, { EBUSY, "EBUSY" },
        { EAGAIN, "EAGAIN" }, { EISCONN, "EISCONN" }, { E2BIG, "E2BIG" },
        { EPERM, "EPERM" },
    };
    size_t i;

    for ( i = 0; i < sizeof(map) / sizeof(map[0]); i++ )
        if ( strcmp(map[i].name, name) == 0 )
            return map[i].err;
    fail_msg("unknown error name '%s'", name);
    return -1;
}

int h_call(struct xs_conn *c, uint32_t type, uint32_t tx, const void *payload,
           size_t len, struct h_msg *reply)
{
    struct xsd_sockmsg hdr = { .type = type, .req_id = next_req_id++, .tx_id = tx,
                               .len = (uint32_t)len };
    struct h_msg local, *m = reply ? reply : &local;

    assert_int_equal(xs_conn_feed(c, &hdr, sizeof(hdr)), sizeof(hdr));
    if ( len )
        assert_int_equal(xs_conn_feed(c, payload, len), len);
    for ( ;; )
    {
        assert_true(h_pop(c, m));
        if ( m->hdr.type != XS_WATCH_EVENT )
            break;
        stash_event(c, m);
    }
    assert_int_equal(m->hdr.req_id, hdr.req_id);
    assert_int_equal(m->hdr.tx_id, hdr.tx_id);
    if ( m->hdr.type == XS_ERROR )
    {
        assert_int_equal(m->data[m->hdr.len - 1], '\0');
        return h_errno_of(m->data);
    }
    assert_int_equal(m->hdr.type, type);
    return 0;
}

int h_callv(struct xs_conn *c, uint32_t type, uint32_t tx, struct h_msg *reply, ...)
{
    char buf[XENSTORE_PAYLOAD_MAX * 2];
    size_t len = 0, l;
    const char *s;
    va_list ap;

    va_start(ap, reply);
    while ( (s = va_arg(ap, const char *)) )
    {
        l = strlen(s) + 1;
        assert_true(len + l <= sizeof(buf));
        memcpy(buf + len, s, l);
        len += l;
    }
    va_end(ap);
    return h_call(c, type, tx, buf, len, reply);
}

bool h_event(struct xs_conn *c, char *path, size_t psize, char *token, size_t tsize)
{
    struct h_msg m;
    unsigned int i;

    for ( i = 0; i < nr_stash; i++ )
        if ( stash[i].conn == c )
        {
            snprintf(path, psize, "%s", stash[i].path);
            snprintf(token, tsize, "%s", stash[i].token);
            memmove(&stash[i], &stash[i + 1], (nr_stash - i - 1) * sizeof(stash[0]));
            nr_stash--;
            return true;
        }
    while ( h_pop(c, &m) )
    {
        assert_int_equal(m.hdr.type, XS_WATCH_EVENT);
        assert_int_equal(m.hdr.req_id, 0);
        assert_int_equal(m.hdr.tx_id, 0);
        snprintf(path, psize, "%s", m.data);
        snprintf(token, tsize, "%s", m.data + strlen(m.data) + 1);
        return true;
    }
    return false;
}

void h_events_clear(struct xs_conn *c)
{
    char p[XENSTORE_PAYLOAD_MAX], t[XENSTORE_PAYLOAD_MAX];

    while ( h_event(c, p, sizeof(p), t, sizeof(t)) )
        ;
}

int h_write(struct xs_conn *c, uint32_t tx, const char *path, const char *value)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    size_t pl = strlen(path) + 1, vl = strlen(value);

    assert_true(pl + vl <= sizeof(buf));
    memcpy(buf, path, pl);
    memcpy(buf + pl, value, vl);
    return h_call(c, XS_WRITE, tx, buf, pl + vl, NULL);
}

int h_read(struct xs_conn *c, uint32_t tx, const char *path, char *out, size_t size)
{
    struct h_msg m;
    int rc = h_callv(c, XS_READ, tx, &m, path, NULL);

    if ( !rc && out )
        snprintf(out, size, "%.*s", (int)m.hdr.len, m.data);
    return rc;
}

int h_mkdir(struct xs_conn *c, uint32_t tx, const char *path)
{
    return h_callv(c, XS_MKDIR, tx, NULL, path, NULL);
}

int h_rm(struct xs_conn *c, uint32_t tx, const char *path)
{
    return h_callv(c, XS_RM, tx, NULL, path, NULL);
}

int h_setperms(struct xs_conn *c, uint32_t tx, const char *path, ...)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    size_t len = strlen(path) + 1, l;
    const char *s;
    va_list ap;

    memcpy(buf, path, len);
    va_start(ap, path);
    while ( (s = va_arg(ap, const char *)) )
    {
        l = strlen(s) + 1;
        memcpy(buf + len, s, l);
        len += l;
    }
    va_end(ap);
    return h_call(c, XS_SET_PERMS, tx, buf, len, NULL);
}

int h_watch(struct xs_conn *c, const char *path, const char *token)
{
    return h_callv(c, XS_WATCH, 0, NULL, path, token, NULL);
}

int h_txn_start(struct xs_conn *c, uint32_t *id)
{
    struct h_msg m;
    int rc = h_callv(c, XS_TRANSACTION_START, 0, &m, "", NULL);

    if ( !rc )
        *id = (uint32_t)strtoul(m.data, NULL, 10);
    return rc;
}

int h_txn_end(struct xs_conn *c, uint32_t id, bool commit)
{
    return h_callv(c, XS_TRANSACTION_END, id, NULL, commit ? "T" : "F", NULL);
}

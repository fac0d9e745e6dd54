/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Connections: assembling requests from a byte stream and queueing replies.
 * The header is checked as soon as its 16 bytes are in: a payload longer
 * than XENSTORE_PAYLOAD_MAX cannot be skipped safely (we would have to trust
 * the length to find the next message), so the connection is cut off, as
 * docs/misc/xenstore.txt prescribes.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "xs_core.h"
#include "xs_util.h"

struct xs_conn *xs_conn_new(struct xs_state *s, uint16_t domid, bool privileged)
{
    struct xs_conn *c = xs_zalloc(sizeof(*c));

    c->state = s;
    c->caller.domid = domid;
    c->caller.privileged = privileged;
    c->next = s->conns;
    s->conns = c;
    return c;
}

static void out_free_all(struct xs_conn *c)
{
    struct xs_msg *m, *next;

    for ( m = c->out_head; m; m = next )
    {
        next = m->next;
        free(m);
    }
    c->out_head = c->out_tail = NULL;
    c->out_bytes = 0;
}

void xs_conn_reset(struct xs_conn *c)
{
    xs_watch_remove_all(c);
    xs_txn_abort_all(c);
    out_free_all(c);
    c->in_used = 0;
    c->error = XENSTORE_ERROR_NONE;
}

static void conn_unlink(struct xs_conn *c)
{
    struct xs_conn **pp;

    for ( pp = &c->state->conns; *pp; pp = &(*pp)->next )
        if ( *pp == c )
        {
            *pp = c->next;
            return;
        }
}

void xs_conn_free(struct xs_conn *c)
{
    if ( !c )
        return;
    xs_conn_reset(c);
    conn_unlink(c);
    free(c);
}

/* The assembled header's len field (the buffer is bytes: no alignment). */
static uint32_t in_len(const struct xs_conn *c)
{
    uint32_t len;

    memcpy(&len, c->in + offsetof(struct xsd_sockmsg, len), sizeof(len));
    return len;
}

/* Bytes still needed to finish the header or the payload in progress. */
size_t xs_conn_input_room(const struct xs_conn *c)
{
    if ( c->error )
        return 0;
    if ( c->in_used < XS_HDR_SIZE )
        return c->in_used == 0 && c->out_bytes >= XS_OUT_LIMIT
               ? 0 : XS_HDR_SIZE - c->in_used;
    return XS_HDR_SIZE + in_len(c) - c->in_used;
}

/* One line per message: which connection, the header, and the payload
 * with NULs shown as '|' and anything unprintable as '.' (first 80). */
static void trace_msg(struct xs_conn *c, const char *dir, const struct xsd_sockmsg *h,
                      const uint8_t *payload)
{
    FILE *f = c->state->trace;
    char text[81];
    size_t i, n = h->len < 80 ? h->len : 80;

    if ( !f )
        return;
    for ( i = 0; i < n; i++ )
        text[i] = payload[i] == '\0' ? '|' :
                  (payload[i] >= 0x20 && payload[i] < 0x7f) ? (char)payload[i] : '.';
    text[n] = '\0';
    fprintf(f, "%s %p dom%u type %u req %u tx %u len %u %s\n", dir, (void *)c,
            c->caller.domid, h->type, h->req_id, h->tx_id, h->len, text);
    fflush(f);
}

static void message_complete(struct xs_conn *c)
{
    struct xsd_sockmsg hdr;

    memcpy(&hdr, c->in, sizeof(hdr));
    c->in[XS_HDR_SIZE + hdr.len] = '\0';
    c->in_used = 0;
    trace_msg(c, "IN ", &hdr, c->in + XS_HDR_SIZE);
    xs_proto_dispatch(c, &hdr, (const char *)c->in + XS_HDR_SIZE);
}

size_t xs_conn_feed(struct xs_conn *c, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    size_t done = 0, n;

    while ( done < len && (n = xs_conn_input_room(c)) )
    {
        if ( n > len - done )
            n = len - done;
        memcpy(c->in + c->in_used, p + done, n);
        c->in_used += n;
        done += n;
        if ( c->in_used == XS_HDR_SIZE && in_len(c) > XENSTORE_PAYLOAD_MAX )
        {
            c->error = XENSTORE_ERROR_PROTO;
            break;
        }
        if ( c->in_used >= XS_HDR_SIZE && c->in_used == XS_HDR_SIZE + in_len(c) )
            message_complete(c);
    }
    return done;
}

static void out_append(struct xs_conn *c, struct xs_msg *m)
{
    if ( c->out_tail )
        c->out_tail->next = m;
    else
        c->out_head = m;
    c->out_tail = m;
    c->out_bytes += m->len;
}

void xs_conn_send(struct xs_conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
                  const void *payload, size_t len)
{
    struct xsd_sockmsg hdr = {
        .type = type, .req_id = req_id, .tx_id = tx_id, .len = (uint32_t)len,
    };
    struct xs_msg *m;

    if ( c->error )
        return;
    m = xs_zalloc(sizeof(*m) + XS_HDR_SIZE + len);
    m->len = XS_HDR_SIZE + len;
    memcpy(m->data, &hdr, XS_HDR_SIZE);
    if ( len )
        memcpy(m->data + XS_HDR_SIZE, payload, len);
    trace_msg(c, "OUT", &hdr, m->data + XS_HDR_SIZE);
    out_append(c, m);
}

void xs_conn_send_event(struct xs_conn *c, const char *path, const char *token)
{
    size_t plen = strlen(path) + 1, tlen = strlen(token) + 1;
    char buf[XENSTORE_PAYLOAD_MAX];

    if ( plen + tlen > sizeof(buf) )
        return;
    if ( !c->caller.privileged && c->out_bytes >= XS_OUT_EVENT_LIMIT )
    {
        c->events_dropped++;
        return;
    }
    memcpy(buf, path, plen);
    memcpy(buf + plen, token, tlen);
    xs_conn_send(c, XS_WATCH_EVENT, 0, 0, buf, plen + tlen);
}

size_t xs_conn_out_peek(const struct xs_conn *c, const uint8_t **data)
{
    const struct xs_msg *m = c->out_head;

    if ( !m )
        return 0;
    *data = m->data + m->off;
    return m->len - m->off;
}

void xs_conn_out_consume(struct xs_conn *c, size_t n)
{
    struct xs_msg *m = c->out_head;

    while ( m && n )
    {
        size_t take = m->len - m->off < n ? m->len - m->off : n;

        m->off += take;
        n -= take;
        c->out_bytes -= take;
        if ( m->off == m->len )
        {
            c->out_head = m->next;
            if ( !c->out_head )
                c->out_tail = NULL;
            free(m);
            m = c->out_head;
        }
    }
}

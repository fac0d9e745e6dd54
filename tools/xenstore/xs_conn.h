/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A client connection, independent of its transport.  The transport (a
 * domain's ring, a Unix socket, a unit test) pushes received bytes in with
 * xs_conn_feed() -- never more than xs_conn_input_room() at a time, so nothing
 * is ever half-consumed -- and drains replies and watch events with
 * xs_conn_out_peek()/xs_conn_out_consume().
 */
#ifndef XS_CONN_H
#define XS_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <public/io/xs_wire.h>
#include "xs_tree.h"

struct xs_state;
struct xs_txn;
struct xs_watch;

/*
 * Back-pressure: a client that does not read its replies stops being read
 * (its requests wait) once this much output is queued; watch events for an
 * unprivileged client are dropped beyond XS_OUT_EVENT_LIMIT, so a guest that
 * never reads cannot make xenstored's memory grow without bound.
 */
#define XS_OUT_LIMIT       (64u * 1024)
#define XS_OUT_EVENT_LIMIT (256u * 1024)

#define XS_HDR_SIZE sizeof(struct xsd_sockmsg)

struct xs_msg {
    struct xs_msg *next;
    size_t len, off;            /* bytes in data[], bytes already sent */
    uint8_t data[];
};

struct xs_conn {
    struct xs_conn *next;       /* in the state's list of all connections */
    struct xs_state *state;
    struct xs_caller caller;

    /* The message being assembled: header, then payload plus a NUL guard. */
    uint8_t in[XS_HDR_SIZE + XENSTORE_PAYLOAD_MAX + 1];
    size_t in_used;

    struct xs_msg *out_head, *out_tail;
    size_t out_bytes;
    unsigned long events_dropped;

    struct xs_watch *watches;
    unsigned int nr_watches;
    struct xs_txn *txns;
    unsigned int nr_txns;

    unsigned int error;         /* XENSTORE_ERROR_*: nonzero once cut off */
    void *transport;            /* the transport's own data */
};

struct xs_conn *xs_conn_new(struct xs_state *s, uint16_t domid, bool privileged);
void xs_conn_free(struct xs_conn *c);
/* Forget watches, transactions and buffered bytes (ring reconnection). */
void xs_conn_reset(struct xs_conn *c);

size_t xs_conn_input_room(const struct xs_conn *c);
size_t xs_conn_feed(struct xs_conn *c, const void *buf, size_t len);

void xs_conn_send(struct xs_conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
                  const void *payload, size_t len);
void xs_conn_send_event(struct xs_conn *c, const char *path, const char *token);
size_t xs_conn_out_peek(const struct xs_conn *c, const uint8_t **data);
void xs_conn_out_consume(struct xs_conn *c, size_t n);

#endif /* XS_CONN_H */

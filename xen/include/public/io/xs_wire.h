/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The xenstore wire protocol, as Xen's public/io/xs_wire.h and
 * docs/misc/xenstore.txt define it.
 *
 * Every message, in either direction and on either transport (a Unix socket
 * for dom0 tools, a shared ring page for a domain), is a struct xsd_sockmsg
 * header followed by `len` payload bytes.  The payload is usually a sequence
 * of NUL-terminated strings.  A reply carries the request's type, req_id and
 * tx_id; an error reply has type XS_ERROR and the errno's NAME ("ENOENT") as
 * its payload.
 */
#ifndef PUBLIC_IO_XS_WIRE_H
#define PUBLIC_IO_XS_WIRE_H

#include <stdint.h>

/* Message types (the `type` field).  The numbers are the ABI. */
enum xsd_sockmsg_type {
    XS_CONTROL              = 0,   /* also known by its old name, DEBUG */
    XS_DIRECTORY            = 1,
    XS_READ                 = 2,
    XS_GET_PERMS            = 3,
    XS_WATCH                = 4,
    XS_UNWATCH              = 5,
    XS_TRANSACTION_START    = 6,
    XS_TRANSACTION_END      = 7,
    XS_INTRODUCE            = 8,
    XS_RELEASE              = 9,
    XS_GET_DOMAIN_PATH      = 10,
    XS_WRITE                = 11,
    XS_MKDIR                = 12,
    XS_RM                   = 13,
    XS_SET_PERMS            = 14,
    XS_WATCH_EVENT          = 15,  /* server to client only */
    XS_ERROR                = 16,  /* server to client only */
    XS_IS_DOMAIN_INTRODUCED = 17,
    XS_RESUME               = 18,
    XS_SET_TARGET           = 19,
    /* 20 was RESTRICT; it has been withdrawn and the number is invalid. */
    XS_RESET_WATCHES        = 21,
    XS_DIRECTORY_PART       = 22,
    XS_GET_FEATURE          = 23,
    XS_SET_FEATURE          = 24,
    XS_GET_QUOTA            = 25,
    XS_SET_QUOTA            = 26,
    XS_TYPE_COUNT,
    XS_INVALID              = 0xffff, /* never a valid type */
};
#define XS_DEBUG XS_CONTROL

/* Old flag words some clients put after a WRITE's path (unused today). */
#define XS_WRITE_NONE        "NONE"
#define XS_WRITE_CREATE      "CREATE"
#define XS_WRITE_CREATE_EXCL "CREATE|EXCL"

struct xsd_sockmsg {
    uint32_t type;    /* enum xsd_sockmsg_type */
    uint32_t req_id;  /* chosen by the client, echoed in the reply */
    uint32_t tx_id;   /* transaction id, 0 outside a transaction */
    uint32_t len;     /* payload bytes following the header */
};

/* Index of the path and of the token in a WATCH_EVENT's payload strings. */
enum xs_watch_type {
    XS_WATCH_PATH  = 0,
    XS_WATCH_TOKEN = 1,
};

/*
 * The shared page between a domain and xenstored.  Both rings are 1 KiB;
 * indices run freely and are reduced modulo the ring size on use, so
 * prod - cons is the number of unread bytes and can never exceed the size.
 */
#define XENSTORE_RING_SIZE 1024
typedef uint32_t XENSTORE_RING_IDX;
#define MASK_XENSTORE_IDX(idx) ((idx) & (XENSTORE_RING_SIZE - 1))

struct xenstore_domain_interface {
    char req[XENSTORE_RING_SIZE];      /* domain -> xenstored requests */
    char rsp[XENSTORE_RING_SIZE];      /* xenstored -> domain replies, events */
    XENSTORE_RING_IDX req_cons, req_prod;
    XENSTORE_RING_IDX rsp_cons, rsp_prod;
    uint32_t server_features;          /* XENSTORE_SERVER_FEATURE_* */
    uint32_t connection;               /* XENSTORE_CONNECTED / _RECONNECT */
    uint32_t error;                    /* XENSTORE_ERROR_* */
};

/* Largest payload in either direction; a client exceeding it is cut off. */
#define XENSTORE_PAYLOAD_MAX 4096

/* Longest paths: exceeding these only earns an error reply. */
#define XENSTORE_ABS_PATH_MAX 3072
#define XENSTORE_REL_PATH_MAX 2048

/* server_features bits. */
#define XENSTORE_SERVER_FEATURE_RECONNECTION 1  /* `connection` is honoured */
#define XENSTORE_SERVER_FEATURE_ERROR        2  /* `error` is filled in */

/* connection values. */
#define XENSTORE_CONNECTED 0   /* steady state */
#define XENSTORE_RECONNECT 1   /* the guest asked for a reset */

/* error values: why xenstored stopped talking on this ring. */
#define XENSTORE_ERROR_NONE    0
#define XENSTORE_ERROR_COMM    1   /* communication problem */
#define XENSTORE_ERROR_RINGIDX 2   /* inconsistent ring indices */
#define XENSTORE_ERROR_PROTO   3   /* protocol violation, e.g. len too big */

#endif /* PUBLIC_IO_XS_WIRE_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The xenstore wire format, as the client needs it.  Facts from Xen's
 * public io/xs_wire.h and docs/misc/xenstore.txt: every message is this
 * header followed by len payload bytes, the reply echoing req_id and tx_id.
 * Private to the client until the shared public header lands.
 */
#ifndef XS_WIRE_CLIENT_H
#define XS_WIRE_CLIENT_H

#include <stdint.h>

enum xs_msg_type {
    XSC_CONTROL = 0,
    XSC_DIRECTORY = 1,
    XSC_READ = 2,
    XSC_GET_PERMS = 3,
    XSC_WATCH = 4,
    XSC_UNWATCH = 5,
    XSC_TRANSACTION_START = 6,
    XSC_TRANSACTION_END = 7,
    XSC_INTRODUCE = 8,
    XSC_RELEASE = 9,
    XSC_GET_DOMAIN_PATH = 10,
    XSC_WRITE = 11,
    XSC_MKDIR = 12,
    XSC_RM = 13,
    XSC_SET_PERMS = 14,
    XSC_WATCH_EVENT = 15,
    XSC_ERROR = 16,
    XSC_IS_DOMAIN_INTRODUCED = 17,
};

struct xsc_msg_header {
    uint32_t type;
    uint32_t req_id;
    uint32_t tx_id;
    uint32_t len;
};

#define XSC_PAYLOAD_MAX 4096

#endif /* XS_WIRE_CLIENT_H */

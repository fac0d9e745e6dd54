/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test harness: a daemon state with no transport, clients that speak the
 * wire protocol to it through xs_conn_feed(), and a fake control library
 * (fake_ctrl.c) whose rings are plain memory.
 */
#ifndef XS_TEST_HARNESS_H
#define XS_TEST_HARNESS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "xs_core.h"

struct h_msg {
    struct xsd_sockmsg hdr;
    char data[XENSTORE_PAYLOAD_MAX + 1];   /* NUL-terminated for convenience */
};

/* A fresh state with the standard tree; h_fini frees everything. */
struct xs_state *h_init(void);
void h_fini(struct xs_state *s);
struct xs_conn *h_dom0(struct xs_state *s);
struct xs_conn *h_domu(struct xs_state *s, uint16_t domid);

/* Take one complete message off a connection's output; false if none. */
bool h_pop(struct xs_conn *c, struct h_msg *m);

/*
 * Send a request and return its reply's errno (0 for a normal reply);
 * watch events that arrive first are kept for h_event().  `reply` may be NULL.
 */
int h_call(struct xs_conn *c, uint32_t type, uint32_t tx, const void *payload,
           size_t len, struct h_msg *reply);
/* The payload is the given strings, each with its NUL; NULL ends the list. */
int h_callv(struct xs_conn *c, uint32_t type, uint32_t tx, struct h_msg *reply, ...);

/* Next watch event for c: true and path/token filled, or false. */
bool h_event(struct xs_conn *c, char *path, size_t psize, char *token, size_t tsize);
/* Drop c's pending events. */
void h_events_clear(struct xs_conn *c);

int h_errno_of(const char *name);

/* Shorthands over h_call; values are strings. */
int h_write(struct xs_conn *c, uint32_t tx, const char *path, const char *value);
int h_read(struct xs_conn *c, uint32_t tx, const char *path, char *out, size_t size);
int h_mkdir(struct xs_conn *c, uint32_t tx, const char *path);
int h_rm(struct xs_conn *c, uint32_t tx, const char *path);
int h_setperms(struct xs_conn *c, uint32_t tx, const char *path, ...);  /* NULL-ended */
int h_watch(struct xs_conn *c, const char *path, const char *token);
int h_txn_start(struct xs_conn *c, uint32_t *id);
int h_txn_end(struct xs_conn *c, uint32_t id, bool commit);

/* The fake control library. */
struct fake_ctrl {
    struct xenstore_domain_interface *ring[8];  /* by gfn */
    bool map_fails, bind_fails;
    int next_port;
    unsigned int notifies;
    int last_notified;
    int pending[16];
    unsigned int nr_pending;
    struct ctrl_dominfo_fake { uint16_t domid; bool dying, shutdown; } dom[8];
    unsigned int nr_dom;
    unsigned int unmaps, unbinds;
};
extern struct fake_ctrl fake;
void fake_reset(void);
/* Give s the fake control and event-channel handles. */
void fake_attach(struct xs_state *s);

#endif /* XS_TEST_HARNESS_H */

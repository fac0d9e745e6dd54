/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's state and the interfaces between its parts: protocol
 * dispatch, watches, transactions and domains.
 */
#ifndef XS_CORE_H
#define XS_CORE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "xs_conn.h"
#include "xs_tree.h"

struct ctrl_handle;
struct evtchn_handle;
struct xs_domain;

struct xs_state {
    struct xs_tree *tree;
    struct xs_quota quota;
    struct xs_conn *conns;          /* every live connection, any transport */
    uint32_t next_txn_id;
    FILE *trace;                    /* -T: one line per message, or NULL */
    FILE *log;                      /* domain events and faults, or NULL */

    /* Domains (xs_domain.c).  ctrl/evtchn stay NULL with --no-domain-init. */
    struct ctrl_handle *ctrl;
    struct evtchn_handle *evtchn;
    int virq_port;                  /* VIRQ_DOM_EXC's local port, or -1 */
    const char *dom0_kva, *dom0_port; /* dom0 ring files; NULL: xenfs's */
    struct xs_domain *domains;
};

void xs_state_init(struct xs_state *s);
/* One line to s->log (if any): what happened to which domain, and why. */
void xs_log(const struct xs_state *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void xs_state_fini(struct xs_state *s);
/* The nodes xenstored starts with (/local/domain/0, /tool, ...). */
void xs_state_populate(struct xs_state *s);

/* xs_proto.c: handle one complete request; payload[hdr->len] is a NUL. */
void xs_proto_dispatch(struct xs_conn *c, const struct xsd_sockmsg *hdr,
                       const char *payload);
const char *xs_errno_name(int err);

/* xs_watch.c */
struct xs_watch {
    struct xs_watch *next;
    char *path;                     /* as the client gave it */
    char *abspath;                  /* canonical */
    char *token;
    bool relative;
};
int xs_watch_add(struct xs_conn *c, const char *path, const char *token);
int xs_watch_remove(struct xs_conn *c, const char *path, const char *token);
void xs_watch_remove_all(struct xs_conn *c);
void xs_watch_fire_initial(struct xs_conn *c, const char *path, const char *token);
/* The main tree's `changed` hook (ctx is the state). */
void xs_watch_tree_changed(void *ctx, const char *path, const struct xs_node *node,
                           enum xs_change what);
/* @introduceDomain / @releaseDomain. */
void xs_watch_fire_special(struct xs_state *s, const char *special);

/* xs_transaction.c */
struct xs_txn;
int xs_txn_start(struct xs_conn *c, uint32_t *id);
struct xs_txn *xs_txn_find(struct xs_conn *c, uint32_t id);
int xs_txn_end(struct xs_conn *c, struct xs_txn *t, bool commit);
void xs_txn_abort_all(struct xs_conn *c);
/* The tree a request works on: its transaction's copy, or the real one. */
struct xs_tree *xs_txn_tree(struct xs_conn *c, struct xs_txn *t);
/* Changes through a transaction (t may be NULL: straight to the tree). */
int xs_store_write(struct xs_conn *c, struct xs_txn *t, const char *path,
                   const void *val, size_t len);
int xs_store_mkdir(struct xs_conn *c, struct xs_txn *t, const char *path);
int xs_store_rm(struct xs_conn *c, struct xs_txn *t, const char *path);
int xs_store_set_perms(struct xs_conn *c, struct xs_txn *t, const char *path,
                       const struct xs_perm *p, unsigned int n);

/* xs_domain.c */
int xs_domain_introduce(struct xs_state *s, unsigned int domid, uint64_t gfn,
                        uint32_t port);
int xs_domain_release(struct xs_state *s, unsigned int domid);
bool xs_domain_is_introduced(struct xs_state *s, unsigned int domid);
int xs_domain_resume(struct xs_state *s, unsigned int domid);
int xs_domain_set_target(struct xs_state *s, unsigned int domid, unsigned int target);
int xs_domain_open(struct xs_state *s);         /* ctrl, evtchn, VIRQ_DOM_EXC */
int xs_domain_init_dom0(struct xs_state *s);    /* xenfs's xsd_kva ring */
void xs_domain_handle_events(struct xs_state *s);
void xs_domain_service_all(struct xs_state *s);
void xs_domain_check_dying(struct xs_state *s);
void xs_domain_close_all(struct xs_state *s);

/* xs_ring.c: the shared-page transport. */
struct xenstore_domain_interface;
int xs_ring_read(struct xenstore_domain_interface *intf, void *buf, size_t len);
int xs_ring_write(struct xenstore_domain_interface *intf, const void *buf, size_t len);
void xs_ring_init(struct xenstore_domain_interface *intf);
/* Move what can move both ways; true if the guest should be notified. */
bool xs_ring_service(struct xs_conn *c, struct xenstore_domain_interface *intf);

#endif /* XS_CORE_H */

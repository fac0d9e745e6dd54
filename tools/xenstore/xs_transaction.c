/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Transactions.  TRANSACTION_START takes a private copy of the tree
 * (docs/misc/xenstore.txt: "the whole db is copied"); the transaction's
 * requests read and change the copy, and the copy's access hook remembers,
 * for every path the transaction looked at or changed, the generation that
 * path had when the transaction first touched it (0: absent).  Changes are
 * also logged.  On commit, if any remembered path has a different generation
 * in the real tree now, someone else changed what we depended on: EAGAIN.
 * Otherwise the log is replayed on the real tree, which fires the watches
 * -- a transaction's changes are seen only when committed.  Commit is thus
 * serialisable without locking anything while the transaction runs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "xs_core.h"
#include "xs_util.h"

/* Bounds on what one unprivileged transaction may accumulate. */
#define XS_TXN_OPS_MAX     1024u
#define XS_TXN_ACCESS_MAX  16384u

struct txn_access {
    char *path;           /* NULL: empty slot */
    uint64_t gen;
};

enum txn_op_kind { TXN_WRITE, TXN_MKDIR, TXN_RM, TXN_PERMS };

struct txn_op {
    enum txn_op_kind kind;
    char *path;
    void *data;           /* value (WRITE) or ACL (PERMS) */
    size_t len;           /* bytes, or ACL entries */
};

struct xs_txn {
    struct xs_txn *next;
    uint32_t id;
    struct xs_tree *tree;
    struct txn_access *acc;   /* open-addressed hash set, power-of-2 size */
    size_t nr_acc, cap_acc;
    struct txn_op *ops;
    unsigned int nr_ops, cap_ops;
    bool overflow;            /* lost track of accesses: cannot commit */
    bool privileged;
};

/* ---- access set ----------------------------------------------------- */

static size_t path_hash(const char *s)
{
    size_t h = 14695981039346656037ull;

    for ( ; *s; s++ )
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static struct txn_access *access_slot(struct txn_access *tab, size_t cap, const char *path)
{
    size_t i = path_hash(path) & (cap - 1);

    while ( tab[i].path && strcmp(tab[i].path, path) != 0 )
        i = (i + 1) & (cap - 1);
    return &tab[i];
}

static void access_grow(struct xs_txn *t)
{
    size_t cap = t->cap_acc ? t->cap_acc * 2 : 64, i;
    struct txn_access *tab = xs_zalloc(cap * sizeof(*tab));

    for ( i = 0; i < t->cap_acc; i++ )
        if ( t->acc[i].path )
            *access_slot(tab, cap, t->acc[i].path) = t->acc[i];
    free(t->acc);
    t->acc = tab;
    t->cap_acc = cap;
}

/* The copy's access hook: remember the first generation seen per path. */
static void txn_note_access(void *ctx, const char *path, const struct xs_node *n)
{
    struct xs_txn *t = ctx;
    struct txn_access *a;

    if ( t->overflow )
        return;
    if ( !t->privileged && t->nr_acc >= XS_TXN_ACCESS_MAX )
    {
        t->overflow = true;
        return;
    }
    if ( (t->nr_acc + 1) * 2 > t->cap_acc )
        access_grow(t);
    a = access_slot(t->acc, t->cap_acc, path);
    if ( a->path )
        return;
    a->path = xs_strdup(path);
    a->gen = n ? n->gen : 0;
    t->nr_acc++;
}

static bool txn_conflicts(const struct xs_txn *t, const struct xs_tree *real)
{
    const struct xs_node *n;
    size_t i;

    for ( i = 0; i < t->cap_acc; i++ )
    {
        if ( !t->acc[i].path )
            continue;
        n = xs_tree_lookup(real, t->acc[i].path);
        if ( (n ? n->gen : 0) != t->acc[i].gen )
            return true;
    }
    return false;
}

/* ---- lifetime ------------------------------------------------------- */

static void txn_free(struct xs_txn *t)
{
    size_t i;

    for ( i = 0; i < t->cap_acc; i++ )
        free(t->acc[i].path);
    for ( i = 0; i < t->nr_ops; i++ )
    {
        free(t->ops[i].path);
        free(t->ops[i].data);
    }
    free(t->acc);
    free(t->ops);
    xs_tree_free(t->tree);
    free(t);
}

struct xs_txn *xs_txn_find(struct xs_conn *c, uint32_t id)
{
    struct xs_txn *t;

    for ( t = c->txns; t; t = t->next )
        if ( t->id == id )
            return t;
    return NULL;
}

static uint32_t txn_new_id(struct xs_conn *c)
{
    uint32_t id;

    do
        id = ++c->state->next_txn_id;
    while ( id == 0 || xs_txn_find(c, id) );
    return id;
}

int xs_txn_start(struct xs_conn *c, uint32_t *id)
{
    struct xs_txn *t;

    if ( !c->caller.privileged && c->nr_txns >= c->state->quota.transactions )
        return ENOSPC;
    t = xs_zalloc(sizeof(*t));
    t->id = txn_new_id(c);
    t->privileged = c->caller.privileged;
    t->tree = xs_tree_clone(c->state->tree);
    t->tree->hooks.access = txn_note_access;
    t->tree->hooks.ctx = t;
    t->next = c->txns;
    c->txns = t;
    c->nr_txns++;
    *id = t->id;
    return 0;
}

static void txn_unlink(struct xs_conn *c, struct xs_txn *t)
{
    struct xs_txn **pp;

    for ( pp = &c->txns; *pp; pp = &(*pp)->next )
        if ( *pp == t )
        {
            *pp = t->next;
            c->nr_txns--;
            return;
        }
}

static void txn_replay(struct xs_conn *c, const struct xs_txn *t)
{
    struct xs_tree *real = c->state->tree;
    const struct txn_op *op;
    unsigned int i;

    for ( i = 0; i < t->nr_ops; i++ )
    {
        op = &t->ops[i];
        switch ( op->kind )
        {
        case TXN_WRITE:
            xs_tree_write(real, &c->caller, op->path, op->data, op->len, false);
            break;
        case TXN_MKDIR:
            xs_tree_mkdir(real, &c->caller, op->path, false);
            break;
        case TXN_RM:
            xs_tree_rm(real, &c->caller, op->path, false);
            break;
        case TXN_PERMS:
            xs_tree_set_perms(real, &c->caller, op->path, op->data,
                              (unsigned int)op->len, false);
            break;
        }
    }
}

int xs_txn_end(struct xs_conn *c, struct xs_txn *t, bool commit)
{
    int rc = 0;

    txn_unlink(c, t);
    if ( commit )
    {
        if ( t->overflow )
            rc = ENOSPC;
        else if ( txn_conflicts(t, c->state->tree) )
            rc = EAGAIN;
        else
            txn_replay(c, t);
    }
    txn_free(t);
    return rc;
}

void xs_txn_abort_all(struct xs_conn *c)
{
    while ( c->txns )
        xs_txn_end(c, c->txns, false);
}

struct xs_tree *xs_txn_tree(struct xs_conn *c, struct xs_txn *t)
{
    return t ? t->tree : c->state->tree;
}

/* ---- changes through a transaction ---------------------------------- */

static int txn_guard(const struct xs_txn *t)
{
    if ( !t )
        return 0;
    if ( t->overflow || (!t->privileged && t->nr_ops >= XS_TXN_OPS_MAX) )
        return ENOSPC;
    return 0;
}

static void txn_log(struct xs_txn *t, enum txn_op_kind kind, const char *path,
                    const void *data, size_t bytes, size_t len)
{
    struct txn_op *op;

    if ( t->nr_ops == t->cap_ops )
    {
        t->cap_ops = t->cap_ops ? t->cap_ops * 2 : 16;
        t->ops = xs_realloc(t->ops, t->cap_ops * sizeof(*t->ops));
    }
    op = &t->ops[t->nr_ops++];
    op->kind = kind;
    op->path = xs_strdup(path);
    op->data = bytes ? xs_memdup(data, bytes) : NULL;
    op->len = len;
}

int xs_store_write(struct xs_conn *c, struct xs_txn *t, const char *path,
                   const void *val, size_t len)
{
    int rc = txn_guard(t);

    if ( !rc )
        rc = xs_tree_write(xs_txn_tree(c, t), &c->caller, path, val, len, true);
    if ( !rc && t )
        txn_log(t, TXN_WRITE, path, val, len, len);
    return rc;
}

int xs_store_mkdir(struct xs_conn *c, struct xs_txn *t, const char *path)
{
    int rc = txn_guard(t);

    if ( !rc )
        rc = xs_tree_mkdir(xs_txn_tree(c, t), &c->caller, path, true);
    if ( !rc && t )
        txn_log(t, TXN_MKDIR, path, NULL, 0, 0);
    return rc;
}

int xs_store_rm(struct xs_conn *c, struct xs_txn *t, const char *path)
{
    int rc = txn_guard(t);

    if ( !rc )
        rc = xs_tree_rm(xs_txn_tree(c, t), &c->caller, path, true);
    if ( !rc && t )
        txn_log(t, TXN_RM, path, NULL, 0, 0);
    return rc;
}

int xs_store_set_perms(struct xs_conn *c, struct xs_txn *t, const char *path,
                       const struct xs_perm *p, unsigned int n)
{
    int rc = txn_guard(t);

    if ( !rc )
        rc = xs_tree_set_perms(xs_txn_tree(c, t), &c->caller, path, p, n, true);
    if ( !rc && t )
        txn_log(t, TXN_PERMS, path, p, n * sizeof(*p), n);
    return rc;
}

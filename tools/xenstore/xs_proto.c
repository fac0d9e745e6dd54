/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Request parsing and dispatch.  Each message type has a small handler in a
 * table; privilege and "may run inside a transaction" are columns of the
 * table.  A handler validates its payload (every string NUL-terminated, the
 * right number of them, paths and numbers well formed), does the work, and
 * either fills the reply or returns an errno, which goes back as an XS_ERROR
 * whose payload is the errno's name (docs/misc/xenstore.txt).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xs_core.h"
#include "xs_util.h"

struct xs_req {
    struct xs_conn *conn;
    const struct xsd_sockmsg *hdr;
    const char *data;          /* payload; data[len] is a NUL we added */
    size_t len;
    struct xs_txn *txn;        /* the request's transaction, if any */
    char reply[XENSTORE_PAYLOAD_MAX];
    size_t reply_len;
};

/* The names of the errors xs_wire.h lists; clients map them back to errno. */
static const struct { int err; const char *name; } errno_names[] = {
    { EINVAL, "EINVAL" }, { EACCES, "EACCES" }, { EEXIST, "EEXIST" },
    { EISDIR, "EISDIR" }, { ENOENT, "ENOENT" }, { ENOMEM, "ENOMEM" },
    { ENOSPC, "ENOSPC" }, { EIO, "EIO" }, { ENOTEMPTY, "ENOTEMPTY" },
    { ENOSYS, "ENOSYS" }, { EROFS, "EROFS" }, { EBUSY, "EBUSY" },
    { EAGAIN, "EAGAIN" }, { EISCONN, "EISCONN" }, { E2BIG, "E2BIG" },
    { EPERM, "EPERM" },
};

const char *xs_errno_name(int err)
{
    size_t i;

    for ( i = 0; i < XS_ARRAY_SIZE(errno_names); i++ )
        if ( errno_names[i].err == err )
            return errno_names[i].name;
    return "EINVAL";
}

/* ---- payload parsing ------------------------------------------------ */

/* Exactly one NUL-terminated string. */
static int arg_one(const struct xs_req *r, const char **s)
{
    if ( r->len == 0 || r->data[r->len - 1] != '\0' || strlen(r->data) != r->len - 1 )
        return EINVAL;
    *s = r->data;
    return 0;
}

/*
 * At least `min` NUL-terminated strings and nothing unterminated; the first
 * `max` are returned (later ones are reserved fields, ignored).
 */
static int args_split(const struct xs_req *r, const char **v, unsigned int min,
                      unsigned int max)
{
    size_t off = 0;
    unsigned int n = 0;

    if ( r->len == 0 || r->data[r->len - 1] != '\0' )
        return EINVAL;
    for ( ; off < r->len; off += strlen(r->data + off) + 1, n++ )
        if ( n < max )
            v[n] = r->data + off;
    return n < min ? EINVAL : 0;
}

static int parse_domid(const char *s, unsigned int *domid)
{
    unsigned long v;

    if ( !xs_parse_uint(s, XS_DOMID_MAX, &v) )
        return EINVAL;
    *domid = (unsigned int)v;
    return 0;
}

static int path_arg(const struct xs_req *r, const char *in, unsigned int flags,
                    char out[XS_PATH_BUF])
{
    return xs_path_canonical(&r->conn->caller, in, flags, out);
}

static struct xs_tree *req_tree(struct xs_req *r)
{
    return xs_txn_tree(r->conn, r->txn);
}

/* ---- reply building ------------------------------------------------- */

static int reply_add(struct xs_req *r, const void *p, size_t n)
{
    if ( n > sizeof(r->reply) - r->reply_len )
        return E2BIG;
    if ( n )
        memcpy(r->reply + r->reply_len, p, n);
    r->reply_len += n;
    return 0;
}

static int reply_str(struct xs_req *r, const char *s)
{
    return reply_add(r, s, strlen(s) + 1);
}

static int reply_ok(struct xs_req *r)
{
    return reply_str(r, "OK");
}

/* ---- database operations -------------------------------------------- */

static int get_node(struct xs_req *r, unsigned int flags, const struct xs_node **n)
{
    char path[XS_PATH_BUF];
    const char *arg;
    int rc;

    if ( (rc = arg_one(r, &arg)) || (rc = path_arg(r, arg, flags, path)) )
        return rc;
    return xs_tree_get(req_tree(r), &r->conn->caller, path, n);
}

static int do_read(struct xs_req *r)
{
    const struct xs_node *n;
    int rc = get_node(r, 0, &n);

    return rc ? rc : reply_add(r, n->value, n->value_len);
}

static int do_directory(struct xs_req *r)
{
    const struct xs_node *n;
    unsigned int i;
    int rc = get_node(r, 0, &n);

    for ( i = 0; !rc && i < n->nr_children; i++ )
        rc = reply_str(r, n->children[i]->name);
    return rc;
}

/* All children's names, each NUL-terminated, in one buffer. */
static char *children_list(const struct xs_node *n, size_t *total)
{
    size_t len = 0, off = 0, l;
    unsigned int i;
    char *buf;

    for ( i = 0; i < n->nr_children; i++ )
        len += strlen(n->children[i]->name) + 1;
    buf = xs_zalloc(len + 1);
    for ( i = 0; i < n->nr_children; i++ )
    {
        l = strlen(n->children[i]->name) + 1;
        memcpy(buf + off, n->children[i]->name, l);
        off += l;
    }
    *total = len;
    return buf;
}

/*
 * DIRECTORY_PART <path>|<offset>|: the node's generation, then as many whole
 * names from byte <offset> of the full list as fit; the chunk that reaches
 * the end of the list carries an extra NUL (an empty name) to say so.
 */
static int do_directory_part(struct xs_req *r)
{
    char path[XS_PATH_BUF], gen[24];
    const char *v[2];
    const struct xs_node *n;
    unsigned long off;
    size_t total, room, take;
    char *list;
    int rc;

    if ( (rc = args_split(r, v, 2, 2)) || (rc = path_arg(r, v[0], 0, path)) )
        return rc;
    if ( !xs_parse_uint(v[1], UINT32_MAX, &off) )
        return EINVAL;
    if ( (rc = xs_tree_get(req_tree(r), &r->conn->caller, path, &n)) )
        return rc;
    list = children_list(n, &total);
    snprintf(gen, sizeof(gen), "%" PRIu64, n->gen);
    rc = off > total ? EINVAL : reply_str(r, gen);
    room = sizeof(r->reply) - r->reply_len;
    if ( !rc && total - off < room )
    {
        /* list[total] is the NUL that marks the end. */
        rc = reply_add(r, list + off, total - off + 1);
    }
    else if ( !rc )
    {
        for ( take = room; take && list[off + take - 1] != '\0'; take-- )
            ;
        rc = take ? reply_add(r, list + off, take) : E2BIG;
    }
    free(list);
    return rc;
}

static int do_get_perms(struct xs_req *r)
{
    const struct xs_node *n;
    char buf[16];
    unsigned int i;
    int rc = get_node(r, XS_PATH_PERMS, &n);

    for ( i = 0; !rc && i < n->nr_perms; i++ )
    {
        xs_perm_format(&n->perms[i], buf, sizeof(buf));
        rc = reply_str(r, buf);
    }
    return rc;
}

static int do_set_perms(struct xs_req *r)
{
    char path[XS_PATH_BUF];
    struct xs_perm *p;
    unsigned int n;
    size_t plen;
    int rc;

    if ( r->len == 0 || r->data[r->len - 1] != '\0' )
        return EINVAL;
    plen = strlen(r->data) + 1;
    if ( (rc = path_arg(r, r->data, XS_PATH_PERMS, path)) )
        return rc;
    if ( (rc = xs_perms_parse(r->data + plen, r->len - plen, &p, &n)) )
        return rc;
    rc = xs_store_set_perms(r->conn, r->txn, path, p, n);
    free(p);
    return rc ? rc : reply_ok(r);
}

/* WRITE <path>|<value|>: the value is everything after the path's NUL. */
static int do_write(struct xs_req *r)
{
    char path[XS_PATH_BUF];
    const char *nul = memchr(r->data, '\0', r->len);
    size_t plen;
    int rc;

    if ( !nul )
        return EINVAL;
    plen = (size_t)(nul - r->data) + 1;
    if ( (rc = path_arg(r, r->data, 0, path)) )
        return rc;
    rc = xs_store_write(r->conn, r->txn, path, r->data + plen, r->len - plen);
    return rc ? rc : reply_ok(r);
}

static int do_mkdir(struct xs_req *r)
{
    char path[XS_PATH_BUF];
    const char *arg;
    int rc;

    if ( (rc = arg_one(r, &arg)) || (rc = path_arg(r, arg, 0, path)) )
        return rc;
    rc = xs_store_mkdir(r->conn, r->txn, path);
    return rc ? rc : reply_ok(r);
}

static int do_rm(struct xs_req *r)
{
    char path[XS_PATH_BUF];
    const char *arg;
    int rc;

    if ( (rc = arg_one(r, &arg)) || (rc = path_arg(r, arg, 0, path)) )
        return rc;
    rc = xs_store_rm(r->conn, r->txn, path);
    return rc ? rc : reply_ok(r);
}

/* ---- watches and transactions --------------------------------------- */

static int do_watch(struct xs_req *r)
{
    const char *v[2];
    int rc;

    if ( (rc = args_split(r, v, 2, 2)) || (rc = xs_watch_add(r->conn, v[0], v[1])) )
        return rc;
    return reply_ok(r);
}

static int do_unwatch(struct xs_req *r)
{
    const char *v[2];
    int rc;

    if ( (rc = args_split(r, v, 2, 2)) || (rc = xs_watch_remove(r->conn, v[0], v[1])) )
        return rc;
    return reply_ok(r);
}

static int do_reset_watches(struct xs_req *r)
{
    xs_watch_remove_all(r->conn);
    xs_txn_abort_all(r->conn);
    return reply_ok(r);
}

static int do_transaction_start(struct xs_req *r)
{
    char buf[16];
    uint32_t id;
    int rc;

    if ( r->hdr->tx_id )
        return EBUSY;
    if ( (rc = xs_txn_start(r->conn, &id)) )
        return rc;
    snprintf(buf, sizeof(buf), "%" PRIu32, id);
    return reply_str(r, buf);
}

static int do_transaction_end(struct xs_req *r)
{
    const char *arg;
    bool commit;
    int rc;

    if ( (rc = arg_one(r, &arg)) )
        return rc;
    if ( strcmp(arg, "T") != 0 && strcmp(arg, "F") != 0 )
        return EINVAL;
    if ( !r->txn )
        return ENOENT;
    commit = arg[0] == 'T';
    if ( (rc = xs_txn_end(r->conn, r->txn, commit)) )
        return rc;
    return reply_ok(r);
}

/* ---- domains -------------------------------------------------------- */

static int domid_arg(struct xs_req *r, unsigned int *domid)
{
    const char *arg;
    int rc;

    if ( (rc = arg_one(r, &arg)) )
        return rc;
    return parse_domid(arg, domid);
}

static int do_introduce(struct xs_req *r)
{
    const char *v[3];
    unsigned long gfn, port;
    unsigned int domid;
    int rc;

    if ( (rc = args_split(r, v, 3, 3)) || (rc = parse_domid(v[0], &domid)) )
        return rc;
    if ( !xs_parse_uint(v[1], UINT64_MAX, &gfn) || !xs_parse_uint(v[2], UINT32_MAX, &port) )
        return EINVAL;
    if ( (rc = xs_domain_introduce(r->conn->state, domid, gfn, (uint32_t)port)) )
        return rc;
    return reply_ok(r);
}

static int do_release(struct xs_req *r)
{
    unsigned int domid;
    int rc;

    if ( (rc = domid_arg(r, &domid)) || (rc = xs_domain_release(r->conn->state, domid)) )
        return rc;
    return reply_ok(r);
}

static int do_resume(struct xs_req *r)
{
    unsigned int domid;
    int rc;

    if ( (rc = domid_arg(r, &domid)) || (rc = xs_domain_resume(r->conn->state, domid)) )
        return rc;
    return reply_ok(r);
}

static int do_get_domain_path(struct xs_req *r)
{
    char path[32];
    unsigned int domid;
    int rc;

    if ( (rc = domid_arg(r, &domid)) || (rc = xs_domain_path(domid, path, sizeof(path))) )
        return rc;
    return reply_str(r, path);
}

static int do_is_domain_introduced(struct xs_req *r)
{
    unsigned int domid;
    int rc;

    if ( (rc = domid_arg(r, &domid)) )
        return rc;
    return reply_str(r, xs_domain_is_introduced(r->conn->state, domid) ? "T" : "F");
}

static int do_set_target(struct xs_req *r)
{
    const char *v[2];
    unsigned int domid, target;
    int rc;

    if ( (rc = args_split(r, v, 2, 2)) || (rc = parse_domid(v[0], &domid)) ||
         (rc = parse_domid(v[1], &target)) )
        return rc;
    if ( (rc = xs_domain_set_target(r->conn->state, domid, target)) )
        return rc;
    return reply_ok(r);
}

/* CONTROL: a minimal set -- "check" (tree invariants), "print", "help". */
static int do_control(struct xs_req *r)
{
    const char *v[2] = { NULL, NULL };
    int rc;

    if ( (rc = args_split(r, v, 1, 2)) )
        return rc;
    if ( strcmp(v[0], "check") == 0 )
        return xs_tree_check(r->conn->state->tree) ? reply_ok(r) : EIO;
    if ( strcmp(v[0], "print") == 0 && v[1] )
    {
        fprintf(stderr, "xenstored: %s\n", v[1]);
        return reply_ok(r);
    }
    if ( strcmp(v[0], "help") == 0 )
        return reply_str(r, "check\nhelp\nprint\n");
    return EINVAL;
}

/* ---- dispatch ------------------------------------------------------- */

#define OP_PRIV 1u     /* dom0 only */
#define OP_TXN  2u     /* honours tx_id */

static const struct {
    int (*fn)(struct xs_req *r);
    unsigned int flags;
} ops[XS_TYPE_COUNT] = {
    [XS_CONTROL]              = { do_control, OP_PRIV },
    [XS_DIRECTORY]            = { do_directory, OP_TXN },
    [XS_READ]                 = { do_read, OP_TXN },
    [XS_GET_PERMS]            = { do_get_perms, OP_TXN },
    [XS_WATCH]                = { do_watch, 0 },
    [XS_UNWATCH]              = { do_unwatch, 0 },
    [XS_TRANSACTION_START]    = { do_transaction_start, 0 },
    [XS_TRANSACTION_END]      = { do_transaction_end, OP_TXN },
    [XS_INTRODUCE]            = { do_introduce, OP_PRIV },
    [XS_RELEASE]              = { do_release, OP_PRIV },
    [XS_GET_DOMAIN_PATH]      = { do_get_domain_path, 0 },
    [XS_WRITE]                = { do_write, OP_TXN },
    [XS_MKDIR]                = { do_mkdir, OP_TXN },
    [XS_RM]                   = { do_rm, OP_TXN },
    [XS_SET_PERMS]            = { do_set_perms, OP_TXN },
    [XS_IS_DOMAIN_INTRODUCED] = { do_is_domain_introduced, 0 },
    [XS_RESUME]               = { do_resume, OP_PRIV },
    [XS_SET_TARGET]           = { do_set_target, OP_PRIV },
    [XS_RESET_WATCHES]        = { do_reset_watches, 0 },
    [XS_DIRECTORY_PART]       = { do_directory_part, OP_TXN },
};

static int run_request(struct xs_req *r)
{
    uint32_t type = r->hdr->type;

    if ( type >= XS_TYPE_COUNT || !ops[type].fn )
        return ENOSYS;
    if ( (ops[type].flags & OP_PRIV) && !r->conn->caller.privileged )
        return EACCES;
    if ( (ops[type].flags & OP_TXN) && r->hdr->tx_id &&
         !(r->txn = xs_txn_find(r->conn, r->hdr->tx_id)) )
        return ENOENT;
    return ops[type].fn(r);
}

void xs_proto_dispatch(struct xs_conn *c, const struct xsd_sockmsg *hdr,
                       const char *payload)
{
    struct xs_req *r = xs_zalloc(sizeof(*r));
    const char *name;
    int rc;

    r->conn = c;
    r->hdr = hdr;
    r->data = payload;
    r->len = hdr->len;
    rc = run_request(r);
    if ( rc )
    {
        name = xs_errno_name(rc);
        xs_conn_send(c, XS_ERROR, hdr->req_id, hdr->tx_id, name, strlen(name) + 1);
    }
    else
        xs_conn_send(c, hdr->type, hdr->req_id, hdr->tx_id, r->reply, r->reply_len);
    /* A new watch fires once, after the reply (as Xen's xenstored does). */
    if ( !rc && hdr->type == XS_WATCH )
        xs_watch_fire_initial(c, payload, payload + strlen(payload) + 1);
    free(r);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fuzz driver: `fuzz [ITERATIONS] [SEED]`.
 *
 * Feeds generated, mutated and random request byte streams, in random-sized
 * pieces, through connections of dom0 and of unprivileged domains (one of
 * them over a ring in memory whose indices are sometimes corrupted), and
 * checks after every step that:
 *   - every message xenstored sends is well formed (length within the limit,
 *     a known type, errors carry a known errno name, events two strings);
 *   - every complete request gets exactly one reply, in order, with its
 *     req_id and tx_id;
 *   - the tree's invariants hold (names, unique children, generations,
 *     ownership counts), in the tree and in transactions' copy-on-write
 *     copies -- checked periodically, also across domains dying;
 *   - no sanitizer report (the driver is built with ASan and UBSan).
 * Everything derives from SEED, so a failure reproduces with the same SEED.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

#define NR_CONNS   4       /* dom0, dom5, dom6, dom7 (dom7 over a ring) */
#define RING_CONN  3
#define MAX_TXNS   24

struct fconn {
    struct xs_conn *c;
    uint16_t domid;
    bool privileged;
    /* Requests sent whose replies are due, in order. */
    uint32_t pending_req[4096], pending_tx[4096];
    unsigned int pending_head, pending_tail;
    /* Transactions we know are open. */
    uint32_t txns[MAX_TXNS];
    unsigned int nr_txns;
    /* Partial reply bytes read back from the ring. */
    uint8_t rbuf[XS_HDR_SIZE + XENSTORE_PAYLOAD_MAX];
    size_t rlen;
};

static struct xs_state *st;
static struct fconn conns[NR_CONNS];
static struct xenstore_domain_interface *ring;
static uint64_t rng_state;
static unsigned long iteration, stat_replies, stat_errors, stat_events, stat_cutoffs;
static unsigned long long seed;

static uint64_t rnd(void)
{
    /* splitmix64 */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned int rn(unsigned int n)
{
    return n ? (unsigned int)(rnd() % n) : 0;
}

static void die(const char *what)
{
    fprintf(stderr, "fuzz: FAILED at iteration %lu (seed %llu): %s\n", iteration, seed, what);
    abort();
}

/* ---- generating requests -------------------------------------------- */

static const char *const components[] = {
    "local", "domain", "0", "5", "6", "7", "device", "vbd", "51712", "state",
    "backend", "a", "b", "c", "name", "tool", "vm", "x-y_z", "@", "A9",
};

static size_t gen_path(char *out, size_t room)
{
    size_t len = 0;
    unsigned int depth = rn(7), i, kind = rn(20);
    const char *comp;

    if ( kind == 0 )
        return (size_t)snprintf(out, room, "%s", rn(2) ? "@introduceDomain" : "@releaseDomain");
    if ( kind == 1 )
    {
        /* Something invalid: bad characters, doubled or trailing slashes. */
        static const char *const bad[] = { "/a//b", "/a/", "", "/a b", "/a\x01", "//", "/é" };
        return (size_t)snprintf(out, room, "%s", bad[rn(7)]);
    }
    if ( kind == 2 )
    {
        /* Very long. */
        size_t n = 2000 + rn(1500);

        if ( n >= room )
            n = room - 1;
        memset(out, 'l', n);
        out[0] = '/';
        out[n] = '\0';
        return n;
    }
    if ( kind > 4 )
        out[len++] = '/';
    for ( i = 0; i < depth && len + 16 < room; i++ )
    {
        comp = components[rn(sizeof(components) / sizeof(components[0]))];
        len += (size_t)snprintf(out + len, room - len, "%s%s", i ? "/" : "", comp);
    }
    if ( len == 0 )
        out[len++] = '/';
    out[len] = '\0';
    return len;
}

static size_t put_str(char *buf, size_t len, size_t cap, const char *s)
{
    size_t l = strlen(s) + 1;

    if ( len + l > cap )
        return len;
    memcpy(buf + len, s, l);
    return len + l;
}

static size_t put_path(char *buf, size_t len, size_t cap)
{
    char p[XS_PATH_BUF + 8];

    gen_path(p, sizeof(p));
    return put_str(buf, len, cap, p);
}

static size_t put_number(char *buf, size_t len, size_t cap)
{
    static const char *const nums[] = { "0", "5", "6", "7", "65535", "65536", "-1", "x",
                                        "4294967296", "1", "" };
    char n[24];

    if ( rn(3) == 0 )
    {
        snprintf(n, sizeof(n), "%u", (unsigned int)rnd());
        return put_str(buf, len, cap, n);
    }
    return put_str(buf, len, cap, nums[rn(sizeof(nums) / sizeof(nums[0]))]);
}

static size_t put_perms(char *buf, size_t len, size_t cap)
{
    static const char letters[] = "nrwbxq";
    unsigned int i, n = rn(7);
    char p[16];

    for ( i = 0; i < n; i++ )
    {
        snprintf(p, sizeof(p), "%c%u", letters[rn(6)], rn(10) == 0 ? 70000 : rn(8));
        len = put_str(buf, len, cap, p);
    }
    return len;
}

/* A plausible payload for `type` (sometimes not quite right). */
static size_t gen_payload(uint32_t type, char *buf, size_t cap)
{
    size_t len = 0, vlen;

    switch ( type )
    {
    case XS_WRITE:
        len = put_path(buf, len, cap);
        vlen = rn(8) == 0 ? rn(3000) : rn(40);
        if ( len + vlen > cap )
            vlen = cap - len;
        while ( vlen-- )
            buf[len++] = (char)(rn(4) ? 'a' + rn(26) : rnd());
        return len;
    case XS_SET_PERMS:
        return put_perms(buf, put_path(buf, len, cap), cap);
    case XS_WATCH:
    case XS_UNWATCH:
        len = put_path(buf, len, cap);
        return put_str(buf, len, cap, rn(2) ? "tok" : "other");
    case XS_INTRODUCE:
        len = put_number(buf, len, cap);
        len = put_number(buf, len, cap);
        return put_number(buf, len, cap);
    case XS_SET_TARGET:
        return put_number(buf, put_number(buf, len, cap), cap);
    case XS_RELEASE: case XS_RESUME: case XS_GET_DOMAIN_PATH: case XS_IS_DOMAIN_INTRODUCED:
        return put_number(buf, len, cap);
    case XS_TRANSACTION_END:
        return put_str(buf, len, cap, rn(3) ? (rn(2) ? "T" : "F") : "maybe");
    case XS_TRANSACTION_START: case XS_RESET_WATCHES:
        return put_str(buf, len, cap, "");
    case XS_DIRECTORY_PART:
        return put_number(buf, put_path(buf, len, cap), cap);
    case XS_CONTROL:
        return put_str(buf, len, cap, rn(2) ? "check" : "help");
    default:
        return put_path(buf, len, cap);
    }
}

static uint32_t pick_type(void)
{
    static const uint32_t common[] = {
        XS_READ, XS_WRITE, XS_WRITE, XS_WRITE, XS_MKDIR, XS_RM, XS_DIRECTORY,
        XS_DIRECTORY_PART, XS_GET_PERMS, XS_SET_PERMS, XS_WATCH, XS_UNWATCH,
        XS_TRANSACTION_START, XS_TRANSACTION_END, XS_TRANSACTION_END,
        XS_GET_DOMAIN_PATH, XS_IS_DOMAIN_INTRODUCED, XS_INTRODUCE, XS_RELEASE,
        XS_RESUME, XS_SET_TARGET, XS_RESET_WATCHES, XS_CONTROL,
    };

    if ( rn(30) == 0 )
        return rn(2) ? rn(40) : (uint32_t)rnd();
    return common[rn(sizeof(common) / sizeof(common[0]))];
}

static uint32_t pick_tx(struct fconn *f)
{
    if ( f->nr_txns && rn(2) )
        return f->txns[rn(f->nr_txns)];
    return rn(20) == 0 ? (uint32_t)rnd() : 0;
}

static void mutate(uint8_t *msg, size_t *len, size_t cap)
{
    unsigned int i, n = 1 + rn(4);
    size_t pos;

    for ( i = 0; i < n; i++ )
    {
        switch ( rn(4) )
        {
        case 0:                         /* flip a byte of the payload */
            if ( *len > XS_HDR_SIZE )
                msg[XS_HDR_SIZE + rn((unsigned int)(*len - XS_HDR_SIZE))] = (uint8_t)rnd();
            break;
        case 1:                         /* truncate the payload, fix up len */
            if ( *len > XS_HDR_SIZE )
                *len = XS_HDR_SIZE + rn((unsigned int)(*len - XS_HDR_SIZE));
            break;
        case 2:                         /* append junk */
            for ( pos = rn(16); pos && *len < cap; pos-- )
                msg[(*len)++] = (uint8_t)rnd();
            break;
        default:                        /* replace a NUL or insert one */
            if ( *len > XS_HDR_SIZE )
                msg[XS_HDR_SIZE + rn((unsigned int)(*len - XS_HDR_SIZE))] = rn(2) ? 0 : '/';
            break;
        }
    }
    /* Keep the header's len honest unless this is meant to be a framing attack. */
    if ( rn(500) )
    {
        uint32_t plen = (uint32_t)(*len - XS_HDR_SIZE);

        memcpy(msg + offsetof(struct xsd_sockmsg, len), &plen, sizeof(plen));
    }
}

/* ---- checking replies ----------------------------------------------- */

static bool known_error(const char *s, size_t len)
{
    static const char *const names[] = {
        "EINVAL", "EACCES", "EEXIST", "EISDIR", "ENOENT", "ENOMEM", "ENOSPC", "EIO",
        "ENOTEMPTY", "ENOSYS", "EROFS", "EBUSY", "EAGAIN", "EISCONN", "E2BIG", "EPERM",
    };
    size_t i;

    for ( i = 0; i < sizeof(names) / sizeof(names[0]); i++ )
        if ( len == strlen(names[i]) + 1 && memcmp(s, names[i], len) == 0 )
            return true;
    return false;
}

static void note_txn(struct fconn *f, const struct xsd_sockmsg *h, const char *data)
{
    unsigned int i;

    if ( h->type == XS_RESET_WATCHES )
        f->nr_txns = 0;
    if ( h->type == XS_TRANSACTION_START && f->nr_txns < MAX_TXNS )
        f->txns[f->nr_txns++] = (uint32_t)strtoul(data, NULL, 10);
    if ( h->type == XS_TRANSACTION_END || (h->type == XS_ERROR && h->tx_id) )
        for ( i = 0; i < f->nr_txns; i++ )
            if ( f->txns[i] == h->tx_id && (h->type == XS_TRANSACTION_END ||
                 strcmp(data, "EAGAIN") == 0 || strcmp(data, "ENOSPC") == 0) )
                f->txns[i] = f->txns[--f->nr_txns];
}

static void check_message(struct fconn *f, const struct xsd_sockmsg *h, const char *data)
{
    unsigned int slot;

    if ( h->len > XENSTORE_PAYLOAD_MAX )
        die("reply longer than XENSTORE_PAYLOAD_MAX");
    if ( h->type == XS_WATCH_EVENT )
    {
        size_t l1 = strnlen(data, h->len);

        if ( h->req_id || h->tx_id || l1 >= h->len ||
             l1 + 1 + strnlen(data + l1 + 1, h->len - l1 - 1) + 1 != h->len )
            die("malformed watch event");
        stat_events++;
        return;
    }
    if ( f->pending_head == f->pending_tail )
        die("reply without a request");
    slot = f->pending_head++ % 4096;
    if ( h->req_id != f->pending_req[slot] || h->tx_id != f->pending_tx[slot] )
        die("reply out of order or with the wrong ids");
    if ( h->type == XS_ERROR )
    {
        if ( !known_error(data, h->len) )
            die("error reply without a known errno name");
        stat_errors++;
        if ( getenv("FUZZ_VERBOSE") )
            fprintf(stderr, "E %u %s\n", f->pending_tx[slot] ? 1u : 0u, data);
    }
    else if ( h->type >= XS_TYPE_COUNT || h->type == XS_WATCH_EVENT )
        die("reply of an impossible type");
    stat_replies++;
    note_txn(f, h, data);
}

/* Drain a socket-style connection's output. */
static void drain_conn(struct fconn *f)
{
    struct h_msg m;

    while ( h_pop(f->c, &m) )
        check_message(f, &m.hdr, m.data);
}

/* Drain the ring: whole messages out of the response ring. */
static void drain_ring(struct fconn *f)
{
    struct xsd_sockmsg h;
    size_t want;
    int rounds;

    for ( rounds = 0; rounds < 64; rounds++ )
    {
        xs_ring_service(f->c, ring);
        while ( ring->rsp_cons != ring->rsp_prod && f->rlen < sizeof(f->rbuf) )
        {
            if ( f->rlen >= XS_HDR_SIZE )
            {
                memcpy(&h, f->rbuf, sizeof(h));
                if ( h.len > XENSTORE_PAYLOAD_MAX )
                    die("ring reply longer than XENSTORE_PAYLOAD_MAX");
                want = XS_HDR_SIZE + h.len;
                if ( f->rlen == want )
                    break;
            }
            f->rbuf[f->rlen++] = (uint8_t)ring->rsp[MASK_XENSTORE_IDX(ring->rsp_cons)];
            ring->rsp_cons++;
        }
        if ( f->rlen >= XS_HDR_SIZE )
        {
            memcpy(&h, f->rbuf, sizeof(h));
            if ( f->rlen == XS_HDR_SIZE + h.len )
            {
                char data[XENSTORE_PAYLOAD_MAX + 1];

                memcpy(data, f->rbuf + XS_HDR_SIZE, h.len);
                data[h.len] = '\0';
                check_message(f, &h, data);
                f->rlen = 0;
                continue;
            }
        }
        if ( ring->rsp_cons == ring->rsp_prod && !xs_conn_out_peek(f->c, &(const uint8_t *){ 0 }) )
            break;
    }
}

/* ---- connections ---------------------------------------------------- */

static void open_conn(unsigned int i)
{
    static const uint16_t domids[NR_CONNS] = { 0, 5, 6, 7 };
    struct fconn *f = &conns[i];

    memset(f, 0, sizeof(*f));
    f->domid = domids[i];
    f->privileged = f->domid == 0;
    f->c = xs_conn_new(st, f->domid, f->privileged);
    if ( i == RING_CONN )
    {
        memset(ring, 0, sizeof(*ring));
        xs_ring_init(ring);
    }
}

static void reopen_if_cut_off(unsigned int i)
{
    if ( !conns[i].c->error )
        return;
    stat_cutoffs++;
    xs_conn_free(conns[i].c);
    open_conn(i);
}

static void setup_state(void)
{
    struct xs_caller dom0 = { .privileged = true };
    struct xs_perm p = { .domid = 0, .access = XS_PERM_NONE };
    unsigned int i;
    char path[32];

    st = calloc(1, sizeof(*st));
    xs_state_init(st);
    xs_state_populate(st);
    st->quota.nodes = 200;
    for ( i = 5; i <= 7; i++ )
    {
        snprintf(path, sizeof(path), "/local/domain/%u", i);
        xs_tree_mkdir(st->tree, &dom0, path, false);
        p.domid = (uint16_t)i;
        xs_tree_set_perms(st->tree, &dom0, path, &p, 1, false);
    }
    for ( i = 0; i < NR_CONNS; i++ )
        open_conn(i);
}

static void teardown_state(void)
{
    xs_state_fini(st);
    free(st);
}

/* ---- one step ------------------------------------------------------- */

static size_t build_message(struct fconn *f, uint8_t *msg, size_t cap, uint32_t *req_id,
                            uint32_t *tx)
{
    struct xsd_sockmsg h = { .type = pick_type(), .req_id = (uint32_t)rnd() };
    size_t len;

    h.tx_id = h.type == XS_TRANSACTION_START && rn(10) ? 0 : pick_tx(f);
    len = gen_payload(h.type, (char *)msg + XS_HDR_SIZE, XENSTORE_PAYLOAD_MAX);
    h.len = (uint32_t)len;
    memcpy(msg, &h, sizeof(h));
    len += XS_HDR_SIZE;
    if ( rn(4) == 0 )
        mutate(msg, &len, cap);
    if ( rn(200) == 0 )
    {
        /* Entirely random bytes, header included. */
        len = XS_HDR_SIZE + rn(64);
        for ( size_t i = 0; i < len; i++ )
            msg[i] = (uint8_t)rnd();
    }
    memcpy(&h, msg, sizeof(h));
    *req_id = h.req_id;
    *tx = h.tx_id;
    return len;
}

static void expect_reply(struct fconn *f, uint32_t req_id, uint32_t tx)
{
    unsigned int slot = f->pending_tail++ % 4096;

    f->pending_req[slot] = req_id;
    f->pending_tx[slot] = tx;
}

/* Feed one message over a plain connection, in random pieces. */
static void feed_plain(struct fconn *f, const uint8_t *msg, size_t len)
{
    size_t off = 0, piece;

    while ( off < len )
    {
        /* Input waits while replies pile up: read them, as a client would. */
        if ( !xs_conn_input_room(f->c) )
            drain_conn(f);
        if ( !xs_conn_input_room(f->c) )
            break;
        piece = 1 + rn((unsigned int)(len - off));
        off += xs_conn_feed(f->c, msg + off, piece);
        if ( rn(4) == 0 )
            drain_conn(f);
    }
    drain_conn(f);
}

static void feed_ring(struct fconn *f, const uint8_t *msg, size_t len)
{
    size_t off = 0, i, space;
    int rounds;

    for ( rounds = 0; off < len && rounds < 64 && !f->c->error; rounds++ )
    {
        space = XENSTORE_RING_SIZE - (ring->req_prod - ring->req_cons);
        for ( i = 0; i < space && off < len; i++, off++ )
            ring->req[MASK_XENSTORE_IDX(ring->req_prod + i)] = (char)msg[off];
        ring->req_prod += (XENSTORE_RING_IDX)i;
        if ( rn(2000) == 0 )
        {
            /*
             * A hostile guest moves its index anywhere.  Stale ring bytes may
             * then be parsed as requests, so replies can no longer be matched
             * up: only look for crashes, then start the domain afresh.
             */
            ring->req_prod += (XENSTORE_RING_IDX)rnd();
            xs_ring_service(f->c, ring);
            stat_cutoffs++;
            xs_conn_free(f->c);
            open_conn(RING_CONN);
            return;
        }
        drain_ring(f);
    }
    drain_ring(f);
}

static void step(void)
{
    unsigned int i = rn(NR_CONNS);
    struct fconn *f = &conns[i];
    uint8_t msg[XS_HDR_SIZE + XENSTORE_PAYLOAD_MAX + 64];
    uint32_t req_id, tx, hlen;
    size_t len = build_message(f, msg, sizeof(msg), &req_id, &tx);

    memcpy(&hlen, msg + offsetof(struct xsd_sockmsg, len), sizeof(hlen));
    /* A reply is due only for a message we send completely. */
    if ( hlen <= XENSTORE_PAYLOAD_MAX && len >= XS_HDR_SIZE + hlen )
    {
        len = XS_HDR_SIZE + hlen;
        expect_reply(f, req_id, tx);
    }
    else if ( hlen <= XENSTORE_PAYLOAD_MAX )
        return;         /* would leave a partial message: skip it */
    if ( i == RING_CONN )
        feed_ring(f, msg, len);
    else
        feed_plain(f, msg, len);
    if ( !f->c->error && f->pending_head != f->pending_tail )
        die("a complete request got no reply");
    reopen_if_cut_off(i);
}

static void check_all(void)
{
    struct xs_txn *t;
    unsigned int i, j;

    if ( !xs_tree_check(st->tree) )
        die("tree invariants broken");
    /* Transactions' copies share nodes with the tree: check them too. */
    for ( i = 0; i < NR_CONNS; i++ )
        for ( j = 0; j < conns[i].nr_txns; j++ )
            if ( (t = xs_txn_find(conns[i].c, conns[i].txns[j])) &&
                 !xs_tree_check(xs_txn_tree(conns[i].c, t)) )
                die("transaction copy's invariants broken");
}

int main(int argc, char **argv)
{
    unsigned long iterations = argc > 1 ? strtoul(argv[1], NULL, 0) : 200000;

    seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 1;
    rng_state = seed;
    ring = calloc(1, 4096);
    setup_state();
    for ( iteration = 0; iteration < iterations; iteration++ )
    {
        step();
        /* A domain dies (its nodes and ACL entries go) under open transactions. */
        if ( rn(5000) == 0 )
            xs_tree_forget_domain(st->tree, (uint16_t)(5 + rn(2)));
        if ( iteration % 1000 == 999 )
            check_all();
        /* A fresh daemon now and then keeps the tree from only growing. */
        if ( iteration % 50000 == 49999 )
        {
            teardown_state();
            setup_state();
        }
    }
    check_all();
    teardown_state();
    free(ring);
    printf("fuzz: %lu iterations, seed %llu: %lu replies (%lu errors), %lu events, "
           "%lu connections cut off; all invariants held\n",
           iterations, seed, stat_replies, stat_errors, stat_events, stat_cutoffs);
    return 0;
}

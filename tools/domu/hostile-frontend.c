// SPDX-License-Identifier: GPL-2.0
/*
 * hostile-frontend: a domU program that plays blkfront and netfront itself,
 * from user space, and then misbehaves as a malicious guest would.  It runs
 * in a guest whose kernel never loaded the real frontends, so the vbd and
 * vif that xl gave it wait in InitWait for whoever writes the frontend's
 * half of the handshake.  We write it, with our own rings (pages granted to
 * dom0 through /dev/xen/gntalloc), our own event channel (/dev/xen/evtchn)
 * and raw xenstore requests (/dev/xen/xenbus).
 *
 * First a well-formed request on each ring must succeed: the control that
 * proves we speak the protocols, so that the refusals which follow mean
 * something.  Then the attacks: requests the backend must refuse one by one
 * (unknown operation, bad segment counts and sector ranges, grants that do
 * not exist or are read-only, indirect descriptors out of bounds), a
 * producer index far ahead of the ring, frontend xenstore nodes full of
 * garbage, writes to other domains' nodes, and for netback a frame that
 * crosses its page (which must disable the vif).  dom0's half
 * (tools/dom0/hostile-checks) then checks that blkback, netback, xenstored
 * and every other guest are still fine.
 *
 * Output: "DOMU CHECK <name>: <value>" lines on stdout (the console).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
/* Linux's evtchn.h uses Xen's domid_t without defining it. */
typedef uint16_t domid_t;
#include <xen/evtchn.h>
#include <xen/gntalloc.h>

#include <public/io/xs_wire.h>

#define PAGE 4096u
#define DOM0 0

/* ---- the ring ABI (Xen's public/io/ring.h, blkif.h, netif.h) ---- */

/*
 * Every shared ring page starts with the four indices and 48 bytes of
 * padding; entries (a union of request and response) follow at 64, and the
 * ring holds the largest power of two of them that fits.
 */
struct ring_header {
    uint32_t req_prod, req_event, rsp_prod, rsp_event;
    uint8_t pad[48];
};
_Static_assert(sizeof(struct ring_header) == 64, "ring header layout");

#define BLK_OP_READ      0
#define BLK_OP_INDIRECT  6
#define BLK_MAX_SEGS     11

struct blk_segment {
    uint32_t gref;
    uint8_t first_sect, last_sect;
    uint16_t pad;
};

/* The x86-64 request: operation, then the read/write (or indirect) body. */
struct blk_request {
    uint8_t operation;
    uint8_t nr_segments;
    uint16_t handle;
    uint32_t pad;
    uint64_t id;
    uint64_t sector;
    struct blk_segment seg[BLK_MAX_SEGS];
};
_Static_assert(sizeof(struct blk_request) == 112, "blkif request layout");

struct blk_indirect_request {
    uint8_t operation;        /* BLK_OP_INDIRECT */
    uint8_t indirect_op;
    uint16_t nr_segments;
    uint32_t pad1;
    uint64_t id;
    uint64_t sector;
    uint16_t handle;
    uint16_t pad2;
    uint32_t indirect_grefs[8];
    uint32_t pad3;
} __attribute__((packed));
_Static_assert(sizeof(struct blk_indirect_request) == 64, "indirect request layout");

struct blk_response {
    uint64_t id;
    uint8_t operation;
    uint8_t pad;
    int16_t status;
    uint32_t pad2;
};
_Static_assert(sizeof(struct blk_response) == 16, "blkif response layout");

union blk_entry {
    struct blk_request req;
    struct blk_indirect_request ind;
    struct blk_response rsp;
};
#define BLK_RING_SIZE 32          /* (4096 - 64) / 112 rounded down to 2^n */

struct blk_sring {
    struct ring_header h;
    union blk_entry ring[BLK_RING_SIZE];
};
_Static_assert(sizeof(struct blk_sring) <= PAGE, "blk ring fits a page");

struct net_tx_request {
    uint32_t gref;
    uint16_t offset, flags, id, size;
};
struct net_tx_response {
    uint16_t id;
    int16_t status;
};
union net_tx_entry {
    struct net_tx_request req;
    struct net_tx_response rsp;
};
_Static_assert(sizeof(union net_tx_entry) == 12, "netif tx entry layout");
#define NET_TX_RING_SIZE 256

struct net_tx_sring {
    struct ring_header h;
    union net_tx_entry ring[NET_TX_RING_SIZE];
};
_Static_assert(sizeof(struct net_tx_sring) <= PAGE, "tx ring fits a page");

/* xenbus states. */
enum { XB_INITIALISING = 1, XB_INITWAIT, XB_INITIALISED, XB_CONNECTED,
       XB_CLOSING, XB_CLOSED };

/* ---- small helpers ---- */

static void say(const char *name, const char *fmt, ...)
{
    va_list ap;

    printf("DOMU CHECK %s: ", name);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

static void die(const char *what)
{
    say("hostile-error", "%s: %s", what, strerror(errno));
    exit(1);
}

static void sleep_ms(unsigned int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

    nanosleep(&ts, NULL);
}

/* ---- xenstore through /dev/xen/xenbus ---- */

static int xs_fd = -1;
static uint32_t xs_req_id;

/*
 * One request, one reply.  Returns 0 with the reply's payload in `out`
 * (NUL-terminated), or the errno its XS_ERROR names (EACCES, ENOENT...).
 */
static int xs_call(uint32_t type, const char *a, const char *b, char *out, size_t outlen)
{
    char buf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
    struct xsd_sockmsg *m = (struct xsd_sockmsg *)buf;
    size_t la = strlen(a) + 1, lb = b ? strlen(b) : 0;
    ssize_t n;

    if (la + lb > XENSTORE_PAYLOAD_MAX)
        return E2BIG;
    m->type = type;
    m->req_id = ++xs_req_id;
    m->tx_id = 0;
    m->len = (uint32_t)(la + lb);
    memcpy(buf + sizeof(*m), a, la);
    if (lb)
        memcpy(buf + sizeof(*m) + la, b, lb);
    if (write(xs_fd, buf, sizeof(*m) + m->len) < 0)
        die("xenbus write");
    n = read(xs_fd, buf, sizeof(buf) - 1);
    if (n < (ssize_t)sizeof(*m))
        die("xenbus read");
    buf[n] = '\0';
    if (m->type == XS_ERROR) {
        const char *e = buf + sizeof(*m);
        return !strcmp(e, "EACCES") ? EACCES : !strcmp(e, "ENOENT") ? ENOENT :
               !strcmp(e, "EINVAL") ? EINVAL : EIO;
    }
    if (out) {
        snprintf(out, outlen, "%s", buf + sizeof(*m));
    }
    return 0;
}

static int xs_write(const char *dir, const char *key, const char *value)
{
    char path[256];

    snprintf(path, sizeof(path), "%s/%s", dir, key);
    return xs_call(XS_WRITE, path, value, NULL, 0);
}

static int xs_write_u(const char *dir, const char *key, unsigned long v)
{
    char s[32];

    snprintf(s, sizeof(s), "%lu", v);
    return xs_write(dir, key, s);
}

static int xs_read_int(const char *dir, const char *key)
{
    char path[256], v[64];

    snprintf(path, sizeof(path), "%s/%s", dir, key);
    if (xs_call(XS_READ, path, NULL, v, sizeof(v)))
        return -1;
    return atoi(v);
}

static void xs_rm(const char *dir, const char *key)
{
    char path[256];

    snprintf(path, sizeof(path), "%s/%s", dir, key);
    xs_call(XS_RM, path, NULL, NULL, 0);
}

/* Wait up to `s` seconds for the backend to reach one of two states. */
static int wait_backend(const char *be, int want, int or_want, unsigned int s)
{
    int st = -1;

    for (unsigned int i = 0; i < s * 20; i++) {
        st = xs_read_int(be, "state");
        if (st == want || st == or_want)
            return st;
        sleep_ms(50);
    }
    return st;
}

/* ---- grants and event channels ---- */

static int gnt_fd = -1, evt_fd = -1;

struct granted {
    uint32_t gref;
    void *page;
};

static struct granted grant_page(int writable)
{
    struct ioctl_gntalloc_alloc_gref a = { .domid = DOM0, .count = 1,
        .flags = writable ? GNTALLOC_FLAG_WRITABLE : 0 };
    struct granted g;

    if (ioctl(gnt_fd, IOCTL_GNTALLOC_ALLOC_GREF, &a))
        die("gntalloc");
    g.gref = a.gref_ids[0];
    g.page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, gnt_fd, (off_t)a.index);
    if (g.page == MAP_FAILED)
        die("mmap granted page");
    return g;
}

static unsigned int alloc_port(void)
{
    struct ioctl_evtchn_bind_unbound_port b = { .remote_domain = DOM0 };
    int port = ioctl(evt_fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &b);

    if (port < 0)
        die("evtchn bind unbound");
    return (unsigned int)port;
}

static void notify(unsigned int port)
{
    struct ioctl_evtchn_notify n = { .port = port };

    ioctl(evt_fd, IOCTL_EVTCHN_NOTIFY, &n);
}

/* ---- the disk ---- */

struct blk {
    char fe[64], be[128];
    struct granted ring, data, ro;
    unsigned int port;
};

static struct blk_sring *blk_ring(struct blk *b)
{
    return b->ring.page;
}

/*
 * Back to a clean InitWait from whatever state the last attack left: tell
 * the backend we closed (it disconnects and, the device being online,
 * waits), then that we start again.
 */
static int blk_restart(struct blk *b)
{
    xs_write_u(b->fe, "state", XB_CLOSED);
    if (wait_backend(b->be, XB_CLOSED, XB_CLOSED, 20) != XB_CLOSED)
        return -1;
    for (const char **k = (const char *[]){ "ring-ref", "event-channel", "protocol",
             "ring-page-order", "ring-ref0", "multi-queue-num-queues", NULL }; *k; k++)
        xs_rm(b->fe, *k);
    xs_write_u(b->fe, "state", XB_INITIALISING);
    return wait_backend(b->be, XB_INITWAIT, XB_INITWAIT, 20) == XB_INITWAIT ? 0 : -1;
}

/* A fresh ring and the nodes that offer it to the backend. */
static void blk_offer_ring(struct blk *b)
{
    memset(b->ring.page, 0, PAGE);
    blk_ring(b)->h.req_event = blk_ring(b)->h.rsp_event = 1;
    xs_write_u(b->fe, "ring-ref", b->ring.gref);
    xs_write_u(b->fe, "event-channel", b->port);
    xs_write(b->fe, "protocol", "x86_64-abi");
}

/* Our half of the handshake, well formed; returns the backend's answer. */
static int blk_connect(struct blk *b)
{
    blk_offer_ring(b);
    xs_write_u(b->fe, "state", XB_INITIALISED);
    return wait_backend(b->be, XB_CONNECTED, XB_CLOSING, 20);
}

/*
 * Queue n requests (already in the ring from req_prod on), publish them and
 * wait for their responses.  Returns how many came back within 10 s.
 */
static unsigned int blk_push(struct blk *b, unsigned int n, unsigned int wait_ms)
{
    struct blk_sring *r = blk_ring(b);
    uint32_t want = r->h.req_prod + n;

    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    r->h.req_prod = want;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    notify(b->port);
    for (unsigned int i = 0; i < wait_ms / 10; i++) {
        if (__atomic_load_n(&r->h.rsp_prod, __ATOMIC_ACQUIRE) == want)
            break;
        sleep_ms(10);
    }
    return n - (want - __atomic_load_n(&r->h.rsp_prod, __ATOMIC_ACQUIRE));
}

static struct blk_request *blk_slot(struct blk *b, unsigned int i)
{
    struct blk_sring *r = blk_ring(b);

    return &r->ring[(r->h.req_prod + i) % BLK_RING_SIZE].req;
}

static void blk_read_req(struct blk_request *q, uint64_t id, uint64_t sector, uint32_t gref)
{
    memset(q, 0, sizeof(*q));
    q->operation = BLK_OP_READ;
    q->nr_segments = 1;
    q->id = id;
    q->sector = sector;
    q->seg[0] = (struct blk_segment){ .gref = gref, .first_sect = 0, .last_sect = 7 };
}

/* A well-formed read of sector 0: "ok <marker>" or what went wrong. */
static void blk_control(struct blk *b, const char *name)
{
    struct blk_sring *r = blk_ring(b);
    unsigned int slot = r->h.req_prod % BLK_RING_SIZE;

    memset(b->data.page, 0, PAGE);
    blk_read_req(blk_slot(b, 0), 0xc0de, 0, b->data.gref);
    if (blk_push(b, 1, 10000) != 1) {
        say(name, "no response");
        return;
    }
    if (r->ring[slot].rsp.id != 0xc0de || r->ring[slot].rsp.status != 0) {
        say(name, "status %d id %#llx", r->ring[slot].rsp.status,
            (unsigned long long)r->ring[slot].rsp.id);
        return;
    }
    say(name, "ok %.21s", (char *)b->data.page);
}

/*
 * Requests blkback must refuse, each on its own merits, answered one by one
 * with an error status while the ring keeps working.
 */
static void blk_bad_requests(struct blk *b, uint64_t sectors)
{
    struct blk_sring *r = blk_ring(b);
    unsigned int first = r->h.req_prod, n = 0, refused = 0;
    char statuses[256] = "";
    struct blk_request *q;
    struct blk_indirect_request *ind;

    q = blk_slot(b, n++);                              /* unknown operation */
    blk_read_req(q, 1, 0, b->data.gref);
    q->operation = 0xee;
    q = blk_slot(b, n++);                              /* no segments */
    blk_read_req(q, 2, 0, b->data.gref);
    q->nr_segments = 0;
    q = blk_slot(b, n++);                              /* too many segments */
    blk_read_req(q, 3, 0, b->data.gref);
    q->nr_segments = BLK_MAX_SEGS + 1;
    q = blk_slot(b, n++);                              /* last before first */
    blk_read_req(q, 4, 0, b->data.gref);
    q->seg[0].first_sect = 5;
    q->seg[0].last_sect = 2;
    q = blk_slot(b, n++);                              /* past the page */
    blk_read_req(q, 5, 0, b->data.gref);
    q->seg[0].last_sect = 9;
    q = blk_slot(b, n++);                              /* beyond the disk */
    blk_read_req(q, 6, sectors + 64, b->data.gref);
    q = blk_slot(b, n++);                              /* a grant that is not there */
    blk_read_req(q, 7, 0, 0x7ffffff0u);
    q = blk_slot(b, n++);                              /* read into a read-only grant */
    blk_read_req(q, 8, 0, b->ro.gref);
    ind = (struct blk_indirect_request *)blk_slot(b, n++);   /* indirect, too many */
    memset(ind, 0, sizeof(union blk_entry));
    ind->operation = BLK_OP_INDIRECT;
    ind->indirect_op = BLK_OP_READ;
    ind->nr_segments = 4000;
    ind->id = 9;
    ind->indirect_grefs[0] = b->data.gref;
    ind = (struct blk_indirect_request *)blk_slot(b, n++);   /* indirect page missing */
    memset(ind, 0, sizeof(union blk_entry));
    ind->operation = BLK_OP_INDIRECT;
    ind->indirect_op = BLK_OP_READ;
    ind->nr_segments = 16;
    ind->id = 10;
    ind->indirect_grefs[0] = 0x7ffffff1u;

    unsigned int got = blk_push(b, n, 15000);
    for (unsigned int i = 0; i < got; i++) {
        struct blk_response *s = &r->ring[(first + i) % BLK_RING_SIZE].rsp;
        size_t len = strlen(statuses);

        snprintf(statuses + len, sizeof(statuses) - len, "%s%llu:%d", i ? " " : "",
                 (unsigned long long)s->id, s->status);
        if (s->status < 0)
            refused++;
    }
    say("blk-bad-requests", "%u of %u refused (%s)", refused, n, statuses);
}

/* A producer index far past the ring: the backend must stop reading it. */
static void blk_runaway_producer(struct blk *b)
{
    struct blk_sring *r = blk_ring(b);
    uint32_t before = r->h.rsp_prod;

    r->h.req_prod += 5000;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    notify(b->port);
    sleep_ms(2000);
    say("blk-runaway-producer", "%u responses", r->h.rsp_prod - before);
}

/* One garbage value in our xenstore nodes: the backend must give up. */
static void blk_garbage_node(struct blk *b, const char *key, const char *value, int *closed)
{
    if (blk_restart(b)) {
        say("hostile-error", "vbd restart before %s failed", key);
        return;
    }
    blk_offer_ring(b);
    /* The state node itself is one of the garbage values. */
    if (strcmp(key, "state"))
        xs_write(b->fe, key, value);
    xs_write(b->fe, "state", strcmp(key, "state") ? "3" : value);
    if (wait_backend(b->be, XB_CLOSING, XB_CLOSED, 15) >= XB_CLOSING)
        (*closed)++;
    else
        printf("hostile-frontend: backend state %d after %s=%s\n",
               xs_read_int(b->be, "state"), key, value);
}

static void disk_attacks(void)
{
    struct blk b;
    char backend[128];
    int sectors, closed = 0;

    snprintf(b.fe, sizeof(b.fe), "device/vbd/51712");
    if (xs_call(XS_READ, "device/vbd/51712/backend", NULL, backend, sizeof(backend)))
        die("no device/vbd/51712/backend");
    snprintf(b.be, sizeof(b.be), "%s", backend);
    b.ring = grant_page(1);
    b.data = grant_page(1);
    b.ro = grant_page(0);
    b.port = alloc_port();

    say("blk-initwait", "%d", wait_backend(b.be, XB_INITWAIT, XB_INITWAIT, 30));
    say("blk-connect", "%d", blk_connect(&b));
    sectors = xs_read_int(b.be, "sectors");
    blk_control(&b, "blk-control");
    blk_bad_requests(&b, (uint64_t)(sectors > 0 ? sectors : 0));
    blk_control(&b, "blk-control-after-bad");
    blk_runaway_producer(&b);

    /* Each node garbage on its own, from a fresh InitWait. */
    blk_garbage_node(&b, "ring-ref", "banana", &closed);
    blk_garbage_node(&b, "event-channel", "4000000000", &closed);
    blk_garbage_node(&b, "ring-page-order", "30", &closed);
    blk_garbage_node(&b, "protocol", "x86_128-abi", &closed);
    blk_garbage_node(&b, "multi-queue-num-queues", "0", &closed);
    blk_garbage_node(&b, "state", "42", &closed);
    say("blk-garbage-nodes", "%d of 6 refused", closed);

    /* After all that, a well-behaved reconnection still gets service. */
    if (blk_restart(&b) == 0 && blk_connect(&b) == XB_CONNECTED)
        blk_control(&b, "blk-control-reconnected");
    else
        say("blk-control-reconnected", "could not reconnect (backend state %d)",
            xs_read_int(b.be, "state"));
}

/* ---- the network ---- */

struct net {
    char fe[64], be[128];
    struct granted tx, rx, data;
    unsigned int port;
};

static struct net_tx_sring *tx_ring(struct net *n)
{
    return n->tx.page;
}

/* Send one TX request; returns its response status, or 1 for none. */
static int net_send(struct net *n, uint32_t gref, uint16_t offset, uint16_t size, uint16_t id)
{
    struct net_tx_sring *r = tx_ring(n);
    uint32_t slot = r->h.req_prod, want = slot + 1;

    r->ring[slot % NET_TX_RING_SIZE].req = (struct net_tx_request){
        .gref = gref, .offset = offset, .flags = 0, .id = id, .size = size };
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    r->h.req_prod = want;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    notify(n->port);
    for (int i = 0; i < 500 && __atomic_load_n(&r->h.rsp_prod, __ATOMIC_ACQUIRE) != want; i++)
        sleep_ms(10);
    if (r->h.rsp_prod != want)
        return 1;
    if (r->ring[slot % NET_TX_RING_SIZE].rsp.id != id)
        return 2;
    return r->ring[slot % NET_TX_RING_SIZE].rsp.status;
}

/* A broadcast frame from our MAC with a local-experimental ethertype. */
static void net_frame(struct net *n)
{
    uint8_t *f = n->data.page;
    unsigned int mac[6] = { 0 };
    char s[32] = "";
    char path[96];

    snprintf(path, sizeof(path), "%s/mac", n->fe);
    xs_call(XS_READ, path, NULL, s, sizeof(s));
    sscanf(s, "%x:%x:%x:%x:%x:%x", &mac[0], &mac[1], &mac[2], &mac[3], &mac[4], &mac[5]);
    memset(f, 0, 64);
    memset(f, 0xff, 6);
    for (int i = 0; i < 6; i++)
        f[6 + i] = (uint8_t)mac[i];
    f[12] = 0x88;
    f[13] = 0xb5;
    memcpy(f + 14, "TONNERRE-HOSTILE", 16);
}

static void net_attacks(void)
{
    struct net n;
    char backend[128];

    snprintf(n.fe, sizeof(n.fe), "device/vif/0");
    if (xs_call(XS_READ, "device/vif/0/backend", NULL, backend, sizeof(backend)))
        die("no device/vif/0/backend");
    snprintf(n.be, sizeof(n.be), "%s", backend);
    n.tx = grant_page(1);
    n.rx = grant_page(1);
    n.data = grant_page(1);
    n.port = alloc_port();
    memset(n.tx.page, 0, PAGE);
    memset(n.rx.page, 0, PAGE);
    tx_ring(&n)->h.req_event = tx_ring(&n)->h.rsp_event = 1;
    ((struct ring_header *)n.rx.page)->req_event = 1;
    ((struct ring_header *)n.rx.page)->rsp_event = 1;

    say("net-initwait", "%d", wait_backend(n.be, XB_INITWAIT, XB_INITWAIT, 30));
    xs_write_u(n.fe, "tx-ring-ref", n.tx.gref);
    xs_write_u(n.fe, "rx-ring-ref", n.rx.gref);
    xs_write_u(n.fe, "event-channel", n.port);
    xs_write(n.fe, "request-rx-copy", "1");
    xs_write(n.fe, "feature-rx-notify", "1");
    xs_write_u(n.fe, "state", XB_CONNECTED);
    say("net-connect", "%d", wait_backend(n.be, XB_CONNECTED, XB_CLOSING, 20));

    net_frame(&n);
    say("net-control", "status %d", net_send(&n, n.data.gref, 0, 60, 1));
    say("net-bad-grant", "status %d", net_send(&n, 0x7ffffff2u, 0, 60, 2));
    say("net-control-after-bad", "status %d", net_send(&n, n.data.gref, 0, 60, 3));
    /* Across the end of the page: netback must call this frontend rogue. */
    say("net-cross-page", "status %d", net_send(&n, n.data.gref, 4000, 200, 4));
}

/* ---- xenstore: other domains' nodes are not ours to write ---- */

static void xenstore_attacks(void)
{
    char backend[128];
    char big[3000];
    int refused = 0;

    if (xs_call(XS_READ, "device/vbd/51712/backend", NULL, backend, sizeof(backend)))
        die("no backend path");
    refused += xs_call(XS_WRITE, "/local/domain/0/hostile", "x", NULL, 0) == EACCES;
    refused += xs_write(backend, "state", "4") == EACCES;
    refused += xs_write(backend, "params", "/etc/shadow") == EACCES;
    refused += xs_call(XS_RM, "/local/domain/0/backend", NULL, NULL, 0) == EACCES;
    /* A path longer than xenstored allows. */
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    refused += xs_call(XS_WRITE, big, "x", NULL, 0) != 0;
    say("xenstore-refused", "%d of 5", refused);
}

int main(void)
{
    xs_fd = open("/dev/xen/xenbus", O_RDWR);
    gnt_fd = open("/dev/xen/gntalloc", O_RDWR);
    evt_fd = open("/dev/xen/evtchn", O_RDWR);
    if (xs_fd < 0 || gnt_fd < 0 || evt_fd < 0)
        die("opening /dev/xen/{xenbus,gntalloc,evtchn}");
    xenstore_attacks();
    disk_attacks();
    net_attacks();
    say("hostile-done", "yes");
    return 0;
}

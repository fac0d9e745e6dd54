/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The domain-ring transport: a struct xenstore_domain_interface in memory
 * shared with a guest.  We consume the request ring (we own req_cons, the
 * guest req_prod) and produce into the response ring (we own rsp_prod, the
 * guest rsp_cons).  The page is the guest's to scribble on, so each index is
 * read once per pass and checked: prod - cons can never legitimately exceed
 * the ring size.  A ring that breaks that rule is cut off (error field set to
 * XENSTORE_ERROR_RINGIDX); nothing else is touched.  Bytes are copied out of
 * the page once, and only the private copy is parsed.
 */
#include <string.h>
#include "xs_core.h"
#include "xs_util.h"

/* The other side runs concurrently: read each shared index exactly once. */
#define SHARED_READ(x)     __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define SHARED_WRITE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

static bool indices_sane(XENSTORE_RING_IDX cons, XENSTORE_RING_IDX prod)
{
    return (XENSTORE_RING_IDX)(prod - cons) <= XENSTORE_RING_SIZE;
}

/* Copy out up to len request bytes; -1 if the indices are impossible. */
int xs_ring_read(struct xenstore_domain_interface *intf, void *buf, size_t len)
{
    XENSTORE_RING_IDX cons = SHARED_READ(intf->req_cons);
    XENSTORE_RING_IDX prod = SHARED_READ(intf->req_prod);
    size_t avail, done = 0, chunk, off;

    if ( !indices_sane(cons, prod) )
        return -1;
    /* See the producer's bytes only after its index. */
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    avail = (XENSTORE_RING_IDX)(prod - cons);
    if ( len > avail )
        len = avail;
    while ( done < len )
    {
        off = MASK_XENSTORE_IDX(cons + done);
        chunk = XENSTORE_RING_SIZE - off;
        if ( chunk > len - done )
            chunk = len - done;
        memcpy((char *)buf + done, intf->req + off, chunk);
        done += chunk;
    }
    /* Finish reading the bytes before handing their space back. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    SHARED_WRITE(intf->req_cons, cons + (XENSTORE_RING_IDX)done);
    return (int)done;
}

/* Copy in up to len response bytes; -1 if the indices are impossible. */
int xs_ring_write(struct xenstore_domain_interface *intf, const void *buf, size_t len)
{
    XENSTORE_RING_IDX cons = SHARED_READ(intf->rsp_cons);
    XENSTORE_RING_IDX prod = SHARED_READ(intf->rsp_prod);
    size_t space, done = 0, chunk, off;

    if ( !indices_sane(cons, prod) )
        return -1;
    /* Do not overwrite bytes the guest has not finished reading. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    space = XENSTORE_RING_SIZE - (XENSTORE_RING_IDX)(prod - cons);
    if ( len > space )
        len = space;
    while ( done < len )
    {
        off = MASK_XENSTORE_IDX(prod + done);
        chunk = XENSTORE_RING_SIZE - off;
        if ( chunk > len - done )
            chunk = len - done;
        memcpy(intf->rsp + off, (const char *)buf + done, chunk);
        done += chunk;
    }
    /* The bytes must be visible before the index that publishes them. */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    SHARED_WRITE(intf->rsp_prod, prod + (XENSTORE_RING_IDX)done);
    return (int)done;
}

void xs_ring_init(struct xenstore_domain_interface *intf)
{
    SHARED_WRITE(intf->server_features,
                 XENSTORE_SERVER_FEATURE_RECONNECTION | XENSTORE_SERVER_FEATURE_ERROR);
    SHARED_WRITE(intf->error, XENSTORE_ERROR_NONE);
}

static void ring_cut_off(struct xs_conn *c, struct xenstore_domain_interface *intf,
                         unsigned int error)
{
    static const char *const why[] = {
        [XENSTORE_ERROR_COMM] = "communication problem",
        [XENSTORE_ERROR_RINGIDX] = "impossible ring indices",
        [XENSTORE_ERROR_PROTO] = "message longer than XENSTORE_PAYLOAD_MAX",
    };

    c->error = error;
    SHARED_WRITE(intf->error, error);
    xs_log(c->state, "dom%u: ring cut off: %s", c->caller.domid,
           error < XS_ARRAY_SIZE(why) && why[error] ? why[error] : "?");
}

/*
 * XENSTORE_RECONNECT: the guest (e.g. a kexec'd kernel) wants a fresh start.
 * Forget its watches and transactions, empty both rings, say we are done.
 */
static bool ring_reconnect(struct xs_conn *c, struct xenstore_domain_interface *intf)
{
    if ( SHARED_READ(intf->connection) != XENSTORE_RECONNECT )
        return false;
    xs_conn_reset(c);
    SHARED_WRITE(intf->req_cons, 0);
    SHARED_WRITE(intf->req_prod, 0);
    SHARED_WRITE(intf->rsp_cons, 0);
    SHARED_WRITE(intf->rsp_prod, 0);
    SHARED_WRITE(intf->error, XENSTORE_ERROR_NONE);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    SHARED_WRITE(intf->connection, XENSTORE_CONNECTED);
    return true;
}

static bool ring_pump_input(struct xs_conn *c, struct xenstore_domain_interface *intf)
{
    char buf[XS_HDR_SIZE + XENSTORE_PAYLOAD_MAX];
    size_t room;
    bool moved = false;
    int n;

    while ( !c->error && (room = xs_conn_input_room(c)) )
    {
        n = xs_ring_read(intf, buf, room < sizeof(buf) ? room : sizeof(buf));
        if ( n < 0 )
        {
            ring_cut_off(c, intf, XENSTORE_ERROR_RINGIDX);
            break;
        }
        if ( n == 0 )
            break;
        moved = true;
        xs_conn_feed(c, buf, (size_t)n);
        if ( c->error )
            ring_cut_off(c, intf, c->error);
    }
    return moved;
}

static bool ring_pump_output(struct xs_conn *c, struct xenstore_domain_interface *intf)
{
    const uint8_t *data;
    size_t len;
    bool moved = false;
    int n;

    while ( !c->error && (len = xs_conn_out_peek(c, &data)) )
    {
        n = xs_ring_write(intf, data, len);
        if ( n < 0 )
        {
            ring_cut_off(c, intf, XENSTORE_ERROR_RINGIDX);
            break;
        }
        if ( n == 0 )
            break;
        moved = true;
        xs_conn_out_consume(c, (size_t)n);
    }
    return moved;
}

bool xs_ring_service(struct xs_conn *c, struct xenstore_domain_interface *intf)
{
    bool notify = ring_reconnect(c, intf);

    if ( c->error )
        return notify;
    /* Output first: replies free ring space and lift back-pressure. */
    notify |= ring_pump_output(c, intf);
    notify |= ring_pump_input(c, intf);
    notify |= ring_pump_output(c, intf);
    return notify;
}

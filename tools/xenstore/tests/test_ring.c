/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shared-ring transport, with the "guest" played by this test on a
 * struct xenstore_domain_interface in plain memory.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

struct ctx {
    struct xs_state *s;
    struct xenstore_domain_interface *intf;
    struct xs_conn *c;
};

static int setup(void **state)
{
    static struct ctx x;

    x.s = h_init();
    x.intf = calloc(1, 4096);
    x.c = xs_conn_new(x.s, 0, true);
    xs_ring_init(x.intf);
    *state = &x;
    return 0;
}

static int teardown(void **state)
{
    struct ctx *x = *state;

    h_fini(x->s);
    free(x->intf);
    return 0;
}

/* The guest's side of the rings. */
static size_t guest_send(struct xenstore_domain_interface *intf, const void *buf, size_t len)
{
    size_t i, space = XENSTORE_RING_SIZE - (intf->req_prod - intf->req_cons);

    if ( len > space )
        len = space;
    for ( i = 0; i < len; i++ )
        intf->req[MASK_XENSTORE_IDX(intf->req_prod + i)] = ((const char *)buf)[i];
    intf->req_prod += (XENSTORE_RING_IDX)len;
    return len;
}

static size_t guest_recv(struct xenstore_domain_interface *intf, void *buf, size_t len)
{
    size_t i, avail = intf->rsp_prod - intf->rsp_cons;

    if ( len > avail )
        len = avail;
    for ( i = 0; i < len; i++ )
        ((char *)buf)[i] = intf->rsp[MASK_XENSTORE_IDX(intf->rsp_cons + i)];
    intf->rsp_cons += (XENSTORE_RING_IDX)len;
    return len;
}

static size_t make_req(void *buf, uint32_t type, uint32_t req_id, const char *a,
                       const char *b)
{
    struct xsd_sockmsg h = { .type = type, .req_id = req_id };
    size_t la = strlen(a) + 1, lb = b ? strlen(b) : 0;

    h.len = (uint32_t)(la + lb);
    memcpy(buf, &h, sizeof(h));
    memcpy((char *)buf + sizeof(h), a, la);
    if ( b )
        memcpy((char *)buf + sizeof(h) + la, b, lb);
    return sizeof(h) + h.len;
}

/* Read one whole reply, servicing the ring as often as it takes. */
static void guest_reply(struct ctx *x, struct h_msg *m)
{
    size_t got = 0;
    int rounds;

    memset(m, 0, sizeof(*m));
    for ( rounds = 0; got < sizeof(m->hdr) && rounds < 100; rounds++ )
    {
        xs_ring_service(x->c, x->intf);
        got += guest_recv(x->intf, (char *)&m->hdr + got, sizeof(m->hdr) - got);
    }
    assert_int_equal(got, sizeof(m->hdr));
    assert_true(m->hdr.len <= XENSTORE_PAYLOAD_MAX);
    for ( got = 0, rounds = 0; got < m->hdr.len && rounds < 100; rounds++ )
    {
        xs_ring_service(x->c, x->intf);
        got += guest_recv(x->intf, m->data + got, m->hdr.len - got);
    }
    assert_int_equal(got, m->hdr.len);
}

static void test_features_advertised(void **state)
{
    struct ctx *x = *state;

    assert_int_equal(x->intf->server_features,
                     XENSTORE_SERVER_FEATURE_RECONNECTION | XENSTORE_SERVER_FEATURE_ERROR);
    assert_int_equal(x->intf->error, XENSTORE_ERROR_NONE);
}

static void test_read_write_wraparound(void **state)
{
    struct ctx *x = *state;
    char in[100], out[100];
    int i;

    for ( i = 0; i < 100; i++ )
        in[i] = (char)i;
    /* Indices about to wrap the 32-bit space and the 1 KiB ring at once. */
    x->intf->req_cons = x->intf->req_prod = 0xffffffe0u;
    assert_int_equal(guest_send(x->intf, in, 100), 100);
    assert_int_equal(xs_ring_read(x->intf, out, 60), 60);
    assert_int_equal(xs_ring_read(x->intf, out + 60, 100), 40);
    assert_memory_equal(in, out, 100);
    assert_int_equal(x->intf->req_cons, 0xffffffe0u + 100);
    assert_int_equal(xs_ring_read(x->intf, out, 10), 0);

    x->intf->rsp_cons = x->intf->rsp_prod = 0xfffffff0u;
    assert_int_equal(xs_ring_write(x->intf, in, 100), 100);
    assert_int_equal(guest_recv(x->intf, out, 100), 100);
    assert_memory_equal(in, out, 100);
    /* A full ring takes nothing more. */
    x->intf->rsp_cons = x->intf->rsp_prod - XENSTORE_RING_SIZE;
    assert_int_equal(xs_ring_write(x->intf, in, 1), 0);
}

static void test_partial_messages(void **state)
{
    struct ctx *x = *state;
    char buf[256];
    struct h_msg m;
    size_t len = make_req(buf, XS_READ, 77, "/local/domain/0/name", NULL);

    /* Header only: nothing to answer yet. */
    guest_send(x->intf, buf, 10);
    assert_true(xs_ring_service(x->c, x->intf));   /* bytes were consumed */
    assert_int_equal(x->intf->req_cons, 10);
    assert_int_equal(x->intf->rsp_prod, 0);
    guest_send(x->intf, buf + 10, 10);
    xs_ring_service(x->c, x->intf);
    assert_int_equal(x->intf->rsp_prod, 0);
    guest_send(x->intf, buf + 20, len - 20);
    guest_reply(x, &m);
    assert_int_equal(m.hdr.type, XS_READ);
    assert_int_equal(m.hdr.req_id, 77);
    assert_int_equal(m.hdr.len, 8);
    assert_memory_equal(m.data, "Domain-0", 8);
}

static void test_many_requests_across_wrap(void **state)
{
    struct ctx *x = *state;
    char buf[256], value[32];
    struct h_msg m;
    size_t len;
    uint32_t i;

    x->intf->req_cons = x->intf->req_prod = 1000;
    x->intf->rsp_cons = x->intf->rsp_prod = 1000;
    for ( i = 0; i < 200; i++ )
    {
        snprintf(value, sizeof(value), "v%u", i);
        len = make_req(buf, XS_WRITE, i, "/ring/key", value);
        assert_int_equal(guest_send(x->intf, buf, len), len);
        guest_reply(x, &m);
        assert_int_equal(m.hdr.type, XS_WRITE);
        assert_int_equal(m.hdr.req_id, i);
    }
    len = make_req(buf, XS_READ, 999, "/ring/key", NULL);
    guest_send(x->intf, buf, len);
    guest_reply(x, &m);
    assert_memory_equal(m.data, "v199", 4);
}

static void test_reply_bigger_than_ring(void **state)
{
    struct ctx *x = *state;
    struct xs_conn *d0 = h_dom0(x->s);
    static char value[3001];
    char buf[64];
    struct h_msg m;

    memset(value, 'q', 3000);
    assert_int_equal(h_write(d0, 0, "/big", value), 0);
    guest_send(x->intf, buf, make_req(buf, XS_READ, 5, "/big", NULL));
    guest_reply(x, &m);
    assert_int_equal(m.hdr.len, 3000);
    assert_memory_equal(m.data, value, 3000);
}

static void test_garbage_req_indices(void **state)
{
    struct ctx *x = *state;
    struct xenstore_domain_interface *other = calloc(1, 4096);
    struct xs_conn *oc = xs_conn_new(x->s, 6, false);
    char buf[64];
    struct h_msg m;

    xs_ring_init(other);
    x->intf->req_cons = 5;
    x->intf->req_prod = 5 + XENSTORE_RING_SIZE + 1;
    xs_ring_service(x->c, x->intf);
    assert_int_equal(x->c->error, XENSTORE_ERROR_RINGIDX);
    assert_int_equal(x->intf->error, XENSTORE_ERROR_RINGIDX);
    /* Cut off for good: nothing more is read or written. */
    x->intf->req_prod = 5;
    guest_send(x->intf, buf, make_req(buf, XS_READ, 1, "/local", NULL));
    xs_ring_service(x->c, x->intf);
    assert_int_equal(x->intf->req_cons, 5);
    assert_int_equal(x->intf->rsp_prod, 0);
    /* Another domain is not affected. */
    guest_send(other, buf, make_req(buf, XS_GET_DOMAIN_PATH, 2, "6", NULL));
    xs_ring_service(oc, other);
    assert_int_equal(guest_recv(other, &m.hdr, sizeof(m.hdr)), sizeof(m.hdr));
    assert_int_equal(m.hdr.type, XS_GET_DOMAIN_PATH);
    free(other);
}

static void test_cut_off_is_logged(void **state)
{
    struct ctx *x = *state;
    char *text = NULL;
    size_t size = 0;

    x->s->log = open_memstream(&text, &size);
    x->intf->req_prod = 0x40000000u;
    xs_ring_service(x->c, x->intf);
    xs_ring_service(x->c, x->intf);
    fclose(x->s->log);
    x->s->log = NULL;
    assert_non_null(strstr(text, "dom0: ring cut off: impossible ring indices\n"));
    assert_null(strstr(strchr(text, '\n') + 1, "cut off"));     /* said once */
    free(text);
}

static void test_garbage_rsp_indices(void **state)
{
    struct ctx *x = *state;
    char buf[64];

    x->intf->rsp_cons = 0x80000000u;       /* "consumed" what was never produced */
    guest_send(x->intf, buf, make_req(buf, XS_READ, 1, "/local", NULL));
    xs_ring_service(x->c, x->intf);
    assert_int_equal(x->c->error, XENSTORE_ERROR_RINGIDX);
    assert_int_equal(x->intf->error, XENSTORE_ERROR_RINGIDX);
}

static void test_oversize_len_cuts_off(void **state)
{
    struct ctx *x = *state;
    struct xsd_sockmsg h = { .type = XS_WRITE, .len = XENSTORE_PAYLOAD_MAX + 1 };

    guest_send(x->intf, &h, sizeof(h));
    xs_ring_service(x->c, x->intf);
    assert_int_equal(x->c->error, XENSTORE_ERROR_PROTO);
    assert_int_equal(x->intf->error, XENSTORE_ERROR_PROTO);
    assert_int_equal(x->intf->rsp_prod, 0);
}

static void test_reconnect(void **state)
{
    struct ctx *x = *state;
    char buf[64];
    struct h_msg m;
    uint32_t t;

    assert_int_equal(h_watch(x->c, "/x", "t"), 0);
    assert_int_equal(h_txn_start(x->c, &t), 0);
    h_events_clear(x->c);
    /* Leave half a request and an unread reply behind, then ask for a reset. */
    guest_send(x->intf, buf, make_req(buf, XS_READ, 1, "/local", NULL));
    xs_ring_service(x->c, x->intf);
    guest_send(x->intf, buf, 7);
    x->intf->connection = XENSTORE_RECONNECT;
    assert_true(xs_ring_service(x->c, x->intf));
    assert_int_equal(x->intf->connection, XENSTORE_CONNECTED);
    assert_int_equal(x->intf->req_cons, 0);
    assert_int_equal(x->intf->req_prod, 0);
    assert_int_equal(x->intf->rsp_prod, 0);
    assert_int_equal(x->c->nr_watches, 0);
    assert_int_equal(x->c->nr_txns, 0);
    /* And it works afterwards. */
    guest_send(x->intf, buf, make_req(buf, XS_GET_DOMAIN_PATH, 3, "1", NULL));
    guest_reply(x, &m);
    assert_int_equal(m.hdr.req_id, 3);
    assert_string_equal(m.data, "/local/domain/1");
}

/*
 * A guest on another thread: it streams requests of many sizes into the ring
 * and checks every reply while the server thread services the ring
 * concurrently, as a real guest and xenstored do.  Indices start near the
 * 32-bit wrap.
 */
struct concurrent {
    struct ctx *x;
    int done;
    unsigned int bad;
};

#define GUEST_REQUESTS 3000

static void guest_put(struct xenstore_domain_interface *intf, const void *buf, size_t len)
{
    size_t off = 0, i;
    XENSTORE_RING_IDX prod, cons;

    while ( off < len )
    {
        prod = intf->req_prod;
        cons = __atomic_load_n(&intf->req_cons, __ATOMIC_ACQUIRE);
        for ( i = 0; i < XENSTORE_RING_SIZE - (prod - cons) && off < len; i++, off++ )
            intf->req[MASK_XENSTORE_IDX(prod + i)] = ((const char *)buf)[off];
        __atomic_store_n(&intf->req_prod, prod + (XENSTORE_RING_IDX)i, __ATOMIC_RELEASE);
    }
}

static void guest_get(struct xenstore_domain_interface *intf, void *buf, size_t len)
{
    size_t off = 0, i;
    XENSTORE_RING_IDX prod, cons;

    while ( off < len )
    {
        cons = intf->rsp_cons;
        prod = __atomic_load_n(&intf->rsp_prod, __ATOMIC_ACQUIRE);
        for ( i = 0; i < prod - cons && off < len; i++, off++ )
            ((char *)buf)[off] = intf->rsp[MASK_XENSTORE_IDX(cons + i)];
        __atomic_store_n(&intf->rsp_cons, cons + (XENSTORE_RING_IDX)i, __ATOMIC_RELEASE);
    }
}

static void *guest_thread(void *arg)
{
    struct concurrent *cc = arg;
    struct xenstore_domain_interface *intf = cc->x->intf;
    static char value[3000], val[3001], msg[4200];
    struct h_msg m;
    size_t len, vlen;
    uint32_t i;

    for ( i = 0; i < sizeof(value); i++ )
        value[i] = (char)('a' + i % 26);
    for ( i = 0; i < GUEST_REQUESTS; i++ )
    {
        vlen = (i * 37) % sizeof(value);
        memcpy(val, value, vlen);
        val[vlen] = '\0';
        len = make_req(msg, i % 2 ? XS_READ : XS_WRITE, i, "/stream", i % 2 ? NULL : val);
        guest_put(intf, msg, len);
        guest_get(intf, &m.hdr, sizeof(m.hdr));
        if ( m.hdr.len > XENSTORE_PAYLOAD_MAX )
        {
            cc->bad++;
            break;
        }
        guest_get(intf, m.data, m.hdr.len);
        if ( m.hdr.req_id != i )
            cc->bad++;
        /* A READ returns what the WRITE before it stored. */
        if ( i % 2 && (m.hdr.len != (((i - 1) * 37) % sizeof(value)) ||
                       memcmp(m.data, value, m.hdr.len) != 0) )
            cc->bad++;
    }
    __atomic_store_n(&cc->done, 1, __ATOMIC_RELEASE);
    return NULL;
}

static void test_concurrent_guest(void **state)
{
    struct concurrent cc = { .x = *state };
    pthread_t th;

    cc.x->intf->req_cons = cc.x->intf->req_prod = 0xfffffc00u;
    cc.x->intf->rsp_cons = cc.x->intf->rsp_prod = 0xfffffe00u;
    assert_int_equal(pthread_create(&th, NULL, guest_thread, &cc), 0);
    while ( !__atomic_load_n(&cc.done, __ATOMIC_ACQUIRE) )
        xs_ring_service(cc.x->c, cc.x->intf);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(cc.bad, 0);
    assert_int_equal(cc.x->c->error, 0);
    assert_int_equal(cc.x->intf->req_cons, cc.x->intf->req_prod);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_features_advertised, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_write_wraparound, setup, teardown),
        cmocka_unit_test_setup_teardown(test_partial_messages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_requests_across_wrap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reply_bigger_than_ring, setup, teardown),
        cmocka_unit_test_setup_teardown(test_garbage_req_indices, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cut_off_is_logged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_garbage_rsp_indices, setup, teardown),
        cmocka_unit_test_setup_teardown(test_oversize_len_cuts_off, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reconnect, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_guest, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

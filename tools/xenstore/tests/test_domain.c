/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Domains over the fake control library: INTRODUCE maps a ring (plain
 * memory here) and binds a port; the domain then talks over its ring;
 * RELEASE and domain death drop it and fire @releaseDomain.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

struct ctx {
    struct xs_state *s;
    struct xs_conn *d0;
    struct xenstore_domain_interface *ring[3];
    char path[256], token[64];
};

static int setup(void **state)
{
    static struct ctx x;
    int i;

    fake_reset();
    x.s = h_init();
    fake_attach(x.s);
    x.s->virq_port = 3;
    x.d0 = h_dom0(x.s);
    for ( i = 0; i < 3; i++ )
        fake.ring[i + 1] = x.ring[i] = calloc(1, 4096);
    *state = &x;
    return 0;
}

static int teardown(void **state)
{
    struct ctx *x = *state;
    int i;

    h_fini(x->s);
    for ( i = 0; i < 3; i++ )
        free(x->ring[i]);
    return 0;
}

static void guest_send(struct xenstore_domain_interface *intf, uint32_t type,
                       uint32_t req_id, const char *arg)
{
    struct xsd_sockmsg h = { .type = type, .req_id = req_id,
                             .len = (uint32_t)strlen(arg) + 1 };
    char buf[256];
    size_t i, len = sizeof(h) + h.len;

    memcpy(buf, &h, sizeof(h));
    memcpy(buf + sizeof(h), arg, h.len);
    for ( i = 0; i < len; i++ )
        intf->req[MASK_XENSTORE_IDX(intf->req_prod + i)] = buf[i];
    intf->req_prod += (XENSTORE_RING_IDX)len;
}

/* One reply from the response ring (small replies only). */
static bool guest_recv(struct xenstore_domain_interface *intf, struct h_msg *m)
{
    size_t i, avail = intf->rsp_prod - intf->rsp_cons;
    char *p = (char *)m;

    if ( avail < sizeof(m->hdr) )
        return false;
    for ( i = 0; i < sizeof(m->hdr); i++ )
        p[i] = intf->rsp[MASK_XENSTORE_IDX(intf->rsp_cons + i)];
    assert_true(avail >= sizeof(m->hdr) + m->hdr.len);
    for ( i = 0; i < m->hdr.len; i++ )
        m->data[i] = intf->rsp[MASK_XENSTORE_IDX(intf->rsp_cons + sizeof(m->hdr) + i)];
    m->data[m->hdr.len] = '\0';
    intf->rsp_cons += (XENSTORE_RING_IDX)(sizeof(m->hdr) + m->hdr.len);
    return true;
}

static int introduce(struct ctx *x, const char *domid, const char *gfn, const char *port)
{
    return h_callv(x->d0, XS_INTRODUCE, 0, NULL, domid, gfn, port, NULL);
}

static bool introduced(struct ctx *x, const char *domid)
{
    struct h_msg m;

    assert_int_equal(h_callv(x->d0, XS_IS_DOMAIN_INTRODUCED, 0, &m, domid, NULL), 0);
    return m.data[0] == 'T';
}

static void test_introduce_and_talk(void **state)
{
    struct ctx *x = *state;
    struct h_msg m;

    assert_int_equal(h_watch(x->d0, "@introduceDomain", "in"), 0);
    h_events_clear(x->d0);
    assert_int_equal(introduce(x, "5", "1", "7"), 0);
    assert_true(introduced(x, "5"));
    assert_true(h_event(x->d0, x->path, sizeof(x->path), x->token, sizeof(x->token)));
    assert_string_equal(x->path, "@introduceDomain");
    assert_int_equal(x->ring[0]->server_features,
                     XENSTORE_SERVER_FEATURE_RECONNECTION | XENSTORE_SERVER_FEATURE_ERROR);
    /* The toolstack gives the domain its directory; the guest uses it. */
    assert_int_equal(h_mkdir(x->d0, 0, "/local/domain/5"), 0);
    assert_int_equal(h_setperms(x->d0, 0, "/local/domain/5", "n5", NULL), 0);
    fake.notifies = 0;
    guest_send(x->ring[0], XS_GET_DOMAIN_PATH, 1, "5");
    xs_domain_service_all(x->s);
    assert_true(fake.notifies > 0);
    assert_true(guest_recv(x->ring[0], &m));
    assert_int_equal(m.hdr.req_id, 1);
    assert_string_equal(m.data, "/local/domain/5");
    /* It is an unprivileged domain. */
    guest_send(x->ring[0], XS_READ, 2, "/local/domain/0/name");
    xs_domain_service_all(x->s);
    assert_true(guest_recv(x->ring[0], &m));
    assert_int_equal(m.hdr.type, XS_ERROR);
    assert_string_equal(m.data, "EACCES");
    guest_send(x->ring[0], XS_INTRODUCE, 3, "6");
    xs_domain_service_all(x->s);
    assert_true(guest_recv(x->ring[0], &m));
    assert_string_equal(m.data, "EACCES");
}

static void test_introduce_errors(void **state)
{
    struct ctx *x = *state;

    fake.map_fails = true;
    assert_int_equal(introduce(x, "5", "1", "7"), EIO);
    assert_false(introduced(x, "5"));
    fake.map_fails = false;
    fake.bind_fails = true;
    assert_int_equal(introduce(x, "5", "1", "7"), EIO);
    assert_false(introduced(x, "5"));
    assert_int_equal(fake.unmaps, 1);          /* the mapping was undone */
    fake.bind_fails = false;
    assert_int_equal(introduce(x, "5", "7", "7"), EIO);   /* no such frame */
    assert_int_equal(introduce(x, "5", "1", "7"), 0);
    /* Again with the same page: re-binds.  With another page: refused. */
    assert_int_equal(introduce(x, "5", "1", "8"), 0);
    assert_int_equal(fake.unbinds, 1);
    assert_int_equal(introduce(x, "5", "2", "8"), EINVAL);
}

static void test_release(void **state)
{
    struct ctx *x = *state;
    struct h_msg m;

    assert_int_equal(introduce(x, "5", "1", "7"), 0);
    assert_int_equal(h_watch(x->d0, "@releaseDomain", "out"), 0);
    h_events_clear(x->d0);
    /* The domain sets up a watch and a transaction; release drops them. */
    guest_send(x->ring[0], XS_WATCH, 1, "/x");
    guest_send(x->ring[0], XS_TRANSACTION_START, 2, "");
    xs_domain_service_all(x->s);
    assert_true(guest_recv(x->ring[0], &m));
    assert_int_equal(h_callv(x->d0, XS_RELEASE, 0, &m, "5", NULL), 0);
    assert_false(introduced(x, "5"));
    assert_true(h_event(x->d0, x->path, sizeof(x->path), x->token, sizeof(x->token)));
    assert_string_equal(x->path, "@releaseDomain");
    assert_int_equal(fake.unmaps, 1);
    assert_int_equal(fake.unbinds, 1);
    /* No one is left to hear about /x. */
    assert_int_equal(h_write(x->d0, 0, "/x", "1"), 0);
    assert_int_equal(h_callv(x->d0, XS_RELEASE, 0, &m, "5", NULL), ENOENT);
}

static void test_domain_death(void **state)
{
    struct ctx *x = *state;

    assert_int_equal(introduce(x, "5", "1", "7"), 0);
    assert_int_equal(introduce(x, "6", "2", "7"), 0);
    assert_int_equal(h_watch(x->d0, "@releaseDomain", "out"), 0);
    h_events_clear(x->d0);
    fake.nr_dom = 2;
    fake.dom[0] = (struct ctrl_dominfo_fake){ .domid = 5 };
    fake.dom[1] = (struct ctrl_dominfo_fake){ .domid = 6 };
    xs_domain_check_dying(x->s);
    assert_false(h_event(x->d0, x->path, sizeof(x->path), x->token, sizeof(x->token)));
    /* Shut down: reported once, domain kept. */
    fake.dom[0].shutdown = true;
    fake.pending[fake.nr_pending++] = x->s->virq_port;
    xs_domain_handle_events(x->s);
    assert_true(h_event(x->d0, x->path, sizeof(x->path), x->token, sizeof(x->token)));
    assert_string_equal(x->path, "@releaseDomain");
    xs_domain_check_dying(x->s);
    assert_false(h_event(x->d0, x->path, sizeof(x->path), x->token, sizeof(x->token)));
    assert_true(introduced(x, "5"));
    /* RESUME re-arms the report. */
    assert_int_equal(h_callv(x->d0, XS_RESUME, 0, NULL, "5", NULL), 0);
    xs_domain_check_dying(x->s);
    assert_true(h_event(x->d0, x->path, sizeof(x->path), x->token, sizeof(x->token)));
    /* Dying, or gone from the hypervisor's list: dropped. */
    fake.dom[0].dying = true;
    fake.dom[1].domid = 9;             /* 6 vanished; the next one is 9 */
    xs_domain_check_dying(x->s);
    assert_false(introduced(x, "5"));
    assert_false(introduced(x, "6"));
    assert_true(h_event(x->d0, x->path, sizeof(x->path), x->token, sizeof(x->token)));
    assert_true(h_event(x->d0, x->path, sizeof(x->path), x->token, sizeof(x->token)));
}

static void test_set_target(void **state)
{
    struct ctx *x = *state;
    struct h_msg m;

    assert_int_equal(introduce(x, "5", "1", "7"), 0);
    assert_int_equal(introduce(x, "6", "2", "7"), 0);
    assert_int_equal(h_write(x->d0, 0, "/local/domain/5/secret", "s5"), 0);
    assert_int_equal(h_setperms(x->d0, 0, "/local/domain/5/secret", "n5", NULL), 0);
    guest_send(x->ring[1], XS_READ, 1, "/local/domain/5/secret");
    xs_domain_service_all(x->s);
    assert_true(guest_recv(x->ring[1], &m));
    assert_string_equal(m.data, "EACCES");
    /* Domain 6 becomes domain 5's device model. */
    assert_int_equal(h_callv(x->d0, XS_SET_TARGET, 0, NULL, "6", "5", NULL), 0);
    guest_send(x->ring[1], XS_READ, 2, "/local/domain/5/secret");
    xs_domain_service_all(x->s);
    assert_true(guest_recv(x->ring[1], &m));
    assert_int_equal(m.hdr.type, XS_READ);
    assert_memory_equal(m.data, "s5", 2);
}

static void test_bad_ring_isolated(void **state)
{
    struct ctx *x = *state;
    struct h_msg m;

    assert_int_equal(introduce(x, "5", "1", "7"), 0);
    assert_int_equal(introduce(x, "6", "2", "7"), 0);
    x->ring[0]->req_prod = 0x12345678;      /* domain 5 scribbles */
    guest_send(x->ring[1], XS_GET_DOMAIN_PATH, 1, "6");
    xs_domain_service_all(x->s);
    assert_int_equal(x->ring[0]->error, XENSTORE_ERROR_RINGIDX);
    assert_true(guest_recv(x->ring[1], &m));
    assert_string_equal(m.data, "/local/domain/6");
    assert_int_equal(x->ring[1]->error, XENSTORE_ERROR_NONE);
    /* The broken domain's requests are ignored from now on, dom0's work. */
    assert_int_equal(h_write(x->d0, 0, "/still", "ok"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_introduce_and_talk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_introduce_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_release, setup, teardown),
        cmocka_unit_test_setup_teardown(test_domain_death, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_target, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_ring_isolated, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Malformed requests get an error reply and leave the connection usable;
 * only an impossible length cuts it off (it cannot be skipped safely).
 */
#include <errno.h>
#include <string.h>
#include "harness.h"

struct ctx {
    struct xs_state *s;
    struct xs_conn *c;
};

static int setup(void **state)
{
    static struct ctx x;

    x.s = h_init();
    x.c = h_dom0(x.s);
    *state = &x;
    return 0;
}

static int teardown(void **state)
{
    struct ctx *x = *state;

    h_fini(x->s);
    return 0;
}

static int raw(struct ctx *x, uint32_t type, const char *p, size_t len)
{
    return h_call(x->c, type, 0, p, len, NULL);
}

static void still_works(struct ctx *x)
{
    char v[16];

    assert_int_equal(h_read(x->c, 0, "/local/domain/0/domid", v, sizeof(v)), 0);
    assert_string_equal(v, "0");
}

static void test_missing_nul(void **state)
{
    struct ctx *x = *state;

    assert_int_equal(raw(x, XS_READ, "/local", 6), EINVAL);
    assert_int_equal(raw(x, XS_READ, "", 0), EINVAL);
    assert_int_equal(raw(x, XS_DIRECTORY, "/local", 6), EINVAL);
    assert_int_equal(raw(x, XS_MKDIR, "/x", 2), EINVAL);
    assert_int_equal(raw(x, XS_RM, "/x", 2), EINVAL);
    assert_int_equal(raw(x, XS_WRITE, "/x", 2), EINVAL);
    assert_int_equal(raw(x, XS_WATCH, "/x\0t", 4), EINVAL);
    assert_int_equal(raw(x, XS_SET_PERMS, "/local\0n0", 9), EINVAL);
    assert_int_equal(raw(x, XS_GET_DOMAIN_PATH, "1", 1), EINVAL);
    assert_int_equal(raw(x, XS_TRANSACTION_END, "T", 1), EINVAL);
    still_works(x);
}

static void test_wrong_argument_counts(void **state)
{
    struct ctx *x = *state;

    assert_int_equal(raw(x, XS_READ, "/local\0/tool", 13), EINVAL);
    assert_int_equal(raw(x, XS_READ, "/local\0\0", 8), EINVAL);
    assert_int_equal(raw(x, XS_WATCH, "/x", 3), EINVAL);
    assert_int_equal(raw(x, XS_UNWATCH, "/x", 3), EINVAL);
    assert_int_equal(raw(x, XS_SET_PERMS, "/local", 7), EINVAL);
    assert_int_equal(raw(x, XS_INTRODUCE, "5\0" "1", 4), EINVAL);
    assert_int_equal(raw(x, XS_SET_TARGET, "5", 2), EINVAL);
    assert_int_equal(raw(x, XS_DIRECTORY_PART, "/local", 7), EINVAL);
    assert_int_equal(raw(x, XS_CONTROL, "", 0), EINVAL);
    still_works(x);
}

static void test_bad_values(void **state)
{
    struct ctx *x = *state;
    struct h_msg m;

    assert_int_equal(h_callv(x->c, XS_GET_DOMAIN_PATH, 0, &m, "abc", NULL), EINVAL);
    assert_int_equal(h_callv(x->c, XS_GET_DOMAIN_PATH, 0, &m, "65536", NULL), EINVAL);
    assert_int_equal(h_callv(x->c, XS_GET_DOMAIN_PATH, 0, &m, "-1", NULL), EINVAL);
    assert_int_equal(h_callv(x->c, XS_GET_DOMAIN_PATH, 0, &m, "", NULL), EINVAL);
    assert_int_equal(h_callv(x->c, XS_INTRODUCE, 0, &m, "5", "x", "1", NULL), EINVAL);
    assert_int_equal(h_callv(x->c, XS_INTRODUCE, 0, &m, "5", "1", "4294967296", NULL), EINVAL);
    assert_int_equal(h_callv(x->c, XS_INTRODUCE, 0, &m, "65535", "1", "1", NULL), EINVAL);
    assert_int_equal(h_callv(x->c, XS_DIRECTORY_PART, 0, &m, "/local", "x", NULL), EINVAL);
    assert_int_equal(h_callv(x->c, XS_DIRECTORY_PART, 0, &m, "/local", "99999", NULL), EINVAL);
    assert_int_equal(h_setperms(x->c, 0, "/local", "q0", NULL), EINVAL);
    assert_int_equal(h_setperms(x->c, 0, "/local", "r", NULL), EINVAL);
    assert_int_equal(h_setperms(x->c, 0, "/local", "r70000", NULL), EINVAL);
    assert_int_equal(h_setperms(x->c, 0, "/local", NULL), EINVAL);
    assert_int_equal(h_read(x->c, 0, "/a//b", NULL, 0), EINVAL);
    assert_int_equal(h_read(x->c, 0, "/a/", NULL, 0), EINVAL);
    assert_int_equal(h_read(x->c, 0, "@introduceDomain", NULL, 0), EINVAL);
    assert_int_equal(h_write(x->c, 0, "@releaseDomain", "x"), EINVAL);
    assert_int_equal(h_write(x->c, 0, "/bad path", "x"), EINVAL);
    still_works(x);
}

static void test_error_reply_format(void **state)
{
    struct ctx *x = *state;
    struct h_msg m;

    assert_int_equal(h_callv(x->c, XS_READ, 0, &m, "/nope", NULL), ENOENT);
    assert_int_equal(m.hdr.type, XS_ERROR);
    assert_int_equal(m.hdr.len, sizeof("ENOENT"));
    assert_memory_equal(m.data, "ENOENT", sizeof("ENOENT"));
}

static void test_byte_at_a_time(void **state)
{
    struct ctx *x = *state;
    static const char req[] = "/local/domain/0/name";
    struct xsd_sockmsg h = { .type = XS_READ, .req_id = 9, .len = sizeof(req) };
    const uint8_t *p = (const uint8_t *)&h;
    struct h_msg m;
    size_t i;

    for ( i = 0; i < sizeof(h); i++ )
        assert_int_equal(xs_conn_feed(x->c, p + i, 1), 1);
    for ( i = 0; i < sizeof(req); i++ )
    {
        assert_false(h_pop(x->c, &m));
        assert_int_equal(xs_conn_feed(x->c, req + i, 1), 1);
    }
    assert_true(h_pop(x->c, &m));
    assert_int_equal(m.hdr.req_id, 9);
    assert_memory_equal(m.data, "Domain-0", 8);
}

static void test_many_in_one_feed(void **state)
{
    struct ctx *x = *state;
    uint8_t buf[512];
    size_t len = 0;
    struct h_msg m;
    uint32_t i;

    for ( i = 0; i < 5; i++ )
    {
        struct xsd_sockmsg h = { .type = XS_GET_DOMAIN_PATH, .req_id = 100 + i, .len = 2 };

        memcpy(buf + len, &h, sizeof(h));
        len += sizeof(h);
        buf[len++] = (uint8_t)('0' + i);
        buf[len++] = 0;
    }
    assert_int_equal(xs_conn_feed(x->c, buf, len), len);
    for ( i = 0; i < 5; i++ )
    {
        assert_true(h_pop(x->c, &m));
        assert_int_equal(m.hdr.req_id, 100 + i);
    }
}

static void test_oversize_len(void **state)
{
    struct ctx *x = *state;
    struct xsd_sockmsg h = { .type = XS_READ, .len = 0xffffffffu };
    struct h_msg m;
    char more[32] = "";

    assert_int_equal(xs_conn_feed(x->c, &h, sizeof(h)), sizeof(h));
    assert_int_equal(x->c->error, XENSTORE_ERROR_PROTO);
    assert_false(h_pop(x->c, &m));
    /* Nothing more is taken from this connection. */
    assert_int_equal(xs_conn_input_room(x->c), 0);
    assert_int_equal(xs_conn_feed(x->c, more, sizeof(more)), 0);
}

static void test_max_payload_accepted(void **state)
{
    struct ctx *x = *state;
    static char buf[XENSTORE_PAYLOAD_MAX];

    memset(buf, 'v', sizeof(buf));
    memcpy(buf, "/max", 5);
    assert_int_equal(raw(x, XS_WRITE, buf, sizeof(buf)), 0);
    assert_int_equal(x->c->error, 0);
}

static void test_backpressure(void **state)
{
    struct ctx *x = *state;
    struct xsd_sockmsg h = { .type = XS_READ, .len = sizeof("/big") };
    static char val[4000];
    struct h_msg m;
    unsigned int n = 0;

    memset(val, 'b', sizeof(val) - 1);
    assert_int_equal(h_write(x->c, 0, "/big", val), 0);
    /* Send reads without reading replies: input stops at the limit. */
    while ( xs_conn_input_room(x->c) && n < 1000 )
    {
        xs_conn_feed(x->c, &h, sizeof(h));
        xs_conn_feed(x->c, "/big", sizeof("/big"));
        n++;
    }
    assert_true(n < 1000);
    assert_true(x->c->out_bytes >= XS_OUT_LIMIT);
    while ( h_pop(x->c, &m) )
        ;
    assert_true(xs_conn_input_room(x->c) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_missing_nul, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_argument_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_reply_format, setup, teardown),
        cmocka_unit_test_setup_teardown(test_byte_at_a_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_in_one_feed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_oversize_len, setup, teardown),
        cmocka_unit_test_setup_teardown(test_max_payload_accepted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backpressure, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

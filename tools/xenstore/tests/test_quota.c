/* SPDX-License-Identifier: GPL-2.0 */
/* Per-domain limits: nodes, value size, watches, ACL length; dom0 is exempt. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "harness.h"

struct ctx {
    struct xs_state *s;
    struct xs_conn *d0, *u;
};

static int setup(void **state)
{
    static struct ctx x;

    x.s = h_init();
    x.d0 = h_dom0(x.s);
    x.u = h_domu(x.s, 5);
    assert_int_equal(h_mkdir(x.d0, 0, "/local/domain/5"), 0);
    assert_int_equal(h_setperms(x.d0, 0, "/local/domain/5", "n5", NULL), 0);
    *state = &x;
    return 0;
}

static int teardown(void **state)
{
    struct ctx *x = *state;

    h_fini(x->s);
    return 0;
}

static void test_node_quota(void **state)
{
    struct ctx *x = *state;
    char path[64];
    unsigned int i, owned;

    x->s->quota.nodes = 20;
    owned = xs_tree_owned(x->s->tree, 5);
    assert_int_equal(owned, 1);          /* /local/domain/5 itself */
    for ( i = owned; i < 20; i++ )
    {
        snprintf(path, sizeof(path), "n%u", i);
        assert_int_equal(h_write(x->u, 0, path, "v"), 0);
    }
    assert_int_equal(h_write(x->u, 0, "one-more", "v"), ENOSPC);
    /* All-or-nothing: a path needing three new nodes fails without leftovers. */
    assert_int_equal(h_rm(x->u, 0, "n19"), 0);
    assert_int_equal(h_write(x->u, 0, "a/b/c", "v"), ENOSPC);
    assert_int_equal(h_read(x->d0, 0, "/local/domain/5/a", NULL, 0), ENOENT);
    assert_int_equal(h_write(x->u, 0, "a", "v"), 0);
    /* Rewriting existing nodes is fine. */
    assert_int_equal(h_write(x->u, 0, "n1", "w"), 0);
    /* dom0 is not limited; its new nodes inherit the parent's ACL, owner too. */
    assert_int_equal(h_write(x->d0, 0, "/local/domain/5/by-dom0/x", ""), 0);
    assert_int_equal(xs_tree_owned(x->s->tree, 5), 22);
    assert_int_equal(h_write(x->u, 0, "n1/x", "v"), ENOSPC);
    assert_true(xs_tree_check(x->s->tree));
}

static void test_quota_in_transaction(void **state)
{
    struct ctx *x = *state;
    uint32_t t;

    x->s->quota.nodes = 3;
    assert_int_equal(h_txn_start(x->u, &t), 0);
    assert_int_equal(h_write(x->u, t, "a", ""), 0);
    assert_int_equal(h_write(x->u, t, "b", ""), 0);
    assert_int_equal(h_write(x->u, t, "c", ""), ENOSPC);
    assert_int_equal(h_txn_end(x->u, t, true), 0);
    assert_int_equal(xs_tree_owned(x->s->tree, 5), 3);
}

static void test_value_size(void **state)
{
    struct ctx *x = *state;
    static char big[4000];

    memset(big, 'x', sizeof(big) - 1);
    big[2048] = '\0';
    assert_int_equal(h_write(x->u, 0, "ok", big), 0);
    big[2048] = 'x';
    big[2049] = '\0';
    assert_int_equal(h_write(x->u, 0, "big", big), ENOSPC);
    assert_int_equal(h_write(x->d0, 0, "/local/domain/5/big", big), 0);
    big[2049] = 'x';
    assert_int_equal(h_write(x->d0, 0, "/huge", big), 0);
}

static void test_watch_quota(void **state)
{
    struct ctx *x = *state;
    char path[32];
    unsigned int i;

    for ( i = 0; i < x->s->quota.watches; i++ )
    {
        snprintf(path, sizeof(path), "w%u", i);
        assert_int_equal(h_watch(x->u, path, "t"), 0);
        h_events_clear(x->u);
    }
    assert_int_equal(h_watch(x->u, "too-many", "t"), E2BIG);
    assert_int_equal(h_callv(x->u, XS_UNWATCH, 0, NULL, "w0", "t", NULL), 0);
    assert_int_equal(h_watch(x->u, "now-fine", "t"), 0);
    for ( i = 0; i < x->s->quota.watches + 10; i++ )
    {
        snprintf(path, sizeof(path), "/w%u", i);
        assert_int_equal(h_watch(x->d0, path, "t"), 0);
        h_events_clear(x->d0);
    }
    h_events_clear(x->u);
    h_events_clear(x->d0);
}

static void test_perms_quota(void **state)
{
    struct ctx *x = *state;

    assert_int_equal(h_write(x->u, 0, "p", ""), 0);
    assert_int_equal(h_setperms(x->u, 0, "p", "n5", "r1", "r2", "r3", "r4", NULL), 0);
    assert_int_equal(h_setperms(x->u, 0, "p", "n5", "r1", "r2", "r3", "r4", "r6", NULL),
                     ENOSPC);
}

static void test_unread_events_are_bounded(void **state)
{
    struct ctx *x = *state;
    char val[1024];
    unsigned int i;

    memset(val, 'v', sizeof(val) - 1);
    val[sizeof(val) - 1] = '\0';
    assert_int_equal(h_write(x->d0, 0, "/flood", ""), 0);
    assert_int_equal(h_setperms(x->d0, 0, "/flood", "r0", NULL), 0);
    assert_int_equal(h_watch(x->u, "/flood", "a-long-token-to-make-events-big"), 0);
    for ( i = 0; i < 20000; i++ )
        assert_int_equal(h_write(x->d0, 0, "/flood", val), 0);
    assert_true(x->u->out_bytes <= XS_OUT_EVENT_LIMIT + XS_HDR_SIZE + 64);
    assert_true(x->u->events_dropped > 0);
    h_events_clear(x->u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_node_quota, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quota_in_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_value_size, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watch_quota, setup, teardown),
        cmocka_unit_test_setup_teardown(test_perms_quota, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unread_events_are_bounded, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0 */
/* Transactions: isolation, commit, abort, conflicts, limits. */
#include <errno.h>
#include <string.h>
#include "harness.h"

struct ctx {
    struct xs_state *s;
    struct xs_conn *a, *b;
};

static int setup(void **state)
{
    static struct ctx x;

    x.s = h_init();
    x.a = h_dom0(x.s);
    x.b = h_dom0(x.s);
    *state = &x;
    return 0;
}

static int teardown(void **state)
{
    struct ctx *x = *state;

    h_fini(x->s);
    return 0;
}

static void test_commit(void **state)
{
    struct ctx *x = *state;
    uint32_t t;
    char v[32];

    assert_int_equal(h_txn_start(x->a, &t), 0);
    assert_true(t != 0);
    assert_int_equal(h_write(x->a, t, "/t/x", "1"), 0);
    assert_int_equal(h_read(x->a, t, "/t/x", v, sizeof(v)), 0);
    assert_string_equal(v, "1");
    /* Not visible outside until committed. */
    assert_int_equal(h_read(x->b, 0, "/t/x", v, sizeof(v)), ENOENT);
    assert_int_equal(h_read(x->a, 0, "/t/x", v, sizeof(v)), ENOENT);
    assert_int_equal(h_txn_end(x->a, t, true), 0);
    assert_int_equal(h_read(x->b, 0, "/t/x", v, sizeof(v)), 0);
    assert_string_equal(v, "1");
    /* The id is gone. */
    assert_int_equal(h_txn_end(x->a, t, true), ENOENT);
    assert_int_equal(h_read(x->a, t, "/t/x", v, sizeof(v)), ENOENT);
    assert_true(xs_tree_check(x->s->tree));
}

static void test_abort(void **state)
{
    struct ctx *x = *state;
    uint32_t t;
    char v[32];

    assert_int_equal(h_write(x->a, 0, "/keep", "old"), 0);
    assert_int_equal(h_txn_start(x->a, &t), 0);
    assert_int_equal(h_write(x->a, t, "/keep", "new"), 0);
    assert_int_equal(h_rm(x->a, t, "/local"), 0);
    assert_int_equal(h_txn_end(x->a, t, false), 0);
    assert_int_equal(h_read(x->a, 0, "/keep", v, sizeof(v)), 0);
    assert_string_equal(v, "old");
    assert_int_equal(h_read(x->a, 0, "/local/domain/0/name", v, sizeof(v)), 0);
}

static void test_conflict_on_read_node(void **state)
{
    struct ctx *x = *state;
    uint32_t t;
    char v[32];

    assert_int_equal(h_write(x->a, 0, "/c", "0"), 0);
    assert_int_equal(h_txn_start(x->a, &t), 0);
    assert_int_equal(h_read(x->a, t, "/c", v, sizeof(v)), 0);
    assert_int_equal(h_write(x->a, t, "/d", "from-txn"), 0);
    assert_int_equal(h_write(x->b, 0, "/c", "changed"), 0);
    assert_int_equal(h_txn_end(x->a, t, true), EAGAIN);
    /* Nothing of the failed transaction was applied. */
    assert_int_equal(h_read(x->a, 0, "/d", v, sizeof(v)), ENOENT);
    assert_int_equal(h_read(x->a, 0, "/c", v, sizeof(v)), 0);
    assert_string_equal(v, "changed");
}

static void test_conflict_two_writers(void **state)
{
    struct ctx *x = *state;
    uint32_t t1, t2;
    char v[32];

    assert_int_equal(h_write(x->a, 0, "/n", "0"), 0);
    assert_int_equal(h_txn_start(x->a, &t1), 0);
    assert_int_equal(h_txn_start(x->b, &t2), 0);
    assert_true(t1 != t2);
    assert_int_equal(h_write(x->a, t1, "/n", "1"), 0);
    assert_int_equal(h_write(x->b, t2, "/n", "2"), 0);
    assert_int_equal(h_txn_end(x->b, t2, true), 0);
    assert_int_equal(h_txn_end(x->a, t1, true), EAGAIN);
    assert_int_equal(h_read(x->a, 0, "/n", v, sizeof(v)), 0);
    assert_string_equal(v, "2");
}

static void test_conflict_on_removed_node(void **state)
{
    struct ctx *x = *state;
    uint32_t t;
    char v[32];

    assert_int_equal(h_write(x->a, 0, "/r/s", "1"), 0);
    assert_int_equal(h_txn_start(x->a, &t), 0);
    assert_int_equal(h_read(x->a, t, "/r/s", v, sizeof(v)), 0);
    assert_int_equal(h_rm(x->b, 0, "/r"), 0);
    assert_int_equal(h_txn_end(x->a, t, true), EAGAIN);
}

static void test_unrelated_changes_do_not_conflict(void **state)
{
    struct ctx *x = *state;
    uint32_t t;
    char v[32];

    assert_int_equal(h_write(x->a, 0, "/p/mine", "0"), 0);
    assert_int_equal(h_write(x->a, 0, "/q/theirs", "0"), 0);
    assert_int_equal(h_txn_start(x->a, &t), 0);
    assert_int_equal(h_read(x->a, t, "/p/mine", v, sizeof(v)), 0);
    assert_int_equal(h_write(x->a, t, "/p/mine", "1"), 0);
    assert_int_equal(h_write(x->b, 0, "/q/theirs", "1"), 0);
    assert_int_equal(h_write(x->b, 0, "/q/new", "1"), 0);
    assert_int_equal(h_txn_end(x->a, t, true), 0);
    assert_int_equal(h_read(x->a, 0, "/p/mine", v, sizeof(v)), 0);
    assert_string_equal(v, "1");
    assert_int_equal(h_read(x->a, 0, "/q/new", v, sizeof(v)), 0);
}

static void test_everything_replays(void **state)
{
    struct ctx *x = *state;
    struct h_msg m;
    uint32_t t;
    char v[32];

    assert_int_equal(h_write(x->a, 0, "/z/old", "x"), 0);
    assert_int_equal(h_txn_start(x->a, &t), 0);
    assert_int_equal(h_mkdir(x->a, t, "/z/dir/sub"), 0);
    assert_int_equal(h_rm(x->a, t, "/z/old"), 0);
    assert_int_equal(h_write(x->a, t, "/z/dir/v", "val"), 0);
    assert_int_equal(h_setperms(x->a, t, "/z/dir", "n0", "r7", NULL), 0);
    assert_int_equal(h_callv(x->a, XS_DIRECTORY, t, &m, "/z", NULL), 0);
    assert_memory_equal(m.data, "dir\0", 4);
    assert_int_equal(h_txn_end(x->a, t, true), 0);
    assert_int_equal(h_read(x->a, 0, "/z/old", v, sizeof(v)), ENOENT);
    assert_int_equal(h_read(x->a, 0, "/z/dir/v", v, sizeof(v)), 0);
    assert_string_equal(v, "val");
    assert_int_equal(h_read(x->a, 0, "/z/dir/sub", v, sizeof(v)), 0);
    assert_int_equal(h_callv(x->a, XS_GET_PERMS, 0, &m, "/z/dir", NULL), 0);
    assert_memory_equal(m.data, "n0\0r7\0", 6);
    assert_true(xs_tree_check(x->s->tree));
}

static void test_watch_fires_on_commit_only(void **state)
{
    struct ctx *x = *state;
    char p[64], tok[16];
    uint32_t t;

    assert_int_equal(h_watch(x->b, "/w", "tok"), 0);
    h_events_clear(x->b);
    assert_int_equal(h_txn_start(x->a, &t), 0);
    assert_int_equal(h_write(x->a, t, "/w/x", "1"), 0);
    assert_false(h_event(x->b, p, sizeof(p), tok, sizeof(tok)));
    assert_int_equal(h_txn_end(x->a, t, true), 0);
    assert_true(h_event(x->b, p, sizeof(p), tok, sizeof(tok)));
    assert_string_equal(p, "/w/x");
}

static void test_bad_requests(void **state)
{
    struct ctx *x = *state;
    struct h_msg m;
    uint32_t t;
    char v[8];

    assert_int_equal(h_read(x->a, 12345, "/local", v, sizeof(v)), ENOENT);
    assert_int_equal(h_callv(x->a, XS_TRANSACTION_END, 0, &m, "T", NULL), ENOENT);
    assert_int_equal(h_txn_start(x->a, &t), 0);
    assert_int_equal(h_callv(x->a, XS_TRANSACTION_END, t, &m, "X", NULL), EINVAL);
    assert_int_equal(h_callv(x->a, XS_TRANSACTION_END, t, &m, "TRUE", NULL), EINVAL);
    /* Another connection cannot use our transaction. */
    assert_int_equal(h_txn_end(x->b, t, true), ENOENT);
    assert_int_equal(h_txn_end(x->a, t, true), 0);
}

static void test_domu_transaction_limit(void **state)
{
    struct ctx *x = *state;
    struct xs_conn *u = h_domu(x->s, 5);
    uint32_t t;
    unsigned int i;

    for ( i = 0; i < x->s->quota.transactions; i++ )
        assert_int_equal(h_txn_start(u, &t), 0);
    assert_int_equal(h_txn_start(u, &t), ENOSPC);
    assert_int_equal(h_txn_end(u, t, false), 0);
    assert_int_equal(h_txn_start(u, &t), 0);
    /* dom0 is not limited. */
    for ( i = 0; i < x->s->quota.transactions + 5; i++ )
        assert_int_equal(h_txn_start(x->a, &t), 0);
}

static void test_domu_perms_in_transaction(void **state)
{
    struct ctx *x = *state;
    struct xs_conn *u = h_domu(x->s, 5);
    uint32_t t;
    char v[8];

    assert_int_equal(h_txn_start(u, &t), 0);
    assert_int_equal(h_read(u, t, "/local/domain/0/name", v, sizeof(v)), EACCES);
    assert_int_equal(h_write(u, t, "/tool/x", "1"), EACCES);
    assert_int_equal(h_txn_end(u, t, true), 0);
    assert_int_equal(h_read(x->a, 0, "/tool/x", v, sizeof(v)), ENOENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_abort, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conflict_on_read_node, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conflict_two_writers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conflict_on_removed_node, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unrelated_changes_do_not_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_everything_replays, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watch_fires_on_commit_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_requests, setup, teardown),
        cmocka_unit_test_setup_teardown(test_domu_transaction_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_domu_perms_in_transaction, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

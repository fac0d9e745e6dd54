/* SPDX-License-Identifier: GPL-2.0 */
/* Access control as seen through the protocol: what a domU may and may not do. */
#include <errno.h>
#include <string.h>
#include "harness.h"

struct ctx {
    struct xs_state *s;
    struct xs_conn *d0, *u5, *u6;
};

static int setup(void **state)
{
    static struct ctx x;

    x.s = h_init();
    x.d0 = h_dom0(x.s);
    x.u5 = h_domu(x.s, 5);
    x.u6 = h_domu(x.s, 6);
    /* As a toolstack does: the domain's directory belongs to the domain. */
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

static void test_domu_denied_dom0_nodes(void **state)
{
    struct ctx *x = *state;
    struct h_msg m;
    char v[32];

    assert_int_equal(h_read(x->u5, 0, "/local/domain/0/name", v, sizeof(v)), EACCES);
    assert_int_equal(h_write(x->u5, 0, "/local/domain/0/name", "evil"), EACCES);
    assert_int_equal(h_write(x->u5, 0, "/tool/x", "evil"), EACCES);
    assert_int_equal(h_mkdir(x->u5, 0, "/vm"), EACCES);
    assert_int_equal(h_rm(x->u5, 0, "/local/domain/0"), EACCES);
    assert_int_equal(h_callv(x->u5, XS_DIRECTORY, 0, &m, "/local/domain/0", NULL), EACCES);
    assert_int_equal(h_callv(x->u5, XS_GET_PERMS, 0, &m, "/local/domain/0", NULL), EACCES);
    assert_int_equal(h_setperms(x->u5, 0, "/local/domain/0", "b5", NULL), EACCES);
    /* Nothing changed. */
    assert_int_equal(h_read(x->d0, 0, "/local/domain/0/name", v, sizeof(v)), 0);
    assert_string_equal(v, "Domain-0");
    assert_int_equal(h_read(x->d0, 0, "/tool/x", v, sizeof(v)), ENOENT);
}

static void test_domu_owns_its_area(void **state)
{
    struct ctx *x = *state;
    struct h_msg m;
    char v[32];

    assert_int_equal(h_write(x->u5, 0, "/local/domain/5/a/b", "1"), 0);
    assert_int_equal(h_read(x->u5, 0, "/local/domain/5/a/b", v, sizeof(v)), 0);
    /* New nodes belong to their creator. */
    assert_int_equal(h_callv(x->d0, XS_GET_PERMS, 0, &m, "/local/domain/5/a/b", NULL), 0);
    assert_string_equal(m.data, "n5");
    /* Others cannot see it. */
    assert_int_equal(h_read(x->u6, 0, "/local/domain/5/a/b", v, sizeof(v)), EACCES);
    assert_int_equal(h_write(x->u6, 0, "/local/domain/5/a/c", "x"), EACCES);
    assert_int_equal(h_rm(x->u5, 0, "/local/domain/5/a"), 0);
}

static void test_acl_entries(void **state)
{
    struct ctx *x = *state;
    char v[32];

    assert_int_equal(h_write(x->d0, 0, "/shared", "s"), 0);
    assert_int_equal(h_setperms(x->d0, 0, "/shared", "n0", "r5", "w6", NULL), 0);
    assert_int_equal(h_read(x->u5, 0, "/shared", v, sizeof(v)), 0);
    assert_string_equal(v, "s");
    assert_int_equal(h_write(x->u5, 0, "/shared", "no"), EACCES);
    assert_int_equal(h_read(x->u6, 0, "/shared", v, sizeof(v)), EACCES);
    assert_int_equal(h_write(x->u6, 0, "/shared", "w"), 0);
    /* The first entry's bits are everyone else's default. */
    assert_int_equal(h_setperms(x->d0, 0, "/shared", "r0", NULL), 0);
    assert_int_equal(h_read(x->u6, 0, "/shared", v, sizeof(v)), 0);
    assert_string_equal(v, "w");
    /* Creating below needs write access to the parent. */
    assert_int_equal(h_write(x->u5, 0, "/shared/kid", "k"), EACCES);
    assert_int_equal(h_setperms(x->d0, 0, "/shared", "r0", "b5", NULL), 0);
    assert_int_equal(h_write(x->u5, 0, "/shared/kid", "k"), 0);
}

static void test_set_perms_rules(void **state)
{
    struct ctx *x = *state;

    assert_int_equal(h_write(x->u5, 0, "/local/domain/5/mine", ""), 0);
    /* The owner may change the ACL... */
    assert_int_equal(h_setperms(x->u5, 0, "/local/domain/5/mine", "n5", "r6", NULL), 0);
    /* ...but not give the node away. */
    assert_int_equal(h_setperms(x->u5, 0, "/local/domain/5/mine", "n6", NULL), EPERM);
    /* A domain with mere write access is not the owner. */
    assert_int_equal(h_write(x->d0, 0, "/w", ""), 0);
    assert_int_equal(h_setperms(x->d0, 0, "/w", "n0", "b5", NULL), 0);
    assert_int_equal(h_setperms(x->u5, 0, "/w", "n0", "b5", "b6", NULL), EACCES);
    /* dom0 may do anything, including changing the owner. */
    assert_int_equal(h_setperms(x->d0, 0, "/local/domain/5/mine", "n6", NULL), 0);
    assert_int_equal(h_setperms(x->u5, 0, "/local/domain/5/mine", "b5", NULL), EACCES);
    /* Special nodes' ACLs belong to dom0. */
    assert_int_equal(h_setperms(x->u5, 0, "@releaseDomain", "r5", NULL), EACCES);
    assert_int_equal(h_setperms(x->d0, 0, "@releaseDomain", "n0", "r5", NULL), 0);
}

static void test_watch_filtered_by_perms(void **state)
{
    struct ctx *x = *state;
    char p[256], t[64];

    assert_int_equal(h_watch(x->u5, "/local/domain/0", "t0"), 0);
    assert_true(h_event(x->u5, p, sizeof(p), t, sizeof(t)));   /* the initial one */
    assert_string_equal(p, "/local/domain/0");
    assert_int_equal(h_write(x->d0, 0, "/local/domain/0/secret", "s"), 0);
    assert_false(h_event(x->u5, p, sizeof(p), t, sizeof(t)));
    /* A readable node below is reported. */
    assert_int_equal(h_write(x->d0, 0, "/local/domain/0/open", "o"), 0);
    assert_int_equal(h_setperms(x->d0, 0, "/local/domain/0/open", "r0", NULL), 0);
    assert_true(h_event(x->u5, p, sizeof(p), t, sizeof(t)));
    assert_string_equal(p, "/local/domain/0/open");
    assert_string_equal(t, "t0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_domu_denied_dom0_nodes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_domu_owns_its_area, setup, teardown),
        cmocka_unit_test_setup_teardown(test_acl_entries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_perms_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watch_filtered_by_perms, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

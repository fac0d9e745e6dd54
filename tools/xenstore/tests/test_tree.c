/* SPDX-License-Identifier: GPL-2.0 */
/* The node tree on its own: paths, ACL checks, ownership accounting. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

static const struct xs_quota quota = XS_QUOTA_DEFAULT;
static const struct xs_caller dom0 = { .domid = 0, .privileged = true };
static const struct xs_caller dom5 = { .domid = 5 };

static int canon(const struct xs_caller *c, const char *in, unsigned int flags, char *out)
{
    return xs_path_canonical(c, in, flags, out);
}

static void test_paths(void **state)
{
    char out[XS_PATH_BUF], big[XENSTORE_ABS_PATH_MAX + 2];

    assert_int_equal(canon(&dom5, "/a/b-c_d@e", 0, out), 0);
    assert_string_equal(out, "/a/b-c_d@e");
    assert_int_equal(canon(&dom5, "device/vbd", 0, out), 0);
    assert_string_equal(out, "/local/domain/5/device/vbd");
    assert_int_equal(canon(&dom5, "/", 0, out), 0);
    assert_int_equal(canon(&dom5, "", 0, out), EINVAL);
    assert_int_equal(canon(&dom5, "/a//b", 0, out), EINVAL);
    assert_int_equal(canon(&dom5, "/a/", 0, out), EINVAL);
    assert_int_equal(canon(&dom5, "/a b", 0, out), EINVAL);
    assert_int_equal(canon(&dom5, "/a.b", 0, out), EINVAL);
    assert_int_equal(canon(&dom5, "/a\xff", 0, out), EINVAL);
    assert_int_equal(canon(&dom5, "@introduceDomain", 0, out), EINVAL);
    assert_int_equal(canon(&dom5, "@introduceDomain", XS_PATH_PERMS, out), 0);
    assert_int_equal(canon(&dom5, "@other", XS_PATH_PERMS, out), EINVAL);
    assert_int_equal(canon(&dom5, "@other", XS_PATH_WATCH, out), 0);

    memset(big, 'a', sizeof(big));
    big[0] = '/';
    big[XENSTORE_ABS_PATH_MAX] = '\0';
    assert_int_equal(canon(&dom5, big, 0, out), 0);
    big[XENSTORE_ABS_PATH_MAX] = 'a';
    big[XENSTORE_ABS_PATH_MAX + 1] = '\0';
    assert_int_equal(canon(&dom5, big, 0, out), EINVAL);
    /* Relative paths are limited to REL_PATH_MAX. */
    memset(big, 'a', XENSTORE_REL_PATH_MAX + 1);
    big[XENSTORE_REL_PATH_MAX + 1] = '\0';
    assert_int_equal(canon(&dom5, big, 0, out), EINVAL);
    big[XENSTORE_REL_PATH_MAX] = '\0';
    assert_int_equal(canon(&dom5, big, 0, out), 0);
}

static void test_is_child(void **state)
{
    assert_true(xs_path_is_child("/a/b", "/a"));
    assert_true(xs_path_is_child("/a", "/a"));
    assert_true(xs_path_is_child("/a", "/"));
    assert_false(xs_path_is_child("/ab", "/a"));
    assert_false(xs_path_is_child("/a", "/a/b"));
    assert_false(xs_path_is_child("@releaseDomain", "/"));
}

static void test_parse_uint(void **state)
{
    unsigned long v;

    assert_true(xs_parse_uint("65535", 65535, &v));
    assert_int_equal(v, 65535);
    assert_false(xs_parse_uint("65536", 65535, &v));
    assert_false(xs_parse_uint("", 10, &v));
    assert_false(xs_parse_uint("-1", 10, &v));
    assert_false(xs_parse_uint("1x", 10, &v));
    assert_false(xs_parse_uint("99999999999999999999999", ~0ul, &v));
}

static void test_write_creates_parents(void **state)
{
    struct xs_tree *t = xs_tree_new(&quota);
    const struct xs_node *n;

    assert_int_equal(xs_tree_write(t, &dom0, "/a/b/c", "v", 1, true), 0);
    assert_non_null(xs_tree_lookup(t, "/a"));
    assert_non_null(n = xs_tree_lookup(t, "/a/b/c"));
    assert_int_equal(n->value_len, 1);
    assert_memory_equal(n->value, "v", 1);
    assert_int_equal(xs_tree_lookup(t, "/a/b")->value_len, 0);
    assert_int_equal(xs_tree_owned(t, 0), 4);
    assert_true(xs_tree_check(t));
    assert_int_equal(xs_tree_rm(t, &dom0, "/a", true), 0);
    assert_null(xs_tree_lookup(t, "/a/b/c"));
    assert_int_equal(xs_tree_owned(t, 0), 1);
    /* Removing what is absent is fine if the parent exists, else ENOENT. */
    assert_int_equal(xs_tree_rm(t, &dom0, "/a", true), 0);
    assert_int_equal(xs_tree_rm(t, &dom0, "/a/b", true), ENOENT);
    assert_int_equal(xs_tree_rm(t, &dom0, "/", true), EINVAL);
    assert_true(xs_tree_check(t));
    xs_tree_free(t);
}

static void test_acl(void **state)
{
    struct xs_tree *t = xs_tree_new(&quota);
    struct xs_perm p[2] = { { .domid = 0, .access = XS_PERM_READ },
                            { .domid = 5, .access = XS_PERM_NONE } };
    const struct xs_caller dom6 = { .domid = 6 };
    const struct xs_node *n;

    assert_int_equal(xs_tree_write(t, &dom0, "/x", "1", 1, true), 0);
    assert_int_equal(xs_tree_set_perms(t, &dom0, "/x", p, 2, true), 0);
    n = xs_tree_lookup(t, "/x");
    /* First entry's access is the default; dom5 has its own entry. */
    assert_int_equal(xs_node_access(&dom6, n), XS_PERM_READ);
    assert_int_equal(xs_node_access(&dom5, n), XS_PERM_NONE);
    assert_int_equal(xs_node_access(&dom0, n), XS_PERM_BOTH);
    /* The owner has full access whatever the bits say. */
    p[0] = (struct xs_perm){ .domid = 6, .access = XS_PERM_NONE };
    assert_int_equal(xs_tree_set_perms(t, &dom0, "/x", p, 1, true), 0);
    assert_int_equal(xs_node_access(&dom6, n = xs_tree_lookup(t, "/x")), XS_PERM_BOTH);
    assert_int_equal(xs_tree_owned(t, 6), 1);
    assert_true(xs_tree_check(t));
    xs_tree_free(t);
}

static void test_target_inherits(void **state)
{
    struct xs_tree *t = xs_tree_new(&quota);
    struct xs_perm p[2] = { { .domid = 7, .access = XS_PERM_NONE },
                            { .domid = 8, .access = XS_PERM_READ } };
    const struct xs_caller dm = { .domid = 9, .has_target = true, .target = 7 };
    const struct xs_caller dm8 = { .domid = 9, .has_target = true, .target = 8 };

    assert_int_equal(xs_tree_write(t, &dom0, "/g", "", 0, true), 0);
    assert_int_equal(xs_tree_set_perms(t, &dom0, "/g", p, 2, true), 0);
    assert_int_equal(xs_node_access(&dm, xs_tree_lookup(t, "/g")), XS_PERM_BOTH);
    assert_int_equal(xs_node_access(&dm8, xs_tree_lookup(t, "/g")), XS_PERM_READ);
    xs_tree_free(t);
}

static void test_perms_parse(void **state)
{
    struct xs_perm *p;
    unsigned int n;
    char buf[16];

    assert_int_equal(xs_perms_parse("n0\0r5\0b65535\0w3", 16, &p, &n), 0);
    assert_int_equal(n, 4);
    assert_int_equal(p[0].access, XS_PERM_NONE);
    assert_int_equal(p[1].domid, 5);
    assert_int_equal(p[2].access, XS_PERM_BOTH);
    assert_int_equal(p[2].domid, 65535);
    assert_int_equal(p[3].access, XS_PERM_WRITE);
    xs_perm_format(&p[2], buf, sizeof(buf));
    assert_string_equal(buf, "b65535");
    free(p);
    assert_int_equal(xs_perms_parse("x0", 3, &p, &n), EINVAL);
    assert_int_equal(xs_perms_parse("r65536", 7, &p, &n), EINVAL);
    assert_int_equal(xs_perms_parse("r", 2, &p, &n), EINVAL);
    assert_int_equal(xs_perms_parse("r1", 2, &p, &n), EINVAL);   /* no NUL */
    assert_int_equal(xs_perms_parse("", 0, &p, &n), EINVAL);
}

static void test_clone_is_independent(void **state)
{
    struct xs_tree *t = xs_tree_new(&quota), *c;

    assert_int_equal(xs_tree_write(t, &dom0, "/a", "1", 1, true), 0);
    c = xs_tree_clone(t);
    assert_int_equal(xs_tree_write(c, &dom0, "/a", "2", 1, true), 0);
    assert_int_equal(xs_tree_write(c, &dom0, "/b", "", 0, true), 0);
    assert_memory_equal(xs_tree_lookup(t, "/a")->value, "1", 1);
    assert_null(xs_tree_lookup(t, "/b"));
    assert_true(xs_tree_check(t));
    assert_true(xs_tree_check(c));
    xs_tree_free(c);
    xs_tree_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_is_child),
        cmocka_unit_test(test_parse_uint),
        cmocka_unit_test(test_write_creates_parents),
        cmocka_unit_test(test_acl),
        cmocka_unit_test(test_target_inherits),
        cmocka_unit_test(test_perms_parse),
        cmocka_unit_test(test_clone_is_independent),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

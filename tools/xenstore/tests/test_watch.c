/* SPDX-License-Identifier: GPL-2.0 */
/* Watches: when they fire, with what path, and for whom. */
#include <errno.h>
#include <string.h>
#include "harness.h"

struct ctx {
    struct xs_state *s;
    struct xs_conn *d0, *w;
    char path[XENSTORE_PAYLOAD_MAX], token[XENSTORE_PAYLOAD_MAX];
};

static int setup(void **state)
{
    static struct ctx x;

    x.s = h_init();
    x.d0 = h_dom0(x.s);
    x.w = h_dom0(x.s);
    *state = &x;
    return 0;
}

static int teardown(void **state)
{
    struct ctx *x = *state;

    h_fini(x->s);
    return 0;
}

static bool next_event(struct ctx *x, struct xs_conn *c)
{
    return h_event(c, x->path, sizeof(x->path), x->token, sizeof(x->token));
}

static void expect_event(struct ctx *x, struct xs_conn *c, const char *path,
                         const char *token)
{
    assert_true(next_event(x, c));
    assert_string_equal(x->path, path);
    assert_string_equal(x->token, token);
}

static void test_fires_at_registration(void **state)
{
    struct ctx *x = *state;
    struct h_msg m;

    assert_int_equal(h_callv(x->w, XS_WATCH, 0, &m, "/a/b", "tok", NULL), 0);
    assert_string_equal(m.data, "OK");
    /* The reply comes first, then the initial event (even for absent nodes). */
    expect_event(x, x->w, "/a/b", "tok");
    assert_false(next_event(x, x->w));
}

static void test_fires_on_changes(void **state)
{
    struct ctx *x = *state;

    assert_int_equal(h_write(x->d0, 0, "/a", ""), 0);
    assert_int_equal(h_watch(x->w, "/a", "t"), 0);
    h_events_clear(x->w);
    assert_int_equal(h_write(x->d0, 0, "/a", "1"), 0);
    expect_event(x, x->w, "/a", "t");
    assert_int_equal(h_write(x->d0, 0, "/a/b/c", "1"), 0);   /* descendant */
    expect_event(x, x->w, "/a/b/c", "t");
    assert_int_equal(h_mkdir(x->d0, 0, "/a/m"), 0);
    expect_event(x, x->w, "/a/m", "t");
    assert_int_equal(h_setperms(x->d0, 0, "/a/m", "r0", NULL), 0);
    expect_event(x, x->w, "/a/m", "t");
    assert_int_equal(h_rm(x->d0, 0, "/a/m"), 0);
    expect_event(x, x->w, "/a/m", "t");
    /* A sibling sharing a prefix is not a child. */
    assert_int_equal(h_write(x->d0, 0, "/ab", "1"), 0);
    assert_int_equal(h_write(x->d0, 0, "/", ""), 0);
    assert_false(next_event(x, x->w));
    /* MKDIR of an existing node changes nothing and says nothing. */
    assert_int_equal(h_mkdir(x->d0, 0, "/a"), 0);
    assert_false(next_event(x, x->w));
}

static void test_rm_of_ancestor(void **state)
{
    struct ctx *x = *state;

    assert_int_equal(h_write(x->d0, 0, "/r/s/t/u", "1"), 0);
    assert_int_equal(h_watch(x->w, "/r/s/t", "deep"), 0);
    assert_int_equal(h_watch(x->w, "/r/s/t/u/v", "absent"), 0);
    h_events_clear(x->w);
    assert_int_equal(h_rm(x->d0, 0, "/r/s"), 0);
    /* Each watch hears its own path. */
    assert_true(next_event(x, x->w));
    assert_true(next_event(x, x->w));
    assert_false(next_event(x, x->w));
}

static void test_relative_watch(void **state)
{
    struct ctx *x = *state;
    struct xs_conn *u = h_domu(x->s, 5);

    assert_int_equal(h_mkdir(x->d0, 0, "/local/domain/5"), 0);
    assert_int_equal(h_setperms(x->d0, 0, "/local/domain/5", "n5", NULL), 0);
    assert_int_equal(h_watch(u, "device", "dev"), 0);
    expect_event(x, u, "device", "dev");
    assert_int_equal(h_write(x->d0, 0, "/local/domain/5/device/vif/0", "x"), 0);
    expect_event(x, u, "device/vif/0", "dev");
    /* The same watch given absolutely hears absolute paths. */
    assert_int_equal(h_watch(u, "/local/domain/5/device", "abs"), 0);
    expect_event(x, u, "/local/domain/5/device", "abs");
    /* Same node, different token: both fire. */
    assert_int_equal(h_write(x->d0, 0, "/local/domain/5/device/vif/0", "y"), 0);
    assert_true(next_event(x, u));
    assert_true(next_event(x, u));
    assert_false(next_event(x, u));
}

static void test_unwatch(void **state)
{
    struct ctx *x = *state;
    struct h_msg m;

    assert_int_equal(h_watch(x->w, "/u", "t"), 0);
    assert_int_equal(h_watch(x->w, "/u", "t"), EEXIST);
    h_events_clear(x->w);
    assert_int_equal(h_callv(x->w, XS_UNWATCH, 0, &m, "/u", "other", NULL), ENOENT);
    assert_int_equal(h_callv(x->w, XS_UNWATCH, 0, &m, "/u", "t", NULL), 0);
    assert_int_equal(h_write(x->d0, 0, "/u", "1"), 0);
    assert_false(next_event(x, x->w));
    assert_int_equal(h_callv(x->w, XS_UNWATCH, 0, &m, "/u", "t", NULL), ENOENT);
    assert_int_equal(x->w->nr_watches, 0);
}

static void test_special_watches(void **state)
{
    struct ctx *x = *state;
    struct xs_conn *u = h_domu(x->s, 5);
    struct h_msg m;

    assert_int_equal(h_watch(x->w, "@introduceDomain", "in"), 0);
    assert_int_equal(h_watch(x->w, "@releaseDomain", "out"), 0);
    assert_int_equal(h_watch(u, "@releaseDomain", "u-out"), 0);
    h_events_clear(x->w);
    h_events_clear(u);
    assert_int_equal(h_callv(x->d0, XS_INTRODUCE, 0, &m, "7", "1", "2", NULL), 0);
    expect_event(x, x->w, "@introduceDomain", "in");
    assert_false(next_event(x, x->w));
    assert_int_equal(h_callv(x->d0, XS_RELEASE, 0, &m, "7", NULL), 0);
    expect_event(x, x->w, "@releaseDomain", "out");
    /* domU 5 may not read @releaseDomain: nothing for it... */
    assert_false(next_event(x, u));
    /* ...until dom0 lets it. */
    assert_int_equal(h_setperms(x->d0, 0, "@releaseDomain", "n0", "r5", NULL), 0);
    assert_int_equal(h_callv(x->d0, XS_INTRODUCE, 0, &m, "7", "1", "2", NULL), 0);
    assert_int_equal(h_callv(x->d0, XS_RELEASE, 0, &m, "7", NULL), 0);
    expect_event(x, u, "@releaseDomain", "u-out");
    /* Special events do not reach ordinary watches, even on "/". */
    assert_int_equal(h_watch(x->d0, "/", "root"), 0);
    h_events_clear(x->d0);
    assert_int_equal(h_callv(x->d0, XS_INTRODUCE, 0, &m, "8", "1", "2", NULL), 0);
    assert_false(next_event(x, x->d0));
}

static void test_watch_bad_paths(void **state)
{
    struct ctx *x = *state;

    assert_int_equal(h_watch(x->w, "/a//b", "t"), EINVAL);
    assert_int_equal(h_watch(x->w, "", "t"), EINVAL);
    assert_int_equal(h_watch(x->w, "/a b", "t"), EINVAL);
    assert_int_equal(x->w->nr_watches, 0);
}

static void test_events_for_many_watchers(void **state)
{
    struct ctx *x = *state;
    struct xs_conn *c[4];
    unsigned int i;

    for ( i = 0; i < 4; i++ )
    {
        c[i] = h_dom0(x->s);
        assert_int_equal(h_watch(c[i], "/many", "t"), 0);
        h_events_clear(c[i]);
    }
    assert_int_equal(h_write(x->d0, 0, "/many/x", "1"), 0);
    for ( i = 0; i < 4; i++ )
        expect_event(x, c[i], "/many/x", "t");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fires_at_registration, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fires_on_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rm_of_ancestor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_relative_watch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unwatch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_special_watches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watch_bad_paths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_events_for_many_watchers, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

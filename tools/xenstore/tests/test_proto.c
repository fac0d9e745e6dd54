/* SPDX-License-Identifier: GPL-2.0 */
/* Each request type's reply, as docs/misc/xenstore.txt specifies it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

static int setup(void **state)
{
    *state = h_init();
    return 0;
}

static int teardown(void **state)
{
    h_fini(*state);
    return 0;
}

static void test_initial_tree(void **state)
{
    struct xs_conn *c = h_dom0(*state);
    char v[64];

    assert_int_equal(h_read(c, 0, "/local/domain/0/name", v, sizeof(v)), 0);
    assert_string_equal(v, "Domain-0");
    assert_int_equal(h_read(c, 0, "/local/domain/0/domid", v, sizeof(v)), 0);
    assert_string_equal(v, "0");
    assert_int_equal(h_read(c, 0, "/local/pool/0/name", v, sizeof(v)), 0);
    assert_string_equal(v, "Pool-0");
    assert_int_equal(h_read(c, 0, "/tool/xenstored", v, sizeof(v)), 0);
    assert_string_equal(v, "");
}

static void test_write_read(void **state)
{
    struct xs_conn *c = h_dom0(*state);
    static const char bin[] = { 'a', 0, 'b', 0, (char)0xff };
    char buf[64];
    struct h_msg m;

    assert_int_equal(h_write(c, 0, "/vm/x/y", "hello"), 0);
    assert_int_equal(h_read(c, 0, "/vm/x/y", buf, sizeof(buf)), 0);
    assert_string_equal(buf, "hello");
    /* Parents appear, with empty values. */
    assert_int_equal(h_read(c, 0, "/vm/x", buf, sizeof(buf)), 0);
    assert_string_equal(buf, "");
    /* Values are bytes: NULs and high bytes survive; no NUL is added. */
    memcpy(buf, "/bin", 5);
    memcpy(buf + 5, bin, sizeof(bin));
    assert_int_equal(h_call(c, XS_WRITE, 0, buf, 5 + sizeof(bin), &m), 0);
    assert_int_equal(m.hdr.len, 3);
    assert_string_equal(m.data, "OK");
    assert_int_equal(h_callv(c, XS_READ, 0, &m, "/bin", NULL), 0);
    assert_int_equal(m.hdr.len, sizeof(bin));
    assert_memory_equal(m.data, bin, sizeof(bin));
    assert_int_equal(h_read(c, 0, "/nope", buf, sizeof(buf)), ENOENT);
}

static void test_mkdir_rm(void **state)
{
    struct xs_conn *c = h_dom0(*state);
    char v[16];

    assert_int_equal(h_write(c, 0, "/d", "keep"), 0);
    assert_int_equal(h_mkdir(c, 0, "/d"), 0);
    assert_int_equal(h_read(c, 0, "/d", v, sizeof(v)), 0);
    assert_string_equal(v, "keep");           /* MKDIR leaves values alone */
    assert_int_equal(h_mkdir(c, 0, "/d/e/f"), 0);
    assert_int_equal(h_read(c, 0, "/d/e/f", v, sizeof(v)), 0);
    assert_int_equal(h_rm(c, 0, "/d/e"), 0);
    assert_int_equal(h_read(c, 0, "/d/e/f", v, sizeof(v)), ENOENT);
    assert_int_equal(h_rm(c, 0, "/d/e"), 0);         /* absent, parent there */
    assert_int_equal(h_rm(c, 0, "/d/e/f"), ENOENT);  /* parent absent too */
    assert_int_equal(h_rm(c, 0, "/"), EINVAL);
}

static void test_directory(void **state)
{
    struct xs_conn *c = h_dom0(*state);
    struct h_msg m;

    assert_int_equal(h_callv(c, XS_DIRECTORY, 0, &m, "/local/domain/0", NULL), 0);
    assert_int_equal(m.hdr.len, sizeof("domid\0name"));
    assert_memory_equal(m.data, "domid\0name\0", m.hdr.len);
    assert_int_equal(h_callv(c, XS_DIRECTORY, 0, &m, "/tool/xenstored", NULL), 0);
    assert_int_equal(m.hdr.len, 0);
    assert_int_equal(h_callv(c, XS_DIRECTORY, 0, &m, "/none", NULL), ENOENT);
}

/* Read a long child list the way libxenstore's xs_directory_part does. */
static void test_directory_part(void **state)
{
    struct xs_conn *c = h_dom0(*state);
    char path[64], off[16], gen[32] = "", *all = calloc(1, 65536), *expect = calloc(1, 65536);
    size_t got = 0, elen = 0, len;
    struct h_msg m;
    int i;

    for ( i = 0; i < 300; i++ )
    {
        snprintf(path, sizeof(path), "/many/child-with-a-long-name-%03d", i);
        assert_int_equal(h_write(c, 0, path, ""), 0);
        elen += (size_t)sprintf(expect + elen, "child-with-a-long-name-%03d", i) + 1;
    }
    /* Too big for one DIRECTORY reply. */
    assert_int_equal(h_callv(c, XS_DIRECTORY, 0, &m, "/many", NULL), E2BIG);
    for ( i = 0; i < 10; i++ )
    {
        snprintf(off, sizeof(off), "%zu", got);
        assert_int_equal(h_callv(c, XS_DIRECTORY_PART, 0, &m, "/many", off, NULL), 0);
        if ( i == 0 )
            strcpy(gen, m.data);
        assert_string_equal(m.data, gen);
        len = m.hdr.len - strlen(m.data) - 1;
        memcpy(all + got, m.data + strlen(m.data) + 1, len);
        got += len;
        if ( len <= 1 || all[got - 2] == '\0' )
            break;
    }
    assert_true(i > 0);                 /* it took more than one chunk */
    assert_int_equal(got, elen + 1);    /* the list plus the end marker */
    assert_memory_equal(all, expect, elen);
    /* An empty directory: just the generation and the end marker. */
    assert_int_equal(h_callv(c, XS_DIRECTORY_PART, 0, &m, "/tool/xenstored", "0", NULL), 0);
    assert_int_equal(m.hdr.len, strlen(m.data) + 2);
    free(all);
    free(expect);
}

static void test_perms_roundtrip(void **state)
{
    struct xs_conn *c = h_dom0(*state);
    struct h_msg m;

    assert_int_equal(h_callv(c, XS_GET_PERMS, 0, &m, "/local", NULL), 0);
    assert_int_equal(m.hdr.len, 3);
    assert_string_equal(m.data, "n0");
    assert_int_equal(h_write(c, 0, "/p", ""), 0);
    assert_int_equal(h_setperms(c, 0, "/p", "n3", "r4", "b5", NULL), 0);
    assert_int_equal(h_callv(c, XS_GET_PERMS, 0, &m, "/p", NULL), 0);
    assert_int_equal(m.hdr.len, sizeof("n3\0r4\0b5"));
    assert_memory_equal(m.data, "n3\0r4\0b5\0", m.hdr.len);
    assert_int_equal(h_callv(c, XS_GET_PERMS, 0, &m, "@releaseDomain", NULL), 0);
    assert_string_equal(m.data, "n0");
    assert_int_equal(h_setperms(c, 0, "/absent", "n0", NULL), ENOENT);
}

static void test_domain_queries(void **state)
{
    struct xs_conn *c = h_dom0(*state);
    struct h_msg m;

    assert_int_equal(h_callv(c, XS_GET_DOMAIN_PATH, 0, &m, "7", NULL), 0);
    assert_int_equal(m.hdr.len, sizeof("/local/domain/7"));
    assert_string_equal(m.data, "/local/domain/7");
    assert_int_equal(h_callv(c, XS_IS_DOMAIN_INTRODUCED, 0, &m, "0", NULL), 0);
    assert_string_equal(m.data, "T");
    assert_int_equal(h_callv(c, XS_IS_DOMAIN_INTRODUCED, 0, &m, "5", NULL), 0);
    assert_string_equal(m.data, "F");
    /* Without the hypervisor, INTRODUCE does the bookkeeping only. */
    assert_int_equal(h_callv(c, XS_INTRODUCE, 0, &m, "5", "1234", "9", NULL), 0);
    assert_int_equal(h_callv(c, XS_IS_DOMAIN_INTRODUCED, 0, &m, "5", NULL), 0);
    assert_string_equal(m.data, "T");
    assert_int_equal(h_callv(c, XS_RESUME, 0, &m, "5", NULL), 0);
    assert_int_equal(h_callv(c, XS_RELEASE, 0, &m, "5", NULL), 0);
    assert_int_equal(h_callv(c, XS_IS_DOMAIN_INTRODUCED, 0, &m, "5", NULL), 0);
    assert_string_equal(m.data, "F");
    assert_int_equal(h_callv(c, XS_RELEASE, 0, &m, "5", NULL), ENOENT);
    assert_int_equal(h_callv(c, XS_RESUME, 0, &m, "5", NULL), ENOENT);
    assert_int_equal(h_callv(c, XS_INTRODUCE, 0, &m, "0", "1", "1", NULL), EINVAL);
    assert_int_equal(h_callv(c, XS_RELEASE, 0, &m, "0", NULL), EINVAL);
    assert_int_equal(h_callv(c, XS_SET_TARGET, 0, &m, "8", "5", NULL), ENOENT);
}

static void test_privileged_only(void **state)
{
    struct xs_conn *u = h_domu(*state, 5);
    struct h_msg m;

    assert_int_equal(h_callv(u, XS_INTRODUCE, 0, &m, "6", "1", "1", NULL), EACCES);
    assert_int_equal(h_callv(u, XS_RELEASE, 0, &m, "6", NULL), EACCES);
    assert_int_equal(h_callv(u, XS_RESUME, 0, &m, "6", NULL), EACCES);
    assert_int_equal(h_callv(u, XS_SET_TARGET, 0, &m, "6", "5", NULL), EACCES);
    assert_int_equal(h_callv(u, XS_CONTROL, 0, &m, "check", NULL), EACCES);
    /* Queries are open to all. */
    assert_int_equal(h_callv(u, XS_GET_DOMAIN_PATH, 0, &m, "5", NULL), 0);
    assert_int_equal(h_callv(u, XS_IS_DOMAIN_INTRODUCED, 0, &m, "5", NULL), 0);
}

static void test_control(void **state)
{
    struct xs_conn *c = h_dom0(*state);
    struct h_msg m;

    assert_int_equal(h_callv(c, XS_CONTROL, 0, &m, "check", NULL), 0);
    assert_string_equal(m.data, "OK");
    assert_int_equal(h_callv(c, XS_CONTROL, 0, &m, "help", NULL), 0);
    assert_non_null(strstr(m.data, "check"));
    assert_int_equal(h_callv(c, XS_CONTROL, 0, &m, "live-update", "-s", NULL), EINVAL);
}

static void test_unknown_types(void **state)
{
    struct xs_conn *c = h_dom0(*state);
    static const uint32_t bad[] = { XS_WATCH_EVENT, XS_ERROR, 20, XS_GET_FEATURE,
                                    XS_SET_QUOTA, XS_TYPE_COUNT, 1000, XS_INVALID,
                                    0xffffffffu };
    struct h_msg m;
    size_t i;

    for ( i = 0; i < sizeof(bad) / sizeof(bad[0]); i++ )
    {
        assert_int_equal(h_callv(c, bad[i], 0, &m, "/", NULL), ENOSYS);
        assert_int_equal(m.hdr.type, XS_ERROR);
        assert_int_equal(m.hdr.len, sizeof("ENOSYS"));
    }
}

static void test_relative_paths(void **state)
{
    struct xs_conn *d0 = h_dom0(*state), *u = h_domu(*state, 5);
    char v[32];

    assert_int_equal(h_mkdir(d0, 0, "/local/domain/5"), 0);
    assert_int_equal(h_setperms(d0, 0, "/local/domain/5", "n5", NULL), 0);
    assert_int_equal(h_write(u, 0, "data/x", "1"), 0);
    assert_int_equal(h_read(d0, 0, "/local/domain/5/data/x", v, sizeof(v)), 0);
    assert_string_equal(v, "1");
    assert_int_equal(h_read(u, 0, "data/x", v, sizeof(v)), 0);
    assert_string_equal(v, "1");
    /* dom0's relative paths are under /local/domain/0. */
    assert_int_equal(h_read(d0, 0, "name", v, sizeof(v)), 0);
    assert_string_equal(v, "Domain-0");
}

static void test_transaction_start_with_txid(void **state)
{
    struct xs_conn *c = h_dom0(*state);
    struct h_msg m;

    assert_int_equal(h_callv(c, XS_TRANSACTION_START, 42, &m, "", NULL), EBUSY);
    /* The error reply echoes req_id and tx_id. */
    assert_int_equal(m.hdr.tx_id, 42);
}

static void test_reset_watches(void **state)
{
    struct xs_conn *c = h_dom0(*state);
    uint32_t id;

    assert_int_equal(h_watch(c, "/a", "t"), 0);
    assert_int_equal(h_txn_start(c, &id), 0);
    assert_int_equal(h_callv(c, XS_RESET_WATCHES, 0, NULL, "", NULL), 0);
    assert_int_equal(c->nr_watches, 0);
    assert_int_equal(c->nr_txns, 0);
    assert_int_equal(h_txn_end(c, id, true), ENOENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_initial_tree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mkdir_rm, setup, teardown),
        cmocka_unit_test_setup_teardown(test_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_directory_part, setup, teardown),
        cmocka_unit_test_setup_teardown(test_perms_roundtrip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_domain_queries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_privileged_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_control, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_relative_paths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transaction_start_with_txid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset_watches, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

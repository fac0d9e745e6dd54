/* SPDX-License-Identifier: GPL-2.0 */
/* PV console ring copying, including what a hostile guest can write. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "console_ring.h"

/* The guest side of the output ring, as a guest driver would write it. */
static void guest_put(struct xencons_interface *r, const char *s, size_t n)
{
    size_t i;

    for ( i = 0; i < n; i++ )
        r->out[(r->out_prod + i) % XENCONS_OUT_SIZE] = s[i];
    r->out_prod += (XENCONS_RING_IDX)n;
}

static void test_layout(void **state)
{
    /* The shared page's layout is ABI (Xen's io/console.h). */
    assert_int_equal(offsetof(struct xencons_interface, in), 0);
    assert_int_equal(offsetof(struct xencons_interface, out), 1024);
    assert_int_equal(offsetof(struct xencons_interface, in_cons), 3072);
    assert_int_equal(offsetof(struct xencons_interface, in_prod), 3076);
    assert_int_equal(offsetof(struct xencons_interface, out_cons), 3080);
    assert_int_equal(offsetof(struct xencons_interface, out_prod), 3084);
    assert_true(sizeof(struct xencons_interface) <= 4096);
}

static void test_read_out_empty_and_simple(void **state)
{
    struct xencons_interface r = { 0 };
    char buf[64];

    assert_int_equal(cons_ring_read_out(&r, buf, sizeof(buf)), 0);
    guest_put(&r, "hello", 5);
    assert_int_equal(cons_ring_read_out(&r, buf, sizeof(buf)), 5);
    assert_memory_equal(buf, "hello", 5);
    assert_int_equal(r.out_cons, 5);
    assert_int_equal(cons_ring_read_out(&r, buf, sizeof(buf)), 0);
}

static void test_read_out_partial_and_wrap(void **state)
{
    struct xencons_interface r = { 0 };
    char buf[16];

    /* Indices near the top of the 32-bit range wrap like any other. */
    r.out_cons = r.out_prod = UINT32_MAX - 2;
    guest_put(&r, "abcdefgh", 8);
    assert_int_equal(cons_ring_read_out(&r, buf, 3), 3);
    assert_memory_equal(buf, "abc", 3);
    assert_int_equal(cons_ring_read_out(&r, buf, sizeof(buf)), 5);
    assert_memory_equal(buf, "defgh", 5);
    assert_int_equal(r.out_cons, r.out_prod);
    assert_int_equal(r.out_cons, 5);

    /* Across the end of out[]. */
    r.out_cons = r.out_prod = XENCONS_OUT_SIZE - 2;
    guest_put(&r, "WXYZ", 4);
    assert_int_equal(cons_ring_read_out(&r, buf, sizeof(buf)), 4);
    assert_memory_equal(buf, "WXYZ", 4);
}

static void test_read_out_full_ring(void **state)
{
    struct xencons_interface r = { 0 };
    static char buf[XENCONS_OUT_SIZE * 2];

    memset(r.out, 'x', sizeof(r.out));
    r.out_prod = XENCONS_OUT_SIZE;               /* exactly full is legal */
    assert_int_equal(cons_ring_read_out(&r, buf, sizeof(buf)), XENCONS_OUT_SIZE);
}

static void test_read_out_hostile_indices(void **state)
{
    struct xencons_interface r = { 0 };
    char buf[64];

    r.out_prod = XENCONS_OUT_SIZE + 1;           /* more than the ring holds */
    assert_int_equal(cons_ring_read_out(&r, buf, sizeof(buf)), -EIO);
    assert_int_equal(r.out_cons, 0);             /* nothing consumed */
    r.out_cons = 100;
    r.out_prod = 50;                             /* producer behind consumer */
    assert_int_equal(cons_ring_read_out(&r, buf, sizeof(buf)), -EIO);
    r.out_cons = 0xdeadbeef;                     /* wild but consistent: fine */
    r.out_prod = 0xdeadbeef + 10;
    assert_int_equal(cons_ring_read_out(&r, buf, sizeof(buf)), 10);
}

static void test_write_in(void **state)
{
    struct xencons_interface r = { 0 };
    static char big[XENCONS_IN_SIZE + 100];

    assert_int_equal(cons_ring_in_space(&r), XENCONS_IN_SIZE);
    assert_int_equal(cons_ring_write_in(&r, "ls\n", 3), 3);
    assert_memory_equal(r.in, "ls\n", 3);
    assert_int_equal(r.in_prod, 3);
    assert_int_equal(cons_ring_in_space(&r), XENCONS_IN_SIZE - 3);

    /* Only what fits goes in. */
    memset(big, 'q', sizeof(big));
    assert_int_equal(cons_ring_write_in(&r, big, sizeof(big)), XENCONS_IN_SIZE - 3);
    assert_int_equal(cons_ring_in_space(&r), 0);
    assert_int_equal(cons_ring_write_in(&r, "z", 1), 0);

    /* The guest consumes; we wrap around the end of in[]. */
    r.in_cons = r.in_prod;
    assert_int_equal(cons_ring_write_in(&r, "AB", 2), 2);
    assert_int_equal(r.in[0], 'A');
    assert_int_equal(r.in[1], 'B');
}

static void test_write_in_hostile_indices(void **state)
{
    struct xencons_interface r = { 0 };

    r.in_prod = 5000;
    assert_int_equal(cons_ring_in_space(&r), -EIO);
    assert_int_equal(cons_ring_write_in(&r, "x", 1), -EIO);
    assert_int_equal(r.in_prod, 5000);           /* untouched */
    r.in_cons = 10;
    r.in_prod = 9;
    assert_int_equal(cons_ring_write_in(&r, "x", 1), -EIO);
}

/* Any index values: never an access outside the page (ASan checks). */
static void test_random_indices_stay_in_bounds(void **state)
{
    struct xencons_interface *r = malloc(sizeof(*r));
    char buf[XENCONS_OUT_SIZE];
    unsigned int seed = 7, i;
    int n;

    assert_non_null(r);
    memset(r, 0, sizeof(*r));
    for ( i = 0; i < 20000; i++ )
    {
        seed = seed * 1103515245 + 12345;
        r->out_cons = seed;
        seed = seed * 1103515245 + 12345;
        r->out_prod = r->out_cons + (seed % 4 ? seed % 3000 : seed);
        n = cons_ring_read_out(r, buf, sizeof(buf));
        assert_true(n == -EIO || (n >= 0 && n <= (int)XENCONS_OUT_SIZE));
        r->in_cons = seed * 3;
        r->in_prod = r->in_cons + (seed % 1500);
        n = cons_ring_write_in(r, buf, 100);
        assert_true(n == -EIO || (n >= 0 && n <= 100));
    }
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_read_out_empty_and_simple),
        cmocka_unit_test(test_read_out_partial_and_wrap),
        cmocka_unit_test(test_read_out_full_ring),
        cmocka_unit_test(test_read_out_hostile_indices),
        cmocka_unit_test(test_write_in),
        cmocka_unit_test(test_write_in_hostile_indices),
        cmocka_unit_test(test_random_indices_stay_in_bounds),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

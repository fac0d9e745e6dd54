/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xmalloc on top of the real boot allocator and heap, over a 64 MiB arena.
 * Every test checks that the heap gets back every page it lent.  Expected
 * panics are caught with a longjmp-based panic(), one per test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heap_fixture.h"

#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/xmalloc.h>

#define MiB (1UL << 20)

/* ------------------------------------------------------------------ */
/* Catching panic(). */

/* assert_panics() comes from harness.h. */

/* ------------------------------------------------------------------ */
/* Fixture: a booted heap; teardown checks nothing leaked. */

static unsigned long heap_free_at_start;

static int boot_heap(void **state)
{
    heap_free_at_start = boot_test_heap(64 * MiB);
    return 0;
}

static int unmap_ram(void **state)
{
    host_test_ram_fini();
    return 0;
}

static void assert_no_leaks(void)
{
    assert_int_equal(xmalloc_bytes_in_use(), 0);
    assert_int_equal(avail_heap_pages(), heap_free_at_start);
    heap_check_consistency();
}

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static size_t class_of(size_t size)
{
    size_t c = 16;

    while ( c < size )
        c <<= 1;
    return c;
}

/* ------------------------------------------------------------------ */
/* Size classes. */

static void test_every_size_class(void **state)
{
    size_t size;

    for ( size = 16; size <= XMALLOC_MAX_SMALL; size <<= 1 )
    {
        size_t sizes[] = { size / 2 + 1, size - 1, size };
        unsigned int i;

        for ( i = 0; i < 3; i++ )
        {
            unsigned char *p = xmalloc_bytes(sizes[i]);

            assert_non_null(p);
            assert_int_equal((uintptr_t)p % XMALLOC_ALIGN, 0);
            assert_int_equal(xmalloc_bytes_in_use(), class_of(sizes[i]));
            memset(p, 0xcc, sizes[i]);
            /* One page serves the class until it is full. */
            assert_int_equal(avail_heap_pages(), heap_free_at_start - 1);
            xfree(p);
            assert_int_equal(avail_heap_pages(), heap_free_at_start);
        }
    }
    assert_no_leaks();
}

static void test_objects_of_a_class_share_pages(void **state)
{
    size_t size;

    for ( size = 16; size <= XMALLOC_MAX_SMALL; size <<= 1 )
    {
        unsigned int per_page = PAGE_SIZE / size, n = 3 * per_page, i, j;
        unsigned char **objs = calloc(n, sizeof(*objs));

        assert_non_null(objs);
        for ( i = 0; i < n; i++ )
        {
            objs[i] = xmalloc_bytes(size);
            assert_non_null(objs[i]);
            memset(objs[i], (int)i, size);
            assert_int_equal(avail_heap_pages(),
                             heap_free_at_start - (i / per_page + 1));
        }
        /* No two objects overlap: each still holds its own pattern. */
        for ( i = 0; i < n; i++ )
            for ( j = 0; j < size; j += 8 )
                assert_int_equal(objs[i][j], (unsigned char)i);
        assert_int_equal(xmalloc_bytes_in_use(), (size_t)n * size);

        for ( i = 0; i < n; i++ )
            xfree(objs[i]);
        free(objs);
        assert_no_leaks();
    }
}

static void test_zero_size(void **state)
{
    void *a = xmalloc_bytes(0), *b = xmalloc_bytes(0);

    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    xfree(a);
    xfree(b);
    assert_no_leaks();
}

static void test_xfree_null(void **state)
{
    xfree(NULL);
    assert_no_leaks();
}

/* ------------------------------------------------------------------ */
/* Large allocations. */

static void test_large_allocations(void **state)
{
    size_t sizes[] = { XMALLOC_MAX_SMALL + 1, PAGE_SIZE, PAGE_SIZE + 1,
                       3 * PAGE_SIZE, 64 * 1024, 1 * MiB, 4 * MiB };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(sizes); i++ )
    {
        unsigned int order = get_order_from_bytes(sizes[i]);
        unsigned char *p = xmalloc_bytes(sizes[i]);

        assert_non_null(p);
        assert_int_equal((uintptr_t)p % PAGE_SIZE, 0);
        assert_int_equal(avail_heap_pages(), heap_free_at_start - (1UL << order));
        assert_int_equal(xmalloc_bytes_in_use(), PAGE_SIZE << order);
        memset(p, 0x77, sizes[i]);
        assert_int_equal(p[sizes[i] - 1], 0x77);
        xfree(p);
        assert_no_leaks();
    }
}

static void test_too_large_returns_null(void **state)
{
    /* More than a MAX_ORDER block, and more than the arena. */
    assert_null(xmalloc_bytes((PAGE_SIZE << MAX_ORDER) + 1));
    assert_null(xmalloc_bytes(256 * MiB));
    assert_null(xmalloc_bytes(SIZE_MAX));
    assert_no_leaks();
}

static void test_out_of_memory_returns_null(void **state)
{
    void *big[64];
    unsigned int n = 0;

    /* Drain the heap in 1 MiB blocks, then small requests fail cleanly. */
    while ( n < ARRAY_SIZE(big) && (big[n] = xmalloc_bytes(1 * MiB)) != NULL )
        n++;
    while ( alloc_domheap_pages(0, 0) != NULL )
        ;
    assert_int_equal(avail_heap_pages(), 0);
    assert_null(xmalloc_bytes(16));
    assert_null(xzalloc_bytes(3000));
    assert_true(n > 50);
    /* What was allocated is still accounted and freeable. */
    assert_int_equal(xmalloc_bytes_in_use(), (size_t)n * MiB);
    while ( n )
        xfree(big[--n]);
    assert_int_equal(xmalloc_bytes_in_use(), 0);
}

/* ------------------------------------------------------------------ */
/* Zeroing, typed macros, arrays. */

struct sample {
    uint64_t a;
    uint32_t b;
    char name[20];
};

static void test_zeroing(void **state)
{
    size_t sizes[] = { 1, 24, 100, 2048, 5000 };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(sizes); i++ )
    {
        /* Dirty memory first, so a reused object would show it. */
        unsigned char *dirty = xmalloc_bytes(sizes[i]), *p;
        size_t j;

        memset(dirty, 0xff, sizes[i]);
        xfree(dirty);
        p = xzalloc_bytes(sizes[i]);
        assert_non_null(p);
        for ( j = 0; j < sizes[i]; j++ )
            assert_int_equal(p[j], 0);
        xfree(p);
    }
    assert_no_leaks();
}

static void test_typed_macros(void **state)
{
    struct sample *s = xzalloc(struct sample), *t = xmalloc(struct sample);
    struct sample *arr = xzalloc_array(struct sample, 100);
    uint32_t *words = xmalloc_array(uint32_t, 10);
    unsigned int i;

    assert_non_null(s);
    assert_non_null(t);
    assert_non_null(arr);
    assert_non_null(words);
    assert_int_equal(s->a, 0);
    assert_int_equal(s->name[19], 0);
    for ( i = 0; i < 100; i++ )
        assert_int_equal(arr[i].b, 0);
    arr[99].name[19] = 'x';
    words[9] = 0xdeadbeef;
    assert_int_equal(xmalloc_bytes_in_use(),
                     2 * class_of(sizeof(struct sample)) +
                     PAGE_SIZE + class_of(10 * sizeof(uint32_t)));
    xfree(words);
    xfree(arr);
    xfree(t);
    xfree(s);
    assert_no_leaks();
}

static void test_array_overflow_returns_null(void **state)
{
    assert_null(xmalloc_array(uint64_t, SIZE_MAX / 4));
    assert_null(xzalloc_array(uint64_t, SIZE_MAX / 8 + 1));
    assert_null(xmalloc_array_bytes(SIZE_MAX / 2 + 1, 2));
    assert_null(xzalloc_array_bytes(3, SIZE_MAX / 3 + 1));
    assert_null(xmalloc_array(struct sample, SIZE_MAX));
    /* The edges that do not overflow still work. */
    xfree(xmalloc_array_bytes(0, SIZE_MAX));
    xfree(xmalloc_array_bytes(SIZE_MAX, 0));
    xfree(xmalloc_array(uint64_t, 0));
    assert_no_leaks();
}

/* ------------------------------------------------------------------ */
/* Mixed use and reporting. */

static void test_random_mix(void **state)
{
    enum { LIVE = 400, ROUNDS = 20000 };
    static struct { unsigned char *p; size_t size; unsigned char fill; } live[LIVE];
    unsigned int nr = 0, round;
    size_t expect = 0;

    for ( round = 0; round < ROUNDS; round++ )
    {
        if ( nr < LIVE && (nr == 0 || rng() % 2) )
        {
            /* Mostly small, sometimes a few pages. */
            size_t size = rng() % 8 ? rng() % 2049 : rng() % (5 * PAGE_SIZE);
            unsigned char fill = rng();

            live[nr].p = xmalloc_bytes(size);
            assert_non_null(live[nr].p);
            assert_int_equal((uintptr_t)live[nr].p % XMALLOC_ALIGN, 0);
            memset(live[nr].p, fill, size);
            live[nr].size = size;
            live[nr].fill = fill;
            expect += size > XMALLOC_MAX_SMALL
                      ? PAGE_SIZE << get_order_from_bytes(size) : class_of(size);
            nr++;
        }
        else
        {
            unsigned int k = rng() % nr;
            size_t j;

            /* Nobody else wrote into it. */
            for ( j = 0; j < live[k].size; j += 7 )
                assert_int_equal(live[k].p[j], live[k].fill);
            xfree(live[k].p);
            expect -= live[k].size > XMALLOC_MAX_SMALL
                      ? PAGE_SIZE << get_order_from_bytes(live[k].size)
                      : class_of(live[k].size);
            live[k] = live[--nr];
        }
        assert_int_equal(xmalloc_bytes_in_use(), expect);
    }
    while ( nr )
        xfree(live[--nr].p);
    assert_no_leaks();
}

static void test_report(void **state)
{
    void *a = xmalloc_bytes(100), *b = xmalloc_bytes(5000);

    host_test_log_clear();
    xmalloc_report();
    assert_true(host_test_log_contains("xmalloc: 2 objects, 8320 bytes in use"));
    assert_true(host_test_log_contains("1 pages of small objects, 2 pages of large"));
    xfree(a);
    xfree(b);
    host_test_log_clear();
    xmalloc_report();
    assert_true(host_test_log_contains("xmalloc: 0 objects, 0 bytes in use"));
    assert_no_leaks();
}

/* ------------------------------------------------------------------ */
/* Misuse: hypervisor bugs, caught. */

static void test_double_free_small(void **state)
{
    void *keep = xmalloc_bytes(64), *p = xmalloc_bytes(64);

    xfree(p);
    assert_panics(xfree(p), "double free");
    (void)keep;
}

static void test_double_free_small_last_object(void **state)
{
    void *p = xmalloc_bytes(64);

    /* The page went back to the heap with the object. */
    xfree(p);
    assert_panics(xfree(p), "double free");
}

static void test_double_free_large(void **state)
{
    void *p = xmalloc_bytes(3 * PAGE_SIZE);

    xfree(p);
    assert_panics(xfree(p), "double free");
}

static void test_free_object_data_like_tag_is_not_double_free(void **state)
{
    /* Live data equal to a free object's tag must not fool xfree(). */
    unsigned long *p = xmalloc_bytes(32), *q = xmalloc_bytes(32);
    unsigned long saved;

    xfree(q);                       /* a free object in the same page */
    memcpy(&saved, (char *)q + 8, sizeof(saved));
    /* Forge p's tag from q's: tag = K ^ address. */
    p[1] = saved ^ (unsigned long)q ^ (unsigned long)p;
    xfree(p);
    assert_no_leaks();
}

static void test_free_interior_pointer(void **state)
{
    char *p = xmalloc_bytes(64);

    assert_panics(xfree(p + 16), "not the start");
}

static void test_free_interior_of_large(void **state)
{
    char *p = xmalloc_bytes(3 * PAGE_SIZE);

    assert_panics(xfree(p + 8), "not its start");
}

static void test_free_tail_page_of_large(void **state)
{
    char *p = xmalloc_bytes(3 * PAGE_SIZE);

    assert_panics(xfree(p + PAGE_SIZE), "not a pointer returned by xmalloc");
}

static void test_free_xenheap_page(void **state)
{
    void *p = alloc_xenheap_pages(0, 0);

    assert_panics(xfree(p), "not a pointer returned by xmalloc");
}

static void test_free_non_heap_pointer(void **state)
{
    static char not_heap[64];

    assert_panics(xfree(not_heap), "not a heap address");
}

static void test_free_never_allocated_frame(void **state)
{
    /* Below 1 MiB: not RAM the heap was given. */
    assert_panics(xfree(maddr_to_virt(0x5000)), "not a pointer returned by xmalloc");
}

static void alloc_two_objects_of_16(void)
{
    (void)xmalloc_bytes(16);
    (void)xmalloc_bytes(16);
}

static void test_free_list_corruption_detected(void **state)
{
    unsigned long *p = xmalloc_bytes(16), *q = xmalloc_bytes(16);

    xfree(q);
    q[0] = 0x0123;                  /* use after free scribbles the link */
    /* q itself is handed out again; the bad link is met on the next one. */
    assert_panics(alloc_two_objects_of_16(), "corrupt");
    (void)p;
}

static void test_overwritten_free_object_detected(void **state)
{
    unsigned long *p = xmalloc_bytes(16), *q = xmalloc_bytes(16);

    xfree(q);
    q[1] = 0;                       /* use after free clobbers the tag */
    assert_panics((void)xmalloc_bytes(16), "overwritten");
    (void)p;
}

#define T(name) cmocka_unit_test_setup_teardown(name, boot_heap, unmap_ram)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_every_size_class),
        T(test_objects_of_a_class_share_pages),
        T(test_zero_size),
        T(test_xfree_null),
        T(test_large_allocations),
        T(test_too_large_returns_null),
        T(test_out_of_memory_returns_null),
        T(test_zeroing),
        T(test_typed_macros),
        T(test_array_overflow_returns_null),
        T(test_random_mix),
        T(test_report),
        T(test_double_free_small),
        T(test_double_free_small_last_object),
        T(test_double_free_large),
        T(test_free_object_data_like_tag_is_not_double_free),
        T(test_free_interior_pointer),
        T(test_free_interior_of_large),
        T(test_free_tail_page_of_large),
        T(test_free_xenheap_page),
        T(test_free_non_heap_pointer),
        T(test_free_never_allocated_frame),
        T(test_free_list_corruption_detected),
        T(test_overwritten_free_object_detected),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

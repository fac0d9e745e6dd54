/* SPDX-License-Identifier: GPL-2.0 */
/*
 * p2m tests.  Table pages come from a counting allocator over the test's
 * fake machine memory, so leaks show as a non-zero count after teardown;
 * lookups are checked against a model of what was mapped.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <asm/page.h>
#include <asm/p2m.h>
#include <xen/errno.h>

#define ARENA (64u << 20)

static unsigned long live_pages, fail_after = ~0UL;
static uint8_t page_used[ARENA / 4096];

static void *p2m_test_alloc(struct p2m *p2m, paddr_t *pa)
{
    unsigned long i;

    if ( !fail_after )
        return NULL;
    fail_after--;
    for ( i = 1; i < ARENA / 4096; i++ )
        if ( !page_used[i] )
        {
            page_used[i] = 1;
            live_pages++;
            *pa = (paddr_t)i << 12;
            memset(maddr_to_virt(*pa), 0, 4096);
            return maddr_to_virt(*pa);
        }
    return NULL;
}

static void p2m_test_free(struct p2m *p2m, void *va)
{
    unsigned long i = virt_to_maddr(va) >> 12;

    assert_true(page_used[i]);
    page_used[i] = 0;
    live_pages--;
}

static const struct p2m_table_allocator alloc = { p2m_test_alloc, p2m_test_free };
static struct p2m p2m;

static int setup(void **state)
{
    host_test_ram_init(ARENA);
    memset(page_used, 0, sizeof(page_used));
    live_pages = 0;
    fail_after = ~0UL;
    assert_int_equal(p2m_init(&p2m, &alloc), 0);
    return 0;
}

static int teardown(void **state)
{
    p2m_teardown(&p2m);
    assert_int_equal(live_pages, 0);           /* no table page leaked */
    host_test_ram_fini();
    return 0;
}

static void test_4k(void **state)
{
    unsigned int order;
    enum p2m_access a;

    assert_int_equal(p2m_set_entry(&p2m, 0x1234, 0x5678, 0, P2M_RWX), 0);
    assert_int_equal(p2m_get_entry(&p2m, 0x1234, &order, &a), 0x5678);
    assert_int_equal(order, 0);
    assert_int_equal(a, P2M_RWX);
    assert_int_equal(p2m_get_entry(&p2m, 0x1235, NULL, NULL), P2M_INVALID_MFN);
    assert_int_equal(p2m.table_pages, 4);      /* root + 3 levels */
    assert_int_equal(p2m_set_entry(&p2m, 0x1234, 0x9999, 0, P2M_RX), 0);
    assert_int_equal(p2m_get_entry(&p2m, 0x1234, NULL, &a), 0x9999);
    assert_int_equal(a, P2M_RX);
    assert_true(p2m.need_flush);
    assert_int_equal(p2m_set_entry(&p2m, 0x1234, P2M_INVALID_MFN, 0, P2M_RWX), 0);
    assert_int_equal(p2m_get_entry(&p2m, 0x1234, NULL, NULL), P2M_INVALID_MFN);
}

static void test_superpages(void **state)
{
    unsigned int order;

    assert_int_equal(p2m_set_entry(&p2m, 0x200, 0x400, 9, P2M_RWX), 0);
    assert_int_equal(p2m_get_entry(&p2m, 0x3ff, &order, NULL), 0x5ff);
    assert_int_equal(order, 9);
    assert_int_equal(p2m_set_entry(&p2m, 1UL << 18, 1UL << 19, 18, P2M_RWX), 0);
    assert_int_equal(p2m_get_entry(&p2m, (1UL << 18) + 12345, &order, NULL),
                     (1UL << 19) + 12345);
    assert_int_equal(order, 18);
}

static void test_split_2m(void **state)
{
    unsigned long g;

    assert_int_equal(p2m_set_entry(&p2m, 0x200, 0x400, 9, P2M_RWX), 0);
    p2m.need_flush = false;
    /* Remap one 4K frame inside: the 2M mapping splits, the rest stays. */
    assert_int_equal(p2m_set_entry(&p2m, 0x210, 0x7777, 0, P2M_RX), 0);
    assert_true(p2m.need_flush);
    for ( g = 0x200; g < 0x400; g++ )
        assert_int_equal(p2m_get_entry(&p2m, g, NULL, NULL),
                         g == 0x210 ? 0x7777 : 0x400 + (g - 0x200));
    /* Unmap a frame inside another 2M page. */
    assert_int_equal(p2m_set_entry(&p2m, 0x400, 0x800, 9, P2M_RWX), 0);
    assert_int_equal(p2m_set_entry(&p2m, 0x401, P2M_INVALID_MFN, 0, P2M_RWX), 0);
    assert_int_equal(p2m_get_entry(&p2m, 0x401, NULL, NULL), P2M_INVALID_MFN);
    assert_int_equal(p2m_get_entry(&p2m, 0x402, NULL, NULL), 0x802);
}

static void test_split_1g_twice(void **state)
{
    unsigned int order;

    assert_int_equal(p2m_set_entry(&p2m, 0, 1UL << 18, 18, P2M_RWX), 0);
    assert_int_equal(p2m_set_entry(&p2m, 0x12345, 0x42, 0, P2M_RWX), 0);
    assert_int_equal(p2m_get_entry(&p2m, 0x12345, &order, NULL), 0x42);
    assert_int_equal(order, 0);
    /* Its 2M neighbours are still 2M mappings of the same frames. */
    assert_int_equal(p2m_get_entry(&p2m, 0x12345 + 512, &order, NULL),
                     (1UL << 18) + 0x12345 + 512);
    assert_int_equal(order, 9);
    assert_int_equal(p2m_get_entry(&p2m, 0x3ffff, NULL, NULL), (1UL << 18) + 0x3ffff);
}

static void test_superpage_replaces_tables(void **state)
{
    unsigned long before;

    assert_int_equal(p2m_set_entry(&p2m, 0x600, 0x1, 0, P2M_RWX), 0);
    before = p2m.table_pages;
    assert_int_equal(p2m_set_entry(&p2m, 0x600, 0x1000, 9, P2M_RWX), 0);
    assert_int_equal(p2m.table_pages, before - 1);   /* the 4K table went */
    assert_int_equal(p2m_get_entry(&p2m, 0x601, NULL, NULL), 0x1001);
}

static void test_bad_arguments(void **state)
{
    assert_int_equal(p2m_set_entry(&p2m, 0x201, 0x400, 9, P2M_RWX), -EINVAL);
    assert_int_equal(p2m_set_entry(&p2m, 0x200, 0x401, 9, P2M_RWX), -EINVAL);
    assert_int_equal(p2m_set_entry(&p2m, 0x200, 0x400, 5, P2M_RWX), -EINVAL);
    assert_int_equal(p2m_set_entry(&p2m, P2M_MAX_GFN + 1, 1, 0, P2M_RWX), -EINVAL);
    assert_int_equal(p2m_set_entry(&p2m, P2M_MAX_GFN & ~511UL, 0, 9, P2M_RWX), 0);
    assert_int_equal(p2m_set_entry(&p2m, 0, 1UL << 40, 0, P2M_RWX), -EINVAL);
    assert_int_equal(p2m_set_entry(&p2m, ~0UL, 1, 0, P2M_RWX), -EINVAL);
    assert_int_equal(p2m_get_entry(&p2m, ~0UL, NULL, NULL), P2M_INVALID_MFN);
}

static void test_out_of_memory(void **state)
{
    fail_after = 1;                           /* one table, then nothing */
    assert_int_equal(p2m_set_entry(&p2m, 0x5000, 1, 0, P2M_RWX), -ENOMEM);
    assert_int_equal(p2m_get_entry(&p2m, 0x5000, NULL, NULL), P2M_INVALID_MFN);
    fail_after = ~0UL;
    assert_int_equal(p2m_set_entry(&p2m, 0x5000, 1, 0, P2M_RWX), 0);
}

static void test_random_against_model(void **state)
{
    static unsigned long model[4096];
    unsigned int i;

    /* 4096 GFNs across 8 superpage-sized regions, random sizes and holes. */
    srand(99);
    for ( i = 0; i < 4096; i++ )
        model[i] = P2M_INVALID_MFN;
    for ( i = 0; i < 3000; i++ )
    {
        unsigned int order = rand() % 3 == 0 ? 9 : 0;
        unsigned long gfn = (rand() % 4096) & ~((1UL << order) - 1);
        unsigned long mfn = rand() % 4 == 0 ? P2M_INVALID_MFN
                            : ((unsigned long)(rand() % 1000) << order);
        unsigned long j;

        assert_int_equal(p2m_set_entry(&p2m, gfn, mfn, order, P2M_RWX), 0);
        for ( j = 0; j < (1UL << order); j++ )
            model[gfn + j] = mfn == P2M_INVALID_MFN ? mfn : mfn + j;
    }
    for ( i = 0; i < 4096; i++ )
        assert_int_equal(p2m_get_entry(&p2m, i, NULL, NULL), model[i]);
}

/* The same behaviour over EPT entries: only the bit spelling differs. */
static int setup_ept(void **state)
{
    p2m_set_hw_format(&p2m_ept_format);
    return setup(state);
}

static int teardown_ept(void **state)
{
    p2m_set_hw_format(&p2m_npt_format);
    return teardown(state);
}

/* The entry at `level` (4 = root) on the way to gfn. */
static uint64_t raw_entry(unsigned long gfn, unsigned int level)
{
    const uint64_t *t = p2m.root;
    unsigned int l;

    for ( l = 4; l > level; l-- )
        t = maddr_to_virt(t[(gfn >> (9 * (l - 1))) & 511] & 0x000ffffffffff000UL);
    return t[(gfn >> (9 * (level - 1))) & 511];
}

static void test_ept_entry_bits(void **state)
{
    assert_ptr_equal(p2m.fmt, &p2m_ept_format);
    assert_int_equal(p2m_set_entry(&p2m, 0x1234, 0x42, 0, P2M_RWX), 0);
    assert_int_equal(raw_entry(0x1234, 4) & 0xfff, 0x7);      /* table: RWX */
    assert_int_equal(raw_entry(0x1234, 2) & 0xfff, 0x7);
    /* Leaf: RWX, memory type WB (6) in bits 3-5. */
    assert_int_equal(raw_entry(0x1234, 1), (0x42UL << 12) | 0x37);
    assert_int_equal(p2m_set_entry(&p2m, 0x1234, 0x42, 0, P2M_RX), 0);
    assert_int_equal(raw_entry(0x1234, 1), (0x42UL << 12) | 0x35);
    /* A 2 MiB leaf sets bit 7. */
    assert_int_equal(p2m_set_entry(&p2m, 0x200, 0x400, P2M_ORDER_2M, P2M_RWX), 0);
    assert_int_equal(raw_entry(0x200, 2), (0x400UL << 12) | 0xb7);
    /* Unmapped: all of R/W/X clear, so the walk finds nothing. */
    assert_int_equal(p2m_set_entry(&p2m, 0x1234, P2M_INVALID_MFN, 0, P2M_RWX), 0);
    assert_int_equal(raw_entry(0x1234, 1), 0);
    assert_int_equal(p2m_get_entry(&p2m, 0x1234, NULL, NULL), P2M_INVALID_MFN);
    /* EPTP: the root, write-back, a 4-level walk (3 in bits 3-5). */
    assert_int_equal(p2m_ept_pointer(&p2m), p2m.root_pa | 0x1e);
}

static void test_npt_entry_bits(void **state)
{
    assert_ptr_equal(p2m.fmt, &p2m_npt_format);
    assert_int_equal(p2m_set_entry(&p2m, 0x1234, 0x42, 0, P2M_RWX), 0);
    assert_int_equal(raw_entry(0x1234, 4) & 0xfff, 0x7);      /* P, RW, US */
    assert_int_equal(raw_entry(0x1234, 1), (0x42UL << 12) | 0x7);
    assert_int_equal(p2m_set_entry(&p2m, 0x1234, 0x42, 0, P2M_RX), 0);
    assert_int_equal(raw_entry(0x1234, 1), (0x42UL << 12) | 0x5);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define T_EPT(fn) cmocka_unit_test_setup_teardown(fn, setup_ept, teardown_ept)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_4k),
        T(test_superpages),
        T(test_split_2m),
        T(test_split_1g_twice),
        T(test_superpage_replaces_tables),
        T(test_bad_arguments),
        T(test_out_of_memory),
        T(test_random_against_model),
        T(test_npt_entry_bits),
        T_EPT(test_ept_entry_bits),
        T_EPT(test_4k),
        T_EPT(test_superpages),
        T_EPT(test_split_2m),
        T_EPT(test_split_1g_twice),
        T_EPT(test_superpage_replaces_tables),
        T_EPT(test_bad_arguments),
        T_EPT(test_out_of_memory),
        T_EPT(test_random_against_model),
    };

    return cmocka_run_group_tests_name("p2m", tests, NULL, NULL);
}

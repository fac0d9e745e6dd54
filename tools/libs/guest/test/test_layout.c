/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PVH guest layout: where RAM, kernel, ramdisk, start info and the
 * special pages go, and what the start-info area says about them.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "guest_priv.h"

static char err[256];

static struct pvh_layout_in kernel_at_16m(uint64_t mem_kib)
{
    return (struct pvh_layout_in){ .mem_kib = mem_kib, .kernel_lo = 0x1000000,
                                   .kernel_hi = 0x3456789 };
}

static void test_small_domain(void **state)
{
    struct pvh_layout_in in = kernel_at_16m(512 * 1024);
    struct pvh_layout l;

    in.ramdisk_len = 10 * 1024 * 1024 + 5;
    in.has_cmdline = true;
    in.cmdline_len = 30;
    assert_int_equal(pvh_compute_layout(&in, &l, err, sizeof(err)), 0);
    assert_int_equal(l.ram_pages, 131072);
    assert_int_equal(l.lowmem_end, 512ull << 20);
    assert_int_equal(l.highmem_end, 0);
    /* Ramdisk at the page after the kernel, start info at the page after the ramdisk. */
    assert_int_equal(l.ramdisk_paddr, 0x3457000);
    assert_int_equal(l.ramdisk_len, 10 * 1024 * 1024 + 5);
    assert_int_equal(l.nr_modules, 1);
    assert_int_equal(l.info_paddr, 0x3457000 + 0xa01000);
    assert_int_equal(l.info_pages, 1);
    assert_int_equal(l.modlist_paddr, l.info_paddr + 64);
    assert_int_equal(l.memmap_paddr, l.info_paddr + 128);
    assert_int_equal(l.cmdline_paddr, l.info_paddr + 512);
    /* Xen's libxc special pages: 0xfeff8..0xfefff, xenstore 4th, console 7th. */
    assert_int_equal(l.special_pfn, 0xfeff8);
    assert_int_equal(l.store_pfn, 0xfeffc);
    assert_int_equal(l.console_pfn, 0xfefff);

    assert_int_equal(l.memmap_entries, 2);
    assert_int_equal(l.memmap[0].addr, 0);
    assert_int_equal(l.memmap[0].size, 512ull << 20);
    assert_int_equal(l.memmap[0].type, XEN_HVM_MEMMAP_TYPE_RAM);
    assert_int_equal(l.memmap[1].addr, 0xfeff8000);
    assert_int_equal(l.memmap[1].size, 0x8000);
    assert_int_equal(l.memmap[1].type, XEN_HVM_MEMMAP_TYPE_RESERVED);
}

static void test_no_ramdisk_no_cmdline(void **state)
{
    struct pvh_layout_in in = kernel_at_16m(256 * 1024);
    struct pvh_layout l;

    assert_int_equal(pvh_compute_layout(&in, &l, err, sizeof(err)), 0);
    assert_int_equal(l.nr_modules, 0);
    assert_int_equal(l.ramdisk_paddr, 0);
    assert_int_equal(l.modlist_paddr, 0);
    assert_int_equal(l.cmdline_paddr, 0);
    assert_int_equal(l.info_paddr, 0x3457000);
}

static void test_memory_above_4g(void **state)
{
    struct pvh_layout_in in = kernel_at_16m(6ull * 1024 * 1024);    /* 6 GiB */
    struct pvh_layout l;

    assert_int_equal(pvh_compute_layout(&in, &l, err, sizeof(err)), 0);
    assert_int_equal(l.lowmem_end, 0xf0000000);
    assert_int_equal(l.highmem_end, 0x100000000ull + (6ull << 30) - 0xf0000000);
    assert_int_equal(l.memmap_entries, 3);
    assert_int_equal(l.memmap[2].addr, 0x100000000ull);
    assert_int_equal(l.memmap[2].size, (6ull << 30) - 0xf0000000);
    assert_int_equal(l.memmap[2].type, XEN_HVM_MEMMAP_TYPE_RAM);
    /* Sorted and disjoint, as an e820 map must be. */
    for ( unsigned int i = 1; i < l.memmap_entries; i++ )
        assert_true(l.memmap[i - 1].addr + l.memmap[i - 1].size <= l.memmap[i].addr);
}

static void test_long_cmdline_takes_more_pages(void **state)
{
    struct pvh_layout_in in = kernel_at_16m(256 * 1024);
    struct pvh_layout l;

    in.has_cmdline = true;
    in.cmdline_len = 4096 - 512;            /* + NUL: one byte into a second page */
    assert_int_equal(pvh_compute_layout(&in, &l, err, sizeof(err)), 0);
    assert_int_equal(l.info_pages, 2);
    in.cmdline_len = 4096 - 513;
    assert_int_equal(pvh_compute_layout(&in, &l, err, sizeof(err)), 0);
    assert_int_equal(l.info_pages, 1);
    in.cmdline_len = PVH_MAX_CMDLINE + 1;
    assert_int_equal(pvh_compute_layout(&in, &l, err, sizeof(err)), -E2BIG);
}

static void test_does_not_fit(void **state)
{
    struct pvh_layout_in in = kernel_at_16m(32 * 1024);     /* 32 MiB: kernel ends at 52 MiB */
    struct pvh_layout l;

    assert_int_equal(pvh_compute_layout(&in, &l, err, sizeof(err)), -ENOMEM);
    assert_non_null(strstr(err, "only 32 MiB"));

    in = kernel_at_16m(128 * 1024);
    in.ramdisk_len = 100ull << 20;          /* 52 + 100 MiB > 128 MiB */
    assert_int_equal(pvh_compute_layout(&in, &l, err, sizeof(err)), -ENOMEM);
    in.ramdisk_len = 5ull << 30;
    assert_int_equal(pvh_compute_layout(&in, &l, err, sizeof(err)), -EFBIG);
}

static void test_bad_inputs(void **state)
{
    struct pvh_layout_in in = kernel_at_16m(0);
    struct pvh_layout l;

    assert_int_equal(pvh_compute_layout(&in, &l, err, sizeof(err)), -EINVAL);
    in = kernel_at_16m(1ull << 40);
    assert_int_equal(pvh_compute_layout(&in, &l, err, sizeof(err)), -EINVAL);
    in = kernel_at_16m(256 * 1024);
    in.kernel_hi = in.kernel_lo;
    assert_int_equal(pvh_compute_layout(&in, &l, err, sizeof(err)), -EINVAL);
    in = kernel_at_16m(256 * 1024);
    in.kernel_hi = 0x1f0000000ull;
    assert_int_equal(pvh_compute_layout(&in, &l, err, sizeof(err)), -EINVAL);
}

static void test_start_info_contents(void **state)
{
    static const char cmdline[] = "console=hvc0 root=/dev/xvda1";
    struct pvh_layout_in in = kernel_at_16m(512 * 1024);
    struct pvh_layout l;
    uint8_t page[4096];
    struct hvm_start_info si;
    struct hvm_modlist_entry mod;
    struct hvm_memmap_table_entry mm[2];

    in.ramdisk_len = 12345;
    in.has_cmdline = true;
    in.cmdline_len = strlen(cmdline);
    assert_int_equal(pvh_compute_layout(&in, &l, err, sizeof(err)), 0);
    memset(page, 0xee, sizeof(page));
    assert_int_equal(pvh_write_start_info(&l, cmdline, page, sizeof(page)), 0);

    memcpy(&si, page, sizeof(si));
    assert_int_equal(si.magic, 0x336ec578);
    assert_int_equal(si.version, 1);
    assert_int_equal(si.flags, 0);
    assert_int_equal(si.nr_modules, 1);
    assert_int_equal(si.modlist_paddr, l.info_paddr + 64);
    assert_int_equal(si.cmdline_paddr, l.info_paddr + 512);
    assert_int_equal(si.rsdp_paddr, 0);
    assert_int_equal(si.memmap_paddr, l.info_paddr + 128);
    assert_int_equal(si.memmap_entries, 2);

    memcpy(&mod, page + 64, sizeof(mod));
    assert_int_equal(mod.paddr, l.ramdisk_paddr);
    assert_int_equal(mod.size, 12345);
    assert_int_equal(mod.cmdline_paddr, 0);

    memcpy(mm, page + 128, sizeof(mm));
    assert_int_equal(mm[0].type, XEN_HVM_MEMMAP_TYPE_RAM);
    assert_int_equal(mm[1].addr, 0xfeff8000);
    assert_int_equal(mm[1].type, XEN_HVM_MEMMAP_TYPE_RESERVED);

    assert_string_equal((char *)page + 512, cmdline);
    assert_int_equal(page[4095], 0);        /* the rest is cleared, not left over */

    assert_int_equal(pvh_write_start_info(&l, cmdline, page, 100), -EINVAL);
    /* A command line longer than the layout planned for is refused, not overrun. */
    static char longer[5000];
    memset(longer, 'x', sizeof(longer) - 1);
    assert_int_equal(pvh_write_start_info(&l, longer, page, sizeof(page)), -EINVAL);
}

static uint8_t sum_bytes(const uint8_t *p, size_t n)
{
    uint8_t s = 0;

    while ( n-- )
        s += *p++;
    return s;
}

/* The floating pointer and the table each sum to zero; CPUs named in order. */
static void test_mptable(void **state)
{
    uint8_t buf[4096];
    uint32_t cfg_pa;
    uint16_t cfg_len;

    (void)state;
    assert_int_equal(pvh_write_mptable(buf, sizeof(buf), PVH_MPTABLE_PADDR, 3), 0);
    assert_memory_equal(buf, "_MP_", 4);
    assert_int_equal(sum_bytes(buf, 16), 0);
    memcpy(&cfg_pa, buf + 4, 4);
    assert_int_equal(cfg_pa, PVH_MPTABLE_PADDR + 16);
    assert_memory_equal(buf + 16, "PCMP", 4);
    memcpy(&cfg_len, buf + 20, 2);
    assert_int_equal(cfg_len, 44 + 3 * 20);
    assert_int_equal(sum_bytes(buf + 16, cfg_len), 0);
    assert_int_equal(buf[16 + 44 + 0 * 20 + 1], 0);         /* APIC ids 0, 2, 4 */
    assert_int_equal(buf[16 + 44 + 2 * 20 + 1], 4);
    assert_int_equal(buf[16 + 44 + 0 * 20 + 3], 3);         /* enabled BSP */
    assert_int_equal(buf[16 + 44 + 1 * 20 + 3], 1);
    assert_int_equal(pvh_mptable_size(3), 16 + 44 + 60);
}

static void test_mptable_bad(void **state)
{
    uint8_t buf[64];

    (void)state;
    assert_int_equal(pvh_write_mptable(buf, sizeof(buf), PVH_MPTABLE_PADDR, 0), -EINVAL);
    assert_int_equal(pvh_write_mptable(buf, sizeof(buf), PVH_MPTABLE_PADDR, 1), -EINVAL);
    assert_int_equal(pvh_write_mptable(buf, sizeof(buf), PVH_MPTABLE_PADDR, 129), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_domain),
        cmocka_unit_test(test_no_ramdisk_no_cmdline),
        cmocka_unit_test(test_memory_above_4g),
        cmocka_unit_test(test_long_cmdline_takes_more_pages),
        cmocka_unit_test(test_does_not_fit),
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_start_info_contents),
        cmocka_unit_test(test_mptable),
        cmocka_unit_test(test_mptable_bad),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

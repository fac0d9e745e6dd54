/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypercall dispatch tests with a fake guest memory of 256 bytes at guest
 * address 0x1000: holes and out-of-range numbers give -ENOSYS, bad guest
 * addresses -EFAULT, privileged-only sub-ops -EPERM, and xen_version's
 * answers are Xen 4.17's.
 */
#include <string.h>

#include "harness.h"
#include <public/version.h>
#include <public/xen.h>
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <xen/param.h>

#define GBASE 0x1000
#define GSIZE 2048

static uint8_t guest[GSIZE];

static bool in_guest(uint64_t gaddr, size_t len)
{
    return gaddr >= GBASE && len <= GSIZE && gaddr - GBASE <= GSIZE - len;
}

static int fake_copy_to(struct guest_mem *gm, uint64_t gaddr, const void *src,
                        size_t len)
{
    if ( !in_guest(gaddr, len) )
        return -EFAULT;
    memcpy(guest + (gaddr - GBASE), src, len);
    return 0;
}

static int fake_copy_from(struct guest_mem *gm, void *dst, uint64_t gaddr,
                          size_t len)
{
    if ( !in_guest(gaddr, len) )
        return -EFAULT;
    memcpy(dst, guest + (gaddr - GBASE), len);
    return 0;
}

static struct guest_mem mem = { fake_copy_to, fake_copy_from };

static long call(bool privileged, uint64_t nr, uint64_t a0, uint64_t a1)
{
    struct hypercall_ctx ctx = { .privileged = privileged, .mem = &mem };
    uint64_t args[HYPERCALL_MAX_ARGS] = { a0, a1, 0, 0, 0 };

    return hypercall_dispatch(&ctx, nr, args);
}

static void test_unknown_numbers(void **state)
{
    assert_int_equal(call(true, __HYPERVISOR_set_trap_table, 0, 0), -ENOSYS);
    assert_int_equal(call(true, 11, 0, 0), -ENOSYS);            /* a hole */
    assert_int_equal(call(true, NR_HYPERCALLS, 0, 0), -ENOSYS);
    assert_int_equal(call(true, ~0ULL, 0, 0), -ENOSYS);
    assert_int_equal(call(false, 1ULL << 32 | __HYPERVISOR_xen_version, 0, 0),
                     -ENOSYS);                                  /* no truncation */
}

static void test_version(void **state)
{
    assert_int_equal(call(false, __HYPERVISOR_xen_version, XENVER_version, 0),
                     (4 << 16) | 17);
    assert_int_equal(call(false, __HYPERVISOR_xen_version, XENVER_pagesize, 0), 4096);
    assert_int_equal(call(false, __HYPERVISOR_xen_version, 12345, 0), -ENOSYS);
}

static void test_strings_copied_out(void **state)
{
    memset(guest, 0xaa, sizeof(guest));
    assert_int_equal(call(false, __HYPERVISOR_xen_version, XENVER_extraversion,
                          GBASE + 16), 0);
    assert_string_equal((char *)guest + 16, ".0-tonnerre");
    /* Exactly the buffer's 16 bytes are written, no more. */
    assert_int_equal(guest[15], 0xaa);
    assert_int_equal(guest[16 + 16], 0xaa);
    assert_int_equal(call(false, __HYPERVISOR_xen_version, XENVER_capabilities,
                          GBASE), 0);
    assert_non_null(strstr((char *)guest, "hvm-3.0-x86_64"));
}

static void test_bad_guest_address(void **state)
{
    assert_int_equal(call(false, __HYPERVISOR_xen_version, XENVER_extraversion, 0),
                     -EFAULT);
    assert_int_equal(call(false, __HYPERVISOR_xen_version, XENVER_extraversion,
                          GBASE + GSIZE - 8), -EFAULT);
    assert_int_equal(call(false, __HYPERVISOR_xen_version, XENVER_extraversion,
                          ~0ULL - 4), -EFAULT);
}

static void test_commandline_privileged(void **state)
{
    cmdline_parse("loglvl=all frob");
    assert_int_equal(call(false, __HYPERVISOR_xen_version, XENVER_commandline,
                          GBASE), -EPERM);
    assert_int_equal(call(true, __HYPERVISOR_xen_version, XENVER_commandline,
                          GBASE), 0);
    assert_string_equal((char *)guest, "loglvl=all frob");
    assert_int_equal(call(true, __HYPERVISOR_xen_version, XENVER_commandline,
                          GBASE + GSIZE - 100), -EFAULT);   /* 1024 bytes do not fit */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_numbers),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_strings_copied_out),
        cmocka_unit_test(test_bad_guest_address),
        cmocka_unit_test(test_commandline_privileged),
    };

    return cmocka_run_group_tests_name("hypercall", tests, NULL, NULL);
}

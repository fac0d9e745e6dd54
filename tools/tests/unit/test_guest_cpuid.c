/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest CPUID policy tests against a fake host: Xen's leaves as Linux
 * looks for them, the hypervisor bit, virtualisation features hidden, the
 * hypercall page's stubs.
 */
#include <string.h>

#include "harness.h"
#include <asm/hvm/guest_cpuid.h>
#include <public/arch-x86-cpuid.h>

static void fake_host(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r)
{
    r->a = leaf;
    r->b = subleaf;
    r->c = 0xffffffff;        /* every feature, VMX and SVM included */
    r->d = 0x12345678;
}

static const struct guest_cpuid_ctx ctx = {
    .domid = 7, .vcpu_id = 3, .tsc_khz = 2600000, .apic_id = 6,
    .xcr0_mask = 0x3, .host_cpuid = fake_host,
};

static void test_xen_signature(void **state)
{
    struct cpuid_regs r;
    char sig[13];

    guest_cpuid(&ctx, 0x40000000, 0, &r);
    memcpy(sig, &r.b, 4);
    memcpy(sig + 4, &r.c, 4);
    memcpy(sig + 8, &r.d, 4);
    sig[12] = '\0';
    assert_string_equal(sig, "XenVMMXenVMM");
    assert_int_equal(r.a, 0x40000005);
    guest_cpuid(&ctx, 0x40000001, 0, &r);
    assert_int_equal(r.a, (4 << 16) | 17);
    guest_cpuid(&ctx, 0x40000002, 0, &r);
    assert_int_equal(r.a, 1);
    assert_int_equal(r.b, XEN_HYPERCALL_PAGE_MSR);
    guest_cpuid(&ctx, 0x40000003, 0, &r);
    assert_int_equal(r.c, 2600000);
    guest_cpuid(&ctx, 0x40000004, 0, &r);
    assert_true(r.a & XEN_HVM_CPUID_VCPU_ID_PRESENT);
    assert_int_equal(r.b, 3);
    assert_int_equal(r.c, 7);
    /* Other hypervisor ranges (e.g. Viridian's at 0x40000100) are empty. */
    guest_cpuid(&ctx, 0x40000100, 0, &r);
    assert_int_equal(r.a | r.b | r.c | r.d, 0);
    guest_cpuid(&ctx, 0x40000006, 0, &r);
    assert_int_equal(r.a | r.b | r.c | r.d, 0);
}

static void test_host_leaves_filtered(void **state)
{
    struct cpuid_regs r;

    guest_cpuid(&ctx, 1, 0, &r);
    assert_true(r.c & (1u << 31));             /* hypervisor present */
    assert_false(r.c & (1u << 5));             /* no VMX */
    assert_false(r.c & (1u << 3));             /* no MONITOR: it is intercepted */
    assert_true(r.c & (1u << 21));             /* x2APIC: the vLAPIC has it */
    assert_true(r.c & (1u << 24));             /* and the TSC-deadline timer */
    assert_int_equal(r.b >> 24, 6);            /* the vCPU's APIC id */
    /* Machine check, MTRR: their MSRs are not emulated, so hidden. */
    assert_int_equal(r.d, 0x12345678u & ~((1u << 7) | (1u << 12) | (1u << 14) | (1u << 22)));
    guest_cpuid(&ctx, 0xb, 0, &r);
    assert_int_equal(r.d, 6);                  /* x2APIC id */
    guest_cpuid(&ctx, 0xd, 0, &r);
    assert_int_equal(r.a, 0xd & 0x3);         /* only switched XSAVE state */
    assert_int_equal(r.d, 0);
    guest_cpuid(&ctx, 0xd, 2, &r);
    assert_int_equal(r.a | r.b | r.c | r.d, 0);
    guest_cpuid(&ctx, 0x80000001, 0, &r);
    assert_false(r.c & (1u << 2));             /* no SVM */
    guest_cpuid(&ctx, 0x8000000a, 0, &r);
    assert_int_equal(r.a | r.b | r.c | r.d, 0);
    guest_cpuid(&ctx, 7, 1, &r);
    assert_int_equal(r.b, 1);                  /* sub-leaf reaches the host */
}

static void test_hypercall_page(void **state)
{
    uint8_t page[4096];
    static const uint8_t amd17[] = { 0xb8, 17, 0, 0, 0, 0x0f, 0x01, 0xd9, 0xc3 };
    static const uint8_t intel0[] = { 0xb8, 0, 0, 0, 0, 0x0f, 0x01, 0xc1, 0xc3 };

    hypercall_page_fill(page, true);
    assert_memory_equal(page + 17 * HYPERCALL_STUB_SIZE, amd17, sizeof(amd17));
    assert_int_equal(page[17 * HYPERCALL_STUB_SIZE + 9], 0xcc);
    assert_int_equal(page[127 * HYPERCALL_STUB_SIZE + 1], 127);
    hypercall_page_fill(page, false);
    assert_memory_equal(page, intel0, sizeof(intel0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xen_signature),
        cmocka_unit_test(test_host_leaves_filtered),
        cmocka_unit_test(test_hypercall_page),
    };

    return cmocka_run_group_tests_name("guest_cpuid", tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest CPUID policy tests against a fake host: Xen's leaves as Linux
 * looks for them, the hypervisor bit, virtualisation features hidden, the
 * hypercall page's stubs, the XSAVE policy (leaf 0xd, the features that
 * need XSAVE state, OSXSAVE/OSPKE from the guest's CR4, XCR0 values).
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

/*
 * A host like a recent Intel CPU: x87, SSE, AVX, MPX (3-4), AVX-512
 * (5-7), PKRU (9) and AMX (17-18) in XCR0; CET (11-12) in XSS; every
 * XSAVE variant.  Sub-leaf 0 EBX is the size for "the XCR0 in force",
 * here x87|SSE|AVX.
 */
static void xsave_host(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r)
{
    static const struct { uint32_t size, offset; } comp[] = {
        [2] = { 256, 576 }, [3] = { 64, 960 }, [4] = { 64, 1024 },
        [5] = { 64, 1088 }, [6] = { 512, 1152 }, [7] = { 1024, 1664 },
        [9] = { 8, 2688 }, [17] = { 64, 2752 }, [18] = { 8192, 2816 },
    };

    memset(r, 0, sizeof(*r));
    switch ( leaf )
    {
    case 1:
        r->c = 0xffffffff;
        break;
    case 7:
        r->b = 0xffffffff;
        r->c = 0xffffffff;
        break;
    case 0xd:
        if ( subleaf == 0 )
        {
            r->a = 0x602ff;
            r->b = 832;
            r->c = 11008;
        }
        else if ( subleaf == 1 )
        {
            r->a = 0x1f;                 /* XSAVEOPT, XSAVEC, XGETBV1, XSAVES, XFD */
            r->b = 1000;
            r->c = 0x1800;
        }
        else if ( subleaf < sizeof(comp) / sizeof(comp[0]) && comp[subleaf].size )
        {
            r->a = comp[subleaf].size;
            r->b = comp[subleaf].offset;
        }
        else if ( subleaf == 11 || subleaf == 12 )
        {
            r->a = 16;
            r->c = 1;                    /* supervisor (XSS) component */
        }
        break;
    }
}

static struct guest_cpuid_ctx xsave_ctx(uint64_t mask, uint64_t cr4)
{
    struct guest_cpuid_ctx c = {
        .domid = 1, .vcpu_id = 0, .tsc_khz = 1000000, .apic_id = 0,
        .xcr0_mask = mask, .guest_cr4 = cr4, .host_cpuid = xsave_host,
    };

    return c;
}

#define CR4_OSXSAVE (1ULL << 18)
#define CR4_PKE     (1ULL << 22)

static void test_xsave_leaf_avx_pkru(void **state)
{
    struct guest_cpuid_ctx c = xsave_ctx(0x207, CR4_OSXSAVE);
    struct cpuid_regs r;

    guest_cpuid(&c, 0xd, 0, &r);
    assert_int_equal(r.a, 0x207);              /* no MPX, AVX-512 or AMX */
    assert_int_equal(r.d, 0);
    assert_int_equal(r.b, 832);                /* the XCR0 in force: the CPU's */
    assert_int_equal(r.c, 2696);               /* PKRU ends the offered area */
    guest_cpuid(&c, 0xd, 1, &r);
    assert_int_equal(r.a, 0x7);                /* XSAVEOPT, XSAVEC, XGETBV1 */
    assert_int_equal(r.c | r.d, 0);            /* no XSS components */
    guest_cpuid(&c, 0xd, 2, &r);
    assert_int_equal(r.a, 256);
    assert_int_equal(r.b, 576);
    guest_cpuid(&c, 0xd, 9, &r);
    assert_int_equal(r.a, 8);
    assert_int_equal(r.b, 2688);
    /* Components not offered, user or supervisor, have no sub-leaf. */
    guest_cpuid(&c, 0xd, 3, &r);
    assert_int_equal(r.a | r.b | r.c | r.d, 0);
    guest_cpuid(&c, 0xd, 5, &r);
    assert_int_equal(r.a | r.b | r.c | r.d, 0);
    guest_cpuid(&c, 0xd, 11, &r);
    assert_int_equal(r.a | r.b | r.c | r.d, 0);
    guest_cpuid(&c, 0xd, 18, &r);
    assert_int_equal(r.a | r.b | r.c | r.d, 0);
    guest_cpuid(&c, 0xd, 63, &r);
    assert_int_equal(r.a | r.b | r.c | r.d, 0);
}

static void test_xsave_leaf_sizes(void **state)
{
    struct guest_cpuid_ctx c = xsave_ctx(0x7, CR4_OSXSAVE);
    struct cpuid_regs r;

    guest_cpuid(&c, 0xd, 0, &r);
    assert_int_equal(r.a, 0x7);
    assert_int_equal(r.c, 832);                /* legacy + header + AVX */
    c = xsave_ctx(0x3, CR4_OSXSAVE);
    guest_cpuid(&c, 0xd, 0, &r);
    assert_int_equal(r.c, 576);                /* legacy + header only */
    c = xsave_ctx(0xe7, CR4_OSXSAVE);
    guest_cpuid(&c, 0xd, 0, &r);
    assert_int_equal(r.c, 2688);               /* Hi16_ZMM ends at 1664 + 1024 */
}

static void test_no_xsave_hides_dependants(void **state)
{
    struct guest_cpuid_ctx c = xsave_ctx(0, CR4_OSXSAVE | CR4_PKE);
    struct cpuid_regs r;

    guest_cpuid(&c, 1, 0, &r);
    assert_false(r.c & (1u << 26));            /* XSAVE */
    assert_false(r.c & (1u << 27));            /* OSXSAVE */
    assert_false(r.c & (1u << 28));            /* AVX */
    assert_false(r.c & (1u << 12));            /* FMA */
    assert_false(r.c & (1u << 29));            /* F16C */
    assert_true(r.c & (1u << 25));             /* AES: not XSAVE's business */
    guest_cpuid(&c, 7, 0, &r);
    assert_false(r.b & (1u << 5));             /* AVX2 */
    assert_false(r.b & (1u << 16));            /* AVX512F */
    assert_false(r.c & (1u << 3));             /* PKU */
    assert_false(r.c & (1u << 4));             /* OSPKE */
    assert_true(r.b & (1u << 0));              /* FSGSBASE stays */
    guest_cpuid(&c, 0xd, 0, &r);
    assert_int_equal(r.a | r.b | r.c | r.d, 0);
    guest_cpuid(&c, 0xd, 1, &r);
    assert_int_equal(r.a | r.b | r.c | r.d, 0);
}

static void test_os_bits_follow_guest_cr4(void **state)
{
    struct guest_cpuid_ctx c = xsave_ctx(0x207, 0);
    struct cpuid_regs r;

    /* Before the guest sets CR4.OSXSAVE/PKE: XSAVE and PKU, not the OS bits. */
    guest_cpuid(&c, 1, 0, &r);
    assert_true(r.c & (1u << 26));
    assert_false(r.c & (1u << 27));
    assert_true(r.c & (1u << 28));             /* AVX offered with YMM */
    guest_cpuid(&c, 7, 0, &r);
    assert_true(r.c & (1u << 3));
    assert_false(r.c & (1u << 4));
    assert_true(r.b & (1u << 5));              /* AVX2 */
    assert_false(r.b & (1u << 16));            /* AVX-512 state not offered */
    c = xsave_ctx(0x207, CR4_OSXSAVE | CR4_PKE);
    guest_cpuid(&c, 1, 0, &r);
    assert_true(r.c & (1u << 27));
    guest_cpuid(&c, 7, 0, &r);
    assert_true(r.c & (1u << 4));
    /* Other sub-leaves of 7 are the host's, untouched. */
    guest_cpuid(&c, 7, 1, &r);
    assert_int_equal(r.b, 0xffffffff);
    assert_int_equal(r.c, 0xffffffff);
    /* Without PKRU offered, CR4.PKE does not make OSPKE appear. */
    c = xsave_ctx(0x7, CR4_OSXSAVE | CR4_PKE);
    guest_cpuid(&c, 7, 0, &r);
    assert_false(r.c & ((1u << 3) | (1u << 4)));
}

static void test_xcr0_values(void **state)
{
    assert_true(guest_xcr0_valid(0x207, 0x1));
    assert_true(guest_xcr0_valid(0x207, 0x3));
    assert_true(guest_xcr0_valid(0x207, 0x7));
    assert_true(guest_xcr0_valid(0x207, 0x207));
    assert_true(guest_xcr0_valid(0x2e7, 0xe7));
    assert_false(guest_xcr0_valid(0x207, 0x0));    /* x87 cannot be off */
    assert_false(guest_xcr0_valid(0x207, 0x6));
    assert_false(guest_xcr0_valid(0x207, 0x5));    /* AVX without SSE */
    assert_false(guest_xcr0_valid(0x207, 0xf));    /* MPX not offered */
    assert_false(guest_xcr0_valid(0x207, 0xe7));   /* AVX-512 not offered */
    assert_false(guest_xcr0_valid(0x2e7, 0x67));   /* AVX-512 in part */
    assert_false(guest_xcr0_valid(0x2e7, 0xe3));   /* AVX-512 without AVX */
    assert_false(guest_xcr0_valid(0x207, 1ULL << 62));
    assert_false(guest_xcr0_valid(0, 0x1));        /* nothing offered */
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
        cmocka_unit_test(test_xsave_leaf_avx_pkru),
        cmocka_unit_test(test_xsave_leaf_sizes),
        cmocka_unit_test(test_no_xsave_hides_dependants),
        cmocka_unit_test(test_os_bits_follow_guest_cr4),
        cmocka_unit_test(test_xcr0_values),
        cmocka_unit_test(test_hypercall_page),
    };

    return cmocka_run_group_tests_name("guest_cpuid", tests, NULL, NULL);
}

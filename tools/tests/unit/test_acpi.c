/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ACPI parser tests.  Tables are built in the fake physical memory arena
 * with correct checksums, then damaged one way at a time.  acpi_os_map()
 * refuses anything outside the arena, as unmapped firmware memory would be.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <asm/page.h>
#include <xen/acpi.h>
#include <xen/errno.h>

#define ARENA (4u << 20)
#define RSDT_PA 0x10000
#define XSDT_PA 0x11000
#define FACP_PA 0x12000
#define MADT_PA 0x13000
#define HPET_PA 0x14000
#define DSDT_PA 0x15000

void *acpi_os_map(paddr_t pa, size_t len)
{
    if ( pa >= ARENA || len > ARENA - pa )
        return NULL;
    return maddr_to_virt(pa);
}

void acpi_os_unmap(void *va, size_t len)
{
}

static uint8_t *at(paddr_t pa) { return maddr_to_virt(pa); }
static void w8(paddr_t pa, uint8_t v) { *at(pa) = v; }
static void w16(paddr_t pa, uint16_t v) { memcpy(at(pa), &v, 2); }
static void w32(paddr_t pa, uint32_t v) { memcpy(at(pa), &v, 4); }
static void w64(paddr_t pa, uint64_t v) { memcpy(at(pa), &v, 8); }

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;

    while ( n-- )
        s += *p++;
    return s;
}

/* Write a table header for `len` bytes at pa and fix its checksum. */
static void seal(paddr_t pa, const char *sig, uint32_t len)
{
    memcpy(at(pa), sig, 4);
    w32(pa + 4, len);
    w8(pa + 8, 2);
    w8(pa + 9, 0);
    w8(pa + 9, -sum(at(pa), len));
}

static uint8_t rsdp[36];

static void make_rsdp(unsigned int rev)
{
    memset(rsdp, 0, sizeof(rsdp));
    memcpy(rsdp, "RSD PTR ", 8);
    rsdp[15] = rev;
    memcpy(rsdp + 16, &(uint32_t){ RSDT_PA }, 4);
    memcpy(rsdp + 20, &(uint32_t){ 36 }, 4);
    memcpy(rsdp + 24, &(uint64_t){ XSDT_PA }, 8);
    rsdp[8] = -sum(rsdp, 20);
    rsdp[32] = -sum(rsdp, 36);
}

static uint32_t madt_len;

static void make_madt(unsigned int nr_cpus)
{
    paddr_t p = MADT_PA + 44;
    unsigned int i;

    w32(MADT_PA + 36, 0xfee00000);
    w32(MADT_PA + 40, 1);
    for ( i = 0; i < nr_cpus; i++, p += 8 )
    {
        w8(p, 0); w8(p + 1, 8); w8(p + 2, i); w8(p + 3, i * 2);
        w32(p + 4, i == 3 ? 0 : 1);            /* CPU 3 disabled */
    }
    w8(p, 1); w8(p + 1, 12); w8(p + 2, 9); w32(p + 4, 0xfec00000); w32(p + 8, 0);
    p += 12;
    w8(p, 2); w8(p + 1, 10); w8(p + 2, 0); w8(p + 3, 0); w32(p + 4, 2); w16(p + 8, 0);
    p += 10;
    w8(p, 2); w8(p + 1, 10); w8(p + 2, 0); w8(p + 3, 9); w32(p + 4, 9); w16(p + 8, 0xd);
    p += 10;
    madt_len = p - MADT_PA;
    seal(MADT_PA, "APIC", madt_len);
}

/* DSDT: a little AML noise, then Name(\_S5, Package(4){ 5, One, 0, 0 }). */
static void make_dsdt(void)
{
    static const uint8_t aml[] = {
        0x10, 0x05, '_', 'S', 'B', '_', 0x00,             /* Scope(_SB) junk */
        0x08, '\\', '_', 'S', '5', '_', 0x12, 0x08, 0x04,
        0x0a, 0x05, 0x01, 0x00, 0x00,
    };

    memcpy(at(DSDT_PA + 36), aml, sizeof(aml));
    seal(DSDT_PA, "DSDT", 36 + sizeof(aml));
}

static void make_fadt(void)
{
    memset(at(FACP_PA), 0, 276);
    w32(FACP_PA + 40, DSDT_PA);
    w16(FACP_PA + 46, 9);
    w32(FACP_PA + 64, 0xb004);                    /* PM1a_CNT_BLK, legacy */
    w32(FACP_PA + 112, 1u << 10);                 /* RESET_REG_SUP */
    w8(FACP_PA + 116, 1); w8(FACP_PA + 117, 8); w64(FACP_PA + 120, 0xcf9);
    w8(FACP_PA + 128, 0x06);
    /* X_PM1a_CNT_BLK, which wins over the legacy field. */
    w8(FACP_PA + 172, 1); w8(FACP_PA + 173, 16); w64(FACP_PA + 176, 0x604);
    seal(FACP_PA, "FACP", 276);
}

static void make_hpet(void)
{
    memset(at(HPET_PA + 36), 0, 20);
    w8(HPET_PA + 40, 0);
    w64(HPET_PA + 44, 0xfed00000);
    w8(HPET_PA + 52, 0);
    w16(HPET_PA + 53, 0x80);
    seal(HPET_PA, "HPET", 56);
}

static void make_roots(void)
{
    w32(RSDT_PA + 36, FACP_PA); w32(RSDT_PA + 40, MADT_PA); w32(RSDT_PA + 44, HPET_PA);
    seal(RSDT_PA, "RSDT", 48);
    w64(XSDT_PA + 36, FACP_PA); w64(XSDT_PA + 44, MADT_PA); w64(XSDT_PA + 52, HPET_PA);
    seal(XSDT_PA, "XSDT", 60);
}

static int build_all(void **state)
{
    host_test_ram_init(ARENA);
    make_madt(4);
    make_dsdt();
    make_fadt();
    make_hpet();
    make_roots();
    make_rsdp(2);
    host_test_log_clear();
    return 0;
}

static int teardown(void **state)
{
    host_test_ram_fini();
    return 0;
}

static void test_full_parse(void **state)
{
    assert_int_equal(acpi_tables_init(rsdp, 36), 0);
    assert_true(acpi_info.madt_present);
    assert_int_equal(acpi_info.lapic_address, 0xfee00000);
    assert_true(acpi_info.pcat_compat);
    assert_int_equal(acpi_info.nr_lapics, 4);
    assert_int_equal(acpi_info.lapics[2].apic_id, 4);
    assert_true(acpi_info.lapics[2].enabled);
    assert_false(acpi_info.lapics[3].enabled);
    assert_int_equal(acpi_info.nr_ioapics, 1);
    assert_int_equal(acpi_info.ioapics[0].address, 0xfec00000);
    assert_int_equal(acpi_info.nr_overrides, 2);
    assert_int_equal(acpi_info.overrides[1].bus_irq, 9);
    assert_int_equal(acpi_info.overrides[1].flags, 0xd);
    assert_true(acpi_info.fadt.present);
    assert_int_equal(acpi_info.fadt.pm1a_cnt.address, 0x604);
    assert_int_equal(acpi_info.fadt.pm1a_cnt.space_id, ACPI_GAS_SPACE_IO);
    assert_true(acpi_info.fadt.reset_supported);
    assert_int_equal(acpi_info.fadt.reset_reg.address, 0xcf9);
    assert_int_equal(acpi_info.fadt.reset_value, 6);
    assert_true(acpi_info.s5.present);
    assert_int_equal(acpi_info.s5.slp_typ_a, 5);
    assert_int_equal(acpi_info.s5.slp_typ_b, 1);
    assert_true(acpi_info.hpet.present);
    assert_int_equal(acpi_info.hpet.address, 0xfed00000);
    assert_int_equal(acpi_info.nr_tables, 5);     /* XSDT FACP APIC HPET DSDT */
    assert_string_equal(acpi_info.tables[0].signature, "XSDT");
}

static void test_rsdt_path(void **state)
{
    make_rsdp(0);
    assert_int_equal(acpi_tables_init(rsdp, 20), 0);
    assert_string_equal(acpi_info.tables[0].signature, "RSDT");
    assert_int_equal(acpi_info.nr_lapics, 4);
}

static void test_legacy_pm1_when_no_x_field(void **state)
{
    w64(FACP_PA + 176, 0);
    seal(FACP_PA, "FACP", 276);
    assert_int_equal(acpi_tables_init(rsdp, 36), 0);
    assert_int_equal(acpi_info.fadt.pm1a_cnt.address, 0xb004);
}

static void test_bad_rsdp(void **state)
{
    rsdp[8]++;
    assert_int_equal(acpi_tables_init(rsdp, 36), -EINVAL);
    assert_int_equal(acpi_tables_init(NULL, 0), -ENOENT);
    assert_int_equal(acpi_tables_init(rsdp, 10), -ENOENT);
    memcpy(rsdp, "RSD PTX ", 8);
    assert_int_equal(acpi_tables_init(rsdp, 36), -EINVAL);
}

static void test_xsdt_unmappable_falls_back(void **state)
{
    /* XSDT pointer outside memory: the RSDT is used instead. */
    memcpy(rsdp + 24, &(uint64_t){ 0x7fff0000000ULL }, 8);
    rsdp[32] = 0;
    rsdp[32] = -sum(rsdp, 36);
    assert_int_equal(acpi_tables_init(rsdp, 36), 0);
    assert_string_equal(acpi_info.tables[0].signature, "RSDT");
    /* Both unusable: an error, nothing parsed. */
    memcpy(rsdp + 16, &(uint32_t){ 0xfffff000 }, 4);
    rsdp[8] = 0;
    rsdp[8] = -sum(rsdp, 20);
    rsdp[32] = 0;
    rsdp[32] = -sum(rsdp, 36);
    assert_int_equal(acpi_tables_init(rsdp, 36), -EINVAL);
    assert_int_equal(acpi_info.nr_lapics, 0);
}

static void test_short_and_absurd_lengths(void **state)
{
    seal(MADT_PA, "APIC", 20);                    /* shorter than a header */
    assert_int_equal(acpi_tables_init(rsdp, 36), 0);
    assert_false(acpi_info.madt_present);
    assert_true(host_test_log_contains("bad length"));
    w32(MADT_PA + 4, 0xffffffff);                 /* absurd */
    assert_int_equal(acpi_tables_init(rsdp, 36), 0);
    assert_false(acpi_info.madt_present);
    assert_true(acpi_info.fadt.present);          /* the rest still parsed */
}

static void test_bad_checksum_ignored(void **state)
{
    w8(HPET_PA + 9, *at(HPET_PA + 9) + 1);
    host_test_log_clear();
    assert_int_equal(acpi_tables_init(rsdp, 36), 0);
    assert_false(acpi_info.hpet.present);
    assert_true(host_test_log_contains("HPET"));
    assert_true(host_test_log_contains("bad checksum"));
}

static void test_madt_zero_length_entry(void **state)
{
    w8(MADT_PA + 44 + 8 + 1, 0);                  /* second entry: length 0 */
    seal(MADT_PA, "APIC", madt_len);
    host_test_log_clear();
    assert_int_equal(acpi_tables_init(rsdp, 36), 0);   /* and terminates */
    assert_int_equal(acpi_info.nr_lapics, 1);
    assert_true(host_test_log_contains("bad length 0"));
}

static void test_madt_entry_past_end(void **state)
{
    /* The last override claims 200 bytes. */
    w8(MADT_PA + madt_len - 10 + 1, 200);
    seal(MADT_PA, "APIC", madt_len);
    assert_int_equal(acpi_tables_init(rsdp, 36), 0);
    assert_int_equal(acpi_info.nr_overrides, 1);
}

static void test_too_many_cpus(void **state)
{
    make_madt(ACPI_MAX_LAPICS + 5);
    host_test_log_clear();
    assert_int_equal(acpi_tables_init(rsdp, 36), 0);
    assert_int_equal(acpi_info.nr_lapics, ACPI_MAX_LAPICS);
    assert_true(host_test_log_contains("more than"));
    assert_int_equal(acpi_info.nr_ioapics, 1);    /* later entries still read */
}

static void test_xsdt_odd_length(void **state)
{
    seal(XSDT_PA, "XSDT", 60 + 3);
    host_test_log_clear();
    assert_int_equal(acpi_tables_init(rsdp, 36), 0);
    assert_true(host_test_log_contains("whole number"));
    assert_true(acpi_info.hpet.present);
}

static void test_s5_encodings(void **state)
{
    static const uint8_t one_byte[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x00, 0x01 };
    /* Two-byte PkgLength, DWord and Word prefixes. */
    static const uint8_t multi[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x40, 0x01, 0x02,
                                     0x0c, 0x07, 0, 0, 0, 0x0b, 0x03, 0x00 };
    static const uint8_t truncated[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0a };
    static const uint8_t not_a_name[] = { 0x14, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x00, 0x01 };
    static const uint8_t pkglen_cut[] = { 0x08, '_', 'S', '5', '_', 0x12, 0xc0 };
    uint8_t a = 0xff, b = 0xff;

    assert_true(acpi_find_s5(one_byte, sizeof(one_byte), &a, &b));
    assert_int_equal(a, 0);
    assert_int_equal(b, 1);
    assert_true(acpi_find_s5(multi, sizeof(multi), &a, &b));
    assert_int_equal(a, 7);
    assert_int_equal(b, 3);
    assert_false(acpi_find_s5(truncated, sizeof(truncated), &a, &b));
    assert_false(acpi_find_s5(not_a_name, sizeof(not_a_name), &a, &b));
    assert_false(acpi_find_s5(pkglen_cut, sizeof(pkglen_cut), &a, &b));
    assert_false(acpi_find_s5(one_byte, 0, &a, &b));
    /* Every truncation of a valid package is either found or refused. */
    for ( size_t n = 0; n < sizeof(multi); n++ )
        assert_int_equal(acpi_find_s5(multi, n, &a, &b), n == sizeof(multi));
}

/*
 * The same truncations from heap copies of exactly n bytes, so that ASan
 * sees a read past the end: AML that stops right after the PackageOp once
 * had its (missing) PkgLength byte read.
 */
static void test_s5_truncated_exactly(void **state)
{
    static const uint8_t multi[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x40, 0x01, 0x02,
                                     0x0c, 0x07, 0, 0, 0, 0x0b, 0x03, 0x00 };
    uint8_t a, b, *copy;
    size_t n;

    for ( n = 0; n <= sizeof(multi); n++ )
    {
        copy = malloc(n ? n : 1);
        assert_non_null(copy);
        memcpy(copy, multi, n);
        assert_int_equal(acpi_find_s5(copy, n, &a, &b), n == sizeof(multi));
        free(copy);
    }
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, build_all, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_full_parse),
        T(test_rsdt_path),
        T(test_legacy_pm1_when_no_x_field),
        T(test_bad_rsdp),
        T(test_xsdt_unmappable_falls_back),
        T(test_short_and_absurd_lengths),
        T(test_bad_checksum_ignored),
        T(test_madt_zero_length_entry),
        T(test_madt_entry_past_end),
        T(test_too_many_cpus),
        T(test_xsdt_odd_length),
        T(test_s5_encodings),
        T(test_s5_truncated_exactly),
    };

    return cmocka_run_group_tests_name("acpi", tests, NULL, NULL);
}

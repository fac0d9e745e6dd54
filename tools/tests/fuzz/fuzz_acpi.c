/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ACPI table parsing (xen/drivers/acpi/tables.c) over firmware memory the
 * input makes up.  Input: one flags byte, 36 bytes of the RSDP copy the
 * bootloader passes, then "physical memory" from address 0.
 *
 * Flags bit 0 makes every table's checksum (and the RSDP's) come out right,
 * so the fuzzer reaches the table bodies instead of stalling on a byte it
 * cannot guess; the parser's checksum checks run with it clear.  Bit 1
 * hands over the 20-byte ACPI 1.0 RSDP instead of the 36-byte one.
 *
 * acpi_os_map() returns a private heap copy of exactly the range asked
 * for, so reading a table past the length it was mapped with is an ASan
 * report even where the made-up memory goes on.  Promises checked: every
 * mapping is unmapped with its own length; the counts stay within their
 * arrays; recorded tables were mappable; \_S5 is only found where "_S5_"
 * is written.
 */
#include "fuzz.h"
#include "harness.h"
#include <xen/acpi.h>
#include <xen/errno.h>

#define FLAG_FIX_SUMS 1u
#define FLAG_RSDP_V1  2u
#define RSDP_LEN      36
#define MAX_MAPS      8

static const uint8_t *mem;
static size_t mem_len;
static bool fix_sums;

static struct {
    void *va;
    size_t len;
} maps[MAX_MAPS];
static unsigned int nr_maps;

static void fix_checksum(uint8_t *p, size_t len, size_t at)
{
    uint8_t sum = 0;
    size_t i;

    p[at] = 0;
    for ( i = 0; i < len; i++ )
        sum += p[i];
    p[at] = (uint8_t)-sum;
}

void *acpi_os_map(paddr_t pa, size_t len)
{
    uint8_t *copy;
    uint32_t table_len;

    if ( pa > mem_len || len > mem_len - pa )
        return NULL;
    /* Nothing maps more than a table and a DSDT at once. */
    fuzz_check(nr_maps < MAX_MAPS);
    copy = fuzz_memdup(mem + pa, len);
    if ( fix_sums && len >= 36 )
    {
        memcpy(&table_len, copy + 4, 4);
        if ( table_len == len )
            fix_checksum(copy, len, 9);
    }
    maps[nr_maps].va = copy;
    maps[nr_maps].len = len;
    nr_maps++;
    return copy;
}

void acpi_os_unmap(void *va, size_t len)
{
    unsigned int i;

    for ( i = 0; i < nr_maps; i++ )
        if ( maps[i].va == va )
        {
            fuzz_check(maps[i].len == len);
            free(va);
            maps[i] = maps[--nr_maps];
            return;
        }
    fuzz_check(!"acpi_os_unmap() of something not mapped");
}

static void check_info(void)
{
    const struct acpi_info *a = &acpi_info;
    unsigned int i;

    fuzz_check(a->nr_tables <= ACPI_MAX_TABLES);
    fuzz_check(a->nr_lapics <= ACPI_MAX_LAPICS);
    fuzz_check(a->nr_ioapics <= ACPI_MAX_IOAPICS);
    fuzz_check(a->nr_overrides <= ACPI_MAX_OVERRIDES);
    for ( i = 0; i < a->nr_tables; i++ )
    {
        fuzz_check(a->tables[i].signature[4] == '\0');
        fuzz_check(a->tables[i].address <= mem_len &&
                   mem_len - a->tables[i].address >= 36);
    }
    fuzz_check(!a->hpet.present || a->hpet.address);
    fuzz_check(!a->fadt.reset_supported ||
               (a->fadt.present && a->fadt.reset_reg.address));
}

static bool has_s5_name(const uint8_t *p, size_t len)
{
    size_t i;

    for ( i = 0; i + 4 <= len; i++ )
        if ( !memcmp(p + i, "_S5_", 4) )
            return true;
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t rsdp[RSDP_LEN], *aml, a, b;
    size_t rsdp_len;
    int rc;

    if ( size < 1 + RSDP_LEN )
        return 0;
    fix_sums = data[0] & FLAG_FIX_SUMS;
    rsdp_len = (data[0] & FLAG_RSDP_V1) ? 20 : RSDP_LEN;
    memcpy(rsdp, data + 1, RSDP_LEN);
    if ( fix_sums )
    {
        fix_checksum(rsdp, 20, 8);
        fix_checksum(rsdp, RSDP_LEN, 32);
    }
    mem = data + 1 + RSDP_LEN;
    mem_len = size - 1 - RSDP_LEN;

    host_test_log_clear();
    rc = acpi_tables_init(rsdp, rsdp_len);
    fuzz_check(rc == 0 || rc == -EINVAL || rc == -ENOENT);
    fuzz_check(nr_maps == 0);
    check_info();
    if ( rc == 0 )
        acpi_print_summary();

    /* The \_S5 scan on its own, over all of memory as if it were AML. */
    aml = fuzz_memdup(mem, mem_len);
    if ( acpi_find_s5(aml, mem_len, &a, &b) )
        fuzz_check(has_s5_name(aml, mem_len));
    free(aml);
    return 0;
}

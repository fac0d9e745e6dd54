/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Multiboot2 boot information (xen/common/multiboot2.c), as a broken
 * or hostile bootloader could leave it.  The parser reads from a buffer of
 * exactly `readable` bytes.  Promises checked (xen/multiboot2.h):
 *  - a refusal is printed;
 *  - what mb2_parse() returns points into the buffer: strings end inside
 *    it, modules are non-empty, memory map entries do not wrap;
 *  - boot_sanitize_mmap() leaves a sorted map of disjoint, non-empty
 *    regions, adjacent ones of one type merged, RAM in whole pages, and
 *    never calls anything RAM that the firmware did not call RAM, or that
 *    any firmware entry called something else;
 *  - boot_check_layout() accepts only modules in RAM, apart from each
 *    other and from the hypervisor image.
 */
#include "fuzz.h"
#include "harness.h"
#include <xen/errno.h>
#include <xen/multiboot2.h>

#define IMAGE_START 0x200000ULL
#define IMAGE_END   0x400000ULL

static void check_string(const char *s, const uint8_t *mbi, size_t len)
{
    if ( !s )
        return;
    fuzz_check(fuzz_within(s, 1, mbi, len));
    fuzz_check(memchr(s, '\0', (size_t)(mbi + len - (const uint8_t *)s)));
}

static void check_parsed(const struct boot_info *bi, const uint8_t *mbi,
                         size_t len)
{
    unsigned int i;

    check_string(bi->cmdline, mbi, len);
    check_string(bi->loader_name, mbi, len);
    fuzz_check(bi->nr_mods <= BOOT_MAX_MODULES);
    for ( i = 0; i < bi->nr_mods; i++ )
    {
        fuzz_check(bi->mods[i].start < bi->mods[i].end);
        fuzz_check(bi->mods[i].cmdline);
        check_string(bi->mods[i].cmdline, mbi, len);
    }
    fuzz_check(bi->nr_mmap <= BOOT_MAX_REGIONS);
    for ( i = 0; i < bi->nr_mmap; i++ )
        fuzz_check(bi->mmap[i].start < bi->mmap[i].end);
    fuzz_check(bi->rsdp_len == 0 || bi->rsdp_len == 20 || bi->rsdp_len == 36);
}

/* What the firmware said about one address: RAM only, or something else. */
static void firmware_view(const struct boot_region *orig, unsigned int n,
                          paddr_t pa, bool *ram, bool *other)
{
    unsigned int i;

    *ram = *other = false;
    for ( i = 0; i < n; i++ )
        if ( orig[i].start <= pa && pa < orig[i].end )
        {
            if ( orig[i].type == BOOT_MEM_RAM )
                *ram = true;
            else
                *other = true;
        }
}

static void check_sanitized(const struct boot_info *bi,
                            const struct boot_region *orig, unsigned int n)
{
    unsigned int i;
    bool ram, other;

    for ( i = 0; i < bi->nr_mmap; i++ )
    {
        const struct boot_region *r = &bi->mmap[i];

        fuzz_check(r->start < r->end);
        fuzz_check(r->type >= BOOT_MEM_RAM && r->type <= BOOT_MEM_BAD);
        if ( i )
        {
            fuzz_check(bi->mmap[i - 1].end <= r->start);
            /* Merging came before RAM shrank to pages: no RAM either. */
            fuzz_check(bi->mmap[i - 1].end < r->start ||
                       bi->mmap[i - 1].type != r->type);
        }
        if ( r->type != BOOT_MEM_RAM )
            continue;
        fuzz_check(!(r->start & 4095) && !(r->end & 4095));
        /* Both ends of a RAM region, as the firmware described them. */
        firmware_view(orig, n, r->start, &ram, &other);
        fuzz_check(ram && !other);
        firmware_view(orig, n, r->end - 1, &ram, &other);
        fuzz_check(ram && !other);
    }
}

static bool in_ram(const struct boot_info *bi, paddr_t s, paddr_t e)
{
    unsigned int i;

    for ( i = 0; i < bi->nr_mmap; i++ )
        if ( bi->mmap[i].type == BOOT_MEM_RAM && bi->mmap[i].start <= s &&
             e <= bi->mmap[i].end )
            return true;
    return false;
}

static void check_layout_ok(const struct boot_info *bi)
{
    unsigned int i, j;

    fuzz_check(in_ram(bi, IMAGE_START, IMAGE_END));
    for ( i = 0; i < bi->nr_mods; i++ )
    {
        const struct boot_module *m = &bi->mods[i];

        fuzz_check(in_ram(bi, m->start, m->end));
        fuzz_check(m->end <= IMAGE_START || m->start >= IMAGE_END);
        for ( j = 0; j < i; j++ )
            fuzz_check(m->end <= bi->mods[j].start ||
                       m->start >= bi->mods[j].end);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct boot_info bi;
    static struct boot_region orig[BOOT_MAX_REGIONS];
    uint8_t *mbi = fuzz_memdup(data, size);
    unsigned int n;
    int rc;

    host_test_log_clear();
    rc = mb2_parse(mbi, size, &bi);
    fuzz_check(rc == 0 || rc == -EINVAL);
    if ( rc )
    {
        fuzz_check(host_test_log()[0] != '\0');
        free(mbi);
        return 0;
    }
    check_parsed(&bi, mbi, size);

    n = bi.nr_mmap;
    memcpy(orig, bi.mmap, n * sizeof(orig[0]));
    if ( boot_sanitize_mmap(&bi) == 0 )
    {
        check_sanitized(&bi, orig, n);
        if ( boot_check_layout(&bi, IMAGE_START, IMAGE_END) == 0 )
            check_layout_ok(&bi);
        (void)boot_ram_bytes(&bi);
    }
    free(mbi);
    return 0;
}

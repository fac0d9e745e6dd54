/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multiboot2 parser tests: well-formed information from a builder, then
 * every kind of damage a broken or hostile bootloader could produce.  The
 * parser reads from a buffer exactly `readable` bytes long, so ASan turns
 * any read past it into a failure.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <xen/errno.h>
#include <xen/kernel_image.h>
#include <xen/multiboot2.h>

#define MIB (1024ULL * 1024)
#define IMG_S (2 * MIB)
#define IMG_E (3 * MIB)

struct mbi {
    uint8_t buf[8192];
    uint32_t len;
};

static void put32(struct mbi *m, uint32_t off, uint32_t v) { memcpy(m->buf + off, &v, 4); }
static void put64(struct mbi *m, uint32_t off, uint64_t v) { memcpy(m->buf + off, &v, 8); }

static void mbi_init(struct mbi *m)
{
    memset(m, 0, sizeof(*m));
    m->len = 8;
}

/* Append a tag with `payload` bytes of room; returns its offset. */
static uint32_t tag(struct mbi *m, uint32_t type, uint32_t payload)
{
    uint32_t off = m->len;

    put32(m, off, type);
    put32(m, off + 4, 8 + payload);
    m->len = (off + 8 + payload + 7) & ~7u;
    return off;
}

static void tag_string(struct mbi *m, uint32_t type, const char *s)
{
    uint32_t off = tag(m, type, strlen(s) + 1);

    memcpy(m->buf + off + 8, s, strlen(s) + 1);
}

static void tag_module(struct mbi *m, uint32_t start, uint32_t end, const char *s)
{
    uint32_t off = tag(m, MB2_TAG_MODULE, 8 + strlen(s) + 1);

    put32(m, off + 8, start);
    put32(m, off + 12, end);
    memcpy(m->buf + off + 16, s, strlen(s) + 1);
}

struct ent { uint64_t base, len; uint32_t type; };

static void tag_mmap(struct mbi *m, const struct ent *e, unsigned int n)
{
    uint32_t off = tag(m, MB2_TAG_MMAP, 8 + 24 * n), i;

    put32(m, off + 8, 24);
    put32(m, off + 12, 0);
    for ( i = 0; i < n; i++ )
    {
        put64(m, off + 16 + 24 * i, e[i].base);
        put64(m, off + 16 + 24 * i + 8, e[i].len);
        put32(m, off + 16 + 24 * i + 16, e[i].type);
    }
}

static void finish(struct mbi *m)
{
    tag(m, MB2_TAG_END, 0);
    put32(m, 0, m->len);
}

/*
 * Parse from a heap copy of exactly `readable` bytes.  The copy lives until
 * the next parse, since boot_info points into it.
 */
static uint8_t *live_copy;

static int parse(const struct mbi *m, size_t readable, struct boot_info *bi)
{
    free(live_copy);
    live_copy = malloc(readable ? readable : 1);
    memcpy(live_copy, m->buf, readable);
    return mb2_parse(live_copy, readable, bi);
}

static const struct ent qemu_map[] = {
    { 0, 0x9fc00, 1 }, { 0x9fc00, 0x400, 2 }, { 0xf0000, 0x10000, 2 },
    { 0x100000, 255 * MIB - 0x20000, 1 }, { 256 * MIB - 0x20000, 0x20000, 2 },
};

static void build_good(struct mbi *m)
{
    mbi_init(m);
    tag_string(m, MB2_TAG_CMDLINE, "console=com1 loglvl=all");
    tag_string(m, MB2_TAG_LOADER_NAME, "GRUB 2.06");
    tag_mmap(m, qemu_map, 5);
    tag_module(m, 16 * MIB, 20 * MIB, "vmlinuz root=/dev/sda");
    tag_module(m, 20 * MIB, 24 * MIB, "initrd");
    finish(m);
}

static struct boot_info bi;

static void test_good(void **state)
{
    struct mbi m;

    build_good(&m);
    assert_int_equal(parse(&m, m.len, &bi), 0);
    assert_string_equal(bi.cmdline, "console=com1 loglvl=all");
    assert_string_equal(bi.loader_name, "GRUB 2.06");
    assert_int_equal(bi.nr_mmap, 5);
    assert_int_equal(bi.nr_mods, 2);
    assert_int_equal(bi.mods[1].start, 20 * MIB);
    assert_string_equal(bi.mods[0].cmdline, "vmlinuz root=/dev/sda");
    assert_int_equal(boot_sanitize_mmap(&bi), 0);
    assert_int_equal(boot_check_layout(&bi, IMG_S, IMG_E), 0);
    /* RAM: 0x9f000 (rounded down) + 255 MiB - 128 KiB */
    assert_int_equal(boot_ram_bytes(&bi), 0x9f000 + 255 * MIB - 0x20000);
}

static void test_rsdp(void **state)
{
    struct mbi m;
    uint32_t off;

    mbi_init(&m);
    tag_mmap(&m, qemu_map, 5);
    off = tag(&m, MB2_TAG_ACPI_OLD, 20);
    memcpy(m.buf + off + 8, "RSD PTR ", 8);
    off = tag(&m, MB2_TAG_ACPI_NEW, 36);
    memcpy(m.buf + off + 8, "RSD PTR ", 8);
    m.buf[off + 8 + 15] = 2;
    finish(&m);
    assert_int_equal(parse(&m, m.len, &bi), 0);
    assert_int_equal(bi.rsdp_len, 36);
    assert_int_equal(bi.rsdp[15], 2);
}

static void test_truncated(void **state)
{
    struct mbi m;
    size_t n;

    build_good(&m);
    /* Every truncation of the readable window must be refused cleanly. */
    for ( n = 0; n < m.len; n++ )
        assert_int_equal(parse(&m, n, &bi), -EINVAL);
}

static void test_total_size_lies(void **state)
{
    struct mbi m;

    build_good(&m);
    put32(&m, 0, m.len + 64);          /* larger than what is readable */
    assert_int_equal(parse(&m, m.len, &bi), -EINVAL);
    put32(&m, 0, 0xffffffff);
    assert_int_equal(parse(&m, m.len, &bi), -EINVAL);
    put32(&m, 0, 8);
    assert_int_equal(parse(&m, m.len, &bi), -EINVAL);
}

static void test_tag_runs_past_end(void **state)
{
    struct mbi m;

    build_good(&m);
    put32(&m, 8 + 4, 0x7ffffff0);      /* first tag's size */
    host_test_log_clear();
    assert_int_equal(parse(&m, m.len, &bi), -EINVAL);
    assert_true(host_test_log_contains("bad size"));
    put32(&m, 8 + 4, 4);               /* smaller than a tag header */
    assert_int_equal(parse(&m, m.len, &bi), -EINVAL);
}

static void test_missing_end_tag(void **state)
{
    struct mbi m;

    mbi_init(&m);
    tag_mmap(&m, qemu_map, 5);
    put32(&m, 0, m.len);               /* no end tag */
    host_test_log_clear();
    assert_int_equal(parse(&m, m.len, &bi), -EINVAL);
    assert_true(host_test_log_contains("no end tag"));
}

static void test_missing_mmap(void **state)
{
    struct mbi m;

    mbi_init(&m);
    tag_string(&m, MB2_TAG_CMDLINE, "x");
    finish(&m);
    assert_int_equal(parse(&m, m.len, &bi), -EINVAL);
}

static void test_unterminated_string(void **state)
{
    struct mbi m;
    uint32_t off;

    mbi_init(&m);
    tag_mmap(&m, qemu_map, 5);
    off = tag(&m, MB2_TAG_CMDLINE, 8);
    memset(m.buf + off + 8, 'A', 8);   /* no NUL within the tag */
    finish(&m);
    assert_int_equal(parse(&m, m.len, &bi), -EINVAL);
}

static void test_bad_mmap_entry_size(void **state)
{
    struct mbi m;
    uint32_t off;

    mbi_init(&m);
    tag_mmap(&m, qemu_map, 5);
    off = 8;
    put32(&m, off + 8, 16);            /* entry_size below 24 */
    finish(&m);
    assert_int_equal(parse(&m, m.len, &bi), -EINVAL);
    put32(&m, off + 8, 0);
    assert_int_equal(parse(&m, m.len, &bi), -EINVAL);
    put32(&m, off + 8, 25);            /* not a multiple of 8 */
    assert_int_equal(parse(&m, m.len, &bi), -EINVAL);
}

/*
 * An entry size near 2^32 must not wrap the bounds check: no entry fits in
 * the tag, so none is read, and nothing past the tag either.
 */
static void test_huge_mmap_entry_size(void **state)
{
    struct mbi m;

    mbi_init(&m);
    tag_mmap(&m, NULL, 0);
    put32(&m, 8 + 8, 0xfffffff0);      /* 16 + this wraps to 0 */
    finish(&m);
    assert_int_equal(parse(&m, m.len, &bi), 0);
    assert_int_equal(bi.nr_mmap, 0);
}

static void test_absurd_sizes(void **state)
{
    struct mbi m;
    const struct ent wrap[] = { { 0xfffffffffffff000ULL, 0x2000, 1 } };

    mbi_init(&m);
    tag_mmap(&m, wrap, 1);
    finish(&m);
    assert_int_equal(parse(&m, m.len, &bi), -EINVAL);
}

static void test_zero_length_module(void **state)
{
    struct mbi m;

    mbi_init(&m);
    tag_mmap(&m, qemu_map, 5);
    tag_module(&m, 16 * MIB, 16 * MIB, "empty");
    finish(&m);
    host_test_log_clear();
    assert_int_equal(parse(&m, m.len, &bi), -EINVAL);
    assert_true(host_test_log_contains("empty"));
}

static void test_too_many_modules(void **state)
{
    struct mbi m;
    unsigned int i;

    mbi_init(&m);
    tag_mmap(&m, qemu_map, 5);
    for ( i = 0; i <= BOOT_MAX_MODULES; i++ )
        tag_module(&m, (32 + i) * MIB, (33 + i) * MIB, "m");
    finish(&m);
    assert_int_equal(parse(&m, m.len, &bi), -EINVAL);
}

static void parse_layout(const struct ent *e, unsigned int n,
                         uint32_t ms, uint32_t me, uint32_t ms2, uint32_t me2)
{
    struct mbi m;

    mbi_init(&m);
    tag_mmap(&m, e, n);
    if ( me )
        tag_module(&m, ms, me, "first");
    if ( me2 )
        tag_module(&m, ms2, me2, "second");
    finish(&m);
    assert_int_equal(parse(&m, m.len, &bi), 0);
    assert_int_equal(boot_sanitize_mmap(&bi), 0);
}

static void test_module_overlaps_image(void **state)
{
    parse_layout(qemu_map, 5, IMG_S + 4096, IMG_E + 4096, 0, 0);
    host_test_log_clear();
    assert_int_equal(boot_check_layout(&bi, IMG_S, IMG_E), -EINVAL);
    assert_true(host_test_log_contains("overlaps the hypervisor"));
}

static void test_modules_overlap(void **state)
{
    parse_layout(qemu_map, 5, 16 * MIB, 20 * MIB, 19 * MIB, 22 * MIB);
    assert_int_equal(boot_check_layout(&bi, IMG_S, IMG_E), -EINVAL);
}

static void test_module_outside_ram(void **state)
{
    parse_layout(qemu_map, 5, 300 * MIB, 301 * MIB, 0, 0);
    assert_int_equal(boot_check_layout(&bi, IMG_S, IMG_E), -EINVAL);
}

static void test_mmap_overlaps_image(void **state)
{
    /* Firmware claims part of the image's memory is reserved. */
    const struct ent e[] = {
        { 0, 0x9f000, 1 }, { 0x100000, 255 * MIB, 1 },
        { IMG_S + 0x10000, 0x1000, 2 },
    };

    parse_layout(e, 3, 0, 0, 0, 0);
    host_test_log_clear();
    assert_int_equal(boot_check_layout(&bi, IMG_S, IMG_E), -EINVAL);
    assert_true(host_test_log_contains("not in RAM"));
}

static void test_no_ram_above_1m(void **state)
{
    const struct ent e[] = { { 0, 0x9f000, 1 }, { 0xf0000, 0x10000, 2 } };

    parse_layout(e, 2, 0, 0, 0, 0);
    host_test_log_clear();
    assert_int_equal(boot_check_layout(&bi, IMG_S, IMG_E), -EINVAL);
    assert_true(host_test_log_contains("no usable RAM above 1 MiB"));
}

static void test_sanitize_overlaps(void **state)
{
    /* Unsorted, overlapping, adjacent, unaligned: reserved beats RAM. */
    const struct ent e[] = {
        { 0x200000, 0x400000, 1 },
        { 0x100000, 0x100800, 1 },
        { 0x300000, 0x1000, 2 },
        { 0x600000, 0x100000, 1 },
        { 0x180000, 0x80000, 1 },
    };

    parse_layout(e, 5, 0, 0, 0, 0);
    /* RAM 0x100000-0x300000 (merged), reserved 0x300000-0x301000,
     * RAM 0x301000-0x700000 (merged with the adjacent entry). */
    assert_int_equal(bi.nr_mmap, 3);
    assert_int_equal(bi.mmap[0].start, 0x100000);
    assert_int_equal(bi.mmap[0].end, 0x300000);
    assert_int_equal(bi.mmap[0].type, BOOT_MEM_RAM);
    assert_int_equal(bi.mmap[1].type, BOOT_MEM_RESERVED);
    assert_int_equal(bi.mmap[2].start, 0x301000);
    assert_int_equal(bi.mmap[2].end, 0x700000);
    for ( unsigned int i = 1; i < bi.nr_mmap; i++ )
        assert_true(bi.mmap[i - 1].end <= bi.mmap[i].start);
}

static void test_sanitize_rounds_ram_to_pages(void **state)
{
    const struct ent e[] = { { 0x100010, 0x2000, 1 } };

    parse_layout(e, 1, 0, 0, 0, 0);
    assert_int_equal(bi.nr_mmap, 1);
    assert_int_equal(bi.mmap[0].start, 0x101000);
    assert_int_equal(bi.mmap[0].end, 0x102000);
}

static void test_sanitize_ram_in_the_last_page(void **state)
{
    /* Found by fuzz_multiboot2: rounding the start up wrapped it to 0,
     * which made all memory below the end RAM. */
    const struct ent e[] = {
        { 0x100000, 0x100000, 1 },
        { 0xfffffffffffff800ull, 0x6ff, 1 },
    };

    parse_layout(e, 2, 0, 0, 0, 0);
    assert_int_equal(bi.nr_mmap, 1);
    assert_int_equal(bi.mmap[0].start, 0x100000);
    assert_int_equal(bi.mmap[0].end, 0x200000);
}

static void test_random_garbage(void **state)
{
    struct mbi m;
    unsigned int round, i;

    /* Whatever the bytes, the parser returns; ASan checks it stays inside. */
    srand(12345);
    for ( round = 0; round < 2000; round++ )
    {
        build_good(&m);
        for ( i = 0; i < 1 + (unsigned)rand() % 8; i++ )
            m.buf[rand() % m.len] = rand();
        if ( parse(&m, m.len, &bi) == 0 )
        {
            boot_sanitize_mmap(&bi);
            boot_check_layout(&bi, IMG_S, IMG_E);
        }
    }
}

static void test_image_identify(void **state)
{
    uint8_t buf[1024];

    memset(buf, 0, sizeof(buf));
    memcpy(buf, "\x7f" "ELF\x02", 5);
    buf[18] = 62;
    assert_int_equal(image_identify(buf, sizeof(buf)), IMAGE_ELF64);
    assert_int_equal(image_identify(buf, 19), IMAGE_ELF_OTHER);   /* truncated */
    buf[4] = 1;
    buf[18] = 3;
    assert_int_equal(image_identify(buf, sizeof(buf)), IMAGE_ELF32);
    buf[18] = 62;                  /* x86-64 code in an ELF32 container */
    assert_int_equal(image_identify(buf, sizeof(buf)), IMAGE_ELF32);
    buf[4] = 2;
    buf[18] = 3;
    assert_int_equal(image_identify(buf, sizeof(buf)), IMAGE_ELF64);
    buf[18] = 40;                  /* ARM */
    assert_int_equal(image_identify(buf, sizeof(buf)), IMAGE_ELF_OTHER);
    buf[18] = 62;
    buf[4] = 3;                    /* no such class */
    assert_int_equal(image_identify(buf, sizeof(buf)), IMAGE_ELF_OTHER);
    memset(buf, 0, sizeof(buf));
    buf[0x1fe] = 0x55;
    buf[0x1ff] = 0xaa;
    memcpy(buf + 0x202, "HdrS", 4);
    assert_int_equal(image_identify(buf, sizeof(buf)), IMAGE_BZIMAGE);
    assert_int_equal(image_identify(buf, 0x205), IMAGE_UNKNOWN);   /* truncated */
    memcpy(buf, "\xfd" "7zXZ\0", 6);
    memset(buf + 0x1fe, 0, 8);
    assert_int_equal(image_identify(buf, 6), IMAGE_XZ);
    assert_int_equal(image_identify("\x1f\x8b", 2), IMAGE_GZIP);
    assert_int_equal(image_identify("\x1f", 1), IMAGE_UNKNOWN);
    assert_int_equal(image_identify(NULL, 0), IMAGE_UNKNOWN);
    assert_string_equal(image_kind_name(IMAGE_UNKNOWN), "unknown format");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_rsdp),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_total_size_lies),
        cmocka_unit_test(test_tag_runs_past_end),
        cmocka_unit_test(test_missing_end_tag),
        cmocka_unit_test(test_missing_mmap),
        cmocka_unit_test(test_unterminated_string),
        cmocka_unit_test(test_bad_mmap_entry_size),
        cmocka_unit_test(test_huge_mmap_entry_size),
        cmocka_unit_test(test_absurd_sizes),
        cmocka_unit_test(test_zero_length_module),
        cmocka_unit_test(test_too_many_modules),
        cmocka_unit_test(test_module_overlaps_image),
        cmocka_unit_test(test_modules_overlap),
        cmocka_unit_test(test_module_outside_ram),
        cmocka_unit_test(test_mmap_overlaps_image),
        cmocka_unit_test(test_no_ram_above_1m),
        cmocka_unit_test(test_sanitize_overlaps),
        cmocka_unit_test(test_sanitize_rounds_ram_to_pages),
        cmocka_unit_test(test_sanitize_ram_in_the_last_page),
        cmocka_unit_test(test_random_garbage),
        cmocka_unit_test(test_image_identify),
    };

    int rc = cmocka_run_group_tests_name("multiboot2", tests, NULL, NULL);

    free(live_copy);
    return rc;
}

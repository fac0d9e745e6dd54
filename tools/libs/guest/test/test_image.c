/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel loading: synthetic ELF files and bzImage wrappers, good and bad;
 * each bad one must fail with a reason that names the problem.
 */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "guest_priv.h"
#include "synth.h"

#ifndef DOM0_KERNEL
#define DOM0_KERNEL "/work/main/build/dom0/vmlinuz"
#endif

static char err[256];

static int load(const uint8_t *buf, size_t len, struct builder_image *img)
{
    err[0] = 0;
    return builder_load_kernel_buf(buf, len, img, err, sizeof(err));
}

/* Load a synthetic ELF and expect failure with `reason` in the message. */
static void expect_elf_error(const struct synth_elf *s, const char *reason)
{
    struct builder_image img;
    size_t len;
    uint8_t *elf = synth_build_elf(s, &len);

    assert_non_null(elf);
    assert_int_equal(load(elf, len, &img), -ENOEXEC);
    if ( !strstr(err, reason) )
        fail_msg("error '%s' does not mention '%s'", err, reason);
    assert_null(img.elf);
    free(elf);
}

static void test_good_elf(void **state)
{
    struct synth_elf s;
    struct builder_image img;
    size_t len;
    uint8_t *elf;

    synth_default(&s);
    elf = synth_build_elf(&s, &len);
    assert_int_equal(load(elf, len, &img), 0);
    assert_int_equal(img.phys32_entry, 0x1000100);
    assert_int_equal(img.paddr_lo, 0x1000000);
    assert_int_equal(img.paddr_hi, 0x1003000 + 0x1800);
    assert_int_equal(img.elf_len, len);
    assert_memory_equal(img.elf, elf, len);
    builder_image_free(&img);
    assert_null(img.elf);
    free(elf);
}

static void test_entry_note_forms(void **state)
{
    struct synth_elf s;
    struct builder_image img;
    size_t len;
    uint8_t *elf;

    synth_default(&s);
    s.entry_note = 4;
    s.other_note_first = 1;
    s.entry = 0x1002000;
    elf = synth_build_elf(&s, &len);
    assert_int_equal(load(elf, len, &img), 0);
    assert_int_equal(img.phys32_entry, 0x1002000);
    builder_image_free(&img);
    free(elf);
}

static void test_no_entry_note(void **state)
{
    struct synth_elf s;

    synth_default(&s);
    s.entry_note = 0;
    s.other_note_first = 1;
    expect_elf_error(&s, "no PVH entry");
}

static void test_bad_note_size(void **state)
{
    struct synth_elf s;

    synth_default(&s);
    s.entry_note = 2;
    expect_elf_error(&s, "2-byte value");
}

static void test_entry_outside_segments(void **state)
{
    struct synth_elf s;

    synth_default(&s);
    s.entry = 0x2000000;
    expect_elf_error(&s, "outside the kernel");
    s.entry = 0x100000000ull;
    expect_elf_error(&s, "outside the kernel");
}

static void test_overlapping_segments(void **state)
{
    struct synth_elf s;

    synth_default(&s);
    s.segs[1].paddr = 0x1002000;        /* inside segment 0's 0x2345 bytes */
    expect_elf_error(&s, "overlap");
}

static void test_segment_out_of_range(void **state)
{
    struct synth_elf s;

    synth_default(&s);
    s.segs[1].paddr = 0xfffff000;       /* runs past 4 GiB */
    s.segs[1].memsz = 0x2000;
    expect_elf_error(&s, "out of range");
}

static void test_filesz_above_memsz(void **state)
{
    struct synth_elf s;

    synth_default(&s);
    s.segs[0].memsz = 0x100;
    expect_elf_error(&s, "exceeds memory size");
}

static void test_truncated_elf(void **state)
{
    struct synth_elf s;
    struct builder_image img;
    size_t len;
    uint8_t *elf;

    synth_default(&s);
    elf = synth_build_elf(&s, &len);
    assert_int_equal(load(elf, len - 16, &img), -ENOEXEC);
    assert_non_null(strstr(err, "truncated"));
    assert_int_equal(load(elf, 100, &img), -ENOEXEC);    /* inside the program headers */
    assert_non_null(strstr(err, "truncated"));
    assert_int_equal(load(elf, 10, &img), -ENOEXEC);     /* not even an ELF header */
    assert_non_null(strstr(err, "not an ELF"));
    free(elf);
}

static void test_note_past_segment(void **state)
{
    struct synth_elf s;
    struct builder_image img;
    size_t len;
    uint8_t *elf;

    synth_default(&s);
    elf = synth_build_elf(&s, &len);
    /* The first note's descsz (offset 4 in it) claims far more than the segment holds. */
    const Elf64_Phdr *ph = (const Elf64_Phdr *)(elf + sizeof(Elf64_Ehdr));
    uint32_t huge = 0x10000;
    memcpy(elf + ph[0].p_offset + 4, &huge, 4);
    assert_int_equal(load(elf, len, &img), -ENOEXEC);
    assert_non_null(strstr(err, "runs past"));
    free(elf);
}

static void test_wrong_machine(void **state)
{
    struct synth_elf s;
    struct builder_image img;
    size_t len;
    uint8_t *elf;

    synth_default(&s);
    elf = synth_build_elf(&s, &len);
    elf[offsetof(Elf64_Ehdr, e_machine)] = EM_ARM;
    assert_int_equal(load(elf, len, &img), -ENOEXEC);
    assert_non_null(strstr(err, "not an x86 ELF kernel (machine 40)"));
    elf[offsetof(Elf64_Ehdr, e_machine)] = EM_386;
    elf[EI_CLASS] = 3;
    assert_int_equal(load(elf, len, &img), -ENOEXEC);
    assert_non_null(strstr(err, "ELF32/ELF64"));
    free(elf);
}

/*
 * Xen's loader takes ELF32 kernels, i386 or x86-64 code alike, and starts
 * them at their PHYS32_ENTRY; an ELF64 with machine i386 too.
 */
static void test_elf32_kernels(void **state)
{
    static const uint16_t machines[] = { EM_386, EM_X86_64 };
    struct synth_elf s;
    struct builder_image img;
    size_t len;
    uint8_t *elf, *elf32;

    synth_default(&s);
    s.entry_note = 4;
    elf = synth_build_elf(&s, &len);
    for ( unsigned int i = 0; i < 2; i++ )
    {
        uint8_t *dst = calloc(1, 0x10000);

        elf32 = synth_to_elf32(elf, len, machines[i]);
        assert_int_equal(load(elf32, len, &img), 0);
        assert_int_equal(img.phys32_entry, 0x1000100);
        assert_int_equal(img.paddr_lo, 0x1000000);
        assert_int_equal(img.paddr_hi, 0x1003000 + 0x1800);
        /* Its segments land as the ELF64 one's do. */
        assert_int_equal(elf_load_segments(&img, dst, 0x1000000, 0x10000, err, sizeof(err)), 0);
        assert_int_equal(dst[0], 0x10);
        assert_int_equal(dst[0x3000], 0x80);
        assert_int_equal(dst[0x3800], 0);
        builder_image_free(&img);
        free(dst);
        free(elf32);
    }
    elf[offsetof(Elf64_Ehdr, e_machine)] = EM_386;
    assert_int_equal(load(elf, len, &img), 0);
    builder_image_free(&img);
    /* A 32-bit header whose program headers say they are 64-bit ones. */
    elf32 = synth_to_elf32(elf, len, EM_X86_64);
    elf32[offsetof(Elf32_Ehdr, e_phentsize)] = sizeof(Elf64_Phdr);
    assert_int_equal(load(elf32, len, &img), -ENOEXEC);
    assert_non_null(strstr(err, "program header table"));
    /* Cut inside the program headers. */
    assert_int_equal(load(elf32, sizeof(Elf32_Ehdr) + 8, &img), -ENOEXEC);
    free(elf32);
    free(elf);
}

static void test_not_a_kernel(void **state)
{
    static uint8_t junk[4096];
    struct builder_image img;

    memset(junk, 0x5a, sizeof(junk));
    assert_int_equal(load(junk, sizeof(junk), &img), -ENOEXEC);
    assert_non_null(strstr(err, "not a kernel"));
    assert_int_equal(load(junk, 0, &img), -ENOEXEC);
}

/* ---- bzImage ---- */

static uint8_t *default_bzimage(enum synth_comp comp, size_t *len)
{
    struct synth_elf s;
    size_t elen;
    uint8_t *elf, *bz;

    synth_default(&s);
    elf = synth_build_elf(&s, &elen);
    bz = synth_build_bzimage(elf, elen, comp, len);
    free(elf);
    return bz;
}

static void check_bzimage_loads(enum synth_comp comp)
{
    struct builder_image img;
    size_t len;
    uint8_t *bz = default_bzimage(comp, &len);

    assert_int_equal(load(bz, len, &img), 0);
    assert_int_equal(img.phys32_entry, 0x1000100);
    assert_int_equal(img.paddr_hi, 0x1004800);
    assert_memory_equal(img.elf, "\177ELF", 4);
    builder_image_free(&img);
    free(bz);
}

static void test_bzimage_gzip(void **state)
{
    check_bzimage_loads(SYNTH_GZIP);
}

static void test_bzimage_xz(void **state)
{
    check_bzimage_loads(SYNTH_XZ);
}

static void check_corrupt_payload(enum synth_comp comp, const char *reason)
{
    struct builder_image img;
    size_t len;
    uint8_t *bz = default_bzimage(comp, &len);
    size_t off = synth_payload_offset(bz), plen = synth_payload_length(bz);

    /* Scramble the middle of the compressed stream. */
    for ( size_t i = plen / 3; i < plen / 3 + 32; i++ )
        bz[off + i] ^= 0xa5;
    assert_int_equal(load(bz, len, &img), -EINVAL);
    if ( !strstr(err, reason) )
        fail_msg("error '%s' does not mention '%s'", err, reason);
    free(bz);
}

static void test_bzimage_corrupt(void **state)
{
    check_corrupt_payload(SYNTH_GZIP, "corrupt gzip");
    check_corrupt_payload(SYNTH_XZ, "corrupt xz");
}

static void check_short_payload(enum synth_comp comp, const char *reason)
{
    struct builder_image img;
    size_t len;
    uint8_t *bz = default_bzimage(comp, &len);
    uint32_t plen = (uint32_t)synth_payload_length(bz) / 2;

    /* The header says the stream is half as long as it is: it ends early. */
    memcpy(bz + 0x24c, &plen, 4);
    assert_int_equal(load(bz, len, &img), -EINVAL);
    if ( !strstr(err, reason) )
        fail_msg("error '%s' does not mention '%s'", err, reason);
    free(bz);
}

static void test_bzimage_stream_cut_short(void **state)
{
    check_short_payload(SYNTH_GZIP, "corrupt gzip payload: truncated");
    check_short_payload(SYNTH_XZ, "corrupt xz payload: truncated");
}

static void test_bzimage_truncated_file(void **state)
{
    struct builder_image img;
    size_t len;
    uint8_t *bz = default_bzimage(SYNTH_XZ, &len);

    assert_int_equal(load(bz, len - 40, &img), -ENOEXEC);
    assert_non_null(strstr(err, "bzImage truncated"));
    free(bz);
}

static void test_bzimage_old_protocol(void **state)
{
    struct builder_image img;
    size_t len;
    uint8_t *bz = default_bzimage(SYNTH_GZIP, &len);

    bz[0x206] = 0x06;                   /* 2.06: no payload fields */
    assert_int_equal(load(bz, len, &img), -ENOEXEC);
    assert_non_null(strstr(err, "2.08"));
    free(bz);
}

static void test_bzimage_zstd_refused(void **state)
{
    static const uint8_t zstd[] = { 0x28, 0xb5, 0x2f, 0xfd };
    struct builder_image img;
    size_t len;
    uint8_t *bz = default_bzimage(SYNTH_GZIP, &len);

    memcpy(bz + synth_payload_offset(bz), zstd, sizeof(zstd));
    assert_int_equal(load(bz, len, &img), -ENOTSUP);
    assert_non_null(strstr(err, "zstd"));
    free(bz);
}

static void test_bzimage_payload_not_elf(void **state)
{
    static const uint8_t text[] = "this is not an ELF file, just text long enough";
    struct builder_image img;
    size_t len;
    uint8_t *bz = synth_build_bzimage(text, sizeof(text), SYNTH_XZ, &len);

    assert_int_equal(load(bz, len, &img), -ENOEXEC);
    assert_non_null(strstr(err, "not an ELF"));
    free(bz);
}

/* ---- loading segments ---- */

static void test_load_segments(void **state)
{
    struct synth_elf s;
    struct builder_image img;
    size_t len;
    uint8_t *elf, *mem;

    synth_default(&s);
    elf = synth_build_elf(&s, &len);
    assert_int_equal(load(elf, len, &img), 0);
    mem = malloc(0x5000);
    memset(mem, 0xcc, 0x5000);
    assert_int_equal(elf_load_segments(&img, mem, 0x1000000, 0x5000, err, sizeof(err)), 0);
    assert_int_equal(mem[0], 0x10);
    assert_int_equal(mem[0x2344], (uint8_t)(0x10 + 0x2344));
    assert_int_equal(mem[0x2345], 0xcc);                /* a gap: not ours to touch */
    assert_int_equal(mem[0x3000], 0x80);
    assert_int_equal(mem[0x37ff], (uint8_t)(0x80 + 0x7ff));
    for ( unsigned int i = 0x3800; i < 0x4800; i++ )    /* bss */
        assert_int_equal(mem[i], 0);
    assert_int_equal(mem[0x4800], 0xcc);

    /* A destination that does not cover the segments is refused. */
    assert_int_equal(elf_load_segments(&img, mem, 0x1000000, 0x4000, err, sizeof(err)), -ERANGE);
    assert_int_equal(elf_load_segments(&img, mem, 0x1001000, 0x5000, err, sizeof(err)), -ERANGE);
    free(mem);
    builder_image_free(&img);
    free(elf);
}

/* ---- files ---- */

static void test_load_from_file(void **state)
{
    char path[] = "/tmp/tn-kernel-XXXXXX";
    struct builder_image img;
    size_t len;
    uint8_t *bz = default_bzimage(SYNTH_XZ, &len);
    int fd = mkstemp(path);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, bz, len), (ssize_t)len);
    close(fd);
    assert_int_equal(builder_load_kernel_file(path, &img, err, sizeof(err)), 0);
    assert_int_equal(img.phys32_entry, 0x1000100);
    builder_image_free(&img);
    unlink(path);
    free(bz);

    assert_int_equal(builder_load_kernel_file("/nonexistent/vmlinuz", &img, err, sizeof(err)),
                     -ENOENT);
    assert_non_null(strstr(err, "cannot open"));
}

static void test_debian_kernel(void **state)
{
    struct builder_image img;

    if ( access(DOM0_KERNEL, R_OK) )
    {
        print_message("%s absent: skipped\n", DOM0_KERNEL);
        skip();
    }
    if ( builder_load_kernel_file(DOM0_KERNEL, &img, err, sizeof(err)) )
        fail_msg("%s: %s", DOM0_KERNEL, err);
    /* Linux links itself at 16 MiB physical and its PVH entry lies inside. */
    assert_true(img.paddr_lo >= 0x100000);
    assert_true(img.phys32_entry >= img.paddr_lo && img.phys32_entry < img.paddr_hi);
    print_message("%s: entry %#x, loads at %#llx-%#llx\n", DOM0_KERNEL, img.phys32_entry,
                  (unsigned long long)img.paddr_lo, (unsigned long long)img.paddr_hi);
    builder_image_free(&img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_elf),
        cmocka_unit_test(test_entry_note_forms),
        cmocka_unit_test(test_no_entry_note),
        cmocka_unit_test(test_bad_note_size),
        cmocka_unit_test(test_entry_outside_segments),
        cmocka_unit_test(test_overlapping_segments),
        cmocka_unit_test(test_segment_out_of_range),
        cmocka_unit_test(test_filesz_above_memsz),
        cmocka_unit_test(test_truncated_elf),
        cmocka_unit_test(test_note_past_segment),
        cmocka_unit_test(test_wrong_machine),
        cmocka_unit_test(test_elf32_kernels),
        cmocka_unit_test(test_not_a_kernel),
        cmocka_unit_test(test_bzimage_gzip),
        cmocka_unit_test(test_bzimage_xz),
        cmocka_unit_test(test_bzimage_corrupt),
        cmocka_unit_test(test_bzimage_stream_cut_short),
        cmocka_unit_test(test_bzimage_truncated_file),
        cmocka_unit_test(test_bzimage_old_protocol),
        cmocka_unit_test(test_bzimage_zstd_refused),
        cmocka_unit_test(test_bzimage_payload_not_elf),
        cmocka_unit_test(test_load_segments),
        cmocka_unit_test(test_load_from_file),
        cmocka_unit_test(test_debian_kernel),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

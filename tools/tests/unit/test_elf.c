/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ELF loader tests: images built in a buffer exactly as long as the image
 * (so ASan catches any read past it), ELF64 and ELF32, Xen notes as Linux
 * emits them, then damaged headers, segments and notes.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <public/elfnote.h>
#include <xen/elf.h>
#include <xen/errno.h>

struct img {
    uint8_t b[4096];
    size_t len;
};

static void p16(struct img *m, size_t o, uint16_t v) { memcpy(m->b + o, &v, 2); }
static void p32(struct img *m, size_t o, uint32_t v) { memcpy(m->b + o, &v, 4); }
static void p64(struct img *m, size_t o, uint64_t v) { memcpy(m->b + o, &v, 8); }

#define PH 64          /* program headers right after the ELF64 header */
#define NOTES 0x200
#define CODE 0x400

/* Append a note at *off; returns the next offset. */
static size_t note(struct img *m, size_t off, const char *name, uint32_t type,
                   const void *desc, uint32_t descsz)
{
    uint32_t namesz = strlen(name) + 1;

    p32(m, off, namesz);
    p32(m, off + 4, descsz);
    p32(m, off + 8, type);
    memcpy(m->b + off + 12, name, namesz);
    off += 12 + ((namesz + 3) & ~3u);
    memcpy(m->b + off, desc, descsz);
    return off + ((descsz + 3) & ~3u);
}

/* A PVH-style ELF64 kernel: one PT_NOTE with Xen notes, two PT_LOADs. */
static void build64(struct img *m)
{
    size_t n = NOTES;
    uint32_t entry = 0x1000040;

    memset(m, 0, sizeof(*m));
    memcpy(m->b, "\x7f" "ELF", 4);
    m->b[4] = 2; m->b[5] = 1; m->b[6] = 1;
    p16(m, 16, 2); p16(m, 18, 62); p32(m, 20, 1);
    p64(m, 24, 0xffffffff81000000ULL);
    p64(m, 32, PH);
    p16(m, 52, 64); p16(m, 54, 56); p16(m, 56, 3);

    n = note(m, n, "Xen", XEN_ELFNOTE_GUEST_OS, "linux", 6);
    n = note(m, n, "GNU", 3, "\x01\x02\x03\x04", 4);            /* ignored */
    n = note(m, n, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, &entry, 4);
    n = note(m, n, "Xen", XEN_ELFNOTE_FEATURES, "!writable_page_tables", 22);
    n = note(m, n, "Xen", XEN_ELFNOTE_SUPPORTED_FEATURES, "\x01\x00\x00\x00", 4);

    /* PT_NOTE */
    p32(m, PH, 4); p64(m, PH + 8, NOTES); p64(m, PH + 32, n - NOTES);
    /* PT_LOAD: code, then bss-like memsz > filesz */
    p32(m, PH + 56, 1); p64(m, PH + 56 + 8, CODE); p64(m, PH + 56 + 24, 0x1000000);
    p64(m, PH + 56 + 32, 0x100); p64(m, PH + 56 + 40, 0x100);
    p32(m, PH + 112, 1); p64(m, PH + 112 + 8, CODE + 0x100);
    p64(m, PH + 112 + 24, 0x1200000);
    p64(m, PH + 112 + 32, 0x80); p64(m, PH + 112 + 40, 0x3000);
    memset(m->b + CODE, 0x90, 0x180);
    m->len = CODE + 0x180;
}

static struct elf_info info;

static int parse(const struct img *m, size_t len)
{
    uint8_t *copy = malloc(len ? len : 1);
    int rc;

    memcpy(copy, m->b, len);
    rc = elf_parse(copy, len, &info);
    free(copy);
    return rc;
}

static void test_elf64_pvh_kernel(void **state)
{
    struct img m;

    build64(&m);
    assert_int_equal(parse(&m, m.len), 0);
    assert_true(info.is64);
    assert_int_equal(info.nr_segs, 2);
    assert_true(info.has_phys32_entry);
    assert_int_equal(info.phys32_entry, 0x1000040);
    assert_string_equal(info.guest_os, "linux");
    assert_string_equal(info.features, "!writable_page_tables");
    assert_int_equal(info.supported_features, 1);
    assert_int_equal(info.load_lo, 0x1000000);
    assert_int_equal(info.load_hi, 0x1203000);
    assert_int_equal(info.segs[1].memsz, 0x3000);
}

static void test_elf32(void **state)
{
    struct img m;

    memset(&m, 0, sizeof(m));
    memcpy(m.b, "\x7f" "ELF", 4);
    m.b[4] = 1; m.b[5] = 1;
    p16(&m, 16, 2); p16(&m, 18, 3);
    p32(&m, 24, 0x100000);
    p32(&m, 28, 52);
    p16(&m, 42, 32); p16(&m, 44, 1);
    p32(&m, 52, 1); p32(&m, 56, 0x100); p32(&m, 64, 0x100000);
    p32(&m, 68, 0x10); p32(&m, 72, 0x20);
    m.len = 0x110;
    assert_int_equal(parse(&m, m.len), 0);
    assert_false(info.is64);
    assert_int_equal(info.entry, 0x100000);
    assert_false(info.has_phys32_entry);
    assert_int_equal(info.load_hi, 0x100020);
}

/*
 * An x86-64 kernel linked into an ELF32 container with a PHYS32_ENTRY
 * note, as Xen's loader takes it.
 */
static void test_elf32_x86_64_pvh(void **state)
{
    uint32_t entry = 0x100040;
    struct img m;
    size_t n;

    memset(&m, 0, sizeof(m));
    memcpy(m.b, "\x7f" "ELF", 4);
    m.b[4] = 1; m.b[5] = 1;
    p16(&m, 16, 2); p16(&m, 18, 62);
    p32(&m, 24, 0x100000);
    p32(&m, 28, 52);
    p16(&m, 42, 32); p16(&m, 44, 2);
    n = note(&m, NOTES, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, &entry, 4);
    p32(&m, 52, 4); p32(&m, 56, NOTES); p32(&m, 68, n - NOTES);
    p32(&m, 84, 1); p32(&m, 88, CODE); p32(&m, 96, 0x100000);
    p32(&m, 100, 0x80); p32(&m, 104, 0x1000);
    m.len = CODE + 0x80;
    assert_int_equal(parse(&m, m.len), 0);
    assert_false(info.is64);
    assert_true(info.has_phys32_entry);
    assert_int_equal(info.phys32_entry, 0x100040);
    assert_int_equal(info.nr_segs, 1);
    assert_int_equal(info.load_lo, 0x100000);
    assert_int_equal(info.load_hi, 0x101000);
    /* An ELF64 whose machine says i386 is taken too; ARM in ELF32 is not. */
    build64(&m);
    p16(&m, 18, 3);
    assert_int_equal(parse(&m, m.len), 0);
    p16(&m, 18, 40);
    m.b[4] = 1;
    assert_int_equal(parse(&m, m.len), -ENOEXEC);
}

struct placed { uint64_t paddr, filesz, memsz; uint8_t first; };

static int place(uint64_t paddr, const void *src, uint64_t filesz,
                 uint64_t memsz, void *ctx)
{
    struct placed *p = ctx;
    unsigned int i = 0;

    while ( p[i].memsz )
        i++;
    p[i] = (struct placed){ paddr, filesz, memsz, *(const uint8_t *)src };
    return paddr == 0xdead000 ? -EFAULT : 0;
}

static void test_load(void **state)
{
    struct img m;
    struct placed p[4] = { { 0 } };

    build64(&m);
    assert_int_equal(parse(&m, m.len), 0);
    assert_int_equal(elf_load(m.b, &info, place, p), 0);
    assert_int_equal(p[0].paddr, 0x1000000);
    assert_int_equal(p[0].first, 0x90);
    assert_int_equal(p[1].memsz, 0x3000);
    assert_int_equal(p[1].filesz, 0x80);
    /* A placement error stops the load and is returned. */
    info.segs[0].paddr = 0xdead000;
    memset(p, 0, sizeof(p));
    assert_int_equal(elf_load(m.b, &info, place, p), -EFAULT);
    assert_int_equal(p[1].memsz, 0);
}

static void test_not_elf(void **state)
{
    struct img m;

    memset(&m, 0x41, sizeof(m));
    assert_int_equal(parse(&m, 200), -ENOEXEC);
    assert_int_equal(parse(&m, 0), -ENOEXEC);
    build64(&m);
    m.b[5] = 2;                                       /* big endian */
    assert_int_equal(parse(&m, m.len), -ENOEXEC);
    build64(&m);
    p16(&m, 18, 40);                                  /* ARM */
    assert_int_equal(parse(&m, m.len), -ENOEXEC);
    build64(&m);
    p16(&m, 16, 1);                                   /* relocatable */
    assert_int_equal(parse(&m, m.len), -ENOEXEC);
}

static void test_truncations(void **state)
{
    struct img m;
    size_t n;

    build64(&m);
    /* Cut anywhere before the end of the last segment: an error. */
    for ( n = 0; n < m.len; n++ )
        assert_int_equal(parse(&m, n), -ENOEXEC);
}

static void test_bad_program_headers(void **state)
{
    struct img m;

    build64(&m);
    p64(&m, 32, 0xfffffffffffffff0ULL);               /* phoff wraps */
    assert_int_equal(parse(&m, m.len), -ENOEXEC);
    build64(&m);
    p16(&m, 56, 0xffff);                              /* absurd phnum */
    assert_int_equal(parse(&m, m.len), -ENOEXEC);
    build64(&m);
    p16(&m, 54, 8);                                   /* phentsize too small */
    assert_int_equal(parse(&m, m.len), -ENOEXEC);
    build64(&m);
    p16(&m, 56, 0);                                   /* none */
    assert_int_equal(parse(&m, m.len), -ENOEXEC);
}

static void test_bad_segments(void **state)
{
    struct img m;

    build64(&m);
    p64(&m, PH + 56 + 32, 0x200);                     /* filesz > memsz */
    assert_int_equal(parse(&m, m.len), -ENOEXEC);
    build64(&m);
    p64(&m, PH + 56 + 8, 0xfffffffffffff000ULL);      /* offset out of image */
    assert_int_equal(parse(&m, m.len), -ENOEXEC);
    build64(&m);
    p64(&m, PH + 56 + 24, 0xffffffffffffff80ULL);     /* paddr + memsz wraps */
    assert_int_equal(parse(&m, m.len), -ENOEXEC);
    build64(&m);
    p32(&m, PH + 56, 6);                              /* no PT_LOAD left */
    p32(&m, PH + 112, 6);
    host_test_log_clear();
    assert_int_equal(parse(&m, m.len), -ENOEXEC);
    assert_true(host_test_log_contains("no loadable segments"));
}

static void test_bad_notes(void **state)
{
    struct img m;

    build64(&m);
    p32(&m, NOTES + 4, 0x10000);                      /* descsz past segment */
    host_test_log_clear();
    assert_int_equal(parse(&m, m.len), -ENOEXEC);
    assert_true(host_test_log_contains("note runs past"));
    build64(&m);
    p32(&m, NOTES, 0xfffffff0);                       /* namesz huge */
    assert_int_equal(parse(&m, m.len), -ENOEXEC);
    build64(&m);
    p64(&m, PH + 32, 0x10000);                        /* PT_NOTE past image */
    assert_int_equal(parse(&m, m.len), -ENOEXEC);
    /* A short PHYS32_ENTRY note is ignored, not misread. */
    build64(&m);
    p32(&m, NOTES + 12 + 4 + 8 + 12 + 4 + 4 + 4, 2);
    parse(&m, m.len);
}

static void test_random_damage(void **state)
{
    struct img m;
    unsigned int round, i;

    srand(4242);
    for ( round = 0; round < 3000; round++ )
    {
        build64(&m);
        for ( i = 0; i < 1 + (unsigned)rand() % 6; i++ )
            m.b[rand() % m.len] = rand();
        if ( parse(&m, m.len) == 0 )
        {
            /* Whatever was accepted lies inside the image. */
            for ( i = 0; i < info.nr_segs; i++ )
                assert_true(info.segs[i].offset + info.segs[i].filesz <= m.len);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_elf64_pvh_kernel),
        cmocka_unit_test(test_elf32),
        cmocka_unit_test(test_elf32_x86_64_pvh),
        cmocka_unit_test(test_load),
        cmocka_unit_test(test_not_elf),
        cmocka_unit_test(test_truncations),
        cmocka_unit_test(test_bad_program_headers),
        cmocka_unit_test(test_bad_segments),
        cmocka_unit_test(test_bad_notes),
        cmocka_unit_test(test_random_damage),
    };

    return cmocka_run_group_tests_name("elf", tests, NULL, NULL);
}

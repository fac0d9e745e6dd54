/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The symbol table: symbols_lookup() (common/symbols.c) over synthetic
 * tables, and the build tool xen/tools/symbols run on sample nm output,
 * its assembly built with the host compiler and loaded to check the table
 * it describes.
 */
#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include <xen/symbols.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A text range and a table the tests fill in (symbols.c reads them). */
#define TEXT_SIZE 0x10000
const char _stext[TEXT_SIZE] __attribute__((aligned(16)));
__asm__ ( ".globl _etext\n.set _etext, _stext + 0x10000" );
#define MAX_SYMS 1000
unsigned long symbols_nr;
unsigned long symbols_addrs[MAX_SYMS];
uint32_t symbols_name_offs[MAX_SYMS];
char symbols_names[MAX_SYMS * 8];

static unsigned long text(unsigned long off)
{
    return (unsigned long)_stext + off;
}

/* Symbols named s0, s1, ... at the given offsets into the text. */
static void make_table(const unsigned long *offs, unsigned int n)
{
    unsigned int i, pos = 0;

    assert_true(n <= MAX_SYMS);
    for ( i = 0; i < n; i++ )
    {
        symbols_addrs[i] = text(offs[i]);
        symbols_name_offs[i] = pos;
        pos += sprintf(symbols_names + pos, "s%u", i) + 1;
    }
    symbols_nr = n;
}

static void expect(unsigned long addr, const char *name, unsigned long off,
                   unsigned long size)
{
    unsigned long got_off = ~0UL, got_size = ~0UL;
    const char *got = symbols_lookup(addr, &got_off, &got_size);

    if ( !name )
    {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, name);
    assert_int_equal(got_off, off);
    assert_int_equal(got_size, size);
}

static void test_lookup_edges(void **state)
{
    static const unsigned long offs[] = { 0x10, 0x100, 0x180, 0x181 };

    make_table(offs, ARRAY_SIZE(offs));
    expect(text(0) - 1, NULL, 0, 0);           /* below the text */
    expect(text(0), NULL, 0, 0);               /* before the first symbol */
    expect(text(0xf), NULL, 0, 0);
    expect(text(0x10), "s0", 0, 0xf0);
    expect(text(0xff), "s0", 0xef, 0xf0);
    expect(text(0x100), "s1", 0, 0x80);
    expect(text(0x180), "s2", 0, 1);           /* a one-byte symbol */
    expect(text(0x181), "s3", 0, TEXT_SIZE - 0x181);
    expect(text(TEXT_SIZE - 1), "s3", TEXT_SIZE - 1 - 0x181, TEXT_SIZE - 0x181);
    expect(text(TEXT_SIZE), NULL, 0, 0);       /* _etext is past the end */
    expect(0, NULL, 0, 0);
    expect(~0UL, NULL, 0, 0);
    /* offset and size are optional. */
    assert_string_equal(symbols_lookup(text(0x120), NULL, NULL), "s1");
}

static void test_lookup_small_tables(void **state)
{
    static const unsigned long one[] = { 0 };

    symbols_nr = 0;                            /* the first link's table */
    expect(text(0x40), NULL, 0, 0);
    make_table(one, 1);
    expect(text(0), "s0", 0, TEXT_SIZE);
    expect(text(0x1234), "s0", 0x1234, TEXT_SIZE);
}

/* A large table with irregular gaps, against a linear search. */
static void test_lookup_many(void **state)
{
    unsigned long offs[MAX_SYMS], addr, pos = 8;
    unsigned int i;

    for ( i = 0; i < MAX_SYMS; i++ )
    {
        offs[i] = pos;
        pos += 1 + (i * 37) % 53;
    }
    assert_true(pos < TEXT_SIZE);
    make_table(offs, MAX_SYMS);

    for ( addr = 0; addr < pos + 64; addr++ )
    {
        char name[16];
        unsigned long end;

        if ( addr < offs[0] )
        {
            expect(text(addr), NULL, 0, 0);
            continue;
        }
        for ( i = MAX_SYMS - 1; offs[i] > addr; i-- )
            ;
        end = i + 1 < MAX_SYMS ? offs[i + 1] : TEXT_SIZE;
        sprintf(name, "s%u", i);
        expect(text(addr), name, addr - offs[i], end - offs[i]);
    }
}

/* ---------------------------------------------------------------------
 * The tool.
 */

struct table {
    void *handle;
    unsigned long nr;
    const unsigned long *addrs;
    const uint32_t *name_offs;
    const char *names;
};

static char *tmp_path(const char *name)
{
    static char path[4][512];
    static unsigned int next;
    char *p = path[next++ % ARRAY_SIZE(path)];

    snprintf(p, sizeof(path[0]), "%s/symbols-test-%d-%s", TEST_TMPDIR,
             (int)getpid(), name);
    return p;
}

/* Run a shell command; its exit status. */
static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    int rc;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    rc = system(cmd);
    assert_true(rc != -1 && WIFEXITED(rc));
    return WEXITSTATUS(rc);
}

/*
 * Feed nm_text (NULL: use --empty) to the tool, build its output into a
 * shared object and load it.
 */
static void build_table(const char *nm_text, struct table *t)
{
    char *in = tmp_path("nm.txt"), *s = tmp_path("table.S");
    char *o = tmp_path("table.o"), *so = tmp_path("table.so");
    FILE *f = fopen(in, "w");

    assert_non_null(f);
    fputs(nm_text ? nm_text : "", f);
    fclose(f);
    assert_int_equal(run("%s %s < %s > %s", SYMBOLS_TOOL,
                         nm_text ? "" : "--empty", in, s), 0);
    /* As the hypervisor build assembles it, then as something loadable. */
    assert_int_equal(run("%s -D__ASSEMBLY__ -c %s -o %s", HOST_CC, s, o), 0);
    assert_int_equal(run("%s -shared -nostdlib -o %s %s", HOST_CC, so, o), 0);

    t->handle = dlopen(so, RTLD_NOW | RTLD_LOCAL);
    if ( !t->handle )
        fail_msg("dlopen: %s", dlerror());
    t->nr = *(const unsigned long *)dlsym(t->handle, "symbols_nr");
    t->addrs = dlsym(t->handle, "symbols_addrs");
    t->name_offs = dlsym(t->handle, "symbols_name_offs");
    t->names = dlsym(t->handle, "symbols_names");
    assert_non_null(t->addrs);
    assert_non_null(t->name_offs);
    assert_non_null(t->names);
    assert_int_equal((unsigned long)t->addrs % 8, 0);
    unlink(in);
    unlink(s);
    unlink(o);
    unlink(so);
}

static void free_table(struct table *t)
{
    dlclose(t->handle);
}

static const char *entry_name(const struct table *t, unsigned int i)
{
    return t->names + t->name_offs[i];
}

static void test_tool_table(void **state)
{
    /* What nm -n --defined-only prints, with the cases that matter. */
    static const char nm_text[] =
        "0000000000000000 A abs_symbol\n"
        "ffffffff80200000 T _start\n"
        "ffffffff80200000 T _stext\n"
        "ffffffff80200000 t mb2_header\n"
        "ffffffff80200028 t mb2_header_end\n"   /* local label ... */
        "ffffffff80200028 T start32\n"          /* ... at a function */
        "ffffffff80200100 t local_fn\n"
        "ffffffff80200180 W weak_fn\n"
        "ffffffff80200190 w weak_local\n"
        "ffffffff80200200 T a_function_with_a_rather_long_name_for_testing\n"
        "ffffffff80201000 R read_only\n"
        "ffffffff80201008 r local_ro\n"
        "ffffffff80202000 D data\n"
        "ffffffff80202008 d local_data\n"
        "ffffffff80203000 B bss\n"
        "ffffffff80203008 b local_bss\n"
        "                 U undefined\n"
        "garbage line\n"
        "\n"
        "ffffffff80200050 T out_of_order\n";    /* sorted all the same */
    static const struct { unsigned long addr; const char *name; } want[] = {
        { 0xffffffff80200000UL, "_start" },
        { 0xffffffff80200028UL, "start32" },
        { 0xffffffff80200050UL, "out_of_order" },
        { 0xffffffff80200100UL, "local_fn" },
        { 0xffffffff80200180UL, "weak_fn" },
        { 0xffffffff80200190UL, "weak_local" },
        { 0xffffffff80200200UL, "a_function_with_a_rather_long_name_for_testing" },
    };
    struct table t;
    unsigned int i;

    build_table(nm_text, &t);
    assert_int_equal(t.nr, ARRAY_SIZE(want));
    for ( i = 0; i < t.nr; i++ )
    {
        assert_int_equal(t.addrs[i], want[i].addr);
        assert_string_equal(entry_name(&t, i), want[i].name);
    }
    free_table(&t);
}

static void test_tool_empty(void **state)
{
    struct table t;

    build_table(NULL, &t);
    assert_int_equal(t.nr, 0);
    assert_string_equal(t.names, "");
    free_table(&t);

    /* Empty input gives the same shape. */
    build_table("", &t);
    assert_int_equal(t.nr, 0);
    free_table(&t);
}

static void test_tool_bad_usage(void **state)
{
    assert_int_equal(run("%s --bogus < /dev/null > /dev/null 2>&1", SYMBOLS_TOOL), 2);
    assert_int_equal(run("%s --empty extra < /dev/null > /dev/null 2>&1",
                         SYMBOLS_TOOL), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup_edges),
        cmocka_unit_test(test_lookup_small_tables),
        cmocka_unit_test(test_lookup_many),
        cmocka_unit_test(test_tool_table),
        cmocka_unit_test(test_tool_empty),
        cmocka_unit_test(test_tool_bad_usage),
    };

    return cmocka_run_group_tests_name("symbols", tests, NULL, NULL);
}

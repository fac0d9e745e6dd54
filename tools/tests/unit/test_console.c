/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Console tests, against the real console.c (the harness's printk and
 * panic are weak and give way): what reaches a sink after loglvl filtering,
 * the "(XEN) " line prefix, the ring buffer's wrap-around and lost-byte
 * accounting, and that panic() prints and calls the arch halt hook.
 */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <xen/console.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/smp.h>

/* vsprintf.c's %pS needs a symbol table; an empty one will do. */
const char _stext[16], _etext[1];
const unsigned long symbols_nr;
const unsigned long symbols_addrs[1];
const uint32_t symbols_name_offs[1];
const char symbols_names[1];

unsigned int smp_processor_id(void) { return 3; }

static jmp_buf halted;
void arch_panic_halt(void)
{
    longjmp(halted, 1);
}

static char sink_buf[8192];
static size_t sink_len;

static void sink(const char *s, size_t len)
{
    assert_true(sink_len + len < sizeof(sink_buf));
    memcpy(sink_buf + sink_len, s, len);
    sink_len += len;
    sink_buf[sink_len] = '\0';
}

static int setup(void **state)
{
    static bool registered;

    if ( !registered )
        assert_int_equal(console_register_sink(sink), 0);
    registered = true;
    sink_len = 0;
    sink_buf[0] = '\0';
    return 0;
}

static void test_prefix_per_line(void **state)
{
    printk("one\ntwo\n");
    printk("three ");
    printk("continued\n");
    assert_string_equal(sink_buf, "(XEN) one\n(XEN) two\n(XEN) three continued\n");
}

static void test_default_levels(void **state)
{
    /* Default loglvl is warning: errors and warnings and unprefixed text
     * print; info and debug only go to the ring. */
    uint32_t before = console_ring_head();

    printk(XENLOG_ERR "e\n");
    printk(XENLOG_WARNING "w\n");
    printk(XENLOG_INFO "i\n");
    printk(XENLOG_DEBUG "d\n");
    printk("plain\n");
    assert_string_equal(sink_buf, "(XEN) e\n(XEN) w\n(XEN) plain\n");
    /* The ring has everything, info and debug included. */
    assert_int_equal(console_ring_head() - before, 5 * 6 + 2 * 4 + 6);
}

static void test_parse_loglvl(void **state)
{
    int lo = 9, up = 9;

    assert_int_equal(console_parse_loglvl("all", &lo, &up), 0);
    assert_int_equal(lo, LOG_DEBUG);
    assert_int_equal(console_parse_loglvl("error/info", &lo, &up), 0);
    assert_int_equal(lo, LOG_ERR);
    assert_int_equal(up, LOG_INFO);
    assert_int_equal(console_parse_loglvl("info/error", &lo, &up), 0);
    assert_int_equal(up, LOG_INFO);            /* upper never below lower */
    assert_int_equal(console_parse_loglvl("none", &lo, &up), 0);
    assert_int_equal(lo, LOG_NONE);
    assert_int_equal(console_parse_loglvl("loud", &lo, &up), -1);
    assert_int_equal(console_parse_loglvl("warning/", &lo, &up), -1);
    assert_int_equal(console_parse_loglvl("", &lo, &up), -1);
}

static void test_ring_read_and_wrap(void **state)
{
    size_t size = console_ring_size();
    char *buf = malloc(size * 2);
    uint32_t idx = console_ring_head(), lost;
    unsigned int i;
    size_t n;

    assert_int_equal(size, 1024);              /* CONFIG_CONRING_SHIFT=10 */
    printk("hello\n");
    n = console_ring_read(buf, size * 2, &idx, &lost);
    assert_int_equal(n, 12);
    assert_memory_equal(buf, "(XEN) hello\n", 12);
    assert_int_equal(lost, 0);
    assert_int_equal(idx, console_ring_head());

    /* Overrun the ring: a reader left behind loses the oldest bytes. */
    for ( i = 0; i < 100; i++ )
        printk("line %03u\n", i);              /* 15 bytes each, 1500 total */
    n = console_ring_read(buf, size * 2, &idx, &lost);
    assert_int_equal(n, size);
    assert_int_equal(lost, 1500 - size);
    assert_memory_equal(buf + size - 15, "(XEN) line 099\n", 15);

    /* Small reads continue where the last one stopped. */
    idx = console_ring_head();
    printk("abcdef\n");
    assert_int_equal(console_ring_read(buf, 4, &idx, NULL), 4);
    assert_memory_equal(buf, "(XEN", 4);
    assert_int_equal(console_ring_read(buf, 100, &idx, NULL), 9);
    assert_memory_equal(buf, ") abcdef\n", 9);
    assert_int_equal(console_ring_read(buf, 100, &idx, NULL), 0);
    free(buf);
}

static void test_long_message_truncated(void **state)
{
    char big[3000];

    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    printk("%s\n", big);                       /* must not overflow */
    assert_true(sink_len > 900 && sink_len < 1100);
}

static void test_panic(void **state)
{
    /* Even with loglvl=none (set as the command line would), a panic is
     * printed. */
    cmdline_parse("loglvl=none");
    printk(XENLOG_ERR "hidden\n");
    assert_string_equal(sink_buf, "");
    if ( setjmp(halted) == 0 )
    {
        panic("the %s is on fire", "disk");
        fail_msg("panic returned");
    }
    assert_non_null(strstr(sink_buf, "Panic on CPU 3:"));
    assert_non_null(strstr(sink_buf, "(XEN) the disk is on fire\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_prefix_per_line, setup),
        cmocka_unit_test_setup(test_default_levels, setup),
        cmocka_unit_test_setup(test_parse_loglvl, setup),
        cmocka_unit_test_setup(test_ring_read_and_wrap, setup),
        cmocka_unit_test_setup(test_long_message_truncated, setup),
        cmocka_unit_test_setup(test_panic, setup),
    };

    return cmocka_run_group_tests_name("console", tests, NULL, NULL);
}

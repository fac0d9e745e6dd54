/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Console tests, against the real console.c (the harness's printk and
 * panic are weak and give way): what reaches a sink after loglvl filtering,
 * the "(XEN) " line prefix, the ring buffer's wrap-around and lost-byte
 * accounting, and that panic() prints and calls the arch halt hook.
 * loglvl= is set through the real command-line parser (common/params.c).
 */
#define _GNU_SOURCE                 /* memmem */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <xen/console.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/smp.h>

/* vsprintf.c's %pS needs a symbol table (an empty one will do); CPU 3. */
#define CONSOLE_STUBS_CPU 3
#include "console_stubs.h"
#include "sched_stubs.h"
#include <xen/event.h>

/* Console input announces itself to dom0; no domains exist here. */
struct domain *domain_lookup(domid_t id) { (void)id; return NULL; }
void send_guest_virq(struct domain *d, uint32_t vcpu, uint32_t virq)
{
    (void)d; (void)vcpu; (void)virq;
}
void arch_evtchn_notify(struct vcpu *v) { (void)v; }

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
    cmdline_parse("loglvl=warning");           /* the default */
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

/* Set loglvl= and print one line at each level; what the sink got. */
static const char *print_each_level(const char *option)
{
    cmdline_parse(option);
    sink_len = 0;
    sink_buf[0] = '\0';
    printk(XENLOG_ERR "E\n");
    printk(XENLOG_WARNING "W\n");
    printk(XENLOG_INFO "I\n");
    printk(XENLOG_DEBUG "D\n");
    printk("U\n");                              /* no prefix: warning */
    return sink_buf;
}

static void test_loglvl_thresholds(void **state)
{
    static const struct {
        const char *option, *printed;
    } cases[] = {
        { "loglvl=none", "" },
        { "loglvl=error", "(XEN) E\n" },
        { "loglvl=warning", "(XEN) E\n(XEN) W\n(XEN) U\n" },
        { "loglvl=info", "(XEN) E\n(XEN) W\n(XEN) I\n(XEN) U\n" },
        { "loglvl=debug", "(XEN) E\n(XEN) W\n(XEN) I\n(XEN) D\n(XEN) U\n" },
        { "loglvl=all", "(XEN) E\n(XEN) W\n(XEN) I\n(XEN) D\n(XEN) U\n" },
        /* No rate limiting yet: up to the rate-limited level prints. */
        { "loglvl=error/info", "(XEN) E\n(XEN) W\n(XEN) I\n(XEN) U\n" },
        { "loglvl=none/error", "(XEN) E\n" },
        { "loglvl=info/error", "(XEN) E\n(XEN) W\n(XEN) I\n(XEN) U\n" },
        { "loglvl=warning/all", "(XEN) E\n(XEN) W\n(XEN) I\n(XEN) D\n(XEN) U\n" },
    };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        uint32_t before = console_ring_head();

        if ( strcmp(print_each_level(cases[i].option), cases[i].printed) )
            fail_msg("%s printed '%s', want '%s'", cases[i].option, sink_buf,
                     cases[i].printed);
        /* The ring keeps every level whatever the threshold. */
        assert_int_equal(console_ring_head() - before, 5 * 8);
    }
}

static void test_bad_loglvl_ignored(void **state)
{
    static const char *const bad[] = {
        "loglvl=loud", "loglvl=", "loglvl", "loglvl=info/", "loglvl=/info",
        "loglvl=infos", "loglvl=inf", "loglvl=warning/loud", "loglvl=INFO",
    };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(bad); i++ )
    {
        cmdline_parse("loglvl=info");
        sink_len = 0;
        sink_buf[0] = '\0';
        cmdline_parse(bad[i]);
        /* Reported (as a warning, which info lets through) ... */
        if ( !strstr(sink_buf, "Bad value for option 'loglvl'") )
            fail_msg("'%s' not reported: '%s'", bad[i], sink_buf);
        /* ... and the previous setting stands. */
        assert_string_equal(print_each_level(""),
                            "(XEN) E\n(XEN) W\n(XEN) I\n(XEN) U\n");
    }
}

static void test_guest_loglvl_parsed(void **state)
{
    cmdline_parse("guest_loglvl=all");
    cmdline_parse("guest_loglvl=none/warning");
    assert_null(strstr(sink_buf, "Bad value"));
    cmdline_parse("guest_loglvl=noisy");
    assert_non_null(strstr(sink_buf, "Bad value for option 'guest_loglvl'"));
}

static void test_ring_clear(void **state)
{
    char buf[64];
    uint32_t idx = console_ring_head(), lost = 1;
    size_t n;

    printk("before\n");
    console_ring_clear_upto(console_ring_head());
    printk("after\n");
    /* A reader from before the clear sees only what followed, and the
     * cleared bytes do not count as lost. */
    n = console_ring_read(buf, sizeof(buf), &idx, &lost);
    assert_int_equal(n, 12);
    assert_memory_equal(buf, "(XEN) after\n", 12);
    assert_int_equal(lost, 0);
    assert_int_equal(idx, console_ring_head());
    /* So does one from the very start (whose older bytes were lost). */
    idx = 0;
    assert_int_equal(console_ring_read(buf, sizeof(buf), &idx, NULL), 12);
    assert_memory_equal(buf, "(XEN) after\n", 12);
    /* A clear up to where a short read ended keeps the rest ... */
    idx = 0;
    assert_int_equal(console_ring_read(buf, 6, &idx, NULL), 6);
    console_ring_clear_upto(idx);
    idx = 0;
    assert_int_equal(console_ring_read(buf, sizeof(buf), &idx, NULL), 6);
    assert_memory_equal(buf, "after\n", 6);
    /* ... and an older index does not bring cleared bytes back. */
    console_ring_clear_upto(idx);
    console_ring_clear_upto(idx - 3);
    idx = 0;
    assert_int_equal(console_ring_read(buf, sizeof(buf), &idx, NULL), 0);
}

static void test_partial_lines(void **state)
{
    /* A continuation gets no second prefix; an empty line gets one. */
    printk("a");
    printk("b\nc");
    printk("\n\n");
    assert_string_equal(sink_buf, "(XEN) ab\n(XEN) c\n(XEN) \n");
}

static void test_panic_long_message(void **state)
{
    char big[2000];

    memset(big, 'y', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    if ( setjmp(halted) == 0 )
    {
        panic("%s", big);
        fail_msg("panic returned");
    }
    /* Cut short, but the banner and the closing line are there. */
    assert_non_null(strstr(sink_buf, "Panic on CPU 3:\n(XEN) yyy"));
    assert_non_null(strstr(sink_buf, "yyy\n(XEN) ****************************************\n"));
    assert_true(sink_len < 1200);
}

/* A sink that panics, as a BUG in a UART driver would: under the lock. */
static bool panic_armed;

static void panicking_sink(const char *s, size_t len)
{
    if ( panic_armed && memmem(s, len, "BOOM", 4) )
    {
        panic_armed = false;
        panic("sink failed");
    }
}

static void test_panic_under_console_lock(void **state)
{
    static bool registered;

    if ( !registered )
        assert_int_equal(console_register_sink(panicking_sink), 0);
    registered = true;
    panic_armed = true;
    if ( setjmp(halted) == 0 )
    {
        printk("BOOM\n");
        fail_msg("panic returned");
    }
    /* The lock was taken over, so the message still came out ... */
    assert_non_null(strstr(sink_buf, "(XEN) Panic on CPU 3:\n(XEN) sink failed\n"));
    /* ... and the console works afterwards. */
    printk("alive\n");
    assert_non_null(strstr(sink_buf, "(XEN) alive\n"));
}

static void noop_sink(const char *s, size_t len)
{
}

/* Runs last: the sinks it adds stay registered. */
static void test_sink_limit(void **state)
{
    unsigned int added = 0;

    while ( added < CONSOLE_MAX_SINKS && console_register_sink(noop_sink) == 0 )
        added++;
    assert_true(added < CONSOLE_MAX_SINKS);     /* two were there already */
    assert_int_equal(console_register_sink(noop_sink), -ENOSPC);
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
        cmocka_unit_test_setup(test_loglvl_thresholds, setup),
        cmocka_unit_test_setup(test_bad_loglvl_ignored, setup),
        cmocka_unit_test_setup(test_guest_loglvl_parsed, setup),
        cmocka_unit_test_setup(test_ring_clear, setup),
        cmocka_unit_test_setup(test_partial_lines, setup),
        cmocka_unit_test_setup(test_panic_long_message, setup),
        cmocka_unit_test_setup(test_panic_under_console_lock, setup),
        cmocka_unit_test_setup(test_sink_limit, setup),
    };

    return cmocka_run_group_tests_name("console", tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line parser tests: every option type, Xen's boolean spellings,
 * no- negation, quoting, size units, bad values (reported, variable left
 * alone), unknown options (reported, never fatal), overlong input; and the
 * com1= syntax.
 */
#include <string.h>

#include "harness.h"
#include <xen/errno.h>
#include <xen/param.h>
#include <xen/serial_spec.h>

static bool opt_flag;
static bool opt_other = true;
static unsigned int opt_uint = 7;
static unsigned long opt_ulong;
static uint8_t opt_u8;
static uint64_t opt_size;
static char opt_str[8];
static char custom_seen[32];
static int custom_calls;

static int custom_fn(const char *v)
{
    custom_calls++;
    strncpy(custom_seen, v, sizeof(custom_seen) - 1);
    return strcmp(v, "bad") ? 0 : -1;
}

/* A table of our own, as the linker section would hold it. */
static const struct kernel_param table[] = {
    { "flag", PARAM_BOOL, sizeof(opt_flag), { .var = &opt_flag } },
    { "other", PARAM_BOOL, sizeof(opt_other), { .var = &opt_other } },
    { "num", PARAM_UINT, sizeof(opt_uint), { .var = &opt_uint } },
    { "big", PARAM_UINT, sizeof(opt_ulong), { .var = &opt_ulong } },
    { "byte", PARAM_UINT, sizeof(opt_u8), { .var = &opt_u8 } },
    { "mem", PARAM_SIZE, sizeof(opt_size), { .var = &opt_size } },
    { "str", PARAM_STRING, sizeof(opt_str), { .var = opt_str } },
    { "cust", PARAM_CUSTOM, 0, { .fn = custom_fn } },
};

/* One option registered the normal way, through the xen_params section. */
static unsigned int opt_registered;
integer_param("registered", opt_registered);

static void test_section_registration(void **state)
{
    cmdline_parse("registered=5 unknown-thing");
    assert_int_equal(opt_registered, 5);
    assert_string_equal(saved_cmdline(), "registered=5 unknown-thing");
}

static void parse(const char *s)
{
    host_test_log_clear();
    cmdline_parse_with(s, table, table + ARRAY_SIZE(table));
}

static int reset(void **state)
{
    opt_flag = false;
    opt_other = true;
    opt_uint = 7;
    opt_ulong = 0;
    opt_u8 = 0;
    opt_size = 0;
    memset(opt_str, 0, sizeof(opt_str));
    memset(custom_seen, 0, sizeof(custom_seen));
    custom_calls = 0;
    return 0;
}

static void test_bool_forms(void **state)
{
    static const char *const yes[] = { "flag", "flag=1", "flag=yes", "flag=on",
                                       "flag=true", "flag=enable" };
    static const char *const no[] = { "no-flag", "flag=0", "flag=no", "flag=off",
                                      "flag=false", "flag=disable" };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(yes); i++ )
    {
        opt_flag = false;
        parse(yes[i]);
        assert_true(opt_flag);
        opt_flag = true;
        parse(no[i]);
        assert_false(opt_flag);
    }
    parse("other=maybe");
    assert_true(opt_other);                          /* untouched */
    assert_true(host_test_log_contains("Bad value for option 'other'"));
}

static void test_integers(void **state)
{
    parse("num=42 big=0x123456789 byte=255");
    assert_int_equal(opt_uint, 42);
    assert_int_equal(opt_ulong, 0x123456789UL);
    assert_int_equal(opt_u8, 255);
    parse("byte=256 num=4294967296 num=12abc num= num=-1");
    assert_int_equal(opt_u8, 255);                   /* all refused */
    assert_int_equal(opt_uint, 42);
    assert_true(host_test_log_contains("Bad value for option 'byte'"));
    parse("num");                                    /* a number needs a value */
    assert_int_equal(opt_uint, 42);
    parse("no-num");
    assert_int_equal(opt_uint, 42);
}

static void test_sizes(void **state)
{
    parse("mem=512M");
    assert_int_equal(opt_size, 512ULL << 20);
    parse("mem=2G");
    assert_int_equal(opt_size, 2ULL << 30);
    parse("mem=3T");
    assert_int_equal(opt_size, 3ULL << 40);
    parse("mem=4096B");
    assert_int_equal(opt_size, 4096);
    parse("mem=64");                                 /* Xen: no suffix = KiB */
    assert_int_equal(opt_size, 64 << 10);
    parse("mem=1k");
    assert_int_equal(opt_size, 1024);
    parse("mem=7X");
    assert_int_equal(opt_size, 1024);
    parse("mem=99999999999999999999G");
    assert_int_equal(opt_size, 1024);
    parse("mem=20000000T");                          /* overflows 64 bits */
    assert_int_equal(opt_size, 1024);
    assert_true(host_test_log_contains("Bad value for option 'mem'"));
}

static void test_strings_and_quotes(void **state)
{
    parse("str=abc");
    assert_string_equal(opt_str, "abc");
    parse("str=\"a b\"");
    assert_string_equal(opt_str, "a b");
    parse("str=waytoolongvalue");
    assert_string_equal(opt_str, "waytool");         /* truncated, terminated */
    assert_true(host_test_log_contains("truncated"));
    parse("str=");
    assert_string_equal(opt_str, "");
}

static void test_custom(void **state)
{
    parse("cust=hello");
    assert_int_equal(custom_calls, 1);
    assert_string_equal(custom_seen, "hello");
    parse("cust=bad");
    assert_true(host_test_log_contains("Bad value for option 'cust'"));
}

static void test_unknown_and_spacing(void **state)
{
    parse("  frobnicate=7   flag\tnum=9  no-such ");
    assert_true(host_test_log_contains("Unknown command line option 'frobnicate'"));
    assert_true(host_test_log_contains("'no-such'"));
    assert_true(opt_flag);
    assert_int_equal(opt_uint, 9);
    parse("");
    parse(NULL);
    assert_int_equal(opt_uint, 9);
}

static void test_overlong_option(void **state)
{
    char buf[2000];

    memset(buf, 'x', sizeof(buf) - 1);
    buf[sizeof(buf) - 1] = '\0';
    parse(buf);                                      /* must not overflow */
    assert_true(host_test_log_contains("Unknown"));
    memcpy(buf, "num=1", 5);
    parse(buf);
    assert_int_equal(opt_uint, 7);
}

static void test_helpers(void **state)
{
    uint64_t v;

    assert_int_equal(parse_bool_value("on"), 1);
    assert_int_equal(parse_bool_value("off"), 0);
    assert_int_equal(parse_bool_value("2"), -1);
    assert_int_equal(parse_size_value("1M", &v), 0);
    assert_int_equal(v, 1 << 20);
    assert_int_equal(parse_size_value("M", &v), -1);
}

static void test_serial_spec(void **state)
{
    struct serial_spec sp;

    assert_int_equal(serial_spec_parse("115200,8n1", &sp), 0);
    assert_int_equal(sp.baud, 115200);
    assert_int_equal(sp.data_bits, 8);
    assert_int_equal(sp.parity, 'n');
    assert_int_equal(sp.stop_bits, 1);
    assert_int_equal(serial_spec_lcr(&sp), 0x03);

    assert_int_equal(serial_spec_parse("9600/1843200,7e2,0x2f8,3", &sp), 0);
    assert_int_equal(sp.base_baud, 1843200);
    assert_int_equal(sp.io_base, 0x2f8);
    assert_int_equal(sp.irq, 3);
    assert_int_equal(serial_spec_lcr(&sp), 0x02 | 0x04 | 0x18);

    /* Stick parity: mark sends a 1 (LCR 0x28), space a 0 (0x38). */
    assert_int_equal(serial_spec_parse("9600,8m1", &sp), 0);
    assert_int_equal(serial_spec_lcr(&sp), 0x03 | 0x28);
    assert_int_equal(serial_spec_parse("9600,5s2", &sp), 0);
    assert_int_equal(serial_spec_lcr(&sp), 0x00 | 0x04 | 0x38);

    assert_int_equal(serial_spec_parse("auto", &sp), 0);
    assert_int_equal(sp.baud, 0);
    assert_int_equal(serial_spec_parse("115200,,0x3e8", &sp), 0);
    assert_int_equal(sp.io_base, 0x3e8);

    assert_int_equal(serial_spec_parse("", &sp), -EINVAL);
    assert_int_equal(serial_spec_parse("fast", &sp), -EINVAL);
    assert_int_equal(serial_spec_parse("0", &sp), -EINVAL);
    assert_int_equal(serial_spec_parse("115200,9n1", &sp), -EINVAL);
    assert_int_equal(serial_spec_parse("115200,8x1", &sp), -EINVAL);
    assert_int_equal(serial_spec_parse("115200,8n", &sp), -EINVAL);
    assert_int_equal(serial_spec_parse("115200,8n1,0x10000", &sp), -EINVAL);
    assert_int_equal(serial_spec_parse("115200,8n1,0x3f8,4,junk", &sp), -EINVAL);
    assert_int_equal(serial_spec_parse("99999999999", &sp), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_bool_forms, reset),
        cmocka_unit_test_setup(test_integers, reset),
        cmocka_unit_test_setup(test_sizes, reset),
        cmocka_unit_test_setup(test_strings_and_quotes, reset),
        cmocka_unit_test_setup(test_custom, reset),
        cmocka_unit_test_setup(test_unknown_and_spacing, reset),
        cmocka_unit_test_setup(test_overlong_option, reset),
        cmocka_unit_test_setup(test_helpers, reset),
        cmocka_unit_test_setup(test_serial_spec, reset),
        cmocka_unit_test_setup(test_section_registration, reset),
    };

    return cmocka_run_group_tests_name("params", tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0 */
/* xl.cfg parser: syntax, meaning, messages and overrides. */
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

#include <tonnerre/xlcfg.h>

/* What one parse produced: its result, config and messages. */
struct run {
    int rc;
    struct xl_domain_config c;
    char *msgs;
    size_t msgs_len;
};

#define BASE "name = \"g\"\ntype = \"pvh\"\nkernel = \"/k\"\n"

static void parse_with(struct run *r, const char *text,
                       const char *const *ov, unsigned int nov)
{
    FILE *f = open_memstream(&r->msgs, &r->msgs_len);

    assert_non_null(f);
    r->rc = xl_cfg_parse_buffer("t.cfg", text, strlen(text), ov, nov, &r->c, f);
    fclose(f);
}

static void parse(struct run *r, const char *text)
{
    parse_with(r, text, NULL, 0);
}

static void done(struct run *r)
{
    xl_domain_config_free(&r->c);
    free(r->msgs);
}

/* The parse failed with exactly this message among its messages. */
static void expect_error(const char *text, const char *msg)
{
    struct run r;

    parse(&r, text);
    if ( !strstr(r.msgs, msg) )
        fail_msg("expected '%s' in:\n%s", msg, r.msgs);
    assert_int_equal(r.rc, -EINVAL);
    assert_null(r.c.name);
    done(&r);
}

static void test_reference_pvh_config(void **state)
{
    /* The configuration Xen 4.17's reference run used. */
    static const char cfg[] =
        "name = \"domu-pvh-full\"\n"
        "type = \"pvh\"\n"
        "kernel = \"/domu/vmlinuz\"\n"
        "ramdisk = \"/domu/initrd.img\"\n"
        "extra = \"console=hvc0 loglevel=7 rdinit=/init\"\n"
        "memory = 128\n"
        "vcpus = 1\n"
        "on_crash = \"preserve\"\n"
        "tsc_mode = \"native\"\n"
        "disk = [ 'file:/var/lib/images/disk.img,xvda,w' ]\n"
        "vif = [ 'bridge=xenbr0' ]\n";
    struct run r;

    parse(&r, cfg);
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.c.name, "domu-pvh-full");
    assert_int_equal(r.c.type, XL_DOMAIN_TYPE_PVH);
    assert_string_equal(r.c.kernel, "/domu/vmlinuz");
    assert_string_equal(r.c.ramdisk, "/domu/initrd.img");
    assert_string_equal(r.c.cmdline, "console=hvc0 loglevel=7 rdinit=/init");
    assert_int_equal(r.c.memory_mib, 128);
    assert_int_equal(r.c.maxmem_mib, 128);
    assert_int_equal(r.c.vcpus, 1);
    assert_int_equal(r.c.maxvcpus, 1);
    assert_int_equal(r.c.on_poweroff, XL_ACTION_DESTROY);
    assert_int_equal(r.c.on_reboot, XL_ACTION_RESTART);
    assert_int_equal(r.c.on_crash, XL_ACTION_PRESERVE);
    assert_false(r.c.has_uuid);
    assert_int_equal(r.c.nr_disks, 1);
    assert_string_equal(r.c.disks[0], "file:/var/lib/images/disk.img,xvda,w");
    assert_int_equal(r.c.nr_vifs, 1);
    assert_string_equal(r.c.vifs[0], "bridge=xenbr0");
    /* tsc_mode is Xen's, not acted on: a warning with its line. */
    assert_non_null(strstr(r.msgs, "t.cfg:9: tsc_mode: warning:"));
    done(&r);
}

static void test_defaults(void **state)
{
    struct run r;

    parse(&r, BASE);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.c.memory_mib, XL_DEFAULT_MEMORY_MIB);
    assert_int_equal(r.c.maxmem_mib, XL_DEFAULT_MEMORY_MIB);
    assert_int_equal(r.c.vcpus, 1);
    assert_null(r.c.ramdisk);
    assert_null(r.c.cmdline);
    assert_int_equal(r.c.nr_disks, 0);
    assert_null(r.c.disks);
    assert_string_equal(r.msgs, "");
    done(&r);
}

static void test_separators_comments_and_quotes(void **state)
{
    struct run r;

    parse(&r, "# a comment\r\nname='g'; type = \"pvh\" ;kernel=\"/k\" # tail\n"
              "\n\n   memory=0x100;;vcpus = 02\nmaxvcpus=010\n");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.c.name, "g");
    assert_int_equal(r.c.memory_mib, 256);
    assert_int_equal(r.c.vcpus, 2);
    assert_int_equal(r.c.maxvcpus, 8);  /* octal, as strtol base 0 reads it */
    done(&r);
}

static void test_string_escapes(void **state)
{
    struct run r;

    parse(&r, BASE "cmdline = \"a\\\"b\\'c\\\\d\\te\\x41\\101\\n\"\n");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.c.cmdline, "a\"b'c\\d\teAA\n");
    done(&r);
    parse(&r, BASE "cmdline = 'it\\'s \"quoted\"'\n");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.c.cmdline, "it's \"quoted\"");
    done(&r);
}

static void test_bad_escapes(void **state)
{
    expect_error(BASE "cmdline = \"\\q\"\n", "t.cfg:4: invalid escape \\q");
    expect_error(BASE "cmdline = \"\\x4\"\n", "t.cfg:4: \\x needs two hex digits");
    expect_error(BASE "cmdline = \"a\\0b\"\n", "t.cfg:4: NUL character");
    expect_error(BASE "cmdline = \"\\777\"\n", "octal escape out of range");
    expect_error(BASE "cmdline = \"open\n", "t.cfg:4: unterminated string");
}

static void test_multiline_list(void **state)
{
    struct run r;

    parse(&r, BASE "disk = [\n  'a,xvda,w',   # first\n\n  \"b,xvdb,r\",\n]\n"
              "vif = []\nmemory = 64\n");
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.c.nr_disks, 2);
    assert_string_equal(r.c.disks[0], "a,xvda,w");
    assert_string_equal(r.c.disks[1], "b,xvdb,r");
    assert_int_equal(r.c.nr_vifs, 0);
    assert_int_equal(r.c.memory_mib, 64);
    done(&r);
}

static void test_list_errors(void **state)
{
    expect_error(BASE "disk = [ 'a' 'b' ]\n", "t.cfg:4: syntax error: expected ',' or ']'");
    expect_error(BASE "disk = [ 'a', \n", "syntax error");
    expect_error(BASE "disk = 'a'\n", "t.cfg:4: disk: expected a [list]");
    expect_error(BASE "disk = [ 'a', 5 ]\n", "t.cfg:4: disk: item 2 of the list");
    expect_error(BASE "disk = [ ['a'] ]\n", "item 1 of the list is not");
    expect_error(BASE "memory = [ 5 ]\n", "t.cfg:4: memory: expected a single value");
    expect_error(BASE "disk = [[[[[[[[[[ 'a' ]]]]]]]]]]\n", "nested too deeply");
    /* An inner list broken after some items: LeakSanitizer checks they are freed. */
    expect_error(BASE "disk = [ 'x', [ 'a', [ 'b' ], 'c' 'd' ] ]\n", "expected ',' or ']'");
}

static void test_syntax_errors_reported_and_continue(void **state)
{
    struct run r;

    /* Two bad lines: both are reported, with their own line numbers. */
    parse(&r, "name = \"g\"\nmemory 5\ntype = \"pvh\"\nkernel = @\n");
    assert_int_equal(r.rc, -EINVAL);
    assert_non_null(strstr(r.msgs, "t.cfg:2: syntax error: expected '=' after memory"));
    assert_non_null(strstr(r.msgs, "t.cfg:4: syntax error: unexpected '@'"));
    done(&r);
    expect_error(BASE "memory = 5 6\n", "t.cfg:4: syntax error: expected a newline");
    expect_error(BASE "= 5\n", "t.cfg:4: syntax error: expected KEY = VALUE");
    expect_error(BASE "memory =\n", "t.cfg:4: syntax error: expected a \"string\"");
    expect_error("name = \"g\"\x01\n", "invalid byte");
}

static void test_nul_byte_in_buffer(void **state)
{
    static const char text[] = BASE "memory = 1\0" "28\n";
    struct run r;
    FILE *f = open_memstream(&r.msgs, &r.msgs_len);

    r.rc = xl_cfg_parse_buffer("t.cfg", text, sizeof(text) - 1, NULL, 0, &r.c, f);
    fclose(f);
    assert_int_equal(r.rc, -EINVAL);
    assert_non_null(strstr(r.msgs, "t.cfg:4: syntax error: invalid byte"));
    done(&r);
}

static void test_unsupported_types(void **state)
{
    expect_error("name = \"g\"\nkernel = \"/k\"\ntype = \"pv\"\n",
                 "t.cfg:3: type: \"pv\" guests are not supported");
    expect_error("name = \"g\"\nkernel = \"/k\"\ntype = \"hvm\"\n",
                 "t.cfg:3: type: \"hvm\" guests are not supported");
    expect_error("name = \"g\"\nkernel = \"/k\"\ntype = \"kvm\"\n",
                 "t.cfg:3: type: unknown type \"kvm\"");
    expect_error("name = \"g\"\nkernel = \"/k\"\n",
                 "t.cfg: type: required key is missing");
    expect_error("name = \"g\"\nkernel = \"/k\"\nbuilder = \"hvm\"\n",
                 "t.cfg:3: builder: builder is the old spelling");
}

static void test_missing_keys(void **state)
{
    expect_error("type = \"pvh\"\nkernel = \"/k\"\n", "t.cfg: name: required key is missing");
    expect_error("type = \"pvh\"\nname = \"g\"\n", "t.cfg: kernel: required key is missing");
}

static void test_bad_numbers(void **state)
{
    expect_error(BASE "memory = 12abc\n", "t.cfg:4: memory: '12abc' is not a valid number");
    expect_error(BASE "memory = \"-5\"\n", "t.cfg:4: memory: '-5' is not a valid number");
    expect_error(BASE "memory = 099\n", "'099' is not a valid number");
    expect_error(BASE "memory = 0x\n", "is not a valid number");
    expect_error(BASE "memory = 99999999999999999999999\n", "is too large");
    expect_error(BASE "memory = 0\n", "t.cfg:4: memory: 0 is out of range");
    expect_error(BASE "vcpus = 129\n", "t.cfg:4: vcpus: 129 is out of range (1 to 128)");
    expect_error(BASE "vcpus = 0\n", "t.cfg:4: vcpus: a domain needs at least one vCPU");
}

static void test_quoted_numbers_accepted(void **state)
{
    struct run r;

    parse(&r, BASE "memory = \"512\"\n");
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.c.memory_mib, 512);
    done(&r);
}

static void test_memory_and_vcpu_relations(void **state)
{
    struct run r;

    parse(&r, BASE "memory = 256\nmaxmem = 1024\nvcpus = 2\nmaxvcpus = 4\n");
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.c.memory_mib, 256);
    assert_int_equal(r.c.maxmem_mib, 1024);
    assert_int_equal(r.c.vcpus, 2);
    assert_int_equal(r.c.maxvcpus, 4);
    done(&r);
    expect_error(BASE "memory = 512\nmaxmem = 256\n",
                 "t.cfg:5: maxmem: 256 MiB is less than memory (512 MiB)");
    expect_error(BASE "vcpus = 4\nmaxvcpus = 2\n",
                 "t.cfg:5: maxvcpus: 2 is less than vcpus (4)");
}

static void test_duplicate_key(void **state)
{
    expect_error(BASE "memory = 64\nmemory = 128\n",
                 "t.cfg:5: memory: duplicate key (already set at line 4)");
}

static void test_append(void **state)
{
    struct run r;

    parse(&r, BASE "extra = \"a\"\nextra += \" b\"\ndisk = ['x']\ndisk += ['y','z']\n");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.c.cmdline, "a b");
    assert_int_equal(r.c.nr_disks, 3);
    assert_string_equal(r.c.disks[2], "z");
    done(&r);
    expect_error(BASE "disk = ['x']\ndisk += 'y'\n", "t.cfg:5: disk: += cannot join");
    expect_error(BASE "memory = 1\nmemory += 2\n", "t.cfg:5: memory: += works on strings");
    /* += with nothing before it simply sets. */
    parse(&r, BASE "extra += \"solo\"\n");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.c.cmdline, "solo");
    done(&r);
}

static void test_actions(void **state)
{
    struct run r;

    parse(&r, BASE "on_poweroff = \"preserve\"\non_reboot = \"destroy\"\n"
              "on_crash = \"rename-restart\"\n");
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.c.on_poweroff, XL_ACTION_PRESERVE);
    assert_int_equal(r.c.on_reboot, XL_ACTION_DESTROY);
    assert_int_equal(r.c.on_crash, XL_ACTION_RENAME_RESTART);
    assert_string_equal(xl_action_name(r.c.on_crash), "rename-restart");
    done(&r);
    expect_error(BASE "on_crash = \"coredump-destroy\"\n",
                 "t.cfg:4: on_crash: action 'coredump-destroy' is not supported");
    expect_error(BASE "on_crash = \"coredump-restart\"\n", "is not supported");
    expect_error(BASE "on_reboot = \"explode\"\n", "t.cfg:4: on_reboot: unknown action 'explode'");
}

static void test_cmdline_root_extra(void **state)
{
    struct run r;

    parse(&r, BASE "root = \"/dev/xvda1 ro\"\nextra = \"quiet\"\n");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.c.cmdline, "root=/dev/xvda1 ro quiet");
    done(&r);
    parse(&r, BASE "root = \"/dev/xvda1\"\n");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.c.cmdline, "root=/dev/xvda1");
    done(&r);
    /* cmdline wins over both, with a warning. */
    parse(&r, BASE "cmdline = \"console=hvc0\"\nextra = \"quiet\"\n");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.c.cmdline, "console=hvc0");
    assert_non_null(strstr(r.msgs, "t.cfg:5: extra: warning: ignored because cmdline"));
    done(&r);
}

static void test_uuid(void **state)
{
    static const uint8_t want[16] = {
        0x1b, 0xaf, 0x29, 0xfd, 0xb8, 0x1b, 0x47, 0x3c,
        0x86, 0x33, 0xb4, 0xc9, 0xa7, 0x3e, 0x3e, 0xd0,
    };
    struct run r;

    parse(&r, BASE "uuid = \"1baf29fd-b81b-473c-8633-B4C9A73E3ED0\"\n");
    assert_int_equal(r.rc, 0);
    assert_true(r.c.has_uuid);
    assert_memory_equal(r.c.uuid, want, 16);
    done(&r);
    expect_error(BASE "uuid = \"1baf29fd-b81b-473c-8633\"\n", "t.cfg:4: uuid: not a UUID");
    expect_error(BASE "uuid = \"1baf29fdxb81b-473c-8633-b4c9a73e3ed0\"\n", "not a UUID");
    expect_error(BASE "uuid = \"1baf29fd-b81b-473c-8633-b4c9a73e3edg\"\n", "not a UUID");
}

static void test_names(void **state)
{
    expect_error("name = \"\"\ntype = \"pvh\"\nkernel = \"/k\"\n", "t.cfg:1: name: must be 1 to 64");
    expect_error("name = \"a/b\"\ntype = \"pvh\"\nkernel = \"/k\"\n", "t.cfg:1: name: may hold only");
    expect_error("name = \"a b\"\ntype = \"pvh\"\nkernel = \"/k\"\n", "may hold only");
    expect_error("name = 42\ntype = \"pvh\"\nkernel = \"/k\"\n", "t.cfg:1: name: must not be all digits");
}

static void test_unknown_keys(void **state)
{
    struct run r;

    expect_error(BASE "memroy = 5\n", "t.cfg:4: memroy: unknown key; did you mean 'memory'?");
    expect_error(BASE "vcpu = 2\n", "did you mean 'vcpus'?");
    expect_error(BASE "tsc_mod = \"native\"\n", "did you mean 'tsc_mode'?");
    expect_error(BASE "frobnicate = 1\n", "t.cfg:4: frobnicate: unknown key\n");
    /* Known to Xen, ignored here: only a warning, and the parse succeeds. */
    parse(&r, BASE "viridian = 1\ncpus = \"0-3\"\n");
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.msgs, "t.cfg:4: viridian: warning: not supported"));
    assert_non_null(strstr(r.msgs, "t.cfg:5: cpus: warning:"));
    done(&r);
}

static void test_edit_distance(void **state)
{
    assert_int_equal(xl_cfg_edit_distance("memory", "memory"), 0);
    assert_int_equal(xl_cfg_edit_distance("memroy", "memory"), 2);
    assert_int_equal(xl_cfg_edit_distance("", "abc"), 3);
    assert_int_equal(xl_cfg_edit_distance("kitten", "sitting"), 3);
}

static void test_overrides(void **state)
{
    static const char *const ov[] = { "memory=512", "vcpus = 2; extra='x'",
                                      "disk=['a','b']" };
    struct run r;

    parse_with(&r, BASE "memory = 128\nextra = \"y\"\n", ov, 3);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.c.memory_mib, 512);
    assert_int_equal(r.c.vcpus, 2);
    assert_string_equal(r.c.cmdline, "x");
    assert_int_equal(r.c.nr_disks, 2);
    done(&r);
}

static void test_override_errors_name_command_line(void **state)
{
    static const char *const bad[] = { "memory=lots" };
    static const char *const typo[] = { "memmory=5" };
    static const char *const syn[] = { "memory" };
    struct run r;

    parse_with(&r, BASE, bad, 1);
    assert_int_equal(r.rc, -EINVAL);
    assert_non_null(strstr(r.msgs, "command line:1: syntax error"));
    done(&r);
    parse_with(&r, BASE, typo, 1);
    assert_int_equal(r.rc, -EINVAL);
    assert_non_null(strstr(r.msgs, "command line:1: memmory: unknown key; did you mean 'memory'?"));
    done(&r);
    parse_with(&r, BASE, syn, 1);
    assert_int_equal(r.rc, -EINVAL);
    assert_non_null(strstr(r.msgs, "command line:1: syntax error: expected '='"));
    done(&r);
}

static void test_parse_file(void **state)
{
    char path[] = "/tmp/xlcfg-test-XXXXXX";
    struct xl_domain_config c;
    int fd = mkstemp(path);
    FILE *devnull = fopen("/dev/null", "w");

    assert_true(fd >= 0);
    assert_int_equal(write(fd, BASE "memory=300\n", strlen(BASE "memory=300\n")),
                     (ssize_t)strlen(BASE "memory=300\n"));
    close(fd);
    assert_int_equal(xl_cfg_parse_file(path, NULL, 0, &c, devnull), 0);
    assert_int_equal(c.memory_mib, 300);
    assert_string_equal(c.kernel, "/k");
    xl_domain_config_free(&c);
    unlink(path);
    assert_int_equal(xl_cfg_parse_file(path, NULL, 0, &c, devnull), -ENOENT);
    assert_int_equal(xl_cfg_parse_file("/tmp", NULL, 0, &c, devnull), -EINVAL);
    assert_null(c.name);
    fclose(devnull);
}

static void test_silent_without_report(void **state)
{
    struct xl_domain_config c;

    assert_int_equal(xl_cfg_parse_buffer("x", "bad", 3, NULL, 0, &c, NULL), -EINVAL);
    assert_null(c.name);
}

/* Random bytes must never crash or leak (ASan watches); a cheap fuzz. */
static void test_garbage_never_crashes(void **state)
{
    static const char alphabet[] = "ab_=+[],;#'\"\\\n 0x9-";
    char buf[256];
    struct xl_domain_config c;
    unsigned int seed = 12345, i, j;
    int rc;

    for ( i = 0; i < 3000; i++ )
    {
        size_t n = (seed = seed * 1103515245 + 12345) % sizeof(buf);

        for ( j = 0; j < n; j++ )
        {
            seed = seed * 1103515245 + 12345;
            buf[j] = (seed >> 16) % 4 ? alphabet[(seed >> 8) % (sizeof(alphabet) - 1)]
                                      : (char)(seed >> 20);
        }
        rc = xl_cfg_parse_buffer("f", buf, n, NULL, 0, &c, NULL);
        assert_true(rc == 0 || rc == -EINVAL);
        if ( rc == 0 )
            assert_non_null(c.name);   /* success means a complete config */
        xl_domain_config_free(&c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_pvh_config),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_separators_comments_and_quotes),
        cmocka_unit_test(test_string_escapes),
        cmocka_unit_test(test_bad_escapes),
        cmocka_unit_test(test_multiline_list),
        cmocka_unit_test(test_list_errors),
        cmocka_unit_test(test_syntax_errors_reported_and_continue),
        cmocka_unit_test(test_nul_byte_in_buffer),
        cmocka_unit_test(test_unsupported_types),
        cmocka_unit_test(test_missing_keys),
        cmocka_unit_test(test_bad_numbers),
        cmocka_unit_test(test_quoted_numbers_accepted),
        cmocka_unit_test(test_memory_and_vcpu_relations),
        cmocka_unit_test(test_duplicate_key),
        cmocka_unit_test(test_append),
        cmocka_unit_test(test_actions),
        cmocka_unit_test(test_cmdline_root_extra),
        cmocka_unit_test(test_uuid),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_unknown_keys),
        cmocka_unit_test(test_edit_distance),
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_override_errors_name_command_line),
        cmocka_unit_test(test_parse_file),
        cmocka_unit_test(test_silent_without_report),
        cmocka_unit_test(test_garbage_never_crashes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One console's pumping with a plain page for the ring, a real pty and a
 * log file in a temporary directory; evtchn_notify is mocked.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "console_io.h"

static unsigned int notified;
static uint32_t last_port;

int evtchn_notify(struct evtchn_handle *e, uint32_t port)
{
    notified++;
    last_port = port;
    return 0;
}

struct fixture {
    char dir[32];
    struct xencons_interface ring;
    struct console c;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    if ( !f )
        return -1;
    strcpy(f->dir, "/tmp/cons-test-XXXXXX");
    if ( !mkdtemp(f->dir) )
        return -1;
    console_init(&f->c, 7);
    f->c.intf = &f->ring;
    f->c.local_port = 33;
    f->c.name = strdup("web");
    notified = 0;
    console_quiet = true;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char *log = console_log_path(f->dir, f->c.name, f->c.domid);

    console_release(&f->c);
    unlink(log);
    free(log);
    rmdir(f->dir);
    free(f);
    return 0;
}

static void guest_put(struct xencons_interface *r, const char *s)
{
    size_t i, n = strlen(s);

    for ( i = 0; i < n; i++ )
        r->out[(r->out_prod + i) % XENCONS_OUT_SIZE] = s[i];
    r->out_prod += (XENCONS_RING_IDX)n;
}

static size_t read_file(const char *path, char *buf, size_t max)
{
    int fd = open(path, O_RDONLY);
    ssize_t n;

    assert_true(fd >= 0);
    n = read(fd, buf, max - 1);
    close(fd);
    assert_true(n >= 0);
    buf[n] = '\0';
    return (size_t)n;
}

static void test_log_path_is_sanitised(void **state)
{
    char *p;

    p = console_log_path("/d", "web-1.example", 3);
    assert_string_equal(p, "/d/guest-web-1.example.log");
    free(p);
    p = console_log_path("/d", "../../etc/passwd", 3);
    assert_string_equal(p, "/d/guest-dom3.log");
    free(p);
    p = console_log_path("/d", "..", 4);
    assert_string_equal(p, "/d/guest-dom4.log");
    free(p);
    p = console_log_path("/d", NULL, 5);
    assert_string_equal(p, "/d/guest-dom5.log");
    free(p);
    p = console_log_path("/d", "a b", 6);
    assert_string_equal(p, "/d/guest-dom6.log");
    free(p);
}

static void test_output_to_pty_and_log(void **state)
{
    struct fixture *f = *state;
    char buf[128], *log;

    assert_int_equal(console_open_pty(&f->c), 0);
    assert_non_null(f->c.tty_path);
    assert_true(strncmp(f->c.tty_path, "/dev/pts/", 9) == 0);
    assert_int_equal(console_open_log(&f->c, f->dir), 0);

    guest_put(&f->ring, "Linux version 6.1\r\n");
    assert_int_equal(console_pump_out(&f->c, NULL), 0);
    assert_int_equal(f->ring.out_cons, f->ring.out_prod);
    assert_int_equal(notified, 1);
    assert_int_equal(last_port, 33);

    /* The pty's far end (we hold it) sees the bytes unchanged (raw mode). */
    assert_int_equal(read(f->c.slave_fd, buf, sizeof(buf)), 19);
    assert_memory_equal(buf, "Linux version 6.1\r\n", 19);

    log = console_log_path(f->dir, "web", 7);
    assert_int_equal(read_file(log, buf, sizeof(buf)), 19);
    assert_string_equal(buf, "Linux version 6.1\r\n");
    free(log);

    /* Nothing new: no notification. */
    assert_int_equal(console_pump_out(&f->c, NULL), 0);
    assert_int_equal(notified, 1);
}

static void test_output_with_full_pty_is_dropped_not_stalled(void **state)
{
    struct fixture *f = *state;
    char chunk[XENCONS_OUT_SIZE];
    int i;

    assert_int_equal(console_open_pty(&f->c), 0);
    memset(chunk, 'x', sizeof(chunk) - 1);
    chunk[sizeof(chunk) - 1] = '\0';
    /* Nobody reads the pty: the guest's ring must keep draining anyway. */
    for ( i = 0; i < 200; i++ )
    {
        guest_put(&f->ring, chunk);
        assert_int_equal(console_pump_out(&f->c, NULL), 0);
        assert_int_equal(f->ring.out_cons, f->ring.out_prod);
    }
}

static void test_input_from_pty(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(console_open_pty(&f->c), 0);
    assert_int_equal(console_in_room(&f->c), XENCONS_IN_SIZE);
    assert_int_equal(write(f->c.slave_fd, "root\n", 5), 5);
    usleep(10000);
    assert_int_equal(console_pump_in(&f->c, NULL), 0);
    assert_int_equal(f->ring.in_prod, 5);
    assert_memory_equal(f->ring.in, "root\n", 5);
    assert_int_equal(notified, 1);
    /* No more input: nothing happens. */
    assert_int_equal(console_pump_in(&f->c, NULL), 0);
    assert_int_equal(f->ring.in_prod, 5);
}

static void test_input_waits_when_ring_full(void **state)
{
    struct fixture *f = *state;
    char c;

    assert_int_equal(console_open_pty(&f->c), 0);
    f->ring.in_prod = XENCONS_IN_SIZE;           /* guest has not read anything */
    assert_int_equal(console_in_room(&f->c), 0);
    assert_int_equal(write(f->c.slave_fd, "x", 1), 1);
    usleep(10000);
    assert_int_equal(console_pump_in(&f->c, NULL), 0);
    assert_int_equal(f->ring.in_prod, XENCONS_IN_SIZE);
    assert_int_equal(notified, 0);
    /* The byte is still in the pty for later. */
    assert_int_equal(read(f->c.master_fd, &c, 1), 1);
    assert_int_equal(c, 'x');
}

static void test_hostile_output_indices_break_console(void **state)
{
    struct fixture *f = *state;
    struct xencons_interface other_ring = { 0 };
    struct console other;

    assert_int_equal(console_open_pty(&f->c), 0);
    console_init(&other, 8);
    other.intf = &other_ring;
    assert_int_equal(console_open_pty(&other), 0);

    f->ring.out_prod = 0x80000000u;              /* garbage */
    assert_int_equal(console_pump_out(&f->c, NULL), -EIO);
    assert_true(f->c.broken);
    assert_int_equal(f->c.master_fd, -1);        /* pty closed */
    assert_int_equal(console_pump_out(&f->c, NULL), -EIO);
    assert_int_equal(console_in_room(&f->c), 0);
    assert_int_equal(console_pump_in(&f->c, NULL), -EIO);

    /* The other console is unaffected. */
    guest_put(&other_ring, "ok");
    assert_int_equal(console_pump_out(&other, NULL), 0);
    assert_false(other.broken);
    assert_int_equal(other_ring.out_cons, 2);
    console_release(&other);
}

static void test_hostile_input_indices_break_console(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(console_open_pty(&f->c), 0);
    f->ring.in_cons = 50;
    f->ring.in_prod = 10;
    assert_int_equal(console_in_room(&f->c), 0);
    assert_true(f->c.broken);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_log_path_is_sanitised),
        T(test_output_to_pty_and_log),
        T(test_output_with_full_pty_is_dropped_not_stalled),
        T(test_input_from_pty),
        T(test_input_waits_when_ring_full),
        T(test_hostile_output_indices_break_console),
        T(test_hostile_input_indices_break_console),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

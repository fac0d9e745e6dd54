/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl console client: the test plays xenconsoled (a pty master whose slave
 * the client opens) and the user (pipes, or another pty as a terminal).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <cmocka.h>

#include <tonnerre/xs.h>

#include "xl_console.h"

/* xs_read mock for xl_console_find_tty: appears after `appear_after` reads. */
static unsigned int reads, appear_after;
static const char *tty_value;
static int read_error;

int xs_read(struct xs_handle *h, xs_transaction_t t, const char *path,
            char **value, unsigned int *len)
{
    assert_string_equal(path, "/local/domain/7/console/tty");
    if ( read_error )
        return read_error;
    if ( reads++ < appear_after )
        return -ENOENT;
    *value = strdup(tty_value);
    return 0;
}

struct fixture {
    int master;                        /* xenconsoled's end */
    char *slave_path;                  /* what the client opens */
    int in[2], out[2];                 /* user's keyboard and screen */
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct termios t;
    int s;

    if ( !f )
        return -1;
    f->master = posix_openpt(O_RDWR | O_NOCTTY);
    if ( f->master < 0 || grantpt(f->master) || unlockpt(f->master) )
        return -1;
    f->slave_path = strdup(ptsname(f->master));
    /* Raw, as xenconsoled leaves it: bytes pass untouched. */
    s = open(f->slave_path, O_RDWR | O_NOCTTY);
    if ( s < 0 || tcgetattr(s, &t) )
        return -1;
    cfmakeraw(&t);
    tcsetattr(s, TCSANOW, &t);
    close(s);
    if ( pipe(f->in) || pipe(f->out) )
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    if ( f->master >= 0 )
        close(f->master);
    close(f->in[0]);
    close(f->in[1]);
    close(f->out[0]);
    close(f->out[1]);
    free(f->slave_path);
    free(f);
    return 0;
}

/* What arrived on fd within a short time (non-blocking read). */
static ssize_t drain(int fd, char *buf, size_t max)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };

    if ( poll(&p, 1, 200) <= 0 )
        return 0;
    return read(fd, buf, max);
}

static void test_scan_escape(void **state)
{
    bool esc;

    assert_int_equal(xl_console_scan_escape("abc", 3, &esc), 3);
    assert_false(esc);
    assert_int_equal(xl_console_scan_escape("ab\x1d" "cd", 5, &esc), 2);
    assert_true(esc);
    assert_int_equal(xl_console_scan_escape("\x1d", 1, &esc), 0);
    assert_true(esc);
    assert_int_equal(xl_console_scan_escape("", 0, &esc), 0);
    assert_false(esc);
    /* Other control bytes (Ctrl-C, NUL) belong to the guest. */
    assert_int_equal(xl_console_scan_escape("\x03\x00" "x", 3, &esc), 3);
    assert_false(esc);
}

static void test_escape_detaches_and_stops_at_it(void **state)
{
    struct fixture *f = *state;
    char buf[64];

    assert_int_equal(write(f->in[1], "ls\r\x1d" "rm -rf /\r", 13), 13);
    assert_int_equal(xl_console_attach_fds(f->in[0], f->out[1], f->slave_path),
                     XL_CONSOLE_DETACHED);
    /* The guest got what came before Ctrl-], nothing after. */
    assert_int_equal(drain(f->master, buf, sizeof(buf)), 3);
    assert_memory_equal(buf, "ls\r", 3);
}

static void test_output_shown_and_ctrl_c_passed(void **state)
{
    struct fixture *f = *state;
    char buf[64];

    assert_int_equal(write(f->master, "login: ", 7), 7);
    assert_int_equal(write(f->in[1], "\x03", 1), 1);
    assert_int_equal(write(f->in[1], "\x1d", 1), 1);
    assert_int_equal(xl_console_attach_fds(f->in[0], f->out[1], f->slave_path),
                     XL_CONSOLE_DETACHED);
    assert_int_equal(drain(f->out[0], buf, sizeof(buf)), 7);
    assert_memory_equal(buf, "login: ", 7);
    assert_int_equal(drain(f->master, buf, sizeof(buf)), 1);
    assert_int_equal(buf[0], 0x03);
}

static void test_console_going_away_ends_session(void **state)
{
    struct fixture *f = *state;
    int tty = open(f->slave_path, O_RDWR | O_NOCTTY);

    assert_true(tty >= 0);
    close(f->master);                  /* xenconsoled dropped the console */
    f->master = -1;
    assert_int_equal(xl_console_relay(f->in[0], f->out[1], tty), XL_CONSOLE_CLOSED);
    close(tty);
}

static void test_end_of_input_detaches(void **state)
{
    struct fixture *f = *state;

    close(f->in[1]);
    f->in[1] = open("/dev/null", O_WRONLY);   /* keep teardown simple */
    assert_int_equal(xl_console_attach_fds(f->in[0], f->out[1], f->slave_path),
                     XL_CONSOLE_DETACHED);
}

static void test_missing_tty(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(xl_console_attach_fds(f->in[0], f->out[1], "/nonexistent/tty"),
                     -ENOENT);
}

/* The user's terminal is raw during the session and restored after it. */
static void test_terminal_restored(void **state)
{
    struct fixture *f = *state;
    struct termios before, after;
    int um, us;

    um = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(um >= 0);
    assert_int_equal(grantpt(um), 0);
    assert_int_equal(unlockpt(um), 0);
    us = open(ptsname(um), O_RDWR | O_NOCTTY);
    assert_true(us >= 0);
    assert_int_equal(tcgetattr(us, &before), 0);
    assert_true(before.c_lflag & ICANON);
    assert_true(before.c_lflag & ISIG);

    /* The user types a line and Ctrl-]: in raw mode both arrive at once. */
    assert_int_equal(write(um, "hi\x1d", 3), 3);
    assert_int_equal(xl_console_attach_fds(us, f->out[1], f->slave_path),
                     XL_CONSOLE_DETACHED);
    assert_int_equal(tcgetattr(us, &after), 0);
    assert_int_equal(after.c_lflag, before.c_lflag);
    assert_int_equal(after.c_iflag, before.c_iflag);
    assert_int_equal(after.c_oflag, before.c_oflag);
    close(us);
    close(um);
}

static void test_find_tty(void **state)
{
    char *path = NULL;

    reads = 0;
    appear_after = 2;
    tty_value = "/dev/pts/9";
    read_error = 0;
    assert_int_equal(xl_console_find_tty(NULL, 7, 1000, &path), 0);
    assert_string_equal(path, "/dev/pts/9");
    assert_int_equal(reads, 3);
    free(path);

    /* Never appears: -ENOENT after the timeout. */
    reads = 0;
    appear_after = 1000;
    assert_int_equal(xl_console_find_tty(NULL, 7, 100, &path), -ENOENT);
    assert_true(reads >= 2 && reads <= 4);

    /* Other errors are not waited out. */
    reads = 0;
    read_error = -EACCES;
    assert_int_equal(xl_console_find_tty(NULL, 7, 1000, &path), -EACCES);
    read_error = 0;

    /* An empty node means "not yet". */
    reads = 0;
    appear_after = 0;
    tty_value = "";
    assert_int_equal(xl_console_find_tty(NULL, 7, 0, &path), -ENOENT);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan_escape),
        T(test_escape_detaches_and_stops_at_it),
        T(test_output_shown_and_ctrl_c_passed),
        T(test_console_going_away_ends_session),
        T(test_end_of_input_detaches),
        T(test_missing_tty),
        T(test_terminal_restored),
        cmocka_unit_test(test_find_tty),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

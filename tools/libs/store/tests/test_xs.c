/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenstore client against a scripted fake xenstored on a socketpair: the
 * test queues the server's reply in the socket before the call (the
 * client's req_ids are predictable), makes the call, then reads and checks
 * the request the client sent.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include <tonnerre/xs.h>

#include "../xs_wire_client.h"

struct fixture {
    struct xs_handle *h;
    int srv;                           /* the fake xenstored's end */
    uint32_t next_req;                 /* the req_id the client will use next */
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    int sv[2];

    if ( !f || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) )
        return -1;
    f->h = xs_open_fd(sv[0]);
    f->srv = sv[1];
    *state = f;
    return f->h ? 0 : -1;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    xs_close(f->h);
    close(f->srv);
    free(f);
    return 0;
}

static void srv_send(struct fixture *f, uint32_t type, uint32_t req, uint32_t tx,
                     const void *payload, uint32_t len)
{
    struct xsc_msg_header hdr = { type, req, tx, len };

    assert_int_equal(write(f->srv, &hdr, sizeof(hdr)), sizeof(hdr));
    if ( len )
        assert_int_equal(write(f->srv, payload, len), len);
}

/* Queue the reply to the client's next request. */
static void srv_reply(struct fixture *f, uint32_t type, const void *payload,
                      uint32_t len)
{
    srv_send(f, type, f->next_req++, 0, payload, len);
}

static void srv_event(struct fixture *f, const char *path, const char *token)
{
    char buf[256];
    size_t lp = strlen(path) + 1, lt = strlen(token) + 1;

    memcpy(buf, path, lp);
    memcpy(buf + lp, token, lt);
    srv_send(f, XSC_WATCH_EVENT, 0, 0, buf, (uint32_t)(lp + lt));
}

/* The request the client sent is exactly this. */
static void srv_expect(struct fixture *f, uint32_t type, uint32_t tx,
                       const void *payload, uint32_t len)
{
    struct xsc_msg_header hdr;
    char buf[XSC_PAYLOAD_MAX];

    assert_int_equal(read(f->srv, &hdr, sizeof(hdr)), sizeof(hdr));
    assert_int_equal(hdr.type, type);
    assert_int_equal(hdr.req_id, f->next_req - 1);
    assert_int_equal(hdr.tx_id, tx);
    assert_int_equal(hdr.len, len);
    if ( len )
    {
        assert_int_equal(read(f->srv, buf, len), len);
        assert_memory_equal(buf, payload, len);
    }
}

#define OK_REPLY "OK", 3

static void test_read(void **state)
{
    struct fixture *f = *state;
    char *v;
    unsigned int len;

    srv_reply(f, XSC_READ, "hvc0", 4);
    assert_int_equal(xs_read(f->h, XBT_NULL, "/local/domain/1/console/type", &v, &len), 0);
    srv_expect(f, XSC_READ, 0, "/local/domain/1/console/type", 29);
    assert_int_equal(len, 4);
    assert_string_equal(v, "hvc0");
    free(v);
}

static void test_read_error_maps_errno(void **state)
{
    struct fixture *f = *state;
    char *v = NULL;

    srv_reply(f, XSC_ERROR, "ENOENT", 7);
    assert_int_equal(xs_read(f->h, XBT_NULL, "/nope", &v, NULL), -ENOENT);
    srv_expect(f, XSC_READ, 0, "/nope", 6);
    assert_null(v);
    srv_reply(f, XSC_ERROR, "EACCES", 7);
    assert_int_equal(xs_write(f->h, XBT_NULL, "/x", "1", 1), -EACCES);
    srv_expect(f, XSC_WRITE, 0, "/x\0" "1", 4);
    assert_int_equal(xs_errno_from_name("EAGAIN"), EAGAIN);
    assert_int_equal(xs_errno_from_name("EWHATEVER"), EINVAL);
}

static void test_write_mkdir_rm(void **state)
{
    struct fixture *f = *state;

    srv_reply(f, XSC_WRITE, OK_REPLY);
    assert_int_equal(xs_write(f->h, XBT_NULL, "/a/b", "val ue", 6), 0);
    srv_expect(f, XSC_WRITE, 0, "/a/b\0val ue", 11);
    srv_reply(f, XSC_MKDIR, OK_REPLY);
    assert_int_equal(xs_mkdir(f->h, XBT_NULL, "/a/c"), 0);
    srv_expect(f, XSC_MKDIR, 0, "/a/c", 5);
    srv_reply(f, XSC_RM, OK_REPLY);
    assert_int_equal(xs_rm(f->h, XBT_NULL, "/a"), 0);
    srv_expect(f, XSC_RM, 0, "/a", 3);
    /* An empty value is a valid write. */
    srv_reply(f, XSC_WRITE, OK_REPLY);
    assert_int_equal(xs_write(f->h, XBT_NULL, "/e", "", 0), 0);
    srv_expect(f, XSC_WRITE, 0, "/e", 3);
}

static void test_directory(void **state)
{
    struct fixture *f = *state;
    char **names;
    unsigned int n;

    srv_reply(f, XSC_DIRECTORY, "0\0" "1\0" "17\0", 7);
    assert_int_equal(xs_directory(f->h, XBT_NULL, "/local/domain", &names, &n), 0);
    srv_expect(f, XSC_DIRECTORY, 0, "/local/domain", 14);
    assert_int_equal(n, 3);
    assert_string_equal(names[0], "0");
    assert_string_equal(names[1], "1");
    assert_string_equal(names[2], "17");
    assert_null(names[3]);
    free(names);

    srv_reply(f, XSC_DIRECTORY, "", 0);
    assert_int_equal(xs_directory(f->h, XBT_NULL, "/empty", &names, &n), 0);
    srv_expect(f, XSC_DIRECTORY, 0, "/empty", 7);
    assert_int_equal(n, 0);
    free(names);
}

static void test_permissions(void **state)
{
    struct fixture *f = *state;
    struct xs_permissions *p;
    const struct xs_permissions set[] = { { 0, XS_PERM_NONE }, { 5, XS_PERM_READ },
                                          { 7, XS_PERM_BOTH } };
    unsigned int n;

    srv_reply(f, XSC_GET_PERMS, "b0\0" "r5\0" "w12\0", 10);
    assert_int_equal(xs_get_permissions(f->h, XBT_NULL, "/p", &p, &n), 0);
    srv_expect(f, XSC_GET_PERMS, 0, "/p", 3);
    assert_int_equal(n, 3);
    assert_int_equal(p[0].id, 0);
    assert_int_equal(p[0].perms, XS_PERM_BOTH);
    assert_int_equal(p[1].id, 5);
    assert_int_equal(p[1].perms, XS_PERM_READ);
    assert_int_equal(p[2].id, 12);
    assert_int_equal(p[2].perms, XS_PERM_WRITE);
    free(p);

    srv_reply(f, XSC_SET_PERMS, OK_REPLY);
    assert_int_equal(xs_set_permissions(f->h, XBT_NULL, "/p", set, 3), 0);
    srv_expect(f, XSC_SET_PERMS, 0, "/p\0n0\0r5\0b7", 12);

    /* Garbage from the peer is an error, not a guess. */
    srv_reply(f, XSC_GET_PERMS, "x0", 3);
    assert_int_equal(xs_get_permissions(f->h, XBT_NULL, "/p", &p, &n), -EIO);
    srv_expect(f, XSC_GET_PERMS, 0, "/p", 3);
    srv_reply(f, XSC_GET_PERMS, "r", 2);
    assert_int_equal(xs_get_permissions(f->h, XBT_NULL, "/p", &p, &n), -EIO);
    srv_expect(f, XSC_GET_PERMS, 0, "/p", 3);
    /* Invalid requests are refused before anything is sent. */
    assert_int_equal(xs_set_permissions(f->h, XBT_NULL, "/p", set, 0), -EINVAL);
    {
        const struct xs_permissions bad = { 1, 9 };
        assert_int_equal(xs_set_permissions(f->h, XBT_NULL, "/p", &bad, 1), -EINVAL);
    }
}

static void test_watch_events_interleaved_with_replies(void **state)
{
    struct fixture *f = *state;
    char **vec, *v;
    unsigned int n;

    srv_reply(f, XSC_WATCH, OK_REPLY);
    assert_int_equal(xs_watch(f->h, "@introduceDomain", "intro"), 0);
    srv_expect(f, XSC_WATCH, 0, "@introduceDomain\0intro", 23);

    /* Nothing yet. */
    assert_int_equal(xs_check_watch(f->h, &vec, &n), -EAGAIN);

    /* Two events arrive before the reply to a read: queued, in order. */
    srv_event(f, "@introduceDomain", "intro");
    srv_event(f, "/local/domain/3", "tree");
    srv_reply(f, XSC_READ, "x", 1);
    assert_int_equal(xs_read(f->h, XBT_NULL, "/r", &v, NULL), 0);
    srv_expect(f, XSC_READ, 0, "/r", 3);
    assert_string_equal(v, "x");
    free(v);

    assert_int_equal(xs_check_watch(f->h, &vec, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(vec[XS_WATCH_PATH], "@introduceDomain");
    assert_string_equal(vec[XS_WATCH_TOKEN], "intro");
    free(vec);
    assert_int_equal(xs_read_watch(f->h, &vec, &n), 0);
    assert_string_equal(vec[XS_WATCH_PATH], "/local/domain/3");
    assert_string_equal(vec[XS_WATCH_TOKEN], "tree");
    free(vec);
    assert_int_equal(xs_check_watch(f->h, &vec, &n), -EAGAIN);

    /* An event on the wire with nothing queued: read it off the socket. */
    srv_event(f, "@releaseDomain", "rel");
    assert_int_equal(xs_read_watch(f->h, &vec, &n), 0);
    assert_string_equal(vec[XS_WATCH_PATH], "@releaseDomain");
    free(vec);

    srv_reply(f, XSC_UNWATCH, OK_REPLY);
    assert_int_equal(xs_unwatch(f->h, "@introduceDomain", "intro"), 0);
    srv_expect(f, XSC_UNWATCH, 0, "@introduceDomain\0intro", 23);
}

static void test_malformed_event(void **state)
{
    struct fixture *f = *state;
    char **vec;
    unsigned int n;

    srv_send(f, XSC_WATCH_EVENT, 0, 0, "onlypath", 9);
    assert_int_equal(xs_read_watch(f->h, &vec, &n), -EIO);
    /* A reply with no request outstanding is a protocol error too. */
    srv_send(f, XSC_READ, 0, 0, "x", 1);
    assert_int_equal(xs_read_watch(f->h, &vec, &n), -EIO);
}

static void test_transactions(void **state)
{
    struct fixture *f = *state;
    xs_transaction_t t = 0;
    char *v;

    srv_reply(f, XSC_TRANSACTION_START, "17", 3);
    assert_int_equal(xs_transaction_start(f->h, &t), 0);
    srv_expect(f, XSC_TRANSACTION_START, 0, "", 1);
    assert_int_equal(t, 17);

    srv_reply(f, XSC_READ, "v", 1);
    assert_int_equal(xs_read(f->h, t, "/a", &v, NULL), 0);
    srv_expect(f, XSC_READ, 17, "/a", 3);
    free(v);

    srv_reply(f, XSC_ERROR, "EAGAIN", 7);
    assert_int_equal(xs_transaction_end(f->h, t, false), -EAGAIN);
    srv_expect(f, XSC_TRANSACTION_END, 17, "T", 2);

    srv_reply(f, XSC_TRANSACTION_END, OK_REPLY);
    assert_int_equal(xs_transaction_end(f->h, 18, true), 0);
    srv_expect(f, XSC_TRANSACTION_END, 18, "F", 2);

    srv_reply(f, XSC_TRANSACTION_START, "banana", 7);
    assert_int_equal(xs_transaction_start(f->h, &t), -EIO);
    srv_expect(f, XSC_TRANSACTION_START, 0, "", 1);
}

static void test_domains(void **state)
{
    struct fixture *f = *state;
    char *path;

    srv_reply(f, XSC_INTRODUCE, OK_REPLY);
    assert_int_equal(xs_introduce_domain(f->h, 3, 0xfeffc, 1), 0);
    srv_expect(f, XSC_INTRODUCE, 0, "3\0" "1044476\0" "1", 12);

    srv_reply(f, XSC_RELEASE, OK_REPLY);
    assert_int_equal(xs_release_domain(f->h, 3), 0);
    srv_expect(f, XSC_RELEASE, 0, "3", 2);

    srv_reply(f, XSC_GET_DOMAIN_PATH, "/local/domain/3", 16);
    assert_int_equal(xs_get_domain_path(f->h, 3, &path), 0);
    srv_expect(f, XSC_GET_DOMAIN_PATH, 0, "3", 2);
    assert_string_equal(path, "/local/domain/3");
    free(path);

    srv_reply(f, XSC_IS_DOMAIN_INTRODUCED, "T", 2);
    assert_int_equal(xs_is_domain_introduced(f->h, 3), 1);
    srv_expect(f, XSC_IS_DOMAIN_INTRODUCED, 0, "3", 2);
    srv_reply(f, XSC_IS_DOMAIN_INTRODUCED, "F", 2);
    assert_int_equal(xs_is_domain_introduced(f->h, 4), 0);
    srv_expect(f, XSC_IS_DOMAIN_INTRODUCED, 0, "4", 2);
}

static void test_protocol_errors(void **state)
{
    struct fixture *f = *state;
    char *v = NULL, big[XSC_PAYLOAD_MAX + 10];

    /* A reply to some other request. */
    srv_send(f, XSC_READ, f->next_req + 5, 0, "x", 1);
    f->next_req++;
    assert_int_equal(xs_read(f->h, XBT_NULL, "/a", &v, NULL), -EIO);
    srv_expect(f, XSC_READ, 0, "/a", 3);
    /* A reply of the wrong type. */
    srv_reply(f, XSC_WRITE, OK_REPLY);
    assert_int_equal(xs_read(f->h, XBT_NULL, "/a", &v, NULL), -EIO);
    srv_expect(f, XSC_READ, 0, "/a", 3);
    assert_null(v);

    /* Too long to send: refused locally, nothing on the wire. */
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(xs_read(f->h, XBT_NULL, big, &v, NULL), -E2BIG);
}

static void test_oversized_reply(void **state)
{
    struct fixture *f = *state;
    struct xsc_msg_header hdr = { XSC_READ, 0, 0, XSC_PAYLOAD_MAX + 1 };
    char *v = NULL;

    assert_int_equal(write(f->srv, &hdr, sizeof(hdr)), sizeof(hdr));
    f->next_req++;
    assert_int_equal(xs_read(f->h, XBT_NULL, "/a", &v, NULL), -EIO);
    assert_null(v);
}

static void test_peer_closed(void **state)
{
    struct fixture *f = *state;
    char *v = NULL;

    shutdown(f->srv, SHUT_WR);
    assert_int_equal(xs_read(f->h, XBT_NULL, "/a", &v, NULL), -ECONNRESET);
    assert_null(v);
}

static void test_peer_gone_is_epipe_not_sigpipe(void **state)
{
    struct fixture *f = *state;

    close(f->srv);
    f->srv = open("/dev/null", O_RDONLY);     /* for teardown */
    /* Without MSG_NOSIGNAL this would kill the test with SIGPIPE. */
    assert_int_equal(xs_mkdir(f->h, XBT_NULL, "/a"), -EPIPE);
}

static void test_open_socket_from_env(void **state)
{
    char dir[] = "/tmp/xs-test-XXXXXX", path[64];
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    struct xs_handle *h;
    int lfd, cfd;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/socket", dir);
    strcpy(addr.sun_path, path);
    lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(lfd >= 0);
    assert_int_equal(bind(lfd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    assert_int_equal(listen(lfd, 1), 0);
    setenv("XENSTORED_PATH", path, 1);
    h = xs_open(XS_OPEN_SOCKETONLY);
    assert_non_null(h);
    cfd = accept(lfd, NULL, NULL);
    assert_true(cfd >= 0);
    assert_true(xs_fileno(h) >= 0);
    xs_close(h);
    close(cfd);
    close(lfd);
    unlink(path);

    /* Nobody listening, and the kernel device is not allowed: NULL + errno. */
    errno = 0;
    assert_null(xs_open(XS_OPEN_SOCKETONLY));
    assert_int_equal(errno, ENOENT);
    rmdir(dir);
    unsetenv("XENSTORED_PATH");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_read),
        T(test_read_error_maps_errno),
        T(test_write_mkdir_rm),
        T(test_directory),
        T(test_permissions),
        T(test_watch_events_interleaved_with_replies),
        T(test_malformed_event),
        T(test_transactions),
        T(test_domains),
        T(test_protocol_errors),
        T(test_oversized_reply),
        T(test_peer_closed),
        T(test_peer_gone_is_epipe_not_sigpipe),
        cmocka_unit_test(test_open_socket_from_env),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenconsoled end to end on the host: the real daemon loop and the real
 * xenstore client library, talking the wire protocol to a small fake
 * xenstored in a thread; only the hypervisor (page mapping, event
 * channels) is mocked.  Checks that watches drive the scans, that the tty
 * is published, that output and input flow, and that a destroyed domain is
 * let go.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "xenconsoled.h"
#include "../../libs/store/xs_wire_client.h"

/* --- fake xenstored -------------------------------------------------------- */

#define MAX_NODES 64
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct { char path[128], value[128]; } nodes[MAX_NODES];
static unsigned int nr_nodes;
static struct { char path[128], token[32]; } watches[8];
static unsigned int nr_watches;
static int srv_fd, kick[2];            /* kick: "fire the watches on this path" */

static int node_find(const char *path)
{
    unsigned int i;

    for ( i = 0; i < nr_nodes; i++ )
        if ( !strcmp(nodes[i].path, path) )
            return (int)i;
    return -1;
}

static void node_set(const char *path, const char *value)
{
    int i;

    pthread_mutex_lock(&lock);
    if ( (i = node_find(path)) < 0 )
    {
        i = (int)nr_nodes++;
        snprintf(nodes[i].path, sizeof(nodes[i].path), "%s", path);
    }
    snprintf(nodes[i].value, sizeof(nodes[i].value), "%s", value);
    pthread_mutex_unlock(&lock);
}

static bool node_get(const char *path, char *out, size_t max)
{
    int i;

    pthread_mutex_lock(&lock);
    i = node_find(path);
    if ( i >= 0 )
        snprintf(out, max, "%s", nodes[i].value);
    pthread_mutex_unlock(&lock);
    return i >= 0;
}

static void node_del_tree(const char *path)
{
    size_t n = strlen(path);
    unsigned int i = 0;

    pthread_mutex_lock(&lock);
    while ( i < nr_nodes )
    {
        if ( !strncmp(nodes[i].path, path, n) &&
             (!nodes[i].path[n] || nodes[i].path[n] == '/') )
            nodes[i] = nodes[--nr_nodes];
        else
            i++;
    }
    pthread_mutex_unlock(&lock);
}

static void send_msg(uint32_t type, uint32_t req, const void *p, uint32_t len)
{
    struct xsc_msg_header h = { type, req, 0, len };
    char buf[sizeof(h) + 4096];

    memcpy(buf, &h, sizeof(h));
    memcpy(buf + sizeof(h), p, len);
    if ( write(srv_fd, buf, sizeof(h) + len) != (ssize_t)(sizeof(h) + len) )
        abort();
}

/* Events for every watch on path or one of its parents (xenstore semantics). */
static void fire_watches(const char *path)
{
    char buf[200];
    unsigned int i;
    size_t n, lp;

    for ( i = 0; i < nr_watches; i++ )
    {
        n = strlen(watches[i].path);
        if ( strncmp(path, watches[i].path, n) || (path[n] && path[n] != '/') )
            continue;
        lp = strlen(path) + 1;
        memcpy(buf, path, lp);
        memcpy(buf + lp, watches[i].token, strlen(watches[i].token) + 1);
        send_msg(XSC_WATCH_EVENT, 0, buf, (uint32_t)(lp + strlen(watches[i].token) + 1));
    }
}

/* Immediate children of dir, NUL-separated. */
static uint32_t list_children(const char *dir, char *out)
{
    size_t n = strlen(dir), len = 0;
    unsigned int i;

    for ( i = 0; i < nr_nodes; i++ )
    {
        const char *rest = nodes[i].path + n;
        char child[64];
        size_t cl;

        if ( strncmp(nodes[i].path, dir, n) || *rest != '/' )
            continue;
        snprintf(child, sizeof(child), "%s", rest + 1);
        if ( strchr(child, '/') )
            *strchr(child, '/') = '\0';
        cl = strlen(child) + 1;
        /* Skip names already listed. */
        {
            size_t off = 0;
            bool dup = false;

            while ( off < len )
            {
                if ( !strcmp(out + off, child) )
                    dup = true;
                off += strlen(out + off) + 1;
            }
            if ( dup )
                continue;
        }
        memcpy(out + len, child, cl);
        len += cl;
    }
    return (uint32_t)len;
}

static void serve_one(void)
{
    struct xsc_msg_header h;
    char body[4097], out[4096];
    uint32_t len;
    int i;

    if ( read(srv_fd, &h, sizeof(h)) != sizeof(h) )
        pthread_exit(NULL);
    if ( h.len && read(srv_fd, body, h.len) != (ssize_t)h.len )
        pthread_exit(NULL);
    body[h.len] = '\0';
    pthread_mutex_lock(&lock);
    switch ( h.type )
    {
    case XSC_READ:
        if ( (i = node_find(body)) < 0 )
            send_msg(XSC_ERROR, h.req_id, "ENOENT", 7);
        else
            send_msg(XSC_READ, h.req_id, nodes[i].value,
                     (uint32_t)strlen(nodes[i].value));
        break;
    case XSC_WRITE:
        pthread_mutex_unlock(&lock);
        {
            size_t pl = strlen(body) + 1;
            char v[128];

            snprintf(v, sizeof(v), "%.*s", (int)(h.len - pl), body + pl);
            node_set(body, v);
        }
        pthread_mutex_lock(&lock);
        send_msg(XSC_WRITE, h.req_id, "OK", 3);
        fire_watches(body);
        break;
    case XSC_DIRECTORY:
        len = list_children(body, out);
        send_msg(XSC_DIRECTORY, h.req_id, out, len);
        break;
    case XSC_WATCH:
        snprintf(watches[nr_watches].path, sizeof(watches[0].path), "%.100s", body);
        snprintf(watches[nr_watches].token, sizeof(watches[0].token), "%.20s",
                 body + strlen(body) + 1);
        nr_watches++;
        send_msg(XSC_WATCH, h.req_id, "OK", 3);
        /* xenstored fires a new watch once straight away. */
        fire_watches(body);
        break;
    default:
        send_msg(XSC_ERROR, h.req_id, "ENOSYS", 7);
    }
    pthread_mutex_unlock(&lock);
}

static void *xenstored_thread(void *arg)
{
    struct pollfd p[2] = { { .fd = srv_fd, .events = POLLIN },
                           { .fd = kick[0], .events = POLLIN } };
    char path[128];
    ssize_t n;

    for ( ;; )
    {
        if ( poll(p, 2, -1) < 0 )
            continue;
        if ( p[1].revents & POLLIN )
        {
            n = read(kick[0], path, sizeof(path) - 1);
            if ( n <= 0 )
                return NULL;
            path[n] = '\0';
            pthread_mutex_lock(&lock);
            fire_watches(path);
            pthread_mutex_unlock(&lock);
        }
        if ( p[0].revents & (POLLIN | POLLHUP) )
            serve_one();
    }
}

static void kick_watch(const char *path)
{
    assert_int_equal(write(kick[1], path, strlen(path)), (ssize_t)strlen(path));
}

/* --- mocked hypervisor --------------------------------------------------- */

static struct xencons_interface *pages[4];
static int evt_pipe[2];
static int fired[16];
static unsigned int nr_fired, unmaps;
static pthread_mutex_t evt_lock = PTHREAD_MUTEX_INITIALIZER;

void *ctrl_map_foreign(struct ctrl_handle *h, ctrl_domid_t domid, int prot,
                       const uint64_t *gfns, int *errs, unsigned int n)
{
    if ( domid >= 4 )
    {
        errno = EINVAL;
        return NULL;
    }
    errs[0] = 0;
    return pages[domid];
}

int ctrl_unmap_foreign(void *addr, unsigned int n) { unmaps++; return 0; }
int evtchn_bind_interdomain(struct evtchn_handle *e, ctrl_domid_t domid,
                            uint32_t remote) { return 50 + domid; }
int evtchn_unbind(struct evtchn_handle *e, uint32_t port) { return 0; }
int evtchn_notify(struct evtchn_handle *e, uint32_t port) { return 0; }
int evtchn_unmask(struct evtchn_handle *e, uint32_t port) { return 0; }
int evtchn_fd(struct evtchn_handle *e) { return evt_pipe[0]; }
struct ctrl_handle *ctrl_open(void) { return NULL; }
void ctrl_close(struct ctrl_handle *h) { }
struct evtchn_handle *evtchn_open(void) { return NULL; }
void evtchn_close(struct evtchn_handle *e) { }

int evtchn_pending(struct evtchn_handle *e)
{
    char c;
    int port = -EAGAIN;

    pthread_mutex_lock(&evt_lock);
    if ( nr_fired )
    {
        port = fired[--nr_fired];
        if ( read(evt_pipe[0], &c, 1) != 1 )
            abort();
    }
    pthread_mutex_unlock(&evt_lock);
    return port;
}

static void guest_notify(unsigned int domid)
{
    pthread_mutex_lock(&evt_lock);
    fired[nr_fired++] = 50 + (int)domid;
    assert_int_equal(write(evt_pipe[1], "x", 1), 1);
    pthread_mutex_unlock(&evt_lock);
}

static void guest_put(unsigned int domid, const char *s)
{
    struct xencons_interface *r = pages[domid];
    size_t i, n = strlen(s);

    for ( i = 0; i < n; i++ )
        r->out[(r->out_prod + i) % XENCONS_OUT_SIZE] = s[i];
    __atomic_store_n(&r->out_prod, r->out_prod + (uint32_t)n, __ATOMIC_RELEASE);
    guest_notify(domid);
}

/* --- the test ------------------------------------------------------------ */

static void add_domain(unsigned int domid, const char *name)
{
    char p[64], v[16];

    snprintf(p, sizeof(p), "/local/domain/%u/name", domid);
    node_set(p, name);
    snprintf(p, sizeof(p), "/local/domain/%u/console/port", domid);
    node_set(p, "2");
    snprintf(p, sizeof(p), "/local/domain/%u/console/type", domid);
    node_set(p, "xenconsoled");
    /* ring-ref last, as a builder would: the console is complete now. */
    snprintf(p, sizeof(p), "/local/domain/%u/console/ring-ref", domid);
    snprintf(v, sizeof(v), "%u", 1044479 - domid);
    node_set(p, v);
    snprintf(p, sizeof(p), "/local/domain/%u", domid);
    kick_watch(p);
}

/* Run the daemon until cond() holds, at most ~2 s. */
static bool run_until(struct daemon *d, bool (*cond)(void *), void *arg)
{
    int i;

    for ( i = 0; i < 40; i++ )
    {
        if ( cond(arg) )
            return true;
        assert_int_equal(daemon_run_once(d, 50), 0);
    }
    return cond(arg);
}

static bool tty_published(void *arg)
{
    char p[64], v[128];

    snprintf(p, sizeof(p), "/local/domain/%u/console/tty", *(unsigned int *)arg);
    return node_get(p, v, sizeof(v));
}

static char log_dir[32];

static bool log_says(void *arg)
{
    const char *const *want = arg;        /* { name, text } */
    char path[96], buf[256];
    ssize_t n;
    int fd;

    snprintf(path, sizeof(path), "%s/guest-%s.log", log_dir, want[0]);
    if ( (fd = open(path, O_RDONLY)) < 0 )
        return false;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    buf[n > 0 ? n : 0] = '\0';
    return !strcmp(buf, want[1]);
}

static bool ring_got_input(void *arg)
{
    return pages[1]->in_prod == 4;
}

static bool dom1_gone(void *arg)
{
    return unmaps == 1;
}

static void test_end_to_end(void **state)
{
    struct daemon d = { 0 };
    pthread_t thr;
    int sv[2];
    unsigned int one = 1, two = 2;
    const char *boot[2] = { "alpha", "hello from alpha\n" };
    const char *beta[2] = { "beta", "beta up\n" };
    char tty[128];
    struct console *c;
    unsigned int i;

    console_quiet = true;
    strcpy(log_dir, "/tmp/xcd-e2e-XXXXXX");
    assert_non_null(mkdtemp(log_dir));
    for ( i = 0; i < 4; i++ )
        assert_non_null(pages[i] = calloc(1, 4096));
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    assert_int_equal(pipe(kick), 0);
    assert_int_equal(pipe(evt_pipe), 0);
    srv_fd = sv[1];
    node_set("/local/domain/0/name", "Domain-0");
    assert_int_equal(pthread_create(&thr, NULL, xenstored_thread, NULL), 0);

    /* What xenconsoled's main does, with our fds. */
    d.xs = xs_open_fd(sv[0]);
    d.log_dir = log_dir;
    assert_int_equal(xs_watch(d.xs, "@introduceDomain", "intro"), 0);
    assert_int_equal(xs_watch(d.xs, "@releaseDomain", "release"), 0);
    assert_int_equal(xs_watch(d.xs, "/local/domain", "tree"), 0);
    assert_int_equal(daemon_scan(&d), 0);
    assert_null(d.consoles);

    /* A domain appears: the tree watch brings it in, the tty is published. */
    add_domain(1, "alpha");
    assert_true(run_until(&d, tty_published, &one));
    c = daemon_find(&d, 1);
    assert_non_null(c);
    assert_true(node_get("/local/domain/1/console/tty", tty, sizeof(tty)));
    assert_string_equal(tty, c->tty_path);

    /* Output goes to the log and the pty. */
    guest_put(1, "hello from alpha\n");
    assert_true(run_until(&d, log_says, boot));

    /* Input typed on the pty reaches the guest's ring. */
    {
        int t = open(tty, O_RDWR | O_NOCTTY);
        char buf[64];

        assert_true(t >= 0);
        assert_int_equal(read(t, buf, sizeof(buf)), 17);   /* what was logged */
        assert_int_equal(write(t, "ls\r\n", 4), 4);
        assert_true(run_until(&d, ring_got_input, NULL));
        assert_memory_equal(pages[1]->in, "ls\r\n", 4);
        close(t);
    }

    /* A second domain; then the first one is destroyed. */
    add_domain(2, "beta");
    assert_true(run_until(&d, tty_published, &two));
    guest_put(2, "beta up\n");
    assert_true(run_until(&d, log_says, beta));
    node_del_tree("/local/domain/1");
    kick_watch("/local/domain/1");
    assert_true(run_until(&d, dom1_gone, NULL));
    assert_null(daemon_find(&d, 1));
    assert_non_null(daemon_find(&d, 2));

    daemon_teardown_all(&d);
    xs_close(d.xs);                  /* the server thread sees EOF and exits */
    close(kick[1]);
    pthread_join(thr, NULL);
    close(sv[1]);
    close(kick[0]);
    close(evt_pipe[0]);
    close(evt_pipe[1]);
    for ( i = 0; i < 4; i++ )
        free(pages[i]);
    {
        char cmd[64];

        snprintf(cmd, sizeof(cmd), "rm -rf %s", log_dir);
        assert_int_equal(system(cmd), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_end_to_end),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

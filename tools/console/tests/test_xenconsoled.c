/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenconsoled's daemon logic with the hypervisor and xenstore mocked:
 * ctrl_map_foreign hands out ordinary pages, event channels are a queue of
 * fired ports, and xenstore is an in-memory table of path = value.
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

#include "xenconsoled.h"

/* --- fake xenstore ------------------------------------------------------- */

#define MAX_NODES 64
static struct { char *path, *value; } nodes[MAX_NODES];
static unsigned int nr_nodes;

static void xs_set(const char *path, const char *value)
{
    unsigned int i;

    for ( i = 0; i < nr_nodes; i++ )
        if ( !strcmp(nodes[i].path, path) )
        {
            free(nodes[i].value);
            nodes[i].value = strdup(value);
            return;
        }
    assert_true(nr_nodes < MAX_NODES);
    nodes[nr_nodes].path = strdup(path);
    nodes[nr_nodes++].value = strdup(value);
}

static const char *xs_get(const char *path)
{
    unsigned int i;

    for ( i = 0; i < nr_nodes; i++ )
        if ( !strcmp(nodes[i].path, path) )
            return nodes[i].value;
    return NULL;
}

/* Remove path and everything under it. */
static void xs_del_tree(const char *path)
{
    size_t n = strlen(path);
    unsigned int i = 0;

    while ( i < nr_nodes )
    {
        if ( !strncmp(nodes[i].path, path, n) &&
             (nodes[i].path[n] == '\0' || nodes[i].path[n] == '/') )
        {
            free(nodes[i].path);
            free(nodes[i].value);
            nodes[i] = nodes[--nr_nodes];
        }
        else
            i++;
    }
}

static void xs_reset(void)
{
    while ( nr_nodes )
    {
        nr_nodes--;
        free(nodes[nr_nodes].path);
        free(nodes[nr_nodes].value);
    }
}

int xs_read(struct xs_handle *h, xs_transaction_t t, const char *path,
            char **value, unsigned int *len)
{
    const char *v = xs_get(path);

    if ( !v )
        return -ENOENT;
    *value = strdup(v);
    if ( len )
        *len = (unsigned int)strlen(v);
    return 0;
}

int xs_write(struct xs_handle *h, xs_transaction_t t, const char *path,
             const void *data, unsigned int len)
{
    char *v = strndup(data, len);

    xs_set(path, v);
    free(v);
    return 0;
}

/* Immediate children of /local/domain: the domain ids. */
int xs_directory(struct xs_handle *h, xs_transaction_t t, const char *path,
                 char ***names, unsigned int *num)
{
    static const char prefix[] = "/local/domain/";
    char seen[MAX_NODES][16], **vec, *s;
    unsigned int n = 0, i, j;

    assert_string_equal(path, "/local/domain");
    for ( i = 0; i < nr_nodes; i++ )
    {
        char id[16];

        if ( strncmp(nodes[i].path, prefix, sizeof(prefix) - 1) )
            continue;
        snprintf(id, sizeof(id), "%s", nodes[i].path + sizeof(prefix) - 1);
        if ( (s = strchr(id, '/')) )
            *s = '\0';
        for ( j = 0; j < n && strcmp(seen[j], id); j++ )
            ;
        if ( j == n )
            strcpy(seen[n++], id);
    }
    vec = malloc((n + 1) * sizeof(*vec) + n * 16);
    s = (char *)(vec + n + 1);
    for ( i = 0; i < n; i++, s += 16 )
    {
        strcpy(s, seen[i]);
        vec[i] = s;
    }
    vec[n] = NULL;
    *names = vec;
    *num = n;
    return 0;
}

static unsigned int pending_watch_events;

int xs_check_watch(struct xs_handle *h, char ***vec, unsigned int *num)
{
    if ( !pending_watch_events )
        return -EAGAIN;
    pending_watch_events--;
    *vec = calloc(3, sizeof(char *));
    *num = 2;
    return 0;
}

static int dummy_fd = -1;
int xs_fileno(struct xs_handle *h) { return dummy_fd; }
struct xs_handle *xs_open(unsigned int flags) { return NULL; }
void xs_close(struct xs_handle *h) { }
int xs_watch(struct xs_handle *h, const char *p, const char *t) { return 0; }

/* --- fake hypervisor ---------------------------------------------------- */

#define MAX_DOMS 8
static struct xencons_interface *pages[MAX_DOMS];   /* by domid */
static unsigned int maps, unmaps, binds, unbinds, notifies;
static bool fail_map_for[MAX_DOMS];
static int fired[16];
static unsigned int nr_fired;

void *ctrl_map_foreign(struct ctrl_handle *h, ctrl_domid_t domid, int prot,
                       const uint64_t *gfns, int *errs, unsigned int n)
{
    assert_int_equal(n, 1);
    assert_true(domid < MAX_DOMS);
    maps++;
    if ( fail_map_for[domid] )
    {
        errno = EFAULT;
        return NULL;
    }
    assert_int_equal(gfns[0], 0xfeff0 + domid);     /* the ring-ref we wrote */
    if ( errs )
        errs[0] = 0;
    return pages[domid];
}

int ctrl_unmap_foreign(void *addr, unsigned int n)
{
    unmaps++;
    return 0;
}

/* Local port = 100 + domid, so a fired port names its domain. */
int evtchn_bind_interdomain(struct evtchn_handle *e, ctrl_domid_t domid,
                            uint32_t remote_port)
{
    assert_int_equal(remote_port, 2);
    binds++;
    return 100 + domid;
}

int evtchn_unbind(struct evtchn_handle *e, uint32_t port) { unbinds++; return 0; }
int evtchn_notify(struct evtchn_handle *e, uint32_t port) { notifies++; return 0; }
int evtchn_unmask(struct evtchn_handle *e, uint32_t port) { return 0; }
int evtchn_fd(struct evtchn_handle *e) { return dummy_fd; }

int evtchn_pending(struct evtchn_handle *e)
{
    return nr_fired ? fired[--nr_fired] : -EAGAIN;
}

struct ctrl_handle *ctrl_open(void) { return NULL; }
void ctrl_close(struct ctrl_handle *h) { }
struct evtchn_handle *evtchn_open(void) { return NULL; }
void evtchn_close(struct evtchn_handle *e) { }

/* --- helpers ------------------------------------------------------------- */

static char log_dir[32];

static void add_domain(unsigned int domid, const char *name, bool with_console)
{
    char path[64], v[32];

    snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
    xs_set(path, name);
    if ( !with_console )
        return;
    snprintf(path, sizeof(path), "/local/domain/%u/console/ring-ref", domid);
    snprintf(v, sizeof(v), "%u", 0xfeff0 + domid);
    xs_set(path, v);
    snprintf(path, sizeof(path), "/local/domain/%u/console/port", domid);
    xs_set(path, "2");
}

static void guest_put(unsigned int domid, const char *s)
{
    struct xencons_interface *r = pages[domid];
    size_t i, n = strlen(s);

    for ( i = 0; i < n; i++ )
        r->out[(r->out_prod + i) % XENCONS_OUT_SIZE] = s[i];
    r->out_prod += (XENCONS_RING_IDX)n;
}

static void fire(unsigned int domid)
{
    fired[nr_fired++] = 100 + (int)domid;
}

static void log_of(const char *name, char *buf, size_t max)
{
    char path[96];
    int fd;
    ssize_t n;

    snprintf(path, sizeof(path), "%s/guest-%s.log", log_dir, name);
    fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    n = read(fd, buf, max - 1);
    close(fd);
    buf[n > 0 ? n : 0] = '\0';
}

static int setup(void **state)
{
    struct daemon *d = calloc(1, sizeof(*d));
    unsigned int i;

    strcpy(log_dir, "/tmp/xcd-test-XXXXXX");
    if ( !d || !mkdtemp(log_dir) )
        return -1;
    d->log_dir = log_dir;
    for ( i = 0; i < MAX_DOMS; i++ )
    {
        pages[i] = calloc(1, 4096);
        fail_map_for[i] = false;
    }
    maps = unmaps = binds = unbinds = notifies = nr_fired = 0;
    pending_watch_events = 0;
    console_quiet = true;
    xs_set("/local/domain/0/name", "Domain-0");
    *state = d;
    return 0;
}

static int teardown(void **state)
{
    struct daemon *d = *state;
    char cmd[64];
    unsigned int i;

    daemon_teardown_all(d);
    for ( i = 0; i < MAX_DOMS; i++ )
        free(pages[i]);
    xs_reset();
    snprintf(cmd, sizeof(cmd), "rm -rf %s", log_dir);
    assert_int_equal(system(cmd), 0);
    free(d);
    return 0;
}

/* --- tests --------------------------------------------------------------- */

static void test_scan_serves_domus_with_consoles(void **state)
{
    struct daemon *d = *state;
    struct console *c;

    add_domain(1, "web", true);
    add_domain(2, "db", false);              /* still being built */
    assert_int_equal(daemon_scan(d), 0);
    assert_null(daemon_find(d, 0));          /* dom0: never ours */
    assert_null(daemon_find(d, 2));
    c = daemon_find(d, 1);
    assert_non_null(c);
    assert_false(c->broken);
    assert_int_equal(c->local_port, 101);
    assert_string_equal(c->name, "web");
    /* The pty's name is published for xl console. */
    assert_non_null(xs_get("/local/domain/1/console/tty"));
    assert_string_equal(xs_get("/local/domain/1/console/tty"), c->tty_path);
    assert_int_equal(maps, 1);
    assert_int_equal(binds, 1);

    /* A second scan changes nothing. */
    assert_int_equal(daemon_scan(d), 0);
    assert_int_equal(maps, 1);

    /* Domain 2's console appears later. */
    add_domain(2, "db", true);
    assert_int_equal(daemon_scan(d), 0);
    assert_non_null(daemon_find(d, 2));
    assert_int_equal(maps, 2);
}

static void test_output_reaches_log_and_pty(void **state)
{
    struct daemon *d = *state;
    struct console *c;
    char buf[128];

    add_domain(3, "mail", true);
    guest_put(3, "early boot\n");            /* before we connected */
    assert_int_equal(daemon_scan(d), 0);
    c = daemon_find(d, 3);
    assert_non_null(c);
    guest_put(3, "login: ");
    fire(3);
    daemon_handle_events(d);
    assert_int_equal(pages[3]->out_cons, pages[3]->out_prod);
    log_of("mail", buf, sizeof(buf));
    assert_string_equal(buf, "early boot\nlogin: ");
    assert_int_equal(read(c->slave_fd, buf, sizeof(buf)), 18);
    assert_memory_equal(buf, "early boot\nlogin: ", 18);
    assert_true(notifies >= 2);

    /* Typing at the pty goes into the guest's input ring. */
    assert_int_equal(write(c->slave_fd, "root\n", 5), 5);
    usleep(10000);
    assert_int_equal(daemon_run_once(d, 100), 0);
    assert_int_equal(pages[3]->in_prod, 5);
    assert_memory_equal(pages[3]->in, "root\n", 5);
}

static void test_hostile_guest_loses_only_its_console(void **state)
{
    struct daemon *d = *state;
    char buf[64];

    add_domain(1, "evil", true);
    add_domain(2, "good", true);
    assert_int_equal(daemon_scan(d), 0);
    pages[1]->out_prod = 0x12345678;         /* garbage indices */
    guest_put(2, "fine");
    fire(1);
    fire(2);
    daemon_handle_events(d);
    assert_true(daemon_find(d, 1)->broken);
    assert_false(daemon_find(d, 2)->broken);
    log_of("good", buf, sizeof(buf));
    assert_string_equal(buf, "fine");
    /* Later output from the good guest still flows. */
    guest_put(2, "!");
    fire(2);
    daemon_handle_events(d);
    log_of("good", buf, sizeof(buf));
    assert_string_equal(buf, "fine!");
    /* Events from the broken one are ignored, not fatal. */
    fire(1);
    daemon_handle_events(d);
    assert_int_equal(daemon_run_once(d, 0), 0);
}

static void test_destroyed_domain_is_released(void **state)
{
    struct daemon *d = *state;

    add_domain(4, "tmp", true);
    assert_int_equal(daemon_scan(d), 0);
    assert_non_null(daemon_find(d, 4));
    xs_del_tree("/local/domain/4");
    pending_watch_events = 1;                /* the tree watch fires */
    assert_int_equal(daemon_run_once(d, 0), 0);
    assert_null(daemon_find(d, 4));
    assert_int_equal(unmaps, 1);
    assert_int_equal(unbinds, 1);
}

static void test_unmappable_console_not_retried(void **state)
{
    struct daemon *d = *state;

    fail_map_for[5] = true;
    add_domain(5, "nomap", true);
    assert_int_equal(daemon_scan(d), 0);
    assert_non_null(daemon_find(d, 5));
    assert_true(daemon_find(d, 5)->broken);
    assert_int_equal(daemon_scan(d), 0);
    assert_int_equal(maps, 1);               /* once, not on every event */
    assert_null(xs_get("/local/domain/5/console/tty"));
}

static void test_bad_xenstore_values_ignored(void **state)
{
    struct daemon *d = *state;

    add_domain(6, "x", true);
    xs_set("/local/domain/6/console/port", "2abc");
    xs_set("/local/domain/notanumber/name", "y");
    xs_set("/local/domain/99999/name", "z");
    assert_int_equal(daemon_scan(d), 0);
    assert_null(daemon_find(d, 6));
    assert_int_equal(maps, 0);
    xs_set("/local/domain/6/console/port", "2");
    assert_int_equal(daemon_scan(d), 0);
    assert_non_null(daemon_find(d, 6));
}

static void test_console_type_respected(void **state)
{
    struct daemon *d = *state;

    add_domain(1, "qemu", true);
    xs_set("/local/domain/1/console/type", "ioemu");
    add_domain(2, "pv", true);
    xs_set("/local/domain/2/console/type", "xenconsoled");
    assert_int_equal(daemon_scan(d), 0);
    assert_null(daemon_find(d, 1));
    assert_non_null(daemon_find(d, 2));
    assert_int_equal(maps, 1);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_scan_serves_domus_with_consoles),
        T(test_output_reaches_log_and_pty),
        T(test_hostile_guest_loses_only_its_console),
        T(test_destroyed_domain_is_released),
        T(test_unmappable_console_not_retried),
        T(test_bad_xenstore_values_ignored),
        T(test_console_type_respected),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

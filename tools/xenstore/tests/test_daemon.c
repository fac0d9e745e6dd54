/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The real daemon on this host: spawn xenstored (the host build, with
 * --no-domain-init) on a socket in a temporary directory and talk the raw
 * wire protocol to it, the way xenstore-read and friends do.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <public/io/xs_wire.h>

struct msg {
    struct xsd_sockmsg hdr;
    char data[XENSTORE_PAYLOAD_MAX + 1];
};

static char dir[64], sock_path[100], pid_path[128], trace_path[128], log_path[128];
static pid_t daemon_pid;
static uint32_t next_req = 1;

static void sleep_ms(long ms)
{
    struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };

    nanosleep(&ts, NULL);
}

static int cl_connect(void)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd, tries;

    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
    for ( tries = 0; tries < 500; tries++ )
    {
        fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if ( fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 )
            return fd;
        if ( fd >= 0 )
            close(fd);
        sleep_ms(10);
    }
    return -1;
}

/* read() exactly len bytes, waiting at most 5 s; 0 on EOF, -1 on timeout. */
static ssize_t read_full(int fd, void *buf, size_t len)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    size_t got = 0;
    ssize_t n;

    while ( got < len )
    {
        if ( poll(&p, 1, 5000) != 1 )
            return -1;
        n = read(fd, (char *)buf + got, len - got);
        if ( n <= 0 )
            return n;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

static void cl_send(int fd, uint32_t type, uint32_t tx, const void *p, size_t len)
{
    struct xsd_sockmsg h = { .type = type, .req_id = next_req++, .tx_id = tx,
                             .len = (uint32_t)len };

    assert_int_equal(write(fd, &h, sizeof(h)), sizeof(h));
    if ( len )
        assert_int_equal(write(fd, p, len), (ssize_t)len);
}

static void cl_recv(int fd, struct msg *m)
{
    memset(m, 0, sizeof(*m));
    assert_int_equal(read_full(fd, &m->hdr, sizeof(m->hdr)), sizeof(m->hdr));
    assert_true(m->hdr.len <= XENSTORE_PAYLOAD_MAX);
    if ( m->hdr.len )
        assert_int_equal(read_full(fd, m->data, m->hdr.len), m->hdr.len);
}

/* Send strings (each with its NUL) and return the reply. */
static void cl_call(int fd, uint32_t type, uint32_t tx, struct msg *m, ...)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    size_t len = 0, l;
    const char *s;
    va_list ap;

    va_start(ap, m);
    while ( (s = va_arg(ap, const char *)) )
    {
        l = strlen(s) + 1;
        memcpy(buf + len, s, l);
        len += l;
    }
    va_end(ap);
    cl_send(fd, type, tx, buf, len);
    cl_recv(fd, m);
    assert_int_equal(m->hdr.req_id, next_req - 1);
}

static void cl_write(int fd, uint32_t tx, const char *path, const char *value)
{
    char buf[512];
    size_t pl = strlen(path) + 1;
    struct msg m;

    memcpy(buf, path, pl);
    memcpy(buf + pl, value, strlen(value));
    cl_send(fd, XS_WRITE, tx, buf, pl + strlen(value));
    cl_recv(fd, &m);
    assert_int_equal(m.hdr.type, XS_WRITE);
    assert_string_equal(m.data, "OK");
}

static pid_t spawn(bool foreground)
{
    const char *bin = getenv("XENSTORED_BIN");
    const char *argv[16];
    unsigned int n = 0;
    pid_t pid;

    assert_non_null(bin);
    argv[n++] = bin;
    if ( foreground )
        argv[n++] = "-F";
    argv[n++] = "--socket";
    argv[n++] = sock_path;
    argv[n++] = "--no-domain-init";
    argv[n++] = "--pid-file";
    argv[n++] = pid_path;
    argv[n++] = "-T";
    argv[n++] = trace_path;
    argv[n] = NULL;
    pid = fork();
    assert_true(pid >= 0);
    if ( pid == 0 )
    {
        /* As dom0's init starts it: output to a log file. */
        int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0600);

        if ( fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0 )
            _exit(126);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    return pid;
}

static int group_setup(void **state)
{
    strcpy(dir, "/tmp/xenstored-test-XXXXXX");
    if ( !mkdtemp(dir) )
        return -1;
    /* A directory that does not exist yet: the daemon creates it. */
    snprintf(sock_path, sizeof(sock_path), "%s/run/socket", dir);
    snprintf(pid_path, sizeof(pid_path), "%s/xenstored.pid", dir);
    snprintf(trace_path, sizeof(trace_path), "%s/trace", dir);
    snprintf(log_path, sizeof(log_path), "%s/log", dir);
    daemon_pid = spawn(true);
    return 0;
}

static int group_teardown(void **state)
{
    FILE *f = fopen(pid_path, "r");
    char cmd[128];
    long pid = 0;

    if ( daemon_pid > 0 )
    {
        kill(daemon_pid, SIGKILL);
        waitpid(daemon_pid, NULL, 0);
    }
    /* A daemonised one a failed test left behind. */
    if ( f && fscanf(f, "%ld", &pid) == 1 && pid > 1 )
        kill((pid_t)pid, SIGKILL);
    if ( f )
        fclose(f);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_read_initial_tree(void **state)
{
    int fd = cl_connect();
    struct msg m;

    assert_true(fd >= 0);
    cl_call(fd, XS_READ, 0, &m, "/local/domain/0/name", NULL);
    assert_int_equal(m.hdr.type, XS_READ);
    assert_int_equal(m.hdr.len, 8);
    assert_memory_equal(m.data, "Domain-0", 8);
    cl_call(fd, XS_DIRECTORY, 0, &m, "/local/domain/0", NULL);
    assert_int_equal(m.hdr.len, sizeof("domid\0name"));
    cl_call(fd, XS_READ, 0, &m, "/nonexistent", NULL);
    assert_int_equal(m.hdr.type, XS_ERROR);
    assert_string_equal(m.data, "ENOENT");
    close(fd);
}

static void test_write_and_watch_between_clients(void **state)
{
    int a = cl_connect(), b = cl_connect();
    struct msg m;

    assert_true(a >= 0 && b >= 0);
    cl_call(b, XS_WATCH, 0, &m, "/vm/test", "tok", NULL);
    assert_string_equal(m.data, "OK");
    cl_recv(b, &m);                                  /* the initial event */
    assert_int_equal(m.hdr.type, XS_WATCH_EVENT);
    assert_string_equal(m.data, "/vm/test");
    cl_write(a, 0, "/vm/test/key", "value");
    cl_recv(b, &m);
    assert_int_equal(m.hdr.type, XS_WATCH_EVENT);
    assert_string_equal(m.data, "/vm/test/key");
    assert_string_equal(m.data + strlen(m.data) + 1, "tok");
    cl_call(b, XS_READ, 0, &m, "/vm/test/key", NULL);
    assert_memory_equal(m.data, "value", 5);
    close(a);
    close(b);
}

static void test_transaction(void **state)
{
    int fd = cl_connect();
    struct msg m;
    uint32_t tx;

    cl_call(fd, XS_TRANSACTION_START, 0, &m, "", NULL);
    assert_int_equal(m.hdr.type, XS_TRANSACTION_START);
    tx = (uint32_t)strtoul(m.data, NULL, 10);
    assert_true(tx != 0);
    cl_write(fd, tx, "/tx/a", "1");
    cl_call(fd, XS_READ, 0, &m, "/tx/a", NULL);
    assert_string_equal(m.data, "ENOENT");
    cl_call(fd, XS_TRANSACTION_END, tx, &m, "T", NULL);
    assert_string_equal(m.data, "OK");
    cl_call(fd, XS_READ, 0, &m, "/tx/a", NULL);
    assert_memory_equal(m.data, "1", 1);
    close(fd);
}

static void test_bad_client_cut_off_others_fine(void **state)
{
    int bad = cl_connect(), good = cl_connect();
    struct xsd_sockmsg h = { .type = XS_READ, .len = 100000 };
    struct msg m;
    char c;

    assert_int_equal(write(bad, &h, sizeof(h)), sizeof(h));
    assert_int_equal(read_full(bad, &c, 1), 0);       /* closed on us */
    cl_call(good, XS_GET_DOMAIN_PATH, 0, &m, "3", NULL);
    assert_string_equal(m.data, "/local/domain/3");
    /* Garbage that is well-framed just gets errors. */
    cl_send(good, 12345, 0, "junk", 4);
    cl_recv(good, &m);
    assert_string_equal(m.data, "ENOSYS");
    close(bad);
    close(good);
}

static void test_pid_file_and_clean_exit(void **state)
{
    FILE *f = fopen(pid_path, "r");
    struct stat st;
    long pid = 0;
    int status;

    assert_non_null(f);
    assert_int_equal(fscanf(f, "%ld", &pid), 1);
    fclose(f);
    assert_int_equal(pid, daemon_pid);
    assert_int_equal(stat(trace_path, &st), 0);
    assert_true(st.st_size > 0);
    assert_int_equal(kill(daemon_pid, SIGTERM), 0);
    assert_int_equal(waitpid(daemon_pid, &status, 0), daemon_pid);
    daemon_pid = 0;
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(access(sock_path, F_OK), -1);
    assert_int_equal(access(pid_path, F_OK), -1);
}

/* Without -F it forks into the background; the pid file finds it. */
static void test_daemonises(void **state)
{
    pid_t parent = spawn(false);
    char line[4096] = "";
    int status, fd;
    long pid = 0;
    FILE *f;

    assert_int_equal(waitpid(parent, &status, 0), parent);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    fd = cl_connect();
    assert_true(fd >= 0);
    close(fd);
    assert_non_null(f = fopen(pid_path, "r"));
    assert_int_equal(fscanf(f, "%ld", &pid), 1);
    fclose(f);
    assert_true(pid > 0 && pid != parent);
    /* The daemon kept the log file it was started with. */
    assert_non_null(f = fopen(log_path, "r"));
    assert_int_equal(fread(line, 1, sizeof(line) - 1, f) > 0, 1);
    fclose(f);
    assert_non_null(strstr(line, "xenstored: serving"));
    assert_int_equal(kill((pid_t)pid, SIGTERM), 0);
    for ( int i = 0; i < 500 && kill((pid_t)pid, 0) == 0; i++ )
        sleep_ms(10);
    assert_int_equal(kill((pid_t)pid, 0), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_initial_tree),
        cmocka_unit_test(test_write_and_watch_between_clients),
        cmocka_unit_test(test_transaction),
        cmocka_unit_test(test_bad_client_cut_off_others_fine),
        cmocka_unit_test(test_pid_file_and_clean_exit),
        cmocka_unit_test(test_daemonises),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

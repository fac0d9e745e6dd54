/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenstored: Tonnerre's xenstore daemon.
 *
 *   xenstored [-F|--foreground] [--socket PATH] [--no-domain-init]
 *             [-T|--trace-file FILE] [--pid-file FILE]
 *
 * Listens on a Unix socket for dom0's tools (--socket, else $XENSTORED_PATH,
 * else /run/xenstored/socket) and, unless --no-domain-init, serves dom0's
 * kernel through xenfs's xsd_kva and every INTRODUCEd domain through its
 * ring.  One thread, one poll() loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <tonnerre/ctrl.h>
#include "xs_core.h"
#include "xs_unix.h"

#define XS_PID_FILE   "/run/xenstored.pid"
#define XS_POLL_MAX   1024

struct options {
    bool foreground;
    bool domain_init;
    const char *socket;
    const char *trace;
    const char *pid_file;
};

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
    stopping = sig;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: xenstored [-F|--foreground] [--socket PATH] [--no-domain-init]\n"
               "                 [-T|--trace-file FILE] [--pid-file FILE]\n");
}

static int parse_options(int argc, char **argv, struct options *o)
{
    enum { OPT_SOCKET = 256, OPT_NO_DOMAIN_INIT, OPT_PID_FILE };
    static const struct option longopts[] = {
        { "foreground", no_argument, NULL, 'F' },
        { "socket", required_argument, NULL, OPT_SOCKET },
        { "no-domain-init", no_argument, NULL, OPT_NO_DOMAIN_INIT },
        { "trace-file", required_argument, NULL, 'T' },
        { "pid-file", required_argument, NULL, OPT_PID_FILE },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int ch;

    *o = (struct options){ .domain_init = true, .pid_file = XS_PID_FILE };
    o->socket = getenv("XENSTORED_PATH");
    while ( (ch = getopt_long(argc, argv, "FT:h", longopts, NULL)) != -1 )
    {
        switch ( ch )
        {
        case 'F': o->foreground = true; break;
        case 'T': o->trace = optarg; break;
        case OPT_SOCKET: o->socket = optarg; break;
        case OPT_NO_DOMAIN_INIT: o->domain_init = false; break;
        case OPT_PID_FILE: o->pid_file = optarg; break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); return -1;
        }
    }
    if ( optind != argc )
    {
        usage(stderr);
        return -1;
    }
    if ( !o->socket || !*o->socket )
        o->socket = XS_UNIX_DEFAULT_PATH;
    return 0;
}

static int write_pid_file(const char *path, pid_t pid)
{
    FILE *f;

    if ( !path )
        return 0;
    if ( !(f = fopen(path, "w")) )
    {
        fprintf(stderr, "xenstored: %s: %s\n", path, strerror(errno));
        return -errno;
    }
    fprintf(f, "%ld\n", (long)pid);
    return fclose(f) ? -errno : 0;
}

/*
 * The parent writes the child's pid before it exits, so whoever started us
 * finds both the socket and the pid file in place once we return.
 */
/* Detach a terminal from an fd, but keep a log file the caller gave us. */
static void quiet_fd(int fd, int null_fd)
{
    if ( fd == 0 || isatty(fd) )
        dup2(null_fd, fd);
}

static int daemonise(const char *pid_file)
{
    pid_t pid = fork();
    int fd;

    if ( pid < 0 )
        return -errno;
    if ( pid > 0 )
        _exit(write_pid_file(pid_file, pid) ? 1 : 0);
    setsid();
    if ( chdir("/") )
        return -errno;
    if ( (fd = open("/dev/null", O_RDWR)) >= 0 )
    {
        quiet_fd(0, fd);
        quiet_fd(1, fd);
        quiet_fd(2, fd);
        if ( fd > 2 )
            close(fd);
    }
    return 0;
}

static void install_signals(void)
{
    struct sigaction sa = { .sa_handler = on_signal };

    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
}

/* Bring up the hypervisor side: control handles, VIRQ_DOM_EXC, dom0's ring. */
static int domains_start(struct xs_state *s)
{
    int rc;

    if ( (rc = xs_domain_open(s)) )
    {
        fprintf(stderr, "xenstored: cannot open the hypervisor interfaces: %s\n",
                strerror(-rc));
        return rc;
    }
    if ( (rc = xs_domain_init_dom0(s)) )
        fprintf(stderr, "xenstored: no local dom0 ring (%s); dom0's kernel will not "
                "reach us\n", strerror(-rc));
    return 0;
}

static void main_loop(struct xs_state *s, struct xs_unix *u)
{
    struct pollfd fds[XS_POLL_MAX + 1];
    unsigned int n;
    int evfd = s->evtchn ? evtchn_fd(s->evtchn) : -1;

    while ( !stopping )
    {
        n = xs_unix_pollfds(u, fds, XS_POLL_MAX);
        fds[n] = (struct pollfd){ .fd = evfd, .events = POLLIN };
        if ( poll(fds, n + 1, 1000) < 0 && errno != EINTR )
            break;
        xs_unix_handle(u, s, fds, n);
        if ( fds[n].revents & POLLIN )
            xs_domain_handle_events(s);
        /* Requests on one connection queue events on others: send them. */
        xs_domain_service_all(s);
        xs_unix_flush(u);
    }
}

int main(int argc, char **argv)
{
    struct options o;
    struct xs_state s;
    struct xs_unix u;
    int rc;

    if ( parse_options(argc, argv, &o) )
        return 2;
    install_signals();
    xs_state_init(&s);
    s.log = stderr;
    xs_state_populate(&s);
    if ( o.trace && !(s.trace = fopen(o.trace, "a")) )
    {
        fprintf(stderr, "xenstored: %s: %s\n", o.trace, strerror(errno));
        return 1;
    }
    if ( o.domain_init && domains_start(&s) )
        return 1;
    if ( (rc = xs_unix_listen(&u, o.socket)) )
    {
        fprintf(stderr, "xenstored: %s: %s\n", o.socket, strerror(-rc));
        return 1;
    }
    xs_log(&s, "serving %s%s", o.socket,
           o.domain_init ? "" : " (no domains: --no-domain-init)");
    if ( o.foreground )
        write_pid_file(o.pid_file, getpid());
    else if ( daemonise(o.pid_file) )
        return 1;
    main_loop(&s, &u);
    xs_unix_close(&u);
    xs_state_fini(&s);
    if ( o.pid_file )
        unlink(o.pid_file);
    if ( s.trace )
        fclose(s.trace);
    return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * iobench: the disk and TCP measurements of `make bench`'s PV I/O table,
 * run the same way in dom0 (on the loop device blkback serves, and over
 * loopback: the limit) and in a domU (on xvda, and over its vif), so the
 * two sides differ only in the path under test.
 *   seq-write DEV MIB    MIB MiB in 1 MiB writes from offset 0, then fsync
 *   seq-read DEV MIB     the same MiB read back in 1 MiB reads
 *   rand-read DEV MIB S  4 KiB reads at random 4 KiB-aligned offsets in the
 *                        first MIB MiB, one at a time, for S seconds
 *   rand-write DEV MIB S the same with writes, then fsync
 *   tcp-sink PORT        accept one connection, read it to its end
 *   tcp-send HOST PORT MIB  send MIB MiB to HOST:PORT and close
 * Disk I/O is O_DIRECT, so the guest's page cache does not answer for the
 * device.  Time is the running kernel's CLOCK_MONOTONIC; MB is 10^6 bytes.
 * Prints one line (the rate first); exit status 0 when the run worked.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024L * 1024)
#define BLOCK 4096              /* the random I/O size, and O_DIRECT's alignment */
#define NET_CHUNK (128 * 1024)
#define CONNECT_TRIES 100       /* 10 s for the listener to appear */

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int fail(const char *what)
{
    printf("error: %s: %s\n", what, strerror(errno));
    return 1;
}

/* Not for secrets: only so that offsets and data are not a pattern. */
static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void *aligned_buffer(size_t len, uint64_t *seed)
{
    uint64_t *p;
    size_t i;

    if ( posix_memalign((void **)&p, BLOCK, len) )
        return NULL;
    for ( i = 0; i < len / sizeof(*p); i++ )
        p[i] = xorshift(seed);
    return p;
}

static int open_direct(const char *dev, int rw)
{
    return open(dev, rw | O_DIRECT | O_CLOEXEC);
}

static int print_rate(const char *unit_done, double bytes, double secs)
{
    printf("%.1f MB/s (%.0f %s in %.2f s)\n", bytes / 1e6 / secs,
           bytes / MIB, unit_done, secs);
    return 0;
}

static int seq_io(const char *dev, long mib, int write)
{
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    char *buf = aligned_buffer(MIB, &seed);
    int fd = open_direct(dev, write ? O_WRONLY : O_RDONLY);
    double t0;
    long i;

    if ( !buf || fd < 0 || mib <= 0 )
        return fail(dev);
    t0 = now();
    for ( i = 0; i < mib; i++ )
    {
        ssize_t n = write ? pwrite(fd, buf, MIB, i * MIB) : pread(fd, buf, MIB, i * MIB);

        if ( n != MIB )
            return fail(write ? "pwrite" : "pread");
    }
    if ( write && fsync(fd) )
        return fail("fsync");
    return print_rate("MiB", (double)mib * MIB, now() - t0);
}

static int random_io(const char *dev, long mib, double secs, int write)
{
    uint64_t seed = (uint64_t)time(NULL) * 2654435761u | 1;
    char *buf = aligned_buffer(BLOCK, &seed);
    int fd = open_direct(dev, write ? O_WRONLY : O_RDONLY);
    uint64_t blocks = (uint64_t)mib * MIB / BLOCK;
    double t0, t;
    long ops = 0;

    if ( !buf || fd < 0 || !blocks )
        return fail(dev);
    t0 = now();
    do {
        off_t off = (off_t)(xorshift(&seed) % blocks) * BLOCK;
        ssize_t n = write ? pwrite(fd, buf, BLOCK, off) : pread(fd, buf, BLOCK, off);

        if ( n != BLOCK )
            return fail(write ? "pwrite" : "pread");
        ops++;
        t = now() - t0;
    } while ( t < secs );
    if ( write && fsync(fd) )
        return fail("fsync");
    t = now() - t0;
    printf("%.0f IOPS (%ld in %.2f s)\n", ops / t, ops, t);
    return 0;
}

/* Timed from the first byte to the sender's close, by the receiver. */
static int tcp_sink(int port)
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
    int one = 1, ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), s;
    static char buf[NET_CHUNK];
    double bytes = 0, t0 = 0, t;
    ssize_t n;

    if ( ls < 0 || setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
         bind(ls, (struct sockaddr *)&sa, sizeof(sa)) || listen(ls, 1) )
        return fail("listen");
    s = accept(ls, NULL, NULL);
    if ( s < 0 )
        return fail("accept");
    while ( (n = read(s, buf, sizeof(buf))) > 0 )
    {
        if ( !bytes )
            t0 = now();
        bytes += n;
    }
    if ( n < 0 || !bytes )
        return fail("read");
    t = now() - t0;
    printf("%.1f MB/s (%.0f bytes in %.2f s)\n", bytes / 1e6 / t, bytes, t);
    return 0;
}

static int tcp_connect(const char *host, int port)
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
    int i, s;

    if ( inet_pton(AF_INET, host, &sa.sin_addr) != 1 )
    {
        errno = EINVAL;
        return -1;
    }
    for ( i = 0; i < CONNECT_TRIES; i++ )
    {
        s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if ( s >= 0 && !connect(s, (struct sockaddr *)&sa, sizeof(sa)) )
            return s;
        if ( s >= 0 )
            close(s);
        usleep(100000);
    }
    return -1;
}

static int tcp_send(const char *host, int port, long mib)
{
    uint64_t seed = 0x2545f4914f6cdd1dULL;
    char *buf = aligned_buffer(NET_CHUNK, &seed);
    long left = mib * MIB;
    int s = tcp_connect(host, port);

    if ( !buf || s < 0 || mib <= 0 )
        return fail("connect");
    while ( left > 0 )
    {
        ssize_t n = write(s, buf, left < NET_CHUNK ? left : NET_CHUNK);

        if ( n <= 0 )
            return fail("write");
        left -= n;
    }
    if ( close(s) )
        return fail("close");
    printf("sent %ld MiB\n", mib);
    return 0;
}

int main(int argc, char **argv)
{
    if ( argc == 4 && !strcmp(argv[1], "seq-write") )
        return seq_io(argv[2], atol(argv[3]), 1);
    if ( argc == 4 && !strcmp(argv[1], "seq-read") )
        return seq_io(argv[2], atol(argv[3]), 0);
    if ( argc == 5 && !strcmp(argv[1], "rand-read") )
        return random_io(argv[2], atol(argv[3]), atof(argv[4]), 0);
    if ( argc == 5 && !strcmp(argv[1], "rand-write") )
        return random_io(argv[2], atol(argv[3]), atof(argv[4]), 1);
    if ( argc == 3 && !strcmp(argv[1], "tcp-sink") )
        return tcp_sink(atoi(argv[2]));
    if ( argc == 5 && !strcmp(argv[1], "tcp-send") )
        return tcp_send(argv[2], atoi(argv[3]), atol(argv[4]));
    fprintf(stderr, "usage: %s seq-write|seq-read DEV MIB | rand-read|rand-write DEV MIB SECONDS"
            " | tcp-sink PORT | tcp-send HOST PORT MIB\n", argv[0]);
    return 2;
}

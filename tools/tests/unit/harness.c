/* SPDX-License-Identifier: GPL-2.0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "harness.h"

unsigned char *host_test_ram;
size_t host_test_ram_size;

static char log_buf[1 << 16];
static size_t log_len;

void host_test_ram_init(size_t bytes)
{
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

    assert_true(p != MAP_FAILED);
    host_test_ram = p;
    host_test_ram_size = bytes;
}

void host_test_ram_fini(void)
{
    if ( host_test_ram )
        munmap(host_test_ram, host_test_ram_size);
    host_test_ram = NULL;
    host_test_ram_size = 0;
}

const char *host_test_log(void) { return log_buf; }

void host_test_log_clear(void)
{
    log_len = 0;
    log_buf[0] = '\0';
}

int host_test_log_contains(const char *needle)
{
    return strstr(log_buf, needle) != NULL;
}

/* Weak so that a test of the real console code can supply its own. */
__attribute__((weak)) void vprintk(const char *fmt, va_list args);
__attribute__((weak)) void printk(const char *fmt, ...);
__attribute__((weak, noreturn)) void panic(const char *fmt, ...);

__attribute__((weak)) void vprintk(const char *fmt, va_list args)
{
    va_list copy;
    int n;

    va_copy(copy, args);
    n = vsnprintf(log_buf + log_len, sizeof(log_buf) - log_len, fmt, args);
    if ( n > 0 )
        log_len = log_len + (size_t)n < sizeof(log_buf) ? log_len + (size_t)n
                                                        : sizeof(log_buf) - 1;
    if ( getenv("UNIT_VERBOSE") )
        vfprintf(stderr, fmt, copy);
    va_end(copy);
}

__attribute__((weak)) void printk(const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    vprintk(fmt, args);
    va_end(args);
}

jmp_buf host_test_panic_env;
int host_test_panic_expected;
char host_test_panic_msg[512];

/*
 * An expected panic (assert_panics) jumps back to the test; any other is a
 * test failure, with the message shown.
 */
__attribute__((weak, noreturn)) void panic(const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    vsnprintf(host_test_panic_msg, sizeof(host_test_panic_msg), fmt, args);
    va_end(args);
    if ( host_test_panic_expected )
    {
        host_test_panic_expected = 0;
        longjmp(host_test_panic_env, 1);
    }
    fprintf(stderr, "unexpected panic: %s\n", host_test_panic_msg);
    abort();
}

/* glibc before 2.38 has no strlcpy; the hypervisor's string.c does. */
size_t strlcpy(char *dst, const char *src, size_t size);
__attribute__((weak)) size_t strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);

    if ( size )
    {
        size_t n = len < size - 1 ? len : size - 1;

        memcpy(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny printf to the hypervisor console.  Output is buffered until '\n'
 * and each line goes out in one console_io(CONSOLEIO_write) call, so lines
 * of concurrent guests do not interleave mid-line.
 */
#include "guest.h"

static char line[512];
static unsigned int line_len;

void console_flush(void)
{
    if (!line_len)
        return;
    if (HYPERCALL3(__HYPERVISOR_console_io, CONSOLEIO_write, line_len, line) < 0)
        /* No hypercall page (no Xen found): try the 0xe9 debug port. */
        for (unsigned int i = 0; i < line_len; i++)
            asm volatile("outb %0, $0xe9" :: "a"(line[i]));
    line_len = 0;
}

static void put(char c)
{
    line[line_len++] = c;
    if (c == '\n' || line_len == sizeof(line))
        console_flush();
}

static void put_num(uint64_t v, unsigned int base, int neg, int width, char pad)
{
    char buf[24];
    int n = 0;

    if (neg && pad == '0') {
        put('-');
        neg = 0;
        width--;
    }
    do {
        buf[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (neg)
        buf[n++] = '-';
    for (; width > n; width--)
        put(pad);
    while (n)
        put(buf[--n]);
}

/* %s %c %d %u %x with optional 0-padding, width, l/ll; %p; %%. */
void vprintk(const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        int width = 0, lng = 0;
        char pad = ' ';
        uint64_t v;

        if (*fmt != '%') {
            put(*fmt);
            continue;
        }
        fmt++;
        if (*fmt == '0')
            pad = '0';
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l') {
            lng++;
            fmt++;
        }
        switch (*fmt) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            int n = strlen(s ? s : "(null)");
            for (; width > n; width--)
                put(' ');
            for (s = s ? s : "(null)"; *s; s++)
                put(*s);
            break;
        }
        case 'c':
            put((char)va_arg(ap, int));
            break;
        case 'd': {
            int64_t s = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
            put_num(s < 0 ? -(uint64_t)s : (uint64_t)s, 10, s < 0, width, pad);
            break;
        }
        case 'u':
        case 'x':
            v = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int);
            put_num(v, *fmt == 'u' ? 10 : 16, 0, width, pad);
            break;
        case 'p':
            put('0');
            put('x');
            put_num((uintptr_t)va_arg(ap, void *), 16, 0, width, pad);
            break;
        case '%':
            put('%');
            break;
        case '\0':
            return;
        default:
            put('%');
            put(*fmt);
            break;
        }
    }
}

void printk(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

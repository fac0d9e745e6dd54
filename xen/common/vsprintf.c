/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsnprintf(): ISO C formatting for the hypervisor, plus %pS (a code address
 * as symbol+offset/size).  The result is always NUL-terminated when size > 0
 * and never written past size; the return value is the length the full
 * output would have had, as C99 specifies.
 */
#include <xen/lib.h>
#include <xen/string.h>
#include <xen/symbols.h>

#define FL_LEFT   0x01
#define FL_ZERO   0x02
#define FL_PLUS   0x04
#define FL_SPACE  0x08
#define FL_ALT    0x10
#define FL_UPPER  0x20

struct out {
    char *buf;
    size_t size;
    size_t len;     /* characters produced so far, written or not */
};

struct spec {
    unsigned int flags;
    int width;
    int precision;  /* -1: none */
};

static void put(struct out *o, char c)
{
    if ( o->len + 1 < o->size )
        o->buf[o->len] = c;
    o->len++;
}

static void put_repeat(struct out *o, char c, int n)
{
    for ( ; n > 0; n-- )
        put(o, c);
}

static void put_string(struct out *o, const char *s, const struct spec *sp)
{
    size_t len = strnlen(s, sp->precision >= 0 ? (size_t)sp->precision : ~(size_t)0);
    int pad = sp->width > (int)len ? sp->width - (int)len : 0;

    if ( !(sp->flags & FL_LEFT) )
        put_repeat(o, ' ', pad);
    while ( len-- )
        put(o, *s++);
    if ( sp->flags & FL_LEFT )
        put_repeat(o, ' ', pad);
}

/*
 * Integer conversion.  Layout: [spaces][sign/prefix][zeros][digits][spaces]
 * with the ISO rules: a precision disables the 0 flag, and '#' with octal
 * forces a leading zero digit.
 */
static void put_number(struct out *o, unsigned long long v, bool negative,
                       unsigned int base, const struct spec *sp)
{
    const char *digits = (sp->flags & FL_UPPER) ? "0123456789ABCDEF"
                                                 : "0123456789abcdef";
    char tmp[24];
    char prefix[3] = "";
    int n = 0, plen = 0, zeros, pad;

    while ( v )
    {
        tmp[n++] = digits[v % base];
        v /= base;
    }
    if ( negative )
        prefix[plen++] = '-';
    else if ( sp->flags & FL_PLUS )
        prefix[plen++] = '+';
    else if ( sp->flags & FL_SPACE )
        prefix[plen++] = ' ';
    if ( (sp->flags & FL_ALT) && base == 16 && n )
    {
        prefix[plen++] = '0';
        prefix[plen++] = (sp->flags & FL_UPPER) ? 'X' : 'x';
    }

    zeros = sp->precision > n ? sp->precision - n : 0;
    if ( sp->precision < 0 && n == 0 )
        zeros = 1;                         /* plain zero prints "0" */
    if ( (sp->flags & FL_ALT) && base == 8 && zeros == 0 &&
         (n == 0 || tmp[n - 1] != '0') )
        zeros = 1;
    pad = sp->width - plen - zeros - n;
    if ( (sp->flags & FL_ZERO) && !(sp->flags & FL_LEFT) && sp->precision < 0 &&
         pad > 0 )
    {
        zeros += pad;
        pad = 0;
    }

    if ( !(sp->flags & FL_LEFT) )
        put_repeat(o, ' ', pad);
    for ( int i = 0; i < plen; i++ )
        put(o, prefix[i]);
    put_repeat(o, '0', zeros);
    while ( n )
        put(o, tmp[--n]);
    if ( sp->flags & FL_LEFT )
        put_repeat(o, ' ', pad);
}

static void put_symbol(struct out *o, unsigned long addr, const struct spec *sp)
{
    unsigned long off, size;
    const char *name = symbols_lookup(addr, &off, &size);
    struct spec hex = { .flags = FL_ALT, .width = 0, .precision = -1 };
    struct spec plain = { .flags = 0, .width = 0, .precision = -1 };

    if ( !name )
    {
        put_number(o, addr, false, 16, &hex);
        return;
    }
    put_string(o, name, &plain);
    put(o, '+');
    put_number(o, off, false, 16, &hex);
    put(o, '/');
    put_number(o, size, false, 16, &hex);
    (void)sp;
}

static const char *parse_flags(const char *f, unsigned int *flags)
{
    for ( ; ; f++ )
    {
        switch ( *f )
        {
        case '-': *flags |= FL_LEFT; break;
        case '0': *flags |= FL_ZERO; break;
        case '+': *flags |= FL_PLUS; break;
        case ' ': *flags |= FL_SPACE; break;
        case '#': *flags |= FL_ALT; break;
        default: return f;
        }
    }
}

static const char *parse_int(const char *f, int *v)
{
    *v = 0;
    while ( *f >= '0' && *f <= '9' )
    {
        if ( *v < 100000 )
            *v = *v * 10 + (*f - '0');
        f++;
    }
    return f;
}

/* Length modifiers, as the size in bytes of the argument (0 = int). */
static const char *parse_length(const char *f, int *len)
{
    *len = 0;
    switch ( *f )
    {
    case 'h':
        *len = f[1] == 'h' ? 1 : 2;
        return f + (f[1] == 'h' ? 2 : 1);
    case 'l':
        *len = 8;
        return f + (f[1] == 'l' ? 2 : 1);
    case 'z': case 't': case 'j':
        *len = 8;
        return f + 1;
    }
    return f;
}

static long long fetch_signed(va_list *ap, int len)
{
    switch ( len )
    {
    case 1: return (signed char)va_arg(*ap, int);
    case 2: return (short)va_arg(*ap, int);
    case 8: return va_arg(*ap, long long);
    default: return va_arg(*ap, int);
    }
}

static unsigned long long fetch_unsigned(va_list *ap, int len)
{
    switch ( len )
    {
    case 1: return (unsigned char)va_arg(*ap, unsigned int);
    case 2: return (unsigned short)va_arg(*ap, unsigned int);
    case 8: return va_arg(*ap, unsigned long long);
    default: return va_arg(*ap, unsigned int);
    }
}

static const char *format_one(struct out *o, const char *f, va_list *ap)
{
    struct spec sp = { .flags = 0, .width = 0, .precision = -1 };
    int len;

    f = parse_flags(f, &sp.flags);
    if ( *f == '*' )
    {
        sp.width = va_arg(*ap, int);
        if ( sp.width < 0 )
        {
            sp.flags |= FL_LEFT;
            sp.width = -sp.width;
        }
        f++;
    }
    else
        f = parse_int(f, &sp.width);
    if ( *f == '.' )
    {
        f++;
        if ( *f == '*' )
        {
            sp.precision = va_arg(*ap, int);
            f++;
        }
        else
            f = parse_int(f, &sp.precision);
        if ( sp.precision < 0 )
            sp.precision = -1;
    }
    f = parse_length(f, &len);
    /* '+' and ' ' apply to signed conversions only (C11 7.21.6.1). */
    if ( *f != 'd' && *f != 'i' )
        sp.flags &= ~(FL_PLUS | FL_SPACE);

    switch ( *f )
    {
    case 'd': case 'i':
    {
        long long v = fetch_signed(ap, len);

        put_number(o, v < 0 ? -(unsigned long long)v : (unsigned long long)v,
                   v < 0, 10, &sp);
        break;
    }
    case 'u':
        put_number(o, fetch_unsigned(ap, len), false, 10, &sp);
        break;
    case 'X':
        sp.flags |= FL_UPPER;
        /* fall through */
    case 'x':
        put_number(o, fetch_unsigned(ap, len), false, 16, &sp);
        break;
    case 'o':
        put_number(o, fetch_unsigned(ap, len), false, 8, &sp);
        break;
    case 'c':
    {
        char c[2] = { (char)va_arg(*ap, int), '\0' };

        sp.precision = 1;
        if ( !c[0] )
        {
            put_repeat(o, ' ', (sp.flags & FL_LEFT) ? 0 : sp.width - 1);
            put(o, '\0');
            put_repeat(o, ' ', (sp.flags & FL_LEFT) ? sp.width - 1 : 0);
        }
        else
            put_string(o, c, &sp);
        break;
    }
    case 's':
    {
        const char *s = va_arg(*ap, const char *);

        put_string(o, s ? s : "(null)", &sp);
        break;
    }
    case 'p':
    {
        unsigned long p = (unsigned long)va_arg(*ap, void *);

        if ( f[1] == 'S' )
        {
            put_symbol(o, p, &sp);
            f++;
            break;
        }
        /* As glibc prints it, so tests can compare with the host's. */
        if ( !p )
        {
            sp.precision = -1;
            put_string(o, "(nil)", &sp);
            break;
        }
        sp.flags |= FL_ALT;
        put_number(o, p, false, 16, &sp);
        break;
    }
    case '%':
        put(o, '%');
        break;
    case '\0':
        return f;          /* a lone '%' at the end: print nothing */
    default:
        put(o, '%');       /* unknown conversion: show it as written */
        put(o, *f);
        break;
    }
    return f + 1;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
    struct out o = { .buf = buf, .size = size, .len = 0 };
    va_list ap;

    va_copy(ap, args);
    while ( *fmt )
    {
        if ( *fmt != '%' )
        {
            put(&o, *fmt++);
            continue;
        }
        fmt = format_one(&o, fmt + 1, &ap);
    }
    va_end(ap);
    if ( size )
        buf[o.len < size ? o.len : size - 1] = '\0';
    return o.len > 0x7fffffff ? 0x7fffffff : (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list args;
    int n;

    va_start(args, fmt);
    n = vsnprintf(buf, size, fmt, args);
    va_end(args);
    return n;
}

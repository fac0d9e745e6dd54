/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor command line, parsed as Xen parses its own
 * (docs/misc/xen-command-line.pandoc in Xen):
 *  - options are separated by spaces; `name` or `name=value`;
 *  - a value may be quoted: name="a b";
 *  - booleans: `name` means true, `no-name` false, or name=<yes|no|on|off|
 *    true|false|enable|disable|1|0>;
 *  - sizes: a number with an optional B, K, M, G or T suffix; no suffix
 *    means kilobytes, as in Xen;
 *  - an unknown option or a bad value is reported and otherwise ignored:
 *    a typo must never stop a machine from booting.
 */
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/string.h>

#define OPT_MAX 256
#define CMDLINE_MAX 1024

/*
 * The linker provides these around the xen_params section; weak, so a host
 * test program that registers no option still links (both are NULL then).
 */
extern const struct kernel_param __start_xen_params[] __attribute__((weak));
extern const struct kernel_param __stop_xen_params[] __attribute__((weak));

static char saved[CMDLINE_MAX];

const char *saved_cmdline(void)
{
    return saved;
}

int parse_bool_value(const char *s)
{
    static const char *const yes[] = { "1", "yes", "on", "true", "enable" };
    static const char *const no[] = { "0", "no", "off", "false", "disable" };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(yes); i++ )
    {
        if ( !strcmp(s, yes[i]) )
            return 1;
        if ( !strcmp(s, no[i]) )
            return 0;
    }
    return -1;
}

int parse_size_value(const char *s, uint64_t *out)
{
    char *end;
    uint64_t v;
    unsigned int shift;

    if ( *s < '0' || *s > '9' )
        return -1;
    v = strtoull(s, &end, 0);
    switch ( *end )
    {
    case 'T': case 't': shift = 40; end++; break;
    case 'G': case 'g': shift = 30; end++; break;
    case 'M': case 'm': shift = 20; end++; break;
    case 'K': case 'k': shift = 10; end++; break;
    case 'B': case 'b': shift = 0; end++; break;
    case '\0': shift = 10; break;
    default: return -1;
    }
    if ( *end || (v && (v > (~0ULL >> shift))) )
        return -1;
    *out = v << shift;
    return 0;
}

static int parse_uint_value(const char *s, uint64_t *out, unsigned int len)
{
    char *end;
    uint64_t v;

    if ( *s < '0' || *s > '9' )
        return -1;
    v = strtoull(s, &end, 0);
    if ( *end || v == ~0ULL )
        return -1;
    if ( len < sizeof(uint64_t) && v >> (len * 8) )
        return -1;
    *out = v;
    return 0;
}

static void store_uint(void *var, unsigned int len, uint64_t v)
{
    switch ( len )
    {
    case 1: *(uint8_t *)var = v; break;
    case 2: *(uint16_t *)var = v; break;
    case 4: *(uint32_t *)var = v; break;
    default: *(uint64_t *)var = v; break;
    }
}

static void store_bool(const struct kernel_param *p, bool v)
{
    store_uint(p->u.var, p->len, v);
}

/* Apply one option; `value` is NULL for a bare name. */
static void apply(const struct kernel_param *p, const char *value, bool negated)
{
    uint64_t v;
    int b;

    switch ( p->type )
    {
    case PARAM_BOOL:
        if ( !value )
        {
            store_bool(p, !negated);
            return;
        }
        b = parse_bool_value(value);
        if ( b < 0 || negated )
            break;
        store_bool(p, b);
        return;
    case PARAM_UINT:
        if ( value && !negated && !parse_uint_value(value, &v, p->len) )
        {
            store_uint(p->u.var, p->len, v);
            return;
        }
        break;
    case PARAM_SIZE:
        if ( value && !negated && !parse_size_value(value, &v) )
        {
            store_uint(p->u.var, p->len, v);
            return;
        }
        break;
    case PARAM_STRING:
        if ( negated )
            break;
        if ( !value )
            value = "";
        if ( strlcpy(p->u.var, value, p->len) >= p->len )
            printk(XENLOG_WARNING "Option '%s': value truncated to %u characters\n",
                   p->name, p->len - 1);
        return;
    case PARAM_CUSTOM:
        if ( !negated && !p->u.fn(value ? value : "") )
            return;
        break;
    }
    printk(XENLOG_WARNING "Bad value for option '%s'%s%s: ignored\n", p->name,
           value ? ": " : "", value ? value : "");
}

static const struct kernel_param *lookup(const char *name,
                                         const struct kernel_param *start,
                                         const struct kernel_param *end)
{
    const struct kernel_param *p;

    for ( p = start; p < end; p++ )
        if ( !strcmp(p->name, name) )
            return p;
    return NULL;
}

static void parse_one(char *opt, const struct kernel_param *start,
                      const struct kernel_param *end)
{
    char *value = strchr(opt, '=');
    const struct kernel_param *p;

    if ( value )
        *value++ = '\0';
    p = lookup(opt, start, end);
    if ( p )
    {
        apply(p, value, false);
        return;
    }
    /* no-<name> negates a boolean (and is rejected for the others). */
    if ( !strncmp(opt, "no-", 3) && (p = lookup(opt + 3, start, end)) )
    {
        apply(p, value, true);
        return;
    }
    printk(XENLOG_WARNING "Unknown command line option '%s': ignored\n", opt);
}

/*
 * Copy the next option into buf, removing quotes; returns where scanning
 * continues.  Overlong options are truncated (and reported by the caller
 * through the unknown/bad-value path).
 */
static const char *next_option(const char *s, char *buf, size_t size)
{
    size_t n = 0;
    bool quoted = false;

    for ( ; *s && (quoted || (*s != ' ' && *s != '\t')); s++ )
    {
        if ( *s == '"' )
        {
            quoted = !quoted;
            continue;
        }
        if ( n + 1 < size )
            buf[n++] = *s;
    }
    buf[n] = '\0';
    return s;
}

void cmdline_parse_with(const char *cmdline, const struct kernel_param *start,
                        const struct kernel_param *end)
{
    char opt[OPT_MAX];

    if ( !cmdline )
        return;
    while ( *cmdline )
    {
        while ( *cmdline == ' ' || *cmdline == '\t' )
            cmdline++;
        if ( !*cmdline )
            break;
        cmdline = next_option(cmdline, opt, sizeof(opt));
        parse_one(opt, start, end);
    }
}

void cmdline_parse(const char *cmdline)
{
    if ( !cmdline )
        return;
    strlcpy(saved, cmdline, sizeof(saved));
    cmdline_parse_with(cmdline, __start_xen_params, __stop_xen_params);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Disk and vif specifications (tonnerre/xldev.h): the text of one item of
 * `disk = [ ... ]` / `vif = [ ... ]`, or of block-attach/network-attach,
 * into a struct.  Pure string work; what the settings mean for dom0 is
 * xl_device.c's business.
 *
 * Disks (xl-disk-configuration): comma-separated tokens, each either
 * key=value, a flag (cdrom, discard, ...) or a positional parameter in
 * the order target, vdev, access, devtype.  A positional target may carry
 * a legacy prefix ("file:", "phy:", "tap:aio:", "raw:", ...).  `target=`
 * swallows the rest of the string, commas included, so it must come last,
 * as in Xen.  Vifs (xl-network-configuration): key=value tokens only.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tonnerre/xldev.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if ( errlen )
    {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -EINVAL;
}

/* [s, s+len) without surrounding blanks, as a new string. */
static char *trimmed(const char *s, size_t len)
{
    while ( len && isspace((unsigned char)*s) )
        s++, len--;
    while ( len && isspace((unsigned char)s[len - 1]) )
        len--;
    return strndup(s, len);
}

/* ---- vdev names ----------------------------------------------------------- */

/* "a".."z", "aa".."zz", ...: bijective base 26, as Linux names disks. */
static int disk_letters(const char **p, unsigned int *disk)
{
    unsigned long n = 0;
    const char *s = *p;

    if ( !islower((unsigned char)*s) )
        return -EINVAL;
    while ( islower((unsigned char)*s) )
    {
        n = n * 26 + (unsigned long)(*s - 'a' + 1);
        if ( n > (1ul << 20) )
            return -EINVAL;
        s++;
    }
    *disk = (unsigned int)(n - 1);
    *p = s;
    return 0;
}

/* Optional decimal partition number up to max; 0 when absent. */
static int partition_number(const char *s, unsigned int max, unsigned int *part)
{
    char *end;
    unsigned long n;

    if ( !*s )
    {
        *part = 0;
        return 0;
    }
    if ( !isdigit((unsigned char)*s) || (*s == '0') )
        return -EINVAL;
    n = strtoul(s, &end, 10);
    if ( *end || n > max )
        return -EINVAL;
    *part = (unsigned int)n;
    return 0;
}

static int decimal(const char *s, unsigned long max, unsigned long *out)
{
    char *end;

    if ( !isdigit((unsigned char)*s) )
        return -EINVAL;
    errno = 0;
    *out = strtoul(s, &end, 10);
    return *end || errno || *out > max ? -EINVAL : 0;
}

/*
 * Xen's vbd numbering: xvd disks below 16 with up to 15 partitions in
 * 202<<8 | disk<<4 | part; beyond that the extended form
 * 1<<28 | disk<<8 | part (255 partitions, 2^20 disks).  hd: majors 3 and
 * 22 (two disks each, 63 partitions); sd: major 8 (16 disks, 15 parts).
 */
int xl_vdev_to_devid(const char *vdev, uint32_t *devid)
{
    unsigned int disk, part;
    unsigned long n, p;
    const char *s;

    if ( !vdev || !*vdev )
        return -EINVAL;
    if ( isdigit((unsigned char)*vdev) )
    {
        if ( decimal(vdev, UINT32_MAX, &n) )
            return -EINVAL;
        *devid = (uint32_t)n;
        return 0;
    }
    if ( vdev[0] == 'd' && isdigit((unsigned char)vdev[1]) )
    {
        /* d<disk>[p<partition>] */
        char *end;

        n = strtoul(vdev + 1, &end, 10);
        p = 0;
        if ( *end == 'p' && decimal(end + 1, 255, &p) )
            return -EINVAL;
        if ( (*end && *end != 'p') || n >= (1ul << 20) )
            return -EINVAL;
        *devid = (uint32_t)((1u << 28) | (n << 8) | p);
        return 0;
    }
    s = vdev + 3;
    if ( !strncmp(vdev, "xvd", 3) )
    {
        if ( disk_letters(&s, &disk) || partition_number(s, 255, &part) )
            return -EINVAL;
        if ( disk < 16 && part < 16 )
            *devid = (202u << 8) | (disk << 4) | part;
        else if ( disk < (1u << 20) )
            *devid = (1u << 28) | (disk << 8) | part;
        else
            return -EINVAL;
        return 0;
    }
    s = vdev + 2;
    if ( !strncmp(vdev, "hd", 2) )
    {
        if ( disk_letters(&s, &disk) || disk > 3 || partition_number(s, 63, &part) )
            return -EINVAL;
        *devid = ((disk < 2 ? 3u : 22u) << 8) | ((disk & 1) << 6) | part;
        return 0;
    }
    if ( !strncmp(vdev, "sd", 2) )
    {
        if ( disk_letters(&s, &disk) || disk > 15 || partition_number(s, 15, &part) )
            return -EINVAL;
        *devid = (8u << 8) | (disk << 4) | part;
        return 0;
    }
    return -EINVAL;
}

/* ---- disks ---------------------------------------------------------------- */

struct disk_parse {
    struct xl_disk_spec *d;
    unsigned int positional;          /* how many positional values so far */
    bool seen_access, seen_devtype, seen_format, seen_backendtype;
    char *err;
    size_t errlen;
};

static const struct { const char *name; enum xl_disk_format f; } formats[] = {
    { "raw", XL_DISK_FORMAT_RAW }, { "qcow", XL_DISK_FORMAT_QCOW },
    { "qcow2", XL_DISK_FORMAT_QCOW2 }, { "vhd", XL_DISK_FORMAT_VHD },
    { "qed", XL_DISK_FORMAT_QED }, { "empty", XL_DISK_FORMAT_EMPTY },
};

static int set_once(struct disk_parse *ps, bool *seen, const char *what)
{
    if ( *seen )
        return fail(ps->err, ps->errlen, "%s given twice", what);
    *seen = true;
    return 0;
}

static int set_string(struct disk_parse *ps, char **field, const char *what,
                      const char *value)
{
    if ( *field )
        return fail(ps->err, ps->errlen, "%s given twice", what);
    if ( !(*field = strdup(value)) )
        return -ENOMEM;
    return 0;
}

static int set_access(struct disk_parse *ps, const char *v)
{
    if ( set_once(ps, &ps->seen_access, "access") )
        return -EINVAL;
    if ( !strcmp(v, "r") || !strcmp(v, "ro") )
        ps->d->readonly = true;
    else if ( !strcmp(v, "w") || !strcmp(v, "rw") )
        ps->d->readonly = false;
    else
        return fail(ps->err, ps->errlen, "access '%s' is none of r, ro, w, rw", v);
    return 0;
}

static int set_devtype(struct disk_parse *ps, const char *v)
{
    if ( set_once(ps, &ps->seen_devtype, "devtype") )
        return -EINVAL;
    if ( !strcmp(v, "cdrom") )
        ps->d->cdrom = true;
    else if ( strcmp(v, "disk") )
        return fail(ps->err, ps->errlen, "devtype '%s' is neither disk nor cdrom", v);
    return 0;
}

static int set_format(struct disk_parse *ps, const char *v)
{
    size_t i;

    if ( set_once(ps, &ps->seen_format, "format") )
        return -EINVAL;
    for ( i = 0; i < ARRAY_SIZE(formats); i++ )
        if ( !strcmp(v, formats[i].name) )
        {
            ps->d->format = formats[i].f;
            return 0;
        }
    return fail(ps->err, ps->errlen, "unknown format '%s'", v);
}

static int set_backendtype(struct disk_parse *ps, const char *v)
{
    if ( set_once(ps, &ps->seen_backendtype, "backendtype") )
        return -EINVAL;
    if ( !strcmp(v, "phy") )
        ps->d->backendtype = XL_DISK_BACKEND_PHY;
    else if ( !strcmp(v, "tap") )
        ps->d->backendtype = XL_DISK_BACKEND_TAP;
    else if ( !strcmp(v, "qdisk") )
        ps->d->backendtype = XL_DISK_BACKEND_QDISK;
    else
        return fail(ps->err, ps->errlen, "unknown backendtype '%s'", v);
    return 0;
}

/* A positional target, with its legacy "<prefix>:" taken off. */
static int set_target(struct disk_parse *ps, const char *v, bool positional)
{
    static const struct { const char *prefix; enum xl_disk_prefix p;
                          int format; } legacy[] = {
        { "file:", XL_DISK_PREFIX_FILE, XL_DISK_FORMAT_RAW },
        { "phy:", XL_DISK_PREFIX_PHY, XL_DISK_FORMAT_RAW },
        { "tap:aio:", XL_DISK_PREFIX_TAP, XL_DISK_FORMAT_RAW },
        { "tap2:aio:", XL_DISK_PREFIX_TAP, XL_DISK_FORMAT_RAW },
        { "tap:qcow2:", XL_DISK_PREFIX_TAP, XL_DISK_FORMAT_QCOW2 },
        { "tap:qcow:", XL_DISK_PREFIX_TAP, XL_DISK_FORMAT_QCOW },
        { "tap:vhd:", XL_DISK_PREFIX_TAP, XL_DISK_FORMAT_VHD },
        { "aio:", XL_DISK_PREFIX_TAP, XL_DISK_FORMAT_RAW },
        { "raw:", XL_DISK_PREFIX_NONE, XL_DISK_FORMAT_RAW },
        { "qcow2:", XL_DISK_PREFIX_NONE, XL_DISK_FORMAT_QCOW2 },
        { "qcow:", XL_DISK_PREFIX_NONE, XL_DISK_FORMAT_QCOW },
        { "vhd:", XL_DISK_PREFIX_NONE, XL_DISK_FORMAT_VHD },
    };
    size_t i;

    if ( positional )
        for ( i = 0; i < ARRAY_SIZE(legacy); i++ )
            if ( !strncmp(v, legacy[i].prefix, strlen(legacy[i].prefix)) )
            {
                ps->d->prefix = legacy[i].p;
                if ( !ps->seen_format )
                    ps->d->format = (enum xl_disk_format)legacy[i].format;
                v += strlen(legacy[i].prefix);
                break;
            }
    return set_string(ps, &ps->d->target, "target", v);
}

static int set_vdev(struct disk_parse *ps, const char *v)
{
    if ( set_string(ps, &ps->d->vdev, "vdev", v) )
        return -EINVAL;
    if ( xl_vdev_to_devid(v, &ps->d->devid) )
        return fail(ps->err, ps->errlen, "unknown vdev '%s'", v);
    return 0;
}

static int set_flag(struct disk_parse *ps, const char *t, bool *known)
{
    static const struct { const char *name; int off, value; } flags[] = {
        { "discard", offsetof(struct xl_disk_spec, discard), 1 },
        { "no-discard", offsetof(struct xl_disk_spec, discard), 0 },
        { "direct-io-safe", offsetof(struct xl_disk_spec, direct_io_safe), 1 },
        { "trusted", offsetof(struct xl_disk_spec, trusted), 1 },
        { "untrusted", offsetof(struct xl_disk_spec, trusted), 0 },
    };
    size_t i;

    *known = true;
    if ( !strcmp(t, "cdrom") )
        return set_devtype(ps, "cdrom");
    for ( i = 0; i < ARRAY_SIZE(flags); i++ )
        if ( !strcmp(t, flags[i].name) )
        {
            int *field = (int *)((char *)ps->d + flags[i].off);

            if ( *field != -1 )
                return fail(ps->err, ps->errlen, "'%s' contradicts or repeats an "
                            "earlier flag", t);
            *field = flags[i].value;
            return 0;
        }
    *known = false;
    return 0;
}

static int disk_key(struct disk_parse *ps, const char *key, const char *v)
{
    if ( !strcmp(key, "vdev") )
        return set_vdev(ps, v);
    if ( !strcmp(key, "access") )
        return set_access(ps, v);
    if ( !strcmp(key, "devtype") )
        return set_devtype(ps, v);
    if ( !strcmp(key, "format") )
        return set_format(ps, v);
    if ( !strcmp(key, "backendtype") )
        return set_backendtype(ps, v);
    if ( !strcmp(key, "backend") )
        return set_string(ps, &ps->d->backend, "backend", v);
    if ( !strcmp(key, "script") )
        return set_string(ps, &ps->d->script, "script", v);
    if ( !strcmp(key, "specification") )
        return strcmp(v, "xen") ? fail(ps->err, ps->errlen,
                                       "specification '%s': only xen is offered", v) : 0;
    return fail(ps->err, ps->errlen, "unknown disk key '%s'", key);
}

/* The positional parameters fill target, vdev, access, devtype in turn. */
static int disk_positional(struct disk_parse *ps, const char *t)
{
    switch ( ps->positional++ )
    {
    case 0:
        /* Lone vdev (a cdrom with no medium, or target= given later). */
        if ( !ps->d->target && xl_vdev_to_devid(t, &ps->d->devid) == 0 &&
             !strchr(t, '/') && !strchr(t, ':') )
        {
            ps->positional = 2;
            return set_vdev(ps, t);
        }
        return set_target(ps, t, true);
    case 1:
        return set_vdev(ps, t);
    case 2:
        return set_access(ps, t);
    case 3:
        return set_devtype(ps, t);
    default:
        return fail(ps->err, ps->errlen, "too many positional parameters at '%s'", t);
    }
}

static int disk_token(struct disk_parse *ps, const char *t)
{
    const char *eq = strchr(t, '=');
    bool flag;
    char *key;
    int rc;

    if ( !*t )
        return 0;                     /* empty between commas, as Xen allows */
    if ( !eq )
    {
        if ( (rc = set_flag(ps, t, &flag)) || flag )
            return rc;
        return disk_positional(ps, t);
    }
    if ( !(key = trimmed(t, (size_t)(eq - t))) )
        return -ENOMEM;
    {
        char *v = trimmed(eq + 1, strlen(eq + 1));

        rc = v ? disk_key(ps, key, v) : -ENOMEM;
        free(v);
    }
    free(key);
    return rc;
}

static int disk_check(struct disk_parse *ps)
{
    struct xl_disk_spec *d = ps->d;

    if ( !d->vdev )
        return fail(ps->err, ps->errlen, "no vdev given");
    if ( d->target && !*d->target )
    {
        free(d->target);
        d->target = NULL;
    }
    if ( !d->target && !d->cdrom )
        return fail(ps->err, ps->errlen, "no target given for vdev %s", d->vdev);
    if ( !d->target )
        d->format = XL_DISK_FORMAT_EMPTY;
    return 0;
}

int xl_disk_parse(const char *spec, struct xl_disk_spec *out, char *err, size_t errlen)
{
    struct disk_parse ps = { .d = out, .err = err, .errlen = errlen };
    const char *p = spec;
    int rc = 0;

    memset(out, 0, sizeof(*out));
    out->discard = out->direct_io_safe = out->trusted = -1;
    if ( errlen )
        err[0] = '\0';
    while ( !rc && p )
    {
        const char *comma;
        char *tok;

        while ( isspace((unsigned char)*p) )
            p++;
        /* target= takes everything after it. */
        if ( !strncmp(p, "target=", 7) )
        {
            rc = set_target(&ps, p + 7, false);
            break;
        }
        comma = strchr(p, ',');
        if ( !(tok = trimmed(p, comma ? (size_t)(comma - p) : strlen(p))) )
            rc = -ENOMEM;
        else
            rc = disk_token(&ps, tok);
        free(tok);
        p = comma ? comma + 1 : NULL;
    }
    if ( !rc )
        rc = disk_check(&ps);
    if ( rc )
    {
        if ( rc == -ENOMEM )
            fail(err, errlen, "out of memory");
        xl_disk_spec_free(out);
        return -EINVAL;
    }
    return 0;
}

void xl_disk_spec_free(struct xl_disk_spec *d)
{
    free(d->target);
    free(d->vdev);
    free(d->script);
    free(d->backend);
    memset(d, 0, sizeof(*d));
}

/* ---- vifs ----------------------------------------------------------------- */

static int parse_mac(const char *s, uint8_t mac[6])
{
    unsigned int i;

    for ( i = 0; i < 6; i++ )
    {
        if ( !isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]) )
            return -EINVAL;
        mac[i] = (uint8_t)strtoul((char[]){ s[0], s[1], 0 }, NULL, 16);
        s += 2;
        if ( i < 5 && *s != ':' && *s != '-' )
            return -EINVAL;
        if ( i < 5 )
            s++;
    }
    return *s ? -EINVAL : 0;
}

/* Keys Xen still accepts and ignores. */
static const char *const vif_obsolete[] = { "gatewaydev", "accel", "forwarddev" };

struct vif_key {
    const char *name;
    size_t off;                       /* a char * field */
};

static const struct vif_key vif_strings[] = {
    { "bridge", offsetof(struct xl_vif_spec, bridge) },
    { "vifname", offsetof(struct xl_vif_spec, vifname) },
    { "script", offsetof(struct xl_vif_spec, script) },
    { "ip", offsetof(struct xl_vif_spec, ip) },
    { "backend", offsetof(struct xl_vif_spec, backend) },
    { "model", offsetof(struct xl_vif_spec, model) },
    { "type", offsetof(struct xl_vif_spec, type) },
    { "rate", offsetof(struct xl_vif_spec, rate) },
};

static int vif_key(struct xl_vif_spec *v, const char *key, const char *val,
                   unsigned int *seen, char *err, size_t errlen)
{
    unsigned long n;
    size_t i;

    if ( !strcmp(key, "mac") )
    {
        if ( v->has_mac )
            return fail(err, errlen, "mac given twice");
        if ( parse_mac(val, v->mac) )
            return fail(err, errlen, "mac '%s' is not six hex bytes", val);
        if ( v->mac[0] & 1 )
            return fail(err, errlen, "mac '%s' is a multicast address: refused", val);
        v->has_mac = true;
        return 0;
    }
    if ( !strcmp(key, "mtu") || !strcmp(key, "devid") )
    {
        bool mtu = key[0] == 'm';
        unsigned int bit = mtu ? 1u : 2u;

        if ( *seen & bit )
            return fail(err, errlen, "%s given twice", key);
        *seen |= bit;
        if ( decimal(val, mtu ? 65535 : 65535, &n) )
            return fail(err, errlen, "%s '%s' is not a number", key, val);
        if ( mtu )
            v->mtu = (unsigned int)n;
        else
            v->devid = (int)n;
        return 0;
    }
    for ( i = 0; i < ARRAY_SIZE(vif_strings); i++ )
        if ( !strcmp(key, vif_strings[i].name) )
        {
            char **field = (char **)((char *)v + vif_strings[i].off);

            if ( *field )
                return fail(err, errlen, "%s given twice", key);
            return (*field = strdup(val)) ? 0 : -ENOMEM;
        }
    for ( i = 0; i < ARRAY_SIZE(vif_obsolete); i++ )
        if ( !strcmp(key, vif_obsolete[i]) )
            return 0;
    return fail(err, errlen, "unknown vif key '%s'", key);
}

int xl_vif_parse(const char *spec, struct xl_vif_spec *out, char *err, size_t errlen)
{
    const char *p = spec;
    unsigned int seen = 0;
    int rc = 0;

    memset(out, 0, sizeof(*out));
    out->devid = -1;
    if ( errlen )
        err[0] = '\0';
    while ( !rc && p )
    {
        const char *comma = strchr(p, ','), *eq;
        char *tok = trimmed(p, comma ? (size_t)(comma - p) : strlen(p));

        p = comma ? comma + 1 : NULL;
        if ( !tok )
        {
            rc = -ENOMEM;
            break;
        }
        if ( *tok && !(eq = strchr(tok, '=')) )
            rc = fail(err, errlen, "'%s' is not key=value", tok);
        else if ( *tok )
        {
            char *key = trimmed(tok, (size_t)(eq - tok));
            char *val = trimmed(eq + 1, strlen(eq + 1));

            rc = key && val ? vif_key(out, key, val, &seen, err, errlen) : -ENOMEM;
            free(key);
            free(val);
        }
        free(tok);
    }
    if ( rc )
    {
        if ( rc == -ENOMEM )
            fail(err, errlen, "out of memory");
        xl_vif_spec_free(out);
        return -EINVAL;
    }
    return 0;
}

void xl_vif_spec_free(struct xl_vif_spec *v)
{
    free(v->bridge);
    free(v->vifname);
    free(v->script);
    free(v->ip);
    free(v->backend);
    free(v->model);
    free(v->type);
    free(v->rate);
    memset(v, 0, sizeof(*v));
}

void xl_vif_mac_generate(uint8_t mac[6], uint32_t random)
{
    mac[0] = 0x00;                    /* Xen's OUI: unicast, globally assigned */
    mac[1] = 0x16;
    mac[2] = 0x3e;
    mac[3] = (uint8_t)((random >> 16) & 0x7f);   /* as libxl: top bit clear */
    mac[4] = (uint8_t)(random >> 8);
    mac[5] = (uint8_t)random;
}

void xl_vif_mac_format(const uint8_t mac[6], char *out)
{
    snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
             mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl's disk specs and vdev names (tools/xl/xl_devspec.c).  The text comes
 * from a guest's config file or the block-attach command line.  Beyond
 * surviving it, the parser must keep its promises:
 *  - a vdev it accepts maps to a number that names it back: xvd, hd and sd
 *    names are canonical, so formatting the number again gives the very
 *    same text; d<N>p<M> and plain numbers give the same number again;
 *  - a parsed spec is self-consistent (a vdev always, a target unless it
 *    is an empty cdrom, every string cut from the input);
 *  - writing the parsed spec back out in key=value form and parsing that
 *    gives the same spec;
 *  - a refusal says why in err, however short err is, and leaves the
 *    struct zeroed.
 */
#include <errno.h>

#include "fuzz.h"
#include <tonnerre/xldev.h>

/* Bijective base 26 ("a".."z", "aa", ...) of disk + 1, as Linux names disks. */
static void disk_letters(unsigned int disk, char *out)
{
    char rev[8];
    unsigned int n = disk + 1, i = 0;

    while ( n )
    {
        n--;
        rev[i++] = (char)('a' + n % 26);
        n /= 26;
    }
    while ( i )
        *out++ = rev[--i];
    *out = '\0';
}

static void name_with_part(char *out, size_t size, const char *prefix,
                           unsigned int disk, unsigned int part)
{
    char letters[8];

    disk_letters(disk, letters);
    if ( part )
        snprintf(out, size, "%s%s%u", prefix, letters, part);
    else
        snprintf(out, size, "%s%s", prefix, letters);
}

/*
 * The name of devid in the family vdev was written in (docs/misc/
 * vbd-interface in Xen): its own decoder, written from the numbering
 * rules rather than from the parser.
 */
static void check_vdev_roundtrip(const char *vdev, uint32_t devid)
{
    unsigned int major = devid >> 8;
    uint32_t again;
    char name[64];

    if ( !strncmp(vdev, "xvd", 3) )
    {
        if ( major == 202 )
            name_with_part(name, sizeof(name), "xvd", (devid >> 4) & 15,
                           devid & 15);
        else
        {
            fuzz_check((devid >> 28) == 1);
            name_with_part(name, sizeof(name), "xvd", (devid >> 8) & 0xfffff,
                           devid & 0xff);
        }
        fuzz_check(!strcmp(name, vdev));
        return;
    }
    if ( !strncmp(vdev, "hd", 2) )
    {
        fuzz_check(major == 3 || major == 22);
        name_with_part(name, sizeof(name), "hd",
                       (major == 3 ? 0 : 2) + ((devid >> 6) & 1), devid & 63);
        fuzz_check(!strcmp(name, vdev));
        return;
    }
    if ( !strncmp(vdev, "sd", 2) )
    {
        fuzz_check(major == 8);
        name_with_part(name, sizeof(name), "sd", (devid >> 4) & 15, devid & 15);
        fuzz_check(!strcmp(name, vdev));
        return;
    }
    if ( vdev[0] == 'd' )
    {
        fuzz_check((devid >> 28) == 1);
        snprintf(name, sizeof(name), "d%up%u", (devid >> 8) & 0xfffff,
                 devid & 0xff);
    }
    else
        snprintf(name, sizeof(name), "%u", devid);
    fuzz_check(xl_vdev_to_devid(name, &again) == 0 && again == devid);
}

static void check_from_input(const char *s, const char *spec)
{
    fuzz_check(!s || strstr(spec, s));
}

static void check_consistent(const struct xl_disk_spec *d, const char *spec)
{
    uint32_t devid;

    fuzz_check(d->vdev);
    fuzz_check(xl_vdev_to_devid(d->vdev, &devid) == 0 && devid == d->devid);
    check_vdev_roundtrip(d->vdev, d->devid);
    fuzz_check(d->target ? *d->target != '\0'
                         : d->cdrom && d->format == XL_DISK_FORMAT_EMPTY);
    fuzz_check(d->format <= XL_DISK_FORMAT_EMPTY);
    fuzz_check(d->backendtype <= XL_DISK_BACKEND_QDISK);
    fuzz_check(d->prefix <= XL_DISK_PREFIX_TAP);
    fuzz_check(d->discard >= -1 && d->discard <= 1);
    fuzz_check(d->direct_io_safe == -1 || d->direct_io_safe == 1);
    fuzz_check(d->trusted >= -1 && d->trusted <= 1);
    check_from_input(d->target, spec);
    check_from_input(d->vdev, spec);
    check_from_input(d->script, spec);
    check_from_input(d->backend, spec);
}

static void append(char **p, char *end, const char *a, const char *b)
{
    int n = snprintf(*p, (size_t)(end - *p), "%s%s,", a, b ? b : "");

    fuzz_check(n >= 0 && n < end - *p);
    *p += n;
}

/* The spec in key=value form; target= last, since it takes the rest. */
static char *disk_unparse(const struct xl_disk_spec *d, size_t size)
{
    static const char *const formats[] = {
        "raw", "qcow", "qcow2", "vhd", "qed", "empty",
    };
    static const char *const backendtypes[] = { NULL, "phy", "tap", "qdisk" };
    char *buf = malloc(size), *p = buf, *end = buf + size;

    fuzz_check(buf);
    append(&p, end, "vdev=", d->vdev);
    append(&p, end, "access=", d->readonly ? "ro" : "rw");
    append(&p, end, "devtype=", d->cdrom ? "cdrom" : "disk");
    append(&p, end, "format=", formats[d->format]);
    if ( backendtypes[d->backendtype] )
        append(&p, end, "backendtype=", backendtypes[d->backendtype]);
    if ( d->backend )
        append(&p, end, "backend=", d->backend);
    if ( d->script )
        append(&p, end, "script=", d->script);
    if ( d->discard >= 0 )
        append(&p, end, d->discard ? "discard" : "no-discard", NULL);
    if ( d->direct_io_safe > 0 )
        append(&p, end, "direct-io-safe", NULL);
    if ( d->trusted >= 0 )
        append(&p, end, d->trusted ? "trusted" : "untrusted", NULL);
    if ( d->target )
        snprintf(p, (size_t)(end - p), "target=%s", d->target);
    return buf;
}

static bool same_string(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static void check_reparse(const struct xl_disk_spec *d, size_t spec_len)
{
    struct xl_disk_spec again;
    char err[160];
    /* Every field is at most the spec's length; the keys add a little. */
    char *text = disk_unparse(d, 4 * spec_len + 256);

    if ( xl_disk_parse(text, &again, err, sizeof(err)) )
    {
        fprintf(stderr, "'%s' refused: %s\n", text, err);
        fuzz_check(!"the unparsed spec parses");
    }
    fuzz_check(same_string(again.target, d->target));
    fuzz_check(same_string(again.vdev, d->vdev));
    fuzz_check(same_string(again.script, d->script));
    fuzz_check(same_string(again.backend, d->backend));
    fuzz_check(again.devid == d->devid);
    fuzz_check(again.readonly == d->readonly && again.cdrom == d->cdrom);
    fuzz_check(again.format == d->format);
    fuzz_check(again.backendtype == d->backendtype);
    fuzz_check(again.discard == d->discard);
    fuzz_check(again.direct_io_safe == d->direct_io_safe);
    fuzz_check(again.trusted == d->trusted);
    xl_disk_spec_free(&again);
    free(text);
}

static bool all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;

    while ( n-- )
        if ( *b++ )
            return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *spec = fuzz_strdup(data, size);
    struct xl_disk_spec d, d2;
    char err[160], *tiny;
    uint32_t devid;
    int rc;

    /* The whole input as a vdev name. */
    if ( xl_vdev_to_devid(spec, &devid) == 0 )
        check_vdev_roundtrip(spec, devid);

    memset(err, 'x', sizeof(err));
    rc = xl_disk_parse(spec, &d, err, sizeof(err));
    fuzz_check(rc == 0 || rc == -EINVAL);
    fuzz_check(memchr(err, '\0', sizeof(err)));
    if ( rc )
    {
        fuzz_check(err[0] != '\0');
        fuzz_check(all_zero(&d, sizeof(d)));
    }
    else
    {
        fuzz_check(err[0] == '\0');
        check_consistent(&d, spec);
        check_reparse(&d, strlen(spec));
    }

    /* The same verdict with a 4-byte err, which must stay within it. */
    tiny = malloc(4);
    fuzz_check(tiny);
    fuzz_check(xl_disk_parse(spec, &d2, tiny, 4) == rc);
    fuzz_check(memchr(tiny, '\0', 4));
    free(tiny);

    xl_disk_spec_free(&d);
    xl_disk_spec_free(&d2);
    free(spec);
    return 0;
}

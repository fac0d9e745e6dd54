/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl's vif specs (tools/xl/xl_devspec.c), from a config file or the
 * network-attach command line.  Promises checked besides survival: a MAC
 * taken is unicast and prints and parses back to itself; numbers are in
 * range; strings are blank-trimmed pieces of the input without commas;
 * the spec written back as key=value parses to the same spec; a refusal
 * explains itself in err and leaves the struct zeroed.
 */
#include <ctype.h>
#include <errno.h>

#include "fuzz.h"
#include <tonnerre/xldev.h>

#define NR_STRINGS 8

/* The malloc'd string fields, in one order for every check. */
static void strings_of(const struct xl_vif_spec *v, const char *s[NR_STRINGS])
{
    s[0] = v->bridge;
    s[1] = v->vifname;
    s[2] = v->script;
    s[3] = v->ip;
    s[4] = v->backend;
    s[5] = v->model;
    s[6] = v->type;
    s[7] = v->rate;
}

static const char *const keys[NR_STRINGS] = {
    "bridge", "vifname", "script", "ip", "backend", "model", "type", "rate",
};

static void check_piece(const char *s, const char *spec)
{
    size_t n;

    if ( !s )
        return;
    n = strlen(s);
    fuzz_check(strstr(spec, s));
    fuzz_check(!strchr(s, ','));
    fuzz_check(!n || (!isspace((unsigned char)s[0]) &&
                      !isspace((unsigned char)s[n - 1])));
}

static void check_mac_roundtrip(const uint8_t mac[6])
{
    struct xl_vif_spec v;
    char text[32], err[80];

    memcpy(text, "mac=", 4);
    xl_vif_mac_format(mac, text + 4);
    fuzz_check(strlen(text) == 4 + 17);
    fuzz_check(xl_vif_parse(text, &v, err, sizeof(err)) == 0);
    fuzz_check(v.has_mac && !memcmp(v.mac, mac, 6));
    xl_vif_spec_free(&v);
}

static void check_reparse(const struct xl_vif_spec *v, size_t spec_len)
{
    const char *s[NR_STRINGS], *t[NR_STRINGS];
    size_t size = 2 * spec_len + 128;
    char *buf = malloc(size), *p = buf, err[160];
    struct xl_vif_spec again;
    unsigned int i;

    fuzz_check(buf);
    *p = '\0';
    strings_of(v, s);
    if ( v->has_mac )
    {
        p += sprintf(p, "mac=");
        xl_vif_mac_format(v->mac, p);
        p += strlen(p);
        p += sprintf(p, ",");
    }
    for ( i = 0; i < NR_STRINGS; i++ )
        if ( s[i] )
            p += sprintf(p, "%s=%s,", keys[i], s[i]);
    if ( v->mtu )
        p += sprintf(p, "mtu=%u,", v->mtu);
    if ( v->devid >= 0 )
        p += sprintf(p, "devid=%d", v->devid);
    fuzz_check(p < buf + size);

    if ( xl_vif_parse(buf, &again, err, sizeof(err)) )
    {
        fprintf(stderr, "'%s' refused: %s\n", buf, err);
        fuzz_check(!"the unparsed spec parses");
    }
    strings_of(&again, t);
    for ( i = 0; i < NR_STRINGS; i++ )
        fuzz_check(s[i] == t[i] || (s[i] && t[i] && !strcmp(s[i], t[i])));
    fuzz_check(again.has_mac == v->has_mac);
    fuzz_check(!v->has_mac || !memcmp(again.mac, v->mac, 6));
    fuzz_check(again.mtu == v->mtu && again.devid == v->devid);
    xl_vif_spec_free(&again);
    free(buf);
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
    char *spec = fuzz_strdup(data, size), err[160], *tiny;
    const char *s[NR_STRINGS];
    struct xl_vif_spec v, v2;
    unsigned int i;
    uint8_t mac[6];
    uint32_t random = 0;
    int rc;

    memset(err, 'x', sizeof(err));
    rc = xl_vif_parse(spec, &v, err, sizeof(err));
    fuzz_check(rc == 0 || rc == -EINVAL);
    fuzz_check(memchr(err, '\0', sizeof(err)));
    if ( rc )
    {
        fuzz_check(err[0] != '\0');
        fuzz_check(all_zero(&v, sizeof(v)));
    }
    else
    {
        fuzz_check(err[0] == '\0');
        fuzz_check(!v.has_mac || !(v.mac[0] & 1));
        if ( v.has_mac )
            check_mac_roundtrip(v.mac);
        fuzz_check(v.mtu <= 65535);
        fuzz_check(v.devid >= -1 && v.devid <= 65535);
        strings_of(&v, s);
        for ( i = 0; i < NR_STRINGS; i++ )
            check_piece(s[i], spec);
        check_reparse(&v, strlen(spec));
    }

    tiny = malloc(4);
    fuzz_check(tiny);
    fuzz_check(xl_vif_parse(spec, &v2, tiny, 4) == rc);
    fuzz_check(memchr(tiny, '\0', 4));
    free(tiny);

    /* Generated MACs: Xen's OUI, unicast, and they survive a round trip. */
    memcpy(&random, data, size < sizeof(random) ? size : sizeof(random));
    xl_vif_mac_generate(mac, random);
    fuzz_check(mac[0] == 0x00 && mac[1] == 0x16 && mac[2] == 0x3e);
    fuzz_check(!(mac[3] & 0x80));
    check_mac_roundtrip(mac);

    xl_vif_spec_free(&v);
    xl_vif_spec_free(&v2);
    free(spec);
    return 0;
}

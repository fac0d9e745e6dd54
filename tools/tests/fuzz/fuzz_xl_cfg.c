/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The xl.cfg parser (tools/xl/xl_cfg.c, xl_cfg_syntax.c): a domain's config
 * file plus `xl create FILE KEY=VALUE` overrides, all written by the user
 * (or by whoever handed them the file).
 *
 * Input: the low two bits of the first byte say how many overrides there
 * are; they are the last NUL-separated fields of the rest, and what comes
 * before them is the file (which may itself hold NULs: to the lexer that is
 * just a bad byte).
 *
 * Promises checked: a config accepted satisfies xlcfg.h's constraints, and
 * written back out as xl.cfg text it parses, without a word of complaint,
 * into the same config; a config refused is reported on the FILE given and
 * comes back empty.  LeakSanitizer checks nothing is lost on either path.
 */
#define _GNU_SOURCE             /* memrchr */
#include <errno.h>

#include "fuzz.h"
#include <tonnerre/xlcfg.h>

#define MAX_OVERRIDES 3

static bool all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;

    while ( n-- )
        if ( *b++ )
            return false;
    return true;
}

/* A string in double quotes; anything unusual as \xHH. */
static void put_escaped(FILE *f, const char *s)
{
    fputc('"', f);
    for ( ; *s; s++ )
    {
        unsigned char c = (unsigned char)*s;

        if ( c < 0x20 || c > 0x7e || c == '"' || c == '\\' )
            fprintf(f, "\\x%02x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void put_string(FILE *f, const char *key, const char *s)
{
    fprintf(f, "%s = ", key);
    put_escaped(f, s);
    fputc('\n', f);
}

static void put_list(FILE *f, const char *key, char **items, unsigned int n)
{
    unsigned int i;

    fprintf(f, "%s = [\n", key);
    for ( i = 0; i < n; i++ )
    {
        put_escaped(f, items[i]);
        fputs(",\n", f);
    }
    fputs("]\n", f);
}

static char *unparse(const struct xl_domain_config *c, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    unsigned int i;

    fuzz_check(f);
    fputs("type = \"pvh\"\n", f);
    put_string(f, "name", c->name);
    put_string(f, "kernel", c->kernel);
    if ( c->ramdisk )
        put_string(f, "ramdisk", c->ramdisk);
    if ( c->cmdline )
        put_string(f, "cmdline", c->cmdline);
    fprintf(f, "memory = %llu\nmaxmem = 0x%llx\n",
            (unsigned long long)c->memory_mib, (unsigned long long)c->maxmem_mib);
    fprintf(f, "vcpus = %u; maxvcpus = '%u'\n", c->vcpus, c->maxvcpus);
    fprintf(f, "on_poweroff = '%s'\non_reboot = '%s'\non_crash = '%s'\n",
            xl_action_name(c->on_poweroff), xl_action_name(c->on_reboot),
            xl_action_name(c->on_crash));
    if ( c->has_uuid )
    {
        fputs("uuid = \"", f);
        for ( i = 0; i < 16; i++ )
            fprintf(f, "%s%02x", i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "",
                    c->uuid[i]);
        fputs("\"\n", f);
    }
    if ( c->nr_disks )
        put_list(f, "disk", c->disks, c->nr_disks);
    if ( c->nr_vifs )
        put_list(f, "vif", c->vifs, c->nr_vifs);
    fuzz_check(fclose(f) == 0);
    return text;
}

static bool same_string(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static bool same_list(char **a, char **b, unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n; i++ )
        if ( strcmp(a[i], b[i]) )
            return false;
    return true;
}

static void check_config(const struct xl_domain_config *c)
{
    size_t i, n;
    bool digits = true;

    fuzz_check(c->type == XL_DOMAIN_TYPE_PVH);
    fuzz_check(c->name && c->kernel);
    n = strlen(c->name);
    fuzz_check(n >= 1 && n <= 64);
    for ( i = 0; i < n; i++ )
    {
        unsigned char ch = (unsigned char)c->name[i];

        fuzz_check(ch > ' ' && ch < 0x7f && !strchr("/\"'\\", ch));
        if ( ch < '0' || ch > '9' )
            digits = false;
    }
    fuzz_check(!digits);
    fuzz_check(c->memory_mib >= 1 && c->memory_mib <= c->maxmem_mib);
    fuzz_check(c->maxmem_mib <= (16ull << 20));
    fuzz_check(c->vcpus >= 1 && c->vcpus <= c->maxvcpus);
    fuzz_check(c->maxvcpus <= XL_MAX_VCPUS);
    fuzz_check(c->on_poweroff <= XL_ACTION_RENAME_RESTART);
    fuzz_check(c->on_reboot <= XL_ACTION_RENAME_RESTART);
    fuzz_check(c->on_crash <= XL_ACTION_RENAME_RESTART);
    fuzz_check(!c->nr_disks == !c->disks && !c->nr_vifs == !c->vifs);
    for ( i = 0; i < c->nr_disks; i++ )
        fuzz_check(c->disks[i]);
    for ( i = 0; i < c->nr_vifs; i++ )
        fuzz_check(c->vifs[i]);
}

static void check_reparse(const struct xl_domain_config *c)
{
    struct xl_domain_config again;
    char *report = NULL;
    size_t len, report_len;
    char *text = unparse(c, &len);
    FILE *f = open_memstream(&report, &report_len);
    int rc;

    fuzz_check(f);
    rc = xl_cfg_parse_buffer("unparsed", text, len, NULL, 0, &again, f);
    fuzz_check(fclose(f) == 0);
    if ( rc || report_len )
    {
        fprintf(stderr, "%s---\n%s", text, report);
        fuzz_check(!"the unparsed config parses without a message");
    }
    fuzz_check(same_string(again.name, c->name));
    fuzz_check(same_string(again.kernel, c->kernel));
    fuzz_check(same_string(again.ramdisk, c->ramdisk));
    fuzz_check(same_string(again.cmdline, c->cmdline));
    fuzz_check(again.memory_mib == c->memory_mib);
    fuzz_check(again.maxmem_mib == c->maxmem_mib);
    fuzz_check(again.vcpus == c->vcpus && again.maxvcpus == c->maxvcpus);
    fuzz_check(again.on_poweroff == c->on_poweroff);
    fuzz_check(again.on_reboot == c->on_reboot);
    fuzz_check(again.on_crash == c->on_crash);
    fuzz_check(again.has_uuid == c->has_uuid);
    fuzz_check(!c->has_uuid || !memcmp(again.uuid, c->uuid, 16));
    fuzz_check(again.nr_disks == c->nr_disks &&
               same_list(again.disks, c->disks, c->nr_disks));
    fuzz_check(again.nr_vifs == c->nr_vifs &&
               same_list(again.vifs, c->vifs, c->nr_vifs));
    xl_domain_config_free(&again);
    free(report);
    free(text);
}

/* Edit distance is a metric: zero on itself, symmetric, at most the longer. */
static void check_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned int d = xl_cfg_edit_distance(a, b);

    fuzz_check(d == xl_cfg_edit_distance(b, a));
    if ( la < 64 && lb < 64 )
    {
        fuzz_check(xl_cfg_edit_distance(a, a) == 0);
        fuzz_check(d <= (la > lb ? la : lb));
        fuzz_check(d >= (la > lb ? la - lb : lb - la));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *overrides[MAX_OVERRIDES];
    unsigned int nr = 0, want;
    struct xl_domain_config c;
    char *fields, *text, *report = NULL;
    size_t text_len, report_len;
    FILE *f;
    int rc;

    if ( !size )
        return 0;
    want = data[0] & 3;
    /* The rest, NUL-terminated so that the last override is a string. */
    fields = fuzz_strdup(data + 1, size - 1);
    text_len = size - 1;
    /* Peel overrides off the end: each is the field after the last NUL. */
    while ( nr < want && nr < MAX_OVERRIDES )
    {
        char *nul = memrchr(fields, '\0', text_len);

        if ( !nul )
            break;
        overrides[nr++] = nul + 1;
        text_len = (size_t)(nul - fields);
    }
    /* The file in a buffer of its own size: the lexer must not read past it. */
    text = (char *)fuzz_memdup((const uint8_t *)fields, text_len);

    f = open_memstream(&report, &report_len);
    fuzz_check(f);
    rc = xl_cfg_parse_buffer("fuzz.cfg", text, text_len, overrides, nr, &c, f);
    fuzz_check(fclose(f) == 0);
    fuzz_check(rc == 0 || rc == -EINVAL || rc == -ENOMEM);
    if ( rc )
    {
        fuzz_check(all_zero(&c, sizeof(c)));
        /* "Every problem is reported": a refusal is never silent. */
        fuzz_check(rc != -EINVAL || report_len > 0);
    }
    else
    {
        check_config(&c);
        check_reparse(&c);
        xl_domain_config_free(&c);
    }
    if ( nr )
        check_edit_distance(overrides[0], nr > 1 ? overrides[1] : "");
    free(report);
    free(text);
    free(fields);
    return 0;
}

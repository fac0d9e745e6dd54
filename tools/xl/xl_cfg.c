/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl.cfg meaning: raw settings (xl_cfg_syntax.c) from a file and from
 * command-line overrides merged, then each key Tonnerre understands checked
 * and stored in struct xl_domain_config.  Keys Xen knows that we do not act
 * on yet are warned about; anything else is an error, with a suggestion when
 * it looks like a typo, because a silently ignored misspelt key (`memroy`)
 * gives a guest the wrong shape without a word.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tonnerre/xlcfg.h>

#include "xl_cfg_internal.h"

#define OVERRIDE_SOURCE "command line"
/* 16 TiB: far beyond any machine we run on, small enough to never overflow KiB. */
#define MAX_MEMORY_MIB  (16ull << 20)

/* Keys this parser acts on. */
static const char *const handled_keys[] = {
    "name", "type", "builder", "kernel", "ramdisk", "cmdline", "extra", "root",
    "memory", "maxmem", "vcpus", "maxvcpus", "on_poweroff", "on_reboot",
    "on_crash", "uuid", "disk", "vif",
};

/* Keys of xl.cfg(5) (Xen 4.17) that Tonnerre accepts but does not act on yet. */
static const char *const ignored_keys[] = {
    "pool", "cpus", "cpus_soft", "cpu_weight", "cap", "vnuma", "localtime",
    "rtc_timeoffset", "tsc_mode", "nomigrate", "driver_domain", "device_tree",
    "bootloader", "bootloader_args", "seclabel", "init_seclabel",
    "max_grant_frames", "max_maptrack_frames", "max_grant_version",
    "nestedhvm", "e820_host", "claim_mode", "videoram", "on_watchdog",
    "on_soft_reset", "vtpm", "channel", "p9", "pvcalls", "vfb", "pci",
    "usbctrl", "usbdev", "dtdev", "iomem", "ioports", "irqs", "rdm", "vkb",
    "vdispl", "vsnd", "gic_version", "vuart", "cpuid", "acpi", "apic", "pae",
    "hap", "viridian", "xen_platform_pci", "serial", "sdl", "vnc",
    "vnclisten", "vncdisplay", "vncunused", "vncpasswd", "boot",
    "device_model_version", "device_model_override", "stdvga", "usb",
    "usbdevice", "soundhw", "description", "passthrough", "shadow_memory",
    "altp2m", "mca_caps", "pvshim", "pvshim_path", "pvshim_cmdline",
    "firmware", "bios", "event_channels", "ms_vm_genid", "smbios",
    "vcpu_hard_affinity", "vcpu_soft_affinity", "vga", "keymap",
    "nographic", "timer_mode", "hpet", "vpt_align", "blkdev_start",
    "max_event_channels", "dm_restrict", "device_model_user", "trap_unmapped_accesses",
    "vif2", "rdm_mem_boundary", "mmio_hole", "gfx_passthru", "ioreq_server_pages",
    "vpmu", "xsm_policy", "cpu_cap", "sched",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct interp {
    struct cfg_setting *s;             /* merged settings */
    unsigned int nr;
    const char *file_source;
    FILE *report;
    unsigned int errors;
    bool oom;
};

static void cfg_error(struct interp *ip, const struct cfg_setting *s,
                      const char *msg)
{
    cfg_report(ip->report, s->source, s->line, s->key, "%s", msg);
    ip->errors++;
}

const char *xl_action_name(enum xl_action a)
{
    switch ( a )
    {
    case XL_ACTION_DESTROY: return "destroy";
    case XL_ACTION_RESTART: return "restart";
    case XL_ACTION_PRESERVE: return "preserve";
    case XL_ACTION_RENAME_RESTART: return "rename-restart";
    }
    return "?";
}

unsigned int xl_cfg_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j;
    unsigned int row[64], prev, tmp, best;

    /* Keys are short; anything longer is no typo of ours. */
    if ( lb >= ARRAY_SIZE(row) || la >= ARRAY_SIZE(row) )
        return UINT_MAX;
    for ( j = 0; j <= lb; j++ )
        row[j] = (unsigned int)j;
    for ( i = 1; i <= la; i++ )
    {
        prev = row[0];
        row[0] = (unsigned int)i;
        for ( j = 1; j <= lb; j++ )
        {
            tmp = row[j];
            best = prev + (a[i - 1] != b[j - 1]);
            if ( row[j] + 1 < best )
                best = row[j] + 1;
            if ( row[j - 1] + 1 < best )
                best = row[j - 1] + 1;
            row[j] = best;
            prev = tmp;
        }
    }
    return row[lb];
}

static bool in_list(const char *const *list, size_t n, const char *key)
{
    size_t i;

    for ( i = 0; i < n; i++ )
        if ( !strcmp(list[i], key) )
            return true;
    return false;
}

static const char *closest_in(const char *const *list, size_t n,
                              const char *key, unsigned int *dist)
{
    const char *best = NULL;
    unsigned int d;
    size_t i;

    for ( i = 0; i < n; i++ )
    {
        d = xl_cfg_edit_distance(key, list[i]);
        if ( d < *dist )
        {
            *dist = d;
            best = list[i];
        }
    }
    return best;
}

/* The known key nearest to key, if near enough to be a typo of it. */
static const char *suggest_key(const char *key)
{
    unsigned int dist = UINT_MAX, limit = strlen(key) >= 4 ? 2 : 1;
    const char *best, *other;

    best = closest_in(handled_keys, ARRAY_SIZE(handled_keys), key, &dist);
    other = closest_in(ignored_keys, ARRAY_SIZE(ignored_keys), key, &dist);
    if ( other )
        best = other;
    return dist <= limit ? best : NULL;
}

/* --- merging the file's settings and the overrides --------------------- */

static struct cfg_setting *find_setting(struct cfg_setting *s, unsigned int nr,
                                        const char *key)
{
    unsigned int i;

    for ( i = 0; i < nr; i++ )
        if ( !strcmp(s[i].key, key) )
            return &s[i];
    return NULL;
}

/* `old += add`: strings concatenate, lists extend (xl.cfg(5)). */
static int concat_values(struct interp *ip, struct cfg_setting *old,
                         struct cfg_setting *add)
{
    struct cfg_value *a = &old->value, *b = &add->value;

    if ( (a->kind == CFG_LIST) != (b->kind == CFG_LIST) )
    {
        cfg_error(ip, add, "+= cannot join a list and a single value");
        return -EINVAL;
    }
    if ( a->kind == CFG_NUMBER || b->kind == CFG_NUMBER )
    {
        /* "1" += "2" making 12 would surprise; libxlu refuses it too. */
        cfg_error(ip, add, "+= works on strings and lists, not numbers");
        return -EINVAL;
    }
    if ( a->kind == CFG_LIST )
    {
        struct cfg_value *n;

        n = realloc(a->items, (a->nr_items + b->nr_items) * sizeof(*n) + 1);
        if ( !n )
            return -ENOMEM;
        a->items = n;
        memcpy(a->items + a->nr_items, b->items, b->nr_items * sizeof(*n));
        a->nr_items += b->nr_items;
        free(b->items);
        b->items = NULL;
        b->nr_items = 0;
    }
    else
    {
        size_t la = strlen(a->atom), lb = strlen(b->atom);
        char *n = realloc(a->atom, la + lb + 1);

        if ( !n )
            return -ENOMEM;
        memcpy(n + la, b->atom, lb + 1);
        a->atom = n;
    }
    return 0;
}

/*
 * Add one parsed setting to the merged table, taking ownership of it.  In
 * the file a second `KEY =` is an error (one of the two is a mistake); an
 * override replaces, as `xl create FILE KEY=VALUE` does.
 */
static int merge_setting(struct interp *ip, struct cfg_setting *s,
                         bool is_override)
{
    struct cfg_setting *old = find_setting(ip->s, ip->nr, s->key), *n;
    int rc = 0;

    if ( old && s->append )
    {
        rc = concat_values(ip, old, s);
        goto drop;
    }
    if ( old && !is_override )
    {
        char msg[96];

        snprintf(msg, sizeof(msg), "duplicate key (already set at line %u)",
                 old->line);
        cfg_error(ip, s, msg);
        goto drop;
    }
    if ( old )
    {
        free(old->key);
        cfg_value_free(&old->value);
        *old = *s;
        return 0;
    }
    n = realloc(ip->s, (ip->nr + 1) * sizeof(*n));
    if ( !n )
    {
        rc = -ENOMEM;
        goto drop;
    }
    ip->s = n;
    ip->s[ip->nr++] = *s;
    return 0;

 drop:
    free(s->key);
    cfg_value_free(&s->value);
    return rc == -ENOMEM ? rc : 0;
}

static int merge_text(struct interp *ip, const char *source, const char *text,
                      size_t len, bool is_override)
{
    struct cfg_setting *list;
    unsigned int nr, i;
    int rc;

    rc = cfg_parse_settings(source, text, len, ip->report, &ip->errors,
                            &list, &nr);
    for ( i = 0; i < nr && !rc; i++ )
    {
        rc = merge_setting(ip, &list[i], is_override);
        list[i].key = NULL;
        memset(&list[i].value, 0, sizeof(list[i].value));
    }
    /* Whatever was not merged (after -ENOMEM) is freed here. */
    for ( ; i < nr; i++ )
    {
        free(list[i].key);
        cfg_value_free(&list[i].value);
    }
    free(list);
    return rc;
}

/* --- typed access to the merged settings ------------------------------- */

static struct cfg_setting *take(struct interp *ip, const char *key)
{
    struct cfg_setting *s = find_setting(ip->s, ip->nr, key);

    if ( s )
        s->used = true;
    return s;
}

/* A single value (string or number written as text); NULL if absent or bad. */
static const char *take_atom(struct interp *ip, const char *key)
{
    struct cfg_setting *s = take(ip, key);

    if ( !s )
        return NULL;
    if ( s->value.kind == CFG_LIST )
    {
        cfg_error(ip, s, "expected a single value, not a [list]");
        return NULL;
    }
    return s->value.atom;
}

static char *take_string(struct interp *ip, const char *key)
{
    const char *v = take_atom(ip, key);
    char *r;

    if ( !v )
        return NULL;
    if ( !(r = strdup(v)) )
        ip->oom = true;
    return r;
}

/*
 * A number in [min, max] written in decimal, 0x hex or 0 octal, bare or
 * quoted (libxlu accepts both).  False if absent or bad (then reported).
 */
static bool take_number(struct interp *ip, const char *key, uint64_t min,
                        uint64_t max, uint64_t *out)
{
    struct cfg_setting *s;
    const char *v = take_atom(ip, key);
    unsigned long long n;
    char *end, msg[128];

    if ( !v )
        return false;
    s = find_setting(ip->s, ip->nr, key);
    errno = 0;
    /* strtoull would accept a sign and leading blanks: insist on a digit. */
    if ( *v < '0' || *v > '9' )
        goto bad;
    n = strtoull(v, &end, 0);
    if ( errno == ERANGE )
    {
        snprintf(msg, sizeof(msg), "number '%s' is too large", v);
        cfg_error(ip, s, msg);
        return false;
    }
    if ( *end || end == v )
        goto bad;
    if ( n < min || n > max )
    {
        snprintf(msg, sizeof(msg), "%llu is out of range (%llu to %llu)",
                 n, (unsigned long long)min, (unsigned long long)max);
        cfg_error(ip, s, msg);
        return false;
    }
    *out = n;
    return true;

 bad:
    snprintf(msg, sizeof(msg), "'%.64s' is not a valid number", v);
    cfg_error(ip, s, msg);
    return false;
}

static void take_action(struct interp *ip, const char *key,
                        enum xl_action *out, enum xl_action dflt)
{
    static const struct { const char *name; int action; } actions[] = {
        { "destroy", XL_ACTION_DESTROY },
        { "restart", XL_ACTION_RESTART },
        { "preserve", XL_ACTION_PRESERVE },
        { "rename-restart", XL_ACTION_RENAME_RESTART },
        /* Xen's, not ours yet: a core dump needs foreign mapping of all memory. */
        { "coredump-destroy", -1 },
        { "coredump-restart", -1 },
        { "soft-reset", -1 },
    };
    const char *v = take_atom(ip, key);
    char msg[160];
    size_t i;

    *out = dflt;
    if ( !v )
        return;
    for ( i = 0; i < ARRAY_SIZE(actions); i++ )
    {
        if ( strcmp(v, actions[i].name) )
            continue;
        if ( actions[i].action < 0 )
        {
            snprintf(msg, sizeof(msg), "action '%s' is not supported by "
                     "Tonnerre (use destroy, restart, preserve or "
                     "rename-restart)", v);
            cfg_error(ip, find_setting(ip->s, ip->nr, key), msg);
            return;
        }
        *out = (enum xl_action)actions[i].action;
        return;
    }
    snprintf(msg, sizeof(msg), "unknown action '%.40s' (expected destroy, "
             "restart, preserve or rename-restart)", v);
    cfg_error(ip, find_setting(ip->s, ip->nr, key), msg);
}

/* A list of strings, e.g. disk = [ 'spec', ... ]; kept raw for the device code. */
static void take_string_list(struct interp *ip, const char *key,
                             char ***out, unsigned int *nr_out)
{
    struct cfg_setting *s = take(ip, key);
    char **list;
    unsigned int i;

    *out = NULL;
    *nr_out = 0;
    if ( !s )
        return;
    if ( s->value.kind != CFG_LIST )
    {
        cfg_error(ip, s, "expected a [list] of \"strings\"");
        return;
    }
    for ( i = 0; i < s->value.nr_items; i++ )
    {
        if ( s->value.items[i].kind != CFG_STRING )
        {
            char msg[64];

            snprintf(msg, sizeof(msg), "item %u of the list is not a \"string\"",
                     i + 1);
            cfg_error(ip, s, msg);
            return;
        }
    }
    if ( !s->value.nr_items )
        return;
    list = calloc(s->value.nr_items, sizeof(*list));
    if ( !list )
    {
        ip->oom = true;
        return;
    }
    for ( i = 0; i < s->value.nr_items; i++ )
    {
        /* Move the strings: the settings are freed after interpretation. */
        list[i] = s->value.items[i].atom;
        s->value.items[i].atom = NULL;
    }
    *out = list;
    *nr_out = s->value.nr_items;
}

/* --- one function per group of keys ------------------------------------ */

static void missing(struct interp *ip, const char *key, const char *why)
{
    cfg_report(ip->report, ip->file_source, 0, key, "required key is missing%s",
               why);
    ip->errors++;
}

/*
 * Names go into xenstore paths and xl's command lines: printable, no '/',
 * and not all digits, which `xl console 5` would read as a domain id.
 */
static void check_name(struct interp *ip, const char *name)
{
    struct cfg_setting *s = find_setting(ip->s, ip->nr, "name");
    size_t i, n = strlen(name);
    bool digits = true;

    if ( !n || n > 64 )
    {
        cfg_error(ip, s, "must be 1 to 64 characters long");
        return;
    }
    for ( i = 0; i < n; i++ )
    {
        unsigned char c = (unsigned char)name[i];

        if ( c <= ' ' || c >= 0x7f || c == '/' || c == '"' || c == '\'' || c == '\\' )
        {
            cfg_error(ip, s, "may hold only printable characters, "
                      "no blanks, quotes, '\\' or '/'");
            return;
        }
        if ( c < '0' || c > '9' )
            digits = false;
    }
    if ( digits )
        cfg_error(ip, s, "must not be all digits (it would read as a domain id)");
}

static void interp_type(struct interp *ip, struct xl_domain_config *c)
{
    struct cfg_setting *b = take(ip, "builder");
    const char *t = take_atom(ip, "type");
    struct cfg_setting *s = find_setting(ip->s, ip->nr, "type");
    char msg[160];

    if ( b )
        cfg_error(ip, b, "builder is the old spelling of type; "
                  "Tonnerre supports only type = \"pvh\"");
    if ( !s )
    {
        if ( !b )
            missing(ip, "type", " (Xen would default to \"pv\", which Tonnerre "
                    "does not support: set type = \"pvh\")");
        return;
    }
    if ( !t )
        return;
    if ( !strcmp(t, "pvh") )
    {
        c->type = XL_DOMAIN_TYPE_PVH;
        return;
    }
    if ( !strcmp(t, "pv") || !strcmp(t, "hvm") )
        snprintf(msg, sizeof(msg), "\"%s\" guests are not supported by "
                 "Tonnerre (only \"pvh\")", t);
    else
        snprintf(msg, sizeof(msg), "unknown type \"%.40s\" (Xen knows pv, pvh "
                 "and hvm; Tonnerre supports pvh)", t);
    cfg_error(ip, s, msg);
}

/*
 * cmdline wins; otherwise the deprecated root and extra are joined as xl
 * does: "root=ROOT EXTRA".
 */
static void interp_cmdline(struct interp *ip, struct xl_domain_config *c)
{
    char *cmdline = take_string(ip, "cmdline");
    char *root = take_string(ip, "root");
    char *extra = take_string(ip, "extra");
    struct cfg_setting *s;

    if ( cmdline )
    {
        if ( root || extra )
        {
            s = find_setting(ip->s, ip->nr, root ? "root" : "extra");
            cfg_report(ip->report, s->source, s->line, s->key,
                       "warning: ignored because cmdline is set");
        }
        c->cmdline = cmdline;
    }
    else if ( root )
    {
        size_t n = strlen(root) + (extra ? strlen(extra) + 1 : 0) + 6;

        if ( (c->cmdline = malloc(n)) )
            snprintf(c->cmdline, n, "root=%s%s%s", root, extra ? " " : "",
                     extra ? extra : "");
        else
            ip->oom = true;
    }
    else if ( extra )
    {
        c->cmdline = extra;
        extra = NULL;
    }
    free(root);
    free(extra);
}

static void interp_memory(struct interp *ip, struct xl_domain_config *c)
{
    uint64_t v;

    c->memory_mib = XL_DEFAULT_MEMORY_MIB;
    if ( take_number(ip, "memory", 1, MAX_MEMORY_MIB, &v) )
        c->memory_mib = v;
    c->maxmem_mib = c->memory_mib;
    if ( take_number(ip, "maxmem", 1, MAX_MEMORY_MIB, &v) )
    {
        if ( v < c->memory_mib )
        {
            char msg[96];

            snprintf(msg, sizeof(msg), "%llu MiB is less than memory (%llu MiB)",
                     (unsigned long long)v, (unsigned long long)c->memory_mib);
            cfg_error(ip, find_setting(ip->s, ip->nr, "maxmem"), msg);
        }
        c->maxmem_mib = v;
    }
}

static void interp_vcpus(struct interp *ip, struct xl_domain_config *c)
{
    uint64_t v;
    struct cfg_setting *s;

    c->vcpus = 1;
    if ( (s = find_setting(ip->s, ip->nr, "vcpus")) && s->value.kind != CFG_LIST &&
         s->value.atom && !strcmp(s->value.atom, "0") )
    {
        s->used = true;
        cfg_error(ip, s, "a domain needs at least one vCPU");
    }
    else if ( take_number(ip, "vcpus", 1, XL_MAX_VCPUS, &v) )
        c->vcpus = (unsigned int)v;
    c->maxvcpus = c->vcpus;
    if ( take_number(ip, "maxvcpus", 1, XL_MAX_VCPUS, &v) )
    {
        if ( v < c->vcpus )
        {
            char msg[80];

            snprintf(msg, sizeof(msg), "%u is less than vcpus (%u)",
                     (unsigned int)v, c->vcpus);
            cfg_error(ip, find_setting(ip->s, ip->nr, "maxvcpus"), msg);
        }
        c->maxvcpus = (unsigned int)v;
    }
}

/* 8-4-4-4-12 hex digits. */
static bool parse_uuid(const char *s, uint8_t out[16])
{
    unsigned int i, n = 0;
    int hi, lo;

    if ( strlen(s) != 36 )
        return false;
    for ( i = 0; i < 36; )
    {
        if ( i == 8 || i == 13 || i == 18 || i == 23 )
        {
            if ( s[i++] != '-' )
                return false;
            continue;
        }
        hi = s[i] >= '0' && s[i] <= '9' ? s[i] - '0' :
             (s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'f' ? (s[i] | 0x20) - 'a' + 10 : -1;
        lo = s[i + 1] >= '0' && s[i + 1] <= '9' ? s[i + 1] - '0' :
             (s[i + 1] | 0x20) >= 'a' && (s[i + 1] | 0x20) <= 'f' ?
             (s[i + 1] | 0x20) - 'a' + 10 : -1;
        if ( hi < 0 || lo < 0 )
            return false;
        out[n++] = (uint8_t)(hi << 4 | lo);
        i += 2;
    }
    return n == 16;
}

static void interp_uuid(struct interp *ip, struct xl_domain_config *c)
{
    const char *v = take_atom(ip, "uuid");

    if ( !v )
        return;
    if ( parse_uuid(v, c->uuid) )
        c->has_uuid = true;
    else
        cfg_error(ip, find_setting(ip->s, ip->nr, "uuid"),
                  "not a UUID (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
}

static void interp_unused(struct interp *ip)
{
    unsigned int i;
    const char *hint;

    for ( i = 0; i < ip->nr; i++ )
    {
        struct cfg_setting *s = &ip->s[i];

        if ( s->used )
            continue;
        if ( in_list(ignored_keys, ARRAY_SIZE(ignored_keys), s->key) )
        {
            cfg_report(ip->report, s->source, s->line, s->key,
                       "warning: not supported by Tonnerre yet, ignored");
            continue;
        }
        hint = suggest_key(s->key);
        if ( hint )
            cfg_report(ip->report, s->source, s->line, s->key,
                       "unknown key; did you mean '%s'?", hint);
        else
            cfg_report(ip->report, s->source, s->line, s->key, "unknown key");
        ip->errors++;
    }
}

static void interpret(struct interp *ip, struct xl_domain_config *c)
{
    interp_type(ip, c);
    c->name = take_string(ip, "name");
    if ( c->name )
        check_name(ip, c->name);
    else if ( !find_setting(ip->s, ip->nr, "name") )
        missing(ip, "name", "");
    c->kernel = take_string(ip, "kernel");
    if ( !c->kernel && !find_setting(ip->s, ip->nr, "kernel") &&
         c->type == XL_DOMAIN_TYPE_PVH )
        missing(ip, "kernel", " (a pvh guest boots the kernel it names)");
    c->ramdisk = take_string(ip, "ramdisk");
    interp_cmdline(ip, c);
    interp_memory(ip, c);
    interp_vcpus(ip, c);
    /* xl's defaults: power-off destroys, reboot restarts, a crash destroys. */
    take_action(ip, "on_poweroff", &c->on_poweroff, XL_ACTION_DESTROY);
    take_action(ip, "on_reboot", &c->on_reboot, XL_ACTION_RESTART);
    take_action(ip, "on_crash", &c->on_crash, XL_ACTION_DESTROY);
    interp_uuid(ip, c);
    take_string_list(ip, "disk", &c->disks, &c->nr_disks);
    take_string_list(ip, "vif", &c->vifs, &c->nr_vifs);
    interp_unused(ip);
}

/* --- entry points ------------------------------------------------------- */

static void free_list(char **l, unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n; i++ )
        free(l[i]);
    free(l);
}

void xl_domain_config_free(struct xl_domain_config *c)
{
    free(c->name);
    free(c->kernel);
    free(c->ramdisk);
    free(c->cmdline);
    free_list(c->disks, c->nr_disks);
    free_list(c->vifs, c->nr_vifs);
    memset(c, 0, sizeof(*c));
}

int xl_cfg_parse_buffer(const char *source, const char *text, size_t len,
                        const char *const *overrides, unsigned int nr_overrides,
                        struct xl_domain_config *out, FILE *report)
{
    struct interp ip = { .file_source = source, .report = report };
    unsigned int i;
    int rc;

    memset(out, 0, sizeof(*out));
    if ( len > XL_CFG_MAX_SIZE )
    {
        cfg_report(report, source, 0, NULL, "larger than %u bytes: not a config",
                   XL_CFG_MAX_SIZE);
        return -EINVAL;
    }
    rc = merge_text(&ip, source, text, len, false);
    for ( i = 0; i < nr_overrides && !rc; i++ )
        rc = merge_text(&ip, OVERRIDE_SOURCE, overrides[i], strlen(overrides[i]),
                        true);
    if ( !rc )
        interpret(&ip, out);
    cfg_settings_free(ip.s, ip.nr);
    if ( rc || ip.oom )
    {
        xl_domain_config_free(out);
        return -ENOMEM;
    }
    if ( ip.errors )
    {
        xl_domain_config_free(out);
        return -EINVAL;
    }
    return 0;
}

int xl_cfg_parse_file(const char *path,
                      const char *const *overrides, unsigned int nr_overrides,
                      struct xl_domain_config *out, FILE *report)
{
    struct stat st;
    char *buf = NULL;
    size_t len = 0;
    ssize_t r;
    int fd, rc;

    memset(out, 0, sizeof(*out));
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if ( fd < 0 || fstat(fd, &st) )
        goto fail;
    if ( !S_ISREG(st.st_mode) || st.st_size > XL_CFG_MAX_SIZE )
    {
        cfg_report(report, path, 0, NULL, "not a regular file of at most %u bytes",
                   XL_CFG_MAX_SIZE);
        close(fd);
        return -EINVAL;
    }
    if ( !(buf = malloc((size_t)st.st_size + 1)) )
    {
        close(fd);
        return -ENOMEM;
    }
    /* Read to EOF, not to st_size: the file may change under us. */
    while ( len <= (size_t)st.st_size &&
            (r = read(fd, buf + len, (size_t)st.st_size + 1 - len)) != 0 )
    {
        if ( r < 0 )
        {
            if ( errno == EINTR )
                continue;
            goto fail;
        }
        len += (size_t)r;
    }
    close(fd);
    rc = xl_cfg_parse_buffer(path, buf, len, overrides, nr_overrides, out, report);
    free(buf);
    return rc;

 fail:
    rc = -errno;
    cfg_report(report, path, 0, NULL, "cannot read: %s", strerror(errno));
    if ( fd >= 0 )
        close(fd);
    free(buf);
    return rc;
}

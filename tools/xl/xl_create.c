/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl create: config file → a running PVH domain, and the small daemon that
 * stays behind to carry out on_poweroff / on_reboot / on_crash, as Xen's
 * xl does.  Any failure while building undoes everything done so far: no
 * half-built domain, no stray xenstore entry.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <tonnerre/builder.h>
#include <tonnerre/xlcfg.h>

#include "xl.h"
#include "xl_device.h"

#define SHUTDOWN_poweroff 0
#define SHUTDOWN_reboot   1
#define SHUTDOWN_crash    3
#define SHUTDOWN_watchdog 4

/* Pages beyond maxmem for the builder's special pages, as libxl's slack. */
#define MAXMEM_SLACK_KIB 1024
#define XL_LOG_DIR "/var/log/xen"

struct created {
    ctrl_domid_t domid;
    uint8_t uuid[16];
};

static int random_uuid(uint8_t uuid[16])
{
    int fd = open("/dev/urandom", O_RDONLY), ok;

    if ( fd < 0 )
        return -errno;
    ok = read(fd, uuid, 16) == 16;
    close(fd);
    if ( !ok )
        return -EIO;
    uuid[6] = (uuid[6] & 0x0f) | 0x40;      /* version 4, random */
    uuid[8] = (uuid[8] & 0x3f) | 0x80;
    return 0;
}

/* Fail early, before anything exists, on what would fail later. */
static int check_before_create(struct xl_ctx *ctx, const struct xl_domain_config *cfg,
                               const char *file)
{
    struct ctrl_physinfo pi;
    uint64_t need_kib = cfg->memory_mib * 1024 + MAXMEM_SLACK_KIB;

    if ( xl_name_in_use(ctx, cfg->name) )
    {
        xl_err("%s: name: a domain called '%s' already exists", file, cfg->name);
        return -EEXIST;
    }
    if ( access(cfg->kernel, R_OK) )
    {
        xl_err("%s: kernel: cannot read '%s': %s", file, cfg->kernel, strerror(errno));
        return -ENOENT;
    }
    if ( cfg->ramdisk && access(cfg->ramdisk, R_OK) )
    {
        xl_err("%s: ramdisk: cannot read '%s': %s", file, cfg->ramdisk, strerror(errno));
        return -ENOENT;
    }
    if ( ctrl_physinfo(ctx->ctrl, &pi) == 0 && need_kib > pi.free_pages * 4 )
    {
        xl_err("%s: memory: %llu MiB asked, only %llu MiB free in the hypervisor",
               file, (unsigned long long)cfg->memory_mib,
               (unsigned long long)(pi.free_pages / 256));
        return -ENOMEM;
    }
    return xl_devices_check(ctx, cfg, file);
}

/* xenstore permissions: owner dom0 with `others` for everyone, plus domid. */
static int set_perms(struct xl_ctx *ctx, xs_transaction_t t, const char *path,
                     ctrl_domid_t owner, unsigned int guest_perms, ctrl_domid_t domid)
{
    struct xs_permissions p[2] = {
        { .id = owner, .perms = XS_PERM_NONE },
        { .id = domid, .perms = guest_perms },
    };

    return xs_set_permissions(ctx->xs, t, path, p, owner == domid ? 1 : 2);
}

static int put(struct xl_ctx *ctx, xs_transaction_t t, const char *path,
               const char *value)
{
    return xs_write(ctx->xs, t, path, value, strlen(value));
}

struct store_layout {
    ctrl_domid_t domid;
    const struct xl_domain_config *cfg;
    char uuid[37];
    uint32_t store_port, console_port;
    uint64_t store_gfn, console_gfn;
};

/*
 * Entries the guest writes, created empty and owned by the guest (it may
 * not create children under dom0's "control" itself): where it announces
 * its PV shutdown support and reads our requests.
 */
static const char *const guest_writable[] = {
    "control/shutdown", "control/feature-poweroff", "control/feature-reboot",
    "control/feature-suspend", "control/sysrq", "data", "drivers", "feature",
    "attr", "error", "device",
};

/* Everything else: dom0's, readable by the guest. */
static int write_dom_entries(struct xl_ctx *ctx, xs_transaction_t t,
                             const struct store_layout *s)
{
    char base[64], path[160], val[64];
    unsigned int i;
    int rc = 0;

#define PUT(rel, v) do { snprintf(path, sizeof(path), "%s/%s", base, rel); \
        if ( !rc ) rc = put(ctx, t, path, v); \
        if ( !rc ) rc = set_perms(ctx, t, path, 0, XS_PERM_READ, s->domid); } while ( 0 )

    snprintf(base, sizeof(base), "/local/domain/%u", s->domid);
    rc = put(ctx, t, base, "");
    if ( !rc )
        rc = set_perms(ctx, t, base, 0, XS_PERM_READ, s->domid);
    snprintf(val, sizeof(val), "/vm/%s", s->uuid);
    PUT("vm", val);
    PUT("name", s->cfg->name);
    snprintf(val, sizeof(val), "%u", s->domid);
    PUT("domid", val);
    for ( i = 0; i < s->cfg->maxvcpus; i++ )
    {
        char rel[48];

        snprintf(rel, sizeof(rel), "cpu/%u/availability", i);
        PUT(rel, i < s->cfg->vcpus ? "online" : "offline");
    }
    snprintf(val, sizeof(val), "%llu", (unsigned long long)s->cfg->maxmem_mib * 1024);
    PUT("memory/static-max", val);
    snprintf(val, sizeof(val), "%llu", (unsigned long long)s->cfg->memory_mib * 1024);
    PUT("memory/target", val);
    PUT("memory/videoram", "0");
    PUT("control", "");
    PUT("control/platform-feature-xs_reset_watches", "1");
    snprintf(val, sizeof(val), "%u", s->store_port);
    PUT("store/port", val);
    snprintf(val, sizeof(val), "%llu", (unsigned long long)s->store_gfn);
    PUT("store/ring-ref", val);
    PUT("console/limit", "1048576");
    PUT("console/type", "xenconsoled");
    PUT("console/output", "pty");
    snprintf(val, sizeof(val), "%u", s->console_port);
    PUT("console/port", val);
    snprintf(val, sizeof(val), "%llu", (unsigned long long)s->console_gfn);
    PUT("console/ring-ref", val);
#undef PUT
    for ( i = 0; i < sizeof(guest_writable) / sizeof(guest_writable[0]) && !rc; i++ )
    {
        snprintf(path, sizeof(path), "%s/%s", base, guest_writable[i]);
        rc = put(ctx, t, path, "");
        if ( !rc )
            rc = set_perms(ctx, t, path, s->domid, XS_PERM_NONE, s->domid);
    }
    return rc;
}

static int write_vm_entries(struct xl_ctx *ctx, xs_transaction_t t,
                            const struct store_layout *s)
{
    char base[64], path[128], val[48];
    struct timeval tv;
    int rc;

    snprintf(base, sizeof(base), "/vm/%s", s->uuid);
    rc = put(ctx, t, base, "");
    if ( !rc )
        rc = set_perms(ctx, t, base, 0, XS_PERM_READ, s->domid);
    snprintf(path, sizeof(path), "%s/name", base);
    if ( !rc )
        rc = put(ctx, t, path, s->cfg->name);
    snprintf(path, sizeof(path), "%s/uuid", base);
    if ( !rc )
        rc = put(ctx, t, path, s->uuid);
    gettimeofday(&tv, NULL);
    snprintf(val, sizeof(val), "%ld.%02ld", (long)tv.tv_sec, (long)tv.tv_usec / 10000);
    snprintf(path, sizeof(path), "%s/start_time", base);
    if ( !rc )
        rc = put(ctx, t, path, val);
    snprintf(path, sizeof(path), "/libxl/%u/type", s->domid);
    if ( !rc )
        rc = put(ctx, t, path, "pvh");
    return rc;
}

/* All entries in one transaction, retried if xenstored saw a conflict. */
static int write_store(struct xl_ctx *ctx, const struct store_layout *s)
{
    int tries, rc = -EAGAIN;

    for ( tries = 0; tries < 10 && rc == -EAGAIN; tries++ )
    {
        xs_transaction_t t;

        if ( (rc = xs_transaction_start(ctx->xs, &t)) )
            return rc;
        rc = write_dom_entries(ctx, t, s);
        if ( !rc )
            rc = write_vm_entries(ctx, t, s);
        if ( rc )
        {
            xs_transaction_end(ctx->xs, t, true);
            return rc;
        }
        rc = xs_transaction_end(ctx->xs, t, false);
    }
    return rc;
}

static int build(struct xl_ctx *ctx, const struct xl_domain_config *cfg,
                 struct store_layout *s)
{
    struct builder_args args = {
        .domid = s->domid, .mem_kib = cfg->memory_mib * 1024, .vcpus = cfg->vcpus,
        .kernel = cfg->kernel, .ramdisk = cfg->ramdisk,
        .cmdline = cfg->cmdline ? cfg->cmdline : "",
    };
    char err[256] = "";
    int rc;

    if ( (rc = ctrl_evtchn_alloc_unbound(ctx->ctrl, s->domid, 0, &s->store_port)) ||
         (rc = ctrl_evtchn_alloc_unbound(ctx->ctrl, s->domid, 0, &s->console_port)) )
    {
        xl_err("allocating event channels for domain %u: %s", s->domid, strerror(-rc));
        return rc;
    }
    args.store_evtchn = s->store_port;
    args.console_evtchn = s->console_port;
    rc = builder_build_pvh(ctx->ctrl, &args, err, sizeof(err));
    if ( rc )
    {
        xl_err("building domain %u from '%s': %s", s->domid, cfg->kernel,
               err[0] ? err : strerror(-rc));
        return rc;
    }
    s->store_gfn = args.store_gfn;
    s->console_gfn = args.console_gfn;
    return 0;
}

static int create_domain(struct xl_ctx *ctx, const struct xl_domain_config *cfg,
                         bool paused, struct created *out)
{
    struct ctrl_create_args ca = { .max_vcpus = cfg->maxvcpus };
    struct store_layout s = { .cfg = cfg };
    int rc;

    if ( cfg->has_uuid )
        memcpy(ca.handle, cfg->uuid, 16);
    else if ( (rc = random_uuid(ca.handle)) )
        return rc;
    if ( (rc = ctrl_domain_create(ctx->ctrl, &ca, &s.domid)) )
    {
        xl_err("the hypervisor refused to create the domain: %s", strerror(-rc));
        return rc;
    }
    xl_log("domain %u created", s.domid);
    xl_uuid_format(ca.handle, s.uuid);
    rc = ctrl_domain_max_mem(ctx->ctrl, s.domid,
                             cfg->maxmem_mib * 1024 + MAXMEM_SLACK_KIB);
    if ( rc )
        xl_err("setting max memory of domain %u: %s", s.domid, strerror(-rc));
    if ( !rc )
        rc = build(ctx, cfg, &s);
    if ( !rc && (rc = write_store(ctx, &s)) )
        xl_err("writing domain %u's xenstore entries: %s", s.domid, strerror(-rc));
    if ( !rc && (rc = xs_introduce_domain(ctx->xs, s.domid, s.store_gfn, s.store_port)) )
        xl_err("xenstored refused domain %u: %s", s.domid, strerror(-rc));
    if ( !rc )
        rc = xl_devices_add(ctx, s.domid, cfg);
    if ( !rc && !paused && (rc = ctrl_domain_unpause(ctx->ctrl, s.domid)) )
        xl_err("unpausing domain %u: %s", s.domid, strerror(-rc));
    if ( rc )
    {
        xl_destroy_domain(ctx, s.domid);
        return rc;
    }
    out->domid = s.domid;
    memcpy(out->uuid, ca.handle, 16);
    return 0;
}

/* ---- the monitor: on_poweroff / on_reboot / on_crash ---- */

static enum xl_action action_for(const struct xl_domain_config *cfg,
                                 unsigned int reason)
{
    switch ( reason )
    {
    case SHUTDOWN_poweroff:
        return cfg->on_poweroff;
    case SHUTDOWN_reboot:
        return cfg->on_reboot;
    default:
        return cfg->on_crash;      /* crash, watchdog, anything unexpected */
    }
}

/* Wake on a xenstore watch event, or every second anyway. */
static void wait_for_change(struct xl_ctx *ctx)
{
    struct pollfd p = { .fd = xs_fileno(ctx->xs), .events = POLLIN };
    char **vec;
    unsigned int num;

    while ( xs_check_watch(ctx->xs, &vec, &num) == 0 )
        free(vec);
    if ( poll(&p, 1, 1000) > 0 )
        while ( xs_check_watch(ctx->xs, &vec, &num) == 0 )
            free(vec);
}

/*
 * Returns when the domain is gone for good (destroyed, or preserved for
 * inspection).  A restart builds a fresh domain from the same config.
 */
static void monitor(struct xl_ctx *ctx, const struct xl_domain_config *cfg,
                    ctrl_domid_t domid)
{
    xs_watch(ctx->xs, "@releaseDomain", "xl-monitor");
    for ( ; ; )
    {
        struct ctrl_dominfo info;
        struct created again;
        enum xl_action act;
        char newname[96];

        wait_for_change(ctx);
        if ( xl_dominfo(ctx, domid, &info) )
            return;                         /* destroyed by someone else */
        if ( !info.shutdown && !info.crashed )
            continue;
        act = action_for(cfg, info.crashed ? SHUTDOWN_crash : info.shutdown_reason);
        printf("Domain %u (%s) shut down, reason %u: action %s\n", domid,
               cfg->name, info.shutdown_reason, xl_action_name(act));
        fflush(stdout);
        switch ( act )
        {
        case XL_ACTION_PRESERVE:
            return;
        case XL_ACTION_RENAME_RESTART:
            snprintf(newname, sizeof(newname), "%s--incarnation-%u", cfg->name, domid);
            xl_write_dom(ctx, domid, "name", newname);
            break;
        case XL_ACTION_DESTROY:
        case XL_ACTION_RESTART:
            xl_destroy_domain(ctx, domid);
            break;
        }
        if ( act == XL_ACTION_DESTROY )
            return;
        if ( create_domain(ctx, cfg, false, &again) )
            return;
        printf("Domain %u (%s) restarted as domain %u\n", domid, cfg->name, again.domid);
        fflush(stdout);
        domid = again.domid;
    }
}

/*
 * Detach a child that outlives this command, its output in
 * /var/log/xen/xl-NAME.log.  The parent returns the child's pid.
 */
static pid_t spawn_monitor(const struct xl_domain_config *cfg, ctrl_domid_t domid)
{
    char log[256];
    pid_t pid = fork();
    int fd;

    if ( pid != 0 )
        return pid;
    setsid();
    mkdir(XL_LOG_DIR, 0755);
    snprintf(log, sizeof(log), XL_LOG_DIR "/xl-%s.log", cfg->name);
    fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if ( fd >= 0 )
    {
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
    }
    fd = open("/dev/null", O_RDONLY);
    if ( fd >= 0 )
    {
        dup2(fd, 0);
        close(fd);
    }
    {
        struct xl_ctx own = { 0 };

        /* Fresh connections: the parent's are its own. */
        if ( xl_ctx_open(&own) == 0 )
        {
            monitor(&own, cfg, domid);
            xl_ctx_close(&own);
        }
    }
    _exit(0);
}

int xl_cmd_create(struct xl_ctx *ctx, int argc, char **argv)
{
    struct xl_domain_config cfg;
    struct created c;
    bool console = false, paused = false;
    const char *file = NULL;
    int i, rc;

    for ( i = 1; i < argc && argv[i][0] == '-'; i++ )
    {
        if ( !strcmp(argv[i], "-c") )
            console = true;
        else if ( !strcmp(argv[i], "-p") )
            paused = true;
        else
        {
            xl_err("create: unknown option '%s'", argv[i]);
            return XL_EXIT_USAGE;
        }
    }
    if ( i >= argc )
        return XL_EXIT_USAGE;
    file = argv[i++];
    if ( xl_cfg_parse_file(file, (const char *const *)argv + i,
                           (unsigned int)(argc - i), &cfg, stderr) )
        return XL_EXIT_FAIL;        /* the parser named file, line and key */
    rc = check_before_create(ctx, &cfg, file);
    if ( !rc )
        rc = create_domain(ctx, &cfg, paused, &c);
    if ( rc )
    {
        xl_domain_config_free(&cfg);
        return XL_EXIT_FAIL;
    }
    printf("Parsing config from %s\nDomain %u (%s) created\n", file, c.domid, cfg.name);
    fflush(stdout);
    if ( spawn_monitor(&cfg, c.domid) < 0 )
        xl_err("cannot start the monitor: on_poweroff etc. will not be acted on");
    rc = console ? xl_console_domain(ctx, c.domid) : 0;
    rc = rc < 0 ? rc : 0;     /* a console closed by its guest is no error */
    xl_domain_config_free(&cfg);
    return rc ? XL_EXIT_FAIL : XL_EXIT_OK;
}

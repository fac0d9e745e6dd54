/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Read-only subcommands: list (and -l JSON), info, dmesg, uptime, domid,
 * domname, vcpu-list.  Output formats follow Xen's xl, so scripts that
 * parse `xl list` keep working.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/utsname.h>

#include "xl.h"

#define MAX_LIST 1024
#define XENVER_version      0
#define XENVER_extraversion 1
#define XENVER_commandline  9
#define HYPERVISOR_xen_version 17

static int collect(struct xl_ctx *ctx, int argc, char **argv, int first,
                   struct ctrl_dominfo *info, int max)
{
    int i, n = 0;

    if ( first >= argc )
        return xl_all_domains(ctx, info, max);
    for ( i = first; i < argc && n < max; i++ )
    {
        ctrl_domid_t id;

        if ( xl_domid_of(ctx, argv[i], &id) || xl_dominfo(ctx, id, &info[n]) )
            return -ENOENT;
        n++;
    }
    return n;
}

static void state_string(const struct ctrl_dominfo *d, char out[7])
{
    out[0] = d->running ? 'r' : '-';
    out[1] = d->blocked ? 'b' : '-';
    out[2] = d->paused ? 'p' : '-';
    out[3] = d->shutdown ? 's' : '-';
    out[4] = d->crashed ? 'c' : '-';
    out[5] = d->dying ? 'd' : '-';
    out[6] = '\0';
}

/* A JSON string: the name is the guest's choice of bytes, so escape it. */
static void json_string(const char *s)
{
    putchar('"');
    for ( ; *s; s++ )
    {
        unsigned char c = (unsigned char)*s;

        if ( c == '"' || c == '\\' )
            printf("\\%c", c);
        else if ( c < 0x20 )
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static void list_json_one(struct xl_ctx *ctx, const struct ctrl_dominfo *d, bool last)
{
    char uuid[37], *name = xl_domname_of(ctx, d->domid);
    char *target = xl_read_dom(ctx, d->domid, "memory/target");
    char *smax = xl_read_dom(ctx, d->domid, "memory/static-max");

    xl_uuid_format(d->handle, uuid);
    printf("    {\n        \"domid\": %u,\n        \"config\": {\n"
           "            \"c_info\": {\n                \"type\": \"pvh\",\n"
           "                \"name\": ", d->domid);
    json_string(name ? name : "");
    printf(",\n                \"uuid\": \"%s\"\n            },\n"
           "            \"b_info\": {\n                \"max_vcpus\": %u,\n"
           "                \"max_memkb\": %s,\n                \"target_memkb\": %s,\n"
           "                \"type.pvh\": {\n                }\n            }\n"
           "        }\n    }%s\n", uuid, d->max_vcpu_id + 1,
           smax ? smax : "0", target ? target : "0", last ? "" : ",");
    free(name);
    free(target);
    free(smax);
}

int xl_cmd_list(struct xl_ctx *ctx, int argc, char **argv)
{
    struct ctrl_dominfo *info = calloc(MAX_LIST, sizeof(*info));
    bool json = argc > 1 && !strcmp(argv[1], "-l");
    int i, n;

    if ( !info )
        return XL_EXIT_FAIL;
    n = collect(ctx, argc, argv, json ? 2 : 1, info, MAX_LIST);
    if ( n < 0 )
    {
        free(info);
        return XL_EXIT_FAIL;
    }
    if ( json )
    {
        printf("[\n");
        for ( i = 0; i < n; i++ )
            list_json_one(ctx, &info[i], i == n - 1);
        printf("]\n");
    }
    else
    {
        printf("%-40s %5s %5s %5s     %s  %s\n", "Name", "ID", "Mem", "VCPUs",
               "State", "Time(s)");
        for ( i = 0; i < n; i++ )
        {
            char st[7], *name = xl_domname_of(ctx, info[i].domid);

            state_string(&info[i], st);
            printf("%-40s %5u %5llu %5u     %s  %8.1f\n", name ? name : "(null)",
                   info[i].domid, (unsigned long long)(info[i].tot_pages / 256),
                   info[i].nr_online_vcpus, st, info[i].cpu_time_ns / 1e9);
            free(name);
        }
    }
    free(info);
    return XL_EXIT_OK;
}

static long xen_version(struct xl_ctx *ctx, unsigned int cmd, void *buf)
{
    return ctrl_hypercall(ctx->ctrl, HYPERVISOR_xen_version, cmd,
                          (uint64_t)(uintptr_t)buf, 0, 0, 0);
}

int xl_cmd_info(struct xl_ctx *ctx, int argc, char **argv)
{
    struct ctrl_physinfo pi;
    struct utsname u;
    char extra[16] = "", cmdline[1024] = "";
    long ver;
    int i;

    if ( ctrl_physinfo(ctx->ctrl, &pi) )
    {
        xl_err("physinfo failed");
        return XL_EXIT_FAIL;
    }
    ver = xen_version(ctx, XENVER_version, NULL);
    xen_version(ctx, XENVER_extraversion, extra);
    xen_version(ctx, XENVER_commandline, cmdline);
    extra[sizeof(extra) - 1] = cmdline[sizeof(cmdline) - 1] = '\0';
    uname(&u);
    printf("host                   : %s\n", u.nodename);
    printf("release                : %s\n", u.release);
    printf("version                : %s\n", u.version);
    printf("machine                : %s\n", u.machine);
    printf("nr_cpus                : %u\n", pi.nr_cpus);
    printf("max_cpu_id             : %u\n", pi.max_cpu_id);
    printf("nr_nodes               : %u\n", pi.nr_nodes);
    printf("cores_per_socket       : %u\n", pi.cores_per_socket);
    printf("threads_per_core       : %u\n", pi.threads_per_core);
    printf("cpu_mhz                : %u.%03u\n", pi.cpu_khz / 1000, pi.cpu_khz % 1000);
    printf("hw_caps                : ");
    for ( i = 0; i < 8; i++ )
        printf("%08x%c", pi.hw_cap[i], i == 7 ? '\n' : ':');
    printf("virt_caps              : hvm hap gnttab-v1\n");
    printf("total_memory           : %llu\n", (unsigned long long)(pi.total_pages / 256));
    printf("free_memory            : %llu\n", (unsigned long long)(pi.free_pages / 256));
    printf("free_pages             : %llu\n", (unsigned long long)pi.free_pages);
    printf("xen_major              : %ld\n", ver >> 16);
    printf("xen_minor              : %ld\n", ver & 0xffff);
    printf("xen_extra              : %s\n", extra);
    printf("xen_version            : %ld.%ld%s\n", ver >> 16, ver & 0xffff, extra);
    printf("xen_caps               : hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64\n");
    printf("xen_scheduler          : credit\n");
    printf("xen_pagesize           : 4096\n");
    printf("xen_commandline        : %s\n", cmdline);
    printf("hypervisor             : Tonnerre\n");
    return XL_EXIT_OK;
}

/*
 * As Xen's xl: incremental reads from the oldest byte held until one
 * comes back empty, each with the clear flag for -c (which discards what
 * the read reached, so nothing written meanwhile is lost).
 */
int xl_cmd_dmesg(struct xl_ctx *ctx, int argc, char **argv)
{
    static char buf[16384];
    bool clear = argc > 1 && !strcmp(argv[1], "-c");
    uint32_t index = 0;
    size_t len;
    int rc;

    if ( argc > 2 || (argc > 1 && !clear) )
        return XL_EXIT_USAGE;
    do
    {
        len = sizeof(buf);
        if ( (rc = ctrl_readconsole(ctx->ctrl, buf, &len, clear, &index)) )
        {
            xl_err("reading the hypervisor's log: %s", strerror(-rc));
            return XL_EXIT_FAIL;
        }
        fwrite(buf, 1, len, stdout);
    } while ( len );
    return XL_EXIT_OK;
}

/* Seconds since the domain started (dom0: since the machine booted). */
static double uptime_of(struct xl_ctx *ctx, ctrl_domid_t domid)
{
    struct timeval now;
    char *vm, path[128], *start = NULL;
    double up = 0;

    gettimeofday(&now, NULL);
    if ( domid == 0 )
    {
        FILE *f = fopen("/proc/uptime", "r");

        if ( f )
        {
            if ( fscanf(f, "%lf", &up) != 1 )
                up = 0;
            fclose(f);
        }
        return up;
    }
    if ( !(vm = xl_read_dom(ctx, domid, "vm")) )
        return 0;
    snprintf(path, sizeof(path), "%s/start_time", vm);
    free(vm);
    if ( xs_read(ctx->xs, XBT_NULL, path, &start, NULL) )
        return 0;
    up = now.tv_sec + now.tv_usec / 1e6 - strtod(start, NULL);
    free(start);
    return up > 0 ? up : 0;
}

int xl_cmd_uptime(struct xl_ctx *ctx, int argc, char **argv)
{
    struct ctrl_dominfo *info = calloc(MAX_LIST, sizeof(*info));
    int i, n;

    if ( !info )
        return XL_EXIT_FAIL;
    n = collect(ctx, argc, argv, 1, info, MAX_LIST);
    printf("%-32s %5s %s\n", "Name", "ID", "Uptime");
    for ( i = 0; i < n; i++ )
    {
        char *name = xl_domname_of(ctx, info[i].domid);
        unsigned long s = (unsigned long)uptime_of(ctx, info[i].domid);

        printf("%-32s %5u %lu:%02lu:%02lu\n", name ? name : "(null)", info[i].domid,
               s / 3600, s / 60 % 60, s % 60);
        free(name);
    }
    free(info);
    return n < 0 ? XL_EXIT_FAIL : XL_EXIT_OK;
}

int xl_cmd_domid(struct xl_ctx *ctx, int argc, char **argv)
{
    ctrl_domid_t id;

    if ( argc != 2 )
        return XL_EXIT_USAGE;
    if ( xl_domid_of(ctx, argv[1], &id) )
        return XL_EXIT_FAIL;
    printf("%u\n", id);
    return XL_EXIT_OK;
}

int xl_cmd_domname(struct xl_ctx *ctx, int argc, char **argv)
{
    ctrl_domid_t id;
    char *name;

    if ( argc != 2 )
        return XL_EXIT_USAGE;
    if ( xl_domid_of(ctx, argv[1], &id) )
        return XL_EXIT_FAIL;
    name = xl_domname_of(ctx, id);
    printf("%s\n", name ? name : "");
    free(name);
    return XL_EXIT_OK;
}

int xl_cmd_vcpu_list(struct xl_ctx *ctx, int argc, char **argv)
{
    struct ctrl_dominfo *info = calloc(MAX_LIST, sizeof(*info));
    int i, n;
    unsigned int v;

    if ( !info )
        return XL_EXIT_FAIL;
    n = collect(ctx, argc, argv, 1, info, MAX_LIST);
    printf("%-32s %5s %5s %5s %5s %9s\n", "Name", "ID", "VCPU", "CPU", "State", "Time(s)");
    for ( i = 0; i < n; i++ )
    {
        char *name = xl_domname_of(ctx, info[i].domid);

        for ( v = 0; v <= info[i].max_vcpu_id; v++ )
        {
            struct ctrl_vcpuinfo vi;
            char cpu[12] = "-";

            if ( ctrl_vcpu_getinfo(ctx->ctrl, info[i].domid, v, &vi) )
                continue;
            if ( vi.online )
                snprintf(cpu, sizeof(cpu), "%u", vi.cpu);
            printf("%-32s %5u %5u %5s %5s %9.1f\n", name ? name : "(null)",
                   info[i].domid, v, cpu,
                   !vi.online ? "---" : vi.running ? "r--" : vi.blocked ? "-b-" : "---",
                   vi.cpu_time_ns / 1e9);
        }
        free(name);
    }
    free(info);
    return n < 0 ? XL_EXIT_FAIL : XL_EXIT_OK;
}

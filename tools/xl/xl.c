/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl: the entry point.  One table maps subcommand names to handlers, as
 * Xen's xl does, so `xl help` and dispatch cannot disagree.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xl.h"

int xl_verbose;

struct xl_command {
    const char *name;
    int (*fn)(struct xl_ctx *ctx, int argc, char **argv);
    const char *usage;
    const char *summary;
};

static const struct xl_command commands[] = {
    { "create", xl_cmd_create, "[-c] [-p] <ConfigFile> [KEY=VALUE ...]",
      "Create a domain from a config file" },
    { "list", xl_cmd_list, "[-l] [Domain ...]", "List information about domains" },
    { "console", xl_cmd_console, "<Domain>", "Attach to a domain's console (Ctrl-] detaches)" },
    { "shutdown", xl_cmd_shutdown, "[-w] <Domain>", "Ask a domain to shut down" },
    { "reboot", xl_cmd_reboot, "[-w] <Domain>", "Ask a domain to reboot" },
    { "destroy", xl_cmd_destroy, "<Domain>", "Terminate a domain immediately" },
    { "pause", xl_cmd_pause, "<Domain>", "Pause execution of a domain" },
    { "unpause", xl_cmd_unpause, "<Domain>", "Unpause a paused domain" },
    { "info", xl_cmd_info, "", "Get information about the host" },
    { "dmesg", xl_cmd_dmesg, "[-c]", "Read (and with -c clear) the hypervisor's log" },
    { "uptime", xl_cmd_uptime, "[Domain ...]", "Print the uptime of domains" },
    { "domid", xl_cmd_domid, "<DomainName>", "Convert a domain name to a domain id" },
    { "domname", xl_cmd_domname, "<DomainId>", "Convert a domain id to a domain name" },
    { "vcpu-list", xl_cmd_vcpu_list, "[Domain ...]", "List the vCPUs of domains" },
    { "mem-set", xl_cmd_mem_set, "<Domain> <Memory>", "Set a domain's memory target (e.g. 256m)" },
    { "block-attach", xl_cmd_block_attach, "<Domain> <disk-spec-component(s)>...",
      "Create a new virtual block device" },
    { "block-detach", xl_cmd_block_detach, "[-f] <Domain> <DevId>",
      "Destroy a domain's virtual block device" },
    { "block-list", xl_cmd_block_list, "<Domain(s)>", "List virtual block devices for a domain" },
    { "network-attach", xl_cmd_network_attach, "<Domain> [mac=<mac>] [bridge=<bridge>] ...",
      "Create a new virtual network device" },
    { "network-detach", xl_cmd_network_detach, "<Domain> <DevId|mac>",
      "Destroy a domain's virtual network device" },
    { "network-list", xl_cmd_network_list, "<Domain(s)>", "List virtual network interfaces for a domain" },
    { "sched-credit", xl_cmd_sched_credit, "[-d <Domain> [-w <Weight>] [-c <Cap>]]",
      "Get or set credit scheduler parameters" },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

void xl_err(const char *fmt, ...)
{
    va_list ap;

    fputs("xl: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void xl_log(const char *fmt, ...)
{
    va_list ap;

    if ( !xl_verbose )
        return;
    fputs("xl: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int xl_ctx_open(struct xl_ctx *ctx)
{
    ctx->ctrl = ctrl_open();
    if ( !ctx->ctrl )
    {
        xl_err("cannot open /dev/xen/privcmd (%s): is this dom0 on Tonnerre "
               "or Xen?", strerror(errno));
        return -errno;
    }
    ctx->xs = xs_open(0);
    if ( !ctx->xs )
    {
        xl_err("cannot reach xenstored (%s): is it running?", strerror(errno));
        ctrl_close(ctx->ctrl);
        ctx->ctrl = NULL;
        return -errno;
    }
    return 0;
}

void xl_ctx_close(struct xl_ctx *ctx)
{
    if ( ctx->xs )
        xs_close(ctx->xs);
    if ( ctx->ctrl )
        ctrl_close(ctx->ctrl);
    ctx->xs = NULL;
    ctx->ctrl = NULL;
}

static void usage(FILE *out)
{
    size_t i;

    fprintf(out, "Usage: xl [-v] <subcommand> [args]\n\nSubcommands:\n");
    for ( i = 0; i < NR_COMMANDS; i++ )
        fprintf(out, " %-14s %s\n", commands[i].name, commands[i].summary);
}

static const struct xl_command *find_command(const char *name)
{
    size_t i;

    for ( i = 0; i < NR_COMMANDS; i++ )
        if ( !strcmp(commands[i].name, name) )
            return &commands[i];
    return NULL;
}

/* `xl help <cmd>` and `xl <cmd> -h`. */
static int command_help(const struct xl_command *c)
{
    printf("Usage: xl %s %s\n\n%s.\n", c->name, c->usage, c->summary);
    return XL_EXIT_OK;
}

int main(int argc, char **argv)
{
    const struct xl_command *c;
    struct xl_ctx ctx = { 0 };
    int i = 1, rc;

    while ( i < argc && !strcmp(argv[i], "-v") )
    {
        xl_verbose++;
        i++;
    }
    if ( i >= argc || !strcmp(argv[i], "help") || !strcmp(argv[i], "--help") )
    {
        if ( i + 1 < argc && (c = find_command(argv[i + 1])) )
            return command_help(c);
        usage(i >= argc ? stderr : stdout);
        return i >= argc ? XL_EXIT_USAGE : XL_EXIT_OK;
    }
    if ( !(c = find_command(argv[i])) )
    {
        xl_err("unknown subcommand '%s' (see 'xl help')", argv[i]);
        return XL_EXIT_USAGE;
    }
    if ( i + 1 < argc && (!strcmp(argv[i + 1], "-h") || !strcmp(argv[i + 1], "--help")) )
        return command_help(c);
    if ( xl_ctx_open(&ctx) )
        return XL_EXIT_FAIL;
    rc = c->fn(&ctx, argc - i, argv + i);
    if ( rc == XL_EXIT_USAGE )
        fprintf(stderr, "Usage: xl %s %s\n", c->name, c->usage);
    xl_ctx_close(&ctx);
    return rc;
}

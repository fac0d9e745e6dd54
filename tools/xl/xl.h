/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl, Tonnerre's command line for domains: what every subcommand shares.
 * Xen's xl sits on libxl; ours is smaller and sits directly on the
 * control library (hypercalls), the xenstore client and the PVH builder.
 *
 * Exit codes: 0 success, 1 failure (the message on stderr says why),
 * 2 bad usage, as Xen's xl.
 */
#ifndef XL_H
#define XL_H

#include <stdbool.h>
#include <stdint.h>

#include <tonnerre/ctrl.h>
#include <tonnerre/xs.h>

#define XL_EXIT_OK    0
#define XL_EXIT_FAIL  1
#define XL_EXIT_USAGE 2

struct xl_ctx {
    struct ctrl_handle *ctrl;
    struct xs_handle *xs;
};

/* Open the hypervisor and xenstore connections, or say why not. */
int xl_ctx_open(struct xl_ctx *ctx);
void xl_ctx_close(struct xl_ctx *ctx);

/* Messages: "xl: ..." on stderr. */
void xl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* -v on the command line: say what is being done. */
extern int xl_verbose;
void xl_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- xl_dom.c: domains by name, their xenstore entries ---- */
/* A domain given as a name or a number; -ENOENT (with a message) if none. */
int xl_domid_of(struct xl_ctx *ctx, const char *spec, ctrl_domid_t *out);
/* Its name from xenstore (malloc'd), or "(null)"-like fallback if unnamed. */
char *xl_domname_of(struct xl_ctx *ctx, ctrl_domid_t domid);
/* Is a live domain already called `name`? */
bool xl_name_in_use(struct xl_ctx *ctx, const char *name);
/* Read /local/domain/<id>/<rel> (malloc'd) or NULL. */
char *xl_read_dom(struct xl_ctx *ctx, ctrl_domid_t domid, const char *rel);
int xl_write_dom(struct xl_ctx *ctx, ctrl_domid_t domid, const char *rel,
                 const char *value);
/* Destroy it and remove everything the toolstack wrote about it. */
int xl_destroy_domain(struct xl_ctx *ctx, ctrl_domid_t domid);
/* Wait until the domain is gone (true) or timeout_ms passes (false). */
bool xl_wait_gone(struct xl_ctx *ctx, ctrl_domid_t domid, int timeout_ms);
/* Info on every domain (dying ones too), ascending ids; returns how many. */
int xl_all_domains(struct xl_ctx *ctx, struct ctrl_dominfo *info, int max);
/* Info on one domain; -ESRCH if it does not exist. */
int xl_dominfo(struct xl_ctx *ctx, ctrl_domid_t domid, struct ctrl_dominfo *out);
void xl_uuid_format(const uint8_t uuid[16], char out[37]);

/* Subcommands: argc/argv start at the subcommand's name. */
int xl_cmd_create(struct xl_ctx *ctx, int argc, char **argv);
int xl_cmd_list(struct xl_ctx *ctx, int argc, char **argv);
int xl_cmd_info(struct xl_ctx *ctx, int argc, char **argv);
int xl_cmd_dmesg(struct xl_ctx *ctx, int argc, char **argv);
int xl_cmd_uptime(struct xl_ctx *ctx, int argc, char **argv);
int xl_cmd_domid(struct xl_ctx *ctx, int argc, char **argv);
int xl_cmd_domname(struct xl_ctx *ctx, int argc, char **argv);
int xl_cmd_vcpu_list(struct xl_ctx *ctx, int argc, char **argv);
int xl_cmd_shutdown(struct xl_ctx *ctx, int argc, char **argv);
int xl_cmd_reboot(struct xl_ctx *ctx, int argc, char **argv);
int xl_cmd_destroy(struct xl_ctx *ctx, int argc, char **argv);
int xl_cmd_pause(struct xl_ctx *ctx, int argc, char **argv);
int xl_cmd_unpause(struct xl_ctx *ctx, int argc, char **argv);
int xl_cmd_console(struct xl_ctx *ctx, int argc, char **argv);
int xl_cmd_mem_set(struct xl_ctx *ctx, int argc, char **argv);
int xl_cmd_sched_credit(struct xl_ctx *ctx, int argc, char **argv);
/* xl_devcmd.c: PV disks and network interfaces of a running domain. */
int xl_cmd_block_attach(struct xl_ctx *ctx, int argc, char **argv);
int xl_cmd_block_detach(struct xl_ctx *ctx, int argc, char **argv);
int xl_cmd_block_list(struct xl_ctx *ctx, int argc, char **argv);
int xl_cmd_network_attach(struct xl_ctx *ctx, int argc, char **argv);
int xl_cmd_network_detach(struct xl_ctx *ctx, int argc, char **argv);
int xl_cmd_network_list(struct xl_ctx *ctx, int argc, char **argv);

/* xl_console.c (the console client): attach to a pty until Ctrl-]. */
int xl_console_attach(const char *tty_path);
/* Wait for xenconsoled to publish the domain's pty, then attach. */
int xl_console_domain(struct xl_ctx *ctx, ctrl_domid_t domid);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl's PV devices: disks (vbd) and network interfaces (vif) of a domain,
 * served by dom0's Linux blkback and netback.  xl_device.c writes and
 * removes their xenstore trees as libxl does; xl_hotplug.c does what
 * Xen's hotplug scripts do in dom0.
 */
#ifndef XL_DEVICE_H
#define XL_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <tonnerre/xldev.h>
#include <tonnerre/xlcfg.h>

#include "xl.h"

/* ---- xl_hotplug.c ---- */
struct xl_loop {
    char path[32];                  /* /dev/loopN */
    dev_t rdev;
};
/* Bind file to a free loop device (read-only if asked); -errno. */
int xl_loop_attach(const char *file, bool readonly, struct xl_loop *out);
/* Unbind a /dev/loopN (at blkback's last close if it still has it open). */
int xl_loop_detach(const char *path, int timeout_ms);
bool xl_netdev_exists(const char *name);
bool xl_bridge_exists(const char *name);
/* Rename (if vifname), set the MTU (if mtu), join the bridge, bring up. */
int xl_vif_online(const char *netback_name, const char *vifname,
                  const char *bridge, unsigned int mtu, char *err, size_t errlen);

/* ---- xl_device.c ---- */
enum xl_dev_kind { XL_DEV_VBD, XL_DEV_VIF };

/*
 * Check every disk and vif of a config before anything is built: specs
 * parse, vdevs are unique, images exist and may be opened as asked,
 * bridges exist.  Messages name the file and key.
 */
int xl_devices_check(struct xl_ctx *ctx, const struct xl_domain_config *cfg,
                     const char *file);
/* Add every device of the config to a built, still paused domain. */
int xl_devices_add(struct xl_ctx *ctx, ctrl_domid_t domid,
                   const struct xl_domain_config *cfg);
/* One device at run time (block-attach / network-attach); `where` names
 * the source of the spec in messages. */
int xl_disk_add(struct xl_ctx *ctx, ctrl_domid_t domid, const char *spec,
                const char *where, bool wait);
int xl_vif_add(struct xl_ctx *ctx, ctrl_domid_t domid, const char *spec,
               const char *where, bool wait);
/*
 * Remove one device: ask the frontend to close (unless force or the
 * domain is gone), wait for it, then remove the trees and undo the
 * backend setup.
 */
int xl_device_remove(struct xl_ctx *ctx, ctrl_domid_t domid,
                     enum xl_dev_kind kind, unsigned int devid, bool force);
/* Every device of a domain, after its destruction. */
void xl_devices_destroy(struct xl_ctx *ctx, ctrl_domid_t domid);
/* The device ids of a kind the toolstack knows for a domain (malloc'd). */
int xl_device_ids(struct xl_ctx *ctx, ctrl_domid_t domid, enum xl_dev_kind kind,
                  unsigned int **ids, unsigned int *nr);

#endif

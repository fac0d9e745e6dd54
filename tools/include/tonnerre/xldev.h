/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl's device specifications: one `disk = [ ... ]` or `vif = [ ... ]` item
 * (or the same text given to block-attach / network-attach) parsed into a
 * struct, in the syntax of Xen's xl-disk-configuration(5) and
 * xl-network-configuration(5).  Pure string work, no I/O: the device code
 * (xl_device.c) decides what the settings mean for dom0 (a loop device, a
 * bridge) and the xenstore trees.
 *
 * Errors: the parsers return -EINVAL and write one line into err (without
 * the file name or key, which the caller knows and prefixes), naming the
 * offending token, e.g. "unknown vdev 'xvd1'" or "access given twice".
 */
#ifndef TONNERRE_XLDEV_H
#define TONNERRE_XLDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- disks ------------------------------------------------------------ */

enum xl_disk_format {
    XL_DISK_FORMAT_RAW = 0,           /* the default */
    XL_DISK_FORMAT_QCOW,
    XL_DISK_FORMAT_QCOW2,
    XL_DISK_FORMAT_VHD,
    XL_DISK_FORMAT_QED,
    XL_DISK_FORMAT_EMPTY,             /* a cdrom with no medium */
};

enum xl_disk_backendtype {
    XL_DISK_BACKEND_DEFAULT = 0,      /* not given: the toolstack picks (phy) */
    XL_DISK_BACKEND_PHY,
    XL_DISK_BACKEND_TAP,
    XL_DISK_BACKEND_QDISK,
};

/* Where the target came from, for the legacy "<prefix>:<target>" form. */
enum xl_disk_prefix {
    XL_DISK_PREFIX_NONE = 0,          /* plain path, or target= */
    XL_DISK_PREFIX_FILE,              /* file:  (a regular file: a loop device) */
    XL_DISK_PREFIX_PHY,               /* phy:   (a block device of dom0) */
    XL_DISK_PREFIX_TAP,               /* tap:, tap2:, aio:, tap:aio: ... */
};

struct xl_disk_spec {
    char *target;                     /* malloc'd; NULL for an empty cdrom */
    char *vdev;                       /* malloc'd, as written ("xvda") */
    uint32_t devid;                   /* virtual-device number (51712 for xvda) */
    bool readonly;                    /* access=ro/r; default rw */
    bool cdrom;                       /* devtype=cdrom or the `cdrom` flag */
    enum xl_disk_format format;
    enum xl_disk_backendtype backendtype;
    enum xl_disk_prefix prefix;
    char *script;                     /* malloc'd; NULL: the default */
    char *backend;                    /* backend domain name or id; NULL: dom0 */
    int discard;                      /* -1 unset, 0 no-discard, 1 discard */
    int direct_io_safe;               /* -1 unset, 1 given */
    int trusted;                      /* -1 unset, 0 untrusted, 1 trusted */
};

/*
 * One disk spec: positional "[target,]vdev[,access[,devtype]]" (legacy
 * "format:target" and "phy:/dev/x" prefixes included) and/or key=value
 * (target=, vdev=, access=, devtype=, format=, backendtype=, backend=,
 * script=, discard / no-discard, direct-io-safe, trusted / untrusted,
 * cdrom, specification=xen), as Xen accepts them.  A vdev is required;
 * a target is required unless the device is a cdrom.  `target=` takes
 * the rest of the string (commas included), as in Xen.
 * 0, or -EINVAL with a message in err; out is zeroed on failure.
 */
int xl_disk_parse(const char *spec, struct xl_disk_spec *out,
                  char *err, size_t errlen);
void xl_disk_spec_free(struct xl_disk_spec *d);

/*
 * A vdev name to Xen's virtual-device number (docs/misc/vbd-interface):
 * xvd<letters>[<partition>], hd<x>[p], sd<x>[p], d<N>[p<M>], or a plain
 * decimal number.  -EINVAL if it is none of them or out of range.
 */
int xl_vdev_to_devid(const char *vdev, uint32_t *devid);

/* ---- network interfaces ----------------------------------------------- */

struct xl_vif_spec {
    bool has_mac;
    uint8_t mac[6];                   /* valid when has_mac */
    char *bridge;                     /* malloc'd; NULL: default (xenbr0) */
    char *vifname;                    /* malloc'd; NULL: vif<domid>.<devid> */
    char *script;                     /* malloc'd; NULL: default (vif-bridge) */
    char *ip;                         /* malloc'd; NULL */
    char *backend;                    /* backend domain name or id; NULL: dom0 */
    char *model;                      /* malloc'd; NULL (HVM only) */
    char *type;                       /* "vif" or "ioemu"; NULL: default */
    char *rate;                       /* malloc'd, as written; NULL */
    unsigned int mtu;                 /* 0: default (1500) */
    int devid;                        /* -1: next free */
};

/*
 * One vif spec: comma-separated key=value (mac=, bridge=, vifname=,
 * script=, ip=, backend=, model=, type=, rate=, mtu=, devid=; Xen's
 * obsolete keys accepted and ignored: gatewaydev=, accel=, ...).  A MAC is
 * six hex bytes separated by ':' (or '-'); a multicast MAC is refused.
 * An empty string is a vif with every default.
 * 0, or -EINVAL with a message in err; out is zeroed on failure.
 */
int xl_vif_parse(const char *spec, struct xl_vif_spec *out,
                 char *err, size_t errlen);
void xl_vif_spec_free(struct xl_vif_spec *v);

/* A MAC in Xen's OUI 00:16:3e with the last three bytes from `random`. */
void xl_vif_mac_generate(uint8_t mac[6], uint32_t random);
/* "00:16:3e:27:f1:b4" into out (at least 18 bytes). */
void xl_vif_mac_format(const uint8_t mac[6], char *out);

#endif /* TONNERRE_XLDEV_H */

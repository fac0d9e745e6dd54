/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Linux device interfaces a Xen dom0 kernel offers
 * (include/uapi/xen/privcmd.h and evtchn.h): ioctl numbers and argument
 * layouts, x86-64.  Kept here so the library builds without kernel
 * headers; test_linux_abi.c checks them against the installed ones.
 */
#ifndef CTRL_LINUX_XEN_H
#define CTRL_LINUX_XEN_H

#include <stdint.h>
#include <sys/ioctl.h>

#define PRIVCMD_DEVICE "/dev/xen/privcmd"
#define EVTCHN_DEVICE  "/dev/xen/evtchn"

struct tn_privcmd_hypercall {
    uint64_t op;
    uint64_t arg[5];
};

struct tn_privcmd_mmapbatch_v2 {
    unsigned int num;           /* frames */
    uint16_t dom;               /* whose frames */
    uint64_t addr;              /* start of our mapping (from mmap of the fd) */
    const uint64_t *arr;        /* xen_pfn_t[num]: the guest frames */
    int *err;                   /* OUT: per-frame 0 or -errno */
};

#define TN_IOCTL_PRIVCMD_HYPERCALL \
    _IOC(_IOC_NONE, 'P', 0, sizeof(struct tn_privcmd_hypercall))
#define TN_IOCTL_PRIVCMD_MMAPBATCH_V2 \
    _IOC(_IOC_NONE, 'P', 4, sizeof(struct tn_privcmd_mmapbatch_v2))

struct tn_evtchn_bind_virq { unsigned int virq; };
struct tn_evtchn_bind_interdomain { unsigned int remote_domain, remote_port; };
struct tn_evtchn_bind_unbound_port { unsigned int remote_domain; };
struct tn_evtchn_port { unsigned int port; };     /* unbind, notify */

#define TN_IOCTL_EVTCHN_BIND_VIRQ \
    _IOC(_IOC_NONE, 'E', 0, sizeof(struct tn_evtchn_bind_virq))
#define TN_IOCTL_EVTCHN_BIND_INTERDOMAIN \
    _IOC(_IOC_NONE, 'E', 1, sizeof(struct tn_evtchn_bind_interdomain))
#define TN_IOCTL_EVTCHN_BIND_UNBOUND_PORT \
    _IOC(_IOC_NONE, 'E', 2, sizeof(struct tn_evtchn_bind_unbound_port))
#define TN_IOCTL_EVTCHN_UNBIND \
    _IOC(_IOC_NONE, 'E', 3, sizeof(struct tn_evtchn_port))
#define TN_IOCTL_EVTCHN_NOTIFY \
    _IOC(_IOC_NONE, 'E', 4, sizeof(struct tn_evtchn_port))

#endif /* CTRL_LINUX_XEN_H */

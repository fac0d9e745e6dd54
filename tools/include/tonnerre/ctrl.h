/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libtonnerrectrl: the dom0 control library.  It turns the toolstack's
 * requests into Xen hypercalls (domctl, sysctl, memory_op, hvm_op,
 * event_channel_op, sched_op) issued through Linux's /dev/xen/privcmd,
 * maps other domains' memory, and wraps /dev/xen/evtchn.
 *
 * All functions return 0 (or a count) on success and a negative errno
 * value on failure unless noted; none of them prints.
 *
 * On Tonnerre, XEN_DOMCTL_setvcpucontext takes a struct vcpu_hvm_context
 * (public/vcpu.h) for PVH/HVM domains, the state VCPUOP_initialise takes
 * for an HVM vCPU in Xen, rather than Xen's PV vcpu_guest_context;
 * ctrl_vcpu_start_pvh() builds one for the PVH boot ABI.
 */
#ifndef TONNERRE_CTRL_H
#define TONNERRE_CTRL_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

typedef uint16_t ctrl_domid_t;
struct ctrl_handle;                                   /* opaque: owns /dev/xen/privcmd */
struct ctrl_handle *ctrl_open(void);                  /* NULL + errno on failure */
void ctrl_close(struct ctrl_handle *h);

/* Raw hypercall through IOCTL_PRIVCMD_HYPERCALL (buffers must be in locked/normal memory we own). */
long ctrl_hypercall(struct ctrl_handle *h, unsigned int op,
                    uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);

/* Map n frames (guest frame numbers) of domain domid into our address space with
 * IOCTL_PRIVCMD_MMAPBATCH_V2; errs[i] gets each frame's error (may be NULL).  NULL + errno on failure. */
void *ctrl_map_foreign(struct ctrl_handle *h, ctrl_domid_t domid, int prot,
                       const uint64_t *gfns, int *errs, unsigned int n);
int ctrl_unmap_foreign(void *addr, unsigned int n);

struct ctrl_dominfo {
    ctrl_domid_t domid;
    bool dying, crashed, shutdown, paused, blocked, running;
    unsigned int shutdown_reason;      /* SHUTDOWN_* when shutdown */
    uint64_t tot_pages, max_pages;     /* in 4 KiB pages */
    unsigned int nr_online_vcpus, max_vcpu_id;
    uint64_t cpu_time_ns;
    uint8_t handle[16];                /* the domain's UUID */
};
struct ctrl_physinfo {
    unsigned int nr_cpus, threads_per_core, cores_per_socket, nr_nodes;
    uint64_t total_pages, free_pages;
    unsigned int cpu_khz;
    uint32_t hw_cap[8];
    unsigned int max_cpu_id;
};
struct ctrl_create_args {
    uint8_t handle[16];                /* UUID */
    unsigned int max_vcpus;
    unsigned int max_evtchn_port;      /* 0: default */
    unsigned int max_grant_frames;     /* 0: default */
    unsigned int max_maptrack_frames;  /* 0: default */
};

/* Creates a PVH domain (CDF_hvm|CDF_hap, LAPIC emulated only); the hypervisor picks the id. */
int ctrl_domain_create(struct ctrl_handle *h, const struct ctrl_create_args *a, ctrl_domid_t *domid_out);
int ctrl_domain_destroy(struct ctrl_handle *h, ctrl_domid_t domid);
int ctrl_domain_pause(struct ctrl_handle *h, ctrl_domid_t domid);
int ctrl_domain_unpause(struct ctrl_handle *h, ctrl_domid_t domid);
int ctrl_domain_shutdown(struct ctrl_handle *h, ctrl_domid_t domid, unsigned int reason); /* SCHEDOP_remote_shutdown */
/* Info on up to max domains with domid >= first, ascending; returns how many were filled. */
int ctrl_domain_getinfo(struct ctrl_handle *h, ctrl_domid_t first, unsigned int max, struct ctrl_dominfo *out);
int ctrl_domain_max_mem(struct ctrl_handle *h, ctrl_domid_t domid, uint64_t max_kib);
int ctrl_domain_max_vcpus(struct ctrl_handle *h, ctrl_domid_t domid, unsigned int max);
int ctrl_domain_set_target_mem(struct ctrl_handle *h, ctrl_domid_t domid, uint64_t kib); /* via xenstore by caller; this one only sets max */
/* Populates every frame in gfns (order 0); 0 when all n were, -ENOMEM when only some were. */
int ctrl_populate_physmap(struct ctrl_handle *h, ctrl_domid_t domid, const uint64_t *gfns, unsigned int n);
int ctrl_hvm_param_set(struct ctrl_handle *h, ctrl_domid_t domid, unsigned int param, uint64_t value);
int ctrl_hvm_param_get(struct ctrl_handle *h, ctrl_domid_t domid, unsigned int param, uint64_t *value);
int ctrl_evtchn_alloc_unbound(struct ctrl_handle *h, ctrl_domid_t domid, ctrl_domid_t remote, uint32_t *port);
int ctrl_physinfo(struct ctrl_handle *h, struct ctrl_physinfo *out);
/*
 * Read the hypervisor's console ring (SYSCTL_readconsole), *len in/out.
 * index NULL: from the oldest byte held; else incrementally from *index,
 * which is advanced (start at 0; a read of 0 bytes means caught up).  With
 * clear, what the read reached is discarded.
 */
int ctrl_readconsole(struct ctrl_handle *h, char *buf, size_t *len, bool clear,
                     uint32_t *index);
int ctrl_sched_credit_get(struct ctrl_handle *h, ctrl_domid_t domid, unsigned int *weight, unsigned int *cap);
int ctrl_sched_credit_set(struct ctrl_handle *h, ctrl_domid_t domid, unsigned int weight, unsigned int cap);
/* Start vCPU 0 of a PVH domain at its 32-bit entry with %ebx = start_info gpa (the PVH boot ABI). */
int ctrl_vcpu_start_pvh(struct ctrl_handle *h, ctrl_domid_t domid, uint32_t entry, uint32_t start_info_gpa);
/* vCPU info for vcpu-list. */
struct ctrl_vcpuinfo { bool online, blocked, running; uint64_t cpu_time_ns; unsigned int cpu; };
int ctrl_vcpu_getinfo(struct ctrl_handle *h, ctrl_domid_t domid, unsigned int vcpu, struct ctrl_vcpuinfo *out);

/* /dev/xen/evtchn */
struct evtchn_handle;
struct evtchn_handle *evtchn_open(void);
void evtchn_close(struct evtchn_handle *e);
int evtchn_fd(struct evtchn_handle *e);                         /* for poll() */
int evtchn_bind_interdomain(struct evtchn_handle *e, ctrl_domid_t domid, uint32_t remote_port); /* returns local port >= 0 */
int evtchn_bind_virq(struct evtchn_handle *e, unsigned int virq);                             /* local port */
int evtchn_bind_unbound(struct evtchn_handle *e, ctrl_domid_t remote);                         /* local port */
int evtchn_notify(struct evtchn_handle *e, uint32_t port);
int evtchn_pending(struct evtchn_handle *e);                    /* next fired port, -EAGAIN if none (fd non-blocking) */
int evtchn_unmask(struct evtchn_handle *e, uint32_t port);
int evtchn_unbind(struct evtchn_handle *e, uint32_t port);

#endif /* TONNERRE_CTRL_H */

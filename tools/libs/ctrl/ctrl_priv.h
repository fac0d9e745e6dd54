/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside libtonnerrectrl: the handle, the backend it issues hypercalls
 * through, hypercall buffers, and the pure helpers the unit tests reach.
 *
 * Every hypercall goes through h->ops, so a test (or another library's
 * test, e.g. the domain builder's) can open a handle on a fake backend with
 * ctrl_open_with_ops() and see exactly what the library would have asked
 * the hypervisor, without /dev/xen/privcmd.
 */
#ifndef CTRL_PRIV_H
#define CTRL_PRIV_H

#include <tonnerre/ctrl.h>
#include <public/domctl.h>
#include <public/sysctl.h>

#define CTRL_PAGE_SIZE 4096u

struct ctrl_ops {
    /*
     * Issue hypercall op with these arguments (pointers already turned
     * into addresses).  Returns the hypervisor's result: >= 0, or -errno.
     */
    long (*hypercall)(void *opaque, unsigned int op, const uint64_t args[5]);
    /* As ctrl_map_foreign(); the mapping must be undone by munmap(). */
    void *(*map_foreign)(void *opaque, ctrl_domid_t domid, int prot,
                         const uint64_t *gfns, int *errs, unsigned int n);
};

struct ctrl_handle {
    const struct ctrl_ops *ops;
    void *opaque;
    int privcmd_fd;                 /* -1 for a handle on a fake backend */
};

/* A handle that issues its hypercalls through ops (tests). */
struct ctrl_handle *ctrl_open_with_ops(const struct ctrl_ops *ops, void *opaque);

/*
 * Hypercall buffers.  The hypervisor reads and writes them by walking our
 * page tables at the moment of the call, so they must be present and
 * stay put: page-aligned anonymous memory, faulted in, locked against
 * paging, and not shared copy-on-write with a forked child.
 * ctrl_hbuf_alloc() returns zeroed memory or NULL with errno set.
 */
void *ctrl_hbuf_alloc(size_t size);
void ctrl_hbuf_free(void *buf, size_t size);

/* Bounce d through a hypercall buffer, stamping the interface version. */
int ctrl_do_domctl(struct ctrl_handle *h, struct xen_domctl *d);
int ctrl_do_sysctl(struct ctrl_handle *h, struct xen_sysctl *s);
/* A hypercall whose single argument is a struct of len bytes, copied in and back out. */
int ctrl_do_struct_op(struct ctrl_handle *h, unsigned int op, unsigned int cmd,
                      void *arg, size_t len);

/* An evtchn handle on an already open fd (tests: a socket standing in for the device). */
struct evtchn_handle *evtchn_open_fd(int fd);

/* Pure helpers (unit-tested). */
void ctrl_dominfo_decode(const struct xen_domctl_getdomaininfo *in, struct ctrl_dominfo *out);
void ctrl_physinfo_decode(const struct xen_sysctl_physinfo *in, struct ctrl_physinfo *out);
void ctrl_pvh_vcpu_context(struct vcpu_hvm_context *c, uint32_t entry, uint32_t start_info_gpa);
int ctrl_create_config(const struct ctrl_create_args *a, struct xen_domctl_createdomain *c);

/* Defaults Xen's toolstack uses when the config leaves a limit unset. */
#define CTRL_DEFAULT_MAX_EVTCHN_PORT 1023   /* xl.cfg event_channels */
#define CTRL_MAX_DOMID 0x7fef               /* below DOMID_FIRST_RESERVED */

#endif /* CTRL_PRIV_H */

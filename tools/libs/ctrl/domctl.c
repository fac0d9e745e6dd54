/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Domain lifecycle and per-domain settings: XEN_DOMCTL_* wrappers, plus
 * the remote shutdown (a sched_op) that belongs with them.
 */
#include <errno.h>
#include <string.h>

#include <public/sched.h>
#include <public/xen.h>

#include "ctrl_priv.h"

/* Xen's limit on vCPUs of an HVM/PVH domain (HVM_MAX_VCPUS). */
#define CTRL_MAX_VCPUS 128

int ctrl_do_domctl(struct ctrl_handle *h, struct xen_domctl *d)
{
    struct xen_domctl *buf;
    uint64_t args[5] = { 0 };
    long rc;

    if ( !h )
        return -EINVAL;
    d->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    buf = ctrl_hbuf_alloc(sizeof(*buf));
    if ( !buf )
        return -errno;
    memcpy(buf, d, sizeof(*buf));
    args[0] = (uintptr_t)buf;
    rc = h->ops->hypercall(h->opaque, __HYPERVISOR_domctl, args);
    memcpy(d, buf, sizeof(*d));
    ctrl_hbuf_free(buf, sizeof(*buf));
    return rc < 0 ? (int)rc : 0;
}

/* The ids a toolstack may name: not DOMID_SELF or the other reserved ones. */
static bool domid_is_real(ctrl_domid_t domid)
{
    return domid <= CTRL_MAX_DOMID;
}

static int simple_domctl(struct ctrl_handle *h, unsigned int cmd, ctrl_domid_t domid)
{
    struct xen_domctl d = { .cmd = cmd, .domain = domid };

    if ( !domid_is_real(domid) )
        return -EINVAL;
    return ctrl_do_domctl(h, &d);
}

/* A limit of 0 means "the hypervisor's default", which createdomain spells -1. */
static int32_t frames_or_default(unsigned int frames)
{
    return frames ? (int32_t)frames : -1;
}

int ctrl_create_config(const struct ctrl_create_args *a, struct xen_domctl_createdomain *c)
{
    if ( !a || a->max_vcpus == 0 || a->max_vcpus > CTRL_MAX_VCPUS ||
         a->max_grant_frames > INT32_MAX || a->max_maptrack_frames > INT32_MAX )
        return -EINVAL;

    memset(c, 0, sizeof(*c));
    memcpy(c->handle, a->handle, sizeof(c->handle));
    /* Tonnerre runs PVH guests only: HVM container, nested paging, no devices model. */
    c->flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
    c->max_vcpus = a->max_vcpus;
    c->max_evtchn_port = a->max_evtchn_port ? a->max_evtchn_port
                                            : CTRL_DEFAULT_MAX_EVTCHN_PORT;
    c->max_grant_frames = frames_or_default(a->max_grant_frames);
    c->max_maptrack_frames = frames_or_default(a->max_maptrack_frames);
    c->grant_opts = XEN_DOMCTL_GRANT_version(1);     /* v1 is all we offer */
    /* What Xen's toolstack asks for a PVH guest: a local APIC and nothing else emulated. */
    c->arch.emulation_flags = XEN_X86_EMU_LAPIC;
    return 0;
}

int ctrl_domain_create(struct ctrl_handle *h, const struct ctrl_create_args *a,
                       ctrl_domid_t *domid_out)
{
    /* domain 0 asks the hypervisor to choose the id. */
    struct xen_domctl d = { .cmd = XEN_DOMCTL_createdomain, .domain = 0 };
    int rc;

    if ( !domid_out )
        return -EINVAL;
    rc = ctrl_create_config(a, &d.u.createdomain);
    if ( rc )
        return rc;
    rc = ctrl_do_domctl(h, &d);
    if ( rc )
        return rc;
    /* Never hand the caller an id it could not use in the next call. */
    if ( d.domain == 0 || !domid_is_real(d.domain) )
        return -EIO;
    *domid_out = d.domain;
    return 0;
}

int ctrl_domain_destroy(struct ctrl_handle *h, ctrl_domid_t domid)
{
    return simple_domctl(h, XEN_DOMCTL_destroydomain, domid);
}

int ctrl_domain_pause(struct ctrl_handle *h, ctrl_domid_t domid)
{
    return simple_domctl(h, XEN_DOMCTL_pausedomain, domid);
}

int ctrl_domain_unpause(struct ctrl_handle *h, ctrl_domid_t domid)
{
    return simple_domctl(h, XEN_DOMCTL_unpausedomain, domid);
}

int ctrl_domain_shutdown(struct ctrl_handle *h, ctrl_domid_t domid, unsigned int reason)
{
    struct sched_remote_shutdown arg = { .domain_id = domid, .reason = reason };

    if ( !h || !domid_is_real(domid) || reason > SHUTDOWN_soft_reset )
        return -EINVAL;
    return ctrl_do_struct_op(h, __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown,
                             &arg, sizeof(arg));
}

int ctrl_domain_max_mem(struct ctrl_handle *h, ctrl_domid_t domid, uint64_t max_kib)
{
    struct xen_domctl d = { .cmd = XEN_DOMCTL_max_mem, .domain = domid };

    if ( !domid_is_real(domid) )
        return -EINVAL;
    d.u.max_mem.max_memkb = max_kib;
    return ctrl_do_domctl(h, &d);
}

int ctrl_domain_set_target_mem(struct ctrl_handle *h, ctrl_domid_t domid, uint64_t kib)
{
    /* The balloon target itself lives in xenstore (memory/target), written by the caller. */
    return ctrl_domain_max_mem(h, domid, kib);
}

int ctrl_domain_max_vcpus(struct ctrl_handle *h, ctrl_domid_t domid, unsigned int max)
{
    struct xen_domctl d = { .cmd = XEN_DOMCTL_max_vcpus, .domain = domid };

    if ( !domid_is_real(domid) || max == 0 || max > CTRL_MAX_VCPUS )
        return -EINVAL;
    d.u.max_vcpus.max = max;
    return ctrl_do_domctl(h, &d);
}

void ctrl_dominfo_decode(const struct xen_domctl_getdomaininfo *in, struct ctrl_dominfo *out)
{
    uint32_t f = in->flags;

    memset(out, 0, sizeof(*out));
    out->domid = in->domain;
    out->dying = f & XEN_DOMINF_dying;
    out->shutdown = f & XEN_DOMINF_shutdown;
    out->paused = f & XEN_DOMINF_paused;
    out->blocked = f & XEN_DOMINF_blocked;
    out->running = f & XEN_DOMINF_running;
    out->shutdown_reason = (f >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;
    /* As Xen's libxc: a crash is reported as crashed, not as a shutdown (xl list's 'c'). */
    if ( out->shutdown && out->shutdown_reason == SHUTDOWN_crash )
    {
        out->shutdown = false;
        out->crashed = true;
    }
    out->tot_pages = in->tot_pages;
    out->max_pages = in->max_pages;
    out->nr_online_vcpus = in->nr_online_vcpus;
    out->max_vcpu_id = in->max_vcpu_id;
    out->cpu_time_ns = in->cpu_time;
    memcpy(out->handle, in->handle, sizeof(out->handle));
}

int ctrl_sched_credit_get(struct ctrl_handle *h, ctrl_domid_t domid,
                          unsigned int *weight, unsigned int *cap)
{
    struct xen_domctl d = { .cmd = XEN_DOMCTL_scheduler_op, .domain = domid };
    int rc;

    if ( !domid_is_real(domid) || !weight || !cap )
        return -EINVAL;
    d.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT;
    d.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
    rc = ctrl_do_domctl(h, &d);
    if ( rc )
        return rc;
    *weight = d.u.scheduler_op.u.credit.weight;
    *cap = d.u.scheduler_op.u.credit.cap;
    return 0;
}

int ctrl_sched_credit_set(struct ctrl_handle *h, ctrl_domid_t domid,
                          unsigned int weight, unsigned int cap)
{
    struct xen_domctl d = { .cmd = XEN_DOMCTL_scheduler_op, .domain = domid };

    /* Both travel as uint16_t; weight 0 would mean "unchanged" to credit. */
    if ( !domid_is_real(domid) || weight == 0 || weight > UINT16_MAX || cap > UINT16_MAX )
        return -EINVAL;
    d.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT;
    d.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_putinfo;
    d.u.scheduler_op.u.credit.weight = (uint16_t)weight;
    d.u.scheduler_op.u.credit.cap = (uint16_t)cap;
    return ctrl_do_domctl(h, &d);
}

int ctrl_vcpu_getinfo(struct ctrl_handle *h, ctrl_domid_t domid, unsigned int vcpu,
                      struct ctrl_vcpuinfo *out)
{
    struct xen_domctl d = { .cmd = XEN_DOMCTL_getvcpuinfo, .domain = domid };
    int rc;

    if ( !domid_is_real(domid) || !out || vcpu >= CTRL_MAX_VCPUS )
        return -EINVAL;
    d.u.getvcpuinfo.vcpu = vcpu;
    rc = ctrl_do_domctl(h, &d);
    if ( rc )
        return rc;
    out->online = d.u.getvcpuinfo.online;
    out->blocked = d.u.getvcpuinfo.blocked;
    out->running = d.u.getvcpuinfo.running;
    out->cpu_time_ns = d.u.getvcpuinfo.cpu_time;
    out->cpu = d.u.getvcpuinfo.cpu;
    return 0;
}

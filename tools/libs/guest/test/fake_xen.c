/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fake hypervisor behind the builder's tests (see fake_xen.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <public/memory.h>
#include <public/xen.h>

#include "ctrl_priv.h"
#include "fake_xen.h"
#include "guest_priv.h"

/* Frame number -> page index in the memfd, or -1 for an address with nothing behind it. */
static int64_t slot_of(const struct fake_xen *fx, uint64_t gfn)
{
    if ( gfn < fx->low_pages )
        return (int64_t)gfn;
    if ( gfn >= PVH_SPECIAL_PFN(0) && gfn < PVH_SPECIAL_END_PFN )
        return (int64_t)(fx->low_pages + gfn - PVH_SPECIAL_PFN(0));
    return -1;
}

static long fake_populate(struct fake_xen *fx, const struct xen_memory_reservation *r)
{
    const uint64_t *gfns = (const uint64_t *)(uintptr_t)r->extent_start;
    long done = 0;

    if ( r->domid != fx->domid || r->extent_order != 0 )
        return -EINVAL;
    /* Like Xen: stop at the first frame that cannot be had, report how many were. */
    for ( ; done < (long)r->nr_extents; done++ )
    {
        int64_t slot = slot_of(fx, gfns[done]);

        if ( slot < 0 || fx->populated[slot] || fx->nr_populated >= fx->populate_limit )
            break;
        fx->populated[slot] = true;
        fx->nr_populated++;
    }
    return done;
}

static long fake_domctl(struct fake_xen *fx, struct xen_domctl *d)
{
    if ( d->interface_version != XEN_DOMCTL_INTERFACE_VERSION || d->domain != fx->domid )
        return -EINVAL;
    if ( d->cmd != XEN_DOMCTL_setvcpucontext || d->u.vcpucontext.vcpu != 0 )
        return -ENOSYS;
    fx->vcpu = *(const struct vcpu_hvm_context *)(uintptr_t)d->u.vcpucontext.ctxt.q;
    fx->vcpu_started = true;
    return 0;
}

static long fake_hypercall(void *opaque, unsigned int op, const uint64_t args[5])
{
    struct fake_xen *fx = opaque;
    void *arg = (void *)(uintptr_t)args[1];

    switch ( op )
    {
    case __HYPERVISOR_memory_op:
        return args[0] == XENMEM_populate_physmap ? fake_populate(fx, arg) : -ENOSYS;
    case __HYPERVISOR_hvm_op:
    {
        struct xen_hvm_param *p = arg;

        if ( args[0] != HVMOP_set_param || p->domid != fx->domid || p->index >= HVM_NR_PARAMS )
            return -EINVAL;
        fx->params[p->index] = p->value;
        fx->param_set[p->index] = true;
        return 0;
    }
    case __HYPERVISOR_domctl:
        return fake_domctl(fx, (void *)(uintptr_t)args[0]);
    default:
        return -ENOSYS;
    }
}

static void *fake_map(void *opaque, ctrl_domid_t domid, int prot, const uint64_t *gfns,
                      int *errs, unsigned int n)
{
    struct fake_xen *fx = opaque;
    size_t len = (size_t)n * GUEST_PAGE_SIZE;
    uint8_t *base = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int bad = 0;

    if ( base == MAP_FAILED )
        return NULL;
    for ( unsigned int i = 0; i < n; i++ )
    {
        int64_t slot = domid == fx->domid ? slot_of(fx, gfns[i]) : -1;
        int e = 0;

        /* Only populated frames can be mapped, as with the real thing. */
        if ( slot < 0 || !fx->populated[slot] )
            e = -EFAULT;
        else if ( mmap(base + (size_t)i * GUEST_PAGE_SIZE, GUEST_PAGE_SIZE, prot,
                       MAP_SHARED | MAP_FIXED, fx->memfd,
                       (off_t)slot * GUEST_PAGE_SIZE) == MAP_FAILED )
            e = -errno;
        if ( errs )
            errs[i] = e;
        if ( e && !bad )
            bad = e;
    }
    if ( bad && !errs )
    {
        munmap(base, len);
        errno = -bad;
        return NULL;
    }
    return base;
}

static const struct ctrl_ops fake_ops = { .hypercall = fake_hypercall, .map_foreign = fake_map };

int fake_xen_init(struct fake_xen *fx, ctrl_domid_t domid, uint64_t low_pages)
{
    size_t bytes = (size_t)(low_pages + PVH_NR_SPECIAL_PAGES) * GUEST_PAGE_SIZE;

    memset(fx, 0, sizeof(*fx));
    fx->domid = domid;
    fx->low_pages = low_pages;
    fx->populate_limit = UINT64_MAX;
    fx->memfd = memfd_create("fake-guest", MFD_CLOEXEC);
    if ( fx->memfd < 0 || ftruncate(fx->memfd, (off_t)bytes) )
        return -1;
    fx->mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fx->memfd, 0);
    fx->populated = calloc(low_pages + PVH_NR_SPECIAL_PAGES, sizeof(bool));
    fx->h = ctrl_open_with_ops(&fake_ops, fx);
    if ( fx->mem == MAP_FAILED || !fx->populated || !fx->h )
        return -1;
    /* Frames arrive dirty: the builder must clear what it relies on being zero. */
    memset(fx->mem, 0xcc, bytes);
    return 0;
}

void fake_xen_fini(struct fake_xen *fx)
{
    munmap(fx->mem, (size_t)(fx->low_pages + PVH_NR_SPECIAL_PAGES) * GUEST_PAGE_SIZE);
    close(fx->memfd);
    free(fx->populated);
    ctrl_close(fx->h);
}

uint8_t *fake_xen_phys(struct fake_xen *fx, uint64_t paddr, uint64_t len)
{
    uint64_t first = paddr / GUEST_PAGE_SIZE, last = (paddr + len - 1) / GUEST_PAGE_SIZE;
    int64_t s0 = slot_of(fx, first), s1 = slot_of(fx, last);

    if ( s0 < 0 || s1 < 0 || s1 - s0 != (int64_t)(last - first) )
        return NULL;
    return fx->mem + (size_t)s0 * GUEST_PAGE_SIZE + paddr % GUEST_PAGE_SIZE;
}

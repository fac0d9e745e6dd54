/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest memory and HVM parameters on behalf of another domain:
 * XENMEM_populate_physmap, HVMOP_set_param / get_param.
 */
#include <errno.h>
#include <string.h>

#include <public/hvm_params.h>
#include <public/memory.h>
#include <public/xen.h>

#include "ctrl_priv.h"

/* Frames per populate_physmap call: one page of gfns bounds the buffer. */
#define CTRL_POPULATE_BATCH (CTRL_PAGE_SIZE / sizeof(uint64_t))

static int populate_batch(struct ctrl_handle *h, ctrl_domid_t domid, uint64_t *gfn_buf,
                          const uint64_t *gfns, unsigned int n)
{
    struct xen_memory_reservation r = {
        .extent_start = (uintptr_t)gfn_buf,
        .nr_extents = n,
        .extent_order = 0,
        .domid = domid,
    };
    int rc;

    memcpy(gfn_buf, gfns, n * sizeof(*gfns));
    rc = ctrl_do_struct_op(h, __HYPERVISOR_memory_op, XENMEM_populate_physmap,
                           &r, sizeof(r));
    if ( rc < 0 )
        return rc;
    /* It returns how many extents it populated; fewer means it ran out of memory. */
    return (unsigned int)rc == n ? 0 : -ENOMEM;
}

int ctrl_populate_physmap(struct ctrl_handle *h, ctrl_domid_t domid,
                          const uint64_t *gfns, unsigned int n)
{
    uint64_t *gfn_buf;
    int rc = 0;

    if ( !h || !gfns || domid > CTRL_MAX_DOMID )
        return -EINVAL;
    if ( n == 0 )
        return 0;
    gfn_buf = ctrl_hbuf_alloc(CTRL_PAGE_SIZE);
    if ( !gfn_buf )
        return -errno;
    for ( unsigned int done = 0; done < n && rc == 0; )
    {
        unsigned int chunk = n - done;

        if ( chunk > CTRL_POPULATE_BATCH )
            chunk = CTRL_POPULATE_BATCH;
        rc = populate_batch(h, domid, gfn_buf, gfns + done, chunk);
        done += chunk;
    }
    ctrl_hbuf_free(gfn_buf, CTRL_PAGE_SIZE);
    return rc;
}

static int hvm_param_op(struct ctrl_handle *h, unsigned int op, struct xen_hvm_param *p)
{
    if ( !h || p->index >= HVM_NR_PARAMS )
        return -EINVAL;
    return ctrl_do_struct_op(h, __HYPERVISOR_hvm_op, op, p, sizeof(*p));
}

int ctrl_hvm_param_set(struct ctrl_handle *h, ctrl_domid_t domid, unsigned int param,
                       uint64_t value)
{
    struct xen_hvm_param p = { .domid = domid, .index = param, .value = value };
    int rc = hvm_param_op(h, HVMOP_set_param, &p);

    return rc < 0 ? rc : 0;
}

int ctrl_hvm_param_get(struct ctrl_handle *h, ctrl_domid_t domid, unsigned int param,
                       uint64_t *value)
{
    struct xen_hvm_param p = { .domid = domid, .index = param };
    int rc;

    if ( !value )
        return -EINVAL;
    rc = hvm_param_op(h, HVMOP_get_param, &p);
    if ( rc == 0 )
        *value = p.value;
    return rc < 0 ? rc : 0;
}

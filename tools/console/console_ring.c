/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ring copying for the PV console, free of any device code so that it is
 * tested on its own.  Ordering follows the usual shared-ring protocol: read
 * the producer, then (acquire) the data it covers; write the data, then
 * (release) the producer.  The consumer index is published with release
 * semantics too, so the guest never sees space that we are still reading.
 */
#include <errno.h>

#include "console_ring.h"

static XENCONS_RING_IDX load_idx(XENCONS_RING_IDX *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store_idx(XENCONS_RING_IDX *p, XENCONS_RING_IDX v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

int cons_ring_read_out(struct xencons_interface *intf, char *buf, size_t max)
{
    XENCONS_RING_IDX cons = load_idx(&intf->out_cons);
    XENCONS_RING_IDX prod = load_idx(&intf->out_prod);
    XENCONS_RING_IDX fill = prod - cons;          /* wraps correctly */
    size_t n = 0;

    if ( fill > XENCONS_OUT_SIZE )
        return -EIO;
    if ( max > fill )
        max = fill;
    if ( max > INT32_MAX )
        max = INT32_MAX;
    /* Masking keeps every access inside out[] whatever the guest wrote. */
    for ( ; n < max; n++ )
        buf[n] = intf->out[(cons + n) & (XENCONS_OUT_SIZE - 1)];
    store_idx(&intf->out_cons, cons + (XENCONS_RING_IDX)n);
    return (int)n;
}

int cons_ring_in_space(struct xencons_interface *intf)
{
    XENCONS_RING_IDX cons = load_idx(&intf->in_cons);
    XENCONS_RING_IDX prod = load_idx(&intf->in_prod);
    XENCONS_RING_IDX fill = prod - cons;

    if ( fill > XENCONS_IN_SIZE )
        return -EIO;
    return (int)(XENCONS_IN_SIZE - fill);
}

int cons_ring_write_in(struct xencons_interface *intf, const char *buf, size_t len)
{
    XENCONS_RING_IDX cons = load_idx(&intf->in_cons);
    XENCONS_RING_IDX prod = load_idx(&intf->in_prod);
    XENCONS_RING_IDX fill = prod - cons;
    size_t n = 0, space;

    if ( fill > XENCONS_IN_SIZE )
        return -EIO;
    space = XENCONS_IN_SIZE - fill;
    if ( len > space )
        len = space;
    for ( ; n < len; n++ )
        intf->in[(prod + n) & (XENCONS_IN_SIZE - 1)] = buf[n];
    store_idx(&intf->in_prod, prod + (XENCONS_RING_IDX)n);
    return (int)n;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A PV console's shared page and the copying in and out of it.
 *
 * Layout (Xen's public io/console.h, reproduced as facts): the guest
 * produces into out[] and we consume; we produce into in[] and the guest
 * consumes.  Indices are free-running 32-bit counters, masked by the ring
 * size (a power of two) to index; producer minus consumer is the fill.
 *
 * The page is the guest's and so are the indices: a guest may write any
 * value at any moment.  Each index is read once per call, and a fill larger
 * than the ring means a broken or hostile guest: the call returns -EIO and
 * the console is to be abandoned, never "repaired" by guessing.
 */
#ifndef CONSOLE_RING_H
#define CONSOLE_RING_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t XENCONS_RING_IDX;

struct xencons_interface {
    char in[1024];
    char out[2048];
    XENCONS_RING_IDX in_cons, in_prod;
    XENCONS_RING_IDX out_cons, out_prod;
};

#define XENCONS_IN_SIZE  sizeof(((struct xencons_interface *)0)->in)
#define XENCONS_OUT_SIZE sizeof(((struct xencons_interface *)0)->out)

/*
 * Move up to max bytes of guest output (out[]) into buf and advance
 * out_cons.  Returns the count (0: empty), or -EIO if the indices are
 * impossible.
 */
int cons_ring_read_out(struct xencons_interface *intf, char *buf, size_t max);

/*
 * Put up to len bytes into the guest's input ring (in[]) and advance
 * in_prod.  Returns how many fit (0: full), or -EIO as above.
 */
int cons_ring_write_in(struct xencons_interface *intf, const char *buf, size_t len);

/* Free space in in[], or -EIO: how much pty input we may take now. */
int cons_ring_in_space(struct xencons_interface *intf);

#endif /* CONSOLE_RING_H */

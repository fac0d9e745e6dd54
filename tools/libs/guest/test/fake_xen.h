/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake hypervisor for the builder's tests: one domain whose memory is a
 * memfd, so frames the builder maps through ctrl_map_foreign() are the
 * very bytes the test inspects afterwards.  It implements what the builder
 * calls: XENMEM_populate_physmap, HVMOP_set_param, setvcpucontext.
 */
#ifndef GUEST_TEST_FAKE_XEN_H
#define GUEST_TEST_FAKE_XEN_H

#include <stdbool.h>
#include <stdint.h>

#include <public/domctl.h>
#include <public/hvm_params.h>
#include <tonnerre/ctrl.h>

struct fake_xen {
    ctrl_domid_t domid;
    uint64_t low_pages;                 /* frames [0, low_pages) can be populated */
    int memfd;                          /* low_pages + 8 special frames */
    uint8_t *mem;                       /* the whole memfd, for inspection */
    bool *populated;
    uint64_t nr_populated;
    uint64_t populate_limit;            /* refuse frames beyond this many */
    uint64_t params[HVM_NR_PARAMS];
    bool param_set[HVM_NR_PARAMS];
    bool vcpu_started;
    struct vcpu_hvm_context vcpu;
    struct ctrl_handle *h;
};

int fake_xen_init(struct fake_xen *fx, ctrl_domid_t domid, uint64_t low_pages);
void fake_xen_fini(struct fake_xen *fx);
/* The bytes of guest-physical [paddr, paddr + len), or NULL if not backed. */
uint8_t *fake_xen_phys(struct fake_xen *fx, uint64_t paddr, uint64_t len);

#endif /* GUEST_TEST_FAKE_XEN_H */

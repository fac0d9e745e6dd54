/* SPDX-License-Identifier: GPL-2.0 */
/*
 * __HYPERVISOR_hvm_op(HVMOP_set_param / HVMOP_get_param, struct
 * xen_hvm_param): per-domain parameters through which the toolstack tells a
 * guest where its xenstore and console rings are, and a guest chooses how
 * event upcalls reach it.  Numbers as Xen's public/hvm/params.h, hvm_op.h.
 */
#ifndef PUBLIC_HVM_PARAMS_H
#define PUBLIC_HVM_PARAMS_H

#include <stdint.h>

#define HVMOP_set_param 0
#define HVMOP_get_param 1

struct xen_hvm_param {
    uint16_t domid;     /* IN: DOMID_SELF or a domain (control domain) */
    uint16_t pad;
    uint32_t index;     /* IN: HVM_PARAM_* */
    uint64_t value;     /* IN for set, OUT for get */
};

#define HVM_PARAM_CALLBACK_IRQ   0   /* how event upcalls are delivered */
#define HVM_PARAM_STORE_PFN      1   /* xenstore ring frame */
#define HVM_PARAM_STORE_EVTCHN   2   /* xenstore event channel */
#define HVM_PARAM_PAE_ENABLED    4
#define HVM_PARAM_TIMER_MODE    10
#define HVM_PARAM_CONSOLE_PFN   17   /* console ring frame */
#define HVM_PARAM_CONSOLE_EVTCHN 18  /* console event channel */
#define HVM_NR_PARAMS           39    /* as Xen 4.17: indices 0..38 */

/* HVM_PARAM_CALLBACK_IRQ value: type in bits 63:56. */
#define HVM_PARAM_CALLBACK_TYPE_GSI    0
#define HVM_PARAM_CALLBACK_TYPE_PCI_INTX 1
#define HVM_PARAM_CALLBACK_TYPE_VECTOR 2

#endif /* PUBLIC_HVM_PARAMS_H */

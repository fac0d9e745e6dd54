/* SPDX-License-Identifier: GPL-2.0 */
/*
 * __HYPERVISOR_event_channel_op(cmd, arg): command numbers and argument
 * structures as Xen's public/event_channel.h defines them.
 */
#ifndef PUBLIC_EVENT_CHANNEL_H
#define PUBLIC_EVENT_CHANNEL_H

#include <stdint.h>

typedef uint32_t evtchn_port_t;

#define EVTCHNOP_bind_interdomain  0
#define EVTCHNOP_bind_virq         1
#define EVTCHNOP_bind_pirq         2
#define EVTCHNOP_close             3
#define EVTCHNOP_send              4
#define EVTCHNOP_status            5
#define EVTCHNOP_alloc_unbound     6
#define EVTCHNOP_bind_ipi          7
#define EVTCHNOP_bind_vcpu         8
#define EVTCHNOP_unmask            9
#define EVTCHNOP_reset            10
#define EVTCHNOP_init_control     11
#define EVTCHNOP_expand_array     12
#define EVTCHNOP_set_priority     13

struct evtchn_alloc_unbound {
    uint16_t dom, remote_dom;   /* IN (domid_t; DOMID_SELF allowed) */
    evtchn_port_t port;         /* OUT */
};

struct evtchn_bind_interdomain {
    uint16_t remote_dom;        /* IN */
    evtchn_port_t remote_port;  /* IN */
    evtchn_port_t local_port;   /* OUT */
};

struct evtchn_bind_virq {
    uint32_t virq;              /* IN: VIRQ_* */
    uint32_t vcpu;              /* IN */
    evtchn_port_t port;         /* OUT */
};

struct evtchn_bind_ipi {
    uint32_t vcpu;              /* IN */
    evtchn_port_t port;         /* OUT */
};

struct evtchn_close { evtchn_port_t port; };
struct evtchn_send { evtchn_port_t port; };
struct evtchn_unmask { evtchn_port_t port; };

struct evtchn_bind_vcpu {
    evtchn_port_t port;
    uint32_t vcpu;
};

#define EVTCHNSTAT_closed      0   /* free */
#define EVTCHNSTAT_unbound     1   /* waiting for a remote bind */
#define EVTCHNSTAT_interdomain 2
#define EVTCHNSTAT_pirq        3
#define EVTCHNSTAT_virq        4
#define EVTCHNSTAT_ipi         5

struct evtchn_status {
    uint16_t dom;               /* IN */
    evtchn_port_t port;         /* IN */
    uint32_t status;            /* OUT: EVTCHNSTAT_* */
    uint32_t vcpu;              /* OUT: notified vCPU */
    union {
        struct { uint16_t dom; } unbound;
        struct { uint16_t dom; evtchn_port_t port; } interdomain;
        uint32_t pirq;
        uint32_t virq;
    } u;
};

/* Virtual IRQs (public/xen.h in Xen). */
#define VIRQ_TIMER      0
#define VIRQ_DEBUG      1
#define VIRQ_CONSOLE    2
#define VIRQ_DOM_EXC    3
#define NR_VIRQS        24

#endif /* PUBLIC_EVENT_CHANNEL_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event channels (2-level ABI): per-domain port tables, binding, and
 * delivery into the shared-info page.  Hypercall glue in do_event_channel_op().
 */
#ifndef XEN_EVENT_H
#define XEN_EVENT_H

#include <xen/types.h>
#include <public/event_channel.h>

struct domain;
struct vcpu;
struct shared_info;

#define EVTCHN_2L_NR_PORTS 4096

/*
 * Give d an event-channel table of max_ports (<= 4096) delivering into
 * shared_info (hypervisor mapping of the domain's shared-info page).
 */
int evtchn_init(struct domain *d, unsigned int max_ports,
                struct shared_info *shared_info);
/* Close every port (remote ends fall back to unbound) and free the table. */
void evtchn_destroy(struct domain *d);

/* The operations, for the hypercall and for the hypervisor itself. */
int evtchn_alloc_unbound(struct domain *d, uint16_t remote_domid,
                         evtchn_port_t *port);
int evtchn_bind_interdomain(struct domain *d, uint16_t remote_domid,
                            evtchn_port_t remote_port, evtchn_port_t *port);
int evtchn_bind_virq(struct domain *d, uint32_t virq, uint32_t vcpu,
                     evtchn_port_t *port);
int evtchn_bind_ipi(struct domain *d, uint32_t vcpu, evtchn_port_t *port);
int evtchn_close(struct domain *d, evtchn_port_t port);
int evtchn_send(struct domain *d, evtchn_port_t port);
int evtchn_unmask(struct domain *d, evtchn_port_t port);
int evtchn_bind_vcpu(struct domain *d, evtchn_port_t port, uint32_t vcpu);
int evtchn_status(struct domain *d, struct evtchn_status *st);
/* Is port set in d's pending bitmap (whatever its mask)? */
bool evtchn_port_pending(struct domain *d, evtchn_port_t port);
/* Raise a VIRQ on one of d's vCPUs (no-op if unbound). */
void send_guest_virq(struct domain *d, uint32_t vcpu, uint32_t virq);

/* Arch hook: v has a new event upcall pending; make it notice. */
void arch_evtchn_notify(struct vcpu *v);

#endif /* XEN_EVENT_H */

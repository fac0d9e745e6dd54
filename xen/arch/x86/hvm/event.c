/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Telling a vCPU it has an event upcall pending.  No vCPU runs yet (the
 * run loop is the next step of the AMD-V work), so there is nothing to
 * interrupt: a vCPU entered later finds evtchn_upcall_pending set.  Once
 * vCPUs run, this kicks a running one with an IPI and wakes a blocked one.
 */
#include <xen/event.h>

void arch_evtchn_notify(struct vcpu *v)
{
    (void)v;
}

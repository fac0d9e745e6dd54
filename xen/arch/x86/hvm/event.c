/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Telling a vCPU it has an event upcall pending: wake it if it blocked
 * (SCHEDOP_block, HLT), and if it is inside the guest on another CPU, an
 * IPI forces the VM exit after which the upcall is injected.
 */
#include <xen/event.h>
#include <xen/sched.h>

void arch_evtchn_notify(struct vcpu *v)
{
    vcpu_wake(v);
    arch_vcpu_kick(v);
}

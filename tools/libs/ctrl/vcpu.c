/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Starting a PVH domain's first vCPU.  Tonnerre's XEN_DOMCTL_setvcpucontext
 * takes a struct vcpu_hvm_context (see public/domctl.h), loads it and makes
 * the vCPU runnable.
 */
#include <errno.h>
#include <string.h>

#include "ctrl_priv.h"

/* CR0 bits (Intel SDM vol. 3, 2.5). */
#define X86_CR0_PE 0x00000001u
#define X86_CR0_ET 0x00000010u

/*
 * Segment attributes in the vcpu_hvm_context "ar" encoding: type in bits
 * 0-3, S 4, DPL 5-6, P 7, AVL 8, L 9, D/B 10, G 11.
 *   0xc9b: present, code, execute/read, accessed, 32-bit, 4 KiB granular.
 *   0xc93: present, data, read/write, accessed, 32-bit, 4 KiB granular.
 *   0x08b: present, system, busy 32-bit TSS (VM entry wants a usable TR).
 */
#define SEG_AR_CODE32 0xc9b
#define SEG_AR_DATA32 0xc93
#define SEG_AR_TSS32  0x08b

void ctrl_pvh_vcpu_context(struct vcpu_hvm_context *c, uint32_t entry, uint32_t start_info_gpa)
{
    struct vcpu_hvm_x86_32 *r = &c->cpu_regs.x86_32;

    /*
     * The PVH boot ABI (Xen's docs/misc/pvh.pandoc): 32-bit protected mode,
     * paging off, flat 4 GiB segments, %ebx = hvm_start_info, entry at
     * XEN_ELFNOTE_PHYS32_ENTRY.
     */
    memset(c, 0, sizeof(*c));
    c->mode = VCPU_HVM_MODE_32B;
    r->eip = entry;
    r->ebx = start_info_gpa;
    r->eflags = 0x2;                /* bit 1 always reads as one */
    r->cr0 = X86_CR0_PE | X86_CR0_ET;
    r->cs_limit = r->ds_limit = r->ss_limit = r->es_limit = 0xffffffff;
    r->cs_ar = SEG_AR_CODE32;
    r->ds_ar = r->ss_ar = r->es_ar = SEG_AR_DATA32;
    r->tr_limit = 0x67;             /* the minimal 32-bit TSS */
    r->tr_ar = SEG_AR_TSS32;
}

int ctrl_vcpu_start_pvh(struct ctrl_handle *h, ctrl_domid_t domid, uint32_t entry,
                        uint32_t start_info_gpa)
{
    struct xen_domctl d = { .cmd = XEN_DOMCTL_setvcpucontext, .domain = domid };
    struct vcpu_hvm_context *ctx;
    int rc;

    if ( !h || domid > CTRL_MAX_DOMID || domid == 0 )
        return -EINVAL;
    ctx = ctrl_hbuf_alloc(sizeof(*ctx));
    if ( !ctx )
        return -errno;
    ctrl_pvh_vcpu_context(ctx, entry, start_info_gpa);
    d.u.vcpucontext.vcpu = 0;
    set_xen_guest_handle(d.u.vcpucontext.ctxt, ctx);
    rc = ctrl_do_domctl(h, &d);
    ctrl_hbuf_free(ctx, sizeof(*ctx));
    return rc;
}

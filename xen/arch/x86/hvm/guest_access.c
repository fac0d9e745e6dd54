/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copies to and from guest memory (see asm/hvm/guest_access.h).  Only
 * frames the p2m maps are touched, through the directmap; the page walk
 * itself is guest_walk.c's, fed with the control registers in the VMCB.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <asm/hvm/guest_access.h>
#include <asm/hvm/guest_walk.h>
#include <asm/hvm/hvm.h>
#include <asm/p2m.h>

static uint8_t *gpa_to_virt(struct domain *d, uint64_t gpa)
{
    unsigned long mfn;

    if ( !d->arch.p2m_ready || (gpa >> PAGE_SHIFT) > P2M_MAX_GFN )
        return NULL;
    mfn = p2m_get_entry(&d->arch.p2m, gpa >> PAGE_SHIFT, NULL, NULL);
    if ( mfn == P2M_INVALID_MFN )
        return NULL;
    return (uint8_t *)mfn_to_virt(mfn) + (gpa & (PAGE_SIZE - 1));
}

static size_t chunk_len(uint64_t addr, size_t len)
{
    size_t in_page = PAGE_SIZE - (addr & (PAGE_SIZE - 1));

    return len < in_page ? len : in_page;
}

/*
 * Each chunk is looked up and copied under the p2m lock: the balloon
 * frees a page only after unmapping it under the same lock, so a copy
 * never lands in a page that has gone back to the heap.
 */
static int gpa_copy(struct domain *d, uint64_t gpa, uint8_t *buf, size_t len,
                    bool to_guest)
{
    while ( len )
    {
        size_t n = chunk_len(gpa, len);
        unsigned long f = spin_lock_irqsave(&d->arch.p2m_lock);
        uint8_t *p = gpa_to_virt(d, gpa);

        if ( p )
            memcpy(to_guest ? p : buf, to_guest ? buf : p, n);
        spin_unlock_irqrestore(&d->arch.p2m_lock, f);
        if ( !p )
            return -EFAULT;
        gpa += n;
        buf += n;
        len -= n;
    }
    return 0;
}

int gpa_copy_to(struct domain *d, uint64_t gpa, const void *src, size_t len)
{
    return gpa_copy(d, gpa, (uint8_t *)src, len, true);
}

int gpa_copy_from(struct domain *d, void *dst, uint64_t gpa, size_t len)
{
    return gpa_copy(d, gpa, dst, len, false);
}

static int walk_read(void *ctx, uint64_t gpa, void *buf, unsigned int len)
{
    return gpa_copy_from(ctx, buf, gpa, len);
}

static int walk_write(void *ctx, uint64_t gpa, const void *buf, unsigned int len)
{
    return gpa_copy_to(ctx, gpa, buf, len);
}

static int linear_to_gpa(struct vcpu *v, uint64_t la, unsigned int access,
                         uint64_t *gpa)
{
    struct guest_paging_state s;
    struct guest_walk_ops ops = { walk_read, walk_write, v->domain };
    uint32_t pfec = 0;

    hvm_get_paging_state(v, &s);
    return guest_walk(&s, &ops, la, access, gpa, &pfec) ? -EFAULT : 0;
}

/* Page by page: each page of the range may map anywhere. */
static int linear_copy(struct vcpu *v, uint64_t la, uint8_t *buf, size_t len,
                       unsigned int access)
{
    bool to_guest = access & PFEC_WRITE;

    while ( len )
    {
        size_t n = chunk_len(la, len);
        uint64_t gpa;

        if ( linear_to_gpa(v, la, access, &gpa) ||
             gpa_copy(v->domain, gpa, buf, n, to_guest) )
            return -EFAULT;
        la += n;
        buf += n;
        len -= n;
    }
    return 0;
}

int linear_copy_to(struct vcpu *v, uint64_t la, const void *src, size_t len)
{
    return linear_copy(v, la, (uint8_t *)src, len, PFEC_WRITE);
}

int linear_copy_from(struct vcpu *v, void *dst, uint64_t la, size_t len,
                     bool insn_fetch)
{
    return linear_copy(v, la, dst, len, insn_fetch ? PFEC_INSN : 0);
}

static int gm_copy_to(struct guest_mem *gm, uint64_t gaddr, const void *src,
                      size_t len)
{
    return linear_copy_to(container_of(gm, struct vcpu_guest_mem, ops)->v,
                          gaddr, src, len);
}

static int gm_copy_from(struct guest_mem *gm, void *dst, uint64_t gaddr,
                        size_t len)
{
    return linear_copy_from(container_of(gm, struct vcpu_guest_mem, ops)->v,
                            dst, gaddr, len, false);
}

/*
 * For a crash report: each level of the guest's 4-level walk of `la`,
 * with the host frame the p2m gives each table, so a log tells a guest
 * page table that lost its entries from a p2m that points elsewhere.
 */
void hvm_dump_translation(struct vcpu *v, const char *what, uint64_t la)
{
    struct guest_paging_state s;
    uint64_t table, e = 0;
    int level;

    hvm_get_paging_state(v, &s);
    if ( !(s.efer & (1ULL << 10)) )           /* EFER.LMA: long mode only */
        return;
    table = s.cr3 & 0x000ffffffffff000UL;
    printk("  walk of %s %016lx:", what, (unsigned long)la);
    for ( level = 4; level >= 1; level-- )
    {
        uint64_t at = table + ((la >> (12 + 9 * (level - 1))) & 511) * 8;
        unsigned long mfn = p2m_get_entry(&v->domain->arch.p2m, at >> PAGE_SHIFT,
                                          NULL, NULL);

        if ( gpa_copy_from(v->domain, &e, at, sizeof(e)) )
        {
            printk(" L%d gpa %lx unmapped\n", level, (unsigned long)at);
            return;
        }
        printk(" L%d %lx(mfn %lx)=%lx", level, (unsigned long)at, mfn,
               (unsigned long)e);
        if ( !(e & 1) || (level > 1 && (e & 0x80)) )
            break;
        table = e & 0x000ffffffffff000UL;
    }
    printk("\n");
}

void vcpu_guest_mem_init(struct vcpu_guest_mem *gm, struct vcpu *v)
{
    gm->ops.copy_to = gm_copy_to;
    gm->ops.copy_from = gm_copy_from;
    gm->v = v;
}

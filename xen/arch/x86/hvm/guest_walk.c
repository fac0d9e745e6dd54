/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest page-table walker (see asm/hvm/guest_walk.h).  When the hypervisor
 * acts on a guest's behalf - copying a hypercall buffer, fetching the bytes
 * of an instruction to emulate - it is handed guest-linear addresses, which
 * only the guest's own page tables can turn into guest-physical ones.  This
 * file does that translation in software, following the SDM/APM rules for
 * each paging mode: none, 32-bit (with 4 MiB PSE pages), PAE (2 MiB pages)
 * and 4- or 5-level long mode (2 MiB and 1 GiB pages).
 *
 * Faults are reported with the error code the hardware would push, so a
 * caller can inject the #PF.  SMEP, SMAP and protection keys are not
 * applied: the hypervisor walks for accesses it performs itself, where
 * those supervisor-side restrictions are the caller's business.  The
 * physical-address width is taken as 52 bits.
 */
#include <xen/errno.h>
#include <xen/types.h>
#include <asm/hvm/guest_walk.h>

#define GW_CR0_WP    (1ULL << 16)
#define GW_CR0_PG    (1ULL << 31)
#define GW_CR4_PSE   (1ULL << 4)
#define GW_CR4_PAE   (1ULL << 5)
#define GW_CR4_LA57  (1ULL << 12)
#define GW_EFER_LMA  (1ULL << 10)
#define GW_EFER_NXE  (1ULL << 11)

#define GW_PTE_P     (1ULL << 0)
#define GW_PTE_RW    (1ULL << 1)
#define GW_PTE_US    (1ULL << 2)
#define GW_PTE_A     (1ULL << 5)
#define GW_PTE_D     (1ULL << 6)
#define GW_PTE_PS    (1ULL << 7)
#define GW_PTE_NX    (1ULL << 63)

#define GW_ADDR_64   0x000ffffffffff000ULL  /* frame field, MAXPHYADDR 52 */
#define GW_ADDR_32   0xfffff000ULL
#define GW_HIGH_RSVD 0x7ff0000000000000ULL  /* bits 62:52 (reserved in PAE) */
#define GW_LARGE_LOW(shift) (((1ULL << (shift)) - 1) & ~0x1fffULL)  /* 13.. */
#define GW_PSE36_HI  0x001fe000ULL          /* 4 MiB PDE: PA bits 39:32 */
#define GW_PSE_RSVD  (1ULL << 21)
#define GW_PDPTE_RSVD (0x1e6ULL | GW_HIGH_RSVD | GW_PTE_NX)  /* PAE PDPTE */

#define GW_MAX_LEVELS 5

enum gw_mode { GW_MODE_32, GW_MODE_PAE, GW_MODE_LONG };

struct gw_walk {
    const struct guest_walk_ops *ops;
    enum gw_mode mode;
    unsigned int access;
    unsigned int entry_bytes;          /* 4 for 32-bit paging, else 8 */
    unsigned int index_bits;           /* 10 for 32-bit paging, else 9 */
    bool nxe, wp, pse;
    bool rw, us, nx;                   /* rights combined over the levels */
    unsigned int nr;                   /* entries used, for A/D updates */
    uint64_t entry_gpa[GW_MAX_LEVELS];
    uint64_t entry[GW_MAX_LEVELS];
};

/*
 * The error code for a fault on this walk.  The I/D bit is only reported
 * where the CPU reports it: with NX in force (SMEP, the other case, is not
 * modelled).
 */
static int gw_fault(const struct gw_walk *w, uint32_t *pfec, uint32_t why)
{
    uint32_t ec = w->access & (PFEC_WRITE | PFEC_USER);

    if ( (w->access & PFEC_INSN) && w->mode != GW_MODE_32 && w->nxe )
        ec |= PFEC_INSN;
    *pfec = ec | why;
    return -EINVAL;
}

static int gw_read_entry(const struct gw_walk *w, uint64_t gpa, uint64_t *e)
{
    if ( w->entry_bytes == 4 )
    {
        uint32_t e32;

        if ( w->ops->read(w->ops->ctx, gpa, &e32, sizeof(e32)) )
            return -EFAULT;
        *e = e32;
        return 0;
    }
    return w->ops->read(w->ops->ctx, gpa, e, sizeof(*e)) ? -EFAULT : 0;
}

/* Does a present entry at `level` (1 = PTE) map a page rather than a table? */
static bool gw_is_leaf(const struct gw_walk *w, uint64_t e, unsigned int level)
{
    if ( level == 1 )
        return true;
    if ( !(e & GW_PTE_PS) )
        return false;
    switch ( w->mode )
    {
    case GW_MODE_32:
        return w->pse;                 /* without CR4.PSE, PS is ignored */
    case GW_MODE_PAE:
        return level == 2;
    case GW_MODE_LONG:
        return level <= 3;             /* PS above a PDPTE is reserved */
    }
    return false;
}

/* Bits that must be zero in a present entry; set ones give PFEC_RSVD. */
static uint64_t gw_rsvd_bits(const struct gw_walk *w, unsigned int level,
                             bool leaf)
{
    unsigned int shift = 12 + w->index_bits * (level - 1);
    uint64_t r;

    if ( w->mode == GW_MODE_32 )
        /* 4 MiB pages: bit 21 is reserved (PSE-36 caps PAs at 40 bits). */
        return leaf && level == 2 ? GW_PSE_RSVD : 0;

    r = w->nxe ? 0 : GW_PTE_NX;
    if ( w->mode == GW_MODE_PAE )
        r |= GW_HIGH_RSVD;             /* long mode ignores these instead */
    else if ( level >= 4 )
        r |= GW_PTE_PS;
    if ( leaf && level > 1 )
        r |= GW_LARGE_LOW(shift);      /* frame below the page alignment */
    return r;
}

static uint64_t gw_table_address(const struct gw_walk *w, uint64_t e)
{
    return e & (w->mode == GW_MODE_32 ? GW_ADDR_32 : GW_ADDR_64);
}

static uint64_t gw_page_address(const struct gw_walk *w, uint64_t e,
                                unsigned int shift, uint64_t la)
{
    uint64_t offset = la & ((1ULL << shift) - 1);

    if ( w->mode == GW_MODE_32 && shift > 12 )
        return (e & 0xffc00000ULL) | ((e & GW_PSE36_HI) << 19) | offset;
    return (gw_table_address(w, e) & ~((1ULL << shift) - 1)) | offset;
}

/* R/W and U/S must allow the access at every level; NX at any level forbids. */
static void gw_combine(struct gw_walk *w, uint64_t e)
{
    w->rw &= !!(e & GW_PTE_RW);
    w->us &= !!(e & GW_PTE_US);
    w->nx |= !!(e & GW_PTE_NX);        /* only ever set with NXE (rsvd else) */
}

/* Walk `levels` levels of tables from `table`, down to the mapped page. */
static int gw_walk_tables(struct gw_walk *w, uint64_t table,
                          unsigned int levels, uint64_t la, uint64_t *gpa,
                          uint32_t *pfec)
{
    unsigned int level;

    for ( level = levels; ; level-- )
    {
        unsigned int shift = 12 + w->index_bits * (level - 1);
        uint64_t index = (la >> shift) & ((1u << w->index_bits) - 1);
        uint64_t at = table + index * w->entry_bytes, e;
        bool leaf;

        if ( gw_read_entry(w, at, &e) )
            return -EFAULT;
        if ( !(e & GW_PTE_P) )
            return gw_fault(w, pfec, 0);
        leaf = gw_is_leaf(w, e, level);
        if ( e & gw_rsvd_bits(w, level, leaf) )
            return gw_fault(w, pfec, PFEC_PRESENT | PFEC_RSVD);
        gw_combine(w, e);
        w->entry_gpa[w->nr] = at;
        w->entry[w->nr++] = e;
        if ( leaf )
        {
            *gpa = gw_page_address(w, e, shift, la);
            return 0;
        }
        table = gw_table_address(w, e);
    }
}

/*
 * PAE: CR3 names four PDPTEs.  The CPU loads them at MOV to CR3, where a
 * reserved bit is a #GP; the closest a walk can say is PFEC_RSVD.  They
 * carry no rights and no Accessed bit, so they are not recorded.
 */
static int gw_walk_pae(struct gw_walk *w, uint64_t cr3, uint32_t la,
                       uint64_t *gpa, uint32_t *pfec)
{
    uint64_t at = ((uint32_t)cr3 & ~0x1fu) + (la >> 30) * 8, pdpte;

    if ( gw_read_entry(w, at, &pdpte) )
        return -EFAULT;
    if ( !(pdpte & GW_PTE_P) )
        return gw_fault(w, pfec, 0);
    if ( pdpte & GW_PDPTE_RSVD )
        return gw_fault(w, pfec, PFEC_PRESENT | PFEC_RSVD);
    return gw_walk_tables(w, pdpte & GW_ADDR_64, 2, la, gpa, pfec);
}

/* Rights are checked once the whole walk is known, as the MMU does. */
static int gw_check_rights(const struct gw_walk *w, uint32_t *pfec)
{
    bool user = w->access & PFEC_USER;

    if ( user && !w->us )
        return gw_fault(w, pfec, PFEC_PRESENT);
    if ( (w->access & PFEC_WRITE) && !w->rw && (user || w->wp) )
        return gw_fault(w, pfec, PFEC_PRESENT);
    if ( (w->access & PFEC_INSN) && w->nx )
        return gw_fault(w, pfec, PFEC_PRESENT);
    return 0;
}

/*
 * Accessed on every entry used, Dirty on the leaf for a write.  A and D
 * both live in byte 0, so only that byte is written: a guest racing on
 * another vCPU can then only lose an update to the low flag bits, not to
 * the frame address.  (Hardware uses a locked update; this is best effort,
 * and a failed write leaves the translation valid.)
 */
static void gw_set_ad(const struct gw_walk *w)
{
    unsigned int i;

    for ( i = 0; i < w->nr; i++ )
    {
        uint8_t old = (uint8_t)w->entry[i], new = old | GW_PTE_A;

        if ( i + 1 == w->nr && (w->access & PFEC_WRITE) )
            new |= GW_PTE_D;
        if ( new != old )
            w->ops->write(w->ops->ctx, w->entry_gpa[i], &new, 1);
    }
}

static bool gw_canonical(uint64_t la, unsigned int bits)
{
    return (uint64_t)((int64_t)(la << (64 - bits)) >> (64 - bits)) == la;
}

int guest_walk(const struct guest_paging_state *s, const struct guest_walk_ops *ops,
               uint64_t la, unsigned int access, uint64_t *gpa, uint32_t *pfec)
{
    struct gw_walk w = {
        .ops = ops,
        .access = access & (PFEC_WRITE | PFEC_USER | PFEC_INSN),
        .entry_bytes = 8, .index_bits = 9,
        .nxe = s->efer & GW_EFER_NXE, .wp = s->cr0 & GW_CR0_WP,
        .pse = s->cr4 & GW_CR4_PSE, .rw = true, .us = true,
    };
    uint64_t out = 0;
    int rc;

    *pfec = 0;
    if ( !(s->cr0 & GW_CR0_PG) )
    {
        *gpa = (s->efer & GW_EFER_LMA) ? la : (uint32_t)la;
        return 0;
    }

    if ( s->efer & GW_EFER_LMA )
    {
        unsigned int levels = (s->cr4 & GW_CR4_LA57) ? 5 : 4;

        if ( !gw_canonical(la, 12 + 9 * levels) )
            return -EINVAL;            /* #GP on hardware; no error code */
        w.mode = GW_MODE_LONG;
        rc = gw_walk_tables(&w, s->cr3 & GW_ADDR_64, levels, la, &out, pfec);
    }
    else if ( s->cr4 & GW_CR4_PAE )
    {
        w.mode = GW_MODE_PAE;
        rc = gw_walk_pae(&w, s->cr3, (uint32_t)la, &out, pfec);
    }
    else
    {
        w.mode = GW_MODE_32;
        w.entry_bytes = 4;
        w.index_bits = 10;
        rc = gw_walk_tables(&w, s->cr3 & GW_ADDR_32, 2, (uint32_t)la, &out,
                            pfec);
    }

    if ( !rc )
        rc = gw_check_rights(&w, pfec);
    if ( rc )
        return rc;
    if ( ops->write )
        gw_set_ad(&w);
    *gpa = out;
    return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The p2m's 4-level radix tree, shared by the two hardware formats: AMD's
 * nested page tables (p2m-npt.c) and Intel's EPT (p2m-ept.c) both index by
 * 9 bits per level, keep the frame address in bits 12-51 and mark a
 * superpage with bit 7; they differ only in which bits say present,
 * writable and executable, which each p2m takes from its p2m_pte_format.
 * A changed or removed translation sets need_flush; whoever next enters a
 * vCPU of the domain flushes its TLB (a new ASID, TLB_CONTROL or INVEPT).
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/string.h>
#include <asm/p2m.h>
#include <asm/page.h>

#define PTE_PS    (1UL << 7)             /* superpage, in both formats */
#define PTE_ADDR  0x000ffffffffff000UL
#define LEVELS    4

/* What p2m_init() gives new p2ms: the running backend's format. */
static const struct p2m_pte_format *hw_format = &p2m_npt_format;

void p2m_set_hw_format(const struct p2m_pte_format *fmt)
{
    hw_format = fmt;
}

static bool present(const struct p2m *p2m, uint64_t e)
{
    return e & p2m->fmt->present;
}

static unsigned int level_shift(unsigned int level)   /* 1 = 4K leaves */
{
    return PAGE_SHIFT + 9 * (level - 1);
}

static unsigned int index_at(unsigned long gfn, unsigned int level)
{
    return (gfn >> (9 * (level - 1))) & 511;
}

static uint64_t leaf_flags(const struct p2m *p2m, enum p2m_access a,
                           unsigned int level)
{
    uint64_t f = a == P2M_RWX ? p2m->fmt->leaf_rw : p2m->fmt->leaf_ro;

    return level > 1 ? f | PTE_PS : f;
}

static uint64_t *new_table(struct p2m *p2m, paddr_t *pa)
{
    uint64_t *t = p2m->alloc->alloc(p2m, pa);

    if ( t )
        p2m->table_pages++;
    return t;
}

/* Free the table below a non-leaf entry, recursively. */
static void free_table(struct p2m *p2m, uint64_t e, unsigned int level)
{
    uint64_t *t = maddr_to_virt(e & PTE_ADDR);
    unsigned int i;

    for ( i = 0; level > 2 && i < 512; i++ )
        if ( present(p2m, t[i]) && !(t[i] & PTE_PS) )
            free_table(p2m, t[i], level - 1);
    p2m->alloc->free(p2m, t);
    p2m->table_pages--;
}

/*
 * Replace a superpage at `level` by a table of 512 entries one level down
 * covering the same frames with the same rights.
 */
static int split_superpage(struct p2m *p2m, uint64_t *e, unsigned int level)
{
    uint64_t old = *e, mfn_step = 1UL << (9 * (level - 2));
    uint64_t flags = (old & ~PTE_ADDR) & ~(level - 1 == 1 ? PTE_PS : 0);
    paddr_t pa;
    uint64_t *t = new_table(p2m, &pa);
    unsigned int i;

    if ( !t )
        return -ENOMEM;
    for ( i = 0; i < 512; i++ )
        t[i] = ((old & PTE_ADDR) + ((uint64_t)i * mfn_step << PAGE_SHIFT)) | flags;
    *e = pa | p2m->fmt->table;
    return 0;
}

int p2m_init(struct p2m *p2m, const struct p2m_table_allocator *alloc)
{
    memset(p2m, 0, sizeof(*p2m));
    p2m->alloc = alloc;
    p2m->fmt = hw_format;
    p2m->root = new_table(p2m, &p2m->root_pa);
    return p2m->root ? 0 : -ENOMEM;
}

static bool valid_args(unsigned long gfn, unsigned long mfn, unsigned int order)
{
    unsigned long n = 1UL << order;

    if ( order != P2M_ORDER_4K && order != P2M_ORDER_2M && order != P2M_ORDER_1G )
        return false;
    if ( (gfn & (n - 1)) || gfn > P2M_MAX_GFN || gfn + n - 1 > P2M_MAX_GFN )
        return false;
    return mfn == P2M_INVALID_MFN ||
           (!(mfn & (n - 1)) && mfn <= (PTE_ADDR >> PAGE_SHIFT) - (n - 1));
}

int p2m_set_entry(struct p2m *p2m, unsigned long gfn, unsigned long mfn,
                  unsigned int order, enum p2m_access access)
{
    unsigned int target = order / 9 + 1, level;
    uint64_t *t = p2m->root, *e;

    if ( !valid_args(gfn, mfn, order) )
        return -EINVAL;
    for ( level = LEVELS; level > target; level-- )
    {
        e = &t[index_at(gfn, level)];
        if ( !present(p2m, *e) )
        {
            paddr_t pa;

            if ( mfn == P2M_INVALID_MFN )
                return 0;                    /* nothing mapped there */
            if ( !new_table(p2m, &pa) )
                return -ENOMEM;
            *e = pa | p2m->fmt->table;
        }
        else if ( *e & PTE_PS )
        {
            int rc = split_superpage(p2m, e, level);

            if ( rc )
                return rc;
            p2m->need_flush = true;
        }
        t = maddr_to_virt(*e & PTE_ADDR);
    }
    e = &t[index_at(gfn, level)];
    if ( present(p2m, *e) )
    {
        if ( level > 1 && !(*e & PTE_PS) )
            free_table(p2m, *e, level);     /* smaller mappings replaced */
        p2m->need_flush = true;
    }
    *e = mfn == P2M_INVALID_MFN ? 0
         : ((uint64_t)mfn << PAGE_SHIFT) | leaf_flags(p2m, access, level);
    return 0;
}

unsigned long p2m_get_entry(struct p2m *p2m, unsigned long gfn,
                            unsigned int *order, enum p2m_access *access)
{
    const uint64_t *t = p2m->root;
    unsigned int level;

    if ( gfn > P2M_MAX_GFN )
        return P2M_INVALID_MFN;
    for ( level = LEVELS; level >= 1; level-- )
    {
        uint64_t e = t[index_at(gfn, level)];

        if ( !present(p2m, e) )
            return P2M_INVALID_MFN;
        if ( level == 1 || (e & PTE_PS) )
        {
            unsigned long span = 1UL << (level_shift(level) - PAGE_SHIFT);

            if ( order )
                *order = level_shift(level) - PAGE_SHIFT;
            if ( access )
                *access = (e & p2m->fmt->write) ? P2M_RWX : P2M_RX;
            return ((e & PTE_ADDR) >> PAGE_SHIFT) + (gfn & (span - 1));
        }
        t = maddr_to_virt(e & PTE_ADDR);
    }
    return P2M_INVALID_MFN;
}

void p2m_teardown(struct p2m *p2m)
{
    if ( !p2m->root )
        return;
    free_table(p2m, p2m->root_pa, LEVELS + 1);
    p2m->root = NULL;
    p2m->root_pa = 0;
}

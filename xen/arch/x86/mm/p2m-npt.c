/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The p2m as AMD nested page tables (AMD APM vol. 2, 15.25): the ordinary
 * x86-64 4-level format, walked by the CPU with guest-physical addresses.
 * Every entry carries the User bit, because nested walks are user accesses.
 * A changed or removed translation sets need_flush; whoever next enters a
 * vCPU of the domain flushes its TLB (a new ASID or TLB_CONTROL).
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/string.h>
#include <asm/p2m.h>
#include <asm/page.h>

#define NPT_P     (1UL << 0)
#define NPT_RW    (1UL << 1)
#define NPT_US    (1UL << 2)
#define NPT_PS    (1UL << 7)
#define NPT_NX    (1UL << 63)
#define NPT_ADDR  0x000ffffffffff000UL
#define NPT_TABLE (NPT_P | NPT_RW | NPT_US)
#define LEVELS    4

static unsigned int level_shift(unsigned int level)   /* 1 = 4K leaves */
{
    return PAGE_SHIFT + 9 * (level - 1);
}

static unsigned int index_at(unsigned long gfn, unsigned int level)
{
    return (gfn >> (9 * (level - 1))) & 511;
}

static uint64_t leaf_flags(enum p2m_access a, unsigned int level)
{
    uint64_t f = NPT_P | NPT_US | (a == P2M_RWX ? NPT_RW : 0);

    return level > 1 ? f | NPT_PS : f;
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
    uint64_t *t = maddr_to_virt(e & NPT_ADDR);
    unsigned int i;

    for ( i = 0; level > 2 && i < 512; i++ )
        if ( (t[i] & NPT_P) && !(t[i] & NPT_PS) )
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
    uint64_t flags = (old & ~NPT_ADDR) & ~(level - 1 == 1 ? NPT_PS : 0);
    paddr_t pa;
    uint64_t *t = new_table(p2m, &pa);
    unsigned int i;

    if ( !t )
        return -ENOMEM;
    for ( i = 0; i < 512; i++ )
        t[i] = ((old & NPT_ADDR) + ((uint64_t)i * mfn_step << PAGE_SHIFT)) | flags;
    *e = pa | NPT_TABLE;
    return 0;
}

int p2m_init(struct p2m *p2m, const struct p2m_table_allocator *alloc)
{
    memset(p2m, 0, sizeof(*p2m));
    p2m->alloc = alloc;
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
           (!(mfn & (n - 1)) && mfn <= (NPT_ADDR >> PAGE_SHIFT) - (n - 1));
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
        if ( !(*e & NPT_P) )
        {
            paddr_t pa;

            if ( mfn == P2M_INVALID_MFN )
                return 0;                    /* nothing mapped there */
            if ( !new_table(p2m, &pa) )
                return -ENOMEM;
            *e = pa | NPT_TABLE;
        }
        else if ( *e & NPT_PS )
        {
            int rc = split_superpage(p2m, e, level);

            if ( rc )
                return rc;
            p2m->need_flush = true;
        }
        t = maddr_to_virt(*e & NPT_ADDR);
    }
    e = &t[index_at(gfn, level)];
    if ( *e & NPT_P )
    {
        if ( level > 1 && !(*e & NPT_PS) )
            free_table(p2m, *e, level);     /* smaller mappings replaced */
        p2m->need_flush = true;
    }
    *e = mfn == P2M_INVALID_MFN ? 0
         : ((uint64_t)mfn << PAGE_SHIFT) | leaf_flags(access, level);
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

        if ( !(e & NPT_P) )
            return P2M_INVALID_MFN;
        if ( level == 1 || (e & NPT_PS) )
        {
            unsigned long span = 1UL << (level_shift(level) - PAGE_SHIFT);

            if ( order )
                *order = level_shift(level) - PAGE_SHIFT;
            if ( access )
                *access = (e & NPT_RW) ? P2M_RWX : P2M_RX;
            return ((e & NPT_ADDR) >> PAGE_SHIFT) + (gfn & (span - 1));
        }
        t = maddr_to_virt(e & NPT_ADDR);
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

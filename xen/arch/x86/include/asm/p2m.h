/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The physical-to-machine map of a domain: guest frame numbers (GFNs) to
 * machine frames (MFNs), with 4 KiB, 2 MiB and 1 GiB mappings.  Callers use
 * this interface only; the hardware format behind it (AMD's nested page
 * tables, p2m-npt.c, or Intel's EPT, p2m-ept.c) is the running backend's,
 * set once at boot with p2m_set_hw_format().
 */
#ifndef ASM_P2M_H
#define ASM_P2M_H

#include <xen/types.h>

#define P2M_ORDER_4K 0
#define P2M_ORDER_2M 9
#define P2M_ORDER_1G 18
#define P2M_MAX_GFN  ((1UL << 36) - 1)    /* 48-bit guest-physical space */
#define P2M_INVALID_MFN (~0UL)

enum p2m_access {
    P2M_RWX,        /* ordinary RAM */
    P2M_RX,         /* read-only (e.g. a page the guest must not write) */
};

struct p2m;

/*
 * How one hardware format spells an entry.  Both formats share the tree
 * shape, the address bits and bit 7 for superpages (p2m-pt.c).
 */
struct p2m_pte_format {
    const char *name;
    uint64_t present;        /* any of these set: the entry is in use */
    uint64_t table;          /* an entry pointing at the next table */
    uint64_t leaf_rw;        /* a mapping of ordinary RAM (P2M_RWX) */
    uint64_t leaf_ro;        /* a read/execute-only mapping (P2M_RX) */
    uint64_t write;          /* the bit that grants writes */
};

extern const struct p2m_pte_format p2m_npt_format;
extern const struct p2m_pte_format p2m_ept_format;
/* The format p2m_init() uses from now on (the backend calls it at boot). */
void p2m_set_hw_format(const struct p2m_pte_format *fmt);

/* Where table pages come from; the hypervisor uses its heap. */
struct p2m_table_allocator {
    void *(*alloc)(struct p2m *p2m, paddr_t *pa);   /* zeroed page */
    void (*free)(struct p2m *p2m, void *va);
};

struct p2m {
    paddr_t root_pa;                 /* loaded into nCR3 / the EPTP */
    uint64_t *root;
    const struct p2m_table_allocator *alloc;
    const struct p2m_pte_format *fmt;
    unsigned long table_pages;       /* accounting, for teardown checks */
    bool need_flush;                 /* an existing translation changed */
    void *owner;                     /* the domain, later */
};

int p2m_init(struct p2m *p2m, const struct p2m_table_allocator *alloc);
/*
 * Map 2^order frames at gfn (aligned to the order) to mfn (likewise), or
 * unmap them with mfn == P2M_INVALID_MFN.  A superpage over a smaller
 * mapping replaces it (its tables are freed); a smaller mapping inside a
 * superpage splits it.  0, -EINVAL for bad arguments, -ENOMEM.
 */
int p2m_set_entry(struct p2m *p2m, unsigned long gfn, unsigned long mfn,
                  unsigned int order, enum p2m_access access);
/* The MFN backing gfn (and the order of the mapping), or P2M_INVALID_MFN. */
unsigned long p2m_get_entry(struct p2m *p2m, unsigned long gfn,
                            unsigned int *order, enum p2m_access *access);
/* Free every table page; the p2m is empty and must be re-initialised. */
void p2m_teardown(struct p2m *p2m);

/*
 * EPT pointer for a p2m in EPT format (SDM 24.6.11): write-back paging
 * structures, a 4-level walk, no accessed/dirty flags.
 */
uint64_t p2m_ept_pointer(const struct p2m *p2m);

/* The hypervisor's default: zeroed pages from the xenheap. */
extern const struct p2m_table_allocator p2m_xenheap_allocator;

#endif /* ASM_P2M_H */

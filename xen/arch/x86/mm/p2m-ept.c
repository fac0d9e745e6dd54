/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intel EPT entries (SDM vol. 3C, 29.3.2): bits 0-2 grant read, write and
 * execute (an entry with none of them is not present); a leaf also names
 * its memory type in bits 3-5.  Guest RAM is write-back: the guest's own
 * PAT then decides, as on bare metal (EPT "ignore PAT" stays clear).
 */
#include <asm/p2m.h>

#define EPT_R        (1UL << 0)
#define EPT_W        (1UL << 1)
#define EPT_X        (1UL << 2)
#define EPT_MT_SHIFT 3
#define EPT_MT_WB    6UL

/* EPTP fields (SDM 24.6.11). */
#define EPTP_MT_WB         6UL
#define EPTP_WALK_SHIFT    3        /* page-walk length minus one */
#define EPTP_LEVELS        4

const struct p2m_pte_format p2m_ept_format = {
    .name = "EPT",
    .present = EPT_R | EPT_W | EPT_X,
    .table = EPT_R | EPT_W | EPT_X,
    .leaf_rw = EPT_R | EPT_W | EPT_X | (EPT_MT_WB << EPT_MT_SHIFT),
    .leaf_ro = EPT_R | EPT_X | (EPT_MT_WB << EPT_MT_SHIFT),
    .write = EPT_W,
};

uint64_t p2m_ept_pointer(const struct p2m *p2m)
{
    return p2m->root_pa | EPTP_MT_WB |
           ((uint64_t)(EPTP_LEVELS - 1) << EPTP_WALK_SHIFT);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AMD nested page table entries (AMD APM vol. 2, 15.25): the ordinary
 * x86-64 long-mode format, walked with guest-physical addresses.  Every
 * entry carries the User bit, because nested walks are user accesses;
 * NX stays clear, so guest RAM is executable.
 */
#include <asm/p2m.h>

#define NPT_P  (1UL << 0)
#define NPT_RW (1UL << 1)
#define NPT_US (1UL << 2)

const struct p2m_pte_format p2m_npt_format = {
    .name = "NPT",
    .present = NPT_P,
    .table = NPT_P | NPT_RW | NPT_US,
    .leaf_rw = NPT_P | NPT_RW | NPT_US,
    .leaf_ro = NPT_P | NPT_US,
    .write = NPT_RW,
};

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page sizes and the hypervisor's virtual memory layout (x86-64).
 *
 *   0x0000000000000000 - 0x00007fffffffffff  unmapped (guest-only, catches NULL)
 *   0xffff820000000000 - 0xffff827fffffffff  ioremap: MMIO (LAPIC, IO-APIC, HPET), UC
 *   0xffff828000000000 - 0xffff82ffffffffff  per-CPU stacks, with unmapped guard pages
 *   0xffff830000000000 - 0xffff87ffffffffff  direct map of RAM (5 TiB), NX
 *   0xffffffff80000000 - 0xffffffffbfffffff  the hypervisor image (linked at +2 MiB)
 */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#ifdef __ASSEMBLY__
#define _AC(x, suffix) x
#else
#include <xen/types.h>
#define _AC(x, suffix) x##suffix
#endif

#define PAGE_SHIFT      12
#define PAGE_SIZE       (_AC(1, UL) << PAGE_SHIFT)
#define PAGE_MASK       (~(PAGE_SIZE - 1))
#define PAGE_ORDER_2M   9
#define PAGE_ORDER_1G   18

#define PFN_DOWN(x)     ((x) >> PAGE_SHIFT)
#define PFN_UP(x)       (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)

#define IOREMAP_VIRT_START    _AC(0xffff820000000000, UL)
#define IOREMAP_VIRT_END      _AC(0xffff828000000000, UL)
#define STACKS_VIRT_START     _AC(0xffff828000000000, UL)
#define STACKS_VIRT_END       _AC(0xffff830000000000, UL)
#define DIRECTMAP_VIRT_START  _AC(0xffff830000000000, UL)
#define DIRECTMAP_VIRT_END    _AC(0xffff880000000000, UL)
#define XEN_VIRT_START        _AC(0xffffffff80000000, UL)
#define XEN_PHYS_START        _AC(0x200000, UL)   /* where the image is loaded */

#ifndef __ASSEMBLY__
static inline void *maddr_to_virt(paddr_t pa)
{
    return (void *)(DIRECTMAP_VIRT_START + pa);
}

static inline paddr_t virt_to_maddr(const void *va)
{
    unsigned long v = (unsigned long)va;

    if ( v >= XEN_VIRT_START )
        return v - XEN_VIRT_START;
    return v - DIRECTMAP_VIRT_START;
}

#define mfn_to_virt(mfn)  maddr_to_virt((paddr_t)(mfn) << PAGE_SHIFT)
#define virt_to_mfn(va)   (virt_to_maddr(va) >> PAGE_SHIFT)
#endif

#endif /* ASM_PAGE_H */

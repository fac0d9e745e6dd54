/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host unit-test stand-in for asm/page.h.  "Physical memory" is an arena the
 * test maps (host_test_ram, host_test_ram_size bytes); machine address 0 is
 * its first byte.
 */
#ifndef SHIM_ASM_PAGE_H
#define SHIM_ASM_PAGE_H

#include <assert.h>
#include <xen/types.h>

#define PAGE_SHIFT      12
#define PAGE_SIZE       (1UL << PAGE_SHIFT)
#define PAGE_MASK       (~(PAGE_SIZE - 1))
#define PAGE_ORDER_2M   9
#define PAGE_ORDER_1G   18
#define PFN_DOWN(x)     ((x) >> PAGE_SHIFT)
#define PFN_UP(x)       (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)

extern unsigned char *host_test_ram;
extern size_t host_test_ram_size;

static inline void *maddr_to_virt(paddr_t pa)
{
    assert(pa < host_test_ram_size);
    return host_test_ram + pa;
}

static inline paddr_t virt_to_maddr(const void *va)
{
    const unsigned char *p = va;

    assert(p >= host_test_ram && p < host_test_ram + host_test_ram_size);
    return (paddr_t)(p - host_test_ram);
}

#define mfn_to_virt(mfn)  maddr_to_virt((paddr_t)(mfn) << PAGE_SHIFT)
#define virt_to_mfn(va)   (virt_to_maddr(va) >> PAGE_SHIFT)

#endif

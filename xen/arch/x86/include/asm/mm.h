/* SPDX-License-Identifier: GPL-2.0 */
/* The hypervisor's own page tables (x86-64 4-level paging). */
#ifndef ASM_MM_H
#define ASM_MM_H

#include <xen/types.h>
#include <asm/page.h>

#define _PAGE_PRESENT  (1UL << 0)
#define _PAGE_RW       (1UL << 1)
#define _PAGE_USER     (1UL << 2)
#define _PAGE_PWT      (1UL << 3)
#define _PAGE_PCD      (1UL << 4)
#define _PAGE_ACCESSED (1UL << 5)
#define _PAGE_DIRTY    (1UL << 6)
#define _PAGE_PSE      (1UL << 7)
#define _PAGE_GLOBAL   (1UL << 8)
#define _PAGE_NX       (1UL << 63)
#define PADDR_MASK     0x000ffffffffff000UL

/* Mapping attributes for map_pages_to_xen(). */
#define PAGE_HYPERVISOR_RX  (_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_GLOBAL)
#define PAGE_HYPERVISOR_RO  (PAGE_HYPERVISOR_RX | _PAGE_NX)
#define PAGE_HYPERVISOR_RW  (PAGE_HYPERVISOR_RO | _PAGE_RW | _PAGE_DIRTY)
#define PAGE_HYPERVISOR_UC  (PAGE_HYPERVISOR_RW | _PAGE_PCD | _PAGE_PWT)

struct boot_info;

/* Build the final page tables from the memory map and switch to them. */
void mm_init_page_tables(const struct boot_info *bi);
/* From now on page-table pages come from the heap, not the boot allocator. */
void mm_heap_ready(void);

int map_pages_to_xen(unsigned long va, paddr_t pa, unsigned long nr,
                     uint64_t flags);
void *ioremap(paddr_t pa, size_t len);      /* uncached, for MMIO */
void *ioremap_wb(paddr_t pa, size_t len);   /* cached, for firmware tables */
bool va_is_mapped(unsigned long va, size_t len);

/* The highest RAM page frame + 1, and the page-table root all CPUs load. */
extern unsigned long max_pfn;
extern paddr_t idle_pg_table_maddr;

/* Per-CPU stacks in their own area with guard pages; see mm.c for layout. */
#define STACK_SLOT_PAGES  16
#define STACK_SLOT_SIZE   (STACK_SLOT_PAGES * PAGE_SIZE)
#define STACK_PRIMARY_PAGES 8
unsigned long cpu_stack_slot(unsigned int cpu);
int map_cpu_stacks(unsigned int cpu);
/* Top of the primary stack and of each IST stack of a CPU. */
unsigned long cpu_stack_top(unsigned int cpu);
unsigned long cpu_ist_top(unsigned int cpu, unsigned int ist);

#endif /* ASM_MM_H */

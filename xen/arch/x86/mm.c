/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor's page tables.
 *
 * One set of tables, shared by every CPU, maps:
 *  - the image at XEN_VIRT_START with 4 KiB pages: text read-only and
 *    executable, read-only data and read-write data both non-executable;
 *  - all RAM (and ACPI memory) in the direct map, non-executable, with the
 *    largest pages the alignment and the CPU allow;
 *  - per-CPU stacks with an unmapped guard page under each stack, so an
 *    overflow faults (onto the #DF IST stack) instead of corrupting memory;
 *  - MMIO, uncached, in the ioremap area on demand.
 * The low half of the address space is left unmapped.
 */
#include <xen/acpi.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/multiboot2.h>
#include <xen/spinlock.h>
#include <xen/string.h>
#include <asm/mm.h>
#include <asm/processor.h>
#include <asm/desc.h>

#define PT_ENTRIES 512
#define L4_SHIFT 39
#define L3_SHIFT 30
#define L2_SHIFT 21
#define L1_SHIFT 12

extern char _start[], _etext[], _srodata[], _erodata[], _sdata[], __bss_end[];

unsigned long max_pfn;
paddr_t idle_pg_table_maddr;

static DEFINE_SPINLOCK(map_lock);
static bool on_final_tables;   /* page-table pages reachable via direct map */
static bool heap_ready;        /* page-table pages come from the heap */
static unsigned long ioremap_next = IOREMAP_VIRT_START;

/*
 * Before the switch, page-table pages are below 4 GiB and reached through
 * the boot identity map; afterwards through the direct map.
 */
static uint64_t *pt_virt(paddr_t pa)
{
    if ( on_final_tables )
        return maddr_to_virt(pa);
    return (uint64_t *)(unsigned long)pa;
}

static paddr_t alloc_pt_page(void)
{
    paddr_t pa;

    if ( heap_ready )
    {
        void *va = alloc_xenheap_pages(0, 0);

        if ( !va )
            return 0;
        pa = virt_to_maddr(va);
    }
    else
    {
        unsigned long mfn = alloc_boot_pages_below(1, 1, 1UL << (32 - PAGE_SHIFT));

        if ( mfn == INVALID_MFN )
            panic("Out of memory below 4 GiB for page tables");
        pa = (paddr_t)mfn << PAGE_SHIFT;
    }
    memset(pt_virt(pa), 0, PAGE_SIZE);
    return pa;
}

static unsigned int pt_index(unsigned long va, unsigned int shift)
{
    return (va >> shift) & (PT_ENTRIES - 1);
}

/*
 * Return the table below entry `e`, creating it if absent.  Intermediate
 * entries are permissive (RW, executable); the leaf decides.
 */
static uint64_t *next_table(uint64_t *e)
{
    if ( !(*e & _PAGE_PRESENT) )
    {
        paddr_t pa = alloc_pt_page();

        if ( !pa )
            return NULL;
        *e = pa | _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY;
    }
    BUG_ON(*e & _PAGE_PSE);   /* never split superpages: we never need to */
    return pt_virt(*e & PADDR_MASK);
}

/* Map one page or superpage of 1 << shift bytes. */
static int map_one(unsigned long va, paddr_t pa, unsigned int shift,
                   uint64_t flags)
{
    uint64_t *t = pt_virt(idle_pg_table_maddr);
    static const unsigned int shifts[] = { L4_SHIFT, L3_SHIFT, L2_SHIFT };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(shifts) && shifts[i] > shift; i++ )
    {
        t = next_table(&t[pt_index(va, shifts[i])]);
        if ( !t )
            return -ENOMEM;
    }
    t[pt_index(va, shift)] = pa | flags | (shift > L1_SHIFT ? _PAGE_PSE : 0);
    return 0;
}

int map_pages_to_xen(unsigned long va, paddr_t pa, unsigned long nr,
                     uint64_t flags)
{
    unsigned long irqf = spin_lock_irqsave(&map_lock);
    int rc = 0;

    for ( ; nr && !rc; nr--, va += PAGE_SIZE, pa += PAGE_SIZE )
    {
        rc = map_one(va, pa, L1_SHIFT, flags);
        if ( on_final_tables )
            __asm__ __volatile__ ( "invlpg (%0)" :: "r" (va) : "memory" );
    }
    spin_unlock_irqrestore(&map_lock, irqf);
    return rc;
}

/* Map [pa, pa + size) at va with the largest pages alignment allows. */
static void map_range_large(unsigned long va, paddr_t pa, uint64_t size,
                            uint64_t flags)
{
    while ( size )
    {
        unsigned int shift = L1_SHIFT;

        if ( boot_cpu.gbpages && IS_ALIGNED(pa, 1UL << L3_SHIFT) &&
             size >= (1UL << L3_SHIFT) )
            shift = L3_SHIFT;
        else if ( IS_ALIGNED(pa, 1UL << L2_SHIFT) && size >= (1UL << L2_SHIFT) )
            shift = L2_SHIFT;
        if ( map_one(va, pa, shift, flags) )
            panic("Out of memory building the direct map");
        va += 1UL << shift;
        pa += 1UL << shift;
        size -= 1UL << shift;
    }
}

static void map_image_section(const char *s, const char *e, uint64_t flags)
{
    unsigned long va = (unsigned long)s;

    for ( ; va < (unsigned long)e; va += PAGE_SIZE )
        if ( map_one(va, va - XEN_VIRT_START, L1_SHIFT, flags) )
            panic("Out of memory mapping the image");
}

static bool region_in_direct_map(const struct boot_region *r)
{
    return r->type == BOOT_MEM_RAM || r->type == BOOT_MEM_ACPI ||
           r->type == BOOT_MEM_NVS;
}

static void map_direct_map(const struct boot_info *bi)
{
    const uint64_t limit = DIRECTMAP_VIRT_END - DIRECTMAP_VIRT_START;
    unsigned int i;

    for ( i = 0; i < bi->nr_mmap; i++ )
    {
        const struct boot_region *r = &bi->mmap[i];
        paddr_t s = ROUNDDOWN(r->start, PAGE_SIZE);
        paddr_t e = ROUNDUP(r->end, PAGE_SIZE);

        if ( !region_in_direct_map(r) )
            continue;
        if ( e > limit )
        {
            printk(XENLOG_WARNING "Memory above %lu GiB not mapped: %#lx-%#lx\n",
                   (unsigned long)(limit >> 30), (unsigned long)r->start,
                   (unsigned long)r->end);
            if ( s >= limit )
                continue;
            e = limit;
        }
        map_range_large(DIRECTMAP_VIRT_START + s, s, e - s, PAGE_HYPERVISOR_RW);
    }
}

void mm_init_page_tables(const struct boot_info *bi)
{
    uint64_t efer;

    idle_pg_table_maddr = alloc_pt_page();

    map_image_section(_start, _etext, PAGE_HYPERVISOR_RX);
    map_image_section(_srodata, _erodata, PAGE_HYPERVISOR_RO);
    map_image_section(_sdata, __bss_end, PAGE_HYPERVISOR_RW);
    map_direct_map(bi);

    /* NX bits in the new tables need EFER.NXE before the switch. */
    efer = rdmsr(MSR_EFER);
    if ( boot_cpu.nx )
        wrmsr(MSR_EFER, efer | EFER_NXE);
    else
        panic("CPU lacks NX (execute disable); refusing to run without it");
    if ( boot_cpu.pge )
        write_cr4(read_cr4() | X86_CR4_PGE);

    write_cr3(idle_pg_table_maddr);
    on_final_tables = true;
}

void mm_heap_ready(void)
{
    heap_ready = true;
}

/*
 * Walk the live tables (the boot ones early on): is every page of
 * [va, va+len) mapped?  Fault reports use it before touching memory.
 */
bool va_is_mapped(unsigned long va, size_t len)
{
    unsigned long end = va + len;

    if ( end < va )
        return false;
    for ( va &= PAGE_MASK; va < end; va += PAGE_SIZE )
    {
        uint64_t *t = pt_virt(read_cr3() & PADDR_MASK);
        unsigned int shift;
        uint64_t e = 0;

        for ( shift = L4_SHIFT; shift >= L1_SHIFT; shift -= 9 )
        {
            e = t[pt_index(va, shift)];
            if ( !(e & _PAGE_PRESENT) )
                return false;
            if ( shift == L1_SHIFT || (shift < L4_SHIFT && (e & _PAGE_PSE)) )
                break;
            t = pt_virt(e & PADDR_MASK);
        }
    }
    return true;
}

static void *ioremap_flags(paddr_t pa, size_t len, uint64_t flags)
{
    paddr_t base = ROUNDDOWN(pa, PAGE_SIZE);
    unsigned long nr = PFN_UP(pa + len - base);
    unsigned long irqf, va;

    if ( !len || pa + len < pa )
        return NULL;
    irqf = spin_lock_irqsave(&map_lock);
    va = ioremap_next;
    if ( nr > (IOREMAP_VIRT_END - va) >> PAGE_SHIFT )
    {
        spin_unlock_irqrestore(&map_lock, irqf);
        return NULL;
    }
    /* One unmapped page between mappings catches overruns. */
    ioremap_next += (nr + 1) << PAGE_SHIFT;
    spin_unlock_irqrestore(&map_lock, irqf);

    if ( map_pages_to_xen(va, base, nr, flags) )
        return NULL;
    return (void *)(va + (pa - base));
}

void *ioremap(paddr_t pa, size_t len)
{
    return ioremap_flags(pa, len, PAGE_HYPERVISOR_UC);
}

void *ioremap_wb(paddr_t pa, size_t len)
{
    return ioremap_flags(pa, len, PAGE_HYPERVISOR_RO);
}

/*
 * Stack slot layout, one slot of STACK_SLOT_PAGES per CPU (page indices):
 *   0 guard | 1 #DF IST | 2 guard | 3 NMI IST | 4 guard | 5 #MC IST |
 *   6 guard | 7 guard   | 8-15 primary stack (32 KiB)
 */
static const unsigned int ist_page[] = { [IST_DF] = 1, [IST_NMI] = 3, [IST_MC] = 5 };
#define PRIMARY_FIRST_PAGE 8

unsigned long cpu_stack_slot(unsigned int cpu)
{
    return STACKS_VIRT_START + (unsigned long)cpu * STACK_SLOT_SIZE;
}

unsigned long cpu_stack_top(unsigned int cpu)
{
    return cpu_stack_slot(cpu) + STACK_SLOT_SIZE;
}

unsigned long cpu_ist_top(unsigned int cpu, unsigned int ist)
{
    return cpu_stack_slot(cpu) + (ist_page[ist] + 1) * PAGE_SIZE;
}

static int map_stack_pages(unsigned long va, unsigned int nr)
{
    void *p = alloc_xenheap_pages(nr == 1 ? 0 : 3, 0);

    if ( !p )
        return -ENOMEM;
    return map_pages_to_xen(va, virt_to_maddr(p), nr, PAGE_HYPERVISOR_RW);
}

int map_cpu_stacks(unsigned int cpu)
{
    unsigned long slot = cpu_stack_slot(cpu);
    unsigned int i;
    int rc;

    BUILD_BUG_ON(STACK_PRIMARY_PAGES != 8);
    if ( slot + STACK_SLOT_SIZE > STACKS_VIRT_END )
        return -EINVAL;
    for ( i = IST_DF; i <= IST_MC; i++ )
        if ( (rc = map_stack_pages(slot + ist_page[i] * PAGE_SIZE, 1)) )
            return rc;
    return map_stack_pages(slot + PRIMARY_FIRST_PAGE * PAGE_SIZE,
                           STACK_PRIMARY_PAGES);
}

/*
 * ACPI tables: read them through the direct map when they are in memory it
 * covers (RAM and ACPI regions), else through a read-only ioremap.  Boot
 * only, a handful of tables: ioremap space is not reclaimed.
 */
void *acpi_os_map(paddr_t pa, size_t len)
{
    void *va = maddr_to_virt(pa);

    if ( pa + len > pa && pa + len <= DIRECTMAP_VIRT_END - DIRECTMAP_VIRT_START &&
         va_is_mapped((unsigned long)va, len) )
        return va;
    return ioremap_wb(pa, len);
}

void acpi_os_unmap(void *va, size_t len)
{
}

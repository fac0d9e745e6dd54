/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The boot CPU's path from head.S to the idle loop.  Order matters:
 *   1. per-CPU base and the serial line, so anything can print;
 *   2. Multiboot2 information copied into the image, parsed, command line
 *      applied;
 *   3. memory map checked, boot allocator primed, final page tables built;
 *   4. frame table and buddy heap, then switch to a guarded stack;
 *   5. descriptor tables, CPU protections, ACPI, APIC, timers, other CPUs.
 * Anything that cannot work ends in panic() with a message saying why:
 * a clear refusal beats a triple fault.
 */
#include <xen/acpi.h>
#include <xen/console.h>
#include <xen/elf.h>
#include <xen/kernel_image.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/spinlock.h>
#include <xen/mm.h>
#include <xen/multiboot2.h>
#include <xen/ns16550.h>
#include <xen/param.h>
#include <xen/sched.h>
#include <xen/serial_spec.h>
#include <xen/softirq.h>
#include <xen/string.h>
#include <xen/timer.h>
#include <xen/version.h>
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/hpet.h>
#include <asm/hvm/domain_build.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/xstate.h>
#include <asm/io_apic.h>
#include <asm/mm.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/regs.h>
#include <asm/shutdown.h>
#include <asm/smp.h>
#include <asm/time.h>

#define MIN_RAM_MIB 128
#define MBI_COPY_MAX (64 * 1024)
#define LOW_MEMORY_END 0x100000UL

extern char _start[], __bss_end[];
void __start_xen(unsigned long mbi_pa);

static struct boot_info boot_info;
static uint8_t mbi_copy[MBI_COPY_MAX] __aligned(8);
static paddr_t mbi_pa, mbi_len;

/* console=com1|com2|none (Xen also knows vga, which we do not drive). */
static char opt_console[32] = "com1";
string_param("console", opt_console);
static char opt_com1[64], opt_com2[64];
string_param("com1", opt_com1);
string_param("com2", opt_com2);
/* after_boot=idle|poweroff|reboot: what to do once boot is complete. */
static char opt_after_boot[16] = "idle";
string_param("after_boot", opt_after_boot);

static paddr_t image_start(void) { return virt_to_maddr(_start); }
static paddr_t image_end(void) { return virt_to_maddr(__bss_end); }

/*
 * Copy the Multiboot2 information into the image before anything else: it
 * sits in memory the allocators will hand out, and the identity map through
 * which we can reach it now goes away with the boot page tables.
 */
static size_t copy_multiboot_info(unsigned long pa)
{
    const uint32_t *p = (const uint32_t *)pa;
    uint32_t total = p[0];

    if ( total < 16 || total > MBI_COPY_MAX )
        panic("Multiboot2 information size %u is out of range (16..%u)",
              total, MBI_COPY_MAX);
    memcpy(mbi_copy, p, total);
    mbi_pa = pa;
    mbi_len = total;
    return total;
}

/*
 * The serial console comes up at 115200 8n1 on COM1 before the command line
 * is read, so even a malformed Multiboot2 structure is reported; com1=,
 * com2= and console= then adjust it.
 */
static void console_early_serial(void)
{
    ns16550_setup(COM1_PORT, 115200, 0, UART_LCR_8N1);
    console_register_sink(ns16550_write);
}

static void console_apply_options(void)
{
    struct serial_spec spec;
    const char *arg;
    uint16_t port;

    if ( !strncmp(opt_console, "com2", 4) )
    {
        arg = opt_com2;
        port = COM2_PORT;
    }
    else if ( !strncmp(opt_console, "com1", 4) )
    {
        arg = opt_com1;
        port = COM1_PORT;
    }
    else
    {
        if ( strcmp(opt_console, "none") )
            printk(XENLOG_WARNING "console=%s: only com1, com2 and none are "
                   "supported; keeping com1\n", opt_console);
        else
            ns16550_setup(0, 0, 0, 0);   /* silence: the ring still records */
        return;
    }
    if ( !arg[0] )
        return;
    if ( serial_spec_parse(arg, &spec) )
    {
        printk(XENLOG_WARNING "com%c=%s: not understood; keeping 115200 8n1\n",
               port == COM1_PORT ? '1' : '2', arg);
        return;
    }
    ns16550_setup(spec.io_base ? spec.io_base : port, spec.baud,
                  spec.base_baud, serial_spec_lcr(&spec));
}

static void print_memory_map(void)
{
    unsigned int i;

    printk("Multiboot2 memory map:\n");
    for ( i = 0; i < boot_info.nr_mmap; i++ )
        printk(" %016lx - %016lx type %u\n",
               (unsigned long)boot_info.mmap[i].start,
               (unsigned long)boot_info.mmap[i].end, boot_info.mmap[i].type);
}

/*
 * Feed usable RAM to the boot allocator and take out what is in use: the
 * image, the Multiboot2 information and the modules.  Low memory (below
 * 1 MiB) keeps one page for the AP trampoline and is otherwise left alone:
 * firmware data lives there and nothing we run needs it.
 */
static void init_boot_memory(void)
{
    unsigned long tramp;
    unsigned int i;

    for ( i = 0; i < boot_info.nr_mmap; i++ )
    {
        const struct boot_region *r = &boot_info.mmap[i];

        if ( r->type != BOOT_MEM_RAM )
            continue;
        bootmem_add_range(r->start, r->end);
        if ( PFN_DOWN(r->end) > max_pfn )
            max_pfn = PFN_DOWN(r->end);
    }
    bootmem_reserve_range(image_start(), image_end());
    bootmem_reserve_range(ROUNDDOWN(mbi_pa, PAGE_SIZE), ROUNDUP(mbi_pa + mbi_len, PAGE_SIZE));
    for ( i = 0; i < boot_info.nr_mods; i++ )
        bootmem_reserve_range(ROUNDDOWN(boot_info.mods[i].start, PAGE_SIZE),
                              ROUNDUP(boot_info.mods[i].end, PAGE_SIZE));

    /* Above the real-mode IVT and BDA; the SIPI vector is a page number. */
    bootmem_reserve_range(0, 0x1000);
    tramp = alloc_boot_pages_below(1, 1, PFN_DOWN(LOW_MEMORY_END));
    if ( tramp == INVALID_MFN )
        panic("No free page below 1 MiB for the secondary-CPU trampoline");
    smp_set_trampoline((paddr_t)tramp << PAGE_SHIFT);
    bootmem_reserve_range(0, LOW_MEMORY_END);
}

static void check_memory_size(void)
{
    uint64_t ram = boot_ram_bytes(&boot_info);

    printk("RAM: %lu KiB usable\n", (unsigned long)(ram >> 10));
    if ( ram < ((uint64_t)MIN_RAM_MIB << 20) )
        panic("Only %lu MiB of RAM: Tonnerre needs at least %u MiB",
              (unsigned long)(ram >> 20), MIN_RAM_MIB);
}

static void after_boot(void)
{
    if ( !strcmp(opt_after_boot, "poweroff") )
        machine_power_off();
    else if ( !strcmp(opt_after_boot, "reboot") )
        machine_restart();
    else if ( strcmp(opt_after_boot, "idle") )
        printk(XENLOG_WARNING "after_boot=%s: expected idle, poweroff or reboot\n",
               opt_after_boot);
}

/* Second half of boot: on CPU 0's guarded stack, with the heap up. */
static void __attribute__((noreturn)) start_xen_on_stack(unsigned long unused)
{
    cpu_load_descriptors(0);
    cpu_enable_protections();

    if ( acpi_tables_init(boot_info.rsdp_len ? boot_info.rsdp : NULL,
                          boot_info.rsdp_len) )
        printk(XENLOG_WARNING "No usable ACPI tables: one CPU, no power-off\n");
    else
        acpi_print_summary();

    hvm_init_this_cpu();
    hvm_print_features();
    xstate_init_this_cpu();
    xstate_print();
    apic_init_bsp();
    hpet_init();
    time_calibrate();
    io_apic_init();
    softirq_init();
    timer_subsystem_init();
    timer_init_this_cpu();
    local_irq_enable();

    smp_boot_cpus();
    sched_init();
    page_alloc_report();
    printk("Boot complete\n");

    debug_trigger_fault();
    hvm_selftest();
    timer_selftest_start();
    after_boot();
    pvh_build_boot_domains(&boot_info);
    console_input_start(ns16550_getc);
    sched_cpu_loop();
}

void __start_xen(unsigned long pa)
{
    size_t len;

    smp_prepare_boot_cpu();
    idt_init();
    console_early_serial();
    cpu_detect_features();

    len = copy_multiboot_info(pa);
    if ( mb2_parse(mbi_copy, len, &boot_info) )
        panic("Cannot parse the Multiboot2 information (see above)");
    cmdline_parse(boot_info.cmdline);
    console_apply_options();
    debug_trigger_early_fault();

    printk("Tonnerre hypervisor version %s (x86_64)\n", TONNERRE_VERSION);
    printk("Command line: %s\n", boot_info.cmdline ? boot_info.cmdline : "");
    printk("CPU: %s %s\n", boot_cpu.vendor, boot_cpu.brand);
    printk("CPU features:%s%s%s%s%s%s%s%s\n", boot_cpu.nx ? " nx" : "",
           boot_cpu.smep ? " smep" : "", boot_cpu.smap ? " smap" : "",
           boot_cpu.umip ? " umip" : "", boot_cpu.x2apic ? " x2apic" : "",
           boot_cpu.tsc_deadline ? " tsc-deadline" : "",
           boot_cpu.svm ? " svm" : "", boot_cpu.vmx ? " vmx" : "");

    if ( boot_sanitize_mmap(&boot_info) )
        panic("The memory map is unusable (see above)");
    print_memory_map();
    if ( boot_check_layout(&boot_info, image_start(), image_end()) )
        panic("Bad boot layout (see above)");
    check_memory_size();

    init_boot_memory();
    mm_init_page_tables(&boot_info);
    init_frametable(max_pfn);
    end_boot_allocator();
    mm_heap_ready();

    if ( map_cpu_stacks(0) )
        panic("Cannot allocate CPU 0's stacks");
    this_cpu()->stack_top = cpu_stack_top(0);
    switch_stack_and_call(cpu_stack_top(0), start_xen_on_stack, 0);
}

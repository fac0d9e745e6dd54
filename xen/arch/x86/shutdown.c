/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Power-off and reboot.
 *
 * Power-off: ACPI S5 (SLP_TYPx from the DSDT's \_S5 package with SLP_EN,
 * written to PM1a/PM1b control, ACPI spec 7.4.2 and 4.8.3.2), then the
 * fixed ports of common virtual platforms.  Reboot: the FADT reset register,
 * then the keyboard controller, then port 0xCF9, then a deliberate triple
 * fault.  Before either, the other CPUs are parked with an NMI so nothing
 * else is running when the machine goes down.
 */
#include <xen/acpi.h>
#include <xen/console.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/spinlock.h>
#include <xen/param.h>
#include <xen/smp.h>
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/mm.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/shutdown.h>
#include <asm/time.h>

#define PM1_SLP_EN        (1u << 13)
#define PM1_SLP_TYP_SHIFT 10
#define KBD_STATUS_PORT   0x64
#define KBD_CMD_RESET     0xfe
#define PCI_RESET_PORT    0xcf9

/* noreboot: after a fatal error, halt instead of rebooting (Xen's option). */
static bool opt_noreboot;
boolean_param("noreboot", opt_noreboot);

static volatile bool stopping;

bool machine_stopping(void)
{
    return stopping;
}

void machine_stop_this_cpu(void)
{
    local_irq_disable();
    for ( ; ; )
        halt();
}

static void stop_other_cpus(void)
{
    unsigned int cpu;

    stopping = true;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    for ( cpu = 0; cpu < NR_CPUS; cpu++ )
        if ( percpu_of[cpu] && cpu != smp_processor_id() &&
             percpu_of[cpu]->online )
            apic_send_nmi(percpu_of[cpu]->apic_id);
    mdelay(10);
}

static void gas_write(const struct acpi_gas *g, uint32_t val)
{
    if ( !g->address )
        return;
    if ( g->space_id == ACPI_GAS_SPACE_IO )
    {
        if ( g->bit_width == 8 )
            outb(val, g->address);
        else if ( g->bit_width == 32 )
            outl(val, g->address);
        else
            outw(val, g->address);
    }
    else if ( g->space_id == ACPI_GAS_SPACE_MEMORY )
    {
        volatile void *p = ioremap(g->address, 4);

        if ( !p )
            return;
        if ( g->bit_width == 8 )
            *(volatile uint8_t *)p = val;
        else if ( g->bit_width == 32 )
            *(volatile uint32_t *)p = val;
        else
            *(volatile uint16_t *)p = val;
    }
}

static void acpi_enter_s5(void)
{
    const struct acpi_fadt_info *f = &acpi_info.fadt;

    if ( !f->present || !acpi_info.s5.present )
        return;
    local_irq_disable();
    gas_write(&f->pm1a_cnt, (acpi_info.s5.slp_typ_a << PM1_SLP_TYP_SHIFT) | PM1_SLP_EN);
    gas_write(&f->pm1b_cnt, (acpi_info.s5.slp_typ_b << PM1_SLP_TYP_SHIFT) | PM1_SLP_EN);
    mdelay(100);
}

void machine_power_off(void)
{
    printk("Powering off\n");
    stop_other_cpus();
    acpi_enter_s5();
    /*
     * Fallbacks for virtual platforms without usable ACPI: QEMU's q35 and
     * i440fx PM blocks and bochs's, each with SLP_TYP 0.
     */
    outw(PM1_SLP_EN, 0x604);
    outw(PM1_SLP_EN, 0xb004);
    outw(PM1_SLP_EN, 0x4004);
    printk(XENLOG_ERR "Power-off failed: halting\n");
    machine_stop_this_cpu();
}

static void reset_via_acpi(void)
{
    const struct acpi_fadt_info *f = &acpi_info.fadt;

    if ( f->present && f->reset_supported )
    {
        gas_write(&f->reset_reg, f->reset_value);
        mdelay(50);
    }
}

static void reset_via_keyboard(void)
{
    unsigned int i;

    for ( i = 0; i < 10000 && (inb(KBD_STATUS_PORT) & 0x02); i++ )
        udelay(10);
    outb(KBD_CMD_RESET, KBD_STATUS_PORT);
    mdelay(50);
}

static void reset_via_cf9(void)
{
    outb(0x02, PCI_RESET_PORT);
    udelay(50);
    outb(0x06, PCI_RESET_PORT);   /* system reset, CPU reset */
    mdelay(50);
}

/* Last resort: no IDT, then an exception is a triple fault, i.e. a reset. */
static void reset_via_triple_fault(void)
{
    struct desc_ptr empty = { 0, 0 };

    __asm__ __volatile__ ( "lidt %0; int3" :: "m" (empty) );
}

void machine_restart(void)
{
    printk("Rebooting\n");
    stop_other_cpus();
    local_irq_disable();
    reset_via_acpi();
    reset_via_keyboard();
    reset_via_cf9();
    reset_via_triple_fault();
    machine_stop_this_cpu();
}

void machine_halt_or_reboot(void)
{
    if ( opt_noreboot )
    {
        printk("Manual reset required ('noreboot' specified): halting\n");
        stop_other_cpus();
        machine_stop_this_cpu();
    }
    printk("Reboot in five seconds...\n");
    mdelay(5000);
    machine_restart();
}

/* Called by panic() once the message is out. */
void arch_panic_halt(void)
{
    machine_halt_or_reboot();
}

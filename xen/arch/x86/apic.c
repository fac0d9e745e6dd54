/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The local APIC (Intel SDM vol. 3, chapter 10).
 *
 * x2APIC mode is used whenever the CPU offers it (MSR access, 32-bit APIC
 * ids, no MMIO page); otherwise xAPIC through an uncached mapping of the
 * APIC page.  The choice is made once on the BSP and applied to every CPU.
 * The timer runs in TSC-deadline mode when available, else in one-shot mode
 * with a count derived from the TSC-calibrated bus clock.
 */
#include <xen/acpi.h>
#include <xen/lib.h>
#include <xen/spinlock.h>
#include <asm/apic.h>
#include <asm/irq_vectors.h>
#include <asm/mm.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/regs.h>
#include <asm/time.h>

#define APIC_ID        0x020
#define APIC_VERSION   0x030
#define APIC_TPR       0x080
#define APIC_EOI       0x0b0
#define APIC_SVR       0x0f0
#define APIC_ESR       0x280
#define APIC_ICR       0x300
#define APIC_ICR2      0x310
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_ERROR 0x370
#define APIC_TMICT     0x380
#define APIC_TMCCT     0x390
#define APIC_TDCR      0x3e0

#define APIC_BASE_ENABLE   (1UL << 11)
#define APIC_BASE_X2APIC   (1UL << 10)
#define APIC_BASE_ADDR     0xfffff000UL
#define SVR_ENABLE         (1u << 8)
#define LVT_MASKED         (1u << 16)
#define LVT_TIMER_DEADLINE (2u << 17)
#define LVT_DM_NMI         (4u << 8)
#define ICR_DM_NMI         (4u << 8)
#define ICR_DM_INIT        (5u << 8)
#define ICR_DM_STARTUP     (6u << 8)
#define ICR_LEVEL_ASSERT   (1u << 14)
#define ICR_BUSY           (1u << 12)
#define TDCR_DIVIDE_1      0xb

#define X2APIC_MSR_BASE    0x800
#define X2APIC_MSR_ICR     0x830

static bool x2apic;
static volatile uint32_t *mmio;
static bool use_tsc_deadline;
static uint64_t apic_ticks_per_ms;   /* one-shot mode: timer ticks per ms */

bool apic_is_x2apic(void)
{
    return x2apic;
}

static uint32_t apic_read(unsigned int reg)
{
    if ( x2apic )
        return rdmsr(X2APIC_MSR_BASE + (reg >> 4));
    return mmio[reg >> 2];
}

static void apic_write(unsigned int reg, uint32_t v)
{
    if ( x2apic )
        wrmsr(X2APIC_MSR_BASE + (reg >> 4), v);
    else
        mmio[reg >> 2] = v;
}

uint32_t apic_read_id(void)
{
    uint32_t id = apic_read(APIC_ID);

    return x2apic ? id : id >> 24;
}

void apic_eoi(void)
{
    apic_write(APIC_EOI, 0);
}

/* xAPIC: the ICR is two registers, and we must wait for delivery. */
static void icr_write(uint32_t dest, uint32_t low)
{
    unsigned int spins;

    if ( x2apic )
    {
        wrmsr(X2APIC_MSR_ICR, ((uint64_t)dest << 32) | low);
        return;
    }
    mmio[APIC_ICR2 >> 2] = dest << 24;
    mmio[APIC_ICR >> 2] = low;
    for ( spins = 0; spins < 1000000 && (mmio[APIC_ICR >> 2] & ICR_BUSY); spins++ )
        cpu_relax();
}

void apic_send_ipi(uint32_t dest, uint8_t vector)
{
    unsigned long f = local_irq_save();

    icr_write(dest, ICR_LEVEL_ASSERT | vector);
    local_irq_restore(f);
}

void apic_send_nmi(uint32_t dest)
{
    icr_write(dest, ICR_LEVEL_ASSERT | ICR_DM_NMI);
}

/* The universal start-up algorithm, SDM vol. 3, 8.4.4.1. */
void apic_send_init_sipi(uint32_t dest, uint8_t start_page)
{
    icr_write(dest, ICR_LEVEL_ASSERT | ICR_DM_INIT);
    mdelay(10);
    icr_write(dest, ICR_DM_STARTUP | start_page);
    udelay(200);
    icr_write(dest, ICR_DM_STARTUP | start_page);
    udelay(200);
}

static void spurious_interrupt(struct cpu_user_regs *regs)
{
    /* No EOI for a spurious interrupt (SDM 10.9). */
}

static void error_interrupt(struct cpu_user_regs *regs)
{
    uint32_t esr;

    apic_write(APIC_ESR, 0);
    esr = apic_read(APIC_ESR);
    apic_eoi();
    printk(XENLOG_WARNING "APIC error on CPU%u: ESR %#x\n",
           this_cpu()->cpu_id, esr);
}

/*
 * Remap the 8259s away from the exception vectors and mask them: every
 * interrupt we take comes through the local APIC and IO-APICs.
 */
static void legacy_pic_disable(void)
{
    outb(0x11, 0x20);  outb(0x11, 0xa0);                 /* ICW1: init */
    outb(LEGACY_PIC_VECTOR_BASE, 0x21);                  /* ICW2: vectors */
    outb(LEGACY_PIC_VECTOR_BASE + 8, 0xa1);
    outb(0x04, 0x21);  outb(0x02, 0xa1);                 /* ICW3: cascade */
    outb(0x01, 0x21);  outb(0x01, 0xa1);                 /* ICW4: 8086 */
    outb(0xff, 0x21);  outb(0xff, 0xa1);                 /* mask all */
}

static void apic_enable_this_cpu(bool bsp)
{
    uint64_t base = rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE;

    if ( x2apic )
        base |= APIC_BASE_X2APIC;
    wrmsr(MSR_APIC_BASE, base);

    apic_write(APIC_TPR, 0);
    apic_write(APIC_LVT_LINT0, LVT_MASKED);
    /* LINT1 is wired to NMI on PC platforms; keep it that way on the BSP. */
    apic_write(APIC_LVT_LINT1, bsp ? LVT_DM_NMI : LVT_MASKED);
    apic_write(APIC_LVT_ERROR, ERROR_APIC_VECTOR);
    apic_write(APIC_LVT_TIMER, LVT_MASKED | LOCAL_TIMER_VECTOR);
    apic_write(APIC_SVR, SVR_ENABLE | SPURIOUS_APIC_VECTOR);
    apic_write(APIC_ESR, 0);
    apic_write(APIC_ESR, 0);
}

void apic_init_bsp(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);

    x2apic = boot_cpu.x2apic;
    if ( !x2apic )
    {
        paddr_t pa = base & APIC_BASE_ADDR;

        mmio = ioremap(pa, PAGE_SIZE);
        if ( !mmio )
            panic("Cannot map the local APIC at %#lx", (unsigned long)pa);
    }
    legacy_pic_disable();
    set_irq_handler(SPURIOUS_APIC_VECTOR, spurious_interrupt);
    set_irq_handler(ERROR_APIC_VECTOR, error_interrupt);
    apic_enable_this_cpu(true);
    use_tsc_deadline = boot_cpu.tsc_deadline;
    printk("APIC: %s mode, BSP APIC id %u, version %#x, timer %s\n",
           x2apic ? "x2APIC" : "xAPIC", apic_read_id(),
           apic_read(APIC_VERSION) & 0xff,
           use_tsc_deadline ? "TSC-deadline" : "one-shot");
}

void apic_init_ap(void)
{
    apic_enable_this_cpu(false);
}

/* One-shot mode needs the timer's rate: count it down against the TSC. */
void apic_timer_calibrate(void)
{
    uint64_t start;
    uint32_t left;

    if ( use_tsc_deadline )
        return;
    apic_write(APIC_TDCR, TDCR_DIVIDE_1);
    apic_write(APIC_LVT_TIMER, LVT_MASKED | LOCAL_TIMER_VECTOR);
    apic_write(APIC_TMICT, 0xffffffff);
    start = rdtsc();
    while ( rdtsc() - start < ns_to_tsc(10 * 1000000) )
        cpu_relax();
    left = apic_read(APIC_TMCCT);
    apic_write(APIC_TMICT, 0);
    apic_ticks_per_ms = (0xffffffffULL - left) / 10;
    if ( !apic_ticks_per_ms )
        apic_ticks_per_ms = 1;
    printk("APIC timer: %lu kHz\n", (unsigned long)apic_ticks_per_ms);
}

void apic_timer_program(uint64_t deadline)
{
    uint64_t now, ticks;

    /* Kept for the VMX run loop, which arms its preemption timer to it. */
    this_cpu()->lapic_timer_deadline = deadline;
    if ( use_tsc_deadline )
    {
        apic_write(APIC_LVT_TIMER, LVT_TIMER_DEADLINE | LOCAL_TIMER_VECTOR);
        /* The LVT write must be visible before the MSR write (SDM 10.5.4.1). */
        __asm__ __volatile__ ( "mfence" ::: "memory" );
        wrmsr(MSR_TSC_DEADLINE, deadline);
        return;
    }
    apic_write(APIC_LVT_TIMER, LOCAL_TIMER_VECTOR);
    if ( !deadline )
    {
        apic_write(APIC_TMICT, 0);
        return;
    }
    now = rdtsc();
    ticks = 0;
    if ( deadline > now )
    {
        uint64_t us = tsc_to_ns(deadline - now) / 1000;

        /* Beyond ~10 s the count saturates; the timer code re-arms. */
        ticks = us > 10000000 ? ~0ULL : us * apic_ticks_per_ms / 1000;
    }
    if ( ticks < 1 )
        ticks = 1;
    if ( ticks > 0xffffffffULL )
        ticks = 0xffffffffULL;   /* fires early; the timer code re-arms */
    apic_write(APIC_TMICT, ticks);
}

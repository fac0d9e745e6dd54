/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IO-APICs (82093AA datasheet; ACPI MADT for their addresses and for ISA
 * interrupt overrides).  At boot every pin is masked: nothing the
 * hypervisor itself uses is interrupt-driven yet.  io_apic_route_isa_irq()
 * unmasks one ISA interrupt towards a vector, with the polarity and trigger
 * mode ACPI gives for it.
 */
#include <xen/acpi.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/spinlock.h>
#include <asm/io_apic.h>
#include <asm/mm.h>

#define IOREGSEL   0x00
#define IOWIN      0x10
#define IOAPIC_VER 0x01
#define IOAPIC_REDTBL(n) (0x10 + 2 * (n))
#define RTE_MASKED        (1u << 16)
#define RTE_LEVEL         (1u << 15)
#define RTE_ACTIVE_LOW    (1u << 13)
#define INTI_POLARITY_MASK 0x3
#define INTI_POLARITY_LOW  0x3
#define INTI_TRIGGER_MASK  0xc
#define INTI_TRIGGER_LEVEL 0xc

struct io_apic {
    volatile uint32_t *regs;
    uint32_t gsi_base;
    unsigned int nr_pins;
};

static struct io_apic io_apics[ACPI_MAX_IOAPICS];
static unsigned int nr_io_apics;
static DEFINE_SPINLOCK(io_apic_lock);

static uint32_t ioapic_read(const struct io_apic *a, unsigned int reg)
{
    a->regs[IOREGSEL / 4] = reg;
    return a->regs[IOWIN / 4];
}

static void ioapic_write(const struct io_apic *a, unsigned int reg, uint32_t v)
{
    a->regs[IOREGSEL / 4] = reg;
    a->regs[IOWIN / 4] = v;
}

static void write_rte(const struct io_apic *a, unsigned int pin, uint32_t lo,
                      uint32_t hi)
{
    /* Mask first so the entry is never live half-written. */
    ioapic_write(a, IOAPIC_REDTBL(pin), RTE_MASKED);
    ioapic_write(a, IOAPIC_REDTBL(pin) + 1, hi);
    ioapic_write(a, IOAPIC_REDTBL(pin), lo);
}

void io_apic_init(void)
{
    unsigned int i, pin;

    for ( i = 0; i < acpi_info.nr_ioapics; i++ )
    {
        const struct acpi_ioapic *d = &acpi_info.ioapics[i];
        struct io_apic *a = &io_apics[nr_io_apics];

        a->regs = ioremap(d->address, 0x20);
        if ( !a->regs )
        {
            printk(XENLOG_WARNING "IO-APIC %u at %#x cannot be mapped\n", d->id,
                   d->address);
            continue;
        }
        a->gsi_base = d->gsi_base;
        a->nr_pins = ((ioapic_read(a, IOAPIC_VER) >> 16) & 0xff) + 1;
        for ( pin = 0; pin < a->nr_pins; pin++ )
            write_rte(a, pin, RTE_MASKED, 0);
        nr_io_apics++;
        printk("IO-APIC %u: at %#x, GSIs %u-%u, all masked\n", d->id,
               d->address, a->gsi_base, a->gsi_base + a->nr_pins - 1);
    }
}

/* ISA IRQs are identity-mapped to GSIs unless an override says otherwise. */
static unsigned int isa_irq_to_gsi(unsigned int irq, uint16_t *flags)
{
    unsigned int i;

    *flags = 0;
    for ( i = 0; i < acpi_info.nr_overrides; i++ )
        if ( acpi_info.overrides[i].bus_irq == irq )
        {
            *flags = acpi_info.overrides[i].flags;
            return acpi_info.overrides[i].gsi;
        }
    return irq;
}

int io_apic_route_isa_irq(unsigned int isa_irq, uint8_t vector, uint32_t dest)
{
    uint16_t flags;
    unsigned int gsi = isa_irq_to_gsi(isa_irq, &flags), i;
    uint32_t lo = vector;
    unsigned long f;

    if ( isa_irq > 15 || vector < 32 )
        return -EINVAL;
    /* ISA defaults are edge/active-high; overrides may say otherwise. */
    if ( (flags & INTI_POLARITY_MASK) == INTI_POLARITY_LOW )
        lo |= RTE_ACTIVE_LOW;
    if ( (flags & INTI_TRIGGER_MASK) == INTI_TRIGGER_LEVEL )
        lo |= RTE_LEVEL;
    for ( i = 0; i < nr_io_apics; i++ )
    {
        struct io_apic *a = &io_apics[i];

        if ( gsi < a->gsi_base || gsi >= a->gsi_base + a->nr_pins )
            continue;
        f = spin_lock_irqsave(&io_apic_lock);
        write_rte(a, gsi - a->gsi_base, lo, dest << 24);
        spin_unlock_irqrestore(&io_apic_lock, f);
        return 0;
    }
    return -ENOENT;
}

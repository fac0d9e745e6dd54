/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HPET's main counter (IA-PC HPET specification 1.0a, 2.3): a fixed-rate
 * reference the TSC is calibrated against.  Its comparators are unused.
 */
#include <xen/acpi.h>
#include <xen/lib.h>
#include <asm/hpet.h>
#include <asm/mm.h>

#define HPET_CAPABILITIES 0x000
#define HPET_CONFIG       0x010
#define HPET_COUNTER      0x0f0
#define HPET_CFG_ENABLE   1u
#define HPET_MAX_PERIOD_FS 100000000ULL   /* the spec's upper bound: 100 ns */

static volatile uint8_t *hpet;
static uint64_t period_fs;

static uint64_t hpet_read64(unsigned int reg)
{
    return *(volatile uint64_t *)(hpet + reg);
}

static void hpet_write64(unsigned int reg, uint64_t v)
{
    *(volatile uint64_t *)(hpet + reg) = v;
}

bool hpet_init(void)
{
    uint64_t caps;

    if ( !acpi_info.hpet.present )
        return false;
    hpet = ioremap(acpi_info.hpet.address, 0x400);
    if ( !hpet )
        return false;
    caps = hpet_read64(HPET_CAPABILITIES);
    period_fs = caps >> 32;
    if ( !period_fs || period_fs > HPET_MAX_PERIOD_FS )
    {
        printk(XENLOG_WARNING "HPET: bad period %lu fs: not used\n",
               (unsigned long)period_fs);
        hpet = NULL;
        return false;
    }
    hpet_write64(HPET_CONFIG, hpet_read64(HPET_CONFIG) | HPET_CFG_ENABLE);
    printk("HPET: at %#lx, %lu.%03lu MHz\n",
           (unsigned long)acpi_info.hpet.address,
           (unsigned long)(1000000000ULL / period_fs),
           (unsigned long)(1000000000000ULL / period_fs % 1000));
    return true;
}

bool hpet_present(void)
{
    return hpet != NULL;
}

uint64_t hpet_read_counter(void)
{
    return hpet_read64(HPET_COUNTER);
}

uint64_t hpet_period_fs(void)
{
    return period_fs;
}

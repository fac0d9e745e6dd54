/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For tests that link the hypercall table, and so platform_op and
 * physdev_op, without the arch code: a machine of PLATFORM_STUB_CPUS
 * physical CPUs the test can change, a wall clock that records what it was
 * set to, and firmware tables at host addresses (acpi_os_map is the
 * identity).  Include in exactly one file of a test program.
 */
#ifndef PLATFORM_STUBS_H
#define PLATFORM_STUBS_H

#include <xen/acpi.h>
#include <xen/platform.h>
#include <xen/string.h>
#include <asm/time.h>

#define PLATFORM_STUB_CPUS 4

struct acpi_info acpi_info;

struct pcpu_desc stub_pcpu[PLATFORM_STUB_CPUS];
bool stub_pcpu_present[PLATFORM_STUB_CPUS];
uint64_t stub_wallclock_sec;
uint32_t stub_wallclock_nsec;
unsigned int stub_wallclock_sets;

bool pcpu_describe(unsigned int cpu, struct pcpu_desc *out)
{
    if ( cpu >= PLATFORM_STUB_CPUS || !stub_pcpu_present[cpu] )
        return false;
    *out = stub_pcpu[cpu];
    return true;
}

unsigned int pcpu_max_present(void)
{
    unsigned int cpu = PLATFORM_STUB_CPUS;

    while ( --cpu && !stub_pcpu_present[cpu] )
        ;
    return cpu;
}

void pcpu_identity(struct pcpu_identity *out)
{
    memcpy(out->vendor_id, "AuthenticAMD", 12);
    out->family = 0x19;
    out->model = 0x21;
    out->stepping = 2;
}

void time_set_wallclock(uint64_t sec, uint32_t nsec)
{
    stub_wallclock_sec = sec;
    stub_wallclock_nsec = nsec;
    stub_wallclock_sets++;
}

void *acpi_os_map(paddr_t pa, size_t len)
{
    (void)len;
    return (void *)(uintptr_t)pa;
}

void acpi_os_unmap(void *va, size_t len)
{
    (void)va;
    (void)len;
}

#endif

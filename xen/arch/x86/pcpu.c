/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The physical CPUs as the platform hypercall reports them: a number has
 * a CPU behind it once smpboot gave that CPU a per-CPU area (a CPU that
 * never answered its startup IPI loses it), the APIC id is the one it
 * booted with, and the ACPI id is the UID the MADT lists for that APIC.
 */
#include <xen/acpi.h>
#include <xen/platform.h>
#include <xen/string.h>
#include <asm/percpu.h>
#include <asm/processor.h>

static uint32_t acpi_id_of_apic(uint32_t apic_id)
{
    unsigned int i;

    for ( i = 0; i < acpi_info.nr_lapics; i++ )
        if ( acpi_info.lapics[i].apic_id == apic_id )
            return acpi_info.lapics[i].acpi_uid;
    return PCPU_ACPI_ID_NONE;
}

bool pcpu_describe(unsigned int cpu, struct pcpu_desc *out)
{
    const struct percpu *pc;

    if ( cpu >= NR_CPUS || !(pc = percpu_of[cpu]) )
        return false;
    out->apic_id = pc->apic_id;
    out->acpi_id = acpi_id_of_apic(pc->apic_id);
    out->online = pc->online;
    return true;
}

unsigned int pcpu_max_present(void)
{
    unsigned int cpu = NR_CPUS;

    while ( --cpu )
        if ( percpu_of[cpu] )
            break;
    return cpu;
}

/*
 * Family and model from CPUID leaf 1 (Intel SDM vol. 2A, CPUID): the
 * extended family counts only when the base family is 0xf; the extended
 * model is added for every family from 6 up, as Xen reports it.
 */
void pcpu_identity(struct pcpu_identity *out)
{
    struct cpuid_regs r;
    uint32_t family, model;

    cpuid(0, &r);
    memcpy(out->vendor_id, &r.b, 4);
    memcpy(out->vendor_id + 4, &r.d, 4);
    memcpy(out->vendor_id + 8, &r.c, 4);
    cpuid(1, &r);
    family = (r.a >> 8) & 0xf;
    model = (r.a >> 4) & 0xf;
    if ( family == 0xf )
        family += (r.a >> 20) & 0xff;
    if ( family >= 6 )
        model |= ((r.a >> 16) & 0xf) << 4;
    out->family = family;
    out->model = model;
    out->stepping = r.a & 0xf;
}

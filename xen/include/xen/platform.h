/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the platform hypercalls (platform_op, physdev_op) need from the
 * rest of the hypervisor, and what they offer it: the physical CPUs as
 * XENPF_get_cpuinfo reports them (arch/x86/pcpu.c), the writer of the wall
 * clock every guest reads from its shared_info page, and the PCI functions
 * dom0 has reported.
 */
#ifndef XEN_PLATFORM_H
#define XEN_PLATFORM_H

#include <xen/types.h>

struct shared_info;

#define PCPU_ACPI_ID_NONE 0xffffffffu   /* not in the MADT */

struct pcpu_desc {
    uint32_t apic_id;
    uint32_t acpi_id;           /* the MADT's processor UID, or _NONE */
    bool online;
};

/* Physical CPU `cpu` (0 = boot CPU): false if no CPU has that number. */
bool pcpu_describe(unsigned int cpu, struct pcpu_desc *out);
/* The highest number that has a CPU behind it. */
unsigned int pcpu_max_present(void);

struct pcpu_identity {
    char vendor_id[12];         /* CPUID leaf 0: EBX, EDX, ECX */
    uint32_t family, model, stepping;
};
/* The CPUID identity of the physical CPUs (one model per machine). */
void pcpu_identity(struct pcpu_identity *out);

/*
 * Write "the wall clock read sec.nsec at system time 0" into one guest's
 * shared_info, bracketed by wc_version going odd then even, so a reader
 * that sees the same even version before and after has a consistent pair.
 */
void shared_info_set_wallclock(struct shared_info *s, uint64_t sec,
                               uint32_t nsec);

/* Has the hardware domain reported this PCI function (and not removed it)? */
bool physdev_pci_reported(uint16_t seg, uint8_t bus, uint8_t devfn);

#endif /* XEN_PLATFORM_H */

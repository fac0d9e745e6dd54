/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the hypervisor takes from the ACPI tables (ACPI spec 6.x): the CPUs
 * and interrupt controllers (MADT, 5.2.12), the power-management and reset
 * registers (FADT, 5.2.9), the S5 sleep type for power-off (DSDT \_S5,
 * 7.4.2), and the HPET (IA-PC HPET spec, 3.2.4).
 */
#ifndef XEN_ACPI_H
#define XEN_ACPI_H

#include <xen/types.h>

#define ACPI_MAX_LAPICS   256
#define ACPI_MAX_IOAPICS  8
#define ACPI_MAX_OVERRIDES 16
#define ACPI_MAX_TABLES   32

/* Generic Address Structure (5.2.3.2). */
#define ACPI_GAS_SPACE_MEMORY 0
#define ACPI_GAS_SPACE_IO     1
struct acpi_gas {
    uint8_t space_id;
    uint8_t bit_width;
    uint8_t bit_offset;
    uint8_t access_size;
    uint64_t address;       /* 0: register not present */
};

struct acpi_lapic {
    uint32_t apic_id;
    uint32_t acpi_uid;
    bool enabled;           /* usable now ("online capable" is not enough) */
};

struct acpi_ioapic {
    uint8_t id;
    uint32_t address;
    uint32_t gsi_base;
};

struct acpi_override {
    uint8_t bus_irq;
    uint32_t gsi;
    uint16_t flags;         /* MPS INTI flags: polarity bits 0-1, trigger 2-3 */
};

struct acpi_fadt_info {
    bool present;
    bool hw_reduced;
    bool reset_supported;
    struct acpi_gas pm1a_cnt, pm1b_cnt;
    struct acpi_gas reset_reg;
    uint8_t reset_value;
    struct acpi_gas sleep_control;
    uint16_t sci_irq;
    uint16_t boot_arch;     /* IAPC_BOOT_ARCH */
    uint64_t dsdt;
};

struct acpi_table_ref {
    char signature[5];
    paddr_t address;
};

struct acpi_info {
    paddr_t rsdp_pa;        /* 0 if only the bootloader's copy was seen */
    struct acpi_table_ref tables[ACPI_MAX_TABLES];
    unsigned int nr_tables;

    bool madt_present;
    paddr_t lapic_address;
    bool pcat_compat;       /* dual 8259s present */
    struct acpi_lapic lapics[ACPI_MAX_LAPICS];
    unsigned int nr_lapics;
    struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
    unsigned int nr_ioapics;
    struct acpi_override overrides[ACPI_MAX_OVERRIDES];
    unsigned int nr_overrides;

    struct acpi_fadt_info fadt;

    struct {
        bool present;
        uint8_t slp_typ_a, slp_typ_b;
    } s5;

    struct {
        bool present;
        paddr_t address;
        uint8_t number;
        uint16_t min_tick;
    } hpet;
};

extern struct acpi_info acpi_info;

/*
 * Parse the tables reachable from the RSDP copy the bootloader gave
 * (rsdp_len 20 or 36).  0, or -errno if no usable root table was found.
 * Individual bad tables are reported and skipped.
 */
int acpi_tables_init(const void *rsdp, size_t rsdp_len);
void acpi_print_summary(void);

/* Provided by the arch (or the unit test): map/unmap firmware memory. */
void *acpi_os_map(paddr_t pa, size_t len);
void acpi_os_unmap(void *va, size_t len);

/* The AML scan for \_S5, exposed for unit tests. */
bool acpi_find_s5(const uint8_t *aml, size_t len, uint8_t *typ_a, uint8_t *typ_b);

#endif /* XEN_ACPI_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MultiProcessor table (Intel MP spec 1.4) a PVH guest finds in its
 * BIOS area.  Without it, or an ACPI MADT, Linux runs in "virtual wire,
 * no configuration" mode, never sets up a per-CPU clock event device
 * and so has no timer at all.  The table names each vCPU's local APIC
 * (id vcpu * 2, as the hypervisor's virtual APIC reports it); there is no
 * I/O APIC because the guest has no devices.  The hypervisor writes the
 * same table for the domains it builds at boot.
 */
#include <errno.h>
#include <string.h>

#include "guest_priv.h"

#define LAPIC_BASE 0xfee00000u

struct __attribute__((packed)) mp_floating {
    char sig[4];
    uint32_t config_pa;
    uint8_t length, spec_rev, checksum, features[5];
};

struct __attribute__((packed)) mp_config {
    char sig[4];
    uint16_t length;
    uint8_t spec_rev, checksum;
    char oem[8], product[12];
    uint32_t oem_table;
    uint16_t oem_size, entries;
    uint32_t lapic_pa;
    uint16_t ext_length;
    uint8_t ext_checksum, reserved;
};

struct __attribute__((packed)) mp_cpu {
    uint8_t type, lapic_id, lapic_version, flags;
    uint32_t signature, features, reserved[2];
};

_Static_assert(sizeof(struct mp_floating) == 16, "MP floating pointer is 16 bytes");
_Static_assert(sizeof(struct mp_config) == 44, "MP config header is 44 bytes");
_Static_assert(sizeof(struct mp_cpu) == 20, "MP processor entry is 20 bytes");

/* Every byte of a structure, checksum included, sums to zero. */
static uint8_t checksum(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t sum = 0;

    while ( len-- )
        sum += *b++;
    return (uint8_t)-sum;
}

size_t pvh_mptable_size(unsigned int vcpus)
{
    return sizeof(struct mp_floating) + sizeof(struct mp_config) +
           (size_t)vcpus * sizeof(struct mp_cpu);
}

int pvh_write_mptable(uint8_t *buf, size_t len, uint32_t table_paddr, unsigned int vcpus)
{
    struct mp_floating *mpf = (void *)buf;
    struct mp_config *cfg = (void *)(mpf + 1);
    struct mp_cpu *cpu = (void *)(cfg + 1);
    unsigned int i;

    /* APIC ids are a byte: vCPU 127 has id 254, the last usable. */
    if ( !vcpus || vcpus > MAX_VCPUS || len < pvh_mptable_size(vcpus) )
        return -EINVAL;
    memset(buf, 0, pvh_mptable_size(vcpus));
    memcpy(cfg->sig, "PCMP", 4);
    cfg->spec_rev = 4;
    memcpy(cfg->oem, "TONNERRE", 8);
    memcpy(cfg->product, "PVH DOMAIN  ", 12);
    cfg->lapic_pa = LAPIC_BASE;
    cfg->entries = (uint16_t)vcpus;
    for ( i = 0; i < vcpus; i++ )
    {
        cpu[i].type = 0;                        /* processor */
        cpu[i].lapic_id = (uint8_t)(i * 2);
        cpu[i].lapic_version = 0x14;
        cpu[i].flags = 1 | (i == 0 ? 2 : 0);    /* enabled; the BSP */
    }
    cfg->length = (uint16_t)(sizeof(*cfg) + vcpus * sizeof(*cpu));
    cfg->checksum = checksum(cfg, cfg->length);
    memcpy(mpf->sig, "_MP_", 4);
    mpf->config_pa = table_paddr + (uint32_t)sizeof(*mpf);
    mpf->length = 1;                            /* in 16-byte units */
    mpf->spec_rev = 4;
    mpf->checksum = checksum(mpf, sizeof(*mpf));
    return 0;
}

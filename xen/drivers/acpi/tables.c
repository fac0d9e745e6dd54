/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ACPI table discovery and parsing.
 *
 * Firmware tables are input we do not control: every table's length and
 * checksum are checked before its body is read, every sub-structure must lie
 * inside its table, and a bad table is reported and skipped, never trusted.
 * Section numbers refer to the ACPI 6.x specification.
 */
#include <xen/acpi.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/string.h>

#define SDT_HEADER_LEN   36
#define SDT_MAX_LEN      (1u << 20)      /* far beyond any real table but the DSDT */
#define DSDT_MAX_LEN     (16u << 20)
#define RSDP_V1_LEN      20
#define RSDP_V2_LEN      36

#define MADT_LAPIC          0
#define MADT_IOAPIC         1
#define MADT_OVERRIDE       2
#define MADT_LAPIC_OVERRIDE 5
#define MADT_X2APIC         9
#define MADT_FLAG_PCAT      1u
#define LAPIC_ENABLED       1u

#define FADT_RESET_REG_SUP  (1u << 10)
#define FADT_HW_REDUCED     (1u << 20)

struct acpi_info acpi_info;

static uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

static bool checksum_ok(const uint8_t *p, size_t len)
{
    uint8_t sum = 0;

    while ( len-- )
        sum += *p++;
    return sum == 0;
}

/*
 * Map a whole table after checking its header: the length must hold a
 * header and stay below `max`, and the bytes must sum to zero (5.2.6).
 * Returns NULL (reported) for a bad table.  *len_out gets its length.
 */
static const uint8_t *map_table(paddr_t pa, uint32_t max, uint32_t *len_out)
{
    const uint8_t *h = acpi_os_map(pa, SDT_HEADER_LEN);
    const uint8_t *t;
    char sig[5] = "????";
    uint32_t len;

    if ( !h )
    {
        printk(XENLOG_WARNING "ACPI: table at %#lx cannot be mapped\n",
               (unsigned long)pa);
        return NULL;
    }
    memcpy(sig, h, 4);
    len = rd32(h + 4);
    acpi_os_unmap((void *)h, SDT_HEADER_LEN);
    if ( len < SDT_HEADER_LEN || len > max )
    {
        printk(XENLOG_WARNING "ACPI: %s at %#lx has bad length %u: ignored\n",
               sig, (unsigned long)pa, len);
        return NULL;
    }
    t = acpi_os_map(pa, len);
    if ( !t )
    {
        printk(XENLOG_WARNING "ACPI: %s at %#lx (%u bytes) cannot be mapped\n",
               sig, (unsigned long)pa, len);
        return NULL;
    }
    if ( !checksum_ok(t, len) )
    {
        printk(XENLOG_WARNING "ACPI: %s at %#lx has a bad checksum: ignored\n",
               sig, (unsigned long)pa);
        acpi_os_unmap((void *)t, len);
        return NULL;
    }
    *len_out = len;
    return t;
}

static void record_table(const uint8_t *t, paddr_t pa)
{
    struct acpi_table_ref *r;

    if ( acpi_info.nr_tables == ACPI_MAX_TABLES )
        return;
    r = &acpi_info.tables[acpi_info.nr_tables++];
    memcpy(r->signature, t, 4);
    r->signature[4] = '\0';
    r->address = pa;
}

static void add_lapic(uint32_t apic_id, uint32_t uid, uint32_t flags)
{
    struct acpi_lapic *l;

    if ( acpi_info.nr_lapics == ACPI_MAX_LAPICS )
    {
        printk(XENLOG_WARNING "ACPI: more than %u CPUs in the MADT: APIC id %u ignored\n",
               ACPI_MAX_LAPICS, apic_id);
        return;
    }
    l = &acpi_info.lapics[acpi_info.nr_lapics++];
    l->apic_id = apic_id;
    l->acpi_uid = uid;
    l->enabled = flags & LAPIC_ENABLED;
}

static void add_ioapic(const uint8_t *e)
{
    struct acpi_ioapic *io;

    if ( acpi_info.nr_ioapics == ACPI_MAX_IOAPICS )
    {
        printk(XENLOG_WARNING "ACPI: more than %u IO-APICs: ignored\n",
               ACPI_MAX_IOAPICS);
        return;
    }
    io = &acpi_info.ioapics[acpi_info.nr_ioapics++];
    io->id = e[2];
    io->address = rd32(e + 4);
    io->gsi_base = rd32(e + 8);
}

static void add_override(const uint8_t *e)
{
    struct acpi_override *o;

    if ( acpi_info.nr_overrides == ACPI_MAX_OVERRIDES )
    {
        printk(XENLOG_WARNING "ACPI: more than %u interrupt overrides: ignored\n",
               ACPI_MAX_OVERRIDES);
        return;
    }
    o = &acpi_info.overrides[acpi_info.nr_overrides++];
    o->bus_irq = e[3];
    o->gsi = rd32(e + 4);
    o->flags = rd16(e + 8);
}

/* Minimum length of each MADT entry type we read (5.2.12.x). */
static unsigned int madt_entry_min_len(uint8_t type)
{
    switch ( type )
    {
    case MADT_LAPIC: return 8;
    case MADT_IOAPIC: return 12;
    case MADT_OVERRIDE: return 10;
    case MADT_LAPIC_OVERRIDE: return 12;
    case MADT_X2APIC: return 16;
    default: return 2;
    }
}

static void parse_madt(const uint8_t *t, uint32_t len)
{
    uint32_t off;

    if ( len < 44 )
    {
        printk(XENLOG_WARNING "ACPI: MADT too short: ignored\n");
        return;
    }
    acpi_info.madt_present = true;
    acpi_info.lapic_address = rd32(t + 36);
    acpi_info.pcat_compat = rd32(t + 40) & MADT_FLAG_PCAT;

    for ( off = 44; off + 2 <= len; off += t[off + 1] )
    {
        const uint8_t *e = t + off;
        uint8_t type = e[0], elen = e[1];

        if ( elen < madt_entry_min_len(type) || off + elen > len )
        {
            printk(XENLOG_WARNING "ACPI: MADT entry type %u at offset %u has bad "
                   "length %u: rest of MADT ignored\n", type, off, elen);
            return;
        }
        switch ( type )
        {
        case MADT_LAPIC:
            add_lapic(e[3], e[2], rd32(e + 4));
            break;
        case MADT_X2APIC:
            add_lapic(rd32(e + 4), rd32(e + 12), rd32(e + 8));
            break;
        case MADT_IOAPIC:
            add_ioapic(e);
            break;
        case MADT_OVERRIDE:
            add_override(e);
            break;
        case MADT_LAPIC_OVERRIDE:
            acpi_info.lapic_address = rd64(e + 4);
            break;
        }
    }
}

static void read_gas(const uint8_t *p, struct acpi_gas *g)
{
    g->space_id = p[0];
    g->bit_width = p[1];
    g->bit_offset = p[2];
    g->access_size = p[3];
    g->address = rd64(p + 4);
}

/* A 32-bit port block from the ACPI 1.0 part of the FADT, as a GAS. */
static void port_gas(uint32_t port, uint8_t bits, struct acpi_gas *g)
{
    *g = (struct acpi_gas){ .space_id = ACPI_GAS_SPACE_IO, .bit_width = bits,
                            .address = port };
}

/* The X_ field wins when the table is long enough and it is filled in. */
static void pick_gas(const uint8_t *t, uint32_t len, uint32_t x_off,
                     uint32_t legacy_off, struct acpi_gas *g)
{
    if ( len >= x_off + 12 && rd64(t + x_off + 4) )
        read_gas(t + x_off, g);
    else if ( len >= legacy_off + 4 && rd32(t + legacy_off) )
        port_gas(rd32(t + legacy_off), 16, g);
}

static void parse_fadt(const uint8_t *t, uint32_t len)
{
    struct acpi_fadt_info *f = &acpi_info.fadt;
    uint32_t flags;

    if ( len < 116 )
    {
        printk(XENLOG_WARNING "ACPI: FADT too short (%u): ignored\n", len);
        return;
    }
    f->present = true;
    f->dsdt = rd32(t + 40);
    f->sci_irq = rd16(t + 46);
    f->boot_arch = rd16(t + 109);
    flags = rd32(t + 112);
    f->hw_reduced = flags & FADT_HW_REDUCED;
    pick_gas(t, len, 172, 64, &f->pm1a_cnt);
    pick_gas(t, len, 184, 68, &f->pm1b_cnt);
    if ( len >= 129 )
    {
        read_gas(t + 116, &f->reset_reg);
        f->reset_value = t[128];
        f->reset_supported = (flags & FADT_RESET_REG_SUP) && f->reset_reg.address;
    }
    if ( len >= 148 && rd64(t + 140) )
        f->dsdt = rd64(t + 140);
    if ( len >= 256 )
        read_gas(t + 244, &f->sleep_control);
}

/* AML PkgLength (ACPI 20.2.4): 1 to 4 bytes.  Returns bytes used, 0 if bad. */
static size_t aml_pkg_length(const uint8_t *p, size_t avail, uint32_t *out)
{
    size_t n, i;
    uint32_t v;

    /*
     * The lead byte gives the length, so it must be checked for before it
     * is read: a table may end right after the PackageOp.
     */
    if ( !avail )
        return 0;
    n = (p[0] >> 6) + 1;
    if ( n > avail )
        return 0;
    if ( n == 1 )
    {
        *out = p[0] & 0x3f;
        return 1;
    }
    v = p[0] & 0x0f;
    for ( i = 1; i < n; i++ )
        v |= (uint32_t)p[i] << (4 + 8 * (i - 1));
    *out = v;
    return n;
}

/* One integer element: ZeroOp, OneOp, Byte/Word/DWordPrefix.  0 if bad. */
static size_t aml_integer(const uint8_t *p, size_t avail, uint8_t *out)
{
    if ( !avail )
        return 0;
    switch ( p[0] )
    {
    case 0x00: *out = 0; return 1;
    case 0x01: *out = 1; return 1;
    case 0x0a: if ( avail < 2 ) return 0; *out = p[1]; return 2;
    case 0x0b: if ( avail < 3 ) return 0; *out = p[1]; return 3;
    case 0x0c: if ( avail < 5 ) return 0; *out = p[1]; return 5;
    default: return 0;
    }
}

/*
 * Find `Name(_S5, Package(){ SLP_TYPa, SLP_TYPb, ... })` in the AML: the
 * bytes NameOp (0x08), optional root prefix '\', "_S5_", PackageOp (0x12),
 * PkgLength, NumElements, elements.  A scan, not an interpreter: enough for
 * the fixed shape firmware uses for \_S5 (7.4.2).
 */
bool acpi_find_s5(const uint8_t *aml, size_t len, uint8_t *typ_a, uint8_t *typ_b)
{
    size_t i;

    for ( i = 1; i + 4 <= len; i++ )
    {
        const uint8_t *p = aml + i + 4;
        size_t avail = len - i - 4, n;
        uint32_t pkglen;

        if ( memcmp(aml + i, "_S5_", 4) )
            continue;
        if ( aml[i - 1] != 0x08 && !(aml[i - 1] == '\\' && i >= 2 && aml[i - 2] == 0x08) )
            continue;
        if ( avail < 1 || p[0] != 0x12 )
            continue;
        p++, avail--;
        if ( !(n = aml_pkg_length(p, avail, &pkglen)) )
            continue;
        p += n, avail -= n;
        if ( avail < 1 || p[0] < 2 )   /* NumElements */
            continue;
        p++, avail--;
        if ( !(n = aml_integer(p, avail, typ_a)) )
            continue;
        p += n, avail -= n;
        if ( !aml_integer(p, avail, typ_b) )
            continue;
        return true;
    }
    return false;
}

static void parse_dsdt(paddr_t pa)
{
    uint32_t len;
    const uint8_t *t = map_table(pa, DSDT_MAX_LEN, &len);

    if ( !t )
        return;
    record_table(t, pa);
    acpi_info.s5.present = acpi_find_s5(t + SDT_HEADER_LEN, len - SDT_HEADER_LEN,
                                        &acpi_info.s5.slp_typ_a,
                                        &acpi_info.s5.slp_typ_b);
    acpi_os_unmap((void *)t, len);
}

static void parse_hpet(const uint8_t *t, uint32_t len)
{
    struct acpi_gas base;

    if ( len < 56 )
    {
        printk(XENLOG_WARNING "ACPI: HPET table too short: ignored\n");
        return;
    }
    read_gas(t + 40, &base);
    if ( base.space_id != ACPI_GAS_SPACE_MEMORY || !base.address )
    {
        printk(XENLOG_WARNING "ACPI: HPET not in memory space: ignored\n");
        return;
    }
    acpi_info.hpet.present = true;
    acpi_info.hpet.address = base.address;
    acpi_info.hpet.number = t[52];
    acpi_info.hpet.min_tick = rd16(t + 53);
}

static void parse_table(paddr_t pa)
{
    uint32_t len;
    const uint8_t *t = map_table(pa, SDT_MAX_LEN, &len);

    if ( !t )
        return;
    record_table(t, pa);
    if ( !memcmp(t, "APIC", 4) )
        parse_madt(t, len);
    else if ( !memcmp(t, "FACP", 4) )
        parse_fadt(t, len);
    else if ( !memcmp(t, "HPET", 4) )
        parse_hpet(t, len);
    acpi_os_unmap((void *)t, len);
}

/* Walk an RSDT (4-byte entries) or XSDT (8-byte entries). */
static int parse_root(paddr_t pa, unsigned int entry_size)
{
    uint32_t len, off;
    const uint8_t *t = map_table(pa, SDT_MAX_LEN, &len);

    if ( !t )
        return -EINVAL;
    if ( memcmp(t, entry_size == 8 ? "XSDT" : "RSDT", 4) )
    {
        printk(XENLOG_WARNING "ACPI: root table at %#lx has the wrong signature\n",
               (unsigned long)pa);
        acpi_os_unmap((void *)t, len);
        return -EINVAL;
    }
    record_table(t, pa);
    if ( (len - SDT_HEADER_LEN) % entry_size )
        printk(XENLOG_WARNING "ACPI: root table length %u is not a whole number "
               "of entries: trailing bytes ignored\n", len);
    for ( off = SDT_HEADER_LEN; off + entry_size <= len; off += entry_size )
    {
        paddr_t entry = entry_size == 8 ? rd64(t + off) : rd32(t + off);

        if ( entry )
            parse_table(entry);
    }
    acpi_os_unmap((void *)t, len);
    if ( acpi_info.fadt.present && acpi_info.fadt.dsdt )
        parse_dsdt(acpi_info.fadt.dsdt);
    return 0;
}

int acpi_tables_init(const void *rsdp_copy, size_t rsdp_len)
{
    const uint8_t *r = rsdp_copy;

    memset(&acpi_info, 0, sizeof(acpi_info));
    if ( !r || rsdp_len < RSDP_V1_LEN )
        return -ENOENT;
    if ( memcmp(r, "RSD PTR ", 8) || !checksum_ok(r, RSDP_V1_LEN) )
    {
        printk(XENLOG_WARNING "ACPI: RSDP signature or checksum wrong\n");
        return -EINVAL;
    }
    /* ACPI 2.0+: the extended checksum covers all 36 bytes (5.2.5.3). */
    if ( r[15] >= 2 && rsdp_len >= RSDP_V2_LEN && rd32(r + 20) >= RSDP_V2_LEN &&
         checksum_ok(r, RSDP_V2_LEN) && rd64(r + 24) &&
         !parse_root(rd64(r + 24), 8) )
        return 0;
    if ( rd32(r + 16) && !parse_root(rd32(r + 16), 4) )
        return 0;
    printk(XENLOG_WARNING "ACPI: no usable RSDT or XSDT\n");
    return -EINVAL;
}

void acpi_print_summary(void)
{
    char line[ACPI_MAX_TABLES * 5 + 1];
    unsigned int i, n = 0;

    for ( i = 0; i < acpi_info.nr_tables; i++ )
        n += snprintf(line + n, sizeof(line) - n, " %s",
                      acpi_info.tables[i].signature);
    line[n] = '\0';
    printk("ACPI tables:%s\n", line);
    printk("ACPI: %u local APICs, %u IO-APICs, %u overrides; HPET %s; "
           "power-off %s; reset register %s\n",
           acpi_info.nr_lapics, acpi_info.nr_ioapics, acpi_info.nr_overrides,
           acpi_info.hpet.present ? "yes" : "no",
           acpi_info.s5.present ? "via \\_S5" : "unavailable",
           acpi_info.fadt.reset_supported ? "yes" : "no");
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * __HYPERVISOR_physdev_op for PVH domains, answered as Xen 4.17 answers
 * an HVM/PVH caller (hvm_physdev_op, then do_physdev_op):
 *
 *  - the PIRQ commands (map/unmap_pirq, eoi, irq_status_query,
 *    get_free_pirq) need the emulated-PIRQ feature, which no PVH domain
 *    has (XENFEAT_hvm_pirqs is not offered): -ENOSYS, and Linux keeps
 *    using its own local APIC, I/O APIC and MSIs;
 *  - the hardware domain reports what its PCI scan found: MMCONFIG windows
 *    (pci_mmcfg_reserved), devices coming and going (pci_device_add /
 *    _remove), and EHCI resets (dbgp_op); any other domain gets -ENOSYS;
 *  - every other command is -ENOSYS, for everyone.
 *
 * Tonnerre does no passthrough yet, so nothing acts on what dom0 reports;
 * the answers are Xen's, so Linux logs no "Failed to add" per device and
 * no MMCONFIG warning, and a later passthrough finds the list kept here.
 */
#include <xen/acpi.h>
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/platform.h>
#include <xen/spinlock.h>
#include <xen/string.h>
#include <public/physdev.h>

/* Tonnerre's dom0 is both the control and the hardware domain. */
static bool is_hardware_domain(const struct hypercall_ctx *ctx)
{
    return ctx->privileged;
}

/* ---- PCI functions the hardware domain has reported ---- */

#define PCI_REPORTED_MAX 512        /* a large server; then -ENOMEM */

struct pci_sbdf {
    uint16_t seg;
    uint8_t bus, devfn;
};

static struct pci_sbdf pci_reported[PCI_REPORTED_MAX];
static unsigned int nr_pci_reported;
static DEFINE_SPINLOCK(pci_reported_lock);

static int pci_find_locked(uint16_t seg, uint8_t bus, uint8_t devfn)
{
    unsigned int i;

    for ( i = 0; i < nr_pci_reported; i++ )
        if ( pci_reported[i].seg == seg && pci_reported[i].bus == bus &&
             pci_reported[i].devfn == devfn )
            return i;
    return -1;
}

/* Adding a function already known is not an error, as in Xen. */
static int pci_record_locked(uint16_t seg, uint8_t bus, uint8_t devfn)
{
    if ( pci_find_locked(seg, bus, devfn) >= 0 )
        return 0;
    if ( nr_pci_reported == PCI_REPORTED_MAX )
        return -ENOMEM;
    pci_reported[nr_pci_reported++] = (struct pci_sbdf){ seg, bus, devfn };
    return 0;
}

static int pci_forget(uint16_t seg, uint8_t bus, uint8_t devfn)
{
    int i, rc = -ENODEV;

    spin_lock(&pci_reported_lock);
    if ( (i = pci_find_locked(seg, bus, devfn)) >= 0 )
    {
        pci_reported[i] = pci_reported[--nr_pci_reported];
        rc = 0;
    }
    spin_unlock(&pci_reported_lock);
    return rc;
}

bool physdev_pci_reported(uint16_t seg, uint8_t bus, uint8_t devfn)
{
    bool found;

    spin_lock(&pci_reported_lock);
    found = pci_find_locked(seg, bus, devfn) >= 0;
    spin_unlock(&pci_reported_lock);
    return found;
}

/*
 * A virtual function's physical function is recorded too (Xen adds it if
 * it did not know it).  With XEN_PCI_DEV_PXM one more uint32_t follows
 * the structure; Xen reads it (-EFAULT if it cannot), Tonnerre has one
 * NUMA node so only checks it is there.
 */
static long pci_device_add(struct hypercall_ctx *ctx, uint64_t arg)
{
    struct physdev_pci_device_add add;
    uint32_t pxm;
    int rc = 0;

    if ( copy_from_guest(ctx, &add, arg, sizeof(add)) )
        return -EFAULT;
    if ( (add.flags & XEN_PCI_DEV_PXM) &&
         copy_from_guest(ctx, &pxm, arg + sizeof(add), sizeof(pxm)) )
        return -EFAULT;

    spin_lock(&pci_reported_lock);
    if ( add.flags & XEN_PCI_DEV_VIRTFN )
        rc = pci_record_locked(add.seg, add.physfn.bus, add.physfn.devfn);
    if ( !rc )
        rc = pci_record_locked(add.seg, add.bus, add.devfn);
    spin_unlock(&pci_reported_lock);
    return rc;
}

static long pci_device_remove(struct hypercall_ctx *ctx, uint64_t arg)
{
    struct physdev_pci_device dev;

    if ( copy_from_guest(ctx, &dev, arg, sizeof(dev)) )
        return -EFAULT;
    return pci_forget(dev.seg, dev.bus, dev.devfn);
}

/* ---- MMCONFIG windows, as the firmware's MCFG table lists them ---- */

#define MCFG_MAX           16
#define MCFG_HEADER_LEN    44       /* ACPI header (36) + 8 reserved */
#define MCFG_ENTRY_LEN     16       /* base 0, segment 8, buses 10-11 */

struct mcfg_window {
    uint64_t address;
    uint16_t segment;
    uint8_t start_bus, end_bus;
};

static struct mcfg_window mcfg[MCFG_MAX];
static unsigned int nr_mcfg;
static bool mcfg_read;

static uint64_t get_le(const uint8_t *p, unsigned int bytes)
{
    uint64_t v = 0;

    while ( bytes-- )
        v = v << 8 | p[bytes];
    return v;
}

static paddr_t mcfg_table_address(void)
{
    unsigned int i;

    for ( i = 0; i < acpi_info.nr_tables; i++ )
        if ( !memcmp(acpi_info.tables[i].signature, "MCFG", 4) )
            return acpi_info.tables[i].address;
    return 0;
}

/*
 * Read the MCFG once, at the first report (the hypervisor itself never
 * uses MMCONFIG), keeping the first MCFG_MAX windows.  Only whole entries
 * inside the length the table claims are read.
 */
static void mcfg_load_locked(void)
{
    paddr_t pa = mcfg_table_address();
    const uint8_t *hdr, *t;
    uint32_t len;
    unsigned int off;

    mcfg_read = true;
    if ( !pa || !(hdr = acpi_os_map(pa, MCFG_HEADER_LEN)) )
        return;
    len = get_le(hdr + 4, 4);
    acpi_os_unmap((void *)hdr, MCFG_HEADER_LEN);
    if ( len > MCFG_HEADER_LEN + MCFG_MAX * MCFG_ENTRY_LEN )
        len = MCFG_HEADER_LEN + MCFG_MAX * MCFG_ENTRY_LEN;
    if ( len < MCFG_HEADER_LEN || !(t = acpi_os_map(pa, len)) )
        return;
    for ( off = MCFG_HEADER_LEN; off + MCFG_ENTRY_LEN <= len; off += MCFG_ENTRY_LEN )
        mcfg[nr_mcfg++] = (struct mcfg_window){
            .address = get_le(t + off, 8), .segment = get_le(t + off + 8, 2),
            .start_bus = t[off + 10], .end_bus = t[off + 11],
        };
    acpi_os_unmap((void *)t, len);
}

/*
 * Xen's answer (pci_mmcfg_reserved): unknown flags -EINVAL; a window the
 * MCFG does not list (same segment and bus range) -ENODEV; listed at
 * another address -EIO; else 0.
 */
static long pci_mmcfg_reserved(struct hypercall_ctx *ctx, uint64_t arg)
{
    static DEFINE_SPINLOCK(mcfg_lock);
    struct physdev_pci_mmcfg_reserved r;
    long rc = -ENODEV;
    unsigned int i;

    if ( copy_from_guest(ctx, &r, arg, sizeof(r)) )
        return -EFAULT;
    if ( r.flags & ~XEN_PCI_MMCFG_RESERVED )
        return -EINVAL;

    spin_lock(&mcfg_lock);
    if ( !mcfg_read )
        mcfg_load_locked();
    for ( i = 0; i < nr_mcfg; i++ )
        if ( mcfg[i].segment == r.segment && mcfg[i].start_bus == r.start_bus &&
             mcfg[i].end_bus == r.end_bus )
        {
            rc = mcfg[i].address == r.address ? 0 : -EIO;
            break;
        }
    spin_unlock(&mcfg_lock);
    return rc;
}

/*
 * No EHCI debug port is in use, and then Xen's dbgp_op says 0 to any
 * request: the controller is dom0's to reset.
 */
static long dbgp_op(struct hypercall_ctx *ctx, uint64_t arg)
{
    struct physdev_dbgp_op op;

    return copy_from_guest(ctx, &op, arg, sizeof(op)) ? -EFAULT : 0;
}

long do_physdev_op(struct hypercall_ctx *ctx, const uint64_t *args)
{
    /* Xen's cmd is an int: the upper half of the register is not looked at. */
    uint32_t cmd = (uint32_t)args[0];
    uint64_t arg = args[1];

    switch ( cmd )
    {
    case PHYSDEVOP_pci_mmcfg_reserved:
    case PHYSDEVOP_pci_device_add:
    case PHYSDEVOP_pci_device_remove:
    case PHYSDEVOP_dbgp_op:
        if ( !is_hardware_domain(ctx) )
            return -ENOSYS;
        break;
    default:
        /* The PIRQ commands included: see the top of this file. */
        return -ENOSYS;
    }

    switch ( cmd )
    {
    case PHYSDEVOP_pci_mmcfg_reserved:
        return pci_mmcfg_reserved(ctx, arg);
    case PHYSDEVOP_pci_device_add:
        return pci_device_add(ctx, arg);
    case PHYSDEVOP_pci_device_remove:
        return pci_device_remove(ctx, arg);
    default:
        return dbgp_op(ctx, arg);
    }
}

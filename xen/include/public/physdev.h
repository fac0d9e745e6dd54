/* SPDX-License-Identifier: GPL-2.0 */
/*
 * __HYPERVISOR_physdev_op(cmd, arg): physical devices and their
 * interrupts.  Numbers and layouts are Xen 4.17's.  For an HVM/PVH guest
 * Xen passes only a few commands on: the PIRQ ones (which need the
 * emulated-PIRQ feature no PVH domain has) and, for the hardware domain,
 * the PCI reporting ones laid out below; every other command is -ENOSYS.
 */
#ifndef PUBLIC_PHYSDEV_H
#define PUBLIC_PHYSDEV_H

#include <stdint.h>

/* Commands, by number. */
#define PHYSDEVOP_IRQ_UNMASK_NOTIFY      4
#define PHYSDEVOP_irq_status_query       5
#define PHYSDEVOP_set_iopl               6
#define PHYSDEVOP_set_iobitmap           7
#define PHYSDEVOP_apic_read              8
#define PHYSDEVOP_apic_write             9
#define PHYSDEVOP_alloc_irq_vector      10
#define PHYSDEVOP_free_irq_vector       11
#define PHYSDEVOP_eoi                   12
#define PHYSDEVOP_map_pirq              13
#define PHYSDEVOP_unmap_pirq            14
#define PHYSDEVOP_manage_pci_add        15
#define PHYSDEVOP_manage_pci_remove     16
#define PHYSDEVOP_pirq_eoi_gmfn_v1      17
#define PHYSDEVOP_restore_msi           19
#define PHYSDEVOP_manage_pci_add_ext    20
#define PHYSDEVOP_setup_gsi             21
#define PHYSDEVOP_get_free_pirq         23
#define PHYSDEVOP_pci_mmcfg_reserved    24
#define PHYSDEVOP_pci_device_add        25
#define PHYSDEVOP_pci_device_remove     26
#define PHYSDEVOP_restore_msi_ext       27
#define PHYSDEVOP_pirq_eoi_gmfn_v2      28
#define PHYSDEVOP_dbgp_op               29
#define PHYSDEVOP_prepare_msix          30
#define PHYSDEVOP_release_msix          31

#ifndef __ASSEMBLY__

/*
 * PHYSDEVOP_pci_mmcfg_reserved: the hardware domain found the MMCONFIG
 * (ECAM) window of segment `segment`, buses start_bus..end_bus, at
 * `address`, and says whether the firmware reserved it (flags bit 0).
 */
#define XEN_PCI_MMCFG_RESERVED  0x1
struct physdev_pci_mmcfg_reserved {
    uint64_t address;
    uint16_t segment;
    uint8_t  start_bus;
    uint8_t  end_bus;
    uint32_t flags;                 /* XEN_PCI_MMCFG_*; other bits: -EINVAL */
};

/*
 * PHYSDEVOP_pci_device_add: the hardware domain's PCI bus scan found a
 * device.  A virtual function names its physical function; with
 * XEN_PCI_DEV_PXM one uint32_t (the device's ACPI proximity domain)
 * follows the structure in guest memory.
 */
#define XEN_PCI_DEV_EXTFN       0x1
#define XEN_PCI_DEV_VIRTFN      0x2
#define XEN_PCI_DEV_PXM         0x4
struct physdev_pci_device_add {
    uint16_t seg;
    uint8_t  bus;
    uint8_t  devfn;
    uint32_t flags;                 /* XEN_PCI_DEV_* */
    struct {
        uint8_t bus;
        uint8_t devfn;
    } physfn;                       /* with XEN_PCI_DEV_VIRTFN */
    /* uint32_t optarr[] follows, after 2 bytes of padding */
};

/* PHYSDEVOP_pci_device_remove (and the MSI-X ones): one PCI function. */
struct physdev_pci_device {
    uint16_t seg;
    uint8_t  bus;
    uint8_t  devfn;
};

/*
 * PHYSDEVOP_dbgp_op: the hardware domain is about to reset (or has reset)
 * an EHCI controller that the hypervisor may be using as a debug port.
 */
#define PHYSDEVOP_DBGP_RESET_PREPARE    1
#define PHYSDEVOP_DBGP_RESET_DONE       2
#define PHYSDEVOP_DBGP_BUS_UNKNOWN      0
#define PHYSDEVOP_DBGP_BUS_PCI          1
struct physdev_dbgp_op {
    uint8_t op;                     /* PHYSDEVOP_DBGP_RESET_* */
    uint8_t bus;                    /* PHYSDEVOP_DBGP_BUS_* */
    union {
        struct physdev_pci_device pci;
    } u;
};

/*
 * Layout checks (x86-64 System V).  mmcfg_reserved: address 0, segment 8,
 * start_bus 10, end_bus 11, flags 12 => 16.  pci_device_add: seg 0, bus 2,
 * devfn 3, flags 4, physfn 8..9, padded to 4 => 12, so optarr[0] is at 12.
 * dbgp_op: op 0, bus 1, the 2-aligned union at 2 => 6.
 */
_Static_assert(sizeof(struct physdev_pci_mmcfg_reserved) == 16,
               "pci_mmcfg_reserved layout");
_Static_assert(__builtin_offsetof(struct physdev_pci_mmcfg_reserved, flags) == 12,
               "pci_mmcfg_reserved.flags offset");
_Static_assert(sizeof(struct physdev_pci_device_add) == 12,
               "pci_device_add layout");
_Static_assert(__builtin_offsetof(struct physdev_pci_device_add, physfn) == 8,
               "pci_device_add.physfn offset");
_Static_assert(sizeof(struct physdev_pci_device) == 4, "pci_device layout");
_Static_assert(sizeof(struct physdev_dbgp_op) == 6, "dbgp_op layout");
_Static_assert(__builtin_offsetof(struct physdev_dbgp_op, u) == 2,
               "dbgp_op.u offset");

#endif /* __ASSEMBLY__ */

#endif /* PUBLIC_PHYSDEV_H */

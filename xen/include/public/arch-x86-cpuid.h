/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor CPUID leaves guests use to find Xen (Xen's
 * public/arch-x86/cpuid.h).  Base leaf 0x40000000.
 *
 *  base + 0: EAX = highest hypervisor leaf; EBX, ECX, EDX = "XenVMMXenVMM"
 *  base + 1: EAX = (major << 16) | minor of the Xen interface
 *  base + 2: EAX = number of hypercall pages, EBX = MSR to write a page's
 *            guest-physical address to (the hypervisor fills it in)
 *  base + 3: TSC information (sub-leaves)
 *  base + 4: HVM features (EAX flags below; EBX vCPU id, ECX domain id)
 *  base + 5: PV features
 */
#ifndef PUBLIC_ARCH_X86_CPUID_H
#define PUBLIC_ARCH_X86_CPUID_H

#define XEN_CPUID_FIRST_LEAF      0x40000000
#define XEN_CPUID_MAX_NUM_LEAVES  5
#define XEN_CPUID_SIGNATURE_EBX   0x566e6558   /* "XenV" */
#define XEN_CPUID_SIGNATURE_ECX   0x65584d4d   /* "MMXe" */
#define XEN_CPUID_SIGNATURE_EDX   0x4d4d566e   /* "nVMM" */

/* base + 4, EAX */
#define XEN_HVM_CPUID_APIC_ACCESS_VIRT (1u << 0)
#define XEN_HVM_CPUID_X2APIC_VIRT      (1u << 1)
#define XEN_HVM_CPUID_IOMMU_MAPPINGS   (1u << 2)
#define XEN_HVM_CPUID_VCPU_ID_PRESENT  (1u << 3)
#define XEN_HVM_CPUID_DOMID_PRESENT    (1u << 4)

/* The hypercall-page MSR Tonnerre announces in base + 2 (as Xen does). */
#define XEN_HYPERCALL_PAGE_MSR         0x40000000

#endif /* PUBLIC_ARCH_X86_CPUID_H */

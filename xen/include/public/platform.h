/* SPDX-License-Identifier: GPL-2.0 */
/*
 * __HYPERVISOR_platform_op(struct xen_platform_op *): the control domain
 * tells the hypervisor about the machine (the wall clock, ACPI, CPU
 * hotplug) and asks about its physical CPUs.  Numbers, the interface
 * version and layouts are Xen 4.17's.  The argument is a command, the
 * caller's interface version (anything else: -EACCES) and a 128-byte
 * union; only the commands Tonnerre answers with data are laid out here,
 * the others are listed by number so the dispatcher can name them.
 */
#ifndef PUBLIC_PLATFORM_H
#define PUBLIC_PLATFORM_H

#include <stdint.h>

#define XENPF_INTERFACE_VERSION 0x03000001

/* Commands, by number. */
#define XENPF_settime32          17
#define XENPF_add_memtype        31
#define XENPF_del_memtype        32
#define XENPF_read_memtype       33
#define XENPF_microcode_update   35
#define XENPF_platform_quirk     39
#define XENPF_get_cpu_version    48
#define XENPF_efi_runtime_call   49
#define XENPF_firmware_info      50
#define XENPF_enter_acpi_sleep   51
#define XENPF_change_freq        52
#define XENPF_getidletime        53
#define XENPF_set_processor_pminfo 54
#define XENPF_get_cpuinfo        55
#define XENPF_cpu_online         56
#define XENPF_cpu_offline        57
#define XENPF_cpu_hotadd         58
#define XENPF_mem_hotadd         59
#define XENPF_core_parking       60
#define XENPF_resource_op        61
#define XENPF_settime64          62
#define XENPF_get_symbol         63
#define XENPF_get_dom0_console   64  /* Xen 4.18 on; 4.17 answers -ENOSYS */

#ifndef __ASSEMBLY__

/*
 * XENPF_settime32 / XENPF_settime64: the wall clock read <secs, nsecs>
 * (since 1970-01-01 00:00 UTC) when the hypervisor's system time was
 * system_time (ns, the clock the guest sees in its vcpu_time_info).
 * Every domain's shared_info wc_* then follows.  settime64's mbz must be 0.
 */
struct xenpf_settime32 {
    uint32_t secs;
    uint32_t nsecs;
    uint64_t system_time;
};

struct xenpf_settime64 {
    uint64_t secs;
    uint32_t nsecs;
    uint32_t mbz;
    uint64_t system_time;
};

/*
 * XENPF_firmware_info: what the boot firmware told the hypervisor (BIOS
 * disks, EDID, EFI, keyboard flags), one item per (type, index).
 */
#define XEN_FW_DISK_INFO          1
#define XEN_FW_DISK_MBR_SIGNATURE 2
#define XEN_FW_VBEDDC_INFO        3
#define XEN_FW_EFI_INFO           4
#define XEN_FW_KBD_SHIFT_FLAGS    5
struct xenpf_firmware_info {
    uint32_t type;                  /* IN: XEN_FW_* */
    uint32_t index;                 /* IN */
    union {                         /* OUT */
        uint8_t  kbd_shift_flags;   /* XEN_FW_KBD_SHIFT_FLAGS: BIOS int 16h */
        uint64_t pad[4];            /* the other members, never filled */
    } u;
};

/* XENPF_cpu_online / XENPF_cpu_offline: physical CPU cpuid. */
struct xenpf_cpu_ol {
    uint32_t cpuid;
};

/*
 * XENPF_get_cpuinfo: physical CPU xen_cpuid (the hypervisor's own
 * numbering, 0 = boot CPU).  A number with no CPU behind it is not an
 * error: flags says INVALID and apic_id / acpi_id are left as they came.
 * max_present is always the highest number that has a CPU, so a caller
 * walks 0..max_present.
 */
#define XEN_PCPU_FLAGS_ONLINE   1
#define XEN_PCPU_FLAGS_INVALID  2
struct xenpf_pcpuinfo {
    uint32_t xen_cpuid;             /* IN */
    uint32_t max_present;           /* OUT */
    uint32_t flags;                 /* OUT: XEN_PCPU_FLAGS_* */
    uint32_t apic_id;               /* OUT */
    uint32_t acpi_id;               /* OUT: the MADT's processor UID */
};

/*
 * XENPF_get_cpu_version: the CPUID identity of an online physical CPU;
 * zeros for a number that is not online.
 */
struct xenpf_pcpu_version {
    uint32_t xen_cpuid;             /* IN */
    uint32_t max_present;           /* OUT */
    char     vendor_id[12];         /* OUT: CPUID leaf 0 EBX, EDX, ECX */
    uint32_t family;                /* OUT: with the extended family added */
    uint32_t model;                 /* OUT: with the extended model added */
    uint32_t stepping;              /* OUT */
};

struct xen_platform_op {
    uint32_t cmd;                   /* XENPF_* */
    uint32_t interface_version;     /* XENPF_INTERFACE_VERSION */
    union {
        struct xenpf_settime32    settime32;
        struct xenpf_settime64    settime64;
        struct xenpf_firmware_info firmware_info;
        struct xenpf_pcpuinfo     pcpu_info;
        struct xenpf_pcpu_version pcpu_version;
        struct xenpf_cpu_ol       cpu_ol;
        uint8_t                   pad[128];
    } u;
};

/*
 * Layout checks (x86-64 System V).  Xen's union holds 64-bit members, so
 * it is 8-aligned and starts at 8: the whole op is 8 + 128 = 136 bytes.
 * settime64: secs 0, nsecs 8, mbz 12, system_time 16.  pcpuinfo is five
 * uint32_t; pcpu_version: vendor_id 8..19, family 20, model 24,
 * stepping 28.  firmware_info: type 0, index 4, union at 8 whose largest
 * member, the EFI memory descriptor (three uint64_t and a uint32_t), is 32.
 */
_Static_assert(sizeof(struct xenpf_settime32) == 16, "settime32 layout");
_Static_assert(sizeof(struct xenpf_settime64) == 24, "settime64 layout");
_Static_assert(__builtin_offsetof(struct xenpf_settime64, system_time) == 16,
               "settime64.system_time offset");
_Static_assert(sizeof(struct xenpf_firmware_info) == 40, "firmware_info layout");
_Static_assert(sizeof(struct xenpf_pcpuinfo) == 20, "pcpuinfo layout");
_Static_assert(__builtin_offsetof(struct xenpf_pcpuinfo, acpi_id) == 16,
               "pcpuinfo.acpi_id offset");
_Static_assert(sizeof(struct xenpf_pcpu_version) == 32, "pcpu_version layout");
_Static_assert(__builtin_offsetof(struct xenpf_pcpu_version, family) == 20,
               "pcpu_version.family offset");
_Static_assert(__builtin_offsetof(struct xen_platform_op, u) == 8,
               "xen_platform_op.u offset");
_Static_assert(sizeof(struct xen_platform_op) == 136, "xen_platform_op layout");

#endif /* __ASSEMBLY__ */

#endif /* PUBLIC_PLATFORM_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * platform_op and physdev_op through the hypercall dispatcher, with a fake
 * guest memory at GBASE: the order of Xen's checks (-EFAULT, -EACCES,
 * -EPERM), the wall clock reaching every domain's shared_info, the
 * physical CPUs of a stub machine, the errors Xen gives for what Tonnerre
 * does not do, and the PCI reports of the hardware domain.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "heap_fixture.h"
#include <public/physdev.h>
#include <public/platform.h>
#include <public/sysctl.h>
#include <public/xen.h>
#include <xen/console.h>
#include <xen/domctl.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>

#define GBASE 0x1000
#define GSIZE 2048

static uint8_t guest[GSIZE];

static bool in_guest(uint64_t gaddr, size_t len)
{
    return gaddr >= GBASE && len <= GSIZE && gaddr - GBASE <= GSIZE - len;
}

static int fake_copy_to(struct guest_mem *gm, uint64_t gaddr, const void *src,
                        size_t len)
{
    if ( !in_guest(gaddr, len) )
        return -EFAULT;
    memcpy(guest + (gaddr - GBASE), src, len);
    return 0;
}

static int fake_copy_from(struct guest_mem *gm, void *dst, uint64_t gaddr,
                          size_t len)
{
    if ( !in_guest(gaddr, len) )
        return -EFAULT;
    memcpy(dst, guest + (gaddr - GBASE), len);
    return 0;
}

static struct guest_mem mem = { fake_copy_to, fake_copy_from };

#define CONSOLE_STUBS_CPU 0
#include "console_stubs.h"
#include "sched_stubs.h"
#include "platform_stubs.h"
void arch_panic_halt(void) { abort(); }
void arch_evtchn_notify(struct vcpu *v) { }
void arch_physinfo(struct xen_sysctl_physinfo *pi) { }
unsigned int nr_cpus_online = 1;     /* common/sched/cpupool.c */
long arch_cputopoinfo(struct hypercall_ctx *ctx, struct xen_sysctl_cputopoinfo *ti) { return 0; }

/* What the hypervisor logged since setup (console.c owns printk here). */
static char console_out[4096];
static size_t console_len;

static void console_sink(const char *s, size_t len)
{
    if ( console_len + len < sizeof(console_out) )
    {
        memcpy(console_out + console_len, s, len);
        console_len += len;
        console_out[console_len] = '\0';
    }
}

static void console_clear(void)
{
    console_len = 0;
    console_out[0] = '\0';
}

/* dom0 (privileged) and two domUs, each with its own shared_info. */
#define NR_DOMS 3
static struct domain *doms[NR_DOMS];
static struct shared_info shared[NR_DOMS];
static unsigned long heap_at_start;

static int setup(void **state)
{
    static bool sink_registered;
    unsigned int i;
    int err;

    heap_at_start = boot_test_heap(16u << 20);
    if ( !sink_registered )
        console_register_sink(console_sink);
    sink_registered = true;
    console_clear();
    memset(shared, 0, sizeof(shared));
    memset(guest, 0, sizeof(guest));
    for ( i = 0; i < NR_DOMS; i++ )
    {
        doms[i] = domain_create(i, 1, i == 0, &err);
        assert_non_null(doms[i]);
        doms[i]->shared_info = &shared[i];
    }
    /* CPUs 0, 1 and 3 (offline); no CPU numbered 2. */
    memset(stub_pcpu_present, 0, sizeof(stub_pcpu_present));
    stub_pcpu_present[0] = stub_pcpu_present[1] = stub_pcpu_present[3] = true;
    stub_pcpu[0] = (struct pcpu_desc){ .apic_id = 0, .acpi_id = 1, .online = true };
    stub_pcpu[1] = (struct pcpu_desc){ .apic_id = 2, .acpi_id = 2, .online = true };
    stub_pcpu[3] = (struct pcpu_desc){ .apic_id = 6, .acpi_id = 4, .online = false };
    stub_wallclock_sets = 0;
    return 0;
}

static int teardown(void **state)
{
    unsigned int i;

    for ( i = 0; i < NR_DOMS; i++ )
    {
        doms[i]->shared_info = NULL;
        domain_kill(doms[i]);
        domain_destroy(doms[i]);
    }
    assert_int_equal(avail_heap_pages(), heap_at_start);
    host_test_ram_fini();
    return 0;
}

static long hcall(bool dom0, uint64_t nr, uint64_t a0, uint64_t a1)
{
    struct hypercall_ctx ctx = { .privileged = dom0, .domain = doms[dom0 ? 0 : 1],
                                 .mem = &mem };
    uint64_t args[HYPERCALL_MAX_ARGS] = { a0, a1, 0, 0, 0 };

    return hypercall_dispatch(&ctx, nr, args);
}

/* Put op in guest memory, call, and read back what the guest would see. */
static long platform(bool dom0, struct xen_platform_op *op)
{
    long rc;

    memcpy(guest, op, sizeof(*op));
    rc = hcall(dom0, __HYPERVISOR_platform_op, GBASE, 0);
    memcpy(op, guest, sizeof(*op));
    return rc;
}

static struct xen_platform_op pf_op(uint32_t cmd)
{
    return (struct xen_platform_op){ .cmd = cmd,
                                     .interface_version = XENPF_INTERFACE_VERSION };
}

/* ---- platform_op ---- */

static void test_platform_check_order(void **state)
{
    struct xen_platform_op op = pf_op(XENPF_get_cpuinfo);

    /* Unreadable argument first, for anyone. */
    assert_int_equal(hcall(false, __HYPERVISOR_platform_op, 0x10, 0), -EFAULT);
    assert_int_equal(hcall(true, __HYPERVISOR_platform_op, GBASE + GSIZE - 8, 0),
                     -EFAULT);
    /* Then the version, before the caller's privilege. */
    op.interface_version = XENPF_INTERFACE_VERSION - 1;
    assert_int_equal(platform(false, &op), -EACCES);
    assert_int_equal(platform(true, &op), -EACCES);
    op.interface_version = 0;
    assert_int_equal(platform(true, &op), -EACCES);
    /* A domU with the right version: -EPERM, and nothing is written. */
    op = pf_op(XENPF_get_cpuinfo);
    op.u.pcpu_info.max_present = 77;
    assert_int_equal(platform(false, &op), -EPERM);
    assert_int_equal(op.u.pcpu_info.max_present, 77);
    op = pf_op(XENPF_settime64);
    op.u.settime64.secs = 1000;
    assert_int_equal(platform(false, &op), -EPERM);
    assert_int_equal(stub_wallclock_sets, 0);
    assert_int_equal(shared[1].wc_version, 0);
    /* Unknown commands are -ENOSYS for dom0. */
    op = pf_op(12345);
    assert_int_equal(platform(true, &op), -ENOSYS);
}

static void assert_wallclock(const struct shared_info *s, uint64_t sec,
                             uint32_t nsec)
{
    assert_int_equal(s->wc_version & 1, 0);     /* not left mid-update */
    assert_true(s->wc_version > 0);
    assert_int_equal(s->wc_sec, (uint32_t)sec);
    assert_int_equal(s->wc_sec_hi, (uint32_t)(sec >> 32));
    assert_int_equal(s->wc_nsec, nsec);
}

static void test_settime64_reaches_every_domain(void **state)
{
    struct xen_platform_op op = pf_op(XENPF_settime64);
    unsigned int i;

    /* 2023-11-14 22:13:20.000000500 when system time was 2.75 s. */
    op.u.settime64.secs = 1700000000;
    op.u.settime64.nsecs = 500;
    op.u.settime64.system_time = 2750000000ull;
    assert_int_equal(platform(true, &op), 0);
    for ( i = 0; i < NR_DOMS; i++ )
        assert_wallclock(&shared[i], 1699999997, 250000500);
    assert_int_equal(stub_wallclock_sets, 1);
    assert_int_equal(stub_wallclock_sec, 1699999997);
    assert_int_equal(stub_wallclock_nsec, 250000500);
    assert_int_equal(shared[2].wc_version, 2);
    assert_non_null(strstr(console_out, "Wall clock set by d0: 1700000000 s"));

    /* A resynchronisation that moves it by under a second is not logged. */
    console_clear();
    op.u.settime64.secs = 1700000060;
    op.u.settime64.system_time = 62750000000ull + 400000000;
    assert_int_equal(platform(true, &op), 0);
    assert_wallclock(&shared[0], 1699999996, 850000500);    /* 0.4 s earlier */
    assert_null(strstr(console_out, "Wall clock set"));

    /* Past 2106: the high half of the seconds goes to wc_sec_hi. */
    op.u.settime64.secs = (1ull << 32) + 7;
    op.u.settime64.nsecs = 0;
    op.u.settime64.system_time = 0;
    assert_int_equal(platform(true, &op), 0);
    for ( i = 0; i < NR_DOMS; i++ )
        assert_wallclock(&shared[i], (1ull << 32) + 7, 0);
    assert_int_equal(shared[0].wc_version, 6);

    /* nsecs of a second or more carry, as in Xen's arithmetic. */
    op.u.settime64.secs = 100;
    op.u.settime64.nsecs = 1500000000u;
    op.u.settime64.system_time = 1000000000ull;
    assert_int_equal(platform(true, &op), 0);
    assert_wallclock(&shared[1], 100, 500000000);
}

static void test_settime_skips_dying_and_unmapped(void **state)
{
    struct xen_platform_op op = pf_op(XENPF_settime64);

    doms[2]->shared_info = NULL;
    doms[1]->state = DOMAIN_DYING;
    op.u.settime64.secs = 4000;
    assert_int_equal(platform(true, &op), 0);
    assert_wallclock(&shared[0], 4000, 0);
    assert_int_equal(shared[1].wc_version, 0);
    assert_int_equal(shared[2].wc_version, 0);
    doms[1]->state = DOMAIN_RUNNING;
}

static void test_settime_refuses_nonsense(void **state)
{
    struct xen_platform_op op = pf_op(XENPF_settime64);

    op.u.settime64.secs = 1700000000;
    op.u.settime64.mbz = 1;
    assert_int_equal(platform(true, &op), -EINVAL);
    op.u.settime64.mbz = 0;
    op.u.settime64.secs = UINT64_MAX / 1000000000ull + 1;     /* ns overflow */
    assert_int_equal(platform(true, &op), -EINVAL);
    op.u.settime64.secs = 10;
    op.u.settime64.system_time = 10000000001ull;              /* boot < 1970 */
    assert_int_equal(platform(true, &op), -EINVAL);
    assert_int_equal(stub_wallclock_sets, 0);
    assert_int_equal(shared[0].wc_version, 0);
}

static void test_settime32(void **state)
{
    struct xen_platform_op op = pf_op(XENPF_settime32);

    op.u.settime32.secs = 0xfffffff0u;
    op.u.settime32.nsecs = 999999999;
    op.u.settime32.system_time = 999999999;
    assert_int_equal(platform(true, &op), 0);
    assert_wallclock(&shared[2], 0xfffffff0u, 0);
}

static struct xenpf_pcpuinfo cpuinfo(uint32_t cpu, long *rc)
{
    struct xen_platform_op op = pf_op(XENPF_get_cpuinfo);

    op.u.pcpu_info.xen_cpuid = cpu;
    op.u.pcpu_info.apic_id = op.u.pcpu_info.acpi_id = 0xabcd;
    memset(op.u.pad + sizeof(op.u.pcpu_info), 0x5a,
           sizeof(op.u.pad) - sizeof(op.u.pcpu_info));
    *rc = platform(true, &op);
    /* Only the pcpu_info member is written back. */
    assert_int_equal(op.u.pad[sizeof(op.u.pcpu_info)], 0x5a);
    assert_int_equal(op.u.pad[sizeof(op.u.pad) - 1], 0x5a);
    assert_int_equal(op.cmd, XENPF_get_cpuinfo);
    return op.u.pcpu_info;
}

static void test_get_cpuinfo(void **state)
{
    struct xenpf_pcpuinfo i;
    long rc;

    i = cpuinfo(0, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(i.flags, XEN_PCPU_FLAGS_ONLINE);
    assert_int_equal(i.apic_id, 0);
    assert_int_equal(i.acpi_id, 1);
    assert_int_equal(i.max_present, 3);

    i = cpuinfo(1, &rc);
    assert_int_equal(i.flags, XEN_PCPU_FLAGS_ONLINE);
    assert_int_equal(i.apic_id, 2);
    assert_int_equal(i.acpi_id, 2);

    /* A hole: INVALID, the ids left as the caller gave them, still 0. */
    i = cpuinfo(2, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(i.flags, XEN_PCPU_FLAGS_INVALID);
    assert_int_equal(i.apic_id, 0xabcd);
    assert_int_equal(i.acpi_id, 0xabcd);
    assert_int_equal(i.max_present, 3);

    i = cpuinfo(3, &rc);
    assert_int_equal(i.flags, 0);               /* present, offline */
    assert_int_equal(i.apic_id, 6);

    i = cpuinfo(0xffffffffu, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(i.flags, XEN_PCPU_FLAGS_INVALID);

    /* Only the boot CPU: max_present 0. */
    stub_pcpu_present[1] = stub_pcpu_present[3] = false;
    i = cpuinfo(0, &rc);
    assert_int_equal(i.max_present, 0);
}

static int refuse_copy_to(struct guest_mem *gm, uint64_t gaddr,
                          const void *src, size_t len)
{
    return -EFAULT;
}

/* A copy-back that fails is -EFAULT: guest memory readable, not writable. */
static void test_get_cpuinfo_copy_back_fault(void **state)
{
    struct xen_platform_op op = pf_op(XENPF_get_cpuinfo);
    struct guest_mem read_only = { refuse_copy_to, fake_copy_from };
    struct hypercall_ctx ctx = { .privileged = true, .domain = doms[0],
                                 .mem = &read_only };
    uint64_t args[HYPERCALL_MAX_ARGS] = { GBASE };

    memcpy(guest, &op, sizeof(op));
    assert_int_equal(hypercall_dispatch(&ctx, __HYPERVISOR_platform_op, args),
                     -EFAULT);
}

static void test_get_cpu_version(void **state)
{
    struct xen_platform_op op = pf_op(XENPF_get_cpu_version);

    op.u.pcpu_version.xen_cpuid = 1;
    assert_int_equal(platform(true, &op), 0);
    assert_memory_equal(op.u.pcpu_version.vendor_id, "AuthenticAMD", 12);
    assert_int_equal(op.u.pcpu_version.family, 0x19);
    assert_int_equal(op.u.pcpu_version.model, 0x21);
    assert_int_equal(op.u.pcpu_version.stepping, 2);
    assert_int_equal(op.u.pcpu_version.max_present, 3);

    /* Offline or absent: zeros. */
    op.u.pcpu_version.xen_cpuid = 3;
    assert_int_equal(platform(true, &op), 0);
    assert_int_equal(op.u.pcpu_version.vendor_id[0], 0);
    assert_int_equal(op.u.pcpu_version.family, 0);
    op.u.pcpu_version.xen_cpuid = 2;
    memset(op.u.pcpu_version.vendor_id, 'x', 12);
    assert_int_equal(platform(true, &op), 0);
    assert_int_equal(op.u.pcpu_version.vendor_id[11], 0);
}

static void test_firmware_info(void **state)
{
    struct xen_platform_op op = pf_op(XENPF_firmware_info);

    op.u.firmware_info.type = XEN_FW_DISK_INFO;
    assert_int_equal(platform(true, &op), -ESRCH);
    op.u.firmware_info.type = XEN_FW_DISK_MBR_SIGNATURE;
    assert_int_equal(platform(true, &op), -ESRCH);
    op.u.firmware_info.type = XEN_FW_VBEDDC_INFO;
    assert_int_equal(platform(true, &op), -ESRCH);
    op.u.firmware_info.type = XEN_FW_EFI_INFO;
    assert_int_equal(platform(true, &op), -ENOSYS);
    op.u.firmware_info.type = 99;
    assert_int_equal(platform(true, &op), -EINVAL);
    op.u.firmware_info.type = XEN_FW_KBD_SHIFT_FLAGS;
    op.u.firmware_info.index = 1;
    assert_int_equal(platform(true, &op), -ESRCH);
    op.u.firmware_info.index = 0;
    op.u.firmware_info.u.pad[0] = ~0ull;
    assert_int_equal(platform(true, &op), 0);
    assert_int_equal(op.u.firmware_info.u.kbd_shift_flags, 0);
    /* One byte written, the rest of the union untouched. */
    assert_int_equal(op.u.firmware_info.u.pad[0], ~0ull << 8);
}

static void test_cpu_online_offline(void **state)
{
    struct xen_platform_op op = pf_op(XENPF_cpu_online);

    op.u.cpu_ol.cpuid = 1;
    assert_int_equal(platform(true, &op), 0);       /* already online */
    op.u.cpu_ol.cpuid = 2;
    assert_int_equal(platform(true, &op), -EINVAL);
    op = pf_op(XENPF_cpu_offline);
    op.u.cpu_ol.cpuid = 0;
    assert_int_equal(platform(true, &op), -EOPNOTSUPP);
    op.u.cpu_ol.cpuid = 2;
    assert_int_equal(platform(true, &op), -EINVAL);
    op.u.cpu_ol.cpuid = 3;
    assert_int_equal(platform(true, &op), 0);       /* already offline */
    op.u.cpu_ol.cpuid = 1;
    assert_int_equal(platform(true, &op), -EBUSY);
}

static void test_platform_unsupported_commands(void **state)
{
    static const uint32_t cmds[] = {
        XENPF_add_memtype, XENPF_del_memtype, XENPF_read_memtype,
        XENPF_microcode_update, XENPF_platform_quirk, XENPF_efi_runtime_call,
        XENPF_enter_acpi_sleep, XENPF_change_freq, XENPF_getidletime,
        XENPF_set_processor_pminfo, XENPF_cpu_hotadd, XENPF_mem_hotadd,
        XENPF_core_parking, XENPF_resource_op, XENPF_get_symbol,
        XENPF_get_dom0_console,
    };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(cmds); i++ )
    {
        struct xen_platform_op op = pf_op(cmds[i]);

        assert_int_equal(platform(true, &op), -ENOSYS);
        assert_int_equal(platform(false, &op), -EPERM);
    }
}

/* ---- physdev_op ---- */

static long physdev(bool dom0, uint64_t cmd, const void *arg, size_t len)
{
    memcpy(guest, arg, len);
    return hcall(dom0, __HYPERVISOR_physdev_op, cmd, GBASE);
}

static void test_physdev_domu_and_pirqs(void **state)
{
    static const uint32_t pirq_cmds[] = {
        PHYSDEVOP_map_pirq, PHYSDEVOP_unmap_pirq, PHYSDEVOP_eoi,
        PHYSDEVOP_irq_status_query, PHYSDEVOP_get_free_pirq,
    };
    static const uint32_t dom0_cmds[] = {
        PHYSDEVOP_pci_mmcfg_reserved, PHYSDEVOP_pci_device_add,
        PHYSDEVOP_pci_device_remove, PHYSDEVOP_dbgp_op,
    };
    uint8_t zero[32] = { 0 };
    unsigned int i;

    /* No PVH domain has PIRQs: -ENOSYS, dom0 included. */
    for ( i = 0; i < ARRAY_SIZE(pirq_cmds); i++ )
    {
        assert_int_equal(physdev(true, pirq_cmds[i], zero, sizeof(zero)), -ENOSYS);
        assert_int_equal(physdev(false, pirq_cmds[i], zero, sizeof(zero)), -ENOSYS);
    }
    /* The PCI reports are the hardware domain's: -ENOSYS (not -EPERM). */
    for ( i = 0; i < ARRAY_SIZE(dom0_cmds); i++ )
        assert_int_equal(physdev(false, dom0_cmds[i], zero, sizeof(zero)), -ENOSYS);
    assert_false(physdev_pci_reported(0, 0, 0));
    /* Everything else, including the PV-only commands: -ENOSYS. */
    assert_int_equal(physdev(true, PHYSDEVOP_set_iopl, zero, 4), -ENOSYS);
    assert_int_equal(physdev(true, PHYSDEVOP_manage_pci_add, zero, 2), -ENOSYS);
    assert_int_equal(physdev(true, PHYSDEVOP_setup_gsi, zero, 8), -ENOSYS);
    assert_int_equal(physdev(true, 1000, zero, 8), -ENOSYS);
}

static void test_pci_device_add_remove(void **state)
{
    struct physdev_pci_device_add add = { .seg = 0, .bus = 3, .devfn = 0x11 };
    struct physdev_pci_device dev = { .seg = 0, .bus = 3, .devfn = 0x11 };

    assert_int_equal(physdev(true, PHYSDEVOP_pci_device_add, &add, sizeof(add)), 0);
    assert_true(physdev_pci_reported(0, 3, 0x11));
    /* Twice is fine. */
    assert_int_equal(physdev(true, PHYSDEVOP_pci_device_add, &add, sizeof(add)), 0);
    /* cmd is an int in Xen: the register's upper half is ignored. */
    assert_int_equal(physdev(true, 1ull << 32 | PHYSDEVOP_pci_device_remove,
                             &dev, sizeof(dev)), 0);
    assert_false(physdev_pci_reported(0, 3, 0x11));
    assert_int_equal(physdev(true, PHYSDEVOP_pci_device_remove, &dev, sizeof(dev)),
                     -ENODEV);

    /* A virtual function brings its physical function along. */
    add = (struct physdev_pci_device_add){ .seg = 1, .bus = 4, .devfn = 0x81,
                                           .flags = XEN_PCI_DEV_VIRTFN,
                                           .physfn = { .bus = 4, .devfn = 0 } };
    assert_int_equal(physdev(true, PHYSDEVOP_pci_device_add, &add, sizeof(add)), 0);
    assert_true(physdev_pci_reported(1, 4, 0x81));
    assert_true(physdev_pci_reported(1, 4, 0));
    assert_false(physdev_pci_reported(0, 4, 0));
    dev = (struct physdev_pci_device){ .seg = 1, .bus = 4, .devfn = 0x81 };
    assert_int_equal(physdev(true, PHYSDEVOP_pci_device_remove, &dev, sizeof(dev)), 0);
    dev.devfn = 0;
    assert_int_equal(physdev(true, PHYSDEVOP_pci_device_remove, &dev, sizeof(dev)), 0);
}

static void test_pci_device_add_bad_pointers(void **state)
{
    struct physdev_pci_device_add add = { .bus = 7, .flags = XEN_PCI_DEV_PXM };

    assert_int_equal(hcall(true, __HYPERVISOR_physdev_op, PHYSDEVOP_pci_device_add,
                           0x20), -EFAULT);
    /* The structure fits at the end of guest memory, its PXM word not. */
    memcpy(guest + GSIZE - sizeof(add), &add, sizeof(add));
    assert_int_equal(hcall(true, __HYPERVISOR_physdev_op, PHYSDEVOP_pci_device_add,
                           GBASE + GSIZE - sizeof(add)), -EFAULT);
    assert_false(physdev_pci_reported(0, 7, 0));
    /* With the PXM word readable it is accepted. */
    memcpy(guest + GSIZE - sizeof(add) - 4, &add, sizeof(add));
    assert_int_equal(hcall(true, __HYPERVISOR_physdev_op, PHYSDEVOP_pci_device_add,
                           GBASE + GSIZE - sizeof(add) - 4), 0);
    assert_true(physdev_pci_reported(0, 7, 0));
    assert_int_equal(hcall(true, __HYPERVISOR_physdev_op,
                           PHYSDEVOP_pci_device_remove, 0x20), -EFAULT);
    assert_int_equal(physdev(true, PHYSDEVOP_pci_device_remove,
                             &(struct physdev_pci_device){ .bus = 7 }, 4), 0);
}

static void test_pci_device_table_full(void **state)
{
    struct physdev_pci_device_add add = { 0 };
    struct physdev_pci_device dev = { 0 };
    unsigned int n = 0;
    long rc;

    for ( ;; )
    {
        add.bus = n >> 8;
        add.devfn = n & 0xff;
        if ( (rc = physdev(true, PHYSDEVOP_pci_device_add, &add, sizeof(add))) )
            break;
        n++;
        assert_true(n < 100000);
    }
    assert_int_equal(rc, -ENOMEM);
    assert_int_equal(n, 512);
    while ( n-- )
    {
        dev.bus = n >> 8;
        dev.devfn = n & 0xff;
        assert_int_equal(physdev(true, PHYSDEVOP_pci_device_remove, &dev,
                                 sizeof(dev)), 0);
    }
    assert_false(physdev_pci_reported(0, 0, 0));
}

/*
 * An MCFG with two windows, segment 0 buses 0-255 and segment 1 buses 0-63,
 * and a third (segment 2) cut off by the length the table claims.
 */
static uint8_t mcfg_table[44 + 3 * 16];

static void put_le(uint8_t *p, uint64_t v, unsigned int bytes)
{
    while ( bytes-- )
    {
        *p++ = v & 0xff;
        v >>= 8;
    }
}

static void test_pci_mmcfg_reserved(void **state)
{
    struct physdev_pci_mmcfg_reserved r = { .address = 0xb0000000, .segment = 0,
                                            .start_bus = 0, .end_bus = 255,
                                            .flags = XEN_PCI_MMCFG_RESERVED };

    memcpy(mcfg_table, "MCFG", 4);
    put_le(mcfg_table + 4, sizeof(mcfg_table) - 8, 4);
    put_le(mcfg_table + 44, 0xb0000000, 8);
    put_le(mcfg_table + 44 + 8, 0, 2);
    mcfg_table[44 + 10] = 0;
    mcfg_table[44 + 11] = 255;
    put_le(mcfg_table + 60, 0x1e0000000ull, 8);
    put_le(mcfg_table + 60 + 8, 1, 2);
    mcfg_table[60 + 10] = 0;
    mcfg_table[60 + 11] = 63;
    put_le(mcfg_table + 76, 0x2e0000000ull, 8);
    put_le(mcfg_table + 76 + 8, 2, 2);
    mcfg_table[76 + 11] = 63;
    memset(&acpi_info, 0, sizeof(acpi_info));
    memcpy(acpi_info.tables[0].signature, "APIC", 5);
    memcpy(acpi_info.tables[1].signature, "MCFG", 5);
    acpi_info.tables[1].address = (paddr_t)(uintptr_t)mcfg_table;
    acpi_info.nr_tables = 2;

    assert_int_equal(physdev(true, PHYSDEVOP_pci_mmcfg_reserved, &r, sizeof(r)), 0);
    r.flags = 0;                                    /* not reserved: also 0 */
    assert_int_equal(physdev(true, PHYSDEVOP_pci_mmcfg_reserved, &r, sizeof(r)), 0);
    r.flags = 2;
    assert_int_equal(physdev(true, PHYSDEVOP_pci_mmcfg_reserved, &r, sizeof(r)),
                     -EINVAL);
    r.flags = XEN_PCI_MMCFG_RESERVED;
    r.address = 0xc0000000;                         /* listed elsewhere */
    assert_int_equal(physdev(true, PHYSDEVOP_pci_mmcfg_reserved, &r, sizeof(r)),
                     -EIO);
    r = (struct physdev_pci_mmcfg_reserved){ .address = 0x1e0000000ull,
                                             .segment = 1, .end_bus = 63 };
    assert_int_equal(physdev(true, PHYSDEVOP_pci_mmcfg_reserved, &r, sizeof(r)), 0);
    r.end_bus = 127;                                /* not listed */
    assert_int_equal(physdev(true, PHYSDEVOP_pci_mmcfg_reserved, &r, sizeof(r)),
                     -ENODEV);
    r = (struct physdev_pci_mmcfg_reserved){ .address = 0x2e0000000ull,
                                             .segment = 2, .end_bus = 63 };
    assert_int_equal(physdev(true, PHYSDEVOP_pci_mmcfg_reserved, &r, sizeof(r)),
                     -ENODEV);                      /* beyond the length */
    assert_int_equal(hcall(true, __HYPERVISOR_physdev_op,
                           PHYSDEVOP_pci_mmcfg_reserved, GBASE + GSIZE - 8),
                     -EFAULT);
}

static void test_dbgp_op(void **state)
{
    struct physdev_dbgp_op op = { .op = PHYSDEVOP_DBGP_RESET_PREPARE,
                                  .bus = PHYSDEVOP_DBGP_BUS_PCI };

    /* No EHCI debug port in use: Xen says 0 to anything. */
    assert_int_equal(physdev(true, PHYSDEVOP_dbgp_op, &op, sizeof(op)), 0);
    op.bus = 77;
    assert_int_equal(physdev(true, PHYSDEVOP_dbgp_op, &op, sizeof(op)), 0);
    assert_int_equal(hcall(true, __HYPERVISOR_physdev_op, PHYSDEVOP_dbgp_op,
                           GBASE + GSIZE - 2), -EFAULT);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_platform_check_order),
        T(test_settime64_reaches_every_domain),
        T(test_settime_skips_dying_and_unmapped),
        T(test_settime_refuses_nonsense),
        T(test_settime32),
        T(test_get_cpuinfo),
        T(test_get_cpuinfo_copy_back_fault),
        T(test_get_cpu_version),
        T(test_firmware_info),
        T(test_cpu_online_offline),
        T(test_platform_unsupported_commands),
        T(test_physdev_domu_and_pirqs),
        T(test_pci_device_add_remove),
        T(test_pci_device_add_bad_pointers),
        T(test_pci_device_table_full),
        T(test_pci_mmcfg_reserved),
        T(test_dbgp_op),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

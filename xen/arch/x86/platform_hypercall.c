/* SPDX-License-Identifier: GPL-2.0 */
/*
 * __HYPERVISOR_platform_op: the control domain and the machine.  What a
 * Linux 6.1 PVH dom0 issues (see docs/architecture.md): XENPF_settime64 at
 * boot, whenever its clock is set and every 11 minutes (so every guest's
 * wall clock follows dom0's), XENPF_get_cpuinfo for each physical CPU
 * (drivers/xen/pcpu.c: /sys/devices/system/xen_cpu), and two questions
 * with no answer here (is there EFI, what is the boot console).  The time
 * and the CPU queries are answered for real; commands that would change
 * the machine (CPU hotplug, ACPI sleep, microcode, MTRRs, power
 * management) get the answer Xen gives when it cannot do them, so Linux
 * takes its fallback.
 *
 * The checks run in Xen's order: the argument is read (-EFAULT), the
 * interface version compared (-EACCES), and only then the caller's
 * privilege (-EPERM), which is why the hypercall table does not mark this
 * call privileged-only.
 */
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/platform.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/string.h>
#include <asm/time.h>
#include <public/platform.h>
#include <public/xen.h>

#define NSEC_PER_SEC 1000000000ull

/* Serialises wall-clock updates, so every domain ends with the same one. */
static DEFINE_SPINLOCK(wallclock_lock);

void shared_info_set_wallclock(struct shared_info *s, uint64_t sec,
                               uint32_t nsec)
{
    /* Odd while the fields change: a reader retries (pvclock protocol). */
    s->wc_version = (s->wc_version + 1) | 1;
    barrier();
    s->wc_sec = (uint32_t)sec;
    s->wc_sec_hi = (uint32_t)(sec >> 32);
    s->wc_nsec = nsec;
    barrier();
    s->wc_version++;
}

struct wallclock {
    uint64_t sec;
    uint32_t nsec;
};

/*
 * Under the domain's lock, so domain_kill() cannot free the page between
 * the check and the write: a dying domain (its page may be going back to
 * the heap) is skipped, and one not given a page yet reads the new time
 * when it gets one (time_set_wallclock() was called first).
 */
static void domain_publish_wallclock(struct domain *d, void *arg)
{
    const struct wallclock *wc = arg;
    unsigned long f = spin_lock_irqsave(&d->lock);

    if ( d->state != DOMAIN_DYING && d->state != DOMAIN_DEAD && d->shared_info )
        shared_info_set_wallclock(d->shared_info, wc->sec, wc->nsec);
    spin_unlock_irqrestore(&d->lock, f);
}

/*
 * Log a change of more than a second (dom0 setting its clock, not its
 * 11-minute resynchronisation): Xen is silent, but a wall clock that moves
 * under every guest is worth a line in `xl dmesg`.
 */
static void log_wallclock_change(const struct hypercall_ctx *ctx, uint64_t sec,
                                 uint64_t now_sec)
{
    static uint64_t last_sec;
    static bool logged;

    if ( logged && (sec > last_sec ? sec - last_sec : last_sec - sec) <= 1 )
        return;
    printk("Wall clock set by d%u: %lu s since 1970 now, for every domain\n",
           ctx->domain ? ctx->domain->domain_id : 0, (unsigned long)now_sec);
    last_sec = sec;
    logged = true;
}

/*
 * The wall clock read secs.nsecs when system time was system_time: so at
 * system time 0 it read (secs.nsecs - system_time).  Xen computes that in
 * unsigned 64-bit arithmetic and lets nonsense wrap; here a time that does
 * not fit (after year 2554) or that would put the boot before 1970 is
 * refused with -EINVAL instead, and anything Linux can send works as in Xen
 * (nsecs of a second or more simply carries into the seconds).
 */
static long platform_settime(const struct hypercall_ctx *ctx, uint64_t secs,
                             uint32_t nsecs, uint64_t system_time)
{
    struct wallclock wc;
    uint64_t ns;

    if ( secs > (UINT64_MAX - nsecs) / NSEC_PER_SEC )
        return -EINVAL;
    ns = secs * NSEC_PER_SEC + nsecs;
    if ( system_time > ns )
        return -EINVAL;
    ns -= system_time;

    wc.sec = ns / NSEC_PER_SEC;
    wc.nsec = ns % NSEC_PER_SEC;
    spin_lock(&wallclock_lock);
    time_set_wallclock(wc.sec, wc.nsec);
    domain_for_each(domain_publish_wallclock, &wc);
    log_wallclock_change(ctx, wc.sec, secs + nsecs / NSEC_PER_SEC);
    spin_unlock(&wallclock_lock);
    return 0;
}

/* A number with no CPU behind it is an answer (INVALID), not an error. */
static void platform_get_cpuinfo(struct xenpf_pcpuinfo *info)
{
    struct pcpu_desc desc;

    if ( pcpu_describe(info->xen_cpuid, &desc) )
    {
        info->apic_id = desc.apic_id;
        info->acpi_id = desc.acpi_id;
        info->flags = desc.online ? XEN_PCPU_FLAGS_ONLINE : 0;
    }
    else
        info->flags = XEN_PCPU_FLAGS_INVALID;
    info->max_present = pcpu_max_present();
}

static void platform_get_cpu_version(struct xenpf_pcpu_version *ver)
{
    struct pcpu_desc desc;

    if ( pcpu_describe(ver->xen_cpuid, &desc) && desc.online )
    {
        struct pcpu_identity id;

        pcpu_identity(&id);
        memcpy(ver->vendor_id, id.vendor_id, sizeof(ver->vendor_id));
        ver->family = id.family;
        ver->model = id.model;
        ver->stepping = id.stepping;
    }
    else
    {
        memset(ver->vendor_id, 0, sizeof(ver->vendor_id));
        ver->family = ver->model = ver->stepping = 0;
    }
    ver->max_present = pcpu_max_present();
}

/*
 * Tonnerre boots by Multiboot2 without asking the BIOS anything: there are
 * no EDD disks, MBR signatures or EDID to hand out (-ESRCH, as Xen says
 * for an index it has nothing at), it was not booted by EFI (-ENOSYS, as
 * Xen's efi_get_info), and the keyboard shift flags read as none held.
 */
static long platform_firmware_info(struct xenpf_firmware_info *fw)
{
    switch ( fw->type )
    {
    case XEN_FW_DISK_INFO:
    case XEN_FW_DISK_MBR_SIGNATURE:
    case XEN_FW_VBEDDC_INFO:
        return -ESRCH;
    case XEN_FW_EFI_INFO:
        return -ENOSYS;
    case XEN_FW_KBD_SHIFT_FLAGS:
        if ( fw->index != 0 )
            return -ESRCH;
        fw->u.kbd_shift_flags = 0;
        return 0;
    default:
        return -EINVAL;
    }
}

/* Every present CPU is online: bringing one up is already done. */
static long platform_cpu_online(uint32_t cpu)
{
    struct pcpu_desc desc;

    return pcpu_describe(cpu, &desc) ? 0 : -EINVAL;
}

/* Xen never offlines the boot CPU; Tonnerre cannot offline any yet. */
static long platform_cpu_offline(uint32_t cpu)
{
    struct pcpu_desc desc;

    if ( cpu == 0 )
        return -EOPNOTSUPP;
    if ( !pcpu_describe(cpu, &desc) )
        return -EINVAL;
    return desc.online ? -EBUSY : 0;
}

/* Copy one member of the union back, as Xen copies only that field. */
static long copy_union_out(struct hypercall_ctx *ctx, uint64_t arg,
                           const struct xen_platform_op *op, size_t len)
{
    return copy_to_guest(ctx, arg + offsetof(struct xen_platform_op, u),
                         &op->u, len) ? -EFAULT : 0;
}

long do_platform_op(struct hypercall_ctx *ctx, const uint64_t *args)
{
    struct xen_platform_op op;
    long rc;

    if ( copy_from_guest(ctx, &op, args[0], sizeof(op)) )
        return -EFAULT;
    if ( op.interface_version != XENPF_INTERFACE_VERSION )
        return -EACCES;
    if ( !ctx->privileged )
        return -EPERM;

    switch ( op.cmd )
    {
    case XENPF_settime32:
        return platform_settime(ctx, op.u.settime32.secs, op.u.settime32.nsecs,
                                op.u.settime32.system_time);
    case XENPF_settime64:
        if ( op.u.settime64.mbz )
            return -EINVAL;
        return platform_settime(ctx, op.u.settime64.secs, op.u.settime64.nsecs,
                                op.u.settime64.system_time);
    case XENPF_get_cpuinfo:
        platform_get_cpuinfo(&op.u.pcpu_info);
        return copy_union_out(ctx, args[0], &op, sizeof(op.u.pcpu_info));
    case XENPF_get_cpu_version:
        platform_get_cpu_version(&op.u.pcpu_version);
        return copy_union_out(ctx, args[0], &op, sizeof(op.u.pcpu_version));
    case XENPF_firmware_info:
        /* Only the keyboard flags succeed, and only their byte goes back. */
        if ( (rc = platform_firmware_info(&op.u.firmware_info)) )
            return rc;
        return copy_to_guest(ctx, args[0] + offsetof(struct xen_platform_op,
                                                     u.firmware_info.u),
                             &op.u.firmware_info.u.kbd_shift_flags, 1)
               ? -EFAULT : 0;
    case XENPF_cpu_online:
        return platform_cpu_online(op.u.cpu_ol.cpuid);
    case XENPF_cpu_offline:
        return platform_cpu_offline(op.u.cpu_ol.cpuid);
    case XENPF_efi_runtime_call:
        return -ENOSYS;         /* not booted by EFI, as Xen then says */
    case XENPF_change_freq:
    case XENPF_getidletime:
    case XENPF_set_processor_pminfo:
        /*
         * Xen answers -ENOSYS unless dom0 drives CPU frequency itself
         * (cpufreq=dom0-kernel); Tonnerre has no power management for dom0
         * to feed, so that is always the answer.
         */
        return -ENOSYS;
    default:
        /*
         * Unknown commands, and those that would change the machine
         * (MTRRs, microcode, ACPI sleep, CPU/memory hot-add, core parking,
         * MSR access, the symbol table): -ENOSYS, Xen's answer for a
         * command it does not have.
         */
        return -ENOSYS;
    }
}

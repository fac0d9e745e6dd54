/* SPDX-License-Identifier: GPL-2.0 */
/* The tests.  Each prints exactly one verdict line (see verdict()). */
#include "guest.h"

#define MSR_APIC_BASE        0x1b
#define  APIC_BASE_EXTD      (1u << 10)
#define  APIC_BASE_EN        (1u << 11)
#define MSR_TSC_DEADLINE     0x6e0
#define MSR_EFER             0xc0000080
#define MSR_X2APIC_ID        0x802
#define MSR_X2APIC_TPR       0x808
#define MSR_X2APIC_SVR       0x80f
#define MSR_X2APIC_IRR0      0x820
#define MSR_X2APIC_ICR       0x830
#define MSR_X2APIC_SELF_IPI  0x83f
#define MSR_X2APIC_LVTT      0x832
#define MSR_X2APIC_TMICT     0x838
#define MSR_X2APIC_TMCCT     0x839
#define MSR_X2APIC_TDCR      0x83e
#define LVTT_MASKED          (1u << 16)
#define LVTT_PERIODIC        (1u << 17)
#define LVTT_TSC_DEADLINE    (2u << 17)
#define ICR_SELF             (1u << 18)    /* destination shorthand 01 */
#define XAPIC_ID             0xfee00020
#define XAPIC_VERSION        0xfee00030
#define XAPIC_SVR            0xfee000f0
#define XAPIC_LVTT           0xfee00320
#define XAPIC_TMICT          0xfee00380
#define XAPIC_TMCCT          0xfee00390
#define XAPIC_TDCR           0xfee003e0
#define IPI_VECTOR           0x41
#define SELF_VECTOR          0x42
#define SHORTHAND_VECTOR     0x43
#define TIMER_VECTOR         0x40
#define CPUID1_ECX_X2APIC    (1u << 21)
#define CPUID1_ECX_DEADLINE  (1u << 24)
#define XEN_IFACE_4_17       0x00040011
#define MS                   1000000ull    /* ns */

/* Not in our public headers (Xen's numbers). */
#define MEMOP_CMD_MASK              0x3f   /* memory_op: low bits are the op */
#define HVMOP_OP_MASK               0xff   /* hvm_op: likewise */
#define XENMEM_exchange             11
#define XENMEM_remove_from_physmap  15
#define XENMEM_add_to_physmap_batch 23

static void test_hello(void)
{
    printk("GUEST %s: hello\n", label);
    verdict(1, "hello");
}

static int has_nul(const char *s, unsigned int n)
{
    while (n--)
        if (!*s++)
            return 1;
    return 0;
}

static void test_cpuid(void)
{
    uint32_t a, b, c, d;
    char extra[sizeof(xen_extraversion_t)];
    long ver, rc;

    if (xen_base != XEN_CPUID_FIRST_LEAF)
        return verdict(0, "Xen signature at 0x%x, not 0x40000000", xen_base);
    if (xen_max_leaf < xen_base + 4)
        return verdict(0, "max leaf 0x%x < base+4", xen_max_leaf);
    cpuid(xen_base + 1, 0, &a, &b, &c, &d);
    if (a != XEN_IFACE_4_17)
        return verdict(0, "leaf base+1 EAX 0x%x, want 0x%x", a, XEN_IFACE_4_17);
    if (!hypercall_page_ok())
        return verdict(0, "hypercall page empty");
    ver = xen_version(XENVER_version, 0);
    if (ver != XEN_IFACE_4_17)
        return verdict(0, "xen_version(XENVER_version) = 0x%lx", ver);
    memset(extra, 0xff, sizeof(extra));
    rc = xen_version(XENVER_extraversion, extra);
    if (rc < 0)
        return verdict(0, "xen_version(XENVER_extraversion) = %ld", rc);
    if (!has_nul(extra, sizeof(extra)))
        return verdict(0, "extraversion not NUL-terminated");
    rc = hypercall(60, 0, 0, 0, 0, 0);
    if (rc != -ENOSYS)
        return verdict(0, "hypercall 60 returned %ld, want -38", rc);
    verdict(1, "base 0x%x max 0x%x iface 0x%x msr 0x%x xen %lu.%lu%s, hypercall 60 -> %ld",
            xen_base, xen_max_leaf, a, hypercall_msr, ver >> 16, ver & 0xffff,
            extra, rc);
}

/* x2APIC mode: xAPIC first, then x2APIC (the architectural path). */
static int x2apic_enable(void)
{
    uint32_t a, b, c, d;
    uint64_t base;

    cpuid(1, 0, &a, &b, &c, &d);
    if (!(c & CPUID1_ECX_X2APIC))
        return 0;
    base = rdmsr(MSR_APIC_BASE);
    if (!(base & APIC_BASE_EN))
        wrmsr(MSR_APIC_BASE, base |= APIC_BASE_EN);
    if (!(base & APIC_BASE_EXTD))
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_EXTD);
    wrmsr(MSR_X2APIC_SVR, 0x1ff);   /* enabled, spurious vector 0xff */
    return 1;
}

/* x2APIC periodic timer at vector 0x40 every period_ns (divide by 1);
 * 0 without an x2APIC. */
int x2apic_periodic(uint64_t period_ns)
{
    if (!x2apic_enable())
        return 0;
    wrmsr(MSR_X2APIC_LVTT, TIMER_VECTOR | LVTT_PERIODIC);
    wrmsr(MSR_X2APIC_TDCR, 0xb);
    wrmsr(MSR_X2APIC_TMICT, period_ns);
    return 1;
}

void x2apic_timer_stop(void)
{
    wrmsr(MSR_X2APIC_LVTT, LVTT_MASKED | TIMER_VECTOR);
    wrmsr(MSR_X2APIC_TMICT, 0);
}

/* sti;hlt until the timer interrupt; returns elapsed ms since tsc0. */
static uint64_t wait_timer(uint64_t tsc0)
{
    while (!timer_irqs && ms_since(tsc0) < 5000)
        asm volatile("sti; hlt; cli" ::: "memory");
    wrmsr(MSR_X2APIC_LVTT, LVTT_MASKED | TIMER_VECTOR);
    return ms_since(tsc0);
}

static void sleep_verdict(uint64_t ms, const char *how)
{
    if (!timer_irqs)
        return verdict(0, "no timer interrupt after %lu ms", ms);
    verdict(ms >= 95 && ms <= 300, "slept %lu ms (asked 100)%s", ms, how);
}

static void test_sleep_lapic(void)
{
    uint64_t t0, cur;

    if (!tsc_khz)
        return verdict(0, "no TSC frequency");
    if (!x2apic_enable())
        return verdict(0, "no x2APIC");
    wrmsr(MSR_X2APIC_LVTT, TIMER_VECTOR);   /* one-shot, unmasked */
    wrmsr(MSR_X2APIC_TDCR, 0xb);            /* divide by 1 */
    t0 = rdtsc();
    wrmsr(MSR_X2APIC_TMICT, 100 * MS);      /* 1 tick = 1 ns */
    cur = rdmsr(MSR_X2APIC_TMCCT);
    if (cur == 0 || cur > 100 * MS)
        return verdict(0, "current count %lu right after arming", cur);
    sleep_verdict(wait_timer(t0), "");
}

static void test_sleep_deadline(void)
{
    uint32_t a, b, c, d;
    uint64_t t0;

    if (!tsc_khz)
        return verdict(0, "no TSC frequency");
    cpuid(1, 0, &a, &b, &c, &d);
    if (!(c & CPUID1_ECX_DEADLINE))
        return verdict(0, "no TSC-deadline timer");
    if (!x2apic_enable())
        return verdict(0, "no x2APIC");
    wrmsr(MSR_X2APIC_LVTT, TIMER_VECTOR | LVTT_TSC_DEADLINE);
    asm volatile("mfence" ::: "memory");    /* LVT mode before the deadline */
    t0 = rdtsc();
    wrmsr(MSR_TSC_DEADLINE, t0 + 100ull * tsc_khz);
    sleep_verdict(wait_timer(t0), ", TSC deadline");
}

/* The one-shot timer again, through the xAPIC page (x2APIC stays off). */
static void test_sleep_xapic(void)
{
    uint64_t base, t0, ms;
    uint32_t id, ver, cur;

    if (!tsc_khz)
        return verdict(0, "no TSC frequency");
    base = rdmsr(MSR_APIC_BASE);
    if (base & APIC_BASE_EXTD)
        return verdict(0, "APIC base 0x%lx: already in x2APIC mode", base);
    if ((base & ~0xfffull) != 0xfee00000ull)
        return verdict(0, "APIC base 0x%lx, not at 0xfee00000", base);
    if (!(base & APIC_BASE_EN))
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_EN);
    apic_mmio = 1;
    id = mmio_read32(XAPIC_ID);
    ver = mmio_read32(XAPIC_VERSION);
    if ((ver & 0xff) != 0x14)
        return verdict(0, "version register 0x%x, want low byte 0x14", ver);
    if (id >> 24 != 0)
        return verdict(0, "APIC ID register 0x%x, want id 0 for vCPU 0", id);
    mmio_write32(XAPIC_SVR, 0x1ff);          /* enabled, spurious vector 0xff */
    if ((mmio_read32(XAPIC_SVR) & 0x1ff) != 0x1ff)
        return verdict(0, "SVR reads 0x%x after writing 0x1ff", mmio_read32(XAPIC_SVR));
    mmio_write32(XAPIC_LVTT, TIMER_VECTOR);  /* one-shot, unmasked */
    mmio_write32(XAPIC_TDCR, 0xb);           /* divide by 1 */
    t0 = rdtsc();
    mmio_write32(XAPIC_TMICT, 100 * MS);
    cur = mmio_read32(XAPIC_TMCCT);
    if (cur == 0 || cur > 100 * MS)
        return verdict(0, "current count %u right after arming", cur);
    while (!timer_irqs && ms_since(t0) < 5000)
        asm volatile("sti; hlt; cli" ::: "memory");
    ms = ms_since(t0);
    mmio_write32(XAPIC_LVTT, LVTT_MASKED | TIMER_VECTOR);
    if (!timer_irqs)
        return verdict(0, "no timer interrupt after %lu ms", ms);
    verdict(ms >= 95 && ms <= 300,
            "slept %lu ms (asked 100), xAPIC MMIO, id reg 0x%x, version 0x%x",
            ms, id, ver);
}

/* x2APIC periodic timer, 10 ms period, for 500 ms of TSC time.  Also
 * reports the longest gap between interrupts and the gaps over 15 ms: the
 * hypervisor drops ticks it could not deliver in time (a host that stops
 * QEMU for a while shows up there). */
static void test_periodic(void)
{
    uint64_t t0, ms, last, now, gap, max_gap = 0;
    unsigned int n, seen = 0, late = 0;

    if (!tsc_khz)
        return verdict(0, "no TSC frequency");
    if (!x2apic_enable())
        return verdict(0, "no x2APIC");
    wrmsr(MSR_X2APIC_LVTT, TIMER_VECTOR | LVTT_PERIODIC);
    wrmsr(MSR_X2APIC_TDCR, 0xb);            /* divide by 1 */
    t0 = last = rdtsc();
    wrmsr(MSR_X2APIC_TMICT, 10 * MS);
    while ((ms = ms_since(t0)) < 500) {
        asm volatile("sti; hlt; cli" ::: "memory");
        if (timer_irqs != seen) {
            now = rdtsc();
            gap = (now - last) * 1000 / tsc_khz;    /* us */
            max_gap = gap > max_gap ? gap : max_gap;
            late += gap > 15000;
            seen = timer_irqs;
            last = now;
        }
    }
    n = timer_irqs;
    wrmsr(MSR_X2APIC_LVTT, LVTT_MASKED | TIMER_VECTOR | LVTT_PERIODIC);
    wrmsr(MSR_X2APIC_TMICT, 0);
    verdict(n >= 40 && n <= 55,
            "%u interrupts in %lu ms (10 ms period, want 40..55), longest gap %lu us, %u gaps over 15 ms",
            n, ms, max_gap, late);
}

/* Spin with interrupts enabled until apic_irqs[vec] reaches want, for at
 * most max_us; returns the microseconds spent. */
static uint64_t irq_wait_us(unsigned int vec, unsigned int want, uint64_t max_us)
{
    uint64_t t0 = rdtsc(), limit = max_us * tsc_khz / 1000, dt;

    asm volatile("sti" ::: "memory");
    while ((dt = rdtsc() - t0) < limit && apic_irqs[vec] < want)
        cpu_relax();
    asm volatile("cli" ::: "memory");
    return dt * 1000 / tsc_khz;
}

static void test_self_ipi(void)
{
    uint64_t us1, us2, us3, irr;
    unsigned int n42;

    if (!tsc_khz)
        return verdict(0, "no TSC frequency");
    if (!x2apic_enable())
        return verdict(0, "no x2APIC");

    /* Both with interrupts off; the higher vector should come first. */
    wrmsr(MSR_X2APIC_SELF_IPI, SELF_VECTOR);
    wrmsr(MSR_X2APIC_ICR, ICR_SELF | SHORTHAND_VECTOR);
    if (apic_irqs[SELF_VECTOR] || apic_irqs[SHORTHAND_VECTOR])
        return verdict(0, "interrupt taken with IF=0");
    us1 = irq_wait_us(SELF_VECTOR, 1, 100000);
    if (apic_irqs[SHORTHAND_VECTOR] < 1)
        irq_wait_us(SHORTHAND_VECTOR, 1, 100000);
    if (apic_irqs[SELF_VECTOR] != 1 || apic_irqs[SHORTHAND_VECTOR] != 1)
        return verdict(0, "SELF_IPI 0x42 ran %u times, ICR self 0x43 %u times (want 1, 1)",
                       apic_irqs[SELF_VECTOR], apic_irqs[SHORTHAND_VECTOR]);
    if (apic_irq_log_len != 2 || apic_irq_log[0] != SHORTHAND_VECTOR)
        return verdict(0, "order of arrival 0x%x 0x%x (%u), want 0x43 first",
                       apic_irq_log[0], apic_irq_log[1], apic_irq_log_len);

    /* TPR 0x50 holds back vector 0x42 (class 4). */
    wrmsr(MSR_X2APIC_TPR, 0x50);
    wrmsr(MSR_X2APIC_SELF_IPI, SELF_VECTOR);
    us2 = irq_wait_us(SELF_VECTOR, 2, 10000);
    n42 = apic_irqs[SELF_VECTOR];
    irr = rdmsr(MSR_X2APIC_IRR0 + SELF_VECTOR / 32);
    if (n42 != 1) {
        wrmsr(MSR_X2APIC_TPR, 0);
        return verdict(0, "vector 0x42 delivered with TPR 0x50 (after %lu us)", us2);
    }
    if (!(irr & (1u << (SELF_VECTOR % 32)))) {
        wrmsr(MSR_X2APIC_TPR, 0);
        return verdict(0, "vector 0x42 not pending in IRR with TPR 0x50 (IRR2 0x%lx)", irr);
    }
    wrmsr(MSR_X2APIC_TPR, 0);
    us3 = irq_wait_us(SELF_VECTOR, 2, 100000);
    if (apic_irqs[SELF_VECTOR] != 2)
        return verdict(0, "vector 0x42 not delivered within %lu us of TPR 0", us3);
    verdict(1, "SELF_IPI 0x42 and ICR self 0x43 both ran (0x43 first, %lu us), "
            "TPR 0x50 held 0x42 for %lu us (pending in IRR), delivered %lu us after TPR 0",
            us1, us2, us3);
}

/* ---- smp ---- */

#define AP_STACK 0x4000
static uint8_t ap_stack[AP_STACK] __attribute__((aligned(16)));
static volatile unsigned int ap_up, ap_got_ipi;
static volatile uint32_t ap_apic_id;

/* vCPU 1, from ap_entry64: x2APIC, report, wait for the BSP's IPI, then
 * cli; hlt, which takes it down.  Only prints before setting ap_up (the
 * console buffer is not shared safely; the BSP waits for ap_up). */
void ap_main(void)
{
    uint64_t t0;

    idt_load();
    if (x2apic_enable())
        ap_apic_id = rdmsr(MSR_X2APIC_ID);
    else
        ap_apic_id = 0xffffffff;
    printk("GUEST %s: vCPU 1 up, APIC id %u\n", label, ap_apic_id);
    __atomic_store_n(&ap_up, 1, __ATOMIC_SEQ_CST);
    t0 = rdtsc();
    while (!apic_irqs[IPI_VECTOR] && ms_since(t0) < 2000)
        asm volatile("sti; hlt; cli" ::: "memory");
    if (apic_irqs[IPI_VECTOR])
        __atomic_store_n(&ap_got_ipi, 1, __ATOMIC_SEQ_CST);
    for (;;)
        asm volatile("cli; hlt" ::: "memory");
}

static uint64_t us_since(uint64_t tsc0)
{
    return (rdtsc() - tsc0) * 1000 / tsc_khz;
}

/* Spin until *flag is set, at most ms; returns the microseconds spent. */
static uint64_t wait_flag(volatile unsigned int *flag, uint64_t ms)
{
    uint64_t t0 = rdtsc();

    while (!__atomic_load_n(flag, __ATOMIC_SEQ_CST) && ms_since(t0) < ms)
        cpu_relax();
    return us_since(t0);
}

static void test_smp(void)
{
    struct vcpu_hvm_context ctx;
    uint64_t t0, up_us, ipi_us, down_us;
    long rc, rc2;

    if (!tsc_khz)
        return verdict(0, "no TSC frequency");
    rc = vcpu_op(VCPUOP_is_up, 1, 0);
    if (rc == -ENOENT)
        return verdict(0, "no vCPU 1 (needs dom.vcpus>=2)");
    if (rc != 0)
        return verdict(0, "VCPUOP_is_up(1) = %ld before start, want 0", rc);
    rc = vcpu_op(VCPUOP_is_up, 99, 0);
    if (rc != -ENOENT)
        return verdict(0, "VCPUOP_is_up(99) = %ld, want -2", rc);
    rc = vcpu_op(VCPUOP_up, 1, 0);
    if (rc != -EINVAL)
        return verdict(0, "VCPUOP_up(1) before initialise = %ld, want -22", rc);

    memset(&ctx, 0, sizeof(ctx));
    ctx.mode = VCPU_HVM_MODE_64B;
    ctx.cpu_regs.x86_64.rip = (uintptr_t)ap_entry64;
    ctx.cpu_regs.x86_64.rsp = (uintptr_t)(ap_stack + AP_STACK);
    ctx.cpu_regs.x86_64.rflags = 2;
    ctx.cpu_regs.x86_64.cr0 = read_cr(0);
    ctx.cpu_regs.x86_64.cr3 = read_cr(3);
    ctx.cpu_regs.x86_64.cr4 = read_cr(4);
    ctx.cpu_regs.x86_64.efer = rdmsr(MSR_EFER);
    rc = vcpu_op(VCPUOP_initialise, 1, &ctx);
    if (rc)
        return verdict(0, "VCPUOP_initialise(1) = %ld", rc);
    rc = vcpu_op(VCPUOP_initialise, 1, &ctx);
    if (rc != -EEXIST)
        return verdict(0, "second VCPUOP_initialise(1) = %ld, want -17", rc);
    if (!x2apic_enable())
        return verdict(0, "no x2APIC");

    rc = vcpu_op(VCPUOP_up, 1, 0);
    rc2 = vcpu_op(VCPUOP_is_up, 1, 0);
    if (rc || rc2 != 1)
        return verdict(0, "VCPUOP_up(1) = %ld, then VCPUOP_is_up(1) = %ld, want 0, 1", rc, rc2);
    up_us = wait_flag(&ap_up, 2000);
    if (!ap_up)
        return verdict(0, "vCPU 1 did not report in 2 s");
    if (ap_apic_id != 2)
        return verdict(0, "vCPU 1 has APIC id %u, want 2", ap_apic_id);

    wrmsr(MSR_X2APIC_ICR, (2ull << 32) | IPI_VECTOR);  /* fixed, physical */
    ipi_us = wait_flag(&ap_got_ipi, 2000);
    if (!ap_got_ipi)
        return verdict(0, "vCPU 1 did not take IPI 0x%x in 2 s", IPI_VECTOR);

    t0 = rdtsc();
    while ((rc = vcpu_op(VCPUOP_is_up, 1, 0)) == 1 && ms_since(t0) < 2000)
        cpu_relax();
    down_us = us_since(t0);
    if (rc != 0)
        return verdict(0, "VCPUOP_is_up(1) = %ld 2 s after cli; hlt, want 0", rc);
    if (apic_irqs[IPI_VECTOR] != 1)
        return verdict(0, "IPI handler ran %u times, want 1", apic_irqs[IPI_VECTOR]);
    verdict(1, "is_up(99) -2, up before init -22, init 0, again -17, up 0, is_up 1; "
            "vCPU 1 APIC id %u reported in %lu us, IPI 0x%x taken in %lu us, "
            "down (is_up 0) %lu us after", ap_apic_id, up_us, IPI_VECTOR, ipi_us, down_us);
}

/* ---- bench ---- */

static void bench_line(const char *what, uint64_t n, uint64_t cycles)
{
    uint64_t ns = cycles * 1000000 / tsc_khz;   /* total, in ns */

    printk("BENCH %s %s: %lu calls in %lu us, %lu ns each, %lu per second\n",
           what, label, n, ns / 1000, ns / n, ns ? n * (uint64_t)1000000000 / ns : 0);
}

static void test_bench(void)
{
    uint64_t n = bench_n, t0, hc, cp;
    uint32_t a, b, c, d;
    long rc = 0;

    if (!tsc_khz)
        return verdict(0, "no TSC frequency");
    if (!n)
        return verdict(0, "n=0");
    t0 = rdtsc();
    for (uint64_t i = 0; i < n; i++)
        rc |= xen_version(XENVER_version, 0);
    hc = rdtsc() - t0;
    if (rc <= 0)
        return verdict(0, "xen_version returned %ld", rc);
    bench_line("hypercall", n, hc);
    t0 = rdtsc();
    for (uint64_t i = 0; i < n; i++)
        cpuid(0, 0, &a, &b, &c, &d);
    cp = rdtsc() - t0;
    bench_line("cpuid", n, cp);
    verdict(1, "%lu xen_version hypercalls, %lu CPUID(0), TSC %u kHz", n, n, tsc_khz);
}

long singleshot(uint64_t abs_ns, uint32_t flags)
{
    struct vcpu_set_singleshot_timer s = { .timeout_abs_ns = abs_ns, .flags = flags };

    return vcpu_op(VCPUOP_set_singleshot_timer, 0, &s);
}

/*
 * No shared_info, so no clock: find Xen's system time by bisection with
 * VCPU_SSHOTTMR_future (-ETIME iff the timeout is in the past), starting
 * from the runstate entry time, which is not later than now.  The VIRQ is
 * not bound yet, so the probe timers deliver nothing.
 */
static uint64_t system_time(uint64_t lo, unsigned int *probes)
{
    uint64_t step = MS, hi = lo + step, mid;

    while (*probes < 64 && singleshot(hi, VCPU_SSHOTTMR_future) == -ETIME) {
        (*probes)++;
        lo = hi;
        step *= 2;
        hi = lo + step;
    }
    while (*probes < 160 && hi - lo > 20000) {
        (*probes)++;
        mid = lo + (hi - lo) / 2;
        if (singleshot(mid, VCPU_SSHOTTMR_future) == -ETIME)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

static void test_sleep_vcpuop(void)
{
    struct vcpu_runstate_info rs;
    struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
    unsigned int probes = 0, blocks = 0;
    uint64_t now, t0, ms;
    long rc;

    if (!tsc_khz)
        return verdict(0, "no TSC frequency");
    rc = singleshot(0, VCPU_SSHOTTMR_future);
    if (rc != -ETIME)
        return verdict(0, "past timeout with VCPU_SSHOTTMR_future returned %ld, want -62", rc);
    rc = vcpu_op(VCPUOP_get_runstate_info, 0, &rs);
    if (rc)
        return verdict(0, "VCPUOP_get_runstate_info returned %ld", rc);
    now = system_time(rs.state_entry_time, &probes);
    t0 = rdtsc();
    vcpu_op(VCPUOP_stop_singleshot_timer, 0, 0);
    rc = evtchn_op(EVTCHNOP_bind_virq, &bv);
    if (rc)
        return verdict(0, "EVTCHNOP_bind_virq(VIRQ_TIMER) returned %ld", rc);
    rc = singleshot(now + 100 * MS, 0);
    if (rc)
        return verdict(0, "VCPUOP_set_singleshot_timer returned %ld", rc);
    while (blocks < 20) {
        sched_op(SCHEDOP_block, 0);
        blocks++;
        if (ms_since(t0) >= 90)
            break;
    }
    ms = ms_since(t0);
    verdict(ms >= 90 && ms <= 300,
            "woke after %lu ms (asked 100), %u block returns, port %u, system time %lu ns (%u probes)",
            ms, blocks, bv.port, now, probes);
}

static void test_triple(void)
{
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } z = { 0, 0 };

    printk("GUEST %s: triple fault next\n", label);
    asm volatile("lidt %0; ud2" :: "m"(z) : "memory");
    verdict(0, "survived a triple fault");
}

static void test_exception(void)
{
    asm volatile("ud2" ::: "memory");
    verdict(0, "ud2 did not reach the #UD handler");
}

static void __attribute__((noreturn)) spin(int quiet)
{
    volatile uint64_t counter = 0;
    uint64_t t0 = rdtsc(), interval = 500ull * tsc_khz, loops = 0;
    unsigned int n = 0;

    if (quiet)
        asm volatile("cli");
    for (;;) {
        for (int i = 0; i < 1000; i++)
            counter++;
        if (quiet)
            continue;
        loops++;
        if (rdtsc() - t0 >= interval) {
            struct vcpu_runstate_info rs;
            uint64_t run_ms = 0;

            t0 += interval;
            /* CPU time the hypervisor says this vCPU got, so far. */
            if (!vcpu_op(VCPUOP_get_runstate_info, 0, &rs))
                run_ms = rs.time[RUNSTATE_running] / 1000000;
            printk("SPIN %s %lu run %lu\n", label, loops, run_ms);
            loops = 0;
            if (++n == 10)
                verdict(1, "10 intervals");
        }
    }
}

static void test_spin(void)
{
    if (!tsc_khz)
        return verdict(0, "no TSC frequency");
    spin(0);
}

static void test_spin_irqoff(void)
{
    spin(1);
}

/* ---- fuzz ---- */

static uint64_t rng;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static uint8_t canary[4096];
static char junk[64];

static uint64_t far_addr(void)
{
    return ram_end() + (1ull << 30) + rnd() % (1ull << 44);
}

/* Inside RAM, but above the image (and its stack, page tables, copies of
 * start_info): whatever the hypervisor writes there cannot hurt us. */
static uint64_t ram_addr(void)
{
    uint64_t guard = (((uintptr_t)_end + (2 << 20) - 1) & ~((2ull << 20) - 1)) + (2 << 20);

    for (int tries = 0; tries < 8 && nr_memmap; tries++) {
        const struct hvm_memmap_table_entry *e = &memmap[rnd() % nr_memmap];
        uint64_t lo = e->addr, hi = e->addr + e->size;

        if (e->type != XEN_HVM_MEMMAP_TYPE_RAM)
            continue;
        lo = lo < guard ? guard : lo;
        hi = hi > (1ull << 32) ? (1ull << 32) : hi;
        if (hi > lo + 8192)
            return lo + rnd() % (hi - lo - 4096);
    }
    return far_addr();
}

/* Kinds 0-3 never point into our RAM. */
static uint64_t fuzz_arg(int safe)
{
    uint64_t r = rnd();

    switch (rnd() % (safe ? 4 : 8)) {
    case 0: return -1ull;
    case 1: return 0xdeadbeefdeadbeefull;
    case 2: return far_addr();
    case 3: return (r & 0x00007fffffffffffull) |
                   ((r >> 63) ? 0x0000800000000000ull : 0xffff000000000000ull);
    case 4: return 0;
    case 5: return r % 16;
    case 6: return r;
    default: return ram_addr();
    }
}

/* Keep away from calls that would legitimately stop, block or rewire us. */
static void fuzz_filter(unsigned int nr, uint64_t *a)
{
    uint32_t c = a[0];

    switch (nr) {
    case __HYPERVISOR_sched_op_compat:
    case __HYPERVISOR_sched_op:
        if (c >= SCHEDOP_block && c <= SCHEDOP_watchdog)
            a[0] = SCHEDOP_yield;
        break;
    case __HYPERVISOR_vcpu_op:
        if (c <= VCPUOP_down || c == VCPUOP_send_nmi)
            a[0] = VCPUOP_is_up;
        else if (c == VCPUOP_register_runstate_memory_area ||
                 c == VCPUOP_register_vcpu_info ||
                 c == VCPUOP_register_vcpu_time_memory_area)
            a[2] = fuzz_arg(1);
        break;
    case __HYPERVISOR_console_io:
        if (c == CONSOLEIO_write) {
            if (rnd() & 1) {
                a[1] = 0;
            } else {
                a[1] = 1 + rnd() % sizeof(junk);
                for (unsigned int i = 0; i < a[1]; i++)
                    junk[i] = 'a' + rnd() % 26;
                junk[a[1] - 1] = '\n';
                a[2] = (uintptr_t)junk;
            }
        }
        break;
    case __HYPERVISOR_memory_op:
        c = a[0] & MEMOP_CMD_MASK;
        if (c == XENMEM_increase_reservation || c == XENMEM_decrease_reservation ||
            c == XENMEM_populate_physmap || c == XENMEM_add_to_physmap ||
            c == XENMEM_exchange || c == XENMEM_remove_from_physmap ||
            c == XENMEM_add_to_physmap_batch)
            a[1] = fuzz_arg(1);
        break;
    case __HYPERVISOR_hvm_op:
        if ((a[0] & HVMOP_OP_MASK) == HVMOP_set_param)
            a[0] = HVMOP_get_param;
        break;
    case __HYPERVISOR_grant_table_op:
        /*
         * A batch writes each element's status back, and a long one is
         * continued to its end: starting at 0 or in page 0 it would walk
         * over our own image and stack.  Long batches start where nothing
         * of ours lives (or nowhere mapped) and still exercise continuations.
         */
        if ((uint32_t)a[2] > 16 && a[1] < (((uintptr_t)_end + (4 << 20))))
            a[1] = (rnd() & 1) ? fuzz_arg(1) : ram_addr();
        break;
    case __HYPERVISOR_multicall:    /* would run unfiltered calls */
        a[0] = fuzz_arg(1);
        break;
    }
}

static uint64_t text_sum(void)
{
    uint64_t s = 0;

    for (const uint64_t *p = (const void *)_start; p < (const uint64_t *)_etext; p++)
        s = s * 31 + *p;
    return s;
}

static void test_fuzz(void)
{
    enum { ENOSYS_, EFAULT_, EINVAL_, EPERM_, OTHER_, OK_ };
    unsigned int n[6] = { 0 };
    uint64_t sum = text_sum(), a[5];
    long ver, rc;
    int i;

    rng = seed ? seed : 0x9e3779b97f4a7c15ull;
    for (i = 0; i < (int)sizeof(canary); i++)
        canary[i] = (uint8_t)(i * 7 + 0x5a);
    ver = xen_version(XENVER_version, 0);

    for (i = 0; i < 20000; i++) {
        unsigned int nr = rnd() % 64;

        for (int j = 0; j < 5; j++)
            a[j] = fuzz_arg(0);
        fuzz_filter(nr, a);
        rc = hypercall(nr, a[0], a[1], a[2], a[3], a[4]);
        n[rc == -ENOSYS ? ENOSYS_ : rc == -EFAULT ? EFAULT_ : rc == -EINVAL ? EINVAL_ :
          rc == -EPERM ? EPERM_ : rc < 0 ? OTHER_ : OK_]++;
    }

    for (i = 0; i < (int)sizeof(canary); i++)
        if (canary[i] != (uint8_t)(i * 7 + 0x5a))
            return verdict(0, "canary byte %d changed to 0x%x", i, canary[i]);
    if (text_sum() != sum)
        return verdict(0, "guest text changed");
    rc = xen_version(XENVER_version, 0);
    if (rc != ver || rc <= 0)
        return verdict(0, "xen_version returned 0x%lx after, 0x%lx before", rc, ver);
    verdict(1, "20000 calls seed %lu: ENOSYS %u EFAULT %u EINVAL %u EPERM %u other %u ok %u, canary intact",
            seed, n[ENOSYS_], n[EFAULT_], n[EINVAL_], n[EPERM_], n[OTHER_], n[OK_]);
}

static const struct {
    const char *name;
    void (*fn)(void);
} tests[] = {
    { "hello", test_hello },
    { "cpuid", test_cpuid },
    { "sleep-lapic", test_sleep_lapic },
    { "sleep-deadline", test_sleep_deadline },
    { "sleep-vcpuop", test_sleep_vcpuop },
    { "triple", test_triple },
    { "spin", test_spin },
    { "spin-irqoff", test_spin_irqoff },
    { "fuzz", test_fuzz },
    { "exception", test_exception },
    { "smp", test_smp },
    { "sleep-xapic", test_sleep_xapic },
    { "periodic", test_periodic },
    { "self-ipi", test_self_ipi },
    { "bench", test_bench },
    { "features", test_features },
    { "shared-info", test_shared_info },
    { "evtchn", test_evtchn },
    { "vcpu-info", test_vcpu_info },
    { "gnttab-batch", test_gnttab_batch },
    { "control-eperm", test_control_eperm },
    { "xenstore-garbage", test_xenstore_garbage },
    { "hang", test_hang },
    { "xs-fake-server", test_xs_fake_server },
    { "unclaimed", test_unclaimed },
    { "msr", test_msr },
};

void run_test(void)
{
    for (unsigned int i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
        if (!strcmp(test_name, tests[i].name))
            return tests[i].fn();
    verdict(0, "unknown test");
}

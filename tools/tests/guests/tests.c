/* SPDX-License-Identifier: GPL-2.0 */
/* The tests.  Each prints exactly one verdict line (see verdict()). */
#include "guest.h"

#define MSR_APIC_BASE        0x1b
#define  APIC_BASE_EXTD      (1u << 10)
#define  APIC_BASE_EN        (1u << 11)
#define MSR_TSC_DEADLINE     0x6e0
#define MSR_X2APIC_SVR       0x80f
#define MSR_X2APIC_LVTT      0x832
#define MSR_X2APIC_TMICT     0x838
#define MSR_X2APIC_TMCCT     0x839
#define MSR_X2APIC_TDCR      0x83e
#define LVTT_MASKED          (1u << 16)
#define LVTT_TSC_DEADLINE    (2u << 17)
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

static long singleshot(uint64_t abs_ns, uint32_t flags)
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

static void test_oob(void)
{
    uint64_t end = ram_end(), addr = end + 16 * (1ull << 20);
    uint32_t val;

    if (!end || addr + 4 > 0xfec00000ull)
        return verdict(0, "no room (RAM ends at 0x%lx)", end);
    printk("GUEST %s: reading 0x%lx, expecting the hypervisor to crash this domain\n",
           label, addr);
    val = *(volatile uint32_t *)(uintptr_t)addr;
    verdict(0, "survived the read, got 0x%x", val);
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
            t0 += interval;
            printk("SPIN %s %lu\n", label, loops);
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
    { "oob", test_oob },
    { "triple", test_triple },
    { "spin", test_spin },
    { "spin-irqoff", test_spin_irqoff },
    { "fuzz", test_fuzz },
    { "exception", test_exception },
};

void run_test(void)
{
    for (unsigned int i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
        if (!strcmp(test_name, tests[i].name))
            return tests[i].fn();
    verdict(0, "unknown test");
}

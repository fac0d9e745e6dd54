/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The platform as a PVH guest of Xen 4.17 with no device model sees it:
 *  unclaimed  guest-physical space that is neither RAM nor a device (the
 *             HPET window, space above RAM, a page of RAM given back to
 *             the hypervisor) reads all-ones and drops writes, for MOV
 *             forms and bit tests; an unclaimed port likewise; what the
 *             hypervisor cannot emulate there is #GP(0) to the guest (an
 *             instruction fetch, an ADD), never a crashed domain.
 *  msr        the MSRs kernels read without asking CPUID first answer as
 *             Xen's do, and unknown ones still #GP.
 */
#include "guest.h"

#define HPET_BASE   0xfed00000ull
#define UNUSED_PORT 0x1234
#define VEC_UD      6
#define VEC_GP      13

static unsigned int failures;

static void check(int ok, const char *what, uint64_t got)
{
    if (ok)
        return;
    failures++;
    printk("GUEST %s: %s: got 0x%lx\n", label, what, got);
}

/* ---- unclaimed ---- */

static uint64_t load8(uint64_t pa)
{
    uint32_t v;

    asm volatile("movzbl (%1), %0" : "=r"(v) : "r"(pa) : "memory");
    return v;
}

static uint64_t load16(uint64_t pa)
{
    uint16_t v;

    asm volatile("movw (%1), %0" : "=r"(v) : "r"(pa) : "memory");
    return v;
}

static uint64_t load64(uint64_t pa)
{
    uint64_t v;

    asm volatile("movq (%1), %0" : "=r"(v) : "r"(pa) : "memory");
    return v;
}

/* movsbl: the all-ones byte sign-extends to all-ones. */
static uint64_t load8_sx(uint64_t pa)
{
    uint32_t v;

    asm volatile("movsbl (%1), %0" : "=r"(v) : "r"(pa) : "memory");
    return v;
}

/* mov ah, [pa] with rax = 0x1122: only AH changes. */
static uint64_t load_ah(uint64_t pa)
{
    uint64_t v = 0x1122;

    asm volatile("movb (%1), %%ah" : "+a"(v) : "r"(pa) : "memory");
    return v;
}

static void store64(uint64_t pa, uint64_t v)
{
    asm volatile("movq %0, (%1)" :: "r"(v), "r"(pa) : "memory");
}

/* Every form reads all-ones; a write is dropped, so it reads back so too. */
static void check_unclaimed(uint64_t pa, const char *where)
{
    printk("GUEST %s: probing %s at 0x%lx\n", label, where, pa);
    check(mmio_read32(pa) == 0xffffffffu, where, mmio_read32(pa));
    check(load8(pa + 1) == 0xff, "8-bit load", load8(pa + 1));
    check(load16(pa + 2) == 0xffff, "16-bit load", load16(pa + 2));
    check(load64(pa + 8) == ~0ull, "64-bit load", load64(pa + 8));
    check(load8_sx(pa) == 0xffffffffu, "movsx load", load8_sx(pa));
    check(load_ah(pa) == 0xff22, "load into ah", load_ah(pa));
    mmio_write32(pa, 0x12345678);
    store64(pa + 8, 0);
    check(mmio_read32(pa) == 0xffffffffu, "read back after a 32-bit write",
          mmio_read32(pa));
    check(load64(pa + 8) == ~0ull, "read back after a 64-bit write", load64(pa + 8));
}

/* CF after bt/bts/btr with these operands; the word is left as it was. */
static int bt_imm(uint64_t pa)
{
    uint8_t cf;

    asm volatile("btl $5, (%1); setc %0" : "=r"(cf) : "r"(pa) : "memory", "cc");
    return cf;
}

static int bt_reg(uint64_t pa, uint64_t bit)
{
    uint8_t cf;

    asm volatile("btq %2, (%1); setc %0" : "=r"(cf) : "r"(pa), "r"(bit)
                 : "memory", "cc");
    return cf;
}

static int lock_btr_imm(uint64_t pa)
{
    uint8_t cf;

    asm volatile("lock btrl $31, (%1); setc %0" : "=r"(cf) : "r"(pa)
                 : "memory", "cc");
    return cf;
}

static int bts_reg(uint64_t pa, uint32_t bit)
{
    uint8_t cf;

    asm volatile("btsl %2, (%1); setc %0" : "=r"(cf) : "r"(pa), "r"(bit)
                 : "memory", "cc");
    return cf;
}

static void check_bit_tests(uint64_t pa)
{
    check(bt_imm(pa) == 1, "bt imm CF", 0);
    /* Bit 1000 of a word at pa is bit 40 of the qword at pa + 120. */
    check(bt_reg(pa, 1000) == 1, "bt reg, large offset, CF", 0);
    check(lock_btr_imm(pa + 16) == 1, "lock btr CF", 0);
    check(bts_reg(pa, 4000) == 1, "bts reg, large offset, CF", 0);
    check(mmio_read32(pa + 16) == 0xffffffffu, "read back after btr",
          mmio_read32(pa + 16));
}

static uint32_t port_in(unsigned int size)
{
    uint32_t v = 0;

    if (size == 1)
        asm volatile("inb %w1, %b0" : "+a"(v) : "Nd"(UNUSED_PORT));
    else if (size == 2)
        asm volatile("inw %w1, %w0" : "+a"(v) : "Nd"(UNUSED_PORT));
    else
        asm volatile("inl %w1, %0" : "=a"(v) : "Nd"(UNUSED_PORT));
    return v;
}

static void check_port(void)
{
    check(port_in(1) == 0xff, "inb of an unused port", port_in(1));
    check(port_in(2) == 0xffff, "inw of an unused port", port_in(2));
    check(port_in(4) == 0xffffffffu, "inl of an unused port", port_in(4));
    asm volatile("outl %0, %w1" :: "a"(0u), "Nd"(UNUSED_PORT));
    check(port_in(4) == 0xffffffffu, "inl after outl", port_in(4));
}

/*
 * Give the page back with XENMEM_decrease_reservation: its guest-physical
 * address is then an unpopulated page of low memory.
 */
static uint8_t hole_page[4096] __attribute__((aligned(4096)));

static int make_hole(void)
{
    uint64_t gfn = (uintptr_t)hole_page >> 12;
    struct xen_memory_reservation r = {
        .extent_start = (uintptr_t)&gfn, .nr_extents = 1, .domid = DOMID_SELF,
    };

    return memory_op(XENMEM_decrease_reservation, &r) == 1;
}

/* #GP(0) expected, resuming after the instruction. */
static int add_faults(uint64_t pa)
{
    exc_expect = VEC_GP;
    asm volatile("leaq 1f(%%rip), %%rax\n\t"
                 "movq %%rax, exc_resume_rip(%%rip)\n\t"
                 "addl $1, (%0)\n"
                 "1:" :: "r"(pa) : "rax", "memory", "cc");
    exc_resume_rip = 0;
    return exc_expect < 0 && exc_seen_error == 0;
}

/* #GP(0) expected at pa itself; the handler returns from the call. */
static int fetch_faults(uint64_t pa)
{
    exc_expect = VEC_GP;
    exc_resume_rip = 0;
    asm volatile("call *%0" :: "r"(pa) : "rax", "rcx", "rdx", "rsi", "rdi", "r8",
                 "r9", "r10", "r11", "memory", "cc");
    return exc_expect < 0 && exc_seen_error == 0 && exc_seen_rip == pa;
}

void test_unclaimed(void)
{
    uint64_t above = ram_end() + (16ull << 20);

    check_unclaimed(HPET_BASE, "the HPET window");
    check_bit_tests(HPET_BASE);
    if (above + 4096 <= 0xfec00000ull)
        check_unclaimed(above, "16 MiB above RAM");
    if (make_hole())
        check_unclaimed((uintptr_t)hole_page, "a page given back");
    else
        check(0, "decrease_reservation of one page", 0);
    check_port();
    check(add_faults(HPET_BASE), "add to the HPET window: #GP(0)", exc_seen_error);
    exc_expect = -1;
    check(fetch_faults(HPET_BASE), "call into the HPET window: #GP(0)", exc_seen_rip);
    exc_expect = -1;
    verdict(!failures, "%u failures: unclaimed MMIO and ports read all-ones, "
            "writes dropped, #GP(0) for what is not emulated", failures);
}

/* ---- msr ---- */

/* RDMSR/WRMSR that report a #GP instead of taking it. */
static int rdmsr_safe(uint32_t msr, uint64_t *val)
{
    uint32_t lo = 0, hi = 0;

    exc_expect = VEC_GP;
    asm volatile("leaq 1f(%%rip), %%rax\n\t"
                 "movq %%rax, exc_resume_rip(%%rip)\n\t"
                 "xorl %%eax, %%eax\n\t"
                 "rdmsr\n"
                 "1:" : "=&a"(lo), "+d"(hi) : "c"(msr) : "memory");
    exc_resume_rip = 0;
    if (exc_expect < 0)
        return -1;
    exc_expect = -1;
    *val = ((uint64_t)hi << 32) | lo;
    return 0;
}

static int wrmsr_safe(uint32_t msr, uint64_t val)
{
    exc_expect = VEC_GP;
    asm volatile("leaq 1f(%%rip), %%r8\n\t"
                 "movq %%r8, exc_resume_rip(%%rip)\n\t"
                 "wrmsr\n"
                 "1:" :: "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
                 : "r8", "memory");
    exc_resume_rip = 0;
    if (exc_expect < 0)
        return -1;
    exc_expect = -1;
    return 0;
}

static void check_msr(uint32_t msr, uint64_t want)
{
    uint64_t v = 0;
    char what[40] = "RDMSR 0x";
    unsigned int n = 8;

    for (int s = 28; s >= 0; s -= 4)
        what[n++] = "0123456789abcdef"[(msr >> s) & 15];
    what[n] = '\0';
    if (rdmsr_safe(msr, &v)) {
        check(0, what, ~0ull);
        printk("GUEST %s: (that was a #GP)\n", label);
        return;
    }
    check(v == want, what, v);
}

static int vendor_is(const char *name)
{
    uint32_t a, b, c, d;
    char v[13];

    cpuid(0, 0, &a, &b, &c, &d);
    memcpy(v, &b, 4);
    memcpy(v + 4, &d, 4);
    memcpy(v + 8, &c, 4);
    v[12] = '\0';
    return !strcmp(v, name);
}

void test_msr(void)
{
    int intel = vendor_is("GenuineIntel"), amd = vendor_is("AuthenticAMD");
    uint64_t v = 0;

    printk("GUEST %s: MSRs on %s\n", label, intel ? "Intel" : amd ? "AMD" : "?");
    check_msr(0x1d9, 0);                                 /* DEBUGCTL */
    check(!wrmsr_safe(0x1d9, 0), "DEBUGCTL write of 0 accepted", 0);
    check(!wrmsr_safe(0x1d9, 1), "DEBUGCTL write of LBR accepted", 0);
    check_msr(0x1d9, 0);
    check(wrmsr_safe(0x1d9, 2), "DEBUGCTL write of BTF refused", 0);
    check_msr(0xce, 1ull << 32);                         /* PLATFORM_INFO */
    check_msr(0x140, 0);                                 /* MISC_FEATURES */
    check(!wrmsr_safe(0x140, 1), "CPUID faulting turned on", 0);
    check_msr(0x140, 1);
    {
        uint32_t a, b, c, d;

        cpuid(0, 0, &a, &b, &c, &d);      /* at CPL 0 it still works */
        check(a != 0, "CPUID at CPL 0 with faulting on", a);
    }
    check(!wrmsr_safe(0x140, 0), "CPUID faulting turned off", 0);
    check(wrmsr_safe(0x140, 2), "MISC_FEATURES reserved bit refused", 0);
    check_msr(0x179, intel ? 0x1000c02 : 2);             /* MCG_CAP */
    check_msr(0x17a, 0);                                 /* MCG_STATUS */
    check_msr(0x17b, 0);                                 /* MCG_CTL */
    check_msr(0x400, ~0ull);                             /* MC0_CTL */
    check_msr(0x401, 0);                                 /* MC0_STATUS */
    check_msr(0x404, ~0ull);                             /* MC1_CTL */
    check_msr(0x408, 0);                                 /* MC2_CTL: no bank */
    check(!wrmsr_safe(0x17a, 0), "MCG_STATUS write accepted", 0);
    check(!wrmsr_safe(0x401, 0), "MC0_STATUS write accepted", 0);
    if (intel) {
        check_msr(0x3a, 1);                              /* FEATURE_CONTROL */
        check_msr(0x198, 0);                             /* PERF_STATUS */
        check_msr(0x19c, 0);                             /* THERM_STATUS */
    }
    if (amd) {
        check_msr(0xc0011029, 2);                        /* DE_CFG: LFENCE */
        check(rdmsr_safe(0x198, &v), "PERF_STATUS on AMD: #GP", v);
    }
    check(rdmsr_safe(0x4d0, &v), "MCG_EXT_CTL: #GP", v);
    check(rdmsr_safe(0x12345678, &v), "an unknown MSR: #GP", v);
    verdict(!failures, "%u failures: MSRs answer as Xen's", failures);
}

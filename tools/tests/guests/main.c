/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Start of day in C: IDT, Xen detection and hypercall page, start_info and
 * command line, then the selected test and the verdict.
 */
#include "guest.h"

#define MSR_X2APIC_EOI 0x80b
#define XAPIC_EOI      0xfee000b0

const char *test_name = "hello", *label = "guest";
struct hvm_memmap_table_entry memmap[MAX_MEMMAP];
unsigned int nr_memmap;
uint64_t seed = 1, bench_n = 100000;
uint32_t tsc_khz;
uint32_t si_flags;
volatile unsigned int timer_irqs;
int apic_mmio;
volatile unsigned int apic_irqs[256];
volatile uint8_t apic_irq_log[16];
volatile unsigned int apic_irq_log_len;

static char cmdline[512], test_buf[32], label_buf[32];

struct idt_entry {
    uint16_t off0, sel;
    uint8_t ist, type;
    uint16_t off1;
    uint32_t off2, rsvd;
};
static struct idt_entry idt[256] __attribute__((aligned(16)));

static void idt_set(unsigned int vec, uint64_t handler)
{
    idt[vec] = (struct idt_entry){
        .off0 = handler, .sel = 0x08, .type = 0x8e,    /* interrupt gate */
        .off1 = handler >> 16, .off2 = handler >> 32,
    };
}

/* Also called by secondary vCPUs, which share the table. */
void idt_load(void)
{
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } d = {
        sizeof(idt) - 1, (uintptr_t)idt,
    };

    asm volatile("lidt %0" :: "m"(d));
}

static void idt_init(void)
{
    for (unsigned int v = 0; v < 32; v++)
        idt_set(v, exc_stubs[v]);
    idt_set(0x40, (uintptr_t)timer_stub);
    idt_set(0x41, (uintptr_t)irq_stub_0x41);
    idt_set(0x42, (uintptr_t)irq_stub_0x42);
    idt_set(0x43, (uintptr_t)irq_stub_0x43);
    idt_set(0x50, (uintptr_t)upcall_stub);
    idt_load();
}

void __attribute__((noreturn)) shutdown_now(unsigned int reason)
{
    struct sched_shutdown s = { .reason = reason };
    long rc = sched_op(SCHEDOP_shutdown, &s);

    printk("GUEST %s: shutdown returned %ld\n", label, rc);
    for (;;)
        asm volatile("cli; hlt");
}

void finish(void)
{
    shutdown_now(SHUTDOWN_poweroff);
}

void verdict(int pass, const char *fmt, ...)
{
    va_list ap;

    console_flush();
    printk("TEST %s %s: %s ", test_name, label, pass ? "PASS" : "FAIL");
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
    printk("\n");
}

/*
 * An exception a test asked for (exc_expect): recorded, and the guest
 * resumes at exc_resume_rip, or, if that is 0, returns from the call that
 * faulted (the return address is at the top of the faulting stack).
 */
volatile int exc_expect = -1;
volatile uint64_t exc_resume_rip, exc_seen_error, exc_seen_rip;

static int exc_expected(struct exc_frame *f)
{
    if (exc_expect < 0 || f->vector != (uint64_t)exc_expect)
        return 0;
    exc_expect = -1;
    exc_seen_error = f->error;
    exc_seen_rip = f->rip;
    if (exc_resume_rip) {
        f->rip = exc_resume_rip;
    } else {
        f->rip = *(const uint64_t *)(uintptr_t)f->rsp;
        f->rsp += 8;
    }
    return 1;
}

void exc_report(struct exc_frame *f)
{
    if (exc_expected(f))
        return;
    console_flush();
    if (f->vector == 6 && !strcmp(test_name, "exception")) {
        printk("GUEST %s: exception 6 at rip 0x%lx\n", label, f->rip);
        verdict(1, "own #UD handler ran");
        finish();
    }
    printk("GUEST %s: exception %lu error 0x%lx at rip 0x%lx cr2 0x%lx\n",
           label, f->vector, f->error, f->rip, read_cr2());
    verdict(0, "unexpected exception %lu at rip 0x%lx", f->vector, f->rip);
    shutdown_now(SHUTDOWN_crash);
}

/* EOI to the local APIC of this vCPU, in whichever mode the test uses. */
void apic_eoi(void)
{
    if (apic_mmio)
        mmio_write32(XAPIC_EOI, 0);
    else
        wrmsr(MSR_X2APIC_EOI, 0);
}

void timer_irq(void)
{
    timer_irqs++;
    apic_eoi();
}

/* Vectors 0x41-0x43: count, log the order of arrival, EOI. */
void apic_irq(unsigned int vec)
{
    unsigned int n = apic_irq_log_len;

    apic_irqs[vec & 0xff]++;
    if (n < sizeof(apic_irq_log)) {
        apic_irq_log[n] = vec;
        apic_irq_log_len = n + 1;
    }
    apic_eoi();
}

uint64_t ms_since(uint64_t tsc0)
{
    return tsc_khz ? (rdtsc() - tsc0) / tsc_khz : 0;
}

/* The end of the highest RAM entry. */
uint64_t ram_end(void)
{
    uint64_t end = 0;

    for (unsigned int i = 0; i < nr_memmap; i++)
        if (memmap[i].type == XEN_HVM_MEMMAP_TYPE_RAM &&
            memmap[i].addr + memmap[i].size > end)
            end = memmap[i].addr + memmap[i].size;
    return end;
}

/* Copy the value of "key=value" into buf (up to the next space). */
static void opt_copy(const char *v, char *buf, unsigned int size)
{
    unsigned int n = 0;

    while (v[n] && v[n] != ' ' && n < size - 1) {
        buf[n] = v[n];
        n++;
    }
    buf[n] = '\0';
}

static void parse_cmdline(void)
{
    for (const char *p = cmdline; *p; ) {
        while (*p == ' ')
            p++;
        if (!strncmp(p, "test=", 5)) {
            opt_copy(p + 5, test_buf, sizeof(test_buf));
            test_name = test_buf;
        } else if (!strncmp(p, "name=", 5)) {
            opt_copy(p + 5, label_buf, sizeof(label_buf));
            label = label_buf;
        } else if (!strncmp(p, "seed=", 5)) {
            seed = parse_u64(p + 5);
        } else if (!strncmp(p, "n=", 2)) {
            bench_n = parse_u64(p + 2);
        }
        while (*p && *p != ' ')
            p++;
    }
}

/* Only the identity-mapped first 4 GiB is reachable. */
#define MAPPED(pa, len) ((pa) && (pa) < (1ull << 32) && (len) <= (1ull << 32) - (pa))

void guest_main(uint64_t start_info_pa)
{
    const struct hvm_start_info *si = (const void *)(uintptr_t)start_info_pa;
    uint64_t ram = 0;
    uint32_t a, b, c, d;

    idt_init();
    if (!xen_detect() || !hypercall_init()) {
        printk("TEST start: FAIL no Xen or no hypercall page\n");
        for (;;)
            asm volatile("cli; hlt");
    }
    if (xen_max_leaf >= xen_base + 3) {
        cpuid(xen_base + 3, 0, &a, &b, &c, &d);
        tsc_khz = c;
    }

    if (!MAPPED(start_info_pa, sizeof(*si)) ||
        si->magic != XEN_HVM_START_MAGIC_VALUE) {
        printk("TEST start: FAIL bad magic 0x%x at 0x%lx\n",
               MAPPED(start_info_pa, sizeof(*si)) ? si->magic : 0, start_info_pa);
        shutdown_now(SHUTDOWN_crash);
    }

    /* Copy what we need: tests may scribble over memory outside the image. */
    if (MAPPED(si->cmdline_paddr, sizeof(cmdline))) {
        const char *s = (const char *)(uintptr_t)si->cmdline_paddr;
        for (unsigned int i = 0; i < sizeof(cmdline) - 1 && s[i]; i++)
            cmdline[i] = s[i];
    }
    if (si->version >= 1 &&
        MAPPED(si->memmap_paddr, si->memmap_entries * sizeof(memmap[0]))) {
        nr_memmap = si->memmap_entries < MAX_MEMMAP ? si->memmap_entries
                                                    : MAX_MEMMAP;
        memcpy(memmap, (const void *)(uintptr_t)si->memmap_paddr,
               nr_memmap * sizeof(memmap[0]));
    }
    for (unsigned int i = 0; i < nr_memmap; i++)
        if (memmap[i].type == XEN_HVM_MEMMAP_TYPE_RAM)
            ram += memmap[i].size;
    si_flags = si->flags;
    parse_cmdline();

    printk("GUEST %s: start_info v%u, %u memmap entries, RAM %lu MiB, cmdline '%s'\n",
           label, si->version, si->memmap_entries, ram >> 20, cmdline);
    run_test();
    finish();
}

/* SPDX-License-Identifier: GPL-2.0 */
/* The PVH test guest: shared declarations and small CPU helpers. */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <public/xen.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/event_channel.h>
#include <public/version.h>
#include <public/memory.h>
#include <public/hvm_params.h>
#include <public/arch-x86/hvm/start_info.h>
#include <public/arch-x86-cpuid.h>

/* Errno values as the hypervisor returns them (negated Linux/Xen errno). */
#define EPERM   1
#define ENOENT  2
#define EFAULT 14
#define EEXIST 17
#define EINVAL 22
#define ENOSYS 38
#define ETIME  62

/* Linker-script symbols. */
extern char _start[], _etext[], _end[];

/* head.S */
extern const uint64_t exc_stubs[32];
void timer_stub(void);
void irq_stub_0x41(void);
void irq_stub_0x42(void);
void irq_stub_0x43(void);
void upcall_stub(void);
void ap_entry64(void);

/* What the exception stubs push: GPRs (r15 lowest), vector, error code,
 * then the CPU's frame. */
struct exc_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;
};

/* main.c */
#define MAX_MEMMAP 64
extern const char *test_name, *label;
extern struct hvm_memmap_table_entry memmap[MAX_MEMMAP];
extern unsigned int nr_memmap;
extern uint64_t seed, bench_n;
extern uint32_t tsc_khz;
extern uint32_t si_flags;                /* hvm_start_info.flags (SIF_*) */
extern volatile unsigned int timer_irqs;
extern int apic_mmio;                   /* EOI through the xAPIC page */
extern volatile unsigned int apic_irqs[256];    /* vectors 0x41-0x43 */
extern volatile uint8_t apic_irq_log[16];       /* their order of arrival */
extern volatile unsigned int apic_irq_log_len;
void guest_main(uint64_t start_info_pa);
void idt_load(void);
void exc_report(struct exc_frame *f);
/* Set exc_expect to a vector (and exc_resume_rip) before a faulting access. */
extern volatile int exc_expect;
extern volatile uint64_t exc_resume_rip, exc_seen_error, exc_seen_rip;
void apic_eoi(void);
void timer_irq(void);
void apic_irq(unsigned int vec);
void verdict(int pass, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void __attribute__((noreturn)) finish(void);
void __attribute__((noreturn)) shutdown_now(unsigned int reason);
uint64_t ms_since(uint64_t tsc0);
uint64_t ram_end(void);

/* hypercall.c */
extern uint32_t xen_base, xen_max_leaf, hypercall_msr;
extern uint8_t hypercall_page[4096];
int xen_detect(void);
int hypercall_init(void);
int hypercall_page_ok(void);
long hypercall(unsigned int nr, uint64_t a1, uint64_t a2, uint64_t a3,
               uint64_t a4, uint64_t a5);
#define HYPERCALL2(nr, a, b) \
    hypercall(nr, (uint64_t)(a), (uint64_t)(b), 0, 0, 0)
#define HYPERCALL3(nr, a, b, c) \
    hypercall(nr, (uint64_t)(a), (uint64_t)(b), (uint64_t)(c), 0, 0)
#define xen_version(cmd, arg) HYPERCALL2(__HYPERVISOR_xen_version, cmd, arg)
#define sched_op(cmd, arg)    HYPERCALL2(__HYPERVISOR_sched_op, cmd, arg)
#define evtchn_op(cmd, arg)   HYPERCALL2(__HYPERVISOR_event_channel_op, cmd, arg)
#define vcpu_op(cmd, vcpu, arg) HYPERCALL3(__HYPERVISOR_vcpu_op, cmd, vcpu, arg)
#define memory_op(cmd, arg)   HYPERCALL2(__HYPERVISOR_memory_op, cmd, arg)
#define hvm_op(cmd, arg)      HYPERCALL2(__HYPERVISOR_hvm_op, cmd, arg)

/* console.c */
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintk(const char *fmt, va_list ap);
void console_flush(void);

/* lib.c */
void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
uint64_t parse_u64(const char *s);

/* tests.c */
void run_test(void);
void __attribute__((noreturn)) ap_main(void);
long singleshot(uint64_t abs_ns, uint32_t flags);
int x2apic_periodic(uint64_t period_ns);
void x2apic_timer_stop(void);

/* control.c: unprivileged control calls, xenstore ring garbage, a hang */
void test_control_eperm(void);
void test_xenstore_garbage(void);
void test_xs_fake_server(void);
void __attribute__((noreturn)) test_hang(void);

/* platform.c: the platform as Xen shows it (unclaimed MMIO and ports, MSRs) */
void test_unclaimed(void);
void test_msr(void);

/* grant.c: grant_table_op batches continued across invocations */
void test_gnttab_batch(void);

/* pv.c: shared_info, pvclock, event channels, vcpu_info placement */
#define UPCALL_VECTOR 0x50
void evtchn_upcall(void);
void test_features(void);
void test_shared_info(void);
void test_evtchn(void);
void test_vcpu_info(void);

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b,
                         uint32_t *c, uint32_t *d)
{
    asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
                 : "a"(leaf), "c"(sub));
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
    asm volatile("wrmsr" :: "c"(msr), "a"((uint32_t)val),
                 "d"((uint32_t)(val >> 32)) : "memory");
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t read_cr(int n)
{
    uint64_t v = 0;

    switch (n) {
    case 0: asm volatile("mov %%cr0, %0" : "=r"(v)); break;
    case 3: asm volatile("mov %%cr3, %0" : "=r"(v)); break;
    case 4: asm volatile("mov %%cr4, %0" : "=r"(v)); break;
    }
    return v;
}

/* Plain 32-bit MOVs, which the hypervisor decodes on the xAPIC page. */
static inline uint32_t mmio_read32(uint64_t pa)
{
    uint32_t v;

    asm volatile("movl (%1), %0" : "=r"(v) : "r"(pa) : "memory");
    return v;
}

static inline void mmio_write32(uint64_t pa, uint32_t v)
{
    asm volatile("movl %0, (%1)" :: "r"(v), "r"(pa) : "memory");
}

static inline void cpu_relax(void)
{
    asm volatile("pause" ::: "memory");
}

static inline uint64_t read_cr2(void)
{
    uint64_t v;
    asm volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}

#endif /* GUEST_H */

/* SPDX-License-Identifier: GPL-2.0 */
/* Control registers, MSRs, CPUID and other CPU-level primitives. */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <xen/types.h>

#define X86_CR0_PE   (1UL << 0)
#define X86_CR0_MP   (1UL << 1)
#define X86_CR0_EM   (1UL << 2)
#define X86_CR0_TS   (1UL << 3)
#define X86_CR0_ET   (1UL << 4)
#define X86_CR0_NE   (1UL << 5)
#define X86_CR0_WP   (1UL << 16)
#define X86_CR0_PG   (1UL << 31)

#define X86_CR4_PAE        (1UL << 5)
#define X86_CR4_PGE        (1UL << 7)
#define X86_CR4_OSFXSR     (1UL << 9)
#define X86_CR4_OSXMMEXCPT (1UL << 10)
#define X86_CR4_UMIP       (1UL << 11)
#define X86_CR4_FSGSBASE   (1UL << 16)
#define X86_CR4_OSXSAVE    (1UL << 18)
#define X86_CR4_SMEP       (1UL << 20)
#define X86_CR4_SMAP       (1UL << 21)

#define MSR_EFER           0xc0000080
#define  EFER_SCE          (1UL << 0)
#define  EFER_LME          (1UL << 8)
#define  EFER_LMA          (1UL << 10)
#define  EFER_NXE          (1UL << 11)
#define  EFER_SVME         (1UL << 12)
#define MSR_FS_BASE        0xc0000100
#define MSR_GS_BASE        0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define MSR_TSC_AUX        0xc0000103
#define MSR_APIC_BASE      0x0000001b
#define MSR_TSC_DEADLINE   0x000006e0
#define MSR_PAT            0x00000277

#define X86_EFLAGS_CF      (1UL << 0)
#define X86_EFLAGS_IF      (1UL << 9)

struct cpuid_regs { uint32_t a, b, c, d; };

static inline void cpuid_count(uint32_t leaf, uint32_t sub, struct cpuid_regs *r)
{
    __asm__ __volatile__ ( "cpuid"
                           : "=a" (r->a), "=b" (r->b), "=c" (r->c), "=d" (r->d)
                           : "a" (leaf), "c" (sub) );
}

static inline void cpuid(uint32_t leaf, struct cpuid_regs *r)
{
    cpuid_count(leaf, 0, r);
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ __volatile__ ( "rdmsr" : "=a" (lo), "=d" (hi) : "c" (msr) );
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
    __asm__ __volatile__ ( "wrmsr" :: "c" (msr), "a" ((uint32_t)val),
                           "d" ((uint32_t)(val >> 32)) : "memory" );
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ __volatile__ ( "rdtsc" : "=a" (lo), "=d" (hi) );
    return ((uint64_t)hi << 32) | lo;
}

#define DEFINE_CR_ACCESSORS(n)                                              \
static inline unsigned long read_cr##n(void)                                \
{                                                                           \
    unsigned long v;                                                        \
    __asm__ __volatile__ ( "mov %%cr" #n ", %0" : "=r" (v) :: "memory" );   \
    return v;                                                               \
}                                                                           \
static inline void write_cr##n(unsigned long v)                             \
{                                                                           \
    __asm__ __volatile__ ( "mov %0, %%cr" #n :: "r" (v) : "memory" );       \
}
DEFINE_CR_ACCESSORS(0)
DEFINE_CR_ACCESSORS(2)
DEFINE_CR_ACCESSORS(3)
DEFINE_CR_ACCESSORS(4)
#undef DEFINE_CR_ACCESSORS

static inline void cpu_relax(void) { __asm__ __volatile__ ( "pause" ::: "memory" ); }
static inline void halt(void) { __asm__ __volatile__ ( "hlt" ::: "memory" ); }
/* Enable interrupts and halt atomically: STI's one-instruction shadow. */
static inline void safe_halt(void) { __asm__ __volatile__ ( "sti; hlt" ::: "memory" ); }

static inline void outb(uint8_t v, uint16_t port)
{
    __asm__ __volatile__ ( "outb %0, %1" :: "a" (v), "Nd" (port) );
}
static inline void outw(uint16_t v, uint16_t port)
{
    __asm__ __volatile__ ( "outw %0, %1" :: "a" (v), "Nd" (port) );
}
static inline void outl(uint32_t v, uint16_t port)
{
    __asm__ __volatile__ ( "outl %0, %1" :: "a" (v), "Nd" (port) );
}
static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ __volatile__ ( "inb %1, %0" : "=a" (v) : "Nd" (port) );
    return v;
}
static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    __asm__ __volatile__ ( "inw %1, %0" : "=a" (v) : "Nd" (port) );
    return v;
}
static inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    __asm__ __volatile__ ( "inl %1, %0" : "=a" (v) : "Nd" (port) );
    return v;
}

/* CPU features the hypervisor itself cares about, read once on the BSP. */
struct cpu_features {
    bool nx, pge, gbpages, smep, smap, umip, fsgsbase, x2apic, tsc_deadline,
         invariant_tsc, svm, vmx, xsave, hypervisor;
    char vendor[13];
    char brand[49];
    uint32_t max_leaf, max_ext_leaf;
};
extern struct cpu_features boot_cpu;
void cpu_detect_features(void);
void cpu_enable_protections(void);

#endif /* ASM_PROCESSOR_H */

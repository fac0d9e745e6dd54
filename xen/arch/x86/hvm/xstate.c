/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest FPU/XSAVE state (see asm/hvm/xstate.h).  With XSAVE, the area is
 * sized for every user state component the CPU has and saved with the
 * host's full XCR0, so whatever subset the guest enabled is covered; the
 * guest's own XCR0 is loaded just before VMRUN.  Without XSAVE, FXSAVE's
 * 512 bytes hold x87 and SSE.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <asm/hvm/xstate.h>
#include <asm/processor.h>

#define XSTATE_X87   (1ULL << 0)
#define XSTATE_SSE   (1ULL << 1)
#define XSTATE_YMM   (1ULL << 2)
/* x87, SSE, AVX, MPX (no), AVX-512 (5-7), PKRU (9): user components. */
#define XSTATE_USER_MASK 0x2e7ULL
#define FXSAVE_SIZE  512
#define FCW_DEFAULT  0x037f
#define MXCSR_DEFAULT 0x1f80

static uint64_t host_xcr0;
static unsigned int area_size = FXSAVE_SIZE;

static inline void xsetbv(uint32_t index, uint64_t val)
{
    __asm__ __volatile__ ( "xsetbv" :: "c" (index), "a" ((uint32_t)val),
                           "d" ((uint32_t)(val >> 32)) );
}

uint64_t xstate_guest_mask(void)
{
    return host_xcr0 ? host_xcr0 : XSTATE_X87 | XSTATE_SSE;
}

void xstate_init_this_cpu(void)
{
    struct cpuid_regs r;

    write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
    if ( !boot_cpu.xsave )
        return;
    write_cr4(read_cr4() | X86_CR4_OSXSAVE);
    cpuid_count(0xd, 0, &r);
    if ( !host_xcr0 )
    {
        host_xcr0 = (((uint64_t)r.d << 32) | r.a) & XSTATE_USER_MASK;
        /* AVX-512 needs AVX, AVX needs SSE (SDM 13.3): keep it consistent. */
        if ( !(host_xcr0 & XSTATE_YMM) )
            host_xcr0 &= ~0xe0ULL;
    }
    xsetbv(0, host_xcr0);
    cpuid_count(0xd, 0, &r);          /* EBX: size for the enabled XCR0 */
    if ( r.b > area_size )
        area_size = r.b;
}

int xstate_vcpu_init(struct vcpu *v)
{
    unsigned int order = area_size > PAGE_SIZE ? 1 : 0;
    uint8_t *area = alloc_xenheap_pages(order, 0);

    if ( !area )
        return -ENOMEM;
    memset(area, 0, PAGE_SIZE << order);
    /* The reset state: x87 control word and MXCSR at their defaults. */
    *(uint16_t *)area = FCW_DEFAULT;
    *(uint32_t *)(area + 24) = MXCSR_DEFAULT;
    v->arch.xsave_area = area;
    v->arch.xcr0 = XSTATE_X87;
    return 0;
}

void xstate_vcpu_destroy(struct vcpu *v)
{
    if ( v->arch.xsave_area )
        free_xenheap_pages(v->arch.xsave_area,
                           area_size > PAGE_SIZE ? 1 : 0);
    v->arch.xsave_area = NULL;
}

void xstate_load(struct vcpu *v)
{
    void *area = v->arch.xsave_area;

    if ( host_xcr0 )
    {
        __asm__ __volatile__ ( "xrstor64 (%0)" :: "r" (area), "a" (~0u),
                               "d" (~0u) : "memory" );
        xsetbv(0, v->arch.xcr0);
    }
    else
        __asm__ __volatile__ ( "fxrstor64 (%0)" :: "r" (area) : "memory" );
}

void xstate_save(struct vcpu *v)
{
    void *area = v->arch.xsave_area;

    if ( host_xcr0 )
    {
        xsetbv(0, host_xcr0);
        __asm__ __volatile__ ( "xsave64 (%0)" :: "r" (area), "a" (~0u),
                               "d" (~0u) : "memory" );
    }
    else
        __asm__ __volatile__ ( "fxsave64 (%0)" :: "r" (area) : "memory" );
}

int xstate_set_xcr0(struct vcpu *v, uint32_t index, uint64_t val)
{
    if ( index != 0 || !host_xcr0 )
        return -EINVAL;
    /* x87 always on; no unknown bits; AVX needs SSE; AVX-512 all or none. */
    if ( !(val & XSTATE_X87) || (val & ~host_xcr0) ||
         ((val & XSTATE_YMM) && !(val & XSTATE_SSE)) ||
         ((val & 0xe0) && (val & 0xe0) != 0xe0) ||
         ((val & 0xe0) && !(val & XSTATE_YMM)) )
        return -EINVAL;
    v->arch.xcr0 = val;
    /* The vCPU's state is live in this CPU's registers: switch XCR0 now. */
    xsetbv(0, val);
    return 0;
}

void xstate_print(void)
{
    printk("XSAVE: %s, host XCR0 %#lx, save area %u bytes\n",
           host_xcr0 ? "yes" : "no (FXSAVE)", (unsigned long)host_xcr0, area_size);
}

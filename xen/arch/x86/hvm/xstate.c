/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest FPU/XSAVE state (see asm/hvm/xstate.h).  With XSAVE, the area is
 * sized for every user state component the CPU has and saved with the
 * host's full XCR0, so whatever subset the guest enabled is covered; the
 * guest's own XCR0 is loaded just before VMRUN.  Without XSAVE, FXSAVE's
 * 512 bytes hold x87 and SSE.
 *
 * The guest's XCR0 is what it last wrote with XSETBV, which exits to
 * xstate_set_xcr0.  Not under QEMU's TCG (7.2 at least): its SVM does not
 * implement the XSETBV intercept, so the guest's XSETBV changes XCR0 in
 * place and nothing exits.  xstate_save therefore takes the XCR0 the CPU
 * has when the vCPU stops running as the guest's; otherwise xstate_load
 * would put the reset value back under the guest, and Linux's XRSTOR of a
 * signal frame written under its wider XCR0 would fault (#GP: XSTATE_BV
 * has bits XCR0 lacks).
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/param.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <asm/hvm/guest_cpuid.h>
#include <asm/hvm/xstate.h>
#include <asm/processor.h>

/* x87, SSE, AVX, MPX (no), AVX-512 (5-7), PKRU (9): user components. */
#define XSTATE_USER_MASK 0x2e7ULL
#define FXSAVE_SIZE  512
#define FCW_DEFAULT  0x037f
#define MXCSR_DEFAULT 0x1f80

static uint64_t host_xcr0;
static unsigned int area_size = FXSAVE_SIZE;

/*
 * guest_xsave=0 hides XSAVE (and AVX, PKU) from guests, which then use
 * FXSAVE; the hypervisor still switches their state with XSAVE.
 */
static bool opt_guest_xsave = true;
boolean_param("guest_xsave", opt_guest_xsave);

static inline void xsetbv(uint32_t index, uint64_t val)
{
    __asm__ __volatile__ ( "xsetbv" :: "c" (index), "a" ((uint32_t)val),
                           "d" ((uint32_t)(val >> 32)) );
}

static inline uint64_t xgetbv(uint32_t index)
{
    uint32_t lo, hi;

    __asm__ __volatile__ ( "xgetbv" : "=a" (lo), "=d" (hi) : "c" (index) );
    return ((uint64_t)hi << 32) | lo;
}

uint64_t xstate_guest_mask(void)
{
    return opt_guest_xsave ? host_xcr0 : 0;
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
        if ( !(host_xcr0 & XSTATE_YMM) ||
             (host_xcr0 & XSTATE_AVX512) != XSTATE_AVX512 )
            host_xcr0 &= ~XSTATE_AVX512;
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

/*
 * The XCR0 in force is the guest's: if it is not the one recorded, the
 * guest wrote it without an exit (see the top of the file).  Adopt it if
 * it is one XSETBV would have accepted; anything else could hold state the
 * hypervisor does not switch, so the domain does not run again.
 */
static void sync_guest_xcr0(struct vcpu *v)
{
    static bool reported;
    uint64_t live = xgetbv(0);

    if ( live == v->arch.xcr0 )
        return;
    if ( !reported )
    {
        reported = true;
        printk("XSAVE: d%uv%u changed XCR0 to %#lx without an XSETBV exit "
               "(no intercept on this CPU): following the CPU's XCR0\n",
               v->domain->domain_id, v->vcpu_id, (unsigned long)live);
    }
    if ( guest_xcr0_valid(xstate_guest_mask(), live) )
        v->arch.xcr0 = live;
    else
        domain_crash(v->domain, "XCR0 set to a value not offered");
}

void xstate_save(struct vcpu *v)
{
    void *area = v->arch.xsave_area;

    if ( host_xcr0 )
    {
        sync_guest_xcr0(v);
        xsetbv(0, host_xcr0);
        __asm__ __volatile__ ( "xsave64 (%0)" :: "r" (area), "a" (~0u),
                               "d" (~0u) : "memory" );
    }
    else
        __asm__ __volatile__ ( "fxsave64 (%0)" :: "r" (area) : "memory" );
}

int xstate_set_xcr0(struct vcpu *v, uint32_t index, uint64_t val)
{
    if ( index != 0 || !xstate_guest_mask() ||
         !guest_xcr0_valid(xstate_guest_mask(), val) )
        return -EINVAL;
    v->arch.xcr0 = val;
    /* The vCPU's state is live in this CPU's registers: switch XCR0 now. */
    xsetbv(0, val);
    return 0;
}

void xstate_print(void)
{
    printk("XSAVE: %s, host XCR0 %#lx, save area %u bytes, guests offered %#lx\n",
           host_xcr0 ? "yes" : "no (FXSAVE)", (unsigned long)host_xcr0, area_size,
           (unsigned long)xstate_guest_mask());
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU identification and the protections the hypervisor turns on for
 * itself: NX (mandatory), SMEP, SMAP and UMIP where the CPU has them.
 */
#include <xen/lib.h>
#include <xen/string.h>
#include <asm/processor.h>

struct cpu_features boot_cpu;

static bool bit(uint32_t reg, unsigned int n)
{
    return (reg >> n) & 1;
}

static void read_brand(void)
{
    struct cpuid_regs r;
    unsigned int i;
    uint32_t *out = (uint32_t *)boot_cpu.brand;

    if ( boot_cpu.max_ext_leaf < 0x80000004 )
        return;
    for ( i = 0; i < 3; i++ )
    {
        cpuid(0x80000002 + i, &r);
        out[i * 4 + 0] = r.a;
        out[i * 4 + 1] = r.b;
        out[i * 4 + 2] = r.c;
        out[i * 4 + 3] = r.d;
    }
    boot_cpu.brand[48] = '\0';
}

void cpu_detect_features(void)
{
    struct cpuid_regs r;

    cpuid(0, &r);
    boot_cpu.max_leaf = r.a;
    memcpy(&boot_cpu.vendor[0], &r.b, 4);
    memcpy(&boot_cpu.vendor[4], &r.d, 4);
    memcpy(&boot_cpu.vendor[8], &r.c, 4);
    boot_cpu.vendor[12] = '\0';

    cpuid(1, &r);
    boot_cpu.pge = bit(r.d, 13);
    boot_cpu.vmx = bit(r.c, 5);
    boot_cpu.x2apic = bit(r.c, 21);
    boot_cpu.tsc_deadline = bit(r.c, 24);
    boot_cpu.xsave = bit(r.c, 26);
    boot_cpu.hypervisor = bit(r.c, 31);

    if ( boot_cpu.max_leaf >= 7 )
    {
        cpuid_count(7, 0, &r);
        boot_cpu.fsgsbase = bit(r.b, 0);
        boot_cpu.smep = bit(r.b, 7);
        boot_cpu.smap = bit(r.b, 20);
        boot_cpu.umip = bit(r.c, 2);
    }

    cpuid(0x80000000, &r);
    boot_cpu.max_ext_leaf = r.a;
    if ( boot_cpu.max_ext_leaf >= 0x80000001 )
    {
        cpuid(0x80000001, &r);
        boot_cpu.nx = bit(r.d, 20);
        boot_cpu.gbpages = bit(r.d, 26);
        boot_cpu.svm = bit(r.c, 2);
    }
    if ( boot_cpu.max_ext_leaf >= 0x80000007 )
    {
        cpuid(0x80000007, &r);
        boot_cpu.invariant_tsc = bit(r.d, 8);
    }
    read_brand();
}

/*
 * SMEP/SMAP stop the hypervisor from executing or touching user-mode (guest)
 * pages by accident; UMIP hides descriptor-table addresses from ring 3.
 * Called on every CPU.
 */
void cpu_enable_protections(void)
{
    unsigned long cr4 = read_cr4();

    if ( boot_cpu.pge )
        cr4 |= X86_CR4_PGE;
    if ( boot_cpu.smep )
        cr4 |= X86_CR4_SMEP;
    if ( boot_cpu.smap )
        cr4 |= X86_CR4_SMAP;
    if ( boot_cpu.umip )
        cr4 |= X86_CR4_UMIP;
    write_cr4(cr4);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
    write_cr0(read_cr0() | X86_CR0_WP | X86_CR0_NE);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Descriptor tables.  One IDT shared by all CPUs; a GDT and TSS per CPU
 * (the TSS holds that CPU's IST stack pointers, and a busy TSS cannot be
 * shared).  NMI, #DF and #MC run on IST stacks so they are delivered even
 * when the interrupted stack is unusable (Intel SDM vol. 3, 6.14.5).
 */
#include <xen/lib.h>
#include <xen/string.h>
#include <asm/desc.h>
#include <asm/mm.h>
#include <asm/percpu.h>

struct __attribute__((packed)) idt_gate {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t reserved;
};

#define GATE_INTERRUPT_PRESENT 0x8e    /* P=1, DPL=0, type 0xE */
#define TRAP_STUB_SIZE 16

extern const char trap_stubs[];

static struct idt_gate idt[256] __aligned(16);

static void set_gate(unsigned int vec, unsigned int ist)
{
    unsigned long addr = (unsigned long)trap_stubs + vec * TRAP_STUB_SIZE;

    idt[vec] = (struct idt_gate){
        .offset_lo = addr & 0xffff,
        .selector = __HYPERVISOR_CS,
        .ist = ist,
        .type_attr = GATE_INTERRUPT_PRESENT,
        .offset_mid = (addr >> 16) & 0xffff,
        .offset_hi = addr >> 32,
    };
}

/*
 * The IDT is loaded first thing at boot, so an early fault is reported
 * instead of becoming a triple fault.  IST stacks need a loaded TSS, so
 * the gates start without them; idt_enable_ist() switches NMI, #DF and #MC
 * to their IST stacks once CPU 0 has its TSS.
 */
void idt_init(void)
{
    unsigned int v;

    for ( v = 0; v < 256; v++ )
        set_gate(v, 0);
    idt_load();
}

void idt_enable_ist(void)
{
    set_gate(2, IST_NMI);
    set_gate(8, IST_DF);
    set_gate(18, IST_MC);
}

void idt_load(void)
{
    struct desc_ptr p = { .limit = sizeof(idt) - 1, .base = (unsigned long)idt };

    __asm__ __volatile__ ( "lidt %0" :: "m" (p) );
}

/* A 64-bit available TSS descriptor spans two GDT slots (SDM 7.2.3). */
static void set_tss_descriptor(uint64_t *gdt, const struct tss64 *tss)
{
    unsigned long base = (unsigned long)tss;
    uint64_t limit = sizeof(*tss) - 1;

    gdt[TSS_SELECTOR / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
                            (0x89UL << 40) | (((limit >> 16) & 0xf) << 48) |
                            (((base >> 24) & 0xff) << 56);
    gdt[TSS_SELECTOR / 8 + 1] = base >> 32;
}

/*
 * Give this CPU its own GDT and TSS and load them with the IDT.  Runs on the
 * CPU itself, with GS base already pointing at its struct percpu.
 */
void cpu_load_descriptors(unsigned int cpu)
{
    struct percpu *pc = this_cpu();
    struct desc_ptr gdtr = { .limit = sizeof(pc->gdt) - 1,
                             .base = (unsigned long)pc->gdt };
    unsigned int ist;

    memset(&pc->tss, 0, sizeof(pc->tss));
    for ( ist = IST_DF; ist <= IST_MC; ist++ )
        pc->tss.ist[ist - 1] = cpu_ist_top(cpu, ist);
    pc->tss.rsp[0] = cpu_stack_top(cpu);
    pc->tss.iomap_base = sizeof(pc->tss);   /* no I/O bitmap */

    pc->gdt[0] = 0;
    pc->gdt[__HYPERVISOR_CS / 8] = 0x00af9a000000ffffUL;
    pc->gdt[__HYPERVISOR_DS / 8] = 0x00cf92000000ffffUL;
    set_tss_descriptor(pc->gdt, &pc->tss);

    __asm__ __volatile__ ( "lgdt %0" :: "m" (gdtr) );
    __asm__ __volatile__ ( "ltr %w0" :: "r" (TSS_SELECTOR) );
    idt_enable_ist();
    idt_load();
}

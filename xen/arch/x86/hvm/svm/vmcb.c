/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A vCPU's VMCB: what is intercepted, the I/O and MSR permission maps
 * (shared by every vCPU: deny all, except the MSRs VMLOAD/VMSAVE switch),
 * the PVH start-of-day register state, and ASIDs.
 *
 * ASIDs are handed out per physical CPU with a generation number, so a vCPU
 * that moves or a CPU that runs out of ASIDs simply takes a fresh one and
 * flushes: QEMU has no flush-by-ASID, so a flush is always a full one there.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <asm/hvm/svm.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/hvm/guest_access.h>
#include <asm/hvm/guest_walk.h>
#include <public/vcpu.h>

#define IOPM_ORDER   2     /* 12 KiB used */
#define MSRPM_ORDER  1     /* 8 KiB */
#define PAT_DEFAULT  0x0007040600070406ULL

static void *iopm, *msrpm;

struct asid_state {
    uint32_t next;
    uint64_t generation;
};
static struct asid_state asid_state[NR_CPUS];

/* Intercept nothing for msr: VMLOAD/VMSAVE already switch it per vCPU. */
static void msrpm_allow(uint32_t msr)
{
    uint8_t *map = msrpm;
    unsigned int base, idx;

    if ( msr < 0x2000 )
        base = 0;
    else if ( msr - 0xc0000000u < 0x2000 )
        base = 0x800, msr -= 0xc0000000u;
    else
        base = 0x1000, msr -= 0xc0010000u;
    idx = msr * 2;                       /* read bit, then write bit */
    map[base + idx / 8] &= ~(3u << (idx % 8));
}

static int permission_maps_init(void)
{
    static const uint32_t switched[] = {
        MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE,
        0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084,  /* STAR..SFMASK */
        0x174, 0x175, 0x176,                             /* SYSENTER_* */
    };
    unsigned int i;

    if ( iopm )
        return 0;
    iopm = alloc_xenheap_pages(IOPM_ORDER, 0);
    msrpm = alloc_xenheap_pages(MSRPM_ORDER, 0);
    if ( !iopm || !msrpm )
        return -ENOMEM;
    memset(iopm, 0xff, PAGE_SIZE << IOPM_ORDER);
    memset(msrpm, 0xff, PAGE_SIZE << MSRPM_ORDER);
    for ( i = 0; i < ARRAY_SIZE(switched); i++ )
        msrpm_allow(switched[i]);
    return 0;
}

int svm_vcpu_create(struct vcpu *v)
{
    struct vmcb *vmcb;
    int rc;

    /* Without SVM enabled, VMRUN would fault in the host: refuse the vCPU. */
    if ( !svm_available() )
        return -EOPNOTSUPP;
    if ( (rc = permission_maps_init()) )
        return rc;
    if ( !(vmcb = alloc_xenheap_pages(0, 0)) )
        return -ENOMEM;
    memset(vmcb, 0, PAGE_SIZE);
    vmcb->intercepts1 = INTERCEPT_INTR | INTERCEPT_NMI | INTERCEPT_SMI |
                        INTERCEPT_INIT | INTERCEPT_RDPMC | INTERCEPT_CPUID |
                        INTERCEPT_RSM | INTERCEPT_INVD | INTERCEPT_HLT |
                        INTERCEPT_INVLPGA | INTERCEPT_IOIO | INTERCEPT_MSR |
                        INTERCEPT_SHUTDOWN;
    /*
     * The guest's EFER must keep SVME set for VMRUN to accept it, so every
     * SVM instruction would work in the guest: intercept them all.
     */
    vmcb->intercepts2 = INTERCEPT_VMRUN | INTERCEPT_VMMCALL | INTERCEPT_VMLOAD |
                        INTERCEPT_VMSAVE | INTERCEPT_STGI | INTERCEPT_CLGI |
                        INTERCEPT_SKINIT | INTERCEPT_MONITOR | INTERCEPT_MWAIT |
                        INTERCEPT_MWAIT_ARMED | INTERCEPT_XSETBV;
    vmcb->iopm_base_pa = virt_to_maddr(iopm);
    vmcb->msrpm_base_pa = virt_to_maddr(msrpm);
    /* Physical interrupts follow the host's IF, not the guest's. */
    vmcb->vintr = VINTR_MASKING;
    vmcb->np_enable = 1;
    vmcb->n_cr3 = v->domain->arch.p2m.root_pa;
    vmcb->g_pat = PAT_DEFAULT;
    v->arch.vmcb = vmcb;
    v->arch.hw_ready = true;
    v->arch.last_cpu = -1;
    v->arch.running_on = -1;
    v->arch.posted_irq = -1;
    v->arch.reinject_irq = -1;
    return 0;
}

void svm_vcpu_destroy(struct vcpu *v)
{
    if ( v->arch.vmcb )
        free_xenheap_pages(v->arch.vmcb, 0);
    v->arch.vmcb = NULL;
    v->arch.hw_ready = false;
}

static void seg_flat(struct vmcb_seg *s, uint16_t sel, uint16_t attr)
{
    s->sel = sel;
    s->attr = attr;
    s->limit = 0xffffffff;
    s->base = 0;
}

/*
 * PVH start of day (Xen's docs/misc/pvh.pandoc): 32-bit flat protected
 * mode, paging off, CS 4 GiB execute/read, data segments 4 GiB read/write,
 * TR a busy 32-bit TSS, EBX the start info, everything else zero.
 */
void svm_vcpu_reset_pvh(struct vcpu *v, uint32_t entry, uint32_t ebx)
{
    struct vmcb *vmcb = v->arch.vmcb;

    /* An event meant for the vCPU's previous life is not delivered. */
    vmcb->eventinj = 0;
    vmcb->vintr = VINTR_MASKING;
    v->arch.posted_irq = -1;
    memset(&v->arch.regs, 0, sizeof(v->arch.regs));
    v->arch.regs.rbx = ebx;
    seg_flat(&vmcb->cs, 0x08, 0xc9b);
    seg_flat(&vmcb->ds, 0x10, 0xc93);
    seg_flat(&vmcb->es, 0x10, 0xc93);
    seg_flat(&vmcb->ss, 0x10, 0xc93);
    seg_flat(&vmcb->fs, 0x10, 0xc93);
    seg_flat(&vmcb->gs, 0x10, 0xc93);
    seg_flat(&vmcb->tr, 0x18, 0x08b);
    vmcb->tr.limit = 0x67;
    memset(&vmcb->ldtr, 0, sizeof(vmcb->ldtr));
    vmcb->ldtr.attr = 0x082;
    memset(&vmcb->gdtr, 0, sizeof(vmcb->gdtr));
    memset(&vmcb->idtr, 0, sizeof(vmcb->idtr));
    vmcb->gdtr.limit = 0xffff;
    vmcb->idtr.limit = 0xffff;
    vmcb->cpl = 0;
    vmcb->cr0 = X86_CR0_PE | X86_CR0_ET;
    vmcb->cr3 = 0;
    vmcb->cr4 = 0;
    vmcb->efer = EFER_SVME;
    vmcb->rflags = 2;
    vmcb->rip = entry;
    vmcb->rsp = 0;
    vmcb->rax = 0;
    vmcb->dr6 = 0xffff0ff0;
    vmcb->dr7 = 0x400;
    vmcb->eventinj = 0;
    vmcb->interrupt_shadow = 0;
    v->initialised = true;
}

/*
 * What a SIPI does to a vCPU waiting for one (SDM 8.4.4): real mode, CS
 * selector vector << 8 (base vector << 12), IP 0, everything else reset.
 */
void svm_vcpu_reset_realmode(struct vcpu *v, uint8_t vector)
{
    struct vmcb *vmcb = v->arch.vmcb;

    svm_vcpu_reset_pvh(v, 0, 0);
    v->arch.regs.rbx = 0;
    seg_flat(&vmcb->cs, (uint16_t)vector << 8, 0x09b);
    vmcb->cs.base = (uint64_t)vector << 12;
    vmcb->cs.limit = 0xffff;
    seg_flat(&vmcb->ds, 0, 0x093);
    vmcb->ds.limit = 0xffff;
    vmcb->es = vmcb->fs = vmcb->gs = vmcb->ss = vmcb->ds;
    vmcb->tr.sel = 0;
    vmcb->tr.limit = 0xffff;
    vmcb->cr0 = X86_CR0_ET;
    vmcb->rip = 0;
    vmcb->g_pat = 0x0007040600070406ULL;
    v->arch.pending_event = 0;
    v->arch.nmi_pending = false;
}

/* A fresh ASID on this CPU when v has none valid here; flush if needed. */
void svm_assign_asid(struct vcpu *v, unsigned int cpu)
{
    struct asid_state *a = &asid_state[cpu];
    struct vmcb *vmcb = v->arch.vmcb;
    unsigned long p2m_gen = __atomic_load_n(&v->domain->arch.p2m_generation,
                                            __ATOMIC_SEQ_CST);

    vmcb->tlb_control = TLB_CONTROL_NONE;
    if ( v->arch.last_cpu == (int)cpu && v->arch.asid_generation == a->generation &&
         a->generation )
    {
        if ( v->arch.seen_p2m_generation != p2m_gen )
        {
            vmcb->tlb_control = (svm_feature_flags() & SVM_FEATURE_FLUSH_ASID) ?
                                TLB_CONTROL_FLUSH_ASID : TLB_CONTROL_FLUSH_ALL;
            v->arch.seen_p2m_generation = p2m_gen;
        }
        return;
    }
    if ( !a->generation || a->next >= svm_nr_asids_available() || !a->next )
    {
        /* Start over: every ASID of this CPU is recycled, flush them all. */
        a->generation++;
        a->next = 1;
        vmcb->tlb_control = TLB_CONTROL_FLUSH_ALL;
    }
    else if ( !(svm_feature_flags() & SVM_FEATURE_FLUSH_ASID) )
        vmcb->tlb_control = TLB_CONTROL_FLUSH_ALL;
    else
        vmcb->tlb_control = TLB_CONTROL_FLUSH_ASID;
    vmcb->asid = a->next++;
    v->arch.asid_generation = a->generation;
    v->arch.last_cpu = cpu;
    v->arch.seen_p2m_generation = p2m_gen;
}

static void dump_seg(const char *name, const struct vmcb_seg *s)
{
    printk("  %s sel %04x attr %03x limit %08x base %016lx\n", name, s->sel,
           s->attr, s->limit, (unsigned long)s->base);
}

/* The state a crashed domain's vCPU died in, for whoever reads the log. */
void svm_dump_vcpu(struct vcpu *v)
{
    const struct vmcb *m = v->arch.vmcb;
    const struct svm_guest_regs *r = &v->arch.regs;

    printk("d%uv%u state: rip %016lx rsp %016lx rflags %08lx cpl %u\n",
           v->domain->domain_id, v->vcpu_id, (unsigned long)m->rip,
           (unsigned long)m->rsp, (unsigned long)m->rflags, m->cpl);
    printk("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n",
           (unsigned long)m->rax, (unsigned long)r->rbx, (unsigned long)r->rcx,
           (unsigned long)r->rdx);
    printk("  rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n",
           (unsigned long)r->rsi, (unsigned long)r->rdi, (unsigned long)r->rbp,
           (unsigned long)r->r8);
    printk("  cr0 %08lx cr2 %016lx cr3 %016lx cr4 %08lx efer %08lx\n",
           (unsigned long)m->cr0, (unsigned long)m->cr2, (unsigned long)m->cr3,
           (unsigned long)m->cr4, (unsigned long)m->efer);
    printk("  exit %#lx info1 %#lx info2 %#lx intinfo %#lx\n",
           (unsigned long)m->exitcode, (unsigned long)m->exitinfo1,
           (unsigned long)m->exitinfo2, (unsigned long)m->exitintinfo);
    dump_seg("cs", &m->cs);
    dump_seg("ss", &m->ss);
    dump_seg("tr", &m->tr);
    hvm_dump_translation(v, "rip", m->cs.base + m->rip);
    hvm_dump_translation(v, "cr2", m->cr2);
    hvm_dump_translation(v, "idt", m->idtr.base);
}

static void seg_load(struct vmcb_seg *s, uint16_t sel, uint32_t base,
                     uint32_t limit, uint16_t attr)
{
    s->sel = sel;
    s->base = base;
    s->limit = limit;
    s->attr = attr & 0xfff;
}

static void load_hvm32(struct vmcb *vmcb, struct svm_guest_regs *r,
                       const struct vcpu_hvm_x86_32 *c)
{
    vmcb->rax = c->eax;
    r->rcx = c->ecx; r->rdx = c->edx; r->rbx = c->ebx;
    vmcb->rsp = c->esp; r->rbp = c->ebp; r->rsi = c->esi; r->rdi = c->edi;
    vmcb->rip = c->eip;
    vmcb->rflags = c->eflags | 2;
    vmcb->cr0 = c->cr0 | X86_CR0_ET;
    vmcb->cr3 = c->cr3;
    vmcb->cr4 = c->cr4;
    vmcb->efer = (c->efer & (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)) | EFER_SVME;
    seg_load(&vmcb->cs, 0x08, c->cs_base, c->cs_limit, c->cs_ar);
    seg_load(&vmcb->ds, 0x10, c->ds_base, c->ds_limit, c->ds_ar);
    seg_load(&vmcb->ss, 0x10, c->ss_base, c->ss_limit, c->ss_ar);
    seg_load(&vmcb->es, 0x10, c->es_base, c->es_limit, c->es_ar);
    seg_load(&vmcb->tr, 0x18, c->tr_base, c->tr_limit, c->tr_ar);
    vmcb->fs = vmcb->ds;
    vmcb->gs = vmcb->ds;
}

static void load_hvm64(struct vmcb *vmcb, struct svm_guest_regs *r,
                       const struct vcpu_hvm_x86_64 *c)
{
    vmcb->rax = c->rax;
    r->rcx = c->rcx; r->rdx = c->rdx; r->rbx = c->rbx;
    vmcb->rsp = c->rsp; r->rbp = c->rbp; r->rsi = c->rsi; r->rdi = c->rdi;
    vmcb->rip = c->rip;
    vmcb->rflags = c->rflags | 2;
    vmcb->cr0 = c->cr0 | X86_CR0_ET;
    vmcb->cr3 = c->cr3;
    vmcb->cr4 = c->cr4;
    vmcb->efer = (c->efer & (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)) | EFER_SVME;
    /* Flat 64-bit code and data, as Xen sets them up for this mode. */
    seg_flat(&vmcb->cs, 0x08, 0xa9b);
    seg_flat(&vmcb->ds, 0x10, 0xc93);
    seg_flat(&vmcb->es, 0x10, 0xc93);
    seg_flat(&vmcb->ss, 0x10, 0xc93);
    seg_flat(&vmcb->fs, 0x10, 0xc93);
    seg_flat(&vmcb->gs, 0x10, 0xc93);
    seg_flat(&vmcb->tr, 0x18, 0x08b);
    vmcb->tr.limit = 0x67;
}

/* VCPUOP_initialise: arch_vcpu_initialise() has checked the mode. */
void svm_vcpu_load_context(struct vcpu *v, const struct vcpu_hvm_context *c)
{
    svm_vcpu_reset_pvh(v, 0, 0);
    v->initialised = false;
    if ( c->mode == VCPU_HVM_MODE_32B )
        load_hvm32(v->arch.vmcb, &v->arch.regs, &c->cpu_regs.x86_32);
    else
        load_hvm64(v->arch.vmcb, &v->arch.regs, &c->cpu_regs.x86_64);
}

/* ---- guest state for the code outside svm/ ---- */

void svm_get_paging_state(struct vcpu *v, struct guest_paging_state *s)
{
    const struct vmcb *vmcb = v->arch.vmcb;

    s->cr0 = vmcb->cr0;
    s->cr3 = vmcb->cr3;
    s->cr4 = vmcb->cr4;
    s->efer = vmcb->efer;
}

/* The guest never sees SVME, which VMRUN needs set underneath. */
uint64_t svm_get_efer(struct vcpu *v)
{
    return v->arch.vmcb->efer & ~EFER_SVME;
}

void svm_set_efer(struct vcpu *v, uint64_t efer)
{
    struct vmcb *vmcb = v->arch.vmcb;

    vmcb->efer = (efer & ~EFER_LMA) | (vmcb->efer & EFER_LMA) | EFER_SVME;
}

uint64_t svm_get_pat(struct vcpu *v)
{
    return v->arch.vmcb->g_pat;
}

void svm_set_pat(struct vcpu *v, uint64_t pat)
{
    v->arch.vmcb->g_pat = pat;
}

uint64_t svm_get_tsc_offset(struct vcpu *v)
{
    return v->arch.vmcb->tsc_offset;
}

void svm_set_tsc_offset(struct vcpu *v, uint64_t offset)
{
    v->arch.vmcb->tsc_offset = offset;
}

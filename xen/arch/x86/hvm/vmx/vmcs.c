/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A vCPU's VMCS: its controls, the host state a VM exit returns to, the
 * PVH, real-mode (SIPI) and VCPUOP_initialise start states, and the guest
 * registers the code outside vmx/ asks for.
 *
 * A VMCS is only reachable with VMREAD/VMWRITE while it is current on the
 * CPU, and must be VMCLEARed before another CPU may load it.  So a vCPU's
 * VMCS is loaded when it goes on a CPU (vmx_vcpu_load) and cleared when it
 * leaves (vmx_vcpu_put); code touching a vCPU that is not running on this
 * CPU (the builder, a SIPI, VCPUOP_initialise) borrows it for a moment with
 * vmx_vmcs_enter()/vmx_vmcs_exit().
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <asm/desc.h>
#include <asm/hvm/guest_walk.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/vmx.h>
#include <asm/p2m.h>
#include <asm/processor.h>
#include <public/vcpu.h>

#define PAT_DEFAULT  0x0007040600070406ULL
#define VMCS_WAS_CURRENT 1UL      /* not a page address: nothing to undo */
/* The exceptions guest_exc_trace= intercepts: #UD, #SS, #GP. */
#define TRACED_EXCEPTIONS ((1u << 6) | (1u << 12) | (1u << 13))

static void *msr_bitmap;
static uint16_t next_vpid = 1;

/* ---- borrowing a VMCS ---- */

static paddr_t vmcs_pa(const struct vcpu *v)
{
    return virt_to_maddr(v->arch.vmcs);
}

paddr_t vmx_vmcs_enter(struct vcpu *v)
{
    paddr_t cur = vmcs_current();

    if ( cur == vmcs_pa(v) )
        return VMCS_WAS_CURRENT;
    if ( !vmcs_load(vmcs_pa(v)) )
        panic("VMX: VMPTRLD of d%uv%u's VMCS failed", v->domain->domain_id,
              v->vcpu_id);
    return cur;
}

void vmx_vmcs_exit(struct vcpu *v, paddr_t prev)
{
    if ( prev == VMCS_WAS_CURRENT )
        return;
    vmcs_clear(vmcs_pa(v));
    v->arch.vmcs_launched = false;
    if ( prev != ~0UL )
        vmcs_load(prev);
}

static uint64_t vread(struct vcpu *v, enum vmcs_field f)
{
    paddr_t prev = vmx_vmcs_enter(v);
    uint64_t val = vmread(f);

    vmx_vmcs_exit(v, prev);
    return val;
}

static void vwrite(struct vcpu *v, enum vmcs_field f, uint64_t val)
{
    paddr_t prev = vmx_vmcs_enter(v);

    vmwrite(f, val);
    vmx_vmcs_exit(v, prev);
}

/* ---- MSR bitmap ---- */

/* Let the guest read and write msr itself (the VMCS or we switch it). */
static void msr_bitmap_allow(uint32_t msr)
{
    uint8_t *map = msr_bitmap;
    unsigned int base = 0;

    if ( msr >= 0xc0000000u )
    {
        base = 0x400;                  /* read-high; write-high at +0x800 */
        msr -= 0xc0000000u;
    }
    map[base + msr / 8] &= ~(1u << (msr % 8));
    map[base + 0x800 + msr / 8] &= ~(1u << (msr % 8));
}

static int msr_bitmap_init(void)
{
    static const uint32_t direct[] = {
        MSR_FS_BASE, MSR_GS_BASE,                           /* in the VMCS */
        MSR_SYSENTER_CS, MSR_SYSENTER_ESP, MSR_SYSENTER_EIP,
        MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR, MSR_CSTAR, /* switched by */
        MSR_SFMASK,                                         /* vcpu_load/put */
    };
    unsigned int i;

    if ( msr_bitmap )
        return 0;
    if ( !(msr_bitmap = alloc_xenheap_pages(0, 0)) )
        return -ENOMEM;
    memset(msr_bitmap, 0xff, PAGE_SIZE);
    for ( i = 0; i < ARRAY_SIZE(direct); i++ )
        msr_bitmap_allow(direct[i]);
    return 0;
}

/* ---- guest state helpers (VMCS current) ---- */

/* SVM-style packed attributes (as in vcpu_hvm_context) to VMX access rights. */
static uint32_t ar_from_attr(uint16_t attr)
{
    uint32_t ar = (attr & 0xff) | ((uint32_t)(attr & 0xf00) << 4);

    return (attr & 0x80) ? ar : AR_UNUSABLE;      /* not present: unusable */
}

static void seg_write(enum vmx_seg s, uint16_t sel, uint64_t base, uint32_t limit,
                      uint32_t ar)
{
    vmwrite(GUEST_ES_SEL + 2 * s, sel);
    vmwrite(GUEST_ES_BASE + 2 * s, base);
    vmwrite(GUEST_ES_LIMIT + 2 * s, limit);
    vmwrite(GUEST_ES_AR + 2 * s, ar);
}

static void seg_flat(enum vmx_seg s, uint16_t sel, uint16_t attr)
{
    seg_write(s, sel, 0, 0xffffffff, ar_from_attr(attr));
}

/* Bits of CR0/CR4 the CPU insists on in VMX operation, which we own. */
static uint64_t cr0_owned(void)
{
    /* Unrestricted guest lifts the PE and PG requirements (SDM 26.3.1.1). */
    return vmx_cr0_fixed0 & ~(X86_CR0_PE | X86_CR0_PG);
}

static uint64_t cr4_owned(void)
{
    return vmx_cr4_fixed0;
}

/* The guest's view goes to the shadow, the CPU gets it with our bits. */
void vmx_set_cr0(uint64_t cr0)
{
    vmwrite(CR0_READ_SHADOW, cr0);
    vmwrite(GUEST_CR0, (cr0 | cr0_owned()) & vmx_cr0_fixed1);
}

void vmx_set_cr4(uint64_t cr4)
{
    vmwrite(CR4_READ_SHADOW, cr4);
    vmwrite(GUEST_CR4, (cr4 | cr4_owned()) & vmx_cr4_fixed1);
}

/* EFER and the entry control that must agree with EFER.LMA. */
void vmx_set_efer_raw(uint64_t efer)
{
    uint64_t ctl = vmread(ENTRY_CONTROLS) & ~ENTRY_IA32E_GUEST;

    vmwrite(GUEST_EFER, efer);
    vmwrite(ENTRY_CONTROLS, ctl | ((efer & EFER_LMA) ? ENTRY_IA32E_GUEST : 0));
}

uint64_t vmx_guest_cr0(void)
{
    uint64_t mask = vmread(CR0_GUEST_HOST_MASK);

    return (vmread(GUEST_CR0) & ~mask) | (vmread(CR0_READ_SHADOW) & mask);
}

/* ---- start states ---- */

/*
 * PVH start of day (Xen's docs/misc/pvh.pandoc): 32-bit flat protected
 * mode, paging off, CS 4 GiB execute/read, data segments 4 GiB read/write,
 * TR a busy 32-bit TSS, EBX the start info, everything else zero.
 */
static void reset_pvh_current(struct vcpu *v, uint32_t entry, uint32_t ebx)
{
    memset(&v->arch.regs, 0, sizeof(v->arch.regs));
    v->arch.regs.rbx = ebx;
    seg_flat(SEG_CS, 0x08, 0xc9b);
    seg_flat(SEG_DS, 0x10, 0xc93);
    seg_flat(SEG_ES, 0x10, 0xc93);
    seg_flat(SEG_SS, 0x10, 0xc93);
    seg_flat(SEG_FS, 0x10, 0xc93);
    seg_flat(SEG_GS, 0x10, 0xc93);
    seg_write(SEG_TR, 0x18, 0, 0x67, ar_from_attr(0x08b));
    seg_write(SEG_LDTR, 0, 0, 0, AR_UNUSABLE);
    vmwrite(GUEST_GDTR_BASE, 0);
    vmwrite(GUEST_GDTR_LIMIT, 0xffff);
    vmwrite(GUEST_IDTR_BASE, 0);
    vmwrite(GUEST_IDTR_LIMIT, 0xffff);
    vmx_set_cr0(X86_CR0_PE | X86_CR0_ET);
    vmwrite(GUEST_CR3, 0);
    vmx_set_cr4(0);
    vmx_set_efer_raw(0);
    vmwrite(GUEST_RFLAGS, 2);
    vmwrite(GUEST_RIP, entry);
    vmwrite(GUEST_RSP, 0);
    vmwrite(GUEST_DR7, 0x400);
    vmwrite(GUEST_DEBUGCTL, 0);
    vmwrite(GUEST_PAT, PAT_DEFAULT);
    vmwrite(GUEST_SYSENTER_CS, 0);
    vmwrite(GUEST_SYSENTER_ESP, 0);
    vmwrite(GUEST_SYSENTER_EIP, 0);
    vmwrite(GUEST_INTERRUPTIBILITY, 0);
    vmwrite(GUEST_ACTIVITY_STATE, 0);
    vmwrite(GUEST_PENDING_DBG, 0);
    vmwrite(ENTRY_INTR_INFO, 0);
    v->arch.msr_kernel_gs_base = v->arch.msr_star = v->arch.msr_lstar = 0;
    v->arch.msr_cstar = v->arch.msr_sfmask = 0;
}

void vmx_vcpu_reset_pvh(struct vcpu *v, uint32_t entry, uint32_t ebx)
{
    paddr_t prev = vmx_vmcs_enter(v);

    reset_pvh_current(v, entry, ebx);
    vmx_vmcs_exit(v, prev);
    v->initialised = true;
}

/*
 * What a SIPI does to a vCPU waiting for one (SDM 8.4.4): real mode, CS
 * selector vector << 8 (base vector << 12), IP 0, everything else reset.
 * Unrestricted guest runs real mode as it is.
 */
void vmx_vcpu_reset_realmode(struct vcpu *v, uint8_t vector)
{
    paddr_t prev = vmx_vmcs_enter(v);
    enum vmx_seg s;

    reset_pvh_current(v, 0, 0);
    for ( s = SEG_ES; s <= SEG_GS; s++ )
        seg_write(s, 0, 0, 0xffff, ar_from_attr(0x093));
    seg_write(SEG_CS, (uint16_t)vector << 8, (uint64_t)vector << 12, 0xffff,
              ar_from_attr(0x09b));
    seg_write(SEG_TR, 0, 0, 0xffff, ar_from_attr(0x08b));
    vmx_set_cr0(X86_CR0_ET);
    vmwrite(GUEST_RIP, 0);
    vmx_vmcs_exit(v, prev);
    v->initialised = true;
    v->arch.pending_event = 0;
    v->arch.nmi_pending = false;
}

static void load_hvm32(struct vcpu *v, const struct vcpu_hvm_x86_32 *c)
{
    struct svm_guest_regs *r = &v->arch.regs;

    r->rax = c->eax; r->rcx = c->ecx; r->rdx = c->edx; r->rbx = c->ebx;
    r->rbp = c->ebp; r->rsi = c->esi; r->rdi = c->edi;
    vmwrite(GUEST_RSP, c->esp);
    vmwrite(GUEST_RIP, c->eip);
    vmwrite(GUEST_RFLAGS, c->eflags | 2);
    vmx_set_cr0(c->cr0 | X86_CR0_ET);
    vmwrite(GUEST_CR3, c->cr3);
    vmx_set_cr4(c->cr4);
    vmx_set_efer_raw(c->efer & (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE));
    seg_write(SEG_CS, 0x08, c->cs_base, c->cs_limit, ar_from_attr(c->cs_ar));
    seg_write(SEG_DS, 0x10, c->ds_base, c->ds_limit, ar_from_attr(c->ds_ar));
    seg_write(SEG_SS, 0x10, c->ss_base, c->ss_limit, ar_from_attr(c->ss_ar));
    seg_write(SEG_ES, 0x10, c->es_base, c->es_limit, ar_from_attr(c->es_ar));
    seg_write(SEG_FS, 0x10, c->ds_base, c->ds_limit, ar_from_attr(c->ds_ar));
    seg_write(SEG_GS, 0x10, c->ds_base, c->ds_limit, ar_from_attr(c->ds_ar));
    seg_write(SEG_TR, 0x18, c->tr_base, c->tr_limit, ar_from_attr(c->tr_ar));
}

static void load_hvm64(struct vcpu *v, const struct vcpu_hvm_x86_64 *c)
{
    struct svm_guest_regs *r = &v->arch.regs;

    r->rax = c->rax; r->rcx = c->rcx; r->rdx = c->rdx; r->rbx = c->rbx;
    r->rbp = c->rbp; r->rsi = c->rsi; r->rdi = c->rdi;
    vmwrite(GUEST_RSP, c->rsp);
    vmwrite(GUEST_RIP, c->rip);
    vmwrite(GUEST_RFLAGS, c->rflags | 2);
    vmx_set_cr0(c->cr0 | X86_CR0_ET);
    vmwrite(GUEST_CR3, c->cr3);
    vmx_set_cr4(c->cr4);
    vmx_set_efer_raw(c->efer & (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE));
    /* Flat 64-bit code and data, as Xen sets them up for this mode. */
    seg_flat(SEG_CS, 0x08, 0xa9b);
    seg_flat(SEG_DS, 0x10, 0xc93);
    seg_flat(SEG_ES, 0x10, 0xc93);
    seg_flat(SEG_SS, 0x10, 0xc93);
    seg_flat(SEG_FS, 0x10, 0xc93);
    seg_flat(SEG_GS, 0x10, 0xc93);
    seg_write(SEG_TR, 0x18, 0, 0x67, ar_from_attr(0x08b));
}

/*
 * VCPUOP_initialise: arch_vcpu_initialise() has checked the mode.  A state
 * the CPU refuses fails the VM entry, which crashes only this domain.
 */
void vmx_vcpu_load_context(struct vcpu *v, const struct vcpu_hvm_context *c)
{
    paddr_t prev = vmx_vmcs_enter(v);

    reset_pvh_current(v, 0, 0);
    if ( c->mode == VCPU_HVM_MODE_32B )
        load_hvm32(v, &c->cpu_regs.x86_32);
    else
        load_hvm64(v, &c->cpu_regs.x86_64);
    vmx_vmcs_exit(v, prev);
}

/* ---- host state ---- */

static uint16_t read_sel(int which)
{
    uint16_t sel = 0;

    switch ( which )
    {
    case SEG_CS: __asm__ ( "mov %%cs, %0" : "=r" (sel) ); break;
    case SEG_SS: __asm__ ( "mov %%ss, %0" : "=r" (sel) ); break;
    case SEG_DS: __asm__ ( "mov %%ds, %0" : "=r" (sel) ); break;
    case SEG_ES: __asm__ ( "mov %%es, %0" : "=r" (sel) ); break;
    case SEG_FS: __asm__ ( "mov %%fs, %0" : "=r" (sel) ); break;
    case SEG_GS: __asm__ ( "mov %%gs, %0" : "=r" (sel) ); break;
    }
    return sel;
}

/* The base of the TSS the GDT's TSS descriptor (16 bytes) names. */
static uint64_t tss_base(const uint64_t *gdt)
{
    uint64_t lo = gdt[TSS_SELECTOR / 8], hi = gdt[TSS_SELECTOR / 8 + 1];

    return ((lo >> 16) & 0xffffff) | (((lo >> 56) & 0xff) << 24) | (hi << 32);
}

/*
 * What a VM exit loads: this CPU's control registers, segments, descriptor
 * tables and MSRs, as they are now.  Written on every vcpu_load because
 * the VMCS may have been on another CPU last time.
 */
void vmx_write_host_state(void)
{
    struct desc_ptr gdtr, idtr;

    __asm__ __volatile__ ( "sgdt %0" : "=m" (gdtr) );
    __asm__ __volatile__ ( "sidt %0" : "=m" (idtr) );
    vmwrite(HOST_CR0, read_cr0());
    vmwrite(HOST_CR3, read_cr3());
    vmwrite(HOST_CR4, read_cr4());
    vmwrite(HOST_CS_SEL, read_sel(SEG_CS));
    vmwrite(HOST_SS_SEL, read_sel(SEG_SS));
    vmwrite(HOST_DS_SEL, read_sel(SEG_DS));
    vmwrite(HOST_ES_SEL, read_sel(SEG_ES));
    vmwrite(HOST_FS_SEL, read_sel(SEG_FS));
    vmwrite(HOST_GS_SEL, read_sel(SEG_GS));
    vmwrite(HOST_TR_SEL, TSS_SELECTOR);
    vmwrite(HOST_FS_BASE, rdmsr(MSR_FS_BASE));
    vmwrite(HOST_GS_BASE, rdmsr(MSR_GS_BASE));
    vmwrite(HOST_TR_BASE, tss_base((const uint64_t *)gdtr.base));
    vmwrite(HOST_GDTR_BASE, gdtr.base);
    vmwrite(HOST_IDTR_BASE, idtr.base);
    vmwrite(HOST_SYSENTER_CS, rdmsr(MSR_SYSENTER_CS));
    vmwrite(HOST_SYSENTER_ESP, rdmsr(MSR_SYSENTER_ESP));
    vmwrite(HOST_SYSENTER_EIP, rdmsr(MSR_SYSENTER_EIP));
    vmwrite(HOST_PAT, rdmsr(MSR_PAT));
    vmwrite(HOST_EFER, rdmsr(MSR_EFER));
    vmwrite(HOST_RIP, (unsigned long)vmx_vmexit);
}

/* ---- life cycle ---- */

static void write_controls(struct vcpu *v)
{
    vmwrite(PIN_CONTROLS, vmx_pin_ctls);
    vmwrite(CPU_CONTROLS, vmx_cpu_ctls);
    vmwrite(CPU_CONTROLS2, vmx_cpu2_ctls);
    vmwrite(EXIT_CONTROLS, vmx_exit_ctls);
    vmwrite(ENTRY_CONTROLS, vmx_entry_ctls);
    vmwrite(EXCEPTION_BITMAP, 0);
    vmwrite(CR3_TARGET_COUNT, 0);
    vmwrite(EXIT_MSR_STORE_COUNT, 0);
    vmwrite(EXIT_MSR_LOAD_COUNT, 0);
    vmwrite(ENTRY_MSR_LOAD_COUNT, 0);
    vmwrite(MSR_BITMAP, virt_to_maddr(msr_bitmap));
    vmwrite(EPT_POINTER, p2m_ept_pointer(&v->domain->arch.p2m));
    if ( vmx_cpu2_ctls & CPU2_VPID )
        vmwrite(VPID, v->arch.vpid);
    vmwrite(VMCS_LINK_POINTER, ~0ULL);
    vmwrite(TSC_OFFSET, 0);
    vmwrite(CR0_GUEST_HOST_MASK, cr0_owned());
    vmwrite(CR4_GUEST_HOST_MASK, cr4_owned());
}

int vmx_vcpu_create(struct vcpu *v)
{
    uint32_t *vmcs;
    paddr_t prev;
    int rc;

    /* Without VMXON (no VMX, or no EPT), VMPTRLD would fault: refuse. */
    if ( !vmx_available() )
        return -EOPNOTSUPP;
    if ( (rc = msr_bitmap_init()) )
        return rc;
    if ( !(vmcs = alloc_xenheap_pages(0, 0)) )
        return -ENOMEM;
    memset(vmcs, 0, PAGE_SIZE);
    vmcs[0] = vmx_revision_id;
    v->arch.vmcs = vmcs;
    /* VPIDs 1..65535 (0 is the host's); wrapping only costs flushes. */
    v->arch.vpid = next_vpid;
    next_vpid = next_vpid == 0xffff ? 1 : next_vpid + 1;
    vmcs_clear(vmcs_pa(v));             /* a fresh VMCS starts clear */
    prev = vmx_vmcs_enter(v);
    write_controls(v);
    reset_pvh_current(v, 0, 0);
    vmx_vmcs_exit(v, prev);
    v->arch.hw_ready = true;
    v->arch.last_cpu = -1;
    v->arch.running_on = -1;
    return 0;
}

void vmx_vcpu_destroy(struct vcpu *v)
{
    if ( v->arch.vmcs )
    {
        vmcs_clear(vmcs_pa(v));
        free_xenheap_pages(v->arch.vmcs, 0);
    }
    v->arch.vmcs = NULL;
    v->arch.hw_ready = false;
}

/* The syscall MSRs the VMCS does not switch: the guest's while it runs. */
void vmx_vcpu_load(struct vcpu *v)
{
    if ( !vmcs_load(vmcs_pa(v)) )
        panic("VMX: VMPTRLD of d%uv%u's VMCS failed", v->domain->domain_id,
              v->vcpu_id);
    vmx_write_host_state();
    vmwrite(EXCEPTION_BITMAP, hvm_exc_trace ? TRACED_EXCEPTIONS : 0);
    wrmsr(MSR_KERNEL_GS_BASE, v->arch.msr_kernel_gs_base);
    wrmsr(MSR_STAR, v->arch.msr_star);
    wrmsr(MSR_LSTAR, v->arch.msr_lstar);
    wrmsr(MSR_CSTAR, v->arch.msr_cstar);
    wrmsr(MSR_SFMASK, v->arch.msr_sfmask);
}

void vmx_vcpu_put(struct vcpu *v)
{
    v->arch.msr_kernel_gs_base = rdmsr(MSR_KERNEL_GS_BASE);
    v->arch.msr_star = rdmsr(MSR_STAR);
    v->arch.msr_lstar = rdmsr(MSR_LSTAR);
    v->arch.msr_cstar = rdmsr(MSR_CSTAR);
    v->arch.msr_sfmask = rdmsr(MSR_SFMASK);
    /* Another CPU may run it next: write it back and forget it here. */
    vmcs_clear(vmcs_pa(v));
    v->arch.vmcs_launched = false;
}

/* ---- guest state for the code outside vmx/ ---- */

void vmx_get_paging_state(struct vcpu *v, struct guest_paging_state *s)
{
    paddr_t prev = vmx_vmcs_enter(v);

    s->cr0 = vmread(GUEST_CR0);
    s->cr3 = vmread(GUEST_CR3);
    s->cr4 = vmread(GUEST_CR4);
    s->efer = vmread(GUEST_EFER);
    vmx_vmcs_exit(v, prev);
}

uint64_t vmx_get_efer(struct vcpu *v)
{
    return vread(v, GUEST_EFER);
}

/* LMA stays as the CPU set it (it follows CR0.PG with LME). */
void vmx_set_efer(struct vcpu *v, uint64_t efer)
{
    paddr_t prev = vmx_vmcs_enter(v);

    vmx_set_efer_raw((efer & ~EFER_LMA) | (vmread(GUEST_EFER) & EFER_LMA));
    vmx_vmcs_exit(v, prev);
}

uint64_t vmx_get_pat(struct vcpu *v)
{
    return vread(v, GUEST_PAT);
}

void vmx_set_pat(struct vcpu *v, uint64_t pat)
{
    vwrite(v, GUEST_PAT, pat);
}

uint64_t vmx_get_tsc_offset(struct vcpu *v)
{
    return vread(v, TSC_OFFSET);
}

void vmx_set_tsc_offset(struct vcpu *v, uint64_t offset)
{
    vwrite(v, TSC_OFFSET, offset);
}

/* ---- the state a crashed domain's vCPU died in ---- */

static void dump_seg(const char *name, enum vmx_seg s)
{
    printk("  %s sel %04lx ar %05lx limit %08lx base %016lx\n", name,
           (unsigned long)vmread(GUEST_ES_SEL + 2 * s),
           (unsigned long)vmread(GUEST_ES_AR + 2 * s),
           (unsigned long)vmread(GUEST_ES_LIMIT + 2 * s),
           (unsigned long)vmread(GUEST_ES_BASE + 2 * s));
}

void vmx_dump_vcpu(struct vcpu *v)
{
    const struct svm_guest_regs *r = &v->arch.regs;
    paddr_t prev = vmx_vmcs_enter(v);

    printk("d%uv%u state: rip %016lx rsp %016lx rflags %08lx cpl %lu\n",
           v->domain->domain_id, v->vcpu_id, (unsigned long)vmread(GUEST_RIP),
           (unsigned long)vmread(GUEST_RSP), (unsigned long)vmread(GUEST_RFLAGS),
           (unsigned long)AR_DPL(vmread(GUEST_ES_AR + 2 * SEG_SS)));
    printk("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n",
           (unsigned long)r->rax, (unsigned long)r->rbx, (unsigned long)r->rcx,
           (unsigned long)r->rdx);
    printk("  rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n",
           (unsigned long)r->rsi, (unsigned long)r->rdi, (unsigned long)r->rbp,
           (unsigned long)r->r8);
    printk("  cr0 %08lx (shadow %08lx) cr2 %016lx cr3 %016lx cr4 %08lx efer %08lx\n",
           (unsigned long)vmread(GUEST_CR0), (unsigned long)vmread(CR0_READ_SHADOW),
           (unsigned long)r->cr2, (unsigned long)vmread(GUEST_CR3),
           (unsigned long)vmread(GUEST_CR4), (unsigned long)vmread(GUEST_EFER));
    printk("  exit reason %#lx qualification %#lx gpa %#lx intr %#lx idt-vec %#lx "
           "insn-error %lu\n",
           (unsigned long)vmread(EXIT_REASON), (unsigned long)vmread(EXIT_QUALIFICATION),
           (unsigned long)vmread(GUEST_PHYSICAL_ADDRESS),
           (unsigned long)vmread(EXIT_INTR_INFO), (unsigned long)vmread(IDT_VECTORING_INFO),
           (unsigned long)vmread(VM_INSTRUCTION_ERROR));
    printk("  controls pin %#lx cpu %#lx cpu2 %#lx entry %#lx exit %#lx "
           "interruptibility %#lx activity %lu\n",
           (unsigned long)vmread(PIN_CONTROLS), (unsigned long)vmread(CPU_CONTROLS),
           (unsigned long)vmread(CPU_CONTROLS2), (unsigned long)vmread(ENTRY_CONTROLS),
           (unsigned long)vmread(EXIT_CONTROLS),
           (unsigned long)vmread(GUEST_INTERRUPTIBILITY),
           (unsigned long)vmread(GUEST_ACTIVITY_STATE));
    dump_seg("cs", SEG_CS);
    dump_seg("ss", SEG_SS);
    dump_seg("ds", SEG_DS);
    dump_seg("tr", SEG_TR);
    dump_seg("ldtr", SEG_LDTR);
    vmx_vmcs_exit(v, prev);
}

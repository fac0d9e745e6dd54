/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What this CPU's SVM does with a virtual interrupt (V_IRQ) that is
 * already deliverable when VMRUN enters the guest, found out once at boot
 * with a throwaway guest.
 *
 * The run loop needs to know because the two ways of giving a guest an
 * interrupt each break on one emulator (see the comment above
 * can_take_irq_now() in vcpu.c): QEMU's TCG may deliver an EVENTINJ
 * interrupt a second time, at any later point and whatever the guest's IF,
 * so there only V_IRQ is safe; bochs takes a V_IRQ only when the guest
 * sets IF, never at VMRUN, so a guest woken from `sti; hlt` must get
 * EVENTINJ there.  Real CPUs take V_IRQ at VMRUN.  Probing the behaviour,
 * rather than naming emulators, picks V_IRQ wherever it works.
 *
 * The guest: flat 32-bit code whose first instruction is VMMCALL, IF set,
 * a V_IRQ pending and the VINTR intercept on.  A CPU that evaluates V_IRQ
 * at VMRUN exits with VINTR before that instruction; one that does not
 * runs it and exits with VMMCALL.
 */
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/string.h>
#include <asm/hvm/svm.h>
#include <asm/p2m.h>
#include <asm/processor.h>
#include <asm/spinlock.h>

#define PROBE_CODE_GPA 0x1000
#define PROBE_VECTOR   0x30
#define PROBE_TRIES    8            /* a host interrupt may cut one short */
#define IOPM_ORDER     2
#define MSRPM_ORDER    1

static bool virq_at_vmrun = false;

bool svm_virq_taken_at_vmrun(void)
{
    return virq_at_vmrun;
}

static void probe_vmcb_init(struct vmcb *v, paddr_t n_cr3, paddr_t iopm, paddr_t msrpm)
{
    svm_vmcb_init_flat32(v, n_cr3, iopm, msrpm, PROBE_CODE_GPA);
    v->intercepts1 = INTERCEPT_INTR | INTERCEPT_NMI | INTERCEPT_VINTR |
                     INTERCEPT_HLT | INTERCEPT_IOIO | INTERCEPT_MSR |
                     INTERCEPT_SHUTDOWN;
    v->rflags |= X86_EFLAGS_IF;
    /* Physical interrupts stay the host's; the virtual one is pending. */
    v->vintr = VINTR_MASKING | VINTR_V_IRQ | VINTR_IGN_TPR |
               (0xfULL << VINTR_PRIO_SHIFT) |
               ((uint64_t)PROBE_VECTOR << VINTR_VECTOR_SHIFT);
}

/* Run on the boot CPU once SVM is enabled on it; prints what it found. */
void svm_probe_virq(void)
{
    static const uint8_t code[] = { 0x0f, 0x01, 0xd9, 0xf4 };   /* vmmcall; hlt */
    struct svm_guest_regs regs = { 0 };
    void *vmcb = svm_zeroed_page(), *host = svm_zeroed_page(), *page = svm_zeroed_page();
    void *iopm = alloc_xenheap_pages(IOPM_ORDER, 0);
    void *msrpm = alloc_xenheap_pages(MSRPM_ORDER, 0);
    struct p2m p2m;
    bool p2m_ok = !p2m_init(&p2m, &p2m_xenheap_allocator);
    uint64_t exit = 0;
    unsigned long flags;
    unsigned int tries;

    if ( !vmcb || !host || !page || !iopm || !msrpm || !p2m_ok ||
         p2m_set_entry(&p2m, PROBE_CODE_GPA >> PAGE_SHIFT, virt_to_mfn(page),
                       P2M_ORDER_4K, P2M_RWX) )
    {
        printk(XENLOG_WARNING "SVM: no memory to probe V_IRQ: using EVENTINJ after HLT\n");
        goto out;
    }
    memcpy(page, code, sizeof(code));
    memset(iopm, 0xff, PAGE_SIZE << IOPM_ORDER);
    memset(msrpm, 0xff, PAGE_SIZE << MSRPM_ORDER);
    for ( tries = 0; tries < PROBE_TRIES; tries++ )
    {
        memset(vmcb, 0, PAGE_SIZE);
        probe_vmcb_init(vmcb, p2m.root_pa, virt_to_maddr(iopm), virt_to_maddr(msrpm));
        flags = local_irq_save();
        svm_vmrun(virt_to_maddr(vmcb), &regs, virt_to_maddr(host));
        local_irq_restore(flags);
        exit = ((struct vmcb *)vmcb)->exitcode;
        if ( exit != VMEXIT_INTR && exit != VMEXIT_NMI )
            break;
    }
    virq_at_vmrun = exit == VMEXIT_VINTR;
    printk("SVM: a pending V_IRQ is taken at VMRUN: %s (probe exit %#lx)\n",
           virq_at_vmrun ? "yes" : "no, HLT wake-ups use EVENTINJ",
           (unsigned long)exit);
 out:
    if ( p2m_ok )
        p2m_teardown(&p2m);
    free_xenheap_pages(vmcb, 0);
    free_xenheap_pages(host, 0);
    free_xenheap_pages(page, 0);
    free_xenheap_pages(iopm, IOPM_ORDER);
    free_xenheap_pages(msrpm, MSRPM_ORDER);
}

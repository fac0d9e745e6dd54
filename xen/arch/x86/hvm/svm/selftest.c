/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A first guest for the SVM backend: a few bytes of 32-bit code behind
 * nested paging that loop on VMMCALL (or CPUID).  It proves the world
 * switch, NPT and exit dispatch on this CPU, and measures the cost of a
 * round trip: `svm_selftest=<n>` runs n exits of each kind after boot and
 * prints the rates (`make bench` reads them).  Domains proper come with
 * the PVH work; this guest has no domain, only a VMCB.
 */
#include <xen/config.h>
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/param.h>
#include <xen/string.h>
#include <public/arch-x86-cpuid.h>
#include <public/xen.h>
#include <asm/hvm/guest_cpuid.h>
#include <asm/hvm/svm.h>
#include <asm/mm.h>
#include <asm/p2m.h>
#include <asm/processor.h>
#include <asm/time.h>

#define GUEST_CODE_GPA  0x1000
#define GUEST_DATA_GPA  0x2000
#define GUEST_HCALL_GPA 0x3000
#define VMMCALL_LEN     3
#define CPUID_LEN       2

static unsigned long opt_svm_selftest;
integer_param("svm_selftest", opt_svm_selftest);

struct test_guest {
    struct vmcb *vmcb;
    void *host_save;
    void *code;
    struct p2m p2m;
    bool p2m_ready;
    struct svm_guest_regs regs;
    void *data;
    void *hcall_page;
    unsigned long exits, budget;
    bool hypercalls;            /* VMMCALL is a hypercall, not a bench tick */
    bool failed;
    struct guest_mem mem;
};

enum exit_action { EXIT_RESUME, EXIT_STOP };
typedef enum exit_action (*exit_handler_t)(struct test_guest *g);

void *svm_zeroed_page(void)
{
    void *p = alloc_xenheap_pages(0, 0);

    if ( p )
        memset(p, 0, PAGE_SIZE);
    return p;
}

static int map_guest_page(struct test_guest *g, uint64_t gpa, void *page)
{
    return p2m_set_entry(&g->p2m, gpa >> PAGE_SHIFT, virt_to_mfn(page),
                         P2M_ORDER_4K, P2M_RWX);
}

static void flat_seg(struct vmcb_seg *s, uint16_t sel, uint16_t attr)
{
    s->sel = sel;
    s->attr = attr;
    s->limit = 0xffffffff;
    s->base = 0;
}

/*
 * Flat 32-bit protected mode, paging off: the simplest legal state, for
 * the throwaway guests of this file and of probe.c.  Interrupts off; the
 * caller adds its own intercepts (VMRUN and VMMCALL are always on).
 */
void svm_vmcb_init_flat32(struct vmcb *v, paddr_t n_cr3, paddr_t iopm,
                          paddr_t msrpm, uint64_t rip)
{
    v->intercepts2 = INTERCEPT_VMRUN | INTERCEPT_VMMCALL;
    v->iopm_base_pa = iopm;
    v->msrpm_base_pa = msrpm;
    v->asid = 1;
    /* No flush-by-ASID under TCG: flush everything on the first entry. */
    v->tlb_control = TLB_CONTROL_FLUSH_ALL;
    v->np_enable = 1;
    v->n_cr3 = n_cr3;
    v->g_pat = 0x0007040600070406ULL;

    flat_seg(&v->cs, 0x08, 0xc9b);
    flat_seg(&v->ds, 0x10, 0xc93);
    flat_seg(&v->es, 0x10, 0xc93);
    flat_seg(&v->ss, 0x10, 0xc93);
    flat_seg(&v->fs, 0x10, 0xc93);
    flat_seg(&v->gs, 0x10, 0xc93);
    flat_seg(&v->tr, 0x18, 0x08b);
    v->tr.limit = 0x67;
    v->ldtr.attr = 0x082;
    v->gdtr.limit = 0;
    v->idtr.limit = 0;
    v->cr0 = X86_CR0_PE | X86_CR0_NE | (1u << 4);   /* PE, NE, ET */
    v->efer = EFER_SVME;
    v->rflags = 2;
    v->rip = rip;
    v->dr6 = 0xffff0ff0;
    v->dr7 = 0x400;
}

static void vmcb_init_guest(struct test_guest *g, paddr_t iopm, paddr_t msrpm)
{
    svm_vmcb_init_flat32(g->vmcb, g->p2m.root_pa, iopm, msrpm, GUEST_CODE_GPA);
    g->vmcb->intercepts1 = INTERCEPT_INTR | INTERCEPT_NMI | INTERCEPT_INIT |
                           INTERCEPT_CPUID | INTERCEPT_HLT | INTERCEPT_IOIO |
                           INTERCEPT_MSR | INTERCEPT_SHUTDOWN;
}

/* In a timing loop, count the exit and stop after the budget. */
static enum exit_action bench_tick(struct test_guest *g)
{
    if ( g->hypercalls )
        return EXIT_RESUME;
    return ++g->exits < g->budget ? EXIT_RESUME : EXIT_STOP;
}

static void advance_rip(struct test_guest *g, unsigned int len)
{
    /* With NRIPS the CPU tells us where the next instruction is. */
    if ( svm_feature_flags() & SVM_FEATURE_NRIPS )
        g->vmcb->rip = g->vmcb->next_rip;
    else
        g->vmcb->rip += len;
}

/* Guest-physical to host-virtual through the p2m; NULL if unmapped. */
static uint8_t *gpa_to_virt(struct test_guest *g, uint64_t gpa)
{
    unsigned long mfn = p2m_get_entry(&g->p2m, gpa >> PAGE_SHIFT, NULL, NULL);

    if ( mfn == P2M_INVALID_MFN )
        return NULL;
    return (uint8_t *)mfn_to_virt(mfn) + (gpa & (PAGE_SIZE - 1));
}

/* Paging is off in the test guest: guest addresses are guest-physical. */
static int guest_copy(struct guest_mem *gm, uint64_t gaddr, void *buf,
                      size_t len, bool to_guest)
{
    struct test_guest *g = container_of(gm, struct test_guest, mem);

    while ( len )
    {
        size_t chunk = min(len, (size_t)(PAGE_SIZE - (gaddr & (PAGE_SIZE - 1))));
        uint8_t *p = gpa_to_virt(g, gaddr);

        if ( !p )
            return -EFAULT;
        if ( to_guest )
            memcpy(p, buf, chunk);
        else
            memcpy(buf, p, chunk);
        gaddr += chunk;
        buf = (uint8_t *)buf + chunk;
        len -= chunk;
    }
    return 0;
}

static int guest_copy_to(struct guest_mem *gm, uint64_t gaddr, const void *src,
                         size_t len)
{
    return guest_copy(gm, gaddr, (void *)src, len, true);
}

static int guest_copy_from(struct guest_mem *gm, void *dst, uint64_t gaddr,
                           size_t len)
{
    return guest_copy(gm, gaddr, dst, len, false);
}

/* Nothing else runs here: a continued call is made again at once. */
static long dispatch_to_end(struct hypercall_ctx *ctx, uint64_t nr,
                            uint64_t args[HYPERCALL_MAX_ARGS])
{
    long rc = hypercall_dispatch(ctx, nr, args);

    while ( ctx->continued )
    {
        memcpy(args, ctx->next_args, sizeof(ctx->next_args));
        rc = hypercall_dispatch(ctx, nr, args);
    }
    return rc;
}

/*
 * Xen's calling convention: a 64-bit guest passes RDI, RSI, RDX, R10, R8;
 * a 32-bit one EBX, ECX, EDX, ESI, EDI, and gets a 32-bit result.
 */
static void do_guest_hypercall(struct test_guest *g)
{
    struct vmcb *v = g->vmcb;
    bool is64 = (v->efer & EFER_LMA) && (v->cs.attr & 0x200);
    struct hypercall_ctx ctx = { .privileged = false, .mem = &g->mem };
    uint64_t args[HYPERCALL_MAX_ARGS];
    long rc;

    if ( is64 )
    {
        args[0] = g->regs.rdi; args[1] = g->regs.rsi; args[2] = g->regs.rdx;
        args[3] = g->regs.r10; args[4] = g->regs.r8;
        rc = dispatch_to_end(&ctx, v->rax, args);
        v->rax = rc;
    }
    else
    {
        args[0] = (uint32_t)g->regs.rbx; args[1] = (uint32_t)g->regs.rcx;
        args[2] = (uint32_t)g->regs.rdx; args[3] = (uint32_t)g->regs.rsi;
        args[4] = (uint32_t)g->regs.rdi;
        rc = dispatch_to_end(&ctx, (uint32_t)v->rax, args);
        v->rax = (uint32_t)rc;
    }
}

static enum exit_action exit_vmmcall(struct test_guest *g)
{
    advance_rip(g, VMMCALL_LEN);
    if ( g->hypercalls )
    {
        do_guest_hypercall(g);
        return EXIT_RESUME;
    }
    return bench_tick(g);
}

/*
 * WRMSR to the hypercall-page MSR: fill the page at the guest-physical
 * address written.  Anything else is beyond this test guest (a real vCPU
 * would get #GP injected).
 */
static enum exit_action exit_msr(struct test_guest *g)
{
    uint32_t msr = g->regs.rcx;
    uint64_t val = (g->regs.rdx << 32) | (uint32_t)g->vmcb->rax;
    uint8_t page[PAGE_SIZE];

    if ( g->vmcb->exitinfo1 != 1 || msr != XEN_HYPERCALL_PAGE_MSR ||
         (val & (PAGE_SIZE - 1)) )
    {
        printk(XENLOG_ERR "SVM selftest: unexpected %s of MSR %#x\n",
               g->vmcb->exitinfo1 ? "WRMSR" : "RDMSR", msr);
        g->failed = true;
        return EXIT_STOP;
    }
    hypercall_page_fill(page, true);
    if ( guest_copy_to(&g->mem, val, page, sizeof(page)) )
    {
        g->failed = true;
        return EXIT_STOP;
    }
    advance_rip(g, 2);
    return EXIT_RESUME;
}

static enum exit_action exit_hlt(struct test_guest *g)
{
    advance_rip(g, 1);
    return EXIT_STOP;
}

static void host_cpuid(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r)
{
    cpuid_count(leaf, subleaf, r);
}

static enum exit_action exit_cpuid(struct test_guest *g)
{
    static const struct guest_cpuid_ctx ctx = {
        .domid = 1, .vcpu_id = 0, .host_cpuid = host_cpuid,
    };
    struct cpuid_regs r;

    guest_cpuid(&ctx, g->vmcb->rax, g->regs.rcx, &r);
    g->vmcb->rax = r.a;
    g->regs.rbx = r.b;
    g->regs.rcx = r.c;
    g->regs.rdx = r.d;
    advance_rip(g, CPUID_LEN);
    return bench_tick(g);
}

/* A physical interrupt or NMI: STGI in svm_vmrun has already let it in. */
static enum exit_action exit_resume(struct test_guest *g)
{
    return EXIT_RESUME;
}

static const exit_handler_t exit_handlers[] = {
    [VMEXIT_INTR] = exit_resume,
    [VMEXIT_NMI] = exit_resume,
    [VMEXIT_CPUID] = exit_cpuid,
    [VMEXIT_HLT] = exit_hlt,
    [VMEXIT_MSR] = exit_msr,
    [VMEXIT_VMMCALL] = exit_vmmcall,
};

static void run_guest(struct test_guest *g)
{
    for ( ; ; )
    {
        uint64_t code;
        exit_handler_t h;

        svm_vmrun(virt_to_maddr(g->vmcb), &g->regs, virt_to_maddr(g->host_save));
        g->vmcb->tlb_control = 0;
        code = g->vmcb->exitcode;
        h = code < ARRAY_SIZE(exit_handlers) ? exit_handlers[code] : NULL;
        if ( !h )
        {
            printk(XENLOG_ERR "SVM selftest: unexpected exit %#lx (info1 %#lx "
                   "info2 %#lx) at rip %#lx\n", (unsigned long)code,
                   (unsigned long)g->vmcb->exitinfo1,
                   (unsigned long)g->vmcb->exitinfo2,
                   (unsigned long)g->vmcb->rip);
            g->failed = true;
            return;
        }
        if ( h(g) == EXIT_STOP )
            return;
    }
}

/* Time `n` round trips of the instruction at the guest's entry point. */
static s_time_t measure(struct test_guest *g, const uint8_t *insn,
                        unsigned int len, unsigned long n)
{
    uint8_t *code = g->code;
    s_time_t t0;

    memcpy(code, insn, len);
    code[len] = 0xeb;                          /* jmp back to the start */
    code[len + 1] = (uint8_t)-(len + 2);
    g->vmcb->rip = GUEST_CODE_GPA;
    g->exits = 0;
    g->budget = n;
    t0 = NOW();
    run_guest(g);
    return NOW() - t0;
}

static s_time_t measure_native_cpuid(unsigned long n)
{
    struct cpuid_regs r;
    s_time_t t0 = NOW();
    unsigned long i;

    for ( i = 0; i < n; i++ )
        cpuid(0, &r);
    return NOW() - t0;
}

/*
 * The guest makes hypercalls through the dispatch table and stores each
 * result at GUEST_DATA_GPA; we check them after its HLT.
 */
static bool test_hypercalls(struct test_guest *g)
{
    static const uint8_t prog[] = {
        0xb8, 0x11, 0, 0, 0,  0xbb, 0, 0, 0, 0,  0x0f, 0x01, 0xd9,
        0xa3, 0x00, 0x20, 0, 0,                      /* version */
        0xb8, 0x11, 0, 0, 0,  0xbb, 1, 0, 0, 0,  0xb9, 0x10, 0x20, 0, 0,
        0x0f, 0x01, 0xd9,  0xa3, 0x04, 0x20, 0, 0,   /* extraversion */
        0xb8, 99, 0, 0, 0,  0x0f, 0x01, 0xd9,
        0xa3, 0x08, 0x20, 0, 0,                      /* no such hypercall */
        0xb8, 0x11, 0, 0, 0,  0xbb, 1, 0, 0, 0,  0xb9, 0, 0, 0, 0x80,
        0x0f, 0x01, 0xd9,  0xa3, 0x0c, 0x20, 0, 0,   /* unmapped buffer */
        0xf4,                                        /* hlt */
    };
    const uint32_t *res = g->data;
    bool ok;

    memcpy(g->code, prog, sizeof(prog));
    memset(g->data, 0, PAGE_SIZE);
    g->vmcb->rip = GUEST_CODE_GPA;
    g->hypercalls = true;
    run_guest(g);
    g->hypercalls = false;
    ok = !g->failed && res[0] == ((4u << 16) | 17) && res[1] == 0 &&
         res[2] == (uint32_t)-ENOSYS && res[3] == (uint32_t)-EFAULT &&
         !strcmp((const char *)g->data + 0x10, ".0-tonnerre");
    printk("SVM hypercall test: version %#x, extraversion '%s', unknown %d, "
           "bad buffer %d: %s\n", res[0], (const char *)g->data + 0x10,
           (int)res[2], (int)res[3], ok ? "passed" : "FAILED");
    return ok;
}

/*
 * As Linux finds Xen: CPUID 0x40000000 for the signature, 0x40000002 for
 * the hypercall-page MSR, WRMSR the page's address, then call
 * xen_version through the page.
 */
static bool test_hypercall_page(struct test_guest *g)
{
    static const uint8_t prog[] = {
        0xb8, 0x00, 0x00, 0x00, 0x40,  0x0f, 0xa2,       /* cpuid 0x40000000 */
        0x89, 0x1d, 0x20, 0x20, 0, 0,                    /* mov [0x2020], ebx */
        0x89, 0x0d, 0x24, 0x20, 0, 0,                    /* mov [0x2024], ecx */
        0x89, 0x15, 0x28, 0x20, 0, 0,                    /* mov [0x2028], edx */
        0xb8, 0x02, 0x00, 0x00, 0x40,  0x0f, 0xa2,       /* cpuid 0x40000002 */
        0x89, 0xd9,                                      /* mov ecx, ebx */
        0xb8, 0x00, 0x30, 0, 0,  0x31, 0xd2,  0x0f, 0x30,  /* wrmsr 0x3000 */
        0xbc, 0x00, 0x2f, 0, 0,                          /* mov esp, 0x2f00 */
        0x31, 0xdb,                                      /* xor ebx, ebx */
        0xe8, 0, 0, 0, 0,                                /* call stub 17 */
        0xa3, 0x30, 0x20, 0, 0,                          /* mov [0x2030], eax */
        0xf4,
    };
    const size_t call_at = 51;   /* offset of the call's rel32 */
    const uint32_t *res = g->data;
    uint32_t target = GUEST_HCALL_GPA + __HYPERVISOR_xen_version * HYPERCALL_STUB_SIZE;
    int32_t rel = target - (GUEST_CODE_GPA + call_at + 4);
    char sig[13];
    bool ok;

    BUILD_BUG_ON(sizeof(prog) != 61);
    memcpy(g->code, prog, sizeof(prog));
    memcpy((uint8_t *)g->code + call_at, &rel, sizeof(rel));
    memset(g->data, 0, PAGE_SIZE);
    g->vmcb->rip = GUEST_CODE_GPA;
    g->hypercalls = true;
    run_guest(g);
    g->hypercalls = false;
    memcpy(sig, (const uint8_t *)g->data + 0x20, 12);
    sig[12] = '\0';
    ok = !g->failed && !strcmp(sig, "XenVMMXenVMM") &&
         res[0x30 / 4] == ((4u << 16) | 17);
    printk("SVM hypercall page test: signature '%s', xen_version via the page "
           "%#x: %s\n", sig, res[0x30 / 4], ok ? "passed" : "FAILED");
    return ok;
}

static void report(const char *what, unsigned long n, s_time_t ns)
{
    if ( ns <= 0 )
        ns = 1;
    printk("SVM bench: %s: %lu in %lu us, %lu per second, %lu ns each\n", what,
           n, (unsigned long)(ns / 1000),
           (unsigned long)(n * 1000000000ULL / (uint64_t)ns),
           (unsigned long)(ns / (s_time_t)n));
}

void svm_selftest(void);
void svm_selftest(void)
{
    static const uint8_t vmmcall[] = { 0x0f, 0x01, 0xd9 };
    static const uint8_t cpuid_insn[] = { 0x0f, 0xa2 };
    struct test_guest g = { 0 };
    void *iopm = NULL, *msrpm = NULL;
    unsigned long n = opt_svm_selftest;

    if ( !IS_ENABLED(CONFIG_DEBUG_SELFTESTS) || !n )
        return;
    if ( !svm_available() )
    {
        printk("SVM selftest: SVM not available\n");
        return;
    }
    g.vmcb = svm_zeroed_page();
    g.host_save = svm_zeroed_page();
    g.code = svm_zeroed_page();
    g.p2m_ready = !p2m_init(&g.p2m, &p2m_xenheap_allocator);
    g.data = svm_zeroed_page();
    g.hcall_page = svm_zeroed_page();
    g.mem = (struct guest_mem){ guest_copy_to, guest_copy_from };
    /* All ones: every port and MSR access exits (APM 15.10, 15.11). */
    iopm = alloc_xenheap_pages(2, 0);
    msrpm = alloc_xenheap_pages(1, 0);
    if ( !g.vmcb || !g.host_save || !g.code || !g.p2m_ready || !g.data ||
         !g.hcall_page || !iopm || !msrpm ||
         map_guest_page(&g, GUEST_CODE_GPA, g.code) ||
         map_guest_page(&g, GUEST_DATA_GPA, g.data) ||
         map_guest_page(&g, GUEST_HCALL_GPA, g.hcall_page) )
    {
        printk(XENLOG_ERR "SVM selftest: out of memory\n");
        goto out;
    }
    memset(iopm, 0xff, 4 * PAGE_SIZE);
    memset(msrpm, 0xff, 2 * PAGE_SIZE);
    vmcb_init_guest(&g, virt_to_maddr(iopm), virt_to_maddr(msrpm));

    if ( !test_hypercalls(&g) || !test_hypercall_page(&g) )
        g.failed = true;
    if ( !g.failed )
        report("VMMCALL round trips", n, measure(&g, vmmcall, sizeof(vmmcall), n));
    if ( !g.failed )
        report("CPUID exits (guest)", n, measure(&g, cpuid_insn, sizeof(cpuid_insn), n));
    if ( !g.failed )
        report("CPUID native (baseline)", n, measure_native_cpuid(n));
    printk("SVM selftest: %s\n", g.failed ? "FAILED" : "passed");

 out:
    if ( g.p2m_ready )
        p2m_teardown(&g.p2m);
    free_xenheap_pages(g.vmcb, 0);
    free_xenheap_pages(g.host_save, 0);
    free_xenheap_pages(g.code, 0);
    free_xenheap_pages(g.data, 0);
    free_xenheap_pages(g.hcall_page, 0);
    free_xenheap_pages(iopm, 2);
    free_xenheap_pages(msrpm, 1);
}

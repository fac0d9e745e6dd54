/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bringing up the secondary CPUs (application processors).
 *
 * Every enabled CPU in the ACPI MADT is started in turn, up to maxcpus=:
 * the BSP gives it a struct percpu and guarded stacks, points the trampoline
 * at them and sends INIT-SIPI-SIPI; the AP loads its descriptor tables,
 * enables its local APIC and timer, marks itself online and idles.  One AP
 * at a time, so the trampoline's hand-over variables need no locking.
 */
#include <xen/acpi.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/spinlock.h>
#include <xen/mm.h>
#include <xen/param.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/softirq.h>
#include <xen/string.h>
#include <xen/timer.h>
#include <xen/xmalloc.h>
#include <asm/apic.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/xstate.h>
#include <asm/mm.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/time.h>

extern const char trampoline_start[], trampoline_end[];
extern const char tramp_off_jmp32[], tramp_off_jmp64[], tramp_off_gdt[];
extern const char tramp_off_tramp32[], tramp_off_tramp64[], tramp_off_gdt_table[];

/* Read by the AP in ap_start64 (trampoline.S). */
unsigned long ap_boot_stack;
unsigned int ap_boot_cpu;

struct percpu *percpu_of[NR_CPUS];
unsigned int nr_cpus_online = 1;
static struct percpu bsp_percpu;

/* maxcpus=<n>: use at most n CPUs (Xen's option). */
static unsigned int opt_maxcpus = NR_CPUS;
integer_param("maxcpus", opt_maxcpus);

static paddr_t trampoline_pa;

unsigned int smp_processor_id(void)
{
    return this_cpu()->cpu_id;
}

void percpu_set_base(struct percpu *p)
{
    p->self = p;
    wrmsr(MSR_GS_BASE, (unsigned long)p);
}

/* The BSP's per-CPU area is static: it is needed before the heap exists. */
void smp_prepare_boot_cpu(void)
{
    bsp_percpu.cpu_id = 0;
    bsp_percpu.online = true;
    percpu_of[0] = &bsp_percpu;
    percpu_set_base(&bsp_percpu);
}

void smp_set_trampoline(paddr_t pa)
{
    trampoline_pa = pa;
}

static void patch32(uint8_t *base, const char *off, uint32_t val)
{
    memcpy(base + (unsigned long)off, &val, sizeof(val));
}

/* Copy the trampoline below 1 MiB and fill in its physical addresses. */
static void install_trampoline(void)
{
    uint8_t *t = maddr_to_virt(trampoline_pa);
    size_t len = trampoline_end - trampoline_start;

    BUG_ON(len > PAGE_SIZE);
    memcpy(t, trampoline_start, len);
    patch32(t, tramp_off_jmp32, trampoline_pa + (unsigned long)tramp_off_tramp32);
    patch32(t, tramp_off_jmp64, trampoline_pa + (unsigned long)tramp_off_tramp64);
    patch32(t, tramp_off_gdt, trampoline_pa + (unsigned long)tramp_off_gdt_table);
}

void __attribute__((noreturn)) start_secondary(unsigned int cpu);
void __attribute__((noreturn)) start_secondary(unsigned int cpu)
{
    struct percpu *pc = percpu_of[cpu];

    percpu_set_base(pc);
    cpu_load_descriptors(cpu);
    cpu_enable_protections();
    hvm_init_this_cpu();
    xstate_init_this_cpu();
    apic_init_ap();
    pc->apic_id = apic_read_id();
    timer_init_this_cpu();
    __atomic_store_n(&pc->online, true, __ATOMIC_RELEASE);
    local_irq_enable();
    sched_cpu_loop();
}

static int prepare_cpu(unsigned int cpu, uint32_t apic_id)
{
    struct percpu *pc = xzalloc(struct percpu);
    int rc;

    if ( !pc )
        return -ENOMEM;
    if ( (rc = map_cpu_stacks(cpu)) )
    {
        xfree(pc);
        return rc;
    }
    pc->cpu_id = cpu;
    pc->apic_id = apic_id;
    pc->stack_top = cpu_stack_top(cpu);
    percpu_of[cpu] = pc;
    return 0;
}

/* Wait up to `ms` for the AP to report in; TCG can be slow, so be patient. */
static bool wait_for_online(const struct percpu *pc, unsigned int ms)
{
    s_time_t end = NOW() + (s_time_t)ms * 1000000;

    while ( NOW() < end )
    {
        if ( __atomic_load_n(&pc->online, __ATOMIC_ACQUIRE) )
            return true;
        cpu_relax();
    }
    return false;
}

static bool boot_one_cpu(unsigned int cpu, uint32_t apic_id)
{
    int rc = prepare_cpu(cpu, apic_id);

    if ( rc )
    {
        printk(XENLOG_ERR "CPU%u: cannot allocate its state (%d)\n", cpu, rc);
        return false;
    }
    ap_boot_stack = cpu_stack_top(cpu);
    ap_boot_cpu = cpu;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    apic_send_init_sipi(apic_id, trampoline_pa >> PAGE_SHIFT);
    if ( !wait_for_online(percpu_of[cpu], 2000) )
    {
        printk(XENLOG_ERR "CPU%u (APIC id %u) did not come up\n", cpu, apic_id);
        percpu_of[cpu] = NULL;   /* its stacks stay mapped: it may yet run */
        return false;
    }
    nr_cpus_online++;
    return true;
}

/*
 * Check every online CPU's timer and interrupt path: arm a timer on each
 * from here (remote CPUs get an event-check IPI and program their own
 * LAPIC timer) and wait for all of them to fire.
 */
static struct timer ping_timers[NR_CPUS];
static unsigned int pings_answered;

static void ping_answered(void *unused)
{
    __atomic_fetch_add(&pings_answered, 1, __ATOMIC_SEQ_CST);
}

static void smp_check_timers(void)
{
    unsigned int cpu, armed = 0;
    s_time_t deadline = NOW() + 1000000000;

    for ( cpu = 0; cpu < NR_CPUS; cpu++ )
    {
        if ( !percpu_of[cpu] || !percpu_of[cpu]->online )
            continue;
        init_timer(&ping_timers[cpu], ping_answered, NULL, cpu);
        set_timer(&ping_timers[cpu], NOW() + 1000000);
        armed++;
    }
    /* CPU 0's own timer needs its softirq run: this is not the idle loop. */
    while ( __atomic_load_n(&pings_answered, __ATOMIC_SEQ_CST) < armed &&
            NOW() < deadline )
        do_softirq();
    printk("Timers: %u of %u CPUs took a timer interrupt%s\n", pings_answered,
           armed, pings_answered == armed ? "" : " (some CPUs are not answering)");
}

void smp_boot_cpus(void)
{
    uint32_t self = apic_read_id();
    unsigned int i, present = 0, next = 1;

    bsp_percpu.apic_id = self;
    install_trampoline();
    for ( i = 0; i < acpi_info.nr_lapics; i++ )
    {
        const struct acpi_lapic *l = &acpi_info.lapics[i];

        if ( !l->enabled )
            continue;
        present++;
        if ( l->apic_id == self )
            continue;
        if ( next >= opt_maxcpus || next >= NR_CPUS )
            continue;
        if ( boot_one_cpu(next, l->apic_id) )
            next++;
    }
    if ( !present )
        present = 1;
    printk("SMP: %u CPUs online (of %u in MADT%s)\n", nr_cpus_online, present,
           opt_maxcpus < present ? ", limited by maxcpus=" : "");
    smp_check_timers();
}


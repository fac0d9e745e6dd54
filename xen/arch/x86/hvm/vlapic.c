/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtual local APIC (see asm/hvm/vlapic.h).
 *
 * One register file serves both interfaces: xAPIC MMIO offsets, and
 * x2APIC MSR 0x800 + offset / 16 (SDM 10.12.1.2).  The timer counts at
 * 1 GHz (one tick per nanosecond, as Xen's virtual APIC does) divided by
 * TDCR, and TSC-deadline mode converts the deadline to system time; both
 * are backed by a hypervisor timer on the vCPU's CPU.  APIC ids are
 * vcpu_id * 2, as Xen gives its HVM guests.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <xen/timer.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/vlapic.h>
#include <asm/processor.h>
#include <asm/time.h>

#define APIC_ID        0x020
#define APIC_VERSION   0x030
#define APIC_TPR       0x080
#define APIC_APR       0x090
#define APIC_PPR       0x0a0
#define APIC_EOI       0x0b0
#define APIC_LDR       0x0d0
#define APIC_DFR       0x0e0
#define APIC_SVR       0x0f0
#define APIC_ISR       0x100
#define APIC_TMR       0x180
#define APIC_IRR       0x200
#define APIC_ESR       0x280
#define APIC_ICR       0x300
#define APIC_ICR2      0x310
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_ERROR 0x370
#define APIC_TMICT     0x380
#define APIC_TMCCT     0x390
#define APIC_TDCR      0x3e0
#define APIC_SELF_IPI  0x3f0     /* x2APIC only */

#define X2APIC_MSR_FIRST 0x800
#define X2APIC_MSR_LAST  0x8ff

#define VERSION_VALUE  (0x14u | ((VLAPIC_LVT_NUM - 1u) << 16))
#define SVR_ENABLED    (1u << 8)
#define LVT_MASKED     (1u << 16)
#define LVT_VECTOR     0xffu
#define TIMER_MODE(l)  (((l) >> 17) & 3)
#define TIMER_ONESHOT  0
#define TIMER_PERIODIC 1
#define TIMER_DEADLINE 2

#define BASE_BSP       (1ULL << 8)
#define BASE_EXTD      (1ULL << 10)
#define BASE_ENABLE    (1ULL << 11)

#define ICR_DM(icr)        (((icr) >> 8) & 7)
#define ICR_LOGICAL        (1u << 11)
#define ICR_LEVEL_ASSERT   (1u << 14)
#define ICR_SHORTHAND(icr) (((icr) >> 18) & 3)
#define DM_FIXED   0
#define DM_LOWPRI  1
#define DM_NMI     4
#define DM_INIT    5
#define DM_STARTUP 6
#define SH_NONE    0
#define SH_SELF    1
#define SH_ALL     2
#define SH_OTHERS  3

static struct vlapic *vl(struct vcpu *v)
{
    return &v->arch.vlapic;
}

bool vlapic_is_x2apic(const struct vcpu *v)
{
    return (v->arch.vlapic.apic_base_msr & (BASE_ENABLE | BASE_EXTD)) ==
           (BASE_ENABLE | BASE_EXTD);
}

bool vlapic_mmio_enabled(const struct vcpu *v)
{
    return (v->arch.vlapic.apic_base_msr & (BASE_ENABLE | BASE_EXTD)) ==
           BASE_ENABLE;
}

uint64_t vlapic_base_gpa(const struct vcpu *v)
{
    return v->arch.vlapic.apic_base_msr & 0x000ffffffffff000ULL;
}

static bool sw_enabled(const struct vlapic *l)
{
    return l->svr & SVR_ENABLED;
}

static void vec_set(uint32_t *bits, uint8_t vec)
{
    __atomic_fetch_or(&bits[vec / 32], 1u << (vec % 32), __ATOMIC_SEQ_CST);
}

static void vec_clear(uint32_t *bits, uint8_t vec)
{
    __atomic_fetch_and(&bits[vec / 32], ~(1u << (vec % 32)), __ATOMIC_SEQ_CST);
}

static int vec_highest(const uint32_t *bits)
{
    int i;

    for ( i = 7; i >= 0; i-- )
    {
        uint32_t w = __atomic_load_n(&bits[i], __ATOMIC_SEQ_CST);

        if ( w )
            return i * 32 + 31 - __builtin_clz(w);
    }
    return -1;
}

static uint32_t ppr(const struct vlapic *l)
{
    int isr = vec_highest(l->isr);
    uint32_t isr_class = isr < 0 ? 0 : (uint32_t)isr & 0xf0;

    return (l->tpr & 0xf0) >= isr_class ? l->tpr & 0xff : isr_class;
}

int vlapic_pending_vector(struct vcpu *v)
{
    struct vlapic *l = vl(v);
    int irr;

    if ( !(l->apic_base_msr & BASE_ENABLE) || !sw_enabled(l) )
        return -1;
    irr = vec_highest(l->irr);
    if ( irr < 0 || ((uint32_t)irr & 0xf0) <= (ppr(l) & 0xf0) )
        return -1;
    return irr;
}

void vlapic_ack_vector(struct vcpu *v, uint8_t vector)
{
    vec_clear(vl(v)->irr, vector);
    vec_set(vl(v)->isr, vector);
}

void vlapic_set_irq(struct vcpu *v, uint8_t vector)
{
    if ( vector < 16 )
        return;              /* illegal vectors: the real APIC sets ESR */
    vec_set(vl(v)->irr, vector);
    vcpu_wake(v);
    arch_vcpu_kick(v);
}

/* ---- timer ---- */

static unsigned int timer_divisor(const struct vlapic *l)
{
    unsigned int v = (l->timer_divide & 3) | ((l->timer_divide & 8) >> 1);

    return v == 7 ? 1 : 2u << v;
}

static uint64_t period_ns(const struct vlapic *l)
{
    return (uint64_t)l->timer_initial * timer_divisor(l);
}

static uint32_t current_count(const struct vlapic *l)
{
    uint64_t elapsed, ticks;

    if ( !l->timer_initial || TIMER_MODE(l->lvt[0]) == TIMER_DEADLINE )
        return 0;
    elapsed = NOW() - l->timer_start;
    ticks = elapsed / timer_divisor(l);
    if ( TIMER_MODE(l->lvt[0]) == TIMER_PERIODIC )
        return l->timer_initial - (uint32_t)(ticks % l->timer_initial);
    return ticks >= l->timer_initial ? 0 : l->timer_initial - (uint32_t)ticks;
}

static void timer_fired(void *data)
{
    struct vcpu *v = data;
    struct vlapic *l = vl(v);
    unsigned long f = spin_lock_irqsave(&l->lock);
    uint32_t lvt = l->lvt[0];

    switch ( TIMER_MODE(lvt) )
    {
    case TIMER_PERIODIC:
        if ( l->timer_initial )
        {
            l->timer_start += period_ns(l);
            if ( l->timer_start + (s_time_t)period_ns(l) < NOW() )
                l->timer_start = NOW();      /* missed ticks are dropped */
            set_timer(&l->timer, l->timer_start + period_ns(l));
        }
        break;
    case TIMER_DEADLINE:
        l->tsc_deadline = 0;
        break;
    }
    spin_unlock_irqrestore(&l->lock, f);
    if ( !(lvt & LVT_MASKED) && sw_enabled(l) )
        vlapic_set_irq(v, lvt & LVT_VECTOR);
}

static void timer_restart(struct vlapic *l)
{
    stop_timer(&l->timer);
    l->timer_start = NOW();
    if ( TIMER_MODE(l->lvt[0]) != TIMER_DEADLINE && l->timer_initial )
        set_timer(&l->timer, l->timer_start + period_ns(l));
}

static void set_tsc_deadline(struct vlapic *l, uint64_t deadline)
{
    uint64_t now_tsc = rdtsc(), khz = cpu_khz;
    s_time_t when;

    l->tsc_deadline = deadline;
    stop_timer(&l->timer);
    if ( !deadline || TIMER_MODE(l->lvt[0]) != TIMER_DEADLINE || !khz )
        return;
    if ( deadline <= now_tsc )
        when = NOW();
    else
    {
        uint64_t delta = deadline - now_tsc;

        /* Far-future deadlines: cap at ~1 year rather than overflow. */
        if ( delta > khz * 1000ULL * 3600 * 24 * 365 )
            delta = khz * 1000ULL * 3600 * 24 * 365;
        when = NOW() + (s_time_t)(delta / khz * 1000000 + delta % khz * 1000000 / khz);
    }
    set_timer(&l->timer, when);
}

/* ---- registers ---- */

static uint32_t ldr_x2apic(uint32_t id)
{
    return ((id >> 4) << 16) | (1u << (id & 0xf));
}

static uint32_t reg_read(struct vcpu *v, unsigned int reg)
{
    struct vlapic *l = vl(v);

    if ( reg >= APIC_ISR && reg < APIC_ISR + 0x80 )
        return l->isr[(reg - APIC_ISR) / 16];
    if ( reg >= APIC_IRR && reg < APIC_IRR + 0x80 )
        return l->irr[(reg - APIC_IRR) / 16];
    if ( reg >= APIC_TMR && reg < APIC_TMR + 0x80 )
        return 0;                        /* every interrupt is edge here */
    if ( reg >= APIC_LVT_TIMER && reg <= APIC_LVT_ERROR )
        return l->lvt[(reg - APIC_LVT_TIMER) / 16];
    switch ( reg )
    {
    case APIC_ID:
        return vlapic_is_x2apic(v) ? l->id : l->id << 24;
    case APIC_VERSION:
        return VERSION_VALUE;
    case APIC_TPR:
        return l->tpr;
    case APIC_APR:
        return 0;
    case APIC_PPR:
        return ppr(l);
    case APIC_LDR:
        return vlapic_is_x2apic(v) ? ldr_x2apic(l->id) : l->ldr;
    case APIC_DFR:
        return vlapic_is_x2apic(v) ? 0 : l->dfr;
    case APIC_SVR:
        return l->svr;
    case APIC_ESR:
        return l->esr;
    case APIC_ICR:
        return 0;                        /* delivery is immediate: idle */
    case APIC_ICR2:
        return l->icr_high;
    case APIC_TMICT:
        return l->timer_initial;
    case APIC_TMCCT:
        return current_count(l);
    case APIC_TDCR:
        return l->timer_divide;
    default:
        return 0;
    }
}

static bool dest_matches(struct vcpu *t, uint32_t dest, bool logical, bool x2)
{
    const struct vlapic *l = vl(t);

    if ( !logical )
        return dest == (x2 ? 0xffffffffu : 0xffu) || dest == l->id;
    if ( x2 )
    {
        uint32_t ldr = ldr_x2apic(l->id);

        return dest == 0xffffffffu ||
               ((dest >> 16) == (ldr >> 16) && (dest & ldr & 0xffff));
    }
    /* xAPIC flat model: a bit per APIC in the top byte of LDR. */
    return ((l->ldr >> 24) & dest) != 0;
}

/*
 * INIT: the vCPU stops and waits for a start-up IPI, the way Linux brings
 * secondary CPUs up when it finds them in the MP table.  A vCPU running
 * right now is taken off its CPU first (it is no longer runnable).
 */
static void vcpu_init_ipi(struct vcpu *t)
{
    t->is_up = false;
    t->arch.wait_for_sipi = true;
    sched_domain_changed(t->domain);
}

/* SIPI: a vCPU waiting after INIT starts in real mode at vector << 12. */
static void vcpu_startup_ipi(struct vcpu *t, uint8_t vector)
{
    if ( !t->arch.wait_for_sipi || t->unit.running )
        return;              /* a second SIPI, or one without INIT: ignored */
    t->arch.wait_for_sipi = false;
    hvm_vcpu_reset_realmode(t, vector);
    t->is_up = true;
    vcpu_wake(t);
}

static void deliver_ipi(struct vcpu *v, struct vcpu *t, uint32_t icr)
{
    switch ( ICR_DM(icr) )
    {
    case DM_FIXED:
    case DM_LOWPRI:
        vlapic_set_irq(t, icr & 0xff);
        break;
    case DM_NMI:
        t->arch.nmi_pending = true;
        vcpu_wake(t);
        arch_vcpu_kick(t);
        break;
    case DM_INIT:
        /* The level de-assert half of an INIT does nothing on modern CPUs. */
        if ( (icr & ICR_LEVEL_ASSERT) && t != v )
            vcpu_init_ipi(t);
        break;
    case DM_STARTUP:
        if ( t != v )
            vcpu_startup_ipi(t, icr & 0xff);
        break;
    default:
        printk(XENLOG_WARNING "d%uv%u: IPI delivery mode %u not emulated\n",
               v->domain->domain_id, v->vcpu_id, ICR_DM(icr));
        break;
    }
}

static void send_ipi(struct vcpu *v, uint32_t icr, uint32_t dest)
{
    struct domain *d = v->domain;
    bool x2 = vlapic_is_x2apic(v), logical = icr & ICR_LOGICAL;
    unsigned int i;

    for ( i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu *t = d->vcpus[i];
        bool hit;

        switch ( ICR_SHORTHAND(icr) )
        {
        case SH_SELF:   hit = t == v; break;
        case SH_ALL:    hit = true; break;
        case SH_OTHERS: hit = t != v; break;
        default:        hit = dest_matches(t, dest, logical, x2); break;
        }
        if ( hit )
            deliver_ipi(v, t, icr);
    }
}

static void eoi(struct vcpu *v)
{
    int isr = vec_highest(vl(v)->isr);

    if ( isr >= 0 )
        vec_clear(vl(v)->isr, isr);
}

static void write_lvt(struct vlapic *l, unsigned int idx, uint32_t val)
{
    static const uint32_t writable[VLAPIC_LVT_NUM] = {
        0x710ff, 0x107ff, 0x107ff, 0x1a7ff, 0x1a7ff, 0x100ff,
    };
    uint32_t old_mode = TIMER_MODE(l->lvt[0]);

    if ( !sw_enabled(l) )
        val |= LVT_MASKED;
    l->lvt[idx] = val & writable[idx];
    if ( idx == 0 && TIMER_MODE(l->lvt[0]) != old_mode )
    {
        /* A mode change disarms the timer (SDM 10.5.4.1). */
        stop_timer(&l->timer);
        l->timer_initial = 0;
        l->tsc_deadline = 0;
    }
}

static void reg_write(struct vcpu *v, unsigned int reg, uint32_t val)
{
    struct vlapic *l = vl(v);
    unsigned int i;

    if ( reg >= APIC_LVT_TIMER && reg <= APIC_LVT_ERROR && !(reg & 0xf) )
    {
        write_lvt(l, (reg - APIC_LVT_TIMER) / 16, val);
        return;
    }
    switch ( reg )
    {
    case APIC_ID:
        break;                            /* read-only here, as in x2APIC */
    case APIC_TPR:
        l->tpr = val & 0xff;
        break;
    case APIC_EOI:
        eoi(v);
        break;
    case APIC_LDR:
        if ( !vlapic_is_x2apic(v) )
            l->ldr = val & 0xff000000u;
        break;
    case APIC_DFR:
        if ( !vlapic_is_x2apic(v) )
            l->dfr = val | 0x0fffffffu;
        break;
    case APIC_SVR:
        l->svr = val & 0x13ff;
        if ( !sw_enabled(l) )
            for ( i = 0; i < VLAPIC_LVT_NUM; i++ )
                l->lvt[i] |= LVT_MASKED;
        break;
    case APIC_ESR:
        l->esr = 0;
        break;
    case APIC_ICR:
        send_ipi(v, val, vlapic_is_x2apic(v) ? 0 : l->icr_high >> 24);
        break;
    case APIC_ICR2:
        l->icr_high = val & 0xff000000u;
        break;
    case APIC_TMICT:
        if ( TIMER_MODE(l->lvt[0]) == TIMER_DEADLINE )
            break;                        /* ignored in deadline mode */
        l->timer_initial = val;
        timer_restart(l);
        break;
    case APIC_TDCR:
        l->timer_divide = val & 0xb;
        break;
    case APIC_SELF_IPI:
        if ( vlapic_is_x2apic(v) )
            vlapic_set_irq(v, val & 0xff);
        break;
    default:
        break;
    }
}

/* ---- interfaces ---- */

uint32_t vlapic_mmio_read(struct vcpu *v, unsigned int offset)
{
    unsigned long f = spin_lock_irqsave(&vl(v)->lock);
    uint32_t val = reg_read(v, offset & 0xff0);

    spin_unlock_irqrestore(&vl(v)->lock, f);
    return val;
}

void vlapic_mmio_write(struct vcpu *v, unsigned int offset, uint32_t val)
{
    unsigned long f = spin_lock_irqsave(&vl(v)->lock);

    reg_write(v, offset & 0xff0, val);
    spin_unlock_irqrestore(&vl(v)->lock, f);
}

/* Registers that exist in x2APIC mode (SDM table 10-6). */
static bool x2apic_readable(unsigned int reg)
{
    switch ( reg )
    {
    case APIC_ID: case APIC_VERSION: case APIC_TPR: case APIC_PPR:
    case APIC_LDR: case APIC_SVR: case APIC_ESR: case APIC_ICR:
    case APIC_TMICT: case APIC_TMCCT: case APIC_TDCR:
        return true;
    }
    return (reg >= APIC_ISR && reg < APIC_IRR + 0x80) ||
           (reg >= APIC_LVT_TIMER && reg <= APIC_LVT_ERROR);
}

int vlapic_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    struct vlapic *l = vl(v);
    unsigned int reg = (msr - X2APIC_MSR_FIRST) << 4;
    unsigned long f;

    if ( msr == MSR_APIC_BASE )
    {
        *val = l->apic_base_msr;
        return 0;
    }
    if ( msr == MSR_TSC_DEADLINE )
    {
        *val = l->tsc_deadline;
        return 0;
    }
    if ( msr < X2APIC_MSR_FIRST || msr > X2APIC_MSR_LAST ||
         !vlapic_is_x2apic(v) || !x2apic_readable(reg) )
        return -EINVAL;
    f = spin_lock_irqsave(&l->lock);
    *val = reg_read(v, reg);
    spin_unlock_irqrestore(&l->lock, f);
    return 0;
}

static int write_apic_base(struct vcpu *v, uint64_t val)
{
    struct vlapic *l = vl(v);
    uint64_t old = l->apic_base_msr;

    /* The base stays where it is; the BSP bit is read-only. */
    if ( (val & ~(BASE_EXTD | BASE_ENABLE)) != (old & ~(BASE_EXTD | BASE_ENABLE)) )
        return -EINVAL;
    /* x2APIC -> xAPIC directly is illegal (SDM 10.12.5). */
    if ( (val & BASE_EXTD) && !(val & BASE_ENABLE) )
        return -EINVAL;
    if ( (old & BASE_EXTD) && (val & BASE_ENABLE) && !(val & BASE_EXTD) )
        return -EINVAL;
    l->apic_base_msr = val;
    return 0;
}

int vlapic_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val)
{
    struct vlapic *l = vl(v);
    unsigned int reg = (msr - X2APIC_MSR_FIRST) << 4;
    unsigned long f;
    int rc = 0;

    if ( msr == MSR_APIC_BASE )
        return write_apic_base(v, val);
    f = spin_lock_irqsave(&l->lock);
    if ( msr == MSR_TSC_DEADLINE )
        set_tsc_deadline(l, val);
    else if ( msr < X2APIC_MSR_FIRST || msr > X2APIC_MSR_LAST ||
              !vlapic_is_x2apic(v) )
        rc = -EINVAL;
    else if ( reg == APIC_ICR )
        send_ipi(v, (uint32_t)val, (uint32_t)(val >> 32));
    else if ( reg == APIC_ID || reg == APIC_VERSION || reg == APIC_PPR ||
              reg == APIC_LDR || reg == APIC_TMCCT ||
              (reg >= APIC_ISR && reg < APIC_IRR + 0x80) )
        rc = -EINVAL;                     /* read-only in x2APIC mode */
    else if ( (val >> 32) && reg != APIC_ICR )
        rc = -EINVAL;                     /* reserved upper half */
    else
        reg_write(v, reg, (uint32_t)val);
    spin_unlock_irqrestore(&l->lock, f);
    return rc;
}

void vlapic_init(struct vcpu *v)
{
    struct vlapic *l = vl(v);
    unsigned int i;

    memset(l, 0, sizeof(*l));
    spin_lock_init(&l->lock);
    l->vcpu = v;
    l->id = v->vcpu_id * 2;
    l->apic_base_msr = VLAPIC_DEFAULT_BASE | BASE_ENABLE |
                       (v->vcpu_id == 0 ? BASE_BSP : 0);
    l->svr = 0xff;
    l->dfr = 0xffffffffu;
    for ( i = 0; i < VLAPIC_LVT_NUM; i++ )
        l->lvt[i] = LVT_MASKED;
    init_timer(&l->timer, timer_fired, v, v->processor);
}

void vlapic_destroy(struct vcpu *v)
{
    stop_timer(&vl(v)->timer);
}

void vlapic_kill_timer(struct vcpu *v)
{
    kill_timer(&vl(v)->timer);
}

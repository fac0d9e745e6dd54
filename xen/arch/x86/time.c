/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Time.  The TSC is the clock: its rate is measured once at boot against
 * the HPET (or, without one, PIT channel 2), and NOW() converts TSC ticks
 * to nanoseconds with a 32.32 fixed-point multiplier.  We assume the TSC is
 * invariant and synchronised across CPUs, as it is on every server CPU of
 * the last decade and under QEMU; a per-CPU offset would go here otherwise.
 */
#include <xen/lib.h>
#include <xen/softirq.h>
#include <asm/apic.h>
#include <asm/irq_vectors.h>
#include <asm/percpu.h>
#include <asm/regs.h>
#include <asm/hpet.h>
#include <asm/processor.h>
#include <asm/time.h>

#define CALIBRATE_MS      50
#define PIT_HZ            1193182
#define PIT_CH2_DATA      0x42
#define PIT_MODE          0x43
#define PIT_GATE_PORT     0x61
#define FALLBACK_KHZ      3000000   /* used by udelay() before calibration */

unsigned long cpu_khz;
static uint64_t boot_tsc;
static uint64_t ns_per_tsc_32;   /* ns per tick, 32.32 fixed point */
static uint64_t tsc_per_ns_32;   /* ticks per ns, 32.32 fixed point */

static uint64_t measure_with_hpet(void)
{
    uint64_t ticks = (uint64_t)CALIBRATE_MS * 1000000000000ULL / hpet_period_fs();
    uint64_t h0 = hpet_read_counter(), t0 = rdtsc(), t1;

    while ( hpet_read_counter() - h0 < ticks )
        cpu_relax();
    t1 = rdtsc();
    return t1 - t0;
}

/* PIT channel 2, one-shot, gate via port 0x61; OUT2 shows in bit 5. */
static uint64_t measure_with_pit(void)
{
    uint32_t count = PIT_HZ / (1000 / CALIBRATE_MS);
    uint64_t t0, t1;
    unsigned int spins = 0;

    outb((inb(PIT_GATE_PORT) & ~0x02) | 0x01, PIT_GATE_PORT);
    outb(0xb0, PIT_MODE);            /* channel 2, lobyte/hibyte, mode 0 */
    outb(count & 0xff, PIT_CH2_DATA);
    outb(count >> 8, PIT_CH2_DATA);
    t0 = rdtsc();
    while ( !(inb(PIT_GATE_PORT) & 0x20) && ++spins < 100000000 )
        cpu_relax();
    t1 = rdtsc();
    return t1 - t0;
}

void time_calibrate(void)
{
    bool hpet = hpet_present();
    uint64_t delta = hpet ? measure_with_hpet() : measure_with_pit();
    uint64_t hz = delta * (1000 / CALIBRATE_MS);

    if ( !hz )
        panic("TSC calibration failed: the TSC did not advance");
    cpu_khz = hz / 1000;
    /* 64-bit arithmetic only (no libgcc): 1e9 << 32 fits, and kHz << 32 does. */
    ns_per_tsc_32 = (1000000000ULL << 32) / hz;
    tsc_per_ns_32 = ((uint64_t)cpu_khz << 32) / 1000000;
    boot_tsc = rdtsc();
    printk("TSC: %lu.%03lu MHz (calibrated against %s)%s\n", cpu_khz / 1000,
           cpu_khz % 1000, hpet ? "HPET" : "PIT",
           boot_cpu.invariant_tsc ? ", invariant" : "");
}

uint64_t tsc_to_ns(uint64_t tsc)
{
    if ( !ns_per_tsc_32 )
        return tsc * 1000000 / FALLBACK_KHZ;
    return (uint64_t)(((unsigned __int128)tsc * ns_per_tsc_32) >> 32);
}

uint64_t ns_to_tsc(uint64_t ns)
{
    if ( !tsc_per_ns_32 )
        return ns * (FALLBACK_KHZ / 1000000);
    return (uint64_t)(((unsigned __int128)ns * tsc_per_ns_32) >> 32);
}

s_time_t NOW(void)
{
    return tsc_to_ns(rdtsc() - boot_tsc);
}

s_time_t tsc_to_system_time(uint64_t tsc)
{
    return tsc_to_ns(tsc - boot_tsc);
}

/*
 * NOW() multiplies TSC ticks by ns_per_tsc_32 (32.32 fixed point); pvclock
 * wants a 32-bit multiplier with a power-of-two pre-shift, so a TSC slower
 * than 1 GHz shifts left first.  The guest's clock then is ours.
 */
void time_pvclock_scale(uint32_t *mul, int8_t *shift)
{
    uint64_t m = ns_per_tsc_32;
    int8_t s = 0;

    while ( m > 0xffffffffULL )
    {
        m >>= 1;
        s++;
    }
    *mul = (uint32_t)m;
    *shift = s;
}

/* ---- the CMOS real-time clock, read once for the guests' wall clock ---- */

#define CMOS_INDEX  0x70
#define CMOS_DATA   0x71

static uint8_t cmos_read(uint8_t reg)
{
    outb(reg, CMOS_INDEX);
    return inb(CMOS_DATA);
}

static unsigned int from_bcd(uint8_t v, bool bcd)
{
    return bcd ? (v & 0xf) + (v >> 4) * 10 : v;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static uint64_t days_since_epoch(unsigned int y, unsigned int m, unsigned int d)
{
    static const uint16_t before_month[] = {
        0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334,
    };
    uint64_t days = (uint64_t)(y - 1970) * 365 + before_month[(m - 1) % 12] + d - 1;
    unsigned int leaps_before = (y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400 -
                                (1969 / 4 - 1969 / 100 + 1969 / 400);
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return days + leaps_before + (leap && m > 2);
}

/* Wall-clock time at system time 0: from the CMOS, until dom0 sets it. */
static uint64_t boot_sec;
static uint32_t boot_nsec;
static bool boot_wallclock_known;

void time_set_wallclock(uint64_t sec, uint32_t nsec)
{
    boot_sec = sec;
    boot_nsec = nsec;
    boot_wallclock_known = true;
}

uint64_t time_boot_wallclock(uint32_t *nsec)
{
    unsigned int spins = 0, sec, min, hour, day, mon, year;
    uint8_t status_b;
    bool bcd;
    s_time_t now;

    *nsec = boot_nsec;
    if ( boot_wallclock_known )
        return boot_sec;
    /* Wait out an update in progress (register A bit 7), boundedly. */
    while ( (cmos_read(0x0a) & 0x80) && ++spins < 1000000 )
        cpu_relax();
    now = NOW();
    status_b = cmos_read(0x0b);
    bcd = !(status_b & 0x04);
    sec = from_bcd(cmos_read(0x00), bcd);
    min = from_bcd(cmos_read(0x02), bcd);
    hour = from_bcd(cmos_read(0x04) & 0x7f, bcd);
    day = from_bcd(cmos_read(0x07), bcd);
    mon = from_bcd(cmos_read(0x08), bcd);
    year = from_bcd(cmos_read(0x09), bcd) + 2000;
    if ( !(status_b & 0x02) && (cmos_read(0x04) & 0x80) )
        hour = (hour % 12) + 12;          /* 12-hour clock, PM */
    if ( mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 ||
         sec > 60 )
    {
        printk(XENLOG_WARNING "CMOS clock unreadable: guests' wall clock starts at 1970\n");
        boot_wallclock_known = true;
        return 0;
    }
    boot_sec = days_since_epoch(year, mon, day) * 86400 + hour * 3600 + min * 60 + sec;
    boot_sec -= now / 1000000000;
    boot_wallclock_known = true;
    printk("Wall clock: %u-%02u-%02u %02u:%02u:%02u UTC (from the CMOS clock)\n",
           year, mon, day, hour, min, sec);
    return boot_sec;
}

void udelay(unsigned long us)
{
    uint64_t start = rdtsc(), ticks = ns_to_tsc((uint64_t)us * 1000);

    while ( rdtsc() - start < ticks )
        cpu_relax();
}

void mdelay(unsigned long ms)
{
    while ( ms-- )
        udelay(1000);
}

void reprogram_timer(s_time_t deadline)
{
    s_time_t delta;
    uint64_t tsc;

    if ( !deadline )
    {
        apic_timer_program(0);
        return;
    }
    delta = deadline - NOW();
    tsc = rdtsc() + (delta > 0 ? ns_to_tsc(delta) : 0);
    apic_timer_program(tsc ? tsc : 1);
}

static void timer_interrupt(struct cpu_user_regs *regs)
{
    apic_eoi();
    raise_softirq(TIMER_SOFTIRQ);
}

/* The pending softirq bits say what to do; the IPI only wakes the CPU. */
static void event_check_interrupt(struct cpu_user_regs *regs)
{
    apic_eoi();
}

void arch_send_event_check(unsigned int cpu)
{
    if ( percpu_of[cpu] )
        apic_send_ipi(percpu_of[cpu]->apic_id, EVENT_CHECK_VECTOR);
}

void arch_timer_init(void)
{
    set_irq_handler(LOCAL_TIMER_VECTOR, timer_interrupt);
    set_irq_handler(EVENT_CHECK_VECTOR, event_check_interrupt);
    apic_timer_calibrate();
}

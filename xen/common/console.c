/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The console.
 *
 * printk() formats a message, takes its level from an optional "<N>" prefix
 * (XENLOG_* in lib.h; no prefix means warning, as in Xen), and starts every
 * line with "(XEN) " so the hypervisor's output is distinguishable once
 * guests share the line.  The hypervisor's own messages all go into a ring
 * buffer (read later by `xl dmesg`); the sinks get only what passes the
 * loglvl= threshold.  Guest output goes into the ring as Xen puts it there:
 * the control domain's only with `console_to_ring` (see
 * console_guest_write()).
 */
#include <xen/config.h>
#include <xen/console.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/hypercall.h>
#include <public/xen.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/spinlock.h>
#include <xen/string.h>
#include <xen/timer.h>
#include <asm/time.h>

#ifdef CONFIG_CONRING_SHIFT
#define CONRING_SIZE (1u << CONFIG_CONRING_SHIFT)
#else
#define CONRING_SIZE (1u << 14)
#endif
#define MSG_MAX 1024
#define LINE_PREFIX "(XEN) "

static char conring[CONRING_SIZE];
static uint32_t conring_head;           /* bytes ever written */
static uint32_t conring_cleared;        /* head when last cleared */
static bool at_line_start = true;
static console_sink_t sinks[CONSOLE_MAX_SINKS];
static unsigned int nr_sinks;
static DEFINE_SPINLOCK(console_lock);

/*
 * loglvl=<lower>[/<upper>] as Xen spells it: messages at or below `lower`
 * always print, above `upper` never; Xen rate-limits those in between,
 * which we do not (yet): they print.  Defaults as in Xen's documentation:
 * loglvl=warning, guest_loglvl=none/warning (guest messages are stored for
 * when guests can log; nothing prints them yet).
 */
static int log_lower = LOG_WARNING, log_upper = LOG_WARNING;
static int guest_log_lower = LOG_NONE, guest_log_upper = LOG_WARNING;

/* console_to_ring: the control domain's console output goes into the ring. */
static bool opt_console_to_ring;
boolean_param("console_to_ring", opt_console_to_ring);

static const char *const level_names[] = {
    [LOG_ERR] = "error", [LOG_WARNING] = "warning",
    [LOG_INFO] = "info", [LOG_DEBUG] = "debug",
};

static int parse_level(const char *s, size_t len, int *out)
{
    unsigned int i;

    if ( len == 4 && !strncmp(s, "none", 4) )
    {
        *out = LOG_NONE;
        return 0;
    }
    if ( len == 3 && !strncmp(s, "all", 3) )
    {
        *out = LOG_DEBUG;
        return 0;
    }
    for ( i = 0; i < ARRAY_SIZE(level_names); i++ )
        if ( strlen(level_names[i]) == len && !strncmp(s, level_names[i], len) )
        {
            *out = i;
            return 0;
        }
    return -1;
}

int console_parse_loglvl(const char *s, int *lower, int *upper)
{
    const char *slash = strchr(s, '/');
    size_t first = slash ? (size_t)(slash - s) : strlen(s);
    int lo, up;

    if ( parse_level(s, first, &lo) )
        return -1;
    up = lo;
    if ( slash && parse_level(slash + 1, strlen(slash + 1), &up) )
        return -1;
    if ( up < lo )
        up = lo;
    *lower = lo;
    *upper = up;
    return 0;
}

static int loglvl_param(const char *s)
{
    return console_parse_loglvl(s, &log_lower, &log_upper);
}
custom_param("loglvl", loglvl_param);

static int guest_loglvl_param(const char *s)
{
    return console_parse_loglvl(s, &guest_log_lower, &guest_log_upper);
}
custom_param("guest_loglvl", guest_loglvl_param);

size_t console_ring_size(void)
{
    return CONRING_SIZE;
}

uint32_t console_ring_head(void)
{
    return ACCESS_ONCE(conring_head);
}

static void ring_put(const char *s, size_t len)
{
    for ( ; len; len--, s++ )
        conring[conring_head++ & (CONRING_SIZE - 1)] = *s;
}

/*
 * All index arithmetic is modulo 2^32, so it keeps working when the
 * free-running counters wrap.
 */
size_t console_ring_read(char *buf, size_t size, uint32_t *index,
                         uint32_t *lost)
{
    unsigned long flags = spin_lock_irqsave(&console_lock);
    uint32_t head = conring_head, idx = *index, avail;
    size_t n = 0;

    if ( lost )
        *lost = 0;
    if ( head - idx > CONRING_SIZE )
    {
        if ( lost )
            *lost = head - idx - CONRING_SIZE;
        idx = head - CONRING_SIZE;
    }
    /* Cleared bytes are skipped on purpose: not reported as lost. */
    if ( head - conring_cleared < head - idx )
        idx = conring_cleared;
    avail = head - idx;
    while ( n < size && n < avail )
    {
        buf[n] = conring[(idx + n) & (CONRING_SIZE - 1)];
        n++;
    }
    *index = idx + n;
    spin_unlock_irqrestore(&console_lock, flags);
    return n;
}

/*
 * As Xen's XEN_SYSCTL_readconsole clear: what a read reached is gone, what
 * came after it stays.  The clear point never moves back (a concurrent
 * clear may have passed `index`), nor further back than the ring holds.
 */
void console_ring_clear_upto(uint32_t index)
{
    unsigned long flags = spin_lock_irqsave(&console_lock);
    uint32_t head = conring_head;

    if ( head - index > CONRING_SIZE )
        index = head - CONRING_SIZE;
    if ( head - index < head - conring_cleared )
        conring_cleared = index;
    spin_unlock_irqrestore(&console_lock, flags);
}

int console_register_sink(console_sink_t write)
{
    unsigned long flags = spin_lock_irqsave(&console_lock);
    int rc = -ENOSPC;

    if ( nr_sinks < CONSOLE_MAX_SINKS )
    {
        sinks[nr_sinks++] = write;
        rc = 0;
    }
    spin_unlock_irqrestore(&console_lock, flags);
    return rc;
}

static void emit_to(const char *s, size_t len, bool to_ring, bool to_sinks)
{
    unsigned int i;

    if ( to_ring )
        ring_put(s, len);
    if ( to_sinks )
        for ( i = 0; i < nr_sinks; i++ )
            sinks[i](s, len);
}

static void emit(const char *s, size_t len, bool to_sinks)
{
    emit_to(s, len, true, to_sinks);
}

/* Split text into lines, prefixing each new one with "(XEN) ". */
static void emit_lines(const char *s, bool to_sinks)
{
    while ( *s )
    {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s + 1) : strlen(s);

        if ( at_line_start )
            emit(LINE_PREFIX, sizeof(LINE_PREFIX) - 1, to_sinks);
        emit(s, len, to_sinks);
        at_line_start = nl != NULL;
        s += len;
    }
}

/*
 * The control domain's output is held until its line ends, so that a
 * hypervisor message printed meanwhile cannot land in the middle of it (a
 * Linux dom0 writes a line in several pieces at times, and whoever reads
 * the serial line, the boot tests included, wants its lines whole).  Text
 * that does not end a line (a shell prompt, typed characters echoed) goes
 * out after HOLD_NS all the same; a message printed after that starts on a
 * line of its own.  All under console_lock.
 */
#define HOLD_MAX 256
#define HOLD_NS  20000000LL             /* 20 ms: not noticeable when typing */
static char held[HOLD_MAX];
static size_t held_len;
static bool control_mid_line;           /* its unfinished line is out */
static struct timer hold_timer;
static bool hold_timer_ready;

static void release_held(void)
{
    if ( !held_len )
        return;
    emit_to(held, held_len, opt_console_to_ring, true);
    control_mid_line = held[held_len - 1] != '\n';
    at_line_start = !control_mid_line;
    held_len = 0;
}

/*
 * Before anyone else's text: if the control domain's unfinished line is
 * out, end it.  What is still held stays held, to follow.
 */
static void end_control_line(void)
{
    if ( control_mid_line )
    {
        emit_to("\n", 1, opt_console_to_ring, true);
        control_mid_line = false;
        at_line_start = true;
    }
}

static void hold_expired(void *unused)
{
    unsigned long flags = spin_lock_irqsave(&console_lock);

    release_held();
    spin_unlock_irqrestore(&console_lock, flags);
}

static void hold_control_output(const char *buf, size_t len)
{
    size_t i;

    for ( i = 0; i < len; i++ )
    {
        held[held_len++] = buf[i];
        if ( buf[i] == '\n' || held_len == HOLD_MAX )
            release_held();
    }
    if ( !held_len )
        return;
    if ( !hold_timer_ready )
    {
        init_timer(&hold_timer, hold_expired, NULL, 0);
        hold_timer_ready = true;
    }
    set_timer(&hold_timer, NOW() + HOLD_NS);
}

/* "<N>" at the start of a message sets its level; strip it. */
static const char *take_level(const char *msg, int *level)
{
    *level = LOG_WARNING;
    if ( msg[0] == '<' && msg[1] >= '0' && msg[1] <= '3' && msg[2] == '>' )
    {
        *level = msg[1] - '0';
        return msg + 3;
    }
    return msg;
}

void vprintk(const char *fmt, va_list args)
{
    char msg[MSG_MAX];
    const char *text;
    unsigned long flags;
    int level;

    vsnprintf(msg, sizeof(msg), fmt, args);
    text = take_level(msg, &level);
    flags = spin_lock_irqsave(&console_lock);
    end_control_line();
    emit_lines(text, level <= log_upper);
    spin_unlock_irqrestore(&console_lock, flags);
}

void printk(const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    vprintk(fmt, args);
    va_end(args);
}

/*
 * The fatal path: a CPU may have died holding the lock, and whatever the
 * log level, the report of a crash must reach the console.
 */
void console_force_unlock(void)
{
    spin_lock_init(&console_lock);
    log_upper = LOG_DEBUG;
    release_held();                     /* no timer will, now */
}

/*
 * How long panic() waits for the console lock before taking it over.  A
 * holder normally lets go once its line is out, which on a 115200-baud UART
 * can take a hundred milliseconds for a long message; a holder that never
 * lets go is this very CPU, panicking from inside the console (a BUG in a
 * sink, say).  The count is of loop iterations, roughly a second here.
 */
#ifndef PANIC_LOCK_SPINS
#define PANIC_LOCK_SPINS (1u << 28)
#endif

static void console_lock_for_panic(void)
{
    unsigned int spins;

    for ( spins = 0; spins < PANIC_LOCK_SPINS; spins++ )
    {
        if ( spin_trylock(&console_lock) )
            return;
        barrier();
    }
    console_force_unlock();
    spin_lock(&console_lock);
}

/*
 * The banner and message go out under one hold of the lock, so another
 * CPU's output cannot split them, and they bypass loglvl: a machine that
 * dies in silence is the worst case to debug.  One buffer only, as panic()
 * may run on a small exception stack.
 */
void panic(const char *fmt, ...)
{
    static const char stars[] = "****************************************";
    char text[MSG_MAX];
    unsigned long flags;
    va_list args;
    size_t len;

    len = snprintf(text, sizeof(text), "\n%s\nPanic on CPU %u:\n", stars,
                   smp_processor_id());
    /* The message, leaving room for the closing "\n<stars>\n". */
    va_start(args, fmt);
    vsnprintf(text + len, sizeof(text) - len - sizeof(stars) - 1, fmt, args);
    va_end(args);
    len += strlen(text + len);
    snprintf(text + len, sizeof(text) - len, "\n%s\n", stars);

    flags = local_irq_save();
    console_lock_for_panic();
    emit_lines(text, true);
    spin_unlock(&console_lock);
    local_irq_restore(flags);
    arch_panic_halt();
}

/*
 * Guest console output (__HYPERVISOR_console_io, CONSOLEIO_write).  The
 * control domain's text goes out as it is, like the hypervisor's own but
 * without the "(XEN) " prefix, so its console is usable on the serial line;
 * as in Xen it enters the ring only with console_to_ring (else `xl dmesg`
 * run on dom0's console would read back its own output for ever).  Another
 * domain's lines are prefixed "(dN) " and shown, and kept in the ring, only
 * if guest_loglvl lets warnings through (Xen drops the filtered ones).
 */
static void console_guest_write(unsigned int domid, bool privileged,
                                const char *buf, size_t len)
{
    unsigned long flags = spin_lock_irqsave(&console_lock);
    bool show = guest_log_upper >= LOG_WARNING;   /* a domU's: also ringed */
    char prefix[16];
    size_t i;

    if ( privileged )
    {
        hold_control_output(buf, len);
        spin_unlock_irqrestore(&console_lock, flags);
        return;
    }
    end_control_line();
    for ( i = 0; i < len; i++ )
    {
        if ( at_line_start )
        {
            int n = snprintf(prefix, sizeof(prefix), "(d%u) ", domid);

            emit_to(prefix, n, show, show);
        }
        emit_to(&buf[i], 1, show, show);
        at_line_start = buf[i] == '\n';
    }
    spin_unlock_irqrestore(&console_lock, flags);
}

#define CONSOLE_IO_CHUNK 128
#define CONSOLE_IO_MAX   (1u << 20)   /* per call: a bound on time spent */

/* ---- input: a ring the UART poller fills and dom0 drains ---- */

#define INPUT_RING_SIZE 1024
#define INPUT_POLL_NS   10000000LL      /* 10 ms: fast enough to type into */

static char input_ring[INPUT_RING_SIZE];
static unsigned int input_prod, input_cons;
static DEFINE_SPINLOCK(input_lock);
static console_getc_t input_getc;
static struct timer input_timer;

size_t console_input_put(const char *s, size_t len)
{
    unsigned long f = spin_lock_irqsave(&input_lock);
    size_t n = 0;

    while ( n < len && input_prod - input_cons < INPUT_RING_SIZE )
        input_ring[input_prod++ % INPUT_RING_SIZE] = s[n++];
    spin_unlock_irqrestore(&input_lock, f);
    return n;
}

static long console_input_read(struct hypercall_ctx *ctx, uint64_t buf, uint64_t count)
{
    char chunk[64];
    long done = 0;

    while ( (uint64_t)done < count )
    {
        unsigned long f = spin_lock_irqsave(&input_lock);
        size_t n = 0;

        while ( n < sizeof(chunk) && (uint64_t)(done + n) < count &&
                input_cons != input_prod )
            chunk[n++] = input_ring[input_cons++ % INPUT_RING_SIZE];
        spin_unlock_irqrestore(&input_lock, f);
        if ( !n )
            break;
        if ( copy_to_guest(ctx, buf + done, chunk, n) )
            return done ? done : -EFAULT;
        done += n;
    }
    return done;
}

static void input_poll(void *unused)
{
    bool got = false;
    int c;

    while ( input_getc && (c = input_getc()) >= 0 )
    {
        char ch = c;

        got |= console_input_put(&ch, 1) == 1;
    }
    if ( got || input_prod != input_cons )
    {
        struct domain *dom0 = domain_lookup(0);

        if ( dom0 )
            send_guest_virq(dom0, 0, VIRQ_CONSOLE);
    }
    set_timer(&input_timer, NOW() + INPUT_POLL_NS);
}

void console_input_start(console_getc_t getc)
{
    input_getc = getc;
    init_timer(&input_timer, input_poll, NULL, 0);
    set_timer(&input_timer, NOW() + INPUT_POLL_NS);
}

long do_console_io(struct hypercall_ctx *ctx, const uint64_t *args)
{
    uint64_t cmd = args[0], count = args[1], buf = args[2], done = 0;
    unsigned int domid = ctx->domain ? ctx->domain->domain_id : 0;
    char chunk[CONSOLE_IO_CHUNK];

    switch ( cmd )
    {
    case CONSOLEIO_write:
        if ( count > CONSOLE_IO_MAX )
            return -EINVAL;
        while ( done < count )
        {
            size_t n = count - done < sizeof(chunk) ? count - done : sizeof(chunk);

            if ( copy_from_guest(ctx, chunk, buf + done, n) )
                return -EFAULT;
            console_guest_write(domid, ctx->privileged, chunk, n);
            done += n;
        }
        return 0;
    case CONSOLEIO_read:
        /* Input is the control domain's, as in Xen. */
        if ( !ctx->privileged )
            return -EPERM;
        return console_input_read(ctx, buf, count);
    default:
        return -ENOSYS;
    }
}

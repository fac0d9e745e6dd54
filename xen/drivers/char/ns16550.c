/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 16550-compatible UART, polled.  The hypervisor keeps COM1 for itself: it
 * is the console on a real server's serial line and under QEMU.  Output is
 * polled so it works with interrupts off, in fault handlers and in panic.
 */
#include <xen/console.h>
#include <xen/lib.h>
#include <xen/ns16550.h>
#include <asm/processor.h>

#define UART_THR 0      /* transmit holding */
#define UART_IER 1      /* interrupt enable */
#define UART_FCR 2      /* FIFO control */
#define UART_LCR 3      /* line control */
#define UART_MCR 4      /* modem control */
#define UART_LSR 5      /* line status */
#define UART_DLL 0      /* divisor latch, with LCR.DLAB */
#define UART_DLM 1
#define LCR_DLAB 0x80
#define LSR_THRE 0x20   /* transmit holding register empty */
#define MCR_DTR_RTS 0x03
#define FCR_ENABLE_CLEAR 0x07
#define UART_CLOCK_HZ 1843200   /* standard PC UART crystal */

#define TX_SPIN_LIMIT 100000    /* a dead UART must not hang the console */

static uint16_t uart_port;

static void uart_out(unsigned int reg, uint8_t v)
{
    outb(v, uart_port + reg);
}

static uint8_t uart_in(unsigned int reg)
{
    return inb(uart_port + reg);
}

/*
 * Program the line.  baud == 0 means "auto": keep whatever the firmware or
 * bootloader set up, which is what Xen does too.
 */
void ns16550_setup(uint16_t port, unsigned int baud, unsigned int base_baud,
                   uint8_t lcr)
{
    uart_port = port;
    uart_out(UART_IER, 0);
    if ( baud )
    {
        unsigned int divisor = (base_baud ? base_baud : UART_CLOCK_HZ / 16) / baud;

        if ( !divisor )
            divisor = 1;
        uart_out(UART_LCR, LCR_DLAB);
        uart_out(UART_DLL, divisor & 0xff);
        uart_out(UART_DLM, divisor >> 8);
    }
    uart_out(UART_LCR, lcr);
    uart_out(UART_FCR, FCR_ENABLE_CLEAR);
    uart_out(UART_MCR, MCR_DTR_RTS);
}

static void uart_putc(char c)
{
    unsigned int spins = 0;

    while ( !(uart_in(UART_LSR) & LSR_THRE) && ++spins < TX_SPIN_LIMIT )
        cpu_relax();
    uart_out(UART_THR, c);
}

/* Console sink: serial terminals want CR LF. */
#define LSR_DR 0x01     /* a received byte is waiting */

int ns16550_getc(void)
{
    if ( !uart_port || !(uart_in(UART_LSR) & LSR_DR) )
        return -1;
    return uart_in(0);          /* receive buffer register */
}

void ns16550_write(const char *s, size_t len)
{
    size_t i;

    if ( !uart_port )
        return;
    for ( i = 0; i < len; i++ )
    {
        if ( s[i] == '\n' )
            uart_putc('\r');
        uart_putc(s[i]);
    }
}

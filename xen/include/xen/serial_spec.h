/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen's com1=/com2= syntax:
 *   <baud>[/<base-baud>][,[DPS][,[<io-base>][,<irq>]]]
 * baud may be "auto" (keep the firmware's setting); DPS is data bits 5-8,
 * parity n/o/e/m/s, stop bits 1-2, e.g. 8n1.
 */
#ifndef XEN_SERIAL_SPEC_H
#define XEN_SERIAL_SPEC_H

#include <xen/types.h>

struct serial_spec {
    unsigned int baud;       /* 0 = auto */
    unsigned int base_baud;  /* 0 = default (1.8432 MHz / 16) */
    unsigned int data_bits;  /* 5..8 */
    char parity;             /* n o e m s */
    unsigned int stop_bits;  /* 1..2 */
    unsigned int io_base;    /* 0 = the port's default */
    unsigned int irq;        /* 0 = none/polled */
};

int serial_spec_parse(const char *s, struct serial_spec *out);
/* The 16550 line control register value for data/parity/stop. */
uint8_t serial_spec_lcr(const struct serial_spec *spec);

#endif

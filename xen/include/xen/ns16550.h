/* SPDX-License-Identifier: GPL-2.0 */
#ifndef XEN_NS16550_H
#define XEN_NS16550_H

#include <xen/types.h>

#define COM1_PORT 0x3f8
#define COM2_PORT 0x2f8
#define UART_LCR_8N1 0x03

void ns16550_setup(uint16_t port, unsigned int baud, unsigned int base_baud,
                   uint8_t lcr);
void ns16550_write(const char *s, size_t len);
/* A received byte, or -1 when none is waiting (polled). */
int ns16550_getc(void);

#endif

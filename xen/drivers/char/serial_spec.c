/* SPDX-License-Identifier: GPL-2.0 */
/* Parsing com1=/com2= (syntax in serial_spec.h).  Garbage is an error. */
#include <xen/errno.h>
#include <xen/serial_spec.h>
#include <xen/string.h>

static const char *parse_number(const char *s, unsigned int *out,
                                unsigned long max)
{
    char *end;
    unsigned long v;

    if ( *s < '0' || *s > '9' )
        return NULL;
    v = strtoul(s, &end, 0);
    if ( v > max )
        return NULL;
    *out = v;
    return end;
}

static const char *parse_dps(const char *s, struct serial_spec *sp)
{
    if ( s[0] < '5' || s[0] > '8' || !strchr("noems", s[1]) || !s[1] ||
         (s[2] != '1' && s[2] != '2') )
        return NULL;
    sp->data_bits = s[0] - '0';
    sp->parity = s[1];
    sp->stop_bits = s[2] - '0';
    return s + 3;
}

int serial_spec_parse(const char *s, struct serial_spec *sp)
{
    *sp = (struct serial_spec){ .data_bits = 8, .parity = 'n', .stop_bits = 1 };

    if ( !strncmp(s, "auto", 4) )
        s += 4;
    else if ( !(s = parse_number(s, &sp->baud, 4000000)) || !sp->baud )
        return -EINVAL;
    if ( *s == '/' && !(s = parse_number(s + 1, &sp->base_baud, 100000000)) )
        return -EINVAL;
    if ( *s == ',' )
    {
        s++;
        if ( *s && *s != ',' && !(s = parse_dps(s, sp)) )
            return -EINVAL;
    }
    if ( *s == ',' )
    {
        s++;
        if ( *s && *s != ',' && !(s = parse_number(s, &sp->io_base, 0xffff)) )
            return -EINVAL;
    }
    if ( *s == ',' )
    {
        s++;
        if ( *s && !(s = parse_number(s, &sp->irq, 255)) )
            return -EINVAL;
    }
    return *s ? -EINVAL : 0;
}

uint8_t serial_spec_lcr(const struct serial_spec *sp)
{
    static const char parities[] = "noesm";   /* LCR bits 3-5 encodings */
    /*
     * Bit 3 enables parity, bit 4 selects even, bit 5 makes it "stick":
     * the parity bit is then the inverse of bit 4, so mark (always 1) is
     * 0x28 and space (always 0) is 0x38 (16550 datasheet, LCR).
     */
    static const uint8_t parity_bits[] = { 0x00, 0x08, 0x18, 0x38, 0x28 };
    const char *p = strchr(parities, sp->parity);
    uint8_t lcr = (sp->data_bits - 5) & 3;

    if ( sp->stop_bits == 2 )
        lcr |= 0x04;
    if ( p && *p )
        lcr |= parity_bits[p - parities];
    return lcr;
}

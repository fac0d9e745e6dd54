/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor command line (xen/common/params.c) and the com1= syntax
 * (xen/drivers/char/serial_spec.c), both from the bootloader.  The input is
 * the command line; it is parsed against a table with one option of each
 * type, com1= among them as the real hypervisor has it, and on its own as
 * a com1= value.  Promises checked:
 *  - an option changes only if its name is on the line (quotes removed);
 *    a boolean holds 0 or 1; a string stays terminated inside its array;
 *    a custom handler gets a value shorter than the option buffer;
 *  - saved_cmdline() is the line, cut to what fits;
 *  - a serial spec accepted is in range, gives the line control register
 *    its fields say, and printed back in the syntax parses to itself.
 */
#include "fuzz.h"
#include "harness.h"
#include <xen/errno.h>
#include <xen/param.h>
#include <xen/serial_spec.h>

#define OPT_MAX 256             /* params.c's option buffer */
#define CMDLINE_MAX 1024        /* and its saved copy */

static bool opt_flag;
static unsigned int opt_num;
static unsigned long opt_big;
static uint8_t opt_byte;
static uint64_t opt_mem;
static char opt_str[8];
static unsigned int cust_calls, com1_calls;

static void check_serial_spec(const char *s)
{
    struct serial_spec sp, again;
    uint8_t lcr;
    char text[96];

    if ( serial_spec_parse(s, &sp) )
        return;
    fuzz_check(sp.baud <= 4000000 && sp.base_baud <= 100000000);
    fuzz_check(sp.data_bits >= 5 && sp.data_bits <= 8);
    fuzz_check(sp.parity && strchr("noems", sp.parity));
    fuzz_check(sp.stop_bits == 1 || sp.stop_bits == 2);
    fuzz_check(sp.io_base <= 0xffff && sp.irq <= 255);

    /*
     * 16550 LCR: word length in bits 0-1, stop bits in 2, parity in 3-5:
     * enable (3), even (4), stick (5).  Stick parity sends bit 4 inverted:
     * mark (always 1) is 3+5, space (always 0) is 3+4+5.
     */
    lcr = serial_spec_lcr(&sp);
    fuzz_check((lcr & 3) == sp.data_bits - 5);
    fuzz_check(!!(lcr & 4) == (sp.stop_bits == 2));
    fuzz_check(((lcr >> 3) & 7) == (sp.parity == 'n' ? 0 : sp.parity == 'o' ? 1 :
                                    sp.parity == 'e' ? 3 : sp.parity == 'm' ? 5 : 7));

    if ( sp.baud )
        snprintf(text, sizeof(text), "%u", sp.baud);
    else
        snprintf(text, sizeof(text), "auto");
    snprintf(text + strlen(text), sizeof(text) - strlen(text),
             "/%u,%u%c%u,%u,%u", sp.base_baud, sp.data_bits, sp.parity,
             sp.stop_bits, sp.io_base, sp.irq);
    fuzz_check(serial_spec_parse(text, &again) == 0);
    /* Field by field: the struct has padding after parity. */
    fuzz_check(again.baud == sp.baud && again.base_baud == sp.base_baud);
    fuzz_check(again.data_bits == sp.data_bits && again.parity == sp.parity &&
               again.stop_bits == sp.stop_bits);
    fuzz_check(again.io_base == sp.io_base && again.irq == sp.irq);
}

static int cust_fn(const char *v)
{
    cust_calls++;
    fuzz_check(strlen(v) < OPT_MAX);
    return 0;
}

static int com1_fn(const char *v)
{
    struct serial_spec sp;

    com1_calls++;
    check_serial_spec(v);
    return serial_spec_parse(v, &sp);
}

static const struct kernel_param table[] = {
    { "flag", PARAM_BOOL, sizeof(opt_flag), { .var = &opt_flag } },
    { "num", PARAM_UINT, sizeof(opt_num), { .var = &opt_num } },
    { "big", PARAM_UINT, sizeof(opt_big), { .var = &opt_big } },
    { "byte", PARAM_UINT, sizeof(opt_byte), { .var = &opt_byte } },
    { "mem", PARAM_SIZE, sizeof(opt_mem), { .var = &opt_mem } },
    { "str", PARAM_STRING, sizeof(opt_str), { .var = opt_str } },
    { "cust", PARAM_CUSTOM, 0, { .fn = cust_fn } },
    { "com1", PARAM_CUSTOM, 0, { .fn = com1_fn } },
};

/* Sentinels no parse of a value can produce by accident... */
static void reset(void)
{
    uint8_t two = 2;

    /* ...not even for the boolean, which is stored as a byte. */
    memcpy(&opt_flag, &two, 1);
    opt_num = 0xdeadbeef;
    opt_big = 0x5a5a5a5a5a5aul;
    opt_byte = 0x77;
    opt_mem = 0x123456789abcull;
    memset(opt_str, 'S', sizeof(opt_str));
    cust_calls = com1_calls = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = fuzz_strdup(data, size), *plain, *q;
    const char *p;
    uint8_t flag;
    size_t n;

    /* The line as the option scanner sees it: quotes gone. */
    plain = fuzz_strdup(data, size);
    for ( p = q = plain; *p; p++ )
        if ( *p != '"' )
            *q++ = *p;
    *q = '\0';

    reset();
    host_test_log_clear();
    cmdline_parse_with(line, table, table + sizeof(table) / sizeof(table[0]));

    /* The sentinel 2 (untouched), or a real boolean. */
    memcpy(&flag, &opt_flag, 1);
    fuzz_check(flag <= 2);
    if ( !strstr(plain, "flag") )
        fuzz_check(flag == 2);
    if ( !strstr(plain, "num") )
        fuzz_check(opt_num == 0xdeadbeef);
    if ( !strstr(plain, "big") )
        fuzz_check(opt_big == 0x5a5a5a5a5a5aul);
    if ( !strstr(plain, "byte") )
        fuzz_check(opt_byte == 0x77);
    if ( !strstr(plain, "mem") )
        fuzz_check(opt_mem == 0x123456789abcull);
    if ( memchr(opt_str, '\0', sizeof(opt_str)) )
        fuzz_check(strstr(plain, "str"));
    else
        fuzz_check(!memcmp(opt_str, "SSSSSSSS", sizeof(opt_str)));
    if ( !strstr(plain, "cust") )
        fuzz_check(!cust_calls);
    if ( !strstr(plain, "com1") )
        fuzz_check(!com1_calls);

    /* Through the registered-options entry point: the saved copy. */
    cmdline_parse(line);
    n = strlen(line) < CMDLINE_MAX - 1 ? strlen(line) : CMDLINE_MAX - 1;
    fuzz_check(strlen(saved_cmdline()) == n && !strncmp(saved_cmdline(), line, n));

    check_serial_spec(line);
    free(plain);
    free(line);
    return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypervisor command-line options, registered where they are used:
 *
 *   static bool opt_noreboot;
 *   boolean_param("noreboot", opt_noreboot);
 *
 * Each macro puts a struct kernel_param in the `xen_params` section (a C
 * identifier, so GNU ld provides __start_xen_params/__stop_xen_params, in
 * the image and in host test programs alike).  Syntax and semantics follow
 * Xen's docs/misc/xen-command-line.pandoc: see common/params.c.
 */
#ifndef XEN_PARAM_H
#define XEN_PARAM_H

#include <xen/compiler.h>
#include <xen/types.h>

enum param_type {
    PARAM_BOOL,
    PARAM_UINT,     /* unsigned int, unsigned long or uint64_t: by len */
    PARAM_SIZE,     /* uint64_t bytes, with K/M/G/T suffixes */
    PARAM_STRING,   /* char array of len bytes */
    PARAM_CUSTOM,   /* int fn(const char *value); non-zero = bad value */
};

struct kernel_param {
    const char *name;
    enum param_type type;
    unsigned int len;
    union {
        void *var;
        int (*fn)(const char *value);
    } u;
};

#define __param_cat2(a, b) a##b
#define __param_cat(a, b) __param_cat2(a, b)
#define __param_entry(_name, _type, _len, _field, _ptr)                     \
    static const struct kernel_param __used                                 \
    __section("xen_params") __aligned(8)                                    \
    __param_cat(__xen_param_, __COUNTER__) = {                              \
        .name = _name, .type = _type, .len = _len, .u._field = _ptr }

#define boolean_param(n, v) __param_entry(n, PARAM_BOOL, sizeof(v), var, &(v))
#define integer_param(n, v) __param_entry(n, PARAM_UINT, sizeof(v), var, &(v))
#define size_param(n, v)    __param_entry(n, PARAM_SIZE, sizeof(v), var, &(v))
#define string_param(n, v)  __param_entry(n, PARAM_STRING, sizeof(v), var, (v))
#define custom_param(n, f)  __param_entry(n, PARAM_CUSTOM, 0, fn, (f))

/* Parse a command line against every registered option. */
void cmdline_parse(const char *cmdline);
/* The testable core: parse against the table [start, end). */
void cmdline_parse_with(const char *cmdline, const struct kernel_param *start,
                        const struct kernel_param *end);
/* The whole command line as given (empty before cmdline_parse()). */
const char *saved_cmdline(void);

/* Helpers also used by custom handlers. */
int parse_bool_value(const char *s);                 /* 1, 0, or -1 */
int parse_size_value(const char *s, uint64_t *out);  /* 0 or -1 */

#endif /* XEN_PARAM_H */

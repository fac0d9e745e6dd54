/* SPDX-License-Identifier: GPL-2.0 */
/* Between the xl.cfg syntax (xl_cfg_syntax.c) and its meaning (xl_cfg.c). */
#ifndef XL_CFG_INTERNAL_H
#define XL_CFG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum cfg_kind { CFG_STRING = 1, CFG_NUMBER, CFG_LIST };

/* A value as written: numbers keep their text until a key says what it wants. */
struct cfg_value {
    enum cfg_kind kind;
    unsigned int line;
    char *atom;                        /* CFG_STRING, CFG_NUMBER */
    struct cfg_value *items;           /* CFG_LIST */
    unsigned int nr_items;
};

struct cfg_setting {
    char *key;
    struct cfg_value value;
    unsigned int line;
    const char *source;                /* not owned */
    bool append;                       /* written with += */
    bool used;                         /* consumed by the interpreter */
};

/*
 * Parse text into settings in file order; syntax errors are reported and
 * counted in *errors and the offending line skipped.  -ENOMEM or 0.
 */
int cfg_parse_settings(const char *source, const char *text, size_t len,
                       FILE *report, unsigned int *errors,
                       struct cfg_setting **out, unsigned int *nr_out);
void cfg_settings_free(struct cfg_setting *s, unsigned int nr);
void cfg_value_free(struct cfg_value *v);

/* "SOURCE:LINE: KEY: message\n" (LINE 0 and KEY NULL are left out). */
void cfg_report(FILE *report, const char *source, unsigned int line,
                const char *key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#endif /* XL_CFG_INTERNAL_H */

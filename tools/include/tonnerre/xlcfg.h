/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl domain configuration files (the xl.cfg(5) syntax) parsed into a
 * struct xl_domain_config.
 *
 * Grammar: settings `KEY = VALUE` or `KEY += VALUE`, separated by newlines
 * or `;`.  A VALUE is a "string" or 'string' (C-like escapes), a number
 * (decimal, 0x hex, 0 octal) or a list [ VALUE, ... ] that may span lines,
 * nest, and end with a trailing comma.  `#` starts a comment.
 *
 * Every problem is reported as "SOURCE:LINE: KEY: message" on the FILE *
 * given (NULL: silent); parsing goes on after an error so that one run
 * shows them all.  Nothing is returned half-filled: on error the config
 * is left empty.
 *
 * Stricter than xl on purpose: xl silently ignores keys it does not know;
 * here a key of xl.cfg(5) that Tonnerre does not act on yet is a warning,
 * and any other key an error (with "did you mean" for near misses).  A key
 * set twice with `=` in one file is an error; a command-line override
 * replaces the file's value.
 */
#ifndef TONNERRE_XLCFG_H
#define TONNERRE_XLCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum xl_domain_type {
    XL_DOMAIN_TYPE_PVH = 1,            /* the only one Tonnerre builds */
};

/* What to do when the guest powers off, reboots or crashes (xl.cfg(5)). */
enum xl_action {
    XL_ACTION_DESTROY,
    XL_ACTION_RESTART,
    XL_ACTION_PRESERVE,
    XL_ACTION_RENAME_RESTART,
};

struct xl_domain_config {
    char *name;
    enum xl_domain_type type;
    char *kernel;
    char *ramdisk;                     /* NULL: none */
    char *cmdline;                     /* NULL: empty; from cmdline or root+extra */
    uint64_t memory_mib;               /* initial allocation */
    uint64_t maxmem_mib;               /* >= memory_mib */
    unsigned int vcpus;                /* online at boot, >= 1 */
    unsigned int maxvcpus;             /* >= vcpus */
    enum xl_action on_poweroff, on_reboot, on_crash;
    bool has_uuid;
    uint8_t uuid[16];
    char **disks;                      /* raw disk spec strings, for later */
    unsigned int nr_disks;
    char **vifs;                       /* raw vif spec strings, for later */
    unsigned int nr_vifs;
};

/* Defaults when the file says nothing, as libxl/xl choose them. */
#define XL_DEFAULT_MEMORY_MIB 32u      /* libxl's default max_memkb, 32 MiB */
#define XL_MAX_VCPUS          128u     /* HVM_MAX_VCPUS */
#define XL_CFG_MAX_SIZE       (1u << 20)

void xl_domain_config_free(struct xl_domain_config *c);

/*
 * Parse len bytes of text named source (for messages), then apply the
 * overrides: each a "KEY=VALUE" string from the command line (`xl create
 * FILE KEY=VALUE...`) which replaces the file's setting of that key.
 * Returns 0, -EINVAL if the configuration has errors (all reported),
 * -ENOMEM.
 */
int xl_cfg_parse_buffer(const char *source, const char *text, size_t len,
                        const char *const *overrides, unsigned int nr_overrides,
                        struct xl_domain_config *out, FILE *report);

/* The same on the contents of path; -errno if it cannot be read. */
int xl_cfg_parse_file(const char *path,
                      const char *const *overrides, unsigned int nr_overrides,
                      struct xl_domain_config *out, FILE *report);

/* "destroy", "restart", ... */
const char *xl_action_name(enum xl_action a);

/* Levenshtein distance, exposed for the tests of the suggestions. */
unsigned int xl_cfg_edit_distance(const char *a, const char *b);

#endif /* TONNERRE_XLCFG_H */

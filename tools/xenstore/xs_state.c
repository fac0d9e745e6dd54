/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's state and the tree it starts with.  Real Xen's dom0 shows
 * (reference/xen-4.17/xenstore-ls-dom0-only.txt) /tool/xenstored,
 * /local/domain/0/{name,domid} and /local/pool/0/name; dom0's kernel adds
 * its own control/ entries once it connects.
 */
#include <stdarg.h>
#include <string.h>
#include "xs_core.h"

void xs_log(const struct xs_state *s, const char *fmt, ...)
{
    va_list ap;

    if ( !s->log )
        return;
    fputs("xenstored: ", s->log);
    va_start(ap, fmt);
    vfprintf(s->log, fmt, ap);
    va_end(ap);
    fputc('\n', s->log);
    fflush(s->log);
}

void xs_state_init(struct xs_state *s)
{
    static const struct xs_quota defaults = XS_QUOTA_DEFAULT;

    memset(s, 0, sizeof(*s));
    s->quota = defaults;
    s->tree = xs_tree_new(&s->quota);
    s->tree->hooks.changed = xs_watch_tree_changed;
    s->tree->hooks.ctx = s;
    s->virq_port = -1;
}

void xs_state_fini(struct xs_state *s)
{
    xs_domain_close_all(s);
    while ( s->conns )
        xs_conn_free(s->conns);
    xs_tree_free(s->tree);
    s->tree = NULL;
}

static void put(struct xs_state *s, const char *path, const char *value)
{
    static const struct xs_caller xenstored = { .domid = 0, .privileged = true };

    xs_tree_write(s->tree, &xenstored, path, value, strlen(value), false);
}

void xs_state_populate(struct xs_state *s)
{
    put(s, "/tool", "");
    put(s, "/tool/xenstored", "");
    put(s, "/local", "");
    put(s, "/local/domain", "");
    put(s, "/local/domain/0", "");
    put(s, "/local/domain/0/domid", "0");
    put(s, "/local/domain/0/name", "Domain-0");
    put(s, "/local/pool", "");
    put(s, "/local/pool/0", "");
    put(s, "/local/pool/0/name", "Pool-0");
}

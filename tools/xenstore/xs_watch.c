/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Watches.  A watch on <wpath> fires for a change at <wpath> or below it and
 * for the removal of an ancestor of <wpath> (reported as <wpath> itself,
 * docs/misc/xenstore.txt "WATCH_EVENT").  A client only hears of nodes it
 * may read; for a removed node the ACL it had just before removal counts.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "xs_core.h"
#include "xs_util.h"

static struct xs_watch *watch_find(struct xs_conn *c, const char *abspath,
                                   const char *token, struct xs_watch ***link)
{
    struct xs_watch **pp;

    for ( pp = &c->watches; *pp; pp = &(*pp)->next )
        if ( strcmp((*pp)->abspath, abspath) == 0 && strcmp((*pp)->token, token) == 0 )
        {
            if ( link )
                *link = pp;
            return *pp;
        }
    return NULL;
}

int xs_watch_add(struct xs_conn *c, const char *path, const char *token)
{
    char abspath[XS_PATH_BUF];
    struct xs_watch *w;
    int rc;

    if ( (rc = xs_path_canonical(&c->caller, path, XS_PATH_WATCH, abspath)) )
        return rc;
    if ( watch_find(c, abspath, token, NULL) )
        return EEXIST;
    if ( !c->caller.privileged && c->nr_watches >= c->state->quota.watches )
        return E2BIG;
    w = xs_zalloc(sizeof(*w));
    w->path = xs_strdup(path);
    w->abspath = xs_strdup(abspath);
    w->token = xs_strdup(token);
    w->relative = path[0] != '/' && path[0] != '@';
    w->next = c->watches;
    c->watches = w;
    c->nr_watches++;
    return 0;
}

static void watch_free(struct xs_watch *w)
{
    free(w->path);
    free(w->abspath);
    free(w->token);
    free(w);
}

int xs_watch_remove(struct xs_conn *c, const char *path, const char *token)
{
    char abspath[XS_PATH_BUF];
    struct xs_watch **link, *w;
    int rc;

    if ( (rc = xs_path_canonical(&c->caller, path, XS_PATH_WATCH, abspath)) )
        return rc;
    if ( !(w = watch_find(c, abspath, token, &link)) )
        return ENOENT;
    *link = w->next;
    c->nr_watches--;
    watch_free(w);
    return 0;
}

void xs_watch_remove_all(struct xs_conn *c)
{
    struct xs_watch *w, *next;

    for ( w = c->watches; w; w = next )
    {
        next = w->next;
        watch_free(w);
    }
    c->watches = NULL;
    c->nr_watches = 0;
}

void xs_watch_fire_initial(struct xs_conn *c, const char *path, const char *token)
{
    xs_conn_send_event(c, path, token);
}

/* A relative watch hears relative paths: drop "/local/domain/<domid>/". */
static const char *event_path_for(const struct xs_conn *c, const struct xs_watch *w,
                                  const char *path)
{
    char base[32];
    size_t len;

    if ( !w->relative || xs_domain_path(c->caller.domid, base, sizeof(base)) )
        return path;
    len = strlen(base);
    if ( strncmp(path, base, len) == 0 && path[len] == '/' )
        return path + len + 1;
    return path;
}

static bool may_read(const struct xs_conn *c, const struct xs_node *n)
{
    return n && (xs_node_access(&c->caller, n) & XS_PERM_READ);
}

/*
 * The node at `path` below a subtree rooted at `top` (which is at
 * `top_path`), or the deepest existing node on the way.
 */
static const struct xs_node *subtree_node(const struct xs_node *top, const char *top_path,
                                          const char *path)
{
    const struct xs_node *n = top, *next;
    const char *p = path + strlen(top_path);
    size_t len;

    while ( *p == '/' )
    {
        p++;
        len = strcspn(p, "/");
        if ( !(next = xs_node_child(n, p, len)) )
            break;
        n = next;
        p += len;
    }
    return n;
}

static void fire_for_conn(struct xs_conn *c, const char *path, const struct xs_node *node,
                          enum xs_change what)
{
    struct xs_watch *w;

    for ( w = c->watches; w; w = w->next )
    {
        if ( xs_path_is_child(path, w->abspath) )
        {
            if ( may_read(c, node) )
                xs_conn_send_event(c, event_path_for(c, w, path), w->token);
        }
        else if ( what == XS_CHANGE_RM && xs_path_is_child(w->abspath, path) )
        {
            if ( may_read(c, subtree_node(node, path, w->abspath)) )
                xs_conn_send_event(c, w->path, w->token);
        }
    }
}

void xs_watch_tree_changed(void *ctx, const char *path, const struct xs_node *node,
                           enum xs_change what)
{
    struct xs_state *s = ctx;
    struct xs_conn *c;

    for ( c = s->conns; c; c = c->next )
        fire_for_conn(c, path, node, what);
}

void xs_watch_fire_special(struct xs_state *s, const char *special)
{
    const struct xs_node *node = xs_tree_lookup(s->tree, special);
    struct xs_conn *c;
    struct xs_watch *w;

    for ( c = s->conns; c; c = c->next )
        for ( w = c->watches; w; w = w->next )
            if ( strcmp(w->abspath, special) == 0 && may_read(c, node) )
                xs_conn_send_event(c, special, w->token);
}

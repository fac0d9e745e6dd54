/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The node tree.  Paths are walked component by component from the root;
 * children are kept in creation order, which is the order DIRECTORY reports.
 * Every change gives the changed node (and, for a new or removed child, its
 * parent) a fresh generation number: transactions compare generations to
 * detect conflicting changes, DIRECTORY_PART reports them to clients.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xs_tree.h"
#include "xs_util.h"

/* ---- paths ---------------------------------------------------------- */

/* docs/misc/xenstore.txt: ASCII alphanumerics and - / _ @. */
static bool path_char_ok(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || ch == '-' || ch == '/' || ch == '_' ||
           ch == '@';
}

static bool path_chars_ok(const char *p)
{
    for ( ; *p; p++ )
        if ( !path_char_ok(*p) )
            return false;
    return true;
}

/* No empty component: no "//", no trailing '/' except the root itself. */
static bool path_shape_ok(const char *p)
{
    size_t len = strlen(p);

    if ( strcmp(p, "/") == 0 )
        return true;
    return !strstr(p, "//") && p[len - 1] != '/';
}

bool xs_path_is_special(const char *path)
{
    return strcmp(path, XS_SPECIAL_INTRODUCE) == 0 ||
           strcmp(path, XS_SPECIAL_RELEASE) == 0;
}

bool xs_path_is_child(const char *child, const char *parent)
{
    size_t plen = strlen(parent);

    if ( strcmp(parent, "/") == 0 )
        return child[0] == '/';
    return strncmp(child, parent, plen) == 0 &&
           (child[plen] == '\0' || child[plen] == '/');
}

int xs_domain_path(unsigned int domid, char *out, size_t size)
{
    int n = snprintf(out, size, "/local/domain/%u", domid);

    return n < 0 || (size_t)n >= size ? E2BIG : 0;
}

/* Strict unsigned decimal: digits only, no sign, no overflow, <= max. */
bool xs_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    unsigned long v = 0;

    if ( !*s )
        return false;
    for ( ; *s; s++ )
    {
        if ( *s < '0' || *s > '9' )
            return false;
        if ( v > (max - (unsigned long)(*s - '0')) / 10 )
            return false;
        v = v * 10 + (unsigned long)(*s - '0');
    }
    *out = v;
    return true;
}

static int special_path_canonical(const char *in, size_t len, unsigned int flags,
                                  char out[XS_PATH_BUF])
{
    if ( !(flags & (XS_PATH_WATCH | XS_PATH_PERMS)) )
        return EINVAL;
    if ( !(flags & XS_PATH_WATCH) && !xs_path_is_special(in) )
        return EINVAL;
    if ( !path_chars_ok(in) )
        return EINVAL;
    memcpy(out, in, len + 1);
    return 0;
}

/*
 * Validate a client's path and make it absolute: a relative path is taken
 * relative to the caller's /local/domain/<domid>.
 */
int xs_path_canonical(const struct xs_caller *c, const char *in, unsigned int flags,
                      char out[XS_PATH_BUF])
{
    size_t len = strnlen(in, XS_PATH_BUF);
    int n;

    if ( len == 0 || len > XENSTORE_ABS_PATH_MAX )
        return EINVAL;
    if ( in[0] == '@' )
        return special_path_canonical(in, len, flags, out);
    if ( in[0] == '/' )
        memcpy(out, in, len + 1);
    else
    {
        if ( len > XENSTORE_REL_PATH_MAX )
            return EINVAL;
        n = snprintf(out, XS_PATH_BUF, "/local/domain/%u/%s", c->domid, in);
        if ( n < 0 || n >= XS_PATH_BUF )
            return EINVAL;
    }
    if ( !path_chars_ok(out) || !path_shape_ok(out) )
        return EINVAL;
    return 0;
}

/* ---- permissions ---------------------------------------------------- */

static bool caller_is(const struct xs_caller *c, uint16_t domid)
{
    return c->domid == domid || (c->has_target && c->target == domid);
}

static unsigned int acl_lookup(const struct xs_node *n, uint16_t domid)
{
    unsigned int i;

    for ( i = 1; i < n->nr_perms; i++ )
        if ( n->perms[i].domid == domid )
            return n->perms[i].access;
    return n->perms[0].access;
}

unsigned int xs_node_access(const struct xs_caller *c, const struct xs_node *n)
{
    unsigned int acc;

    if ( c->privileged || caller_is(c, n->perms[0].domid) )
        return XS_PERM_BOTH;
    acc = acl_lookup(n, c->domid);
    /* A device model acting for its target also gets the target's rights. */
    if ( c->has_target )
        acc |= acl_lookup(n, c->target);
    return acc & XS_PERM_BOTH;
}

static int perm_parse_one(const char *s, struct xs_perm *p)
{
    unsigned long domid;

    switch ( s[0] )
    {
    case 'n': p->access = XS_PERM_NONE; break;
    case 'r': p->access = XS_PERM_READ; break;
    case 'w': p->access = XS_PERM_WRITE; break;
    case 'b': p->access = XS_PERM_BOTH; break;
    default: return EINVAL;
    }
    if ( !xs_parse_uint(s + 1, XS_DOMID_MAX, &domid) )
        return EINVAL;
    p->domid = (uint16_t)domid;
    return 0;
}

/* `strs` holds `len` bytes of NUL-terminated strings, each one ACL entry. */
int xs_perms_parse(const char *strs, size_t len, struct xs_perm **out, unsigned int *n)
{
    struct xs_perm *p = NULL;
    unsigned int count = 0;
    size_t off = 0, slen;
    int rc;

    if ( len == 0 || strs[len - 1] != '\0' )
        return EINVAL;
    while ( off < len )
    {
        slen = strlen(strs + off);
        p = xs_realloc(p, (count + 1) * sizeof(*p));
        if ( (rc = perm_parse_one(strs + off, &p[count])) )
        {
            free(p);
            return rc;
        }
        count++;
        off += slen + 1;
    }
    *out = p;
    *n = count;
    return 0;
}

int xs_perm_format(const struct xs_perm *p, char *buf, size_t size)
{
    static const char letter[] = { 'n', 'r', 'w', 'b' };

    return snprintf(buf, size, "%c%u", letter[p->access & XS_PERM_BOTH], p->domid);
}

/* ---- owner accounting ----------------------------------------------- */

static struct xs_owner_count *owner_slot(struct xs_tree *t, uint16_t domid)
{
    unsigned int i;

    for ( i = 0; i < t->nr_owners; i++ )
        if ( t->owners[i].domid == domid )
            return &t->owners[i];
    if ( t->nr_owners == t->cap_owners )
    {
        t->cap_owners = t->cap_owners ? t->cap_owners * 2 : 8;
        t->owners = xs_realloc(t->owners, t->cap_owners * sizeof(*t->owners));
    }
    t->owners[t->nr_owners] = (struct xs_owner_count){ .domid = domid };
    return &t->owners[t->nr_owners++];
}

static void owner_adjust(struct xs_tree *t, uint16_t domid, int delta)
{
    struct xs_owner_count *o = owner_slot(t, domid);

    o->nodes += (uint32_t)delta;
}

unsigned int xs_tree_owned(const struct xs_tree *t, uint16_t domid)
{
    unsigned int i;

    for ( i = 0; i < t->nr_owners; i++ )
        if ( t->owners[i].domid == domid )
            return t->owners[i].nodes;
    return 0;
}

/* ---- nodes ---------------------------------------------------------- */

static struct xs_node *node_new(const char *name, size_t len,
                                const struct xs_perm *perms, unsigned int nr_perms)
{
    struct xs_node *n = xs_zalloc(sizeof(*n));

    n->name = xs_strndup(name, len);
    n->perms = xs_memdup(perms, nr_perms * sizeof(*perms));
    n->nr_perms = nr_perms;
    return n;
}

static void node_free(struct xs_node *n)
{
    unsigned int i;

    for ( i = 0; i < n->nr_children; i++ )
        node_free(n->children[i]);
    free(n->children);
    free(n->name);
    free(n->value);
    free(n->perms);
    free(n);
}

static void node_touch(struct xs_tree *t, struct xs_node *n)
{
    n->gen = ++t->next_gen;
}

static void child_attach(struct xs_tree *t, struct xs_node *parent, struct xs_node *child)
{
    if ( parent->nr_children == parent->cap_children )
    {
        parent->cap_children = parent->cap_children ? parent->cap_children * 2 : 4;
        parent->children = xs_realloc(parent->children,
                                      parent->cap_children * sizeof(*parent->children));
    }
    parent->children[parent->nr_children++] = child;
    child->parent = parent;
    node_touch(t, parent);
}

static void child_detach(struct xs_tree *t, struct xs_node *child)
{
    struct xs_node *parent = child->parent;
    unsigned int i;

    for ( i = 0; i < parent->nr_children; i++ )
        if ( parent->children[i] == child )
            break;
    memmove(&parent->children[i], &parent->children[i + 1],
            (parent->nr_children - i - 1) * sizeof(*parent->children));
    parent->nr_children--;
    child->parent = NULL;
    node_touch(t, parent);
}

struct xs_node *xs_node_child(const struct xs_node *n, const char *name, size_t len)
{
    unsigned int i;

    for ( i = 0; i < n->nr_children; i++ )
        if ( strncmp(n->children[i]->name, name, len) == 0 &&
             n->children[i]->name[len] == '\0' )
            return n->children[i];
    return NULL;
}

static size_t component_len(const char *p)
{
    const char *slash = strchr(p, '/');

    return slash ? (size_t)(slash - p) : strlen(p);
}

struct xs_node *xs_tree_lookup(const struct xs_tree *t, const char *path)
{
    struct xs_node *n = t->root;
    const char *p;
    size_t len;

    if ( strcmp(path, XS_SPECIAL_INTRODUCE) == 0 )
        return t->special_introduce;
    if ( strcmp(path, XS_SPECIAL_RELEASE) == 0 )
        return t->special_release;
    if ( path[0] != '/' )
        return NULL;
    for ( p = path + 1; *p && n; p += len + (p[len] == '/') )
    {
        len = component_len(p);
        n = xs_node_child(n, p, len);
    }
    return n;
}

/* ---- tree lifetime -------------------------------------------------- */

static const struct xs_perm dom0_only = { .domid = 0, .access = XS_PERM_NONE };

struct xs_tree *xs_tree_new(const struct xs_quota *quota)
{
    struct xs_tree *t = xs_zalloc(sizeof(*t));

    t->quota = quota;
    t->root = node_new("", 0, &dom0_only, 1);
    t->special_introduce = node_new(XS_SPECIAL_INTRODUCE, strlen(XS_SPECIAL_INTRODUCE),
                                    &dom0_only, 1);
    t->special_release = node_new(XS_SPECIAL_RELEASE, strlen(XS_SPECIAL_RELEASE),
                                  &dom0_only, 1);
    node_touch(t, t->root);
    node_touch(t, t->special_introduce);
    node_touch(t, t->special_release);
    owner_adjust(t, 0, 1);      /* the root counts against dom0 like any node */
    return t;
}

static struct xs_node *node_clone(const struct xs_node *n, struct xs_node *parent)
{
    struct xs_node *c = node_new(n->name, strlen(n->name), n->perms, n->nr_perms);
    unsigned int i;

    c->parent = parent;
    c->gen = n->gen;
    c->value_len = n->value_len;
    c->value = n->value_len ? xs_memdup(n->value, n->value_len) : NULL;
    c->nr_children = c->cap_children = n->nr_children;
    c->children = xs_zalloc(n->nr_children * sizeof(*c->children));
    for ( i = 0; i < n->nr_children; i++ )
        c->children[i] = node_clone(n->children[i], c);
    return c;
}

struct xs_tree *xs_tree_clone(const struct xs_tree *t)
{
    struct xs_tree *c = xs_zalloc(sizeof(*c));

    c->quota = t->quota;
    c->next_gen = t->next_gen;
    c->root = node_clone(t->root, NULL);
    c->special_introduce = node_clone(t->special_introduce, NULL);
    c->special_release = node_clone(t->special_release, NULL);
    c->nr_owners = c->cap_owners = t->nr_owners;
    c->owners = xs_memdup(t->owners, t->nr_owners * sizeof(*t->owners));
    return c;
}

void xs_tree_free(struct xs_tree *t)
{
    if ( !t )
        return;
    node_free(t->root);
    node_free(t->special_introduce);
    node_free(t->special_release);
    free(t->owners);
    free(t);
}

/* ---- hooks ---------------------------------------------------------- */

static void note_access(struct xs_tree *t, const char *path, const struct xs_node *n)
{
    if ( t->hooks.access )
        t->hooks.access(t->hooks.ctx, path, n);
}

static void note_changed(struct xs_tree *t, const char *path, const struct xs_node *n,
                         enum xs_change what)
{
    if ( t->hooks.changed )
        t->hooks.changed(t->hooks.ctx, path, n, what);
}

/* ---- operations ----------------------------------------------------- */

int xs_tree_get(struct xs_tree *t, const struct xs_caller *c, const char *path,
                const struct xs_node **out)
{
    struct xs_node *n = xs_tree_lookup(t, path);

    note_access(t, path, n);
    if ( !n )
        return ENOENT;
    if ( !(xs_node_access(c, n) & XS_PERM_READ) )
        return EACCES;
    *out = n;
    return 0;
}

/* Copy of path's first `len` bytes as a path of its own ("/" for len 0). */
static void path_prefix(const char *path, size_t len, char out[XS_PATH_BUF])
{
    if ( len == 0 )
        len = 1;
    memcpy(out, path, len);
    out[len] = '\0';
}

static unsigned int count_components(const char *p)
{
    unsigned int n = 0;

    for ( ; *p; p += component_len(p) + (p[component_len(p)] == '/') )
        n++;
    return n;
}

static bool quota_allows_nodes(const struct xs_tree *t, const struct xs_caller *c,
                               unsigned int extra)
{
    return c->privileged || !t->quota ||
           xs_tree_owned(t, c->domid) + extra <= t->quota->nodes;
}

/* A new node copies its parent's ACL; a domain creating it becomes its owner. */
static struct xs_node *node_create(struct xs_tree *t, const struct xs_caller *c,
                                   struct xs_node *parent, const char *name, size_t len)
{
    struct xs_node *n = node_new(name, len, parent->perms, parent->nr_perms);

    if ( !c->privileged )
        n->perms[0].domid = c->domid;
    node_touch(t, n);
    child_attach(t, parent, n);
    owner_adjust(t, n->perms[0].domid, 1);
    return n;
}

/*
 * Create `path` and whatever ancestors are missing.  Needs write access to
 * the deepest existing ancestor and quota for every new node.
 */
static int create_path(struct xs_tree *t, const struct xs_caller *c, const char *path,
                       bool check, struct xs_node **out)
{
    char prefix[XS_PATH_BUF];
    struct xs_node *n = t->root, *next;
    const char *p = path + 1, *missing;
    size_t len;

    for ( ; *p; p += len + (p[len] == '/') )
    {
        len = component_len(p);
        if ( !(next = xs_node_child(n, p, len)) )
            break;
        n = next;
    }
    path_prefix(path, p > path + 1 ? (size_t)(p - path - 1) : 0, prefix);
    note_access(t, prefix, n);
    for ( missing = p; *p; p += len + (p[len] == '/') )
    {
        len = component_len(p);
        path_prefix(path, (size_t)(p - path) + len, prefix);
        note_access(t, prefix, NULL);
    }
    if ( check && !(xs_node_access(c, n) & XS_PERM_WRITE) )
        return EACCES;
    if ( check && !quota_allows_nodes(t, c, count_components(missing)) )
        return ENOSPC;
    for ( p = missing; *p; p += len + (p[len] == '/') )
    {
        len = component_len(p);
        n = node_create(t, c, n, p, len);
    }
    *out = n;
    return 0;
}

int xs_tree_write(struct xs_tree *t, const struct xs_caller *c, const char *path,
                  const void *val, size_t len, bool check)
{
    struct xs_node *n;
    int rc;

    if ( path[0] != '/' )
        return EINVAL;
    if ( check && !c->privileged && t->quota && len > t->quota->value_size )
        return ENOSPC;
    n = xs_tree_lookup(t, path);
    note_access(t, path, n);
    if ( n && check && !(xs_node_access(c, n) & XS_PERM_WRITE) )
        return EACCES;
    if ( !n && (rc = create_path(t, c, path, check, &n)) )
        return rc;
    free(n->value);
    n->value = len ? xs_memdup(val, len) : NULL;
    n->value_len = (unsigned int)len;
    node_touch(t, n);
    note_changed(t, path, n, XS_CHANGE_WRITE);
    return 0;
}

int xs_tree_mkdir(struct xs_tree *t, const struct xs_caller *c, const char *path,
                  bool check)
{
    struct xs_node *n;
    int rc;

    if ( path[0] != '/' )
        return EINVAL;
    n = xs_tree_lookup(t, path);
    note_access(t, path, n);
    if ( n )
        return check && !(xs_node_access(c, n) & XS_PERM_WRITE) ? EACCES : 0;
    if ( (rc = create_path(t, c, path, check, &n)) )
        return rc;
    note_changed(t, path, n, XS_CHANGE_MKDIR);
    return 0;
}

static void subtree_disown(struct xs_tree *t, const struct xs_node *n)
{
    unsigned int i;

    owner_adjust(t, n->perms[0].domid, -1);
    for ( i = 0; i < n->nr_children; i++ )
        subtree_disown(t, n->children[i]);
}

int xs_tree_rm(struct xs_tree *t, const struct xs_caller *c, const char *path,
               bool check)
{
    char parent_path[XS_PATH_BUF];
    struct xs_node *n, *parent;

    if ( path[0] != '/' || strcmp(path, "/") == 0 )
        return EINVAL;
    path_prefix(path, (size_t)(strrchr(path, '/') - path), parent_path);
    n = xs_tree_lookup(t, path);
    note_access(t, path, n);
    if ( !n )
    {
        /* Removing what is not there is fine, if its parent is. */
        parent = xs_tree_lookup(t, parent_path);
        note_access(t, parent_path, parent);
        return parent ? 0 : ENOENT;
    }
    if ( check && !(xs_node_access(c, n) & XS_PERM_WRITE) )
        return EACCES;
    note_access(t, parent_path, n->parent);
    note_changed(t, path, n, XS_CHANGE_RM);
    child_detach(t, n);
    subtree_disown(t, n);
    node_free(n);
    return 0;
}

static bool is_special_node(const struct xs_tree *t, const struct xs_node *n)
{
    return n == t->special_introduce || n == t->special_release;
}

/* Only the owner may change an ACL, and only dom0 may give a node away. */
static int set_perms_allowed(const struct xs_tree *t, const struct xs_caller *c,
                             const struct xs_node *n, const struct xs_perm *p,
                             unsigned int nr)
{
    if ( c->privileged )
        return 0;
    if ( !caller_is(c, n->perms[0].domid) )
        return EACCES;
    if ( p[0].domid != n->perms[0].domid )
        return EPERM;
    if ( t->quota && nr > t->quota->perms )
        return ENOSPC;
    return 0;
}

int xs_tree_set_perms(struct xs_tree *t, const struct xs_caller *c, const char *path,
                      const struct xs_perm *p, unsigned int nr, bool check)
{
    struct xs_node *n = xs_tree_lookup(t, path);
    int rc;

    note_access(t, path, n);
    if ( !n )
        return ENOENT;
    if ( nr == 0 )
        return EINVAL;
    if ( check && (rc = set_perms_allowed(t, c, n, p, nr)) )
        return rc;
    if ( !is_special_node(t, n) )
    {
        owner_adjust(t, n->perms[0].domid, -1);
        owner_adjust(t, p[0].domid, 1);
    }
    free(n->perms);
    n->perms = xs_memdup(p, nr * sizeof(*p));
    n->nr_perms = nr;
    node_touch(t, n);
    note_changed(t, path, n, XS_CHANGE_PERMS);
    return 0;
}

/* ---- invariants ----------------------------------------------------- */

static bool name_ok(const char *name)
{
    return name[0] && !strchr(name, '/') && path_chars_ok(name);
}

static bool node_check(const struct xs_tree *t, const struct xs_node *n,
                       uint32_t *owned, size_t *depth_bytes)
{
    unsigned int i, j;

    if ( n->nr_perms == 0 || n->gen == 0 || n->gen > t->next_gen )
        return false;
    if ( (n->value_len == 0) != (n->value == NULL) )
        return false;
    owned[n->perms[0].domid]++;
    for ( i = 0; i < n->nr_children; i++ )
    {
        const struct xs_node *ch = n->children[i];

        if ( ch->parent != n || !name_ok(ch->name) )
            return false;
        for ( j = 0; j < i; j++ )
            if ( strcmp(n->children[j]->name, ch->name) == 0 )
                return false;
        if ( !node_check(t, ch, owned, depth_bytes) )
            return false;
    }
    return true;
}

bool xs_tree_check(const struct xs_tree *t)
{
    uint32_t *owned = xs_zalloc((XS_DOMID_MAX + 1) * sizeof(*owned));
    size_t depth = 0;
    bool ok = t->root && !t->root->parent && t->root->name[0] == '\0' &&
              node_check(t, t->root, owned, &depth);
    unsigned int i, total = 0;

    for ( i = 0; ok && i < t->nr_owners; i++ )
    {
        ok = owned[t->owners[i].domid] == t->owners[i].nodes;
        total += t->owners[i].nodes;
    }
    for ( i = 0; ok && i <= XS_DOMID_MAX; i++ )
        total -= owned[i];
    free(owned);
    return ok && total == 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The xenstore database: a tree of nodes, each with a byte-string value, an
 * access-control list and children; path syntax; permission checks; per-domain
 * quotas.  Nothing here knows about connections or the wire format, so the
 * transaction code can run the same operations on a private copy of the tree.
 *
 * Operations return 0 or a positive errno value (EINVAL, ENOENT, EACCES, ...),
 * the value the wire protocol turns into an error string.
 */
#ifndef XS_TREE_H
#define XS_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <public/io/xs_wire.h>

/* Access bits of one ACL entry (docs/misc/xenstore.txt, "r", "w", "b", "n"). */
#define XS_PERM_NONE  0u
#define XS_PERM_READ  1u
#define XS_PERM_WRITE 2u
#define XS_PERM_BOTH  (XS_PERM_READ | XS_PERM_WRITE)

/* Room for any absolute path and its NUL. */
#define XS_PATH_BUF (XENSTORE_ABS_PATH_MAX + 1)

#define XS_DOMID_MAX 65535u

/* The special watch paths xenstored itself generates events on. */
#define XS_SPECIAL_INTRODUCE "@introduceDomain"
#define XS_SPECIAL_RELEASE   "@releaseDomain"

/*
 * One ACL entry.  Entry 0 names the owner, who always has full access; its
 * access bits are what every domain without an entry of its own gets.
 */
struct xs_perm {
    uint16_t domid;
    uint8_t access;       /* XS_PERM_* */
};

/* Who is asking: enough to decide permissions and quotas. */
struct xs_caller {
    uint16_t domid;
    bool privileged;      /* dom0 (ring or socket): bypasses ACLs and quotas */
    bool has_target;      /* SET_TARGET: acts for `target` as well */
    uint16_t target;
};

/* Limits for unprivileged domains; Xen's C xenstored uses the same defaults. */
struct xs_quota {
    unsigned int nodes;         /* nodes one domain may own */
    unsigned int value_size;    /* bytes in one node's value */
    unsigned int watches;       /* watches per connection */
    unsigned int transactions;  /* open transactions per connection */
    unsigned int perms;         /* ACL entries per node */
};
#define XS_QUOTA_DEFAULT { .nodes = 1000, .value_size = 2048, .watches = 128, \
                           .transactions = 10, .perms = 5 }

struct xs_node {
    char *name;                   /* leaf name; "" for the root */
    struct xs_node *parent;
    struct xs_node **children;    /* in creation order, as DIRECTORY lists them */
    unsigned int nr_children, cap_children;
    uint8_t *value;
    unsigned int value_len;
    struct xs_perm *perms;        /* at least one entry */
    unsigned int nr_perms;
    uint64_t gen;                 /* changes whenever value, ACL or children do */
};

enum xs_change {
    XS_CHANGE_WRITE,
    XS_CHANGE_MKDIR,
    XS_CHANGE_RM,
    XS_CHANGE_PERMS,
};

/*
 * Observers of a tree.  `access` sees every node an operation looks at or is
 * about to change, before it changes (NULL node: absent) -- transactions use
 * it to remember what they depended on.  `changed` sees each successful
 * change once; for XS_CHANGE_RM the removed subtree is still intact.
 */
struct xs_tree_hooks {
    void (*access)(void *ctx, const char *path, const struct xs_node *node);
    void (*changed)(void *ctx, const char *path, const struct xs_node *node,
                    enum xs_change what);
    void *ctx;
};

struct xs_owner_count {
    uint16_t domid;
    uint32_t nodes;
};

struct xs_tree {
    struct xs_node *root;
    struct xs_node *special_introduce;   /* ACL holders for the @ watches */
    struct xs_node *special_release;
    uint64_t next_gen;
    struct xs_owner_count *owners;       /* nodes owned, per domain */
    unsigned int nr_owners, cap_owners;
    const struct xs_quota *quota;
    struct xs_tree_hooks hooks;
};

/* Lifetime. */
struct xs_tree *xs_tree_new(const struct xs_quota *quota);
struct xs_tree *xs_tree_clone(const struct xs_tree *t);
void xs_tree_free(struct xs_tree *t);

/* Paths. */
#define XS_PATH_WATCH 1u   /* any "@..." name is acceptable (watch paths) */
#define XS_PATH_PERMS 2u   /* the two special names are acceptable */
int xs_path_canonical(const struct xs_caller *c, const char *in, unsigned int flags,
                      char out[XS_PATH_BUF]);
bool xs_path_is_special(const char *path);
bool xs_path_is_child(const char *child, const char *parent);
int xs_domain_path(unsigned int domid, char *out, size_t size);
bool xs_parse_uint(const char *s, unsigned long max, unsigned long *out);

/* Permissions. */
unsigned int xs_node_access(const struct xs_caller *c, const struct xs_node *n);
int xs_perms_parse(const char *strs, size_t len, struct xs_perm **out, unsigned int *n);
int xs_perm_format(const struct xs_perm *p, char *buf, size_t size);

/* Lookup (no permission check, no hooks). */
struct xs_node *xs_tree_lookup(const struct xs_tree *t, const char *path);
struct xs_node *xs_node_child(const struct xs_node *n, const char *name, size_t len);
unsigned int xs_tree_owned(const struct xs_tree *t, uint16_t domid);

/*
 * Operations on canonical paths.  `check` false skips ACL and quota checks
 * (replaying an already-checked transaction; building the initial tree).
 */
int xs_tree_get(struct xs_tree *t, const struct xs_caller *c, const char *path,
                const struct xs_node **out);
int xs_tree_write(struct xs_tree *t, const struct xs_caller *c, const char *path,
                  const void *val, size_t len, bool check);
int xs_tree_mkdir(struct xs_tree *t, const struct xs_caller *c, const char *path,
                  bool check);
int xs_tree_rm(struct xs_tree *t, const struct xs_caller *c, const char *path,
               bool check);
int xs_tree_set_perms(struct xs_tree *t, const struct xs_caller *c, const char *path,
                      const struct xs_perm *p, unsigned int n, bool check);

/* Structural self-check (fuzzing, tests): true if every invariant holds. */
bool xs_tree_check(const struct xs_tree *t);

#endif /* XS_TREE_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenstore client (libtonnerrestore.a).
 *
 * Talks the xenstore wire protocol (docs/misc/xenstore.txt) to xenstored's
 * Unix socket or, failing that, to the kernel's /dev/xen/xenbus.  One
 * request is in flight at a time; watch events that arrive while waiting
 * for a reply are queued and handed out by xs_read_watch/xs_check_watch.
 *
 * Every function returns 0 (or a count) on success and -errno on failure;
 * an error reply from xenstored ("ENOENT") becomes -ENOENT.  Strings
 * returned are malloc'd and the caller frees them.  Not thread-safe: one
 * handle per thread.
 */
#ifndef TONNERRE_XS_H
#define TONNERRE_XS_H

#include <stdbool.h>
#include <stdint.h>

typedef uint32_t xs_transaction_t;
#define XBT_NULL ((xs_transaction_t)0)

/* xs_open flags */
#define XS_OPEN_SOCKETONLY  (1u << 0)  /* never fall back to /dev/xen/xenbus */

#define XS_DEFAULT_SOCKET   "/run/xenstored/socket"
#define XS_KERNEL_DEVICE    "/dev/xen/xenbus"

/* Permissions: a domain id and what it may do ('n', 'r', 'w', 'b' on the wire). */
#define XS_PERM_NONE  0u
#define XS_PERM_READ  1u
#define XS_PERM_WRITE 2u
#define XS_PERM_BOTH  (XS_PERM_READ | XS_PERM_WRITE)

struct xs_permissions {
    unsigned int id;
    unsigned int perms;
};

/* Indices into a watch event's vector. */
#define XS_WATCH_PATH  0
#define XS_WATCH_TOKEN 1

struct xs_handle;

/* Socket at $XENSTORED_PATH or XS_DEFAULT_SOCKET, else XS_KERNEL_DEVICE.  NULL + errno. */
struct xs_handle *xs_open(unsigned int flags);
/* A handle on an already connected fd (taken over; closed by xs_close). */
struct xs_handle *xs_open_fd(int fd);
void xs_close(struct xs_handle *h);
/* For poll(): readable when an event may be waiting.  Call xs_check_watch
 * until -EAGAIN before polling: events queued during a request are not
 * signalled by the fd. */
int xs_fileno(struct xs_handle *h);

/* *value is NUL-terminated (not counted in *len); len may be NULL. */
int xs_read(struct xs_handle *h, xs_transaction_t t, const char *path,
            char **value, unsigned int *len);
int xs_write(struct xs_handle *h, xs_transaction_t t, const char *path,
             const void *data, unsigned int len);
int xs_mkdir(struct xs_handle *h, xs_transaction_t t, const char *path);
int xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path);
/* *names: one allocation (array and strings), free(*names) only. */
int xs_directory(struct xs_handle *h, xs_transaction_t t, const char *path,
                 char ***names, unsigned int *num);
/* *perms: malloc'd array; the first entry is the owner and everyone's default. */
int xs_get_permissions(struct xs_handle *h, xs_transaction_t t, const char *path,
                       struct xs_permissions **perms, unsigned int *num);
int xs_set_permissions(struct xs_handle *h, xs_transaction_t t, const char *path,
                       const struct xs_permissions *perms, unsigned int num);

int xs_watch(struct xs_handle *h, const char *path, const char *token);
int xs_unwatch(struct xs_handle *h, const char *path, const char *token);
/* Next watch event, blocking.  *vec: one allocation, [XS_WATCH_PATH] and
 * [XS_WATCH_TOKEN]; *num is 2.  free(*vec). */
int xs_read_watch(struct xs_handle *h, char ***vec, unsigned int *num);
/* The same without blocking: -EAGAIN when nothing is there. */
int xs_check_watch(struct xs_handle *h, char ***vec, unsigned int *num);

int xs_transaction_start(struct xs_handle *h, xs_transaction_t *t);
/* -EAGAIN: another change conflicted; start again. */
int xs_transaction_end(struct xs_handle *h, xs_transaction_t t, bool abort);

int xs_introduce_domain(struct xs_handle *h, unsigned int domid,
                        unsigned long gfn, unsigned int port);
int xs_release_domain(struct xs_handle *h, unsigned int domid);
int xs_get_domain_path(struct xs_handle *h, unsigned int domid, char **path);
/* 1 introduced, 0 not, or -errno. */
int xs_is_domain_introduced(struct xs_handle *h, unsigned int domid);

/* "ENOENT" -> ENOENT (EINVAL for names we do not know); exposed for tests. */
int xs_errno_from_name(const char *name);

#endif /* TONNERRE_XS_H */

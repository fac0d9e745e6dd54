/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Unix-socket transport for dom0's tools.  Everyone who can open the
 * socket is dom0 and privileged, as with Xen's xenstored; the socket's
 * directory and mode are what keep others out.
 */
#ifndef XS_UNIX_H
#define XS_UNIX_H

#include <poll.h>
#include "xs_core.h"

#define XS_UNIX_DEFAULT_PATH "/run/xenstored/socket"

struct xs_unix_client;

struct xs_unix {
    int lfd;
    char *path;
    struct xs_unix_client *clients;
    unsigned int nr_clients;
};

int xs_unix_listen(struct xs_unix *u, const char *path);
void xs_unix_close(struct xs_unix *u);
/* Fill pollfds for the listener and every client; returns how many. */
unsigned int xs_unix_pollfds(struct xs_unix *u, struct pollfd *fds, unsigned int max);
/* Act on poll's results for the fds xs_unix_pollfds filled in. */
void xs_unix_handle(struct xs_unix *u, struct xs_state *s, const struct pollfd *fds,
                    unsigned int n);
/* Send whatever output is queued, without blocking. */
void xs_unix_flush(struct xs_unix *u);

#endif /* XS_UNIX_H */

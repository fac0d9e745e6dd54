/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `xl console`: the user's terminal joined to a guest console's pty (the
 * one xenconsoled names in /local/domain/N/console/tty) until Ctrl-].
 */
#ifndef XL_CONSOLE_H
#define XL_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

struct xs_handle;

#define XL_CONSOLE_ESCAPE 0x1d         /* Ctrl-], as in Xen's xl and telnet */

/* How a session ended. */
#define XL_CONSOLE_DETACHED 0          /* Ctrl-] or end of our input */
#define XL_CONSOLE_CLOSED   1          /* the console went away */

/*
 * Attach stdin/stdout to tty_path: the terminal goes raw (Ctrl-C and the
 * like reach the guest) and is restored however the session ends.
 * XL_CONSOLE_DETACHED, XL_CONSOLE_CLOSED, or -errno.
 */
int xl_console_attach(const char *tty_path);

/* The same on given fds (tests use pipes and ptys). */
int xl_console_attach_fds(int in_fd, int out_fd, const char *tty_path);

/* Copy both ways until the escape byte, EOF on in_fd, or the tty closes. */
int xl_console_relay(int in_fd, int out_fd, int tty_fd);

/* How many of buf's bytes go to the guest: those before an escape byte. */
size_t xl_console_scan_escape(const char *buf, size_t len, bool *escaped);

/*
 * The console's pty name from xenstore, waiting up to timeout_ms for
 * xenconsoled to publish it (right after creation it may not be there yet).
 * 0 with *path malloc'd, or -errno (-ENOENT when it never appeared).
 */
int xl_console_find_tty(struct xs_handle *xs, unsigned int domid,
                        unsigned int timeout_ms, char **path);

#endif /* XL_CONSOLE_H */

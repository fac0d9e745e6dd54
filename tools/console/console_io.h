/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One guest console as xenconsoled serves it: the mapped ring, our event
 * channel port, a pty for `xl console`, a log file.  The pumping between
 * them lives here, apart from xenstore and the hypervisor, so that it can
 * be tested with an ordinary page of memory and a mocked evtchn_notify.
 */
#ifndef CONSOLE_IO_H
#define CONSOLE_IO_H

#include <stdbool.h>
#include <stdint.h>

#include <tonnerre/ctrl.h>

#include "console_ring.h"

struct console {
    struct console *next;
    unsigned int domid;
    char *name;                        /* for the log file name */
    struct xencons_interface *intf;    /* mapped guest page, or NULL */
    int local_port;                    /* bound event channel, or -1 */
    int master_fd, slave_fd;           /* pty; we hold the slave open so the
                                          master never sees a hangup */
    char *tty_path;                    /* the slave's name, for xenstore */
    int log_fd;                        /* -1: no log */
    bool broken;                       /* ring garbled: no longer served */
    bool seen;                         /* still in xenstore at the last scan */
};

/* Messages from the daemon (stderr; tests may silence it). */
extern bool console_quiet;
void console_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void console_init(struct console *c, unsigned int domid);

/* A raw-mode pty: master non-blocking, slave held open.  0 or -errno. */
int console_open_pty(struct console *c);

/* dir/guest-NAME.log (NAME made safe for a path), appending.  0 or -errno. */
int console_open_log(struct console *c, const char *dir);

/* The file name a console logs to in dir, malloc'd: guest-NAME.log. */
char *console_log_path(const char *dir, const char *name, unsigned int domid);

/*
 * Guest output to the log and pty; the guest is notified if space was made.
 * 0, or -EIO after the console was marked broken.
 */
int console_pump_out(struct console *c, struct evtchn_handle *e);

/* How much pty input the ring can take now (0 when full or broken). */
int console_in_room(struct console *c);

/*
 * pty input into the ring, no more than fits; the guest is notified.
 * 0, -EIO (broken), or -errno from the pty read.
 */
int console_pump_in(struct console *c, struct evtchn_handle *e);

/* Stop serving a console whose guest garbled its ring; others go on. */
void console_break(struct console *c, const char *why);

/* Close fds and free strings (the mapping and port are the caller's). */
void console_release(struct console *c);

#endif /* CONSOLE_IO_H */

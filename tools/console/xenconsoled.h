/* SPDX-License-Identifier: GPL-2.0 */
/* xenconsoled's daemon state and steps, exposed for its unit tests. */
#ifndef XENCONSOLED_H
#define XENCONSOLED_H

#include <tonnerre/ctrl.h>
#include <tonnerre/xs.h>

#include "console_io.h"

#define XENCONSOLED_LOG_DIR "/var/log/xen/console"

struct daemon {
    struct xs_handle *xs;
    struct ctrl_handle *ctrl;
    struct evtchn_handle *evtchn;
    const char *log_dir;
    struct console *consoles;
};

/* Serve every domU that has a console in xenstore; drop those that left. */
int daemon_scan(struct daemon *d);
/* Handle every fired event channel port. */
void daemon_handle_events(struct daemon *d);
struct console *daemon_find(struct daemon *d, unsigned int domid);
void daemon_teardown_all(struct daemon *d);
/* One poll round: watches, event channels, ptys.  0 or -errno (fatal). */
int daemon_run_once(struct daemon *d, int timeout_ms);
/* The daemon's command line and loop (main calls it). */
int xenconsoled_main(int argc, char **argv);

#endif /* XENCONSOLED_H */

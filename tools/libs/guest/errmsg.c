/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The builder's error reporting: one line of text for the caller to show,
 * since a bare errno cannot say which segment or which frame was wrong.
 */
#include <stdarg.h>
#include <stdio.h>

#include "guest_priv.h"

int builder_fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
    va_list ap;

    if ( err && errlen )
    {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return rc;
}

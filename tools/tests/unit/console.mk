# SPDX-License-Identifier: GPL-2.0
# The console core: ring buffer, line prefixes, loglvl filtering, panic.
TESTS += test_console
test_console-srcs := common/console.c common/vsprintf.c common/symbols.c common/params.c
test_console-cflags := -DCONFIG_CONRING_SHIFT=10 -Dvsnprintf=xen_vsnprintf -Dsnprintf=xen_snprintf

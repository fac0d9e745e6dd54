# SPDX-License-Identifier: GPL-2.0
# The console core: ring buffer, line prefixes, loglvl filtering (set through
# the real command-line parser), panic.  A 1 KiB ring makes wrapping cheap;
# a short panic lock wait keeps the panic-under-the-lock test fast.
TESTS += test_console
test_console-srcs := common/console.c common/vsprintf.c common/symbols.c \
                     common/params.c
test_console-cflags := -DCONFIG_CONRING_SHIFT=10 -DPANIC_LOCK_SPINS=1000 \
                       -Dvsnprintf=xen_vsnprintf -Dsnprintf=xen_snprintf

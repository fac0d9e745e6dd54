# SPDX-License-Identifier: GPL-2.0
# platform_op and physdev_op through the hypercall table (whose sources
# include arch/x86/platform_hypercall.c and physdev.c), over the real
# domains and heap, with a stub machine (platform_stubs.h).
TESTS += test_platform
test_platform-srcs := $(test_hypercall-srcs)
test_platform-cflags := $(test_hypercall-cflags)

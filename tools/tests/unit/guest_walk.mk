# SPDX-License-Identifier: GPL-2.0
# The guest page walker: every paging mode, faults and their error codes,
# Accessed/Dirty updates, and random tables that must never crash it.
TESTS += test_guest_walk
test_guest_walk-srcs := arch/x86/hvm/guest_walk.c
test_guest_walk-cflags := -I$(XEN)/arch/x86/include

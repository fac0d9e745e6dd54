# SPDX-License-Identifier: GPL-2.0
# The p2m in both formats (NPT, EPT): mappings of every size, splits, unmaps.
TESTS += test_p2m
test_p2m-srcs := arch/x86/mm/p2m-pt.c arch/x86/mm/p2m-npt.c arch/x86/mm/p2m-ept.c
test_p2m-cflags := -I$(XEN)/arch/x86/include

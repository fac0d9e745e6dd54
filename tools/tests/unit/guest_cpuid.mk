# SPDX-License-Identifier: GPL-2.0
# The CPUID policy guests see and the hypercall page.
TESTS += test_guest_cpuid
test_guest_cpuid-srcs := arch/x86/hvm/guest_cpuid.c
test_guest_cpuid-cflags := -I$(XEN)/arch/x86/include

# SPDX-License-Identifier: GPL-2.0
# Hypercall dispatch table and xen_version.
TESTS += test_hypercall
test_hypercall-srcs := common/hypercall.c common/version.c common/params.c

# SPDX-License-Identifier: GPL-2.0
# Domain life cycle and memory accounting, over the real heap.
TESTS += test_domain
test_domain-srcs := common/domain.c common/event_channel.c common/grant_table.c common/bootmem.c common/page_alloc.c common/xmalloc.c

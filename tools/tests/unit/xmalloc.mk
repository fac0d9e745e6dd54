# SPDX-License-Identifier: GPL-2.0
# Small-object allocator on top of the heap.
TESTS += test_xmalloc
test_xmalloc-srcs := common/bootmem.c common/page_alloc.c common/xmalloc.c

# SPDX-License-Identifier: GPL-2.0
# Boot allocator and buddy heap (frame table, zones, accounting, misuse).
TESTS += test_page_alloc
test_page_alloc-srcs := common/bootmem.c common/page_alloc.c

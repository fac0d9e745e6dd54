# SPDX-License-Identifier: GPL-2.0
# Grant tables v1: entries, map/unmap with pins and flags, maptrack.
TESTS += test_gnttab
test_gnttab-srcs := common/grant_table.c common/domain.c common/event_channel.c \
    common/bootmem.c common/page_alloc.c common/xmalloc.c

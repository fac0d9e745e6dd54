# SPDX-License-Identifier: GPL-2.0
# Grant tables v1 through grant_table_op: map/unmap into a fake p2m, copy,
# pins, entry flags, page references, maptrack, teardown of either side,
# batches across continuations (one TLB flush per chunk of unmaps).
TESTS += test_gnttab
test_gnttab-srcs := common/grant_table.c common/domain.c common/event_channel.c \
    common/bootmem.c common/page_alloc.c common/xmalloc.c

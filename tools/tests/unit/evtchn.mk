# SPDX-License-Identifier: GPL-2.0
# Event channels (2-level): binding state machine and delivery bits.
TESTS += test_evtchn
test_evtchn-srcs := common/event_channel.c common/grant_table.c common/domain.c common/bootmem.c \
    common/page_alloc.c common/xmalloc.c

# SPDX-License-Identifier: GPL-2.0
# Hypercall dispatch table and continuations, xen_version, console_io,
# sched_op, domctl and sysctl, over the real console, domains and heap.
TESTS += test_hypercall
test_hypercall-srcs := common/hypercall.c common/domctl.c common/sysctl.c common/sched/cpupool.c common/vcpu.c common/hvm_params.c common/memory.c common/version.c common/params.c \
    common/console.c common/vsprintf.c common/symbols.c common/schedule.c \
    common/event_channel.c common/grant_table.c \
    common/domain.c common/bootmem.c common/page_alloc.c common/xmalloc.c \
    arch/x86/platform_hypercall.c arch/x86/physdev.c
test_hypercall-cflags := -Dvsnprintf=xen_vsnprintf -Dsnprintf=xen_snprintf

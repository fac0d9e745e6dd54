# SPDX-License-Identifier: GPL-2.0
# Credit scheduler policy under a simulated clock.
TESTS += test_sched
test_sched-srcs := common/sched/credit.c

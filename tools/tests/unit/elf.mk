# SPDX-License-Identifier: GPL-2.0
# ELF guest-kernel parsing, Xen ELF notes, segment loading.
TESTS += test_elf
test_elf-srcs := common/elf.c

# SPDX-License-Identifier: GPL-2.0
# Multiboot2 parsing, memory-map sanitising, layout checks, image identification.
TESTS += test_multiboot2
test_multiboot2-srcs := common/multiboot2.c common/kernel_image.c common/unxz.c common/gunzip.c

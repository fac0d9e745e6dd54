# SPDX-License-Identifier: GPL-2.0
# XZ/LZMA2 (+ x86 BCJ) decompression, round-tripped against the host's xz.
TESTS += test_unxz
test_unxz-srcs := common/unxz.c

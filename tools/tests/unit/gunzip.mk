# SPDX-License-Identifier: GPL-2.0
# gzip/DEFLATE decompression of bzImage payloads: gzip-made and hand-built
# streams, truncation, bit flips and garbage.
TESTS += test_gunzip
test_gunzip-srcs := common/gunzip.c

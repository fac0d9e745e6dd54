# SPDX-License-Identifier: GPL-2.0
# The instruction decoder for MMIO emulation and intercept lengths: a table of
# real encodings, every truncation, and random bytes under ASan.
TESTS += test_insn_decode
test_insn_decode-srcs := arch/x86/hvm/insn_decode.c
test_insn_decode-cflags := -I$(XEN)/arch/x86/include

# SPDX-License-Identifier: GPL-2.0
# Command-line options and the com1= syntax.
TESTS += test_params
test_params-srcs := common/params.c drivers/char/serial_spec.c

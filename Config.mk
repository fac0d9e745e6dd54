# SPDX-License-Identifier: GPL-2.0
# Toolchain and flags shared by every sub-make.  Override on the command line,
# e.g. `make CROSS_COMPILE=x86_64-linux-gnu-`.

CROSS_COMPILE ?=
CC      := $(CROSS_COMPILE)gcc
LD      := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
NM      := $(CROSS_COMPILE)nm
HOSTCC  ?= gcc
PYTHON  ?= python3

# Warnings are errors everywhere: a warning is a bug we have not looked at yet.
WARN_CFLAGS := -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
               -Wno-unused-parameter

# Flags for code compiled on the host: unit tests and build tools.  Unit tests
# run under AddressSanitizer and UndefinedBehaviorSanitizer, and any report
# aborts the test.
HOST_CFLAGS := -std=gnu11 -g -O1 $(WARN_CFLAGS)
SAN_CFLAGS  := -fsanitize=address,undefined -fno-sanitize-recover=all \
               -fno-omit-frame-pointer

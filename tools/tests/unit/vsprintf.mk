# SPDX-License-Identifier: GPL-2.0
# vsnprintf against the host libc's, and the symbol lookup behind %pS.
# Renamed so the test can call both our vsnprintf and libc's.
TESTS += test_vsprintf
test_vsprintf-srcs := common/vsprintf.c common/symbols.c
test_vsprintf-cflags := -Dvsnprintf=xen_vsnprintf -Dsnprintf=xen_snprintf

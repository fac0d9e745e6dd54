# SPDX-License-Identifier: GPL-2.0
# vsnprintf and string.c against the host libc's, and the symbol table:
# xen/tools/symbols (nm output -> assembly) and the lookup behind %pS.
#
# Ours are renamed xen_* so one program can call both ours and libc's.  The
# renames apply to the whole program, so harness.c and vsprintf.c use our
# string functions too.
XEN_STRING_FNS := memcpy memmove memset memcmp memchr strlen strnlen strcmp \
                  strncmp strchr strrchr strlcpy strtoul strtoull

TESTS += test_vsprintf
test_vsprintf-srcs := common/vsprintf.c common/string.c common/symbols.c
test_vsprintf-cflags := -Dvsnprintf=xen_vsnprintf -Dsnprintf=xen_snprintf \
                        $(foreach f,$(XEN_STRING_FNS),-D$(f)=xen_$(f))

# The symbols tool runs at test time: the test feeds it nm output, assembles
# what it writes with the host compiler, and loads the result.
TESTS += test_symbols
test_symbols-srcs := common/symbols.c
test_symbols-cflags := -DSYMBOLS_TOOL='"$(O)/symbols-tool"' \
                       -DHOST_CC='"$(HOSTCC)"' -DTEST_TMPDIR='"$(O)"'
$(O)/test_symbols: $(O)/symbols-tool
$(O)/symbols-tool: $(XEN)/tools/symbols.c | $(O)
	@$(if $(Q),echo "  HOSTCC  symbols-tool")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(SAN_CFLAGS) -o $@ $<

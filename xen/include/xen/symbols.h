/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor's own symbol table, for stack traces and %pS.  The build
 * links the image twice: the second link carries a table of text symbols
 * made (xen/tools/symbols.c) from the first.
 */
#ifndef XEN_SYMBOLS_H
#define XEN_SYMBOLS_H

/*
 * Name of the function containing addr, with the offset into it and its
 * size (the distance to the next symbol); NULL if addr is not in the text.
 */
const char *symbols_lookup(unsigned long addr, unsigned long *offset,
                           unsigned long *size);

#endif /* XEN_SYMBOLS_H */

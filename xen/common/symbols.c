/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Address-to-name lookup over the table that xen/tools/symbols.c generates
 * at build time (layout described there).
 */
#include <xen/symbols.h>
#include <xen/types.h>

extern const unsigned long symbols_nr;
extern const unsigned long symbols_addrs[];
extern const uint32_t symbols_name_offs[];
extern const char symbols_names[];
extern const char _stext[], _etext[];

const char *symbols_lookup(unsigned long addr, unsigned long *offset,
                           unsigned long *size)
{
    unsigned long lo = 0, hi = symbols_nr, next;

    if ( addr < (unsigned long)_stext || addr >= (unsigned long)_etext ||
         !symbols_nr || addr < symbols_addrs[0] )
        return NULL;

    /* Find the last symbol at or below addr. */
    while ( hi - lo > 1 )
    {
        unsigned long mid = lo + (hi - lo) / 2;

        if ( symbols_addrs[mid] <= addr )
            lo = mid;
        else
            hi = mid;
    }
    next = lo + 1 < symbols_nr ? symbols_addrs[lo + 1] : (unsigned long)_etext;
    if ( offset )
        *offset = addr - symbols_addrs[lo];
    if ( size )
        *size = next - symbols_addrs[lo];
    return symbols_names + symbols_name_offs[lo];
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Linker script for the hypervisor image.  Linked at XEN_VIRT_START + 2 MiB
 * and loaded (ELF physical addresses) at 2 MiB.  Text, read-only data and
 * read-write data each start on a page boundary so the page tables can give
 * them different permissions (text RX, rodata R+NX, data RW+NX).
 */
#include <asm/page.h>

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(start32)

#define LOAD(x) AT(ADDR(x) - XEN_VIRT_START)

PHDRS
{
    text PT_LOAD FLAGS(5);
    rodata PT_LOAD FLAGS(4);
    data PT_LOAD FLAGS(6);
}

SECTIONS
{
    . = XEN_VIRT_START + XEN_PHYS_START;
    _start = .;

    .text : LOAD(.text)
    {
        _stext = .;
        *(.text.head)
        *(.text .text.*)
        *(.init.text)
        . = ALIGN(PAGE_SIZE);
        _etext = .;
    } :text

    .rodata : LOAD(.rodata)
    {
        _srodata = .;
        *(.rodata.head)
        *(.rodata .rodata.*)
        . = ALIGN(8);
        __start_xen_params = .;
        KEEP(*(xen_params))
        __stop_xen_params = .;
        . = ALIGN(8);
        __start_xen_initcalls = .;
        KEEP(*(xen_initcalls))
        __stop_xen_initcalls = .;
        /* The symbol table goes last so its size does not move code. */
        . = ALIGN(8);
        KEEP(*(.rodata.symbols))
        . = ALIGN(PAGE_SIZE);
        _erodata = .;
    } :rodata

    .data : LOAD(.data)
    {
        _sdata = .;
        *(.data.page_aligned)
        *(.data .data.*)
        *(.init.data)
        . = ALIGN(PAGE_SIZE);
        _edata = .;
    } :data

    .bss (NOLOAD) : LOAD(.bss)
    {
        __bss_start = .;
        *(.bss.stack)
        *(.bss.page_aligned)
        *(.bss .bss.* COMMON)
        . = ALIGN(PAGE_SIZE);
        __bss_end = .;
    } :data

    _end = .;

    /DISCARD/ : { *(.note.GNU-stack) *(.comment) *(.eh_frame) *(.note.gnu.*) }
}

ASSERT(_end - XEN_VIRT_START < 0x40000000, "image must fit in the first GiB")

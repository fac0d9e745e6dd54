/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multiboot2 entry point.
 *
 * GRUB enters in 32-bit protected mode with paging off, EAX holding the
 * Multiboot2 magic and EBX the physical address of the boot information
 * (Multiboot2 spec, "I386 machine state").  We check the CPU can do long
 * mode, switch to it on a small set of static page tables that identity map
 * the low 4 GiB and map the image at its link address, and call C.  The C code
 * builds the real page tables (with W^X and NX) and drops these.
 *
 * Until the jump to the high mapping, the code runs at its physical address,
 * so every symbol reference subtracts XEN_VIRT_START (the link offset).
 */
#include <asm/page.h>
#include <asm/desc.h>

#define MB2_HEADER_MAGIC   0xe85250d6
#define MB2_BOOT_MAGIC     0x36d76289
#define MB2_ARCH_I386      0
#define MB2_TAG_END        0
#define MB2_TAG_ENTRY      3

#define PHYS(sym)          ((sym) - XEN_VIRT_START)
#define COM1               0x3f8

        .section .text.head, "ax", @progbits
        .code32

/* The Multiboot2 header: 8-byte aligned, within the first 32 KiB. */
        .balign 8
mb2_header:
        .long   MB2_HEADER_MAGIC
        .long   MB2_ARCH_I386
        .long   mb2_header_end - mb2_header
        .long   0x100000000 - (MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
        /* Entry address tag: GRUB jumps here (physical) instead of e_entry. */
        .balign 8
        .short  MB2_TAG_ENTRY, 0
        .long   12
        .long   PHYS(start32)
        .balign 8
        .short  MB2_TAG_END, 0
        .long   8
mb2_header_end:

        .globl  start32
start32:
        cli
        cld
        mov     $PHYS(boot_stack_top), %esp

        cmp     $MB2_BOOT_MAGIC, %eax
        mov     $PHYS(msg_not_mb2), %esi
        jne     early_fail
        mov     %ebx, PHYS(multiboot_info_pa)

        /* Long mode needs CPUID leaf 0x80000001 EDX.LM (bit 29). */
        mov     $0x80000000, %eax
        cpuid
        mov     $PHYS(msg_no_lm), %esi
        cmp     $0x80000001, %eax
        jb      early_fail
        mov     $0x80000001, %eax
        cpuid
        bt      $29, %edx
        jnc     early_fail

        /* CR4.PAE, then the page tables, then EFER.LME, then CR0.PG. */
        mov     %cr4, %eax
        or      $(1 << 5), %eax
        mov     %eax, %cr4
        mov     $PHYS(boot_pml4), %eax
        mov     %eax, %cr3
        mov     $0xc0000080, %ecx
        rdmsr
        or      $(1 << 8), %eax
        wrmsr
        mov     %cr0, %eax
        or      $0x80010001, %eax          /* PG | WP | PE */
        mov     %eax, %cr0

        lgdt    PHYS(boot_gdt_desc)
        ljmp    $__HYPERVISOR_CS, $PHYS(start64_low)

/*
 * Print the NUL-terminated string at ESI on COM1 (polled, 115200 8n1 as the
 * bootloader most likely left it) and halt: without long mode there is
 * nothing else we can do, and a clear message beats a silent reset.
 */
early_fail:
        mov     $COM1 + 5, %dx
1:      inb     %dx, %al
        test    $0x20, %al
        jz      1b
        mov     $COM1, %dx
        lodsb
        test    %al, %al
        jz      2f
        outb    %al, %dx
        jmp     early_fail
2:      hlt
        jmp     2b

        .code64
start64_low:
        /* Still on the identity map: jump to the link address. */
        movabs  $start64_high, %rax
        jmp     *%rax

        .text
start64_high:
        mov     $__HYPERVISOR_DS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        xor     %eax, %eax
        mov     %eax, %fs
        mov     %eax, %gs
        movabs  $boot_stack_top, %rsp
        xor     %ebp, %ebp               /* terminates stack traces */
        mov     multiboot_info_pa(%rip), %edi
        call    __start_xen
        ud2

        .section .rodata.head, "a", @progbits
msg_not_mb2:
        .asciz  "Tonnerre: not started by a Multiboot2 loader; halting.\r\n"
msg_no_lm:
        .asciz  "Tonnerre: this CPU has no 64-bit long mode; halting.\r\n"

        .data
        .balign 8
        .globl  multiboot_info_pa
multiboot_info_pa:
        .long   0, 0

        .balign 16
boot_gdt:
        .quad   0
        .quad   0x00af9a000000ffff        /* 0x08: 64-bit ring-0 code */
        .quad   0x00cf92000000ffff        /* 0x10: ring-0 data */
boot_gdt_end:
boot_gdt_desc:
        .short  boot_gdt_end - boot_gdt - 1
        .long   PHYS(boot_gdt)

/*
 * Boot page tables.  PML4[0] identity maps 0-4 GiB with 2 MiB pages (the
 * Multiboot2 information and modules are below 4 GiB); PML4[511] maps the
 * top 2 GiB of the address space onto physical 0-1 GiB, which holds the
 * image at XEN_VIRT_START + 2 MiB.
 */
        .section .data.page_aligned, "aw", @progbits
        .balign PAGE_SIZE
        .globl  boot_pml4
boot_pml4:
        .quad   PHYS(boot_l3_ident) + 0x003
        .fill   510, 8, 0
        .quad   PHYS(boot_l3_high) + 0x003
boot_l3_ident:
        .quad   PHYS(boot_l2_ident) + 0x0000 + 0x003
        .quad   PHYS(boot_l2_ident) + 0x1000 + 0x003
        .quad   PHYS(boot_l2_ident) + 0x2000 + 0x003
        .quad   PHYS(boot_l2_ident) + 0x3000 + 0x003
        .fill   508, 8, 0
boot_l3_high:
        .fill   510, 8, 0
        .quad   PHYS(boot_l2_ident) + 0x003
        .quad   0
boot_l2_ident:
        .set    i, 0
        .rept   2048
        .quad   (i << 21) + 0x083       /* present, writable, 2 MiB */
        .set    i, i + 1
        .endr

        .section .bss.stack, "aw", @nobits
        .balign PAGE_SIZE
        .globl  boot_stack, boot_stack_top
boot_stack:
        .skip   4 * PAGE_SIZE
boot_stack_top:

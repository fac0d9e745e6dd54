/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Secondary-CPU startup trampoline.
 *
 * The BSP copies [trampoline_start, trampoline_end) to a page below 1 MiB and
 * starts each AP there with INIT-SIPI-SIPI: the AP begins in real mode with
 * CS = page >> 4 and IP = 0 (Intel SDM vol. 3, 8.4.4).  It enters protected
 * mode, then long mode on the static boot page tables (which identity map
 * the low 4 GiB and map the image), jumps to the image and switches to the
 * final page tables there.  The BSP patches the three physical addresses
 * marked below after copying.  Selectors match the hypervisor's GDT: 0x08
 * is 64-bit code, 0x10 data, so nothing has to be reloaded after lgdt.
 */
#include <asm/desc.h>
#include <asm/page.h>

#define PHYS(sym)  ((sym) - XEN_VIRT_START)
#define OFF(sym)   ((sym) - trampoline_start)
#define TRAMP_CODE32 0x18

        .section .rodata.trampoline, "a", @progbits
        .code16
        .balign 16
        .globl  trampoline_start
trampoline_start:
        cli
        cld
        mov     %cs, %ax
        mov     %ax, %ds
        lgdtl   OFF(tramp_gdt_desc)
        mov     %cr0, %eax
        or      $1, %eax                       /* PE */
        mov     %eax, %cr0
        /* ljmpl $TRAMP_CODE32, $(page + OFF(tramp32)): target patched */
        .byte   0x66, 0xea
        .globl  tramp_patch_jmp32
tramp_patch_jmp32:
        .long   0
        .short  TRAMP_CODE32

        .code32
tramp32:
        mov     $__HYPERVISOR_DS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        mov     %cr4, %eax
        or      $(1 << 5), %eax                /* PAE */
        mov     %eax, %cr4
        mov     $PHYS(boot_pml4), %eax
        mov     %eax, %cr3
        mov     $0xc0000080, %ecx
        rdmsr
        or      $((1 << 8) | (1 << 11)), %eax  /* LME | NXE: final tables use NX */
        wrmsr
        mov     %cr0, %eax
        or      $0x80010021, %eax              /* PG | WP | NE | PE */
        mov     %eax, %cr0
        /* ljmp $__HYPERVISOR_CS, $(page + OFF(tramp64)): target patched */
        .byte   0xea
        .globl  tramp_patch_jmp64
tramp_patch_jmp64:
        .long   0
        .short  __HYPERVISOR_CS

        .code64
tramp64:
        movabs  $ap_start64, %rax
        jmp     *%rax

        .balign 16
tramp_gdt:
        .quad   0
        .quad   0x00af9a000000ffff             /* 0x08: 64-bit code */
        .quad   0x00cf92000000ffff             /* 0x10: data */
        .quad   0x00cf9a000000ffff             /* 0x18: 32-bit code */
tramp_gdt_end:
tramp_gdt_desc:
        .short  tramp_gdt_end - tramp_gdt - 1
        .globl  tramp_patch_gdt
tramp_patch_gdt:
        .long   0
        .globl  trampoline_end
trampoline_end:

        .globl  tramp_off_jmp32, tramp_off_jmp64, tramp_off_gdt
        .globl  tramp_off_tramp32, tramp_off_tramp64, tramp_off_gdt_table
        .set    tramp_off_jmp32, OFF(tramp_patch_jmp32)
        .set    tramp_off_jmp64, OFF(tramp_patch_jmp64)
        .set    tramp_off_gdt, OFF(tramp_patch_gdt)
        .set    tramp_off_tramp32, OFF(tramp32)
        .set    tramp_off_tramp64, OFF(tramp64)
        .set    tramp_off_gdt_table, OFF(tramp_gdt)

/* In the image proper, on the boot page tables: switch to the final ones. */
        .text
ap_start64:
        mov     idle_pg_table_maddr(%rip), %rax
        mov     %rax, %cr3
        mov     ap_boot_stack(%rip), %rsp
        xor     %ebp, %ebp
        mov     ap_boot_cpu(%rip), %edi
        call    start_secondary
        ud2

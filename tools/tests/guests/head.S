/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PVH entry of the test guest.  Xen starts vCPU 0 at the PHYS32_ENTRY note
 * in 32-bit flat protected mode, paging off, interrupts off, with EBX
 * holding the guest-physical address of struct hvm_start_info and no stack.
 * We identity-map the first 4 GiB with 2 MiB pages, enter long mode and
 * call guest_main(start_info_pa).  Also: the exception, timer and IPI
 * stubs, and the 64-bit entry of secondary vCPUs (ap_entry64).
 */
#include <public/elfnote.h>

/* One Xen ELF note: namesz, descsz, type, "Xen\0", desc, padded to 4. */
#define ELFNOTE(type, desc...)                                  \
    .pushsection .note.Xen, "a";                                \
    .p2align 2;                                                 \
    .long 2f - 1f;                                              \
    .long 4f - 3f;                                              \
    .long type;                                                 \
1:  .asciz "Xen";                                               \
2:  .p2align 2;                                                 \
3:  desc;                                                       \
4:  .p2align 2;                                                 \
    .popsection

ELFNOTE(XEN_ELFNOTE_PHYS32_ENTRY, .long start32)
ELFNOTE(XEN_ELFNOTE_GUEST_OS,     .asciz "tonnerre-testguest")
ELFNOTE(XEN_ELFNOTE_XEN_VERSION,  .asciz "xen-3.0")
ELFNOTE(XEN_ELFNOTE_LOADER,       .asciz "generic")

#define CR0_PE      0x00000001
#define CR0_PG      0x80000000
#define CR4_PAE     0x00000020
#define MSR_EFER    0xc0000080
#define EFER_LME    0x00000100
#define PDE_2M      0x83            /* present, writable, 2 MiB page */
#define PTE_TABLE   0x03            /* present, writable */

    .section .text.head, "ax"
    .code32
    .globl start32
start32:
    cld
    /* Zero .bss (stack and page tables live there); EBX survives. */
    mov     $__bss_start, %edi
    mov     $__bss_end, %ecx
    sub     %edi, %ecx
    xor     %eax, %eax
    rep stosb
    mov     $stack_top, %esp
    pushl   $2                      /* EFLAGS: only the fixed bit */
    popfl

    /* PML4[0] -> pdpt; pdpt[0..3] -> pd[0..3]; pd: 2048 x 2 MiB. */
    mov     $pdpt + PTE_TABLE, %eax
    mov     %eax, pml4
    mov     $pd + PTE_TABLE, %eax
    xor     %ecx, %ecx
1:  mov     %eax, pdpt(,%ecx,8)
    add     $0x1000, %eax
    inc     %ecx
    cmp     $4, %ecx
    jb      1b
    xor     %ecx, %ecx
1:  mov     %ecx, %eax
    shl     $21, %eax
    or      $PDE_2M, %eax
    mov     %eax, pd(,%ecx,8)       /* high half stays 0 */
    inc     %ecx
    cmp     $2048, %ecx
    jb      1b

    mov     %cr4, %eax
    or      $CR4_PAE, %eax
    mov     %eax, %cr4
    mov     $pml4, %eax
    mov     %eax, %cr3
    mov     $MSR_EFER, %ecx
    rdmsr
    or      $EFER_LME, %eax
    wrmsr
    mov     %cr0, %eax
    or      $(CR0_PG | CR0_PE), %eax
    mov     %eax, %cr0

    lgdt    gdt_desc
    ljmp    $0x08, $start64

    .code64
start64:
    mov     $0x10, %eax
    mov     %eax, %ds
    mov     %eax, %es
    mov     %eax, %ss
    xor     %eax, %eax
    mov     %eax, %fs
    mov     %eax, %gs
    mov     $stack_top, %rsp
    mov     %ebx, %edi              /* zero-extends: start_info_pa */
    call    guest_main
1:  cli
    hlt
    jmp     1b

/*
 * Exceptions 0-31: push a zero error code where the CPU does not, then the
 * vector, and go to exc_common, which saves every GPR and calls
 * exc_report(struct exc_frame *).  The CPU aligned RSP to 16 before its
 * 5-word frame; 2 + 15 pushes leave it 16-aligned for the call.
 */
    .text
    .p2align 4
exc_common:
    push    %rax
    push    %rbx
    push    %rcx
    push    %rdx
    push    %rsi
    push    %rdi
    push    %rbp
    push    %r8
    push    %r9
    push    %r10
    push    %r11
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    mov     %rsp, %rdi
    cld
    call    exc_report
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %r11
    pop     %r10
    pop     %r9
    pop     %r8
    pop     %rbp
    pop     %rdi
    pop     %rsi
    pop     %rdx
    pop     %rcx
    pop     %rbx
    pop     %rax
    add     $16, %rsp               /* vector, error code */
    iretq

/* Vectors whose exception pushes an error code: 8 10-14 17 21 29 30. */
#define HAS_ERRCODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
                        (v) == 21 || (v) == 29 || (v) == 30)

    .macro exc_stub vec
    .p2align 4
exc_stub_\vec:
    .if !HAS_ERRCODE(\vec)
    push    $0
    .endif
    push    $\vec
    jmp     exc_common
    .endm

    .altmacro
    .macro exc_stubs_all
    .set v, 0
    .rept 32
    exc_stub %v
    .set v, v + 1
    .endr
    .endm
    exc_stubs_all

    .macro exc_stub_addr vec
    .quad exc_stub_\vec
    .endm
    .noaltmacro

    .section .rodata
    .p2align 3
    .globl exc_stubs
exc_stubs:
    .altmacro
    .set v, 0
    .rept 32
    exc_stub_addr %v
    .set v, v + 1
    .endr
    .noaltmacro

/* Vector 0x40, the local APIC timer: save the caller-saved GPRs (9 pushes
 * after the CPU's 5 leave RSP 16-aligned), call timer_irq(), iretq. */
    .text
    .p2align 4
    .globl timer_stub
timer_stub:
    push    %rax
    push    %rcx
    push    %rdx
    push    %rsi
    push    %rdi
    push    %r8
    push    %r9
    push    %r10
    push    %r11
    cld
    call    timer_irq
    pop     %r11
    pop     %r10
    pop     %r9
    pop     %r8
    pop     %rdi
    pop     %rsi
    pop     %rdx
    pop     %rcx
    pop     %rax
    iretq

/* Vectors 0x41-0x43 (IPIs, self-IPIs): as timer_stub, but each calls
 * apic_irq(vector). */
    .macro irq_stub vec
    .p2align 4
    .globl irq_stub_\vec
irq_stub_\vec:
    push    %rax
    push    %rcx
    push    %rdx
    push    %rsi
    push    %rdi
    push    %r8
    push    %r9
    push    %r10
    push    %r11
    cld
    mov     $\vec, %edi
    call    apic_irq
    pop     %r11
    pop     %r10
    pop     %r9
    pop     %r8
    pop     %rdi
    pop     %rsi
    pop     %rdx
    pop     %rcx
    pop     %rax
    iretq
    .endm
    irq_stub 0x41
    irq_stub 0x42
    irq_stub 0x43

/* Vector 0x50, the event-channel upcall (HVM_PARAM_CALLBACK_IRQ type
 * vector): not a LAPIC interrupt, so evtchn_upcall() sends no EOI. */
    .p2align 4
    .globl upcall_stub
upcall_stub:
    push    %rax
    push    %rcx
    push    %rdx
    push    %rsi
    push    %rdi
    push    %r8
    push    %r9
    push    %r10
    push    %r11
    cld
    call    evtchn_upcall
    pop     %r11
    pop     %r10
    pop     %r9
    pop     %r8
    pop     %rdi
    pop     %rsi
    pop     %rdx
    pop     %rcx
    pop     %rax
    iretq

/*
 * Secondary vCPUs start here after VCPUOP_initialise (VCPU_HVM_MODE_64B)
 * and VCPUOP_up: long mode on the BSP's page tables, flat segments chosen
 * by the hypervisor, RSP at the top of their own 16-aligned stack, IF=0.
 * Load our GDT and reload every segment register, then ap_main() (which
 * loads the IDT); it must not return, but if it does: cli; hlt takes the
 * vCPU down.
 */
    .text
    .p2align 4
    .globl ap_entry64
ap_entry64:
    cld
    lgdt    gdt_desc64(%rip)
    lea     1f(%rip), %rax
    pushq   $0x08
    push    %rax
    lretq
1:  mov     $0x10, %eax
    mov     %eax, %ds
    mov     %eax, %es
    mov     %eax, %ss
    xor     %eax, %eax
    mov     %eax, %fs
    mov     %eax, %gs
    call    ap_main
2:  cli
    hlt
    jmp     2b

    .section .rodata
    .p2align 3
gdt:
    .quad   0                       /* null */
    .quad   0x00af9b000000ffff      /* 0x08: 64-bit code, DPL 0, accessed */
    .quad   0x00cf93000000ffff      /* 0x10: flat data, accessed */
gdt_end:
gdt_desc:
    .word   gdt_end - gdt - 1
    .long   gdt
    .p2align 3
gdt_desc64:                         /* the same GDT, for lgdt in long mode */
    .word   gdt_end - gdt - 1
    .quad   gdt

    .section .bss
    .p2align 12
pml4:   .skip 0x1000
pdpt:   .skip 0x1000
pd:     .skip 0x4000
stack:  .skip 0x4000
stack_top:

    .section .note.GNU-stack, "", @progbits

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt and exception entry.  One 16-byte stub per IDT vector pushes a
 * zero error code when the CPU does not push one (Intel SDM vol. 3, table
 * 6-1), then the vector number, and joins the common path, which saves the
 * general registers as a struct cpu_user_regs and calls do_trap().
 */
#include <asm/desc.h>

        .text
        .balign 16
        .globl  trap_stubs
trap_stubs:
        .set    vec, 0
        .rept   256
        .balign 16
        .if     (vec == 8) || (vec == 10) || (vec == 11) || (vec == 12) || \
                (vec == 13) || (vec == 14) || (vec == 17) || (vec == 21) || \
                (vec == 29) || (vec == 30)
        /* the CPU pushed an error code */
        .else
        pushq   $0
        .endif
        pushq   $vec
        jmp     trap_common
        .set    vec, vec + 1
        .endr

trap_common:
        push    %rdi
        push    %rsi
        push    %rdx
        push    %rcx
        push    %rax
        push    %r8
        push    %r9
        push    %r10
        push    %r11
        push    %rbx
        push    %rbp
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        cld
        mov     %rsp, %rdi
        call    do_trap
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbp
        pop     %rbx
        pop     %r11
        pop     %r10
        pop     %r9
        pop     %r8
        pop     %rax
        pop     %rcx
        pop     %rdx
        pop     %rsi
        pop     %rdi
        add     $16, %rsp               /* vector and error code */
        iretq

/*
 * switch_stack_and_call(new_rsp, fn, arg): continue on another stack.  Used
 * once per CPU to leave the boot stack for the CPU's guarded stack; fn must
 * not return.  RBP is cleared so stack traces stop at fn.
 */
        .globl  switch_stack_and_call
switch_stack_and_call:
        mov     %rdi, %rsp
        mov     %rdx, %rdi
        xor     %ebp, %ebp
        push    $0                      /* fake return address */
        jmp     *%rsi

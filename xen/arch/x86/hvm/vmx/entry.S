/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMX world switch: vmx_vmenter(regs, launched).
 *
 * VM entry loads the guest's RSP, RIP, RFLAGS, segments and control
 * registers from the VMCS; the general registers and CR2 are ours to
 * switch.  A VM exit lands at vmx_vmexit (HOST_RIP) with RSP = HOST_RSP,
 * which points at the saved `regs` pointer, with interrupts off (RFLAGS
 * is reset to 2), so the caller decides when the host takes a pending
 * interrupt.  A VMLAUNCH/VMRESUME that fails falls through instead:
 * returns 1 (VMfailInvalid, CF) or 2 (VMfailValid, ZF, the reason is in
 * VM_INSTRUCTION_ERROR); 0 means the guest ran and exited.
 */
#define HOST_RSP 0x6c14

        .text
        .globl  vmx_vmenter
vmx_vmenter:
        push    %rbp
        mov     %rsp, %rbp
        push    %rbx
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        push    %rdi                    /* regs, found again at the exit */

        mov     $HOST_RSP, %eax
        vmwrite %rsp, %rax
        mov     0x78(%rdi), %rax        /* guest CR2 */
        mov     %rax, %cr2

        cmpl    $0, %esi                /* launched? (MOVs keep the flags) */
        mov     0x70(%rdi), %rax
        mov     0x00(%rdi), %rbx
        mov     0x08(%rdi), %rcx
        mov     0x10(%rdi), %rdx
        mov     0x18(%rdi), %rsi
        mov     0x28(%rdi), %rbp
        mov     0x30(%rdi), %r8
        mov     0x38(%rdi), %r9
        mov     0x40(%rdi), %r10
        mov     0x48(%rdi), %r11
        mov     0x50(%rdi), %r12
        mov     0x58(%rdi), %r13
        mov     0x60(%rdi), %r14
        mov     0x68(%rdi), %r15
        mov     0x20(%rdi), %rdi
        jne     1f
        vmlaunch
        jmp     2f
1:      vmresume
2:
        /* Still here: the entry failed.  Report which way. */
        mov     $1, %eax
        jc      3f
        mov     $2, %eax
3:      pop     %rdi
        jmp     4f

        .globl  vmx_vmexit
vmx_vmexit:
        push    %rdi                    /* guest RDI; regs is just above */
        mov     8(%rsp), %rdi
        mov     %rax, 0x70(%rdi)
        mov     %rbx, 0x00(%rdi)
        mov     %rcx, 0x08(%rdi)
        mov     %rdx, 0x10(%rdi)
        mov     %rsi, 0x18(%rdi)
        mov     %rbp, 0x28(%rdi)
        mov     %r8, 0x30(%rdi)
        mov     %r9, 0x38(%rdi)
        mov     %r10, 0x40(%rdi)
        mov     %r11, 0x48(%rdi)
        mov     %r12, 0x50(%rdi)
        mov     %r13, 0x58(%rdi)
        mov     %r14, 0x60(%rdi)
        mov     %r15, 0x68(%rdi)
        pop     %rax
        mov     %rax, 0x20(%rdi)
        mov     %cr2, %rax
        mov     %rax, 0x78(%rdi)
        pop     %rdi                    /* regs */
        xor     %eax, %eax
4:      pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbx
        pop     %rbp
        ret

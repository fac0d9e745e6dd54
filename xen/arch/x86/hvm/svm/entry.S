/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SVM world switch: svm_vmrun(vmcb_pa, regs, host_save_pa).
 *
 * VMRUN switches only part of the state (APM vol. 2, 15.5): FS, GS, TR,
 * LDTR, KernelGSBase, STAR/LSTAR/CSTAR/SFMASK and SYSENTER_* belong to
 * VMLOAD/VMSAVE.  So: with GIF clear (no interrupt may run on the
 * half-switched state), VMSAVE the host's copy of those registers, VMLOAD
 * the guest's, VMRUN, VMSAVE the guest's, VMLOAD the host's back, then STGI
 * so a pending physical interrupt is taken (in the host) right away.  The
 * guest VMCB is VMLOADed only after it was set up or VMSAVEd into, never
 * stale (see shared/EMULATORS.md on Xen 4.17's FS-base losses).
 * General registers other than RAX and RSP are ours to switch.
 */
        .text
        .globl  svm_vmrun
svm_vmrun:
        push    %rbp
        mov     %rsp, %rbp
        push    %rbx
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        push    %rsi                    /* regs, needed after the exit */
        push    %rdx                    /* host save area */
        push    %rdi                    /* guest VMCB */

        /*
         * With GIF clear, STI only lets a physical interrupt become
         * pending: it is taken by a #VMEXIT once the guest runs, or right
         * after STGI below, never on the half-switched state.
         */
        clgi
        sti
        mov     %rdx, %rax
        vmsave
        mov     %rdi, %rax
        vmload

        /* Guest GPRs; RSI last since it points at them. */
        mov     0x00(%rsi), %rbx
        mov     0x08(%rsi), %rcx
        mov     0x10(%rsi), %rdx
        mov     0x20(%rsi), %rdi
        mov     0x28(%rsi), %rbp
        mov     0x30(%rsi), %r8
        mov     0x38(%rsi), %r9
        mov     0x40(%rsi), %r10
        mov     0x48(%rsi), %r11
        mov     0x50(%rsi), %r12
        mov     0x58(%rsi), %r13
        mov     0x60(%rsi), %r14
        mov     0x68(%rsi), %r15
        mov     0x18(%rsi), %rsi

        vmrun                           /* RAX = guest VMCB */

        /* Back from the guest: stash its RSI, find regs again. */
        push    %rsi
        mov     24(%rsp), %rsi          /* regs (below: vmcb, host save) */
        mov     %rbx, 0x00(%rsi)
        mov     %rcx, 0x08(%rsi)
        mov     %rdx, 0x10(%rsi)
        pop     %rcx
        mov     %rcx, 0x18(%rsi)
        mov     %rdi, 0x20(%rsi)
        mov     %rbp, 0x28(%rsi)
        mov     %r8, 0x30(%rsi)
        mov     %r9, 0x38(%rsi)
        mov     %r10, 0x40(%rsi)
        mov     %r11, 0x48(%rsi)
        mov     %r12, 0x50(%rsi)
        mov     %r13, 0x58(%rsi)
        mov     %r14, 0x60(%rsi)
        mov     %r15, 0x68(%rsi)

        pop     %rax                    /* guest VMCB */
        vmsave
        pop     %rax                    /* host save area */
        vmload
        stgi

        pop     %rsi
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbx
        pop     %rbp
        ret

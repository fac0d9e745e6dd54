/* SPDX-License-Identifier: GPL-2.0 */
/* Finding Xen through CPUID and installing the hypercall page. */
#include "guest.h"

uint32_t xen_base, xen_max_leaf, hypercall_msr;
uint8_t hypercall_page[4096] __attribute__((aligned(4096)));
static int page_installed;

/* Hypervisor leaves may sit at any 0x100 step (Viridian first, etc.). */
int xen_detect(void)
{
    uint32_t base, a, b, c, d;

    for (base = XEN_CPUID_FIRST_LEAF; base < 0x40010000; base += 0x100) {
        cpuid(base, 0, &a, &b, &c, &d);
        if (b == XEN_CPUID_SIGNATURE_EBX && c == XEN_CPUID_SIGNATURE_ECX &&
            d == XEN_CPUID_SIGNATURE_EDX && a >= base + 2) {
            xen_base = base;
            xen_max_leaf = a;
            return 1;
        }
    }
    return 0;
}

/* Leaf base+2: EAX pages, EBX the MSR taking the page's physical address. */
int hypercall_init(void)
{
    uint32_t pages, c, d;

    cpuid(xen_base + 2, 0, &pages, &hypercall_msr, &c, &d);
    if (pages < 1)
        return 0;
    wrmsr(hypercall_msr, (uint64_t)(uintptr_t)hypercall_page);
    page_installed = hypercall_page_ok();
    return page_installed;
}

/* The hypervisor filled the page: the first stub is not all zeroes. */
int hypercall_page_ok(void)
{
    for (int i = 0; i < 32; i++)
        if (hypercall_page[i])
            return 1;
    return 0;
}

/* 64-bit hypercall: call stub nr; args in RDI RSI RDX R10 R8; result RAX. */
long hypercall(unsigned int nr, uint64_t a1, uint64_t a2, uint64_t a3,
               uint64_t a4, uint64_t a5)
{
    register uint64_t r10 asm("r10") = a4;
    register uint64_t r8 asm("r8") = a5;
    void *stub = hypercall_page + (nr % 128) * 32;
    long ret;

    if (!page_installed)
        return -ENOSYS;
    asm volatile("call *%[stub]"
                 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                 : [stub] "r"(stub)
                 : "memory", "rcx", "r11", "r9");
    return ret;
}

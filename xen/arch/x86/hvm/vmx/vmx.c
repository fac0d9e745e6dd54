/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intel VT-x: not implemented yet.  The table exists so the backend can
 * be chosen; it reports that VMX is not available.
 */
#include <xen/lib.h>
#include <asm/hvm/hvm.h>

static void vmx_init_this_cpu(void)
{
}

static void vmx_print_features(void)
{
    printk("VMX: not available (not implemented)\n");
}

const struct hvm_funcs vmx_funcs = {
    .name = "vmx",
    .init_this_cpu = vmx_init_this_cpu,
    .print_features = vmx_print_features,
};

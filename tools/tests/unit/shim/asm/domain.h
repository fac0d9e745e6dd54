/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host unit-test stand-in for asm/domain.h: the common code under test
 * never looks inside the arch parts of a domain or vCPU.
 */
#ifndef SHIM_ASM_DOMAIN_H
#define SHIM_ASM_DOMAIN_H

struct arch_domain {
    int unused;
};

struct arch_vcpu {
    int unused;
};

#endif

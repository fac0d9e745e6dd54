/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building domains: the arch pieces (hvm/domain.c) and the PVH builder
 * that turns boot modules into running domains (pvh_build.c).
 */
#ifndef ASM_HVM_DOMAIN_BUILD_H
#define ASM_HVM_DOMAIN_BUILD_H

#include <xen/types.h>

struct domain;
struct boot_info;

int arch_populate_ram(struct domain *d, unsigned long gfn, unsigned long nr);

/*
 * Module 0 becomes dom0, with the next module as its initrd unless that
 * one is a kernel too; every further kernel module becomes another domain
 * (a boot-time domU), each with its own initrd likewise.  A module that
 * cannot be built panics with its name if it is dom0's, else is skipped
 * with the reason.
 */
void pvh_build_boot_domains(const struct boot_info *bi);

#endif

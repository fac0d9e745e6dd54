/* SPDX-License-Identifier: GPL-2.0 */
/*
 * builder_build_pvh() end to end against the fake hypervisor: what ends up
 * in the guest's memory, its HVM parameters and its first vCPU.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake_xen.h"
#include "guest_priv.h"
#include "synth.h"

#define DOMID     5
#define MEM_MIB   64
#define RD_LEN    10001u

struct env {
    struct fake_xen fx;
    char kernel[32], ramdisk[32];
    struct synth_elf elf;
    uint8_t *rd;
    char err[256];
};

static void write_temp(char *path, const void *data, size_t len)
{
    strcpy(path, "/tmp/tn-pvh-XXXXXX");
    int fd = mkstemp(path);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
}

static int setup(void **state)
{
    struct env *e = calloc(1, sizeof(*e));
    size_t elen, blen;
    uint8_t *elf, *bz;

    if ( !e || fake_xen_init(&e->fx, DOMID, (MEM_MIB << 20) / GUEST_PAGE_SIZE) )
        return -1;
    synth_default(&e->elf);
    elf = synth_build_elf(&e->elf, &elen);
    bz = synth_build_bzimage(elf, elen, SYNTH_XZ, &blen);
    write_temp(e->kernel, bz, blen);
    free(elf);
    free(bz);

    e->rd = malloc(RD_LEN);
    for ( unsigned int i = 0; i < RD_LEN; i++ )
        e->rd[i] = (uint8_t)(i * 7 + 3);
    write_temp(e->ramdisk, e->rd, RD_LEN);
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    struct env *e = *state;

    unlink(e->kernel);
    unlink(e->ramdisk);
    free(e->rd);
    fake_xen_fini(&e->fx);
    free(e);
    return 0;
}

static struct builder_args default_args(struct env *e)
{
    return (struct builder_args){
        .domid = DOMID, .mem_kib = MEM_MIB * 1024, .vcpus = 1,
        .kernel = e->kernel, .ramdisk = e->ramdisk, .cmdline = "console=hvc0 quiet",
        .store_evtchn = 3, .console_evtchn = 4,
    };
}

static int build(struct env *e, struct builder_args *a)
{
    e->err[0] = 0;
    return builder_build_pvh(e->fx.h, a, e->err, sizeof(e->err));
}

static bool all_zero(const uint8_t *p, size_t len)
{
    for ( size_t i = 0; i < len; i++ )
        if ( p[i] )
            return false;
    return true;
}

static void test_build_populates_and_loads(void **state)
{
    struct env *e = *state;
    struct builder_args a = default_args(e);

    if ( build(e, &a) )
        fail_msg("build failed: %s", e->err);

    /* Every RAM frame and the 8 special frames, nothing else. */
    assert_int_equal(e->fx.nr_populated, (MEM_MIB << 20) / GUEST_PAGE_SIZE + 8);

    /* Kernel segments at their physical addresses, bss and gaps cleared. */
    const uint8_t *k = fake_xen_phys(&e->fx, 0x1000000, 0x5000);
    assert_non_null(k);
    assert_int_equal(k[0], 0x10);
    assert_int_equal(k[0x2344], (uint8_t)(0x10 + 0x2344));
    assert_true(all_zero(k + 0x2345, 0x3000 - 0x2345));
    assert_int_equal(k[0x3000], 0x80);
    assert_true(all_zero(k + 0x3800, 0x1000));
}

static void test_build_start_info_and_vcpu(void **state)
{
    struct env *e = *state;
    struct builder_args a = default_args(e);
    struct hvm_start_info si;
    struct hvm_modlist_entry mod;

    if ( build(e, &a) )
        fail_msg("build failed: %s", e->err);

    /* vCPU 0: the PVH entry with %ebx at the start info. */
    assert_true(e->fx.vcpu_started);
    assert_int_equal(e->fx.vcpu.mode, VCPU_HVM_MODE_32B);
    assert_int_equal(e->fx.vcpu.cpu_regs.x86_32.eip, e->elf.entry);
    uint32_t info = e->fx.vcpu.cpu_regs.x86_32.ebx;
    assert_int_equal(info % GUEST_PAGE_SIZE, 0);
    assert_true(info >= 0x1004800);

    memcpy(&si, fake_xen_phys(&e->fx, info, sizeof(si)), sizeof(si));
    assert_int_equal(si.magic, XEN_HVM_START_MAGIC_VALUE);
    assert_int_equal(si.version, 1);
    assert_int_equal(si.nr_modules, 1);
    assert_string_equal((char *)fake_xen_phys(&e->fx, si.cmdline_paddr, 32), "console=hvc0 quiet");
    assert_int_equal(si.memmap_entries, 2);

    /* The ramdisk: where the module list says, byte for byte, tail of its page cleared. */
    memcpy(&mod, fake_xen_phys(&e->fx, si.modlist_paddr, sizeof(mod)), sizeof(mod));
    assert_int_equal(mod.size, RD_LEN);
    assert_int_equal(mod.paddr % GUEST_PAGE_SIZE, 0);
    assert_true(mod.paddr >= 0x1004800 && mod.paddr + RD_LEN <= info);
    const uint8_t *rd = fake_xen_phys(&e->fx, mod.paddr, 3 * GUEST_PAGE_SIZE);
    assert_memory_equal(rd, e->rd, RD_LEN);
    assert_true(all_zero(rd + RD_LEN, 3 * GUEST_PAGE_SIZE - RD_LEN));
}

static void test_build_special_pages_and_params(void **state)
{
    struct env *e = *state;
    struct builder_args a = default_args(e);

    if ( build(e, &a) )
        fail_msg("build failed: %s", e->err);
    assert_int_equal(a.store_gfn, 0xfeffc);
    assert_int_equal(a.console_gfn, 0xfefff);
    assert_true(e->fx.param_set[HVM_PARAM_STORE_PFN]);
    assert_int_equal(e->fx.params[HVM_PARAM_STORE_PFN], 0xfeffc);
    assert_int_equal(e->fx.params[HVM_PARAM_STORE_EVTCHN], 3);
    assert_int_equal(e->fx.params[HVM_PARAM_CONSOLE_PFN], 0xfefff);
    assert_int_equal(e->fx.params[HVM_PARAM_CONSOLE_EVTCHN], 4);
    /* The rings start out empty, not as whatever the frames held. */
    assert_true(all_zero(fake_xen_phys(&e->fx, 0xfeff8000, 0x8000), 0x8000));
}

static void test_build_without_ramdisk_or_cmdline(void **state)
{
    struct env *e = *state;
    struct builder_args a = default_args(e);
    struct hvm_start_info si;

    a.ramdisk = NULL;
    a.cmdline = NULL;
    if ( build(e, &a) )
        fail_msg("build failed: %s", e->err);
    memcpy(&si, fake_xen_phys(&e->fx, e->fx.vcpu.cpu_regs.x86_32.ebx, sizeof(si)), sizeof(si));
    assert_int_equal(si.nr_modules, 0);
    assert_int_equal(si.modlist_paddr, 0);
    assert_int_equal(si.cmdline_paddr, 0);
}

static void test_too_little_memory(void **state)
{
    struct env *e = *state;
    struct builder_args a = default_args(e);

    a.mem_kib = 16 * 1024;
    assert_int_equal(build(e, &a), -ENOMEM);
    assert_non_null(strstr(e->err, "only 16 MiB"));
    assert_int_equal(e->fx.nr_populated, 0);
    assert_false(e->fx.vcpu_started);
}

static void test_populate_failure_stops_the_build(void **state)
{
    struct env *e = *state;
    struct builder_args a = default_args(e);

    e->fx.populate_limit = 1000;
    assert_int_equal(build(e, &a), -ENOMEM);
    assert_non_null(strstr(e->err, "cannot populate"));
    assert_false(e->fx.vcpu_started);
    assert_false(e->fx.param_set[HVM_PARAM_STORE_PFN]);
}

static void test_bad_arguments(void **state)
{
    struct env *e = *state;
    struct builder_args a = default_args(e);

    a.vcpus = 0;
    assert_int_equal(build(e, &a), -EINVAL);
    assert_non_null(strstr(e->err, "vCPUs"));
    a = default_args(e);
    a.domid = 0;
    assert_int_equal(build(e, &a), -EINVAL);
    a = default_args(e);
    a.kernel = "/nonexistent/kernel";
    assert_int_equal(build(e, &a), -ENOENT);
    assert_non_null(strstr(e->err, "cannot open"));
    a = default_args(e);
    a.ramdisk = "/nonexistent/initrd";
    assert_int_equal(build(e, &a), -ENOENT);
    assert_non_null(strstr(e->err, "ramdisk"));
    a = default_args(e);
    a.kernel = e->ramdisk;              /* not a kernel at all */
    assert_int_equal(build(e, &a), -ENOEXEC);
    assert_non_null(strstr(e->err, "not a kernel"));
    assert_int_equal(e->fx.nr_populated, 0);
    assert_false(e->fx.vcpu_started);
}

#ifndef DOM0_KERNEL
#define DOM0_KERNEL "/work/main/build/dom0/vmlinuz"
#endif

/* The real Debian kernel into a 128 MiB domain (skipped when it is not built). */
static void test_build_debian_kernel(void **state)
{
    struct fake_xen fx;
    struct builder_args a = {
        .domid = DOMID, .mem_kib = 128 * 1024, .vcpus = 1, .kernel = DOM0_KERNEL,
        .cmdline = "console=hvc0", .store_evtchn = 1, .console_evtchn = 2,
    };
    char err[256] = "";

    if ( access(DOM0_KERNEL, R_OK) )
    {
        print_message("%s absent: skipped\n", DOM0_KERNEL);
        skip();
    }
    assert_int_equal(fake_xen_init(&fx, DOMID, (128 << 20) / GUEST_PAGE_SIZE), 0);
    if ( builder_build_pvh(fx.h, &a, err, sizeof(err)) )
        fail_msg("%s: %s", DOM0_KERNEL, err);
    assert_true(fx.vcpu_started);
    /* Linux's PVH entry point begins with code, not the 0xcc the frames started with. */
    const uint8_t *entry = fake_xen_phys(&fx, fx.vcpu.cpu_regs.x86_32.eip, 16);
    assert_non_null(entry);
    assert_true(entry[0] != 0xcc && !all_zero(entry, 16));
    fake_xen_fini(&fx);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_build_populates_and_loads),
        T(test_build_start_info_and_vcpu),
        T(test_build_special_pages_and_params),
        T(test_build_without_ramdisk_or_cmdline),
        T(test_too_little_memory),
        T(test_populate_failure_stops_the_build),
        T(test_bad_arguments),
        cmocka_unit_test(test_build_debian_kernel),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

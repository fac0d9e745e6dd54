/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ELF guest-kernel loader (xen/common/elf.c), on images from a boot
 * module or dom0's toolstack.  Promises checked (xen/elf.h): a refusal is
 * printed; an accepted image's segments lie inside the image, never wrap,
 * have filesz <= memsz, and [load_lo, load_hi) is exactly their span; note
 * strings are terminated; elf_load() hands place() only bytes of the image,
 * each segment once, in order, and stops at the first error.
 */
#include "fuzz.h"
#include "harness.h"
#include <xen/elf.h>
#include <xen/errno.h>

struct load_ctx {
    const uint8_t *image;
    size_t len;
    const struct elf_info *info;
    unsigned int calls;
    unsigned int fail_at;           /* place() fails on this call */
    uint8_t sum;
};

static int place(uint64_t paddr, const void *src, uint64_t filesz,
                 uint64_t memsz, void *arg)
{
    struct load_ctx *ctx = arg;
    const struct elf_segment *s;
    const uint8_t *p = src;
    uint64_t i;

    fuzz_check(ctx->calls < ctx->info->nr_segs);
    s = &ctx->info->segs[ctx->calls];
    fuzz_check(paddr == s->paddr && filesz == s->filesz && memsz == s->memsz);
    fuzz_check(fuzz_within(src, filesz, ctx->image, ctx->len));
    /* Touch every byte handed over: ASan vouches for each of them. */
    for ( i = 0; i < filesz; i++ )
        ctx->sum += p[i];
    if ( ctx->calls++ == ctx->fail_at )
        return -ENOMEM;
    return 0;
}

static void check_info(const struct elf_info *info, size_t len)
{
    uint64_t lo = UINT64_MAX, hi = 0;
    unsigned int i;

    fuzz_check(info->nr_segs >= 1 && info->nr_segs <= ELF_MAX_LOADS);
    for ( i = 0; i < info->nr_segs; i++ )
    {
        const struct elf_segment *s = &info->segs[i];

        fuzz_check(s->memsz && s->filesz <= s->memsz);
        fuzz_check(s->offset <= len && s->filesz <= len - s->offset);
        fuzz_check(s->paddr + s->memsz >= s->paddr);
        if ( s->paddr < lo )
            lo = s->paddr;
        if ( s->paddr + s->memsz > hi )
            hi = s->paddr + s->memsz;
    }
    fuzz_check(info->load_lo == lo && info->load_hi == hi);
    fuzz_check(memchr(info->guest_os, '\0', sizeof(info->guest_os)));
    fuzz_check(memchr(info->features, '\0', sizeof(info->features)));
    fuzz_check(memchr(info->loader, '\0', sizeof(info->loader)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *image = fuzz_memdup(data, size);
    struct elf_info info;
    struct load_ctx ctx = { .image = image, .len = size, .info = &info };
    int rc;

    host_test_log_clear();
    rc = elf_parse(image, size, &info);
    fuzz_check(rc == 0 || rc == -ENOEXEC || rc == -EINVAL);
    if ( rc )
    {
        fuzz_check(host_test_log()[0] != '\0');
        free(image);
        return 0;
    }
    check_info(&info, size);

    ctx.fail_at = UINT32_MAX;
    fuzz_check(elf_load(image, &info, place, &ctx) == 0);
    fuzz_check(ctx.calls == info.nr_segs);

    /* A failing place() ends the load with its error, there and then. */
    ctx.calls = 0;
    ctx.fail_at = size % info.nr_segs;
    fuzz_check(elf_load(image, &info, place, &ctx) == -ENOMEM);
    fuzz_check(ctx.calls == ctx.fail_at + 1);

    free(image);
    return 0;
}

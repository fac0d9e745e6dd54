/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A dom0 kernel module from the bootloader, through what pvh_build.c does
 * with it: image_identify(), for a bzImage bzimage_find_payload() and
 * kernel_unpack(), then the ELF parser on the result
 * (xen/common/kernel_image.c, gunzip.c, unxz.c, elf.c).  Promises checked:
 *  - image_identify() names a kind only when its magic is really there;
 *  - a payload found lies inside the image, its appended size read from
 *    its last four bytes, its format one we can unpack;
 *  - unpacking never produces more than the room given (the unpacked size
 *    the image claims, bounded here to keep runs fast).
 */
#include "fuzz.h"
#include "harness.h"
#include <xen/elf.h>
#include <xen/errno.h>
#include <xen/kernel_image.h>

#define UNPACK_MAX (64 * 1024)

static uint32_t le32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void check_kind(const uint8_t *p, size_t len, enum image_kind kind)
{
    fuzz_check(image_kind_name(kind) != NULL);
    switch ( kind )
    {
    case IMAGE_ELF64:
    case IMAGE_ELF32:
        fuzz_check(len >= 20);
        /* fall through */
    case IMAGE_ELF_OTHER:
        fuzz_check(len >= 4 && !memcmp(p, "\x7f" "ELF", 4));
        break;
    case IMAGE_BZIMAGE:
        fuzz_check(len >= 0x206 && p[0x1fe] == 0x55 && p[0x1ff] == 0xaa &&
                   !memcmp(p + 0x202, "HdrS", 4));
        break;
    case IMAGE_GZIP:
        fuzz_check(len >= 2 && p[0] == 0x1f && p[1] == 0x8b);
        break;
    case IMAGE_XZ:
        fuzz_check(len >= 6 && !memcmp(p, "\xfd" "7zXZ", 6));
        break;
    case IMAGE_UNKNOWN:
        break;
    default:
        fuzz_check(!"a kind image_identify() does not define");
    }
}

static void unpack_and_parse(const struct bzimage_payload *pl)
{
    static void *work;
    size_t room = pl->unpacked_size < UNPACK_MAX ? pl->unpacked_size : UNPACK_MAX;
    uint8_t *out = malloc(room ? room : 1);
    struct elf_info info;
    size_t got = SIZE_MAX;
    int rc;

    if ( !work && !(work = malloc(KERNEL_UNPACK_WORK_SIZE)) )
        abort();
    fuzz_check(out);
    rc = kernel_unpack(pl, out, room, &got, work);
    fuzz_check(rc == 0 || rc == -EINVAL || rc == -ENOSPC || rc == -EOPNOTSUPP);
    if ( rc == 0 )
    {
        fuzz_check(got <= room);
        check_kind(out, got, image_identify(out, got));
        (void)elf_parse(out, got, &info);
    }
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *image = fuzz_memdup(data, size);
    enum image_kind kind = image_identify(image, size);
    struct bzimage_payload pl;
    struct elf_info info;

    host_test_log_clear();
    check_kind(image, size, kind);
    if ( kind == IMAGE_ELF64 || kind == IMAGE_ELF32 )
        (void)elf_parse(image, size, &info);
    if ( bzimage_find_payload(image, size, &pl) == 0 )
    {
        fuzz_check(kind == IMAGE_BZIMAGE);
        fuzz_check(pl.format == IMAGE_GZIP || pl.format == IMAGE_XZ);
        fuzz_check(fuzz_within(pl.data, pl.len + 4, image, size));
        fuzz_check(pl.unpacked_size == le32(pl.data + pl.len));
        check_kind(pl.data, pl.len, pl.format);
        unpack_and_parse(&pl);
    }
    free(image);
    return 0;
}

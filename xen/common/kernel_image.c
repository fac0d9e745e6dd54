/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Identify a boot module by its magic numbers: ELF (e_ident, e_machine),
 * Linux bzImage (boot flag 0xAA55 at 0x1FE and "HdrS" at 0x202, from the
 * x86 boot protocol), gzip (1F 8B) and XZ (FD '7zXZ' 00).  Never reads past
 * len: a truncated module is "unknown", not a crash.
 */
#include <xen/compiler.h>
#include <xen/errno.h>
#include <xen/gunzip.h>
#include <xen/kernel_image.h>
#include <xen/string.h>
#include <xen/unxz.h>

#define ELF_CLASS32   1
#define ELF_CLASS64   2
#define EM_386        3
#define EM_X86_64     62
#define BZ_BOOT_FLAG_OFF 0x1fe
#define BZ_HDRS_OFF      0x202

static bool has_bytes(const uint8_t *p, size_t len, size_t off,
                      const void *magic, size_t n)
{
    return off + n <= len && !memcmp(p + off, magic, n);
}

/*
 * Either class with either x86 machine: Xen's loader starts a PVH kernel at
 * its 32-bit PHYS32_ENTRY whatever its container, and some small kernels
 * put x86-64 code in an ELF32 file.
 */
static enum image_kind identify_elf(const uint8_t *p, size_t len)
{
    uint16_t machine;

    if ( len < 20 )
        return IMAGE_ELF_OTHER;
    memcpy(&machine, p + 18, sizeof(machine));
    if ( machine != EM_X86_64 && machine != EM_386 )
        return IMAGE_ELF_OTHER;
    if ( p[4] == ELF_CLASS64 )
        return IMAGE_ELF64;
    if ( p[4] == ELF_CLASS32 )
        return IMAGE_ELF32;
    return IMAGE_ELF_OTHER;
}

enum image_kind image_identify(const void *image, size_t len)
{
    static const uint8_t elf[] = { 0x7f, 'E', 'L', 'F' };
    static const uint8_t gz[] = { 0x1f, 0x8b };
    static const uint8_t xz[] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };
    static const uint8_t bootflag[] = { 0x55, 0xaa };
    const uint8_t *p = image;

    if ( !p )
        return IMAGE_UNKNOWN;
    if ( has_bytes(p, len, 0, elf, sizeof(elf)) )
        return identify_elf(p, len);
    if ( has_bytes(p, len, BZ_BOOT_FLAG_OFF, bootflag, sizeof(bootflag)) &&
         has_bytes(p, len, BZ_HDRS_OFF, "HdrS", 4) )
        return IMAGE_BZIMAGE;
    if ( has_bytes(p, len, 0, gz, sizeof(gz)) )
        return IMAGE_GZIP;
    if ( has_bytes(p, len, 0, xz, sizeof(xz)) )
        return IMAGE_XZ;
    return IMAGE_UNKNOWN;
}

#define BZ_SETUP_SECTS_OFF   0x1f1
#define BZ_VERSION_OFF       0x206
#define BZ_PAYLOAD_OFF       0x248
#define BZ_PAYLOAD_LEN_OFF   0x24c
#define BZ_MIN_VERSION       0x0208     /* payload fields appear in 2.08 */

static uint32_t get_u32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

int bzimage_find_payload(const void *image, size_t len, struct bzimage_payload *out)
{
    const uint8_t *p = image;
    uint16_t version;
    uint64_t start, plen;
    unsigned int setup_sects;

    if ( image_identify(image, len) != IMAGE_BZIMAGE || len < BZ_PAYLOAD_LEN_OFF + 4 )
        return -EINVAL;
    memcpy(&version, p + BZ_VERSION_OFF, sizeof(version));
    if ( version < BZ_MIN_VERSION )
        return -EINVAL;
    /* Zero setup sectors means four, for historical reasons. */
    setup_sects = p[BZ_SETUP_SECTS_OFF] ? p[BZ_SETUP_SECTS_OFF] : 4;
    start = (uint64_t)(setup_sects + 1) * 512 + get_u32(p + BZ_PAYLOAD_OFF);
    plen = get_u32(p + BZ_PAYLOAD_LEN_OFF);
    if ( plen < 8 || start > len || plen > len - start )
        return -EINVAL;
    out->data = p + start;
    out->len = plen - 4;
    out->unpacked_size = get_u32(p + start + plen - 4);
    out->format = image_identify(out->data, out->len);
    if ( out->format != IMAGE_GZIP && out->format != IMAGE_XZ )
        return -EINVAL;
    return 0;
}

int kernel_unpack(const struct bzimage_payload *p, uint8_t *out, size_t out_size,
                  size_t *out_len, void *work)
{
    BUILD_BUG_ON(KERNEL_UNPACK_WORK_SIZE < UNXZ_WORK_SIZE);
    BUILD_BUG_ON(KERNEL_UNPACK_WORK_SIZE < GUNZIP_WORK_SIZE);
    if ( p->format == IMAGE_XZ )
        return unxz(p->data, p->len, out, out_size, out_len, work);
    if ( p->format == IMAGE_GZIP )
        return gunzip(p->data, p->len, out, out_size, out_len, work);
    return -EINVAL;
}

const char *image_kind_name(enum image_kind kind)
{
    switch ( kind )
    {
    case IMAGE_ELF64: return "ELF64 x86";
    case IMAGE_ELF32: return "ELF32 x86";
    case IMAGE_ELF_OTHER: return "ELF for another machine";
    case IMAGE_BZIMAGE: return "Linux bzImage";
    case IMAGE_GZIP: return "gzip data";
    case IMAGE_XZ: return "XZ data";
    default: return "unknown format";
    }
}

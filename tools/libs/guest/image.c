/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel file -> unpacked, checked ELF.  A bzImage is unwrapped through
 * its setup header (Linux's Documentation/arch/x86/boot.rst): the
 * protected-mode part starts after (setup_sects + 1) sectors, and from
 * boot protocol 2.08 payload_offset/payload_length locate the compressed
 * vmlinux inside it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lzma.h>
#include <zlib.h>

#include "guest_priv.h"

/* Setup header fields (offsets in the file). */
#define BZ_SETUP_SECTS     0x1f1
#define BZ_BOOT_FLAG       0x1fe     /* 0xaa55 */
#define BZ_HEADER_MAGIC    0x202     /* "HdrS" */
#define BZ_VERSION         0x206
#define BZ_PAYLOAD_OFFSET  0x248
#define BZ_PAYLOAD_LENGTH  0x24c
#define BZ_MIN_LEN         0x250
#define BZ_MIN_VERSION     0x0208

/* Bigger than any real kernel by far; bounds what a hostile file can make us allocate. */
#define KERNEL_MAX_FILE    (256u << 20)
#define KERNEL_MAX_UNPACKED (1024u << 20)

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool is_elf(const uint8_t *buf, size_t len)
{
    return len >= 4 && !memcmp(buf, "\177ELF", 4);
}

static bool is_bzimage(const uint8_t *buf, size_t len)
{
    return len >= BZ_MIN_LEN && get16(buf + BZ_BOOT_FLAG) == 0xaa55 &&
           !memcmp(buf + BZ_HEADER_MAGIC, "HdrS", 4);
}

/* A growing output buffer for the decompressors. */
struct outbuf {
    uint8_t *data;
    size_t len, cap;
};

static int outbuf_grow(struct outbuf *o)
{
    size_t cap = o->cap ? o->cap * 2 : 16u << 20;
    uint8_t *p;

    if ( o->cap >= KERNEL_MAX_UNPACKED )
        return -EFBIG;
    if ( cap > KERNEL_MAX_UNPACKED )
        cap = KERNEL_MAX_UNPACKED;
    p = realloc(o->data, cap);
    if ( !p )
        return -ENOMEM;
    o->data = p;
    o->cap = cap;
    return 0;
}

static int gunzip(const uint8_t *in, size_t len, struct outbuf *o, char *err, size_t errlen)
{
    z_stream zs = { .next_in = (uint8_t *)in, .avail_in = (uInt)len };
    int zrc, rc = 0;

    /* 16 + MAX_WBITS: expect a gzip header and trailer, not a raw zlib stream. */
    if ( len > UINT32_MAX || inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK )
        return builder_fail(err, errlen, -ENOMEM, "cannot start gzip decompression");
    do
    {
        if ( o->len == o->cap && (rc = outbuf_grow(o)) )
            break;
        zs.next_out = o->data + o->len;
        zs.avail_out = (uInt)(o->cap - o->len);
        zrc = inflate(&zs, Z_NO_FLUSH);
        o->len = o->cap - zs.avail_out;
        if ( zrc == Z_BUF_ERROR && zs.avail_in == 0 )
            rc = builder_fail(err, errlen, -EINVAL, "corrupt gzip payload: truncated");
        else if ( zrc != Z_OK && zrc != Z_STREAM_END && zrc != Z_BUF_ERROR )
            rc = builder_fail(err, errlen, -EINVAL, "corrupt gzip payload: %s",
                              zs.msg ? zs.msg : "inflate failed");
    } while ( !rc && zrc != Z_STREAM_END );
    inflateEnd(&zs);
    if ( rc == -EFBIG || rc == -ENOMEM )
        builder_fail(err, errlen, rc, "kernel unpacks to more than %u MiB",
                     KERNEL_MAX_UNPACKED >> 20);
    return rc;
}

static const char *lzma_reason(lzma_ret r)
{
    switch ( r )
    {
    case LZMA_FORMAT_ERROR:  return "not an xz stream";
    case LZMA_OPTIONS_ERROR: return "unsupported xz options";
    case LZMA_DATA_ERROR:    return "data error";
    case LZMA_BUF_ERROR:     return "truncated";
    case LZMA_MEM_ERROR:     return "out of memory";
    case LZMA_MEMLIMIT_ERROR: return "needs too much memory";
    default:                 return "decoder error";
    }
}

static int unxz(const uint8_t *in, size_t len, struct outbuf *o, char *err, size_t errlen)
{
    lzma_stream xs = LZMA_STREAM_INIT;
    lzma_ret lr = LZMA_OK;
    int rc = 0;

    /*
     * One stream, no LZMA_CONCATENATED: Linux appends the unpacked size
     * after the xz stream, and the decoder must stop at the stream's end.
     */
    if ( lzma_stream_decoder(&xs, 256u << 20, 0) != LZMA_OK )
        return builder_fail(err, errlen, -ENOMEM, "cannot start xz decompression");
    xs.next_in = in;
    xs.avail_in = len;
    while ( !rc && lr != LZMA_STREAM_END )
    {
        if ( o->len == o->cap && (rc = outbuf_grow(o)) )
            break;
        xs.next_out = o->data + o->len;
        xs.avail_out = o->cap - o->len;
        /* LZMA_FINISH: all input is here, so running out of it is truncation. */
        lr = lzma_code(&xs, LZMA_FINISH);
        o->len = o->cap - xs.avail_out;
        if ( lr != LZMA_OK && lr != LZMA_STREAM_END )
            rc = builder_fail(err, errlen, -EINVAL, "corrupt xz payload: %s", lzma_reason(lr));
    }
    lzma_end(&xs);
    if ( rc == -EFBIG || rc == -ENOMEM )
        builder_fail(err, errlen, rc, "kernel unpacks to more than %u MiB",
                     KERNEL_MAX_UNPACKED >> 20);
    return rc;
}

static int unpack_payload(const uint8_t *p, size_t len, struct outbuf *o, char *err, size_t errlen)
{
    static const uint8_t gz[] = { 0x1f, 0x8b };
    static const uint8_t xz[] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };
    static const uint8_t zstd[] = { 0x28, 0xb5, 0x2f, 0xfd };

    if ( len >= sizeof(gz) && !memcmp(p, gz, sizeof(gz)) )
        return gunzip(p, len, o, err, errlen);
    if ( len >= sizeof(xz) && !memcmp(p, xz, sizeof(xz)) )
        return unxz(p, len, o, err, errlen);
    if ( len >= sizeof(zstd) && !memcmp(p, zstd, sizeof(zstd)) )
        return builder_fail(err, errlen, -ENOTSUP,
                            "bzImage payload is zstd-compressed: not supported (use gzip or xz)");
    if ( len >= 3 && !memcmp(p, "BZh", 3) )
        return builder_fail(err, errlen, -ENOTSUP,
                            "bzImage payload is bzip2-compressed: not supported (use gzip or xz)");
    return builder_fail(err, errlen, -ENOTSUP,
                        "bzImage payload compression not recognised (gzip and xz are supported)");
}

/* Find the compressed vmlinux inside a bzImage and unpack it into o. */
static int unwrap_bzimage(const uint8_t *buf, size_t len, struct outbuf *o,
                          char *err, size_t errlen)
{
    uint16_t version = get16(buf + BZ_VERSION);
    unsigned int setup_sects = buf[BZ_SETUP_SECTS] ? buf[BZ_SETUP_SECTS] : 4;
    uint64_t pm_start = (uint64_t)(setup_sects + 1) * 512;
    uint64_t off = pm_start + get32(buf + BZ_PAYLOAD_OFFSET);
    uint64_t plen = get32(buf + BZ_PAYLOAD_LENGTH);

    if ( version < BZ_MIN_VERSION )
        return builder_fail(err, errlen, -ENOEXEC,
                            "bzImage boot protocol %u.%02u has no payload fields (need 2.08)",
                            version >> 8, version & 0xff);
    if ( plen == 0 )
        return builder_fail(err, errlen, -ENOEXEC, "bzImage has an empty payload");
    if ( off > len || plen > len - off )
        return builder_fail(err, errlen, -ENOEXEC,
                            "bzImage truncated: payload %#llx+%#llx beyond file end %#zx",
                            (unsigned long long)off, (unsigned long long)plen, len);
    return unpack_payload(buf + off, plen, o, err, errlen);
}

void builder_image_free(struct builder_image *img)
{
    if ( !img )
        return;
    free(img->elf);
    memset(img, 0, sizeof(*img));
}

int builder_load_kernel_buf(const uint8_t *buf, size_t len, struct builder_image *img,
                            char *err, size_t errlen)
{
    struct outbuf o = { 0 };
    int rc;

    if ( !buf || !img )
        return builder_fail(err, errlen, -EINVAL, "no kernel given");
    memset(img, 0, sizeof(*img));
    if ( is_elf(buf, len) )
    {
        /* A private, malloc-aligned copy: the ELF headers are read in place. */
        o.data = malloc(len ? len : 1);
        if ( !o.data )
            return builder_fail(err, errlen, -ENOMEM, "out of memory for the kernel");
        memcpy(o.data, buf, len);
        o.len = len;
        rc = 0;
    }
    else if ( is_bzimage(buf, len) )
        rc = unwrap_bzimage(buf, len, &o, err, errlen);
    else
        return builder_fail(err, errlen, -ENOEXEC, "not a kernel: neither an ELF file nor a bzImage");

    if ( !rc )
        rc = elf_check(o.data, o.len, img, err, errlen);
    if ( rc )
    {
        free(o.data);
        memset(img, 0, sizeof(*img));
        return rc;
    }
    img->elf = o.data;
    img->elf_len = o.len;
    return 0;
}

/* The whole file, bounded by KERNEL_MAX_FILE; *buf is malloc'd. */
static int read_file(const char *path, uint8_t **buf, size_t *len, char *err, size_t errlen)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    int rc = 0;
    size_t got = 0;

    if ( fd < 0 )
        return builder_fail(err, errlen, -errno, "cannot open %s: %s", path, strerror(errno));
    if ( fstat(fd, &st) || !S_ISREG(st.st_mode) )
        rc = builder_fail(err, errlen, -EINVAL, "%s is not a regular file", path);
    else if ( st.st_size > (off_t)KERNEL_MAX_FILE )
        rc = builder_fail(err, errlen, -EFBIG, "%s is larger than %u MiB", path,
                          KERNEL_MAX_FILE >> 20);
    else if ( !(*buf = malloc(st.st_size ? (size_t)st.st_size : 1)) )
        rc = builder_fail(err, errlen, -ENOMEM, "out of memory reading %s", path);
    while ( !rc && got < (size_t)st.st_size )
    {
        ssize_t n = read(fd, *buf + got, (size_t)st.st_size - got);

        if ( n < 0 && errno == EINTR )
            continue;
        if ( n <= 0 )
            rc = builder_fail(err, errlen, n ? -errno : -EIO, "cannot read %s", path);
        else
            got += (size_t)n;
    }
    close(fd);
    if ( rc && *buf )
    {
        free(*buf);
        *buf = NULL;
    }
    *len = got;
    return rc;
}

int builder_load_kernel_file(const char *path, struct builder_image *img, char *err, size_t errlen)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc;

    if ( !path || !img )
        return builder_fail(err, errlen, -EINVAL, "no kernel given");
    rc = read_file(path, &buf, &len, err, errlen);
    if ( rc )
        return rc;
    rc = builder_load_kernel_buf(buf, len, img, err, errlen);
    free(buf);
    return rc;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ELF guest-kernel parsing and loading (System V ABI, "ELF Header" and
 * "Program Header"; Xen's notes from public/elfnote.h).
 *
 * Everything is read through bounds-checked accessors over [image,
 * image+len): a header, segment or note that does not fit is an error
 * naming what is wrong, never an out-of-bounds read.
 */
#include <xen/elf.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/string.h>
#include <public/elfnote.h>

#define EI_CLASS    4
#define EI_DATA     5
#define ELFCLASS32  1
#define ELFCLASS64  2
#define ELFDATA2LSB 1
#define ET_EXEC     2
#define EM_386      3
#define EM_X86_64   62
#define PT_LOAD     1
#define PT_NOTE     4
#define EHDR32_SIZE 52
#define EHDR64_SIZE 64
#define PHDR32_SIZE 32
#define PHDR64_SIZE 56
#define MAX_PHNUM   64

struct image {
    const uint8_t *p;
    size_t len;
};

static bool in_image(const struct image *im, uint64_t off, uint64_t n)
{
    return off <= im->len && n <= im->len - off;
}

static uint16_t rd16(const struct image *im, uint64_t off)
{
    uint16_t v;

    memcpy(&v, im->p + off, 2);
    return v;
}

static uint32_t rd32(const struct image *im, uint64_t off)
{
    uint32_t v;

    memcpy(&v, im->p + off, 4);
    return v;
}

static uint64_t rd64(const struct image *im, uint64_t off)
{
    uint64_t v;

    memcpy(&v, im->p + off, 8);
    return v;
}

/* Read a program header field of either class (callers checked bounds). */
struct phdr {
    uint32_t type;
    uint64_t offset, paddr, filesz, memsz;
};

static void read_phdr(const struct image *im, bool is64, uint64_t off,
                      struct phdr *ph)
{
    ph->type = rd32(im, off);
    if ( is64 )
    {
        ph->offset = rd64(im, off + 8);
        ph->paddr = rd64(im, off + 24);
        ph->filesz = rd64(im, off + 32);
        ph->memsz = rd64(im, off + 40);
    }
    else
    {
        ph->offset = rd32(im, off + 4);
        ph->paddr = rd32(im, off + 12);
        ph->filesz = rd32(im, off + 16);
        ph->memsz = rd32(im, off + 20);
    }
}

static int check_header(const struct image *im, struct elf_info *info,
                        uint64_t *phoff, unsigned int *phnum,
                        unsigned int *phentsize)
{
    const uint8_t *p = im->p;

    if ( !in_image(im, 0, EHDR32_SIZE) || memcmp(p, "\x7f" "ELF", 4) )
    {
        printk(XENLOG_ERR "ELF: not an ELF image\n");
        return -ENOEXEC;
    }
    if ( p[EI_DATA] != ELFDATA2LSB ||
         (p[EI_CLASS] != ELFCLASS32 && p[EI_CLASS] != ELFCLASS64) )
    {
        printk(XENLOG_ERR "ELF: not a little-endian ELF32/ELF64 image\n");
        return -ENOEXEC;
    }
    info->is64 = p[EI_CLASS] == ELFCLASS64;
    if ( info->is64 && !in_image(im, 0, EHDR64_SIZE) )
    {
        printk(XENLOG_ERR "ELF: header truncated\n");
        return -ENOEXEC;
    }
    /*
     * Either x86 machine in either class, as Xen's loader takes them: a
     * PVH kernel starts at its 32-bit PHYS32_ENTRY whatever the container
     * (some small kernels link x86-64 code into an ELF32 file).
     */
    if ( rd16(im, 16) != ET_EXEC ||
         (rd16(im, 18) != EM_X86_64 && rd16(im, 18) != EM_386) )
    {
        printk(XENLOG_ERR "ELF: not an x86 executable (type %u, machine %u)\n",
               rd16(im, 16), rd16(im, 18));
        return -ENOEXEC;
    }
    info->entry = info->is64 ? rd64(im, 24) : rd32(im, 24);
    *phoff = info->is64 ? rd64(im, 32) : rd32(im, 28);
    *phentsize = rd16(im, info->is64 ? 54 : 42);
    *phnum = rd16(im, info->is64 ? 56 : 44);
    if ( *phentsize < (info->is64 ? PHDR64_SIZE : PHDR32_SIZE) || !*phnum ||
         *phnum > MAX_PHNUM ||
         !in_image(im, *phoff, (uint64_t)*phnum * *phentsize) )
    {
        printk(XENLOG_ERR "ELF: program headers out of bounds (%u x %u at %#lx)\n",
               *phnum, *phentsize, (unsigned long)*phoff);
        return -ENOEXEC;
    }
    return 0;
}

static int add_load(const struct image *im, const struct phdr *ph,
                    struct elf_info *info)
{
    struct elf_segment *s;

    if ( !ph->memsz )
        return 0;
    if ( ph->filesz > ph->memsz || !in_image(im, ph->offset, ph->filesz) ||
         ph->paddr + ph->memsz < ph->paddr )
    {
        printk(XENLOG_ERR "ELF: bad segment: offset %#lx filesz %#lx memsz %#lx "
               "paddr %#lx\n", (unsigned long)ph->offset,
               (unsigned long)ph->filesz, (unsigned long)ph->memsz,
               (unsigned long)ph->paddr);
        return -ENOEXEC;
    }
    if ( info->nr_segs == ELF_MAX_LOADS )
    {
        printk(XENLOG_ERR "ELF: more than %u loadable segments\n", ELF_MAX_LOADS);
        return -ENOEXEC;
    }
    s = &info->segs[info->nr_segs++];
    *s = (struct elf_segment){ ph->paddr, ph->offset, ph->filesz, ph->memsz };
    if ( info->nr_segs == 1 || s->paddr < info->load_lo )
        info->load_lo = s->paddr;
    if ( info->nr_segs == 1 || s->paddr + s->memsz > info->load_hi )
        info->load_hi = s->paddr + s->memsz;
    return 0;
}

static void note_string(char *dst, size_t size, const struct image *im,
                        uint64_t off, uint32_t n)
{
    size_t len = n < size - 1 ? n : size - 1;

    memcpy(dst, im->p + off, len);
    dst[len] = '\0';
}

static uint64_t note_number(const struct image *im, uint64_t off, uint32_t n)
{
    if ( n >= 8 )
        return rd64(im, off);
    if ( n >= 4 )
        return rd32(im, off);
    return 0;
}

static void apply_xen_note(const struct image *im, uint32_t type, uint64_t desc,
                           uint32_t descsz, struct elf_info *info)
{
    switch ( type )
    {
    case XEN_ELFNOTE_PHYS32_ENTRY:
        if ( descsz >= 4 )
        {
            info->has_phys32_entry = true;
            info->phys32_entry = rd32(im, desc);
        }
        break;
    case XEN_ELFNOTE_HYPERCALL_PAGE:
        info->has_hypercall_page = descsz >= 4;
        info->hypercall_page = note_number(im, desc, descsz);
        break;
    case XEN_ELFNOTE_SUPPORTED_FEATURES:
        if ( descsz >= 4 )
            info->supported_features |= rd32(im, desc);
        break;
    case XEN_ELFNOTE_GUEST_OS:
        note_string(info->guest_os, sizeof(info->guest_os), im, desc, descsz);
        break;
    case XEN_ELFNOTE_FEATURES:
        note_string(info->features, sizeof(info->features), im, desc, descsz);
        break;
    case XEN_ELFNOTE_LOADER:
        note_string(info->loader, sizeof(info->loader), im, desc, descsz);
        break;
    }
}

/* Walk the notes in [off, off+size); only those named "Xen" matter. */
static int parse_notes(const struct image *im, uint64_t off, uint64_t size,
                       struct elf_info *info)
{
    uint64_t end = off + size;

    if ( !in_image(im, off, size) )
    {
        printk(XENLOG_ERR "ELF: note segment out of bounds\n");
        return -ENOEXEC;
    }
    while ( off + 12 <= end )
    {
        uint32_t namesz = rd32(im, off), descsz = rd32(im, off + 4);
        uint32_t type = rd32(im, off + 8);
        uint64_t name = off + 12;
        uint64_t desc = name + ROUNDUP((uint64_t)namesz, 4);
        uint64_t next = desc + ROUNDUP((uint64_t)descsz, 4);

        if ( next > end )
        {
            printk(XENLOG_ERR "ELF: note runs past its segment\n");
            return -ENOEXEC;
        }
        if ( namesz == 4 && !memcmp(im->p + name, "Xen", 4) )
            apply_xen_note(im, type, desc, descsz, info);
        off = next;
    }
    return 0;
}

int elf_parse(const void *image, size_t len, struct elf_info *info)
{
    struct image im = { image, len };
    unsigned int phnum, phentsize, i;
    uint64_t phoff;
    int rc;

    memset(info, 0, sizeof(*info));
    if ( (rc = check_header(&im, info, &phoff, &phnum, &phentsize)) )
        return rc;
    for ( i = 0; i < phnum; i++ )
    {
        struct phdr ph;

        read_phdr(&im, info->is64, phoff + (uint64_t)i * phentsize, &ph);
        if ( ph.type == PT_LOAD )
            rc = add_load(&im, &ph, info);
        else if ( ph.type == PT_NOTE )
            rc = parse_notes(&im, ph.offset, ph.filesz, info);
        if ( rc )
            return rc;
    }
    if ( !info->nr_segs )
    {
        printk(XENLOG_ERR "ELF: no loadable segments\n");
        return -ENOEXEC;
    }
    return 0;
}

int elf_load(const void *image, const struct elf_info *info,
             elf_place_fn place, void *ctx)
{
    const uint8_t *p = image;
    unsigned int i;
    int rc;

    for ( i = 0; i < info->nr_segs; i++ )
    {
        const struct elf_segment *s = &info->segs[i];

        if ( (rc = place(s->paddr, p + s->offset, s->filesz, s->memsz, ctx)) )
            return rc;
    }
    return 0;
}

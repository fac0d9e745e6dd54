/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A vmlinux in memory: validate it once, here, then copy its loadable
 * segments into guest memory.  Every offset and size read from the file is
 * checked against the file's length before use.
 *
 * As Xen's loader, both ELF classes are taken, with machine i386 or
 * x86-64 either way (some small kernels link x86-64 code into an ELF32
 * container): a PVH guest starts at its XEN_ELFNOTE_PHYS32_ENTRY in 32-bit
 * protected mode whatever the container says, so only that note matters.
 * Program headers of either class are read into an Elf64_Phdr.
 */
#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <public/elfnote.h>

#include "guest_priv.h"

/* More program headers than any kernel has: refuse rather than loop on junk. */
#define ELF_MAX_PHDRS 64
#define PHYS_4G       0x100000000ull

/* [off, off + size) inside [0, len)? */
static bool in_file(uint64_t off, uint64_t size, size_t len)
{
    return off <= len && size <= len - off;
}

static bool is_elf64(const uint8_t *elf)
{
    return elf[EI_CLASS] == ELFCLASS64;
}

/* e_phoff and e_phnum of either class (the identification was checked). */
static uint64_t ehdr_phoff(const uint8_t *elf)
{
    Elf64_Ehdr e64;
    Elf32_Ehdr e32;

    if ( !is_elf64(elf) )
    {
        memcpy(&e32, elf, sizeof(e32));
        return e32.e_phoff;
    }
    memcpy(&e64, elf, sizeof(e64));
    return e64.e_phoff;
}

static unsigned int ehdr_phnum(const uint8_t *elf)
{
    uint16_t n;

    memcpy(&n, elf + (is_elf64(elf) ? offsetof(Elf64_Ehdr, e_phnum)
                                    : offsetof(Elf32_Ehdr, e_phnum)), sizeof(n));
    return n;
}

static size_t phdr_size(const uint8_t *elf)
{
    return is_elf64(elf) ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
}

/* Program header i (inside the file: check_ehdr said so), widened. */
static Elf64_Phdr phdr(const uint8_t *elf, unsigned int i)
{
    const uint8_t *at = elf + ehdr_phoff(elf) + (uint64_t)i * phdr_size(elf);
    Elf64_Phdr ph;
    Elf32_Phdr p32;

    if ( is_elf64(elf) )
    {
        memcpy(&ph, at, sizeof(ph));
        return ph;
    }
    memcpy(&p32, at, sizeof(p32));
    return (Elf64_Phdr){
        .p_type = p32.p_type, .p_flags = p32.p_flags, .p_offset = p32.p_offset,
        .p_vaddr = p32.p_vaddr, .p_paddr = p32.p_paddr, .p_filesz = p32.p_filesz,
        .p_memsz = p32.p_memsz, .p_align = p32.p_align,
    };
}

static int check_ehdr(const uint8_t *elf, size_t len, char *err, size_t errlen)
{
    Elf64_Ehdr eh;
    uint16_t phentsize;

    if ( len < sizeof(Elf32_Ehdr) || memcmp(elf, ELFMAG, SELFMAG) )
        return builder_fail(err, errlen, -ENOEXEC, "not an ELF file");
    if ( (elf[EI_CLASS] != ELFCLASS64 && elf[EI_CLASS] != ELFCLASS32) ||
         elf[EI_DATA] != ELFDATA2LSB )
        return builder_fail(err, errlen, -ENOEXEC, "not a little-endian ELF32/ELF64 file");
    if ( is_elf64(elf) && len < sizeof(Elf64_Ehdr) )
        return builder_fail(err, errlen, -ENOEXEC, "ELF truncated: header past end of file");
    /* e_type and e_machine sit at the same offsets in both classes. */
    memcpy(&eh, elf, sizeof(Elf32_Ehdr));
    if ( eh.e_machine != EM_X86_64 && eh.e_machine != EM_386 )
        return builder_fail(err, errlen, -ENOEXEC, "not an x86 ELF kernel (machine %u)",
                            eh.e_machine);
    if ( eh.e_type != ET_EXEC )
        return builder_fail(err, errlen, -ENOEXEC, "ELF is not an executable (type %u)",
                            eh.e_type);
    memcpy(&phentsize, elf + (is_elf64(elf) ? offsetof(Elf64_Ehdr, e_phentsize)
                                            : offsetof(Elf32_Ehdr, e_phentsize)), 2);
    if ( phentsize != phdr_size(elf) || ehdr_phnum(elf) == 0 ||
         ehdr_phnum(elf) > ELF_MAX_PHDRS )
        return builder_fail(err, errlen, -ENOEXEC, "ELF program header table is malformed");
    if ( !in_file(ehdr_phoff(elf), (uint64_t)ehdr_phnum(elf) * phdr_size(elf), len) )
        return builder_fail(err, errlen, -ENOEXEC, "ELF truncated: program headers past end of file");
    return 0;
}

static int check_load(const Elf64_Phdr *ph, unsigned int i, size_t len, char *err, size_t errlen)
{
    if ( ph->p_filesz > ph->p_memsz )
        return builder_fail(err, errlen, -ENOEXEC,
                            "ELF segment %u: file size exceeds memory size", i);
    if ( !in_file(ph->p_offset, ph->p_filesz, len) )
        return builder_fail(err, errlen, -ENOEXEC,
                            "ELF truncated: segment %u data past end of file", i);
    if ( ph->p_paddr >= PHYS_4G || ph->p_memsz > PHYS_4G - ph->p_paddr )
        return builder_fail(err, errlen, -ENOEXEC,
                            "ELF segment %u at %#llx+%#llx is out of range (above 4 GiB)", i,
                            (unsigned long long)ph->p_paddr, (unsigned long long)ph->p_memsz);
    return 0;
}

static bool overlaps(const Elf64_Phdr *a, const Elf64_Phdr *b)
{
    return a->p_paddr < b->p_paddr + b->p_memsz && b->p_paddr < a->p_paddr + a->p_memsz;
}

/* Validate every PT_LOAD and compute the range they cover. */
static int check_loads(const uint8_t *elf, size_t len, struct builder_image *img,
                       char *err, size_t errlen)
{
    unsigned int n = ehdr_phnum(elf);
    uint64_t lo = UINT64_MAX, hi = 0;

    for ( unsigned int i = 0; i < n; i++ )
    {
        Elf64_Phdr ph = phdr(elf, i);

        if ( ph.p_type != PT_LOAD || ph.p_memsz == 0 )
            continue;
        int rc = check_load(&ph, i, len, err, errlen);
        if ( rc )
            return rc;
        for ( unsigned int j = 0; j < i; j++ )
        {
            Elf64_Phdr other = phdr(elf, j);

            if ( other.p_type == PT_LOAD && other.p_memsz && overlaps(&ph, &other) )
                return builder_fail(err, errlen, -ENOEXEC,
                                    "ELF segments %u and %u overlap", j, i);
        }
        if ( ph.p_paddr < lo )
            lo = ph.p_paddr;
        if ( ph.p_paddr + ph.p_memsz > hi )
            hi = ph.p_paddr + ph.p_memsz;
    }
    if ( hi == 0 )
        return builder_fail(err, errlen, -ENOEXEC, "ELF has no loadable segments");
    img->paddr_lo = lo;
    img->paddr_hi = hi;
    return 0;
}

static uint64_t align4(uint64_t x)
{
    return (x + 3) & ~3ull;
}

/*
 * Walk one PT_NOTE's notes looking for Xen's PHYS32_ENTRY.  Returns 1 and
 * sets *entry when found, 0 when not, <0 for a malformed note.
 */
static int find_entry_note(const uint8_t *notes, uint64_t size, uint64_t *entry,
                           char *err, size_t errlen)
{
    uint64_t off = 0;

    while ( size - off >= sizeof(Elf64_Nhdr) )
    {
        const Elf64_Nhdr *nh = (const Elf64_Nhdr *)(notes + off);
        uint64_t name_off = off + sizeof(*nh);
        uint64_t desc_off = name_off + align4(nh->n_namesz);
        uint64_t next = desc_off + align4(nh->n_descsz);

        /* All in 64 bits from 32-bit sizes: cannot wrap; compare against the segment. */
        if ( next > size )
            return builder_fail(err, errlen, -ENOEXEC, "ELF note runs past its segment");
        if ( nh->n_namesz == 4 && !memcmp(notes + name_off, "Xen", 4) &&
             nh->n_type == XEN_ELFNOTE_PHYS32_ENTRY )
        {
            /* Linux emits the entry as a 64-bit pointer-sized value, others as 32 bits. */
            if ( nh->n_descsz == 4 )
            {
                uint32_t v;
                memcpy(&v, notes + desc_off, 4);
                *entry = v;
            }
            else if ( nh->n_descsz == 8 )
                memcpy(entry, notes + desc_off, 8);
            else
                return builder_fail(err, errlen, -ENOEXEC,
                                    "PVH entry note has a %u-byte value", nh->n_descsz);
            return 1;
        }
        off = next;
    }
    return 0;
}

static bool entry_in_segment(const uint8_t *elf, uint64_t entry)
{
    unsigned int n = ehdr_phnum(elf);

    for ( unsigned int i = 0; i < n; i++ )
    {
        Elf64_Phdr ph = phdr(elf, i);

        if ( ph.p_type == PT_LOAD && entry >= ph.p_paddr && entry - ph.p_paddr < ph.p_filesz )
            return true;
    }
    return false;
}

static int find_entry(const uint8_t *elf, size_t len, struct builder_image *img,
                      char *err, size_t errlen)
{
    unsigned int n = ehdr_phnum(elf);
    uint64_t entry = 0;
    int found = 0;

    for ( unsigned int i = 0; i < n && !found; i++ )
    {
        Elf64_Phdr ph = phdr(elf, i);

        if ( ph.p_type != PT_NOTE )
            continue;
        if ( !in_file(ph.p_offset, ph.p_filesz, len) )
            return builder_fail(err, errlen, -ENOEXEC,
                                "ELF truncated: note segment %u past end of file", i);
        if ( ph.p_offset % 4 )
            return builder_fail(err, errlen, -ENOEXEC, "ELF note segment %u is misaligned", i);
        found = find_entry_note(elf + ph.p_offset, ph.p_filesz, &entry, err, errlen);
        if ( found < 0 )
            return found;
    }
    if ( !found )
        return builder_fail(err, errlen, -ENOEXEC,
                            "kernel has no PVH entry (XEN_ELFNOTE_PHYS32_ENTRY): "
                            "not built with CONFIG_PVH?");
    if ( entry >= PHYS_4G || !entry_in_segment(elf, entry) )
        return builder_fail(err, errlen, -ENOEXEC,
                            "PVH entry %#llx is outside the kernel's loaded code",
                            (unsigned long long)entry);
    img->phys32_entry = (uint32_t)entry;
    return 0;
}

int elf_check(const uint8_t *elf, size_t len, struct builder_image *img, char *err, size_t errlen)
{
    int rc = check_ehdr(elf, len, err, errlen);

    if ( !rc )
        rc = check_loads(elf, len, img, err, errlen);
    if ( !rc )
        rc = find_entry(elf, len, img, err, errlen);
    return rc;
}

int elf_load_segments(const struct builder_image *img, uint8_t *dst, uint64_t dst_paddr,
                      uint64_t dst_len, char *err, size_t errlen)
{
    unsigned int n = ehdr_phnum(img->elf);

    for ( unsigned int i = 0; i < n; i++ )
    {
        Elf64_Phdr ph = phdr(img->elf, i);

        if ( ph.p_type != PT_LOAD || ph.p_memsz == 0 )
            continue;
        if ( ph.p_paddr < dst_paddr || ph.p_paddr - dst_paddr > dst_len ||
             ph.p_memsz > dst_len - (ph.p_paddr - dst_paddr) )
            return builder_fail(err, errlen, -ERANGE,
                                "ELF segment %u lies outside the memory given to it", i);
        uint8_t *to = dst + (ph.p_paddr - dst_paddr);
        memcpy(to, img->elf + ph.p_offset, ph.p_filesz);
        memset(to + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
    }
    return 0;
}

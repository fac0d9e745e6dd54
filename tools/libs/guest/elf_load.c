/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An ELF64 vmlinux in memory: validate it once, here, then copy its
 * loadable segments into guest memory.  Every offset and size read from
 * the file is checked against the file's length before use.
 */
#include <elf.h>
#include <errno.h>
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

static int check_ehdr(const Elf64_Ehdr *eh, size_t len, char *err, size_t errlen)
{
    if ( len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) )
        return builder_fail(err, errlen, -ENOEXEC, "not an ELF file");
    if ( eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
         eh->e_machine != EM_X86_64 )
        return builder_fail(err, errlen, -ENOEXEC, "not an x86-64 ELF64 kernel");
    if ( eh->e_type != ET_EXEC )
        return builder_fail(err, errlen, -ENOEXEC, "ELF is not an executable (type %u)",
                            eh->e_type);
    if ( eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 ||
         eh->e_phnum > ELF_MAX_PHDRS )
        return builder_fail(err, errlen, -ENOEXEC, "ELF program header table is malformed");
    /* Misaligned headers would be read through misaligned pointers: refuse them. */
    if ( eh->e_phoff % 8 )
        return builder_fail(err, errlen, -ENOEXEC, "ELF program headers are misaligned");
    if ( !in_file(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), len) )
        return builder_fail(err, errlen, -ENOEXEC, "ELF truncated: program headers past end of file");
    return 0;
}

static const Elf64_Phdr *phdrs(const uint8_t *elf)
{
    return (const Elf64_Phdr *)(elf + ((const Elf64_Ehdr *)elf)->e_phoff);
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
    const Elf64_Phdr *ph = phdrs(elf);
    unsigned int n = ((const Elf64_Ehdr *)elf)->e_phnum;
    uint64_t lo = UINT64_MAX, hi = 0;

    for ( unsigned int i = 0; i < n; i++ )
    {
        if ( ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0 )
            continue;
        int rc = check_load(&ph[i], i, len, err, errlen);
        if ( rc )
            return rc;
        for ( unsigned int j = 0; j < i; j++ )
            if ( ph[j].p_type == PT_LOAD && ph[j].p_memsz && overlaps(&ph[i], &ph[j]) )
                return builder_fail(err, errlen, -ENOEXEC,
                                    "ELF segments %u and %u overlap", j, i);
        if ( ph[i].p_paddr < lo )
            lo = ph[i].p_paddr;
        if ( ph[i].p_paddr + ph[i].p_memsz > hi )
            hi = ph[i].p_paddr + ph[i].p_memsz;
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
    const Elf64_Phdr *ph = phdrs(elf);
    unsigned int n = ((const Elf64_Ehdr *)elf)->e_phnum;

    for ( unsigned int i = 0; i < n; i++ )
        if ( ph[i].p_type == PT_LOAD && entry >= ph[i].p_paddr &&
             entry - ph[i].p_paddr < ph[i].p_filesz )
            return true;
    return false;
}

static int find_entry(const uint8_t *elf, size_t len, struct builder_image *img,
                      char *err, size_t errlen)
{
    const Elf64_Phdr *ph = phdrs(elf);
    unsigned int n = ((const Elf64_Ehdr *)elf)->e_phnum;
    uint64_t entry = 0;
    int found = 0;

    for ( unsigned int i = 0; i < n && !found; i++ )
    {
        if ( ph[i].p_type != PT_NOTE )
            continue;
        if ( !in_file(ph[i].p_offset, ph[i].p_filesz, len) )
            return builder_fail(err, errlen, -ENOEXEC,
                                "ELF truncated: note segment %u past end of file", i);
        if ( ph[i].p_offset % 4 )
            return builder_fail(err, errlen, -ENOEXEC, "ELF note segment %u is misaligned", i);
        found = find_entry_note(elf + ph[i].p_offset, ph[i].p_filesz, &entry, err, errlen);
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
    int rc = check_ehdr((const Elf64_Ehdr *)elf, len, err, errlen);

    if ( !rc )
        rc = check_loads(elf, len, img, err, errlen);
    if ( !rc )
        rc = find_entry(elf, len, img, err, errlen);
    return rc;
}

int elf_load_segments(const struct builder_image *img, uint8_t *dst, uint64_t dst_paddr,
                      uint64_t dst_len, char *err, size_t errlen)
{
    const Elf64_Phdr *ph = phdrs(img->elf);
    unsigned int n = ((const Elf64_Ehdr *)img->elf)->e_phnum;

    for ( unsigned int i = 0; i < n; i++ )
    {
        if ( ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0 )
            continue;
        if ( ph[i].p_paddr < dst_paddr || ph[i].p_paddr - dst_paddr > dst_len ||
             ph[i].p_memsz > dst_len - (ph[i].p_paddr - dst_paddr) )
            return builder_fail(err, errlen, -ERANGE,
                                "ELF segment %u lies outside the memory given to it", i);
        uint8_t *to = dst + (ph[i].p_paddr - dst_paddr);
        memcpy(to, img->elf + ph[i].p_offset, ph[i].p_filesz);
        memset(to + ph[i].p_filesz, 0, ph[i].p_memsz - ph[i].p_filesz);
    }
    return 0;
}

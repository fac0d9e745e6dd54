/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Synthetic kernels for the builder's tests (see synth.h).
 */
#include <elf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <lzma.h>
#include <zlib.h>

#include "synth.h"

#define NOTE_SEG_SIZE 64

void synth_default(struct synth_elf *s)
{
    memset(s, 0, sizeof(*s));
    s->nr_segs = 2;
    s->segs[0] = (struct synth_seg){ .paddr = 0x1000000, .filesz = 0x2345, .memsz = 0x2345,
                                     .fill = 0x10 };
    s->segs[1] = (struct synth_seg){ .paddr = 0x1003000, .filesz = 0x800, .memsz = 0x1800,
                                     .fill = 0x80 };
    s->entry_note = 8;
    s->entry = 0x1000100;
}

static size_t put_note(uint8_t *p, uint32_t type, const void *desc, uint32_t descsz)
{
    Elf64_Nhdr nh = { .n_namesz = 4, .n_descsz = descsz, .n_type = type };

    memcpy(p, &nh, sizeof(nh));
    memcpy(p + sizeof(nh), "Xen", 4);
    memcpy(p + sizeof(nh) + 4, desc, descsz);
    return sizeof(nh) + 4 + ((descsz + 3) & ~3u);
}

uint8_t *synth_build_elf(const struct synth_elf *s, size_t *len)
{
    unsigned int nph = s->nr_segs + 1;
    size_t data_off = sizeof(Elf64_Ehdr) + nph * sizeof(Elf64_Phdr);
    size_t total = data_off + NOTE_SEG_SIZE;
    uint8_t *buf;

    for ( unsigned int i = 0; i < s->nr_segs; i++ )
        total += s->segs[i].filesz;
    buf = calloc(1, total);
    if ( !buf )
        return NULL;

    Elf64_Ehdr eh = {
        .e_type = ET_EXEC, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
        .e_entry = 0xffffffff81000000ull, .e_phoff = sizeof(Elf64_Ehdr),
        .e_ehsize = sizeof(Elf64_Ehdr), .e_phentsize = sizeof(Elf64_Phdr), .e_phnum = nph,
    };
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    memcpy(buf, &eh, sizeof(eh));

    Elf64_Phdr *ph = (Elf64_Phdr *)(buf + sizeof(eh));
    size_t off = data_off;

    /* The note segment first, then the loadable ones. */
    uint8_t *notes = buf + off;
    size_t nlen = 0;
    uint32_t version = 0x40000;
    if ( s->other_note_first )
        nlen += put_note(notes + nlen, 6 /* GUEST_OS */, &version, 4);
    if ( s->entry_note == 4 )
    {
        uint32_t e = (uint32_t)s->entry;
        nlen += put_note(notes + nlen, 18, &e, 4);
    }
    else if ( s->entry_note )
        nlen += put_note(notes + nlen, 18, &s->entry, (uint32_t)s->entry_note);
    ph[0] = (Elf64_Phdr){ .p_type = PT_NOTE, .p_offset = off, .p_filesz = nlen,
                          .p_memsz = nlen, .p_align = 4 };
    off += NOTE_SEG_SIZE;

    for ( unsigned int i = 0; i < s->nr_segs; i++ )
    {
        const struct synth_seg *sg = &s->segs[i];

        ph[i + 1] = (Elf64_Phdr){
            .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = off,
            .p_vaddr = 0xffffffff80000000ull + sg->paddr, .p_paddr = sg->paddr,
            .p_filesz = sg->filesz, .p_memsz = sg->memsz, .p_align = 0x1000,
        };
        for ( uint32_t b = 0; b < sg->filesz; b++ )
            buf[off + b] = (uint8_t)(sg->fill + b);
        off += sg->filesz;
    }
    *len = total;
    return buf;
}

uint8_t *synth_to_elf32(const uint8_t *elf64, size_t len, uint16_t machine)
{
    Elf64_Ehdr eh;
    uint8_t *buf = malloc(len);

    if ( !buf )
        return NULL;
    memcpy(&eh, elf64, sizeof(eh));
    memcpy(buf, elf64, len);
    /* The data stays where it was: the smaller headers leave a gap. */
    memset(buf, 0, eh.e_phoff + eh.e_phnum * sizeof(Elf64_Phdr));

    Elf32_Ehdr e32 = {
        .e_type = eh.e_type, .e_machine = machine, .e_version = eh.e_version,
        .e_entry = (uint32_t)eh.e_entry, .e_phoff = sizeof(Elf32_Ehdr),
        .e_ehsize = sizeof(Elf32_Ehdr), .e_phentsize = sizeof(Elf32_Phdr),
        .e_phnum = eh.e_phnum,
    };
    memcpy(e32.e_ident, eh.e_ident, EI_NIDENT);
    e32.e_ident[EI_CLASS] = ELFCLASS32;
    memcpy(buf, &e32, sizeof(e32));
    for ( unsigned int i = 0; i < eh.e_phnum; i++ )
    {
        Elf64_Phdr ph;

        memcpy(&ph, elf64 + eh.e_phoff + i * sizeof(ph), sizeof(ph));
        Elf32_Phdr p32 = {
            .p_type = ph.p_type, .p_offset = (uint32_t)ph.p_offset,
            .p_vaddr = (uint32_t)ph.p_paddr, .p_paddr = (uint32_t)ph.p_paddr,
            .p_filesz = (uint32_t)ph.p_filesz, .p_memsz = (uint32_t)ph.p_memsz,
            .p_flags = ph.p_flags, .p_align = (uint32_t)ph.p_align,
        };
        memcpy(buf + sizeof(e32) + i * sizeof(p32), &p32, sizeof(p32));
    }
    return buf;
}

static uint8_t *gzip_buf(const uint8_t *in, size_t len, size_t *out_len)
{
    z_stream zs = { 0 };
    size_t cap = compressBound(len) + 64;
    uint8_t *out = malloc(cap);

    if ( !out || deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK )
        abort();
    zs.next_in = (uint8_t *)in;
    zs.avail_in = (uInt)len;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    if ( deflate(&zs, Z_FINISH) != Z_STREAM_END )
        abort();
    *out_len = cap - zs.avail_out;
    deflateEnd(&zs);
    return out;
}

static uint8_t *xz_buf(const uint8_t *in, size_t len, size_t *out_len)
{
    size_t cap = lzma_stream_buffer_bound(len);
    uint8_t *out = malloc(cap);
    size_t pos = 0;

    /* CRC32 check, as Linux's xz_wrap.sh uses. */
    if ( !out || lzma_easy_buffer_encode(6, LZMA_CHECK_CRC32, NULL, in, len, out, &pos, cap) != LZMA_OK )
        abort();
    *out_len = pos;
    return out;
}

#define SETUP_SECTS 3

uint8_t *synth_build_bzimage(const uint8_t *payload, size_t plen, enum synth_comp comp,
                             size_t *len)
{
    size_t clen;
    uint8_t *c = comp == SYNTH_GZIP ? gzip_buf(payload, plen, &clen) : xz_buf(payload, plen, &clen);
    size_t pm = (SETUP_SECTS + 1) * 512;
    size_t poff = 0x3a0;                   /* decompressor stub before the payload */
    size_t total = pm + poff + clen + 4;   /* + the 4-byte size Linux appends */
    uint8_t *bz = calloc(1, total);

    if ( !bz )
        abort();
    bz[0x1f1] = SETUP_SECTS;
    bz[0x1fe] = 0x55;
    bz[0x1ff] = 0xaa;
    memcpy(bz + 0x202, "HdrS", 4);
    bz[0x206] = 0x0f;                      /* protocol 2.15 */
    bz[0x207] = 0x02;
    uint32_t o32 = (uint32_t)poff, l32 = (uint32_t)clen, s32 = (uint32_t)plen;
    memcpy(bz + 0x248, &o32, 4);
    memcpy(bz + 0x24c, &l32, 4);
    memset(bz + pm, 0x90, poff);
    memcpy(bz + pm + poff, c, clen);
    memcpy(bz + pm + poff + clen, &s32, 4);
    free(c);
    *len = total;
    return bz;
}

size_t synth_payload_offset(const uint8_t *bz)
{
    uint32_t o;

    memcpy(&o, bz + 0x248, 4);
    return (size_t)(bz[0x1f1] + 1) * 512 + o;
}

size_t synth_payload_length(const uint8_t *bz)
{
    uint32_t l;

    memcpy(&l, bz + 0x24c, 4);
    return l;
}

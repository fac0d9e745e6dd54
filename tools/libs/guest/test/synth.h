/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test kernels built in memory: a minimal ELF64 x86-64 executable with
 * chosen PT_LOAD segments and Xen notes, and bzImage wrappers around a
 * gzip- or xz-compressed copy of it.
 */
#ifndef GUEST_TEST_SYNTH_H
#define GUEST_TEST_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#define SYNTH_MAX_SEGS 4

struct synth_seg {
    uint64_t paddr;
    uint32_t filesz, memsz;
    uint8_t fill;                   /* file bytes are fill, fill+1, ... */
};

struct synth_elf {
    unsigned int nr_segs;
    struct synth_seg segs[SYNTH_MAX_SEGS];
    int entry_note;                 /* 0: none; 4 or 8: desc size of PHYS32_ENTRY */
    uint64_t entry;
    int other_note_first;           /* put an unrelated "Xen" note before it */
};

/* Returns a malloc'd ELF image and its length. */
uint8_t *synth_build_elf(const struct synth_elf *s, size_t *len);

/*
 * The same kernel in an ELF32 container with e_machine `machine` (EM_386,
 * or EM_X86_64 as some small kernels are linked); same length and data.
 */
uint8_t *synth_to_elf32(const uint8_t *elf64, size_t len, uint16_t machine);

/* A default good kernel: text at 16 MiB, data + bss after it, entry in text. */
void synth_default(struct synth_elf *s);

enum synth_comp { SYNTH_GZIP, SYNTH_XZ };

/* A bzImage (protocol 2.15) whose payload is payload compressed with comp. */
uint8_t *synth_build_bzimage(const uint8_t *payload, size_t plen, enum synth_comp comp,
                             size_t *len);
/* Offset of the compressed payload inside a bzImage from synth_build_bzimage. */
size_t synth_payload_offset(const uint8_t *bz);
size_t synth_payload_length(const uint8_t *bz);

#endif /* GUEST_TEST_SYNTH_H */

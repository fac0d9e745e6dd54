/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest page-walk tests.  Page tables are built in a small fake
 * guest-physical memory; the read and write ops bounds-check every access,
 * so a walk that strays outside it shows up as -EFAULT (or as a count of
 * stray accesses), never as a host crash.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <asm/hvm/guest_walk.h>
#include <xen/errno.h>

#define MEM_PAGES 64
#define MEM_SIZE  (MEM_PAGES * 4096u)

#define CR0_PG   (1ULL << 31)
#define CR0_WP   (1ULL << 16)
#define CR4_PSE  (1ULL << 4)
#define CR4_PAE  (1ULL << 5)
#define CR4_LA57 (1ULL << 12)
#define EFER_LME (1ULL << 8)
#define EFER_LMA (1ULL << 10)
#define EFER_NXE (1ULL << 11)

#define P   (1ULL << 0)
#define RW  (1ULL << 1)
#define US  (1ULL << 2)
#define A   (1ULL << 5)
#define D   (1ULL << 6)
#define PS  (1ULL << 7)
#define NX  (1ULL << 63)
#define TBL (P | RW | US)              /* a fully permissive table entry */

static uint8_t mem[MEM_SIZE];
static unsigned long reads, writes, stray;

static bool in_mem(uint64_t gpa, unsigned int len)
{
    return gpa < MEM_SIZE && len <= MEM_SIZE - gpa;
}

static int mem_read(void *ctx, uint64_t gpa, void *buf, unsigned int len)
{
    assert_ptr_equal(ctx, mem);
    reads++;
    if ( !in_mem(gpa, len) )
    {
        stray++;
        return -EFAULT;
    }
    memcpy(buf, mem + gpa, len);
    return 0;
}

static int mem_write(void *ctx, uint64_t gpa, const void *buf, unsigned int len)
{
    assert_ptr_equal(ctx, mem);
    writes++;
    if ( !in_mem(gpa, len) )
    {
        stray++;
        return -EFAULT;
    }
    memcpy(mem + gpa, buf, len);
    return 0;
}

static const struct guest_walk_ops ops_rw = { mem_read, mem_write, mem };
static const struct guest_walk_ops ops_ro = { mem_read, NULL, mem };

static void set64(uint64_t gpa, uint64_t v) { memcpy(mem + gpa, &v, 8); }
static void set32(uint64_t gpa, uint32_t v) { memcpy(mem + gpa, &v, 4); }

static uint64_t get64(uint64_t gpa)
{
    uint64_t v;

    memcpy(&v, mem + gpa, 8);
    return v;
}

static uint32_t get32(uint64_t gpa)
{
    uint32_t v;

    memcpy(&v, mem + gpa, 4);
    return v;
}

#define pg(n) ((uint64_t)(n) * 4096)

static int setup(void **state)
{
    memset(mem, 0, sizeof(mem));
    reads = writes = stray = 0;
    return 0;
}

/* Walk and expect success with `want`. */
static void ok(const struct guest_paging_state *s, uint64_t la,
               unsigned int access, uint64_t want)
{
    uint64_t gpa = ~0ULL;
    uint32_t pfec = ~0u;

    assert_int_equal(guest_walk(s, &ops_ro, la, access, &gpa, &pfec), 0);
    assert_int_equal(gpa, want);
}

/* Walk and expect a #PF with error code `want`. */
static void pf(const struct guest_paging_state *s, uint64_t la,
               unsigned int access, uint32_t want)
{
    uint64_t gpa = 0x5a5a;
    uint32_t pfec = ~0u;

    assert_int_equal(guest_walk(s, &ops_ro, la, access, &gpa, &pfec), -EINVAL);
    assert_int_equal(pfec, want);
    assert_int_equal(gpa, 0x5a5a);     /* untouched on failure */
}

/* ---- mode set-ups ------------------------------------------------------ */

static const struct guest_paging_state st_32 = { CR0_PG | CR0_WP, pg(1), 0, 0 };
static const struct guest_paging_state st_32pse = {
    CR0_PG | CR0_WP, pg(1), CR4_PSE, 0 };
static const struct guest_paging_state st_pae = {
    CR0_PG | CR0_WP, pg(1) + 0x20, CR4_PAE, EFER_NXE };
static const struct guest_paging_state st_long = {
    CR0_PG | CR0_WP, pg(1), CR4_PAE, EFER_LME | EFER_LMA | EFER_NXE };
static const struct guest_paging_state st_la57 = {
    CR0_PG | CR0_WP, pg(1), CR4_PAE | CR4_LA57, EFER_LME | EFER_LMA | EFER_NXE };

#define LA_32 0xc0412345ULL            /* PDE 769, PTE 18 */

/* 32-bit: PD at page 1, PT at page 2, LA_32 -> frame 0x1234. */
static void build_32(void)
{
    set32(pg(1) + (LA_32 >> 22) * 4, pg(2) | TBL);
    set32(pg(2) + ((LA_32 >> 12) & 1023) * 4, 0x1234000 | TBL);
}

#define LA_PAE 0xc0612345ULL           /* PDPTE 3, PDE 3, PTE 18 */

/* PAE: PDPTEs at page 1 + 0x20, PD at page 2, PT at page 3. */
static void build_pae(void)
{
    set64(pg(1) + 0x20 + 3 * 8, pg(2) | P);
    set64(pg(2) + ((LA_PAE >> 21) & 511) * 8, pg(3) | TBL);
    set64(pg(3) + ((LA_PAE >> 12) & 511) * 8, 0x123456789000ULL | TBL);
}

#define LA_64 0xffff812345678abcULL

static unsigned int idx(uint64_t la, unsigned int level)
{
    return (la >> (12 + 9 * (level - 1))) & 511;
}

/* `levels`-level long mode: tables at pages 1..levels, leaf -> 0xabcdef000. */
static void build_long(uint64_t la, unsigned int levels)
{
    unsigned int l;

    for ( l = levels; l > 1; l-- )
        set64(pg(levels + 1 - l) + idx(la, l) * 8, pg(levels + 2 - l) | TBL);
    set64(pg(levels) + idx(la, 1) * 8, 0xabcdef000ULL | TBL);
}

/* Address of the entry at `level` used for `la` by build_long(). */
static uint64_t ent_long(uint64_t la, unsigned int levels, unsigned int level)
{
    return pg(levels + 1 - level) + idx(la, level) * 8;
}

/* ---- translations ------------------------------------------------------ */

static void test_no_paging(void **state)
{
    struct guest_paging_state s = { 0, pg(1), 0, 0 };

    ok(&s, 0x123456789ULL, PFEC_WRITE | PFEC_USER | PFEC_INSN, 0x23456789);
    s.efer = EFER_LMA;                 /* not reachable on hardware */
    ok(&s, 0x123456789ULL, 0, 0x123456789ULL);
    assert_int_equal(reads, 0);
}

static void test_32bit_4k(void **state)
{
    build_32();
    ok(&st_32, LA_32, 0, 0x1234345);
    ok(&st_32, LA_32 | 0xfff, PFEC_WRITE | PFEC_USER, 0x1234fff);
    ok(&st_32, LA_32 | 0xffffffff00000000ULL, 0, 0x1234345); /* 32-bit la */
    /* PS without CR4.PSE is ignored: still a table pointer. */
    set32(pg(1) + (LA_32 >> 22) * 4, pg(2) | TBL | PS);
    ok(&st_32, LA_32, 0, 0x1234345);
}

static void test_32bit_4m(void **state)
{
    /* PSE-36: PDE bits 20:13 are physical address bits 39:32. */
    set32(pg(1) + (LA_32 >> 22) * 4, 0x12c00000 | (0x5aU << 13) | TBL | PS);
    ok(&st_32pse, LA_32, 0, 0x5a12c00000ULL | (LA_32 & 0x3fffff));
    ok(&st_32pse, LA_32 | 0x3fffff, PFEC_WRITE, 0x5a12ffffffULL);
    assert_int_equal(reads, 2);        /* one level only */
    set32(pg(1) + (LA_32 >> 22) * 4, 0x12c00000 | (1U << 21) | TBL | PS);
    pf(&st_32pse, LA_32, PFEC_WRITE, PFEC_PRESENT | PFEC_RSVD | PFEC_WRITE);
}

static void test_pae(void **state)
{
    build_pae();
    ok(&st_pae, LA_PAE, 0, 0x123456789345ULL);
    /* 2 MiB page. */
    set64(pg(2) + ((LA_PAE >> 21) & 511) * 8, 0x7fe00000ULL | TBL | PS);
    ok(&st_pae, LA_PAE, PFEC_USER, 0x7fe00000ULL | (LA_PAE & 0x1fffff));
    /* Bits 62:52 are reserved in PAE entries. */
    set64(pg(2) + ((LA_PAE >> 21) & 511) * 8, 0x7fe00000ULL | TBL | PS | (1ULL << 55));
    pf(&st_pae, LA_PAE, 0, PFEC_PRESENT | PFEC_RSVD);
    /* 2 MiB frame not aligned: bit 13 is reserved. */
    set64(pg(2) + ((LA_PAE >> 21) & 511) * 8, 0x7fe02000ULL | TBL | PS);
    pf(&st_pae, LA_PAE, 0, PFEC_PRESENT | PFEC_RSVD);
}

static void test_pae_pdpte(void **state)
{
    build_pae();
    set64(pg(1) + 0x20 + 3 * 8, pg(2));                    /* not present */
    pf(&st_pae, LA_PAE, PFEC_WRITE, PFEC_WRITE);
    pf(&st_pae, 0x00012345, 0, 0);                          /* PDPTE 0 empty */
    set64(pg(1) + 0x20 + 3 * 8, pg(2) | P | RW);            /* RW reserved */
    pf(&st_pae, LA_PAE, 0, PFEC_PRESENT | PFEC_RSVD);
    set64(pg(1) + 0x20 + 3 * 8, pg(2) | P | NX);            /* so is NX */
    pf(&st_pae, LA_PAE, 0, PFEC_PRESENT | PFEC_RSVD);
}

static void test_long_4k(void **state)
{
    build_long(LA_64, 4);
    ok(&st_long, LA_64, 0, 0xabcdefabcULL);
    ok(&st_long, LA_64 & ~0xfffULL, PFEC_WRITE | PFEC_USER | PFEC_INSN,
       0xabcdef000ULL);
    /* Bits 62:52 are ignored in long mode, not reserved. */
    set64(ent_long(LA_64, 4, 1), get64(ent_long(LA_64, 4, 1)) | (0x7ffULL << 52));
    ok(&st_long, LA_64, 0, 0xabcdefabcULL);
}

static void test_long_large(void **state)
{
    build_long(LA_64, 4);
    /* 2 MiB */
    set64(ent_long(LA_64, 4, 2), 0x40000000ULL | TBL | PS);
    ok(&st_long, LA_64, 0, 0x40000000ULL | (LA_64 & 0x1fffff));
    set64(ent_long(LA_64, 4, 2), 0x40100000ULL | TBL | PS);  /* bit 20 */
    pf(&st_long, LA_64, 0, PFEC_PRESENT | PFEC_RSVD);
    /* 1 GiB */
    set64(ent_long(LA_64, 4, 3), 0x3c0000000ULL | TBL | PS);
    ok(&st_long, LA_64, 0, 0x3c0000000ULL | (LA_64 & 0x3fffffff));
    set64(ent_long(LA_64, 4, 3), 0x3c0000000ULL | (1ULL << 29) | TBL | PS);
    pf(&st_long, LA_64, PFEC_USER, PFEC_PRESENT | PFEC_RSVD | PFEC_USER);
    /* PS in a PML4E is reserved. */
    set64(ent_long(LA_64, 4, 3), pg(3) | TBL);
    set64(ent_long(LA_64, 4, 4), get64(ent_long(LA_64, 4, 4)) | PS);
    pf(&st_long, LA_64, 0, PFEC_PRESENT | PFEC_RSVD);
}

static void test_la57(void **state)
{
    uint64_t la = 0xff12345678abcdefULL;   /* canonical only with 57 bits */
    uint32_t pfec;
    uint64_t gpa;

    build_long(la, 5);
    ok(&st_la57, la, 0, 0xabcdefdefULL);
    assert_int_equal(guest_walk(&st_long, &ops_ro, la, 0, &gpa, &pfec), -EINVAL);
    assert_int_equal(pfec, 0);
    set64(ent_long(la, 5, 5), get64(ent_long(la, 5, 5)) | PS);
    pf(&st_la57, la, 0, PFEC_PRESENT | PFEC_RSVD);
}

static void test_non_canonical(void **state)
{
    static const uint64_t bad[] = {
        0x0000800000000000ULL, 0xffff7fffffffffffULL, 0x8000000000000000ULL,
        0x00ff000000000000ULL,
    };
    unsigned int i;

    build_long(LA_64, 4);
    for ( i = 0; i < sizeof(bad) / sizeof(bad[0]); i++ )
    {
        uint32_t pfec = ~0u;
        uint64_t gpa = 7;

        assert_int_equal(guest_walk(&st_long, &ops_rw, bad[i], PFEC_WRITE,
                                    &gpa, &pfec), -EINVAL);
        assert_int_equal(pfec, 0);
        assert_int_equal(gpa, 7);
    }
    assert_int_equal(reads, 0);
    pf(&st_long, 0x00007fffffffffffULL, 0, 0);  /* canonical, not mapped */
}

/* ---- faults ------------------------------------------------------------ */

static void test_not_present_each_level(void **state)
{
    unsigned int level;
    const unsigned int acc = PFEC_WRITE | PFEC_USER;

    for ( level = 1; level <= 4; level++ )
    {
        uint64_t at = ent_long(LA_64, 4, level);

        memset(mem, 0, sizeof(mem));
        build_long(LA_64, 4);
        set64(at, get64(at) & ~P);
        pf(&st_long, LA_64, acc, acc);
        pf(&st_long, LA_64, 0, 0);
        pf(&st_long, LA_64, PFEC_INSN, PFEC_INSN);
    }

    memset(mem, 0, sizeof(mem));
    build_32();
    set32(pg(1) + (LA_32 >> 22) * 4, 0);
    pf(&st_32, LA_32, acc, acc);
    build_32();
    set32(pg(2) + ((LA_32 >> 12) & 1023) * 4, 0x1234000 | RW | US);
    pf(&st_32, LA_32, PFEC_USER, PFEC_USER);
    /* No I/D bit without NX paging. */
    pf(&st_32, LA_32, PFEC_INSN, 0);

    memset(mem, 0, sizeof(mem));
    build_pae();
    set64(pg(2) + ((LA_PAE >> 21) & 511) * 8, 0);
    pf(&st_pae, LA_PAE, PFEC_WRITE, PFEC_WRITE);
}

static void test_write_protect(void **state)
{
    struct guest_paging_state s = st_long;
    uint64_t leaf = ent_long(LA_64, 4, 1);

    build_long(LA_64, 4);
    set64(leaf, get64(leaf) & ~RW);
    ok(&s, LA_64, 0, 0xabcdefabcULL);
    pf(&s, LA_64, PFEC_WRITE, PFEC_PRESENT | PFEC_WRITE);
    pf(&s, LA_64, PFEC_WRITE | PFEC_USER, PFEC_PRESENT | PFEC_WRITE | PFEC_USER);
    s.cr0 &= ~CR0_WP;
    ok(&s, LA_64, PFEC_WRITE, 0xabcdefabcULL);
    pf(&s, LA_64, PFEC_WRITE | PFEC_USER, PFEC_PRESENT | PFEC_WRITE | PFEC_USER);

    /* R/W combines across levels: read-only at the PDPTE is enough. */
    set64(leaf, get64(leaf) | RW);
    set64(ent_long(LA_64, 4, 3), get64(ent_long(LA_64, 4, 3)) & ~RW);
    ok(&s, LA_64, PFEC_WRITE, 0xabcdefabcULL);
    pf(&st_long, LA_64, PFEC_WRITE, PFEC_PRESENT | PFEC_WRITE);

    /* 32-bit paging the same way, read-only at the PDE. */
    build_32();
    set32(pg(1) + (LA_32 >> 22) * 4, pg(2) | P | US);
    ok(&st_32, LA_32, PFEC_USER, 0x1234345);
    pf(&st_32, LA_32, PFEC_WRITE, PFEC_PRESENT | PFEC_WRITE);
}

static void test_user_supervisor(void **state)
{
    build_long(LA_64, 4);
    set64(ent_long(LA_64, 4, 4), get64(ent_long(LA_64, 4, 4)) & ~US);
    ok(&st_long, LA_64, PFEC_WRITE, 0xabcdefabcULL);      /* supervisor ok */
    pf(&st_long, LA_64, PFEC_USER, PFEC_PRESENT | PFEC_USER);
    pf(&st_long, LA_64, PFEC_USER | PFEC_INSN,
       PFEC_PRESENT | PFEC_USER | PFEC_INSN);

    build_pae();
    set64(pg(3) + ((LA_PAE >> 12) & 511) * 8, 0x123456789000ULL | P | RW);
    pf(&st_pae, LA_PAE, PFEC_USER | PFEC_WRITE,
       PFEC_PRESENT | PFEC_USER | PFEC_WRITE);
}

static void test_nx(void **state)
{
    struct guest_paging_state s = st_long;
    uint64_t pde = ent_long(LA_64, 4, 2);

    build_long(LA_64, 4);
    set64(pde, get64(pde) | NX);
    ok(&s, LA_64, PFEC_WRITE | PFEC_USER, 0xabcdefabcULL);
    pf(&s, LA_64, PFEC_INSN, PFEC_PRESENT | PFEC_INSN);
    pf(&s, LA_64, PFEC_INSN | PFEC_USER, PFEC_PRESENT | PFEC_INSN | PFEC_USER);

    /* With EFER.NXE clear the bit is reserved, for any access. */
    s.efer &= ~EFER_NXE;
    pf(&s, LA_64, 0, PFEC_PRESENT | PFEC_RSVD);
    pf(&s, LA_64, PFEC_INSN, PFEC_PRESENT | PFEC_RSVD);
    set64(pde, get64(pde) & ~NX);
    ok(&s, LA_64, PFEC_INSN, 0xabcdefabcULL);

    /* PAE as well. */
    build_pae();
    set64(pg(3) + ((LA_PAE >> 12) & 511) * 8, 0x123456789000ULL | TBL | NX);
    pf(&st_pae, LA_PAE, PFEC_INSN, PFEC_PRESENT | PFEC_INSN);
    ok(&st_pae, LA_PAE, 0, 0x123456789345ULL);
}

static void test_efault(void **state)
{
    struct guest_paging_state s = st_long;
    uint32_t pfec;
    uint64_t gpa = 3;

    build_long(LA_64, 4);
    s.cr3 = 0x40000000;                /* root outside guest memory */
    assert_int_equal(guest_walk(&s, &ops_rw, LA_64, 0, &gpa, &pfec), -EFAULT);
    set64(ent_long(LA_64, 4, 2), 0x7ffffff000ULL | TBL);  /* PT outside */
    assert_int_equal(guest_walk(&st_long, &ops_rw, LA_64, 0, &gpa, &pfec),
                     -EFAULT);
    assert_int_equal(gpa, 3);
    /* Data page outside memory is fine: the walker does not touch it. */
    set64(ent_long(LA_64, 4, 2), 0x7fffe00000ULL | TBL | PS);
    ok(&st_long, LA_64, 0, 0x7fffe00000ULL | (LA_64 & 0x1fffff));

    /* The last PDPTE ends exactly at the end of memory; one past does not. */
    s = st_pae;
    s.cr3 = MEM_SIZE - 0x20;
    assert_int_equal(guest_walk(&s, &ops_ro, 0xc0000000, 0, &gpa, &pfec), -EINVAL);
    s.cr3 = MEM_SIZE;
    assert_int_equal(guest_walk(&s, &ops_ro, 0, 0, &gpa, &pfec), -EFAULT);
}

/* ---- Accessed / Dirty -------------------------------------------------- */

static void test_accessed_dirty(void **state)
{
    static uint8_t before[MEM_SIZE];
    uint64_t gpa;
    uint32_t pfec;
    unsigned int l;

    build_long(LA_64, 4);

    /* No write op: nothing changes. */
    memcpy(before, mem, MEM_SIZE);
    ok(&st_long, LA_64, PFEC_WRITE, 0xabcdefabcULL);
    assert_memory_equal(before, mem, MEM_SIZE);

    /* A failing walk changes nothing either. */
    set64(ent_long(LA_64, 4, 1), get64(ent_long(LA_64, 4, 1)) & ~RW);
    memcpy(before, mem, MEM_SIZE);
    assert_int_equal(guest_walk(&st_long, &ops_rw, LA_64, PFEC_WRITE | PFEC_USER,
                                &gpa, &pfec), -EINVAL);
    assert_memory_equal(before, mem, MEM_SIZE);
    assert_int_equal(writes, 0);
    set64(ent_long(LA_64, 4, 1), get64(ent_long(LA_64, 4, 1)) | RW);

    /* A read sets A everywhere, D nowhere. */
    assert_int_equal(guest_walk(&st_long, &ops_rw, LA_64, 0, &gpa, &pfec), 0);
    for ( l = 1; l <= 4; l++ )
        assert_int_equal(get64(ent_long(LA_64, 4, l)) & (A | D), A);
    assert_int_equal(writes, 4);

    /* A write then sets D on the leaf only; A already set is not rewritten. */
    assert_int_equal(guest_walk(&st_long, &ops_rw, LA_64, PFEC_WRITE, &gpa,
                                &pfec), 0);
    assert_int_equal(writes, 5);
    assert_int_equal(get64(ent_long(LA_64, 4, 1)), 0xabcdef000ULL | TBL | A | D);
    for ( l = 2; l <= 4; l++ )
        assert_int_equal(get64(ent_long(LA_64, 4, l)) & (A | D), A);

    /* Large page: D on the PDE that maps it. */
    set64(ent_long(LA_64, 4, 2), 0x40000000ULL | TBL | PS);
    assert_int_equal(guest_walk(&st_long, &ops_rw, LA_64, PFEC_WRITE, &gpa,
                                &pfec), 0);
    assert_int_equal(get64(ent_long(LA_64, 4, 2)), 0x40000000ULL | TBL | PS | A | D);

    /* 32-bit: 4-byte entries; neighbours untouched. */
    memset(mem, 0, sizeof(mem));
    build_32();
    assert_int_equal(guest_walk(&st_32, &ops_rw, LA_32, PFEC_WRITE, &gpa, &pfec), 0);
    assert_int_equal(get32(pg(1) + (LA_32 >> 22) * 4), pg(2) | TBL | A);
    assert_int_equal(get32(pg(2) + ((LA_32 >> 12) & 1023) * 4),
                     0x1234000 | TBL | A | D);
    assert_int_equal(get32(pg(2) + ((LA_32 >> 12) & 1023) * 4 + 4), 0);

    /* PAE: the PDPTE has no A bit and is left alone. */
    memset(mem, 0, sizeof(mem));
    build_pae();
    assert_int_equal(guest_walk(&st_pae, &ops_rw, LA_PAE, PFEC_WRITE, &gpa, &pfec), 0);
    assert_int_equal(get64(pg(1) + 0x20 + 3 * 8), pg(2) | P);
    assert_int_equal(get64(pg(2) + ((LA_PAE >> 21) & 511) * 8), pg(3) | TBL | A);
    assert_int_equal(get64(pg(3) + ((LA_PAE >> 12) & 511) * 8),
                     0x123456789000ULL | TBL | A | D);
    assert_int_equal(stray, 0);
}

/* ---- fuzz -------------------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Mostly plausible entries (present, pointing into memory), some garbage. */
static uint64_t random_entry(void)
{
    uint64_t r = rnd();

    switch ( r & 3 )
    {
    case 0:
        return rnd();
    case 1:
        return (rnd() % (MEM_PAGES + 4)) * 4096 | (r >> 8 & 0xfff) | P;
    default:
        return (rnd() % MEM_PAGES) * 4096 | (r >> 8 & 0x1ff) | P |
               (r & (1ULL << 40) ? NX : 0);
    }
}

static void test_fuzz(void **state)
{
    static const uint64_t cr0s[] = { 0, CR0_PG, CR0_PG | CR0_WP };
    static const uint64_t cr4s[] = { 0, CR4_PSE, CR4_PAE, CR4_PAE | CR4_PSE,
                                     CR4_PAE | CR4_LA57 };
    static const uint64_t efers[] = { 0, EFER_NXE, EFER_LMA | EFER_LME,
                                      EFER_LMA | EFER_LME | EFER_NXE };
    unsigned int round, i, ok_count = 0, pf_count = 0, ef_count = 0;

    for ( round = 0; round < 40; round++ )
    {
        for ( i = 0; i < MEM_SIZE / 8; i++ )
            set64(i * 8, random_entry());

        for ( i = 0; i < 2000; i++ )
        {
            struct guest_paging_state s = {
                .cr0 = cr0s[rnd() % 3],
                .cr3 = rnd() % 8 ? (rnd() % MEM_PAGES) * 4096 + (rnd() & 0xfe0)
                                 : rnd(),
                .cr4 = cr4s[rnd() % 5],
                .efer = efers[rnd() % 4],
            };
            uint64_t la = rnd() % 4 ? rnd() : (uint64_t)((int64_t)(rnd() << 16) >> 16);
            unsigned int access = rnd() & 7 ? (rnd() & 0x16) : (rnd() & 0xff);
            uint64_t gpa = 0;
            uint32_t pfec = 0;
            int rc = guest_walk(&s, rnd() & 1 ? &ops_rw : &ops_ro, la, access,
                                &gpa, &pfec);

            switch ( rc )
            {
            case 0:
                ok_count++;
                assert_int_equal(gpa & 0xfff, la & 0xfff);
                break;
            case -EINVAL:
                pf_count++;
                assert_int_equal(pfec & ~0x1fu, 0);
                if ( pfec & PFEC_RSVD )
                    assert_true(pfec & PFEC_PRESENT);
                if ( pfec )            /* 0: non-canonical, or a plain read */
                {
                    assert_int_equal(pfec & PFEC_WRITE, access & PFEC_WRITE);
                    assert_int_equal(pfec & PFEC_USER, access & PFEC_USER);
                }
                break;
            case -EFAULT:
                ef_count++;
                break;
            default:
                fail_msg("unexpected rc %d", rc);
            }
        }
    }
    /* Every outcome was exercised. */
    assert_true(ok_count > 1000);
    assert_true(pf_count > 1000);
    assert_true(ef_count > 100);
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_no_paging),
        T(test_32bit_4k),
        T(test_32bit_4m),
        T(test_pae),
        T(test_pae_pdpte),
        T(test_long_4k),
        T(test_long_large),
        T(test_la57),
        T(test_non_canonical),
        T(test_not_present_each_level),
        T(test_write_protect),
        T(test_user_supervisor),
        T(test_nx),
        T(test_efault),
        T(test_accessed_dirty),
        T(test_fuzz),
    };

    return cmocka_run_group_tests_name("guest_walk", tests, NULL, NULL);
}

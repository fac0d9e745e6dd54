/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Grant-table batches longer than one hypercall invocation does: the
 * hypervisor continues them (RIP stays on the VMMCALL/VMCALL, the argument
 * registers say what is left), and the guest must see one call that
 * returns when every element has its status.  The test grants a page of
 * its own to itself (so it must be dom0, whose id it knows), maps it at
 * BATCH gfns above RAM, copies from it and unmaps it again, each in one
 * call, with a periodic timer interrupting the calls.
 */
#include "guest.h"
#include <public/grant_table.h>

#define GNTTAB_GFN   0xfe001ul      /* below 4 GiB, outside RAM */
#define MAP_GFN      0x80000ul      /* 2 GiB: far above a test domain's RAM */
#define BATCH        1200           /* more than two invocations' worth */
#define REF          1
#define BAD_REF      4095           /* beyond the one frame the table has */
#define BAD_HANDLE   0xffffffffu

static struct gnttab_map_grant_ref maps[BATCH];
static struct gnttab_copy copies[BATCH];
static struct gnttab_unmap_grant_ref unmaps[BATCH];
static uint8_t src[4096] __attribute__((aligned(4096)));
static uint8_t dst[4096] __attribute__((aligned(4096)));

/* Every 100th element is one the hypervisor must refuse on its own. */
static int is_bad(unsigned int i)
{
    return i % 100 == 50;
}

static uint8_t pattern(unsigned int i)
{
    return (uint8_t)(i * 7 + 1);
}

/*
 * grant_table_op with the argument registers as the call left them: a
 * continued call comes back with the pointer and count of its last
 * invocation, which the hypervisor does not touch once it completes.
 */
static long gnttab_op(uint32_t cmd, void *ops, uint64_t count, uint64_t *uop_left,
                      uint64_t *count_left)
{
    register uint64_t r10 asm("r10") = 0;
    register uint64_t r8 asm("r8") = 0;
    void *stub = hypercall_page + __HYPERVISOR_grant_table_op * 32;
    uint64_t a1 = cmd, a2 = (uint64_t)(uintptr_t)ops, a3 = count;
    long ret;

    asm volatile("call *%[stub]"
                 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                 : [stub] "r"(stub)
                 : "memory", "rcx", "r11", "r9");
    *uop_left = a2;
    *count_left = a3;
    return ret;
}

/*
 * One batch in one call, with the timer on: 0, and the registers must show
 * that it was continued as Xen does (the last invocation got fewer than
 * all elements, its pointer advanced by exactly the ones done before).
 */
static int run_batch(const char *what, uint32_t cmd, void *ops, size_t size,
                     unsigned int *last_count)
{
    uint64_t uop, left;
    long rc;

    asm volatile("sti" ::: "memory");
    rc = gnttab_op(cmd, ops, BATCH, &uop, &left);
    asm volatile("cli" ::: "memory");
    if (rc) {
        verdict(0, "%s batch of %u: rc %ld", what, BATCH, rc);
        return 0;
    }
    if (!left || left >= BATCH ||
        uop != (uint64_t)(uintptr_t)ops + (BATCH - left) * size) {
        verdict(0, "%s batch of %u: registers after the call: uop 0x%lx (array at %p), "
                "count %lu: not continued as expected", what, BATCH, uop, ops, left);
        return 0;
    }
    *last_count = left;
    return 1;
}

static int check_maps(void)
{
    static uint8_t seen[8192 / 8];      /* handles given out (Tonnerre's limit) */

    for (unsigned int i = 0; i < BATCH; i++) {
        volatile uint8_t *at = (volatile uint8_t *)((MAP_GFN + i) << 12);
        int want = is_bad(i) ? GNTST_bad_gntref : GNTST_okay;

        if (maps[i].status != want) {
            verdict(0, "map %u: status %d, want %d", i, maps[i].status, want);
            return 0;
        }
        if (!is_bad(i) && at[i % 4096] != pattern(i % 4096)) {
            verdict(0, "map %u: byte %u reads 0x%x through gfn 0x%lx, want 0x%x",
                    i, i % 4096, at[i % 4096], MAP_GFN + i, pattern(i % 4096));
            return 0;
        }
        if (is_bad(i))
            continue;
        if (maps[i].handle >= sizeof(seen) * 8 ||
            (seen[maps[i].handle / 8] & (1u << (maps[i].handle % 8)))) {
            verdict(0, "map %u: handle %u out of range or given twice", i, maps[i].handle);
            return 0;
        }
        seen[maps[i].handle / 8] |= 1u << (maps[i].handle % 8);
    }
    return 1;
}

static int check_copies(void)
{
    for (unsigned int i = 0; i < BATCH; i++) {
        int want = is_bad(i) ? GNTST_bad_copy_arg : GNTST_okay;
        uint8_t byte = is_bad(i) ? 0 : pattern(i);

        if (copies[i].status != want || dst[i] != byte) {
            verdict(0, "copy %u: status %d byte 0x%x, want %d and 0x%x",
                    i, copies[i].status, dst[i], want, byte);
            return 0;
        }
    }
    return 1;
}

static int check_unmaps(volatile struct grant_entry_v1 *e)
{
    for (unsigned int i = 0; i < BATCH; i++) {
        int want = is_bad(i) ? GNTST_bad_handle : GNTST_okay;

        if (unmaps[i].status != want) {
            verdict(0, "unmap %u: status %d, want %d", i, unmaps[i].status, want);
            return 0;
        }
    }
    /* The last pin went: the entry's flags are as the guest wrote them. */
    if (e->flags != (GTF_permit_access | GTF_readonly)) {
        verdict(0, "entry flags 0x%x after all unmaps, want 0x%x", e->flags,
                GTF_permit_access | GTF_readonly);
        return 0;
    }
    return 1;
}

static void fill_batches(void)
{
    uint64_t dst_gfn = (uint64_t)(uintptr_t)dst >> 12;

    for (unsigned int i = 0; i < BATCH; i++) {
        maps[i] = (struct gnttab_map_grant_ref){
            .host_addr = (MAP_GFN + i) << 12, .flags = GNTMAP_host_map | GNTMAP_readonly,
            .ref = is_bad(i) ? BAD_REF : REF, .dom = 0, .status = 77 };
        /* Byte i of the grant to byte i of dst; a bad one runs off the page. */
        copies[i] = (struct gnttab_copy){
            .source = { .u.ref = REF, .domid = 0, .offset = i },
            .dest = { .u.gmfn = dst_gfn, .domid = DOMID_SELF, .offset = i },
            .len = is_bad(i) ? 4097 - i : 1, .flags = GNTCOPY_source_gref,
            .status = 77 };
    }
    for (unsigned int i = 0; i < 4096; i++)
        src[i] = pattern(i);
    memset(dst, 0, sizeof(dst));
}

/*
 * 200 us, or 40000 TSC cycles if longer: an emulated CPU of a few MHz
 * (bochs's default) would spend all its time taking the interrupts.
 */
static uint64_t timer_period_ns(void)
{
    uint64_t min_ns = tsc_khz ? 40000 * 1000000ull / tsc_khz : 10000000;

    return min_ns > 200000 ? min_ns : 200000;
}

void test_gnttab_batch(void)
{
    volatile struct grant_entry_v1 *e = (volatile struct grant_entry_v1 *)(GNTTAB_GFN << 12);
    unsigned int last_map, last_copy, last_unmap, irqs;
    struct xen_add_to_physmap x = {
        .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = 0,
        .gpfn = GNTTAB_GFN };
    long rc;

    if (!(si_flags & SIF_INITDOMAIN))
        return verdict(0, "must run as dom0 (it grants to domain 0)");
    if ((rc = memory_op(XENMEM_add_to_physmap, &x)))
        return verdict(0, "add_to_physmap(grant_table, idx 0, gpfn 0x%lx) = %ld",
                       GNTTAB_GFN, rc);
    fill_batches();
    e[REF] = (struct grant_entry_v1){
        .flags = GTF_permit_access | GTF_readonly, .domid = 0,
        .frame = (uint32_t)((uintptr_t)src >> 12) };
    if (!x2apic_periodic(timer_period_ns()))
        return verdict(0, "no x2APIC");
    irqs = timer_irqs;

    if (!run_batch("map", GNTTABOP_map_grant_ref, maps, sizeof(maps[0]), &last_map) ||
        !check_maps())
        goto out;
    if (!run_batch("copy", GNTTABOP_copy, copies, sizeof(copies[0]), &last_copy) ||
        !check_copies())
        goto out;
    for (unsigned int i = 0; i < BATCH; i++)
        unmaps[i] = (struct gnttab_unmap_grant_ref){
            .host_addr = maps[i].host_addr, .status = 77,
            .handle = is_bad(i) ? BAD_HANDLE : maps[i].handle };
    if (!run_batch("unmap", GNTTABOP_unmap_grant_ref, unmaps, sizeof(unmaps[0]),
                   &last_unmap) || !check_unmaps(&e[REF]))
        goto out;
    irqs = timer_irqs - irqs;
    x2apic_timer_stop();
    return verdict(1, "map, copy, unmap batches of %u in one call each, every status right "
                   "(%u refused), continued: last invocations did %u, %u, %u; "
                   "%u timer interrupts (every %lu us) meanwhile",
                   BATCH, BATCH / 100, last_map, last_copy, last_unmap, irqs,
                   timer_period_ns() / 1000);
 out:
    x2apic_timer_stop();
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tests of the paravirtual interfaces a PVH kernel builds on: the feature
 * bitmap, the shared-info page (wall clock, pvclock), grant frames, event
 * channels delivered through the HVM callback vector, and a vcpu_info
 * moved into the guest's own RAM.
 */
#include "guest.h"

#define MS            1000000ul       /* ns */
#define SHINFO_GFN    0xfe000ul      /* below 4 GiB, outside RAM */
#define GNTTAB_GFN    0xfe001ul
#define EPOCH_2024    1704067200ull   /* 2024-01-01 00:00:00 UTC */
#define EPOCH_2035    2051222400ull   /* 2035-01-01 00:00:00 UTC */
#define NR_PORTS      (EVTCHN_2L_WORDS * 64)

static volatile struct shared_info *shinfo;
/* Where the upcall handler reads its flags: shared_info's slot 0, or the
 * vcpu_info registered with VCPUOP_register_vcpu_info. */
static volatile struct vcpu_info *upcall_vi;
static volatile unsigned int upcalls, upcall_ports, port_hits[NR_PORTS];

static uint64_t tsc_us(uint64_t cycles)
{
    return tsc_khz ? cycles * 1000 / tsc_khz : 0;
}

/* ---- features ---- */

void test_features(void)
{
    struct xen_feature_info fi = { .submap_idx = 0, .submap = 0 };
    const uint32_t want = (1u << XENFEAT_auto_translated_physmap) |
                          (1u << XENFEAT_hvm_callback_vector) |
                          (1u << XENFEAT_hvm_safe_pvclock);
    int initdom = !!(si_flags & SIF_INITDOMAIN), dom0;
    long rc;

    rc = xen_version(XENVER_get_features, &fi);
    if (rc)
        return verdict(0, "XENVER_get_features(0) = %ld", rc);
    if ((fi.submap & want) != want)
        return verdict(0, "submap 0x%x lacks 0x%x", fi.submap, want & ~fi.submap);
    dom0 = !!(fi.submap & (1u << XENFEAT_dom0));
    if (dom0 != initdom)
        return verdict(0, "submap 0x%x: XENFEAT_dom0 %d but start_info flags 0x%x",
                       fi.submap, dom0, si_flags);
    fi = (struct xen_feature_info){ .submap_idx = 1, .submap = 0xdeadbeef };
    rc = xen_version(XENVER_get_features, &fi);
    if (rc != -EINVAL)
        return verdict(0, "XENVER_get_features(1) = %ld, want -22", rc);
    verdict(1, "submap 0x%x (auto_translated, callback_vector, safe_pvclock%s), "
            "start_info flags 0x%x, submap 1 -> %ld",
            (uint32_t)(want | (dom0 ? 1u << XENFEAT_dom0 : 0)), dom0 ? ", dom0" : "",
            si_flags, rc);
}

/* ---- shared info and pvclock ---- */

static long add_to_physmap(uint16_t domid, uint32_t space, uint64_t idx, uint64_t gpfn)
{
    struct xen_add_to_physmap x = {
        .domid = domid, .space = space, .idx = idx, .gpfn = gpfn,
    };

    return memory_op(XENMEM_add_to_physmap, &x);
}

/* Map shared_info at SHINFO_GFN (identity-mapped); NULL after a FAIL line. */
static volatile struct shared_info *map_shared_info(void)
{
    long rc = add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, SHINFO_GFN);

    if (rc) {
        verdict(0, "add_to_physmap(shared_info, gpfn 0x%lx) = %ld", SHINFO_GFN, rc);
        return NULL;
    }
    shinfo = (volatile struct shared_info *)(uintptr_t)(SHINFO_GFN << 12);
    upcall_vi = &shinfo->vcpu_info[0];
    return shinfo;
}

/* System time from a pvclock at TSC value at (0: now); *tsc_out gets the
 * TSC it was computed for. */
static uint64_t pvclock_at(volatile struct vcpu_time_info *t, uint64_t at, uint64_t *tsc_out)
{
    uint32_t ver;
    uint64_t tsc, delta, ns;
    int8_t shift;

    do {
        ver = t->version;
        asm volatile("lfence" ::: "memory");
        tsc = at ? at : rdtsc();
        delta = tsc - t->tsc_timestamp;
        shift = t->tsc_shift;
        if (shift >= 0)
            delta <<= shift;
        else
            delta >>= -shift;
        ns = t->system_time +
             (uint64_t)(((unsigned __int128)delta * t->tsc_to_system_mul) >> 32);
        asm volatile("lfence" ::: "memory");
    } while ((ver & 1) || ver != t->version);
    if (tsc_out)
        *tsc_out = tsc;
    return ns;
}

static uint64_t pvclock_ns(volatile struct vcpu_time_info *t, uint64_t *tsc_out)
{
    return pvclock_at(t, 0, tsc_out);
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian). */
static void civil(uint64_t days, unsigned int *y, unsigned int *m, unsigned int *d)
{
    uint64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
    uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;

    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

void test_shared_info(void)
{
    volatile struct shared_info *s;
    volatile struct vcpu_time_info *t;
    struct vcpu_runstate_info rs;
    uint64_t g0, g1, tsc0, tsc1, want_ns, diff, prev, cur, now, wall, max_back = 0;
    unsigned int backs = 0, y, mo, d;
    uint32_t wcv, wcs, wcn, wch, ver;
    long rc, rc_past, rc_future, rc_big, rc_foreign, rc_space;
    volatile uint64_t *gnt;

    if (!tsc_khz)
        return verdict(0, "no TSC frequency");
    if (!(s = map_shared_info()))
        return;

    /* Wall clock at system time 0. */
    for (int tries = 0; tries < 1000; tries++) {
        wcv = s->wc_version;
        asm volatile("lfence" ::: "memory");
        wcs = s->wc_sec;
        wcn = s->wc_nsec;
        wch = s->wc_sec_hi;
        asm volatile("lfence" ::: "memory");
        if (!(wcv & 1) && wcv == s->wc_version)
            break;
    }
    if (wcv & 1)
        return verdict(0, "wc_version %u is odd", wcv);
    if (!wcv)
        return verdict(0, "wc_version 0: wall clock never set");
    if (wch || wcs < EPOCH_2024 || wcs >= EPOCH_2035)
        return verdict(0, "wall clock %u:%u (sec_hi %u) not in 2024..2034", wcs, wcn, wch);
    if (wcn >= 1000000000u)
        return verdict(0, "wc_nsec %u >= 1e9", wcn);

    /* pvclock of vCPU 0. */
    t = &s->vcpu_info[0].time;
    ver = t->version;
    if (ver & 1)
        return verdict(0, "pvclock version %u is odd", ver);
    if (!t->tsc_to_system_mul)
        return verdict(0, "pvclock tsc_to_system_mul 0 (version %u)", ver);
    if (!(t->flags & XEN_PVCLOCK_TSC_STABLE_BIT))
        return verdict(0, "pvclock flags 0x%x lack TSC_STABLE", t->flags);

    /* 50 ms of TSC time is 50 ms of system time (within 5 %). */
    g0 = pvclock_ns(t, &tsc0);
    while (rdtsc() - tsc0 < 50ull * tsc_khz)
        cpu_relax();
    g1 = pvclock_ns(t, &tsc1);
    want_ns = (tsc1 - tsc0) * 1000000 / tsc_khz;
    if (g1 <= g0)
        return verdict(0, "pvclock went from %lu to %lu ns over 50 ms", g0, g1);
    diff = g1 - g0;
    if (diff * 100 < want_ns * 95 || diff * 100 > want_ns * 105)
        return verdict(0, "pvclock advanced %lu ns while the TSC says %lu ns", diff, want_ns);

    /* Monotonic. */
    prev = pvclock_ns(t, NULL);
    for (int i = 0; i < 10000; i++) {
        cur = pvclock_ns(t, NULL);
        if (cur < prev) {
            backs++;
            max_back = prev - cur > max_back ? prev - cur : max_back;
        }
        prev = cur;
    }
    if (backs)
        return verdict(0, "pvclock went backwards %u times in 10000 reads, by up to %lu ns",
                       backs, max_back);

    /* The runstate entry time and the singleshot timer use the same clock. */
    rc = vcpu_op(VCPUOP_get_runstate_info, 0, &rs);
    now = pvclock_ns(t, NULL);
    if (rc)
        return verdict(0, "VCPUOP_get_runstate_info = %ld", rc);
    if (rs.state_entry_time > now)
        return verdict(0, "runstate entry time %lu ns is after pvclock now %lu ns",
                       rs.state_entry_time, now);
    now = pvclock_ns(t, NULL);
    rc_past = singleshot(now - MS, VCPU_SSHOTTMR_future);
    now = pvclock_ns(t, NULL);
    rc_future = singleshot(now + 50 * MS, VCPU_SSHOTTMR_future);
    vcpu_op(VCPUOP_stop_singleshot_timer, 0, 0);
    if (rc_past != -ETIME || rc_future != 0)
        return verdict(0, "singleshot(pvclock - 1 ms, future) = %ld (want -62), "
                       "(pvclock + 50 ms, future) = %ld (want 0)", rc_past, rc_future);

    /* Grant frames. */
    rc = add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 0, GNTTAB_GFN);
    if (rc)
        return verdict(0, "add_to_physmap(grant_table, idx 0, gpfn 0x%lx) = %ld",
                       GNTTAB_GFN, rc);
    gnt = (volatile uint64_t *)(uintptr_t)(GNTTAB_GFN << 12);
    (void)gnt[0];
    (void)gnt[511];
    rc_big = add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 100, GNTTAB_GFN + 1);
    if (rc_big >= 0)
        return verdict(0, "add_to_physmap(grant_table, idx 100) = %ld, want an error", rc_big);
    rc_foreign = add_to_physmap(42, XENMAPSPACE_shared_info, 0, GNTTAB_GFN + 1);
    if (rc_foreign != -EPERM)
        return verdict(0, "add_to_physmap(domid 42) = %ld, want -1", rc_foreign);
    rc_space = add_to_physmap(DOMID_SELF, XENMAPSPACE_gmfn, 0, GNTTAB_GFN + 1);
    if (rc_space != -ENOSYS)
        return verdict(0, "add_to_physmap(XENMAPSPACE_gmfn) = %ld, want -38", rc_space);

    wall = wcs + (now + wcn) / 1000000000ull;
    civil(wall / 86400, &y, &mo, &d);
    verdict(1, "wc_version %u, now %u-%02u-%02u %02lu:%02lu:%02lu UTC; pvclock v%u mul %u shift %d "
            "flags 0x%x: %lu ns over %lu ns of TSC, monotonic over 10000 reads, "
            "runstate entry %lu us ago, singleshot past -62 future 0; grant idx 0 -> 0, "
            "idx 100 -> %ld, domid 42 -> %ld, gmfn -> %ld",
            wcv, y, mo, d, wall % 86400 / 3600, wall % 3600 / 60, wall % 60,
            t->version, t->tsc_to_system_mul, t->tsc_shift, t->flags, diff, want_ns,
            (now - rs.state_entry_time) / 1000, rc_big, rc_foreign, rc_space);
}

/* ---- event channels ---- */

/* The callback vector: clear the flag first, then take the selector and
 * handle every pending, unmasked port it names. */
void evtchn_upcall(void)
{
    volatile struct vcpu_info *vi = upcall_vi;
    uint64_t sel, pend;

    upcalls++;
    if (!vi || !shinfo)
        return;
    vi->evtchn_upcall_pending = 0;
    sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    while (sel) {
        unsigned int w = __builtin_ctzll(sel);

        sel &= sel - 1;
        pend = shinfo->evtchn_pending[w] & ~shinfo->evtchn_mask[w];
        while (pend) {
            unsigned int b = __builtin_ctzll(pend);

            pend &= pend - 1;
            __atomic_fetch_and(&shinfo->evtchn_pending[w], ~(1ull << b), __ATOMIC_SEQ_CST);
            port_hits[w * 64 + b]++;
            upcall_ports++;
        }
    }
}

static long set_callback_vector(unsigned int vector)
{
    struct xen_hvm_param p = {
        .domid = DOMID_SELF, .index = HVM_PARAM_CALLBACK_IRQ,
        .value = vector ? ((uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR << 56) | vector : 0,
    };

    return hvm_op(HVMOP_set_param, &p);
}

static int port_bit(volatile uint64_t *words, evtchn_port_t port)
{
    return !!(words[port / 64] & (1ull << (port % 64)));
}

static long send(evtchn_port_t port)
{
    struct evtchn_send s = { .port = port };

    return evtchn_op(EVTCHNOP_send, &s);
}

static long port_status(evtchn_port_t port, struct evtchn_status *st)
{
    memset(st, 0, sizeof(*st));
    st->dom = DOMID_SELF;
    st->port = port;
    return evtchn_op(EVTCHNOP_status, st);
}

static long port_close(evtchn_port_t port)
{
    struct evtchn_close c = { .port = port };

    return evtchn_op(EVTCHNOP_close, &c);
}

/* With interrupts on, wait until *counter reaches want; at most max_us.
 * Returns the microseconds spent. */
static uint64_t wait_count(volatile unsigned int *counter, unsigned int want, uint64_t max_us)
{
    uint64_t t0 = rdtsc(), limit = max_us * tsc_khz / 1000, dt;

    asm volatile("sti" ::: "memory");
    while ((dt = rdtsc() - t0) < limit && *counter < want)
        cpu_relax();
    asm volatile("cli" ::: "memory");
    return tsc_us(dt);
}

void test_evtchn(void)
{
    struct evtchn_bind_ipi bi = { .vcpu = 0 };
    struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
    struct evtchn_bind_interdomain bd = { .remote_dom = DOMID_SELF };
    struct evtchn_unmask um;
    struct evtchn_status st;
    evtchn_port_t ipi, a, b;
    unsigned int n, immediate = 0, was_masked, u0;
    uint64_t us, max_us = 0, masked_us;
    long rc;

    if (!tsc_khz)
        return verdict(0, "no TSC frequency");
    if (!map_shared_info())
        return;
    rc = set_callback_vector(UPCALL_VECTOR);
    if (rc)
        return verdict(0, "HVMOP_set_param(CALLBACK_IRQ, vector 0x%x) = %ld", UPCALL_VECTOR, rc);
    rc = evtchn_op(EVTCHNOP_bind_ipi, &bi);
    if (rc)
        return verdict(0, "EVTCHNOP_bind_ipi(vCPU 0) = %ld", rc);
    ipi = bi.port;
    if (!ipi || ipi >= NR_PORTS)
        return verdict(0, "EVTCHNOP_bind_ipi gave port %u", ipi);
    if ((rc = port_status(ipi, &st)) || st.status != EVTCHNSTAT_ipi || st.vcpu != 0)
        return verdict(0, "EVTCHNOP_status(%u) = %ld, status %u vcpu %u, want ipi (5) on 0",
                       ipi, rc, st.status, st.vcpu);
    was_masked = port_bit(shinfo->evtchn_mask, ipi);
    if (was_masked) {
        um.port = ipi;
        if ((rc = evtchn_op(EVTCHNOP_unmask, &um)))
            return verdict(0, "EVTCHNOP_unmask(%u) = %ld", ipi, rc);
    }
    /* Anything pending from before (e.g. nothing) is handled first. */
    wait_count(&upcalls, ~0u, 1000);
    u0 = upcalls;
    upcall_ports = 0;
    port_hits[ipi] = 0;

    /* 100 sends, each waited for, interrupts on. */
    for (n = 0; n < 100; n++) {
        unsigned int before = port_hits[ipi];

        asm volatile("sti" ::: "memory");
        rc = send(ipi);
        immediate += port_hits[ipi] != before;
        asm volatile("cli" ::: "memory");
        if (rc)
            return verdict(0, "EVTCHNOP_send(%u) #%u = %ld", ipi, n, rc);
        us = wait_count(&port_hits[ipi], before + 1, 1000000);
        if (port_hits[ipi] != before + 1)
            return verdict(0, "send #%u on port %u: handler saw it %u times in %lu us "
                           "(%u upcalls, pending %d sel 0x%lx upcall_pending %u)",
                           n, ipi, port_hits[ipi] - before, us, upcalls - u0,
                           port_bit(shinfo->evtchn_pending, ipi),
                           upcall_vi->evtchn_pending_sel, upcall_vi->evtchn_upcall_pending);
        max_us = us > max_us ? us : max_us;
    }
    if (upcalls - u0 != 100 || upcall_ports != 100)
        return verdict(0, "100 sends: %u upcalls, %u ports handled, want 100 each",
                       upcalls - u0, upcall_ports);

    /* Masked: pending, but no upcall; EVTCHNOP_unmask delivers it. */
    __atomic_fetch_or(&shinfo->evtchn_mask[ipi / 64], 1ull << (ipi % 64), __ATOMIC_SEQ_CST);
    asm volatile("sti" ::: "memory");
    rc = send(ipi);
    asm volatile("cli" ::: "memory");
    if (rc)
        return verdict(0, "EVTCHNOP_send(%u) while masked = %ld", ipi, rc);
    masked_us = wait_count(&port_hits[ipi], 101, 10000);
    if (port_hits[ipi] != 100)
        return verdict(0, "masked port %u delivered (%u)", ipi, port_hits[ipi]);
    if (!port_bit(shinfo->evtchn_pending, ipi))
        return verdict(0, "masked port %u: pending bit not set after send", ipi);
    if (upcall_vi->evtchn_upcall_pending)
        return verdict(0, "masked port %u: evtchn_upcall_pending set", ipi);
    um.port = ipi;
    asm volatile("sti" ::: "memory");
    rc = evtchn_op(EVTCHNOP_unmask, &um);
    asm volatile("cli" ::: "memory");
    if (rc)
        return verdict(0, "EVTCHNOP_unmask(%u) = %ld", ipi, rc);
    if (port_bit(shinfo->evtchn_mask, ipi))
        return verdict(0, "EVTCHNOP_unmask(%u) left the mask bit set", ipi);
    us = wait_count(&port_hits[ipi], 101, 1000000);
    if (port_hits[ipi] != 101)
        return verdict(0, "no upcall %lu us after EVTCHNOP_unmask(%u) of a pending port",
                       us, ipi);

    /* Interdomain loopback: an unbound port for ourselves, bound by us. */
    if ((rc = evtchn_op(EVTCHNOP_alloc_unbound, &au)))
        return verdict(0, "EVTCHNOP_alloc_unbound(DOMID_SELF, DOMID_SELF) = %ld", rc);
    a = au.port;
    if ((rc = port_status(a, &st)) || st.status != EVTCHNSTAT_unbound)
        return verdict(0, "status of unbound port %u = %ld, status %u", a, rc, st.status);
    bd.remote_port = a;
    if ((rc = evtchn_op(EVTCHNOP_bind_interdomain, &bd)))
        return verdict(0, "EVTCHNOP_bind_interdomain(self, port %u) = %ld", a, rc);
    b = bd.local_port;
    if (b == a || b == ipi || b >= NR_PORTS)
        return verdict(0, "bind_interdomain gave port %u (unbound %u, ipi %u)", b, a, ipi);
    if ((rc = port_status(a, &st)) || st.status != EVTCHNSTAT_interdomain ||
        st.u.interdomain.port != b)
        return verdict(0, "status of port %u = %ld, status %u peer port %u, want interdomain %u",
                       a, rc, st.status, st.u.interdomain.port, b);
    /* Send on b with interrupts off: a becomes pending, b does not. */
    if ((rc = send(b)))
        return verdict(0, "EVTCHNOP_send(%u) = %ld", b, rc);
    if (!port_bit(shinfo->evtchn_pending, a) || port_bit(shinfo->evtchn_pending, b))
        return verdict(0, "send on %u: pending a(%u)=%d b(%u)=%d, want 1 0", b, a,
                       port_bit(shinfo->evtchn_pending, a), b,
                       port_bit(shinfo->evtchn_pending, b));
    us = wait_count(&port_hits[a], 1, 1000000);
    if (port_hits[a] != 1 || port_hits[b])
        return verdict(0, "send on %u: handler saw port %u %u times, port %u %u times",
                       b, a, port_hits[a], b, port_hits[b]);
    asm volatile("sti" ::: "memory");
    rc = send(a);
    asm volatile("cli" ::: "memory");
    if (rc)
        return verdict(0, "EVTCHNOP_send(%u) = %ld", a, rc);
    wait_count(&port_hits[b], 1, 1000000);
    if (port_hits[b] != 1 || port_hits[a] != 1)
        return verdict(0, "send on %u: handler saw port %u %u times, port %u %u times",
                       a, b, port_hits[b], a, port_hits[a]);

    /* Close everything; status says closed; sending fails. */
    if ((rc = port_close(ipi)) || (rc = port_close(a)) || (rc = port_close(b)))
        return verdict(0, "EVTCHNOP_close = %ld", rc);
    for (int i = 0; i < 3; i++) {
        evtchn_port_t p = i == 0 ? ipi : i == 1 ? a : b;

        if ((rc = port_status(p, &st)) || st.status != EVTCHNSTAT_closed)
            return verdict(0, "status of closed port %u = %ld, status %u", p, rc, st.status);
    }
    rc = send(ipi);
    if (rc != -EINVAL)
        return verdict(0, "EVTCHNOP_send on closed port %u = %ld, want -22", ipi, rc);
    set_callback_vector(0);
    verdict(1, "ipi port %u (%s at bind): 100 sends + 3 more, %u upcalls, %u ports handled "
            "(%u before send returned, slowest %lu us); masked send pending, no upcall in "
            "%lu us, unmask delivered; loopback %u<->%u both ways; closed, send -> %ld",
            ipi, was_masked ? "masked" : "unmasked", upcalls - u0, upcall_ports, immediate,
            max_us, masked_us, a, b, rc);
}

/* ---- vcpu_info placement ---- */

static uint8_t vi_page[4096] __attribute__((aligned(4096)));

static long register_vi(uint64_t gfn, uint32_t offset)
{
    struct vcpu_register_vcpu_info r = { .mfn = gfn, .offset = offset, .rsvd = 0 };

    return vcpu_op(VCPUOP_register_vcpu_info, 0, &r);
}

void test_vcpu_info(void)
{
    volatile struct vcpu_info *old, *new = (volatile void *)(vi_page + 128);
    struct evtchn_bind_ipi bi = { .vcpu = 0 };
    struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
    uint64_t gfn = (uintptr_t)vi_page >> 12, sel, now, t_old, t_new, t0;
    int64_t dt;
    uint32_t old_ver;
    unsigned int blocks = 0;
    const char *how = "yield";
    long rc, rc_bad, rc_again;
    evtchn_port_t ipi;

    if (!tsc_khz)
        return verdict(0, "no TSC frequency");
    if (!map_shared_info())
        return;
    old = &shinfo->vcpu_info[0];

    rc_bad = register_vi(gfn, 4090);
    if (rc_bad != -EINVAL)
        return verdict(0, "register_vcpu_info(offset 4090) = %ld, want -22", rc_bad);
    memset(vi_page, 0xa5, sizeof(vi_page));
    rc = register_vi(gfn, 128);
    if (rc)
        return verdict(0, "register_vcpu_info(gfn 0x%lx, offset 128) = %ld", gfn, rc);
    if (new->evtchn_upcall_pending != 1 || new->evtchn_pending_sel != ~0ull)
        return verdict(0, "after registering: upcall_pending %u sel 0x%lx, want 1 ~0",
                       new->evtchn_upcall_pending, new->evtchn_pending_sel);
    if (vi_page[127] != 0xa5 || vi_page[128 + sizeof(struct vcpu_info)] != 0xa5)
        return verdict(0, "registering wrote outside the 64 bytes at offset 128");
    new->evtchn_upcall_pending = 0;
    new->evtchn_pending_sel = 0;
    old->evtchn_upcall_pending = 0;
    old->evtchn_pending_sel = 0;

    rc_again = register_vi(gfn, 256);
    if (rc_again != -EINVAL)
        return verdict(0, "second register_vcpu_info = %ld, want -22", rc_again);

    /* An event now flags the new location only. */
    if ((rc = evtchn_op(EVTCHNOP_bind_ipi, &bi)))
        return verdict(0, "EVTCHNOP_bind_ipi = %ld", rc);
    ipi = bi.port;
    if ((rc = send(ipi)))
        return verdict(0, "EVTCHNOP_send(%u) = %ld", ipi, rc);
    sel = new->evtchn_pending_sel;
    if (!port_bit(shinfo->evtchn_pending, ipi))
        return verdict(0, "port %u not pending in shared_info after send", ipi);
    if (new->evtchn_upcall_pending != 1 || sel != 1ull << (ipi / 64))
        return verdict(0, "new vcpu_info after send: upcall_pending %u sel 0x%lx, want 1 0x%llx",
                       new->evtchn_upcall_pending, sel, 1ull << (ipi / 64));
    if (old->evtchn_upcall_pending || old->evtchn_pending_sel)
        return verdict(0, "old shared_info slot flagged too: upcall_pending %u sel 0x%lx",
                       old->evtchn_upcall_pending, old->evtchn_pending_sel);
    new->evtchn_upcall_pending = 0;
    new->evtchn_pending_sel = 0;
    __atomic_fetch_and(&shinfo->evtchn_pending[ipi / 64], ~(1ull << (ipi % 64)),
                       __ATOMIC_SEQ_CST);

    /* The pvclock moves too: wipe the copy, let the vCPU be scheduled. */
    now = pvclock_ns(&old->time, NULL);
    old_ver = old->time.version;
    memset((void *)&new->time, 0, sizeof(new->time));
    sched_op(SCHEDOP_yield, 0);
    if (!new->time.tsc_to_system_mul) {
        /* Yield kept us on the CPU: block until a 5 ms timer fires. */
        how = "block";
        if ((rc = evtchn_op(EVTCHNOP_bind_virq, &bv)))
            return verdict(0, "EVTCHNOP_bind_virq(VIRQ_TIMER) = %ld", rc);
        now = pvclock_ns(&old->time, NULL);
        if ((rc = singleshot(now + 5 * MS, 0)))
            return verdict(0, "VCPUOP_set_singleshot_timer = %ld", rc);
        t0 = rdtsc();
        while (!new->time.tsc_to_system_mul && blocks < 20 && ms_since(t0) < 1000) {
            sched_op(SCHEDOP_block, 0);
            blocks++;
        }
    }
    if (!new->time.tsc_to_system_mul)
        return verdict(0, "pvclock in the new vcpu_info still empty after %s (%u blocks)",
                       how, blocks);
    if ((new->time.version & 1) || !new->time.version ||
        !(new->time.flags & XEN_PVCLOCK_TSC_STABLE_BIT))
        return verdict(0, "new pvclock version %u flags 0x%x", new->time.version,
                       new->time.flags);
    if (old->time.version != old_ver)
        return verdict(0, "old shared_info pvclock still updated (version %u -> %u)",
                       old_ver, old->time.version);
    /* Both copies give the same time for the same TSC value. */
    t_new = pvclock_ns(&new->time, &t0);
    t_old = pvclock_at(&old->time, t0, NULL);
    dt = (int64_t)(t_new - t_old);
    if (t_new < now || dt > 1000 || dt < -1000)
        return verdict(0, "new pvclock %lu ns, old %lu ns at the same TSC, before %lu ns",
                       t_new, t_old, now);
    verdict(1, "gfn 0x%lx offset 128: upcall_pending 1 sel ~0 after registering, again -> %ld, "
            "offset 4090 -> %ld; port %u flagged in the new vcpu_info only (sel 0x%lx); "
            "pvclock there after %s (v%u, %ld ns from the old copy at the same TSC)",
            gfn, rc_again, rc_bad, ipi, sel, how, new->time.version,
            (long)dt);
}

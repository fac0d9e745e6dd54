/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tests aimed at the toolstack's interfaces from the wrong side: an
 * unprivileged domain knocking on domctl, sysctl and foreign mapping, a
 * guest writing garbage into its xenstore ring, and a guest that hangs for
 * `xl destroy` to deal with.
 *
 * Besides the one TEST verdict, these print a line per step:
 *   CHECK <test> <label>: <what> ...
 * which the dom0-side tests read.
 */
#include "guest.h"

#include <public/domctl.h>
#include <public/sysctl.h>

#define MS             1000000ull      /* ns */

/* ---- control-eperm ---- */

/* Addresses no hypervisor may dereference on our behalf without failing. */
static const uint64_t bad_pointers[] = {
    0,                          /* NULL */
    0xdeadbeefdeadbeefull,      /* non-canonical */
    0x0000800000000000ull,      /* first non-canonical address */
    0xfffffffffffff000ull,      /* the top page */
    0x000000fff0000000ull,      /* far above any test guest's RAM */
};
#define NR_BAD_POINTERS (sizeof(bad_pointers) / sizeof(bad_pointers[0]))

/* Print one step's line; returns 1 if rc is -EPERM. */
static int eperm_step(const char *what, uint64_t arg, long rc)
{
    int ok = rc == -EPERM;

    printk("CHECK control-eperm %s: %s at 0x%lx -> %ld %s\n", label, what, arg, rc,
           ok ? "ok" : "BAD (want -1)");
    return ok;
}

/* Returns 1 if every byte of buf is still fill. */
static int untouched(const void *buf, size_t n, uint8_t fill)
{
    const uint8_t *p = buf;

    for (size_t i = 0; i < n; i++)
        if (p[i] != fill)
            return 0;
    return 1;
}

/* A well-formed XEN_DOMCTL_getdomaininfo for domain 0; the reply area is
 * filled with a pattern that must survive. */
static int domctl_valid(void)
{
    static struct xen_domctl d;
    long rc;

    memset(&d, 0xa5, sizeof(d));
    d.cmd = XEN_DOMCTL_getdomaininfo;
    d.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    d.domain = 0;
    memset(d._pad, 0, sizeof(d._pad));
    rc = hypercall(__HYPERVISOR_domctl, (uintptr_t)&d, 0, 0, 0, 0);
    if (!eperm_step("domctl getdomaininfo(dom0)", (uintptr_t)&d, rc))
        return 0;
    if (!untouched(&d.u, sizeof(d.u), 0xa5)) {
        printk("CHECK control-eperm %s: domctl wrote into the refused struct BAD\n", label);
        return 0;
    }
    return 1;
}

static int sysctl_valid(void)
{
    static struct xen_sysctl s;
    long rc;

    memset(&s, 0xa5, sizeof(s));
    s.cmd = XEN_SYSCTL_physinfo;
    s.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    rc = hypercall(__HYPERVISOR_sysctl, (uintptr_t)&s, 0, 0, 0, 0);
    if (!eperm_step("sysctl physinfo", (uintptr_t)&s, rc))
        return 0;
    if (!untouched(&s.u, sizeof(s.u), 0xa5)) {
        printk("CHECK control-eperm %s: sysctl wrote into the refused struct BAD\n", label);
        return 0;
    }
    return 1;
}

/* The same calls with pointers that lead nowhere: still -EPERM (the
 * privilege check comes before any copy), never -EFAULT. */
static unsigned int bad_pointer_calls(unsigned int nr, const char *what)
{
    unsigned int ok = 0;

    for (unsigned int i = 0; i < NR_BAD_POINTERS; i++)
        ok += eperm_step(what, bad_pointers[i],
                         hypercall(nr, bad_pointers[i], 0, 0, 0, 0));
    return ok;
}

/* Map one frame of dom0 into our own physical map: only the control domain
 * may map foreign frames.  errs[0] must stay as we left it. */
static int foreign_map(void)
{
    static uint64_t idx, gpfn;
    static int32_t err;
    struct xen_add_to_physmap_batch b = {
        .domid = DOMID_SELF, .space = XENMAPSPACE_gmfn_foreign, .size = 1,
        .foreign_domid = 0, .idxs = (uintptr_t)&idx, .gpfns = (uintptr_t)&gpfn,
        .errs = (uintptr_t)&err,
    };
    long rc;

    idx = 0x100;                /* dom0's frame at 1 MiB: its kernel */
    gpfn = 0xfd000;             /* below 4 GiB, outside our RAM */
    err = 0x5a5a5a5a;
    rc = memory_op(XENMEM_add_to_physmap_batch, &b);
    if (!eperm_step("memory_op add_to_physmap_batch(gmfn_foreign, dom0)", (uintptr_t)&b, rc))
        return 0;
    if (err != 0x5a5a5a5a) {
        printk("CHECK control-eperm %s: batch wrote errs[0] = %d BAD\n", label, err);
        return 0;
    }
    return 1;
}

void test_control_eperm(void)
{
    unsigned int ok = 0, total = 0;

    /* The control domain may do all of this: the test means nothing there
     * (and getdomaininfo would just succeed). */
    if (si_flags & SIF_INITDOMAIN)
        return verdict(0, "running as the initial (control) domain: run it as a domU");
    ok += domctl_valid();
    total++;
    ok += bad_pointer_calls(__HYPERVISOR_domctl, "domctl");
    total += NR_BAD_POINTERS;
    ok += sysctl_valid();
    total++;
    ok += bad_pointer_calls(__HYPERVISOR_sysctl, "sysctl");
    total += NR_BAD_POINTERS;
    ok += foreign_map();
    total++;
    if (xen_version(XENVER_version, 0) <= 0)
        return verdict(0, "xen_version fails after the refused calls");
    verdict(ok == total, "%u of %u calls refused with -EPERM (domctl, sysctl: a valid struct "
            "and %u bad pointers each; add_to_physmap_batch gmfn_foreign)",
            ok, total, (unsigned int)NR_BAD_POINTERS);
}

/* ---- xenstore-garbage ---- */

/* Xen's io/xs_wire.h: the ring page, and a message header. */
#define XS_RING_SIZE    1024
#define XS_PAYLOAD_MAX  4096
#define XS_READ         2
#define XS_ERROR        16
#define XS_REQ_ID       0x7e57

struct xs_ring {
    char req[XS_RING_SIZE];
    char rsp[XS_RING_SIZE];
    uint32_t req_cons, req_prod;
    uint32_t rsp_cons, rsp_prod;
    uint32_t server_features, connection, error;
};

struct xs_hdr {
    uint32_t type, req_id, tx_id, len;
};

static volatile struct xs_ring *xs;
static evtchn_port_t xs_port;

static long get_param(uint32_t index, uint64_t *value)
{
    struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index };
    long rc = hvm_op(HVMOP_get_param, &p);

    *value = rc ? 0 : p.value;
    return rc;
}

static void xs_notify(void)
{
    struct evtchn_send s = { .port = xs_port };

    evtchn_op(EVTCHNOP_send, &s);
}

/* Copy n bytes into the request ring, waiting (up to the deadline) for
 * room; returns the bytes written. */
static uint32_t xs_write(const void *buf, uint32_t n, uint64_t deadline)
{
    const uint8_t *p = buf;
    uint32_t done = 0;

    while (done < n && rdtsc() < deadline) {
        uint32_t cons = xs->req_cons, prod = xs->req_prod;
        uint32_t used = prod - cons;

        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (used >= XS_RING_SIZE) {     /* full, or indices gone wrong */
            cpu_relax();
            continue;
        }
        while (done < n && used < XS_RING_SIZE) {
            xs->req[prod % XS_RING_SIZE] = p[done++];
            prod++;
            used++;
        }
        __atomic_thread_fence(__ATOMIC_RELEASE);  /* bytes before the index */
        xs->req_prod = prod;
        xs_notify();
    }
    return done;
}

/* Take n bytes from the response ring into buf (NULL: discard), waiting
 * up to the deadline; returns the bytes read, or -1 if xenstored's indices
 * claim more than a ring's worth of data. */
static int64_t xs_read(void *buf, uint32_t n, uint64_t deadline)
{
    uint8_t *p = buf;
    uint32_t done = 0;

    while (done < n && rdtsc() < deadline) {
        uint32_t cons = xs->rsp_cons, prod = xs->rsp_prod;

        __atomic_thread_fence(__ATOMIC_ACQUIRE);  /* index before the bytes */
        if (prod - cons > XS_RING_SIZE)
            return -1;
        if (prod == cons) {
            cpu_relax();
            continue;
        }
        while (done < n && cons != prod) {
            uint8_t c = xs->rsp[cons % XS_RING_SIZE];

            if (p)
                p[done] = c;
            done++;
            cons++;
        }
        __atomic_thread_fence(__ATOMIC_RELEASE);
        xs->rsp_cons = cons;
        xs_notify();
    }
    return done;
}

/* The payload as text: printable ASCII as is, the rest as \xNN. */
static void print_payload(const char *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        uint8_t c = p[i];

        if (c >= 0x20 && c < 0x7f && c != '\\')
            printk("%c", c);
        else
            printk("\\x%02x", c);
    }
}

/* One XS_READ of "name" and its reply; returns 1 on a well-formed reply. */
static int xs_read_name(void)
{
    static const char path[] = "name";          /* relative: our own node */
    struct xs_hdr h = { .type = XS_READ, .req_id = XS_REQ_ID, .tx_id = 0,
                        .len = sizeof(path) };   /* with the NUL */
    static char payload[256];
    uint64_t deadline = rdtsc() + 5000ull * tsc_khz;
    uint32_t keep;
    int64_t got;

    if (xs_write(&h, sizeof(h), deadline) != sizeof(h) ||
        xs_write(path, sizeof(path), deadline) != sizeof(path)) {
        printk("CHECK xenstore-garbage %s: XS_READ name: ring full for 5 s\n", label);
        return 0;
    }
    got = xs_read(&h, sizeof(h), deadline);
    if (got != sizeof(h)) {
        printk("CHECK xenstore-garbage %s: XS_READ name: %s\n", label,
               got < 0 ? "bad rsp indices" : "no reply in 5 s");
        return 0;
    }
    if (h.len > XS_PAYLOAD_MAX || h.req_id != XS_REQ_ID) {
        printk("CHECK xenstore-garbage %s: XS_READ name: reply type %u req_id 0x%x len %u BAD\n",
               label, h.type, h.req_id, h.len);
        return 0;
    }
    keep = h.len < sizeof(payload) ? h.len : sizeof(payload);
    if (xs_read(payload, keep, deadline) != keep ||
        xs_read(NULL, h.len - keep, deadline) != h.len - keep) {
        printk("CHECK xenstore-garbage %s: XS_READ name: payload cut short\n", label);
        return 0;
    }
    printk("CHECK xenstore-garbage %s: XS_READ name -> type %u%s len %u '", label, h.type,
           h.type == XS_READ ? " (read)" : h.type == XS_ERROR ? " (error)" : "", h.len);
    print_payload(payload, keep < 96 ? keep : 96);     /* one console line */
    printk("'\n");
    return h.type == XS_READ || h.type == XS_ERROR;
}

static uint64_t garbage_rng;

static uint8_t garbage_byte(void)
{
    garbage_rng ^= garbage_rng << 13;
    garbage_rng ^= garbage_rng >> 7;
    garbage_rng ^= garbage_rng << 17;
    return garbage_rng;
}

/* Give xenstored time to look, then report what the ring says. */
static void garbage_settle(const char *step)
{
    uint64_t t0 = rdtsc();

    while (ms_since(t0) < 200)
        cpu_relax();
    printk("CHECK xenstore-garbage %s: %s: req_cons %u req_prod %u rsp_cons %u rsp_prod %u "
           "connection %u error %u\n", label, step, xs->req_cons, xs->req_prod,
           xs->rsp_cons, xs->rsp_prod, xs->connection, xs->error);
}

/* (a) a header announcing 4 GiB of payload. */
static void garbage_huge_len(void)
{
    struct xs_hdr h = { .type = XS_READ, .req_id = XS_REQ_ID + 1, .tx_id = 0,
                        .len = 0xffffffffu };

    xs_write(&h, sizeof(h), rdtsc() + 500ull * tsc_khz);
    garbage_settle("(a) header len 0xffffffff");
}

/* (b) random bytes over the whole request ring, and the ring full. */
static void garbage_fill(void)
{
    uint32_t cons = xs->req_cons;

    for (unsigned int i = 0; i < XS_RING_SIZE; i++)
        xs->req[i] = garbage_byte();
    __atomic_thread_fence(__ATOMIC_RELEASE);
    xs->req_prod = cons + XS_RING_SIZE;
    xs_notify();
    garbage_settle("(b) ring filled with random bytes");
}

/* (c) a producer index far beyond what the ring can hold. */
static void garbage_far_prod(void)
{
    xs->req_prod = xs->req_cons + 100000;
    xs_notify();
    garbage_settle("(c) req_prod = req_cons + 100000");
}

/* Stay up for ~10 s, sleeping on the x2APIC periodic timer (or yielding
 * without one), so the dom0 side can see xenstored serve others meanwhile. */
static void stay_alive(unsigned int seconds)
{
    uint64_t t0 = rdtsc();
    unsigned int n = 0;
    int timer = x2apic_periodic(10 * MS);

    while (n < seconds) {
        if (timer)
            asm volatile("sti; hlt; cli" ::: "memory");
        else
            sched_op(SCHEDOP_yield, 0);
        if (ms_since(t0) >= 1000ull * (n + 1))
            printk("GUEST %s: alive %u\n", label, ++n);
    }
    if (timer)
        x2apic_timer_stop();
}

void test_xenstore_garbage(void)
{
    uint64_t pfn, port;
    long rc1, rc2;
    int read_ok;

    if (!tsc_khz)
        return verdict(0, "no TSC frequency");
    rc1 = get_param(HVM_PARAM_STORE_PFN, &pfn);
    rc2 = get_param(HVM_PARAM_STORE_EVTCHN, &port);
    if (rc1 || rc2)
        return verdict(0, "HVMOP_get_param(STORE_PFN) = %ld, (STORE_EVTCHN) = %ld", rc1, rc2);
    if (!pfn || !port)
        return verdict(0, "no xenstore ring (store pfn 0x%lx, evtchn %lu)", pfn, port);
    /* Only the first 4 GiB is mapped; the ring must not be our own image. */
    if (pfn >= (1ull << 20) || port > 0xffffffffull ||
        (pfn << 12 < (uintptr_t)_end && (pfn + 1) << 12 > (uintptr_t)_start))
        return verdict(0, "store pfn 0x%lx / evtchn %lu unusable", pfn, port);
    xs = (volatile struct xs_ring *)(uintptr_t)(pfn << 12);
    xs_port = port;
    garbage_rng = seed ? seed : 0x9e3779b97f4a7c15ull;
    printk("CHECK xenstore-garbage %s: store pfn 0x%lx evtchn %u, connection %u\n",
           label, pfn, xs_port, xs->connection);

    read_ok = xs_read_name();
    garbage_huge_len();
    garbage_fill();
    garbage_far_prod();
    printk("GUEST %s: xenstore-garbage: done\n", label);
    stay_alive(10);
    verdict(read_ok, "%s, then 3 garbage writes; alive 10 s after",
            read_ok ? "XS_READ name answered" : "XS_READ name not answered");
}

/* ---- xs-fake-server ---- */

/*
 * Run as dom0 beside a boot-time domU 1 running xenstore-garbage, to test
 * that test without a real xenstored: give domU 1 a ring page (a frame of
 * its own RAM, mapped here as a foreign frame) and an event channel, answer
 * its first XS_READ, and check that what follows is refused here without
 * harm.  Not a xenstored: one request, then it only watches.
 */
#define FAKE_DOMU        1
#define FAKE_RING_PFN    0x7f0ul     /* in an 8 MiB domU, above its image */
#define FAKE_MAP_GFN     0xfd000ul   /* where dom0 sees it: outside its RAM */
#define FAKE_NAME        "fake-domu"

static long domctl_simple(uint32_t cmd, uint16_t domid)
{
    static struct xen_domctl d;

    memset(&d, 0, sizeof(d));
    d.cmd = cmd;
    d.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    d.domain = domid;
    return hypercall(__HYPERVISOR_domctl, (uintptr_t)&d, 0, 0, 0, 0);
}

static long set_param_of(uint16_t domid, uint32_t index, uint64_t value)
{
    struct xen_hvm_param p = { .domid = domid, .index = index, .value = value };

    return hvm_op(HVMOP_set_param, &p);
}

static long map_foreign(uint16_t fdom, uint64_t fgfn, uint64_t gfn, int32_t *err)
{
    static uint64_t idx, gpfn;
    static int32_t e;
    struct xen_add_to_physmap_batch b = {
        .domid = DOMID_SELF, .space = XENMAPSPACE_gmfn_foreign, .size = 1,
        .foreign_domid = fdom, .idxs = (uintptr_t)&idx, .gpfns = (uintptr_t)&gpfn,
        .errs = (uintptr_t)&e,
    };
    long rc;

    idx = fgfn;
    gpfn = gfn;
    e = -1;
    rc = memory_op(XENMEM_add_to_physmap_batch, &b);
    *err = e;
    return rc;
}

/* Ring, port and params for domU 1, which stays paused meanwhile.
 * Returns 0, or a FAIL line has been printed. */
static int fake_setup(evtchn_port_t *local)
{
    struct evtchn_alloc_unbound au = { .dom = FAKE_DOMU, .remote_dom = DOMID_SELF };
    struct evtchn_bind_interdomain bd = { .remote_dom = FAKE_DOMU };
    int32_t err;
    long rc;

    if ((rc = map_foreign(FAKE_DOMU, FAKE_RING_PFN, FAKE_MAP_GFN, &err)) || err) {
        verdict(0, "mapping domU frame 0x%lx: %ld, errs[0] %d", FAKE_RING_PFN, rc, err);
        return -1;
    }
    if ((rc = evtchn_op(EVTCHNOP_alloc_unbound, &au))) {
        verdict(0, "EVTCHNOP_alloc_unbound(dom %u) = %ld", FAKE_DOMU, rc);
        return -1;
    }
    bd.remote_port = au.port;
    if ((rc = evtchn_op(EVTCHNOP_bind_interdomain, &bd))) {
        verdict(0, "EVTCHNOP_bind_interdomain(dom %u port %u) = %ld", FAKE_DOMU, au.port, rc);
        return -1;
    }
    *local = bd.local_port;
    memset((void *)(uintptr_t)(FAKE_MAP_GFN << 12), 0, 4096);
    if ((rc = set_param_of(FAKE_DOMU, HVM_PARAM_STORE_PFN, FAKE_RING_PFN)) ||
        (rc = set_param_of(FAKE_DOMU, HVM_PARAM_STORE_EVTCHN, au.port))) {
        verdict(0, "HVMOP_set_param for dom %u = %ld", FAKE_DOMU, rc);
        return -1;
    }
    printk("CHECK xs-fake-server %s: domU %u ring pfn 0x%lx (here 0x%lx) port %u (here %u)\n",
           label, FAKE_DOMU, FAKE_RING_PFN, FAKE_MAP_GFN, au.port, bd.local_port);
    return 0;
}

/* Take n request bytes (the domU's indices are not trusted). */
static int fake_take(volatile struct xs_ring *r, void *buf, uint32_t n)
{
    uint32_t cons = r->req_cons, prod = r->req_prod;
    uint8_t *p = buf;

    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    if (prod - cons > XS_RING_SIZE || prod - cons < n)
        return 0;
    for (uint32_t i = 0; i < n; i++)
        p[i] = r->req[cons++ % XS_RING_SIZE];
    __atomic_thread_fence(__ATOMIC_RELEASE);
    r->req_cons = cons;
    return 1;
}

static void fake_reply(volatile struct xs_ring *r, const struct xs_hdr *h, const char *body,
                       uint32_t len, evtchn_port_t local)
{
    struct xs_hdr out = { .type = h->type, .req_id = h->req_id, .tx_id = h->tx_id,
                          .len = len };
    uint32_t prod = r->rsp_prod;
    struct evtchn_send s = { .port = local };

    for (uint32_t i = 0; i < sizeof(out); i++)
        r->rsp[prod++ % XS_RING_SIZE] = ((const char *)&out)[i];
    for (uint32_t i = 0; i < len; i++)
        r->rsp[prod++ % XS_RING_SIZE] = body[i];
    __atomic_thread_fence(__ATOMIC_RELEASE);
    r->rsp_prod = prod;
    evtchn_op(EVTCHNOP_send, &s);
}

/* One step of the server: 1 if it answered a request, -1 if it saw
 * something it refuses (and gives up on the ring), 0 if nothing yet. */
static int fake_serve_one(volatile struct xs_ring *r, evtchn_port_t local)
{
    uint32_t prod = r->req_prod, cons = r->req_cons;
    struct xs_hdr h;
    char body[64];

    if (prod - cons > XS_RING_SIZE) {
        printk("CHECK xs-fake-server %s: refused: req_prod %u req_cons %u\n", label, prod, cons);
        return -1;
    }
    if (prod - cons < sizeof(h))
        return 0;
    for (uint32_t i = 0; i < sizeof(h); i++)
        ((char *)&h)[i] = r->req[(cons + i) % XS_RING_SIZE];
    if (h.len > sizeof(body) || h.type != XS_READ) {
        printk("CHECK xs-fake-server %s: refused: header type %u len 0x%x\n", label, h.type, h.len);
        return -1;
    }
    if (prod - cons < sizeof(h) + h.len)
        return 0;
    fake_take(r, &h, sizeof(h));
    fake_take(r, body, h.len);
    printk("CHECK xs-fake-server %s: XS_READ '%s' from domU, answering '%s'\n", label,
           h.len && !body[h.len - 1] ? body : "(not a string)", FAKE_NAME);
    fake_reply(r, &h, FAKE_NAME, sizeof(FAKE_NAME) - 1, local);
    return 1;
}

void test_xs_fake_server(void)
{
    volatile struct xs_ring *r = (volatile void *)(uintptr_t)(FAKE_MAP_GFN << 12);
    evtchn_port_t local;
    int answered = 0, refused = 0, rc;
    uint64_t t0;
    long prc;

    if (!(si_flags & SIF_INITDOMAIN))
        return verdict(0, "needs to run as the control domain");
    if (!tsc_khz)
        return verdict(0, "no TSC frequency");
    if ((prc = domctl_simple(XEN_DOMCTL_pausedomain, FAKE_DOMU)))
        return verdict(0, "pausing domU %u = %ld", FAKE_DOMU, prc);
    if (fake_setup(&local))
        return;
    if ((prc = domctl_simple(XEN_DOMCTL_unpausedomain, FAKE_DOMU)))
        return verdict(0, "unpausing domU %u = %ld", FAKE_DOMU, prc);
    /* The domU needs up to ~12 s: one read, three garbage steps, 10 s up. */
    t0 = rdtsc();
    while (ms_since(t0) < 15000 && !refused) {
        rc = fake_serve_one(r, local);
        answered += rc > 0;
        refused = rc < 0;
        if (!rc)
            sched_op(SCHEDOP_yield, 0);
    }
    verdict(answered == 1 && refused, "answered %d request(s), then %s", answered,
            refused ? "refused the garbage" : "saw no garbage in 15 s");
    /* Stay up (and so keep the machine up) while the domU finishes. */
    t0 = rdtsc();
    while (ms_since(t0) < 15000)
        sched_op(SCHEDOP_yield, 0);
}

/* ---- hang ---- */

/* Never returns, never shuts down: for `xl destroy` of a hung guest. */
void test_hang(void)
{
    printk("GUEST %s: hang: spinning\n", label);
    asm volatile("sti" ::: "memory");
    for (;;)
        cpu_relax();
}

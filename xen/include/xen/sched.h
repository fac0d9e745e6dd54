/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Domains and vCPUs: identity, life cycle and memory accounting.  The
 * hardware side of a vCPU (VMCB/VMCS, registers) and its scheduling come
 * with the vCPU run loop; this is the arch-neutral core.
 *
 * Life cycle:
 *   created --unpause--> running <--pause/unpause--> paused
 *   running/paused --shutdown(reason)--> shut down (crash: crashed)
 *   any --kill--> dying (pages going back) --> dead --destroy--> freed
 */
#ifndef XEN_SCHED_H
#define XEN_SCHED_H

#include <xen/mm.h>
#include <xen/sched_credit.h>
#include <xen/spinlock.h>
#include <xen/timer.h>
#include <xen/types.h>
#include <public/hvm_params.h>
#include <public/event_channel.h>
#include <public/vcpu.h>
#include <asm/domain.h>

typedef uint16_t domid_t;

struct evtchn_domain;
struct grant_table;

#define DOMID_FIRST_RESERVED 0x7ff0   /* Xen's special ids start here */
#define DOMAIN_MAX_VCPUS     128

/*
 * A grace period: started when something stops being reachable by lookup,
 * done once no CPU can still be inside a hypercall that found it before.
 */
struct sched_grace {
    unsigned long passes[CSCHED_MAX_CPUS];
};

enum domain_state {
    DOMAIN_CREATED,
    DOMAIN_RUNNING,
    DOMAIN_PAUSED,
    DOMAIN_SHUTDOWN,      /* with shutdown_reason */
    DOMAIN_CRASHED,
    DOMAIN_DYING,
    DOMAIN_DEAD,
};

/* A domain's memory map, as its builder laid it out (e820 types). */
#define DOMAIN_E820_MAX 16
struct domain_e820 {
    uint64_t addr, size;
    uint32_t type;
};

struct vcpu {
    unsigned int vcpu_id;
    struct domain *domain;
    bool is_up;               /* VCPUOP_up'ed (vCPU 0: at start) */
    bool initialised;         /* has a register state to start from */
    /*
     * Its upcall flags and pvclock: the guest page it registered, else its
     * slot in shared_info (vCPUs 0-31), else NULL.
     */
    struct vcpu_info *vcpu_info;
    bool vcpu_info_registered;

    /* Scheduling (common/sched/core.c). */
    struct csched_unit unit;
    unsigned int processor;   /* the CPU whose run queue holds it */
    bool blocked;             /* SCHEDOP_block or HLT: waits for an event */
    bool unit_added;
    evtchn_port_t poll_port;  /* SCHEDOP_poll: wake when this one is set */
    bool polling;
    struct vcpu_runstate_info runstate;
    uint64_t runstate_guest;  /* registered copy's guest address, or 0 */
    struct timer singleshot_timer;   /* VCPUOP_set_singleshot_timer */
    struct timer periodic_timer;     /* VCPUOP_set_periodic_timer */
    s_time_t periodic_period;

    struct arch_vcpu arch;
};

struct domain {
    domid_t domain_id;
    bool is_privileged;       /* the control domain */
    enum domain_state state;
    unsigned int shutdown_reason;
    unsigned int pause_count;
    spinlock_t lock;

    /* Memory: pages owned, and the most it may own. */
    unsigned long tot_pages, max_pages;
    struct page_list_head page_list;

    unsigned int max_vcpus;
    struct vcpu *vcpus[DOMAIN_MAX_VCPUS];

    struct evtchn_domain *evtchn;   /* common/event_channel.c */
    struct grant_table *grant_table; /* common/grant_table.c */
    uint64_t hvm_params[HVM_NR_PARAMS]; /* common/hvm_params.c */
    struct domain_e820 e820[DOMAIN_E820_MAX];   /* common/memory.c */
    unsigned int nr_e820;

    struct csched_dom sched;  /* weight and cap */
    /*
     * What happens once it shuts down, by reason (xl.cfg's on_poweroff,
     * on_reboot, on_crash): keep it for inspection, or destroy it and give
     * every page back.  Boot domains are destroyed unless told otherwise.
     */
    bool preserve_on_shutdown;
    bool preserve_on_crash;
    struct domain *reap_next; /* queued for destruction */
    struct sched_grace reap_grace;
    uint8_t handle[16];       /* the toolstack's UUID for it */
    /* Per-domain limits from createdomain; 0 means the default. */
    unsigned int max_evtchn_ports;
    unsigned int max_grant_frames;
    bool created_by_toolstack;
    struct shared_info *shared_info;  /* hypervisor mapping, or NULL */
    /*
     * The paging pool size the toolstack set (XEN_DOMCTL_set_paging_mempool_size):
     * kept to report back; our nested page tables come from the heap as needed.
     */
    uint64_t paging_mempool_bytes;

    struct arch_domain arch;

    struct domain *next;      /* in the domain list */
};

/*
 * Create a domain.  domid: a specific id, or DOMID_FIRST_RESERVED for the
 * next free one.  Returns NULL with *err = -EEXIST, -EINVAL, -ENOMEM, -ENOSPC.
 */
struct domain *domain_create(domid_t domid, unsigned int max_vcpus,
                             bool privileged, int *err);
/* A live domain by id; NULL once it is dying (see domain_destroy_later). */
struct domain *domain_lookup(domid_t domid);

/* What the toolstack sees of a domain (getdomaininfo), dying ones too. */
struct domain_info {
    domid_t domid;
    enum domain_state state;
    unsigned int shutdown_reason;
    bool paused, blocked, running;
    unsigned long tot_pages, max_pages;
    unsigned int nr_online_vcpus, max_vcpu_id;
    uint64_t cpu_time;        /* ns, all vCPUs */
    uint8_t handle[16];
};
void domain_fill_info(struct domain *d, struct domain_info *out);
/* Up to max domains with id >= first, ascending; returns how many. */
int domain_info_list(domid_t first, struct domain_info *out, unsigned int max);
int domain_set_max_pages(struct domain *d, unsigned long max_pages);

/* Memory given to and taken from a domain (accounted, owner set). */
struct page_info *domain_alloc_pages(struct domain *d, unsigned int order);
void domain_free_pages(struct domain *d, struct page_info *pg, unsigned int order);

/*
 * A reference on a page d owns (a foreign mapping of it): false if d does
 * not own it or is dying.  The page is freed at the last put, owner or not.
 */
bool get_domain_page(struct page_info *pg, struct domain *d);
void put_domain_page(struct page_info *pg);

int domain_pause(struct domain *d);
int domain_unpause(struct domain *d);
void domain_shutdown(struct domain *d, unsigned int reason);
/* A guest did something impossible: it stops, the rest carry on. */
void domain_crash(struct domain *d, const char *why);
/* Return every page and resource; the domain becomes DEAD. */
void domain_kill(struct domain *d);
/* Free a DEAD domain's structure and its id. */
int domain_destroy(struct domain *d);
/*
 * Hide d from lookups now, then kill and destroy it from a timer once a
 * grace period has passed (never from the context of one of its own vCPUs,
 * which may still be on a CPU).  -EPERM for the control domain, -EBUSY if
 * it is dying already.
 */
int domain_destroy_later(struct domain *d);

const char *domain_state_name(enum domain_state s);
/* Every domain, in creation order reversed; under no lock (boot, debug). */
struct domain *domain_list_first(void);
/*
 * fn(d, arg) for every domain, dying ones too, under the domain-list lock:
 * none is freed meanwhile.  fn must be short and must not create, destroy
 * or look up domains.
 */
void domain_for_each(void (*fn)(struct domain *d, void *arg), void *arg);

/*
 * Hooks into the arch code and the scheduler, called by the life cycle
 * above: tear down what arch_domain_init / sched_add_domain set up, and
 * re-evaluate whether each vCPU may run after a state change.
 */
void arch_domain_teardown(struct domain *d);
/* The arch half of a new domain (p2m, shared_info, event channels, grant
 * table) and of its vCPUs (VMCB/VMCS, FPU area, vLAPIC). */
int arch_domain_init(struct domain *d);
int arch_vcpus_init(struct domain *d);
void sched_domain_changed(struct domain *d);
void sched_remove_domain(struct domain *d);

/* The scheduler (common/sched/core.c). */
int sched_add_domain(struct domain *d, unsigned int weight, unsigned int cap);
/* xl sched-credit: a new weight (1..65535) and cap (% of a CPU, 0 none). */
int sched_set_params(struct domain *d, unsigned int weight, unsigned int cap);
bool vcpu_runnable(const struct vcpu *v);
/* Block v until an event is pending for it (SCHEDOP_block, HLT). */
void vcpu_block(struct vcpu *v);
/* Something v waits for happened: make it runnable if it may run. */
void vcpu_wake(struct vcpu *v);
/* v's CPU should reschedule soon (yield, state change). */
void vcpu_yield(struct vcpu *v);
/* The vCPU running on this CPU, or NULL when idle. */
struct vcpu *current_vcpu(void);
void sched_init(void);
/* Each CPU's loop: run what the scheduler picks, halt when nothing. */
void __attribute__((noreturn)) sched_cpu_loop(void);
/* v's runstate, the current state's time counted up to now. */
void vcpu_runstate_get(struct vcpu *v, struct vcpu_runstate_info *out);
/* common/vcpu.c: the vCPU's VIRQ_TIMER sources, on `cpu`. */
void vcpu_timers_init(struct vcpu *v, unsigned int cpu);
/* Print every domain's vCPUs and their runstate times. */
void sched_dump(void);
void sched_grace_start(struct sched_grace *g);
bool sched_grace_done(const struct sched_grace *g);

/*
 * Arch hooks for guest memory: the hypervisor's view of guest frame gfn
 * if it is the domain's RAM (NULL otherwise); place a hypervisor-owned
 * frame (shared_info, grant table frames) at gfn in the domain's p2m.
 */
void *arch_guest_frame(struct domain *d, uint64_t gfn);
int arch_map_special_frame(struct domain *d, void *frame, uint64_t gfn);
/* Balloon: unmap and free a RAM page; map fresh pages at a free gfn. */
int arch_release_guest_page(struct domain *d, uint64_t gfn);
int arch_populate_guest_pages(struct domain *d, uint64_t gfn, unsigned int order);
/* Toolstack mappings: fd's frame fgfn at d's gpfn; undo any entry at gpfn. */
int arch_map_foreign_frame(struct domain *d, uint64_t gpfn,
                           struct domain *fd, uint64_t fgfn);
int arch_remove_physmap_entry(struct domain *d, uint64_t gpfn);

/* Arch hooks used by the scheduler. */
bool arch_vcpu_has_pending_event(struct vcpu *v);
void arch_vcpu_kick(struct vcpu *v);
/* Kill the arch's per-vCPU timers (the vLAPIC's) of a dying domain. */
void arch_vcpu_kill_timers(struct vcpu *v);
/* Run v on this CPU until it blocks, stops or a softirq is pending. */
void arch_vcpu_run(struct vcpu *v);
int domain_set_memory_map(struct domain *d, const struct domain_e820 *map,
                          unsigned int nr);

#endif /* XEN_SCHED_H */

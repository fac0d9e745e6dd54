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
#include <xen/spinlock.h>
#include <xen/types.h>
#include <public/hvm_params.h>

typedef uint16_t domid_t;

struct evtchn_domain;
struct grant_table;

#define DOMID_FIRST_RESERVED 0x7ff0   /* Xen's special ids start here */
#define DOMAIN_MAX_VCPUS     128

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

    struct domain *next;      /* in the domain list */
};

/*
 * Create a domain.  domid: a specific id, or DOMID_FIRST_RESERVED for the
 * next free one.  Returns NULL with *err = -EEXIST, -EINVAL, -ENOMEM, -ENOSPC.
 */
struct domain *domain_create(domid_t domid, unsigned int max_vcpus,
                             bool privileged, int *err);
struct domain *domain_lookup(domid_t domid);
int domain_set_max_pages(struct domain *d, unsigned long max_pages);

/* Memory given to and taken from a domain (accounted, owner set). */
struct page_info *domain_alloc_pages(struct domain *d, unsigned int order);
void domain_free_pages(struct domain *d, struct page_info *pg, unsigned int order);

int domain_pause(struct domain *d);
int domain_unpause(struct domain *d);
void domain_shutdown(struct domain *d, unsigned int reason);
/* A guest did something impossible: it stops, the rest carry on. */
void domain_crash(struct domain *d, const char *why);
/* Return every page and resource; the domain becomes DEAD. */
void domain_kill(struct domain *d);
/* Free a DEAD domain's structure and its id. */
int domain_destroy(struct domain *d);

const char *domain_state_name(enum domain_state s);
int domain_set_memory_map(struct domain *d, const struct domain_e820 *map,
                          unsigned int nr);

#endif /* XEN_SCHED_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * builder_build_pvh(): the steps that touch the new domain, in order:
 * populate RAM and the special pages, copy in kernel, ramdisk and start
 * info, clear the special pages, publish them through HVM parameters,
 * and start vCPU 0 at the PVH entry.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <public/hvm_params.h>

#include "guest_priv.h"

/* Frames handed to ctrl_populate_physmap / mapped at once. */
#define POPULATE_CHUNK 32768u
#define MAP_CHUNK      4096u        /* 16 MiB */

/* Guest frames [first, first + n) as a list. */
static uint64_t *gfn_range(uint64_t first, unsigned int n)
{
    uint64_t *gfns = malloc((size_t)n * sizeof(*gfns));

    if ( gfns )
        for ( unsigned int i = 0; i < n; i++ )
            gfns[i] = first + i;
    return gfns;
}

static int populate_range(struct ctrl_handle *h, ctrl_domid_t domid, uint64_t first_pfn,
                          uint64_t nr, char *err, size_t errlen)
{
    for ( uint64_t done = 0; done < nr; )
    {
        unsigned int n = nr - done > POPULATE_CHUNK ? POPULATE_CHUNK : (unsigned int)(nr - done);
        uint64_t *gfns = gfn_range(first_pfn + done, n);
        int rc;

        if ( !gfns )
            return builder_fail(err, errlen, -ENOMEM, "out of memory");
        rc = ctrl_populate_physmap(h, domid, gfns, n);
        free(gfns);
        if ( rc )
            return builder_fail(err, errlen, rc, "cannot populate guest frames %#llx-%#llx: %s",
                                (unsigned long long)(first_pfn + done),
                                (unsigned long long)(first_pfn + done + n - 1), strerror(-rc));
        done += n;
    }
    return 0;
}

static int populate_memory(struct ctrl_handle *h, const struct pvh_layout *l, ctrl_domid_t domid,
                           char *err, size_t errlen)
{
    int rc = populate_range(h, domid, 0, l->lowmem_end >> GUEST_PAGE_SHIFT, err, errlen);

    if ( !rc && l->highmem_end )
        rc = populate_range(h, domid, PVH_HIGHMEM_START >> GUEST_PAGE_SHIFT,
                            (l->highmem_end - PVH_HIGHMEM_START) >> GUEST_PAGE_SHIFT,
                            err, errlen);
    if ( !rc )
        rc = populate_range(h, domid, l->special_pfn, PVH_NR_SPECIAL_PAGES, err, errlen);
    return rc;
}

/* Map n frames from first_pfn writable; NULL after writing the reason into err. */
static void *map_range(struct ctrl_handle *h, ctrl_domid_t domid, uint64_t first_pfn,
                       unsigned int n, char *err, size_t errlen)
{
    uint64_t *gfns = gfn_range(first_pfn, n);
    void *p;

    if ( !gfns )
    {
        builder_fail(err, errlen, -ENOMEM, "out of memory");
        errno = ENOMEM;
        return NULL;
    }
    p = ctrl_map_foreign(h, domid, PROT_READ | PROT_WRITE, gfns, NULL, n);
    int saved = errno;
    if ( !p )
        builder_fail(err, errlen, -saved, "cannot map guest frames %#llx-%#llx: %s",
                     (unsigned long long)first_pfn, (unsigned long long)(first_pfn + n - 1),
                     strerror(saved));
    free(gfns);
    errno = saved;                  /* callers return -errno */
    return p;
}

static int load_kernel(struct ctrl_handle *h, ctrl_domid_t domid, const struct builder_image *img,
                       char *err, size_t errlen)
{
    uint64_t first = img->paddr_lo >> GUEST_PAGE_SHIFT;
    uint64_t last = (img->paddr_hi + GUEST_PAGE_SIZE - 1) >> GUEST_PAGE_SHIFT;
    unsigned int n = (unsigned int)(last - first);      /* below 4 GiB: fits */
    uint8_t *p = map_range(h, domid, first, n, err, errlen);
    int rc;

    if ( !p )
        return -errno;
    /* Zero the whole span first: gaps between segments must not leak old contents. */
    memset(p, 0, (size_t)n << GUEST_PAGE_SHIFT);
    rc = elf_load_segments(img, p, first << GUEST_PAGE_SHIFT, (uint64_t)n << GUEST_PAGE_SHIFT,
                           err, errlen);
    ctrl_unmap_foreign(p, n);
    return rc;
}

/* Read exactly len bytes of fd into p. */
static int read_all(int fd, uint8_t *p, size_t len)
{
    while ( len )
    {
        ssize_t n = read(fd, p, len);

        if ( n < 0 && errno == EINTR )
            continue;
        if ( n <= 0 )
            return n ? -errno : -EIO;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Stream the ramdisk file into guest memory a chunk at a time. */
static int load_ramdisk(struct ctrl_handle *h, ctrl_domid_t domid, int fd,
                        const struct pvh_layout *l, char *err, size_t errlen)
{
    uint64_t pages = (l->ramdisk_len + GUEST_PAGE_SIZE - 1) >> GUEST_PAGE_SHIFT;

    for ( uint64_t done = 0; done < pages; )
    {
        unsigned int n = pages - done > MAP_CHUNK ? MAP_CHUNK : (unsigned int)(pages - done);
        uint64_t off = done << GUEST_PAGE_SHIFT;
        size_t bytes = (size_t)n << GUEST_PAGE_SHIFT;
        uint8_t *p = map_range(h, domid, (l->ramdisk_paddr >> GUEST_PAGE_SHIFT) + done, n,
                               err, errlen);
        int rc;

        if ( !p )
            return -errno;
        if ( bytes > l->ramdisk_len - off )
        {
            /* The tail of the last page: zero, not whatever the frame held. */
            memset(p + (l->ramdisk_len - off), 0, bytes - (l->ramdisk_len - off));
            bytes = l->ramdisk_len - off;
        }
        rc = read_all(fd, p, bytes);
        ctrl_unmap_foreign(p, n);
        if ( rc )
            return builder_fail(err, errlen, rc, "cannot read the ramdisk: %s", strerror(-rc));
        done += n;
    }
    return 0;
}

static int write_start_info(struct ctrl_handle *h, ctrl_domid_t domid, const struct pvh_layout *l,
                            const char *cmdline, char *err, size_t errlen)
{
    uint8_t *p = map_range(h, domid, l->info_paddr >> GUEST_PAGE_SHIFT, l->info_pages,
                           err, errlen);
    int rc;

    if ( !p )
        return -errno;
    rc = pvh_write_start_info(l, cmdline, p, (size_t)l->info_pages << GUEST_PAGE_SHIFT);
    ctrl_unmap_foreign(p, l->info_pages);
    return rc ? builder_fail(err, errlen, rc, "start info does not fit its pages") : 0;
}

/* The MP table in the BIOS area, so the guest finds its APICs and timer. */
static int write_mptable(struct ctrl_handle *h, ctrl_domid_t domid, unsigned int vcpus,
                         char *err, size_t errlen)
{
    uint8_t *p = map_range(h, domid, PVH_MPTABLE_PADDR >> GUEST_PAGE_SHIFT, 1, err, errlen);
    int rc;

    if ( !p )
        return -errno;
    rc = pvh_write_mptable(p, (size_t)1 << GUEST_PAGE_SHIFT, PVH_MPTABLE_PADDR, vcpus);
    ctrl_unmap_foreign(p, 1);
    return rc ? builder_fail(err, errlen, rc, "MP table for %u vCPUs does not fit", vcpus) : 0;
}

/* The rings start empty: a fresh frame's contents are not guaranteed. */
static int clear_special_pages(struct ctrl_handle *h, ctrl_domid_t domid,
                               const struct pvh_layout *l, char *err, size_t errlen)
{
    uint8_t *p = map_range(h, domid, l->special_pfn, PVH_NR_SPECIAL_PAGES, err, errlen);

    if ( !p )
        return -errno;
    memset(p, 0, (size_t)PVH_NR_SPECIAL_PAGES << GUEST_PAGE_SHIFT);
    ctrl_unmap_foreign(p, PVH_NR_SPECIAL_PAGES);
    return 0;
}

static int set_params(struct ctrl_handle *h, const struct builder_args *a,
                      const struct pvh_layout *l, char *err, size_t errlen)
{
    const struct { unsigned int param; uint64_t value; } params[] = {
        { HVM_PARAM_STORE_PFN, l->store_pfn },
        { HVM_PARAM_STORE_EVTCHN, a->store_evtchn },
        { HVM_PARAM_CONSOLE_PFN, l->console_pfn },
        { HVM_PARAM_CONSOLE_EVTCHN, a->console_evtchn },
    };

    for ( size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++ )
    {
        int rc = ctrl_hvm_param_set(h, a->domid, params[i].param, params[i].value);

        if ( rc )
            return builder_fail(err, errlen, rc, "cannot set HVM parameter %u: %s",
                                params[i].param, strerror(-rc));
    }
    return 0;
}

static int check_args(const struct builder_args *a, char *err, size_t errlen)
{
    if ( !a || !a->kernel )
        return builder_fail(err, errlen, -EINVAL, "no kernel given");
    if ( a->domid == 0 || a->domid > 0x7fef )
        return builder_fail(err, errlen, -EINVAL, "cannot build domain %u", a->domid);
    if ( a->vcpus == 0 || a->vcpus > MAX_VCPUS )
        return builder_fail(err, errlen, -EINVAL, "%u vCPUs is out of range (1-%u)",
                            a->vcpus, MAX_VCPUS);
    return 0;
}

static int open_ramdisk(const char *path, int *fd, uint64_t *len, char *err, size_t errlen)
{
    struct stat st;

    *fd = -1;
    *len = 0;
    if ( !path )
        return 0;
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    if ( *fd < 0 )
        return builder_fail(err, errlen, -errno, "cannot open ramdisk %s: %s", path,
                            strerror(errno));
    if ( fstat(*fd, &st) || !S_ISREG(st.st_mode) || st.st_size == 0 )
        return builder_fail(err, errlen, -EINVAL, "ramdisk %s is not a non-empty file", path);
    *len = (uint64_t)st.st_size;
    return 0;
}

int builder_build_pvh(struct ctrl_handle *h, struct builder_args *a, char *err, size_t errlen)
{
    struct builder_image img = { 0 };
    struct pvh_layout l;
    struct pvh_layout_in in = { 0 };
    int fd = -1;
    int rc = check_args(a, err, errlen);

    if ( !rc )
        rc = builder_load_kernel_file(a->kernel, &img, err, errlen);
    if ( !rc )
        rc = open_ramdisk(a->ramdisk, &fd, &in.ramdisk_len, err, errlen);
    if ( rc )
        goto out;

    in.mem_kib = a->mem_kib;
    in.kernel_lo = img.paddr_lo;
    in.kernel_hi = img.paddr_hi;
    in.has_cmdline = a->cmdline != NULL;
    in.cmdline_len = a->cmdline ? strlen(a->cmdline) : 0;
    rc = pvh_compute_layout(&in, &l, err, errlen);
    if ( !rc )
        rc = populate_memory(h, &l, a->domid, err, errlen);
    if ( !rc )
        rc = load_kernel(h, a->domid, &img, err, errlen);
    if ( !rc && fd >= 0 )
        rc = load_ramdisk(h, a->domid, fd, &l, err, errlen);
    if ( !rc )
        rc = write_start_info(h, a->domid, &l, a->cmdline, err, errlen);
    if ( !rc )
        rc = write_mptable(h, a->domid, a->vcpus, err, errlen);
    if ( !rc )
        rc = clear_special_pages(h, a->domid, &l, err, errlen);
    if ( !rc )
        rc = set_params(h, a, &l, err, errlen);
    if ( !rc )
    {
        rc = ctrl_vcpu_start_pvh(h, a->domid, img.phys32_entry, (uint32_t)l.info_paddr);
        if ( rc )
            builder_fail(err, errlen, rc, "cannot start vCPU 0: %s", strerror(-rc));
    }
    if ( !rc )
    {
        a->store_gfn = l.store_pfn;
        a->console_gfn = l.console_pfn;
    }
 out:
    if ( fd >= 0 )
        close(fd);
    builder_image_free(&img);
    return rc;
}

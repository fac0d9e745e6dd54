/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The handle, /dev/xen/privcmd, hypercall buffers and foreign mappings.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ctrl_priv.h"
#include "linux_xen.h"

/* Refuse mappings above 4 GiB of guest memory in one call. */
#define CTRL_MAP_MAX_FRAMES (1u << 20)

static long privcmd_hypercall(void *opaque, unsigned int op, const uint64_t args[5])
{
    struct ctrl_handle *h = opaque;
    struct tn_privcmd_hypercall call = { .op = op };
    long rc;

    memcpy(call.arg, args, sizeof(call.arg));
    /* privcmd hands back the hypercall's own result; a negative one arrives as -1/errno. */
    rc = ioctl(h->privcmd_fd, TN_IOCTL_PRIVCMD_HYPERCALL, &call);
    return rc < 0 ? -errno : rc;
}

static int first_frame_error(const int *errs, unsigned int n)
{
    for ( unsigned int i = 0; i < n; i++ )
        if ( errs[i] )
            return errs[i];
    return 0;
}

static void *privcmd_map_foreign(void *opaque, ctrl_domid_t domid, int prot,
                                 const uint64_t *gfns, int *errs, unsigned int n)
{
    struct ctrl_handle *h = opaque;
    size_t len = (size_t)n * CTRL_PAGE_SIZE;
    int *errv = errs ? errs : calloc(n, sizeof(*errv));
    struct tn_privcmd_mmapbatch_v2 batch = {
        .num = n, .dom = domid, .arr = gfns, .err = errv,
    };
    void *addr = MAP_FAILED;
    int rc = 0;

    if ( !errv )
        return NULL;

    /* The fd's mmap only reserves the range; MMAPBATCH fills it with the frames. */
    addr = mmap(NULL, len, prot, MAP_SHARED, h->privcmd_fd, 0);
    if ( addr == MAP_FAILED )
    {
        rc = -errno;
        goto out;
    }

    batch.addr = (uintptr_t)addr;
    /*
     * A failure of some frames comes back in errv (with ENOENT for paged-out
     * ones); with a caller's errs array that is its business, without one
     * any failed frame fails the whole mapping.
     */
    if ( ioctl(h->privcmd_fd, TN_IOCTL_PRIVCMD_MMAPBATCH_V2, &batch) < 0 &&
         !(errno == ENOENT && errs) )
        rc = -errno;
    else if ( !errs )
        rc = first_frame_error(errv, n);

 out:
    if ( rc && addr != MAP_FAILED )
        munmap(addr, len);
    if ( !errs )
        free(errv);
    if ( rc )
    {
        errno = -rc;
        return NULL;
    }
    return addr;
}

static const struct ctrl_ops privcmd_ops = {
    .hypercall = privcmd_hypercall,
    .map_foreign = privcmd_map_foreign,
};

struct ctrl_handle *ctrl_open_with_ops(const struct ctrl_ops *ops, void *opaque)
{
    struct ctrl_handle *h = calloc(1, sizeof(*h));

    if ( !h )
        return NULL;
    h->ops = ops;
    h->opaque = opaque;
    h->privcmd_fd = -1;
    return h;
}

struct ctrl_handle *ctrl_open(void)
{
    int fd = open(PRIVCMD_DEVICE, O_RDWR | O_CLOEXEC);
    struct ctrl_handle *h;

    if ( fd < 0 )
        return NULL;
    h = ctrl_open_with_ops(&privcmd_ops, NULL);
    if ( !h )
    {
        int saved = errno;

        close(fd);
        errno = saved;
        return NULL;
    }
    h->privcmd_fd = fd;
    h->opaque = h;
    return h;
}

void ctrl_close(struct ctrl_handle *h)
{
    if ( !h )
        return;
    if ( h->privcmd_fd >= 0 )
        close(h->privcmd_fd);
    free(h);
}

long ctrl_hypercall(struct ctrl_handle *h, unsigned int op,
                    uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    const uint64_t args[5] = { a0, a1, a2, a3, a4 };

    if ( !h )
        return -EINVAL;
    return h->ops->hypercall(h->opaque, op, args);
}

void *ctrl_map_foreign(struct ctrl_handle *h, ctrl_domid_t domid, int prot,
                       const uint64_t *gfns, int *errs, unsigned int n)
{
    if ( !h || !gfns || n == 0 || n > CTRL_MAP_MAX_FRAMES )
    {
        errno = EINVAL;
        return NULL;
    }
    return h->ops->map_foreign(h->opaque, domid, prot, gfns, errs, n);
}

int ctrl_unmap_foreign(void *addr, unsigned int n)
{
    if ( !addr || n == 0 || n > CTRL_MAP_MAX_FRAMES )
        return -EINVAL;
    return munmap(addr, (size_t)n * CTRL_PAGE_SIZE) ? -errno : 0;
}

static size_t hbuf_span(size_t size)
{
    return (size + CTRL_PAGE_SIZE - 1) & ~(size_t)(CTRL_PAGE_SIZE - 1);
}

void *ctrl_hbuf_alloc(size_t size)
{
    size_t len = hbuf_span(size ? size : 1);
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

    if ( p == MAP_FAILED )
        return NULL;
    /* As Xen's libxc: a fork must not turn these pages copy-on-write under the hypervisor. */
    if ( madvise(p, len, MADV_DONTFORK) || mlock(p, len) )
    {
        int saved = errno;

        munmap(p, len);
        errno = saved;
        return NULL;
    }
    return p;                       /* fresh anonymous pages are zero */
}

void ctrl_hbuf_free(void *buf, size_t size)
{
    size_t len = hbuf_span(size ? size : 1);

    if ( !buf )
        return;
    munlock(buf, len);
    munmap(buf, len);
}

int ctrl_do_struct_op(struct ctrl_handle *h, unsigned int op, unsigned int cmd,
                      void *arg, size_t len)
{
    void *buf = ctrl_hbuf_alloc(len);
    uint64_t args[5] = { cmd, 0 };
    long rc;

    if ( !buf )
        return -errno;
    memcpy(buf, arg, len);
    args[1] = (uintptr_t)buf;
    rc = h->ops->hypercall(h->opaque, op, args);
    memcpy(arg, buf, len);
    ctrl_hbuf_free(buf, len);
    if ( rc > INT32_MAX )
        return -ERANGE;
    return (int)rc;                 /* 0, a count, or -errno */
}

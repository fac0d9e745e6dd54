/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xmalloc: the hypervisor's small-object allocator.
 *
 * Small requests are rounded up to a power-of-two size class, 16 to 2048
 * bytes.  Each class owns whole xenheap pages cut into equal objects; the
 * page's frame-table entry records its class, how many objects are free
 * and the offset of the first free one.  Free objects form a list threaded
 * through the objects themselves.  Pages with at least one free object sit
 * on their class's list; a page whose objects are all free goes back to
 * the heap straight away, so xmalloc holds no memory it does not use.
 *
 * Larger requests get a block of 2^order pages, whose first frame-table
 * entry records the order.
 *
 * Misuse is a hypervisor bug and panics: xfree() of a pointer xmalloc did
 * not return (wrong page, wrong offset) or of one already freed.  A free
 * object carries a tag derived from its address; xfree() of an object that
 * carries its tag is checked against the page's free list, which tells a
 * real double free from live data that happens to look like the tag.
 */
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/spinlock.h>
#include <xen/string.h>
#include <xen/xmalloc.h>

#define MIN_CLASS_SHIFT     4                   /* 16 bytes */
#define MAX_CLASS_SHIFT     11                  /* 2048 bytes */
#define NR_CLASSES          (MAX_CLASS_SHIFT - MIN_CLASS_SHIFT + 1)

/* page_info.u.xmalloc.magic: which kind of xmalloc page this is. */
#define XMALLOC_PAGE_SMALL  0x5a11
#define XMALLOC_PAGE_LARGE  0x1a26

#define NO_FREE_OBJECT      0xffffU
#define FREE_OBJECT_TAG     0x7f3e9d21c4b5a608UL

/* The start of every free object. */
struct free_object {
    uint16_t next;          /* page offset of the next free object */
    uint16_t pad[3];
    unsigned long tag;      /* FREE_OBJECT_TAG ^ address */
};

static DEFINE_SPINLOCK(xmalloc_lock);
static struct page_list_head partial_pages[NR_CLASSES];
static bool lists_ready;
static size_t bytes_in_use;
static unsigned long small_pages, large_pages, nr_objects;

static size_t class_size(unsigned int class)
{
    return (size_t)1 << (class + MIN_CLASS_SHIFT);
}

static unsigned int objects_per_page(unsigned int class)
{
    return PAGE_SIZE / class_size(class);
}

static unsigned int size_to_class(size_t size)
{
    unsigned int class = 0;

    while ( class_size(class) < size )
        class++;
    return class;
}

static unsigned long object_tag(const void *obj)
{
    return FREE_OBJECT_TAG ^ (unsigned long)obj;
}

/* Static storage is zero, but an empty page list is not. */
static void init_lists_once(void)
{
    unsigned int class;

    if ( lists_ready )
        return;
    for ( class = 0; class < NR_CLASSES; class++ )
        page_list_init(&partial_pages[class]);
    lists_ready = true;
}

/* ---------------------------------------------------------------------
 * Small objects.  Called with xmalloc_lock held unless said otherwise.
 */

static void push_free_object(struct page_info *pg, void *obj)
{
    struct free_object *fo = obj;

    fo->next = pg->u.xmalloc.free_head;
    fo->tag = object_tag(obj);
    pg->u.xmalloc.free_head = (char *)obj - (char *)page_to_virt(pg);
    pg->u.xmalloc.nr_free++;
}

static void *pop_free_object(struct page_info *pg)
{
    size_t size = class_size(pg->u.xmalloc.size_class);
    unsigned int off = pg->u.xmalloc.free_head;
    struct free_object *fo;

    /* A scribbled-over free list must not send us somewhere random. */
    if ( off >= PAGE_SIZE || (off & (size - 1)) ||
         !pg->u.xmalloc.nr_free )
        panic("xmalloc: free list of page %#lx corrupt (use after free?)",
              page_to_mfn(pg));
    fo = (struct free_object *)((char *)page_to_virt(pg) + off);
    if ( fo->tag != object_tag(fo) )
        panic("xmalloc: free object %p overwritten (use after free?)", fo);
    pg->u.xmalloc.free_head = fo->next;
    pg->u.xmalloc.nr_free--;
    fo->tag = 0;
    return fo;
}

/* Lay out a fresh page (not yet shared: no lock needed). */
static void format_small_page(struct page_info *pg, unsigned int class)
{
    char *va = page_to_virt(pg);
    unsigned int i = objects_per_page(class);

    pg->u.xmalloc.magic = XMALLOC_PAGE_SMALL;
    pg->u.xmalloc.size_class = class;
    pg->u.xmalloc.nr_free = 0;
    pg->u.xmalloc.free_head = NO_FREE_OBJECT;
    /* Push from the end so objects are handed out in address order. */
    while ( i-- > 0 )
        push_free_object(pg, va + i * class_size(class));
}

static void *alloc_small(unsigned int class)
{
    struct page_info *pg;
    unsigned long flags;
    void *obj;

    flags = spin_lock_irqsave(&xmalloc_lock);
    init_lists_once();
    pg = page_list_first(&partial_pages[class]);
    if ( !pg )
    {
        /* Take a page without holding our lock over the heap's. */
        void *va;

        spin_unlock_irqrestore(&xmalloc_lock, flags);
        va = alloc_xenheap_pages(0, 0);
        if ( !va )
            return NULL;
        pg = virt_to_page(va);
        format_small_page(pg, class);
        flags = spin_lock_irqsave(&xmalloc_lock);
        page_list_add(pg, &partial_pages[class]);
        small_pages++;
    }

    obj = pop_free_object(pg);
    if ( !pg->u.xmalloc.nr_free )
        page_list_del(pg, &partial_pages[class]);
    bytes_in_use += class_size(class);
    nr_objects++;
    spin_unlock_irqrestore(&xmalloc_lock, flags);
    return obj;
}

/* Is obj (whose tag says "free") really on the page's free list? */
static bool object_is_free(const struct page_info *pg, const void *obj)
{
    const char *va = page_to_virt(pg);
    unsigned int off = pg->u.xmalloc.free_head, n;

    for ( n = 0; off != NO_FREE_OBJECT && n < pg->u.xmalloc.nr_free; n++ )
    {
        if ( va + off == obj )
            return true;
        off = ((const struct free_object *)(va + off))->next;
    }
    return false;
}

static void free_small(struct page_info *pg, void *obj)
{
    unsigned int class = pg->u.xmalloc.size_class;
    unsigned long off = (char *)obj - (char *)page_to_virt(pg), flags;
    bool page_empty;

    if ( off & (class_size(class) - 1) )
        panic("xfree(%p): not the start of a %lu-byte object",
              obj, (unsigned long)class_size(class));

    flags = spin_lock_irqsave(&xmalloc_lock);
    if ( ((struct free_object *)obj)->tag == object_tag(obj) &&
         object_is_free(pg, obj) )
        panic("xfree(%p): double free", obj);

    push_free_object(pg, obj);
    if ( pg->u.xmalloc.nr_free == 1 )
        page_list_add(pg, &partial_pages[class]);
    page_empty = pg->u.xmalloc.nr_free == objects_per_page(class);
    if ( page_empty )
    {
        page_list_del(pg, &partial_pages[class]);
        pg->u.xmalloc.magic = 0;
        small_pages--;
    }
    bytes_in_use -= class_size(class);
    nr_objects--;
    spin_unlock_irqrestore(&xmalloc_lock, flags);

    if ( page_empty )
        free_xenheap_pages(page_to_virt(pg), 0);
}

/* ---------------------------------------------------------------------
 * Large objects.
 */

static void *alloc_large(size_t size)
{
    unsigned int order = get_order_from_bytes(size);
    struct page_info *pg;
    unsigned long flags;
    void *va;

    if ( order > MAX_ORDER )
        return NULL;
    va = alloc_xenheap_pages(order, 0);
    if ( !va )
        return NULL;
    pg = virt_to_page(va);
    pg->u.xmalloc.magic = XMALLOC_PAGE_LARGE;
    pg->u.xmalloc.size_class = order;

    flags = spin_lock_irqsave(&xmalloc_lock);
    bytes_in_use += PAGE_SIZE << order;
    large_pages += 1UL << order;
    nr_objects++;
    spin_unlock_irqrestore(&xmalloc_lock, flags);
    return va;
}

static void free_large(struct page_info *pg, void *va)
{
    unsigned int order = pg->u.xmalloc.size_class;
    unsigned long flags;

    if ( (unsigned long)va & (PAGE_SIZE - 1) )
        panic("xfree(%p): inside a large xmalloc block, not its start", va);

    flags = spin_lock_irqsave(&xmalloc_lock);
    pg->u.xmalloc.magic = 0;
    bytes_in_use -= PAGE_SIZE << order;
    large_pages -= 1UL << order;
    nr_objects--;
    spin_unlock_irqrestore(&xmalloc_lock, flags);

    free_xenheap_pages(va, order);
}

/* ---------------------------------------------------------------------
 * Interface.
 */

void *xmalloc_bytes(size_t size)
{
    if ( size <= XMALLOC_MAX_SMALL )
        return alloc_small(size_to_class(size));
    return alloc_large(size);
}

void *xzalloc_bytes(size_t size)
{
    void *p = xmalloc_bytes(size);

    if ( p )
        memset(p, 0, size);
    return p;
}

void *xmalloc_array_bytes(size_t elem_size, size_t nr)
{
    if ( elem_size && nr > SIZE_MAX / elem_size )
        return NULL;
    return xmalloc_bytes(elem_size * nr);
}

void *xzalloc_array_bytes(size_t elem_size, size_t nr)
{
    if ( elem_size && nr > SIZE_MAX / elem_size )
        return NULL;
    return xzalloc_bytes(elem_size * nr);
}

void xfree(void *p)
{
    struct page_info *pg;

    if ( !p )
        return;
    pg = virt_to_heap_page(p);
    if ( !pg )
        panic("xfree(%p): not a heap address", p);
    if ( page_is_free(pg) )
        panic("xfree(%p): double free (page %#lx is back in the heap)",
              p, page_to_mfn(pg));
    if ( !page_is_inuse(pg) || !is_xen_heap_page(pg) )
        panic("xfree(%p): not a pointer returned by xmalloc", p);

    switch ( pg->u.xmalloc.magic )
    {
    case XMALLOC_PAGE_SMALL:
        free_small(pg, p);
        break;
    case XMALLOC_PAGE_LARGE:
        free_large(pg, p);
        break;
    default:
        panic("xfree(%p): not a pointer returned by xmalloc", p);
    }
}

size_t xmalloc_bytes_in_use(void)
{
    return ACCESS_ONCE(bytes_in_use);
}

void xmalloc_report(void)
{
    unsigned long flags = spin_lock_irqsave(&xmalloc_lock);
    unsigned long bytes = bytes_in_use;
    unsigned long objs = nr_objects, small = small_pages, large = large_pages;

    spin_unlock_irqrestore(&xmalloc_lock, flags);
    printk("xmalloc: %lu objects, %lu bytes in use, %lu pages of small "
           "objects, %lu pages of large ones\n", objs, bytes, small, large);
}

#ifdef __XEN_HOST_TEST__
void xmalloc_reset_for_test(void)
{
    lists_ready = false;
    init_lists_once();
    bytes_in_use = 0;
    small_pages = large_pages = nr_objects = 0;
    spin_lock_init(&xmalloc_lock);
}
#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multiboot2 boot information: parsing and checking.
 *
 * The structure comes from the bootloader and is treated as untrusted:
 * every tag must lie inside the declared size, which must lie inside what
 * the caller can read; strings must be terminated inside their tag.  The
 * memory map is then normalised (firmware maps overlap and come unsorted)
 * and the layout checked, so later code can rely on it.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/multiboot2.h>
#include <xen/string.h>

#define MB2_INFO_MAX      (1u << 20)   /* no sane loader needs more */
#define MB2_MMAP_MIN_ENTRY 24
#define ONE_MIB           0x100000ULL

static uint32_t rd32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

/* A string field occupying [p, p + len): must contain its terminator. */
static const char *tag_string(const uint8_t *p, size_t len, const char *what)
{
    if ( !len || !memchr(p, '\0', len) )
    {
        printk(XENLOG_ERR "Multiboot2: %s is not NUL-terminated\n", what);
        return NULL;
    }
    return (const char *)p;
}

static int parse_module(const uint8_t *tag, uint32_t size, struct boot_info *bi)
{
    struct boot_module *m;
    uint32_t start, end;

    if ( size < 17 )
    {
        printk(XENLOG_ERR "Multiboot2: module tag too short (%u bytes)\n", size);
        return -EINVAL;
    }
    if ( bi->nr_mods == BOOT_MAX_MODULES )
    {
        printk(XENLOG_ERR "Multiboot2: more than %u modules\n", BOOT_MAX_MODULES);
        return -EINVAL;
    }
    start = rd32(tag + 8);
    end = rd32(tag + 12);
    m = &bi->mods[bi->nr_mods];
    m->cmdline = tag_string(tag + 16, size - 16, "a module's command line");
    if ( !m->cmdline )
        return -EINVAL;
    if ( end <= start )
    {
        printk(XENLOG_ERR "Multiboot2: module %u ('%s') is empty or inverted "
               "(%#x-%#x)\n", bi->nr_mods, m->cmdline, start, end);
        return -EINVAL;
    }
    m->start = start;
    m->end = end;
    bi->nr_mods++;
    return 0;
}

static int parse_mmap(const uint8_t *tag, uint32_t size, struct boot_info *bi)
{
    uint32_t esize, off;

    if ( size < 16 )
    {
        printk(XENLOG_ERR "Multiboot2: memory map tag too short\n");
        return -EINVAL;
    }
    esize = rd32(tag + 8);
    if ( esize < MB2_MMAP_MIN_ENTRY || esize % 8 )
    {
        printk(XENLOG_ERR "Multiboot2: bad memory map entry size %u\n", esize);
        return -EINVAL;
    }
    /*
     * esize is the loader's word: off + esize could wrap past 2^32 and let
     * an entry be read beyond the tag.  off never exceeds size, so compare
     * against what is left instead.
     */
    for ( off = 16; esize <= size - off; off += esize )
    {
        uint64_t base = rd64(tag + off), len = rd64(tag + off + 8);
        struct boot_region *r;

        if ( !len )
            continue;
        if ( base + len < base )
        {
            printk(XENLOG_ERR "Multiboot2: memory map entry %#lx+%#lx wraps\n",
                   (unsigned long)base, (unsigned long)len);
            return -EINVAL;
        }
        if ( bi->nr_mmap == BOOT_MAX_REGIONS )
        {
            printk(XENLOG_ERR "Multiboot2: more than %u memory map entries\n",
                   BOOT_MAX_REGIONS);
            return -EINVAL;
        }
        r = &bi->mmap[bi->nr_mmap++];
        r->start = base;
        r->end = base + len;
        r->type = rd32(tag + off + 16);
    }
    return 0;
}

static void parse_rsdp(const uint8_t *tag, uint32_t size, unsigned int want,
                       struct boot_info *bi)
{
    if ( size - 8 < want )
    {
        printk(XENLOG_WARNING "Multiboot2: ACPI RSDP tag too short: ignored\n");
        return;
    }
    /* Prefer the 2.0+ copy if both are given. */
    if ( bi->rsdp_len >= want )
        return;
    memcpy(bi->rsdp, tag + 8, want);
    bi->rsdp_len = want;
}

static int parse_tag(const uint8_t *tag, uint32_t type, uint32_t size,
                     struct boot_info *bi)
{
    switch ( type )
    {
    case MB2_TAG_CMDLINE:
        bi->cmdline = tag_string(tag + 8, size - 8, "the command line");
        return bi->cmdline ? 0 : -EINVAL;
    case MB2_TAG_LOADER_NAME:
        bi->loader_name = tag_string(tag + 8, size - 8, "the loader name");
        return bi->loader_name ? 0 : -EINVAL;
    case MB2_TAG_MODULE:
        return parse_module(tag, size, bi);
    case MB2_TAG_MMAP:
        return parse_mmap(tag, size, bi);
    case MB2_TAG_ACPI_OLD:
        parse_rsdp(tag, size, 20, bi);
        return 0;
    case MB2_TAG_ACPI_NEW:
        parse_rsdp(tag, size, 36, bi);
        return 0;
    default:
        return 0;   /* tags we do not use (framebuffer, EFI, ...) */
    }
}

int mb2_parse(const void *mbi, size_t readable, struct boot_info *bi)
{
    const uint8_t *base = mbi;
    uint32_t total, off;
    bool have_mmap = false;

    memset(bi, 0, sizeof(*bi));
    if ( readable < 16 )
    {
        printk(XENLOG_ERR "Multiboot2: information truncated\n");
        return -EINVAL;
    }
    total = rd32(base);
    if ( total < 16 || total > readable || total > MB2_INFO_MAX )
    {
        printk(XENLOG_ERR "Multiboot2: total size %u out of range (16..%lu)\n",
               total, (unsigned long)(readable < MB2_INFO_MAX ? readable : MB2_INFO_MAX));
        return -EINVAL;
    }

    for ( off = 8; off <= total - 8; off = ROUNDUP(off + rd32(base + off + 4), 8) )
    {
        uint32_t type = rd32(base + off), size = rd32(base + off + 4);
        int rc;

        if ( size < 8 || size > total - off )
        {
            printk(XENLOG_ERR "Multiboot2: tag %u at offset %u has bad size %u\n",
                   type, off, size);
            return -EINVAL;
        }
        if ( type == MB2_TAG_END )
        {
            if ( !have_mmap )
            {
                printk(XENLOG_ERR "Multiboot2: no memory map given\n");
                return -EINVAL;
            }
            return 0;
        }
        if ( type == MB2_TAG_MMAP )
            have_mmap = true;
        if ( (rc = parse_tag(base + off, type, size, bi)) )
            return rc;
        if ( off + size > total - 8 )
            break;   /* no room left for an end tag */
    }
    printk(XENLOG_ERR "Multiboot2: no end tag within %u bytes\n", total);
    return -EINVAL;
}

/* Higher wins where entries overlap: anything beats RAM. */
static unsigned int type_priority(uint32_t type)
{
    switch ( type )
    {
    case BOOT_MEM_RAM: return 1;
    case BOOT_MEM_ACPI: return 2;
    case BOOT_MEM_NVS: return 3;
    case BOOT_MEM_BAD: return 5;
    default: return 4;   /* reserved, and types we do not know */
    }
}

static void sort_points(paddr_t *p, unsigned int n)
{
    unsigned int i, j;

    for ( i = 1; i < n; i++ )
    {
        paddr_t v = p[i];

        for ( j = i; j && p[j - 1] > v; j-- )
            p[j] = p[j - 1];
        p[j] = v;
    }
}

/* The type of [s, e), given every original entry covering it. */
static uint32_t type_at(const struct boot_region *orig, unsigned int n,
                        paddr_t s, paddr_t e)
{
    unsigned int i, best = 0;
    uint32_t type = 0;

    for ( i = 0; i < n; i++ )
        if ( orig[i].start <= s && e <= orig[i].end &&
             type_priority(orig[i].type) > best )
        {
            best = type_priority(orig[i].type);
            type = best == 4 && orig[i].type != BOOT_MEM_RESERVED
                   ? BOOT_MEM_RESERVED : orig[i].type;
        }
    return type;
}

static int append_region(struct boot_info *bi, paddr_t s, paddr_t e, uint32_t type)
{
    struct boot_region *last = bi->nr_mmap ? &bi->mmap[bi->nr_mmap - 1] : NULL;

    if ( s >= e )
        return 0;
    if ( last && last->type == type && last->end == s )
    {
        last->end = e;
        return 0;
    }
    if ( bi->nr_mmap == BOOT_MAX_REGIONS )
        return -EINVAL;
    bi->mmap[bi->nr_mmap++] = (struct boot_region){ s, e, type };
    return 0;
}

/*
 * After merging, RAM shrinks inward to whole pages (a partial page is not
 * usable) and regions left empty disappear.
 */
static void shrink_ram_to_pages(struct boot_info *bi)
{
    unsigned int i, out = 0;

    for ( i = 0; i < bi->nr_mmap; i++ )
    {
        struct boot_region r = bi->mmap[i];

        if ( r.type == BOOT_MEM_RAM )
        {
            paddr_t start = ROUNDUP(r.start, 4096);

            /* RAM inside the address space's last page rounds up to 0. */
            if ( start < r.start )
                continue;
            r.start = start;
            r.end = ROUNDDOWN(r.end, 4096);
            if ( r.start >= r.end )
                continue;
        }
        bi->mmap[out++] = r;
    }
    bi->nr_mmap = out;
}

int boot_sanitize_mmap(struct boot_info *bi)
{
    static struct boot_region orig[BOOT_MAX_REGIONS];
    static paddr_t points[2 * BOOT_MAX_REGIONS];
    unsigned int n = bi->nr_mmap, np = 0, i;

    memcpy(orig, bi->mmap, n * sizeof(orig[0]));
    for ( i = 0; i < n; i++ )
    {
        points[np++] = orig[i].start;
        points[np++] = orig[i].end;
    }
    sort_points(points, np);

    bi->nr_mmap = 0;
    for ( i = 0; i + 1 < np; i++ )
    {
        paddr_t s = points[i], e = points[i + 1];
        uint32_t type;

        if ( s == e || !(type = type_at(orig, n, s, e)) )
            continue;
        if ( append_region(bi, s, e, type) )
        {
            printk(XENLOG_ERR "Memory map: too many regions after sanitising\n");
            return -EINVAL;
        }
    }
    shrink_ram_to_pages(bi);
    return 0;
}

static bool in_ram(const struct boot_info *bi, paddr_t s, paddr_t e)
{
    unsigned int i;

    for ( i = 0; i < bi->nr_mmap; i++ )
        if ( bi->mmap[i].type == BOOT_MEM_RAM && bi->mmap[i].start <= s &&
             e <= bi->mmap[i].end )
            return true;
    return false;
}

static bool overlaps(paddr_t s1, paddr_t e1, paddr_t s2, paddr_t e2)
{
    return s1 < e2 && s2 < e1;
}

static int check_module(const struct boot_info *bi, unsigned int i,
                        paddr_t image_start, paddr_t image_end)
{
    const struct boot_module *m = &bi->mods[i];
    unsigned int j;

    if ( m->start >= m->end )
    {
        printk(XENLOG_ERR "Module %u ('%s') is empty\n", i, m->cmdline);
        return -EINVAL;
    }
    if ( overlaps(m->start, m->end, image_start, image_end) )
    {
        printk(XENLOG_ERR "Module %u ('%s') at %#lx-%#lx overlaps the hypervisor\n",
               i, m->cmdline, (unsigned long)m->start, (unsigned long)m->end);
        return -EINVAL;
    }
    if ( !in_ram(bi, m->start, m->end) )
    {
        printk(XENLOG_ERR "Module %u ('%s') at %#lx-%#lx is not in RAM\n",
               i, m->cmdline, (unsigned long)m->start, (unsigned long)m->end);
        return -EINVAL;
    }
    for ( j = 0; j < i; j++ )
        if ( overlaps(m->start, m->end, bi->mods[j].start, bi->mods[j].end) )
        {
            printk(XENLOG_ERR "Modules %u and %u overlap\n", j, i);
            return -EINVAL;
        }
    return 0;
}

int boot_check_layout(const struct boot_info *bi, paddr_t image_start,
                      paddr_t image_end)
{
    unsigned int i;
    bool high_ram = false;
    int rc;

    for ( i = 0; i < bi->nr_mmap; i++ )
        if ( bi->mmap[i].type == BOOT_MEM_RAM && bi->mmap[i].end > ONE_MIB )
            high_ram = true;
    if ( !high_ram )
    {
        printk(XENLOG_ERR "The memory map has no usable RAM above 1 MiB\n");
        return -EINVAL;
    }
    if ( !in_ram(bi, image_start, image_end) )
    {
        printk(XENLOG_ERR "The hypervisor image (%#lx-%#lx) is not in RAM "
               "according to the memory map\n", (unsigned long)image_start,
               (unsigned long)image_end);
        return -EINVAL;
    }
    for ( i = 0; i < bi->nr_mods; i++ )
        if ( (rc = check_module(bi, i, image_start, image_end)) )
            return rc;
    return 0;
}

uint64_t boot_ram_bytes(const struct boot_info *bi)
{
    uint64_t total = 0;
    unsigned int i;

    for ( i = 0; i < bi->nr_mmap; i++ )
        if ( bi->mmap[i].type == BOOT_MEM_RAM )
            total += bi->mmap[i].end - bi->mmap[i].start;
    return total;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PVH domain builder for boot modules (see asm/hvm/domain_build.h).
 *
 * Guest-physical layout: RAM from 0 up to 3.75 GiB, the rest above 4 GiB
 * (the gap leaves the local APIC page and the MMIO hole unbacked, so guest
 * accesses there exit).  The kernel's segments go where its ELF headers
 * say; then, page-aligned, the initrd, then one page with hvm_start_info,
 * the memory map, the module list and the command line.  vCPU 0 starts at
 * the PVH entry with EBX = that page, as Xen's docs/misc/pvh.pandoc says.
 *
 * Per-domain settings ride on a module's command line as dom.mem=,
 * dom.vcpus=, dom.weight=, dom.cap= and dom.on_crash= / dom.on_shutdown=
 * (destroy, the default, or preserve), and are removed from what the
 * guest sees; dom0's memory and vCPUs also follow dom0_mem= and
 * dom0_max_vcpus= as in Xen.  Messages name a module by its number and
 * its command line as the boot loader gave it.
 */
#include <xen/elf.h>
#include <xen/errno.h>
#include <xen/kernel_image.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/multiboot2.h>
#include <xen/param.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <asm/hvm/domain_build.h>
#include <asm/hvm/guest_access.h>
#include <asm/hvm/svm.h>
#include <asm/hvm/vlapic.h>
#include <asm/time.h>
#include <public/arch-x86/hvm/start_info.h>
#include <public/xen.h>

#define LOWMEM_END        0xf0000000ULL
#define HIGHMEM_START     0x100000000ULL
#define CMDLINE_MAX       1024
#define MIN_DOMAIN_PAGES  256                 /* 1 MiB */
#define DEFAULT_DOMU_MEM  (32ULL << 20)
#define DOM0_RESERVE_MAX  (128ULL << 20)      /* kept back for the hypervisor */

static uint64_t opt_dom0_mem;
size_param("dom0_mem", opt_dom0_mem);
static unsigned int opt_dom0_max_vcpus = 1;
integer_param("dom0_max_vcpus", opt_dom0_max_vcpus);

struct build_spec {
    unsigned int index;               /* module number, for messages */
    const char *name;
    const struct boot_module *kernel, *initrd;
    char cmdline[CMDLINE_MAX];
    uint64_t mem;
    unsigned int vcpus, weight, cap;
    bool privileged;
    bool preserve_on_crash, preserve_on_shutdown;
};

static bool word_is(const char *w, size_t len, const char *key, const char **val)
{
    size_t k = strlen(key);

    if ( len <= k || strncmp(w, key, k) )
        return false;
    *val = w + k;
    return true;
}

/* Split a module command line into dom.* options and the guest's part. */
static void parse_module_cmdline(const char *src, struct build_spec *s)
{
    const char *p = src ? src : "";
    size_t out = 0;

    s->name = p;
    s->cmdline[0] = '\0';
    while ( *p )
    {
        const char *w, *val;
        char word[32];
        size_t len;

        while ( *p == ' ' )
            p++;
        w = p;
        while ( *p && *p != ' ' )
            p++;
        if ( !(len = p - w) )
            break;
        snprintf(word, sizeof(word), "%.*s", (int)len, w);
        if ( word_is(word, len, "dom.mem=", &val) )
        {
            if ( parse_size_value(val, &s->mem) )
                printk(XENLOG_WARNING "module %u: bad dom.mem=%s\n", s->index, val);
        }
        else if ( word_is(word, len, "dom.vcpus=", &val) )
            s->vcpus = strtoul(val, NULL, 0);
        else if ( word_is(word, len, "dom.weight=", &val) )
            s->weight = strtoul(val, NULL, 0);
        else if ( word_is(word, len, "dom.cap=", &val) )
            s->cap = strtoul(val, NULL, 0);
        else if ( word_is(word, len, "dom.on_crash=", &val) )
            s->preserve_on_crash = !strcmp(val, "preserve");
        else if ( word_is(word, len, "dom.on_shutdown=", &val) )
            s->preserve_on_shutdown = !strcmp(val, "preserve");
        else if ( out + len + 2 < sizeof(s->cmdline) )
        {
            if ( out )
                s->cmdline[out++] = ' ';
            memcpy(s->cmdline + out, w, len);
            out += len;
            s->cmdline[out] = '\0';
        }
    }
}

static bool is_kernel(const struct boot_module *m)
{
    enum image_kind k = image_identify(maddr_to_virt(m->start), m->end - m->start);

    return k == IMAGE_ELF64 || k == IMAGE_ELF32 || k == IMAGE_BZIMAGE;
}

static int build_e820(const struct build_spec *s, struct domain_e820 *map,
                      unsigned int *nr)
{
    uint64_t low = s->mem < LOWMEM_END ? s->mem : LOWMEM_END;

    map[0] = (struct domain_e820){ 0, low, XEN_HVM_MEMMAP_TYPE_RAM };
    *nr = 1;
    if ( s->mem > LOWMEM_END )
        map[(*nr)++] = (struct domain_e820){ HIGHMEM_START, s->mem - LOWMEM_END,
                                             XEN_HVM_MEMMAP_TYPE_RAM };
    return 0;
}

static int populate(struct domain *d, const struct domain_e820 *map, unsigned int nr)
{
    unsigned int i;
    int rc;

    for ( i = 0; i < nr; i++ )
        if ( (rc = arch_populate_ram(d, map[i].addr >> PAGE_SHIFT,
                                     map[i].size >> PAGE_SHIFT)) )
            return rc;
    return 0;
}

static int place_segment(uint64_t paddr, const void *src, uint64_t filesz,
                         uint64_t memsz, void *ctx)
{
    /* Guest RAM is zeroed already: only the file bytes need copying. */
    return gpa_copy_to(ctx, paddr, src, filesz) ? -ERANGE : 0;
}

static uint64_t page_align(uint64_t x)
{
    return (x + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
}

/*
 * An Intel MultiProcessor table (MP spec 1.4) in the BIOS area, where an OS
 * without ACPI looks for one: it names the vCPUs' local APICs (ids
 * vcpu_id * 2, as the virtual APIC reports), so the guest uses its local
 * APIC and timer.  No I/O APIC: the domain has no devices.
 */
#define MP_TABLE_GPA 0xf0000ULL

struct __packed mp_floating {
    char sig[4];
    uint32_t config_pa;
    uint8_t length, spec_rev, checksum, features[5];
};

struct __packed mp_config {
    char sig[4];
    uint16_t length;
    uint8_t spec_rev, checksum;
    char oem[8], product[12];
    uint32_t oem_table;
    uint16_t oem_size, entries;
    uint32_t lapic_pa;
    uint16_t ext_length;
    uint8_t ext_checksum, reserved;
};

struct __packed mp_cpu {
    uint8_t type, lapic_id, lapic_version, flags;
    uint32_t signature, features, reserved[2];
};

static uint8_t mp_checksum(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t sum = 0;

    while ( len-- )
        sum += *b++;
    return (uint8_t)-sum;
}

static int write_mp_table(struct domain *d, unsigned int nr_vcpus)
{
    static uint8_t buf[sizeof(struct mp_floating) + sizeof(struct mp_config) +
                       DOMAIN_MAX_VCPUS * sizeof(struct mp_cpu)];
    struct mp_floating *mpf = (void *)buf;
    struct mp_config *cfg = (void *)(mpf + 1);
    struct mp_cpu *cpu = (void *)(cfg + 1);
    unsigned int i;

    memset(buf, 0, sizeof(buf));
    memcpy(cfg->sig, "PCMP", 4);
    cfg->spec_rev = 4;
    memcpy(cfg->oem, "TONNERRE", 8);
    memcpy(cfg->product, "PVH DOMAIN  ", 12);
    cfg->lapic_pa = VLAPIC_DEFAULT_BASE;
    cfg->entries = nr_vcpus;
    for ( i = 0; i < nr_vcpus; i++ )
    {
        cpu[i].type = 0;                       /* processor */
        cpu[i].lapic_id = i * 2;
        cpu[i].lapic_version = 0x14;
        cpu[i].flags = 1 | (i == 0 ? 2 : 0);   /* enabled, BSP */
    }
    cfg->length = sizeof(*cfg) + nr_vcpus * sizeof(*cpu);
    cfg->checksum = mp_checksum(cfg, cfg->length);
    memcpy(mpf->sig, "_MP_", 4);
    mpf->config_pa = MP_TABLE_GPA + sizeof(*mpf);
    mpf->length = 1;                           /* in 16-byte units */
    mpf->spec_rev = 4;
    mpf->checksum = mp_checksum(mpf, sizeof(*mpf));
    return gpa_copy_to(d, MP_TABLE_GPA, buf, sizeof(*mpf) + cfg->length);
}

/* Lay out and write the start info page; returns its guest address. */
static int write_start_info(struct domain *d, const struct build_spec *s,
                            const struct domain_e820 *map, unsigned int nr_map,
                            uint64_t initrd_gpa, uint64_t at, uint64_t *si_gpa)
{
    struct hvm_start_info si = { 0 };
    struct hvm_modlist_entry mod = { 0 };
    struct hvm_memmap_table_entry mm[DOMAIN_E820_MAX];
    uint64_t off_mod = sizeof(si), off_map = off_mod + sizeof(mod);
    uint64_t off_cmd = off_map + nr_map * sizeof(mm[0]);
    size_t cmdlen = strlen(s->cmdline) + 1;
    unsigned int i;

    if ( at + off_cmd + cmdlen > s->mem || at + off_cmd + cmdlen > LOWMEM_END )
        return -ENOSPC;
    si.magic = XEN_HVM_START_MAGIC_VALUE;
    si.version = 1;
    si.flags = s->privileged ? SIF_PRIVILEGED | SIF_INITDOMAIN : 0;
    if ( s->initrd )
    {
        si.nr_modules = 1;
        si.modlist_paddr = at + off_mod;
        mod.paddr = initrd_gpa;
        mod.size = s->initrd->end - s->initrd->start;
    }
    si.cmdline_paddr = at + off_cmd;
    si.memmap_paddr = at + off_map;
    si.memmap_entries = nr_map;
    for ( i = 0; i < nr_map; i++ )
        mm[i] = (struct hvm_memmap_table_entry){ map[i].addr, map[i].size,
                                                 map[i].type, 0 };
    *si_gpa = at;
    if ( gpa_copy_to(d, at, &si, sizeof(si)) ||
         gpa_copy_to(d, at + off_mod, &mod, sizeof(mod)) ||
         gpa_copy_to(d, at + off_map, mm, nr_map * sizeof(mm[0])) ||
         gpa_copy_to(d, at + off_cmd, s->cmdline, cmdlen) )
        return -EFAULT;
    return 0;
}

/* The ELF kernel: the module itself, or what its bzImage payload unpacks to. */
struct kernel_elf {
    const void *image;
    size_t len;
    void *unpacked;               /* xenheap buffer to free, or NULL */
    unsigned int unpacked_order;
};

#define MAX_UNPACKED_KERNEL (512UL << 20)

static unsigned int order_for(size_t bytes)
{
    unsigned int order = 0;

    while ( (PAGE_SIZE << order) < bytes )
        order++;
    return order;
}

/*
 * A bzImage (what distributions ship as vmlinuz) carries the real kernel,
 * an ELF, compressed: unpack it with our own gzip/XZ decoders.  The
 * decoders check everything; a broken payload is an error, never a fault.
 */
static int unpack_bzimage(const struct build_spec *s, struct kernel_elf *k)
{
    static uint64_t work[KERNEL_UNPACK_WORK_SIZE / sizeof(uint64_t)];
    struct bzimage_payload p;
    size_t got = 0;
    s_time_t t0;
    int rc;

    if ( bzimage_find_payload(k->image, k->len, &p) )
    {
        printk(XENLOG_ERR "Module %u ('%s'): a bzImage without a gzip or XZ payload "
               "we can find (boot protocol 2.08+ needed)\n", s->index, s->name);
        return -ENOEXEC;
    }
    if ( !p.unpacked_size || p.unpacked_size > MAX_UNPACKED_KERNEL )
    {
        printk(XENLOG_ERR "Module %u ('%s'): implausible unpacked size %lu\n",
               s->index, s->name, (unsigned long)p.unpacked_size);
        return -ENOEXEC;
    }
    k->unpacked_order = order_for(p.unpacked_size);
    if ( !(k->unpacked = alloc_xenheap_pages(k->unpacked_order, 0)) )
    {
        printk(XENLOG_ERR "Module %u ('%s'): no memory to unpack %lu KiB\n",
               s->index, s->name, (unsigned long)(p.unpacked_size >> 10));
        return -ENOMEM;
    }
    t0 = NOW();
    rc = kernel_unpack(&p, k->unpacked, p.unpacked_size, &got, work);
    if ( rc || got != p.unpacked_size )
    {
        printk(XENLOG_ERR "Module %u ('%s'): %s payload does not unpack (%d, %lu of "
               "%lu bytes)\n", s->index, s->name, image_kind_name(p.format), rc,
               (unsigned long)got, (unsigned long)p.unpacked_size);
        return -ENOEXEC;
    }
    printk("Module %u: bzImage, %s payload %lu KiB unpacked to %lu KiB in %lu ms\n",
           s->index, p.format == IMAGE_XZ ? "XZ" : "gzip", (unsigned long)(p.len >> 10),
           (unsigned long)(got >> 10), (unsigned long)((NOW() - t0) / 1000000));
    k->image = k->unpacked;
    k->len = got;
    return 0;
}

static void kernel_elf_release(struct kernel_elf *k)
{
    if ( k->unpacked )
        free_xenheap_pages(k->unpacked, k->unpacked_order);
    k->unpacked = NULL;
}

/* Everything about the image that can be refused is refused here, by name. */
static int check_kernel(const struct build_spec *s, struct elf_info *info,
                        struct kernel_elf *k)
{
    const struct boot_module *m = s->kernel;
    enum image_kind kind;
    const void *image;
    size_t len;
    int rc;

    k->image = maddr_to_virt(m->start);
    k->len = m->end - m->start;
    k->unpacked = NULL;
    if ( image_identify(k->image, k->len) == IMAGE_BZIMAGE &&
         (rc = unpack_bzimage(s, k)) )
        return rc;
    image = k->image;
    len = k->len;
    kind = image_identify(image, len);
    if ( kind != IMAGE_ELF64 && kind != IMAGE_ELF32 )
    {
        printk(XENLOG_ERR "Module %u ('%s', %lu bytes) is not a kernel image (%s)\n",
               s->index, s->name, (unsigned long)len, image_kind_name(kind));
        return -ENOEXEC;
    }
    if ( elf_parse(image, len, info) )
    {
        printk(XENLOG_ERR "Module %u ('%s') is not a loadable ELF kernel (see above)\n",
               s->index, s->name);
        return -ENOEXEC;
    }
    if ( !info->has_phys32_entry )
    {
        printk(XENLOG_ERR "Module %u ('%s') lacks the PVH entry point note "
               "(XEN_ELFNOTE_PHYS32_ENTRY)\n", s->index, s->name);
        return -ENOEXEC;
    }
    if ( info->load_hi > s->mem || info->load_hi > LOWMEM_END )
    {
        printk(XENLOG_ERR "Module %u ('%s') loads up to %#lx, beyond its %lu MiB "
               "of memory\n", s->index, s->name, (unsigned long)info->load_hi,
               (unsigned long)(s->mem >> 20));
        return -ENOSPC;
    }
    return 0;
}

static int build_from_elf(struct build_spec *s, domid_t domid,
                          const struct elf_info *elf, const struct kernel_elf *k,
                          unsigned long free_before);

static int build_one(struct build_spec *s, domid_t domid)
{
    unsigned long free_before = avail_heap_pages();
    struct elf_info info;
    struct kernel_elf k;
    int rc;

    rc = check_kernel(s, &info, &k);
    if ( !rc )
        rc = build_from_elf(s, domid, &info, &k, free_before);
    kernel_elf_release(&k);
    return rc;
}

static int build_from_elf(struct build_spec *s, domid_t domid,
                          const struct elf_info *elf, const struct kernel_elf *k,
                          unsigned long free_before)
{
    struct elf_info info = *elf;
    struct domain_e820 map[DOMAIN_E820_MAX];
    unsigned int nr_map;
    struct domain *d;
    uint64_t next, initrd_gpa = 0, si_gpa;
    int rc, err;

    if ( s->initrd )
    {
        initrd_gpa = page_align(info.load_hi);
        next = page_align(initrd_gpa + (s->initrd->end - s->initrd->start));
        if ( next > s->mem || next > LOWMEM_END )
        {
            printk(XENLOG_ERR "Module %u ('%s'): kernel and initrd do not fit in "
                   "%lu MiB\n", s->index, s->name, (unsigned long)(s->mem >> 20));
            return -ENOSPC;
        }
    }
    else
        next = page_align(info.load_hi);

    d = domain_create(domid, s->vcpus, s->privileged, &err);
    if ( !d )
    {
        printk(XENLOG_ERR "Module %u ('%s'): cannot create a domain (%d)\n",
               s->index, s->name, err);
        return err;
    }
    d->preserve_on_crash = s->preserve_on_crash;
    d->preserve_on_shutdown = s->preserve_on_shutdown;
    build_e820(s, map, &nr_map);
    rc = domain_set_max_pages(d, s->mem >> PAGE_SHIFT);
    if ( !rc )
        rc = arch_domain_init(d);
    if ( !rc )
        rc = sched_add_domain(d, s->weight, s->cap);
    if ( !rc )
        rc = arch_vcpus_init(d);
    if ( !rc )
        rc = populate(d, map, nr_map);
    if ( !rc )
        rc = domain_set_memory_map(d, map, nr_map);
    if ( !rc )
        rc = elf_load(k->image, &info, place_segment, d);
    if ( !rc && s->initrd )
        rc = gpa_copy_to(d, initrd_gpa, maddr_to_virt(s->initrd->start),
                         s->initrd->end - s->initrd->start);
    if ( !rc && info.load_lo >= MP_TABLE_GPA + PAGE_SIZE )
        rc = write_mp_table(d, s->vcpus);
    if ( !rc )
        rc = write_start_info(d, s, map, nr_map, initrd_gpa, next, &si_gpa);
    if ( rc )
    {
        printk(XENLOG_ERR "Module %u ('%s'): building domain %u failed (%d)\n",
               s->index, s->name, d->domain_id, rc);
        domain_kill(d);
        domain_destroy(d);
        return rc;
    }
    hvm_vcpu_reset_pvh(d->vcpus[0], info.phys32_entry, si_gpa);
    printk("d%u: module %u, %lu MiB, %u vCPU%s, weight %u%s, PVH entry %#x, kernel "
           "%#lx-%#lx%s, cmdline '%s' (heap: %lu pages free before)\n",
           d->domain_id, s->index,
           (unsigned long)(s->mem >> 20), s->vcpus, s->vcpus == 1 ? "" : "s",
           s->weight, s->privileged ? ", control domain" : "", info.phys32_entry,
           (unsigned long)info.load_lo, (unsigned long)info.load_hi,
           s->initrd ? ", initrd" : "", s->cmdline, free_before);
    domain_unpause(d);
    return 0;
}

static uint64_t dom0_default_mem(void)
{
    uint64_t avail = (uint64_t)avail_heap_pages() << PAGE_SHIFT;
    uint64_t reserve = avail / 16 < DOM0_RESERVE_MAX ? avail / 16 : DOM0_RESERVE_MAX;

    return avail - reserve;
}

static void spec_defaults(struct build_spec *s, bool dom0)
{
    if ( dom0 )
    {
        s->mem = opt_dom0_mem ? opt_dom0_mem : dom0_default_mem();
        s->vcpus = opt_dom0_max_vcpus;
    }
    else
    {
        s->mem = DEFAULT_DOMU_MEM;
        s->vcpus = 1;
    }
    s->weight = CSCHED_DEFAULT_WEIGHT;
    s->cap = 0;
}

static bool spec_valid(struct build_spec *s)
{
    s->mem &= ~(uint64_t)(PAGE_SIZE - 1);
    if ( s->vcpus < 1 || s->vcpus > DOMAIN_MAX_VCPUS )
    {
        printk(XENLOG_ERR "Module %u ('%s'): %u vCPUs is not in 1..%u\n",
               s->index, s->name, s->vcpus, DOMAIN_MAX_VCPUS);
        return false;
    }
    if ( (s->mem >> PAGE_SHIFT) < MIN_DOMAIN_PAGES ||
         (s->mem >> PAGE_SHIFT) > avail_heap_pages() )
    {
        printk(XENLOG_ERR "Module %u ('%s'): %lu KiB of memory asked, %lu KiB "
               "free (at least %u KiB needed)\n", s->index, s->name,
               (unsigned long)(s->mem >> 10),
               (unsigned long)(avail_heap_pages() << (PAGE_SHIFT - 10)),
               MIN_DOMAIN_PAGES << (PAGE_SHIFT - 10));
        return false;
    }
    return true;
}

void pvh_build_boot_domains(const struct boot_info *bi)
{
    static struct build_spec spec;
    unsigned int i = 0;

    if ( !bi->nr_mods )
    {
        printk("No modules: no dom0 kernel given, nothing to run\n");
        return;
    }
    while ( i < bi->nr_mods )
    {
        bool dom0 = i == 0;
        int rc = -EINVAL;

        memset(&spec, 0, sizeof(spec));
        spec.index = i;
        spec.kernel = &bi->mods[i];
        spec.privileged = dom0;
        spec_defaults(&spec, dom0);
        parse_module_cmdline(bi->mods[i].cmdline, &spec);
        if ( i + 1 < bi->nr_mods && !is_kernel(&bi->mods[i + 1]) )
            spec.initrd = &bi->mods[i + 1];
        if ( spec_valid(&spec) )
            rc = build_one(&spec, dom0 ? 0 : DOMID_FIRST_RESERVED);
        if ( rc && dom0 )
            panic("Module 0 ('%s') cannot become dom0 (see above)", spec.name);
        if ( rc )
            printk(XENLOG_ERR "Module %u ('%s') skipped\n", i, spec.name);
        i += spec.initrd ? 2 : 1;
    }
}

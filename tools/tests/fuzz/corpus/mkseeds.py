#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the binary seed inputs of the fuzz targets (the text ones are
written by hand).  Each seed is a small, well-formed example of what its
parser reads, so that fuzzing starts from inputs that get past the first
checks.  The outputs are committed; run this again only to change them:

    python3 tools/tests/fuzz/corpus/mkseeds.py
"""
import gzip
import lzma
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    os.makedirs(os.path.join(HERE, target), exist_ok=True)
    with open(os.path.join(HERE, target, name), "wb") as f:
        f.write(data)


# ---- ELF (System V ABI; Xen's notes from public/elfnote.h) ----------------

def note(name, ntype, desc):
    name = name + b"\0"
    pad = lambda b: b + b"\0" * (-len(b) % 4)
    return struct.pack("<III", len(name), len(desc), ntype) + pad(name) + pad(desc)


def elf64(notes, loads):
    """ELF64 x86-64 executable: a PT_NOTE (if any) and PT_LOADs of bytes."""
    phnum = len(loads) + (1 if notes else 0)
    off = 64 + 56 * phnum
    phdrs, body = b"", b""
    if notes:
        phdrs += struct.pack("<IIQQQQQQ", 4, 4, off, 0, 0, len(notes), len(notes), 4)
        body += notes
    for paddr, data, memsz in loads:
        phdrs += struct.pack("<IIQQQQQQ", 1, 7, off + len(body), paddr, paddr,
                             len(data), memsz, 0x1000)
        body += data
    ehdr = (b"\x7fELF" + bytes([2, 1, 1]) + b"\0" * 9 +
            struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, loads[0][0], 64, 0, 0, 64,
                        56, phnum, 64, 0, 0))
    return ehdr + phdrs + body


def elf32(paddr, data, memsz):
    phdr = struct.pack("<IIIIIIII", 1, 84, paddr, paddr, len(data), memsz, 7, 0x1000)
    ehdr = (b"\x7fELF" + bytes([1, 1, 1]) + b"\0" * 9 +
            struct.pack("<HHIIIIIHHHHHH", 2, 3, 1, paddr, 52, 0, 0, 52, 32, 1,
                        40, 0, 0))
    return ehdr + phdr + data


def elf32_pvh(machine, notes, paddr, data, memsz):
    """ELF32 executable of `machine` (3 or 62) with a PT_NOTE and a PT_LOAD."""
    off = 52 + 32 * 2
    phdrs = struct.pack("<IIIIIIII", 4, off, 0, 0, len(notes), len(notes), 4, 4)
    phdrs += struct.pack("<IIIIIIII", 1, off + len(notes), paddr, paddr, len(data),
                         memsz, 7, 0x1000)
    ehdr = (b"\x7fELF" + bytes([1, 1, 1]) + b"\0" * 9 +
            struct.pack("<HHIIIIIHHHHHH", 2, machine, 1, paddr, 52, 0, 0, 52, 32, 2,
                        40, 0, 0))
    return ehdr + phdrs + notes + data


XEN_NOTES = (note(b"Xen", 18, struct.pack("<I", 0x1000000)) +      # PHYS32_ENTRY
             note(b"Xen", 6, b"linux") +                          # GUEST_OS
             note(b"Xen", 8, b"xen-3.0") +                        # LOADER
             note(b"Xen", 2, struct.pack("<Q", 0xffffffff81001000)) +  # HYPERCALL_PAGE
             note(b"Xen", 10, b"!writable_page_tables") +         # FEATURES
             note(b"Xen", 17, struct.pack("<I", 1)) +             # SUPPORTED_FEATURES
             note(b"GNU", 3, b"\x01\x02\x03\x04"))
KERNEL = elf64(XEN_NOTES, [(0x1000000, b"\xf4" * 32, 0x2000),
                           (0x1200000, b"\x90" * 16, 0x10)])
write("elf", "pvh64", KERNEL)
write("elf", "plain32", elf32(0x100000, b"\xeb\xfe", 0x1000))
# x86-64 code in an ELF32 container, as some small kernels are linked.
ENTRY_NOTE = note(b"Xen", 18, struct.pack("<I", 0x100000))
write("elf", "pvh32-x86-64", elf32_pvh(62, ENTRY_NOTE, 0x100000, b"\xeb\xfe", 0x1000))
write("kernel_image", "elf32-x86-64",
      elf32_pvh(62, ENTRY_NOTE, 0x100000, b"\xeb\xfe", 0x1000))


# ---- gzip (RFC 1952) -------------------------------------------------------

TEXT = b"Tonnerre unpacks its own kernels. " * 3


def gz_member(data, level, flags=0, extra=b"", fname=b"", comment=b""):
    """A gzip member with the optional header fields given."""
    hdr = bytearray(b"\x1f\x8b\x08" + bytes([flags]) + b"\0\0\0\0\0\x03")
    if flags & 0x04:
        hdr += struct.pack("<H", len(extra)) + extra
    if flags & 0x08:
        hdr += fname + b"\0"
    if flags & 0x10:
        hdr += comment + b"\0"
    if flags & 0x02:
        hdr += struct.pack("<H", zlib.crc32(bytes(hdr)) & 0xffff)
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    body = c.compress(data) + c.flush()
    return bytes(hdr) + body + struct.pack("<II", zlib.crc32(data), len(data))


write("gunzip", "stored", gz_member(b"abc", 0))
write("gunzip", "dynamic", gz_member(TEXT, 9))
write("gunzip", "fixed", gzip.compress(b"hello, hello, hello", mtime=0))
# Bare DEFLATE streams, which fuzz_gunzip also wraps in a member of its own.
for level, name in ((0, "raw-stored"), (1, "raw-fixed"), (9, "raw-dynamic")):
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    write("gunzip", name, c.compress(TEXT) + c.flush())
write("gunzip", "all-header-fields",
      gz_member(b"x", 6, 0x1e, extra=b"AB\x02\x00hi", fname=b"vmlinux",
                comment=b"seed"))


# ---- XZ (.xz 1.1.0) --------------------------------------------------------

def xz(data, check=lzma.CHECK_CRC64, bcj=False):
    filters = [{"id": lzma.FILTER_LZMA2, "preset": 6, "dict_size": 4096}]
    if bcj:
        filters.insert(0, {"id": lzma.FILTER_X86})
    return lzma.compress(data, format=lzma.FORMAT_XZ, check=check, filters=filters)


CODE = b"\xe8\x10\x00\x00\x00\x90\xe8\xf0\xff\xff\xff" * 4 + TEXT
write("unxz", "crc64", xz(TEXT))
write("unxz", "crc32-bcj", xz(CODE, lzma.CHECK_CRC32, bcj=True))
write("unxz", "sha256", xz(b"short", lzma.CHECK_SHA256))
write("unxz", "none-padded-concatenated",
      xz(b"one", lzma.CHECK_NONE) + b"\0" * 4 + xz(b"two", lzma.CHECK_CRC32))
write("unxz", "empty", xz(b""))
# Bare LZMA2 chunks, which fuzz_unxz also wraps in a file of its own making.
RAW = [{"id": lzma.FILTER_LZMA2, "preset": 6, "dict_size": 65536}]
write("unxz", "raw-lzma2", lzma.compress(TEXT + CODE, format=lzma.FORMAT_RAW,
                                         filters=RAW))
write("unxz", "raw-lzma2-stored", lzma.compress(bytes(range(0, 256, 7)),
                                                format=lzma.FORMAT_RAW, filters=RAW))


# ---- Multiboot2 boot information (the spec's section 3.6) ------------------

def tag(ttype, payload):
    t = struct.pack("<II", ttype, 8 + len(payload)) + payload
    return t + b"\0" * (-len(t) % 8)


def mb2(tags):
    body = b"".join(tags) + tag(0, b"")
    return struct.pack("<II", 8 + len(body), 0) + body


MIB = 1 << 20
MMAP = [(0, 0x9fc00, 1), (0x9fc00, 0x400, 2), (0xf0000, 0x10000, 2),
        (MIB, 255 * MIB - 0x20000, 1), (256 * MIB - 0x20000, 0x20000, 3),
        (0xfec00000, 0x1000, 4), (0x100000000, 0x1234, 7)]
mmap = struct.pack("<II", 24, 0) + b"".join(struct.pack("<QQII", b, l, t, 0)
                                            for b, l, t in MMAP)
RSDP1 = b"RSD PTR " + b"\0" * 12
RSDP2 = b"RSD PTR " + b"\0" * 28
write("multiboot2", "grub", mb2([
    tag(1, b"console=com1 loglvl=all\0"), tag(2, b"GRUB 2.06\0"),
    tag(6, mmap), tag(3, struct.pack("<II", 16 * MIB, 20 * MIB) + b"vmlinuz\0"),
    tag(3, struct.pack("<II", 20 * MIB, 24 * MIB) + b"initrd\0"),
    tag(14, RSDP1), tag(15, RSDP2), tag(4, struct.pack("<II", 639, 261120))]))
write("multiboot2", "minimal", mb2([tag(6, struct.pack("<II", 24, 0) +
                                       struct.pack("<QQII", MIB, 64 * MIB, 1, 0))]))


# ---- Boot modules: a bzImage around a gzip or XZ kernel (x86 boot protocol)

def bzimage(payload, unpacked_len):
    setup = bytearray(2 * 512)                 # boot sector + one setup sector
    setup[0x1f1] = 1                           # setup_sects
    setup[0x1fe:0x200] = b"\x55\xaa"
    setup[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", setup, 0x206, 0x020f)
    struct.pack_into("<II", setup, 0x248, 0, len(payload) + 4)
    return bytes(setup) + payload + struct.pack("<I", unpacked_len)


ELF_SMALL = elf64(b"", [(0x1000000, b"\xf4" * 8, 0x100)])
write("kernel_image", "bzimage-gzip",
      bzimage(gzip.compress(ELF_SMALL, mtime=0), len(ELF_SMALL)))
write("kernel_image", "bzimage-xz", bzimage(xz(ELF_SMALL, lzma.CHECK_CRC32), len(ELF_SMALL)))
write("kernel_image", "elf64", ELF_SMALL)


# ---- ACPI tables (ACPI 6.x, chapter 5) --------------------------------------
# fuzz_acpi's input: a flags byte (1: fix checksums), the 36-byte RSDP copy,
# then memory from physical address 0.  Checksums are left zero: bit 0 fixes
# them, as it would any the fuzzer changes.

def sdt(sig, body):
    return sig + struct.pack("<IBB", 36 + len(body), 1, 0) + b"TONNER" + \
        b"SEEDSEED" + struct.pack("<III", 1, 0, 0) + body


RSDT_PA, XSDT_PA, FACP_PA, MADT_PA, HPET_PA, DSDT_PA = \
    0x40, 0x80, 0x100, 0x300, 0x400, 0x480
madt = struct.pack("<II", 0xfee00000, 1) + \
    bytes([0, 8, 0, 0]) + struct.pack("<I", 1) + \
    bytes([0, 8, 1, 1]) + struct.pack("<I", 1) + \
    bytes([1, 12, 2, 0]) + struct.pack("<II", 0xfec00000, 0) + \
    bytes([2, 10, 0, 0]) + struct.pack("<IH", 2, 0) + \
    bytes([9, 16, 0, 0]) + struct.pack("<III", 300, 1, 300)
fadt = bytearray(276 - 36)
struct.pack_into("<I", fadt, 40 - 36, DSDT_PA)
struct.pack_into("<H", fadt, 46 - 36, 9)
struct.pack_into("<I", fadt, 64 - 36, 0x604)           # PM1a_CNT_BLK
struct.pack_into("<I", fadt, 112 - 36, 1 << 10)        # RESET_REG_SUP
fadt[116 - 36:128 - 36] = bytes([1, 8, 0, 1]) + struct.pack("<Q", 0xcf9)
fadt[128 - 36] = 6
struct.pack_into("<Q", fadt, 140 - 36, DSDT_PA)
hpet = struct.pack("<I", 0x8086a201) + bytes([0, 64, 0, 0]) + \
    struct.pack("<Q", 0xfed00000) + bytes([0]) + struct.pack("<HB", 0x80, 0)
aml = b"\x10\x0b\\_SB_" + b"\x08\\_S5_\x12\x06\x04\x0a\x05\x0a\x05\x00\x00"
tables = {RSDT_PA: sdt(b"RSDT", struct.pack("<III", FACP_PA, MADT_PA, HPET_PA)),
          XSDT_PA: sdt(b"XSDT", struct.pack("<QQQ", FACP_PA, MADT_PA, HPET_PA)),
          FACP_PA: sdt(b"FACP", bytes(fadt)), MADT_PA: sdt(b"APIC", madt),
          HPET_PA: sdt(b"HPET", hpet), DSDT_PA: sdt(b"DSDT", aml)}
mem = bytearray(0x500)
for pa, t in tables.items():
    mem[pa:pa + len(t)] = t
rsdp = b"RSD PTR " + b"\0" + b"TONNER" + bytes([2]) + \
    struct.pack("<IIQ", RSDT_PA, 36, XSDT_PA) + b"\0\0\0\0"
write("acpi", "xsdt", bytes([1]) + rsdp + bytes(mem))
write("acpi", "rsdt-v1", bytes([3]) + rsdp + bytes(mem))


# ---- Instructions: mode (0: 16-bit, 1: 32, 2: 64), expected, bytes ---------

INSNS = {
    "mov-store-64": (2, 0, "89 08"),                     # mov [rax], ecx
    "mov-load-rip": (2, 0, "4c 8b 05 10 20 30 40"),      # mov r8, [rip+disp32]
    "mov-imm-sib": (2, 0, "66 c7 44 24 08 34 12"),       # mov word [rsp+8], 0x1234
    "moffs64": (2, 0, "a1 00 00 e0 fe 00 00 00 00"),     # mov eax, [moffs64]
    "movzx-16": (0, 0, "0f b6 46 02"),                   # movzx ax, byte [bp+2]
    "movsxd": (2, 0, "48 63 0a"),                        # movsxd rcx, [rdx]
    "ah-store-32": (1, 0, "88 20"),                      # mov [eax], ah
    "cpuid": (2, 0, "0f a2"),
    "pause": (1, 8, "f3 90"),
    "vmmcall-rex": (2, 4, "2e 41 0f 01 d9"),
    "rdtscp": (2, 7, "0f 01 f9"),
    "bt-reg": (2, 0, "48 0f a3 08"),                     # bt [rax], rcx
    "lock-bts-imm": (2, 0, "f0 0f ba 28 07"),            # lock bts dword [rax], 7
    "lock-mov-ud": (2, 0, "f0 89 08"),                   # lock mov: #UD
}
for name, (mode, expected, hexbytes) in INSNS.items():
    write("insn_decode", name, bytes([mode, expected]) + bytes.fromhex(hexbytes))

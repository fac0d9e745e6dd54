#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The ELF kernel inside a bzImage: the payload the setup header points at
(boot protocol 2.08+: payload_offset and payload_length at 0x248 and
0x24c, from the protected-mode code that starts after setup_sects + 1
sectors), unpacked.  The bochs cases boot this instead of the bzImage so
that the emulator does not spend minutes undoing XZ (tests.py).

Usage: extract-vmlinux.py BZIMAGE OUT
"""
import gzip
import io
import lzma
import struct
import sys


def payload(image):
    if image[0x202:0x206] != b"HdrS":
        raise SystemExit("not a bzImage: no HdrS setup header")
    version, = struct.unpack_from("<H", image, 0x206)
    if version < 0x208:
        raise SystemExit("boot protocol %#x has no payload fields" % version)
    setup_sects = image[0x1f1] or 4
    off, length = struct.unpack_from("<II", image, 0x248)
    start = (setup_sects + 1) * 512 + off
    return image[start:start + length]


def unpack(data):
    if data[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=io.BytesIO(data)).read()
    if data[:6] == b"\xfd7zXZ\x00":
        return lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(data)
    raise SystemExit("payload compression not recognised (gzip and xz are)")


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    with open(sys.argv[1], "rb") as f:
        elf = unpack(payload(f.read()))
    if elf[:4] != b"\x7fELF":
        raise SystemExit("the payload is not an ELF file")
    with open(sys.argv[2], "wb") as f:
        f.write(elf)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Build dom0's initramfs: Debian's busybox-static, the Xen modules of the
Debian kernel we boot (with what they depend on, in load order), our dom0
tools, and an /init that mounts the usual file systems, loads the modules
and gives a shell on hvc0 -- or, with tonnerre.test=1 on the kernel command
line, runs the checks in /etc/tonnerre/checks and powers off.

The cpio archive (newc) is written here rather than by cpio(1), so the
build needs nothing beyond Python.

With --tree, unpacked Debian packages go in whole (the debian-xl image:
Debian's own Xen userspace), with the shared libraries their programs
name, found in the trees and in --libs-from.

Usage: mkinitramfs.py --kernel-root DIR --busybox FILE --tools DIR -o OUT
"""
import argparse
import fnmatch
import gzip
import os
import re
import subprocess
import stat
import struct
import sys

# The modules dom0 loads by default, by module name: Xen's interfaces
# (evtchn, privcmd, gntdev, gntalloc), the PV backends (blkback, netback)
# and what the toolstack's device setup uses (loop devices, the bridge).
WANTED = ["xenfs", "xen-evtchn", "xen-privcmd", "xen-gntdev", "xen-gntalloc",
          "xen-blkback", "xen-netback", "loop", "bridge"]


def modinfo_depends(path):
    """The depends= field of a module's .modinfo section (ELF64)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        raise SystemExit("%s: not an ELF64 module" % path)
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
    def section(i):
        return struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
    strtab = section(shstrndx)
    for i in range(shnum):
        sh = section(i)
        name_off = strtab[4] + sh[0]
        name = data[name_off:data.index(b"\0", name_off)]
        if name == b".modinfo":
            body = data[sh[4]:sh[4] + sh[5]]
            for field in body.split(b"\0"):
                if field.startswith(b"depends="):
                    deps = field[len(b"depends="):].decode()
                    return [d for d in deps.split(",") if d]
    return []


def index_modules(moddir):
    found = {}
    for root, _, files in os.walk(moddir):
        for fn in files:
            if fn.endswith(".ko"):
                found[fn[:-3].replace("_", "-")] = os.path.join(root, fn)
    return found


def load_order(found, wanted):
    """Modules in an order where each comes after what it depends on."""
    order, seen = [], set()

    def visit(name):
        name = name.replace("_", "-")
        if name in seen:
            return
        seen.add(name)
        if name not in found:
            raise SystemExit("module %s not found in the kernel package" % name)
        for dep in modinfo_depends(found[name]):
            visit(dep)
        order.append(name)
    for w in wanted:
        visit(w)
    return order


def shared_libraries(prog):
    """The shared objects a program of this machine loads, as ldd lists them
    (the interpreter included): Debian 12's own e2fsprogs and their
    libraries go into the guests' initramfs this way."""
    out = subprocess.run(["ldd", prog], check=True, capture_output=True, text=True).stdout
    libs = []
    for line in out.splitlines():
        m = re.search(r"(/\S+) \(0x", line)
        if m:
            libs.append(m.group(1))
    return libs


def add_parents(c, made, dest):
    """Make the directories above dest that are not in the archive yet."""
    parts = dest.split("/")[:-1]
    for i in range(1, len(parts) + 1):
        d = "/".join(parts[:i])
        if d not in made:
            c.dir(d)
            made.add(d)


def add_with_parents(c, made, path):
    """Add a file of this machine at its own path (symlinks resolved)."""
    dest = path.lstrip("/")
    add_parents(c, made, dest)
    if dest in made:
        return
    made.add(dest)
    with open(os.path.realpath(path), "rb") as f:
        c.file(dest, f.read(), 0o755)


# What --tree leaves out of an unpacked package tree: documentation.
TREE_SKIP = ("usr/share/doc", "usr/share/doc-base", "usr/share/man", "usr/share/info",
             "usr/share/lintian", "usr/share/bug", "usr/share/locale")
# Where the dynamic loader looks by default (Debian's multiarch glibc).
LIBRARY_DIRS = ("lib/x86_64-linux-gnu", "usr/lib/x86_64-linux-gnu", "lib", "usr/lib")


def elf_dynamic(data):
    """(DT_NEEDED names, PT_INTERP path or None) of an ELF64 file, read from
    its program headers -- nothing is run, so a tree of another system
    (Debian's packages unpacked) is read as it is."""
    if data[:4] != b"\x7fELF" or data[4] != 2:
        return [], None
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    loads, dynamic, interp = [], None, None
    for i in range(phnum):
        ptype, _, off, vaddr, _, filesz, _, _ = struct.unpack_from(
            "<IIQQQQQQ", data, phoff + i * phentsize)
        if ptype == 1:
            loads.append((vaddr, off, filesz))
        elif ptype == 2:
            dynamic = (off, filesz)
        elif ptype == 3:
            interp = data[off:off + filesz].rstrip(b"\0").decode()
    if dynamic is None:
        return [], interp
    entries = [struct.unpack_from("<qQ", data, dynamic[0] + i)
               for i in range(0, dynamic[1], 16)]
    strtab = next((v for t, v in entries if t == 5), None)     # DT_STRTAB
    base = next((off + strtab - vaddr for vaddr, off, size in loads
                 if vaddr <= strtab < vaddr + size), None) if strtab is not None else None
    if base is None:
        return [], interp
    needed = [data[base + v:data.index(b"\0", base + v)].decode()
              for t, v in entries if t == 1]                    # DT_NEEDED
    return needed, interp


def in_root(root, rel):
    """Follow symlinks of path rel inside root as the root's own system
    would (absolute targets are relative to root): the real file, or None."""
    for _ in range(40):
        path = os.path.join(root, rel)
        if os.path.islink(path):
            target = os.readlink(path)
            rel = os.path.normpath(target.lstrip("/") if target.startswith("/")
                                   else os.path.join(os.path.dirname(rel), target))
            continue
        return path if os.path.isfile(path) else None
    return None


def walk_tree(root):
    """Relative paths of a tree's directories, files and symlinks, parents
    first, documentation left out."""
    for top, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(dirs) + sorted(files):
            rel = os.path.relpath(os.path.join(top, name), root)
            if not rel.startswith(TREE_SKIP) and not name.startswith("."):
                yield rel


def add_tree(c, made, root, excludes):
    """Add an unpacked tree at /, symlinks kept; returns the ELF files in it."""
    elves = []
    for rel in walk_tree(root):
        if rel in made or any(fnmatch.fnmatch(rel, e) or fnmatch.fnmatch(rel, e + "/*")
                              for e in excludes):
            continue
        path = os.path.join(root, rel)
        add_parents(c, made, rel)
        made.add(rel)
        if os.path.islink(path):
            c.symlink(rel, os.readlink(path))
        elif os.path.isdir(path):
            c.dir(rel)
        else:
            with open(path, "rb") as f:
                data = f.read()
            c.file(rel, data, stat.S_IMODE(os.stat(path).st_mode))
            if data[:4] == b"\x7fELF":
                elves.append((rel, data))
    return elves


def find_library(name, roots):
    for root in roots:
        for d in LIBRARY_DIRS:
            path = in_root(root, os.path.join(d, name))
            if path:
                return os.path.join(d, name), path
    return None, None


def add_libraries(c, made, elves, roots):
    """Add what the ELF files load (their interpreter, their DT_NEEDED
    libraries and theirs in turn), looked up in roots as their loader would.
    A library nowhere to be found stops the build: the image would not run."""
    todo = list(elves)
    while todo:
        rel, data = todo.pop()
        needed, interp = elf_dynamic(data)
        wanted = [(n, find_library(n, roots)) for n in needed]
        if interp:
            real = next((in_root(r, interp) for r in roots if in_root(r, interp)), None)
            wanted.append((interp, (interp.lstrip("/"), real)))
        for name, (dest, real) in wanted:
            if real is None:
                raise SystemExit("%s needs %s: not in %s" % (rel, name, " ".join(roots)))
            if dest in made:
                continue
            add_parents(c, made, dest)
            made.add(dest)
            with open(real, "rb") as f:
                lib = f.read()
            c.file(dest, lib, 0o755)
            todo.append((dest, lib))


class Cpio:
    def __init__(self):
        self.out = bytearray()
        self.ino = 1

    def add(self, name, mode, data=b"", target=None):
        if target is not None:
            data = target.encode()
        nameb = name.encode() + b"\0"
        hdr = "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x" % (
            self.ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(nameb), 0)
        self.ino += 1
        self.out += hdr.encode() + nameb
        self.out += b"\0" * ((4 - len(self.out) % 4) % 4)
        self.out += data
        self.out += b"\0" * ((4 - len(self.out) % 4) % 4)

    def dir(self, name):
        self.add(name, stat.S_IFDIR | 0o755)

    def file(self, name, data, mode=0o644):
        self.add(name, stat.S_IFREG | mode, data)

    def symlink(self, name, target):
        self.add(name, stat.S_IFLNK | 0o777, target=target)

    def finish(self):
        self.add("TRAILER!!!", 0)
        return bytes(self.out)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernel-root", help="dpkg -x of linux-image-* (its Xen modules go in)")
    ap.add_argument("--busybox", required=True, help="static busybox binary")
    ap.add_argument("--tools", help="directory of our dom0 programs (to /usr/bin)")
    ap.add_argument("--init", required=True, help="the /init script")
    ap.add_argument("--checks", help="the test-mode checks script")
    ap.add_argument("--modules", help="comma-separated modules to load (default: dom0's)")
    ap.add_argument("--file", action="append", default=[], metavar="SRC:DEST",
                    help="add SRC at DEST (mode kept); repeatable")
    ap.add_argument("--program", action="append", default=[], metavar="PATH",
                    help="add a dynamically linked program of this machine at the same "
                         "path, with the shared libraries it needs; repeatable")
    ap.add_argument("--tree", action="append", default=[], metavar="DIR",
                    help="add an unpacked package tree (dpkg -x) at /, with the libraries "
                         "its programs load (from the trees and --libs-from); repeatable")
    ap.add_argument("--libs-from", action="append", default=[], metavar="DIR",
                    help="an unpacked tree to take --tree's libraries from; repeatable")
    ap.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                    help="a path (glob) of a --tree to leave out; repeatable")
    ap.add_argument("-o", dest="out", required=True)
    args = ap.parse_args()

    kver, order, found = None, [], {}
    if args.kernel_root:
        moddirs = os.listdir(os.path.join(args.kernel_root, "lib", "modules"))
        if len(moddirs) != 1:
            raise SystemExit("expected one kernel under lib/modules, found %s" % moddirs)
        kver = moddirs[0]
        found = index_modules(os.path.join(args.kernel_root, "lib", "modules", kver))
        order = load_order(found, args.modules.split(",") if args.modules else WANTED)

    c = Cpio()
    base_dirs = ("bin", "sbin", "dev", "proc", "sys", "tmp", "etc", "etc/tonnerre",
                 "lib", "lib/modules", "usr", "usr/bin", "usr/sbin", "root", "run", "var",
                 "var/log", "var/lib")
    for d in base_dirs:
        c.dir(d)
    if kver:
        c.dir("lib/modules/" + kver)
    with open(args.busybox, "rb") as f:
        c.file("bin/busybox", f.read(), 0o755)
    c.symlink("bin/sh", "busybox")
    with open(args.init, "rb") as f:
        c.file("init", f.read(), 0o755)
    if args.checks:
        with open(args.checks, "rb") as f:
            c.file("etc/tonnerre/checks", f.read(), 0o755)
    lines = []
    for name in order:
        dest = "lib/modules/%s/%s.ko" % (kver, name)
        with open(found[name], "rb") as f:
            c.file(dest, f.read())
        lines.append("/" + dest)
    c.file("etc/tonnerre/modules", ("\n".join(lines) + "\n").encode())
    for fn in sorted(os.listdir(args.tools)) if args.tools else []:
        path = os.path.join(args.tools, fn)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            with open(path, "rb") as f:
                c.file("usr/bin/" + fn, f.read(), 0o755)
    made = set(base_dirs)
    for spec in args.file:
        src, _, dest = spec.partition(":")
        if not dest:
            raise SystemExit("--file wants SRC:DEST, got %r" % spec)
        dest = dest.lstrip("/")
        add_parents(c, made, dest)
        with open(src, "rb") as f:
            c.file(dest, f.read(), 0o755 if os.access(src, os.X_OK) else 0o644)
    for prog in args.program:
        for path in [prog] + shared_libraries(prog):
            add_with_parents(c, made, path)
    elves = []
    for tree in args.tree:
        elves += add_tree(c, made, tree, args.exclude)
    add_libraries(c, made, elves, args.tree + args.libs_from)
    data = c.finish()
    with gzip.open(args.out, "wb", compresslevel=6) as f:
        f.write(data)
    print("initramfs: %s (%d KiB, kernel %s, modules: %s)" % (
        args.out, os.path.getsize(args.out) >> 10, kver or "-", " ".join(order) or "-"))


if __name__ == "__main__":
    sys.exit(main())

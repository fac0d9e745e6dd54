#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Benchmarks, printed as a table beside a baseline measured in the same run.

World switch (AMD-V under QEMU TCG): the hypervisor runs a tiny guest that
loops on VMMCALL, then on CPUID, and times the round trips; the baseline is
the same CPUID executed natively by the hypervisor in the same boot, so the
ratio is the cost a VM exit adds.

Hypercalls from a real domain: our PVH test guest, booted as dom0, calls
xen_version through its hypercall page in a loop and then runs CPUID, timed
by its TSC: the full path (exit, decode, dispatch, guest page walk, entry)
that a guest kernel pays.

Both backends: the same PVH guest loop under bochs, once on its AMD
"ryzen" CPU (SVM with nested paging) and once on its Intel Haswell (VT-x
with EPT), so the two backends are compared on one emulator.  bochs runs
with clock sync=none, so these rates are in bochs's emulated time: good
for the ratio between backends, not comparable with the QEMU numbers.

PV I/O: a PVH domU's xvda (blkfront -> blkback -> a loop device on an
image in dom0's RAM) and vif (netfront -> netback -> xenbr0), against
dom0 itself on the same loop device and over its own loopback, in the
same boot (tools/dom0/pvio-bench, tools/domu/io-bench, iobench.c).

Usage: bench.py --xen xen/xen.gz [-n N] [--backends-only | --pvio-only]
"""
import argparse
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "boot"))
from boot_test import Case, ROOT, run_case  # noqa: E402

LINE = re.compile(r"SVM bench: (.+?): (\d+) in (\d+) us, (\d+) per second, (\d+) ns each")
GUEST_LINE = re.compile(r"BENCH (\S+) dom0: (\d+) calls in (\d+) us, (\d+) ns each, (\d+) per second")
GUEST = os.environ.get("TESTGUEST", os.path.join(ROOT, "build", "guests", "testguest.elf"))


READY = "dom0 init: Tonnerre dom0 ready"
DOM0 = os.environ.get("DOM0_DIR", os.path.join(ROOT, "build", "dom0"))


def dom0_modules(test):
    """The boot modules of a Debian dom0 running tonnerre.test=<test>."""
    with open(os.path.join(DOM0, "vmlinuz"), "rb") as f:
        kernel = f.read()
    with open(os.path.join(DOM0, "initrd.img"), "rb") as f:
        initrd = f.read()
    return [("vmlinuz", kernel, "console=hvc0 tonnerre.test=" + test), ("initrd.img", initrd, "")]


def time_to_ready(cmd):
    """Seconds from starting QEMU to dom0's ready line (None if never)."""
    return time_to_line(cmd, READY)


def bench_dom0_boot(xen):
    """Power-on to dom0's shell-ready line: the same Debian kernel and
    initramfs booted by Tonnerre (GRUB, hypervisor, unpacking, PVH) and
    by QEMU directly (its -kernel loader, no hypervisor)."""
    from boot_test import build_iso, qemu_command
    case = Case("bench-dom0-boot", mem=2048, smp=2, cmdline="dom0_mem=512M",
                modules=dom0_modules("boot"))
    xen_s = time_to_ready(qemu_command(build_iso(xen, case), case))
    bare_s = time_to_ready(["qemu-system-x86_64", "-accel", "tcg", "-cpu", "max",
                            "-m", "512", "-smp", "2", "-display", "none", "-vga", "none",
                            "-nodefaults", "-serial", "stdio", "-monitor", "none",
                            "-no-reboot", "-kernel", os.path.join(DOM0, "vmlinuz"),
                            "-initrd", os.path.join(DOM0, "initrd.img"),
                            "-append", "console=ttyS0 tonnerre.test=boot"])
    return xen_s, bare_s


BENCH_TOOL = re.compile(r"BENCH (xl-create-to-userspace|create-destroy-cycles): "
                        r"(?:(\d+) in )?([\d.]+) s")


def time_to_line(cmd, line, limit=300):
    """Seconds from starting cmd to `line` on its output (None if never)."""
    import subprocess
    import time
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         stdin=subprocess.DEVNULL, start_new_session=True)
    got = None
    for raw in p.stdout:
        if line.encode() in raw:
            got = time.monotonic() - t0
            break
        if time.monotonic() - t0 > limit:
            break
    p.kill()
    p.wait()
    return got


def bench_toolstack(xen):
    """xl create to the guest's first line of user space (timed in dom0),
    beside the same kernel and domU initramfs booted by QEMU directly; and
    create/destroy cycles of our small test guest per minute."""
    case = Case("bench-toolstack", mem=2048, smp=2, timeout=600, must_exit=True,
                cmdline="dom0_mem=512M dom0_max_vcpus=1",
                modules=dom0_modules("toolstack-bench"),
                expect=[r"BENCH create-destroy-cycles"])
    ok, _, err, log = run_case(xen, case)
    found = {m.group(1): m for m in map(BENCH_TOOL.search, log.splitlines()) if m}
    if not ok or len(found) < 2:
        print("toolstack benchmark failed: %s" % (err or "no BENCH lines"))
        print(log)
        return None
    bare = time_to_line(["qemu-system-x86_64", "-accel", "tcg", "-cpu", "max", "-m", "256",
                         "-smp", "1", "-display", "none", "-vga", "none", "-nodefaults",
                         "-serial", "stdio", "-monitor", "none", "-no-reboot",
                         "-kernel", os.path.join(DOM0, "vmlinuz"),
                         "-initrd", os.path.join(DOM0, "domu-initrd.img"),
                         "-append", "console=ttyS0"], "domU init: Tonnerre domU up")
    cycles = found["create-destroy-cycles"]
    return (float(found["xl-create-to-userspace"].group(3)), bare,
            int(cycles.group(2)) * 60.0 / float(cycles.group(3)))


PVIO_NOTE = re.compile(r"BENCH pvio note: (.*)$")
PVIO_LINE = re.compile(r"BENCH pvio (dom0|domu) ([\w-]+): ([\d.]+) (MB/s|IOPS) \((.*)\)")
# (label, dom0's measurement, domU's, unit, target ratio from issue 12)
PVIO_ROWS = (
    ("xvda sequential write, 1 MiB", "seq-write", "seq-write", "MB/s", 0.8),
    ("xvda sequential read, 1 MiB", "seq-read", "seq-read", "MB/s", 0.8),
    ("xvda 4 KiB random read, QD1", "rand-read", "rand-read", "IOPS", 0.8),
    ("xvda 4 KiB random write, QD1", "rand-write", "rand-write", "IOPS", 0.8),
    ("TCP domU -> dom0", "tcp-loopback", "tcp-to-dom0", "MB/s", 0.5),
    ("TCP dom0 -> domU", "tcp-loopback", "tcp-from-dom0", "MB/s", 0.5),
)


def bench_pvio(xen):
    """dom0's own disk and loopback figures and a domU's through the PV
    backends, in one boot.  Returns {(side, name): (value, detail)} or an
    error string."""
    case = Case("bench-pvio", mem=2048, smp=2, timeout=1200, must_exit=True,
                cmdline="dom0_mem=768M dom0_max_vcpus=1",
                modules=dom0_modules("pvio-bench"),
                expect=[r"BENCH pvio done"])
    ok, _, err, log = run_case(xen, case)
    found = {(m.group(1), m.group(2)): (float(m.group(3)), m.group(5))
             for m in map(PVIO_LINE.search, log.splitlines()) if m}
    wanted = {("dom0", r[1]) for r in PVIO_ROWS} | {("domu", r[2]) for r in PVIO_ROWS}
    if not ok or not wanted <= set(found):
        missing = ", ".join("%s %s" % k for k in sorted(wanted - set(found)))
        return "%s\n%s" % (err or "no BENCH pvio line for " + missing, log)
    found["notes"] = [m.group(1) for m in map(PVIO_NOTE.search, log.splitlines()) if m]
    return found


def print_pvio(found):
    print("PV I/O under QEMU TCG: a PVH domU (1 vCPU, Debian 6.1) against dom0 (1 vCPU) itself,")
    print("same boot; disk: O_DIRECT on a 64 MiB image (dom0 on the loop device blkback serves),")
    print("TCP: 64 MiB, timed by the receiving guest's clock")
    print("%-30s %6s %10s %10s %7s %7s" % ("measurement", "unit", "dom0", "domU", "ratio",
                                          "target"))
    for label, base, guest, unit, target in PVIO_ROWS:
        b, g = found[("dom0", base)][0], found[("domu", guest)][0]
        ratio = g / b if b else 0.0
        print("%-30s %6s %10.1f %10.1f %6.2fx %6.1fx %s" % (
            label, unit, b, g, ratio, target, "met" if ratio >= target else "not met"))
    print("(dom0's TCP column is its own loopback, the limit for both directions)")
    for note in found["notes"]:
        print(note)


BACKENDS = (("SVM, bochs ryzen", "ryzen"), ("VMX, bochs corei7_haswell_4770", "corei7_haswell_4770"))


def bench_backends(xen, n):
    """Hypercall and CPUID round trips from a PVH domain on each backend.
    Returns {backend label: {measurement: (per second, ns each)}} or an
    error string."""
    with open(GUEST, "rb") as f:
        guest = f.read()
    out = {}
    for label, model in BACKENDS:
        case = Case("bench-" + model, emulator="bochs", cpu_model=model, mem=256, smp=1,
                    cmdline="dom0_mem=16M", timeout=300, must_exit=True,
                    modules=[("testguest.elf", guest, "test=bench name=dom0 n=%d" % n)],
                    expect=[r"TEST bench dom0: (PASS|FAIL)"])
        ok, secs, err, log = run_case(xen, case)
        rates = {m.group(1): (int(m.group(5)), int(m.group(4)))
                 for m in map(GUEST_LINE.search, log.splitlines()) if m}
        if not ok or len(rates) < 2:
            return "%s: %s\n%s" % (label, err or "no BENCH lines", log)
        out[label] = rates
    return out


def print_backends(results, n):
    print("Both backends under bochs (%d round trips each, rates in emulated time)" % n)
    print("%-34s %-12s %14s %12s" % ("backend", "exit", "per second", "ns each"))
    for label, _ in BACKENDS:
        for name in ("hypercall", "cpuid"):
            rate, ns = results[label][name]
            print("%-34s %-12s %14d %12d" % (label, name, rate, ns))
    svm, vmx = (results[label]["hypercall"][0] for label, _ in BACKENDS)
    print("VMX/SVM hypercall rate: %.2fx" % (vmx / max(svm, 1)))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--xen", default=os.path.join(ROOT, "xen", "xen.gz"))
    ap.add_argument("-n", type=int, default=200000, help="round trips per measurement")
    ap.add_argument("--backends-only", action="store_true",
                    help="only the SVM-vs-VMX comparison under bochs")
    ap.add_argument("--pvio-only", action="store_true", help="only the PV disk and network table")
    args = ap.parse_args()

    if args.pvio_only:
        return run_pvio(args.xen)

    if shutil.which("bochs"):
        backends = bench_backends(args.xen, max(args.n // 20, 1000))
        if isinstance(backends, str):
            print("backend benchmark failed: %s" % backends)
            return 1
        print_backends(backends, max(args.n // 20, 1000))
        print()
    else:
        print("bochs not installed: no SVM-vs-VMX comparison\n")
    if args.backends_only:
        return 0

    case = Case("bench-svm", mem=512, smp=1, cmdline="svm_selftest=%d" % args.n,
                expect=[r"SVM selftest: (passed|FAILED)"], timeout=300)
    ok, secs, err, log = run_case(args.xen, case)
    results = {m.group(1): (int(m.group(4)), int(m.group(5)))
               for m in map(LINE.search, log.splitlines()) if m}
    if not ok or "SVM selftest: passed" not in log or len(results) < 3:
        print("benchmark run failed: %s" % (err or "selftest did not pass"))
        print(log)
        return 1

    with open(GUEST, "rb") as f:
        guest = f.read()
    gcase = Case("bench-guest", mem=512, smp=1, cmdline="dom0_mem=16M",
                 modules=[("testguest.elf", guest, "test=bench name=dom0 n=%d" % (args.n // 4))],
                 expect=[r"TEST bench dom0: (PASS|FAIL)"], timeout=300, must_exit=True)
    ok, secs, err, glog = run_case(args.xen, gcase)
    for m in map(GUEST_LINE.search, glog.splitlines()):
        if m:
            results["%s from a PVH domain" % m.group(1)] = (int(m.group(5)), int(m.group(4)))
    if not ok or len(results) < 5:
        print("guest benchmark failed: %s" % (err or "no BENCH lines"))
        print(glog)
        return 1

    base_rate, base_ns = results["CPUID native (baseline)"]
    print("VM exits under QEMU TCG, -cpu max (%d round trips each, %d from the domain)"
          % (args.n, args.n // 4))
    print("%-34s %14s %12s %14s" % ("measurement", "per second", "ns each", "vs baseline"))
    for name in ("VMMCALL round trips", "CPUID exits (guest)", "hypercall from a PVH domain",
                 "cpuid from a PVH domain", "CPUID native (baseline)"):
        rate, ns = results[name]
        print("%-34s %14d %12d %13.1fx" % (name, rate, ns, ns / max(base_ns, 1)))
    print("World switch (VMMCALL round trip, nothing dispatched): %d ns"
          % results["VMMCALL round trips"][1])

    xen_s, bare_s = bench_dom0_boot(args.xen)
    if xen_s is None or bare_s is None:
        print("dom0 boot benchmark failed (Tonnerre %s, bare %s)" % (xen_s, bare_s))
        return 1
    print()
    print("Debian 6.1 kernel + our initramfs, power-on to the shell-ready line, QEMU TCG")
    print("%-34s %10s %10s" % ("boot", "seconds", "ratio"))
    print("%-34s %10.1f %10s" % ("bare QEMU (-kernel), no hypervisor", bare_s, "1.00x"))
    print("%-34s %10.1f %9.2fx" % ("Tonnerre, PVH dom0 (512 MiB)", xen_s, xen_s / bare_s))

    tool = bench_toolstack(args.xen)
    if tool is None or tool[1] is None:
        print("toolstack benchmark failed (bare boot %s)" % (tool and tool[1]))
        return 1
    create_s, bare_domu_s, per_minute = tool
    print()
    print("A PVH domU (Debian 6.1 kernel, busybox initramfs, 128 MiB) to its first user-space line")
    print("%-34s %10s %10s" % ("boot", "seconds", "ratio"))
    print("%-34s %10.1f %10s" % ("bare QEMU (-kernel), no hypervisor", bare_domu_s, "1.00x"))
    print("%-34s %10.1f %9.2fx" % ("xl create in dom0 on Tonnerre", create_s,
                                   create_s / bare_domu_s))
    print("create/destroy cycles of the 16 MiB test guest: %.0f per minute" % per_minute)
    print()
    return run_pvio(args.xen)


def run_pvio(xen):
    found = bench_pvio(xen)
    if isinstance(found, str):
        print("PV I/O benchmark failed: %s" % found)
        return 1
    print_pvio(found)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The hypervisor's boot tests (see boot_test.py for the harness)."""
import random
import struct
import re
import sys

from boot_test import Case, main

BOOTED = [r"Tonnerre hypervisor version \S+", r"Boot complete"]
PANIC_OK = (r"FATAL TRAP", r"triple fault")


def first_int(lines, pattern):
    for _, text in lines:
        m = re.search(pattern, text)
        if m:
            return int(m.group(1))
    return None


def ram_equals(mib):
    """RAM found must be what QEMU was given, less at most 1 MiB of BIOS
    areas (the 640K-1M hole and SeaBIOS's reserved top of low memory)."""
    def check(lines):
        kib = first_int(lines, r"RAM: (\d+) KiB usable")
        if kib is None:
            return "no 'RAM:' line"
        if not (mib * 1024 - 1024 <= kib <= mib * 1024):
            return "RAM %d KiB reported for -m %d (%d KiB)" % (kib, mib, mib * 1024)
        # All RAM but the image, the low 1 MiB, the frame table and page
        # tables goes to the heap: at least 97% of it.
        heap = first_int(lines, r"Heap: (\d+) pages total")
        if heap is None or heap * 4 > kib or heap * 4 < kib * 0.97:
            return "heap total %s pages inconsistent with %d KiB of RAM" % (heap, kib)
        return None
    return check


def cpus_online(n):
    def check(lines):
        got = first_int(lines, r"SMP: (\d+) CPUs online")
        if got != n:
            return "%s CPUs online, expected %d" % (got, n)
        # Each CPU must also take a timer interrupt armed from CPU 0 (IPIs,
        # per-CPU LAPIC timers and softirqs all work).
        fired = first_int(lines, r"Timers: (\d+) of %d CPUs took a timer interrupt$" % n)
        if fired != n:
            return "%s of %d CPUs answered the timer check" % (fired, n)
        return None
    return check


def timer_rate(lines):
    """Hypervisor time between ticks must match host time (10%) and each
    tick must be 1 s apart by the hypervisor's clock (5%)."""
    ticks = []
    for host, text in lines:
        m = re.search(r"timer tick (\d+) at (\d+) ns", text)
        if m:
            ticks.append((host, int(m.group(2))))
    if len(ticks) < 5:
        return "only %d timer ticks" % len(ticks)
    for (_, a), (_, b) in zip(ticks, ticks[1:]):
        if abs((b - a) / 1e9 - 1.0) > 0.05:
            return "tick interval %.3f s by the hypervisor's clock" % ((b - a) / 1e9)
    host = ticks[-1][0] - ticks[0][0]
    hyp = (ticks[-1][1] - ticks[0][1]) / 1e9
    if abs(hyp / host - 1.0) > 0.10:
        return "hypervisor measured %.3f s while the host measured %.3f s" % (hyp, host)
    return None


def elf64_kernel(pvh_entry=None):
    """A minimal ELF64 x86-64 executable: one PT_LOAD at 16 MiB and, if
    pvh_entry is given, a PT_NOTE with XEN_ELFNOTE_PHYS32_ENTRY (18)."""
    note = b""
    if pvh_entry is not None:
        note = struct.pack("<III", 4, 4, 18) + b"Xen\0" + struct.pack("<I", pvh_entry)
    phnum = 2 if note else 1
    code_off = 64 + 56 * phnum + len(note)
    code = b"\xf4" * 64                                 # hlt
    ehdr = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9) + struct.pack(
        "<HHIQQQIHHHHHH", 2, 62, 1, 0x1000000, 64, 0, 0, 64, 56, phnum, 0, 0, 0)
    load = struct.pack("<IIQQQQQQ", 1, 5, code_off, 0x1000000, 0x1000000,
                       len(code), len(code), 0x1000)
    phdrs = load
    if note:
        phdrs += struct.pack("<IIQQQQQQ", 4, 4, 64 + 56 * phnum, 0, 0,
                             len(note), len(note), 4)
    return ehdr + phdrs + note + code


def garbage(size):
    rng = random.Random(20261123)
    return bytes(rng.getrandbits(8) for _ in range(size))


CASES = [
    Case("banner", expect=BOOTED + [], check=ram_equals(256)),
    Case("ram-256", mem=256, expect=BOOTED, check=ram_equals(256)),
    Case("ram-2048", mem=2048, expect=BOOTED, check=ram_equals(2048)),
    Case("ram-6144", mem=6144, expect=BOOTED, check=ram_equals(6144)),
    Case("smp-1", smp=1, expect=BOOTED, check=cpus_online(1)),
    Case("smp-2", smp=2, expect=BOOTED, check=cpus_online(2)),
    Case("smp-4", smp=4, expect=BOOTED, check=cpus_online(4)),
    Case("maxcpus-1", smp=4, cmdline="maxcpus=1", expect=BOOTED,
         check=cpus_online(1)),
    Case("timer-rate", smp=2, cmdline="debug_timer_ticks=6",
         expect=BOOTED + [r"timer tick 6 at \d+ ns"], check=timer_rate),
    # Without an HPET the TSC is calibrated against the PIT.
    Case("timer-rate-pit", machine="pc,hpet=off", smp=2,
         cmdline="debug_timer_ticks=6",
         expect=BOOTED[:1] + [r"calibrated against PIT"] + BOOTED[1:] +
                [r"timer tick 6 at \d+ ns"], check=timer_rate),
    Case("poweroff", smp=2, cmdline="after_boot=poweroff",
         expect=BOOTED + [r"Powering off"], must_exit=True, exit_status=0),
    Case("reboot", smp=2, cmdline="after_boot=reboot",
         expect=BOOTED + [r"Rebooting"], must_exit=True),
    # q35 (ICH9): another chipset's ACPI tables; its FADT has a reset register.
    Case("q35-smp-3", machine="q35", mem=1024, smp=3, expect=BOOTED,
         check=cpus_online(3)),
    Case("q35-poweroff", machine="q35", cmdline="after_boot=poweroff",
         expect=BOOTED + [r"Powering off"], must_exit=True, exit_status=0),
    Case("q35-reboot-acpi-reset", machine="q35", cmdline="after_boot=reboot",
         expect=BOOTED[:1] + [r"reset register yes"] + BOOTED[1:] + [r"Rebooting"],
         must_exit=True),
    Case("unknown-option", cmdline="frobnicate=7 loglvl=bogus",
         expect=[r"nknown .*'frobnicate'", r"Bad value for option 'loglvl'"] + BOOTED),
    Case("fault-pf", smp=2, cmdline="debug_fault=pf noreboot", forbid=(),
         expect=BOOTED + [r"FATAL TRAP: vector 14", r"Faulting linear address: 0+1000",
                          r"RIP: .*debug_trigger_fault", r"Call Trace:",
                          r"debug_trigger_fault\+0x", r"start_xen_on_stack",
                          r"noreboot"]),
    Case("fault-ud", cmdline="debug_fault=ud noreboot", forbid=(),
         expect=BOOTED + [r"FATAL TRAP: vector 6 ", r"Call Trace:",
                          r"debug_trigger_fault\+0x", r"noreboot"]),
    Case("fault-df-stack-overflow", cmdline="debug_fault=df noreboot", forbid=(),
         expect=BOOTED + [r"FATAL TRAP: vector 8 ", r"Call Trace:",
                          r"overflow_stack\S*\+0x", r"noreboot"]),
    # Before the final page tables and the TSS: still reported, no triple fault.
    Case("fault-early-boot", cmdline="debug_fault=early noreboot", forbid=(),
         expect=[r"triggering a page fault during early boot",
                 r"FATAL TRAP: vector 14", r"Call Trace:",
                 r"debug_trigger_early_fault\+0x", r"__start_xen", r"noreboot"]),
    Case("fault-reboots", cmdline="debug_fault=ud", forbid=(),
         expect=[r"FATAL TRAP: vector 6 ", r"Reboot in five seconds"],
         must_exit=True, timeout=60),
    # bochs emulates an Intel CPU with x2APIC and the TSC-deadline timer,
    # which QEMU's TCG lacks: the other local APIC mode and timer mode.
    Case("bochs-x2apic-tsc-deadline", emulator="bochs",
         cpu_model="corei7_haswell_4770", smp=2, timeout=120,
         expect=BOOTED[:1] + [r"APIC: x2APIC mode, .* timer TSC-deadline"] + BOOTED[1:],
         check=cpus_online(2)),
    # AMD-V: a tiny guest behind nested paging loops on VMMCALL and CPUID.
    # QEMU has no NRIPS (the length of each instruction is known); bochs's
    # ryzen model has it (the CPU's next_rip is used).
    Case("svm-guest-qemu", smp=2, cmdline="svm_selftest=20000",
         expect=BOOTED[:1] + [r"SVM: NPT yes, NRIPS no"] + BOOTED[1:] +
                [r"SVM hypercall test: version 0x40011, extraversion '.0-tonnerre', "
                 r"unknown -38, bad buffer -14: passed",
                 r"SVM hypercall page test: signature 'XenVMMXenVMM', "
                 r"xen_version via the page 0x40011: passed",
                 r"SVM bench: VMMCALL round trips: 20000 in",
                 r"SVM bench: CPUID exits \(guest\): 20000 in",
                 r"SVM selftest: passed"]),
    Case("svm-guest-bochs-nrips", emulator="bochs", cpu_model="ryzen", smp=1,
         cmdline="svm_selftest=2000", timeout=120,
         expect=BOOTED[:1] + [r"SVM: NPT yes, NRIPS yes"] + BOOTED[1:] +
                [r"SVM hypercall test: .*: passed",
                 r"SVM hypercall page test: .*: passed", r"SVM selftest: passed"]),
    Case("dom0-elf-pvh-note", modules=[("kernel", elf64_kernel(0x1000000), "console=hvc0")],
         expect=BOOTED[:1] + [r"dom0 kernel: module 0, ELF64, PVH entry 0x1000000, "
                              r"loads at 0x1000000-0x1000040"] + BOOTED[1:]),
    Case("bad-elf-without-pvh-note", forbid=PANIC_OK,
         modules=[("kernel", elf64_kernel(None), "console=hvc0")],
         expect=[r"Panic on CPU 0:", r"lacks the PVH entry point note"], settle=0.5),
    Case("bad-too-little-ram", mem=64, forbid=PANIC_OK,
         expect=[r"Panic on CPU 0:", r"at least 128 MiB"], settle=0.5),
    Case("bad-no-ram-above-1m", grub_extra="cutmem 1M 1024G", forbid=PANIC_OK,
         expect=[r"no usable RAM above 1 MiB", r"Panic on CPU 0:"], settle=0.5),
    Case("bad-garbage-module", forbid=PANIC_OK,
         modules=[("garbage.bin", garbage(1 << 20), "garbage")],
         expect=[r"Panic on CPU 0:", r"not a kernel image"], settle=0.5),
]

if __name__ == "__main__":
    sys.exit(main(CASES))

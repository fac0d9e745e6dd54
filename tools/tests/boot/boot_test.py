#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Boot tests: boot the hypervisor under QEMU (TCG, -cpu max) from a GRUB
image and check what it prints on the serial console.

Each case builds (or reuses) a GRUB rescue ISO with its own grub.cfg, runs
QEMU with a timeout, matches the console against expected patterns, in
order, and fails with the whole console log attached.  Cases run in
parallel (-j).  Usage:

    boot_test.py --xen xen/xen.gz [-k PATTERN] [-j N] [--list]
"""
import argparse
import concurrent.futures
import hashlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
CACHE = os.path.join(ROOT, "build", "boot-tests")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Case:
    def __init__(self, name, cmdline="", mem=256, smp=1, expect=(),
                 forbid=(r"Panic on CPU", r"FATAL TRAP"), modules=(),
                 grub_extra="", must_exit=False, exit_status=None,
                 check=None, timeout=60, settle=0.0, emulator="qemu",
                 cpu_model=None, machine=None, alone=False, typed=()):
        self.name = name
        self.cmdline = cmdline
        self.mem = mem
        self.smp = smp
        self.expect = list(expect)
        self.forbid = list(forbid)
        self.modules = list(modules)      # (filename, bytes, args)
        self.grub_extra = grub_extra
        self.must_exit = must_exit
        self.exit_status = exit_status
        self.check = check                # fn(lines) -> error string or None
        self.timeout = timeout
        self.settle = settle              # keep reading this long after a match
        self.emulator = emulator          # "qemu" (TCG) or "bochs"
        self.cpu_model = cpu_model        # bochs cpu model, e.g. corei7_haswell_4770
        self.machine = machine            # QEMU -machine, e.g. q35
        self.alone = alone                # timing-sensitive: run with nothing beside it
        # (regex, text): once a console line matches regex, type text on the
        # serial line (QEMU only), one pair after the other.
        self.typed = list(typed)


def grub_cfg(case):
    lines = ["set timeout=0", "set default=0",
             "serial --unit=0 --speed=115200",
             "terminal_input serial", "terminal_output serial"]
    if case.grub_extra:
        lines.append(case.grub_extra)
    lines.append('menuentry "Tonnerre test" {')
    lines.append("    multiboot2 /boot/xen.gz " + case.cmdline)
    for fname, _, args in case.modules:
        lines.append("    module2 /boot/%s %s" % (fname, args))
    lines.append("}")
    return "\n".join(lines) + "\n"


_iso_lock = threading.Lock()


def build_iso(xen_gz, case):
    """Build the ISO for a case, cached by the hash of everything in it."""
    with open(xen_gz, "rb") as f:
        xen = f.read()
    cfg = grub_cfg(case)
    h = hashlib.sha256(xen + cfg.encode())
    for fname, data, _ in case.modules:
        h.update(fname.encode() + data)
    iso = os.path.join(CACHE, h.hexdigest()[:16] + ".iso")
    with _iso_lock:
        if os.path.exists(iso):
            return iso
        os.makedirs(CACHE, exist_ok=True)
        tree = tempfile.mkdtemp(prefix="iso-", dir=CACHE)
        try:
            os.makedirs(os.path.join(tree, "boot", "grub"))
            with open(os.path.join(tree, "boot", "xen.gz"), "wb") as f:
                f.write(xen)
            with open(os.path.join(tree, "boot", "grub", "grub.cfg"), "w") as f:
                f.write(cfg)
            for fname, data, _ in case.modules:
                with open(os.path.join(tree, "boot", fname), "wb") as f:
                    f.write(data)
            r = subprocess.run(["grub-mkrescue", "-o", iso + ".tmp", tree],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            if r.returncode:
                raise RuntimeError("grub-mkrescue failed:\n" + r.stdout.decode(errors="replace"))
            os.rename(iso + ".tmp", iso)
        finally:
            shutil.rmtree(tree, ignore_errors=True)
    return iso


def qemu_command(iso, case):
    # Every vCPU on one host thread by default.  With one thread per vCPU
    # (TONNERRE_QEMU_ACCEL=tcg) QEMU 7.2 now and then writes the host's
    # state into a guest's VMCB, as if it took a second #VMEXIT right after
    # the first (the guest then resumes at the instruction after our VMRUN;
    # seen within 10 minutes of bulk TCP between dom0 and a domU, and in
    # toolstack runs; not seen in 15 minutes of the same on one thread, nor
    # in the boot tests); a single thread also keeps two cases at once from
    # wanting four host CPUs on a two-CPU machine.
    accel = os.environ.get("TONNERRE_QEMU_ACCEL", "tcg,thread=single")
    return ["qemu-system-x86_64", "-accel", accel, "-cpu", "max",
            "-m", str(case.mem), "-smp", str(case.smp), "-display", "none",
            "-vga", "none", "-nodefaults", "-serial", "stdio", "-monitor", "none",
            "-no-reboot", "-cdrom", iso, "-boot", "d"] + \
        (["-machine", case.machine] if case.machine else [])


def bochs_command(iso, case, workdir):
    """bochs has no headless display here: run its 'term' display under
    script(1) for a tty, send the serial port to stdout through a FIFO-less
    file we tail, and answer its debugger prompt with 'c' (EMULATORS.md)."""
    rc = os.path.join(workdir, "bochsrc")
    serial = os.path.join(workdir, "serial.txt")
    cmds = os.path.join(workdir, "cmds")
    with open(rc, "w") as f:
        f.write("\n".join([
            "megs: %d" % case.mem,
            "cpu: model=%s, count=%d" % (case.cpu_model, case.smp),
            "romimage: file=/usr/share/bochs/BIOS-bochs-latest",
            "vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest",
            "ata0-master: type=cdrom, path=%s, status=inserted" % iso,
            "boot: cdrom",
            "com1: enabled=1, mode=file, dev=%s" % serial,
            "clock: sync=none",
            "panic: action=fatal",
            "display_library: term",
            "log: %s" % os.path.join(workdir, "bochs.log"), ""]))
    with open(cmds, "w") as f:
        f.write("c\nquit\n")
    open(serial, "w").close()
    err = os.path.join(workdir, "bochs.err")
    inner = "bochs -q -f %s -rc %s >/dev/null 2>%s" % (rc, cmds, err)
    # With the debugger built in, term draws the screen on a pty of its
    # own and names it on stderr ("Bochs connected to screen ...");
    # unread, that pty filled after about 7 minutes of cursor updates and
    # bochs sat in write() for good.  So read it, to nowhere.
    drain = ('( i=0; while [ $i -lt 600 ]; do '
             'p=$(sed -n "s/.*connected to screen \\"\\(.*\\)\\".*/\\1/p" %s 2>/dev/null); '
             'if [ -n "$p" ]; then exec cat "$p" >/dev/null 2>&1; fi; '
             'i=$((i+1)); sleep 0.1; done )' % err)
    return ["sh", "-c", 'script -qfec "%s" /dev/null >/dev/null 2>&1 & pid=$!; '
            '%s & drain=$!; tail -n +1 -f %s & tailpid=$!; wait $pid; '
            'kill $tailpid $drain 2>/dev/null; exit 0' % (inner, drain, serial)]


def run_case(xen_gz, case):
    """Returns (ok, seconds, message, log)."""
    iso = build_iso(xen_gz, case)
    workdir = tempfile.mkdtemp(prefix="run-", dir=CACHE)
    if case.emulator == "bochs":
        cmd = bochs_command(iso, case, workdir)
    else:
        cmd = qemu_command(iso, case)
    start = time.monotonic()
    typing = list(case.typed) if case.emulator == "qemu" else []
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.PIPE if typing else subprocess.DEVNULL,
                            start_new_session=True)

    def type_text(text):
        try:
            proc.stdin.write(text.encode())
            proc.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass
    lines = []          # (host seconds since start, text)
    done = threading.Event()
    # TONNERRE_CONSOLE_DIR=dir: each case's console also goes, as it comes,
    # to dir/<case>.log (to watch a long case, or keep its log).
    live_dir = os.environ.get("TONNERRE_CONSOLE_DIR")
    live = open(os.path.join(live_dir, case.name + ".log"), "w") if live_dir else None

    def reader():
        buf = b""
        while True:
            chunk = proc.stdout.read1(4096) if hasattr(proc.stdout, "read1") else proc.stdout.read(1)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                raw, buf = buf.split(b"\n", 1)
                text = ANSI.sub("", raw.decode(errors="replace")).rstrip("\r")
                lines.append((time.monotonic() - start, text))
                if live:
                    live.write(text + "\n")
                    live.flush()
                # The prompt has no newline yet: type a moment after the cue.
                if typing and re.search(typing[0][0], text):
                    threading.Timer(1.0, type_text, (typing.pop(0)[1],)).start()
        if buf:
            lines.append((time.monotonic() - start, ANSI.sub("", buf.decode(errors="replace"))))
        if live:
            live.close()
        done.set()

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    matched_at = None
    exited = False
    error = None
    try:
        while True:
            elapsed = time.monotonic() - start
            if elapsed > case.timeout:
                error = "timed out after %d s" % case.timeout
                break
            text = [l for _, l in lines]
            for pat in case.forbid:
                hit = next((l for l in text if re.search(pat, l)), None)
                if hit is not None:
                    error = "forbidden output /%s/: %s" % (pat, hit)
                    break
            if error:
                break
            if proc.poll() is not None:
                done.wait(2)
                exited = True
                break
            if not case.must_exit and match_in_order(case.expect, text)[0]:
                if matched_at is None:
                    matched_at = time.monotonic()
                if time.monotonic() - matched_at >= case.settle:
                    break
            time.sleep(0.05)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        if case.emulator == "bochs":
            # script(1) put bochs in a session of its own: find it by its
            # private config path.
            subprocess.run(["pkill", "-KILL", "-f", workdir])
        proc.wait()
        done.wait(2)
    seconds = time.monotonic() - start
    text = [l for _, l in lines]
    stderr = proc.stderr.read().decode(errors="replace")
    if not error:
        ok, missing = match_in_order(case.expect, text)
        if not ok:
            error = "expected /%s/ not seen%s" % (missing, " (QEMU exited)" if exited else "")
        elif case.must_exit and not exited:
            error = "QEMU did not exit by itself"
        elif case.must_exit and case.exit_status is not None and proc.returncode != case.exit_status:
            error = "QEMU exit status %d, expected %d" % (proc.returncode, case.exit_status)
        elif exited and not case.must_exit:
            error = "QEMU exited unexpectedly (status %d): triple fault or reset?" % proc.returncode
        elif case.check:
            error = case.check(lines)
    shutil.rmtree(workdir, ignore_errors=True)
    log = "\n".join(text)
    if stderr.strip():
        log += "\n--- QEMU stderr ---\n" + stderr
    return error is None, seconds, error, log


def match_in_order(patterns, text):
    i = 0
    for pat in patterns:
        while i < len(text) and not re.search(pat, text[i]):
            i += 1
        if i == len(text):
            return False, pat
        i += 1
    return True, None


def main(cases):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--xen", default=os.path.join(ROOT, "xen", "xen.gz"))
    ap.add_argument("-k", dest="pattern", help="only cases whose name contains this")
    ap.add_argument("-j", dest="jobs", type=int, default=2)
    ap.add_argument("--list", action="store_true")
    ap.add_argument("-v", dest="verbose", action="store_true",
                    help="print the console log of passing cases too")
    args = ap.parse_args()
    selected = [c for c in cases if not args.pattern or args.pattern in c.name]
    if args.list:
        for c in selected:
            print(c.name)
        return 0
    if not shutil.which("bochs"):
        skipped = [c.name for c in selected if c.emulator == "bochs"]
        if skipped:
            print("bochs not installed: skipping %s" % ", ".join(skipped))
        selected = [c for c in selected if c.emulator != "bochs"]
    if not os.path.exists(args.xen):
        print("no hypervisor image at %s: run make first" % args.xen)
        return 1
    failures = 0
    t0 = time.monotonic()
    shared = [c for c in selected if not c.alone]
    alone = [c for c in selected if c.alone]

    def results():
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as ex:
            futures = {ex.submit(run_case, args.xen, c): c for c in shared}
            for fut in concurrent.futures.as_completed(futures):
                yield futures[fut], fut
        # Cases that measure time against the host's clock run by themselves:
        # another emulator on the same cores skews what they measure.
        for c in alone:
            with concurrent.futures.ThreadPoolExecutor(max_workers=1) as ex:
                yield c, ex.submit(run_case, args.xen, c)

    for c, fut in results():
            try:
                ok, secs, err, log = fut.result()
            except Exception as e:  # a harness problem is a failure too
                ok, secs, err, log = False, 0.0, "harness error: %s" % e, ""
            if ok:
                print("PASS %-28s (%.1f s)" % (c.name, secs), flush=True)
                if args.verbose:
                    print(log, flush=True)
            else:
                failures += 1
                print("FAIL %-28s (%.1f s): %s" % (c.name, secs, err))
                print("---- console log of %s ----" % c.name)
                print(log)
                print("---- end of %s ----" % c.name, flush=True)
    print("%d/%d boot tests passed in %.0f s" % (len(selected) - failures,
                                                 len(selected), time.monotonic() - t0))
    return 1 if failures else 0

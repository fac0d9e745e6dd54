#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Benchmarks, printed as a table beside a baseline measured in the same run.

World switch (AMD-V under QEMU TCG): the hypervisor runs a tiny guest that
loops on VMMCALL, then on CPUID, and times the round trips; the baseline is
the same CPUID executed natively by the hypervisor in the same boot, so the
ratio is the cost a VM exit adds.  Usage: bench.py --xen xen/xen.gz [-n N]
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "boot"))
from boot_test import Case, ROOT, run_case  # noqa: E402

LINE = re.compile(r"SVM bench: (.+?): (\d+) in (\d+) us, (\d+) per second, (\d+) ns each")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--xen", default=os.path.join(ROOT, "xen", "xen.gz"))
    ap.add_argument("-n", type=int, default=200000, help="round trips per measurement")
    args = ap.parse_args()

    case = Case("bench-svm", mem=512, smp=1, cmdline="svm_selftest=%d" % args.n,
                expect=[r"SVM selftest: (passed|FAILED)"], timeout=300)
    ok, secs, err, log = run_case(args.xen, case)
    results = {m.group(1): (int(m.group(4)), int(m.group(5)))
               for m in map(LINE.search, log.splitlines()) if m}
    if not ok or "SVM selftest: passed" not in log or len(results) < 3:
        print("benchmark run failed: %s" % (err or "selftest did not pass"))
        print(log)
        return 1

    base_rate, base_ns = results["CPUID native (baseline)"]
    print("World switch under QEMU TCG, -cpu max (%d round trips each)" % args.n)
    print("%-28s %14s %12s %14s" % ("measurement", "per second", "ns each", "vs baseline"))
    for name in ("VMMCALL round trips", "CPUID exits (guest)", "CPUID native (baseline)"):
        rate, ns = results[name]
        print("%-28s %14d %12d %13.1fx" % (name, rate, ns, ns / max(base_ns, 1)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Fetch what dom0 is made of, from Debian's archive: the kernel that
# linux-image-amd64 currently points at (resolved now, never hard-coded)
# and busybox-static.  Unpacked with dpkg -x under $1 (default build/dom0):
#   $1/kernel-root   the linux-image package (boot/vmlinuz-*, lib/modules)
#   $1/busybox-root  the busybox-static package
# Reuses what is already there.
set -e
OUT=${1:-build/dom0}
mkdir -p "$OUT/debs"
cd "$OUT/debs"

download() {
    # apt-get download needs the package lists: fetch them once if missing.
    apt-get download "$1" >/dev/null 2>&1 && return 0
    if [ "$(id -u)" -eq 0 ]; then apt-get update -q >/dev/null; else sudo apt-get update -q >/dev/null; fi
    apt-get download "$1" >/dev/null
}

kpkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
if [ -z "$kpkg" ]; then
    apt-get update -q >/dev/null 2>&1 || sudo apt-get update -q >/dev/null
    kpkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
fi
[ -n "$kpkg" ] || { echo "fetch-dom0: cannot resolve linux-image-amd64" >&2; exit 1; }

ls ${kpkg}_*.deb >/dev/null 2>&1 || download "$kpkg"
ls busybox-static_*.deb >/dev/null 2>&1 || download busybox-static
cd ..
if [ ! -d kernel-root/boot ] || [ "$(cat kernel-root/.pkg 2>/dev/null)" != "$kpkg" ]; then
    rm -rf kernel-root && dpkg -x debs/${kpkg}_*.deb kernel-root && echo "$kpkg" > kernel-root/.pkg
fi
[ -x busybox-root/bin/busybox ] || dpkg -x debs/busybox-static_*.deb busybox-root
echo "dom0: $kpkg ($(ls kernel-root/boot/vmlinuz-*)), busybox-static"

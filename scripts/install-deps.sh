#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install the Debian 12 packages the build, `make run` and `make test` need.
# Does nothing when they are all present; needs root (or sudo) otherwise.
set -e

# clang builds the fuzz targets of tools/tests/fuzz; libFuzzer's runtime is
# in libclang-rt-14-dev, which clang only recommends.
PKGS="gcc make binutils libc6-dev libcmocka-dev liblzma-dev zlib1g-dev python3 gzip xz-utils \
      clang libclang-rt-14-dev \
      qemu-system-x86 grub-pc-bin grub-common xorriso mtools \
      bochs bochsbios vgabios bochs-term procps util-linux e2fsprogs"

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "Installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "Please install as root: apt-get install$missing" >&2
    exit 1
fi
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing

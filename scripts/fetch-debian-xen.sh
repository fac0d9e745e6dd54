#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Fetch Debian's own Xen userspace, the compatibility proof of issue 14:
# the xen-utils-X.Y that xen-system-amd64 currently points at (resolved
# now, never hard-coded), xen-utils-common and xenstore-utils, and every
# library package they depend on, followed through the dependency graph.
# Unpacked with dpkg -x under $1 (default build/dom0):
#   $1/xen-root       the Xen packages (xen-*, xenstore-*, libxen*)
#   $1/xen-libs-root  the other libraries (libc6, libyajl2, zlib1g, ...)
#   $1/xen-helpers-root  what Debian's init script runs besides Xen's
#                     programs: dpkg's start-stop-daemon (busybox's one
#                     ignores --test with --start and would start every
#                     xenstored the script only asks about) and dash,
#                     Debian's /bin/sh, to run the script with (busybox's
#                     sh prefers its own applets to programs on PATH)
# tools/dom0/mkinitramfs.py puts the first whole into the debian-xl dom0
# image and takes from the second what its programs load.  Only library
# packages are followed (names lib*, zlib*, xen*): python3, udev, ucf and
# the init-script helpers are not needed by the programs we run.
# Reuses what is already there.
set -e
OUT=${1:-build/dom0}
mkdir -p "$OUT/debs"
cd "$OUT/debs"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

download() {
    # apt-get download needs the package lists: fetch them once if missing.
    apt-get download "$1" >/dev/null 2>&1 && return 0
    as_root apt-get update -q >/dev/null
    apt-get download "$1" >/dev/null
}

utils_of_metapackage() {
    apt-cache depends xen-system-amd64 2>/dev/null |
        awk '/Depends: xen-utils-[0-9]/ {print $2; exit}'
}

# The packages a package depends on (the first of each alternative;
# virtual names skipped), as apt-cache lists them.
depends_of() {
    apt-cache depends --no-recommends --no-suggests --no-conflicts --no-breaks \
        --no-replaces --no-enhances "$1" |
        awk '$1 ~ /^\|?(Pre)?Depends:$/ && $2 !~ /^</ {print $2}' | sort -u
}

utils=$(utils_of_metapackage)
if [ -z "$utils" ]; then
    as_root apt-get update -q >/dev/null
    utils=$(utils_of_metapackage)
fi
[ -n "$utils" ] || { echo "fetch-debian-xen: cannot resolve xen-system-amd64" >&2; exit 1; }

# Breadth first over the dependency graph, library packages only.
todo="$utils xen-utils-common xenstore-utils"
all=""
while [ -n "$todo" ]; do
    next=""
    for p in $todo; do
        case " $all " in *" $p "*) continue ;; esac
        all="$all $p"
        for d in $(depends_of "$p"); do
            case "$d" in lib*|zlib*|xen*) next="$next $d" ;; esac
        done
    done
    todo=$next
done

debs=""
for p in $all dpkg dash; do
    ls "${p}"_*.deb >/dev/null 2>&1 || download "$p"
    debs="$debs $(ls -t "${p}"_*.deb | head -n 1)"
done
cd ..

# Unpack again only when the set of packages (or a version) changed.
stamp=$(echo $debs | tr ' ' '\n' | sort)
if [ "$(cat xen-root/.debs 2>/dev/null)" != "$stamp" ]; then
    rm -rf xen-root xen-libs-root xen-helpers-root
    mkdir -p xen-root xen-libs-root xen-helpers-root/sbin xen-helpers-root/bin
    for deb in $debs; do
        case "${deb##*/}" in
        xen*|libxen*) dpkg -x "debs/$deb" xen-root ;;
        dpkg_*)
            rm -rf dpkg-root && dpkg -x "debs/$deb" dpkg-root
            cp dpkg-root/sbin/start-stop-daemon xen-helpers-root/sbin/
            rm -rf dpkg-root ;;
        dash_*)
            rm -rf dash-root && dpkg -x "debs/$deb" dash-root
            cp dash-root/bin/dash xen-helpers-root/bin/
            rm -rf dash-root ;;
        *) dpkg -x "debs/$deb" xen-libs-root ;;
        esac
    done
    echo "$stamp" > xen-root/.debs
fi
echo "debian-xen: $utils ($(echo $all | wc -w) packages)"

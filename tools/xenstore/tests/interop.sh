#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Interoperability: Xen's own client tools (Debian's xenstore-utils, built on
# Xen's libxenstore) against our daemon.  Skipped when they are not installed.
#   usage: interop.sh <xenstored binary>
set -eu
bin=$1
if ! command -v xenstore-ls >/dev/null 2>&1; then
    echo "SKIP: xenstore-utils not installed"
    exit 0
fi
dir=$(mktemp -d /tmp/xenstored-interop-XXXXXX)
"$bin" -F --no-domain-init --socket "$dir/socket" --pid-file "$dir/pid" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
export XENSTORED_PATH="$dir/socket"
i=0
until [ -S "$dir/socket" ]; do
    i=$((i + 1)); [ $i -lt 500 ] || { echo "FAIL: no socket"; exit 1; }; sleep 0.01
done

fail() { echo "FAIL: $*"; exit 1; }

[ "$(xenstore-read /local/domain/0/name)" = Domain-0 ] || fail "read"
xenstore-write /vm/u/name guest1 /vm/u/x 42 || fail "write"
[ "$(xenstore-read /vm/u/x)" = 42 ] || fail "read back"
[ "$(xenstore-list /vm/u | tr '\n' ' ')" = "name x " ] || fail "list"
xenstore-chmod /vm/u n0 r5 || fail "chmod"
xenstore-ls -fp /vm | grep -q '^/vm/u = ""   (n0,r5)$' || fail "ls -fp"
if xenstore-exists /vm/u/none; then fail "exists"; fi
xenstore-rm /vm/u/x || fail "rm"
if xenstore-exists /vm/u/x; then fail "rm did not remove"; fi
# A child list longer than one payload: libxenstore falls back to DIRECTORY_PART.
n=0
while [ $n -lt 300 ]; do
    echo "/many/child-with-a-rather-long-name-$n"; echo x; n=$((n + 1))
done | xargs -n 200 xenstore-write || fail "bulk write"
[ "$(xenstore-list /many | wc -l)" -eq 300 ] || fail "DIRECTORY_PART listing"
# A watch, as xenstore-watch sets it up: the initial event, then the change.
out=$(timeout 5 xenstore-watch -n 2 /vm/u & sleep 0.3; xenstore-write /vm/u/new 1; wait)
[ "$(echo "$out" | tr '\n' ' ')" = "/vm/u /vm/u/new " ] || fail "watch: $out"
echo "interop: Xen's xenstore-utils against xenstored: all checks passed"

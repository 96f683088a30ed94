#!/usr/bin/env bash
# tools/soak.sh — leave px-fwd forwarding on software ports for a long time, then check every
# counter and every mbuf. Not run by CI or tools/test.sh: run it before a release, or after a
# change to a ring, the mempool or a software PMD.
#
#   tools/soak.sh [SECONDS]        (default 600)
#
# Builds px-fwd in build/ (PX_BUILD_DIR=DIR uses another build tree, e.g. build/asan), then
# runs it on two lcores (-l 0-1) for SECONDS in all, in three parts:
#   1/2  net_ring pair, io mode, --tx-first: 64 frames go round and round two rings;
#   1/4  net_null pair, io mode: mbufs allocated and freed through the lcore's pool cache;
#   1/4  net_null pair, io mode, --mbcache=0: every allocation and free goes through the
#        pool's ring (multi-producer/consumer).
# After each part: px-fwd's exit status 0 (it exits 3 when an mbuf leaked or was freed twice),
# every mbuf back in the pool exactly once, no drops and no errors; the ring pair exactly 64
# frames in flight, the null pairs rx = tx + drops per direction. Prints how many times each
# ring's 32-bit indices wrapped. Exit status 0 when every check passed, 1 otherwise (the
# failing part's output is shown).
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/lib.sh

secs=${1:-600}
case $secs in
'' | *[!0-9]*) echo "usage: tools/soak.sh [SECONDS]   (whole seconds, at least 4)" >&2; exit 2 ;;
esac
[ "$secs" -ge 4 ] || { echo "usage: tools/soak.sh [SECONDS]   (at least 4)" >&2; exit 2; }
bdir=${PX_BUILD_DIR:-build}
if [ ! -f "$bdir/build.ninja" ]; then
    say "configuring $bdir"
    cmake -S . -B "$bdir" -G Ninja >/dev/null
fi
cmake --build "$bdir" -j "$(nproc)" --target px-fwd | tail -n 1
fwd=$bdir/app/fwd/px-fwd
cores=0
[ "$(nproc)" -ge 2 ] && cores=0-1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# part NAME SECONDS WHAT CHECK EAL/APP-ARGS...: run px-fwd, then CHECK (Python over the
# --stats-json d and its ports p) must hold, with the checks every part has.
part() {
    local name=$1 t=$2 what=$3 check=$4
    shift 4
    say "soak: $name, $t s"
    if ! "$fwd" -l "$cores" --no-huge -m 256 "$@" --stats-period=60 \
        --stats-json="$tmp/$name.json" >"$tmp/$name.out" 2>&1; then
        cat "$tmp/$name.out"
        die "soak: $name: px-fwd failed (exit status above: 3 means an mbuf leaked or was freed twice)"
    fi
    grep -E '^(total|mbufs):' "$tmp/$name.out"
    python3 - "$tmp/$name.json" "$check" "$name" "$what" <<'PY' || { cat "$tmp/$name.out"; die "soak: $name: a check failed"; }
import json, sys
d = json.load(open(sys.argv[1]))
p = d["ports"]
checks = [
    ("every mbuf back in the pool once",
     d["mbufs_in_pool"] == d["mbufs_total"] and d["mbufs_leaked"] == 0 and d["mbufs_freed_twice"] == 0),
    ("no drops, no errors, no bad frames",
     all(x["drops"] == x["rx_errors"] == x["tx_errors"] == x["rx_bad"] == 0 for x in p)),
    ("frames moved on every port", all(x["rx_packets"] > 0 for x in p)),
    (sys.argv[4], eval(sys.argv[2])),
]
for what, ok in checks:
    print(("ok: " if ok else "FAIL: ") + what)
if sys.argv[3] == "ring":
    print("each ring's indices wrapped %s times (2^32 frames each)"
          % " and ".join(str(x["rx_packets"] >> 32) for x in p))
if sys.argv[3] == "null_nocache":
    print("the pool's ring indices wrapped %d times" % (sum(x["rx_packets"] for x in p) >> 32))
sys.exit(0 if all(ok for _, ok in checks) else 1)
PY
}

part ring $((secs / 2)) "64 frames in flight, none lost or made up" \
    'sum(x["tx_packets"] for x in p) - sum(x["rx_packets"] for x in p) == 64' \
    --vdev net_ring0 --vdev net_ring1,peer=net_ring0 -- --forward-mode=io --tx-first \
    --duration=$((secs / 2))
part null $((secs / 4)) "every frame received on one port sent on the other" \
    'all(x["rx_packets"] == p[1 - i]["tx_packets"] for i, x in enumerate(p))' \
    --vdev net_null0 --vdev net_null1 -- --forward-mode=io --duration=$((secs / 4))
part null_nocache $((secs - secs / 2 - secs / 4)) "every frame received on one port sent on the other" \
    'all(x["rx_packets"] == p[1 - i]["tx_packets"] for i, x in enumerate(p))' \
    --vdev net_null0 --vdev net_null1 -- --forward-mode=io --mbcache=0 \
    --duration=$((secs - secs / 2 - secs / 4))
say "soak: every counter and every mbuf checked after $secs s"

#!/bin/bash
# tests/compat/examples.sh EXAMPLE BUILD_DIR: DPDK's own example program EXAMPLE, from dpdk-doc's
# /usr/share/dpdk/examples/, copied to a scratch directory untouched (checked against the
# package's md5sums), built with its own Makefile against Pollux (PKG_CONFIG_PATH names the build
# tree's libdpdk.pc, compat/dpdk) and run on Pollux's vdevs; its frames are checked at the far
# end (tests/compat/frames.py). Skips (77) where dpdk-doc, make, a compiler or net_pcap is missing.
set -euo pipefail
ex=$1
build=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../fwd/lib.sh
. "$here/../fwd/lib.sh"
# shellcheck source=lib.sh
. "$here/lib.sh"
frames() { python3 "$here/frames.py" "$@"; }
fail() { echo "FAIL: $*"; exit 1; }

fwd_need make cc pkg-config python3 md5sum
grep -q '^PX_PCAP_LINKS:INTERNAL=1' "$build/CMakeCache.txt" ||
    { echo "SKIP: net_pcap is not built (libpcap-dev), and it feeds and captures the frames"; exit 77; }
fwd_tmp

# The sources, untouched: every file copied is one the package lists, with the package's sum.
compat_copy_untouched "$ex" "$tmp"

# Built with its own Makefile, as against DPDK: only PKG_CONFIG_PATH differs.
export PKG_CONFIG_PATH=$build/compat/dpdk/pkgconfig
make -C "$tmp/$ex" >"$tmp/make.log" 2>&1 || { cat "$tmp/make.log"; fail "make in $ex"; }
grep -q -- "-lpollux_dpdk -lpollux\b\|-l:libpollux.a" "$tmp/make.log" || { cat "$tmp/make.log"; fail "$ex not linked with Pollux"; }
echo "ok: $ex built by its Makefile against Pollux's libdpdk.pc"

frames make "$tmp/in.pcap" 100
eal=(--no-huge -m 256 --vdev "net_pcap0,rx_pcap=$tmp/in.pcap")

# Start the example in the background; wait until its far end holds @want frames.
start() {
    "$@" >"$tmp/out" 2>&1 &
    pid=$!
}
wait_frames() {
    local want=$1 i
    for i in $(seq 1 200); do
        [ "$(frames count "$tmp/out.pcap")" -ge "$want" ] && return 0
        kill -0 "$pid" 2>/dev/null || { cat "$tmp/out"; fail "$ex exited early"; }
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    cat "$tmp/out"
    fail "$ex: $(frames count "$tmp/out.pcap") of $want frames at the far end after 20 s"
}

case $ex in
skeleton)
    # in.pcap -> port 0 -> basicfwd -> port 1 (net_ring0) => port 2 (net_ring1, its peer)
    # -> basicfwd -> port 3 -> out.pcap: two hops of the example, one over a net_ring pair.
    start "$tmp/skeleton/build/basicfwd" -l 0 "${eal[@]}" --vdev net_ring0 \
        --vdev net_ring1,peer=net_ring0 --vdev "net_pcap1,tx_pcap=$tmp/out.pcap"
    wait_frames 100
    # basicfwd loops for ever and has no signal handler. (Not SIGINT: a background job of a
    # script ignores it.)
    kill -TERM "$pid"
    wait "$pid" || true
    cat "$tmp/out"
    frames same "$tmp/in.pcap" "$tmp/out.pcap"
    ;;
l2fwd)
    [ "$(nproc)" -ge 2 ] || { echo "SKIP: l2fwd -q 1 on two ports needs two CPUs"; exit 77; }
    # in.pcap -> port 0 -> l2fwd (MAC updating) -> port 1 -> out.pcap
    start "$tmp/l2fwd/build/l2fwd" -l 0-1 "${eal[@]}" --vdev "net_pcap1,tx_pcap=$tmp/out.pcap" \
        -- -p 0x3 -q 1 -T 1
    wait_frames 100
    sleep 2.5 # a statistics period after the last frame
    kill -INT "$pid"
    rc=0
    wait "$pid" || rc=$?
    cat "$tmp/out"
    [ "$rc" = 0 ] || fail "l2fwd exited $rc after SIGINT"
    grep -q '^Bye\.\.\.' "$tmp/out" || fail "l2fwd did not close its ports"
    python3 - "$tmp/out" <<'PY' || exit 1
import re, sys
out = open(sys.argv[1]).read()
blocks = out.split("Port statistics ====")
tail = blocks[-1]
want = {"Total packets sent": 100, "Total packets received": 100, "Total packets dropped": 0}
got = {k: int(re.search(k + r":\s+(\d+)", tail).group(1)) for k in want} if len(blocks) > 1 else {}
if got != want:
    print("FAIL: l2fwd's last statistics", got, "want", want)
    sys.exit(1)
print("ok: l2fwd printed %d statistics blocks, the last: %s" % (len(blocks) - 1, got))
PY
    mac=$(sed -n 's/^Port 1, MAC address: \([0-9A-F:]*\)$/\1/p' "$tmp/out")
    [ -n "$mac" ] || fail "l2fwd did not print port 1's MAC address"
    frames l2fwd "$tmp/in.pcap" "$tmp/out.pcap" 1 "$mac"
    ;;
helloworld)
    [ "$(nproc)" -ge 2 ] || { echo "SKIP: helloworld on lcores 0-1 needs two CPUs"; exit 77; }
    timeout 30 "$tmp/helloworld/build/helloworld" -l 0-1 --no-huge -m 64 >"$tmp/out" 2>&1 ||
        { cat "$tmp/out"; fail "helloworld failed"; }
    cat "$tmp/out"
    for c in 0 1; do
        grep -q "^hello from core $c\$" "$tmp/out" || fail "no hello from lcore $c"
    done
    ;;
timer)
    # timer0: every second on the main lcore; timer1: one-shot, re-armed by its callback every
    # third of a second on the next lcore in turn (lib/timer through rte_timer.h). The example
    # loops for ever: line-buffered output, then SIGTERM.
    [ "$(nproc)" -ge 2 ] || { echo "SKIP: timer on lcores 0-1 needs two CPUs"; exit 77; }
    fwd_need stdbuf
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
        start stdbuf -oL "$tmp/timer/build/timer" -l 0-1 --no-huge -m 64
    sleep 3.5
    kill -TERM "$pid"
    wait "$pid" || true
    cat "$tmp/out"
    python3 - "$tmp/out" <<'PY' || exit 1
import re, sys
lines = open(sys.argv[1]).read().splitlines()
t0 = [l for l in lines if l.startswith("timer0_cb() on lcore")]
t1 = [int(l.split()[-1]) for l in lines if l.startswith("timer1_cb() on lcore")]
ok = 2 <= len(t0) <= 4 and all(l.endswith("lcore 0") for l in t0)
ok = ok and 8 <= len(t1) <= 12 and all(a != b for a, b in zip(t1, t1[1:]))
print("%s: timer0 ran %d times on lcore 0, timer1 %d times on lcores %s" %
      ("ok" if ok else "FAIL", len(t0), len(t1), t1))
sys.exit(0 if ok else 1)
PY
    ;;
rxtx_callbacks)
    # Builds, and forwards, but the RX/TX callbacks it is about are not in Pollux: each
    # rte_eth_add_rx/tx_callback must be refused with a logged -ENOTSUP (the example ignores
    # the NULL it gets back).
    start "$tmp/$ex/build/$ex" -l 0 --no-huge -m 256 --vdev net_ring0 --vdev net_ring1,peer=net_ring0
    sleep 2
    kill -TERM "$pid"
    wait "$pid" || true
    cat "$tmp/out"
    [ "$(grep -c 'callbacks (rte_eth_add_[rt]x_callback) is not supported by Pollux' "$tmp/out")" = 4 ] ||
        fail "$ex: want the 4 callbacks (2 ports, RX and TX) refused"
    echo "ok: $ex runs with its callbacks refused (-ENOTSUP), each logged"
    ;;
link_status_interrupt)
    # It asks for link-state-change interrupts (intr_conf.lsc = 1), which no vdev has: the
    # configure must fail with DPDK's -ENOTSUP, not pretend (on e1000e it can run).
    [ "$(nproc)" -ge 2 ] || { echo "SKIP: two ports with one RX lcore each need two CPUs"; exit 77; }
    rc=0
    timeout 30 "$tmp/$ex/build/$ex" -l 0-1 --no-huge -m 256 --vdev net_ring0 \
        --vdev net_ring1,peer=net_ring0 -- -p 0x3 -T 1 >"$tmp/out" 2>&1 || rc=$?
    cat "$tmp/out"
    [ "$rc" = 1 ] && grep -q "Cannot configure device: err=-95, port=0" "$tmp/out" ||
        fail "$ex on net_ring: exit $rc, want 1 with err=-95 (-ENOTSUP: no LSC interrupt)"
    echo "ok: $ex refused with -ENOTSUP where the port has no link interrupt"
    ;;
*)
    fail "no scenario for $ex"
    ;;
esac

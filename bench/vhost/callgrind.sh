#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# bench/vhost/callgrind.sh — instructions per packet of Pollux's vhost-user burst functions in a
# live pair against dpdk-testpmd (the other end), 64-byte frames: px-fwd runs under
# valgrind --tool=callgrind for SECS seconds (default 12), then each burst function's inclusive
# count is divided by the packets px-fwd moved. Four runs, one per Pollux end and direction:
#   vu_tx     Pollux net_virtio_user txonly -> testpmd net_vhost rxonly   (virtio_xmit_pkts*)
#   vu_rx     testpmd net_vhost txonly -> Pollux net_virtio_user rxonly   (virtio_recv_pkts*)
#   vhost_tx  Pollux net_vhost txonly -> testpmd net_virtio_user rxonly   (vhost_tx: enqueue)
#   vhost_rx  testpmd net_virtio_user txonly -> Pollux net_vhost rxonly   (vhost_rx: dequeue)
# px-fwd forwards on CPU 1, testpmd on CPU 0. The counts do not move with the machine's load,
# but what they include does: a TX figure includes the bursts that found the ring full, an RX
# figure the polls that found it empty (few when testpmd gets its CPU: the program under
# callgrind is the slow end; many on a loaded machine). Prints
#   CALLGRIND <run> <function> <instructions per packet> (<packets>)
# Environment: SECS, PACKED=1 (packed rings: packed_vq=1 on the virtio-user end), IN_ORDER=0|1
# (in_order= on the virtio-user end; unset: its default, 1),
# BENCH_PXFWD (a px-fwd with symbols; default: the Release build of bench/vhost/run.sh),
# CG_DIR (keep each run's callgrind file and px-fwd output there, as <run>.cg and <run>.out).
# Needs valgrind, dpdk-testpmd and 48 free 2 MiB hugepages; otherwise says so and skips.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
secs=${SECS:-12}
pxfwd=${BENCH_PXFWD:-$root/build/bench-vhost/app/fwd/px-fwd}
vuopt=
[ "${PACKED:-0}" = 1 ] && vuopt=,packed_vq=1
[ -n "${IN_ORDER:-}" ] && vuopt+=",in_order=$IN_ORDER"

skip() { echo "CALLGRIND skipped: $*"; exit 0; }
command -v valgrind >/dev/null || skip "needs valgrind (apt-get install valgrind)"
command -v dpdk-testpmd >/dev/null || skip "needs dpdk-testpmd (apt-get install dpdk-dev)"
[ -x "$pxfwd" ] || skip "no px-fwd at $pxfwd (run bench/vhost/run.sh once, or set BENCH_PXFWD)"
free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
[ "${free:-0}" -ge 48 ] || skip "needs 48 free 2 MiB hugepages (px-hugepages --setup 256M)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sock=$tmp/vhost.sock

testpmd() { # testpmd LCORES VDEV MODE: in the background (tp_pid)
	stdbuf -oL dpdk-testpmd --lcores "$1" --no-huge -m 512 --no-pci --log-level=error \
		--file-prefix="pxcg$$" --vdev "$2" -- --forward-mode="$3" --txpkts=64 \
		--total-num-mbufs=16384 --auto-start --stats-period=1 >"$tmp/tp.out" 2>&1 </dev/null &
	tp_pid=$!
}
pollux() { # pollux VDEV MODE MEMARGS...: px-fwd under callgrind, in the background (px_pid)
	local vdev=$1 mode=$2
	shift 2
	valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" "$pxfwd" --lcores 0@0,1@1 "$@" \
		--no-pci --log-level=error --vdev "$vdev" -- --forward-mode="$mode" --txpkts=64 \
		--stats-period=0 >"$tmp/px.out" 2>&1 &
	px_pid=$!
}
wait_sock() { for _ in $(seq 300); do [ -S "$sock" ] && return; sleep 0.1; done; }

# one RUN ROLE DIR FUNCS: ROLE vu|vhost is Pollux's end, DIR tx|rx what it does
one() {
	local run=$1 role=$2 dir=$3 funcs=$4 pxmode=rxonly tpmode=txonly n col
	[ "$dir" = tx ] && { pxmode=txonly; tpmode=rxonly; }
	rm -f "$sock" "$tmp/cg"
	if [ "$role" = vu ]; then
		testpmd 0@1,1@0 "net_vhost0,iface=$sock" "$tpmode"
		wait_sock
		pollux "net_virtio_user0,path=$sock$vuopt" "$pxmode" -m 64 --file-prefix "pxcgvu$$"
	else
		pollux "net_vhost0,iface=$sock" "$pxmode" --no-huge -m 256
		wait_sock
		testpmd 0@1,1@0 "net_virtio_user0,path=$sock$vuopt" "$tpmode"
	fi
	sleep "$secs"
	kill -INT "$px_pid"
	wait "$px_pid" || true
	kill -INT "$tp_pid"
	wait "$tp_pid" || true
	# px-fwd's summary: "total: rx N tx N ..."
	col=3
	[ "$dir" = tx ] && col=5
	n=$(grep -a '^total:' "$tmp/px.out" | awk -v c=$col '{ print $c }')
	[ -z "${CG_DIR:-}" ] || { cp "$tmp/cg" "$CG_DIR/$run.cg"; cp "$tmp/px.out" "$CG_DIR/$run.out"; }
	[ -n "$n" ] && [ "$n" -gt 0 ] || { echo "CALLGRIND $run: no packets moved"; cat "$tmp/px.out"; return; }
	callgrind_annotate --inclusive=yes --threshold=100 "$tmp/cg" | sed 's/([^)]*)//' |
		awk -v n="$n" -v run="$run" -v pat="^($funcs)\$" '{
			split($2, a, ":"); f = a[2]; sub(/ .*/, "", f); gsub(",", "", $1)
			if (f ~ pat) printf "CALLGRIND %s %s %.1f (%d packets)\n", run, f, $1 / n, n }'
}

one vu_tx vu tx 'virtio_xmit_pkts(_packed)?(_inorder)?|(split|packed)_tx_cleanup(_inorder)?'
one vu_rx vu rx 'virtio_recv_pkts(_packed)?(_inorder)?|(split_rx|packed_rx)_refill(_inorder)?'
one vhost_tx vhost tx 'vhost_tx|enqueue_split|enqueue_packed'
one vhost_rx vhost rx 'vhost_rx|dequeue_split|dequeue_packed'

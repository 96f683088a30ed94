#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# bench/vhost/run.sh — vhost_pair_io: a vhost-user pair, 64-byte frames, one forwarding lcore on
# each side (the vhost side's on CPU M, the virtio-user side's on CPU S; BENCH_CPUS=S,M, default
# 0,1), for four pairs: Pollux<->Pollux (px-fwd on net_virtio_user and on net_vhost),
# DPDK<->DPDK (dpdk-testpmd on both), and the two mixed pairs. Two directions:
#   fwd  txonly on the virtio-user side, rxonly on the vhost side
#   rev  txonly on the vhost side, rxonly on the virtio-user side
# The metric is what the receiving program counts per second (its live statistics, the first
# WARM lines skipped, SECS lines averaged); runs alternate the pairs, ROUNDS times, and the median
# of each is printed as the BENCH lines of bench/compare.sh:
#   BENCH vhost_pair_io_<dir> pollux=<Pollux<->Pollux> dpdk=<DPDK<->DPDK> unit=Mpps ratio=...
#   BENCH vhost_pair_io_<dir>_mixed_pxvu pollux=<Pollux virtio-user, DPDK vhost> dpdk=<DPDK<->DPDK>
#   BENCH vhost_pair_io_<dir>_mixed_pxvhost pollux=<DPDK virtio-user, Pollux vhost> dpdk=<DPDK<->DPDK>
# Environment: ROUNDS (default 3), SECS (default 4), WARM (default 2), BENCH_PXFWD (a px-fwd to
# use; default: a Release build in build/bench-vhost). Needs dpdk-testpmd and, for Pollux's
# net_virtio_user, 48 free 2 MiB hugepages; otherwise says so and skips.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$root/build/bench-vhost
rounds=${ROUNDS:-3} secs=${SECS:-4} warm=${WARM:-2}
cpus=${BENCH_CPUS:-0,1}
scpu=${cpus%%,*} mcpu=${cpus##*,}

log() { echo "vhost bench: $*" >&2; }
skip_all() { echo "BENCH vhost_pair_io skipped: $*"; exit 0; }
command -v dpdk-testpmd >/dev/null || skip_all "needs dpdk-testpmd (apt-get install dpdk-dev)"
free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
[ "${free:-0}" -ge 48 ] || skip_all "needs 48 free 2 MiB hugepages (px-hugepages --setup 256M)"

tmp=$(mktemp -d)
cleanup() {
	local p
	[ ! -f "$tmp/pids" ] || while read -r p; do kill -KILL "$p" 2>/dev/null || true; done <"$tmp/pids"
	rm -rf "$tmp"
}
trap cleanup EXIT

if [ -n "${BENCH_PXFWD:-}" ]; then
	pxfwd=$BENCH_PXFWD
else
	log "building px-fwd (Release) in $build"
	cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
		-DPX_LAB=OFF >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }
	ninja -C "$build" px-fwd >>"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }
	pxfwd=$build/app/fwd/px-fwd
fi
sock=$tmp/vhost.sock

# start WHO ROLE MODE OUT: ROLE vhost (forwarding on M) or vu (on S), in the background
start() {
	local who=$1 role=$2 mode=$3 out=$4 lc vdev
	if [ "$role" = vhost ]; then lc="0@$scpu,1@$mcpu"; else lc="0@$mcpu,1@$scpu"; fi
	if [ "$who" = pollux ]; then
		if [ "$role" = vhost ]; then
			vdev="net_vhost0,iface=$sock" mem=(--no-huge -m 256)
		else
			vdev="net_virtio_user0,path=$sock" mem=(-m 64 --file-prefix "pxbvu$$")
		fi
		"$pxfwd" --lcores "$lc" "${mem[@]}" --no-pci --log-level=error --vdev "$vdev" -- \
			--forward-mode="$mode" --txpkts=64 --stats-period=1 >"$out" 2>&1 &
	else
		if [ "$role" = vhost ]; then vdev="net_vhost0,iface=$sock"; else vdev="net_virtio_user0,path=$sock"; fi
		stdbuf -oL dpdk-testpmd --lcores "$lc" --no-huge -m 512 --no-pci --log-level=error \
			--file-prefix="pxb$role$$" --vdev "$vdev" -- --forward-mode="$mode" --txpkts=64 \
			--total-num-mbufs=16384 --auto-start --stats-period=1 >"$out" 2>&1 </dev/null &
	fi
	echo $! >>"$tmp/pids"
	eval "pid_$role=$!"
}

# rate WHO FILE: the mean receive rate (Mpps) over live statistics lines WARM+1 .. WARM+SECS
rate() {
	if [ "$1" = pollux ]; then
		grep -a '^port 0: rx' "$2" | awk -v a=$((warm + 1)) -v b=$((warm + secs)) \
			'NR >= a && NR <= b { s += $4; n++ } END { if (n == b - a + 1) printf "%.3f\n", s / n; else print "nan" }'
	else
		grep -a 'Rx-pps:' "$2" | awk -v a=$((warm + 1)) -v b=$((warm + secs)) \
			'NR >= a && NR <= b { s += $2; n++ } END { if (n == b - a + 1) printf "%.3f\n", s / n / 1e6; else print "nan" }'
	fi
}

# one VU VHOST DIR: one run of the pair (VU and VHOST: pollux or dpdk); prints the Mpps
one() {
	local vu=$1 vh=$2 dir=$3 vumode=txonly vhmode=rxonly rx i
	[ "$dir" = rev ] && { vumode=rxonly; vhmode=txonly; }
	rm -f "$sock"
	start "$vh" vhost "$vhmode" "$tmp/vh.out"
	for i in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
	start "$vu" vu "$vumode" "$tmp/vu.out"
	if [ "$dir" = fwd ]; then rx=$vh; f=$tmp/vh.out; else rx=$vu; f=$tmp/vu.out; fi
	# until the receiver printed WARM + SECS statistics lines (60 s at most: a slow start)
	for i in $(seq 60); do
		sleep 1
		[ "$(grep -acE '^port 0: rx|Rx-pps:' "$f" || true)" -ge $((warm + secs)) ] && break
	done
	kill -INT "$pid_vu" "$pid_vhost" 2>/dev/null || true
	wait "$pid_vu" "$pid_vhost" 2>/dev/null || true
	rate "$rx" "$f"
}

# the median of the runs that measured (a run without enough statistics lines says nan)
median() { grep -v nan | sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "nan" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f\n", a / b; else print "nan" }'; }

for dir in fwd rev; do
	: >"$tmp/pp" ; : >"$tmp/dd"; : >"$tmp/pd"; : >"$tmp/dp"
	for r in $(seq "$rounds"); do
		one pollux pollux "$dir" >>"$tmp/pp"
		one dpdk dpdk "$dir" >>"$tmp/dd"
		one pollux dpdk "$dir" >>"$tmp/pd"
		one dpdk pollux "$dir" >>"$tmp/dp"
		log "$dir round $r: pollux<->pollux $(tail -1 "$tmp/pp") dpdk<->dpdk $(tail -1 "$tmp/dd") pollux-vu/dpdk-vhost $(tail -1 "$tmp/pd") dpdk-vu/pollux-vhost $(tail -1 "$tmp/dp") Mpps"
	done
	pp=$(median <"$tmp/pp") dd=$(median <"$tmp/dd") pd=$(median <"$tmp/pd") dp=$(median <"$tmp/dp")
	echo "BENCH vhost_pair_io_$dir pollux=$pp dpdk=$dd unit=Mpps ratio=$(ratio "$pp" "$dd") better=higher"
	echo "BENCH vhost_pair_io_${dir}_mixed_pxvu pollux=$pd dpdk=$dd unit=Mpps ratio=$(ratio "$pd" "$dd") better=higher"
	echo "BENCH vhost_pair_io_${dir}_mixed_pxvhost pollux=$dp dpdk=$dd unit=Mpps ratio=$(ratio "$dp" "$dd") better=higher"
done

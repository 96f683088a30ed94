#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# bench/kernel/run.sh [METRIC...] — Pollux's px-fwd against DPDK 22.11's dpdk-testpmd on the
# kernel-backed ports, 64-byte frames on a veth pair va–vb in a network namespace made here:
#   af_packet_rx af_packet_tx af_xdp_rx af_xdp_tx   (Mpps, higher is better)
# Prints the BENCH lines of bench/compare.sh, plus KERNEL lines (the kernel's own ceiling) and
# DETAIL lines (what the source sent, what each program claims it sent).
#
#   _rx  pktsrc (bench/kernel/pktsrc.c, one binary for both sides) floods va from the source
#        core; the measured program runs rxonly on vb; the metric is what the program itself
#        counted as received, per second, from its own live statistics.
#   _tx  the measured program runs txonly (--txpkts=64) on vb; the metric is what arrived at va
#        (va's rx_packets in sysfs) per second; the program's own TX rate is printed as a DETAIL.
#
# Cores: BENCH_CPUS=S,M (default 0,1). Both programs run `--lcores 0@S,1@M`: the forwarding
# lcore alone on M, the main lcore (live statistics once a second, asleep otherwise) on S, where
# pktsrc and the receiving kernel work (va's RPS points at S) also run.
# Environment: ROUNDS (default 5; the runs alternate Pollux, DPDK, ... and the median of each
# side is printed; BENCH_STAT=best: the best round), SECS (measured seconds per run, default 4), WARM (seconds skipped after the
# first statistics line, default 1), BENCH_KERNEL_BUILD (Pollux Release build dir, default
# build/bench-kernel), BENCH_PXFWD (use this px-fwd instead of building one), BENCH_KERNEL_RPS=0
# (va's receive work stays on the core that sent the frame: the measured core for _tx),
# BENCH_KERNEL_DEVARGS (appended to both sides' vdev, e.g. ",framecnt=8192").
# Needs root (network namespace, veth, PF_PACKET, XDP); otherwise says so and skips.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BENCH_KERNEL_BUILD:-$root/build/bench-kernel}
rounds=${ROUNDS:-5} secs=${SECS:-4} warm=${WARM:-1}
cpus=${BENCH_CPUS:-0,1}
scpu=${cpus%%,*} mcpu=${cpus##*,}
all="af_packet_rx af_packet_tx af_xdp_rx af_xdp_tx"
metrics=("$@")
[ ${#metrics[@]} -gt 0 ] || read -r -a metrics <<<"$all"

log() { echo "kernel bench: $*" >&2; }
die() { log "$*"; exit 1; }
skip_all() {
	local m
	for m in "${metrics[@]}"; do echo "BENCH $m skipped: $*"; done
	exit 0
}

for m in "${metrics[@]}"; do
	case " $all " in *" $m "*) ;; *) die "unknown metric $m (known: $all)" ;; esac
done
[ "$(id -u)" = 0 ] || skip_all "needs root (network namespace, veth pair, PF_PACKET and XDP sockets)"
command -v ip >/dev/null || skip_all "needs ip (iproute2)"
command -v dpdk-testpmd >/dev/null || skip_all "needs dpdk-testpmd (apt-get install dpdk-dev)"

tmp=$(mktemp -d)
ns=""
cleanup() {
	local p
	# what one() started (in a command substitution, so not among this shell's jobs)
	[ ! -f "$tmp/pids" ] || while read -r p; do kill -KILL "$p" 2>/dev/null || true; done <"$tmp/pids"
	[ -z "$ns" ] || ip netns del "$ns" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

# ---- build: px-fwd (Release) and pktsrc ----
if [ -n "${BENCH_PXFWD:-}" ]; then
	pxfwd=$BENCH_PXFWD
else
	log "building px-fwd (Release) in $build"
	cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
		-DPX_LAB=OFF >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; die "configure failed"; }
	ninja -C "$build" px-fwd >>"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; die "build failed"; }
	pxfwd=$build/app/fwd/px-fwd
fi
[ -x "$pxfwd" ] || die "no px-fwd at $pxfwd"
mkdir -p "$build"
# with libxdp, pktsrc -x is the AF_XDP send ceiling too (af_xdp_tx)
xsk_build=()
pkg-config --exists libxdp 2>/dev/null && xsk_build=(-DPKTSRC_XSK "$here/pktsrc.c" -lxdp -lbpf)
cc -O2 -D_GNU_SOURCE -Wall -Wextra -Werror -o "$build/pktsrc" "${xsk_build[@]:-$here/pktsrc.c}" ||
	die "cannot build pktsrc"
pktsrc=$build/pktsrc

# ---- the wire: va–vb in a namespace, va's receive work on the source core ----
ns=pxbench$$
ip netns add "$ns" 2>"$tmp/err" || { ns=""; skip_all "cannot create a network namespace: $(cat "$tmp/err")"; }
inns() { ip netns exec "$ns" "$@"; }
# one queue each way: every frame reaches vb's queue 0, the one queue both programs bind (a
# veth gets one queue per CPU by default and the kernel picks one by flow hash)
inns ip link add va numtxqueues 1 numrxqueues 1 type veth peer name vb numtxqueues 1 numrxqueues 1
inns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
inns ip link set va up
inns ip link set vb up
# frames sent on vb are received by va in the sending core's softirq unless RPS sends them to the
# sink core: then the measured core does only the program's work and its kernel send path
# (BENCH_KERNEL_RPS=0 leaves it on the measured core, as without RPS)
if [ "${BENCH_KERNEL_RPS:-1}" != 0 ]; then
	inns sh -c "printf %x $((1 << scpu)) > /sys/class/net/va/queues/rx-0/rps_cpus" 2>/dev/null ||
		log "cannot set RPS on va: the kernel's receive work for _tx runs on the measured core"
fi
counter() { inns cat "/sys/class/net/$1/statistics/$2"; }
now() { date +%s.%N; }

# ---- the measured programs ----
have_px_xdp() { grep -qa 'net_af_xdp' "$pxfwd"; }

# the same ring sizes on both sides: net_af_xdp's RX/TX rings (and its fill/completion rings)
# follow the queue's descriptors, whose defaults differ (px-fwd 1024; testpmd takes the PMD's);
# net_af_packet's rings come from its devargs (framecnt, the same defaults) on both.
descs=(--rxd=2048 --txd=2048)

# BENCH_KERNEL_DEVARGS=",framecnt=8192": more devargs for the vdev, the same on both sides
devargs=${BENCH_KERNEL_DEVARGS:-}

# start SIDE DRIVER MODE: the program on vb in the background, output in $tmp/out, pid in $pid
start() {
	local side=$1 drv=$2 mode=$3
	: >"$tmp/out" # exists before the program's shell opens it
	if [ "$side" = pollux ]; then
		ip netns exec "$ns" "$pxfwd" --lcores "0@$scpu,1@$mcpu" --no-huge -m 256 --no-pci --log-level=error \
			--vdev "net_${drv}0,iface=vb$devargs" -- --forward-mode="$mode" --txpkts=64 "${descs[@]}" \
			--stats-period=1 --stats-json="$tmp/px.json" >"$tmp/out" 2>&1 &
	else
		ip netns exec "$ns" stdbuf -oL dpdk-testpmd --lcores "0@$scpu,1@$mcpu" --no-huge -m 512 --no-pci \
			--file-prefix="pxbench$$" --log-level=error --vdev "net_${drv}0,iface=vb$devargs" -- \
			--forward-mode="$mode" --txpkts=64 "${descs[@]}" --total-num-mbufs=16384 --auto-start \
			--stats-period=1 >"$tmp/out" 2>&1 </dev/null &
	fi
	pid=$!
	echo "$pid" >>"$tmp/pids"
}

# periods SIDE: the number of live statistics lines so far
periods() {
	if [ "$1" = pollux ]; then grep -c '^port 0: rx' "$tmp/out" || true
	else grep -ac 'Rx-pps:' "$tmp/out" || true; fi
}

# rate SIDE rx|tx FIRST LAST: mean Mpps over live statistics lines FIRST..LAST (1-based)
rate() {
	local pat col
	if [ "$1" = pollux ]; then
		pat='^port 0: rx'
		[ "$2" = rx ] && col=4 || col=10
		grep "$pat" "$tmp/out" | awk -v c=$col -v a="$3" -v b="$4" \
			'NR >= a && NR <= b { s += $c; n++ } END { if (n) printf "%.3f\n", s / n; else print "nan" }'
	else
		[ "$2" = rx ] && pat='Rx-pps:' || pat='Tx-pps:'
		grep -a "$pat" "$tmp/out" | awk -v a="$3" -v b="$4" \
			'NR >= a && NR <= b { s += $2; n++ } END { if (n) printf "%.3f\n", s / n / 1e6; else print "nan" }'
	fi
}

# wait_first SIDE: until the program prints its first live statistics line (60 s at most)
wait_first() {
	local i
	for ((i = 0; i < 600; i++)); do
		[ "$(periods "$1")" -ge 1 ] && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	log "$1 did not start forwarding; its output:"
	cat "$tmp/out" >&2
	return 1
}

stop() {
	local i
	kill -INT "$1" 2>/dev/null || true
	for ((i = 0; i < 100; i++)); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# one SIDE DRIVER rx|tx: one measured run; prints "metric detail"
one() {
	local side=$1 drv=$2 dir=$3 mode n1 n2 c1 c2 t1 t2 src=0 r d
	[ "$dir" = rx ] && mode=rxonly || mode=txonly
	if [ "$dir" = rx ]; then
		ip netns exec "$ns" taskset -c "$scpu" "$pktsrc" va 3600 >"$tmp/src" 2>&1 &
		src=$!
		echo "$src" >>"$tmp/pids"
	fi
	start "$side" "$drv" "$mode"
	if ! wait_first "$side"; then
		stop "$pid"
		[ "$src" = 0 ] || stop "$src"
		echo "nan nan"
		return
	fi
	sleep "$warm"
	n1=$(periods "$side") c1=$(counter va rx_packets) t1=$(now)
	sleep "$secs"
	n2=$(periods "$side") c2=$(counter va rx_packets) t2=$(now)
	stop "$pid"
	if [ "$dir" = rx ]; then
		stop "$src"
		r=$(rate "$side" rx $((n1 + 1)) "$n2")
		d=$(awk -F'mpps=' '/^pktsrc/ { print $2 }' "$tmp/src")
	else
		r=$(awk -v a="$c1" -v b="$c2" -v s="$t1" -v e="$t2" 'BEGIN { printf "%.3f\n", (b - a) / (e - s) / 1e6 }')
		d=$(rate "$side" tx $((n1 + 1)) "$n2")
	fi
	echo "$r ${d:-nan}"
}

# BENCH_STAT=best (or compare.sh's min, "the best round"): the highest round of each side, the
# floor of what other load takes away on a shared machine; otherwise the median
pick() {
	case ${BENCH_STAT:-median} in
	best | min) sort -g | tail -n 1 ;;
	*) median ;;
	esac
}
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; else print "nan" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.3f", a / b; else print "nan" }'; }

# the kernel's own ceilings, nothing receiving: pktsrc on the source core into va (what _rx can
# get at most), and on the measured core into vb (the kernel's PF_PACKET send path on that core)
ceiling() { # ceiling CPU IFACE [-x: through AF_XDP]
	local cpu=$1 ifc=$2
	inns taskset -c "$cpu" "$pktsrc" ${3:-} "$ifc" "$secs" | awk -F'mpps=' '/^pktsrc/ { print $2 }'
}

bench() {
	local m=$1 drv=${1%_*} dir=${1##*_} px=() dp=() pxd=() dpd=() i out with_px=1
	if [ "$drv" = af_xdp ] && ! have_px_xdp; then
		with_px=0
	fi
	for ((i = 0; i < rounds; i++)); do
		if [ $with_px = 1 ]; then
			read -r -a out <<<"$(one pollux "$drv" "$dir")"
			px+=("${out[0]}") pxd+=("${out[1]}")
		fi
		read -r -a out <<<"$(one dpdk "$drv" "$dir")"
		dp+=("${out[0]}") dpd+=("${out[1]}")
	done
	local a b ad bd
	b=$(printf '%s\n' "${dp[@]}" | pick) bd=$(printf '%s\n' "${dpd[@]}" | pick)
	if [ $with_px = 0 ]; then
		echo "BENCH $m skipped: Pollux has no net_af_xdp in this build ($pxfwd); dpdk=$b unit=Mpps"
		return
	fi
	a=$(printf '%s\n' "${px[@]}" | pick) ad=$(printf '%s\n' "${pxd[@]}" | pick)
	echo "BENCH $m pollux=$a dpdk=$b unit=Mpps ratio=$(ratio "$a" "$b") better=higher"
	if [ "$dir" = rx ]; then
		echo "DETAIL $m source_sent pollux=$ad dpdk=$bd unit=Mpps (pktsrc's rate while each side received)"
	else
		echo "DETAIL $m claimed_sent pollux=$ad dpdk=$bd unit=Mpps (each program's own TX rate; the BENCH line is what reached va)"
	fi
	log "$m rounds: pollux ${px[*]} | dpdk ${dp[*]}"
	stalled pollux "$m" "${px[@]}"
	stalled dpdk "$m" "${dp[@]}"
}

# stalled SIDE METRIC RATE...: say so when a round measured nothing at all
stalled() {
	local side=$1 m=$2 n=0 r
	shift 2
	for r in "$@"; do [ "$r" != 0.000 ] || n=$((n + 1)); done
	[ $n = 0 ] || echo "WARN $m $side measured 0 in $n of $# rounds: it stopped moving frames (a stall, not a slow run; its output shows the live rates)"
}

rx_ceiling="" tx_ceiling="" xsk_ceiling=""
for m in "${metrics[@]}"; do
	if [ "$m" = af_xdp_tx ] && [ ${#xsk_build[@]} -gt 0 ] && [ -z "$xsk_ceiling" ]; then
		xsk_ceiling=$(ceiling "$mcpu" vb -x)
		echo "KERNEL xsk_send_alone=${xsk_ceiling:-none} unit=Mpps (pktsrc -x on cpu $mcpu into vb: the kernel's AF_XDP copy-mode send path, need_wakeup kicks, on the measured core)"
	fi
	case $m in
	*_rx) [ -n "$rx_ceiling" ] || { rx_ceiling=$(ceiling "$scpu" va)
		echo "KERNEL source_alone=$rx_ceiling unit=Mpps (pktsrc on cpu $scpu into va, nothing receiving on vb: the most any _rx can get)"; } ;;
	*_tx) [ -n "$tx_ceiling" ] || { tx_ceiling=$(ceiling "$mcpu" vb)
		echo "KERNEL send_alone=$tx_ceiling unit=Mpps (pktsrc on cpu $mcpu into vb: the kernel's PF_PACKET send path, sendmmsg, on the measured core)"; } ;;
	esac
	bench "$m"
done

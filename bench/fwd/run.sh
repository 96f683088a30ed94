#!/usr/bin/env bash
# bench/fwd/run.sh [METRIC...] — Pollux's px-fwd against DPDK 22.11's own dpdk-testpmd (Debian's
# dpdk-dev) on two null ports, one forwarding lcore, bursts of 32, 64-byte packets:
# fwd_null_io, fwd_null_txonly, fwd_null_rxonly (Mpps, higher is better), and instructions per
# packet under callgrind (two run lengths, the difference).
# scale_fwd_null_MODE_<N>l: the same with N forwarding lcores and N queues on each port (2N
# streams, two on each forwarding lcore) on N CPUs from BENCH_SCALE_FIRST_CPU (default 0), as the
# other scale workloads: the main lcore shares the first one's CPU (it sleeps between its
# statistics: px-fwd wakes every 10 ms, testpmd every second); no callgrind (valgrind runs one
# thread at a time) and no DETAIL twin. bench/scale/run.sh runs these as its workload fwd_null_io.
#
# Both programs get the same EAL arguments (--lcores 0@F,1@F+1 with F the first CPU for one
# forwarding lcore, 0@F,1@F,2@F+1,..,N@F+N-1 for N of scale_*; --no-huge -m 512 --no-pci, vdevs
# net_null0 and net_null1 with no devargs) and --forward-mode=MODE --burst=32 --txpkts=64 --nb-cores=N
# --rxq=N --txq=N; testpmd also
# --total-num-mbufs=16384 (its default pool does not fit in 512 MB without hugepages) and
# --auto-start. The rate is what each program measures itself: the per-second live statistics
# (px-fwd --stats-period=1, testpmd --stats-period 1), summed over the two ports (tx for io and
# txonly, rx for rxonly), averaged over SECS periods after the first (warm-up) one.
# A DETAIL line gives bench/fwd/dpdk_fwd.c, a minimal DPDK loop of the same work without testpmd's
# framework (its own count over its own run time), as a floor for what DPDK's library costs.
#
# Prints BENCH lines as bench/compare.sh does. Environment: ROUNDS (default 5), CG=0 skips
# callgrind, SECS (default 3), TWIN=0 skips the DETAIL line, BENCH_PXFWD (a px-fwd to use),
# BENCH_TESTPMD (a dpdk-testpmd to use instead of the one on PATH: the static bundle of
# bench/scale/build-static.sh carries one with its libraries), BENCH_FWD_OUT (the folder for its
# files, default build/bench-fwd).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${BENCH_FWD_OUT:-$root/build/bench-fwd}
rounds=${ROUNDS:-5} secs=${SECS:-3} first=${BENCH_SCALE_FIRST_CPU:-0}
metrics=("$@")
[ ${#metrics[@]} -gt 0 ] || metrics=(fwd_null_io fwd_null_txonly fwd_null_rxonly)
die() { echo "fwd bench: $*" >&2; exit 1; }
log() { echo "fwd bench: $*" >&2; }
# the twin and callgrind only where one forwarding lcore is measured
single=0
for m in "${metrics[@]}"; do case $m in scale_*) ;; *) single=1 ;; esac; done

testpmd=${BENCH_TESTPMD:-$(command -v dpdk-testpmd || true)}
[ -n "$testpmd" ] || {
	for m in "${metrics[@]}"; do echo "BENCH $m skipped: needs dpdk-testpmd (apt-get install dpdk-dev)"; done
	exit 0
}
if [ $single = 1 ] && [ "${TWIN:-1}" != 0 ] && ! pkg-config --exists libdpdk; then
	apt-get install -y libdpdk-dev >/dev/null || die "cannot install libdpdk-dev"
fi
mkdir -p "$out"
if [ -n "${BENCH_PXFWD:-}" ]; then
	pxfwd=$BENCH_PXFWD
else
	cmake -S "$root" -B "$out/pollux" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
		-DPX_LAB=OFF >"$out/build.log" 2>&1 || { cat "$out/build.log"; die "configure failed"; }
	ninja -C "$out/pollux" px-fwd >>"$out/build.log" 2>&1 || { cat "$out/build.log"; die "build failed"; }
	pxfwd=$out/pollux/app/fwd/px-fwd
fi
if [ $single = 1 ] && [ "${TWIN:-1}" != 0 ]; then
	# shellcheck disable=SC2046
	cc -O3 -march=corei7 $(pkg-config --cflags libdpdk) "$here/dpdk_fwd.c" \
		$(pkg-config --libs libdpdk) -o "$out/dpdk_fwd"
fi
# set_cores N SHARED: the EAL and forwarding arguments for N forwarding lcores 1..N on CPUs from
# first (SHARED=1: the main lcore 0 on the first of them; 0: on a CPU of its own before them)
set_cores() {
	local l="0@$first" i c=$((first + 1 - $2))
	for ((i = 1; i <= $1; i++)); do l+=",$i@$((c + i - 1))"; done
	eal=(--lcores "$l" --no-huge -m 512 --no-pci --vdev net_null0 --vdev net_null1 --log-level=error)
	fwdargs=(--burst=32 --txpkts=64 --nb-cores="$1" --rxq="$1" --txq="$1")
}

# start SIDE MODE PERIOD [wrapper...]: the program in the background, output in $out/out, pid in $pid
start() {
	local side=$1 m=$2 period=$3
	shift 3
	if [ "$side" = px ]; then
		"$@" "$pxfwd" "${eal[@]}" -- --forward-mode="$m" "${fwdargs[@]}" --stats-period="$period" \
			>"$out/out" 2>&1 </dev/null &
	else
		stdbuf -oL "$@" "$testpmd" "${eal[@]}" --file-prefix="pxfwd$$" -- --forward-mode="$m" \
			"${fwdargs[@]}" --total-num-mbufs=16384 --auto-start --stats-period "$period" \
			>"$out/out" 2>&1 </dev/null &
	fi
	pid=$!
}
stop() {
	local i
	kill -INT "$pid" 2>/dev/null || true
	for ((i = 0; i < 300; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}
# values SIDE MODE: the per-port live rates in Mpps, in order (two lines per period)
values() {
	local dir=tx
	[ "$2" = rxonly ] && dir=rx
	if [ "$1" = px ]; then # "port N: rx X Mpps G Gbps | tx Y Mpps ..."
		awk -v d=$dir '/^port [0-9]+: rx .* Mpps/ { print (d == "rx") ? $4 : $10 }' "$out/out"
	else # "  Rx-pps:   N   Rx-bps: ..." / "  Tx-pps: ..."
		[ $dir = rx ] && dir=Rx-pps: || dir=Tx-pps:
		awk -v d=$dir '$1 == d { printf "%.6f\n", $2 / 1e6 }' "$out/out"
	fi
}
# rate SIDE MODE: mean Mpps (both ports) over SECS periods after the warm-up ones.
# testpmd prints a first block at once (rates 0), px-fwd its first line after one period.
rate() {
	local skip=1 i
	[ "$1" = dp ] && skip=2
	start "$1" "$2" 1
	for ((i = 0; i < 10 * (secs + skip + 1) + 600; i++)); do # at most a minute to start
		[ "$(values "$1" "$2" | wc -l)" -ge $((2 * (secs + skip))) ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	stop
	values "$1" "$2" | awk -v a=$((2 * skip)) -v b=$((2 * (skip + secs))) \
		'NR > a && NR <= b { s += $1; n++ } END { if (n >= 2) printf "%.3f\n", s / (n / 2); else print "" }'
	[ "$(values "$1" "$2" | wc -l)" -ge $((2 * (secs + skip))) ] ||
		{ log "$1 $2 printed too few statistics; its output:"; tail -20 "$out/out" >&2; }
}
twin() {
	"$out/dpdk_fwd" "${eal[@]}" --no-shconf --file-prefix=pxfwd$$ -- "$1" "$secs" 2>/dev/null |
		sed -n 's/^packets=\([0-9]*\) seconds=\(.*\)$/\1 \2/p' | awk '{printf "%.3f\n", $1 / $2 / 1e6}'
}
# packets SIDE MODE: the program's total after it stopped (tx for io/txonly, rx for rxonly)
packets() {
	if [ "$1" = px ]; then
		python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
k="rx_packets" if sys.argv[2]=="rxonly" else "tx_packets"
print(sum(x[k] for x in d["ports"]))' "$out/px.json" "$2"
	else # after "Accumulated forward statistics for all ports": "RX-packets: N ..." "TX-packets: N"
		local k=TX-packets:
		[ "$2" = rxonly ] && k=RX-packets:
		awk -v k=$k '/Accumulated forward statistics/ { a = 1 } a && $1 == k { print $2; exit }' "$out/out"
	fi
}
# cg SIDE MODE SECONDS FILE: one run under callgrind, SECONDS of forwarding; prints its packets
cg() {
	local side=$1 m=$2 s=$3 f=$4 i
	if [ "$side" = px ]; then
		valgrind --tool=callgrind --callgrind-out-file="$f" "$pxfwd" "${eal[@]}" -- \
			--forward-mode="$m" "${fwdargs[@]}" --duration="$s" --stats-period=0 \
			--stats-json="$out/px.json" >"$out/out" 2>&1 </dev/null || die "px-fwd failed under valgrind"
	else
		# one statistics block at the start, then none (period 1000 s): the main lcore sleeps;
		# forwarding starts once that block is printed
		start dp "$m" 1000 valgrind --tool=callgrind --callgrind-out-file="$f"
		for ((i = 0; i < 1200; i++)); do
			grep -aq 'Tx-pps:' "$out/out" && break
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		sleep "$s"
		stop
	fi
	packets "$side" "$m"
}
instr() { # instr SIDE MODE -> instructions per packet (difference of two run lengths)
	local side=$1 m=$2 p1 p2 i1 i2
	p1=$(cg "$side" "$m" 2 "$out/cg1")
	p2=$(cg "$side" "$m" 6 "$out/cg2")
	i1=$(awk '/^(summary|totals):/ {print $2; exit}' "$out/cg1")
	i2=$(awk '/^(summary|totals):/ {print $2; exit}' "$out/cg2")
	log "$side $m callgrind: $i1 instructions for $p1 packets, $i2 for $p2"
	# the difference cancels start-up and exit whichever run forwarded more (under valgrind on a
	# loaded machine the longer run need not); too close a pair of counts gives no estimate
	awk -v i1="$i1" -v i2="$i2" -v p1="$p1" -v p2="$p2" 'BEGIN {
		d = p2 - p1; m = p1 > p2 ? p1 : p2
		if (i1 == "" || i2 == "" || (d < 0 ? -d : d) < 0.2 * m) print "nan"
		else printf "%.1f\n", (i2 - i1) / d }'
}
# median, pick, ratio, report: next to this script in the carried bundle, bench/common in the tree
# shellcheck disable=SC1091
if [ -f "$here/stats.sh" ]; then . "$here/stats.sh"; else . "$root/bench/common/stats.sh"; fi

for metric in "${metrics[@]}"; do
	cores=1 twin=${TWIN:-1} cg=${CG:-1} shared=0
	case $metric in
	fwd_null_*) m=${metric#fwd_null_} ;;
	scale_fwd_null_*_[0-9]*l)
		m=${metric#scale_fwd_null_} cores=${m##*_} m=${m%_*} cores=${cores%l} twin=0 cg=0 shared=1 ;;
	*) die "unknown metric $metric" ;;
	esac
	case $m in io|txonly|rxonly) ;; *) die "unknown metric $metric" ;; esac
	[ "$cores" -ge 1 ] || die "$metric: at least one forwarding lcore"
	need=$((cores + 1 - shared))
	[ "$((first + need))" -le "$(nproc)" ] ||
		{ log "$metric: needs $need CPUs from CPU $first, $(nproc) here; skipped"; continue; }
	set_cores "$cores" "$shared"
	px=() dp=() tw=()
	for ((r = 0; r < rounds; r++)); do
		px+=("$(rate px "$m")")
		dp+=("$(rate dp "$m")")
		[ "$twin" = 0 ] || tw+=("$(twin "$m")")
	done
	report "$metric" Mpps higher "${px[*]}" "${dp[*]}"
	if [ "$twin" != 0 ]; then
		log "$metric dpdk_fwd twin: ${tw[*]}"
		echo "DETAIL $metric dpdk_fwd_twin=$(printf '%s\n' "${tw[@]}" | grep -v '^$' | median) unit=Mpps (bench/fwd/dpdk_fwd.c: the same work on rte_ethdev without testpmd)"
	fi
	if [ "$cg" != 0 ] && command -v valgrind >/dev/null; then
		a=$(instr px "$m") b=$(instr dp "$m")
		echo "BENCH ${metric}_instr pollux=$a dpdk=$b unit=instr/pkt ratio=$(ratio "$a" "$b") better=lower"
	fi
done

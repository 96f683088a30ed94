#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Run Pollux and DPDK 22.11 benchmark twins side by side and print one line per metric:
#   BENCH <metric> pollux=<x> dpdk=<y> unit=<u> ratio=<x/y> better=<lower|higher>
# and for per-operation metrics a second line with instructions per object from callgrind:
#   BENCH <metric>_instr pollux=.. dpdk=.. unit=instr/obj ratio=.. better=lower
#
# usage: bench/compare.sh [METRIC...]        (no metric, or "all": every metric)
# Environment: BENCH_ROUNDS (default 7, at least 5), BENCH_CPUS (default 0,1), BENCH_NO_CALLGRIND=1,
#              BENCH_ITERS_SCALE (multiplies the iteration counts, default 1),
#              BENCH_STAT=min (report the best round instead of the median: the floor, for a
#              machine shared with other load).
# scale (every scale_* metric), scale_<workload>_<N>l: the multi-lcore twins of bench/scale for
# N = 1, 2, 4, ... up to the CPUs here, see bench/scale/run.sh (BENCH_SCALE_WORKLOADS); with them
# scale_fwd_null_io_<N>l, px-fwd against dpdk-testpmd on N forwarding lcores (bench/fwd/run.sh).
# l2fwd_same_source: DPDK's l2fwd example (dpdk-doc) built against DPDK and against Pollux's
# compatibility layer, run alternately on net_null ports, see bench/compat/run.sh (SECS).
# af_packet_rx af_packet_tx af_xdp_rx af_xdp_tx: px-fwd against dpdk-testpmd on a veth pair, see
# bench/kernel/run.sh (root; SECS, WARM, BENCH_KERNEL_BUILD, BENCH_PXFWD).
# vhost_pair_io: a vhost-user pair (net_virtio_user <-> net_vhost), Pollux<->Pollux against
# DPDK<->DPDK and the mixed pairs, both directions, see bench/vhost/run.sh (ROUNDS, SECS, WARM,
# BENCH_PXFWD).
#
# Both sides run the same loops (bench/*/…_loops.h, included by pollux_*.c and dpdk_*.c) built
# with the same compiler flags; Pollux is a Release build of libpollux in build/bench. The runs
# alternate Pollux, DPDK, Pollux, ... on the same cores (taskset) and the median of each side is
# reported.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/build/bench
ROUNDS=${BENCH_ROUNDS:-7}
CPUS=${BENCH_CPUS:-0,1}
SCALE=${BENCH_ITERS_SCALE:-1}
CFLAGS="-O3 -g -march=corei7 -Wall -Wextra -Werror -Wno-missing-field-initializers"
EAL_COMMON="--no-huge -m 256 --no-pci -l 0-1"
PX_EAL="$EAL_COMMON --log-level=error"
DPDK_EAL="$EAL_COMMON --log-level=error --file-prefix=pxbench"
[ "$ROUNDS" -lt 5 ] && ROUNDS=5

# metric -> program, iterations (timed loop), callgrind iterations (0: no callgrind)
declare -A PROG=(
	[ring_spsc_bulk32]=ring [ring_mpmc_bulk32]=ring [ring_spsc_single]=ring
	[ring_mpmc_single]=ring [ring_spsc_bulk32_2core]=ring
	[mempool_cache_bulk32]=mempool [mbuf_alloc_free_bulk32]=mempool)
declare -A ITERS=(
	[ring_spsc_bulk32]=2000000 [ring_mpmc_bulk32]=2000000 [ring_spsc_single]=20000000
	[ring_mpmc_single]=20000000 [ring_spsc_bulk32_2core]=2000000
	[mempool_cache_bulk32]=2000000 [mbuf_alloc_free_bulk32]=1000000)
declare -A CG_ITERS=(
	[ring_spsc_bulk32]=20000 [ring_mpmc_bulk32]=20000 [ring_spsc_single]=200000
	[ring_mpmc_single]=200000 [ring_spsc_bulk32_2core]=0
	[mempool_cache_bulk32]=20000 [mbuf_alloc_free_bulk32]=20000)
ALL="ring_spsc_bulk32 ring_mpmc_bulk32 ring_spsc_single ring_mpmc_single ring_spsc_bulk32_2core
     mempool_cache_bulk32 mbuf_alloc_free_bulk32"

log() { echo "compare.sh: $*" >&2; }
die() { log "$*"; exit 1; }

need_dpdk() {
	pkg-config --exists libdpdk && return 0
	log "libdpdk not found: installing Debian's libdpdk-dev"
	local sudo=""
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	$sudo apt-get install -y libdpdk-dev >&2 ||
		{ $sudo apt-get update >&2 || true; $sudo apt-get install -y libdpdk-dev >&2; } ||
		die "cannot install libdpdk-dev"
}

build() {
	log "building libpollux (Release) in $BUILD"
	cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPX_LAB=OFF \
		-DBUILD_TESTING=OFF -DPX_BUILD_SHARED=OFF >/dev/null
	ninja -C "$BUILD" pollux_static >/dev/null
	local inc="-I$BUILD/include" libs="$BUILD/lib/libpollux.a"
	for d in "$ROOT"/lib/*/; do inc="$inc -I$d"; done
	# what linking libpollux.a needs (-pthread, -lnuma, the drivers' libraries): its pollux.pc
	libs="$libs $(PKG_CONFIG_PATH=$BUILD pkg-config --static --libs pollux | sed 's/-L[^ ]*//g; s/-lpollux//')"
	mkdir -p "$BUILD/progs"
	for p in ring mempool scale; do
		# shellcheck disable=SC2086
		cc $CFLAGS -D_GNU_SOURCE $inc -o "$BUILD/progs/pollux_$p" \
			"$ROOT/bench/$p/pollux_$p.c" $libs
		# shellcheck disable=SC2046,SC2086
		cc $CFLAGS -o "$BUILD/progs/dpdk_$p" "$ROOT/bench/$p/dpdk_$p.c" \
			$(pkg-config --cflags --libs libdpdk)
	done
}

# run SIDE METRIC ITERS: print the RESULT value
run() {
	local side=$1 m=$2 it=$3 eal
	[ "$side" = pollux ] && eal=$PX_EAL || eal=$DPDK_EAL
	# shellcheck disable=SC2086
	taskset -c "$CPUS" "$BUILD/progs/${side}_${PROG[$m]}" $eal -- "$m" "$it" 2>/dev/null |
		awk -v m="$m" '$1 == "RESULT" && $2 == m { print $3 }' || true
}

# shellcheck source=common/stats.sh
. "$ROOT/bench/common/stats.sh"

# callgrind SIDE METRIC ITERS: instructions executed inside bench_loop_* for ITERS iterations
callgrind_ir() {
	local side=$1 m=$2 it=$3 out eal
	out=$(mktemp)
	[ "$side" = pollux ] && eal=$PX_EAL || eal=$DPDK_EAL
	# shellcheck disable=SC2086
	BENCH_NO_WARMUP=1 valgrind --tool=callgrind --toggle-collect='bench_loop_*' \
		--callgrind-out-file="$out" "$BUILD/progs/${side}_${PROG[$m]}" $eal -- "$m" "$it" \
		>/dev/null 2>&1 || true
	awk '/^(summary|totals):/ { print $2; exit }' "$out" 2>/dev/null
	rm -f "$out"
}

# instructions per object: (I(2N) - I(N)) / (N * objects per iteration)
instr_per_obj() {
	local side=$1 m=$2 n=$3 per=32 a b
	case $m in *single) per=1 ;; esac
	a=$(callgrind_ir "$side" "$m" "$n")
	b=$(callgrind_ir "$side" "$m" $((2 * n)))
	awk -v a="$a" -v b="$b" -v d=$((n * per)) \
		'BEGIN { if (a == "" || b == "") print "nan"; else printf "%.2f", (b - a) / d }'
}

bench_metric() {
	local m=$1 it px=() dp=() i p d
	it=$(awk -v a="${ITERS[$m]}" -v s="$SCALE" 'BEGIN { printf "%d", a * s }')
	for ((i = 0; i < ROUNDS; i++)); do
		px+=("$(run pollux "$m" "$it")")
		dp+=("$(run dpdk "$m" "$it")")
	done
	report "$m" cycles/obj lower "${px[*]}" "${dp[*]}"
	if [ "${CG_ITERS[$m]}" -gt 0 ] && [ "${BENCH_NO_CALLGRIND:-0}" != 1 ] &&
		command -v valgrind >/dev/null; then
		p=$(instr_per_obj pollux "$m" "${CG_ITERS[$m]}")
		d=$(instr_per_obj dpdk "$m" "${CG_ITERS[$m]}")
		echo "BENCH ${m}_instr pollux=$p dpdk=$d unit=instr/obj ratio=$(ratio "$p" "$d") better=lower"
	fi
}

main() {
	local metrics=() fwd=() kern=() m want_eal=0 scale=0 sw=() sn=() w n compat=0 vhost=0
	[ $# -eq 0 ] && set -- all
	for m in "$@"; do
		case $m in
		all) metrics+=($ALL); want_eal=1; fwd=(fwd_null_io fwd_null_txonly fwd_null_rxonly)
		     kern=(af_packet_rx af_packet_tx af_xdp_rx af_xdp_tx); scale=1 compat=1 vhost=1 ;;
		scale) scale=1 ;;
		scale_*_[0-9]*l)
			w=${m#scale_} n=${w##*_} w=${w%_*} n=${n%l}
			scale=1 sw+=("$w") sn+=("$n") ;;
		eal_init_1g) want_eal=1 ;;
		fwd_null_io|fwd_null_txonly|fwd_null_rxonly) fwd+=("$m") ;;
		af_packet_rx|af_packet_tx|af_xdp_rx|af_xdp_tx) kern+=("$m") ;;
		vhost_pair_io) vhost=1 ;;
		l2fwd_same_source) compat=1 ;;
		*) [ -n "${PROG[$m]:-}" ] || die "unknown metric $m (known: $ALL eal_init_1g fwd_null_io fwd_null_txonly fwd_null_rxonly af_packet_rx af_packet_tx af_xdp_rx af_xdp_tx vhost_pair_io scale scale_<workload>_<N>l l2fwd_same_source all)"
		   metrics+=("$m") ;;
		esac
	done
	if [ ${#metrics[@]} -gt 0 ]; then
		need_dpdk
		build
		for m in "${metrics[@]}"; do bench_metric "$m"; done
	fi
	if [ $scale = 1 ]; then
		[ ${#metrics[@]} -gt 0 ] || { need_dpdk; build; }
		# each workload once (scale_w_1l scale_w_2l name it twice); none named: the caller's
		[ ${#sw[@]} -gt 0 ] || read -r -a sw <<<"${BENCH_SCALE_WORKLOADS:-}"
		# px-fwd from the same Release build, for the workload fwd_null_io (against dpdk-testpmd)
		ninja -C "$BUILD" px-fwd >/dev/null
		# shellcheck disable=SC2046
		BENCH_SCALE_BIN=$BUILD/progs BENCH_PXFWD=$BUILD/app/fwd/px-fwd BENCH_ROUNDS=$ROUNDS \
			BENCH_ITERS_SCALE=$SCALE \
			BENCH_SCALE_WORKLOADS="$(printf '%s\n' "${sw[@]}" | awk 'NF && !seen[$0]++' | xargs)" \
			bash "$ROOT/bench/scale/run.sh" $(printf '%s\n' "${sn[@]}" | sort -un)
	fi
	if [ $want_eal = 1 ]; then
		if [ -x "$ROOT/bench/eal_init/run.sh" ]; then
			"$ROOT/bench/eal_init/run.sh"
		elif [ -f "$ROOT/bench/eal_init/run.sh" ]; then
			bash "$ROOT/bench/eal_init/run.sh"
		else
			log "eal_init_1g: bench/eal_init/run.sh does not exist yet; skipped"
		fi
	fi
	if [ ${#fwd[@]} -gt 0 ]; then
		ROUNDS=$ROUNDS bash "$ROOT/bench/fwd/run.sh" "${fwd[@]}"
	fi
	if [ $compat = 1 ]; then
		# DPDK's l2fwd source built against DPDK and against Pollux's compatibility layer
		need_dpdk
		[ ${#metrics[@]} -gt 0 ] || [ $scale = 1 ] || build
		ninja -C "$BUILD" pollux_dpdk >/dev/null
		bash "$ROOT/bench/compat/run.sh" "$BUILD" "$ROUNDS" "${SECS:-5}" ||
			log "l2fwd_same_source: skipped (bench/compat/run.sh exit $?)"
	fi
	if [ ${#kern[@]} -gt 0 ]; then
		# root, a veth pair in a fresh netns and dpdk-testpmd; skips with a reason otherwise
		ROUNDS=$ROUNDS BENCH_CPUS=$CPUS bash "$ROOT/bench/kernel/run.sh" "${kern[@]}"
	fi
	if [ $vhost = 1 ]; then
		# a vhost-user pair, Pollux and DPDK on each end; skips with a reason otherwise
		BENCH_CPUS=$CPUS bash "$ROOT/bench/vhost/run.sh"
	fi
}

main "$@"

#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# bench/scale/run.sh [LCORES...] — the multi-lcore twins (scale_loops.h) for each lcore count,
# Pollux and DPDK 22.11 alternating, one BENCH line per workload and lcore count:
#   BENCH scale_<workload>_<N>l pollux=<x> dpdk=<y> unit=cycles/obj ratio=<x/y> better=lower
# (cycles per object per lcore: see scale_loops.h). A workload that needs two lcores prints
# nothing for 1.
# The workload fwd_null_io is px-fwd against dpdk-testpmd, io on two net_null ports with N
# forwarding lcores and N queues a port (bench/fwd/run.sh's scale_fwd_null_io_<N>l, Mpps, higher
# is better); the main lcore, which sleeps between printing the rates, shares the first CPU.
#
# It needs only the two programs, pollux_scale and dpdk_scale: next to this script (the bundle
# bench/scale/build-static.sh makes, fully static, for a machine with no DPDK), in
# $BENCH_SCALE_BIN, or in build/bench-scale/static (build-static.sh's output in the tree).
# fwd_null_io also needs px-fwd and dpdk-testpmd: the bundle's px-fwd (static) and
# testpmd/dpdk-testpmd (Debian's, with every library it loads, glibc too), else $BENCH_PXFWD or
# $bin/px-fwd, and $BENCH_TESTPMD or dpdk-testpmd on PATH.
# LCORES default: 1 2 4 8 ... up to the CPUs this process may use, and that count itself.
# Environment: BENCH_ROUNDS (default 5), BENCH_ITERS_SCALE (multiplies the iterations, default
# 1), BENCH_STAT=min (the best round instead of the median), BENCH_SCALE_WORKLOADS (a subset,
# e.g. "mpmc_shared mempool_cache"), BENCH_SCALE_FIRST_CPU (default 0: lcore i runs on CPU
# FIRST+i).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
log() { echo "scale: $*" >&2; }
die() { log "$*"; exit 1; }

bin=${BENCH_SCALE_BIN:-}
if [ -z "$bin" ]; then
	if [ -x "$here/pollux_scale" ]; then bin=$here
	else bin=$(cd "$here/../.." && pwd)/build/bench-scale/static; fi
fi
{ [ -x "$bin/pollux_scale" ] && [ -x "$bin/dpdk_scale" ]; } ||
	die "no pollux_scale/dpdk_scale in $bin: run bench/scale/build-static.sh (or set BENCH_SCALE_BIN)"

rounds=${BENCH_ROUNDS:-5} scale=${BENCH_ITERS_SCALE:-1} first=${BENCH_SCALE_FIRST_CPU:-0}
workloads=${BENCH_SCALE_WORKLOADS:-"mempool_cache mempool_nocache spsc_pairs mpmc_shared mpmc_pipeline
	mpmc_shared_mt mpmc_pipeline_mt fwd_null_io"}
# bursts per lcore (per producer) for one timed run; each program runs a warm-up of an eighth and
# five timed runs
declare -A ITERS=([mempool_cache]=1000000 [mempool_nocache]=100000 [spsc_pairs]=200000
	[mpmc_shared]=100000 [mpmc_pipeline]=200000 [mpmc_shared_mt]=100000 [mpmc_pipeline_mt]=200000)

ncpu=$(nproc)
if [ $# -gt 0 ]; then
	counts=("$@")
else
	counts=()
	for ((n = 1; n < ncpu; n *= 2)); do counts+=("$n"); done
	counts+=("$ncpu")
fi

# median, pick, ratio, report: next to this script in the carried bundle, bench/common in the tree
# shellcheck disable=SC1091
if [ -f "$here/stats.sh" ]; then . "$here/stats.sh"; else . "$here/../common/stats.sh"; fi

# one SIDE METRIC N ITERS: the RESULT value ("" when the program gave none)
one() {
	local side=$1 m=$2 n=$3 it=$4 eal
	eal=(--no-huge -m 512 --no-pci -l "$first-$((first + n - 1))" --log-level=error)
	[ "$side" = dpdk ] && eal+=(--file-prefix="pxscale$$")
	"$bin/${side}_scale" "${eal[@]}" -- "$m" "$it" 2>/dev/null |
		awk -v m="$m" '$1 == "RESULT" && $2 == m { print $3 }' || true
}

# fwd N: px-fwd against dpdk-testpmd with N forwarding lcores, bench/fwd/run.sh doing the work
fwd() {
	local run=$here/fwd_run.sh pxfwd=${BENCH_PXFWD:-} testpmd=${BENCH_TESTPMD:-} tmp
	[ -f "$run" ] || run=$here/../fwd/run.sh
	[ -n "$pxfwd" ] || { [ -x "$here/px-fwd" ] && pxfwd=$here/px-fwd; } || pxfwd=$bin/px-fwd
	[ -n "$testpmd" ] || { [ -x "$here/testpmd/dpdk-testpmd" ] && testpmd=$here/testpmd/dpdk-testpmd; } ||
		testpmd=$(command -v dpdk-testpmd || true)
	if [ ! -x "$pxfwd" ] || [ -z "$testpmd" ]; then
		echo "BENCH scale_fwd_null_io_${1}l skipped: needs px-fwd ($pxfwd) and dpdk-testpmd (BENCH_PXFWD, BENCH_TESTPMD)"
		return 0
	fi
	tmp=$(mktemp -d)
	BENCH_PXFWD=$pxfwd BENCH_TESTPMD=$testpmd BENCH_FWD_OUT=$tmp ROUNDS=$rounds \
		BENCH_SCALE_FIRST_CPU=$first bash "$run" "scale_fwd_null_io_${1}l" || true
	rm -rf "$tmp"
}

for n in "${counts[@]}"; do
	[ "$((first + n))" -le "$ncpu" ] || { log "$n lcores: only $ncpu CPUs here; skipped"; continue; }
	for w in $workloads; do
		if [ "$w" = fwd_null_io ]; then
			fwd "$n"
			continue
		fi
		[ -n "${ITERS[$w]:-}" ] || die "unknown workload $w (known: ${!ITERS[*]} fwd_null_io)"
		case $w in spsc_pairs | mpmc_pipeline | mpmc_pipeline_mt) [ "$n" -ge 2 ] || continue ;; esac
		m=scale_$w
		it=$(awk -v a="${ITERS[$w]}" -v s="$scale" 'BEGIN { printf "%d", a * s }')
		px=() dp=()
		for ((r = 0; r < rounds; r++)); do
			px+=("$(one pollux "$m" "$n" "$it")")
			dp+=("$(one dpdk "$m" "$n" "$it")")
		done
		report "${m}_${n}l" cycles/obj lower "${px[*]}" "${dp[*]}"
	done
done

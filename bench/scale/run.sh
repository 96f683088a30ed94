#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# bench/scale/run.sh [LCORES...] — the multi-lcore twins (scale_loops.h) for each lcore count,
# Pollux and DPDK 22.11 alternating, one BENCH line per workload and lcore count:
#   BENCH scale_<workload>_<N>l pollux=<x> dpdk=<y> unit=cycles/obj ratio=<x/y> better=lower
# (cycles per object per lcore: see scale_loops.h). A workload that needs two lcores prints
# nothing for 1.
#
# It needs only the two programs, pollux_scale and dpdk_scale: next to this script (the bundle
# bench/scale/build-static.sh makes, fully static, for a machine with no DPDK), in
# $BENCH_SCALE_BIN, or in build/bench-scale/static (build-static.sh's output in the tree).
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
	mpmc_shared_mt mpmc_pipeline_mt"}
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

for n in "${counts[@]}"; do
	[ "$((first + n))" -le "$ncpu" ] || { log "$n lcores: only $ncpu CPUs here; skipped"; continue; }
	for w in $workloads; do
		[ -n "${ITERS[$w]:-}" ] || die "unknown workload $w (known: ${!ITERS[*]})"
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

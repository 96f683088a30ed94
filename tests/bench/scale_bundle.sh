#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/bench/scale_bundle.sh BUILDDIR — the many-lcore bundle of bench/scale/build-static.sh (issue
# 19) as it is carried to a bigger machine: built, unpacked elsewhere, and its run.sh run with tiny
# iterations for 1 and 2 lcores. Every workload
# must print a BENCH line with a number on both sides: the two static twins, the static px-fwd and
# the carried dpdk-testpmd (Debian's, with its libraries and loader). Numbers are not judged here
# (benchmarks are not tests); that each program runs, forwards and reports is.
# Exits 77 without DPDK's static archives or dpdk-testpmd, or not as root (the carried testpmd
# hides this machine's DPDK plugin folder in a mount namespace).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:?usage: scale_bundle.sh BUILDDIR}
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

command -v dpdk-testpmd >/dev/null || skip "needs dpdk-testpmd (apt-get install dpdk-dev)"
pkg-config --exists libdpdk || skip "needs libdpdk-dev"
for a in librte_eal.a libnuma.a libbsd.a libmd.a; do
	cc -print-file-name="$a" | grep -q / || skip "needs $a (apt-get install libdpdk-dev libnuma-dev libbsd-dev)"
done
[ "$(id -u)" = 0 ] || skip "needs root (the carried dpdk-testpmd runs in a mount namespace)"
[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs"

out=$build/bench-scale-test
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "building the bundle in $out"
bash "$root/bench/scale/build-static.sh" "$out" >"$tmp/build.log" 2>&1 ||
	{ cat "$tmp/build.log"; fail "bench/scale/build-static.sh failed"; }
tar -C "$tmp" -xzf "$out/pollux-scale-bench.tar.gz"
for f in pollux_scale dpdk_scale px-fwd run.sh fwd_run.sh stats.sh testpmd/dpdk-testpmd; do
	[ -e "$tmp/pollux-scale-bench/$f" ] || fail "the bundle has no $f"
done
for p in pollux_scale dpdk_scale px-fwd; do
	{ ldd "$tmp/pollux-scale-bench/$p" 2>&1 || true; } | grep -q 'not a dynamic executable' || fail "$p is not static"
done

echo "running pollux-scale-bench/run.sh 1 2 from $tmp (tiny iterations)"
# from a folder of its own, as on the other machine: nothing of the tree on its way
(cd "$tmp" && env -u BENCH_PXFWD -u BENCH_TESTPMD -u BENCH_SCALE_BIN BENCH_ROUNDS=1 \
	BENCH_ITERS_SCALE=0.02 SECS=1 pollux-scale-bench/run.sh 1 2) >"$tmp/run.out" 2>&1 ||
	{ cat "$tmp/run.out"; fail "run.sh failed"; }
cat "$tmp/run.out"

want=(mempool_cache_1l mempool_nocache_1l mpmc_shared_1l mpmc_shared_mt_1l fwd_null_io_1l
	mempool_cache_2l mempool_nocache_2l spsc_pairs_2l mpmc_shared_2l mpmc_pipeline_2l
	mpmc_shared_mt_2l mpmc_pipeline_mt_2l fwd_null_io_2l)
num='[0-9]+(\.[0-9]+)?'
for w in "${want[@]}"; do
	grep -Eq "^BENCH scale_${w} pollux=$num dpdk=$num unit=" "$tmp/run.out" ||
		fail "no BENCH scale_$w line with a number on both sides"
done
echo "PASS: ${#want[@]} metrics from the unpacked bundle"

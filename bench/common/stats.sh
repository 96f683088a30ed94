# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
# Sourced by the benchmark scripts (bench/compare.sh, bench/fwd/run.sh, bench/scale/run.sh).
# median: the median of the numbers on stdin, one a line ("nan" for none).
# pick: the median, or with BENCH_STAT=min the smallest (the floor on a loaded machine).
# ratio A B: A/B with three decimals ("nan" when B is not positive).
# report: see below.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; else print "nan" }'; }
pick() { if [ "${BENCH_STAT:-median}" = min ]; then sort -g | head -n 1; else median; fi; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.3f", a / b; else print "nan" }'; }
# report METRIC UNIT BETTER "POLLUX-ROUNDS" "DPDK-ROUNDS": each side's rounds (space-separated;
# a round that gave no value is simply absent) to stderr, then the BENCH line with pick of each.
report() {
	local p d
	echo "$1 pollux: $4" >&2
	echo "$1 dpdk:   $5" >&2
	# shellcheck disable=SC2086 # the rounds are split on purpose
	p=$(printf '%s\n' $4 | pick)
	# shellcheck disable=SC2086
	d=$(printf '%s\n' $5 | pick)
	echo "BENCH $1 pollux=$p dpdk=$d unit=$2 ratio=$(ratio "$p" "$d") better=$3"
}

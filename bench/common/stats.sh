# SPDX-License-Identifier: BSD-3-Clause
# Sourced by the benchmark scripts (bench/compare.sh, bench/fwd/run.sh, bench/scale/run.sh).
# median: the median of the numbers on stdin, one a line ("nan" for none).
# pick: the median, or with BENCH_STAT=min the smallest (the floor on a loaded machine).
# ratio A B: A/B with three decimals ("nan" when B is not positive).
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; else print "nan" }'; }
pick() { if [ "${BENCH_STAT:-median}" = min ]; then sort -g | head -n 1; else median; fi; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.3f", a / b; else print "nan" }'; }

#!/usr/bin/env bash
# bench/eal_init/run.sh — eal_init_1g: time from EAL init with 1 GiB of 2 MiB hugepages to the
# first heap allocation, Pollux (px_eal_init -m 1024 -l 0) against DPDK 22.11 (rte_eal_init
# -m 1024 -l 0 --no-pci), run alternately for 5 rounds on the same host. Prints
#   BENCH eal_init_1g pollux=<median s> dpdk=<median s> unit=s ratio=<pollux/dpdk> better=lower
# Needs root (hugepages, a hugetlbfs mount for DPDK). Installs libdpdk-dev if missing. Reserves
# the hugepages it needs and gives them back at exit.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/build/bench-eal_init
rounds=${ROUNDS:-5}
hp=/sys/kernel/mm/hugepages/hugepages-2048kB
die() { echo "eal_init: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (hugepages, hugetlbfs mount)"
if ! pkg-config --exists libdpdk; then
    apt-get install -y libdpdk-dev >/dev/null || die "cannot install libdpdk-dev"
fi

# Pollux, optimised, static library only; a fresh cache so options renamed upstream do not stick.
rm -f "$out/pollux/CMakeCache.txt"
cmake -S "$root" -B "$out/pollux" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
    -DPX_BUILD_SHARED=OFF >"$out.log" 2>&1 || { cat "$out.log"; die "configure failed"; }
ninja -C "$out/pollux" pollux_static >>"$out.log" 2>&1 || { cat "$out.log"; die "build failed"; }
numa=$(grep -q '#define PX_HAVE_NUMA 1' "$out/pollux/include/px_config.h" && echo -lnuma || true)
cc -O2 -D_GNU_SOURCE -I"$root/lib/eal" -I"$out/pollux/include" "$here/pollux_eal_init.c" \
    "$out/pollux/lib/libpollux.a" $numa -lpthread -o "$out/pollux_eal_init"
# shellcheck disable=SC2046
cc -O2 $(pkg-config --cflags libdpdk) "$here/dpdk_eal_init.c" $(pkg-config --libs libdpdk) \
    -o "$out/dpdk_eal_init"

# 1 GiB = 512 pages free for whichever runs (they run one at a time); give back what we add.
nr0=$(cat $hp/nr_hugepages)
free=$(cat $hp/free_hugepages)
need=520
if [ "$free" -lt "$need" ]; then
    echo $((nr0 + need - free)) >$hp/nr_hugepages
fi
mounted=
if ! grep -q '^[^ ]* [^ ]* hugetlbfs ' /proc/mounts; then # DPDK's default mode needs a mount
    mkdir -p /dev/hugepages && mount -t hugetlbfs -o pagesize=2M nodev /dev/hugepages
    mounted=/dev/hugepages
fi
cleanup() {
    echo "$nr0" >$hp/nr_hugepages || true
    [ -z "$mounted" ] || umount "$mounted" || true
}
trap cleanup EXIT
[ "$(cat $hp/free_hugepages)" -ge 512 ] || die "cannot get 512 free 2 MiB hugepages"

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
# one warm-up round each, not counted: the first run after the pool grows pays for page-table
# and allocator warm-up that is not EAL work
"$out/pollux_eal_init" >/dev/null || die "pollux_eal_init failed"
"$out/dpdk_eal_init" >/dev/null 2>&1 || die "dpdk_eal_init failed"
px=() dp=()
for ((i = 0; i < rounds; i++)); do
    px+=("$("$out/pollux_eal_init")") || die "pollux_eal_init failed"
    dp+=("$("$out/dpdk_eal_init" 2>/dev/null | tail -n 1)") || die "dpdk_eal_init failed"
done
pm=$(printf '%s\n' "${px[@]}" | median)
dm=$(printf '%s\n' "${dp[@]}" | median)
echo "eal_init_1g rounds: pollux ${px[*]} / dpdk ${dp[*]}" >&2
echo "BENCH eal_init_1g pollux=$pm dpdk=$dm unit=s ratio=$(awk -v a="$pm" -v b="$dm" 'BEGIN{printf "%.3f", a/b}') better=lower"

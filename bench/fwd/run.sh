#!/usr/bin/env bash
# bench/fwd/run.sh [METRIC...] — px-fwd against DPDK 22.11 on two null ports, one forwarding
# lcore, 64-byte packets: fwd_null_io, fwd_null_txonly, fwd_null_rxonly (Mpps, higher is
# better), and instructions per packet under callgrind (two run lengths, the difference).
# DPDK's side is bench/fwd/dpdk_fwd.c (Debian 12 has no dpdk-testpmd; see its header).
# Prints BENCH lines as bench/compare.sh does. Environment: ROUNDS (default 5), CG=0 skips
# callgrind, SECS (default 2).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/build/bench-fwd
rounds=${ROUNDS:-5} secs=${SECS:-2}
metrics=("$@")
[ ${#metrics[@]} -gt 0 ] || metrics=(fwd_null_io fwd_null_txonly fwd_null_rxonly)
die() { echo "fwd bench: $*" >&2; exit 1; }

if ! pkg-config --exists libdpdk; then
    apt-get install -y libdpdk-dev >/dev/null || die "cannot install libdpdk-dev"
fi
mkdir -p "$out"
cmake -S "$root" -B "$out/pollux" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
    -DPX_LAB=OFF >"$out/build.log" 2>&1 || { cat "$out/build.log"; die "configure failed"; }
ninja -C "$out/pollux" px-fwd >>"$out/build.log" 2>&1 || { cat "$out/build.log"; die "build failed"; }
# shellcheck disable=SC2046
cc -O3 -march=corei7 $(pkg-config --cflags libdpdk) "$here/dpdk_fwd.c" \
    $(pkg-config --libs libdpdk) -o "$out/dpdk_fwd"
pxfwd=$out/pollux/app/fwd/px-fwd
eal="-l 0-1 --no-huge -m 512 --vdev net_null0 --vdev net_null1 --log-level=error"

# run_px MODE SECONDS [wrapper...] -> "packets seconds"
run_px() {
    local m=$1 s=$2; shift 2
    "$@" "$pxfwd" $eal --no-pci -- --forward-mode="$m" --duration="$s" --stats-period=0 \
        --stats-json="$out/px.json" >/dev/null 2>&1 || die "px-fwd failed"
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); p=d["ports"]
k="rx_packets" if sys.argv[2]=="rxonly" else "tx_packets"
print(sum(x[k] for x in p), d["seconds"])' "$out/px.json" "$m"
}
run_dpdk() {
    local m=$1 s=$2; shift 2
    "$@" "$out/dpdk_fwd" $eal --no-pci --no-shconf --file-prefix=pxfwd$$ -- "$m" "$s" 2>/dev/null |
        sed -n 's/^packets=\([0-9]*\) seconds=\(.*\)$/\1 \2/p'
}
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
mpps() { awk '{printf "%.3f\n", $1 / $2 / 1e6}'; }
instr() { # instr SIDE MODE -> instructions per packet (difference of two run lengths)
    local side=$1 m=$2 r1 r2 i1 i2
    r1=$("run_$side" "$m" 1 valgrind --tool=callgrind --callgrind-out-file="$out/cg1" )
    r2=$("run_$side" "$m" 2 valgrind --tool=callgrind --callgrind-out-file="$out/cg2" )
    i1=$(awk '/^(summary|totals):/ {print $2; exit}' "$out/cg1")
    i2=$(awk '/^(summary|totals):/ {print $2; exit}' "$out/cg2")
    awk -v i1="$i1" -v i2="$i2" -v p1="${r1%% *}" -v p2="${r2%% *}" \
        'BEGIN {printf "%.1f\n", (i2 - i1) / (p2 - p1)}'
}

for metric in "${metrics[@]}"; do
    m=${metric#fwd_null_}
    case $m in io|txonly|rxonly) ;; *) die "unknown metric $metric" ;; esac
    px=() dp=()
    for ((r = 0; r < rounds; r++)); do
        px+=("$(run_px "$m" "$secs" | mpps)")
        dp+=("$(run_dpdk "$m" "$secs" | mpps)")
    done
    a=$(printf '%s\n' "${px[@]}" | median) b=$(printf '%s\n' "${dp[@]}" | median)
    echo "BENCH $metric pollux=$a dpdk=$b unit=Mpps ratio=$(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.3f", a/b}') better=higher"
    if [ "${CG:-1}" != 0 ] && command -v valgrind >/dev/null; then
        a=$(instr px "$m") b=$(instr dpdk "$m")
        echo "BENCH ${metric}_instr pollux=$a dpdk=$b unit=instr/pkt ratio=$(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.3f", a/b}') better=lower"
    fi
done

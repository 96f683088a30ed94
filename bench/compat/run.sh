#!/bin/bash
# bench/compat/run.sh [BUILD_DIR] [ROUNDS] [SECONDS] [VDEV_ARGS...]: l2fwd_same_source.
# DPDK's l2fwd example (dpdk-doc), one source built twice with its own Makefile: against DPDK
# 22.11 (libdpdk-dev's libdpdk.pc) and against Pollux (BUILD_DIR's compat/dpdk libdpdk.pc); the
# two run alternately ROUNDS times on the same lcores (0-1, one port each: -p 0x3 -q 1) and the
# same vdevs (default: --vdev net_null0 --vdev net_null1), SECONDS each, and the forwarding
# rate from l2fwd's own statistics (-T 1, "Total packets sent" per second) is printed side by
# side. A standalone step that bench/compare.sh can call as its l2fwd_same_source case.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
rounds=${2:-3}
secs=${3:-5}
shift $(($# < 3 ? $# : 3))
vdevs=("$@")
[ ${#vdevs[@]} -gt 0 ] || vdevs=(--vdev net_null0 --vdev net_null1)
src=/usr/share/dpdk/examples/l2fwd
[ -f "$src/Makefile" ] || { echo "SKIP: needs dpdk-doc ($src)"; exit 77; }
pkg-config --exists libdpdk || { echo "SKIP: needs libdpdk-dev (DPDK's libdpdk.pc)"; exit 77; }
[ -f "$build/compat/dpdk/pkgconfig/libdpdk.pc" ] || { echo "no $build/compat/dpdk/pkgconfig: build Pollux first"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for v in dpdk pollux; do
    cp -r "$src" "$tmp/$v"
    if [ $v = pollux ]; then
        PKG_CONFIG_PATH=$build/compat/dpdk/pkgconfig make -C "$tmp/$v" >"$tmp/$v.make" 2>&1
    else
        make -C "$tmp/$v" >"$tmp/$v.make" 2>&1
    fi || { cat "$tmp/$v.make"; exit 1; }
done

# Packets per second from l2fwd's statistics: the growth of "Total packets sent" between its
# second and last blocks (the first may precede the start of forwarding), over the blocks' count.
rate() {
    python3 - "$1" <<'PY'
import re, sys
tot = [int(x) for x in re.findall(r"Total packets sent:\s+(\d+)", open(sys.argv[1], errors="replace").read())]
print("%.2f" % ((tot[-1] - tot[1]) / (len(tot) - 2) / 1e6) if len(tot) >= 4 else "nan")
PY
}

printf '%-6s %12s %12s %8s\n' round "DPDK Mpps" "Pollux Mpps" ratio
all_dpdk=() all_pollux=()
for r in $(seq 1 "$rounds"); do
    for v in dpdk pollux; do
        extra=()
        [ $v = dpdk ] && extra=(--no-pci --file-prefix "l2fwd_bench$$")
        timeout -s INT "$((secs + 1))" "$tmp/$v/build/l2fwd" -l 0-1 --no-huge -m 512 "${extra[@]}" \
            "${vdevs[@]}" -- -p 0x3 -q 1 -T 1 >"$tmp/$v.out" 2>&1 || true
        eval "rate_$v=$(rate "$tmp/$v.out")"
    done
    # shellcheck disable=SC2154
    printf '%-6s %12s %12s %8s\n' "$r" "$rate_dpdk" "$rate_pollux" \
        "$(python3 -c "print('%.2fx' % ($rate_pollux / $rate_dpdk))" 2>/dev/null || echo -)"
    all_dpdk+=("$rate_dpdk") all_pollux+=("$rate_pollux")
done
# the medians, as bench/compare.sh prints every metric
python3 - "${all_pollux[*]}" "${all_dpdk[*]}" <<'PY'
import statistics, sys
p, d = (statistics.median(float(x) for x in a.split()) for a in sys.argv[1:3])
print("BENCH l2fwd_same_source pollux=%.3f dpdk=%.3f unit=Mpps ratio=%s better=higher"
      % (p, d, "%.3f" % (p / d) if d > 0 else "nan"))
PY

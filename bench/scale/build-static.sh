#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# bench/scale/build-static.sh [OUTDIR] — the multi-lcore twins linked fully static, to carry to a
# bigger machine that has no DPDK (nor Pollux, nor libnuma) installed:
#
#   OUTDIR/static/pollux_scale   Pollux: a Release libpollux.a built with PX_STATIC_EXE=ON
#                                (drivers whose libraries have no static archive are left out;
#                                the benchmark needs none) and its pollux.pc Libs.private
#   OUTDIR/static/dpdk_scale     DPDK 22.11: Debian's static archives (libdpdk-dev)
#   OUTDIR/static/run.sh         bench/scale/run.sh, which finds the programs next to itself
#   OUTDIR/static/stats.sh       bench/common/stats.sh, which run.sh sources
#   OUTDIR/pollux-scale-bench.tar.gz   the four, in a folder pollux-scale-bench/
#
# On the other machine: tar xzf pollux-scale-bench.tar.gz && pollux-scale-bench/run.sh 1 2 4 8 15
# OUTDIR defaults to build/bench-scale. Both programs are compiled with the same flags as the
# other twins (-O3 -march=corei7). After linking, each program runs a short smoke test here
# (BENCH_SCALE_NO_TEST=1 skips it).
#
# Why not `pkg-config --static --libs libdpdk`: Debian's libdpdk.pc names every PMD inside
# --whole-archive, and with them libraries that have no static archive on Debian 12 (the rdma-core
# providers, libzstd, libsystemd, libIPSec_MB, ...), so that link fails. The twins use the EAL,
# the ring and the mempool only; the one driver they need is the mempool handler "ring_mp_mc"
# (librte_mempool_ring), which registers itself from a constructor, hence --whole-archive around
# the DPDK archives. DPDK's EAL then needs libnuma, libbsd (strlcpy) and libmd.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$root/build/bench-scale}
mkdir -p "$out"
out=$(cd "$out" && pwd)
log() { echo "build-static: $*" >&2; }
die() { log "$*"; exit 1; }
cflags=(-O3 -g -march=corei7 -Wall -Wextra -Werror -Wno-missing-field-initializers)

pkg-config --exists libdpdk || die "needs DPDK's static archives: apt-get install libdpdk-dev"
for a in librte_eal.a librte_mempool_ring.a libnuma.a libbsd.a libmd.a; do
	cc -print-file-name="$a" | grep -q / || die "no $a (apt-get install libdpdk-dev libnuma-dev libbsd-dev)"
done

log "libpollux.a (Release, PX_STATIC_EXE=ON) in $out/pollux"
cmake -S "$root" -B "$out/pollux" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPX_STATIC_EXE=ON \
	-DBUILD_TESTING=OFF -DPX_LAB=OFF >"$out/cmake.log" 2>&1 || { cat "$out/cmake.log" >&2; die "configure failed"; }
ninja -C "$out/pollux" pollux_static >"$out/ninja.log" 2>&1 || { cat "$out/ninja.log" >&2; die "build failed"; }

inc=(-D_GNU_SOURCE "-I$out/pollux/include")
for d in "$root"/lib/*/; do inc+=("-I$d"); done
# what a static link of libpollux.a needs (-pthread -lnuma, and -lxdp -lbpf -lelf -lz where
# net_af_xdp could be linked statically)
read -r -a pxlibs <<<"$(PKG_CONFIG_PATH=$out/pollux pkg-config --static --libs pollux |
	sed 's/-L[^ ]*//g; s/-lpollux//')"
mkdir -p "$out/static"
log "pollux_scale: ${pxlibs[*]}"
cc "${cflags[@]}" -static "${inc[@]}" -o "$out/static/pollux_scale" "$here/pollux_scale.c" \
	"$out/pollux/lib/libpollux.a" "${pxlibs[@]}" 2>"$out/link.log" ||
	{ cat "$out/link.log" >&2; die "linking pollux_scale failed"; }

# shellcheck disable=SC2054
dpdk=(-Wl,--whole-archive -l:librte_mempool_ring.a -l:librte_mempool.a -l:librte_ring.a
	-l:librte_eal.a -l:librte_telemetry.a -l:librte_kvargs.a -Wl,--no-whole-archive
	-lnuma -lbsd -lmd -lpthread -lm -ldl)
log "dpdk_scale: ${dpdk[*]}"
# shellcheck disable=SC2046
cc "${cflags[@]}" -static $(pkg-config --cflags libdpdk) -o "$out/static/dpdk_scale" \
	"$here/dpdk_scale.c" "${dpdk[@]}" 2>"$out/link.log" ||
	{ cat "$out/link.log" >&2; die "linking dpdk_scale failed"; }
# glibc's warnings about dlopen/getpwnam in a static program (DPDK's plugin loader, never used
# here) are expected; anything else is shown
grep -v "statically linked applications requires\|in function" "$out/link.log" >&2 || true
cp "$here/run.sh" "$out/static/run.sh"
cp "$here/../common/stats.sh" "$out/static/stats.sh"
chmod +x "$out/static/run.sh"

for p in pollux_scale dpdk_scale; do
	file "$out/static/$p" 2>/dev/null | grep -q 'statically linked' ||
		{ ldd "$out/static/$p" 2>&1 | grep -q 'not a dynamic' || die "$p is not static"; }
done
if [ "${BENCH_SCALE_NO_TEST:-0}" != 1 ]; then
	for p in pollux_scale dpdk_scale; do
		r=$("$out/static/$p" --no-huge -m 256 --no-pci -l 0 --log-level=error \
			--file-prefix=pxscale$$ -- scale_mempool_cache 1000 2>&1) ||
			die "$p failed its smoke test: $r"
		echo "$r" | grep -q '^RESULT scale_mempool_cache ' || die "$p printed no RESULT: $r"
		log "$p: ${r}"
	done
fi

rm -rf "$out/pollux-scale-bench"
mkdir -p "$out/pollux-scale-bench"
cp "$out/static/pollux_scale" "$out/static/dpdk_scale" "$out/static/run.sh" \
	"$out/static/stats.sh" "$out/pollux-scale-bench/"
tar -C "$out" -czf "$out/pollux-scale-bench.tar.gz" pollux-scale-bench
rm -rf "$out/pollux-scale-bench"
log "done: $out/static/run.sh [LCORES...]; to carry: $out/pollux-scale-bench.tar.gz"

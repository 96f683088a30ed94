#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# bench/scale/build-static.sh [OUTDIR] — the multi-lcore twins linked fully static, to carry to a
# bigger machine that has no DPDK (nor Pollux, nor libnuma) installed:
#
#   OUTDIR/static/pollux_scale   Pollux: a Release libpollux.a built with PX_STATIC_EXE=ON
#                                (drivers whose libraries have no static archive are left out;
#                                the benchmark needs none) and its pollux.pc Libs.private
#   OUTDIR/static/dpdk_scale     DPDK 22.11: Debian's static archives (libdpdk-dev)
#   OUTDIR/static/px-fwd         px-fwd from the same static build (net_null built in), for the
#                                workload fwd_null_io
#   OUTDIR/static/testpmd/       Debian's dpdk-testpmd with every shared library it loads, glibc's
#                                loader and libc too, and the two plugins it needs (net_null,
#                                mempool_ring); testpmd/dpdk-testpmd runs it through that loader
#   OUTDIR/static/run.sh         bench/scale/run.sh, which finds the programs next to itself
#   OUTDIR/static/fwd_run.sh     bench/fwd/run.sh, which run.sh calls for fwd_null_io
#   OUTDIR/static/stats.sh       bench/common/stats.sh, which both source
#   OUTDIR/pollux-scale-bench.tar.gz   all of them, in a folder pollux-scale-bench/ (about 11 MB)
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
# pkg-config's -L flags below cannot carry a space (the bundle, once built, can go anywhere)
case "$out$root" in *[[:space:]]*) die "build in a folder without spaces (not '$out')" ;; esac
cflags=(-O3 -g -march=corei7 -Wall -Wextra -Werror -Wno-missing-field-initializers)

pkg-config --exists libdpdk || die "needs DPDK's static archives: apt-get install libdpdk-dev"
for a in librte_eal.a librte_mempool_ring.a libnuma.a libbsd.a libmd.a; do
	cc -print-file-name="$a" | grep -q / || die "no $a (apt-get install libdpdk-dev libnuma-dev libbsd-dev)"
done

log "libpollux.a (Release, PX_STATIC_EXE=ON) in $out/pollux"
cmake -S "$root" -B "$out/pollux" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPX_STATIC_EXE=ON \
	-DNUMA_LIBRARY="$(cc -print-file-name=libnuma.a)" \
	-DBUILD_TESTING=OFF -DPX_LAB=OFF >"$out/cmake.log" 2>&1 || { cat "$out/cmake.log" >&2; die "configure failed"; }
ninja -C "$out/pollux" pollux_static px-fwd >"$out/ninja.log" 2>&1 || { cat "$out/ninja.log" >&2; die "build failed"; }

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
cp "$here/../fwd/run.sh" "$out/static/fwd_run.sh"
cp "$here/../common/stats.sh" "$out/static/stats.sh"
cp "$out/pollux/app/fwd/px-fwd" "$out/static/px-fwd"
chmod +x "$out/static/run.sh" "$out/static/fwd_run.sh"

# dpdk-testpmd cannot be linked static here (Debian ships no testpmd source), so it travels with
# its shared libraries: every one ldd names for it and for the two plugins, under their sonames.
# The plugins are preloaded rather than loaded with -d: DPDK refuses -d from a path with a
# world-writable folder in it (/tmp), and the default plugin folder will not exist over there.
tp=$(command -v dpdk-testpmd) || die "needs dpdk-testpmd: apt-get install dpdk-dev"
pmds=$(dirname "$(ldd "$tp" | awk '$1 ~ /^librte_bus_vdev\.so/ { print $3 }')")
plugins=()
for p in librte_mempool_ring librte_net_null; do
	f=$(find "$pmds" -maxdepth 1 -name "$p.so.[0-9]*" ! -name "$p.so.*.*" | head -n 1)
	[ -n "$f" ] || die "no $p plugin next to librte_bus_vdev in $pmds"
	plugins+=("$f")
done
rm -rf "$out/static/testpmd"
mkdir -p "$out/static/testpmd/lib"
cp "$tp" "$out/static/testpmd/dpdk-testpmd.bin"
loader=""
while read -r name path; do
	cp -L "$path" "$out/static/testpmd/lib/$name"
	case $name in ld-linux*) loader=$name ;; esac
done < <(ldd "$tp" "${plugins[@]}" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }
	$1 ~ /^\/.*ld-linux/ { n = $1; sub(/.*\//, "", n); print n, $1 }' | sort -u)
[ -n "$loader" ] || die "ldd named no ld-linux loader for $tp"
preload=()
for p in "${plugins[@]}"; do
	cp -L "$p" "$out/static/testpmd/lib/"
	preload+=("$(basename "$p")")
done
stdbuf_so=$(find /usr/libexec/coreutils /usr/lib -name libstdbuf.so 2>/dev/null | head -n 1)
[ -n "$stdbuf_so" ] || die "no libstdbuf.so (coreutils) to carry"
cp "$stdbuf_so" "$out/static/testpmd/lib/"
cat >"$out/static/testpmd/dpdk-testpmd" <<WRAP
#!/usr/bin/env bash
# Debian's dpdk-testpmd with the libraries it was copied with (bench/scale/build-static.sh), through
# their own loader; stdout line-buffered (as stdbuf -oL) for bench/fwd/run.sh's live rates. The
# preloaded libraries are named without a folder (found in the library path), as the list is
# split at spaces and the bundle's own path may have some.
d=\$(cd "\$(dirname "\$0")" && pwd)
run=(env _STDBUF_O=L "\$d/lib/$loader" --library-path "\$d/lib"
	--preload "libstdbuf.so ${preload[*]}" "\$d/dpdk-testpmd.bin" "\$@")
# Where Debian's DPDK is installed (the machine that built this), its EAL would also load every
# plugin in its plugin folder (below): second copies of the libraries loaded from here, which
# fail. A private mount namespace (root) hides that folder, as it is absent where the bundle goes.
[ -d "$pmds" ] || exec "\${run[@]}"
exec unshare -m sh -c 'mount -t tmpfs none "\$0" && exec "\$@"' "$pmds" "\${run[@]}"
WRAP
chmod +x "$out/static/testpmd/dpdk-testpmd"

for p in pollux_scale dpdk_scale px-fwd; do
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
	r=$("$out/static/px-fwd" --no-huge -m 256 --no-pci -l 0-1 --vdev net_null0 --vdev net_null1 \
		--log-level=error -- --forward-mode=io --duration=1 --stats-period=0 2>&1) ||
		die "px-fwd failed its smoke test: $r"
	echo "$r" | grep -q '^total: rx [1-9]' || die "px-fwd forwarded nothing: $r"
	log "px-fwd: $(echo "$r" | grep '^total:')"
	# non-interactive testpmd starts forwarding, then stops at the end of its input
	r=$("$out/static/testpmd/dpdk-testpmd" --no-huge -m 256 --no-pci -l 0-1 --vdev net_null0 \
		--vdev net_null1 --log-level=error --file-prefix=pxscale$$ -- --forward-mode=io \
		--total-num-mbufs=8192 --auto-start </dev/null 2>&1) ||
		die "carried dpdk-testpmd failed its smoke test: $r"
	echo "$r" | grep -q 'TX-packets: [1-9]' || die "carried dpdk-testpmd forwarded nothing: $r"
	log "dpdk-testpmd (carried): $(echo "$r" | grep -m1 'TX-packets')"
fi

rm -rf "$out/pollux-scale-bench"
mkdir -p "$out/pollux-scale-bench"
cp -r "$out/static/pollux_scale" "$out/static/dpdk_scale" "$out/static/px-fwd" \
	"$out/static/run.sh" "$out/static/fwd_run.sh" "$out/static/stats.sh" "$out/static/testpmd" \
	"$out/pollux-scale-bench/"
tar -C "$out" -czf "$out/pollux-scale-bench.tar.gz" pollux-scale-bench
rm -rf "$out/pollux-scale-bench"
log "done: $out/static/run.sh [LCORES...]; to carry: $out/pollux-scale-bench.tar.gz"

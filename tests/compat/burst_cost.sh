#!/bin/bash
# tests/compat/burst_cost.sh BUILD_DIR: a burst through the DPDK layer is Pollux's own burst.
# burst_cost.c forwards one burst with rte_eth_rx_burst/rte_eth_tx_burst and once with
# px_eth_rx_burst/px_eth_tx_burst; compiled -O3 with libdpdk.pc's flags, the two functions must
# disassemble to the same instructions (addresses aside).
set -euo pipefail
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
for c in cc objdump pkg-config; do
    command -v $c >/dev/null || { echo "SKIP: needs $c"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PKG_CONFIG_PATH=$build/compat/dpdk/pkgconfig
case " $(pkg-config --cflags libdpdk) " in *" -fsanitize="*)
    echo "SKIP: a sanitizer build's instrumentation may order the two functions' spills" \
        "differently; the instructions are compared in the optimised build"
    exit 77 ;;
esac
# shellcheck disable=SC2046
cc -O3 $(pkg-config --cflags libdpdk) -c "$here/burst_cost.c" -o "$tmp/b.o"
objdump -d --no-show-raw-insn "$tmp/b.o" | awk -v dir="$tmp" '
    /^[0-9a-f]+ <fwd_rte>:/ { f = dir "/rte.s"; next }
    /^[0-9a-f]+ <fwd_px>:/ { f = dir "/px.s"; next }
    /^$/ { f = "" }
    f && /^ / {
        sub(/^ *[0-9a-f]+:\t/, "")
        gsub(/[0-9a-f]+ <fwd_[a-z]+\+0x/, "<+0x")  # branch targets: by offset in the function
        gsub(/# [0-9a-f]+ <fwd_[a-z]+\+0x/, "# <+0x")
        if ($0 !~ /nop/ && $0 !~ /^xchg +%ax,%ax/) print > f  # padding between blocks
    }'
[ -s "$tmp/rte.s" ] || { echo "FAIL: no code for fwd_rte"; exit 1; }
if ! diff "$tmp/rte.s" "$tmp/px.s"; then
    echo "FAIL: rte_eth_rx_burst/tx_burst compile to other code than px_eth_rx_burst/tx_burst"
    exit 1
fi
echo "ok: rte_ and px_ bursts compile to the same $(wc -l <"$tmp/rte.s") instructions"

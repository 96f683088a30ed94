#!/usr/bin/env bash
# tools/quickstart.sh — build Pollux and watch it forward packets.
#
# Builds libpollux and px-fwd, then runs px-fwd for a few seconds on software ports (no NIC,
# no VFIO, no hugepages needed) with live statistics, and says how to run it on a real NIC.
#   tools/quickstart.sh [SECONDS]      (default 4)
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/lib.sh
secs=${1:-4}
case $secs in
    ''|*[!0-9.]*) echo "usage: tools/quickstart.sh [SECONDS]   (the e1000e lab demo, --lab, is not written yet)" >&2
                  exit 2 ;;
esac

cat <<'TXT'
Pollux is a userspace poll-mode driver framework in C, in the style of DPDK: it pins hugepage
memory, maps it once for IOMMU DMA through VFIO, and hands PCI NICs to drivers whose data path
runs entirely in your process — no kernel on the packet path.

TXT
px_need_pkgs cmake ninja-build gcc libc6-dev pkg-config libnuma-dev
say "building into build/"
cmake -S . -B build -G Ninja >/dev/null
cmake --build build -j "$(nproc)" | tail -n 1

cores=0
[ "$(nproc)" -ge 2 ] && cores=0-1
say "px-fwd, io mode, two software ports joined like a cable (net_ring), ${secs} s"
cat <<'TXT'
    --tx-first puts one burst of 32 frames on each port; io mode then forwards every frame it
    receives to the other port. The lines below are per port, once a second: packets and bits
    per second received and sent, drops, misses, errors (net_ring counts packets, not bytes).
TXT
build/app/fwd/px-fwd -l "$cores" --no-huge -m 256 --vdev net_ring0 --vdev net_ring1,peer=net_ring0 \
    -- --forward-mode=io --tx-first --duration="$secs"
say "px-fwd, io mode, on two net_null ports (they produce and swallow packets): the raw cost of the forwarding path"
build/app/fwd/px-fwd -l "$cores" --no-huge -m 256 --vdev net_null0 --vdev net_null1 \
    -- --forward-mode=io --duration="$secs"
cat <<'TXT'

What you saw: px_eal_init() created the ports from --vdev, px-fwd set up a pool of packet
buffers and one queue per port, and its forwarding lcore moved bursts of 32 packets between the
ports with no system call on the path. On a real NIC:
  build/app/devbind/px-devbind --status                 what can be bound
  build/app/devbind/px-devbind --bind=vfio-pci 0000:01:00.0
  build/app/hugepages/px-hugepages --setup 1G
  build/app/fwd/px-fwd -l 0-1 -a 0000:01:00.0 -- --forward-mode=macswap
Modes: io, mac, macswap, rxonly, txonly, icmpecho (px-fwd -- --help). Next:
  tools/test.sh        build everything and run every test (host, sanitizers, QEMU/VFIO lab)
  examples/skeleton    the smallest Pollux program, the way in to the API
  docs/                how it fits together
TXT

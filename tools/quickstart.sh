#!/usr/bin/env bash
# tools/quickstart.sh — build Pollux and watch it forward packets.
#
# Builds libpollux and px-fwd, then runs px-fwd for a few seconds on software ports (no NIC,
# no VFIO, no hugepages needed) with live statistics, and says how to run it on a real NIC.
# With --lab: boots the x86_64 lab (QEMU, virtual IOMMU) and shows px-fwd forwarding between
# two emulated e1000e NICs through VFIO with the e1000e PMD.
#   tools/quickstart.sh [--lab] [SECONDS]      (default 4)
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/lib.sh
lab=0
if [ "${1:-}" = --lab ]; then
    lab=1
    shift
fi
secs=${1:-4}
case $secs in
    ''|*[!0-9.]*) echo "usage: tools/quickstart.sh [--lab] [SECONDS]" >&2; exit 2 ;;
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

if [ $lab = 1 ]; then
    say "the lab: Debian's kernel under QEMU (x86_64, intel-iommu), two e1000e NICs on vfio-pci"
    cat <<'TXT'
    The guest boots, binds both NICs to vfio-pci, and px-fwd drives them with the e1000e
    poll-mode driver: rings and buffers in hugepages mapped once through the (virtual) IOMMU,
    the data path in userspace. --tx-first puts 2 x 32 frames on the wire; io mode forwards
    every frame each port receives out of the other. Rates are QEMU's emulation, not hardware.
TXT
    exec tools/lab/run.sh --arch x86_64 --nics e1000e,e1000e -- \
        "set -- \$PX_LAB_PORTS; px-fwd -l 0-1 -m 64 -a \$1 -a \$2 -- --forward-mode=io --tx-first --duration=$secs --stats-period=1 --rxd=128 --txd=128 --total-num-mbufs=640"
fi

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

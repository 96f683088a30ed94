#!/usr/bin/env bash
# tools/quickstart.sh — build Pollux and show it working.
#
# At this stage of the project: builds libpollux and the unit test app, then runs the smoke
# suite (EAL start-up, lcores, logging, the cycle counter) and explains what you see.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/lib.sh

cat <<'TXT'
Pollux is a userspace poll-mode driver framework in C, in the style of DPDK: it pins hugepage
memory, maps it once for IOMMU DMA through VFIO, and hands PCI NICs to drivers whose data path
runs entirely in your process — no kernel on the packet path.

TXT
px_need_pkgs cmake ninja-build gcc libc6-dev pkg-config libnuma-dev
say "building into build/"
cmake -S . -B build -G Ninja >/dev/null
cmake --build build -j "$(nproc)" | tail -n 1
say "starting the EAL on every core and launching a function on each lcore"
build/app/test/px-test lcore_launch_autotest | sed 's/^/    /'
say "the smoke suite: argument parser, lcores, logging, cycle counter"
build/app/test/px-test 'eal_*' 'lcore_*' 'log_*' cycles_autotest | tail -n 1
cat <<'TXT'

What you saw: px_eal_init() parsed DPDK-style options (-l, --log-level, ...), pinned one thread
per core, ran a function on each, and px_eal_cleanup() joined them. Next:
  build/app/test/px-test --list        every unit test
  tools/test.sh                        build everything and run all tests (host and QEMU lab)
  docs/                                how it fits together
TXT

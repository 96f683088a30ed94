#!/bin/bash
# tests/compat/lab_example.sh ARCH LAB_BUILD_DIR: DPDK's examples skeleton and
# link_status_interrupt (dpdk-doc), copied untouched (lib.sh), built by their own Makefiles
# against the lab build's libdpdk.pc (LAB_BUILD_DIR is run.sh's build for ARCH: static archives)
# with ARCH's compiler and LDFLAGS=-static, then run one after the other in one lab boot
# (tools/lab/run.sh --add), each between the same two e1000e NICs.
#
# Wiring: four e1000e, two QEMU hubs, so nothing loops:
#   hub 0: NIC 0 (the example's port)  NIC 1 (the guest kernel's e1000e, 10.9.1.1)
#   hub 1: NIC 2 (the example's port)  NIC 3 (the guest kernel's e1000e, 10.9.1.2)
# skeleton: the kernel on NIC 1 sends ARP requests for 10.9.1.2 (busybox arping); basicfwd
# carries them from hub 0 to hub 1, the kernel on NIC 3 answers, basicfwd carries each answer
# back. Checked at both far ends: every request answered, and each kernel port received exactly
# what the other sent (their hardware counters; IPv6 off, so the kernels send nothing else).
# link_status_interrupt (port 0 <-> port 1, MAC updating: the destination becomes
# 02:00:00:00:00:xx, so NIC 3's kernel listens in promiscuous mode): 10 broadcast ARP requests
# from NIC 1 all reach NIC 3; then QEMU's set_link takes NIC 0's link down and up again
# (px-lab-monitor), and the example's LSC callback must report that port down, then up. Its
# output goes to the console (stdout a terminal, so line-buffered; it never exits), read back
# from run.sh's log: the LSC lines and its last statistics (sent = received = 10, 0 dropped).
# Exit 77 where dpdk-doc, make, ARCH's compiler or the lab build is missing (or the lab itself).
set -euo pipefail
arch=$1
bdir=$(cd "$2" 2>/dev/null && pwd) || { echo "SKIP: no lab build in $2 (lab_${arch}_build)"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
# shellcheck source=../../tools/lab/lib/arch.sh
. "$repo/tools/lab/lib/arch.sh"
lab_arch_setup "$arch"
[ -z "${PX_LAB_SKIP:-}" ] || { echo "SKIP: PX_LAB_SKIP is set"; exit 77; }
for c in make pkg-config md5sum readelf "$LAB_CC"; do
    command -v "$c" >/dev/null || { echo "SKIP: needs $c"; exit 77; }
done
pc=$bdir/compat/dpdk/pkgconfig
[ -f "$pc/libdpdk.pc" ] || { echo "SKIP: $pc/libdpdk.pc is missing (lab_${arch}_build)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Each with its own Makefile's default target: only PKG_CONFIG_PATH, the compiler and -static
# differ from a native DPDK build (the lab build's libdpdk.pc names archives; the guest has no
# libraries). The program keeps the default target's name, APP-shared; the link is static.
add=()
for ex in skeleton link_status_interrupt; do
    compat_copy_untouched "$ex" "$tmp"
    PKG_CONFIG_PATH=$pc make -C "$tmp/$ex" CC="$LAB_CC" LDFLAGS=-static >"$tmp/make.log" 2>&1 ||
        { cat "$tmp/make.log"; echo "FAIL: make in $ex for $arch"; exit 1; }
    grep -q -- "-l:libpollux.a" "$tmp/make.log" ||
        { cat "$tmp/make.log"; echo "FAIL: $ex not linked with Pollux"; exit 1; }
    bin=$(find "$tmp/$ex/build" -name '*-shared' -type f)
    if [ -z "$bin" ] || readelf -l "$bin" | grep -q INTERP; then
        echo "FAIL: $ex: no static program in $tmp/$ex/build"
        exit 1
    fi
    echo "ok: $ex built by its Makefile for $arch against $pc/libdpdk.pc, static"
    add+=(--add "$bin")
done

# NICs 2 and 3 on hub 1 (run.sh's --nics all go on hub 0). On pseries each NIC gets a PHB of its
# own (its own IOMMU group), as run.sh does for its NICs.
extra=()
for i in 2 3; do
    bus=
    if [ "$arch" = ppc64le ]; then
        extra+=(--qemu-arg -device --qemu-arg "spapr-pci-host-bridge,index=$i,id=phb$i")
        bus=,bus=phb$i.0
    fi
    extra+=(--qemu-arg -netdev --qemu-arg "hubport,id=h1p$i,hubid=1"
        --qemu-arg -device --qemu-arg "e1000e,netdev=h1p$i,romfile=$bus")
done

# The guest: basicfwd on NICs 0 and 2; the kernel on NICs 1 and 3 (accept_local: both addresses
# are this kernel's, so NIC 3 must accept requests from 10.9.1.1).
guest=$(
    cat <<'SH'
set -e
set -- $PX_LAB_PORTS
[ $# = 4 ] || { echo "FAIL: 4 NICs expected: $PX_LAB_PORTS"; exit 1; }
for k in all default; do echo 1 >/proc/sys/net/ipv6/conf/$k/disable_ipv6; done
echo 1 >/proc/sys/net/ipv4/conf/all/accept_local
a=$(px-lab-kbind --up $2 e1000e)
b=$(px-lab-kbind --up $4 e1000e)
ip addr add 10.9.1.1/24 dev $a
ip addr add 10.9.1.2/24 dev $b
basicfwd-shared -l 0 -a $1 -a $3 >/tmp/fwd.log 2>&1 &
f=$!
# Ready when a request gets through and back (basicfwd prints through a buffered stdout).
i=0
until arping -q -f -c 1 -w 1 -I $a 10.9.1.2; do
    i=$((i + 1))
    kill -0 $f 2>/dev/null && [ $i -lt 60 ] || { cat /tmp/fwd.log; echo "FAIL: no ARP answer through basicfwd"; exit 1; }
done
sleep 1
st() { cat /sys/class/net/$1/statistics/$2; }
at0=$(st $a tx_packets); ar0=$(st $a rx_packets); bt0=$(st $b tx_packets); br0=$(st $b rx_packets)
arping -c 10 -w 15 -I $a 10.9.1.2 >/tmp/arping.log || true
sleep 1
at=$(($(st $a tx_packets) - at0)); ar=$(($(st $a rx_packets) - ar0))
bt=$(($(st $b tx_packets) - bt0)); br=$(($(st $b rx_packets) - br0))
kill $f; wait $f || true
cat /tmp/arping.log /tmp/fwd.log
echo "hub 0 -> basicfwd -> hub 1: $at sent by $a, $br received by $b"
echo "hub 1 -> basicfwd -> hub 0: $bt sent by $b, $ar received by $a"
grep -q '^Received 10 response' /tmp/arping.log || { echo "FAIL: not every ARP request answered"; exit 1; }
[ $at -ge 10 ] && [ $br = $at ] && [ $bt -ge 10 ] && [ $ar = $bt ] ||
    { echo "FAIL: the far ends did not receive what was sent"; exit 1; }
echo "ok: basicfwd forwarded every frame both ways"

ip link set $b promisc on
b0=$(st $b rx_packets)
link_status_interrupt-shared -l 0 -a $1 -a $3 -- -p 0x3 -q 2 -T 1 &
f=$!
# Ready when a broadcast from NIC 1 reaches NIC 3.
i=0
n=$(st $b rx_packets)
until arping -q -b -c 1 -w 1 -I $a 10.9.1.9; [ $(st $b rx_packets) != $n ]; do
    i=$((i + 1))
    kill -0 $f 2>/dev/null && [ $i -lt 60 ] || { echo "FAIL: no frame through link_status_interrupt"; exit 1; }
done
sleep 1
at0=$(st $a tx_packets); br0=$(st $b rx_packets)
arping -b -c 10 -w 12 -I $a 10.9.1.9 >/dev/null || true
sleep 1
at=$(($(st $a tx_packets) - at0)); br=$(($(st $b rx_packets) - br0))
echo "link_status_interrupt: $at sent by $a, $br received by $b"
[ $at = 10 ] && [ $br = 10 ] || { echo "FAIL: the far end did not receive what was sent"; exit 1; }
echo "link_status_interrupt: $(($(st $b rx_packets) - b0)) frames reached $b in all"
px-lab-monitor set_link p0 off
sleep 2
px-lab-monitor set_link p0 on
sleep 3
kill $f
echo "ok: link_status_interrupt done"
SH
)
"$repo/tools/lab/run.sh" --arch "$arch" --nics e1000e,e1000e "${extra[@]}" "${add[@]}" \
    --build-dir "$bdir" --timeout "${PX_LAB_TIMEOUT:-120}" --log "$tmp/console.log" -- "$guest" ||
    exit $?

# link_status_interrupt's output, from the console: an LSC callback saying a port went down,
# then the same port up again; its last statistics: every frame it received sent, none dropped,
# as many as reached NIC 3 (the readiness probes included).
python3 - "$tmp/console.log" <<'PY'
import re, sys
log = open(sys.argv[1], errors="replace").read()
log = log[log.rindex("\nok: basicfwd forwarded every frame both ways"):]
# The callback runs on the interrupt thread while the main lcore prints its statistics: take
# the first "Port N Link ..." after each "Event type" line, whatever lines come between.
events = [m.groups() for c in log.split("Event type: LSC interrupt")[1:]
          for m in [re.search(r"^Port (\d+) Link (up|down)", c, re.M)] if m]
print("link_status_interrupt's LSC callbacks:", events)
down = [p for p, s in events if s == "down"]
if not down or (down[0], "up") not in events[events.index((down[0], "down")):]:
    sys.exit("FAIL: no LSC callback with a port down and then up again")
agg = re.findall(r"Total packets sent:\s+(\d+)\s*\nTotal packets received:\s+(\d+)\s*\n"
                 r"Total packets dropped:\s+(\d+)", log)
n = re.search(r"^link_status_interrupt: (\d+) frames reached \S+ in all", log, re.M).group(1)
if not agg or agg[-1] != (n, n, "0"):
    sys.exit("FAIL: link_status_interrupt's last statistics (sent, received, dropped) %s, "
             "want %s, %s, 0" % (agg[-1:], n, n))
print("ok: link_status_interrupt forwarded all %s frames and reported port %s down and up"
      % (n, down[0]))
PY

#!/usr/bin/env bash
# tools/quickstart.sh — build Pollux and watch it forward packets.
#
# Builds libpollux and px-fwd. As root, it then shows real traffic: two network namespaces that
# can reach each other only through px-fwd (a veth pair into each, px-fwd forwarding between the
# two veths on net_af_xdp, or net_af_packet where AF_XDP cannot be had), and the kernel's ping
# from one to the other, printed live. Then
# (and without root, instead) px-fwd runs for a few seconds on in-memory ports (no NIC, no VFIO,
# no hugepages needed) with live statistics, and it says how to run it on a real NIC.
# With --lab: boots the x86_64 lab (QEMU, virtual IOMMU) and shows px-fwd forwarding between
# two emulated NICs through VFIO: e1000e (the default) or virtio-net, with their PMDs.
#   tools/quickstart.sh [--lab [e1000e|virtio]] [SECONDS]      (default 4)
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/lib.sh
lab=0 nic=e1000e
if [ "${1:-}" = --lab ]; then
    lab=1
    shift
    case ${1:-} in
    e1000e | virtio) nic=$1; shift ;;
    esac
fi
secs=${1:-4}
case $secs in
    ''|*[!0-9.]*) echo "usage: tools/quickstart.sh [--lab [e1000e|virtio]] [SECONDS]" >&2; exit 2 ;;
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
    say "the lab: Debian's kernel under QEMU (x86_64, intel-iommu), two $nic NICs on vfio-pci"
    cat <<TXT
    The guest boots, binds both NICs to vfio-pci, and px-fwd drives them with the $nic
    poll-mode driver: rings and buffers in hugepages mapped once through the (virtual) IOMMU,
    the data path in userspace. --tx-first puts 2 x 32 frames on the wire; io mode forwards
    every frame each port receives out of the other. Rates are QEMU's emulation, not hardware.
TXT
    exec tools/lab/run.sh --arch x86_64 --nics $nic,$nic -- \
        "set -- \$PX_LAB_PORTS; px-fwd -l 0-1 -m 64 -a \$1 -a \$2 -- --forward-mode=io --tx-first --duration=$secs --stats-period=1 --rxd=128 --txd=128 --total-num-mbufs=640"
fi

cores=0
[ "$(nproc)" -ge 2 ] && cores=0-1

# real_traffic: ping from namespace A to namespace B through px-fwd. Returns 77 (and says why)
# where namespaces cannot be made, 1 when a ping did not come back.
real_traffic() {
    if [ "$(id -u)" -ne 0 ]; then
        say "real traffic needs root (network namespaces, packet sockets): showing in-memory ports only"
        return 77
    fi
    px_need_pkgs iproute2 iputils-ping
    local a=pxqa$$ b=pxqb$$ f=pxqf$$ n=$(( ${secs%.*} * 5 )) log rc=0 fwd
    [ "$n" -ge 5 ] || n=5
    log=$(mktemp)
    # shellcheck disable=SC2064 # the names are fixed now
    trap "ip netns del $a 2>/dev/null; ip netns del $b 2>/dev/null; ip netns del $f 2>/dev/null; rm -f $log" RETURN
    if ! ip netns add $f 2>"$log"; then
        say "cannot create a network namespace ($(cat "$log")): showing in-memory ports only"
        return 77
    fi
    ip netns add $a && ip netns add $b
    for ns in $a $b $f; do # no IPv6: its autoconfiguration would add frames of its own
        ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
        ip -n $ns link set lo up
    done
    ip -n $f link add pa type veth peer name eth0 netns $a
    ip -n $f link add pb type veth peer name eth0 netns $b
    ip -n $a addr add 10.77.0.1/24 dev eth0
    ip -n $b addr add 10.77.0.2/24 dev eth0
    for l in "$a eth0" "$b eth0" "$f pa" "$f pb"; do
        set -- $l
        ip -n "$1" link set "$2" up
    done
    say "real traffic: namespace A (10.77.0.1) and B (10.77.0.2), each with a veth into a third, where px-fwd runs"
    cat <<'TXT'
    A's only way to B is px-fwd: ports on the two veths (pa, pb) through AF_XDP sockets
    (net_af_xdp) or, where those cannot be had, packet sockets (net_af_packet); io mode, every
    frame one port receives sent out of the other. First, without px-fwd, A cannot reach B:
TXT
    if ip netns exec $a ping -c 1 -W 1 10.77.0.2 >/dev/null 2>&1; then
        warn "A reached B without px-fwd: the namespaces are not isolated"
        return 1
    fi
    echo "    ping 10.77.0.2: no reply (as it should be)"
    # AF_XDP sockets where the kernel and the build have them, else packet sockets
    for pmd in af_xdp af_packet; do
        ip netns exec $f build/app/fwd/px-fwd -l "$cores" --no-huge -m 256 \
            --vdev net_${pmd}0,iface=pa --vdev net_${pmd}1,iface=pb \
            -- --forward-mode=io --stats-period=0 --duration=$((n / 5 + 4)) >"$log" 2>&1 &
        fwd=$!
        # px-fwd prints its first line once its ports have started
        for _ in $(seq 100); do
            grep -q "px-fwd: io mode" "$log" || ! kill -0 $fwd 2>/dev/null && break
            sleep 0.1
        done
        grep -q "px-fwd: io mode" "$log" && break
        wait $fwd || true
        [ $pmd = af_packet ] || echo "    (net_af_xdp did not start here: $(grep -m1 -i "af_xdp" "$log" || tail -n 1 "$log"); using net_af_packet)"
    done
    echo "    now with px-fwd forwarding on net_$pmd ($n pings from A to B, live):"
    ip netns exec $a ping -c $n -i 0.2 -W 1 10.77.0.2 | sed 's/^/    /' || rc=1
    wait $fwd || rc=1
    sed 's/^/    /' "$log"
    if [ $rc = 0 ]; then
        echo "ping: every reply came back through Pollux (net_$pmd, px-fwd io)"
    else
        warn "ping through px-fwd failed"
    fi
    return $rc
}
rt=0
real_traffic || rt=$?
[ $rt = 1 ] && exit 1

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

#!/bin/bash
# tests/lab/vhost_user_guest.sh ARCH LAB_BUILD_DIR PX_FWD [RUN.SH OPTION...]: a QEMU guest as
# net_vhost's frontend (docs/vhost.md, "A QEMU guest"). Two px-fwd processes on the host each
# serve one net_vhost port; the lab guest (tools/lab/run.sh --net vhost-user) has two
# virtio-net-pci NICs whose backends they are, both driven by the guest kernel's virtio_net at
# MTU 9000 (mergeable receive buffers), the guest's RAM a shared memfd that net_vhost maps:
#   NIC 0 (10.9.0.1, packed=on, 2 queue pairs, QEMU the socket's server) -> px-fwd icmpecho
#     (10.9.0.2, 2 RX and TX queues, net_vhost client=1): 50 pings from each guest CPU (the
#     guest kernel's XPS sends each CPU's on its own queue), 0 % loss, every queue of
#     net_vhost counted packets both ways (its per-queue xstats), then 3 pings of each of
#     18..8972 bytes (frames up to 9014 bytes both ways);
#   NIC 1 (10.9.1.1, split rings) -> px-fwd 5tswap (a static ARP entry for 10.9.1.2):
#     px-lab-udp sends UDP datagrams of 1..8972 bytes (frames up to the MTU) and then of
#     9000..20000 bytes (IP fragments), each must come back byte for byte. Then the backend
#     restarts: that px-fwd is killed (SIGKILL) and a new one serves the same socket; the
#     guest's NIC loses its carrier, QEMU connects again (reconnect=1) and hands the new
#     backend the rings where they were (SET_VRING_BASE), and the UDP pass of 1..8972 bytes is
#     repeated through it. (Packed rings cannot be resumed so by QEMU 7.2: it has no used index
#     in guest memory to restore them from and asks for base 0, without INFLIGHT_SHMFD, which
#     net_vhost does not offer.)
# net_vhost's debug log must show packed and split rings and both of NIC 0's queue pairs. On
# x86_64 the guest has 3 GiB, which q35 splits around the PCI hole: net_vhost maps two regions
# of the memfd, the second at a 2 GiB offset in the file (its log must show both).
# Then each px-fwd stops and must exit 0 (every mbuf back) having received and sent what the
# guest counted.
# The NICs have no MSI-X (vectors=0, INTx): QEMU 7.2 under TCG crashes starting a vhost-user
# NIC with MSI-X (kvm_virtio_pci_irqfd_use() reads the irqfd table only KVM allocates).
# No iommu_platform: net_vhost handles no IOTLB messages.
# Exit 77 where the lab cannot run here (run.sh says why) or PX_FWD is missing.
set -euo pipefail
arch=$1 bdir=$2 fwd=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
[ -z "${PX_LAB_SKIP:-}" ] || { echo "SKIP: PX_LAB_SKIP is set"; exit 77; }
[ -x "$fwd" ] || { echo "SKIP: no host px-fwd at $fwd"; exit 77; }
tmp=$(mktemp -d)
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT

# start_fwd NAME SOCK LCORES DEVARGS INPUT MODE-ARGS...: px-fwd serving $tmp/SOCK.sock, its
# standard input from INPUT, its log $tmp/NAME.log and its counters $tmp/NAME.json.
start_fwd() {
    local name=$1 sock=$2 lcores=$3 devargs=$4 input=$5
    shift 5
    "$fwd" -l "$lcores" --no-huge -m 256 --file-prefix "pxvu-$name-$$" \
        --log-level=pmd.net.vhost:debug --vdev "net_vhost0,iface=$tmp/$sock.sock$devargs" \
        -- "$@" --max-pkt-len=9018 --enable-scatter \
        --stats-period=0 --stats-json="$tmp/$name.json" --total-num-mbufs=2048 \
        <"$input" >"$tmp/$name.log" 2>&1 &
    pids+=($!)
}
# icmpecho at px-fwd's prompt (-i -a: forwarding on lcore 1, the prompt on lcore 0 waits for
# its commands from a FIFO that this script holds open on fd 5), so that its per-queue xstats
# can be asked for at the end. Its net_vhost is the client (client=1): QEMU serves that socket
# (run.sh's ":server") and waits for it; 5tswap's net_vhost serves its own.
mkfifo "$tmp/icmp.in"
start_fwd icmp icmp 0-1 ,queues=2,client=1 "$tmp/icmp.in" -i -a --forward-mode=icmpecho \
    --icmp-ip=0,10.9.0.2 --rxq=2 --txq=2
exec 5<>"$tmp/icmp.in"
start_fwd udp udp 0 "" /dev/null --forward-mode=5tswap
for _ in $(seq 100); do
    [ -S "$tmp/udp.sock" ] && break
    sleep 0.1
done
if ! [ -S "$tmp/udp.sock" ]; then
    cat "$tmp/icmp.log" "$tmp/udp.log"
    echo "FAIL: px-fwd did not serve its net_vhost sockets"
    exit 1
fi

# The guest: both NICs to virtio_net, MTU 9000; pings to icmpecho, UDP through 5tswap.
# The first exchange (ARP, then one echo; up to 5 tries of 1 s) is counted apart, so that the
# 50 + 50 pings measure steady traffic. Once (aarch64, a loaded host) the first ARP answer came
# only ~1 s later, after the kernel's second request, and the 16 echo replies queued behind it
# then arrived in one burst, of which ping lost 4.
# shellcheck disable=SC2016 # expanded in the guest
guest='set -e; set -- $PX_LAB_PORTS
a=$(px-lab-kbind --up $1 virtio_net); b=$(px-lab-kbind --up $2 virtio_net)
ip link set dev $a mtu 9000; ip link set dev $b mtu 9000
ip addr add 10.9.0.1/24 dev $a; ip addr add 10.9.1.1/24 dev $b
arp -i $b -s 10.9.1.2 02:00:00:00:01:02
w=0
until ping -c 1 -W 1 10.9.0.2 >/dev/null; do
    w=$((w+1)); [ $w -lt 5 ] || break
done
echo "first echo reply after $w lost tries"
taskset 1 ping -c 50 -i 0.05 -W 2 10.9.0.2 >/tmp/ping.log || true
taskset 2 ping -c 50 -i 0.05 -W 2 10.9.0.2 >/tmp/ping1.log || true
ok=0
for s in 18 100 1472 1473 2000 4000 8000 8972; do
    ping -c 3 -i 0.1 -W 2 -s $s 10.9.0.2 >/tmp/p.$s || true
    tail -2 /tmp/p.$s
    grep -q "3 packets received" /tmp/p.$s && ok=$((ok+1))
done
cat /tmp/ping.log /tmp/ping1.log
u=0; px-lab-udp 10.9.1.2 9000 1 8972 37 || u=1
px-lab-udp 10.9.1.2 9000 9000 20000 1000 || u=1
echo PX-VHOST-RESTART
c=0
until [ "$(cat /sys/class/net/$b/carrier)" = 0 ]; do
    c=$((c+1)); [ $c -lt 100 ] || break; sleep 0.1
done
echo "NIC 1 carrier off after the backend went: $([ $c -lt 100 ] && echo yes || echo no)"
c=0
until [ "$(cat /sys/class/net/$b/carrier)" = 1 ] && px-lab-udp 10.9.1.2 9000 64 64 >/dev/null 2>&1; do
    c=$((c+1)); [ $c -lt 40 ] || break; sleep 0.5
done
echo "5tswap answered again after $c tries"
rs=0; [ $c -lt 40 ] || rs=1
px-lab-udp 10.9.1.2 9000 1 8972 37 || u=1
cat /proc/net/dev /proc/net/arp; grep -A1 -E "^(Icmp|Udp|Ip):" /proc/net/snmp
[ $w -lt 5 ] && grep -q "50 packets transmitted, 50 packets received, 0% packet loss" /tmp/ping.log &&
    grep -q "50 packets transmitted, 50 packets received, 0% packet loss" /tmp/ping1.log &&
    [ $ok = 8 ] && [ $u = 0 ] && [ $rs = 0 ]'

mem=()
[ "$arch" != x86_64 ] || mem=(--mem 3072)
rc=0
"$repo/tools/lab/run.sh" --arch "$arch" --build-dir "$bdir" --log "$tmp/console.log" \
    --nics virtio-noplatform,virtio-noplatform --nic-props 0 vectors=0,packed=on \
    --nic-props 1 vectors=0 --net "vhost-user:$tmp/icmp.sock:2:server,$tmp/udp.sock" \
    --timeout "${PX_LAB_TIMEOUT:-120}" "${mem[@]}" "$@" -- "$guest" &
run=$!
# The backend restarts: when the guest says so, 5tswap's px-fwd is killed (SIGKILL: no goodbye
# on the socket) and a new one serves the same socket; QEMU (reconnect=1) connects to it and
# replays the rings' state, the guest's NIC must carry UDP again.
restarted=
while kill -0 "$run" 2>/dev/null; do
    if [ -z "$restarted" ] && grep -aqx PX-VHOST-RESTART "$tmp/console.log" 2>/dev/null; then
        kill -KILL "${pids[1]}"
        wait "${pids[1]}" || true
        start_fwd udp2 udp 0 "" /dev/null --forward-mode=5tswap
        pids[1]=$!
        restarted=1
    fi
    sleep 0.2
done
wait "$run" || rc=$?

# Each px-fwd must stop cleanly (exit 0: every mbuf back) after forwarding; icmpecho's
# per-queue counters first (it gets SIGTERM after 10 s if it does not quit); 5tswap, without
# a prompt, gets SIGTERM.
echo "show port xstats 0" >&5
echo quit >&5
for _ in $(seq 100); do
    kill -0 "${pids[0]}" 2>/dev/null || break
    sleep 0.1
done
frc=0
for i in 0 1; do
    kill -TERM "${pids[$i]}" 2>/dev/null || true
    r=0
    wait "${pids[$i]}" || r=$?
    [ "$r" = 0 ] || frc=1
done
pids=()
for name in icmp udp udp2; do
    [ -f "$tmp/$name.log" ] || continue
    echo "---- host px-fwd ($name):"
    grep -E 'memory region|ready:|link|px-fwd|port 0|mbufs' "$tmp/$name.log"
done
if [ "$rc" = 77 ]; then
    echo "SKIP: the lab cannot run here (run.sh said why above)"
    exit 77
elif [ "$rc" != 0 ]; then
    for name in icmp udp udp2; do
        [ -f "$tmp/$name.log" ] || continue
        echo "---- host px-fwd ($name), the whole log:"
        cat "$tmp/$name.log"
    done
    echo "FAIL: the guest's command exited $rc"
    exit "$rc"
fi
[ "$frc" = 0 ] || { echo "FAIL: a host px-fwd did not exit 0"; exit 1; }
# Both queue pairs of NIC 0 carried echo requests and replies.
for x in rx_q0_packets rx_q1_packets tx_q0_packets tx_q1_packets; do
    v=$(sed -n "s/^ *$x: *//p" "$tmp/icmp.log")
    echo "host px-fwd icmp: $x $v"
    [ "${v:-0}" -gt 0 ] || { echo "FAIL: net_vhost's queue counter $x is ${v:-missing}"; exit 1; }
done
# The rings and the memory net_vhost saw.
grep -q 'vring 3 ready: 256 entries, packed' "$tmp/icmp.log" ||
    { echo "FAIL: NIC 0's second queue pair was not set up"; exit 1; }
grep -q 'vring 1 ready: 256 entries, packed' "$tmp/icmp.log" ||
    { echo "FAIL: NIC 0's rings were not packed ones"; exit 1; }
grep -q 'vring 1 ready: 256 entries, split' "$tmp/udp.log" ||
    { echo "FAIL: NIC 1's rings were not split ones"; exit 1; }
if [ "$arch" = x86_64 ] && ! grep -q 'memory region 1: guest 0x100000000, 0x40000000 bytes, .*file offset 0x80000000' "$tmp/icmp.log"; then
    echo "FAIL: net_vhost did not map the guest's RAM above 4 GiB as a second region"
    exit 1
fi
# Both directions went through net_vhost: px-fwd received and sent on each port.
[ -n "$restarted" ] || { echo "FAIL: the guest never asked for the backend's restart"; exit 1; }
grep -q 'vring 1 ready: 256 entries, split' "$tmp/udp2.log" ||
    { echo "FAIL: the restarted backend did not get NIC 1's rings back"; exit 1; }
for name in icmp udp2; do
    python3 - "$tmp/$name.json" "$name" <<'PY' || exit 1
import json, sys
j = json.load(open(sys.argv[1]))
p = j["ports"][0]
rx, tx = p["rx_packets"], p["tx_packets"]
print("host px-fwd %s: rx %d, tx %d" % (sys.argv[2], rx, tx))
sys.exit(0 if rx >= 100 and tx >= 100 else 1)
PY
done
echo "PASS: a $arch guest's virtio_net on net_vhost: pings and UDP both ways"

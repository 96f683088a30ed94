#!/usr/bin/env bash
# tests/fwd/tap.sh PX_FWD CASE: net_tap in a network namespace made for the test. The tap
# interfaces ptap0/ptap1 are made beforehand (persistent, multi_queue) so the kernel's raw
# sockets (python3) can be bound to them before px-fwd attaches; px-fwd brings them up at
# start. The kernel's ping (ping) and DPDK 22.11's dpdk-testpmd (dpdk_*) are peers too. Needs
# root, /dev/net/tun, iproute2 (`ip`) and python3, and for their cases ping or dpdk-testpmd:
# exits 77 saying so otherwise.
set -euo pipefail
fwd=$1 case=$2
source "$(dirname "$0")/lib.sh"
fwd_need_root "network namespaces, tap interfaces"
[ -c /dev/net/tun ] || { echo "SKIP: no /dev/net/tun (modprobe tun)"; exit 77; }
fwd_need ip python3
fwd_tmp
fwd_netns pxtap
for t in ptap0 ptap1; do
    ip -n "$ns" tuntap add dev $t mode tap multi_queue vnet_hdr 2>"$tmp/err" ||
        { echo "SKIP: cannot create a tap interface: $(cat "$tmp/err")"; exit 77; }
done
a=(--vdev net_tap0,iface=ptap0)
b=(--vdev net_tap1,iface=ptap1)

# send IFACE N: once IFACE is up with a reader (px-fwd started), a raw socket sends N frames of
# 60..1514 bytes, IPv4/UDP over 16 flows (so the kernel spreads them over the tap's queues)
send() {
    { fwd_carrier "$1"; inns python3 - "$@" <<'PY'; } &
import socket, struct, sys, time
iface, n = sys.argv[1], int(sys.argv[2])
time.sleep(0.3)
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((iface, 0))
for i in range(n):
    size = 60 + i * (1514 - 60) // max(n - 1, 1)
    flow = i % 16
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, size - 14, i & 0xffff, 0, 64, 17, 0,
                     bytes([10, 0, 0, flow + 1]), bytes([10, 0, 1, 1]))
    udp = struct.pack("!HHHH", 1000 + flow, 2000, size - 34, 0)
    f = b"\x02\x00\x00\x00\x00\x01" + b"\x02\x00\x00\x00\x00\x02" + b"\x08\x00" + ip + udp
    s.send(f + bytes([i & 255]) * (size - len(f)))
PY
}
sent_bytes() { echo "sum(60 + i * (1514 - 60) // max($1 - 1, 1) for i in range($1))"; }

case $case in
tx_to_kernel)
    # Pollux sends 1000 frames of 1514 bytes on ptap0; the kernel receives exactly those
    inns python3 - ptap0 6 "$tmp/rx" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.setsockopt(socket.SOL_SOCKET, 33, 64 << 20)  # SO_RCVBUFFORCE: room for every frame
s.bind((sys.argv[1], 0))
s.settimeout(0.1)
open(sys.argv[3] + ".ready", "w").close()
end, n, sizes = time.time() + float(sys.argv[2]), 0, set()
while time.time() < end:
    try:
        f, addr = s.recvfrom(65536)
    except socket.timeout:
        continue
    except OSError:  # ENETDOWN until px-fwd sets the interface up
        time.sleep(0.01)
        continue
    if addr[2] != socket.PACKET_OUTGOING:  # what the kernel received from Pollux
        n += 1
        sizes.add(len(f))
open(sys.argv[3], "w").write("%d %s\n" % (n, sorted(sizes)))
PY
    fwd_ready "$tmp/rx.ready"
    run -l 0-1 "${a[@]}" -- --forward-mode=txonly --tx-max=1000 --txpkts=1514 --tx-pps=20000 --duration=1
    wait
    check 'p[0]["tx_packets"] == 1000 and p[0]["tx_errors"] == 0' "1000 sent"
    [ "$(cat "$tmp/rx")" = "1000 [1514]" ] ||
        { echo "FAIL: the kernel received (count, sizes) $(cat "$tmp/rx"), want 1000 of 1514 bytes"; exit 1; }
    echo "ok: the kernel received 1000 frames of 1514 bytes on ptap0"
    ;;
rx_from_kernel)
    # a raw socket on ptap0 sends 500 frames of 60..1514 bytes; Pollux receives every one
    send ptap0 500
    run -l 0-1 "${a[@]}" -- --forward-mode=rxonly --duration=3
    wait
    check 'p[0]["rx_packets"] == 500' "500 received"
    check "p[0][\"rx_bytes\"] == $(sent_bytes 500)" "every byte counted"
    ;;
rx_2q)
    # two queues: the kernel spreads 16 flows over both descriptors; a frame on a queue that
    # Pollux did not read would be lost, so the count is exact only if both are read
    send ptap0 800
    run -l 0-1 --log-level=pmd.net.tap:info --log-level=ethdev:debug "${a[@]}" -- \
        --forward-mode=rxonly --rxq=2 --txq=2 --duration=3
    wait
    grep -q "ptap0 with 2 queues" "$tmp/out" || { echo "FAIL: no 'ptap0 with 2 queues' in the log"; exit 1; }
    check 'p[0]["rx_packets"] == 800' "800 received over 2 queues"
    check "p[0][\"rx_bytes\"] == $(sent_bytes 800)" "every byte counted"
    # and the kernel really spread them: both queues received (their xstats)
    q0=$(fwd_xstat 0 rx_q0_packets) q1=$(fwd_xstat 0 rx_q1_packets)
    [ "$q0" -gt 0 ] && [ "$q1" -gt 0 ] && [ $((q0 + q1)) -eq 800 ] ||
        { echo "FAIL: queue 0 received $q0, queue 1 $q1: want both > 0, 800 in all"; exit 1; }
    echo "ok: the tap spread 16 flows over both queues ($q0 + $q1)"
    ;;
bridge_io|bridge_2q)
    # ptap0 and ptap1 in one kernel bridge: what one port sends, the bridge floods to the other
    # no multicast snooping: it makes br0 send IGMP reports of its own (joining 224.0.0.106)
    ip -n "$ns" link add br0 type bridge mcast_snooping 0
    ip -n "$ns" link set ptap0 master br0
    ip -n "$ns" link set ptap1 master br0
    ip -n "$ns" link set br0 up
    if [ "$case" = bridge_io ]; then
        # 2 x 32 frames go round through the bridge until the end
        fwd_io_round "${a[@]}" "${b[@]}"
    else
        # two queue pairs per port: every frame of 16 flows sent on 2 TX queues is received once
        run -l 0-1 "${a[@]}" "${b[@]}" -- --forward-mode=rxonly --tx-first --rxq=2 --txq=2 \
            --txflows=16 --duration=0.5
        check 'p[0]["rx_packets"] == 64 and p[1]["rx_packets"] == 64' "64 received per port"
    fi
    ;;
mac)
    # mac= sets the kernel interface's address (mac=fixed: DPDK's 00:64:74:61:70:<n>); without
    # iface= the kernel names it dtap<n>, and that interface goes with the port
    run -l 0-1 --log-level=pmd.net.tap:info --vdev net_tap0,iface=ptap0,mac=02:11:22:33:44:55 \
        --vdev net_tap1,iface=ptap1,mac=fixed --vdev net_tap2 -- --forward-mode=rxonly --duration=0.2
    for want in "ptap0 02:11:22:33:44:55" "ptap1 00:64:74:61:70:30"; do
        ip -n "$ns" link show ${want% *} | grep -q "ether ${want#* }" ||
            { ip -n "$ns" link show ${want% *}; echo "FAIL: ${want% *} does not have ${want#* }"; exit 1; }
    done
    grep -q "on tap interface dtap0" "$tmp/out" || { echo "FAIL: no default interface dtap0 in the log"; exit 1; }
    ! ip -n "$ns" link show dtap0 >/dev/null 2>&1 || { echo "FAIL: dtap0 outlived the port"; exit 1; }
    echo "ok: mac= and mac=fixed set on the interfaces, dtap%d named and removed at close"
    ;;
ping)
    # the kernel's ping to 10.9.0.2, routed out of ptap0 (10.9.0.1/24), answered by px-fwd
    # icmpecho on the tap's other side: 100 pings 10 ms apart, none lost
    fwd_need ping
    ip -n "$ns" addr add 10.9.0.1/24 dev ptap0
    fwd_ping "$ns" 10.9.0.2 "$tmp/ping" &
    fwd_timeout=30 run -l 0-1 "${a[@]}" -- --forward-mode=icmpecho --icmp-ip=0,10.9.0.2 --duration=8
    wait $! || { cat "$tmp/ping"; echo "FAIL: the kernel's ping through Pollux"; exit 1; }
    cat "$tmp/ping"
    check 'p[0]["rx_packets"] >= 100 and p[0]["tx_packets"] >= 100' "px-fwd answered (at least 100 in, 100 out)"
    ;;
dpdk_txonly|dpdk_rxonly)
    # DPDK 22.11 as the peer: dpdk-testpmd on a tap of DPDK's own net_tap (dtp0), in a kernel
    # bridge with Pollux's ptap0. txonly: every frame testpmd counted sent reached the kernel
    # at dtp0, and every frame the kernel gave ptap0 Pollux received. rxonly: Pollux sends 20000,
    # testpmd receives them all but what the kernel dropped on the way (the taps' counters)
    fwd_need dpdk-testpmd
    # dtp0 made beforehand (multi_queue, no vnet_hdr: as DPDK's net_tap attaches) and bridged
    # before testpmd sends, and its counters outlive testpmd
    ip -n "$ns" tuntap add dev dtp0 mode tap multi_queue
    ip -n "$ns" link add br0 type bridge mcast_snooping 0
    for t in ptap0 dtp0; do ip -n "$ns" link set $t master br0; done
    ip -n "$ns" link set br0 up
    kstat() { inns cat /sys/class/net/$1/statistics/$2; }
    if [ "$case" = dpdk_txonly ]; then
        fwd_start -l 0-1 "${a[@]}" -- --forward-mode=rxonly
        fwd_carrier ptap0
        testpmd_start net_tap0,iface=dtp0 --forward-mode=txonly
        sleep 1
        testpmd_stop
        sleep 1
        fwd_stop
        # Each side against the kernel's counters at its own tap. The bridge between them drops
        # frames under load without counting them on any device, so testpmd's sent and
        # Pollux's received are not compared with each other directly.
        echo "dtp0 received $(kstat dtp0 rx_packets); ptap0 sent $(kstat ptap0 tx_packets), dropped $(kstat ptap0 tx_dropped)"
        check "p[0]['rx_packets'] > 1000" "Pollux received testpmd's frames"
        check "$(kstat dtp0 rx_packets) == $tp_tx" "testpmd's $tp_tx sent = what the kernel received from it at dtp0"
        check "p[0]['rx_packets'] == $(kstat ptap0 tx_packets)" \
            "Pollux received every frame the kernel gave ptap0 (its tx_packets)"
        check "$(kstat ptap0 tx_packets) + $(kstat ptap0 tx_dropped) <= $tp_tx" "no frame out of nowhere"
    else
        testpmd_start net_tap0,iface=dtp0 --forward-mode=rxonly
        run -l 0-1 "${a[@]}" -- --forward-mode=txonly --tx-max=20000 --tx-pps=20000 --duration=3
        sleep 0.5
        testpmd_stop
        kdrop=$(($(inns cat /sys/class/net/ptap0/statistics/rx_dropped) + \
                 $(inns cat /sys/class/net/dtp0/statistics/tx_dropped)))
        echo "the kernel dropped $kdrop on the way"
        testpmd_rx_check 20000 "$kdrop"
    fi
    ;;
persist)
    # persist=1 (DPDK's persist): the interface stays after the port closes, up as DPDK leaves
    # it; without it, an interface the port made goes with it
    run -l 0-1 --vdev net_tap0,iface=pst0,persist=1 --vdev net_tap1,iface=pst1 -- \
        --forward-mode=rxonly --duration=0.2
    grep -q "UP" <<<"$(ip -n "$ns" link show pst0)" || { ip -n "$ns" link show; echo "FAIL: pst0 is not there and up after px-fwd"; exit 1; }
    ! ip -n "$ns" link show pst1 >/dev/null 2>&1 || { echo "FAIL: pst1 (no persist) outlived the port"; exit 1; }
    # attached again, then removed by hand as any persistent tap
    run -l 0-1 --vdev net_tap0,iface=pst0 -- --forward-mode=rxonly --duration=0.2
    ip -n "$ns" link del pst0
    echo "ok: persist=1 kept pst0 (up) after the port closed; pst1 without it was removed"
    ;;
remote)
    # remote=rva (DPDK's remote, with u32 filters where DPDK uses flower): the tap takes rva's MAC
    # and MTU; frames arriving on rva for that MAC are the port's (redirected), broadcast ones
    # copied to it, and, the port being promiscuous (px-fwd's default, as testpmd's), every
    # other one copied too; rva is promiscuous meanwhile; what the port sends leaves rva. The
    # filters and the qdiscs made for them are gone after px-fwd, and rva's flags are as they were.
    fwd_veth rva rvb
    ip -n "$ns" link set rva mtu 1400
    mac=$(ip netns exec "$ns" cat /sys/class/net/rva/address)
    { fwd_carrier rtap0; inns python3 - rvb "$mac" <<'PY'; } &
import socket, sys, time
iface, mac = sys.argv[1], bytes.fromhex(sys.argv[2].replace(":", ""))
time.sleep(0.3)
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((iface, 0))
for dst, n, size in ((mac, 200, 200), (b"\xff" * 6, 50, 100), (b"\x02\x00\x00\x00\x00\x09", 50, 300)):
    for i in range(n):
        s.send(dst + b"\x02\x00\x00\x00\x00\x02\x88\xb5" + bytes([i & 255]) * (size - 14))
PY
    run -l 0-1 --vdev net_tap0,iface=rtap0,remote=rva -- --forward-mode=rxonly --duration=3
    wait
    check 'p[0]["rx_packets"] == 300 and p[0]["rx_bytes"] == 200 * 200 + 50 * 100 + 50 * 300' \
        "the 200 frames to rva's MAC, the 50 broadcast ones and (promiscuous) the 50 to another MAC received"
    # TX: txonly's frames leave rva (captured on its peer rvb)
    fwd_capture rvb "$tmp/cap"
    ip -n "$ns" link show rtap0 >/dev/null 2>&1 && { echo "FAIL: rtap0 outlived the port"; exit 1; }
    run -l 0-1 --vdev net_tap0,iface=rtap0,remote=rva -- --forward-mode=txonly --tx-max=300 --txpkts=300 \
        --duration=1
    fwd_capture_stop
    got=$(grep -c "^020000000000${mac//:/}0800" "$tmp/cap" || true)
    [ "$got" = 300 ] || { echo "FAIL: rvb got $got of the port's 300 frames from rva"; exit 1; }
    echo "ok: the port's 300 frames (its source MAC rva's) left rva"
    run -l 0-1 --vdev net_tap0,iface=rtap0,remote=rva -- --forward-mode=rxonly --duration=5 &
    for i in $(seq 50); do grep -q UP <<<"$(ip -n "$ns" link show rtap0 2>/dev/null)" && break; sleep 0.1; done
    grep -q "mtu 1400 .*ether $mac" <<<"$(ip -n "$ns" -o link show rtap0)" ||
        { ip -n "$ns" link show rtap0; echo "FAIL: rtap0 has not rva's MTU 1400 and MAC $mac"; exit 1; }
    # (grep of a saved output: grep -q ending a pipe early fails it under pipefail)
    promisc() {
        local l f
        l=$(ip -n "$ns" link show rva) && f=$(ip netns exec "$ns" tc filter show dev rva ingress) &&
            grep -q PROMISC <<<"$l" && grep -q "pref 49155" <<<"$f"
    }
    for _ in $(seq 50); do promisc && break; sleep 0.1; done # px-fwd turns it on after start
    promisc ||
        { ip -n "$ns" link show rva; ip netns exec "$ns" tc filter show dev rva ingress; echo "FAIL: rva not promiscuous, or no filter copying every frame"; exit 1; }
    wait
    echo "ok: rtap0 took rva's MAC $mac and MTU 1400; rva promiscuous with a filter copying every frame to it"
    grep -q ingress <<<"$(ip netns exec "$ns" tc qdisc show dev rva)" &&
        { echo "FAIL: rva's ingress qdisc outlived the port"; exit 1; }
    l=$(ip -n "$ns" link show rva)
    grep -q "UP" <<<"$l" && ! grep -q PROMISC <<<"$l" ||
        { ip -n "$ns" link show rva; echo "FAIL: rva's flags are not as before (up, not promiscuous)"; exit 1; }
    echo "ok: rva's tc state and flags as before"
    ;;
bad_devargs)
    for args in "iface=a_name_of_16_chars" "iface=lo" "mac=zz:00:00:00:00:01" "mac=01:00:00:00:00:01" \
                "mac=02:00:00:00:00" "iface=ptap0,bogus=1" "iface=ptap0,remote=nosuchif0" \
                "iface=ptap0,persist=2" "iface=ptap0,persist"; do
        key=${args##*,}
        fwd_refused net_tap0 "$args" "${key%%=*}"
    done
    ;;
*) echo "tap.sh: unknown case $case"; exit 2 ;;
esac

#!/usr/bin/env bash
# tests/fwd/af_packet.sh PX_FWD CASE: net_af_packet on a veth pair (va <-> vb) in a network
# namespace made for the test, with the kernel's raw sockets (python3) as the peer where the
# content is checked, the kernel's ping (ping), and DPDK 22.11's dpdk-testpmd (dpdk_*). Needs
# root and iproute2 (`ip`), and for its cases ping or dpdk-testpmd: exits 77 saying so otherwise.
set -euo pipefail
fwd=$1 case=$2
source "$(dirname "$0")/lib.sh"
fwd_need_root "network namespaces, packet sockets"
fwd_need ip python3
fwd_tmp
fwd_netns pxafp
fwd_veth va vb
a=(--vdev net_af_packet0,iface=va)
b=(--vdev net_af_packet1,iface=vb)
# the *_v2 cases: the same with TPACKET_V2 rings (tpacket_version=2)
if [[ $case == *_v2 ]]; then
    case=${case%_v2}
    a=(--vdev net_af_packet0,iface=va,tpacket_version=2)
    b=(--vdev net_af_packet1,iface=vb,tpacket_version=2)
fi

case $case in
tx_to_kernel)
    # Pollux sends 1000 frames of 1514 bytes on va; a raw socket on vb gets them all, and
    # each is the frame a raw socket on va saw leave
    fwd_capture va "$tmp/va" all
    fwd_capture vb "$tmp/vb"
    run -l 0-1 "${a[@]}" -- --forward-mode=txonly --tx-max=1000 --txpkts=1514 --tx-pps=20000 --duration=1
    fwd_capture_stop
    check 'p[0]["tx_packets"] == 1000' "1000 sent"
    python3 - "$tmp/va" "$tmp/vb" <<'PY'
import sys
va = sorted(l for l in open(sys.argv[1]).read().split() if l)
vb = sorted(l for l in open(sys.argv[2]).read().split() if l)
if len(vb) != 1000 or va != vb or any(len(f) != 2 * 1514 for f in vb):
    print("FAIL: vb received %d frames (want 1000 of 1514 bytes), identical to va's: %s"
          % (len(vb), va == vb))
    sys.exit(1)
print("ok: 1000 frames of 1514 bytes arrived on vb byte for byte")
PY
    ;;
rx_from_kernel)
    # a raw socket on vb sends 500 frames of 60..1514 bytes, once Pollux's packet socket is
    # bound to va (/proc/net/packet); Pollux receives every one on va
    { fwd_bound va; fwd_send vb 500; } &
    run -l 0-1 "${a[@]}" -- --forward-mode=rxonly --duration=2.5
    wait
    check 'p[0]["rx_packets"] == 500' "500 received"
    check 'p[0]["rx_bytes"] == sum(60 + i * (1514 - 60) // 499 for i in range(500))' "every byte counted"
    ;;
rx_cut)
    # (as rx_cut_v2) TPACKET_V2 slots of framesz=1536 hold frames of up to 1536 - 76 = 1460 bytes: the kernel
    # cuts longer ones short (tp_snaplen < tp_len); Pollux drops those into ierrors, never hands
    # a cut frame over. Of the 500 frames of 60..1514 bytes, exactly those over 1460 are errors
    { fwd_bound va; fwd_send vb 500; } &
    run -l 0-1 "${a[0]}" "${a[1]},framesz=1536" -- \
        --forward-mode=rxonly --duration=2.5
    wait
    check 'p[0]["rx_packets"] == sum(60 + i * 1454 // 499 <= 1460 for i in range(500))' "every frame that fits received"
    check 'p[0]["rx_errors"] == sum(60 + i * 1454 // 499 > 1460 for i in range(500))' "every longer one in ierrors"
    ;;
rxonly_check)
    fwd_rxonly_check "${a[@]}" "${b[@]}"
    ;;
io)
    fwd_io_round "${a[@]}" "${b[@]}"
    ;;
io_2q)
    # two queue pairs per port in one fanout group: every frame of 16 flows is received once
    # (the hash moves frames between streams, so no --check of per-stream sequences)
    # and the hash really spreads them: each port's two queues both receive (their xstats)
    run -l 0-1 --log-level=ethdev:debug --vdev net_af_packet0,iface=va,qpairs=2 \
        --vdev net_af_packet1,iface=vb,qpairs=2 -- \
        --forward-mode=rxonly --tx-first --rxq=2 --txq=2 --txflows=16 --duration=0.5
    check 'p[0]["rx_packets"] == 64 and p[1]["rx_packets"] == 64' "64 received per port"
    for p in 0 1; do
        q0=$(fwd_xstat $p rx_q0_packets) q1=$(fwd_xstat $p rx_q1_packets)
        [ "$q0" -gt 0 ] && [ "$q1" -gt 0 ] && [ $((q0 + q1)) -eq 64 ] ||
            { echo "FAIL: port $p: queue 0 received $q0, queue 1 $q1: want both > 0, 64 in all"; exit 1; }
        echo "ok: port $p: the fanout spread 16 flows over both queues ($q0 + $q1)"
    done
    ;;
ping)
    # the kernel's ping, from a second namespace that holds vb and routes 10.9.0.0/24 out of it,
    # answered by px-fwd icmpecho on va for 10.9.0.2: 100 pings 10 ms apart, none lost (the
    # round trip times are printed, not checked: docs/af_packet.md compares V3 and V2)
    fwd_need ping
    ns2=${ns}k
    ip netns add "$ns2"
    trap 'ip netns del "$ns2" 2>/dev/null; fwd_cleanup' EXIT
    ip -n "$ns" link set vb netns "$ns2"
    ip -n "$ns2" addr add 10.9.0.1/24 dev vb
    ip -n "$ns2" link set vb up
    fwd_ping "$ns2" 10.9.0.2 "$tmp/ping" &
    fwd_timeout=30 run -l 0-1 "${a[@]}" -- --forward-mode=icmpecho --icmp-ip=0,10.9.0.2 --duration=8
    wait $! || { cat "$tmp/ping"; echo "FAIL: the kernel's ping through Pollux"; exit 1; }
    cat "$tmp/ping"
    check 'p[0]["rx_packets"] >= 100 and p[0]["tx_packets"] >= 100' "px-fwd answered (at least 100 in, 100 out)"
    ;;
dpdk_txonly)
    # DPDK 22.11 as the peer: dpdk-testpmd txonly on va (DPDK's net_af_packet), Pollux rxonly on
    # vb. Every frame testpmd reports sent is received by Pollux, counted in its imissed (its ring
    # was full), or dropped by the kernel on the way (va's tx_dropped): nothing unaccounted for
    fwd_need dpdk-testpmd
    fwd_start -l 0-1 --vdev net_af_packet0,iface=vb -- --forward-mode=rxonly
    fwd_bound vb
    testpmd_start net_af_packet0,iface=va --forward-mode=txonly
    sleep 1
    testpmd_stop
    sleep 0.5
    fwd_stop
    kdrop=$(inns cat /sys/class/net/va/statistics/tx_dropped)
    echo "the kernel dropped $kdrop on va"
    check "p[0]['rx_packets'] > 1000" "Pollux received testpmd's frames"
    check "p[0]['rx_packets'] + p[0]['rx_missed'] + $kdrop == $tp_tx" \
        "testpmd's $tp_tx sent = Pollux's received + missed + the kernel's drops"
    ;;
dpdk_rxonly)
    # the reverse: Pollux txonly sends 20000 frames on vb, dpdk-testpmd rxonly counts them on va;
    # its received + imissed + what the kernel dropped on the way is exactly 20000. DPDK 22.11's
    # net_af_packet does not count what its ring dropped (imissed stays 0): a ring of 4096 frames
    # and 20000 frames/s leave it 200 ms to come round
    testpmd_start net_af_packet0,iface=va,framecnt=4096 --forward-mode=rxonly
    run -l 0-1 --vdev net_af_packet0,iface=vb -- --forward-mode=txonly --tx-max=20000 --tx-pps=20000 --duration=2
    sleep 0.5
    testpmd_stop
    kdrop=$(inns cat /sys/class/net/vb/statistics/tx_dropped)
    echo "the kernel dropped $kdrop on vb"
    testpmd_rx_check 20000 "$kdrop"
    ;;
tx_backlog)
    fwd_tx_backlog net_af_packet1,iface=vb
    ;;
bad_devargs)
    for args in "" "iface=nosuchif0" "iface=va,qpairs=0" "iface=va,qpairs=17" "iface=va,blocksz=1000" \
                "iface=va,framesz=100" "iface=va,framecnt=3" "iface=va,qdisc_bypass=2" \
                "iface=va,tpacket_version=1" "iface=va,tpacket_version=2,framesz=112" "iface=va,bogus=1"; do
        key=${args##*,}; key=${key%%=*}
        fwd_refused net_af_packet0 "$args" "${key:-iface}"
    done
    ;;
*) echo "af_packet.sh: unknown case $case"; exit 2 ;;
esac

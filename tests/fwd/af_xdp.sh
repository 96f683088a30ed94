#!/usr/bin/env bash
# tests/fwd/af_xdp.sh PX_FWD CASE [CTL]: net_af_xdp on a veth pair (va <-> vb) in a network namespace
# made for the test, with the kernel's raw sockets (python3), its ping, and DPDK 22.11's
# dpdk-testpmd as the peers. A veth has no zero-copy: every case runs in copy mode (native XDP
# on the veth). Needs root, iproute2 and AF_XDP in the kernel: exits 77 saying so otherwise.
set -euo pipefail
fwd=$1 case=$2 ctl=${3:-}
source "$(dirname "$0")/lib.sh"
fwd_need_root "network namespaces, XDP programs, AF_XDP sockets"
fwd_need ip python3
fwd_tmp
fwd_netns pxaxdp
queues=1
case $case in io_2q | spread_2q) queues=2 ;; esac
fwd_veth va vb $queues
a=(--vdev net_af_xdp0,iface=va)
b=(--vdev net_af_xdp1,iface=vb)
inns python3 -c 'import socket; socket.socket(44, socket.SOCK_RAW, 0)' 2>"$tmp/err" ||
    { echo "SKIP: no AF_XDP sockets here: $(tail -1 "$tmp/err")"; exit 77; }

# wait_xdp IFACE: until an XDP program is on IFACE (a px-fwd port is up), 30 s at most
wait_xdp() {
    for _ in $(seq 300); do
        inns ip link show "$1" | grep -q "prog/xdp" && { sleep 0.2; return 0; }
        sleep 0.1
    done
    echo "FAIL: no XDP program on $1 after 30 s"; exit 1
}

# run_send PX-FWD-ARGS...: px-fwd in the background; once its port is up on va, a raw socket on vb
# sends 500 frames 0.5 ms apart (fwd_send, to $tmp/sent); 0.5 s later px-fwd is stopped (fwd_stop)
run_send() {
    fwd_start "$@"
    wait_xdp va
    fwd_send vb 500 "$tmp/sent" 0.0005
    sleep 0.5
    fwd_stop
}

# DPDK's busy_budget (64 by default) stalls its TX on a veth: off (testpmd_start in lib.sh)
tp_vdev=busy_budget=0

case $case in
tx_to_kernel)
    # Pollux sends 1000 frames of 1514 bytes on va; a raw socket on vb gets every one
    fwd_capture vb "$tmp/vb"
    run -l 0-1 "${a[@]}" -- --forward-mode=txonly --tx-max=1000 --txpkts=1514 --tx-pps=20000 --duration=1
    fwd_capture_stop
    check 'p[0]["tx_packets"] == 1000 and p[0]["tx_bytes"] == 1514000' "1000 frames of 1514 bytes sent"
    python3 - "$tmp/vb" <<'PY'
import sys
vb = [l for l in open(sys.argv[1]).read().split() if l]
if len(vb) != 1000 or any(len(f) != 2 * 1514 for f in vb):
    print("FAIL: vb received %d frames, want 1000 of 1514 bytes" % len(vb))
    sys.exit(1)
print("ok: 1000 frames of 1514 bytes arrived on vb")
PY
    ;;
rx_from_kernel)
    # a raw socket on vb sends 500 frames of 60..1514 bytes; Pollux receives every one on va
    run_send -l 0-1 "${a[@]}" -- --forward-mode=rxonly
    check 'p[0]["rx_packets"] == 500' "500 received"
    check 'p[0]["rx_bytes"] == sum(60 + i * (1514 - 60) // 499 for i in range(500))' "every byte counted"
    check 'p[0]["rx_missed"] == 0' "nothing dropped by the kernel"
    ;;
modes)
    # zero-copy is asked for first and copy mode taken when refused: a veth has no AF_XDP
    # zero-copy (its xdp-features lack xsk-zerocopy), so the kernel refuses it with EOPNOTSUPP
    # and the log says so; the port receives all 500 frames in copy mode. With force_copy=1 no
    # zero-copy is asked for: the log says copy mode forced, and nothing was refused
    run_send -l 0-1 --log-level=pmd.net.af_xdp:info "${a[@]}" -- --forward-mode=rxonly
    grep -q "va queue 0: copy mode, native XDP, .*; zero-copy refused by the kernel: Operation not supported" "$tmp/out" ||
        { echo "FAIL: the log does not say zero-copy was refused and copy mode taken"; exit 1; }
    echo "ok: $(grep -o "va queue 0: copy mode.*" "$tmp/out")"
    check 'p[0]["rx_packets"] == 500' "500 received in copy mode"
    run_send -l 0-1 --log-level=pmd.net.af_xdp:info --vdev net_af_xdp0,iface=va,force_copy=1 -- \
        --forward-mode=rxonly
    grep -q "copy mode forced" "$tmp/out" && grep -q "va queue 0: copy mode, native XDP" "$tmp/out" &&
        ! grep -q "zero-copy refused" "$tmp/out" ||
        { echo "FAIL: force_copy=1: the log does not say copy mode forced, or zero-copy was tried"; exit 1; }
    echo "ok: force_copy=1: copy mode without a zero-copy try"
    check 'p[0]["rx_packets"] == 500' "500 received with force_copy=1"
    ;;
echo)
    # a raw socket on vb sends 500 frames of 60..1514 bytes; px-fwd (io, one port: it sends
    # back where it receives) returns each through va; vb gets them back byte for byte
    fwd_capture vb "$tmp/back"
    run_send -l 0-1 "${a[@]}" -- --forward-mode=io
    fwd_capture_stop
    check 'p[0]["rx_packets"] == 500 and p[0]["tx_packets"] == 500' "500 received and sent back"
    python3 - "$tmp/sent" "$tmp/back" <<'PY'
import sys
sent = [l for l in open(sys.argv[1]).read().split() if l]
back = [l for l in open(sys.argv[2]).read().split() if l]
if len(sent) != 500 or back != sent:
    print("FAIL: %d sent, %d back, identical and in order: %s" % (len(sent), len(back), back == sent))
    sys.exit(1)
print("ok: 500 frames of 60..1514 bytes went through Pollux and back byte for byte, in order")
PY
    ;;
rxonly_check)
    fwd_rxonly_check "${a[@]}" "${b[@]}"
    ;;
io)
    fwd_io_round "${a[@]}" "${b[@]}"
    ;;
io_2q)
    # two queue pairs per port, one XDP socket each: 16 flows from vb's two TX queues arrive on
    # va's two RX queues (a veth hands a frame to the peer's RX queue of its TX queue's number)
    run -l 0-1 --log-level=pmd.net.af_xdp:info --vdev net_af_xdp0,iface=va,queue_count=2 \
        --vdev net_af_xdp1,iface=vb,queue_count=2 -- \
        --forward-mode=rxonly --tx-first --rxq=2 --txq=2 --txflows=16 --duration=0.5
    check 'p[0]["rx_packets"] == 64 and p[1]["rx_packets"] == 64' "64 received per port"
    for q in 0 1; do
        grep -q "net_af_xdp0: va queue $q: rx 32 " "$tmp/out" ||
            { echo "FAIL: va queue $q did not receive 32 frames"; exit 1; }
    done
    echo "ok: 32 frames on each of va's queues"
    ;;
spread_2q)
    # the kernel spreads flows: a raw socket on vb sends 400 UDP frames of 16 flows (source
    # ports); vb's TX queue is picked by the flow hash, and a veth hands each to va's RX queue of
    # that number: both of Pollux's queues on va receive some, together all 400
    fwd_start -l 0-1 --log-level=pmd.net.af_xdp:info --vdev net_af_xdp0,iface=va,queue_count=2 -- \
        --forward-mode=rxonly --rxq=2 --txq=2
    wait_xdp va
    inns python3 - <<'PY'
import socket, struct
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("vb", 0))
for i in range(400):
    udp = struct.pack("!HHHH", 1024 + i % 16, 9, 8 + 18, 0) + bytes(18)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i, 0, 64, 17, 0,
                     bytes([10, 99, 0, 1]), bytes([10, 99, 0, 2]))
    s.send(b"\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00" + ip + udp)
PY
    sleep 0.5
    fwd_stop
    check 'p[0]["rx_packets"] == 400' "all 400 received"
    python3 - "$tmp/out" <<'PY'
import re, sys
q = {int(a): int(b) for a, b in re.findall(r"net_af_xdp0: va queue (\d): rx (\d+) ", open(sys.argv[1]).read())}
if sorted(q) != [0, 1] or min(q.values()) == 0 or sum(q.values()) != 400:
    print("FAIL: per queue", q)
    sys.exit(1)
print("ok: the flows were spread: queue 0 got %d, queue 1 got %d" % (q[0], q[1]))
PY
    ;;
icmpecho)
    # the kernel's ping from vb (10.99.0.1) to 10.99.0.2, answered by px-fwd on va: ARP and
    # ICMP through AF_XDP
    fwd_need ping
    ip -n "$ns" addr add 10.99.0.1/24 dev vb
    fwd_start -l 0-1 "${a[@]}" -- --forward-mode=icmpecho --icmp-ip=0,10.99.0.2
    wait_xdp va
    rc=0
    inns ping -c 100 -i 0.01 -W 1 10.99.0.2 >"$tmp/ping" 2>&1 || rc=$?
    fwd_stop
    tail -3 "$tmp/ping"
    [ $rc -eq 0 ] && grep -q " 0% packet loss" "$tmp/ping" ||
        { echo "FAIL: ping through px-fwd lost replies"; exit 1; }
    check 'p[0]["rx_packets"] >= 100 and p[0]["tx_packets"] >= 100' "100 echo requests answered"
    echo "ok: 100 pings, 0% loss, answered by Pollux"
    ;;
testpmd_tx)
    # DPDK's testpmd sends (txonly) on vb for 1 s; Pollux counts on va: every frame testpmd
    # says it sent was received or counted as missed (XDP_STATISTICS), none lost unaccounted
    fwd_start -l 0 "${a[@]}" -- --forward-mode=rxonly
    wait_xdp va
    testpmd_start "net_af_xdp0,iface=vb,$tp_vdev" --forward-mode=txonly
    sleep 1
    testpmd_stop
    sleep 0.5
    fwd_stop
    sent=$tp_tx
    echo "testpmd sent $sent"
    check "$sent > 1000 and p[0]['rx_packets'] + p[0]['rx_missed'] == $sent" \
        "Pollux received + missed == the $sent frames testpmd sent"
    ;;
testpmd_rx)
    # Pollux sends 20000 frames (txonly) on va at 20 kpps; DPDK's testpmd counts them on vb
    testpmd_start "net_af_xdp1,iface=vb,$tp_vdev" --forward-mode=rxonly
    run -l 0-1 "${a[@]}" -- --forward-mode=txonly --tx-max=20000 --tx-pps=20000 --duration=2
    sleep 0.5
    testpmd_stop
    got=$tp_rx
    # on a loaded machine testpmd may not keep up: what it missed the kernel counts, as vb's
    # RX drops (its XDP redirect found testpmd's ring full) or va's TX drops (vb's queue full)
    lost=$(inns ip -s -j link show vb | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["dropped"])')
    lost=$((lost + $(inns ip -s -j link show va | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["tx"]["dropped"])')))
    echo "testpmd received $got, the kernel dropped $lost"
    check "p[0]['tx_packets'] == 20000 and $got + $lost == 20000 and $got >= 10000" \
        "testpmd received the 20000 frames Pollux sent, but for those the kernel counted as dropped"
    ;;
xdp_prog)
    # xdp_prog=: libxdp's own XSK program loaded as the user's (it redirects to xsks_map by RX
    # queue); 500 frames from the kernel arrive, and the program is gone after px-fwd
    prog=$(ls /usr/lib/*/bpf/xsk_def_xdp_prog.o 2>/dev/null | head -1)
    [ -n "$prog" ] || { echo "SKIP: no xsk_def_xdp_prog.o (libxdp1) to load as xdp_prog"; exit 77; }
    run_send -l 0-1 --log-level=pmd.net.af_xdp:info --vdev "net_af_xdp0,iface=va,xdp_prog=$prog" -- \
        --forward-mode=rxonly
    grep -q "va queue 0: copy mode, native XDP (xdp_prog)" "$tmp/out" ||
        { echo "FAIL: the log does not say the socket runs under xdp_prog"; exit 1; }
    check 'p[0]["rx_packets"] == 500' "500 received through the user's program"
    ;;
bad_prog)
    # a program the verifier refuses (it reads the packet unchecked): px-fwd fails at start
    # with one line naming xdp_prog and the verifier, and leaves nothing attached
    fwd_need clang
    cat >"$tmp/bad.c" <<'C'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
} xsks_map SEC(".maps");
SEC("xdp")
int bad(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	return data[100] == 7 ? XDP_DROP : bpf_redirect_map(&xsks_map, ctx->rx_queue_index, XDP_PASS);
}
char _license[] SEC("license") = "GPL";
C
    clang -O2 -g -target bpf -I"/usr/include/$(gcc -print-multiarch 2>/dev/null)" -c "$tmp/bad.c" \
        -o "$tmp/bad.o" 2>"$tmp/err" || { echo "SKIP: clang cannot build a BPF object: $(tail -1 "$tmp/err")"; exit 77; }
    rc=0
    inns "$fwd" -l 0 --no-huge -m 64 --vdev "net_af_xdp0,iface=va,xdp_prog=$tmp/bad.o" -- --duration=0.1 >"$tmp/out" 2>&1 || rc=$?
    grep "xdp_prog" "$tmp/out" | head -1
    [ $rc -ne 0 ] && grep -q "xdp_prog=.*refused the program.*verifier" "$tmp/out" ||
        { cat "$tmp/out"; echo "FAIL: exit $rc, or no line naming xdp_prog and the verifier"; exit 1; }
    echo "ok: the refused program is reported in one line"
    ;;
pool_too_small)
    # a pool too small for the fill ring: the start fails with one line naming the fix, and
    # takes back what it did (no program on va, every mbuf back in the pool)
    rc=0
    inns "$fwd" -l 0-1 --no-huge -m 64 "${a[@]}" -- --total-num-mbufs=500 --duration=0.1 >"$tmp/out" 2>&1 || rc=$?
    grep "net_af_xdp0" "$tmp/out" | head -1
    [ $rc -ne 0 ] && grep -q "fewer than 1024 free mbufs for the fill ring: make the pool larger" "$tmp/out" &&
        grep -q "all 500 back in pool" "$tmp/out" ||
        { cat "$tmp/out"; echo "FAIL: exit $rc, no line naming the pool, or mbufs not back"; exit 1; }
    echo "ok: refused at start, every mbuf back"
    ;;
queue_busy)
    # a second px-fwd on the queue a first one holds: refused (EBUSY) with the fix named, and
    # the first keeps receiving: 500 frames from the kernel, its program still there after
    fwd_start -l 0 "${a[@]}" -- --forward-mode=rxonly
    wait_xdp va
    rc=0
    inns "$fwd" -l 1 --no-huge -m 64 --file-prefix=second "${a[@]}" -- --duration=0.1 >"$tmp/out2" 2>&1 || rc=$?
    grep "net_af_xdp0" "$tmp/out2" | head -1
    [ $rc -ne 0 ] && grep -q "Device or resource busy (another XDP socket" "$tmp/out2" ||
        { cat "$tmp/out2"; echo "FAIL: exit $rc, or no line saying the queue is busy"; exit 1; }
    inns ip link show va | grep -q "prog/xdp" ||
        { echo "FAIL: the refused second port took the first one's XDP program away"; exit 1; }
    fwd_send vb 500 /dev/null 0.0005
    sleep 0.5
    fwd_stop
    check 'p[0]["rx_packets"] == 500' "the first px-fwd received all 500 frames"
    ;;
ctl)
    # the ethdev API on va (test_af_xdp_ctl.c): control, stats, xstats, no leak in 3 rounds
    [ -n "$ctl" ] || { echo "af_xdp.sh: case ctl needs the test program"; exit 2; }
    inns timeout 60 "$ctl" -l 0 --no-huge -m 128 ||
        { echo "FAIL: test_af_xdp_ctl"; exit 1; }
    # the same under a program of the user's (libxdp's own, loaded as xdp_prog=)
    prog=$(ls /usr/lib/*/bpf/xsk_def_xdp_prog.o 2>/dev/null | head -1)
    if [ -n "$prog" ]; then
        inns timeout 60 "$ctl" -l 0 --no-huge -m 128 -- "xdp_prog=$prog" ||
            { echo "FAIL: test_af_xdp_ctl with xdp_prog=$prog"; exit 1; }
    fi
    ;;
tx_backlog)
    fwd_tx_backlog net_af_xdp1,iface=vb
    ;;
bad_devargs)
    echo "not an ELF file" >"$tmp/notbpf.o"
    for args in "" "iface=nosuchif0" "iface=va,queue_count=0" "iface=va,queue_count=2" \
                "iface=va,start_queue=1" "iface=va,force_copy=2" "iface=va,busy_budget=x" \
                "iface=va,xdp_prog=/nonexistent.o" "iface=va,xdp_prog=$tmp/notbpf.o" \
                "iface=va,xdp_prog=$(ls /usr/lib/*/bpf/xdpfilt_alw_all.o 2>/dev/null | head -1)" \
                "iface=va,shared_umem=1" "iface=va,use_cni=1" "iface=va,bogus=1"; do
        key=${args##*,}; key=${key%%=*}
        fwd_refused net_af_xdp0 "$args" "${key:-iface}"
    done
    # nothing left attached: the failed probes loaded no program
    if inns ip link show va | grep -q xdp; then echo "FAIL: an XDP program is left on va"; exit 1; fi
    echo "ok: bad devargs refused with a message naming the key, no XDP program left"
    ;;
*) echo "af_xdp.sh: unknown case $case"; exit 2 ;;
esac
# every case: nothing of Pollux's stays on the interfaces after px-fwd exits
for i in va vb; do
    if inns ip link show "$i" | grep -q "prog/xdp"; then
        echo "FAIL: an XDP program is still attached to $i after px-fwd exited"; inns ip link show "$i"; exit 1
    fi
done

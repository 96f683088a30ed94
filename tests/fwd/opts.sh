#!/usr/bin/env bash
# tests/fwd/opts.sh PX_FWD CASE: px-fwd's testpmd options and engines (docs/fwd.md) on software
# ports. Each option's effect is seen in --stats-json or in px-fwd's output; a value or a port
# that cannot do what is asked is refused with exit 2 and a message naming the option, the port
# and the capability. The engines' frames are checked byte by byte through net_pcap files.
set -euo pipefail
fwd=$1 case=$2
source "$(dirname "$0")/lib.sh"
fwd_need python3
fwd_tmp
pair=(--vdev net_ring0 --vdev net_ring1,peer=net_ring0)

# refused 'ARGS' 'PATTERN'...: px-fwd exits 2, and its output holds every PATTERN
refused() {
    local args=$1 rc=0
    shift
    # shellcheck disable=SC2086 # ARGS is a list of options
    timeout 60 "$fwd" --no-huge -m 256 -l 0 $args --duration=0.2 --stats-period=0 >"$tmp/out" 2>&1 || rc=$?
    [ $rc -eq 2 ] || { cat "$tmp/out"; echo "FAIL: '$args': exit $rc, want 2"; exit 1; }
    for pat in "$@"; do
        grep -q -- "$pat" "$tmp/out" || { cat "$tmp/out"; echo "FAIL: '$args': no '$pat' in the message"; exit 1; }
    done
    echo "ok: refused: $args: $(grep px-fwd: "$tmp/out" | tail -1)"
}

# frames.py MODE IN.pcap: write frames for the csum and 5tswap cases (python3, no modules)
frames() {
    python3 - "$@" <<'PY'
import struct, sys
path = sys.argv[1]
def cks(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return s
def ip4(proto, l4, src=b"\x0a\x00\x00\x01", dst=b"\x0a\x00\x00\x02", bad=False):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), 1, 0, 64, proto, 0, src, dst)
    c = 0xffff - cks(h)
    return h[:10] + struct.pack("!H", c ^ (0x0f if bad else 0)) + h[12:]
def l4(proto, src, dst, body, phdr, bad=False, zero=False):
    if proto == 17:
        h = struct.pack("!HHHH", 9000 + src, dst, 8 + len(body), 0)
    else:
        h = struct.pack("!HHIIBBHHH", 9000 + src, dst, 1, 0, 0x50, 0x18, 1024, 0, 0)
    seg = h + body
    c = 0 if zero else (0xffff - cks(phdr + seg)) or 0xffff
    if bad: c ^= 0x100
    off = 6 if proto == 17 else 16
    return seg[:off] + struct.pack("!H", c) + seg[off + 2:]
eth = lambda t: bytes.fromhex("02aabbccddee02112233445500") [:12] + struct.pack("!H", t)
out = []
def v4(proto, i, bad_ip=False, bad_l4=False, zero=False, vlan=False):
    body = bytes(range(i, i + 37))
    ph = lambda n: b"\x0a\x00\x00\x01\x0a\x00\x00\x02" + struct.pack("!BBH", 0, proto, n)
    seg = l4(proto, i, 53, body, ph(len(body) + (8 if proto == 17 else 20)), bad_l4, zero)
    e = eth(0x8100)[:12] + struct.pack("!HHH", 0x8100, 7, 0x0800) if vlan else eth(0x0800)
    out.append(e + ip4(proto, seg, bad=bad_ip) + seg)
def v6(i, bad_l4=False):
    body = bytes(range(i, i + 20))
    src, dst = bytes(15) + b"\x01", bytes(15) + b"\x02"
    ph = src + dst + struct.pack("!IxxxB", 8 + len(body), 17)
    seg = l4(17, i, 53, body, ph, bad_l4)
    out.append(eth(0x86dd) + struct.pack("!IHBB", 0x60000000, len(seg), 17, 64) + src + dst + seg)
v4(17, 0)                      # good UDP
v4(6, 1)                       # good TCP
v4(17, 2, bad_ip=True)         # bad IP header checksum
v4(17, 3, bad_l4=True)         # bad UDP checksum
v4(6, 4, bad_l4=True)          # bad TCP checksum
v4(17, 5, zero=True)           # UDP without checksum (0: allowed over IPv4)
v4(17, 6, vlan=True)           # good, behind an 802.1Q tag
v6(7)                          # good UDP over IPv6
v6(8, bad_l4=True)             # bad UDP over IPv6
out.append(eth(0x0806) + bytes(range(28)) + bytes(18))  # ARP: not IP
f = open(path, "wb")
f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
for p in out:
    f.write(struct.pack("<IIII", 1, 0, len(p), len(p)) + p)
PY
}

# readcheck MODE IN OUT: the frames px-fwd wrote, checked against what was sent
readcheck() {
    python3 - "$@" <<'PY'
import struct, sys
mode, src, dst = sys.argv[1:4]
def frames(path):
    b = open(path, "rb").read(); off = 24; r = []
    while off < len(b):
        incl = struct.unpack("<IIII", b[off:off + 16])[2]
        r.append(b[off + 16:off + 16 + incl]); off += 16 + incl
    return r
def cks(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return s
def hdrs(f):
    l2 = 18 if f[12:14] == b"\x81\x00" else 14
    t = f[l2 - 2:l2]
    if t == b"\x08\x00":
        l3 = (f[l2] & 15) * 4
        return l2, 4, l3, f[l2 + 9], f[l2 + 12:l2 + 20]
    if t == b"\x86\xdd":
        return l2, 6, 40, f[l2 + 6], f[l2 + 8:l2 + 40]
    return l2, 0, 0, 0, b""
def l4_ok(f):
    l2, v, l3, proto, addrs = hdrs(f)
    seg = f[l2 + l3:]
    if v == 4:
        ph = addrs + struct.pack("!BBH", 0, proto, len(seg))
        if proto == 17 and seg[6:8] == b"\0\0": return True
    else:
        ph = addrs + struct.pack("!IxxxB", len(seg), proto)
    return cks(ph + seg) == 0xffff
a, b = frames(src), frames(dst)
def fail(m):
    print("FAIL:", m); sys.exit(1)
if len(a) != len(b): fail("%d frames out, %d in" % (len(b), len(a)))
for i, (x, y) in enumerate(zip(a, b)):
    if len(x) != len(y): fail("frame %d: length %d, sent %d" % (i, len(y), len(x)))
    l2, v, l3, proto, _ = hdrs(x)
    if mode == "csum":
        # MACs as mac mode: the port's own address, then the peer 02:00:00:00:00:00
        if y[:6] != bytes.fromhex("020000000000"): fail("frame %d: destination %s" % (i, y[:6].hex()))
        if y[6:12] != bytes.fromhex("027063617000"): fail("frame %d: source %s" % (i, y[6:12].hex()))
        if v == 4 and cks(y[l2:l2 + l3]) != 0xffff: fail("frame %d: IPv4 checksum not right" % i)
        if v and proto in (6, 17) and not l4_ok(y): fail("frame %d: L4 checksum not right" % i)
        if v == 4 and proto == 17 and y[l2 + l3 + 6:l2 + l3 + 8] == b"\0\0": fail("frame %d: UDP checksum left 0" % i)
        # everything else as sent: the checksum fields are the only other bytes that change
        keep = [(12, l2 + 10), (l2 + 12, l2 + l3 + (6 if proto == 17 else 16)), (l2 + l3 + (8 if proto == 17 else 18), len(x))] if v == 4 else \
               [(12, l2 + l3 + 6), (l2 + l3 + 8, len(x))] if v == 6 else [(12, len(x))]
        for s, e in keep:
            if x[s:e] != y[s:e]: fail("frame %d: bytes %d-%d changed" % (i, s, e))
    else:  # 5tswap: MACs, addresses and ports swapped, nothing else changed; checksums still right
        w = bytearray(x)
        w[0:6], w[6:12] = x[6:12], x[0:6]
        if v == 4: w[l2 + 12:l2 + 16], w[l2 + 16:l2 + 20] = x[l2 + 16:l2 + 20], x[l2 + 12:l2 + 16]
        if v == 6: w[l2 + 8:l2 + 24], w[l2 + 24:l2 + 40] = x[l2 + 24:l2 + 40], x[l2 + 8:l2 + 24]
        if v and proto in (6, 17):
            o = l2 + l3
            w[o:o + 2], w[o + 2:o + 4] = x[o + 2:o + 4], x[o:o + 2]
        if bytes(w) != y: fail("frame %d: %s, want %s" % (i, y[:60].hex(), bytes(w)[:60].hex()))
        if v == 4 and cks(y[l2:l2 + l3]) != cks(x[l2:l2 + l3]): fail("frame %d: IPv4 sum changed" % i)
print("ok: %s: %d frames checked byte by byte" % (mode, len(b)))
PY
}

case $case in
jumbo)
    # 8996-byte frames (9000 with the CRC) between two net_ring ports in mbufs of 9124 bytes:
    # every one arrives intact (rxonly --check), and io keeps them going round
    run -l 0 "${pair[@]}" -- --forward-mode=rxonly --check --tx-first --txpkts=8996 \
        --max-pkt-len=9000 --mbuf-size=9124 --duration=0.3
    check 'p[0]["rx_packets"] == 32 and p[1]["rx_packets"] == 32' "32 jumbo frames received per port"
    check 'all(x["rx_bad"] == 0 for x in p)' "content and sequence of every jumbo frame right"
    run -l 0-1 "${pair[@]}" -- --forward-mode=io --tx-first --txpkts=8996 --max-pkt-len=9000 \
        --mbuf-size=9124 --duration=0.5
    check 'sum(x["tx_packets"] for x in p) - sum(x["rx_packets"] for x in p) == 64' "64 jumbo frames in flight, none lost"
    check 'min(x["rx_packets"] for x in p) > 1000 and all(x["drops"] == 0 for x in p)' "forwarded many times, no drops"
    # the frame does not fit a default mbuf: the port and the remedy are named
    refused "${pair[*]} -- --max-pkt-len=9000" "port 0 (net_ring0)" "--mbuf-size=9124 or --enable-scatter"
    # net_ring has no RX scatter offload (rx_offload_capa 0): refused naming it
    refused "${pair[*]} -- --max-pkt-len=9000 --enable-scatter" "port 0 (net_ring0)" "no RX scatter offload"
    refused "${pair[*]} -- --txpkts=9000 --max-pkt-len=9000 --mbuf-size=9200" "--txpkts=9000 is longer than --max-pkt-len=9000"
    refused "${pair[*]} -- --txpkts=3000 --mbuf-size=2176" "raise --mbuf-size to 3128"
    ;;
jumbo_ping_tap)
    # the kernel's ping with 9000-byte IP packets (DF set) out of a tap, answered by px-fwd
    # icmpecho on its other side: --max-pkt-len sets the tap's MTU, --mbuf-size holds a frame
    fwd_need_root "a network namespace and a tap interface"
    [ -c /dev/net/tun ] || { echo "SKIP: no /dev/net/tun (modprobe tun)"; exit 77; }
    fwd_need ip ping
    fwd_netns pxjumbo
    ip -n "$ns" tuntap add dev ptap0 mode tap multi_queue vnet_hdr 2>"$tmp/err" ||
        { echo "SKIP: cannot create a tap interface: $(cat "$tmp/err")"; exit 77; }
    ip -n "$ns" addr add 10.9.0.1/24 dev ptap0
    (
        for _ in $(seq 50); do # until px-fwd has the tap up and answers
            ip netns exec "$ns" ping -n -c 1 -W 1 -s 8972 -M do 10.9.0.2 >/dev/null 2>&1 && break
            sleep 0.2
        done
        ip netns exec "$ns" ping -n -q -c 20 -i 0.05 -W 1 -s 8972 -M do 10.9.0.2 >"$tmp/ping" 2>&1
    ) &
    fwd_timeout=30 run -l 0-1 --vdev net_tap0,iface=ptap0 -- --forward-mode=icmpecho --icmp-ip=0,10.9.0.2 \
        --max-pkt-len=9018 --mbuf-size=9142 --duration=8
    wait $! || true
    cat "$tmp/ping"
    grep -q "8972(9000) bytes" "$tmp/ping" && grep -q " 0% packet loss" "$tmp/ping" ||
        { echo "FAIL: 20 pings of 9000 bytes through px-fwd, none lost"; exit 1; }
    check 'p[0]["rx_packets"] >= 20 and p[0]["tx_packets"] >= 20 and p[0]["rx_bytes"] >= 20 * 9014' "px-fwd answered 9014-byte frames"
    ;;
csum_offload_tap)
    # csum with the TX checksum offloads on a tap (--tx-offloads=0x6): 50 UDP datagrams with a
    # wrong IPv4 header checksum and a wrong UDP checksum arrive on ptap1 from a raw socket;
    # csum counts them bad and sends them out of ptap0 with the offload flags, the tap has them
    # completed, and a UDP socket of the kernel on 10.9.0.1 receives all 50 (the kernel drops a
    # wrong IPv4 checksum, and a wrong UDP checksum without the offload's NEEDS_CSUM). io mode,
    # which leaves them wrong, is the control: none received.
    fwd_need_root "a network namespace and tap interfaces"
    [ -c /dev/net/tun ] || { echo "SKIP: no /dev/net/tun (modprobe tun)"; exit 77; }
    fwd_need ip
    fwd_netns pxcsum
    for t in ptap0 ptap1; do
        ip -n "$ns" tuntap add dev $t mode tap multi_queue vnet_hdr 2>"$tmp/err" ||
            { echo "SKIP: cannot create a tap interface: $(cat "$tmp/err")"; exit 77; }
    done
    ip -n "$ns" addr add 10.9.0.1/24 dev ptap0
    for mode in io csum; do
        { fwd_carrier ptap0 ptap1; inns python3 - "$tmp/got" <<'PY'; } &
import socket, struct, sys, time
end = time.time() + 20
while True:  # a fresh socket each try: one whose bind failed may stay unusable
    r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    r.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        r.bind(("10.9.0.1", 5000)); break
    except OSError:
        r.close()
        if time.time() > end: raise
        time.sleep(0.05)
time.sleep(0.5)
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("ptap1", 0))
for i in range(50):
    payload = bytes([i]) * 64
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + 8 + len(payload), i, 0, 64, 17, 0x1234,
                     bytes([10, 9, 0, 2]), bytes([10, 9, 0, 1]))
    udp = struct.pack("!HHHH", 6000, 5000, 8 + len(payload), 0xbad0)
    s.send(b"\xff" * 6 + b"\x02\x00\x00\x00\x00\x09\x08\x00" + ip + udp + payload)
r.settimeout(2)
got = 0
try:
    while True:
        d = r.recv(2048)
        got += len(d) == 64
except socket.timeout:
    pass
open(sys.argv[1], "w").write(str(got))
PY
        rx=$!
        fwd_timeout=40 run -l 0-1 --vdev net_tap0,iface=ptap0 --vdev net_tap1,iface=ptap1 -- \
            --forward-mode=$mode --tx-offloads=0x6 --eth-peer=0,ff:ff:ff:ff:ff:ff --duration=6
        wait $rx
        echo "$mode: the kernel's UDP socket received $(cat "$tmp/got") of 50"
        check 'p[1]["rx_packets"] >= 50' "$mode: the 50 datagrams arrived on ptap1"
        if [ $mode = io ]; then
            [ "$(cat "$tmp/got")" = 0 ] || { echo "FAIL: io passed wrong checksums the kernel took"; exit 1; }
        else
            check 'p[1]["rx_bad_ip_csum"] >= 50 and p[1]["rx_bad_l4_csum"] >= 50' "csum: the wrong checksums counted"
            [ "$(cat "$tmp/got")" = 50 ] || { echo "FAIL: the kernel took $(cat "$tmp/got") of 50 after csum with offloads"; exit 1; }
        fi
    done
    ;;
offloads)
    # what software ports cannot do is refused naming the port and the capability
    refused "--vdev net_null0 -- --enable-rx-cksum" "port 0 (net_null0)" "no RX checksum offload for IPv4 UDP TCP"
    refused "--vdev net_null0 -- --rss-ip --rxq=2" "port 0 (net_null0)" "--rss-ip: driver net_null cannot hash"
    refused "--vdev net_null0 -- --rss-udp --rxq=2" "--rss-udp: driver net_null cannot hash"
    refused "${pair[*]} -- --tx-offloads=0x6" "port 0 (net_ring0)" "no TX offload IPV4_CKSUM"
    refused "--vdev net_null0 -- --tx-offloads=0x20" "bit 5 (DPDK's RTE_ETH_TX_OFFLOAD_TCP_TSO) has no Pollux equivalent"
    refused "--vdev net_null0 -- --tx-offloads=0x80000000" "not DPDK 22.11 TX offloads"
    refused "--vdev net_null0 -- --tx-offloads=xyz" "expected a hexadecimal mask"
    # what they can do is taken: MULTI_SEGS and MBUF_FAST_FREE (0x18000) on net_null; one RX
    # queue and --rss-ip: nothing to spread, as testpmd
    run -l 0 --vdev net_null0 --vdev net_null1 -- --tx-offloads=0x18000 --rss-ip --duration=0.2
    check 'p[0]["rx_packets"] > 0' "net_null forwards with --tx-offloads=0x18000 --rss-ip"
    ;;
portmask)
    nulls=(--vdev net_null0 --vdev net_null1 --vdev net_null2 --vdev net_null3)
    run -l 0 "${nulls[@]}" -- --portmask=0x5 --duration=0.3
    check '[x["port"] for x in p] == [0, 2]' "only ports 0 and 2 forward"
    check 'p[0]["rx_packets"] > 0 and p[0]["rx_packets"] == p[1]["tx_packets"] + p[0]["drops"]' "port 0 sends to port 2 (paired among the chosen)"
    refused "${nulls[*]} -- --portmask=0x10" "--portmask=0x10: no port 4"
    refused "${nulls[*]} -- --portmask=0" "no port selected"
    refused "${nulls[*]} -- --portmask=z" "expected a hexadecimal mask"
    ;;
topology)
    # net_null ports of three frame sizes: the size of what a port sends names its source
    sized=(--vdev net_null0,size=64 --vdev net_null1,size=128 --vdev net_null2,size=256)
    for t in paired:128,64,256 chained:256,64,128 loop:64,128,256; do
        run -l 0 "${sized[@]}" -- --port-topology="${t%%:*}" --duration=0.2
        check "[x['tx_bytes'] // max(x['tx_packets'], 1) for x in p] == [${t#*:}] and min(x['tx_packets'] for x in p) > 0" \
            "--port-topology=${t%%:*}: ports 0, 1, 2 send frames of ${t#*:} bytes"
    done
    refused "--vdev net_null0 -- --port-topology=ring" "expected paired, chained or loop"
    ;;
record)
    run -l 0 --vdev net_null0 --vdev net_null1 -- --record-core-cycles --record-burst-stats --duration=0.3
    check 'd["core_cycles"] > 0' "busy cycles counted"
    check 'all(x["rx_bursts"].get("32", 0) * 32 == x["rx_packets"] for x in p)' "every RX burst of net_null is 32"
    check 'all(sum(int(k) * v for k, v in x["tx_bursts"].items()) == x["tx_packets"] for x in p)' "TX bursts add up to what was sent"
    grep -q "CPU cycles/packet=" "$tmp/out" && grep -q "RX-bursts : " "$tmp/out" ||
        { echo "FAIL: testpmd's cycles and bursts lines missing"; exit 1; }
    run -l 0 --vdev net_null0 --vdev net_null1 -- --duration=0.2
    check '"core_cycles" not in d and "rx_bursts" not in p[0]' "nothing recorded without the options"
    ;;
nb_cores)
    nulls=(--vdev net_null0 --vdev net_null1 --vdev net_null2 --vdev net_null3)
    refused "${nulls[*]} -- --nb-cores=0" "--nb-cores=0: expected a number"
    [ "$(nproc)" -ge 3 ] || { echo "SKIP: needs 3 CPUs for two forwarding lcores (nproc: $(nproc))"; exit 77; }
    run -l 0-2 "${nulls[@]}" -- --nb-cores=1 --duration=0.2
    grep -q "4 stream(s) on 1 lcore(s)" "$tmp/out" || { echo "FAIL: --nb-cores=1"; exit 1; }
    run -l 0-2 "${nulls[@]}" -- --nb-cores=2 --duration=0.2
    grep -q "4 stream(s) on 2 lcore(s)" "$tmp/out" || { echo "FAIL: --nb-cores=2"; exit 1; }
    echo "ok: --nb-cores chooses how many lcores forward"
    ;;
csum_ring|5tswap_ring)
    # the engines keep 2 x 32 txonly frames going round between two net_ring ports
    run -l 0-1 "${pair[@]}" -- --forward-mode=${case%_ring} --tx-first --duration=0.5
    check 'sum(x["tx_packets"] for x in p) - sum(x["rx_packets"] for x in p) == 64' "64 frames in flight, none lost"
    check 'min(x["rx_packets"] for x in p) > 1000 and all(x["drops"] == 0 for x in p)' "frames went round many times"
    check 'all(x["rx_bad_ip_csum"] == 0 and x["rx_bad_l4_csum"] == 0 for x in p)' "txonly's checksums found right"
    ;;
csum|5tswap)
    [ -n "${PX_FWD_HAS_PCAP:-}" ] || { echo "SKIP: needs net_pcap (libpcap-dev)"; exit 77; }
    frames "$tmp/in.pcap"
    run -l 0 --vdev "net_pcap0,rx_pcap=$tmp/in.pcap,tx_pcap=$tmp/out.pcap" -- --forward-mode=$case --duration=0.5
    check 'p[0]["rx_packets"] == 10 and p[0]["tx_packets"] == 10' "10 frames in, 10 out"
    if [ $case = csum ]; then
        # bad: one IPv4 header; UDP and TCP over IPv4, UDP over IPv6 (UDP checksum 0 is right over IPv4)
        check 'p[0]["rx_bad_ip_csum"] == 1 and p[0]["rx_bad_l4_csum"] == 3' "1 bad IP and 3 bad L4 checksums counted"
        grep -q "Bad-ipcsum: 1 " "$tmp/out" || { echo "FAIL: no Bad-ipcsum line"; exit 1; }
    fi
    readcheck $case "$tmp/in.pcap" "$tmp/out.pcap"
    ;;
flowgen)
    # exact counts on a net_ring pair; the frames themselves through net_pcap
    run -l 0-1 "${pair[@]}" -- --forward-mode=flowgen --tx-max=1000 --duration=0.5
    check 'all(x["tx_packets"] == 1000 and x["rx_packets"] == 1000 for x in p)' "1000 sent and 1000 received per port"
    [ -n "${PX_FWD_HAS_PCAP:-}" ] || { echo "SKIP: the frame check needs net_pcap (libpcap-dev)"; exit 77; }
    run -l 0-1 --vdev "net_pcap0,tx_pcap=$tmp/fg.pcap" -- --forward-mode=flowgen --flowgen-flows=7 \
        --tx-max=70 --txpkts=100 --duration=0.5
    python3 - "$tmp/fg.pcap" <<'PY'
import collections, struct, sys
b = open(sys.argv[1], "rb").read(); off = 24; dsts = collections.Counter(); n = 0
def cks(x):
    if len(x) % 2: x += b"\0"
    s = sum(struct.unpack("!%dH" % (len(x) // 2), x))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return s
while off < len(b):
    incl = struct.unpack("<IIII", b[off:off + 16])[2]; f = b[off + 16:off + 16 + incl]; off += 16 + incl
    assert len(f) == 100 and f[12:14] == b"\x08\x00" and f[23] == 17, "frame %d: not 100-byte UDP/IPv4" % n
    assert cks(f[14:34]) == 0xffff, "frame %d: IPv4 checksum" % n
    ph = f[26:34] + struct.pack("!BBH", 0, 17, len(f) - 34)
    assert cks(ph + f[34:]) == 0xffff, "frame %d: UDP checksum" % n
    assert f[26:30] == bytes([10, 254, 0, 0]) and f[34:38] == b"\x00\x09\x00\x09", "frame %d: source or ports" % n
    dsts[f[30:34]] += 1; n += 1
assert n == 70, "%d frames, want 70" % n
want = {bytes([10, 253, 0, k]): 10 for k in range(7)}
assert dsts == want, "destinations %s" % dsts
print("ok: flowgen: 70 frames, 7 flows of 10, checksums right")
PY
    ;;
bad_values)
    for args in "--max-pkt-len=10" "--max-pkt-len=70000" "--mbuf-size=100" "--mbuf-size=x" \
                "--flowgen-flows=0" "--forward-mode=5tuple" "--record-core-cycles=1"; do
        refused "--vdev net_null0 -- $args" "px-fwd: "
    done
    run -l 0 --vdev net_null0 --vdev net_null1 -- --forward-mode=5tuple_swap --duration=0.1
    check 'd["mode"] == "5tswap"' "5tuple_swap is testpmd's 5tswap"
    ;;
*)
    echo "unknown case $case"; exit 2 ;;
esac

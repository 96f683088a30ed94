#!/usr/bin/env bash
# tests/fwd/pcap.sh PX_FWD CASE: net_pcap (docs/pcap.md). px-fwd txonly writes a pcap file,
# which a reader of its own (python3, pcap-savefile(5)) and tcpdump where installed check frame by
# frame; px-fwd reads it back (rxonly --check), replays it (infinite_rx) and copies it (io), and
# copies two files to two through two queues (queues: one queue per rx_pcap=/tx_pcap= key); bad
# devargs are refused naming their key; DPDK 22.11's pcap PMD (dpdk-testpmd) reads it back
# (dpdk_read) and makes the same queues of the same keys (dpdk_queues). The live-interface case needs root and iproute2 and makes a veth pair in a network
# namespace; it and dpdk_read exit 77 saying what is missing.
set -euo pipefail
fwd=$1 case=$2
source "$(dirname "$0")/lib.sh"
fwd_need python3
fwd_tmp
N=1000 L=300 # frames txonly writes, and their length

# pcap_check FILE COUNT LEN: a nanosecond savefile of COUNT Ethernet frames of LEN bytes, each
# the frame px-fwd's txonly sends with sequence number 0, 1, ... (app/fwd/fwd_modes.c)
pcap_check() {
    python3 - "$@" <<'PY'
import struct, sys, time
path, count, length = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
b = open(path, "rb").read()
def fail(msg):
    print("FAIL: %s: %s" % (path, msg)); sys.exit(1)
if len(b) < 24 or struct.unpack("<I", b[:4])[0] != 0xa1b23c4d:
    fail("magic %s, not a1b23c4d (nanosecond savefile, host order)" % b[:4].hex())
major, minor, _, _, snaplen, linktype = struct.unpack("<HHiIII", b[4:24])
if (major, minor, linktype) != (2, 4, 1):
    fail("version %d.%d, link type %d: want 2.4 and 1 (Ethernet)" % (major, minor, linktype))
off, n, prev, now = 24, 0, 0, time.time()
while off < len(b):
    sec, nsec, incl, orig = struct.unpack("<IIII", b[off:off + 16])
    f = b[off + 16:off + 16 + incl]
    off += 16 + incl
    if nsec >= 10**9 or abs(sec - now) > 600 or sec * 10**9 + nsec < prev:
        fail("frame %d: timestamp %d.%09d is not a nanosecond time of this run, in order" % (n, sec, nsec))
    prev = sec * 10**9 + nsec
    if incl != length or orig != length or len(f) != length:
        fail("frame %d: %d/%d bytes, want %d" % (n, incl, orig, length))
    want_hdr = bytes.fromhex("020000000000" "027063617000" "0800")
    if f[:14] != want_hdr or f[14] != 0x45 or f[23] != 17 or f[26:34] != bytes([198, 18, 0, 1, 198, 18, 0, 2]):
        fail("frame %d: headers %s are not txonly's Ethernet/IPv4/UDP" % (n, f[:42].hex()))
    if struct.unpack("<Q", f[42:50])[0] != n:
        fail("frame %d: sequence number %d" % (n, struct.unpack("<Q", f[42:50])[0]))
    if any(f[i] != i & 0xff for i in range(50, length)):
        fail("frame %d: payload differs from txonly's (bytes i & 0xff)" % n)
    n += 1
if n != count:
    fail("%d frames, want %d" % (n, count))
print("ok: %s: %d frames of %d bytes, nanosecond timestamps, txonly's content" % (path, n, length))
PY
}
# write FILE [LEN]: px-fwd txonly writes N frames of LEN (L) bytes to FILE
write() {
    local len=${2:-$L}
    run -l 0-1 --vdev "net_pcap0,tx_pcap=$1" -- --forward-mode=txonly --tx-max=$N --txpkts="$len" --duration=0.5
    check "p[0][\"tx_packets\"] == $N and p[0][\"tx_bytes\"] == $N * $len" "$N frames of $len bytes sent"
}
# pcap_same A B WHO: the savefiles A and B (microsecond or nanosecond, either byte order) hold the
# same frames byte for byte, in order (timestamps are not compared); WHO wrote B
pcap_same() {
    python3 - "$@" <<'PY'
import struct, sys
def frames(path):
    b = open(path, "rb").read()
    end = "<" if b[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    off, out = 24, []
    while off < len(b):
        incl = struct.unpack(end + "I", b[off + 8:off + 12])[0]
        out.append(b[off + 16:off + 16 + incl])
        off += 16 + incl
    return out
a, d = frames(sys.argv[1]), frames(sys.argv[2])
if a != d:
    print("FAIL: %s: %s wrote %d frames, %s the %d of %s" % (sys.argv[2], sys.argv[3], len(d), "unlike" if len(a) == len(d) else "not", len(a), sys.argv[1]))
    sys.exit(1)
print("ok: %s: %s wrote the %d frames of %s byte for byte" % (sys.argv[2], sys.argv[3], len(a), sys.argv[1]))
PY
}
# two_files: $tmp/a.pcap (N frames of L bytes) and $tmp/b.pcap (N of 200: a frame in the wrong
# queue's file shows by its length)
two_files() {
    write "$tmp/a.pcap"
    write "$tmp/b.pcap" 200
}

case $case in
write)
    write "$tmp/x.pcap"
    pcap_check "$tmp/x.pcap" $N $L
    if command -v tcpdump >/dev/null; then
        got=$(tcpdump -nn -r "$tmp/x.pcap" 2>/dev/null | wc -l)
        [ "$got" = $N ] || { echo "FAIL: tcpdump -r reads $got frames, want $N"; exit 1; }
        echo "ok: tcpdump -r reads $N frames"
    else
        echo "note: tcpdump not installed, the file was checked by the python reader only"
    fi
    ;;
read_check)
    # the file read back: every frame once, in order, content checked
    write "$tmp/x.pcap"
    run -l 0-1 --vdev "net_pcap0,rx_pcap=$tmp/x.pcap" -- --forward-mode=rxonly --check --txpkts=$L \
        --rx-max=$N --duration=5
    check "p[0][\"rx_packets\"] == $N and p[0][\"rx_bad\"] == 0" "$N received, none bad"
    check "p[0][\"rx_bytes\"] == $N * $L" "every byte counted"
    ;;
infinite_rx)
    # the file replayed: more frames than it holds (sequence numbers start again: no --check)
    write "$tmp/x.pcap"
    run -l 0-1 --vdev "net_pcap0,rx_pcap=$tmp/x.pcap,infinite_rx=1" -- --forward-mode=rxonly \
        --rx-max=$((3 * N)) --duration=5
    check "p[0][\"rx_packets\"] >= 3 * $N and p[0][\"rx_bytes\"] == p[0][\"rx_packets\"] * $L" \
        "the $N frames replayed to 3 x $N and more"
    ;;
io_copy)
    # read one file, write another (io on one port): the same frames, byte for byte
    write "$tmp/x.pcap"
    run -l 0-1 --vdev "net_pcap0,rx_pcap=$tmp/x.pcap,tx_pcap=$tmp/y.pcap" -- --forward-mode=io \
        --rx-max=$N --duration=5
    check "p[0][\"rx_packets\"] == $N and p[0][\"tx_packets\"] == $N" "$N copied"
    pcap_check "$tmp/y.pcap" $N $L
    ;;
queues)
    # two rx_pcap= keys are RX queues 0 and 1, two tx_pcap= keys TX queues 0 and 1 (as DPDK):
    # io copies queue q to queue q, so a0 gets a's frames and a1 b's, byte for byte, in order
    two_files
    run -l 0-1 --log-level=ethdev:debug \
        --vdev "net_pcap0,rx_pcap=$tmp/a.pcap,rx_pcap=$tmp/b.pcap,tx_pcap=$tmp/a0.pcap,tx_pcap=$tmp/a1.pcap" \
        -- --forward-mode=io --rxq=2 --txq=2 --rx-max=$N --duration=5
    check "p[0][\"rx_packets\"] == 2 * $N and p[0][\"tx_packets\"] == 2 * $N" "2 x $N copied"
    for x in rx_q0_packets rx_q1_packets tx_q0_packets tx_q1_packets; do
        [ "$(fwd_xstat 0 $x)" = $N ] || { cat "$tmp/out"; echo "FAIL: $x $(fwd_xstat 0 $x), want $N"; exit 1; }
    done
    echo "ok: $N frames through each of the two RX and two TX queues"
    pcap_same "$tmp/a.pcap" "$tmp/a0.pcap" "TX queue 0"
    pcap_same "$tmp/b.pcap" "$tmp/a1.pcap" "TX queue 1"
    ;;
dpdk_queues)
    # DPDK 22.11's pcap PMD with the same devargs makes the same queues: testpmd io copies a to d0
    # and b to d1, as Pollux does (queues)
    fwd_need dpdk-testpmd
    two_files
    testpmd_start "net_pcap0,rx_pcap=$tmp/a.pcap,rx_pcap=$tmp/b.pcap,tx_pcap=$tmp/d0.pcap,tx_pcap=$tmp/d1.pcap" \
        --forward-mode=io --no-flush-rx --rxq=2 --txq=2
    for i in $(seq 100); do
        grep -q "RX-packets: $((2 * N)) " "$tmp/testpmd.log" && break
        sleep 0.1
    done
    testpmd_stop
    [ "$tp_rx" = $((2 * N)) ] && [ "$tp_tx" = $((2 * N)) ] ||
        { echo "FAIL: dpdk-testpmd read $tp_rx and wrote $tp_tx frames, want $((2 * N))"; exit 1; }
    pcap_same "$tmp/a.pcap" "$tmp/d0.pcap" "DPDK's TX queue 0"
    pcap_same "$tmp/b.pcap" "$tmp/d1.pcap" "DPDK's TX queue 1"
    ;;
dpdk_read)
    # DPDK 22.11's own pcap PMD reads Pollux's file: dpdk-testpmd io copies it (rx_pcap= to
    # tx_pcap=), and what it wrote holds Pollux's frames byte for byte, in order
    fwd_need dpdk-testpmd
    write "$tmp/x.pcap"
    # (--no-flush-rx: testpmd would otherwise read and drop the file before it forwards)
    testpmd_start "net_pcap0,rx_pcap=$tmp/x.pcap,tx_pcap=$tmp/dpdk.pcap" --forward-mode=io --no-flush-rx
    for i in $(seq 100); do
        grep -q "RX-packets: $N " "$tmp/testpmd.log" && break
        sleep 0.1
    done
    testpmd_stop
    [ "$tp_rx" = $N ] && [ "$tp_tx" = $N ] ||
        { echo "FAIL: dpdk-testpmd read $tp_rx and wrote $tp_tx frames, want $N"; exit 1; }
    pcap_same "$tmp/x.pcap" "$tmp/dpdk.pcap" "DPDK's pcap PMD"
    ;;
bad_devargs)
    write "$tmp/x.pcap"
    echo "not a pcap file" >"$tmp/text"
    python3 - "$tmp" <<'PY'
import struct, sys
hdr = lambda link: struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, link)
open(sys.argv[1] + "/empty.pcap", "wb").write(hdr(1))
open(sys.argv[1] + "/ppp.pcap", "wb").write(hdr(9) + struct.pack("<IIII", 0, 0, 4, 4) + b"\xff\x03\x00\x21")
PY
    x=$tmp/x.pcap
    many=$(printf "rx_pcap=$x,%.0s" $(seq 17)) # one queue more than a port has
    # ARGS|KEY: the devargs, and the key the message must name
    for t in "|rx_pcap" "rx_pcap=$tmp/none.pcap|rx_pcap" "rx_pcap=$tmp/text|rx_pcap" \
             "rx_pcap=$tmp/ppp.pcap|rx_pcap" "tx_pcap=$tmp/no/such/dir.pcap|tx_pcap" \
             "rx_pcap=$x,rx_iface=lo|rx_pcap" "tx_pcap=$x,tx_iface=lo|tx_pcap" \
             "iface=lo,iface=lo|iface" "${many%,}|at most 16 RX queues" "rx_pcap=$x,infinite_rx=2|infinite_rx" \
             "tx_pcap=$tmp/y.pcap,infinite_rx=1|infinite_rx" \
             "rx_pcap=$tmp/empty.pcap,infinite_rx=1|infinite_rx" "iface=lo,rx_pcap=$x|iface" \
             "rx_iface=nosuchif0|rx_iface" "tx_pcap=$tmp/y.pcap,bogus=1|bogus"; do
        fwd_refused net_pcap0 "${t%|*}" "${t##*|}"
    done
    ;;
iface)
    # live interfaces: each end of a veth pair sends one burst of txonly frames to the other
    fwd_need_root "network namespaces, capture"
    fwd_netns pxpcap
    fwd_veth va vb
    fwd_rxonly_check --vdev net_pcap0,iface=va --vdev net_pcap1,iface=vb
    # lo shows a capture each frame twice (out and in): a burst must fit the kernel's ring
    # (one slot of the snapshot length per frame in immediate mode held only half of 32)
    ip -n "$ns" link set lo up
    run -l 0-1 --vdev net_pcap0,tx_iface=lo --vdev net_pcap1,rx_iface=lo -- --forward-mode=rxonly \
        --tx-first --duration=0.5
    check 'p[0]["tx_packets"] == 32 and p[1]["rx_packets"] == 32 and p[1]["rx_missed"] == 0' \
        "a burst on lo: 32 received, none missed"
    ;;
*) echo "pcap.sh: unknown case $case"; exit 2 ;;
esac

#!/bin/bash
# tests/telemetry/dumpcap.sh PX-FWD PX-DUMPCAP CASE: px-dumpcap against a running px-fwd, every
# file read back by tshark and capinfos (Debian's tshark, wireshark-common).
#   ring    net_ring ports forwarding (io, --tx-first): -D, a count, both directions, the snap
#           length, BPF filters, a duration, bad input, a second capture refused
#   exact   net_af_packet on a veth pair in a fresh netns (root): the kernel sends 500 frames,
#           the RX capture holds those 500 byte for byte and px-fwd counted 500
set -eu
fwd=$1 dumpcap=$2 case=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../fwd/lib.sh"
fwd_need tshark capinfos python3
fwd_tmp
prefix=pxcap$$

# start_fwd ARGS...: px-fwd in the background ($pid), stopped by stop_fwd; waits for telemetry
start_fwd() {
    inns "$fwd" --no-huge -m 256 --file-prefix "$prefix" "$@" --duration=60 --stats-period=0 \
        --stats-json="$json" >"$tmp/fwd.out" 2>&1 &
    pid=$!
    for _ in $(seq 100); do "$dumpcap" --file-prefix "$prefix" -D >/dev/null 2>&1 && break; sleep 0.1; done
    # px-fwd's own pid (under `ip netns exec`, $! is not it), from telemetry's /info
    fwd_pid=$(python3 - "$prefix" <<'PY'
import json, os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
r = os.environ.get("RUNTIME_DIRECTORY") or ("/var/run" if os.getuid() == 0 else os.environ.get("XDG_RUNTIME_DIR", "/tmp"))
s.connect(os.path.join(r, "dpdk", sys.argv[1], "dpdk_telemetry.v2"))
s.recv(1024)
s.send(b"/info")
print(json.loads(s.recv(16384))["/info"]["pid"])
PY
) || { cat "$tmp/fwd.out"; echo "FAIL: px-fwd's telemetry never answered"; exit 1; }
}

stop_fwd() {
    kill -TERM "$fwd_pid" # px-fwd stops as on Ctrl-C and prints its summary
    local rc=0
    wait "$pid" || rc=$?
    [ $rc = 0 ] || { cat "$tmp/fwd.out"; echo "FAIL: px-fwd exited $rc"; exit 1; }
    cat "$tmp/fwd.out"
    check 'd["mbufs_in_pool"] == d["mbufs_total"] > 0 and d["mbufs_leaked"] == 0' \
        "px-fwd stops cleanly, every mbuf back"
}

dc() { inns "$dumpcap" --file-prefix "$prefix" "$@"; }

# fields FILE FIELD...: tshark's fields, one line a packet
fields() {
    local f=$1; shift
    tshark -r "$f" -T fields $(printf -- '-e %s ' "$@") 2>/dev/null
}

want() { # want 'CONDITION' MESSAGE
    if eval "$1"; then echo "ok: $2"; else echo "FAIL: $2"; exit 1; fi
}

case $case in
ring)
    start_fwd -l 0 --vdev net_ring0 --vdev net_ring1,peer=net_ring0 -- --forward-mode=io --tx-first
    dc -D >"$tmp/list"
    want 'grep -qx "0. net_ring0" "$tmp/list" && grep -qx "1. net_ring1" "$tmp/list"' "-D lists the ports"

    dc -i net_ring0 -c 2000 -w "$tmp/a.pcapng" 2>"$tmp/err"; cat "$tmp/err"
    capinfos "$tmp/a.pcapng" >"$tmp/info"; cat "$tmp/info"
    want 'grep -q "Number of packets: *2000$" "$tmp/info"' "capinfos: 2000 packets"
    want 'grep -q "nanoseconds (9)" "$tmp/info" && grep -q "Name = net_ring0" "$tmp/info"' \
        "nanosecond timestamps, the interface named"
    want '[ "$(fields "$tmp/a.pcapng" frame.number | wc -l)" = 2000 ]' "tshark reads 2000 frames"
    want '[ "$(fields "$tmp/a.pcapng" frame.packet_flags_direction | sort -u | tr "\n" " ")" = "0x00000001 0x00000002 " ]' \
        "both directions, flagged inbound and outbound"
    want '[ "$(fields "$tmp/a.pcapng" udp.dstport frame.len | sort -u)" = "$(printf "1024\t64")" ]' \
        "every frame is px-fwd's 64-byte UDP frame"
    want 'grep -q "Packets captured: 2000" "$tmp/err"' "px-dumpcap counts 2000"

    dc -i 1 --direction rx -s 42 -c 500 -w "$tmp/b.pcapng" 2>/dev/null
    want '[ "$(fields "$tmp/b.pcapng" frame.cap_len frame.len frame.packet_flags_direction | sort | uniq -c | awk "{\$1=\$1};1")" = "500 42 64 0x00000001" ]' \
        "-s 42 --direction rx: 500 inbound frames of 64 bytes, 42 kept"

    dc -i 0 -f 'udp port 1024' -c 300 -w "$tmp/c.pcapng" 2>/dev/null
    want '[ "$(fields "$tmp/c.pcapng" udp.port | wc -l)" = 300 ]' "-f 'udp port 1024': 300 UDP frames"
    start=$(date +%s%N)
    dc -i 0 -f 'tcp' -a duration:1 -w "$tmp/d.pcapng" 2>"$tmp/err"
    ms=$((($(date +%s%N) - start) / 1000000))
    want '[ "$ms" -ge 900 ] && [ "$ms" -lt 5000 ] && capinfos -c "$tmp/d.pcapng" | grep -q "Number of packets: *0$"' \
        "-f tcp -a duration:1: no packet, stopped after ${ms} ms, a file capinfos reads"
    want 'grep -q "Packets received/dropped on interface .net_ring0.: [1-9]" "$tmp/err"' \
        "the process sent packets that the filter dropped"

    rc=0; dc -i 0 -f 'udp port' -c 1 -w "$tmp/e.pcapng" 2>"$tmp/err" || rc=$?
    want '[ $rc = 2 ] && grep -q "bad filter" "$tmp/err"' "a bad filter: exit 2, said so"
    rc=0; dc -i net_ring7 -c 1 -w "$tmp/e.pcapng" 2>"$tmp/err" || rc=$?
    want '[ $rc = 1 ] && grep -q "no port .net_ring7." "$tmp/err"' "an unknown port: exit 1, said so"
    rc=0; "$dumpcap" --file-prefix nosuch$$ -i 0 -c 1 -w "$tmp/e.pcapng" 2>"$tmp/err" || rc=$?
    want '[ $rc = 1 ] && grep -q "cannot connect" "$tmp/err"' "no such process: exit 1, said so"
    dc -i 0 -a duration:2 -w "$tmp/f.pcapng" 2>/dev/null & first=$!
    sleep 0.5
    rc=0; dc -i 1 -c 1 -w "$tmp/g.pcapng" 2>"$tmp/err" || rc=$?
    want '[ $rc = 1 ] && grep -q "refused" "$tmp/err"' "a second capture at once is refused"
    wait $first
    want 'capinfos "$tmp/f.pcapng" >/dev/null' "the first capture's file is whole"
    dc -i 0 -c 10 -w "$tmp/h.pcapng" 2>/dev/null
    want '[ "$(fields "$tmp/h.pcapng" frame.number | wc -l)" = 10 ]' "and a capture after it works"
    stop_fwd
    check 'p[0]["tx_packets"] > 0 and p[1]["rx_packets"] > 0 and p[0]["drops"] == p[1]["drops"] == 0' "px-fwd kept forwarding, nothing dropped"
    ;;
exact)
    fwd_need_root "network namespaces, packet sockets"
    fwd_netns pxcap
    fwd_veth va vb
    start_fwd -l 0 --vdev net_af_packet0,iface=va --vdev net_null0 -- --forward-mode=io
    dc -i 0 --direction rx -c 500 -w "$tmp/x.pcapng" 2>"$tmp/err" & cap=$!
    for _ in $(seq 50); do grep -q Capturing "$tmp/err" && break; sleep 0.1; done
    sleep 0.3 # the process publishes the capture once px-dumpcap has connected
    fwd_send vb 500 "$tmp/sent"
    wait $cap; cat "$tmp/err"
    stop_fwd
    check 'p[0]["rx_packets"] == 500' "px-fwd counted 500 frames received"
    want '[ "$(capinfos -c "$tmp/x.pcapng" | grep -c "Number of packets: *500$")" = 1 ]' "capinfos: 500 packets"
    want '[ "$(fields "$tmp/x.pcapng" frame.packet_flags_direction | sort -u)" = 0x00000001 ]' "all inbound"
    tshark -r "$tmp/x.pcapng" -T fields -e frame.len >/dev/null
    python3 - "$tmp/x.pcapng" "$tmp/sent" <<'PY'
import struct, sys
data, frames, off = open(sys.argv[1], "rb").read(), [], 0
while off < len(data):
    btype, blen = struct.unpack_from("<II", data, off)
    if btype == 6:
        cap = struct.unpack_from("<I", data, off + 20)[0]
        frames.append(data[off + 28:off + 28 + cap].hex())
    off += blen
sent = open(sys.argv[2]).read().split()
if frames != sent:
    print("FAIL: captured %d frames, %d equal to the 500 sent in order"
          % (len(frames), sum(a == b for a, b in zip(frames, sent))))
    sys.exit(1)
print("ok: the 500 frames captured are the 500 sent, byte for byte, in order")
PY
    ;;
*) echo "dumpcap.sh: unknown case $case"; exit 2 ;;
esac

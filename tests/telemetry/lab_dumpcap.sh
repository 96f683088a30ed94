#!/bin/bash
# tests/telemetry/lab_dumpcap.sh ARCH LAB_BUILD_DIR: px-dumpcap in the lab on e1000e. In the
# guest, px-fwd icmpecho drives the first e1000e through VFIO and the guest kernel's e1000e on the
# second pings it 20 times (IPv6 off: the kernel sends only ARP and ICMP); px-dumpcap captures
# px-fwd's port for the whole exchange. The guest's px-dumpcap is the fully static build, without
# the capture filter: -f must be refused there, saying why. The pcapng comes back to the host on
# the serial console (base64 between two marker lines, with its md5sum), where capinfos and
# tshark read it: as many packets as px-fwd counted (inbound = its rx, outbound = its tx), the 20
# echo requests inbound and the 20 replies outbound, nothing dropped.
# Exit 77 where tshark/capinfos or the lab build is missing (or the lab itself).
set -euo pipefail
arch=$1
bdir=$(cd "$2" 2>/dev/null && pwd) || { echo "SKIP: no lab build in $2 (lab_${arch}_build)"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
[ -z "${PX_LAB_SKIP:-}" ] || { echo "SKIP: PX_LAB_SKIP is set"; exit 77; }
for c in tshark capinfos base64 md5sum; do
    command -v "$c" >/dev/null || { echo "SKIP: needs $c (apt-get install tshark)"; exit 77; }
done
[ -x "$bdir/app/dumpcap/px-dumpcap" ] ||
    { echo "SKIP: $bdir has no px-dumpcap (lab_${arch}_build)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

guest=$(
    cat <<'SH'
set -e
set -- $PX_LAB_PORTS
for k in all default; do echo 1 >/proc/sys/net/ipv6/conf/$k/disable_ipv6; done
ifc=$(px-lab-kbind --up $2 e1000e)
ip addr add 10.9.0.1/24 dev $ifc
px-fwd -l 0-1 -m 64 -a $1 -- --forward-mode=icmpecho --icmp-ip=0,10.9.0.2 --duration=60 \
    --stats-period=0 --rxd=128 --txd=128 --total-num-mbufs=512 --stats-json=/tmp/s.json \
    >/tmp/fwd.log 2>&1 &
f=$!
i=0
until px-dumpcap -D >/tmp/list.log 2>&1; do
    i=$((i + 1))
    [ $i -lt 100 ] || { cat /tmp/list.log /tmp/fwd.log; echo "FAIL: px-fwd's telemetry socket"; exit 1; }
    sleep 0.2
done
cat /tmp/list.log
rc=0
px-dumpcap -i 0 -f icmp -c 1 -w /tmp/f.pcapng 2>/tmp/f.log || rc=$?
cat /tmp/f.log
[ $rc = 2 ] && grep -q 'no capture filter' /tmp/f.log || { echo "FAIL: -f not refused (exit $rc)"; exit 1; }
px-dumpcap -i 0 -w /tmp/c.pcapng >/tmp/dc.log 2>&1 &
d=$!
i=0
until grep -q '^Capturing on' /tmp/dc.log; do
    i=$((i + 1))
    [ $i -lt 100 ] || { cat /tmp/dc.log; echo "FAIL: px-dumpcap did not start"; exit 1; }
    sleep 0.1
done
ping -c 20 -i 0.1 -W 2 10.9.0.2 >/tmp/ping.log || true
sleep 0.5
kill -TERM $d
wait $d
kill -TERM $f
wait $f
cat /tmp/ping.log /tmp/dc.log /tmp/fwd.log /tmp/s.json
grep -q '20 packets transmitted, 20 packets received, 0% packet loss' /tmp/ping.log
# The file, to the host (run.sh's console log).
sum=$(md5sum </tmp/c.pcapng)
echo "PX-LAB-FILE-BEGIN c.pcapng ${sum%% *}"
base64 /tmp/c.pcapng
echo "PX-LAB-FILE-END"
SH
)
"$repo/tools/lab/run.sh" --arch "$arch" --build-dir "$bdir" --timeout "${PX_LAB_TIMEOUT:-120}" \
    --log "$tmp/console.log" -- "$guest" || exit $?

# Back on the host: the file, checked against the guest's sum.
log=$tmp/console.log
sum=$(sed -n 's/^PX-LAB-FILE-BEGIN c.pcapng \([0-9a-f]*\)$/\1/p' "$log")
[ -n "$sum" ] || fail "no file in the console log"
sed -n '/^PX-LAB-FILE-BEGIN c.pcapng/,/^PX-LAB-FILE-END$/p' "$log" | sed '1d;$d' |
    base64 -d >"$tmp/c.pcapng" || fail "the file's base64 does not decode"
[ "$(md5sum <"$tmp/c.pcapng" | cut -d' ' -f1)" = "$sum" ] || fail "the file came back damaged"
capinfos "$tmp/c.pcapng" | tee "$tmp/info"
ports=$(sed -n 's/.*"rx_packets": \([0-9]*\), "tx_packets": \([0-9]*\),.*/\1 \2/p' "$log" | tail -n1)
read -r rx tx <<<"$ports"
[ -n "${tx:-}" ] || fail "no px-fwd counters in the console log"
count() { tshark -r "$tmp/c.pcapng" -Y "$1" -T fields -e frame.number 2>/dev/null | wc -l; }
inb=$(count 'frame.packet_flags_direction == 1')
outb=$(count 'frame.packet_flags_direction == 2')
req=$(count 'frame.packet_flags_direction == 1 && icmp.type == 8')
rep=$(count 'frame.packet_flags_direction == 2 && icmp.type == 0')
total=$(tshark -r "$tmp/c.pcapng" -T fields -e frame.number 2>/dev/null | wc -l)
echo "px-fwd: rx $rx tx $tx; the file: $total packets, $inb inbound ($req echo requests), $outb outbound ($rep echo replies)"
grep -q "Number of packets: *$((rx + tx))\$" "$tmp/info" || fail "capinfos does not count px-fwd's $((rx + tx)) packets"
[ "$total" = $((rx + tx)) ] && [ "$inb" = "$rx" ] && [ "$outb" = "$tx" ] ||
    fail "tshark's packets are not px-fwd's"
[ "$req" = 20 ] && [ "$rep" = 20 ] || fail "not the 20 echo requests and 20 replies"
grep -q "^Packets received/dropped on interface '.*': $((rx + tx))/0\$" "$log" ||
    fail "px-dumpcap did not receive every packet from the process"
echo "ok: the lab capture on e1000e holds every packet px-fwd counted"

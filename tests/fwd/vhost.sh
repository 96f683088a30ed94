#!/usr/bin/env bash
# tests/fwd/vhost.sh PX_FWD CASE: net_vhost (Pollux's vhost-user backend) against a frontend in
# another process on a UNIX socket: DPDK 22.11's dpdk-testpmd on its net_virtio_user (dpdk_*,
# 77 without dpdk-testpmd), or Pollux's own net_virtio_user (pollux_*, 77 while px-fwd has no
# net_virtio_user). No root needed. Counts are exact: what one side reports sent, the other
# received.
#
# CASE names: dpdk_tx_* (testpmd txonly -> px-fwd rxonly), dpdk_rx_* (px-fwd txonly -> testpmd
# rxonly), with _split/_packed, _nomrg (mrg_rxbuf=0), _2q (two queue pairs), _jumbo (9000-byte
# frames over mergeable buffers); dpdk_restart_*: the frontend goes away mid-traffic and a new
# one comes; pollux_*: px-fwd txonly on net_virtio_user -> px-fwd rxonly --check on net_vhost.
set -euo pipefail
fwd=$1 case=$2
source "$(dirname "$0")/lib.sh"
fwd_tmp
sock=$tmp/vhost.sock

# dpdk-testpmd on net_virtio_user0,path=$sock[,VDEV]: interactive, forwarding on lcore 0
# (--main-lcore 1), px-fwd on lcore 1: one core each on a 2-core VM; --no-flush-rx: what px-fwd
# sent before forwarding began is counted, not flushed
tp_interactive=1 tp_eal="--main-lcore 1"
tp_start() { # tp_start VDEV-ARGS TESTPMD-ARGS...
    local vdev=$1
    shift
    testpmd_start "net_virtio_user0,path=$sock${vdev:+,$vdev}" --no-flush-rx "$@"
}

# traffic: how long each run moves frames (seconds); the counts are exact whatever the rate
traffic=1

vh_queues() { # vh_queues rx|tx Q: with Q > 1, every queue of px-fwd's port moved frames
    local i n
    [ "$2" -gt 1 ] || return 0
    for i in $(seq 0 $(($2 - 1))); do
        n=$(fwd_xstat 0 "$1_q${i}_packets")
        [ "$n" -gt 0 ] || { echo "FAIL: $1 queue $i moved no frame"; exit 1; }
        echo "ok: $1 queue $i: $n frames"
    done
}

# px-fwd's own process (fwd_pid is timeout's)
fd_count() { ls "/proc/$(pgrep -P "$fwd_pid")/fd" | wc -l; }
map_count() { wc -l <"/proc/$(pgrep -P "$fwd_pid")/maps"; }

# vh_case DIR RING MRG QUEUES LEN: one run, DIR tx (testpmd sends) or rx (px-fwd sends)
vh_case() {
    local dir=$1 ring=$2 mrg=$3 q=$4 len=$5 vdev tpa=() pxa=()
    vdev="mrg_rxbuf=$mrg,queues=$q"
    [ "$ring" = packed ] && vdev+=",packed_vq=1"
    [ "$q" -gt 1 ] && { tpa+=(--rxq="$q" --txq="$q"); pxa+=(--rxq="$q" --txq="$q"); }
    if [ "$len" -gt 1500 ]; then
        tpa+=(--max-pkt-len=$((len + 18)) --mbuf-size=10240)
        pxa+=(--max-pkt-len=$((len + 18)) --enable-scatter)
    fi
    if [ "$dir" = tx ]; then
        fwd_start -l 0-1 --log-level=ethdev:debug --vdev "net_vhost0,iface=$sock,queues=$q" -- \
            --forward-mode=rxonly "${pxa[@]}"
        fwd_ready "$sock"
        tp_start "$vdev" --forward-mode=txonly "${tpa[@]}" --txpkts="$len"
        sleep "$traffic"
        testpmd_stop
        fwd_stop
        check "p[0]['rx_packets'] == $tp_tx and $tp_tx > 1000 and p[0]['rx_errors'] == 0" \
            "px-fwd received all $tp_tx frames testpmd sent ($len bytes, $ring, mrg_rxbuf=$mrg, $q queue(s))"
        check "p[0]['rx_bytes'] == $tp_tx * $len" "every byte counted"
        vh_queues rx "$q"
    else
        # testpmd serves the socket (server=1; its probe waits for the backend); px-fwd
        # (interactive) connects (client=1) and starts sending only once testpmd forwards:
        # DPDK's virtio start drops what is in its RX ring (virtqueue_rxvq_flush) after
        # DRIVER_OK. px-fwd stops sending, testpmd counts with the rings still there, then
        # both quit
        tp_nowait=1 tp_start "$vdev,server=1" --forward-mode=rxonly "${tpa[@]}"
        fwd_ready "$sock"
        rm -f "$tmp/px.in" && mkfifo "$tmp/px.in"
        timeout 60 "$fwd" --no-huge -m 256 -l 0-1 --log-level=ethdev:debug \
            --vdev "net_vhost0,iface=$sock,queues=$q,client=1" -- -i --forward-mode=txonly \
            --txpkts="$len" "${pxa[@]}" --stats-period=0 --stats-json="$json" \
            <"$tmp/px.in" >"$tmp/out" 2>&1 &
        fwd_pid=$!
        exec 4>"$tmp/px.in"
        testpmd_wait
        echo start >&4
        sleep "$traffic"
        echo stop >&4
        sleep 1
        testpmd_stop
        echo quit >&4
        exec 4>&-
        wait "$fwd_pid" || { cat "$tmp/out"; echo "FAIL: px-fwd failed"; exit 1; }
        grep -v "^testpmd> *$" "$tmp/out" | tail -n 20
        check 'd["mbufs_in_pool"] == d["mbufs_total"] > 0 and d["mbufs_leaked"] == 0 and d["mbufs_freed_twice"] == 0' \
            "every mbuf back in the pool once"
        check "p[0]['tx_packets'] == $tp_rx and $tp_rx > 1000 and p[0]['tx_errors'] == 0" \
            "testpmd received all $tp_rx frames px-fwd sent ($len bytes, $ring, mrg_rxbuf=$mrg, $q queue(s))"
        vh_queues tx "$q"
    fi
}

# The frontend goes away mid-traffic (killed, then quitting) and comes back; px-fwd keeps
# running; afterwards its fds and mappings are what they were before the first frontend.
vh_restart() {
    local ring=$1 vdev="" fds maps before=0 sum=0
    [ "$ring" = packed ] && vdev="packed_vq=1"
    fwd_start -l 0-1 --vdev "net_vhost0,iface=$sock" -- --forward-mode=rxonly
    fwd_ready "$sock"
    sleep 0.5
    fds=$(fd_count) maps=$(map_count)
    tp_start "$vdev" --forward-mode=txonly
    sleep "$traffic"
    testpmd_stop
    sum=$((sum + tp_tx))
    tp_start "$vdev" --forward-mode=txonly
    sleep "$traffic"
    testpmd_kill
    echo "killed dpdk-testpmd mid-traffic"
    sleep 1
    [ "$(fd_count)" -eq "$fds" ] && [ "$(map_count)" -eq "$maps" ] ||
        { echo "FAIL: px-fwd has $(fd_count) fds and $(map_count) mappings, $fds and $maps before"; exit 1; }
    echo "ok: after the killed frontend px-fwd has its $fds fds and $maps mappings"
    tp_start "$vdev" --forward-mode=txonly
    sleep "$traffic"
    testpmd_stop
    sum=$((sum + tp_tx))
    sleep 0.5
    [ "$(fd_count)" -eq "$fds" ] && [ "$(map_count)" -eq "$maps" ] ||
        { echo "FAIL: px-fwd has $(fd_count) fds and $(map_count) mappings, $fds and $maps before"; exit 1; }
    fwd_stop
    check "p[0]['rx_packets'] >= $sum > 2000 and p[0]['rx_errors'] == 0" \
        "px-fwd received at least the $sum frames of the two frontends that quit"
    check "p[0]['rx_packets'] > $sum" "and some of the killed one's"
}

# client=1: testpmd serves the socket (server=1) and is restarted; net_vhost reconnects on its
# own (every second) and receives from both; counts exact, fds and mappings as before
vh_reconnect() {
    local fds maps sum=0 i
    tp_nowait=1 tp_start "server=1" --forward-mode=txonly
    fwd_ready "$sock"
    fwd_start -l 0-1 --log-level=ethdev:debug --vdev "net_vhost0,iface=$sock,client=1" -- \
        --forward-mode=rxonly
    testpmd_wait
    for i in 1 2; do
        sleep "$traffic"
        [ "$i" = 1 ] && { fds=$(fd_count); maps=$(map_count); }
        testpmd_stop
        sum=$((sum + tp_tx))
        [ "$i" = 2 ] && break
        sleep 0.5
        tp_nowait=1 tp_start "server=1" --forward-mode=txonly
        testpmd_wait
    done
    [ "$(fd_count)" -le "$fds" ] && [ "$(map_count)" -le "$maps" ] ||
        { echo "FAIL: px-fwd has $(fd_count) fds and $(map_count) mappings, $fds and $maps connected"; exit 1; }
    fwd_stop
    check "p[0]['rx_packets'] == $sum and $tp_tx > 1000 and p[0]['rx_errors'] == 0" \
        "px-fwd (client=1) received all $sum frames of both testpmd servers"
    [ "$(fwd_xstat 0 connects)" -eq 2 ] || { echo "FAIL: $(fwd_xstat 0 connects) connections, 2 wanted"; exit 1; }
    echo "ok: 2 connections"
}

# pollux_case RING MRG QUEUES LEN [IN_ORDER]: px-fwd txonly on net_virtio_user (hugepages, shared with the
# backend) -> px-fwd rxonly --check on net_vhost (--no-huge): every frame sent arrives once,
# intact, no sequence number twice; counts exact. net_virtio_user drains its TX ring before it
# stops. --tx-pps paces the sender (txonly sends the number of a frame its full ring refused
# again with the next burst, so a gap in the numbers is a lost frame).
# net_vhost offers VIRTIO_F_IN_ORDER: net_virtio_user takes it unless IN_ORDER is 0
# (in_order=0), checked in its log.
pollux_case() {
    local ring=$1 mrg=$2 q=$3 len=$4 in_order=${5:-1} vdev pxa=() free
    free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
    [ "${free:-0}" -ge 48 ] || { echo "SKIP: needs 48 free 2 MiB hugepages (px-hugepages --setup 256M)"; exit 77; }
    vdev="path=$sock,mrg_rxbuf=$mrg,queues=$q,in_order=$in_order"
    [ "$ring" = packed ] && vdev+=",packed_vq=1"
    [ "$q" -gt 1 ] && pxa+=(--rxq="$q" --txq="$q")
    [ "$len" -gt 1514 ] && pxa+=(--max-pkt-len=$((len + 18)) --enable-scatter)
    # one core each: net_vhost's px-fwd forwards on lcore 0, net_virtio_user's on lcore 1
    fwd_start -l 0 --log-level=ethdev:debug --vdev "net_vhost0,iface=$sock,queues=$q" -- \
        --forward-mode=rxonly --check --txpkts="$len" "${pxa[@]}"
    fwd_ready "$sock"
    timeout 60 "$fwd" -l 1 -m 64 --file-prefix "pxvu$$" --log-level=pmd.net.virtio_user:info \
        --vdev "net_virtio_user0,$vdev" -- \
        --forward-mode=txonly --txpkts="$len" --duration="$traffic" --tx-pps=$((40000 / q)) "${pxa[@]}" \
        --stats-period=0 \
        --stats-json="$tmp/vu.json" >"$tmp/vu.out" 2>&1 || {
        cat "$tmp/vu.out"
        if grep -q "one queue pair only" "$tmp/vu.out"; then
            fwd_stop >/dev/null; echo "SKIP: net_virtio_user has one queue pair only"; exit 77
        fi
        echo "FAIL: px-fwd on net_virtio_user failed"; exit 1; }
    sleep 0.5
    fwd_stop
    python3 - "$tmp/vu.json" "$json" "$len" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["ports"][0]
r = json.load(open(sys.argv[2]))["ports"][0]
n = int(sys.argv[3])
ok = (r["rx_packets"] == t["tx_packets"] > 1000 and t["tx_errors"] == 0 and r["rx_bad"] == 0
      and r["rx_errors"] == 0 and r["rx_bytes"] == t["tx_packets"] * n)
print("%s: net_virtio_user sent %d, net_vhost received %d (%d bad, %d reordered), %d bytes each"
      % ("ok" if ok else "FAIL", t["tx_packets"], r["rx_packets"], r["rx_bad"], r["rx_reordered"], n))
sys.exit(0 if ok else 1)
PY
    vh_queues rx "$q"
    fwd_in_order "$tmp/vu.out" "$in_order"
}

case $case in
pollux_split) pollux_case split 1 1 60 ;;
pollux_packed) pollux_case packed 1 1 60 ;;
pollux_split_nomrg) pollux_case split 0 1 1514 ;;
pollux_packed_nomrg) pollux_case packed 0 1 1514 ;;
pollux_split_2q) pollux_case split 1 2 60 ;;
pollux_packed_2q) pollux_case packed 1 2 1514 ;;
pollux_split_jumbo) pollux_case split 1 1 9000 ;;
pollux_split_ooo) pollux_case split 1 1 60 0 ;;
pollux_split_nomrg_ooo) pollux_case split 0 1 1514 0 ;;
pollux_split_jumbo_ooo) pollux_case split 1 1 9000 0 ;;
pollux_packed_ooo) pollux_case packed 1 1 60 0 ;;
pollux_packed_jumbo) pollux_case packed 1 1 9000 ;;
dpdk_tx_split) vh_case tx split 1 1 64 ;;
dpdk_tx_packed) vh_case tx packed 1 1 64 ;;
dpdk_tx_split_2q) vh_case tx split 1 2 64 ;;
dpdk_tx_packed_2q) vh_case tx packed 1 2 64 ;;
dpdk_tx_split_jumbo) vh_case tx split 1 1 9000 ;;
dpdk_tx_packed_jumbo) vh_case tx packed 1 1 9000 ;;
dpdk_rx_split) vh_case rx split 1 1 64 ;;
dpdk_rx_packed) vh_case rx packed 1 1 64 ;;
dpdk_rx_split_nomrg) vh_case rx split 0 1 1500 ;;
dpdk_rx_packed_nomrg) vh_case rx packed 0 1 1500 ;;
dpdk_rx_split_2q) vh_case rx split 1 2 64 ;;
dpdk_rx_packed_2q) vh_case rx packed 1 2 64 ;;
dpdk_rx_split_jumbo) vh_case rx split 1 1 9000 ;;
dpdk_rx_packed_jumbo) vh_case rx packed 1 1 9000 ;;
dpdk_restart_split) vh_restart split ;;
dpdk_restart_packed) vh_restart packed ;;
dpdk_reconnect_client) vh_reconnect ;;
bad_devargs)
    for args in "" "iface=$sock,queues=0" "iface=$sock,queues=9" "iface=$sock,client=2" \
                "iface=$sock,iommu-support=1" "iface=$sock,dequeue-zero-copy=1" "iface=$sock,bogus=1" \
                "iface=/nonexistent/dir/sock"; do
        key=${args##*,}; key=${key%%=*}
        [ -n "$key" ] || key=iface
        [ "$key" = "iface" ] && [ -n "$args" ] && key=nonexistent
        fwd_refused net_vhost0 "$args" "$key"
        echo "ok: '$args' refused naming $key"
    done
    ;;
*)
    echo "unknown case $case"; exit 2 ;;
esac

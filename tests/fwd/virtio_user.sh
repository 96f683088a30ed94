#!/usr/bin/env bash
# tests/fwd/virtio_user.sh PX_FWD CASE: net_virtio_user (Pollux's virtio-net PMD over vhost-user)
# against DPDK 22.11's dpdk-testpmd on net_vhost, the vhost-user backend, through a UNIX socket in
# a temporary directory. Both directions with exact counts on both sides: Pollux txonly -> testpmd
# rxonly (Pollux's port drains its TX ring before it stops) and testpmd txonly -> Pollux rxonly
# (testpmd stops first; Pollux reads what is left in its ring). Split and packed rings, mergeable
# RX buffers on and off, 60- to 9000-byte frames; a backend restarted under a server=1 port;
# refused devargs. px-fwd runs on hugepages (shared with the backend; --no-huge is refused).
# VIRTIO_F_IN_ORDER (DPDK's net_vhost offers it): negotiated by default, refused with in_order=0
# (the *_ooo cases), checked in net_virtio_user's log (fwd_in_order).
# Exits 77 without dpdk-testpmd or free hugepages.
set -euo pipefail
fwd=$1 case=$2 prog=${3:-}
source "$(dirname "$0")/lib.sh"
fwd_need dpdk-testpmd python3
fwd_tmp
sock=$tmp/vhost.sock
free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
[ "${free:-0}" -ge 48 ] || { echo "SKIP: needs 48 free 2 MiB hugepages (px-hugepages --setup 256M)"; exit 77; }

# px-fwd on hugepages: shared with the backend (--no-huge is refused)
fwd_mem="-m 64"
# traffic: how long each run moves frames (seconds); the counts are exact whatever the rate
traffic=1

# vu_start VDEV-ARGS APP-ARGS...: px-fwd on net_virtio_user0,VDEV-ARGS in the background, until
# fwd_stop, or fwd_wait with --duration
vu_start() {
    local dev=$1
    shift
    fwd_start -l 0-1 --log-level=pmd.net.virtio_user:debug --log-level=pmd.net.virtio:info \
        --log-level=ethdev:debug --vdev "net_virtio_user0,$dev" -- "$@"
}

# in_order_want DEVARGS: 1 when the port negotiates VIRTIO_F_IN_ORDER with these devargs
in_order_want() { case $1 in *in_order=0*) echo 0 ;; *) echo 1 ;; esac; }

# tx DEVARGS LEN [PX-ARGS...]: Pollux sends LEN-byte frames for $traffic s; testpmd receives every one
# (with queues=2 in DEVARGS, on two queue pairs, queue 1 carrying some)
tx() {
    local dev=$1 len=$2 q=1
    shift 2
    case $dev in *queues=2*) q=2 ;; esac
    testpmd_start "net_vhost0,iface=$sock,queues=$q" --forward-mode=rxonly --max-pkt-len=9600 \
        --rxq=$q --txq=$q
    vu_start "path=$sock,$dev" --forward-mode=txonly --txpkts="$len" --duration="$traffic" --rxq=$q --txq=$q "$@"
    fwd_wait
    testpmd_stop
    check "p[0]['tx_packets'] == $tp_rx > 1000 and p[0]['tx_errors'] == 0 and p[0]['tx_bytes'] == $tp_rx * $len" \
        "Pollux sent what testpmd received ($tp_rx frames of $len bytes)"
    fwd_in_order "$tmp/out" "$(in_order_want "$dev")"
    queue_used tx $q
}

# queue_used DIR Q: with Q = 2, queue 1 moved frames too (px-fwd's xstats at close)
queue_used() {
    [ "$2" -eq 2 ] || return 0
    local n
    n=$(fwd_xstat 0 "$1_q1_packets")
    [ "$n" -gt 1000 ] || { echo "FAIL: $1 queue 1 moved $n frames"; exit 1; }
    echo "ok: $1 queue 1 moved $n frames"
}

# rx DEVARGS LEN [PX-ARGS...]: testpmd sends LEN-byte frames for $traffic s and stops; Pollux,
# still polling, has received every one
rx() {
    local dev=$1 len=$2 q=1
    shift 2
    case $dev in *queues=2*) q=2 ;; esac
    testpmd_start "net_vhost0,iface=$sock,queues=$q" --forward-mode=txonly --mbuf-size=9728 \
        --txpkts="$len" --rxq=$q --txq=$q
    vu_start "path=$sock,$dev" --forward-mode=rxonly --rxq=$q --txq=$q "$@"
    sleep "$traffic"
    testpmd_stop
    sleep 0.5
    fwd_stop
    check "p[0]['rx_packets'] == $tp_tx > 1000 and p[0]['rx_bytes'] == $tp_tx * $len and p[0]['rx_bad'] == 0" \
        "Pollux received what testpmd sent ($tp_tx frames of $len bytes)"
    fwd_in_order "$tmp/out" "$(in_order_want "$dev")"
    queue_used rx $q
}

# restart HOW DEVARGS: Pollux listens (server=1) and receives; testpmd (client=1) sends and goes
# (HOW: stop, or kill: SIGKILL mid-traffic), and a new one connects and sends: Pollux sees the
# first go, holds as many fds with the second backend as with the first, and receives what both
# sent (after a kill: at least the second one's and some of the first one's)
restart() {
    local tx1 fd1 fd2 px
    vu_start "path=$sock,server=1${2:+,$2}" --forward-mode=rxonly
    fwd_ready "$sock"
    testpmd_start "net_vhost0,iface=$sock,client=1" --forward-mode=txonly
    sleep "$traffic"
    px=$(pgrep -P "$fwd_pid")
    fd1=$(ls "/proc/$px/fd" | wc -l)
    if [ "$1" = kill ]; then testpmd_kill; else testpmd_stop; tx1=$tp_tx; fi
    testpmd_start "net_vhost0,iface=$sock,client=1" --forward-mode=txonly
    sleep "$traffic"
    fd2=$(ls "/proc/$px/fd" | wc -l)
    testpmd_stop
    sleep 0.5
    fwd_stop
    grep -q "went away" "$tmp/out" || { echo "FAIL: Pollux did not see the first backend go ($1)"; exit 1; }
    [ "$fd1" -eq "$fd2" ] || { echo "FAIL: px-fwd held $fd1 fds with the first backend, $fd2 with the second"; exit 1; }
    echo "ok: $fd1 fds with either backend"
    if [ "$1" = kill ]; then
        check "p[0]['rx_packets'] > $tp_tx > 1000" "Pollux received the second backend's $tp_tx frames and the killed one's"
    else
        check "p[0]['rx_packets'] == $tx1 + $tp_tx and $tx1 > 1000 and $tp_tx > 1000" \
            "Pollux received both backends' frames ($tx1 + $tp_tx)"
    fi
}

# refused DEVARGS WHAT [EAL-ARGS]: px-fwd fails at probe with one line of net_virtio_user's naming WHAT
refused() {
    local rc=0
    "$fwd" -l 0 ${3:--m 64} --vdev "net_virtio_user0,$1" -- --duration=0.1 >"$tmp/out" 2>&1 || rc=$?
    if [ $rc -eq 0 ] || [ "$(grep -c "pmd.net.virtio_user" "$tmp/out")" -ne 1 ] || ! grep -q "$2" "$tmp/out"; then
        echo "FAIL: '$1' exit $rc, or not one message naming $2"; cat "$tmp/out"; exit 1
    fi
    echo "ok: '$1' refused: $(grep -m1 "pmd.net.virtio_user" "$tmp/out")"
}

case $case in
tx_split)
    tx "packed_vq=0,mac=02:11:22:33:44:55" 60
    grep -q "MAC 02:11:22:33:44:55" "$tmp/out" || { echo "FAIL: the port did not take mac="; exit 1; }
    echo "ok: mac= taken"
    ;;
tx_packed) tx "packed_vq=1" 60 ;;
tx_jumbo) tx "mrg_rxbuf=1" 9000 --enable-scatter ;;
tx_jumbo_packed) tx "packed_vq=1" 9000 --enable-scatter ;;
rx_split) rx "packed_vq=0" 60 ;;
rx_packed) rx "packed_vq=1" 60 ;;
rx_jumbo) rx "mrg_rxbuf=1" 9000 --enable-scatter --max-pkt-len=9018 ;;
rx_jumbo_packed) rx "packed_vq=1" 9000 --enable-scatter --max-pkt-len=9018 ;;
rx_mrg_off) rx "mrg_rxbuf=0" 1514 ;;
tx_split_ooo) tx "in_order=0" 60 ;;
tx_jumbo_ooo) tx "in_order=0" 9000 --enable-scatter ;;
rx_split_ooo) rx "in_order=0" 60 ;;
rx_jumbo_ooo) rx "in_order=0,mrg_rxbuf=1" 9000 --enable-scatter --max-pkt-len=9018 ;;
tx_packed_ooo) tx "packed_vq=1,in_order=0" 60 ;;
rx_jumbo_packed_ooo) rx "packed_vq=1,in_order=0" 9000 --enable-scatter --max-pkt-len=9018 ;;
tx_2q) tx "queues=2" 60 ;;
tx_2q_packed) tx "queues=2,packed_vq=1" 60 ;;
rx_2q) rx "queues=2" 60 ;;
rx_2q_packed) rx "queues=2,packed_vq=1" 1514 ;;
restart) restart stop "packed_vq=0" ;;
restart_packed) restart stop "packed_vq=1" ;;
restart_kill) restart kill ;;
rx_intr)
    # RX interrupts (test_virtio_user_intr.c) with Pollux's net_vhost as the backend, sending 20
    # frames a second: ten wake-ups, each from the backend's call (its "calls" xstat counts them)
    [ -n "$prog" ] || { echo "virtio_user.sh: case rx_intr needs the test program"; exit 2; }
    [ "$free" -ge 80 ] || { echo "SKIP: needs 80 free 2 MiB hugepages (two processes)"; exit 77; }
    timeout 60 "$fwd" -l 0-1 -m 64 --log-level=ethdev:debug --vdev "net_vhost0,iface=$sock" -- \
        --forward-mode=txonly --burst=1 --tx-pps=20 --duration=10 --stats-period=0 >"$tmp/out" 2>&1 &
    vh=$!
    fwd_ready "$sock"
    timeout 60 "$prog" -l 0 -m 64 --vdev "net_virtio_user0,path=$sock" || { echo "FAIL: test_virtio_user_intr"; exit 1; }
    wait "$vh" || { cat "$tmp/out"; echo "FAIL: px-fwd on net_vhost"; exit 1; }
    calls=$(fwd_xstat 0 calls)
    [ "$calls" -ge 10 ] || { cat "$tmp/out"; echo "FAIL: the backend called $calls times, want 10 or more"; exit 1; }
    echo "ok: the backend signalled the call eventfd $calls times"
    ;;
bad_devargs)
    refused "path=$tmp/none.sock" "cannot connect"
    refused "path=$sock,queues=0" "queues=0"
    refused "path=$sock,queues=9" "queues=9"
    refused "queue_size=256" "path="
    refused "path=$sock,queue_size=100" "power of two"
    refused "path=$sock" "not file-backed" "--no-huge -m 64"
    ;;
*) echo "unknown case $case"; exit 2 ;;
esac

# tests/fwd/lib.sh: what the px-fwd test scripts share. Source it after setting `fwd` (px-fwd).
#   fwd_tmp                      make $tmp (removed at exit) and $json, px-fwd's --stats-json
#   fwd_need_root WHAT           exit 77 unless root, naming WHAT needs it
#   fwd_need CMD...              exit 77 naming the first missing command
#   fwd_netns PREFIX             make a network namespace $ns (deleted at exit, IPv6 off); inns CMD
#   fwd_veth A B [QUEUES]        a veth pair A <-> B in $ns, both up (QUEUES RX and TX queues on each)
#   fwd_send IFACE N [OUT [GAP]] a raw socket on IFACE sends N frames of 60..1514 bytes (byte j of
#                                frame i's payload is i + j), GAP s apart (default 0: at once), OUT
#                                their hex, a line each
#   fwd_capture IFACE OUT [all]  every frame IFACE receives (with all: sends too), as hex lines in OUT,
#                                in the background until fwd_capture_stop; returns once it listens
#   fwd_capture_stop             what is in flight arrives, then every capture writes its file
#   fwd_rxonly_check EAL-ARGS    two ports, each sends one burst of txonly frames to the other
#                                (a veth): the 32 arrive on each, content and sequence checked
#   fwd_io_round EAL-ARGS        two ports: 2 x 32 frames go round between them for 1 s
#   fwd_refused VDEV ARGS KEY    px-fwd on --vdev VDEV,ARGS fails at probe with a message naming KEY
#   run EAL-ARGS -- APP-ARGS     px-fwd (inside $ns when made, $fwd_timeout s, default 60), exit 0 wanted, its
#                                output printed, and every mbuf back in the pool exactly once; its memory
#                                options are $fwd_mem (default --no-huge -m 256)
#   check 'EXPR' MESSAGE         a Python expression over d (the JSON) and p (its ports)
#   fwd_start ARGS / fwd_stop    run's two halves: px-fwd in the background until fwd_stop (SIGINT)
#   fwd_wait                     as fwd_stop, but px-fwd ends by itself (--duration)
#   fwd_bound IFACE              wait (20 s at most) until a packet socket is bound to IFACE
#   testpmd_start VDEV ARGS...   DPDK's dpdk-testpmd on VDEV in the background (inside $ns), ARGS
#                                its application options, $tp_eal more EAL options; returns once it
#                                forwards (77 without it), or at once with tp_nowait=1 (then testpmd_wait).
#                                With tp_interactive=1 it is interactive (-i), its commands written to fd 3
#   testpmd_stop                 SIGINT (interactive: "stop", 1 s with its rings still there for the
#                                peer, "quit"); sets tp_rx tp_missed tp_tx from its accumulated forward
#                                statistics (RX-packets, RX-dropped: imissed, TX-packets)
#   testpmd_kill                 SIGKILL to dpdk-testpmd mid-traffic
#   testpmd_rx_check N KDROP     after Pollux sent N with no error and testpmd_stop: testpmd's
#                                received + missed + KDROP (the kernel's drops on the way) is N
#   fwd_ready FILE...            wait until each FILE exists (a background peer is listening), 10 s at most
#   fwd_xstat PORT NAME          xstat NAME of PORT at its close, from px-fwd's output (run with
#                                --log-level=ethdev:debug, which logs every nonzero xstat); 0 if absent
#   fwd_ping NS ADDR OUT         the kernel's ping from namespace NS to ADDR, once it answers (px-fwd
#                                up, 20 s at most): 100 echo requests 10 ms apart, none lost; report in OUT
# shellcheck shell=bash

fwd_cleanup() {
    [ -z "${ns:-}" ] || ip netns del "$ns" 2>/dev/null || true
    [ -z "${tmp:-}" ] || rm -rf "$tmp"
}

fwd_tmp() {
    tmp=$(mktemp -d)
    json=$tmp/stats.json
    trap fwd_cleanup EXIT
}

fwd_need_root() {
    [ "$(id -u)" = 0 ] || { echo "SKIP: needs root ($1)"; exit 77; }
}

fwd_need() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null || { echo "SKIP: needs $c"; exit 77; }
    done
}

fwd_netns() {
    fwd_need ip
    ns=$1$$.$RANDOM
    ip netns add "$ns" 2>"$tmp/err" ||
        { ns=""; echo "SKIP: cannot create a network namespace: $(cat "$tmp/err")"; exit 77; }
    # no IPv6: its autoconfiguration would put frames of its own on the interfaces
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
}

inns() {
    if [ -n "${ns:-}" ]; then ip netns exec "$ns" "$@"; else "$@"; fi
}

run() {
    # shellcheck disable=SC2086 # fwd_mem: several options
    inns timeout "${fwd_timeout:-60}" "$fwd" ${fwd_mem:---no-huge -m 256} "$@" --stats-period=0 --stats-json="$json" >"$tmp/out" 2>&1 ||
        { cat "$tmp/out"; echo "FAIL: px-fwd failed"; exit 1; }
    cat "$tmp/out"
    check 'd["mbufs_in_pool"] == d["mbufs_total"] > 0 and d["mbufs_leaked"] == 0 and d["mbufs_freed_twice"] == 0' \
        "every mbuf back in the pool once"
}

fwd_start() {
    # shellcheck disable=SC2086 # fwd_mem: several options
    ${ns:+ip netns exec "$ns"} timeout "${fwd_timeout:-60}" "$fwd" ${fwd_mem:---no-huge -m 256} "$@" \
        --stats-period=0 --stats-json="$json" >"$tmp/out" 2>&1 &
    fwd_pid=$!
}

fwd_stop() {
    kill -INT "$fwd_pid" 2>/dev/null || true
    fwd_wait
}

fwd_wait() {
    local rc=0
    wait "$fwd_pid" || rc=$?
    cat "$tmp/out"
    [ $rc -eq 0 ] || { echo "FAIL: px-fwd exit $rc"; exit 1; }
    check 'd["mbufs_in_pool"] == d["mbufs_total"] > 0 and d["mbufs_leaked"] == 0 and d["mbufs_freed_twice"] == 0' \
        "every mbuf back in the pool once"
}

fwd_bound() {
    local i idx
    idx=$(inns cat "/sys/class/net/$1/ifindex")
    for i in $(seq 200); do
        inns awk -v i="$idx" 'NR > 1 && $5 == i { f = 1 } END { exit !f }' /proc/net/packet && return 0
        sleep 0.1
    done
    echo "FAIL: no packet socket bound to $1 after 20 s"; exit 1
}

testpmd_start() {
    fwd_need dpdk-testpmd stdbuf
    local vdev=$1 in=/dev/null mode=(--stats-period 1)
    shift
    tp_fifo=""
    if [ -n "${tp_interactive:-}" ]; then
        tp_fifo=$tmp/testpmd.in
        rm -f "$tp_fifo" && mkfifo "$tp_fifo"
        in=$tp_fifo mode=(-i)
    fi
    # shellcheck disable=SC2086 # tp_eal: several options
    ${ns:+ip netns exec "$ns"} timeout 120 stdbuf -oL dpdk-testpmd --no-huge -m 512 --no-pci -l 0-1 \
        ${tp_eal:-} --file-prefix "pxtp$$" --vdev "$vdev" -- "${mode[@]}" --total-num-mbufs=16384 "$@" \
        --auto-start <"$in" >"$tmp/testpmd.log" 2>&1 &
    testpmd_pid=$!
    [ -z "$tp_fifo" ] || exec 3>"$tp_fifo"
    [ -n "${tp_nowait:-}" ] || testpmd_wait
}

# forwarding starts (its counters from 0) once it has printed its configuration
testpmd_wait() {
    local i
    for i in $(seq 300); do
        grep -q "packet forwarding - ports=" "$tmp/testpmd.log" && { sleep 0.5; return 0; }
        kill -0 "$testpmd_pid" 2>/dev/null || break
        sleep 0.1
    done
    cat "$tmp/testpmd.log"; echo "FAIL: dpdk-testpmd did not start forwarding"; exit 1
}

testpmd_stop() {
    if [ -n "$tp_fifo" ]; then
        echo "show port stats all" >&3
        echo stop >&3
        sleep 1
        echo quit >&3
        exec 3>&-
    else
        kill -INT "$testpmd_pid" 2>/dev/null || true
    fi
    wait "$testpmd_pid" || true
    read -r tp_rx tp_missed tp_tx < <(awk '/Accumulated forward statistics/ { a = 1 }
        a && /RX-packets:/ { rx = $2; missed = $4 } a && /TX-packets:/ { tx = $2; a = 0 }
        END { print rx " " missed " " tx }' "$tmp/testpmd.log")
    [ -n "$tp_tx" ] || { cat "$tmp/testpmd.log"; echo "FAIL: no forward statistics from dpdk-testpmd"; exit 1; }
    echo "dpdk-testpmd: RX-packets $tp_rx RX-dropped (imissed) $tp_missed TX-packets $tp_tx"
}

# testpmd_kill: SIGKILL to dpdk-testpmd itself (under timeout) mid-traffic
testpmd_kill() {
    kill -KILL "$(pgrep -P "$testpmd_pid")" 2>/dev/null || true
    wait "$testpmd_pid" 2>/dev/null || true
    [ -z "$tp_fifo" ] || exec 3>&-
}

testpmd_rx_check() {
    check "p[0]['tx_packets'] == $1 and p[0]['tx_errors'] == 0" "Pollux sent $1"
    [ $((tp_rx + tp_missed + $2)) -eq "$1" ] && [ "$tp_rx" -gt 1000 ] ||
        { echo "FAIL: testpmd received $tp_rx, missed $tp_missed, the kernel dropped $2: want $1 in all"; exit 1; }
    echo "ok: testpmd's $tp_rx received + $tp_missed missed + $2 dropped by the kernel = Pollux's $1 sent"
}

check() {
    python3 - "$json" "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
p = d["ports"]
if not eval(sys.argv[2]):
    print("FAIL:", sys.argv[3], json.dumps(d, indent=1))
    sys.exit(1)
print("ok:", sys.argv[3])
PY
}

fwd_ready() {
    local f i
    for f in "$@"; do
        for i in $(seq 100); do [ -e "$f" ] && continue 2; sleep 0.1; done
        [ ! -f "$tmp/out" ] || cat "$tmp/out"
        echo "FAIL: $f did not appear in 10 s"; exit 1
    done
}

# fwd_carrier IFACE...: waits, 20 s at the most, until each IFACE in $ns has carrier: up, with
# a reader attached (a tap once px-fwd opened it; the file reads EINVAL while IFACE is down).
# Run before a sender that must not send into a tap nobody reads.
fwd_carrier() {
    local f i
    for f in "$@"; do
        for i in $(seq 400); do
            [ "$(inns cat "/sys/class/net/$f/carrier" 2>/dev/null)" = 1 ] && continue 2
            sleep 0.05
        done
        echo "fwd_carrier: $f has no carrier after 20 s"
    done
}

# fwd_in_order OUT WANT: net_virtio_user's log in OUT ("the backend at ... has the rings (features
# 0x...)", at pmd.net.virtio_user:info or debug) shows VIRTIO_F_IN_ORDER (bit 35) negotiated when
# WANT is 1, not negotiated when 0, on every connection
fwd_in_order() {
    local f n=0 not=
    [ "$2" = 1 ] || not="not "
    for f in $(grep -ao "has the rings (features 0x[0-9a-f]*" "$1" | grep -o "0x[0-9a-f]*$"); do
        n=$((n + 1))
        [ $(((f >> 35) & 1)) -eq "$2" ] ||
            { echo "FAIL: features $f: VIRTIO_F_IN_ORDER wanted ${not}negotiated"; exit 1; }
    done
    [ $n -gt 0 ] || { echo "FAIL: no negotiated features in net_virtio_user's log"; exit 1; }
    echo "ok: VIRTIO_F_IN_ORDER ${not}negotiated ($f)"
}

fwd_xstat() {
    awk -v p="port $1:" -v n="$2" '$2 " " $3 == p && $4 == n { v = $5 } END { print v + 0 }' "$tmp/out"
}

fwd_ping() {
    local i
    for i in $(seq 20); do
        ip netns exec "$1" ping -n -c 1 -W 1 "$2" >/dev/null 2>&1 && break
    done
    ip netns exec "$1" ping -n -q -c 100 -i 0.01 -W 1 "$2" >"$3" 2>&1 && grep -q " 0% packet loss" "$3"
}

fwd_veth() {
    local q=()
    [ -z "${3:-}" ] || q=(numrxqueues "$3" numtxqueues "$3")
    ip -n "$ns" link add "$1" "${q[@]}" type veth peer name "$2" "${q[@]}"
    ip -n "$ns" link set "$1" up
    ip -n "$ns" link set "$2" up
}

fwd_send() {
    inns python3 - "$1" "$2" "${3:-/dev/null}" "${4:-0}" <<'PY'
import socket, sys, time
iface, n, out, gap = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
frames = []
for i in range(n):
    size = 60 + i * (1514 - 60) // max(n - 1, 1)
    frames.append(bytes.fromhex("020000000001020000000002") + b"\x88\xb5" +
                  bytes((i + j) & 255 for j in range(size - 14)))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((iface, 0))
for f in frames:
    s.send(f)
    if gap:
        time.sleep(gap)
open(out, "w").write("\n".join(f.hex() for f in frames) + "\n")
PY
}

fwd_capture() {
    rm -f "$2.ready" "$tmp/capstop"
    inns python3 - "$1" "$2" "${3:-in}" "$tmp/capstop" <<'PY' &
import os, socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.setsockopt(socket.SOL_SOCKET, 33, 64 << 20)  # SO_RCVBUFFORCE: room for every frame
s.bind((sys.argv[1], 0))
s.settimeout(0.1)
open(sys.argv[2] + ".ready", "w").close()
out = []
while not os.path.exists(sys.argv[4]):
    try:
        f, addr = s.recvfrom(65536)
    except socket.timeout:
        continue
    if sys.argv[3] == "all" or addr[2] != socket.PACKET_OUTGOING:
        out.append(f.hex())
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PY
    fwd_cap_pids+=($!)
    for _ in $(seq 300); do [ -e "$2.ready" ] && return 0; sleep 0.1; done
    echo "FAIL: the capture on $1 did not start"; exit 1
}

fwd_capture_stop() {
    sleep 0.5
    touch "$tmp/capstop"
    local p
    for p in "${fwd_cap_pids[@]}"; do wait "$p"; done
    fwd_cap_pids=()
}

fwd_rxonly_check() {
    run -l 0-1 "$@" -- --forward-mode=rxonly --check --tx-first --duration=0.5
    check 'p[0]["rx_packets"] == 32 and p[1]["rx_packets"] == 32' "32 received per port"
    check 'all(x["rx_bad"] == 0 for x in p)' "content and sequence checked"
}

fwd_io_round() {
    run -l 0-1 "$@" -- --forward-mode=io --tx-first --duration=1
    check '0 < sum(x["tx_packets"] for x in p) - sum(x["rx_packets"] for x in p) <= 64' "at most 64 frames in flight"
    check 'min(x["rx_packets"] for x in p) > 1000' "frames went round many times"
}

fwd_refused() {
    local rc=0
    inns "$fwd" -l 0 --no-huge -m 64 --vdev "$1${2:+,$2}" -- --duration=0.1 >"$tmp/out" 2>&1 || rc=$?
    if [ $rc -eq 0 ] || ! grep -q "$3" "$tmp/out"; then
        echo "FAIL: '$2' exit $rc, or no message naming $3"; cat "$tmp/out"; exit 1
    fi
    echo "ok: '$2' refused: $(grep -m1 "$3" "$tmp/out")"
}

# fwd_tx_backlog VDEV: px-fwd txonly on vb (VDEV names it) while the peer va's received frames are
# processed by the other CPU (RPS): the sender's socket buffer fills with frames waiting in that
# CPU's backlog, and the kernel stops sending with frames left in the PMD's TX ring. The port
# must keep sending: va still receives in the third second. (A PMD that kicked the kernel only
# when it had queued something new stopped for good once its ring was full.)
fwd_tx_backlog() {
    [ "$(nproc)" -ge 2 ] || { echo "SKIP: needs 2 CPUs (the sender on one, the peer's RPS on the other)"; exit 77; }
    inns sh -c 'echo 1 > /sys/class/net/va/queues/rx-0/rps_cpus'
    inns timeout 30 "$fwd" --lcores 0@0,1@1 --no-huge -m 256 --vdev "$1" -- --forward-mode=txonly \
        --duration=4 --stats-period=0 --stats-json="$json" >"$tmp/out" 2>&1 &
    local pid=$! a b
    sleep 2.5
    a=$(inns cat /sys/class/net/va/statistics/rx_packets)
    sleep 1
    b=$(inns cat /sys/class/net/va/statistics/rx_packets)
    wait $pid || { cat "$tmp/out"; echo "FAIL: px-fwd failed"; exit 1; }
    cat "$tmp/out"
    echo "va received $((b - a)) frames in the third second"
    [ $((b - a)) -gt 1000 ] || { echo "FAIL: the port stopped sending (TX ring full, no kick)"; exit 1; }
    check 'd["mbufs_in_pool"] == d["mbufs_total"] > 0 and d["mbufs_leaked"] == 0' "every mbuf back in the pool"
}

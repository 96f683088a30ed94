#!/usr/bin/env bash
# tests/fwd/tsan.sh PX_FWD [CASE...]: px-fwd built with -DPX_SANITIZE=thread, on every software
# PMD and every forwarding mode, and on the kernel-backed net_af_packet (a veth pair) and net_tap
# (two taps in a kernel bridge) in a network namespace made for the case (root only: skipped,
# saying so, otherwise), with live statistics on: the main lcore reads every port's counters
# (and net_af_packet's PACKET_STATISTICS) once a second while the worker forwards. Fails on any ThreadSanitizer report, on a
# run that did not forward or did not print its statistics (no race could have been seen), and
# on a px-fwd error. No CASE: all of them; `--list` prints them.
set -euo pipefail
fwd=${1:?usage: tests/fwd/tsan.sh PX_FWD [CASE...]}
shift

ring=(--vdev net_ring0 --vdev net_ring1,peer=net_ring0)
ring2=(--vdev net_ring0,queues=2 --vdev net_ring1,queues=2,peer=net_ring0)
null=(--vdev net_null0 --vdev net_null1)
afp=(--vdev net_af_packet0,iface=va --vdev net_af_packet1,iface=vb)
afp2=(--vdev net_af_packet0,iface=va,qpairs=2 --vdev net_af_packet1,iface=vb,qpairs=2)
tap=(--vdev net_tap0,iface=ptap0 --vdev net_tap1,iface=ptap1)

# args CASE: sets vdev (EAL side), app (px-fwd side) and net (the kernel interfaces it needs:
# veth, tap or none) for CASE
args() {
    net=none
    case $1 in
    ring_io)        vdev=("${ring[@]}");  app=(--forward-mode=io --tx-first) ;;
    ring_mac)       vdev=("${ring[@]}");  app=(--forward-mode=mac --tx-first) ;;
    ring_macswap_2q) vdev=("${ring2[@]}"); app=(--forward-mode=macswap --tx-first --rxq=2 --txq=2) ;;
    ring_rxonly)    vdev=("${ring[@]}");  app=(--forward-mode=rxonly --tx-first --check) ;;
    ring_txonly)    vdev=("${ring[@]}");  app=(--forward-mode=txonly) ;; # rings fill: TX errors
    ring_icmpecho)  vdev=("${ring[@]}");  app=(--forward-mode=icmpecho --tx-first) ;; # UDP: dropped
    null_io)        vdev=("${null[@]}");  app=(--forward-mode=io) ;;
    null_mac)       vdev=("${null[@]}");  app=(--forward-mode=mac) ;;
    null_macswap_2q) vdev=("${null[@]}"); app=(--forward-mode=macswap --rxq=2 --txq=2) ;;
    null_rxonly)    vdev=(--vdev net_null0,copy=1 --vdev net_null1,no-rx=1)
                    app=(--forward-mode=rxonly) ;;
    null_txonly)    vdev=(--vdev net_null0,copy=1 --vdev net_null1); app=(--forward-mode=txonly) ;;
    null_icmpecho)  vdev=("${null[@]}");  app=(--forward-mode=icmpecho) ;;
    af_packet_io)   vdev=("${afp[@]}");   app=(--forward-mode=io --tx-first); net=veth ;;
    af_packet_io_2q) vdev=("${afp2[@]}"); app=(--forward-mode=io --tx-first --rxq=2 --txq=2 --txflows=16)
                    net=veth ;;
    af_packet_txonly) vdev=("${afp[@]}"); app=(--forward-mode=txonly); net=veth ;; # ring drops: imissed
    tap_io)         vdev=("${tap[@]}");   app=(--forward-mode=io --tx-first); net=tap ;;
    tap_macswap_2q) vdev=("${tap[@]}");   app=(--forward-mode=macswap --tx-first --rxq=2 --txq=2 --txflows=16)
                    net=tap ;;
    *) echo "tsan.sh: unknown case $1 (--list)" >&2; exit 2 ;;
    esac
}
all=(ring_io ring_mac ring_macswap_2q ring_rxonly ring_txonly ring_icmpecho
     null_io null_mac null_macswap_2q null_rxonly null_txonly null_icmpecho
     af_packet_io af_packet_io_2q af_packet_txonly tap_io tap_macswap_2q)

if [ "${1:-}" = --list ]; then
    printf '%s\n' "${all[@]}"
    exit 0
fi
[ $# -gt 0 ] || set -- "${all[@]}"
grep -q __tsan_init < <(nm "$fwd" 2>/dev/null) ||
    { echo "tsan.sh: $fwd is not built with -DPX_SANITIZE=thread" >&2; exit 2; }

tmp=$(mktemp -d)
ns=""
trap '[ -z "$ns" ] || ip netns del "$ns" 2>/dev/null; rm -rf "$tmp"' EXIT
# ours last: they win over the caller's
export TSAN_OPTIONS="${TSAN_OPTIONS:-} halt_on_error=1 exitcode=66 second_deadlock_stack=1"

# netns KIND: a fresh network namespace $ns (no IPv6) holding a veth pair va <-> vb, or two
# taps ptap0, ptap1 in a kernel bridge; prints why not and returns 1 when it cannot be made
netns() {
    [ -z "$ns" ] || ip netns del "$ns" 2>/dev/null
    ns=""
    [ "$1" != none ] || return 0
    [ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)"; return 1; }
    command -v ip >/dev/null || { echo "needs iproute2 (ip)"; return 1; }
    ns=pxtsan$$.$RANDOM
    ip netns add "$ns" 2>&1 || { ns=""; return 1; }
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    if [ "$1" = veth ]; then
        ip -n "$ns" link add va type veth peer name vb 2>&1 && ip -n "$ns" link set va up &&
            ip -n "$ns" link set vb up
    else
        ip -n "$ns" link add br0 type bridge mcast_snooping 0 2>&1 && ip -n "$ns" link set br0 up &&
            for t in ptap0 ptap1; do
                ip -n "$ns" tuntap add dev $t mode tap multi_queue vnet_hdr 2>&1 &&
                    ip -n "$ns" link set $t master br0 || return 1
            done
    fi
}

failed=0
for c in "$@"; do
    args "$c"
    netns "$net" >"$tmp/netns" 2>&1 || { echo "skip: $c: $(tr '\n' ' ' <"$tmp/netns")"; continue; }
    rc=0
    ${ns:+ip netns exec "$ns"} timeout 120 "$fwd" -l 0-1 --no-huge -m 256 --no-pci "${vdev[@]}" -- \
        "${app[@]}" --stats-period=1 --duration=2 --stats-json="$tmp/$c.json" >"$tmp/$c.log" 2>&1 || rc=$?
    why=""
    if grep -q "WARNING: ThreadSanitizer" "$tmp/$c.log" || [ $rc -eq 66 ]; then
        why="ThreadSanitizer report"
    elif [ $rc -ne 0 ]; then
        why="px-fwd exit $rc"
    elif ! grep -q "^port 0: rx .* Mpps" "$tmp/$c.log"; then
        why="no live statistics printed"
    elif ! python3 -c 'import json,sys
p = json.load(open(sys.argv[1]))["ports"]
sys.exit(0 if sum(x["rx_packets"] + x["tx_packets"] for x in p) > 0 else 1)' "$tmp/$c.json"; then
        why="nothing forwarded"
    fi
    if [ -n "$why" ]; then
        echo "FAIL: $c: $why"
        echo "  px-fwd -l 0-1 --no-huge -m 256 --no-pci ${vdev[*]} -- ${app[*]} --stats-period=1 --duration=2"
        cat "$tmp/$c.log"
        failed=1
    else
        echo "ok: $c (${app[*]})"
    fi
done
exit $failed

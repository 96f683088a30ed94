#!/usr/bin/env bash
# tests/fwd/tsan.sh PX_FWD [CASE...]: px-fwd built with -DPX_SANITIZE=thread, on every software
# PMD and every forwarding mode, with live statistics on: the main lcore reads every port's
# counters once a second while the worker forwards. Fails on any ThreadSanitizer report, on a
# run that did not forward or did not print its statistics (no race could have been seen), and
# on a px-fwd error. No CASE: all of them; `--list` prints them.
set -euo pipefail
fwd=${1:?usage: tests/fwd/tsan.sh PX_FWD [CASE...]}
shift

ring=(--vdev net_ring0 --vdev net_ring1,peer=net_ring0)
ring2=(--vdev net_ring0,queues=2 --vdev net_ring1,queues=2,peer=net_ring0)
null=(--vdev net_null0 --vdev net_null1)

# args CASE: sets vdev (EAL side) and app (px-fwd side) for CASE
args() {
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
    *) echo "tsan.sh: unknown case $1 (--list)" >&2; exit 2 ;;
    esac
}
all=(ring_io ring_mac ring_macswap_2q ring_rxonly ring_txonly ring_icmpecho
     null_io null_mac null_macswap_2q null_rxonly null_txonly null_icmpecho)

if [ "${1:-}" = --list ]; then
    printf '%s\n' "${all[@]}"
    exit 0
fi
[ $# -gt 0 ] || set -- "${all[@]}"
grep -q __tsan_init < <(nm "$fwd" 2>/dev/null) ||
    { echo "tsan.sh: $fwd is not built with -DPX_SANITIZE=thread" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# ours last: they win over the caller's
export TSAN_OPTIONS="${TSAN_OPTIONS:-} halt_on_error=1 exitcode=66 second_deadlock_stack=1"

failed=0
for c in "$@"; do
    args "$c"
    rc=0
    timeout 120 "$fwd" -l 0-1 --no-huge -m 256 --no-pci "${vdev[@]}" -- "${app[@]}" \
        --stats-period=1 --duration=2 --stats-json="$tmp/$c.json" >"$tmp/$c.log" 2>&1 || rc=$?
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

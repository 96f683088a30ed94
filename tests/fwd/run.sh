#!/usr/bin/env bash
# tests/fwd/run.sh PX_FWD CASE: px-fwd end to end on software ports, counts checked exactly
# from --stats-json, and every mbuf back in the pool exactly once after the ports closed.
set -euo pipefail
fwd=$1 case=$2
source "$(dirname "$0")/lib.sh"
fwd_tmp
pair=(--vdev net_ring0 --vdev net_ring1,peer=net_ring0)


case $case in
txonly_exact)
    # 1000 frames per stream, then silence: every one counted, none dropped
    run -l 0 "${pair[@]}" -- --forward-mode=txonly --tx-max=1000 --duration=0.5
    check 'p[0]["tx_packets"] == 1000 and p[1]["tx_packets"] == 1000' "1000 sent per port"
    check 'all(x["drops"] == 0 for x in p)' "no drops"
    ;;
duration_one_core)
    # one lcore forwards on the main thread and a timer ends it: a duration of a second or
    # more must end the run too (ualarm() refused those and px-fwd ran until killed)
    run -l 0 "${pair[@]}" -- --forward-mode=io --tx-first --duration=1.3 &
    pid=$!
    for _ in $(seq 100); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
    if kill -0 $pid 2>/dev/null; then kill $pid; echo "FAIL: still running after 10 s"; exit 1; fi
    wait $pid
    check '1.2 < d["seconds"] < 9' "ran for --duration"
    ;;
rxonly_check)
    # each port sends one burst of 32 txonly frames to the other; every frame arrives intact
    run -l 0 "${pair[@]}" -- --forward-mode=rxonly --check --tx-first --duration=0.5
    check 'p[0]["rx_packets"] == 32 and p[1]["rx_packets"] == 32' "32 received per port"
    check 'all(x["rx_bad"] == 0 for x in p)' "content and sequence checked"
    ;;
io|mac|macswap)
    # 2 x 32 frames circulate between the ports until the end: then all 64 sit in the rings
    run -l 0-1 "${pair[@]}" -- --forward-mode=$case --tx-first --duration=1
    check 'sum(x["tx_packets"] for x in p) - sum(x["rx_packets"] for x in p) == 64' "64 frames in flight, none lost"
    check 'min(x["rx_packets"] for x in p) > 1000' "frames went round many times"
    check 'all(x["drops"] == 0 for x in p)' "no drops"
    ;;
null_io)
    # net_null: forwarding at full speed for a moment
    run -l 0 --vdev net_null0 --vdev net_null1 -- --forward-mode=io --duration=0.5
    check 'p[0]["rx_packets"] > 0 and p[0]["rx_packets"] == p[1]["tx_packets"] + p[0]["drops"]' "null port 0 to 1"
    ;;
bad_options)
    for args in "--forward-mode=nope" "--burst=0" "--burst=513" "--txpkts=10" "--rxq=0" \
                "--eth-peer=0,zz" "--icmp-ip=0,300.1.1.1" "--duration=-1" "--bogus" "extra" \
                "--mbcache=513" "--debug-mbuf-fault=some" "--rx-max=0"; do
        rc=0
        "$fwd" -l 0 --no-huge --vdev net_null0 -- $args >"$tmp/out" 2>&1 || rc=$?
        [ $rc -eq 2 ] || { echo "FAIL: '$args' exit $rc, want 2"; exit 1; }
        grep -q "px-fwd: " "$tmp/out" || { echo "FAIL: no message for '$args'"; cat "$tmp/out"; exit 1; }
    done
    if "$fwd" -l 0 --no-huge -- --forward-mode=io --duration=0.1 >"$tmp/out" 2>&1; then
        echo "FAIL: ran without ports"; exit 1
    fi
    grep -q "no ports" "$tmp/out"
    echo "ok: bad options refused with exit 2 and a message"
    ;;
mbuf_fault)
    # the accounting at exit can fail: one mbuf lost, or freed twice, after the run (test hook)
    for fault in leak twice; do
        for ports in "--vdev net_null0 --vdev net_null1" "${pair[*]}"; do
            rc=0
            # shellcheck disable=SC2086 # $ports is a list of options
            "$fwd" --no-huge -m 256 -l 0 $ports -- --forward-mode=io --tx-first --duration=0.2 \
                --stats-period=0 --stats-json="$json" --debug-mbuf-fault=$fault >"$tmp/out" 2>&1 || rc=$?
            cat "$tmp/out"
            [ $rc -eq 3 ] || { echo "FAIL: --debug-mbuf-fault=$fault on $ports: exit $rc, want 3"; exit 1; }
            grep -q "px-fwd: pool px_fwd_pool: " "$tmp/out" || { echo "FAIL: the pool is not named"; exit 1; }
            if [ $fault = leak ]; then
                check 'd["mbufs_leaked"] == 1 and d["mbufs_in_pool"] == d["mbufs_total"] - 1' "one leaked, counted"
                grep -Eq "1 of [0-9]+ mbufs not back" "$tmp/out" || { echo "FAIL: no count"; exit 1; }
                case $ports in
                *null*) grep -q "1 last received on port 0 (net_null0), RX queue 0" "$tmp/out" ||
                            { echo "FAIL: the port is not named"; exit 1; } ;;
                esac
            else
                check 'd["mbufs_freed_twice"] == 1 and d["mbufs_leaked"] == 0' "one freed twice, counted"
                grep -q "1 mbufs freed twice" "$tmp/out" || { echo "FAIL: no count"; exit 1; }
            fi
        done
    done
    echo "ok: a leak and a double free make px-fwd exit 3, with the pool and the counts"
    ;;
wrap)
    # More than 2^32 frames through each net_ring ring, in two runs. A port's RX ring
    # (net_ringN_q0, single producer and consumer, indices from 0) is fed only by the other
    # port's TX queue and drained only by the port's RX queue, so its four 32-bit indices
    # (producer head and tail, consumer head and tail) move by one per frame: rx_packets > 2^32
    # means every index passed 2^31 and 2^32. --rx-max stops each run at a chosen count, so the
    # ports close (and drain their rings) with the indices at a chosen place: run 1 just past
    # the wrap (2^32 + 2^30), run 2 in the upper half (2^32 + 3 * 2^30), where an index cached
    # 2^31 behind looks valid again (issue 12: the drain at close dequeued 2^31 garbage
    # pointers). The mempool's ring moves only when a cache refills or flushes, not per frame:
    # not wrapped here (tools/soak.sh with --mbcache=0 does). Then net_null ports.
    limit=${PX_WRAP_MAX_SECONDS:-150}
    fwd_timeout=$((limit + 60))
    run -l 0-1 "${pair[@]}" -- --forward-mode=io --tx-first --duration=1 >/dev/null
    rate=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
print(int(min(x["rx_packets"] for x in d["ports"]) / d["seconds"]))' "$json")
    echo "rate: $((rate / 1000000)) Mpps per ring: 1.75 x 2^32 frames in about $((7 * 2**30 / rate)) s"
    if [ $((7 * 2**30 / rate)) -gt $((limit / 2)) ]; then
        echo "SKIP: this build forwards too slowly here to pass 1.75 x 2^32 frames per ring within $((limit / 2)) s (PX_WRAP_MAX_SECONDS=$limit)"
        exit 77
    fi
    for n in $((2**32 + 2**30)) $((2**32 + 3 * 2**30)); do
        run -l 0-1 "${pair[@]}" -- --forward-mode=io --tx-first --rx-max=$n --duration="$limit"
        check "min(x['rx_packets'] for x in p) >= $n" "each ring passed $n frames (--rx-max, not the time limit)"
        check 'sum(x["tx_packets"] for x in p) - sum(x["rx_packets"] for x in p) == 64' "64 frames in flight, none lost"
        check 'all(x["drops"] == 0 and x["tx_errors"] == 0 and x["rx_errors"] == 0 for x in p)' "no drops, no errors"
        python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
print("ring indices at close: " + ", ".join("%.3f x 2^32" % ((x["rx_packets"] % 2**32) / 2**32) for x in d["ports"]))' "$json"
    done
    run -l 0-1 --vdev net_null0 --vdev net_null1 -- --forward-mode=io --duration=5
    check 'all(x["rx_packets"] > 0 and x["rx_packets"] == x["drops"] + p[1 - x["port"]]["tx_packets"] for x in p)' \
        "null: each port's frames sent on by the other or dropped"
    check 'all(x["tx_errors"] == 0 and x["rx_errors"] == 0 for x in p)' "null: no errors"
    ;;
*)
    echo "unknown case $case"; exit 2 ;;
esac

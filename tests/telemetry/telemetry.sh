#!/bin/bash
# tests/telemetry/telemetry.sh PX-FWD: DPDK's telemetry client, dpdk-telemetry.py (Debian's
# dpdk package), against px-fwd forwarding on net_null ports: every command answered with the
# content px-fwd has; then bad requests (client.py), and px-fwd still forwarding, its counters
# rising, and stopping cleanly (SIGINT) with every mbuf back and the socket removed.
set -eu
fwd=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../fwd/lib.sh"
fwd_tmp
client=$(command -v dpdk-telemetry.py || true)
[ -n "$client" ] || { echo "SKIP: needs dpdk-telemetry.py (apt-get install dpdk)"; exit 77; }
prefix=pxtel$$
rundir=$(python3 -c 'import os,sys; r=os.environ.get("RUNTIME_DIRECTORY") or ("/var/run" if os.getuid()==0 else os.environ.get("XDG_RUNTIME_DIR","/tmp")); print(os.path.join(r,"dpdk",sys.argv[1]))' "$prefix")

"$fwd" --no-huge -m 256 --file-prefix "$prefix" --vdev net_null0 --vdev net_null1 -- \
    --forward-mode=io --duration=60 --stats-period=0 --stats-json="$json" >"$tmp/out" 2>&1 &
pid=$!
for _ in $(seq 50); do [ -S "$rundir/dpdk_telemetry.v2" ] && break; sleep 0.1; done
[ -S "$rundir/dpdk_telemetry.v2" ] || { cat "$tmp/out"; echo "FAIL: no socket $rundir/dpdk_telemetry.v2"; exit 1; }

ask() { printf '%s\n' "$@" | python3 "$client" -f "$prefix"; }
sent() { ask /ethdev/stats,0 | python3 -c 'import json,sys; print(json.load(sys.stdin)["/ethdev/stats"]["opackets"])'; }
# The socket is there from px_eal_init(), before px-fwd starts its ports: wait for traffic.
for _ in $(seq 100); do [ "$(sent 2>/dev/null || echo 0)" -gt 0 ] && break; sleep 0.1; done
ask / /info /help,/ethdev/stats /eal/params /eal/lcore/list /ethdev/list /ethdev/info,0 \
    /ethdev/stats,0 /ethdev/xstats,1 /ethdev/link_status,0 /mempool/list \
    >"$tmp/answers"
pool=$(python3 -c 'import json,sys; print([d["/mempool/list"] for d in map(json.loads, open(sys.argv[1])) if "/mempool/list" in d][0][0])' "$tmp/answers")
ask "/mempool/info,$pool" /ethdev/stats,0 >>"$tmp/answers"
cat "$tmp/answers"
python3 - "$tmp/answers" "$pid" "$prefix" <<'PY'
import json, sys
a = {}
stats = []
for line in open(sys.argv[1]):
    d = json.loads(line)
    (k, v), = d.items()
    if k == "/ethdev/stats":
        stats.append(v)
    a[k] = v
pid, prefix = int(sys.argv[2]), sys.argv[3]
cmds = ["/", "/help", "/info", "/eal/params", "/eal/lcore/list", "/ethdev/list", "/ethdev/info",
        "/ethdev/stats", "/ethdev/xstats", "/ethdev/link_status", "/mempool/list", "/mempool/info"]
checks = [
    ("every command listed by /", set(cmds) <= set(a["/"])),
    ("/info: pid and max_output_len", a["/info"]["pid"] == pid and a["/info"]["max_output_len"] == 16384),
    ("/help names the command", "/ethdev/stats" in a["/help"]),
    ("/eal/params: the EAL arguments", "--file-prefix" in a["/eal/params"] and prefix in a["/eal/params"]
     and "net_null0" in a["/eal/params"]),
    ("/eal/lcore/list", a["/eal/lcore/list"] and all(isinstance(x, int) for x in a["/eal/lcore/list"])),
    ("/ethdev/list: two ports", a["/ethdev/list"] == [0, 1]),
    ("/ethdev/info: name, driver, started", a["/ethdev/info"]["name"] == "net_null0"
     and a["/ethdev/info"]["driver_name"] == "net_null" and a["/ethdev/info"]["started"] == 1
     and len(a["/ethdev/info"]["mac_addr"]) == 17),
    ("/ethdev/stats: packets moving", stats[0]["ipackets"] > 0 and stats[0]["opackets"] > 0
     and len(stats[0]["q_ipackets"]) == 16),
    ("/ethdev/stats: counters rise", stats[1]["ipackets"] > stats[0]["ipackets"]),
    ("/ethdev/xstats: DPDK's names", a["/ethdev/xstats"]["rx_good_packets"] > 0
     and "tx_good_bytes" in a["/ethdev/xstats"]),
    ("/ethdev/link_status: up", a["/ethdev/link_status"]["status"] == "UP"),
    ("/mempool/info: counts", a["/mempool/info"]["size"] > 0
     and a["/mempool/info"]["size"] == a["/mempool/info"]["avail_count"] + a["/mempool/info"]["in_use_count"]),
]
bad = [n for n, ok in checks if not ok]
for n, ok in checks:
    print("ok:" if ok else "FAIL:", n)
sys.exit(1 if bad else 0)
PY
before=$(sent)
python3 "$here/client.py" "$rundir/dpdk_telemetry.v2"
sleep 0.5
after=$(sent)
[ "$after" -gt "$before" ] || { echo "FAIL: port 0 stopped sending ($before -> $after) after the bad clients"; exit 1; }
echo "ok: still forwarding after the bad clients ($before -> $after packets sent)"
kill -INT "$pid" # px-fwd stops on SIGINT as on Ctrl-C, and prints its summary
rc=0; wait "$pid" || rc=$?
[ $rc = 0 ] || { cat "$tmp/out"; echo "FAIL: px-fwd exited $rc"; exit 1; }
cat "$tmp/out"
check 'd["mbufs_in_pool"] == d["mbufs_total"] > 0 and d["mbufs_leaked"] == 0 and p[0]["tx_packets"] > 0' \
    "px-fwd exits cleanly, every mbuf back"
[ ! -e "$rundir/dpdk_telemetry.v2" ] || { echo "FAIL: the socket is left behind"; exit 1; }
echo "ok: the socket is removed at exit"

# --no-telemetry: no socket while the process runs
"$fwd" --no-huge -m 256 --no-telemetry --file-prefix "$prefix" --vdev net_null0 -- \
    --forward-mode=io --duration=2 --stats-period=0 >"$tmp/out2" 2>&1 &
pid=$!
sleep 1
[ ! -e "$rundir/dpdk_telemetry.v2" ] || { echo "FAIL: --no-telemetry, yet $rundir/dpdk_telemetry.v2"; exit 1; }
wait "$pid" || { cat "$tmp/out2"; echo "FAIL: px-fwd --no-telemetry failed"; exit 1; }
echo "ok: --no-telemetry: no socket"

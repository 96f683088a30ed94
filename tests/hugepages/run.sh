#!/usr/bin/env bash
# px-hugepages against fake sysfs/procfs trees built here: run.sh PX_HUGEPAGES CASE
# The fake kernel: counters are plain files, so a write reads back as written; where a case
# needs the kernel to give less than asked, the counter is a FIFO served by a background job.
set -u
BIN=$1
CASE=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/px-hugepages-test.XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT
S=$T/sys P=$T/proc
H=$S/kernel/mm/hugepages

fail() { echo "FAIL [$CASE]: $*" >&2; exit 1; }
need_python() { command -v python3 >/dev/null || { echo "SKIP: python3 needed to parse JSON"; exit 77; }; }

# pool DIR TOTAL FREE SURPLUS [RESV]
pool() {
	mkdir -p "$1"
	echo "$2" >"$1/nr_hugepages"; echo "$3" >"$1/free_hugepages"; echo "$4" >"$1/surplus_hugepages"
	[ -z "${5:-}" ] || echo "$5" >"$1/resv_hugepages"
}
node() { echo "$S/devices/system/node/node$1/hugepages/hugepages-$2kB"; }
# Two nodes, 2M and 1G pages, three hugetlbfs mounts (one default-size, one with a blank).
machine() {
	pool "$H/hugepages-2048kB" 300 250 4 10
	pool "$H/hugepages-1048576kB" 2 1 0 0
	pool "$(node 0 2048)" 200 150 4; pool "$(node 1 2048)" 100 100 0
	pool "$(node 0 1048576)" 2 1 0;  pool "$(node 1 1048576)" 0 0 0
	mkdir -p "$S/devices/system/node/node1/cpu0" "$S/devices/system/node/possible" "$P"
	printf 'MemTotal:        8000000 kB\nHugepagesize:       2048 kB\n' >"$P/meminfo"
	cat >"$P/mounts" <<-'M'
	sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
	hugetlbfs /dev/hugepages hugetlbfs rw,relatime,pagesize=2M 0 0
	nodev /mnt/huge\0401g hugetlbfs rw,relatime,pagesize=1024M 0 0
	none /mnt/hdefault hugetlbfs rw,relatime 0 0
	tmpfs /run tmpfs rw,nosuid,nodev,size=100k 0 0
	M
}
run() { # run EXPECTED_RC ARGS...: output in $T/out, $T/err
	local want=$1; shift
	"$BIN" --sysfs-root="$S" --procfs-root="$P" "$@" >"$T/out" 2>"$T/err"
	local rc=$?
	[ "$rc" = "$want" ] || { cat "$T/out" "$T/err" >&2; fail "px-hugepages $* exited $rc, want $want"; }
}
has() { grep -qF -- "$2" "$T/$1" || { cat "$T/$1" >&2; fail "$1 lacks: $2"; }; }
content() {
	[ "$(cat "$1")" = "$2" ] || fail "$1 is '$(cat "$1")', want '$2'"
}
# A counter the fake kernel serves: takes one write, then answers the read-back with $2.
kernel_gives() {
	rm -f "$1"; mkfifo "$1" || { echo "SKIP: mkfifo failed"; exit 77; }
	{ cat "$1" >"$T/written"; echo "$2" >"$1"; } &
}

case_show() {
	machine
	run 0 --show
	has out "0      2M            200        150          4         400M"
	has out "1      2M            100        100          0         200M"
	has out "all    2M            300        250          4         600M  (10 reserved by mappings)  default size"
	has out "0      1G              2          1          0           2G"
	has out "  /mnt/huge 1g pagesize=1G (rw,relatime,pagesize=1024M)"
	has out "  /mnt/hdefault pagesize=2M (rw,relatime)"
	[ "$(grep -c '^all ' "$T/out")" = 2 ] || fail "want one 'all' line per size"
	run 0 --show --json
	need_python
	python3 - "$T/out" <<-'PY' || fail "JSON check failed"
	import json, sys
	j = json.load(open(sys.argv[1]))
	M = 1 << 20
	assert j["default_pagesize"] == 2 * M, j
	assert [p["pagesize"] for p in j["pagesizes"]] == [2 * M, 1024 * M], j
	p2 = j["pagesizes"][0]
	assert (p2["total"], p2["free"], p2["surplus"]) == (300, 250, 4), p2
	assert p2["nodes"] == [{"node": 0, "total": 200, "free": 150, "surplus": 4},
	                       {"node": 1, "total": 100, "free": 100, "surplus": 0}], p2
	assert j["pagesizes"][1]["nodes"][0]["total"] == 2
	assert j["mounts"] == [
	    {"path": "/dev/hugepages", "pagesize": 2 * M, "options": "rw,relatime,pagesize=2M"},
	    {"path": "/mnt/huge 1g", "pagesize": 1024 * M, "options": "rw,relatime,pagesize=1024M"},
	    {"path": "/mnt/hdefault", "pagesize": 2 * M, "options": "rw,relatime"}], j["mounts"]
	PY
}

case_setup() {
	machine
	run 0 --setup 512M
	content "$H/hugepages-2048kB/nr_hugepages" 256
	has out "2M pages on all nodes: asked for 256 (512M), the kernel gave 256 (512M)"
	run 0 --setup 3G --pagesize 1G --node 1
	content "$(node 1 1048576)/nr_hugepages" 3
	content "$H/hugepages-1048576kB/nr_hugepages" 2
	has out "1G pages on node 1: asked for 3 (3G), the kernel gave 3 (3G)"
	run 0 --setup 3M --node 0 # rounds up to whole pages
	content "$(node 0 2048)/nr_hugepages" 2
	run 0 --dry-run --setup 1G
	has out "dry-run: write '512' to $H/hugepages-2048kB/nr_hugepages"
	content "$H/hugepages-2048kB/nr_hugepages" 256
}

case_setup_partial() {
	machine
	kernel_gives "$(node 0 2048)/nr_hugepages" 100
	run 5 --setup 512M --node 0
	content "$T/written" 256
	has out "asked for 256 (512M), the kernel gave 100 (200M)"
	has err "only 100 of 256 2M pages on node 0"
	has err "hugepagesz=2M hugepages=256"
	has err "compact_memory"
}

case_clear() {
	machine
	run 0 --clear --pagesize 1G
	content "$H/hugepages-1048576kB/nr_hugepages" 0
	content "$H/hugepages-2048kB/nr_hugepages" 300
	run 0 --clear
	content "$H/hugepages-2048kB/nr_hugepages" 0
	has out "2M pages on all nodes: 0 left"
	has out "1G pages on all nodes: 0 left"
	kernel_gives "$(node 1 2048)/nr_hugepages" 3
	run 7 --clear --node 1 --pagesize 2M
	content "$T/written" 0
	has err "3 2M pages are still in use"
}

case_errors() {
	machine
	run 3 --setup 64M --pagesize 16M
	has err "16M pages are not supported here"
	has err "--pagesize 2M"
	run 4 --setup 64M --node 5
	has err "no NUMA node 5 here (2 nodes with huge pages)"
	run 2 --setup lots
	has err "--setup takes a size such as 512M"
	run 2 --setup 512M --clear
	run 2
	run 2 --pagesize 2X --show
	"$BIN" --help >"$T/out" || fail "--help"
	has out "5 the kernel gave fewer pages than asked"
	rm "$H/hugepages-2048kB/nr_hugepages"; mkdir "$H/hugepages-2048kB/nr_hugepages"
	run 6 --setup 2M
	has err "writing 1 to $H/hugepages-2048kB/nr_hugepages failed"
	rm -rf "$H"
	run 9 --show
	has err "no huge page support"
}

case_mount() {
	machine
	run 0 --dry-run --mount /mnt/h1g --pagesize 1G
	has out "dry-run: mkdir -p /mnt/h1g && mount -t hugetlbfs -o pagesize=1G nodev /mnt/h1g"
	[ ! -e /mnt/h1g ] || fail "dry-run created /mnt/h1g"
	run 0 --mount /mnt/hx
	has out "fake procfs/sysfs: would run: mkdir -p /mnt/hx && mount -t hugetlbfs -o pagesize=2M nodev /mnt/hx"
	run 0 --mount /dev/hugepages
	has out "/dev/hugepages: hugetlbfs for 2M pages is already mounted there"
	run 8 --mount /dev/hugepages --pagesize 1G
	has err "/dev/hugepages already has hugetlbfs for 2M pages, not 1G"
	run 2 --mount relative/dir
}

"case_$CASE" || fail "case returned $?"
echo "PASS [$CASE]"

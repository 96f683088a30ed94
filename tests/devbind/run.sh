#!/usr/bin/env bash
# px-devbind against fake sysfs/procfs trees built here: run.sh PX_DEVBIND CASE
# Each case builds its own layout, runs the tool and checks exit code, output and the files
# the tool wrote (in a fake tree, writing drivers_probe is only a write to a file; where a case
# needs the kernel's side, it moves the driver symlinks itself). Exit 77 = skipped.
set -u
BIN=$1
CASE=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/px-devbind-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
S=$T/sys P=$T/proc D=$T/dev ST=$T/state
mkdir -p "$S/bus/pci/devices" "$S/bus/pci/drivers" "$S/kernel/iommu_groups" "$P/net" "$D/vfio"

fail() { echo "FAIL [$CASE]: $*" >&2; exit 1; }
need_python() { command -v python3 >/dev/null || { echo "SKIP: python3 needed to parse JSON"; exit 77; }; }

# mkdev ADDR VENDOR DEVICE CLASS DRIVER|- GROUP|- [IFNAME|-] [NUMA]
mkdev() {
	local a=$1 d=$S/bus/pci/devices/$1
	mkdir -p "$d"
	echo "0x$2" >"$d/vendor"; echo "0x$3" >"$d/device"; echo "0x$4" >"$d/class"
	echo "${8:--1}" >"$d/numa_node"
	echo "(null)" >"$d/driver_override"
	echo "pci:v0000${2^^}d0000${3^^}sv00001AF4sd00001100bc${4:0:2}sc${4:2:2}i00" >"$d/modalias"
	[ "$5" = - ] || setdrv "$a" "$5"
	if [ "$6" != - ]; then
		mkdir -p "$S/kernel/iommu_groups/$6/devices"
		ln -s "../../../../kernel/iommu_groups/$6" "$d/iommu_group"
		ln -s "../../../../bus/pci/devices/$a" "$S/kernel/iommu_groups/$6/devices/$a"
	fi
	if [ -n "${7:-}" ] && [ "$7" != - ]; then mkdir -p "$d/net/$7"; fi
}
# setdrv ADDR DRIVER|-: what the kernel does when a driver binds or unbinds
setdrv() {
	local d=$S/bus/pci/devices/$1
	rm -f "$d/driver"
	[ "$2" = - ] && return
	mkdir -p "$S/bus/pci/drivers/$2"
	ln -s "../../../../bus/pci/drivers/$2" "$d/driver"
}
ids() {
	cat >"$T/pci.ids" <<'IDS'
# fake pci.ids
1af4  Red Hat, Inc.
	1041  Virtio 1.0 network device
8086  Intel Corporation
	100e  82540EM Gigabit Ethernet Controller
		8086 001e  PRO/1000 MT Desktop Adapter
	10d3  82574L Gigabit Network Connection
	2448  82801 PCI Bridge
C 02  Network controller
IDS
}
run() { # run EXPECTED_RC ARGS...: output in $T/out, $T/err
	local want=$1; shift
	"$BIN" --sysfs-root="$S" --procfs-root="$P" --devfs-root="$D" --state-dir="$ST" \
		--pci-ids="$T/pci.ids" "$@" >"$T/out" 2>"$T/err"
	local rc=$?
	[ "$rc" = "$want" ] || { cat "$T/out" "$T/err" >&2; fail "px-devbind $* exited $rc, want $want"; }
}
has() { grep -qF -- "$2" "$T/$1" || { cat "$T/$1" >&2; fail "$1 lacks: $2"; }; }
hasnt() { ! grep -qF -- "$2" "$T/$1" || { cat "$T/$1" >&2; fail "$1 has: $2"; }; }
content() { # content FILE EXPECTED: exact file content
	[ -e "$1" ] || fail "$1 was not written"
	[ "$(cat "$1")" = "$2" ] || fail "$1 is '$(cat "$1")', want '$2'"
}
absent() { [ ! -e "$1" ] || fail "$1 was written: '$(cat "$1")'"; }
dev() { echo "$S/bus/pci/devices/$1"; }
# json PYTHON_EXPR...: each expression, with j = the parsed --status --json, must be true
json() {
	need_python
	python3 - "$T/out" "$@" <<'PY' || fail "JSON check failed"
import json, sys
j = json.load(open(sys.argv[1]))
d = {x["pci"]: x for k in ("vfio_pci", "kernel_driver", "no_driver") for x in j[k]}
for e in sys.argv[2:]:
    if not eval(e):
        print("false:", e, "\n", json.dumps(j, indent=1), file=sys.stderr)
        sys.exit(1)
PY
}

ids
. "$(dirname "$0")/cases.sh"
"case_$CASE" || fail "case returned $?"
echo "PASS [$CASE]"

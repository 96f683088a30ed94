# Cases for run.sh (sourced); one function per CTest test. Helpers and $S $P $D $ST come from run.sh.

# A machine with most things that can go wrong at once.
machine() {
	mkdev 0000:00:02.0 8086 100e 020000 e1000 3 eth0 0      # active: has an address
	mkdev 0000:00:03.0 8086 10d3 020000 vfio-pci 4 - 0      # alone in its group, on vfio
	mkdev 0000:00:1e.0 8086 2448 060400 pcieport 5          # bridge: excepted in group 5
	mkdev 0000:01:00.0 8086 10d3 020000 e1000e 5 eth1 1     # active: has a route
	mkdev 0000:01:00.1 8086 10d3 020000 vfio-pci 5 - 1      # group 5 is half-bound
	mkdev 0000:00:04.0 1af4 1041 020000 virtio-pci -        # no IOMMU group
	mkdir -p "$(dev 0000:00:04.0)/virtio0/net/eth2"         # virtio-net: one level down
	mkdev 0000:00:05.0 dead beef 020000 - 6                 # unknown IDs, no driver
	mkdev 0000:00:06.0 8086 10d3 020000 - 7
	echo "garbage" >"$(dev 0000:00:06.0)/vendor"            # malformed vendor
	mkdev 0000:00:07.0 8086 10d3 020000 e1000e 8
	rm "$(dev 0000:00:07.0)/class"                          # missing class
	mkdev 0000:00:1f.2 8086 2922 010601 ahci 9              # not a network device
	echo "eth0 10.0.2.15/24" >"$P/net/if_inet4"
	printf 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n' >"$P/net/route"
	printf 'eth1\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n' >>"$P/net/route"
	echo "fe800000000000000000000000000001 03 40 20 80     eth2" >"$P/net/if_inet6"
}

case_status_json() {
	machine
	run 0 --status --json
	has err "0000:00:07.0: class unreadable, skipped"
	json 'sorted(x["pci"] for x in j["vfio_pci"]) == ["0000:00:03.0", "0000:01:00.1"]' \
	     'sorted(x["pci"] for x in j["kernel_driver"]) == ["0000:00:02.0", "0000:00:04.0", "0000:01:00.0"]' \
	     'sorted(x["pci"] for x in j["no_driver"]) == ["0000:00:05.0", "0000:00:06.0"]' \
	     'j["noiommu_mode"] is False' \
	     'd["0000:00:02.0"] == {"pci": "0000:00:02.0", "vendor": "8086", "device": "100e", "vendor_name": "Intel Corporation", "device_name": "82540EM Gigabit Ethernet Controller", "numa_node": 0, "interfaces": ["eth0"], "driver": "e1000", "driver_override": None, "iommu_group": 3, "group_viable": False, "group_others": [], "active": True, "active_reason": "has address 10.0.2.15/24"}' \
	     'd["0000:00:03.0"]["group_viable"] is True and d["0000:00:03.0"]["group_others"] == [] and d["0000:00:03.0"]["active"] is False' \
	     'd["0000:01:00.0"]["group_others"] == ["0000:00:1e.0", "0000:01:00.1"] and d["0000:01:00.0"]["group_viable"] is False' \
	     'd["0000:01:00.0"]["active_reason"] == "has route 192.168.1.0/24" and d["0000:01:00.0"]["numa_node"] == 1' \
	     'd["0000:00:04.0"]["iommu_group"] is None and d["0000:00:04.0"]["group_viable"] is None and d["0000:00:04.0"]["interfaces"] == ["eth2"]' \
	     'd["0000:00:04.0"]["active"] is False and d["0000:00:04.0"]["device_name"] == "Virtio 1.0 network device"' \
	     'd["0000:00:04.0"]["numa_node"] is None' \
	     'd["0000:00:05.0"]["vendor"] == "dead" and d["0000:00:05.0"]["vendor_name"] is None and d["0000:00:05.0"]["device_name"] is None and d["0000:00:05.0"]["driver"] is None' \
	     'd["0000:00:06.0"]["vendor"] is None and d["0000:00:06.0"]["device"] is None and d["0000:00:06.0"]["group_viable"] is True'
}

case_status_text() {
	machine
	echo Y >"$T/noiommu"; mkdir -p "$S/module/vfio/parameters"
	mv "$T/noiommu" "$S/module/vfio/parameters/enable_unsafe_noiommu_mode"
	run 0 --status
	[ "$(sed -n 1p "$T/out")" = "Network devices using vfio-pci" ] || fail "first heading"
	has out "0000:00:02.0 'Intel Corporation 82540EM Gigabit Ethernet Controller' 8086:100e numa=0 if=eth0 drv=e1000 iommu_group=3 viable=no *Active* (has address 10.0.2.15/24)"
	has out "0000:01:00.0 'Intel Corporation 82574L Gigabit Network Connection' 8086:10d3 numa=1 if=eth1 drv=e1000e iommu_group=5 with=0000:00:1e.0,0000:01:00.1 viable=no *Active* (has route 192.168.1.0/24)"
	has out "0000:00:04.0 'Red Hat, Inc. Virtio 1.0 network device' 1af4:1041 if=eth2 drv=virtio-pci iommu_group=none"
	has out "0000:00:05.0 'unknown vendor unknown device' dead:beef iommu_group=6 viable=yes"
	has out "0000:00:06.0 'unknown vendor unknown device' ????:???? iommu_group=7 viable=yes"
	has out "WARNING: vfio no-IOMMU mode is enabled"
	hasnt out "0000:00:1f.2"
	# the three sections, in order, each device in its own
	awk '/^Network devices using vfio-pci/{s=1} /^Network devices using a kernel/{s=2} /^Network devices with no/{s=3}
	     /^0000:00:03.0/ && s!=1 {exit 1} /^0000:00:04.0/ && s!=2 {exit 1} /^0000:00:05.0/ && s!=3 {exit 1}' "$T/out" ||
		fail "device in the wrong section"
	# no pci.ids at all: names unknown, nothing else changes
	"$BIN" --sysfs-root="$S" --procfs-root="$P" --pci-ids="$T/none" --status >"$T/out" 2>/dev/null ||
		fail "status without pci.ids"
	has out "0000:00:03.0 'unknown vendor unknown device' 8086:10d3 numa=0 drv=vfio-pci iommu_group=4 viable=yes"
}

case_no_sysfs() {
	rm -rf "$S/bus"
	run 12 --status
	has err "cannot list $S/bus/pci/devices"
}

case_usage() {
	"$BIN" --help >"$T/out" || fail "--help failed"
	for c in "   4 interface is active" "   5 would leave an IOMMU group half-bound" "  10 --restore"; do
		has out "$c"
	done
	run 2
	has err "try \`px-devbind --status\`"
	run 2 --bind=vfio-pci
	has err "name the devices"
	run 2 --status --restore
	run 2 --bogus
	run 2 --bind=vfio-pci --uid=no-such-user-px 0000:00:03.0
	has err "no such user 'no-such-user-px'"
}

# A NIC alone in its group: the three writes, the remembered driver, the driverctl hint.
case_bind() {
	mkdev 0000:00:03.0 8086 10d3 020000 e1000e 4 eth1
	mkdir -p "$S/bus/pci/drivers/vfio-pci"
	run 0 --bind=vfio-pci 0000:00:03.0
	content "$(dev 0000:00:03.0)/driver_override" vfio-pci
	content "$S/bus/pci/drivers/e1000e/unbind" 0000:00:03.0
	content "$S/bus/pci/drivers_probe" 0000:00:03.0
	content "$ST/0000:00:03.0" e1000e
	has out "0000:00:03.0: e1000e -> vfio-pci"
	has out "driverctl set-override 0000:00:03.0 vfio-pci"
	# the kernel's part, then the status it leads to
	setdrv 0000:00:03.0 vfio-pci
	run 0 --status --json
	json 'd["0000:00:03.0"]["driver"] == "vfio-pci" and d["0000:00:03.0"]["driver_override"] == "vfio-pci"' \
	     '[x["pci"] for x in j["vfio_pci"]] == ["0000:00:03.0"]'
	# binding again changes nothing, and keeps the original driver remembered
	rm "$S/bus/pci/drivers_probe"
	run 0 --bind=vfio-pci 0000:00:03.0
	has out "already bound to vfio-pci"
	absent "$S/bus/pci/drivers_probe"
	content "$ST/0000:00:03.0" e1000e
}

# By interface name (virtio-net keeps it one level down) and by short address; unknown names.
case_bind_names() {
	mkdev 0000:00:04.0 1af4 1041 020000 virtio-pci 2
	mkdir -p "$(dev 0000:00:04.0)/virtio0/net/ens4"
	mkdev 0000:00:05.0 8086 10d3 020000 - 3
	mkdir -p "$S/bus/pci/drivers/vfio-pci"
	run 0 --bind=vfio-pci ens4 00:05.0
	content "$(dev 0000:00:04.0)/driver_override" vfio-pci
	content "$(dev 0000:00:05.0)/driver_override" vfio-pci
	content "$S/bus/pci/drivers/virtio-pci/unbind" 0000:00:04.0
	content "$ST/0000:00:04.0" virtio-pci
	absent "$ST/0000:00:05.0" # had no driver: nothing to remember
	has out "0000:00:05.0: none -> vfio-pci"
	run 3 --bind=vfio-pci eth9
	has err "no PCI device or network interface 'eth9'"
	run 3 --unbind 0000:00:09.0
}

# Active interfaces are refused with the reason; nothing is written; --force goes on.
case_active() {
	mkdev 0000:00:02.0 8086 100e 020000 e1000 2 eth0
	mkdev 0000:00:03.0 8086 100e 020000 e1000 3 eth1
	mkdev 0000:00:04.0 8086 100e 020000 e1000 4 eth2
	mkdev 0000:00:05.0 8086 100e 020000 e1000 5 eth3
	mkdir -p "$S/bus/pci/drivers/vfio-pci"
	echo "eth0 10.1.2.3/8" >"$P/net/if_inet4"
	cat >"$P/net/if_inet6" <<-'V6'
	20010db8000000000000000000000001 03 40 00 80     eth1
	fe800000000000000000000000000002 04 40 20 80     eth2
	V6
	printf '%s\n' "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000001 00000000 00000003     eth3" \
		"fe800000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth2" >"$P/net/ipv6_route"
	run 4 --bind=vfio-pci 0000:00:02.0
	has err "0000:00:02.0 (eth0) is active: it has address 10.1.2.3/8"
	has err "ip link set eth0 down"
	has err "--force"
	content "$(dev 0000:00:02.0)/driver_override" "(null)"
	absent "$S/bus/pci/drivers_probe"
	run 4 --bind=vfio-pci eth1
	has err "has address 2001:db8::1/64"
	run 4 --unbind eth3
	has err "has route ::/0"
	run 0 --bind=vfio-pci eth2 # link-local only: not active
	run 0 --force --bind=vfio-pci eth0
	has err "warning: 0000:00:02.0 (eth0) is active"
	content "$(dev 0000:00:02.0)/driver_override" vfio-pci
}

# Binding part of a group is refused with the list of what must move and the command.
case_group() {
	mkdev 0000:00:1c.0 8086 2448 060400 pcieport 5
	mkdev 0000:01:00.0 8086 10d3 020000 e1000e 5 eth1
	mkdev 0000:01:00.1 8086 10d3 020000 e1000e 5 eth2
	mkdev 0000:01:00.2 8086 10d3 020000 - 5
	mkdir -p "$S/bus/pci/drivers/vfio-pci"
	run 5 --bind=vfio-pci 0000:01:00.0
	has err "IOMMU group 5 would be left half-bound"
	has err "    0000:01:00.1 (driver e1000e)"
	hasnt err "0000:00:1c.0"  # the bridge stays: the kernel allows it
	hasnt err "0000:01:00.2 (" # no driver: already viable
	has err "run: \`px-devbind --bind=vfio-pci 0000:01:00.0 0000:01:00.1\`"
	content "$(dev 0000:01:00.0)/driver_override" "(null)"
	absent "$S/bus/pci/drivers_probe"
	run 0 --bind=vfio-pci 0000:01:00.0 eth2
	content "$(dev 0000:01:00.1)/driver_override" vfio-pci
	# restoring one of them would half-bind it again, the other way round
	setdrv 0000:01:00.0 vfio-pci; setdrv 0000:01:00.1 vfio-pci
	run 5 --restore 0000:01:00.1
	has err "    0000:01:00.0 (driver vfio-pci)"
	has err "run: \`px-devbind --restore 0000:01:00.1 0000:01:00.0\`"
	run 0 --restore 0000:01:00.1 0000:01:00.0
	# unbinding never hurts a group
	run 0 --unbind 0000:01:00.0
}

# No IOMMU group: refused with the two ways out; --noiommu warns and enables the mode.
case_noiommu() {
	mkdev 0000:00:04.0 8086 10d3 020000 e1000e -
	mkdir -p "$S/bus/pci/drivers/vfio-pci" "$S/module/vfio/parameters"
	echo N >"$S/module/vfio/parameters/enable_unsafe_noiommu_mode"
	run 6 --bind=vfio-pci 0000:00:04.0
	has err "0000:00:04.0 has no IOMMU group"
	has err "intel_iommu=on"
	has err "px-devbind --noiommu --bind=vfio-pci 0000:00:04.0"
	content "$S/module/vfio/parameters/enable_unsafe_noiommu_mode" N
	run 0 --noiommu --bind=vfio-pci 0000:00:04.0
	has err "WARNING: --noiommu enables vfio's unsafe no-IOMMU mode"
	has err "all of memory"
	content "$S/module/vfio/parameters/enable_unsafe_noiommu_mode" 1
	content "$(dev 0000:00:04.0)/driver_override" vfio-pci
}

# vfio-pci missing: the fake tree has no modprobe behind it, so the load "fails".
case_no_module() {
	mkdev 0000:00:03.0 8086 10d3 020000 e1000e 4
	run 7 --bind=vfio-pci 0000:00:03.0
	has out "fake sysfs: would run: modprobe vfio-pci"
	has err "driver vfio-pci is not available"
	has err "modprobe vfio-pci"
	content "$(dev 0000:00:03.0)/driver_override" "(null)"
	absent "$ST/0000:00:03.0"
}

# Writes that fail (a sysfs file the tool may not write) are exit 8 with the path.
case_write_fails() {
	mkdev 0000:00:03.0 8086 10d3 020000 e1000e 4
	mkdir -p "$S/bus/pci/drivers/vfio-pci" "$S/bus/pci/drivers_probe" # a directory: EISDIR
	run 8 --bind=vfio-pci 0000:00:03.0
	has err "writing '0000:00:03.0' to $S/bus/pci/drivers_probe failed"
	# the state directory cannot be made: exit 8 too, before any sysfs write
	rmdir "$S/bus/pci/drivers_probe"; rm -rf "$ST"; : >"$T/plainfile"
	"$BIN" --sysfs-root="$S" --procfs-root="$P" --state-dir="$T/plainfile/state" \
		--bind=vfio-pci 0000:00:03.0 >"$T/out" 2>"$T/err"
	[ $? = 8 ] || fail "unwritable state dir: want exit 8"
	has err "cannot remember 0000:00:03.0's driver in $T/plainfile/state/0000:00:03.0"
	absent "$S/bus/pci/drivers_probe"
}

# Back to the remembered driver; without a memory, the kernel's modalias choice; else exit 10.
case_restore() {
	mkdev 0000:00:03.0 8086 10d3 020000 vfio-pci 4
	mkdev 0000:00:04.0 8086 10d3 020000 vfio-pci 5
	mkdev 0000:00:05.0 8086 10d3 020000 vfio-pci 6
	mkdev 0000:00:06.0 8086 10d3 020000 e1000e 7
	echo vfio-pci >"$(dev 0000:00:03.0)/driver_override"
	rm "$(dev 0000:00:05.0)/modalias"
	mkdir -p "$ST" "$S/bus/pci/drivers/e1000e"; echo e1000e >"$ST/0000:00:03.0"
	run 0 --restore 0000:00:03.0
	content "$(dev 0000:00:03.0)/driver_override" ""
	[ "$(wc -c <"$(dev 0000:00:03.0)/driver_override")" = 1 ] || fail "override not cleared with a newline"
	content "$S/bus/pci/drivers/vfio-pci/unbind" 0000:00:03.0
	content "$S/bus/pci/drivers/e1000e/bind" 0000:00:03.0
	absent "$ST/0000:00:03.0"
	absent "$S/bus/pci/drivers_probe"
	has out "0000:00:03.0: vfio-pci -> e1000e"
	has out "driverctl unset-override 0000:00:03.0"
	run 0 --restore 0000:00:04.0
	content "$S/bus/pci/drivers_probe" 0000:00:04.0
	has out "0000:00:04.0: vfio-pci -> kernel's choice (modalias)"
	run 10 --restore 0000:00:05.0
	has err "no remembered driver ($ST/0000:00:05.0) and no modalias"
	has err "px-devbind --bind=e1000e 0000:00:05.0"
	run 0 --restore 0000:00:06.0
	has out "already on its kernel driver e1000e"
}

# --unbind releases the driver and remembers it for --restore.
case_unbind() {
	mkdev 0000:00:03.0 8086 10d3 020000 e1000e 4 eth1
	mkdev 0000:00:04.0 8086 10d3 020000 - 5
	run 0 --unbind eth1 0000:00:04.0
	content "$S/bus/pci/drivers/e1000e/unbind" 0000:00:03.0
	content "$ST/0000:00:03.0" e1000e
	content "$(dev 0000:00:03.0)/driver_override" "(null)"
	has out "0000:00:03.0: e1000e -> none"
	has out "0000:00:04.0: has no driver"
}

# --dry-run prints every write and changes nothing.
case_dry_run() {
	mkdev 0000:00:03.0 8086 10d3 020000 e1000e 4
	mkdir -p "$S/bus/pci/drivers/vfio-pci"
	run 0 --dry-run --bind=vfio-pci --uid=0 0000:00:03.0
	has out "dry-run: write 'vfio-pci' to $S/bus/pci/devices/0000:00:03.0/driver_override"
	has out "dry-run: write '0000:00:03.0' to $S/bus/pci/devices/0000:00:03.0/driver/unbind"
	has out "dry-run: write '0000:00:03.0' to $S/bus/pci/drivers_probe"
	has out "dry-run: write 'e1000e
' to $ST/0000:00:03.0"
	has out "dry-run: chown 0:-1 $D/vfio/4"
	content "$(dev 0000:00:03.0)/driver_override" "(null)"
	absent "$S/bus/pci/drivers_probe"
	absent "$ST"
}

# --uid/--gid hand /dev/vfio/N over; chown to another user needs root.
case_owner() {
	[ "$(id -u)" = 0 ] || { echo "SKIP: needs root to chown to another user"; exit 77; }
	mkdev 0000:00:03.0 8086 10d3 020000 e1000e 4
	mkdev 0000:00:04.0 8086 10d3 020000 e1000e 5
	mkdir -p "$S/bus/pci/drivers/vfio-pci"; : >"$D/vfio/4"
	run 0 --bind=vfio-pci --uid=4321 --gid=8765 0000:00:03.0
	[ "$(stat -c %u:%g "$D/vfio/4")" = 4321:8765 ] || fail "owner is $(stat -c %u:%g "$D/vfio/4")"
	run 11 --bind=vfio-pci --uid=4321 0000:00:04.0 # no /dev/vfio/5
	has err "cannot hand $D/vfio/5 to 4321:-1"
	# a no-IOMMU group has its own node name; names are looked up in /etc/passwd
	mkdev 0000:00:05.0 8086 10d3 020000 e1000e 6
	echo vfio-noiommu >"$S/kernel/iommu_groups/6/name"; : >"$D/vfio/noiommu-6"
	mkdir -p "$S/module/vfio/parameters"
	run 0 --noiommu --bind=vfio-pci --uid=root --gid=4321 0000:00:05.0
	[ "$(stat -c %u:%g "$D/vfio/noiommu-6")" = 0:4321 ] || fail "noiommu-6 owner $(stat -c %u:%g "$D/vfio/noiommu-6")"
	mkdev 0000:00:06.0 8086 10d3 020000 e1000e -
	run 11 --noiommu --bind=vfio-pci --uid=0 0000:00:06.0 # fake tree: no group appears
	has err "0000:00:06.0 has no IOMMU group, so no /dev/vfio node"
}

# Without --state-dir a fake sysfs keeps its memory beside it (DIR/../run), not in /run.
case_state_default() {
	mkdev 0000:00:03.0 8086 10d3 020000 e1000e 4
	mkdir -p "$S/bus/pci/drivers/vfio-pci"
	"$BIN" --sysfs-root="$S" --procfs-root="$P" --bind=vfio-pci 0000:00:03.0 >"$T/out" 2>&1 ||
		fail "bind: $(cat "$T/out")"
	content "$T/run/pollux/devbind/0000:00:03.0" e1000e
}

# Addresses from getifaddrs() when --procfs-root is not given: the host's loopback has 127.0.0.1.
case_active_getifaddrs() {
	grep -q '^ *lo:' /proc/net/dev 2>/dev/null || { echo "SKIP: no loopback interface here"; exit 77; }
	mkdev 0000:00:03.0 8086 10d3 020000 e1000e 4 lo
	"$BIN" --sysfs-root="$S" --pci-ids="$T/pci.ids" --status --json >"$T/out" 2>"$T/err" ||
		fail "status failed: $(cat "$T/err")"
	grep -q '"active": true' "$T/out" ||
		{ echo "SKIP: loopback has no address in this network namespace"; exit 77; }
	json 'd["0000:00:03.0"]["active_reason"].startswith("has address 127.")'
	mkdev 0000:00:04.0 8086 10d3 020000 e1000e 5 px-no-such-if0
	"$BIN" --sysfs-root="$S" --state-dir="$ST" --bind=vfio-pci lo >"$T/out" 2>"$T/err"
	[ $? = 4 ] || fail "binding lo's device was not refused as active"
	"$BIN" --sysfs-root="$S" --pci-ids="$T/pci.ids" --status --json >"$T/out" 2>"$T/err"
	json 'd["0000:00:04.0"]["active"] is False'
}

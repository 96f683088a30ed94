#!/bin/sh
# px-devbind and px-hugepages against a real kernel, inside a lab guest (shared/LAB.md).
# Usage: PX_LAB=1 lab.sh PX_DEVBIND [PX_HUGEPAGES]
# POSIX sh for busybox: no python, so outputs are checked with grep. It moves real devices, so it
# refuses to run (77) unless PX_LAB=1 says this is a throwaway guest.
BIN=$1
HP=${2:-}
[ "${PX_LAB:-}" = 1 ] || { echo "SKIP: set PX_LAB=1 inside a lab guest (this moves real devices)"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
[ -d /sys/bus/pci/drivers/vfio-pci ] || { echo "SKIP: vfio-pci not loaded"; exit 77; }
fail() { echo "FAIL [lab]: $*"; exit 1; }

# The first network device not on vfio-pci and not active.
dev=$("$BIN" --status | awk '/^Network devices using a kernel/{k=1} /^Network devices with no/{k=1}
	/^Network devices using vfio/{k=0} k && /^[0-9a-f][0-9a-f][0-9a-f][0-9a-f]:/ && !/Active/ {print $1; exit}')
[ -n "$dev" ] || { echo "SKIP: no inactive network device on a kernel driver"; exit 77; }
before=$(basename "$(readlink "/sys/bus/pci/devices/$dev/driver" 2>/dev/null)" 2>/dev/null)
state=$(mktemp -d)

"$BIN" --state-dir="$state" --bind=vfio-pci "$dev" || fail "bind $dev: exit $?"
[ "$(basename "$(readlink "/sys/bus/pci/devices/$dev/driver")")" = vfio-pci ] || fail "$dev not on vfio-pci"
group=$(basename "$(readlink "/sys/bus/pci/devices/$dev/iommu_group")")
[ -c "/dev/vfio/$group" ] || [ -c "/dev/vfio/noiommu-$group" ] || fail "no /dev/vfio node for group $group"
"$BIN" --status --json | grep -q "\"pci\": \"$dev\".*\"driver\": \"vfio-pci\"" || fail "status JSON"
"$BIN" --state-dir="$state" --restore "$dev" || fail "restore $dev: exit $?"
after=$(basename "$(readlink "/sys/bus/pci/devices/$dev/driver" 2>/dev/null)" 2>/dev/null)
[ "$after" = "$before" ] || [ -z "$before" ] || fail "restored to '$after', had '$before'"
[ "$(cat "/sys/bus/pci/devices/$dev/driver_override")" = "(null)" ] || fail "driver_override left set"
rm -rf "$state"

if [ -n "$HP" ]; then
	"$HP" --setup 8M || fail "hugepages setup: exit $?"
	[ "$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages)" = 4 ] || fail "not 4 pages"
	"$HP" --mount /mnt/px-huge || fail "hugepages mount"
	grep -q ' /mnt/px-huge hugetlbfs ' /proc/mounts || fail "hugetlbfs not mounted"
	"$HP" --mount /mnt/px-huge | grep -q "already mounted" || fail "second mount"
	umount /mnt/px-huge
fi
echo "PASS [lab]"

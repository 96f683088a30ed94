#!/bin/sh
# px-devbind and px-hugepages on a real kernel, inside a lab guest (docs/lab.md), where /init
# has bound every NIC to vfio-pci and PX_LAB_PORTS lists them. POSIX sh for busybox: no
# python, so outputs are checked with grep. It moves real devices, so outside a lab guest it
# skips (77) unless PX_LAB=1 says the machine is a throwaway one.
#   lab.sh [PX_DEVBIND [PX_HUGEPAGES]]       (default: from PATH)
DB=${1:-px-devbind}
HP=${2:-px-hugepages}
[ -n "${PX_LAB_ARCH:-}" ] || [ "${PX_LAB:-}" = 1 ] ||
	{ echo "SKIP: not in a lab guest (this moves real devices)"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
set -- ${PX_LAB_PORTS:-}
[ $# -ge 2 ] || { echo "SKIP: needs two NICs (PX_LAB_PORTS)"; exit 77; }
p0=$1 p1=$2
fail() { echo "FAIL [devbind lab]: $*"; exit 1; }
drv() { basename "$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null)" 2>/dev/null; }
grp() { basename "$(readlink "/sys/bus/pci/devices/$1/iommu_group")"; }
expect() { # expect RC CMD...: run, show output, check the exit code
	want=$1; shift
	echo "+ $*"; "$@"; rc=$?
	[ "$rc" = "$want" ] || fail "'$*' exited $rc, want $want"
}
st=$(mktemp -d)

# The kernel driver for the second NIC, by its IDs.
case $(cat "/sys/bus/pci/devices/$p1/vendor"):$(cat "/sys/bus/pci/devices/$p1/device") in
0x8086:0x10d3) kdrv=e1000e pcidrv=e1000e ;;
0x8086:0x100e) kdrv=e1000 pcidrv=e1000 ;;
0x15ad:0x07b0) kdrv=vmxnet3 pcidrv=vmxnet3 ;;
0x1af4:0x1041) kdrv=virtio_net pcidrv=virtio-pci ;;
*) echo "SKIP: no kernel driver known for $p1"; exit 77 ;;
esac

expect 0 "$DB" --status
"$DB" --status --json | grep -q "\"pci\": \"$p0\".*\"driver\": \"vfio-pci\"" || fail "status JSON: $p0"
ifc=$(px-lab-kbind "$p1" "$kdrv") || fail "px-lab-kbind $p1 $kdrv"
[ "$(drv "$p1")" = "$pcidrv" ] || fail "$p1 not on $pcidrv"
"$DB" --status | grep -q "^$p1 .* if=$ifc drv=$pcidrv " || fail "status line of $p1"

if [ "$(grp "$p0")" != "$(grp "$p1")" ]; then
	# Own groups: active refusal, bind by interface name, hand-over, restore.
	ip link set "$ifc" up && ip addr add 192.0.2.1/24 dev "$ifc" || fail "ip addr add"
	expect 4 "$DB" --state-dir="$st" --bind=vfio-pci "$ifc"
	ip addr flush dev "$ifc"
	ip link set "$ifc" down
	expect 0 "$DB" --state-dir="$st" --bind=vfio-pci --uid=1234 --gid=4321 "$ifc"
	[ "$(drv "$p1")" = vfio-pci ] || fail "$p1 not on vfio-pci after --bind"
	[ "$(cat "$st/$p1")" = "$pcidrv" ] || fail "state file: $(cat "$st/$p1")"
	[ "$(stat -c %u:%g "/dev/vfio/$(grp "$p1")")" = 1234:4321 ] || fail "/dev/vfio owner"
	expect 0 "$DB" --state-dir="$st" --restore "$p1"
	[ "$(drv "$p1")" = "$pcidrv" ] || fail "$p1 not back on $pcidrv"
	[ "$(cat "/sys/bus/pci/devices/$p1/driver_override")" = "(null)" ] || fail "override left"
	[ ! -e "$st/$p1" ] || fail "state file left"
else
	# One group for both (pseries: one PHB): half-bound refusals both ways.
	echo "$p0 and $p1 share IOMMU group $(grp "$p0")"
	"$DB" --status | grep -q "^$p0 .* viable=no" || fail "half-bound group shown viable"
	expect 0 "$DB" --state-dir="$st" --bind=vfio-pci "$p1"
	expect 5 "$DB" --state-dir="$st" --restore "$p1"
	# p0 has no remembered driver: the kernel picks by modalias (the module is loaded).
	expect 0 "$DB" --state-dir="$st" --restore "$p1" "$p0"
	[ "$(drv "$p0")" = "$pcidrv" ] && [ "$(drv "$p1")" = "$pcidrv" ] || fail "restore of the group"
fi

expect 0 "$HP" --show
expect 0 "$HP" --setup 8M
[ "$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages)" = 4 ] || fail "not 4 pages"
expect 0 "$HP" --mount /mnt/px-huge
grep -q ' /mnt/px-huge hugetlbfs ' /proc/mounts || fail "hugetlbfs not mounted"
"$HP" --mount /mnt/px-huge | grep -q "already mounted" || fail "second mount"
umount /mnt/px-huge
rm -rf "$st"
echo "PASS [devbind lab]"

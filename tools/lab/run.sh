#!/bin/bash
# Run one command inside the Pollux lab: Debian's kernel under QEMU (TCG) with
# a virtual IOMMU and emulated NICs bound to vfio-pci. See docs/lab.md.
#
#   tools/lab/run.sh --arch x86_64|aarch64|ppc64le [--nics e1000e,e1000e]
#                    [--build-dir DIR | --no-build] [--timeout S] -- COMMAND...
#
# Exit status: the guest command's (77 = skipped passes through); 77 when the
# lab cannot be set up here; 124 on timeout; 125 when the guest gave no status.
set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$LAB_DIR/../.." && pwd)
# shellcheck source=lib/arch.sh
. "$LAB_DIR/lib/arch.sh"
# shellcheck source=lib/fetch.sh
. "$LAB_DIR/lib/fetch.sh"
# shellcheck source=lib/pack.sh
. "$LAB_DIR/lib/pack.sh"
# shellcheck source=lib/tapnet.sh
. "$LAB_DIR/lib/tapnet.sh"
# shellcheck source=lib/vhostnet.sh
. "$LAB_DIR/lib/vhostnet.sh"

usage() {
    cat <<USAGE
usage: tools/lab/run.sh --arch ARCH [options] -- COMMAND...
       tools/lab/run.sh --arch ARCH --build-only [--build-dir DIR]

Boots Debian's kernel for ARCH under QEMU with a virtual IOMMU and emulated
NICs bound to vfio-pci, runs COMMAND (busybox sh) in the guest and exits with
its status. Pollux binaries of the build dir are on the guest's PATH.

  --arch ARCH        x86_64, aarch64 or ppc64le
  --nics LIST        NIC models on one hub, comma separated: e1000e, e1000,
                     virtio, virtio-packed (packed=on), virtio-noplatform
                     (no iommu_platform), vmxnet3, or "none"
                     (default: e1000e,e1000e)
  --build-dir DIR    take guest binaries from DIR, do not build
  --no-build         take guest binaries from build/lab-ARCH, do not build
  --build-only       fetch and build for ARCH, do not boot
  --timeout S        kill QEMU after S seconds (default 120; 0: never)
  -i, --interactive  the terminal is the guest console (e.g. -- sh); no
                     timeout unless given; Ctrl-A X quits QEMU
  --pcap PREFIX      record each port's traffic to PREFIX-p<N>.pcap (N: --nics order)
  --tap IFNAME       connect the host's tap device IFNAME to the NICs' hub
  --net tap[:N]      instead of the hub, give each NIC a host tap (vnet_hdr=on,
                     N queues; virtio NICs get mq=on with N > 1) joined by a
                     Linux bridge in a network namespace of this run (root;
                     exit 77 when taps cannot be made): checksum offload, TSO
                     and multi-queue need it (QEMU offers them only on a tap)
  --net vhost-user:SOCK[:Q][:server][,...]
                     instead of the hub, NIC i's backend is the vhost-user
                     server on the host at the i-th SOCK (e.g. px-fwd with
                     --vdev net_vhost0,iface=SOCK, started first), Q queue
                     pairs (mq=on); with :server QEMU serves SOCK and waits
                     for the backend (net_vhost's client=1). The guest's
                     RAM is a shared memfd. Virtio
                     NICs only; use virtio-noplatform (net_vhost has no IOTLB)
                     and --nic-props I vectors=0 (QEMU 7.2's TCG crashes with
                     MSI-X on vhost-user)
  --nic-props I PROPS  extra -device properties for NIC I (--nics order), e.g.
                     --nic-props 1 guest_tso4=off,guest_csum=off (repeatable)
  --append ARGS      extra kernel command line arguments
  --mem MB           guest RAM in MiB (default 1024; the kernel reserves 64
                     2 MiB hugepages, a guest command may add more)
  --qemu-arg ARG     extra QEMU argument (repeatable), e.g. -object filter-dump,...
  --add FILE         copy FILE (a static program built elsewhere) into the
                     guest's /usr/local/bin (repeatable)
  --log FILE         console log (default build/lab-ARCH/logs/DATE-PID.log)

One COMMAND argument is run as a shell script (like ssh HOST 'CMD');
several are run as an argv. The guest exports PX_LAB_PORTS, the
NICs' PCI addresses in --nics order. Guest helpers: hello-vfio,
px-lab-smoke, px-lab-kbind PCI-ADDR DRIVER (hand a NIC to the kernel),
px-lab-monitor CMD (QEMU's monitor runs CMD, e.g. device_del ID).

Environment: PX_LAB_SKIP=1 exits 77 at once. PX_LAB_CACHE (default
/var/cache/pollux-lab) holds kernels, modules and busybox, fetched once.
USAGE
}

arch='' nics=e1000e,e1000e bdir='' build=1 build_only='' timeout='' append='' log='' pcap='' tap=''
interactive='' net=hub
LAB_NIC_PROPS=()
LAB_VHOST_SOCKS=()
qemu_extra=()
LAB_ADD_FILES=()
# shellcheck disable=SC2034 # LAB_NIC_PROPS is read by arch.sh's lab_qemu_nics
while [ $# -gt 0 ]; do
    case $1 in
    --arch) arch=$2; shift 2 ;;
    --nics) nics=$2; shift 2 ;;
    --build-dir) bdir=$2; build=; shift 2 ;;
    --no-build) build=; shift ;;
    --build-only) build_only=1; shift ;;
    --timeout) timeout=$2; shift 2 ;;
    --append) append=$2; shift 2 ;;
    --mem) LAB_MEM=$2; shift 2 ;;
    --pcap) pcap=$2; shift 2 ;;
    --tap) tap=$2; shift 2 ;;
    --net) net=$2; shift 2 ;;
    --nic-props) LAB_NIC_PROPS[$2]=$3; shift 3 ;;
    --qemu-arg) qemu_extra+=("$2"); shift 2 ;;
    --add) LAB_ADD_FILES+=("$2"); shift 2 ;;
    --log) log=$2; shift 2 ;;
    -i | --interactive) interactive=1; shift ;;
    -h | --help) usage; exit 0 ;;
    --) shift; break ;;
    *) echo "lab: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    esac
done
[ -n "$arch" ] || { usage >&2; exit 2; }
case ${LAB_MEM:=1024} in
'' | *[!0-9]*) echo "lab: --mem takes MiB (a number), not '$LAB_MEM'" >&2; exit 2 ;;
esac
export LAB_MEM
if [ -z "$build_only" ] && [ $# -eq 0 ]; then
    echo "lab: no guest command given (after --)" >&2
    exit 2
fi
if [ -n "${PX_LAB_SKIP:-}" ]; then
    echo "lab: PX_LAB_SKIP is set; skipping (exit 77)" >&2
    exit 77
fi
lab_arch_setup "$arch"
case $net in
hub) LAB_NET_QUEUES=0 ;;
tap) LAB_NET_QUEUES=1 ;;
tap:[1-9] | tap:[1-9][0-9]) LAB_NET_QUEUES=${net#tap:} ;;
vhost-user:?*)
    LAB_NET_QUEUES=0
    mapfile -t LAB_VHOST_SOCKS < <(lab_vhostnet_socks "${net#vhost-user:}")
    if [ "${#LAB_VHOST_SOCKS[@]}" -ne "$(tr ',' '\n' <<<"$nics" | grep -c .)" ]; then
        echo "lab: --net vhost-user needs one socket per NIC (--nics $nics)" >&2
        exit 2
    fi
    ;;
*) echo "lab: --net takes hub, tap, tap:N (queues) or vhost-user:SOCK[:Q][:server][,...], not '$net'" >&2; exit 2 ;;
esac
if { [ "$LAB_NET_QUEUES" -gt 0 ] || [ "${#LAB_VHOST_SOCKS[@]}" -gt 0 ]; } && [ -n "$tap" ]; then
    echo "lab: --tap joins a host tap to the hub; --net $net has no hub" >&2
    exit 2
fi
lab_qemu_nics "$nics" >/dev/null || exit 2
export LAB_NICS=$nics
if [ -n "$bdir" ]; then
    [ -n "$build_only" ] && build=1
    bdir=$(mkdir -p "$bdir" && cd "$bdir" && pwd)
else
    bdir=$REPO/build/lab-$LAB_ARCH
fi

# Temporary files of this run: the initramfs, the private apt state.
tmp='' netns=''
lab_cleanup() {
    [ -z "$tmp" ] || rm -rf "$tmp"
    [ -z "$netns" ] || lab_tapnet_cleanup "$netns"
    lab_backports_cleanup
}
trap lab_cleanup EXIT

LAB_CACHE=${PX_LAB_CACHE:-/var/cache/pollux-lab}
if ! mkdir -p "$LAB_CACHE" 2>/dev/null || [ ! -w "$LAB_CACHE" ]; then
    lab_skip "cache $LAB_CACHE is not writable; set PX_LAB_CACHE to a writable directory"
fi
LAB_CACHE=$(cd "$LAB_CACHE" && pwd)

# One lock for host packages, apt and the cache, so parallel runs (ctest -j)
# do not race; it is held for long only while something is being fetched.
exec 8>"$LAB_CACHE/.lock"
flock 8
[ -f "$LAB_CACHE/$LAB_ARCH/fetched" ] || lab_ensure_foreign_arch "$LAB_DEBARCH"
lab_ensure_host_packages
lab_fetch_guest
# shellcheck disable=SC1090,SC1091 # written by lab_fetch_guest
. "$LAB_CACHE/$LAB_ARCH/fetched"
lab_prepare_modules
lab_prepare_kernel
# The lab's own self-check, independent of the Pollux build: always in the guest.
# So is px-lab-udp (UDP datagrams to a reflector and back, byte for byte).
# And px-lab-drmgr (pseries PCI hotplug: what rtas_errd and drmgr do; ppc64le only).
for prog in hello-vfio px-lab-udp px-lab-drmgr; do
    if [ ! -x "$LAB_CACHE/$LAB_ARCH/$prog" ] ||
        [ "$LAB_DIR/guest/$prog.c" -nt "$LAB_CACHE/$LAB_ARCH/$prog" ]; then
        echo "lab: building $prog for $LAB_ARCH" >&2
        "$LAB_CC" -static -O2 -Wall -Wextra -o "$LAB_CACHE/$LAB_ARCH/$prog" \
            "$LAB_DIR/guest/$prog.c"
    fi
done
flock -u 8

# The guest build: static, no NUMA (the guest has one node).
lab_build() {
    mkdir -p "$bdir"
    exec 7>"$bdir/.lab-build.lock"
    flock 7
    if [ -f "$REPO/CMakeLists.txt" ]; then
        # Configure every time (a second or so): a component directory added since the last
        # run is only picked up by a new configure.
        if true; then
            echo "lab: configuring Pollux for $LAB_ARCH in $bdir (static, PX_NUMA=OFF)" >&2
            local tc=()
            [ -z "$LAB_TOOLCHAIN" ] || tc=(-DCMAKE_TOOLCHAIN_FILE="$REPO/$LAB_TOOLCHAIN")
            cmake -S "$REPO" -B "$bdir" -G Ninja --no-warn-unused-cli "${tc[@]}" \
                -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF -DPX_NUMA=OFF \
                -DCMAKE_EXE_LINKER_FLAGS=-static -DCMAKE_FIND_LIBRARY_SUFFIXES=.a \
                -DPX_LAB=OFF -DPX_LAB_GUEST=ON >"$bdir/configure.log" 2>&1 ||
                { cat "$bdir/configure.log" >&2; return 1; }
        fi
        echo "lab: building Pollux for $LAB_ARCH in $bdir" >&2
        cmake --build "$bdir" >&2
    fi
    flock -u 7
}

if [ -n "$build" ]; then
    lab_build
fi
[ -z "$build_only" ] || exit 0
if [ -z "$timeout" ]; then
    timeout=120
    [ -z "$interactive" ] || timeout=0
fi

mkdir -p "$bdir/logs"
[ -n "$log" ] || log=$bdir/logs/$(date +%Y%m%d-%H%M%S)-$$.log
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pollux-lab.XXXXXX")
lab_pack_initramfs "$tmp/initrd.gz" "$bdir" "$@"

# Debian's ppc64el kernel has virtio-pci built in: it probes a virtio NIC at
# boot, before /init hands it to vfio-pci, and its DDW request (16M pages)
# fails under QEMU, which puts the PHB on the kernel's "failed DDW" list; VFIO
# then cannot create any DMA window there (MAP_DMA: ENODEV). disable_ddw keeps
# the kernel driver from trying; VFIO's own windows still work.
if [ "$LAB_ARCH" = ppc64le ] && [[ ",$nics," == *,virtio* ]]; then
    echo "lab: ppc64le with virtio: booting with disable_ddw (see run.sh)" >&2
    append="disable_ddw $append"
fi
mapfile -t qemu < <(lab_qemu_machine "$LAB_CACHE/$LAB_ARCH/$LAB_KBOOT" "$tmp/initrd.gz" "$append")
if [ "$LAB_NET_QUEUES" -gt 0 ]; then
    # QEMU runs in the namespace that holds the taps and their bridge.
    netns=pxlab-$$
    lab_tapnet_setup "$netns" "$nics" "$LAB_NET_QUEUES"
    qemu=(ip netns exec "$netns" "${qemu[@]}")
fi
# vhost-user: the backend maps the guest's RAM, so it must be a shared memfd.
[ "${#LAB_VHOST_SOCKS[@]}" -eq 0 ] || mapfile -t -O "${#qemu[@]}" qemu < <(lab_vhostnet_memory)
mapfile -t nicargs < <(lab_qemu_nics "$nics" "$pcap" "$tap")
qemu+=("${nicargs[@]}" "${qemu_extra[@]}")
# QEMU's human monitor on a socket: a guest line "PX-LAB-MONITOR: CMD" (px-lab-monitor) is
# sent there by lab_console below, so a guest test can unplug and plug devices.
monitor=$tmp/monitor.sock
[ -n "$interactive" ] || qemu+=(-monitor "unix:$monitor,server=on,wait=off")

# lab_console: copy the console to stdout; send each PX-LAB-MONITOR line's command to QEMU
lab_console() {
    local line
    while IFS= read -r line; do
        printf '%s\n' "$line"
        case $line in
        "PX-LAB-MONITOR: "*) lab_monitor "${line#PX-LAB-MONITOR: }" ;;
        esac
    done
}
lab_monitor() { # lab_monitor CMD: one command to the monitor, its answer printed
    python3 - "$monitor" "$1" <<'PY' || echo "lab: monitor command '$1' failed" >&2
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
s.connect(sys.argv[1])
def answer():
    b = b""
    while not b.endswith(b"(qemu) "):
        c = s.recv(4096)
        if not c:
            break
        b += c
    return b.decode(errors="replace")
answer()  # the banner and the first prompt
s.sendall(sys.argv[2].encode() + b"\n")
out = answer().replace("\r", "").rsplit("(qemu) ", 1)[0].strip().splitlines()[1:]
print("lab: monitor: %s%s" % (sys.argv[2], "".join("\n  " + l for l in out) or " (ok)"))
PY
}

isize=$(du -k "$tmp/initrd.gz" | cut -f1)
echo "lab: booting $LAB_ARCH ($LAB_KVER, initramfs ${isize} KiB, NICs: $nics, timeout ${timeout}s); console log: $log" >&2
start=$(date +%s.%N)
set +e
if [ -n "$interactive" ]; then
    # --foreground: QEMU must stay in the terminal's foreground to read it.
    timeout --foreground -k 5 "$timeout" "${qemu[@]}" 2>&1 | tee "$log"
else
    timeout -k 5 "$timeout" "${qemu[@]}" </dev/null 2>&1 |
        sed -u -e 's/\r$//' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1bc//g' | tee "$log" | lab_console
fi
qrc=${PIPESTATUS[0]}
set -e
secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')

rc=$(grep -a -o 'PX-LAB-EXIT=[0-9]*' "$log" | tail -n1 | cut -d= -f2 || true)
if [ -z "$rc" ]; then
    if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
        echo "lab: $LAB_ARCH guest timed out after ${timeout}s without an exit status (log: $log)" >&2
        exit 124
    fi
    echo "lab: $LAB_ARCH guest gave no exit status (QEMU exited $qrc after ${secs}s; log: $log)" >&2
    exit 125
fi
[ "$qrc" != 124 ] || echo "lab: warning: guest reported but did not power off; QEMU killed" >&2
echo "lab: $LAB_ARCH guest command exited $rc after ${secs}s (boot + command)" >&2
exit "$rc"

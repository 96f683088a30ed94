# shellcheck shell=bash disable=SC2034 # the LAB_* variables are used by run.sh
# Per-architecture facts of the lab: Debian names, QEMU machine, console.
# Sourced by run.sh; sets LAB_* variables for $1 (x86_64, aarch64, ppc64le).

lab_arch_setup() {
    LAB_ARCH=$1
    case $LAB_ARCH in
    x86_64)
        LAB_DEBARCH=amd64
        LAB_KMETA=linux-image-amd64
        LAB_KSUITE=          # the system's own suite
        LAB_KFILE=vmlinuz
        LAB_QEMU=qemu-system-x86_64
        LAB_QEMU_PKG=qemu-system-x86
        LAB_CC=gcc
        LAB_CC_PKGS="gcc libc6-dev"
        LAB_CONSOLE=ttyS0
        LAB_IOMMU_MODULES="vfio_iommu_type1"
        ;;
    aarch64)
        LAB_DEBARCH=arm64
        LAB_KMETA=linux-image-arm64
        LAB_KSUITE=
        LAB_KFILE=vmlinuz
        LAB_QEMU=qemu-system-aarch64
        LAB_QEMU_PKG=qemu-system-arm
        LAB_CC=aarch64-linux-gnu-gcc
        LAB_CC_PKGS="gcc-aarch64-linux-gnu libc6-dev-arm64-cross"
        LAB_CONSOLE=ttyAMA0
        LAB_IOMMU_MODULES="arm_smmu_v3 vfio_iommu_type1"
        ;;
    ppc64le)
        LAB_DEBARCH=ppc64el
        LAB_KMETA=linux-image-powerpc64le
        # bookworm's 6.1 refuses to bind vfio-pci on pseries (-22); 6.12 works.
        LAB_KSUITE=backports
        LAB_KFILE=vmlinux
        LAB_QEMU=qemu-system-ppc64
        LAB_QEMU_PKG=qemu-system-ppc
        LAB_CC=powerpc64le-linux-gnu-gcc
        LAB_CC_PKGS="gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross"
        LAB_CONSOLE=hvc0
        LAB_IOMMU_MODULES="vfio_iommu_spapr_tce"
        ;;
    *)
        echo "lab: unknown architecture '$LAB_ARCH' (x86_64, aarch64, ppc64le)" >&2
        return 2
        ;;
    esac
    LAB_TOOLCHAIN=
    [ "$LAB_ARCH" = x86_64 ] || LAB_TOOLCHAIN=config/toolchain-$LAB_ARCH.cmake
    # Modules the guest loads at boot (plus their depends= closure), in this order.
    LAB_BOOT_MODULES="$LAB_IOMMU_MODULES vfio_pci"
    # Kernel NIC drivers shipped (not loaded) under /lib/modules-px for px-lab-kbind.
    LAB_NIC_MODULES="e1000e e1000 vmxnet3 virtio_pci virtio_net"
}

# Print the QEMU command line (one argument per line) for kernel $1, initrd $2, append $3.
# x86_64: no_timer_check, because on a loaded host TCG can miss the kernel's IO-APIC timer
# check, which then panics ("timer doesn't work through Interrupt-remapped IO-APIC").
lab_qemu_machine() {
    local kernel=$1 initrd=$2 append=$3
    case $LAB_ARCH in
    x86_64)
        printf '%s\n' "$LAB_QEMU" -machine q35,kernel-irqchip=split -accel tcg -cpu max \
            -smp 2 -m "${LAB_MEM:-1024}" -nographic -no-reboot -vga none \
            -device intel-iommu,intremap=on \
            -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
            -kernel "$kernel" -initrd "$initrd" \
            -append "console=ttyS0 intel_iommu=on panic=-1 quiet hugepages=64 no_timer_check $append"
        ;;
    aarch64)
        printf '%s\n' "$LAB_QEMU" -machine virt,iommu=smmuv3,gic-version=3 -accel tcg \
            -cpu max,pauth-impdef=on -smp 2 -m "${LAB_MEM:-1024}" -nographic -no-reboot \
            -kernel "$kernel" -initrd "$initrd" \
            -append "console=ttyAMA0 panic=-1 quiet hugepages=64 $append"
        ;;
    ppc64le)
        printf '%s\n' "$LAB_QEMU" -machine pseries,x-vof=on,usb=off,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off \
            -accel tcg -cpu power9 -nodefaults -serial mon:stdio \
            -smp 2 -m "${LAB_MEM:-1024}" -nographic -no-reboot -vga none \
            -kernel "$kernel" -initrd "$initrd" \
            -append "console=hvc0 panic=-1 quiet hugepages=64 $append"
        ;;
    esac
}

# Print the QEMU arguments for the NIC list $1 (comma separated), one per line;
# with $2, record each port's traffic to $2-p<i>.pcap; with $3, connect the
# host's tap device $3 to the hub. LAB_NIC_PROPS[i]: more -device properties
# for NIC i.
# All ports sit on one hub: a frame sent by one port reaches every other port;
# with LAB_NET_QUEUES > 0 each has a host tap instead (tapnet.sh), with
# LAB_VHOST_SOCKS (an array) each a vhost-user backend on the host (vhostnet.sh).
# On pseries every device behind one PHB shares one IOMMU group, so each NIC
# after the first gets its own PHB: one group per NIC, as on x86 and arm64.
lab_qemu_nics() {
    local list=$1 pcap=${2:-} tap=${3:-} i=0 model dev bus
    if [ -n "$tap" ]; then
        printf '%s\n' -netdev "tap,id=tap0,ifname=$tap,script=no,downscript=no" \
            -netdev hubport,id=hp_tap,hubid=0,netdev=tap0
    fi
    [ -n "$list" ] && [ "$list" != none ] || return 0
    local IFS=,
    for model in $list; do
        case $model in
        e1000e | e1000 | vmxnet3) dev=$model ;;
        virtio | virtio-net | virtio-net-pci)
            # Without iommu_platform the device does not offer ACCESS_PLATFORM
            # and DMAs around the IOMMU.
            dev=virtio-net-pci,disable-legacy=on,iommu_platform=on
            ;;
        virtio-packed)
            # The same, offering VIRTIO_F_RING_PACKED as well.
            dev=virtio-net-pci,disable-legacy=on,iommu_platform=on,packed=on
            ;;
        virtio-noplatform)
            # Without VIRTIO_F_ACCESS_PLATFORM: a driver must refuse it (its DMA
            # would bypass the IOMMU).
            dev=virtio-net-pci,disable-legacy=on
            ;;
        *)
            echo "lab: unknown NIC model '$model' (e1000e, e1000, virtio, virtio-packed, virtio-noplatform, vmxnet3)" >&2
            return 2
            ;;
        esac
        [ -z "${LAB_NIC_PROPS[$i]:-}" ] || dev=$dev,${LAB_NIC_PROPS[$i]}
        bus=
        if [ "$LAB_ARCH" = ppc64le ]; then
            if [ $i -eq 0 ]; then
                bus=,bus=pci.0
            else
                printf '%s\n' -device "spapr-pci-host-bridge,index=$i,id=phb$i"
                bus=,bus=phb$i.0
            fi
        fi
        if [ "${#LAB_VHOST_SOCKS[@]}" -gt 0 ]; then
            lab_vhostnet_nic "$i" "$dev" "$bus" "${LAB_VHOST_SOCKS[$i]}" || return 2
        elif [ "${LAB_NET_QUEUES:-0}" -gt 0 ]; then
            lab_tapnet_nic "$i" "$dev" "$bus"
        else
            printf '%s\n' -netdev "hubport,id=p$i,hubid=0" -device "$dev,netdev=p$i,romfile=$bus"
        fi
        [ -z "$pcap" ] || printf '%s\n' -object "filter-dump,id=dump$i,netdev=p$i,file=$pcap-p$i.pcap"
        i=$((i + 1))
    done
}

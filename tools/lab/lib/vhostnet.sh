# shellcheck shell=bash
# The vhost-user network (run.sh --net vhost-user:SOCK[:Q][,SOCK[:Q]...]): NIC i is a
# virtio-net-pci whose backend is a vhost-user server on the host (Pollux's
# net_vhost in px-fwd, docs/vhost.md) listening on the i-th socket; QEMU is the
# client (the frontend). The backend maps the guest's RAM from its file
# descriptor, so the RAM is a shared memfd (memory-backend-memfd,share=on).
# Only virtio models make sense here; the NIC should not ask for
# iommu_platform (net_vhost handles no IOTLB messages: --nics virtio-noplatform).

# lab_vhostnet_socks SPEC: the sockets of --net vhost-user:SPEC, one per line.
lab_vhostnet_socks() { tr ',' '\n' <<<"$1" | grep .; }

# lab_vhostnet_nic I DEVICE BUS SOCK[:Q]: the -chardev, -netdev and -device lines of NIC I,
# with Q queue pairs (default 1; more: mq=on on the device, the backend must offer MQ).
# reconnect=1: when the backend restarts, QEMU connects again within a second
# and replays the device's state to it.
lab_vhostnet_nic() {
    local i=$1 dev=$2 bus=$3 sock=${4%:*} q=1
    [ "$sock" = "$4" ] || q=${4##*:}
    case $dev in
    virtio-net-pci*) ;;
    *) echo "lab: --net vhost-user: NIC $i is '${dev%%,*}'; a vhost-user backend serves virtio-net-pci only" >&2
        return 2 ;;
    esac
    case $q in
    [1-9]) ;;
    *) echo "lab: --net vhost-user: '$4': the queue pairs after ':' are 1..9" >&2; return 2 ;;
    esac
    [ "$q" -eq 1 ] || dev=$dev,mq=on
    printf '%s\n' -chardev "socket,id=vu$i,path=$sock,reconnect=1" \
        -netdev "vhost-user,id=p$i,chardev=vu$i,queues=$q" -device "$dev,netdev=p$i,romfile=$bus"
}

# lab_vhostnet_memory: the QEMU arguments that put the guest's RAM in a shared memfd.
lab_vhostnet_memory() {
    printf '%s\n' -object "memory-backend-memfd,id=pxmem,size=${LAB_MEM:-1024}M,share=on" \
        -machine memory-backend=pxmem
}

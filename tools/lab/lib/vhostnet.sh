# shellcheck shell=bash
# The vhost-user network (run.sh --net vhost-user:SOCK[:Q][:server][,...]): NIC i is a
# virtio-net-pci whose backend is a vhost-user device on the host (Pollux's net_vhost in
# px-fwd, docs/vhost.md) on the i-th socket. QEMU is the frontend: the socket's client
# (the backend serves it), or with ":server" its server (the backend connects: net_vhost's
# client=1; QEMU waits for it before it starts the guest). The backend maps the guest's RAM
# from its file descriptor, so the RAM is a shared memfd (memory-backend-memfd,share=on).
# Only virtio models make sense here; the NIC should not ask for iommu_platform (net_vhost
# handles no IOTLB messages: --nics virtio-noplatform). Socket paths cannot contain ':'.

# lab_vhostnet_socks SPEC: the sockets of --net vhost-user:SPEC, one per line.
lab_vhostnet_socks() { tr ',' '\n' <<<"$1" | grep .; }

# lab_vhostnet_nic I DEVICE BUS SOCK[:Q][:server]: the -chardev, -netdev and -device lines
# of NIC I, with Q queue pairs (default 1; more: mq=on on the device, the backend must offer
# MQ). As the client, reconnect=1: when the backend restarts, QEMU connects again within a
# second and replays the device's state to it.
lab_vhostnet_nic() {
    local i=$1 dev=$2 bus=$3 spec=$4 sock q=1 chr=reconnect=1 f
    local IFS=:
    # shellcheck disable=SC2086 # split at ':'
    set -- $spec
    unset IFS
    sock=$1
    shift
    for f in "$@"; do
        case $f in
        [1-9]) q=$f ;;
        server) chr=server=on,wait=off ;;
        *) echo "lab: --net vhost-user: '$spec': after the socket, ':Q' (queue pairs, 1..9) and ':server'" >&2
            return 2 ;;
        esac
    done
    case $dev in
    virtio-net-pci*) ;;
    *) echo "lab: --net vhost-user: NIC $i is '${dev%%,*}'; a vhost-user backend serves virtio-net-pci only" >&2
        return 2 ;;
    esac
    [ "$q" -eq 1 ] || dev=$dev,mq=on
    printf '%s\n' -chardev "socket,id=vu$i,path=$sock,$chr" \
        -netdev "vhost-user,id=p$i,chardev=vu$i,queues=$q" -device "$dev,netdev=p$i,romfile=$bus"
}

# lab_vhostnet_memory: the QEMU arguments that put the guest's RAM in a shared memfd.
lab_vhostnet_memory() {
    printf '%s\n' -object "memory-backend-memfd,id=pxmem,size=${LAB_MEM:-1024}M,share=on" \
        -machine memory-backend=pxmem
}

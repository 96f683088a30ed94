# shellcheck shell=bash
# The tap network (run.sh --net tap[:N]): each NIC's backend is a host tap with a
# virtio-net header (vnet_hdr=on), all taps on one Linux bridge, inside a network
# namespace that the run creates and deletes, so nothing of the host's own
# network is touched. QEMU 7.2 offers a virtio-net NIC its checksum and TSO
# features only when the backend has a vnet header (hw/net/virtio-net.c,
# peer_has_vnet_hdr), and several queue pairs only when the backend has several
# queues: the hub has neither. Frames cross the host kernel's bridge, which
# segments a TSO frame for a tap whose reader did not take TSO (the peer NIC's
# negotiated features, TUNSETOFFLOAD) and completes a partial checksum for one
# that did not take checksum offload.

# The tap of NIC $1 (its netdev keeps the hub's id p<i>, so the monitor's
# set_link p<i> off works either way).
lab_tapnet_ifname() { echo "pxtap$1"; }

# lab_tapnet_nic I DEVICE BUS: the -netdev and -device lines of NIC I on the tap network.
lab_tapnet_nic() {
    local i=$1 dev=$2 bus=$3 q=${LAB_NET_QUEUES:-1} tapq=''
    if [ "$q" -gt 1 ]; then
        tapq=,queues=$q
        # a vector per queue and one for the configuration (virtio-net-pci)
        case $dev in virtio-net-pci*) dev=$dev,mq=on,vectors=$((2 * q + 2)) ;; esac
    fi
    printf '%s\n' -netdev "tap,id=p$i,ifname=$(lab_tapnet_ifname "$i"),script=no,downscript=no,vnet_hdr=on$tapq" \
        -device "$dev,netdev=p$i,romfile=$bus"
}

# lab_tapnet_setup NETNS NICS QUEUES: the namespace, its bridge, a tap per NIC
# (persistent, multi_queue when QUEUES > 1, as QEMU then asks for). MTU 9000 so
# that jumbo frames cross. IPv6 off in the namespace: the host would otherwise
# send its own router solicitations and DAD probes onto the bridge, frames the
# tests would count. Skips (77) when the host cannot make any of it.
# shellcheck disable=SC2154 # tmp: run.sh's temporary directory, for error output
lab_tapnet_setup() {
    local ns=$1 nics=$2 q=$3 n i mq=''
    [ "$(id -u)" -eq 0 ] || lab_skip "--net tap needs root (network namespace, taps, bridge)"
    command -v ip >/dev/null || lab_skip "--net tap needs iproute2's ip"
    [ -c /dev/net/tun ] || lab_skip "--net tap: no /dev/net/tun on this host"
    ip netns add "$ns" 2>/dev/null || lab_skip "--net tap: cannot create network namespace $ns"
    n=$(echo "$nics" | tr ',' '\n' | grep -c .)
    [ "$q" -le 1 ] || mq=multi_queue
    if ! {
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
            net.ipv6.conf.default.disable_ipv6=1 &&
            ip -n "$ns" link add pxbr0 mtu 9000 type bridge stp_state 0 mcast_snooping 0 &&
            ip -n "$ns" link set pxbr0 up
    } 2>"$tmp/tapnet.err"; then
        lab_skip "--net tap: cannot create a bridge: $(cat "$tmp/tapnet.err")"
    fi
    for ((i = 0; i < n; i++)); do
        local t
        t=$(lab_tapnet_ifname "$i")
        if ! {
            ip -n "$ns" tuntap add dev "$t" mode tap vnet_hdr $mq &&
                ip -n "$ns" link set "$t" mtu 9000 master pxbr0 up
        } 2>"$tmp/tapnet.err"; then
            lab_skip "--net tap: cannot create tap $t: $(cat "$tmp/tapnet.err")"
        fi
    done
    echo "lab: tap network: namespace $ns, bridge pxbr0, taps pxtap0..$((n - 1)), $q queue(s) each" >&2
}

# Delete the taps, then the namespace (its bridge goes with it).
lab_tapnet_cleanup() {
    local ns=$1 t
    for t in $(ip -n "$ns" -o link show 2>/dev/null | sed -n 's/^[0-9]*: \(pxtap[0-9]*\).*/\1/p'); do
        ip -n "$ns" link del "$t" 2>/dev/null || true
    done
    ip netns del "$ns" 2>/dev/null || true
}

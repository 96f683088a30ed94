# The virtio-net PMD (docs/virtio.md) on QEMU's virtio-net-pci (iommu_platform=on,
# disable-legacy=on) behind the virtual IOMMU, every arch. Three boots per arch.
set(_virtio_cases virtio_txrx_autotest virtio_stopstart_autotest virtio_jumbo_autotest
                   virtio_promisc_autotest)
string(REPLACE ";" " " _virtio_cases_sh "${_virtio_cases}")
# Split rings: two ports on one hub, frames of 60..1514 bytes both ways (single segments and
# TX chains), 50 start/stop cycles, jumbo frames through mergeable RX buffers.
px_add_lab_test(NAME lab_<arch>_virtio ARCH all NICS virtio virtio
                COMMAND px-test ${_virtio_cases})
# Packed rings (packed=on): the same cases with packed_vq=1 (the probe fails unless the device
# offers VIRTIO_F_RING_PACKED), then traffic with packed_vq=0 (split rings forced on a device
# that offers packed ones).
px_add_lab_test(NAME lab_<arch>_virtio_packed ARCH all NICS virtio-packed virtio-packed
                COMMAND "PX_VIRTIO_DEVARGS=packed_vq=1 px-test ${_virtio_cases_sh} && PX_VIRTIO_DEVARGS=packed_vq=0 px-test virtio_txrx_autotest")
# A real, independent peer: the guest kernel's virtio_net on the second port pings Pollux's
# icmpecho on the first (ARP and ICMP both ways); 100 echo requests, 0 % loss.
px_add_lab_test(NAME lab_<arch>_virtio_kernel_ping ARCH all NICS virtio virtio
                COMMAND "set -e; p0=\${PX_LAB_PORTS%% *}; p1=\${PX_LAB_PORTS##* }; ifc=$(px-lab-kbind --up $p1 virtio_net); ip addr add 10.9.0.1/24 dev $ifc; px-fwd -l 0-1 -m 64 -a $p0 -- --forward-mode=icmpecho --icmp-ip=0,10.9.0.2 --duration=25 --stats-period=0 --rxd=128 --txd=128 --total-num-mbufs=512 >/tmp/fwd.log 2>&1 & fwd=$!; sleep 3; ping -c 100 -i 0.1 -W 2 10.9.0.2 >/tmp/ping.log || true; wait $fwd; cat /tmp/ping.log /tmp/fwd.log; grep -q '100 packets transmitted, 100 packets received, 0% packet loss' /tmp/ping.log")

# The virtio-net PMD (docs/virtio.md) on QEMU's virtio-net-pci (iommu_platform=on,
# disable-legacy=on) behind the virtual IOMMU, every arch. Three boots per arch.
set(_virtio_cases virtio_txrx_autotest virtio_stopstart_autotest virtio_jumbo_autotest
                   virtio_promisc_autotest virtio_mac_filter_autotest virtio_rx_intr_autotest
                   virtio_lsc_autotest virtio_vlan_filter_autotest)
# One px-test process per case: on aarch64 an EAL brought up again in the same process with
# -a options sometimes probes no PCI device at all (no VFIO container opened, px_eal_init()
# returns 0; seen from the 4th to the 6th init, also at commit 24207df; not understood yet).
string(REPLACE ";" " " _virtio_cases_sh "${_virtio_cases}")
set(_virtio_each "for t in ${_virtio_cases_sh}; do px-test $t || exit 1; done")
# Split rings: two ports on one hub, frames of 60..1514 bytes both ways (single segments and
# TX chains), 50 start/stop cycles, jumbo frames through mergeable RX buffers; the link taken
# down and up by QEMU's monitor (set_link p1 off/on: LSC callbacks, no frames while down), the
# VLAN filter of the control queue.
px_add_lab_test(NAME lab_<arch>_virtio ARCH all NICS virtio virtio
                COMMAND "${_virtio_each}")
# Packed rings (packed=on): the same cases with packed_vq=1 (the probe fails unless the device
# offers VIRTIO_F_RING_PACKED), then traffic with packed_vq=0 (split rings forced on a device
# that offers packed ones).
px_add_lab_test(NAME lab_<arch>_virtio_packed ARCH all NICS virtio-packed virtio-packed
                COMMAND "export PX_VIRTIO_DEVARGS=packed_vq=1; ${_virtio_each}; PX_VIRTIO_DEVARGS=packed_vq=0 px-test virtio_txrx_autotest")
# Real, independent peers: the guest kernel's virtio_net on the second port (MTU 9000) pings
# Pollux's icmpecho (px-fwd, scatter, frames up to 9018 bytes) on the first: once it answers,
# 100 echo requests, 0 % loss, then 3 each of 60..9014-byte frames (mergeable RX buffers and TX
# chains on both sides; the kernel checks every reply's checksum, which px-fwd updates
# incrementally, so a corrupted byte shows as a loss); then the kernel's e1000e on a fourth NIC
# takes over the address and pings 20 times. First, a third NIC without iommu_platform=on: the
# probe must refuse it.
px_add_lab_test(NAME lab_<arch>_virtio_kernel ARCH all NICS virtio virtio virtio-noplatform e1000e
                COMMAND "set -e; set -- $PX_LAB_PORTS; PX_VIRTIO_REFUSE=$3 px-test virtio_access_platform_autotest; ifc=$(px-lab-kbind --up $2 virtio_net); ife=$(px-lab-kbind --up $4 e1000e); ip addr add 10.9.0.1/24 dev $ifc; ip link set dev $ifc mtu 9000; px-fwd -l 0-1 -m 64 -a $1 -- --forward-mode=icmpecho --icmp-ip=0,10.9.0.2 --max-pkt-len=9018 --enable-scatter --duration=60 --stats-period=0 --rxd=128 --txd=128 --total-num-mbufs=512 >/tmp/fwd.log 2>&1 & fwd=$!; i=0; until ping -c 1 -W 1 10.9.0.2 >/dev/null; do [ $i -lt 30 ] || break; i=$((i+1)); done; ping -c 100 -i 0.1 -W 2 10.9.0.2 >/tmp/ping.log || true; ok=0; for s in 18 100 1472 1473 2000 4000 8000 8972; do ping -c 3 -i 0.1 -W 2 -s $s 10.9.0.2 >/tmp/p.$s || true; tail -2 /tmp/p.$s; grep -q '3 packets received' /tmp/p.$s && ok=$((ok+1)); done; ip addr del 10.9.0.1/24 dev $ifc; ip addr add 10.9.0.1/24 dev $ife; ping -c 20 -i 0.1 -W 2 10.9.0.2 >/tmp/pe.log || true; kill -TERM $fwd; wait $fwd; cat /tmp/ping.log /tmp/pe.log /tmp/fwd.log; grep -q '100 packets transmitted, 100 packets received, 0% packet loss' /tmp/ping.log && grep -q '20 packets transmitted, 20 packets received, 0% packet loss' /tmp/pe.log && [ $ok = 8 ]")
# Hot unplug and plug of a virtio NIC (virtio_hotplug_autotest): the second NIC sits in a
# hot-pluggable slot (_px_lab_hotplug_slot: a PCIe root port, on pseries a PHB answered by
# px-lab-drmgr); device_del mid-traffic, the first port keeps working, device_add, rescan,
# traffic again, every mbuf back. A third hub port to QEMU's user network (restrict=on: nothing leaves QEMU) is a sink that always
# receives: QEMU's hub holds a sender's frame while no other port can receive (a reset virtio
# NIC cannot), and stops taking that sender's TX ring until one can; a real wire does not.
function(_px_lab_virtio_hotplug_test arch)
    _px_lab_build_fixture(${arch})
    _px_lab_hotplug_slot(${arch} _slot _bus)
    set(_dev virtio-net-pci,disable-legacy=on,iommu_platform=on,netdev=hp1,id=nic1,bus=${_bus},romfile=)
    add_test(NAME lab_${arch}_virtio_hotplug
        COMMAND "${PX_LAB_RUN}" --arch ${arch} --nics virtio ${_slot}
                --qemu-arg -netdev --qemu-arg hubport,id=hp1,hubid=0
                --qemu-arg -device --qemu-arg ${_dev}
                --qemu-arg -netdev --qemu-arg user,id=sink,restrict=on
                --qemu-arg -netdev --qemu-arg hubport,id=hp2,hubid=0,netdev=sink
                --build-dir "${PROJECT_BINARY_DIR}/lab-${arch}" --timeout ${PX_LAB_TIMEOUT}
                -- "PX_LAB_HOTPLUG='nic1 ${_dev}' px-test virtio_hotplug_autotest")
    math(EXPR _t "${PX_LAB_TIMEOUT} + 30")
    set_tests_properties(lab_${arch}_virtio_hotplug PROPERTIES
        LABELS "lab;lab-${arch}" FIXTURES_REQUIRED lab_${arch}_build
        SKIP_RETURN_CODE 77 TIMEOUT ${_t})
endfunction()
if(PX_LAB)
    foreach(arch x86_64 aarch64 ppc64le)
        if(arch IN_LIST PX_LAB_ARCHES)
            _px_lab_virtio_hotplug_test(${arch})
        endif()
    endforeach()
endif()
# The tap network (run.sh --net tap:2, docs/lab.md): QEMU offers checksum offload, TSO and
# several queue pairs only there. NIC 0 is Pollux's (rss=on), NIC 1 the guest kernel's
# virtio_net without GUEST_TSO and GUEST_CSUM, so the host kernel segments and checksums what
# Pollux offloads and the guest kernel checks every checksum: 4 TSO packets of 64000 bytes
# arrive as 180 segments of at most 1448 bytes, byte for byte, counted by the peer's TCP with no
# checksum error; 200 UDP datagrams of 18..8972 bytes with the checksum offloaded reach a kernel
# socket byte for byte, 5 with a wrong pseudo-header sum are dropped and counted; 64 frames of
# 16 flows from the kernel land on the queue RSS gives their hash under the test's key, through
# the default table, custom ones (px_eth_dev_rss_reta_update, also set while stopped) and another
# key (and, without RSS, on both queues as the tap spreads them: VQ_PAIRS_SET); with the table
# steering them to one queue then the other, each queue's RX interrupt wakes its waiter; 100 UDP
# datagrams of 18..8972 bytes from a kernel socket reach Pollux byte for byte, checksums right.
set(_virtio_tap_cases virtio_tso_autotest virtio_csum_kernel_autotest virtio_rss_autotest
                       virtio_mq_autotest virtio_mq_rx_intr_autotest
                       virtio_udp_from_kernel_autotest)
string(REPLACE ";" " " _virtio_tap_cases_sh "${_virtio_tap_cases}")
# The NICs offer packed rings (packed=on): every case runs on split rings (packed_vq=0), then
# on packed ones (packed_vq=1).
px_add_lab_test(NAME lab_<arch>_virtio_tap ARCH all NICS virtio-packed virtio-packed
                RUN_ARGS --net tap:2 --nic-props 0 rss=on
                         --nic-props 1 guest_csum=off,guest_tso4=off,guest_tso6=off,guest_ecn=off,guest_ufo=off
                COMMAND "set -e; set -- $PX_LAB_PORTS; ifc=$(px-lab-kbind --up $2 virtio_net); ip addr add 10.9.0.1/24 dev $ifc; export PX_VIRTIO_PEER=$ifc; for d in packed_vq=0 packed_vq=1; do for t in ${_virtio_tap_cases_sh}; do PX_VIRTIO_DEVARGS=$d px-test $t || exit 1; done; done; px-fwd -l 0-1 -m 64 -a $1 -- --forward-mode=icmpecho --icmp-ip=0,10.9.0.2 --rxq=2 --txq=2 --rss-ip --duration=60 --stats-period=0 --rxd=128 --txd=128 --total-num-mbufs=1024 >/tmp/rss.log 2>&1 & f=$!; i=0; until ping -c 1 -W 1 10.9.0.2 >/dev/null; do [ $i -lt 30 ] || break; i=$((i+1)); done; ping -c 20 -i 0.1 -W 2 10.9.0.2 >/tmp/prss.log || true; kill -TERM $f; r=0; wait $f || r=$?; cat /tmp/prss.log /tmp/rss.log; [ $r = 0 ] && grep -q '20 packets transmitted, 20 packets received, 0% packet loss' /tmp/prss.log")
